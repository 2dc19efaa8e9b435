#include "demo/demo_workspace.hpp"

#include <cstdio>

#include "demo/synthetic_cmdb.hpp"

namespace planner::core {
namespace {

constexpr TimeUtc kHour = 3600;
constexpr TimeUtc kDay = 24 * kHour;

struct ChangeSeed {
    const char* title;
    ChangeType type;
    ChangeState state;
    int dayOffset;      // planned start relative to today, in days
    int startHour;      // UTC hour
    int hours;
    const char* ciType; // the first CI of this type becomes the affected CI
    int ciPick;         // which one of that type
};

const ChangeSeed kSeeds[] = {
    {"Patch PostgreSQL primary to 15.6", ChangeType::Normal, ChangeState::Draft, 6, 22, 3, "database", 0},
    {"Rotate TLS certificates on edge load balancers", ChangeType::Standard, ChangeState::Scheduled, 2, 21, 2, "load_balancer", 0},
    {"Firewall rule cleanup for payments zone", ChangeType::Normal, ChangeState::Submitted, 9, 23, 2, "firewall", 0},
    {"Upgrade checkout service to 4.2", ChangeType::Normal, ChangeState::Authorized, 4, 20, 4, "application", 1},
    {"Emergency fix: storage array firmware", ChangeType::Emergency, ChangeState::Implementing, 0, 1, 3, "storage", 0},
    {"Kernel update on app servers (batch 1)", ChangeType::Standard, ChangeState::Completed, -5, 22, 3, "server", 2},
    {"Migrate reporting database to new cluster", ChangeType::Normal, ChangeState::Assessed, 13, 21, 6, "database", 2},
    {"Replace core switch supervisor module", ChangeType::Normal, ChangeState::Failed, -9, 23, 4, "network", 0},
    {"Enable MFA on admin portal", ChangeType::Normal, ChangeState::Reviewed, -14, 19, 2, "application", 4},
    {"Resize search cluster nodes", ChangeType::Normal, ChangeState::RolledBack, -3, 22, 3, "server", 6},
    {"Decommission legacy FTP gateway", ChangeType::Normal, ChangeState::Closed, -21, 20, 2, "server", 9},
    {"Update DNS resolvers configuration", ChangeType::Standard, ChangeState::Cancelled, 1, 20, 1, "network", 2},
};

std::string pad(int n, int width) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%0*d", width, n);
    return buf;
}

const ConfigItem* pickCi(const std::vector<ConfigItem>& cis, const std::string& type, int pick) {
    const ConfigItem* last = nullptr;
    int seen = 0;
    for (const auto& ci : cis) {
        if (ci.type != type) continue;
        last = &ci;
        if (seen++ == pick) return &ci;
    }
    return last;
}

Step step(const std::string& id, const std::string& title, Minutes minutes, const std::string& owner,
          const std::string& ci, std::vector<std::string> deps, const std::string& rollback, Minutes rollbackMinutes) {
    Step s;
    s.id = id;
    s.title = title;
    s.duration = minutes;
    s.owner = owner;
    s.ci = ci;
    s.dependsOn = std::move(deps);
    s.rollback = rollback;
    s.rollbackDuration = rollbackMinutes;
    s.verification = "Check monitoring dashboard is green";
    return s;
}

}  // namespace

WorkspaceData generateDemoWorkspace(TimeUtc now) {
    WorkspaceData ws;
    ws.name = "Demo: Acme Retail";
    SyntheticCmdb cmdb = generateDemoCmdb();
    ws.cis = std::move(cmdb.cis);
    ws.relationships = std::move(cmdb.relationships);

    ws.people = {
        {"p.alvarez", "Paula Alvarez", "paula.alvarez@example.org", {"requester", "implementer"}, ""},
        {"m.chen", "Ming Chen", "ming.chen@example.org", {"implementer"}, ""},
        {"s.okafor", "Samuel Okafor", "samuel.okafor@example.org", {"change_manager"}, ""},
        {"l.novak", "Lena Novak", "lena.novak@example.org", {"cab_member"}, ""},
        {"r.iyer", "Rahul Iyer", "rahul.iyer@example.org", {"cab_member"}, ""},
        {"j.berg", "Johanna Berg", "johanna.berg@example.org", {"security_officer"}, ""},
        {"t.mueller", "Tobias Mueller", "tobias.mueller@example.org", {"service_owner"}, ""},
        {"a.dubois", "Amelie Dubois", "amelie.dubois@example.org", {"requester", "cab_member"}, ""},
    };

    const TimeUtc today = now - now % kDay;
    int n = 1040;
    for (const auto& seed : kSeeds) {
        ChangeRequest c;
        c.id = "CHG" + pad(++n, 7);
        c.title = seed.title;
        c.type = seed.type;
        c.state = seed.state;
        c.category = seed.type == ChangeType::Emergency ? "Hardware" : "Software";
        c.requester = "p.alvarez";
        c.owner = "s.okafor";
        c.implementer = (n % 2) ? "m.chen" : "p.alvarez";
        c.assignmentGroup = "Platform Operations";
        c.description = std::string(seed.title) + ". Planned as part of the quarterly platform maintenance.";
        c.reason = "Keep the platform supported and secure.";
        c.justification = "Vendor support ends for the running version; known vulnerabilities are fixed.";
        c.plannedStart = today + seed.dayOffset * kDay + seed.startHour * kHour;
        c.plannedEnd = c.plannedStart + seed.hours * kHour;
        c.timeZone = "Europe/Berlin";
        c.createdAt = c.plannedStart - 10 * kDay;
        c.updatedAt = c.createdAt;
        c.testPlan = "Run the smoke test suite and watch error rates for 30 minutes.";
        c.communicationPlan = "Notify service owners 48 hours ahead; status page entry during the window.";
        c.rollbackPlan = "Restore the previous version from the pre-change snapshot.";
        c.implementationPlan = "See runbook steps.";
        c.rollbackTested = (n % 3) != 0;
        c.testedInStaging = (n % 4) != 0;
        if (const ConfigItem* ci = pickCi(ws.cis, seed.ciType, seed.ciPick)) {
            c.affectedCis.push_back(ci->id);
            c.steps = {
                step("S1", "Announce start and freeze deployments", 10, c.implementer, "", {}, "Announce cancellation", 5),
                step("S2", "Take snapshot / backup of " + ci->name, 20, c.implementer, ci->id, {"S1"},
                     "Delete the snapshot", 5),
                step("S3", "Apply change to " + ci->name, 45, c.implementer, ci->id, {"S2"},
                     "Restore from the snapshot taken in S2", 40),
                step("S4", "Verify service health", 20, "m.chen", ci->id, {"S3"}, "", 0),
            };
            c.steps[3].noRollbackReason = "Verification only; nothing to undo.";
        }
        if (seed.state == ChangeState::Reviewed || seed.state == ChangeState::Closed ||
            seed.state == ChangeState::Failed || seed.state == ChangeState::RolledBack) {
            Review r;
            r.outcome = seed.state == ChangeState::Failed       ? "failed"
                        : seed.state == ChangeState::RolledBack ? "rolled_back"
                                                                : "successful";
            r.closureCode = r.outcome == "successful" ? "successful" : "unsuccessful";
            r.incidents = r.outcome == "successful" ? 0 : 1;
            r.timeToRestore = r.outcome == "successful" ? 0 : 55;
            r.lessonsLearned = r.outcome == "successful" ? "Went as planned." : "Pre-checks missed a firmware mismatch.";
            r.at = c.plannedEnd + kDay;
            c.review = r;
        }
        ws.changes.push_back(std::move(c));
    }

    auto window = [](std::string id, std::string name, WindowKind kind, WindowScope scope, std::string value,
                     std::string start, Minutes minutes, std::string rrule) {
        Window w;
        w.id = std::move(id);
        w.name = std::move(name);
        w.kind = kind;
        w.scope = scope;
        w.scopeValue = std::move(value);
        w.timeZone = "Europe/Berlin";
        w.start = std::move(start);
        w.duration = minutes;
        w.rrule = std::move(rrule);
        return w;
    };
    ws.windows = {
        window("W1", "Weekly maintenance (Saturday night)", WindowKind::Maintenance, WindowScope::Global, "",
               "2026-01-03T22:00:00", 240, "FREQ=WEEKLY;BYDAY=SA"),
        window("W2", "Database patch window (2nd Sunday)", WindowKind::Maintenance, WindowScope::CiType, "database",
               "2026-01-11T01:00:00", 300, "FREQ=MONTHLY;BYDAY=2SU"),
        window("W3", "Network changes (weeknights)", WindowKind::Maintenance, WindowScope::CiType, "network",
               "2026-01-05T23:00:00", 180, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH"),
        window("F1", "Year-end trading freeze", WindowKind::Freeze, WindowScope::Global, "", "2026-12-18T00:00:00",
               20 * 24 * 60, ""),
    };
    return ws;
}

}  // namespace planner::core
