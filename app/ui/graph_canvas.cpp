// Dependency graph canvas.
//
//   1. Look: icons, edge colours, colour mixing
//   2. Layout cache
//   3. Adding affected CIs by search
//   4. Header strip: toolbar and blast radius summary
//   5. Canvas: input, edges, nodes, overlays, hover card, context menu
//   6. Entry points
#include "ui/graph_canvas.hpp"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

#include "ui/icons.hpp"
#include "ui/widgets.hpp"

namespace planner::ui {

namespace {

namespace gv = graphview;
using core::graph::ImpactDirection;
using core::graph::ImpactResult;
using core::graph::NodeIndex;

constexpr std::size_t kMaxLabelBytes = 40;
constexpr std::size_t kMaxAddResults = 50;
constexpr float kPadX = 10, kPadY = 6, kGap = 8;  // node inner spacing, model units

// ---- 1. Look ---------------------------------------------------------------------

const char* iconFor(const std::string& type) {
    if (type == "business_service") return ICON_BRIEFCASE;
    if (type == "application") return ICON_CUBE;
    if (type == "server") return ICON_SERVER;
    if (type == "database") return ICON_DATABASE;
    if (type == "network") return ICON_GLOBE;
    if (type == "load_balancer") return ICON_RANDOM;
    if (type == "firewall") return ICON_SHIELD;
    if (type == "storage") return ICON_HDD;
    return ICON_CIRCLE;
}

// Mid-tone colours that read on both themes.
ImU32 relationshipColor(const std::string& type, std::size_t index) {
    if (type == "depends_on") return IM_COL32(86, 140, 230, 200);
    if (type == "runs_on") return IM_COL32(38, 170, 160, 200);
    if (type == "hosted_on") return IM_COL32(150, 110, 222, 200);
    if (type == "connects_to") return IM_COL32(232, 140, 48, 200);
    if (type == "stored_on") return IM_COL32(176, 150, 62, 200);
    if (type == "member_of") return IM_COL32(214, 92, 152, 200);
    static const ImU32 kOthers[] = {IM_COL32(120, 160, 90, 200), IM_COL32(200, 110, 90, 200),
                                    IM_COL32(90, 170, 210, 200), IM_COL32(170, 130, 180, 200)};
    return kOthers[index % 4];
}

ImU32 mix(ImU32 a, ImU32 b, float t) {
    auto ch = [&](int shift) {
        const float x = static_cast<float>((a >> shift) & 0xFF), y = static_cast<float>((b >> shift) & 0xFF);
        return static_cast<ImU32>(x + (y - x) * t + 0.5f) << shift;
    };
    return ch(0) | ch(8) | ch(16) | ch(24);
}

// Vertices still free in a draw list whose indices are 16-bit and that the
// renderer cannot split (WebGL2 without vertex offsets): a frame past 65,536
// vertices in one list would fail, so large drawings skip detail instead.
std::size_t vertexRoom(const ImDrawList* dl) {
    if (sizeof(ImDrawIdx) > 2 || (ImGui::GetIO().BackendFlags & ImGuiBackendFlags_RendererHasVtxOffset))
        return static_cast<std::size_t>(-1);
    const std::size_t used = dl->_VtxCurrentIdx;
    constexpr std::size_t kLimit = 62000;
    return used >= kLimit ? 0 : kLimit - used;
}

ImU32 withAlpha(ImU32 c, unsigned alpha) { return (c & 0x00FFFFFFu) | (alpha << 24); }

ImU32 tierColor(const Palette& pal, int tier) {
    if (tier == 1) return pal.error;
    if (tier == 2) return pal.warn;
    return pal.textDim;
}

const char* directionText(std::uint8_t roles) {
    using C = GraphLayoutCache;
    if (roles & C::kRoleAffected) return "affected (changed)";
    if ((roles & C::kRoleDown) && (roles & C::kRoleUp)) return "downstream and upstream";
    if (roles & C::kRoleDown) return "downstream (depends on the change)";
    if (roles & C::kRoleUp) return "upstream (the change depends on it)";
    if (roles & C::kRoleIncluded) return "included by hand";
    return "";
}

std::string personName(const UiContext& ctx, const std::string& id) {
    for (const auto& p : ctx.session->data().people)
        if (p.id == id) return p.name;
    return id;
}

std::optional<core::ImpactFlag> flagOf(const core::ChangeRequest& change, const std::string& ciId) {
    auto it = change.impactFlags.find(ciId);
    if (it == change.impactFlags.end()) return std::nullopt;
    return it->second;
}

bool isAffected(const core::ChangeRequest& change, const std::string& ciId) {
    return std::find(change.affectedCis.begin(), change.affectedCis.end(), ciId) != change.affectedCis.end();
}

void emitAddAffected(const UiContext& ctx, const core::ChangeRequest& change, const std::string& ciId) {
    if (!ctx.emit || isAffected(change, ciId)) return;
    core::command::SetAffectedCis cmd{change.id, change.affectedCis, change.affectedCis};
    cmd.after.push_back(ciId);
    ctx.emit(std::move(cmd));
}

void emitRemoveAffected(const UiContext& ctx, const core::ChangeRequest& change, const std::string& ciId) {
    if (!ctx.emit || !isAffected(change, ciId)) return;
    core::command::SetAffectedCis cmd{change.id, change.affectedCis, {}};
    for (const auto& id : change.affectedCis)
        if (id != ciId) cmd.after.push_back(id);
    ctx.emit(std::move(cmd));
}

void emitFlag(const UiContext& ctx, const core::ChangeRequest& change, const std::string& ciId,
              std::optional<core::ImpactFlag> after) {
    if (!ctx.emit) return;
    const auto before = flagOf(change, ciId);
    if (before == after) return;
    ctx.emit(core::command::SetImpactFlag{change.id, ciId, before, after});
}

void record(const UiContext& ctx, const std::string& label) {
    if (ctx.record) ctx.record(label);
}

// ---- 2. Layout cache ---------------------------------------------------------------

bool cacheMatches(const GraphLayoutCache& c, const core::Session& session, const core::ChangeRequest& change,
                  float fontKey, bool showAll) {
    return c.valid && c.cmdbRevision == session.cmdbRevision() && c.changeId == change.id &&
           c.fontKey == fontKey && c.affected == change.affectedCis && c.flags == change.impactFlags &&
           c.showAll == showAll;
}

void rebuildLayout(const UiContext& ctx, GraphCanvasState& st, const core::ChangeRequest& change,
                   const ImpactResult& r, float fontKey) {
    using C = GraphLayoutCache;
    const auto started = std::chrono::steady_clock::now();
    const core::graph::CmdbGraph& g = ctx.session->cmdbGraph();
    C& c = st.cache;

    // Centres of the previous drawing of this change keep the picture steady across edits.
    core::graph::LayoutOptions options;
    if (c.valid && c.changeId == change.id)
        for (const auto& [id, i] : c.localOf)
            options.previous[id] = core::graph::LayoutPoint{static_cast<std::int32_t>(c.box[i].x + c.box[i].w / 2),
                                                            static_cast<std::int32_t>(c.box[i].y + c.box[i].h / 2)};

    core::graph::ImpactSubgraph sub = core::graph::impactSubgraph(g, r);
    const std::size_t impactNodes = sub.nodes.size();
    const bool showAll = st.showAllFor == change.id;
    if (!showAll) core::graph::limitToNearest(sub, r, GraphCanvasState::kNodeCap);
    const std::size_t n = sub.nodes.size();
    c = C{};
    c.showAll = showAll;
    c.impactNodes = impactNodes;
    c.cmdbRevision = ctx.session->cmdbRevision();
    c.changeId = change.id;
    c.affected = change.affectedCis;
    c.flags = change.impactFlags;
    c.fontKey = fontKey;

    const float scale = ctx.scale > 0 ? ctx.scale : 1.0f;
    auto textW = [&](const char* s) { return ImGui::CalcTextSize(s).x / scale; };
    c.lineH = ImGui::GetTextLineHeight() / scale;
    c.badgeW = textW("T4") + 8;
    static const char* const kIcons[] = {ICON_BRIEFCASE, ICON_CUBE, ICON_SERVER, ICON_DATABASE, ICON_GLOBE,
                                         ICON_RANDOM,    ICON_SHIELD, ICON_HDD, ICON_CIRCLE};
    for (const char* icon : kIcons) c.iconW = std::max(c.iconW, textW(icon));
    std::vector<float> typeW(g.ciTypeNames().size(), -1.0f);

    c.node = sub.nodes;
    c.entry.resize(n);
    c.depth.resize(n);
    c.roles.assign(n, 0);
    c.label.resize(n);
    c.icon.resize(n);
    c.box.resize(n);
    c.pin.resize(n);
    c.localOf.reserve(n);
    std::vector<core::graph::LayoutNode> lnodes(n);
    std::vector<std::int32_t> localIndex(g.nodeCount(), -1);
    for (std::size_t i = 0; i < n; ++i) {
        const NodeIndex v = sub.nodes[i];
        localIndex[v] = static_cast<std::int32_t>(i);
        c.entry[i] = r.firstEntry[v];
        c.depth[i] = r.cis[static_cast<std::size_t>(c.entry[i])].depth;
        c.label[i] = gv::truncateLabel(g.nameOf(v).empty() ? g.idOf(v) : g.nameOf(v), kMaxLabelBytes);
        c.icon[i] = iconFor(g.typeOf(v));
        c.localOf.emplace(g.idOf(v), static_cast<std::uint32_t>(i));
        const std::uint32_t t = g.ciTypeId(v);
        if (t < typeW.size() && typeW[t] < 0) typeW[t] = textW(g.typeOf(v).c_str());
        const float textCol = std::max(textW(c.label[i].c_str()), t < typeW.size() ? typeW[t] : 0.0f);
        lnodes[i].id = g.idOf(v);
        lnodes[i].width = static_cast<std::int32_t>(std::ceil(kPadX + c.iconW + kGap + textCol + kGap + c.badgeW + kPadX));
        lnodes[i].height = static_cast<std::int32_t>(std::ceil(2 * c.lineH + 2 * kPadY));
    }
    for (const auto& e : r.cis) {
        const std::int32_t li = localIndex[e.node];
        if (li < 0) continue;
        std::uint8_t bit = 0;
        switch (e.direction) {
            case ImpactDirection::Affected: bit = C::kRoleAffected; break;
            case ImpactDirection::Downstream: bit = C::kRoleDown; break;
            case ImpactDirection::Upstream: bit = C::kRoleUp; break;
            case ImpactDirection::Included: bit = C::kRoleIncluded; break;
        }
        c.roles[static_cast<std::size_t>(li)] |= bit;
    }

    c.edges = sub.edges;
    c.edgeTypes = sub.edgeTypes;
    std::vector<core::graph::LayoutEdge> ledges(c.edges.size());
    for (std::size_t i = 0; i < c.edges.size(); ++i) ledges[i] = {c.edges[i].first, c.edges[i].second};
    const auto& typeNames = g.relationshipTypes();
    c.typeColor.resize(typeNames.size());
    for (std::size_t t = 0; t < typeNames.size(); ++t) c.typeColor[t] = relationshipColor(typeNames[t], t);
    c.typesPresent = c.edgeTypes;
    std::sort(c.typesPresent.begin(), c.typesPresent.end());
    c.typesPresent.erase(std::unique(c.typesPresent.begin(), c.typesPresent.end()), c.typesPresent.end());

    if (n > 1500) {  // large sets: fewer crossing-minimisation passes keep relayout short
        options.restarts = 1;
        options.maxSweeps = 6;
    } else if (n > 400) {
        options.restarts = 2;
        options.maxSweeps = 12;
    }
    const auto engineStarted = std::chrono::steady_clock::now();
    auto laid = core::graph::layoutLayered(lnodes, ledges, options);
    const double engineMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - engineStarted).count();
    if (!laid.ok()) {
        c.error = laid.error().toString();
        c.node.clear();
        c.edges.clear();
        c.edgeTypes.clear();
        c.localOf.clear();
    } else {
        const core::graph::LayoutResult& L = *laid;
        for (std::size_t i = 0; i < n; ++i) {
            const auto& p = L.nodes[i];
            c.box[i] = gv::Rect{static_cast<float>(p.x), static_cast<float>(p.y), static_cast<float>(p.width),
                                static_cast<float>(p.height)};
        }
        c.routes.resize(c.edges.size());
        c.edgeBox.resize(c.edges.size());
        for (std::size_t i = 0; i < c.edges.size(); ++i) {
            c.routes[i] = L.edges[i].points;
            float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
            for (const auto& p : c.routes[i]) {
                x0 = std::min(x0, static_cast<float>(p.x));
                y0 = std::min(y0, static_cast<float>(p.y));
                x1 = std::max(x1, static_cast<float>(p.x));
                y1 = std::max(y1, static_cast<float>(p.y));
            }
            c.edgeBox[i] = c.routes[i].empty() ? gv::Rect{} : gv::Rect{x0, y0, x1 - x0 + 1, y1 - y0 + 1};
        }
        c.bounds = gv::Rect{static_cast<float>(L.minX), static_cast<float>(L.minY), static_cast<float>(L.width),
                            static_cast<float>(L.height)};
    }
    auto pins = st.pins.find(change.id);
    if (pins != st.pins.end())
        for (const auto& [id, off] : pins->second) {
            auto it = c.localOf.find(id);
            if (it != c.localOf.end()) c.pin[it->second] = gv::Rect{off.first, off.second, 0, 0};
        }
    c.valid = true;
    st.stats.layoutBuilds += 1;
    st.stats.layoutMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    st.stats.layoutEngineMs = engineMs;
}

gv::Rect nodeModelRect(const GraphLayoutCache& c, std::size_t i) {
    gv::Rect r = c.box[i];
    r.x += c.pin[i].x;
    r.y += c.pin[i].y;
    return r;
}

// ---- 3. Adding affected CIs by search ----------------------------------------------

void refreshAddResults(const UiContext& ctx, GraphCanvasState& st) {
    const std::string key = st.addSearch + '\x1f' + std::to_string(ctx.session->cmdbRevision());
    if (key == st.addSearchKey) return;
    st.addSearchKey = key;
    st.addResults.clear();
    if (st.addSearch.empty()) return;
    std::vector<std::string> byRank[3];
    for (const auto& ci : ctx.session->data().cis) {
        int rank = gv::matchRank(ci.name, st.addSearch);
        if (rank < 0 && gv::matchRank(ci.id, st.addSearch) >= 0) rank = 2;
        if (rank < 0 || byRank[rank].size() >= kMaxAddResults) continue;
        byRank[rank].push_back(ci.id);
        if (byRank[0].size() + byRank[1].size() >= kMaxAddResults) break;
    }
    for (auto& bucket : byRank)
        for (auto& id : bucket)
            if (st.addResults.size() < kMaxAddResults) st.addResults.push_back(std::move(id));
}

// Search box and result list; `height` is the list's height in device pixels.
void DrawAddCiPanel(const UiContext& ctx, GraphCanvasState& st, const core::ChangeRequest& change, float width,
                    float height) {
    ImGui::SetNextItemWidth(width);
    InputTextString("##graph.add_ci_search", ICON_SEARCH " Search the CMDB by name", st.addSearch);
    record(ctx, "graph.add_ci_search");
    refreshAddResults(ctx, st);
    const bool readOnly = ctx.session->readOnly();
    if (st.addSearch.empty()) return;
    if (st.addResults.empty()) {
        ImGui::TextDisabled("No CI matches \"%s\".", st.addSearch.c_str());
        return;
    }
    ImGui::BeginChild("##graph.add_ci_results", ImVec2(width, height), true);
    const float addW = ImGui::CalcTextSize(ICON_PLUS " Add").x + ImGui::GetStyle().FramePadding.x * 2;
    // The graph's id index: a linear search of 100,000 CIs per result would cost every frame.
    const core::graph::CmdbGraph& g = ctx.session->cmdbGraph();
    for (const auto& id : st.addResults) {
        const auto v = g.indexOf(id);
        if (!v) continue;
        ImGui::PushID(id.c_str());
        const bool already = isAffected(change, id);
        if (already) {
            ImGui::BeginDisabled();
            ImGui::Button(ICON_CHECK "##added", ImVec2(addW, 0));
            ImGui::EndDisabled();
        } else {
            ImGui::BeginDisabled(readOnly);
            if (ImGui::Button(ICON_PLUS " Add", ImVec2(addW, 0))) emitAddAffected(ctx, change, id);
            ImGui::EndDisabled();
        }
        record(ctx, "graph.add_ci." + id);
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::Selectable((std::string(iconFor(g.typeOf(*v))) + "  " + g.nameOf(*v)).c_str(), false,
                          ImGuiSelectableFlags_AllowItemOverlap);
        if (ImGui::BeginPopupContextItem("##add_menu")) {
            if (ImGui::MenuItem("Add as affected CI", nullptr, false, !already && !readOnly))
                emitAddAffected(ctx, change, id);
            ImGui::EndPopup();
        }
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s  (%s, tier %d)%s", id.c_str(), g.typeOf(*v).c_str(), g.tierOf(*v),
                              already ? "\nalready an affected CI" : "");
        ImGui::PopID();
    }
    ImGui::EndChild();
}

void DrawEmptyState(const UiContext& ctx, GraphCanvasState& st, const core::ChangeRequest& change,
                    const ImpactResult& r) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float width = std::max(std::min(ctx.px(440), avail.x - ctx.px(24)), ctx.px(120));
    const float left = ImGui::GetCursorPosX() + std::max((avail.x - width) * 0.5f, 0.0f);
    ImGui::Dummy(ImVec2(1, std::min(ctx.px(40), avail.y * 0.1f)));
    ImGui::SetCursorPosX(left);
    ImGui::PushTextWrapPos(left + width);
    ImGui::TextUnformatted(change.affectedCis.empty() ? "This change has no affected CIs yet."
                                                      : "None of this change's affected CIs is in the CMDB.");
    ImGui::SetCursorPosX(left);
    ImGui::TextDisabled("Add affected CIs from the inspector or search: right-click a CI to add it.");
    if (!r.unknownIds.empty()) {
        std::string unknown;
        for (const auto& id : r.unknownIds) unknown += (unknown.empty() ? "" : ", ") + id;
        ImGui::SetCursorPosX(left);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ctx.palette.warn), ICON_WARNING " Unknown ids: %s",
                           unknown.c_str());
    }
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(1, ctx.px(6)));
    ImGui::SetCursorPosX(left);
    ImGui::BeginGroup();
    const float listH = std::max(ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing() - ctx.px(12),
                                 ImGui::GetFrameHeight() * 3);
    DrawAddCiPanel(ctx, st, change, width, listH);
    ImGui::EndGroup();
}

// ---- 4. Header strip --------------------------------------------------------------

bool ToolButton(const UiContext& ctx, const char* label, const char* tip, const char* recordAs, bool on = false) {
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    const bool pressed = ImGui::Button(label);
    if (on) ImGui::PopStyleColor();
    record(ctx, recordAs);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
    return pressed;
}

// A piece of the summary line, wrapped onto a new line when it does not fit.
void Chip(const char* text, ImU32 color, bool first) {
    const float w = ImGui::CalcTextSize(text).x;
    if (!first) {
        ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 2);
        if (ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
    }
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(color), "%s", text);
}

void zoomAtCentre(GraphCanvasState& st, float factor) {
    st.view = gv::zoomAt(st.view, st.scale, st.canvasW * 0.5f, st.canvasH * 0.5f, st.view.zoom * factor);
}

void DrawHeader(const UiContext& ctx, GraphCanvasState& st, const core::ChangeRequest& change, const ImpactResult& r) {
    const Palette& pal = ctx.palette;
    const core::graph::CmdbGraph& g = ctx.session->cmdbGraph();
    const bool hasGraph = !st.cache.node.empty();

    // Toolbar
    ImGui::SetNextItemWidth(std::min(ctx.px(190), std::max(ImGui::GetContentRegionAvail().x * 0.35f, ctx.px(80))));
    if (st.focusSearch) {   // Ctrl+F
        ImGui::SetKeyboardFocusHere();
        st.focusSearch = false;
    }
    if (InputTextString("##graph.search", ICON_CROSSHAIRS " Find CI in graph", st.search,
                        ImGuiInputTextFlags_EnterReturnsTrue)) {
        int best = -1, bestRank = 99;
        for (std::size_t i = 0; i < st.cache.node.size() && bestRank > 0; ++i) {
            const int rank = gv::matchRank(g.nameOf(st.cache.node[i]), st.search);
            const int idRank = gv::matchRank(g.idOf(st.cache.node[i]), st.search);
            const int rk = rank < 0 ? (idRank < 0 ? -1 : std::min(idRank, 2)) : rank;
            if (rk >= 0 && rk < bestRank) best = static_cast<int>(i), bestRank = rk;
        }
        st.searchMiss = best < 0 && !st.search.empty();
        if (best >= 0) {
            const std::string& id = g.idOf(st.cache.node[static_cast<std::size_t>(best)]);
            st.pendingFocus = id;
            st.focusCi = id;
            st.focusUntil = ImGui::GetTime() + 2.5;
            if (ctx.selectedCi) *ctx.selectedCi = id;
        }
    }
    record(ctx, "graph.search");
    if (st.searchMiss && ImGui::IsItemHovered()) ImGui::SetTooltip("No CI in this graph matches.");
    ImGui::SameLine();
    ImGui::BeginDisabled(!hasGraph);
    if (ToolButton(ctx, ICON_EXPAND, "Fit the graph to the view (F)", "graph.fit")) st.needsFit = true;
    ImGui::SameLine();
    if (ToolButton(ctx, " + ", "Zoom in (+)", "graph.zoom_in")) zoomAtCentre(st, 1.25f);
    ImGui::SameLine();
    if (ToolButton(ctx, " - ", "Zoom out (-)", "graph.zoom_out")) zoomAtCentre(st, 1 / 1.25f);
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ToolButton(ctx, ICON_INFO, "Show or hide the legend", "graph.legend", st.showLegend))
        st.showLegend = !st.showLegend;
    ImGui::SameLine();
    if (ToolButton(ctx, ICON_MAP_PIN, "Show or hide the minimap", "graph.minimap_toggle", st.showMinimap))
        st.showMinimap = !st.showMinimap;
    ImGui::SameLine();
    if (ToolButton(ctx, ICON_PLUS " CI", "Add an affected CI from the CMDB", "graph.add_ci_open"))
        ImGui::OpenPopup("##graph.add_popup");
    if (ImGui::BeginPopup("##graph.add_popup")) {
        DrawAddCiPanel(ctx, st, change, ctx.px(380), ctx.px(240));
        ImGui::EndPopup();
    }
    if (hasGraph) {
        char zoom[32];
        std::snprintf(zoom, sizeof zoom, "%d%%", static_cast<int>(std::lround(st.view.zoom * 100)));
        const float w = ImGui::CalcTextSize(zoom).x;
        ImGui::SameLine();
        if (ImGui::GetContentRegionAvail().x > w) {
            ImGui::SetCursorPosX(ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x - w);
            ImGui::AlignTextToFramePadding();
            ImGui::TextDisabled("%s", zoom);
        } else {
            ImGui::NewLine();
        }
    }

    // Blast radius summary
    if (r.cis.empty() && r.unknownIds.empty()) return;
    char buf[160];
    std::snprintf(buf, sizeof buf, ICON_BOLT " %zu affected", change.affectedCis.size());
    Chip(buf, pal.error, true);
    std::snprintf(buf, sizeof buf, "%d downstream", r.downstreamCount);
    Chip(buf, pal.text, false);
    std::snprintf(buf, sizeof buf, "%d upstream", r.upstreamCount);
    Chip(buf, pal.text, false);
    if (r.includedCount > 0) {
        std::snprintf(buf, sizeof buf, "%d included", r.includedCount);
        Chip(buf, pal.accent, false);
    }
    int excluded = 0;
    for (const auto& [id, flag] : change.impactFlags) excluded += flag == core::ImpactFlag::Exclude;
    if (excluded > 0) {
        std::snprintf(buf, sizeof buf, "%d excluded", excluded);
        Chip(buf, pal.textDim, false);
        if (ImGui::IsItemClicked()) ImGui::OpenPopup("##graph.excluded");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Click to list excluded CIs and clear their flags");
        if (ImGui::BeginPopup("##graph.excluded")) {
            ImGui::TextDisabled("Excluded from the impact set");
            for (const auto& [id, flag] : change.impactFlags) {
                if (flag != core::ImpactFlag::Exclude) continue;
                ImGui::PushID(id.c_str());
                ImGui::BeginDisabled(ctx.session->readOnly());
                if (ImGui::SmallButton("Clear")) emitFlag(ctx, change, id, std::nullopt);
                ImGui::EndDisabled();
                ImGui::SameLine();
                const core::ConfigItem* ci = ctx.session->findCi(id);
                ImGui::TextUnformatted(ci ? ci->name.c_str() : id.c_str());
                ImGui::PopID();
            }
            ImGui::EndPopup();
        }
    }
    const auto& services = r.summary.businessServices;
    std::snprintf(buf, sizeof buf, ICON_BRIEFCASE " %zu services", services.size());
    Chip(buf, services.empty() ? pal.textDim : pal.warn, false);
    if (!services.empty() && ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::TextDisabled("Business services impacted");
        for (std::size_t i = 0; i < services.size() && i < 20; ++i) {
            const auto v = g.indexOf(services[i]);
            ImGui::TextUnformatted(v ? g.nameOf(*v).c_str() : services[i].c_str());
        }
        if (services.size() > 20) ImGui::TextDisabled("and %zu more", services.size() - 20);
        ImGui::EndTooltip();
    }
    for (int t = 1; t <= 4; ++t) {
        if (r.summary.tierCounts[static_cast<std::size_t>(t)] == 0) continue;
        std::snprintf(buf, sizeof buf, "T%d: %d", t, r.summary.tierCounts[static_cast<std::size_t>(t)]);
        Chip(buf, tierColor(pal, t), false);
    }
    if (!r.cycles.empty()) {
        std::snprintf(buf, sizeof buf, ICON_WARNING " %zu cycle%s", r.cycles.size(), r.cycles.size() == 1 ? "" : "s");
        Chip(buf, pal.warn, false);
        if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
            ImGui::TextUnformatted("Dependency cycles touch the impact set; they are drawn with an upward edge.");
            for (std::size_t i = 0; i < r.cycles.size() && i < 5; ++i) {
                std::string members;
                for (std::size_t k = 0; k < r.cycles[i].size() && k < 8; ++k)
                    members += (k ? ", " : "") + g.nameOf(r.cycles[i][k]);
                if (r.cycles[i].size() > 8) members += ", ...";
                ImGui::BulletText("%s", members.c_str());
            }
            ImGui::PopTextWrapPos();
            ImGui::EndTooltip();
        }
    }
    if (!r.unknownIds.empty()) {
        std::snprintf(buf, sizeof buf, ICON_EXCLAMATION_CIRCLE " %zu unknown", r.unknownIds.size());
        Chip(buf, pal.error, false);
        if (ImGui::IsItemHovered()) {
            std::string ids;
            for (const auto& id : r.unknownIds) ids += id + "\n";
            ImGui::SetTooltip("Not in the CMDB:\n%s", ids.c_str());
        }
    }
    // A large impact set is drawn around the change until the user asks for all.
    const GraphLayoutCache& c = st.cache;
    if (c.valid && c.changeId == change.id && c.impactNodes > GraphCanvasState::kNodeCap) {
        const bool all = st.showAllFor == change.id;
        std::snprintf(buf, sizeof buf, all ? "All %zu CIs drawn" : "Drawing the %zu nearest of %zu CIs",
                      all ? c.impactNodes : c.node.size(), c.impactNodes);
        Chip(buf, pal.accent, false);
        const char* label = all ? "Nearest only" : "Draw all";
        ImGui::SameLine();
        if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2)
            ImGui::NewLine();
        if (ImGui::SmallButton(label)) {
            if (all)
                st.showAllFor.clear();
            else
                st.showAllFor = change.id;
        }
        record(ctx, "graph.show_all");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(all ? "Draw only the CIs nearest to the change again"
                                  : "Lay out every CI of the impact set: this can take seconds for thousands");
    }
}

// ---- 5. Canvas ---------------------------------------------------------------------

void DrawTriangle(ImDrawList* dl, ImVec2 c, float s, bool down, ImU32 col) {
    if (down)
        dl->AddTriangleFilled(ImVec2(c.x - s, c.y - s * 0.6f), ImVec2(c.x + s, c.y - s * 0.6f), ImVec2(c.x, c.y + s * 0.7f), col);
    else
        dl->AddTriangleFilled(ImVec2(c.x - s, c.y + s * 0.6f), ImVec2(c.x + s, c.y + s * 0.6f), ImVec2(c.x, c.y - s * 0.7f), col);
}

void DrawLegend(const UiContext& ctx, const GraphCanvasState& st, ImDrawList* dl, ImVec2 a, ImVec2 sz) {
    const Palette& pal = ctx.palette;
    const core::graph::CmdbGraph& g = ctx.session->cmdbGraph();
    const GraphLayoutCache& c = st.cache;
    const float lh = ImGui::GetTextLineHeight() + ctx.px(3);
    const float pad = ctx.px(8), swatch = ctx.px(22);
    const std::size_t types = std::min<std::size_t>(c.typesPresent.size(), 8);
    const char* const kMarks[] = {"changed (affected)", "downstream: depends on it", "upstream: it depends on",
                                  "T1/T2 critical tier"};
    float w = ImGui::CalcTextSize("Impact depth  0 1 2 3 4 5+").x;
    for (const char* m : kMarks) w = std::max(w, swatch + ctx.px(6) + ImGui::CalcTextSize(m).x);
    for (std::size_t i = 0; i < types; ++i)
        w = std::max(w, swatch + ctx.px(6) + ImGui::CalcTextSize(g.relationshipTypes()[c.typesPresent[i]].c_str()).x);
    w += 2 * pad;
    const float h = 2 * pad + lh * static_cast<float>(types + 2 + 4) + ctx.px(4);
    if (w > sz.x * 0.6f || h > sz.y - ctx.px(16)) return;
    const ImVec2 p0(a.x + ctx.px(8), a.y + sz.y - h - ctx.px(8));
    dl->AddRectFilled(p0, ImVec2(p0.x + w, p0.y + h), withAlpha(pal.canvasBg, 235), ctx.px(6));
    dl->AddRect(p0, ImVec2(p0.x + w, p0.y + h), pal.nodeBorder, ctx.px(6));
    float y = p0.y + pad;
    const float x = p0.x + pad;
    dl->AddText(ImVec2(x, y), pal.textDim, "Relationships");
    y += lh;
    for (std::size_t i = 0; i < types; ++i) {
        const core::graph::TypeId t = c.typesPresent[i];
        const float my = y + lh * 0.45f;
        dl->AddLine(ImVec2(x, my), ImVec2(x + swatch, my), withAlpha(c.typeColor[t], 255), ctx.px(2.5f));
        dl->AddText(ImVec2(x + swatch + ctx.px(6), y), pal.text, g.relationshipTypes()[t].c_str());
        y += lh;
    }
    dl->AddText(ImVec2(x, y), pal.textDim, "Impact depth");
    float dx = x + ImGui::CalcTextSize("Impact depth  ").x;
    const char* const kDepth[] = {"0", "1", "2", "3", "4", "5+"};
    for (int d = 0; d < 6; ++d) {
        const ImVec2 ts = ImGui::CalcTextSize(kDepth[d]);
        dl->AddRectFilled(ImVec2(dx - ctx.px(1), y), ImVec2(dx + ts.x + ctx.px(3), y + ts.y), depthColor(d), ctx.px(2));
        dl->AddText(ImVec2(dx + ctx.px(1), y), IM_COL32(20, 20, 24, 255), kDepth[d]);
        dx += ts.x + ctx.px(6);
    }
    y += lh;
    const float cy = lh * 0.45f;
    dl->AddRect(ImVec2(x, y + ctx.px(2)), ImVec2(x + swatch, y + lh - ctx.px(4)), depthColor(0), ctx.px(3), 0, ctx.px(2));
    dl->AddText(ImVec2(x + swatch + ctx.px(6), y), pal.text, kMarks[0]);
    y += lh;
    DrawTriangle(dl, ImVec2(x + swatch * 0.5f, y + cy), ctx.px(5), true, pal.textDim);
    dl->AddText(ImVec2(x + swatch + ctx.px(6), y), pal.text, kMarks[1]);
    y += lh;
    DrawTriangle(dl, ImVec2(x + swatch * 0.5f, y + cy), ctx.px(5), false, pal.textDim);
    dl->AddText(ImVec2(x + swatch + ctx.px(6), y), pal.text, kMarks[2]);
    y += lh;
    Badge(dl, ImVec2(x - ctx.px(2), y), "T1", pal.error, ctx.scale * 0.5f);
    dl->AddText(ImVec2(x + swatch + ctx.px(6), y), pal.text, kMarks[3]);
}

// Minimap rectangle in the canvas' bottom-right corner; w = 0 when there is no room.
gv::Rect minimapRect(const UiContext& ctx, ImVec2 a, ImVec2 sz) {
    const float w = std::min(ctx.px(180), sz.x * 0.3f), h = std::min(ctx.px(120), sz.y * 0.3f);
    if (w < ctx.px(60) || h < ctx.px(40)) return {};
    return gv::Rect{a.x + sz.x - w - ctx.px(8), a.y + sz.y - h - ctx.px(8), w, h};
}

void DrawMinimap(const UiContext& ctx, const GraphCanvasState& st, ImDrawList* dl, const gv::Rect& mr,
                 const gv::Rect& visible) {
    const Palette& pal = ctx.palette;
    const GraphLayoutCache& c = st.cache;
    const ImVec2 p0(mr.x, mr.y), p1(mr.x + mr.w, mr.y + mr.h);
    dl->AddRectFilled(p0, p1, withAlpha(pal.canvasBg, 235), ctx.px(4));
    dl->AddRect(p0, p1, pal.nodeBorder, ctx.px(4));
    const gv::Rect inner{mr.x + ctx.px(4), mr.y + ctx.px(4), mr.w - ctx.px(8), mr.h - ctx.px(8)};
    const gv::MinimapMap m = gv::minimapMap(c.bounds, inner);
    dl->PushClipRect(p0, p1, true);
    const float minSide = std::max(ctx.px(1), 1.0f);
    const std::size_t room = vertexRoom(dl);
    const std::size_t fit = room == static_cast<std::size_t>(-1) ? c.node.size() : (room > 4000 ? (room - 4000) / 4 : 0);
    if (fit == 0) {
        dl->PopClipRect();
        return;
    }
    const std::size_t stride = std::max<std::size_t>(1, (c.node.size() + fit - 1) / fit);
    for (std::size_t i = 0; i < c.node.size(); i += stride) {
        const gv::Rect r = nodeModelRect(c, i);
        const float x0 = m.ox + r.x * m.s, y0 = m.oy + r.y * m.s;
        dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x0 + std::max(r.w * m.s, minSide), y0 + std::max(r.h * m.s, minSide)),
                          depthColor(c.depth[i]));
    }
    const ImVec2 v0(m.ox + visible.x * m.s, m.oy + visible.y * m.s);
    const ImVec2 v1(v0.x + visible.w * m.s, v0.y + visible.h * m.s);
    dl->AddRectFilled(v0, v1, withAlpha(pal.accent, 40));
    dl->AddRect(v0, v1, pal.accent, 0, 0, ctx.px(1.5f));
    dl->PopClipRect();
}

void DrawHoverCard(const UiContext& ctx, const GraphCanvasState& st, const ImpactResult& r,
                   const core::ChangeRequest& change, std::size_t i) {
    const core::graph::CmdbGraph& g = ctx.session->cmdbGraph();
    const GraphLayoutCache& c = st.cache;
    const NodeIndex v = c.node[i];
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
    if (ctx.fontBold) ImGui::PushFont(ctx.fontBold);
    ImGui::Text("%s %s", c.icon[i], g.nameOf(v).c_str());
    if (ctx.fontBold) ImGui::PopFont();
    ImGui::TextDisabled("%s  ·  %s", g.idOf(v).c_str(), g.typeOf(v).c_str());
    ImGui::Separator();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(tierColor(ctx.palette, g.tierOf(v))), "Tier %d", g.tierOf(v));
    ImGui::Text("Owner: %s", g.ownerOf(v).empty() ? "-" : personName(ctx, g.ownerOf(v)).c_str());
    ImGui::Text("Team: %s", g.teamOf(v).empty() ? "-" : g.teamOf(v).c_str());
    ImGui::Text("Depth %d, %s", c.depth[i], directionText(c.roles[i]));
    if (const auto flag = flagOf(change, g.idOf(v)))
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ctx.palette.accent), "Manual flag: %s", core::toString(*flag));
    if (c.entry[i] >= 0 && c.depth[i] > 0) {
        const std::vector<std::string> path = r.pathTo(g, c.entry[i]);
        std::string text;
        for (std::size_t k = 0; k < path.size(); ++k) {
            const auto n = g.indexOf(path[k]);
            if (k) text += "  " ICON_ARROW_RIGHT "  ";
            text += n ? g.nameOf(*n) : path[k];
        }
        ImGui::Spacing();
        ImGui::TextDisabled("Reached via");
        ImGui::TextWrapped("%s", text.c_str());
    }
    if (c.pin[i].x != 0 || c.pin[i].y != 0) ImGui::TextDisabled(ICON_MAP_PIN " pinned (right-click to unpin)");
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

void DrawNodeMenu(const UiContext& ctx, GraphCanvasState& st, const core::ChangeRequest& change) {
    if (!ImGui::BeginPopup("##graph.node_menu")) return;
    const std::string id = st.menuCi;
    const core::ConfigItem* ci = ctx.session->findCi(id);
    ImGui::TextDisabled("%s", ci ? ci->name.c_str() : id.c_str());
    ImGui::Separator();
    const bool ro = ctx.session->readOnly();
    const auto flag = flagOf(change, id);
    if (ImGui::MenuItem(ICON_CHECK_CIRCLE " Include in impact set", nullptr, flag == core::ImpactFlag::Include,
                        !ro && flag != core::ImpactFlag::Include))
        emitFlag(ctx, change, id, core::ImpactFlag::Include);
    if (ImGui::MenuItem(ICON_BAN " Exclude from impact set", nullptr, flag == core::ImpactFlag::Exclude,
                        !ro && flag != core::ImpactFlag::Exclude))
        emitFlag(ctx, change, id, core::ImpactFlag::Exclude);
    if (ImGui::MenuItem(ICON_TIMES " Clear manual flag", nullptr, false, !ro && flag.has_value()))
        emitFlag(ctx, change, id, std::nullopt);
    ImGui::Separator();
    if (!isAffected(change, id)) {
        if (ImGui::MenuItem(ICON_BOLT " Add as affected CI", nullptr, false, !ro)) emitAddAffected(ctx, change, id);
    } else if (ImGui::MenuItem(ICON_TIMES_CIRCLE " Remove from affected CIs", nullptr, false, !ro)) {
        emitRemoveAffected(ctx, change, id);
    }
    auto pins = st.pins.find(change.id);
    const bool pinned = pins != st.pins.end() && pins->second.count(id);
    if (ImGui::MenuItem(ICON_MAP_PIN " Unpin", nullptr, false, pinned)) {
        pins->second.erase(id);
        auto it = st.cache.localOf.find(id);
        if (it != st.cache.localOf.end()) st.cache.pin[it->second] = gv::Rect{};
    }
    if (ImGui::MenuItem(ICON_INFO " Show in inspector") && ctx.selectedCi) *ctx.selectedCi = id;
    ImGui::EndPopup();
}

void DrawGraph(const UiContext& ctx, GraphCanvasState& st, const core::ChangeRequest& change, const ImpactResult& r) {
    using C = GraphLayoutCache;
    const Palette& pal = ctx.palette;
    ImGuiIO& io = ImGui::GetIO();
    GraphLayoutCache& c = st.cache;
    const ImVec2 a = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 sz(std::max(avail.x, 1.0f), std::max(avail.y, 1.0f));
    const float scale = ctx.scale > 0 ? ctx.scale : 1.0f;
    st.originX = a.x;
    st.originY = a.y;
    st.canvasW = sz.x;
    st.canvasH = sz.y;
    st.scale = scale;
    ImDrawList* dl = ImGui::GetWindowDrawList();

    if (st.needsFit) {
        st.view = gv::fitView(c.bounds, sz.x, sz.y, scale, ctx.px(24), 1.0f);
        st.needsFit = false;
    }
    if (!st.pendingFocus.empty()) {
        auto it = c.localOf.find(st.pendingFocus);
        if (it != c.localOf.end()) {
            const gv::Rect nr = nodeModelRect(c, it->second);
            if (st.view.zoom < 0.6f) st.view.zoom = 0.8f;
            st.view = gv::centreOn(st.view, scale, nr.x + nr.w / 2, nr.y + nr.h / 2, sz.x, sz.y);
        }
        st.pendingFocus.clear();
    }

    // Items: the minimap first so that it takes the mouse over the canvas.
    const gv::Rect mr = st.showMinimap ? minimapRect(ctx, a, sz) : gv::Rect{};
    if (mr.w > 0) {
        ImGui::SetCursorScreenPos(ImVec2(mr.x, mr.y));
        ImGui::InvisibleButton("##graph.minimap", ImVec2(mr.w, mr.h));
        record(ctx, "graph.minimap");
        if (ImGui::IsItemActive() && io.MouseDown[0]) {
            const gv::Rect inner{mr.x + ctx.px(4), mr.y + ctx.px(4), mr.w - ctx.px(8), mr.h - ctx.px(8)};
            float mx = 0, my = 0;
            gv::fromMinimap(gv::minimapMap(c.bounds, inner), io.MousePos.x, io.MousePos.y, mx, my);
            st.view = gv::centreOn(st.view, scale, mx, my, sz.x, sz.y);
        }
        ImGui::SetCursorScreenPos(a);
    }
    ImGui::InvisibleButton("##graph.canvas", sz,
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                               ImGuiButtonFlags_MouseButtonMiddle);
    record(ctx, "graph.canvas");
    const bool hovered = ImGui::IsItemHovered();
    const bool active = ImGui::IsItemActive();
    const bool activated = ImGui::IsItemActivated();
    const bool deactivated = ImGui::IsItemDeactivated();
    const float mouseX = io.MousePos.x - a.x, mouseY = io.MousePos.y - a.y;

    // Zoom and keyboard.
    if (hovered && io.MouseWheel != 0.0f)
        st.view = gv::zoomAt(st.view, scale, mouseX, mouseY, st.view.zoom * std::pow(1.15f, io.MouseWheel));
    if (hovered && io.MouseWheelH != 0.0f) st.view.offsetX += io.MouseWheelH * ctx.px(40);
    if ((hovered || ImGui::IsWindowFocused(ImGuiFocusedFlags_ChildWindows)) && !io.WantTextInput) {
        const float step = ctx.px(40);
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) st.view.offsetX += step;
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) st.view.offsetX -= step;
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow))) st.view.offsetY += step;
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow))) st.view.offsetY -= step;
        for (ImWchar ch : io.InputQueueCharacters) {
            if (ch == '+' || ch == '=') zoomAtCentre(st, 1.25f);
            if (ch == '-' || ch == '_') zoomAtCentre(st, 1 / 1.25f);
            if (ch == 'f' || ch == 'F' || ch == '0') st.view = gv::fitView(c.bounds, sz.x, sz.y, scale, ctx.px(24), 1.0f);
        }
    }

    float k = gv::factor(st.view, scale);
    gv::Rect vis = gv::visibleModel(st.view, scale, sz.x, sz.y);
    const float nodeH = c.box.empty() ? 40.0f : c.box[0].h;
    const int lod = gv::detailLevel(st.view.zoom, nodeH);

    // Visible nodes and the one under the mouse.
    c.visible.clear();
    for (std::uint32_t i = 0; i < c.node.size(); ++i)
        if (gv::intersects(vis, nodeModelRect(c, i))) c.visible.push_back(i);
    int hoverNode = -1;
    if (hovered && !(active && st.dragged)) {
        float mx = 0, my = 0;
        gv::toModel(st.view, scale, mouseX, mouseY, mx, my);
        for (auto it = c.visible.rbegin(); it != c.visible.rend(); ++it)
            if (gv::contains(nodeModelRect(c, *it), mx, my)) {
                hoverNode = static_cast<int>(*it);
                break;
            }
    }
    if (active && st.dragged && st.pressNode >= 0) hoverNode = st.pressNode;

    // Mouse: press, drag (pan or pin), release (select), right-click menu.
    if (activated) {
        st.pressButton = io.MouseClicked[0] ? 0 : io.MouseClicked[2] ? 2 : io.MouseClicked[1] ? 1 : -1;
        st.pressNode = st.pressButton == 0 ? hoverNode : -1;
        st.dragged = false;
    }
    if (hovered && ImGui::IsMouseClicked(1) && hoverNode >= 0) {
        st.menuCi = ctx.session->cmdbGraph().idOf(c.node[static_cast<std::size_t>(hoverNode)]);
        ImGui::OpenPopup("##graph.node_menu");
    }
    if (active) {
        const ImVec2 d = io.MouseDelta;
        if (st.pressButton == 0 && ImGui::IsMouseDragging(0)) {
            st.dragged = true;
            if (st.pressNode >= 0 && st.pressNode < static_cast<int>(c.node.size())) {
                gv::Rect& p = c.pin[static_cast<std::size_t>(st.pressNode)];
                p.x += d.x / k;
                p.y += d.y / k;
                const std::string& id = ctx.session->cmdbGraph().idOf(c.node[static_cast<std::size_t>(st.pressNode)]);
                st.pins[change.id][id] = {p.x, p.y};
            } else {
                st.view.offsetX += d.x;
                st.view.offsetY += d.y;
            }
        } else if (st.pressButton == 2 && io.MouseDown[2]) {
            st.view.offsetX += d.x;
            st.view.offsetY += d.y;
        }
    }
    if (deactivated) {
        if (st.pressButton == 0 && !st.dragged && ctx.selectedCi) {
            *ctx.selectedCi = st.pressNode >= 0
                                  ? ctx.session->cmdbGraph().idOf(c.node[static_cast<std::size_t>(st.pressNode)])
                                  : std::string();
        }
        st.pressNode = -1;
        st.pressButton = -1;
        st.dragged = false;
    }
    if (hovered) {
        if (hoverNode >= 0) ImGui::SetMouseCursor(active && st.dragged ? ImGuiMouseCursor_ResizeAll : ImGuiMouseCursor_Hand);
        else if (active && st.dragged) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeAll);
    }
    // The view may have moved: recompute what is visible.
    k = gv::factor(st.view, scale);
    vis = gv::visibleModel(st.view, scale, sz.x, sz.y);
    c.visible.clear();
    for (std::uint32_t i = 0; i < c.node.size(); ++i)
        if (gv::intersects(vis, nodeModelRect(c, i))) c.visible.push_back(i);

    // Background and grid.
    const ImVec2 b(a.x + sz.x, a.y + sz.y);
    dl->PushClipRect(a, b, true);
    dl->AddRectFilled(a, b, pal.canvasBg, ctx.px(4));
    float gridStep = 50.0f * k;
    while (gridStep > 0 && gridStep < ctx.px(12)) gridStep *= 5;
    if (gridStep > 0) {
        const float ox = a.x + std::fmod(st.view.offsetX, gridStep), oy = a.y + std::fmod(st.view.offsetY, gridStep);
        for (float x = ox < a.x ? ox + gridStep : ox; x < b.x; x += gridStep) dl->AddLine(ImVec2(x, a.y), ImVec2(x, b.y), pal.grid);
        for (float y = oy < a.y ? oy + gridStep : oy; y < b.y; y += gridStep) dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), pal.grid);
    }

    const std::string selectedId = ctx.selectedCi ? *ctx.selectedCi : std::string();
    int selectedNode = -1;
    if (!selectedId.empty()) {
        auto it = c.localOf.find(selectedId);
        if (it != c.localOf.end()) selectedNode = static_cast<int>(it->second);
    }
    const int focusNode = [&] {
        if (st.focusCi.empty() || ImGui::GetTime() > st.focusUntil) return -1;
        auto it = c.localOf.find(st.focusCi);
        return it == c.localOf.end() ? -1 : static_cast<int>(it->second);
    }();
    auto toScreen = [&](float mx, float my) { return ImVec2(a.x + st.view.offsetX + mx * k, a.y + st.view.offsetY + my * k); };

    // Edges.
    const ImDrawListFlags savedFlags = dl->Flags;
    if (lod == 0) dl->Flags &= ~ImDrawListFlags_AntiAliasedLines;
    const float edgeW = lod == 0 ? 1.0f : std::clamp(ctx.px(1.4f) * std::sqrt(st.view.zoom), 1.0f, ctx.px(2.5f));
    const int emphasis = hoverNode >= 0 ? hoverNode : selectedNode;
    int edgesDrawn = 0;
    // Room left for edges once nodes (and the minimap) are provided for.
    const std::size_t perNode = lod == 0 ? 4 : lod == 1 ? 40 : 400;
    const std::size_t reserve = c.visible.size() * perNode + (st.showMinimap ? std::min<std::size_t>(c.node.size(), 3000) * 4 : 0) + 4000;
    const std::size_t room = vertexRoom(dl);
    const std::size_t edgeRoom = room > reserve ? room - reserve : 0;
    const std::size_t edgeStart = dl->_VtxCurrentIdx;
    st.stats.edgesSkipped = 0;
    for (std::size_t e = 0; e < c.edges.size(); ++e) {
        const auto& route = c.routes[e];
        if (route.size() < 2) continue;
        const auto [from, to] = c.edges[e];
        const gv::Rect& pf = c.pin[from];
        const gv::Rect& pt = c.pin[to];
        gv::Rect box = c.edgeBox[e];
        const bool shifted = pf.x != 0 || pf.y != 0 || pt.x != 0 || pt.y != 0;
        if (shifted) {
            const float x0 = std::min({box.x, box.x + pf.x, box.x + pt.x}), y0 = std::min({box.y, box.y + pf.y, box.y + pt.y});
            const float x1 = std::max({box.x + box.w, box.x + box.w + pf.x, box.x + box.w + pt.x});
            const float y1 = std::max({box.y + box.h, box.y + box.h + pf.y, box.y + box.h + pt.y});
            box = gv::Rect{x0, y0, x1 - x0, y1 - y0};
        }
        if (!gv::intersects(vis, box)) continue;
        if (room != static_cast<std::size_t>(-1) && dl->_VtxCurrentIdx - edgeStart + route.size() * 8 + 3 > edgeRoom) {
            ++st.stats.edgesSkipped;
            continue;
        }
        ++edgesDrawn;
        c.points.clear();
        for (const auto& p : route) c.points.push_back(toScreen(static_cast<float>(p.x), static_cast<float>(p.y)));
        if (shifted) {
            c.points.front().x += pf.x * k;
            c.points.front().y += pf.y * k;
            c.points.back().x += pt.x * k;
            c.points.back().y += pt.y * k;
        }
        const bool strong = emphasis >= 0 && (static_cast<int>(from) == emphasis || static_cast<int>(to) == emphasis);
        const ImU32 col = strong ? withAlpha(c.typeColor[c.edgeTypes[e]], 255) : c.typeColor[c.edgeTypes[e]];
        const float w = strong ? edgeW * 2.0f : edgeW;
        dl->AddPolyline(c.points.data(), static_cast<int>(c.points.size()), col, 0, w);
        if (lod >= 1) {
            const ImVec2 p1 = c.points.back(), p0 = c.points[c.points.size() - 2];
            const float dx = p1.x - p0.x, dy = p1.y - p0.y, len = std::sqrt(dx * dx + dy * dy);
            if (len > 0.5f) {
                const float s = std::clamp(ctx.px(7) * st.view.zoom, ctx.px(3), ctx.px(9));
                const float ux = dx / len, uy = dy / len;
                dl->AddTriangleFilled(p1, ImVec2(p1.x - ux * s - uy * s * 0.5f, p1.y - uy * s + ux * s * 0.5f),
                                      ImVec2(p1.x - ux * s + uy * s * 0.5f, p1.y - uy * s - ux * s * 0.5f), col);
            }
        }
    }
    dl->Flags = savedFlags;

    // Nodes.
    ImU32 fillByDepth[6], dimFill = pal.nodeFill;
    for (int d = 0; d < 6; ++d) fillByDepth[d] = mix(pal.nodeFill, depthColor(d), 0.16f);
    ImFont* font = ImGui::GetFont();
    const float fontSize = ImGui::GetFontSize() * st.view.zoom;
    const float rounding = lod == 0 ? 0.0f : std::min(ctx.px(5) * st.view.zoom, ctx.px(6));
    const core::graph::CmdbGraph& g = ctx.session->cmdbGraph();
    int nodesDrawn = 0;
    for (const std::uint32_t i : c.visible) {
        if (vertexRoom(dl) < 6000) break;
        ++nodesDrawn;
        const gv::Rect r = nodeModelRect(c, i);
        const ImVec2 p0 = toScreen(r.x, r.y), p1 = toScreen(r.x + r.w, r.y + r.h);
        const int depth = std::min(c.depth[i], 5);
        const ImU32 dc = depthColor(depth);
        const std::uint8_t roles = c.roles[i];
        const bool isSel = static_cast<int>(i) == selectedNode, isHover = static_cast<int>(i) == hoverNode;
        if (lod == 0) {
            dl->AddRectFilled(p0, p1, dc);
            if (isSel || isHover) dl->AddRect(p0, p1, pal.accent, 0, 0, ctx.px(2));
            continue;
        }
        const bool upOnly = (roles & C::kRoleUp) && !(roles & (C::kRoleDown | C::kRoleAffected));
        dl->AddRectFilled(p0, p1, upOnly ? dimFill : fillByDepth[depth], rounding);
        dl->AddRectFilled(p0, ImVec2(p0.x + std::max(ctx.px(4) * st.view.zoom, 2.0f), p1.y), dc, rounding,
                          ImDrawFlags_RoundCornersLeft);
        ImU32 border = pal.nodeBorder;
        float borderW = ctx.px(1);
        if (roles & C::kRoleAffected) border = dc, borderW = ctx.px(2.2f);
        if (roles & C::kRoleIncluded) border = pal.accent, borderW = ctx.px(1.6f);
        if (isHover) border = pal.accent;
        if (isSel) border = pal.accent, borderW = ctx.px(2.6f);
        dl->AddRect(p0, p1, border, rounding, 0, borderW);
        if (static_cast<int>(i) == focusNode) {
            const float pulse = 0.5f + 0.5f * std::sin(static_cast<float>(ImGui::GetTime()) * 8.0f);
            const float grow = ctx.px(3) + ctx.px(4) * pulse;
            dl->AddRect(ImVec2(p0.x - grow, p0.y - grow), ImVec2(p1.x + grow, p1.y + grow), pal.warn, rounding + grow, 0,
                        ctx.px(2.5f));
        }
        const int tier = g.tierOf(c.node[i]);
        if (lod == 1) {
            if (tier == 1 || tier == 2) {
                const float s = std::max(ctx.px(4) * st.view.zoom * 1.5f, 3.0f);
                dl->AddRectFilled(ImVec2(p1.x - s - 2, p0.y + 2), ImVec2(p1.x - 2, p0.y + s + 2), tierColor(pal, tier));
            }
            continue;
        }
        const float tx = p0.x + kPadX * k, ty = p0.y + kPadY * k;
        dl->AddText(font, fontSize, ImVec2(tx, p0.y + (r.h * k - fontSize) * 0.5f), dc, c.icon[i]);
        const float labelX = tx + (c.iconW + kGap) * k;
        dl->AddText(font, fontSize, ImVec2(labelX, ty), pal.text, c.label[i].c_str());
        dl->AddText(font, fontSize, ImVec2(labelX, ty + c.lineH * k), pal.textDim, g.typeOf(c.node[i]).c_str());
        // tier badge, top right
        char tierText[4] = {'T', static_cast<char>('0' + std::clamp(tier, 0, 9)), 0, 0};
        const ImU32 tc = tierColor(pal, tier);
        const ImVec2 b0(p1.x - (kPadX + c.badgeW) * k + 2 * k, ty), b1(p1.x - kPadX * k + 2 * k, ty + c.lineH * k);
        dl->AddRectFilled(b0, b1, withAlpha(tc, tier <= 2 ? 70u : 40u), 3 * k);
        dl->AddText(font, fontSize, ImVec2(b0.x + 4 * k, ty), tc, tierText);
        // direction marks, bottom right
        const float ms = 4.0f * k;
        const ImVec2 mc(p1.x - (kPadX + c.badgeW * 0.5f) * k + 2 * k, ty + c.lineH * k * 1.5f);
        if (roles & C::kRoleDown) DrawTriangle(dl, ImVec2(mc.x - ((roles & C::kRoleUp) ? ms * 1.3f : 0), mc.y), ms, true, pal.textDim);
        if (roles & C::kRoleUp) DrawTriangle(dl, ImVec2(mc.x + ((roles & C::kRoleDown) ? ms * 1.3f : 0), mc.y), ms, false, pal.textDim);
        if (c.pin[i].x != 0 || c.pin[i].y != 0)
            dl->AddText(font, fontSize * 0.75f, ImVec2(p1.x - 10 * k, p0.y - 5 * k), pal.textDim, ICON_MAP_PIN);
    }

    if (st.showLegend) DrawLegend(ctx, st, dl, a, sz);
    if (mr.w > 0) DrawMinimap(ctx, st, dl, mr, vis);
    if (!c.error.empty()) dl->AddText(ImVec2(a.x + ctx.px(10), a.y + ctx.px(8)), pal.error, c.error.c_str());
    else if (st.stats.edgesSkipped > 0)
        dl->AddText(ImVec2(a.x + ctx.px(10), a.y + ctx.px(8)), pal.textDim, "Zoom in to see every edge");
    dl->PopClipRect();

    st.stats.nodesTotal = static_cast<int>(c.node.size());
    st.stats.nodesVisible = static_cast<int>(c.visible.size());
    st.stats.nodesDrawn = nodesDrawn;
    st.stats.edgesTotal = static_cast<int>(c.edges.size());
    st.stats.edgesDrawn = edgesDrawn;
    st.stats.detailLevel = lod;

    if (hoverNode >= 0 && !(active && st.dragged) && !ImGui::IsPopupOpen("##graph.node_menu"))
        DrawHoverCard(ctx, st, r, change, static_cast<std::size_t>(hoverNode));
    DrawNodeMenu(ctx, st, change);
}

void DrawCentredText(const char* msg, ImU32 color) {
    const ImVec2 a = ImGui::GetCursorScreenPos(), avail = ImGui::GetContentRegionAvail();
    const ImVec2 ts = ImGui::CalcTextSize(msg);
    ImGui::GetWindowDrawList()->AddText(ImVec2(a.x + (avail.x - ts.x) * 0.5f, a.y + (avail.y - ts.y) * 0.5f), color, msg);
    ImGui::Dummy(ImVec2(std::max(avail.x, 1.0f), std::max(avail.y, 1.0f)));
}

}  // namespace

// ---- 6. Entry points -----------------------------------------------------------------

void DrawGraphCanvas(const UiContext& ctx, GraphCanvasState& st) {
    st.stats.nodesVisible = st.stats.nodesDrawn = st.stats.edgesDrawn = 0;
    ImGui::PushID("graph");
    const core::ChangeRequest* change = ctx.change();
    if (!ctx.session || !change) {
        st.cache.visible.clear();
        st.canvasW = st.canvasH = 0;
        DrawCentredText("Select a change in the list.", ctx.palette.textDim);
        ImGui::PopID();
        return;
    }
    if (st.viewChange != change->id) {
        st.viewChange = change->id;
        st.needsFit = true;
        st.focusCi.clear();
        st.search.clear();
        st.searchMiss = false;
    }
    const auto impactStarted = std::chrono::steady_clock::now();
    const ImpactResult& r = ctx.session->impactOf(*change);
    const double impactMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - impactStarted).count();
    const float fontKey = ImGui::GetFontSize() / (ctx.scale > 0 ? ctx.scale : 1.0f);
    if (!cacheMatches(st.cache, *ctx.session, *change, fontKey, st.showAllFor == change->id)) {
        const bool hadNodes = !st.cache.node.empty() && st.cache.changeId == change->id;
        st.stats.impactMs = impactMs;
        rebuildLayout(ctx, st, *change, r, fontKey);
        if (!hadNodes) st.needsFit = true;
    }
    DrawHeader(ctx, st, *change, r);
    if (st.cache.node.empty()) {
        st.canvasW = st.canvasH = 0;
        st.stats.nodesTotal = st.stats.edgesTotal = 0;
        if (!st.cache.error.empty()) {
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ctx.palette.error), "Layout failed: %s",
                               st.cache.error.c_str());
        }
        DrawEmptyState(ctx, st, *change, r);
        ImGui::PopID();
        return;
    }
    DrawGraph(ctx, st, *change, r);
    ImGui::PopID();
}

bool GraphNodeRect(const GraphCanvasState& st, const std::string& ciId, WidgetRect& out) {
    const GraphLayoutCache& c = st.cache;
    if (!c.valid || st.canvasW <= 0) return false;
    auto it = c.localOf.find(ciId);
    if (it == c.localOf.end()) return false;
    const gv::Rect r = nodeModelRect(c, it->second);
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    gv::toScreen(st.view, st.scale, r.x, r.y, x0, y0);
    gv::toScreen(st.view, st.scale, r.x + r.w, r.y + r.h, x1, y1);
    if (!gv::intersects(gv::Rect{0, 0, st.canvasW, st.canvasH}, gv::Rect{x0, y0, x1 - x0, y1 - y0})) return false;
    out = WidgetRect{st.originX + x0, st.originY + y0, x1 - x0, y1 - y0};
    return true;
}

const GraphFrameStats& GraphCanvasFrameStats(const GraphCanvasState& st) { return st.stats; }

}  // namespace planner::ui
