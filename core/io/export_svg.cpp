#include "io/export_svg.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "graph/layout.hpp"
#include "io/export_dot.hpp"
#include "io/export_text.hpp"

namespace planner::core::io {
namespace {

constexpr std::int32_t kNodeHeight = 42;
constexpr std::int32_t kCharWidth = 7;  // average glyph advance at font-size 12, model units
constexpr std::int32_t kMinNodeWidth = 110;
constexpr std::size_t kMaxLabelChars = 32;  // longer labels are cut with an ellipsis
constexpr std::int32_t kMargin = 20;
constexpr std::int32_t kTitleBand = 36;
// Larger impact sets are drawn around the affected CIs only: a picture of
// thousands of boxes helps nobody, and cmdb-slice.json holds the whole set.
constexpr std::size_t kMaxDrawnNodes = 300;

// The ids to draw: every impacted CI when they are few, else the affected CIs
// and the CIs nearest to them (breadth-first over the relationships), up to kMaxDrawnNodes.
std::set<std::string> drawnIds(const ChangeRequest& change, const ExportContext& ctx) {
    std::set<std::string> all;
    for (const ConfigItem& ci : ctx.impactedCis) all.insert(ci.id);
    for (const std::string& id : change.affectedCis) all.insert(id);
    if (all.size() <= kMaxDrawnNodes) return all;
    std::map<std::string, std::vector<std::string>> next;
    for (const Relationship& r : ctx.relationships) {
        next[r.from].push_back(r.to);
        next[r.to].push_back(r.from);
    }
    for (auto& [id, list] : next) std::sort(list.begin(), list.end());
    std::set<std::string> chosen;
    std::vector<std::string> frontier;
    for (const std::string& id : change.affectedCis)
        if (chosen.insert(id).second) frontier.push_back(id);
    while (!frontier.empty() && chosen.size() < kMaxDrawnNodes) {
        std::vector<std::string> following;
        for (const std::string& id : frontier) {
            auto it = next.find(id);
            if (it == next.end()) continue;
            for (const std::string& n : it->second) {
                if (chosen.size() >= kMaxDrawnNodes) break;
                if (all.count(n) && chosen.insert(n).second) following.push_back(n);
            }
        }
        frontier = std::move(following);
    }
    return chosen;
}

// `text` cut to at most kMaxLabelChars code points (the last one an ellipsis when cut).
std::u32string clipLabel(std::string_view text) {
    std::vector<char32_t> cps = decodeUtf8(text);
    std::u32string out(cps.begin(), cps.end());
    if (out.size() > kMaxLabelChars) {
        out.resize(kMaxLabelChars - 1);
        out.push_back(U'\u2026');
    }
    return out;
}

std::string toUtf8(const std::u32string& cps) {
    std::string out;
    for (char32_t cp : cps) appendUtf8(out, cp);
    return out;
}

struct Node {
    std::string id;
    std::u32string title;     // first line
    std::u32string subtitle;  // second line
    bool affected = false;
    bool excluded = false;
};

std::string num(std::int32_t v) {
    return std::to_string(v);
}

}  // namespace

std::string escapeXml(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t cp : decodeUtf8(text)) {
        switch (cp) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF) break;
                appendUtf8(out, cp);
        }
    }
    return out;
}

std::string impactGraphSvg(const ChangeRequest& change, const ExportContext& ctx) {
    const std::set<std::string> affected(change.affectedCis.begin(), change.affectedCis.end());
    const std::set<std::string> drawn = drawnIds(change, ctx);
    std::size_t impactedTotal = 0;
    std::map<std::string, Node> byId;
    for (const ConfigItem& ci : ctx.impactedCis) {
        if (byId.count(ci.id)) continue;
        ++impactedTotal;
        if (!drawn.count(ci.id)) continue;
        Node n;
        n.id = ci.id;
        n.title = clipLabel(ci.name.empty() ? ci.id : ci.name);
        n.subtitle = clipLabel(ci.type + " \u00B7 tier " + std::to_string(ci.tier));
        n.affected = affected.count(ci.id) > 0;
        auto flag = change.impactFlags.find(ci.id);
        n.excluded = flag != change.impactFlags.end() && flag->second == ImpactFlag::Exclude;
        byId.emplace(ci.id, std::move(n));
    }
    for (const std::string& id : change.affectedCis) {
        if (byId.count(id)) continue;
        Node n;
        n.id = id;
        n.title = clipLabel(id);
        n.subtitle = clipLabel("not in the CMDB");
        n.affected = true;
        byId.emplace(id, std::move(n));
    }

    std::vector<const Node*> nodes;
    std::map<std::string, std::uint32_t> index;
    std::vector<graph::LayoutNode> layoutNodes;
    for (const auto& [id, n] : byId) {
        index.emplace(id, static_cast<std::uint32_t>(nodes.size()));
        nodes.push_back(&n);
        const std::size_t chars = std::max(n.title.size(), n.subtitle.size());
        const std::int32_t width = std::max(kMinNodeWidth, static_cast<std::int32_t>(chars) * kCharWidth + 24);
        layoutNodes.push_back(graph::LayoutNode{id, width, kNodeHeight});
    }

    // Relationships between drawn nodes, sorted; laid out dependency -> dependent.
    std::vector<const Relationship*> rels;
    for (const Relationship& r : ctx.relationships) {
        if (index.count(r.from) && index.count(r.to)) rels.push_back(&r);
    }
    std::sort(rels.begin(), rels.end(), [](const Relationship* a, const Relationship* b) {
        return std::tie(a->from, a->to, a->type) < std::tie(b->from, b->to, b->type);
    });
    rels.erase(
        std::unique(rels.begin(), rels.end(), [](const Relationship* a, const Relationship* b) { return *a == *b; }),
        rels.end());
    std::vector<graph::LayoutEdge> layoutEdges;
    for (const Relationship* r : rels) layoutEdges.push_back(graph::LayoutEdge{index.at(r->to), index.at(r->from)});

    graph::LayoutResult layout;
    if (!nodes.empty()) {
        // Sizes are positive and indices in range, so the layout cannot fail.
        auto laid = graph::layoutLayered(layoutNodes, layoutEdges);
        if (laid) layout = std::move(*laid);
    }
    const bool placed = layout.nodes.size() == nodes.size();

    const std::string caption = change.id + ": " + change.title;
    std::string note;
    if (byId.size() < impactedTotal)
        note = "Showing the " + std::to_string(byId.size()) + " of " + std::to_string(impactedTotal) +
               " impacted CIs nearest the change; cmdb-slice.json lists them all.";
    const std::int32_t captionWidth =
        std::max(static_cast<std::int32_t>(clipLabel(caption).size()) * 8, static_cast<std::int32_t>(note.size()) * 6);
    const std::int32_t width = std::max(layout.width, captionWidth) + 2 * kMargin;
    const std::int32_t height = layout.height + 2 * kMargin + kTitleBand;
    const std::int32_t dx = kMargin - layout.minX;
    const std::int32_t dy = kMargin + kTitleBand - layout.minY;

    std::set<std::string> colors;
    for (const Relationship* r : rels) colors.insert(dotEdgeColor(r->type));
    std::map<std::string, std::string> markerOf;
    for (const std::string& c : colors) markerOf.emplace(c, "arrow" + std::to_string(markerOf.size()));

    std::string out;
    out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + num(width) + "\" height=\"" +
           num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\" font-family=\"sans-serif\">\n";
    out += "<title>" + escapeXml("Impact graph of " + caption) + "</title>\n";
    out += "<defs>\n";
    for (const auto& [color, id] : markerOf) {
        out += "<marker id=\"" + id +
               "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" "
               "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"" +
               color + "\"/></marker>\n";
    }
    out += "</defs>\n";
    out += "<rect x=\"0\" y=\"0\" width=\"" + num(width) + "\" height=\"" + num(height) + "\" fill=\"#ffffff\"/>\n";
    out += "<text x=\"" + num(kMargin) + "\" y=\"" + num(kMargin + 12) + "\" font-size=\"14\" font-weight=\"bold\">" +
           escapeXml(toUtf8(clipLabel(caption))) + "</text>\n";
    if (!note.empty())
        out += "<text x=\"" + num(kMargin) + "\" y=\"" + num(kMargin + 28) + "\" font-size=\"11\" fill=\"#555555\">" +
               escapeXml(note) + "</text>\n";

    out += "<g class=\"edges\" fill=\"none\" stroke-width=\"1.5\">\n";
    for (std::size_t i = 0; placed && i < rels.size(); ++i) {
        const graph::EdgeRoute& route = layout.edges[i];
        if (route.points.size() < 2) continue;  // self-loop
        const Relationship& r = *rels[i];
        const std::string color = dotEdgeColor(r.type);
        std::string points;
        // The route runs from the dependency (r.to) to the dependent (r.from);
        // drawn backwards so that the arrowhead sits at r.to.
        for (auto it = route.points.rbegin(); it != route.points.rend(); ++it) {
            if (!points.empty()) points += ' ';
            points += num(it->x + dx) + "," + num(it->y + dy);
        }
        out += "<polyline points=\"" + points + "\" stroke=\"" + color + "\" marker-end=\"url(#" + markerOf.at(color) +
               ")\"><title>" + escapeXml(r.from + " " + r.type + " " + r.to) + "</title></polyline>\n";
    }
    out += "</g>\n";

    out += "<g class=\"nodes\" font-size=\"12\" text-anchor=\"middle\">\n";
    for (std::size_t i = 0; placed && i < nodes.size(); ++i) {
        const Node& n = *nodes[i];
        const graph::NodePlacement& p = layout.nodes[i];
        const std::int32_t x = p.x + dx, y = p.y + dy, cx = x + p.width / 2;
        std::string fill = "#eef0f4", stroke = "#5a6270", textColor = "#1b1f24", extra;
        if (n.affected) {
            fill = "#f4a6a6";
            stroke = "#b22222";
            extra = " stroke-width=\"2\"";
        } else if (n.excluded) {
            fill = "#f5f5f5";
            stroke = "#888888";
            textColor = "#888888";
            extra = " stroke-dasharray=\"5,3\"";
        }
        out += "<g><title>" + escapeXml(n.id) + "</title>";
        out += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(p.width) + "\" height=\"" +
               num(p.height) + "\" rx=\"8\" ry=\"8\" fill=\"" + fill + "\" stroke=\"" + stroke + "\"" + extra + "/>";
        out += "<text x=\"" + num(cx) + "\" y=\"" + num(y + 17) + "\" fill=\"" + textColor + "\">" +
               escapeXml(toUtf8(n.title)) + "</text>";
        out += "<text x=\"" + num(cx) + "\" y=\"" + num(y + 33) + "\" font-size=\"10\" fill=\"" + textColor + "\">" +
               escapeXml(toUtf8(n.subtitle)) + "</text></g>\n";
    }
    out += "</g>\n</svg>\n";
    return out;
}

}  // namespace planner::core::io
