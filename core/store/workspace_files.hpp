// Workspaces as files in a directory: naming, listing, rename, delete, backup
// and restore. A workspace named N is the pair N.planner.db (main) and
// N.cmdb.db (CMDB); a backup adds N.json (the JSON export).
#pragma once

#include <string>
#include <vector>

#include "util/result.hpp"

namespace planner::core::store {

class Workspace;

// Names are 1..64 characters of letters, digits, space, '_', '-' and '.',
// not starting with '.' or a space.
Status validateWorkspaceName(const std::string& name);

std::string mainFilePath(const std::string& dir, const std::string& name);
std::string cmdbFilePath(const std::string& dir, const std::string& name);

// Names of the workspaces in `dir` (those whose main and CMDB files both exist), sorted.
Result<std::vector<std::string>> listWorkspaces(const std::string& dir);

// Renames both files; fails if `to` exists or `from` does not. The workspace must be closed.
Status renameWorkspace(const std::string& dir, const std::string& from, const std::string& to);

// Deletes both files (and any leftover journals). The workspace must be closed.
Status deleteWorkspace(const std::string& dir, const std::string& name);

struct BackupFiles {
    std::string mainPath;
    std::string cmdbPath;
    std::string jsonPath;
};

// Writes consistent copies of both database files (VACUUM INTO) and the JSON
// export into `destDir`, named after the workspace; existing files are replaced.
Result<BackupFiles> backupWorkspace(Workspace& workspace, const std::string& destDir);

// Validates a candidate pair of files without changing anything. The files
// are opened read-only on a connection where nothing of theirs can run
// (defensive mode, untrusted schema, triggers and views off); first their
// schema is compared with ours at their schema version (any extra, missing or
// changed table, index, trigger or view is refused, naming it), then
// integrity_check, the format marker and the matching pair id.
Status validateBackup(const std::string& mainPath, const std::string& cmdbPath);

// Replaces workspace `name` in `dir` with the validated candidate files: copies
// them next to the target and renames them into place. Nothing is replaced if
// validation fails. The workspace must be closed.
Status restoreWorkspace(const std::string& dir, const std::string& name, const std::string& candidateMainPath,
                        const std::string& candidateCmdbPath);

// Creates a new workspace `name` in `dir` from a JSON export; nothing is left
// behind if the JSON is invalid.
Status restoreWorkspaceFromJson(const std::string& dir, const std::string& name, const std::string& json,
                                const std::string& sourceName);

}  // namespace planner::core::store
