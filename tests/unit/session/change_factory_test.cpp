#include <gtest/gtest.h>

#include "policy/change_model.hpp"
#include "policy/policy.hpp"
#include "session/change_factory.hpp"

using namespace planner::core;

TEST(ChangeFactory, NextIdIsOneAboveTheHighestNumericId) {
    WorkspaceData d;
    EXPECT_EQ(nextChangeId(d), "CHG0000001");
    for (const char* id : {"CHG0000041", "CHG0001052", "CHGX", "INC0009999", "CHG0000999"}) {
        ChangeRequest c;
        c.id = id;
        d.changes.push_back(c);
    }
    EXPECT_EQ(nextChangeId(d), "CHG0001053");
}

TEST(ChangeFactory, DuplicateKeepsThePlanButNoDecisions) {
    ChangeRequest src;
    src.id = "CHG0000001";
    src.title = "Patch";
    src.state = ChangeState::Closed;
    src.affectedCis = {"db-1"};
    src.steps.resize(2);
    src.plannedStart = 100;
    src.plannedEnd = 200;
    src.approvals.push_back(Approval{"p", "cab_member", Decision::Approve, 5, "", "", false});
    src.review = Review{};
    const ChangeRequest d = duplicateChange(src, "CHG0000002", 999);
    EXPECT_EQ(d.id, "CHG0000002");
    EXPECT_EQ(d.title, "Copy of Patch");
    EXPECT_EQ(d.state, ChangeState::Draft);
    EXPECT_EQ(d.affectedCis, src.affectedCis);
    EXPECT_EQ(d.steps.size(), 2u);
    EXPECT_EQ(d.plannedStart, 0);
    EXPECT_TRUE(d.approvals.empty());
    EXPECT_FALSE(d.review.has_value());
    EXPECT_EQ(d.createdAt, 999);
}

TEST(ChangeFactory, ModelDraftIsAStandardChangeInsideItsModel) {
    const policy::Policy p = policy::defaultPolicy();
    ASSERT_FALSE(p.models.empty());
    ChangeRequest c = draftFromModel(p.models.front(), "CHG0000007", "p.alvarez", "Europe/Berlin", 42);
    EXPECT_EQ(c.type, ChangeType::Standard);
    EXPECT_EQ(c.requester, "p.alvarez");
    EXPECT_EQ(c.timeZone, "Europe/Berlin");
    EXPECT_EQ(c.steps.size(), p.models.front().steps.size());
    EXPECT_TRUE(policy::checkModelBounds(p, c).withinBounds);
    const ChangeRequest blank = blankChange("CHG0000008", "Title", "m.chen", "", 42);
    EXPECT_EQ(blank.timeZone, "UTC");
    EXPECT_EQ(blank.state, ChangeState::Draft);
    EXPECT_EQ(blank.implementer, "m.chen");
}
