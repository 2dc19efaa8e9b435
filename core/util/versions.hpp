// Versions of the product and of every library linked into core/, for the
// About box, the CLI's --version and bundle metadata.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace planner::core {

// The product version ("0.1.0").
const char* productVersion();

// (library name, version) pairs, in a fixed order.
std::vector<std::pair<std::string, std::string>> libraryVersions();

}  // namespace planner::core
