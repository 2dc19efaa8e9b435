// iTop payload: the json_data of a REST "core/create" operation for the change
// class matching the change type (RoutineChange, NormalChange, EmergencyChange).
// External keys are given as search objects ({"name": ...}) that iTop resolves.
#pragma once

#include <string>

#include "io/export_context.hpp"
#include "model/model.hpp"

namespace planner::core::io {

// "RoutineChange" for standard, "NormalChange" for normal, "EmergencyChange" for emergency.
const char* iTopChangeClass(ChangeType type);

// Canonical JSON json_data for `change`; see docs/ticketing.md.
std::string iTopPayload(const ChangeRequest& change, const ExportContext& ctx);

}  // namespace planner::core::io
