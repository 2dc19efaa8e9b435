// The parts of the native window's host that need no window: reading a file
// the user dropped or picked, running the desktop's file chooser without
// blocking the frame loop, and the lock that keeps a second instance from
// writing the same workspaces. GLFW and ImGui stay in main_glfw.cpp and
// platform_native.cpp; this file is tested headless (tests/native).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/platform.hpp"
#include "util/result.hpp"

namespace planner::platform::native {

// Largest file the window opens (the browser build's limit too: a wasm heap is 2 GB).
inline constexpr std::uintmax_t kMaxOpenBytes = 1024ull * 1024 * 1024;

// The file at `path` as an OpenedFile named by its last component. Refuses
// what is not a regular file, is unreadable, or is larger than `maxBytes`,
// naming the path.
core::Result<OpenedFile> readPickedFile(const std::string& path, std::uintmax_t maxBytes = kMaxOpenBytes);

// GLFW's drop callback hands paths; each readable one becomes an OpenedFile,
// each refusal a message ("name: why").
struct DropResult {
    std::vector<OpenedFile> files;
    std::vector<std::string> problems;
};
DropResult readDroppedPaths(const std::vector<std::string>& paths, std::uintmax_t maxBytes = kMaxOpenBytes);

// The chooser's command line for `accept` (".csv,.json"): $PLANNER_FILE_CHOOSER
// (a program printing the chosen path) when set, else zenity, else kdialog, the
// first found on $PATH; empty when there is none.
std::vector<std::string> fileChooserCommand(const std::string& accept);

// One file chooser process at a time, polled from the frame loop: start()
// forks it; poll() returns the chosen path once it has exited ("" when the
// user cancelled), or nothing while it runs.
class FileChooser {
public:
    FileChooser() = default;
    ~FileChooser();
    FileChooser(const FileChooser&) = delete;
    FileChooser& operator=(const FileChooser&) = delete;

    // Fails when a chooser is already open or none is installed (the message
    // says which package to install, and that dropping a file works anyway).
    core::Status start(const std::string& accept);
    std::optional<std::string> poll();
    bool running() const { return m_pid > 0; }

private:
    pid_t m_pid = -1;
    int m_fd = -1;
    std::string m_output;
};

// An advisory lock (flock) on `dir`/.instance.lock, held while the object
// lives: the first instance gets it; a second one sees held() == false and
// must open workspaces read-only.
class InstanceLock {
public:
    explicit InstanceLock(const std::string& dir);
    ~InstanceLock();
    InstanceLock(const InstanceLock&) = delete;
    InstanceLock& operator=(const InstanceLock&) = delete;
    bool held() const { return m_held; }

private:
    int m_fd = -1;
    bool m_held = false;
};

}  // namespace planner::platform::native
