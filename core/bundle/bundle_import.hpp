// Importing a verified bundle into a workspace: its change (with the valid
// approval signatures added as approvals) and its CMDB slice are compared with
// the workspace, giving a plan of what would be added or updated and the
// conflicts; the plan is then applied in one transaction with one audit row.
// A bundle that fails verification is never planned, hence never imported.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bundle/bundle.hpp"
#include "model/model.hpp"
#include "policy/approvals.hpp"
#include "policy/policy.hpp"
#include "store/workspace.hpp"
#include "util/result.hpp"

namespace planner::core::bundle {

enum class ImportAction { Add, Update, Unchanged };

// An entry the bundle and the workspace hold with different content.
struct ImportConflict {
    std::string kind;  // "change" or "ci"
    std::string id;
    std::vector<std::string> fields;  // model field names that differ, sorted
};

// The trust store as the people who may approve: one person per trusted key,
// id = the key's identity (person id, else name), its roles ("*" = every role
// the policy's approval rules name; an author-only key has none).
std::vector<Person> trustedPeople(const TrustStore& trust, const policy::Policy& policy);

// The policy's required approvals of `change` evaluated against
// change.approvals, which the caller sets to approvalsFromReport(...) (the
// only approvals that count); separation of duties is checked against trust
// store identities.
struct VerifiedApprovals {
    std::string risk;
    std::vector<policy::RequirementStatus> requirements;
    bool satisfied = true;  // every requirement is satisfied
    bool rejected = false;  // some requirement can no longer be satisfied
};
VerifiedApprovals checkVerifiedApprovals(const policy::Policy& policy, const ChangeRequest& change,
                                         const std::vector<ConfigItem>& impactedCis, const TrustStore& trust);

struct BundleImportPlan {
    BundleReport report;   // the verification that allowed the plan
    ChangeRequest change;  // as the bundle has it; approvals = the verified ones only, state derived from them
    ChangeState claimedState = ChangeState::Draft;  // the state change.json claims
    std::vector<std::string> notes;  // what was not taken as written (unsigned approvals, a state not backed)
    ImportAction changeAction = ImportAction::Add;
    std::vector<ConfigItem> cisToAdd;     // not in the workspace, by id
    std::vector<ConfigItem> cisToUpdate;  // in the workspace with other content (see conflicts), by id
    std::int64_t cisUnchanged = 0;
    std::vector<Relationship> relationshipsToAdd;  // not yet in the workspace, sorted
    std::vector<ImportConflict> conflicts;         // change first, then CIs by id

    bool hasConflicts() const { return !conflicts.empty(); }
};

// Verifies `bundleZip` against `trust`, reads change.json and cmdb-slice.json
// and compares them with `workspace`. The change's approvals are replaced by
// the verified approval signatures (those written in change.json are never
// imported), and its state follows from them under the workspace's policy: a
// state past authorization that the verified approvals do not back becomes
// "assessed" (an emergency change may owe retrospective approvals), a
// requirement rejected by signature makes it "rejected". Fails (naming what)
// when verification fails, a content file is missing or malformed, or the
// slice is for another change. Reads only.
Result<BundleImportPlan> planBundleImport(std::string_view bundleZip, const TrustStore& trust,
                                          store::Workspace& workspace, const std::string& bundleName = "",
                                          std::optional<TimeUtc> now = std::nullopt);

// What to do with conflicting entries when applying.
enum class ConflictResolution {
    Refuse,         // any conflict fails the import; nothing changes
    KeepWorkspace,  // conflicting entries keep the workspace's content; the rest is imported
    TakeBundle      // conflicting entries are replaced by the bundle's content
};

struct BundleImportSummary {
    bool changeWritten = false;
    std::int64_t cisAdded = 0, cisUpdated = 0, relationshipsAdded = 0;
    std::int64_t conflictsKept = 0;  // conflicts resolved in the workspace's favour
};

// Applies a plan made by planBundleImport against the same, unchanged
// workspace, in one transaction with one audit row of kind "import"
// (`actor`, `atUtc`). All or nothing.
Result<BundleImportSummary> applyBundleImport(store::Workspace& workspace, const BundleImportPlan& plan,
                                              ConflictResolution resolution, const std::string& actor, TimeUtc atUtc);

const char* toString(ImportAction);

}  // namespace planner::core::bundle
