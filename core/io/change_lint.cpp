#include "io/change_lint.hpp"

#include "graph/runbook.hpp"
#include "io/canonical_json.hpp"
#include "io/export_change.hpp"

namespace planner::core::io {

const char* toString(LintSeverity s) {
    return s == LintSeverity::Error ? "error" : "warning";
}

std::vector<LintMessage> lintChange(const ChangeRequest& c) {
    std::vector<LintMessage> out;
    auto add = [&](LintSeverity s, const char* code, std::string pointer, std::string text) {
        out.push_back(LintMessage{s, code, std::move(pointer), std::move(text)});
    };
    if (c.title.empty())
        add(LintSeverity::Error, "missing_title", "/short_description", "the change has no title (short_description)");
    if (c.plannedStart != 0 && c.plannedEnd <= c.plannedStart) {
        add(LintSeverity::Error, "planned_interval", "/end_date", "the planned end is not after the planned start");
    }
    if (c.plannedStart == 0 && c.plannedEnd != 0) {
        add(LintSeverity::Error, "planned_interval", "/start_date", "a planned end is set without a planned start");
    }
    if (c.affectedCis.empty()) {
        add(LintSeverity::Warning, "no_affected_cis", "/affected_cis", "the change names no affected CI");
    }
    graph::RunbookOptions options;
    if (c.plannedStart != 0 && c.plannedEnd > c.plannedStart) {
        options.windowStart = c.plannedStart;
        options.windowEnd = c.plannedEnd;
    }
    auto runbook = graph::analyzeRunbook(c.steps, options);
    if (!runbook) {
        add(LintSeverity::Error, "runbook", "/steps", runbook.error().message);
        return out;
    }
    for (std::size_t i = 0; i < runbook->messages.size(); ++i) {
        const graph::RunbookMessage& m = runbook->messages[i];
        if (m.severity == graph::Severity::Info) continue;
        std::string pointer = "/steps";
        for (std::size_t s = 0; s < c.steps.size(); ++s) {
            if (!m.stepId.empty() && c.steps[s].id == m.stepId) pointer = "/steps/" + std::to_string(s);
        }
        add(m.severity == graph::Severity::Error ? LintSeverity::Error : LintSeverity::Warning, m.code.c_str(), pointer,
            m.text);
    }
    return out;
}

Result<std::vector<LintMessage>> lintChangeDocument(std::string_view json, const std::string& sourceName) {
    auto change = parseChangeDocument(json, sourceName);
    if (!change) return change.error();
    std::vector<LintMessage> out = lintChange(*change);
    if (auto located = parseLocatedJson(json, sourceName)) {
        for (LintMessage& m : out) {
            const Error at = (*located)->errorAt(m.pointer, m.text);
            m.line = at.line;
            m.column = at.column;
        }
    }
    return out;
}

}  // namespace planner::core::io
