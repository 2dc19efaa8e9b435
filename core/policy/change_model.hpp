// Standard change models: a change created from a model stays a pre-approved
// standard change only while it keeps the model's steps, CIs and durations.
#pragma once

#include "model/model.hpp"
#include "policy/policy.hpp"

#include <string>
#include <vector>

namespace planner::core::policy {

struct ModelCheck {
    bool modelFound = false;
    bool withinBounds = false;  // true only for a standard change inside a known model
    ChangeType effectiveType = ChangeType::Normal;
    std::vector<std::string> violations;  // one sentence per way the change leaves the model
};

// Checks `change` against the model it names. A standard change outside its
// model (or naming none) gets effectiveType Normal and the reasons why.
ModelCheck checkModelBounds(const Policy& policy, const ChangeRequest& change);

// A new standard change carrying the model's fixed steps (duration = the step's
// limit) and its id; the caller fills requester, CIs and schedule.
ChangeRequest changeFromModel(const ChangeModel& model, const std::string& changeId);

// True when `ciId` matches one of the model's allowed patterns ('*' matches any
// run of characters); an empty list allows every CI.
bool modelAllowsCi(const ChangeModel& model, const std::string& ciId);

}  // namespace planner::core::policy
