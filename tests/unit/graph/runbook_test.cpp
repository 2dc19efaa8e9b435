#include <gtest/gtest.h>

#include <algorithm>

#include "graph/runbook.hpp"

using namespace planner::core;
using namespace planner::core::graph;

namespace {

Step step(const std::string& id, Minutes d, std::vector<std::string> deps, Minutes rb, const std::string& ci = "") {
    Step s;
    s.id = id;
    s.title = id;
    s.duration = d;
    s.dependsOn = std::move(deps);
    s.rollback = "undo " + id;
    s.rollbackDuration = rb;
    s.ci = ci;
    return s;
}

// A(10) -> B(20) -> D(15), A -> C(5) -> D. Total 45, critical A B D, C has 15 slack.
std::vector<Step> diamond() {
    return {step("A", 10, {}, 5), step("B", 20, {"A"}, 10), step("C", 5, {"A"}, 2), step("D", 15, {"B", "C"}, 8)};
}

const StepTiming& timing(const RunbookAnalysis& a, const std::string& id) {
    auto it = std::find_if(a.steps.begin(), a.steps.end(), [&](const StepTiming& t) { return t.id == id; });
    return *it;
}

bool hasMessage(const RunbookAnalysis& a, const std::string& code, const std::string& stepId) {
    return std::any_of(a.messages.begin(), a.messages.end(),
                       [&](const RunbookMessage& m) { return m.code == code && m.stepId == stepId; });
}

}  // namespace

TEST(Runbook, CriticalPathSlackAndTotalDuration) {
    auto r = analyzeRunbook(diamond());
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->totalDuration, 45);
    EXPECT_EQ(r->criticalPath, (std::vector<std::string>{"A", "B", "D"}));
    EXPECT_EQ(r->order, (std::vector<std::size_t>{0, 1, 2, 3}));
    const StepTiming& c = timing(*r, "C");
    EXPECT_EQ(c.earliestStart, 10);
    EXPECT_EQ(c.earliestFinish, 15);
    EXPECT_EQ(c.latestStart, 25);
    EXPECT_EQ(c.latestFinish, 30);
    EXPECT_EQ(c.slack, 15);
    EXPECT_FALSE(c.critical);
    EXPECT_TRUE(timing(*r, "B").critical);
    EXPECT_EQ(timing(*r, "D").earliestStart, 30);
    EXPECT_FALSE(r->hasWindow);
    EXPECT_FALSE(r->pointOfNoReturn.has_value());
}

TEST(Runbook, RollbackFromEachStepUndoesEverythingStartedInReverse) {
    auto r = analyzeRunbook(diamond());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(timing(*r, "A").rollbackFromHere, 5);   // only A started by minute 10
    EXPECT_EQ(timing(*r, "C").rollbackFromHere, 17);  // A, B, C started by minute 15
    EXPECT_EQ(timing(*r, "B").rollbackFromHere, 17);
    EXPECT_EQ(timing(*r, "D").rollbackFromHere, 25);
    EXPECT_EQ(r->fullRollbackDuration, 25);
    EXPECT_EQ(r->startOrder, (std::vector<std::size_t>{0, 1, 2, 3}));
    EXPECT_EQ(timing(*r, "C").rollbackCount, 3u);
}

TEST(Runbook, PointOfNoReturnInsideTheWindow) {
    RunbookOptions o;
    o.windowStart = 1'800'000'000;
    o.windowEnd = o.windowStart + 60 * 60;
    auto r = analyzeRunbook(diamond(), o);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->fits);
    // At minute 35 D has started: rollback 25 min ends exactly at minute 60.
    ASSERT_TRUE(r->pointOfNoReturnOffset.has_value());
    EXPECT_EQ(*r->pointOfNoReturnOffset, 35);
    EXPECT_EQ(*r->pointOfNoReturn, o.windowStart + 35 * 60);
    EXPECT_TRUE(hasMessage(*r, "rollback_exceeds_window", ""));
    EXPECT_FALSE(hasMessage(*r, "window_too_short", ""));

    o.windowEnd = o.windowStart + 90 * 60;  // everything can be undone even at the end
    r = analyzeRunbook(diamond(), o);
    EXPECT_EQ(*r->pointOfNoReturnOffset, 45);
    EXPECT_TRUE(r->messages.empty());

    o.windowEnd = o.windowStart + 40 * 60;  // 45 minutes do not fit in 40
    r = analyzeRunbook(diamond(), o);
    EXPECT_FALSE(r->fits);
    EXPECT_TRUE(hasMessage(*r, "window_too_short", ""));
    // t=10: A started (5) -> 15 <= 40; t in (10,30]: 17 -> t <= 23.
    EXPECT_EQ(*r->pointOfNoReturnOffset, 23);
}

TEST(Runbook, CycleIsAnErrorNamingItsSteps) {
    std::vector<Step> s = {step("prepare", 5, {}, 1), step("X", 5, {"prepare", "Z"}, 1), step("Y", 5, {"X"}, 1),
                           step("Z", 5, {"Y"}, 1), step("after", 5, {"Z"}, 1)};
    auto r = analyzeRunbook(s);
    ASSERT_FALSE(r.ok());
    const std::string& m = r.error().message;
    EXPECT_NE(m.find("cycle"), std::string::npos);
    EXPECT_NE(m.find("'X'"), std::string::npos) << m;
    EXPECT_NE(m.find("'Y'"), std::string::npos) << m;
    EXPECT_NE(m.find("'Z'"), std::string::npos) << m;
    EXPECT_EQ(m.find("prepare"), std::string::npos) << m;
    EXPECT_EQ(m.find("after"), std::string::npos) << m;

    std::vector<Step> self = {step("loop", 5, {"loop"}, 1)};
    auto r2 = analyzeRunbook(self);
    ASSERT_FALSE(r2.ok());
    EXPECT_NE(r2.error().message.find("'loop' -> 'loop'"), std::string::npos) << r2.error().message;
}

TEST(Runbook, DuplicateIdsAreAnError) {
    auto r = analyzeRunbook({step("a", 1, {}, 1), step("a", 2, {}, 1)});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("'a'"), std::string::npos);
}

TEST(Runbook, ValidationMessages) {
    std::vector<Step> s = diamond();
    s[1].rollback.clear();                               // B: no rollback, no reason
    s[2].rollback.clear();
    s[2].noRollbackReason = "no rollback: restore from backup";  // C: explicit reason
    s[3].ci = "CI-outside";
    s[0].ci = "CI-inside";
    s.push_back(step("lonely", 3, {}, 1));
    s.push_back(step("orphan", 3, {"missing"}, 1));
    RunbookOptions o;
    o.checkImpact = true;
    o.impactCis = {"CI-inside"};
    auto r = analyzeRunbook(s, o);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(hasMessage(*r, "missing_rollback", "B"));
    EXPECT_FALSE(hasMessage(*r, "missing_rollback", "C"));
    EXPECT_TRUE(hasMessage(*r, "ci_outside_impact", "D"));
    EXPECT_FALSE(hasMessage(*r, "ci_outside_impact", "A"));
    EXPECT_TRUE(hasMessage(*r, "isolated_step", "lonely"));
    EXPECT_TRUE(hasMessage(*r, "dangling_dependency", "orphan"));
    EXPECT_TRUE(hasMessage(*r, "unreachable_step", "orphan"));
    for (const RunbookMessage& m : r->messages) EXPECT_FALSE(m.text.empty());
    EXPECT_EQ(timing(*r, "orphan").earliestStart, 0);  // the dangling dependency is ignored
}

TEST(Runbook, LargeRandomDagRespectsDependencies) {
    std::vector<Step> s;
    std::uint64_t x = 12345;
    auto rnd = [&]() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    for (int i = 0; i < 500; ++i) {
        std::vector<std::string> deps;
        for (int k = 0; k < 3 && i > 0; ++k) deps.push_back("s" + std::to_string(rnd() % i));
        s.push_back(step("s" + std::to_string(i), static_cast<Minutes>(1 + rnd() % 30), deps, static_cast<Minutes>(rnd() % 10)));
    }
    std::reverse(s.begin(), s.end());
    auto r = analyzeRunbook(s);
    ASSERT_TRUE(r.ok());
    std::vector<std::size_t> pos(s.size());
    for (std::size_t k = 0; k < r->order.size(); ++k) pos[r->order[k]] = k;
    Minutes maxFinish = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const StepTiming& t = r->steps[i];
        EXPECT_GE(t.slack, 0);
        maxFinish = std::max(maxFinish, t.earliestFinish);
        for (const std::string& d : s[i].dependsOn) {
            std::size_t j = static_cast<std::size_t>(std::find_if(s.begin(), s.end(), [&](const Step& q) { return q.id == d; }) - s.begin());
            EXPECT_LT(pos[j], pos[i]);
            EXPECT_GE(t.earliestStart, r->steps[j].earliestFinish);
        }
    }
    EXPECT_EQ(maxFinish, r->totalDuration);
    Minutes sum = 0;
    for (const std::string& id : r->criticalPath) sum += s[static_cast<std::size_t>(std::find_if(s.begin(), s.end(), [&](const Step& q) { return q.id == id; }) - s.begin())].duration;
    EXPECT_EQ(sum, r->totalDuration);
}
