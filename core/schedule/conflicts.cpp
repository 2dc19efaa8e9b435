#include "schedule/conflicts.hpp"

#include "schedule/ci_windows.hpp"
#include "schedule/time_zone.hpp"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

namespace planner::core::schedule {

namespace detail {

std::int32_t CiWindows::intern(const std::string& ci) {
    auto [it, inserted] = m_ids.try_emplace(ci, static_cast<std::int32_t>(m_names.size()));
    if (inserted) {
        m_names.push_back(ci);
        std::string type = m_lookup.typeOf ? m_lookup.typeOf(ci) : std::string();
        std::vector<std::string> services;
        if (m_lookup.servicesOf) services = m_lookup.servicesOf(ci);
        m_maint.emplace_back();
        m_cal.applicableTo(ci, type, services, WindowKind::Maintenance, m_maint.back());
        m_freeze.emplace_back();
        m_cal.applicableTo(ci, type, services, WindowKind::Freeze, m_freeze.back());
    }
    return it->second;
}

TimeUtc coveredUntil(const WindowCalendar& cal, const std::vector<std::int32_t>& windows, const Interval& iv) {
    TimeUtc cur = iv.start;
    for (;;) {
        TimeUtc best = cur;
        for (std::int32_t w : windows) {
            const Interval* o = cal.firstOverlap(static_cast<size_t>(w), Interval{cur, cur + 1});
            if (o && o->start <= cur) best = std::max(best, o->end);
        }
        if (best == cur || best >= iv.end) return best;
        cur = best;
    }
}

TimeUtc nextOpening(const WindowCalendar& cal, const std::vector<std::int32_t>& windows, TimeUtc t,
                    std::int32_t* window) {
    TimeUtc best = -1;
    for (std::int32_t w : windows) {
        IntervalSpan span = cal.merged(static_cast<size_t>(w));
        const Interval* it = std::lower_bound(span.begin(), span.end(), t,
                                              [](const Interval& x, TimeUtc v) { return x.start < v; });
        if (it != span.end() && (best < 0 || it->start < best)) {
            best = it->start;
            if (window) *window = w;
        }
    }
    return best;
}

}  // namespace detail

namespace {

struct Prepared {
    std::vector<std::int32_t> affected;   // sorted, unique
    std::vector<std::int32_t> impacted;   // impact set minus affected, sorted, unique
};

Prepared prepareChange(detail::CiWindows& ciw, const PlannedChange& c) {
    Prepared p;
    for (const std::string& ci : c.cis) p.affected.push_back(ciw.intern(ci));
    std::sort(p.affected.begin(), p.affected.end());
    p.affected.erase(std::unique(p.affected.begin(), p.affected.end()), p.affected.end());
    for (const std::string& ci : c.impactSet) {
        std::int32_t id = ciw.intern(ci);
        if (!std::binary_search(p.affected.begin(), p.affected.end(), id)) p.impacted.push_back(id);
    }
    std::sort(p.impacted.begin(), p.impacted.end());
    p.impacted.erase(std::unique(p.impacted.begin(), p.impacted.end()), p.impacted.end());
    return p;
}

std::string quoteChange(const PlannedChange& c) {
    return c.title.empty() ? c.id : c.id + " '" + c.title + "'";
}

std::string windowLabel(const Window& w) { return "'" + (w.name.empty() ? w.id : w.name) + "'"; }

struct Indexed {
    std::int32_t change;
    Conflict conflict;
};

void windowConflicts(const WindowCalendar& cal, detail::CiWindows& ciw, const PlannedChange& c, const Prepared& p,
                     std::int32_t index, std::vector<std::int32_t>& freezeStamp, std::vector<Indexed>& out) {
    const Interval& iv = c.interval;
    if (iv.end <= iv.start) return;
    const auto& windows = cal.windows();

    struct Group {
        const std::vector<std::int32_t>* windows;
        std::vector<std::string> cis;
        TimeUtc reach;
    };
    std::vector<Group> groups;
    for (std::int32_t a : p.affected) {
        const std::vector<std::int32_t>& ws = ciw.maintenance(a);
        if (ws.empty()) continue;
        auto g = std::find_if(groups.begin(), groups.end(), [&](const Group& x) { return *x.windows == ws; });
        if (g != groups.end()) {
            if (g->reach < iv.end) g->cis.push_back(ciw.name(a));
            continue;
        }
        groups.push_back({&ws, {}, detail::coveredUntil(cal, ws, iv)});
        if (groups.back().reach < iv.end) groups.back().cis.push_back(ciw.name(a));
    }
    for (const Group& g : groups) {
        if (g.cis.empty()) continue;
        std::string cis;
        for (size_t i = 0; i < g.cis.size(); ++i) cis += (i ? ", " : "") + g.cis[i];
        Conflict k;
        k.kind = ConflictKind::OutsideWindow;
        k.changeId = c.id;
        k.ci = g.cis.front();
        k.when = {g.reach, iv.end};
        if (g.reach == iv.start) {
            std::int32_t w = (*g.windows)[0];
            TimeUtc next = detail::nextOpening(cal, *g.windows, iv.start, &w);
            k.otherId = windows[static_cast<size_t>(w)].id;
            k.otherName = windows[static_cast<size_t>(w)].name;
            k.message = "Starts " + describeTime(iv.start, c.timeZone) + ", when no maintenance window of " + cis +
                        " is open; ";
            k.message += next >= 0 ? "the next one, " + windowLabel(windows[static_cast<size_t>(w)]) + ", opens " +
                                         describeTime(next, c.timeZone) + "."
                                   : "none opens again before " + describeTime(cal.to(), c.timeZone) + ".";
        } else {
            const Window* closing = &windows[static_cast<size_t>((*g.windows)[0])];
            for (std::int32_t w : *g.windows) {
                const Interval* o = cal.firstOverlap(static_cast<size_t>(w), Interval{g.reach - 1, g.reach});
                if (o && o->end == g.reach) closing = &windows[static_cast<size_t>(w)];
            }
            k.otherId = closing->id;
            k.otherName = closing->name;
            k.message = "Runs " + describeMinutes((iv.end - g.reach + 59) / 60) + " past the end of maintenance window " +
                        windowLabel(*closing) + " of " + cis + ", which closes " + describeTime(g.reach, c.timeZone) +
                        ".";
        }
        out.push_back({index, std::move(k)});
    }

    auto freezeCheck = [&](std::int32_t ci, bool affected) {
        for (std::int32_t f : ciw.freezes(ci)) {
            if (freezeStamp[static_cast<size_t>(f)] == index + 1) continue;
            const Interval* o = cal.firstOverlap(static_cast<size_t>(f), iv);
            if (!o) continue;
            freezeStamp[static_cast<size_t>(f)] = index + 1;
            const Window& w = windows[static_cast<size_t>(f)];
            Conflict k;
            k.kind = ConflictKind::InFreeze;
            k.changeId = c.id;
            k.otherId = w.id;
            k.otherName = w.name;
            k.ci = ciw.name(ci);
            k.when = {std::max(o->start, iv.start), std::min(o->end, iv.end)};
            std::string scope = w.scope == WindowScope::Global ? "every CI" : ciw.name(ci);
            k.message = "Falls inside freeze " + windowLabel(w) + " (" + describeInterval(*o, c.timeZone) +
                        "), which covers " + scope +
                        (affected || w.scope == WindowScope::Global ? "" : ", part of this change's impact set") + ".";
            out.push_back({index, std::move(k)});
        }
    };
    for (std::int32_t a : p.affected) freezeCheck(a, true);
    for (std::int32_t a : p.impacted) freezeCheck(a, false);
}

struct Touch {
    std::int32_t ci;
    std::int32_t change;
    bool affected;
    TimeUtc start, end;
};

struct PairInfo {
    std::int32_t sameCi = -1;
    std::int32_t relatedCi = -1;
    std::int32_t changer = -1;  // change whose affected CIs include relatedCi
    Interval overlap;
};

Interval overlapOf(const Interval& a, const Interval& b) {
    return {std::max(a.start, b.start), std::min(a.end, b.end)};
}

std::vector<Conflict> detect(const WindowCalendar& cal, const std::vector<PlannedChange>& changes,
                             const CiLookup& lookup, std::int32_t only) {
    detail::CiWindows ciw(cal, lookup);
    const auto n = static_cast<std::int32_t>(changes.size());
    std::vector<Prepared> prep;
    prep.reserve(changes.size());
    for (const PlannedChange& c : changes) prep.push_back(prepareChange(ciw, c));

    std::vector<Indexed> out;
    std::vector<std::int32_t> freezeStamp(cal.windows().size(), 0);
    for (std::int32_t i = 0; i < n; ++i)
        if (only < 0 || i == only) windowConflicts(cal, ciw, changes[static_cast<size_t>(i)], prep[static_cast<size_t>(i)], i, freezeStamp, out);

    std::vector<Touch> touches;
    for (std::int32_t i = 0; i < n; ++i) {
        const Interval& iv = changes[static_cast<size_t>(i)].interval;
        if (iv.end <= iv.start) continue;
        for (std::int32_t a : prep[static_cast<size_t>(i)].affected) touches.push_back({a, i, true, iv.start, iv.end});
        for (std::int32_t a : prep[static_cast<size_t>(i)].impacted) touches.push_back({a, i, false, iv.start, iv.end});
    }
    std::sort(touches.begin(), touches.end(), [](const Touch& x, const Touch& y) {
        return x.ci != y.ci ? x.ci < y.ci : (x.start != y.start ? x.start < y.start : x.change < y.change);
    });
    std::unordered_map<std::uint64_t, PairInfo> pairs;
    std::vector<const Touch*> active;
    for (size_t i = 0; i < touches.size(); ++i) {
        const Touch& t = touches[i];
        if (i == 0 || touches[i - 1].ci != t.ci) active.clear();
        active.erase(std::remove_if(active.begin(), active.end(), [&](const Touch* u) { return u->end <= t.start; }),
                     active.end());
        for (const Touch* u : active) {
            if (u->change == t.change || (!u->affected && !t.affected)) continue;
            if (only >= 0 && u->change != only && t.change != only) continue;
            std::int32_t lo = std::min(u->change, t.change), hi = std::max(u->change, t.change);
            PairInfo& info = pairs[(static_cast<std::uint64_t>(lo) << 32) | static_cast<std::uint32_t>(hi)];
            info.overlap = overlapOf(changes[static_cast<size_t>(lo)].interval, changes[static_cast<size_t>(hi)].interval);
            if (u->affected && t.affected) {
                if (info.sameCi < 0) info.sameCi = t.ci;
            } else if (info.relatedCi < 0) {
                info.relatedCi = t.ci;
                info.changer = t.affected ? t.change : u->change;
            }
        }
        active.push_back(&t);
    }
    std::vector<std::uint64_t> keys;
    keys.reserve(pairs.size());
    for (const auto& kv : pairs) keys.push_back(kv.first);
    std::sort(keys.begin(), keys.end());
    for (std::uint64_t key : keys) {
        const PairInfo& info = pairs[key];
        const auto lo = static_cast<std::int32_t>(key >> 32);
        const auto hi = static_cast<std::int32_t>(key & 0xffffffffu);
        for (int side = 0; side < 2; ++side) {
            std::int32_t self = side == 0 ? lo : hi, other = side == 0 ? hi : lo;
            if (only >= 0 && self != only) continue;
            const PlannedChange& me = changes[static_cast<size_t>(self)];
            const PlannedChange& them = changes[static_cast<size_t>(other)];
            Conflict k;
            k.changeId = me.id;
            k.otherId = them.id;
            k.otherName = them.title;
            k.when = info.overlap;
            std::string during = describeInterval(info.overlap, me.timeZone);
            if (info.sameCi >= 0) {
                k.kind = ConflictKind::SameCi;
                k.ci = ciw.name(info.sameCi);
                k.message = quoteChange(them) + " also changes " + k.ci + " during " + during + ".";
            } else {
                k.kind = ConflictKind::RelatedCi;
                k.ci = ciw.name(info.relatedCi);
                k.message = info.changer == other
                                ? quoteChange(them) + " changes " + k.ci + ", which is in this change's impact set, during " +
                                      during + "."
                                : "This change touches " + k.ci + ", which is in the impact set of " + quoteChange(them) +
                                      ", while that change runs (" + during + ").";
            }
            out.push_back({self, std::move(k)});
        }
    }

    std::vector<std::int32_t> byImplementer;
    for (std::int32_t i = 0; i < n; ++i) {
        const PlannedChange& c = changes[static_cast<size_t>(i)];
        if (!c.implementer.empty() && c.interval.end > c.interval.start) byImplementer.push_back(i);
    }
    std::sort(byImplementer.begin(), byImplementer.end(), [&](std::int32_t x, std::int32_t y) {
        const PlannedChange& a = changes[static_cast<size_t>(x)];
        const PlannedChange& b = changes[static_cast<size_t>(y)];
        if (a.implementer != b.implementer) return a.implementer < b.implementer;
        return a.interval.start != b.interval.start ? a.interval.start < b.interval.start : x < y;
    });
    std::vector<std::int32_t> busy;
    for (size_t i = 0; i < byImplementer.size(); ++i) {
        const std::int32_t ci = byImplementer[i];
        const PlannedChange& t = changes[static_cast<size_t>(ci)];
        if (i == 0 || changes[static_cast<size_t>(byImplementer[i - 1])].implementer != t.implementer) busy.clear();
        busy.erase(std::remove_if(busy.begin(), busy.end(),
                                  [&](std::int32_t u) { return changes[static_cast<size_t>(u)].interval.end <= t.interval.start; }),
                   busy.end());
        for (std::int32_t u : busy) {
            if (only >= 0 && u != only && ci != only) continue;
            const PlannedChange& other = changes[static_cast<size_t>(u)];
            Interval ov = overlapOf(t.interval, other.interval);
            for (int side = 0; side < 2; ++side) {
                const std::int32_t self = side == 0 ? ci : u;
                if (only >= 0 && self != only) continue;
                const PlannedChange& me = side == 0 ? t : other;
                const PlannedChange& them = side == 0 ? other : t;
                Conflict k;
                k.kind = ConflictKind::ImplementerDoubleBooked;
                k.changeId = me.id;
                k.otherId = them.id;
                k.otherName = them.title;
                k.when = ov;
                k.message = me.implementer + " is also booked on " + quoteChange(them) + " during " +
                            describeInterval(ov, me.timeZone) + ".";
                out.push_back({self, std::move(k)});
            }
        }
        busy.push_back(ci);
    }

    std::stable_sort(out.begin(), out.end(), [](const Indexed& x, const Indexed& y) {
        if (x.change != y.change) return x.change < y.change;
        if (x.conflict.kind != y.conflict.kind) return x.conflict.kind < y.conflict.kind;
        if (x.conflict.otherId != y.conflict.otherId) return x.conflict.otherId < y.conflict.otherId;
        return x.conflict.ci < y.conflict.ci;
    });
    std::vector<Conflict> result;
    result.reserve(out.size());
    for (Indexed& x : out) result.push_back(std::move(x.conflict));
    return result;
}

}  // namespace

PlannedChange plannedChangeFrom(const ChangeRequest& c, Minutes duration, std::vector<std::string> impactSet) {
    PlannedChange p;
    p.id = c.id;
    p.title = c.title;
    p.implementer = c.implementer;
    p.cis = c.affectedCis;
    p.impactSet = std::move(impactSet);
    p.timeZone = c.timeZone.empty() ? "UTC" : c.timeZone;
    p.interval = {c.plannedStart, c.plannedStart + static_cast<TimeUtc>(duration) * 60};
    return p;
}

const char* toString(ConflictKind k) {
    switch (k) {
        case ConflictKind::SameCi: return "same_ci";
        case ConflictKind::RelatedCi: return "related_ci";
        case ConflictKind::OutsideWindow: return "outside_window";
        case ConflictKind::InFreeze: return "in_freeze";
        case ConflictKind::ImplementerDoubleBooked: return "implementer_double_booked";
    }
    return "unknown";
}

std::vector<Conflict> detectConflicts(const WindowCalendar& calendar, const std::vector<PlannedChange>& changes,
                                      const CiLookup& lookup) {
    return detect(calendar, changes, lookup, -1);
}

std::vector<Conflict> conflictsOf(const WindowCalendar& calendar, const PlannedChange& change,
                                  const std::vector<PlannedChange>& others, const CiLookup& lookup) {
    std::vector<PlannedChange> subset;
    subset.push_back(change);
    for (const PlannedChange& o : others) {
        if (o.id == change.id) continue;
        if (o.interval.start < change.interval.end && o.interval.end > change.interval.start) subset.push_back(o);
    }
    return detect(calendar, subset, lookup, 0);
}

std::string describeInterval(const Interval& iv, const std::string& zone) {
    std::string a = describeTime(iv.start, zone);
    std::string b = describeTime(iv.end, zone);
    // Both read "Www YYYY-MM-DD HH:MM Zone"; the date part is the first 14 characters.
    if (a.size() > 20 && b.size() > 20 && a.compare(0, 14, b, 0, 14) == 0)
        return a.substr(0, 20) + "-" + b.substr(15);
    return a.substr(0, 20) + " - " + b;
}

std::string describeMinutes(std::int64_t minutes) {
    if (minutes < 0) minutes = 0;
    std::int64_t d = minutes / 1440, h = (minutes % 1440) / 60, m = minutes % 60;
    std::string out;
    if (d) out += std::to_string(d) + " d";
    if (h) out += (out.empty() ? "" : " ") + std::to_string(h) + " h";
    if (m || out.empty()) out += (out.empty() ? "" : " ") + std::to_string(m) + " min";
    return out;
}

}  // namespace planner::core::schedule
