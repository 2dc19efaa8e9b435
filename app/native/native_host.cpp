#include "native/native_host.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace planner::platform::native {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> onPath(const std::string& program) {
    const char* path = std::getenv("PATH");
    if (!path) return std::nullopt;
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty()) continue;
        const fs::path candidate = fs::path(dir) / program;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    return std::nullopt;
}

// ".csv,.json" -> {"*.csv", "*.json"}
std::vector<std::string> patterns(const std::string& accept) {
    std::vector<std::string> out;
    std::stringstream in(accept);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto b = item.find_first_not_of(' ');
        if (b == std::string::npos) continue;
        item = item.substr(b, item.find_last_not_of(' ') - b + 1);
        if (item.empty() || item.find_first_of("'\"\\ |*?") != std::string::npos) continue;
        out.push_back(item.front() == '.' ? "*" + item : item);
    }
    return out;
}

}  // namespace

core::Result<OpenedFile> readPickedFile(const std::string& path, std::uintmax_t maxBytes) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) return core::Error{"no such file", path, 0, 0};
    if (!fs::is_regular_file(status)) return core::Error{"not a regular file", path, 0, 0};
    const auto size = fs::file_size(path, ec);
    if (ec) return core::Error{"cannot read its size: " + ec.message(), path, 0, 0};
    if (size > maxBytes) {
        return core::Error{"the file is " + std::to_string(size) + " bytes; at most " + std::to_string(maxBytes) +
                               " are opened",
                           path, 0, 0};
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::Error{"cannot open it for reading", path, 0, 0};
    OpenedFile file;
    file.name = fs::path(path).filename().string();
    file.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) return core::Error{"read error", path, 0, 0};
    if (file.bytes.size() > maxBytes) return core::Error{"the file grew past the limit while it was read", path, 0, 0};
    return file;
}

DropResult readDroppedPaths(const std::vector<std::string>& paths, std::uintmax_t maxBytes) {
    DropResult out;
    for (const std::string& p : paths) {
        auto file = readPickedFile(p, maxBytes);
        if (file) {
            out.files.push_back(std::move(*file));
        } else {
            out.problems.push_back(file.error().toString());
        }
    }
    return out;
}

std::vector<std::string> fileChooserCommand(const std::string& accept) {
    const std::vector<std::string> globs = patterns(accept);
    if (const char* custom = std::getenv("PLANNER_FILE_CHOOSER"); custom && *custom) {
        std::vector<std::string> cmd{custom};
        cmd.insert(cmd.end(), globs.begin(), globs.end());
        return cmd;
    }
    if (auto zenity = onPath("zenity")) {
        std::vector<std::string> cmd{*zenity, "--file-selection", "--title=Open a file"};
        if (!globs.empty()) {
            std::string filter = "--file-filter=Accepted files |";
            for (const auto& g : globs) filter += " " + g;
            cmd.push_back(filter);
        }
        return cmd;
    }
    if (auto kdialog = onPath("kdialog")) {
        std::string filter;
        for (const auto& g : globs) filter += (filter.empty() ? "" : " ") + g;
        return {*kdialog, "--getopenfilename", ".", filter.empty() ? "*" : filter};
    }
    return {};
}

FileChooser::~FileChooser() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        ::waitpid(m_pid, nullptr, 0);
    }
    if (m_fd >= 0) ::close(m_fd);
}

core::Status FileChooser::start(const std::string& accept) {
    if (m_pid > 0) return core::Error{"a file chooser is already open"};
    const std::vector<std::string> cmd = fileChooserCommand(accept);
    if (cmd.empty()) {
        return core::Error{"no file chooser found: install the Debian package zenity (or kdialog), or drop the file "
                           "onto the window"};
    }
    int pipeFds[2];
    if (::pipe(pipeFds) != 0) return core::Error{std::string("cannot start the file chooser: ") + std::strerror(errno)};
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(pipeFds[0]);
        ::close(pipeFds[1]);
        return core::Error{std::string("cannot start the file chooser: ") + std::strerror(errno)};
    }
    if (pid == 0) {
        ::dup2(pipeFds[1], STDOUT_FILENO);
        ::close(pipeFds[0]);
        ::close(pipeFds[1]);
        std::vector<char*> argv;
        for (const auto& a : cmd) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(pipeFds[1]);
    ::fcntl(pipeFds[0], F_SETFL, ::fcntl(pipeFds[0], F_GETFL) | O_NONBLOCK);
    m_pid = pid;
    m_fd = pipeFds[0];
    m_output.clear();
    return core::okStatus();
}

std::optional<std::string> FileChooser::poll() {
    if (m_pid <= 0) return std::nullopt;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(m_fd, buf, sizeof buf)) > 0) {
        if (m_output.size() < 65536) m_output.append(buf, static_cast<std::size_t>(n));
    }
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) != m_pid) return std::nullopt;
    while ((n = ::read(m_fd, buf, sizeof buf)) > 0) {
        if (m_output.size() < 65536) m_output.append(buf, static_cast<std::size_t>(n));
    }
    ::close(m_fd);
    m_fd = -1;
    m_pid = -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::string();  // cancelled or failed
    std::string path = m_output.substr(0, m_output.find('\n'));
    return path;
}

InstanceLock::InstanceLock(const std::string& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    const std::string path = (fs::path(dir) / ".instance.lock").string();
    m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0) return;
    m_held = ::flock(m_fd, LOCK_EX | LOCK_NB) == 0;
}

InstanceLock::~InstanceLock() {
    if (m_fd >= 0) ::close(m_fd);  // closing releases the lock
}

}  // namespace planner::platform::native
