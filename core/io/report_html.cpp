#include "io/report_html.hpp"

#include <algorithm>

#include "io/export_text.hpp"

namespace planner::core::io {
namespace {

constexpr const char* kStyle =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1f24;margin:2em auto;max-width:60em;"
    "line-height:1.4;padding:0 1em}"
    "h1{font-size:1.5em;border-bottom:2px solid #334;padding-bottom:.2em}"
    "h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccd}"
    "table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.9em}"
    "th,td{border:1px solid #bbc;padding:.3em .5em;text-align:left;vertical-align:top}"
    "th{background:#eef0f4}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{font-weight:600}dd{margin:0}"
    ".badge{display:inline-block;padding:0 .5em;border-radius:.6em;background:#e3e8f0;font-size:.85em}"
    ".risk-high,.risk-very_high{background:#f7d4d4}.risk-moderate{background:#f7ecc8}.risk-low{background:#d8efd8}"
    ".ctl{color:#b00020;font-family:monospace}"
    ".rollback{background:#fbf7ee}.none{color:#777;font-style:italic}"
    "footer{margin-top:2em;color:#666;font-size:.8em}"
    "@page{size:A4;margin:15mm}"
    "@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}";

// User text: escaped and isolated from the surrounding text direction.
std::string u(const std::string& text) { return "<bdi>" + escapeHtml(text) + "</bdi>"; }

std::string timeText(TimeUtc t) { return t == 0 ? "-" : formatIsoUtc(t); }

void row(std::string& out, const char* label, const std::string& valueHtml) {
    out += "<dt>";
    out += label;
    out += "</dt><dd>" + valueHtml + "</dd>";
}

void textSection(std::string& out, const char* title, const std::string& text) {
    out += "<h2>";
    out += title;
    out += "</h2>";
    out += text.empty() ? "<p class=\"none\">Not given.</p>" : "<p>" + u(text) + "</p>";
}

std::string personText(const ExportContext& ctx, const std::string& id) {
    if (id.empty()) return "<span class=\"none\">-</span>";
    const Person* p = ctx.findPerson(id);
    if (!p) return u(id);
    std::string out = u(p->name.empty() ? p->id : p->name);
    if (!p->email.empty()) out += " &lt;" + u(p->email) + "&gt;";
    return out;
}

}  // namespace

std::string htmlReport(const ChangeRequest& c, const ExportContext& ctx) {
    const auto risk = contextRisk(ctx);
    std::string titleText = c.id + " " + c.title;
    std::replace(titleText.begin(), titleText.end(), '\n', ' ');

    std::string out;
    out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>Change " + escapeHtml(titleText) + "</title><style>" + kStyle + "</style></head>\n<body>\n";
    out += "<h1>Change " + u(c.id) + ": " + u(c.title) + "</h1>\n";

    out += "<dl>";
    row(out, "Type", u(toString(c.type)));
    row(out, "State", u(toString(c.state)));
    row(out, "Risk",
        risk ? "<span class=\"badge risk-" + std::string(toString(*risk)) + "\">" + escapeHtml(toString(*risk)) + "</span>"
             : "<span class=\"none\">not computed</span>");
    row(out, "Category", u(c.category));
    row(out, "Change model", u(c.model));
    row(out, "Planned start (UTC)", escapeHtml(timeText(c.plannedStart)));
    row(out, "Planned end (UTC)", escapeHtml(timeText(c.plannedEnd)));
    row(out, "Planner time zone", u(c.timeZone));
    if (ctx.window) row(out, "Window", u(windowSummary(ctx)));
    row(out, "Requester", personText(ctx, c.requester));
    row(out, "Owner", personText(ctx, c.owner));
    row(out, "Implementer", personText(ctx, c.implementer));
    row(out, "Assignment group", u(c.assignmentGroup));
    row(out, "Rollback tested", c.rollbackTested ? "yes" : "no");
    row(out, "Tested in staging", c.testedInStaging ? "yes" : "no");
    row(out, "Created (UTC)", escapeHtml(timeText(c.createdAt)));
    row(out, "Updated (UTC)", escapeHtml(timeText(c.updatedAt)));
    out += "</dl>\n";

    textSection(out, "Description", c.description);
    textSection(out, "Reason", c.reason);
    textSection(out, "Justification", c.justification);
    textSection(out, "Impact", c.impact);

    out += "<h2>Impact set</h2>";
    if (ctx.impactedCis.empty()) {
        out += "<p class=\"none\">No impacted configuration items.</p>";
    } else {
        out += "<table><thead><tr><th>CI</th><th>Name</th><th>Type</th><th>Tier</th><th>Environment</th>"
               "<th>Owner</th><th>Team</th><th>Role in change</th></tr></thead><tbody>";
        for (const auto& ci : ctx.impactedCis) {
            const bool affected = std::find(c.affectedCis.begin(), c.affectedCis.end(), ci.id) != c.affectedCis.end();
            auto flag = c.impactFlags.find(ci.id);
            std::string role = affected ? "affected" : "impacted";
            if (flag != c.impactFlags.end()) role += std::string(", flagged ") + toString(flag->second);
            out += "<tr><td>" + u(ci.id) + "</td><td>" + u(ci.name) + "</td><td>" + u(ci.type) + "</td><td>" +
                   std::to_string(ci.tier) + "</td><td>" + u(ci.environment) + "</td><td>" + personText(ctx, ci.owner) +
                   "</td><td>" + u(ci.team) + "</td><td>" + escapeHtml(role) + "</td></tr>";
        }
        out += "</tbody></table>";
    }
    std::string missing;
    for (const auto& id : c.affectedCis)
        if (!ctx.findCi(id)) missing += (missing.empty() ? "" : ", ") + u(id);
    if (!missing.empty()) out += "<p>Affected CIs not in the impact set: " + missing + "</p>";

    textSection(out, "Implementation plan", c.implementationPlan);
    textSection(out, "Rollback plan", c.rollbackPlan);
    textSection(out, "Test plan", c.testPlan);
    textSection(out, "Communication plan", c.communicationPlan);

    out += "<h2>Runbook</h2>";
    if (c.steps.empty()) {
        out += "<p class=\"none\">No steps.</p>";
    } else {
        const auto timing = stepSchedule(c);
        out += "<table><thead><tr><th>#</th><th>Start</th><th>Step</th><th>Owner</th><th>CI</th><th>Minutes</th>"
               "<th>After</th><th>Verification</th><th class=\"rollback\">Rollback</th><th class=\"rollback\">"
               "Minutes</th></tr></thead><tbody>";
        for (std::size_t i = 0; i < c.steps.size(); ++i) {
            const Step& s = c.steps[i];
            std::string deps;
            for (const auto& d : s.dependsOn) deps += (deps.empty() ? "" : ", ") + u(d);
            std::string step = "<b>" + u(s.id) + "</b> " + u(s.title);
            if (!s.description.empty()) step += "<br>" + u(s.description);
            const std::string rollback = !s.rollback.empty()
                                             ? u(s.rollback)
                                             : "<span class=\"none\">No rollback:</span> " + u(s.noRollbackReason);
            out += "<tr><td>" + std::to_string(i + 1) + "</td><td>+" + std::to_string(timing[i].start) +
                   " min</td><td>" + step + "</td><td>" + personText(ctx, s.owner) + "</td><td>" + u(s.ci) +
                   "</td><td>" + std::to_string(s.duration) + "</td><td>" + deps + "</td><td>" + u(s.verification) +
                   "</td><td class=\"rollback\">" + rollback + "</td><td class=\"rollback\">" +
                   std::to_string(s.rollbackDuration) + "</td></tr>";
        }
        out += "</tbody></table>";
    }

    if (ctx.approvalsUnsigned) {
        // In a bundle only the approval signatures count; none exists when the report is written.
        out += "<h2>Approvals</h2><p>Only approval signatures in the bundle count (planner verify lists them); "
               "this report was written before any.</p>";
        if (!c.approvals.empty()) out += "<h3>Written in the change: unsigned, not counted</h3>";
    } else {
        out += "<h2>Approvals</h2>";
    }
    if (c.approvals.empty()) {
        if (!ctx.approvalsUnsigned) out += "<p class=\"none\">No approvals recorded.</p>";
    } else {
        out += "<table><thead><tr><th>Approver</th><th>Role</th><th>Decision</th><th>At (UTC)</th><th>Comment</th>"
               "<th>Key</th><th>Retrospective</th></tr></thead><tbody>";
        for (const auto& ap : c.approvals)
            out += "<tr><td>" + personText(ctx, ap.approver) + "</td><td>" + u(ap.role) + "</td><td>" +
                   escapeHtml(toString(ap.decision)) + "</td><td>" + escapeHtml(timeText(ap.at)) + "</td><td>" +
                   u(ap.comment) + "</td><td>" + u(ap.keyId) + "</td><td>" + (ap.retrospective ? "yes" : "no") +
                   "</td></tr>";
        out += "</tbody></table>";
    }

    if (!c.questionnaire.empty()) {
        out += "<h2>Risk questionnaire</h2><table><thead><tr><th>Question</th><th>Answer</th></tr></thead><tbody>";
        for (const auto& [q, ans] : c.questionnaire) out += "<tr><td>" + u(q) + "</td><td>" + u(ans) + "</td></tr>";
        out += "</tbody></table>";
    }

    if (!c.declaredChanges.empty()) {
        out += "<h2>Declared configuration changes</h2><table><thead><tr><th>CI</th><th>Attribute</th>"
               "<th>Expected value</th></tr></thead><tbody>";
        for (const auto& d : c.declaredChanges)
            out += "<tr><td>" + u(d.ci) + "</td><td>" + u(d.attribute) + "</td><td>" + u(d.expectedValue) +
                   "</td></tr>";
        out += "</tbody></table>";
    }

    if (c.review) {
        out += "<h2>Post-implementation review</h2><dl>";
        row(out, "Outcome", u(c.review->outcome));
        row(out, "Closure code", u(c.review->closureCode));
        row(out, "Incidents", std::to_string(c.review->incidents));
        row(out, "Time to restore", std::to_string(c.review->timeToRestore) + " min");
        row(out, "Lessons learned", u(c.review->lessonsLearned));
        row(out, "Reviewed (UTC)", escapeHtml(timeText(c.review->at)));
        out += "</dl>";
    }
    if (!c.closeCode.empty() || !c.closeNotes.empty()) {
        out += "<h2>Closure</h2><dl>";
        row(out, "Close code", u(c.closeCode));
        row(out, "Close notes", u(c.closeNotes));
        out += "</dl>";
    }
    out += "\n<footer>Generated " + escapeHtml(timeText(ctx.generatedAt)) + " UTC by the change planner.</footer>\n";
    out += "</body></html>\n";
    return out;
}

}  // namespace planner::core::io
