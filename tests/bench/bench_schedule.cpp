// Scheduling figures: expansion of 200 window and freeze rules over a year,
// full conflict detection for 5,000 planned changes, and the next free slot
// for a change touching 20 CIs. Data is generated deterministically and is the
// same in the native and the web build (one random draw per statement).
// Usage: bench_schedule [zoneinfo-dir]   (the web build needs libical's zoneinfo)
#include "schedule/assistant.hpp"
#include "schedule/conflicts.hpp"
#include "schedule/expansion.hpp"
#include "schedule/time_zone.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <vector>

using namespace planner::core;
using namespace planner::core::schedule;

namespace {

struct Lcg {
    std::uint64_t state;
    std::uint32_t next() {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::uint32_t>(state >> 33);
    }
    std::int64_t below(std::int64_t n) { return static_cast<std::int64_t>(next() % static_cast<std::uint32_t>(n)); }
};

const char* kZones[] = {"Europe/Berlin", "America/New_York", "Australia/Sydney", "UTC"};
const char* kTypes[] = {"database",      "application", "server",   "network", "storage",
                        "load_balancer", "middleware",  "firewall", "cluster", "container"};
const char* kDays[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};
constexpr int kCis = 4000;
constexpr int kServices = 60;

std::string ciName(std::int64_t i) {
    return "ci-" + std::to_string(i);
}

std::string two(std::int64_t v) {
    char b[8];
    std::snprintf(b, sizeof b, "%02d", static_cast<int>(v));
    return b;
}

std::vector<Window> makeRules(Lcg& rng) {
    std::vector<Window> out;
    for (int i = 0; i < 200; ++i) {
        Window w;
        w.id = "rule-" + std::to_string(i);
        w.name = w.id;
        w.timeZone = kZones[rng.below(4)];
        const bool freeze = i % 8 == 7;
        w.kind = freeze ? WindowKind::Freeze : WindowKind::Maintenance;
        const std::int64_t s = rng.below(10);
        w.scope = s == 0  ? WindowScope::Global
                  : s < 5 ? WindowScope::CiType
                  : s < 8 ? WindowScope::Ci
                          : WindowScope::Service;
        if (w.scope == WindowScope::CiType) w.scopeValue = kTypes[rng.below(10)];
        if (w.scope == WindowScope::Ci) w.scopeValue = ciName(rng.below(kCis));
        if (w.scope == WindowScope::Service) w.scopeValue = "svc-" + std::to_string(rng.below(kServices));
        if (freeze && w.scope == WindowScope::Global)
            w.scope = WindowScope::CiType, w.scopeValue = kTypes[rng.below(10)];
        // One draw per statement: the order of evaluation inside a single
        // expression is unspecified, and g++ and em++ (clang) differ, which once
        // gave the native and the web build different rules.
        const std::int64_t month = 1 + rng.below(12);
        const std::int64_t day = 1 + rng.below(28);
        const std::int64_t weekday = freeze ? 0 : 1 + rng.below(7);
        const std::int64_t hour = rng.below(24);
        w.start = "2026-" + two(freeze ? month : 1) + "-" + two(freeze ? day : weekday) + "T" + two(hour) + ":00:00";
        if (freeze) {
            w.duration = static_cast<Minutes>(1440 * (1 + rng.below(5)));
            if (i % 16 == 15) w.rrule = "FREQ=MONTHLY;BYMONTHDAY=-1";
        } else {
            w.duration = static_cast<Minutes>(60 * (2 + rng.below(5)));
            switch (rng.below(4)) {
                case 0:
                    w.rrule = "FREQ=DAILY";
                    break;
                case 1: {
                    const char* first = kDays[rng.below(7)];
                    const char* second = kDays[rng.below(7)];
                    w.rrule =
                        std::string("FREQ=WEEKLY;BYDAY=") + first + (first == second ? "" : std::string(",") + second);
                    break;
                }
                case 2: {
                    const char* nth = rng.below(2) ? "2" : "-1";
                    w.rrule = std::string("FREQ=MONTHLY;BYDAY=") + nth + kDays[rng.below(7)];
                    break;
                }
                default:
                    w.rrule = std::string("FREQ=WEEKLY;BYDAY=") + kDays[rng.below(7)];
                    break;
            }
            if (rng.below(3) == 0) {
                const std::int64_t exMonth = 1 + rng.below(12);
                const std::int64_t exDay = 1 + rng.below(28);
                w.exdates.push_back("2026-" + two(exMonth) + "-" + two(exDay));
            }
        }
        out.push_back(std::move(w));
    }
    return out;
}

std::vector<PlannedChange> makeChanges(Lcg& rng, TimeUtc yearStart) {
    std::vector<PlannedChange> out;
    for (int i = 0; i < 5000; ++i) {
        PlannedChange c;
        c.id = "CHG" + std::to_string(100000 + i);
        c.title = "Generated change " + std::to_string(i);
        c.implementer = "person-" + std::to_string(rng.below(150));
        const std::int64_t base = rng.below(kCis);
        const std::int64_t n = 1 + rng.below(3);
        for (std::int64_t k = 0; k < n; ++k) c.cis.push_back(ciName((base + k * 7) % kCis));
        c.impactSet = c.cis;
        const std::int64_t reach = 5 + rng.below(15);
        for (std::int64_t k = 0; k < reach; ++k) c.impactSet.push_back(ciName((base + 1 + rng.below(40)) % kCis));
        c.impactSet.push_back("svc-" + std::to_string(base % kServices));
        c.timeZone = kZones[rng.below(4)];
        c.interval.start = yearStart + rng.below(364 * 96) * 900;
        c.interval.end = c.interval.start + (30 + rng.below(10) * 30) * 60;
        out.push_back(std::move(c));
    }
    return out;
}

double msSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// The fastest run: on a shared machine the least disturbed one.
double fastest(const std::vector<double>& v) {
    return *std::min_element(v.begin(), v.end());
}

}  // namespace

int main(int argc, char** argv) {
    std::string zoneDir = argc > 1 ? argv[1] : "";
#ifdef PLANNER_ZONEINFO_DIR
    if (zoneDir.empty()) zoneDir = PLANNER_ZONEINFO_DIR;
#endif
    if (zoneDir.empty() && std::getenv("PLANNER_ZONEINFO_DIR")) zoneDir = std::getenv("PLANNER_ZONEINFO_DIR");
    initTimeZones(zoneDir);
    if (!isKnownTimeZone("Europe/Berlin")) {
        std::fprintf(stderr,
                     "bench_schedule: no zone data (pass libical's zoneinfo directory as the first argument)\n");
        return 1;
    }
    Lcg rng{20260101};
    const TimeUtc from = localToUtc(*parseLocalDateTime("2026-01-01T00:00:00"), "UTC").value();
    const TimeUtc to = localToUtc(*parseLocalDateTime("2027-01-01T00:00:00"), "UTC").value();
    std::vector<Window> rules = makeRules(rng);
    std::vector<PlannedChange> changes = makeChanges(rng, from);

    std::unordered_map<std::string, std::string> types;
    std::unordered_map<std::string, std::vector<std::string>> services;
    for (int i = 0; i < kCis; ++i) {
        types[ciName(i)] = kTypes[i % 10];
        services[ciName(i)] = {"svc-" + std::to_string(i % kServices)};
    }
    for (int s = 0; s < kServices; ++s) types["svc-" + std::to_string(s)] = "business_service";
    CiLookup lookup;
    lookup.typeOf = [&](const std::string& ci) {
        auto it = types.find(ci);
        return it == types.end() ? std::string() : it->second;
    };
    lookup.servicesOf = [&](const std::string& ci) {
        auto it = services.find(ci);
        return it == services.end() ? std::vector<std::string>{} : it->second;
    };

    // Warm the zone cache once so that the figures measure steady-state work.
    (void)WindowCalendar::build(rules, from, from + 86400);

    std::vector<double> expandMs;
    WindowCalendar calendar;
    std::size_t occurrences = 0;
    for (int run = 0; run < 7; ++run) {
        auto t0 = std::chrono::steady_clock::now();
        auto cal = WindowCalendar::build(rules, from, to);
        expandMs.push_back(msSince(t0));
        if (!cal) {
            std::fprintf(stderr, "bench_schedule: %s\n", cal.error().toString().c_str());
            return 1;
        }
        calendar = std::move(cal.value());
    }
    for (std::size_t i = 0; i < calendar.windows().size(); ++i) occurrences += calendar.occurrences(i).size();

    std::vector<double> detectMs;
    std::size_t conflicts = 0;
    for (int run = 0; run < 7; ++run) {
        auto t0 = std::chrono::steady_clock::now();
        std::vector<Conflict> found = detectConflicts(calendar, changes, lookup);
        detectMs.push_back(msSince(t0));
        conflicts = found.size();
    }
    std::size_t byKind[5] = {0, 0, 0, 0, 0};
    for (const Conflict& c : detectConflicts(calendar, changes, lookup)) ++byKind[static_cast<int>(c.kind)];

    SlotRequest req;
    req.change.id = "CHG-NEW";
    req.change.implementer = "person-7";
    for (int k = 0; k < 20; ++k) req.change.cis.push_back(ciName(100 + k * 3));
    req.change.impactSet = req.change.cis;
    for (int k = 0; k < 40; ++k) req.change.impactSet.push_back(ciName(300 + k));
    req.duration = 120;
    req.earliest = from + 30 * 86400;
    req.horizon = to;
    std::vector<double> slotMs;
    SlotAnswer answer;
    for (int run = 0; run < 7; ++run) {
        auto t0 = std::chrono::steady_clock::now();
        answer = findFreeSlots(calendar, req, changes, lookup);
        slotMs.push_back(msSince(t0));
    }

    std::printf("schedule benchmark (median and fastest of 7 runs)\n");
    std::printf("  expand 200 rules over one year:        %8.2f ms  (fastest %.2f ms; %zu occurrences)\n",
                median(expandMs), fastest(expandMs), occurrences);
    std::printf(
        "  detect conflicts, 5000 changes:        %8.2f ms  (fastest %.2f ms; %zu conflicts: same_ci %zu, "
        "related_ci %zu, outside_window %zu, in_freeze %zu, implementer %zu)\n",
        median(detectMs), fastest(detectMs), conflicts, byKind[0], byKind[1], byKind[2], byKind[3], byKind[4]);
    std::printf("  next free slot, change on 20 CIs:      %8.2f ms  (fastest %.2f ms; %zu proposals)\n", median(slotMs),
                fastest(slotMs), answer.proposals.size());
    std::printf("  %s\n", answer.summary.c_str());
    return 0;
}
