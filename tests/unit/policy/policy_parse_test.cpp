#include <gtest/gtest.h>

#include "policy/policy.hpp"
#include "policy_fixtures.hpp"

using namespace planner::core;
using namespace planner::core::policy;
using planner::core::policy::testing::readDataFile;

TEST(PolicyParse, DefaultPolicyIsValidAndComplete) {
    auto parsed = parsePolicy(defaultPolicyJson(), "default_policy.json");
    ASSERT_TRUE(parsed.ok()) << parsed.error().toString();
    const Policy& p = parsed.value();
    EXPECT_EQ(p.schemaVersion, 1);
    EXPECT_EQ(p.risk.questions.size(), 4u);
    EXPECT_EQ(p.risk.rules.size(), 13u);
    EXPECT_EQ(p.models.size(), 2u);
    EXPECT_EQ(p.approvalRules.size(), 6u);
    EXPECT_EQ(p.risk.recentFailureDays, 90);
    EXPECT_EQ(p.risk.ruleThresholds.high, 40);
    ASSERT_NE(findModel(p, "std-cert-renewal"), nullptr);
    EXPECT_EQ(findModel(p, "std-cert-renewal")->steps.size(), 3u);
    EXPECT_EQ(p.source, std::string(defaultPolicyJson()));
    EXPECT_TRUE(p.approvalRules[5].retrospective);
    EXPECT_EQ(p.approvalRules[1].quorum, Quorum::Majority);
}

TEST(PolicyParse, SmallPolicyWithCommentsParses) {
    auto parsed = parsePolicy(readDataFile("small_policy.json"), "small_policy.json");
    ASSERT_TRUE(parsed.ok()) << parsed.error().toString();
    EXPECT_EQ(parsed->name, "Small test policy");
    ASSERT_EQ(parsed->risk.rules.size(), 2u);
    EXPECT_EQ(parsed->risk.rules[1].number, 1);
    EXPECT_EQ(parsed->risk.rules[0].op, CompareOp::Ge);
    EXPECT_TRUE(parsed->models.empty());
}

TEST(PolicyParse, SyntaxErrorNamesLineColumnAndReason) {
    auto parsed = parsePolicy(readDataFile("bad_syntax.json"), "bad_syntax.json");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().file, "bad_syntax.json");
    EXPECT_EQ(parsed.error().line, 4);
    EXPECT_EQ(parsed.error().column, 3);
    EXPECT_NE(parsed.error().message.find("Missing a comma"), std::string::npos) << parsed.error().message;
}

TEST(PolicyParse, UnknownFactIsReportedOnItsLine) {
    auto parsed = parsePolicy(readDataFile("bad_fact.json"), "bad_fact.json");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().line, 9);
    EXPECT_GT(parsed.error().column, 1);
    EXPECT_NE(parsed.error().message.find("unknown fact \"blast_raduis\""), std::string::npos);
    EXPECT_NE(parsed.error().message.find("/risk/rules/1/fact"), std::string::npos);
}

TEST(PolicyParse, WrongValueTypeIsReportedOnItsLine) {
    auto parsed = parsePolicy(readDataFile("bad_points.json"), "bad_points.json");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().line, 9);
    EXPECT_EQ(parsed.error().column, 11);
    EXPECT_NE(parsed.error().message.find("expected an integer, found a string"), std::string::npos);
}

TEST(PolicyParse, SemanticErrorsAreRejected) {
    const std::string risk =
        R"("risk": {"questionnaireThresholds": {"moderate": 1, "high": 2, "very_high": 3},
"ruleThresholds": {"moderate": 1, "high": 2, "very_high": 3}, "questions": [], "rules": []})";
    const std::vector<std::pair<std::string, std::pair<std::string, int>>> cases = {
        {R"({"schemaVersion": 2, )" + risk + "}", {"expected an integer from 1 to 1", 1}},
        {R"({"schemaVersion": 1})", {"missing required key \"risk\"", 1}},
        {"{\"schemaVersion\": 1,\n\"schemaVersion\": 1, " + risk + "}", {"key \"schemaVersion\" appears twice", 2}},
        {R"({"schemaVersion": 1, "colour": "red", )" + risk + "}", {"unknown key \"colour\"", 1}},
        {R"({"schemaVersion": 1, "risk": {"questionnaireThresholds": {"moderate": 3, "high": 2, "very_high": 4},
"ruleThresholds": {"moderate": 1, "high": 2, "very_high": 3}, "questions": [], "rules": []}})",
         {"moderate < high < very_high", 1}},
        {R"({"schemaVersion": 1, )" + risk + R"(,
"approvalRules": [{"id": "x", "role": "cab_member", "reason": "r", "quorum": "most"}]})",
         {"expected any, all or majority", 3}},
        {R"({"schemaVersion": 1, )" + risk + R"(,
"approvalRules": [{"id": "x", "role": "r", "reason": "r"},
 {"id": "x", "role": "r", "reason": "r"}]})",
         {"duplicate approval rule id", 4}},
        {R"({"schemaVersion": 1, )" + risk + R"(,
"models": [{"id": "m", "name": "M", "risk": "tiny", "steps": [{"id": "a", "title": "A"}]}]})",
         {"expected low, moderate, high or very_high", 3}},
        {R"({"schemaVersion": 1, "risk": {"questionnaireThresholds": {"moderate": 1, "high": 2, "very_high": 3},
"ruleThresholds": {"moderate": 1, "high": 2, "very_high": 3}, "questions": [],
"rules": [{"id": "t", "fact": "change_type", "op": "gt", "value": "normal", "points": 1, "text": "t"}]}})",
         {"only compares with eq or ne", 3}},
    };
    for (const auto& [json, expect] : cases) {
        auto parsed = parsePolicy(json, "case.json");
        ASSERT_FALSE(parsed.ok()) << json;
        EXPECT_NE(parsed.error().message.find(expect.first), std::string::npos)
            << parsed.error().message << " / wanted " << expect.first;
        EXPECT_EQ(parsed.error().line, expect.second) << parsed.error().toString();
        EXPECT_EQ(parsed.error().file, "case.json");
    }
}

TEST(PolicyStoreTest, MalformedFileKeepsThePolicyInForce) {
    PolicyStore store;
    ASSERT_TRUE(store.load(readDataFile("small_policy.json"), "small_policy.json").ok());
    EXPECT_EQ(store.current().name, "Small test policy");

    Status bad = store.load(readDataFile("bad_fact.json"), "bad_fact.json");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().line, 9);
    EXPECT_EQ(store.current().name, "Small test policy");
    EXPECT_EQ(store.current().risk.rules.size(), 2u);

    Status broken = store.load(readDataFile("bad_syntax.json"), "bad_syntax.json");
    ASSERT_FALSE(broken.ok());
    EXPECT_EQ(store.current().name, "Small test policy");

    store.resetToDefault();
    EXPECT_EQ(store.current().name, "Default governance policy");
}

TEST(PolicyParse, LineColumnOfCountsBytesFromOne) {
    const std::string text = "ab\ncd\n\nx";
    EXPECT_EQ(lineColumnOf(text, 0), std::make_pair(1, 1));
    EXPECT_EQ(lineColumnOf(text, 4), std::make_pair(2, 2));
    EXPECT_EQ(lineColumnOf(text, 7), std::make_pair(4, 1));
    EXPECT_EQ(lineColumnOf(text, 100), std::make_pair(4, 2));
}

TEST(PolicyWrite, EditedPolicyRoundTripsThroughJson) {
    Policy edited = defaultPolicy();
    edited.name = "Edited \"quoted\" policy";
    edited.risk.rules[0].points = 35;
    edited.risk.questions[0].answers.push_back({"partial", "Partial outage", 9});
    edited.approvalRules[1].quorum = Quorum::All;
    edited.approvalRules[2].when.minRisk = RiskLevel::Moderate;
    edited.models[0].allowedCis = {"web-*"};
    edited.separation.excludeStepOwners = false;
    edited.lifecycle.reviewRequiredFor = {ChangeType::Emergency};

    const std::string json = writePolicyJson(edited);
    auto back = parsePolicy(json, "edited.json");
    ASSERT_TRUE(back.ok()) << back.error().toString();
    EXPECT_EQ(back->source, json);
    Policy expected = edited;
    expected.source = json;
    EXPECT_TRUE(back.value() == expected);
    EXPECT_EQ(back->risk.rules[0].points, 35);
    EXPECT_EQ(back->risk.rules[5].fact, "rollback_tested");
    EXPECT_EQ(back->risk.rules[5].number, 0);
    EXPECT_EQ(back->risk.rules[4].textValue, "emergency");
    EXPECT_EQ(writePolicyJson(back.value()), json);

    Policy fromDefault = defaultPolicy();
    auto again = parsePolicy(writePolicyJson(fromDefault), "d.json");
    ASSERT_TRUE(again.ok());
    again->source = fromDefault.source;
    EXPECT_TRUE(again.value() == fromDefault);
}
