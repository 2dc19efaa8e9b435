// The verifying side's list of trusted signers as a text file
// (docs/cli.md, "Trust store"): one key per line,
//   <minisign public key base64> <roles> <name>
// where <roles> is a comma-separated list of approval roles, "author" for a key
// that may only sign bundles as their author (no approval role), or "*" (every
// role; never written by the planner), and <name> is the rest of the line: the
// signer's identity, which signed approvals must repeat. Blank lines and lines starting with '#' are ignored.
#pragma once

#include <string>
#include <string_view>

#include "bundle/bundle.hpp"
#include "util/result.hpp"

namespace planner::core::bundle {

// Parses a trust store file. Errors name `fileName`, line and column: a bad
// key, a role that is empty or not [a-z0-9_-], a missing name, or a key id
// listed twice. Nothing is returned partially.
Result<TrustStore> parseTrustStore(std::string_view text, const std::string& fileName);

// One trust store line for `key` (no newline); the name must not contain a line break.
std::string trustStoreLine(const TrustedKey& key);

// Parses a roles field ("author", "*", or role,role,...) into `trusted`
// (roles and anyRole); the error's column is the 0-based offset in `rolesText`.
Result<int> parseRoles(std::string_view rolesText, TrustedKey& trusted);

// A minisign public key file (or bare base64 line) as a trusted key named by its
// key id: an author only (no approval role) unless `roles` grants some.
Result<TrustedKey> trustedKeyFromPublicKey(std::string_view text, const std::string& fileName,
                                           std::string_view roles = "");

}  // namespace planner::core::bundle
