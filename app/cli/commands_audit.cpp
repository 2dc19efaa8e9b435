// audit-verify: checks a workspace's audit chain, link by link, and against
// the anchors the user holds (signed bundles, backups, or "SEQ:HASH").
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "session/audit_anchor.hpp"

namespace planner::cli {

void registerAuditCommands(CLI::App& app, CommandContext& ctx) {
    struct Options {
        std::string workspace;
        std::vector<std::string> anchors;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("audit-verify",
                                       "Verify a workspace's audit chain, and that it still holds the heads recorded "
                                       "in bundles and backups made from it");
    cmd->add_option("--workspace,-w", o->workspace, "Workspace DIR/NAME")->required();
    cmd->add_option("--anchor", o->anchors,
                    "A signed bundle or a backup of this workspace (its audit-anchor.json), an anchor file, or "
                    "SEQ:HASH; repeatable");
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([o, &ctx] {
        std::vector<core::workspaces::AuditAnchor> anchors;
        for (const std::string& a : o->anchors) {
            std::error_code ec;
            const bool literal = !std::filesystem::exists(a, ec) && a.find(':') != std::string::npos;
            auto anchor = literal ? core::readAuditAnchor(a, "--anchor " + a) : core::readAuditAnchor(readInput(a), a);
            if (!anchor) failInput(anchor.error());
            anchors.push_back(*anchor);
        }
        core::workspaces::Workspace ws = openWorkspace(o->workspace, false, true);
        auto v = ws.verifyAuditChain(anchors);
        if (!v) failWith(kExitBadInput, v.error().toString());
        auto head = ws.auditHead();
        if (!head) failWith(kExitBadInput, head.error().toString());
        if (ctx.global.json) {
            rapidjson::StringBuffer buf;
            JsonWriter w(buf);
            w.StartObject();
            jsonString(w, "workspace", o->workspace);
            jsonBool(w, "ok", v->ok);
            jsonInt(w, "rows", v->rows);
            jsonInt(w, "headSeq", head->seq);
            jsonString(w, "headHash", head->hash);
            jsonInt(w, "anchoredSeq", v->anchoredSeq);
            jsonString(w, "anchoredBy", v->anchoredBy);
            if (!v->ok) {
                jsonInt(w, "firstBadSeq", v->firstBadSeq);
                jsonString(w, "problem", v->problem);
            }
            w.EndObject();
            printJson(buf);
        } else if (v->ok) {
            std::cout << "audit chain intact: " << v->rows << " rows, head " << head->seq << ":" << head->hash << "\n";
            if (v->anchoredSeq > 0 || !anchors.empty()) {
                std::cout << "anchored: the chain holds row " << v->anchoredSeq << " as recorded by " << v->anchoredBy
                          << "\n";
            } else {
                std::cout << "no anchor given: a cut tail can only be detected against a bundle or backup made "
                             "earlier (--anchor)\n";
            }
        } else {
            std::cerr << "audit chain BROKEN at row " << v->firstBadSeq << ": " << v->problem << "\n";
        }
        ctx.exitCode = v->ok ? kExitOk : kExitCheckFailed;
    });
}

}  // namespace planner::cli
