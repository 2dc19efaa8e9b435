// Bounded JSON parsing: every entry point that reads outside JSON refuses a
// text nested a million levels deep with a located error instead of crashing.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "../../../app/ui/preferences.hpp"
#include "../store/store_test_support.hpp"
#include "command/command.hpp"
#include "crypto/key_store.hpp"
#include "io/canonical_json.hpp"
#include "io/cmdb_import.hpp"
#include "io/export_change.hpp"
#include "model/serialization.hpp"
#include "policy/drift.hpp"
#include "policy/policy.hpp"
#include "session/change_assessment.hpp"
#include "session/workspace_backup.hpp"
#include "store/workspace_files.hpp"
#include "util/json_parse.hpp"

using namespace planner::core;

namespace {

constexpr int kMillion = 1000000;

// `depth` opening brackets (closed again when `closed`): depth 257 starts at column 257.
std::string deepArrays(int depth, bool closed = true) {
    return std::string(depth, '[') + (closed ? std::string(depth, ']') : std::string());
}

// {"a":{"a":...{"a":1}...}}: each level is 5 bytes, so level 257 starts at column 1281.
std::string deepObjects(int depth) {
    std::string out;
    out.reserve(static_cast<std::size_t>(depth) * 6 + 1);
    for (int i = 0; i < depth; ++i) out += "{\"a\":";
    out += '1';
    out.append(static_cast<std::size_t>(depth), '}');
    return out;
}

constexpr int kArrayColumn = 257;
constexpr int kObjectColumn = 256 * 5 + 1;

void expectTooDeep(const Error& e, const std::string& file, int column) {
    EXPECT_EQ(e.file, file) << e.toString();
    EXPECT_EQ(e.line, 1) << e.toString();
    EXPECT_EQ(e.column, column) << e.toString();
    EXPECT_NE(e.message.find("nesting deeper than 256"), std::string::npos) << e.toString();
}

template <class R>
void expectTooDeep(const R& r, const std::string& file, int column) {
    ASSERT_FALSE(r.ok());
    expectTooDeep(r.error(), file, column);
}

}  // namespace

TEST(JsonParse, AcceptsDepth256AndRefusesDepth257AtItsBracket) {
    rapidjson::Document doc;
    JsonParseOptions options;
    EXPECT_TRUE(parseJson(doc, deepArrays(256), "ok.json", options).ok());
    EXPECT_TRUE(doc.IsArray());
    auto st = parseJson(doc, deepArrays(257), "deep.json", options);
    expectTooDeep(st, "deep.json", kArrayColumn);
    EXPECT_TRUE(doc.IsNull());  // nothing partial is left
}

TEST(JsonParse, AMillionLevelsOfArraysOrObjectsIsACleanError) {
    rapidjson::Document doc;
    JsonParseOptions options;
    expectTooDeep(parseJson(doc, deepArrays(kMillion), "a.json", options), "a.json", kArrayColumn);
    expectTooDeep(parseJson(doc, deepObjects(kMillion), "o.json", options), "o.json", kObjectColumn);
}

TEST(JsonParse, LocatesOnLaterLinesAndInCodePoints) {
    rapidjson::Document doc;
    JsonParseOptions options;
    options.codePointColumns = true;
    auto st = parseJson(doc, "{\"é\":\n  [1, 2,, 3]}", "x.json", options);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().line, 2);
    EXPECT_EQ(st.error().column, 9);
    options.codePointColumns = false;
    st = parseJson(doc, std::string("\"\xC3\xA9\" x"), "y.json", options);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().line, 1);
    EXPECT_EQ(st.error().column, 6);  // bytes
}

TEST(JsonParse, RefusesTextsOverTheSizeLimitBeforeParsing) {
    rapidjson::Document doc;
    JsonParseOptions options;
    options.maxBytes = 10;
    auto st = parseJson(doc, "[1,2,3,4,5,6]", "big.json", options);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().file, "big.json");
    EXPECT_NE(st.error().message.find("at most 10 bytes"), std::string::npos) << st.error().toString();
}

TEST(JsonParse, CmdbJsonImportRefusesDeepNesting) {
    for (const auto& [text, column] : {std::pair{deepArrays(kMillion), kArrayColumn},
                                       std::pair{deepObjects(kMillion), kObjectColumn}}) {
        io::CmdbSource src{io::CmdbFormat::Json, "cmdb.json", "", text};
        expectTooDeep(io::parseCmdb({src}, {}), "cmdb.json", column);
    }
}

TEST(JsonParse, PolicyAndDriftFilesRefuseDeepNesting) {
    expectTooDeep(policy::parsePolicy(deepArrays(kMillion), "policy.json"), "policy.json", kArrayColumn);
    expectTooDeep(policy::parsePolicy(deepObjects(kMillion), "policy.json"), "policy.json", kObjectColumn);
    expectTooDeep(policy::importConfigJson(deepArrays(kMillion), "config.json"), "config.json", kArrayColumn);
    expectTooDeep(policy::importConfigJson(deepObjects(kMillion), "config.json"), "config.json", kObjectColumn);
    auto observation = parseDriftObservation(deepArrays(kMillion), "CHG1");
    ASSERT_FALSE(observation.ok());
    EXPECT_EQ(observation.error().column, kArrayColumn);
    EXPECT_NE(observation.error().message.find("nesting deeper than 256"), std::string::npos);
}

TEST(JsonParse, ChangeDocumentsAndBundleChangeJsonRefuseDeepNesting) {
    expectTooDeep(io::parseChangeDocument(deepArrays(kMillion), "change.json"), "change.json", kArrayColumn);
    expectTooDeep(io::parseChangeDocument(deepObjects(kMillion), "change.json"), "change.json", kObjectColumn);
    expectTooDeep(io::canonicalizeJson(deepArrays(kMillion), "c.json"), "c.json", kArrayColumn);
    expectTooDeep(changeFromJson(deepObjects(kMillion), "row.json"), "row.json", kObjectColumn);
    expectTooDeep(changeFromRowJson(deepArrays(kMillion), "row.json"), "row.json", kArrayColumn);
    expectTooDeep(command::commandFromJson(deepObjects(kMillion), "cmd.json"), "cmd.json", kObjectColumn);
}

TEST(JsonParse, JsonRestoreRefusesDeepNestingAndCreatesNothing) {
    const std::string dir = planner::core::testing::freshDir("json-parse-restore");
    expectTooDeep(snapshotFromJson(deepArrays(kMillion), "w.json"), "w.json", kArrayColumn);
    expectTooDeep(store::restoreWorkspaceFromJson(dir, "deep", deepObjects(kMillion), "w.json"), "w.json",
                  kObjectColumn);
    expectTooDeep(restoreBackup(dir, "deep", deepArrays(kMillion), "w.json", dir + "/scratch"), "w.json",
                  kArrayColumn);
    EXPECT_TRUE(std::filesystem::is_empty(dir));
}

TEST(JsonParse, KeyFilesRefuseDeepNestingAndOversizedText) {
    // A key file is small: 64 KiB at most, so a million levels is refused for its size.
    auto big = crypto::storedKeyPublicKey(deepArrays(kMillion), "signing.key");
    ASSERT_FALSE(big.ok());
    EXPECT_EQ(big.error().file, "signing.key");
    EXPECT_NE(big.error().message.find("at most"), std::string::npos) << big.error().toString();
    expectTooDeep(crypto::storedKeyPublicKey(deepArrays(30000), "signing.key"), "signing.key", kArrayColumn);
    expectTooDeep(crypto::storedKeyPublicKey(deepObjects(10000), "signing.key"), "signing.key", kObjectColumn);
}

TEST(JsonParse, PreferencesFallBackToDefaultsNamingTheLocation) {
    std::string problem;
    EXPECT_EQ(planner::ui::ParsePreferences(deepArrays(kMillion, false), &problem), planner::ui::Settings{});
    EXPECT_NE(problem.find("preferences.json:1:257: invalid JSON: nesting deeper than 256"), std::string::npos)
        << problem;
    problem.clear();
    EXPECT_EQ(planner::ui::ParsePreferences(deepObjects(100000), &problem), planner::ui::Settings{});
    EXPECT_NE(problem.find("preferences.json:1:1281:"), std::string::npos) << problem;
}
