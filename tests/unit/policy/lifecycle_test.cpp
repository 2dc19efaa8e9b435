#include <gtest/gtest.h>

#include "policy/change_model.hpp"
#include "policy/lifecycle.hpp"
#include "policy_fixtures.hpp"

using namespace planner::core;
using namespace planner::core::policy;
using namespace planner::core::policy::testing;

namespace {

constexpr TimeUtc kNow = 1'750'000'000;

class Lifecycle : public ::testing::Test {
protected:
    Lifecycle() : m_policy(defaultPolicy()) {
        m_ctx.policy = &m_policy;
        m_ctx.people = people();
        m_ctx.inputs.impact = lowImpact();
        m_ctx.inputs.now = kNow;
    }

    ChangeRequest inState(ChangeState s) const {
        ChangeRequest c = normalChange();
        c.state = s;
        return c;
    }

    TransitionOption check(const ChangeRequest& c, Action a) const { return checkTransition(c, a, m_ctx); }

    void expectAllowed(const ChangeRequest& c, Action a) const {
        TransitionOption o = check(c, a);
        EXPECT_TRUE(o.allowed) << toString(a) << ": " << o.reason;
        EXPECT_TRUE(o.reason.empty());
    }

    void expectRefused(const ChangeRequest& c, Action a, const std::string& because) const {
        TransitionOption o = check(c, a);
        EXPECT_FALSE(o.allowed) << toString(a);
        EXPECT_NE(o.reason.find(because), std::string::npos) << toString(a) << ": " << o.reason;
    }

    Policy m_policy;
    LifecycleContext m_ctx;
};

}  // namespace

TEST_F(Lifecycle, EveryActionIsListedWithItsReason) {
    auto options = availableTransitions(inState(ChangeState::Draft), m_ctx);
    ASSERT_EQ(options.size(), 12u);
    int allowed = 0;
    for (const auto& o : options) {
        if (o.allowed) {
            ++allowed;
            EXPECT_TRUE(o.action == Action::Submit || o.action == Action::Cancel) << toString(o.action);
        } else {
            EXPECT_FALSE(o.reason.empty()) << toString(o.action);
        }
    }
    EXPECT_EQ(allowed, 2);
    EXPECT_EQ(options[2].action, Action::Authorize);
    EXPECT_EQ(options[2].reason, "Not possible from draft; only from assessed.");
    EXPECT_EQ(options[0].to, ChangeState::Submitted);
    EXPECT_EQ(actionFromString("roll_back"), Action::RollBack);
    EXPECT_FALSE(actionFromString("approve").has_value());
}

TEST_F(Lifecycle, SubmitGuards) {
    ChangeRequest c = inState(ChangeState::Draft);
    expectAllowed(c, Action::Submit);
    ChangeRequest untitled = c;
    untitled.title.clear();
    expectRefused(untitled, Action::Submit, "title");
    ChangeRequest noCi = c;
    noCi.affectedCis.clear();
    expectRefused(noCi, Action::Submit, "affected CI");
    ChangeRequest noSteps = c;
    noSteps.steps.clear();
    expectRefused(noSteps, Action::Submit, "runbook step");
}

TEST_F(Lifecycle, AssessNeedsTheQuestionnaireUnlessTheModelFixesRisk) {
    ChangeRequest c = inState(ChangeState::Submitted);
    expectAllowed(c, Action::Assess);
    c.questionnaire.erase("data");
    expectRefused(c, Action::Assess, "unanswered: data");

    ChangeRequest standard = changeFromModel(*findModel(m_policy, "std-cert-renewal"), "CHG0000500");
    standard.affectedCis = {"web-01"};
    standard.state = ChangeState::Submitted;
    expectAllowed(standard, Action::Assess);

    m_policy.lifecycle.requireQuestionnaireForAssessment = false;
    expectAllowed(c, Action::Assess);
}

TEST_F(Lifecycle, AuthorizeGuards) {
    ChangeRequest c = inState(ChangeState::Assessed);
    expectRefused(c, Action::Authorize, "approvals still pending for change_manager (change_manager, any)");
    c.approvals = {approval("carol", "change_manager", Decision::Approve, kNow - 60)};
    expectAllowed(c, Action::Authorize);

    ChangeRequest noRollback = c;
    noRollback.steps[1].rollback.clear();
    expectRefused(noRollback, Action::Authorize, "Step(s) \"s2\" have no rollback and no reason for lacking one.");
    noRollback.steps[1].noRollbackReason = "no rollback: the config file is regenerated at boot";
    expectAllowed(noRollback, Action::Authorize);

    ChangeRequest rejected = c;
    rejected.approvals.push_back(approval("carol", "change_manager", Decision::Reject, kNow));
    expectRefused(rejected, Action::Authorize, "approval rejected for change_manager");

    ChangeRequest high = c;
    high.questionnaire["data"] = "irreversible";
    high.questionnaire["outage"] = "full";
    expectRefused(high, Action::Authorize, "cab_high_risk (cab_member, majority)");
    high.approvals.push_back(approval("dave", "cab_member", Decision::Approve, kNow));
    high.approvals.push_back(approval("erin", "cab_member", Decision::Approve, kNow));
    expectAllowed(high, Action::Authorize);
}

TEST_F(Lifecycle, RejectNeedsARejectedApproval) {
    ChangeRequest c = inState(ChangeState::Assessed);
    expectRefused(c, Action::Reject, "No required approval has been rejected");
    c.approvals = {approval("carol", "change_manager", Decision::Reject, kNow)};
    expectAllowed(c, Action::Reject);
    auto moved = applyTransition(c, Action::Reject, m_ctx);
    ASSERT_TRUE(moved.ok());
    EXPECT_EQ(moved->state, ChangeState::Rejected);
}

TEST_F(Lifecycle, ScheduleGuards) {
    ChangeRequest c = inState(ChangeState::Authorized);
    expectRefused(c, Action::Schedule, "set both the planned start and the planned end");
    c.plannedStart = kNow + 3600;
    c.plannedEnd = kNow + 3600;
    expectRefused(c, Action::Schedule, "planned end must come after the planned start");
    c.plannedEnd = kNow + 7200;
    expectAllowed(c, Action::Schedule);
    m_ctx.inputs.schedule.conflicts = 2;
    expectRefused(c, Action::Schedule, "2 scheduling conflict(s) remain");
}

TEST_F(Lifecycle, StartGuards) {
    ChangeRequest c = inState(ChangeState::Scheduled);
    c.plannedStart = kNow + 600;
    c.plannedEnd = kNow + 7200;
    expectRefused(c, Action::Start, "before the planned start");
    m_ctx.inputs.now = kNow + 600;
    expectAllowed(c, Action::Start);

    ChangeRequest early = inState(ChangeState::Authorized);
    expectRefused(early, Action::Start, "Only emergency changes may start before being scheduled");
}

TEST_F(Lifecycle, StateOnlyTransitions) {
    for (Action a : {Action::Complete, Action::Fail}) {
        expectAllowed(inState(ChangeState::Implementing), a);
        expectRefused(inState(ChangeState::Scheduled), a, "Not possible from scheduled; only from implementing.");
    }
    expectAllowed(inState(ChangeState::Scheduled), Action::Cancel);
    expectRefused(inState(ChangeState::Implementing), Action::Cancel, "Not possible from implementing");
}

TEST_F(Lifecycle, RollBackNeedsARollbackAction) {
    ChangeRequest c = inState(ChangeState::Failed);
    expectAllowed(c, Action::RollBack);
    for (auto& s : c.steps) {
        s.rollback.clear();
        s.noRollbackReason = "nothing to undo";
    }
    expectRefused(c, Action::RollBack, "no runbook step has a rollback action");
}

TEST_F(Lifecycle, ReviewNeedsARecordedReview) {
    ChangeRequest c = inState(ChangeState::Completed);
    expectRefused(c, Action::Review, "Record the post-implementation review first");
    c.review = Review{"fine", "done", 0, 0, "", kNow};
    expectRefused(c, Action::Review, "outcome must be");
    c.review->outcome = "successful";
    expectAllowed(c, Action::Review);
}

TEST_F(Lifecycle, CloseGuards) {
    ChangeRequest c = inState(ChangeState::Completed);
    expectRefused(c, Action::Close, "Cannot close without a review");
    c.state = ChangeState::Reviewed;
    c.review = Review{"successful", "done", 0, 0, "", kNow};
    expectAllowed(c, Action::Close);

    ChangeRequest standard = changeFromModel(*findModel(m_policy, "std-cert-renewal"), "CHG0000600");
    standard.state = ChangeState::Completed;
    expectAllowed(standard, Action::Close);
    standard.review = Review{"failed", "unsuccessful", 1, 30, "", kNow};
    expectRefused(standard, Action::Close, "Cannot close without a review");
}

TEST_F(Lifecycle, EmergencyPathEndToEnd) {
    ChangeRequest c = normalChange();
    c.type = ChangeType::Emergency;
    c.questionnaire.clear();

    auto step = [&](Action a) {
        auto r = applyTransition(c, a, m_ctx);
        EXPECT_TRUE(r.ok()) << toString(a) << ": " << (r.ok() ? "" : r.error().message);
        if (r.ok()) c = r.value();
    };

    EXPECT_FALSE(emergencyStatus(c, m_ctx).flagged);
    step(Action::Submit);
    EmergencyStatus owed = emergencyStatus(c, m_ctx);
    EXPECT_TRUE(owed.flagged);
    EXPECT_TRUE(owed.retrospectiveApprovalMissing);
    EXPECT_TRUE(owed.reviewMissing);
    EXPECT_EQ(owed.reasons.size(), 3u);

    ChangeRequest noRollback = c;
    noRollback.steps[0].rollback.clear();
    expectRefused(noRollback, Action::Start, "Cannot start the emergency change: Step(s) \"s1\"");

    step(Action::Start);
    EXPECT_EQ(c.state, ChangeState::Implementing);
    EXPECT_EQ(c.updatedAt, kNow);
    step(Action::Complete);

    auto refused = applyTransition(c, Action::Close, m_ctx);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("Cannot close without a review"), std::string::npos);
    EXPECT_EQ(refused.error().file, c.id);

    c.review = Review{"successful", "fixed", 0, 0, "Patch the monitor earlier", kNow + 3600};
    step(Action::Review);
    owed = emergencyStatus(c, m_ctx);
    EXPECT_TRUE(owed.flagged);
    EXPECT_FALSE(owed.reviewMissing);
    expectRefused(c, Action::Close, "before its retrospective approval: emergency_change_manager, emergency_cab");

    c.approvals = {approval("carol", "change_manager", Decision::Approve, kNow + 4000, true),
                   approval("dave", "cab_member", Decision::Approve, kNow + 5000, true)};
    expectRefused(c, Action::Close, "retrospective approval: emergency_cab");
    EXPECT_TRUE(emergencyStatus(c, m_ctx).flagged);

    c.approvals.push_back(approval("erin", "cab_member", Decision::Approve, kNow + 5100, true));
    owed = emergencyStatus(c, m_ctx);
    EXPECT_FALSE(owed.flagged);
    EXPECT_TRUE(owed.reasons.empty());
    step(Action::Close);
    EXPECT_EQ(c.state, ChangeState::Closed);
}

TEST_F(Lifecycle, NormalPathEndToEnd) {
    ChangeRequest c = normalChange();
    c.plannedStart = kNow;
    c.plannedEnd = kNow + 3600;
    for (Action a : {Action::Submit, Action::Assess}) {
        auto r = applyTransition(c, a, m_ctx);
        ASSERT_TRUE(r.ok()) << r.error().message;
        c = r.value();
    }
    ASSERT_FALSE(applyTransition(c, Action::Start, m_ctx).ok());
    c.approvals = {approval("carol", "change_manager", Decision::Approve, kNow - 10)};
    for (Action a : {Action::Authorize, Action::Schedule, Action::Start, Action::Fail, Action::RollBack}) {
        auto r = applyTransition(c, a, m_ctx);
        ASSERT_TRUE(r.ok()) << toString(a) << ": " << r.error().message;
        c = r.value();
    }
    EXPECT_EQ(c.state, ChangeState::RolledBack);
    EXPECT_FALSE(applyTransition(c, Action::Close, m_ctx).ok());
    EXPECT_FALSE(emergencyStatus(c, m_ctx).flagged);
}
