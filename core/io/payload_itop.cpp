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

std::string htmlParagraphs(const std::string& text) {
    return text.empty() ? std::string() : "<p>" + escapeHtml(text) + "</p>";
}

}  // namespace

const char* iTopChangeClass(ChangeType type) {
    switch (type) {
        case ChangeType::Standard: return "RoutineChange";
        case ChangeType::Normal: return "NormalChange";
        case ChangeType::Emergency: return "EmergencyChange";
    }
    return "NormalChange";
}

std::string iTopPayload(const ChangeRequest& c, const ExportContext& ctx) {
    rapidjson::Document doc(rapidjson::kObjectType);
    auto& a = doc.GetAllocator();

    rapidjson::Value fields(rapidjson::kObjectType);
    putValue(fields, "org_id", keySpec("name", ctx.organization, a), a);
    putString(fields, "title", c.title, a);
    std::string description = htmlParagraphs(c.description);
    if (!c.reason.empty()) description += "<p><b>Reason:</b> " + escapeHtml(c.reason) + "</p>";
    if (!c.justification.empty()) description += "<p><b>Justification:</b> " + escapeHtml(c.justification) + "</p>";
    if (!c.implementationPlan.empty())
        description += "<p><b>Implementation plan:</b></p>" + htmlParagraphs(c.implementationPlan);
    if (!c.testPlan.empty()) description += "<p><b>Test plan:</b></p>" + htmlParagraphs(c.testPlan);
    putString(fields, "description", description, a);
    putString(fields, "fallback", c.rollbackPlan, a);
    putString(fields, "impact", c.impact, a);
    putString(fields, "outage", ctx.outageExpected ? "yes" : "no", a);
    putString(fields, "start_date", c.plannedStart == 0 ? "" : formatSqlUtc(c.plannedStart), a);
    putString(fields, "end_date", c.plannedEnd == 0 ? "" : formatSqlUtc(c.plannedEnd), a);
    if (const Person* p = ctx.findPerson(c.requester); p && !p->email.empty())
        putValue(fields, "caller_id", keySpec("email", p->email, a), a);
    if (!c.assignmentGroup.empty()) putValue(fields, "team_id", keySpec("name", c.assignmentGroup, a), a);
    if (const Person* p = ctx.findPerson(c.implementer); p && !p->email.empty())
        putValue(fields, "agent_id", keySpec("email", p->email, a), a);

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

    putString(doc, "operation", "core/create", a);
    putString(doc, "class", iTopChangeClass(c.type), a);
    putString(doc, "comment", "Change " + c.id + " exported by the change planner", a);
    putString(doc, "output_fields", "id,friendlyname,status", a);
    putValue(doc, "fields", std::move(fields), a);
    return canonicalJson(doc);
}

}  // namespace planner::core::io
