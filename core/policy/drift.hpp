// Baselines and drift (C10): configuration snapshots imported from JSON or CSV,
// and the comparison of an observed snapshot with baseline plus declared changes.
#pragma once

#include "model/model.hpp"
#include "util/result.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace planner::core::policy {

// CI id -> attribute -> value.
using ConfigSnapshot = std::map<std::string, std::map<std::string, std::string>>;

// JSON: {"<ci id>": {"<attribute>": "<value>" | number | true/false, ...}, ...};
// numbers keep their source text. Errors name file, line, column and reason.
Result<ConfigSnapshot> importConfigJson(const std::string& text, const std::string& fileName);

// CSV (RFC 4180 quoting, LF or CRLF): a header naming the columns ci, attribute
// and value in any order, then one row per attribute. A repeated (ci, attribute)
// pair is an error.
Result<ConfigSnapshot> importConfigCsv(const std::string& text, const std::string& fileName);

enum class DriftKind { Expected, Unexpected, Missing };

struct DriftItem {
    std::string ci;
    std::string attribute;
    DriftKind kind = DriftKind::Unexpected;
    std::optional<std::string> baselineValue;
    std::optional<std::string> expectedValue;  // declared value; "" declared means any new value
    std::optional<std::string> observedValue;
    std::string explanation;
};

struct DriftReport {
    std::string changeId;
    TimeUtc observedAt = 0;
    std::vector<DriftItem> items;  // sorted by CI, then attribute
    int expected = 0;
    int unexpected = 0;                      // possible unauthorized changes
    int missing = 0;                         // declared but not observed
    std::vector<std::string> unobservedCis;  // baseline CIs absent from the observation
};

// Compares `observed` with `baseline` plus `declared`. A declared change with an
// empty expectedValue accepts any value different from the baseline.
DriftReport detectDrift(const ConfigSnapshot& baseline, const std::vector<DeclaredChange>& declared,
                        const ConfigSnapshot& observed);

const char* toString(DriftKind);

}  // namespace planner::core::policy
