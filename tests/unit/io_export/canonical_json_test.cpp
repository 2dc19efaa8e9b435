#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include "io/canonical_json.hpp"
#include "io/export_text.hpp"

using namespace planner::core;
using namespace planner::core::io;

TEST(CanonicalJson, SortsKeysAndDropsWhitespace) {
    auto r = canonicalizeJson("{ \"b\" : 1,\n \"a\" : [ true, null, \"x\" ], \"c\": {\"z\":1,\"y\":-2} }", "t.json");
    ASSERT_TRUE(r.ok()) << r.error().toString();
    EXPECT_EQ(*r, R"({"a":[true,null,"x"],"b":1,"c":{"y":-2,"z":1}})");
}

TEST(CanonicalJson, OrdersKeysByUtf16CodeUnits) {
    // U+FF61 (one UTF-16 unit 0xFF61) sorts after U+1F600 (surrogates 0xD83D...), unlike byte order.
    auto r = canonicalizeJson("{\"\xEF\xBD\xA1\":1,\"\xF0\x9F\x98\x80\":2,\"a\":3}", "t.json");
    ASSERT_TRUE(r.ok()) << r.error().toString();
    EXPECT_EQ(*r, "{\"a\":3,\"\xF0\x9F\x98\x80\":2,\"\xEF\xBD\xA1\":1}");
}

TEST(CanonicalJson, EscapesControlsQuotesAndKeepsUtf8) {
    rapidjson::Document d(rapidjson::kObjectType);
    const std::string s = std::string("q\"b\\n\nt\t") + '\x01' + "\xC3\xA9\xE2\x80\xAE";
    d.AddMember("k", rapidjson::Value(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), d.GetAllocator()),
                d.GetAllocator());
    EXPECT_EQ(canonicalJson(d), "{\"k\":\"q\\\"b\\\\n\\nt\\t\\u0001\xC3\xA9\xE2\x80\xAE\"}");
}

TEST(CanonicalJson, ReplacesInvalidUtf8InBuiltValues) {
    rapidjson::Document d(rapidjson::kArrayType);
    d.PushBack(rapidjson::Value("a\xFF" "b", d.GetAllocator()), d.GetAllocator());
    EXPECT_EQ(canonicalJson(d), "[\"a\xEF\xBF\xBD" "b\"]");
}

TEST(CanonicalJson, IsIdempotent) {
    const char* input = "{\"z\":[1,2,{\"b\":\"\\u00e9\",\"a\":-9223372036854775808}],\"m\":18446744073709551615}";
    auto once = canonicalizeJson(input, "t.json");
    ASSERT_TRUE(once.ok()) << once.error().toString();
    auto twice = canonicalizeJson(*once, "t.json");
    ASSERT_TRUE(twice.ok());
    EXPECT_EQ(*once, *twice);
    EXPECT_NE(once->find("-9223372036854775808"), std::string::npos);
    EXPECT_NE(once->find("18446744073709551615"), std::string::npos);
    EXPECT_NE(once->find("\xC3\xA9"), std::string::npos);  // \u00e9 becomes the UTF-8 character
}

TEST(CanonicalJson, RejectsFloatsWithPosition) {
    auto r = canonicalizeJson("{\n  \"a\": 1,\n  \"b\": 2.5\n}", "float.json");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().file, "float.json");
    EXPECT_EQ(r.error().line, 3);
    EXPECT_EQ(r.error().column, 8);
    EXPECT_NE(r.error().message.find("floating-point"), std::string::npos);
    EXPECT_FALSE(canonicalizeJson("[1e3]", "e.json").ok());
    auto big = canonicalizeJson("[123456789012345678901234567890]", "big.json");
    ASSERT_FALSE(big.ok());
    EXPECT_NE(big.error().message.find("range"), std::string::npos);
}

TEST(CanonicalJson, RejectsSyntaxErrorsDuplicatesAndBadBytes) {
    auto syntax = canonicalizeJson("{\"a\":1,\n\"b\" 2}", "s.json");
    ASSERT_FALSE(syntax.ok());
    EXPECT_EQ(syntax.error().line, 2);
    EXPECT_GT(syntax.error().column, 1);
    auto dup = canonicalizeJson("{\"a\":1,\"a\":2}", "d.json");
    ASSERT_FALSE(dup.ok());
    EXPECT_NE(dup.error().message.find("duplicate key"), std::string::npos);
    EXPECT_FALSE(canonicalizeJson("[\"\xFF\"]", "u.json").ok());
    EXPECT_FALSE(canonicalizeJson(std::string_view("[1]\0[2]", 7), "n.json").ok());
    EXPECT_FALSE(canonicalizeJson("[1] [2]", "two.json").ok());
    EXPECT_FALSE(canonicalizeJson("", "empty.json").ok());
}

TEST(CanonicalJson, BoundsNestingDepth) {
    EXPECT_TRUE(canonicalizeJson(std::string(100, '[') + std::string(100, ']'), "ok.json").ok());
    auto deep = canonicalizeJson(std::string(5000, '[') + std::string(5000, ']'), "deep.json");
    ASSERT_FALSE(deep.ok());
    EXPECT_NE(deep.error().message.find("nesting"), std::string::npos);
}

TEST(LocatedJson, NamesLineAndColumnOfAField) {
    auto r = parseLocatedJson("{\n  \"steps\": [\n    {\"id\": \"s1\"},\n    {\"id\": 7}\n  ]\n}", "p.json");
    ASSERT_TRUE(r.ok());
    Error e = (*r)->errorAt("/steps/1/id", "bad");
    EXPECT_EQ(e.line, 4);
    EXPECT_EQ(e.column, 12);
    Error parent = (*r)->errorAt("/steps/1/missing", "bad");
    EXPECT_EQ(parent.line, 4);
    EXPECT_EQ(parent.column, 5);
}

TEST(ExportText, FormatsAndParsesUtcTimes) {
    EXPECT_EQ(formatIsoUtc(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(formatIsoUtc(1795399200), "2026-11-23T02:00:00Z");
    EXPECT_EQ(formatSqlUtc(951782400), "2000-02-29 00:00:00");
    EXPECT_EQ(formatJiraUtc(1795399200), "2026-11-23T02:00:00.000+0000");
    EXPECT_EQ(formatRfc5322Date(1795399200), "Mon, 23 Nov 2026 02:00:00 +0000");
    EXPECT_EQ(formatIsoUtc(-1), "1969-12-31T23:59:59Z");
    for (TimeUtc t : {TimeUtc{0}, TimeUtc{951782400}, TimeUtc{1795399200}, TimeUtc{4102444799}})
        EXPECT_EQ(parseIsoUtc(formatIsoUtc(t)), t);
    EXPECT_FALSE(parseIsoUtc("2026-02-29T00:00:00Z").has_value());
    EXPECT_FALSE(parseIsoUtc("2026-11-23T02:00:00").has_value());
    EXPECT_FALSE(parseIsoUtc("2026-11-23 02:00:00Z").has_value());
    EXPECT_FALSE(parseIsoUtc("2026-11-23T24:00:00Z").has_value());
}
