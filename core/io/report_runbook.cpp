#include "io/report_runbook.hpp"

#include <algorithm>
#include <cstdio>

#include "io/export_text.hpp"

namespace planner::core::io {
namespace {

std::string hhmm(Minutes m) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "+%d:%02d", m / 60, m % 60);
    return buf;
}

void section(std::string& out, const char* title, const std::string& text) {
    if (text.empty()) return;
    out += "\n## ";
    out += title;
    out += "\n\n" + escapeMarkdown(text) + "\n";
}

}  // namespace

std::string runbookMarkdown(const ChangeRequest& c, const ExportContext& ctx) {
    std::string out = "# Runbook " + escapeMarkdown(c.id) + ": " + escapeMarkdown(c.title) + "\n\n";
    const auto risk = contextRisk(ctx);
    out += "- **Type:** " + escapeMarkdown(toString(c.type)) + "\n";
    out += "- **State:** " + escapeMarkdown(toString(c.state)) + "\n";
    if (risk) out += "- **Risk:** " + escapeMarkdown(toString(*risk)) + "\n";
    out += "- **Planned (UTC):** " +
           (c.plannedStart == 0 ? std::string("not planned")
                                : escapeMarkdown(formatIsoUtc(c.plannedStart) + " to " + formatIsoUtc(c.plannedEnd))) +
           "\n";
    out += "- **Time zone:** " + escapeMarkdown(c.timeZone) + "\n";
    if (ctx.window) out += "- **Window:** " + escapeMarkdown(windowSummary(ctx)) + "\n";
    if (!c.owner.empty()) out += "- **Owner:** " + escapeMarkdown(personName(ctx, c.owner)) + "\n";
    if (!c.implementer.empty()) out += "- **Implementer:** " + escapeMarkdown(personName(ctx, c.implementer)) + "\n";
    if (!c.affectedCis.empty()) {
        std::string cis;
        for (const auto& id : c.affectedCis) {
            const ConfigItem* ci = ctx.findCi(id);
            cis += (cis.empty() ? "" : ", ") + escapeMarkdown(ci && !ci->name.empty() ? ci->name + " (" + id + ")" : id);
        }
        out += "- **Affected CIs:** " + cis + "\n";
    }

    section(out, "Description", c.description);
    section(out, "Implementation plan", c.implementationPlan);
    section(out, "Rollback plan", c.rollbackPlan);
    section(out, "Test plan", c.testPlan);
    section(out, "Communication plan", c.communicationPlan);

    const auto timing = stepSchedule(c);
    Minutes total = 0;
    for (const auto& t : timing) total = std::max(total, t.end);
    out += "\n## Steps\n\n";
    if (c.steps.empty()) {
        out += "No steps.\n";
    } else {
        out += "Total duration: " + std::to_string(total) + " min.\n\n";
        out += "| # | Start | Step | Owner | CI | Duration | After | Verification | Rollback | Rollback duration |\n";
        out += "|---|---|---|---|---|---|---|---|---|---|\n";
        for (std::size_t i = 0; i < c.steps.size(); ++i) {
            const Step& s = c.steps[i];
            std::string deps;
            for (const auto& d : s.dependsOn) deps += (deps.empty() ? "" : ", ") + escapeMarkdown(d);
            std::string title = "**" + escapeMarkdown(s.id) + "** " + escapeMarkdown(s.title);
            if (!s.description.empty()) title += "<br>" + escapeMarkdown(s.description);
            const std::string rollback = !s.rollback.empty() ? escapeMarkdown(s.rollback)
                                                             : "*No rollback:* " + escapeMarkdown(s.noRollbackReason);
            out += "| " + std::to_string(i + 1) + " | " + hhmm(timing[i].start) + " | " + title + " | " +
                   escapeMarkdown(s.owner.empty() ? "" : personName(ctx, s.owner)) + " | " + escapeMarkdown(s.ci) +
                   " | " + std::to_string(s.duration) + " min | " + deps + " | " + escapeMarkdown(s.verification) +
                   " | " + rollback + " | " + std::to_string(s.rollbackDuration) + " min |\n";
        }
        out += "\n## Rollback order\n\n";
        std::vector<std::size_t> order(c.steps.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t x, std::size_t y) { return timing[x].start > timing[y].start; });
        int n = 1;
        for (std::size_t i : order) {
            const Step& s = c.steps[i];
            out += std::to_string(n++) + ". " + escapeMarkdown(s.id) + ": " +
                   (s.rollback.empty() ? "no rollback (" + escapeMarkdown(s.noRollbackReason) + ")"
                                       : escapeMarkdown(s.rollback)) +
                   "\n";
        }
    }
    return out;
}

}  // namespace planner::core::io
