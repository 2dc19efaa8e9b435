// The application: owns the open workspace and all view state, and builds one
// Dear ImGui frame per call to Frame(). Platform code (browser or native
// window) creates the ImGui context and renderer, then calls, per frame:
//   backend NewFrame -> App::Frame() -> backend render of ImGui::GetDrawData().
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "command/command.hpp"
#include "io/cmdb_export.hpp"
#include "model/model.hpp"
#include "platform/platform.hpp"
#include "ui/preferences.hpp"

namespace planner::ui {

enum class CanvasTab { Graph, Schedule, Runbook, Governance, Dashboard };
enum class SaveState { Saved, Saving, Unsaved, Failed };

// Screen rectangle of a labelled widget in device pixels, recorded each frame
// so that tests can click the real canvas through the real input path.
struct WidgetRect {
    float x = 0, y = 0, w = 0, h = 0;
};

class App {
public:
    // Opens the last (or demo) workspace unless told to wait: the browser
    // draws its first frame first and calls openInitialWorkspace() after it.
    explicit App(bool openWorkspaceNow = true);
    void openInitialWorkspace();
    ~App();

    // Loads fonts for the given device-pixel scale into ImGui's atlas. The
    // caller must (re)create the renderer's font texture afterwards.
    void buildFonts(float dpiScale);
    // True when settings changed the font size or the DPI scale changed.
    bool fontsNeedRebuild(float dpiScale) const;

    // Builds one frame: ImGui::NewFrame() ... ImGui::Render().
    void Frame();

    // JS/test surface: the visible state as JSON, and labelled widget rects.
    std::string stateJson() const;
    bool widgetRect(const std::string& label, WidgetRect& out) const;
    std::vector<std::string> widgetLabels() const;
    std::string integrityCheck();

    const Settings& settings() const { return m_settings; }
    std::uint64_t frameCount() const { return m_frameCount; }

private:
    void drawChangeList();
    void drawCanvasTabs();
    void drawInspector();
    struct UiContext makeContext();
    void drawBottomPanel();
    void drawDialogs();
    void drawNewChangeDialog();
    void drawDeleteDialog();
    void deleteSelection();
    void savePreferencesIfChanged();
    void markUnsaved();
    void findShortcut();
    void exportCmdb(core::io::CmdbExportFormat format);
    bool canEdit() const;
    std::string switchWorkspace(const std::string& name, bool createDemo);
    std::string renameWorkspace(const std::string& from, const std::string& to);
    std::string backupWorkspace();
    void importCalendar(const platform::OpenedFile& file);
    std::string actingPerson() const;
    void drawAuditLog();
    void applyEdit(core::command::Command command);
    void afterEdit(const std::string& error, bool dirty);
    void undo();
    void redo();
    void persistIfDue();

    struct Impl;
    std::unique_ptr<Impl> m_impl;
    Settings m_settings;
    std::uint64_t m_frameCount = 0;
};

}  // namespace planner::ui
