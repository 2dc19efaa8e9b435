// Conflict detection for planned changes (C6): same CI, related CI, outside
// every maintenance window, inside a freeze, implementer double-booked. The
// engine knows nothing of the CMDB graph: callers pass each change's impact
// set and a CiLookup for CI types and service membership.
#pragma once

#include "model/model.hpp"
#include "schedule/expansion.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace planner::core::schedule {

// A change as the scheduler sees it. `interval` runs from the planned start to
// start + runbook duration + rollback reserve (the caller computes both).
struct PlannedChange {
    std::string id;
    std::string title;
    std::string implementer;              // person id; "" = nobody named
    std::vector<std::string> cis;         // affected CIs (where the work happens)
    std::vector<std::string> impactSet;   // CIs the change reaches; may repeat `cis`
    std::string timeZone = "UTC";         // zone used in the sentences
    Interval interval;
    int sequence = 0;                     // iCalendar SEQUENCE of its exported event
};

// PlannedChange for `c` starting at c.plannedStart and lasting `duration`
// minutes (runbook plus rollback reserve); `impactSet` comes from impact analysis.
PlannedChange plannedChangeFrom(const ChangeRequest& c, Minutes duration, std::vector<std::string> impactSet);

// What the scheduler needs to know about CIs. Either function may be empty:
// an empty `typeOf` means type-scoped windows never apply, an empty
// `servicesOf` means only a service CI itself matches a service-scoped window.
struct CiLookup {
    std::function<std::string(const std::string& ci)> typeOf;
    std::function<std::vector<std::string>(const std::string& ci)> servicesOf;  // business services it belongs to
};

enum class ConflictKind { SameCi, RelatedCi, OutsideWindow, InFreeze, ImplementerDoubleBooked };

// "same_ci", "related_ci", "outside_window", "in_freeze", "implementer_double_booked".
const char* toString(ConflictKind k);

struct Conflict {
    ConflictKind kind = ConflictKind::SameCi;
    std::string changeId;   // the change this conflict is reported on
    std::string otherId;    // the other change, or the window / freeze concerned
    std::string otherName;  // its title or name
    std::string ci;         // CI concerned ("" for the implementer conflict)
    Interval when;          // overlap, or the part of the change that is not covered
    std::string message;    // one sentence for a planner
    bool operator==(const Conflict&) const = default;
};

// Every conflict of every change. A conflict between two changes is reported
// once on each of them. Window checks assume `calendar` covers the changes'
// intervals. Sorted by change (input order), then kind, then other party.
std::vector<Conflict> detectConflicts(const WindowCalendar& calendar, const std::vector<PlannedChange>& changes,
                                      const CiLookup& lookup);

// Conflicts of `change` against the calendar and `others` (entries with the
// same id as `change` are ignored), in the same order as detectConflicts.
std::vector<Conflict> conflictsOf(const WindowCalendar& calendar, const PlannedChange& change,
                                  const std::vector<PlannedChange>& others, const CiLookup& lookup);

// "Sat 2026-03-28 22:00-23:30 Europe/Berlin" or, across days,
// "Sat 2026-03-28 22:00 - Sun 2026-03-29 02:00 Europe/Berlin".
std::string describeInterval(const Interval& iv, const std::string& zone);

// "4 h 30 min", "45 min", "2 d 3 h".
std::string describeMinutes(std::int64_t minutes);

}  // namespace planner::core::schedule
