// Writes the benchmarks' synthetic CMDB (the seed and size of bench_store) as
// our CSV templates, for the browser benchmark to import through the page, and
// prints on stdout, as JSON, CIs to use there with the size of their impact set
// (both directions, no flags: what the graph canvas shows for a change whose
// only affected CI it is):
//   large: the CI whose impact set is closest to `target` CIs;
//   picks: one CI per CI type, the one with the median impact set among every
//          `stride`-th CI of that type.
// Usage: write_synthetic_cmdb DIR [ciCount relationshipCount [target]]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "demo/synthetic_cmdb.hpp"
#include "graph/cmdb_graph.hpp"
#include "graph/impact.hpp"
#include "io/cmdb_export.hpp"

using namespace planner::core;

namespace {

std::string jsonString(const std::string& s) {
    std::string out = "\"";
    for (const char ch : s) {
        if (ch == '"' || ch == '\\') out += '\\';
        if (static_cast<unsigned char>(ch) < 0x20) continue;
        out += ch;
    }
    return out + "\"";
}

struct Pick {
    graph::NodeIndex node = 0;
    std::int32_t impact = 0;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: write_synthetic_cmdb DIR [ciCount relationshipCount [target]]\n");
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    const std::size_t ciCount = argc > 3 ? std::strtoul(argv[2], nullptr, 10) : 100000;
    const std::size_t relCount = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 400000;
    const std::int32_t target = argc > 4 ? std::atoi(argv[4]) : 5000;
    if (ciCount == 0 || relCount == 0 || target <= 0) {
        std::fprintf(stderr, "write_synthetic_cmdb: counts and target must be positive numbers\n");
        return 2;
    }
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        std::fprintf(stderr, "write_synthetic_cmdb: cannot create %s: %s\n", dir.string().c_str(), ec.message().c_str());
        return 1;
    }

    const SyntheticCmdb cmdb = generateSyntheticCmdb(20260101u, ciCount, relCount);
    const std::filesystem::path ciPath = dir / "cis.csv", relPath = dir / "relationships.csv";
    {
        std::ofstream ci(ciPath, std::ios::binary), rel(relPath, std::ios::binary);
        ci << io::exportCiCsv(cmdb.cis);
        rel << io::exportRelationshipCsv(cmdb.relationships);
        if (!ci || !rel) {
            std::fprintf(stderr, "write_synthetic_cmdb: cannot write the CSV files in %s\n", dir.string().c_str());
            return 1;
        }
    }

    const graph::CmdbGraph g = graph::CmdbGraph::build(cmdb.cis, cmdb.relationships);
    graph::ImpactAnalyzer analyzer(g);
    const graph::ImpactOptions options;
    auto impactOf = [&](graph::NodeIndex v) { return analyzer.analyze({g.idOf(v)}, options).uniqueCount; };

    // Every `stride`-th CI: enough to find both figures without analysing all of them.
    const std::uint32_t stride = std::max<std::uint32_t>(1, g.nodeCount() / 4000);
    Pick large{0, -1};
    std::map<std::string, std::vector<Pick>> byType;
    for (graph::NodeIndex v = 0; v < g.nodeCount(); v += stride) {
        const Pick p{v, impactOf(v)};
        byType[g.typeOf(v)].push_back(p);
        if (large.impact < 0 || std::abs(p.impact - target) < std::abs(large.impact - target)) large = p;
    }

    auto entry = [&](const Pick& p) {
        return "{\"id\":" + jsonString(g.idOf(p.node)) + ",\"name\":" + jsonString(g.nameOf(p.node)) +
               ",\"type\":" + jsonString(g.typeOf(p.node)) + ",\"impact\":" + std::to_string(p.impact) + "}";
    };
    std::string out = "{\"cis\":" + std::to_string(cmdb.cis.size()) +
                      ",\"relationships\":" + std::to_string(cmdb.relationships.size()) +
                      ",\"ciCsv\":" + jsonString(ciPath.string()) + ",\"relationshipCsv\":" + jsonString(relPath.string()) +
                      ",\"large\":" + entry(large) + ",\"picks\":[";
    bool first = true;
    for (auto& [type, picks] : byType) {
        std::sort(picks.begin(), picks.end(), [](const Pick& a, const Pick& b) {
            return a.impact != b.impact ? a.impact < b.impact : a.node < b.node;
        });
        out += (first ? "" : ",") + entry(picks[picks.size() / 2]);
        first = false;
    }
    out += "]}\n";
    std::fputs(out.c_str(), stdout);
    return 0;
}
