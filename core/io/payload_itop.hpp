// iTop payload: one envelope ("planner.itop", version 2) for the REST/JSON
// webservice: "create" is the json_data of core/create for the site's change
// data model (default: class Change; itil: RoutineChange, NormalChange or
// EmergencyChange by change type), in the new state iTop requires on create;
// "stimuli" are the core/apply_stimulus operations, in order, that move the
// change through its lifecycle to the planned state, each with the fields
// that state makes mandatory (the poster sets "key" to the created id);
// "log" is a core/update adding the verified approval signatures to the
// private log, or null. External keys are search objects iTop resolves.
#pragma once

#include <string>
#include <vector>

#include "io/export_context.hpp"
#include "model/model.hpp"
#include "util/result.hpp"

namespace planner::core::io {

// The change class for `type` in the data model `model`.
const char* iTopChangeClass(ChangeType type, ItopChangeModel model);

// Stimulus codes (ev_assign, ev_plan, ...) from the new state to the state
// matching `state`, for the class of `type` in `model`.
std::vector<std::string> iTopStimuli(ChangeType type, ChangeState state, ItopChangeModel model);

// Canonical JSON envelope; refused (naming the setting or the missing datum)
// when the site settings are missing or a state on the way needs data the
// change does not have (caller, agent, team, change manager e-mails).
Result<std::string> iTopPayload(const ChangeRequest& change, const ExportContext& ctx);

}  // namespace planner::core::io
