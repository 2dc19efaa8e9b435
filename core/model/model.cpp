#include "model/model.hpp"

#include <array>
#include <utility>

namespace planner::core {
namespace {

template <typename E, std::size_t N>
const char* nameOf(const std::array<std::pair<E, const char*>, N>& table, E value) {
    for (const auto& [e, name] : table)
        if (e == value) return name;
    return "?";
}

template <typename E, std::size_t N>
std::optional<E> valueOf(const std::array<std::pair<E, const char*>, N>& table, const std::string& s) {
    for (const auto& [e, name] : table)
        if (s == name) return e;
    return std::nullopt;
}

constexpr std::array<std::pair<ChangeType, const char*>, 3> kChangeTypes{{
    {ChangeType::Standard, "standard"}, {ChangeType::Normal, "normal"}, {ChangeType::Emergency, "emergency"}}};

constexpr std::array<std::pair<ChangeState, const char*>, 13> kChangeStates{{
    {ChangeState::Draft, "draft"}, {ChangeState::Submitted, "submitted"}, {ChangeState::Assessed, "assessed"},
    {ChangeState::Authorized, "authorized"}, {ChangeState::Scheduled, "scheduled"},
    {ChangeState::Implementing, "implementing"}, {ChangeState::Completed, "completed"},
    {ChangeState::Failed, "failed"}, {ChangeState::RolledBack, "rolled_back"}, {ChangeState::Reviewed, "reviewed"},
    {ChangeState::Closed, "closed"}, {ChangeState::Cancelled, "cancelled"}, {ChangeState::Rejected, "rejected"}}};

constexpr std::array<std::pair<RiskLevel, const char*>, 4> kRiskLevels{{
    {RiskLevel::Low, "low"}, {RiskLevel::Moderate, "moderate"}, {RiskLevel::High, "high"},
    {RiskLevel::VeryHigh, "very_high"}}};

constexpr std::array<std::pair<Decision, const char*>, 2> kDecisions{{
    {Decision::Approve, "approve"}, {Decision::Reject, "reject"}}};

constexpr std::array<std::pair<WindowKind, const char*>, 2> kWindowKinds{{
    {WindowKind::Maintenance, "maintenance"}, {WindowKind::Freeze, "freeze"}}};

constexpr std::array<std::pair<WindowScope, const char*>, 4> kWindowScopes{{
    {WindowScope::Global, "global"}, {WindowScope::CiType, "ci_type"}, {WindowScope::Ci, "ci"},
    {WindowScope::Service, "service"}}};

constexpr std::array<std::pair<ImpactFlag, const char*>, 2> kImpactFlags{{
    {ImpactFlag::Include, "include"}, {ImpactFlag::Exclude, "exclude"}}};

}  // namespace

const char* toString(ChangeType v) { return nameOf(kChangeTypes, v); }
const char* toString(ChangeState v) { return nameOf(kChangeStates, v); }
const char* toString(RiskLevel v) { return nameOf(kRiskLevels, v); }
const char* toString(Decision v) { return nameOf(kDecisions, v); }
const char* toString(WindowKind v) { return nameOf(kWindowKinds, v); }
const char* toString(WindowScope v) { return nameOf(kWindowScopes, v); }
const char* toString(ImpactFlag v) { return nameOf(kImpactFlags, v); }
std::optional<ChangeType> changeTypeFromString(const std::string& s) { return valueOf(kChangeTypes, s); }
std::optional<ChangeState> changeStateFromString(const std::string& s) { return valueOf(kChangeStates, s); }
std::optional<RiskLevel> riskLevelFromString(const std::string& s) { return valueOf(kRiskLevels, s); }
std::optional<Decision> decisionFromString(const std::string& s) { return valueOf(kDecisions, s); }
std::optional<WindowKind> windowKindFromString(const std::string& s) { return valueOf(kWindowKinds, s); }
std::optional<WindowScope> windowScopeFromString(const std::string& s) { return valueOf(kWindowScopes, s); }
std::optional<ImpactFlag> impactFlagFromString(const std::string& s) { return valueOf(kImpactFlags, s); }

}  // namespace planner::core
