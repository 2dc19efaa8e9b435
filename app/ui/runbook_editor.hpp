// Runbook editor: the selected change's implementation steps with their
// rollback side by side, edited in place, a Gantt chart of the analysed plan
// (critical path, rollback order, point of no return) and its validation messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "graph/runbook.hpp"
#include "ui/ui_context.hpp"

namespace planner::ui {

// View state the shell keeps between frames (one per runbook tab).
struct RunbookEditorState {
    // A table cell being typed into: edits are committed as one EditStep when
    // the cell loses focus. `finishing` holds the cell that lost focus in the
    // frame another one took it.
    struct CellEdit {
        std::string key;    // "<change id>/<step id>/<field>"
        std::string text;
        int number = 0;
    };
    CellEdit active, finishing;

    // Analysis of the change's runbook, keyed by change id and revisions.
    std::string analysisFor;
    std::uint64_t mainRevision = 0, cmdbRevision = 0;
    std::optional<core::graph::RunbookAnalysis> analysis;
    std::string analysisError;
    std::unordered_map<std::string, std::string> ciNames;   // names of the affected and step CIs, by id

    float ganttScroll = 0.0f;   // device pixels the Gantt rows are scrolled up
};

// Draws the runbook editor into the remaining content region of the current
// window for ctx.change(). Every edit is emitted (after drawing) as one command:
// AddStep, EditStep, RemoveStep, MoveStep, or ReplaceChange when removing a
// step also unlinks the steps that depended on it.
void DrawRunbookEditor(const UiContext& ctx, RunbookEditorState& state);

}  // namespace planner::ui
