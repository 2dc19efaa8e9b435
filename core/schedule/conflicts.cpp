#include "schedule/conflicts.hpp"

#include "schedule/ci_windows.hpp"
#include "schedule/ical_support.hpp"
#include "schedule/time_zone.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <unordered_map>

namespace planner::core::schedule {

namespace detail {

namespace {

// Multiplicative hash over 8-byte words; ids are short ASCII strings, so the
// tail is read as two overlapping 4-byte words where it can be.
std::uint32_t hashOf(std::string_view s) {
    auto mix = [](std::uint64_t h, std::uint64_t word) {
        h = (h ^ word) * 0xff51afd7ed558ccdull;
        return h ^ (h >> 32);
    };
    const char* p = s.data();
    const size_t n = s.size();
    std::uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, p + i, 8);
        h = mix(h, word);
    }
    const size_t rest = n - i;
    if (rest >= 4) {
        std::uint32_t lo, hi;
        std::memcpy(&lo, p + i, 4);
        std::memcpy(&hi, p + n - 4, 4);
        h = mix(h, lo | (static_cast<std::uint64_t>(hi) << 32));
    } else if (rest > 0) {
        std::uint64_t word = static_cast<unsigned char>(p[i]);
        word |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i + rest / 2])) << 8;
        word |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
        h = mix(h, word);
    }
    h *= 0xc4ceb9fe1a85ec53ull;
    return static_cast<std::uint32_t>(h >> 32);
}

}  // namespace

size_t StringIds::slotOf(std::string_view s, std::uint32_t h) const {
    const size_t mask = m_slots.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const std::int32_t id = m_slots[i];
        if (id < 0) return i;
        if (m_hashes[static_cast<size_t>(id)] != h) continue;
        const std::string& name = m_names[static_cast<size_t>(id)];
        if (name.size() == s.size() && std::memcmp(name.data(), s.data(), s.size()) == 0) return i;
    }
}

std::int32_t StringIds::find(std::string_view s) const {
    if (m_slots.empty()) return -1;
    return m_slots[slotOf(s, hashOf(s))];
}

std::int32_t StringIds::add(std::string_view s) {
    if (2 * (m_names.size() + 1) > m_slots.size()) {
        m_slots.assign(std::max<size_t>(64, m_slots.size() * 2), -1);
        const size_t mask = m_slots.size() - 1;
        for (size_t id = 0; id < m_names.size(); ++id) {
            size_t i = m_hashes[id] & mask;
            while (m_slots[i] >= 0) i = (i + 1) & mask;
            m_slots[i] = static_cast<std::int32_t>(id);
        }
    }
    const std::uint32_t h = hashOf(s);
    const size_t slot = slotOf(s, h);
    if (m_slots[slot] >= 0) return m_slots[slot];
    const auto id = static_cast<std::int32_t>(m_names.size());
    m_names.emplace_back(s);
    m_hashes.push_back(h);
    m_slots[slot] = id;
    return id;
}

std::int32_t CiWindows::intern(const std::string& ci) {
    const std::int32_t before = m_ids.size();
    const std::int32_t id = m_ids.add(ci);
    if (id == before) {
        std::string type = m_lookup.typeOf ? m_lookup.typeOf(ci) : std::string();
        std::vector<std::string> services;
        if (m_lookup.servicesOf) services = m_lookup.servicesOf(ci);
        std::vector<const ScopeGroup*>& cover = m_cover.emplace_back();
        m_cal.groupsFor(ci, type, services, cover, m_scratch);
        std::sort(cover.begin(), cover.end());
        std::vector<std::int32_t>& freezes = m_freeze.emplace_back();
        for (const ScopeGroup* g : m_scratch) freezes.insert(freezes.end(), g->windows.begin(), g->windows.end());
        if (m_scratch.size() > 1) std::sort(freezes.begin(), freezes.end());
        m_scratch.clear();
        m_maint.emplace_back();
        m_maintDone.push_back(false);
    }
    return id;
}

CiWindows::CiWindows(const WindowCalendar& calendar, const CiLookup& lookup) : m_cal(calendar), m_lookup(lookup) {
    std::vector<Interval> all;
    for (size_t i = 0; i < calendar.windows().size(); ++i)
        if (calendar.windows()[i].kind == WindowKind::Freeze)
            for (const Interval& iv : calendar.merged(i)) all.push_back(iv);
    m_freezeTime = mergeIntervals(std::move(all));
}

bool CiWindows::anyFreezeDuring(const Interval& iv) const {
    auto it = std::upper_bound(m_freezeTime.begin(), m_freezeTime.end(), iv.start,
                               [](TimeUtc t, const Interval& x) { return t < x.end; });
    return it != m_freezeTime.end() && it->start < iv.end;
}

const std::vector<std::int32_t>& CiWindows::maintenance(std::int32_t id) {
    const auto i = static_cast<size_t>(id);
    if (!m_maintDone[i]) {
        for (const ScopeGroup* g : m_cover[i])
            m_maint[i].insert(m_maint[i].end(), g->windows.begin(), g->windows.end());
        std::sort(m_maint[i].begin(), m_maint[i].end());
        m_maintDone[i] = true;
    }
    return m_maint[i];
}

namespace {

// The run of `g` containing `t`, or nullptr.
const CoverRun* runAt(const ScopeGroup& g, TimeUtc t) {
    auto it = std::upper_bound(g.cover.begin(), g.cover.end(), t,
                               [](TimeUtc v, const CoverRun& r) { return v < r.interval.end; });
    return it != g.cover.end() && it->interval.start <= t ? &*it : nullptr;
}

}  // namespace

TimeUtc coveredUntil(const std::vector<const ScopeGroup*>& groups, const Interval& iv) {
    TimeUtc cur = iv.start;
    for (;;) {
        TimeUtc best = cur;
        for (const ScopeGroup* g : groups)
            if (const CoverRun* r = runAt(*g, cur)) best = std::max(best, r->interval.end);
        if (best == cur || best >= iv.end) return best;
        cur = best;
    }
}

TimeUtc nextOpening(const std::vector<const ScopeGroup*>& groups, TimeUtc t, std::int32_t* window) {
    TimeUtc best = -1;
    for (const ScopeGroup* g : groups) {
        auto it = std::lower_bound(g->cover.begin(), g->cover.end(), t,
                                   [](const CoverRun& r, TimeUtc v) { return r.interval.start < v; });
        if (it == g->cover.end()) continue;
        if (best < 0 || it->interval.start < best) {
            best = it->interval.start;
            if (window) *window = it->opener;
        } else if (it->interval.start == best && window && it->opener < *window) {
            *window = it->opener;
        }
    }
    return best;
}

std::int32_t closingWindow(const std::vector<const ScopeGroup*>& groups, TimeUtc t, std::int32_t fallback) {
    std::int32_t best = -1;
    for (const ScopeGroup* g : groups) {
        const CoverRun* r = runAt(*g, t - 1);
        if (r && r->interval.end == t) best = std::max(best, r->closer);
    }
    return best >= 0 ? best : fallback;
}

}  // namespace detail

namespace {

struct Prepared {
    std::vector<std::int32_t> affected;  // sorted, unique
    std::vector<std::int32_t> impacted;  // impact set minus affected, sorted, unique
};

Prepared prepareChange(detail::CiWindows& ciw, const PlannedChange& c) {
    Prepared p;
    p.affected.reserve(c.cis.size());
    for (const std::string& ci : c.cis) p.affected.push_back(ciw.intern(ci));
    std::sort(p.affected.begin(), p.affected.end());
    p.affected.erase(std::unique(p.affected.begin(), p.affected.end()), p.affected.end());
    p.impacted.reserve(c.impactSet.size());
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

std::string windowLabel(const Window& w) {
    return "'" + (w.name.empty() ? w.id : w.name) + "'";
}

struct Indexed {
    std::int32_t change;
    Conflict conflict;
};

// Outside-window and freeze conflicts of change `index`. `freezeStamp` holds,
// per window, the last change index + 1 that looked at it.
void windowConflicts(const WindowCalendar& cal, const detail::CiWindows& ciw, const PlannedChange& c, const Prepared& p,
                     std::int32_t index, std::vector<std::int32_t>& freezeStamp, std::vector<Indexed>& out) {
    const Interval& iv = c.interval;
    if (iv.end <= iv.start) return;
    const auto& windows = cal.windows();

    // Affected CIs with the same windows are checked and reported together.
    struct Group {
        std::int32_t firstCi;
        std::vector<std::int32_t> uncovered;
        TimeUtc reach;
    };
    std::vector<Group> groups;
    for (std::int32_t a : p.affected) {
        // Scope groups partition the windows, so equal group lists mean equal windows.
        const std::vector<const ScopeGroup*>& cover = ciw.cover(a);
        if (cover.empty()) continue;
        auto g =
            std::find_if(groups.begin(), groups.end(), [&](const Group& x) { return ciw.cover(x.firstCi) == cover; });
        if (g == groups.end()) {
            groups.push_back({a, {}, detail::coveredUntil(ciw.cover(a), iv)});
            g = groups.end() - 1;
        }
        if (g->reach < iv.end) g->uncovered.push_back(a);
    }
    for (const Group& g : groups) {
        if (g.uncovered.empty()) continue;
        std::string cis;
        for (size_t i = 0; i < g.uncovered.size(); ++i) cis += (i ? ", " : "") + ciw.name(g.uncovered[i]);
        const std::vector<const ScopeGroup*>& cover = ciw.cover(g.firstCi);
        std::int32_t lowest = cover.front()->windows.front();  // first window of the CI's list
        for (const ScopeGroup* sg : cover) lowest = std::min(lowest, sg->windows.front());
        Conflict k;
        k.kind = ConflictKind::OutsideWindow;
        k.changeId = c.id;
        k.ci = ciw.name(g.uncovered.front());
        k.when = {g.reach, iv.end};
        if (g.reach == iv.start) {
            std::int32_t w = lowest;
            TimeUtc next = detail::nextOpening(cover, iv.start, &w);
            const Window& win = windows[static_cast<size_t>(w)];
            k.otherId = win.id;
            k.otherName = win.name;
            std::string& m = k.message;
            m.reserve(160);
            m += "Starts ";
            detail::appendTime(m, iv.start, c.timeZone);
            m += ", when no maintenance window of ";
            m += cis;
            m += " is open; ";
            if (next >= 0) {
                m += "the next one, ";
                m += windowLabel(win);
                m += ", opens ";
                detail::appendTime(m, next, c.timeZone);
            } else {
                m += "none opens again before ";
                detail::appendTime(m, cal.to(), c.timeZone);
            }
            m += '.';
        } else {
            const Window& closing = windows[static_cast<size_t>(detail::closingWindow(cover, g.reach, lowest))];
            k.otherId = closing.id;
            k.otherName = closing.name;
            std::string& m = k.message;
            m.reserve(160);
            m += "Runs ";
            m += describeMinutes((iv.end - g.reach + 59) / 60);
            m += " past the end of maintenance window ";
            m += windowLabel(closing);
            m += " of ";
            m += cis;
            m += ", which closes ";
            detail::appendTime(m, g.reach, c.timeZone);
            m += '.';
        }
        out.push_back({index, std::move(k)});
    }

    // Each freeze is looked at once per change, on the first CI it applies to
    // (affected CIs first).
    auto freezeCheck = [&](std::int32_t ci, bool affected) {
        for (std::int32_t f : ciw.freezes(ci)) {
            if (freezeStamp[static_cast<size_t>(f)] == index + 1) continue;
            freezeStamp[static_cast<size_t>(f)] = index + 1;
            const Interval* o = cal.firstOverlap(static_cast<size_t>(f), iv);
            if (!o) continue;
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
    if (!ciw.anyFreezeDuring(iv)) return;
    for (std::int32_t a : p.affected) freezeCheck(a, true);
    for (std::int32_t a : p.impacted) freezeCheck(a, false);
}

struct Touch {
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
    out.reserve(changes.size() * 2);
    std::vector<std::int32_t> freezeStamp(cal.windows().size(), 0);
    for (std::int32_t i = 0; i < n; ++i)
        if (only < 0 || i == only)
            windowConflicts(cal, ciw, changes[static_cast<size_t>(i)], prep[static_cast<size_t>(i)], i, freezeStamp,
                            out);

    // Touches bucketed by CI, each bucket in (start, change) order: changes are
    // visited by start once and each touch is appended to its CI's bucket.
    std::vector<std::int32_t> byStart;
    byStart.reserve(changes.size());
    for (std::int32_t i = 0; i < n; ++i)
        if (changes[static_cast<size_t>(i)].interval.end > changes[static_cast<size_t>(i)].interval.start)
            byStart.push_back(i);
    std::sort(byStart.begin(), byStart.end(), [&](std::int32_t x, std::int32_t y) {
        const TimeUtc a = changes[static_cast<size_t>(x)].interval.start;
        const TimeUtc b = changes[static_cast<size_t>(y)].interval.start;
        return a != b ? a < b : x < y;
    });
    const auto cis = static_cast<size_t>(ciw.size());
    std::vector<std::uint32_t> bucket(cis + 1, 0);
    for (std::int32_t i : byStart) {
        for (std::int32_t a : prep[static_cast<size_t>(i)].affected) ++bucket[static_cast<size_t>(a) + 1];
        for (std::int32_t a : prep[static_cast<size_t>(i)].impacted) ++bucket[static_cast<size_t>(a) + 1];
    }
    for (size_t k = 0; k < cis; ++k) bucket[k + 1] += bucket[k];
    std::vector<Touch> touches(bucket[cis]);
    {
        std::vector<std::uint32_t> fill(bucket.begin(), bucket.end() - 1);
        for (std::int32_t i : byStart) {
            const Interval& iv = changes[static_cast<size_t>(i)].interval;
            for (std::int32_t a : prep[static_cast<size_t>(i)].affected)
                touches[fill[static_cast<size_t>(a)]++] = {i, true, iv.start, iv.end};
            for (std::int32_t a : prep[static_cast<size_t>(i)].impacted)
                touches[fill[static_cast<size_t>(a)]++] = {i, false, iv.start, iv.end};
        }
    }
    std::unordered_map<std::uint64_t, PairInfo> pairs;
    std::vector<const Touch*> active;
    for (size_t ci = 0; ci < cis; ++ci) {
        if (bucket[ci + 1] - bucket[ci] < 2) continue;
        active.clear();
        for (std::uint32_t k = bucket[ci]; k < bucket[ci + 1]; ++k) {
            const Touch& t = touches[k];
            active.erase(
                std::remove_if(active.begin(), active.end(), [&](const Touch* u) { return u->end <= t.start; }),
                active.end());
            for (const Touch* u : active) {
                if (u->change == t.change || (!u->affected && !t.affected)) continue;
                if (only >= 0 && u->change != only && t.change != only) continue;
                std::int32_t lo = std::min(u->change, t.change), hi = std::max(u->change, t.change);
                PairInfo& info = pairs[(static_cast<std::uint64_t>(lo) << 32) | static_cast<std::uint32_t>(hi)];
                info.overlap =
                    overlapOf(changes[static_cast<size_t>(lo)].interval, changes[static_cast<size_t>(hi)].interval);
                if (u->affected && t.affected) {
                    if (info.sameCi < 0) info.sameCi = static_cast<std::int32_t>(ci);
                } else if (info.relatedCi < 0) {
                    info.relatedCi = static_cast<std::int32_t>(ci);
                    info.changer = t.affected ? t.change : u->change;
                }
            }
            active.push_back(&t);
        }
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
                                ? quoteChange(them) + " changes " + k.ci +
                                      ", which is in this change's impact set, during " + during + "."
                                : "This change touches " + k.ci + ", which is in the impact set of " +
                                      quoteChange(them) + ", while that change runs (" + during + ").";
            }
            out.push_back({self, std::move(k)});
        }
    }

    // Implementers ranked by name, so that the sweep compares integers.
    detail::StringIds people;
    std::vector<std::int32_t> personOf(changes.size(), -1);
    std::vector<std::int32_t> byImplementer;
    for (std::int32_t i = 0; i < n; ++i) {
        const PlannedChange& c = changes[static_cast<size_t>(i)];
        if (c.implementer.empty() || c.interval.end <= c.interval.start) continue;
        personOf[static_cast<size_t>(i)] = people.add(c.implementer);
        byImplementer.push_back(i);
    }
    std::vector<std::int32_t> rank(static_cast<size_t>(people.size()));
    {
        std::vector<std::int32_t> order(rank.size());
        for (size_t k = 0; k < order.size(); ++k) order[k] = static_cast<std::int32_t>(k);
        std::sort(order.begin(), order.end(),
                  [&](std::int32_t x, std::int32_t y) { return people.name(x) < people.name(y); });
        for (size_t k = 0; k < order.size(); ++k) rank[static_cast<size_t>(order[k])] = static_cast<std::int32_t>(k);
        for (std::int32_t i : byImplementer)
            personOf[static_cast<size_t>(i)] = rank[static_cast<size_t>(personOf[static_cast<size_t>(i)])];
    }
    std::sort(byImplementer.begin(), byImplementer.end(), [&](std::int32_t x, std::int32_t y) {
        const std::int32_t px = personOf[static_cast<size_t>(x)], py = personOf[static_cast<size_t>(y)];
        if (px != py) return px < py;
        const TimeUtc a = changes[static_cast<size_t>(x)].interval.start,
                      b = changes[static_cast<size_t>(y)].interval.start;
        return a != b ? a < b : x < y;
    });
    std::vector<std::int32_t> busy;
    for (size_t i = 0; i < byImplementer.size(); ++i) {
        const std::int32_t ci = byImplementer[i];
        const PlannedChange& t = changes[static_cast<size_t>(ci)];
        if (i == 0 || personOf[static_cast<size_t>(byImplementer[i - 1])] != personOf[static_cast<size_t>(ci)])
            busy.clear();
        busy.erase(std::remove_if(busy.begin(), busy.end(),
                                  [&](std::int32_t u) {
                                      return changes[static_cast<size_t>(u)].interval.end <= t.interval.start;
                                  }),
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

    // Order by change, kind, other party and CI; ties keep the order found.
    std::vector<std::int32_t> order(out.size());
    for (size_t k = 0; k < order.size(); ++k) order[k] = static_cast<std::int32_t>(k);
    std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
        const Indexed& x = out[static_cast<size_t>(a)];
        const Indexed& y = out[static_cast<size_t>(b)];
        if (x.change != y.change) return x.change < y.change;
        if (x.conflict.kind != y.conflict.kind) return x.conflict.kind < y.conflict.kind;
        if (x.conflict.otherId != y.conflict.otherId) return x.conflict.otherId < y.conflict.otherId;
        return x.conflict.ci < y.conflict.ci;
    });
    std::vector<Conflict> result;
    result.reserve(out.size());
    for (std::int32_t k : order) result.push_back(std::move(out[static_cast<size_t>(k)].conflict));
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
        case ConflictKind::SameCi:
            return "same_ci";
        case ConflictKind::RelatedCi:
            return "related_ci";
        case ConflictKind::OutsideWindow:
            return "outside_window";
        case ConflictKind::InFreeze:
            return "in_freeze";
        case ConflictKind::ImplementerDoubleBooked:
            return "implementer_double_booked";
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
    // Both ends read "Www YYYY-MM-DD HH:MM Zone"; the date part is the first 14
    // characters, and the start is shown without its zone.
    std::string out, end;
    out.reserve(64);
    detail::appendTime(out, iv.start, zone);
    detail::appendTime(end, iv.end, zone);
    const bool sameDay = out.size() > 20 && end.size() > 20 && out.compare(0, 14, end, 0, 14) == 0;
    if (out.size() > 20) out.resize(20);
    if (sameDay) {
        out += '-';
        out.append(end, 15, std::string::npos);
    } else {
        out += " - ";
        out += end;
    }
    return out;
}

std::string describeMinutes(std::int64_t minutes) {
    if (minutes < 0) minutes = 0;
    const std::int64_t d = minutes / 1440, h = (minutes % 1440) / 60, m = minutes % 60;
    std::string out;
    auto part = [&out](std::int64_t value, const char* unit) {
        if (!out.empty()) out += ' ';
        out += std::to_string(value);
        out += unit;
    };
    if (d) part(d, " d");
    if (h) part(h, " h");
    if (m || out.empty()) part(m, " min");
    return out;
}

}  // namespace planner::core::schedule
