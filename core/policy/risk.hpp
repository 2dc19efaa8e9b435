// Risk assessment: questionnaire points and rule points over facts computed
// elsewhere (impact, schedule, history); the higher of the two levels wins and
// every point is explained.
#pragma once

#include "model/model.hpp"
#include "policy/policy.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace planner::core::policy {

struct ImpactedCi {
    std::string id;
    std::string type;
    int tier = 3;
    std::vector<std::string> tags;
};

struct ImpactedService {
    std::string id;
    std::string name;
    int tier = 3;
    std::string owner;  // person id
};

// What the impact analysis found for one change.
struct ImpactFacts {
    std::vector<ImpactedCi> cis;
    std::vector<ImpactedService> services;
    std::int64_t blastRadius = 0;  // number of impacted CIs
};

// What the scheduler found for the change's planned period.
struct ScheduleFacts {
    bool duringBusinessHours = false;
    int conflicts = 0;
    Minutes runbookMinutes = 0;
    Minutes windowMinutesAfterMargin = -1;  // usable minutes of the window; -1 = no window known
};

struct PastChange {
    std::string changeId;
    std::vector<std::string> cis;
    Review review;
};

// Reviews of past changes, per the CIs they touched.
struct History {
    std::vector<PastChange> changes;
};

// Impact facts from the impacted CIs; business services are the CIs of type
// "business_service" and their owner is the CI's owner.
ImpactFacts impactFactsFrom(const std::vector<ConfigItem>& impacted);

// History from the reviewed changes in `changes` (others are skipped).
History historyFrom(const std::vector<ChangeRequest>& changes);

// Failed or rolled-back reviews in [now - days, now] on any of `cis`.
int recentFailures(const History& history, const std::vector<std::string>& cis, TimeUtc now, int days);

struct RiskContribution {
    std::string source;  // "questionnaire", "rule" or "model"
    std::string id;      // question, rule or model id
    int points = 0;
    std::string sentence;
};

struct RiskAssessment {
    RiskLevel level = RiskLevel::Low;
    RiskLevel questionnaireLevel = RiskLevel::Low;
    RiskLevel ruleLevel = RiskLevel::Low;
    int questionnairePoints = 0;
    int rulePoints = 0;
    bool fixedByModel = false;
    std::vector<RiskContribution> contributions;  // every point counted, questionnaire first
    std::vector<std::string> unanswered;          // question ids without a valid answer
    std::string summary;                          // one sentence naming the deciding side
};

struct RiskInputs {
    ImpactFacts impact;
    ScheduleFacts schedule;
    History history;
    TimeUtc now = 0;
};

// Assesses `change` under `policy`. A standard change inside its model takes
// the model's fixed risk; otherwise the higher of questionnaire and rules wins.
RiskAssessment assessRisk(const Policy& policy, const ChangeRequest& change, const RiskInputs& inputs);

}  // namespace planner::core::policy
