// Governance view of one change in an open session: the facts the policy
// engine needs (impact, schedule, history) gathered from the workspace, and
// what the engine concludes (risk with its explanation, required approvals,
// lifecycle transitions with the reasons they are refused, emergency
// obligations, model bounds). The UI draws this; it computes nothing itself.
#pragma once

#include <string>
#include <vector>

#include "policy/change_model.hpp"
#include "policy/drift.hpp"
#include "policy/lifecycle.hpp"
#include "schedule/conflicts.hpp"
#include "session/session.hpp"

namespace planner::core {

// Every planned change of the workspace as the scheduler sees it (interval =
// planned start to planned end, impact set from the session), in data order.
std::vector<schedule::PlannedChange> plannedChanges(const Session& session);

// Facts about the change's planned period: conflicts with the other planned
// changes and the windows, business hours (Mon-Fri 08:00-18:00 in the change's
// time zone), runbook length and the minutes its maintenance window leaves
// after the rollback reserve.
struct ScheduleAssessment {
    policy::ScheduleFacts facts;
    std::vector<schedule::Conflict> conflicts;  // of this change only
    std::string error;                          // why the schedule could not be checked ("" = fine)
};
ScheduleAssessment assessSchedule(const Session& session, const ChangeRequest& change);

// The lifecycle context of `change` at `now` (borrows session.policy()).
policy::LifecycleContext lifecycleContext(const Session& session, const ChangeRequest& change, TimeUtc now);

// One entry of the validation panel: a problem found by one engine, with
// where to look for its cause.
struct ValidationItem {
    enum class Area { Runbook, Schedule, Impact, Governance };
    Area area = Area::Runbook;
    bool error = false;  // false = warning
    std::string text;
    std::string stepId;  // runbook items about one step
};

struct ChangeAssessment {
    policy::RiskAssessment risk;
    std::vector<policy::RequirementStatus> approvals;
    std::vector<policy::TransitionOption> transitions;
    policy::EmergencyStatus emergency;
    policy::ModelCheck model;
    ScheduleAssessment schedule;
    policy::ImpactFacts impact;
    std::vector<ValidationItem> validation;  // errors first, then warnings
};

ChangeAssessment assessChange(const Session& session, const ChangeRequest& change, TimeUtc now);

// ---- Drift (C10) ------------------------------------------------------------
// An observed configuration imported after implementation is kept with the
// workspace as setting "drift.<change id>" (JSON: observedAt, file, text), so
// that the report can be recomputed and counted in the metrics.

struct DriftObservation {
    std::string changeId;
    TimeUtc observedAt = 0;
    std::string fileName;  // .json or .csv decides the parser
    std::string text;
};

std::string driftSettingKey(const std::string& changeId);
std::string writeDriftObservation(const DriftObservation& observation);
Result<DriftObservation> parseDriftObservation(const std::string& json, const std::string& changeId);

// Parses the observation and compares it with the baseline (the attributes of
// the change's affected CIs and of every observed CI the CMDB knows) plus the
// change's declared changes. Errors name the file, line and column.
Result<policy::DriftReport> driftReport(const Session& session, const ChangeRequest& change,
                                        const DriftObservation& observation);

// Reports of every change with a stored observation (unreadable ones skipped).
std::vector<policy::DriftReport> storedDriftReports(const Session& session);

}  // namespace planner::core
