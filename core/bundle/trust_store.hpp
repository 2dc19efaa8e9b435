// The verifying side's list of trusted signers as a text file
// (docs/cli.md, "Trust store"): one key per line,
//   <minisign public key base64> <roles> <name>
// where <roles> is "*" (any role) or a comma-separated list, and <name> is the
// rest of the line. Blank lines and lines starting with '#' are ignored.
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

// A minisign public key file (or bare base64 line) as a trusted key for any
// role, named by its key id.
Result<TrustedKey> trustedKeyFromPublicKey(std::string_view text, const std::string& fileName);

}  // namespace planner::core::bundle
