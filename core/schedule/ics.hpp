// iCalendar (RFC 5545) export of windows, freezes and planned changes, and
// import of windows and freezes from files calendar programs write. Parsing,
// serialization, folding and time zone definitions are libical's.
#pragma once

#include "model/model.hpp"
#include "schedule/conflicts.hpp"
#include "util/result.hpp"

#include <string>
#include <vector>

namespace planner::core::schedule {

struct IcsExportOptions {
    std::string prodId = "-//Change Planner//Schedule 1.0//EN";
    std::string uidDomain = "change-planner.invalid";  // UID = <id>@<uidDomain> unless the id has an '@'
    TimeUtc dtstamp = 0;                                // DTSTAMP of every event (caller-supplied: output is deterministic)
    std::string calendarName;                           // X-WR-CALNAME when not empty
};

// A VCALENDAR (PRODID, VERSION:2.0, CRLF line ends, folded lines) holding one
// VTIMEZONE per zone used, one VEVENT per window or freeze (local times with
// TZID, DURATION, RRULE/EXDATE/RDATE, SEQUENCE, CATEGORIES MAINTENANCE or
// FREEZE, freezes TRANSP:OPAQUE) and one UTC VEVENT per planned change
// (CATEGORIES CHANGE). Fails if a window does not validate.
Result<std::string> exportIcs(const std::vector<Window>& windows, const std::vector<PlannedChange>& changes,
                              const IcsExportOptions& options);

struct IcsImportOptions {
    std::string fileName;                   // named in error messages
    std::string defaultTimeZone = "UTC";    // for floating and all-day events when the file has no X-WR-TIMEZONE
    WindowKind defaultKind = WindowKind::Maintenance;  // when neither X-PLANNER-KIND, CATEGORIES nor SUMMARY says
    WindowScope defaultScope = WindowScope::Global;    // when the event has no X-PLANNER-SCOPE
    std::string defaultScopeValue;
};

// Windows and freezes of every VEVENT in `text` (planned-change events written
// by exportIcs are skipped, cancelled events dropped, moved or cancelled
// instances folded into their series as EXDATE plus a one-off window). On any
// error nothing is returned but an Error naming file, line and what was expected.
Result<std::vector<Window>> importIcs(const std::string& text, const IcsImportOptions& options);

}  // namespace planner::core::schedule
