// Immutable, compact view of a CMDB for graph queries: CSR adjacency in both
// directions, interned relationship types and CI attributes, id <-> index
// maps and the strongly connected components. Built once per CMDB version.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/model.hpp"

namespace planner::core::graph {

using NodeIndex = std::uint32_t;
using TypeId = std::uint16_t;
inline constexpr NodeIndex kNoNode = 0xFFFFFFFFu;

// A contiguous run of neighbours with the relationship type of each edge.
struct Neighbours {
    const NodeIndex* nodes = nullptr;
    const TypeId* types = nullptr;
    std::uint32_t count = 0;
};

class CmdbGraph {
public:
    CmdbGraph() = default;
    CmdbGraph(CmdbGraph&&) = default;
    CmdbGraph& operator=(CmdbGraph&&) = default;
    CmdbGraph(const CmdbGraph&) = delete;  // the id index holds views into m_ids
    CmdbGraph& operator=(const CmdbGraph&) = delete;

    // Builds the graph. Relationships naming an unknown CI are skipped and
    // counted in skippedRelationships(); duplicate CI ids keep the first CI.
    static CmdbGraph build(const std::vector<ConfigItem>& cis, const std::vector<Relationship>& relationships);

    std::uint32_t nodeCount() const { return static_cast<std::uint32_t>(m_ids.size()); }
    std::uint32_t edgeCount() const { return static_cast<std::uint32_t>(m_outTargets.size()); }
    std::uint32_t skippedRelationships() const { return m_skipped; }

    std::optional<NodeIndex> indexOf(std::string_view id) const;
    const std::string& idOf(NodeIndex n) const { return m_ids[n]; }
    const std::string& nameOf(NodeIndex n) const { return m_names[n]; }
    const std::string& typeOf(NodeIndex n) const { return m_ciTypes[m_ciType[n]]; }
    const std::string& ownerOf(NodeIndex n) const { return m_owners[m_owner[n]]; }
    const std::string& teamOf(NodeIndex n) const { return m_teams[m_team[n]]; }
    int tierOf(NodeIndex n) const { return m_tier[n]; }
    bool isBusinessService(NodeIndex n) const { return m_ciType[n] == m_serviceType; }

    // Interned ids of CI type, owner and team (dense, 0-based).
    std::uint32_t ciTypeId(NodeIndex n) const { return m_ciType[n]; }
    std::uint32_t ownerId(NodeIndex n) const { return m_owner[n]; }
    std::uint32_t teamId(NodeIndex n) const { return m_team[n]; }
    const std::vector<std::string>& ciTypeNames() const { return m_ciTypes; }
    const std::vector<std::string>& ownerNames() const { return m_owners; }
    const std::vector<std::string>& teamNames() const { return m_teams; }

    // Relationship types seen, indexed by TypeId.
    const std::vector<std::string>& relationshipTypes() const { return m_relTypes; }
    std::optional<TypeId> relationshipTypeId(std::string_view type) const;

    // What n depends on (edges n -> x) and what depends on n (edges x -> n).
    Neighbours dependencies(NodeIndex n) const {
        return {m_outTargets.data() + m_outOffsets[n], m_outTypes.data() + m_outOffsets[n],
                m_outOffsets[n + 1] - m_outOffsets[n]};
    }
    Neighbours dependents(NodeIndex n) const {
        return {m_inSources.data() + m_inOffsets[n], m_inTypes.data() + m_inOffsets[n],
                m_inOffsets[n + 1] - m_inOffsets[n]};
    }

    // Strongly connected components: every node has a component id; only
    // components with more than one node or a self-loop are cycles.
    std::uint32_t componentOf(NodeIndex n) const { return m_component[n]; }
    bool inCycle(NodeIndex n) const { return m_cyclic[m_component[n]] != 0; }
    // Members of a component, sorted by index.
    std::vector<NodeIndex> componentMembers(std::uint32_t component) const;
    // Every cyclic component, each as its sorted members, ordered by first member.
    std::vector<std::vector<NodeIndex>> cycles() const;

private:
    std::vector<std::string> m_ids, m_names;
    std::unordered_map<std::string_view, NodeIndex> m_index;  // views into m_ids
    std::vector<std::uint32_t> m_ciType, m_owner, m_team;
    std::vector<std::uint8_t> m_tier;
    std::vector<std::string> m_ciTypes, m_owners, m_teams, m_relTypes;
    std::uint32_t m_serviceType = 0xFFFFFFFFu;
    std::vector<std::uint32_t> m_outOffsets, m_inOffsets;
    std::vector<NodeIndex> m_outTargets, m_inSources;
    std::vector<TypeId> m_outTypes, m_inTypes;
    std::vector<std::uint32_t> m_component;
    std::vector<std::uint8_t> m_cyclic;           // per component
    std::vector<std::uint32_t> m_componentOffsets; // CSR of members per component
    std::vector<NodeIndex> m_componentNodes;
    std::uint32_t m_skipped = 0;
};

}  // namespace planner::core::graph
