// The change document ("planner.change", version 1) and the CMDB slice document
// ("planner.cmdb_slice", version 1): canonical JSON with field names close to the
// ticketing vocabulary, and their strict parsers. Described in docs/ticketing.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "util/result.hpp"

namespace planner::core::io {

inline constexpr int kChangeDocumentVersion = 1;
inline constexpr int kCmdbSliceVersion = 1;

// Canonical JSON of every field of `change` (times as ISO 8601 UTC, 0 as null).
std::string writeChangeDocument(const ChangeRequest& change);

// Parses a change document; unknown fields, wrong types, bad enum names and bad
// times are errors naming line, column and the field's JSON Pointer. Absent
// optional fields keep the model's defaults; "schema", "schema_version" and "number" are required.
Result<ChangeRequest> parseChangeDocument(std::string_view json, const std::string& sourceName);

struct CmdbSlice {
    std::string change;                       // id of the change the slice belongs to
    std::vector<ConfigItem> cis;              // sorted by id
    std::vector<Relationship> relationships;  // sorted by (from, to, type)
    bool operator==(const CmdbSlice&) const = default;
};

// Canonical JSON of the given CIs and relationships, sorted (input order does not matter).
std::string writeCmdbSlice(const std::string& changeId, const std::vector<ConfigItem>& cis,
                           const std::vector<Relationship>& relationships);

// Parses a CMDB slice; duplicate CI ids and relationships naming unknown CIs are errors.
Result<CmdbSlice> parseCmdbSlice(std::string_view json, const std::string& sourceName);

}  // namespace planner::core::io
