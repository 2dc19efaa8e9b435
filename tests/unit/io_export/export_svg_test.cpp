#include "io/export_svg.hpp"

#include <gtest/gtest.h>

#include "export_fixture.hpp"

namespace planner::core::io {
namespace {

using testing::sampleChange;
using testing::sampleContext;

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

TEST(ExportSvg, EscapeXmlEscapesMarkupAndDropsForbiddenCharacters) {
    EXPECT_EQ(escapeXml("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
    EXPECT_EQ(escapeXml(std::string("x\x01y\x1Fz\tq", 8)), "xyz\tq");
    EXPECT_EQ(escapeXml("Z\xC3\xBCrich"), "Z\xC3\xBCrich");
    EXPECT_EQ(escapeXml("bad\xFF"), "bad\xEF\xBF\xBD");
}

TEST(ExportSvg, DrawsOneRectPerCiAndOnePolylinePerRelationship) {
    const ChangeRequest c = sampleChange();
    const ExportContext ctx = sampleContext();
    const std::string svg = impactGraphSvg(c, ctx);
    EXPECT_EQ(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"", 0),
              0u);
    EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
    // background + one rounded rect per CI
    EXPECT_EQ(count(svg, "<rect"), 1 + ctx.impactedCis.size());
    EXPECT_EQ(count(svg, "rx=\"8\""), ctx.impactedCis.size());
    EXPECT_EQ(count(svg, "<polyline"), ctx.relationships.size());
    EXPECT_EQ(count(svg, "marker-end=\"url(#arrow"), ctx.relationships.size());
    EXPECT_GE(count(svg, "<marker id="), 1u);
    EXPECT_NE(svg.find("<title>app-shop depends_on db-orders</title>"), std::string::npos);
    EXPECT_NE(svg.find(">Orders DB<"), std::string::npos);
    // the affected CIs are highlighted, the excluded one dashed
    EXPECT_EQ(count(svg, "fill=\"#f4a6a6\""), 2u);
    EXPECT_EQ(count(svg, "stroke-dasharray"), 1u);
    EXPECT_EQ(svg.find("<script"), std::string::npos);
    EXPECT_EQ(svg, impactGraphSvg(c, ctx));
}

TEST(ExportSvg, UserStringsCannotInjectMarkup) {
    ChangeRequest c = sampleChange();
    c.title = "</title><script>alert(1)</script>";
    ExportContext ctx = sampleContext();
    ctx.impactedCis[0].name = "<script>x</script>\" onload=\"y";
    ctx.impactedCis[1].type = "a&b";
    const std::string svg = impactGraphSvg(c, ctx);
    EXPECT_EQ(svg.find("<script"), std::string::npos);
    EXPECT_EQ(svg.find("\" onload"), std::string::npos);
    EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
    EXPECT_NE(svg.find("a&amp;b"), std::string::npos);
}

TEST(ExportSvg, PolylinePointsLieInsideTheDrawing) {
    const std::string svg = impactGraphSvg(sampleChange(), sampleContext());
    const auto wAt = svg.find("width=\""), hAt = svg.find("height=\"");
    const int width = std::stoi(svg.substr(wAt + 7)), height = std::stoi(svg.substr(hAt + 8));
    for (std::size_t at = svg.find("points=\""); at != std::string::npos; at = svg.find("points=\"", at + 1)) {
        const std::string pts = svg.substr(at + 8, svg.find('"', at + 8) - at - 8);
        std::size_t p = 0;
        int pairs = 0;
        while (p < pts.size()) {
            const std::size_t comma = pts.find(',', p);
            const std::size_t space = pts.find(' ', comma);
            const int x = std::stoi(pts.substr(p, comma - p));
            const int y = std::stoi(pts.substr(comma + 1, space - comma - 1));
            EXPECT_GE(x, 0);
            EXPECT_LE(x, width);
            EXPECT_GE(y, 0);
            EXPECT_LE(y, height);
            ++pairs;
            p = space == std::string::npos ? pts.size() : space + 1;
        }
        EXPECT_GE(pairs, 2);
    }
}

TEST(ExportSvg, LargeImpactSetsDrawTheCisNearestTheChangeAndSaySo) {
    ChangeRequest c = sampleChange();
    ExportContext ctx = sampleContext();
    // A chain of 2,000 CIs hanging off the first affected CI.
    std::string previous = c.affectedCis.front();
    for (int i = 0; i < 2000; ++i) {
        ConfigItem ci;
        ci.id = "chain-" + std::to_string(i);
        ci.name = ci.id;
        ci.type = "server";
        ctx.impactedCis.push_back(ci);
        ctx.relationships.push_back(Relationship{ci.id, previous, "depends_on"});
        previous = ci.id;
    }
    const std::string svg = impactGraphSvg(c, ctx);
    const std::size_t boxes = count(svg, "rx=\"8\"");
    EXPECT_EQ(boxes, 300u);
    EXPECT_NE(svg.find(">chain-0<"), std::string::npos) << "the nearest CIs are drawn";
    EXPECT_EQ(svg.find(">chain-1999<"), std::string::npos) << "the farthest are not";
    EXPECT_NE(svg.find("cmdb-slice.json lists them all"), std::string::npos);
    EXPECT_EQ(svg, impactGraphSvg(c, ctx));
}

TEST(ExportSvg, EmptyImpactSetGivesAnEmptyButValidDrawing) {
    ChangeRequest c = sampleChange();
    c.affectedCis.clear();
    const std::string svg = impactGraphSvg(c, ExportContext{});
    EXPECT_EQ(count(svg, "<rect"), 1u);
    EXPECT_EQ(count(svg, "<polyline"), 0u);
    EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

}  // namespace
}  // namespace planner::core::io
