// Bundle dialogs.
// Sections:
//   1. Helpers
//   2. Keys and trusted signers
//   3. Export of the selected change
//   4. Verify, import, approve
//   5. DrawBundleDialogs
#include "ui/bundle_dialogs.hpp"

#include <imgui.h>

#include <cstdio>

#include "bundle/trust_store.hpp"
#include "command/command.hpp"
#include "crypto/key_store.hpp"
#include "crypto/minisign.hpp"
#include "io/ticketing_settings.hpp"
#include "session/signing.hpp"
#include "session/workspaces.hpp"
#include "ui/icons.hpp"
#include "ui/widgets.hpp"

namespace planner::ui {

namespace {

namespace bn = core::bundle;
const ImU32 kRed = IM_COL32(226, 68, 56, 255);
const ImU32 kGreen = IM_COL32(46, 160, 90, 255);
const ImU32 kAmber = IM_COL32(230, 150, 20, 255);

// ---- 1. Helpers ----------------------------------------------------------------------

void Message(const std::string& text, bool error) {
    if (text.empty()) return;
    ImGui::PushStyleColor(ImGuiCol_Text, error ? kRed : kGreen);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(((error ? ICON_WARNING " " : ICON_CHECK " ") + text).c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

std::optional<std::string> settingOf(const core::Session& s, const char* key) {
    auto it = s.settings().find(key);
    if (it == s.settings().end()) return std::nullopt;
    return it->second;
}

bool centeredModal(const char* title, const UiContext& ctx, float width) {
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    FixedWidthModal(ctx.px(width));
    return ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize);
}

bool closeRow(const UiContext& ctx) {
    ImGui::Spacing();
    const bool close =
        ImGui::Button("Close", ImVec2(ctx.px(100), 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
    ctx.record("dialog.close");
    if (close) ImGui::CloseCurrentPopup();
    return close;
}

void PasswordField(const char* id, const char* hint, std::string& value) {
    ImGui::SetNextItemWidth(-1);
    InputTextString(id, hint, value, ImGuiInputTextFlags_Password);
}

// Decrypts the workspace signing key with `passphrase` (Argon2id: about a second).
core::Result<core::crypto::KeyPair> unlockKey(const core::Session& s, const std::string& passphrase) {
    auto doc = settingOf(s, core::kSigningKeySetting);
    if (!doc) return core::Error{"this workspace has no signing key yet: create one under File > Keys and signers"};
    return core::crypto::decryptSecretKey(*doc, passphrase, "signing key");
}

// ---- 2. Keys and trusted signers ----------------------------------------------------------

void DrawKeys(UiContext& ctx, BundleDialogsState& st, const BundleDialogHost& host) {
    if (st.openKeys) {
        ImGui::OpenPopup("Keys and trusted signers");
        st.openKeys = false;
        st.keysMessage.clear();
        if (st.keyName.empty()) st.keyName = host.userName;
    }
    if (!centeredModal("Keys and trusted signers", ctx, 640)) return;
    ctx.recordWindow("dialog.keys");
    const core::Session& s = *ctx.session;
    const bool readOnly = s.readOnly();
    ImGui::PushFont(ctx.fontBold);
    ImGui::TextUnformatted(ICON_KEY "  Your signing key");
    ImGui::PopFont();
    const auto own = core::signingPublicKey(s);
    if (own) {
        ImGui::Text("Key id %s", core::crypto::keyIdHex(own->keyId).c_str());
        ImGui::PushFont(ctx.fontMono);
        ImGui::TextWrapped("%s", core::crypto::minisignPublicKeyBase64(*own).c_str());
        ImGui::PopFont();
        ImGui::TextDisabled("Stored in this workspace, encrypted with your passphrase (Argon2id).");
        if (ImGui::Button(ICON_DOWNLOAD " Download public key")) {
            const std::string where =
                platform::saveFile("change-planner-" + core::crypto::keyIdHex(own->keyId) + ".pub", "text/plain",
                                   core::crypto::writeMinisignPublicKey(*own));
            st.keysMessage = "Public key saved: " + where;
            st.keysError = false;
        }
        ctx.record("keys.download_pub");
    } else {
        ImGui::TextWrapped(
            "No signing key yet. Bundles you export are signed with it; approvers add your public "
            "key to their trusted signers.");
        PasswordField("##pass1", "Passphrase (at least 8 characters)", st.passphrase);
        ctx.record("keys.passphrase");
        PasswordField("##pass2", "Repeat the passphrase", st.passphrase2);
        ctx.record("keys.passphrase2");
        const bool ok = st.passphrase.size() >= 8 && st.passphrase == st.passphrase2 && !readOnly;
        if (!ok) ImGui::BeginDisabled();
        if (ImGui::Button(ICON_KEY " Create signing key")) {
            const core::crypto::KeyPair pair = core::crypto::generateKeyPair();
            auto doc = core::crypto::encryptSecretKey(pair, st.passphrase);
            st.passphrase.clear();
            st.passphrase2.clear();
            if (!doc) {
                st.keysMessage = doc.error().toString();
                st.keysError = true;
            } else {
                ctx.emit(core::command::SetSetting{core::kSigningKeySetting, std::nullopt, *doc});
                st.keysMessage = "Signing key " + core::crypto::keyIdHex(pair.publicKey.keyId) + " created.";
                st.keysError = false;
            }
        }
        if (!ok) ImGui::EndDisabled();
        ctx.record("keys.create");
        if (!ok && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
            ImGui::SetTooltip(readOnly ? "This workspace is open read-only."
                                       : "Type the same passphrase twice, at least 8 characters.");
    }

    ImGui::Spacing();
    ImGui::PushFont(ctx.fontBold);
    ImGui::TextUnformatted(ICON_USERS "  Trusted signers");
    ImGui::PopFont();
    const bn::TrustStore trust = core::workspaceTrust(s, host.userName);
    if (ImGui::BeginTable("##trust", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("Name");
        ImGui::TableSetupColumn("Roles");
        ImGui::TableSetupColumn("Key id", ImGuiTableColumnFlags_WidthFixed, ctx.px(150));
        ImGui::TableHeadersRow();
        for (const auto& t : trust) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(t.name.c_str());
            ImGui::TableNextColumn();
            std::string roles;
            for (const auto& r : t.roles) roles += (roles.empty() ? "" : ", ") + r;
            ImGui::TextUnformatted(t.anyRole ? "any" : roles.empty() ? "author only" : roles.c_str());
            ImGui::TableNextColumn();
            ImGui::PushFont(ctx.fontMono);
            ImGui::TextUnformatted(core::crypto::keyIdHex(t.key.keyId).c_str());
            ImGui::PopFont();
        }
        ImGui::EndTable();
    }
    // A public key file picked on an earlier frame waits for a name and roles.
    if (st.pickedPublicKey && st.pickedPublicKey->has_value()) {
        platform::OpenedFile f = std::move(**st.pickedPublicKey);
        st.pickedPublicKey.reset();
        auto key = bn::trustedKeyFromPublicKey(f.bytes, f.name);
        if (!key) {
            st.keysMessage = key.error().toString();
            st.keysError = true;
        } else {
            st.pendingTrustKey = f.bytes;
            st.trustName.clear();
            st.keysMessage.clear();
        }
    }
    if (st.pendingTrustKey) {
        ImGui::SetNextItemWidth(ctx.px(260));
        InputTextString("##trustname", "Signer's name", st.trustName);
        ctx.record("keys.trust.name");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ctx.px(200));
        InputTextString("##trustroles", "Approval roles, comma separated (empty: author only)", st.trustRoles);
        ctx.record("keys.trust.roles");
        if (ImGui::Button(ICON_PLUS " Trust this key")) {
            auto key = bn::trustedKeyFromPublicKey(*st.pendingTrustKey, "public key");
            if (key) {
                bn::TrustedKey t = *key;
                t.name = st.trustName.empty() ? t.name : st.trustName;
                bool rolesOk = true;
                std::string roles;
                for (char ch : st.trustRoles) {
                    if (ch != ' ') roles += ch;
                }
                if (auto parsed = bn::parseRoles(roles.empty() ? "author" : roles, t); !parsed) {
                    st.keysMessage = parsed.error().message;
                    st.keysError = true;
                    rolesOk = false;
                }
                const auto before = settingOf(s, core::kTrustedSignersSetting);
                const std::string after = before.value_or("") + bn::trustStoreLine(t) + "\n";
                if (!rolesOk) {
                    // the message says which role is malformed
                } else if (auto check = bn::parseTrustStore(after, "trusted signers"); !check) {
                    st.keysMessage = check.error().toString();
                    st.keysError = true;
                } else {
                    ctx.emit(core::command::SetSetting{core::kTrustedSignersSetting, before, after});
                    st.keysMessage = "Now trusting " + t.name + ".";
                    st.keysError = false;
                    st.pendingTrustKey.reset();
                }
            }
        }
        ctx.record("keys.trust.add");
    } else {
        if (readOnly) ImGui::BeginDisabled();
        if (ImGui::Button(ICON_UPLOAD " Add a signer's public key...")) {
            auto slot = std::make_shared<std::optional<platform::OpenedFile>>();
            st.pickedPublicKey = slot;
            platform::requestOpenFile(".pub,.txt", [slot](platform::OpenedFile f) { *slot = std::move(f); });
        }
        if (readOnly) ImGui::EndDisabled();
        ctx.record("keys.trust.pick");
    }
    Message(st.keysMessage, st.keysError);
    closeRow(ctx);
    ImGui::EndPopup();
}

// ---- 3. Export ---------------------------------------------------------------------------------

void DrawExport(UiContext& ctx, BundleDialogsState& st, const BundleDialogHost& host) {
    if (st.openExport) {
        ImGui::OpenPopup("Export signed bundle");
        st.openExport = false;
        st.exportMessage.clear();
        st.exportPending = 0;
    }
    if (!centeredModal("Export signed bundle", ctx, 560)) return;
    ctx.recordWindow("dialog.export");
    const core::Session& s = *ctx.session;
    const core::ChangeRequest* c = ctx.change();
    if (!c) {
        ImGui::TextDisabled("Select a change first.");
        closeRow(ctx);
        ImGui::EndPopup();
        return;
    }
    ImGui::Text("%s  %s", c->id.c_str(), c->title.c_str());
    ImGui::TextWrapped(
        "One zip: the change, its CMDB slice, runbook, report, graph, calendar and ticketing "
        "payloads, with SHA256SUMS signed by minisign and SSH signatures (docs/bundle-format.md).");
    const auto own = core::signingPublicKey(s);
    if (!own) {
        Message("This workspace has no signing key yet.", true);
        if (ImGui::Button(ICON_KEY " Create one...")) {
            ImGui::CloseCurrentPopup();
            st.openKeys = true;
        }
        ctx.record("export.create_key");
        closeRow(ctx);
        ImGui::EndPopup();
        return;
    }
    ImGui::Text("Signed by %s, key %s", host.userName.c_str(), core::crypto::keyIdHex(own->keyId).c_str());
    // Payloads a receiving site would refuse are left out (docs/ticketing.md, section 4).
    if (auto site = core::io::ticketingSettingsFrom(s.settings()); site) {
        std::string leftOut;
        for (core::io::TicketingSystem sys : core::io::allTicketingSystems())
            if (!core::io::requireTicketingSettings(sys, *site)) leftOut += (leftOut.empty() ? "" : ", ") + std::string(core::io::toString(sys));
        if (!leftOut.empty()) {
            ImGui::PushTextWrapPos(0);
            ImGui::TextDisabled("Left out of the bundle (receiving-site settings not set, see planner "
                                "ticketing-settings): %s", leftOut.c_str());
            ImGui::PopTextWrapPos();
        }
    }
    PasswordField("##exportpass", "Passphrase of your signing key", st.exportPassphrase);
    ctx.record("export.passphrase");
    if (st.exportPending > 0 && --st.exportPending == 0) {
        // The work runs one frame after the click so that "Signing..." shows.
        auto key = unlockKey(s, st.exportPassphrase);
        st.exportPassphrase.clear();
        if (!key) {
            st.exportMessage = key.error().toString();
            st.exportError = true;
        } else {
            auto zip = core::signChangeBundle(s, c->id, *key, host.userName, platform::nowUtc());
            if (!zip) {
                st.exportMessage = zip.error().toString();
                st.exportError = true;
            } else {
                const std::string where = platform::saveFile(c->id + ".zip", "application/zip", *zip);
                char size[32];
                std::snprintf(size, sizeof size, "%.1f KB", static_cast<double>(zip->size()) / 1024.0);
                st.exportMessage = "Bundle signed and saved (" + std::string(size) + "): " + where;
                st.exportError = false;
            }
        }
    }
    const bool busy = st.exportPending > 0;
    if (busy || st.exportPassphrase.empty()) ImGui::BeginDisabled();
    if (ImGui::Button(busy ? ICON_CLOCK " Signing..." : ICON_ARCHIVE " Sign and download")) st.exportPending = 2;
    if (busy || st.exportPassphrase.empty()) ImGui::EndDisabled();
    ctx.record("export.sign");
    Message(st.exportMessage, st.exportError);
    closeRow(ctx);
    ImGui::EndPopup();
}

// ---- 4. Verify, import, approve -------------------------------------------------------------

const char* fileStatusText(bn::FileStatus f) {
    switch (f) {
        case bn::FileStatus::Ok:
            return "ok";
        case bn::FileStatus::HashMismatch:
            return "CHANGED";
        case bn::FileStatus::Missing:
            return "MISSING";
        case bn::FileStatus::NotListed:
            return "not listed";
    }
    return "?";
}

void DrawReport(const UiContext& ctx, const bn::BundleReport& r) {
    ImGui::PushFont(ctx.fontBold);
    ImGui::PushStyleColor(ImGuiCol_Text, r.importable ? kGreen : kRed);
    ImGui::TextUnformatted(r.importable ? ICON_CHECK_CIRCLE "  Verified: every file and signature holds"
                                        : ICON_TIMES_CIRCLE "  Verification FAILED: do not trust or import");
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ctx.record("verify.verdict");
    if (!r.changeId.empty()) ImGui::Text("Change %s by %s", r.changeId.c_str(), r.authorName.c_str());
    ImGui::Text("Approval chain: %d signed approval(s)", r.approvalChainLength);
    ctx.record("verify.chain");
    if (!r.errors.empty()) {
        // Each error names the entry, the key and the rule (docs/bundle-format.md, section 8).
        ImGui::BeginGroup();
        for (const auto& e : r.errors) Message(e, true);
        ImGui::EndGroup();
        ctx.record("verify.errors");
    }
    for (const auto& u : r.unsignedApprovals) ImGui::TextDisabled("change.json: %s", u.c_str());
    for (const auto& w : r.warnings) {
        ImGui::PushStyleColor(ImGuiCol_Text, kAmber);
        ImGui::TextWrapped(ICON_WARNING " %s", w.c_str());
        ImGui::PopStyleColor();
    }
    if (ImGui::BeginTable("##sigs", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("Signature");
        ImGui::TableSetupColumn("Status", ImGuiTableColumnFlags_WidthFixed, ctx.px(90));
        ImGui::TableSetupColumn("Signer");
        ImGui::TableSetupColumn("Decision");
        ImGui::TableHeadersRow();
        for (const auto& sig : r.signatures) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(sig.file.c_str());
            ImGui::TableNextColumn();
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(sig.status == bn::SignatureStatus::Valid ? kGreen : kRed),
                               "%s", sig.superseded ? "superseded" : bn::toString(sig.status));
            if (!sig.message.empty() && ImGui::IsItemHovered())
                ImGui::SetTooltip("%s%s%s", sig.message.c_str(), sig.rule.empty() ? "" : " rule: ", sig.rule.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%s %s", sig.trustedName.empty() ? sig.signerName.c_str() : sig.trustedName.c_str(),
                        sig.keyId.c_str());
            ImGui::TableNextColumn();
            if (sig.decision) ImGui::Text("%s as %s", core::toString(*sig.decision), sig.role.c_str());
        }
        ImGui::EndTable();
    }
    if (ImGui::TreeNode("Files")) {
        for (const auto& f : r.files) {
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(f.status == bn::FileStatus::Ok ? kGreen : kRed), "%s",
                               fileStatusText(f.status));
            ImGui::SameLine(ctx.px(90));
            ImGui::TextUnformatted(f.path.c_str());
        }
        ImGui::TreePop();
    }
}

void DrawVerify(UiContext& ctx, BundleDialogsState& st, const BundleDialogHost& host) {
    const core::Session& s = *ctx.session;
    if (st.pickedBundle && st.pickedBundle->has_value()) {
        platform::OpenedFile f = std::move(**st.pickedBundle);
        st.pickedBundle.reset();
        OpenBundleForVerification(st, std::move(f));
    }
    if (st.openVerify) {
        ImGui::OpenPopup("Verify bundle");
        st.openVerify = false;
        st.plan.reset();
        st.planError.clear();
        st.verifyMessage.clear();
        st.approvePending = 0;
        if (!st.bundleBytes.empty())
            st.report = bn::verifyBundle(st.bundleBytes, core::workspaceTrust(s, host.userName), {}, st.bundleName);
        else
            st.report.reset();
    }
    if (!centeredModal("Verify bundle", ctx, 720)) return;
    ctx.recordWindow("dialog.verify");
    if (ImGui::Button(ICON_FOLDER_OPEN " Open a bundle...")) {
        auto slot = std::make_shared<std::optional<platform::OpenedFile>>();
        st.pickedBundle = slot;
        platform::requestOpenFile(".zip", [slot](platform::OpenedFile f) { *slot = std::move(f); });
    }
    ctx.record("verify.open");
    ImGui::SameLine();
    ImGui::TextDisabled("%s", st.bundleName.empty() ? "or drop a .zip onto the page" : st.bundleName.c_str());
    if (!st.report) {
        closeRow(ctx);
        ImGui::EndPopup();
        return;
    }
    // The report was made against the trust store of that moment; re-verify
    // when the user trusts another key meanwhile.
    DrawReport(ctx, *st.report);
    const bn::BundleReport& r = *st.report;

    if (r.importable) {
        ImGui::Separator();
        ImGui::PushFont(ctx.fontBold);
        ImGui::TextUnformatted(ICON_UPLOAD "  Import into this workspace");
        ImGui::PopFont();
        if (!st.plan) {
            if (s.readOnly()) ImGui::BeginDisabled();
            if (ImGui::Button("Compare with the workspace")) {
                auto plan = bn::planBundleImport(st.bundleBytes, core::workspaceTrust(s, host.userName), host.session->workspace(),
                                                 st.bundleName);
                if (plan) {
                    st.plan = std::move(*plan);
                    st.planError.clear();
                } else {
                    st.planError = plan.error().toString();
                }
            }
            if (s.readOnly()) ImGui::EndDisabled();
            ctx.record("verify.plan");
        } else {
            const auto& p = *st.plan;
            ImGui::Text("Change %s: %s. CIs: %zu new, %zu different, %lld unchanged. Relationships: %zu new.",
                        p.change.id.c_str(), bn::toString(p.changeAction), p.cisToAdd.size(), p.cisToUpdate.size(),
                        static_cast<long long>(p.cisUnchanged), p.relationshipsToAdd.size());
            ImGui::Text("State on import: %s (%zu signed approval(s) count)", core::toString(p.change.state),
                        p.change.approvals.size());
            for (const auto& n : p.notes) {
                ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kAmber), ICON_WARNING " %s", n.c_str());
            }
            ctx.record("verify.plan.notes");
            for (const auto& c : p.conflicts) {
                std::string fields;
                for (const auto& f : c.fields) fields += (fields.empty() ? "" : ", ") + f;
                ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kAmber), ICON_WARNING " %s %s differs: %s",
                                   c.kind.c_str(), c.id.c_str(), fields.c_str());
            }
            if (p.hasConflicts()) {
                ImGui::RadioButton("Keep the workspace's version of conflicting entries", &st.resolution, 1);
                ImGui::RadioButton("Take the bundle's version", &st.resolution, 2);
            }
            if (ImGui::Button(ICON_CHECK " Import")) {
                const auto resolution = p.hasConflicts() ? static_cast<bn::ConflictResolution>(st.resolution)
                                                         : bn::ConflictResolution::Refuse;
                bn::BundleImportSummary summary;
                auto result = host.session->applyBulk([&](core::workspaces::Workspace& ws) -> core::Status {
                    auto applied = bn::applyBundleImport(ws, p, resolution, host.userName, platform::nowUtc());
                    if (!applied) return applied.error();
                    summary = *applied;
                    return core::okStatus();
                });
                if (result) {
                    st.verifyMessage = "Imported: change " + p.change.id + ", " + std::to_string(summary.cisAdded) +
                                       " CIs added, " + std::to_string(summary.cisUpdated) + " updated.";
                    st.verifyError = false;
                    if (ctx.selectedChange) *ctx.selectedChange = p.change.id;
                    st.plan.reset();
                } else {
                    st.verifyMessage = result.error().toString();
                    st.verifyError = true;
                }
                if (host.afterBulk) host.afterBulk(result ? "" : result.error().toString(), result.ok());
            }
            ctx.record("verify.import");
        }
        if (!st.planError.empty()) Message(st.planError, true);

        ImGui::Separator();
        ImGui::PushFont(ctx.fontBold);
        ImGui::TextUnformatted(ICON_CERTIFICATE "  Approve or reject by signature");
        ImGui::PopFont();
        ImGui::RadioButton("Approve", &st.decision, 0);
        ctx.record("approve.approve");
        ImGui::SameLine();
        ImGui::RadioButton("Reject", &st.decision, 1);
        ctx.record("approve.reject");
        ImGui::SetNextItemWidth(ctx.px(240));
        InputTextString("##role", "Your role, e.g. cab_member", st.approveRole);
        ctx.record("approve.role");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(-1);
        InputTextString("##comment", "Comment (signed with the decision)", st.approveComment);
        PasswordField("##approvepass", "Passphrase of your signing key", st.approvePassphrase);
        ctx.record("approve.passphrase");
        if (st.approvePending > 0 && --st.approvePending == 0) {
            auto key = unlockKey(s, st.approvePassphrase);
            st.approvePassphrase.clear();
            if (!key) {
                st.verifyMessage = key.error().toString();
                st.verifyError = true;
            } else {
                bn::ApprovalInput in;
                in.decision = st.decision == 0 ? core::Decision::Approve : core::Decision::Reject;
                in.role = st.approveRole;
                in.name = core::signerName(s, host.userName);
                in.at = platform::nowUtc();
                in.comment = st.approveComment;
                auto signedZip = bn::addApproval(st.bundleBytes, *key, in);
                if (!signedZip) {
                    st.verifyMessage = signedZip.error().toString();
                    st.verifyError = true;
                } else {
                    const std::string keyId = core::crypto::keyIdHex(key->publicKey.keyId);
                    std::string base = st.bundleName;
                    if (base.size() > 4 && base.compare(base.size() - 4, 4, ".zip") == 0) base.resize(base.size() - 4);
                    const std::string where =
                        platform::saveFile(base + "-approval-" + keyId + ".zip", "application/zip", *signedZip);
                    st.bundleBytes = *signedZip;
                    st.report = bn::verifyBundle(st.bundleBytes, core::workspaceTrust(s, host.userName), {}, st.bundleName);
                    st.verifyMessage = std::string(in.decision == core::Decision::Approve ? "Approval" : "Rejection") +
                                       " signed and saved: " + where;
                    st.verifyError = false;
                }
            }
        }
        const bool ready = !st.approveRole.empty() && !st.approvePassphrase.empty() && st.approvePending == 0;
        if (!ready) ImGui::BeginDisabled();
        if (ImGui::Button(st.approvePending ? ICON_CLOCK " Signing..."
                                            : ICON_CERTIFICATE " Sign decision and download"))
            st.approvePending = 2;
        if (!ready) ImGui::EndDisabled();
        ctx.record("approve.sign");
    }
    Message(st.verifyMessage, st.verifyError);
    closeRow(ctx);
    ImGui::EndPopup();
}

}  // namespace

void OpenBundleForVerification(BundleDialogsState& st, platform::OpenedFile file) {
    st.bundleName = std::move(file.name);
    st.bundleBytes = std::move(file.bytes);
    st.openVerify = true;
}

// ---- 5. DrawBundleDialogs ----------------------------------------------------------------------

void DrawBundleDialogs(UiContext& ctx, BundleDialogsState& st, const BundleDialogHost& host) {
    if (!ctx.session) return;
    DrawKeys(ctx, st, host);
    DrawExport(ctx, st, host);
    DrawVerify(ctx, st, host);
}

}  // namespace planner::ui
