// The signed "trusted comment" of bundle signatures: space-separated key=value
// fields with percent-encoded values, and RFC 3339 UTC times (docs/bundle-format.md).
#pragma once

#include "model/model.hpp"
#include "util/result.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace planner::core::bundle {

using CommentFields = std::vector<std::pair<std::string, std::string>>;

// "k1=v1 k2=v2 ...": '%', '=', space, control characters and DEL in values
// become %XX (uppercase hex); other bytes, UTF-8 included, are kept. Keys are [a-z0-9_-]+.
std::string formatTrustedComment(const CommentFields& fields);

// Inverse of formatTrustedComment; rejects duplicate keys, bad keys and bad %XX escapes.
Result<CommentFields> parseTrustedComment(std::string_view text);

// "YYYY-MM-DDTHH:MM:SSZ" for seconds since the Unix epoch.
// Precondition: 0 <= seconds < 10000-01-01T00:00:00Z.
std::string formatUtcTime(TimeUtc seconds);

// Parses exactly the form formatUtcTime writes (years 1970..9999).
Result<TimeUtc> parseUtcTime(std::string_view text);

}  // namespace planner::core::bundle
