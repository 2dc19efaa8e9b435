#include "ui/widgets.hpp"

#include <algorithm>
#include <cctype>

namespace planner::ui {

namespace {
int resizeCallback(ImGuiInputTextCallbackData* data) {
    if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        auto* str = static_cast<std::string*>(data->UserData);
        str->resize(static_cast<std::size_t>(data->BufTextLen));
        data->Buf = str->data();
    }
    return 0;
}
}  // namespace

bool InputTextString(const char* id, const char* hint, std::string& value, ImGuiInputTextFlags flags) {
    flags |= ImGuiInputTextFlags_CallbackResize;
    return ImGui::InputTextWithHint(id, hint, value.data(), value.capacity() + 1, flags, resizeCallback, &value);
}

bool InputTextMultilineString(const char* id, std::string& value, ImVec2 size) {
    return ImGui::InputTextMultiline(id, value.data(), value.capacity() + 1, size,
                                     ImGuiInputTextFlags_CallbackResize, resizeCallback, &value);
}

bool Splitter(const char* id, bool vertical, float thickness, float length, float* size) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 extent = vertical ? ImVec2(thickness, length) : ImVec2(length, thickness);
    ImGui::InvisibleButton(id, extent);
    const bool active = ImGui::IsItemActive();
    if (ImGui::IsItemHovered() || active)
        ImGui::SetMouseCursor(vertical ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
    if (active) {
        const ImVec2 d = ImGui::GetIO().MouseDelta;
        *size += vertical ? d.x : d.y;
    }
    const ImU32 col = ImGui::GetColorU32(active ? ImGuiCol_SeparatorActive
                                                : (ImGui::IsItemHovered() ? ImGuiCol_SeparatorHovered
                                                                          : ImGuiCol_WindowBg));
    ImGui::GetWindowDrawList()->AddRectFilled(pos, ImVec2(pos.x + extent.x, pos.y + extent.y), col);
    return active;
}

float Badge(ImDrawList* dl, ImVec2 pos, const char* text, ImU32 color, float scale) {
    const ImVec2 ts = ImGui::CalcTextSize(text);
    const float padX = 6 * scale, padY = 1 * scale;
    const ImVec2 p1(pos.x + ts.x + 2 * padX, pos.y + ts.y + 2 * padY);
    const ImU32 fill = (color & 0x00FFFFFF) | (0x40u << 24);
    dl->AddRectFilled(pos, p1, fill, 8 * scale);
    dl->AddText(ImVec2(pos.x + padX, pos.y + padY), color, text);
    return p1.x;
}

ImU32 StateColor(core::ChangeState state) {
    using S = core::ChangeState;
    switch (state) {
        case S::Draft: return IM_COL32(150, 156, 168, 255);
        case S::Submitted:
        case S::Assessed: return IM_COL32(90, 150, 240, 255);
        case S::Authorized:
        case S::Scheduled: return IM_COL32(60, 180, 170, 255);
        case S::Implementing: return IM_COL32(242, 153, 0, 255);
        case S::Completed:
        case S::Reviewed:
        case S::Closed: return IM_COL32(70, 180, 90, 255);
        case S::Failed:
        case S::RolledBack:
        case S::Rejected: return IM_COL32(226, 68, 56, 255);
        case S::Cancelled: return IM_COL32(130, 130, 140, 255);
    }
    return IM_COL32(150, 150, 150, 255);
}

ImU32 RiskColor(core::RiskLevel level) {
    using R = core::RiskLevel;
    switch (level) {
        case R::Low: return IM_COL32(70, 180, 90, 255);
        case R::Moderate: return IM_COL32(214, 180, 40, 255);
        case R::High: return IM_COL32(240, 118, 48, 255);
        case R::VeryHigh: return IM_COL32(226, 68, 56, 255);
    }
    return IM_COL32(150, 150, 150, 255);
}

bool ContainsNoCase(const std::string& haystack, const std::string& needle) {
    if (needle.empty()) return true;
    auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != haystack.end();
}

void FixedWidthModal(float width) {
    const float maxHeight = ImGui::GetMainViewport()->WorkSize.y * 0.9f;
    ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0), ImVec2(width, maxHeight));
}

}  // namespace planner::ui
