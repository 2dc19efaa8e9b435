// Shared inputs for the governance tests.
#pragma once

#include "model/model.hpp"
#include "policy/lifecycle.hpp"

#include <fstream>
#include <sstream>
#include <string>

namespace planner::core::policy::testing {

inline std::string readDataFile(const std::string& name) {
    std::ifstream in(std::string(PLANNER_TEST_DATA_DIR) + "/policy/" + name, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

inline std::vector<Person> people() {
    return {
        {"alice", "Alice", "", {"requester"}, ""},
        {"bob", "Bob", "", {"implementer", "cab_member"}, ""},
        {"carol", "Carol", "", {"change_manager", "cab_member"}, ""},
        {"dave", "Dave", "", {"cab_member"}, ""},
        {"erin", "Erin", "", {"cab_member"}, ""},
        {"sam", "Sam", "", {"security_officer"}, ""},
        {"olga", "Olga", "", {"service_owner"}, ""},
    };
}

inline Step step(const std::string& id, Minutes minutes, const std::string& rollback,
                 const std::string& owner = "bob") {
    Step s;
    s.id = id;
    s.title = "Step " + id;
    s.duration = minutes;
    s.rollback = rollback;
    s.owner = owner;
    return s;
}

// A normal change by alice, implemented by bob, answered questionnaire, ready to submit.
inline ChangeRequest normalChange() {
    ChangeRequest c;
    c.id = "CHG0000100";
    c.title = "Upgrade the payment database";
    c.type = ChangeType::Normal;
    c.requester = "alice";
    c.implementer = "bob";
    c.affectedCis = {"db-01"};
    c.steps = {step("s1", 30, "Restore the snapshot"), step("s2", 20, "Revert the config")};
    c.questionnaire = {{"outage", "none"}, {"experience", "routine"}, {"teams", "one"}, {"data", "no"}};
    c.rollbackTested = true;
    c.testedInStaging = true;
    c.createdAt = 1'700'000'000;
    return c;
}

inline ImpactFacts lowImpact() {
    ImpactFacts f;
    f.cis = {{"db-01", "database", 3, {}}};
    f.blastRadius = 1;
    return f;
}

inline Approval approval(const std::string& who, const std::string& role, Decision d, TimeUtc at,
                         bool retrospective = false) {
    Approval a;
    a.approver = who;
    a.role = role;
    a.decision = d;
    a.at = at;
    a.retrospective = retrospective;
    return a;
}

}  // namespace planner::core::policy::testing
