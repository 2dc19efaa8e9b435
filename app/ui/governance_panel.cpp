// Governance tab.
// Sections:
//   1. Cached assessment and small drawing helpers
//   2. Lifecycle actions
//   3. Risk and questionnaire
//   4. Required approvals
//   5. Review, drift, policy
//   6. DrawGovernancePanel
#include "ui/governance_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "command/command.hpp"
#include "policy/policy.hpp"
#include "schedule/time_zone.hpp"
#include "ui/icons.hpp"
#include "ui/widgets.hpp"

namespace planner::ui {

namespace pol = core::policy;

// ---- 1. Cached assessment and helpers ------------------------------------------------

const core::ChangeAssessment* GovernanceAssessment(const UiContext& ctx, GovernancePanelState& st) {
    const core::ChangeRequest* c = ctx.change();
    if (!c) return nullptr;
    const core::Session& s = *ctx.session;
    const std::int64_t minute = platform::nowUtc() / 60;
    if (!st.cached || st.changeId != c->id || st.mainRevision != s.mainRevision() ||
        st.cmdbRevision != s.cmdbRevision() || st.minute != minute) {
        st.assessment = core::assessChange(s, *c, minute * 60);
        st.cached = true;
        st.changeId = c->id;
        st.mainRevision = s.mainRevision();
        st.cmdbRevision = s.cmdbRevision();
        st.minute = minute;
    }
    return &st.assessment;
}

namespace {

void SectionTitle(const UiContext& ctx, const char* text) {
    ImGui::Spacing();
    ImGui::PushFont(ctx.fontBold);
    ImGui::TextUnformatted(text);
    ImGui::PopFont();
    ImGui::Separator();
}

void Wrapped(const std::string& text) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
}

void WrappedColored(ImU32 color, const std::string& text) {
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    Wrapped(text);
    ImGui::PopStyleColor();
}

// A tooltip that wraps long sentences instead of spanning the screen.
void WrappedTooltip(const UiContext& ctx, const std::string& text) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ctx.px(420));
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

// A badge placed in the layout flow (advances the cursor).
void InlineBadge(const UiContext& ctx, const char* text, ImU32 color) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float end = Badge(ImGui::GetWindowDrawList(), ImVec2(pos.x, pos.y + ctx.px(2)), text, color, ctx.scale);
    ImGui::Dummy(ImVec2(end - pos.x, ImGui::GetTextLineHeight() + ctx.px(4)));
}

std::string personName(const core::Session& s, const std::string& id) {
    for (const auto& p : s.data().people)
        if (p.id == id) return p.name;
    return id;
}

std::string joinNames(const core::Session& s, const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : ", ") + personName(s, id);
    return out;
}

const char* actionLabel(pol::Action a) {
    switch (a) {
        case pol::Action::Submit:
            return ICON_ARROW_RIGHT " Submit";
        case pol::Action::Assess:
            return ICON_BALANCE " Assess";
        case pol::Action::Authorize:
            return ICON_CHECK " Authorize";
        case pol::Action::Reject:
            return ICON_BAN " Reject";
        case pol::Action::Schedule:
            return ICON_CALENDAR " Schedule";
        case pol::Action::Start:
            return ICON_PLAY " Start";
        case pol::Action::Complete:
            return ICON_CHECK_CIRCLE " Complete";
        case pol::Action::Fail:
            return ICON_TIMES_CIRCLE " Fail";
        case pol::Action::RollBack:
            return ICON_UNDO " Roll back";
        case pol::Action::Review:
            return ICON_FILE_TEXT " Review";
        case pol::Action::Close:
            return ICON_ARCHIVE " Close";
        case pol::Action::Cancel:
            return ICON_TIMES " Cancel";
    }
    return "?";
}

// ---- 2. Lifecycle actions ---------------------------------------------------------------

void DrawLifecycle(UiContext& ctx, GovernancePanelState& st, const core::ChangeRequest& c,
                   const core::ChangeAssessment& a) {
    SectionTitle(ctx, ICON_RANDOM "  Lifecycle");
    ImGui::TextDisabled("State");
    ImGui::SameLine();
    InlineBadge(ctx, core::toString(c.state), StateColor(c.state));
    const bool readOnly = ctx.session->readOnly();
    // Only the transitions that leave the current state are offered; the rest
    // of the state machine is not reachable from here.
    std::vector<const pol::TransitionOption*> shown;
    for (const auto& t : a.transitions)
        if (t.fromCurrentState) shown.push_back(&t);
    if (shown.empty()) ImGui::TextDisabled("No action leads on from %s.", core::toString(c.state));
    const float avail = ImGui::GetContentRegionAvail().x;
    float x = 0;
    const ImGuiStyle& style = ImGui::GetStyle();
    for (const pol::TransitionOption* t : shown) {
        const char* label = actionLabel(t->action);
        const float w = ImGui::CalcTextSize(label).x + style.FramePadding.x * 2;
        if (x > 0 && x + w < avail)
            ImGui::SameLine();
        else
            x = 0;
        x += w + style.ItemSpacing.x;
        const bool enabled = t->allowed && !readOnly;
        if (!enabled) ImGui::BeginDisabled();
        if (ImGui::Button(label)) {
            const core::policy::LifecycleContext lc = core::lifecycleContext(*ctx.session, c, platform::nowUtc());
            auto moved = pol::applyTransition(c, t->action, lc);
            if (moved) {
                ctx.emit(core::command::ReplaceChange{c, *moved});
                st.actionMessage = std::string(core::toString(c.state)) + " -> " + core::toString(moved->state);
            } else {
                st.actionMessage = moved.error().message;
            }
        }
        if (!enabled) ImGui::EndDisabled();
        ctx.record(std::string("gov.action.") + pol::toString(t->action));
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
            if (readOnly)
                ImGui::SetTooltip("This workspace is open read-only.");
            else if (!t->allowed)
                WrappedTooltip(ctx, t->reason);
            else
                ImGui::SetTooltip("Move the change to %s", core::toString(t->to));
        }
    }
    // The reasons, spelled out, for the forward actions that are refused.
    int refused = 0;
    for (const pol::TransitionOption* t : shown) {
        if (t->allowed || t->action == pol::Action::Reject || t->action == pol::Action::Cancel ||
            t->action == pol::Action::Fail || t->action == pol::Action::RollBack)
            continue;
        if (refused++ == 0) ImGui::Spacing();
        ImGui::TextDisabled(ICON_BAN);
        ImGui::SameLine();
        Wrapped(std::string(pol::toString(t->action)) + ": " + t->reason);
    }
    if (!st.actionMessage.empty()) ImGui::TextDisabled("Last action: %s", st.actionMessage.c_str());
    if (a.emergency.flagged) {
        ImGui::Spacing();
        for (const auto& reason : a.emergency.reasons)
            WrappedColored(IM_COL32(226, 68, 56, 255), ICON_BOLT " " + reason);
    }
    if (c.type == core::ChangeType::Standard && !a.model.withinBounds) {
        ImGui::Spacing();
        WrappedColored(IM_COL32(230, 150, 20, 255),
                       ICON_WARNING " Treated as a normal change: it left its standard model.");
        for (const auto& v : a.model.violations) Wrapped("  - " + v);
    } else if (a.model.withinBounds) {
        ImGui::TextDisabled(ICON_CHECK " Standard change inside its model: pre-approved, fixed risk.");
    }
}

// ---- 3. Risk and questionnaire ------------------------------------------------------------

void DrawRisk(UiContext& ctx, const core::ChangeRequest& c, const core::ChangeAssessment& a) {
    SectionTitle(ctx, ICON_BALANCE "  Risk");
    const pol::RiskAssessment& r = a.risk;
    char level[64];
    std::snprintf(level, sizeof level, "%s risk", core::toString(r.level));
    InlineBadge(ctx, level, RiskColor(r.level));
    ctx.record("gov.risk");
    ImGui::SameLine();
    ImGui::TextDisabled("questionnaire %d pts (%s), rules %d pts (%s)", r.questionnairePoints,
                        core::toString(r.questionnaireLevel), r.rulePoints, core::toString(r.ruleLevel));
    Wrapped(r.summary);
    if (!r.contributions.empty() &&
        ImGui::BeginTable("##risk-points", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("Points", ImGuiTableColumnFlags_WidthFixed, ctx.px(48));
        ImGui::TableSetupColumn("From", ImGuiTableColumnFlags_WidthFixed, ctx.px(100));
        ImGui::TableSetupColumn("Why", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        for (const auto& p : r.contributions) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("+%d", p.points);
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", p.source.c_str());
            ImGui::TableNextColumn();
            Wrapped(p.sentence);
        }
        ImGui::EndTable();
    }
    ctx.record("gov.risk.table");

    ImGui::Spacing();
    ImGui::TextDisabled("Questionnaire");
    const pol::Policy& policy = ctx.session->policy();
    const bool readOnly = ctx.session->readOnly();
    for (const auto& q : policy.risk.questions) {
        ImGui::PushID(q.id.c_str());
        auto it = c.questionnaire.find(q.id);
        const std::string current = it == c.questionnaire.end() ? "" : it->second;
        const pol::RiskAnswer* chosen = nullptr;
        for (const auto& ans : q.answers)
            if (ans.id == current) chosen = &ans;
        Wrapped(q.text);
        ImGui::SetNextItemWidth(-1);
        if (readOnly) ImGui::BeginDisabled();
        if (ImGui::BeginCombo("##answer", chosen ? chosen->text.c_str() : "(not answered)")) {
            for (const auto& ans : q.answers) {
                char label[256];
                std::snprintf(label, sizeof label, "%s  (+%d)", ans.text.c_str(), ans.points);
                if (ImGui::Selectable(label, &ans == chosen) && ans.id != current)
                    ctx.emit(core::command::SetAnswer{c.id, q.id, current, ans.id});
                ctx.record("gov.answer." + q.id + "." + ans.id);
            }
            ImGui::EndCombo();
        }
        if (readOnly) ImGui::EndDisabled();
        ctx.record("gov.answer." + q.id);
        ImGui::PopID();
    }
}

// ---- 4. Required approvals -------------------------------------------------------------------

ImU32 requirementColor(pol::RequirementState s) {
    switch (s) {
        case pol::RequirementState::Satisfied:
            return IM_COL32(46, 160, 90, 255);
        case pol::RequirementState::Pending:
            return IM_COL32(230, 150, 20, 255);
        case pol::RequirementState::Rejected:
            return IM_COL32(226, 68, 56, 255);
    }
    return IM_COL32(128, 128, 128, 255);
}

void DrawApprovals(UiContext& ctx, const core::ChangeRequest& c, const core::ChangeAssessment& a) {
    SectionTitle(ctx, ICON_USERS "  Required approvals");
    if (a.approvals.empty()) {
        ImGui::TextDisabled("The policy requires no approval for this change.");
        return;
    }
    const core::Session& s = *ctx.session;
    const bool readOnly = s.readOnly();
    int index = 0;
    for (const auto& req : a.approvals) {
        ImGui::PushID(index++);
        InlineBadge(ctx, pol::toString(req.state), requirementColor(req.state));
        ctx.record("gov.approval." + req.requirement.id);
        ImGui::SameLine();
        ImGui::PushFont(ctx.fontBold);
        ImGui::Text("%s", req.requirement.role.c_str());
        ImGui::PopFont();
        ImGui::SameLine();
        ImGui::TextDisabled("%s, %d of %zu needed%s", pol::toString(req.requirement.quorum), req.needed,
                            req.requirement.candidates.size(),
                            req.requirement.retrospective ? ", may be given afterwards" : "");
        ImGui::Indent(ctx.px(12));
        Wrapped(req.requirement.reason);
        if (!req.approvedBy.empty())
            ImGui::TextDisabled(ICON_CHECK " approved by %s", joinNames(s, req.approvedBy).c_str());
        if (!req.rejectedBy.empty())
            ImGui::TextDisabled(ICON_TIMES " rejected by %s", joinNames(s, req.rejectedBy).c_str());
        for (const auto& e : req.requirement.excluded) ImGui::TextDisabled(ICON_BAN " %s", e.c_str());
        for (const auto& n : req.notes) ImGui::TextDisabled(ICON_INFO " %s", n.c_str());
        if (req.requirement.candidates.empty())
            WrappedColored(IM_COL32(226, 68, 56, 255), "Nobody in the workspace may give this approval.");
        if (req.state == pol::RequirementState::Pending && !req.requirement.candidates.empty() && !readOnly) {
            // Decisions received outside a signed bundle (a CAB meeting, a
            // phone call) are recorded by hand; signed ones arrive with bundles.
            ImGui::SetNextItemWidth(ctx.px(220));
            if (ImGui::BeginCombo("##record", ICON_PENCIL " Record a decision...")) {
                for (const auto& person : req.requirement.candidates) {
                    const std::string name = personName(s, person);
                    for (core::Decision d : {core::Decision::Approve, core::Decision::Reject}) {
                        const std::string label =
                            (d == core::Decision::Approve ? "Approved by " : "Rejected by ") + name;
                        const bool picked = ImGui::Selectable(label.c_str());
                        ctx.record("gov.approval.record." + req.requirement.id + "." + person +
                                   (d == core::Decision::Approve ? ".approve" : ".reject"));
                        if (picked) {
                            core::Approval ap;
                            ap.approver = person;
                            ap.role = req.requirement.role;
                            ap.decision = d;
                            ap.at = platform::nowUtc();
                            ap.comment = "Recorded in the planner";
                            ap.retrospective =
                                req.requirement.retrospective && c.state >= core::ChangeState::Implementing;
                            ctx.emit(core::command::AddApproval{c.id, ap});
                        }
                    }
                }
                ImGui::EndCombo();
            }
            ctx.record("gov.approval.record." + req.requirement.id);
        }
        ImGui::Unindent(ctx.px(12));
        ImGui::PopID();
    }
}

// ---- 5. Review, drift, policy -----------------------------------------------------------------

void DrawReview(UiContext& ctx, GovernancePanelState& st, const core::ChangeRequest& c) {
    const bool relevant =
        c.state >= core::ChangeState::Implementing || c.review.has_value() || c.type == core::ChangeType::Emergency;
    if (!relevant) return;
    SectionTitle(ctx, ICON_FILE_TEXT "  Post-implementation review");
    if (st.reviewFor != c.id || (!ImGui::IsAnyItemActive() && c.review && *c.review != st.reviewDraft)) {
        st.reviewFor = c.id;
        st.reviewDraft = c.review.value_or(core::Review{});
        if (st.reviewDraft.outcome.empty()) st.reviewDraft.outcome = "successful";
    }
    core::Review& r = st.reviewDraft;
    static const char* kOutcomes[] = {"successful", "successful_with_issues", "failed", "rolled_back"};
    int outcome = 0;
    for (int i = 0; i < 4; ++i)
        if (r.outcome == kOutcomes[i]) outcome = i;
    const float labelW = ctx.px(120);
    ImGui::TextUnformatted("Outcome");
    ImGui::SameLine(labelW);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::Combo("##outcome", &outcome, kOutcomes, 4)) r.outcome = kOutcomes[outcome];
    ImGui::TextUnformatted("Closure code");
    ImGui::SameLine(labelW);
    ImGui::SetNextItemWidth(-1);
    InputTextString("##closure", "e.g. successful, unsuccessful", r.closureCode);
    ImGui::TextUnformatted("Incidents");
    ImGui::SameLine(labelW);
    ImGui::SetNextItemWidth(ctx.px(120));
    ImGui::InputInt("##incidents", &r.incidents);
    r.incidents = std::max(0, r.incidents);
    ImGui::TextUnformatted("Restore (min)");
    ImGui::SameLine(labelW);
    ImGui::SetNextItemWidth(ctx.px(120));
    int ttr = r.timeToRestore;
    if (ImGui::InputInt("##ttr", &ttr)) r.timeToRestore = std::max(0, ttr);
    ImGui::TextUnformatted("Lessons learned");
    InputTextMultilineString("##lessons", r.lessonsLearned, ImVec2(-1, ctx.px(60)));
    const bool changed = !c.review || *c.review != r;
    if (!changed || ctx.session->readOnly()) ImGui::BeginDisabled();
    if (ImGui::Button(ICON_SAVE " Save review")) {
        core::Review saved = r;
        saved.at = platform::nowUtc();
        ctx.emit(core::command::SetReview{c.id, c.review, saved});
    }
    if (!changed || ctx.session->readOnly()) ImGui::EndDisabled();
    ctx.record("gov.review.save");
    if (c.review) {
        ImGui::SameLine();
        ImGui::TextDisabled("Recorded %s", core::schedule::describeTime(c.review->at, c.timeZone).c_str());
    }
}

void DrawDrift(UiContext& ctx, GovernancePanelState& st, const core::ChangeRequest& c) {
    SectionTitle(ctx, ICON_EYE "  Drift check");
    const core::Session& s = *ctx.session;
    // A file picked on an earlier frame becomes the stored observation.
    if (st.pickedObservation && st.pickedObservation->has_value()) {
        platform::OpenedFile f = std::move(**st.pickedObservation);
        st.pickedObservation.reset();
        core::DriftObservation o{c.id, platform::nowUtc(), f.name, f.bytes};
        auto report = core::driftReport(s, c, o);
        if (!report) {
            st.driftError = report.error().toString();
        } else {
            st.driftError.clear();
            auto it = s.settings().find(core::driftSettingKey(c.id));
            std::optional<std::string> before;
            if (it != s.settings().end()) before = it->second;
            ctx.emit(core::command::SetSetting{core::driftSettingKey(c.id), before, core::writeDriftObservation(o)});
        }
    }
    if (st.driftChange != c.id || st.driftRevision != s.mainRevision() || !st.cached) {
        st.driftChange = c.id;
        st.driftRevision = s.mainRevision();
        st.drift.reset();
        auto it = s.settings().find(core::driftSettingKey(c.id));
        if (it != s.settings().end()) {
            auto o = core::parseDriftObservation(it->second, c.id);
            auto r = o ? core::driftReport(s, c, *o) : core::Result<core::policy::DriftReport>(o.error());
            if (r)
                st.drift = std::move(*r);
            else
                st.driftError = r.error().toString();
        }
    }
    Wrapped("Compare a configuration observed after implementation with the CMDB baseline and the " +
            std::to_string(c.declaredChanges.size()) +
            " attribute change(s) this change declares. Anything else that differs is a possible unauthorized "
            "change.");
    if (s.readOnly()) ImGui::BeginDisabled();
    if (ImGui::Button(ICON_UPLOAD " Import observed configuration...")) {
        auto slot = std::make_shared<std::optional<platform::OpenedFile>>();
        st.pickedObservation = slot;
        platform::requestOpenFile(".json,.csv", [slot](platform::OpenedFile f) { *slot = std::move(f); });
    }
    if (s.readOnly()) ImGui::EndDisabled();
    ctx.record("gov.drift.import");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("JSON {\"ci\": {\"attribute\": value}} or CSV with columns ci, attribute, value");
    if (!st.driftError.empty()) WrappedColored(IM_COL32(226, 68, 56, 255), ICON_WARNING " " + st.driftError);
    if (!st.drift) return;
    const auto& d = *st.drift;
    ImGui::Text("Observed %s: %d expected, ", core::schedule::describeTime(d.observedAt, c.timeZone).c_str(),
                d.expected);
    ImGui::SameLine(0, 0);
    ImGui::TextColored(
        ImGui::ColorConvertU32ToFloat4(d.unexpected ? IM_COL32(226, 68, 56, 255) : IM_COL32(46, 160, 90, 255)),
        "%d unexpected", d.unexpected);
    ImGui::SameLine(0, 0);
    ImGui::Text(", %d declared but missing", d.missing);
    ctx.record("gov.drift.summary");
    if (ImGui::BeginTable("##drift", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("Kind", ImGuiTableColumnFlags_WidthFixed, ctx.px(86));
        ImGui::TableSetupColumn("CI / attribute");
        ImGui::TableSetupColumn("Baseline");
        ImGui::TableSetupColumn("Observed");
        ImGui::TableSetupColumn("Why");
        ImGui::TableHeadersRow();
        for (const auto& item : d.items) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const ImU32 col = item.kind == pol::DriftKind::Unexpected ? IM_COL32(226, 68, 56, 255)
                              : item.kind == pol::DriftKind::Missing  ? IM_COL32(230, 150, 20, 255)
                                                                      : IM_COL32(46, 160, 90, 255);
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(col), "%s", pol::toString(item.kind));
            ImGui::TableNextColumn();
            ImGui::Text("%s / %s", item.ci.c_str(), item.attribute.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(item.baselineValue.value_or("-").c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(item.observedValue.value_or("-").c_str());
            ImGui::TableNextColumn();
            Wrapped(item.explanation);
        }
        ImGui::EndTable();
    }
}

void DrawPolicy(UiContext& ctx, GovernancePanelState& st) {
    SectionTitle(ctx, ICON_SHIELD "  Policy");
    const core::Session& s = *ctx.session;
    ImGui::Text("%s", s.policy().name.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled(s.storedPolicyJson().empty() ? "(shipped default)" : "(edited for this workspace)");
    if (!s.policyProblem().empty()) WrappedColored(IM_COL32(226, 68, 56, 255), ICON_WARNING " " + s.policyProblem());
    if (!st.policyEditorOpen) {
        if (ImGui::Button(ICON_PENCIL " Edit policy...")) {
            st.policyEditorOpen = true;
            st.policyText = s.storedPolicyJson().empty() ? std::string(pol::defaultPolicyJson()) : s.storedPolicyJson();
            st.policyError.clear();
        }
        ctx.record("gov.policy.edit");
        return;
    }
    Wrapped(
        "The risk questions, rules, models, approval rules and lifecycle options as JSON "
        "(docs/governance.md describes every key). A document that does not parse is refused and the "
        "policy in force stays.");
    ImGui::PushFont(ctx.fontMono);
    InputTextMultilineString("##policy", st.policyText, ImVec2(-1, ctx.px(260)));
    ImGui::PopFont();
    ctx.record("gov.policy.text");
    if (s.readOnly()) ImGui::BeginDisabled();
    if (ImGui::Button(ICON_CHECK " Apply")) {
        auto parsed = pol::parsePolicy(st.policyText, "policy");
        if (!parsed) {
            st.policyError = parsed.error().toString();
        } else {
            st.policyError.clear();
            std::optional<std::string> before;
            if (!s.storedPolicyJson().empty()) before = s.storedPolicyJson();
            ctx.emit(core::command::SetPolicy{core::Session::kPolicyId, before, st.policyText});
            st.policyEditorOpen = false;
        }
    }
    ctx.record("gov.policy.apply");
    ImGui::SameLine();
    if (ImGui::Button(ICON_UNDO " Shipped default") && !s.storedPolicyJson().empty()) {
        ctx.emit(core::command::SetPolicy{core::Session::kPolicyId, s.storedPolicyJson(), std::nullopt});
        st.policyEditorOpen = false;
    }
    if (s.readOnly()) ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Close")) st.policyEditorOpen = false;
    if (!st.policyError.empty()) WrappedColored(IM_COL32(226, 68, 56, 255), ICON_WARNING " " + st.policyError);
    ctx.record("gov.policy.error");
}

}  // namespace

// ---- 6. DrawGovernancePanel ----------------------------------------------------------------

void DrawGovernancePanel(UiContext& ctx, GovernancePanelState& st) {
    const core::ChangeRequest* c = ctx.change();
    ImGui::BeginChild("##governance", ImVec2(0, 0), false);
    if (!c) {
        ImGui::TextDisabled("Select a change in the list to see its risk, approvals and lifecycle.");
        DrawPolicy(ctx, st);
        ImGui::EndChild();
        return;
    }
    const core::ChangeAssessment* a = GovernanceAssessment(ctx, st);
    ImGui::PushFont(ctx.fontBold);
    ImGui::Text("%s  %s", c->id.c_str(), c->title.c_str());
    ImGui::PopFont();
    // Two columns when there is room: actions and risk left, approvals and the rest right.
    const bool wide = ImGui::GetContentRegionAvail().x > ctx.px(900);
    if (wide && ImGui::BeginTable("##gov-cols", 2, ImGuiTableFlags_SizingStretchSame)) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        DrawLifecycle(ctx, st, *c, *a);
        DrawRisk(ctx, *c, *a);
        ImGui::TableNextColumn();
        DrawApprovals(ctx, *c, *a);
        DrawReview(ctx, st, *c);
        DrawDrift(ctx, st, *c);
        DrawPolicy(ctx, st);
        ImGui::EndTable();
    } else {
        DrawLifecycle(ctx, st, *c, *a);
        DrawApprovals(ctx, *c, *a);
        DrawRisk(ctx, *c, *a);
        DrawReview(ctx, st, *c);
        DrawDrift(ctx, st, *c);
        DrawPolicy(ctx, st);
    }
    ImGui::EndChild();
}

}  // namespace planner::ui
