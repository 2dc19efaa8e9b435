// Runbook editor.
// Sections:
//   1. Analysis cache and small helpers
//   2. Table cells: text and number fields committed on focus loss, pickers
//   3. Steps table
//   4. Gantt chart
//   5. Validation messages
//   6. DrawRunbookEditor
#include "ui/runbook_editor.hpp"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <vector>

#include "command/command.hpp"
#include "schedule/conflicts.hpp"
#include "schedule/time_zone.hpp"
#include "ui/icons.hpp"
#include "ui/timeline_math.hpp"
#include "ui/widgets.hpp"

namespace planner::ui {

namespace {

namespace cmd = core::command;
using Commands = std::vector<cmd::Command>;

constexpr const char* kIconMenu = ICON_ELLIPSIS_V;

// ---- 1. Analysis cache and small helpers ------------------------------------------------

void ensureAnalysis(const core::Session& s, RunbookEditorState& st, const core::ChangeRequest& c) {
    if (st.analysisFor == c.id && st.mainRevision == s.mainRevision() && st.cmdbRevision == s.cmdbRevision()) return;
    st.analysisFor = c.id;
    st.mainRevision = s.mainRevision();
    st.cmdbRevision = s.cmdbRevision();
    st.analysis.reset();
    st.analysisError.clear();
    core::graph::RunbookOptions options;
    options.windowStart = c.plannedStart;
    options.windowEnd = c.plannedEnd;
    options.checkImpact = !c.affectedCis.empty();
    if (options.checkImpact) options.impactCis = s.impactOf(c).ids(s.cmdbGraph());
    st.ciNames.clear();
    for (const auto& id : c.affectedCis) st.ciNames.emplace(id, std::string());
    for (const auto& step : c.steps)
        if (!step.ci.empty()) st.ciNames.emplace(step.ci, std::string());
    for (const auto& ci : s.data().cis) {
        auto it = st.ciNames.find(ci.id);
        if (it != st.ciNames.end()) it->second = ci.name;
    }
    auto r = core::graph::analyzeRunbook(c.steps, options);
    if (r)
        st.analysis = std::move(*r);
    else
        st.analysisError = r.error().message;
}

ImU32 withAlpha(ImU32 color, float alpha) {
    const ImU32 a = static_cast<ImU32>(std::clamp(alpha, 0.0f, 1.0f) * 255.0f + 0.5f);
    return (color & ~IM_COL32_A_MASK) | (a << IM_COL32_A_SHIFT);
}

std::string joinIds(const std::vector<std::string>& ids, const char* sep) {
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : sep) + id;
    return out;
}

void ClippedText(ImDrawList* dl, ImVec2 pos, float maxX, ImU32 color, const std::string& text) {
    if (maxX <= pos.x) return;
    dl->PushClipRect(pos, ImVec2(maxX, pos.y + ImGui::GetTextLineHeight()), true);
    dl->AddText(pos, color, text.c_str());
    dl->PopClipRect();
}

std::string personName(const core::WorkspaceData& data, const std::string& id) {
    for (const auto& p : data.people)
        if (p.id == id) return p.name;
    return id;
}

// The edit that removes step `index`: RemoveStep, or one ReplaceChange that
// also drops the removed id from the other steps' dependencies.
cmd::Command removeStep(const core::ChangeRequest& c, std::size_t index) {
    const core::Step& step = c.steps[index];
    bool referenced = false;
    for (const auto& s : c.steps)
        referenced = referenced || std::count(s.dependsOn.begin(), s.dependsOn.end(), step.id) > 0;
    if (!referenced) return cmd::RemoveStep{c.id, static_cast<std::int32_t>(index), step};
    core::ChangeRequest after = c;
    after.steps.erase(after.steps.begin() + static_cast<std::ptrdiff_t>(index));
    for (auto& s : after.steps) s.dependsOn.erase(std::remove(s.dependsOn.begin(), s.dependsOn.end(), step.id), s.dependsOn.end());
    return cmd::ReplaceChange{c, after};
}

// ---- 2. Table cells ----------------------------------------------------------------------

// Starts or finishes an edit of cell `key` after its widget was submitted;
// returns the edit that just finished (key empty when none).
RunbookEditorState::CellEdit trackCell(RunbookEditorState& st, const std::string& key, const std::string& text,
                                       int number) {
    RunbookEditorState::CellEdit done;
    if (ImGui::IsItemActivated()) {
        if (!st.active.key.empty() && st.active.key != key) st.finishing = st.active;
        st.active = {key, text, number};
    }
    if (ImGui::IsItemDeactivated()) {
        if (st.active.key == key) {
            done = st.active;
            st.active = {};
        } else if (st.finishing.key == key) {
            done = st.finishing;
            st.finishing = {};
        }
    }
    return done;
}

// Single-line text cell; returns true with `out` set when an edit was committed with a new value.
bool TextCell(RunbookEditorState& st, const std::string& key, const char* hint, const std::string& value,
              std::string& out) {
    std::string local = value;
    std::string& text = st.active.key == key ? st.active.text : local;
    ImGui::SetNextItemWidth(-FLT_MIN);
    InputTextString(("##" + key).c_str(), hint, text);
    const auto done = trackCell(st, key, value, 0);
    if (done.key.empty() || done.text == value) return false;
    out = done.text;
    return true;
}

// Minutes cell (0 or more); returns true with `out` set when a new value was committed.
bool MinutesCell(RunbookEditorState& st, const std::string& key, int value, int& out) {
    int local = value;
    int& number = st.active.key == key ? st.active.number : local;
    ImGui::SetNextItemWidth(-FLT_MIN);
    ImGui::InputInt(("##" + key).c_str(), &number, 0, 0);
    number = std::max(number, 0);
    const auto done = trackCell(st, key, std::string(), value);
    if (done.key.empty() || done.number == value) return false;
    out = done.number;
    return true;
}

// ---- 3. Steps table ------------------------------------------------------------------------

void StepsTable(const UiContext& ctx, RunbookEditorState& st, const core::ChangeRequest& c, float height,
                Commands& out) {
    const auto& data = ctx.session->data();
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_BordersOuter | ImGuiTableFlags_Resizable |
                                  ImGuiTableFlags_SizingStretchProp;
    const bool wide = ImGui::GetContentRegionAvail().x >= ctx.px(820);
    if (!ImGui::BeginTable(wide ? "##steps-wide" : "##steps", 9, flags, ImVec2(0, height))) return;
    const float frameH = ImGui::GetFrameHeight();
    const float actionsW = wide ? 2 * frameH + ImGui::CalcTextSize(ICON_TRASH).x +
                                      2 * ImGui::GetStyle().FramePadding.x + ctx.px(8)
                                : frameH;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_NoResize,
                            ImGui::CalcTextSize("000").x);
    ImGui::TableSetupColumn("Step", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("Owner", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("CI", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("Min", ImGuiTableColumnFlags_WidthFixed, ctx.px(40));
    ImGui::TableSetupColumn("After", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("Rollback action", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("Rb min", ImGuiTableColumnFlags_WidthFixed, ctx.px(44));
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_NoResize, actionsW);
    ImGui::TableHeadersRow();

    const auto* analysis = st.analysis ? &*st.analysis : nullptr;
    auto drawRow = [&](std::size_t i) {
        const core::Step& step = c.steps[i];
        const std::string base = c.id + "/" + step.id + "/";
        auto edited = [&](auto apply) {
            core::Step after = step;
            apply(after);
            if (after != step) out.push_back(cmd::EditStep{c.id, step, after});
        };
        ImGui::PushID(step.id.c_str());
        ImGui::TableNextRow();

        ImGui::TableNextColumn();
        const bool critical = analysis && i < analysis->steps.size() && analysis->steps[i].critical;
        if (critical)
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ctx.palette.error), "%zu", i + 1);
        else
            ImGui::Text("%zu", i + 1);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s%s", step.id.c_str(), critical ? " (on the critical path)" : "");

        ImGui::TableNextColumn();
        std::string text;
        if (TextCell(st, base + "title", "What to do", step.title, text)) edited([&](core::Step& s) { s.title = text; });
        if (ImGui::IsItemVisible()) ctx.record("runbook.row." + step.id + ".title");

        ImGui::TableNextColumn();
        ImGui::SetNextItemWidth(-FLT_MIN);
        const std::string owner = step.owner.empty() ? std::string("(nobody)") : personName(data, step.owner);
        if (ImGui::BeginCombo("##owner", owner.c_str(), ImGuiComboFlags_NoArrowButton)) {
            if (ImGui::Selectable("(nobody)", step.owner.empty())) edited([](core::Step& s) { s.owner.clear(); });
            for (const auto& p : data.people) {
                ImGui::PushID(p.id.c_str());
                if (ImGui::Selectable(p.name.c_str(), p.id == step.owner))
                    edited([&](core::Step& s) { s.owner = p.id; });
                ImGui::PopID();
            }
            ImGui::EndCombo();
        }

        ImGui::TableNextColumn();
        ImGui::SetNextItemWidth(-FLT_MIN);
        auto ciName = [&](const std::string& id) {
            auto it = st.ciNames.find(id);
            return it == st.ciNames.end() || it->second.empty() ? id : it->second;
        };
        const std::string ciText = step.ci.empty() ? std::string("(none)") : ciName(step.ci);
        if (ImGui::BeginCombo("##ci", ciText.c_str(), ImGuiComboFlags_NoArrowButton)) {
            if (ImGui::Selectable("(none)", step.ci.empty())) edited([](core::Step& s) { s.ci.clear(); });
            std::vector<std::string> choices = c.affectedCis;
            if (!step.ci.empty() && std::find(choices.begin(), choices.end(), step.ci) == choices.end())
                choices.push_back(step.ci);
            for (const auto& id : choices) {
                const std::string name = ciName(id);
                const std::string label = name == id ? id : name + "  (" + id + ")";
                ImGui::PushID(id.c_str());
                if (ImGui::Selectable(label.c_str(), id == step.ci)) edited([&](core::Step& s) { s.ci = id; });
                ImGui::PopID();
            }
            ImGui::TextDisabled("Only the change's affected CIs are offered.");
            ImGui::EndCombo();
        }
        if (ImGui::IsItemHovered() && !step.ci.empty()) ImGui::SetTooltip("%s", step.ci.c_str());

        ImGui::TableNextColumn();
        int minutes = 0;
        if (MinutesCell(st, base + "duration", step.duration, minutes))
            edited([&](core::Step& s) { s.duration = minutes; });

        ImGui::TableNextColumn();
        const std::string deps = step.dependsOn.empty() ? std::string("none") : joinIds(step.dependsOn, ", ");
        if (ImGui::Button((deps + "##deps").c_str(), ImVec2(-FLT_MIN, 0))) ImGui::OpenPopup("##depspopup");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Steps that must finish before %s starts", step.id.c_str());
        if (ImGui::BeginPopup("##depspopup")) {
            ImGui::TextDisabled("%s starts after:", step.id.c_str());
            if (c.steps.size() < 2) ImGui::TextDisabled("No other steps yet.");
            for (const auto& other : c.steps) {
                if (other.id == step.id) continue;
                bool on = std::find(step.dependsOn.begin(), step.dependsOn.end(), other.id) != step.dependsOn.end();
                const bool cycle = !on && timeline::reaches(c.steps, other.id, step.id);
                ImGui::PushID(other.id.c_str());
                ImGui::BeginDisabled(cycle);
                if (ImGui::Checkbox((other.id + "  " + other.title).c_str(), &on))
                    edited([&](core::Step& s) {
                        if (on)
                            s.dependsOn.push_back(other.id);
                        else
                            s.dependsOn.erase(std::remove(s.dependsOn.begin(), s.dependsOn.end(), other.id),
                                              s.dependsOn.end());
                    });
                ImGui::EndDisabled();
                if (cycle && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
                    ImGui::SetTooltip("%s already waits for %s: linking would make a loop.", other.id.c_str(),
                                      step.id.c_str());
                ImGui::PopID();
            }
            ImGui::EndPopup();
        }

        ImGui::TableNextColumn();
        if (TextCell(st, base + "rollback", "How to undo it", step.rollback, text))
            edited([&](core::Step& s) { s.rollback = text; });
        if (ImGui::IsItemVisible()) ctx.record("runbook.row." + step.id + ".rollback");
        if (step.rollback.empty()) {
            if (TextCell(st, base + "norollback", "No rollback: why, mitigation", step.noRollbackReason, text))
                edited([&](core::Step& s) { s.noRollbackReason = text; });
            if (ImGui::IsItemVisible()) ctx.record("runbook.row." + step.id + ".no_rollback");
        }

        ImGui::TableNextColumn();
        if (MinutesCell(st, base + "rollbackDuration", step.rollbackDuration, minutes))
            edited([&](core::Step& s) { s.rollbackDuration = minutes; });

        ImGui::TableNextColumn();
        const auto idx = static_cast<std::int32_t>(i);
        const bool canUp = i > 0, canDown = i + 1 < c.steps.size();
        if (wide) {
            ImGui::BeginDisabled(!canUp);
            if (ImGui::ArrowButton("##up", ImGuiDir_Up)) out.push_back(cmd::MoveStep{c.id, idx, idx - 1});
            ImGui::EndDisabled();
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Move up");
            ImGui::SameLine(0, ctx.px(2));
            ImGui::BeginDisabled(!canDown);
            if (ImGui::ArrowButton("##down", ImGuiDir_Down)) out.push_back(cmd::MoveStep{c.id, idx, idx + 1});
            ImGui::EndDisabled();
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Move down");
            ImGui::SameLine(0, ctx.px(2));
            if (ImGui::Button(ICON_TRASH)) out.push_back(removeStep(c, i));
            if (ImGui::IsItemVisible()) ctx.record("runbook.row." + step.id + ".remove");
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Remove %s", step.id.c_str());
        } else {
            if (ImGui::Button(kIconMenu, ImVec2(frameH, 0))) ImGui::OpenPopup("##rowmenu");
            if (ImGui::IsItemVisible()) ctx.record("runbook.row." + step.id + ".menu");
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Move or remove %s", step.id.c_str());
            if (ImGui::BeginPopup("##rowmenu")) {
                if (ImGui::MenuItem("Move up", nullptr, false, canUp)) out.push_back(cmd::MoveStep{c.id, idx, idx - 1});
                if (ImGui::MenuItem("Move down", nullptr, false, canDown))
                    out.push_back(cmd::MoveStep{c.id, idx, idx + 1});
                ImGui::Separator();
                if (ImGui::MenuItem(ICON_TRASH "  Remove step")) out.push_back(removeStep(c, i));
                ImGui::EndPopup();
            }
        }
        ImGui::PopID();
    };
    // Long runbooks draw only the visible rows, estimated at one line each (rows
    // with a "no rollback" line are taller, so the estimate never draws too few).
    if (c.steps.size() > 60) {
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(c.steps.size()), frameH + 2 * ImGui::GetStyle().CellPadding.y);
        while (clipper.Step())
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) drawRow(static_cast<std::size_t>(i));
    } else {
        for (std::size_t i = 0; i < c.steps.size(); ++i) drawRow(i);
    }
    ImGui::EndTable();
}

// ---- 4. Gantt chart ---------------------------------------------------------------------------

void Gantt(const UiContext& ctx, RunbookEditorState& st, const core::ChangeRequest& c, ImVec2 size) {
    const Palette& pal = ctx.palette;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    size.x = std::max(size.x, ctx.px(120));
    size.y = std::max(size.y, ctx.px(60));
    ImGui::InvisibleButton("##gantt", size);
    ctx.record("runbook.gantt");
    const bool hovered = ImGui::IsItemHovered();
    const ImVec2 end(origin.x + size.x, origin.y + size.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(origin, end, pal.canvasBg, ctx.px(4));
    dl->PushClipRect(origin, end, true);
    const float lineH = ImGui::GetTextLineHeight();
    if (!st.analysis) {
        const std::string msg = st.analysisError.empty() ? std::string("No steps yet.")
                                                         : ICON_WARNING " Cannot schedule the steps: " + st.analysisError;
        ClippedText(dl, ImVec2(origin.x + ctx.px(8), origin.y + ctx.px(8)), end.x - ctx.px(8),
                    st.analysisError.empty() ? pal.textDim : pal.error, msg);
        dl->PopClipRect();
        return;
    }
    const core::graph::RunbookAnalysis& a = *st.analysis;
    const float labelW = std::min(ctx.px(170), size.x * 0.3f);
    const float axisH = lineH + ctx.px(8);
    const float footerH = lineH + ctx.px(8);
    const float rowH = lineH + ctx.px(6);
    const float x0 = origin.x + labelW;
    const float barW = std::max(size.x - labelW - ctx.px(40), ctx.px(40));
    const core::Minutes windowMinutes =
        a.hasWindow ? static_cast<core::Minutes>((c.plannedEnd - c.plannedStart) / 60) : 0;
    const double span = std::max<double>({1.0, static_cast<double>(a.totalDuration),
                                          static_cast<double>(windowMinutes)});
    const double minutesPerPx = span / barW;
    auto xOf = [&](double minute) { return x0 + static_cast<float>(minute / minutesPerPx); };

    // Axis.
    const int stepMin = timeline::minuteTickStep(minutesPerPx, ctx.px(60));
    for (int m = 0; m <= span + 0.5; m += stepMin) {
        const float x = xOf(m);
        dl->AddLine(ImVec2(x, origin.y + axisH - ctx.px(2)), ImVec2(x, end.y - footerH), pal.grid, ctx.px(1));
        dl->AddText(ImVec2(x + ctx.px(3), origin.y + ctx.px(3)), pal.textDim, timeline::minuteLabel(m).c_str());
    }
    dl->AddText(ImVec2(origin.x + ctx.px(8), origin.y + ctx.px(3)), pal.textDim, "From start");

    // Rows, scrolled with the wheel.
    const float rowsTop = origin.y + axisH;
    const float rowsH = size.y - axisH - footerH;
    const float contentH = static_cast<float>(c.steps.size()) * rowH;
    if (hovered && ImGui::GetIO().MouseWheel != 0) st.ganttScroll -= ImGui::GetIO().MouseWheel * rowH * 3;
    st.ganttScroll = std::clamp(st.ganttScroll, 0.0f, std::max(0.0f, contentH - rowsH));

    // Rollback rank: 1 = undone first (started last); steps without a rollback action get none.
    std::vector<int> rank(c.steps.size(), 0);
    std::vector<std::string> rollbackIds;
    for (auto it = a.startOrder.rbegin(); it != a.startOrder.rend(); ++it)
        if (*it < c.steps.size() && !c.steps[*it].rollback.empty()) {
            rollbackIds.push_back(c.steps[*it].id);
            rank[*it] = static_cast<int>(rollbackIds.size());
        }

    const ImVec2 mouse = ImGui::GetIO().MousePos;
    int hoveredStep = -1;
    dl->PushClipRect(ImVec2(origin.x, rowsTop), ImVec2(end.x, rowsTop + rowsH), true);
    const int first = std::max(0, static_cast<int>(st.ganttScroll / rowH));
    for (int i = first; i < static_cast<int>(c.steps.size()) && i < static_cast<int>(a.steps.size()); ++i) {
        const float y = rowsTop + i * rowH - st.ganttScroll;
        if (y > rowsTop + rowsH) break;
        const core::Step& step = c.steps[static_cast<std::size_t>(i)];
        const core::graph::StepTiming& t = a.steps[static_cast<std::size_t>(i)];
        ClippedText(dl, ImVec2(origin.x + ctx.px(8), y + ctx.px(3)), x0 - ctx.px(6),
                    t.critical ? pal.text : pal.textDim, std::to_string(i + 1) + "  " + step.title);
        const float bx0 = xOf(t.earliestStart);
        const float bx1 = std::max(xOf(t.earliestFinish), bx0 + ctx.px(2));
        const ImVec2 ba(bx0, y + ctx.px(3)), bb(bx1, y + rowH - ctx.px(3));
        if (t.slack > 0) {
            const float sy = 0.5f * (ba.y + bb.y);
            dl->AddLine(ImVec2(bx1, sy), ImVec2(xOf(t.latestFinish), sy), pal.textDim, ctx.px(1));
        }
        dl->AddRectFilled(ba, bb, t.critical ? pal.error : withAlpha(pal.accent, 0.85f), ctx.px(3));
        if (rank[static_cast<std::size_t>(i)] > 0) {
            const std::string r = ICON_UNDO " " + std::to_string(rank[static_cast<std::size_t>(i)]);
            dl->AddText(ImVec2(bx1 + ctx.px(4), y + ctx.px(3)), pal.textDim, r.c_str());
        }
        if (hovered && mouse.y >= y && mouse.y < y + rowH) hoveredStep = i;
    }
    dl->PopClipRect();

    // Window end and point of no return.
    auto marker = [&](double minute, ImU32 color, const char* label, float labelY) {
        const float x = xOf(minute);
        dl->AddLine(ImVec2(x, origin.y + axisH), ImVec2(x, end.y - footerH), color, ctx.px(2));
        const float w = ImGui::CalcTextSize(label).x;
        const float lx = x + ctx.px(4) + w < end.x ? x + ctx.px(4) : x - ctx.px(4) - w;
        dl->AddRectFilled(ImVec2(lx - ctx.px(2), labelY), ImVec2(lx + w + ctx.px(2), labelY + lineH),
                          withAlpha(pal.canvasBg, 0.85f));
        dl->AddText(ImVec2(lx, labelY), color, label);
    };
    if (a.hasWindow) marker(windowMinutes, pal.textDim, "window end", end.y - footerH - lineH - ctx.px(2));
    if (a.pointOfNoReturnOffset)
        marker(*a.pointOfNoReturnOffset, pal.warn, "point of no return",
               a.hasWindow ? end.y - footerH - 2 * lineH - ctx.px(4) : origin.y + axisH + ctx.px(2));

    // Footer: rollback order.
    const std::string order = rollbackIds.empty() ? std::string("No step has a rollback action.")
                                                  : "Rollback order: " + joinIds(rollbackIds, " " ICON_ARROW_RIGHT " ") +
                                                        "  (" + core::schedule::describeMinutes(a.fullRollbackDuration) +
                                                        ")";
    dl->AddLine(ImVec2(origin.x, end.y - footerH), ImVec2(end.x, end.y - footerH), pal.grid, ctx.px(1));
    ClippedText(dl, ImVec2(origin.x + ctx.px(8), end.y - footerH + ctx.px(4)), end.x - ctx.px(8), pal.textDim, order);
    dl->PopClipRect();

    if (hoveredStep >= 0) {
        const core::Step& step = c.steps[static_cast<std::size_t>(hoveredStep)];
        const core::graph::StepTiming& t = a.steps[static_cast<std::size_t>(hoveredStep)];
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ctx.px(380));
        ImGui::Text("%s  %s", step.id.c_str(), step.title.c_str());
        ImGui::TextDisabled("Starts at +%s, ends at +%s%s", timeline::minuteLabel(t.earliestStart).c_str(),
                           timeline::minuteLabel(t.earliestFinish).c_str(),
                           t.critical ? ", on the critical path" : "");
        if (!t.critical) ImGui::TextDisabled("Slack: %s", core::schedule::describeMinutes(t.slack).c_str());
        if (a.hasWindow)
            ImGui::TextDisabled("%s",
                                core::schedule::describeTime(c.plannedStart + static_cast<core::TimeUtc>(t.earliestStart) * 60,
                                                             "UTC")
                                    .c_str());
        ImGui::TextDisabled("If it fails here, rolling back %u step(s) takes %s.", t.rollbackCount,
                            core::schedule::describeMinutes(t.rollbackFromHere).c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    } else if (hovered && mouse.y >= end.y - footerH && !rollbackIds.empty()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ctx.px(380));
        ImGui::TextUnformatted(order.c_str());
        ImGui::TextDisabled("After a failure, the steps started so far are undone one by one, last started first.");
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

// ---- 5. Validation messages ---------------------------------------------------------------------

void Messages(const UiContext& ctx, const RunbookEditorState& st, float height) {
    ImGui::BeginChild("##runbook-messages", ImVec2(0, height), false);
    const Palette& pal = ctx.palette;
    auto line = [&](ImU32 color, const char* icon, const std::string& text) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(color), "%s", icon);
        ImGui::SameLine();
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(text.c_str());
        ImGui::PopTextWrapPos();
    };
    if (!st.analysisError.empty()) line(pal.error, ICON_TIMES_CIRCLE, st.analysisError);
    if (st.analysis) {
        for (const auto& m : st.analysis->messages) {
            const std::string text = m.stepId.empty() ? m.text : m.stepId + ": " + m.text;
            switch (m.severity) {
                case core::graph::Severity::Error: line(pal.error, ICON_TIMES_CIRCLE, text); break;
                case core::graph::Severity::Warning: line(pal.warn, ICON_WARNING, text); break;
                case core::graph::Severity::Info: line(pal.textDim, ICON_INFO, text); break;
            }
        }
        if (st.analysis->messages.empty()) line(pal.ok, ICON_CHECK, "No problems found in the runbook.");
    }
    ImGui::EndChild();
    ctx.record("runbook.messages");
}

}  // namespace

// ---- 6. DrawRunbookEditor -------------------------------------------------------------------------

void DrawRunbookEditor(const UiContext& ctx, RunbookEditorState& st) {
    if (!ctx.session) return;
    const core::ChangeRequest* c = ctx.change();
    if (!c) {
        ImGui::TextDisabled("Select a change in the list to edit its runbook.");
        return;
    }
    ensureAnalysis(*ctx.session, st, *c);
    Commands out;

    // Toolbar: add a step, then the plan's figures.
    ImGui::BeginDisabled(ctx.session->readOnly());
    if (ImGui::Button(ICON_PLUS " Add step")) {
        core::Step s;
        s.id = timeline::nextStepId(c->steps);
        s.title = "New step";
        s.duration = 15;
        s.owner = c->implementer;
        if (!c->steps.empty()) s.dependsOn.push_back(c->steps.back().id);
        out.push_back(cmd::AddStep{c->id, static_cast<std::int32_t>(c->steps.size()), s});
    }
    ImGui::EndDisabled();
    ctx.record("runbook.add_step");
    ImGui::SameLine();
    std::string figures = std::to_string(c->steps.size()) + (c->steps.size() == 1 ? " step" : " steps");
    if (st.analysis) {
        const auto& a = *st.analysis;
        figures += "  |  total " + core::schedule::describeMinutes(a.totalDuration) + "  |  full rollback " +
                   core::schedule::describeMinutes(a.fullRollbackDuration);
        if (a.pointOfNoReturn)
            figures += "  |  point of no return " + core::schedule::describeTime(*a.pointOfNoReturn, "UTC");
        else if (!a.hasWindow)
            figures += "  |  not planned yet";
        if (!a.fits) figures += "  |  " ICON_WARNING " does not fit the window";
    }
    {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float w = ImGui::GetContentRegionAvail().x;
        const float h = ImGui::GetFrameHeight();
        ImGui::Dummy(ImVec2(std::max(w, 1.0f), h));
        const float ty = p.y + (h - ImGui::GetTextLineHeight()) * 0.5f;
        ClippedText(ImGui::GetWindowDrawList(), ImVec2(p.x, ty), p.x + w, ctx.palette.textDim, figures);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", figures.c_str());
    }

    // Table, Gantt chart and messages share the remaining height.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float availH = ImGui::GetContentRegionAvail().y;
    const std::size_t messageCount =
        (st.analysis ? st.analysis->messages.size() : 0) + (st.analysisError.empty() ? 0 : 1);
    const float messagesH =
        static_cast<float>(std::clamp<std::size_t>(messageCount, 1, 3)) * ImGui::GetTextLineHeightWithSpacing() +
        ctx.px(4);
    const float rest = std::max(availH - messagesH - 2 * style.ItemSpacing.y, ctx.px(160));
    const float tableH = std::max(ctx.px(90), std::floor(rest * 0.52f));
    const float ganttH = std::max(ctx.px(60), rest - tableH);

    ImGui::BeginDisabled(ctx.session->readOnly());
    StepsTable(ctx, st, *c, tableH, out);
    ImGui::EndDisabled();
    Gantt(ctx, st, *c, ImVec2(ImGui::GetContentRegionAvail().x, ganttH));
    Messages(ctx, st, messagesH);

    // Emitted last: each edit reloads the session's data that `c` points into.
    if (ctx.emit)
        for (auto& command : out) ctx.emit(std::move(command));
}

}  // namespace planner::ui
