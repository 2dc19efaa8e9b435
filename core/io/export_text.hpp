// Text helpers shared by the export generators: UTF-8 decoding, UTC time
// formats of the target systems, and escaping for HTML, Markdown and CSV.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace planner::core::io {

// Code points of `text`; every invalid or truncated UTF-8 sequence becomes U+FFFD.
std::vector<char32_t> decodeUtf8(std::string_view text);

// Appends the UTF-8 encoding of `cp` (U+FFFD for surrogates and values above U+10FFFF).
void appendUtf8(std::string& out, char32_t cp);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD; valid input is returned unchanged.
std::string sanitizeUtf8(std::string_view text);

// "2026-11-27T18:00:00Z" (ISO 8601, UTC, seconds).
std::string formatIsoUtc(TimeUtc t);
// "2026-11-27 18:00:00" (UTC; the internal date-time format of ServiceNow, GLPI and iTop).
std::string formatSqlUtc(TimeUtc t);
// "2026-11-27T18:00:00.000+0000" (the date-time format Jira's REST API expects).
std::string formatJiraUtc(TimeUtc t);
// "Fri, 27 Nov 2026 18:00:00 +0000" (RFC 5322 date-time).
std::string formatRfc5322Date(TimeUtc t);
// Parses exactly "YYYY-MM-DDTHH:MM:SSZ" with a valid calendar date; nullopt otherwise.
std::optional<TimeUtc> parseIsoUtc(std::string_view text);

// HTML text content: & < > " ' escaped, bidirectional controls shown as visible
// "[U+202E]" marks, other control characters except tab as "[U+0007]", newlines as <br>.
std::string escapeHtml(std::string_view text);

// Markdown inline text: inline specials (\ ` * _ [ ] < > & | ~) backslash-escaped,
// block markers escaped at the start, newlines as "<br>" (the text stays in one table cell).
std::string escapeMarkdown(std::string_view text);

}  // namespace planner::core::io
