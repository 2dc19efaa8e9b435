// What every panel receives: the session to read (const), the look (theme,
// palette, scale, fonts), and two outlets: commands for edits, and recorded
// widget rectangles for the test surface. Panels keep their own view state.
#pragma once

#include <imgui.h>

#include <functional>
#include <string>

#include "command/command.hpp"
#include "session/session.hpp"
#include "ui/app.hpp"
#include "ui/theme.hpp"

namespace planner::ui {

struct UiContext {
    const core::Session* session = nullptr;    // never null while panels draw
    Theme theme = Theme::Dark;
    Palette palette{};
    float scale = 1.0f;                        // device pixels per logical pixel
    ImFont* fontUi = nullptr;
    ImFont* fontBold = nullptr;
    ImFont* fontMono = nullptr;
    std::string* selectedChange = nullptr;     // id of the change being planned
    std::string* selectedCi = nullptr;         // id of the CI in the inspector ("" = none)
    std::function<void(core::command::Command)> emit;   // applies an undoable edit
    std::function<void(const std::string&)> record;     // records ImGui's last item under a label
    std::function<void(const std::string&)> recordWindow;  // records the current window (a dialog)

    float px(float logical) const { return logical * scale; }
    const core::ChangeRequest* change() const {
        return session && selectedChange ? session->findChange(*selectedChange) : nullptr;
    }
};

}  // namespace planner::ui
