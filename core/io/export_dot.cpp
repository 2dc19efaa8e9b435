#include "io/export_dot.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "io/export_text.hpp"

namespace planner::core::io {
namespace {

const char* shapeFor(const std::string& type) {
    if (type == "business_service") return "box3d";
    if (type == "database") return "cylinder";
    if (type == "server" || type == "host" || type == "virtual_machine") return "box";
    if (type == "network" || type == "load_balancer" || type == "firewall") return "diamond";
    if (type == "application") return "component";
    return "ellipse";
}

}  // namespace

std::string dotQuoted(std::string_view text) {
    std::string out = "\"";
    for (char32_t cp : decodeUtf8(text)) {
        if (cp == '\\') out += "\\\\";
        else if (cp == '"') out += "\\\"";
        else if (cp == '\n') out += "\\n";
        else if (cp == '\r') continue;
        else if (cp < 0x20 || cp == 0x7F) continue;
        else appendUtf8(out, cp);
    }
    return out + "\"";
}

const char* dotEdgeColor(const std::string& t) {
    if (t == "depends_on") return "#1f77b4";
    if (t == "runs_on") return "#2ca02c";
    if (t == "hosted_on") return "#9467bd";
    if (t == "connects_to") return "#ff7f0e";
    if (t == "member_of") return "#8c564b";
    return "#7f7f7f";
}

std::string impactGraphDot(const ChangeRequest& c, const ExportContext& ctx) {
    std::vector<const ConfigItem*> nodes;
    for (const auto& ci : ctx.impactedCis) nodes.push_back(&ci);
    std::stable_sort(nodes.begin(), nodes.end(), [](const ConfigItem* x, const ConfigItem* y) { return x->id < y->id; });
    std::vector<const Relationship*> edges;
    for (const auto& r : ctx.relationships) edges.push_back(&r);
    std::stable_sort(edges.begin(), edges.end(), [](const Relationship* x, const Relationship* y) {
        return std::tie(x->from, x->to, x->type) < std::tie(y->from, y->to, y->type);
    });
    const std::set<std::string> affected(c.affectedCis.begin(), c.affectedCis.end());

    std::string out = "digraph " + dotQuoted("impact " + c.id) + " {\n";
    out += "  graph [rankdir=LR, fontname=\"Helvetica\", label=" + dotQuoted(c.id + ": " + c.title) +
           ", labelloc=t];\n";
    out += "  node [fontname=\"Helvetica\", style=filled, fillcolor=\"#eef0f4\"];\n";
    out += "  edge [fontname=\"Helvetica\", fontsize=10];\n";
    std::set<std::string> declared;
    for (const ConfigItem* ci : nodes) {
        if (!declared.insert(ci->id).second) continue;
        auto flag = c.impactFlags.find(ci->id);
        const bool excluded = flag != c.impactFlags.end() && flag->second == ImpactFlag::Exclude;
        std::string attrs = "label=" + dotQuoted((ci->name.empty() ? ci->id : ci->name) + "\n" + ci->type + " tier " +
                                                 std::to_string(ci->tier)) +
                            ", shape=" + shapeFor(ci->type);
        if (affected.count(ci->id))
            attrs += ", fillcolor=\"#f4a6a6\", penwidth=2";
        else if (excluded)
            attrs += ", style=\"filled,dashed\", fillcolor=\"#f5f5f5\", fontcolor=\"#888888\"";
        out += "  " + dotQuoted(ci->id) + " [" + attrs + "];\n";
    }
    for (const auto& id : c.affectedCis)
        if (declared.insert(id).second)
            out += "  " + dotQuoted(id) + " [label=" + dotQuoted(id) + ", fillcolor=\"#f4a6a6\", penwidth=2];\n";
    for (const Relationship* r : edges) {
        const char* color = dotEdgeColor(r->type);
        out += "  " + dotQuoted(r->from) + " -> " + dotQuoted(r->to) + " [label=" + dotQuoted(r->type) +
               ", color=\"" + color + "\", fontcolor=\"" + color + "\"];\n";
    }
    out += "}\n";
    return out;
}

}  // namespace planner::core::io
