// Browser implementation of the platform interface (app/platform/platform.hpp).
// The JavaScript side lives in web/planner_glue.js.
#include "platform/platform.hpp"

#include <emscripten.h>
#include <emscripten/html5.h>

#include <chrono>
#include <map>

extern "C" {
void planner_js_save_file(const char* name, const char* mime, const char* data, int size);
void planner_js_open_file(const char* accept, int requestId);
void planner_js_set_clipboard(const char* text);
void planner_js_persist(int requestId);
void planner_js_open_url(const char* url);
char* planner_js_host_description();
int planner_js_locked_elsewhere();
}

namespace planner::platform {
namespace {
std::map<int, OpenFileCallback> g_openRequests;
std::map<int, std::function<void(bool, std::string)>> g_persistRequests;
OpenFileCallback g_dropHandler;
int g_nextRequest = 1;
std::string g_clipboardCache;
}  // namespace

std::string saveFile(const std::string& fileName, const std::string& mimeType, std::string_view bytes) {
    planner_js_save_file(fileName.c_str(), mimeType.c_str(), bytes.data(), static_cast<int>(bytes.size()));
    return "Downloads/" + fileName;
}

void requestOpenFile(const std::string& accept, OpenFileCallback callback) {
    const int id = g_nextRequest++;
    g_openRequests[id] = std::move(callback);
    planner_js_open_file(accept.c_str(), id);
}

void setDropHandler(OpenFileCallback callback) { g_dropHandler = std::move(callback); }

void setClipboardText(const std::string& text) {
    g_clipboardCache = text;
    planner_js_set_clipboard(text.c_str());
}

std::string getClipboardText() { return g_clipboardCache; }

void requestPersist(std::function<void(bool, std::string)> onDone) {
    const int id = g_nextRequest++;
    g_persistRequests[id] = std::move(onDone);
    planner_js_persist(id);
}

std::string dataDirectory() { return "/data"; }

bool workspaceLockedElsewhere() { return planner_js_locked_elsewhere() != 0; }

std::int64_t nowUtc() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

double monotonicSeconds() { return emscripten_get_now() / 1000.0; }

float dpiScale() { return static_cast<float>(emscripten_get_device_pixel_ratio()); }

void openUrl(const std::string& url) { planner_js_open_url(url.c_str()); }

// The browser reports file problems in the page itself (the input element).
std::string takeHostNotice() { return {}; }

std::string hostDescription() {
    char* s = planner_js_host_description();
    std::string out = s ? s : "browser";
    free(s);
    return out;
}

}  // namespace planner::platform

// ---- Completion callbacks the JS glue calls (exported) ----------------------------
extern "C" {

EMSCRIPTEN_KEEPALIVE void planner_file_opened(int requestId, const char* name, const char* data, int size) {
    using namespace planner::platform;
    OpenedFile file{name ? name : "", std::string(data, static_cast<std::size_t>(size))};
    if (requestId == 0) {
        if (g_dropHandler) g_dropHandler(std::move(file));
        return;
    }
    auto it = g_openRequests.find(requestId);
    if (it == g_openRequests.end()) return;
    auto cb = std::move(it->second);
    g_openRequests.erase(it);
    cb(std::move(file));
}

EMSCRIPTEN_KEEPALIVE void planner_persist_done(int requestId, int ok, const char* message) {
    using namespace planner::platform;
    auto it = g_persistRequests.find(requestId);
    if (it == g_persistRequests.end()) return;
    auto cb = std::move(it->second);
    g_persistRequests.erase(it);
    cb(ok != 0, message ? message : "");
}

}  // extern "C"
