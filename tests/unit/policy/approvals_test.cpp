#include <gtest/gtest.h>

#include "policy/approvals.hpp"
#include "policy/change_model.hpp"
#include "policy_fixtures.hpp"

#include <algorithm>

using namespace planner::core;
using namespace planner::core::policy;
using namespace planner::core::policy::testing;

namespace {

ImpactFacts criticalImpact() {
    ImpactFacts f;
    f.cis = {{"db-01", "database", 1, {"security"}},
             {"svc-pay", "business_service", 1, {}},
             {"svc-web", "business_service", 2, {}}};
    f.services = {{"svc-pay", "Payments", 1, "olga"}, {"svc-web", "Web shop", 2, "olga"}};
    f.blastRadius = 3;
    return f;
}

std::vector<std::string> ids(const std::vector<ApprovalRequirement>& reqs) {
    std::vector<std::string> out;
    for (const auto& r : reqs) out.push_back(r.id);
    return out;
}

const RequirementStatus& find(const std::vector<RequirementStatus>& all, const std::string& id) {
    auto it = std::find_if(all.begin(), all.end(), [&](const RequirementStatus& s) { return s.requirement.id == id; });
    EXPECT_NE(it, all.end()) << id;
    return *it;
}

}  // namespace

TEST(Approvals, LowRiskNormalChangeNeedsOnlyTheChangeManager) {
    const Policy p = defaultPolicy();
    auto reqs = requiredApprovals(p, normalChange(), RiskLevel::Low, lowImpact(), people());
    ASSERT_EQ(ids(reqs), std::vector<std::string>{"change_manager"});
    EXPECT_EQ(reqs[0].candidates, std::vector<std::string>{"carol"});
    EXPECT_FALSE(reqs[0].retrospective);
}

TEST(Approvals, RiskTagsAndServicesAddRequirements) {
    const Policy p = defaultPolicy();
    auto reqs = requiredApprovals(p, normalChange(), RiskLevel::High, criticalImpact(), people());
    EXPECT_EQ(ids(reqs),
              (std::vector<std::string>{"change_manager", "cab_high_risk", "security", "tier1_service_owner:svc-pay"}));
    EXPECT_EQ(reqs[1].candidates, (std::vector<std::string>{"carol", "dave", "erin"}));
    EXPECT_EQ(reqs[1].excluded, std::vector<std::string>{"bob: implements this change"});
    EXPECT_EQ(reqs[1].quorum, Quorum::Majority);
    EXPECT_EQ(reqs[2].candidates, std::vector<std::string>{"sam"});
    EXPECT_EQ(reqs[3].candidates, std::vector<std::string>{"olga"});
    EXPECT_NE(reqs[3].reason.find("Payments"), std::string::npos);

    auto moderate = requiredApprovals(p, normalChange(), RiskLevel::Moderate, criticalImpact(), people());
    const auto moderateIds = ids(moderate);
    EXPECT_EQ(std::count(moderateIds.begin(), moderateIds.end(), "cab_high_risk"), 0);
    EXPECT_EQ(moderateIds.size(), 3u);
}

TEST(Approvals, EmergencyNeedsChangeManagerAndRetrospectiveCab) {
    const Policy p = defaultPolicy();
    ChangeRequest c = normalChange();
    c.type = ChangeType::Emergency;
    auto reqs = requiredApprovals(p, c, RiskLevel::Low, lowImpact(), people());
    ASSERT_EQ(ids(reqs), (std::vector<std::string>{"emergency_change_manager", "emergency_cab"}));
    EXPECT_FALSE(reqs[0].retrospective);
    EXPECT_TRUE(reqs[1].retrospective);
}

TEST(Approvals, StandardChangeInsideItsModelNeedsNothing) {
    const Policy p = defaultPolicy();
    ChangeRequest c = changeFromModel(*findModel(p, "std-cert-renewal"), "CHG0000400");
    c.affectedCis = {"web-01"};
    EXPECT_TRUE(requiredApprovals(p, c, RiskLevel::Low, criticalImpact(), people()).empty());
    c.steps.pop_back();
    EXPECT_FALSE(requiredApprovals(p, c, RiskLevel::Low, criticalImpact(), people()).empty());
}

TEST(Approvals, SeparationOfDutiesBarsRequesterImplementerAndStepOwners) {
    const Policy p = defaultPolicy();
    ChangeRequest c = normalChange();
    c.requester = "carol";
    c.steps[1].owner = "dave";
    EXPECT_EQ(separationConflict(p, c, "carol"), "requested this change");
    EXPECT_EQ(separationConflict(p, c, "bob"), "implements this change");
    EXPECT_EQ(separationConflict(p, c, "dave"), "owns runbook step \"s2\"");
    EXPECT_EQ(separationConflict(p, c, "erin"), "");

    auto reqs = requiredApprovals(p, c, RiskLevel::High, lowImpact(), people());
    ASSERT_EQ(ids(reqs), (std::vector<std::string>{"change_manager", "cab_high_risk"}));
    EXPECT_TRUE(reqs[0].candidates.empty());
    EXPECT_EQ(reqs[1].candidates, std::vector<std::string>{"erin"});

    c.approvals = {approval("carol", "change_manager", Decision::Approve, 10),
                   approval("bob", "cab_member", Decision::Approve, 11),
                   approval("erin", "cab_member", Decision::Approve, 12)};
    auto statuses = evaluateApprovals(p, c, reqs);
    const auto& cm = find(statuses, "change_manager");
    EXPECT_EQ(cm.state, RequirementState::Pending);
    EXPECT_TRUE(cm.approvedBy.empty());
    ASSERT_EQ(cm.notes.size(), 2u);
    EXPECT_EQ(cm.notes[0], "The decision of carol does not count: carol requested this change.");
    EXPECT_EQ(cm.notes[1], "Nobody is eligible to give this approval.");
    const auto& cab = find(statuses, "cab_high_risk");
    EXPECT_EQ(cab.state, RequirementState::Satisfied);
    EXPECT_EQ(cab.approvedBy, std::vector<std::string>{"erin"});
    EXPECT_EQ(cab.notes, std::vector<std::string>{"The decision of bob does not count: bob implements this change."});

    Policy relaxed = p;
    relaxed.separation.excludeImplementer = false;
    EXPECT_EQ(separationConflict(relaxed, c, "bob"), "owns runbook step \"s1\"");
    relaxed.separation.excludeStepOwners = false;
    EXPECT_EQ(separationConflict(relaxed, c, "bob"), "");
}

TEST(Approvals, QuorumRules) {
    EXPECT_EQ(quorumNeeded(Quorum::Any, 3), 1);
    EXPECT_EQ(quorumNeeded(Quorum::All, 3), 3);
    EXPECT_EQ(quorumNeeded(Quorum::Majority, 3), 2);
    EXPECT_EQ(quorumNeeded(Quorum::Majority, 4), 3);
    EXPECT_EQ(quorumNeeded(Quorum::Majority, 0), 0);

    const Policy p = defaultPolicy();
    ChangeRequest c = normalChange();
    auto base = requiredApprovals(p, c, RiskLevel::High, lowImpact(), people());
    ApprovalRequirement cab = base[1];
    ASSERT_EQ(cab.candidates.size(), 3u);

    auto stateWith = [&](Quorum q, std::vector<Approval> given) {
        ApprovalRequirement r = cab;
        r.quorum = q;
        ChangeRequest x = c;
        x.approvals = std::move(given);
        return evaluateApprovals(p, x, {r})[0].state;
    };
    const Approval carolYes = approval("carol", "cab_member", Decision::Approve, 1);
    const Approval daveYes = approval("dave", "cab_member", Decision::Approve, 2);
    const Approval daveNo = approval("dave", "cab_member", Decision::Reject, 2);
    const Approval erinNo = approval("erin", "cab_member", Decision::Reject, 3);
    const Approval erinYes = approval("erin", "cab_member", Decision::Approve, 3);

    EXPECT_EQ(stateWith(Quorum::Any, {}), RequirementState::Pending);
    EXPECT_EQ(stateWith(Quorum::Any, {carolYes}), RequirementState::Satisfied);
    EXPECT_EQ(stateWith(Quorum::Any, {daveNo, erinNo}), RequirementState::Pending);
    EXPECT_EQ(stateWith(Quorum::Any, {daveNo, erinNo, approval("carol", "cab_member", Decision::Reject, 4)}),
              RequirementState::Rejected);

    EXPECT_EQ(stateWith(Quorum::All, {carolYes, daveYes}), RequirementState::Pending);
    EXPECT_EQ(stateWith(Quorum::All, {carolYes, daveYes, erinYes}), RequirementState::Satisfied);
    EXPECT_EQ(stateWith(Quorum::All, {carolYes, erinNo}), RequirementState::Rejected);

    EXPECT_EQ(stateWith(Quorum::Majority, {carolYes}), RequirementState::Pending);
    EXPECT_EQ(stateWith(Quorum::Majority, {carolYes, daveYes}), RequirementState::Satisfied);
    EXPECT_EQ(stateWith(Quorum::Majority, {carolYes, daveNo}), RequirementState::Pending);
    EXPECT_EQ(stateWith(Quorum::Majority, {daveNo, erinNo}), RequirementState::Rejected);

    // Only the latest decision of each approver counts, whatever the list order.
    EXPECT_EQ(
        stateWith(Quorum::All, {approval("erin", "cab_member", Decision::Approve, 50), carolYes, daveYes, erinNo}),
        RequirementState::Satisfied);
    // A decision given under another role does not count for the CAB.
    EXPECT_EQ(stateWith(Quorum::Any, {approval("carol", "change_manager", Decision::Approve, 1)}),
              RequirementState::Pending);
}

TEST(Approvals, ServiceOwnerRequirementAcceptsOnlyThatOwner) {
    const Policy p = defaultPolicy();
    ChangeRequest c = normalChange();
    auto reqs = requiredApprovals(p, c, RiskLevel::Low, criticalImpact(), people());
    ASSERT_EQ(reqs.back().id, "tier1_service_owner:svc-pay");
    c.approvals = {approval("sam", "service_owner", Decision::Approve, 5)};
    auto st = evaluateApprovals(p, c, {reqs.back()})[0];
    EXPECT_EQ(st.state, RequirementState::Pending);
    ASSERT_EQ(st.notes.size(), 1u);
    EXPECT_NE(st.notes[0].find("not an eligible service_owner for svc-pay"), std::string::npos);
    c.approvals.push_back(approval("olga", "service_owner", Decision::Approve, 6));
    st = evaluateApprovals(p, c, {reqs.back()})[0];
    EXPECT_EQ(st.state, RequirementState::Satisfied);
    EXPECT_EQ(st.approvedBy, std::vector<std::string>{"olga"});
    EXPECT_STREQ(toString(st.state), "satisfied");
}
