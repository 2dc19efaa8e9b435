// Audit anchors outside the workspace file: written into every signed bundle
// and every backup as audit-anchor.json, read back from those files (or from
// "SEQ:HASH" written down) to check that a workspace's audit chain still holds
// the rows it held then (docs/storage.md, "Anchors").
#pragma once

#include <string>
#include <string_view>

#include "store/workspace.hpp"
#include "util/result.hpp"

namespace planner::core {

inline constexpr const char* kAuditAnchorEntry = "audit-anchor.json";

// {"format":"planner-audit-anchor","version":1,"workspace":...,"seq":N,"hash":"..."}
std::string auditAnchorJson(const store::AuditAnchor& anchor, const std::string& workspaceName);

// Parses an anchor document; errors name `source`. seq must lie in
// 0..2^53, hash be 64 lowercase hex digits (64 zeros exactly when seq is 0).
Result<store::AuditAnchor> parseAuditAnchor(std::string_view text, const std::string& source);

// An anchor from what the user holds: a bundle or a backup (a zip carrying
// audit-anchor.json; in a bundle it must be listed in SHA256SUMS with a matching
// hash, i.e. covered by the author's signature), an anchor document, or the
// text "SEQ:HASH".
Result<store::AuditAnchor> readAuditAnchor(std::string_view bytes, const std::string& source);

}  // namespace planner::core
