#include "store/workspace.hpp"

#include <sqlite3.h>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cassert>
#include <optional>
#include <tuple>
#include <filesystem>
#include <system_error>

#include "crypto/hash.hpp"
#include "store/schema.hpp"
#include "store/sqlite_util.hpp"
#include "store/workspace_files.hpp"
#include "util/json_parse.hpp"

namespace planner::core::store {

namespace fs = std::filesystem;

struct Workspace::Impl {
    sqlite3* db = nullptr;
    std::string name;
    std::string dir;
    std::string mainPath;
    std::string cmdbPath;
    bool readOnly = false;
    int mainVersion = 0;
    int cmdbVersion = 0;
    int depth = 0;
    bool held = false;                // holdTransaction() .. commit/rollback
    bool heldForeignKeysOff = false;
    bool heldCalling = false;         // inside inHeldTransaction()
    DirtyFiles pending;
    DirtyFiles last;
    std::function<void(const DirtyFiles&)> listener;

    ~Impl() {
        if (db) sqlite3_close_v2(db);
    }
};

namespace {

const std::string kZeroHash(64, '0');

Error plainError(std::string message) { return Error{std::move(message), "", 0, 0}; }

// file: URI of a path, escaping the characters URIs reserve.
std::string fileUri(const std::string& path, bool readOnly) {
    std::string out = "file:";
    for (char c : path) {
        if (c == '%' || c == '?' || c == '#') {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
            out += buf;
        } else {
            out += c;
        }
    }
    if (readOnly) out += "?mode=ro";
    return out;
}

std::string attributesToJson(const std::map<std::string, std::string>& attributes) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    for (const auto& [k, v] : attributes) {
        w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
        w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    }
    w.EndObject();
    return std::string(buf.GetString(), buf.GetSize());
}

std::map<std::string, std::string> attributesFromJson(const std::string& json) {
    std::map<std::string, std::string> out;
    rapidjson::Document doc;
    // A stored column, but the file may be a restored backup: bounded parse.
    JsonParseOptions options;
    options.maxBytes = json_limits::kStoredRow;
    options.validateEncoding = false;
    if (!parseJson(doc, json, "", options) || !doc.IsObject()) return out;
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it)
        if (it->value.IsString())
            out.emplace(std::string(it->name.GetString(), it->name.GetStringLength()),
                        std::string(it->value.GetString(), it->value.GetStringLength()));
    return out;
}

const char* const kCiColumns = "id, name, type, owner, team, tier, environment, location, attributes";

ConfigItem ciFromRow(const Stmt& st) {
    ConfigItem ci;
    ci.id = st.text(0);
    ci.name = st.text(1);
    ci.type = st.text(2);
    ci.owner = st.text(3);
    ci.team = st.text(4);
    ci.tier = static_cast<int>(st.int64(5));
    ci.environment = st.text(6);
    ci.location = st.text(7);
    ci.attributes = attributesFromJson(st.text(8));
    return ci;
}

template <class T, class Decode>
Result<std::optional<T>> findJsonRow(sqlite3* db, const char* table, const std::string& id, Decode decode) {
    Stmt st(db, std::string("SELECT json FROM main.") + table + " WHERE id = ?");
    if (!st.prepared()) return st.error(std::string("cannot read ") + table);
    st.bind(1, id);
    int rc = st.step();
    if (rc == SQLITE_DONE) return std::optional<T>{};
    if (rc != SQLITE_ROW) return st.error(std::string("cannot read ") + table);
    auto value = decode(st.text(0), std::string(table) + "/" + id);
    if (!value) return value.error();
    return std::optional<T>{std::move(*value)};
}

template <class T, class Decode>
Result<std::vector<T>> allJsonRows(sqlite3* db, const char* table, Decode decode) {
    Stmt st(db, std::string("SELECT id, json FROM main.") + table + " ORDER BY id");
    if (!st.prepared()) return st.error(std::string("cannot read ") + table);
    std::vector<T> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        auto value = decode(st.text(1), std::string(table) + "/" + st.text(0));
        if (!value) return value.error();
        out.push_back(std::move(*value));
    }
    if (rc != SQLITE_DONE) return st.error(std::string("cannot read ") + table);
    return out;
}

Status putJsonRow(sqlite3* db, const char* table, const std::string& id, const std::string& json) {
    Stmt st(db, std::string("INSERT OR REPLACE INTO main.") + table + "(id, json) VALUES (?, ?)");
    if (!st.prepared()) return st.error(std::string("cannot write ") + table);
    st.bind(1, id).bind(2, json);
    return st.run(std::string("cannot write ") + table);
}

Status removeRow(sqlite3* db, const std::string& table, const char* keyColumn, const std::string& id) {
    Stmt st(db, "DELETE FROM " + table + " WHERE " + keyColumn + " = ?");
    if (!st.prepared()) return st.error("cannot delete from " + table);
    st.bind(1, id);
    return st.run("cannot delete from " + table);
}

Result<std::map<std::string, std::string>> keyValueRows(sqlite3* db, const std::string& sql) {
    Stmt st(db, sql);
    if (!st.prepared()) return st.error("cannot read settings");
    std::map<std::string, std::string> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) out.emplace(st.text(0), st.text(1));
    if (rc != SQLITE_DONE) return st.error("cannot read settings");
    return out;
}

Result<std::string> metaValue(sqlite3* db, const std::string& schemaName, const std::string& key) {
    Stmt st(db, "SELECT value FROM " + schemaName + ".meta WHERE key = ?");
    if (!st.prepared()) return st.error("cannot read " + schemaName + " meta");
    st.bind(1, key);
    if (st.step() != SQLITE_ROW) return std::string();
    return st.text(0);
}

// Ties the two files together with a random pair id stored in both.
Status checkPairId(sqlite3* db, bool readOnly) {
    auto mainId = metaValue(db, "main", "pair_id");
    if (!mainId) return mainId.error();
    auto cmdbId = metaValue(db, "cmdb", "pair_id");
    if (!cmdbId) return cmdbId.error();
    if (mainId->empty() && cmdbId->empty() && !readOnly) {
        return execSql(db,
                       "BEGIN; INSERT INTO main.meta(key, value) VALUES ('pair_id', lower(hex(randomblob(16))));"
                       "INSERT INTO cmdb.meta(key, value) SELECT key, value FROM main.meta WHERE key = 'pair_id';"
                       "COMMIT;");
    }
    if (*mainId != *cmdbId) return plainError("the CMDB file does not belong to this workspace (pair id mismatch)");
    return okStatus();
}

// Steps and resets a bound statement for one row of a bulk write; the caller
// builds the error message only when this fails, never per row.
bool stepRow(Stmt& st) {
    const int rc = st.step();
    sqlite3_reset(st.raw());
    return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

Status insertTags(Stmt& st, const ConfigItem& ci) {
    for (std::size_t i = 0; i < ci.tags.size(); ++i) {
        st.bindStatic(1, ci.id).bind(2, static_cast<std::int64_t>(i)).bindStatic(3, ci.tags[i]);
        if (!stepRow(st)) return st.error("cannot write the tags of CI " + ci.id);
    }
    return okStatus();
}

}  // namespace

Workspace::Workspace(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Workspace::Workspace(Workspace&&) noexcept = default;
Workspace& Workspace::operator=(Workspace&&) noexcept = default;
Workspace::~Workspace() = default;

Result<Workspace> Workspace::open(const std::string& dir, const std::string& name, const OpenOptions& options) {
    if (auto st = validateWorkspaceName(name); !st) return st.error();
    auto impl = std::make_unique<Impl>();
    impl->name = name;
    impl->dir = dir;
    impl->mainPath = mainFilePath(dir, name);
    impl->cmdbPath = cmdbFilePath(dir, name);
    impl->readOnly = options.readOnly;
    std::error_code ec;
    const bool mainExists = fs::exists(impl->mainPath, ec);
    const bool cmdbExists = fs::exists(impl->cmdbPath, ec);
    if (!options.create || options.readOnly) {
        if (!mainExists) return Error{"workspace \"" + name + "\" not found (no main file)", impl->mainPath, 0, 0};
        if (!cmdbExists) return Error{"workspace \"" + name + "\" has no CMDB file", impl->cmdbPath, 0, 0};
    }
    if (!options.readOnly && !fs::is_directory(dir, ec)) {
        fs::create_directories(dir, ec);
        if (ec) return Error{"cannot create the workspace directory: " + ec.message(), dir, 0, 0};
    }
    const int flags = SQLITE_OPEN_URI | (options.readOnly ? SQLITE_OPEN_READONLY
                                                          : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    configureSqliteOnce();
    if (sqlite3_open_v2(fileUri(impl->mainPath, options.readOnly).c_str(), &impl->db, flags, nullptr) != SQLITE_OK) {
        Error e = sqliteError(impl->db, "cannot open the workspace");
        e.file = impl->mainPath;
        return e;
    }
    sqlite3* db = impl->db;
    sqlite3_extended_result_codes(db, 1);
    // Our own files keep their triggers, but nothing in a schema may call a
    // function with side effects, and the schema cannot be written directly.
    if (auto st = hardenConnection(db, true); !st) return Error{st.error().message, impl->mainPath, 0, 0};
    {
        Stmt attach(db, "ATTACH DATABASE ? AS cmdb");
        if (!attach.prepared()) return sqliteError(db, "cannot attach the CMDB file");
        attach.bind(1, fileUri(impl->cmdbPath, options.readOnly));
        if (auto st = attach.run("cannot attach the CMDB file"); !st) {
            Error e = st.error();
            Stmt probe(db, "SELECT count(*) FROM main.sqlite_schema");
            const bool mainReadable = probe.prepared() && probe.step() == SQLITE_ROW;
            e.file = mainReadable ? impl->cmdbPath : impl->mainPath;
            return e;
        }
    }
    // Rollback journals, not WAL: the browser file system has no shared memory,
    // and whole-file persistence wants every committed state inside the .db file.
    const char* pragmas = options.readOnly ? "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
                                           : "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
                                             "PRAGMA main.journal_mode = DELETE; PRAGMA cmdb.journal_mode = DELETE;"
                                             "PRAGMA main.synchronous = FULL; PRAGMA cmdb.synchronous = FULL;"
                                             "PRAGMA cmdb.cache_size = -65536; PRAGMA threads = 4;";
    if (auto st = execSql(db, pragmas); !st) {
        Error e = st.error();
        e.file = impl->mainPath;
        return e;
    }
    for (const char* schemaName : {"main", "cmdb"}) {
        const std::string schema = schemaName;
        const std::string& path = schema == "main" ? impl->mainPath : impl->cmdbPath;
        if (options.readOnly) {
            auto v = schemaUserVersion(db, schema);
            if (!v) return Error{v.error().message, path, 0, 0};
            const int latest = schema == "main" ? kMainSchemaVersion : kCmdbSchemaVersion;
            if (*v < 1 || *v > latest)
                return Error{"the " + schema + " file has unsupported schema version " + std::to_string(*v), path, 0, 0};
            auto fmt = metaValue(db, schema, "format");
            if (!fmt || *fmt != (schema == "main" ? kMainFormat : kCmdbFormat))
                return Error{"the " + schema + " file is not a change planner workspace", path, 0, 0};
        } else {
            const int target = schema == "main" ? options.mainTargetVersion : options.cmdbTargetVersion;
            if (auto st = migrateSchema(db, schema, target); !st) return Error{st.error().message, path, 0, 0};
        }
    }
    if (auto st = checkPairId(db, options.readOnly); !st) return Error{st.error().message, impl->cmdbPath, 0, 0};
    auto mv = schemaUserVersion(db, "main");
    auto cv = schemaUserVersion(db, "cmdb");
    if (!mv || !cv) return sqliteError(db, "cannot read the schema versions");
    impl->mainVersion = *mv;
    impl->cmdbVersion = *cv;
    return Workspace(std::move(impl));
}

Result<Workspace> Workspace::create(const std::string& dir, const std::string& name) {
    if (auto st = validateWorkspaceName(name); !st) return st.error();
    std::error_code ec;
    if (fs::exists(mainFilePath(dir, name), ec) || fs::exists(cmdbFilePath(dir, name), ec))
        return Error{"workspace \"" + name + "\" already exists", mainFilePath(dir, name), 0, 0};
    OpenOptions options;
    options.create = true;
    return open(dir, name, options);
}

const std::string& Workspace::name() const { return m_impl->name; }
const std::string& Workspace::directory() const { return m_impl->dir; }
const std::string& Workspace::mainPath() const { return m_impl->mainPath; }
const std::string& Workspace::cmdbPath() const { return m_impl->cmdbPath; }
bool Workspace::readOnly() const { return m_impl->readOnly; }
int Workspace::schemaVersion() const { return m_impl->mainVersion; }
int Workspace::cmdbSchemaVersion() const { return m_impl->cmdbVersion; }
sqlite3* Workspace::handle() { return m_impl->db; }
DirtyFiles Workspace::lastCommitDirty() const { return m_impl->last; }
void Workspace::setCommitListener(std::function<void(const DirtyFiles&)> listener) {
    m_impl->listener = std::move(listener);
}

Status Workspace::holdTransaction(bool validatedBulk) {
    Impl& im = *m_impl;
    if (im.readOnly) return plainError("the workspace is open read-only");
    if (im.held || im.depth > 0) return plainError("another write is in progress");
    if (validatedBulk)
        if (auto st = execSql(im.db, "PRAGMA foreign_keys = OFF"); !st) return st;
    if (auto st = execSql(im.db, "BEGIN"); !st) {
        if (validatedBulk) execSql(im.db, "PRAGMA foreign_keys = ON");
        return st;
    }
    im.held = true;
    im.heldForeignKeysOff = validatedBulk;
    im.depth = 1;
    im.pending = {};
    return okStatus();
}

bool Workspace::holdingTransaction() const { return m_impl->held; }

Status Workspace::inHeldTransaction(DirtyFiles files, const std::function<Status()>& body) {
    Impl& im = *m_impl;
    if (!im.held) return plainError("no transaction is held");
    im.heldCalling = true;
    Status st = transaction([&]() -> Status {
        Status r = body();
        if (r) im.pending |= files;
        return r;
    });
    im.heldCalling = false;
    return st;
}

void Workspace::releaseHeld() {
    Impl& im = *m_impl;
    if (im.heldForeignKeysOff) execSql(im.db, "PRAGMA foreign_keys = ON");
    im.held = false;
    im.heldForeignKeysOff = false;
    im.depth = 0;
}

Status Workspace::commitHeldTransaction() {
    Impl& im = *m_impl;
    if (!im.held) return plainError("no transaction is held");
    if (auto st = execSql(im.db, "COMMIT"); !st) {
        execSql(im.db, "ROLLBACK");
        im.pending = {};
        releaseHeld();
        return st;
    }
    releaseHeld();
    im.last = im.pending;
    im.pending = {};
    if (im.last.any() && im.listener) im.listener(im.last);
    return okStatus();
}

void Workspace::rollbackHeldTransaction() {
    Impl& im = *m_impl;
    if (!im.held) return;
    execSql(im.db, "ROLLBACK");
    im.pending = {};
    releaseHeld();
}

Status Workspace::transaction(const std::function<Status()>& body) {
    Impl& im = *m_impl;
    if (im.held && !im.heldCalling)
        return plainError("a CMDB import is in progress; wait for it to finish or cancel it");
    sqlite3* db = im.db;
    const int level = im.depth;
    const std::string sp = "sp" + std::to_string(level);
    if (level == 0) {
        im.pending = {};
        if (auto st = execSql(db, "BEGIN"); !st) return st;
    } else if (auto st = execSql(db, "SAVEPOINT " + sp); !st) {
        return st;
    }
    ++im.depth;
    Status result = body();
    --im.depth;
    if (!result) {
        if (level == 0) {
            execSql(db, "ROLLBACK");
            im.pending = {};
        } else {
            execSql(db, "ROLLBACK TO " + sp + "; RELEASE " + sp);
        }
        return result;
    }
    if (level > 0) return execSql(db, "RELEASE " + sp);
    if (auto st = execSql(db, "COMMIT"); !st) {
        execSql(db, "ROLLBACK");
        im.pending = {};
        return st;
    }
    im.last = im.pending;
    im.pending = {};
    if (im.last.any() && im.listener) im.listener(im.last);
    return okStatus();
}

Status Workspace::write(DirtyFiles files, const std::function<Status()>& body) {
    if (m_impl->readOnly) return plainError("the workspace is open read-only");
    return transaction([&]() -> Status {
        Status st = body();
        if (st) m_impl->pending |= files;
        return st;
    });
}

// ---- main file -------------------------------------------------------------

Result<std::optional<ChangeRequest>> Workspace::findChange(const std::string& id) {
    return findJsonRow<ChangeRequest>(m_impl->db, "changes", id, changeFromRowJson);
}
Result<std::vector<ChangeRequest>> Workspace::changes() {
    return allJsonRows<ChangeRequest>(m_impl->db, "changes", changeFromRowJson);
}
Status Workspace::putChange(const ChangeRequest& change) {
    return write({true, false}, [&]() -> Status {
        const bool hasState = m_impl->mainVersion >= 2;
        Stmt st(m_impl->db, hasState ? "INSERT OR REPLACE INTO main.changes(id, json, updated_at, state) VALUES (?, ?, ?, ?)"
                                     : "INSERT OR REPLACE INTO main.changes(id, json, updated_at) VALUES (?, ?, ?)");
        if (!st.prepared()) return st.error("cannot write change");
        st.bind(1, change.id).bind(2, changeToRowJson(change)).bind(3, change.updatedAt);
        if (hasState) st.bind(4, std::string(toString(change.state)));
        return st.run("cannot write change " + change.id);
    });
}
Status Workspace::removeChange(const std::string& id) {
    return write({true, false}, [&] { return removeRow(m_impl->db, "main.changes", "id", id); });
}
Result<std::optional<Window>> Workspace::findWindow(const std::string& id) {
    return findJsonRow<Window>(m_impl->db, "windows", id, windowFromRowJson);
}
Result<std::vector<Window>> Workspace::windows() {
    return allJsonRows<Window>(m_impl->db, "windows", windowFromRowJson);
}
Status Workspace::putWindow(const Window& window) {
    return write({true, false}, [&] { return putJsonRow(m_impl->db, "windows", window.id, windowToRowJson(window)); });
}
Status Workspace::removeWindow(const std::string& id) {
    return write({true, false}, [&] { return removeRow(m_impl->db, "main.windows", "id", id); });
}
Result<std::optional<Person>> Workspace::findPerson(const std::string& id) {
    return findJsonRow<Person>(m_impl->db, "people", id, personFromRowJson);
}
Result<std::vector<Person>> Workspace::people() {
    return allJsonRows<Person>(m_impl->db, "people", personFromRowJson);
}
Status Workspace::putPerson(const Person& person) {
    return write({true, false}, [&] { return putJsonRow(m_impl->db, "people", person.id, personToRowJson(person)); });
}
Status Workspace::removePerson(const std::string& id) {
    return write({true, false}, [&] { return removeRow(m_impl->db, "main.people", "id", id); });
}
Result<std::optional<std::string>> Workspace::setting(const std::string& key) {
    Stmt st(m_impl->db, "SELECT value FROM main.settings WHERE key = ?");
    if (!st.prepared()) return st.error("cannot read settings");
    st.bind(1, key);
    int rc = st.step();
    if (rc == SQLITE_DONE) return std::optional<std::string>{};
    if (rc != SQLITE_ROW) return st.error("cannot read settings");
    return std::optional<std::string>{st.text(0)};
}
Result<std::map<std::string, std::string>> Workspace::settings() {
    return keyValueRows(m_impl->db, "SELECT key, value FROM main.settings ORDER BY key");
}
Status Workspace::putSetting(const std::string& key, const std::string& value) {
    return write({true, false}, [&]() -> Status {
        Stmt st(m_impl->db, "INSERT OR REPLACE INTO main.settings(key, value) VALUES (?, ?)");
        if (!st.prepared()) return st.error("cannot write settings");
        st.bind(1, key).bind(2, value);
        return st.run("cannot write setting " + key);
    });
}
Status Workspace::removeSetting(const std::string& key) {
    return write({true, false}, [&] { return removeRow(m_impl->db, "main.settings", "key", key); });
}
Result<std::map<std::string, std::string>> Workspace::policies() {
    return keyValueRows(m_impl->db, "SELECT id, json FROM main.policies ORDER BY id");
}
Status Workspace::putPolicy(const std::string& id, const std::string& json) {
    return write({true, false}, [&] { return putJsonRow(m_impl->db, "policies", id, json); });
}
Status Workspace::removePolicy(const std::string& id) {
    return write({true, false}, [&] { return removeRow(m_impl->db, "main.policies", "id", id); });
}

// ---- CMDB ------------------------------------------------------------------

namespace {

Status loadTags(sqlite3* db, ConfigItem& ci) {
    Stmt st(db, "SELECT tag FROM cmdb.ci_tags WHERE ci_id = ? ORDER BY pos");
    if (!st.prepared()) return st.error("cannot read CI tags");
    st.bind(1, ci.id);
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) ci.tags.push_back(st.text(0));
    if (rc != SQLITE_DONE) return st.error("cannot read CI tags");
    return okStatus();
}

Result<std::vector<Relationship>> readRelationships(Stmt& st) {
    if (!st.prepared()) return st.error("cannot read relationships");
    std::vector<Relationship> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) out.push_back(Relationship{st.text(0), st.text(1), st.text(2)});
    if (rc != SQLITE_DONE) return st.error("cannot read relationships");
    return out;
}

}  // namespace

Result<std::optional<ConfigItem>> Workspace::findCi(const std::string& id) {
    Stmt st(m_impl->db, std::string("SELECT ") + kCiColumns + " FROM cmdb.cis WHERE id = ?");
    if (!st.prepared()) return st.error("cannot read CIs");
    st.bind(1, id);
    int rc = st.step();
    if (rc == SQLITE_DONE) return std::optional<ConfigItem>{};
    if (rc != SQLITE_ROW) return st.error("cannot read CIs");
    ConfigItem ci = ciFromRow(st);
    if (auto s = loadTags(m_impl->db, ci); !s) return s.error();
    return std::optional<ConfigItem>{std::move(ci)};
}

Result<std::vector<ConfigItem>> Workspace::cis() {
    sqlite3* db = m_impl->db;
    std::vector<ConfigItem> out;
    {
        Stmt st(db, std::string("SELECT ") + kCiColumns + " FROM cmdb.cis ORDER BY id");
        if (!st.prepared()) return st.error("cannot read CIs");
        int rc;
        while ((rc = st.step()) == SQLITE_ROW) out.push_back(ciFromRow(st));
        if (rc != SQLITE_DONE) return st.error("cannot read CIs");
    }
    Stmt tags(db, "SELECT ci_id, tag FROM cmdb.ci_tags ORDER BY ci_id, pos");
    if (!tags.prepared()) return tags.error("cannot read CI tags");
    std::size_t i = 0;
    int rc;
    while ((rc = tags.step()) == SQLITE_ROW) {
        const std::string id = tags.text(0);
        while (i < out.size() && out[i].id < id) ++i;
        if (i < out.size() && out[i].id == id) out[i].tags.push_back(tags.text(1));
    }
    if (rc != SQLITE_DONE) return tags.error("cannot read CI tags");
    return out;
}

Result<std::vector<Relationship>> Workspace::relationships() {
    Stmt st(m_impl->db, "SELECT from_id, to_id, type FROM cmdb.relationships ORDER BY from_id, to_id, type");
    return readRelationships(st);
}

Result<std::vector<Relationship>> Workspace::relationshipsOf(const std::string& ciId) {
    Stmt st(m_impl->db,
            "SELECT from_id, to_id, type FROM cmdb.relationships WHERE from_id = ?1 "
            "UNION SELECT from_id, to_id, type FROM cmdb.relationships WHERE to_id = ?1 ORDER BY 1, 2, 3");
    st.bind(1, ciId);
    return readRelationships(st);
}

Result<CmdbCounts> Workspace::cmdbCounts() {
    Stmt st(m_impl->db, "SELECT (SELECT count(*) FROM cmdb.cis), (SELECT count(*) FROM cmdb.relationships)");
    if (!st.prepared() || st.step() != SQLITE_ROW) return st.error("cannot count the CMDB");
    return CmdbCounts{st.int64(0), st.int64(1)};
}

Result<std::vector<ConfigItem>> Workspace::searchCis(const std::string& text, const std::string& type,
                                                     const std::string& tag, int limit) {
    std::string pattern = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') pattern += '\\';
        pattern += c;
    }
    pattern += '%';
    Stmt st(m_impl->db, std::string("SELECT ") + kCiColumns +
                            " FROM cmdb.cis WHERE name LIKE ?1 ESCAPE '\\' AND (?2 = '' OR type = ?2)"
                            " AND (?3 = '' OR id IN (SELECT ci_id FROM cmdb.ci_tags WHERE tag = ?3))"
                            " ORDER BY name COLLATE NOCASE, id LIMIT ?4");
    if (!st.prepared()) return st.error("cannot search CIs");
    st.bind(1, pattern).bind(2, type).bind(3, tag).bind(4, static_cast<std::int64_t>(limit));
    std::vector<ConfigItem> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) out.push_back(ciFromRow(st));
    if (rc != SQLITE_DONE) return st.error("cannot search CIs");
    for (auto& ci : out)
        if (auto s = loadTags(m_impl->db, ci); !s) return s.error();
    return out;
}

Status Workspace::putCi(const ConfigItem& ci) {
    return write({false, true}, [&]() -> Status {
        sqlite3* db = m_impl->db;
        Stmt up(db, "INSERT INTO cmdb.cis(id, name, type, owner, team, tier, environment, location, attributes) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
                    "type = excluded.type, owner = excluded.owner, team = excluded.team, tier = excluded.tier, "
                    "environment = excluded.environment, location = excluded.location, attributes = excluded.attributes");
        if (!up.prepared()) return up.error("cannot write CI");
        up.bind(1, ci.id).bind(2, ci.name).bind(3, ci.type).bind(4, ci.owner).bind(5, ci.team);
        up.bind(6, static_cast<std::int64_t>(ci.tier)).bind(7, ci.environment).bind(8, ci.location);
        up.bind(9, attributesToJson(ci.attributes));
        if (auto s = up.run("cannot write CI " + ci.id); !s) return s;
        if (auto s = removeRow(db, "cmdb.ci_tags", "ci_id", ci.id); !s) return s;
        Stmt tags(db, "INSERT INTO cmdb.ci_tags(ci_id, pos, tag) VALUES (?, ?, ?)");
        if (!tags.prepared()) return tags.error("cannot write CI tags");
        return insertTags(tags, ci);
    });
}

Status Workspace::removeCi(const std::string& id) {
    return write({false, true}, [&]() -> Status {
        sqlite3* db = m_impl->db;
        if (auto s = removeRow(db, "cmdb.relationships", "from_id", id); !s) return s;
        if (auto s = removeRow(db, "cmdb.relationships", "to_id", id); !s) return s;
        if (auto s = removeRow(db, "cmdb.ci_tags", "ci_id", id); !s) return s;
        return removeRow(db, "cmdb.cis", "id", id);
    });
}

Status Workspace::putRelationship(const Relationship& rel) {
    return write({false, true}, [&]() -> Status {
        Stmt st(m_impl->db, "INSERT OR IGNORE INTO cmdb.relationships(from_id, to_id, type) VALUES (?, ?, ?)");
        if (!st.prepared()) return st.error("cannot write relationship");
        st.bind(1, rel.from).bind(2, rel.to).bind(3, rel.type);
        return st.run("cannot write relationship " + rel.from + " -> " + rel.to);
    });
}

Status Workspace::removeRelationship(const Relationship& rel) {
    return write({false, true}, [&]() -> Status {
        Stmt st(m_impl->db, "DELETE FROM cmdb.relationships WHERE from_id = ? AND to_id = ? AND type = ?");
        if (!st.prepared()) return st.error("cannot delete relationship");
        st.bind(1, rel.from).bind(2, rel.to).bind(3, rel.type);
        return st.run("cannot delete relationship");
    });
}

// ---- CMDB bulk writer --------------------------------------------------------

struct CmdbWriter::State {
    sqlite3* db = nullptr;
    int cmdbVersion = 0;
    bool replace = true;
    // Rows go in key order: appending to the right edge of each B-tree is far
    // cheaper than random inserts into a large table.
    std::vector<const ConfigItem*> cis;
    std::vector<const Relationship*> relationships;
    std::size_t nextCi = 0;
    std::size_t nextRel = 0;
    std::optional<Stmt> ci, clearTags, tag, rel;
};

CmdbWriter::CmdbWriter(Workspace& workspace, const std::vector<ConfigItem>& cis,
                       const std::vector<Relationship>& relationships, CmdbWriteMode mode)
    : m_state(std::make_unique<State>()) {
    State& st = *m_state;
    st.db = workspace.handle();
    st.cmdbVersion = workspace.cmdbSchemaVersion();
    st.replace = mode == CmdbWriteMode::Replace;
    st.cis.reserve(cis.size());
    for (const auto& item : cis) st.cis.push_back(&item);
    st.relationships.reserve(relationships.size());
    for (const auto& r : relationships) st.relationships.push_back(&r);
}

CmdbWriter::~CmdbWriter() = default;

std::int64_t CmdbWriter::total() const {
    return static_cast<std::int64_t>(m_state->cis.size() + m_state->relationships.size());
}
std::int64_t CmdbWriter::written() const { return static_cast<std::int64_t>(m_state->nextCi + m_state->nextRel); }

Status CmdbWriter::start() {
    State& st = *m_state;
    sqlite3* db = st.db;
    if (st.replace) {
        if (auto s = execSql(db, "DELETE FROM cmdb.relationships; DELETE FROM cmdb.ci_tags; DELETE FROM cmdb.cis;"); !s)
            return s;
        for (const auto& idx : cmdbSecondaryIndexes(st.cmdbVersion))
            if (auto s = execSql(db, "DROP INDEX IF EXISTS cmdb." + idx.name); !s) return s;
    }
    st.ci.emplace(db, st.replace ? "INSERT INTO cmdb.cis(id, name, type, owner, team, tier, environment, location, "
                                   "attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                 : "INSERT INTO cmdb.cis(id, name, type, owner, team, tier, environment, location, "
                                   "attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                                   "name = excluded.name, type = excluded.type, owner = excluded.owner, "
                                   "team = excluded.team, tier = excluded.tier, environment = excluded.environment, "
                                   "location = excluded.location, attributes = excluded.attributes");
    st.clearTags.emplace(db, "DELETE FROM cmdb.ci_tags WHERE ci_id = ?");
    st.tag.emplace(db, "INSERT INTO cmdb.ci_tags(ci_id, pos, tag) VALUES (?, ?, ?)");
    st.rel.emplace(db, "INSERT OR IGNORE INTO cmdb.relationships(from_id, to_id, type) VALUES (?, ?, ?)");
    if (!st.ci->prepared() || !st.clearTags->prepared() || !st.tag->prepared())
        return st.ci->error("cannot write CIs");
    if (!st.rel->prepared()) return st.rel->error("cannot write relationships");
    const auto ciBefore = [](const ConfigItem* a, const ConfigItem* b) { return a->id < b->id; };
    // A parsed import arrives in key order already: checking is linear.
    if (!std::is_sorted(st.cis.begin(), st.cis.end(), ciBefore)) std::sort(st.cis.begin(), st.cis.end(), ciBefore);
    // One three-way comparison per field (a tuple comparison runs two).
    const auto relBefore = [](const Relationship* a, const Relationship* b) {
        if (int c = a->from.compare(b->from)) return c < 0;
        if (int c = a->to.compare(b->to)) return c < 0;
        return a->type < b->type;
    };
    if (!std::is_sorted(st.relationships.begin(), st.relationships.end(), relBefore))
        std::sort(st.relationships.begin(), st.relationships.end(), relBefore);
    return okStatus();
}

Result<bool> CmdbWriter::writeRows(std::int64_t maxRows) {
    State& st = *m_state;
    if (!st.ci) return plainError("the CMDB writer was not started");
    static const std::string kEmptyAttributes = "{}";
    std::int64_t budget = maxRows;
    for (; budget > 0 && st.nextCi < st.cis.size(); --budget) {
        const ConfigItem& item = *st.cis[st.nextCi++];
        const std::string attrs = item.attributes.empty() ? kEmptyAttributes : attributesToJson(item.attributes);
        Stmt& ci = *st.ci;
        ci.bindStatic(1, item.id).bindStatic(2, item.name).bindStatic(3, item.type);
        ci.bindStatic(4, item.owner).bindStatic(5, item.team).bind(6, static_cast<std::int64_t>(item.tier));
        ci.bindStatic(7, item.environment).bindStatic(8, item.location).bindStatic(9, attrs);
        if (!stepRow(ci)) return ci.error("cannot write CI " + item.id);
        if (!st.replace) {
            st.clearTags->bindStatic(1, item.id);
            if (!stepRow(*st.clearTags)) return st.clearTags->error("cannot write the tags of CI " + item.id);
        }
        if (auto s = insertTags(*st.tag, item); !s) return s.error();
    }
    for (; budget > 0 && st.nextRel < st.relationships.size(); --budget) {
        const Relationship& r = *st.relationships[st.nextRel++];
        Stmt& rel = *st.rel;
        rel.bindStatic(1, r.from).bindStatic(2, r.to).bindStatic(3, r.type);
        if (!stepRow(rel)) return rel.error("cannot write relationship " + r.from + " -> " + r.to);
    }
    return st.nextCi == st.cis.size() && st.nextRel == st.relationships.size();
}

Status CmdbWriter::finish() {
    State& st = *m_state;
    st.ci.reset();
    st.clearTags.reset();
    st.tag.reset();
    st.rel.reset();
    if (st.replace)
        for (const auto& idx : cmdbSecondaryIndexes(st.cmdbVersion))
            if (auto s = execSql(st.db, idx.createSql); !s) return s;
    return okStatus();
}

Status Workspace::writeCmdb(const std::vector<ConfigItem>& cis, const std::vector<Relationship>& relationships,
                            CmdbWriteMode mode, const ProgressFn& progress) {
    return write({false, true}, [&]() -> Status {
        CmdbWriter writer(*this, cis, relationships, mode);
        if (auto s = writer.start(); !s) return s;
        for (;;) {
            auto done = writer.writeRows(8192);
            if (!done) return done.error();
            if (progress && !progress(writer.written(), writer.total()))
                return plainError("import cancelled; nothing was changed");
            if (*done) break;
        }
        return writer.finish();
    });
}

// ---- whole workspace -------------------------------------------------------

Result<WorkspaceSnapshot> Workspace::snapshot() {
    WorkspaceSnapshot snap;
    snap.data.name = m_impl->name;
    auto c = cis();
    if (!c) return c.error();
    snap.data.cis = std::move(*c);
    auto r = relationships();
    if (!r) return r.error();
    snap.data.relationships = std::move(*r);
    auto ch = changes();
    if (!ch) return ch.error();
    snap.data.changes = std::move(*ch);
    auto w = windows();
    if (!w) return w.error();
    snap.data.windows = std::move(*w);
    auto p = people();
    if (!p) return p.error();
    snap.data.people = std::move(*p);
    auto s = settings();
    if (!s) return s.error();
    snap.settings = std::move(*s);
    auto pol = policies();
    if (!pol) return pol.error();
    snap.policies = std::move(*pol);
    return snap;
}

Status Workspace::replaceContents(const WorkspaceSnapshot& snap) {
    return write({true, true}, [&]() -> Status {
        sqlite3* db = m_impl->db;
        if (auto s = execSql(db, "DELETE FROM main.changes; DELETE FROM main.windows; DELETE FROM main.people;"
                                 "DELETE FROM main.settings; DELETE FROM main.policies;");
            !s)
            return s;
        for (const auto& c : snap.data.changes)
            if (auto s = putChange(c); !s) return s;
        for (const auto& w : snap.data.windows)
            if (auto s = putWindow(w); !s) return s;
        for (const auto& p : snap.data.people)
            if (auto s = putPerson(p); !s) return s;
        for (const auto& [k, v] : snap.settings)
            if (auto s = putSetting(k, v); !s) return s;
        for (const auto& [k, v] : snap.policies)
            if (auto s = putPolicy(k, v); !s) return s;
        return writeCmdb(snap.data.cis, snap.data.relationships, CmdbWriteMode::Replace);
    });
}

Result<std::string> Workspace::integrityCheck() {
    for (const char* schema : {"main", "cmdb"}) {
        Stmt st(m_impl->db, std::string("PRAGMA ") + schema + ".integrity_check(1)");
        if (!st.prepared() || st.step() != SQLITE_ROW) return st.error("integrity check failed to run");
        std::string verdict = st.text(0);
        if (verdict != "ok") return std::string(schema) + ": " + verdict;
    }
    return std::string("ok");
}

// ---- audit trail -----------------------------------------------------------

std::string auditRowContent(const AuditRow& row) {
    auto field = [](const char* key, const std::string& v) {
        return std::string(key) + "=" + std::to_string(v.size()) + ":" + v + "\n";
    };
    return "seq=" + std::to_string(row.seq) + "\nat=" + std::to_string(row.at) + "\n" + field("actor", row.actor) +
           field("kind", row.kind) + field("payload", row.payload);
}

std::string auditRowHash(const AuditRow& row) { return sha256Hex(row.prevHash + auditRowContent(row)); }

Result<AuditRow> Workspace::appendAudit(std::int64_t at, const std::string& actor, const std::string& kind,
                                        const std::string& payload) {
    AuditRow row;
    Status st = write({true, false}, [&]() -> Status {
        sqlite3* db = m_impl->db;
        Stmt head(db, "SELECT seq, hash FROM main.audit_head WHERE id = 1");
        if (!head.prepared()) return head.error("cannot read the audit head");
        int rc = head.step();
        if (rc == SQLITE_ROW) {
            row.seq = head.int64(0) + 1;
            row.prevHash = head.text(1);
        } else if (rc == SQLITE_DONE) {
            row.seq = 1;
            row.prevHash = kZeroHash;
        } else {
            return head.error("cannot read the audit head");
        }
        row.at = at;
        row.actor = actor;
        row.kind = kind;
        row.payload = payload;
        row.hash = auditRowHash(row);
        Stmt ins(db, "INSERT INTO main.audit(seq, at, actor, kind, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)");
        if (!ins.prepared()) return ins.error("cannot append to the audit trail");
        ins.bind(1, row.seq).bind(2, row.at).bind(3, row.actor).bind(4, row.kind).bind(5, row.payload);
        ins.bind(6, row.prevHash).bind(7, row.hash);
        if (auto s = ins.run("cannot append to the audit trail"); !s) return s;
        Stmt up(db, "INSERT OR REPLACE INTO main.audit_head(id, seq, hash) VALUES (1, ?, ?)");
        if (!up.prepared()) return up.error("cannot update the audit head");
        up.bind(1, row.seq).bind(2, row.hash);
        return up.run("cannot update the audit head");
    });
    if (!st) return st.error();
    return row;
}

Result<std::vector<AuditRow>> Workspace::auditRows(std::int64_t fromSeq, std::int64_t limit) {
    Stmt st(m_impl->db, "SELECT seq, at, actor, kind, payload, prev_hash, hash FROM main.audit WHERE seq >= ? "
                        "ORDER BY seq LIMIT ?");
    if (!st.prepared()) return st.error("cannot read the audit trail");
    st.bind(1, fromSeq).bind(2, limit);
    std::vector<AuditRow> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW)
        out.push_back(AuditRow{st.int64(0), st.int64(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6)});
    if (rc != SQLITE_DONE) return st.error("cannot read the audit trail");
    return out;
}

Result<AuditAnchor> Workspace::auditHead() const {
    Stmt st(m_impl->db, "SELECT seq, hash FROM main.audit ORDER BY seq DESC LIMIT 1");
    if (!st.prepared()) return st.error("cannot read the audit trail");
    AuditAnchor head{0, kZeroHash, "this workspace"};
    const int rc = st.step();
    if (rc == SQLITE_ROW) {
        head.seq = st.int64(0);
        head.hash = st.text(1);
    } else if (rc != SQLITE_DONE) {
        return st.error("cannot read the audit trail");
    }
    return head;
}

Result<AuditVerification> Workspace::verifyAuditChain(const std::vector<AuditAnchor>& anchors) {
    auto v = verifyAuditLinks();
    if (!v || !v->ok || anchors.empty()) return v;
    // Each anchor's row, as the chain holds it now.
    for (const AuditAnchor& anchor : anchors) {
        const std::string from = anchor.source.empty() ? std::string("an anchor") : anchor.source;
        const std::string recorded = "row " + std::to_string(anchor.seq) + " (hash " + anchor.hash.substr(0, 16) + "...)";
        if (anchor.seq > v->rows) {
            v->ok = false;
            v->firstBadSeq = v->rows + 1;
            v->problem = "the trail ends at row " + std::to_string(v->rows) + " but " + from + " recorded " + recorded +
                         ": rows were cut from the end";
            return v;
        }
        std::string hash = kZeroHash;
        if (anchor.seq > 0) {
            Stmt st(m_impl->db, "SELECT hash FROM main.audit WHERE seq = ?");
            if (!st.prepared()) return st.error("cannot read the audit trail");
            st.bind(1, anchor.seq);
            if (st.step() != SQLITE_ROW) return st.error("cannot read the audit trail");
            hash = st.text(0);
        }
        if (hash != anchor.hash) {
            v->ok = false;
            v->firstBadSeq = anchor.seq;
            v->problem = "row " + std::to_string(anchor.seq) + " differs from what " + from + " recorded (" + recorded +
                         "): the history was rewritten";
            return v;
        }
        if (anchor.seq >= v->anchoredSeq) {
            v->anchoredSeq = anchor.seq;
            v->anchoredBy = from;
        }
    }
    return v;
}

Result<AuditVerification> Workspace::verifyAuditLinks() {
    sqlite3* db = m_impl->db;
    AuditVerification v;
    auto fail = [&](std::int64_t seq, std::string problem) {
        v.ok = false;
        v.firstBadSeq = seq;
        v.problem = std::move(problem);
        return v;
    };
    Stmt st(db, "SELECT seq, at, actor, kind, payload, prev_hash, hash FROM main.audit ORDER BY seq");
    if (!st.prepared()) return st.error("cannot read the audit trail");
    std::int64_t expected = 1;
    std::string prevHash = kZeroHash;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        AuditRow row{st.int64(0), st.int64(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6)};
        ++v.rows;
        if (row.seq != expected)
            return fail(expected, row.seq > expected ? "row " + std::to_string(expected) + " is missing (next row is " +
                                                           std::to_string(row.seq) + ")"
                                                     : "unexpected row numbering at " + std::to_string(row.seq));
        if (row.prevHash != prevHash)
            return fail(row.seq, "prev_hash does not match the hash of the row before (rows deleted, inserted or "
                                 "reordered)");
        if (auditRowHash(row) != row.hash) return fail(row.seq, "row content does not match its hash (row edited)");
        prevHash = row.hash;
        ++expected;
    }
    if (rc != SQLITE_DONE) return st.error("cannot read the audit trail");
    const std::int64_t last = expected - 1;
    Stmt head(db, "SELECT seq, hash FROM main.audit_head WHERE id = 1");
    if (!head.prepared()) return head.error("cannot read the audit head");
    rc = head.step();
    if (rc == SQLITE_DONE) {
        if (last > 0) return fail(1, "the audit head record is missing");
        return v;
    }
    if (rc != SQLITE_ROW) return head.error("cannot read the audit head");
    const std::int64_t headSeq = head.int64(0);
    const std::string headHash = head.text(1);
    if (headSeq > last)
        return fail(last + 1, "the trail ends at row " + std::to_string(last) + " but the head records row " +
                                  std::to_string(headSeq) + " (rows cut from the end)");
    if (headSeq < last)
        return fail(headSeq + 1, "rows after the recorded head " + std::to_string(headSeq) + " were appended outside "
                                 "the workspace");
    if (headHash != prevHash) return fail(last, "the last row's hash does not match the recorded head hash");
    return v;
}

}  // namespace planner::core::store
