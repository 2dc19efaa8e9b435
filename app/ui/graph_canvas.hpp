// Dependency graph canvas: the impact set of the selected change, laid out by
// the core's layered layout and drawn with pan, zoom, level of detail and
// culling; hover card, selection, search-and-focus, per-node context menu
// (impact flags, affected CIs), drag to pin, minimap and legend. Reads the
// session, emits commands; everything it keeps is view state.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "graph/impact.hpp"
#include "graph/layout.hpp"
#include "ui/app.hpp"
#include "ui/graph_view_math.hpp"
#include "ui/ui_context.hpp"

namespace planner::ui {

// What was drawn in the last frame, for benchmarks and tests.
struct GraphFrameStats {
    int nodesTotal = 0;
    int nodesVisible = 0;         // nodes inside the visible part of the canvas
    int nodesDrawn = 0;           // of those, drawn (the rest left out to stay within the vertex limit)
    int edgesTotal = 0, edgesDrawn = 0;
    int edgesSkipped = 0;         // visible edges left out to stay within the vertex limit
    int detailLevel = 0;          // graphview::detailLevel of the last frame
    int layoutBuilds = 0;         // layouts computed since the state was made
    double layoutMs = 0;          // time of the newest layout
    double layoutEngineMs = 0;    // of which core::graph::layoutLayered
    double impactMs = 0;          // time the impact set took in the frame of the newest layout
                                  // (about 0 when it had already been computed elsewhere)
};

// Layout of one change's impact set, rebuilt only when its key changes.
struct GraphLayoutCache {
    bool valid = false;
    // key
    std::uint64_t cmdbRevision = 0;
    std::string changeId;
    std::vector<std::string> affected;
    std::map<std::string, core::ImpactFlag> flags;
    float fontKey = 0;
    bool showAll = false;
    std::size_t impactNodes = 0;          // CIs in the whole impact set (node.size() when all are drawn)
    // nodes, in impactSubgraph order
    std::vector<core::graph::NodeIndex> node;
    std::vector<std::int32_t> entry;      // first position in ImpactResult::cis
    std::vector<std::int32_t> depth;
    std::vector<std::uint8_t> roles;      // bit set of kRole*
    std::vector<std::string> label;       // name, cut for display
    std::vector<const char*> icon;        // icon glyph of the CI type
    std::vector<graphview::Rect> box;     // layout rectangle, model units
    std::vector<graphview::Rect> pin;     // pinned offset of each node (x, y used)
    std::unordered_map<std::string, std::uint32_t> localOf;  // CI id -> node
    // edges, oriented dependency -> dependent
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    std::vector<core::graph::TypeId> edgeTypes;
    std::vector<std::vector<core::graph::LayoutPoint>> routes;
    std::vector<graphview::Rect> edgeBox;
    std::vector<core::graph::TypeId> typesPresent;
    std::vector<unsigned int> typeColor;  // edge colour per relationship TypeId
    graphview::Rect bounds;
    float iconW = 0, lineH = 0, badgeW = 0;  // model units
    std::string error;
    // per-frame scratch, kept to avoid allocations
    std::vector<std::uint32_t> visible;
    std::vector<ImVec2> points;

    static constexpr std::uint8_t kRoleAffected = 1, kRoleDown = 2, kRoleUp = 4, kRoleIncluded = 8;
};

struct GraphCanvasState {
    graphview::View view;
    bool needsFit = true;             // fit the next frame (new change, first show)
    std::string viewChange;           // change the view was fitted for
    bool showLegend = false;  // the toolbar button opens it; closed, it hides none of the graph
    bool showMinimap = true;
    // Impact sets larger than kNodeCap are drawn around the change (the CIs
    // nearest to it) until the user asks for all: laying out thousands of
    // nodes takes seconds and the summary strip already counts them all.
    static constexpr std::size_t kNodeCap = 1000;
    std::string showAllFor;           // change id whose whole impact set is drawn
    std::string search;               // search-and-focus box
    bool focusSearch = false;         // give the box keyboard focus next frame (Ctrl+F)
    std::string focusCi;              // CI highlighted by the last search
    double focusUntil = 0;            // ImGui time when the highlight ends
    std::string addSearch;            // CMDB search for adding affected CIs
    std::string addSearchKey;         // query + revision the results belong to
    std::vector<std::string> addResults;  // CI ids, at most 50
    std::string menuCi;               // CI of the open context menu
    // Pinned offsets (model units) per change id, then per CI id.
    std::map<std::string, std::map<std::string, std::pair<float, float>>> pins;
    // Interaction in progress.
    int pressNode = -1;
    int pressButton = -1;
    std::string pendingFocus;         // CI to centre on once the canvas size is known
    bool searchMiss = false;
    bool dragged = false;
    bool minimapDrag = false;
    // Last frame's geometry, for GraphNodeRect.
    float originX = 0, originY = 0, canvasW = 0, canvasH = 0, scale = 1;
    GraphLayoutCache cache;
    GraphFrameStats stats;
};

// Draws the canvas in the remaining content region of the current window:
// header strip (toolbar and blast radius summary), then the graph.
void DrawGraphCanvas(const UiContext& ctx, GraphCanvasState& state);

// Screen rectangle (device pixels) of a CI's node as last drawn; false when
// the CI is not in the drawn graph or its node lies outside the canvas.
bool GraphNodeRect(const GraphCanvasState& state, const std::string& ciId, WidgetRect& out);

// Nodes and edges drawn versus in the graph in the last frame, and layout figures.
const GraphFrameStats& GraphCanvasFrameStats(const GraphCanvasState& state);

}  // namespace planner::ui
