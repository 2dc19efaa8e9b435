#include "io/payload_freshservice.hpp"

#include "io/canonical_json.hpp"
#include "io/export_json.hpp"
#include "io/export_text.hpp"

namespace planner::core::io {
namespace {

rapidjson::Value described(const std::string& html, JsonAlloc& a) {
    rapidjson::Value o(rapidjson::kObjectType);
    putString(o, "description", html, a);
    return o;
}

}  // namespace

int freshserviceStatus(ChangeState s) {
    switch (s) {
        case ChangeState::Draft: return 1;
        case ChangeState::Submitted: return 2;
        case ChangeState::Assessed: return 3;
        case ChangeState::Authorized:
        case ChangeState::Scheduled:
        case ChangeState::Implementing: return 4;
        case ChangeState::Completed:
        case ChangeState::Failed:
        case ChangeState::RolledBack:
        case ChangeState::Reviewed: return 5;
        case ChangeState::Closed:
        case ChangeState::Cancelled:
        case ChangeState::Rejected: return 6;
    }
    return 1;
}

int freshserviceChangeType(ChangeType type, std::optional<RiskLevel> risk) {
    switch (type) {
        case ChangeType::Standard: return 2;
        case ChangeType::Emergency: return 4;
        case ChangeType::Normal: return risk == RiskLevel::High || risk == RiskLevel::VeryHigh ? 3 : 1;
    }
    return 1;
}

Result<std::string> freshservicePayload(const ChangeRequest& c, const ExportContext& ctx) {
    if (auto st = requireTicketingSettings(TicketingSystem::Freshservice, ctx.site); !st) return st.error();
    rapidjson::Document doc(rapidjson::kObjectType);
    auto& a = doc.GetAllocator();
    const auto risk = contextRisk(ctx);
    const int tier = highestCriticality(ctx);
    const int impact = tier <= 1 ? 3 : tier == 2 ? 2 : 1;
    const int priority = c.type == ChangeType::Emergency ? 4 : impact;
    int riskCode = 2;
    if (risk) riskCode = static_cast<int>(*risk) + 1;  // Low 1, Moderate 2, High 3, VeryHigh 4

    std::string description = htmlParagraphs(c.description);
    if (!c.affectedCis.empty()) {
        description += "<p>Affected CIs:</p><ul>";
        for (const auto& id : c.affectedCis) {
            const ConfigItem* ci = ctx.findCi(id);
            description += "<li>" + escapeHtml(ci && !ci->name.empty() ? ci->name + " (" + id + ")" : id) + "</li>";
        }
        description += "</ul>";
    }
    if (description.empty()) description = htmlParagraphs("Change " + c.id);
    std::string reason = htmlParagraphs(c.reason) + htmlParagraphs(c.justification);
    std::string impactText = htmlParagraphs(c.impact);
    for (const ConfigItem* s : impactedServices(ctx)) impactText += htmlParagraphs("Impacted service: " + s->name);

    rapidjson::Value create(rapidjson::kObjectType);
    putInt(create, "requester_id", *ctx.site.freshserviceRequesterId, a);
    putString(create, "subject", cutText("[" + c.id + "] " + c.title, 255), a);
    putString(create, "description", description, a);
    putInt(create, "status", freshserviceStatus(c.state), a);
    putInt(create, "priority", priority, a);
    putInt(create, "impact", impact, a);
    putInt(create, "risk", riskCode, a);
    putInt(create, "change_type", freshserviceChangeType(c.type, risk), a);
    if (c.plannedStart) putString(create, "planned_start_date", formatIsoUtc(c.plannedStart), a);
    if (c.plannedEnd) putString(create, "planned_end_date", formatIsoUtc(c.plannedEnd), a);

    rapidjson::Value planning(rapidjson::kObjectType);
    auto plan = [&](const char* key, const std::string& html) {
        if (!html.empty()) putValue(planning, key, described(html, a), a);
    };
    plan("reason_for_change", reason);
    plan("change_impact", impactText);
    plan("rollout_plan", htmlParagraphs(c.implementationPlan));
    plan("backout_plan", htmlParagraphs(c.rollbackPlan));
    rapidjson::Value update(rapidjson::kObjectType);
    putValue(update, "planning_fields", std::move(planning), a);

    putString(doc, "format", "planner.freshservice", a);
    putInt(doc, "format_version", 2, a);
    putString(doc, "change_id", c.id, a);
    putValue(doc, "create", std::move(create), a);
    putValue(doc, "update", std::move(update), a);
    putValue(doc, "note", rapidjson::Value(rapidjson::kNullType), a);  // withSignedApprovals
    return canonicalJson(doc);
}

}  // namespace planner::core::io
