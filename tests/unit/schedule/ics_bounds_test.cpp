// Numbers in windows from outside input stay within the documented bounds
// (expansion.hpp): an iCalendar import refuses what is out of range naming the
// file, line and property, and validateWindow refuses the same for windows
// read from anywhere else.
#include "schedule/expansion.hpp"
#include "schedule/ics.hpp"
#include "schedule_test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace planner::core;
using namespace planner::core::schedule;
using namespace planner::core::schedule::testing;

namespace {

// One VEVENT with the given property lines; the first of them is line 7.
std::string calendar(const std::vector<std::string>& props) {
    std::string s = "BEGIN:VCALENDAR\r\nPRODID:-//Test//Bounds//EN\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
                    "UID:w@example.com\r\nDTSTAMP:20260101T000000Z\r\n";
    for (const std::string& p : props) s += p + "\r\n";
    return s + "END:VEVENT\r\nEND:VCALENDAR\r\n";
}

class IcsBoundsTest : public ScheduleTest {
protected:
    Result<std::vector<Window>> import(const std::string& text) {
        IcsImportOptions o;
        o.fileName = "bounds.ics";
        return importIcs(text, o);
    }
    // The import fails at `line` with a message that starts with `property`.
    void expectRefused(const std::string& text, int line, const std::string& property, const std::string& part) {
        auto r = import(text);
        ASSERT_FALSE(r.ok()) << text;
        EXPECT_EQ(r.error().file, "bounds.ics");
        EXPECT_EQ(r.error().line, line) << r.error().toString();
        EXPECT_EQ(r.error().message.rfind(property, 0), 0u) << r.error().toString();
        EXPECT_NE(r.error().message.find(part), std::string::npos) << r.error().toString();
    }
};

TEST_F(IcsBoundsTest, FuzzRegressionDtendIn4052IsRefusedNamingFileLineAndProperty) {
    // The input that made exportIcs multiply ~1e9 minutes by 60 in an int.
    const std::string path = std::string(PLANNER_TEST_DATA_DIR) + "/../fuzz/corpus/fuzz_ics/regression_dtend_4052.ics";
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in.good()) << path;
    std::stringstream ss;
    ss << in.rdbuf();
    IcsImportOptions o;
    o.fileName = "regression_dtend_4052.ics";
    auto r = importIcs(ss.str(), o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().toString(),
              "regression_dtend_4052.ics:8: DTEND year 4052 is outside the years 1970..2200 a window may use");
}

TEST_F(IcsBoundsTest, WindowLongerThanItsKindAllowsIsRefusedAtTheLineThatSetsTheLength) {
    // 2026-01-03 22:00 to 2026-03-01 22:00 is 57 days, within the years but not the 31 days.
    expectRefused(calendar({"DTSTART:20260103T220000Z", "DTEND:20260301T220000Z", "SUMMARY:Maintenance"}), 8,
                  "DTEND makes event 'w@example.com' last 82080 minutes", "31 days a maintenance window");
    expectRefused(calendar({"SUMMARY:Maintenance", "DTSTART:20260103T220000Z", "DURATION:P10000W"}), 9, "DURATION",
                  "longer than the 31 days");
    // A freeze may be longer (92 days), but not a year.
    auto freeze = import(calendar({"DTSTART:20261201T000000Z", "DTEND:20270115T000000Z", "CATEGORIES:FREEZE"}));
    ASSERT_TRUE(freeze.ok()) << freeze.error().toString();
    EXPECT_EQ(freeze->at(0).duration, 45 * 1440);
    expectRefused(calendar({"DTSTART:20260101T000000Z", "DTEND:20270101T000000Z", "CATEGORIES:FREEZE"}), 8, "DTEND",
                  "92 days a freeze window");
}

TEST_F(IcsBoundsTest, LongestAllowedWindowExportsAndImportsAgain) {
    auto r = import(calendar({"DTSTART:20260103T220000Z", "DURATION:P31D", "SUMMARY:Migration maintenance"}));
    ASSERT_TRUE(r.ok()) << r.error().toString();
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ(r->at(0).duration, kMaxMaintenanceMinutes);
    auto text = exportIcs(r.value(), {}, {});
    ASSERT_TRUE(text.ok()) << text.error().toString();
    auto back = importIcs(text.value(), {});
    ASSERT_TRUE(back.ok()) << back.error().toString();
    EXPECT_EQ(back->at(0).duration, kMaxMaintenanceMinutes);
}

TEST_F(IcsBoundsTest, YearsOutsideTheRangeAreRefusedNamingTheProperty) {
    expectRefused(calendar({"DTSTART:19691231T220000Z", "DURATION:PT4H"}), 7, "DTSTART year 1969", "1970..2200");
    expectRefused(calendar({"DTSTART:20260103T220000Z", "DURATION:PT4H", "RRULE:FREQ=WEEKLY",
                            "EXDATE:23000103T220000Z"}),
                  10, "EXDATE year 2300", "1970..2200");
    expectRefused(calendar({"DTSTART:20260103T220000Z", "DURATION:PT4H", "RRULE:FREQ=WEEKLY;UNTIL=25000101T000000Z"}),
                  9, "RRULE UNTIL year 2500", "1970..2200");
}

TEST_F(IcsBoundsTest, RecurrenceCountAndIntervalOutOfRangeAreRefusedAtTheRruleLine) {
    const std::string start = "DTSTART:20260103T220000Z", length = "DURATION:PT4H";
    expectRefused(calendar({start, length, "RRULE:FREQ=DAILY;COUNT=100001"}), 9, "RRULE COUNT 100001",
                  "outside 1..100000");
    expectRefused(calendar({start, length, "RRULE:FREQ=DAILY;COUNT=99999999999999"}), 9, "RRULE COUNT", "outside");
    // 70000 would wrap to 4464 in libical's short.
    expectRefused(calendar({start, length, "RRULE:FREQ=WEEKLY;INTERVAL=70000"}), 9, "RRULE INTERVAL 70000",
                  "outside 1..1000");
    auto ok = import(calendar({start, length, "RRULE:FREQ=DAILY;COUNT=100000;INTERVAL=1000"}));
    EXPECT_TRUE(ok.ok()) << ok.error().toString();
}

TEST_F(IcsBoundsTest, ValidateWindowAppliesTheSameBoundsToWindowsFromElsewhere) {
    Window w = makeWindow("W", WindowKind::Maintenance, WindowScope::Global, "", "UTC", "2026-01-03T22:00:00", 240);
    EXPECT_TRUE(validateWindow(w).ok());
    Window huge = w;
    huge.duration = 1'000'000'000;  // what the 4052 event imported as before
    EXPECT_FALSE(validateWindow(huge).ok());
    auto exported = exportIcs({huge}, {}, {});
    ASSERT_FALSE(exported.ok());
    EXPECT_NE(exported.error().message.find("longer than the 31 days"), std::string::npos)
        << exported.error().message;
    Window freeze = w;
    freeze.kind = WindowKind::Freeze;
    freeze.duration = kMaxFreezeMinutes;
    EXPECT_TRUE(validateWindow(freeze).ok());
    freeze.duration = kMaxFreezeMinutes + 1;
    EXPECT_FALSE(validateWindow(freeze).ok());
    Window late = w;
    late.start = "2201-01-01T00:00:00";
    EXPECT_FALSE(validateWindow(late).ok());
    Window exdate = w;
    exdate.rrule = "FREQ=WEEKLY";
    exdate.exdates = {"1900-01-01"};
    EXPECT_FALSE(validateWindow(exdate).ok());
    for (const char* rule : {"FREQ=WEEKLY;INTERVAL=1001", "FREQ=WEEKLY;COUNT=0", "FREQ=WEEKLY;count=100001",
                             "FREQ=WEEKLY;UNTIL=22010101T000000Z"}) {
        Window r = w;
        r.rrule = rule;
        auto st = validateWindow(r);
        EXPECT_FALSE(st.ok()) << rule;
    }
    auto calendar = WindowCalendar::build({huge}, 0, 86400);
    EXPECT_FALSE(calendar.ok());
}

}  // namespace
