// ServiceNow payload: one envelope ("planner.servicenow", version 1) holding the
// change_request Table API body, one task_ci record per affected CI and one
// change_task per runbook step. All field values are strings, as the Table API
// returns them; times are UTC "YYYY-MM-DD HH:MM:SS".
#pragma once

#include <string>

#include "io/export_context.hpp"
#include "model/model.hpp"

namespace planner::core::io {

// ServiceNow change_request state code: -5 New, -4 Assess, -3 Authorize,
// -2 Scheduled, -1 Implement, 0 Review, 3 Closed, 4 Canceled.
int serviceNowState(ChangeState state);

// ServiceNow risk code (1 Very High, 2 High, 3 Moderate, 4 Low); moderate when unknown.
int serviceNowRisk(std::optional<RiskLevel> risk);

// Canonical JSON envelope for `change`; see docs/ticketing.md for how to post it.
std::string serviceNowPayload(const ChangeRequest& change, const ExportContext& ctx);

}  // namespace planner::core::io
