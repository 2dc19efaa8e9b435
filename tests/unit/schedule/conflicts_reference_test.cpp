// Property test: detectConflicts (sweeps, interned ids, scope groups) against
// a plain reference that compares every pair of changes and walks every
// window occurrence, on generated calendars and changes. Where several CIs
// could be named, both name the one that appears first in the input
// (scanning each change's affected CIs, then its impact set, in order).
#include "schedule/conflicts.hpp"
#include "schedule_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using namespace planner::core;
using namespace planner::core::schedule;
using namespace planner::core::schedule::testing;

namespace {

// Fixed generator: the same data on every platform (std:: distributions are not).
struct Lcg {
    std::uint64_t state;
    std::int64_t below(std::int64_t n) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::int64_t>((state >> 33) % static_cast<std::uint64_t>(n));
    }
};

struct World {
    std::vector<Window> windows;
    std::vector<PlannedChange> changes;
    std::map<std::string, std::string> types;
    std::map<std::string, std::vector<std::string>> services;
    CiLookup lookup;
};

const char* kZones[] = {"UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney"};
const char* kTypes[] = {"db", "app", "net"};
const char* kRules[] = {"",
                        "FREQ=DAILY",
                        "FREQ=WEEKLY;BYDAY=SA",
                        "FREQ=WEEKLY;BYDAY=TU,FR",
                        "FREQ=MONTHLY;BYDAY=-1SU",
                        "FREQ=DAILY;INTERVAL=2"};

std::string ci(std::int64_t i) {
    return "ci-" + std::to_string(i);
}

std::string two(std::int64_t v) {
    return (v < 10 ? "0" : "") + std::to_string(v);
}

void generate(World& w, std::uint64_t seed, TimeUtc from) {
    Lcg rng{seed};
    const int cis = 30;
    for (int i = 0; i < cis; ++i) {
        w.types[ci(i)] = kTypes[i % 3];
        if (i % 4 != 3) w.services[ci(i)] = {"svc-" + std::to_string(i % 3)};
    }
    const std::int64_t windowCount = 4 + rng.below(8);
    for (std::int64_t i = 0; i < windowCount; ++i) {
        Window x;
        x.id = "w" + std::to_string(i);
        x.name = "Window " + std::to_string(i);
        x.kind = rng.below(4) == 0 ? WindowKind::Freeze : WindowKind::Maintenance;
        x.timeZone = kZones[rng.below(4)];
        const std::int64_t scope = rng.below(4);
        x.scope = static_cast<WindowScope>(scope);
        if (x.scope == WindowScope::CiType) x.scopeValue = kTypes[rng.below(3)];
        if (x.scope == WindowScope::Ci) x.scopeValue = ci(rng.below(cis));
        if (x.scope == WindowScope::Service) x.scopeValue = "svc-" + std::to_string(rng.below(3));
        const std::int64_t day = 1 + rng.below(20);
        const std::int64_t hour = rng.below(24);
        x.start = "2026-03-" + two(day) + "T" + two(hour) + ":00:00";
        x.duration = static_cast<Minutes>(60 * (1 + rng.below(x.kind == WindowKind::Freeze ? 72 : 8)));
        x.rrule = kRules[rng.below(6)];
        if (x.kind == WindowKind::Freeze && rng.below(2) == 0) x.rrule.clear();
        w.windows.push_back(std::move(x));
    }
    const std::int64_t changeCount = 60 + rng.below(80);
    for (std::int64_t i = 0; i < changeCount; ++i) {
        PlannedChange c;
        c.id = "CHG" + std::to_string(i);
        c.title = "Change " + std::to_string(i);
        const std::int64_t person = rng.below(6);
        c.implementer = person == 0 ? "" : "person-" + std::to_string(person);
        c.timeZone = kZones[rng.below(4)];
        const std::int64_t affected = 1 + rng.below(3);
        for (std::int64_t k = 0; k < affected; ++k) c.cis.push_back(ci(rng.below(cis)));
        c.impactSet = c.cis;
        const std::int64_t reach = rng.below(5);
        for (std::int64_t k = 0; k < reach; ++k) c.impactSet.push_back(ci(rng.below(cis)));
        if (rng.below(3) == 0) c.impactSet.push_back("svc-" + std::to_string(rng.below(3)));
        c.interval.start = from + rng.below(45 * 48) * 1800;
        const std::int64_t length = rng.below(12) * 1800;  // a few are empty
        c.interval.end = c.interval.start + length;
        w.changes.push_back(std::move(c));
    }
    w.lookup.typeOf = [&w](const std::string& id) {
        auto it = w.types.find(id);
        return it == w.types.end() ? std::string() : it->second;
    };
    w.lookup.servicesOf = [&w](const std::string& id) {
        auto it = w.services.find(id);
        return it == w.services.end() ? std::vector<std::string>{} : it->second;
    };
}

// What is compared: everything but the sentence.
using Key = std::tuple<std::string, std::string, std::string, std::string, std::string, TimeUtc, TimeUtc>;

Key keyOf(const Conflict& c) {
    return {toString(c.kind), c.changeId, c.otherId, c.otherName, c.ci, c.when.start, c.when.end};
}

bool overlaps(const Interval& a, const Interval& b) {
    return a.start < b.end && b.start < a.end;
}

std::vector<Key> reference(const WindowCalendar& cal, const World& w) {
    const std::vector<Window>& windows = cal.windows();
    const std::vector<PlannedChange>& changes = w.changes;
    std::map<std::string, int> firstSeen;
    for (const PlannedChange& c : changes) {
        for (const std::string& x : c.cis) firstSeen.emplace(x, static_cast<int>(firstSeen.size()));
        for (const std::string& x : c.impactSet) firstSeen.emplace(x, static_cast<int>(firstSeen.size()));
    }
    auto bySeen = [&](std::vector<std::string> v) {
        std::sort(v.begin(), v.end(),
                  [&](const std::string& a, const std::string& b) { return firstSeen[a] < firstSeen[b]; });
        v.erase(std::unique(v.begin(), v.end()), v.end());
        return v;
    };
    auto applies = [&](const Window& x, const std::string& id) {
        switch (x.scope) {
            case WindowScope::Global:
                return true;
            case WindowScope::CiType:
                return !w.lookup.typeOf(id).empty() && w.lookup.typeOf(id) == x.scopeValue;
            case WindowScope::Ci:
                return id == x.scopeValue;
            case WindowScope::Service: {
                auto s = w.lookup.servicesOf(id);
                return id == x.scopeValue || std::find(s.begin(), s.end(), x.scopeValue) != s.end();
            }
        }
        return false;
    };
    auto windowsOf = [&](const std::string& id, WindowKind kind) {
        std::vector<std::int32_t> out;
        for (size_t i = 0; i < windows.size(); ++i)
            if (windows[i].kind == kind && applies(windows[i], id)) out.push_back(static_cast<std::int32_t>(i));
        return out;
    };

    struct Found {
        size_t change;
        Key key;
    };
    std::vector<Found> found;
    for (size_t ci = 0; ci < changes.size(); ++ci) {
        const PlannedChange& c = changes[ci];
        const Interval& iv = c.interval;
        if (iv.end <= iv.start) continue;
        const std::vector<std::string> affected = bySeen(c.cis);
        std::vector<std::string> impacted;
        for (const std::string& x : c.impactSet)
            if (std::find(affected.begin(), affected.end(), x) == affected.end()) impacted.push_back(x);
        impacted = bySeen(impacted);

        // Outside every window: CIs with the same windows are one finding.
        std::vector<std::pair<std::vector<std::int32_t>, std::vector<std::string>>> groups;
        for (const std::string& a : affected) {
            auto ws = windowsOf(a, WindowKind::Maintenance);
            if (ws.empty()) continue;
            auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& x) { return x.first == ws; });
            if (g == groups.end()) {
                groups.push_back({ws, {}});
                g = groups.end() - 1;
            }
            g->second.push_back(a);
        }
        for (const auto& [ws, members] : groups) {
            TimeUtc reach = iv.start;
            for (bool moved = true; moved && reach < iv.end;) {
                moved = false;
                for (std::int32_t x : ws)
                    for (const Interval& o : cal.occurrences(static_cast<size_t>(x)))
                        if (o.start <= reach && reach < o.end) {
                            reach = o.end;
                            moved = true;
                        }
            }
            if (reach >= iv.end) continue;
            std::int32_t named = ws.front();
            if (reach == iv.start) {
                TimeUtc next = -1;
                for (std::int32_t x : ws)
                    for (const Interval& o : cal.occurrences(static_cast<size_t>(x)))
                        if (o.start >= iv.start && (next < 0 || o.start < next)) next = o.start, named = x;
            } else {
                std::int32_t closer = -1;  // the last window (by index) whose occurrence ends there
                for (std::int32_t x : ws)
                    for (const Interval& o : cal.occurrences(static_cast<size_t>(x)))
                        if (o.start < reach && o.end == reach) closer = std::max(closer, x);
                if (closer >= 0) named = closer;
            }
            const Window& n = windows[static_cast<size_t>(named)];
            found.push_back({ci, {"outside_window", c.id, n.id, n.name, members.front(), reach, iv.end}});
        }

        // Freezes, each once, on the first CI it applies to.
        std::set<std::int32_t> seen;
        std::vector<std::string> all = affected;
        all.insert(all.end(), impacted.begin(), impacted.end());
        for (const std::string& a : all)
            for (std::int32_t f : windowsOf(a, WindowKind::Freeze)) {
                if (!seen.insert(f).second) continue;
                std::vector<Interval> occ(cal.occurrences(static_cast<size_t>(f)).begin(),
                                          cal.occurrences(static_cast<size_t>(f)).end());
                for (const Interval& m : mergeIntervals(occ))
                    if (overlaps(m, iv)) {
                        const Window& n = windows[static_cast<size_t>(f)];
                        found.push_back({ci,
                                         {"in_freeze", c.id, n.id, n.name, a, std::max(m.start, iv.start),
                                          std::min(m.end, iv.end)}});
                        break;
                    }
            }

        // Pairs.
        for (size_t oi = 0; oi < changes.size(); ++oi) {
            const PlannedChange& o = changes[oi];
            if (oi == ci || o.interval.end <= o.interval.start || !overlaps(iv, o.interval)) continue;
            const Interval both{std::max(iv.start, o.interval.start), std::min(iv.end, o.interval.end)};
            std::vector<std::string> same, related;
            for (const std::string& a : c.cis)
                if (std::find(o.cis.begin(), o.cis.end(), a) != o.cis.end()) same.push_back(a);
            for (const std::string& a : c.cis)
                if (std::find(o.impactSet.begin(), o.impactSet.end(), a) != o.impactSet.end()) related.push_back(a);
            for (const std::string& a : o.cis)
                if (std::find(c.impactSet.begin(), c.impactSet.end(), a) != c.impactSet.end()) related.push_back(a);
            if (!same.empty())
                found.push_back({ci, {"same_ci", c.id, o.id, o.title, bySeen(same).front(), both.start, both.end}});
            else if (!related.empty())
                found.push_back(
                    {ci, {"related_ci", c.id, o.id, o.title, bySeen(related).front(), both.start, both.end}});
            if (!c.implementer.empty() && c.implementer == o.implementer)
                found.push_back({ci, {"implementer_double_booked", c.id, o.id, o.title, "", both.start, both.end}});
        }
    }
    auto rank = [](const std::string& kind) {
        for (int k = 0; k < 5; ++k)
            if (kind == toString(static_cast<ConflictKind>(k))) return k;
        return 5;
    };
    std::stable_sort(found.begin(), found.end(), [&](const Found& x, const Found& y) {
        if (x.change != y.change) return x.change < y.change;
        const int kx = rank(std::get<0>(x.key)), ky = rank(std::get<0>(y.key));
        if (kx != ky) return kx < ky;
        if (std::get<2>(x.key) != std::get<2>(y.key)) return std::get<2>(x.key) < std::get<2>(y.key);
        return std::get<4>(x.key) < std::get<4>(y.key);
    });
    std::vector<Key> out;
    for (const Found& f : found) out.push_back(f.key);
    return out;
}

class ConflictReferenceTest : public ScheduleTest {};

TEST_F(ConflictReferenceTest, FastDetectionMatchesPairwiseReferenceOnGeneratedData) {
    const TimeUtc from = at("2026-03-01T00:00:00");
    size_t total = 0;
    std::set<std::string> kindsSeen;
    for (std::uint64_t seed = 1; seed <= 25; ++seed) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        World w;
        generate(w, seed, from);
        auto cal = WindowCalendar::build(w.windows, from - 7 * 86400, from + 60 * 86400);
        ASSERT_TRUE(cal.ok()) << cal.error().toString();
        const std::vector<Conflict> fast = detectConflicts(cal.value(), w.changes, w.lookup);
        std::vector<Key> got;
        for (const Conflict& c : fast) {
            got.push_back(keyOf(c));
            kindsSeen.insert(toString(c.kind));
            EXPECT_FALSE(c.message.empty());
            const bool everyCi = c.message.find("covers every CI") != std::string::npos;
            if (!c.ci.empty() && !everyCi) EXPECT_NE(c.message.find(c.ci), std::string::npos) << c.message;
        }
        const std::vector<Key> want = reference(cal.value(), w);
        EXPECT_EQ(got.size(), want.size());
        for (size_t i = 0; i < std::min(got.size(), want.size()); ++i) {
            if (got[i] != want[i]) {
                ADD_FAILURE() << "first difference at " << i << ": got " << std::get<0>(got[i]) << " "
                              << std::get<1>(got[i]) << " " << std::get<2>(got[i]) << " " << std::get<4>(got[i]) << " ["
                              << std::get<5>(got[i]) << ", " << std::get<6>(got[i]) << "), want "
                              << std::get<0>(want[i]) << " " << std::get<1>(want[i]) << " " << std::get<2>(want[i])
                              << " " << std::get<4>(want[i]) << " [" << std::get<5>(want[i]) << ", "
                              << std::get<6>(want[i]) << ")";
                break;
            }
        }
        total += want.size();
    }
    // The generated data must exercise every kind, or the comparison proves little.
    EXPECT_EQ(kindsSeen.size(), 5u);
    EXPECT_GT(total, 500u);
}

}  // namespace
