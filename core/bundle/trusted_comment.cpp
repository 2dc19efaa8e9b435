#include "bundle/trusted_comment.hpp"

#include <cassert>
#include <cstdio>
#include <set>

namespace planner::core::bundle {
namespace {

constexpr std::int64_t kYear10000 = 253402300800;  // 10000-01-01T00:00:00Z

Error fail(std::string message, int column = 0) { return Error{std::move(message), "", 0, column}; }

bool keyChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; }

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

bool leapYear(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

const unsigned kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

unsigned daysInMonth(std::int64_t year, unsigned month) {
    return kMonthDays[month - 1] + (month == 2 && leapYear(year) ? 1 : 0);
}

std::int64_t daysInYear(std::int64_t year) { return leapYear(year) ? 366 : 365; }

}  // namespace

std::string formatTrustedComment(const CommentFields& fields) {
    static const char digits[] = "0123456789ABCDEF";
    std::string out;
    for (const auto& [key, value] : fields) {
        if (!out.empty()) out.push_back(' ');
        out.append(key).push_back('=');
        for (unsigned char c : value) {
            if (c == '%' || c == '=' || c <= 0x20 || c == 0x7f) {
                out.push_back('%');
                out.push_back(digits[c >> 4]);
                out.push_back(digits[c & 0x0f]);
            } else {
                out.push_back(static_cast<char>(c));
            }
        }
    }
    return out;
}

Result<CommentFields> parseTrustedComment(std::string_view text) {
    CommentFields fields;
    std::set<std::string> keys;
    std::size_t pos = 0;
    if (text.empty()) return fail("empty trusted comment: expected key=value fields", 1);
    while (pos <= text.size()) {
        std::size_t end = text.find(' ', pos);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view token = text.substr(pos, end - pos);
        const std::size_t eq = token.find('=');
        const int column = static_cast<int>(pos + 1);
        if (eq == std::string_view::npos || eq == 0) return fail("expected key=value in the trusted comment", column);
        const std::string key(token.substr(0, eq));
        for (char c : key) {
            if (!keyChar(c)) return fail("invalid field name \"" + key + "\" in the trusted comment", column);
        }
        std::string value;
        for (std::size_t i = eq + 1; i < token.size(); ++i) {
            const char c = token[i];
            if (c == '%') {
                const bool complete = i + 2 < token.size();
                const int hi = complete ? hexValue(token[i + 1]) : -1;
                const int lo = complete ? hexValue(token[i + 2]) : -1;
                if (hi < 0 || lo < 0) {
                    return fail("bad %XX escape in the trusted comment", static_cast<int>(pos + i + 1));
                }
                value.push_back(static_cast<char>(hi * 16 + lo));
                i += 2;
            } else if (c == '=') {
                return fail("unescaped '=' in a trusted comment value", static_cast<int>(pos + i + 1));
            } else {
                value.push_back(c);
            }
        }
        if (!keys.insert(key).second) return fail("duplicate field \"" + key + "\" in the trusted comment", column);
        fields.emplace_back(key, std::move(value));
        pos = end + 1;
    }
    return fields;
}

std::string formatUtcTime(TimeUtc seconds) {
    assert(seconds >= 0 && seconds < kYear10000);
    std::int64_t days = seconds / 86400;
    const std::int64_t rem = seconds % 86400;
    std::int64_t y = 1970;
    while (days >= daysInYear(y)) days -= daysInYear(y++);
    unsigned m = 1;
    while (days >= daysInMonth(y, m)) days -= daysInMonth(y, m++);
    const unsigned d = static_cast<unsigned>(days) + 1;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(y), m, d,
                  static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
    return buf;
}

Result<TimeUtc> parseUtcTime(std::string_view text) {
    static const char pattern[] = "dddd-dd-ddTdd:dd:ddZ";
    if (text.size() != sizeof pattern - 1) return fail("expected a UTC time YYYY-MM-DDTHH:MM:SSZ", 1);
    int v[20];
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (pattern[i] == 'd') {
            if (text[i] < '0' || text[i] > '9') return fail("expected a digit in the time", static_cast<int>(i + 1));
            v[i] = text[i] - '0';
        } else if (text[i] != pattern[i]) {
            return fail(std::string("expected '") + pattern[i] + "' in the time", static_cast<int>(i + 1));
        }
    }
    const std::int64_t year = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
    const unsigned month = static_cast<unsigned>(v[5] * 10 + v[6]);
    const unsigned day = static_cast<unsigned>(v[8] * 10 + v[9]);
    const int hour = v[11] * 10 + v[12], minute = v[14] * 10 + v[15], second = v[17] * 10 + v[18];
    if (year < 1970) return fail("years before 1970 are not accepted in the time", 1);
    if (month < 1 || month > 12) return fail("month out of range in the time", 6);
    if (day < 1 || day > daysInMonth(year, month)) return fail("day out of range in the time", 9);
    if (hour > 23 || minute > 59 || second > 59) return fail("time of day out of range", 12);
    std::int64_t days = day - 1;
    for (std::int64_t y = 1970; y < year; ++y) days += daysInYear(y);
    for (unsigned m = 1; m < month; ++m) days += daysInMonth(year, m);
    return days * 86400 + hour * 3600 + minute * 60 + second;
}

}  // namespace planner::core::bundle
