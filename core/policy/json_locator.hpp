// A parsed JSON document plus the byte offset of every value, keyed by JSON
// pointer ("/risk/rules/2/points"), so that semantic errors found in the DOM can
// be reported with a line and column like syntax errors.
#pragma once

#include "util/result.hpp"

#include <rapidjson/document.h>

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <utility>

namespace planner::core::policy {

// `key` escaped as one JSON pointer reference token ("~" -> "~0", "/" -> "~1").
std::string pointerToken(const std::string& key);

class JsonLocator {
public:
    // Parses `text` (UTF-8, comments allowed); a syntax error names `fileName`,
    // line, column and rapidjson's reason. With `numbersAsText`, numbers are kept
    // as strings holding their exact source text.
    static Result<JsonLocator> parse(const std::string& text, const std::string& fileName, bool numbersAsText = false);

    const rapidjson::Value& root() const { return *m_document; }

    // 1-based line and column of the value at `pointer`, or of its nearest
    // recorded ancestor; (1, 1) for the document itself.
    std::pair<int, int> locate(const std::string& pointer) const;

private:
    std::shared_ptr<const std::string> m_text;
    std::shared_ptr<rapidjson::Document> m_document;
    std::map<std::string, std::size_t> m_offsets;
};

}  // namespace planner::core::policy
