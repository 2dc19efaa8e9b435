// Small reusable widgets shaped like ImGui's own: they read data the caller
// owns and report edits through their return value.
#pragma once

#include <imgui.h>

#include <string>

#include "model/model.hpp"

namespace planner::ui {

// Text field bound to a std::string; returns true when the text changed.
bool InputTextString(const char* id, const char* hint, std::string& value, ImGuiInputTextFlags flags = 0);
bool InputTextMultilineString(const char* id, std::string& value, ImVec2 size);

// A draggable bar between two panes. `size` is the pane extent it adjusts
// (negative for panes measured from the far side). Returns true while dragged.
bool Splitter(const char* id, bool vertical, float thickness, float length, float* size);

// Draws a rounded label at `pos`; returns the x where the badge ends.
float Badge(ImDrawList* dl, ImVec2 pos, const char* text, ImU32 color, float scale);

ImU32 StateColor(core::ChangeState state);
ImU32 RiskColor(core::RiskLevel level);

// Next window (a modal with ImGuiWindowFlags_AlwaysAutoResize) gets this width
// and grows in height with its content, up to 90% of the screen.
void FixedWidthModal(float width);

// Case-insensitive ASCII substring test.
bool ContainsNoCase(const std::string& haystack, const std::string& needle);

}  // namespace planner::ui
