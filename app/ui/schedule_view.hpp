// Schedule view: a zoomable UTC timeline of maintenance windows, freezes and
// planned changes, with conflicts marked and explained, the next-free-slot
// assistant's proposals for the selected change, and its point of no return.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "graph/runbook.hpp"
#include "schedule/assistant.hpp"
#include "schedule/schedule_view.hpp"
#include "ui/timeline_math.hpp"
#include "ui/ui_context.hpp"

namespace planner::ui {

// View state the shell keeps between frames (one per schedule tab). Besides
// the axis and scroll position it caches what the engines computed, keyed by
// the session's revisions, so frames only draw.
struct ScheduleViewState {
    timeline::TimeAxis axis;
    bool placed = false;            // the axis has been centred once
    float scrollY = 0.0f;           // device pixels the rows are scrolled up
    bool dragged = false;           // the current press moved the view (no click)
    std::string lastSelected;       // the view recentres when the selection changes

    // Forward schedule over [cacheFrom, cacheTo), rebuilt on revision change or
    // when the visible range leaves it.
    bool cacheValid = false;
    std::uint64_t mainRevision = 0, cmdbRevision = 0;
    core::TimeUtc cacheFrom = 0, cacheTo = 0;
    std::vector<core::schedule::PlannedChange> planned;   // every change with a planned window, by start
    std::vector<std::int32_t> plannedIndex;               // planned[i] -> index in data().changes
    std::optional<core::schedule::ScheduleView> view;
    std::vector<std::vector<core::schedule::Interval>> occurrencesByWindow;  // by view->windows index
    std::unordered_map<std::string, std::vector<std::int32_t>> conflictsByChange;  // -> view->conflicts
    std::string viewError;

    // Windows scoped to the selected change's CIs, types or services (indices in view->windows).
    bool scopedValid = false;
    std::string scopedFor;
    std::uint64_t scopedMainRevision = 0, scopedCmdbRevision = 0;
    std::vector<std::int32_t> scopedWindows;

    // Selected change: its runbook analysed against its planned window.
    std::string runbookFor;
    std::uint64_t runbookRevision = 0;
    std::optional<core::graph::RunbookAnalysis> runbook;

    // Next-free-slot proposals for `proposalsFor`, dropped when the workspace changes.
    std::string proposalsFor;
    std::uint64_t proposalsRevision = 0;
    std::optional<core::schedule::SlotAnswer> proposals;
    std::string proposalsError;
    bool focusProposal = false;
};

// Draws the schedule view into the remaining content region of the current
// window. Reads ctx.session; clicking a change bar selects it (ctx.selectedChange);
// accepting a proposal emits one ReplaceChange with the new planned start and end.
void DrawScheduleView(const UiContext& ctx, ScheduleViewState& state);

}  // namespace planner::ui
