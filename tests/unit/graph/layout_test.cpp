#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>

#include "graph/layout.hpp"
#include "polyline_crossings.hpp"

using namespace planner::core;
using namespace planner::core::graph;

namespace {

struct Graph {
    std::vector<LayoutNode> nodes;
    std::vector<LayoutEdge> edges;
};

std::uint64_t mix(std::uint64_t& s) {
    s += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = s;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Random DAG: edges go from a lower to a higher index, mostly nearby.
Graph randomDag(std::uint64_t seed, std::uint32_t n, std::uint32_t m) {
    Graph g;
    for (std::uint32_t i = 0; i < n; ++i)
        g.nodes.push_back({"n" + std::to_string(i), static_cast<std::int32_t>(60 + mix(seed) % 120), static_cast<std::int32_t>(24 + mix(seed) % 30)});
    std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
    while (g.edges.size() < m && n > 1) {
        std::uint32_t a = static_cast<std::uint32_t>(mix(seed) % (n - 1));
        std::uint32_t span = 1 + static_cast<std::uint32_t>(mix(seed) % std::min<std::uint32_t>(n - 1 - a, 25));
        std::uint32_t b = a + span;
        if (seen.emplace(a, b).second) g.edges.push_back({a, b});
    }
    return g;
}

std::int64_t independentCrossings(const LayoutResult& r) {
    std::vector<std::vector<planner::testing::PolyPoint>> lines;
    for (const EdgeRoute& e : r.edges) {
        std::vector<planner::testing::PolyPoint> l;
        for (const LayoutPoint& p : e.points) l.push_back({p.x, p.y});
        lines.push_back(std::move(l));
    }
    return planner::testing::countPolylineCrossings(lines);
}

bool overlap(const NodePlacement& a, const NodePlacement& b) {
    return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

}  // namespace

TEST(PolylineCrossings, CountsOnlyProperIntersections) {
    using planner::testing::PolyPoint;
    std::vector<std::vector<PolyPoint>> l = {{{0, 0}, {10, 10}}, {{0, 10}, {10, 0}}};
    EXPECT_EQ(planner::testing::countPolylineCrossings(l), 1);
    l = {{{0, 0}, {10, 10}}, {{10, 10}, {20, 0}}};  // shared end point
    EXPECT_EQ(planner::testing::countPolylineCrossings(l), 0);
    l = {{{0, 0}, {10, 0}}, {{5, 0}, {20, 0}}};  // collinear overlap
    EXPECT_EQ(planner::testing::countPolylineCrossings(l), 0);
    l = {{{0, 0}, {0, 10}, {10, 20}}, {{-5, 5}, {5, 5}, {5, 12}, {-5, 30}}};  // two crossings
    EXPECT_EQ(planner::testing::countPolylineCrossings(l), 2);
    l = {{{0, 0}, {10, 10}}, {{0, 10}, {5, 5}}};  // touches at an end point
    EXPECT_EQ(planner::testing::countPolylineCrossings(l), 0);
}

TEST(Layout, ChainIsVerticalAndEdgesEndOnBorders) {
    Graph g;
    for (int i = 0; i < 3; ++i) g.nodes.push_back({"c" + std::to_string(i), 80, 30});
    g.edges = {{0, 1}, {1, 2}};
    auto r = layoutLayered(g.nodes, g.edges);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->layerCount, 3);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(r->nodes[i].layer, i);
    EXPECT_EQ(r->nodes[0].x, r->nodes[1].x);
    EXPECT_EQ(r->nodes[1].x, r->nodes[2].x);
    const auto& e = r->edges[0].points;
    ASSERT_GE(e.size(), 2u);
    EXPECT_EQ(e.front(), (LayoutPoint{r->nodes[0].x + 40, r->nodes[0].y + 30}));
    EXPECT_EQ(e.back(), (LayoutPoint{r->nodes[1].x + 40, r->nodes[1].y}));
    EXPECT_EQ(r->nodes[0].x, 0);
    EXPECT_EQ(r->nodes[0].y, 0);
}

TEST(Layout, TreeHasNoCrossingsAndKtwoTwoHasOne) {
    Graph tree;
    for (int i = 0; i < 15; ++i) tree.nodes.push_back({"t" + std::to_string(i), 50, 20});
    for (std::uint32_t i = 1; i < 15; ++i) tree.edges.push_back({(i - 1) / 2, i});
    auto r = layoutLayered(tree.nodes, tree.edges);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(independentCrossings(*r), 0);

    Graph k;
    for (int i = 0; i < 4; ++i) k.nodes.push_back({"k" + std::to_string(i), 50, 20});
    k.edges = {{0, 2}, {0, 3}, {1, 2}, {1, 3}};
    auto rk = layoutLayered(k.nodes, k.edges);
    ASSERT_TRUE(rk.ok());
    EXPECT_EQ(independentCrossings(*rk), 1);
}

TEST(Layout, LongEdgeGetsBendPointsThroughDummies) {
    Graph g;
    for (int i = 0; i < 4; ++i) g.nodes.push_back({"l" + std::to_string(i), 60, 20});
    g.edges = {{0, 1}, {1, 2}, {2, 3}, {0, 3}};
    auto r = layoutLayered(g.nodes, g.edges);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->dummyCount, 2);
    const auto& pts = r->edges[3].points;
    EXPECT_EQ(pts.front().y, r->nodes[0].y + 20);
    EXPECT_EQ(pts.back().y, r->nodes[3].y);
    for (std::size_t i = 1; i < pts.size(); ++i) EXPECT_GE(pts[i].y, pts[i - 1].y);
    // The long edge passes beside, not through, the middle nodes.
    for (int m = 1; m <= 2; ++m)
        for (const LayoutPoint& p : pts)
            EXPECT_FALSE(p.x > r->nodes[m].x && p.x < r->nodes[m].x + 60 && p.y > r->nodes[m].y && p.y < r->nodes[m].y + 20);
}

TEST(Layout, CyclesAreBrokenByReversingEdges) {
    Graph g;
    for (int i = 0; i < 3; ++i) g.nodes.push_back({"y" + std::to_string(i), 40, 20});
    g.edges = {{0, 1}, {1, 2}, {2, 0}, {1, 1}};
    auto r = layoutLayered(g.nodes, g.edges);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->reversedEdges, 1);
    EXPECT_TRUE(r->edges[2].reversed);
    EXPECT_TRUE(r->edges[3].points.empty());  // self-loop
    const auto& back = r->edges[2].points;
    ASSERT_GE(back.size(), 2u);
    EXPECT_EQ(back.front().y, r->nodes[2].y);                 // leaves node 2 at its top
    EXPECT_EQ(back.back().y, r->nodes[0].y + r->nodes[0].height);  // reaches node 0 at its bottom
}

TEST(Layout, RejectsBadInput) {
    std::vector<LayoutNode> nodes = {{"a", 10, 10}};
    EXPECT_FALSE(layoutLayered(nodes, {{0, 1}}).ok());
    nodes[0].width = 0;
    EXPECT_FALSE(layoutLayered(nodes, {}).ok());
    auto empty = layoutLayered({}, {});
    ASSERT_TRUE(empty.ok());
    EXPECT_TRUE(empty->nodes.empty());
}

class LayoutProperties : public ::testing::TestWithParam<int> {};

TEST_P(LayoutProperties, RandomDagIsLayeredNonOverlappingDeterministic) {
    const int seed = GetParam();
    const std::uint32_t n = 20 + static_cast<std::uint32_t>(seed) * 23;
    Graph g = randomDag(static_cast<std::uint64_t>(seed), n, n * 2);
    auto r = layoutLayered(g.nodes, g.edges);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->reversedEdges, 0);
    for (const LayoutEdge& e : g.edges) {
        const NodePlacement& a = r->nodes[e.from];
        const NodePlacement& b = r->nodes[e.to];
        EXPECT_LT(a.layer, b.layer);
        EXPECT_LT(a.y + a.height, b.y);
    }
    for (std::size_t i = 0; i < r->nodes.size(); ++i)
        for (std::size_t j = i + 1; j < r->nodes.size(); ++j)
            ASSERT_FALSE(overlap(r->nodes[i], r->nodes[j])) << i << " " << j;
    for (std::size_t i = 0; i < g.edges.size(); ++i) {
        const auto& pts = r->edges[i].points;
        ASSERT_GE(pts.size(), 2u);
        for (std::size_t k = 1; k < pts.size(); ++k) EXPECT_GT(pts[k].y, pts[k - 1].y - 1);
    }
    // The drawn polylines cross exactly as often as the layered order says.
    EXPECT_EQ(independentCrossings(*r), r->layerCrossings);
    auto again = layoutLayered(g.nodes, g.edges);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *r);
}

INSTANTIATE_TEST_SUITE_P(Seeds, LayoutProperties, ::testing::Range(1, 9));

TEST(Layout, CrossingMinimisationBeatsTheInitialOrder) {
    Graph g = randomDag(99, 150, 300);
    LayoutOptions once;
    once.restarts = 1;
    once.maxSweeps = 0;
    auto naive = layoutLayered(g.nodes, g.edges, once);
    auto tuned = layoutLayered(g.nodes, g.edges);
    ASSERT_TRUE(naive.ok() && tuned.ok());
    EXPECT_LT(independentCrossings(*tuned), independentCrossings(*naive));
}

TEST(Layout, AddingOneNodeMovesOthersLittleWithPreviousPositions) {
    Graph g = randomDag(5, 120, 200);
    auto first = layoutLayered(g.nodes, g.edges);
    ASSERT_TRUE(first.ok());
    Graph h = g;
    h.nodes.push_back({"added", 90, 30});
    h.edges.push_back({60, 120});
    LayoutOptions withPrev;
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const NodePlacement& p = first->nodes[i];
        withPrev.previous[g.nodes[i].id] = {p.x + p.width / 2, p.y + p.height / 2};
    }
    auto stable = layoutLayered(h.nodes, h.edges, withPrev);
    auto fresh = layoutLayered(h.nodes, h.edges);
    ASSERT_TRUE(stable.ok() && fresh.ok());
    auto meanMove = [&](const LayoutResult& r) {
        double sum = 0;
        for (std::size_t i = 0; i < g.nodes.size(); ++i)
            sum += std::hypot(r.nodes[i].x - first->nodes[i].x, r.nodes[i].y - first->nodes[i].y);
        return sum / static_cast<double>(g.nodes.size());
    };
    // Layers can still shift when the new edge changes the optimal layering,
    // but less moves than in a layout made from scratch.
    EXPECT_LT(meanMove(*stable), meanMove(*fresh))
        << "mean displacement " << meanMove(*stable) << " vs " << meanMove(*fresh);
}

// A few thousand nodes: the layering must be valid, shorter in total than the
// longest-path layering, and locally optimal (no single node can move one
// layer up or down and shorten its edges while keeping every span >= 1); the
// drawing must keep its properties.
TEST(Layout, LargeDagLayeringIsLocallyOptimalAndDrawingValid) {
    const std::uint32_t n = 3000;
    Graph g = randomDag(99, n, 2 * n);
    auto r = layoutLayered(g.nodes, g.edges);
    ASSERT_TRUE(r.ok());
    std::vector<std::vector<std::uint32_t>> out(n), in(n);
    for (const LayoutEdge& e : g.edges) {
        out[e.from].push_back(e.to);
        in[e.to].push_back(e.from);
    }
    std::int64_t span = 0;
    for (const LayoutEdge& e : g.edges) {
        const std::int32_t d = r->nodes[e.to].layer - r->nodes[e.from].layer;
        ASSERT_GE(d, 1);
        span += d;
    }
    // Longest path from the sources (edges go from lower to higher index).
    std::vector<std::int32_t> longest(n, 0);
    for (std::uint32_t v = 0; v < n; ++v)
        for (std::uint32_t w : out[v]) longest[w] = std::max(longest[w], longest[v] + 1);
    std::int64_t longestSpan = 0;
    for (const LayoutEdge& e : g.edges) longestSpan += longest[e.to] - longest[e.from];
    EXPECT_LT(span, longestSpan);
    EXPECT_EQ(r->dummyCount, span - static_cast<std::int64_t>(g.edges.size()));
    for (std::uint32_t v = 0; v < n; ++v) {
        const std::int32_t l = r->nodes[v].layer;
        // Moving v down by one shortens its out-edges and lengthens its in-edges.
        bool canDown = true, canUp = true;
        for (std::uint32_t w : out[v]) canDown = canDown && r->nodes[w].layer - (l + 1) >= 1;
        for (std::uint32_t u : in[v]) canUp = canUp && (l - 1) - r->nodes[u].layer >= 1;
        const auto outs = static_cast<std::int64_t>(out[v].size()), ins = static_cast<std::int64_t>(in[v].size());
        if (canDown) EXPECT_GE(ins - outs, 0) << "node " << v << " could move down";
        if (canUp) EXPECT_GE(outs - ins, 0) << "node " << v << " could move up";
    }
    // Nodes of one layer never overlap; routes go downwards.
    std::vector<std::vector<const NodePlacement*>> layers(static_cast<std::size_t>(r->layerCount));
    for (const NodePlacement& p : r->nodes) layers[static_cast<std::size_t>(p.layer)].push_back(&p);
    for (auto& layer : layers) {
        std::sort(layer.begin(), layer.end(),
                  [](const NodePlacement* a, const NodePlacement* b) { return a->order < b->order; });
        for (std::size_t i = 1; i < layer.size(); ++i) ASSERT_LE(layer[i - 1]->x + layer[i - 1]->width, layer[i]->x);
    }
    for (const EdgeRoute& e : r->edges)
        for (std::size_t k = 1; k < e.points.size(); ++k) ASSERT_GE(e.points[k].y, e.points[k - 1].y);
    EXPECT_EQ(independentCrossings(*r), r->layerCrossings);
}
