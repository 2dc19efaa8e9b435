#include "policy/lifecycle.hpp"
#include "policy/change_model.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <initializer_list>

namespace planner::core::policy {
namespace {

using S = ChangeState;

constexpr std::array<std::pair<Action, const char*>, 12> kActions{{{Action::Submit, "submit"},
                                                                   {Action::Assess, "assess"},
                                                                   {Action::Authorize, "authorize"},
                                                                   {Action::Reject, "reject"},
                                                                   {Action::Schedule, "schedule"},
                                                                   {Action::Start, "start"},
                                                                   {Action::Complete, "complete"},
                                                                   {Action::Fail, "fail"},
                                                                   {Action::RollBack, "roll_back"},
                                                                   {Action::Review, "review"},
                                                                   {Action::Close, "close"},
                                                                   {Action::Cancel, "cancel"}}};

struct Edge {
    std::vector<S> from;
    S to;
};

Edge edgeOf(Action a, ChangeType type) {
    switch (a) {
        case Action::Submit:
            return {{S::Draft}, S::Submitted};
        case Action::Assess:
            return {{S::Submitted}, S::Assessed};
        case Action::Authorize:
            return {{S::Assessed}, S::Authorized};
        case Action::Reject:
            return {{S::Submitted, S::Assessed}, S::Rejected};
        case Action::Schedule:
            return {{S::Authorized}, S::Scheduled};
        case Action::Start:
            if (type == ChangeType::Emergency)
                return {{S::Submitted, S::Assessed, S::Authorized, S::Scheduled}, S::Implementing};
            return {{S::Scheduled}, S::Implementing};
        case Action::Complete:
            return {{S::Implementing}, S::Completed};
        case Action::Fail:
            return {{S::Implementing}, S::Failed};
        case Action::RollBack:
            return {{S::Implementing, S::Failed}, S::RolledBack};
        case Action::Review:
            return {{S::Completed, S::Failed, S::RolledBack}, S::Reviewed};
        case Action::Close:
            return {{S::Completed, S::Reviewed}, S::Closed};
        case Action::Cancel:
            return {{S::Draft, S::Submitted, S::Assessed, S::Authorized, S::Scheduled}, S::Cancelled};
    }
    return {{}, S::Draft};
}

std::string joinList(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::string stepsLackingRollback(const ChangeRequest& change) {
    std::vector<std::string> ids;
    for (const Step& s : change.steps)
        if (s.rollback.empty() && s.noRollbackReason.empty()) ids.push_back("\"" + s.id + "\"");
    if (ids.empty()) return {};
    return "Step(s) " + joinList(ids) + " have no rollback and no reason for lacking one.";
}

bool reviewRequired(const Policy& policy, const ChangeRequest& change) {
    const auto& types = policy.lifecycle.reviewRequiredFor;
    if (std::find(types.begin(), types.end(), change.type) != types.end()) return true;
    if (!policy.lifecycle.reviewRequiredAfterFailure) return false;
    if (change.review && (change.review->outcome == "failed" || change.review->outcome == "rolled_back")) return true;
    return false;
}

bool validOutcome(const std::string& outcome) {
    return outcome == "successful" || outcome == "successful_with_issues" || outcome == "failed" ||
           outcome == "rolled_back";
}

std::string pendingList(const std::vector<RequirementStatus>& statuses, bool includeRetrospective,
                        RequirementState state) {
    std::vector<std::string> items;
    for (const auto& s : statuses)
        if (s.state == state && (includeRetrospective || !s.requirement.retrospective))
            items.push_back(s.requirement.id + " (" + s.requirement.role + ", " + toString(s.requirement.quorum) + ")");
    return joinList(items);
}

std::string guardReason(const ChangeRequest& change, Action action, const LifecycleContext& ctx) {
    const Policy& policy = *ctx.policy;
    switch (action) {
        case Action::Submit: {
            if (change.title.empty()) return "Give the change a title before submitting it.";
            if (change.affectedCis.empty()) return "Name at least one affected CI before submitting.";
            if (change.steps.empty()) return "Add at least one runbook step before submitting.";
            return {};
        }
        case Action::Assess: {
            if (!policy.lifecycle.requireQuestionnaireForAssessment) return {};
            if (checkModelBounds(policy, change).withinBounds) return {};
            RiskAssessment risk = assessRisk(policy, change, ctx.inputs);
            if (!risk.unanswered.empty())
                return "Answer the risk questionnaire first; unanswered: " + joinList(risk.unanswered) + ".";
            return {};
        }
        case Action::Authorize: {
            std::string missing = stepsLackingRollback(change);
            if (!missing.empty()) return "Cannot authorize: " + missing;
            auto statuses = approvalStatus(change, ctx);
            std::string rejected = pendingList(statuses, true, RequirementState::Rejected);
            if (!rejected.empty()) return "Cannot authorize: approval rejected for " + rejected + ".";
            std::string pending = pendingList(statuses, false, RequirementState::Pending);
            if (!pending.empty()) return "Cannot authorize: approvals still pending for " + pending + ".";
            return {};
        }
        case Action::Reject: {
            auto statuses = approvalStatus(change, ctx);
            if (pendingList(statuses, true, RequirementState::Rejected).empty())
                return "No required approval has been rejected.";
            return {};
        }
        case Action::Schedule: {
            if (change.plannedStart <= 0 || change.plannedEnd <= 0)
                return "Cannot schedule: set both the planned start and the planned end.";
            if (change.plannedEnd <= change.plannedStart)
                return "Cannot schedule: the planned end must come after the planned start.";
            if (ctx.inputs.schedule.conflicts > 0)
                return "Cannot schedule: " + std::to_string(ctx.inputs.schedule.conflicts) +
                       " scheduling conflict(s) remain.";
            return {};
        }
        case Action::Start: {
            if (change.state != S::Scheduled) {
                std::string missing = stepsLackingRollback(change);
                if (!missing.empty()) return "Cannot start the emergency change: " + missing;
                return {};
            }
            if (policy.lifecycle.forbidStartBeforePlannedStart && change.type != ChangeType::Emergency &&
                ctx.inputs.now < change.plannedStart)
                return "Cannot start before the planned start.";
            return {};
        }
        case Action::Complete:
        case Action::Fail:
        case Action::Cancel:
            return {};
        case Action::RollBack: {
            bool any = std::any_of(change.steps.begin(), change.steps.end(),
                                   [](const Step& s) { return !s.rollback.empty(); });
            if (!any) return "Cannot roll back: no runbook step has a rollback action.";
            return {};
        }
        case Action::Review: {
            if (!change.review) return "Record the post-implementation review first.";
            if (!validOutcome(change.review->outcome))
                return "The review's outcome must be successful, successful_with_issues, failed or rolled_back.";
            return {};
        }
        case Action::Close: {
            if (change.state != S::Reviewed && reviewRequired(policy, change))
                return std::string("Cannot close without a review: ") + toString(change.type) +
                       " changes are reviewed after implementation.";
            if (change.type == ChangeType::Emergency) {
                auto statuses = approvalStatus(change, ctx);
                std::vector<std::string> owed;
                for (const auto& s : statuses)
                    if (s.state != RequirementState::Satisfied) owed.push_back(s.requirement.id);
                if (!owed.empty())
                    return "Cannot close the emergency change before its retrospective approval: " + joinList(owed) +
                           ".";
            }
            return {};
        }
    }
    return {};
}

}  // namespace

std::vector<RequirementStatus> approvalStatus(const ChangeRequest& change, const LifecycleContext& ctx) {
    assert(ctx.policy);
    RiskAssessment risk = assessRisk(*ctx.policy, change, ctx.inputs);
    auto reqs = requiredApprovals(*ctx.policy, change, risk.level, ctx.inputs.impact, ctx.people);
    return evaluateApprovals(*ctx.policy, change, reqs);
}

TransitionOption checkTransition(const ChangeRequest& change, Action action, const LifecycleContext& ctx) {
    assert(ctx.policy);
    Edge edge = edgeOf(action, change.type);
    TransitionOption out;
    out.action = action;
    out.to = edge.to;
    if (std::find(edge.from.begin(), edge.from.end(), change.state) == edge.from.end()) {
        std::vector<std::string> names;
        for (S s : edge.from) names.push_back(toString(s));
        out.reason =
            std::string("Not possible from ") + toString(change.state) + "; only from " + joinList(names) + ".";
        if (action == Action::Start && change.type != ChangeType::Emergency && change.state != S::Scheduled &&
            (change.state == S::Submitted || change.state == S::Assessed || change.state == S::Authorized))
            out.reason += " Only emergency changes may start before being scheduled.";
        return out;
    }
    out.fromCurrentState = true;
    out.reason = guardReason(change, action, ctx);
    out.allowed = out.reason.empty();
    return out;
}

std::vector<TransitionOption> availableTransitions(const ChangeRequest& change, const LifecycleContext& ctx) {
    std::vector<TransitionOption> out;
    for (const auto& [action, name] : kActions) out.push_back(checkTransition(change, action, ctx));
    return out;
}

Result<ChangeRequest> applyTransition(const ChangeRequest& change, Action action, const LifecycleContext& ctx) {
    TransitionOption option = checkTransition(change, action, ctx);
    if (!option.allowed) return Error{option.reason, change.id, 0, 0};
    ChangeRequest next = change;
    next.state = option.to;
    next.updatedAt = ctx.inputs.now;
    return next;
}

EmergencyStatus emergencyStatus(const ChangeRequest& change, const LifecycleContext& ctx) {
    EmergencyStatus out;
    if (change.type != ChangeType::Emergency) return out;
    if (change.state == S::Draft || change.state == S::Cancelled || change.state == S::Rejected) return out;
    auto statuses = approvalStatus(change, ctx);
    for (const auto& s : statuses) {
        if (s.state == RequirementState::Satisfied) continue;
        out.retrospectiveApprovalMissing = true;
        out.reasons.push_back("Approval " + s.requirement.id + " (" + s.requirement.role + ") is " + toString(s.state) +
                              ".");
    }
    if (!change.review) {
        out.reviewMissing = true;
        out.reasons.push_back("The mandatory post-implementation review has not been recorded.");
    }
    out.flagged = out.retrospectiveApprovalMissing || out.reviewMissing;
    return out;
}

const char* toString(Action a) {
    for (const auto& [action, name] : kActions)
        if (action == a) return name;
    return "?";
}

std::optional<Action> actionFromString(const std::string& s) {
    for (const auto& [action, name] : kActions)
        if (s == name) return action;
    return std::nullopt;
}

}  // namespace planner::core::policy
