#include "bundle/bundle_content.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "graph/cmdb_graph.hpp"
#include "graph/impact.hpp"
#include "io/eml_notification.hpp"
#include "io/export_change.hpp"
#include "io/export_csv.hpp"
#include "io/export_dot.hpp"
#include "io/export_svg.hpp"
#include "io/payload_freshservice.hpp"
#include "io/payload_glpi.hpp"
#include "io/payload_itop.hpp"
#include "io/payload_servicenow.hpp"
#include "io/ticketing_settings.hpp"
#include "io/report_html.hpp"
#include "io/report_runbook.hpp"
#include "policy/risk.hpp"
#include "schedule/expansion.hpp"
#include "schedule/ics.hpp"

namespace planner::core::bundle {
namespace {

bool isPlanned(const ChangeRequest& c) {
    return c.plannedStart != 0 && c.plannedEnd > c.plannedStart;
}

Minutes plannedMinutes(const ChangeRequest& c) {
    return static_cast<Minutes>((c.plannedEnd - c.plannedStart) / 60);
}

graph::ImpactOptions impactOptionsFor(const ChangeRequest& c) {
    graph::ImpactOptions o;
    o.flags = c.impactFlags;
    return o;
}

// Whether `w` applies to one of the impacted CIs (global, their type, one of them).
bool applies(const Window& w, const std::set<std::string>& ids, const std::set<std::string>& types) {
    switch (w.scope) {
        case WindowScope::Global:
            return true;
        case WindowScope::CiType:
            return types.count(w.scopeValue) > 0;
        case WindowScope::Ci:
        case WindowScope::Service:
            return ids.count(w.scopeValue) > 0;
    }
    return false;
}

}  // namespace

Result<ChangeExport> buildChangeExport(const WorkspaceData& data, const std::string& changeId,
                                       const ChangeExportOptions& options) {
    auto found = std::find_if(data.changes.begin(), data.changes.end(),
                              [&](const ChangeRequest& c) { return c.id == changeId; });
    if (found == data.changes.end()) return Error{"change \"" + changeId + "\" is not in the workspace", "", 0, 0};

    ChangeExport exp;
    exp.change = *found;
    const ChangeRequest& change = exp.change;
    const graph::CmdbGraph g = graph::CmdbGraph::build(data.cis, data.relationships);
    graph::ImpactAnalyzer analyzer(g);
    const graph::ImpactResult impact = analyzer.analyze(change.affectedCis, impactOptionsFor(change));
    exp.unknownCis = impact.unknownIds;

    const std::vector<std::string> ids = impact.ids(g);
    const std::set<std::string> idSet(ids.begin(), ids.end());
    io::ExportContext& ctx = exp.context;
    std::set<std::string> types;
    for (const ConfigItem& ci : data.cis) {
        if (!idSet.count(ci.id)) continue;
        ctx.impactedCis.push_back(ci);
        types.insert(ci.type);
    }
    std::sort(ctx.impactedCis.begin(), ctx.impactedCis.end(),
              [](const ConfigItem& a, const ConfigItem& b) { return a.id < b.id; });
    for (const Relationship& r : data.relationships) {
        if (idSet.count(r.from) && idSet.count(r.to)) ctx.relationships.push_back(r);
    }
    ctx.people = data.people;
    ctx.site = options.site;
    ctx.generatedAt = options.generatedAt;
    if (options.policy) {
        policy::RiskInputs inputs;
        inputs.impact = policy::impactFactsFrom(ctx.impactedCis);
        inputs.history = policy::historyFrom(data.changes);
        inputs.now = options.generatedAt;
        ctx.riskLevel = toString(policy::assessRisk(*options.policy, change, inputs).level);
    }

    for (const Window& w : data.windows) {
        if (applies(w, idSet, types)) exp.windows.push_back(w);
    }
    std::sort(exp.windows.begin(), exp.windows.end(), [](const Window& a, const Window& b) { return a.id < b.id; });

    if (!isPlanned(change)) return exp;

    // Conflicts against every window and the other planned changes.
    std::unordered_map<std::string, std::string> typeOf;
    for (const ConfigItem& ci : data.cis) typeOf.emplace(ci.id, ci.type);
    schedule::CiLookup lookup;
    lookup.typeOf = [&typeOf](const std::string& id) {
        auto it = typeOf.find(id);
        return it == typeOf.end() ? std::string() : it->second;
    };
    exp.planned = schedule::plannedChangeFrom(change, plannedMinutes(change), ids);
    std::vector<schedule::PlannedChange> others;
    TimeUtc from = change.plannedStart, to = change.plannedEnd;
    for (const ChangeRequest& other : data.changes) {
        if (other.id == change.id || !isPlanned(other)) continue;
        if (other.state == ChangeState::Cancelled || other.state == ChangeState::Rejected ||
            other.state == ChangeState::Closed) {
            continue;
        }
        if (other.plannedEnd <= change.plannedStart || other.plannedStart >= change.plannedEnd) continue;
        others.push_back(schedule::plannedChangeFrom(
            other, plannedMinutes(other), analyzer.analyze(other.affectedCis, impactOptionsFor(other)).ids(g)));
        from = std::min(from, other.plannedStart);
        to = std::max(to, other.plannedEnd);
    }
    auto calendar = schedule::WindowCalendar::build(data.windows, from - 86400, to + 86400);
    if (!calendar) return calendar.error();
    exp.conflicts = schedule::conflictsOf(*calendar, *exp.planned, others, lookup);
    ctx.conflictsChecked = true;
    ctx.hasConflicts = !exp.conflicts.empty();
    ctx.outsideMaintenanceWindow =
        std::any_of(exp.conflicts.begin(), exp.conflicts.end(),
                    [](const schedule::Conflict& c) { return c.kind == schedule::ConflictKind::OutsideWindow; });

    // The maintenance window whose occurrence covers the whole planned interval, first by id.
    const schedule::Interval iv{change.plannedStart, change.plannedEnd};
    for (const Window& w : exp.windows) {
        if (w.kind != WindowKind::Maintenance) continue;
        const auto& all = calendar->windows();
        auto it = std::find_if(all.begin(), all.end(), [&](const Window& x) { return x.id == w.id; });
        if (it == all.end()) continue;
        const schedule::Interval* hit = calendar->firstOverlap(static_cast<size_t>(it - all.begin()), iv);
        if (hit && hit->start <= iv.start && hit->end >= iv.end) {
            ctx.window = w;
            break;
        }
    }
    return exp;
}

Result<std::string> changeScheduleIcs(const ChangeExport& exp) {
    schedule::IcsExportOptions options;
    options.dtstamp = exp.context.generatedAt;
    options.calendarName = exp.change.id + ": " + exp.change.title;
    std::vector<schedule::PlannedChange> planned;
    if (exp.planned) planned.push_back(*exp.planned);
    return schedule::exportIcs(exp.windows, planned, options);
}

bool pastAuthorization(ChangeState s) {
    switch (s) {
        case ChangeState::Authorized:
        case ChangeState::Scheduled:
        case ChangeState::Implementing:
        case ChangeState::Completed:
        case ChangeState::Failed:
        case ChangeState::RolledBack:
        case ChangeState::Reviewed:
        case ChangeState::Closed:
            return true;
        default:
            return false;
    }
}

Result<ZipFiles> bundleContentFiles(const ChangeExport& exp, const BundleContentOptions& options) {
    const ChangeRequest& written = exp.change;
    ChangeRequest c = written;  // as the payloads present it: no unsigned approval, no unbacked state
    c.approvals.clear();
    if (pastAuthorization(c.state)) c.state = ChangeState::Assessed;
    const io::ExportContext& ctx = exp.context;
    io::ExportContext reportCtx = ctx;
    reportCtx.approvalsUnsigned = true;
    ZipFiles files;
    files["change.json"] = io::writeChangeDocument(written);
    files["cmdb-slice.json"] = io::writeCmdbSlice(c.id, ctx.impactedCis, ctx.relationships);
    files["runbook.md"] = io::runbookMarkdown(written, ctx);
    files["report.html"] = io::htmlReport(written, reportCtx);
    files["graph.dot"] = io::impactGraphDot(written, ctx);
    files["graph.svg"] = io::impactGraphSvg(written, ctx);
    auto ics = changeScheduleIcs(exp);
    if (!ics) return ics.error();
    files["schedule.ics"] = std::move(*ics);
    files["payloads/servicenow.json"] = io::serviceNowPayload(c, ctx);
    auto addPayload = [&](const char* path, Result<std::string> payload) {
        if (payload) files[path] = std::move(*payload);
        else if (options.leftOut) options.leftOut->push_back(std::string(path) + " left out: " + payload.error().toString());
    };
    addPayload("payloads/glpi.json", io::glpiPayload(c, ctx));
    addPayload("payloads/itop.json", io::iTopPayload(c, ctx));
    addPayload("payloads/freshservice.json", io::freshservicePayload(c, ctx));
    std::optional<io::JiraMapping> jira = options.jira;
    if (!jira && !ctx.site.jiraMapping.empty()) {
        auto parsed = io::parseJiraMapping(ctx.site.jiraMapping,
                                           ctx.site.jiraMappingSource.empty() ? std::string(io::kJiraMappingSetting)
                                                                              : ctx.site.jiraMappingSource);
        if (!parsed) return parsed.error();
        jira = std::move(*parsed);
    }
    if (jira) files["payloads/jira.json"] = io::jiraPayload(c, ctx, *jira);
    else if (options.leftOut) options.leftOut->push_back("payloads/jira.json left out: no Jira field mapping");
    files["changes.csv"] = io::changeListCsv({c});
    for (const io::EmlDraft& d : io::notificationDrafts(written, ctx).drafts) {
        files["notifications/" + d.fileName] = d.message;
    }
    for (const auto& [path, data] : files) {
        if (auto st = validateEntryPath(path); !st) return st.error();
    }
    return files;
}

}  // namespace planner::core::bundle
