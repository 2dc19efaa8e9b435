#include "session/session.hpp"

#include <algorithm>

#include "demo/demo_workspace.hpp"
#include "store/workspace_files.hpp"

namespace planner::core {
namespace {

constexpr std::int64_t kAuditShown = 200;

Status fillDemo(store::Workspace& ws, TimeUtc now, const std::string& actor) {
    WorkspaceData demo = generateDemoWorkspace(now);
    return ws.transaction([&]() -> Status {
        if (auto s = ws.writeCmdb(demo.cis, demo.relationships, store::CmdbWriteMode::Replace); !s) return s;
        for (const auto& p : demo.people)
            if (auto s = ws.putPerson(p); !s) return s;
        for (const auto& w : demo.windows)
            if (auto s = ws.putWindow(w); !s) return s;
        for (const auto& c : demo.changes)
            if (auto s = ws.putChange(c); !s) return s;
        if (auto s = ws.putSetting("workspace.title", demo.name); !s) return s;
        auto row = ws.appendAudit(now, actor, "create",
                                  "{\"demo\":true,\"cis\":" + std::to_string(demo.cis.size()) +
                                      ",\"changes\":" + std::to_string(demo.changes.size()) + "}");
        if (!row) return row.error();
        return okStatus();
    });
}

}  // namespace

Session::Session(store::Workspace workspace, const std::string& actor)
    : m_workspace(std::move(workspace)), m_stack(m_workspace, actor) {}

Result<std::unique_ptr<Session>> Session::open(const std::string& dir, const std::string& name,
                                               const std::string& actor, TimeUtc now, bool createDemo, bool readOnly) {
    auto existing = store::listWorkspaces(dir);
    if (!existing) return existing.error();
    const bool exists = std::find(existing->begin(), existing->end(), name) != existing->end();
    if (!exists) {
        if (!createDemo) return Error{"workspace \"" + name + "\" does not exist in " + dir};
        if (readOnly) return Error{"workspace \"" + name + "\" does not exist yet and cannot be created read-only"};
        auto created = store::Workspace::create(dir, name);
        if (!created) return created.error();
        if (auto s = fillDemo(*created, now, actor); !s) return s.error();
    }
    store::OpenOptions options;
    options.readOnly = readOnly;
    auto ws = store::Workspace::open(dir, name, options);
    if (!ws) return ws.error();
    std::unique_ptr<Session> session(new Session(std::move(*ws), actor));
    if (auto s = session->reload(store::DirtyFiles{true, true}); !s) return s.error();
    return session;
}

Status Session::reload(const store::DirtyFiles& dirty) {
    if (dirty.main) {
        auto changes = m_workspace.changes();
        if (!changes) return changes.error();
        auto windows = m_workspace.windows();
        if (!windows) return windows.error();
        auto people = m_workspace.people();
        if (!people) return people.error();
        auto title = m_workspace.setting("workspace.title");
        if (!title) return title.error();
        ++m_mainRevision;
        m_data.changes = std::move(*changes);
        m_data.windows = std::move(*windows);
        m_data.people = std::move(*people);
        m_data.name = title->value_or(m_workspace.name());
        auto settings = m_workspace.settings();
        if (!settings) return settings.error();
        m_settings = std::move(*settings);
        auto policies = m_workspace.policies();
        if (!policies) return policies.error();
        m_policyProblem.clear();
        m_policyJson.clear();
        m_policy = policy::defaultPolicy();
        if (auto it = policies->find(kPolicyId); it != policies->end()) {
            m_policyJson = it->second;
            auto parsed = policy::parsePolicy(it->second, "stored policy");
            if (parsed)
                m_policy = std::move(*parsed);
            else
                m_policyProblem = parsed.error().toString() + " (the shipped default policy applies)";
        }
        const std::int64_t next = m_audit.empty() ? 1 : m_audit.back().seq + 1;
        auto fresh = m_workspace.auditRows(next);
        if (!fresh) return fresh.error();
        m_audit.insert(m_audit.end(), fresh->begin(), fresh->end());
        if (static_cast<std::int64_t>(m_audit.size()) > kAuditShown)
            m_audit.erase(m_audit.begin(), m_audit.end() - kAuditShown);
    }
    if (dirty.cmdb) {
        auto cis = m_workspace.cis();
        if (!cis) return cis.error();
        auto rels = m_workspace.relationships();
        if (!rels) return rels.error();
        ++m_cmdbRevision;
        m_data.cis = std::move(*cis);
        m_data.relationships = std::move(*rels);
    }
    return okStatus();
}

Result<store::DirtyFiles> Session::after(Result<store::DirtyFiles> result) {
    if (!result) return result;
    store::DirtyFiles refresh = *result;
    refresh.main = true;  // the audit trail lives in the main file
    if (auto s = reload(refresh); !s) return s.error();
    return result;
}

Result<store::DirtyFiles> Session::execute(command::Command command) {
    if (readOnly()) return Error{"this workspace is open read-only (another tab is editing it)"};
    return after(m_stack.execute(std::move(command)));
}

Result<store::DirtyFiles> Session::undo() {
    if (readOnly()) return Error{"this workspace is open read-only (another tab is editing it)"};
    return after(m_stack.undo());
}

Result<store::DirtyFiles> Session::redo() {
    if (readOnly()) return Error{"this workspace is open read-only (another tab is editing it)"};
    return after(m_stack.redo());
}

Result<store::DirtyFiles> Session::applyBulk(const std::function<Status(store::Workspace&)>& body) {
    if (readOnly()) return Error{"this workspace is open read-only (another tab is editing it)"};
    if (auto st = body(m_workspace); !st) return st.error();
    return bulkApplied();
}

Result<store::DirtyFiles> Session::bulkApplied() {
    m_stack.clear();
    const store::DirtyFiles all{true, true};
    if (auto st = reload(all); !st) return st.error();
    return all;
}

std::string Session::undoText() const {
    const command::Command* c = m_stack.nextUndo();
    return c ? "Undo " + command::describe(*c) : "";
}

std::string Session::redoText() const {
    const command::Command* c = m_stack.nextRedo();
    return c ? "Redo " + command::describe(*c) : "";
}

const ChangeRequest* Session::findChange(const std::string& id) const {
    for (const auto& c : m_data.changes)
        if (c.id == id) return &c;
    return nullptr;
}

const graph::CmdbGraph& Session::cmdbGraph() const {
    if (!m_graph || m_graphRevision != m_cmdbRevision) {
        m_analyzer.reset();
        m_impacts.clear();
        m_graph = std::make_unique<graph::CmdbGraph>(graph::CmdbGraph::build(m_data.cis, m_data.relationships));
        m_graphRevision = m_cmdbRevision;
    }
    return *m_graph;
}

const graph::ImpactResult& Session::impactOf(const ChangeRequest& change) const {
    const graph::CmdbGraph& g = cmdbGraph();
    for (auto& cached : m_impacts)
        if (cached.cmdbRevision == m_cmdbRevision && cached.change.id == change.id &&
            cached.change.affectedCis == change.affectedCis && cached.change.impactFlags == change.impactFlags)
            return cached.result;
    if (!m_analyzer) m_analyzer = std::make_unique<graph::ImpactAnalyzer>(g);
    graph::ImpactOptions options;
    options.flags = change.impactFlags;
    if (m_impacts.size() >= 32) m_impacts.erase(m_impacts.begin());
    m_impacts.push_back(CachedImpact{change, m_cmdbRevision, m_analyzer->analyze(change.affectedCis, options)});
    return m_impacts.back().result;
}

const ConfigItem* Session::findCi(const std::string& id) const {
    for (const auto& c : m_data.cis)
        if (c.id == id) return &c;
    return nullptr;
}

}  // namespace planner::core
