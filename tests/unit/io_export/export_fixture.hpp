// Sample change and export context shared by the export tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <rapidjson/document.h>

#include "io/export_context.hpp"
#include "model/model.hpp"

namespace planner::core::io::testing {

inline ChangeRequest sampleChange() {
    ChangeRequest c;
    c.id = "CHG0001234";
    c.title = "Upgrade orders database to PostgreSQL 16";
    c.description = "Major version upgrade of the orders cluster.\nTwo nodes, streaming replication.";
    c.reason = "Version 12 reaches end of life.";
    c.justification = "Security support ends; vendor requires 16.";
    c.type = ChangeType::Normal;
    c.category = "database";
    c.model = "db-major-upgrade";
    c.requester = "alice";
    c.owner = "bob";
    c.implementer = "carol";
    c.assignmentGroup = "DBA";
    c.affectedCis = {"db-orders", "app-shop"};
    c.impactFlags = {{"lb-front", ImpactFlag::Exclude}, {"svc-shop", ImpactFlag::Include}};
    c.plannedStart = 1795399200;  // 2026-11-23T02:00:00Z
    c.plannedEnd = 1795413600;    // 2026-11-23T06:00:00Z
    c.timeZone = "Europe/Berlin";
    c.implementationPlan = "Stop app, pg_upgrade, start app.";
    c.rollbackPlan = "Fail over to the untouched replica.";
    c.testPlan = "Smoke tests of checkout.";
    c.communicationPlan = "Status page notice 24 h before.";
    Step s1;
    s1.id = "s1";
    s1.title = "Stop shop application";
    s1.owner = "carol";
    s1.ci = "app-shop";
    s1.duration = 10;
    s1.verification = "No open connections";
    s1.rollback = "Start the application";
    s1.rollbackDuration = 5;
    Step s2;
    s2.id = "s2";
    s2.title = "Run pg_upgrade";
    s2.description = "Link mode";
    s2.owner = "carol";
    s2.ci = "db-orders";
    s2.duration = 60;
    s2.dependsOn = {"s1"};
    s2.verification = "pg_upgrade exit code 0";
    s2.noRollbackReason = "mitigation: fail over to replica";
    Step s3;
    s3.id = "s3";
    s3.title = "Start shop application";
    s3.owner = "carol";
    s3.ci = "app-shop";
    s3.duration = 10;
    s3.dependsOn = {"s2"};
    s3.rollback = "Stop the application";
    s3.rollbackDuration = 5;
    c.steps = {s1, s2, s3};
    c.questionnaire = {{"q_outage", "a_yes"}, {"q_tested", "a_staging"}};
    c.rollbackTested = true;
    c.testedInStaging = true;
    c.impact = "Shop checkout unavailable for up to 90 minutes.";
    c.state = ChangeState::Scheduled;
    c.approvals = {Approval{"dave", "cab_member", Decision::Approve, 1795000000, "ok", "A1B2C3D4E5F60718", false},
                   Approval{"erin", "security_officer", Decision::Approve, 1795000100, "", "", false}};
    c.declaredChanges = {DeclaredChange{"db-orders", "version", "16.1"}};
    c.createdAt = 1794900000;
    c.updatedAt = 1795000100;
    return c;
}

inline ExportContext sampleContext() {
    ExportContext ctx;
    ctx.impactedCis = {
        ConfigItem{"db-orders", "Orders DB", "database", "frank", "DBA", 1, "production", "fra1", {"pg"}, {{"version", "12.9"}}},
        ConfigItem{"app-shop", "Shop", "application", "grace", "Web", 2, "production", "fra1", {}, {}},
        ConfigItem{"svc-shop", "Online shop", "business_service", "grace", "Web", 1, "production", "", {}, {}},
        ConfigItem{"lb-front", "Front LB", "load_balancer", "noemail", "Net", 2, "production", "fra1", {}, {}},
    };
    ctx.relationships = {Relationship{"app-shop", "db-orders", "depends_on"},
                         Relationship{"svc-shop", "app-shop", "depends_on"},
                         Relationship{"lb-front", "app-shop", "connects_to"}};
    ctx.people = {Person{"alice", "Alice Archer", "alice@example.org", {"requester"}, ""},
                  Person{"bob", "Bob Baker", "bob@example.org", {"change_manager"}, ""},
                  Person{"carol", "Carol Cruz", "carol@example.org", {"implementer"}, ""},
                  Person{"frank", "Frank Fühler", "frank@example.org", {"service_owner"}, ""},
                  Person{"grace", "Grace Hopper", "grace@example.org", {"service_owner"}, ""}};
    ctx.riskLevel = "high";
    Window w;
    w.id = "w-sun";
    w.name = "Sunday night";
    w.timeZone = "Europe/Berlin";
    w.start = "2026-11-22T03:00:00";
    w.duration = 240;
    w.rrule = "FREQ=WEEKLY;BYDAY=SU";
    ctx.window = w;
    ctx.site.itopOrganization = "Example Corp";
    ctx.site.itopChangeModel = ItopChangeModel::Default;
    ctx.site.glpiEntityId = 3;
    ctx.site.freshserviceRequesterId = 4711;
    ctx.conflictsChecked = true;
    ctx.hasConflicts = false;
    ctx.generatedAt = 1795300000;
    return ctx;
}

inline std::string readTextFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline rapidjson::Document parseJson(const std::string& text) {
    rapidjson::Document d;
    d.Parse(text.c_str(), text.size());
    return d;
}

}  // namespace planner::core::io::testing
