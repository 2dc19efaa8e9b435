// Native implementation of the platform interface (app/platform/platform.hpp):
// files go to ./exports, data lives under $XDG_DATA_HOME/change-planner, files
// open through the desktop's file chooser or by dropping them on the window
// (native/native_host.hpp), and one instance at a time writes workspaces.
#include "platform/platform.hpp"

#include <imgui.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "native/native_host.hpp"
#include "native/platform_native.hpp"

namespace planner::platform {
namespace {
OpenFileCallback g_dropHandler;
OpenFileCallback g_pickHandler;
native::FileChooser g_chooser;
std::string g_notice;
float g_contentScale = 1.0f;
}  // namespace

std::string saveFile(const std::string& fileName, const std::string&, std::string_view bytes) {
    std::filesystem::create_directories("exports");
    const std::string path = "exports/" + fileName;
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
}

void requestOpenFile(const std::string& accept, OpenFileCallback callback) {
    if (auto st = g_chooser.start(accept); !st) {
        g_notice = st.error().message + ".";
        return;
    }
    g_pickHandler = std::move(callback);
}

void setDropHandler(OpenFileCallback callback) { g_dropHandler = std::move(callback); }

void setClipboardText(const std::string& text) { ImGui::SetClipboardText(text.c_str()); }

std::string getClipboardText() {
    const char* t = ImGui::GetClipboardText();
    return t ? t : "";
}

void requestPersist(std::function<void(bool, std::string)> onDone) { onDone(true, ""); }

std::string dataDirectory() {
    const char* xdg = std::getenv("XDG_DATA_HOME");
    const char* home = std::getenv("HOME");
    std::string base = xdg ? xdg : (home ? std::string(home) + "/.local/share" : ".");
    std::filesystem::create_directories(base + "/change-planner");
    return base + "/change-planner";
}

bool workspaceLockedElsewhere() {
    // Taken on first use and held until the process ends.
    static const auto lock = std::make_unique<native::InstanceLock>(dataDirectory());
    return !lock->held();
}

std::int64_t nowUtc() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

double monotonicSeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

float dpiScale() { return g_contentScale; }

void openUrl(const std::string& url) {
    const std::string cmd = "xdg-open '" + url + "' >/dev/null 2>&1 &";
    (void)std::system(cmd.c_str());
}

std::string takeHostNotice() { return std::exchange(g_notice, std::string()); }

std::string hostDescription() { return "native window (GLFW, OpenGL 3)"; }

namespace native {

void setContentScale(float scale) { g_contentScale = scale > 0 ? scale : 1.0f; }

void deliverDrop(const std::vector<std::string>& paths) {
    DropResult dropped = readDroppedPaths(paths);
    if (!dropped.problems.empty()) g_notice = "Not opened: " + dropped.problems.front();
    for (OpenedFile& f : dropped.files) {
        if (g_dropHandler) g_dropHandler(std::move(f));
    }
}

void pumpEvents() {
    auto chosen = g_chooser.poll();
    if (!chosen || chosen->empty()) return;  // still open, or cancelled
    OpenFileCallback handler = std::move(g_pickHandler);
    g_pickHandler = nullptr;
    auto file = readPickedFile(*chosen);
    if (!file) {
        g_notice = "Not opened: " + file.error().toString();
    } else if (handler) {
        handler(std::move(*file));
    }
}

}  // namespace native
}  // namespace planner::platform
