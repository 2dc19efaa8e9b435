// Layered (Sugiyama) layout for the graph canvas: cycle breaking, layer
// assignment, dummy nodes for long edges, crossing minimisation, coordinate
// assignment and polyline routes. Output is integer model units, top-left
// origin, y growing downwards; the UI only scales and draws it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace planner::core::graph {

struct LayoutNode {
    std::string id;            // stable id, used to match previous positions
    std::int32_t width = 0;    // model units, > 0
    std::int32_t height = 0;
};

// Directed edge between node indices: drawn from `from` (above) to `to` (below)
// unless it had to be reversed to break a cycle.
struct LayoutEdge {
    std::uint32_t from = 0;
    std::uint32_t to = 0;
};

struct LayoutPoint {
    std::int32_t x = 0;
    std::int32_t y = 0;
    bool operator==(const LayoutPoint&) const = default;
};

struct LayoutOptions {
    std::int32_t nodeSpacing = 40;   // horizontal gap between two nodes of a layer
    std::int32_t edgeSpacing = 12;   // horizontal gap next to an edge passing a layer
    std::int32_t layerSpacing = 70;  // vertical gap between two layers
    int restarts = 4;                // independent orderings tried by crossing minimisation
                                     // (doubled when nodes + dummies + edges < 4,096)
    int maxSweeps = 24;              // down+up sweep pairs per ordering at most
    // Centre positions of a previous drawing by node id: new orders and
    // coordinates are pulled towards them so that small edits move little.
    std::map<std::string, LayoutPoint> previous;
};

struct NodePlacement {
    std::int32_t x = 0, y = 0;       // top-left corner
    std::int32_t width = 0, height = 0;
    std::int32_t layer = 0;          // 0 = top
    std::int32_t order = 0;          // position within the layer, left to right
    bool operator==(const NodePlacement&) const = default;
};

struct EdgeRoute {
    std::vector<LayoutPoint> points;  // from the `from` node's border to the `to` node's border
    bool reversed = false;            // drawn upwards because it closes a cycle
    bool operator==(const EdgeRoute&) const = default;
};

struct LayoutResult {
    std::vector<NodePlacement> nodes;  // same order as the input nodes
    std::vector<EdgeRoute> edges;      // same order as the input edges; self-loops have no points
    std::int32_t width = 0, height = 0;  // bounding box of all nodes and routes
    std::int32_t minX = 0, minY = 0;     // its top-left (0,0 unless previous positions shifted it)
    std::int32_t layerCount = 0;
    std::int32_t dummyCount = 0;         // bend points introduced for long edges
    std::int32_t reversedEdges = 0;
    std::int64_t layerCrossings = 0;     // crossings counted on the layered order
    bool operator==(const LayoutResult&) const = default;
};

// Lays out the graph. Fails only on an edge naming a node index out of range
// or a non-positive node size. Same input, same output.
Result<LayoutResult> layoutLayered(const std::vector<LayoutNode>& nodes, const std::vector<LayoutEdge>& edges,
                                   const LayoutOptions& options = {});

}  // namespace planner::core::graph
