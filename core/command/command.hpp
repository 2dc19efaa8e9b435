// Every edit of a workspace is a Command value: it applies to and undoes from
// a store::Workspace, serializes to JSON (cereal) for the audit trail, and
// consecutive edits of one text field merge into one undo step. Commands carry
// the values before and after, and refuse to apply when the stored value is not
// the expected "before" (so undo and redo always return exact earlier states).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/model.hpp"
#include "store/workspace.hpp"
#include "util/result.hpp"

namespace planner::core::command {

// Two SetChangeField edits of the same field at most this far apart merge.
inline constexpr std::int64_t kMergeWindowMs = 2000;

struct AddChange { ChangeRequest change; };
struct RemoveChange { ChangeRequest change; };
// Whole-change replacement for edits without a dedicated command.
struct ReplaceChange { ChangeRequest before; ChangeRequest after; };
// One scalar field by its model name (see changeFieldNames()); numbers and
// booleans as decimal text / "true" "false", enums as snake_case names.
struct SetChangeField {
    std::string changeId;
    std::string field;
    std::string oldValue;
    std::string newValue;
    std::int64_t atMs = 0;   // edit time, for merging
};
struct SetState { std::string changeId; ChangeState before = ChangeState::Draft; ChangeState after = ChangeState::Draft; };
struct AddStep { std::string changeId; std::int32_t index = 0; Step step; };
struct EditStep { std::string changeId; Step before; Step after; };   // same step id
struct RemoveStep { std::string changeId; std::int32_t index = 0; Step step; };
struct MoveStep { std::string changeId; std::int32_t from = 0; std::int32_t to = 0; };
struct SetAffectedCis { std::string changeId; std::vector<std::string> before; std::vector<std::string> after; };
struct SetImpactFlag {
    std::string changeId;
    std::string ciId;
    std::optional<ImpactFlag> before;   // nullopt = computed (no manual flag)
    std::optional<ImpactFlag> after;
};
struct SetAnswer { std::string changeId; std::string questionId; std::string before; std::string after; };  // "" = unanswered
struct AddApproval { std::string changeId; Approval approval; };
struct SetReview { std::string changeId; std::optional<Review> before; std::optional<Review> after; };
struct AddWindow { Window window; };
struct EditWindow { Window before; Window after; };
struct RemoveWindow { Window window; };
struct AddPerson { Person person; };
struct EditPerson { Person before; Person after; };
struct RemovePerson { Person person; };
struct SetSetting { std::string key; std::optional<std::string> before; std::optional<std::string> after; };
// The workspace's policy document (JSON text) stored under `id`; nullopt = none
// (the shipped default applies). A text that does not parse is refused.
struct SetPolicy { std::string id; std::optional<std::string> before; std::optional<std::string> after; };
struct AddCi { ConfigItem ci; };
struct EditCi { ConfigItem before; ConfigItem after; };
// Removes a CI and the relationships listed (all of its relationships, as read before).
struct RemoveCi { ConfigItem ci; std::vector<Relationship> relationships; };
struct AddRelationship { Relationship relationship; };
struct RemoveRelationship { Relationship relationship; };

using Command = std::variant<AddChange, RemoveChange, ReplaceChange, SetChangeField, SetState, AddStep, EditStep,
                             RemoveStep, MoveStep, SetAffectedCis, SetImpactFlag, SetAnswer, AddApproval, SetReview,
                             AddWindow, EditWindow, RemoveWindow, AddPerson, EditPerson, RemovePerson, SetSetting,
                             SetPolicy, AddCi, EditCi, RemoveCi, AddRelationship, RemoveRelationship>;

// snake_case kind of a command ("set_change_field", ...), as in its JSON.
const char* kindOf(const Command& command);
// One line for the UI's undo menu and the audit panel.
std::string describe(const Command& command);
// Files the command writes (besides the audit trail, which is in the main file).
store::DirtyFiles filesOf(const Command& command);

// Applies / undoes inside the caller's transaction (or their own).
Status apply(const Command& command, store::Workspace& workspace);
Status undo(const Command& command, store::Workspace& workspace);

// Folds `next` into `into` when both edit the same text field of the same
// change within kMergeWindowMs; returns whether it merged.
bool mergeWith(Command& into, const Command& next);

// {"kind": "...", "data": {...}} with a fixed key order.
std::string toJson(const Command& command);
Result<Command> commandFromJson(std::string_view json, const std::string& sourceName);

// Names accepted by SetChangeField, and the current value of one of them.
const std::vector<std::string>& changeFieldNames();
Result<std::string> changeField(const ChangeRequest& change, const std::string& field);
Status setChangeField(ChangeRequest& change, const std::string& field, const std::string& value);

}  // namespace planner::core::command
