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
    std::unique_ptr<core::io::CmdbImportJob> job;   // the import in progress, stepped once per frame
};

struct ImportHost {
    // Starts importing `files` into the open workspace, or says why it cannot.
    std::function<std::unique_ptr<core::io::CmdbImportJob>(const std::vector<core::io::CmdbSource>& files, bool merge,
                                                           std::string& error)>
        start;
    // The job ended: committed (`error` empty) or rolled back (`error` says why).
    std::function<void(const std::string& error, bool imported)> ended;
};

// Work done on an import per frame: the page keeps drawing (progress bar,
// Cancel) while a large CMDB is written in slices.
inline constexpr double kImportSliceMs = 12.0;

// Adds a file to the dialog (format guessed from its name and header) and opens it.
void AddImportFile(ImportDialogState& st, platform::OpenedFile file);

// While an import runs the dialog shows its progress and a Cancel button
// (Escape cancels too); everything else in it waits.
void DrawImportDialog(UiContext& ctx, ImportDialogState& st, const ImportHost& host);

}  // namespace planner::ui
