#include <gtest/gtest.h>
#include <set>

#include <algorithm>

#include "demo/synthetic_cmdb.hpp"
#include "graph/cmdb_graph.hpp"
#include "graph/impact.hpp"

using namespace planner::core;
using namespace planner::core::graph;

namespace {

ConfigItem ci(const std::string& id, const std::string& type, int tier, const std::string& owner, const std::string& team) {
    ConfigItem c;
    c.id = id;
    c.name = id;
    c.type = type;
    c.tier = tier;
    c.owner = owner;
    c.team = team;
    return c;
}

// svc -> app1 -> db -> host -> fw, svc -> app2 -> db, app1 runs_on host.
// Downstream of host: depth 1 app1 (runs_on), db (hosted_on); depth 2 svc, app2.
CmdbGraph smallCmdb() {
    std::vector<ConfigItem> cis = {
        ci("svc", "business_service", 1, "ann", "Payments Team"),
        ci("app1", "application", 2, "ben", "Payments Team"),
        ci("app2", "application", 2, "ben", "Orders Team"),
        ci("db", "database", 1, "dana", "DBA"),
        ci("host", "server", 3, "emil", "Linux Ops"),
        ci("fw", "firewall", 1, "fay", "SecOps"),
    };
    std::vector<Relationship> rels = {
        {"svc", "app1", "depends_on"}, {"svc", "app2", "depends_on"}, {"app1", "db", "depends_on"},
        {"app2", "db", "depends_on"},  {"app1", "host", "runs_on"},   {"db", "host", "hosted_on"},
        {"host", "fw", "protected_by"}, {"ghost", "svc", "depends_on"},
    };
    return CmdbGraph::build(cis, rels);
}

std::vector<std::string> idsOf(const CmdbGraph& g, const ImpactResult& r, ImpactDirection d) {
    std::vector<std::string> out;
    for (const ImpactedCi& c : r.cis)
        if (c.direction == d) out.push_back(g.idOf(c.node));
    std::sort(out.begin(), out.end());
    return out;
}

int depthOf(const CmdbGraph& g, const ImpactResult& r, const std::string& id) {
    const ImpactedCi* c = r.find(*g.indexOf(id));
    return c ? c->depth : -1;
}

using Ids = std::vector<std::string>;

}  // namespace

TEST(CmdbGraph, BuildsBothDirectionsAndSkipsUnknownEndpoints) {
    CmdbGraph g = smallCmdb();
    EXPECT_EQ(g.nodeCount(), 6u);
    EXPECT_EQ(g.edgeCount(), 7u);
    EXPECT_EQ(g.skippedRelationships(), 1u);
    NodeIndex host = *g.indexOf("host");
    EXPECT_EQ(g.dependents(host).count, 2u);
    EXPECT_EQ(g.dependencies(host).count, 1u);
    EXPECT_EQ(g.idOf(g.dependencies(host).nodes[0]), "fw");
    EXPECT_FALSE(g.indexOf("nope").has_value());
    EXPECT_TRUE(g.cycles().empty());
}

TEST(Impact, DownstreamClosureAtEachDepth) {
    CmdbGraph g = smallCmdb();
    ImpactOptions o;
    o.upstream = false;
    o.maxDepth = 0;
    EXPECT_EQ(analyzeImpact(g, {"host"}, o).ids(g), (Ids{"host"}));
    o.maxDepth = 1;
    EXPECT_EQ(analyzeImpact(g, {"host"}, o).ids(g), (Ids{"app1", "db", "host"}));
    o.maxDepth = 2;
    ImpactResult r2 = analyzeImpact(g, {"host"}, o);
    EXPECT_EQ(r2.ids(g), (Ids{"app1", "app2", "db", "host", "svc"}));
    EXPECT_EQ(r2.downstreamCount, 4);
    EXPECT_EQ(depthOf(g, r2, "svc"), 2);
    EXPECT_EQ(depthOf(g, r2, "app2"), 2);
    o.maxDepth = -1;
    EXPECT_EQ(analyzeImpact(g, {"host"}, o).ids(g), r2.ids(g));
}

TEST(Impact, UpstreamClosureAndBothDirections) {
    CmdbGraph g = smallCmdb();
    ImpactOptions o;
    o.downstream = false;
    EXPECT_EQ(analyzeImpact(g, {"app1"}, o).ids(g), (Ids{"app1", "db", "fw", "host"}));
    o.maxDepth = 1;
    EXPECT_EQ(analyzeImpact(g, {"app1"}, o).ids(g), (Ids{"app1", "db", "host"}));
    ImpactOptions both;
    ImpactResult r = analyzeImpact(g, {"db"}, both);
    EXPECT_EQ(idsOf(g, r, ImpactDirection::Downstream), (Ids{"app1", "app2", "svc"}));
    EXPECT_EQ(idsOf(g, r, ImpactDirection::Upstream), (Ids{"fw", "host"}));
    EXPECT_EQ(r.uniqueCount, 6);
}

TEST(Impact, PathFollowsTheBreadthFirstPredecessors) {
    CmdbGraph g = smallCmdb();
    ImpactOptions o;
    o.upstream = false;
    ImpactResult r = analyzeImpact(g, {"host"}, o);
    NodeIndex svc = *g.indexOf("svc");
    EXPECT_EQ(r.pathTo(g, r.firstEntry[svc]), (Ids{"host", "app1", "svc"}));
    NodeIndex app2 = *g.indexOf("app2");
    EXPECT_EQ(r.pathTo(g, r.firstEntry[app2]), (Ids{"host", "db", "app2"}));
    EXPECT_EQ(g.relationshipTypes()[r.find(app2)->via], "depends_on");
}

TEST(Impact, RelationshipTypeFilterRestrictsTraversal) {
    CmdbGraph g = smallCmdb();
    ImpactOptions o;
    o.upstream = false;
    o.relationshipTypes = {"hosted_on", "depends_on"};
    ImpactResult r = analyzeImpact(g, {"host"}, o);
    EXPECT_EQ(r.ids(g), (Ids{"app1", "app2", "db", "host", "svc"}));
    EXPECT_EQ(depthOf(g, r, "db"), 1);
    EXPECT_EQ(depthOf(g, r, "app1"), 2);  // runs_on is not followed
    EXPECT_EQ(depthOf(g, r, "svc"), 3);
    o.relationshipTypes = {"runs_on"};
    EXPECT_EQ(analyzeImpact(g, {"host"}, o).ids(g), (Ids{"app1", "host"}));
    o.relationshipTypes = {"no_such_type"};
    EXPECT_EQ(analyzeImpact(g, {"host"}, o).ids(g), (Ids{"host"}));
}

TEST(Impact, ExcludeStopsTraversalAndIncludeAddsCis) {
    CmdbGraph g = smallCmdb();
    ImpactOptions o;
    o.upstream = false;
    o.flags["db"] = ImpactFlag::Exclude;
    o.flags["fw"] = ImpactFlag::Include;
    o.flags["unknown-ci"] = ImpactFlag::Include;
    ImpactResult r = analyzeImpact(g, {"host"}, o);
    EXPECT_EQ(r.ids(g), (Ids{"app1", "fw", "host", "svc"}));  // app2 was only reachable through db
    EXPECT_EQ(r.excludedCount, 1);
    EXPECT_EQ(r.includedCount, 1);
    EXPECT_EQ(r.find(*g.indexOf("fw"))->direction, ImpactDirection::Included);
    EXPECT_EQ(r.unknownIds, (Ids{"unknown-ci"}));
    // Excluding an affected CI removes it and everything only it reached.
    ImpactOptions x;
    x.flags["host"] = ImpactFlag::Exclude;
    EXPECT_TRUE(analyzeImpact(g, {"host"}, x).ids(g).empty());
}

TEST(Impact, SummaryListsServicesOwnersTeamsAndTiers) {
    CmdbGraph g = smallCmdb();
    ImpactOptions o;
    o.upstream = false;
    ImpactResult r = analyzeImpact(g, {"db"}, o);
    EXPECT_EQ(r.summary.businessServices, (Ids{"svc"}));
    EXPECT_EQ(r.summary.owners, (Ids{"ann", "ben", "dana"}));
    EXPECT_EQ(r.summary.teams, (Ids{"DBA", "Orders Team", "Payments Team"}));
    EXPECT_EQ(r.summary.tierCounts[1], 2);
    EXPECT_EQ(r.summary.tierCounts[2], 2);
    EXPECT_EQ(r.summary.tierCounts[3], 0);
    EXPECT_EQ(r.summary.typeCounts.at("application"), 2);
}

TEST(Impact, CyclesAreReportedAndNotLoopedOn) {
    std::vector<ConfigItem> cis = {ci("a", "application", 1, "", ""), ci("b", "application", 1, "", ""),
                                   ci("c", "application", 1, "", ""), ci("d", "database", 1, "", ""),
                                   ci("e", "server", 1, "", "")};
    std::vector<Relationship> rels = {{"a", "b", "depends_on"}, {"b", "c", "depends_on"}, {"c", "a", "depends_on"},
                                      {"c", "d", "depends_on"}, {"e", "e", "depends_on"}};
    CmdbGraph g = CmdbGraph::build(cis, rels);
    auto cycles = g.cycles();
    ASSERT_EQ(cycles.size(), 2u);
    EXPECT_EQ(cycles[0], (std::vector<NodeIndex>{0, 1, 2}));
    EXPECT_EQ(cycles[1], (std::vector<NodeIndex>{4}));  // self-loop
    ImpactOptions o;
    o.upstream = false;
    ImpactResult r = analyzeImpact(g, {"d"}, o);
    EXPECT_EQ(r.ids(g), (Ids{"a", "b", "c", "d"}));
    EXPECT_EQ(depthOf(g, r, "c"), 1);
    EXPECT_EQ(depthOf(g, r, "b"), 2);
    EXPECT_EQ(depthOf(g, r, "a"), 3);
    ASSERT_EQ(r.cycles.size(), 1u);
    EXPECT_EQ(r.cycles[0].size(), 3u);
    ImpactOptions up;
    up.downstream = false;
    EXPECT_EQ(analyzeImpact(g, {"a"}, up).ids(g), (Ids{"a", "b", "c", "d"}));
}

TEST(Impact, AnalyzerIsReusableAcrossQueries) {
    CmdbGraph g = smallCmdb();
    ImpactAnalyzer an(g);
    ImpactOptions o;
    auto first = an.analyze({"host"}, o).ids(g);
    an.analyze({"svc"}, o);
    EXPECT_EQ(an.analyze({"host"}, o).ids(g), first);
}

TEST(Impact, SubgraphOrientsDependencyAboveDependent) {
    CmdbGraph g = smallCmdb();
    ImpactOptions o;
    o.upstream = false;
    ImpactResult r = analyzeImpact(g, {"db"}, o);
    ImpactSubgraph s = impactSubgraph(g, r);
    ASSERT_EQ(s.nodes.size(), 4u);
    EXPECT_EQ(s.edges.size(), 4u);  // app1->db, app2->db, svc->app1, svc->app2 (dependency first)
    for (const auto& [from, to] : s.edges) {
        const std::string& dep = g.idOf(s.nodes[from]);
        const std::string& user = g.idOf(s.nodes[to]);
        EXPECT_TRUE((dep == "db" && (user == "app1" || user == "app2")) || (user == "svc")) << dep << " " << user;
    }
}

TEST(Impact, LimitToNearestKeepsTheShallowestNodesAndTheirEdges) {
    SyntheticCmdb s = generateSyntheticCmdb(11, 3000, 12000);
    CmdbGraph g = CmdbGraph::build(s.cis, s.relationships);
    ImpactAnalyzer an(g);
    ImpactOptions o;
    // The CI with the largest impact set among a sample.
    ImpactResult r;
    for (std::size_t i = 0; i < s.cis.size(); i += 97) {
        ImpactResult candidate = an.analyze({s.cis[i].id}, o);
        if (candidate.cis.size() > r.cis.size()) r = std::move(candidate);
    }
    const ImpactSubgraph full = impactSubgraph(g, r);
    ASSERT_GT(full.nodes.size(), 200u);
    auto depthOf = [&](NodeIndex v) { return r.cis[static_cast<std::size_t>(r.firstEntry[v])].depth; };
    ImpactSubgraph same = full;
    limitToNearest(same, r, full.nodes.size());
    EXPECT_EQ(same.nodes, full.nodes);
    EXPECT_EQ(same.edges, full.edges);

    ImpactSubgraph near = full;
    limitToNearest(near, r, 100);
    ASSERT_EQ(near.nodes.size(), 100u);
    int deepestKept = 0;
    for (NodeIndex v : near.nodes) deepestKept = std::max(deepestKept, depthOf(v));
    std::set<NodeIndex> kept(near.nodes.begin(), near.nodes.end());
    for (NodeIndex v : full.nodes)
        if (!kept.count(v)) EXPECT_GE(depthOf(v), deepestKept) << "a dropped node is nearer than a kept one";
    // Kept in impactSubgraph order, with exactly the edges between kept nodes.
    std::size_t between = 0;
    for (std::size_t e = 0; e < full.edges.size(); ++e)
        between += kept.count(full.nodes[full.edges[e].first]) && kept.count(full.nodes[full.edges[e].second]);
    EXPECT_EQ(near.edges.size(), between);
    EXPECT_EQ(near.edgeTypes.size(), near.edges.size());
    EXPECT_TRUE(std::is_sorted(near.nodes.begin(), near.nodes.end(), [&](NodeIndex a, NodeIndex b) {
        return std::find(full.nodes.begin(), full.nodes.end(), a) < std::find(full.nodes.begin(), full.nodes.end(), b);
    }));
    for (const auto& [a, b] : near.edges) {
        ASSERT_LT(a, near.nodes.size());
        ASSERT_LT(b, near.nodes.size());
    }
}

TEST(Impact, SyntheticCmdbClosureIsConsistentWithDepthLimits) {
    SyntheticCmdb s = generateSyntheticCmdb(7, 3000, 12000);
    CmdbGraph g = CmdbGraph::build(s.cis, s.relationships);
    ASSERT_EQ(g.skippedRelationships(), 0u);
    ImpactAnalyzer an(g);
    ImpactOptions o;
    o.upstream = false;
    std::string id = s.cis[s.cis.size() / 2].id;
    std::size_t previous = 0;
    for (int d = 0; d <= 8; ++d) {
        o.maxDepth = d;
        ImpactResult r = an.analyze({id}, o);
        EXPECT_GE(r.ids(g).size(), previous);
        previous = r.ids(g).size();
        for (std::size_t i = 0; i < r.cis.size(); ++i) {
            ASSERT_LE(r.cis[i].depth, d);
            auto path = r.pathTo(g, static_cast<std::int32_t>(i));
            ASSERT_EQ(static_cast<int>(path.size()), r.cis[i].depth + 1);
            EXPECT_EQ(path.front(), id);
        }
    }
}
