// Checks of a change document beyond its syntax: what a receiving pipeline
// wants to reject before a change is signed or imported (used by `planner lint`).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "util/result.hpp"

namespace planner::core::io {

enum class LintSeverity { Warning, Error };

struct LintMessage {
    LintSeverity severity = LintSeverity::Error;
    std::string code;     // e.g. planned_interval, runbook_cycle, missing_rollback
    std::string pointer;  // JSON Pointer of the field concerned ("" for the whole change)
    std::string text;     // one sentence
    int line = 0;         // where the field starts in the document (1-based; 0 = not located)
    int column = 0;
};

// Parses `json` as a change document (an Error with line and column when it is
// not one), then checks it: non-empty title, planned end after planned start,
// a runbook that analyses (no duplicate step ids, no cycles) and its messages.
Result<std::vector<LintMessage>> lintChangeDocument(std::string_view json, const std::string& sourceName);

// The checks alone, on a parsed change (messages carry no line or column).
std::vector<LintMessage> lintChange(const ChangeRequest& change);

const char* toString(LintSeverity);

}  // namespace planner::core::io
