// Expansion of maintenance windows and freezes into UTC intervals over a
// horizon, using libical's RRULE iterator in the window's own time zone, and
// the sorted interval sets the conflict checks and the slot assistant use.
#pragma once

#include "model/model.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace planner::core::schedule {

// Half-open UTC interval [start, end), seconds.
struct Interval {
    TimeUtc start = 0;
    TimeUtc end = 0;
    bool operator==(const Interval&) const = default;
};

// Bounds on the numbers of a window, whatever it was read from (an iCalendar
// file, a workspace, a bundle). They keep every product of minutes and seconds
// far inside 32 bits where libical wants an int (a DURATION is int seconds),
// and keep nonsense such as a window that ends in the year 4052 out of the
// calendar. docs/scheduling.md lists them.
//
// A maintenance window is a night or a weekend, at most a month-long migration
// slot: 31 days. A freeze may cover a quarter-end or a holiday season: 92 days.
inline constexpr Minutes kMaxMaintenanceMinutes = 31 * 24 * 60;
inline constexpr Minutes kMaxFreezeMinutes = 92 * 24 * 60;
// Years of every start, UNTIL, EXDATE and RDATE (local wall time).
inline constexpr int kMinWindowYear = 1970;
inline constexpr int kMaxWindowYear = 2200;
// RRULE COUNT (1..this) and INTERVAL (1..this). A daily window for 200 years
// has 73,000 occurrences.
inline constexpr int kMaxRecurrenceCount = 100000;
inline constexpr int kMaxRecurrenceInterval = 1000;

// Longest duration allowed for a window of this kind, in minutes.
Minutes maxWindowMinutes(WindowKind kind);

// Checks that a window can be expanded: known zone, well-formed start, positive
// duration within maxWindowMinutes, an RRULE libical accepts (not UNTIL together
// with COUNT; COUNT and INTERVAL within the bounds above), readable EXDATE/RDATE
// values ("YYYY-MM-DDTHH:MM:SS", or "YYYY-MM-DD" for a whole day), and every
// year in kMinWindowYear..kMaxWindowYear.
Status validateWindow(const Window& w);

// Occurrences of `w` that overlap [from, to), sorted by start. Each occurrence
// starts at a local wall time of the rule (COUNT is applied before EXDATE
// removes) and lasts `duration` minutes of elapsed time.
Result<std::vector<Interval>> expandWindow(const Window& w, TimeUtc from, TimeUtc to);

// Sorted, disjoint union of `v` (touching intervals are joined).
std::vector<Interval> mergeIntervals(std::vector<Interval> v);
// Intersection and difference of two sorted disjoint interval lists.
std::vector<Interval> intersectIntervals(const std::vector<Interval>& a, const std::vector<Interval>& b);
std::vector<Interval> subtractIntervals(const std::vector<Interval>& a, const std::vector<Interval>& b);

// Read-only view of a contiguous run of intervals owned by a WindowCalendar.
struct IntervalSpan {
    const Interval* first = nullptr;
    const Interval* last = nullptr;
    const Interval* begin() const { return first; }
    const Interval* end() const { return last; }
    size_t size() const { return static_cast<size_t>(last - first); }
    bool empty() const { return first == last; }
};

// A run of time during which at least one window of a ScopeGroup is open:
// `opener` is the lowest window index whose occurrence starts the run, `closer`
// the highest whose occurrence ends it (indices into WindowCalendar::windows()).
struct CoverRun {
    Interval interval;
    std::int32_t opener = 0;
    std::int32_t closer = 0;
};

// The windows of one kind that share a scope key (every window global, or of
// one CI type, one CI, one service), sorted by index, and for maintenance
// windows the union of their merged occurrences as sorted, disjoint runs.
struct ScopeGroup {
    std::vector<std::int32_t> windows;
    std::vector<CoverRun> cover;
};

// One occurrence of a window, for the schedule view.
struct Occurrence {
    std::int32_t window = 0;  // index into WindowCalendar::windows()
    Interval interval;
};

// All windows and freezes expanded once over [from, to), with an index by
// scope. Occurrence data is stored in flat arrays; the calendar owns it.
class WindowCalendar {
public:
    WindowCalendar() = default;

    // Expands every window; fails on the first window that does not validate,
    // naming its id.
    static Result<WindowCalendar> build(std::vector<Window> windows, TimeUtc from, TimeUtc to);

    const std::vector<Window>& windows() const { return m_windows; }
    TimeUtc from() const { return m_from; }
    TimeUtc to() const { return m_to; }

    // Occurrences of window `i` as expanded (sorted by start), and their union.
    IntervalSpan occurrences(size_t i) const;
    IntervalSpan merged(size_t i) const;

    // Appends to `out` the indices of windows of `kind` that apply to a CI with
    // this id, type and service membership (global, matching type, the CI
    // itself, or a service it belongs to; a service CI also matches itself).
    void applicableTo(const std::string& ci, const std::string& ciType, const std::vector<std::string>& services,
                      WindowKind kind, std::vector<std::int32_t>& out) const;

    // Appends to `out` the scope groups of `kind` whose windows apply to this CI
    // (the same windows as applicableTo, each group once); never empty groups.
    void groupsFor(const std::string& ci, const std::string& ciType, const std::vector<std::string>& services,
                   WindowKind kind, std::vector<const ScopeGroup*>& out) const;
    // Both kinds at once: one look-up per scope key.
    void groupsFor(const std::string& ci, const std::string& ciType, const std::vector<std::string>& services,
                   std::vector<const ScopeGroup*>& maintenance, std::vector<const ScopeGroup*>& freezes) const;

    // Every occurrence overlapping [a, b), sorted by start then window index.
    std::vector<Occurrence> occurrencesIn(TimeUtc a, TimeUtc b) const;

    // Occurrence (merged) of window `i` overlapping `iv`, or nullptr.
    const Interval* firstOverlap(size_t i, const Interval& iv) const;

private:
    // Per scope key, the maintenance group [0] and the freeze group [1].
    struct ScopeEntry {
        ScopeGroup kinds[2];
    };
    struct ScopeIndex {
        ScopeEntry global;
        std::unordered_map<std::string, ScopeEntry> byType, byCi, byService;
    };

    // Fills group.cover from the merged occurrences of group.windows.
    void buildCover(ScopeGroup& group) const;

    std::vector<Window> m_windows;
    TimeUtc m_from = 0, m_to = 0;
    std::vector<Interval> m_occ, m_merged;
    std::vector<std::uint32_t> m_occOffset, m_mergedOffset;  // size windows+1
    ScopeIndex m_index;
};

}  // namespace planner::core::schedule
