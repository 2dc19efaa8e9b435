#include "session/workspace_backup.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "bundle/zip.hpp"
#include "session/audit_anchor.hpp"
#include "store/workspace_files.hpp"

namespace planner::core {
namespace {

namespace fs = std::filesystem;

Result<std::string> readWhole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"cannot read " + path};
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Status writeWhole(const std::string& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return Error{"cannot write " + path};
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return Error{"cannot write " + path};
    return okStatus();
}

// A fresh scratch folder, removed when the guard goes out of scope.
struct Scratch {
    fs::path path;
    explicit Scratch(const std::string& base, const char* what) {
        path = fs::path(base) / what;
        std::error_code ec;
        fs::remove_all(path, ec);
        fs::create_directories(path, ec);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

bool endsWith(const std::string& s, const char* suffix) {
    const std::string t(suffix);
    return s.size() >= t.size() && std::equal(t.rbegin(), t.rend(), s.rbegin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
}

}  // namespace

Result<std::string> backupZip(store::Workspace& workspace, const std::string& scratchDir) {
    Scratch scratch(scratchDir, "backup");
    auto files = store::backupWorkspace(workspace, scratch.path.string());
    if (!files) return files.error();
    bundle::ZipFiles zip;
    for (const auto& [entry, path] : {std::pair<const char*, std::string>{kBackupMainEntry, files->mainPath},
                                      {kBackupCmdbEntry, files->cmdbPath},
                                      {kBackupJsonEntry, files->jsonPath}}) {
        auto bytes = readWhole(path);
        if (!bytes) return bytes.error();
        zip[entry] = std::move(*bytes);
    }
    auto head = workspace.auditHead();
    if (!head) return head.error();
    zip[kAuditAnchorEntry] = auditAnchorJson(*head, workspace.name());
    return bundle::writeZip(zip);
}

Status restoreBackup(const std::string& dir, const std::string& name, std::string_view bytes,
                     const std::string& fileName, const std::string& scratchDir) {
    if (auto valid = store::validateWorkspaceName(name); !valid) return valid;
    auto existing = store::listWorkspaces(dir);
    if (!existing) return existing.error();
    if (std::find(existing->begin(), existing->end(), name) != existing->end())
        return Error{"a workspace named \"" + name + "\" exists already; choose another name"};
    if (endsWith(fileName, ".json")) return store::restoreWorkspaceFromJson(dir, name, std::string(bytes), fileName);
    if (!endsWith(fileName, ".zip"))
        return Error{"expected a workspace backup (.zip) or a JSON export (.json)", fileName};
    bundle::ZipLimits limits;
    limits.maxEntries = 16;
    limits.maxEntryBytes = 1024ll * 1024 * 1024;
    limits.maxTotalBytes = 2048ll * 1024 * 1024;
    auto zip = bundle::readZip(bytes, limits, fileName);
    if (!zip) return zip.error();
    const auto main = zip->find(kBackupMainEntry);
    const auto cmdb = zip->find(kBackupCmdbEntry);
    if (main == zip->end() || cmdb == zip->end())
        return Error{std::string("not a workspace backup: ") + kBackupMainEntry + " and " + kBackupCmdbEntry +
                         " are expected inside",
                     fileName};
    Scratch scratch(scratchDir, "restore");
    const std::string mainPath = (scratch.path / "candidate.planner.db").string();
    const std::string cmdbPath = (scratch.path / "candidate.cmdb.db").string();
    if (auto s = writeWhole(mainPath, main->second); !s) return s;
    if (auto s = writeWhole(cmdbPath, cmdb->second); !s) return s;
    if (auto s = store::validateBackup(mainPath, cmdbPath); !s) return Error{s.error().message, fileName};
    std::vector<store::AuditAnchor> anchors;
    if (const auto anchor = zip->find(kAuditAnchorEntry); anchor != zip->end()) {
        auto parsed = parseAuditAnchor(anchor->second, fileName + ": " + kAuditAnchorEntry);
        if (!parsed) return parsed.error();
        anchors.push_back(*parsed);
    }
    if (auto s = store::restoreWorkspace(dir, name, mainPath, cmdbPath); !s) return s;
    // The restored audit trail must be whole and hold the head the backup recorded.
    Status chain = okStatus();
    {
        auto ws = store::Workspace::open(dir, name);
        if (!ws) {
            chain = ws.error();
        } else if (auto v = ws->verifyAuditChain(anchors); !v) {
            chain = v.error();
        } else if (!v->ok) {
            chain = Error{"the backup's audit trail is broken at row " + std::to_string(v->firstBadSeq) + ": " +
                              v->problem,
                          fileName};
        }
    }
    if (!chain) {
        store::deleteWorkspace(dir, name);
        return Error{"not restored: " + chain.error().message, fileName};
    }
    return okStatus();
}

}  // namespace planner::core
