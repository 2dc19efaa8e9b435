#include "policy/risk.hpp"
#include "policy/change_model.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace planner::core::policy {
namespace {

struct FactValue {
    std::int64_t number = 0;
    std::string text;
};

RiskLevel levelFor(int points, const RiskThresholds& t) {
    if (points >= t.veryHigh) return RiskLevel::VeryHigh;
    if (points >= t.high) return RiskLevel::High;
    if (points >= t.moderate) return RiskLevel::Moderate;
    return RiskLevel::Low;
}

bool compare(std::int64_t a, CompareOp op, std::int64_t b) {
    switch (op) {
        case CompareOp::Eq:
            return a == b;
        case CompareOp::Ne:
            return a != b;
        case CompareOp::Lt:
            return a < b;
        case CompareOp::Le:
            return a <= b;
        case CompareOp::Gt:
            return a > b;
        case CompareOp::Ge:
            return a >= b;
    }
    return false;
}

std::map<std::string, FactValue> computeFacts(const Policy& policy, const ChangeRequest& change, const RiskInputs& in) {
    std::map<std::string, FactValue> f;
    if (!in.impact.cis.empty()) {
        int tier = in.impact.cis.front().tier;
        for (const auto& ci : in.impact.cis) tier = std::min(tier, ci.tier);
        f["most_critical_tier"].number = tier;
    }
    f["blast_radius"].number = in.impact.blastRadius;
    f["impacted_services"].number = static_cast<std::int64_t>(in.impact.services.size());
    f["change_type"].text = toString(change.type);
    f["rollback_tested"].number = change.rollbackTested ? 1 : 0;
    f["tested_in_staging"].number = change.testedInStaging ? 1 : 0;
    std::int64_t missing = 0;
    for (const Step& s : change.steps)
        if (s.rollback.empty() && s.noRollbackReason.empty()) ++missing;
    f["steps_without_rollback"].number = missing;
    f["business_hours"].number = in.schedule.duringBusinessHours ? 1 : 0;
    f["schedule_conflicts"].number = in.schedule.conflicts;
    std::int64_t excess = 0;
    if (in.schedule.windowMinutesAfterMargin >= 0 && in.schedule.runbookMinutes > in.schedule.windowMinutesAfterMargin)
        excess = in.schedule.runbookMinutes - in.schedule.windowMinutesAfterMargin;
    f["runbook_exceeds_margin"].number = excess > 0 ? 1 : 0;
    f["runbook_excess_minutes"].number = excess;
    std::vector<std::string> cis = change.affectedCis;
    for (const auto& ci : in.impact.cis) cis.push_back(ci.id);
    f["recent_failures"].number = recentFailures(in.history, cis, in.now, policy.risk.recentFailureDays);
    return f;
}

std::string describe(const FactValue& value, FactKind kind) {
    if (kind == FactKind::Text) return value.text;
    if (kind == FactKind::Flag) return value.number ? "yes" : "no";
    return std::to_string(value.number);
}

std::string fill(std::string text, const std::string& value) {
    const std::string placeholder = "{value}";
    for (auto pos = text.find(placeholder); pos != std::string::npos; pos = text.find(placeholder, pos + value.size()))
        text.replace(pos, placeholder.size(), value);
    return text;
}

}  // namespace

ImpactFacts impactFactsFrom(const std::vector<ConfigItem>& impacted) {
    ImpactFacts out;
    for (const ConfigItem& ci : impacted) {
        out.cis.push_back({ci.id, ci.type, ci.tier, ci.tags});
        if (ci.type == "business_service") out.services.push_back({ci.id, ci.name, ci.tier, ci.owner});
    }
    out.blastRadius = static_cast<std::int64_t>(impacted.size());
    return out;
}

History historyFrom(const std::vector<ChangeRequest>& changes) {
    History out;
    for (const ChangeRequest& c : changes)
        if (c.review) out.changes.push_back({c.id, c.affectedCis, *c.review});
    return out;
}

int recentFailures(const History& history, const std::vector<std::string>& cis, TimeUtc now, int days) {
    const std::set<std::string> wanted(cis.begin(), cis.end());
    const TimeUtc from = now - static_cast<TimeUtc>(days) * 86400;
    int count = 0;
    for (const PastChange& past : history.changes) {
        const Review& r = past.review;
        if (r.outcome != "failed" && r.outcome != "rolled_back") continue;
        if (r.at < from || r.at > now) continue;
        if (std::any_of(past.cis.begin(), past.cis.end(), [&](const std::string& ci) { return wanted.count(ci) > 0; }))
            ++count;
    }
    return count;
}

RiskAssessment assessRisk(const Policy& policy, const ChangeRequest& change, const RiskInputs& inputs) {
    RiskAssessment out;
    if (change.type == ChangeType::Standard) {
        ModelCheck check = checkModelBounds(policy, change);
        if (check.withinBounds) {
            const ChangeModel* model = findModel(policy, change.model);
            out.level = out.questionnaireLevel = out.ruleLevel = model->risk;
            out.fixedByModel = true;
            out.contributions.push_back({"model", model->id, 0,
                                         std::string("Standard change model \"") + model->name +
                                             "\" fixes the risk at " + toString(model->risk) + "."});
            out.summary = std::string("Risk ") + toString(model->risk) + ", fixed by standard change model \"" +
                          model->name + "\".";
            return out;
        }
    }

    for (const RiskQuestion& q : policy.risk.questions) {
        auto given = change.questionnaire.find(q.id);
        const RiskAnswer* answer = nullptr;
        if (given != change.questionnaire.end())
            for (const RiskAnswer& a : q.answers)
                if (a.id == given->second) answer = &a;
        if (!answer) {
            out.unanswered.push_back(q.id);
            continue;
        }
        out.questionnairePoints += answer->points;
        if (answer->points > 0)
            out.contributions.push_back({"questionnaire", q.id, answer->points, q.text + " " + answer->text + "."});
    }

    const auto facts = computeFacts(policy, change, inputs);
    for (const RiskRule& rule : policy.risk.rules) {
        auto it = facts.find(rule.fact);
        if (it == facts.end()) continue;
        bool matched = rule.isText ? ((it->second.text == rule.textValue) == (rule.op == CompareOp::Eq))
                                   : compare(it->second.number, rule.op, rule.number);
        if (!matched) continue;
        out.rulePoints += rule.points;
        if (rule.points > 0) {
            FactKind kind = FactKind::Number;
            for (const FactInfo& info : riskFacts())
                if (rule.fact == info.name) kind = info.kind;
            out.contributions.push_back({"rule", rule.id, rule.points, fill(rule.text, describe(it->second, kind))});
        }
    }

    out.questionnaireLevel = levelFor(out.questionnairePoints, policy.risk.questionnaireThresholds);
    out.ruleLevel = levelFor(out.rulePoints, policy.risk.ruleThresholds);
    out.level = std::max(out.questionnaireLevel, out.ruleLevel);
    const bool rulesDecide = out.ruleLevel >= out.questionnaireLevel;
    out.summary =
        std::string("Risk ") + toString(out.level) + ": questionnaire " + std::to_string(out.questionnairePoints) +
        " points (" + toString(out.questionnaireLevel) + "), rules " + std::to_string(out.rulePoints) + " points (" +
        toString(out.ruleLevel) + "); " +
        (out.ruleLevel == out.questionnaireLevel ? "both agree."
                                                 : (rulesDecide ? "the rules decide." : "the questionnaire decides."));
    if (!out.unanswered.empty())
        out.summary += " " + std::to_string(out.unanswered.size()) + " question(s) unanswered.";
    return out;
}

}  // namespace planner::core::policy
