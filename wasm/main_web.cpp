// Browser entry point: WebGL2 context, ImGui with our input backend and the
// OpenGL3 renderer, and the main loop that calls App::Frame().
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <GLES3/gl3.h>
#include <imgui_impl_opengl3.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <unordered_set>
#include <sys/stat.h>

#include "embedded_assets.hpp"
#include "input_web.hpp"
#include "schedule/time_zone.hpp"
#include "ui/app.hpp"
#include "ui/redraw_check.hpp"

namespace {

std::unique_ptr<planner::ui::App> g_app;
std::string g_clipboard;
std::string g_scratch;
bool g_workspaceOpened = false;   // after the first frame: drawn by the second

// libical reads time zones from files: write the embedded zoneinfo into the
// in-memory file system once. Each directory is made once (a failing mkdir is
// a thrown JS exception, and there are hundreds of files), and each file is
// written with one call.
void unpackZoneinfo() {
    std::unordered_set<std::string> made;
    for (const planner::assets::EmbeddedFile* f = planner::assets::embeddedFiles(); f->path; ++f) {
        std::string path = std::string("/") + f->path;
        if (path.rfind("/zoneinfo/", 0) != 0) continue;
        for (std::size_t i = 1; i < path.size(); ++i)
            if (path[i] == '/' && made.insert(path.substr(0, i)).second) mkdir(path.substr(0, i).c_str(), 0755);
        if (std::FILE* out = std::fopen(path.c_str(), "wb")) {
            std::fwrite(f->data, 1, f->size, out);
            std::fclose(out);
        }
    }
}

const char* getClipboard(void*) { return g_clipboard.c_str(); }

extern "C" void planner_js_set_clipboard(const char* text);
extern "C" void planner_js_set_cursor(int cursor);
extern "C" void planner_js_first_frame();
extern "C" void planner_js_workspace_shown();
extern "C" void planner_js_mark(const char* name);

void setClipboard(void*, const char* text) {
    g_clipboard = text ? text : "";
    planner_js_set_clipboard(g_clipboard.c_str());
}

// A frame whose draw data equals the painted one is not painted again: the
// canvas keeps showing it (WebGL presents only what was drawn).
planner::ui::RedrawCheck g_redraw;
long g_framesPainted = 0;

bool frameChanged(int fbW, int fbH, const ImVec4& clear) {
    const ImDrawData* d = ImGui::GetDrawData();
    struct Header {
        int w, h;
        float r, g, b;
        ImTextureID font;
    } header{fbW, fbH, clear.x, clear.y, clear.z, ImGui::GetIO().Fonts->TexID};
    g_redraw.begin(&header, sizeof header);
    for (int i = 0; d && i < d->CmdListsCount; ++i) {
        const ImDrawList* list = d->CmdLists[i];
        const int sizes[3] = {list->VtxBuffer.Size, list->IdxBuffer.Size, list->CmdBuffer.Size};
        g_redraw.add(sizes, sizeof sizes);
        g_redraw.add(list->VtxBuffer.Data, sizeof(ImDrawVert) * static_cast<std::size_t>(list->VtxBuffer.Size));
        g_redraw.add(list->IdxBuffer.Data, sizeof(ImDrawIdx) * static_cast<std::size_t>(list->IdxBuffer.Size));
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            const struct {
                ImVec4 clip;
                ImTextureID texture;
                unsigned vtxOffset, idxOffset, elemCount;
                int callback;
            } c{cmd.ClipRect, cmd.TextureId, cmd.VtxOffset, cmd.IdxOffset, cmd.ElemCount, cmd.UserCallback != nullptr ? 1 : 0};
            g_redraw.add(&c, sizeof c);
            if (cmd.UserCallback) g_redraw.force();  // a callback may draw anything
        }
    }
    return g_redraw.changed();
}

void frame() {
    int fbW = 0, fbH = 0;
    planner::web::updateDisplay(fbW, fbH);
    const float dpr = planner::web::devicePixelRatio();
    if (g_app->fontsNeedRebuild(dpr)) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        g_app->buildFonts(dpr);
        ImGui_ImplOpenGL3_CreateFontsTexture();
        g_redraw.force();
    }
    if (g_app->frameCount() == 1 && !g_workspaceOpened) {
        unpackZoneinfo();
        planner::core::schedule::initTimeZones("/zoneinfo");
        planner_js_mark("zoneinfo");
        g_app->openInitialWorkspace();
        planner_js_mark("workspace");
        g_workspaceOpened = true;
    }
    planner::web::applyQueuedInput();
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = 1.0f / 60.0f;
    static double last = 0;
    const double now = emscripten_get_now() / 1000.0;
    if (last > 0 && now > last) io.DeltaTime = static_cast<float>(now - last);
    last = now;

    ImGui_ImplOpenGL3_NewFrame();
    g_app->Frame();
    static int lastCursor = -2;
    const int cursor = ImGui::GetMouseCursor();
    if (cursor != lastCursor) {
        planner_js_set_cursor(cursor);
        lastCursor = cursor;
    }

    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    if (frameChanged(fbW, fbH, bg)) {
        emscripten_webgl_make_context_current(emscripten_webgl_get_current_context());
        glViewport(0, 0, fbW, fbH);
        glClearColor(bg.x, bg.y, bg.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        ++g_framesPainted;
    }
    if (g_app->frameCount() == 1) planner_js_first_frame();
    if (g_app->frameCount() == 2) planner_js_workspace_shown();
}

}  // namespace

// ---- Functions the JS glue calls (exported) -----------------------------------
extern "C" {

EMSCRIPTEN_KEEPALIVE const char* planner_state_json() {
    g_scratch = g_app ? g_app->stateJson() : "{}";
    return g_scratch.c_str();
}

// Writes x, y, w, h in CSS pixels into out[4]; returns 0 if the label is unknown.
EMSCRIPTEN_KEEPALIVE int planner_widget_rect(const char* label, float* out) {
    planner::ui::WidgetRect r;
    if (!g_app || !g_app->widgetRect(label, r)) return 0;
    const float dpr = planner::web::devicePixelRatio();
    out[0] = r.x / dpr;
    out[1] = r.y / dpr;
    out[2] = r.w / dpr;
    out[3] = r.h / dpr;
    return 1;
}

EMSCRIPTEN_KEEPALIVE const char* planner_widget_labels() {
    g_scratch.clear();
    if (g_app)
        for (const auto& l : g_app->widgetLabels()) g_scratch += l + "\n";
    return g_scratch.c_str();
}

// PRAGMA integrity_check of both workspace files: "ok" or the first problem.
EMSCRIPTEN_KEEPALIVE long planner_frames_painted() { return g_framesPainted; }

EMSCRIPTEN_KEEPALIVE int planner_input_pending() { return planner::web::pendingInput(); }

EMSCRIPTEN_KEEPALIVE const char* planner_integrity_check() {
    g_scratch = g_app ? g_app->integrityCheck() : "no application";
    return g_scratch.c_str();
}

EMSCRIPTEN_KEEPALIVE void planner_paste(const char* text) {
    g_clipboard = text ? text : "";
    planner::web::queueKeyChord('V', true, false);
}

}  // extern "C"

int main() {
    planner_js_mark("main");
    EmscriptenWebGLContextAttributes attrs;
    emscripten_webgl_init_context_attributes(&attrs);
    attrs.majorVersion = 2;
    attrs.minorVersion = 0;
    attrs.alpha = EM_FALSE;
    attrs.antialias = EM_FALSE;
    attrs.depth = EM_FALSE;
    attrs.stencil = EM_FALSE;
    EMSCRIPTEN_WEBGL_CONTEXT_HANDLE ctx = emscripten_webgl_create_context("#canvas", &attrs);
    if (ctx <= 0) {
        std::fprintf(stderr, "WebGL 2 is not available in this browser (error %d)\n", static_cast<int>(ctx));
        return 1;
    }
    emscripten_webgl_make_context_current(ctx);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.GetClipboardTextFn = getClipboard;
    io.SetClipboardTextFn = setClipboard;
    planner::web::installInputHandlers();
    ImGui_ImplOpenGL3_Init("#version 300 es");

    planner_js_mark("gl");
    // The first frame is drawn before the workspace is opened (and, on the
    // very first start, the demo created): the page shows the app at once.
    g_app = std::make_unique<planner::ui::App>(false);
    int fbW = 0, fbH = 0;
    planner::web::updateDisplay(fbW, fbH);
    g_app->buildFonts(planner::web::devicePixelRatio());
    planner_js_mark("fonts");
    emscripten_set_main_loop(frame, 0, false);
    return 0;
}
