#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "policy/policy.hpp"
#include "session/change_assessment.hpp"
#include "session/session.hpp"
#include "store/workspace.hpp"

using namespace planner::core;

namespace {

// 2026-11-18 is a Wednesday; 2026-11-21 a Saturday.
constexpr TimeUtc kWed1000 = 1794996000;  // 2026-11-18T10:00:00Z
constexpr TimeUtc kSat2300 = 1795302000;  // 2026-11-21T23:00:00Z
constexpr TimeUtc kNow = 1795000000;

std::unique_ptr<Session> emptySession(const std::string& name) {
    const char* base = std::getenv("PLANNER_TEST_TMP");
    std::filesystem::path dir = std::filesystem::path(base ? base : "/tmp") / ("assess-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto created = store::Workspace::create(dir.string(), "w");
    EXPECT_TRUE(created.ok());
    auto s = Session::open(dir.string(), "w", "tester", kNow, false, false);
    EXPECT_TRUE(s.ok()) << s.error().toString();
    return std::move(*s);
}

ConfigItem ci(const std::string& id, int tier) {
    ConfigItem c;
    c.id = id;
    c.name = id;
    c.type = "server";
    c.tier = tier;
    return c;
}

ChangeRequest change(const std::string& id, TimeUtc start, Minutes minutes) {
    ChangeRequest c;
    c.id = id;
    c.title = "Change " + id;
    c.affectedCis = {"srv-1"};
    c.plannedStart = start;
    c.plannedEnd = start + minutes * 60;
    Step s;
    s.id = "s1";
    s.title = "Do it";
    s.duration = 30;
    s.rollback = "Undo it";
    s.rollbackDuration = 15;
    c.steps = {s};
    c.createdAt = kNow;
    return c;
}

void must(Session& s, command::Command c) {
    auto r = s.execute(std::move(c));
    ASSERT_TRUE(r.ok()) << r.error().toString();
}

const policy::TransitionOption& option(const ChangeAssessment& a, policy::Action action) {
    for (const auto& t : a.transitions)
        if (t.action == action) return t;
    throw std::runtime_error("no such action");
}

bool hasContribution(const ChangeAssessment& a, const std::string& id) {
    for (const auto& c : a.risk.contributions)
        if (c.id == id) return true;
    return false;
}

}  // namespace

TEST(ChangeAssessment, OverlappingChangeOnTheSameCiIsAConflictThatRaisesRiskAndBlocksScheduling) {
    auto s = emptySession("overlap");
    must(*s, command::AddCi{ci("srv-1", 2)});
    must(*s, command::AddChange{change("CHG1", kSat2300, 60)});
    {
        const ChangeAssessment alone = assessChange(*s, *s->findChange("CHG1"), kNow);
        for (const auto& c : alone.schedule.conflicts) EXPECT_NE(c.kind, schedule::ConflictKind::SameCi) << c.message;
        EXPECT_FALSE(hasContribution(alone, "business_hours"));
    }
    must(*s, command::AddChange{change("CHG2", kSat2300 + 1800, 60)});
    const ChangeAssessment a = assessChange(*s, *s->findChange("CHG1"), kNow);
    bool sameCi = false;
    for (const auto& c : a.schedule.conflicts)
        if (c.kind == schedule::ConflictKind::SameCi && c.otherId == "CHG2") sameCi = true;
    EXPECT_TRUE(sameCi);
    EXPECT_EQ(a.schedule.facts.conflicts, static_cast<int>(a.schedule.conflicts.size()));
    EXPECT_TRUE(hasContribution(a, "conflicts"));
    EXPECT_TRUE(hasContribution(a, "tier2")) << "srv-1 is tier 2";
    const auto& schedule = option(a, policy::Action::Schedule);
    EXPECT_FALSE(schedule.allowed);
    EXPECT_FALSE(schedule.reason.empty());
    EXPECT_EQ(a.impact.blastRadius, 1);
}

TEST(ChangeAssessment, BusinessHoursFollowTheChangesTimeZone) {
    auto s = emptySession("hours");
    must(*s, command::AddCi{ci("srv-1", 3)});
    must(*s, command::AddChange{change("CHG1", kWed1000, 60)});
    EXPECT_TRUE(assessSchedule(*s, *s->findChange("CHG1")).facts.duringBusinessHours);
    ChangeRequest late = change("CHG2", kWed1000 + 10 * 3600, 60);  // 20:00 UTC
    must(*s, command::AddChange{late});
    EXPECT_FALSE(assessSchedule(*s, *s->findChange("CHG2")).facts.duringBusinessHours);
    // 20:00 UTC is 15:00 in New York: inside business hours there.
    ChangeRequest ny = late;
    ny.id = "CHG3";
    ny.affectedCis = {};
    ny.timeZone = "America/New_York";
    must(*s, command::AddChange{ny});
    EXPECT_TRUE(assessSchedule(*s, *s->findChange("CHG3")).facts.duringBusinessHours);
}

TEST(ChangeAssessment, WindowMarginIsWhatTheWindowLeavesAfterTheRollbackReserve) {
    auto s = emptySession("margin");
    must(*s, command::AddCi{ci("srv-1", 3)});
    Window w;
    w.id = "W1";
    w.name = "Saturday night";
    w.kind = WindowKind::Maintenance;
    w.timeZone = "UTC";
    w.start = "2026-11-21T22:00:00";
    w.duration = 240;
    must(*s, command::AddWindow{w});
    must(*s, command::AddChange{change("CHG1", kSat2300, 60)});
    const ScheduleAssessment a = assessSchedule(*s, *s->findChange("CHG1"));
    EXPECT_TRUE(a.error.empty()) << a.error;
    EXPECT_EQ(a.facts.runbookMinutes, 30);
    // Starts 60 minutes into a 240-minute window: 180 left, less 15 of rollback.
    EXPECT_EQ(a.facts.windowMinutesAfterMargin, 165);
    for (const auto& c : a.conflicts) EXPECT_NE(c.kind, schedule::ConflictKind::OutsideWindow) << c.message;
}

TEST(ChangeAssessment, StoredPolicyIsUsedAndABadOneIsRefusedWithoutChangingAnything) {
    auto s = emptySession("policy");
    EXPECT_TRUE(s->storedPolicyJson().empty());
    const std::string shippedName = s->policy().name;

    auto bad = s->execute(command::SetPolicy{Session::kPolicyId, std::nullopt, std::string("{ \"schema\": ")});
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().toString().find(":1:13:"), std::string::npos) << bad.error().toString();
    EXPECT_TRUE(s->storedPolicyJson().empty());
    EXPECT_FALSE(s->canUndo());

    policy::Policy edited = policy::defaultPolicy();
    edited.name = "Stricter house rules";
    const std::string text = policy::writePolicyJson(edited);
    must(*s, command::SetPolicy{Session::kPolicyId, std::nullopt, text});
    EXPECT_EQ(s->policy().name, "Stricter house rules");
    EXPECT_EQ(s->storedPolicyJson(), text);
    ASSERT_TRUE(s->undo().ok());
    EXPECT_EQ(s->policy().name, shippedName);
    EXPECT_TRUE(s->storedPolicyJson().empty());
}

TEST(ChangeAssessment, DraftWithoutStepsCannotBeSubmittedAndSaysWhy) {
    auto s = emptySession("submit");
    must(*s, command::AddCi{ci("srv-1", 3)});
    ChangeRequest c = change("CHG1", 0, 0);
    c.plannedEnd = 0;
    c.steps.clear();
    must(*s, command::AddChange{c});
    const ChangeAssessment a = assessChange(*s, *s->findChange("CHG1"), kNow);
    const auto& submit = option(a, policy::Action::Submit);
    EXPECT_FALSE(submit.allowed);
    EXPECT_NE(submit.reason.find("step"), std::string::npos) << submit.reason;
    EXPECT_FALSE(a.approvals.empty()) << "the default policy always asks the change manager";
}

TEST(ChangeAssessment, StoredObservationGivesADriftReportCountedForTheChange) {
    auto s = emptySession("drift");
    ConfigItem server = ci("srv-1", 3);
    server.attributes = {{"os", "rhel-9"}, {"ram_gb", "32"}};
    must(*s, command::AddCi{server});
    ChangeRequest c = change("CHG1", kSat2300, 60);
    c.declaredChanges = {{"srv-1", "ram_gb", "64"}};
    must(*s, command::AddChange{c});
    EXPECT_TRUE(storedDriftReports(*s).empty());

    DriftObservation o{"CHG1", kSat2300 + 7200, "after.json", R"({"srv-1": {"os": "rhel-9.4", "ram_gb": 64}})"};
    const std::string stored = writeDriftObservation(o);
    auto back = parseDriftObservation(stored, "CHG1");
    ASSERT_TRUE(back.ok()) << back.error().toString();
    EXPECT_EQ(back->text, o.text);
    EXPECT_EQ(back->observedAt, o.observedAt);
    must(*s, command::SetSetting{driftSettingKey("CHG1"), std::nullopt, stored});

    const auto reports = storedDriftReports(*s);
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].changeId, "CHG1");
    EXPECT_EQ(reports[0].expected, 1) << "ram_gb was declared";
    EXPECT_EQ(reports[0].unexpected, 1) << "os was not";

    DriftObservation broken = o;
    broken.text = "{\"srv-1\": {\"os\": }";
    auto bad = driftReport(*s, *s->findChange("CHG1"), broken);
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().toString().find("after.json"), std::string::npos) << bad.error().toString();
    EXPECT_FALSE(parseDriftObservation("[1]", "CHG1").ok());
}
