#include "policy/policy.hpp"
#include "policy/json_locator.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <cassert>
#include <set>

namespace planner::core::policy {
namespace {

using rapidjson::Value;

const std::vector<FactInfo> kFacts = {
    {"most_critical_tier", FactKind::Number,
     "lowest tier number among the impacted CIs (1 = most critical); absent when nothing is impacted"},
    {"blast_radius", FactKind::Number, "number of impacted CIs"},
    {"impacted_services", FactKind::Number, "number of impacted business services"},
    {"change_type", FactKind::Text, "standard, normal or emergency"},
    {"rollback_tested", FactKind::Flag, "the rollback was rehearsed"},
    {"tested_in_staging", FactKind::Flag, "the change was tried in staging"},
    {"steps_without_rollback", FactKind::Number, "runbook steps with neither a rollback nor a no-rollback reason"},
    {"business_hours", FactKind::Flag, "the planned period overlaps business hours"},
    {"schedule_conflicts", FactKind::Number, "conflicts reported by the scheduler"},
    {"runbook_exceeds_margin", FactKind::Flag, "the runbook needs more minutes than the window leaves"},
    {"runbook_excess_minutes", FactKind::Number,
     "minutes by which the runbook exceeds the window margin (0 if it fits)"},
    {"recent_failures", FactKind::Number, "failed or rolled-back changes on these CIs within the look-back period"},
};

const FactInfo* findFact(const std::string& name) {
    for (const auto& f : kFacts)
        if (name == f.name) return &f;
    return nullptr;
}

std::optional<CompareOp> compareOpFromString(const std::string& s) {
    static const std::pair<CompareOp, const char*> table[] = {{CompareOp::Eq, "eq"}, {CompareOp::Ne, "ne"},
                                                              {CompareOp::Lt, "lt"}, {CompareOp::Le, "le"},
                                                              {CompareOp::Gt, "gt"}, {CompareOp::Ge, "ge"}};
    for (const auto& [op, name] : table)
        if (s == name) return op;
    return std::nullopt;
}

std::optional<Quorum> quorumFromString(const std::string& s) {
    if (s == "any") return Quorum::Any;
    if (s == "all") return Quorum::All;
    if (s == "majority") return Quorum::Majority;
    return std::nullopt;
}

const char* jsonTypeName(const Value& v) {
    switch (v.GetType()) {
        case rapidjson::kNullType:
            return "null";
        case rapidjson::kFalseType:
        case rapidjson::kTrueType:
            return "a boolean";
        case rapidjson::kObjectType:
            return "an object";
        case rapidjson::kArrayType:
            return "an array";
        case rapidjson::kStringType:
            return "a string";
        case rapidjson::kNumberType:
            return "a number";
    }
    return "a value";
}

// Walks the DOM and fills a Policy; the first problem found stops the walk and
// is kept, located through the offsets recorded by JsonLocator.
class PolicyReader {
public:
    PolicyReader(const JsonLocator& locator, const std::string& fileName) : m_locator(locator), m_file(fileName) {}

    const Error& error() const { return *m_error; }

    bool read(const Value& root, Policy& out) {
        if (!expectObject(
                root, "",
                {"schemaVersion", "name", "risk", "models", "approvalRules", "separationOfDuties", "lifecycle"}))
            return false;
        std::int64_t version = 0;
        if (!readInt(root, "", "schemaVersion", version, true, 1, 1)) return false;
        out.schemaVersion = static_cast<int>(version);
        if (!readString(root, "", "name", out.name, false)) return false;
        if (!member(root, "", "risk", true) || !readRisk(root["risk"], "/risk", out.risk)) return false;
        if (root.HasMember("models") && !readModels(root["models"], "/models", out.models)) return false;
        if (root.HasMember("approvalRules") &&
            !readApprovalRules(root["approvalRules"], "/approvalRules", out.approvalRules))
            return false;
        if (root.HasMember("separationOfDuties")) {
            const Value& v = root["separationOfDuties"];
            const std::string p = "/separationOfDuties";
            if (!expectObject(v, p, {"excludeRequester", "excludeImplementer", "excludeStepOwners"}) ||
                !readBool(v, p, "excludeRequester", out.separation.excludeRequester) ||
                !readBool(v, p, "excludeImplementer", out.separation.excludeImplementer) ||
                !readBool(v, p, "excludeStepOwners", out.separation.excludeStepOwners))
                return false;
        }
        if (root.HasMember("lifecycle") && !readLifecycle(root["lifecycle"], "/lifecycle", out.lifecycle)) return false;
        return true;
    }

private:
    bool fail(const std::string& path, const std::string& message) {
        auto [line, column] = m_locator.locate(path);
        std::string where = path.empty() ? std::string("document") : path;
        m_error = Error{where + ": " + message, m_file, line, column};
        return false;
    }

    bool expectObject(const Value& v, const std::string& path, std::initializer_list<const char*> keys) {
        if (!v.IsObject()) return fail(path, std::string("expected an object, found ") + jsonTypeName(v));
        std::set<std::string> seen;
        for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
            std::string key(it->name.GetString(), it->name.GetStringLength());
            if (!seen.insert(key).second)
                return fail(path + "/" + pointerToken(key), "key \"" + key + "\" appears twice");
            bool known = std::any_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; });
            if (!known) {
                std::string list;
                for (const char* k : keys) list += std::string(list.empty() ? "" : ", ") + k;
                return fail(path + "/" + pointerToken(key), "unknown key \"" + key + "\"; expected one of: " + list);
            }
        }
        return true;
    }

    bool member(const Value& obj, const std::string& path, const char* key, bool required) {
        if (obj.HasMember(key)) return true;
        if (required) return fail(path, std::string("missing required key \"") + key + "\"");
        return false;
    }

    bool readString(const Value& obj, const std::string& path, const char* key, std::string& out, bool required) {
        if (!obj.HasMember(key))
            return required ? fail(path, std::string("missing required key \"") + key + "\"") : true;
        const Value& v = obj[key];
        if (!v.IsString()) return fail(path + "/" + key, std::string("expected a string, found ") + jsonTypeName(v));
        out.assign(v.GetString(), v.GetStringLength());
        if (required && out.empty()) return fail(path + "/" + key, "expected a non-empty string");
        return true;
    }

    bool readInt(const Value& obj, const std::string& path, const char* key, std::int64_t& out, bool required,
                 std::int64_t lo, std::int64_t hi) {
        if (!obj.HasMember(key))
            return required ? fail(path, std::string("missing required key \"") + key + "\"") : true;
        const Value& v = obj[key];
        if (!v.IsInt64()) return fail(path + "/" + key, std::string("expected an integer, found ") + jsonTypeName(v));
        std::int64_t x = v.GetInt64();
        if (x < lo || x > hi)
            return fail(path + "/" + key, "expected an integer from " + std::to_string(lo) + " to " +
                                              std::to_string(hi) + ", found " + std::to_string(x));
        out = x;
        return true;
    }

    bool readInt32(const Value& obj, const std::string& path, const char* key, int& out, bool required, std::int64_t lo,
                   std::int64_t hi) {
        std::int64_t x = out;
        if (!readInt(obj, path, key, x, required, lo, hi)) return false;
        out = static_cast<int>(x);
        return true;
    }

    bool readBool(const Value& obj, const std::string& path, const char* key, bool& out) {
        if (!obj.HasMember(key)) return true;
        const Value& v = obj[key];
        if (!v.IsBool()) return fail(path + "/" + key, std::string("expected true or false, found ") + jsonTypeName(v));
        out = v.GetBool();
        return true;
    }

    bool readStringArray(const Value& obj, const std::string& path, const char* key, std::vector<std::string>& out) {
        if (!obj.HasMember(key)) return true;
        const Value& v = obj[key];
        const std::string p = path + "/" + key;
        if (!v.IsArray()) return fail(p, std::string("expected an array of strings, found ") + jsonTypeName(v));
        for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
            if (!v[i].IsString())
                return fail(p + "/" + std::to_string(i), std::string("expected a string, found ") + jsonTypeName(v[i]));
            out.emplace_back(v[i].GetString(), v[i].GetStringLength());
        }
        return true;
    }

    bool readTypes(const Value& obj, const std::string& path, const char* key, std::vector<ChangeType>& out) {
        std::vector<std::string> names;
        if (!readStringArray(obj, path, key, names)) return false;
        for (std::size_t i = 0; i < names.size(); ++i) {
            auto t = changeTypeFromString(names[i]);
            if (!t)
                return fail(path + "/" + key + "/" + std::to_string(i),
                            "expected standard, normal or emergency, found \"" + names[i] + "\"");
            out.push_back(*t);
        }
        return true;
    }

    bool readRiskLevel(const Value& obj, const std::string& path, const char* key, std::optional<RiskLevel>& out) {
        std::string s;
        if (!readString(obj, path, key, s, false)) return false;
        if (!obj.HasMember(key)) return true;
        out = riskLevelFromString(s);
        if (!out) return fail(path + "/" + key, "expected low, moderate, high or very_high, found \"" + s + "\"");
        return true;
    }

    bool readThresholds(const Value& obj, const std::string& path, const char* key, RiskThresholds& out) {
        if (!member(obj, path, key, true)) return false;
        const Value& v = obj[key];
        const std::string p = path + "/" + key;
        if (!expectObject(v, p, {"moderate", "high", "very_high"}) ||
            !readInt32(v, p, "moderate", out.moderate, true, 1, 100000) ||
            !readInt32(v, p, "high", out.high, true, 1, 100000) ||
            !readInt32(v, p, "very_high", out.veryHigh, true, 1, 100000))
            return false;
        if (!(out.moderate < out.high && out.high < out.veryHigh))
            return fail(p, "expected moderate < high < very_high");
        return true;
    }

    bool readArray(const Value& obj, const std::string& path, const char* key, bool required) {
        if (!member(obj, path, key, required)) return false;
        if (!obj[key].IsArray())
            return fail(path + "/" + key, std::string("expected an array, found ") + jsonTypeName(obj[key]));
        return true;
    }

    bool readRisk(const Value& v, const std::string& p, RiskPolicy& out) {
        if (!expectObject(v, p,
                          {"questionnaireThresholds", "ruleThresholds", "recentFailureDays", "questions", "rules"}))
            return false;
        if (!readThresholds(v, p, "questionnaireThresholds", out.questionnaireThresholds) ||
            !readThresholds(v, p, "ruleThresholds", out.ruleThresholds) ||
            !readInt32(v, p, "recentFailureDays", out.recentFailureDays, false, 1, 3660))
            return false;
        if (!readArray(v, p, "questions", true)) return false;
        std::set<std::string> questionIds;
        const Value& qs = v["questions"];
        for (rapidjson::SizeType i = 0; i < qs.Size(); ++i) {
            const std::string qp = p + "/questions/" + std::to_string(i);
            RiskQuestion q;
            if (!expectObject(qs[i], qp, {"id", "text", "answers"}) || !readString(qs[i], qp, "id", q.id, true) ||
                !readString(qs[i], qp, "text", q.text, true) || !readArray(qs[i], qp, "answers", true))
                return false;
            if (!questionIds.insert(q.id).second) return fail(qp + "/id", "duplicate question id \"" + q.id + "\"");
            const Value& as = qs[i]["answers"];
            if (as.Empty()) return fail(qp + "/answers", "expected at least one answer");
            std::set<std::string> answerIds;
            for (rapidjson::SizeType j = 0; j < as.Size(); ++j) {
                const std::string ap = qp + "/answers/" + std::to_string(j);
                RiskAnswer a;
                if (!expectObject(as[j], ap, {"id", "text", "points"}) || !readString(as[j], ap, "id", a.id, true) ||
                    !readString(as[j], ap, "text", a.text, true) ||
                    !readInt32(as[j], ap, "points", a.points, true, 0, 10000))
                    return false;
                if (!answerIds.insert(a.id).second) return fail(ap + "/id", "duplicate answer id \"" + a.id + "\"");
                q.answers.push_back(std::move(a));
            }
            out.questions.push_back(std::move(q));
        }
        if (!readArray(v, p, "rules", true)) return false;
        std::set<std::string> ruleIds;
        const Value& rs = v["rules"];
        for (rapidjson::SizeType i = 0; i < rs.Size(); ++i) {
            const std::string rp = p + "/rules/" + std::to_string(i);
            RiskRule r;
            std::string op;
            if (!expectObject(rs[i], rp, {"id", "fact", "op", "value", "points", "text"}) ||
                !readString(rs[i], rp, "id", r.id, true) || !readString(rs[i], rp, "fact", r.fact, true) ||
                !readString(rs[i], rp, "op", op, true) || !readInt32(rs[i], rp, "points", r.points, true, 0, 10000) ||
                !readString(rs[i], rp, "text", r.text, true) || !member(rs[i], rp, "value", true))
                return false;
            if (!ruleIds.insert(r.id).second) return fail(rp + "/id", "duplicate rule id \"" + r.id + "\"");
            const FactInfo* fact = findFact(r.fact);
            if (!fact) {
                std::string list;
                for (const auto& f : kFacts) list += std::string(list.empty() ? "" : ", ") + f.name;
                return fail(rp + "/fact", "unknown fact \"" + r.fact + "\"; expected one of: " + list);
            }
            auto parsedOp = compareOpFromString(op);
            if (!parsedOp) return fail(rp + "/op", "expected eq, ne, lt, le, gt or ge, found \"" + op + "\"");
            r.op = *parsedOp;
            const Value& value = rs[i]["value"];
            const std::string vp = rp + "/value";
            switch (fact->kind) {
                case FactKind::Text:
                    if (!value.IsString()) return fail(vp, std::string("expected a string for fact ") + fact->name);
                    if (r.op != CompareOp::Eq && r.op != CompareOp::Ne)
                        return fail(rp + "/op", std::string("fact ") + fact->name + " only compares with eq or ne");
                    r.isText = true;
                    r.textValue.assign(value.GetString(), value.GetStringLength());
                    break;
                case FactKind::Flag:
                    if (!value.IsBool()) return fail(vp, std::string("expected true or false for fact ") + fact->name);
                    if (r.op != CompareOp::Eq && r.op != CompareOp::Ne)
                        return fail(rp + "/op", std::string("fact ") + fact->name + " only compares with eq or ne");
                    r.number = value.GetBool() ? 1 : 0;
                    break;
                case FactKind::Number:
                    if (!value.IsInt64()) return fail(vp, std::string("expected an integer for fact ") + fact->name);
                    r.number = value.GetInt64();
                    break;
            }
            out.rules.push_back(std::move(r));
        }
        return true;
    }

    bool readModels(const Value& v, const std::string& p, std::vector<ChangeModel>& out) {
        if (!v.IsArray()) return fail(p, std::string("expected an array, found ") + jsonTypeName(v));
        std::set<std::string> ids;
        for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
            const std::string mp = p + "/" + std::to_string(i);
            const Value& m = v[i];
            ChangeModel model;
            std::optional<RiskLevel> risk;
            std::int64_t maxTotal = 0;
            if (!expectObject(m, mp,
                              {"id", "name", "description", "risk", "steps", "allowedCis", "maxTotalMinutes",
                               "requiresRollback"}) ||
                !readString(m, mp, "id", model.id, true) || !readString(m, mp, "name", model.name, true) ||
                !readString(m, mp, "description", model.description, false) || !member(m, mp, "risk", true) ||
                !readRiskLevel(m, mp, "risk", risk) || !readStringArray(m, mp, "allowedCis", model.allowedCis) ||
                !readInt(m, mp, "maxTotalMinutes", maxTotal, false, 0, 100000) ||
                !readBool(m, mp, "requiresRollback", model.requiresRollback) || !readArray(m, mp, "steps", true))
                return false;
            if (!ids.insert(model.id).second) return fail(mp + "/id", "duplicate model id \"" + model.id + "\"");
            model.risk = *risk;
            model.maxTotalDuration = static_cast<Minutes>(maxTotal);
            const Value& steps = m["steps"];
            if (steps.Empty()) return fail(mp + "/steps", "expected at least one step");
            std::set<std::string> stepIds;
            for (rapidjson::SizeType j = 0; j < steps.Size(); ++j) {
                const std::string sp = mp + "/steps/" + std::to_string(j);
                ModelStep s;
                std::int64_t maxMinutes = 0;
                if (!expectObject(steps[j], sp, {"id", "title", "rollback", "maxMinutes"}) ||
                    !readString(steps[j], sp, "rollback", s.rollback, false) ||
                    !readString(steps[j], sp, "id", s.id, true) || !readString(steps[j], sp, "title", s.title, true) ||
                    !readInt(steps[j], sp, "maxMinutes", maxMinutes, false, 0, 100000))
                    return false;
                if (!stepIds.insert(s.id).second) return fail(sp + "/id", "duplicate step id \"" + s.id + "\"");
                s.maxDuration = static_cast<Minutes>(maxMinutes);
                model.steps.push_back(std::move(s));
            }
            out.push_back(std::move(model));
        }
        return true;
    }

    bool readApprovalRules(const Value& v, const std::string& p, std::vector<ApprovalRule>& out) {
        if (!v.IsArray()) return fail(p, std::string("expected an array, found ") + jsonTypeName(v));
        std::set<std::string> ids;
        for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
            const std::string rp = p + "/" + std::to_string(i);
            const Value& r = v[i];
            ApprovalRule rule;
            std::string quorum = "any";
            if (!expectObject(r, rp, {"id", "role", "reason", "when", "quorum", "serviceOwner", "retrospective"}) ||
                !readString(r, rp, "id", rule.id, true) || !readString(r, rp, "role", rule.role, true) ||
                !readString(r, rp, "reason", rule.reason, true) || !readString(r, rp, "quorum", quorum, false) ||
                !readBool(r, rp, "serviceOwner", rule.serviceOwner) ||
                !readBool(r, rp, "retrospective", rule.retrospective))
                return false;
            if (!ids.insert(rule.id).second) return fail(rp + "/id", "duplicate approval rule id \"" + rule.id + "\"");
            auto q = quorumFromString(quorum);
            if (!q) return fail(rp + "/quorum", "expected any, all or majority, found \"" + quorum + "\"");
            rule.quorum = *q;
            if (r.HasMember("when")) {
                const Value& w = r["when"];
                const std::string wp = rp + "/when";
                std::int64_t tier = 0;
                if (!expectObject(w, wp, {"types", "minRisk", "ciTag", "serviceTierAtMost"}) ||
                    !readTypes(w, wp, "types", rule.when.types) ||
                    !readRiskLevel(w, wp, "minRisk", rule.when.minRisk) ||
                    !readString(w, wp, "ciTag", rule.when.ciTag, false) ||
                    !readInt(w, wp, "serviceTierAtMost", tier, false, 1, 4))
                    return false;
                if (w.HasMember("serviceTierAtMost")) rule.when.serviceTierAtMost = static_cast<int>(tier);
            }
            if (rule.serviceOwner && !rule.when.serviceTierAtMost)
                return fail(rp + "/serviceOwner", "serviceOwner needs when.serviceTierAtMost to choose the services");
            out.push_back(std::move(rule));
        }
        return true;
    }

    bool readLifecycle(const Value& v, const std::string& p, LifecyclePolicy& out) {
        if (!expectObject(v, p,
                          {"reviewRequiredFor", "reviewRequiredAfterFailure", "requireQuestionnaireForAssessment",
                           "forbidStartBeforePlannedStart"}))
            return false;
        if (v.HasMember("reviewRequiredFor")) {
            out.reviewRequiredFor.clear();
            if (!readTypes(v, p, "reviewRequiredFor", out.reviewRequiredFor)) return false;
        }
        return readBool(v, p, "reviewRequiredAfterFailure", out.reviewRequiredAfterFailure) &&
               readBool(v, p, "requireQuestionnaireForAssessment", out.requireQuestionnaireForAssessment) &&
               readBool(v, p, "forbidStartBeforePlannedStart", out.forbidStartBeforePlannedStart);
    }

    const JsonLocator& m_locator;
    std::string m_file;
    std::optional<Error> m_error;
};

}  // namespace

Result<Policy> parsePolicy(const std::string& json, const std::string& fileName) {
    auto located = JsonLocator::parse(json, fileName);
    if (!located) return located.error();
    Policy policy;
    policy.lifecycle.reviewRequiredFor = {ChangeType::Normal, ChangeType::Emergency};
    PolicyReader reader(*located, fileName);
    if (!reader.read(located->root(), policy)) return reader.error();
    policy.source = json;
    return policy;
}

Policy defaultPolicy() {
    auto parsed = parsePolicy(defaultPolicyJson(), "default_policy.json");
    assert(parsed.ok());
    return parsed.ok() ? std::move(parsed.value()) : Policy{};
}

const std::vector<FactInfo>& riskFacts() {
    return kFacts;
}

const ChangeModel* findModel(const Policy& policy, const std::string& modelId) {
    for (const auto& m : policy.models)
        if (m.id == modelId) return &m;
    return nullptr;
}

const RiskQuestion* findQuestion(const Policy& policy, const std::string& questionId) {
    for (const auto& q : policy.risk.questions)
        if (q.id == questionId) return &q;
    return nullptr;
}

const char* toString(CompareOp op) {
    switch (op) {
        case CompareOp::Eq:
            return "eq";
        case CompareOp::Ne:
            return "ne";
        case CompareOp::Lt:
            return "lt";
        case CompareOp::Le:
            return "le";
        case CompareOp::Gt:
            return "gt";
        case CompareOp::Ge:
            return "ge";
    }
    return "?";
}

const char* toString(Quorum q) {
    switch (q) {
        case Quorum::Any:
            return "any";
        case Quorum::All:
            return "all";
        case Quorum::Majority:
            return "majority";
    }
    return "?";
}

PolicyStore::PolicyStore() : m_current(defaultPolicy()) {}

PolicyStore::PolicyStore(Policy initial) : m_current(std::move(initial)) {}

Status PolicyStore::load(const std::string& json, const std::string& fileName) {
    auto parsed = parsePolicy(json, fileName);
    if (!parsed) return parsed.error();
    m_current = std::move(parsed.value());
    return okStatus();
}

void PolicyStore::resetToDefault() {
    m_current = defaultPolicy();
}

}  // namespace planner::core::policy
