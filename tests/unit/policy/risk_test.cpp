#include <gtest/gtest.h>

#include "policy/change_model.hpp"
#include "policy/risk.hpp"
#include "policy_fixtures.hpp"

using namespace planner::core;
using namespace planner::core::policy;
using namespace planner::core::policy::testing;

namespace {

constexpr TimeUtc kNow = 1'750'000'000;
constexpr TimeUtc kDay = 86400;

PastChange past(const std::string& id, const std::string& ci, const std::string& outcome, TimeUtc at) {
    PastChange p;
    p.changeId = id;
    p.cis = {ci};
    p.review.outcome = outcome;
    p.review.at = at;
    return p;
}

RiskInputs riskyInputs() {
    RiskInputs in;
    in.impact.cis = {{"db-01", "database", 1, {}}, {"app-01", "application", 2, {}}, {"app-02", "application", 3, {}},
                     {"web-01", "server", 3, {}},  {"web-02", "server", 3, {}},      {"lb-01", "network", 2, {}}};
    in.impact.blastRadius = 6;
    in.schedule.duringBusinessHours = true;
    in.schedule.runbookMinutes = 90;
    in.schedule.windowMinutesAfterMargin = 60;
    in.history.changes = {
        past("CHG1", "db-01", "failed", kNow - 10 * kDay), past("CHG2", "db-01", "rolled_back", kNow - 100 * kDay),
        past("CHG3", "other", "failed", kNow - 5 * kDay), past("CHG4", "db-01", "successful", kNow - 3 * kDay)};
    in.now = kNow;
    return in;
}

}  // namespace

TEST(Risk, ExplanationListsEveryContributingPointForFixedInputs) {
    const Policy policy = defaultPolicy();
    ChangeRequest c = normalChange();
    c.questionnaire = {{"outage", "full"}, {"experience", "few"}, {"teams", "one"}, {"data", "no"}};
    c.rollbackTested = false;
    c.testedInStaging = true;

    RiskAssessment r = assessRisk(policy, c, riskyInputs());
    EXPECT_EQ(r.questionnairePoints, 20);
    EXPECT_EQ(r.questionnaireLevel, RiskLevel::Moderate);
    EXPECT_EQ(r.rulePoints, 105);
    EXPECT_EQ(r.ruleLevel, RiskLevel::VeryHigh);
    EXPECT_EQ(r.level, RiskLevel::VeryHigh);
    EXPECT_FALSE(r.fixedByModel);
    EXPECT_TRUE(r.unanswered.empty());

    struct Want {
        const char* source;
        const char* id;
        int points;
        const char* sentence;
    };
    const Want want[] = {
        {"questionnaire", "outage", 15, "Will users notice an interruption while the change is made? Full outage."},
        {"questionnaire", "experience", 5, "How often has the team made this kind of change? A few times."},
        {"rule", "tier1", 30, "A tier-1 CI is in the impact set."},
        {"rule", "blast_medium", 10, "6 CIs are impacted (5 or more)."},
        {"rule", "rollback_untested", 10, "The rollback has not been tested."},
        {"rule", "business_hours", 15, "The change runs during business hours."},
        {"rule", "recent_failure", 20, "1 changes on these CIs failed or were rolled back in the last 90 days."},
        {"rule", "runbook_too_long", 20, "The runbook is 30 minutes longer than the window allows with its margin."},
    };
    ASSERT_EQ(r.contributions.size(), std::size(want));
    int sum = 0;
    for (std::size_t i = 0; i < std::size(want); ++i) {
        EXPECT_EQ(r.contributions[i].source, want[i].source) << i;
        EXPECT_EQ(r.contributions[i].id, want[i].id) << i;
        EXPECT_EQ(r.contributions[i].points, want[i].points) << i;
        EXPECT_EQ(r.contributions[i].sentence, want[i].sentence) << i;
        sum += r.contributions[i].points;
    }
    EXPECT_EQ(sum, r.questionnairePoints + r.rulePoints);
    EXPECT_EQ(r.summary,
              "Risk very_high: questionnaire 20 points (moderate), rules 105 points (very_high); the rules decide.");
}

TEST(Risk, QuestionnaireWinsWhenItIsHigher) {
    const Policy policy = defaultPolicy();
    ChangeRequest c = normalChange();
    c.questionnaire = {{"outage", "full"}, {"experience", "routine"}, {"teams", "one"}, {"data", "irreversible"}};
    RiskInputs in;
    in.impact = lowImpact();
    in.now = kNow;
    RiskAssessment r = assessRisk(policy, c, in);
    EXPECT_EQ(r.questionnairePoints, 40);
    EXPECT_EQ(r.rulePoints, 0);
    EXPECT_EQ(r.ruleLevel, RiskLevel::Low);
    EXPECT_EQ(r.level, RiskLevel::High);
    EXPECT_NE(r.summary.find("the questionnaire decides"), std::string::npos);
    ASSERT_EQ(r.contributions.size(), 2u);
    EXPECT_EQ(r.contributions[1].id, "data");
}

TEST(Risk, UnansweredAndUnknownAnswersAreListed) {
    const Policy policy = defaultPolicy();
    ChangeRequest c = normalChange();
    c.questionnaire = {{"outage", "none"}, {"data", "maybe"}};
    RiskInputs in;
    in.impact = lowImpact();
    RiskAssessment r = assessRisk(policy, c, in);
    EXPECT_EQ(r.unanswered, (std::vector<std::string>{"experience", "teams", "data"}));
    EXPECT_NE(r.summary.find("3 question(s) unanswered"), std::string::npos);
}

TEST(Risk, StandardChangeInsideItsModelTakesTheModelRisk) {
    const Policy policy = defaultPolicy();
    ChangeRequest c = changeFromModel(*findModel(policy, "std-cert-renewal"), "CHG0000200");
    c.affectedCis = {"web-01"};
    RiskInputs in = riskyInputs();
    RiskAssessment r = assessRisk(policy, c, in);
    EXPECT_TRUE(r.fixedByModel);
    EXPECT_EQ(r.level, RiskLevel::Low);
    ASSERT_EQ(r.contributions.size(), 1u);
    EXPECT_EQ(r.contributions[0].source, "model");

    c.steps[1].duration = 45;
    RiskAssessment edited = assessRisk(policy, c, in);
    EXPECT_FALSE(edited.fixedByModel);
    EXPECT_EQ(edited.level, RiskLevel::VeryHigh);
}

TEST(Risk, ReviewsFeedRecentFailures) {
    History h;
    h.changes = {past("A", "db-01", "failed", kNow - 90 * kDay), past("B", "db-01", "failed", kNow - 91 * kDay),
                 past("C", "db-01", "rolled_back", kNow), past("D", "db-01", "failed", kNow + 1),
                 past("E", "db-02", "failed", kNow - kDay)};
    EXPECT_EQ(recentFailures(h, {"db-01"}, kNow, 90), 2);
    EXPECT_EQ(recentFailures(h, {"db-01", "db-02"}, kNow, 90), 3);
    EXPECT_EQ(recentFailures(h, {"web-01"}, kNow, 90), 0);

    std::vector<ChangeRequest> changes(2, normalChange());
    changes[0].review = Review{"failed", "unsuccessful", 1, 40, "", kNow - kDay};
    changes[1].review = std::nullopt;
    History fromChanges = historyFrom(changes);
    ASSERT_EQ(fromChanges.changes.size(), 1u);
    EXPECT_EQ(recentFailures(fromChanges, {"db-01"}, kNow, 90), 1);

    const Policy policy = defaultPolicy();
    ChangeRequest next = normalChange();
    RiskInputs in;
    in.impact = lowImpact();
    in.now = kNow;
    EXPECT_EQ(assessRisk(policy, next, in).rulePoints, 0);
    in.history = fromChanges;
    RiskAssessment r = assessRisk(policy, next, in);
    EXPECT_EQ(r.rulePoints, 20);
    EXPECT_EQ(r.ruleLevel, RiskLevel::Moderate);
}

TEST(Risk, ImpactFactsFromConfigItems) {
    ConfigItem svc;
    svc.id = "svc-pay";
    svc.name = "Payments";
    svc.type = "business_service";
    svc.tier = 1;
    svc.owner = "olga";
    ConfigItem db;
    db.id = "db-01";
    db.type = "database";
    db.tags = {"security"};
    ImpactFacts f = impactFactsFrom({svc, db});
    EXPECT_EQ(f.blastRadius, 2);
    ASSERT_EQ(f.services.size(), 1u);
    EXPECT_EQ(f.services[0].owner, "olga");
    EXPECT_EQ(f.cis[1].tags, std::vector<std::string>{"security"});
}
