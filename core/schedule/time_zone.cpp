#include "schedule/time_zone.hpp"

#include "schedule/ical_support.hpp"

#include <cstdio>
#include <map>
#include <mutex>
#include <unordered_map>

namespace planner::core::schedule {

namespace {

std::mutex& zoneMutex() {
    static std::mutex m;
    return m;
}

std::map<std::string, icaltimezone*>& zoneCache() {
    static std::map<std::string, icaltimezone*> cache;
    return cache;
}

constexpr std::int32_t kUnstable = 1 << 30;

// Per zone and per day, the UTC offset in seconds when it is the same all day
// (kUnstable on days with a transition). Values come from libical.
struct OffsetCache {
    std::unordered_map<std::int64_t, std::int32_t> byUtcDay, byLocalDay;
};

std::unordered_map<const icaltimezone*, OffsetCache>& offsetCaches() {
    static std::unordered_map<const icaltimezone*, OffsetCache> caches;
    return caches;
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

icaltimetype utcFields(std::int64_t t) {
    return icaltime_from_timet_with_zone(static_cast<time_t>(t), 0, icaltimezone_get_utc_timezone());
}

std::int64_t naiveSeconds(const icaltimetype& wall) {
    icaltimetype w = wall;
    w.zone = nullptr;
    w.is_date = 0;
    return static_cast<std::int64_t>(icaltime_as_timet_with_zone(w, icaltimezone_get_utc_timezone()));
}

std::int32_t utcDayOffset(icaltimezone* zone, std::int64_t day) {
    std::lock_guard<std::mutex> lock(zoneMutex());
    auto& cache = offsetCaches()[zone].byUtcDay;
    auto it = cache.find(day);
    if (it != cache.end()) return it->second;
    int dst = 0;
    icaltimetype a = utcFields(day * 86400), b = utcFields(day * 86400 + 86399);
    int oa = icaltimezone_get_utc_offset_of_utc_time(zone, &a, &dst);
    int ob = icaltimezone_get_utc_offset_of_utc_time(zone, &b, &dst);
    std::int32_t v = oa == ob ? oa : kUnstable;
    cache.emplace(day, v);
    return v;
}

std::int32_t localDayOffset(icaltimezone* zone, std::int64_t day) {
    std::lock_guard<std::mutex> lock(zoneMutex());
    auto& cache = offsetCaches()[zone].byLocalDay;
    auto it = cache.find(day);
    if (it != cache.end()) return it->second;
    int dst = 0;
    icaltimetype a = utcFields(day * 86400), b = utcFields(day * 86400 + 86399);
    a.zone = nullptr;
    b.zone = nullptr;
    int oa = icaltimezone_get_utc_offset(zone, &a, &dst);
    int ob = icaltimezone_get_utc_offset(zone, &b, &dst);
    std::int32_t v = oa == ob ? oa : kUnstable;
    cache.emplace(day, v);
    return v;
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(int y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : days[m - 1];
}

bool digits(const std::string& s, size_t pos, size_t n, int& out) {
    out = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

}  // namespace

namespace detail {

void prepareLibical() {
    static std::once_flag once;
    std::call_once(once, [] { icalerror_set_errors_are_fatal(0); });
}

icaltimezone* findZone(const std::string& zone) {
    prepareLibical();
    if (zone == "UTC" || zone == "Etc/UTC" || zone == "Z") return icaltimezone_get_utc_timezone();
    std::lock_guard<std::mutex> lock(zoneMutex());
    auto& cache = zoneCache();
    auto it = cache.find(zone);
    if (it != cache.end()) return it->second;
    icaltimezone* z = zone.empty() ? nullptr : icaltimezone_get_builtin_timezone(zone.c_str());
    cache.emplace(zone, z);
    return z;
}

icaltimetype toIcal(const LocalDateTime& t) {
    icaltimetype r = icaltime_null_time();
    r.year = t.year;
    r.month = t.month;
    r.day = t.day;
    r.hour = t.hour;
    r.minute = t.minute;
    r.second = t.second;
    r.is_date = 0;
    r.zone = nullptr;
    return r;
}

LocalDateTime fromIcal(const icaltimetype& t) {
    return LocalDateTime{t.year, t.month, t.day, t.is_date ? 0 : t.hour, t.is_date ? 0 : t.minute,
                         t.is_date ? 0 : t.second};
}

TimeUtc wallToUtc(const icaltimetype& wall, icaltimezone* zone) {
    const std::int64_t naive = naiveSeconds(wall);
    if (zone == icaltimezone_get_utc_timezone()) return naive;
    const std::int32_t offset = localDayOffset(zone, floorDiv(naive, 86400));
    if (offset != kUnstable) return naive - offset;
    icaltimetype w = wall;
    w.zone = nullptr;
    w.is_date = 0;
    return static_cast<TimeUtc>(icaltime_as_timet_with_zone(w, zone));
}

LocalDateTime utcToWall(TimeUtc t, icaltimezone* zone) {
    if (zone != icaltimezone_get_utc_timezone()) {
        const std::int32_t offset = utcDayOffset(zone, floorDiv(t, 86400));
        if (offset != kUnstable) return fromIcal(utcFields(t + offset));
        return fromIcal(icaltime_from_timet_with_zone(static_cast<time_t>(t), 0, zone));
    }
    return fromIcal(utcFields(t));
}

}  // namespace detail

void initTimeZones(const std::string& zoneinfoDir) {
    detail::prepareLibical();
    if (!zoneinfoDir.empty()) set_zone_directory(zoneinfoDir.c_str());
    std::lock_guard<std::mutex> lock(zoneMutex());
    zoneCache().clear();
    offsetCaches().clear();
}

bool isKnownTimeZone(const std::string& zone) { return detail::findZone(zone) != nullptr; }

std::optional<LocalDateTime> parseLocalDateTime(const std::string& text) {
    if (text.size() != 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
        text[16] != ':')
        return std::nullopt;
    LocalDateTime t;
    if (!digits(text, 0, 4, t.year) || !digits(text, 5, 2, t.month) || !digits(text, 8, 2, t.day) ||
        !digits(text, 11, 2, t.hour) || !digits(text, 14, 2, t.minute) || !digits(text, 17, 2, t.second))
        return std::nullopt;
    if (t.year < 1900 || t.month < 1 || t.month > 12 || t.day < 1 || t.day > daysInMonth(t.year, t.month) ||
        t.hour > 23 || t.minute > 59 || t.second > 59)
        return std::nullopt;
    return t;
}

std::string formatLocalDateTime(const LocalDateTime& t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour, t.minute,
                  t.second);
    return buf;
}

Result<TimeUtc> localToUtc(const LocalDateTime& t, const std::string& zone) {
    icaltimezone* z = detail::findZone(zone);
    if (!z) return detail::makeError("unknown time zone '" + zone + "' (expected an IANA name such as Europe/Berlin)");
    return detail::wallToUtc(detail::toIcal(t), z);
}

Result<LocalDateTime> utcToLocal(TimeUtc t, const std::string& zone) {
    icaltimezone* z = detail::findZone(zone);
    if (!z) return detail::makeError("unknown time zone '" + zone + "' (expected an IANA name such as Europe/Berlin)");
    return detail::utcToWall(t, z);
}

int dayOfWeek(int year, int month, int day) {
    static const int offsets[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (month < 3) year -= 1;
    return (year + year / 4 - year / 100 + year / 400 + offsets[month - 1] + day) % 7;
}

std::string describeTime(TimeUtc t, const std::string& zone) {
    std::string shownZone = zone;
    auto local = utcToLocal(t, zone);
    if (!local) {
        shownZone = "UTC";
        local = utcToLocal(t, "UTC");
    }
    static const char* names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    const LocalDateTime& l = local.value();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s %04d-%02d-%02d %02d:%02d", names[dayOfWeek(l.year, l.month, l.day)], l.year,
                  l.month, l.day, l.hour, l.minute);
    return std::string(buf) + " " + shownZone;
}

}  // namespace planner::core::schedule
