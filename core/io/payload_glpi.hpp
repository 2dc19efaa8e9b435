// GLPI payload: one envelope ("planner.glpi", version 2): "Change" is the body
// of POST apirest.php/Change/ (in the site's entity, rich-text fields as
// HTML); "Change_Item" lists the affected CIs as (itemtype, name) for the
// poster to look up and link; "ChangeTask" holds the task inputs (the poster
// sets changes_id); "ChangeValidation" lists validation requests for the
// signers of verified approvals (GLPI creates them waiting; the poster looks
// the user up); "ITILFollowup" is a private follow-up listing the verified
// signatures, or null. Times are UTC "YYYY-MM-DD HH:MM:SS". docs/ticketing.md.
#pragma once

#include <string>

#include "util/result.hpp"

#include "io/export_context.hpp"
#include "model/model.hpp"

namespace planner::core::io {

// GLPI Change status: 1 New, 9 Evaluation, 10 Approval, 7 Accepted, 4 Pending,
// 11 Testing, 12 Qualification, 5 Applied, 8 Review, 6 Closed, 14 Cancelled, 13 Refused.
int glpiStatus(ChangeState state);

// GLPI itemtype for a CI type (Computer, NetworkEquipment, DatabaseInstance, Software, Appliance, ...).
std::string glpiItemType(const std::string& ciType);

// Canonical JSON envelope for `change`; refused when the GLPI entity is not set.
Result<std::string> glpiPayload(const ChangeRequest& change, const ExportContext& ctx);

}  // namespace planner::core::io
