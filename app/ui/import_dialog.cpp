// CMDB import dialog.
#include "ui/import_dialog.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "ui/icons.hpp"
#include "ui/widgets.hpp"

namespace planner::ui {

namespace {

using core::io::CmdbFormat;

const char* const kFormatNames[] = {
    "CI template (CSV)",
    "Relationship template (CSV)",
    "Workspace JSON template",
    "ServiceNow cmdb_ci export (CSV)",
    "ServiceNow cmdb_rel_ci export (CSV)",
    "Edge list (from,to[,type])",
};

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Guesses the format from the file name and its first line (the header).
CmdbFormat guessFormat(const std::string& name, const std::string& bytes) {
    const std::string n = lower(name);
    if (n.size() >= 5 && n.compare(n.size() - 5, 5, ".json") == 0) return CmdbFormat::Json;
    std::string header = lower(bytes.substr(0, std::min<std::size_t>(bytes.find('\n'), 400)));
    if (header.find("sys_class_name") != std::string::npos) return CmdbFormat::ServiceNowCiCsv;
    if (header.find("parent") != std::string::npos && header.find("child") != std::string::npos)
        return CmdbFormat::ServiceNowRelCsv;
    if (header.find("from") != std::string::npos && header.find("to") != std::string::npos &&
        header.find("type") != std::string::npos)
        return CmdbFormat::RelationshipCsv;
    if (header.find("id") != std::string::npos && header.find("name") != std::string::npos) return CmdbFormat::CiCsv;
    return CmdbFormat::EdgeList;
}

}  // namespace

void AddImportFile(ImportDialogState& st, platform::OpenedFile file) {
    core::io::CmdbSource src;
    src.format = guessFormat(file.name, file.bytes);
    src.name = std::move(file.name);
    src.content = std::move(file.bytes);
    // A file of the same name replaces the earlier one.
    st.files.erase(std::remove_if(st.files.begin(), st.files.end(),
                                  [&](const core::io::CmdbSource& f) { return f.name == src.name; }),
                   st.files.end());
    st.files.push_back(std::move(src));
    st.checked.clear();
    st.message.clear();
    st.open = true;
}

namespace {

// Advances the running import by one frame's worth of work.
void StepImport(ImportDialogState& st, const ImportHost& host) {
    auto r = st.job->step(kImportSliceMs);
    if (!r) {
        st.error = true;
        st.message = r.error().toString();
        st.job.reset();
        host.ended(st.message, false);
    } else if (*r) {
        const auto& summary = st.job->summary();
        char buf[200];
        std::snprintf(buf, sizeof buf, "Imported %lld CIs and %lld relationships from %zu file(s), %zu warning(s).",
                      static_cast<long long>(summary.cis), static_cast<long long>(summary.relationships),
                      st.files.size(), summary.warnings.size());
        st.error = false;
        st.message = buf;
        for (const auto& w : summary.warnings) st.message += "\n" + w.toString();
        st.files.clear();
        st.checked.clear();
        st.job.reset();
        host.ended("", true);
    }
}

}  // namespace

void DrawImportDialog(UiContext& ctx, ImportDialogState& st, const ImportHost& host) {
    if (st.job) StepImport(st, host);
    if (st.picked && st.picked->has_value()) {
        platform::OpenedFile f = std::move(**st.picked);
        st.picked.reset();
        AddImportFile(st, std::move(f));
    }
    if (st.open) {
        ImGui::OpenPopup("Import CMDB");
        st.open = false;
    }
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    FixedWidthModal(ctx.px(640));
    if (!ImGui::BeginPopupModal("Import CMDB", nullptr,
                                ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize))
        return;
    ctx.recordWindow("dialog.import");
    const bool running = st.job != nullptr;
    ImGui::TextWrapped(
        "CIs and relationships from our templates (docs/import-templates.md), ServiceNow list "
        "exports or a plain edge list. Nothing is written unless every file is valid.");
    if (running) ImGui::BeginDisabled();
    int remove = -1;
    for (std::size_t i = 0; i < st.files.size(); ++i) {
        auto& f = st.files[i];
        ImGui::PushID(static_cast<int>(i));
        ImGui::TextUnformatted(ICON_FILE_TEXT);
        ImGui::SameLine();
        ImGui::Text("%s (%.1f KB)", f.name.c_str(), static_cast<double>(f.content.size()) / 1024.0);
        ImGui::SameLine(ctx.px(330));
        int format = static_cast<int>(f.format);
        ImGui::SetNextItemWidth(ctx.px(240));
        if (ImGui::Combo("##format", &format, kFormatNames, IM_ARRAYSIZE(kFormatNames))) {
            f.format = static_cast<CmdbFormat>(format);
            st.checked.clear();
        }
        ImGui::SameLine();
        if (ImGui::SmallButton(ICON_TIMES)) remove = static_cast<int>(i);
        ImGui::PopID();
    }
    if (remove >= 0) {
        st.files.erase(st.files.begin() + remove);
        st.checked.clear();
    }
    if (ImGui::Button(ICON_PLUS " Add file...")) {
        auto slot = std::make_shared<std::optional<platform::OpenedFile>>();
        st.picked = slot;
        platform::requestOpenFile(".csv,.json,.txt", [slot](platform::OpenedFile f) { *slot = std::move(f); });
    }
    ctx.record("import.add");
    ImGui::SameLine();
    ImGui::TextDisabled("or drop .csv / .json files onto the page");

    ImGui::Spacing();
    ImGui::RadioButton("Merge into the CMDB (update CIs by id)", &st.merge, 1);
    ImGui::RadioButton("Replace the CMDB", &st.merge, 0);

    const bool any = !st.files.empty();
    const bool readOnly = ctx.session->readOnly();
    if (!any) ImGui::BeginDisabled();
    if (ImGui::Button(ICON_CHECK " Check")) {
        const std::vector<core::ConfigItem> none;
        const auto& existing = st.merge ? ctx.session->data().cis : none;
        auto parsed = core::io::parseCmdb(st.files, existing);
        if (!parsed) {
            st.message = parsed.error().toString();
            st.error = true;
            st.checked.clear();
        } else {
            char buf[160];
            std::snprintf(buf, sizeof buf, "Valid: %zu CIs and %zu relationships, %zu warning(s).", parsed->cis.size(),
                          parsed->relationships.size(), parsed->warnings.size());
            st.checked = buf;
            st.message.clear();
            for (const auto& w : parsed->warnings) st.message += w.toString() + "\n";
            st.error = false;
        }
    }
    ctx.record("import.check");
    ImGui::SameLine();
    if (readOnly) ImGui::BeginDisabled();
    if (ImGui::Button(ICON_UPLOAD " Import")) {
        std::string error;
        st.job = host.start(st.files, st.merge != 0, error);
        st.error = !st.job;
        st.message = error;
    }
    if (readOnly) ImGui::EndDisabled();
    ctx.record("import.run");
    if (!any) ImGui::EndDisabled();
    if (running) ImGui::EndDisabled();
    if (st.job) {
        // Drawn from the frame the job starts: the bar replaces the result line.
        ImGui::Spacing();
        ImGui::ProgressBar(static_cast<float>(st.job->fraction()), ImVec2(ctx.px(480), 0), st.job->phase().c_str());
        ctx.record("import.progress");
        ImGui::SameLine();
        if (ImGui::Button(ICON_TIMES " Cancel import") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
            st.job->cancel();
        ctx.record("import.cancel");
    }
    if (!st.checked.empty()) ImGui::TextColored(ImVec4(0.3f, 0.7f, 0.4f, 1), ICON_CHECK " %s", st.checked.c_str());
    if (!st.message.empty() && !st.job) {
        ImGui::PushStyleColor(ImGuiCol_Text, st.error ? IM_COL32(226, 68, 56, 255) : IM_COL32(200, 160, 60, 255));
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(st.message.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
    ctx.record("import.message");
    ImGui::Spacing();
    if (running) ImGui::BeginDisabled();
    if (ImGui::Button("Close", ImVec2(ctx.px(100), 0)) ||
        (!running && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))))
        ImGui::CloseCurrentPopup();
    if (running) ImGui::EndDisabled();
    ctx.record("dialog.close");
    ImGui::EndPopup();
}

}  // namespace planner::ui
