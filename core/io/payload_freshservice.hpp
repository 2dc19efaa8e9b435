// Freshservice payload: the body of POST /api/v2/changes with the numeric codes
// of Freshservice and the planning fields; times are ISO 8601 UTC ("...Z").
// requester_id is site-specific and is added by the poster (docs/ticketing.md).
#pragma once

#include <string>

#include "io/export_context.hpp"
#include "model/model.hpp"

namespace planner::core::io {

// Freshservice change status: 1 Open, 2 Planning, 3 Awaiting Approval,
// 4 Pending Release, 5 Pending Review, 6 Closed.
int freshserviceStatus(ChangeState state);

// Freshservice change_type: 1 Minor, 2 Standard, 3 Major, 4 Emergency (normal
// changes of high or very high risk are Major, other normal changes Minor).
int freshserviceChangeType(ChangeType type, std::optional<RiskLevel> risk);

// Canonical JSON body for `change`.
std::string freshservicePayload(const ChangeRequest& change, const ExportContext& ctx);

}  // namespace planner::core::io
