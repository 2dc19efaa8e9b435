// Signing with the workspace: where the encrypted signing key and the trusted
// signers live (workspace settings), the trust store a verification uses, and
// the signed bundle of one change.
#pragma once

#include <optional>
#include <string>

#include "bundle/bundle.hpp"
#include "crypto/keys.hpp"
#include "session/session.hpp"
#include "util/result.hpp"

namespace planner::core {

// Setting holding the user's signing key, encrypted (crypto::encryptSecretKey).
inline constexpr const char* kSigningKeySetting = "signing.key";
// Setting holding the trusted signers in trust store format (bundle/trust_store.hpp).
inline constexpr const char* kTrustedSignersSetting = "signing.trusted";

// The public half of the stored signing key, if there is one.
std::optional<crypto::PublicKey> signingPublicKey(const Session& session);

// Who a verification trusts: the people of the workspace with a public key
// (for their roles), the trusted signers setting, and the user's own key. The
// own key is trusted as `self` (a person id or name): as that person, with
// their roles, when the workspace has them; else under that name as an author
// only; "this workspace's key" (author only) when `self` is empty.
bundle::TrustStore workspaceTrust(const Session& session, const std::string& self = "");

// The name `self` signs approvals under: the name of the workspace person whose
// id or name it is, else `self` itself.
std::string signerName(const Session& session, const std::string& self);

// The signed bundle of change `changeId` as zip bytes, content files from the
// workspace (impact set, windows, conflicts, risk under the workspace policy,
// the receiving sites' ticketing.* settings: a payload whose settings are
// missing is left out) and audit-anchor.json, the head of the workspace's
// audit chain.
Result<std::string> signChangeBundle(const Session& session, const std::string& changeId, const crypto::KeyPair& key,
                                     const std::string& authorName, TimeUtc now);

}  // namespace planner::core
