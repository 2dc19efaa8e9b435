// Impact analysis (C4): which CIs a change reaches through the CMDB.
// Downstream = dependents (x -> affected, transitively): what breaks if the
// affected CIs change. Upstream = dependencies (affected -> x, transitively).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "graph/cmdb_graph.hpp"
#include "model/model.hpp"

namespace planner::core::graph {

enum class ImpactDirection : std::uint8_t { Affected, Downstream, Upstream, Included };

const char* toString(ImpactDirection);

struct ImpactOptions {
    int maxDepth = -1;                          // edges from an affected CI; < 0 = unlimited
    bool downstream = true;
    bool upstream = true;
    std::vector<std::string> relationshipTypes; // followed types; empty = all
    std::map<std::string, ImpactFlag> flags;    // manual include / exclude per CI id
};

// One entry of the impact set. `from` is the position in ImpactResult::cis of
// the entry it was reached from (-1 for affected and included CIs), through a
// relationship of type `via`; following `from` leads back to an affected CI.
struct ImpactedCi {
    NodeIndex node = kNoNode;
    std::int32_t depth = 0;
    ImpactDirection direction = ImpactDirection::Affected;
    std::int32_t from = -1;
    TypeId via = 0;
};

struct ImpactSummary {
    std::vector<std::string> businessServices;  // impacted business_service ids, sorted
    std::vector<std::string> owners;            // distinct non-empty owners, sorted
    std::vector<std::string> teams;             // distinct non-empty teams, sorted
    std::array<std::int32_t, 5> tierCounts{};   // [1..4] = CIs per tier, [0] = other values
    std::map<std::string, std::int32_t> typeCounts;  // CI type -> count
};

struct ImpactResult {
    // Affected first, then downstream and upstream entries in breadth-first
    // order, then manual includes. A CI reached both ways has one downstream
    // and one upstream entry; an affected CI has only its affected entry.
    std::vector<ImpactedCi> cis;
    std::int32_t downstreamCount = 0, upstreamCount = 0, includedCount = 0, excludedCount = 0;
    std::vector<std::vector<NodeIndex>> cycles;  // cyclic components touching the set, sorted members
    std::vector<std::string> unknownIds;         // affected or flagged ids not in the CMDB
    ImpactSummary summary;

    std::int32_t uniqueCount = 0;                // distinct CIs in the set

    // Ids of every distinct CI in the set, sorted (what scheduling and policy consume).
    std::vector<std::string> ids(const CmdbGraph& g) const;
    // First entry of a node, or nullptr if it is not in the set.
    const ImpactedCi* find(NodeIndex n) const;
    // CI ids from the affected CI that reached entry `entry` down to it (inclusive).
    std::vector<std::string> pathTo(const CmdbGraph& g, std::int32_t entry) const;

    std::vector<std::int32_t> firstEntry;  // node -> first position in cis, -1 if absent
};

// Reusable analyser: keeps visit arrays sized to the graph so that repeated
// queries allocate only their results. The graph must outlive it.
class ImpactAnalyzer {
public:
    explicit ImpactAnalyzer(const CmdbGraph& g);

    // Closure from `affected` ids under `options`. Excluded CIs are neither
    // reported nor traversed through; included CIs are added when not reached.
    ImpactResult analyze(const std::vector<std::string>& affected, const ImpactOptions& options);

private:
    void bfs(std::vector<NodeIndex>& frontier, bool down, const ImpactOptions& options, ImpactResult& r);

    const CmdbGraph& m_g;
    std::vector<std::uint32_t> m_mark;  // epoch stamps, one per direction pass
    std::uint32_t m_epoch = 0;
    std::vector<std::uint8_t> m_typeAllowed;
    std::vector<std::uint8_t> m_excluded;
};

// The impact set as a graph for drawing: distinct CIs (in ImpactResult order)
// and every CMDB relationship between two of them, as local index pairs
// oriented dependency -> dependent, so that impact flows downwards.
struct ImpactSubgraph {
    std::vector<NodeIndex> nodes;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    std::vector<TypeId> edgeTypes;  // parallel to edges
};
ImpactSubgraph impactSubgraph(const CmdbGraph& g, const ImpactResult& r);
// Keeps the `cap` nodes of `sub` nearest to the change (smallest impact
// depth; ties keep impactSubgraph order) and the edges between them, for
// drawing an impact set too large to lay out at once.
void limitToNearest(ImpactSubgraph& sub, const ImpactResult& r, std::size_t cap);

// One-shot convenience over ImpactAnalyzer.
ImpactResult analyzeImpact(const CmdbGraph& g, const std::vector<std::string>& affected, const ImpactOptions& options);

}  // namespace planner::core::graph
