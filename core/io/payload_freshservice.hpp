// Freshservice payload: one envelope ("planner.freshservice", version 2):
// "create" is the body of POST /api/v2/changes (with the site's requester_id,
// Freshservice's numeric codes, times ISO 8601 UTC "...Z"); "update" is the
// body of PUT /api/v2/changes/{id} setting the planning fields, which client
// libraries set in a second call; "note" is the body of
// POST /api/v2/changes/{id}/notes listing the verified approval signatures,
// or null. docs/ticketing.md, section 8.
#pragma once

#include <string>

#include "util/result.hpp"

#include "io/export_context.hpp"
#include "model/model.hpp"

namespace planner::core::io {

// Freshservice change status: 1 Open, 2 Planning, 3 Awaiting Approval,
// 4 Pending Release, 5 Pending Review, 6 Closed.
int freshserviceStatus(ChangeState state);

// Freshservice change_type: 1 Minor, 2 Standard, 3 Major, 4 Emergency (normal
// changes of high or very high risk are Major, other normal changes Minor).
int freshserviceChangeType(ChangeType type, std::optional<RiskLevel> risk);

// Canonical JSON envelope; refused when the requester is not set.
Result<std::string> freshservicePayload(const ChangeRequest& change, const ExportContext& ctx);

}  // namespace planner::core::io
