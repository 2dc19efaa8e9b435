// The calls that push a ticketing payload into its system, as a bash script
// of curl and jq commands (docs/ticketing.md gives the same sequences): create
// the change, link its CIs, add its tasks, move it to the planned state the
// way the system allows, and add the verified approvals. The site fills in the
// variables the script names (instance URL, credentials); the payload file is
// $PAYLOAD (default: the file name given here).
#pragma once

#include <string>

#include "io/ticketing_settings.hpp"

namespace planner::core::io {

std::string pushCalls(TicketingSystem system, const std::string& payloadFile, const std::string& changeId);

}  // namespace planner::core::io
