// What goes into a change bundle besides the signatures: the export context of
// one change worked out from a workspace (impact set, people, window, risk,
// schedule conflicts) and the content files written from it. The file list is
// specified in docs/bundle-format.md, section 2.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bundle/zip.hpp"
#include "io/export_context.hpp"
#include "io/payload_jira.hpp"
#include "model/model.hpp"
#include "policy/policy.hpp"
#include "schedule/conflicts.hpp"
#include "util/result.hpp"

namespace planner::core::bundle {

struct ChangeExportOptions {
    TimeUtc generatedAt = 0;                 // written into drafts, reports and DTSTAMP; callers fix it
    const policy::Policy* policy = nullptr;  // risk is computed when set (ctx.riskLevel stays "" otherwise)
    io::TicketingSettings site;              // the receiving ticketing sites' settings (docs/ticketing.md)
};

// A change with everything its exports need.
struct ChangeExport {
    ChangeRequest change;
    io::ExportContext context;
    std::vector<Window> windows;                     // windows and freezes that apply to the impact set, by id
    std::optional<schedule::PlannedChange> planned;  // when the change has a planned interval
    std::vector<schedule::Conflict> conflicts;       // of the planned interval (windows, freezes, other changes)
    std::vector<std::string> unknownCis;             // affected or flagged ids missing from the CMDB
};

// Works out the export of change `changeId` of `data`: impact set (affected
// CIs, manual flags, both directions, unlimited depth), the relationships
// between impacted CIs, the windows that apply to them, the maintenance window
// covering the planned interval, and conflicts against windows, freezes and
// the other planned changes of `data`. Fails when the change is unknown or a
// window does not validate.
Result<ChangeExport> buildChangeExport(const WorkspaceData& data, const std::string& changeId,
                                       const ChangeExportOptions& options);

struct BundleContentOptions {
    // payloads/jira.json only with a mapping: this one, else the one in the
    // context's site settings (a stored mapping that does not parse is an error).
    std::optional<io::JiraMapping> jira;
    // When set, receives one line per ticketing payload left out and why
    // (a site setting is missing, or the change lacks data the system requires).
    std::vector<std::string>* leftOut = nullptr;
};

// The content files of a bundle for `exp` (docs/bundle-format.md section 2):
// change.json, cmdb-slice.json, runbook.md, report.html, graph.dot, graph.svg,
// schedule.ics, payloads/*.json, changes.csv and notifications/*.eml.
// A ticketing payload is written only when the system would accept it: its
// site settings are complete and the change has what the system requires;
// otherwise it is left out (options.leftOut says why).
// Only approval signatures count for a bundle and none exists yet: report.html
// shows the change's approvals as unsigned and not counted, and the payloads
// carry no approvals and a state no further than "assessed" (the receiving side
// sets both from the verified approval signatures). change.json keeps the
// change as written. Deterministic: the same input gives the same bytes.
Result<ZipFiles> bundleContentFiles(const ChangeExport& exp, const BundleContentOptions& options = {});

// Whether a change in state `s` claims to have been authorized (authorized and later).
bool pastAuthorization(ChangeState s);

// schedule.ics of a change export: its windows and freezes, and the planned
// interval as an event when there is one; DTSTAMP = context.generatedAt.
Result<std::string> changeScheduleIcs(const ChangeExport& exp);

}  // namespace planner::core::bundle
