#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "bundle/zip.hpp"
#include "session/session.hpp"
#include "session/workspace_backup.hpp"
#include "store/workspace_files.hpp"

using namespace planner::core;

namespace {

std::string freshDir(const std::string& name) {
    const char* base = std::getenv("PLANNER_TEST_TMP");
    std::filesystem::path dir = std::filesystem::path(base ? base : "/tmp") / ("backup-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

}  // namespace

TEST(WorkspaceBackup, ZipRestoresAsANewWorkspaceWithTheSameData) {
    const std::string dir = freshDir("zip");
    std::string zip;
    WorkspaceData original;
    {
        auto s = Session::open(dir, "demo", "tester", 1795000000, true, false);
        ASSERT_TRUE(s.ok()) << s.error().toString();
        const std::string id = (*s)->data().changes.back().id;
        ASSERT_TRUE(
            (*s)->execute(command::SetChangeField{id, "title", (*s)->data().changes.back().title, "Backed up", 1})
                .ok());
        original = (*s)->data();
        auto z = backupZip((*s)->workspace(), dir + "/scratch");
        ASSERT_TRUE(z.ok()) << z.error().toString();
        zip = *z;
    }
    auto files = bundle::readZip(zip);
    ASSERT_TRUE(files.ok());
    EXPECT_EQ(files->count(kBackupMainEntry), 1u);
    EXPECT_EQ(files->count(kBackupJsonEntry), 1u);

    ASSERT_TRUE(restoreBackup(dir, "copy", zip, "demo-backup.zip", dir + "/scratch").ok());
    auto copy = Session::open(dir, "copy", "tester", 1795000000, false, false);
    ASSERT_TRUE(copy.ok()) << copy.error().toString();
    EXPECT_EQ((*copy)->data().changes, original.changes);
    EXPECT_EQ((*copy)->data().cis.size(), original.cis.size());

    // The JSON export restores too.
    ASSERT_TRUE(restoreBackup(dir, "fromjson", files->at(kBackupJsonEntry), "w.json", dir + "/scratch").ok());
    auto fromJson = Session::open(dir, "fromjson", "tester", 1795000000, false, false);
    ASSERT_TRUE(fromJson.ok()) << fromJson.error().toString();
    EXPECT_EQ((*fromJson)->data().changes, original.changes);
}

TEST(WorkspaceBackup, BadUploadsAreRefusedAndCreateNothing) {
    const std::string dir = freshDir("bad");
    { ASSERT_TRUE(Session::open(dir, "demo", "tester", 1795000000, true, false).ok()); }
    auto before = store::listWorkspaces(dir);
    ASSERT_TRUE(before.ok());

    auto exists = restoreBackup(dir, "demo", "{}", "x.json", dir + "/scratch");
    ASSERT_FALSE(exists.ok());
    EXPECT_NE(exists.error().message.find("exists already"), std::string::npos);

    auto notZip = restoreBackup(dir, "other", "not a zip", "x.zip", dir + "/scratch");
    ASSERT_FALSE(notZip.ok());
    EXPECT_EQ(notZip.error().file, "x.zip");

    auto z = bundle::writeZip({{"hello.txt", "hi"}});
    ASSERT_TRUE(z.ok());
    auto wrongZip = restoreBackup(dir, "other", *z, "x.zip", dir + "/scratch");
    ASSERT_FALSE(wrongZip.ok());
    EXPECT_NE(wrongZip.error().message.find("not a workspace backup"), std::string::npos);

    auto corrupt = bundle::writeZip({{kBackupMainEntry, "garbage"}, {kBackupCmdbEntry, "garbage"}});
    ASSERT_TRUE(corrupt.ok());
    EXPECT_FALSE(restoreBackup(dir, "other", *corrupt, "x.zip", dir + "/scratch").ok());

    EXPECT_FALSE(restoreBackup(dir, "other", "{", "x.json", dir + "/scratch").ok());
    EXPECT_FALSE(restoreBackup(dir, "other", "x", "x.txt", dir + "/scratch").ok());

    auto after = store::listWorkspaces(dir);
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(*after, *before) << "no failed restore leaves a workspace behind";
}
