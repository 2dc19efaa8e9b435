#include "graph/cmdb_graph.hpp"

#include <algorithm>
#include <utility>

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/strong_components.hpp>

namespace planner::core::graph {
namespace {

class Interner {
public:
    std::uint32_t intern(const std::string& s) {
        auto it = m_map.find(s);
        if (it != m_map.end()) return it->second;
        auto id = static_cast<std::uint32_t>(m_names.size());
        m_names.push_back(s);
        m_map.emplace(s, id);
        return id;
    }
    std::vector<std::string> take() { return std::move(m_names); }

private:
    std::unordered_map<std::string, std::uint32_t> m_map;
    std::vector<std::string> m_names;
};

}  // namespace

CmdbGraph CmdbGraph::build(const std::vector<ConfigItem>& cis, const std::vector<Relationship>& relationships) {
    CmdbGraph g;
    g.m_ids.reserve(cis.size());
    g.m_names.reserve(cis.size());
    g.m_index.reserve(cis.size());
    Interner types, owners, teams, relTypes;
    std::vector<const ConfigItem*> kept;
    kept.reserve(cis.size());
    {
        // Ids are stored first so that the index's views never move.
        std::unordered_map<std::string_view, bool> seen;
        seen.reserve(cis.size());
        for (const ConfigItem& ci : cis)
            if (seen.emplace(ci.id, true).second) kept.push_back(&ci);
    }
    for (const ConfigItem* ci : kept) g.m_ids.push_back(ci->id);
    for (NodeIndex i = 0; i < g.m_ids.size(); ++i) g.m_index.emplace(g.m_ids[i], i);
    const std::uint32_t n = static_cast<std::uint32_t>(kept.size());
    g.m_ciType.resize(n);
    g.m_owner.resize(n);
    g.m_team.resize(n);
    g.m_tier.resize(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        const ConfigItem& ci = *kept[i];
        g.m_names.push_back(ci.name);
        g.m_ciType[i] = types.intern(ci.type);
        g.m_owner[i] = owners.intern(ci.owner);
        g.m_team[i] = teams.intern(ci.team);
        g.m_tier[i] = static_cast<std::uint8_t>(std::clamp(ci.tier, 0, 255));
    }
    g.m_ciTypes = types.take();
    g.m_owners = owners.take();
    g.m_teams = teams.take();
    for (std::uint32_t t = 0; t < g.m_ciTypes.size(); ++t)
        if (g.m_ciTypes[t] == "business_service") g.m_serviceType = t;

    struct Edge {
        NodeIndex from, to;
        TypeId type;
    };
    std::vector<Edge> edges;
    edges.reserve(relationships.size());
    for (const Relationship& r : relationships) {
        auto a = g.m_index.find(r.from);
        auto b = g.m_index.find(r.to);
        if (a == g.m_index.end() || b == g.m_index.end()) {
            ++g.m_skipped;
            continue;
        }
        edges.push_back({a->second, b->second, static_cast<TypeId>(relTypes.intern(r.type))});
    }
    g.m_relTypes = relTypes.take();

    // Counting sort into CSR, keeping input order within each row.
    g.m_outOffsets.assign(n + 1, 0);
    g.m_inOffsets.assign(n + 1, 0);
    for (const Edge& e : edges) {
        ++g.m_outOffsets[e.from + 1];
        ++g.m_inOffsets[e.to + 1];
    }
    for (std::uint32_t i = 0; i < n; ++i) {
        g.m_outOffsets[i + 1] += g.m_outOffsets[i];
        g.m_inOffsets[i + 1] += g.m_inOffsets[i];
    }
    g.m_outTargets.resize(edges.size());
    g.m_outTypes.resize(edges.size());
    g.m_inSources.resize(edges.size());
    g.m_inTypes.resize(edges.size());
    {
        std::vector<std::uint32_t> outAt(g.m_outOffsets.begin(), g.m_outOffsets.end() - 1);
        std::vector<std::uint32_t> inAt(g.m_inOffsets.begin(), g.m_inOffsets.end() - 1);
        for (const Edge& e : edges) {
            std::uint32_t o = outAt[e.from]++;
            g.m_outTargets[o] = e.to;
            g.m_outTypes[o] = e.type;
            std::uint32_t in = inAt[e.to]++;
            g.m_inSources[in] = e.from;
            g.m_inTypes[in] = e.type;
        }
    }

    // Strongly connected components with Boost's Tarjan (iterative DFS).
    using Csr = boost::compressed_sparse_row_graph<boost::directedS>;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sorted;
    sorted.reserve(edges.size());
    for (std::uint32_t v = 0; v < n; ++v)
        for (std::uint32_t o = g.m_outOffsets[v]; o < g.m_outOffsets[v + 1]; ++o) sorted.emplace_back(v, g.m_outTargets[o]);
    Csr csr(boost::edges_are_sorted, sorted.begin(), sorted.end(), n);
    g.m_component.assign(n, 0);
    std::uint32_t componentCount = n == 0 ? 0
        : static_cast<std::uint32_t>(boost::strong_components(
              csr, boost::make_iterator_property_map(g.m_component.begin(), boost::get(boost::vertex_index, csr))));
    g.m_componentOffsets.assign(componentCount + 1, 0);
    for (std::uint32_t v = 0; v < n; ++v) ++g.m_componentOffsets[g.m_component[v] + 1];
    for (std::uint32_t c = 0; c < componentCount; ++c) g.m_componentOffsets[c + 1] += g.m_componentOffsets[c];
    g.m_componentNodes.resize(n);
    {
        std::vector<std::uint32_t> at(g.m_componentOffsets.begin(), g.m_componentOffsets.end() - 1);
        for (std::uint32_t v = 0; v < n; ++v) g.m_componentNodes[at[g.m_component[v]]++] = v;
    }
    g.m_cyclic.assign(componentCount, 0);
    for (std::uint32_t c = 0; c < componentCount; ++c)
        if (g.m_componentOffsets[c + 1] - g.m_componentOffsets[c] > 1) g.m_cyclic[c] = 1;
    for (const Edge& e : edges)
        if (e.from == e.to) g.m_cyclic[g.m_component[e.from]] = 1;
    return g;
}

std::optional<NodeIndex> CmdbGraph::indexOf(std::string_view id) const {
    auto it = m_index.find(id);
    if (it == m_index.end()) return std::nullopt;
    return it->second;
}

std::optional<TypeId> CmdbGraph::relationshipTypeId(std::string_view type) const {
    for (std::size_t t = 0; t < m_relTypes.size(); ++t)
        if (m_relTypes[t] == type) return static_cast<TypeId>(t);
    return std::nullopt;
}

std::vector<NodeIndex> CmdbGraph::componentMembers(std::uint32_t component) const {
    return std::vector<NodeIndex>(m_componentNodes.begin() + m_componentOffsets[component],
                                  m_componentNodes.begin() + m_componentOffsets[component + 1]);
}

std::vector<std::vector<NodeIndex>> CmdbGraph::cycles() const {
    std::vector<std::vector<NodeIndex>> out;
    for (std::uint32_t c = 0; c < m_cyclic.size(); ++c)
        if (m_cyclic[c]) out.push_back(componentMembers(c));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.front() < b.front(); });
    return out;
}

}  // namespace planner::core::graph
