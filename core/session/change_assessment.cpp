#include "session/change_assessment.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "graph/runbook.hpp"
#include "schedule/schedule_view.hpp"
#include "schedule/time_zone.hpp"
#include "util/json_parse.hpp"

namespace planner::core {
namespace {

bool isPlanned(const ChangeRequest& c) {
    return c.plannedStart != 0 && c.plannedEnd > c.plannedStart;
}

// Business hours: Monday to Friday, 08:00 to 18:00 local time. Checked every
// 15 minutes of the interval (at most one week of it), and at its last minute.
bool touchesBusinessHours(TimeUtc start, TimeUtc end, const std::string& zone) {
    const TimeUtc last = std::min(end, start + 7 * 86400) - 60;
    for (TimeUtc t = start;; t += 15 * 60) {
        const TimeUtc probe = std::min(t, last);
        auto local = schedule::utcToLocal(probe, zone);
        if (!local) local = schedule::utcToLocal(probe, "UTC");
        if (local) {
            const int dow = schedule::dayOfWeek(local->year, local->month, local->day);
            if (dow >= 1 && dow <= 5 && local->hour >= 8 && local->hour < 18) return true;
        }
        if (probe >= last) return false;
    }
}

}  // namespace

std::vector<schedule::PlannedChange> plannedChanges(const Session& session) {
    std::vector<schedule::PlannedChange> out;
    for (const auto& c : session.data().changes) {
        if (!isPlanned(c)) continue;
        const auto minutes = static_cast<Minutes>((c.plannedEnd - c.plannedStart) / 60);
        out.push_back(schedule::plannedChangeFrom(c, minutes, session.impactOf(c).ids(session.cmdbGraph())));
    }
    return out;
}

ScheduleAssessment assessSchedule(const Session& session, const ChangeRequest& change) {
    ScheduleAssessment out;
    Minutes reserve = 0;
    if (auto runbook = graph::analyzeRunbook(change.steps)) {
        out.facts.runbookMinutes = runbook->totalDuration;
        reserve = runbook->fullRollbackDuration;
    }
    if (!isPlanned(change)) return out;
    out.facts.duringBusinessHours = touchesBusinessHours(change.plannedStart, change.plannedEnd, change.timeZone);

    const graph::CmdbGraph& g = session.cmdbGraph();
    schedule::CiLookup lookup;
    lookup.typeOf = [&g](const std::string& id) {
        auto n = g.indexOf(id);
        return n ? g.typeOf(*n) : std::string();
    };
    std::vector<schedule::PlannedChange> planned = plannedChanges(session);
    auto view =
        schedule::buildScheduleView(session.data().windows, planned, lookup, change.plannedStart, change.plannedEnd);
    if (!view) {
        out.error = view.error().toString();
        return out;
    }
    for (const auto& conflict : view->conflicts)
        if (conflict.changeId == change.id) out.conflicts.push_back(conflict);
    out.facts.conflicts = static_cast<int>(out.conflicts.size());

    // The maintenance occurrence the change starts in: its remaining minutes,
    // less the time a full rollback needs, is what the runbook may use.
    for (const auto& occ : view->occurrences) {
        if (occ.window < 0 || static_cast<std::size_t>(occ.window) >= view->windows.size()) continue;
        if (view->windows[static_cast<std::size_t>(occ.window)].kind != WindowKind::Maintenance) continue;
        if (occ.interval.start <= change.plannedStart && change.plannedStart < occ.interval.end) {
            const auto remaining = static_cast<Minutes>((occ.interval.end - change.plannedStart) / 60);
            out.facts.windowMinutesAfterMargin =
                std::max(out.facts.windowMinutesAfterMargin, std::max<Minutes>(0, remaining - reserve));
        }
    }
    return out;
}

namespace {

policy::ImpactFacts impactFacts(const Session& session, const ChangeRequest& change) {
    const graph::CmdbGraph& g = session.cmdbGraph();
    const graph::ImpactResult& r = session.impactOf(change);
    const auto& cis = session.data().cis;
    std::vector<ConfigItem> impacted;
    impacted.reserve(static_cast<std::size_t>(r.uniqueCount));
    for (const auto& id : r.ids(g)) {
        auto n = g.indexOf(id);
        // The graph indexes CIs in the order the session holds them.
        if (n && *n < cis.size() && cis[*n].id == id) {
            impacted.push_back(cis[*n]);
        } else if (const ConfigItem* ci = session.findCi(id)) {
            impacted.push_back(*ci);
        }
    }
    return policy::impactFactsFrom(impacted);
}

policy::LifecycleContext contextWith(const Session& session, const ChangeRequest& change, TimeUtc now,
                                     const policy::ScheduleFacts& facts) {
    policy::LifecycleContext ctx;
    ctx.policy = &session.policy();
    ctx.people = session.data().people;
    ctx.inputs.impact = impactFacts(session, change);
    ctx.inputs.schedule = facts;
    ctx.inputs.history = policy::historyFrom(session.data().changes);
    ctx.inputs.now = now;
    return ctx;
}

}  // namespace

namespace {

std::vector<ValidationItem> validationOf(const Session& session, const ChangeRequest& change,
                                         const ChangeAssessment& a) {
    using Area = ValidationItem::Area;
    std::vector<ValidationItem> items;
    auto add = [&](Area area, bool error, std::string text, std::string step = {}) {
        items.push_back(ValidationItem{area, error, std::move(text), std::move(step)});
    };
    // Runbook, checked against the planned interval and the impact set.
    const graph::ImpactResult& impact = session.impactOf(change);
    graph::RunbookOptions options;
    if (isPlanned(change)) {
        options.windowStart = change.plannedStart;
        options.windowEnd = change.plannedEnd;
    }
    options.checkImpact = true;
    options.impactCis = impact.ids(session.cmdbGraph());
    if (change.steps.empty()) add(Area::Runbook, false, "The runbook has no steps yet.");
    auto runbook = graph::analyzeRunbook(change.steps, options);
    if (!runbook) {
        add(Area::Runbook, true, runbook.error().message);
    } else {
        for (const auto& m : runbook->messages)
            add(Area::Runbook, m.severity == graph::Severity::Error, m.text, m.stepId);
    }
    // Schedule.
    if (!isPlanned(change)) add(Area::Schedule, false, "The change has no planned window yet.");
    if (!a.schedule.error.empty()) add(Area::Schedule, true, a.schedule.error);
    for (const auto& c : a.schedule.conflicts) add(Area::Schedule, true, c.message);
    // Impact.
    for (const auto& id : impact.unknownIds)
        add(Area::Impact, true, "CI " + id + " is named by the change but is not in the CMDB.");
    if (!impact.cycles.empty())
        add(Area::Impact, false,
            std::to_string(impact.cycles.size()) +
                " dependency cycle(s) in the CMDB touch the impact set; see the graph.");
    // Governance.
    if (!a.risk.unanswered.empty())
        add(Area::Governance, false,
            std::to_string(a.risk.unanswered.size()) +
                " risk question(s) unanswered; the questionnaire is in the Governance tab.");
    for (const auto& v : a.model.violations) add(Area::Governance, false, v);
    for (const auto& r : a.emergency.reasons) add(Area::Governance, true, r);
    std::stable_sort(items.begin(), items.end(),
                     [](const ValidationItem& x, const ValidationItem& y) { return x.error && !y.error; });
    return items;
}

}  // namespace

policy::LifecycleContext lifecycleContext(const Session& session, const ChangeRequest& change, TimeUtc now) {
    return contextWith(session, change, now, assessSchedule(session, change).facts);
}

ChangeAssessment assessChange(const Session& session, const ChangeRequest& change, TimeUtc now) {
    ChangeAssessment out;
    out.schedule = assessSchedule(session, change);
    const policy::LifecycleContext ctx = contextWith(session, change, now, out.schedule.facts);
    out.impact = ctx.inputs.impact;
    out.risk = policy::assessRisk(session.policy(), change, ctx.inputs);
    out.approvals = policy::approvalStatus(change, ctx);
    out.transitions = policy::availableTransitions(change, ctx);
    out.emergency = policy::emergencyStatus(change, ctx);
    out.model = policy::checkModelBounds(session.policy(), change);
    out.validation = validationOf(session, change, out);
    return out;
}

// ---- drift ------------------------------------------------------------------

std::string driftSettingKey(const std::string& changeId) {
    return "drift." + changeId;
}

std::string writeDriftObservation(const DriftObservation& o) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("observedAt");
    w.Int64(o.observedAt);
    w.Key("file");
    w.String(o.fileName.c_str(), static_cast<rapidjson::SizeType>(o.fileName.size()));
    w.Key("text");
    w.String(o.text.c_str(), static_cast<rapidjson::SizeType>(o.text.size()));
    w.EndObject();
    return buf.GetString();
}

Result<DriftObservation> parseDriftObservation(const std::string& json, const std::string& changeId) {
    rapidjson::Document d;
    const std::string where = "stored observation of " + changeId;
    JsonParseOptions options;
    options.maxBytes = json_limits::kPolicy;
    options.validateEncoding = false;
    options.messagePrefix = where + ": invalid JSON: ";
    if (auto st = parseJson(d, json, "", options); !st) return st.error();
    if (!d.IsObject()) return Error{where + ": not a JSON object"};
    if (!d.HasMember("observedAt") || !d["observedAt"].IsInt64() || !d.HasMember("file") || !d["file"].IsString() ||
        !d.HasMember("text") || !d["text"].IsString())
        return Error{where + ": expected observedAt (integer), file and text (strings)"};
    DriftObservation o;
    o.changeId = changeId;
    o.observedAt = d["observedAt"].GetInt64();
    o.fileName = d["file"].GetString();
    o.text.assign(d["text"].GetString(), d["text"].GetStringLength());
    return o;
}

Result<policy::DriftReport> driftReport(const Session& session, const ChangeRequest& change,
                                        const DriftObservation& observation) {
    const std::string& name = observation.fileName;
    const bool csv = name.size() >= 4 &&
                     (name.compare(name.size() - 4, 4, ".csv") == 0 || name.compare(name.size() - 4, 4, ".CSV") == 0);
    auto observed =
        csv ? policy::importConfigCsv(observation.text, name) : policy::importConfigJson(observation.text, name);
    if (!observed) return observed.error();
    policy::ConfigSnapshot baseline;
    auto addBaseline = [&](const std::string& id) {
        if (const ConfigItem* ci = session.findCi(id)) baseline[id] = ci->attributes;
    };
    for (const auto& id : change.affectedCis) addBaseline(id);
    for (const auto& d : change.declaredChanges) addBaseline(d.ci);
    for (const auto& [id, attrs] : *observed)
        if (!baseline.count(id)) addBaseline(id);
    policy::DriftReport report = policy::detectDrift(baseline, change.declaredChanges, *observed);
    report.changeId = change.id;
    report.observedAt = observation.observedAt;
    return report;
}

std::vector<policy::DriftReport> storedDriftReports(const Session& session) {
    std::vector<policy::DriftReport> out;
    const std::string prefix = "drift.";
    for (auto it = session.settings().lower_bound(prefix);
         it != session.settings().end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
        const std::string id = it->first.substr(prefix.size());
        const ChangeRequest* change = session.findChange(id);
        if (!change) continue;
        auto o = parseDriftObservation(it->second, id);
        if (!o) continue;
        if (auto r = driftReport(session, *change, *o)) out.push_back(std::move(*r));
    }
    return out;
}

}  // namespace planner::core
