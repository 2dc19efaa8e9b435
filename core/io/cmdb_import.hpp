// CMDB import: our CI and relationship CSV templates, our JSON template,
// ServiceNow cmdb_ci and cmdb_rel_ci list exports (CSV) and plain edge lists
// (docs/import-templates.md). Sources are parsed completely (streaming, with
// progress and cancel), validated together, then written in one transaction
// with one audit row: a failed or cancelled import changes nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "store/workspace.hpp"
#include "util/result.hpp"

namespace planner::core::io {

// Most CIs and relationships one import accepts (all sources together): far
// above real CMDBs (a Linux distribution's 63k packages and 244k
// dependencies), and below what the 32-bit CI numbers and a browser tab's
// memory can hold.
inline constexpr std::size_t kMaxImportCis = 5'000'000;
inline constexpr std::size_t kMaxImportRelationships = 20'000'000;

enum class CmdbFormat {
    CiCsv,             // our CI template (header: id,name,type,owner,team,tier,environment,location,tags,attr:*)
    RelationshipCsv,   // our relationship template (header: from,to,type)
    Json,              // our JSON template {"schemaVersion":1,"cis":[...],"relationships":[...]}
    ServiceNowCiCsv,   // cmdb_ci list export (sys_id, name, sys_class_name, ...)
    ServiceNowRelCsv,  // cmdb_rel_ci list export (parent, child, type "Depends on::Used by")
    EdgeList           // from,to[,type] lines, optional header
};

// One input. Reads `path` in chunks when it is set, else `content`.
struct CmdbSource {
    CmdbFormat format = CmdbFormat::CiCsv;
    std::string name;      // as the user knows it, used in messages
    std::string path;
    std::string content;
};

struct ImportOptions {
    store::CmdbWriteMode mode = store::CmdbWriteMode::Replace;
    store::ProgressFn progress;   // units: bytes parsed then rows written, in one 0..total range
    std::string actor = "import";
    std::int64_t atUtc = 0;       // audit time (UTC seconds)
};

// A fully parsed CMDB ready to write: no duplicate CI ids, relationships
// deduplicated, every relationship end known.
struct ParsedCmdb {
    std::vector<ConfigItem> cis;
    std::vector<Relationship> relationships;
    std::vector<Error> warnings;   // duplicates dropped, and similar
};

struct ImportSummary {
    std::int64_t cis = 0;
    std::int64_t relationships = 0;
    std::vector<Error> warnings;
};

// Relationship types we know; anything else is an import error.
const std::vector<std::string>& knownRelationshipTypes();

// Parses and validates `sources` against `existingIds` (CIs already in the
// workspace that relationships may reference, i.e. a merge). Progress counts
// bytes; cancelling returns an error.
Result<ParsedCmdb> parseCmdb(const std::vector<CmdbSource>& sources, const std::vector<ConfigItem>& existing,
                             const store::ProgressFn& progress = {});

// An import done in slices, so that a UI can draw progress and offer Cancel
// between them: each source is read in one slice, then everything is
// validated, rows are written in batches inside one held transaction
// (Workspace::holdTransaction), indexes are rebuilt, and the audit row and the
// commit come last. Until then nothing is visible; an error, cancel() or
// destroying an unfinished job rolls everything back. Other writes to the
// workspace are refused while the job runs.
class CmdbImportJob {
public:
    CmdbImportJob(store::Workspace& workspace, std::vector<CmdbSource> sources, ImportOptions options = {});
    ~CmdbImportJob();
    CmdbImportJob(const CmdbImportJob&) = delete;
    CmdbImportJob& operator=(const CmdbImportJob&) = delete;

    // Runs slices until `budgetMs` has passed (at least one). true once the
    // import is committed; an error (also "import cancelled") ends the job
    // with the workspace unchanged.
    Result<bool> step(double budgetMs);
    // Asks the job to stop; the next step() rolls back and reports it.
    void cancel();
    bool finished() const;
    double fraction() const;              // 0..1, for a progress bar
    const std::string& phase() const;     // what it is doing, e.g. "Writing rows: 4096 of 500000"
    const ImportSummary& summary() const; // once finished

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// Parses, validates and writes `sources` into `workspace` (Replace or Merge)
// plus one audit row of kind "import" with a summary; all or nothing. Runs a
// CmdbImportJob to completion.
Result<ImportSummary> importCmdb(store::Workspace& workspace, const std::vector<CmdbSource>& sources,
                                 const ImportOptions& options = {});

}  // namespace planner::core::io
