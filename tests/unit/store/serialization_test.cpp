#include <gtest/gtest.h>

#include "model/serialization.hpp"
#include "store_test_support.hpp"

using namespace planner::core;
using namespace planner::core::testing;

TEST(Serialization, ChangeRoundTripsThroughJson) {
    const ChangeRequest c = sampleChange();
    const std::string json = toJson(c);
    EXPECT_NE(json.find("\"schemaVersion\": 1"), std::string::npos);
    EXPECT_NE(json.find("\"type\": \"emergency\""), std::string::npos);
    EXPECT_NE(json.find("\"state\": \"authorized\""), std::string::npos);
    auto back = changeFromJson(json, "c.json");
    ASSERT_TRUE(back.ok()) << back.error().toString();
    EXPECT_EQ(*back, c);
    EXPECT_EQ(toJson(*back), json);  // stable key order
}

TEST(Serialization, ChangeWithoutReviewRoundTrips) {
    ChangeRequest c = sampleChange();
    c.review.reset();
    auto back = changeFromJson(toJson(c), "c.json");
    ASSERT_TRUE(back.ok()) << back.error().toString();
    EXPECT_EQ(*back, c);
}

TEST(Serialization, OtherModelTypesRoundTrip) {
    std::vector<ConfigItem> cis = {sampleCi("a"), sampleCi("b", "database")};
    auto c2 = configItemsFromJson(toJson(cis), "cis.json");
    ASSERT_TRUE(c2.ok()) << c2.error().toString();
    EXPECT_EQ(*c2, cis);
    auto w = windowFromJson(toJson(sampleWindow()), "w.json");
    ASSERT_TRUE(w.ok()) << w.error().toString();
    EXPECT_EQ(*w, sampleWindow());
    auto p = personFromJson(toJson(samplePerson()), "p.json");
    ASSERT_TRUE(p.ok()) << p.error().toString();
    EXPECT_EQ(*p, samplePerson());
}

TEST(Serialization, SnapshotRoundTrips) {
    WorkspaceSnapshot s;
    s.data.name = "ws";
    s.data.cis = {sampleCi("a"), sampleCi("b")};
    s.data.relationships = {Relationship{"a", "b", "depends_on"}};
    s.data.changes = {sampleChange("C1"), sampleChange("C2")};
    s.data.windows = {sampleWindow()};
    s.data.people = {samplePerson()};
    s.settings = {{"theme", "dark"}};
    s.policies = {{"default", "{\"rules\":[]}"}};
    auto back = snapshotFromJson(toJson(s), "backup.json");
    ASSERT_TRUE(back.ok()) << back.error().toString();
    EXPECT_EQ(*back, s);
}

TEST(Serialization, BinaryCmdbRoundTripsAndRejectsGarbage) {
    std::vector<ConfigItem> cis = {sampleCi("a"), sampleCi("b")};
    std::vector<Relationship> rels = {{"a", "b", "runs_on"}};
    auto back = cmdbFromBinary(cmdbToBinary(cis, rels));
    ASSERT_TRUE(back.ok()) << back.error().toString();
    EXPECT_EQ(back->first, cis);
    EXPECT_EQ(back->second, rels);
    std::string bytes = cmdbToBinary(cis, rels);
    EXPECT_FALSE(cmdbFromBinary(bytes.substr(0, bytes.size() / 2)).ok());
}

TEST(Serialization, MalformedJsonNamesLineAndColumn) {
    auto r = changeFromJson("{\n  \"schemaVersion\": 1,\n  \"change\": {\"id\": }\n}", "bad.json");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().file, "bad.json");
    EXPECT_EQ(r.error().line, 3);
    EXPECT_GT(r.error().column, 1);
}

TEST(Serialization, UnknownEnumNameAndNewerVersionAreRejected) {
    std::string json = toJson(sampleChange());
    std::string bad = json;
    bad.replace(bad.find("\"emergency\""), 11, "\"urgent\"");
    auto r = changeFromJson(bad, "c.json");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("urgent"), std::string::npos);
    std::string newer = json;
    newer.replace(newer.find("\"schemaVersion\": 1"), 18, "\"schemaVersion\": 99");
    auto r2 = changeFromJson(newer, "c.json");
    ASSERT_FALSE(r2.ok());
    EXPECT_NE(r2.error().message.find("schemaVersion 99"), std::string::npos);
}

TEST(Serialization, StoredRowsWithTrailingContentOrAnotherRootAreErrorsNotCrashes) {
    ChangeRequest c;
    c.id = "CHG1";
    const std::string row = changeToRowJson(c);
    ASSERT_TRUE(changeFromRowJson(row, "row").ok());
    // A foreign database can hold anything in a row: each is refused with a message.
    for (const std::string& bad : {row + "garbage", row + "{}", std::string("[1,2]"), std::string("5"),
                                   std::string("\"text\""), std::string("")}) {
        auto r = changeFromRowJson(bad, "row");
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.error().file, "row");
    }
}
