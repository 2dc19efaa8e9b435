#include <gtest/gtest.h>

#include "policy/metrics.hpp"
#include "policy_fixtures.hpp"

using namespace planner::core;
using namespace planner::core::policy;
using namespace planner::core::policy::testing;

namespace {

constexpr TimeUtc kT0 = 1'700'000'000;
constexpr TimeUtc kDay = 86400;

ChangeRequest made(ChangeType type, ChangeState state, TimeUtc start, TimeUtc created,
                   std::optional<Review> review = std::nullopt) {
    ChangeRequest c = normalChange();
    c.type = type;
    c.state = state;
    c.plannedStart = start;
    c.plannedEnd = start ? start + 3600 : 0;
    c.createdAt = created;
    c.review = review;
    return c;
}

Review reviewed(const std::string& outcome, Minutes restore) {
    Review r;
    r.outcome = outcome;
    r.timeToRestore = restore;
    return r;
}

}  // namespace

TEST(Metrics, FixedHistory) {
    std::vector<ChangeRequest> changes;
    changes.push_back(
        made(ChangeType::Normal, ChangeState::Closed, kT0 + kDay, kT0 - 2 * kDay, reviewed("successful", 0)));
    changes.back().approvals = {approval("carol", "change_manager", Decision::Approve, kT0 - kDay)};
    changes.push_back(
        made(ChangeType::Normal, ChangeState::Closed, kT0 + 2 * kDay, kT0 - 3 * kDay, reviewed("failed", 60)));
    changes.back().approvals = {approval("carol", "change_manager", Decision::Reject, kT0 - 2 * kDay),
                                approval("carol", "change_manager", Decision::Approve, kT0 - kDay),
                                approval("dave", "cab_member", Decision::Approve, kT0, true)};
    changes.push_back(made(ChangeType::Emergency, ChangeState::Reviewed, kT0 + 8 * kDay, kT0 + 8 * kDay,
                           reviewed("rolled_back", 30)));
    changes.back().approvals = {approval("dave", "cab_member", Decision::Approve, kT0 + 9 * kDay, true)};
    changes.push_back(made(ChangeType::Standard, ChangeState::Completed, 0, kT0 + 15 * kDay));
    changes.push_back(made(ChangeType::Normal, ChangeState::Implementing, kT0 + 22 * kDay, kT0 + 20 * kDay));
    changes.push_back(made(ChangeType::Normal, ChangeState::Failed, kT0 + 30 * kDay, kT0 + 29 * kDay));
    changes.push_back(made(ChangeType::Emergency, ChangeState::Closed, kT0 - 1, kT0 - 1, reviewed("successful", 0)));

    std::vector<DriftReport> drift(3);
    drift[0].observedAt = kT0 + 5 * kDay;
    drift[0].unexpected = 2;
    drift[1].observedAt = kT0 + 40 * kDay;
    drift[1].unexpected = 1;
    drift[2].observedAt = kT0 + 6 * kDay;
    drift[2].unexpected = 0;

    GovernanceMetrics m = computeMetrics(changes, drift, {kT0, kT0 + 28 * kDay});
    EXPECT_EQ(m.changes, 5);
    EXPECT_EQ(m.standard, 1);
    EXPECT_EQ(m.normal, 3);
    EXPECT_EQ(m.emergency, 1);
    EXPECT_EQ(m.succeeded, 2);
    EXPECT_EQ(m.failed, 1);
    EXPECT_EQ(m.rolledBack, 1);
    EXPECT_EQ(m.successRatePermille, 500);
    EXPECT_EQ(m.emergencySharePermille, 200);
    EXPECT_EQ(m.unauthorizedDetected, 2);
    EXPECT_EQ(m.driftReportsWithUnauthorized, 1);
    EXPECT_EQ(m.meanTimeToRestoreMinutes, 45);
    EXPECT_EQ(m.timeToRestoreSamples, 2);
    EXPECT_EQ(m.approvalLeadSamples, 2);
    EXPECT_EQ(m.meanApprovalLeadSeconds, (kDay + 2 * kDay) / 2);
    ASSERT_EQ(m.changesPerWeek.size(), 4u);
    const std::int64_t perWeek[] = {2, 1, 1, 1};
    for (int w = 0; w < 4; ++w) {
        EXPECT_EQ(m.changesPerWeek[w].weekStart, kT0 + w * 7 * kDay);
        EXPECT_EQ(m.changesPerWeek[w].count, perWeek[w]) << w;
    }

    GovernanceMetrics partial = computeMetrics(changes, drift, {kT0, kT0 + 8 * kDay + 1});
    EXPECT_EQ(partial.changesPerWeek.size(), 2u);
    EXPECT_EQ(partial.changes, 3);
    EXPECT_EQ(partial.successRatePermille, 333);
}

TEST(Metrics, EmptyPeriodAndRounding) {
    GovernanceMetrics m = computeMetrics({}, {}, {kT0, kT0 + kDay});
    EXPECT_EQ(m.changes, 0);
    EXPECT_EQ(m.successRatePermille, 0);
    EXPECT_EQ(m.meanTimeToRestoreMinutes, 0);
    ASSERT_EQ(m.changesPerWeek.size(), 1u);
    EXPECT_EQ(perMille(2, 3), 667);
    EXPECT_EQ(perMille(1, 2000), 1);
    EXPECT_EQ(perMille(1, 2001), 0);
    EXPECT_EQ(perMille(5, 0), 0);
    EXPECT_EQ(referenceTime(made(ChangeType::Normal, ChangeState::Draft, 0, 42)), 42);
}
