// Governance policy document: risk questionnaire and rules, change models,
// approval rules, separation of duties and lifecycle options. All of it is data
// read from a JSON document (schema in docs/governance.md) that travels with
// the workspace; the shipped defaults are compiled in.
#pragma once

#include "model/model.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace planner::core::policy {

inline constexpr int kPolicySchemaVersion = 1;

struct RiskAnswer {
    std::string id;
    std::string text;
    int points = 0;
    bool operator==(const RiskAnswer&) const = default;
};

struct RiskQuestion {
    std::string id;
    std::string text;
    std::vector<RiskAnswer> answers;
    bool operator==(const RiskQuestion&) const = default;
};

enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge };
enum class FactKind { Number, Flag, Text };

// A rule over one named fact (see riskFacts()); a flag fact compares as
// 0/1, a text fact only with eq/ne. `text` may contain "{value}", replaced by
// the fact's value in the explanation.
struct RiskRule {
    std::string id;
    std::string fact;
    CompareOp op = CompareOp::Eq;
    std::int64_t number = 0;
    std::string textValue;
    bool isText = false;
    int points = 0;
    std::string text;
    bool operator==(const RiskRule&) const = default;
};

// Minimum total points for each level above low (moderate < high < veryHigh).
struct RiskThresholds {
    int moderate = 0;
    int high = 0;
    int veryHigh = 0;
    bool operator==(const RiskThresholds&) const = default;
};

struct RiskPolicy {
    RiskThresholds questionnaireThresholds;
    RiskThresholds ruleThresholds;
    int recentFailureDays = 90;  // look-back of the recent_failures fact
    std::vector<RiskQuestion> questions;
    std::vector<RiskRule> rules;
    bool operator==(const RiskPolicy&) const = default;
};

struct ModelStep {
    std::string id;
    std::string title;
    std::string rollback;     // fixed rollback action copied into new changes
    Minutes maxDuration = 0;  // 0 = no limit
    bool operator==(const ModelStep&) const = default;
};

// A standard change model: pre-approved as long as a change stays inside it.
struct ChangeModel {
    std::string id;
    std::string name;
    std::string description;
    RiskLevel risk = RiskLevel::Low;
    std::vector<ModelStep> steps;
    std::vector<std::string> allowedCis;
    Minutes maxTotalDuration = 0;  // 0 = no limit
    bool requiresRollback = true;
    bool operator==(const ChangeModel&) const = default;
};

enum class Quorum { Any, All, Majority };

// When an approval rule applies; every condition that is set must hold.
struct ApprovalCondition {
    std::vector<ChangeType> types;  // empty = any type
    std::optional<RiskLevel> minRisk;
    std::string ciTag;                     // some impacted CI carries this tag
    std::optional<int> serviceTierAtMost;  // one requirement per impacted business service at or below this tier
    bool operator==(const ApprovalCondition&) const = default;
};

struct ApprovalRule {
    std::string id;
    std::string role;    // person role that may approve
    std::string reason;  // sentence shown with the requirement
    ApprovalCondition when;
    Quorum quorum = Quorum::Any;
    bool serviceOwner = false;  // approver is the impacted service's owner, not any holder of `role`
    bool retrospective = false;
    bool operator==(const ApprovalRule&) const = default;
};

struct SeparationOfDuties {
    bool excludeRequester = true;
    bool excludeImplementer = true;
    bool excludeStepOwners = true;
    bool operator==(const SeparationOfDuties&) const = default;
};

struct LifecyclePolicy {
    std::vector<ChangeType> reviewRequiredFor;  // review needed before closing
    bool reviewRequiredAfterFailure = true;
    bool requireQuestionnaireForAssessment = true;
    bool forbidStartBeforePlannedStart = true;
    bool operator==(const LifecyclePolicy&) const = default;
};

struct Policy {
    int schemaVersion = kPolicySchemaVersion;
    std::string name;
    RiskPolicy risk;
    std::vector<ChangeModel> models;
    std::vector<ApprovalRule> approvalRules;
    SeparationOfDuties separation;
    LifecyclePolicy lifecycle;
    std::string source;  // the JSON text this policy was read from (stored with the workspace)
    bool operator==(const Policy&) const = default;
};

// Parses and validates a policy document. On error, names `fileName`, the
// 1-based line and column and what was expected; nothing is returned partially.
Result<Policy> parsePolicy(const std::string& json, const std::string& fileName);

// `policy` as a policy document (two-space indented, keys in schema order,
// every optional value written out) that parsePolicy reads back unchanged.
std::string writePolicyJson(const Policy& policy);

// The JSON text of the policy shipped with the product (static storage).
const char* defaultPolicyJson();

// The shipped policy, parsed; asserts that the embedded document is valid.
Policy defaultPolicy();

struct FactInfo {
    const char* name;
    FactKind kind;
    const char* meaning;
};

// The facts risk rules may refer to, in documentation order.
const std::vector<FactInfo>& riskFacts();

const ChangeModel* findModel(const Policy& policy, const std::string& modelId);
const RiskQuestion* findQuestion(const Policy& policy, const std::string& questionId);

const char* toString(CompareOp);
const char* toString(Quorum);

// Holds the policy in force. A failed load leaves the previous policy unchanged.
class PolicyStore {
public:
    PolicyStore();
    explicit PolicyStore(Policy initial);

    const Policy& current() const { return m_current; }

    // Replaces the policy in force with `json` if it parses; otherwise returns the
    // error and keeps the current one.
    Status load(const std::string& json, const std::string& fileName);

    void resetToDefault();

private:
    Policy m_current;
};

// 1-based line and column of byte `offset` in `text` (columns count bytes).
std::pair<int, int> lineColumnOf(const std::string& text, std::size_t offset);

}  // namespace planner::core::policy
