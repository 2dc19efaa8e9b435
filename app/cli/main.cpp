// planner: the command-line tool for pipelines (docs/cli.md).
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

#include "commands.hpp"
#include "crypto/init.hpp"

int main(int argc, char** argv) {
    using namespace planner::cli;
    CLI::App app{"Change planner command-line tool: sign, verify, inspect and export change bundles."};
    app.name("planner");
    app.require_subcommand(1);
    app.set_version_flag("--version", PLANNER_VERSION);
    CommandContext ctx;
    registerKeyCommands(app, ctx);
    registerBundleCommands(app, ctx);
    registerExportCommands(app, ctx);
    registerChangeCommands(app, ctx);
    registerCmdbCommands(app, ctx);
    registerCmdbExportCommand(app, ctx);
    registerAuditCommands(app, ctx);
    if (argc > 1 && argv[1][0] != '-') {
        const std::string name = argv[1];
        const auto known = app.get_subcommands([&](CLI::App* sub) { return sub->get_name() == name; });
        if (known.empty()) {
            std::cerr << "planner: unknown command \"" << name << "\"\nRun with --help for the list of commands.\n";
            return kExitUsage;
        }
    }
    try {
        if (!planner::core::initCrypto()) {
            std::cerr << "planner: libsodium could not be initialised\n";
            return kExitFailed;
        }
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitUsage;
    } catch (const CliFailure& f) {
        std::cerr << "planner: " << f.message << "\n";
        return f.code;
    }
    return ctx.exitCode;
}
