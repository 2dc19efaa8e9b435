// View arithmetic of the graph canvas (app/ui/graph_view_math.hpp, ImGui-free).
#include <gtest/gtest.h>

#include "../../../app/ui/graph_view_math.hpp"

namespace gv = planner::ui::graphview;

TEST(GraphViewMath, ScreenAndModelRoundTrip) {
    const gv::View v{30.0f, -12.0f, 1.5f};
    float sx = 0, sy = 0, mx = 0, my = 0;
    gv::toScreen(v, 2.0f, 100.0f, 40.0f, sx, sy);
    EXPECT_FLOAT_EQ(sx, 30.0f + 100.0f * 3.0f);
    EXPECT_FLOAT_EQ(sy, -12.0f + 40.0f * 3.0f);
    gv::toModel(v, 2.0f, sx, sy, mx, my);
    EXPECT_NEAR(mx, 100.0f, 1e-4);
    EXPECT_NEAR(my, 40.0f, 1e-4);
}

TEST(GraphViewMath, ZoomKeepsThePointUnderTheCursor) {
    const gv::View v{10.0f, 20.0f, 1.0f};
    float before[2], after[2];
    gv::toModel(v, 1.25f, 300.0f, 200.0f, before[0], before[1]);
    const gv::View z = gv::zoomAt(v, 1.25f, 300.0f, 200.0f, 2.0f);
    EXPECT_FLOAT_EQ(z.zoom, 2.0f);
    gv::toModel(z, 1.25f, 300.0f, 200.0f, after[0], after[1]);
    EXPECT_NEAR(before[0], after[0], 1e-3);
    EXPECT_NEAR(before[1], after[1], 1e-3);
}

TEST(GraphViewMath, ZoomIsClamped) {
    const gv::View v{};
    EXPECT_FLOAT_EQ(gv::zoomAt(v, 1.0f, 0, 0, 100.0f).zoom, gv::kMaxZoom);
    EXPECT_FLOAT_EQ(gv::zoomAt(v, 1.0f, 0, 0, 0.0f).zoom, gv::kMinZoom);
}

TEST(GraphViewMath, FitShowsTheWholeBoxCentred) {
    const gv::Rect box{-100.0f, 50.0f, 2000.0f, 500.0f};
    const float w = 800.0f, h = 600.0f, margin = 20.0f, scale = 2.0f;
    const gv::View v = gv::fitView(box, w, h, scale, margin);
    float x0, y0, x1, y1;
    gv::toScreen(v, scale, box.x, box.y, x0, y0);
    gv::toScreen(v, scale, box.x + box.w, box.y + box.h, x1, y1);
    EXPECT_GE(x0, margin - 0.01f);
    EXPECT_LE(x1, w - margin + 0.01f);
    EXPECT_GE(y0, -0.01f);
    EXPECT_LE(y1, h + 0.01f);
    EXPECT_NEAR((x0 + x1) / 2, w / 2, 0.01f);
    EXPECT_NEAR((y0 + y1) / 2, h / 2, 0.01f);
}

TEST(GraphViewMath, FitNeverZoomsPastTheLimit) {
    const gv::View v = gv::fitView(gv::Rect{0, 0, 10, 10}, 1000.0f, 1000.0f, 1.0f, 0.0f, 1.0f);
    EXPECT_FLOAT_EQ(v.zoom, 1.0f);
}

TEST(GraphViewMath, CentreOnPutsThePointMidCanvas) {
    const gv::View v = gv::centreOn(gv::View{0, 0, 0.5f}, 2.0f, 400.0f, 300.0f, 640.0f, 480.0f);
    float sx, sy;
    gv::toScreen(v, 2.0f, 400.0f, 300.0f, sx, sy);
    EXPECT_FLOAT_EQ(sx, 320.0f);
    EXPECT_FLOAT_EQ(sy, 240.0f);
}

TEST(GraphViewMath, VisibleRectAndCulling) {
    const gv::View v{-200.0f, -100.0f, 1.0f};
    const gv::Rect vis = gv::visibleModel(v, 1.0f, 400.0f, 300.0f);
    EXPECT_FLOAT_EQ(vis.x, 200.0f);
    EXPECT_FLOAT_EQ(vis.y, 100.0f);
    EXPECT_FLOAT_EQ(vis.w, 400.0f);
    EXPECT_FLOAT_EQ(vis.h, 300.0f);
    EXPECT_TRUE(gv::intersects(vis, gv::Rect{590, 390, 20, 20}));
    EXPECT_FALSE(gv::intersects(vis, gv::Rect{600, 100, 20, 20}));
    EXPECT_FALSE(gv::intersects(vis, gv::Rect{100, 100, 100, 20}));
    EXPECT_TRUE(gv::contains(vis, 200.0f, 100.0f));
    EXPECT_FALSE(gv::contains(vis, 600.0f, 100.0f));
}

TEST(GraphViewMath, MinimapMapsTheBoxInsideAndBack) {
    const gv::Rect box{-50, 0, 1000, 250};
    const gv::Rect map{700, 500, 180, 120};
    const gv::MinimapMap m = gv::minimapMap(box, map);
    const float x0 = m.ox + box.x * m.s, x1 = m.ox + (box.x + box.w) * m.s;
    const float y0 = m.oy + box.y * m.s, y1 = m.oy + (box.y + box.h) * m.s;
    EXPECT_NEAR(x0, map.x, 1e-3);
    EXPECT_NEAR(x1, map.x + map.w, 1e-3);
    EXPECT_GE(y0, map.y);
    EXPECT_LE(y1, map.y + map.h);
    float mx, my;
    gv::fromMinimap(m, (x0 + x1) / 2, (y0 + y1) / 2, mx, my);
    EXPECT_NEAR(mx, 450.0f, 1e-2);
    EXPECT_NEAR(my, 125.0f, 1e-2);
}

TEST(GraphViewMath, DetailLevelFollowsOnScreenHeight) {
    EXPECT_EQ(gv::detailLevel(0.1f, 40.0f), 0);
    EXPECT_EQ(gv::detailLevel(0.5f, 40.0f), 1);
    EXPECT_EQ(gv::detailLevel(1.0f, 40.0f), 2);
}

TEST(GraphViewMath, MatchRankIsCaseInsensitive) {
    EXPECT_EQ(gv::matchRank("Payments DB", "payments db"), 0);
    EXPECT_EQ(gv::matchRank("Payments DB", "PAY"), 1);
    EXPECT_EQ(gv::matchRank("Payments DB", "db"), 2);
    EXPECT_EQ(gv::matchRank("Payments DB", "web"), -1);
    EXPECT_EQ(gv::matchRank("Payments DB", ""), -1);
    EXPECT_EQ(gv::matchRank("db", "db-long"), -1);
}

TEST(GraphViewMath, TruncateLabelCutsAtCharacterBoundary) {
    EXPECT_EQ(gv::truncateLabel("short", 10), "short");
    EXPECT_EQ(gv::truncateLabel("abcdefghij", 4), "abcd...");
    const std::string text = "ab\xc3\xa9" "cd";  // 'é' spans bytes 2..3
    EXPECT_EQ(gv::truncateLabel(text, 3), "ab...");
}
