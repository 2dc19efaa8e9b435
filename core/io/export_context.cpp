#include "io/export_context.hpp"

#include <algorithm>
#include <cassert>
#include <map>

#include "io/export_text.hpp"

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

std::vector<TaskTimes> plannedTaskTimes(const ChangeRequest& change) {
    std::vector<TaskTimes> out(change.steps.size());
    if (change.plannedStart == 0 || change.plannedEnd <= change.plannedStart) return out;
    const auto timing = stepSchedule(change);
    for (std::size_t i = 0; i < timing.size(); ++i) {
        out[i].start = std::min<TimeUtc>(change.plannedStart + TimeUtc{timing[i].start} * 60, change.plannedEnd);
        out[i].end = std::min<TimeUtc>(change.plannedStart + TimeUtc{timing[i].end} * 60, change.plannedEnd);
    }
    return out;
}

std::string signedApprovalsNote(const ExportContext& ctx) {
    if (ctx.signedApprovals.empty()) return "";
    std::string out = "Verified approval signatures of the change bundle (approval chain of " +
                      std::to_string(ctx.approvalChainLength) + ", head " + ctx.approvalChainHead + "):";
    for (const Approval& a : ctx.signedApprovals) {
        out += "\n- " + std::string(toString(a.decision)) + " as " + a.role + " by " + a.approver + " at " +
               (a.at ? formatIsoUtc(a.at) : std::string("?")) + ", key " + a.keyId;
        if (a.retrospective) out += ", retrospective";
        if (!a.comment.empty()) out += ": " + a.comment;
    }
    return out;
}

std::string cutText(const std::string& text, std::size_t maxCodePoints) {
    const auto cps = decodeUtf8(text);
    if (cps.size() <= maxCodePoints) return sanitizeUtf8(text);
    std::string out;
    for (std::size_t i = 0; i + 1 < maxCodePoints; ++i) appendUtf8(out, cps[i]);
    if (maxCodePoints > 0) appendUtf8(out, U'\u2026');
    return out;
}

std::string htmlParagraphs(const std::string& text) {
    std::string normalized;
    for (char ch : text)
        if (ch != '\r') normalized += ch;
    std::string out;
    std::size_t pos = 0;
    while (pos <= normalized.size()) {
        std::size_t end = normalized.find("\n\n", pos);
        if (end == std::string::npos) end = normalized.size();
        std::string block = normalized.substr(pos, end - pos);
        while (!block.empty() && block.front() == '\n') block.erase(0, 1);
        while (!block.empty() && block.back() == '\n') block.pop_back();
        if (!block.empty()) out += "<p>" + escapeHtml(block) + "</p>";
        pos = end + 2;
    }
    return out;
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
