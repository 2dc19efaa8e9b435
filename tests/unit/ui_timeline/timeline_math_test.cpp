// View arithmetic of the schedule view and the runbook Gantt chart (app/ui/timeline_math.hpp).
#include <gtest/gtest.h>

#include "../../../app/ui/timeline_math.hpp"

namespace planner::ui::timeline {
namespace {

TimeUtc at(int y, int m, int d, int hour = 0, int minute = 0) {
    return daysFromCivil(y, m, d) * kDay + hour * 3600 + minute * 60;
}

TEST(TimelineCalendar, CivilDaysRoundTrip) {
    EXPECT_EQ(daysFromCivil(1970, 1, 1), 0);
    EXPECT_EQ(daysFromCivil(2000, 3, 1), 11017);
    EXPECT_EQ(daysFromCivil(1969, 12, 31), -1);
    for (std::int64_t z = -800000; z <= 800000; z += 997) {
        const CivilDate c = civilFromDays(z);
        EXPECT_EQ(daysFromCivil(c.year, c.month, c.day), z);
    }
    const CivilDate leap = civilFromDays(daysFromCivil(2028, 2, 29));
    EXPECT_EQ(leap.year, 2028);
    EXPECT_EQ(leap.month, 2);
    EXPECT_EQ(leap.day, 29);
}

TEST(TimelineCalendar, WeekdaysAndFloors) {
    EXPECT_EQ(isoWeekday(0), 3);                               // 1970-01-01 was a Thursday
    EXPECT_EQ(isoWeekday(daysFromCivil(2026, 11, 27)), 4);     // Friday
    EXPECT_EQ(floorTo(at(2026, 11, 27, 15, 40), TickUnit::Week), at(2026, 11, 23));
    EXPECT_EQ(floorTo(at(2026, 11, 23), TickUnit::Week), at(2026, 11, 23));
    EXPECT_EQ(floorTo(at(2026, 11, 27, 15, 40), TickUnit::Hour3), at(2026, 11, 27, 15));
    EXPECT_EQ(floorTo(at(2026, 11, 27, 15, 40), TickUnit::Month), at(2026, 11, 1));
    EXPECT_EQ(floorTo(at(2026, 11, 27, 15, 40), TickUnit::Quarter), at(2026, 10, 1));
    EXPECT_EQ(floorTo(at(2026, 11, 27, 15, 40), TickUnit::Year), at(2026, 1, 1));
    EXPECT_EQ(floorTo(-1, TickUnit::Day), -kDay);
}

TEST(TimelineTicks, MonthsAcrossTheYearEnd) {
    const auto ticks = tickTimes(at(2026, 11, 15), at(2027, 2, 10), TickUnit::Month);
    ASSERT_EQ(ticks.size(), 3u);
    EXPECT_EQ(ticks[0], at(2026, 12, 1));
    EXPECT_EQ(ticks[1], at(2027, 1, 1));
    EXPECT_EQ(ticks[2], at(2027, 2, 1));
    EXPECT_EQ(tickLabel(ticks[1], TickUnit::Month, true), "Jan 2027");
    EXPECT_EQ(tickLabel(ticks[1], TickUnit::Year), "2027");
}

TEST(TimelineTicks, HoursAndDaysInclusiveAndBounded) {
    const auto hours = tickTimes(at(2026, 11, 27, 5, 30), at(2026, 11, 27, 12), TickUnit::Hour6);
    ASSERT_EQ(hours.size(), 2u);
    EXPECT_EQ(tickLabel(hours[0], TickUnit::Hour6), "06:00");
    EXPECT_EQ(tickLabel(hours[1], TickUnit::Hour6), "12:00");
    const auto days = tickTimes(at(2026, 11, 23), at(2026, 11, 29), TickUnit::Day);
    EXPECT_EQ(days.size(), 7u);
    EXPECT_EQ(tickLabel(days.front(), TickUnit::Day), "Mon 23");
    EXPECT_EQ(tickLabel(days.front(), TickUnit::Day, true), "Mon 23 Nov 2026");
    EXPECT_EQ(tickLabel(days.front(), TickUnit::Week), "23 Nov");
    EXPECT_EQ(tickTimes(0, 400 * kDay, TickUnit::Hour, 50).size(), 50u);
    EXPECT_EQ(formatUtcMinute(at(2026, 3, 28, 22, 5)), "2026-03-28 22:05");
}

TEST(TimelineTicks, UnitFollowsZoom) {
    EXPECT_EQ(chooseTickUnit(60.0, 56.0f), TickUnit::Hour);      // 60 px per hour
    EXPECT_EQ(chooseTickUnit(600.0, 56.0f), TickUnit::Hour12);   // 72 px per 12 hours
    EXPECT_EQ(chooseTickUnit(3000.0, 56.0f), TickUnit::Week);
    EXPECT_EQ(chooseTickUnit(kMaxSecondsPerPx, 56.0f), TickUnit::Year);
    EXPECT_EQ(coarserUnit(TickUnit::Hour3), TickUnit::Day);
    EXPECT_EQ(coarserUnit(TickUnit::Week), TickUnit::Month);
    EXPECT_EQ(coarserUnit(TickUnit::Quarter), TickUnit::Year);
}

TEST(TimelineAxis, ZoomKeepsTheTimeUnderTheCursor) {
    TimeAxis a{1.0e9, 300.0};
    const double before = toTime(a, 250.0f);
    zoomAround(a, 250.0f, 0.5);
    EXPECT_DOUBLE_EQ(a.secondsPerPx, 150.0);
    EXPECT_NEAR(toTime(a, 250.0f), before, 1e-6);
    zoomAround(a, 10.0f, 1e-9);
    EXPECT_DOUBLE_EQ(a.secondsPerPx, kMinSecondsPerPx);
    EXPECT_NEAR(toX(a, toTime(a, 123.0f)), 123.0f, 1e-3);
}

TEST(TimelineAxis, NamedScales) {
    TimeAxis a;
    showSpan(a, 1.0e9, spanOf(Scale::Week), 700.0f);
    EXPECT_NEAR(toTime(a, 350.0f), 1.0e9, 1e-6);
    EXPECT_NEAR(a.secondsPerPx * 700.0, 7.0 * kDay, 1e-6);
    EXPECT_EQ(nearestScale(a, 700.0f), Scale::Week);
    showSpan(a, 1.0e9, spanOf(Scale::Day) * 1.3, 700.0f);
    EXPECT_EQ(nearestScale(a, 700.0f), Scale::Day);
    showSpan(a, 1.0e9, spanOf(Scale::Month), 700.0f);
    EXPECT_EQ(nearestScale(a, 700.0f), Scale::Month);
}

TEST(TimelineGantt, MinuteSteps) {
    EXPECT_EQ(minuteTickStep(1.0, 60.0f), 60);
    EXPECT_EQ(minuteTickStep(0.1, 60.0f), 10);
    EXPECT_EQ(minuteTickStep(1000.0, 60.0f), 10080);
    EXPECT_EQ(minuteLabel(45), "45 min");
    EXPECT_EQ(minuteLabel(120), "2 h");
    EXPECT_EQ(minuteLabel(95), "1 h 35");
}

TEST(TimelineHit, SpansAndRows) {
    const Span narrow = clickableSpan(100.0f, 101.0f, 10.0f);
    EXPECT_FLOAT_EQ(narrow.x0, 95.5f);
    EXPECT_FLOAT_EQ(narrow.x1, 105.5f);
    const Span wide = clickableSpan(0.0f, 50.0f, 10.0f);
    EXPECT_FLOAT_EQ(wide.x1, 50.0f);
    EXPECT_EQ(hitSpan({narrow, wide}, 104.0f), 0);
    EXPECT_EQ(hitSpan({narrow, wide}, 20.0f), 1);
    EXPECT_EQ(hitSpan({narrow, wide}, 70.0f), -1);
    EXPECT_EQ(rowAt(35.0f, 10.0f, 20.0f, 5), 1);
    EXPECT_EQ(rowAt(5.0f, 10.0f, 20.0f, 5), -1);
    EXPECT_EQ(rowAt(200.0f, 10.0f, 20.0f, 5), -1);
}

TEST(TimelineRunbook, ReachabilityAndNewIds) {
    std::vector<core::Step> steps(4);
    steps[0].id = "S1";
    steps[1].id = "S2";
    steps[1].dependsOn = {"S1"};
    steps[2].id = "S3";
    steps[2].dependsOn = {"S2"};
    steps[3].id = "check";
    EXPECT_TRUE(reaches(steps, "S3", "S1"));    // S1 depending on S3 would close a loop
    EXPECT_FALSE(reaches(steps, "S1", "S3"));   // S3 may depend on S1
    EXPECT_TRUE(reaches(steps, "S2", "S2"));
    EXPECT_FALSE(reaches(steps, "check", "S1"));
    EXPECT_EQ(nextStepId(steps), "S4");
    EXPECT_EQ(nextStepId({}), "S1");
    steps[0].id = "S10";
    EXPECT_EQ(nextStepId(steps), "S11");
}

}  // namespace
}  // namespace planner::ui::timeline
