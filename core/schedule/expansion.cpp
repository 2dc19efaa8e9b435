#include "schedule/expansion.hpp"

#include "schedule/ical_support.hpp"
#include "schedule/time_zone.hpp"

#include <algorithm>
#include <cassert>

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
    if (!p.zone) return windowError(w, "unknown time zone '" + w.timeZone + "' (expected an IANA name such as Europe/Berlin)");
    auto start = parseLocalDateTime(w.start);
    if (!start) return windowError(w, "start '" + w.start + "' is not a local time YYYY-MM-DDTHH:MM:SS");
    p.start = *start;
    if (w.duration <= 0) return windowError(w, "duration must be a positive number of minutes");
    if (!w.rrule.empty()) {
        icalerror_clear_errno();
        p.rule = icalrecurrencetype_from_string(w.rrule.c_str());
        if (p.rule.freq == ICAL_NO_RECURRENCE)
            return windowError(w, "recurrence rule '" + w.rrule + "' is not a valid RFC 5545 RRULE");
        if (p.rule.count > 0 && !icaltime_is_null_time(p.rule.until))
            return windowError(w, "recurrence rule '" + w.rrule + "' has both COUNT and UNTIL");
        p.recurring = true;
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
        p.exdates.push_back(*m);
    }
    for (const std::string& r : w.rdates) {
        auto m = parseDateMatch(r);
        if (!m) return windowError(w, "extra date '" + r + "' is not YYYY-MM-DDTHH:MM:SS or YYYY-MM-DD");
        if (m->wholeDay) m->at = LocalDateTime{m->at.year, m->at.month, m->at.day, p.start.hour, p.start.minute, p.start.second};
        p.rdates.push_back(*m);
    }
    return p;
}

}  // namespace

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
    auto consider = [&](const LocalDateTime& local) {
        if (matches(p.exdates, local)) return;
        TimeUtc s = detail::wallToUtc(detail::toIcal(local), p.zone);
        if (s < to && s + length > from) out.push_back({s, s + length});
    };
    if (!p.recurring) {
        consider(p.start);
    } else {
        icalrecur_iterator* it = icalrecur_iterator_new(p.rule, detail::toIcal(p.start));
        if (!it) return windowError(w, "recurrence rule '" + w.rrule + "' cannot be expanded from " + w.start);
        std::int64_t n = 0;
        for (icaltimetype occ = icalrecur_iterator_next(it); !icaltime_is_null_time(occ);
             occ = icalrecur_iterator_next(it)) {
            if (++n > kMaxIterations) {
                icalrecur_iterator_free(it);
                return windowError(w, "recurrence rule '" + w.rrule + "' yields too many occurrences before the horizon ends");
            }
            LocalDateTime local = detail::fromIcal(occ);
            TimeUtc s = detail::wallToUtc(occ, p.zone);
            if (s >= to + 7200) break;
            consider(local);
        }
        icalrecur_iterator_free(it);
    }
    for (const DateMatch& r : p.rdates) consider(r.at);
    std::sort(out.begin(), out.end(), [](const Interval& a, const Interval& b) {
        return a.start != b.start ? a.start < b.start : a.end < b.end;
    });
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<Interval> mergeIntervals(std::vector<Interval> v) {
    std::sort(v.begin(), v.end(), [](const Interval& a, const Interval& b) { return a.start < b.start; });
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
    cal.m_occOffset.push_back(0);
    cal.m_mergedOffset.push_back(0);
    for (size_t i = 0; i < windows.size(); ++i) {
        const Window& w = windows[i];
        auto occ = expandWindow(w, from, to);
        if (!occ) return occ.error();
        cal.m_occ.insert(cal.m_occ.end(), occ->begin(), occ->end());
        std::vector<Interval> merged = mergeIntervals(std::move(occ.value()));
        cal.m_merged.insert(cal.m_merged.end(), merged.begin(), merged.end());
        cal.m_occOffset.push_back(static_cast<std::uint32_t>(cal.m_occ.size()));
        cal.m_mergedOffset.push_back(static_cast<std::uint32_t>(cal.m_merged.size()));
        ScopeIndex& idx = cal.m_index[w.kind == WindowKind::Freeze ? 1 : 0];
        const auto n = static_cast<std::int32_t>(i);
        switch (w.scope) {
            case WindowScope::Global: idx.global.push_back(n); break;
            case WindowScope::CiType: idx.byType[w.scopeValue].push_back(n); break;
            case WindowScope::Ci: idx.byCi[w.scopeValue].push_back(n); break;
            case WindowScope::Service: idx.byService[w.scopeValue].push_back(n); break;
        }
    }
    cal.m_windows = std::move(windows);
    return cal;
}

IntervalSpan WindowCalendar::occurrences(size_t i) const {
    assert(i < m_windows.size());
    return {m_occ.data() + m_occOffset[i], m_occ.data() + m_occOffset[i + 1]};
}

IntervalSpan WindowCalendar::merged(size_t i) const {
    assert(i < m_windows.size());
    return {m_merged.data() + m_mergedOffset[i], m_merged.data() + m_mergedOffset[i + 1]};
}

void WindowCalendar::applicableTo(const std::string& ci, const std::string& ciType,
                                  const std::vector<std::string>& services, WindowKind kind,
                                  std::vector<std::int32_t>& out) const {
    const ScopeIndex& idx = m_index[kind == WindowKind::Freeze ? 1 : 0];
    const size_t first = out.size();
    out.insert(out.end(), idx.global.begin(), idx.global.end());
    auto add = [&](const std::unordered_map<std::string, std::vector<std::int32_t>>& map, const std::string& key) {
        if (map.empty()) return;
        auto it = map.find(key);
        if (it != map.end()) out.insert(out.end(), it->second.begin(), it->second.end());
    };
    if (!ciType.empty()) add(idx.byType, ciType);
    add(idx.byCi, ci);
    add(idx.byService, ci);
    for (const std::string& s : services)
        if (s != ci) add(idx.byService, s);
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
    out.erase(std::unique(out.begin() + static_cast<std::ptrdiff_t>(first), out.end()), out.end());
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
    const Interval* it = std::upper_bound(span.begin(), span.end(), iv.start,
                                          [](TimeUtc t, const Interval& x) { return t < x.end; });
    if (it != span.end() && it->start < iv.end) return it;
    return nullptr;
}

}  // namespace planner::core::schedule
