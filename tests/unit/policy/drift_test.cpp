#include <gtest/gtest.h>

#include "policy/drift.hpp"
#include "policy/json_locator.hpp"
#include "policy_fixtures.hpp"

using namespace planner::core;
using namespace planner::core::policy;
using planner::core::policy::testing::readDataFile;

namespace {

const DriftItem* item(const DriftReport& r, const std::string& ci, const std::string& attr) {
    for (const auto& i : r.items)
        if (i.ci == ci && i.attribute == attr) return &i;
    return nullptr;
}

}  // namespace

TEST(Baselines, JsonBaselineKeepsNumbersAsWritten) {
    auto snap = importConfigJson(readDataFile("baseline.json"), "baseline.json");
    ASSERT_TRUE(snap.ok()) << snap.error().toString();
    ASSERT_EQ(snap->size(), 2u);
    EXPECT_EQ(snap->at("web-01").at("workers"), "4");
    EXPECT_EQ(snap->at("db-01").at("ssl"), "true");
    EXPECT_EQ(snap->at("web-01").at("tls.protocols"), "TLSv1.2 TLSv1.3");
    auto precise = importConfigJson(R"({"a": {"ratio": 0.1, "big": 12345678901234567890}})", "p.json");
    ASSERT_TRUE(precise.ok());
    EXPECT_EQ(precise->at("a").at("ratio"), "0.1");
    EXPECT_EQ(precise->at("a").at("big"), "12345678901234567890");
}

TEST(Baselines, JsonErrorsNameLineAndColumn) {
    auto bad = importConfigJson("{\n  \"web-01\": {\n    \"ports\": [80, 443]\n  }\n}", "b.json");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().file, "b.json");
    EXPECT_EQ(bad.error().line, 3);
    EXPECT_EQ(bad.error().column, 5);
    EXPECT_NE(bad.error().message.find("attribute \"ports\""), std::string::npos);

    auto syntax = importConfigJson("{\n  \"web-01\": {\"a\": \"1\",}\n}", "s.json");
    ASSERT_FALSE(syntax.ok());
    EXPECT_EQ(syntax.error().line, 2);
    EXPECT_NE(syntax.error().message.find("invalid JSON"), std::string::npos);

    auto notObject = importConfigJson("[1]", "n.json");
    ASSERT_FALSE(notObject.ok());
    EXPECT_NE(notObject.error().message.find("expected an object"), std::string::npos);

    auto ciNotObject = importConfigJson("{\"web\": 3}", "c.json");
    ASSERT_FALSE(ciNotObject.ok());
    EXPECT_EQ(ciNotObject.error().column, 2);
}

TEST(Baselines, CsvImport) {
    auto snap = importConfigCsv(readDataFile("observed.csv"), "observed.csv");
    ASSERT_TRUE(snap.ok()) << snap.error().toString();
    EXPECT_EQ(snap->at("web-01").size(), 3u);
    EXPECT_EQ(snap->at("db-01").at("log_statement"), "all");

    auto quoted = importConfigCsv("value,CI,Attribute\r\n\"a,\"\"b\"\"\nc\",web,motd\r\n,web,empty\r\n\r\n", "q.csv");
    ASSERT_TRUE(quoted.ok()) << quoted.error().toString();
    EXPECT_EQ(quoted->at("web").at("motd"), "a,\"b\"\nc");
    EXPECT_EQ(quoted->at("web").at("empty"), "");

    auto trailing = importConfigCsv("ci,attribute,value\nweb,a,", "t.csv");
    ASSERT_TRUE(trailing.ok());
    EXPECT_EQ(trailing->at("web").at("a"), "");
}

TEST(Baselines, CsvErrorsNameLineAndColumn) {
    auto unterminated = importConfigCsv(readDataFile("bad_quote.csv"), "bad_quote.csv");
    ASSERT_FALSE(unterminated.ok());
    EXPECT_EQ(unterminated.error().line, 3);
    EXPECT_EQ(unterminated.error().column, 8);
    EXPECT_NE(unterminated.error().message.find("unterminated quoted field"), std::string::npos);

    struct Case {
        std::string text;
        std::string message;
        int line;
        int column;
    };
    const std::vector<Case> cases = {
        {"ci,attribute,value\nweb,a\n", "expected 3 fields, found 2", 2, 1},
        {"ci,attribute,colour\n", "unknown column \"colour\"", 1, 14},
        {"ci,attribute\n", "must name the columns", 1, 1},
        {"ci,ci,value\n", "column \"ci\" appears twice", 1, 4},
        {"ci,attribute,value\nweb,a,1\nweb,a,2\n", "attribute \"a\" of CI \"web\" appears twice", 3, 5},
        {"ci,attribute,value\n,a,1\n", "empty CI id", 2, 1},
        {"ci,attribute,value\nweb,,1\n", "empty attribute name", 2, 5},
        {"ci,attribute,value\nweb,a,x\"y\n", "quote inside an unquoted field", 2, 8},
        {"ci,attribute,value\nweb,a,\"x\"y\n", "after a quoted field", 2, 10},
        {"", "empty file", 1, 1},
    };
    for (const Case& c : cases) {
        auto r = importConfigCsv(c.text, "x.csv");
        ASSERT_FALSE(r.ok()) << c.text;
        EXPECT_NE(r.error().message.find(c.message), std::string::npos) << r.error().message;
        EXPECT_EQ(r.error().line, c.line) << c.text;
        EXPECT_EQ(r.error().column, c.column) << c.text;
    }
}

TEST(Drift, ExpectedUnexpectedAndMissing) {
    auto baseline = importConfigJson(readDataFile("baseline.json"), "baseline.json");
    auto observed = importConfigCsv(readDataFile("observed.csv"), "observed.csv");
    ASSERT_TRUE(baseline.ok() && observed.ok());
    const std::vector<DeclaredChange> declared = {
        {"web-01", "nginx.version", "1.24.0"},
        {"db-01", "max_connections", "400"},
        {"web-01", "cache.size", "1g"},
    };
    DriftReport r = detectDrift(*baseline, declared, *observed);
    EXPECT_EQ(r.expected, 1);
    EXPECT_EQ(r.unexpected, 2);
    EXPECT_EQ(r.missing, 2);
    EXPECT_EQ(r.items.size(), 5u);
    EXPECT_TRUE(r.unobservedCis.empty());

    const DriftItem* nginx = item(r, "web-01", "nginx.version");
    ASSERT_NE(nginx, nullptr);
    EXPECT_EQ(nginx->kind, DriftKind::Expected);
    EXPECT_EQ(nginx->baselineValue, "1.22.1");

    const DriftItem* workers = item(r, "web-01", "workers");
    ASSERT_NE(workers, nullptr);
    EXPECT_EQ(workers->kind, DriftKind::Unexpected);
    EXPECT_EQ(workers->explanation, "web-01.workers changed from \"4\" to \"8\" without a declared change.");

    const DriftItem* logging = item(r, "db-01", "log_statement");
    ASSERT_NE(logging, nullptr);
    EXPECT_EQ(logging->kind, DriftKind::Unexpected);
    EXPECT_FALSE(logging->baselineValue.has_value());

    const DriftItem* conn = item(r, "db-01", "max_connections");
    ASSERT_NE(conn, nullptr);
    EXPECT_EQ(conn->kind, DriftKind::Missing);
    EXPECT_EQ(conn->explanation, "db-01.max_connections was declared to change to \"400\" but is unchanged.");

    const DriftItem* cache = item(r, "web-01", "cache.size");
    ASSERT_NE(cache, nullptr);
    EXPECT_EQ(cache->kind, DriftKind::Missing);
    EXPECT_NE(cache->explanation.find("absent"), std::string::npos);

    EXPECT_EQ(item(r, "web-01", "tls.protocols"), nullptr);
    EXPECT_STREQ(toString(DriftKind::Missing), "missing");
}

TEST(Drift, WrongValueRemovalAnyValueAndUnobservedCis) {
    ConfigSnapshot baseline = {{"a", {{"v", "1"}, {"gone", "x"}}}, {"b", {{"v", "1"}}}};
    ConfigSnapshot observed = {{"a", {{"v", "3"}, {"free", "new"}}}};
    std::vector<DeclaredChange> declared = {{"a", "v", "2"}, {"a", "free", ""}, {"b", "v", "2"}};
    DriftReport r = detectDrift(baseline, declared, observed);
    EXPECT_EQ(item(r, "a", "v")->kind, DriftKind::Unexpected);
    EXPECT_EQ(item(r, "a", "v")->explanation, "a.v is \"3\" but the change declared \"2\".");
    EXPECT_EQ(item(r, "a", "free")->kind, DriftKind::Expected);
    EXPECT_EQ(item(r, "a", "gone")->kind, DriftKind::Unexpected);
    EXPECT_NE(item(r, "a", "gone")->explanation.find("disappeared"), std::string::npos);
    EXPECT_EQ(item(r, "b", "v")->kind, DriftKind::Missing);
    EXPECT_EQ(r.unobservedCis, std::vector<std::string>{"b"});

    DriftReport clean = detectDrift(baseline, {}, baseline);
    EXPECT_TRUE(clean.items.empty());
    EXPECT_EQ(clean.unexpected, 0);
}

TEST(Baselines, ErrorsInKeysWithSlashesPointAtTheRightLine) {
    auto r =
        importConfigJson("{\n\"a/b\": {\"x\": \"1\"},\n\"a\": {\"b\": \"1\"},\n\"c~1\": {\"p/q\": null}\n}", "k.json");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().line, 4);
    EXPECT_EQ(pointerToken("c~1/x"), "c~01~1x");
}
