// Registration of the command groups on the CLI11 application (called
// explicitly from main()). Each command's callback throws CliFailure on error
// and stores its exit code in `exitCode`.
#pragma once

#include <CLI/CLI.hpp>

#include "cli_support.hpp"

namespace planner::cli {

struct CommandContext {
    GlobalOptions global;
    int exitCode = kExitOk;
};

void registerKeyCommands(CLI::App& app, CommandContext& ctx);  // keygen
void registerBundleCommands(CLI::App& app,
                            CommandContext& ctx);  // sign, approve, verify, inspect, import-bundle, extract
void registerExportCommands(CLI::App& app, CommandContext& ctx);  // export
void registerChangeCommands(CLI::App& app, CommandContext& ctx);  // lint, schedule-check
void registerCmdbCommands(CLI::App& app, CommandContext& ctx);    // import-cmdb
void registerCmdbExportCommand(CLI::App& app, CommandContext& ctx);  // export-cmdb
void registerAuditCommands(CLI::App& app, CommandContext& ctx);      // audit-verify

}  // namespace planner::cli
