#include "policy/policy.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

namespace planner::core::policy {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void str(Writer& w, const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void num(Writer& w, const char* key, std::int64_t value) {
    w.Key(key);
    w.Int64(value);
}

void flag(Writer& w, const char* key, bool value) {
    w.Key(key);
    w.Bool(value);
}

void types(Writer& w, const char* key, const std::vector<ChangeType>& list) {
    w.Key(key);
    w.StartArray();
    for (ChangeType t : list) w.String(toString(t));
    w.EndArray();
}

void thresholds(Writer& w, const char* key, const RiskThresholds& t) {
    w.Key(key);
    w.StartObject();
    num(w, "moderate", t.moderate);
    num(w, "high", t.high);
    num(w, "very_high", t.veryHigh);
    w.EndObject();
}

FactKind kindOf(const std::string& fact) {
    for (const FactInfo& f : riskFacts())
        if (fact == f.name) return f.kind;
    return FactKind::Number;
}

void writeRisk(Writer& w, const RiskPolicy& risk) {
    w.Key("risk");
    w.StartObject();
    thresholds(w, "questionnaireThresholds", risk.questionnaireThresholds);
    thresholds(w, "ruleThresholds", risk.ruleThresholds);
    num(w, "recentFailureDays", risk.recentFailureDays);
    w.Key("questions");
    w.StartArray();
    for (const RiskQuestion& q : risk.questions) {
        w.StartObject();
        str(w, "id", q.id);
        str(w, "text", q.text);
        w.Key("answers");
        w.StartArray();
        for (const RiskAnswer& a : q.answers) {
            w.StartObject();
            str(w, "id", a.id);
            str(w, "text", a.text);
            num(w, "points", a.points);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }
    w.EndArray();
    w.Key("rules");
    w.StartArray();
    for (const RiskRule& r : risk.rules) {
        w.StartObject();
        str(w, "id", r.id);
        str(w, "fact", r.fact);
        str(w, "op", toString(r.op));
        switch (kindOf(r.fact)) {
            case FactKind::Text:
                str(w, "value", r.textValue);
                break;
            case FactKind::Flag:
                flag(w, "value", r.number != 0);
                break;
            case FactKind::Number:
                num(w, "value", r.number);
                break;
        }
        num(w, "points", r.points);
        str(w, "text", r.text);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
}

void writeModels(Writer& w, const std::vector<ChangeModel>& models) {
    w.Key("models");
    w.StartArray();
    for (const ChangeModel& m : models) {
        w.StartObject();
        str(w, "id", m.id);
        str(w, "name", m.name);
        str(w, "description", m.description);
        str(w, "risk", toString(m.risk));
        num(w, "maxTotalMinutes", m.maxTotalDuration);
        flag(w, "requiresRollback", m.requiresRollback);
        w.Key("allowedCis");
        w.StartArray();
        for (const std::string& ci : m.allowedCis) w.String(ci.data(), static_cast<rapidjson::SizeType>(ci.size()));
        w.EndArray();
        w.Key("steps");
        w.StartArray();
        for (const ModelStep& s : m.steps) {
            w.StartObject();
            str(w, "id", s.id);
            str(w, "title", s.title);
            str(w, "rollback", s.rollback);
            num(w, "maxMinutes", s.maxDuration);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }
    w.EndArray();
}

void writeApprovalRules(Writer& w, const std::vector<ApprovalRule>& rules) {
    w.Key("approvalRules");
    w.StartArray();
    for (const ApprovalRule& r : rules) {
        w.StartObject();
        str(w, "id", r.id);
        str(w, "role", r.role);
        str(w, "reason", r.reason);
        str(w, "quorum", toString(r.quorum));
        flag(w, "serviceOwner", r.serviceOwner);
        flag(w, "retrospective", r.retrospective);
        w.Key("when");
        w.StartObject();
        if (!r.when.types.empty()) types(w, "types", r.when.types);
        if (r.when.minRisk) str(w, "minRisk", toString(*r.when.minRisk));
        if (!r.when.ciTag.empty()) str(w, "ciTag", r.when.ciTag);
        if (r.when.serviceTierAtMost) num(w, "serviceTierAtMost", *r.when.serviceTierAtMost);
        w.EndObject();
        w.EndObject();
    }
    w.EndArray();
}

}  // namespace

std::string writePolicyJson(const Policy& policy) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.SetIndent(' ', 2);
    w.StartObject();
    num(w, "schemaVersion", policy.schemaVersion);
    str(w, "name", policy.name);
    writeRisk(w, policy.risk);
    writeModels(w, policy.models);
    writeApprovalRules(w, policy.approvalRules);
    w.Key("separationOfDuties");
    w.StartObject();
    flag(w, "excludeRequester", policy.separation.excludeRequester);
    flag(w, "excludeImplementer", policy.separation.excludeImplementer);
    flag(w, "excludeStepOwners", policy.separation.excludeStepOwners);
    w.EndObject();
    w.Key("lifecycle");
    w.StartObject();
    types(w, "reviewRequiredFor", policy.lifecycle.reviewRequiredFor);
    flag(w, "reviewRequiredAfterFailure", policy.lifecycle.reviewRequiredAfterFailure);
    flag(w, "requireQuestionnaireForAssessment", policy.lifecycle.requireQuestionnaireForAssessment);
    flag(w, "forbidStartBeforePlannedStart", policy.lifecycle.forbidStartBeforePlannedStart);
    w.EndObject();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace planner::core::policy
