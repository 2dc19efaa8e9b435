// Required approvals derived from the policy's approval rules, separation of
// duties, CAB quorum, and the evaluation of the approvals a change carries.
#pragma once

#include "model/model.hpp"
#include "policy/policy.hpp"
#include "policy/risk.hpp"

#include <string>
#include <vector>

namespace planner::core::policy {

struct ApprovalRequirement {
    std::string id;  // rule id, or "rule id:service id" for per-service rules
    std::string ruleId;
    std::string role;
    std::string reason;
    Quorum quorum = Quorum::Any;
    bool retrospective = false;           // may be given after implementation
    std::string serviceId;                // set for per-service requirements
    std::vector<std::string> candidates;  // person ids allowed to approve (separation of duties applied)
    std::vector<std::string> excluded;    // "person: why" for holders of the role barred from this change
};

enum class RequirementState { Satisfied, Pending, Rejected };

struct RequirementStatus {
    ApprovalRequirement requirement;
    RequirementState state = RequirementState::Pending;
    int needed = 0;                       // approvals needed under the quorum
    std::vector<std::string> approvedBy;  // person ids, latest decision of each
    std::vector<std::string> rejectedBy;
    std::vector<std::string> notes;  // approvals that did not count, and why
};

// Why `personId` may not approve `change` ("" if nothing bars them).
std::string separationConflict(const Policy& policy, const ChangeRequest& change, const std::string& personId);

// Approvals `change` needs, in policy rule order. The change's effective type
// is used (a standard change outside its model counts as normal).
std::vector<ApprovalRequirement> requiredApprovals(const Policy& policy, const ChangeRequest& change, RiskLevel risk,
                                                   const ImpactFacts& impact, const std::vector<Person>& people);

// Evaluates change.approvals against each requirement; per approver only the
// latest decision (by time) counts.
std::vector<RequirementStatus> evaluateApprovals(const Policy& policy, const ChangeRequest& change,
                                                 const std::vector<ApprovalRequirement>& requirements);

// Approvals needed for `eligible` candidates under `quorum` (0 when nobody is eligible).
int quorumNeeded(Quorum quorum, int eligible);

const char* toString(RequirementState);

}  // namespace planner::core::policy
