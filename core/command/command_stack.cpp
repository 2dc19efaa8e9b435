#include "command/command_stack.hpp"

#include <chrono>

namespace planner::core::command {

using store::DirtyFiles;

std::int64_t systemClockMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

CommandStack::CommandStack(store::Workspace& workspace, std::string actor, ClockMs clock)
    : m_workspace(workspace), m_actor(std::move(actor)), m_clock(std::move(clock)) {}

Result<DirtyFiles> CommandStack::run(const Command& command, bool forward, const char* auditKind) {
    const std::int64_t atSeconds = m_clock() / 1000;
    Status st = m_workspace.transaction([&]() -> Status {
        Status applied = forward ? apply(command, m_workspace) : command::undo(command, m_workspace);
        if (!applied) return applied;
        auto row = m_workspace.appendAudit(atSeconds, m_actor, auditKind, toJson(command));
        if (!row) return row.error();
        return okStatus();
    });
    if (!st) return st.error();
    DirtyFiles files = m_workspace.lastCommitDirty();
    if (m_listener) m_listener(files);
    return files;
}

Result<DirtyFiles> CommandStack::execute(Command command) {
    if (auto* field = std::get_if<SetChangeField>(&command); field && field->atMs == 0) field->atMs = m_clock();
    const char* kind = std::holds_alternative<SetState>(command) ? "state" : "apply";
    auto files = run(command, true, kind);
    if (!files) return files;
    if (m_savedDepth > static_cast<std::int64_t>(m_undo.size())) m_savedDepth = -1;
    m_redo.clear();
    if (!m_undo.empty() && mergeWith(m_undo.back(), command)) {
        if (m_savedDepth == static_cast<std::int64_t>(m_undo.size())) m_savedDepth = -1;
    } else {
        m_undo.push_back(std::move(command));
    }
    return files;
}

Result<DirtyFiles> CommandStack::undo() {
    if (m_undo.empty()) return Error{"nothing to undo", "", 0, 0};
    auto files = run(m_undo.back(), false, "undo");
    if (!files) return files;
    m_redo.push_back(std::move(m_undo.back()));
    m_undo.pop_back();
    return files;
}

Result<DirtyFiles> CommandStack::redo() {
    if (m_redo.empty()) return Error{"nothing to redo", "", 0, 0};
    auto files = run(m_redo.back(), true, "redo");
    if (!files) return files;
    m_undo.push_back(std::move(m_redo.back()));
    m_redo.pop_back();
    return files;
}

bool CommandStack::canUndo() const { return !m_undo.empty(); }
bool CommandStack::canRedo() const { return !m_redo.empty(); }
const Command* CommandStack::nextUndo() const { return m_undo.empty() ? nullptr : &m_undo.back(); }
const Command* CommandStack::nextRedo() const { return m_redo.empty() ? nullptr : &m_redo.back(); }

Result<DirtyFiles> CommandStack::record(const std::string& kind, const std::string& payloadJson, DirtyFiles alsoDirty) {
    auto row = m_workspace.appendAudit(m_clock() / 1000, m_actor, kind, payloadJson);
    if (!row) return row.error();
    DirtyFiles files = m_workspace.lastCommitDirty();
    files |= alsoDirty;
    if (m_listener) m_listener(files);
    return files;
}

void CommandStack::markSaved() { m_savedDepth = static_cast<std::int64_t>(m_undo.size()); }
bool CommandStack::isAtSavedPoint() const { return m_savedDepth == static_cast<std::int64_t>(m_undo.size()); }
void CommandStack::setListener(std::function<void(const DirtyFiles&)> listener) { m_listener = std::move(listener); }
void CommandStack::clear() {
    m_undo.clear();
    m_redo.clear();
    m_savedDepth = 0;
}

}  // namespace planner::core::command
