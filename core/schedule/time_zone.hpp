// Time zones and local wall times for scheduling. Zone rules come from libical
// (the system zoneinfo natively, libical's built-in zoneinfo in the web build).
// Times are UTC seconds (TimeUtc); local wall times are "YYYY-MM-DDTHH:MM:SS".
#pragma once

#include "model/model.hpp"
#include "util/result.hpp"

#include <optional>
#include <string>

namespace planner::core::schedule {

// Selects where zone definitions are read from. An empty `zoneinfoDir` keeps the
// library default (system zoneinfo natively); the web build must pass the
// directory of libical's built-in zoneinfo before any other call here.
void initTimeZones(const std::string& zoneinfoDir);

// True for "UTC" and every IANA name the zone database knows ("Europe/Berlin").
bool isKnownTimeZone(const std::string& zone);

// A calendar date and wall-clock time with no zone attached.
struct LocalDateTime {
    int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
    bool operator==(const LocalDateTime&) const = default;
    auto operator<=>(const LocalDateTime&) const = default;
};

// Reads "YYYY-MM-DDTHH:MM:SS" (exactly that shape, a real calendar date and a
// time 00:00:00..23:59:59); nullopt otherwise.
std::optional<LocalDateTime> parseLocalDateTime(const std::string& text);

// Writes "YYYY-MM-DDTHH:MM:SS".
std::string formatLocalDateTime(const LocalDateTime& t);

// UTC instant of a local wall time in `zone`. A wall time skipped by a
// daylight-saving jump is read with the offset in force after the jump (one
// hour earlier on the clock); a repeated one maps to its second occurrence, in
// standard time (libical's rules).
// Error if the zone is unknown.
Result<TimeUtc> localToUtc(const LocalDateTime& t, const std::string& zone);

// Local wall time of a UTC instant in `zone`. Error if the zone is unknown.
Result<LocalDateTime> utcToLocal(TimeUtc t, const std::string& zone);

// Planner-readable moment such as "Sat 2026-03-28 22:00 Europe/Berlin"; falls
// back to UTC when the zone is unknown.
std::string describeTime(TimeUtc t, const std::string& zone);

// Day of week of a calendar date, 0 = Sunday .. 6 = Saturday.
int dayOfWeek(int year, int month, int day);

}  // namespace planner::core::schedule
