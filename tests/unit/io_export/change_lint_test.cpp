#include "io/change_lint.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "export_fixture.hpp"
#include "io/export_change.hpp"

namespace planner::core::io {
namespace {

bool hasCode(const std::vector<LintMessage>& m, const std::string& code, LintSeverity s) {
    return std::any_of(m.begin(), m.end(), [&](const LintMessage& x) { return x.code == code && x.severity == s; });
}

TEST(ChangeLint, SyntaxErrorsCarryLineAndColumn) {
    auto r = lintChangeDocument("{\n  \"schema\": \"planner.change\",\n  \"number\": ,\n}", "change.json");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().file, "change.json");
    EXPECT_EQ(r.error().line, 3);
    EXPECT_GT(r.error().column, 0);
}

TEST(ChangeLint, SampleChangeHasNoErrors) {
    auto r = lintChangeDocument(writeChangeDocument(testing::sampleChange()), "change.json");
    ASSERT_TRUE(r.ok()) << r.error().toString();
    EXPECT_FALSE(
        std::any_of(r->begin(), r->end(), [](const LintMessage& m) { return m.severity == LintSeverity::Error; }));
}

TEST(ChangeLint, FindsIntervalTitleAndRunbookProblemsWithLocations) {
    ChangeRequest c = testing::sampleChange();
    c.title.clear();
    c.plannedEnd = c.plannedStart;  // empty interval (an end before the start is a syntax error)
    c.steps[0].dependsOn = {"s3"};  // s1 -> s3 -> s2 -> s1: a cycle
    auto r = lintChangeDocument(writeChangeDocument(c), "change.json");
    ASSERT_TRUE(r.ok()) << r.error().toString();
    EXPECT_TRUE(hasCode(*r, "missing_title", LintSeverity::Error));
    EXPECT_TRUE(hasCode(*r, "planned_interval", LintSeverity::Error));
    EXPECT_TRUE(hasCode(*r, "runbook", LintSeverity::Error));
    for (const LintMessage& m : *r) {
        EXPECT_GE(m.line, 1) << m.code;
        EXPECT_GE(m.column, 1) << m.code;
    }
    c = testing::sampleChange();
    c.affectedCis.clear();
    auto w = lintChange(c);
    EXPECT_TRUE(hasCode(w, "no_affected_cis", LintSeverity::Warning));
}

}  // namespace
}  // namespace planner::core::io
