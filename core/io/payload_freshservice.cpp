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

std::string htmlText(const std::string& text) { return text.empty() ? std::string() : "<div>" + escapeHtml(text) + "</div>"; }

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

std::string freshservicePayload(const ChangeRequest& c, const ExportContext& ctx) {
    rapidjson::Document doc(rapidjson::kObjectType);
    auto& a = doc.GetAllocator();
    const auto risk = contextRisk(ctx);
    const int tier = highestCriticality(ctx);
    const int impact = tier <= 1 ? 3 : tier == 2 ? 2 : 1;
    const int priority = c.type == ChangeType::Emergency ? 4 : impact;
    int riskCode = 2;
    if (risk) riskCode = static_cast<int>(*risk) + 1;  // Low 1, Moderate 2, High 3, VeryHigh 4

    std::string description = htmlText(c.description);
    if (!c.affectedCis.empty()) {
        description += "<div>Affected CIs:</div><ul>";
        for (const auto& id : c.affectedCis) {
            const ConfigItem* ci = ctx.findCi(id);
            description += "<li>" + escapeHtml(ci && !ci->name.empty() ? ci->name + " (" + id + ")" : id) + "</li>";
        }
        description += "</ul>";
    }
    std::string reason = htmlText(c.reason);
    if (!c.justification.empty()) reason += htmlText(c.justification);
    std::string impactText = htmlText(c.impact);
    for (const ConfigItem* s : impactedServices(ctx)) impactText += htmlText("Impacted service: " + s->name);

    putString(doc, "subject", "[" + c.id + "] " + c.title, a);
    putString(doc, "description", description.empty() ? "<div></div>" : description, a);
    putInt(doc, "status", freshserviceStatus(c.state), a);
    putInt(doc, "priority", priority, a);
    putInt(doc, "impact", impact, a);
    putInt(doc, "risk", riskCode, a);
    putInt(doc, "change_type", freshserviceChangeType(c.type, risk), a);
    putValue(doc, "planned_start_date",
             c.plannedStart == 0 ? rapidjson::Value(rapidjson::kNullType) : jsonString(formatIsoUtc(c.plannedStart), a), a);
    putValue(doc, "planned_end_date",
             c.plannedEnd == 0 ? rapidjson::Value(rapidjson::kNullType) : jsonString(formatIsoUtc(c.plannedEnd), a), a);
    rapidjson::Value planning(rapidjson::kObjectType);
    putValue(planning, "reason_for_change", described(reason, a), a);
    putValue(planning, "change_impact", described(impactText, a), a);
    putValue(planning, "rollout_plan", described(htmlText(c.implementationPlan), a), a);
    putValue(planning, "backout_plan", described(htmlText(c.rollbackPlan), a), a);
    putValue(doc, "planning_fields", std::move(planning), a);
    return canonicalJson(doc);
}

}  // namespace planner::core::io
