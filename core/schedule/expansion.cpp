#include "schedule/expansion.hpp"

#include "schedule/ical_support.hpp"
#include "schedule/time_zone.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <optional>

namespace planner::core::schedule {

namespace {

constexpr std::int64_t kMaxIterations = 1000000;

struct DateMatch {
    LocalDateTime at;
    bool wholeDay = false;
};

std::optional<DateMatch> parseDateMatch(const std::string& text) {
    if (text.size() == 10) {
        auto t = parseLocalDateTime(text + "T00:00:00");
        if (!t) return std::nullopt;
        return DateMatch{*t, true};
    }
    auto t = parseLocalDateTime(text);
    if (!t) return std::nullopt;
    return DateMatch{*t, false};
}

bool matches(const std::vector<DateMatch>& list, const LocalDateTime& t) {
    for (const DateMatch& m : list) {
        if (m.wholeDay ? (m.at.year == t.year && m.at.month == t.month && m.at.day == t.day) : m.at == t) return true;
    }
    return false;
}

Error windowError(const Window& w, const std::string& what) {
    return detail::makeError("window '" + w.id + "': " + what);
}

bool yearInRange(int year) { return year >= kMinWindowYear && year <= kMaxWindowYear; }

std::string yearRangeText() {
    return std::to_string(kMinWindowYear) + ".." + std::to_string(kMaxWindowYear);
}

struct Prepared {
    LocalDateTime start;
    icaltimezone* zone = nullptr;
    bool recurring = false;
    icalrecurrencetype rule{};
    std::vector<DateMatch> exdates, rdates;
};

Result<Prepared> prepare(const Window& w) {
    Prepared p;
    p.zone = detail::findZone(w.timeZone);
    if (!p.zone)
        return windowError(w, "unknown time zone '" + w.timeZone + "' (expected an IANA name such as Europe/Berlin)");
    auto start = parseLocalDateTime(w.start);
    if (!start) return windowError(w, "start '" + w.start + "' is not a local time YYYY-MM-DDTHH:MM:SS");
    p.start = *start;
    if (!yearInRange(p.start.year))
        return windowError(w, "start '" + w.start + "' is outside the years " + yearRangeText());
    if (w.duration <= 0) return windowError(w, "duration must be a positive number of minutes");
    if (w.duration > maxWindowMinutes(w.kind))
        return windowError(w, "duration of " + std::to_string(w.duration) + " minutes is longer than the " +
                                  std::to_string(maxWindowMinutes(w.kind) / 1440) + " days a " + toString(w.kind) +
                                  " window may last");
    if (!w.rrule.empty()) {
        if (auto problem = detail::recurrenceBoundsProblem(w.rrule))
            return windowError(w, "recurrence rule '" + w.rrule + "': " + *problem);
        icalerror_clear_errno();
        p.rule = icalrecurrencetype_from_string(w.rrule.c_str());
        if (p.rule.freq == ICAL_NO_RECURRENCE)
            return windowError(w, "recurrence rule '" + w.rrule + "' is not a valid RFC 5545 RRULE");
        if (p.rule.count > 0 && !icaltime_is_null_time(p.rule.until))
            return windowError(w, "recurrence rule '" + w.rrule + "' has both COUNT and UNTIL");
        p.recurring = true;
        if (!icaltime_is_null_time(p.rule.until) && !yearInRange(p.rule.until.year))
            return windowError(w, "recurrence rule '" + w.rrule + "' has an UNTIL outside the years " + yearRangeText());
        if (!icaltime_is_null_time(p.rule.until)) {
            icaltimetype until = p.rule.until;
            if (until.is_date) {
                until.is_date = 0;
                until.hour = 23;
                until.minute = 59;
                until.second = 59;
                until.zone = nullptr;
            } else if (icaltime_is_utc(until)) {
                until = icaltime_from_timet_with_zone(icaltime_as_timet(until), 0, p.zone);
                until.zone = nullptr;
            }
            p.rule.until = until;
        }
    }
    for (const std::string& e : w.exdates) {
        auto m = parseDateMatch(e);
        if (!m) return windowError(w, "exception date '" + e + "' is not YYYY-MM-DDTHH:MM:SS or YYYY-MM-DD");
        if (!yearInRange(m->at.year))
            return windowError(w, "exception date '" + e + "' is outside the years " + yearRangeText());
        p.exdates.push_back(*m);
    }
    for (const std::string& r : w.rdates) {
        auto m = parseDateMatch(r);
        if (!m) return windowError(w, "extra date '" + r + "' is not YYYY-MM-DDTHH:MM:SS or YYYY-MM-DD");
        if (!yearInRange(m->at.year))
            return windowError(w, "extra date '" + r + "' is outside the years " + yearRangeText());
        if (m->wholeDay)
            m->at = LocalDateTime{m->at.year, m->at.month, m->at.day, p.start.hour, p.start.minute, p.start.second};
        p.rdates.push_back(*m);
    }
    return p;
}

}  // namespace

namespace detail {

std::optional<std::string> recurrenceBoundsProblem(const std::string& rule) {
    // Read the numbers from the text: libical keeps INTERVAL in a short and
    // COUNT in an int, so a parsed value may already have wrapped around.
    struct Part {
        const char* name;
        long long max;
    };
    for (const Part& part : {Part{"COUNT", kMaxRecurrenceCount}, Part{"INTERVAL", kMaxRecurrenceInterval}}) {
        const std::string key = std::string(part.name) + "=";
        size_t at = 0;
        while (at < rule.size()) {
            size_t end = rule.find(';', at);
            if (end == std::string::npos) end = rule.size();
            std::string item = rule.substr(at, end - at);
            at = end + 1;
            if (item.size() < key.size()) continue;
            bool same = true;
            for (size_t i = 0; i < key.size(); ++i)
                if (std::toupper(static_cast<unsigned char>(item[i])) != key[i]) same = false;
            if (!same) continue;
            const std::string digits = item.substr(key.size());
            long long value = 0;
            bool number = !digits.empty() && digits.size() <= 12;
            for (char ch : digits) {
                if (ch < '0' || ch > '9') number = false;
                if (number) value = value * 10 + (ch - '0');
            }
            if (!number || value < 1 || value > part.max)
                return std::string(part.name) + " " + digits + " is outside 1.." + std::to_string(part.max);
        }
    }
    return std::nullopt;
}

}  // namespace detail

Minutes maxWindowMinutes(WindowKind kind) {
    return kind == WindowKind::Freeze ? kMaxFreezeMinutes : kMaxMaintenanceMinutes;
}

Status validateWindow(const Window& w) {
    auto p = prepare(w);
    if (!p) return p.error();
    return okStatus();
}

Result<std::vector<Interval>> expandWindow(const Window& w, TimeUtc from, TimeUtc to) {
    auto prepared = prepare(w);
    if (!prepared) return prepared.error();
    Prepared& p = prepared.value();
    const TimeUtc length = static_cast<TimeUtc>(w.duration) * 60;
    std::vector<Interval> out;
    auto consider = [&](const LocalDateTime& local, TimeUtc s) {
        if (s >= to || s + length <= from) return;
        if (!p.exdates.empty() && matches(p.exdates, local)) return;
        out.push_back({s, s + length});
    };
    if (!p.recurring) {
        consider(p.start, detail::wallToUtc(detail::toIcal(p.start), p.zone));
    } else {
        icalrecur_iterator* it = icalrecur_iterator_new(p.rule, detail::toIcal(p.start));
        if (!it) return windowError(w, "recurrence rule '" + w.rrule + "' cannot be expanded from " + w.start);
        std::int64_t n = 0;
        for (icaltimetype occ = icalrecur_iterator_next(it); !icaltime_is_null_time(occ);
             occ = icalrecur_iterator_next(it)) {
            if (++n > kMaxIterations) {
                icalrecur_iterator_free(it);
                return windowError(
                    w, "recurrence rule '" + w.rrule + "' yields too many occurrences before the horizon ends");
            }
            const TimeUtc s = detail::wallToUtc(occ, p.zone);
            if (s >= to + 7200) break;
            consider(detail::fromIcal(occ), s);
        }
        icalrecur_iterator_free(it);
    }
    for (const DateMatch& r : p.rdates) consider(r.at, detail::wallToUtc(detail::toIcal(r.at), p.zone));
    auto byStart = [](const Interval& a, const Interval& b) {
        return a.start != b.start ? a.start < b.start : a.end < b.end;
    };
    if (!std::is_sorted(out.begin(), out.end(), byStart)) std::sort(out.begin(), out.end(), byStart);
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<Interval> mergeIntervals(std::vector<Interval> v) {
    auto byStart = [](const Interval& a, const Interval& b) { return a.start < b.start; };
    if (!std::is_sorted(v.begin(), v.end(), byStart)) std::sort(v.begin(), v.end(), byStart);
    std::vector<Interval> out;
    out.reserve(v.size());
    for (const Interval& iv : v) {
        if (iv.end <= iv.start) continue;
        if (!out.empty() && iv.start <= out.back().end)
            out.back().end = std::max(out.back().end, iv.end);
        else
            out.push_back(iv);
    }
    return out;
}

std::vector<Interval> intersectIntervals(const std::vector<Interval>& a, const std::vector<Interval>& b) {
    std::vector<Interval> out;
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        TimeUtc s = std::max(a[i].start, b[j].start);
        TimeUtc e = std::min(a[i].end, b[j].end);
        if (s < e) out.push_back({s, e});
        if (a[i].end < b[j].end)
            ++i;
        else
            ++j;
    }
    return out;
}

std::vector<Interval> subtractIntervals(const std::vector<Interval>& a, const std::vector<Interval>& b) {
    std::vector<Interval> out;
    size_t j = 0;
    for (const Interval& iv : a) {
        TimeUtc cur = iv.start;
        while (j < b.size() && b[j].end <= cur) ++j;
        size_t k = j;
        while (k < b.size() && b[k].start < iv.end) {
            if (b[k].start > cur) out.push_back({cur, b[k].start});
            cur = std::max(cur, b[k].end);
            if (cur >= iv.end) break;
            ++k;
        }
        if (cur < iv.end) out.push_back({cur, iv.end});
    }
    return out;
}

Result<WindowCalendar> WindowCalendar::build(std::vector<Window> windows, TimeUtc from, TimeUtc to) {
    assert(from <= to);
    WindowCalendar cal;
    cal.m_from = from;
    cal.m_to = to;
    std::vector<std::vector<Interval>> expanded(windows.size());
    size_t total = 0;
    for (size_t i = 0; i < windows.size(); ++i) {
        auto occ = expandWindow(windows[i], from, to);
        if (!occ) return occ.error();
        expanded[i] = std::move(occ.value());
        total += expanded[i].size();
    }
    cal.m_occ.reserve(total);
    cal.m_merged.reserve(total);
    cal.m_occOffset.reserve(windows.size() + 1);
    cal.m_mergedOffset.reserve(windows.size() + 1);
    cal.m_occOffset.push_back(0);
    cal.m_mergedOffset.push_back(0);
    for (size_t i = 0; i < windows.size(); ++i) {
        const Window& w = windows[i];
        // Occurrences come sorted by start, so the union is one pass.
        const size_t firstMerged = cal.m_merged.size();
        for (const Interval& iv : expanded[i]) {
            cal.m_occ.push_back(iv);
            if (iv.end <= iv.start) continue;
            if (cal.m_merged.size() > firstMerged && iv.start <= cal.m_merged.back().end)
                cal.m_merged.back().end = std::max(cal.m_merged.back().end, iv.end);
            else
                cal.m_merged.push_back(iv);
        }
        cal.m_occOffset.push_back(static_cast<std::uint32_t>(cal.m_occ.size()));
        cal.m_mergedOffset.push_back(static_cast<std::uint32_t>(cal.m_merged.size()));
        ScopeIndex& idx = cal.m_index;
        const int k = w.kind == WindowKind::Freeze ? 1 : 0;
        const auto n = static_cast<std::int32_t>(i);
        switch (w.scope) {
            case WindowScope::Global:
                idx.global.kinds[k].windows.push_back(n);
                break;
            case WindowScope::CiType:
                idx.byType[w.scopeValue].kinds[k].windows.push_back(n);
                break;
            case WindowScope::Ci:
                idx.byCi[w.scopeValue].kinds[k].windows.push_back(n);
                break;
            case WindowScope::Service:
                idx.byService[w.scopeValue].kinds[k].windows.push_back(n);
                break;
        }
    }
    cal.m_windows = std::move(windows);
    ScopeIndex& idx = cal.m_index;
    cal.buildCover(idx.global.kinds[0]);
    for (auto* map : {&idx.byType, &idx.byCi, &idx.byService})
        for (auto& entry : *map) cal.buildCover(entry.second.kinds[0]);
    return cal;
}

void WindowCalendar::buildCover(ScopeGroup& group) const {
    struct Piece {
        Interval iv;
        std::int32_t window;
    };
    std::vector<Piece> pieces;
    for (std::int32_t w : group.windows)
        for (const Interval& iv : merged(static_cast<size_t>(w))) pieces.push_back({iv, w});
    std::sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) {
        return a.iv.start != b.iv.start ? a.iv.start < b.iv.start : a.window < b.window;
    });
    group.cover.clear();
    for (const Piece& p : pieces) {
        if (!group.cover.empty() && p.iv.start <= group.cover.back().interval.end) {
            CoverRun& run = group.cover.back();
            if (p.iv.end > run.interval.end) {
                run.interval.end = p.iv.end;
                run.closer = p.window;
            } else if (p.iv.end == run.interval.end) {
                run.closer = std::max(run.closer, p.window);
            }
        } else {
            group.cover.push_back({p.iv, p.window, p.window});
        }
    }
}

IntervalSpan WindowCalendar::occurrences(size_t i) const {
    assert(i < m_windows.size());
    return {m_occ.data() + m_occOffset[i], m_occ.data() + m_occOffset[i + 1]};
}

IntervalSpan WindowCalendar::merged(size_t i) const {
    assert(i < m_windows.size());
    return {m_merged.data() + m_mergedOffset[i], m_merged.data() + m_mergedOffset[i + 1]};
}

void WindowCalendar::groupsFor(const std::string& ci, const std::string& ciType,
                               const std::vector<std::string>& services, std::vector<const ScopeGroup*>& maintenance,
                               std::vector<const ScopeGroup*>& freezes) const {
    const size_t firstMaintenance = maintenance.size(), firstFreeze = freezes.size();
    auto add = [&](const ScopeEntry& e) {
        const ScopeGroup* m = &e.kinds[0];
        const ScopeGroup* f = &e.kinds[1];
        if (!m->windows.empty() && std::find(maintenance.begin() + static_cast<std::ptrdiff_t>(firstMaintenance),
                                             maintenance.end(), m) == maintenance.end())
            maintenance.push_back(m);
        if (!f->windows.empty() &&
            std::find(freezes.begin() + static_cast<std::ptrdiff_t>(firstFreeze), freezes.end(), f) == freezes.end())
            freezes.push_back(f);
    };
    auto find = [&](const std::unordered_map<std::string, ScopeEntry>& map, const std::string& key) {
        if (map.empty()) return;
        auto it = map.find(key);
        if (it != map.end()) add(it->second);
    };
    const ScopeIndex& idx = m_index;
    add(idx.global);
    if (!ciType.empty()) find(idx.byType, ciType);
    find(idx.byCi, ci);
    find(idx.byService, ci);
    for (const std::string& s : services) find(idx.byService, s);
}

void WindowCalendar::groupsFor(const std::string& ci, const std::string& ciType,
                               const std::vector<std::string>& services, WindowKind kind,
                               std::vector<const ScopeGroup*>& out) const {
    std::vector<const ScopeGroup*> other;
    if (kind == WindowKind::Freeze)
        groupsFor(ci, ciType, services, other, out);
    else
        groupsFor(ci, ciType, services, out, other);
}

void WindowCalendar::applicableTo(const std::string& ci, const std::string& ciType,
                                  const std::vector<std::string>& services, WindowKind kind,
                                  std::vector<std::int32_t>& out) const {
    std::vector<const ScopeGroup*> groups;
    groupsFor(ci, ciType, services, kind, groups);
    const size_t first = out.size();
    for (const ScopeGroup* g : groups) out.insert(out.end(), g->windows.begin(), g->windows.end());
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
}

std::vector<Occurrence> WindowCalendar::occurrencesIn(TimeUtc a, TimeUtc b) const {
    std::vector<Occurrence> out;
    for (size_t i = 0; i < m_windows.size(); ++i) {
        for (const Interval& iv : occurrences(i))
            if (iv.start < b && iv.end > a) out.push_back({static_cast<std::int32_t>(i), iv});
    }
    std::sort(out.begin(), out.end(), [](const Occurrence& x, const Occurrence& y) {
        return x.interval.start != y.interval.start ? x.interval.start < y.interval.start : x.window < y.window;
    });
    return out;
}

const Interval* WindowCalendar::firstOverlap(size_t i, const Interval& iv) const {
    IntervalSpan span = merged(i);
    const Interval* it =
        std::upper_bound(span.begin(), span.end(), iv.start, [](TimeUtc t, const Interval& x) { return t < x.end; });
    if (it != span.end() && it->start < iv.end) return it;
    return nullptr;
}

}  // namespace planner::core::schedule
