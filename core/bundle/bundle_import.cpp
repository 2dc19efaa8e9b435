#include "bundle/bundle_import.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "bundle/bundle_content.hpp"
#include "command/command.hpp"
#include "io/export_change.hpp"
#include "policy/risk.hpp"

namespace planner::core::bundle {
namespace {

Error fail(std::string message, std::string file = {}) {
    return Error{std::move(message), std::move(file), 0, 0};
}

// Model field names in which two versions of a change differ, sorted.
std::vector<std::string> changeDifferences(const ChangeRequest& a, const ChangeRequest& b) {
    std::vector<std::string> out;
    for (const std::string& f : command::changeFieldNames()) {
        auto x = command::changeField(a, f), y = command::changeField(b, f);
        if (!x || !y || *x != *y) out.push_back(f);
    }
    if (a.state != b.state) out.push_back("state");
    if (a.affectedCis != b.affectedCis) out.push_back("affectedCis");
    if (a.impactFlags != b.impactFlags) out.push_back("impactFlags");
    if (a.steps != b.steps) out.push_back("steps");
    if (a.questionnaire != b.questionnaire) out.push_back("questionnaire");
    if (a.approvals != b.approvals) out.push_back("approvals");
    if (a.declaredChanges != b.declaredChanges) out.push_back("declaredChanges");
    if (a.review != b.review) out.push_back("review");
    if (a.createdAt != b.createdAt) out.push_back("createdAt");
    if (a.updatedAt != b.updatedAt) out.push_back("updatedAt");
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> ciDifferences(const ConfigItem& a, const ConfigItem& b) {
    std::vector<std::string> out;
    if (a.name != b.name) out.push_back("name");
    if (a.type != b.type) out.push_back("type");
    if (a.owner != b.owner) out.push_back("owner");
    if (a.team != b.team) out.push_back("team");
    if (a.tier != b.tier) out.push_back("tier");
    if (a.environment != b.environment) out.push_back("environment");
    if (a.location != b.location) out.push_back("location");
    if (a.tags != b.tags) out.push_back("tags");
    std::set<std::string> keys;
    for (const auto& [k, v] : a.attributes) keys.insert(k);
    for (const auto& [k, v] : b.attributes) keys.insert(k);
    for (const std::string& k : keys) {
        auto x = a.attributes.find(k), y = b.attributes.find(k);
        if (x == a.attributes.end() || y == b.attributes.end() || x->second != y->second) {
            out.push_back("attributes." + k);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

// The workspace's stored policy, else the shipped default (as the session does).
policy::Policy workspacePolicy(store::Workspace& workspace) {
    if (auto policies = workspace.policies()) {
        if (auto it = policies->find("default"); it != policies->end()) {
            if (auto parsed = policy::parsePolicy(it->second, "stored policy")) return std::move(*parsed);
        }
    }
    return policy::defaultPolicy();
}

}  // namespace

std::vector<Person> trustedPeople(const TrustStore& trust, const policy::Policy& policy) {
    std::vector<std::string> allRoles;
    for (const auto& rule : policy.approvalRules) {
        if (std::find(allRoles.begin(), allRoles.end(), rule.role) == allRoles.end()) allRoles.push_back(rule.role);
    }
    std::vector<Person> people;
    for (const TrustedKey& t : trust) {
        const std::string& id = t.identity();
        auto same = std::find_if(people.begin(), people.end(), [&](const Person& p) { return p.id == id; });
        if (same == people.end()) {
            Person p;
            p.id = id;
            p.name = t.name;
            people.push_back(std::move(p));
            same = people.end() - 1;
        }
        for (const std::string& r : t.anyRole ? allRoles : t.roles) {
            if (std::find(same->roles.begin(), same->roles.end(), r) == same->roles.end()) same->roles.push_back(r);
        }
    }
    return people;
}

VerifiedApprovals checkVerifiedApprovals(const policy::Policy& policy, const ChangeRequest& change,
                                         const std::vector<ConfigItem>& impactedCis, const TrustStore& trust) {
    policy::RiskInputs inputs;
    inputs.impact = policy::impactFactsFrom(impactedCis);
    const auto risk = policy::assessRisk(policy, change, inputs);
    VerifiedApprovals out;
    out.risk = toString(risk.level);
    const auto reqs = policy::requiredApprovals(policy, change, risk.level, inputs.impact, trustedPeople(trust, policy));
    out.requirements = policy::evaluateApprovals(policy, change, reqs);
    for (const auto& r : out.requirements) {
        if (r.state != policy::RequirementState::Satisfied) out.satisfied = false;
        if (r.state == policy::RequirementState::Rejected) out.rejected = true;
    }
    return out;
}

const char* toString(ImportAction a) {
    switch (a) {
        case ImportAction::Add:
            return "add";
        case ImportAction::Update:
            return "update";
        case ImportAction::Unchanged:
            return "unchanged";
    }
    return "?";
}

Result<BundleImportPlan> planBundleImport(std::string_view bundleZip, const TrustStore& trust,
                                          store::Workspace& workspace, const std::string& bundleName,
                                          std::optional<TimeUtc> now) {
    BundleImportPlan plan;
    OpenedBundle opened = openBundle(bundleZip, trust, {}, bundleName, now);
    plan.report = opened.report;
    if (!plan.report.importable) return fail(failedVerificationMessage(plan.report), bundleName);
    const ZipFiles signedContent = takeSignedContent(opened);
    const ZipFiles* content = &signedContent;
    const std::string where = bundleName.empty() ? std::string() : bundleName + ": ";
    auto changeIt = content->find("change.json");
    auto sliceIt = content->find("cmdb-slice.json");
    if (changeIt == content->end()) return fail(where + "the bundle has no signed change.json", bundleName);
    if (sliceIt == content->end()) return fail(where + "the bundle has no signed cmdb-slice.json", bundleName);
    auto change = io::parseChangeDocument(changeIt->second, where + "change.json");
    if (!change) return change.error();
    auto slice = io::parseCmdbSlice(sliceIt->second, where + "cmdb-slice.json");
    if (!slice) return slice.error();
    if (change->id != plan.report.changeId) {
        return fail(where + "change.json is for " + change->id + " but the author signed " + plan.report.changeId,
                    bundleName);
    }
    if (slice->change != change->id) {
        return fail(where + "cmdb-slice.json is for " + slice->change + ", not " + change->id, bundleName);
    }
    plan.change = std::move(*change);
    plan.claimedState = plan.change.state;
    // One source of truth: only verified approval signatures count.
    if (!plan.change.approvals.empty()) {
        plan.notes.push_back(std::to_string(plan.change.approvals.size()) +
                             " approval(s) written in change.json are unsigned and were not imported");
    }
    plan.change.approvals = approvalsFromReport(plan.report);
    const policy::Policy pol = workspacePolicy(workspace);
    const VerifiedApprovals check = checkVerifiedApprovals(pol, plan.change, slice->cis, trust);
    const ChangeState claimed = plan.change.state;
    if (check.rejected && claimed != ChangeState::Cancelled && claimed != ChangeState::Rejected) {
        plan.change.state = ChangeState::Rejected;
    } else if (pastAuthorization(claimed) && !check.satisfied) {
        // An emergency change may be implemented first and approved retrospectively.
        bool owesOnlyRetrospective = plan.change.type == ChangeType::Emergency && claimed != ChangeState::Authorized &&
                                     claimed != ChangeState::Scheduled;
        for (const auto& r : check.requirements) {
            if (r.state != policy::RequirementState::Satisfied && !r.requirement.retrospective) {
                owesOnlyRetrospective = false;
            }
        }
        if (!owesOnlyRetrospective) plan.change.state = ChangeState::Assessed;
    }
    if (plan.change.state != claimed) {
        plan.notes.push_back(std::string("change.json says state ") + toString(claimed) +
                             ", which the verified approvals do not back: imported as " +
                             toString(plan.change.state));
    }

    auto existing = workspace.findChange(plan.change.id);
    if (!existing) return existing.error();
    if (!*existing) {
        plan.changeAction = ImportAction::Add;
    } else if (**existing == plan.change) {
        plan.changeAction = ImportAction::Unchanged;
    } else {
        plan.changeAction = ImportAction::Update;
        plan.conflicts.push_back({"change", plan.change.id, changeDifferences(**existing, plan.change)});
    }

    std::vector<ConfigItem> ciConflicts;
    for (const ConfigItem& ci : slice->cis) {
        auto found = workspace.findCi(ci.id);
        if (!found) return found.error();
        if (!*found) {
            plan.cisToAdd.push_back(ci);
        } else if (**found == ci) {
            ++plan.cisUnchanged;
        } else {
            plan.cisToUpdate.push_back(ci);
            plan.conflicts.push_back({"ci", ci.id, ciDifferences(**found, ci)});
        }
    }
    std::set<std::tuple<std::string, std::string, std::string>> known;
    for (const ConfigItem& ci : slice->cis) {
        auto rels = workspace.relationshipsOf(ci.id);
        if (!rels) return rels.error();
        for (const Relationship& r : *rels) known.emplace(r.from, r.to, r.type);
    }
    for (const Relationship& r : slice->relationships) {
        if (!known.count({r.from, r.to, r.type})) plan.relationshipsToAdd.push_back(r);
    }
    return plan;
}

Result<BundleImportSummary> applyBundleImport(store::Workspace& workspace, const BundleImportPlan& plan,
                                              ConflictResolution resolution, const std::string& actor, TimeUtc atUtc) {
    if (workspace.readOnly()) return fail("the workspace is open read-only");
    if (resolution == ConflictResolution::Refuse && plan.hasConflicts()) {
        std::string message = "the bundle conflicts with the workspace (" + std::to_string(plan.conflicts.size()) +
                              " conflicts); nothing was imported:";
        for (const ImportConflict& c : plan.conflicts) message += "\n  " + c.kind + " " + c.id;
        return fail(message);
    }
    const bool take = resolution == ConflictResolution::TakeBundle;
    BundleImportSummary summary;
    Status st = workspace.transaction([&]() -> Status {
        for (const ConfigItem& ci : plan.cisToAdd) {
            if (auto s = workspace.putCi(ci); !s) return s;
            ++summary.cisAdded;
        }
        for (const ConfigItem& ci : plan.cisToUpdate) {
            if (take) {
                if (auto s = workspace.putCi(ci); !s) return s;
                ++summary.cisUpdated;
            } else {
                ++summary.conflictsKept;
            }
        }
        for (const Relationship& r : plan.relationshipsToAdd) {
            if (auto s = workspace.putRelationship(r); !s) return s;
            ++summary.relationshipsAdded;
        }
        if (plan.changeAction == ImportAction::Add || (plan.changeAction == ImportAction::Update && take)) {
            if (auto s = workspace.putChange(plan.change); !s) return s;
            summary.changeWritten = true;
        } else if (plan.changeAction == ImportAction::Update) {
            ++summary.conflictsKept;
        }
        rapidjson::StringBuffer buf;
        rapidjson::Writer<rapidjson::StringBuffer> w(buf);
        w.StartObject();
        w.Key("source");
        w.String("bundle");
        w.Key("change");
        w.String(plan.change.id.c_str());
        w.Key("changeWritten");
        w.Bool(summary.changeWritten);
        w.Key("cisAdded");
        w.Int64(summary.cisAdded);
        w.Key("cisUpdated");
        w.Int64(summary.cisUpdated);
        w.Key("relationshipsAdded");
        w.Int64(summary.relationshipsAdded);
        w.Key("conflictsKept");
        w.Int64(summary.conflictsKept);
        w.EndObject();
        auto row = workspace.appendAudit(atUtc, actor, "import", std::string(buf.GetString(), buf.GetSize()));
        if (!row) return row.error();
        return okStatus();
    });
    if (!st) return st.error();
    return summary;
}

}  // namespace planner::core::bundle
