#include "bundle/trusted_comment.hpp"

#include <gtest/gtest.h>

namespace planner::core::bundle {
namespace {

TEST(TrustedComment, FormatsAndParsesWithEscapes) {
    const CommentFields fields = {{"kind", "approval"}, {"name", "Zoë O'Neil = 100% sure"}, {"empty", ""}};
    const std::string text = formatTrustedComment(fields);
    EXPECT_EQ(text, "kind=approval name=Zoë%20O'Neil%20%3D%20100%25%20sure empty=");
    auto back = parseTrustedComment(text);
    ASSERT_TRUE(back.ok()) << back.error().toString();
    EXPECT_EQ(*back, fields);
    EXPECT_EQ(formatTrustedComment({{"c", "line\nbreak\ttab"}}), "c=line%0Abreak%09tab");
}

TEST(TrustedComment, RejectsMalformedText) {
    EXPECT_FALSE(parseTrustedComment("").ok());
    EXPECT_FALSE(parseTrustedComment("novalue").ok());
    EXPECT_FALSE(parseTrustedComment("=x").ok());
    EXPECT_FALSE(parseTrustedComment("Upper=x").ok());
    EXPECT_FALSE(parseTrustedComment("a=1 a=2").ok());
    EXPECT_FALSE(parseTrustedComment("a=%4").ok());
    EXPECT_FALSE(parseTrustedComment("a=%zz").ok());
    EXPECT_FALSE(parseTrustedComment("a=b=c").ok());
    auto doubleSpace = parseTrustedComment("a=1  b=2");
    ASSERT_FALSE(doubleSpace.ok());
    EXPECT_EQ(doubleSpace.error().column, 5);
}

TEST(TrustedComment, UtcTimes) {
    EXPECT_EQ(formatUtcTime(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(formatUtcTime(951782400), "2000-02-29T00:00:00Z");
    EXPECT_EQ(formatUtcTime(1795827661), "2026-11-28T01:01:01Z");
    for (TimeUtc t : {TimeUtc{0}, TimeUtc{951782399}, TimeUtc{1795827661}, TimeUtc{253402300799}}) {
        auto back = parseUtcTime(formatUtcTime(t));
        ASSERT_TRUE(back.ok()) << formatUtcTime(t);
        EXPECT_EQ(*back, t);
    }
    EXPECT_FALSE(parseUtcTime("2026-02-29T00:00:00Z").ok());
    EXPECT_FALSE(parseUtcTime("2026-13-01T00:00:00Z").ok());
    EXPECT_FALSE(parseUtcTime("2026-01-01T24:00:00Z").ok());
    EXPECT_FALSE(parseUtcTime("2026-01-01 00:00:00Z").ok());
    EXPECT_FALSE(parseUtcTime("2026-01-01T00:00:00").ok());
    EXPECT_FALSE(parseUtcTime("1969-12-31T23:59:59Z").ok());
}

}  // namespace
}  // namespace planner::core::bundle
