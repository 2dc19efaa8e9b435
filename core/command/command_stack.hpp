// Undo/redo history over a Workspace. Each execute/undo/redo applies the
// command and appends its audit row in one transaction, then reports which
// files changed (the browser flushes only those).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "command/command.hpp"
#include "store/workspace.hpp"

namespace planner::core::command {

// Milliseconds since the Unix epoch (UTC); injectable for tests.
using ClockMs = std::function<std::int64_t()>;
std::int64_t systemClockMs();

class CommandStack {
public:
    // `workspace` must outlive the stack; `actor` is written to every audit row.
    CommandStack(store::Workspace& workspace, std::string actor, ClockMs clock = systemClockMs);

    // Applies `command`, audits it (kind "apply", or "state" for SetState),
    // merges it into the previous step when mergeWith allows, clears redo.
    Result<store::DirtyFiles> execute(Command command);
    // Reverts the last step / re-applies the last undone step; audited as "undo" / "redo".
    Result<store::DirtyFiles> undo();
    Result<store::DirtyFiles> redo();
    bool canUndo() const;
    bool canRedo() const;
    const Command* nextUndo() const;   // nullptr when none
    const Command* nextRedo() const;

    // Records a non-undoable event (e.g. a CMDB import summary) in the audit trail.
    Result<store::DirtyFiles> record(const std::string& kind, const std::string& payloadJson,
                                     store::DirtyFiles alsoDirty = {});

    // Saved-point marker: isAtSavedPoint() is true while the history is where
    // markSaved() was last called.
    void markSaved();
    bool isAtSavedPoint() const;

    // Called after each successful execute/undo/redo/record with the files written.
    void setListener(std::function<void(const store::DirtyFiles&)> listener);
    // Forgets the history (e.g. after a restore); does not touch the workspace.
    void clear();

private:
    Result<store::DirtyFiles> run(const Command& command, bool forward, const char* auditKind);

    store::Workspace& m_workspace;
    std::string m_actor;
    ClockMs m_clock;
    std::vector<Command> m_undo;
    std::vector<Command> m_redo;
    std::int64_t m_savedDepth = 0;   // undo-stack depth at the saved point, -1 = unreachable
    std::function<void(const store::DirtyFiles&)> m_listener;
};

}  // namespace planner::core::command
