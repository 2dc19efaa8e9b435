// Runbook analysis (C5): schedule of a change's implementation steps as a DAG,
// critical path, rollback timing, point of no return and validation messages.
// All durations and offsets are minutes from the start of implementation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "util/result.hpp"

namespace planner::core::graph {

enum class Severity : std::uint8_t { Info, Warning, Error };
const char* toString(Severity);

struct RunbookMessage {
    Severity severity = Severity::Warning;
    std::string code;     // missing_rollback, ci_outside_impact, dangling_dependency, isolated_step,
                          // unreachable_step, window_too_short, rollback_exceeds_window
    std::string stepId;   // "" for plan-wide messages
    std::string text;     // one sentence for the user
};

struct StepTiming {
    std::string id;
    Minutes earliestStart = 0, earliestFinish = 0;
    Minutes latestStart = 0, latestFinish = 0;
    Minutes slack = 0;
    bool critical = false;
    // Rollback needed if a failure is detected when this step finishes (at
    // earliestFinish): every step started by then is undone, serially, in
    // reverse start order, i.e. startOrder[rollbackCount-1] down to startOrder[0].
    Minutes rollbackFromHere = 0;
    std::uint32_t rollbackCount = 0;
};

struct RunbookOptions {
    TimeUtc windowStart = 0;  // implementation window [start, end); end <= start = no window
    TimeUtc windowEnd = 0;
    bool checkImpact = false;              // when true, steps must touch CIs in impactCis
    std::vector<std::string> impactCis;    // sorted or not; ids of the change's impact set
};

struct RunbookAnalysis {
    std::vector<std::size_t> order;        // input indices in topological order (ties: input order)
    std::vector<std::size_t> startOrder;   // input indices by earliest start (ties: topological)
    std::vector<StepTiming> steps;         // same order as the input steps
    std::vector<std::string> criticalPath; // step ids along one longest chain, first to last
    Minutes totalDuration = 0;
    Minutes fullRollbackDuration = 0;      // undoing every step, serially
    bool hasWindow = false;
    bool fits = true;                      // total duration fits in the window (true without one)
    std::optional<TimeUtc> pointOfNoReturn; // last UTC second a rollback can start and end in the window
    std::optional<Minutes> pointOfNoReturnOffset; // same, minutes from window start
    std::vector<RunbookMessage> messages;
};

// Analyses the steps. Fails (Error naming the steps) on duplicate or empty step
// ids and on dependency cycles; dangling dependencies are reported as messages
// and ignored. 500 steps take well under a millisecond natively.
Result<RunbookAnalysis> analyzeRunbook(const std::vector<Step>& steps, const RunbookOptions& options = {});

}  // namespace planner::core::graph
