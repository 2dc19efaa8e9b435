// Domain model of the change planner: plain value types, no behaviour beyond
// small helpers. Times are UTC seconds since the Unix epoch (int64), durations
// are minutes (int32). No floating point in anything that is serialized.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace planner::core {

using TimeUtc = std::int64_t;   // seconds since 1970-01-01T00:00:00Z
using Minutes = std::int32_t;

inline constexpr int kModelSchemaVersion = 1;

// ---- CMDB (C2) -------------------------------------------------------------

struct ConfigItem {
    std::string id;            // stable external id, unique in a workspace
    std::string name;
    std::string type;          // business_service, application, server, database, network, ...
    std::string owner;         // person id or free text
    std::string team;          // owning / support group
    int tier = 3;              // criticality tier: 1 (most critical) .. 4
    std::string environment;   // production, staging, test, development
    std::string location;
    std::vector<std::string> tags;
    std::map<std::string, std::string> attributes;
    bool operator==(const ConfigItem&) const = default;
};

// Directed edge "from <type> to": e.g. app depends_on database, app runs_on host.
// Impact flows from `to` back to `from` (if the database changes, the app is hit).
struct Relationship {
    std::string from;
    std::string to;
    std::string type;          // depends_on, runs_on, hosted_on, connects_to, member_of, ...
    bool operator==(const Relationship&) const = default;
};

// ---- Runbook (C5) -----------------------------------------------------------

struct Step {
    std::string id;
    std::string title;
    std::string description;
    std::string owner;                   // person id
    std::string ci;                      // CI id touched ("" if none)
    Minutes duration = 0;
    std::vector<std::string> dependsOn;  // step ids that must finish first
    std::string verification;
    std::string rollback;                // rollback action text
    Minutes rollbackDuration = 0;
    std::string noRollbackReason;        // "no rollback: mitigation ..." when rollback is empty
    bool operator==(const Step&) const = default;
};

// ---- Change request (C3) ----------------------------------------------------

enum class ChangeType { Standard, Normal, Emergency };

enum class ChangeState {
    Draft, Submitted, Assessed, Authorized, Scheduled, Implementing,
    Completed, Failed, RolledBack, Reviewed, Closed, Cancelled, Rejected
};

enum class RiskLevel { Low, Moderate, High, VeryHigh };

enum class Decision { Approve, Reject };

struct Approval {
    std::string approver;   // person id
    std::string role;       // cab_member, security_officer, service_owner, change_manager
    Decision decision = Decision::Approve;
    TimeUtc at = 0;
    std::string comment;
    std::string keyId;      // signing key id (hex) when the approval is a signature
    bool retrospective = false;
    bool operator==(const Approval&) const = default;
};

struct Review {
    std::string outcome;        // successful, successful_with_issues, failed, rolled_back
    std::string closureCode;
    int incidents = 0;
    Minutes timeToRestore = 0;
    std::string lessonsLearned;
    TimeUtc at = 0;
    bool operator==(const Review&) const = default;
};

// Impact flag set by hand on one CI of a change's impact set (C4).
enum class ImpactFlag { Include, Exclude };

// One attribute a change declares it will alter (C10).
struct DeclaredChange {
    std::string ci;
    std::string attribute;
    std::string expectedValue;
    bool operator==(const DeclaredChange&) const = default;
};

struct ChangeRequest {
    std::string id;                 // CHG0001234 style
    std::string title;              // short_description
    std::string description;
    std::string reason;             // reason / justification
    std::string justification;
    ChangeType type = ChangeType::Normal;
    std::string category;
    std::string model;              // change model / template id
    std::string requester;          // person ids
    std::string owner;
    std::string implementer;
    std::string assignmentGroup;
    std::vector<std::string> affectedCis;
    std::map<std::string, ImpactFlag> impactFlags;
    TimeUtc plannedStart = 0;       // 0 = not planned
    TimeUtc plannedEnd = 0;
    std::string timeZone = "UTC";   // IANA name the planner works in
    std::string implementationPlan;
    std::string rollbackPlan;       // backout plan
    std::string testPlan;
    std::string communicationPlan;
    std::vector<Step> steps;
    std::map<std::string, std::string> questionnaire;  // risk question id -> answer id
    bool rollbackTested = false;
    bool testedInStaging = false;
    std::string impact;             // free text impact statement
    ChangeState state = ChangeState::Draft;
    std::vector<Approval> approvals;
    std::vector<DeclaredChange> declaredChanges;
    std::optional<Review> review;
    std::string closeCode;
    std::string closeNotes;
    TimeUtc createdAt = 0;
    TimeUtc updatedAt = 0;
    bool operator==(const ChangeRequest&) const = default;
};

// ---- Scheduling (C6) --------------------------------------------------------

enum class WindowKind { Maintenance, Freeze };
enum class WindowScope { Global, CiType, Ci, Service };

// A one-off or recurring period in a named time zone. `start` is local wall
// time "YYYY-MM-DDTHH:MM:SS" in `timeZone`; recurrence follows RFC 5545.
struct Window {
    std::string id;
    std::string name;
    WindowKind kind = WindowKind::Maintenance;
    WindowScope scope = WindowScope::Global;
    std::string scopeValue;          // CI type, CI id or service CI id
    std::string timeZone = "UTC";
    std::string start;               // local wall time
    Minutes duration = 0;
    std::string rrule;               // "" = one-off
    std::vector<std::string> exdates;  // local wall times
    std::vector<std::string> rdates;   // local wall times
    int sequence = 0;
    bool operator==(const Window&) const = default;
};

// ---- People and roles (C8) --------------------------------------------------

struct Person {
    std::string id;
    std::string name;
    std::string email;
    std::vector<std::string> roles;  // requester, implementer, change_manager, cab_member, security_officer, service_owner
    std::string publicKey;           // minisign public key (base64 line) or ""
    bool operator==(const Person&) const = default;
};

// ---- Whole workspace in memory ---------------------------------------------

// Everything a workspace holds, as loaded from storage: what the UI reads and
// what backup/restore and snapshot comparisons work on.
struct WorkspaceData {
    std::string name;
    std::vector<ConfigItem> cis;
    std::vector<Relationship> relationships;
    std::vector<ChangeRequest> changes;
    std::vector<Window> windows;
    std::vector<Person> people;
    bool operator==(const WorkspaceData&) const = default;
};

// Human-readable names used by serializers, exports and the UI.
const char* toString(ChangeType);
const char* toString(ChangeState);
const char* toString(RiskLevel);
const char* toString(Decision);
const char* toString(WindowKind);
const char* toString(WindowScope);
const char* toString(ImpactFlag);
std::optional<ChangeType> changeTypeFromString(const std::string&);
std::optional<ChangeState> changeStateFromString(const std::string&);
std::optional<RiskLevel> riskLevelFromString(const std::string&);
std::optional<Decision> decisionFromString(const std::string&);
std::optional<WindowKind> windowKindFromString(const std::string&);
std::optional<WindowScope> windowScopeFromString(const std::string&);
std::optional<ImpactFlag> impactFlagFromString(const std::string&);

}  // namespace planner::core
