// Governance tab: the selected change's lifecycle actions (disabled ones say
// why), risk with every contributing point and the questionnaire, required
// approvals and their state, model bounds, the post-implementation review, the
// drift check of an observed configuration, and the policy document editor.
// Everything shown comes from core::assessChange and the policy engine.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "platform/platform.hpp"
#include "policy/drift.hpp"
#include "session/change_assessment.hpp"
#include "ui/ui_context.hpp"

namespace planner::ui {

struct GovernancePanelState {
    // Assessment cache: recomputed when the change, the data or the minute changes.
    bool cached = false;
    std::string changeId;
    std::uint64_t mainRevision = 0, cmdbRevision = 0;
    std::int64_t minute = 0;
    core::ChangeAssessment assessment;

    // Drift report of the stored observation.
    std::string driftChange;
    std::uint64_t driftRevision = 0;
    std::optional<core::policy::DriftReport> drift;
    std::string driftError;
    std::shared_ptr<std::optional<platform::OpenedFile>> pickedObservation;

    // Review form (belongs to reviewFor).
    std::string reviewFor;
    core::Review reviewDraft;

    // Policy editor.
    bool policyEditorOpen = false;
    std::string policyText;
    std::string policyError;

    std::string actionMessage;  // result of the last lifecycle action
};

void DrawGovernancePanel(UiContext& ctx, GovernancePanelState& state);

// The assessment of the selected change (cached in `state`); nullptr when no
// change is selected. Shared with the inspector's summary.
const core::ChangeAssessment* GovernanceAssessment(const UiContext& ctx, GovernancePanelState& state);

}  // namespace planner::ui
