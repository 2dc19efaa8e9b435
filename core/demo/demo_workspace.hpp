// The first-run demo workspace: a named CMDB, people with roles, a dozen
// changes in different states, maintenance windows and a freeze. Generated,
// deterministic for a given `now`, so a new user sees the product working.
#pragma once

#include "model/model.hpp"

namespace planner::core {

// Builds the demo around `now` (UTC seconds): changes are planned in the
// weeks before and after it.
WorkspaceData generateDemoWorkspace(TimeUtc now);

}  // namespace planner::core
