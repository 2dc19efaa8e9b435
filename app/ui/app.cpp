// The application shell.
// Sections:
//   1. Impl: workspace, selection and view state
//   2. Fonts and theme
//   3. Frame: menu bar, three-column layout with splitters, status bar
//   4. Change list
//   5. Canvas tabs (graph, schedule, runbook)
//   6. Inspector
//   7. Bottom panel (validation, audit log)
//   8. Dialogs (about, settings)
//   9. JS/test surface (state JSON, widget rectangles)
#include "ui/app.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "embedded_assets.hpp"
#include "command/command.hpp"
#include "session/change_factory.hpp"
#include "bundle/zip.hpp"
#include "io/cmdb_export.hpp"
#include "schedule/ics.hpp"
#include "schedule/time_zone.hpp"
#include "session/workspace_backup.hpp"
#include "session/workspaces.hpp"
#include "session/session.hpp"
#include "platform/platform.hpp"
#include "ui/bundle_dialogs.hpp"
#include "ui/dashboard_panel.hpp"
#include "ui/import_dialog.hpp"
#include "ui/workspace_dialog.hpp"
#include "ui/governance_panel.hpp"
#include "ui/graph_canvas.hpp"
#include "ui/icons.hpp"
#include "ui/runbook_editor.hpp"
#include "ui/schedule_view.hpp"
#include "ui/ui_context.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "util/versions.hpp"

namespace planner::ui {

// ---- 1. Impl ------------------------------------------------------------------

struct App::Impl {
    std::unique_ptr<core::Session> session;
    core::WorkspaceData empty;
    std::string openError;
    bool workspacePending = true;  // until openInitialWorkspace() has run
    std::string notice;            // last refused edit, shown in the status bar
    bool persistInFlight = false;
    bool editedDuringPersist = false;
    double persistDue = 0.0;       // monotonic seconds
    std::string editChange;        // inspector buffers belong to this change
    std::string titleBuffer;
    std::string descriptionBuffer;
    const core::WorkspaceData& data() const { return session ? session->data() : empty; }
    std::string selectedCi;
    GraphCanvasState graphState;
    ScheduleViewState scheduleState;
    RunbookEditorState runbookState;
    GovernancePanelState governanceState;
    DashboardPanelState dashboardState;
    BundleDialogsState bundleState;
    std::vector<core::command::Command> pendingEdits;
    WorkspaceDialogState workspaceState;
    ImportDialogState importState;
    std::shared_ptr<std::optional<platform::OpenedFile>> pendingCalendar;  // .ics picked or dropped
    std::string selectedChange;
    std::string changeSearch;
    int stateFilter = -1;  // -1 = all
    int typeFilter = -1;
    bool showFinished = false;
    CanvasTab tab = CanvasTab::Graph;
    bool tabChangedByCode = false;  // select `tab` in the tab bar on the next frame
    SaveState saveState = SaveState::Saved;
    std::string saveMessage;
    bool showAbout = false;
    bool showNewChange = false;
    bool showDelete = false;
    bool focusChangeSearch = false;
    Settings settingsBefore;       // as the settings dialog opened
    Settings savedSettings;        // as last read from or written to the preferences file
    bool settingsShown = false;    // the Settings dialog was drawn this frame
    std::string timeZoneEdit;      // time zone being typed (applied once known)
    std::string newTitle;
    int newModel = -1;  // -1 = blank
    bool showSettings = false;
    float leftWidth = 330.0f;   // logical pixels
    float rightWidth = 360.0f;
    float bottomHeight = 190.0f;
    float dpi = 1.0f;
    int builtFontSize = 0;
    float builtDpi = 0.0f;
    Theme appliedTheme = Theme::Light;
    float appliedScale = 0.0f;
    ImFont* fontUi = nullptr;
    ImFont* fontBold = nullptr;
    ImFont* fontMono = nullptr;
    std::map<std::string, WidgetRect> rects;
    std::string auditVerdict;
    double lastFrameMs = 0.0;
    // The status bar shows the mean frame time of the last second, refreshed
    // once a second: a number that changed every frame would repaint an idle page.
    double shownFrameMs = 0.0, frameMsSum = 0.0, frameMsSince = 0.0;
    int frameMsCount = 0;

    const core::ChangeRequest* selected() const {
        return session ? session->findChange(selectedChange) : nullptr;
    }
    const core::Person* person(const std::string& id) const {
        for (const auto& p : data().people)
            if (p.id == id) return &p;
        return nullptr;
    }
    std::string personName(const std::string& id) const {
        const core::Person* p = person(id);
        return p ? p->name : id;
    }
    // Records the last item's rectangle under `label` for the test surface;
    // items scrolled out of view are not recorded (they cannot be clicked).
    void record(const std::string& label) {
        if (!ImGui::IsItemVisible()) {
            rects.erase(label);
            return;
        }
        ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        const ImVec2 clipMin = ImGui::GetWindowDrawList()->GetClipRectMin();
        const ImVec2 clipMax = ImGui::GetWindowDrawList()->GetClipRectMax();
        a = ImVec2(std::max(a.x, clipMin.x), std::max(a.y, clipMin.y));
        b = ImVec2(std::min(b.x, clipMax.x), std::min(b.y, clipMax.y));
        rects[label] = WidgetRect{a.x, a.y, b.x - a.x, b.y - a.y};
    }
    float px(float logical) const { return logical * dpi; }
    // Records the current window (a dialog) under `label`.
    void recordWindow(const std::string& label) {
        const ImVec2 a = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
        rects[label] = WidgetRect{a.x, a.y, size.x, size.y};
    }
};

namespace {
// Closed, cancelled and rejected changes are history: hidden from the list unless asked for.
bool isFinished(core::ChangeState st) {
    return st == core::ChangeState::Closed || st == core::ChangeState::Cancelled || st == core::ChangeState::Rejected;
}
}  // namespace

App::App(bool openWorkspaceNow) : m_impl(std::make_unique<Impl>()) {
    Impl& s = *m_impl;
    {
        std::ifstream in(std::filesystem::path(platform::dataDirectory()) / kPreferencesFile, std::ios::binary);
        std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::string problem;
        // Zone data may not be readable yet: the zone is checked again when
        // the workspace opens.
        m_settings = ParsePreferences(json, &problem, LooksLikeTimeZone);
        s.savedSettings = m_settings;
        if (!problem.empty()) s.notice = "Preferences: " + problem + ".";
    }
    if (openWorkspaceNow) openInitialWorkspace();
    // Files dropped onto the page: bundles go to verification, CMDB files to the import.
    Impl* impl = m_impl.get();
    platform::setDropHandler([impl](platform::OpenedFile f) {
        const std::string& n = f.name;
        auto endsWith = [&n](const char* suffix) {
            const std::size_t k = std::strlen(suffix);
            return n.size() > k && n.compare(n.size() - k, k, suffix) == 0;
        };
        if (endsWith(".zip")) {
            OpenBundleForVerification(impl->bundleState, std::move(f));
        } else if (endsWith(".ics")) {
            impl->pendingCalendar = std::make_shared<std::optional<platform::OpenedFile>>(std::move(f));
        } else if (endsWith(".csv") || endsWith(".json") || endsWith(".txt")) {
            AddImportFile(impl->importState, std::move(f));
        } else {
            impl->notice = "Dropped \"" + n + "\": drop a change bundle (.zip), CMDB files (.csv, .json) or a calendar (.ics).";
        }
    });
}

void App::applyEdit(core::command::Command command) {
    Impl& s = *m_impl;
    if (!s.session) return;
    auto r = s.session->execute(std::move(command));
    afterEdit(r.ok() ? std::string() : r.error().toString(), r.ok() && r->any());
}

void App::afterEdit(const std::string& error, bool dirty) {
    m_impl->notice = error;
    if (dirty) markUnsaved();
}

// Something in the data directory changed: flush it soon, coalescing bursts.
void App::markUnsaved() {
    Impl& s = *m_impl;
    s.saveState = SaveState::Unsaved;
    if (s.persistInFlight) s.editedDuringPersist = true;
    s.persistDue = platform::monotonicSeconds() + 0.3;  // coalesce bursts of edits into one flush
}

void App::undo() {
    Impl& s = *m_impl;
    if (!s.session || !s.session->canUndo()) return;
    auto r = s.session->undo();
    afterEdit(r.ok() ? std::string() : r.error().toString(), r.ok());
    s.editChange.clear();
}

void App::redo() {
    Impl& s = *m_impl;
    if (!s.session || !s.session->canRedo()) return;
    auto r = s.session->redo();
    afterEdit(r.ok() ? std::string() : r.error().toString(), r.ok());
    s.editChange.clear();
}

void App::persistIfDue() {
    Impl& s = *m_impl;
    if (s.saveState != SaveState::Unsaved || s.persistInFlight || platform::monotonicSeconds() < s.persistDue) return;
    // An import holds a transaction open across frames: save once it has ended.
    if (s.importState.job) return;
    s.persistInFlight = true;
    s.editedDuringPersist = false;
    s.saveState = SaveState::Saving;
    Impl* impl = m_impl.get();
    platform::requestPersist([impl](bool ok, std::string message) {
        impl->persistInFlight = false;
        if (!ok) {
            impl->saveState = SaveState::Failed;
            impl->saveMessage = message;
        } else if (impl->editedDuringPersist) {
            impl->saveState = SaveState::Unsaved;
        } else {
            impl->saveState = SaveState::Saved;
        }
    });
}

App::~App() = default;

// ---- 2. Fonts and theme ---------------------------------------------------------

bool App::fontsNeedRebuild(float dpiScale) const {
    return m_impl->builtFontSize != m_settings.fontSize || m_impl->builtDpi != dpiScale;
}

namespace {
// ImGui glyph ranges ([first, last] pairs, 0-terminated) of kAllIcons.
std::vector<ImWchar> IconGlyphRanges() {
    std::vector<ImWchar> out;
    for (const char* icon : kAllIcons) {
        const ImWchar cp = IconCodePoint(icon);
        out.push_back(cp);
        out.push_back(cp);
    }
    out.push_back(0);
    return out;
}
}  // namespace

void App::buildFonts(float dpiScale) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    const float size = static_cast<float>(m_settings.fontSize) * dpiScale;
    auto load = [&](const char* path, float px, bool mergeIcons) -> ImFont* {
        const assets::EmbeddedFile* f = assets::findEmbedded(path);
        if (!f) return io.Fonts->AddFontDefault();
        ImFontConfig cfg;
        cfg.FontDataOwnedByAtlas = false;
        cfg.OversampleH = 2;
        cfg.OversampleV = 1;
        // Basic Latin and Latin-1: the embedded fonts hold only these characters
        // (assets/CMakeLists.txt, PLANNER_FONT_UNICODES, must list the same).
        ImFont* font = io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(f->data), static_cast<int>(f->size),
                                                      px, &cfg, io.Fonts->GetGlyphRangesDefault());
        if (mergeIcons) {
            if (const assets::EmbeddedFile* icons = assets::findEmbedded("fonts/icons.ttf")) {
                // Only the icons we use: a quarter of the atlas work of the whole range.
                static const std::vector<ImWchar> kIconRange = IconGlyphRanges();
                ImFontConfig ic;
                ic.FontDataOwnedByAtlas = false;
                ic.MergeMode = true;
                ic.PixelSnapH = true;
                ic.GlyphMinAdvanceX = px;
                io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(icons->data),
                                               static_cast<int>(icons->size), px * 0.9f, &ic, kIconRange.data());
            }
        }
        return font;
    };
    m_impl->fontUi = load("fonts/ui.ttf", size, true);
    m_impl->fontBold = load("fonts/ui-bold.ttf", size * 1.15f, true);
    m_impl->fontMono = load("fonts/mono.ttf", size * 0.95f, false);
    io.Fonts->Build();
    m_impl->builtFontSize = m_settings.fontSize;
    m_impl->builtDpi = dpiScale;
    m_impl->dpi = dpiScale;
}

// ---- 3. Frame -------------------------------------------------------------------

namespace {

const char* saveStateText(SaveState s) {
    switch (s) {
        case SaveState::Saved: return ICON_CHECK " Saved";
        case SaveState::Saving: return ICON_CLOCK " Saving...";
        case SaveState::Unsaved: return ICON_PENCIL " Unsaved changes";
        case SaveState::Failed: return ICON_WARNING " Save failed";
    }
    return "";
}

std::string formatUtc(core::TimeUtc t) {
    if (t == 0) return "not planned";
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}

}  // namespace

void App::Frame() {
    Impl& s = *m_impl;
    ImGuiIO& io = ImGui::GetIO();
    if (s.appliedTheme != m_settings.theme || s.appliedScale != s.dpi) {
        applyTheme(m_settings.theme, s.dpi);
        s.appliedTheme = m_settings.theme;
        s.appliedScale = s.dpi;
    }
    const double t0 = platform::monotonicSeconds();
    if (std::string hostNotice = platform::takeHostNotice(); !hostNotice.empty()) s.notice = std::move(hostNotice);
    ImGui::NewFrame();
    s.rects.clear();

    // Keyboard shortcuts; text fields keep their own undo while they are edited.
    const bool ctrl = io.KeyCtrl || io.KeySuper;
    if (ctrl && !io.WantTextInput) {
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Z), false)) io.KeyShift ? redo() : undo();
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Y), false)) redo();
        if (ImGui::IsKeyPressed('N', false) && canEdit()) s.showNewChange = true;
        if (ImGui::IsKeyPressed('S', false) && s.selected()) s.bundleState.openExport = true;
        if (ImGui::IsKeyPressed('O', false)) s.bundleState.openVerify = true;
        if (ImGui::IsKeyPressed('F', false)) findShortcut();
        // Browser key codes of '=' / '+' and '-' (main row and keypad).
        if ((ImGui::IsKeyPressed(187, false) || ImGui::IsKeyPressed(107, false)) && m_settings.fontSize < kMaxFontSize)
            ++m_settings.fontSize;
        if ((ImGui::IsKeyPressed(189, false) || ImGui::IsKeyPressed(109, false)) && m_settings.fontSize > kMinFontSize)
            --m_settings.fontSize;
    }
    // Delete removes what is selected: a CI from the change on the graph, else
    // the change itself (after its confirmation). Both can be undone.
    if (!ctrl && !io.WantTextInput && !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId) && canEdit() &&
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Delete), false))
        deleteSelection();
    persistIfDue();
    if (s.pendingCalendar && s.pendingCalendar->has_value()) {
        platform::OpenedFile f = std::move(**s.pendingCalendar);
        s.pendingCalendar.reset();
        importCalendar(f);
    }

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(s.px(6), s.px(6)));
    ImGui::Begin("##shell", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_MenuBar | ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImGui::PopStyleVar(3);

    // Menu bar.
    if (ImGui::BeginMenuBar()) {
        if (ImGui::BeginMenu("File")) {
            s.record("menu.file");
            if (ImGui::MenuItem(ICON_PLUS "  New change...", "Ctrl+N", false, canEdit())) s.showNewChange = true;
            if (ImGui::MenuItem(ICON_ARCHIVE "  Export signed bundle...", "Ctrl+S", false, s.selected() != nullptr))
                s.bundleState.openExport = true;
            s.record("menu.file.export");
            if (ImGui::MenuItem(ICON_UPLOAD "  Import CMDB...", nullptr, false, canEdit())) s.importState.open = true;
            s.record("menu.file.import");
            if (ImGui::BeginMenu(ICON_DOWNLOAD "  Export CMDB", s.session != nullptr)) {
                struct Item { core::io::CmdbExportFormat format; const char* label; };
                static const Item kItems[] = {
                    {core::io::CmdbExportFormat::Templates, "CSV templates (cis.csv, relationships.csv; zip)"},
                    {core::io::CmdbExportFormat::Json, "JSON template (cmdb.json)"},
                    {core::io::CmdbExportFormat::ServiceNow, "ServiceNow cmdb_ci and cmdb_rel_ci (CSV; zip)"},
                    {core::io::CmdbExportFormat::EdgeList, "Edge list (edges.csv)"},
                };
                for (const Item& item : kItems) {
                    if (ImGui::MenuItem(item.label)) exportCmdb(item.format);
                    s.record(std::string("menu.file.export_cmdb.") + core::io::cmdbExportFormatName(item.format));
                }
                ImGui::EndMenu();
            } else {
                s.record("menu.file.export_cmdb");
            }
            if (ImGui::MenuItem(ICON_CALENDAR "  Import windows and freezes (.ics)...", nullptr, false, canEdit())) {
                auto slot = std::make_shared<std::optional<platform::OpenedFile>>();
                s.pendingCalendar = slot;
                platform::requestOpenFile(".ics", [slot](platform::OpenedFile f) { *slot = std::move(f); });
            }
            s.record("menu.file.import_ics");
            if (ImGui::MenuItem(ICON_CERTIFICATE "  Verify bundle...", "Ctrl+O")) s.bundleState.openVerify = true;
            s.record("menu.file.verify");
            if (ImGui::MenuItem(ICON_KEY "  Keys and trusted signers...")) s.bundleState.openKeys = true;
            s.record("menu.file.keys");
            ImGui::Separator();
            if (ImGui::MenuItem(ICON_FOLDER_OPEN "  Workspaces, backup and restore...")) s.workspaceState.open = true;
            s.record("menu.file.workspaces");
            ImGui::EndMenu();
        } else {
            s.record("menu.file");
        }
        if (ImGui::BeginMenu("Edit")) {
            const std::string undoText = s.session ? s.session->undoText() : "";
            const std::string redoText = s.session ? s.session->redoText() : "";
            if (ImGui::MenuItem((ICON_UNDO "  " + (undoText.empty() ? std::string("Undo") : undoText)).c_str(),
                                "Ctrl+Z", false, !undoText.empty()))
                undo();
            if (ImGui::MenuItem((ICON_REDO "  " + (redoText.empty() ? std::string("Redo") : redoText)).c_str(),
                                "Ctrl+Shift+Z", false, !redoText.empty()))
                redo();
            ImGui::Separator();
            if (ImGui::MenuItem(ICON_SEARCH "  Find", "Ctrl+F")) findShortcut();
            if (ImGui::MenuItem(ICON_TRASH "  Delete", "Del", false, canEdit() && s.selected())) deleteSelection();
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu("View")) {
            if (ImGui::MenuItem(ICON_MOON "  Dark theme", nullptr, m_settings.theme == Theme::Dark))
                m_settings.theme = Theme::Dark;
            s.record("menu.view.dark");
            if (ImGui::MenuItem(ICON_SUN "  Light theme", nullptr, m_settings.theme == Theme::Light))
                m_settings.theme = Theme::Light;
            s.record("menu.view.light");
            ImGui::Separator();
            if (ImGui::MenuItem("Larger text", "Ctrl++") && m_settings.fontSize < kMaxFontSize) ++m_settings.fontSize;
            if (ImGui::MenuItem("Smaller text", "Ctrl+-") && m_settings.fontSize > kMinFontSize) --m_settings.fontSize;
            ImGui::Separator();
            if (ImGui::MenuItem(ICON_COG "  Settings...")) s.showSettings = true;
            s.record("menu.view.settings");
            ImGui::EndMenu();
        } else {
            s.record("menu.view");
        }
        if (ImGui::BeginMenu("Help")) {
            if (ImGui::MenuItem(ICON_INFO "  About")) s.showAbout = true;
            s.record("menu.help.about");
            ImGui::EndMenu();
        } else {
            s.record("menu.help");
        }
        ImGui::SameLine(ImGui::GetWindowWidth() - ImGui::CalcTextSize(s.data().name.c_str()).x - s.px(60));
        ImGui::TextDisabled(ICON_FOLDER_OPEN " %s", s.data().name.c_str());
        ImGui::EndMenuBar();
    }
    if (s.session && s.session->readOnly()) {
        ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.55f, 0.36f, 0.05f, 1.0f));
        ImGui::BeginChild("##readonly", ImVec2(0, ImGui::GetFrameHeightWithSpacing()), false);
        ImGui::SetCursorPos(ImVec2(s.px(10), s.px(4)));
        ImGui::TextColored(ImVec4(1, 1, 1, 1), ICON_LOCK "  Read-only: this workspace is open in another tab. "
                                                         "Close the other tab and reload to edit here.");
        ImGui::EndChild();
        ImGui::PopStyleColor();
        s.record("banner.readonly");
    }
    if (!s.openError.empty()) {
        ImGui::TextColored(ImVec4(0.95f, 0.35f, 0.3f, 1), ICON_WARNING "  The workspace could not be opened: %s",
                           s.openError.c_str());
    }
    if (s.workspacePending) {
        ImGui::TextDisabled(ICON_CLOCK "  Opening the workspace...");
        s.record("status.opening");
    }

    const float statusH = ImGui::GetFrameHeightWithSpacing() + s.px(6);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float splitter = s.px(6);
    float left = std::clamp(s.px(s.leftWidth), s.px(220), avail.x * 0.4f);
    float right = std::clamp(s.px(s.rightWidth), s.px(240), avail.x * 0.4f);
    float bottom = std::clamp(s.px(s.bottomHeight), s.px(90), avail.y * 0.5f);
    const float upperH = avail.y - statusH - bottom - splitter;
    const float centerW = avail.x - left - right - 2 * splitter;

    // Left: change list.
    ImGui::BeginChild("##changes", ImVec2(left, upperH), true);
    drawChangeList();
    ImGui::EndChild();
    ImGui::SameLine(0, 0);
    if (Splitter("##split-left", true, splitter, upperH, &left)) s.leftWidth = left / s.dpi;
    ImGui::SameLine(0, 0);

    // Center: canvas tabs.
    ImGui::BeginChild("##center", ImVec2(centerW, upperH), true, ImGuiWindowFlags_NoScrollbar);
    drawCanvasTabs();
    ImGui::EndChild();
    ImGui::SameLine(0, 0);
    float rightNeg = -right;
    if (Splitter("##split-right", true, splitter, upperH, &rightNeg)) s.rightWidth = -rightNeg / s.dpi;
    ImGui::SameLine(0, 0);

    // Right: inspector.
    ImGui::BeginChild("##inspector", ImVec2(0, upperH), true);
    drawInspector();
    ImGui::EndChild();

    float bottomNeg = -bottom;
    if (Splitter("##split-bottom", false, splitter, avail.x, &bottomNeg)) s.bottomHeight = -bottomNeg / s.dpi;

    // Bottom: validation and audit.
    ImGui::BeginChild("##bottom", ImVec2(0, bottom), true);
    drawBottomPanel();
    ImGui::EndChild();

    // Status bar.
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("Change Planner %s", core::productVersion());
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    const ImVec4 saveColor = s.saveState == SaveState::Failed    ? ImVec4(0.89f, 0.27f, 0.22f, 1)
                             : s.saveState == SaveState::Saved ? ImVec4(0.30f, 0.70f, 0.40f, 1)
                                                               : ImVec4(0.95f, 0.60f, 0.0f, 1);
    ImGui::TextColored(saveColor, "%s", saveStateText(s.saveState));
    s.record("status.save");
    if (s.saveState == SaveState::Failed && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", s.saveMessage.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("|  %zu CIs  |  %zu relationships  |  %zu changes  |  schema v%d", s.data().cis.size(),
                        s.data().relationships.size(), s.data().changes.size(),
                        s.session ? s.session->workspace().schemaVersion() : 0);
    s.record("status.counts");
    char perf[64];
    std::snprintf(perf, sizeof perf, "%.2f ms/frame", s.shownFrameMs);
    const float perfX = ImGui::GetWindowWidth() - ImGui::CalcTextSize(perf).x - s.px(16);
    if (!s.notice.empty()) {
        // The notice takes the room left before the frame time, cut with "..."
        // (the whole text is its tooltip).
        ImGui::SameLine();
        const float room = perfX - ImGui::GetCursorPosX() - s.px(12);
        const std::string text = ICON_WARNING " " + s.notice;
        std::string shown = text;
        if (ImGui::CalcTextSize(shown.c_str()).x > room) {
            while (!shown.empty() && ImGui::CalcTextSize((shown + "...").c_str()).x > room) {
                shown.pop_back();
                while (!shown.empty() && (static_cast<unsigned char>(shown.back()) & 0xC0) == 0x80) shown.pop_back();
                if (!shown.empty() && (static_cast<unsigned char>(shown.back()) & 0x80)) shown.pop_back();
            }
            shown += "...";
        }
        if (room > s.px(40)) {
            ImGui::TextColored(ImVec4(0.95f, 0.35f, 0.3f, 1), "%s", shown.c_str());
            s.record("status.notice");
            if (shown != text && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", s.notice.c_str());
        }
    }
    ImGui::SameLine(perfX);
    ImGui::TextDisabled("%s", perf);
    s.record("status.perf");

    ImGui::End();

    drawDialogs();
    std::vector<core::command::Command> edits;
    edits.swap(s.pendingEdits);
    for (auto& e : edits) applyEdit(std::move(e));
    savePreferencesIfChanged();
    s.settingsShown = false;

    ImGui::Render();
    const double end = platform::monotonicSeconds();
    s.lastFrameMs = (end - t0) * 1000.0;
    s.frameMsSum += s.lastFrameMs;
    ++s.frameMsCount;
    if (end - s.frameMsSince >= 1.0) {
        s.shownFrameMs = s.frameMsSum / s.frameMsCount;
        s.frameMsSum = 0.0;
        s.frameMsCount = 0;
        s.frameMsSince = end;
    }
    ++m_frameCount;
}

// ---- 4. Change list -------------------------------------------------------------

void App::drawChangeList() {
    Impl& s = *m_impl;
    ImGui::PushFont(s.fontBold);
    ImGui::TextUnformatted(ICON_LIST_OL "  Changes");
    ImGui::PopFont();
    ImGui::SameLine(ImGui::GetContentRegionAvail().x - s.px(70));
    if (!canEdit()) ImGui::BeginDisabled();
    if (ImGui::Button(ICON_PLUS " New")) s.showNewChange = true;
    if (!canEdit()) ImGui::EndDisabled();
    s.record("changes.new");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Create a change request (Ctrl+N)");

    ImGui::SetNextItemWidth(-1);
    if (s.focusChangeSearch) {   // Ctrl+F outside the graph
        ImGui::SetKeyboardFocusHere();
        s.focusChangeSearch = false;
    }
    InputTextString("##search", ICON_SEARCH " Search changes (Ctrl+F)", s.changeSearch);
    s.record("changes.search");

    static const char* kStates[] = {"All states", "draft", "submitted", "assessed", "authorized", "scheduled",
                                    "implementing", "completed", "failed", "rolled_back", "reviewed", "closed",
                                    "cancelled", "rejected"};
    static const char* kTypes[] = {"All types", "standard", "normal", "emergency"};
    const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
    ImGui::SetNextItemWidth(half);
    int stateIndex = s.stateFilter + 1;
    if (ImGui::Combo("##state", &stateIndex, kStates, IM_ARRAYSIZE(kStates))) s.stateFilter = stateIndex - 1;
    ImGui::SameLine();
    ImGui::SetNextItemWidth(half);
    int typeIndex = s.typeFilter + 1;
    if (ImGui::Combo("##type", &typeIndex, kTypes, IM_ARRAYSIZE(kTypes))) s.typeFilter = typeIndex - 1;

    int finished = 0;
    for (const auto& c : s.data().changes) finished += isFinished(c.state) ? 1 : 0;
    char showLabel[64];
    std::snprintf(showLabel, sizeof showLabel, "Show closed, cancelled, rejected (%d)", finished);
    ImGui::Checkbox(showLabel, &s.showFinished);
    s.record("changes.showFinished");

    ImGui::Separator();
    ImGui::BeginChild("##changelist");
    // Newest first, as ticket lists are read.
    for (auto it = s.data().changes.rbegin(); it != s.data().changes.rend(); ++it) {
        const core::ChangeRequest& c = *it;
        if (!s.showFinished && s.stateFilter < 0 && isFinished(c.state) && c.id != s.selectedChange) continue;
        if (s.stateFilter >= 0 && static_cast<int>(c.state) != s.stateFilter) continue;
        if (s.typeFilter >= 0 && static_cast<int>(c.type) != s.typeFilter) continue;
        if (!s.changeSearch.empty() && !ContainsNoCase(c.title, s.changeSearch) &&
            !ContainsNoCase(c.id, s.changeSearch))
            continue;
        ImGui::PushID(c.id.c_str());
        const bool isSelected = c.id == s.selectedChange;
        const float rowH = ImGui::GetTextLineHeightWithSpacing() * 2 + s.px(6);
        if (ImGui::Selectable("##row", isSelected, 0, ImVec2(0, rowH))) s.selectedChange = c.id;
        s.record("changes.row." + c.id);
        const ImVec2 a = ImGui::GetItemRectMin();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const float pad = s.px(6);
        dl->AddText(ImVec2(a.x + pad, a.y + s.px(3)), ImGui::GetColorU32(ImGuiCol_TextDisabled), c.id.c_str());
        const float badgeX = a.x + pad + ImGui::CalcTextSize(c.id.c_str()).x + s.px(8);
        float x = Badge(dl, ImVec2(badgeX, a.y + s.px(3)), core::toString(c.state), StateColor(c.state), s.dpi);
        if (c.type == core::ChangeType::Emergency)
            Badge(dl, ImVec2(x + s.px(4), a.y + s.px(3)), ICON_BOLT " emergency", IM_COL32(226, 68, 56, 255), s.dpi);
        dl->PushClipRect(a, ImVec2(ImGui::GetItemRectMax().x - pad, ImGui::GetItemRectMax().y), true);
        dl->AddText(ImVec2(a.x + pad, a.y + ImGui::GetTextLineHeightWithSpacing() + s.px(4)),
                    ImGui::GetColorU32(ImGuiCol_Text), c.title.c_str());
        dl->PopClipRect();
        ImGui::PopID();
    }
    ImGui::EndChild();
}

// ---- 5. Canvas tabs -----------------------------------------------------------------

void App::drawCanvasTabs() {
    Impl& s = *m_impl;
    // A tab chosen by code (a validation message, the inspector) is selected
    // in the tab bar once; afterwards the tab bar follows the user's clicks.
    const bool forced = s.tabChangedByCode;
    const CanvasTab wanted = s.tab;
    s.tabChangedByCode = false;
    auto tabFlags = [&](CanvasTab t) { return forced && t == wanted ? ImGuiTabItemFlags_SetSelected : 0; };
    if (ImGui::BeginTabBar("##canvas")) {
        if (ImGui::BeginTabItem(ICON_SITEMAP "  Graph", nullptr, tabFlags(CanvasTab::Graph))) {
            s.tab = CanvasTab::Graph;
            ImGui::EndTabItem();
        }
        s.record("tab.graph");
        if (ImGui::BeginTabItem(ICON_CALENDAR "  Schedule", nullptr, tabFlags(CanvasTab::Schedule))) {
            s.tab = CanvasTab::Schedule;
            ImGui::EndTabItem();
        }
        s.record("tab.schedule");
        if (ImGui::BeginTabItem(ICON_LIST_OL "  Runbook", nullptr, tabFlags(CanvasTab::Runbook))) {
            s.tab = CanvasTab::Runbook;
            ImGui::EndTabItem();
        }
        s.record("tab.runbook");
        if (ImGui::BeginTabItem(ICON_BALANCE "  Governance", nullptr, tabFlags(CanvasTab::Governance))) {
            s.tab = CanvasTab::Governance;
            ImGui::EndTabItem();
        }
        s.record("tab.governance");
        if (ImGui::BeginTabItem(ICON_BAR_CHART "  Dashboard", nullptr, tabFlags(CanvasTab::Dashboard))) {
            s.tab = CanvasTab::Dashboard;
            ImGui::EndTabItem();
        }
        s.record("tab.dashboard");
        ImGui::EndTabBar();
    }
    UiContext ctx = makeContext();
    if (!s.session) {
        ImGui::TextDisabled("No workspace is open.");
        return;
    }
    ImGui::BeginChild("##canvas-body", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar);
    switch (s.tab) {
        case CanvasTab::Graph: DrawGraphCanvas(ctx, s.graphState); break;
        case CanvasTab::Schedule: DrawScheduleView(ctx, s.scheduleState); break;
        case CanvasTab::Runbook: DrawRunbookEditor(ctx, s.runbookState); break;
        case CanvasTab::Governance: DrawGovernancePanel(ctx, s.governanceState); break;
        case CanvasTab::Dashboard: DrawDashboardPanel(ctx, s.dashboardState); break;
    }
    ImGui::EndChild();
    s.record("canvas");
}

UiContext App::makeContext() {
    Impl& s = *m_impl;
    UiContext ctx;
    ctx.session = s.session.get();
    ctx.theme = m_settings.theme;
    ctx.palette = palette(m_settings.theme);
    ctx.scale = s.dpi;
    ctx.fontUi = s.fontUi;
    ctx.fontBold = s.fontBold;
    ctx.fontMono = s.fontMono;
    ctx.selectedChange = &s.selectedChange;
    ctx.selectedCi = &s.selectedCi;
    // Panels hold references into the session's data while they draw: their
    // edits are queued and applied once the frame's widgets are built.
    ctx.emit = [&s](core::command::Command c) { s.pendingEdits.push_back(std::move(c)); };
    ctx.record = [&s](const std::string& label) { s.record(label); };
    ctx.recordWindow = [&s](const std::string& label) { s.recordWindow(label); };
    return ctx;
}

// ---- 6. Inspector -----------------------------------------------------------------

void App::drawInspector() {
    Impl& s = *m_impl;
    const core::ChangeRequest* c = s.selected();
    ImGui::PushFont(s.fontBold);
    ImGui::TextUnformatted(ICON_INFO "  Inspector");
    ImGui::PopFont();
    ImGui::Separator();
    if (!c) {
        ImGui::TextDisabled("Nothing selected.");
        return;
    }
    if (s.editChange != c->id || !ImGui::IsAnyItemActive()) {
        s.editChange = c->id;
        s.titleBuffer = c->title;
        s.descriptionBuffer = c->description;
    }
    ImGui::TextDisabled("%s", c->id.c_str());
    ImGui::SameLine(ImGui::GetContentRegionAvail().x - s.px(64));
    if (!canEdit()) ImGui::BeginDisabled();
    if (ImGui::SmallButton(ICON_COPY)) {
        core::ChangeRequest copy = core::duplicateChange(*c, core::nextChangeId(s.data()), platform::nowUtc());
        const std::string id = copy.id;
        applyEdit(core::command::AddChange{std::move(copy)});
        if (s.session->findChange(id)) s.selectedChange = id;
    }
    s.record("inspector.duplicate");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Duplicate as a new draft");
    ImGui::SameLine();
    if (ImGui::SmallButton(ICON_TRASH)) s.showDelete = true;
    s.record("inspector.delete");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Delete this change...");
    if (!canEdit()) ImGui::EndDisabled();
    c = s.selected();  // a duplicate may have been added
    if (!c) return;
    ImGui::SetNextItemWidth(-1);
    if (InputTextString("##title", "Title (short description)", s.titleBuffer) && s.titleBuffer != c->title)
        s.pendingEdits.push_back(core::command::SetChangeField{c->id, "title", c->title, s.titleBuffer,
                                                static_cast<std::int64_t>(platform::monotonicSeconds() * 1000)});
    s.record("inspector.title");
    ImGui::Spacing();
    if (ImGui::BeginTable("##fields", 2, ImGuiTableFlags_SizingStretchProp)) {
        auto field = [&](const char* name, const std::string& value) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", name);
            ImGui::TableNextColumn();
            ImGui::PushTextWrapPos(0);
            ImGui::TextUnformatted(value.c_str());
            ImGui::PopTextWrapPos();
        };
        field("State", core::toString(c->state));
        field("Type", core::toString(c->type));
        field("Category", c->category);
        field("Requester", s.personName(c->requester));
        field("Implementer", s.personName(c->implementer));
        field("Group", c->assignmentGroup);
        field("Start", formatUtc(c->plannedStart));
        field("End", formatUtc(c->plannedEnd));
        field("Steps", std::to_string(c->steps.size()));
        std::string cis;
        for (const auto& id : c->affectedCis) cis += (cis.empty() ? "" : ", ") + id;
        field("Affected CIs", cis.empty() ? "none" : cis);
        ImGui::EndTable();
    }
    // Governance summary; the Governance tab has the details and the actions.
    const UiContext ctx = makeContext();
    if (const core::ChangeAssessment* a = GovernanceAssessment(ctx, s.governanceState)) {
        ImGui::Spacing();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec2 p = ImGui::GetCursorScreenPos();
        char risk[48];
        std::snprintf(risk, sizeof risk, "%s risk", core::toString(a->risk.level));
        float x = Badge(dl, p, risk, RiskColor(a->risk.level), s.dpi);
        int pending = 0, satisfied = 0;
        for (const auto& r : a->approvals) {
            if (r.state == core::policy::RequirementState::Satisfied) ++satisfied;
            else ++pending;
        }
        char approvals[64];
        std::snprintf(approvals, sizeof approvals, "%d/%zu approvals", satisfied, a->approvals.size());
        x = Badge(dl, ImVec2(x + s.px(6), p.y), approvals,
                  pending ? IM_COL32(230, 150, 20, 255) : IM_COL32(46, 160, 90, 255), s.dpi);
        if (!a->schedule.conflicts.empty()) {
            char conflicts[48];
            std::snprintf(conflicts, sizeof conflicts, ICON_WARNING " %zu conflict(s)", a->schedule.conflicts.size());
            Badge(dl, ImVec2(x + s.px(6), p.y), conflicts, IM_COL32(226, 68, 56, 255), s.dpi);
        }
        ImGui::Dummy(ImVec2(ImGui::GetContentRegionAvail().x, ImGui::GetTextLineHeight() + s.px(6)));
        s.record("inspector.governance");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\nOpen the Governance tab for the explanation and actions.",
                                                      a->risk.summary.c_str());
        if (ImGui::IsItemClicked()) {
            s.tab = CanvasTab::Governance;
            s.tabChangedByCode = true;
        }
    }
    ImGui::Spacing();
    if (ImGui::CollapsingHeader("Description", ImGuiTreeNodeFlags_DefaultOpen)) {
        if (InputTextMultilineString("##description", s.descriptionBuffer, ImVec2(-1, s.px(90))) &&
            s.descriptionBuffer != c->description)
            s.pendingEdits.push_back(core::command::SetChangeField{c->id, "description", c->description, s.descriptionBuffer,
                                                    static_cast<std::int64_t>(platform::monotonicSeconds() * 1000)});
        s.record("inspector.description");
    }
    if (ImGui::CollapsingHeader("Rollback plan", ImGuiTreeNodeFlags_DefaultOpen)) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(c->rollbackPlan.c_str());
        ImGui::PopTextWrapPos();
    }
}

// ---- 7. Bottom panel ---------------------------------------------------------------

void App::drawBottomPanel() {
    Impl& s = *m_impl;
    if (ImGui::BeginTabBar("##bottomtabs")) {
        const UiContext vctx = makeContext();
        const core::ChangeAssessment* a = GovernanceAssessment(vctx, s.governanceState);
        int errors = 0, warnings = 0;
        if (a)
            for (const auto& v : a->validation) (v.error ? errors : warnings) += 1;
        char title[80];
        std::snprintf(title, sizeof title, ICON_WARNING "  Validation (%d errors, %d warnings)###validation", errors,
                      warnings);
        if (ImGui::BeginTabItem(title)) {
            if (!a || a->validation.empty()) ImGui::TextDisabled(ICON_CHECK "  No problems found.");
            if (a) {
                int index = 0;
                for (const auto& v : a->validation) {
                    ImGui::PushID(index++);
                    ImGui::TextColored(v.error ? ImVec4(0.89f, 0.27f, 0.22f, 1) : ImVec4(0.95f, 0.6f, 0, 1), "%s",
                                       v.error ? ICON_TIMES_CIRCLE : ICON_WARNING);
                    ImGui::SameLine();
                    static const char* kArea[] = {"Runbook", "Schedule", "Graph", "Governance"};
                    ImGui::TextDisabled("%-10s", kArea[static_cast<int>(v.area)]);
                    ImGui::SameLine();
                    // Click to jump to the view where the cause is.
                    if (ImGui::Selectable(v.text.c_str(), false)) {
                        switch (v.area) {
                            case core::ValidationItem::Area::Runbook: s.tab = CanvasTab::Runbook; break;
                            case core::ValidationItem::Area::Schedule: s.tab = CanvasTab::Schedule; break;
                            case core::ValidationItem::Area::Impact: s.tab = CanvasTab::Graph; break;
                            case core::ValidationItem::Area::Governance: s.tab = CanvasTab::Governance; break;
                        }
                        s.tabChangedByCode = true;
                    }
                    s.record("validation." + std::to_string(index - 1));
                    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show the %s view", kArea[static_cast<int>(v.area)]);
                    ImGui::PopID();
                }
            }
            ImGui::EndTabItem();
        }
        s.record("tab.validation");
        if (ImGui::BeginTabItem(ICON_HISTORY "  Audit log")) {
            drawAuditLog();
            ImGui::EndTabItem();
        }
        s.record("tab.audit");
        ImGui::EndTabBar();
    }
}

void App::drawAuditLog() {
    Impl& s = *m_impl;
    if (!s.session) return;
    if (ImGui::Button(ICON_SHIELD " Verify chain")) {
        auto v = s.session->workspace().verifyAuditChain();
        auto head = s.session->workspace().auditHead();
        // The head is what a cut tail cannot fake: every bundle and backup carries it
        // (audit-anchor.json), and `planner audit-verify --anchor` checks against them.
        const std::string anchor = head ? " Head " + std::to_string(head->seq) + ":" + head->hash.substr(0, 16) +
                                              "... (kept in every bundle and backup you export)."
                                        : std::string();
        s.auditVerdict = !v ? v.error().toString()
                         : v->ok ? "Chain intact: " + std::to_string(v->rows) + " rows, every link verified." + anchor
                                 : "Chain BROKEN at row " + std::to_string(v->firstBadSeq) + ": " + v->problem;
    }
    s.record("audit.verify");
    if (!s.auditVerdict.empty()) {
        ImGui::SameLine();
        ImGui::TextUnformatted(s.auditVerdict.c_str());
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("##audit", 5, flags)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, s.px(40));
        ImGui::TableSetupColumn("Time (UTC)", ImGuiTableColumnFlags_WidthFixed, s.px(140));
        ImGui::TableSetupColumn("Actor", ImGuiTableColumnFlags_WidthFixed, s.px(90));
        ImGui::TableSetupColumn("Event", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("Hash", ImGuiTableColumnFlags_WidthFixed, s.px(110));
        ImGui::TableHeadersRow();
        const auto& rows = s.session->recentAudit();
        for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("%lld", static_cast<long long>(it->seq));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(formatUtc(it->at).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(it->actor.c_str());
            ImGui::TableNextColumn();
            std::string what = it->kind + "  " + it->payload;
            if (what.size() > 160) what = what.substr(0, 157) + "...";
            ImGui::TextUnformatted(what.c_str());
            ImGui::TableNextColumn();
            ImGui::PushFont(s.fontMono);
            ImGui::TextDisabled("%s", it->hash.substr(0, 12).c_str());
            ImGui::PopFont();
        }
        ImGui::EndTable();
    }
}

// ---- 8. Dialogs ------------------------------------------------------------------

bool App::canEdit() const { return m_impl->session && !m_impl->session->readOnly(); }

// Opens workspace `name` (creating it, empty or with the demo, when missing)
// in place of the open one. Returns "" or why it failed (the open one stays).
std::string App::switchWorkspace(const std::string& name, bool createDemo) {
    Impl& s = *m_impl;
    if (auto valid = core::workspaces::validateName(name); !valid) return valid.error().toString();
    s.importState.job.reset();   // an unfinished import rolls back before its workspace closes
    const std::string dir = platform::dataDirectory();
    auto list = core::workspaces::list(dir);
    if (!list) return list.error().toString();
    const bool exists = std::find(list->begin(), list->end(), name) != list->end();
    if (!exists && !createDemo) {
        auto created = core::workspaces::create(dir, name);
        if (!created) return created.error().toString();
    }
    auto session = core::Session::open(dir, name, m_settings.userName, platform::nowUtc(), createDemo,
                                       platform::workspaceLockedElsewhere());
    if (!session) return session.error().toString();
    s.session = std::move(*session);
    // View caches are keyed by revision numbers, which start again: reset them.
    s.graphState = GraphCanvasState{};
    s.scheduleState = ScheduleViewState{};
    s.runbookState = RunbookEditorState{};
    s.governanceState = GovernancePanelState{};
    s.dashboardState = DashboardPanelState{};
    s.selectedCi.clear();
    s.selectedChange.clear();
    s.editChange.clear();
    for (auto it = s.data().changes.rbegin(); it != s.data().changes.rend(); ++it)
        if (!isFinished(it->state)) s.selectedChange = it->id;
    std::ofstream(std::filesystem::path(dir) / "current-workspace") << name << "\n";
    afterEdit("", true);
    return {};
}

std::string App::renameWorkspace(const std::string& from, const std::string& to) {
    Impl& s = *m_impl;
    const bool current = s.session && s.session->workspace().name() == from;
    if (current) {
        s.importState.job.reset();
        s.session.reset();  // the files must be closed to be renamed
    }
    auto st = core::workspaces::rename(platform::dataDirectory(), from, to);
    std::string error = st ? "" : st.error().toString();
    if (current) {
        const std::string reopen = switchWorkspace(st ? to : from, false);
        if (error.empty()) error = reopen;
    } else if (st) {
        afterEdit("", true);
    }
    return error;
}

// Windows and freezes from an iCalendar file, written in one audited
// transaction (all or nothing); windows with the same id are replaced.
void App::importCalendar(const platform::OpenedFile& file) {
    Impl& s = *m_impl;
    if (!canEdit()) {
        s.notice = "This workspace is open read-only.";
        return;
    }
    core::schedule::IcsImportOptions options;
    options.fileName = file.name;
    options.defaultTimeZone = m_settings.timeZone;
    auto windows = core::schedule::importIcs(file.bytes, options);
    if (!windows) {
        s.notice = windows.error().toString();
        return;
    }
    const std::size_t count = windows->size();
    std::string safeName;  // the file name as a JSON string body
    for (char ch : file.name)
        if (ch != '"' && ch != '\\' && static_cast<unsigned char>(ch) >= 0x20) safeName += ch;
    auto r = s.session->applyBulk([&](core::workspaces::Workspace& ws) -> core::Status {
        return ws.transaction([&]() -> core::Status {
            for (const auto& w : *windows)
                if (auto st = ws.putWindow(w); !st) return st;
            auto row = ws.appendAudit(platform::nowUtc(), m_settings.userName, "import",
                                      "{\"calendar\":\"" + safeName + "\",\"windows\":" + std::to_string(count) + "}");
            if (!row) return row.error();
            return core::okStatus();
        });
    });
    afterEdit(r ? "" : r.error().toString(), r.ok());
}

std::string App::backupWorkspace() {
    Impl& s = *m_impl;
    if (!s.session) return "no workspace is open";
    auto zip = core::backupZip(s.session->workspace(), std::filesystem::temp_directory_path().string());
    if (!zip) return zip.error().toString();
    std::time_t now = static_cast<std::time_t>(platform::nowUtc());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char date[16];
    std::strftime(date, sizeof date, "%Y%m%d", &tm);
    platform::saveFile(s.session->workspace().name() + "-backup-" + date + ".zip", "application/zip", *zip);
    return {};
}

// The person the user acts as: the workspace person named like the user in
// the settings, else the first requester.
std::string App::actingPerson() const {
    const auto& people = m_impl->data().people;
    for (const auto& p : people)
        if (p.id == m_settings.userName || p.name == m_settings.userName) return p.id;
    for (const auto& p : people)
        if (std::find(p.roles.begin(), p.roles.end(), "requester") != p.roles.end()) return p.id;
    return m_settings.userName;
}

void App::drawNewChangeDialog() {
    Impl& s = *m_impl;
    if (s.showNewChange) {
        ImGui::OpenPopup("New change");
        s.showNewChange = false;
        s.newTitle.clear();
        s.newModel = -1;
    }
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    FixedWidthModal(s.px(520));
    if (!ImGui::BeginPopupModal("New change", nullptr, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize)) return;
    s.recordWindow("dialog.new");
    const auto& models = s.session->policy().models;
    ImGui::TextUnformatted("Start from");
    if (ImGui::RadioButton("A blank normal change", s.newModel < 0)) s.newModel = -1;
    s.record("dialog.new.blank");
    for (int i = 0; i < static_cast<int>(models.size()); ++i) {
        const auto& m = models[static_cast<std::size_t>(i)];
        const std::string label = "Standard model: " + m.name;
        if (ImGui::RadioButton(label.c_str(), s.newModel == i)) {
            s.newModel = i;
            if (s.newTitle.empty()) s.newTitle = m.name;
        }
        s.record("dialog.new.model." + m.id);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s\nPre-approved with %s risk while the change stays inside the model.",
                              m.description.c_str(), core::toString(m.risk));
    }
    ImGui::Spacing();
    ImGui::TextUnformatted("Title (short description)");
    ImGui::SetNextItemWidth(-1);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    InputTextString("##newtitle", "What is being changed?", s.newTitle);
    s.record("dialog.new.title");
    ImGui::Spacing();
    const bool ok = !s.newTitle.empty();
    if (!ok) ImGui::BeginDisabled();
    const bool create = ImGui::Button(ICON_PLUS " Create", ImVec2(s.px(120), 0)) ||
                        (ok && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)));
    if (!ok) ImGui::EndDisabled();
    s.record("dialog.new.create");
    if (!ok && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Give the change a title.");
    ImGui::SameLine();
    const bool cancel = ImGui::Button("Cancel", ImVec2(s.px(100), 0)) ||
                        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
    if (create && ok) {
        const std::string id = core::nextChangeId(s.data());
        core::ChangeRequest c =
            s.newModel >= 0 && s.newModel < static_cast<int>(models.size())
                ? core::draftFromModel(models[static_cast<std::size_t>(s.newModel)], id, actingPerson(),
                                       m_settings.timeZone, platform::nowUtc())
                : core::blankChange(id, s.newTitle, actingPerson(), m_settings.timeZone, platform::nowUtc());
        c.title = s.newTitle;
        applyEdit(core::command::AddChange{std::move(c)});
        if (s.session->findChange(id)) {
            s.selectedChange = id;
            s.tab = CanvasTab::Graph;  // next: name the affected CIs
            s.tabChangedByCode = true;
        }
        ImGui::CloseCurrentPopup();
    } else if (cancel) {
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

// Opens the workspace open last time (a small file next to the workspaces),
// else the demo, creating it on the very first start.
void App::openInitialWorkspace() {
    Impl& s = *m_impl;
    if (!core::schedule::isKnownTimeZone(m_settings.timeZone)) {
        s.notice = "Preferences: unknown time zone \"" + m_settings.timeZone + "\"; using UTC.";
        m_settings.timeZone = "UTC";
        s.savedSettings.timeZone = m_settings.timeZone;
    }
    std::string name = "demo";
    {
        std::ifstream in(std::filesystem::path(platform::dataDirectory()) / "current-workspace");
        std::string saved;
        if (in && std::getline(in, saved) && core::workspaces::validateName(saved)) {
            auto list = core::workspaces::list(platform::dataDirectory());
            if (list && std::find(list->begin(), list->end(), saved) != list->end()) name = saved;
        }
    }
    s.workspacePending = false;
    auto session = core::Session::open(platform::dataDirectory(), name, m_settings.userName, platform::nowUtc(),
                                       true, platform::workspaceLockedElsewhere());
    if (session) {
        s.session = std::move(*session);
        // Start on the oldest change still in progress (closed ones are history).
        for (auto it = s.data().changes.rbegin(); it != s.data().changes.rend(); ++it)
            if (!isFinished(it->state)) s.selectedChange = it->id;
        if (s.selectedChange.empty() && !s.data().changes.empty()) s.selectedChange = s.data().changes.back().id;
        // A workspace created on this first start exists only in memory until
        // flushed: persist it at once so other tabs and the next visit see it.
        if (!s.session->readOnly()) {
            s.saveState = SaveState::Unsaved;
            s.persistDue = 0.0;
        }
    } else {
        s.openError = session.error().toString();
    }
}

// Downloads the CMDB in `format`: one file as it is, two in a zip.
void App::exportCmdb(core::io::CmdbExportFormat format) {
    Impl& s = *m_impl;
    if (!s.session) return;
    auto files = core::io::exportCmdbFiles(format, s.data().cis, s.data().relationships);
    const std::string base = s.session->workspace().name() + "-cmdb-";
    if (files.size() == 1) {
        const auto& [name, content] = *files.begin();
        const bool json = name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0;
        platform::saveFile(base + name, json ? "application/json" : "text/csv", content);
        return;
    }
    auto zip = core::bundle::writeZip(files);
    if (!zip) {
        s.notice = zip.error().toString();
        return;
    }
    platform::saveFile(base + core::io::cmdbExportFormatName(format) + ".zip", "application/zip", *zip);
}

// Ctrl+F: the graph's CI search when a graph is shown, else the change search.
void App::findShortcut() {
    Impl& s = *m_impl;
    if (s.tab == CanvasTab::Graph && s.selected())
        s.graphState.focusSearch = true;
    else
        s.focusChangeSearch = true;
}

void App::deleteSelection() {
    Impl& s = *m_impl;
    const core::ChangeRequest* c = s.selected();
    if (!c) return;
    const auto& affected = c->affectedCis;
    const auto it = std::find(affected.begin(), affected.end(), s.selectedCi);
    if (s.tab == CanvasTab::Graph && !s.selectedCi.empty() && it != affected.end()) {
        core::command::SetAffectedCis cmd{c->id, affected, affected};
        cmd.after.erase(cmd.after.begin() + (it - affected.begin()));
        applyEdit(std::move(cmd));
        return;
    }
    s.showDelete = true;
}

void App::drawDeleteDialog() {
    Impl& s = *m_impl;
    if (s.showDelete) {
        ImGui::OpenPopup("Delete change");
        s.showDelete = false;
    }
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal("Delete change", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    const core::ChangeRequest* c = s.selected();
    if (!c) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    ImGui::Text("Delete %s \"%s\"?", c->id.c_str(), c->title.c_str());
    ImGui::TextDisabled("Its runbook, approvals and review go with it. Edit > Undo brings it back.");
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Button, IM_COL32(200, 60, 50, 255));
    const bool confirm = ImGui::Button(ICON_TRASH " Delete", ImVec2(s.px(120), 0));
    ImGui::PopStyleColor();
    s.record("dialog.delete.confirm");
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(s.px(100), 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
        ImGui::CloseCurrentPopup();
    if (confirm) {
        applyEdit(core::command::RemoveChange{*c});
        if (!s.session->findChange(s.selectedChange)) s.selectedChange.clear();
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

void App::drawDialogs() {
    Impl& s = *m_impl;
    drawNewChangeDialog();
    drawDeleteDialog();
    {
        UiContext ctx = makeContext();
        WorkspaceActions actions;
        actions.current = s.session ? s.session->workspace().name() : "";
        actions.openOrCreate = [this](const std::string& n, bool demo) { return switchWorkspace(n, demo); };
        actions.rename = [this](const std::string& from, const std::string& to) { return renameWorkspace(from, to); };
        actions.remove = [this](const std::string& n) {
            auto st = core::workspaces::remove(platform::dataDirectory(), n);
            if (!st) return st.error().toString();
            afterEdit("", true);
            return std::string();
        };
        actions.backup = [this]() { return backupWorkspace(); };
        actions.restore = [this](const std::string& n, const platform::OpenedFile& f) {
            auto st = core::restoreBackup(platform::dataDirectory(), n, f.bytes, f.name,
                                          std::filesystem::temp_directory_path().string());
            if (!st) return st.error().toString();
            return switchWorkspace(n, false);
        };
        DrawWorkspaceDialog(ctx, s.workspaceState, actions);
        ImportHost importHost;
        importHost.start = [this](const std::vector<core::io::CmdbSource>& files, bool merge, std::string& error) {
            Impl& im = *m_impl;
            std::unique_ptr<core::io::CmdbImportJob> job;
            if (!im.session) {
                error = "no workspace is open";
            } else if (im.session->readOnly()) {
                error = "this workspace is open read-only (another tab is editing it)";
            } else {
                core::io::ImportOptions options;
                options.mode = merge ? core::workspaces::CmdbWriteMode::Merge : core::workspaces::CmdbWriteMode::Replace;
                options.actor = m_settings.userName;
                options.atUtc = platform::nowUtc();
                job = std::make_unique<core::io::CmdbImportJob>(im.session->workspace(), files, options);
            }
            return job;
        };
        importHost.ended = [this](const std::string& error, bool imported) {
            Impl& im = *m_impl;
            if (!imported || !im.session) {
                afterEdit(error, false);
                return;
            }
            auto r = im.session->bulkApplied();
            afterEdit(r ? "" : r.error().toString(), true);
        };
        DrawImportDialog(ctx, s.importState, importHost);
    }
    {
        UiContext ctx = makeContext();
        BundleDialogHost host;
        host.userName = m_settings.userName;
        host.session = s.session.get();
        host.afterBulk = [this](const std::string& error, bool dirty) { afterEdit(error, dirty); };
        DrawBundleDialogs(ctx, s.bundleState, host);
    }
    if (s.showAbout) {
        ImGui::OpenPopup("About Change Planner");
        s.showAbout = false;
    }
    const ImVec2 center = ImGui::GetMainViewport()->GetCenter();
    ImGui::SetNextWindowPos(center, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (ImGui::BeginPopupModal("About Change Planner", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        s.recordWindow("dialog.about");
        ImGui::PushFont(s.fontBold);
        ImGui::Text("Change Planner %s", core::productVersion());
        ImGui::PopFont();
        ImGui::TextDisabled("Offline change planning: impact, windows, runbooks, signed bundles.");
        ImGui::Spacing();
        if (ImGui::BeginTable("##versions", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
            auto row = [](const std::string& a, const std::string& b) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(a.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(b.c_str());
            };
            row("Dear ImGui", IMGUI_VERSION);
            for (const auto& [name, version] : core::libraryVersions()) row(name, version);
            row("Host", platform::hostDescription());
            ImGui::EndTable();
        }
        ImGui::Spacing();
        if (ImGui::Button("Close", ImVec2(s.px(120), 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
            ImGui::CloseCurrentPopup();
        s.record("dialog.about.close");
        ImGui::EndPopup();
    }
    if (s.showSettings) {
        ImGui::OpenPopup("Settings");
        s.showSettings = false;
    }
    ImGui::SetNextWindowPos(center, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (ImGui::BeginPopupModal("Settings", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        s.recordWindow("dialog.settings");
        s.settingsShown = true;
        if (ImGui::IsWindowAppearing()) {
            s.settingsBefore = m_settings;
            s.timeZoneEdit = m_settings.timeZone;
        }
        const float label = s.px(110);
        int theme = m_settings.theme == Theme::Dark ? 0 : 1;
        ImGui::TextUnformatted("Theme");
        ImGui::SameLine(label);
        if (ImGui::RadioButton("Dark", theme == 0)) m_settings.theme = Theme::Dark;
        s.record("settings.theme.dark");
        ImGui::SameLine();
        if (ImGui::RadioButton("Light", theme == 1)) m_settings.theme = Theme::Light;
        s.record("settings.theme.light");
        ImGui::TextUnformatted("Font size");
        ImGui::SameLine(label);
        ImGui::SetNextItemWidth(s.px(160));
        ImGui::SliderInt("##fontsize", &m_settings.fontSize, kMinFontSize, kMaxFontSize);
        s.record("settings.fontsize");
        // Who you are: a person of this workspace (their roles decide what
        // you may approve) or any name, which the audit trail records.
        ImGui::TextUnformatted("You are");
        ImGui::SameLine(label);
        ImGui::SetNextItemWidth(s.px(300));
        const auto& people = s.data().people;
        const std::string acting = actingPerson();
        std::string preview = m_settings.userName;
        for (const auto& p : people)
            if (p.id == acting)
                preview = p.id == m_settings.userName || p.name == m_settings.userName
                              ? p.name
                              : m_settings.userName + " (acting as " + p.name + ")";
        if (ImGui::BeginCombo("##person", preview.c_str())) {
            for (const auto& p : people) {
                std::string roles;
                for (const auto& r : p.roles) roles += (roles.empty() ? "" : ", ") + r;
                const std::string item = p.name + "  -  " + (roles.empty() ? std::string("no roles") : roles);
                if (ImGui::Selectable(item.c_str(), p.id == acting)) m_settings.userName = p.name;
                s.record("settings.person." + p.id);
            }
            ImGui::EndCombo();
        }
        s.record("settings.person");
        ImGui::TextUnformatted("or a name");
        ImGui::SameLine(label);
        ImGui::SetNextItemWidth(s.px(300));
        InputTextString("##username", "Your name", m_settings.userName);
        s.record("settings.name");
        if (m_settings.userName.empty()) m_settings.userName = s.settingsBefore.userName;
        ImGui::TextUnformatted("Time zone");
        ImGui::SameLine(label);
        ImGui::SetNextItemWidth(s.px(300));
        InputTextString("##tz", "e.g. Europe/Berlin", s.timeZoneEdit);
        s.record("settings.timezone");
        if (core::schedule::isKnownTimeZone(s.timeZoneEdit)) {
            m_settings.timeZone = s.timeZoneEdit;
        } else {
            ImGui::SameLine();
            ImGui::TextColored(ImVec4(0.95f, 0.35f, 0.3f, 1), ICON_WARNING " unknown; keeping %s",
                               m_settings.timeZone.c_str());
        }
        ImGui::TextDisabled("New changes start in this time zone; saved in this browser.");
        ImGui::Spacing();
        const bool close = ImGui::Button("Close", ImVec2(s.px(120), 0)) ||
                           ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
        s.record("dialog.close");
        if (close) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

// Saves the preferences when they changed (View menu, keys, Settings once it
// is closed: not on every key typed into it).
void App::savePreferencesIfChanged() {
    Impl& s = *m_impl;
    if (m_settings == s.savedSettings || s.settingsShown) return;
    s.savedSettings = m_settings;
    const auto path = std::filesystem::path(platform::dataDirectory()) / kPreferencesFile;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << PreferencesJson(m_settings);
    markUnsaved();   // flushed to browser storage with the workspace files
}

// ---- 9. JS/test surface --------------------------------------------------------------

namespace {
std::string jsonEscape(const std::string& in) {
    std::string out;
    for (char ch : in) {
        switch (ch) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(ch) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", ch);
                    out += buf;
                } else {
                    out += ch;
                }
        }
    }
    return out;
}
}  // namespace

std::string App::stateJson() const {
    const Impl& s = *m_impl;
    static const char* kTabs[] = {"graph", "schedule", "runbook", "governance", "dashboard"};
    static const char* kSave[] = {"saved", "saving", "unsaved", "failed"};
    std::string j = "{";
    j += "\"version\":\"" + std::string(core::productVersion()) + "\"";
    j += ",\"workspace\":\"" + jsonEscape(s.data().name) + "\"";
    j += ",\"workspaceId\":\"" + jsonEscape(s.session ? s.session->workspace().name() : "") + "\"";
    j += ",\"workspaceDialog\":{\"message\":\"" + jsonEscape(s.workspaceState.message) +
         "\",\"error\":" + (s.workspaceState.error ? "true" : "false") + "}";
    j += std::string(",\"workspaceReady\":") + (s.workspacePending ? "false" : "true");
    j += ",\"readOnly\":" + std::string(s.session && s.session->readOnly() ? "true" : "false");
    j += ",\"canUndo\":" + std::string(s.session && s.session->canUndo() ? "true" : "false");
    j += ",\"canRedo\":" + std::string(s.session && s.session->canRedo() ? "true" : "false");
    j += ",\"schemaVersion\":" + std::to_string(s.session ? s.session->workspace().schemaVersion() : 0);
    j += ",\"auditRows\":" + std::to_string(s.session ? s.session->recentAudit().size() : 0);
    if (const core::ChangeRequest* c = s.selected()) {
        j += ",\"selectedTitle\":\"" + jsonEscape(c->title) + "\"";
        j += ",\"selectedDescription\":\"" + jsonEscape(c->description) + "\"";
        j += ",\"selectedPlannedStart\":" + std::to_string(c->plannedStart);
        j += ",\"selectedSteps\":" + std::to_string(c->steps.size());
        j += ",\"selectedState\":\"" + std::string(core::toString(c->state)) + "\"";
        j += ",\"selectedAffectedCis\":" + std::to_string(c->affectedCis.size());
        j += ",\"selectedAffectedCiIds\":[";
        for (std::size_t i = 0; i < c->affectedCis.size(); ++i)
            j += std::string(i ? "," : "") + "\"" + jsonEscape(c->affectedCis[i]) + "\"";
        j += "]";
        j += ",\"selectedImpactCount\":" +
             std::to_string(s.session ? s.session->impactOf(*c).uniqueCount : 0);
        j += ",\"selectedStepIds\":[";
        for (std::size_t i = 0; i < c->steps.size(); ++i)
            j += std::string(i ? "," : "") + "\"" + jsonEscape(c->steps[i].id) + "\"";
        j += "]";
        int withRollback = 0;
        for (const auto& st : c->steps) withRollback += st.rollback.empty() ? 0 : 1;
        j += ",\"selectedStepsWithRollback\":" + std::to_string(withRollback);
        j += ",\"selectedAnswers\":" + std::to_string(c->questionnaire.size());
        j += ",\"selectedApprovals\":" + std::to_string(c->approvals.size());
        if (s.governanceState.cached && s.governanceState.changeId == c->id) {
            const core::ChangeAssessment& a = s.governanceState.assessment;
            j += ",\"selectedRisk\":\"" + std::string(core::toString(a.risk.level)) + "\"";
            j += ",\"pendingApprovals\":[";
            bool first = true;
            for (const auto& r : a.approvals) {
                if (r.state != core::policy::RequirementState::Pending) continue;
                j += std::string(first ? "" : ",") + "\"" + jsonEscape(r.requirement.id) + "\"";
                first = false;
            }
            j += "],\"allowedActions\":[";
            first = true;
            for (const auto& t : a.transitions) {
                if (!t.allowed) continue;
                j += std::string(first ? "" : ",") + "\"" + core::policy::toString(t.action) + "\"";
                first = false;
            }
            j += "]";
        }
    }
    if (s.session) {
        j += ",\"riskQuestions\":[";
        bool first = true;
        for (const auto& q : s.session->policy().risk.questions) {
            j += std::string(first ? "" : ",") + "\"" + jsonEscape(q.id) + "\"";
            first = false;
        }
        j += "]";
    }
    j += ",\"theme\":\"" + std::string(m_settings.theme == Theme::Dark ? "dark" : "light") + "\"";
    j += ",\"fontSize\":" + std::to_string(m_settings.fontSize);
    j += ",\"timeZone\":\"" + jsonEscape(m_settings.timeZone) + "\"";
    j += ",\"userName\":\"" + jsonEscape(m_settings.userName) + "\"";
    j += ",\"actingPerson\":\"" + jsonEscape(actingPerson()) + "\"";
    j += ",\"tab\":\"" + std::string(kTabs[static_cast<int>(s.tab)]) + "\"";
    j += ",\"saveState\":\"" + std::string(kSave[static_cast<int>(s.saveState)]) + "\"";
    j += ",\"selectedChange\":\"" + jsonEscape(s.selectedChange) + "\"";
    j += ",\"counts\":{\"cis\":" + std::to_string(s.data().cis.size()) +
         ",\"relationships\":" + std::to_string(s.data().relationships.size()) +
         ",\"changes\":" + std::to_string(s.data().changes.size()) +
         ",\"windows\":" + std::to_string(s.data().windows.size()) + "}";
    j += ",\"frames\":" + std::to_string(m_frameCount);
    if (const auto& job = s.importState.job) {
        char fraction[32];
        std::snprintf(fraction, sizeof fraction, "%.4f", job->fraction());
        j += ",\"import\":{\"running\":true,\"fraction\":" + std::string(fraction) + ",\"phase\":\"" +
             jsonEscape(job->phase()) + "\"}";
    } else {
        j += ",\"import\":{\"running\":false,\"message\":\"" + jsonEscape(s.importState.message) + "\"}";
    }
    if (const auto& report = s.bundleState.report) {
        // The verify dialog's verdict, for tests: what the planner is told about a bundle.
        j += ",\"verify\":{\"bundle\":\"" + jsonEscape(s.bundleState.bundleName) +
             "\",\"importable\":" + (report->importable ? "true" : "false") +
             ",\"chainLength\":" + std::to_string(report->approvalChainLength) + ",\"errors\":[";
        for (std::size_t i = 0; i < report->errors.size(); ++i)
            j += std::string(i ? "," : "") + "\"" + jsonEscape(report->errors[i]) + "\"";
        j += "]}";
    }
    char cpu[32];
    std::snprintf(cpu, sizeof cpu, "%.3f", s.lastFrameMs);
    j += ",\"frameCpuMs\":" + std::string(cpu);
    j += ",\"selectedCi\":\"" + jsonEscape(s.selectedCi) + "\"";
    {
        const GraphFrameStats& g = GraphCanvasFrameStats(s.graphState);
        char graph[320];
        std::snprintf(graph, sizeof graph,
                      ",\"graph\":{\"nodes\":%d,\"nodesVisible\":%d,\"nodesDrawn\":%d,\"edges\":%d,"
                      "\"edgesDrawn\":%d,\"edgesSkipped\":%d,\"detailLevel\":%d,\"zoom\":%.4f,"
                      "\"layoutBuilds\":%d,\"layoutMs\":%.3f,\"layoutEngineMs\":%.3f,\"impactMs\":%.3f}",
                      g.nodesTotal, g.nodesVisible, g.nodesDrawn, g.edgesTotal, g.edgesDrawn, g.edgesSkipped,
                      g.detailLevel, static_cast<double>(s.graphState.view.zoom), g.layoutBuilds, g.layoutMs,
                      g.layoutEngineMs, g.impactMs);
        j += graph;
    }
    j += "}";
    return j;
}

bool App::widgetRect(const std::string& label, WidgetRect& out) const {
    auto it = m_impl->rects.find(label);
    if (it == m_impl->rects.end()) return false;
    out = it->second;
    return true;
}

std::string App::integrityCheck() {
    if (!m_impl->session) return "no workspace is open";
    auto r = m_impl->session->workspace().integrityCheck();
    return r ? *r : r.error().toString();
}

std::vector<std::string> App::widgetLabels() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : m_impl->rects) out.push_back(k);
    return out;
}

}  // namespace planner::ui
