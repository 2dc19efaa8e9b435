#include "policy/metrics.hpp"

#include <algorithm>
#include <cassert>

namespace planner::core::policy {
namespace {

constexpr TimeUtc kWeek = 7 * 86400;
constexpr std::int64_t kMaxWeeks = 5300;  // about a century of buckets

enum class Outcome { None, Succeeded, Failed, RolledBack };

Outcome outcomeOf(const ChangeRequest& c) {
    if (c.review) {
        const std::string& o = c.review->outcome;
        if (o == "failed") return Outcome::Failed;
        if (o == "rolled_back") return Outcome::RolledBack;
        if (o == "successful" || o == "successful_with_issues") return Outcome::Succeeded;
    }
    switch (c.state) {
        case ChangeState::Failed:
            return Outcome::Failed;
        case ChangeState::RolledBack:
            return Outcome::RolledBack;
        case ChangeState::Completed:
        case ChangeState::Reviewed:
        case ChangeState::Closed:
            return Outcome::Succeeded;
        default:
            return Outcome::None;
    }
}

std::int64_t meanOf(std::int64_t sum, std::int64_t count) {
    return count > 0 ? sum / count : 0;
}

}  // namespace

std::int64_t perMille(std::int64_t numerator, std::int64_t denominator) {
    if (denominator <= 0) return 0;
    return (numerator * 1000 + denominator / 2) / denominator;
}

TimeUtc referenceTime(const ChangeRequest& change) {
    return change.plannedStart > 0 ? change.plannedStart : change.createdAt;
}

GovernanceMetrics computeMetrics(const std::vector<ChangeRequest>& changes, const std::vector<DriftReport>& drift,
                                 const Period& period) {
    assert(period.from < period.to);
    GovernanceMetrics m;
    const std::int64_t weeks =
        period.to > period.from ? std::min<std::int64_t>((period.to - period.from + kWeek - 1) / kWeek, kMaxWeeks) : 0;
    for (std::int64_t w = 0; w < weeks; ++w) m.changesPerWeek.push_back({period.from + w * kWeek, 0});

    std::int64_t restoreSum = 0, leadSum = 0;
    for (const ChangeRequest& c : changes) {
        const TimeUtc t = referenceTime(c);
        if (t < period.from || t >= period.to) continue;
        ++m.changes;
        if (c.type == ChangeType::Standard) ++m.standard;
        if (c.type == ChangeType::Normal) ++m.normal;
        if (c.type == ChangeType::Emergency) ++m.emergency;
        const std::int64_t week = (t - period.from) / kWeek;
        if (week < static_cast<std::int64_t>(m.changesPerWeek.size()))
            ++m.changesPerWeek[static_cast<std::size_t>(week)].count;
        switch (outcomeOf(c)) {
            case Outcome::Succeeded:
                ++m.succeeded;
                break;
            case Outcome::Failed:
                ++m.failed;
                break;
            case Outcome::RolledBack:
                ++m.rolledBack;
                break;
            case Outcome::None:
                break;
        }
        if (c.review && (c.review->outcome == "failed" || c.review->outcome == "rolled_back") &&
            c.review->timeToRestore > 0) {
            restoreSum += c.review->timeToRestore;
            ++m.timeToRestoreSamples;
        }
        TimeUtc lastApproval = 0;
        for (const Approval& a : c.approvals)
            if (a.decision == Decision::Approve && !a.retrospective) lastApproval = std::max(lastApproval, a.at);
        if (c.createdAt > 0 && lastApproval >= c.createdAt) {
            leadSum += lastApproval - c.createdAt;
            ++m.approvalLeadSamples;
        }
    }
    for (const DriftReport& r : drift) {
        if (r.observedAt < period.from || r.observedAt >= period.to) continue;
        m.unauthorizedDetected += r.unexpected;
        if (r.unexpected > 0) ++m.driftReportsWithUnauthorized;
    }
    m.successRatePermille = perMille(m.succeeded, m.succeeded + m.failed + m.rolledBack);
    m.emergencySharePermille = perMille(m.emergency, m.changes);
    m.meanTimeToRestoreMinutes = meanOf(restoreSum, m.timeToRestoreSamples);
    m.meanApprovalLeadSeconds = meanOf(leadSum, m.approvalLeadSamples);
    return m;
}

}  // namespace planner::core::policy
