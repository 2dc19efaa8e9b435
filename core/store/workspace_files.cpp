#include "store/workspace_files.hpp"

#include <sqlite3.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "crypto/hash.hpp"
#include "model/serialization.hpp"
#include "store/schema.hpp"
#include "store/sqlite_util.hpp"
#include "store/workspace.hpp"

namespace planner::core::store {

namespace fs = std::filesystem;

namespace {

const char* const kMainSuffix = ".planner.db";
const char* const kCmdbSuffix = ".cmdb.db";

Error fileError(std::string message, const std::string& path) { return Error{std::move(message), path, 0, 0}; }

// Moves `from` to `to` if `from` exists (journals travel with their database).
Status moveIfPresent(const std::string& from, const std::string& to) {
    std::error_code ec;
    if (!fs::exists(from, ec)) return okStatus();
    fs::rename(from, to, ec);
    if (ec) return fileError("cannot rename: " + ec.message(), from);
    return okStatus();
}

Status removeIfPresent(const std::string& path) {
    std::error_code ec;
    fs::remove(path, ec);
    if (ec) return fileError("cannot delete: " + ec.message(), path);
    return okStatus();
}

Status copyFile(const std::string& from, const std::string& to) {
    std::error_code ec;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    if (ec) return fileError("cannot copy to " + to + ": " + ec.message(), from);
    return okStatus();
}

struct Connection {
    sqlite3* db = nullptr;
    ~Connection() {
        if (db) sqlite3_close_v2(db);
    }
};

std::string readOnlyUri(const std::string& path) {
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
    return out + "?mode=ro";
}

// First look at a candidate file: its version (from the file header) and its
// schema, compared with ours at that version before any statement touches
// the file's content. A file whose triggers, views, indexes, tables or their
// SQL (CHECK and DEFAULT expressions included) differ from what this program
// writes is refused, naming the object.
Status checkCandidateSchema(sqlite3* db, const std::string& schema, const std::string& path) {
    auto version = schemaUserVersion(db, schema);
    if (!version) return fileError("not a readable SQLite database: " + std::string(sqlite3_errmsg(db)), path);
    const int latest = schema == "main" ? kMainSchemaVersion : kCmdbSchemaVersion;
    if (*version < 1 || *version > latest)
        return fileError("unsupported schema version " + std::to_string(*version) + " (expected 1.." +
                             std::to_string(latest) + ")",
                         path);
    if (auto st = checkSchemaIsOurs(db, schema, *version); !st) return fileError(st.error().message, path);
    return okStatus();
}

// Then its content: page integrity and the format marker.
Status checkCandidateContent(sqlite3* db, const std::string& schema, const std::string& path) {
    Stmt ic(db, "PRAGMA " + schema + ".integrity_check(1)");
    if (!ic.prepared() || ic.step() != SQLITE_ROW)
        return fileError("not a readable SQLite database: " + std::string(sqlite3_errmsg(db)), path);
    if (ic.text(0) != "ok") return fileError("integrity check failed: " + ic.text(0), path);
    Stmt fmt(db, "SELECT value FROM " + schema + ".meta WHERE key = 'format'");
    const char* expected = schema == "main" ? kMainFormat : kCmdbFormat;
    if (!fmt.prepared() || fmt.step() != SQLITE_ROW || fmt.text(0) != expected)
        return fileError("not a change planner " + std::string(schema == "main" ? "workspace" : "CMDB") + " file",
                         path);
    return okStatus();
}

}  // namespace

Status validateWorkspaceName(const std::string& name) {
    if (name.empty() || name.size() > 64) return Error{"workspace name must have 1 to 64 characters", "", 0, 0};
    if (name[0] == '.' || name[0] == ' ')
        return Error{"workspace name must not start with '.' or a space", "", 0, 0};
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
                        c == '_' || c == '-' || c == '.';
        if (!ok)
            return Error{"workspace name may only hold letters, digits, space, '_', '-' and '.'", "", 0, 0};
    }
    return okStatus();
}

std::string mainFilePath(const std::string& dir, const std::string& name) {
    return (fs::path(dir) / (name + kMainSuffix)).string();
}

std::string cmdbFilePath(const std::string& dir, const std::string& name) {
    return (fs::path(dir) / (name + kCmdbSuffix)).string();
}

Result<std::vector<std::string>> listWorkspaces(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    const std::string suffix = kMainSuffix;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string file = it->path().filename().string();
        if (file.size() <= suffix.size() || file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        const std::string name = file.substr(0, file.size() - suffix.size());
        if (!validateWorkspaceName(name)) continue;
        if (fs::exists(cmdbFilePath(dir, name))) out.push_back(name);
    }
    if (ec) return fileError("cannot list workspaces: " + ec.message(), dir);
    std::sort(out.begin(), out.end());
    return out;
}

Status renameWorkspace(const std::string& dir, const std::string& from, const std::string& to) {
    if (auto st = validateWorkspaceName(from); !st) return st;
    if (auto st = validateWorkspaceName(to); !st) return st;
    std::error_code ec;
    if (!fs::exists(mainFilePath(dir, from), ec))
        return fileError("workspace \"" + from + "\" not found", mainFilePath(dir, from));
    if (fs::exists(mainFilePath(dir, to), ec) || fs::exists(cmdbFilePath(dir, to), ec))
        return fileError("workspace \"" + to + "\" already exists", mainFilePath(dir, to));
    for (const auto& [src, dst] : {std::pair{cmdbFilePath(dir, from), cmdbFilePath(dir, to)},
                                   std::pair{mainFilePath(dir, from), mainFilePath(dir, to)}}) {
        if (auto st = moveIfPresent(src + "-journal", dst + "-journal"); !st) return st;
        if (auto st = moveIfPresent(src, dst); !st) return st;
    }
    return okStatus();
}

Status deleteWorkspace(const std::string& dir, const std::string& name) {
    if (auto st = validateWorkspaceName(name); !st) return st;
    std::error_code ec;
    if (!fs::exists(mainFilePath(dir, name), ec) && !fs::exists(cmdbFilePath(dir, name), ec))
        return fileError("workspace \"" + name + "\" not found", mainFilePath(dir, name));
    for (const auto& path : {mainFilePath(dir, name), cmdbFilePath(dir, name)}) {
        if (auto st = removeIfPresent(path + "-journal"); !st) return st;
        if (auto st = removeIfPresent(path); !st) return st;
    }
    return okStatus();
}

Result<BackupFiles> backupWorkspace(Workspace& workspace, const std::string& destDir) {
    std::error_code ec;
    fs::create_directories(destDir, ec);
    BackupFiles files{mainFilePath(destDir, workspace.name()), cmdbFilePath(destDir, workspace.name()),
                      (fs::path(destDir) / (workspace.name() + ".json")).string()};
    if (fs::equivalent(files.mainPath, workspace.mainPath(), ec))
        return fileError("the backup directory is the workspace directory", destDir);
    for (const auto& [schema, path] : {std::pair{"main", files.mainPath}, std::pair{"cmdb", files.cmdbPath}}) {
        if (auto st = removeIfPresent(path); !st) return st.error();
        Stmt vac(workspace.handle(), std::string("VACUUM ") + schema + " INTO ?");
        if (!vac.prepared()) return vac.error("cannot back up");
        vac.bind(1, path);
        if (auto st = vac.run(std::string("cannot back up the ") + schema + " file"); !st) return st.error();
    }
    auto snap = workspace.snapshot();
    if (!snap) return snap.error();
    std::ofstream out(files.jsonPath, std::ios::binary | std::ios::trunc);
    out << toJson(*snap);
    out.close();
    if (!out) return fileError("cannot write the JSON export", files.jsonPath);
    return files;
}

Status validateBackup(const std::string& mainPath, const std::string& cmdbPath) {
    std::error_code ec;
    for (const auto& path : {mainPath, cmdbPath})
        if (!fs::is_regular_file(path, ec)) return fileError("backup file not found", path);
    Connection c;
    configureSqliteOnce();
    if (sqlite3_open_v2(readOnlyUri(mainPath).c_str(), &c.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) !=
        SQLITE_OK)
        return fileError("cannot open: " + std::string(sqlite3_errmsg(c.db)), mainPath);
    // Before the files are read: nothing stored in them may run.
    if (auto st = hardenConnection(c.db); !st) return fileError(st.error().message, mainPath);
    {
        Stmt attach(c.db, "ATTACH DATABASE ? AS cmdb");
        if (!attach.prepared()) return fileError("cannot attach", cmdbPath);
        attach.bind(1, readOnlyUri(cmdbPath));
        if (auto st = attach.run("cannot open"); !st) return fileError(st.error().message, cmdbPath);
    }
    if (auto st = checkCandidateSchema(c.db, "main", mainPath); !st) return st;
    if (auto st = checkCandidateSchema(c.db, "cmdb", cmdbPath); !st) return st;
    if (auto st = checkCandidateContent(c.db, "main", mainPath); !st) return st;
    if (auto st = checkCandidateContent(c.db, "cmdb", cmdbPath); !st) return st;
    Stmt pair(c.db, "SELECT (SELECT value FROM main.meta WHERE key = 'pair_id'),"
                    " (SELECT value FROM cmdb.meta WHERE key = 'pair_id')");
    if (!pair.prepared() || pair.step() != SQLITE_ROW) return fileError("cannot read the pair id", mainPath);
    if (pair.isNull(0) || pair.isNull(1) || pair.text(0) != pair.text(1))
        return fileError("the CMDB file does not belong to this workspace file (pair id mismatch)", cmdbPath);
    return okStatus();
}

Status restoreWorkspace(const std::string& dir, const std::string& name, const std::string& candidateMainPath,
                        const std::string& candidateCmdbPath) {
    if (auto st = validateWorkspaceName(name); !st) return st;
    if (auto st = validateBackup(candidateMainPath, candidateCmdbPath); !st) return st;
    std::error_code ec;
    fs::create_directories(dir, ec);
    const std::string mainTarget = mainFilePath(dir, name);
    const std::string cmdbTarget = cmdbFilePath(dir, name);
    const std::string mainTmp = mainTarget + ".restore";
    const std::string cmdbTmp = cmdbTarget + ".restore";
    auto cleanup = [&] {
        fs::remove(mainTmp, ec);
        fs::remove(cmdbTmp, ec);
    };
    Status copied = copyFile(candidateMainPath, mainTmp);
    if (copied) copied = copyFile(candidateCmdbPath, cmdbTmp);
    if (copied) copied = validateBackup(mainTmp, cmdbTmp);
    if (!copied) {
        cleanup();
        return copied;
    }
    for (const auto& [tmp, target] : {std::pair{cmdbTmp, cmdbTarget}, std::pair{mainTmp, mainTarget}}) {
        if (auto st = removeIfPresent(target + "-journal"); !st) {
            cleanup();
            return st;
        }
        fs::rename(tmp, target, ec);
        if (ec) {
            cleanup();
            return fileError("cannot move the restored file into place: " + ec.message(), target);
        }
    }
    return okStatus();
}

Status restoreWorkspaceFromJson(const std::string& dir, const std::string& name, const std::string& json,
                                const std::string& sourceName) {
    auto snap = snapshotFromJson(json, sourceName);
    if (!snap) return snap.error();
    Status result = okStatus();
    {
        auto ws = Workspace::create(dir, name);
        if (!ws) return ws.error();
        result = ws->replaceContents(*snap);
        // A JSON export carries no audit trail: the new chain starts by saying
        // where its contents came from.
        if (result) {
            rapidjson::StringBuffer buf;
            rapidjson::Writer<rapidjson::StringBuffer> w(buf);
            w.StartObject();
            w.Key("source");
            w.String(sourceName.c_str(), static_cast<rapidjson::SizeType>(sourceName.size()));
            w.Key("sha256");
            w.String(sha256Hex(json).c_str());
            w.Key("note");
            w.String("restored from a JSON export, which carries no audit trail: the chain starts here");
            w.EndObject();
            auto row = ws->appendAudit(static_cast<std::int64_t>(std::time(nullptr)), "restore", "restore-json",
                                       std::string(buf.GetString(), buf.GetSize()));
            if (!row) result = row.error();
        }
    }
    if (!result) {
        deleteWorkspace(dir, name);
        return Error{"cannot restore from " + sourceName + ": " + result.error().message, sourceName, 0, 0};
    }
    return okStatus();
}

}  // namespace planner::core::store
