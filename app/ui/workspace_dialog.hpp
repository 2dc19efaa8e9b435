// Workspaces dialog: list the workspaces kept in this browser (or data
// folder), switch, create, rename, delete (with confirmation), back up (one
// zip: both database files and the JSON export) and restore (validated first).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "platform/platform.hpp"
#include "ui/ui_context.hpp"

namespace planner::ui {

struct WorkspaceDialogState {
    bool open = false;
    std::string newName;
    bool newWithDemo = false;
    std::string renameFrom, renameTo;
    std::string confirmDelete;  // workspace waiting for the delete confirmation
    std::string restoreName;
    std::shared_ptr<std::optional<platform::OpenedFile>> pickedBackup;
    std::string message;
    bool error = false;
};

// What the dialog asks the shell to do; each returns "" or the error.
struct WorkspaceActions {
    std::string current;  // open workspace's name
    std::function<std::string(const std::string& name, bool demo)> openOrCreate;
    std::function<std::string(const std::string& from, const std::string& to)> rename;
    std::function<std::string(const std::string& name)> remove;
    std::function<std::string()> backup;  // downloads the current one
    std::function<std::string(const std::string& name, const platform::OpenedFile& file)> restore;
};

void DrawWorkspaceDialog(UiContext& ctx, WorkspaceDialogState& st, const WorkspaceActions& actions);

}  // namespace planner::ui
