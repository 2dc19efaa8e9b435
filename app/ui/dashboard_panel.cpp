// Dashboard tab.
// Sections:
//   1. Metrics cache
//   2. Tiles
//   3. Charts (bars per week, trend lines)
//   4. DrawDashboardPanel
#include "ui/dashboard_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "platform/platform.hpp"
#include "session/change_assessment.hpp"
#include "ui/icons.hpp"

namespace planner::ui {

namespace {

namespace pol = core::policy;
constexpr core::TimeUtc kDay = 86400;
constexpr core::TimeUtc kWeek = 7 * kDay;

// ---- 1. Metrics cache -------------------------------------------------------------

void ensureMetrics(const UiContext& ctx, DashboardPanelState& st) {
    const core::Session& s = *ctx.session;
    const core::TimeUtc now = platform::nowUtc();
    const std::int64_t day = now / kDay;
    if (st.cached && st.mainRevision == s.mainRevision() && st.cmdbRevision == s.cmdbRevision() &&
        st.cachedWeeks == st.periodWeeks && st.cachedDay == day)
        return;
    const auto drift = core::storedDriftReports(s);
    const core::TimeUtc to = (day + 1) * kDay;
    const core::TimeUtc from = to - st.periodWeeks * kWeek;
    st.total = pol::computeMetrics(s.data().changes, drift, pol::Period{from, to});
    st.rolling.clear();
    for (int w = 0; w < st.periodWeeks; ++w) {
        const core::TimeUtc end = from + (w + 1) * kWeek;
        st.rolling.push_back(pol::computeMetrics(s.data().changes, drift, pol::Period{end - 4 * kWeek, end}));
    }
    st.cached = true;
    st.mainRevision = s.mainRevision();
    st.cmdbRevision = s.cmdbRevision();
    st.cachedWeeks = st.periodWeeks;
    st.cachedDay = day;
}

std::string percent(std::int64_t permille) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%lld %%", static_cast<long long>(permille / 10),
                  static_cast<long long>(permille % 10));
    return buf;
}

std::string duration(std::int64_t minutes) {
    char buf[32];
    if (minutes >= 60 * 24)
        std::snprintf(buf, sizeof buf, "%.1f d", static_cast<double>(minutes) / (60 * 24));
    else if (minutes >= 60)
        std::snprintf(buf, sizeof buf, "%.1f h", static_cast<double>(minutes) / 60);
    else
        std::snprintf(buf, sizeof buf, "%lld min", static_cast<long long>(minutes));
    return buf;
}

std::string shortDate(core::TimeUtc t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%d %b", &tm);
    return buf;
}

// ---- 2. Tiles ------------------------------------------------------------------------

struct Tile {
    const char* label;
    std::string value;
    std::string detail;
    ImU32 accent;
};

void DrawTiles(const UiContext& ctx, const std::vector<Tile>& tiles) {
    const float gap = ctx.px(8);
    const float avail = ImGui::GetContentRegionAvail().x;
    const int perRow = std::max(1, std::min(static_cast<int>(tiles.size()), static_cast<int>(avail / ctx.px(170))));
    const float w = (avail - gap * static_cast<float>(perRow - 1)) / static_cast<float>(perRow);
    const float h = ImGui::GetTextLineHeight() * 3.4f + ctx.px(10);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        if (i % static_cast<std::size_t>(perRow) != 0) ImGui::SameLine(0, gap);
        const ImVec2 a = ImGui::GetCursorScreenPos();
        const ImVec2 b(a.x + w, a.y + h);
        dl->AddRectFilled(a, b, ImGui::GetColorU32(ImGuiCol_FrameBg), ctx.px(6));
        dl->AddRectFilled(a, ImVec2(a.x + ctx.px(4), b.y), tiles[i].accent, ctx.px(6), ImDrawFlags_RoundCornersLeft);
        const float pad = ctx.px(12);
        dl->AddText(ImVec2(a.x + pad, a.y + ctx.px(6)), ImGui::GetColorU32(ImGuiCol_TextDisabled), tiles[i].label);
        dl->AddText(ctx.fontBold, ctx.fontBold->FontSize * 1.25f,
                    ImVec2(a.x + pad, a.y + ctx.px(6) + ImGui::GetTextLineHeight()), ImGui::GetColorU32(ImGuiCol_Text),
                    tiles[i].value.c_str());
        dl->PushClipRect(a, b, true);
        dl->AddText(ImVec2(a.x + pad, b.y - ImGui::GetTextLineHeight() - ctx.px(6)),
                    ImGui::GetColorU32(ImGuiCol_TextDisabled), tiles[i].detail.c_str());
        dl->PopClipRect();
        ImGui::Dummy(ImVec2(w, h));
        ctx.record(std::string("dash.tile.") + tiles[i].label);
    }
}

// ---- 3. Charts ------------------------------------------------------------------------

struct ChartFrame {
    ImVec2 a, b;  // plot area
    float maxValue;
};

// `integral`: the grid values are whole numbers (counts), shown without decimals.
ChartFrame BeginChart(const UiContext& ctx, const char* title, float height, float maxValue, const char* unit,
                      bool integral) {
    ImGui::PushFont(ctx.fontBold);
    ImGui::TextUnformatted(title);
    ImGui::PopFont();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    ImGui::Dummy(ImVec2(w, height));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float left = ctx.px(44), bottom = ImGui::GetTextLineHeight() + ctx.px(6);
    ChartFrame f{ImVec2(origin.x + left, origin.y + ctx.px(6)),
                 ImVec2(origin.x + w - ctx.px(8), origin.y + height - bottom), std::max(maxValue, 1.0f)};
    const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Separator, 0.6f);
    const ImU32 dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    for (int i = 0; i <= 4; ++i) {
        const float y = f.b.y - (f.b.y - f.a.y) * static_cast<float>(i) / 4.0f;
        dl->AddLine(ImVec2(f.a.x, y), ImVec2(f.b.x, y), grid);
        char label[32];
        const float v = f.maxValue * static_cast<float>(i) / 4.0f;
        if (integral || f.maxValue >= 8)
            std::snprintf(label, sizeof label, "%.0f%s", v, unit);
        else
            std::snprintf(label, sizeof label, "%.1f%s", v, unit);
        const ImVec2 ts = ImGui::CalcTextSize(label);
        dl->AddText(ImVec2(f.a.x - ts.x - ctx.px(6), y - ts.y / 2), dim, label);
    }
    return f;
}

// Week labels under the plot, thinned so they never overlap.
void WeekLabels(const UiContext& ctx, const ChartFrame& f, core::TimeUtc from, int weeks) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float slot = (f.b.x - f.a.x) / static_cast<float>(weeks);
    const float labelW = ImGui::CalcTextSize("00 Mmm").x + ctx.px(10);
    const int every = std::max(1, static_cast<int>(labelW / slot) + 1);
    for (int w = 0; w < weeks; w += every) {
        const std::string text = shortDate(from + w * kWeek);
        dl->AddText(ImVec2(f.a.x + slot * static_cast<float>(w), f.b.y + ctx.px(4)),
                    ImGui::GetColorU32(ImGuiCol_TextDisabled), text.c_str());
    }
}

void DrawWeeklyBars(const UiContext& ctx, const DashboardPanelState& st) {
    const auto& weeks = st.total.changesPerWeek;
    if (weeks.empty()) return;
    std::int64_t maxCount = 1;
    for (const auto& w : weeks) maxCount = std::max(maxCount, w.count);
    // Round the scale up to a multiple of 4 so the grid lines land on whole numbers.
    const float scaleMax = static_cast<float>((maxCount + 3) / 4 * 4);
    ChartFrame f = BeginChart(ctx, ICON_BAR_CHART "  Changes per week", ctx.px(170), scaleMax, "", true);
    ctx.record("dash.chart.weekly");
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float slot = (f.b.x - f.a.x) / static_cast<float>(weeks.size());
    const ImU32 bar = ctx.palette.accent;
    for (std::size_t i = 0; i < weeks.size(); ++i) {
        const float h = (f.b.y - f.a.y) * static_cast<float>(weeks[i].count) / f.maxValue;
        const ImVec2 a(f.a.x + slot * static_cast<float>(i) + slot * 0.15f, f.b.y - h);
        const ImVec2 b(f.a.x + slot * static_cast<float>(i + 1) - slot * 0.15f, f.b.y);
        dl->AddRectFilled(a, b, bar, ctx.px(2), ImDrawFlags_RoundCornersTop);
        if (ImGui::IsMouseHoveringRect(ImVec2(a.x, f.a.y), b))
            ImGui::SetTooltip("Week of %s: %lld change(s)", shortDate(weeks[i].weekStart).c_str(),
                              static_cast<long long>(weeks[i].count));
    }
    WeekLabels(ctx, f, weeks.front().weekStart, static_cast<int>(weeks.size()));
}

void DrawTrends(const UiContext& ctx, const DashboardPanelState& st) {
    if (st.rolling.empty()) return;
    ChartFrame f = BeginChart(ctx, ICON_CHECK_CIRCLE "  Success rate and emergency share (4-week rolling)", ctx.px(170),
                              100.0f, "%", true);
    ctx.record("dash.chart.trend");
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const int n = static_cast<int>(st.rolling.size());
    const float slot = (f.b.x - f.a.x) / static_cast<float>(n);
    auto series = [&](auto valueOf, bool (*has)(const pol::GovernanceMetrics&), ImU32 color) {
        std::vector<ImVec2> pts;
        for (int i = 0; i < n; ++i) {
            const auto& m = st.rolling[static_cast<std::size_t>(i)];
            if (!has(m)) {
                if (pts.size() > 1) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), color, 0, ctx.px(2));
                pts.clear();
                continue;
            }
            const float v = static_cast<float>(valueOf(m)) / 10.0f;
            pts.emplace_back(f.a.x + slot * (static_cast<float>(i) + 0.5f), f.b.y - (f.b.y - f.a.y) * v / 100.0f);
            dl->AddCircleFilled(pts.back(), ctx.px(2.5f), color);
        }
        if (pts.size() > 1) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), color, 0, ctx.px(2));
    };
    const ImU32 ok = ctx.palette.ok, warn = ctx.palette.error;
    series([](const pol::GovernanceMetrics& m) { return m.successRatePermille; },
           [](const pol::GovernanceMetrics& m) { return m.succeeded + m.failed + m.rolledBack > 0; }, ok);
    series([](const pol::GovernanceMetrics& m) { return m.emergencySharePermille; },
           [](const pol::GovernanceMetrics& m) { return m.changes > 0; }, warn);
    const core::TimeUtc from = st.total.changesPerWeek.empty() ? 0 : st.total.changesPerWeek.front().weekStart;
    WeekLabels(ctx, f, from, n);
    // Legend.
    const ImVec2 l(f.b.x - ctx.px(250), f.a.y + ctx.px(2));
    dl->AddRectFilled(l, ImVec2(l.x + ctx.px(12), l.y + ctx.px(4)), ok);
    dl->AddText(ImVec2(l.x + ctx.px(16), l.y - ctx.px(6)), ImGui::GetColorU32(ImGuiCol_Text), "success rate");
    dl->AddRectFilled(ImVec2(l.x + ctx.px(120), l.y), ImVec2(l.x + ctx.px(132), l.y + ctx.px(4)), warn);
    dl->AddText(ImVec2(l.x + ctx.px(136), l.y - ctx.px(6)), ImGui::GetColorU32(ImGuiCol_Text), "emergency share");
    // Hover: the figures of the week under the cursor.
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    if (ImGui::IsMouseHoveringRect(f.a, f.b)) {
        const int i = std::clamp(static_cast<int>((mouse.x - f.a.x) / slot), 0, n - 1);
        const auto& m = st.rolling[static_cast<std::size_t>(i)];
        ImGui::SetTooltip("4 weeks to %s\n%lld changes, %lld emergency\nsucceeded %lld, failed %lld, rolled back %lld",
                          shortDate(from + (i + 1) * kWeek).c_str(), static_cast<long long>(m.changes),
                          static_cast<long long>(m.emergency), static_cast<long long>(m.succeeded),
                          static_cast<long long>(m.failed), static_cast<long long>(m.rolledBack));
    }
}

}  // namespace

// ---- 4. DrawDashboardPanel --------------------------------------------------------------

void DrawDashboardPanel(UiContext& ctx, DashboardPanelState& st) {
    ImGui::BeginChild("##dashboard", ImVec2(0, 0), false);
    ImGui::PushFont(ctx.fontBold);
    ImGui::TextUnformatted(ICON_BAR_CHART "  Change governance");
    ImGui::PopFont();
    ImGui::SameLine();
    static const int kWeeks[] = {4, 13, 26, 52};
    static const char* kLabels[] = {"Last 4 weeks", "Last quarter", "Last 6 months", "Last year"};
    int current = 2;
    for (int i = 0; i < 4; ++i)
        if (kWeeks[i] == st.periodWeeks) current = i;
    ImGui::SetNextItemWidth(ctx.px(160));
    if (ImGui::Combo("##period", &current, kLabels, 4)) st.periodWeeks = kWeeks[current];
    ctx.record("dash.period");
    ensureMetrics(ctx, st);
    const pol::GovernanceMetrics& m = st.total;

    const ImU32 ok = ctx.palette.ok, warn = ctx.palette.warn, bad = ctx.palette.error, accent = ctx.palette.accent;
    const std::int64_t finished = m.succeeded + m.failed + m.rolledBack;
    std::vector<Tile> tiles = {
        {"Changes", std::to_string(m.changes),
         std::to_string(m.standard) + " standard, " + std::to_string(m.normal) + " normal", accent},
        {"Success rate", finished ? percent(m.successRatePermille) : std::string("-"),
         std::to_string(m.succeeded) + " of " + std::to_string(finished) + " finished", ok},
        {"Emergency share", m.changes ? percent(m.emergencySharePermille) : std::string("-"),
         std::to_string(m.emergency) + " emergency change(s)", bad},
        {"Failed / rolled back", std::to_string(m.failed) + " / " + std::to_string(m.rolledBack), "from reviews", warn},
        {"Unauthorized changes", std::to_string(m.unauthorizedDetected),
         "in " + std::to_string(m.driftReportsWithUnauthorized) + " drift report(s)",
         m.unauthorizedDetected ? bad : ok},
        {"Mean time to restore", m.timeToRestoreSamples ? duration(m.meanTimeToRestoreMinutes) : std::string("-"),
         std::to_string(m.timeToRestoreSamples) + " restore(s)", warn},
        {"Approval lead time", m.approvalLeadSamples ? duration(m.meanApprovalLeadSeconds / 60) : std::string("-"),
         std::to_string(m.approvalLeadSamples) + " approved change(s)", accent},
    };
    ImGui::Spacing();
    DrawTiles(ctx, tiles);
    ImGui::Spacing();
    DrawWeeklyBars(ctx, st);
    ImGui::Spacing();
    DrawTrends(ctx, st);
    ImGui::EndChild();
}

}  // namespace planner::ui
