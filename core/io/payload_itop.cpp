#include "io/payload_itop.hpp"

#include <set>

#include "io/canonical_json.hpp"
#include "io/export_json.hpp"
#include "io/export_text.hpp"

namespace planner::core::io {
namespace {

rapidjson::Value keySpec(const char* attribute, const std::string& value, JsonAlloc& a) {
    rapidjson::Value o(rapidjson::kObjectType);
    putString(o, attribute, value, a);
    return o;
}

// How far along its lifecycle a planner state is (0 draft ... 7 closed).
int rank(ChangeState s) {
    switch (s) {
        case ChangeState::Draft:
            return 0;
        case ChangeState::Submitted:
            return 1;
        case ChangeState::Assessed:
            return 2;
        case ChangeState::Authorized:
        case ChangeState::Scheduled:
            return 3;
        case ChangeState::Implementing:
            return 4;
        case ChangeState::Completed:
        case ChangeState::Failed:
        case ChangeState::RolledBack:
        case ChangeState::Reviewed:
            return 5;
        case ChangeState::Closed:
            return 7;
        case ChangeState::Cancelled:
        case ChangeState::Rejected:
            return -1;
    }
    return 0;
}

std::string emailOf(const ExportContext& ctx, const std::string& personId) {
    const Person* p = ctx.findPerson(personId);
    return p ? p->email : std::string();
}

Error refused(const std::string& what) {
    return Error{"itop: " + what + "; no payload is written", "", 0, 0};
}

}  // namespace

const char* iTopChangeClass(ChangeType type, ItopChangeModel model) {
    if (model == ItopChangeModel::Default) return "Change";
    switch (type) {
        case ChangeType::Standard:
            return "RoutineChange";
        case ChangeType::Normal:
            return "NormalChange";
        case ChangeType::Emergency:
            return "EmergencyChange";
    }
    return "NormalChange";
}

std::vector<std::string> iTopStimuli(ChangeType type, ChangeState state, ItopChangeModel model) {
    const int r = rank(state);
    const bool stopped = r < 0;  // cancelled or rejected
    std::vector<std::string> out;
    if (model == ItopChangeModel::Default) {
        // new -ev_assign-> assigned -ev_plan-> planned -ev_approve-> approved -ev_finish-> closed; planned -ev_reject->
        // rejected
        if (stopped) return {"ev_assign", "ev_plan", "ev_reject"};
        if (r >= 1) out.push_back("ev_assign");
        if (r >= 2) out.push_back("ev_plan");
        if (r >= 3) out.push_back("ev_approve");
        if (r >= 7) out.push_back("ev_finish");
        return out;
    }
    if (type == ChangeType::Normal) {
        // new -ev_validate-> validated -ev_assign-> assigned -ev_plan-> plannedscheduled -ev_approve-> approved
        // -ev_implement-> implemented -ev_finish-> closed; new -ev_reject-> rejected
        if (stopped) return {"ev_reject"};
        if (r >= 1) out.insert(out.end(), {"ev_validate", "ev_assign"});
    } else {
        // new -ev_assign-> assigned -ev_plan-> plannedscheduled (-ev_approve-> approved, emergency) -ev_implement-> ...
        if (stopped)
            return type == ChangeType::Emergency ? std::vector<std::string>{"ev_assign", "ev_plan", "ev_notapprove"}
                                                 : std::vector<std::string>{};
        if (r >= 1) out.push_back("ev_assign");
    }
    if (r >= 2) out.push_back("ev_plan");
    if (r >= 3 && type != ChangeType::Standard) out.push_back("ev_approve");
    if (r >= 4) out.push_back("ev_implement");
    if (r >= 7) out.push_back("ev_finish");
    return out;
}

Result<std::string> iTopPayload(const ChangeRequest& c, const ExportContext& ctx) {
    if (auto st = requireTicketingSettings(TicketingSystem::Itop, ctx.site); !st) return st.error();
    const ItopChangeModel model = *ctx.site.itopChangeModel;
    const bool itil = model == ItopChangeModel::Itil;
    const char* cls = iTopChangeClass(c.type, model);
    const std::vector<std::string> stimuli = iTopStimuli(c.type, c.state, model);

    // Data the states on the way make mandatory (datamodel.itop-change-mgmt*.xml).
    const std::string caller = emailOf(ctx, c.requester);
    const std::string agent = emailOf(ctx, c.implementer);
    const std::string manager = emailOf(ctx, c.owner);
    if (caller.empty())
        return refused("caller_id is mandatory: the change's requester has no e-mail in the workspace's people");
    auto needs = [&](const char* stimulus) {
        for (const auto& s : stimuli)
            if (s == stimulus) return true;
        return false;
    };
    const bool assigns = needs("ev_assign") || needs("ev_validate");
    if (assigns && c.assignmentGroup.empty())
        return refused(std::string(cls) + " needs team_id to leave the new state: the change has no assignment group");
    if (assigns && agent.empty())
        return refused(std::string(cls) +
                       " needs agent_id to leave the new state: the change's implementer has no e-mail");
    if (assigns && manager.empty())
        return refused(std::string(cls) + " needs " + (itil ? "supervisor_id and manager_id" : "changemanager_id") +
                       " to leave the new state: the change owner has no e-mail");
    if (needs("ev_plan") && (c.plannedStart == 0 || c.plannedEnd == 0))
        return refused(std::string(cls) +
                       " needs start_date and end_date to be planned: the change has no planned interval");
    if (needs("ev_plan") && c.rollbackPlan.empty())
        return refused(std::string(cls) + " needs a fallback plan to be planned: the change has no rollback plan");

    rapidjson::Document doc(rapidjson::kObjectType);
    auto& a = doc.GetAllocator();
    const std::string comment = "Change " + c.id + " exported by the change planner";

    rapidjson::Value fields(rapidjson::kObjectType);
    putValue(fields, "org_id", keySpec("name", ctx.site.itopOrganization, a), a);
    putValue(fields, "caller_id", keySpec("email", caller, a), a);
    putString(fields, "title", cutText("[" + c.id + "] " + c.title, 255), a);
    std::string description = htmlParagraphs(c.description);
    if (!c.reason.empty()) description += "<p><b>Reason:</b></p>" + htmlParagraphs(c.reason);
    if (!c.justification.empty()) description += "<p><b>Justification:</b></p>" + htmlParagraphs(c.justification);
    if (!c.implementationPlan.empty())
        description += "<p><b>Implementation plan:</b></p>" + htmlParagraphs(c.implementationPlan);
    if (!c.testPlan.empty()) description += "<p><b>Test plan:</b></p>" + htmlParagraphs(c.testPlan);
    if (description.empty()) description = htmlParagraphs("Change " + c.id);  // description is mandatory
    putString(fields, "description", description, a);
    if (c.plannedStart) putString(fields, "start_date", formatSqlUtc(c.plannedStart), a);
    if (c.plannedEnd) putString(fields, "end_date", formatSqlUtc(c.plannedEnd), a);
    if (!c.rollbackPlan.empty()) putString(fields, itil ? "fallback" : "fallback_plan", c.rollbackPlan, a);
    if (itil && !c.impact.empty()) putString(fields, "impact", cutText(c.impact, 255), a);

    rapidjson::Value cis(rapidjson::kArrayType);
    std::set<std::string> listed;
    auto addCi = [&](const std::string& id, const char* code) {
        if (!listed.insert(id).second) return;
        const ConfigItem* ci = ctx.findCi(id);
        rapidjson::Value link(rapidjson::kObjectType);
        putValue(link, "functionalci_id", keySpec("name", ci && !ci->name.empty() ? ci->name : id, a), a);
        putString(link, "impact_code", code, a);
        cis.PushBack(link, a);
    };
    for (const auto& id : c.affectedCis) addCi(id, "manual");
    for (const auto& ci : ctx.impactedCis) {
        auto flag = c.impactFlags.find(ci.id);
        const bool excluded = flag != c.impactFlags.end() && flag->second == ImpactFlag::Exclude;
        addCi(ci.id, excluded ? "not_impacted" : "computed");
    }
    putValue(fields, "functionalcis_list", std::move(cis), a);

    rapidjson::Value create(rapidjson::kObjectType);
    putString(create, "operation", "core/create", a);
    putString(create, "class", cls, a);
    putString(create, "comment", comment, a);
    putString(create, "output_fields", "id,friendlyname,status", a);
    putValue(create, "fields", std::move(fields), a);

    rapidjson::Value steps(rapidjson::kArrayType);
    const std::string reason = "Change " + c.id + " is " + toString(c.state) + " in the change planner";
    for (const std::string& ev : stimuli) {
        rapidjson::Value f(rapidjson::kObjectType);
        if (ev == "ev_validate") {
            putValue(f, "team_id", keySpec("name", c.assignmentGroup, a), a);
            putValue(f, "supervisor_group_id", keySpec("name", c.assignmentGroup, a), a);
            putValue(f, "manager_group_id", keySpec("name", c.assignmentGroup, a), a);
        } else if (ev == "ev_assign") {
            if (!itil || c.type != ChangeType::Normal) putValue(f, "team_id", keySpec("name", c.assignmentGroup, a), a);
            putValue(f, "agent_id", keySpec("email", agent, a), a);
            if (itil) {
                if (c.type != ChangeType::Normal) {
                    putValue(f, "supervisor_group_id", keySpec("name", c.assignmentGroup, a), a);
                    putValue(f, "manager_group_id", keySpec("name", c.assignmentGroup, a), a);
                }
                putValue(f, "supervisor_id", keySpec("email", manager, a), a);
                putValue(f, "manager_id", keySpec("email", manager, a), a);
            } else {
                putValue(f, "changemanager_id", keySpec("email", manager, a), a);
            }
        } else if (ev == "ev_plan") {
            putString(f, "start_date", formatSqlUtc(c.plannedStart), a);
            putString(f, "end_date", formatSqlUtc(c.plannedEnd), a);
            putString(f, itil ? "fallback" : "fallback_plan", c.rollbackPlan, a);
            putString(f, "outage", ctx.outageExpected ? "yes" : "no", a);
            if (itil) putString(f, "impact", cutText(c.impact.empty() ? "See the description" : c.impact, 255), a);
        } else if (ev == "ev_approve" && itil) {
            const std::string note = signedApprovalsNote(ctx);
            putString(f, "approval_comment", note.empty() ? "Authorized in the change planner" : note, a);
            TimeUtc at = c.updatedAt;
            for (const auto& ap : ctx.signedApprovals) at = std::max(at, ap.at);
            if (at) putString(f, "approval_date", formatSqlUtc(at), a);
        } else if (ev == "ev_reject") {
            putString(f, itil ? "reason" : "reject_reason", cutText(reason, 255), a);
        } else if (ev == "ev_notapprove") {
            putString(f, "reason", cutText(reason, 255), a);
        }
        rapidjson::Value op(rapidjson::kObjectType);
        putString(op, "operation", "core/apply_stimulus", a);
        putString(op, "class", cls, a);
        putInt(op, "key", 0, a);
        putString(op, "stimulus", ev, a);
        putString(op, "comment", comment, a);
        putString(op, "output_fields", "id,friendlyname,status", a);
        putValue(op, "fields", std::move(f), a);
        steps.PushBack(op, a);
    }

    putString(doc, "format", "planner.itop", a);
    putInt(doc, "format_version", 2, a);
    putString(doc, "change_id", c.id, a);
    putString(doc, "data_model", toString(model), a);
    putValue(doc, "create", std::move(create), a);
    putValue(doc, "stimuli", std::move(steps), a);
    putValue(doc, "log", rapidjson::Value(rapidjson::kNullType), a);  // withSignedApprovals
    return canonicalJson(doc);
}

}  // namespace planner::core::io
