// Deterministic JSON (RFC 8785-like): object keys sorted by UTF-16 code units,
// no insignificant whitespace, integers only, strings escaped by rapidjson with
// UTF-8 kept as is. Also a parser that remembers where every value starts, so
// that readers of our documents can name line and column of a wrong field.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "util/json_parse.hpp"
#include "util/result.hpp"

namespace planner::core::io {

// Canonical text of `value`. Invalid UTF-8 in strings is written as U+FFFD;
// a floating-point number is a caller bug (asserted) and is written as null.
std::string canonicalJson(const rapidjson::Value& value);

// Parses `json` and returns its canonical text. Rejects floating-point numbers,
// integers outside int64/uint64, duplicate keys, invalid UTF-8, NUL bytes,
// nesting deeper than kJsonMaxDepth (256) and texts over
// json_limits::kChangeDocument, with line and column (1-based, in code points).
Result<std::string> canonicalizeJson(std::string_view json, const std::string& sourceName);

// A parsed document plus the start offset of each value keyed by JSON Pointer
// ("" for the root, "/steps/0/title"). Owns its text and its values.
class LocatedJson {
public:
    const rapidjson::Value& root() const { return m_doc; }
    const std::string& sourceName() const { return m_source; }
    // Error located at the first character of the value at `pointer` (or of its
    // nearest located ancestor), in this document's source.
    Error errorAt(const std::string& pointer, std::string message) const;
    // Line and column (1-based, column in code points) of byte offset `offset`.
    std::pair<int, int> lineColumn(std::size_t offset) const;

private:
    friend Result<std::unique_ptr<LocatedJson>> parseLocatedJson(std::string_view, const std::string&, std::size_t);
    rapidjson::Document m_doc;
    std::string m_text;
    std::string m_source;
    std::map<std::string, std::size_t> m_starts;
};

// Parses `json` with the same rules as canonicalizeJson; `maxBytes` is the
// caller's size limit (a change document by default).
Result<std::unique_ptr<LocatedJson>> parseLocatedJson(std::string_view json, const std::string& sourceName,
                                                      std::size_t maxBytes = json_limits::kChangeDocument);

// "/a~1b" style pointer segment for `key` (RFC 6901 escaping of ~ and /).
std::string pointerSegment(std::string_view key);

}  // namespace planner::core::io
