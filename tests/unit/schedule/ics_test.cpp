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

std::string readData(const std::string& name) {
    std::ifstream in(std::string(PLANNER_TEST_DATA_DIR) + "/schedule/" + name, std::ios::binary);
    EXPECT_TRUE(in.good()) << name;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class IcsTest : public ScheduleTest {
protected:
    Result<std::vector<Window>> importFile(const std::string& name, IcsImportOptions o = {}) {
        o.fileName = name;
        return importIcs(readData(name), o);
    }
    std::vector<std::string> starts(const Window& w, const std::string& from, const std::string& to) {
        auto v = expandWindow(w, at(from), at(to));
        EXPECT_TRUE(v.ok());
        std::vector<std::string> out;
        if (v.ok())
            for (const Interval& iv : v.value()) out.push_back(localOf(iv.start, w.timeZone));
        return out;
    }
    const Window* byName(const std::vector<Window>& ws, const std::string& name) {
        for (const Window& w : ws)
            if (w.name == name) return &w;
        ADD_FAILURE() << "no window named " << name;
        return nullptr;
    }
};

TEST_F(IcsTest, GoogleExportWithExdatesOverrideAllDayFreezeAndCancelledEvent) {
    auto r = importFile("google_export.ics");
    ASSERT_TRUE(r.ok()) << r.error().toString();
    ASSERT_EQ(r->size(), 4u);
    const Window* db = byName(*r, "DB maintenance window");
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(db->id, "4hq2k1v0c3b7mdn1v3l0sd9a1e@google.com");
    EXPECT_EQ(db->kind, WindowKind::Maintenance);
    EXPECT_EQ(db->timeZone, "Europe/Berlin");
    EXPECT_EQ(db->start, "2026-01-03T22:00:00");
    EXPECT_EQ(db->duration, 240);
    EXPECT_EQ(db->sequence, 2);
    EXPECT_EQ(db->exdates, (std::vector<std::string>{"2026-04-04T22:00:00", "2026-05-23T22:00:00",
                                                     "2026-05-30T22:00:00", "2026-06-13T22:00:00"}));
    auto spring = starts(*db, "2026-03-25T00:00:00", "2026-04-15T00:00:00");
    EXPECT_EQ(spring, (std::vector<std::string>{"2026-03-28T22:00:00", "2026-04-11T22:00:00"}));
    auto last = starts(*db, "2026-12-01T00:00:00", "2027-02-01T00:00:00");
    EXPECT_EQ(last.back(), "2026-12-26T22:00:00");  // UNTIL 20261226T225959Z is 23:59:59 CET

    const Window* moved = byName(*r, "DB maintenance window (moved to Sunday evening)");
    ASSERT_NE(moved, nullptr);
    EXPECT_EQ(moved->id, "4hq2k1v0c3b7mdn1v3l0sd9a1e@google.com/2026-06-13T22:00:00");
    EXPECT_EQ(moved->start, "2026-06-14T20:00:00");
    EXPECT_TRUE(moved->rrule.empty());

    const Window* net = byName(*r, "Core network maintenance (last Sunday of the month)");
    ASSERT_NE(net, nullptr);
    EXPECT_EQ(net->exdates, (std::vector<std::string>{"2026-06-28T02:00:00"}));  // EXDATE given in UTC
    EXPECT_EQ(starts(*net, "2026-05-01T00:00:00", "2026-08-01T00:00:00"),
              (std::vector<std::string>{"2026-05-31T02:00:00", "2026-07-26T02:00:00"}));

    const Window* freeze = byName(*r, "Year-end change freeze");
    ASSERT_NE(freeze, nullptr);
    EXPECT_EQ(freeze->kind, WindowKind::Freeze);
    EXPECT_EQ(freeze->timeZone, "Europe/Berlin");  // all-day event read in X-WR-TIMEZONE
    EXPECT_EQ(freeze->start, "2026-12-19T00:00:00");
    EXPECT_EQ(freeze->duration, 16 * 1440);
}

TEST_F(IcsTest, OutlookExportWithWindowsZoneNamesQuotedTzidAndAlarm) {
    auto r = importFile("outlook_export.ics");
    ASSERT_TRUE(r.ok()) << r.error().toString();
    ASSERT_EQ(r->size(), 2u);
    const Window& patch = (*r)[0];
    EXPECT_EQ(patch.name, "Patch window - application servers");
    EXPECT_EQ(patch.id.rfind("040000008200E00074C5B7101A82E00800000000D0B1F0C5A66DDB01000000000000000010000000B9", 0), 0u);
    EXPECT_EQ(patch.id.find(' '), std::string::npos);  // folded UID joined back
    EXPECT_EQ(patch.timeZone, "Europe/Berlin");
    EXPECT_EQ(patch.kind, WindowKind::Maintenance);
    auto s = starts(patch, "2026-01-01T00:00:00", "2027-06-01T00:00:00");
    ASSERT_EQ(s.size(), 11u);  // COUNT=12 minus the August EXDATE
    EXPECT_EQ(s[0], "2026-01-10T19:00:00");
    EXPECT_EQ(s[6], "2026-07-11T19:00:00");
    EXPECT_EQ(s[7], "2026-09-12T19:00:00");
    const Window& blackout = (*r)[1];
    EXPECT_EQ(blackout.kind, WindowKind::Freeze);
    EXPECT_EQ(blackout.timeZone, "America/New_York");
    EXPECT_EQ(blackout.duration, 4 * 1440 + 6 * 60);
}

TEST_F(IcsTest, LfLineEndsScopeAndFloatingTimes) {
    auto r = importFile("sydney_lf.ics");
    ASSERT_TRUE(r.ok()) << r.error().toString();
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ((*r)[0].scope, WindowScope::CiType);
    EXPECT_EQ((*r)[0].scopeValue, "database");
    EXPECT_EQ((*r)[0].timeZone, "Australia/Sydney");
    EXPECT_EQ((*r)[0].duration, 180);
    auto s = starts((*r)[0], "2026-03-01T00:00:00", "2026-05-01T00:00:00");
    ASSERT_EQ(s.size(), 9u);  // COUNT=10, the tenth falls in May; Sydney leaves DST on 5 April
    for (const std::string& x : s) EXPECT_EQ(x.substr(11), "23:00:00");
    EXPECT_EQ((*r)[1].timeZone, "UTC");
    IcsImportOptions o;
    o.defaultTimeZone = "Australia/Sydney";
    o.defaultKind = WindowKind::Freeze;
    auto r2 = importFile("sydney_lf.ics", o);
    ASSERT_TRUE(r2.ok());
    EXPECT_EQ((*r2)[1].timeZone, "Australia/Sydney");
    EXPECT_EQ((*r2)[1].kind, WindowKind::Freeze);
    EXPECT_EQ((*r2)[0].kind, WindowKind::Maintenance);  // its SUMMARY says maintenance
}

struct BadSample {
    const char* file;
    const char* expected;
};

TEST_F(IcsTest, EachMalformedSampleNamesItsLine) {
    const BadSample samples[] = {
        {"bad_rrule.ics",
         "bad_rrule.ics:9:7: RRULE value 'FREQ=SOMETIMES;BYDAY=SA' cannot be read as RECUR (expected a rule such as "
         "FREQ=WEEKLY;BYDAY=SA)"},
        {"junk_line.ics",
         "junk_line.ics:9:1: line is not NAME:VALUE nor BEGIN/END: 'Maintenance every Saturday night'"},
        {"missing_end.ics",
         "missing_end.ics:17:1: END:VCALENDAR found while BEGIN:VEVENT from line 4 is still open (expected END:VEVENT)"},
        {"unknown_tzid.ics",
         "unknown_tzid.ics:7: unknown time zone 'Mars/Olympus_Mons' (expected an IANA name such as Europe/Berlin)"},
        {"bad_date.ics", "bad_date.ics:7: '20261301T220000' is not a real calendar date and time"},
        {"bad_datetime.ics",
         "bad_datetime.ics:7:28: DTSTART value '2026-01-03 22:00' cannot be read as DATE-TIME (expected "
         "YYYYMMDDTHHMMSS, optionally ending in Z)"},
        {"missing_dtstart.ics",
         "missing_dtstart.ics:4: event 'nostart@example.com' has no DTSTART (expected DTSTART before END:VEVENT)"},
        {"end_before_start.ics", "end_before_start.ics:8: DTEND of event 'backwards@example.com' is not after its DTSTART"},
        {"not_a_calendar.txt",
         "not_a_calendar.txt:1:1: expected BEGIN:VCALENDAR at the start of an iCalendar file, found "
         "'id,name,start,duration'"},
    };
    for (const BadSample& s : samples) {
        auto r = importFile(s.file);
        ASSERT_FALSE(r.ok()) << s.file;
        EXPECT_EQ(r.error().toString(), s.expected);
    }
}

TEST_F(IcsTest, OneBadEventFailsTheWholeImport) {
    std::string text =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
        "BEGIN:VEVENT\r\nUID:good\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260103T220000Z\r\nDURATION:PT1H\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:good\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260104T220000Z\r\nDURATION:PT1H\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n";
    auto r = importIcs(text, {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().line, 10);
    EXPECT_NE(r.error().message.find("UID 'good' is used by another event at line 4"), std::string::npos);
    std::string noEnd = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260103T220000Z\r\nEND:VEVENT\r\n";
    auto r2 = importIcs(noEnd, {});
    ASSERT_FALSE(r2.ok());
    EXPECT_EQ(r2.error().line, 1);
    EXPECT_NE(r2.error().message.find("BEGIN:VCALENDAR is never closed"), std::string::npos);
    EXPECT_FALSE(importIcs("", {}).ok());
    EXPECT_FALSE(importIcs(std::string("BEGIN:VCALENDAR\r\nX-A:\0\r\nEND:VCALENDAR\r\n", 37), {}).ok());
}

std::vector<Window> sampleWindows() {
    std::vector<Window> ws = {
        makeWindow("db-sat", WindowKind::Maintenance, WindowScope::CiType, "database", "Europe/Berlin",
                   "2026-01-03T22:00:00", 240, "FREQ=WEEKLY;BYDAY=SA"),
        makeWindow("net-last-sun", WindowKind::Maintenance, WindowScope::Service, "svc-net", "America/New_York",
                   "2026-01-25T01:00:00", 180, "FREQ=MONTHLY;UNTIL=20261231T235959Z;BYDAY=-1SU"),
        makeWindow("syd", WindowKind::Maintenance, WindowScope::Ci, "db-syd-1", "Australia/Sydney",
                   "2026-02-01T23:00:00", 120, "FREQ=DAILY;COUNT=40"),
        makeWindow("xmas", WindowKind::Freeze, WindowScope::Global, "", "Europe/Berlin", "2026-12-19T00:00:00",
                   16 * 1440),
        makeWindow("utc-freeze", WindowKind::Freeze, WindowScope::CiType, "network", "UTC", "2026-06-30T00:00:00",
                   1440, "FREQ=YEARLY"),
    };
    ws[0].name = "Database Saturday night, a name long enough that the SUMMARY line must be folded by the writer";
    ws[0].exdates = {"2026-04-04T22:00:00", "2026-05-23"};
    ws[0].rdates = {"2026-04-06T21:00:00"};
    ws[0].sequence = 4;
    ws[2].exdates = {"2026-02-10T23:00:00"};
    return ws;
}

TEST_F(IcsTest, ExportIsDeterministicWellFormedAndComplete) {
    std::vector<Window> ws = sampleWindows();
    PlannedChange c;
    c.id = "CHG0001234";
    c.title = "Patch database cluster";
    c.cis = {"db-1", "db-2"};
    c.implementer = "alice";
    c.interval = {at("2026-03-07T21:30:00"), at("2026-03-07T23:00:00")};
    IcsExportOptions o;
    o.dtstamp = at("2026-01-15T08:00:00");
    auto a = exportIcs(ws, {c}, o);
    ASSERT_TRUE(a.ok()) << a.error().toString();
    auto b = exportIcs(ws, {c}, o);
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(a.value(), b.value());
    const std::string& text = a.value();
    EXPECT_EQ(text.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
    size_t pos = 0, maxLen = 0, lfOnly = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        ASSERT_NE(nl, std::string::npos);
        if (nl == 0 || text[nl - 1] != '\r') ++lfOnly;
        maxLen = std::max(maxLen, nl - 1 - pos);
        pos = nl + 1;
    }
    EXPECT_EQ(lfOnly, 0u);
    EXPECT_LE(maxLen, 75u);
    for (const char* needle :
         {"PRODID:-//Change Planner//Schedule 1.0//EN", "VERSION:2.0", "TZID:Europe/Berlin\r\n", "TZID:America/New_York\r\n",
          "TZID:Australia/Sydney\r\n", "UID:db-sat@change-planner.invalid", "DTSTAMP:20260115T080000Z",
          "DTSTART;TZID=Europe/Berlin:20260103T220000", "EXDATE;TZID=Europe/Berlin:20260523T220000",
          "RDATE;TZID=Europe/Berlin:20260406T210000", "SEQUENCE:4", "CATEGORIES:FREEZE", "TRANSP:OPAQUE",
          "CATEGORIES:MAINTENANCE", "DTSTART:20260630T000000Z", "UID:change-CHG0001234@change-planner.invalid",
          "DTSTART:20260307T213000Z", "DTEND:20260307T230000Z", "CATEGORIES:CHANGE", "X-PLANNER-SCOPE:ci_type"})
        EXPECT_NE(text.find(needle), std::string::npos) << needle;
    EXPECT_EQ(text.find("BEGIN:VTIMEZONE\r\nTZID:UTC"), std::string::npos);
    ws[1].timeZone = "Nowhere/Atlantis";
    EXPECT_FALSE(exportIcs(ws, {}, o).ok());
}

TEST_F(IcsTest, RoundTripKeepsMeaning) {
    std::vector<Window> ws = sampleWindows();
    PlannedChange c;
    c.id = "CHG1";
    c.interval = {at("2026-03-07T21:30:00"), at("2026-03-07T23:00:00")};
    IcsExportOptions o;
    o.dtstamp = at("2026-01-15T08:00:00");
    auto text = exportIcs(ws, {c}, o);
    ASSERT_TRUE(text.ok());
    auto back = importIcs(text.value(), {});
    ASSERT_TRUE(back.ok()) << back.error().toString();
    ASSERT_EQ(back->size(), ws.size());  // the planned change is not read back as a window
    for (size_t i = 0; i < ws.size(); ++i) {
        const Window& x = ws[i];
        const Window& y = (*back)[i];
        EXPECT_EQ(y.id, x.id);
        EXPECT_EQ(y.name, x.name);
        EXPECT_EQ(y.kind, x.kind);
        EXPECT_EQ(y.scope, x.scope);
        EXPECT_EQ(y.scopeValue, x.scopeValue);
        EXPECT_EQ(y.timeZone, x.timeZone);
        EXPECT_EQ(y.start, x.start);
        EXPECT_EQ(y.duration, x.duration);
        EXPECT_EQ(y.rrule, x.rrule);
        EXPECT_EQ(y.sequence, x.sequence);
        auto ex = expandWindow(x, at("2025-12-01T00:00:00"), at("2028-01-01T00:00:00"));
        auto ey = expandWindow(y, at("2025-12-01T00:00:00"), at("2028-01-01T00:00:00"));
        ASSERT_TRUE(ex.ok() && ey.ok());
        EXPECT_EQ(ex.value(), ey.value()) << x.id;
        EXPECT_FALSE(ex->empty());
    }
    auto again = exportIcs(back.value(), {c}, o);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again.value() == text.value());
}

}  // namespace
