// Shared helpers for the crypto and bundle tests: scratch files and running
// the reference tools (minisign, ssh-keygen) natively.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace planner::core::testing {

inline std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void writeFile(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

inline std::string dataFile(const std::string& name) {
    return readFile(std::filesystem::path(PLANNER_TEST_DATA_DIR) / "crypto" / name);
}

// A fresh empty directory under PLANNER_TEST_TMP (or the system temp dir) named after the running test.
inline std::filesystem::path scratchDir() {
    const char* env = std::getenv("PLANNER_TEST_TMP");
    std::filesystem::path base = env && *env ? env : std::filesystem::temp_directory_path() / "planner-test-tmp";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::filesystem::path dir = base / "crypto" / (std::string(info->test_suite_name()) + "." + info->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

#ifndef __EMSCRIPTEN__
struct CommandResult {
    int exitCode = -1;
    std::string output;  // stdout and stderr together
};

// Runs `command` through the shell, capturing its output.
inline CommandResult runCommand(const std::string& command) {
    CommandResult result;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return result;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) result.output.append(buf, n);
    const int status = ::pclose(pipe);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

inline std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

// The reference tools are declared dependencies of the test suite: their absence is a failure.
#define PLANNER_REQUIRE_TOOL(path)                                                                   \
    do {                                                                                             \
        if (!std::filesystem::exists(path)) {                                                        \
            FAIL() << path << " is missing: install the Debian package that provides it (minisign, " \
                   << "openssh-client, unzip); it is a declared test dependency";                    \
        }                                                                                            \
    } while (0)
#endif

}  // namespace planner::core::testing
