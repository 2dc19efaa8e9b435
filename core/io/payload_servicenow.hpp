// ServiceNow payload: one envelope ("planner.servicenow", version 2) for the
// Table API, posted without sysparm_input_display_value (choice fields carry
// their values, times are UTC "YYYY-MM-DD HH:MM:SS"): the change_request
// record (created in state New), one task_ci record per affected CI and one
// change_task per runbook step, each as {"fields", "references"} where a
// reference names the record (table, name) the poster resolves to a sys_id;
// then the state moves the change model allows, in order, and a work note
// listing the verified approval signatures. docs/ticketing.md, section 4.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/export_context.hpp"
#include "model/model.hpp"

namespace planner::core::io {

// ServiceNow change_request state code: -5 New, -4 Assess, -3 Authorize,
// -2 Scheduled, -1 Implement, 0 Review, 3 Closed, 4 Canceled.
int serviceNowState(ChangeState state);

// ServiceNow risk code (1 Very High, 2 High, 3 Moderate, 4 Low); moderate when unknown.
int serviceNowRisk(std::optional<RiskLevel> risk);

// The states (values) a change is moved through after it was created in New,
// in the order the ServiceNow change model of its type allows, ending at
// serviceNowState(state): normal New > Assess > Authorize > Scheduled >
// Implement > Review > Closed; emergency skips Assess; standard goes from
// New to Scheduled; Canceled is reached directly.
std::vector<int> serviceNowStateMoves(ChangeType type, ChangeState state);

// The risk a signed ServiceNow payload carries (change_request risk code),
// so that a payload made later from the same bundle (Jira) says the same;
// nullopt when the text is not such a payload.
std::optional<RiskLevel> serviceNowPayloadRisk(std::string_view json);

// Canonical JSON envelope for `change`; see docs/ticketing.md for how to post it.
std::string serviceNowPayload(const ChangeRequest& change, const ExportContext& ctx);

}  // namespace planner::core::io
