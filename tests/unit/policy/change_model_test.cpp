#include <gtest/gtest.h>

#include "policy/change_model.hpp"

using namespace planner::core;
using namespace planner::core::policy;

namespace {

bool mentions(const ModelCheck& check, const std::string& text) {
    for (const auto& v : check.violations)
        if (v.find(text) != std::string::npos) return true;
    return false;
}

ChangeRequest patchChange(const Policy& p) {
    ChangeRequest c = changeFromModel(*findModel(p, "std-os-patch-nonprod"), "CHG0000300");
    c.affectedCis = {"test-web-01"};
    for (auto& s : c.steps) s.ci = "test-web-01";
    return c;
}

}  // namespace

TEST(ChangeModels, ChangeCreatedFromModelIsWithinBounds) {
    const Policy p = defaultPolicy();
    ChangeRequest c = patchChange(p);
    EXPECT_EQ(c.type, ChangeType::Standard);
    ASSERT_EQ(c.steps.size(), 3u);
    EXPECT_EQ(c.steps[2].dependsOn, std::vector<std::string>{"patch"});
    ModelCheck check = checkModelBounds(p, c);
    EXPECT_TRUE(check.modelFound);
    EXPECT_TRUE(check.withinBounds) << (check.violations.empty() ? "" : check.violations[0]);
    EXPECT_EQ(check.effectiveType, ChangeType::Standard);
}

TEST(ChangeModels, EditsBeyondTheModelMakeItNormalWithReasons) {
    const Policy p = defaultPolicy();
    struct Edit {
        std::string name;
        void (*apply)(ChangeRequest&);
        std::string reason;
    };
    const std::vector<Edit> edits = {
        {"ci", [](ChangeRequest& c) { c.affectedCis.push_back("prod-db-01"); }, "CI \"prod-db-01\" is not among"},
        {"step ci", [](ChangeRequest& c) { c.steps[0].ci = "prod-web-01"; }, "touches CI \"prod-web-01\""},
        {"duration", [](ChangeRequest& c) { c.steps[1].duration = 90; }, "takes 90 min; the model allows 60 min"},
        {"rename", [](ChangeRequest& c) { c.steps[1].title = "Patch and upgrade kernel"; }, "was renamed"},
        {"extra",
         [](ChangeRequest& c) {
             Step s;
             s.id = "db-migrate";
             s.title = "Migrate the schema";
             s.rollback = "Restore";
             c.steps.push_back(s);
         },
         "\"db-migrate\" (Migrate the schema) is not part of model"},
        {"removed", [](ChangeRequest& c) { c.steps.erase(c.steps.begin()); }, "Model step \"snapshot\""},
        {"order", [](ChangeRequest& c) { std::swap(c.steps[0], c.steps[2]); }, "no longer in the model's order"},
        {"rollback", [](ChangeRequest& c) { c.steps[0].rollback.clear(); }, "has no rollback"},
        {"total",
         [](ChangeRequest& c) {
             c.steps[0].duration = 15;
             c.steps[1].duration = 60;
             c.steps[2].duration = 50;
         },
         "takes 125 min in all; the model allows 120 min"},
    };
    for (const Edit& e : edits) {
        ChangeRequest c = patchChange(p);
        e.apply(c);
        ModelCheck check = checkModelBounds(p, c);
        EXPECT_FALSE(check.withinBounds) << e.name;
        EXPECT_EQ(check.effectiveType, ChangeType::Normal) << e.name;
        EXPECT_TRUE(mentions(check, e.reason))
            << e.name << ": " << (check.violations.empty() ? "(none)" : check.violations[0]);
    }
}

TEST(ChangeModels, MissingOrUnknownModel) {
    const Policy p = defaultPolicy();
    ChangeRequest c;
    c.type = ChangeType::Standard;
    ModelCheck none = checkModelBounds(p, c);
    EXPECT_FALSE(none.withinBounds);
    EXPECT_EQ(none.effectiveType, ChangeType::Normal);
    EXPECT_TRUE(mentions(none, "names none"));

    c.model = "std-nothing";
    ModelCheck unknown = checkModelBounds(p, c);
    EXPECT_FALSE(unknown.modelFound);
    EXPECT_TRUE(mentions(unknown, "\"std-nothing\" does not exist"));

    ChangeRequest normal = patchChange(p);
    normal.type = ChangeType::Normal;
    ModelCheck n = checkModelBounds(p, normal);
    EXPECT_FALSE(n.withinBounds);
    EXPECT_EQ(n.effectiveType, ChangeType::Normal);
    EXPECT_TRUE(mentions(n, "made normal"));

    ChangeRequest plain;
    plain.type = ChangeType::Emergency;
    EXPECT_TRUE(checkModelBounds(p, plain).violations.empty());
    EXPECT_EQ(checkModelBounds(p, plain).effectiveType, ChangeType::Emergency);
}

TEST(ChangeModels, AllowedCiPatterns) {
    ChangeModel m;
    EXPECT_TRUE(modelAllowsCi(m, "anything"));
    m.allowedCis = {"test-*", "dev-*-01", "exact"};
    EXPECT_TRUE(modelAllowsCi(m, "test-web"));
    EXPECT_TRUE(modelAllowsCi(m, "dev-db-01"));
    EXPECT_TRUE(modelAllowsCi(m, "exact"));
    EXPECT_FALSE(modelAllowsCi(m, "dev-db-02"));
    EXPECT_FALSE(modelAllowsCi(m, "exactly"));
    EXPECT_FALSE(modelAllowsCi(m, "prod-test-web"));
}
