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

struct BundleImportPlan {
    BundleReport report;   // the verification that allowed the plan
    ChangeRequest change;  // as the bundle has it, approvals merged in
    ImportAction changeAction = ImportAction::Add;
    std::vector<ConfigItem> cisToAdd;     // not in the workspace, by id
    std::vector<ConfigItem> cisToUpdate;  // in the workspace with other content (see conflicts), by id
    std::int64_t cisUnchanged = 0;
    std::vector<Relationship> relationshipsToAdd;  // not yet in the workspace, sorted
    std::vector<ImportConflict> conflicts;         // change first, then CIs by id

    bool hasConflicts() const { return !conflicts.empty(); }
};

// Verifies `bundleZip` against `trust`, reads change.json and cmdb-slice.json
// and compares them with `workspace`. Fails (naming what) when verification
// fails, a content file is missing or malformed, or the slice is for another
// change. Reads only.
Result<BundleImportPlan> planBundleImport(std::string_view bundleZip, const TrustStore& trust,
                                          store::Workspace& workspace, const std::string& bundleName = "");

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
