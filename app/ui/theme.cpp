#include "ui/theme.hpp"

#include <imgui.h>

namespace planner::ui {

namespace {

ImVec4 rgb(int r, int g, int b, float a = 1.0f) { return ImVec4(r / 255.0f, g / 255.0f, b / 255.0f, a); }

void commonStyle(ImGuiStyle& s) {
    s.WindowRounding = 4.0f;
    s.ChildRounding = 4.0f;
    s.FrameRounding = 4.0f;
    s.PopupRounding = 4.0f;
    s.GrabRounding = 4.0f;
    s.TabRounding = 4.0f;
    s.ScrollbarRounding = 6.0f;
    s.WindowPadding = ImVec2(10, 10);
    s.FramePadding = ImVec2(8, 5);
    s.ItemSpacing = ImVec2(8, 6);
    s.ItemInnerSpacing = ImVec2(6, 4);
    s.CellPadding = ImVec2(6, 4);
    s.ScrollbarSize = 13.0f;
    s.WindowBorderSize = 1.0f;
    s.ChildBorderSize = 1.0f;
    s.FrameBorderSize = 0.0f;
}

}  // namespace

void applyTheme(Theme theme, float scale) {
    ImGuiStyle style;
    commonStyle(style);
    ImVec4* c = style.Colors;
    if (theme == Theme::Dark) {
        ImGui::StyleColorsDark(&style);
        c[ImGuiCol_WindowBg] = rgb(24, 26, 31);
        c[ImGuiCol_ChildBg] = rgb(29, 32, 38);
        c[ImGuiCol_PopupBg] = rgb(34, 37, 44, 0.98f);
        c[ImGuiCol_Border] = rgb(52, 56, 66);
        c[ImGuiCol_FrameBg] = rgb(40, 44, 52);
        c[ImGuiCol_FrameBgHovered] = rgb(50, 55, 66);
        c[ImGuiCol_FrameBgActive] = rgb(58, 64, 77);
        c[ImGuiCol_TitleBg] = rgb(24, 26, 31);
        c[ImGuiCol_TitleBgActive] = rgb(30, 33, 40);
        c[ImGuiCol_MenuBarBg] = rgb(30, 33, 40);
        c[ImGuiCol_Header] = rgb(45, 74, 122);
        c[ImGuiCol_HeaderHovered] = rgb(54, 88, 145);
        c[ImGuiCol_HeaderActive] = rgb(62, 102, 168);
        c[ImGuiCol_Button] = rgb(47, 52, 62);
        c[ImGuiCol_ButtonHovered] = rgb(60, 94, 150);
        c[ImGuiCol_ButtonActive] = rgb(70, 110, 175);
        c[ImGuiCol_Tab] = rgb(36, 40, 48);
        c[ImGuiCol_TabHovered] = rgb(60, 94, 150);
        c[ImGuiCol_TabActive] = rgb(50, 80, 130);
        c[ImGuiCol_TableHeaderBg] = rgb(36, 40, 48);
        c[ImGuiCol_TableRowBgAlt] = rgb(255, 255, 255, 0.025f);
        c[ImGuiCol_Text] = rgb(222, 226, 233);
        c[ImGuiCol_TextDisabled] = rgb(134, 140, 152);
        c[ImGuiCol_CheckMark] = rgb(110, 170, 255);
        c[ImGuiCol_SliderGrab] = rgb(90, 140, 220);
        c[ImGuiCol_Separator] = rgb(52, 56, 66);
    } else {
        ImGui::StyleColorsLight(&style);
        c[ImGuiCol_WindowBg] = rgb(244, 245, 247);
        c[ImGuiCol_ChildBg] = rgb(255, 255, 255);
        c[ImGuiCol_PopupBg] = rgb(255, 255, 255, 0.98f);
        c[ImGuiCol_Border] = rgb(210, 214, 222);
        c[ImGuiCol_FrameBg] = rgb(236, 238, 242);
        c[ImGuiCol_FrameBgHovered] = rgb(226, 231, 240);
        c[ImGuiCol_FrameBgActive] = rgb(214, 222, 236);
        c[ImGuiCol_MenuBarBg] = rgb(234, 236, 240);
        c[ImGuiCol_Header] = rgb(200, 219, 250);
        c[ImGuiCol_HeaderHovered] = rgb(182, 206, 248);
        c[ImGuiCol_HeaderActive] = rgb(160, 192, 245);
        c[ImGuiCol_Button] = rgb(226, 230, 237);
        c[ImGuiCol_ButtonHovered] = rgb(190, 210, 245);
        c[ImGuiCol_ButtonActive] = rgb(165, 195, 242);
        c[ImGuiCol_Tab] = rgb(226, 230, 237);
        c[ImGuiCol_TabHovered] = rgb(190, 210, 245);
        c[ImGuiCol_TabActive] = rgb(255, 255, 255);
        c[ImGuiCol_TableHeaderBg] = rgb(234, 236, 240);
        c[ImGuiCol_TableRowBgAlt] = rgb(0, 0, 0, 0.025f);
        c[ImGuiCol_Text] = rgb(30, 34, 42);
        c[ImGuiCol_TextDisabled] = rgb(120, 126, 138);
        c[ImGuiCol_Separator] = rgb(210, 214, 222);
    }
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

Palette palette(Theme theme) {
    Palette p;
    if (theme == Theme::Dark) {
        p.canvasBg = IM_COL32(21, 23, 28, 255);
        p.grid = IM_COL32(255, 255, 255, 14);
        p.text = IM_COL32(222, 226, 233, 255);
        p.textDim = IM_COL32(140, 146, 158, 255);
        p.nodeFill = IM_COL32(44, 49, 59, 255);
        p.nodeBorder = IM_COL32(92, 100, 116, 255);
        p.edge = IM_COL32(140, 150, 170, 150);
    } else {
        p.canvasBg = IM_COL32(250, 251, 252, 255);
        p.grid = IM_COL32(0, 0, 0, 14);
        p.text = IM_COL32(30, 34, 42, 255);
        p.textDim = IM_COL32(110, 116, 128, 255);
        p.nodeFill = IM_COL32(255, 255, 255, 255);
        p.nodeBorder = IM_COL32(160, 168, 182, 255);
        p.edge = IM_COL32(90, 100, 120, 150);
    }
    p.accent = IM_COL32(66, 133, 244, 255);
    p.ok = IM_COL32(52, 168, 83, 255);
    p.warn = IM_COL32(242, 153, 0, 255);
    p.error = IM_COL32(226, 68, 56, 255);
    p.freeze = IM_COL32(96, 170, 230, 255);
    return p;
}

unsigned int depthColor(int depth) {
    static const unsigned int kRamp[] = {
        IM_COL32(226, 68, 56, 255),  IM_COL32(240, 118, 48, 255), IM_COL32(242, 166, 40, 255),
        IM_COL32(214, 196, 60, 255), IM_COL32(140, 186, 90, 255), IM_COL32(96, 160, 200, 255)};
    if (depth < 0) depth = 0;
    if (depth > 5) depth = 5;
    return kRamp[depth];
}

}  // namespace planner::ui
