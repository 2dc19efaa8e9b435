#include "schedule/assistant.hpp"
#include "schedule/conflicts.hpp"
#include "schedule/schedule_view.hpp"
#include "schedule_test_support.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

using namespace planner::core;
using namespace planner::core::schedule;
using namespace planner::core::schedule::testing;

namespace {

const std::string kBerlin = "Europe/Berlin";

class ConflictTest : public ScheduleTest {
protected:
    void SetUp() override {
        ScheduleTest::SetUp();
        m_types = {{"db-1", "database"}, {"db-2", "database"}, {"app-1", "application"},
                   {"web-1", "server"},  {"svc-pay", "business_service"}};
        m_services = {{"db-1", {"svc-pay"}}, {"app-1", {"svc-pay"}}};
        m_lookup.typeOf = [this](const std::string& ci) {
            auto it = m_types.find(ci);
            return it == m_types.end() ? std::string() : it->second;
        };
        m_lookup.servicesOf = [this](const std::string& ci) {
            auto it = m_services.find(ci);
            return it == m_services.end() ? std::vector<std::string>{} : it->second;
        };
        m_windows = {
            makeWindow("db-sat", WindowKind::Maintenance, WindowScope::CiType, "database", kBerlin,
                       "2026-01-03T22:00:00", 240, "FREQ=WEEKLY;BYDAY=SA"),
            makeWindow("app-nightly", WindowKind::Maintenance, WindowScope::Ci, "app-1", "UTC", "2026-01-01T02:00:00",
                       120, "FREQ=DAILY"),
            makeWindow("xmas", WindowKind::Freeze, WindowScope::Global, "", kBerlin, "2026-12-20T00:00:00",
                       14 * 1440),
            makeWindow("pay-close", WindowKind::Freeze, WindowScope::Service, "svc-pay", "UTC",
                       "2026-06-30T00:00:00", 1440),
        };
        m_windows[0].name = "Database Saturday night";
        auto cal = WindowCalendar::build(m_windows, at("2026-01-01T00:00:00"), at("2027-02-01T00:00:00"));
        ASSERT_TRUE(cal.ok()) << cal.error().toString();
        m_cal = std::move(cal.value());
    }

    PlannedChange change(std::string id, std::vector<std::string> cis, const std::string& localStart,
                         Minutes minutes, std::string implementer = {}, std::vector<std::string> impact = {}) {
        PlannedChange c;
        c.id = id;
        c.title = "Title of " + id;
        c.cis = std::move(cis);
        c.impactSet = std::move(impact);
        c.implementer = std::move(implementer);
        c.timeZone = kBerlin;
        c.interval.start = at(localStart, kBerlin);
        c.interval.end = c.interval.start + static_cast<TimeUtc>(minutes) * 60;
        return c;
    }

    std::vector<Conflict> ofKind(const std::vector<Conflict>& all, ConflictKind k, const std::string& id = {}) {
        std::vector<Conflict> out;
        for (const Conflict& c : all)
            if (c.kind == k && (id.empty() || c.changeId == id)) out.push_back(c);
        return out;
    }

    std::map<std::string, std::string> m_types;
    std::map<std::string, std::vector<std::string>> m_services;
    CiLookup m_lookup;
    std::vector<Window> m_windows;
    WindowCalendar m_cal;
};

TEST_F(ConflictTest, SameCiOverlapIsReportedOnBothChanges) {
    std::vector<PlannedChange> cs = {change("CHG1", {"db-1"}, "2026-03-07T22:30:00", 60),
                                     change("CHG2", {"db-1"}, "2026-03-07T23:00:00", 90)};
    auto all = detectConflicts(m_cal, cs, m_lookup);
    auto same = ofKind(all, ConflictKind::SameCi);
    ASSERT_EQ(same.size(), 2u);
    EXPECT_EQ(same[0].changeId, "CHG1");
    EXPECT_EQ(same[0].otherId, "CHG2");
    EXPECT_EQ(same[0].ci, "db-1");
    EXPECT_EQ(same[0].when.start, at("2026-03-07T23:00:00", kBerlin));
    EXPECT_EQ(same[0].when.end, at("2026-03-07T23:30:00", kBerlin));
    EXPECT_EQ(same[0].message, "CHG2 'Title of CHG2' also changes db-1 during Sat 2026-03-07 23:00-23:30 Europe/Berlin.");
    EXPECT_EQ(same[1].changeId, "CHG2");
    EXPECT_EQ(same[1].otherId, "CHG1");
    EXPECT_TRUE(ofKind(all, ConflictKind::RelatedCi).empty());
}

TEST_F(ConflictTest, BackToBackChangesOnOneCiDoNotConflict) {
    std::vector<PlannedChange> cs = {change("CHG1", {"db-1"}, "2026-03-07T22:00:00", 60),
                                     change("CHG2", {"db-1"}, "2026-03-07T23:00:00", 60),
                                     change("CHG3", {"db-2"}, "2026-03-07T22:00:00", 120)};
    EXPECT_TRUE(detectConflicts(m_cal, cs, m_lookup).empty());
}

TEST_F(ConflictTest, RelatedCiThroughEitherImpactSet) {
    std::vector<PlannedChange> cs = {change("CHG1", {"db-1"}, "2026-03-07T22:00:00", 120, "", {"db-1", "app-1"}),
                                     change("CHG2", {"app-1"}, "2026-03-08T03:30:00", 60)};
    cs[1].interval.start = cs[0].interval.start + 3600;
    cs[1].interval.end = cs[1].interval.start + 3600;
    auto all = detectConflicts(m_cal, cs, m_lookup);
    auto rel = ofKind(all, ConflictKind::RelatedCi);
    ASSERT_EQ(rel.size(), 2u);
    EXPECT_EQ(rel[0].changeId, "CHG1");
    EXPECT_EQ(rel[0].ci, "app-1");
    EXPECT_NE(rel[0].message.find("CHG2 'Title of CHG2' changes app-1, which is in this change's impact set"),
              std::string::npos)
        << rel[0].message;
    EXPECT_NE(rel[1].message.find("This change touches app-1, which is in the impact set of CHG1"), std::string::npos)
        << rel[1].message;
    EXPECT_TRUE(ofKind(all, ConflictKind::SameCi).empty());
}

TEST_F(ConflictTest, SharedImpactAloneOrUnrelatedCisAreNotRelated) {
    std::vector<PlannedChange> cs = {change("CHG1", {"db-1"}, "2026-03-07T22:00:00", 120, "", {"svc-pay"}),
                                     change("CHG2", {"db-2"}, "2026-03-07T22:00:00", 120, "", {"svc-pay"}),
                                     change("CHG3", {"web-1"}, "2026-03-07T22:00:00", 120)};
    EXPECT_TRUE(ofKind(detectConflicts(m_cal, cs, m_lookup), ConflictKind::RelatedCi).empty());
    cs[1].cis = {"svc-pay"};
    EXPECT_EQ(ofKind(detectConflicts(m_cal, cs, m_lookup), ConflictKind::RelatedCi).size(), 2u);
}

TEST_F(ConflictTest, OutsideEveryWindowNamesTheNextOpening) {
    std::vector<PlannedChange> cs = {change("CHG1", {"db-1", "db-2"}, "2026-03-10T10:00:00", 60)};
    auto out = ofKind(detectConflicts(m_cal, cs, m_lookup), ConflictKind::OutsideWindow);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].otherId, "db-sat");
    EXPECT_EQ(out[0].message,
              "Starts Tue 2026-03-10 10:00 Europe/Berlin, when no maintenance window of db-1, db-2 is open; the next "
              "one, 'Database Saturday night', opens Sat 2026-03-14 22:00 Europe/Berlin.");
}

TEST_F(ConflictTest, RunningPastTheWindowEndIsOutside) {
    std::vector<PlannedChange> cs = {change("CHG1", {"db-1"}, "2026-03-07T23:00:00", 240)};
    auto out = ofKind(detectConflicts(m_cal, cs, m_lookup), ConflictKind::OutsideWindow);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].when.start, at("2026-03-08T02:00:00", kBerlin));
    EXPECT_EQ(out[0].message,
              "Runs 1 h past the end of maintenance window 'Database Saturday night' of db-1, which closes Sun "
              "2026-03-08 02:00 Europe/Berlin.");
}

TEST_F(ConflictTest, InsideTheWindowOrWithoutAnyWindowIsFine) {
    std::vector<PlannedChange> cs = {change("CHG1", {"db-1"}, "2026-03-07T22:00:00", 240),
                                     change("CHG2", {"web-1"}, "2026-03-10T10:00:00", 60)};
    EXPECT_TRUE(detectConflicts(m_cal, cs, m_lookup).empty());
}

TEST_F(ConflictTest, EveryCiNeedsItsOwnWindow) {
    // db-1 is inside its Saturday window but app-1's nightly window (02:00-04:00 UTC) is closed.
    std::vector<PlannedChange> cs = {change("CHG1", {"db-1", "app-1"}, "2026-03-07T22:00:00", 60)};
    auto out = ofKind(detectConflicts(m_cal, cs, m_lookup), ConflictKind::OutsideWindow);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].ci, "app-1");
    EXPECT_EQ(out[0].otherId, "app-nightly");
}

TEST_F(ConflictTest, FreezesApplyGloballyAndThroughServices) {
    std::vector<PlannedChange> cs = {change("CHG1", {"web-1"}, "2026-12-24T10:00:00", 60),
                                     change("CHG2", {"db-1"}, "2026-06-30T10:00:00", 60),
                                     change("CHG3", {"web-1"}, "2026-06-30T10:00:00", 60, "", {"web-1", "svc-pay"}),
                                     change("CHG4", {"web-1"}, "2026-07-01T10:00:00", 60, "", {"svc-pay"})};
    auto all = detectConflicts(m_cal, cs, m_lookup);
    auto f1 = ofKind(all, ConflictKind::InFreeze, "CHG1");
    ASSERT_EQ(f1.size(), 1u);
    EXPECT_EQ(f1[0].otherId, "xmas");
    EXPECT_EQ(f1[0].message,
              "Falls inside freeze 'xmas' (Sun 2026-12-20 00:00 - Sun 2027-01-03 00:00 Europe/Berlin), which covers "
              "every CI.");
    auto f2 = ofKind(all, ConflictKind::InFreeze, "CHG2");
    ASSERT_EQ(f2.size(), 1u);
    EXPECT_EQ(f2[0].otherId, "pay-close");
    auto f3 = ofKind(all, ConflictKind::InFreeze, "CHG3");
    ASSERT_EQ(f3.size(), 1u);
    EXPECT_NE(f3[0].message.find("part of this change's impact set"), std::string::npos);
    EXPECT_TRUE(ofKind(all, ConflictKind::InFreeze, "CHG4").empty());
}

TEST_F(ConflictTest, ImplementerDoubleBooking) {
    std::vector<PlannedChange> cs = {change("CHG1", {"web-1"}, "2026-03-10T10:00:00", 60, "alice"),
                                     change("CHG2", {"db-2"}, "2026-03-10T10:30:00", 60, "alice"),
                                     change("CHG3", {"db-1"}, "2026-03-10T10:30:00", 60, "bob"),
                                     change("CHG4", {"app-1"}, "2026-03-10T11:00:00", 60, "alice")};
    auto all = detectConflicts(m_cal, cs, m_lookup);
    auto a1 = ofKind(all, ConflictKind::ImplementerDoubleBooked, "CHG1");
    ASSERT_EQ(a1.size(), 1u);
    EXPECT_EQ(a1[0].otherId, "CHG2");
    EXPECT_EQ(a1[0].message,
              "alice is also booked on CHG2 'Title of CHG2' during Tue 2026-03-10 10:30-11:00 Europe/Berlin.");
    EXPECT_EQ(ofKind(all, ConflictKind::ImplementerDoubleBooked, "CHG2").size(), 2u);
    EXPECT_TRUE(ofKind(all, ConflictKind::ImplementerDoubleBooked, "CHG3").empty());
    EXPECT_EQ(ofKind(all, ConflictKind::ImplementerDoubleBooked, "CHG4").size(), 1u);
}

TEST_F(ConflictTest, ConflictsOfOneChangeMatchTheFullRun) {
    std::vector<PlannedChange> cs = {change("CHG1", {"db-1"}, "2026-03-07T22:30:00", 60, "alice", {"app-1"}),
                                     change("CHG2", {"db-1"}, "2026-03-07T23:00:00", 90, "alice"),
                                     change("CHG3", {"app-1"}, "2026-03-07T23:00:00", 30),
                                     change("CHG4", {"db-1"}, "2026-03-14T23:00:00", 30)};
    auto all = detectConflicts(m_cal, cs, m_lookup);
    std::vector<Conflict> expected;
    for (const Conflict& c : all)
        if (c.changeId == "CHG1") expected.push_back(c);
    EXPECT_EQ(expected.size(), 3u);  // same CI, related CI, implementer
    EXPECT_EQ(conflictsOf(m_cal, cs[0], cs, m_lookup), expected);
}

TEST_F(ConflictTest, ScheduleViewListsOccurrencesChangesAndConflicts) {
    std::vector<PlannedChange> cs = {change("CHG1", {"db-1"}, "2026-03-07T22:30:00", 60),
                                     change("CHG2", {"db-1"}, "2026-03-07T23:00:00", 90),
                                     change("CHG3", {"db-1"}, "2026-04-04T23:00:00", 30)};
    auto view = buildScheduleView(m_windows, cs, m_lookup, at("2026-03-07T00:00:00"), at("2026-03-09T00:00:00"));
    ASSERT_TRUE(view.ok());
    ASSERT_EQ(view->changes.size(), 2u);
    EXPECT_EQ(view->changes[0].conflictCount, 1);
    std::vector<std::string> ids;
    for (const Occurrence& o : view->occurrences) ids.push_back(view->windows[static_cast<size_t>(o.window)].id);
    EXPECT_EQ(ids, (std::vector<std::string>{"app-nightly", "db-sat", "app-nightly"}));
    EXPECT_EQ(view->conflicts.size(), 2u);
    m_windows[0].rrule = "FREQ=NEVER";
    EXPECT_FALSE(buildScheduleView(m_windows, cs, m_lookup, at("2026-03-07T00:00:00"), at("2026-03-09T00:00:00")).ok());
}

class AssistantTest : public ConflictTest {
protected:
    SlotRequest request(std::vector<std::string> cis, Minutes minutes, const std::string& from, const std::string& to,
                        std::string implementer = {}) {
        SlotRequest r;
        r.change = change("NEW", std::move(cis), from, minutes, std::move(implementer));
        r.duration = minutes;
        r.earliest = at(from, kBerlin);
        r.horizon = at(to, kBerlin);
        return r;
    }
};

TEST_F(AssistantTest, EarliestSaturdayWindowAndAlternatives) {
    auto a = findFreeSlots(m_cal, request({"db-1"}, 120, "2026-03-09T09:00:00", "2026-06-01T00:00:00"), {}, m_lookup);
    ASSERT_EQ(a.proposals.size(), 4u);
    EXPECT_EQ(localOf(a.proposals[0].interval.start, kBerlin), "2026-03-14T22:00:00");
    EXPECT_EQ(localOf(a.proposals[1].interval.start, kBerlin), "2026-03-21T22:00:00");
    EXPECT_EQ(localOf(a.proposals[3].interval.start, kBerlin), "2026-04-04T22:00:00");
    EXPECT_EQ(a.proposals[0].interval.end - a.proposals[0].interval.start, 7200);
    EXPECT_EQ(a.proposals[0].windowIds, (std::vector<std::string>{"db-sat"}));
    EXPECT_NE(a.proposals[0].reason.find("Inside 'Database Saturday night', open for db-1"), std::string::npos)
        << a.proposals[0].reason;
    EXPECT_NE(a.summary.find("Earliest fit: Sat 2026-03-14 22:00 - Sun 2026-03-15 00:00 Europe/Berlin, with 3 alternatives."), std::string::npos) << a.summary;
}

TEST_F(AssistantTest, SkipsOpeningsTakenByOtherChangesAndFreezes) {
    std::vector<PlannedChange> others = {change("CHG7", {"db-1"}, "2026-03-14T21:00:00", 300),
                                         change("CHG8", {"web-1"}, "2026-03-21T22:00:00", 240, "",
                                                {"web-1", "db-1"})};
    auto a = findFreeSlots(m_cal, request({"db-1"}, 180, "2026-03-09T09:00:00", "2026-06-01T00:00:00"), others,
                           m_lookup);
    ASSERT_FALSE(a.proposals.empty());
    EXPECT_EQ(localOf(a.proposals[0].interval.start, kBerlin), "2026-03-28T22:00:00");
    EXPECT_NE(a.proposals[0].reason.find("Earlier openings are taken by CHG7 (same CI db-1) and CHG8 (db-1 is in its "
                                         "impact set)"),
              std::string::npos)
        << a.proposals[0].reason;
    auto x = findFreeSlots(m_cal, request({"web-1"}, 60, "2026-12-19T22:30:00", "2027-01-31T00:00:00"), {}, m_lookup);
    ASSERT_EQ(x.proposals.size(), 2u);
    EXPECT_EQ(localOf(x.proposals[0].interval.start, kBerlin), "2026-12-19T22:30:00");
    EXPECT_EQ(localOf(x.proposals[1].interval.start, kBerlin), "2027-01-03T00:00:00");
    EXPECT_NE(x.proposals[1].reason.find("freeze 'xmas'"), std::string::npos) << x.proposals[1].reason;
}

TEST_F(AssistantTest, PartiallyFreeOpeningIsUsedFromItsFreeStart) {
    std::vector<PlannedChange> others = {change("CHG7", {"db-1"}, "2026-03-14T22:00:00", 60)};
    auto a = findFreeSlots(m_cal, request({"db-1"}, 120, "2026-03-09T09:00:00", "2026-06-01T00:00:00"), others,
                           m_lookup);
    ASSERT_FALSE(a.proposals.empty());
    EXPECT_EQ(localOf(a.proposals[0].interval.start, kBerlin), "2026-03-14T23:00:00");
    EXPECT_TRUE(conflictsOf(m_cal, [&] {
                    PlannedChange c = change("NEW", {"db-1"}, "2026-03-14T23:00:00", 120);
                    return c;
                }(), others, m_lookup).empty());
}

TEST_F(AssistantTest, NothingFitsWhenWindowsNeverOverlap) {
    auto a = findFreeSlots(m_cal, request({"db-1", "app-1"}, 60, "2026-03-09T09:00:00", "2026-06-01T00:00:00"), {},
                           m_lookup);
    EXPECT_FALSE(a.found());
    EXPECT_EQ(a.summary,
              "Nothing fits before Mon 2026-06-01 00:00 Europe/Berlin, because the maintenance windows of db-1 and "
              "app-1 are never open together for 1 h; they never overlap.");
}

TEST_F(AssistantTest, NothingFitsWhenThePlanIsLongerThanTheWindow) {
    auto a = findFreeSlots(m_cal, request({"db-1"}, 300, "2026-03-09T09:00:00", "2026-06-01T00:00:00"), {}, m_lookup);
    EXPECT_FALSE(a.found());
    EXPECT_NE(a.summary.find("the maintenance windows of db-1 are never open for 5 h; the longest opening is 4 h"),
              std::string::npos)
        << a.summary;
}

TEST_F(AssistantTest, NothingFitsWhenEveryOpeningIsTaken) {
    std::vector<PlannedChange> others = {change("CHG7", {"db-2"}, "2026-03-14T22:00:00", 240, "alice"),
                                         change("CHG8", {"db-1"}, "2026-03-21T22:00:00", 240)};
    auto a = findFreeSlots(m_cal, request({"db-1"}, 240, "2026-03-09T09:00:00", "2026-03-27T00:00:00", "alice"),
                           others, m_lookup);
    EXPECT_FALSE(a.found());
    EXPECT_EQ(a.summary,
              "Nothing fits before Fri 2026-03-27 00:00 Europe/Berlin, because every opening long enough for 4 h is "
              "taken by CHG7 (implementer alice is booked) and CHG8 (same CI db-1).");
    auto none = findFreeSlots(m_cal, request({"db-1"}, 60, "2026-03-09T09:00:00", "2026-03-13T00:00:00"), {},
                              m_lookup);
    EXPECT_NE(none.summary.find("no maintenance window of db-1 opens between"), std::string::npos) << none.summary;
}

TEST_F(AssistantTest, UnconstrainedCiStartsRightAway) {
    auto a = findFreeSlots(m_cal, request({"web-1"}, 60, "2026-03-10T10:00:00", "2026-03-11T00:00:00"), {}, m_lookup);
    ASSERT_EQ(a.proposals.size(), 1u);
    EXPECT_EQ(localOf(a.proposals[0].interval.start, kBerlin), "2026-03-10T10:00:00");
    EXPECT_NE(a.proposals[0].reason.find("No maintenance window applies"), std::string::npos);
    EXPECT_NE(a.proposals[0].reason.find("It starts at the earliest moment asked for."), std::string::npos);
}

}  // namespace
