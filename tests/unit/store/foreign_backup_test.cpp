// Backups are foreign files: their schema must be exactly ours for their
// version, or the restore is refused naming the object, before anything of
// theirs is evaluated, and the open workspace stays exactly as it was.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "bundle/zip.hpp"
#include "session/signing.hpp"
#include "session/workspace_backup.hpp"
#include "store/schema.hpp"
#include "store/workspace.hpp"
#include "store/workspace_files.hpp"
#include "store_test_support.hpp"

using namespace planner::core;
using namespace planner::core::store;

namespace {

std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Runs `sql` on a copy of `from` with a plain connection (as an attacker's tool
// would), returning the copy's path.
std::string tamperedCopy(const std::string& from, const std::string& to, const std::string& sql) {
    std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(to.c_str(), &db), SQLITE_OK);
    char* msg = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg), SQLITE_OK) << (msg ? msg : "") << "\n" << sql;
    sqlite3_free(msg);
    sqlite3_close(db);
    return to;
}

struct Tamper {
    const char* what;
    bool cmdbFile;
    const char* sql;
    const char* named;  // the object the refusal must name
};

// A trigger that makes every saved change add the attacker's key to the trusted signers.
const Tamper kSignerTrigger{
    "extra trigger", false,
    "CREATE TRIGGER trust_me AFTER INSERT ON changes BEGIN "
    "INSERT OR REPLACE INTO settings(key, value) VALUES ('signing.trusted', 'attacker-key'); END;",
    "trust_me"};
const Tamper kNoAppendOnly{"missing append-only triggers", false,
                           "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;", "audit_no_update"};
const Tamper kExtraView{"extra view", false, "CREATE VIEW peek AS SELECT key, value FROM settings;", "peek"};
// The same table with a weaker CHECK: only the stored SQL text differs.
const Tamper kChangedCheck{"changed CHECK", false,
                           "PRAGMA writable_schema = ON;"
                           "UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (id = 1)', 'CHECK (id >= 1)')"
                           " WHERE name = 'audit_head';"
                           "PRAGMA writable_schema = OFF;",
                           "audit_head"};
const Tamper kExtraCmdbIndex{"extra CMDB index", true, "CREATE INDEX cis_owner ON cis(owner);", "cis_owner"};
const Tamper kChangedDefault{"changed DEFAULT", false,
                             "PRAGMA writable_schema = ON;"
                             "UPDATE sqlite_schema SET sql = replace(sql, 'DEFAULT 0', 'DEFAULT (random())')"
                             " WHERE name = 'changes';"
                             "PRAGMA writable_schema = OFF;",
                             "changes"};

class ForeignBackup : public ::testing::Test {
protected:
    void SetUp() override {
        const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        dir = planner::core::testing::freshDir("foreign-" + test);
        out = planner::core::testing::freshDir("foreign-out-" + test);
        auto ws = Workspace::create(dir, "ws");
        ASSERT_TRUE(ws.ok()) << ws.error().toString();
        ASSERT_TRUE(ws->putChange(planner::core::testing::sampleChange("C1")).ok());
        ASSERT_TRUE(ws->putSetting(kTrustedSignersSetting, "our-key").ok());
        ASSERT_TRUE(ws->writeCmdb({planner::core::testing::sampleCi("a"), planner::core::testing::sampleCi("b")}, {{"a", "b", "depends_on"}},
                                  CmdbWriteMode::Replace)
                        .ok());
        ASSERT_TRUE(ws->appendAudit(1767225600, "anna", "apply", "{\"n\":1}").ok());
        ASSERT_TRUE(ws->appendAudit(1767225601, "anna", "apply", "{\"n\":2}").ok());
        auto b = backupWorkspace(*ws, out);
        ASSERT_TRUE(b.ok()) << b.error().toString();
        files = *b;
    }

    // Snapshot, audit rows and raw bytes of the workspace's two files.
    struct State {
        WorkspaceSnapshot snapshot;
        std::vector<AuditRow> audit;
        std::string mainBytes;
        std::string cmdbBytes;
        bool operator==(const State&) const = default;
    };
    State stateOf(Workspace& ws) {
        State s{*ws.snapshot(), *ws.auditRows(), readBytes(ws.mainPath()), readBytes(ws.cmdbPath())};
        auto chain = ws.verifyAuditChain();
        EXPECT_TRUE(chain.ok() && chain->ok) << (chain.ok() ? chain->problem : chain.error().toString());
        return s;
    }

    // The backup's two files with `t` applied to one of them.
    std::pair<std::string, std::string> tampered(const Tamper& t) {
        if (t.cmdbFile) return {files.mainPath, tamperedCopy(files.cmdbPath, out + "/t.cmdb.db", t.sql)};
        return {tamperedCopy(files.mainPath, out + "/t.planner.db", t.sql), files.cmdbPath};
    }

    std::string dir;
    std::string out;
    BackupFiles files;
};

void expectRefusedNaming(const Status& st, const Tamper& t) {
    ASSERT_FALSE(st.ok()) << t.what << " was accepted";
    EXPECT_NE(st.error().message.find(std::string("\"") + t.named + "\""), std::string::npos)
        << t.what << ": " << st.error().toString();
}

const Tamper* const kAllTampers[] = {&kSignerTrigger, &kNoAppendOnly,   &kExtraView,
                                     &kChangedCheck,  &kExtraCmdbIndex, &kChangedDefault};

}  // namespace

TEST_F(ForeignBackup, UntamperedBackupStillValidatesAndRestores) {
    EXPECT_TRUE(validateBackup(files.mainPath, files.cmdbPath).ok());
    ASSERT_TRUE(restoreWorkspace(dir, "ws", files.mainPath, files.cmdbPath).ok());
    auto ws = Workspace::open(dir, "ws");
    ASSERT_TRUE(ws.ok()) << ws.error().toString();
    EXPECT_TRUE(ws->findChange("C1")->has_value());
}

TEST_F(ForeignBackup, ValidationNamesEachForeignObject) {
    for (const Tamper* t : kAllTampers) {
        auto [mainPath, cmdbPath] = tampered(*t);
        auto st = validateBackup(mainPath, cmdbPath);
        expectRefusedNaming(st, *t);
        EXPECT_EQ(st.error().file, t->cmdbFile ? cmdbPath : mainPath) << t->what;
    }
    {
        auto [mainPath, cmdbPath] = tampered(kSignerTrigger);
        auto st = validateBackup(mainPath, cmdbPath);
        ASSERT_FALSE(st.ok());
        EXPECT_EQ(st.error().message,
                  "not a database this program wrote: the workspace file has an unexpected trigger \"trust_me\" on "
                  "changes, not part of our schema version 2");
    }
    // Both append-only triggers are named, not just the first.
    auto [mainPath, cmdbPath] = tampered(kNoAppendOnly);
    auto st = validateBackup(mainPath, cmdbPath);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("\"audit_no_delete\""), std::string::npos) << st.error().message;
}

TEST_F(ForeignBackup, RefusedRestoreLeavesTheClosedWorkspaceAsItWas) {
    State before;
    {
        auto ws = Workspace::open(dir, "ws");
        ASSERT_TRUE(ws.ok());
        before = stateOf(*ws);
    }
    for (const Tamper* t : kAllTampers) {
        auto [mainPath, cmdbPath] = tampered(*t);
        expectRefusedNaming(restoreWorkspace(dir, "ws", mainPath, cmdbPath), *t);
        EXPECT_FALSE(std::filesystem::exists(mainFilePath(dir, "ws") + ".restore")) << t->what;
    }
    auto ws = Workspace::open(dir, "ws");
    ASSERT_TRUE(ws.ok());
    EXPECT_EQ(stateOf(*ws), before);
    // Saving a change after the refused restores adds no signer.
    ASSERT_TRUE(ws->putChange(planner::core::testing::sampleChange("C2")).ok());
    EXPECT_EQ(ws->settings()->at(kTrustedSignersSetting), "our-key");
}

TEST_F(ForeignBackup, RefusedZipRestoreLeavesTheOpenWorkspaceAndCreatesNothing) {
    auto ws = Workspace::open(dir, "ws");
    ASSERT_TRUE(ws.ok());
    const State before = stateOf(*ws);
    const std::string json = readBytes(files.jsonPath);
    for (const Tamper* t : kAllTampers) {
        auto [mainPath, cmdbPath] = tampered(*t);
        bundle::ZipFiles entries{{kBackupMainEntry, readBytes(mainPath)},
                                 {kBackupCmdbEntry, readBytes(cmdbPath)},
                                 {kBackupJsonEntry, json}};
        auto zip = bundle::writeZip(entries);
        ASSERT_TRUE(zip.ok());
        auto st = restoreBackup(dir, "restored", *zip, "backup.zip", out + "/scratch");
        expectRefusedNaming(st, *t);
        EXPECT_EQ(st.error().file, "backup.zip") << t->what;
        EXPECT_EQ(*listWorkspaces(dir), std::vector<std::string>{"ws"}) << t->what;
    }
    EXPECT_EQ(stateOf(*ws), before);
}

TEST_F(ForeignBackup, OlderVersionsAreComparedWithTheirOwnSchema) {
    const std::string oldDir = planner::core::testing::freshDir("foreign-v1");
    BackupFiles v1;
    {
        OpenOptions options;
        options.create = true;
        options.mainTargetVersion = 1;
        options.cmdbTargetVersion = 1;
        auto old = Workspace::open(oldDir, "old", options);
        ASSERT_TRUE(old.ok()) << old.error().toString();
        ASSERT_EQ(old->schemaVersion(), 1);
        ASSERT_TRUE(old->putChange(planner::core::testing::sampleChange("C7")).ok());
        auto b = backupWorkspace(*old, out + "/v1");
        ASSERT_TRUE(b.ok()) << b.error().toString();
        v1 = *b;
    }
    EXPECT_TRUE(validateBackup(v1.mainPath, v1.cmdbPath).ok());
    // A version-1 file carrying version 2's append-only triggers is not what version 1 looks like.
    const std::string withTriggers = tamperedCopy(
        v1.mainPath, out + "/v1-trig.planner.db",
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'x'); END;");
    auto st = validateBackup(withTriggers, v1.cmdbPath);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("\"audit_no_update\""), std::string::npos) << st.error().message;
    // The real version-1 backup restores and is migrated on open.
    ASSERT_TRUE(restoreWorkspace(oldDir, "restored", v1.mainPath, v1.cmdbPath).ok());
    auto ws = Workspace::open(oldDir, "restored");
    ASSERT_TRUE(ws.ok()) << ws.error().toString();
    EXPECT_EQ(ws->schemaVersion(), kMainSchemaVersion);
    EXPECT_EQ(ws->cmdbSchemaVersion(), kCmdbSchemaVersion);
    EXPECT_TRUE(ws->findChange("C7")->has_value());
}

TEST(ExpectedSchema, MatchesWhatAFreshWorkspaceHolds) {
    const std::string dir = planner::core::testing::freshDir("expected-schema");
    auto ws = Workspace::create(dir, "ws");
    ASSERT_TRUE(ws.ok());
    for (const char* schema : {"main", "cmdb"}) {
        const int version = std::string(schema) == "main" ? kMainSchemaVersion : kCmdbSchemaVersion;
        auto expected = expectedSchemaObjects(schema, version);
        ASSERT_TRUE(expected.ok()) << expected.error().toString();
        EXPECT_EQ(*readSchemaObjects(ws->handle(), schema), *expected) << schema;
        EXPECT_TRUE(checkSchemaIsOurs(ws->handle(), schema, version).ok()) << schema;
    }
}
