#include "schedule/assistant.hpp"

#include "schedule/ci_windows.hpp"
#include "schedule/time_zone.hpp"

#include <algorithm>
#include <cassert>

namespace planner::core::schedule {

namespace {

struct Blocker {
    Interval iv;
    std::string label;
};

std::string joinLabels(const std::vector<std::string>& labels, size_t limit) {
    std::string out;
    for (size_t i = 0; i < labels.size() && i < limit; ++i) {
        if (i) out += (i + 1 == labels.size() || i + 1 == limit) && labels.size() <= limit ? " and " : ", ";
        out += labels[i];
    }
    if (labels.size() > limit) out += " and " + std::to_string(labels.size() - limit) + " more";
    return out;
}

void addUnique(std::vector<std::string>& v, const std::string& s) {
    if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

TimeUtc longest(const std::vector<Interval>& v, Interval* where) {
    TimeUtc best = 0;
    for (const Interval& iv : v)
        if (iv.end - iv.start > best) {
            best = iv.end - iv.start;
            if (where) *where = iv;
        }
    return best;
}

// Labels of blockers that cover part of a long-enough allowed opening inside [from, until).
std::vector<std::string> blockersBetween(const std::vector<Interval>& allowed, const std::vector<Blocker>& blockers,
                                         TimeUtc need, TimeUtc from, TimeUtc until) {
    std::vector<std::string> labels;
    for (const Interval& seg : allowed) {
        if (seg.end - seg.start < need || seg.end <= from) continue;
        if (seg.start >= until) break;
        for (const Blocker& b : blockers) {
            if (b.iv.start >= std::min(seg.end, until)) break;
            if (b.iv.end > std::max(seg.start, from)) addUnique(labels, b.label);
        }
    }
    return labels;
}

}  // namespace

SlotAnswer findFreeSlots(const WindowCalendar& calendar, const SlotRequest& request,
                         const std::vector<PlannedChange>& others, const CiLookup& lookup) {
    assert(request.duration > 0);
    SlotAnswer answer;
    const PlannedChange& me = request.change;
    const std::string& zone = me.timeZone;
    const TimeUtc need = static_cast<TimeUtc>(request.duration) * 60;
    const TimeUtc lo = std::max(request.earliest, calendar.from());
    const TimeUtc hi = std::min(request.horizon, calendar.to());
    auto nothing = [&](const std::string& because) {
        answer.summary = "Nothing fits before " + describeTime(hi, zone) + ", because " + because;
        return answer;
    };
    if (hi - lo < need)
        return nothing("the period searched (" + describeInterval({lo, std::max(lo, hi)}, zone) +
                       ") is shorter than the plan's " + describeMinutes(request.duration) + ".");

    detail::CiWindows ciw(calendar, lookup);
    std::vector<std::int32_t> affected, impacted;
    for (const std::string& ci : me.cis) affected.push_back(ciw.intern(ci));
    std::sort(affected.begin(), affected.end());
    affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
    for (const std::string& ci : me.impactSet) {
        std::int32_t id = ciw.intern(ci);
        if (!std::binary_search(affected.begin(), affected.end(), id)) impacted.push_back(id);
    }
    std::sort(impacted.begin(), impacted.end());
    impacted.erase(std::unique(impacted.begin(), impacted.end()), impacted.end());

    std::vector<Interval> allowed{{lo, hi}};
    std::vector<std::int32_t> constraining;
    std::vector<const std::vector<std::int32_t>*> seen;
    std::vector<std::string> constrainedCis;
    for (std::int32_t a : affected) {
        const std::vector<std::int32_t>& ws = ciw.maintenance(a);
        if (ws.empty()) continue;
        constrainedCis.push_back(ciw.name(a));
        if (std::any_of(seen.begin(), seen.end(), [&](const auto* s) { return *s == ws; })) continue;
        seen.push_back(&ws);
        constraining.insert(constraining.end(), ws.begin(), ws.end());
        std::vector<Interval> open;
        for (const ScopeGroup* g : ciw.cover(a)) {
            auto run = std::upper_bound(g->cover.begin(), g->cover.end(), lo,
                                        [](TimeUtc t, const CoverRun& r) { return t < r.interval.end; });
            for (; run != g->cover.end() && run->interval.start < hi; ++run)
                open.push_back({std::max(run->interval.start, lo), std::min(run->interval.end, hi)});
        }
        open = mergeIntervals(std::move(open));
        if (open.empty())
            return nothing("no maintenance window of " + ciw.name(a) + " opens between " + describeTime(lo, zone) +
                           " and " + describeTime(hi, zone) + ".");
        allowed = intersectIntervals(allowed, open);
        Interval where;
        if (longest(allowed, &where) < need) {
            TimeUtc best = longest(allowed, &where);
            const bool single = constrainedCis.size() == 1;
            return nothing("the maintenance windows of " + joinLabels(constrainedCis, 6) +
                           (single ? " are never open for " : " are never open together for ") +
                           describeMinutes(request.duration) +
                           (best > 0 ? (single ? "; the longest opening is " : "; the longest common opening is ") +
                                           describeMinutes(best / 60) + " (" + describeInterval(where, zone) + ")."
                                     : "; they never overlap."));
        }
    }
    std::sort(constraining.begin(), constraining.end());
    constraining.erase(std::unique(constraining.begin(), constraining.end()), constraining.end());

    std::vector<Blocker> blockers;
    std::vector<std::int32_t> freezes;
    for (std::int32_t a : affected)
        for (std::int32_t f : ciw.freezes(a)) freezes.push_back(f);
    for (std::int32_t a : impacted)
        for (std::int32_t f : ciw.freezes(a)) freezes.push_back(f);
    std::sort(freezes.begin(), freezes.end());
    freezes.erase(std::unique(freezes.begin(), freezes.end()), freezes.end());
    for (std::int32_t f : freezes) {
        const Window& w = calendar.windows()[static_cast<size_t>(f)];
        for (const Interval& iv : calendar.merged(static_cast<size_t>(f)))
            if (iv.end > lo && iv.start < hi)
                blockers.push_back({iv, "freeze '" + (w.name.empty() ? w.id : w.name) + "'"});
    }
    detail::StringIds mine, reach;
    for (const std::string& ci : me.cis) mine.add(ci);
    for (const std::string& ci : me.impactSet) reach.add(ci);
    auto isMine = [&](const std::string& ci) { return mine.find(ci) >= 0; };
    auto inReach = [&](const std::string& ci) { return reach.find(ci) >= 0; };
    for (const PlannedChange& o : others) {
        if (o.id == me.id || o.interval.end <= o.interval.start || o.interval.end <= lo || o.interval.start >= hi)
            continue;
        std::string why;
        for (const std::string& ci : o.cis) {
            if (isMine(ci)) {
                why = "same CI " + ci;
                break;
            }
        }
        if (why.empty())
            for (const std::string& ci : o.cis)
                if (inReach(ci)) {
                    why = "it changes " + ci + " in this impact set";
                    break;
                }
        if (why.empty())
            for (const std::string& ci : o.impactSet)
                if (isMine(ci)) {
                    why = ci + " is in its impact set";
                    break;
                }
        if (why.empty() && !me.implementer.empty() && o.implementer == me.implementer)
            why = "implementer " + me.implementer + " is booked";
        if (!why.empty()) blockers.push_back({o.interval, o.id + " (" + why + ")"});
    }
    std::sort(blockers.begin(), blockers.end(), [](const Blocker& a, const Blocker& b) {
        return a.iv.start != b.iv.start ? a.iv.start < b.iv.start : a.label < b.label;
    });
    std::vector<Interval> blocked;
    blocked.reserve(blockers.size());
    for (const Blocker& b : blockers) blocked.push_back(b.iv);
    std::vector<Interval> freeTime = subtractIntervals(allowed, mergeIntervals(std::move(blocked)));

    const size_t wanted = 1 + static_cast<size_t>(std::max(0, request.alternatives));
    TimeUtc previous = lo;
    for (const Interval& seg : freeTime) {
        if (answer.proposals.size() >= wanted) break;
        if (seg.end - seg.start < need) continue;
        SlotProposal p;
        p.interval = {seg.start, seg.start + need};
        std::vector<std::string> names;
        for (std::int32_t w : constraining) {
            const Interval* o = calendar.firstOverlap(static_cast<size_t>(w), p.interval);
            if (o && o->start <= p.interval.start) {
                const Window& win = calendar.windows()[static_cast<size_t>(w)];
                p.windowIds.push_back(win.id);
                names.push_back("'" + (win.name.empty() ? win.id : win.name) + "'");
            }
        }
        if (constraining.empty())
            p.reason = "No maintenance window applies to these CIs, so any time";
        else
            p.reason = "Inside " + joinLabels(names, 4) + ", open for " + joinLabels(constrainedCis, 4);
        p.reason += ", clear of freezes and of changes on the same or related CIs";
        if (!me.implementer.empty()) p.reason += " and of " + me.implementer + "'s other bookings";
        p.reason += "; " + describeMinutes((seg.end - p.interval.end) / 60) + " to spare in this opening.";
        std::vector<std::string> earlier = blockersBetween(allowed, blockers, need, previous, seg.start);
        if (!earlier.empty())
            p.reason += (answer.proposals.empty() ? " Earlier openings are taken by "
                                                  : " Openings since the previous proposal are taken by ") +
                        joinLabels(earlier, 4) + ".";
        else if (answer.proposals.empty() && seg.start == lo)
            p.reason += " It starts at the earliest moment asked for.";
        else if (answer.proposals.empty())
            p.reason += " It is the first opening after " + describeTime(lo, zone) + ".";
        else
            p.reason += " It is the next opening after the previous proposal.";
        previous = seg.end;
        answer.proposals.push_back(std::move(p));
    }
    if (answer.proposals.empty()) {
        std::vector<std::string> labels = blockersBetween(allowed, blockers, need, lo, hi);
        return nothing("every opening long enough for " + describeMinutes(request.duration) + " is taken by " +
                       joinLabels(labels, 5) + ".");
    }
    answer.summary = "Earliest fit: " + describeInterval(answer.proposals.front().interval, zone) + ", with " +
                     std::to_string(answer.proposals.size() - 1) + " alternative" +
                     (answer.proposals.size() == 2 ? "" : "s") + ".";
    return answer;
}

}  // namespace planner::core::schedule
