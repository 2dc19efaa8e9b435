#include "io/payload_glpi.hpp"

#include "io/canonical_json.hpp"
#include "io/export_json.hpp"
#include "io/export_text.hpp"

namespace planner::core::io {
namespace {

std::string sqlTimeOrEmpty(TimeUtc t) { return t == 0 ? std::string() : formatSqlUtc(t); }

// GLPI CommonITILValidation status: 1 none, 2 waiting, 3 accepted, 4 refused.
int globalValidation(const ChangeRequest& c) {
    bool approved = false;
    for (const auto& ap : c.approvals) {
        if (ap.decision == Decision::Reject) return 4;
        approved = true;
    }
    if (approved) return 3;
    return c.state == ChangeState::Submitted || c.state == ChangeState::Assessed ? 2 : 1;
}

std::string bulletList(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += "- " + l + "\n";
    return out;
}

}  // namespace

int glpiStatus(ChangeState s) {
    switch (s) {
        case ChangeState::Draft: return 1;
        case ChangeState::Submitted: return 9;
        case ChangeState::Assessed: return 10;
        case ChangeState::Authorized:
        case ChangeState::Scheduled: return 7;
        case ChangeState::Implementing: return 11;
        case ChangeState::Completed: return 5;
        case ChangeState::Failed:
        case ChangeState::RolledBack:
        case ChangeState::Reviewed: return 8;
        case ChangeState::Closed: return 6;
        case ChangeState::Cancelled: return 14;
        case ChangeState::Rejected: return 13;
    }
    return 1;
}

std::string glpiItemType(const std::string& t) {
    if (t == "server" || t == "host" || t == "computer" || t == "virtual_machine") return "Computer";
    if (t == "network" || t == "router" || t == "switch" || t == "firewall" || t == "load_balancer")
        return "NetworkEquipment";
    if (t == "database") return "DatabaseInstance";
    if (t == "application" || t == "software") return "Software";
    if (t == "storage") return "Peripheral";
    return "Appliance";
}

std::string glpiPayload(const ChangeRequest& c, const ExportContext& ctx) {
    rapidjson::Document doc(rapidjson::kObjectType);
    auto& a = doc.GetAllocator();
    const int tier = highestCriticality(ctx);
    const int impact = 6 - tier;  // tier 1 -> 5 very high ... tier 4 -> 2 low
    const int urgency = c.type == ChangeType::Emergency ? 5 : c.type == ChangeType::Normal ? 3 : 2;
    const int priority = (impact + urgency + 1) / 2;

    std::vector<std::string> impactLines;
    if (!c.impact.empty()) impactLines.push_back(c.impact);
    for (const ConfigItem* s : impactedServices(ctx)) impactLines.push_back("Impacted service: " + s->name + " (" + s->id + ")");
    std::string impactContent;
    for (const auto& l : impactLines) impactContent += l + "\n";

    std::vector<std::string> checks;
    for (const auto& s : c.steps)
        if (!s.verification.empty()) checks.push_back(s.title + ": " + s.verification);

    rapidjson::Value change(rapidjson::kObjectType);
    putString(change, "name", c.title, a);
    std::string content = c.description;
    if (!c.reason.empty()) content += "\n\nReason: " + c.reason;
    if (!c.justification.empty()) content += "\n\nJustification: " + c.justification;
    putString(change, "content", content, a);
    putInt(change, "status", glpiStatus(c.state), a);
    putInt(change, "urgency", urgency, a);
    putInt(change, "impact", impact, a);
    putInt(change, "priority", priority, a);
    putInt(change, "itilcategories_id", 0, a);
    putString(change, "date", sqlTimeOrEmpty(c.createdAt), a);
    putString(change, "time_to_resolve", sqlTimeOrEmpty(c.plannedEnd), a);
    putString(change, "impactcontent", impactContent, a);
    putString(change, "controlistcontent", c.testPlan, a);
    putString(change, "rolloutplancontent", c.implementationPlan, a);
    putString(change, "backoutplancontent", c.rollbackPlan, a);
    putString(change, "checklistcontent", bulletList(checks), a);
    putInt(change, "global_validation", globalValidation(c), a);
    putString(change, "_planner_change_id", c.id, a);
    putString(change, "_planner_category", c.category, a);
    rapidjson::Value changeBody(rapidjson::kObjectType);
    putValue(changeBody, "input", std::move(change), a);

    rapidjson::Value items(rapidjson::kArrayType);
    for (const auto& id : c.affectedCis) {
        const ConfigItem* ci = ctx.findCi(id);
        rapidjson::Value it(rapidjson::kObjectType);
        putInt(it, "changes_id", 0, a);
        putString(it, "itemtype", glpiItemType(ci ? ci->type : ""), a);
        putInt(it, "items_id", 0, a);
        putString(it, "_planner_ci_id", id, a);
        putString(it, "_planner_ci_name", ci ? ci->name : id, a);
        items.PushBack(it, a);
    }
    rapidjson::Value itemsBody(rapidjson::kObjectType);
    putValue(itemsBody, "input", std::move(items), a);

    const auto timing = stepSchedule(c);
    const bool done = c.state == ChangeState::Completed || c.state == ChangeState::Reviewed ||
                      c.state == ChangeState::Closed;
    rapidjson::Value tasks(rapidjson::kArrayType);
    for (std::size_t i = 0; i < c.steps.size(); ++i) {
        const Step& s = c.steps[i];
        std::string text = s.title;
        if (!s.description.empty()) text += "\n" + s.description;
        if (!s.rollback.empty()) text += "\nRollback: " + s.rollback;
        else if (!s.noRollbackReason.empty()) text += "\nNo rollback: " + s.noRollbackReason;
        rapidjson::Value t(rapidjson::kObjectType);
        putInt(t, "changes_id", 0, a);
        putString(t, "content", text, a);
        const bool planned = c.plannedStart != 0;
        putString(t, "begin", planned ? formatSqlUtc(c.plannedStart + TimeUtc{timing[i].start} * 60) : "", a);
        putString(t, "end", planned ? formatSqlUtc(c.plannedStart + TimeUtc{timing[i].end} * 60) : "", a);
        putInt(t, "state", done ? 2 : 1, a);
        putInt(t, "actiontime", std::int64_t{s.duration} * 60, a);
        putString(t, "_planner_step_id", s.id, a);
        putString(t, "_planner_owner", s.owner.empty() ? "" : personName(ctx, s.owner), a);
        tasks.PushBack(t, a);
    }
    rapidjson::Value tasksBody(rapidjson::kObjectType);
    putValue(tasksBody, "input", std::move(tasks), a);

    rapidjson::Value validations(rapidjson::kArrayType);
    for (const auto& ap : c.approvals) {
        rapidjson::Value v(rapidjson::kObjectType);
        putInt(v, "changes_id", 0, a);
        putInt(v, "users_id_validate", 0, a);
        putInt(v, "status", ap.decision == Decision::Approve ? 3 : 4, a);
        putString(v, "comment_submission", "Approval as " + ap.role, a);
        putString(v, "comment_validation", ap.comment, a);
        putString(v, "validation_date", sqlTimeOrEmpty(ap.at), a);
        putString(v, "_planner_approver", personName(ctx, ap.approver), a);
        putString(v, "_planner_key_id", ap.keyId, a);
        validations.PushBack(v, a);
    }
    rapidjson::Value validationsBody(rapidjson::kObjectType);
    putValue(validationsBody, "input", std::move(validations), a);

    putString(doc, "format", "planner.glpi", a);
    putInt(doc, "format_version", 1, a);
    putString(doc, "change_id", c.id, a);
    putValue(doc, "Change", std::move(changeBody), a);
    putValue(doc, "Change_Item", std::move(itemsBody), a);
    putValue(doc, "ChangeTask", std::move(tasksBody), a);
    putValue(doc, "ChangeValidation", std::move(validationsBody), a);
    return canonicalJson(doc);
}

}  // namespace planner::core::io
