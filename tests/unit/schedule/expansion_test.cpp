#include "schedule/expansion.hpp"
#include "schedule_test_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace planner::core;
using namespace planner::core::schedule;
using namespace planner::core::schedule::testing;

namespace {

class ExpansionTest : public ScheduleTest {};

std::vector<std::string> localStarts(const std::vector<Interval>& v, const std::string& zone) {
    std::vector<std::string> out;
    for (const Interval& iv : v) out.push_back(localOf(iv.start, zone));
    return out;
}

std::vector<Interval> expand(const Window& w, TimeUtc from, TimeUtc to) {
    auto r = expandWindow(w, from, to);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().toString());
    return r.ok() ? r.value() : std::vector<Interval>{};
}

TEST_F(ExpansionTest, BerlinSaturdayNightStaysLocalAcrossSpringChange) {
    Window w = makeWindow("sat", WindowKind::Maintenance, WindowScope::Global, "", "Europe/Berlin",
                          "2026-03-14T22:00:00", 240, "FREQ=WEEKLY;BYDAY=SA");
    auto v = expand(w, at("2026-03-01T00:00:00"), at("2026-04-05T00:00:00"));
    ASSERT_EQ(v.size(), 4u);
    // 21 and 28 March are in CET (UTC+1), 4 April in CEST (UTC+2).
    EXPECT_EQ(v[1].start, at("2026-03-21T21:00:00"));
    EXPECT_EQ(v[2].start, at("2026-03-28T21:00:00"));
    EXPECT_EQ(v[3].start, at("2026-04-04T20:00:00"));
    for (const Interval& iv : v) {
        EXPECT_EQ(localOf(iv.start, "Europe/Berlin").substr(11), "22:00:00");
        EXPECT_EQ(iv.end - iv.start, 240 * 60);
    }
    EXPECT_EQ(localOf(v[1].end, "Europe/Berlin"), "2026-03-22T02:00:00");
    EXPECT_EQ(localOf(v[3].end, "Europe/Berlin"), "2026-04-05T02:00:00");
    // On the night of the change the window ends at 02:00 CET, the instant the clocks jump to 03:00.
    EXPECT_EQ(v[2].end, at("2026-03-29T01:00:00"));
}

TEST_F(ExpansionTest, BerlinSaturdayNightStaysLocalAcrossAutumnChange) {
    Window w = makeWindow("sat", WindowKind::Maintenance, WindowScope::Global, "", "Europe/Berlin",
                          "2026-10-17T22:00:00", 240, "FREQ=WEEKLY;BYDAY=SA");
    auto v = expand(w, at("2026-10-01T00:00:00"), at("2026-11-01T00:00:00"));
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[0].start, at("2026-10-17T20:00:00"));
    EXPECT_EQ(v[1].start, at("2026-10-24T20:00:00"));
    EXPECT_EQ(v[2].start, at("2026-10-31T21:00:00"));
    EXPECT_EQ(localStarts(v, "Europe/Berlin"),
              (std::vector<std::string>{"2026-10-17T22:00:00", "2026-10-24T22:00:00", "2026-10-31T22:00:00"}));
    for (const Interval& iv : v) EXPECT_EQ(localOf(iv.end, "Europe/Berlin").substr(11), "02:00:00");
}

TEST_F(ExpansionTest, NewYorkMorningWindowAcrossBothChanges) {
    Window w = makeWindow("ny", WindowKind::Maintenance, WindowScope::Global, "", "America/New_York",
                          "2026-03-07T09:00:00", 60, "FREQ=DAILY");
    auto v = expand(w, at("2026-03-07T00:00:00"), at("2026-03-10T00:00:00"));
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[0].start, at("2026-03-07T14:00:00"));  // EST, UTC-5
    EXPECT_EQ(v[1].start, at("2026-03-08T13:00:00"));  // EDT, UTC-4
    EXPECT_EQ(v[2].start, at("2026-03-09T13:00:00"));
    auto autumn = expand(w, at("2026-10-31T00:00:00"), at("2026-11-03T00:00:00"));
    ASSERT_EQ(autumn.size(), 3u);
    EXPECT_EQ(autumn[0].start, at("2026-10-31T13:00:00"));
    EXPECT_EQ(autumn[1].start, at("2026-11-01T14:00:00"));
    for (const Interval& iv : autumn) EXPECT_EQ(localOf(iv.start, "America/New_York").substr(11), "09:00:00");
}

TEST_F(ExpansionTest, SydneyNightWindowAcrossBothChanges) {
    Window w = makeWindow("syd", WindowKind::Maintenance, WindowScope::Global, "", "Australia/Sydney",
                          "2026-04-03T23:00:00", 120, "FREQ=DAILY");
    auto v = expand(w, at("2026-04-03T00:00:00"), at("2026-04-06T00:00:00"));
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[0].start, at("2026-04-03T12:00:00"));  // AEDT, UTC+11
    EXPECT_EQ(v[1].start, at("2026-04-04T12:00:00"));
    EXPECT_EQ(v[2].start, at("2026-04-05T13:00:00"));  // AEST, UTC+10
    auto spring = expand(w, at("2026-10-02T00:00:00"), at("2026-10-05T00:00:00"));
    ASSERT_EQ(spring.size(), 3u);
    EXPECT_EQ(spring[0].start, at("2026-10-02T13:00:00"));
    EXPECT_EQ(spring[1].start, at("2026-10-03T13:00:00"));
    EXPECT_EQ(spring[2].start, at("2026-10-04T12:00:00"));
    for (const Interval& iv : spring) EXPECT_EQ(localOf(iv.start, "Australia/Sydney").substr(11), "23:00:00");
}

TEST_F(ExpansionTest, LastSundayOfTheMonth) {
    Window w = makeWindow("ls", WindowKind::Maintenance, WindowScope::Global, "", "Europe/Berlin",
                          "2026-01-25T02:00:00", 180, "FREQ=MONTHLY;BYDAY=-1SU");
    auto v = expand(w, at("2026-01-01T00:00:00"), at("2026-07-01T00:00:00"));
    EXPECT_EQ(localStarts(v, "Europe/Berlin"),
              (std::vector<std::string>{"2026-01-25T02:00:00", "2026-02-22T02:00:00", "2026-03-29T01:00:00",
                                        "2026-04-26T02:00:00", "2026-05-31T02:00:00", "2026-06-28T02:00:00"}));
}

TEST_F(ExpansionTest, SecondSaturday) {
    Window w = makeWindow("2sa", WindowKind::Maintenance, WindowScope::Global, "", "Europe/Berlin",
                          "2026-01-10T20:00:00", 300, "FREQ=MONTHLY;BYDAY=2SA");
    auto v = expand(w, at("2026-01-01T00:00:00"), at("2026-05-01T00:00:00"));
    EXPECT_EQ(localStarts(v, "Europe/Berlin"),
              (std::vector<std::string>{"2026-01-10T20:00:00", "2026-02-14T20:00:00", "2026-03-14T20:00:00",
                                        "2026-04-11T20:00:00"}));
}

TEST_F(ExpansionTest, MonthsWithoutAFifthFridayAreSkipped) {
    Window w = makeWindow("5fr", WindowKind::Maintenance, WindowScope::Global, "", "UTC", "2026-01-30T18:00:00",
                          60, "FREQ=MONTHLY;BYDAY=5FR");
    auto v = expand(w, at("2026-01-01T00:00:00"), at("2027-01-01T00:00:00"));
    EXPECT_EQ(localStarts(v, "UTC"),
              (std::vector<std::string>{"2026-01-30T18:00:00", "2026-05-29T18:00:00", "2026-07-31T18:00:00",
                                        "2026-10-30T18:00:00"}));
}

TEST_F(ExpansionTest, CountIsAppliedBeforeExdateRemoves) {
    Window w = makeWindow("cnt", WindowKind::Maintenance, WindowScope::Global, "", "Europe/Berlin",
                          "2026-01-03T22:00:00", 60, "FREQ=WEEKLY;COUNT=4");
    w.exdates = {"2026-01-10T22:00:00"};
    auto v = expand(w, at("2025-12-01T00:00:00"), at("2026-03-01T00:00:00"));
    EXPECT_EQ(localStarts(v, "Europe/Berlin"),
              (std::vector<std::string>{"2026-01-03T22:00:00", "2026-01-17T22:00:00", "2026-01-24T22:00:00"}));
}

TEST_F(ExpansionTest, WholeDayExdateAndRdate) {
    Window w = makeWindow("d", WindowKind::Maintenance, WindowScope::Global, "", "Europe/Berlin",
                          "2026-01-05T06:00:00", 30, "FREQ=DAILY;COUNT=3");
    w.exdates = {"2026-01-06"};
    w.rdates = {"2026-02-01T07:30:00"};
    auto v = expand(w, at("2026-01-01T00:00:00"), at("2026-03-01T00:00:00"));
    EXPECT_EQ(localStarts(v, "Europe/Berlin"),
              (std::vector<std::string>{"2026-01-05T06:00:00", "2026-01-07T06:00:00", "2026-02-01T07:30:00"}));
}

TEST_F(ExpansionTest, UntilInUtcIsInclusiveAndComparedAsAnInstant) {
    Window w = makeWindow("u", WindowKind::Maintenance, WindowScope::Global, "", "Europe/Berlin",
                          "2026-01-01T22:00:00", 60, "FREQ=DAILY;UNTIL=20260105T210000Z");
    auto v = expand(w, at("2025-12-01T00:00:00"), at("2026-02-01T00:00:00"));
    ASSERT_EQ(v.size(), 5u);
    EXPECT_EQ(localOf(v.back().start, "Europe/Berlin"), "2026-01-05T22:00:00");
    w.rrule = "FREQ=DAILY;UNTIL=20260105T205959Z";
    v = expand(w, at("2025-12-01T00:00:00"), at("2026-02-01T00:00:00"));
    ASSERT_EQ(v.size(), 4u);
    EXPECT_EQ(localOf(v.back().start, "Europe/Berlin"), "2026-01-04T22:00:00");
}

TEST_F(ExpansionTest, HorizonClipsButKeepsOverlappingOccurrence) {
    Window w = makeWindow("h", WindowKind::Freeze, WindowScope::Global, "", "UTC", "2026-01-01T22:00:00", 240,
                          "FREQ=DAILY");
    auto v = expand(w, at("2026-01-03T00:00:00"), at("2026-01-04T00:00:00"));
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(v[0].start, at("2026-01-02T22:00:00"));
    EXPECT_EQ(v[1].start, at("2026-01-03T22:00:00"));
}

TEST_F(ExpansionTest, InvalidWindowsAreRejectedWithTheirId) {
    Window w = makeWindow("bad", WindowKind::Maintenance, WindowScope::Global, "", "Mars/Olympus",
                          "2026-01-01T22:00:00", 60);
    auto r = validateWindow(w);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("'bad'"), std::string::npos);
    EXPECT_NE(r.error().message.find("Mars/Olympus"), std::string::npos);
    w.timeZone = "UTC";
    w.rrule = "FREQ=SOMETIMES";
    EXPECT_FALSE(validateWindow(w).ok());
    w.rrule = "FREQ=DAILY;COUNT=3;UNTIL=20260105T000000Z";
    ASSERT_FALSE(validateWindow(w).ok());
    EXPECT_NE(validateWindow(w).error().message.find("FREQ=DAILY;COUNT=3;UNTIL"), std::string::npos)
        << validateWindow(w).error().message;
    w.rrule = "FREQ=DAILY";
    w.start = "2026-02-30T10:00:00";
    EXPECT_FALSE(validateWindow(w).ok());
    w.start = "2026-02-03T10:00:00";
    w.duration = 0;
    EXPECT_FALSE(validateWindow(w).ok());
    w.duration = 10;
    w.exdates = {"tomorrow"};
    EXPECT_FALSE(validateWindow(w).ok());
    w.exdates.clear();
    EXPECT_TRUE(validateWindow(w).ok());
}

TEST_F(ExpansionTest, IntervalSetOperations) {
    std::vector<Interval> a = mergeIntervals({{10, 20}, {15, 30}, {30, 35}, {50, 60}, {5, 6}});
    EXPECT_EQ(a, (std::vector<Interval>{{5, 6}, {10, 35}, {50, 60}}));
    std::vector<Interval> b = {{0, 12}, {20, 55}};
    EXPECT_EQ(intersectIntervals(a, b), (std::vector<Interval>{{5, 6}, {10, 12}, {20, 35}, {50, 55}}));
    EXPECT_EQ(subtractIntervals(a, b), (std::vector<Interval>{{12, 20}, {55, 60}}));
    EXPECT_EQ(subtractIntervals(a, {}), a);
}

TEST_F(ExpansionTest, CalendarIndexesWindowsByScope) {
    std::vector<Window> ws = {
        makeWindow("g", WindowKind::Maintenance, WindowScope::Global, "", "UTC", "2026-01-01T00:00:00", 60),
        makeWindow("t", WindowKind::Maintenance, WindowScope::CiType, "database", "UTC", "2026-01-01T00:00:00", 60),
        makeWindow("c", WindowKind::Maintenance, WindowScope::Ci, "db-1", "UTC", "2026-01-01T00:00:00", 60),
        makeWindow("s", WindowKind::Maintenance, WindowScope::Service, "svc-pay", "UTC", "2026-01-01T00:00:00", 60),
        makeWindow("f", WindowKind::Freeze, WindowScope::Global, "", "UTC", "2026-01-01T00:00:00", 60),
    };
    auto cal = WindowCalendar::build(ws, at("2026-01-01T00:00:00"), at("2026-02-01T00:00:00"));
    ASSERT_TRUE(cal.ok());
    std::vector<std::int32_t> idx;
    cal->applicableTo("db-1", "database", {"svc-pay"}, WindowKind::Maintenance, idx);
    EXPECT_EQ(idx, (std::vector<std::int32_t>{0, 1, 2, 3}));
    idx.clear();
    cal->applicableTo("web-1", "server", {}, WindowKind::Maintenance, idx);
    EXPECT_EQ(idx, (std::vector<std::int32_t>{0}));
    idx.clear();
    cal->applicableTo("svc-pay", "business_service", {}, WindowKind::Maintenance, idx);
    EXPECT_EQ(idx, (std::vector<std::int32_t>{0, 3}));
    idx.clear();
    cal->applicableTo("web-1", "server", {}, WindowKind::Freeze, idx);
    EXPECT_EQ(idx, (std::vector<std::int32_t>{4}));
    EXPECT_EQ(cal->occurrencesIn(at("2026-01-01T00:30:00"), at("2026-01-01T00:40:00")).size(), 5u);
}

}  // namespace
