#include "schedule/time_zone.hpp"

#include "schedule/ical_support.hpp"

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace planner::core::schedule {

namespace {

std::mutex& zoneMutex() {
    static std::mutex m;
    return m;
}

std::unordered_map<std::string, icaltimezone*>& zoneCache() {
    static std::unordered_map<std::string, icaltimezone*> cache;
    return cache;
}

constexpr std::int32_t kUnstable = 1 << 30;       // the offset changes during this day
constexpr std::int32_t kUnknown = kUnstable + 1;  // not asked of libical yet
constexpr std::int64_t kMaxCachedDays = 200 * 366;

// Per day, the UTC offset in seconds when it is the same all day, kUnstable on
// days with a transition. Days are a contiguous run starting at `first`, grown
// on demand; the values come from libical.
struct DayTable {
    std::int64_t first = 0;
    std::vector<std::int32_t> offsets;

    std::int32_t* slot(std::int64_t day) {
        if (offsets.empty()) {
            first = day - 183;
            offsets.assign(366, kUnknown);
        }
        if (day < first) {
            const std::int64_t grow = std::max<std::int64_t>(first - day, 366);
            if (static_cast<std::int64_t>(offsets.size()) + grow > kMaxCachedDays) return nullptr;
            offsets.insert(offsets.begin(), static_cast<size_t>(grow), kUnknown);
            first -= grow;
        } else if (day >= first + static_cast<std::int64_t>(offsets.size())) {
            const std::int64_t grow =
                std::max<std::int64_t>(day - first - static_cast<std::int64_t>(offsets.size()) + 1, 366);
            if (static_cast<std::int64_t>(offsets.size()) + grow > kMaxCachedDays) return nullptr;
            offsets.resize(offsets.size() + static_cast<size_t>(grow), kUnknown);
        }
        return &offsets[static_cast<size_t>(day - first)];
    }
};

struct OffsetCache {
    DayTable byUtcDay, byLocalDay;
};

std::unordered_map<const icaltimezone*, OffsetCache>& offsetCaches() {
    static std::unordered_map<const icaltimezone*, OffsetCache> caches;
    return caches;
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Days since 1970-01-01 of a proleptic Gregorian date, and back. Years are
// counted from March so that the leap day ends a year.
std::int64_t daysFromCivil(std::int64_t y, int m, int d) {
    if (m <= 2) --y;
    const std::int64_t era = floorDiv(y, 400);
    const std::int64_t yearOfEra = y - era * 400;
    const int monthFromMarch = m > 2 ? m - 3 : m + 9;
    const std::int64_t dayOfYear = (153 * monthFromMarch + 2) / 5 + d - 1;
    const std::int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

void civilFromDays(std::int64_t days, int& y, int& m, int& d) {
    days += 719468;
    const std::int64_t era = floorDiv(days, 146097);
    const std::int64_t dayOfEra = days - era * 146097;
    const std::int64_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const std::int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const std::int64_t monthFromMarch = (5 * dayOfYear + 2) / 153;
    d = static_cast<int>(dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
    m = static_cast<int>(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
    y = static_cast<int>(yearOfEra + era * 400 + (m <= 2 ? 1 : 0));
}

// Calendar fields of UTC seconds `t`, as a floating libical time.
icaltimetype utcFields(std::int64_t t) {
    const std::int64_t day = floorDiv(t, 86400);
    const std::int64_t rest = t - day * 86400;
    icaltimetype r = icaltime_null_time();
    civilFromDays(day, r.year, r.month, r.day);
    r.hour = static_cast<int>(rest / 3600);
    r.minute = static_cast<int>(rest / 60 % 60);
    r.second = static_cast<int>(rest % 60);
    r.is_date = 0;
    r.zone = nullptr;
    return r;
}

// The wall time read as if it were UTC.
std::int64_t naiveSeconds(const icaltimetype& wall) {
    const bool date = wall.is_date != 0;
    return daysFromCivil(wall.year, wall.month, wall.day) * 86400 +
           (date ? 0
                 : static_cast<std::int64_t>(wall.hour) * 3600 + static_cast<std::int64_t>(wall.minute) * 60 +
                       wall.second);
}

std::int32_t askUtcDay(icaltimezone* zone, std::int64_t day) {
    int dst = 0;
    icaltimetype a = utcFields(day * 86400), b = utcFields(day * 86400 + 86399);
    a.zone = icaltimezone_get_utc_timezone();
    b.zone = a.zone;
    int oa = icaltimezone_get_utc_offset_of_utc_time(zone, &a, &dst);
    int ob = icaltimezone_get_utc_offset_of_utc_time(zone, &b, &dst);
    return oa == ob ? oa : kUnstable;
}

std::int32_t askLocalDay(icaltimezone* zone, std::int64_t day) {
    int dst = 0;
    icaltimetype a = utcFields(day * 86400), b = utcFields(day * 86400 + 86399);
    int oa = icaltimezone_get_utc_offset(zone, &a, &dst);
    int ob = icaltimezone_get_utc_offset(zone, &b, &dst);
    return oa == ob ? oa : kUnstable;
}

// The zone and offset cache asked for last (guarded by zoneMutex; reset with
// the caches).
std::string g_lastZoneName;
icaltimezone* g_lastZoneFound = nullptr;
const icaltimezone* g_lastZone = nullptr;
OffsetCache* g_lastCache = nullptr;

// Offset of `zone` on a UTC day (local == false) or a local day, cached.
std::int32_t dayOffset(icaltimezone* zone, std::int64_t day, bool local) {
    std::lock_guard<std::mutex> lock(zoneMutex());
    if (zone != g_lastZone) {
        g_lastCache = &offsetCaches()[zone];
        g_lastZone = zone;
    }
    DayTable& table = local ? g_lastCache->byLocalDay : g_lastCache->byUtcDay;
    std::int32_t* slot = table.slot(day);
    if (slot && *slot != kUnknown) return *slot;
    const std::int32_t v = local ? askLocalDay(zone, day) : askUtcDay(zone, day);
    if (slot) *slot = v;
    return v;
}

bool isLeap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

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
    if (g_lastZoneName == zone) return g_lastZoneFound;
    auto& cache = zoneCache();
    auto it = cache.find(zone);
    icaltimezone* z = nullptr;
    if (it != cache.end()) {
        z = it->second;
    } else {
        z = zone.empty() ? nullptr : icaltimezone_get_builtin_timezone(zone.c_str());
        cache.emplace(zone, z);
    }
    g_lastZoneName = zone;
    g_lastZoneFound = z;
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
    return LocalDateTime{
        t.year, t.month, t.day, t.is_date ? 0 : t.hour, t.is_date ? 0 : t.minute, t.is_date ? 0 : t.second};
}

TimeUtc wallToUtc(const icaltimetype& wall, icaltimezone* zone) {
    const std::int64_t naive = naiveSeconds(wall);
    if (zone == icaltimezone_get_utc_timezone()) return naive;
    const std::int32_t offset = dayOffset(zone, floorDiv(naive, 86400), true);
    if (offset != kUnstable) return naive - offset;
    icaltimetype w = wall;
    w.zone = nullptr;
    w.is_date = 0;
    return static_cast<TimeUtc>(icaltime_as_timet_with_zone(w, zone));
}

LocalDateTime utcToWall(TimeUtc t, icaltimezone* zone) {
    if (zone != icaltimezone_get_utc_timezone()) {
        const std::int32_t offset = dayOffset(zone, floorDiv(t, 86400), false);
        if (offset != kUnstable) return fromIcal(utcFields(t + offset));
        return fromIcal(icaltime_from_timet_with_zone(static_cast<time_t>(t), 0, zone));
    }
    return fromIcal(utcFields(t));
}

}  // namespace detail

void initTimeZones(const std::string& zoneinfoDir) {
    detail::prepareLibical();
    std::lock_guard<std::mutex> lock(zoneMutex());
    static std::string current;  // the directory given last
    if (!zoneinfoDir.empty() && zoneinfoDir != current) {
        set_zone_directory(zoneinfoDir.c_str());
        // libical reads its zone list once; a lookup made before this call (with
        // no or another directory) would otherwise leave that list in place.
        icaltimezone_free_builtin_timezones();
        current = zoneinfoDir;
    }
    zoneCache().clear();
    offsetCaches().clear();
    g_lastZone = nullptr;
    g_lastCache = nullptr;
    g_lastZoneName.clear();
    g_lastZoneFound = nullptr;
}

bool isKnownTimeZone(const std::string& zone) {
    return detail::findZone(zone) != nullptr;
}

std::optional<LocalDateTime> parseLocalDateTime(const std::string& text) {
    if (text.size() != 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
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
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour, t.minute, t.second);
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

namespace detail {

void appendTime(std::string& out, TimeUtc t, const std::string& zone) {
    icaltimezone* z = findZone(zone);
    const LocalDateTime l = utcToWall(t, z ? z : icaltimezone_get_utc_timezone());
    static const char* names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    const char* day = names[dayOfWeek(l.year, l.month, l.day)];
    if (l.year < 0 || l.year > 9999) {
        char wide[64];
        std::snprintf(wide, sizeof wide, "%s %04d-%02d-%02d %02d:%02d ", day, l.year, l.month, l.day, l.hour, l.minute);
        out += wide;
    } else {
        // "Www YYYY-MM-DD HH:MM " by hand: this runs for every conflict sentence.
        char buf[21];
        auto put = [&buf](int at, int value, int width) {
            for (int i = width - 1; i >= 0; --i, value /= 10) buf[at + i] = static_cast<char>('0' + value % 10);
        };
        buf[0] = day[0];
        buf[1] = day[1];
        buf[2] = day[2];
        buf[3] = ' ';
        put(4, l.year, 4);
        buf[8] = '-';
        put(9, l.month, 2);
        buf[11] = '-';
        put(12, l.day, 2);
        buf[14] = ' ';
        put(15, l.hour, 2);
        buf[17] = ':';
        put(18, l.minute, 2);
        buf[20] = ' ';
        out.append(buf, 21);
    }
    if (z)
        out += zone;
    else
        out += "UTC";
}

}  // namespace detail

std::string describeTime(TimeUtc t, const std::string& zone) {
    std::string out;
    out.reserve(21 + zone.size());
    detail::appendTime(out, t, zone);
    return out;
}

}  // namespace planner::core::schedule
