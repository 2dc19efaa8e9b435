// import-cmdb: CMDB files into a workspace, all or nothing.
// export-cmdb: a workspace's CMDB in one of the formats import-cmdb reads.
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "io/cmdb_export.hpp"
#include "io/cmdb_import.hpp"

namespace planner::cli {

void registerCmdbCommands(CLI::App& app, CommandContext& ctx) {
    struct Options {
        std::string workspace, mode = "merge", actor = "planner-cli", time;
        std::vector<std::string> ciCsv, relCsv, json, snCi, snRel, edges;
        bool create = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("import-cmdb", "Import CMDB files (docs/import-templates.md) into a workspace");
    cmd->add_option("--workspace,-w", o->workspace, "Workspace DIR/NAME")->required();
    cmd->add_flag("--create", o->create, "Create the workspace when it does not exist");
    cmd->add_option("--mode", o->mode, "merge: upsert CIs by id; replace: replace the whole CMDB")
        ->check(CLI::IsMember({"merge", "replace"}))
        ->capture_default_str();
    cmd->add_option("--ci-csv", o->ciCsv, "CI template CSV file(s)");
    cmd->add_option("--rel-csv", o->relCsv, "Relationship template CSV file(s)");
    cmd->add_option("--json-file", o->json, "JSON template file(s)");
    cmd->add_option("--servicenow-ci", o->snCi, "ServiceNow cmdb_ci list export(s) (CSV)");
    cmd->add_option("--servicenow-rel", o->snRel, "ServiceNow cmdb_rel_ci list export(s) (CSV)");
    cmd->add_option("--edges", o->edges, "Edge list file(s): from,to[,type]");
    cmd->add_option("--actor", o->actor, "Name recorded in the audit trail")->capture_default_str();
    cmd->add_option("--time", o->time, "Audit time YYYY-MM-DDTHH:MM:SSZ (default: SOURCE_DATE_EPOCH, else now)");
    cmd->add_flag("--json", ctx.global.json, "Print the summary as JSON");
    cmd->callback([o, &ctx] {
        using core::io::CmdbFormat;
        std::vector<core::io::CmdbSource> sources;
        auto add = [&](const std::vector<std::string>& files, CmdbFormat format) {
            for (const std::string& f : files) {
                core::io::CmdbSource s;
                s.format = format;
                s.name = f;
                s.content = readInput(f);
                sources.push_back(std::move(s));
            }
        };
        add(o->ciCsv, CmdbFormat::CiCsv);
        add(o->json, CmdbFormat::Json);
        add(o->snCi, CmdbFormat::ServiceNowCiCsv);
        add(o->relCsv, CmdbFormat::RelationshipCsv);
        add(o->snRel, CmdbFormat::ServiceNowRelCsv);
        add(o->edges, CmdbFormat::EdgeList);
        if (sources.empty()) failWith(kExitUsage, "no input: give --ci-csv, --json-file, --edges, ...");
        core::io::ImportOptions options;
        options.mode = o->mode == "replace" ? core::workspaces::CmdbWriteMode::Replace : core::workspaces::CmdbWriteMode::Merge;
        options.actor = o->actor;
        options.atUtc = timeOption(o->time, "--time");
        core::workspaces::Workspace ws = openWorkspace(o->workspace, o->create, false);
        auto summary = core::io::importCmdb(ws, sources, options);
        if (!summary) failWith(kExitBadInput, summary.error().toString() + " (nothing was imported)");
        if (ctx.global.json) {
            rapidjson::StringBuffer buf;
            JsonWriter w(buf);
            w.StartObject();
            jsonString(w, "workspace", o->workspace);
            jsonString(w, "mode", o->mode);
            jsonInt(w, "cis", summary->cis);
            jsonInt(w, "relationships", summary->relationships);
            std::vector<std::string> warnings;
            for (const auto& e : summary->warnings) warnings.push_back(e.toString());
            jsonStringList(w, "warnings", warnings);
            w.EndObject();
            printJson(buf);
        } else {
            std::cout << "imported " << summary->cis << " CIs and " << summary->relationships << " relationships into "
                      << o->workspace << " (" << o->mode << ")\n";
            for (const auto& e : summary->warnings) std::cerr << "warning: " << e.toString() << "\n";
        }
        ctx.exitCode = kExitOk;
    });
}

void registerCmdbExportCommand(CLI::App& app, CommandContext& ctx) {
    struct Options {
        std::string workspace, format = "templates", out = ".";
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("export-cmdb", "Write a workspace's CMDB in a format import-cmdb reads");
    cmd->add_option("--workspace,-w", o->workspace, "Workspace DIR/NAME")->required();
    cmd->add_option("--format", o->format,
                    "templates (cis.csv, relationships.csv), json (cmdb.json), servicenow (cmdb_ci.csv, "
                    "cmdb_rel_ci.csv) or edges (edges.csv)")
        ->check(CLI::IsMember({"templates", "json", "servicenow", "edges"}))
        ->capture_default_str();
    cmd->add_option("--out", o->out, "Directory the files are written to (created if missing)")->capture_default_str();
    cmd->add_flag("--json", ctx.global.json, "Print the written files as JSON");
    cmd->callback([o, &ctx] {
        core::workspaces::Workspace ws = openWorkspace(o->workspace, false, true);
        auto cis = ws.cis();
        auto rels = ws.relationships();
        if (!cis || !rels) failWith(kExitBadInput, (cis ? rels.error() : cis.error()).toString());
        const auto files = core::io::exportCmdbFiles(*core::io::cmdbExportFormatFromName(o->format), *cis, *rels);
        std::error_code ec;
        std::filesystem::create_directories(o->out, ec);
        std::vector<std::string> written;
        for (const auto& [name, content] : files) {
            const std::string path = (std::filesystem::path(o->out) / name).string();
            writeOutput(path, content);
            written.push_back(path);
        }
        if (ctx.global.json) {
            rapidjson::StringBuffer buf;
            JsonWriter w(buf);
            w.StartObject();
            jsonString(w, "format", o->format);
            jsonInt(w, "cis", static_cast<std::int64_t>(cis->size()));
            jsonInt(w, "relationships", static_cast<std::int64_t>(rels->size()));
            jsonStringList(w, "files", written);
            w.EndObject();
            printJson(buf);
        } else {
            for (const auto& p : written) std::cout << p << "\n";
        }
        ctx.exitCode = kExitOk;
    });
}

}  // namespace planner::cli
