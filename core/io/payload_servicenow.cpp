#include "io/payload_servicenow.hpp"

#include <algorithm>

#include "io/canonical_json.hpp"
#include "io/export_json.hpp"
#include "io/export_text.hpp"
#include "util/json_parse.hpp"

namespace planner::core::io {
namespace {

std::string sqlTimeOrEmpty(TimeUtc t) { return t == 0 ? std::string() : formatSqlUtc(t); }

std::string closeCode(const ChangeRequest& c) {
    if (!c.closeCode.empty()) return c.closeCode;
    if (!c.review) return "";
    const std::string& o = c.review->outcome;
    if (o == "successful") return "successful";
    if (o == "successful_with_issues") return "successful_issues";
    if (o == "failed" || o == "rolled_back") return "unsuccessful";
    return "";
}

std::string reviewComments(const ChangeRequest& c) {
    if (!c.review) return "";
    std::string out = "Outcome: " + c.review->outcome + "\nIncidents: " + std::to_string(c.review->incidents) +
                      "\nTime to restore (minutes): " + std::to_string(c.review->timeToRestore);
    if (!c.review->lessonsLearned.empty()) out += "\nLessons learned: " + c.review->lessonsLearned;
    return out;
}

std::string ciName(const ExportContext& ctx, const std::string& id) {
    const ConfigItem* ci = ctx.findCi(id);
    return ci && !ci->name.empty() ? ci->name : id;
}

}  // namespace

int serviceNowState(ChangeState s) {
    switch (s) {
        case ChangeState::Draft: return -5;
        case ChangeState::Submitted: return -4;
        case ChangeState::Assessed: return -3;
        case ChangeState::Authorized:
        case ChangeState::Scheduled: return -2;
        case ChangeState::Implementing: return -1;
        case ChangeState::Completed:
        case ChangeState::Failed:
        case ChangeState::RolledBack:
        case ChangeState::Reviewed: return 0;
        case ChangeState::Closed: return 3;
        case ChangeState::Cancelled:
        case ChangeState::Rejected: return 4;
    }
    return -5;
}

int serviceNowRisk(std::optional<RiskLevel> risk) {
    switch (risk.value_or(RiskLevel::Moderate)) {
        case RiskLevel::VeryHigh: return 1;
        case RiskLevel::High: return 2;
        case RiskLevel::Moderate: return 3;
        case RiskLevel::Low: return 4;
    }
    return 3;
}

std::optional<RiskLevel> serviceNowPayloadRisk(std::string_view json) {
    rapidjson::Document d;
    JsonParseOptions o;
    o.maxBytes = json_limits::kChangeDocument;
    if (!parseJson(d, json, "servicenow.json", o) || !d.IsObject()) return std::nullopt;
    auto cr = d.FindMember("change_request");
    if (cr == d.MemberEnd() || !cr->value.IsObject()) return std::nullopt;
    const rapidjson::Value* fields = &cr->value;
    if (auto f = cr->value.FindMember("fields"); f != cr->value.MemberEnd() && f->value.IsObject()) fields = &f->value;
    auto risk = fields->FindMember("risk");
    if (risk == fields->MemberEnd() || !risk->value.IsString()) return std::nullopt;
    const std::string code = risk->value.GetString();
    if (code == "1") return RiskLevel::VeryHigh;
    if (code == "2") return RiskLevel::High;
    if (code == "3") return RiskLevel::Moderate;
    if (code == "4") return RiskLevel::Low;
    return std::nullopt;
}

std::vector<int> serviceNowStateMoves(ChangeType type, ChangeState state) {
    const int target = serviceNowState(state);
    if (target == -5) return {};
    if (target == 4) return {4};
    std::vector<int> path;
    switch (type) {
        case ChangeType::Normal: path = {-4, -3, -2, -1, 0, 3}; break;
        case ChangeType::Emergency: path = {-3, -2, -1, 0, 3}; break;
        case ChangeType::Standard: path = {-2, -1, 0, 3}; break;
    }
    std::vector<int> out;
    for (int s : path)
        if (s <= target) out.push_back(s);
    return out;
}

namespace {

// Field lengths of the ServiceNow dictionary (task.short_description 160,
// the plan and text fields 4000).
constexpr std::size_t kShortText = 160;
constexpr std::size_t kLongText = 4000;

void addReference(rapidjson::Value& refs, const char* field, const char* table, const std::string& name,
                  JsonAlloc& a) {
    if (name.empty()) return;
    rapidjson::Value r(rapidjson::kObjectType);
    putString(r, "table", table, a);
    putString(r, "name", cutText(name, 255), a);
    putValue(refs, field, std::move(r), a);
}

rapidjson::Value record(rapidjson::Value fields, rapidjson::Value refs, JsonAlloc& a) {
    rapidjson::Value r(rapidjson::kObjectType);
    putValue(r, "fields", std::move(fields), a);
    putValue(r, "references", std::move(refs), a);
    return r;
}

}  // namespace

std::string serviceNowPayload(const ChangeRequest& c, const ExportContext& ctx) {
    rapidjson::Document doc(rapidjson::kObjectType);
    auto& a = doc.GetAllocator();
    const auto risk = contextRisk(ctx);
    const int tier = highestCriticality(ctx);
    const int impact = tier <= 1 ? 1 : tier == 2 ? 2 : 3;
    const int urgency = c.type == ChangeType::Emergency ? 1 : c.type == ChangeType::Normal ? 2 : 3;
    const int priority = std::clamp(impact + urgency - 1, 1, 4);
    bool cabRequired = c.type != ChangeType::Standard &&
                       (risk == RiskLevel::High || risk == RiskLevel::VeryHigh);
    for (const auto& ap : c.approvals)
        if (ap.role == "cab_member") cabRequired = true;
    const auto services = impactedServices(ctx);

    // reason is a short choice field in ServiceNow: our free-text reason goes
    // into the justification, which is free text.
    std::string justification = c.justification;
    if (!c.reason.empty()) justification = "Reason: " + c.reason + (justification.empty() ? "" : "\n\n" + justification);

    rapidjson::Value cr(rapidjson::kObjectType);
    putString(cr, "short_description", cutText("[" + c.id + "] " + c.title, kShortText), a);
    putString(cr, "description", cutText(c.description, kLongText), a);
    putString(cr, "type", toString(c.type), a);
    putString(cr, "category", cutText(c.category, 40), a);
    putString(cr, "justification", cutText(justification, kLongText), a);
    putString(cr, "priority", std::to_string(priority), a);
    putString(cr, "risk", std::to_string(serviceNowRisk(risk)), a);
    putString(cr, "impact", std::to_string(impact), a);
    putString(cr, "urgency", std::to_string(urgency), a);
    putString(cr, "start_date", sqlTimeOrEmpty(c.plannedStart), a);
    putString(cr, "end_date", sqlTimeOrEmpty(c.plannedEnd), a);
    putString(cr, "implementation_plan", cutText(c.implementationPlan, kLongText), a);
    putString(cr, "backout_plan", cutText(c.rollbackPlan, kLongText), a);
    putString(cr, "test_plan", cutText(c.testPlan, kLongText), a);
    putString(cr, "cab_required", cabRequired ? "true" : "false", a);
    putString(cr, "cab_date", ctx.cabDate == 0 ? "" : formatSqlUtc(ctx.cabDate).substr(0, 10), a);
    putString(cr, "conflict_status",
              !ctx.conflictsChecked ? "Not Run" : ctx.hasConflicts ? "Conflict" : "No Conflict", a);
    putString(cr, "outside_maintenance_schedule", ctx.outsideMaintenanceWindow ? "true" : "false", a);
    putString(cr, "close_code", closeCode(c), a);
    putString(cr, "close_notes", cutText(c.closeNotes, kLongText), a);
    putString(cr, "review_comments", cutText(reviewComments(c), kLongText), a);
    putString(cr, "correlation_id", cutText(c.id, 100), a);
    putString(cr, "correlation_display", "planner", a);
    rapidjson::Value crRefs(rapidjson::kObjectType);
    addReference(crRefs, "assigned_to", "sys_user", c.implementer.empty() ? "" : personName(ctx, c.implementer), a);
    addReference(crRefs, "assignment_group", "sys_user_group", c.assignmentGroup, a);
    addReference(crRefs, "requested_by", "sys_user", c.requester.empty() ? "" : personName(ctx, c.requester), a);
    addReference(crRefs, "cmdb_ci", "cmdb_ci", c.affectedCis.empty() ? "" : ciName(ctx, c.affectedCis.front()), a);
    addReference(crRefs, "business_service", "cmdb_ci_service",
                 services.empty() ? "" : ciName(ctx, services.front()->id), a);
    addReference(crRefs, "chg_model", "chg_model", c.model, a);

    rapidjson::Value taskCis(rapidjson::kArrayType);
    for (const auto& id : c.affectedCis) {
        rapidjson::Value refs(rapidjson::kObjectType);
        addReference(refs, "ci_item", "cmdb_ci", ciName(ctx, id), a);
        taskCis.PushBack(record(rapidjson::Value(rapidjson::kObjectType), std::move(refs), a), a);
    }

    rapidjson::Value tasks(rapidjson::kArrayType);
    const auto times = plannedTaskTimes(c);
    for (std::size_t i = 0; i < c.steps.size(); ++i) {
        const Step& s = c.steps[i];
        std::string description = s.description;
        auto addPart = [&](const std::string& part) { description += (description.empty() ? "" : "\n\n") + part; };
        if (!s.verification.empty()) addPart("Verification: " + s.verification);
        if (!s.rollback.empty())
            addPart("Rollback: " + s.rollback);
        else if (!s.noRollbackReason.empty())
            addPart("No rollback: " + s.noRollbackReason);
        rapidjson::Value t(rapidjson::kObjectType);
        putString(t, "short_description", cutText(s.title, kShortText), a);
        putString(t, "description", cutText(description, kLongText), a);
        putString(t, "change_task_type", "implementation", a);
        putString(t, "order", std::to_string((i + 1) * 100), a);
        putString(t, "planned_start_date", sqlTimeOrEmpty(times[i].start), a);
        putString(t, "planned_end_date", sqlTimeOrEmpty(times[i].end), a);
        putString(t, "correlation_id", cutText(c.id + "/" + s.id, 100), a);
        rapidjson::Value refs(rapidjson::kObjectType);
        addReference(refs, "assigned_to", "sys_user", s.owner.empty() ? "" : personName(ctx, s.owner), a);
        addReference(refs, "cmdb_ci", "cmdb_ci", s.ci.empty() ? "" : ciName(ctx, s.ci), a);
        tasks.PushBack(record(std::move(t), std::move(refs), a), a);
    }

    rapidjson::Value moves(rapidjson::kArrayType);
    for (int st : serviceNowStateMoves(c.type, c.state)) {
        rapidjson::Value m(rapidjson::kObjectType);
        putString(m, "state", std::to_string(st), a);
        moves.PushBack(m, a);
    }
    putString(doc, "format", "planner.servicenow", a);
    putInt(doc, "format_version", 2, a);
    putString(doc, "change_id", c.id, a);
    putValue(doc, "change_request", record(std::move(cr), std::move(crRefs), a), a);
    putValue(doc, "task_ci", std::move(taskCis), a);
    putValue(doc, "change_task", std::move(tasks), a);
    putValue(doc, "state_moves", std::move(moves), a);
    putValue(doc, "work_note", rapidjson::Value(rapidjson::kNullType), a);  // withSignedApprovals
    return canonicalJson(doc);
}

}  // namespace planner::core::io
