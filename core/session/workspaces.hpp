// The workspaces of a data folder, as the UI and the command-line tool see
// them: list, name rules, create, open, rename, delete. app/ goes through this
// file and core/session, never core/store (scripts/check_core_includes).
#pragma once

#include <string>
#include <vector>

#include "store/workspace.hpp"
#include "store/workspace_files.hpp"
#include "util/result.hpp"

namespace planner::core::workspaces {

using Workspace = store::Workspace;
using OpenOptions = store::OpenOptions;
using CmdbWriteMode = store::CmdbWriteMode;
using AuditAnchor = store::AuditAnchor;

// Ok when `name` may name a workspace (the error says which rule it breaks).
inline Status validateName(const std::string& name) { return store::validateWorkspaceName(name); }

// The workspace names in `dir`, sorted.
inline Result<std::vector<std::string>> list(const std::string& dir) { return store::listWorkspaces(dir); }

// Creates an empty workspace `name` in `dir`; refuses an existing one.
inline Result<Workspace> create(const std::string& dir, const std::string& name) {
    return store::Workspace::create(dir, name);
}

// Opens workspace `name` in `dir` (read-only when options say so).
inline Result<Workspace> open(const std::string& dir, const std::string& name, const OpenOptions& options = {}) {
    return store::Workspace::open(dir, name, options);
}

inline Status rename(const std::string& dir, const std::string& from, const std::string& to) {
    return store::renameWorkspace(dir, from, to);
}

inline Status remove(const std::string& dir, const std::string& name) { return store::deleteWorkspace(dir, name); }

}  // namespace planner::core::workspaces
