#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "export_fixture.hpp"
#include "io/export_text.hpp"
#include "io/report_html.hpp"
#include "io/report_runbook.hpp"

using namespace planner::core;
using namespace planner::core::io;
using namespace planner::core::io::testing;

namespace {

const std::string kHostile = "<script>alert(\"x\")</script> ' \" & \xE2\x80\xAE<img src=x onerror=alert(1)>";

// Every user-controlled string of the change and its context set to a hostile value.
void makeHostile(ChangeRequest& c, ExportContext& ctx) {
    for (std::string* s : {&c.id, &c.title, &c.description, &c.reason, &c.justification, &c.category, &c.model,
                           &c.requester, &c.owner, &c.implementer, &c.assignmentGroup, &c.timeZone,
                           &c.implementationPlan, &c.rollbackPlan, &c.testPlan, &c.communicationPlan, &c.impact,
                           &c.closeCode, &c.closeNotes})
        *s = kHostile;
    c.affectedCis = {kHostile, "db-orders"};
    c.impactFlags = {{kHostile, ImpactFlag::Exclude}};
    for (auto& s : c.steps)
        for (std::string* f : {&s.id, &s.title, &s.description, &s.owner, &s.ci, &s.verification, &s.rollback,
                               &s.noRollbackReason})
            *f = kHostile + s.id;
    c.steps[1].rollback.clear();
    c.steps[2].dependsOn = {kHostile};
    for (auto& ap : c.approvals)
        for (std::string* f : {&ap.approver, &ap.role, &ap.comment, &ap.keyId}) *f = kHostile;
    c.questionnaire = {{kHostile, kHostile}};
    c.declaredChanges = {DeclaredChange{kHostile, kHostile, kHostile}};
    c.review = Review{kHostile, kHostile, 1, 2, kHostile, 1795420000};
    for (auto& ci : ctx.impactedCis)
        for (std::string* f : {&ci.name, &ci.type, &ci.owner, &ci.team, &ci.environment, &ci.location})
            *f = kHostile;
    ctx.impactedCis.push_back(ConfigItem{kHostile, kHostile, kHostile, kHostile, kHostile, 1, kHostile, kHostile,
                                         {kHostile}, {{kHostile, kHostile}}});
    ctx.people.push_back(Person{kHostile, kHostile, kHostile, {kHostile}, ""});
    ctx.window->name = kHostile;
    ctx.window->timeZone = kHostile;
    ctx.window->start = kHostile;
    ctx.window->rrule = kHostile;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return s;
}

}  // namespace

TEST(HtmlReport, IsSelfContainedAndPrintable) {
    const std::string html = htmlReport(sampleChange(), sampleContext());
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
    EXPECT_NE(html.find("@media print"), std::string::npos);
    const std::string l = lower(html);
    for (const char* banned : {"<script", "<link", "<img", "<iframe", "http://", "https://", "src=", "url("})
        EXPECT_EQ(l.find(banned), std::string::npos) << banned;
    EXPECT_NE(html.find("Upgrade orders database to PostgreSQL 16"), std::string::npos);
    EXPECT_NE(html.find("Fail over to the untouched replica."), std::string::npos);
    EXPECT_NE(html.find("Start the application"), std::string::npos);
    EXPECT_NE(html.find("flagged exclude"), std::string::npos);
}

TEST(HtmlReport, HostileStringsInEveryFieldComeOutAsText) {
    ChangeRequest c = sampleChange();
    ExportContext ctx = sampleContext();
    makeHostile(c, ctx);
    const std::string html = htmlReport(c, ctx);
    const std::string l = lower(html);
    EXPECT_EQ(l.find("<script"), std::string::npos);
    EXPECT_EQ(l.find("<img"), std::string::npos);
    EXPECT_EQ(html.find("\xE2\x80\xAE"), std::string::npos) << "raw RTL override must not reach the page";
    EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#39; &quot; &amp; "
                        "<span class=\"ctl\">[U+202E]</span>&lt;img"),
              std::string::npos);
    EXPECT_NE(html.find("<bdi>"), std::string::npos);
    // Every occurrence of the hostile text is the escaped form: count them.
    std::size_t escaped = 0;
    for (std::size_t p = html.find("&lt;script&gt;"); p != std::string::npos; p = html.find("&lt;script&gt;", p + 1))
        ++escaped;
    EXPECT_GT(escaped, 40u);
}

TEST(HtmlEscape, CoversMarkupQuotesAndControls) {
    EXPECT_EQ(escapeHtml("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
    EXPECT_EQ(escapeHtml("x\ny"), "x<br>y");
    EXPECT_EQ(escapeHtml("\xE2\x81\xA6"), "<span class=\"ctl\">[U+2066]</span>");
    EXPECT_EQ(escapeHtml(std::string("\x07")), "<span class=\"ctl\">[U+0007]</span>");
    EXPECT_EQ(escapeHtml("\xFF"), "\xEF\xBF\xBD");
    EXPECT_EQ(escapeHtml("\xC3\xA9"), "\xC3\xA9");
}

TEST(RunbookMarkdown, StepsAndRollbackSideBySide) {
    const std::string md = runbookMarkdown(sampleChange(), sampleContext());
    EXPECT_EQ(md.rfind("# Runbook CHG0001234", 0), 0u);
    EXPECT_NE(md.find("| Verification | Rollback | Rollback duration |"), std::string::npos);
    EXPECT_NE(md.find("| 2 | +0:10 | **s2** Run pg\\_upgrade<br>Link mode |"), std::string::npos);
    EXPECT_NE(md.find("*No rollback:* mitigation: fail over to replica"), std::string::npos);
    EXPECT_NE(md.find("Total duration: 80 min."), std::string::npos);
    const auto order = md.find("## Rollback order");
    ASSERT_NE(order, std::string::npos);
    EXPECT_LT(md.find("1. s3"), md.find("3. s1"));
    EXPECT_GT(md.find("1. s3"), order);
}

TEST(RunbookMarkdown, HostileTextCannotBreakTableOrInjectHtml) {
    ChangeRequest c = sampleChange();
    ExportContext ctx = sampleContext();
    makeHostile(c, ctx);
    c.steps[0].title = "a | b\nc ` [link](javascript:x) **bold**";
    const std::string md = runbookMarkdown(c, ctx);
    EXPECT_EQ(md.find("\xE2\x80\xAE"), std::string::npos);
    for (std::size_t p = md.find('<'); p != std::string::npos; p = md.find('<', p + 1)) {
        const bool ourBreak = md.compare(p, 4, "<br>") == 0;
        EXPECT_TRUE(ourBreak || (p > 0 && md[p - 1] == '\\')) << md.substr(p, 20);
    }
    std::size_t tableRows = 0;
    std::size_t pos = 0;
    while ((pos = md.find("\n| ", pos)) != std::string::npos) {
        const std::size_t end = md.find('\n', pos + 1);
        const std::string line = md.substr(pos + 1, end - pos - 1);
        std::size_t pipes = 0;
        for (std::size_t i = 0; i < line.size(); ++i)
            if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
        EXPECT_EQ(pipes, 11u) << line;
        ++tableRows;
        pos = end;
    }
    EXPECT_EQ(tableRows, 4u);  // header + 3 steps (the separator row starts with "|-")
    EXPECT_NE(md.find("a \\| b<br>c \\` \\[link\\](javascript:x) \\*\\*bold\\*\\*"), std::string::npos);
}

TEST(MarkdownEscape, BlockMarkersOnlyAtStart) {
    EXPECT_EQ(escapeMarkdown("# not a heading"), "\\# not a heading");
    EXPECT_EQ(escapeMarkdown("12. item"), "12\\. item");
    EXPECT_EQ(escapeMarkdown("- x - y"), "\\- x - y");
    EXPECT_EQ(escapeMarkdown("a_b*c"), "a\\_b\\*c");
    EXPECT_EQ(escapeMarkdown("v1.2"), "v1.2");
}
