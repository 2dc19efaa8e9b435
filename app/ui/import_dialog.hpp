// CMDB import dialog: files (picked or dropped) with their format, a check
// that parses and validates them without writing, then the import itself,
// all or nothing, replacing or merging into the workspace's CMDB.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/cmdb_import.hpp"
#include "platform/platform.hpp"
#include "ui/ui_context.hpp"

namespace planner::ui {

struct ImportDialogState {
    bool open = false;
    std::vector<core::io::CmdbSource> files;
    std::shared_ptr<std::optional<platform::OpenedFile>> picked;
    int merge = 1;        // 1 = merge into the CMDB, 0 = replace it
    std::string checked;  // summary of the last check ("" = not checked since the files changed)
    std::string message;
    bool error = false;
    int pending = 0;  // frames until the import runs (so "Importing..." is drawn first)
};

// Adds a file to the dialog (format guessed from its name and header) and opens it.
void AddImportFile(ImportDialogState& st, platform::OpenedFile file);

// `runImport` writes the sources into the workspace and returns "" or the error.
void DrawImportDialog(
    UiContext& ctx, ImportDialogState& st,
    const std::function<std::string(const std::vector<core::io::CmdbSource>&, bool merge)>& runImport);

}  // namespace planner::ui
