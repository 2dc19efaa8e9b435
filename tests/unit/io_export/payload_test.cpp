#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "export_fixture.hpp"
#include "io/canonical_json.hpp"
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

TEST(ServiceNowPayload, ChangeRequestHasEveryListedFieldAsString) {
    const std::string text = serviceNowPayload(sampleChange(), sampleContext());
    expectCanonical(text);
    auto d = parseJson(text);
    ASSERT_TRUE(d.IsObject());
    EXPECT_EQ(str(d, "format"), "planner.servicenow");
    const auto& cr = d["change_request"];
    std::vector<std::pair<const char*, T>> fields;
    for (const char* k : {"short_description", "description", "type", "chg_model", "category", "justification",
                          "reason", "state", "priority", "risk", "impact", "urgency", "assigned_to",
                          "assignment_group", "requested_by", "start_date", "end_date", "cmdb_ci", "business_service",
                          "implementation_plan", "backout_plan", "test_plan", "cab_required", "cab_date",
                          "conflict_status", "outside_maintenance_schedule", "close_code", "close_notes",
                          "review_comments"})
        fields.emplace_back(k, T::Str);
    expectFields(cr, fields, "change_request");
    EXPECT_EQ(str(cr, "type"), "normal");
    EXPECT_EQ(str(cr, "state"), "-2");
    EXPECT_EQ(str(cr, "risk"), "2");
    EXPECT_EQ(str(cr, "impact"), "1");
    EXPECT_EQ(str(cr, "urgency"), "2");
    EXPECT_EQ(str(cr, "priority"), "2");
    EXPECT_EQ(str(cr, "start_date"), "2026-11-23 02:00:00");
    EXPECT_EQ(str(cr, "end_date"), "2026-11-23 06:00:00");
    EXPECT_EQ(str(cr, "backout_plan"), "Fail over to the untouched replica.");
    EXPECT_EQ(str(cr, "assigned_to"), "Carol Cruz");
    EXPECT_EQ(str(cr, "cmdb_ci"), "Orders DB");
    EXPECT_EQ(str(cr, "business_service"), "Online shop");
    EXPECT_EQ(str(cr, "cab_required"), "true");
    EXPECT_EQ(str(cr, "conflict_status"), "No Conflict");
    EXPECT_EQ(str(cr, "chg_model"), "db-major-upgrade");
}

TEST(ServiceNowPayload, OneTaskCiPerAffectedCiAndOneChangeTaskPerStep) {
    const auto d = parseJson(serviceNowPayload(sampleChange(), sampleContext()));
    const auto& cis = d["task_ci"];
    ASSERT_TRUE(cis.IsArray());
    ASSERT_EQ(cis.Size(), 2u);
    EXPECT_EQ(str(cis[0], "ci_item"), "Orders DB");
    EXPECT_EQ(str(cis[1], "ci_item"), "Shop");
    const auto& tasks = d["change_task"];
    ASSERT_TRUE(tasks.IsArray());
    ASSERT_EQ(tasks.Size(), 3u);
    for (const auto& t : tasks.GetArray())
        expectFields(t, {{"short_description", T::Str}, {"description", T::Str}, {"change_task_type", T::Str},
                         {"planned_start_date", T::Str}, {"planned_end_date", T::Str}, {"assigned_to", T::Str},
                         {"cmdb_ci", T::Str}, {"order", T::Str}},
                     "change_task");
    EXPECT_EQ(str(tasks[1], "planned_start_date"), "2026-11-23 02:10:00");
    EXPECT_EQ(str(tasks[1], "planned_end_date"), "2026-11-23 03:10:00");
    EXPECT_NE(str(tasks[1], "description").find("No rollback: mitigation"), std::string::npos);
}

TEST(ServiceNowPayload, StateAndRiskCodesFollowTheFormatNotes) {
    const std::pair<ChangeState, int> states[] = {
        {ChangeState::Draft, -5},       {ChangeState::Submitted, -4},  {ChangeState::Assessed, -3},
        {ChangeState::Authorized, -2},  {ChangeState::Scheduled, -2},  {ChangeState::Implementing, -1},
        {ChangeState::Completed, 0},    {ChangeState::Failed, 0},      {ChangeState::RolledBack, 0},
        {ChangeState::Reviewed, 0},     {ChangeState::Closed, 3},      {ChangeState::Cancelled, 4},
        {ChangeState::Rejected, 4}};
    for (const auto& [s, code] : states) EXPECT_EQ(serviceNowState(s), code) << toString(s);
    EXPECT_EQ(serviceNowRisk(RiskLevel::VeryHigh), 1);
    EXPECT_EQ(serviceNowRisk(RiskLevel::Low), 4);
    EXPECT_EQ(serviceNowRisk(std::nullopt), 3);
    ChangeRequest c = sampleChange();
    c.state = ChangeState::Closed;
    c.type = ChangeType::Emergency;
    c.review = Review{"rolled_back", "", 2, 30, "", 0};
    const auto d = parseJson(serviceNowPayload(c, sampleContext()));
    EXPECT_EQ(str(d["change_request"], "state"), "3");
    EXPECT_EQ(str(d["change_request"], "type"), "emergency");
    EXPECT_EQ(str(d["change_request"], "urgency"), "1");
    EXPECT_EQ(str(d["change_request"], "close_code"), "unsuccessful");
}

// ---- GLPI -------------------------------------------------------------------

TEST(GlpiPayload, ChangeInputHasEveryListedField) {
    const std::string text = glpiPayload(sampleChange(), sampleContext());
    expectCanonical(text);
    const auto d = parseJson(text);
    ASSERT_TRUE(d.IsObject());
    const auto& in = d["Change"]["input"];
    expectFields(in,
                 {{"name", T::Str}, {"content", T::Str}, {"status", T::Int}, {"urgency", T::Int}, {"impact", T::Int},
                  {"priority", T::Int}, {"itilcategories_id", T::Int}, {"date", T::Str}, {"time_to_resolve", T::Str},
                  {"impactcontent", T::Str}, {"controlistcontent", T::Str}, {"rolloutplancontent", T::Str},
                  {"backoutplancontent", T::Str}, {"checklistcontent", T::Str}, {"global_validation", T::Int}},
                 "Change.input");
    EXPECT_EQ(str(in, "name"), "Upgrade orders database to PostgreSQL 16");
    EXPECT_EQ(num(in, "status"), 7);
    EXPECT_EQ(num(in, "impact"), 5);
    EXPECT_EQ(num(in, "urgency"), 3);
    EXPECT_EQ(num(in, "global_validation"), 3);
    EXPECT_EQ(str(in, "backoutplancontent"), "Fail over to the untouched replica.");
    EXPECT_EQ(str(in, "time_to_resolve"), "2026-11-23 06:00:00");
    EXPECT_NE(str(in, "impactcontent").find("Online shop"), std::string::npos);
}

TEST(GlpiPayload, LinkedItemsTasksAndValidations) {
    const auto d = parseJson(glpiPayload(sampleChange(), sampleContext()));
    const auto& items = d["Change_Item"]["input"];
    ASSERT_TRUE(items.IsArray());
    ASSERT_EQ(items.Size(), 2u);
    for (const auto& it : items.GetArray())
        expectFields(it, {{"changes_id", T::Int}, {"itemtype", T::Str}, {"items_id", T::Int}}, "Change_Item");
    EXPECT_EQ(str(items[0], "itemtype"), "DatabaseInstance");
    EXPECT_EQ(str(items[1], "itemtype"), "Software");
    const auto& tasks = d["ChangeTask"]["input"];
    ASSERT_EQ(tasks.Size(), 3u);
    for (const auto& t : tasks.GetArray())
        expectFields(t, {{"begin", T::Str}, {"end", T::Str}, {"content", T::Str}, {"state", T::Int}}, "ChangeTask");
    EXPECT_EQ(str(tasks[2], "begin"), "2026-11-23 03:10:00");
    const auto& validations = d["ChangeValidation"]["input"];
    ASSERT_EQ(validations.Size(), 2u);
    EXPECT_EQ(num(validations[0], "status"), 3);
}

TEST(GlpiPayload, StatusCodesFollowTheFormatNotes) {
    const std::pair<ChangeState, int> states[] = {
        {ChangeState::Draft, 1},      {ChangeState::Submitted, 9}, {ChangeState::Assessed, 10},
        {ChangeState::Authorized, 7}, {ChangeState::Implementing, 11}, {ChangeState::Completed, 5},
        {ChangeState::Reviewed, 8},   {ChangeState::Closed, 6},    {ChangeState::Cancelled, 14},
        {ChangeState::Rejected, 13}};
    for (const auto& [s, code] : states) EXPECT_EQ(glpiStatus(s), code) << toString(s);
    ChangeRequest c = sampleChange();
    c.approvals[1].decision = Decision::Reject;
    EXPECT_EQ(num(parseJson(glpiPayload(c, sampleContext()))["Change"]["input"], "global_validation"), 4);
}

// ---- iTop -------------------------------------------------------------------

TEST(ITopPayload, CoreCreateOfTheClassMatchingTheType) {
    const std::string text = iTopPayload(sampleChange(), sampleContext());
    expectCanonical(text);
    const auto d = parseJson(text);
    EXPECT_EQ(str(d, "operation"), "core/create");
    EXPECT_EQ(str(d, "class"), "NormalChange");
    const auto& f = d["fields"];
    expectFields(f,
                 {{"title", T::Str}, {"description", T::Str}, {"fallback", T::Str}, {"impact", T::Str},
                  {"outage", T::Str}, {"start_date", T::Str}, {"end_date", T::Str}, {"functionalcis_list", T::Arr},
                  {"org_id", T::Obj}},
                 "fields");
    EXPECT_EQ(str(f, "fallback"), "Fail over to the untouched replica.");
    EXPECT_EQ(str(f, "outage"), "no");
    EXPECT_EQ(str(f, "start_date"), "2026-11-23 02:00:00");
    EXPECT_EQ(str(f["org_id"], "name"), "Example Corp");
    const auto& cis = f["functionalcis_list"];
    ASSERT_EQ(cis.Size(), 4u);
    EXPECT_EQ(str(cis[0]["functionalci_id"], "name"), "Orders DB");
    EXPECT_EQ(str(cis[0], "impact_code"), "manual");
    EXPECT_EQ(str(cis[2], "impact_code"), "computed");
    EXPECT_EQ(str(cis[3]["functionalci_id"], "name"), "Front LB");
    EXPECT_EQ(str(cis[3], "impact_code"), "not_impacted");
    EXPECT_STREQ(iTopChangeClass(ChangeType::Standard), "RoutineChange");
    EXPECT_STREQ(iTopChangeClass(ChangeType::Emergency), "EmergencyChange");
    ChangeRequest c = sampleChange();
    c.type = ChangeType::Emergency;
    EXPECT_EQ(str(parseJson(iTopPayload(c, sampleContext())), "class"), "EmergencyChange");
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
        {"{\"project\":\"CHG\",\"issueType\":\"Change\",\"fields\":{\"risk\":{\"id\":\"customfield_1\",\"as\":"
         "\"select\"}}}",
         "/fields/risk/as"},
        {"{\"project\":\"CHG\",\"issueType\":\"Change\",\"fields\":{\"risk\":\"custom field\"}}", "not a usable"},
        {"{\"project\":\"CHG\",\"issueType\":\"Change\",\"fields\":{\"risk\":\"summary\"}}", "not a usable"},
        {"{\"project\":\"CHG\",\"issueType\":\"Change\",\"fields\":{\"risk\":\"customfield_1\",\"state\":"
         "\"customfield_1\"}}",
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

TEST(FreshservicePayload, BodyHasEveryListedFieldWithNumericCodes) {
    const std::string text = freshservicePayload(sampleChange(), sampleContext());
    expectCanonical(text);
    const auto d = parseJson(text);
    expectFields(d,
                 {{"subject", T::Str}, {"description", T::Str}, {"status", T::Int}, {"priority", T::Int},
                  {"impact", T::Int}, {"risk", T::Int}, {"change_type", T::Int}, {"planned_start_date", T::Str},
                  {"planned_end_date", T::Str}, {"planning_fields", T::Obj}},
                 "body");
    for (const char* k : {"reason_for_change", "change_impact", "rollout_plan", "backout_plan"}) {
        ASSERT_TRUE(d["planning_fields"].HasMember(k)) << k;
        expectFields(d["planning_fields"][k], {{"description", T::Str}}, k);
    }
    EXPECT_EQ(num(d, "status"), 4);
    EXPECT_EQ(num(d, "risk"), 3);
    EXPECT_EQ(num(d, "impact"), 3);
    EXPECT_EQ(num(d, "change_type"), 3);
    EXPECT_EQ(str(d, "planned_start_date"), "2026-11-23T02:00:00Z");
    EXPECT_NE(str(d["planning_fields"]["backout_plan"], "description").find("Fail over"), std::string::npos);
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
    const auto d = parseJson(freshservicePayload(c, sampleContext()));
    EXPECT_EQ(str(d, "description").find("<script"), std::string::npos);
    EXPECT_EQ(str(d["planning_fields"]["backout_plan"], "description").find("<img"), std::string::npos);
}

TEST(Payloads, HostileStringsStayValidJson) {
    ChangeRequest c = sampleChange();
    c.title = std::string("\"}\\\n\x01\xE2\x80\xAE") + "\xFF";
    c.steps[0].title = "\"]}";
    ExportContext ctx = sampleContext();
    ctx.impactedCis[0].name = "\"\\";
    const std::vector<std::string> outputs = {serviceNowPayload(c, ctx), glpiPayload(c, ctx), iTopPayload(c, ctx),
                                              jiraPayload(c, ctx, sampleMapping()), freshservicePayload(c, ctx)};
    for (const auto& text : outputs) {
        auto canon = canonicalizeJson(text, "p");
        ASSERT_TRUE(canon.ok()) << canon.error().toString();
        EXPECT_EQ(*canon, text);
    }
}
