// Internal bridge between the schedule engine and libical (not for other areas).
#pragma once

#include "schedule/time_zone.hpp"
#include "util/result.hpp"

#include <libical/ical.h>

#include <optional>
#include <string>

namespace planner::core::schedule::detail {

// Error with only the parts that are known.
inline Error makeError(std::string message, std::string file = {}, int line = 0, int column = 0) {
    Error e;
    e.message = std::move(message);
    e.file = std::move(file);
    e.line = line;
    e.column = column;
    return e;
}

// Zone object for "UTC" or an IANA name, owned by libical's cache; nullptr if unknown.
icaltimezone* findZone(const std::string& zone);

// Makes libical report errors instead of aborting; idempotent.
void prepareLibical();

// Floating (zone-less) libical date-time from a local wall time, and back.
icaltimetype toIcal(const LocalDateTime& t);
LocalDateTime fromIcal(const icaltimetype& t);

// UTC seconds of a floating libical time read as wall time in `zone` (non-null),
// and the wall time of a UTC instant. Offsets are cached per zone and day.
TimeUtc wallToUtc(const icaltimetype& wall, icaltimezone* zone);
LocalDateTime utcToWall(TimeUtc t, icaltimezone* zone);

// What is wrong with the COUNT or INTERVAL of an RRULE text (not a number, or
// outside 1..kMaxRecurrenceCount / 1..kMaxRecurrenceInterval), or nullopt.
std::optional<std::string> recurrenceBoundsProblem(const std::string& rule);

// Appends describeTime(t, zone) to `out`.
void appendTime(std::string& out, TimeUtc t, const std::string& zone);

}  // namespace planner::core::schedule::detail
