#include <gtest/gtest.h>

#include <sodium.h>

#include "export_fixture.hpp"
#include "io/eml_notification.hpp"
#include "io/export_csv.hpp"
#include "io/export_dot.hpp"
#include "io/export_text.hpp"

using namespace planner::core;
using namespace planner::core::io;
using namespace planner::core::io::testing;

namespace {

std::vector<std::string> splitCrlf(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find("\r\n", pos);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(pos, end - pos));
        pos = end + 2;
    }
    return lines;
}

std::string headerBlock(const std::string& msg) { return msg.substr(0, msg.find("\r\n\r\n") + 2); }

std::string decodeEncodedWords(const std::string& value) {
    std::string out;
    std::size_t pos = 0;
    while ((pos = value.find("=?UTF-8?B?", pos)) != std::string::npos) {
        const std::size_t start = pos + 10;
        const std::size_t end = value.find("?=", start);
        const std::string b64 = value.substr(start, end - start);
        std::string bin(b64.size(), '\0');
        size_t len = 0;
        EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), b64.c_str(), b64.size(),
                                    nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL),
                  0);
        out += bin.substr(0, len);
        pos = end + 2;
    }
    return out;
}

}  // namespace

// ---- CSV ----------------------------------------------------------------------

// The cell rules themselves: tests/unit/util/csv_writer_test.cpp.

TEST(Csv, ChangeListHasHeaderAndOneCrlfRowPerChange) {
    ChangeRequest a = sampleChange();
    ChangeRequest b = sampleChange();
    b.id = "CHG2";
    b.title = "=cmd|' /C calc'!A0, \"quoted\"";
    b.plannedStart = 0;
    const std::string csv = changeListCsv({a, b});
    const auto lines = splitCrlf(csv);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].rfind("number,short_description,type,state,", 0), 0u);
    EXPECT_EQ(lines[1].rfind("CHG0001234,Upgrade orders database to PostgreSQL 16,normal,scheduled,database,", 0), 0u);
    // "; " joins the CIs, and a ';' is quoted (spreadsheets in many locales split on it).
    EXPECT_NE(lines[1].find(",2026-11-23T02:00:00Z,2026-11-23T06:00:00Z,Europe/Berlin,\"db-orders; app-shop\",3,2/2,"),
              std::string::npos);
    EXPECT_EQ(lines[2].rfind("CHG2,\"'=cmd|' /C calc'!A0, \"\"quoted\"\"\",", 0), 0u);
    EXPECT_NE(lines[2].find("DBA,,2026-11-23T06:00:00Z"), std::string::npos);
    EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
}

// ---- .eml ---------------------------------------------------------------------

TEST(Eml, OneDraftPerStakeholderWithAnAddress) {
    const EmlDrafts d = notificationDrafts(sampleChange(), sampleContext());
    ASSERT_EQ(d.drafts.size(), 2u);  // frank (db), grace (app + service); lb-front is flagged exclude
    EXPECT_EQ(d.drafts[0].recipient, "frank");
    EXPECT_EQ(d.drafts[1].recipient, "grace");
    EXPECT_EQ(d.drafts[1].fileName, "CHG0001234-grace.eml");
    EXPECT_TRUE(d.unresolved.empty());
    ExportContext ctx = sampleContext();
    ctx.impactedCis[3].owner = "nobody-known";
    ChangeRequest c = sampleChange();
    c.impactFlags.clear();
    const EmlDrafts d2 = notificationDrafts(c, ctx);
    EXPECT_EQ(d2.unresolved, std::vector<std::string>{"nobody-known"});
}

TEST(Eml, HeadersFollowRfc5322) {
    const EmlDrafts d = notificationDrafts(sampleChange(), sampleContext());
    const std::string& msg = d.drafts[1].message;
    const std::string headers = headerBlock(msg);
    EXPECT_NE(headers.find("From: \"Change planner\" <change-planner@localhost>\r\n"), std::string::npos);
    EXPECT_NE(headers.find("To: \"Grace Hopper\" <grace@example.org>\r\n"), std::string::npos);
    EXPECT_NE(headers.find("Subject: Planned change CHG0001234: Upgrade orders database to PostgreSQL 16\r\n"),
              std::string::npos);
    EXPECT_NE(headers.find("Date: Sat, 21 Nov 2026 22:26:40 +0000\r\n"), std::string::npos);
    EXPECT_NE(headers.find("Message-ID: <CHG0001234.grace.1795300000@change-planner.invalid>\r\n"), std::string::npos);
    EXPECT_NE(headers.find("MIME-Version: 1.0\r\n"), std::string::npos);
    EXPECT_NE(headers.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
    EXPECT_NE(headers.find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
    for (const auto& line : splitCrlf(msg)) EXPECT_LE(line.size(), 78u) << line;
    const std::string body = msg.substr(msg.find("\r\n\r\n") + 4);
    EXPECT_NE(body.find("Online shop"), std::string::npos);
    EXPECT_NE(body.find("Shop (app-shop, application, tier 2)"), std::string::npos);
    EXPECT_NE(body.find("Start (UTC): 2026-11-23T02:00:00Z"), std::string::npos);
    EXPECT_NE(body.find("Sunday night"), std::string::npos);
}

TEST(Eml, NonAsciiSubjectAndNamesAreEncodedWords) {
    ChangeRequest c = sampleChange();
    c.title = "Mise à jour de la base de données des commandes — étape 2 ✓ avec un titre assez long";
    const EmlDrafts d = notificationDrafts(c, sampleContext());
    const std::string headers = headerBlock(d.drafts[0].message);
    const std::size_t s = headers.find("Subject: ");
    ASSERT_NE(s, std::string::npos);
    std::size_t e = headers.find("\r\n", s);
    while (headers.compare(e, 3, "\r\n ") == 0) e = headers.find("\r\n", e + 2);
    const std::string subject = headers.substr(s + 9, e - s - 9);
    EXPECT_EQ(subject.rfind("=?UTF-8?B?", 0), 0u);
    for (unsigned char ch : subject) EXPECT_LT(ch, 0x80);
    for (const auto& line : splitCrlf(subject)) EXPECT_LE(line.size() - (line[0] == ' ' ? 1 : 0), 75u);
    EXPECT_EQ(decodeEncodedWords(subject), "Planned change CHG0001234: " + c.title);
    EXPECT_NE(headers.find("To: =?UTF-8?B?"), std::string::npos);  // Frank Fühler
    EXPECT_EQ(decodeEncodedWords(headers.substr(headers.find("To: "), headers.find(" <frank") - headers.find("To: "))),
              "Frank F\xC3\xBChler");
}

TEST(Eml, HeaderInjectionIsNeutralised) {
    ChangeRequest c = sampleChange();
    c.title = "Innocent\r\nBcc: victim@example.org";
    ExportContext ctx = sampleContext();
    ctx.people[4].name = "Grace\"\r\nX-Evil: 1";
    ctx.people[3].email = "frank@example.org>\r\nBcc: x@y";
    const EmlDrafts d = notificationDrafts(c, ctx);
    ASSERT_EQ(d.drafts.size(), 1u);
    EXPECT_EQ(d.unresolved, std::vector<std::string>{"frank"});
    for (const auto& line : splitCrlf(headerBlock(d.drafts[0].message))) {
        EXPECT_NE(line.rfind("Bcc:", 0), 0u) << line;
        EXPECT_NE(line.rfind("X-Evil:", 0), 0u) << line;
    }
    EXPECT_NE(d.drafts[0].message.find("To: \"Grace\\\"  X-Evil: 1\" <grace@example.org>"), std::string::npos);
}

TEST(Eml, QuotedPrintableRoundsTheBody) {
    EXPECT_EQ(quotedPrintable("a=b \xC3\xA9\n"), "a=3Db =C3=A9\r\n");
    EXPECT_EQ(quotedPrintable("trailing \nx"), "trailing=20\r\nx\r\n");
    const std::string longLine(200, 'x');
    for (const auto& line : splitCrlf(quotedPrintable(longLine))) EXPECT_LE(line.size(), 76u);
    EXPECT_EQ(encodeHeaderText("plain"), "plain");
    EXPECT_EQ(encodeHeaderText("=?x?="), "=?UTF-8?B?PT94Pz0=?=");
}

// ---- DOT ----------------------------------------------------------------------

TEST(Dot, QuotesAndEscapesIdsAndLabels) {
    EXPECT_EQ(dotQuoted("plain"), "\"plain\"");
    EXPECT_EQ(dotQuoted("a\"b"), "\"a\\\"b\"");
    EXPECT_EQ(dotQuoted("back\\slash"), "\"back\\\\slash\"");
    EXPECT_EQ(dotQuoted("two\nlines\r"), "\"two\\nlines\"");
    EXPECT_EQ(dotQuoted("ends with \\"), "\"ends with \\\\\"");
    EXPECT_EQ(dotQuoted(std::string("ctl\x01x")), "\"ctlx\"");
}

TEST(Dot, GraphHasNodesEdgesAndTypeColours) {
    const std::string dot = impactGraphDot(sampleChange(), sampleContext());
    EXPECT_EQ(dot.rfind("digraph \"impact CHG0001234\" {\n", 0), 0u);
    EXPECT_NE(dot.find("\"app-shop\" -> \"db-orders\" [label=\"depends_on\", color=\"#1f77b4\""), std::string::npos);
    EXPECT_NE(dot.find("\"lb-front\" -> \"app-shop\" [label=\"connects_to\", color=\"#ff7f0e\""), std::string::npos);
    EXPECT_NE(dot.find("\"db-orders\" [label=\"Orders DB\\ndatabase tier 1\", shape=cylinder, fillcolor=\"#f4a6a6\""),
              std::string::npos);
    EXPECT_NE(dot.find("\"lb-front\" [label=\"Front LB\\nload_balancer tier 2\", shape=diamond, style=\"filled,dashed\""),
              std::string::npos);
    EXPECT_EQ(dot.substr(dot.size() - 2), "}\n");
    ExportContext shuffled = sampleContext();
    std::reverse(shuffled.impactedCis.begin(), shuffled.impactedCis.end());
    std::reverse(shuffled.relationships.begin(), shuffled.relationships.end());
    EXPECT_EQ(impactGraphDot(sampleChange(), shuffled), dot);
}

TEST(Dot, HostileIdsCannotEscapeTheirQuotes) {
    ChangeRequest c = sampleChange();
    ExportContext ctx = sampleContext();
    ctx.impactedCis[0].id = "x\" -> \"evil\" [label=\"";
    ctx.impactedCis[0].name = "n\\\"}";
    ctx.relationships[0].to = ctx.impactedCis[0].id;
    const std::string dot = impactGraphDot(c, ctx);
    EXPECT_NE(dot.find("\"x\\\" -> \\\"evil\\\" [label=\\\"\""), std::string::npos);
    std::size_t unescapedQuotes = 0;
    for (std::size_t i = 0; i < dot.size(); ++i) {
        if (dot[i] == '\\') {
            ++i;
            continue;
        }
        if (dot[i] == '"') ++unescapedQuotes;
    }
    EXPECT_EQ(unescapedQuotes % 2, 0u);
    EXPECT_EQ(std::count(dot.begin(), dot.end(), '\n'), 4 + 5 + 3 + 1);
}
