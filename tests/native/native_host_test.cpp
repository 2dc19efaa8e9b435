// The native window's host logic, headless: files dropped or picked, the
// desktop file chooser run as a child process, and the one-instance lock.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "native/native_host.hpp"

namespace fs = std::filesystem;
using namespace planner::platform;
using namespace planner::platform::native;

namespace {

fs::path freshDir(const std::string& name) {
    const char* base = std::getenv("PLANNER_TEST_TMP");
    fs::path dir = fs::path(base ? base : "/tmp") / ("native-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

void writeFile(const fs::path& p, const std::string& text, bool executable = false) {
    std::ofstream(p, std::ios::binary) << text;
    if (executable) fs::permissions(p, fs::perms::owner_all);
}

// Sets an environment variable for the scope of one test.
struct ScopedEnv {
    std::string name;
    std::optional<std::string> old;
    ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) {
        if (const char* v = std::getenv(name.c_str())) old = v;
        ::setenv(name.c_str(), value.c_str(), 1);
    }
    ~ScopedEnv() {
        if (old) {
            ::setenv(name.c_str(), old->c_str(), 1);
        } else {
            ::unsetenv(name.c_str());
        }
    }
};

std::optional<std::string> waitForChoice(FileChooser& chooser) {
    for (int i = 0; i < 500; ++i) {
        if (auto r = chooser.poll()) return r;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
}

}  // namespace

TEST(NativeFiles, DroppedFilesAreReadAndRefusalsNameThePath) {
    const fs::path dir = freshDir("drop");
    writeFile(dir / "cis.csv", "id,name\nA,Alpha\n");
    fs::create_directories(dir / "folder");
    writeFile(dir / "big.json", std::string(2048, 'x'));
    DropResult r = readDroppedPaths(
        {(dir / "cis.csv").string(), (dir / "folder").string(), (dir / "missing.ics").string(), (dir / "big.json").string()},
        1024);
    ASSERT_EQ(r.files.size(), 1u);
    EXPECT_EQ(r.files[0].name, "cis.csv");
    EXPECT_EQ(r.files[0].bytes, "id,name\nA,Alpha\n");
    ASSERT_EQ(r.problems.size(), 3u);
    EXPECT_NE(r.problems[0].find("folder"), std::string::npos);
    EXPECT_NE(r.problems[0].find("not a regular file"), std::string::npos) << r.problems[0];
    EXPECT_NE(r.problems[1].find("missing.ics"), std::string::npos);
    EXPECT_NE(r.problems[2].find("2048 bytes; at most 1024"), std::string::npos) << r.problems[2];
}

TEST(NativeFiles, ChooserCommandFollowsWhatIsInstalled) {
    const fs::path dir = freshDir("which");
    {
        ScopedEnv path("PATH", dir.string());
        ScopedEnv none("PLANNER_FILE_CHOOSER", "");
        EXPECT_TRUE(fileChooserCommand(".csv").empty()) << "no chooser on PATH";
        writeFile(dir / "kdialog", "#!/bin/sh\n", true);
        auto kd = fileChooserCommand(".csv,.json");
        ASSERT_EQ(kd.size(), 4u);
        EXPECT_EQ(kd[0], (dir / "kdialog").string());
        EXPECT_EQ(kd[3], "*.csv *.json");
        writeFile(dir / "zenity", "#!/bin/sh\n", true);
        auto z = fileChooserCommand(".zip, .json");
        ASSERT_GE(z.size(), 3u);
        EXPECT_EQ(z[0], (dir / "zenity").string()) << "zenity is preferred";
        EXPECT_EQ(z.back(), "--file-filter=Accepted files | *.zip *.json");
        // Patterns that could escape a shell or a filter are dropped.
        EXPECT_EQ(fileChooserCommand(".csv,*.x;rm,a b").back(), "--file-filter=Accepted files | *.csv");
    }
    ScopedEnv custom("PLANNER_FILE_CHOOSER", "/opt/pick");
    auto c = fileChooserCommand(".ics");
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0], "/opt/pick");
    EXPECT_EQ(c[1], "*.ics");
}

TEST(NativeFiles, ChooserRunsWithoutBlockingAndReportsPickOrCancel) {
    const fs::path dir = freshDir("chooser");
    writeFile(dir / "plan.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    writeFile(dir / "pick.sh", "#!/bin/sh\nsleep 0.2\necho \"" + (dir / "plan.ics").string() + "\"\n", true);
    writeFile(dir / "cancel.sh", "#!/bin/sh\nexit 1\n", true);
    {
        ScopedEnv env("PLANNER_FILE_CHOOSER", (dir / "pick.sh").string());
        FileChooser chooser;
        ASSERT_TRUE(chooser.start(".ics").ok());
        EXPECT_TRUE(chooser.running());
        EXPECT_FALSE(chooser.poll().has_value()) << "the script is still sleeping: poll returns at once";
        EXPECT_FALSE(chooser.start(".ics").ok()) << "one chooser at a time";
        auto chosen = waitForChoice(chooser);
        ASSERT_TRUE(chosen.has_value());
        EXPECT_EQ(*chosen, (dir / "plan.ics").string());
        EXPECT_FALSE(chooser.running());
        auto file = readPickedFile(*chosen);
        ASSERT_TRUE(file.ok());
        EXPECT_EQ(file->name, "plan.ics");
    }
    {
        ScopedEnv env("PLANNER_FILE_CHOOSER", (dir / "cancel.sh").string());
        FileChooser chooser;
        ASSERT_TRUE(chooser.start(".ics").ok());
        auto chosen = waitForChoice(chooser);
        ASSERT_TRUE(chosen.has_value());
        EXPECT_EQ(*chosen, "") << "a cancelled chooser picks nothing";
    }
    ScopedEnv path("PATH", dir.string());
    ScopedEnv none("PLANNER_FILE_CHOOSER", "");
    FileChooser missing;
    auto st = missing.start(".ics");
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("zenity"), std::string::npos);
    EXPECT_NE(st.error().message.find("drop the file"), std::string::npos);
}

TEST(NativeInstance, OnlyTheFirstInstanceHoldsTheLock) {
    const fs::path dir = freshDir("lock");
    auto first = std::make_unique<InstanceLock>(dir.string());
    EXPECT_TRUE(first->held());
    // Another process (a second planner-gui) does not get it.
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        InstanceLock second(dir.string());
        ::_exit(second.held() ? 1 : 0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "the second instance saw the lock held";
    // Once the first one ends, the next instance gets it.
    first.reset();
    InstanceLock next(dir.string());
    EXPECT_TRUE(next.held());
}
