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

// Routine work of the past half year, so that the dashboard has a history:
// mostly standard changes, some normal ones, a few emergencies; most succeed.
struct HistorySeed {
    const char* title;
    ChangeType type;
    const char* ciType;
};
const HistorySeed kHistory[] = {
    {"Monthly OS patching of non-production servers", ChangeType::Standard, "server"},
    {"Renew TLS certificate of the customer portal", ChangeType::Standard, "load_balancer"},
    {"Add index to orders table", ChangeType::Normal, "database"},
    {"Rotate service account credentials", ChangeType::Standard, "application"},
    {"Open firewall port for monitoring agent", ChangeType::Normal, "firewall"},
    {"Restart stuck message broker", ChangeType::Emergency, "application"},
    {"Increase connection pool of inventory API", ChangeType::Normal, "application"},
    {"Patch hypervisor hosts (rack B)", ChangeType::Standard, "server"},
    {"Replace failed disk in storage shelf", ChangeType::Emergency, "storage"},
    {"Update load balancer health checks", ChangeType::Normal, "load_balancer"},
};

void addHistory(WorkspaceData& ws, TimeUtc today) {
    int n = 900;
    const int count = 44;
    for (int i = 0; i < count; ++i) {
        const HistorySeed& seed = kHistory[(i * 7) % (sizeof kHistory / sizeof kHistory[0])];
        ChangeRequest c;
        c.id = "CHG" + pad(++n, 7);
        c.title = seed.title;
        c.type = seed.type;
        c.category = seed.type == ChangeType::Emergency ? "Hardware" : "Software";
        c.requester = (i % 3) ? "p.alvarez" : "a.dubois";
        c.owner = "s.okafor";
        c.implementer = (i % 2) ? "m.chen" : "p.alvarez";
        c.assignmentGroup = "Platform Operations";
        c.description = std::string(seed.title) + " (routine work, recorded for the history of the workspace).";
        c.timeZone = "Europe/Berlin";
        // Spread over the 26 weeks before today, a little denser recently.
        const int daysAgo = 182 - (i * 179) / count - (i % 3);
        c.plannedStart = today - daysAgo * kDay + (20 + i % 4) * kHour;
        c.plannedEnd = c.plannedStart + (1 + i % 3) * kHour;
        c.createdAt = c.plannedStart - (seed.type == ChangeType::Emergency ? 2 * kHour : (4 + i % 6) * kDay);
        c.updatedAt = c.plannedEnd + kDay;
        c.rollbackTested = true;
        c.testedInStaging = seed.type != ChangeType::Emergency;
        c.rollbackPlan = "Restore the previous configuration.";
        if (const ConfigItem* ci = pickCi(ws.cis, seed.ciType, i % 5)) {
            c.affectedCis.push_back(ci->id);
            c.steps = {step("S1", std::string("Prepare: ") + seed.title, 15, c.implementer, ci->id, {},
                            "Nothing to undo", 0),
                       step("S2", std::string("Apply: ") + seed.title, 30 + (i % 4) * 15, c.implementer, ci->id,
                            {"S1"}, "Restore the previous configuration", 20)};
            c.steps[0].noRollbackReason = "Preparation only.";
        }
        Approval a;
        a.approver = "s.okafor";
        a.role = "change_manager";
        a.decision = Decision::Approve;
        a.retrospective = seed.type == ChangeType::Emergency;
        a.at = a.retrospective ? c.plannedEnd + 6 * kHour : c.createdAt + (1 + i % 4) * kDay;
        a.comment = a.retrospective ? "Retrospective approval" : "Approved";
        c.approvals.push_back(a);
        Review r;
        // Roughly one in eleven fails and one in fourteen is rolled back.
        r.outcome = (i % 11 == 5) ? "failed" : (i % 14 == 9) ? "rolled_back" : (i % 6 == 2) ? "successful_with_issues"
                                                                                               : "successful";
        const bool bad = r.outcome == "failed" || r.outcome == "rolled_back";
        r.closureCode = bad ? "unsuccessful" : "successful";
        r.incidents = bad ? 1 + i % 2 : 0;
        r.timeToRestore = bad ? 25 + (i % 5) * 20 : 0;
        r.lessonsLearned = bad ? "The pre-checks did not cover the dependency that broke." : "Nothing to add.";
        r.at = c.plannedEnd + kDay;
        c.review = r;
        c.state = ChangeState::Closed;
        c.closeCode = r.closureCode;
        ws.changes.push_back(std::move(c));
    }
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

    addHistory(ws, today);

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
