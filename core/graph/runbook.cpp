#include "graph/runbook.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace planner::core::graph {

const char* toString(Severity s) {
    switch (s) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
    }
    return "info";
}

namespace {

std::string minutesText(Minutes m) { return std::to_string(m) + " min"; }

}  // namespace

Result<RunbookAnalysis> analyzeRunbook(const std::vector<Step>& steps, const RunbookOptions& options) {
    RunbookAnalysis a;
    const std::size_t n = steps.size();
    std::unordered_map<std::string_view, std::size_t> index;
    index.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        if (steps[i].id.empty()) return Error{"step " + std::to_string(i + 1) + " has no id", "", 0, 0};
        if (!index.emplace(steps[i].id, i).second)
            return Error{"step id '" + steps[i].id + "' is used by more than one step", "", 0, 0};
        if (steps[i].duration < 0 || steps[i].rollbackDuration < 0)
            return Error{"step '" + steps[i].id + "' has a negative duration", "", 0, 0};
    }

    // Predecessor lists (deduplicated), successor CSR.
    std::vector<std::vector<std::size_t>> preds(n);
    std::vector<std::uint32_t> outDegree(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        bool anyResolved = false;
        for (const std::string& d : steps[i].dependsOn) {
            auto it = index.find(d);
            if (it == index.end()) {
                a.messages.push_back({Severity::Error, "dangling_dependency", steps[i].id,
                                      "Step '" + steps[i].id + "' depends on '" + d + "', which is not a step of this runbook."});
                continue;
            }
            anyResolved = true;
            if (std::find(preds[i].begin(), preds[i].end(), it->second) == preds[i].end()) {
                preds[i].push_back(it->second);
                ++outDegree[it->second];
            }
        }
        if (!anyResolved && !steps[i].dependsOn.empty())
            a.messages.push_back({Severity::Warning, "unreachable_step", steps[i].id,
                                  "Step '" + steps[i].id + "' only depends on steps that do not exist, so nothing leads to it."});
    }
    std::vector<std::uint32_t> succOffset(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) succOffset[i + 1] = succOffset[i] + outDegree[i];
    std::vector<std::size_t> succ(succOffset[n]);
    {
        std::vector<std::uint32_t> at(succOffset.begin(), succOffset.end() - 1);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t p : preds[i]) succ[at[p]++] = i;
    }

    // Kahn's algorithm; the ready set is kept ordered by input index.
    std::vector<std::uint32_t> remaining(n);
    std::vector<std::size_t> ready;
    for (std::size_t i = 0; i < n; ++i) {
        remaining[i] = static_cast<std::uint32_t>(preds[i].size());
        if (remaining[i] == 0) ready.push_back(i);
    }
    std::make_heap(ready.begin(), ready.end(), std::greater<>());
    a.order.reserve(n);
    while (!ready.empty()) {
        std::pop_heap(ready.begin(), ready.end(), std::greater<>());
        std::size_t v = ready.back();
        ready.pop_back();
        a.order.push_back(v);
        for (std::uint32_t k = succOffset[v]; k < succOffset[v + 1]; ++k)
            if (--remaining[succ[k]] == 0) {
                ready.push_back(succ[k]);
                std::push_heap(ready.begin(), ready.end(), std::greater<>());
            }
    }
    if (a.order.size() != n) {
        // Every unscheduled step has an unscheduled predecessor: walking them
        // from any such step must revisit one, and the revisited part is a cycle.
        std::size_t start = 0;
        while (remaining[start] == 0) ++start;
        std::vector<std::int32_t> seenAt(n, -1);
        std::vector<std::size_t> walk;
        std::size_t v = start;
        while (seenAt[v] < 0) {
            seenAt[v] = static_cast<std::int32_t>(walk.size());
            walk.push_back(v);
            for (std::size_t p : preds[v])
                if (remaining[p] != 0) {
                    v = p;
                    break;
                }
        }
        std::vector<std::size_t> cycle(walk.begin() + seenAt[v], walk.end());
        std::reverse(cycle.begin(), cycle.end());  // predecessor walk -> execution order
        std::string text;
        for (std::size_t c : cycle) text += "'" + steps[c].id + "' -> ";
        text += "'" + steps[cycle.front()].id + "'";
        return Error{"the runbook's step dependencies form a cycle: " + text, "", 0, 0};
    }

    // Forward and backward passes.
    a.steps.resize(n);
    for (std::size_t i = 0; i < n; ++i) a.steps[i].id = steps[i].id;
    for (std::size_t v : a.order) {
        Minutes es = 0;
        for (std::size_t p : preds[v]) es = std::max(es, a.steps[p].earliestFinish);
        a.steps[v].earliestStart = es;
        a.steps[v].earliestFinish = es + steps[v].duration;
        a.totalDuration = std::max(a.totalDuration, a.steps[v].earliestFinish);
    }
    for (auto it = a.order.rbegin(); it != a.order.rend(); ++it) {
        std::size_t v = *it;
        Minutes lf = a.totalDuration;
        for (std::uint32_t k = succOffset[v]; k < succOffset[v + 1]; ++k) lf = std::min(lf, a.steps[succ[k]].latestStart);
        a.steps[v].latestFinish = lf;
        a.steps[v].latestStart = lf - steps[v].duration;
        a.steps[v].slack = a.steps[v].latestStart - a.steps[v].earliestStart;
        a.steps[v].critical = a.steps[v].slack == 0;
    }
    // Critical path: from the first step (topologically) finishing last, back
    // through critical predecessors whose finish is this step's start.
    if (n > 0) {
        std::size_t v = n;
        for (std::size_t u : a.order)
            if (a.steps[u].earliestFinish == a.totalDuration && a.steps[u].critical) {
                v = u;
                break;
            }
        while (v < n) {
            a.criticalPath.push_back(steps[v].id);
            std::size_t next = n;
            for (std::size_t p : preds[v])
                if (a.steps[p].critical && a.steps[p].earliestFinish == a.steps[v].earliestStart && (next == n || p < next)) next = p;
            v = next;
        }
        std::reverse(a.criticalPath.begin(), a.criticalPath.end());
    }

    // Rollback timing over the earliest-start schedule.
    a.startOrder = a.order;
    std::stable_sort(a.startOrder.begin(), a.startOrder.end(), [&](std::size_t x, std::size_t y) {
        return a.steps[x].earliestStart < a.steps[y].earliestStart;
    });
    std::vector<Minutes> startTimes(n);
    std::vector<std::int64_t> prefix(n + 1, 0);
    std::vector<std::uint32_t> startPos(n);
    for (std::size_t k = 0; k < n; ++k) {
        std::size_t v = a.startOrder[k];
        startTimes[k] = a.steps[v].earliestStart;
        prefix[k + 1] = prefix[k] + steps[v].rollbackDuration;
        startPos[v] = static_cast<std::uint32_t>(k);
    }
    a.fullRollbackDuration = static_cast<Minutes>(prefix[n]);
    for (std::size_t v = 0; v < n; ++v) {
        StepTiming& t = a.steps[v];
        auto count = static_cast<std::uint32_t>(std::lower_bound(startTimes.begin(), startTimes.end(), t.earliestFinish) - startTimes.begin());
        count = std::max(count, startPos[v] + 1);
        t.rollbackCount = count;
        t.rollbackFromHere = static_cast<Minutes>(prefix[count]);
    }

    // Window, point of no return.
    a.hasWindow = options.windowEnd > options.windowStart;
    if (a.hasWindow) {
        const std::int64_t windowMinutes = (options.windowEnd - options.windowStart) / 60;
        a.fits = a.totalDuration <= windowMinutes;
        // Rollback needed when starting it at t: steps with earliestStart < t.
        // On (s_i, s_next] that is constant, so the latest t is min(s_next, W - R).
        std::int64_t best = -1;
        if (windowMinutes >= 0) best = 0;
        std::size_t k = 0;
        while (k < n) {
            std::size_t j = k;
            while (j < n && startTimes[j] == startTimes[k]) ++j;
            const std::int64_t s = startTimes[k];
            const std::int64_t next = j < n ? startTimes[j] : a.totalDuration;
            const std::int64_t cand = std::min<std::int64_t>(next, windowMinutes - prefix[j]);
            if (cand > s) best = std::max(best, cand);
            k = j;
        }
        if (best >= 0) {
            a.pointOfNoReturnOffset = static_cast<Minutes>(best);
            a.pointOfNoReturn = options.windowStart + best * 60;
        }
        if (!a.fits)
            a.messages.push_back({Severity::Error, "window_too_short", "",
                                  "The steps take " + minutesText(a.totalDuration) + " but the window is only " +
                                      minutesText(static_cast<Minutes>(windowMinutes)) + " long."});
        else if (a.totalDuration + a.fullRollbackDuration > windowMinutes)
            a.messages.push_back({Severity::Warning, "rollback_exceeds_window", "",
                                  "A failure found after the last step could not be rolled back inside the window: " +
                                      minutesText(a.totalDuration) + " of work plus " + minutesText(a.fullRollbackDuration) +
                                      " of rollback exceed " + minutesText(static_cast<Minutes>(windowMinutes)) + "."});
    }

    // Per-step validation.
    std::unordered_set<std::string_view> impact;
    if (options.checkImpact) {
        impact.reserve(options.impactCis.size() * 2);
        for (const std::string& c : options.impactCis) impact.insert(c);
    }
    for (std::size_t i = 0; i < n; ++i) {
        const Step& s = steps[i];
        if (s.rollback.empty() && s.noRollbackReason.empty())
            a.messages.push_back({Severity::Warning, "missing_rollback", s.id,
                                  "Step '" + s.id + "' has no rollback action and no reason why it cannot be rolled back."});
        if (options.checkImpact && !s.ci.empty() && impact.find(s.ci) == impact.end())
            a.messages.push_back({Severity::Warning, "ci_outside_impact", s.id,
                                  "Step '" + s.id + "' touches CI '" + s.ci + "', which is not in the change's impact set."});
        if (n > 1 && preds[i].empty() && outDegree[i] == 0 && s.dependsOn.empty())
            a.messages.push_back({Severity::Info, "isolated_step", s.id,
                                  "Step '" + s.id + "' neither depends on nor is needed by any other step."});
    }
    return a;
}

}  // namespace planner::core::graph
