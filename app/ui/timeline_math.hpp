// View arithmetic of the schedule view and the runbook Gantt chart, free of
// ImGui so that it can be unit tested: the time <-> x transform with zoom
// about a point, calendar tick generation (hours to years, UTC), minute ticks
// for the Gantt axis, bar hit testing and dependency reachability between steps.
// Times are UTC seconds; x positions are device pixels from the timeline's left edge.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace planner::ui::timeline {

using core::TimeUtc;

inline constexpr double kMinSecondsPerPx = 5.0;
inline constexpr double kMaxSecondsPerPx = 86400.0 * 4.0;
inline constexpr TimeUtc kDay = 86400;

// x = (t - start) / secondsPerPx
struct TimeAxis {
    double start = 0.0;
    double secondsPerPx = 600.0;
};

inline double clampSecondsPerPx(double spp) { return std::clamp(spp, kMinSecondsPerPx, kMaxSecondsPerPx); }
inline float toX(const TimeAxis& a, double t) { return static_cast<float>((t - a.start) / a.secondsPerPx); }
inline double toTime(const TimeAxis& a, float x) { return a.start + static_cast<double>(x) * a.secondsPerPx; }

// Multiplies seconds per pixel by `factor` (clamped), keeping the time under `x` in place.
inline void zoomAround(TimeAxis& a, float x, double factor) {
    const double t = toTime(a, x);
    a.secondsPerPx = clampSecondsPerPx(a.secondsPerPx * factor);
    a.start = t - static_cast<double>(x) * a.secondsPerPx;
}

// Shows `spanSeconds` across `widthPx`, centred on `center`.
inline void showSpan(TimeAxis& a, double center, double spanSeconds, float widthPx) {
    const float w = std::max(widthPx, 1.0f);
    a.secondsPerPx = clampSecondsPerPx(spanSeconds / w);
    a.start = center - 0.5 * static_cast<double>(w) * a.secondsPerPx;
}

enum class Scale { Day, Week, Month };

inline double spanOf(Scale s) {
    switch (s) {
        case Scale::Day: return 1.0 * kDay;
        case Scale::Week: return 7.0 * kDay;
        case Scale::Month: return 31.0 * kDay;
    }
    return 7.0 * kDay;
}

// The named scale whose span is nearest (in ratio) to what `widthPx` shows.
inline Scale nearestScale(const TimeAxis& a, float widthPx) {
    const double span = a.secondsPerPx * std::max(widthPx, 1.0f);
    Scale best = Scale::Day;
    double bestDist = 1e300;
    for (Scale s : {Scale::Day, Scale::Week, Scale::Month}) {
        const double d = std::fabs(std::log(span / spanOf(s)));
        if (d < bestDist) {
            bestDist = d;
            best = s;
        }
    }
    return best;
}

// ---- Calendar (proleptic Gregorian, UTC) --------------------------------------

struct CivilDate {
    int year = 1970, month = 1, day = 1;
};

// Days since 1970-01-01 of a civil date (month 1..12, day 1..31).
inline std::int64_t daysFromCivil(int y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yearOfEra = y - era * 400;
    const std::int64_t monthIndex = (m + 9) % 12;  // March = 0
    const std::int64_t dayOfYear = (153 * monthIndex + 2) / 5 + d - 1;
    const std::int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

inline CivilDate civilFromDays(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t dayOfEra = z - era * 146097;
    const std::int64_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const std::int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const std::int64_t mp = (5 * dayOfYear + 2) / 153;
    CivilDate c;
    c.day = static_cast<int>(dayOfYear - (153 * mp + 2) / 5 + 1);
    c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    c.year = static_cast<int>(yearOfEra + era * 400 + (c.month <= 2 ? 1 : 0));
    return c;
}

inline std::int64_t floorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// 0 = Monday .. 6 = Sunday.
inline int isoWeekday(std::int64_t days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }

// ---- Calendar ticks --------------------------------------------------------------

enum class TickUnit { Hour, Hour3, Hour6, Hour12, Day, Week, Month, Quarter, Year };

// Nominal length, used to choose a unit for a zoom level.
inline double nominalSeconds(TickUnit u) {
    switch (u) {
        case TickUnit::Hour: return 3600.0;
        case TickUnit::Hour3: return 3 * 3600.0;
        case TickUnit::Hour6: return 6 * 3600.0;
        case TickUnit::Hour12: return 12 * 3600.0;
        case TickUnit::Day: return 86400.0;
        case TickUnit::Week: return 7 * 86400.0;
        case TickUnit::Month: return 30.44 * 86400.0;
        case TickUnit::Quarter: return 91.3 * 86400.0;
        case TickUnit::Year: return 365.25 * 86400.0;
    }
    return 86400.0;
}

// Finest unit whose ticks are at least `minSpacingPx` apart.
inline TickUnit chooseTickUnit(double secondsPerPx, float minSpacingPx) {
    for (TickUnit u : {TickUnit::Hour, TickUnit::Hour3, TickUnit::Hour6, TickUnit::Hour12, TickUnit::Day,
                       TickUnit::Week, TickUnit::Month, TickUnit::Quarter})
        if (nominalSeconds(u) / secondsPerPx >= minSpacingPx) return u;
    return TickUnit::Year;
}

// The unit of the axis' upper band for a fine unit: days over hours, months over days and weeks, years above.
inline TickUnit coarserUnit(TickUnit u) {
    switch (u) {
        case TickUnit::Hour:
        case TickUnit::Hour3:
        case TickUnit::Hour6:
        case TickUnit::Hour12: return TickUnit::Day;
        case TickUnit::Day:
        case TickUnit::Week: return TickUnit::Month;
        default: return TickUnit::Year;
    }
}

// Latest unit boundary at or before `t`; weeks start on Monday.
inline TimeUtc floorTo(TimeUtc t, TickUnit u) {
    const std::int64_t days = floorDiv(t, kDay);
    switch (u) {
        case TickUnit::Hour: return floorDiv(t, 3600) * 3600;
        case TickUnit::Hour3: return floorDiv(t, 3 * 3600) * 3 * 3600;
        case TickUnit::Hour6: return floorDiv(t, 6 * 3600) * 6 * 3600;
        case TickUnit::Hour12: return floorDiv(t, 12 * 3600) * 12 * 3600;
        case TickUnit::Day: return days * kDay;
        case TickUnit::Week: return (days - isoWeekday(days)) * kDay;
        case TickUnit::Month: {
            const CivilDate c = civilFromDays(days);
            return daysFromCivil(c.year, c.month, 1) * kDay;
        }
        case TickUnit::Quarter: {
            const CivilDate c = civilFromDays(days);
            return daysFromCivil(c.year, (c.month - 1) / 3 * 3 + 1, 1) * kDay;
        }
        case TickUnit::Year: return daysFromCivil(civilFromDays(days).year, 1, 1) * kDay;
    }
    return t;
}

// The boundary after `t`, which must itself be a boundary of `u`.
inline TimeUtc nextBoundary(TimeUtc t, TickUnit u) {
    switch (u) {
        case TickUnit::Month:
        case TickUnit::Quarter:
        case TickUnit::Year: {
            const CivilDate c = civilFromDays(floorDiv(t, kDay));
            int months = u == TickUnit::Month ? 1 : u == TickUnit::Quarter ? 3 : 12;
            int m = c.month - 1 + months;
            return daysFromCivil(c.year + m / 12, m % 12 + 1, 1) * kDay;
        }
        default: return t + static_cast<TimeUtc>(nominalSeconds(u));
    }
}

// Unit boundaries in [from, to], at most `limit` of them, ascending.
inline std::vector<TimeUtc> tickTimes(TimeUtc from, TimeUtc to, TickUnit u, std::size_t limit = 2000) {
    std::vector<TimeUtc> out;
    TimeUtc t = floorTo(from, u);
    if (t < from) t = nextBoundary(t, u);
    while (t <= to && out.size() < limit) {
        out.push_back(t);
        t = nextBoundary(t, u);
    }
    return out;
}

inline const char* weekdayName(int isoDay) {
    static const char* kNames[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    return kNames[std::clamp(isoDay, 0, 6)];
}

inline const char* monthName(int month) {
    static const char* kNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    return kNames[std::clamp(month, 1, 12) - 1];
}

// Label of a tick: "06:00" for hours, "Mon 30" for days, "30 Nov" for weeks,
// "Nov" for months and quarters, "2026" for years. With `band` (the axis'
// upper band): "Mon 30 Nov 2026" for days, "Nov 2026" for months.
inline std::string tickLabel(TimeUtc t, TickUnit u, bool band = false) {
    const std::int64_t days = floorDiv(t, kDay);
    const CivilDate c = civilFromDays(days);
    char buf[48];
    switch (u) {
        case TickUnit::Hour:
        case TickUnit::Hour3:
        case TickUnit::Hour6:
        case TickUnit::Hour12: {
            const int h = static_cast<int>((t - days * kDay) / 3600);
            std::snprintf(buf, sizeof buf, "%02d:00", h);
            break;
        }
        case TickUnit::Day:
            if (band)
                std::snprintf(buf, sizeof buf, "%s %d %s %d", weekdayName(isoWeekday(days)), c.day, monthName(c.month),
                              c.year);
            else
                std::snprintf(buf, sizeof buf, "%s %d", weekdayName(isoWeekday(days)), c.day);
            break;
        case TickUnit::Week: std::snprintf(buf, sizeof buf, "%d %s", c.day, monthName(c.month)); break;
        case TickUnit::Month:
        case TickUnit::Quarter:
            if (band)
                std::snprintf(buf, sizeof buf, "%s %d", monthName(c.month), c.year);
            else
                std::snprintf(buf, sizeof buf, "%s", monthName(c.month));
            break;
        case TickUnit::Year: std::snprintf(buf, sizeof buf, "%d", c.year); break;
    }
    return buf;
}

// "2026-11-30 14:05" (UTC).
inline std::string formatUtcMinute(TimeUtc t) {
    const std::int64_t days = floorDiv(t, kDay);
    const CivilDate c = civilFromDays(days);
    const std::int64_t sec = t - days * kDay;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, static_cast<int>(sec / 3600),
                  static_cast<int>(sec % 3600 / 60));
    return buf;
}

// ---- Gantt (minutes from the start of implementation) ------------------------------

// Smallest "nice" minute step whose ticks are at least `minSpacingPx` apart.
inline int minuteTickStep(double minutesPerPx, float minSpacingPx) {
    static const int kSteps[] = {1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 720, 1440, 2880, 10080};
    for (int s : kSteps)
        if (s / minutesPerPx >= minSpacingPx) return s;
    return 10080;
}

// "45 min", "2 h", "1 h 30".
inline std::string minuteLabel(int minutes) {
    char buf[32];
    if (minutes < 60)
        std::snprintf(buf, sizeof buf, "%d min", minutes);
    else if (minutes % 60 == 0)
        std::snprintf(buf, sizeof buf, "%d h", minutes / 60);
    else
        std::snprintf(buf, sizeof buf, "%d h %02d", minutes / 60, minutes % 60);
    return buf;
}

// ---- Hit testing ---------------------------------------------------------------------

// Horizontal extent of a bar, widened about its centre to at least `minWidth`.
struct Span {
    float x0 = 0, x1 = 0;
};
inline Span clickableSpan(float x0, float x1, float minWidth) {
    if (x1 - x0 >= minWidth) return {x0, x1};
    const float c = 0.5f * (x0 + x1);
    return {c - 0.5f * minWidth, c + 0.5f * minWidth};
}

// Index of the row under `y` for rows of `rowHeight` starting at `top`, or -1.
inline int rowAt(float y, float top, float rowHeight, int count) {
    if (rowHeight <= 0 || y < top) return -1;
    const int r = static_cast<int>((y - top) / rowHeight);
    return r < count ? r : -1;
}

// Index of the first interval (in input order) whose clickable span contains `x`, or -1.
inline int hitSpan(const std::vector<Span>& spans, float x) {
    for (std::size_t i = 0; i < spans.size(); ++i)
        if (x >= spans[i].x0 && x <= spans[i].x1) return static_cast<int>(i);
    return -1;
}

// ---- Runbook links ---------------------------------------------------------------------

// True when step `from` reaches step `to` by following dependsOn links, so that
// making `to` depend on `from` would close a cycle. A step reaches itself.
inline bool reaches(const std::vector<core::Step>& steps, const std::string& from, const std::string& to) {
    std::vector<std::string> stack{from};
    std::vector<std::string> seen;
    while (!stack.empty()) {
        std::string id = std::move(stack.back());
        stack.pop_back();
        if (id == to) return true;
        if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
        seen.push_back(id);
        for (const auto& s : steps)
            if (s.id == id)
                for (const auto& d : s.dependsOn) stack.push_back(d);
    }
    return false;
}

// "S<n>" with the smallest n above every existing "S<number>" id.
inline std::string nextStepId(const std::vector<core::Step>& steps) {
    long best = 0;
    for (const auto& s : steps) {
        if (s.id.size() < 2 || s.id[0] != 'S') continue;
        if (!std::all_of(s.id.begin() + 1, s.id.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
        if (s.id.size() > 10) continue;
        best = std::max(best, std::stol(s.id.substr(1)));
    }
    return "S" + std::to_string(best + 1);
}

}  // namespace planner::ui::timeline
