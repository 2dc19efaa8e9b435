#include "graph/impact.hpp"

#include <algorithm>

namespace planner::core::graph {

const char* toString(ImpactDirection d) {
    switch (d) {
    case ImpactDirection::Affected: return "affected";
    case ImpactDirection::Downstream: return "downstream";
    case ImpactDirection::Upstream: return "upstream";
    case ImpactDirection::Included: return "included";
    }
    return "affected";
}

std::vector<std::string> ImpactResult::ids(const CmdbGraph& g) const {
    std::vector<std::string> out;
    out.reserve(static_cast<std::size_t>(uniqueCount));
    for (std::size_t i = 0; i < cis.size(); ++i)
        if (firstEntry[cis[i].node] == static_cast<std::int32_t>(i)) out.push_back(g.idOf(cis[i].node));
    std::sort(out.begin(), out.end());
    return out;
}

const ImpactedCi* ImpactResult::find(NodeIndex n) const {
    if (n >= firstEntry.size() || firstEntry[n] < 0) return nullptr;
    return &cis[static_cast<std::size_t>(firstEntry[n])];
}

std::vector<std::string> ImpactResult::pathTo(const CmdbGraph& g, std::int32_t entry) const {
    std::vector<std::string> path;
    for (std::int32_t e = entry; e >= 0 && static_cast<std::size_t>(e) < cis.size(); e = cis[static_cast<std::size_t>(e)].from)
        path.push_back(g.idOf(cis[static_cast<std::size_t>(e)].node));
    std::reverse(path.begin(), path.end());
    return path;
}

ImpactAnalyzer::ImpactAnalyzer(const CmdbGraph& g)
    : m_g(g), m_mark(g.nodeCount(), 0), m_excluded(g.nodeCount(), 0) {}

void ImpactAnalyzer::bfs(std::vector<NodeIndex>& seeds, bool down, const ImpactOptions& options, ImpactResult& r) {
    if (++m_epoch == 0) {  // wrapped: restart stamps
        std::fill(m_mark.begin(), m_mark.end(), 0);
        m_epoch = 1;
    }
    const std::uint32_t epoch = m_epoch;
    for (NodeIndex s : seeds) m_mark[s] = epoch;
    const ImpactDirection dir = down ? ImpactDirection::Downstream : ImpactDirection::Upstream;
    std::size_t head = 0;
    std::size_t queueStart = r.cis.size();
    // The queue is the result itself: seed entries are the affected ones.
    std::vector<std::int32_t> seedEntries;
    for (std::size_t i = 0; i < r.cis.size(); ++i)
        if (r.cis[i].direction == ImpactDirection::Affected) seedEntries.push_back(static_cast<std::int32_t>(i));
    auto expand = [&](std::int32_t e) {
        const NodeIndex node = r.cis[static_cast<std::size_t>(e)].node;
        const std::int32_t depth = r.cis[static_cast<std::size_t>(e)].depth;
        if (options.maxDepth >= 0 && depth >= options.maxDepth) return;
        const Neighbours nb = down ? m_g.dependents(node) : m_g.dependencies(node);
        for (std::uint32_t k = 0; k < nb.count; ++k) {
            const NodeIndex v = nb.nodes[k];
            if (m_mark[v] == epoch || !m_typeAllowed[nb.types[k]]) continue;
            m_mark[v] = epoch;
            if (m_excluded[v]) continue;
            r.cis.push_back(ImpactedCi{v, depth + 1, dir, e, nb.types[k]});
        }
    };
    for (std::int32_t e : seedEntries) expand(e);
    head = queueStart;
    while (head < r.cis.size()) expand(static_cast<std::int32_t>(head++));
    if (down) r.downstreamCount = static_cast<std::int32_t>(r.cis.size() - queueStart);
    else r.upstreamCount = static_cast<std::int32_t>(r.cis.size() - queueStart);
}

ImpactResult ImpactAnalyzer::analyze(const std::vector<std::string>& affected, const ImpactOptions& options) {
    ImpactResult r;
    const std::uint32_t n = m_g.nodeCount();
    const auto& relTypes = m_g.relationshipTypes();
    m_typeAllowed.assign(relTypes.size(), options.relationshipTypes.empty() ? 1 : 0);
    for (const std::string& t : options.relationshipTypes)
        if (auto id = m_g.relationshipTypeId(t)) m_typeAllowed[*id] = 1;

    std::vector<NodeIndex> excludedNodes, includedNodes;
    for (const auto& [id, flag] : options.flags) {
        auto idx = m_g.indexOf(id);
        if (!idx) {
            r.unknownIds.push_back(id);
            continue;
        }
        if (flag == ImpactFlag::Exclude) {
            m_excluded[*idx] = 1;
            excludedNodes.push_back(*idx);
        } else {
            includedNodes.push_back(*idx);
        }
    }
    r.excludedCount = static_cast<std::int32_t>(excludedNodes.size());

    std::vector<NodeIndex> seeds;
    for (const std::string& id : affected) {
        auto idx = m_g.indexOf(id);
        if (!idx) {
            r.unknownIds.push_back(id);
            continue;
        }
        if (m_excluded[*idx]) continue;
        seeds.push_back(*idx);
    }
    std::sort(seeds.begin(), seeds.end());
    seeds.erase(std::unique(seeds.begin(), seeds.end()), seeds.end());
    for (NodeIndex s : seeds) r.cis.push_back(ImpactedCi{s, 0, ImpactDirection::Affected, -1, 0});

    if (options.downstream) bfs(seeds, true, options, r);
    if (options.upstream) bfs(seeds, false, options, r);

    r.firstEntry.assign(n, -1);
    for (std::size_t i = 0; i < r.cis.size(); ++i)
        if (r.firstEntry[r.cis[i].node] < 0) r.firstEntry[r.cis[i].node] = static_cast<std::int32_t>(i);
    std::sort(includedNodes.begin(), includedNodes.end());
    for (NodeIndex v : includedNodes) {
        if (r.firstEntry[v] >= 0 || m_excluded[v]) continue;
        r.firstEntry[v] = static_cast<std::int32_t>(r.cis.size());
        r.cis.push_back(ImpactedCi{v, 0, ImpactDirection::Included, -1, 0});
        ++r.includedCount;
    }
    for (NodeIndex v : excludedNodes) m_excluded[v] = 0;

    // Summary over distinct CIs.
    std::vector<std::uint8_t> ownerSeen(m_g.ownerNames().size(), 0), teamSeen(m_g.teamNames().size(), 0);
    std::vector<std::int32_t> typeCount(m_g.ciTypeNames().size(), 0);
    std::vector<std::uint32_t> components;
    for (std::size_t i = 0; i < r.cis.size(); ++i) {
        const NodeIndex v = r.cis[i].node;
        if (r.firstEntry[v] != static_cast<std::int32_t>(i)) continue;
        ++r.uniqueCount;
        ownerSeen[m_g.ownerId(v)] = 1;
        teamSeen[m_g.teamId(v)] = 1;
        ++typeCount[m_g.ciTypeId(v)];
        int tier = m_g.tierOf(v);
        ++r.summary.tierCounts[tier >= 1 && tier <= 4 ? tier : 0];
        if (m_g.isBusinessService(v)) r.summary.businessServices.push_back(m_g.idOf(v));
        if (m_g.inCycle(v)) components.push_back(m_g.componentOf(v));
    }
    std::sort(r.summary.businessServices.begin(), r.summary.businessServices.end());
    for (std::size_t o = 0; o < ownerSeen.size(); ++o)
        if (ownerSeen[o] && !m_g.ownerNames()[o].empty()) r.summary.owners.push_back(m_g.ownerNames()[o]);
    for (std::size_t t = 0; t < teamSeen.size(); ++t)
        if (teamSeen[t] && !m_g.teamNames()[t].empty()) r.summary.teams.push_back(m_g.teamNames()[t]);
    std::sort(r.summary.owners.begin(), r.summary.owners.end());
    std::sort(r.summary.teams.begin(), r.summary.teams.end());
    for (std::size_t t = 0; t < typeCount.size(); ++t)
        if (typeCount[t] > 0) r.summary.typeCounts[m_g.ciTypeNames()[t]] = typeCount[t];
    std::sort(components.begin(), components.end());
    components.erase(std::unique(components.begin(), components.end()), components.end());
    for (std::uint32_t c : components) r.cycles.push_back(m_g.componentMembers(c));
    std::sort(r.cycles.begin(), r.cycles.end(), [](const auto& a, const auto& b) { return a.front() < b.front(); });
    std::sort(r.unknownIds.begin(), r.unknownIds.end());
    return r;
}

ImpactSubgraph impactSubgraph(const CmdbGraph& g, const ImpactResult& r) {
    ImpactSubgraph s;
    std::vector<std::int32_t> local(g.nodeCount(), -1);
    for (std::size_t i = 0; i < r.cis.size(); ++i) {
        const NodeIndex v = r.cis[i].node;
        if (r.firstEntry[v] != static_cast<std::int32_t>(i)) continue;
        local[v] = static_cast<std::int32_t>(s.nodes.size());
        s.nodes.push_back(v);
    }
    for (std::uint32_t li = 0; li < s.nodes.size(); ++li) {
        const Neighbours deps = g.dependencies(s.nodes[li]);
        for (std::uint32_t k = 0; k < deps.count; ++k) {
            std::int32_t lj = local[deps.nodes[k]];
            if (lj < 0) continue;
            s.edges.emplace_back(static_cast<std::uint32_t>(lj), li);
            s.edgeTypes.push_back(deps.types[k]);
        }
    }
    return s;
}

ImpactResult analyzeImpact(const CmdbGraph& g, const std::vector<std::string>& affected, const ImpactOptions& options) {
    ImpactAnalyzer a(g);
    return a.analyze(affected, options);
}

void limitToNearest(ImpactSubgraph& sub, const ImpactResult& r, std::size_t cap) {
    if (sub.nodes.size() <= cap) return;
    std::vector<std::uint32_t> order(sub.nodes.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
    auto depthOf = [&](std::uint32_t i) { return r.cis[static_cast<std::size_t>(r.firstEntry[sub.nodes[i]])].depth; };
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return depthOf(a) < depthOf(b); });
    order.resize(cap);
    std::sort(order.begin(), order.end());   // keep impactSubgraph order
    std::vector<std::int64_t> newIndex(sub.nodes.size(), -1);
    std::vector<NodeIndex> nodes;
    nodes.reserve(cap);
    for (std::uint32_t i : order) {
        newIndex[i] = static_cast<std::int64_t>(nodes.size());
        nodes.push_back(sub.nodes[i]);
    }
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    std::vector<TypeId> types;
    for (std::size_t e = 0; e < sub.edges.size(); ++e) {
        const auto [a, b] = sub.edges[e];
        if (newIndex[a] < 0 || newIndex[b] < 0) continue;
        edges.emplace_back(static_cast<std::uint32_t>(newIndex[a]), static_cast<std::uint32_t>(newIndex[b]));
        types.push_back(sub.edgeTypes[e]);
    }
    sub.nodes = std::move(nodes);
    sub.edges = std::move(edges);
    sub.edgeTypes = std::move(types);
}

}  // namespace planner::core::graph
