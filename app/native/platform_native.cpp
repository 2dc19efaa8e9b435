// Native implementation of the platform interface (app/platform/platform.hpp):
// files go to ./exports, data lives under $XDG_DATA_HOME/change-planner.
#include "platform/platform.hpp"

#include <imgui.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace planner::platform {
namespace {
OpenFileCallback g_dropHandler;
}

std::string saveFile(const std::string& fileName, const std::string&, std::string_view bytes) {
    std::filesystem::create_directories("exports");
    const std::string path = "exports/" + fileName;
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
}

void requestOpenFile(const std::string&, OpenFileCallback) {
    // Native development builds open files by dropping them on the window.
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

bool workspaceLockedElsewhere() { return false; }

std::int64_t nowUtc() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

double monotonicSeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

float dpiScale() { return 1.0f; }

void openUrl(const std::string& url) {
    const std::string cmd = "xdg-open '" + url + "' >/dev/null 2>&1 &";
    (void)std::system(cmd.c_str());
}

std::string hostDescription() { return "native window (GLFW, OpenGL 3)"; }

}  // namespace planner::platform
