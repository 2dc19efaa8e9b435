// The paint-only-what-changed check of the main loops (app/ui/redraw_check.hpp, ImGui-free).
#include "../../../app/ui/redraw_check.hpp"

#include <gtest/gtest.h>

#include <string>

using planner::ui::RedrawCheck;

namespace {
bool frame(RedrawCheck& check, int width, const std::string& vertices, const std::string& commands) {
    check.begin(&width, sizeof width);
    check.add(vertices.data(), vertices.size());
    check.add(commands.data(), commands.size());
    return check.changed();
}
}  // namespace

TEST(RedrawCheck, PaintsTheFirstFrameThenOnlyFramesThatDiffer) {
    RedrawCheck check;
    EXPECT_TRUE(frame(check, 1280, "abc", "x"));
    EXPECT_FALSE(frame(check, 1280, "abc", "x"));
    EXPECT_FALSE(frame(check, 1280, "abc", "x"));
    EXPECT_TRUE(frame(check, 1280, "abd", "x")) << "one vertex byte changed";
    EXPECT_FALSE(frame(check, 1280, "abd", "x"));
    EXPECT_TRUE(frame(check, 1440, "abd", "x")) << "the window was resized";
    EXPECT_TRUE(frame(check, 1440, "ab", "x")) << "shorter";
    EXPECT_TRUE(frame(check, 1440, "abd", "x")) << "longer again";
}

TEST(RedrawCheck, ForcedFramesArePaintedOnce) {
    RedrawCheck check;
    EXPECT_TRUE(frame(check, 800, "v", "c"));
    check.force();
    EXPECT_TRUE(frame(check, 800, "v", "c"));
    EXPECT_FALSE(frame(check, 800, "v", "c"));
}
