// New changes: the next free id, a blank draft, a draft from a standard model,
// and a duplicate that keeps the plan but none of the decisions.
#pragma once

#include <string>

#include "model/model.hpp"
#include "policy/policy.hpp"

namespace planner::core {

// "CHG" + 7 digits, one above the highest numeric CHG id in `data` (CHG0000001 when none).
std::string nextChangeId(const WorkspaceData& data);

// A draft with the given title; requester, owner and implementer set to `person`.
ChangeRequest blankChange(const std::string& id, const std::string& title, const std::string& person,
                          const std::string& timeZone, TimeUtc now);

// A draft from a standard change model: its steps, rollback actions and risk
// come from the model (the change stays pre-approved while inside it).
ChangeRequest draftFromModel(const policy::ChangeModel& model, const std::string& id, const std::string& person,
                             const std::string& timeZone, TimeUtc now);

// A copy of `source` as a new draft: same description, CIs and runbook; no
// schedule, approvals, review, drift declarations kept; title prefixed "Copy of".
ChangeRequest duplicateChange(const ChangeRequest& source, const std::string& id, TimeUtc now);

}  // namespace planner::core
