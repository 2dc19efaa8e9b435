// The platform interface: everything the UI needs from the host (browser or
// native window). One implementation file per platform, chosen by CMake:
// wasm/platform_web.cpp and app/native/platform_native.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace planner::platform {

// Offers `bytes` to the user as a file named `fileName` (a download in the
// browser, a file in the export folder natively). Returns where it went.
std::string saveFile(const std::string& fileName, const std::string& mimeType, std::string_view bytes);

// A file the user picked or dropped: its name and whole content.
struct OpenedFile {
    std::string name;
    std::string bytes;
};
using OpenFileCallback = std::function<void(OpenedFile)>;

// Asks the user for a file (`accept` like ".csv,.json"); the callback runs on
// a later frame, or never if the user cancels. Dropped files use the same callback.
void requestOpenFile(const std::string& accept, OpenFileCallback callback);
void setDropHandler(OpenFileCallback callback);

// System clipboard. getClipboardText returns the last text the host made known
// (the browser only reveals it on a paste event).
void setClipboardText(const std::string& text);
std::string getClipboardText();

// Persistence: asks the host to flush the files under dataDirectory() to
// durable storage. Bursts coalesce; `onDone(ok, message)` reports the result.
void requestPersist(std::function<void(bool, std::string)> onDone);
std::string dataDirectory();

// True when another tab or process already holds the workspace for writing:
// the app must then open it read-only and say so.
bool workspaceLockedElsewhere();

// Wall clock as UTC seconds, and a monotonic clock in seconds for animation.
std::int64_t nowUtc();
double monotonicSeconds();

// Device pixels per CSS/logical pixel (2 on most HiDPI screens).
float dpiScale();

// Opens a URL in a new tab or the system browser.
void openUrl(const std::string& url);

// A message from the host for the status bar ("" when none), taken once: a
// dropped file that could not be read, no file chooser installed.
std::string takeHostNotice();

// Name of the host ("browser", "native") and its details for the About box.
std::string hostDescription();

}  // namespace planner::platform
