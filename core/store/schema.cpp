#include "store/schema.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <tuple>
#include <utility>

#include "store/sqlite_util.hpp"
#include "store/workspace.hpp"

namespace planner::core::store {
namespace {

const char* const kMainV1 = R"sql(
CREATE TABLE main.meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE main.changes(id TEXT PRIMARY KEY NOT NULL, json TEXT NOT NULL, updated_at INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE main.windows(id TEXT PRIMARY KEY NOT NULL, json TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE main.people(id TEXT PRIMARY KEY NOT NULL, json TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE main.settings(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE main.policies(id TEXT PRIMARY KEY NOT NULL, json TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE main.audit(seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL,
                        payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE main.audit_head(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
INSERT INTO main.meta(key, value) VALUES ('format', 'change-planner-main');
)sql";

// v2: the change state as a column (for list filters) and an append-only audit.
const char* const kMainV2 = R"sql(
ALTER TABLE main.changes ADD COLUMN state TEXT NOT NULL DEFAULT 'draft';
UPDATE main.changes SET state = coalesce(json_extract(json, '$.v.state'), 'draft');
CREATE INDEX main.changes_state ON changes(state);
CREATE TRIGGER main.audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
CREATE TRIGGER main.audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
)sql";

const char* const kCmdbV1 = R"sql(
CREATE TABLE cmdb.meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE cmdb.cis(id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, owner TEXT NOT NULL,
                      team TEXT NOT NULL, tier INTEGER NOT NULL, environment TEXT NOT NULL, location TEXT NOT NULL,
                      attributes TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE cmdb.ci_tags(ci_id TEXT NOT NULL REFERENCES cis(id) ON DELETE CASCADE, pos INTEGER NOT NULL,
                          tag TEXT NOT NULL, PRIMARY KEY(ci_id, pos)) WITHOUT ROWID;
CREATE TABLE cmdb.relationships(from_id TEXT NOT NULL REFERENCES cis(id) ON DELETE CASCADE,
                                to_id TEXT NOT NULL REFERENCES cis(id) ON DELETE CASCADE,
                                type TEXT NOT NULL, PRIMARY KEY(from_id, to_id, type)) WITHOUT ROWID;
CREATE INDEX cmdb.relationships_to ON relationships(to_id);
CREATE INDEX cmdb.relationships_type ON relationships(type);
INSERT INTO cmdb.meta(key, value) VALUES ('format', 'change-planner-cmdb');
)sql";

// v2: indexes for search by name, type and tag.
const char* const kCmdbV2 = R"sql(
CREATE INDEX cmdb.cis_name ON cis(name COLLATE NOCASE);
CREATE INDEX cmdb.cis_type ON cis(type);
CREATE INDEX cmdb.ci_tags_tag ON ci_tags(tag);
)sql";

// v3: drops three indexes that only cost import time and file size: no
// query filters relationships by type in SQL (type filters apply to the loaded
// graph), the CI search's optional type test cannot use an index, and the
// app searches CIs by name in the loaded graph; searchCis scans instead.
const char* const kCmdbV3 = R"sql(
DROP INDEX IF EXISTS cmdb.relationships_type;
DROP INDEX IF EXISTS cmdb.cis_type;
DROP INDEX IF EXISTS cmdb.cis_name;
)sql";

const char* stepScript(const std::string& schemaName, int version) {
    if (schemaName == "main") return version == 1 ? kMainV1 : version == 2 ? kMainV2 : nullptr;
    switch (version) {
        case 1: return kCmdbV1;
        case 2: return kCmdbV2;
        case 3: return kCmdbV3;
        default: return nullptr;
    }
}

}  // namespace

std::vector<IndexDef> cmdbSecondaryIndexes(int version) {
    std::vector<IndexDef> out{{"relationships_to", "CREATE INDEX cmdb.relationships_to ON relationships(to_id)"}};
    if (version < 3)
        out.push_back({"relationships_type", "CREATE INDEX cmdb.relationships_type ON relationships(type)"});
    if (version >= 2) {
        if (version < 3) {
            out.push_back({"cis_name", "CREATE INDEX cmdb.cis_name ON cis(name COLLATE NOCASE)"});
            out.push_back({"cis_type", "CREATE INDEX cmdb.cis_type ON cis(type)"});
        }
        out.push_back({"ci_tags_tag", "CREATE INDEX cmdb.ci_tags_tag ON ci_tags(tag)"});
    }
    return out;
}

Result<std::vector<SchemaObject>> readSchemaObjects(sqlite3* db, const std::string& schemaName) {
    Stmt st(db, "SELECT type, name, tbl_name, sql FROM " + schemaName + ".sqlite_schema");
    if (!st.prepared()) return sqliteError(db, "cannot read the schema of the " + schemaName + " file");
    std::vector<SchemaObject> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW)
        out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), !st.isNull(3)});
    if (rc != SQLITE_DONE) return sqliteError(db, "cannot read the schema of the " + schemaName + " file");
    std::sort(out.begin(), out.end(), [](const SchemaObject& a, const SchemaObject& b) {
        return std::tie(a.type, a.name) < std::tie(b.type, b.name);
    });
    return out;
}

namespace {

Result<std::vector<SchemaObject>> buildExpectedSchema(const std::string& schemaName, int version) {
    struct Memory {
        sqlite3* db = nullptr;
        ~Memory() { sqlite3_close_v2(db); }
    } mem;
    configureSqliteOnce();
    if (sqlite3_open_v2(":memory:", &mem.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
        return sqliteError(mem.db, "cannot create the reference schema");
    if (schemaName != "main")
        if (auto st = execSql(mem.db, "ATTACH DATABASE ':memory:' AS " + schemaName); !st) return st.error();
    if (auto st = migrateSchema(mem.db, schemaName, version); !st) return st.error();
    return readSchemaObjects(mem.db, schemaName);
}

std::string describeObject(const SchemaObject& o) {
    std::string out = o.type + " \"" + o.name + "\"";
    if (o.type != "table" && o.tblName != o.name) out += " on " + o.tblName;
    return out;
}

}  // namespace

Result<std::vector<SchemaObject>> expectedSchemaObjects(const std::string& schemaName, int version) {
    static std::mutex mutex;
    static std::map<std::pair<std::string, int>, std::vector<SchemaObject>> cache;
    std::lock_guard<std::mutex> lock(mutex);
    const auto key = std::make_pair(schemaName, version);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    auto built = buildExpectedSchema(schemaName, version);
    if (!built) return built.error();
    cache.emplace(key, *built);
    return built;
}

Status checkSchemaIsOurs(sqlite3* db, const std::string& schemaName, int version) {
    auto expected = expectedSchemaObjects(schemaName, version);
    if (!expected) return expected.error();
    auto actual = readSchemaObjects(db, schemaName);
    if (!actual) return actual.error();
    const std::string file = schemaName == "main" ? "workspace file" : "CMDB file";
    const std::string ours = "our schema version " + std::to_string(version);
    std::vector<std::string> problems;
    auto less = [](const SchemaObject& a, const SchemaObject& b) {
        return std::tie(a.type, a.name) < std::tie(b.type, b.name);
    };
    auto e = expected->begin();
    auto a = actual->begin();
    while (e != expected->end() || a != actual->end()) {
        if (a == actual->end() || (e != expected->end() && less(*e, *a))) {
            problems.push_back("the " + file + " lacks " + describeObject(*e) + " of " + ours);
            ++e;
        } else if (e == expected->end() || less(*a, *e)) {
            problems.push_back("the " + file + " has an unexpected " + describeObject(*a) + ", not part of " + ours);
            ++a;
        } else {
            if (!(*a == *e))
                problems.push_back(describeObject(*a) + " in the " + file + " differs from " + ours);
            ++a;
            ++e;
        }
    }
    if (problems.empty()) return okStatus();
    std::string message = "not a database this program wrote: ";
    const std::size_t shown = std::min<std::size_t>(problems.size(), 5);
    for (std::size_t i = 0; i < shown; ++i) message += (i ? "; " : "") + problems[i];
    if (problems.size() > shown) message += "; and " + std::to_string(problems.size() - shown) + " more";
    return Error{message, "", 0, 0};
}

Result<int> schemaUserVersion(sqlite3* db, const std::string& schemaName) {
    Stmt st(db, "PRAGMA " + schemaName + ".user_version");
    if (!st.prepared() || st.step() != SQLITE_ROW) return sqliteError(db, "cannot read the " + schemaName + " file");
    return static_cast<int>(st.int64(0));
}

Status migrateSchema(sqlite3* db, const std::string& schemaName, int target) {
    const int latest = schemaName == "main" ? kMainSchemaVersion : kCmdbSchemaVersion;
    const char* format = schemaName == "main" ? kMainFormat : kCmdbFormat;
    auto current = schemaUserVersion(db, schemaName);
    if (!current) return current.error();
    int version = *current;
    if (version > latest)
        return Error{"the " + schemaName + " file has schema version " + std::to_string(version) +
                         ", newer than this program supports (" + std::to_string(latest) + ")",
                     "", 0, 0};
    if (version == 0) {
        Stmt tables(db, "SELECT count(*) FROM " + schemaName + ".sqlite_schema");
        if (!tables.prepared() || tables.step() != SQLITE_ROW)
            return sqliteError(db, "cannot read the " + schemaName + " file");
        if (tables.int64(0) != 0)
            return Error{"the " + schemaName + " file is a database but not a change planner workspace", "", 0, 0};
    } else {
        Stmt fmt(db, "SELECT value FROM " + schemaName + ".meta WHERE key = 'format'");
        if (!fmt.prepared() || fmt.step() != SQLITE_ROW || fmt.text(0) != format)
            return Error{"the " + schemaName + " file is not a change planner workspace (no format marker)", "", 0,
                         0};
    }
    while (version < target) {
        const int next = version + 1;
        const char* script = stepScript(schemaName, next);
        if (!script) return Error{"no migration to version " + std::to_string(next), "", 0, 0};
        if (auto st = execSql(db, "BEGIN"); !st) return st;
        auto step = execSql(db, script);
        if (step) step = execSql(db, "PRAGMA " + schemaName + ".user_version = " + std::to_string(next));
        if (step) step = execSql(db, "COMMIT");
        if (!step) {
            execSql(db, "ROLLBACK");
            return Error{"migration of the " + schemaName + " file to version " + std::to_string(next) +
                             " failed: " + step.error().message,
                         "", 0, 0};
        }
        version = next;
    }
    return okStatus();
}

}  // namespace planner::core::store
