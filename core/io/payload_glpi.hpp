// GLPI payload: one envelope ("planner.glpi", version 1) whose "Change",
// "Change_Item", "ChangeTask" and "ChangeValidation" members are each a body
// ready for POST apirest.php/<itemtype>/ ({"input": ...}). Ids GLPI assigns
// (changes_id, items_id, users_id_validate) are 0 and our references are kept
// in "_planner_*" inputs, which GLPI ignores. Times are UTC "YYYY-MM-DD HH:MM:SS".
#pragma once

#include <string>

#include "io/export_context.hpp"
#include "model/model.hpp"

namespace planner::core::io {

// GLPI Change status: 1 New, 9 Evaluation, 10 Approval, 7 Accepted, 4 Pending,
// 11 Testing, 12 Qualification, 5 Applied, 8 Review, 6 Closed, 14 Cancelled, 13 Refused.
int glpiStatus(ChangeState state);

// GLPI itemtype for a CI type (Computer, NetworkEquipment, DatabaseInstance, Software, Appliance, ...).
std::string glpiItemType(const std::string& ciType);

// Canonical JSON envelope for `change`; see docs/ticketing.md.
std::string glpiPayload(const ChangeRequest& change, const ExportContext& ctx);

}  // namespace planner::core::io
