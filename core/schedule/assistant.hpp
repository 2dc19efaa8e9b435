// Next-free-slot assistant (C6): the earliest moments where a whole plan fits
// inside the maintenance windows of every affected CI, outside freezes and
// clear of other changes on the same or related CIs and of the implementer's
// other bookings, with a reason for each proposal.
#pragma once

#include "schedule/conflicts.hpp"

#include <string>
#include <vector>

namespace planner::core::schedule {

struct SlotRequest {
    PlannedChange change;      // CIs, impact set, implementer, zone; its interval is ignored
    Minutes duration = 0;      // runbook duration plus rollback reserve, > 0
    TimeUtc earliest = 0;      // no proposal starts before this
    TimeUtc horizon = 0;       // no proposal ends after this (clipped to the calendar's range)
    int alternatives = 3;      // proposals wanted after the first
};

struct SlotProposal {
    Interval interval;                  // start .. start + duration
    std::vector<std::string> windowIds; // maintenance windows it sits in (empty if none applies)
    std::string reason;                 // why this slot, one or two sentences
};

struct SlotAnswer {
    std::vector<SlotProposal> proposals;  // earliest first; empty when nothing fits
    std::string summary;                  // "Earliest fit: ..." or "Nothing fits before ..., because ..."
    bool found() const { return !proposals.empty(); }
};

// Proposals in distinct free openings, earliest first: the first is the
// earliest feasible start, each alternative the start of the next opening that
// is long enough. `others` are the already planned changes (the request's own
// id among them is ignored); `calendar` should cover [earliest, horizon).
SlotAnswer findFreeSlots(const WindowCalendar& calendar, const SlotRequest& request,
                         const std::vector<PlannedChange>& others, const CiLookup& lookup);

}  // namespace planner::core::schedule
