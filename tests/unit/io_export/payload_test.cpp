#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "export_fixture.hpp"
#include "io/canonical_json.hpp"
#include "io/export_text.hpp"
#include "io/payload_approvals.hpp"
#include "io/payload_freshservice.hpp"
#include "io/payload_glpi.hpp"
#include "io/payload_itop.hpp"
#include "io/payload_jira.hpp"
#include "io/payload_servicenow.hpp"

using namespace planner::core;
using namespace planner::core::io;
using namespace planner::core::io::testing;

namespace {

enum class T { Str, Int, Bool, Obj, Arr };

bool hasType(const rapidjson::Value& v, T t) {
    switch (t) {
        case T::Str: return v.IsString();
        case T::Int: return v.IsInt64();
        case T::Bool: return v.IsBool();
        case T::Obj: return v.IsObject();
        case T::Arr: return v.IsArray();
    }
    return false;
}

void expectFields(const rapidjson::Value& obj, const std::vector<std::pair<const char*, T>>& fields,
                  const char* where) {
    ASSERT_TRUE(obj.IsObject()) << where;
    for (const auto& [key, type] : fields) {
        auto it = obj.FindMember(key);
        ASSERT_NE(it, obj.MemberEnd()) << where << ": missing " << key;
        EXPECT_TRUE(hasType(it->value, type)) << where << ": wrong type of " << key;
    }
}

std::string str(const rapidjson::Value& obj, const char* key) {
    auto it = obj.FindMember(key);
    return it != obj.MemberEnd() && it->value.IsString() ? it->value.GetString() : "<missing>";
}

std::int64_t num(const rapidjson::Value& obj, const char* key) {
    auto it = obj.FindMember(key);
    return it != obj.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : -999;
}

void expectCanonical(const std::string& text) {
    auto canon = canonicalizeJson(text, "payload");
    ASSERT_TRUE(canon.ok()) << canon.error().toString();
    EXPECT_EQ(*canon, text);
}

JiraMapping sampleMapping() {
    auto m = parseJiraMapping(readTextFile(std::string(PLANNER_TEST_DATA_DIR) + "/export/jira_mapping.json"),
                              "jira_mapping.json");
    EXPECT_TRUE(m.ok()) << m.error().toString();
    return m.ok() ? *m : JiraMapping{};
}

}  // namespace

// ---- ServiceNow -------------------------------------------------------------

TEST(ServiceNowPayload, ChangeRequestIsCreatedInNewWithValuesAndReferences) {
    const std::string text = serviceNowPayload(sampleChange(), sampleContext());
    expectCanonical(text);
    auto d = parseJson(text);
    ASSERT_TRUE(d.IsObject());
    EXPECT_EQ(str(d, "format"), "planner.servicenow");
    EXPECT_EQ(num(d, "format_version"), 2);
    const auto& cr = d["change_request"]["fields"];
    std::vector<std::pair<const char*, T>> fields;
    for (const char* k : {"short_description", "description", "type", "category", "justification", "priority", "risk",
                          "impact", "urgency", "start_date", "end_date", "implementation_plan", "backout_plan",
                          "test_plan", "cab_required", "cab_date", "conflict_status", "outside_maintenance_schedule",
                          "close_code", "close_notes", "review_comments", "correlation_id"})
        fields.emplace_back(k, T::Str);
    expectFields(cr, fields, "change_request");
    // Created in New: the change model moves the state, one allowed step at a time.
    EXPECT_FALSE(cr.HasMember("state"));
    // reason is a short choice field: the free-text reason goes into the justification.
    EXPECT_FALSE(cr.HasMember("reason"));
    EXPECT_EQ(str(cr, "justification").rfind("Reason: Version 12 reaches end of life.", 0), 0u);
    EXPECT_EQ(str(cr, "type"), "normal");
    EXPECT_EQ(str(cr, "risk"), "2");
    EXPECT_EQ(str(cr, "impact"), "1");
    EXPECT_EQ(str(cr, "urgency"), "2");
    EXPECT_EQ(str(cr, "priority"), "2");
    EXPECT_EQ(str(cr, "start_date"), "2026-11-23 02:00:00");
    EXPECT_EQ(str(cr, "end_date"), "2026-11-23 06:00:00");
    EXPECT_EQ(str(cr, "backout_plan"), "Fail over to the untouched replica.");
    EXPECT_EQ(str(cr, "cab_required"), "true");
    EXPECT_EQ(str(cr, "conflict_status"), "No Conflict");
    // Reference fields name the record the poster resolves to a sys_id.
    const auto& refs = d["change_request"]["references"];
    EXPECT_EQ(str(refs["assigned_to"], "table"), "sys_user");
    EXPECT_EQ(str(refs["assigned_to"], "name"), "Carol Cruz");
    EXPECT_EQ(str(refs["cmdb_ci"], "name"), "Orders DB");
    EXPECT_EQ(str(refs["business_service"], "table"), "cmdb_ci_service");
    EXPECT_EQ(str(refs["business_service"], "name"), "Online shop");
    EXPECT_EQ(str(refs["chg_model"], "name"), "db-major-upgrade");
    for (const auto& m : refs.GetObject()) EXPECT_FALSE(cr.HasMember(m.name)) << m.name.GetString();
    // The bundle's state (scheduled) is reached through Assess, Authorize, Scheduled.
    const auto& moves = d["state_moves"];
    ASSERT_EQ(moves.Size(), 3u);
    EXPECT_EQ(str(moves[0], "state"), "-4");
    EXPECT_EQ(str(moves[2], "state"), "-2");
    EXPECT_TRUE(d["work_note"].IsNull());
}

TEST(ServiceNowPayload, TaskCisAndTasksInsideThePlannedWindow) {
    ChangeRequest c = sampleChange();
    c.steps[1].duration = 600;  // longer than the 4-hour window
    const auto d = parseJson(serviceNowPayload(c, sampleContext()));
    const auto& cis = d["task_ci"];
    ASSERT_EQ(cis.Size(), 2u);
    EXPECT_EQ(str(cis[0]["references"]["ci_item"], "name"), "Orders DB");
    EXPECT_EQ(str(cis[1]["references"]["ci_item"], "table"), "cmdb_ci");
    const auto& tasks = d["change_task"];
    ASSERT_EQ(tasks.Size(), 3u);
    for (const auto& t : tasks.GetArray()) {
        expectFields(t["fields"],
                     {{"short_description", T::Str}, {"description", T::Str}, {"change_task_type", T::Str},
                      {"planned_start_date", T::Str}, {"planned_end_date", T::Str}, {"order", T::Str}},
                     "change_task");
        EXPECT_GE(str(t["fields"], "planned_start_date"), "2026-11-23 02:00:00");
        EXPECT_LE(str(t["fields"], "planned_end_date"), "2026-11-23 06:00:00");
    }
    EXPECT_EQ(str(tasks[1]["fields"], "planned_start_date"), "2026-11-23 02:10:00");
    EXPECT_EQ(str(tasks[1]["fields"], "planned_end_date"), "2026-11-23 06:00:00");  // cut at the planned end
    EXPECT_NE(str(tasks[1]["fields"], "description").find("No rollback: mitigation"), std::string::npos);
    EXPECT_EQ(str(tasks[1]["references"]["assigned_to"], "name"), "Carol Cruz");
}

TEST(ServiceNowPayload, StateMovesFollowEachChangeModel) {
    const std::pair<ChangeState, int> states[] = {
        {ChangeState::Draft, -5},       {ChangeState::Submitted, -4},  {ChangeState::Assessed, -3},
        {ChangeState::Authorized, -2},  {ChangeState::Scheduled, -2},  {ChangeState::Implementing, -1},
        {ChangeState::Completed, 0},    {ChangeState::Failed, 0},      {ChangeState::RolledBack, 0},
        {ChangeState::Reviewed, 0},     {ChangeState::Closed, 3},      {ChangeState::Cancelled, 4},
        {ChangeState::Rejected, 4}};
    for (const auto& [s, code] : states) EXPECT_EQ(serviceNowState(s), code) << toString(s);
    EXPECT_EQ(serviceNowStateMoves(ChangeType::Normal, ChangeState::Draft), std::vector<int>{});
    EXPECT_EQ(serviceNowStateMoves(ChangeType::Normal, ChangeState::Assessed), (std::vector<int>{-4, -3}));
    EXPECT_EQ(serviceNowStateMoves(ChangeType::Emergency, ChangeState::Scheduled), (std::vector<int>{-3, -2}));
    EXPECT_EQ(serviceNowStateMoves(ChangeType::Standard, ChangeState::Assessed), std::vector<int>{});
    EXPECT_EQ(serviceNowStateMoves(ChangeType::Standard, ChangeState::Closed), (std::vector<int>{-2, -1, 0, 3}));
    EXPECT_EQ(serviceNowStateMoves(ChangeType::Normal, ChangeState::Cancelled), std::vector<int>{4});
    EXPECT_EQ(serviceNowRisk(RiskLevel::VeryHigh), 1);
    EXPECT_EQ(serviceNowRisk(RiskLevel::Low), 4);
    EXPECT_EQ(serviceNowRisk(std::nullopt), 3);
    ChangeRequest c = sampleChange();
    c.state = ChangeState::Closed;
    c.type = ChangeType::Emergency;
    c.review = Review{"rolled_back", "", 2, 30, "", 0};
    const std::string text = serviceNowPayload(c, sampleContext());
    const auto d = parseJson(text);
    EXPECT_EQ(str(d["state_moves"][d["state_moves"].Size() - 1], "state"), "3");
    EXPECT_EQ(str(d["change_request"]["fields"], "urgency"), "1");
    EXPECT_EQ(str(d["change_request"]["fields"], "close_code"), "unsuccessful");
    EXPECT_EQ(serviceNowPayloadRisk(text), RiskLevel::High);
    EXPECT_EQ(serviceNowPayloadRisk("{}"), std::nullopt);
}

TEST(ServiceNowPayload, LongTextIsCutToTheFieldLengths) {
    ChangeRequest c = sampleChange();
    c.title = std::string(300, 'x');
    c.description = std::string(5000, 'y');
    const auto d = parseJson(serviceNowPayload(c, sampleContext()));
    EXPECT_EQ(decodeUtf8(str(d["change_request"]["fields"], "short_description")).size(), 160u);
    EXPECT_EQ(decodeUtf8(str(d["change_request"]["fields"], "description")).size(), 4000u);
}

// ---- GLPI -------------------------------------------------------------------

TEST(GlpiPayload, RefusedWithoutTheEntityNamingTheSetting) {
    ExportContext ctx = sampleContext();
    ctx.site.glpiEntityId.reset();
    auto r = glpiPayload(sampleChange(), ctx);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("ticketing.glpi.entity_id"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("--glpi-entity"), std::string::npos);
}

TEST(GlpiPayload, ChangeInputInTheEntityWithHtmlContent) {
    auto r = glpiPayload(sampleChange(), sampleContext());
    ASSERT_TRUE(r.ok()) << r.error().toString();
    expectCanonical(*r);
    const auto d = parseJson(*r);
    EXPECT_EQ(num(d, "format_version"), 2);
    const auto& in = d["Change"]["input"];
    expectFields(in,
                 {{"name", T::Str}, {"content", T::Str}, {"entities_id", T::Int}, {"status", T::Int},
                  {"urgency", T::Int}, {"impact", T::Int}, {"priority", T::Int}, {"date", T::Str},
                  {"time_to_resolve", T::Str}, {"impactcontent", T::Str}, {"controlistcontent", T::Str},
                  {"rolloutplancontent", T::Str}, {"backoutplancontent", T::Str}, {"checklistcontent", T::Str}},
                 "Change.input");
    EXPECT_FALSE(in.HasMember("global_validation"));  // GLPI computes it from the validations
    EXPECT_EQ(num(in, "entities_id"), 3);
    EXPECT_EQ(num(in, "status"), 7);
    EXPECT_EQ(num(in, "impact"), 5);
    EXPECT_EQ(num(in, "urgency"), 3);
    // Rich-text fields: line breaks survive as HTML.
    EXPECT_EQ(str(in, "content").rfind("<p>Major version upgrade of the orders cluster.<br>Two nodes", 0), 0u)
        << str(in, "content");
    EXPECT_EQ(str(in, "backoutplancontent"), "<p>Fail over to the untouched replica.</p>");
    EXPECT_EQ(str(in, "time_to_resolve"), "2026-11-23 06:00:00");
    EXPECT_NE(str(in, "impactcontent").find("Online shop"), std::string::npos);
}

TEST(GlpiPayload, ItemsAreLookedUpByNameAndNoValidationStatusIsSet) {
    const auto d = parseJson(*glpiPayload(sampleChange(), sampleContext()));
    const auto& items = d["Change_Item"];
    ASSERT_TRUE(items.IsArray());
    ASSERT_EQ(items.Size(), 2u);
    for (const auto& it : items.GetArray()) {
        expectFields(it, {{"itemtype", T::Str}, {"name", T::Str}}, "Change_Item");
        EXPECT_FALSE(it.HasMember("items_id"));
    }
    EXPECT_EQ(str(items[0], "itemtype"), "DatabaseInstance");
    EXPECT_EQ(str(items[0], "name"), "Orders DB");
    const auto& tasks = d["ChangeTask"]["input"];
    ASSERT_EQ(tasks.Size(), 3u);
    for (const auto& t : tasks.GetArray()) {
        expectFields(t, {{"begin", T::Str}, {"end", T::Str}, {"content", T::Str}, {"state", T::Int}}, "ChangeTask");
        EXPECT_FALSE(t.HasMember("changes_id"));
    }
    EXPECT_EQ(str(tasks[2], "begin"), "2026-11-23 03:10:00");
    // Approvals written in the change never become validations.
    EXPECT_EQ(d["ChangeValidation"].Size(), 0u);
    EXPECT_TRUE(d["ITILFollowup"].IsNull());
}

TEST(GlpiPayload, StatusCodesFollowTheFormatNotes) {
    const std::pair<ChangeState, int> states[] = {
        {ChangeState::Draft, 1},      {ChangeState::Submitted, 9}, {ChangeState::Assessed, 10},
        {ChangeState::Authorized, 7}, {ChangeState::Implementing, 11}, {ChangeState::Completed, 5},
        {ChangeState::Reviewed, 8},   {ChangeState::Closed, 6},    {ChangeState::Cancelled, 14},
        {ChangeState::Rejected, 13}};
    for (const auto& [s, code] : states) EXPECT_EQ(glpiStatus(s), code) << toString(s);
}

// ---- Signed approvals -------------------------------------------------------

TEST(SignedApprovals, EachSystemStoresThemAsNotesNeverAsAStatus) {
    ExportContext approvals;
    approvals.signedApprovals = {
        Approval{"Bob Stone", "cab_member", Decision::Approve, 1795000000, "fine", "A1B2C3D4E5F60718", false},
        Approval{"Eve Roe", "security_officer", Decision::Reject, 1795000100, "", "0102030405060708", false}};
    approvals.approvalChainLength = 2;
    approvals.approvalChainHead = std::string(64, 'a');
    const ChangeRequest c = sampleChange();
    const ExportContext ctx = sampleContext();

    auto sn = withSignedApprovals(TicketingSystem::ServiceNow, serviceNowPayload(c, ctx), approvals, "sn.json");
    ASSERT_TRUE(sn.ok()) << sn.error().toString();
    expectCanonical(*sn);
    const std::string note = str(parseJson(*sn)["work_note"], "work_notes");
    EXPECT_NE(note.find("approve as cab_member by Bob Stone"), std::string::npos) << note;
    EXPECT_NE(note.find("reject as security_officer by Eve Roe"), std::string::npos);
    EXPECT_NE(note.find("approval chain of 2"), std::string::npos);

    auto glpi = withSignedApprovals(TicketingSystem::Glpi, *glpiPayload(c, ctx), approvals, "glpi.json");
    ASSERT_TRUE(glpi.ok()) << glpi.error().toString();
    const auto g = parseJson(*glpi);
    ASSERT_EQ(g["ChangeValidation"].Size(), 2u);
    for (const auto& v : g["ChangeValidation"].GetArray()) {
        EXPECT_FALSE(v.HasMember("status"));  // GLPI creates validations waiting
        EXPECT_FALSE(v.HasMember("users_id_validate"));
    }
    EXPECT_EQ(str(g["ChangeValidation"][0], "user"), "Bob Stone");
    EXPECT_EQ(num(g["ITILFollowup"]["input"], "is_private"), 1);
    EXPECT_NE(str(g["ITILFollowup"]["input"], "content").find("Eve Roe"), std::string::npos);

    auto fs = withSignedApprovals(TicketingSystem::Freshservice, *freshservicePayload(c, ctx), approvals, "fs.json");
    ASSERT_TRUE(fs.ok());
    EXPECT_NE(str(parseJson(*fs)["note"], "body").find("Bob Stone"), std::string::npos);
    EXPECT_EQ(num(parseJson(*fs)["create"], "status"), 4);  // unchanged

    auto itop = withSignedApprovals(TicketingSystem::Itop, *iTopPayload(c, ctx), approvals, "itop.json");
    ASSERT_TRUE(itop.ok());
    EXPECT_EQ(str(parseJson(*itop)["log"], "operation"), "core/update");

    // Nothing to add: the bytes stay the signed ones; a foreign payload is refused.
    const std::string plain = serviceNowPayload(c, ctx);
    EXPECT_EQ(*withSignedApprovals(TicketingSystem::ServiceNow, plain, ExportContext{}, "sn.json"), plain);
    EXPECT_FALSE(withSignedApprovals(TicketingSystem::Glpi, plain, approvals, "sn.json").ok());
}

// ---- iTop -------------------------------------------------------------------

TEST(ITopPayload, RefusedWithoutOrganizationOrDataModelNamingTheSetting) {
    ExportContext ctx = sampleContext();
    ctx.site.itopOrganization.clear();
    auto r = iTopPayload(sampleChange(), ctx);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("ticketing.itop.organization"), std::string::npos) << r.error().message;
    ctx = sampleContext();
    ctx.site.itopChangeModel.reset();
    r = iTopPayload(sampleChange(), ctx);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("--itop-change-model"), std::string::npos) << r.error().message;
    // The caller is mandatory in the new state.
    ctx = sampleContext();
    ctx.people[0].email.clear();
    r = iTopPayload(sampleChange(), ctx);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("caller_id"), std::string::npos);
}

TEST(ITopPayload, DefaultModelCreatesAChangeThenAppliesStimuli) {
    auto r = iTopPayload(sampleChange(), sampleContext());
    ASSERT_TRUE(r.ok()) << r.error().toString();
    expectCanonical(*r);
    const auto d = parseJson(*r);
    EXPECT_EQ(str(d, "data_model"), "default");
    const auto& create = d["create"];
    EXPECT_EQ(str(create, "operation"), "core/create");
    EXPECT_EQ(str(create, "class"), "Change");
    const auto& f = create["fields"];
    expectFields(f,
                 {{"title", T::Str}, {"description", T::Str}, {"fallback_plan", T::Str}, {"start_date", T::Str},
                  {"end_date", T::Str}, {"functionalcis_list", T::Arr}, {"org_id", T::Obj}, {"caller_id", T::Obj}},
                 "fields");
    EXPECT_FALSE(f.HasMember("impact"));   // the default Change has no impact field
    EXPECT_FALSE(f.HasMember("status"));   // status is set by stimuli, never on create
    EXPECT_FALSE(f.HasMember("fallback"));
    EXPECT_EQ(str(f["org_id"], "name"), "Example Corp");
    EXPECT_EQ(str(f["caller_id"], "email"), "alice@example.org");
    const auto& cis = f["functionalcis_list"];
    ASSERT_EQ(cis.Size(), 4u);
    EXPECT_EQ(str(cis[0]["functionalci_id"], "name"), "Orders DB");
    EXPECT_EQ(str(cis[0], "impact_code"), "manual");
    EXPECT_EQ(str(cis[3], "impact_code"), "not_impacted");
    // scheduled: assigned, planned, approved
    const auto& st = d["stimuli"];
    ASSERT_EQ(st.Size(), 3u);
    EXPECT_EQ(str(st[0], "operation"), "core/apply_stimulus");
    EXPECT_EQ(str(st[0], "stimulus"), "ev_assign");
    EXPECT_EQ(str(st[0]["fields"]["team_id"], "name"), "DBA");
    EXPECT_EQ(str(st[0]["fields"]["agent_id"], "email"), "carol@example.org");
    EXPECT_EQ(str(st[0]["fields"]["changemanager_id"], "email"), "bob@example.org");
    EXPECT_EQ(str(st[1], "stimulus"), "ev_plan");
    EXPECT_EQ(str(st[1]["fields"], "outage"), "no");
    EXPECT_EQ(str(st[1]["fields"], "fallback_plan"), "Fail over to the untouched replica.");
    EXPECT_EQ(str(st[2], "stimulus"), "ev_approve");
    EXPECT_TRUE(d["log"].IsNull());
    // An empty description is refused by iTop: the payload never has one.
    ChangeRequest c = sampleChange();
    c.description.clear();
    c.reason.clear();
    c.justification.clear();
    c.implementationPlan.clear();
    c.testPlan.clear();
    EXPECT_NE(str(parseJson(*iTopPayload(c, sampleContext()))["create"]["fields"], "description"), "");
}

TEST(ITopPayload, ItilModelUsesTheClassOfTheTypeAndItsLifecycle) {
    ExportContext ctx = sampleContext();
    ctx.site.itopChangeModel = ItopChangeModel::Itil;
    ChangeRequest c = sampleChange();
    c.state = ChangeState::Assessed;
    const auto d = parseJson(*iTopPayload(c, ctx));
    EXPECT_EQ(str(d["create"], "class"), "NormalChange");
    EXPECT_EQ(str(d["create"]["fields"], "fallback"), "Fail over to the untouched replica.");
    std::vector<std::string> stimuli;
    for (const auto& s : d["stimuli"].GetArray()) stimuli.push_back(str(s, "stimulus"));
    EXPECT_EQ(stimuli, (std::vector<std::string>{"ev_validate", "ev_assign", "ev_plan"}));
    EXPECT_EQ(str(d["stimuli"][2]["fields"], "impact"), c.impact);
    EXPECT_STREQ(iTopChangeClass(ChangeType::Standard, ItopChangeModel::Itil), "RoutineChange");
    EXPECT_STREQ(iTopChangeClass(ChangeType::Emergency, ItopChangeModel::Itil), "EmergencyChange");
    EXPECT_STREQ(iTopChangeClass(ChangeType::Emergency, ItopChangeModel::Default), "Change");
    EXPECT_EQ(iTopStimuli(ChangeType::Emergency, ChangeState::Submitted, ItopChangeModel::Itil),
              std::vector<std::string>{"ev_assign"});
    EXPECT_EQ(iTopStimuli(ChangeType::Normal, ChangeState::Draft, ItopChangeModel::Default), std::vector<std::string>{});
    // A state past "new" needs a team: refused naming what is missing.
    c.assignmentGroup.clear();
    auto r = iTopPayload(c, ctx);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("team_id"), std::string::npos);
}

// ---- Jira -------------------------------------------------------------------

namespace {

void expectValidAdf(const rapidjson::Value& node) {
    ASSERT_TRUE(node.IsObject());
    ASSERT_TRUE(node.HasMember("type") && node["type"].IsString());
    const std::string type = node["type"].GetString();
    if (type == "text") {
        ASSERT_TRUE(node.HasMember("text") && node["text"].IsString());
        EXPECT_GT(node["text"].GetStringLength(), 0u) << "ADF text nodes must not be empty";
    }
    if (node.HasMember("content")) {
        ASSERT_TRUE(node["content"].IsArray());
        for (const auto& child : node["content"].GetArray()) expectValidAdf(child);
    }
}

}  // namespace

TEST(JiraPayload, IssueFieldsAndMappedCustomFields) {
    const std::string text = jiraPayload(sampleChange(), sampleContext(), sampleMapping());
    expectCanonical(text);
    const auto d = parseJson(text);
    const auto& f = d["fields"];
    expectFields(f, {{"project", T::Obj}, {"issuetype", T::Obj}, {"summary", T::Str}, {"description", T::Obj}},
                 "fields");
    EXPECT_EQ(str(f["project"], "key"), "CHG");
    EXPECT_EQ(str(f["issuetype"], "name"), "Change");
    EXPECT_EQ(str(f, "summary"), "[CHG0001234] Upgrade orders database to PostgreSQL 16");
    const auto& desc = f["description"];
    EXPECT_EQ(str(desc, "type"), "doc");
    EXPECT_EQ(num(desc, "version"), 1);
    EXPECT_GT(desc["content"].Size(), 3u);
    expectValidAdf(desc);
    EXPECT_EQ(str(f, "customfield_10040"), "CHG0001234");
    EXPECT_EQ(str(f["customfield_10042"], "value"), "High risk");
    EXPECT_EQ(str(f["customfield_10043"], "value"), "Normal");
    EXPECT_EQ(str(f, "customfield_10050"), "2026-11-23T02:00:00.000+0000");
    EXPECT_EQ(str(f, "customfield_10051"), "2026-11-23");
    EXPECT_EQ(str(f["customfield_10060"], "type"), "doc");
    expectValidAdf(f["customfield_10060"]);
    EXPECT_EQ(str(f, "customfield_10061"), "Stop app, pg_upgrade, start app.");
    ASSERT_TRUE(f["customfield_10070"].IsArray());
    EXPECT_EQ(f["customfield_10070"].Size(), 2u);
    ASSERT_TRUE(f["labels"].IsArray());
    std::vector<std::string> labels;
    for (const auto& l : f["labels"].GetArray()) labels.emplace_back(l.GetString());
    EXPECT_EQ(labels, (std::vector<std::string>{"change_planner", "svc-shop"}));
}

TEST(JiraPayload, LongSummaryIsCutAtCodePoints) {
    ChangeRequest c = sampleChange();
    c.title.clear();
    for (int i = 0; i < 300; ++i) c.title += "\xC3\xA9";
    const auto d = parseJson(jiraPayload(c, sampleContext(), sampleMapping()));
    const std::string summary = str(d["fields"], "summary");
    EXPECT_EQ(summary.size(), 13u + (255u - 13u) * 2u);
}

TEST(JiraMappingFile, ParsesShorthandAndObjectForms) {
    const JiraMapping m = sampleMapping();
    EXPECT_EQ(m.project, "CHG");
    EXPECT_EQ(m.issueType, "Change");
    ASSERT_EQ(m.fields.count("risk"), 1u);
    EXPECT_EQ(m.fields.at("risk").fieldId, "customfield_10042");
    EXPECT_EQ(m.fields.at("risk").kind, JiraValueKind::Option);
    EXPECT_EQ(m.fields.at("plannedEnd").kind, JiraValueKind::Date);
    EXPECT_EQ(m.fields.at("backoutPlan").kind, JiraValueKind::Adf);
    EXPECT_EQ(m.options.at("risk").at("very_high"), "Critical");
}

TEST(JiraMappingFile, ErrorsNameTheProblemAndPlace) {
    const std::pair<const char*, const char*> bad[] = {
        {"{\"issueType\":\"Change\"}", "/project"},
        {"{\"project\":\"CHG\",\"issueType\":\"Change\",\"fields\":{\"riks\":\"customfield_1\"}}", "/fields/riks"},
        {"{\"project\":\"CHG\",\"issueType\":\"Change\",\"fields\":{\"risk\":\"customfield_1\"}}",
         "kind of custom field"},
        {"{\"project\":\"CHG\",\"issueType\":\"Change\",\"fields\":{\"plannedStart\":{\"id\":\"customfield_1\","
         "\"as\":\"adf\"}}}",
         "cannot hold plannedStart"},
        {"{\"project\":\"CHG\",\"issueType\":\"Change\",\"fields\":{\"risk\":{\"id\":\"customfield_1\",\"as\":"
         "\"select\"}}}",
         "/fields/risk/as"},
        {"{\"project\":\"CHG\",\"issueType\":\"Change\",\"fields\":{\"risk\":\"custom field\"}}", "not a usable"},
        {"{\"project\":\"CHG\",\"issueType\":\"Change\",\"fields\":{\"risk\":\"summary\"}}", "not a usable"},
        {"{\"project\":\"CHG\",\"issueType\":\"Change\",\"fields\":{\"risk\":{\"id\":\"customfield_1\",\"as\":"
         "\"option\"},\"state\":{\"id\":\"customfield_1\",\"as\":\"option\"}}}",
         "already used"},
        {"{\"project\":\"CHG\",\"issueType\":\"Change\",\"fields\":{\"risk\":7}}", "/fields/risk"},
        {"{\"project\":\"CHG\",\"issueType\":\"Change\",\"extra\":1}", "unknown field"},
    };
    for (const auto& [json, part] : bad) {
        auto r = parseJiraMapping(json, "map.json");
        ASSERT_FALSE(r.ok()) << json;
        EXPECT_EQ(r.error().file, "map.json");
        EXPECT_EQ(r.error().line, 1);
        EXPECT_GT(r.error().column, 0);
        EXPECT_NE(r.error().message.find(part), std::string::npos) << r.error().toString();
    }
}

// ---- Freshservice -------------------------------------------------------------

TEST(FreshservicePayload, RefusedWithoutTheRequester) {
    ExportContext ctx = sampleContext();
    ctx.site.freshserviceRequesterId.reset();
    auto r = freshservicePayload(sampleChange(), ctx);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("ticketing.freshservice.requester_id"), std::string::npos);
}

TEST(FreshservicePayload, CreateWithTheRequesterThenPlanningFieldsInASecondCall) {
    auto r = freshservicePayload(sampleChange(), sampleContext());
    ASSERT_TRUE(r.ok()) << r.error().toString();
    expectCanonical(*r);
    const auto d = parseJson(*r);
    const auto& create = d["create"];
    expectFields(create,
                 {{"requester_id", T::Int}, {"subject", T::Str}, {"description", T::Str}, {"status", T::Int},
                  {"priority", T::Int}, {"impact", T::Int}, {"risk", T::Int}, {"change_type", T::Int},
                  {"planned_start_date", T::Str}, {"planned_end_date", T::Str}},
                 "create");
    EXPECT_FALSE(create.HasMember("planning_fields"));
    EXPECT_EQ(num(create, "requester_id"), 4711);
    EXPECT_EQ(num(create, "status"), 4);
    EXPECT_EQ(num(create, "risk"), 3);
    EXPECT_EQ(num(create, "impact"), 3);
    EXPECT_EQ(num(create, "change_type"), 3);
    EXPECT_EQ(str(create, "planned_start_date"), "2026-11-23T02:00:00Z");
    const auto& planning = d["update"]["planning_fields"];
    for (const char* k : {"reason_for_change", "change_impact", "rollout_plan", "backout_plan"}) {
        ASSERT_TRUE(planning.HasMember(k)) << k;
        expectFields(planning[k], {{"description", T::Str}}, k);
    }
    EXPECT_NE(str(planning["backout_plan"], "description").find("Fail over"), std::string::npos);
    EXPECT_TRUE(d["note"].IsNull());
    EXPECT_EQ(freshserviceStatus(ChangeState::Draft), 1);
    EXPECT_EQ(freshserviceStatus(ChangeState::Assessed), 3);
    EXPECT_EQ(freshserviceStatus(ChangeState::Reviewed), 5);
    EXPECT_EQ(freshserviceStatus(ChangeState::Closed), 6);
    EXPECT_EQ(freshserviceChangeType(ChangeType::Standard, RiskLevel::High), 2);
    EXPECT_EQ(freshserviceChangeType(ChangeType::Normal, RiskLevel::Low), 1);
    EXPECT_EQ(freshserviceChangeType(ChangeType::Emergency, std::nullopt), 4);
}

TEST(FreshservicePayload, HtmlFieldsEscapeUserText) {
    ChangeRequest c = sampleChange();
    c.description = "<script>alert(1)</script>";
    c.rollbackPlan = "a & b <img src=x onerror=y>";
    const auto d = parseJson(*freshservicePayload(c, sampleContext()));
    EXPECT_EQ(str(d["create"], "description").find("<script"), std::string::npos);
    EXPECT_EQ(str(d["update"]["planning_fields"]["backout_plan"], "description").find("<img"), std::string::npos);
}

TEST(Payloads, HostileStringsStayValidJson) {
    ChangeRequest c = sampleChange();
    c.title = std::string("\"}\\\n\x01\xE2\x80\xAE") + "\xFF";
    c.steps[0].title = "\"]}";
    ExportContext ctx = sampleContext();
    ctx.impactedCis[0].name = "\"\\";
    const std::vector<std::string> outputs = {serviceNowPayload(c, ctx), *glpiPayload(c, ctx), *iTopPayload(c, ctx),
                                              jiraPayload(c, ctx, sampleMapping()), *freshservicePayload(c, ctx)};
    for (const auto& text : outputs) {
        auto canon = canonicalizeJson(text, "p");
        ASSERT_TRUE(canon.ok()) << canon.error().toString();
        EXPECT_EQ(*canon, text);
    }
}

TEST(TicketingSettings, ReadFromWorkspaceSettingsAndBadValuesNameTheKey) {
    auto s = ticketingSettingsFrom({{"ticketing.itop.organization", "ACME"},
                                    {"ticketing.itop.change_model", "itil"},
                                    {"ticketing.glpi.entity_id", "0"},
                                    {"ticketing.freshservice.requester_id", "17000123456"},
                                    {"signing.key", "not ours"}});
    ASSERT_TRUE(s.ok()) << s.error().toString();
    EXPECT_EQ(s->itopOrganization, "ACME");
    EXPECT_EQ(s->itopChangeModel, ItopChangeModel::Itil);
    EXPECT_EQ(s->glpiEntityId, 0);
    EXPECT_EQ(s->freshserviceRequesterId, 17000123456);
    for (TicketingSystem sys : allTicketingSystems()) {
        EXPECT_EQ(requireTicketingSettings(sys, *s).ok(), sys != TicketingSystem::Jira) << toString(sys);
        EXPECT_EQ(ticketingSystemFromString(toString(sys)), sys);
    }
    const std::pair<const char*, const char*> bad[] = {{"ticketing.itop.change_model", "ITIL"},
                                                       {"ticketing.glpi.entity_id", "-1"},
                                                       {"ticketing.glpi.entity_id", "1e3"},
                                                       {"ticketing.freshservice.requester_id", "0"},
                                                       {"ticketing.itop.organization", ""},
                                                       {"ticketing.unknown", "x"}};
    for (const auto& [key, value] : bad) {
        auto r = ticketingSettingsFrom({{key, value}});
        ASSERT_FALSE(r.ok()) << key << "=" << value;
        EXPECT_NE(r.error().toString().find(key), std::string::npos) << r.error().toString();
    }
    EXPECT_FALSE(ticketingSystemFromString("otrs").has_value());
}
