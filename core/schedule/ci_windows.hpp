// Internal: CI ids interned to integers with the windows and freezes that apply
// to each, resolved once through the caller's CiLookup.
#pragma once

#include "schedule/conflicts.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace planner::core::schedule::detail {

// Strings numbered 0, 1, 2, ... in the order they are first added; an open
// addressing table, because looking up CI ids is the hot path of the checks.
class StringIds {
public:
    // Id of `s`, or -1 if it was never added.
    std::int32_t find(std::string_view s) const;
    // Id of `s`, adding it with the next id when it is new.
    std::int32_t add(std::string_view s);
    const std::string& name(std::int32_t id) const { return m_names[static_cast<size_t>(id)]; }
    std::int32_t size() const { return static_cast<std::int32_t>(m_names.size()); }

private:
    size_t slotOf(std::string_view s, std::uint32_t h) const;

    std::vector<std::string> m_names;
    std::vector<std::uint32_t> m_hashes;  // per id
    std::vector<std::int32_t> m_slots;    // id or -1; a power of two, at most half full
};

class CiWindows {
public:
    CiWindows(const WindowCalendar& calendar, const CiLookup& lookup);

    // Dense id of `ci`, resolving its windows the first time it is seen.
    std::int32_t intern(const std::string& ci);
    const std::string& name(std::int32_t id) const { return m_ids.name(id); }
    std::int32_t size() const { return m_ids.size(); }
    // Maintenance windows and freezes that apply to the CI, sorted window indices
    // (the maintenance list is built on first use).
    const std::vector<std::int32_t>& maintenance(std::int32_t id);
    const std::vector<std::int32_t>& freezes(std::int32_t id) const { return m_freeze[static_cast<size_t>(id)]; }
    // The maintenance scope groups behind maintenance(id), sorted by address:
    // two CIs have the same windows exactly when these lists are equal.
    const std::vector<const ScopeGroup*>& cover(std::int32_t id) const { return m_cover[static_cast<size_t>(id)]; }
    // False when no freeze of the calendar overlaps `iv` (a quick test before the per-CI ones).
    bool anyFreezeDuring(const Interval& iv) const;

private:
    const WindowCalendar& m_cal;
    const CiLookup& m_lookup;
    StringIds m_ids;
    std::vector<std::vector<std::int32_t>> m_maint, m_freeze;
    std::vector<bool> m_maintDone;
    std::vector<std::vector<const ScopeGroup*>> m_cover;
    std::vector<const ScopeGroup*> m_scratch;
    std::vector<Interval> m_freezeTime;  // union of every freeze occurrence
};

// Latest moment up to which [iv.start, reach) is covered by the union of the
// groups' runs; equals iv.start when the start is uncovered.
TimeUtc coveredUntil(const std::vector<const ScopeGroup*>& groups, const Interval& iv);

// Earliest start of a run at or after `t`, or -1; `*window` gets the lowest
// window index opening there. Meant for a `t` that no run covers.
TimeUtc nextOpening(const std::vector<const ScopeGroup*>& groups, TimeUtc t, std::int32_t* window);

// Highest window index whose occurrence ends at `t` in a run that ends there,
// or `fallback` when there is none.
std::int32_t closingWindow(const std::vector<const ScopeGroup*>& groups, TimeUtc t, std::int32_t fallback);

}  // namespace planner::core::schedule::detail
