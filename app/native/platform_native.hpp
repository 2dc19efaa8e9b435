// What the native window's frame loop (main_glfw.cpp) tells the native
// platform: the monitor's content scale, dropped paths, and a per-frame pump
// that delivers a file picked in the desktop's chooser.
#pragma once

#include <string>
#include <vector>

namespace planner::platform::native {

void setContentScale(float scale);
void deliverDrop(const std::vector<std::string>& paths);
void pumpEvents();

}  // namespace planner::platform::native
