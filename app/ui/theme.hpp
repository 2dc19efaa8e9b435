// Dark and light themes, and the colours canvases draw with.
#pragma once

#include "ui/app.hpp"

namespace planner::ui {

// Replaces ImGui's style with the theme, sizes scaled by `scale` (device pixels per logical pixel).
void applyTheme(Theme theme, float scale);

// Colours (ImU32, ABGR) used by the canvases for a theme.
struct Palette {
    unsigned int canvasBg, grid, text, textDim, nodeFill, nodeBorder, edge;
    unsigned int accent, ok, warn, error, freeze;
};
Palette palette(Theme theme);

// Colour of a CI by its impact depth: 0 (changed) is red, deeper fades to blue.
unsigned int depthColor(int depth);

}  // namespace planner::ui
