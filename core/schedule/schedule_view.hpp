// Forward schedule of change (C6): what the schedule view draws over a range.
#pragma once

#include "schedule/conflicts.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <vector>

namespace planner::core::schedule {

struct ScheduledChange {
    std::int32_t change = 0;    // index into the changes passed in
    Interval interval;
    std::int32_t conflictCount = 0;
};

struct ScheduleView {
    Interval range;
    std::vector<Window> windows;           // every window and freeze, indexed by occurrences[i].window
    std::vector<Occurrence> occurrences;   // window and freeze occurrences overlapping the range, by start
    std::vector<ScheduledChange> changes;  // changes overlapping the range, by start then input order
    std::vector<Conflict> conflicts;       // conflicts of those changes (detectConflicts order)
};

// Builds the view of [from, to): expands the windows over the range and over
// every listed change, and checks the changes that overlap the range. Fails
// when a window does not validate.
Result<ScheduleView> buildScheduleView(const std::vector<Window>& windows, const std::vector<PlannedChange>& changes,
                                       const CiLookup& lookup, TimeUtc from, TimeUtc to);

}  // namespace planner::core::schedule
