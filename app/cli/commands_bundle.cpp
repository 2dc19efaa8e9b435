// sign, approve, verify, inspect, import-bundle, extract: the signed change bundle.
#include <filesystem>
#include <iostream>

#include "bundle/bundle_import.hpp"
#include "bundle/trusted_comment.hpp"
#include "commands.hpp"
#include "session/audit_anchor.hpp"
#include "crypto/minisign.hpp"
#include "io/export_change.hpp"
#include "io/export_text.hpp"
#include "io/payload_jira.hpp"
#include "policy/approvals.hpp"
#include "policy/risk.hpp"

namespace planner::cli {
namespace {

namespace bundle = core::bundle;

struct TrustOptions {
    std::vector<std::string> trustFiles, keyFiles;
};

void addTrustOptions(CLI::App& cmd, TrustOptions& o) {
    cmd.add_option("--trust,-t", o.trustFiles, "Trust store file(s): lines of <public key> <roles> <name>");
    cmd.add_option("--trusted-key,-k", o.keyFiles,
                   "Trusted minisign public key file(s): FILE trusts an author only, FILE:role1,role2 also grants "
                   "approval roles");
}

std::string timeText(core::TimeUtc t) {
    return t ? core::io::formatIsoUtc(t) : std::string();
}

// Approvals the policy requires for the bundle's change, evaluated against the
// approvals that count: the verified approval signatures (approvalsFromReport),
// never those written in change.json. The trust store stands in for the people.
using ApprovalCheck = bundle::VerifiedApprovals;

ApprovalCheck checkApprovals(const core::policy::Policy& policy, const bundle::ZipFiles& content,
                             const bundle::BundleReport& report, const bundle::TrustStore& trust,
                             const std::string& bundleName) {
    auto changeIt = content.find("change.json");
    auto sliceIt = content.find("cmdb-slice.json");
    if (changeIt == content.end() || sliceIt == content.end()) {
        failWith(kExitBadInput, bundleName + ": change.json or cmdb-slice.json is missing; cannot check approvals");
    }
    auto change = core::io::parseChangeDocument(changeIt->second, bundleName + ": change.json");
    if (!change) failInput(change.error());
    auto slice = core::io::parseCmdbSlice(sliceIt->second, bundleName + ": cmdb-slice.json");
    if (!slice) failInput(slice.error());
    change->approvals = bundle::approvalsFromReport(report);
    return bundle::checkVerifiedApprovals(policy, *change, slice->cis, trust);
}

void writeReportJson(JsonWriter& w, const bundle::BundleReport& r) {
    jsonBool(w, "importable", r.importable);
    jsonString(w, "changeId", r.changeId);
    jsonString(w, "author", r.authorName);
    jsonString(w, "signedAt", timeText(r.signedAt));
    jsonString(w, "authorKeyId", r.authorKey ? core::crypto::keyIdHex(r.authorKey->keyId) : std::string());
    jsonInt(w, "formatVersion", r.formatVersion);
    w.Key("approvalChain");
    w.StartObject();
    jsonInt(w, "length", r.approvalChainLength);
    jsonString(w, "head", r.approvalChainHead);
    w.EndObject();
    jsonStringList(w, "unsignedApprovals", r.unsignedApprovals);
    w.Key("files");
    w.StartArray();
    for (const auto& f : r.files) {
        w.StartObject();
        jsonString(w, "path", f.path);
        jsonString(w, "status", bundle::toString(f.status));
        jsonString(w, "expectedSha256", f.expectedSha256);
        jsonString(w, "actualSha256", f.actualSha256);
        w.EndObject();
    }
    w.EndArray();
    w.Key("signatures");
    w.StartArray();
    for (const auto& s : r.signatures) {
        w.StartObject();
        jsonString(w, "file", s.file);
        jsonString(w, "kind", bundle::toString(s.kind));
        jsonString(w, "status", bundle::toString(s.status));
        jsonString(w, "message", s.message);
        jsonString(w, "keyId", s.keyId);
        jsonString(w, "trustedName", s.trustedName);
        jsonString(w, "changeId", s.changeId);
        jsonString(w, "signerName", s.signerName);
        jsonString(w, "at", timeText(s.at));
        if (s.kind == bundle::SignatureKind::Approval) {
            jsonString(w, "decision", s.decision ? core::toString(*s.decision) : "");
            jsonString(w, "role", s.role);
            jsonString(w, "comment", s.comment);
            jsonBool(w, "retrospective", s.retrospective);
            jsonInt(w, "sequence", s.sequence);
            jsonBool(w, "superseded", s.superseded);
        }
        jsonString(w, "rule", s.rule);
        w.EndObject();
    }
    w.EndArray();
    jsonStringList(w, "errors", r.errors);
    jsonStringList(w, "warnings", r.warnings);
}

void printReportText(const bundle::BundleReport& r, const std::string& name) {
    std::cout << name << ": change " << (r.changeId.empty() ? "?" : r.changeId) << ", signed by "
              << (r.authorName.empty() ? "?" : r.authorName) << " at " << timeText(r.signedAt) << "\n";
    std::cout << "files:\n";
    for (const auto& f : r.files) std::cout << "  " << bundle::toString(f.status) << "  " << f.path << "\n";
    std::cout << "signatures:\n";
    for (const auto& s : r.signatures) {
        std::cout << "  " << bundle::toString(s.status) << "  " << s.file << " (" << bundle::toString(s.kind);
        if (!s.keyId.empty()) std::cout << ", key " << s.keyId;
        if (!s.trustedName.empty()) std::cout << ", " << s.trustedName;
        std::cout << ")";
        if (s.kind == bundle::SignatureKind::Approval && s.decision) {
            std::cout << " #" << s.sequence << " " << core::toString(*s.decision) << " as " << s.role << " by "
                      << s.signerName << " at " << timeText(s.at);
            if (s.superseded) std::cout << " (superseded by a later decision of the same signer)";
        }
        if (!s.message.empty()) std::cout << ": " << s.message;
        if (!s.rule.empty()) std::cout << " (rule: " << s.rule << ")";
        std::cout << "\n";
    }
    std::cout << "approval chain: " << r.approvalChainLength << " approval(s)";
    if (!r.approvalChainHead.empty()) std::cout << ", head " << r.approvalChainHead;
    std::cout << "\n";
    for (const auto& u : r.unsignedApprovals) std::cout << "  in change.json: " << u << "\n";
    for (const auto& wmsg : r.warnings) std::cerr << "warning: " << wmsg << "\n";
    for (const auto& e : r.errors) std::cerr << "error: " << e << "\n";
    std::cout << "verdict: " << (r.importable ? "importable" : "NOT importable") << "\n";
}

void registerSign(CLI::App& app, CommandContext& ctx) {
    struct Options {
        ChangeSourceOptions source;
        std::string secret, passphraseFile, passphraseEnv, author, principal, time, output;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("sign", "Write a signed bundle of a change (workspace or change document)");
    addChangeSourceOptions(*cmd, o->source);
    cmd->add_option("--secret,-s", o->secret, "Author's minisign secret key file")->required();
    cmd->add_option("--passphrase-file", o->passphraseFile, "Passphrase of an encrypted key, first line of this file");
    cmd->add_option("--passphrase-env", o->passphraseEnv, "Passphrase of an encrypted key, from this variable");
    cmd->add_option("--author", o->author, "Author name written into the signed comment")->required();
    cmd->add_option("--principal", o->principal, "allowed_signers principal (default: the key id)");
    cmd->add_option("--time", o->time, "Signing time YYYY-MM-DDTHH:MM:SSZ (default: SOURCE_DATE_EPOCH, else now)");
    addSiteOptions(*cmd, o->source.site);
    cmd->add_option("--output,-o", o->output, "Bundle file to write")->required();
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([o, &ctx] {
        const core::TimeUtc at = timeOption(o->time, "--time");
        LoadedChange loaded = loadChange(o->source, at);
        bundle::BundleContentOptions content;
        std::vector<std::string> leftOut;  // payloads a receiving site would refuse (settings missing)
        content.leftOut = &leftOut;
        auto files = bundle::bundleContentFiles(loaded.exp, content);
        if (!files) failInput(files.error());
        if (loaded.auditAnchor) (*files)[core::kAuditAnchorEntry] = *loaded.auditAnchor;
        const core::crypto::KeyPair key = loadSecretKey(o->secret, o->passphraseFile, o->passphraseEnv);
        bundle::BundleInput input;
        input.files = std::move(*files);
        input.changeId = loaded.exp.change.id;
        input.authorName = o->author;
        input.authorPrincipal = o->principal;
        input.signedAt = at;
        const std::size_t fileCount = input.files.size();
        auto zip = bundle::writeBundle(input, key);
        if (!zip) failWith(kExitUsage, zip.error().toString());
        writeOutput(o->output, *zip);
        const std::string keyId = core::crypto::keyIdHex(key.publicKey.keyId);
        if (ctx.global.json) {
            rapidjson::StringBuffer buf;
            JsonWriter w(buf);
            w.StartObject();
            jsonString(w, "bundle", o->output);
            jsonString(w, "changeId", input.changeId);
            jsonString(w, "keyId", keyId);
            jsonString(w, "signedAt", timeText(at));
            jsonInt(w, "contentFiles", static_cast<std::int64_t>(fileCount));
            jsonInt(w, "bytes", static_cast<std::int64_t>(zip->size()));
            w.EndObject();
            printJson(buf);
        } else {
            std::cout << "wrote " << o->output << ": change " << input.changeId << ", " << fileCount
                      << " content files, signed by key " << keyId << "\n";
        }
        for (const std::string& why : leftOut) std::cerr << "note: " << why << "\n";
        for (const std::string& id : loaded.exp.unknownCis) {
            std::cerr << "warning: CI " << id << " of the change is not in the CMDB\n";
        }
        ctx.exitCode = kExitOk;
    });
}

void registerApprove(CLI::App& app, CommandContext& ctx) {
    struct Options {
        std::string bundlePath, secret, passphraseFile, passphraseEnv, decision = "approve", role, name, comment, time,
                                                                       output;
        bool retrospective = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("approve", "Add an approval (or rejection) signature to a bundle");
    cmd->add_option("bundle", o->bundlePath, "Bundle file")->required();
    cmd->add_option("--secret,-s", o->secret, "Approver's minisign secret key file")->required();
    cmd->add_option("--passphrase-file", o->passphraseFile, "Passphrase of an encrypted key, first line of this file");
    cmd->add_option("--passphrase-env", o->passphraseEnv, "Passphrase of an encrypted key, from this variable");
    cmd->add_option("--decision", o->decision, "approve or reject")
        ->check(CLI::IsMember({"approve", "reject"}))
        ->capture_default_str();
    cmd->add_option("--role", o->role, "Role signed as: cab_member, security_officer, service_owner, ...")->required();
    cmd->add_option("--name", o->name, "Approver's name")->required();
    cmd->add_option("--comment", o->comment, "Free text, signed with the decision");
    cmd->add_flag("--retrospective", o->retrospective, "Retrospective approval of an emergency change");
    cmd->add_option("--time", o->time, "Decision time YYYY-MM-DDTHH:MM:SSZ (default: SOURCE_DATE_EPOCH, else now)");
    cmd->add_option("--output,-o", o->output, "Write the approved bundle here (default: replace the input)");
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([o, &ctx] {
        const std::string zip = readInput(o->bundlePath);
        const core::crypto::KeyPair key = loadSecretKey(o->secret, o->passphraseFile, o->passphraseEnv);
        bundle::ApprovalInput in;
        in.decision = o->decision == "reject" ? core::Decision::Reject : core::Decision::Approve;
        in.role = o->role;
        in.name = o->name;
        in.comment = o->comment;
        in.retrospective = o->retrospective;
        in.at = timeOption(o->time, "--time");
        auto approved = bundle::addApproval(zip, key, in);
        if (!approved) failWith(kExitCheckFailed, o->bundlePath + ": " + approved.error().toString());
        const std::string out = o->output.empty() ? o->bundlePath : o->output;
        writeOutput(out, *approved);
        const std::string keyId = core::crypto::keyIdHex(key.publicKey.keyId);
        std::string approvalFile;  // the new chain entry: the last approvals/*.minisig in name order
        if (auto entries = bundle::readZip(*approved)) {
            for (const auto& [path, data] : *entries) {
                if (path.rfind("approvals/", 0) == 0 && path.size() > 8 &&
                    path.compare(path.size() - 8, 8, ".minisig") == 0) {
                    approvalFile = path;
                }
            }
        }
        if (ctx.global.json) {
            rapidjson::StringBuffer buf;
            JsonWriter w(buf);
            w.StartObject();
            jsonString(w, "bundle", out);
            jsonString(w, "keyId", keyId);
            jsonString(w, "file", approvalFile);
            jsonString(w, "decision", o->decision);
            jsonString(w, "role", o->role);
            jsonString(w, "name", o->name);
            jsonString(w, "at", timeText(in.at));
            w.EndObject();
            printJson(buf);
        } else {
            std::cout << "wrote " << out << ": " << o->decision << " as " << o->role << " by " << o->name << " (key "
                      << keyId << ", " << approvalFile << ")\n";
        }
        ctx.exitCode = kExitOk;
    });
}

void registerVerify(CLI::App& app, CommandContext& ctx) {
    struct Options {
        std::string bundlePath, policyFile;
        TrustOptions trust;
        bool requireApprovals = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("verify", "Verify a bundle against a trust store");
    cmd->add_option("bundle", o->bundlePath, "Bundle file")->required();
    addTrustOptions(*cmd, o->trust);
    cmd->add_option("--policy", o->policyFile, "Governance policy JSON: report approvals against the required ones");
    cmd->add_flag("--require-approvals", o->requireApprovals,
                  "With --policy: fail (exit 1) unless every required approval is satisfied");
    cmd->add_flag("--json", ctx.global.json, "Print the report as JSON");
    cmd->callback([o, &ctx] {
        const bundle::TrustStore trust = loadTrust(o->trust.trustFiles, o->trust.keyFiles);
        std::optional<core::policy::Policy> policy;
        if (!o->policyFile.empty()) {
            auto parsed = core::policy::parsePolicy(readInput(o->policyFile), o->policyFile);
            if (!parsed) failInput(parsed.error());
            policy = std::move(*parsed);
        } else if (o->requireApprovals) {
            failWith(kExitUsage, "--require-approvals needs --policy");
        }
        const std::string zip = readInput(o->bundlePath);
        bundle::OpenedBundle opened = bundle::openBundle(zip, trust, {}, o->bundlePath);
        const bundle::BundleReport& report = opened.report;
        std::optional<ApprovalCheck> approvals;
        if (policy && report.importable) {
            approvals = checkApprovals(*policy, bundle::takeSignedContent(opened), report, trust, o->bundlePath);
        }
        if (ctx.global.json) {
            rapidjson::StringBuffer buf;
            JsonWriter w(buf);
            w.StartObject();
            jsonString(w, "bundle", o->bundlePath);
            writeReportJson(w, report);
            if (approvals) {
                w.Key("approvalCheck");
                w.StartObject();
                jsonString(w, "risk", approvals->risk);
                jsonBool(w, "satisfied", approvals->satisfied);
                w.Key("requirements");
                w.StartArray();
                for (const auto& r : approvals->requirements) {
                    w.StartObject();
                    jsonString(w, "id", r.requirement.id);
                    jsonString(w, "role", r.requirement.role);
                    jsonString(w, "reason", r.requirement.reason);
                    jsonString(w, "state", core::policy::toString(r.state));
                    jsonInt(w, "needed", r.needed);
                    jsonStringList(w, "approvedBy", r.approvedBy);
                    jsonStringList(w, "rejectedBy", r.rejectedBy);
                    jsonStringList(w, "notes", r.notes);
                    w.EndObject();
                }
                w.EndArray();
                w.EndObject();
            }
            w.EndObject();
            printJson(buf);
            for (const auto& e : report.errors) std::cerr << "error: " << e << "\n";
        } else {
            printReportText(report, o->bundlePath);
            if (approvals) {
                std::cout << "required approvals (risk " << approvals->risk << "):\n";
                for (const auto& r : approvals->requirements) {
                    std::cout << "  " << core::policy::toString(r.state) << "  " << r.requirement.role << " ("
                              << r.requirement.id << "): " << r.approvedBy.size() << " of " << r.needed << " approvals";
                    for (const auto& n : r.notes) std::cout << "; " << n;
                    std::cout << "\n";
                }
                if (approvals->requirements.empty()) std::cout << "  none\n";
            }
        }
        bool ok = report.importable;
        if (o->requireApprovals && (!approvals || !approvals->satisfied)) ok = false;
        ctx.exitCode = ok ? kExitOk : kExitCheckFailed;
    });
}

void registerInspect(CLI::App& app, CommandContext& ctx) {
    struct Options {
        std::string bundlePath;
        TrustOptions trust;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("inspect", "Print a bundle's change summary (verified when keys are given)");
    cmd->add_option("bundle", o->bundlePath, "Bundle file")->required();
    addTrustOptions(*cmd, o->trust);
    cmd->add_flag("--json", ctx.global.json, "Print the summary as JSON");
    cmd->callback([o, &ctx] {
        const std::string zip = readInput(o->bundlePath);
        bundle::ZipFiles files;
        std::string verification = "not verified (no trusted keys given)";
        bool verified = false;
        std::vector<core::Approval> signedApprovals;
        if (!o->trust.trustFiles.empty() || !o->trust.keyFiles.empty()) {
            const bundle::TrustStore trust = loadTrust(o->trust.trustFiles, o->trust.keyFiles);
            bundle::OpenedBundle opened = bundle::openBundle(zip, trust, {}, o->bundlePath);
            const bundle::BundleReport& report = opened.report;
            if (!report.importable) {
                for (const auto& e : report.errors) std::cerr << "error: " << e << "\n";
                failWith(kExitCheckFailed, o->bundlePath + " failed verification");
            }
            files = bundle::takeSignedContent(opened);
            signedApprovals = bundle::approvalsFromReport(report);
            verification = "verified, approval chain of " + std::to_string(report.approvalChainLength);
            verified = true;
        } else {
            auto all = bundle::readZip(zip, {}, o->bundlePath);
            if (!all) failInput(all.error());
            files = std::move(*all);
        }
        auto it = files.find("change.json");
        if (it == files.end()) failWith(kExitBadInput, o->bundlePath + ": the bundle has no change.json");
        auto change = core::io::parseChangeDocument(it->second, o->bundlePath + ": change.json");
        if (!change) failInput(change.error());
        std::size_t impacted = 0;
        if (auto s = files.find("cmdb-slice.json"); s != files.end()) {
            auto slice = core::io::parseCmdbSlice(s->second, o->bundlePath + ": cmdb-slice.json");
            if (!slice) failInput(slice.error());
            impacted = slice->cis.size();
        }
        const core::ChangeRequest& c = *change;
        if (ctx.global.json) {
            rapidjson::StringBuffer buf;
            JsonWriter w(buf);
            w.StartObject();
            jsonString(w, "bundle", o->bundlePath);
            jsonBool(w, "verified", verified);
            jsonString(w, "id", c.id);
            jsonString(w, "title", c.title);
            jsonString(w, "type", core::toString(c.type));
            jsonString(w, "state", core::toString(c.state));
            jsonString(w, "requester", c.requester);
            jsonString(w, "implementer", c.implementer);
            jsonString(w, "plannedStart", timeText(c.plannedStart));
            jsonString(w, "plannedEnd", timeText(c.plannedEnd));
            jsonString(w, "timeZone", c.timeZone);
            jsonStringList(w, "affectedCis", c.affectedCis);
            jsonInt(w, "impactedCis", static_cast<std::int64_t>(impacted));
            jsonInt(w, "steps", static_cast<std::int64_t>(c.steps.size()));
            jsonInt(w, "unsignedApprovals", static_cast<std::int64_t>(c.approvals.size()));
            w.Key("signedApprovals");
            w.StartArray();
            for (const core::Approval& a : signedApprovals) {
                w.StartObject();
                jsonString(w, "approver", a.approver);
                jsonString(w, "role", a.role);
                jsonString(w, "decision", core::toString(a.decision));
                jsonString(w, "keyId", a.keyId);
                jsonString(w, "at", timeText(a.at));
                w.EndObject();
            }
            w.EndArray();
            std::vector<std::string> paths;
            for (const auto& [p, d] : files) paths.push_back(p);
            jsonStringList(w, "files", paths);
            w.EndObject();
            printJson(buf);
        } else {
            std::cout << c.id << ": " << c.title << "\n"
                      << "  " << verification << "\n"
                      << "  type " << core::toString(c.type) << ", state " << core::toString(c.state) << "\n"
                      << "  planned "
                      << (c.plannedStart ? timeText(c.plannedStart) + " - " + timeText(c.plannedEnd)
                                         : std::string("(not planned)"))
                      << " (" << c.timeZone << ")\n"
                      << "  requester " << c.requester << ", implementer " << c.implementer << "\n"
                      << "  affected CIs:";
            for (const auto& id : c.affectedCis) std::cout << " " << id;
            std::cout << "\n  impacted CIs " << impacted << ", runbook steps " << c.steps.size()
                      << "\n  signed approvals that count:";
            if (!verified) std::cout << " unknown (not verified)";
            for (const core::Approval& a : signedApprovals) {
                std::cout << "\n    " << core::toString(a.decision) << " as " << a.role << " by " << a.approver
                          << " (key " << a.keyId << ")";
            }
            if (verified && signedApprovals.empty()) std::cout << " none";
            std::cout << "\n  approvals written in change.json: " << c.approvals.size()
                      << " (unsigned, not counted)\n  files:\n";
            for (const auto& [p, d] : files) std::cout << "    " << p << " (" << d.size() << " bytes)\n";
        }
        ctx.exitCode = kExitOk;
    });
}

void registerImportBundle(CLI::App& app, CommandContext& ctx) {
    struct Options {
        std::string bundlePath, workspace, onConflict = "refuse", actor = "planner-cli", time;
        TrustOptions trust;
        bool dryRun = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("import-bundle",
                                       "Verify a bundle and merge its change and CMDB slice into a "
                                       "workspace");
    cmd->add_option("bundle", o->bundlePath, "Bundle file")->required();
    cmd->add_option("--workspace,-w", o->workspace, "Workspace DIR/NAME")->required();
    addTrustOptions(*cmd, o->trust);
    cmd->add_option("--on-conflict", o->onConflict,
                    "refuse: import nothing when anything conflicts; keep: keep the workspace's version; take: take "
                    "the bundle's")
        ->check(CLI::IsMember({"refuse", "keep", "take"}))
        ->capture_default_str();
    cmd->add_flag("--dry-run", o->dryRun, "Only print the plan");
    cmd->add_option("--actor", o->actor, "Name recorded in the audit trail")->capture_default_str();
    cmd->add_option("--time", o->time, "Audit time YYYY-MM-DDTHH:MM:SSZ (default: SOURCE_DATE_EPOCH, else now)");
    cmd->add_flag("--json", ctx.global.json, "Print the plan and outcome as JSON");
    cmd->callback([o, &ctx] {
        const bundle::TrustStore trust = loadTrust(o->trust.trustFiles, o->trust.keyFiles);
        const std::string zip = readInput(o->bundlePath);
        const core::TimeUtc at = timeOption(o->time, "--time");
        const bundle::BundleReport report = bundle::verifyBundle(zip, trust, {}, o->bundlePath);
        if (!report.importable) {
            for (const auto& e : report.errors) std::cerr << "error: " << e << "\n";
            failWith(kExitCheckFailed, o->bundlePath + " failed verification; nothing was imported");
        }
        core::workspaces::Workspace ws = openWorkspace(o->workspace, false, o->dryRun);
        auto plan = bundle::planBundleImport(zip, trust, ws, o->bundlePath);
        if (!plan) failInput(plan.error());
        const auto resolution = o->onConflict == "take"   ? bundle::ConflictResolution::TakeBundle
                                : o->onConflict == "keep" ? bundle::ConflictResolution::KeepWorkspace
                                                          : bundle::ConflictResolution::Refuse;
        std::optional<bundle::BundleImportSummary> summary;
        std::string applyError;
        const bool refused = resolution == bundle::ConflictResolution::Refuse && plan->hasConflicts();
        if (!o->dryRun && !refused) {
            auto applied = bundle::applyBundleImport(ws, *plan, resolution, o->actor, at);
            if (!applied) failWith(kExitFailed, "workspace " + o->workspace + ": " + applied.error().toString());
            summary = *applied;
        }
        if (ctx.global.json) {
            rapidjson::StringBuffer buf;
            JsonWriter w(buf);
            w.StartObject();
            jsonString(w, "bundle", o->bundlePath);
            jsonString(w, "changeId", plan->change.id);
            jsonString(w, "changeAction", bundle::toString(plan->changeAction));
            jsonString(w, "state", core::toString(plan->change.state));
            jsonString(w, "claimedState", core::toString(plan->claimedState));
            jsonInt(w, "signedApprovals", static_cast<std::int64_t>(plan->change.approvals.size()));
            jsonInt(w, "approvalChainLength", plan->report.approvalChainLength);
            jsonStringList(w, "notes", plan->notes);
            jsonInt(w, "cisToAdd", static_cast<std::int64_t>(plan->cisToAdd.size()));
            jsonInt(w, "cisToUpdate", static_cast<std::int64_t>(plan->cisToUpdate.size()));
            jsonInt(w, "cisUnchanged", plan->cisUnchanged);
            jsonInt(w, "relationshipsToAdd", static_cast<std::int64_t>(plan->relationshipsToAdd.size()));
            w.Key("conflicts");
            w.StartArray();
            for (const auto& c : plan->conflicts) {
                w.StartObject();
                jsonString(w, "kind", c.kind);
                jsonString(w, "id", c.id);
                jsonStringList(w, "fields", c.fields);
                w.EndObject();
            }
            w.EndArray();
            jsonBool(w, "applied", summary.has_value());
            if (summary) {
                jsonBool(w, "changeWritten", summary->changeWritten);
                jsonInt(w, "cisAdded", summary->cisAdded);
                jsonInt(w, "cisUpdated", summary->cisUpdated);
                jsonInt(w, "relationshipsAdded", summary->relationshipsAdded);
                jsonInt(w, "conflictsKept", summary->conflictsKept);
            }
            w.EndObject();
            printJson(buf);
        } else {
            std::cout << "change " << plan->change.id << ": " << bundle::toString(plan->changeAction) << ", state "
                      << core::toString(plan->change.state) << ", " << plan->change.approvals.size()
                      << " signed approval(s) counted, approval chain of " << plan->report.approvalChainLength << "\n";
            for (const auto& n : plan->notes) std::cout << "note: " << n << "\n";
            std::cout
                      << "CIs: " << plan->cisToAdd.size() << " new, " << plan->cisToUpdate.size() << " different, "
                      << plan->cisUnchanged << " unchanged; relationships: " << plan->relationshipsToAdd.size()
                      << " new\n";
            for (const auto& c : plan->conflicts) {
                std::cout << "conflict: " << c.kind << " " << c.id << " differs in";
                for (const auto& f : c.fields) std::cout << " " << f;
                std::cout << "\n";
            }
            if (summary) {
                std::cout << "imported: change " << (summary->changeWritten ? "written" : "not written") << ", "
                          << summary->cisAdded << " CIs added, " << summary->cisUpdated << " updated, "
                          << summary->relationshipsAdded << " relationships added, " << summary->conflictsKept
                          << " conflicts kept as in the workspace\n";
            } else if (o->dryRun) {
                std::cout << "dry run: nothing was imported\n";
            }
        }
        if (refused) {
            std::cerr << "planner: " << plan->conflicts.size()
                      << " conflict(s) with the workspace; nothing was imported (see --on-conflict)\n";
            ctx.exitCode = kExitCheckFailed;
            return;
        }
        ctx.exitCode = kExitOk;
    });
}

void registerExtract(CLI::App& app, CommandContext& ctx) {
    struct Options {
        std::string bundlePath, dir;
        bool includeUnsigned = false;
        TrustOptions trust;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("extract",
                                       "Unpack the signed entries of a bundle into a directory (for sha256sum, "
                                       "minisign and ssh-keygen); refuses a bundle with entries no signature covers");
    cmd->add_option("bundle", o->bundlePath, "Bundle file")->required();
    cmd->add_option("--output-dir,-d", o->dir, "Directory to write into (created when missing)")->required();
    cmd->add_flag("--include-unsigned", o->includeUnsigned,
                  "Also write entries that no signature covers (each one is named in a warning)");
    addTrustOptions(*cmd, o->trust);
    cmd->callback([o, &ctx] {
        const bool trusted = !o->trust.trustFiles.empty() || !o->trust.keyFiles.empty();
        const bundle::TrustStore trust =
            trusted ? loadTrust(o->trust.trustFiles, o->trust.keyFiles) : bundle::TrustStore{};
        bundle::OpenedBundle opened = bundle::openBundle(readInput(o->bundlePath), trust, {}, o->bundlePath);
        const bundle::BundleReport& report = opened.report;
        if (opened.entries.empty()) {  // unreadable archive: the report says why
            for (const auto& e : report.errors) std::cerr << "error: " << e << "\n";
            failWith(kExitBadInput, o->bundlePath + " could not be read; nothing was extracted");
        }
        const auto selection = bundle::extractableEntries(opened, trusted);
        if (!selection) {
            for (const auto& e : report.errors) std::cerr << "error: " << e << "\n";
            failWith(kExitCheckFailed, o->bundlePath + ": " + selection.error().message + "; nothing was extracted");
        }
        if (!selection->unsignedEntries.empty() && !o->includeUnsigned) {
            for (const auto& name : selection->unsignedEntries) {
                std::cerr << "error: " << o->bundlePath << ": entry \"" << name
                          << "\" is not covered by any signature\n";
            }
            failWith(kExitCheckFailed, o->bundlePath + " holds " + std::to_string(selection->unsignedEntries.size()) +
                                           " entries no signature covers; nothing was extracted "
                                           "(--include-unsigned writes them too)");
        }
        std::vector<std::string> names = selection->signedEntries;
        if (o->includeUnsigned) {
            for (const auto& name : selection->unsignedEntries) {
                std::cerr << "warning: writing \"" << name << "\", which no signature covers\n";
                names.push_back(name);
            }
        }
        // readZip refuses unsafe entry names, so every path stays below the directory.
        const std::filesystem::path root(o->dir);
        for (const auto& name : names) {
            const std::filesystem::path target = root / name;
            std::error_code ec;
            std::filesystem::create_directories(target.parent_path(), ec);
            if (ec) failWith(kExitFailed, target.parent_path().string() + ": " + ec.message());
            writeOutput(target.string(), opened.entries.at(name));
        }
        if (!trusted) {
            std::cerr << "note: the signatures were checked against the keys inside the bundle only; give "
                         "--trusted-key or --trust to check who signed it\n";
        }
        std::cout << "extracted " << names.size() << " entries into " << o->dir << "\n";
        ctx.exitCode = kExitOk;
    });
}

}  // namespace

void registerBundleCommands(CLI::App& app, CommandContext& ctx) {
    registerSign(app, ctx);
    registerApprove(app, ctx);
    registerVerify(app, ctx);
    registerInspect(app, ctx);
    registerImportBundle(app, ctx);
    registerExtract(app, ctx);
}

}  // namespace planner::cli
