#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "bundle/zip.hpp"
#include "crypto/hash.hpp"
#include "session/audit_anchor.hpp"
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

TEST(WorkspaceBackup, BackupCarriesItsAuditAnchorAndRestoreChecksIt) {
    const std::string dir = freshDir("anchor");
    std::string zip;
    store::AuditAnchor head;
    {
        auto s = Session::open(dir, "demo", "tester", 1795000000, true, false);
        ASSERT_TRUE(s.ok()) << s.error().toString();
        const std::string id = (*s)->data().changes.back().id;
        ASSERT_TRUE((*s)->execute(command::SetChangeField{id, "title", (*s)->data().changes.back().title, "X", 1}).ok());
        head = *(*s)->workspace().auditHead();
        ASSERT_GT(head.seq, 0);
        zip = *backupZip((*s)->workspace(), dir + "/scratch");
    }
    auto files = bundle::readZip(zip);
    ASSERT_TRUE(files.ok());
    auto anchor = parseAuditAnchor(files->at(kAuditAnchorEntry), "backup");
    ASSERT_TRUE(anchor.ok()) << anchor.error().toString();
    EXPECT_EQ(anchor->seq, head.seq);
    EXPECT_EQ(anchor->hash, head.hash);
    auto fromZip = readAuditAnchor(zip, "demo-backup.zip");
    ASSERT_TRUE(fromZip.ok()) << fromZip.error().toString();
    EXPECT_EQ(fromZip->hash, head.hash);

    // A backup whose anchor does not match its own trail (edited after the fact) is refused.
    store::AuditAnchor wrong = head;
    wrong.seq = head.seq + 3;
    wrong.hash = std::string(64, 'a');
    (*files)[kAuditAnchorEntry] = auditAnchorJson(wrong, "demo");
    auto tampered = restoreBackup(dir, "tampered", *bundle::writeZip(*files), "t.zip", dir + "/scratch");
    ASSERT_FALSE(tampered.ok());
    EXPECT_EQ(tampered.error().file, "t.zip");
    EXPECT_NE(tampered.error().message.find("cut from the end"), std::string::npos) << tampered.error().message;
    EXPECT_EQ(*store::listWorkspaces(dir), std::vector<std::string>{"demo"}) << "nothing is left behind";

    // A JSON restore starts a new chain that says where it came from.
    ASSERT_TRUE(restoreBackup(dir, "fromjson", files->at(kBackupJsonEntry), "w.json", dir + "/scratch").ok());
    auto restored = store::Workspace::open(dir, "fromjson");
    ASSERT_TRUE(restored.ok());
    auto rows = *restored->auditRows();
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows.front().kind, "restore-json");
    EXPECT_NE(rows.front().payload.find("\"source\":\"w.json\""), std::string::npos) << rows.front().payload;
    EXPECT_NE(rows.front().payload.find(sha256Hex(files->at(kBackupJsonEntry))), std::string::npos);
}

TEST(AuditAnchorFiles, BadAnchorsAreRefusedNamingTheSource) {
    EXPECT_TRUE(readAuditAnchor("12:" + std::string(64, 'c'), "--anchor").ok());
    for (const std::string bad : {std::string("12:") + std::string(63, 'c'), std::string("x:") + std::string(64, 'c'),
                                  std::string("0:") + std::string(64, 'c'), std::string("3:") + std::string(64, '0'),
                                  std::string("{\"format\":\"planner-audit-anchor\",\"version\":2,\"seq\":1,\"hash\":\"") +
                                      std::string(64, 'c') + "\"}",
                                  std::string("{\"format\":\"other\"}"), std::string(5000, '['),
                                  std::string("-1:") + std::string(64, 'c')}) {
        auto r = readAuditAnchor(bad, "anchor.txt");
        EXPECT_FALSE(r.ok()) << bad.substr(0, 40);
        if (!r.ok()) EXPECT_EQ(r.error().file, "anchor.txt");
    }
}
