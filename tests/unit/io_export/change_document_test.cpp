#include <gtest/gtest.h>

#include "export_fixture.hpp"
#include "io/canonical_json.hpp"
#include "io/export_change.hpp"

using namespace planner::core;
using namespace planner::core::io;
using namespace planner::core::io::testing;

TEST(ChangeDocument, RoundTripsEveryField) {
    ChangeRequest c = sampleChange();
    c.review = Review{"successful_with_issues", "done", 1, 25, "Check replica lag first", 1795420000};
    c.closeCode = "successful_issues";
    c.closeNotes = "Closed after review";
    c.description += " \xE2\x80\xAE <script>\"quoted\" & \xF0\x9F\x98\x80";
    c.approvals[1].decision = Decision::Reject;
    c.approvals[1].retrospective = true;
    const std::string text = writeChangeDocument(c);
    auto back = parseChangeDocument(text, "chg.json");
    ASSERT_TRUE(back.ok()) << back.error().toString();
    EXPECT_EQ(*back, c);
    EXPECT_EQ(writeChangeDocument(*back), text);
}

TEST(ChangeDocument, RoundTripsDefaultsAndUnplannedTimes) {
    ChangeRequest c;
    c.id = "CHG1";
    const std::string text = writeChangeDocument(c);
    EXPECT_NE(text.find("\"start_date\":null"), std::string::npos);
    EXPECT_NE(text.find("\"review\":null"), std::string::npos);
    auto back = parseChangeDocument(text, "min.json");
    ASSERT_TRUE(back.ok()) << back.error().toString();
    EXPECT_EQ(*back, c);
}

TEST(ChangeDocument, IsCanonicalWithTicketingFieldNames) {
    const std::string text = writeChangeDocument(sampleChange());
    auto canon = canonicalizeJson(text, "x");
    ASSERT_TRUE(canon.ok());
    EXPECT_EQ(*canon, text);
    for (const char* key : {"\"number\":\"CHG0001234\"", "\"short_description\":", "\"backout_plan\":",
                            "\"start_date\":\"2026-11-23T02:00:00Z\"", "\"assignment_group\":\"DBA\"",
                            "\"state\":\"scheduled\"", "\"type\":\"normal\"", "\"schema\":\"planner.change\""})
        EXPECT_NE(text.find(key), std::string::npos) << key;
}

TEST(ChangeDocument, ReadsTheSampleFile) {
    const std::string text = readTextFile(std::string(PLANNER_TEST_DATA_DIR) + "/export/change_sample.json");
    ASSERT_FALSE(text.empty());
    auto c = parseChangeDocument(text, "change_sample.json");
    ASSERT_TRUE(c.ok()) << c.error().toString();
    EXPECT_EQ(c->id, "CHG0000042");
    EXPECT_EQ(c->type, ChangeType::Emergency);
    ASSERT_EQ(c->steps.size(), 2u);
    EXPECT_EQ(c->steps[1].dependsOn, std::vector<std::string>{"s1"});
    EXPECT_EQ(c->plannedStart, 1795399200);
}

struct BadCase {
    const char* json;
    int line;
    int column;
    const char* messagePart;
};

TEST(ChangeDocument, ErrorsNameLineColumnAndField) {
    const BadCase cases[] = {
        {"{\"schema\":\"planner.change\",\"schema_version\":1,\n\"number\":\"C1\",\n\"type\":\"urgent\"}", 3, 8,
         "/type"},
        {"{\"schema\":\"planner.change\",\"schema_version\":1,\"number\":\"C1\",\n\"steps\":[{\"id\":\"s1\","
         "\"duration_minutes\":\"ten\"}]}",
         2, 40, "/steps/0/duration_minutes"},
        {"{\"schema\":\"planner.change\",\"schema_version\":1,\"number\":\"C1\",\"start_date\":\"2026-11-23 "
         "02:00\"}",
         1, 74, "/start_date"},
        {"{\"schema\":\"planner.change\",\"schema_version\":1,\"number\":\"C1\",\"titel\":\"x\"}", 1, 69,
         "unknown field"},
        {"{\"schema\":\"planner.change\",\"schema_version\":1}", 1, 1, "/number"},
        {"{\"schema\":\"planner.cmdb_slice\",\"schema_version\":1,\"number\":\"C1\"}", 1, 11, "/schema"},
        {"{\"schema\":\"planner.change\",\"schema_version\":2,\"number\":\"C1\"}", 1, 45, "/schema_version"},
        {"{\"schema\":\"planner.change\",\"schema_version\":1,\"number\":\"C1\",\"steps\":[{\"id\":\"a\"},"
         "{\"id\":\"a\"}]}",
         1, 87, "duplicate step id"},
        {"{\"schema\":\"planner.change\",\"schema_version\":1,\"number\":\"C1\",\"approvals\":[{\"approver\":\"x\","
         "\"decision\":\"maybe\"}]}",
         1, 101, "/approvals/0/decision"},
        {"[1,2]", 1, 1, "expected an object"},
        {"{\"number\": 1.5}", 1, 12, "floating-point"},
    };
    for (const auto& bc : cases) {
        auto r = parseChangeDocument(bc.json, "bad.json");
        ASSERT_FALSE(r.ok()) << bc.json;
        EXPECT_EQ(r.error().file, "bad.json");
        EXPECT_EQ(r.error().line, bc.line) << r.error().toString();
        EXPECT_EQ(r.error().column, bc.column) << r.error().toString();
        EXPECT_NE(r.error().message.find(bc.messagePart), std::string::npos) << r.error().toString();
    }
}

TEST(CmdbSlice, WritesSortedAndRoundTrips) {
    const ExportContext ctx = sampleContext();
    const std::string text = writeCmdbSlice("CHG0001234", ctx.impactedCis, ctx.relationships);
    auto slice = parseCmdbSlice(text, "slice.json");
    ASSERT_TRUE(slice.ok()) << slice.error().toString();
    EXPECT_EQ(slice->change, "CHG0001234");
    ASSERT_EQ(slice->cis.size(), 4u);
    EXPECT_EQ(slice->cis[0].id, "app-shop");
    EXPECT_EQ(slice->cis[1], ctx.impactedCis[0]);
    ASSERT_EQ(slice->relationships.size(), 3u);
    EXPECT_EQ(slice->relationships[0].from, "app-shop");
    std::vector<ConfigItem> reversed(ctx.impactedCis.rbegin(), ctx.impactedCis.rend());
    EXPECT_EQ(writeCmdbSlice("CHG0001234", reversed, ctx.relationships), text);
}

TEST(CmdbSlice, RejectsDanglingRelationshipsAndDuplicates) {
    const char* dangling =
        "{\"schema\":\"planner.cmdb_slice\",\"schema_version\":1,\"cis\":[{\"id\":\"a\"}],\n"
        "\"relationships\":[{\"from\":\"a\",\"to\":\"b\",\"type\":\"runs_on\"}]}";
    auto r = parseCmdbSlice(dangling, "s.json");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().line, 2);
    EXPECT_NE(r.error().message.find("/relationships/0/to"), std::string::npos);
    auto dup = parseCmdbSlice(
        "{\"schema\":\"planner.cmdb_slice\",\"schema_version\":1,\"cis\":[{\"id\":\"a\"},{\"id\":\"a\"}]}", "d.json");
    ASSERT_FALSE(dup.ok());
    EXPECT_NE(dup.error().message.find("duplicate CI id"), std::string::npos);
    auto tier = parseCmdbSlice(
        "{\"schema\":\"planner.cmdb_slice\",\"schema_version\":1,\"cis\":[{\"id\":\"a\",\"tier\":9}]}", "t.json");
    ASSERT_FALSE(tier.ok());
    EXPECT_NE(tier.error().message.find("/cis/0/tier"), std::string::npos);
}
