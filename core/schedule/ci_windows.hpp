// Internal: CI ids interned to integers with the windows and freezes that apply
// to each, resolved once through the caller's CiLookup.
#pragma once

#include "schedule/conflicts.hpp"

#include <string>
#include <unordered_map>
#include <vector>

namespace planner::core::schedule::detail {

class CiWindows {
public:
    CiWindows(const WindowCalendar& calendar, const CiLookup& lookup) : m_cal(calendar), m_lookup(lookup) {}

    // Dense id of `ci`, resolving its windows the first time it is seen.
    std::int32_t intern(const std::string& ci);
    const std::string& name(std::int32_t id) const { return m_names[static_cast<size_t>(id)]; }
    const std::vector<std::int32_t>& maintenance(std::int32_t id) const { return m_maint[static_cast<size_t>(id)]; }
    const std::vector<std::int32_t>& freezes(std::int32_t id) const { return m_freeze[static_cast<size_t>(id)]; }

private:
    const WindowCalendar& m_cal;
    const CiLookup& m_lookup;
    std::unordered_map<std::string, std::int32_t> m_ids;
    std::vector<std::string> m_names;
    std::vector<std::vector<std::int32_t>> m_maint, m_freeze;
};

// Latest moment up to which [iv.start, reach) is covered by the union of the
// merged occurrences of `windows`; equals iv.start when the start is uncovered.
TimeUtc coveredUntil(const WindowCalendar& cal, const std::vector<std::int32_t>& windows, const Interval& iv);

// Earliest start of an occurrence of any of `windows` at or after `t`, or -1.
TimeUtc nextOpening(const WindowCalendar& cal, const std::vector<std::int32_t>& windows, TimeUtc t,
                    std::int32_t* window);

}  // namespace planner::core::schedule::detail
