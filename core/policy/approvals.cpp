#include "policy/approvals.hpp"
#include "policy/change_model.hpp"

#include <algorithm>
#include <map>

namespace planner::core::policy {
namespace {

bool hasRole(const Person& p, const std::string& role) {
    return std::find(p.roles.begin(), p.roles.end(), role) != p.roles.end();
}

bool conditionHolds(const ApprovalCondition& when, ChangeType type, RiskLevel risk, const ImpactFacts& impact) {
    if (!when.types.empty() && std::find(when.types.begin(), when.types.end(), type) == when.types.end()) return false;
    if (when.minRisk && risk < *when.minRisk) return false;
    if (!when.ciTag.empty()) {
        bool tagged = std::any_of(impact.cis.begin(), impact.cis.end(), [&](const ImpactedCi& ci) {
            return std::find(ci.tags.begin(), ci.tags.end(), when.ciTag) != ci.tags.end();
        });
        if (!tagged) return false;
    }
    return true;
}

void addCandidate(const Policy& policy, const ChangeRequest& change, const std::string& personId,
                  ApprovalRequirement& req) {
    std::string conflict = separationConflict(policy, change, personId);
    if (conflict.empty())
        req.candidates.push_back(personId);
    else
        req.excluded.push_back(personId + ": " + conflict);
}

}  // namespace

int quorumNeeded(Quorum quorum, int eligible) {
    if (eligible <= 0) return 0;
    switch (quorum) {
        case Quorum::Any:
            return 1;
        case Quorum::All:
            return eligible;
        case Quorum::Majority:
            return eligible / 2 + 1;
    }
    return eligible;
}

std::string separationConflict(const Policy& policy, const ChangeRequest& change, const std::string& personId) {
    const SeparationOfDuties& sod = policy.separation;
    if (sod.excludeRequester && !change.requester.empty() && personId == change.requester)
        return "requested this change";
    if (sod.excludeImplementer && !change.implementer.empty() && personId == change.implementer)
        return "implements this change";
    if (sod.excludeStepOwners)
        for (const Step& s : change.steps)
            if (!s.owner.empty() && s.owner == personId) return "owns runbook step \"" + s.id + "\"";
    return {};
}

std::vector<ApprovalRequirement> requiredApprovals(const Policy& policy, const ChangeRequest& change, RiskLevel risk,
                                                   const ImpactFacts& impact, const std::vector<Person>& people) {
    const ChangeType type = checkModelBounds(policy, change).effectiveType;
    std::vector<ApprovalRequirement> out;
    for (const ApprovalRule& rule : policy.approvalRules) {
        if (!conditionHolds(rule.when, type, risk, impact)) continue;
        ApprovalRequirement base;
        base.ruleId = rule.id;
        base.role = rule.role;
        base.reason = rule.reason;
        base.quorum = rule.quorum;
        base.retrospective = rule.retrospective;
        if (rule.when.serviceTierAtMost) {
            for (const ImpactedService& service : impact.services) {
                if (service.tier > *rule.when.serviceTierAtMost) continue;
                ApprovalRequirement req = base;
                req.id = rule.id + ":" + service.id;
                req.serviceId = service.id;
                req.reason = rule.reason + " (" + (service.name.empty() ? service.id : service.name) + ")";
                if (rule.serviceOwner) {
                    if (!service.owner.empty()) addCandidate(policy, change, service.owner, req);
                } else {
                    for (const Person& p : people)
                        if (hasRole(p, rule.role)) addCandidate(policy, change, p.id, req);
                }
                out.push_back(std::move(req));
            }
            continue;
        }
        base.id = rule.id;
        for (const Person& p : people)
            if (hasRole(p, rule.role)) addCandidate(policy, change, p.id, base);
        out.push_back(std::move(base));
    }
    return out;
}

std::vector<RequirementStatus> evaluateApprovals(const Policy& policy, const ChangeRequest& change,
                                                 const std::vector<ApprovalRequirement>& requirements) {
    std::vector<const Approval*> ordered;
    for (const Approval& a : change.approvals) ordered.push_back(&a);
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const Approval* a, const Approval* b) { return a->at < b->at; });

    std::vector<RequirementStatus> out;
    for (const ApprovalRequirement& req : requirements) {
        RequirementStatus status;
        status.requirement = req;
        std::map<std::string, Decision> latest;
        for (const Approval* a : ordered) {
            if (a->role != req.role) continue;
            std::string conflict = separationConflict(policy, change, a->approver);
            if (!conflict.empty()) {
                status.notes.push_back("The decision of " + a->approver + " does not count: " + a->approver + " " +
                                       conflict + ".");
                continue;
            }
            if (std::find(req.candidates.begin(), req.candidates.end(), a->approver) == req.candidates.end()) {
                status.notes.push_back("The decision of " + a->approver + " does not count: " + a->approver +
                                       " is not an eligible " + req.role +
                                       (req.serviceId.empty() ? "" : " for " + req.serviceId) + ".");
                continue;
            }
            latest[a->approver] = a->decision;
        }
        for (const auto& [who, decision] : latest)
            (decision == Decision::Approve ? status.approvedBy : status.rejectedBy).push_back(who);
        const int eligible = static_cast<int>(req.candidates.size());
        status.needed = quorumNeeded(req.quorum, eligible);
        const int approvals = static_cast<int>(status.approvedBy.size());
        const int undecided = eligible - approvals - static_cast<int>(status.rejectedBy.size());
        if (eligible == 0) {
            status.state = RequirementState::Pending;
            status.notes.push_back("Nobody is eligible to give this approval.");
        } else if (approvals >= status.needed) {
            status.state = RequirementState::Satisfied;
        } else if (approvals + undecided < status.needed) {
            status.state = RequirementState::Rejected;
        } else {
            status.state = RequirementState::Pending;
        }
        out.push_back(std::move(status));
    }
    return out;
}

const char* toString(RequirementState s) {
    switch (s) {
        case RequirementState::Satisfied:
            return "satisfied";
        case RequirementState::Pending:
            return "pending";
        case RequirementState::Rejected:
            return "rejected";
    }
    return "?";
}

}  // namespace planner::core::policy
