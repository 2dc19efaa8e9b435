#include "session/signing.hpp"

#include "bundle/bundle_content.hpp"
#include "session/audit_anchor.hpp"
#include "bundle/trust_store.hpp"
#include "crypto/key_store.hpp"
#include "crypto/minisign.hpp"

namespace planner::core {

std::optional<crypto::PublicKey> signingPublicKey(const Session& session) {
    auto it = session.settings().find(kSigningKeySetting);
    if (it == session.settings().end()) return std::nullopt;
    auto key = crypto::storedKeyPublicKey(it->second, "signing key");
    if (!key) return std::nullopt;
    return *key;
}

std::string signerName(const Session& session, const std::string& self) {
    for (const auto& p : session.data().people) {
        if (!self.empty() && (p.id == self || p.name == self)) return p.name;
    }
    return self;
}

bundle::TrustStore workspaceTrust(const Session& session, const std::string& self) {
    bundle::TrustStore trust;
    for (const auto& p : session.data().people) {
        if (p.publicKey.empty()) continue;
        auto key = crypto::parseMinisignPublicKey(p.publicKey, "public key of " + p.id);
        if (!key) continue;
        trust.push_back(bundle::TrustedKey{p.name, p.roles, *key, false, p.id});
    }
    if (auto it = session.settings().find(kTrustedSignersSetting); it != session.settings().end()) {
        if (auto parsed = bundle::parseTrustStore(it->second, "trusted signers"))
            trust.insert(trust.end(), parsed->begin(), parsed->end());
    }
    if (auto own = signingPublicKey(session)) {
        bundle::TrustedKey mine{self.empty() ? std::string("this workspace's key") : self, {}, *own, false, {}};
        for (const auto& p : session.data().people) {
            if (!self.empty() && (p.id == self || p.name == self)) mine = bundle::TrustedKey{p.name, p.roles, *own, false, p.id};
        }
        trust.push_back(std::move(mine));
    }
    return trust;
}

Result<std::string> signChangeBundle(const Session& session, const std::string& changeId, const crypto::KeyPair& key,
                                     const std::string& authorName, TimeUtc now) {
    bundle::ChangeExportOptions options;
    options.generatedAt = now;
    options.policy = &session.policy();
    // The receiving sites' settings kept in the workspace (docs/ticketing.md);
    // a payload whose settings are missing is left out of the bundle.
    auto site = io::ticketingSettingsFrom(session.settings());
    if (!site) return site.error();
    options.site = std::move(*site);
    auto exp = bundle::buildChangeExport(session.data(), changeId, options);
    if (!exp) return exp.error();
    auto files = bundle::bundleContentFiles(*exp);
    if (!files) return files.error();
    auto head = session.workspace().auditHead();
    if (!head) return head.error();
    (*files)[kAuditAnchorEntry] = auditAnchorJson(*head, session.workspace().name());
    bundle::BundleInput input;
    input.files = std::move(*files);
    input.changeId = changeId;
    input.authorName = authorName;
    input.signedAt = now;
    return bundle::writeBundle(input, key);
}

}  // namespace planner::core
