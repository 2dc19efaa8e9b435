// Signed approvals, added to a ticketing payload the way each system can
// store them: a ServiceNow work note, GLPI validation requests (GLPI creates
// them waiting) plus a private follow-up listing the verified signatures, an
// iTop private log entry, a Freshservice note. Never as a status the system
// would override. The payload's other members are kept as they are.
#pragma once

#include <string>
#include <string_view>

#include "io/export_context.hpp"
#include "io/ticketing_settings.hpp"
#include "util/result.hpp"

namespace planner::core::io {

// `payload` (a version 2 envelope written by the planner for `system`) with
// its approval members filled from ctx.signedApprovals and the chain length
// and head; unchanged bytes when there are no signed approvals. Jira payloads
// carry no approvals and are returned unchanged. Fails when `payload` is not
// such an envelope.
Result<std::string> withSignedApprovals(TicketingSystem system, std::string_view payload, const ExportContext& ctx,
                                        const std::string& sourceName);

}  // namespace planner::core::io
