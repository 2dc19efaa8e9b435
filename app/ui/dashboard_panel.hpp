// Dashboard tab: governance metrics of the workspace over a chosen period
// (core::policy::computeMetrics), as figure tiles, a bar chart of changes per
// week and trend lines of success rate and emergency share.
#pragma once

#include <cstdint>
#include <vector>

#include "policy/metrics.hpp"
#include "ui/ui_context.hpp"

namespace planner::ui {

struct DashboardPanelState {
    int periodWeeks = 26;
    bool cached = false;
    std::uint64_t mainRevision = 0, cmdbRevision = 0;
    int cachedWeeks = 0;
    std::int64_t cachedDay = 0;
    core::policy::GovernanceMetrics total;
    // One entry per week of the period: metrics of the four weeks ending there,
    // so the trend lines are not dominated by single quiet weeks.
    std::vector<core::policy::GovernanceMetrics> rolling;
};

void DrawDashboardPanel(UiContext& ctx, DashboardPanelState& state);

}  // namespace planner::ui
