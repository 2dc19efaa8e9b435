// A workspace on disk: two SQLite files opened as one connection. The small
// main file (<name>.planner.db) holds changes, windows, people, settings,
// policies and the audit trail; the large CMDB file (<name>.cmdb.db) is
// ATTACHed as schema "cmdb". Every write runs in a transaction, and each
// committed transaction reports which of the two files it changed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "model/serialization.hpp"
#include "util/result.hpp"

struct sqlite3;

namespace planner::core::store {

// Latest schema versions (PRAGMA user_version) of the two files.
inline constexpr int kMainSchemaVersion = 2;
inline constexpr int kCmdbSchemaVersion = 3;

// Which files a committed transaction modified: the browser flushes only these.
struct DirtyFiles {
    bool main = false;
    bool cmdb = false;
    bool any() const { return main || cmdb; }
    DirtyFiles& operator|=(const DirtyFiles& o) {
        main = main || o.main;
        cmdb = cmdb || o.cmdb;
        return *this;
    }
    bool operator==(const DirtyFiles&) const = default;
};

struct OpenOptions {
    bool readOnly = false;          // second tab, or a restore candidate
    bool create = false;            // create the files if missing (else a missing workspace is an error)
    int mainTargetVersion = kMainSchemaVersion;   // lower only to build old-version files in tests
    int cmdbTargetVersion = kCmdbSchemaVersion;
};

// One audit row. `hash` = SHA-256 hex of prevHash followed by the canonical
// row content (see docs/storage.md); the first row's prevHash is 64 zeros.
struct AuditRow {
    std::int64_t seq = 0;
    std::int64_t at = 0;           // UTC seconds
    std::string actor;
    std::string kind;              // apply, undo, redo, state, import, restore, ...
    std::string payload;           // command JSON or summary JSON
    std::string prevHash;
    std::string hash;
    bool operator==(const AuditRow&) const = default;
};

// The head of an audit chain at one moment (its last row's seq and hash), kept
// outside the workspace file: in every signed bundle and every backup
// (audit-anchor.json), or written down. The head record inside the file can be
// rewritten with the rows; an anchor cannot, so a chain that no longer holds
// row `seq` with `hash` has lost its tail or had its history rewritten.
struct AuditAnchor {
    std::int64_t seq = 0;          // 0: the chain was empty
    std::string hash;              // 64 lowercase hex digits (64 zeros when seq is 0)
    std::string source;            // where the anchor came from, for messages
};

// Outcome of verifyAuditChain: ok, or the first row (seq) that breaks the chain.
struct AuditVerification {
    bool ok = true;
    std::int64_t rows = 0;
    std::int64_t firstBadSeq = 0;  // 0 when ok
    std::string problem;
    std::int64_t anchoredSeq = 0;  // the highest anchor the chain matches (0: no anchor given or matched)
    std::string anchoredBy;        // that anchor's source
};

// Summary counts of the CMDB file.
struct CmdbCounts {
    std::int64_t cis = 0;
    std::int64_t relationships = 0;
};

enum class CmdbWriteMode { Replace, Merge };

// Progress report: units done of total; return false to cancel.
using ProgressFn = std::function<bool(std::int64_t done, std::int64_t total)>;

class Workspace {
public:
    // Opens <dir>/<name>.planner.db and <dir>/<name>.cmdb.db, migrating both to
    // the target versions; fails if the files are missing unless options.create.
    static Result<Workspace> open(const std::string& dir, const std::string& name, const OpenOptions& options = {});
    // Creates a new, empty workspace; fails if either file already exists.
    static Result<Workspace> create(const std::string& dir, const std::string& name);

    Workspace(Workspace&&) noexcept;
    Workspace& operator=(Workspace&&) noexcept;
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;
    ~Workspace();

    const std::string& name() const;
    const std::string& directory() const;
    const std::string& mainPath() const;   // small, often-written file
    const std::string& cmdbPath() const;   // large CMDB file
    bool readOnly() const;
    int schemaVersion() const;             // main file's user_version
    int cmdbSchemaVersion() const;
    sqlite3* handle();                     // the connection (owned by the workspace)

    // Runs `body` in a transaction (a savepoint when nested). The outermost
    // commit reports its dirty files to the listener and to lastCommitDirty().
    Status transaction(const std::function<Status()>& body);
    // A transaction held open across calls, for work done in slices between
    // UI frames (a large import drawn with progress and a Cancel button).
    // While it is held every other write is refused with a clear message;
    // inHeldTransaction runs a slice in it, and only commitHeldTransaction
    // makes the slices visible (and reports the dirty files) at once.
    // `validatedBulk` (the caller has checked every reference, as a parsed
    // import has) turns foreign-key enforcement off until the commit or
    // rollback, sparing two parent look-ups per relationship. Closing the
    // workspace rolls back.
    Status holdTransaction(bool validatedBulk);
    bool holdingTransaction() const;
    Status inHeldTransaction(DirtyFiles files, const std::function<Status()>& body);
    Status commitHeldTransaction();
    void rollbackHeldTransaction();
    DirtyFiles lastCommitDirty() const;
    void setCommitListener(std::function<void(const DirtyFiles&)> listener);

    // ---- changes, windows, people, settings, policies (main file) ----
    Result<std::optional<ChangeRequest>> findChange(const std::string& id);
    Result<std::vector<ChangeRequest>> changes();            // ordered by id
    Status putChange(const ChangeRequest& change);           // insert or replace
    Status removeChange(const std::string& id);
    Result<std::optional<Window>> findWindow(const std::string& id);
    Result<std::vector<Window>> windows();
    Status putWindow(const Window& window);
    Status removeWindow(const std::string& id);
    Result<std::optional<Person>> findPerson(const std::string& id);
    Result<std::vector<Person>> people();
    Status putPerson(const Person& person);
    Status removePerson(const std::string& id);
    Result<std::optional<std::string>> setting(const std::string& key);
    Result<std::map<std::string, std::string>> settings();
    Status putSetting(const std::string& key, const std::string& value);
    Status removeSetting(const std::string& key);
    Result<std::map<std::string, std::string>> policies();   // id -> JSON text
    Status putPolicy(const std::string& id, const std::string& json);
    Status removePolicy(const std::string& id);

    // ---- CMDB (attached file) ----
    Result<std::optional<ConfigItem>> findCi(const std::string& id);
    Result<std::vector<ConfigItem>> cis();                   // ordered by id
    Result<std::vector<Relationship>> relationships();       // ordered by from, to, type
    Result<std::vector<Relationship>> relationshipsOf(const std::string& ciId);  // either end
    Result<CmdbCounts> cmdbCounts();
    // CIs whose name contains `text` (case-insensitive ASCII), optionally of one
    // type and carrying one tag; at most `limit`, ordered by name.
    Result<std::vector<ConfigItem>> searchCis(const std::string& text, const std::string& type,
                                              const std::string& tag, int limit);
    Status putCi(const ConfigItem& ci);                      // insert or replace
    Status removeCi(const std::string& id);                  // also removes its relationships
    Status putRelationship(const Relationship& rel);         // both ends must exist
    Status removeRelationship(const Relationship& rel);
    // Bulk write of a validated CMDB (callers check duplicates and dangling
    // ends first). Replace clears the CMDB first; Merge upserts CIs by id.
    // Progress counts rows written; cancelling fails and rolls back.
    Status writeCmdb(const std::vector<ConfigItem>& cis, const std::vector<Relationship>& relationships,
                     CmdbWriteMode mode, const ProgressFn& progress = {});

    // ---- whole workspace ----
    Result<WorkspaceSnapshot> snapshot();
    // Replaces every table but the audit trail with `snapshot`'s contents.
    Status replaceContents(const WorkspaceSnapshot& snapshot);

    // ---- audit trail (main file) ----
    // Appends one chained row inside the current (or its own) transaction.
    Result<AuditRow> appendAudit(std::int64_t at, const std::string& actor, const std::string& kind,
                                 const std::string& payload);
    Result<std::vector<AuditRow>> auditRows(std::int64_t fromSeq = 1, std::int64_t limit = -1);
    // Checks every link, the head record, and that the chain still holds each
    // anchor's row with the anchor's hash (a cut tail or a rewritten history
    // fails against any anchor taken before the cut).
    Result<AuditVerification> verifyAuditChain(const std::vector<AuditAnchor>& anchors = {});
    // The chain's current head (seq 0 and 64 zeros when empty), source "this workspace".
    Result<AuditAnchor> auditHead() const;

    // Runs PRAGMA integrity_check on both files; "ok" or the first problem.
    Result<std::string> integrityCheck();

private:
    struct Impl;
    explicit Workspace(std::unique_ptr<Impl> impl);
    Status write(DirtyFiles files, const std::function<Status()>& body);
    Result<AuditVerification> verifyAuditLinks();
    void releaseHeld();
    std::unique_ptr<Impl> m_impl;
};

// Writes a validated CMDB (no duplicate ids, every relationship end known) in
// slices; Workspace::writeCmdb is its one-shot form. start() clears the CMDB
// for Replace and drops the secondary indexes, writeRows() writes the next
// rows in key order, finish() rebuilds the indexes. All calls must run inside
// one transaction; the vectors must outlive the writer.
class CmdbWriter {
public:
    CmdbWriter(Workspace& workspace, const std::vector<ConfigItem>& cis, const std::vector<Relationship>& relationships,
               CmdbWriteMode mode);
    ~CmdbWriter();
    CmdbWriter(const CmdbWriter&) = delete;
    CmdbWriter& operator=(const CmdbWriter&) = delete;
    Status start();
    Result<bool> writeRows(std::int64_t maxRows);   // true once every row is written
    Status finish();
    std::int64_t written() const;
    std::int64_t total() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// Canonical content hashed for one audit row (without its hashes).
std::string auditRowContent(const AuditRow& row);
// hash of a row given its prevHash: SHA-256 hex of prevHash || auditRowContent(row).
std::string auditRowHash(const AuditRow& row);

}  // namespace planner::core::store
