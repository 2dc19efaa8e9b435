// lint and schedule-check: checks of one change.
#include <iostream>

#include "commands.hpp"
#include "io/change_lint.hpp"
#include "io/export_text.hpp"
#include "schedule/conflicts.hpp"

namespace planner::cli {
namespace {

void registerLint(CLI::App& app, CommandContext& ctx) {
    auto path = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("lint", "Validate a change document (change.json); exit 1 on any error");
    cmd->add_option("change", *path, "Change document, - for standard input")->required();
    cmd->add_flag("--json", ctx.global.json, "Print the messages as JSON");
    cmd->callback([path, &ctx] {
        const std::string text = readInput(*path);
        auto lint = core::io::lintChangeDocument(text, *path == "-" ? "<stdin>" : *path);
        std::vector<core::io::LintMessage> messages;
        if (!lint) {
            const core::Error& e = lint.error();
            messages.push_back({core::io::LintSeverity::Error, "syntax", "", e.message, e.line, e.column});
        } else {
            messages = std::move(*lint);
        }
        int errors = 0;
        for (const auto& m : messages) errors += m.severity == core::io::LintSeverity::Error ? 1 : 0;
        const std::string source = *path == "-" ? "<stdin>" : *path;
        if (ctx.global.json) {
            rapidjson::StringBuffer buf;
            JsonWriter w(buf);
            w.StartObject();
            jsonString(w, "file", source);
            jsonBool(w, "ok", errors == 0);
            w.Key("messages");
            w.StartArray();
            for (const auto& m : messages) {
                w.StartObject();
                jsonString(w, "severity", core::io::toString(m.severity));
                jsonString(w, "code", m.code);
                jsonString(w, "pointer", m.pointer);
                jsonInt(w, "line", m.line);
                jsonInt(w, "column", m.column);
                jsonString(w, "message", m.text);
                w.EndObject();
            }
            w.EndArray();
            w.EndObject();
            printJson(buf);
        } else {
            for (const auto& m : messages) {
                core::Error located{m.text, source, m.line, m.column};
                std::cerr << located.toString() << " [" << core::io::toString(m.severity) << " " << m.code;
                if (!m.pointer.empty()) std::cerr << " at " << m.pointer;
                std::cerr << "]\n";
            }
            std::cout << source << ": " << errors << " error(s), " << messages.size() - errors << " warning(s)\n";
        }
        ctx.exitCode = errors == 0 ? kExitOk : kExitCheckFailed;
    });
}

void registerScheduleCheck(CLI::App& app, CommandContext& ctx) {
    auto source = std::make_shared<ChangeSourceOptions>();
    CLI::App* cmd = app.add_subcommand("schedule-check",
                                       "Check a change's planned interval against windows, freezes "
                                       "and other changes; exit 1 on any conflict");
    addChangeSourceOptions(*cmd, *source);
    cmd->add_flag("--json", ctx.global.json, "Print the conflicts as JSON");
    cmd->callback([source, &ctx] {
        LoadedChange loaded = loadChange(*source, 0);
        const auto& exp = loaded.exp;
        const bool planned = exp.planned.has_value();
        if (ctx.global.json) {
            rapidjson::StringBuffer buf;
            JsonWriter w(buf);
            w.StartObject();
            jsonString(w, "changeId", exp.change.id);
            jsonBool(w, "planned", planned);
            jsonString(w, "plannedStart", planned ? core::io::formatIsoUtc(exp.change.plannedStart) : "");
            jsonString(w, "plannedEnd", planned ? core::io::formatIsoUtc(exp.change.plannedEnd) : "");
            jsonString(w, "window", exp.context.window ? exp.context.window->id : "");
            jsonInt(w, "windowsChecked", static_cast<std::int64_t>(loaded.data.windows.size()));
            w.Key("conflicts");
            w.StartArray();
            for (const auto& c : exp.conflicts) {
                w.StartObject();
                jsonString(w, "kind", core::schedule::toString(c.kind));
                jsonString(w, "other", c.otherId);
                jsonString(w, "otherName", c.otherName);
                jsonString(w, "ci", c.ci);
                jsonString(w, "from", core::io::formatIsoUtc(c.when.start));
                jsonString(w, "to", core::io::formatIsoUtc(c.when.end));
                jsonString(w, "message", c.message);
                w.EndObject();
            }
            w.EndArray();
            w.EndObject();
            printJson(buf);
        } else if (planned) {
            std::cout << exp.change.id << ": planned "
                      << core::schedule::describeInterval(exp.planned->interval, exp.planned->timeZone) << "\n";
            if (exp.context.window) std::cout << "  inside window " << exp.context.window->name << "\n";
            for (const auto& c : exp.conflicts) {
                std::cout << "  conflict " << core::schedule::toString(c.kind) << ": " << c.message << "\n";
            }
            std::cout << exp.conflicts.size() << " conflict(s)\n";
        }
        if (!planned) {
            std::cerr << "planner: change " << exp.change.id << " has no planned interval\n";
            ctx.exitCode = kExitCheckFailed;
            return;
        }
        ctx.exitCode = exp.conflicts.empty() ? kExitOk : kExitCheckFailed;
    });
}

}  // namespace

void registerChangeCommands(CLI::App& app, CommandContext& ctx) {
    registerLint(app, ctx);
    registerScheduleCheck(app, ctx);
}

}  // namespace planner::cli
