// Workspaces dialog.
#include "ui/workspace_dialog.hpp"

#include <imgui.h>

#include "session/workspaces.hpp"
#include "ui/icons.hpp"
#include "ui/widgets.hpp"

namespace planner::ui {

namespace {

void Report(WorkspaceDialogState& st, const std::string& error, const std::string& success) {
    st.error = !error.empty();
    st.message = error.empty() ? success : error;
}

}  // namespace

void DrawWorkspaceDialog(UiContext& ctx, WorkspaceDialogState& st, const WorkspaceActions& actions) {
    if (st.open) {
        ImGui::OpenPopup("Workspaces");
        st.open = false;
        st.message.clear();
        st.confirmDelete.clear();
        st.renameFrom.clear();
    }
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    FixedWidthModal(ctx.px(620));
    if (!ImGui::BeginPopupModal("Workspaces", nullptr,
                                ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize))
        return;
    ctx.recordWindow("dialog.workspaces");
    const bool readOnly = ctx.session && ctx.session->readOnly();
    auto names = core::workspaces::list(platform::dataDirectory());
    if (!names) {
        ImGui::TextColored(ImVec4(0.9f, 0.3f, 0.25f, 1), "%s", names.error().toString().c_str());
        names = std::vector<std::string>{};
    }
    ImGui::TextWrapped("Workspaces are kept in this browser. Each has its own changes, CMDB, keys and audit trail.");
    if (ImGui::BeginTable("##workspaces", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("Name");
        ImGui::TableSetupColumn("Actions", ImGuiTableColumnFlags_WidthFixed, ctx.px(250));
        for (const auto& name : *names) {
            ImGui::PushID(name.c_str());
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const bool current = name == actions.current;
            if (st.renameFrom == name) {
                ImGui::SetNextItemWidth(-1);
                InputTextString("##rename", "New name", st.renameTo);
                ctx.record("workspaces.rename.name");
            } else {
                ImGui::Text("%s%s", current ? ICON_FOLDER_OPEN " " : "   ", name.c_str());
                if (current) {
                    ImGui::SameLine();
                    ImGui::TextDisabled("(open)");
                }
            }
            ImGui::TableNextColumn();
            if (st.renameFrom == name) {
                if (ImGui::SmallButton(ICON_CHECK " Rename")) {
                    Report(st, actions.rename(name, st.renameTo), "Renamed to " + st.renameTo + ".");
                    st.renameFrom.clear();
                }
                ctx.record("workspaces.rename.ok." + name);
                ImGui::SameLine();
                if (ImGui::SmallButton("Cancel")) st.renameFrom.clear();
            } else if (st.confirmDelete == name) {
                ImGui::PushStyleColor(ImGuiCol_Button, IM_COL32(200, 60, 50, 255));
                if (ImGui::SmallButton(ICON_TRASH " Delete for good")) {
                    Report(st, actions.remove(name), "Deleted " + name + ".");
                    st.confirmDelete.clear();
                }
                ImGui::PopStyleColor();
                ctx.record("workspaces.delete.confirm." + name);
                ImGui::SameLine();
                if (ImGui::SmallButton("Keep")) st.confirmDelete.clear();
            } else {
                if (!current && ImGui::SmallButton(ICON_FOLDER_OPEN " Open")) {
                    Report(st, actions.openOrCreate(name, false), "Opened " + name + ".");
                }
                if (!current) {
                    ctx.record("workspaces.open." + name);
                    ImGui::SameLine();
                }
                if (readOnly) ImGui::BeginDisabled();
                if (ImGui::SmallButton(ICON_PENCIL " Rename")) {
                    st.renameFrom = name;
                    st.renameTo = name;
                }
                ctx.record("workspaces.rename." + name);
                if (!current) {
                    ImGui::SameLine();
                    if (ImGui::SmallButton(ICON_TRASH " Delete...")) st.confirmDelete = name;
                    ctx.record("workspaces.delete." + name);
                }
                if (readOnly) ImGui::EndDisabled();
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }

    ImGui::Spacing();
    ImGui::Separator();
    if (readOnly) ImGui::BeginDisabled();
    ImGui::SetNextItemWidth(ctx.px(240));
    InputTextString("##newname", "New workspace name", st.newName);
    ctx.record("workspaces.new.name");
    ImGui::SameLine();
    ImGui::Checkbox("with demo data", &st.newWithDemo);
    ImGui::SameLine();
    if (ImGui::Button(ICON_PLUS " Create")) {
        const std::string name = st.newName;
        Report(st, actions.openOrCreate(name, st.newWithDemo), "Created and opened " + name + ".");
        if (!st.error) st.newName.clear();
    }
    ctx.record("workspaces.new.create");

    ImGui::Separator();
    if (ImGui::Button(ICON_DOWNLOAD " Back up the open workspace")) Report(st, actions.backup(), "Backup downloaded.");
    ctx.record("workspaces.backup");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "One .zip with both database files and a JSON export; restore it here or on another machine.");

    // Restore: a name, then the file; validated before anything is created.
    if (st.pickedBackup && st.pickedBackup->has_value()) {
        platform::OpenedFile f = std::move(**st.pickedBackup);
        st.pickedBackup.reset();
        Report(st, actions.restore(st.restoreName, f), "Restored " + f.name + " as " + st.restoreName + ".");
    }
    ImGui::SetNextItemWidth(ctx.px(240));
    InputTextString("##restorename", "Name for the restored workspace", st.restoreName);
    ctx.record("workspaces.restore.name");
    ImGui::SameLine();
    const bool canRestore = !st.restoreName.empty();
    if (!canRestore) ImGui::BeginDisabled();
    if (ImGui::Button(ICON_UPLOAD " Restore from file...")) {
        auto slot = std::make_shared<std::optional<platform::OpenedFile>>();
        st.pickedBackup = slot;
        platform::requestOpenFile(".zip,.json", [slot](platform::OpenedFile f) { *slot = std::move(f); });
    }
    if (!canRestore) ImGui::EndDisabled();
    ctx.record("workspaces.restore");
    if (readOnly) ImGui::EndDisabled();

    if (!st.message.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, st.error ? IM_COL32(226, 68, 56, 255) : IM_COL32(46, 160, 90, 255));
        ImGui::TextWrapped("%s %s", st.error ? ICON_WARNING : ICON_CHECK, st.message.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::Spacing();
    if (ImGui::Button("Close", ImVec2(ctx.px(100), 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
        ImGui::CloseCurrentPopup();
    ctx.record("dialog.close");
    ImGui::EndPopup();
}

}  // namespace planner::ui
