// Fixtures shared by the store, command and CMDB import tests: scratch
// directories and fully populated model values.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "model/model.hpp"
#include "store/workspace.hpp"

namespace planner::core::testing {

// A fresh, empty directory under PLANNER_TEST_TMP (or the system temp dir).
inline std::string freshDir(const std::string& name) {
    const char* base = std::getenv("PLANNER_TEST_TMP");
    std::filesystem::path root = base ? base : std::filesystem::temp_directory_path() / "planner-tests";
    auto dir = root / "store" / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

inline ChangeRequest sampleChange(const std::string& id = "CHG0001") {
    ChangeRequest c;
    c.id = id;
    c.title = "Upgrade the payments database";
    c.description = "Minor version upgrade,\nwith \"quotes\" and unicode: Zürich ✓";
    c.reason = "security fix";
    c.justification = "CVE pending";
    c.type = ChangeType::Emergency;
    c.category = "database";
    c.model = "db-upgrade";
    c.requester = "anna";
    c.owner = "ben";
    c.implementer = "chen";
    c.assignmentGroup = "dba";
    c.affectedCis = {"db1", "app1"};
    c.impactFlags = {{"app1", ImpactFlag::Include}, {"lb1", ImpactFlag::Exclude}};
    c.plannedStart = 1767225600;
    c.plannedEnd = 1767232800;
    c.timeZone = "Europe/Berlin";
    c.implementationPlan = "stop, upgrade, start";
    c.rollbackPlan = "restore snapshot";
    c.testPlan = "smoke tests";
    c.communicationPlan = "mail to users";
    Step s1{"s1", "Stop app", "", "chen", "app1", 5, {}, "no traffic", "start app", 5, ""};
    Step s2{"s2", "Upgrade", "run the installer", "chen", "db1", 30, {"s1"}, "version shows", "", 0, "no rollback: restore"};
    c.steps = {s1, s2};
    c.questionnaire = {{"q1", "yes"}, {"q2", "no"}};
    c.rollbackTested = true;
    c.testedInStaging = false;
    c.impact = "payments down 30 minutes";
    c.state = ChangeState::Authorized;
    c.approvals = {Approval{"dana", "cab_member", Decision::Approve, 1767200000, "ok", "abcd", false}};
    c.declaredChanges = {DeclaredChange{"db1", "version", "15.2"}};
    c.review = Review{"successful", "done", 0, 0, "none", 1767240000};
    c.closeCode = "successful";
    c.closeNotes = "all good";
    c.createdAt = 1767100000;
    c.updatedAt = 1767100500;
    return c;
}

inline Window sampleWindow(const std::string& id = "w1") {
    return Window{id, "Sunday night", WindowKind::Maintenance, WindowScope::CiType, "database", "Europe/Berlin",
                  "2026-01-04T01:00:00", 240, "FREQ=WEEKLY;BYDAY=SU", {"2026-01-11T01:00:00"}, {}, 2};
}

inline Person samplePerson(const std::string& id = "anna") {
    return Person{id, "Anna Weber", "anna@example.org", {"requester", "cab_member"}, "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3"};
}

inline ConfigItem sampleCi(const std::string& id, const std::string& type = "server") {
    ConfigItem ci;
    ci.id = id;
    ci.name = "name of " + id;
    ci.type = type;
    ci.owner = "ops";
    ci.team = "platform";
    ci.tier = 2;
    ci.environment = "production";
    ci.location = "fra1";
    ci.tags = {"pci", "linux"};
    ci.attributes = {{"os", "debian 12"}, {"ip", "10.0.0.1"}};
    return ci;
}

}  // namespace planner::core::testing
