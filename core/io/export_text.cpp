#include "io/export_text.hpp"

#include <cstdint>
#include <cstdio>

namespace planner::core::io {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Length of the valid UTF-8 sequence at text[i], 0 if invalid.
std::size_t validSequenceAt(std::string_view text, std::size_t i, char32_t& cp) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    std::size_t len = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1F;
        min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0F;
        min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > text.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(text[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

struct Civil {
    std::int64_t year;
    int month;
    int day;
};

// Days since 1970-01-01 to the proleptic Gregorian date (400-year era arithmetic).
Civil civilFromDays(std::int64_t days) {
    days += 719468;  // shift the epoch to 0000-03-01
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t dayOfEra = days - era * 146097;
    const std::int64_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const std::int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const std::int64_t monthIndex = (5 * dayOfYear + 2) / 153;  // 0 = March
    const int day = static_cast<int>(dayOfYear - (153 * monthIndex + 2) / 5 + 1);
    const int month = static_cast<int>(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
    return {yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

std::int64_t daysFromCivil(std::int64_t year, int month, int day) {
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const std::int64_t yearOfEra = year - era * 400;
    const std::int64_t monthIndex = month > 2 ? month - 3 : month + 9;
    const std::int64_t dayOfYear = (153 * monthIndex + 2) / 5 + day - 1;
    const std::int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

struct Broken {
    Civil date;
    int hour, minute, second;
    int weekday;  // 0 = Sunday
};

Broken breakDown(TimeUtc t) {
    std::int64_t days = t / 86400;
    std::int64_t rest = t % 86400;
    if (rest < 0) {
        rest += 86400;
        days -= 1;
    }
    Broken b{civilFromDays(days), static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60),
             static_cast<int>(rest % 60), 0};
    std::int64_t wd = (days + 4) % 7;  // 1970-01-01 was a Thursday
    b.weekday = static_cast<int>(wd < 0 ? wd + 7 : wd);
    return b;
}

std::string format(const char* pattern, const Broken& b) {
    char buf[64];
    std::snprintf(buf, sizeof buf, pattern, static_cast<long long>(b.date.year), b.date.month, b.date.day, b.hour,
                  b.minute, b.second);
    return buf;
}

bool isBidiControl(char32_t cp) {
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

std::string codePointMark(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "[U+%04X]", static_cast<unsigned>(cp));
    return buf;
}

}  // namespace

std::vector<char32_t> decodeUtf8(std::string_view text) {
    std::vector<char32_t> out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        char32_t cp = 0;
        const std::size_t len = validSequenceAt(text, i, cp);
        if (len == 0) {
            out.push_back(kReplacement);
            ++i;
        } else {
            out.push_back(cp);
            i += len;
        }
    }
    return out;
}

void appendUtf8(std::string& out, char32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::string sanitizeUtf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        char32_t cp = 0;
        const std::size_t len = validSequenceAt(text, i, cp);
        if (len == 0) {
            appendUtf8(out, kReplacement);
            ++i;
        } else {
            out.append(text.substr(i, len));
            i += len;
        }
    }
    return out;
}

std::string formatIsoUtc(TimeUtc t) { return format("%04lld-%02d-%02dT%02d:%02d:%02dZ", breakDown(t)); }

std::string formatSqlUtc(TimeUtc t) { return format("%04lld-%02d-%02d %02d:%02d:%02d", breakDown(t)); }

std::string formatJiraUtc(TimeUtc t) { return format("%04lld-%02d-%02dT%02d:%02d:%02d.000+0000", breakDown(t)); }

std::string formatRfc5322Date(TimeUtc t) {
    static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const Broken b = breakDown(t);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %d %s %04lld %02d:%02d:%02d +0000", kDays[b.weekday], b.date.day,
                  kMonths[b.date.month - 1], static_cast<long long>(b.date.year), b.hour, b.minute, b.second);
    return buf;
}

std::optional<TimeUtc> parseIsoUtc(std::string_view s) {
    if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
        return std::nullopt;
    auto number = [&](std::size_t pos, std::size_t len) -> int {
        int v = 0;
        for (std::size_t i = pos; i < pos + len; ++i) {
            if (s[i] < '0' || s[i] > '9') return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    const int year = number(0, 4), month = number(5, 2), day = number(8, 2);
    const int hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
        second < 0 || second > 59)
        return std::nullopt;
    const std::int64_t days = daysFromCivil(year, month, day);
    const Civil back = civilFromDays(days);
    if (back.year != year || back.month != month || back.day != day) return std::nullopt;
    return days * 86400 + hour * 3600 + minute * 60 + second;
}

std::string escapeHtml(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char32_t cp : decodeUtf8(text)) {
        switch (cp) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            case '\n': out += "<br>"; break;
            case '\t': out += '\t'; break;
            case '\r': break;
            default:
                if (isBidiControl(cp) || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
                    out += "<span class=\"ctl\">" + codePointMark(cp) + "</span>";
                else
                    appendUtf8(out, cp);
        }
    }
    return out;
}

std::string escapeMarkdown(std::string_view text) {
    // Inline specials are escaped everywhere; block markers (#, +, -, =, >, "1.")
    // only where they could open a block, at the start of the text.
    static const std::string_view kInline = "\\`*_[]<>&|~";
    static const std::string_view kLeading = "#+-=>";
    const auto cps = decodeUtf8(text);
    std::size_t digits = 0;
    while (digits < cps.size() && cps[digits] >= '0' && cps[digits] <= '9') ++digits;
    std::string out;
    out.reserve(text.size() + text.size() / 4);
    for (std::size_t i = 0; i < cps.size(); ++i) {
        const char32_t cp = cps[i];
        const bool ascii = cp < 0x80;
        if (cp == '\r') continue;
        if (cp == '\n') {
            out += "<br>";
        } else if (ascii && (kInline.find(static_cast<char>(cp)) != std::string_view::npos ||
                             (i == 0 && kLeading.find(static_cast<char>(cp)) != std::string_view::npos) ||
                             (i == digits && digits > 0 && (cp == '.' || cp == ')')))) {
            out += '\\';
            out += static_cast<char>(cp);
        } else if (isBidiControl(cp) || cp < 0x20 || cp == 0x7F) {
            out += codePointMark(cp);
        } else {
            appendUtf8(out, cp);
        }
    }
    return out;
}

}  // namespace planner::core::io
