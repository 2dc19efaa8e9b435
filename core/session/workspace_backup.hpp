// A workspace backup as one file the browser can download and upload again:
// a zip holding both database files (consistent copies) and the JSON export.
#pragma once

#include <string>
#include <string_view>

#include "store/workspace.hpp"
#include "util/result.hpp"

namespace planner::core {

// Entry names inside a backup zip.
inline constexpr const char* kBackupMainEntry = "workspace.planner.db";
inline constexpr const char* kBackupCmdbEntry = "workspace.cmdb.db";
inline constexpr const char* kBackupJsonEntry = "workspace.json";

// Backs `workspace` up into a zip (scratch files go to `scratchDir`, removed after).
Result<std::string> backupZip(store::Workspace& workspace, const std::string& scratchDir);

// Creates workspace `name` in `dir` from a backup zip (database files, validated
// before anything is written) or from a JSON export (`fileName` ending .json).
// Fails when `name` exists already; nothing is left behind on failure.
Status restoreBackup(const std::string& dir, const std::string& name, std::string_view bytes,
                     const std::string& fileName, const std::string& scratchDir);

}  // namespace planner::core
