// Schedule view.
// Sections:
//   1. Engine glue: planned changes, CI lookup, cached forward schedule, runbook, proposals
//   2. Drawing primitives: tints, hatching, clipped text
//   3. Rows: which windows and changes are shown, in what order
//   4. DrawScheduleView: toolbar, axis, rows, bars, tooltips, interaction
#include "ui/schedule_view.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "command/command.hpp"
#include "platform/platform.hpp"
#include "schedule/conflicts.hpp"
#include "schedule/expansion.hpp"
#include "schedule/time_zone.hpp"
#include "ui/icons.hpp"
#include "ui/widgets.hpp"

namespace planner::ui {

namespace {

namespace sch = core::schedule;
using timeline::TimeAxis;

// ---- 1. Engine glue ------------------------------------------------------------------

using CiTypes = std::unordered_map<std::string, std::string>;

CiTypes ciTypes(const core::WorkspaceData& data) {
    CiTypes out;
    out.reserve(data.cis.size());
    for (const auto& ci : data.cis) out.emplace(ci.id, ci.type);
    return out;
}

sch::CiLookup lookupFor(const CiTypes& types) {
    sch::CiLookup l;
    l.typeOf = [&types](const std::string& id) {
        auto it = types.find(id);
        return it == types.end() ? std::string() : it->second;
    };
    return l;
}

bool isPlanned(const core::ChangeRequest& c) { return c.plannedStart != 0 && c.plannedEnd > c.plannedStart; }

core::Minutes plannedMinutes(const core::ChangeRequest& c) {
    return static_cast<core::Minutes>((c.plannedEnd - c.plannedStart) / 60);
}

// Minutes a slot must offer: the runbook plus a full rollback; the planned
// length (or one hour) when the runbook is empty or does not analyse.
core::Minutes requiredMinutes(const core::ChangeRequest& c) {
    core::Minutes m = 0;
    if (auto r = core::graph::analyzeRunbook(c.steps)) m = r->totalDuration + r->fullRollbackDuration;
    if (m <= 0 && isPlanned(c)) m = plannedMinutes(c);
    return m > 0 ? m : 60;
}

std::vector<std::string> impactIds(const core::Session& s, const core::ChangeRequest& c) {
    return s.impactOf(c).ids(s.cmdbGraph());
}

void rebuildPlanned(const core::Session& s, ScheduleViewState& st) {
    const auto& changes = s.data().changes;
    st.planned.clear();
    st.plannedIndex.clear();
    for (std::size_t i = 0; i < changes.size(); ++i)
        if (isPlanned(changes[i])) st.plannedIndex.push_back(static_cast<std::int32_t>(i));
    std::stable_sort(st.plannedIndex.begin(), st.plannedIndex.end(), [&](std::int32_t a, std::int32_t b) {
        return changes[static_cast<std::size_t>(a)].plannedStart < changes[static_cast<std::size_t>(b)].plannedStart;
    });
    st.planned.reserve(st.plannedIndex.size());
    for (std::int32_t i : st.plannedIndex) {
        const auto& c = changes[static_cast<std::size_t>(i)];
        st.planned.push_back(sch::plannedChangeFrom(c, plannedMinutes(c), impactIds(s, c)));
    }
}

// Makes the cached forward schedule cover [from, to) and every planned change
// for the current revisions, so that each change's conflicts are known.
void ensureSchedule(const core::Session& s, ScheduleViewState& st, core::TimeUtc from, core::TimeUtc to) {
    const bool stale = !st.cacheValid || st.mainRevision != s.mainRevision() || st.cmdbRevision != s.cmdbRevision();
    if (!stale && from >= st.cacheFrom && to <= st.cacheTo) return;
    if (stale) rebuildPlanned(s, st);
    const core::TimeUtc span = std::max<core::TimeUtc>(to - from, timeline::kDay);
    st.cacheFrom = from - span;
    st.cacheTo = to + span;
    for (const auto& p : st.planned) {
        st.cacheFrom = std::min(st.cacheFrom, p.interval.start);
        st.cacheTo = std::max(st.cacheTo, p.interval.end);
    }
    st.cacheValid = true;
    st.mainRevision = s.mainRevision();
    st.cmdbRevision = s.cmdbRevision();
    st.view.reset();
    st.occurrencesByWindow.clear();
    st.conflictsByChange.clear();
    st.viewError.clear();
    const CiTypes types = ciTypes(s.data());
    auto v = sch::buildScheduleView(s.data().windows, st.planned, lookupFor(types), st.cacheFrom, st.cacheTo);
    if (!v) {
        st.viewError = v.error().toString();
        return;
    }
    st.view = std::move(*v);
    st.occurrencesByWindow.resize(st.view->windows.size());
    for (const auto& o : st.view->occurrences)
        if (o.window >= 0 && static_cast<std::size_t>(o.window) < st.occurrencesByWindow.size())
            st.occurrencesByWindow[static_cast<std::size_t>(o.window)].push_back(o.interval);
    for (std::size_t i = 0; i < st.view->conflicts.size(); ++i)
        st.conflictsByChange[st.view->conflicts[i].changeId].push_back(static_cast<std::int32_t>(i));
}

// The selected change's runbook analysed against its planned window.
void ensureRunbook(const core::Session& s, ScheduleViewState& st, const core::ChangeRequest& c) {
    if (st.runbookFor == c.id && st.runbookRevision == s.mainRevision()) return;
    st.runbookFor = c.id;
    st.runbookRevision = s.mainRevision();
    st.runbook.reset();
    core::graph::RunbookOptions options;
    options.windowStart = c.plannedStart;
    options.windowEnd = c.plannedEnd;
    if (auto r = core::graph::analyzeRunbook(c.steps, options)) st.runbook = std::move(*r);
}

// Runs the next-free-slot assistant for `c` from now on, over half a year.
void runProposals(const core::Session& s, ScheduleViewState& st, const core::ChangeRequest& c) {
    constexpr core::TimeUtc kQuarterHour = 15 * 60;
    const core::TimeUtc now = platform::nowUtc();
    const core::TimeUtc earliest = (now + kQuarterHour - 1) / kQuarterHour * kQuarterHour;
    const core::TimeUtc horizon = earliest + 183 * timeline::kDay;
    st.proposals.reset();
    st.proposalsError.clear();
    st.proposalsFor = c.id;
    st.proposalsRevision = s.mainRevision();
    auto calendar = sch::WindowCalendar::build(s.data().windows, earliest, horizon);
    if (!calendar) {
        st.proposalsError = calendar.error().toString();
        return;
    }
    const CiTypes types = ciTypes(s.data());
    sch::SlotRequest request;
    request.duration = requiredMinutes(c);
    request.change = sch::plannedChangeFrom(c, request.duration, impactIds(s, c));
    request.earliest = earliest;
    request.horizon = horizon;
    request.alternatives = 3;
    st.proposals = sch::findFreeSlots(*calendar, request, st.planned, lookupFor(types));
    st.focusProposal = st.proposals->found();
}

// The edit that plans `c` in proposal `p`: one undo step for start and end.
core::command::Command acceptProposal(const core::ChangeRequest& c, const sch::SlotProposal& p) {
    core::ChangeRequest after = c;
    after.plannedStart = p.interval.start;
    after.plannedEnd = p.interval.end;
    return core::command::ReplaceChange{c, after};
}

// ---- 2. Drawing primitives ---------------------------------------------------------------

ImU32 withAlpha(ImU32 color, float alpha) {
    const ImU32 a = static_cast<ImU32>(std::clamp(alpha, 0.0f, 1.0f) * 255.0f + 0.5f);
    return (color & ~IM_COL32_A_MASK) | (a << IM_COL32_A_SHIFT);
}

// Diagonal lines across [a, b], clipped to it.
void Hatch(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 color, float spacing, float thickness) {
    if (b.x <= a.x || b.y <= a.y || spacing <= 0) return;
    const float h = b.y - a.y;
    if ((b.x - a.x + h) / spacing > 4000) return;
    dl->PushClipRect(a, b, true);
    const float first = std::floor(a.x / spacing) * spacing - h;
    for (float x = first; x < b.x; x += spacing) dl->AddLine(ImVec2(x, b.y), ImVec2(x + h, a.y), color, thickness);
    dl->PopClipRect();
}

// Text clipped to [x, maxX) on one line.
void ClippedText(ImDrawList* dl, ImVec2 pos, float maxX, ImU32 color, const std::string& text) {
    if (maxX <= pos.x) return;
    dl->PushClipRect(ImVec2(pos.x, pos.y), ImVec2(maxX, pos.y + ImGui::GetTextLineHeight()), true);
    dl->AddText(pos, color, text.c_str());
    dl->PopClipRect();
}

// Screen extent of [start, end) on the timeline, kept finite when far off screen.
timeline::Span barSpan(const TimeAxis& axis, float x0, float width, core::TimeUtc start, core::TimeUtc end) {
    const float lo = -width, hi = 2 * width;
    return {x0 + std::clamp(timeline::toX(axis, static_cast<double>(start)), lo, hi),
            x0 + std::clamp(timeline::toX(axis, static_cast<double>(end)), lo, hi)};
}

std::string intervalText(const sch::Interval& iv, const std::string& zone) {
    std::string out = sch::describeInterval(iv, "UTC");
    if (!zone.empty() && zone != "UTC") out += "\n" + sch::describeInterval(iv, zone);
    return out;
}

void TooltipText(float wrap, const std::string& text) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(wrap);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

// ---- 3. Rows -------------------------------------------------------------------------------

enum class RowKind { Header, Window, Selected, Proposals, Change };

struct Row {
    RowKind kind = RowKind::Header;
    std::string label;
    std::int32_t index = -1;   // window index in view->windows, or index in state.planned
};

const char* scopeText(core::WindowScope s) {
    switch (s) {
        case core::WindowScope::Global: return "all CIs";
        case core::WindowScope::CiType: return "CI type";
        case core::WindowScope::Ci: return "CI";
        case core::WindowScope::Service: return "service";
    }
    return "";
}

// Windows that apply to the CIs `selected` touches (all scoped windows without a selection).
void ensureScoped(const core::Session& s, ScheduleViewState& st, const core::ChangeRequest* selected) {
    const std::string id = selected ? selected->id : std::string();
    if (st.scopedValid && st.scopedFor == id && st.scopedMainRevision == s.mainRevision() &&
        st.scopedCmdbRevision == s.cmdbRevision())
        return;
    st.scopedValid = st.view.has_value();
    st.scopedFor = id;
    st.scopedMainRevision = s.mainRevision();
    st.scopedCmdbRevision = s.cmdbRevision();
    st.scopedWindows.clear();
    if (!st.view) return;
    std::unordered_set<std::string> cis, types;
    if (selected) {
        for (const auto& ci : selected->affectedCis) cis.insert(ci);
        for (const auto& ci : s.data().cis)
            if (cis.count(ci.id)) types.insert(ci.type);
        for (const auto& ci : impactIds(s, *selected)) cis.insert(ci);
    }
    const auto& windows = st.view->windows;
    for (std::size_t i = 0; i < windows.size(); ++i) {
        const core::Window& w = windows[i];
        if (w.scope == core::WindowScope::Global) continue;
        const bool relevant = !selected || (w.scope == core::WindowScope::CiType && types.count(w.scopeValue)) ||
                              (w.scope != core::WindowScope::CiType && cis.count(w.scopeValue));
        if (relevant) st.scopedWindows.push_back(static_cast<std::int32_t>(i));
    }
}

const char* conflictTitle(sch::ConflictKind k) {
    switch (k) {
        case sch::ConflictKind::SameCi: return "Same CI changed by another change";
        case sch::ConflictKind::RelatedCi: return "Related CI changed at the same time";
        case sch::ConflictKind::OutsideWindow: return "Outside every maintenance window";
        case sch::ConflictKind::InFreeze: return "Inside a freeze";
        case sch::ConflictKind::ImplementerDoubleBooked: return "Implementer booked twice";
    }
    return "Conflict";
}

std::vector<Row> buildRows(const ScheduleViewState& st, const core::ChangeRequest* selected) {
    std::vector<Row> rows;
    const std::vector<core::Window> none;
    const std::vector<core::Window>& windows = st.view ? st.view->windows : none;
    auto windowRow = [&](std::size_t i) {
        const core::Window& w = windows[i];
        const char* icon = w.kind == core::WindowKind::Freeze ? ICON_SNOWFLAKE " " : ICON_WRENCH " ";
        rows.push_back({RowKind::Window, icon + w.name, static_cast<std::int32_t>(i)});
    };
    rows.push_back({RowKind::Header, "Windows and freezes for all CIs", -1});
    for (std::size_t i = 0; i < windows.size(); ++i)
        if (windows[i].scope == core::WindowScope::Global) windowRow(i);

    const std::vector<std::int32_t>& scoped = st.scopedWindows;
    if (!scoped.empty()) {
        rows.push_back({RowKind::Header,
                        selected ? "Windows of the CIs " + selected->id + " touches" : "Windows of CI types, CIs, services",
                        -1});
        for (std::int32_t i : scoped) windowRow(static_cast<std::size_t>(i));
    }
    if (selected) {
        rows.push_back({RowKind::Header, "Selected change", -1});
        rows.push_back({RowKind::Selected, selected->id + "  " + selected->title, -1});
        if (st.proposals && st.proposalsFor == selected->id)
            rows.push_back({RowKind::Proposals, ICON_CALENDAR " Proposed slots", -1});
    }
    rows.push_back({RowKind::Header, "Planned changes (" + std::to_string(st.planned.size()) + ")", -1});
    for (std::size_t i = 0; i < st.planned.size(); ++i)
        rows.push_back({RowKind::Change, st.planned[i].id + "  " + st.planned[i].title, static_cast<std::int32_t>(i)});
    return rows;
}

// What the mouse is over, for the tooltip and for clicks.
struct Hover {
    enum class Kind { None, Occurrence, WindowRule, Change, Conflict, PointOfNoReturn } kind = Kind::None;
    std::int32_t index = -1;       // window index, planned index, or conflict index
    sch::Interval interval;
};

}  // namespace

// ---- 4. DrawScheduleView -----------------------------------------------------------------------

void DrawScheduleView(const UiContext& ctx, ScheduleViewState& st) {
    if (!ctx.session) return;
    const core::Session& session = *ctx.session;
    const Palette& pal = ctx.palette;
    ImGuiIO& io = ImGui::GetIO();
    const core::ChangeRequest* selected = ctx.change();
    if (st.proposals && (!selected || st.proposalsFor != selected->id || st.proposalsRevision != session.mainRevision())) {
        st.proposals.reset();
        st.proposalsError.clear();
        st.focusProposal = false;
    }

    const float fullW = std::max(ImGui::GetContentRegionAvail().x, ctx.px(200));
    const float labelW = std::clamp(ctx.px(210), ctx.px(110), fullW * 0.3f);
    const float tlW = std::max(fullW - labelW, ctx.px(60));

    if (!st.placed) {
        const double center = selected && isPlanned(*selected)
                                  ? static_cast<double>(selected->plannedStart)
                                  : static_cast<double>(platform::nowUtc());
        timeline::showSpan(st.axis, center, timeline::spanOf(timeline::Scale::Week), tlW);
        st.placed = true;
        st.lastSelected = selected ? selected->id : std::string();
    }
    if (selected && st.lastSelected != selected->id) {
        st.lastSelected = selected->id;
        if (isPlanned(*selected)) {
            const double span = st.axis.secondsPerPx * tlW;
            timeline::showSpan(st.axis, static_cast<double>(selected->plannedStart) + 0.3 * span, span, tlW);
        }
    }

    // Toolbar.
    const timeline::Scale current = timeline::nearestScale(st.axis, tlW);
    auto scaleButton = [&](const char* text, timeline::Scale scale, const char* label) {
        const bool active = current == scale;
        if (active) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        if (ImGui::Button(text))
            timeline::showSpan(st.axis, timeline::toTime(st.axis, tlW * 0.5f), timeline::spanOf(scale), tlW);
        if (active) ImGui::PopStyleColor();
        ctx.record(label);
        ImGui::SameLine();
    };
    scaleButton("Day", timeline::Scale::Day, "schedule.day");
    scaleButton("Week", timeline::Scale::Week, "schedule.week");
    scaleButton("Month", timeline::Scale::Month, "schedule.month");
    if (ImGui::Button(ICON_CROSSHAIRS " Today"))
        timeline::showSpan(st.axis, static_cast<double>(platform::nowUtc()), st.axis.secondsPerPx * tlW, tlW);
    ctx.record("schedule.today");
    ImGui::SameLine();
    bool propose = false;
    ImGui::BeginDisabled(!selected || session.readOnly());
    if (ImGui::Button(ICON_CALENDAR " Propose slots")) propose = true;
    ImGui::EndDisabled();
    ctx.record("schedule.propose");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", selected ? "Find the next free slots for the selected change: inside its CIs' "
                                           "maintenance windows, outside freezes, clear of other changes."
                                         : "Select a change first.");
    ImGui::SameLine();
    ImGui::TextDisabled(ICON_INFO);
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        auto swatch = [&](ImU32 color, const char* text) {
            const ImVec2 p = ImGui::GetCursorScreenPos();
            const float h = ImGui::GetTextLineHeight();
            ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + h * 1.6f, p.y + h), color, ctx.px(2));
            ImGui::Dummy(ImVec2(h * 1.6f, h));
            ImGui::SameLine();
            ImGui::TextUnformatted(text);
        };
        swatch(withAlpha(pal.ok, 0.6f), "Maintenance window");
        swatch(withAlpha(pal.freeze, 0.6f), "Freeze");
        swatch(withAlpha(pal.error, 0.6f), "Conflict (hover for the reason)");
        swatch(withAlpha(pal.accent, 0.35f), "Proposed slot (click to accept)");
        swatch(pal.warn, "Point of no return");
        ImGui::TextDisabled("Wheel: zoom; drag: pan; Shift+wheel: scroll rows.");
        ImGui::EndTooltip();
    }
    const std::string summary = !st.proposalsError.empty() ? st.proposalsError
                                : st.proposals             ? st.proposals->summary
                                                           : std::string();
    if (!summary.empty()) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float h = ImGui::GetTextLineHeight();
        ImGui::Dummy(ImVec2(fullW, h));
        const ImU32 color = st.proposals && st.proposals->found() ? pal.text : pal.error;
        ClippedText(ImGui::GetWindowDrawList(), p, p.x + fullW, color, summary);
        if (ImGui::IsItemHovered()) TooltipText(ctx.px(420), summary);
    }

    // Canvas geometry.
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 size(std::max(avail.x, ctx.px(200)), std::max(avail.y, ctx.px(120)));
    const float lineH = ImGui::GetTextLineHeight();
    const float axisH = 2 * lineH + ctx.px(10);
    const float rowH = std::max(ctx.px(24), lineH + ctx.px(8));
    const float tlX0 = origin.x + labelW;
    const float rowsTop = origin.y + axisH;
    const ImVec2 end(origin.x + size.x, origin.y + size.y);

    const core::TimeUtc visFrom = static_cast<core::TimeUtc>(timeline::toTime(st.axis, 0));
    const core::TimeUtc visTo = static_cast<core::TimeUtc>(timeline::toTime(st.axis, tlW)) + 1;
    ensureSchedule(session, st, visFrom, visTo);
    if (selected) ensureRunbook(session, st, *selected);
    if (propose && selected) runProposals(session, st, *selected);

    ensureScoped(session, st, selected);
    const std::vector<Row> rows = buildRows(st, selected);
    const float contentH = static_cast<float>(rows.size()) * rowH;
    const float rowsH = size.y - axisH;
    if (st.focusProposal && st.proposals && st.proposals->found()) {
        const auto& iv = st.proposals->proposals.front().interval;
        const double span = st.axis.secondsPerPx * tlW;
        const double needed = static_cast<double>(iv.end - iv.start) * 1.5;
        timeline::showSpan(st.axis, 0.5 * static_cast<double>(iv.start + iv.end), std::max(span, needed), tlW);
        st.scrollY = 0;
        st.focusProposal = false;
    }
    st.scrollY = std::clamp(st.scrollY, 0.0f, std::max(0.0f, contentH - rowsH));

    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(origin, end, pal.canvasBg, ctx.px(4));

    // Axis: upper band (days, months or years) and ticks.
    const timeline::TickUnit fine = timeline::chooseTickUnit(st.axis.secondsPerPx, ImGui::CalcTextSize("Wed 30").x + ctx.px(8));
    const timeline::TickUnit coarse = timeline::coarserUnit(fine);
    const auto fineTicks = timeline::tickTimes(visFrom, visTo, fine);
    const auto coarseTicks = timeline::tickTimes(timeline::floorTo(visFrom, coarse), visTo, coarse);
    dl->AddRectFilled(origin, ImVec2(end.x, rowsTop), ImGui::GetColorU32(ImGuiCol_TableHeaderBg), ctx.px(4),
                      ImDrawFlags_RoundCornersTop);
    dl->AddText(ImVec2(origin.x + ctx.px(8), origin.y + ctx.px(4)), pal.textDim, ICON_CLOCK " Times in UTC");
    dl->PushClipRect(ImVec2(tlX0, origin.y), end, true);
    for (std::size_t i = 0; i < coarseTicks.size(); ++i) {
        const float x = tlX0 + timeline::toX(st.axis, static_cast<double>(coarseTicks[i]));
        const float nextX = i + 1 < coarseTicks.size() ? tlX0 + timeline::toX(st.axis, static_cast<double>(coarseTicks[i + 1]))
                                                       : end.x;
        if (x >= tlX0) dl->AddLine(ImVec2(x, origin.y), ImVec2(x, end.y), pal.textDim, ctx.px(1));
        const float labelX = std::max(x, tlX0) + ctx.px(4);
        ClippedText(dl, ImVec2(labelX, origin.y + ctx.px(4)), nextX - ctx.px(2), pal.text,
                    timeline::tickLabel(coarseTicks[i], coarse, true));
    }
    for (core::TimeUtc t : fineTicks) {
        const float x = tlX0 + timeline::toX(st.axis, static_cast<double>(t));
        dl->AddLine(ImVec2(x, origin.y + lineH + ctx.px(6)), ImVec2(x, end.y), pal.grid, ctx.px(1));
        dl->AddText(ImVec2(x + ctx.px(3), origin.y + lineH + ctx.px(6)), pal.textDim,
                    timeline::tickLabel(t, fine).c_str());
    }
    dl->PopClipRect();
    dl->AddLine(ImVec2(origin.x, rowsTop), ImVec2(end.x, rowsTop), pal.nodeBorder, ctx.px(1));

    const float barPad = ctx.px(4);
    const float minBarW = ctx.px(3);
    const ImVec2 mouse = io.MousePos;
    const bool mouseInTimeline = mouse.x >= tlX0 && mouse.x < end.x && mouse.y >= rowsTop && mouse.y < end.y;
    const float hitSlop = ctx.px(3);
    Hover hover;

    // Global freezes tint every row beneath them.
    const ImVec2 tlMin(tlX0, rowsTop);
    dl->PushClipRect(tlMin, end, true);
    if (st.view)
        for (std::size_t w = 0; w < st.view->windows.size(); ++w)
            if (st.view->windows[w].kind == core::WindowKind::Freeze &&
                st.view->windows[w].scope == core::WindowScope::Global)
                for (const auto& iv : st.occurrencesByWindow[w]) {
                    const auto s = barSpan(st.axis, tlX0, tlW, iv.start, iv.end);
                    dl->AddRectFilled(ImVec2(s.x0, rowsTop), ImVec2(s.x1, end.y), withAlpha(pal.freeze, 0.08f));
                }
    const float nowX = tlX0 + timeline::toX(st.axis, static_cast<double>(platform::nowUtc()));
    dl->AddLine(ImVec2(nowX, rowsTop), ImVec2(nowX, end.y), withAlpha(pal.accent, 0.8f), ctx.px(1.5f));
    dl->PopClipRect();

    // Rows.
    const auto& changes = session.data().changes;
    auto drawChangeBar = [&](std::int32_t plannedI, float y0, bool selectedLane) {
        const sch::PlannedChange& pc = st.planned[static_cast<std::size_t>(plannedI)];
        const core::ChangeRequest& c =
            changes[static_cast<std::size_t>(st.plannedIndex[static_cast<std::size_t>(plannedI)])];
        const bool isSel = selected && selected->id == c.id;
        auto s = barSpan(st.axis, tlX0, tlW, c.plannedStart, c.plannedEnd);
        s.x1 = std::max(s.x1, s.x0 + minBarW);
        const ImVec2 a(s.x0, y0 + barPad), b(s.x1, y0 + rowH - barPad);
        if (b.x < tlX0 || a.x > end.x) return;
        const ImU32 fill = isSel ? withAlpha(pal.accent, 0.85f) : withAlpha(StateColor(c.state), 0.55f);
        dl->AddRectFilled(a, b, fill, ctx.px(3));
        auto conflicts = st.conflictsByChange.find(c.id);
        const bool conflicted = conflicts != st.conflictsByChange.end() && !conflicts->second.empty();
        if (conflicted)
            for (std::int32_t ci : conflicts->second) {
                const sch::Conflict& k = st.view->conflicts[static_cast<std::size_t>(ci)];
                auto ks = barSpan(st.axis, tlX0, tlW, k.when.start, k.when.end);
                ks.x0 = std::max(ks.x0, a.x);
                ks.x1 = std::min(std::max(ks.x1, ks.x0 + minBarW), b.x);
                dl->AddRectFilled(ImVec2(ks.x0, a.y), ImVec2(ks.x1, b.y), withAlpha(pal.error, 0.35f));
                Hatch(dl, ImVec2(ks.x0, a.y), ImVec2(ks.x1, b.y), withAlpha(pal.error, 0.9f), ctx.px(6), ctx.px(1));
                if (mouseInTimeline && mouse.y >= a.y && mouse.y < b.y && mouse.x >= ks.x0 - hitSlop &&
                    mouse.x <= ks.x1 + hitSlop)
                    hover = {Hover::Kind::Conflict, ci, k.when};
            }
        dl->AddRect(a, b, conflicted ? pal.error : isSel ? pal.text : pal.nodeBorder, ctx.px(3), 0,
                    isSel || conflicted ? ctx.px(2) : ctx.px(1));
        ClippedText(dl, ImVec2(std::max(a.x, tlX0) + ctx.px(4), a.y + (b.y - a.y - lineH) * 0.5f), b.x - ctx.px(2),
                    isSel ? IM_COL32_WHITE : pal.text, c.id + "  " + c.title);
        if (hover.kind == Hover::Kind::None && mouseInTimeline && mouse.y >= a.y && mouse.y < b.y &&
            mouse.x >= a.x - hitSlop && mouse.x <= b.x + hitSlop)
            hover = {Hover::Kind::Change, plannedI, pc.interval};
        if (selectedLane && st.runbook && st.runbook->pointOfNoReturn) {
            const float x = tlX0 + timeline::toX(st.axis, static_cast<double>(*st.runbook->pointOfNoReturn));
            if (x >= tlX0 && x <= end.x) {
                dl->AddLine(ImVec2(x, y0 + ctx.px(1)), ImVec2(x, y0 + rowH - ctx.px(1)), pal.warn, ctx.px(2.5f));
                dl->AddTriangleFilled(ImVec2(x - ctx.px(5), y0 + ctx.px(1)), ImVec2(x + ctx.px(5), y0 + ctx.px(1)),
                                      ImVec2(x, y0 + ctx.px(7)), pal.warn);
                if (mouseInTimeline && mouse.y >= y0 && mouse.y < y0 + rowH && std::fabs(mouse.x - x) <= ctx.px(4))
                    hover = {Hover::Kind::PointOfNoReturn, plannedI, {}};
            }
        }
    };

    std::vector<std::pair<std::size_t, timeline::Span>> ghosts;  // proposal index, screen span
    float ghostY = 0;
    const std::int32_t selectedPlanned = [&]() -> std::int32_t {
        if (!selected) return -1;
        for (std::size_t i = 0; i < st.planned.size(); ++i)
            if (st.planned[i].id == selected->id) return static_cast<std::int32_t>(i);
        return -1;
    }();

    dl->AddLine(ImVec2(tlX0, rowsTop), ImVec2(tlX0, end.y), pal.nodeBorder, ctx.px(1));
    const int firstRow = std::max(0, static_cast<int>(st.scrollY / rowH));
    for (int r = firstRow; r < static_cast<int>(rows.size()); ++r) {
        const float y0 = rowsTop + r * rowH - st.scrollY;
        if (y0 > end.y) break;
        const Row& row = rows[static_cast<std::size_t>(r)];
        const ImVec2 rowA(origin.x, std::max(y0, rowsTop)), rowB(end.x, std::min(y0 + rowH, end.y));
        dl->PushClipRect(rowA, rowB, true);
        if (row.kind == RowKind::Header) {
            dl->AddRectFilled(ImVec2(origin.x, y0), ImVec2(end.x, y0 + rowH), ImGui::GetColorU32(ImGuiCol_TableHeaderBg));
            ClippedText(dl, ImVec2(origin.x + ctx.px(8), y0 + (rowH - lineH) * 0.5f), end.x - ctx.px(4), pal.textDim,
                        row.label);
            dl->PopClipRect();
            continue;
        }
        dl->AddLine(ImVec2(origin.x, y0 + rowH), ImVec2(end.x, y0 + rowH), pal.grid);
        const bool rowSelected = (row.kind == RowKind::Change && selected &&
                                  st.planned[static_cast<std::size_t>(row.index)].id == selected->id) ||
                                 row.kind == RowKind::Selected;
        if (rowSelected) dl->AddRectFilled(ImVec2(origin.x, y0), ImVec2(end.x, y0 + rowH), withAlpha(pal.accent, 0.10f));
        float labelX = origin.x + ctx.px(8);
        if (row.kind == RowKind::Change || row.kind == RowKind::Selected) {
            const std::string& id = row.kind == RowKind::Change ? st.planned[static_cast<std::size_t>(row.index)].id
                                                                : selected->id;
            if (st.conflictsByChange.count(id)) {
                dl->AddText(ImVec2(labelX, y0 + (rowH - lineH) * 0.5f), pal.error, ICON_WARNING);
                labelX += ImGui::CalcTextSize(ICON_WARNING).x + ctx.px(4);
            }
        }
        ClippedText(dl, ImVec2(labelX, y0 + (rowH - lineH) * 0.5f), tlX0 - ctx.px(6),
                    rowSelected ? pal.text : pal.textDim, row.label);
        dl->PopClipRect();
        if (mouse.x >= origin.x && mouse.x < tlX0 && mouse.y >= rowA.y && mouse.y < rowB.y) {
            if (row.kind == RowKind::Change)
                hover = {Hover::Kind::Change, row.index, st.planned[static_cast<std::size_t>(row.index)].interval};
            else if (row.kind == RowKind::Selected && selectedPlanned >= 0)
                hover = {Hover::Kind::Change, selectedPlanned, st.planned[static_cast<std::size_t>(selectedPlanned)].interval};
            else if (row.kind == RowKind::Window)
                hover = {Hover::Kind::WindowRule, row.index, {}};
        }

        dl->PushClipRect(ImVec2(tlX0, rowA.y), rowB, true);
        switch (row.kind) {
            case RowKind::Window: {
                const core::Window& w = st.view->windows[static_cast<std::size_t>(row.index)];
                const bool freeze = w.kind == core::WindowKind::Freeze;
                const ImU32 base = freeze ? pal.freeze : pal.ok;
                for (const auto& iv : st.occurrencesByWindow[static_cast<std::size_t>(row.index)]) {
                    auto s = barSpan(st.axis, tlX0, tlW, iv.start, iv.end);
                    if (s.x1 < tlX0 || s.x0 > end.x) continue;
                    s.x1 = std::max(s.x1, s.x0 + minBarW);
                    const ImVec2 a(s.x0, y0 + barPad), b(s.x1, y0 + rowH - barPad);
                    dl->AddRectFilled(a, b, withAlpha(base, freeze ? 0.28f : 0.38f), ctx.px(2));
                    if (freeze) Hatch(dl, a, b, withAlpha(base, 0.85f), ctx.px(7), ctx.px(1));
                    dl->AddRect(a, b, base, ctx.px(2));
                    ClippedText(dl, ImVec2(std::max(a.x, tlX0) + ctx.px(4), a.y + (b.y - a.y - lineH) * 0.5f),
                                b.x - ctx.px(2), pal.text, w.name);
                    if (mouseInTimeline && mouse.y >= a.y && mouse.y < b.y && mouse.x >= a.x - hitSlop &&
                        mouse.x <= b.x + hitSlop)
                        hover = {Hover::Kind::Occurrence, row.index, iv};
                }
                break;
            }
            case RowKind::Selected:
                if (selectedPlanned >= 0) {
                    drawChangeBar(selectedPlanned, y0, true);
                } else {
                    ClippedText(dl, ImVec2(tlX0 + ctx.px(8), y0 + (rowH - lineH) * 0.5f), end.x - ctx.px(4),
                                pal.textDim, "Not planned yet: press Propose slots to find a window.");
                }
                break;
            case RowKind::Proposals: {
                ghostY = y0;
                const auto& ps = st.proposals->proposals;
                if (ps.empty())
                    ClippedText(dl, ImVec2(tlX0 + ctx.px(8), y0 + (rowH - lineH) * 0.5f), end.x - ctx.px(4),
                                pal.error, "Nothing fits within the horizon.");
                for (std::size_t i = 0; i < ps.size(); ++i) {
                    auto s = barSpan(st.axis, tlX0, tlW, ps[i].interval.start, ps[i].interval.end);
                    s = timeline::clickableSpan(s.x0, s.x1, ctx.px(10));
                    if (s.x1 < tlX0 || s.x0 > end.x) continue;
                    const ImVec2 a(s.x0, y0 + barPad), b(s.x1, y0 + rowH - barPad);
                    const bool hot = ImGui::IsMouseHoveringRect(a, b) && mouseInTimeline;
                    dl->AddRectFilled(a, b, withAlpha(pal.accent, hot ? 0.35f : 0.14f), ctx.px(3));
                    dl->AddRect(a, b, pal.accent, ctx.px(3), 0, ctx.px(1.5f));
                    ClippedText(dl, ImVec2(std::max(a.x, tlX0) + ctx.px(4), a.y + (b.y - a.y - lineH) * 0.5f),
                                b.x - ctx.px(2), pal.text, std::to_string(i + 1));
                    ghosts.emplace_back(i, timeline::Span{std::max(s.x0, tlX0), std::min(s.x1, end.x)});
                }
                break;
            }
            case RowKind::Change: drawChangeBar(row.index, y0, false); break;
            case RowKind::Header: break;
        }
        dl->PopClipRect();
    }
    if (!st.viewError.empty())
        ClippedText(dl, ImVec2(tlX0 + ctx.px(8), end.y - lineH - ctx.px(6)), end.x - ctx.px(4), pal.error,
                    ICON_WARNING " " + st.viewError);

    // Interaction: proposal buttons first so that they take the hover from the background.
    bool overGhost = false;
    std::optional<core::command::Command> accepted;  // emitted last: it reloads the session's data
    for (const auto& [i, s] : ghosts) {
        const float top = std::max(ghostY + barPad, rowsTop);
        const float bottom = std::min(ghostY + rowH - barPad, end.y);
        if (bottom - top < 1 || s.x1 - s.x0 < 1) continue;
        ImGui::SetCursorScreenPos(ImVec2(s.x0, top));
        ImGui::PushID(static_cast<int>(i));
        const bool clicked = ImGui::InvisibleButton("##proposal", ImVec2(s.x1 - s.x0, bottom - top));
        ImGui::PopID();
        ctx.record("schedule.accept." + std::to_string(i));
        const sch::SlotProposal& p = st.proposals->proposals[i];
        if (ImGui::IsItemHovered()) {
            overGhost = true;
            std::string text = "Proposal " + std::to_string(i + 1) + ": " +
                               intervalText(p.interval, selected ? selected->timeZone : "UTC") + "\n\n" + p.reason +
                               "\n\nClick to plan the change in this slot.";
            TooltipText(ctx.px(420), text);
        }
        if (clicked && selected) accepted = acceptProposal(*selected, p);
    }

    ImGui::SetCursorScreenPos(origin);
    const bool pressed = ImGui::InvisibleButton("##schedule-area", size);
    ctx.record("schedule.timeline");
    const bool hovered = ImGui::IsItemHovered() || overGhost;
    if (ImGui::IsItemActivated()) st.dragged = false;
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, ctx.px(3))) {
        st.dragged = true;
        st.axis.start -= static_cast<double>(io.MouseDelta.x) * st.axis.secondsPerPx;
        st.scrollY -= io.MouseDelta.y;
    }
    if (hovered) {
        if (io.MouseWheel != 0) {
            if (io.KeyShift || mouse.x < tlX0)
                st.scrollY -= io.MouseWheel * rowH * 3;
            else
                timeline::zoomAround(st.axis, mouse.x - tlX0, std::pow(1.2, -static_cast<double>(io.MouseWheel)));
        }
        if (io.MouseWheelH != 0) st.axis.start -= static_cast<double>(io.MouseWheelH) * ctx.px(40) * st.axis.secondsPerPx;
    }
    if (pressed && !st.dragged && hover.kind == Hover::Kind::Change && ctx.selectedChange)
        *ctx.selectedChange = st.planned[static_cast<std::size_t>(hover.index)].id;

    // Tooltip for what is under the mouse.
    if (ImGui::IsItemHovered() && !ImGui::IsItemActive() && hover.kind != Hover::Kind::None) {
        std::string text;
        switch (hover.kind) {
            case Hover::Kind::Occurrence: {
                const core::Window& w = st.view->windows[static_cast<std::size_t>(hover.index)];
                text = std::string(w.kind == core::WindowKind::Freeze ? "Freeze: " : "Maintenance window: ") + w.name +
                       "\nApplies to " + scopeText(w.scope) + (w.scopeValue.empty() ? "" : " " + w.scopeValue) +
                       "\n" + intervalText(hover.interval, w.timeZone);
                break;
            }
            case Hover::Kind::WindowRule: {
                const core::Window& w = st.view->windows[static_cast<std::size_t>(hover.index)];
                text = std::string(w.kind == core::WindowKind::Freeze ? "Freeze: " : "Maintenance window: ") + w.name +
                       "\nApplies to " + scopeText(w.scope) + (w.scopeValue.empty() ? "" : " " + w.scopeValue) +
                       "\nFrom " + w.start + " " + w.timeZone + " for " + sch::describeMinutes(w.duration) +
                       (w.rrule.empty() ? std::string(", once") : ", repeating " + w.rrule);
                break;
            }
            case Hover::Kind::Conflict: {
                const sch::Conflict& k = st.view->conflicts[static_cast<std::size_t>(hover.index)];
                text = ICON_WARNING " " + std::string(conflictTitle(k.kind)) + "\n" + k.message;
                break;
            }
            case Hover::Kind::Change: {
                const sch::PlannedChange& pc = st.planned[static_cast<std::size_t>(hover.index)];
                const core::ChangeRequest& c =
                    changes[static_cast<std::size_t>(st.plannedIndex[static_cast<std::size_t>(hover.index)])];
                text = c.id + "  " + c.title + "\nState: " + core::toString(c.state) + "\n" +
                       intervalText({c.plannedStart, c.plannedEnd}, pc.timeZone);
                auto it = st.conflictsByChange.find(c.id);
                if (it != st.conflictsByChange.end())
                    for (std::int32_t k : it->second) text += "\n" ICON_WARNING " " + st.view->conflicts[static_cast<std::size_t>(k)].message;
                text += "\nClick to select.";
                break;
            }
            case Hover::Kind::PointOfNoReturn:
                if (st.runbook && st.runbook->pointOfNoReturn && selected)
                    text = "Point of no return: " + sch::describeTime(*st.runbook->pointOfNoReturn, "UTC") +
                           "\nAfter this moment a full rollback no longer ends inside the planned window.";
                break;
            case Hover::Kind::None: break;
        }
        if (!text.empty()) TooltipText(ctx.px(420), text);
    }
    if (accepted && ctx.emit) ctx.emit(std::move(*accepted));
}

}  // namespace planner::ui
