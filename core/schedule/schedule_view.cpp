#include "schedule/schedule_view.hpp"

#include <algorithm>
#include <cassert>
#include <map>

namespace planner::core::schedule {

Result<ScheduleView> buildScheduleView(const std::vector<Window>& windows, const std::vector<PlannedChange>& changes,
                                       const CiLookup& lookup, TimeUtc from, TimeUtc to) {
    assert(from <= to);
    ScheduleView view;
    view.range = {from, to};
    TimeUtc lo = from, hi = to;
    std::vector<PlannedChange> inRange;
    for (size_t i = 0; i < changes.size(); ++i) {
        const Interval& iv = changes[i].interval;
        if (iv.end <= iv.start || iv.end <= from || iv.start >= to) continue;
        view.changes.push_back({static_cast<std::int32_t>(i), iv, 0});
        inRange.push_back(changes[i]);
        lo = std::min(lo, iv.start);
        hi = std::max(hi, iv.end);
    }
    auto calendar = WindowCalendar::build(windows, lo, hi);
    if (!calendar) return calendar.error();
    view.occurrences = calendar->occurrencesIn(from, to);
    view.windows = calendar->windows();
    view.conflicts = detectConflicts(calendar.value(), inRange, lookup);
    std::map<std::string, std::int32_t> counts;
    for (const Conflict& c : view.conflicts) ++counts[c.changeId];
    for (ScheduledChange& s : view.changes) {
        auto it = counts.find(changes[static_cast<size_t>(s.change)].id);
        if (it != counts.end()) s.conflictCount = it->second;
    }
    std::stable_sort(view.changes.begin(), view.changes.end(), [](const ScheduledChange& a, const ScheduledChange& b) {
        return a.interval.start < b.interval.start;
    });
    return view;
}

}  // namespace planner::core::schedule
