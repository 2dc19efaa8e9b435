// Governance metrics over a period, from a list of changes and drift reports.
// Every value is an integer; rates are per mille (0..1000), rounded half up.
#pragma once

#include "model/model.hpp"
#include "policy/drift.hpp"

#include <cstdint>
#include <vector>

namespace planner::core::policy {

// Half-open period [from, to) in UTC seconds.
struct Period {
    TimeUtc from = 0;
    TimeUtc to = 0;
};

struct WeekCount {
    TimeUtc weekStart = 0;  // from + 7 days * index
    std::int64_t count = 0;
};

struct GovernanceMetrics {
    std::int64_t changes = 0;  // changes whose reference time falls in the period
    std::int64_t standard = 0;
    std::int64_t normal = 0;
    std::int64_t emergency = 0;
    std::int64_t succeeded = 0;
    std::int64_t failed = 0;
    std::int64_t rolledBack = 0;
    std::int64_t successRatePermille = 0;  // succeeded / (succeeded + failed + rolledBack); 0 if none finished
    std::int64_t emergencySharePermille = 0;
    std::int64_t unauthorizedDetected = 0;  // unexpected drift items observed in the period
    std::int64_t driftReportsWithUnauthorized = 0;
    std::int64_t meanTimeToRestoreMinutes = 0;  // over failed / rolled-back reviews with a restore time
    std::int64_t timeToRestoreSamples = 0;
    std::int64_t meanApprovalLeadSeconds = 0;  // creation to last prior (non-retrospective) approval
    std::int64_t approvalLeadSamples = 0;
    std::vector<WeekCount> changesPerWeek;  // one bucket per started week of the period
};

// A change's reference time: its planned start, or its creation time when unplanned.
TimeUtc referenceTime(const ChangeRequest& change);

// Metrics for `period` (from < to). Drift reports count by their observedAt.
GovernanceMetrics computeMetrics(const std::vector<ChangeRequest>& changes, const std::vector<DriftReport>& drift,
                                 const Period& period);

// round(numerator * 1000 / denominator), half up; 0 when denominator is 0.
std::int64_t perMille(std::int64_t numerator, std::int64_t denominator);

}  // namespace planner::core::policy
