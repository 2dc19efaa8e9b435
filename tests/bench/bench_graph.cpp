// Graph engine figures: synthetic CMDB generation, impact closure, runbook
// analysis and layered layout (time, crossings, stability). Prints figures,
// never asserts time. `bench_graph --dump-graphs DIR` also writes every layout
// test graph with our drawing as JSON for tests/bench/layout-compare.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "../unit/graph/polyline_crossings.hpp"
#include "demo/synthetic_cmdb.hpp"
#include "graph/cmdb_graph.hpp"
#include "graph/impact.hpp"
#include "graph/layout.hpp"
#include "graph/runbook.hpp"

using namespace planner::core;
using namespace planner::core::graph;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

template <typename F>
double medianMs(int runs, F&& f) {
    std::vector<double> t;
    for (int i = 0; i < runs; ++i) {
        auto t0 = Clock::now();
        f();
        t.push_back(msSince(t0));
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

std::uint64_t mix(std::uint64_t& s) {
    s += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = s;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

struct TestGraph {
    std::string name;
    std::vector<LayoutNode> nodes;
    std::vector<LayoutEdge> edges;
};

// Random DAG with ~2n edges from lower to higher index within a window, node
// sizes like short labels. Fixed seed per size.
TestGraph randomDag(std::uint64_t seed, std::uint32_t n, std::uint32_t m) {
    TestGraph g;
    g.name = "dag-" + std::to_string(n);
    for (std::uint32_t i = 0; i < n; ++i)
        g.nodes.push_back({"n" + std::to_string(i), static_cast<std::int32_t>(60 + mix(seed) % 100), 28});
    std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
    while (g.edges.size() < m) {
        std::uint32_t a = static_cast<std::uint32_t>(mix(seed) % (n - 1));
        std::uint32_t span = 1 + static_cast<std::uint32_t>(mix(seed) % std::min<std::uint32_t>(n - 1 - a, 30));
        if (seen.emplace(a, a + span).second) g.edges.push_back({a, a + span});
    }
    return g;
}

TestGraph impactGraph(const std::string& name, const CmdbGraph& g, const ImpactResult& r) {
    TestGraph t;
    t.name = name;
    ImpactSubgraph s = impactSubgraph(g, r);
    for (NodeIndex v : s.nodes)
        t.nodes.push_back({g.idOf(v), static_cast<std::int32_t>(24 + 7 * g.nameOf(v).size()), 28});
    for (const auto& [a, b] : s.edges) t.edges.push_back({a, b});
    return t;
}

std::int64_t crossingsOf(const LayoutResult& r) {
    std::vector<std::vector<planner::testing::PolyPoint>> lines;
    lines.reserve(r.edges.size());
    for (const EdgeRoute& e : r.edges) {
        std::vector<planner::testing::PolyPoint> l;
        for (const LayoutPoint& p : e.points) l.push_back({p.x, p.y});
        lines.push_back(std::move(l));
    }
    return planner::testing::countPolylineCrossings(lines);
}

void writeJson(const std::string& path, const TestGraph& g, const LayoutResult& r, double ms) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("name");
    w.String(g.name.c_str());
    w.Key("nodes");
    w.StartArray();
    for (const LayoutNode& n : g.nodes) {
        w.StartObject();
        w.Key("id");
        w.String(n.id.c_str());
        w.Key("width");
        w.Int(n.width);
        w.Key("height");
        w.Int(n.height);
        w.EndObject();
    }
    w.EndArray();
    w.Key("edges");
    w.StartArray();
    for (const LayoutEdge& e : g.edges) {
        w.StartArray();
        w.Uint(e.from);
        w.Uint(e.to);
        w.EndArray();
    }
    w.EndArray();
    w.Key("ours");
    w.StartObject();
    w.Key("timeMs");
    w.Double(std::round(ms * 100) / 100);
    w.Key("nodes");
    w.StartArray();
    for (const NodePlacement& p : r.nodes) {
        w.StartArray();
        w.Int(p.x);
        w.Int(p.y);
        w.Int(p.width);
        w.Int(p.height);
        w.EndArray();
    }
    w.EndArray();
    w.Key("edges");
    w.StartArray();
    for (const EdgeRoute& e : r.edges) {
        w.StartArray();
        for (const LayoutPoint& p : e.points) {
            w.StartArray();
            w.Int(p.x);
            w.Int(p.y);
            w.EndArray();
        }
        w.EndArray();
    }
    w.EndArray();
    w.EndObject();
    w.EndObject();
    std::ofstream out(path, std::ios::binary);
    out << buf.GetString() << "\n";
}

std::vector<Step> randomRunbook(std::uint32_t n) {
    std::uint64_t seed = 77;
    std::vector<Step> steps;
    for (std::uint32_t i = 0; i < n; ++i) {
        Step s;
        s.id = "step-" + std::to_string(i);
        s.duration = static_cast<Minutes>(1 + mix(seed) % 30);
        s.rollback = "undo";
        s.rollbackDuration = static_cast<Minutes>(mix(seed) % 15);
        for (int k = 0; k < 2 && i > 0; ++k) s.dependsOn.push_back("step-" + std::to_string(i - 1 - mix(seed) % std::min<std::uint32_t>(i, 20)));
        s.ci = "CI" + std::to_string(mix(seed) % 1000);
        steps.push_back(std::move(s));
    }
    return steps;
}

}  // namespace

int main(int argc, char** argv) {
    std::string dumpDir;
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--dump-graphs") == 0 && i + 1 < argc) dumpDir = argv[++i];

    std::printf("== graph engine figures ==\n");
    auto t0 = Clock::now();
    SyntheticCmdb cmdb = generateSyntheticCmdb(1, 100000, 400000);
    std::printf("synthetic CMDB 100000 CIs / %zu relationships: generated in %.1f ms\n", cmdb.relationships.size(), msSince(t0));
    t0 = Clock::now();
    CmdbGraph g = CmdbGraph::build(cmdb.cis, cmdb.relationships);
    std::printf("CmdbGraph build: %.1f ms (%u nodes, %u edges, %zu cyclic components)\n", msSince(t0), g.nodeCount(),
                g.edgeCount(), g.cycles().size());

    // A CI whose downstream closure is closest to 10,000 CIs, among network,
    // firewall and storage CIs.
    ImpactAnalyzer analyzer(g);
    ImpactOptions down;
    down.upstream = false;
    std::string target;
    std::int32_t targetSize = 0;
    for (NodeIndex v = 0; v < g.nodeCount(); ++v) {
        const std::string& type = g.typeOf(v);
        if (type != "network" && type != "firewall" && type != "storage") continue;
        if (g.dependents(v).count < 3) continue;
        ImpactResult r = analyzer.analyze({g.idOf(v)}, down);
        if (target.empty() || std::abs(r.downstreamCount - 10000) < std::abs(targetSize - 10000)) {
            target = g.idOf(v);
            targetSize = r.downstreamCount;
        }
        if (std::abs(targetSize - 10000) < 300) break;
    }
    ImpactResult closure;
    double closureMs = medianMs(15, [&] { closure = analyzer.analyze({target}, down); });
    std::printf("impact closure of %s (%s): %d downstream CIs, %zu business services, %zu teams: %.2f ms (median of 15)\n",
                target.c_str(), g.nameOf(*g.indexOf(target)).c_str(), closure.downstreamCount,
                closure.summary.businessServices.size(), closure.summary.teams.size(), closureMs);
    ImpactOptions both;
    double bothMs = medianMs(15, [&] { closure = analyzer.analyze({target}, both); });
    std::printf("impact both directions of %s: %d CIs: %.2f ms; one-shot analyzeImpact (allocating): %.2f ms\n",
                target.c_str(), closure.uniqueCount, bothMs, medianMs(5, [&] { analyzeImpact(g, {target}, down); }));

    std::vector<Step> steps = randomRunbook(500);
    RunbookOptions ro;
    ro.windowStart = 1'800'000'000;
    ro.windowEnd = ro.windowStart + 24 * 3600;
    Minutes total = 0;
    double runbookMs = medianMs(21, [&] {
        auto r = analyzeRunbook(steps, ro);
        total = r.ok() ? r->totalDuration : -1;
    });
    std::printf("runbook analysis, 500 steps: %.3f ms (median of 21), total %d min\n", runbookMs, total);

    // Layout graphs.
    std::vector<TestGraph> graphs;
    graphs.push_back(randomDag(100, 100, 200));
    graphs.push_back(randomDag(500, 500, 1000));
    graphs.push_back(randomDag(1000, 1000, 2000));
    graphs.push_back(randomDag(2000, 2000, 4000));
    graphs.push_back(randomDag(5000, 5000, 10000));
    {
        // Impact graphs: two-level closures around CIs, of increasing size.
        struct Wanted {
            std::int32_t size;
            int depth;
            const char* name;
        };
        for (const Wanted& want : {Wanted{150, 2, "impact-s"}, Wanted{400, 3, "impact-m"}, Wanted{900, 3, "impact-l"},
                                   Wanted{5000, 5, "impact-xl"}}) {
            const std::int32_t size = want.size;
            const std::string name = want.name;
            ImpactOptions near;
            near.maxDepth = want.depth;
            for (NodeIndex v = 0; v < g.nodeCount(); v += 13) {
                ImpactResult r = analyzer.analyze({g.idOf(v)}, near);
                if (r.uniqueCount >= size && r.uniqueCount < size + size / 2) {
                    graphs.push_back(impactGraph(name + "-" + g.idOf(v), g, r));
                    break;
                }
            }
        }
    }
    std::printf("\n%-22s %6s %6s %8s %10s %8s %8s %9s\n", "graph", "nodes", "edges", "layers", "wall ms", "cpu ms", "dummies",
                "crossings");
    for (const TestGraph& tg : graphs) {
        LayoutResult r;
        int runs = tg.nodes.size() > 1000 ? 3 : 5;
        std::clock_t c0 = std::clock();
        double ms = medianMs(runs, [&] { r = *layoutLayered(tg.nodes, tg.edges); });
        double cpuMs = 1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC / runs;
        std::int64_t c = crossingsOf(r);
        std::printf("%-22s %6zu %6zu %8d %10.1f %8.1f %8d %9lld\n", tg.name.c_str(), tg.nodes.size(), tg.edges.size(), r.layerCount,
                    ms, cpuMs, r.dummyCount, static_cast<long long>(c));
        if (!dumpDir.empty()) writeJson(dumpDir + "/" + tg.name + ".json", tg, r, ms);
    }

    // Stability: add one node to the 500-node DAG and lay out again.
    {
        const TestGraph& base = graphs[1];
        LayoutResult first = *layoutLayered(base.nodes, base.edges);
        TestGraph more = base;
        more.nodes.push_back({"added", 100, 28});
        more.edges.push_back({250, static_cast<std::uint32_t>(base.nodes.size())});
        LayoutOptions prev;
        for (std::size_t i = 0; i < base.nodes.size(); ++i)
            prev.previous[base.nodes[i].id] = {first.nodes[i].x + first.nodes[i].width / 2, first.nodes[i].y + first.nodes[i].height / 2};
        LayoutResult withPrev = *layoutLayered(more.nodes, more.edges, prev);
        LayoutResult fresh = *layoutLayered(more.nodes, more.edges);
        auto mean = [&](const LayoutResult& r) {
            double s = 0;
            for (std::size_t i = 0; i < base.nodes.size(); ++i)
                s += std::hypot(r.nodes[i].x - first.nodes[i].x, r.nodes[i].y - first.nodes[i].y);
            return s / static_cast<double>(base.nodes.size());
        };
        std::printf("\nstability, dag-500 plus one node: mean displacement %.1f units with previous positions, %.1f without "
                    "(drawing %d x %d; crossings %lld vs %lld)\n",
                    mean(withPrev), mean(fresh), first.width, first.height, static_cast<long long>(crossingsOf(withPrev)),
                    static_cast<long long>(crossingsOf(fresh)));
    }
    return 0;
}
