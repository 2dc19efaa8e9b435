// Mapping between ServiceNow CMDB vocabulary (sys_class_name, cmdb_rel_type
// descriptors "Parent::Child") and our CI and relationship types.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace planner::core::io {

// Our CI type for a cmdb_ci class ("cmdb_ci_linux_server" -> "server"); an
// unknown class keeps its name without the "cmdb_ci_" prefix.
std::string serviceNowClassToType(const std::string& sysClassName);
// The cmdb_ci class we export for one of our CI types.
std::string typeToServiceNowClass(const std::string& type);

// Our relationship type for a descriptor ("Depends on::Used by", matched
// case-insensitively; our own snake_case names are accepted too), and whether
// the edge runs child -> parent in our direction. nullopt if unknown.
std::optional<std::pair<std::string, bool>> serviceNowRelationshipType(const std::string& descriptor);
// Descriptor to export for one of our types, and whether parent/child swap.
std::pair<std::string, bool> relationshipTypeToServiceNow(const std::string& type);

}  // namespace planner::core::io
