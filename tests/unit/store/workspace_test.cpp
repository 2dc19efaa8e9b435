#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "store/workspace.hpp"
#include "store/workspace_files.hpp"
#include "store_test_support.hpp"

using namespace planner::core;
using namespace planner::core::store;
using namespace planner::core::testing;

namespace {

std::string querySingle(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
        out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

Workspace makeFilled(const std::string& dir, const std::string& name = "ws") {
    auto ws = Workspace::create(dir, name);
    EXPECT_TRUE(ws.ok()) << ws.error().toString();
    EXPECT_TRUE(ws->putChange(sampleChange("C1")).ok());
    EXPECT_TRUE(ws->putWindow(sampleWindow()).ok());
    EXPECT_TRUE(ws->putPerson(samplePerson()).ok());
    EXPECT_TRUE(ws->putSetting("theme", "dark").ok());
    EXPECT_TRUE(ws->writeCmdb({sampleCi("a"), sampleCi("b"), sampleCi("c")},
                              {{"a", "b", "depends_on"}, {"b", "c", "runs_on"}}, CmdbWriteMode::Replace)
                    .ok());
    return std::move(*ws);
}

// Raw connection to a main file for tampering, bypassing the append-only triggers.
sqlite3* rawOpen(const std::string& path) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;", nullptr,
                 nullptr, nullptr);
    return db;
}

}  // namespace

TEST(Workspace, CreateOpenAndReadBack) {
    const auto dir = freshDir("create");
    {
        auto ws = makeFilled(dir);
        EXPECT_EQ(ws.schemaVersion(), kMainSchemaVersion);
        EXPECT_EQ(ws.cmdbSchemaVersion(), kCmdbSchemaVersion);
    }
    auto ws = Workspace::open(dir, "ws");
    ASSERT_TRUE(ws.ok()) << ws.error().toString();
    auto c = ws->findChange("C1");
    ASSERT_TRUE(c.ok() && c->has_value());
    EXPECT_EQ(**c, sampleChange("C1"));
    auto ci = ws->findCi("a");
    ASSERT_TRUE(ci.ok() && ci->has_value());
    EXPECT_EQ(**ci, sampleCi("a"));
    auto counts = ws->cmdbCounts();
    EXPECT_EQ(counts->cis, 3);
    EXPECT_EQ(counts->relationships, 2);
    EXPECT_EQ(*ws->setting("theme"), std::optional<std::string>("dark"));
    EXPECT_EQ(querySingle(ws->handle(), "PRAGMA main.journal_mode"), "delete");
    EXPECT_EQ(querySingle(ws->handle(), "PRAGMA foreign_keys"), "1");
    EXPECT_EQ(*ws->integrityCheck(), "ok");
    EXPECT_FALSE(Workspace::create(dir, "ws").ok());
    EXPECT_FALSE(Workspace::open(dir, "missing").ok());
}

TEST(Workspace, EditOfAChangeDirtiesOnlyTheMainFile) {
    const auto dir = freshDir("dirty");
    auto ws = makeFilled(dir);
    std::vector<DirtyFiles> seen;
    ws.setCommitListener([&](const DirtyFiles& d) { seen.push_back(d); });
    const auto cmdbTime = std::filesystem::last_write_time(ws.cmdbPath());
    const auto cmdbSize = std::filesystem::file_size(ws.cmdbPath());
    ChangeRequest c = sampleChange("C1");
    c.title = "edited";
    ASSERT_TRUE(ws.putChange(c).ok());
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], (DirtyFiles{true, false}));
    EXPECT_EQ(std::filesystem::last_write_time(ws.cmdbPath()), cmdbTime);
    EXPECT_EQ(std::filesystem::file_size(ws.cmdbPath()), cmdbSize);
    ASSERT_TRUE(ws.putCi(sampleCi("d")).ok());
    EXPECT_EQ(seen.back(), (DirtyFiles{false, true}));
}

TEST(Workspace, FailedTransactionChangesNothing) {
    const auto dir = freshDir("rollback");
    auto ws = makeFilled(dir);
    auto before = ws.snapshot();
    Status st = ws.transaction([&]() -> Status {
        ChangeRequest c = sampleChange("C2");
        if (auto s = ws.putChange(c); !s) return s;
        return ws.putRelationship({"a", "nonexistent", "depends_on"});  // foreign key violation
    });
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(*ws.snapshot(), *before);
}

TEST(Workspace, ListRenameDelete) {
    const auto dir = freshDir("files");
    { makeFilled(dir, "alpha"); }
    { makeFilled(dir, "beta"); }
    EXPECT_EQ(*listWorkspaces(dir), (std::vector<std::string>{"alpha", "beta"}));
    EXPECT_FALSE(renameWorkspace(dir, "alpha", "beta").ok());
    ASSERT_TRUE(renameWorkspace(dir, "alpha", "gamma").ok());
    EXPECT_EQ(*listWorkspaces(dir), (std::vector<std::string>{"beta", "gamma"}));
    {
        auto ws = Workspace::open(dir, "gamma");
        ASSERT_TRUE(ws.ok()) << ws.error().toString();
        EXPECT_TRUE(ws->findChange("C1")->has_value());
    }
    ASSERT_TRUE(deleteWorkspace(dir, "beta").ok());
    EXPECT_EQ(*listWorkspaces(dir), (std::vector<std::string>{"gamma"}));
    EXPECT_FALSE(validateWorkspaceName("../evil").ok());
    EXPECT_FALSE(validateWorkspaceName("").ok());
    EXPECT_TRUE(validateWorkspaceName("Team A 2026").ok());
}

TEST(Workspace, MigratesVersionOneFilesAndKeepsData) {
    const auto dir = freshDir("migrate");
    {
        OpenOptions v1;
        v1.create = true;
        v1.mainTargetVersion = 1;
        v1.cmdbTargetVersion = 1;
        auto ws = Workspace::open(dir, "old", v1);
        ASSERT_TRUE(ws.ok()) << ws.error().toString();
        EXPECT_EQ(ws->schemaVersion(), 1);
        ASSERT_TRUE(ws->putChange(sampleChange("C1")).ok());
        ASSERT_TRUE(ws->writeCmdb({sampleCi("a"), sampleCi("b")}, {{"a", "b", "depends_on"}}, CmdbWriteMode::Replace).ok());
        ASSERT_TRUE(ws->appendAudit(100, "anna", "apply", "{}").ok());
        EXPECT_EQ(querySingle(ws->handle(), "SELECT count(*) FROM cmdb.sqlite_schema WHERE name = 'cis_name'"), "0");
    }
    auto ws = Workspace::open(dir, "old");
    ASSERT_TRUE(ws.ok()) << ws.error().toString();
    EXPECT_EQ(ws->schemaVersion(), 2);
    EXPECT_EQ(ws->cmdbSchemaVersion(), 3);
    EXPECT_EQ(**ws->findChange("C1"), sampleChange("C1"));
    EXPECT_EQ(querySingle(ws->handle(), "SELECT state FROM main.changes WHERE id = 'C1'"), "authorized");
    EXPECT_EQ(querySingle(ws->handle(), "SELECT count(*) FROM cmdb.sqlite_schema WHERE name = 'ci_tags_tag'"), "1");
    EXPECT_TRUE(ws->verifyAuditChain()->ok);
    auto found = ws->searchCis("NAME OF", "server", "pci", 10);
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(found->size(), 2u);
    // v2 makes the audit trail append-only inside the database too.
    EXPECT_NE(sqlite3_exec(ws->handle(), "DELETE FROM main.audit", nullptr, nullptr, nullptr), SQLITE_OK);
}

TEST(Workspace, MigratesVersionTwoCmdbAndDropsTheUnusedIndexes) {
    const auto dir = freshDir("migrate2");
    auto typeIndexCount = [](Workspace& ws) {
        return querySingle(ws.handle(),
                           "SELECT count(*) FROM cmdb.sqlite_schema WHERE name IN ('relationships_type', 'cis_type', 'cis_name')");
    };
    {
        OpenOptions v2;
        v2.create = true;
        v2.cmdbTargetVersion = 2;
        auto ws = Workspace::open(dir, "old", v2);
        ASSERT_TRUE(ws.ok()) << ws.error().toString();
        EXPECT_EQ(ws->cmdbSchemaVersion(), 2);
        ASSERT_TRUE(ws->writeCmdb({sampleCi("a"), sampleCi("b")}, {{"a", "b", "depends_on"}}, CmdbWriteMode::Replace).ok());
        EXPECT_EQ(typeIndexCount(*ws), "3");
    }
    auto ws = Workspace::open(dir, "old");
    ASSERT_TRUE(ws.ok()) << ws.error().toString();
    EXPECT_EQ(ws->cmdbSchemaVersion(), 3);
    EXPECT_EQ(typeIndexCount(*ws), "0");
    EXPECT_EQ(ws->relationships()->size(), 1u);
    EXPECT_EQ(ws->relationshipsOf("b")->size(), 1u);
    // A replace after the upgrade does not bring the index back.
    ASSERT_TRUE(ws->writeCmdb({sampleCi("c")}, {}, CmdbWriteMode::Replace).ok());
    EXPECT_EQ(typeIndexCount(*ws), "0");
    EXPECT_EQ(*ws->integrityCheck(), "ok");
}

TEST(Workspace, RefusesForeignAndNewerFiles) {
    const auto dir = freshDir("foreign");
    {
        std::ofstream(mainFilePath(dir, "junk"), std::ios::binary) << std::string(4096, 'x');
        std::ofstream(cmdbFilePath(dir, "junk"), std::ios::binary) << "";
    }
    auto junk = Workspace::open(dir, "junk");
    ASSERT_FALSE(junk.ok());
    EXPECT_EQ(junk.error().file, mainFilePath(dir, "junk"));
    {
        sqlite3* db = nullptr;
        sqlite3_open(mainFilePath(dir, "other").c_str(), &db);
        sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
        sqlite3_close(db);
        std::ofstream(cmdbFilePath(dir, "other"), std::ios::binary) << "";
    }
    auto other = Workspace::open(dir, "other");
    ASSERT_FALSE(other.ok());
    EXPECT_NE(other.error().message.find("not a change planner workspace"), std::string::npos);
    { makeFilled(dir, "newer"); }
    {
        sqlite3* db = nullptr;
        sqlite3_open(mainFilePath(dir, "newer").c_str(), &db);
        sqlite3_exec(db, "PRAGMA user_version = 77", nullptr, nullptr, nullptr);
        sqlite3_close(db);
    }
    auto newer = Workspace::open(dir, "newer");
    ASSERT_FALSE(newer.ok());
    EXPECT_NE(newer.error().message.find("newer"), std::string::npos);
}

TEST(Workspace, ReadOnlyOpenRefusesWrites) {
    const auto dir = freshDir("readonly");
    { makeFilled(dir); }
    OpenOptions ro;
    ro.readOnly = true;
    auto ws = Workspace::open(dir, "ws", ro);
    ASSERT_TRUE(ws.ok()) << ws.error().toString();
    EXPECT_TRUE(ws->findChange("C1")->has_value());
    auto st = ws->putChange(sampleChange("C9"));
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("read-only"), std::string::npos);
}

TEST(Workspace, BackupAndRestore) {
    const auto dir = freshDir("backup");
    const auto out = freshDir("backup-out");
    WorkspaceSnapshot original;
    BackupFiles files;
    {
        auto ws = makeFilled(dir);
        original = *ws.snapshot();
        auto b = backupWorkspace(ws, out);
        ASSERT_TRUE(b.ok()) << b.error().toString();
        files = *b;
        ASSERT_TRUE(ws.removeChange("C1").ok());
        ASSERT_TRUE(ws.removeCi("c").ok());
    }
    EXPECT_TRUE(validateBackup(files.mainPath, files.cmdbPath).ok());
    ASSERT_TRUE(restoreWorkspace(dir, "ws", files.mainPath, files.cmdbPath).ok());
    {
        auto ws = Workspace::open(dir, "ws");
        ASSERT_TRUE(ws.ok()) << ws.error().toString();
        EXPECT_EQ(*ws->snapshot(), original);
    }
    std::ifstream in(files.jsonPath, std::ios::binary);
    std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_TRUE(restoreWorkspaceFromJson(dir, "fromjson", json, "ws.json").ok());
    auto ws2 = Workspace::open(dir, "fromjson");
    ASSERT_TRUE(ws2.ok());
    WorkspaceSnapshot s2 = *ws2->snapshot();
    s2.data.name = original.data.name;
    EXPECT_EQ(s2, original);
}

TEST(Workspace, RestoreRejectsBadCandidatesAndKeepsTheWorkspace) {
    const auto dir = freshDir("restore-bad");
    const auto out = freshDir("restore-bad-out");
    { makeFilled(dir, "other"); }
    BackupFiles files;
    {
        auto ws = makeFilled(dir);
        files = *backupWorkspace(ws, out);
    }
    const std::string garbage = out + "/garbage.db";
    std::ofstream(garbage, std::ios::binary) << "SQLite format 3 but not really";
    auto r1 = restoreWorkspace(dir, "ws", garbage, files.cmdbPath);
    EXPECT_FALSE(r1.ok());
    // A CMDB from another workspace does not pair with this main file.
    auto r2 = restoreWorkspace(dir, "ws", files.mainPath, cmdbFilePath(dir, "other"));
    ASSERT_FALSE(r2.ok());
    EXPECT_NE(r2.error().message.find("pair id"), std::string::npos);
    // A corrupted page fails the integrity check.
    const std::string corrupt = out + "/corrupt.planner.db";
    std::filesystem::copy_file(files.mainPath, corrupt);
    {
        std::fstream f(corrupt, std::ios::binary | std::ios::in | std::ios::out);
        f.seekp(4096);
        f << std::string(64, '\x5a');
    }
    EXPECT_FALSE(restoreWorkspace(dir, "ws", corrupt, files.cmdbPath).ok());
    EXPECT_FALSE(restoreWorkspaceFromJson(dir, "j", "{\"schemaVersion\": 1}", "x.json").ok());
    EXPECT_FALSE(std::filesystem::exists(mainFilePath(dir, "j")));
    auto ws = Workspace::open(dir, "ws");
    ASSERT_TRUE(ws.ok());
    EXPECT_TRUE(ws->findChange("C1")->has_value());
}

// ---- audit chain -------------------------------------------------------------

class AuditChain : public ::testing::Test {
protected:
    void SetUp() override {
        dir = freshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
        auto ws = Workspace::create(dir, "ws");
        ASSERT_TRUE(ws.ok());
        for (int i = 1; i <= 5; ++i)
            ASSERT_TRUE(ws->appendAudit(1000 + i, "anna", "apply", "{\"n\":" + std::to_string(i) + "}").ok());
        auto v = ws->verifyAuditChain();
        ASSERT_TRUE(v.ok() && v->ok) << v->problem;
        EXPECT_EQ(v->rows, 5);
    }
    AuditVerification tamper(const std::string& sql) {
        sqlite3* db = rawOpen(mainFilePath(dir, "ws"));
        EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
        sqlite3_close(db);
        auto ws = Workspace::open(dir, "ws");
        EXPECT_TRUE(ws.ok());
        return *ws->verifyAuditChain();
    }
    std::string dir;
};

TEST_F(AuditChain, EditedRowIsDetected) {
    auto v = tamper("UPDATE audit SET payload = '{\"n\":99}' WHERE seq = 3");
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.firstBadSeq, 3);
    EXPECT_NE(v.problem.find("edited"), std::string::npos);
}

TEST_F(AuditChain, EditedActorWithRecomputedHashBreaksTheNextLink) {
    // Recompute row 2's own hash after editing it: the link from row 3 breaks.
    sqlite3* db = rawOpen(mainFilePath(dir, "ws"));
    sqlite3_close(db);
    auto ws = Workspace::open(dir, "ws");
    auto rows = *ws->auditRows();
    AuditRow r = rows[1];
    r.actor = "mallory";
    r.hash = auditRowHash(r);
    auto v = tamper("UPDATE audit SET actor = 'mallory', hash = '" + r.hash + "' WHERE seq = 2");
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.firstBadSeq, 3);
}

TEST_F(AuditChain, DeletedRowIsDetected) {
    auto v = tamper("DELETE FROM audit WHERE seq = 2");
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.firstBadSeq, 2);
    EXPECT_NE(v.problem.find("missing"), std::string::npos);
}

TEST_F(AuditChain, InsertedRowIsDetected) {
    auto v = tamper("UPDATE audit SET seq = seq + 100 WHERE seq >= 3; UPDATE audit SET seq = seq - 99 WHERE seq >= 100;"
                    "INSERT INTO audit(seq, at, actor, kind, payload, prev_hash, hash) "
                    "SELECT 3, 1, 'mallory', 'apply', '{}', hash, hash FROM audit WHERE seq = 2;"
                    "UPDATE audit_head SET seq = 6");
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.firstBadSeq, 3);
}

TEST_F(AuditChain, ReorderedRowsAreDetected) {
    auto v = tamper("UPDATE audit SET seq = 100 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3;"
                    "UPDATE audit SET seq = 3 WHERE seq = 100;");
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.firstBadSeq, 2);
}

TEST_F(AuditChain, TruncatedTailIsDetected) {
    auto v = tamper("DELETE FROM audit WHERE seq >= 4");
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.firstBadSeq, 4);
    EXPECT_NE(v.problem.find("cut"), std::string::npos);
}

TEST_F(AuditChain, AppendedForeignRowIsDetected) {
    auto v = tamper("INSERT INTO audit(seq, at, actor, kind, payload, prev_hash, hash) "
                    "SELECT 6, 1, 'mallory', 'apply', '{}', hash, 'x' FROM audit WHERE seq = 5");
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.firstBadSeq, 6);
}

// The head record lives in the same file as the rows: whoever cuts the tail can
// rewrite it too. Only an anchor kept elsewhere (a bundle, a backup) tells.
TEST_F(AuditChain, CutTailWithRewrittenHeadIsCaughtOnlyByAnAnchor) {
    AuditAnchor anchor;
    {
        auto ws = Workspace::open(dir, "ws");
        ASSERT_TRUE(ws.ok());
        anchor = *ws->auditHead();
        EXPECT_EQ(anchor.seq, 5);
        EXPECT_EQ(anchor.hash, (*ws->auditRows())[4].hash);
        anchor.source = "bundle CHG1.zip";
        auto held = ws->verifyAuditChain({anchor});
        ASSERT_TRUE(held.ok() && held->ok) << held->problem;
        EXPECT_EQ(held->anchoredSeq, 5);
        EXPECT_EQ(held->anchoredBy, "bundle CHG1.zip");
    }
    const char* cut = "DROP TRIGGER IF EXISTS audit_no_delete; DELETE FROM audit WHERE seq >= 4;"
                      "UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit WHERE seq = 3);";
    auto alone = tamper(cut);
    EXPECT_TRUE(alone.ok) << "without an anchor the cut is invisible: " << alone.problem;
    auto ws = Workspace::open(dir, "ws");
    ASSERT_TRUE(ws.ok());
    auto v = ws->verifyAuditChain({anchor});
    ASSERT_TRUE(v.ok());
    EXPECT_FALSE(v->ok);
    EXPECT_EQ(v->firstBadSeq, 4);
    EXPECT_NE(v->problem.find("bundle CHG1.zip recorded row 5"), std::string::npos) << v->problem;
    EXPECT_NE(v->problem.find("cut from the end"), std::string::npos) << v->problem;
    // An older anchor still holds: the chain is intact up to it.
    AuditAnchor older{3, (*ws->auditRows())[2].hash, "backup of Monday"};
    auto partial = ws->verifyAuditChain({older});
    ASSERT_TRUE(partial.ok() && partial->ok);
    EXPECT_EQ(partial->anchoredSeq, 3);
}

TEST_F(AuditChain, RewrittenHistoryBehindAnAnchorIsCaught) {
    auto ws = Workspace::open(dir, "ws");
    ASSERT_TRUE(ws.ok());
    AuditAnchor anchor = *ws->auditHead();
    anchor.hash[0] = anchor.hash[0] == 'a' ? 'b' : 'a';  // a chain rebuilt from row 1 ends on another hash
    anchor.source = "a held anchor";
    auto v = ws->verifyAuditChain({anchor});
    ASSERT_TRUE(v.ok());
    EXPECT_FALSE(v->ok);
    EXPECT_EQ(v->firstBadSeq, 5);
    EXPECT_NE(v->problem.find("rewritten"), std::string::npos) << v->problem;
}
