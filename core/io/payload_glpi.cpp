#include "io/payload_glpi.hpp"

#include "io/canonical_json.hpp"
#include "io/export_json.hpp"
#include "io/export_text.hpp"

namespace planner::core::io {

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

Result<std::string> glpiPayload(const ChangeRequest& c, const ExportContext& ctx) {
    if (auto st = requireTicketingSettings(TicketingSystem::Glpi, ctx.site); !st) return st.error();
    rapidjson::Document doc(rapidjson::kObjectType);
    auto& a = doc.GetAllocator();
    const int tier = highestCriticality(ctx);
    const int impact = 6 - tier;  // tier 1 -> 5 very high ... tier 4 -> 2 low
    const int urgency = c.type == ChangeType::Emergency ? 5 : c.type == ChangeType::Normal ? 3 : 2;
    const int priority = (impact + urgency + 1) / 2;

    std::string impactContent = htmlParagraphs(c.impact);
    for (const ConfigItem* s : impactedServices(ctx))
        impactContent += htmlParagraphs("Impacted service: " + s->name + " (" + s->id + ")");

    std::string checklist;
    for (const auto& s : c.steps)
        if (!s.verification.empty()) checklist += "<li>" + escapeHtml(s.title + ": " + s.verification) + "</li>";
    if (!checklist.empty()) checklist = "<ul>" + checklist + "</ul>";

    rapidjson::Value change(rapidjson::kObjectType);
    putString(change, "name", cutText("[" + c.id + "] " + c.title, 255), a);
    std::string content = htmlParagraphs(c.description);
    if (!c.reason.empty()) content += htmlParagraphs("Reason: " + c.reason);
    if (!c.justification.empty()) content += htmlParagraphs("Justification: " + c.justification);
    if (content.empty()) content = htmlParagraphs("Change " + c.id);
    putString(change, "content", content, a);
    putInt(change, "entities_id", *ctx.site.glpiEntityId, a);
    putInt(change, "status", glpiStatus(c.state), a);
    putInt(change, "urgency", urgency, a);
    putInt(change, "impact", impact, a);
    putInt(change, "priority", priority, a);
    if (c.createdAt) putString(change, "date", formatSqlUtc(c.createdAt), a);
    if (c.plannedEnd) putString(change, "time_to_resolve", formatSqlUtc(c.plannedEnd), a);
    putString(change, "impactcontent", impactContent, a);
    putString(change, "controlistcontent", htmlParagraphs(c.testPlan), a);
    putString(change, "rolloutplancontent", htmlParagraphs(c.implementationPlan), a);
    putString(change, "backoutplancontent", htmlParagraphs(c.rollbackPlan), a);
    putString(change, "checklistcontent", checklist, a);
    rapidjson::Value changeBody(rapidjson::kObjectType);
    putValue(changeBody, "input", std::move(change), a);

    rapidjson::Value items(rapidjson::kArrayType);
    for (const auto& id : c.affectedCis) {
        const ConfigItem* ci = ctx.findCi(id);
        rapidjson::Value it(rapidjson::kObjectType);
        putString(it, "itemtype", glpiItemType(ci ? ci->type : ""), a);
        putString(it, "name", cutText(ci && !ci->name.empty() ? ci->name : id, 255), a);
        items.PushBack(it, a);
    }

    const auto times = plannedTaskTimes(c);
    const bool done = c.state == ChangeState::Completed || c.state == ChangeState::Reviewed ||
                      c.state == ChangeState::Closed;
    rapidjson::Value tasks(rapidjson::kArrayType);
    for (std::size_t i = 0; i < c.steps.size(); ++i) {
        const Step& s = c.steps[i];
        std::string text = htmlParagraphs(s.title) + htmlParagraphs(s.description);
        if (!s.rollback.empty()) text += htmlParagraphs("Rollback: " + s.rollback);
        else if (!s.noRollbackReason.empty()) text += htmlParagraphs("No rollback: " + s.noRollbackReason);
        if (text.empty()) text = htmlParagraphs("Step " + s.id);
        rapidjson::Value t(rapidjson::kObjectType);
        putString(t, "content", text, a);
        if (times[i].start) {
            putString(t, "begin", formatSqlUtc(times[i].start), a);
            putString(t, "end", formatSqlUtc(times[i].end), a);
        }
        putInt(t, "state", done ? 2 : 1, a);
        putInt(t, "actiontime", std::int64_t{std::max(s.duration, 0)} * 60, a);
        tasks.PushBack(t, a);
    }
    rapidjson::Value tasksBody(rapidjson::kObjectType);
    putValue(tasksBody, "input", std::move(tasks), a);

    putString(doc, "format", "planner.glpi", a);
    putInt(doc, "format_version", 2, a);
    putString(doc, "change_id", c.id, a);
    putValue(doc, "Change", std::move(changeBody), a);
    putValue(doc, "Change_Item", std::move(items), a);
    putValue(doc, "ChangeTask", std::move(tasksBody), a);
    putValue(doc, "ChangeValidation", rapidjson::Value(rapidjson::kArrayType), a);  // withSignedApprovals
    putValue(doc, "ITILFollowup", rapidjson::Value(rapidjson::kNullType), a);
    return canonicalJson(doc);
}

}  // namespace planner::core::io
