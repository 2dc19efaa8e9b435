// The engine's shortcuts checked against what they stand in for: cached UTC
// offsets against libical's own conversions, a scope group's cover runs
// against its windows' occurrences, and the CI id table.
#include "schedule/ci_windows.hpp"
#include "schedule/expansion.hpp"
#include "schedule/ical_support.hpp"
#include "schedule_test_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace planner::core;
using namespace planner::core::schedule;
using namespace planner::core::schedule::testing;

namespace {

class FastPathTest : public ScheduleTest {};

// Every `step` seconds of [from, to): local wall times read in `zone` and UTC
// instants shown in `zone` must agree with libical's direct conversions,
// including the skipped and the repeated hour of each change.
void compareWithLibical(const std::string& zone, TimeUtc from, TimeUtc to, TimeUtc step) {
    icaltimezone* z = detail::findZone(zone);
    ASSERT_NE(z, nullptr) << zone;
    int mismatches = 0;
    for (TimeUtc t = from; t < to && mismatches < 5; t += step) {
        // `t` read as a wall time (its UTC fields) ...
        const LocalDateTime wall = utcToLocal(t, "UTC").value();
        const auto expectedUtc = static_cast<TimeUtc>(icaltime_as_timet_with_zone(detail::toIcal(wall), z));
        const TimeUtc gotUtc = localToUtc(wall, zone).value();
        if (gotUtc != expectedUtc) {
            ++mismatches;
            ADD_FAILURE() << zone << ": wall " << formatLocalDateTime(wall) << " gave " << gotUtc << ", libical "
                          << expectedUtc;
        }
        // ... and `t` as an instant.
        const LocalDateTime expectedWall =
            detail::fromIcal(icaltime_from_timet_with_zone(static_cast<time_t>(t), 0, z));
        const LocalDateTime gotWall = utcToLocal(t, zone).value();
        if (!(gotWall == expectedWall)) {
            ++mismatches;
            ADD_FAILURE() << zone << ": instant " << t << " shown as " << formatLocalDateTime(gotWall) << ", libical "
                          << formatLocalDateTime(expectedWall);
        }
    }
}

TEST_F(FastPathTest, CachedOffsetsAgreeWithLibicalAcrossDaylightSavingChanges) {
    for (const std::string zone : {"Europe/Berlin", "America/New_York", "Australia/Sydney"}) {
        SCOPED_TRACE(zone);
        // A whole year in half hours, then spans before and after it, so that the
        // per-day cache grows in both directions.
        compareWithLibical(zone, at("2026-01-01T00:00:00"), at("2027-01-01T00:00:00"), 1800);
        compareWithLibical(zone, at("2031-03-01T00:00:00"), at("2031-11-15T00:00:00"), 900);
        compareWithLibical(zone, at("1999-03-01T00:00:00"), at("1999-11-15T00:00:00"), 900);
    }
}

TEST_F(FastPathTest, SpringGapAndAutumnRepeatFollowLibicalRules) {
    // A skipped wall time reads with the offset after the jump: one hour earlier on the clock.
    EXPECT_EQ(at("2026-03-29T02:30:00", "Europe/Berlin"), at("2026-03-29T00:30:00"));
    EXPECT_EQ(at("2026-03-08T02:30:00", "America/New_York"), at("2026-03-08T06:30:00"));
    EXPECT_EQ(at("2026-10-04T02:30:00", "Australia/Sydney"), at("2026-10-03T15:30:00"));
    // A repeated wall time is the second of the two, in standard time.
    EXPECT_EQ(at("2026-10-25T02:30:00", "Europe/Berlin"), at("2026-10-25T01:30:00"));
    EXPECT_EQ(at("2026-11-01T01:30:00", "America/New_York"), at("2026-11-01T06:30:00"));
    EXPECT_EQ(at("2026-04-05T02:30:00", "Australia/Sydney"), at("2026-04-04T16:30:00"));
    // Both instants of the repeated hour show as 02:30.
    EXPECT_EQ(localOf(at("2026-10-25T00:30:00"), "Europe/Berlin"), "2026-10-25T02:30:00");
    EXPECT_EQ(localOf(at("2026-10-25T01:30:00"), "Europe/Berlin"), "2026-10-25T02:30:00");
    EXPECT_EQ(describeTime(at("2026-10-25T01:30:00"), "Europe/Berlin"), "Sun 2026-10-25 02:30 Europe/Berlin");
    EXPECT_EQ(describeTime(at("2026-10-25T01:30:00"), "Mars/Olympus_Mons"), "Sun 2026-10-25 01:30 UTC");
}

TEST_F(FastPathTest, CoverRunsJoinTouchingOccurrencesAndNameWhoOpensAndCloses) {
    // Three type-scoped windows: w0 10:00-12:00, w1 12:00-13:00 (touches w0),
    // w2 11:00-13:00 (overlaps both), all on 2026-01-05; w3 on 2026-01-06.
    std::vector<Window> ws = {
        makeWindow("w0", WindowKind::Maintenance, WindowScope::CiType, "db", "UTC", "2026-01-05T10:00:00", 120),
        makeWindow("w1", WindowKind::Maintenance, WindowScope::CiType, "db", "UTC", "2026-01-05T12:00:00", 60),
        makeWindow("w2", WindowKind::Maintenance, WindowScope::CiType, "db", "UTC", "2026-01-05T11:00:00", 120),
        makeWindow("w3", WindowKind::Maintenance, WindowScope::CiType, "db", "UTC", "2026-01-06T10:00:00", 60),
        makeWindow("g", WindowKind::Maintenance, WindowScope::Global, "", "UTC", "2026-01-06T10:00:00", 30),
        makeWindow("f", WindowKind::Freeze, WindowScope::CiType, "db", "UTC", "2026-01-07T00:00:00", 60),
    };
    auto cal = WindowCalendar::build(ws, at("2026-01-01T00:00:00"), at("2026-02-01T00:00:00"));
    ASSERT_TRUE(cal.ok());
    std::vector<const ScopeGroup*> maintenance, freezes;
    cal->groupsFor("db-1", "db", {}, maintenance, freezes);
    ASSERT_EQ(maintenance.size(), 2u);  // global, then the type's group
    ASSERT_EQ(freezes.size(), 1u);
    EXPECT_EQ(freezes[0]->windows, (std::vector<std::int32_t>{5}));
    const ScopeGroup& type = *maintenance[1];
    EXPECT_EQ(type.windows, (std::vector<std::int32_t>{0, 1, 2, 3}));
    ASSERT_EQ(type.cover.size(), 2u);
    EXPECT_EQ(type.cover[0].interval, (Interval{at("2026-01-05T10:00:00"), at("2026-01-05T13:00:00")}));
    EXPECT_EQ(type.cover[0].opener, 0);
    EXPECT_EQ(type.cover[0].closer, 2);  // w1 and w2 both close at 13:00: the higher index
    EXPECT_EQ(type.cover[1].opener, 3);
    EXPECT_EQ(type.cover[1].closer, 3);
    EXPECT_TRUE(freezes[0]->cover.empty());  // freezes need no cover

    std::vector<const ScopeGroup*> groups = maintenance;
    EXPECT_EQ(detail::coveredUntil(groups, {at("2026-01-05T10:30:00"), at("2026-01-05T14:00:00")}),
              at("2026-01-05T13:00:00"));
    EXPECT_EQ(detail::coveredUntil(groups, {at("2026-01-05T09:00:00"), at("2026-01-05T11:00:00")}),
              at("2026-01-05T09:00:00"));
    // On the 6th the global 10:00-10:30 and w3 10:00-11:00 open together: lowest index.
    std::int32_t w = -1;
    EXPECT_EQ(detail::nextOpening(groups, at("2026-01-05T14:00:00"), &w), at("2026-01-06T10:00:00"));
    EXPECT_EQ(w, 3);
    EXPECT_EQ(detail::nextOpening(groups, at("2026-01-07T00:00:00"), &w), -1);
    EXPECT_EQ(detail::closingWindow(groups, at("2026-01-05T13:00:00"), -7), 2);
    EXPECT_EQ(detail::closingWindow(groups, at("2026-01-05T12:00:00"), -7), -7);  // still open at 12:00

    // applicableTo gives the same windows as the groups.
    std::vector<std::int32_t> idx;
    cal->applicableTo("db-1", "db", {}, WindowKind::Maintenance, idx);
    EXPECT_EQ(idx, (std::vector<std::int32_t>{0, 1, 2, 3, 4}));
}

#ifdef PLANNER_ZONEINFO_DIR
// The web build reads zones from the directory it is given; a lookup made
// before (or with a wrong directory) must not stick.
TEST(TimeZoneSetup, DirectoryGivenAfterAFailedLookupIsUsed) {
    initTimeZones("/nonexistent-zoneinfo");
    EXPECT_FALSE(isKnownTimeZone("Europe/Berlin"));
    initTimeZones(PLANNER_ZONEINFO_DIR);
    EXPECT_TRUE(isKnownTimeZone("Europe/Berlin"));
    EXPECT_EQ(at("2026-07-01T12:00:00", "Europe/Berlin"), at("2026-07-01T10:00:00"));
}
#endif

TEST_F(FastPathTest, StringIdsAreDenseAndFindOnlyWhatWasAdded) {
    detail::StringIds ids;
    EXPECT_EQ(ids.find("ci-1"), -1);
    std::vector<std::string> names;
    for (int i = 0; i < 5000; ++i)
        names.push_back(i % 7 == 0 ? "a-much-longer-configuration-item-" + std::to_string(i)
                                   : "ci-" + std::to_string(i));
    names.push_back("");
    names.push_back("x");
    names.push_back("xy");
    for (size_t i = 0; i < names.size(); ++i) EXPECT_EQ(ids.add(names[i]), static_cast<std::int32_t>(i));
    EXPECT_EQ(ids.size(), static_cast<std::int32_t>(names.size()));
    for (size_t i = 0; i < names.size(); ++i) {
        EXPECT_EQ(ids.find(names[i]), static_cast<std::int32_t>(i));
        EXPECT_EQ(ids.add(names[i]), static_cast<std::int32_t>(i));
        EXPECT_EQ(ids.name(static_cast<std::int32_t>(i)), names[i]);
    }
    EXPECT_EQ(ids.find("ci-5000"), -1);
    EXPECT_EQ(ids.find("ci-12 "), -1);
    EXPECT_EQ(ids.find("yx"), -1);
}

}  // namespace
