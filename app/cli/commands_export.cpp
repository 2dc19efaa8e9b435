// export --to <target>: one ticketing payload or format of a change, from a
// verified bundle or from a workspace / change document; --calls prints the
// curl + jq calls that push a ticketing payload (docs/ticketing.md).
#include <filesystem>
#include <iostream>
#include <map>

#include "bundle/bundle_content.hpp"
#include "command/command.hpp"
#include "commands.hpp"
#include "io/export_change.hpp"
#include "io/payload_approvals.hpp"
#include "io/payload_jira.hpp"
#include "io/payload_servicenow.hpp"
#include "io/push_calls.hpp"
#include "session/session.hpp"

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

// The content file `path` of `exp`; a ticketing payload the system would
// refuse is not written: the message names the missing setting (exit 2) or
// what the change lacks (exit 3).
std::string contentFile(const core::bundle::ChangeExport& exp, const std::string& path,
                        std::optional<core::io::TicketingSystem> system) {
    if (system) {
        if (auto st = core::io::requireTicketingSettings(*system, exp.context.site); !st)
            failWith(kExitUsage, st.error().toString());
    }
    std::vector<std::string> leftOut;
    core::bundle::BundleContentOptions options;
    options.leftOut = &leftOut;
    auto files = core::bundle::bundleContentFiles(exp, options);
    if (!files) failInput(files.error());
    auto it = files->find(path);
    if (it != files->end()) return it->second;
    for (const auto& why : leftOut)
        if (why.rfind(path, 0) == 0) failWith(kExitBadInput, why);
    failWith(kExitBadInput, path + " was not written");
}

// ticketing-settings: shows and stores the receiving sites' settings in a
// workspace (audited commands, like an edit in the application).
void registerTicketingSettings(CLI::App& app, CommandContext& ctx) {
    struct Options {
        std::string workspace, actor = "planner-cli", time;
        SiteOptions site;
        std::vector<std::string> unset;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd =
        app.add_subcommand("ticketing-settings",
                           "Show or store the receiving ticketing sites' settings of a workspace (docs/ticketing.md)");
    cmd->add_option("--workspace,-w", o->workspace, "Workspace DIR/NAME")->required();
    addSiteOptions(*cmd, o->site);
    cmd->add_option("--unset", o->unset, "Remove a setting (its key, e.g. ticketing.glpi.entity_id)");
    cmd->add_option("--actor", o->actor, "Name recorded in the audit trail")->capture_default_str();
    cmd->add_option("--time", o->time, "Audit time YYYY-MM-DDTHH:MM:SSZ (default: SOURCE_DATE_EPOCH, else now)");
    cmd->callback([o, &ctx] {
        namespace io = core::io;
        std::map<std::string, std::string> wanted;  // key -> new value
        if (!o->site.itopOrganization.empty()) wanted[io::kItopOrganizationSetting] = o->site.itopOrganization;
        if (!o->site.itopChangeModel.empty()) wanted[io::kItopChangeModelSetting] = o->site.itopChangeModel;
        if (!o->site.glpiEntity.empty()) wanted[io::kGlpiEntitySetting] = o->site.glpiEntity;
        if (!o->site.freshserviceRequester.empty())
            wanted[io::kFreshserviceRequesterSetting] = o->site.freshserviceRequester;
        if (!o->site.jiraMapping.empty()) {
            // A mapping that does not parse is refused here, naming the file, line and key.
            const std::string text = readInput(o->site.jiraMapping);
            auto mapping = io::parseJiraMapping(text, o->site.jiraMapping);
            if (!mapping) failInput(mapping.error());
            wanted[io::kJiraMappingSetting] = text;
        }
        io::TicketingSettings check;
        for (const auto& [key, value] : wanted) {
            if (auto st = io::applyTicketingSetting(check, key, value, key); !st)
                failWith(kExitUsage, st.error().toString());
        }
        for (const auto& key : o->unset) {
            if (key.rfind("ticketing.", 0) != 0 || key == "ticketing.")
                failWith(kExitUsage, "--unset " + key + ": not a ticketing setting");
        }
        const std::filesystem::path p(o->workspace);
        std::string dir = p.parent_path().string();
        if (dir.empty()) dir = ".";
        std::string name = p.filename().string();
        for (const std::string suffix : {".planner.db", ".cmdb.db"})
            if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
                name.resize(name.size() - suffix.size());
        auto session = core::Session::open(dir, name, o->actor, timeOption(o->time, "--time"), false, false);
        if (!session) failWith(kExitBadInput, "workspace " + o->workspace + ": " + session.error().toString());
        core::Session& s = **session;
        auto current = [&](const std::string& key) -> std::optional<std::string> {
            auto it = s.settings().find(key);
            return it == s.settings().end() ? std::nullopt : std::optional<std::string>(it->second);
        };
        for (const auto& [key, value] : wanted) {
            if (current(key) == value) continue;
            auto done = s.execute(core::command::SetSetting{key, current(key), value});
            if (!done) failWith(kExitFailed, "workspace " + o->workspace + ": " + done.error().toString());
        }
        for (const auto& key : o->unset) {
            if (!current(key)) continue;
            auto done = s.execute(core::command::SetSetting{key, current(key), std::nullopt});
            if (!done) failWith(kExitFailed, "workspace " + o->workspace + ": " + done.error().toString());
        }
        auto site = io::ticketingSettingsFrom(s.settings());
        if (!site) failWith(kExitBadInput, site.error().toString());
        for (const auto& [key, value] : s.settings()) {
            if (key.rfind("ticketing.", 0) != 0) continue;
            std::cout << key << " = "
                      << (key == io::kJiraMappingSetting ? "(mapping, " + std::to_string(value.size()) + " bytes)"
                                                         : value)
                      << "\n";
        }
        for (io::TicketingSystem sys : io::allTicketingSystems()) {
            auto st = io::requireTicketingSettings(sys, *site);
            std::cout << io::toString(sys) << ": " << (st ? "ready" : st.error().message) << "\n";
        }
        ctx.exitCode = kExitOk;
    });
}

}  // namespace

void registerExportCommands(CLI::App& app, CommandContext& ctx) {
    struct Options {
        std::string to, bundlePath, output = "-", time;
        std::vector<std::string> trustFiles, keyFiles;
        ChangeSourceOptions source;
        bool calls = false;
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
    addSiteOptions(*cmd, o->source.site);
    cmd->add_flag("--calls", o->calls,
                  "Print the curl + jq calls that push the payload into the ticketing system, instead of the payload");
    cmd->add_option(
        "--time", o->time,
        "Generation time YYYY-MM-DDTHH:MM:SSZ for drafts and DTSTAMP (default: SOURCE_DATE_EPOCH, else now)");
    cmd->add_option("--output,-o", o->output, "Output file, - for standard output")->capture_default_str();
    cmd->callback([o, &ctx] {
        const std::string path = targetPaths().at(o->to);
        const auto system = core::io::ticketingSystemFromString(o->to);
        if (o->calls && !system)
            failWith(kExitUsage, "--calls needs a ticketing system: --to servicenow, glpi, itop, jira or freshservice");
        if (!o->bundlePath.empty()) {
            if (!o->source.workspace.empty() || !o->source.changeFile.empty()) {
                failWith(kExitUsage, "give either --bundle or --workspace / --change-file, not both");
            }
            const core::bundle::TrustStore trust = loadTrust(o->trustFiles, o->keyFiles);
            const std::string zip = readInput(o->bundlePath);
            const core::bundle::BundleReport report = core::bundle::verifyBundle(zip, trust, {}, o->bundlePath);
            auto content = core::bundle::openVerifiedBundle(zip, trust, {}, o->bundlePath);
            if (!content) failWith(kExitCheckFailed, content.error().toString());
            if (o->calls) {
                writeOutput(o->output,
                            core::io::pushCalls(*system, report.changeId + "-" + o->to + ".json", report.changeId));
                ctx.exitCode = kExitOk;
                return;
            }
            std::string out;
            if (auto it = content->find(path); it != content->end() && !(system && o->source.site.jiraMapping.size() &&
                                                                         *system == core::io::TicketingSystem::Jira)) {
                out = it->second;  // the signed payload
            } else if (!system) {
                failWith(kExitBadInput, o->bundlePath + ": the bundle has no signed " + path);
            } else {
                // Left out when the bundle was signed (the author lacked this
                // site's settings): made here from the signed change and CMDB
                // slice with this site's settings, the risk taken from the
                // signed ServiceNow payload so that every payload says the same.
                auto change =
                    core::io::parseChangeDocument(content->at("change.json"), o->bundlePath + ": change.json");
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
                eo.site = siteSettings({}, o->source.site);
                auto exp = core::bundle::buildChangeExport(data, id, eo);
                if (!exp) failInput(exp.error());
                if (auto sn = content->find("payloads/servicenow.json"); sn != content->end()) {
                    if (auto risk = core::io::serviceNowPayloadRisk(sn->second))
                        exp->context.riskLevel = core::toString(*risk);
                }
                out = contentFile(*exp, path, system);
            }
            if (system) {
                core::io::ExportContext approvals;
                approvals.signedApprovals = core::bundle::approvalsFromReport(report);
                approvals.approvalChainLength = report.approvalChainLength;
                approvals.approvalChainHead = report.approvalChainHead;
                auto withApprovals =
                    core::io::withSignedApprovals(*system, out, approvals, o->bundlePath + ": " + path);
                if (!withApprovals) failInput(withApprovals.error());
                out = std::move(*withApprovals);
            }
            writeOutput(o->output, out);
            ctx.exitCode = kExitOk;
            return;
        }
        if (o->calls && o->source.workspace.empty() && o->source.changeFile.empty()) {
            writeOutput(o->output, core::io::pushCalls(*system, o->to + ".json", "(any)"));
            ctx.exitCode = kExitOk;
            return;
        }
        LoadedChange loaded = loadChange(o->source, timeOption(o->time, "--time"));
        if (o->calls) {
            const std::string& id = loaded.exp.change.id;
            writeOutput(o->output, core::io::pushCalls(*system, id + "-" + o->to + ".json", id));
            ctx.exitCode = kExitOk;
            return;
        }
        writeOutput(o->output, contentFile(loaded.exp, path, system));
        ctx.exitCode = kExitOk;
    });
    registerTicketingSettings(app, ctx);
}

}  // namespace planner::cli
