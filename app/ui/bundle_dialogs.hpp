// Dialogs around signed bundles: keys and trusted signers, export of the
// selected change as a signed bundle, and verification of a bundle someone
// sent (with import into the workspace, and approval by signature).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "bundle/bundle.hpp"
#include "bundle/bundle_import.hpp"
#include "platform/platform.hpp"
#include "ui/ui_context.hpp"

namespace planner::ui {

struct BundleDialogsState {
    bool openKeys = false, openExport = false, openVerify = false;

    // Keys.
    std::string keyName, passphrase, passphrase2;
    std::string keysMessage;
    bool keysError = false;
    std::shared_ptr<std::optional<platform::OpenedFile>> pickedPublicKey;
    std::string trustName, trustRoles;  // "" = author only
    std::optional<std::string> pendingTrustKey;  // public key file text waiting for name and roles

    // Export.
    std::string exportPassphrase;
    std::string exportMessage;
    bool exportError = false;
    int exportPending = 0;  // frames to wait so "Signing..." is drawn before the work starts

    // Verify / import / approve.
    std::shared_ptr<std::optional<platform::OpenedFile>> pickedBundle;
    std::string bundleName, bundleBytes;
    std::optional<core::bundle::BundleReport> report;
    std::optional<core::bundle::BundleImportPlan> plan;
    std::string planError;
    int resolution = 1;  // ConflictResolution: 0 refuse, 1 keep workspace, 2 take bundle
    std::string verifyMessage;
    bool verifyError = false;
    int decision = 0;  // 0 approve, 1 reject
    std::string approveRole, approveComment, approvePassphrase;
    int approvePending = 0;
};

// What the dialogs need from the shell besides the UI context.
struct BundleDialogHost {
    std::string userName;                                                 // signer name for new keys and signatures
    std::function<void(const std::string& error, bool dirty)> afterBulk;  // after an import changed the workspace
    core::Session* session = nullptr;                                     // mutable, for imports
};

// Opens the verify dialog on a file (picked or dropped).
void OpenBundleForVerification(BundleDialogsState& st, platform::OpenedFile file);

void DrawBundleDialogs(UiContext& ctx, BundleDialogsState& st, const BundleDialogHost& host);

}  // namespace planner::ui
