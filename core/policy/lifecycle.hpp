// Change lifecycle: the transitions between ChangeState values, their guards
// (each refusal carries the reason), and the emergency path's obligations.
#pragma once

#include "model/model.hpp"
#include "policy/approvals.hpp"
#include "policy/policy.hpp"
#include "policy/risk.hpp"
#include "util/result.hpp"

#include <optional>
#include <string>
#include <vector>

namespace planner::core::policy {

enum class Action {
    Submit,
    Assess,
    Authorize,
    Reject,
    Schedule,
    Start,
    Complete,
    Fail,
    RollBack,
    Review,
    Close,
    Cancel
};

struct TransitionOption {
    Action action = Action::Submit;
    ChangeState to = ChangeState::Draft;
    bool allowed = false;
    bool fromCurrentState = false;  // the state machine has this edge from the change's state
    std::string reason;  // why it is refused; "" when allowed
};

// Everything the guards look at besides the change itself. `policy` is borrowed
// and must outlive the context.
struct LifecycleContext {
    const Policy* policy = nullptr;
    std::vector<Person> people;
    RiskInputs inputs;  // impact, schedule, history and the current time
};

struct EmergencyStatus {
    bool flagged = false;  // an emergency change still owing something
    bool retrospectiveApprovalMissing = false;
    bool reviewMissing = false;
    std::vector<std::string> reasons;
};

// Every action, in a fixed order, with whether it is allowed now and why not.
std::vector<TransitionOption> availableTransitions(const ChangeRequest& change, const LifecycleContext& ctx);

// The option for one action (same contents as in availableTransitions).
TransitionOption checkTransition(const ChangeRequest& change, Action action, const LifecycleContext& ctx);

// A copy of `change` moved by `action` (updatedAt = ctx.inputs.now), or the
// refusal reason as an Error.
Result<ChangeRequest> applyTransition(const ChangeRequest& change, Action action, const LifecycleContext& ctx);

// What an emergency change still owes (retrospective approvals, review); not
// flagged for other types.
EmergencyStatus emergencyStatus(const ChangeRequest& change, const LifecycleContext& ctx);

// Approval requirements and their status for `change` under ctx (risk assessed
// from ctx.inputs).
std::vector<RequirementStatus> approvalStatus(const ChangeRequest& change, const LifecycleContext& ctx);

const char* toString(Action);
std::optional<Action> actionFromString(const std::string&);

}  // namespace planner::core::policy
