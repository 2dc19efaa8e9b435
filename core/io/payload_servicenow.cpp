#include "io/payload_servicenow.hpp"

#include <algorithm>

#include "io/canonical_json.hpp"
#include "io/export_json.hpp"
#include "io/export_text.hpp"

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

    rapidjson::Value cr(rapidjson::kObjectType);
    putString(cr, "short_description", c.title, a);
    putString(cr, "description", c.description, a);
    putString(cr, "type", toString(c.type), a);
    putString(cr, "chg_model", c.model, a);
    putString(cr, "category", c.category, a);
    putString(cr, "justification", c.justification, a);
    putString(cr, "reason", c.reason, a);
    putString(cr, "state", std::to_string(serviceNowState(c.state)), a);
    putString(cr, "priority", std::to_string(priority), a);
    putString(cr, "risk", std::to_string(serviceNowRisk(risk)), a);
    putString(cr, "impact", std::to_string(impact), a);
    putString(cr, "urgency", std::to_string(urgency), a);
    putString(cr, "assigned_to", c.implementer.empty() ? "" : personName(ctx, c.implementer), a);
    putString(cr, "assignment_group", c.assignmentGroup, a);
    putString(cr, "requested_by", c.requester.empty() ? "" : personName(ctx, c.requester), a);
    putString(cr, "start_date", sqlTimeOrEmpty(c.plannedStart), a);
    putString(cr, "end_date", sqlTimeOrEmpty(c.plannedEnd), a);
    putString(cr, "cmdb_ci", c.affectedCis.empty() ? "" : ciName(ctx, c.affectedCis.front()), a);
    putString(cr, "business_service", services.empty() ? "" : ciName(ctx, services.front()->id), a);
    putString(cr, "implementation_plan", c.implementationPlan, a);
    putString(cr, "backout_plan", c.rollbackPlan, a);
    putString(cr, "test_plan", c.testPlan, a);
    putString(cr, "cab_required", cabRequired ? "true" : "false", a);
    putString(cr, "cab_date", ctx.cabDate == 0 ? "" : formatSqlUtc(ctx.cabDate).substr(0, 10), a);
    putString(cr, "conflict_status",
              !ctx.conflictsChecked ? "Not Run" : ctx.hasConflicts ? "Conflict" : "No Conflict", a);
    putString(cr, "outside_maintenance_schedule", ctx.outsideMaintenanceWindow ? "true" : "false", a);
    putString(cr, "close_code", closeCode(c), a);
    putString(cr, "close_notes", c.closeNotes, a);
    putString(cr, "review_comments", reviewComments(c), a);
    putString(cr, "correlation_id", c.id, a);
    putString(cr, "correlation_display", "planner", a);

    rapidjson::Value taskCis(rapidjson::kArrayType);
    for (const auto& id : c.affectedCis) {
        rapidjson::Value t(rapidjson::kObjectType);
        putString(t, "ci_item", ciName(ctx, id), a);
        taskCis.PushBack(t, a);
    }

    rapidjson::Value tasks(rapidjson::kArrayType);
    const auto timing = stepSchedule(c);
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
        putString(t, "short_description", s.title, a);
        putString(t, "description", description, a);
        putString(t, "change_task_type", "implementation", a);
        putString(t, "order", std::to_string((i + 1) * 100), a);
        putString(t, "assigned_to", s.owner.empty() ? "" : personName(ctx, s.owner), a);
        putString(t, "cmdb_ci", s.ci.empty() ? "" : ciName(ctx, s.ci), a);
        const bool planned = c.plannedStart != 0;
        putString(t, "planned_start_date",
                  planned ? formatSqlUtc(c.plannedStart + TimeUtc{timing[i].start} * 60) : "", a);
        putString(t, "planned_end_date", planned ? formatSqlUtc(c.plannedStart + TimeUtc{timing[i].end} * 60) : "",
                  a);
        putString(t, "correlation_id", c.id + "/" + s.id, a);
        tasks.PushBack(t, a);
    }

    putString(doc, "format", "planner.servicenow", a);
    putInt(doc, "format_version", 1, a);
    putString(doc, "change_id", c.id, a);
    putValue(doc, "change_request", std::move(cr), a);
    putValue(doc, "task_ci", std::move(taskCis), a);
    putValue(doc, "change_task", std::move(tasks), a);
    return canonicalJson(doc);
}

}  // namespace planner::core::io
