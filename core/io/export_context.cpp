#include "io/export_context.hpp"

#include <algorithm>
#include <cassert>
#include <map>

namespace planner::core::io {

const Person* ExportContext::findPerson(const std::string& id) const {
    for (const auto& p : people)
        if (p.id == id) return &p;
    return nullptr;
}

const ConfigItem* ExportContext::findCi(const std::string& id) const {
    for (const auto& ci : impactedCis)
        if (ci.id == id) return &ci;
    return nullptr;
}

std::string personName(const ExportContext& ctx, const std::string& id) {
    const Person* p = ctx.findPerson(id);
    return p && !p->name.empty() ? p->name : id;
}

std::optional<RiskLevel> contextRisk(const ExportContext& ctx) {
    if (ctx.riskLevel.empty()) return std::nullopt;
    auto risk = riskLevelFromString(ctx.riskLevel);
    assert(risk.has_value() && "riskLevel must be a RiskLevel name");
    return risk;
}

int highestCriticality(const ExportContext& ctx) {
    int best = 4;
    for (const auto& ci : ctx.impactedCis) best = std::min(best, std::clamp(ci.tier, 1, 4));
    return best;
}

std::vector<const ConfigItem*> impactedServices(const ExportContext& ctx) {
    std::vector<const ConfigItem*> out;
    for (const auto& ci : ctx.impactedCis)
        if (ci.type == "business_service") out.push_back(&ci);
    return out;
}

std::vector<StepTiming> stepSchedule(const ChangeRequest& change) {
    const std::size_t n = change.steps.size();
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < n; ++i) index.emplace(change.steps[i].id, i);
    std::vector<std::vector<std::size_t>> deps(n);
    for (std::size_t i = 0; i < n; ++i)
        for (const auto& d : change.steps[i].dependsOn) {
            auto it = index.find(d);
            if (it != index.end() && it->second != i) deps[i].push_back(it->second);
        }
    std::vector<StepTiming> timing(n);
    std::vector<bool> placed(n, false);
    std::size_t placedCount = 0;
    bool progress = true;
    while (progress && placedCount < n) {
        progress = false;
        for (std::size_t i = 0; i < n; ++i) {
            if (placed[i]) continue;
            Minutes start = 0;
            bool ready = true;
            for (std::size_t d : deps[i]) {
                if (!placed[d]) {
                    ready = false;
                    break;
                }
                start = std::max(start, timing[d].end);
            }
            if (!ready) continue;
            timing[i] = {start, start + std::max<Minutes>(change.steps[i].duration, 0)};
            placed[i] = true;
            ++placedCount;
            progress = true;
        }
    }
    Minutes latest = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (placed[i]) latest = std::max(latest, timing[i].end);
    for (std::size_t i = 0; i < n; ++i)
        if (!placed[i]) timing[i] = {latest, latest + std::max<Minutes>(change.steps[i].duration, 0)};
    return timing;
}

std::string windowSummary(const ExportContext& ctx) {
    if (!ctx.window) return "";
    const Window& w = *ctx.window;
    std::string out = w.name.empty() ? w.id : w.name;
    out += " (" + std::string(toString(w.kind)) + ", starts " + w.start + " " + w.timeZone + ", " +
           std::to_string(w.duration) + " min";
    if (!w.rrule.empty()) out += ", repeats " + w.rrule;
    out += ")";
    return out;
}

}  // namespace planner::core::io
