// export --to <target>: one ticketing payload or format of a change, from a
// verified bundle or from a workspace / change document.
#include <iostream>
#include <map>

#include "bundle/bundle_content.hpp"
#include "commands.hpp"
#include "io/export_change.hpp"
#include "io/payload_jira.hpp"

namespace planner::cli {
namespace {

// Target name -> content file of a bundle (docs/bundle-format.md section 2).
const std::map<std::string, std::string>& targetPaths() {
    static const std::map<std::string, std::string> kPaths = {
        {"servicenow", "payloads/servicenow.json"},
        {"glpi", "payloads/glpi.json"},
        {"itop", "payloads/itop.json"},
        {"jira", "payloads/jira.json"},
        {"freshservice", "payloads/freshservice.json"},
        {"ics", "schedule.ics"},
        {"dot", "graph.dot"},
        {"svg", "graph.svg"},
        {"html", "report.html"},
        {"md", "runbook.md"},
        {"csv", "changes.csv"},
    };
    return kPaths;
}

}  // namespace

void registerExportCommands(CLI::App& app, CommandContext& ctx) {
    struct Options {
        std::string to, bundlePath, jiraMapping, output = "-", time;
        std::vector<std::string> trustFiles, keyFiles;
        ChangeSourceOptions source;
    };
    auto o = std::make_shared<Options>();
    std::vector<std::string> targets;
    for (const auto& [name, path] : targetPaths()) targets.push_back(name);
    CLI::App* cmd =
        app.add_subcommand("export", "Write one payload or format of a change from a bundle or a workspace");
    cmd->add_option("--to", o->to, "Target format")->required()->check(CLI::IsMember(targets));
    cmd->add_option("--bundle,-b", o->bundlePath, "Verified bundle to export from (needs --trust or --trusted-key)");
    cmd->add_option("--trust,-t", o->trustFiles, "Trust store file(s) for --bundle");
    cmd->add_option("--trusted-key,-k", o->keyFiles, "Trusted minisign public key file(s) for --bundle");
    addChangeSourceOptions(*cmd, o->source);
    cmd->add_option("--jira-mapping", o->jiraMapping, "Jira field-mapping file (needed for --to jira)");
    cmd->add_option(
        "--time", o->time,
        "Generation time YYYY-MM-DDTHH:MM:SSZ for drafts and DTSTAMP (default: SOURCE_DATE_EPOCH, else now)");
    cmd->add_option("--output,-o", o->output, "Output file, - for standard output")->capture_default_str();
    cmd->callback([o, &ctx] {
        const std::string path = targetPaths().at(o->to);
        std::optional<core::io::JiraMapping> mapping;
        if (!o->jiraMapping.empty()) {
            auto parsed = core::io::parseJiraMapping(readInput(o->jiraMapping), o->jiraMapping);
            if (!parsed) failInput(parsed.error());
            mapping = std::move(*parsed);
        }
        if (!o->bundlePath.empty()) {
            if (!o->source.workspace.empty() || !o->source.changeFile.empty()) {
                failWith(kExitUsage, "give either --bundle or --workspace / --change-file, not both");
            }
            const core::bundle::TrustStore trust = loadTrust(o->trustFiles, o->keyFiles);
            auto content = core::bundle::openVerifiedBundle(readInput(o->bundlePath), trust, {}, o->bundlePath);
            if (!content) failWith(kExitCheckFailed, content.error().toString());
            auto it = content->find(path);
            if (it != content->end() && !(o->to == "jira" && mapping)) {
                writeOutput(o->output, it->second);
                ctx.exitCode = kExitOk;
                return;
            }
            if (o->to != "jira") failWith(kExitBadInput, o->bundlePath + ": the bundle has no signed " + path);
            if (!mapping) {
                failWith(kExitUsage, o->bundlePath + " has no payloads/jira.json: give --jira-mapping to make one");
            }
            // A Jira payload made from the bundle's signed change and CMDB slice.
            auto change = core::io::parseChangeDocument(content->at("change.json"), o->bundlePath + ": change.json");
            if (!change) failInput(change.error());
            core::WorkspaceData data;
            if (auto s = content->find("cmdb-slice.json"); s != content->end()) {
                auto slice = core::io::parseCmdbSlice(s->second, o->bundlePath + ": cmdb-slice.json");
                if (!slice) failInput(slice.error());
                data.cis = std::move(slice->cis);
                data.relationships = std::move(slice->relationships);
            }
            const std::string id = change->id;
            data.changes.push_back(std::move(*change));
            core::bundle::ChangeExportOptions eo;
            eo.generatedAt = timeOption(o->time, "--time");
            auto exp = core::bundle::buildChangeExport(data, id, eo);
            if (!exp) failInput(exp.error());
            auto files = core::bundle::bundleContentFiles(*exp, {mapping});
            if (!files) failInput(files.error());
            writeOutput(o->output, files->at(path));
            ctx.exitCode = kExitOk;
            return;
        }
        if (o->to == "jira" && !mapping) failWith(kExitUsage, "--to jira needs --jira-mapping");
        LoadedChange loaded = loadChange(o->source, timeOption(o->time, "--time"));
        auto files = core::bundle::bundleContentFiles(loaded.exp, {mapping});
        if (!files) failInput(files.error());
        writeOutput(o->output, files->at(path));
        ctx.exitCode = kExitOk;
    });
}

}  // namespace planner::cli
