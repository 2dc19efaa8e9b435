// A working session on one workspace: the open store, its undo/redo history,
// and an in-memory copy of the workspace that the UI reads. Every edit goes
// through execute() as a command; the copy is refreshed from the store after
// each commit, and the caller learns which files must be persisted.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "command/command_stack.hpp"
#include "graph/cmdb_graph.hpp"
#include "graph/impact.hpp"
#include "policy/policy.hpp"
#include "store/workspace.hpp"
#include "util/result.hpp"

namespace planner::core {

class Session {
public:
    // Opens workspace `name` in `dir`; when it does not exist and `createDemo`
    // is set, creates it filled with the demo workspace built around `now`.
    // `readOnly` opens without writing (another tab holds the workspace).
    static Result<std::unique_ptr<Session>> open(const std::string& dir, const std::string& name,
                                                 const std::string& actor, TimeUtc now, bool createDemo, bool readOnly);

    const WorkspaceData& data() const { return m_data; }
    store::Workspace& workspace() { return m_workspace; }
    const store::Workspace& workspace() const { return m_workspace; }
    bool readOnly() const { return m_workspace.readOnly(); }

    // Applies an edit (undoable), audits it and refreshes data(). Fails without
    // changing anything when the workspace is read-only or the command does not apply.
    Result<store::DirtyFiles> execute(command::Command command);
    Result<store::DirtyFiles> undo();
    Result<store::DirtyFiles> redo();
    bool canUndo() const { return m_stack.canUndo(); }
    bool canRedo() const { return m_stack.canRedo(); }
    // "Undo <what>" texts for menus; "" when nothing to undo / redo.
    std::string undoText() const;

    // Runs a bulk change that is not a command (an import applied by the store
    // in one audited transaction), then reloads. It cannot be undone; the undo
    // history is cleared, since its commands may no longer apply.
    Result<store::DirtyFiles> applyBulk(const std::function<Status(store::Workspace&)>& body);
    // The same after a bulk change already committed on workspace() (an
    // import job run in slices): clears the undo history and reloads.
    Result<store::DirtyFiles> bulkApplied();
    std::string redoText() const;

    // The newest audit rows, newest last (at most `limit`).
    const std::vector<store::AuditRow>& recentAudit() const { return m_audit; }

    // The workspace's policy (stored under kPolicyId, else the shipped default),
    // and why a stored policy was not used ("" when it was, or none is stored).
    static constexpr const char* kPolicyId = "default";
    const policy::Policy& policy() const { return m_policy; }
    const std::string& policyProblem() const { return m_policyProblem; }
    // The stored policy document, "" when the shipped default applies.
    const std::string& storedPolicyJson() const { return m_policyJson; }

    // Workspace settings (key -> value) as of the last reload.
    const std::map<std::string, std::string>& settings() const { return m_settings; }

    const ChangeRequest* findChange(const std::string& id) const;
    const ConfigItem* findCi(const std::string& id) const;

    // Revisions grow by one each time the main file's data (changes, windows,
    // people) or the CMDB is reloaded: views cache derived results by them.
    std::uint64_t mainRevision() const { return m_mainRevision; }
    std::uint64_t cmdbRevision() const { return m_cmdbRevision; }

    // The CMDB as a graph, built on first use after each CMDB reload.
    const graph::CmdbGraph& cmdbGraph() const;
    // Impact set of a change (affected CIs, its manual flags, both directions,
    // unlimited depth), cached until the change or the CMDB changes.
    const graph::ImpactResult& impactOf(const ChangeRequest& change) const;

private:
    Session(store::Workspace workspace, const std::string& actor);
    Status reload(const store::DirtyFiles& dirty);
    Result<store::DirtyFiles> after(Result<store::DirtyFiles> result);

    store::Workspace m_workspace;
    command::CommandStack m_stack;
    WorkspaceData m_data;
    std::vector<store::AuditRow> m_audit;
    std::map<std::string, std::string> m_settings;
    policy::Policy m_policy;
    std::string m_policyProblem;
    std::string m_policyJson;
    std::uint64_t m_mainRevision = 0;
    std::uint64_t m_cmdbRevision = 0;
    mutable std::unique_ptr<graph::CmdbGraph> m_graph;
    mutable std::uint64_t m_graphRevision = 0;
    mutable std::unique_ptr<graph::ImpactAnalyzer> m_analyzer;
    struct CachedImpact {
        ChangeRequest change;
        std::uint64_t cmdbRevision = 0;
        graph::ImpactResult result;
    };
    mutable std::vector<CachedImpact> m_impacts;
};

}  // namespace planner::core
