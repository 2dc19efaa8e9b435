// What the export generators need besides the change itself: the impact set's
// CIs, the people to resolve ids, the computed risk and the chosen window.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "io/ticketing_settings.hpp"
#include "model/model.hpp"

namespace planner::core::io {

struct ExportContext {
    std::vector<ConfigItem> impactedCis;      // the impact set, affected CIs included
    std::vector<Relationship> relationships;  // edges between impacted CIs (graph, slice)
    std::vector<Person> people;               // to resolve person ids to names and e-mails
    std::string riskLevel;                    // toString(RiskLevel) of the computed risk, "" if not computed
    std::optional<Window> window;             // maintenance window the change is planned in
    TicketingSettings site;                   // what the receiving ticketing sites need (iTop org, GLPI entity, ...)
    bool conflictsChecked = false;            // schedule conflicts were computed ...
    bool hasConflicts = false;                // ... and this is the outcome
    bool outsideMaintenanceWindow = false;    // planned interval lies outside every maintenance window
    bool outageExpected = false;              // a service outage is part of the plan
    TimeUtc cabDate = 0;                      // CAB meeting that reviews the change, 0 = none
    TimeUtc generatedAt = 0;                  // time stamp written into drafts and reports
    bool approvalsUnsigned = false;           // the report goes into a signed bundle: the change's approvals
                                              // are not approval signatures and are shown as not counted

    // Approvals that count: the verified approval signatures of a bundle
    // (bundle::approvalsFromReport), set when exporting from a verified
    // bundle; approver is the signer's trusted name. Never the approvals
    // written in the change.
    std::vector<Approval> signedApprovals;
    int approvalChainLength = 0;              // verified chain length and head (SHA-256 of the last approval file)
    std::string approvalChainHead;

    const Person* findPerson(const std::string& id) const;
    const ConfigItem* findCi(const std::string& id) const;
};

// Name of person `id` when known, else the id itself.
std::string personName(const ExportContext& ctx, const std::string& id);

// Parsed riskLevel of the context; nullopt when empty. Asserts it is empty or valid.
std::optional<RiskLevel> contextRisk(const ExportContext& ctx);

// Highest criticality among the impacted CIs: the smallest tier (1..4), 4 when the set is empty.
int highestCriticality(const ExportContext& ctx);

// Impacted CIs of type business_service, in context order.
std::vector<const ConfigItem*> impactedServices(const ExportContext& ctx);

// Planned offset of one step from the change's planned start, in minutes.
struct StepTiming {
    Minutes start = 0;
    Minutes end = 0;
};

// Earliest-start schedule of the steps (index-aligned with change.steps) from
// their durations and dependencies; unknown dependencies are ignored and steps
// caught in a dependency cycle start after every step that could be placed.
std::vector<StepTiming> stepSchedule(const ChangeRequest& change);

// Absolute planned times of each step (index-aligned with change.steps): the
// earliest-start schedule from the planned start, kept inside the planned
// interval (a step that would start or end after the planned end is cut at
// it). Both 0 when the change has no planned interval.
struct TaskTimes {
    TimeUtc start = 0;
    TimeUtc end = 0;
};
std::vector<TaskTimes> plannedTaskTimes(const ChangeRequest& change);

// Text of a note listing the verified approval signatures of ctx (one line
// each: decision, role, signer, time, key id, comment) and the chain length
// and head; "" when there are none.
std::string signedApprovalsNote(const ExportContext& ctx);

// Plain text as HTML: each blank-line separated block a <p>, single newlines
// <br>, everything escaped (escapeHtml); "" for empty text.
std::string htmlParagraphs(const std::string& text);

// `text` (invalid UTF-8 replaced) cut to at most `maxCodePoints` code points;
// a cut text ends with U+2026 so the reader sees it was cut.
std::string cutText(const std::string& text, std::size_t maxCodePoints);

// One-line description of the context window, "" when there is none.
std::string windowSummary(const ExportContext& ctx);

}  // namespace planner::core::io
