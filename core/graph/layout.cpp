#include "graph/layout.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <utility>

namespace planner::core::graph {
namespace {

using U32 = std::uint32_t;
constexpr U32 kNone = 0xFFFFFFFFu;

class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    U32 below(U32 n) { return static_cast<U32>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32); }

private:
    std::uint64_t m_state;
};

// Compressed adjacency built from (source, target) pairs, rows in input order.
struct Csr {
    std::vector<U32> offsets, targets;
    void build(U32 nodeCount, const std::vector<std::pair<U32, U32>>& pairs, bool bySource) {
        offsets.assign(nodeCount + 1, 0);
        for (const auto& p : pairs) ++offsets[(bySource ? p.first : p.second) + 1];
        for (U32 i = 0; i < nodeCount; ++i) offsets[i + 1] += offsets[i];
        targets.resize(pairs.size());
        std::vector<U32> at(offsets.begin(), offsets.end() - 1);
        for (const auto& p : pairs) {
            U32 row = bySource ? p.first : p.second;
            targets[at[row]++] = bySource ? p.second : p.first;
        }
    }
    U32 begin(U32 v) const { return offsets[v]; }
    U32 end(U32 v) const { return offsets[v + 1]; }
    U32 degree(U32 v) const { return offsets[v + 1] - offsets[v]; }
};

class Fenwick {
public:
    void reset(U32 n) { m_t.assign(n + 1, 0); }
    void add(U32 i) {
        for (++i; i < m_t.size(); i += i & (~i + 1)) ++m_t[i];
    }
    // Number of added values <= i.
    std::int64_t prefix(U32 i) const {
        std::int64_t s = 0;
        for (++i; i > 0; i -= i & (~i + 1)) s += m_t[i];
        return s;
    }

private:
    std::vector<std::int32_t> m_t;
};

// Optimal layering of one weakly connected DAG component (network simplex,
// Gansner et al.): minimises the sum of edge spans with every span >= 1.
// `rank` holds a feasible layering on entry (longest path) and the optimum on exit.
// The spanning tree keeps postorder numbers (lim) and subtree minima (low), so
// "is x below y" is a range test. After each pivot only the subtree that moved
// is re-ranked, only the subtree of the lowest common ancestor of the entering
// edge's ends is renumbered, and only the cut values on the cycle the pivot
// closes are recomputed; every other cut value is unchanged by the exchange.
class NetworkSimplex {
public:
    NetworkSimplex(U32 n, const std::vector<std::pair<U32, U32>>& edges, std::vector<std::int32_t>& rank)
        : m_n(n), m_e(edges), m_rank(rank) {}

    // Returns the number of pivots made.
    int run(int maxIterations) {
        if (m_n <= 1) return 0;
        const U32 m = static_cast<U32>(m_e.size());
        std::vector<std::pair<U32, U32>> inc;
        inc.reserve(m_e.size() * 2);
        for (U32 e = 0; e < m; ++e) {
            inc.emplace_back(m_e[e].first, e);
            inc.emplace_back(m_e[e].second, e);
        }
        m_inc.build(m_n, inc, true);
        m_inTree.assign(m, 0);
        feasibleTree();
        // Tree edges of node x sit in m_treeSlot[m_inc.begin(x) ...], one run
        // per node sized by its degree, so the tree never needs more room.
        m_treeSlot.assign(m_inc.targets.size(), kNone);
        m_treeCount.assign(m_n, 0);
        for (U32 e = 0; e < m; ++e)
            if (m_inTree[e]) {
                addTreeEdge(m_e[e].first, e);
                addTreeEdge(m_e[e].second, e);
            }
        m_parent.assign(m_n, kNone);
        m_parentEdge.assign(m_n, kNone);
        m_low.assign(m_n, 0);
        m_lim.assign(m_n, 0);
        m_byLim.assign(m_n + 1, kNone);
        m_cut.assign(m, 0);
        // Any root gives the same pivots; renumbering after a pivot covers the
        // subtree of the entering edge's lowest common ancestor, which is
        // smaller on average when the root sits in the middle of the ranks.
        number(middleRankNode(), 1);
        // Postorder = increasing lim: children before their parents.
        for (U32 l = 1; l <= m_n; ++l) updateCut(m_byLim[l]);
        U32 scanFrom = 0;
        int it = 0;
        for (; it < maxIterations && m_work < kWorkBudget; ++it) {
            U32 leave = kNone;
            for (U32 k = 0; k < m; ++k) {
                U32 e = scanFrom + k < m ? scanFrom + k : scanFrom + k - m;
                if (m_inTree[e] && m_cut[e] < 0) {
                    leave = e;
                    break;
                }
            }
            if (leave == kNone) break;
            scanFrom = leave + 1;
            U32 enter = enteringEdge(leave);
            if (enter == kNone) break;
            exchange(leave, enter);
        }
        return it;
    }

private:
    // Pivots stop once this many nodes have been renumbered and incidences
    // scanned (a count, not a clock, so the result stays deterministic). Every
    // intermediate tree is a feasible layering, so stopping early only leaves
    // some edges longer than optimal. Graphs up to ~10,000 nodes stay well below.
    static constexpr std::uint64_t kWorkBudget = 60'000'000;

    std::int32_t slack(U32 e) const { return m_rank[m_e[e].second] - m_rank[m_e[e].first] - 1; }
    U32 other(U32 e, U32 x) const { return m_e[e].first == x ? m_e[e].second : m_e[e].first; }

    // Grows a spanning tree of tight edges, shifting the tree's ranks to make
    // the cheapest incident edge tight whenever the growth stalls. Growth
    // resumes from where it stopped: only the edge made tight by the shift and
    // the members' not yet tight edges can add nodes.
    void feasibleTree() {
        const U32 m = static_cast<U32>(m_e.size());
        std::vector<std::uint8_t> inTree(m_n, 0);
        std::vector<U32> members{0};
        inTree[0] = 1;
        std::size_t scanned = 0;
        while (true) {
            for (std::size_t h = scanned; h < members.size(); ++h) {
                U32 x = members[h];
                for (U32 k = m_inc.begin(x); k < m_inc.end(x); ++k) {
                    U32 e = m_inc.targets[k];
                    U32 y = other(e, x);
                    if (inTree[y] || slack(e) != 0) continue;
                    inTree[y] = 1;
                    m_inTree[e] = 1;
                    members.push_back(y);
                }
            }
            scanned = members.size();
            if (members.size() == m_n) return;
            U32 best = kNone;
            auto consider = [&](U32 e) {
                if (inTree[m_e[e].first] == inTree[m_e[e].second]) return;
                if (best == kNone || slack(e) < slack(best) || (slack(e) == slack(best) && e < best)) best = e;
            };
            if (2 * members.size() <= m_n) {
                for (U32 x : members)
                    for (U32 k = m_inc.begin(x); k < m_inc.end(x); ++k) consider(m_inc.targets[k]);
            } else {
                for (U32 e = 0; e < m; ++e) consider(e);
            }
            assert(best != kNone);
            std::int32_t delta = inTree[m_e[best].first] ? slack(best) : -slack(best);
            for (U32 x : members) m_rank[x] += delta;
            // Every member's edge to a non-member with slack 0 now joins the
            // tree on the rescan; rescan all members once (cheap: O(E)).
            scanned = 0;
        }
    }

    U32 middleRankNode() const {
        std::vector<std::pair<std::int32_t, U32>> byRank(m_n);
        for (U32 v = 0; v < m_n; ++v) byRank[v] = {m_rank[v], v};
        std::nth_element(byRank.begin(), byRank.begin() + m_n / 2, byRank.end());
        return byRank[m_n / 2].second;
    }

    // Numbers the tree below `root` (whose parent link is kept) in postorder
    // starting at `first`; sets parent links, lim, low and the lim index.
    void number(U32 root, U32 first) {
        U32 counter = first;
        m_stack.clear();
        m_stack.emplace_back(root, m_inc.begin(root));
        m_low[root] = counter;
        while (!m_stack.empty()) {
            auto& [x, slot] = m_stack.back();
            if (slot == m_inc.begin(x) + m_treeCount[x]) {
                ++m_work;
                m_lim[x] = counter;
                m_byLim[counter] = x;
                ++counter;
                m_stack.pop_back();
                continue;
            }
            U32 e = m_treeSlot[slot++];
            if (e == m_parentEdge[x]) continue;
            U32 y = other(e, x);
            m_parent[y] = x;
            m_parentEdge[y] = e;
            m_low[y] = counter;
            m_stack.emplace_back(y, m_inc.begin(y));
        }
    }

    // Cut value of the tree edge from c to its parent, from c's incident edges
    // and the cut values of c's child tree edges.
    void updateCut(U32 c) {
        if (m_parent[c] == kNone) return;
        U32 pe = m_parentEdge[c];
        bool childIsTail = m_e[pe].first == c;
        std::int64_t cut = 1;
        for (U32 k = m_inc.begin(c); k < m_inc.end(c); ++k) {
            U32 e = m_inc.targets[k];
            if (e == pe) continue;
            bool out = m_e[e].first == c;
            bool towardsHead = out == childIsTail;
            cut += towardsHead ? 1 : -1;
            if (m_inTree[e]) cut += towardsHead ? -m_cut[e] : m_cut[e];
        }
        m_cut[pe] = cut;
    }

    bool isDescendant(U32 x, U32 root) const { return m_low[root] <= m_lim[x] && m_lim[x] <= m_lim[root]; }

    // The non-tree edge of least slack (lowest index on ties) that crosses the
    // cut made by removing `leave`, in the direction that keeps ranks feasible.
    U32 enteringEdge(U32 leave) {
        U32 tail = m_e[leave].first, head = m_e[leave].second;
        U32 side = tail;
        bool flip = false;
        if (m_lim[tail] > m_lim[head]) {
            side = head;
            flip = true;
        }
        const U32 lo = m_low[side], hi = m_lim[side];
        U32 best = kNone;
        std::int32_t bestSlack = 0;
        auto consider = [&](U32 e) {
            U32 lt = m_lim[m_e[e].first], lh = m_lim[m_e[e].second];
            bool tailIn = lo <= lt && lt <= hi, headIn = lo <= lh && lh <= hi;
            if (tailIn != flip || headIn == flip) return;
            std::int32_t s = slack(e);
            if (best == kNone || s < bestSlack || (s == bestSlack && e < best)) {
                best = e;
                bestSlack = s;
            }
        };
        // Every crossing edge has exactly one end in the subtree: scan the
        // incidences of the subtree or of the rest, whichever is smaller.
        auto scan = [&](U32 from, U32 to) {
            for (U32 l = from; l < to; ++l) {
                U32 x = m_byLim[l];
                for (U32 k = m_inc.begin(x); k < m_inc.end(x); ++k) consider(m_inc.targets[k]);
                m_work += m_inc.degree(x);
            }
        };
        if (2 * (hi - lo + 1) <= m_n) {
            scan(lo, hi + 1);
        } else {
            scan(1, lo);
            scan(hi + 1, m_n + 1);
        }
        return best;
    }

    void addTreeEdge(U32 x, U32 e) { m_treeSlot[m_inc.begin(x) + m_treeCount[x]++] = e; }
    void removeTreeEdge(U32 x, U32 e) {
        U32* first = m_treeSlot.data() + m_inc.begin(x);
        U32* last = first + --m_treeCount[x];
        *std::find(first, last + 1, e) = *last;  // the order of tree edges does not matter
    }

    void exchange(U32 leave, U32 enter) {
        U32 t = m_e[leave].first, h = m_e[leave].second;
        U32 child = m_lim[t] < m_lim[h] ? t : h;  // the endpoint below the other
        U32 a = m_e[enter].first, b = m_e[enter].second;
        // The subtree under `leave` hangs from `enter` afterwards: shift its
        // ranks so that `enter` becomes tight.
        const std::int32_t s = slack(enter);
        const std::int32_t delta = isDescendant(b, child) ? -s : s;
        for (U32 l = m_low[child]; l <= m_lim[child]; ++l) m_rank[m_byLim[l]] += delta;
        // Lowest common ancestor of the entering edge's ends (old tree).
        U32 lca = a;
        while (!isDescendant(b, lca)) lca = m_parent[lca];
        removeTreeEdge(t, leave);
        removeTreeEdge(h, leave);
        addTreeEdge(a, enter);
        addTreeEdge(b, enter);
        m_inTree[leave] = 0;
        m_inTree[enter] = 1;
        m_cut[leave] = 0;
        const U32 oldParent = m_parent[child];
        number(lca, m_low[lca]);
        // The cycle closed by `enter`, bottom-up in the new tree: from `child`
        // through the moved subtree's new root and `enter` up to the ancestor,
        // and from child's old parent up to it. The two paths meet only there.
        for (U32 x = child; x != lca; x = m_parent[x]) updateCut(x);
        for (U32 x = oldParent; x != lca; x = m_parent[x]) updateCut(x);
    }

    U32 m_n;
    const std::vector<std::pair<U32, U32>>& m_e;
    std::vector<std::int32_t>& m_rank;
    Csr m_inc;
    std::vector<U32> m_treeSlot, m_treeCount;  // tree edges per node, in m_inc's layout
    std::vector<std::uint8_t> m_inTree;
    std::vector<std::int64_t> m_cut;
    std::vector<U32> m_parent, m_parentEdge, m_low, m_lim, m_byLim;
    std::vector<std::pair<U32, U32>> m_stack;  // node, next tree slot
    std::uint64_t m_work = 0;                  // see kWorkBudget
};

class Layered {
public:
    Layered(const std::vector<LayoutNode>& nodes, const std::vector<LayoutEdge>& edges, const LayoutOptions& options)
        : m_nodes(nodes), m_edges(edges), m_opt(options), m_n(static_cast<U32>(nodes.size())) {}

    LayoutResult run() {
        breakCycles();
        assignLayers();
        buildVirtualGraph();
        orderLayers();
        assignCoordinates();
        return buildResult();
    }

private:
    // ---- cycle breaking -----------------------------------------------------
    // Depth-first search with an explicit stack; edges into a node still on the
    // stack close a cycle and are reversed. Duplicates collapse to one chain.
    void breakCycles() {
        std::vector<std::pair<U32, U32>> pairs;
        pairs.reserve(m_edges.size());
        for (const LayoutEdge& e : m_edges)
            if (e.from != e.to) pairs.emplace_back(e.from, e.to);
        std::sort(pairs.begin(), pairs.end());
        pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
        Csr out;
        out.build(m_n, pairs, true);
        std::vector<std::uint8_t> state(m_n, 0);
        std::vector<std::uint8_t> reversed(pairs.size(), 0);
        std::vector<std::pair<U32, U32>> stack;  // node, next edge slot
        for (U32 root = 0; root < m_n; ++root) {
            if (state[root]) continue;
            state[root] = 1;
            stack.emplace_back(root, out.begin(root));
            while (!stack.empty()) {
                auto& [v, slot] = stack.back();
                if (slot == out.end(v)) {
                    state[v] = 2;
                    stack.pop_back();
                    continue;
                }
                U32 e = slot++;
                U32 w = out.targets[e];
                if (state[w] == 1) {
                    reversed[e] = 1;
                } else if (state[w] == 0) {
                    state[w] = 1;
                    stack.emplace_back(w, out.begin(w));
                }
            }
        }
        // Edge slots of `out` are in sorted pair order, so slot e is pairs[e].
        m_dag.clear();
        m_dag.reserve(pairs.size());
        for (std::size_t e = 0; e < pairs.size(); ++e) {
            if (reversed[e]) m_dag.emplace_back(pairs[e].second, pairs[e].first);
            else m_dag.push_back(pairs[e]);
        }
        std::sort(m_dag.begin(), m_dag.end());
        m_dag.erase(std::unique(m_dag.begin(), m_dag.end()), m_dag.end());
    }

    // ---- layering -----------------------------------------------------------
    // Longest path from the sources as a feasible start, then network simplex
    // for the layering with the least total edge span (fewest dummy nodes).
    void assignLayers() {
        Csr out, in;
        out.build(m_n, m_dag, true);
        in.build(m_n, m_dag, false);
        std::vector<U32> indeg(m_n), topo;
        topo.reserve(m_n);
        for (U32 v = 0; v < m_n; ++v) {
            indeg[v] = in.degree(v);
            if (indeg[v] == 0) topo.push_back(v);
        }
        for (std::size_t h = 0; h < topo.size(); ++h) {
            U32 v = topo[h];
            for (U32 k = out.begin(v); k < out.end(v); ++k)
                if (--indeg[out.targets[k]] == 0) topo.push_back(out.targets[k]);
        }
        assert(topo.size() == m_n);
        m_layer.assign(m_n, 0);
        for (U32 v : topo)
            for (U32 k = out.begin(v); k < out.end(v); ++k) m_layer[out.targets[k]] = std::max(m_layer[out.targets[k]], m_layer[v] + 1);
        // Network simplex per weakly connected component.
        std::vector<U32> comp(m_n);
        for (U32 v = 0; v < m_n; ++v) comp[v] = v;
        auto find = [&](U32 x) {
            while (comp[x] != x) x = comp[x] = comp[comp[x]];
            return x;
        };
        for (const auto& [u, v] : m_dag) {
            U32 a = find(u), b = find(v);
            if (a != b) comp[std::max(a, b)] = std::min(a, b);
        }
        std::vector<U32> compOffset(m_n + 1, 0), compNodes(m_n), local(m_n);
        for (U32 v = 0; v < m_n; ++v) ++compOffset[find(v) + 1];
        for (U32 c = 0; c < m_n; ++c) compOffset[c + 1] += compOffset[c];
        {
            std::vector<U32> at(compOffset.begin(), compOffset.end() - 1);
            for (U32 v = 0; v < m_n; ++v) {
                U32 c = find(v);
                local[v] = at[c] - compOffset[c];
                compNodes[at[c]++] = v;
            }
        }
        std::vector<std::vector<std::pair<U32, U32>>> compEdges(m_n);
        for (const auto& [u, v] : m_dag) compEdges[find(u)].emplace_back(local[u], local[v]);
        for (U32 c = 0; c < m_n; ++c) {
            U32 size = compOffset[c + 1] - compOffset[c];
            if (size < 2) continue;
            std::vector<std::int32_t> rank(size);
            for (U32 i = 0; i < size; ++i) rank[i] = static_cast<std::int32_t>(m_layer[compNodes[compOffset[c] + i]]);
            NetworkSimplex ns(size, compEdges[c], rank);
            ns.run(static_cast<int>(4 * compEdges[c].size() + 64));
            std::int32_t lo = *std::min_element(rank.begin(), rank.end());
            for (U32 i = 0; i < size; ++i) m_layer[compNodes[compOffset[c] + i]] = static_cast<U32>(rank[i] - lo);
        }
        U32 maxLayer = 0;
        for (U32 v = 0; v < m_n; ++v) maxLayer = std::max(maxLayer, m_layer[v]);
        // Drop empty layers.
        std::vector<U32> used(maxLayer + 1, 0);
        for (U32 v = 0; v < m_n; ++v) used[m_layer[v]] = 1;
        std::vector<U32> remap(maxLayer + 1, 0);
        U32 next = 0;
        for (U32 l = 0; l <= maxLayer; ++l) {
            remap[l] = next;
            next += used[l];
        }
        for (U32 v = 0; v < m_n; ++v) m_layer[v] = remap[m_layer[v]];
        m_layerCount = m_n == 0 ? 0 : next;
    }

    // ---- proper layered graph ----------------------------------------------
    void buildVirtualGraph() {
        m_vLayer.assign(m_layer.begin(), m_layer.end());
        m_vWidth.resize(m_n);
        for (U32 v = 0; v < m_n; ++v) m_vWidth[v] = m_nodes[v].width;
        std::vector<std::pair<U32, U32>> vedges;
        vedges.reserve(m_dag.size() * 2);
        m_chainOffset.assign(1, 0);
        for (const auto& [u, v] : m_dag) {
            m_chainNodes.push_back(u);
            U32 prev = u;
            for (U32 l = m_layer[u] + 1; l < m_layer[v]; ++l) {
                U32 d = static_cast<U32>(m_vLayer.size());
                m_vLayer.push_back(l);
                m_vWidth.push_back(0);
                vedges.emplace_back(prev, d);
                m_chainNodes.push_back(d);
                prev = d;
            }
            vedges.emplace_back(prev, v);
            m_chainNodes.push_back(v);
            m_chainOffset.push_back(static_cast<U32>(m_chainNodes.size()));
        }
        m_vCount = static_cast<U32>(m_vLayer.size());
        m_down.build(m_vCount, vedges, true);
        m_up.build(m_vCount, vedges, false);
        m_pos.assign(m_vCount, 0);
        m_layers.assign(m_layerCount, {});
    }

    bool isDummy(U32 v) const { return v >= m_n; }

    // ---- crossing minimisation ------------------------------------------------
    void initialOrder(int restart) {
        for (auto& l : m_layers) l.clear();
        if (restart <= 1) {
            // Depth-first order from the sources; with previous positions,
            // nodes then sort by where they were drawn.
            std::vector<std::uint8_t> seen(m_vCount, 0);
            std::vector<std::pair<U32, U32>> stack;
            for (U32 root = 0; root < m_n; ++root) {
                if (seen[root] || m_up.degree(root) != 0) continue;
                seen[root] = 1;
                m_layers[m_vLayer[root]].push_back(root);
                stack.emplace_back(root, m_down.begin(root));
                while (!stack.empty()) {
                    auto& [v, slot] = stack.back();
                    if (slot == m_down.end(v)) {
                        stack.pop_back();
                        continue;
                    }
                    U32 w = m_down.targets[slot++];
                    if (seen[w]) continue;
                    seen[w] = 1;
                    m_layers[m_vLayer[w]].push_back(w);
                    stack.emplace_back(w, m_down.begin(w));
                }
            }
            if (!m_opt.previous.empty()) orderByPrevious();
        } else {
            for (U32 v = 0; v < m_vCount; ++v) m_layers[m_vLayer[v]].push_back(v);
            Rng rng(0x5EED0000ULL + static_cast<std::uint64_t>(restart));  // fixed seeds: deterministic
            for (auto& l : m_layers)
                for (std::size_t i = l.size(); i > 1; --i) std::swap(l[i - 1], l[rng.below(static_cast<U32>(i))]);
        }
        refreshPositions();
    }

    // Keys: previous x for nodes that had one, else the mean key of the upper
    // neighbours, else the current slot scaled to the drawing width.
    void orderByPrevious() {
        std::vector<double> key(m_vCount, 0.0);
        std::vector<std::uint8_t> known(m_vCount, 0);
        for (U32 v = 0; v < m_n; ++v) {
            auto it = m_opt.previous.find(m_nodes[v].id);
            if (it != m_opt.previous.end()) {
                key[v] = it->second.x;
                known[v] = 1;
            }
        }
        for (U32 l = 0; l < m_layerCount; ++l) {
            auto& layer = m_layers[l];
            for (std::size_t i = 0; i < layer.size(); ++i) {
                U32 v = layer[i];
                if (known[v]) continue;
                double sum = 0;
                U32 cnt = 0;
                for (U32 k = m_up.begin(v); k < m_up.end(v); ++k) {
                    sum += key[m_up.targets[k]];
                    ++cnt;
                }
                key[v] = cnt ? sum / cnt : static_cast<double>(i) * (m_opt.nodeSpacing + 100);
            }
            std::stable_sort(layer.begin(), layer.end(), [&](U32 a, U32 b) { return key[a] < key[b]; });
        }
    }

    void refreshPositions() {
        for (auto& l : m_layers)
            for (std::size_t i = 0; i < l.size(); ++i) m_pos[l[i]] = static_cast<U32>(i);
    }

    std::int64_t countBetween(U32 l) {
        const auto& upper = m_layers[l];
        m_fenwick.reset(static_cast<U32>(m_layers[l + 1].size()));
        std::int64_t inserted = 0, crossings = 0;
        for (U32 u : upper) {
            m_scratch.clear();
            for (U32 k = m_down.begin(u); k < m_down.end(u); ++k) m_scratch.push_back(m_pos[m_down.targets[k]]);
            std::sort(m_scratch.begin(), m_scratch.end());
            for (U32 p : m_scratch) crossings += inserted - m_fenwick.prefix(p);
            for (U32 p : m_scratch) {
                m_fenwick.add(p);
                ++inserted;
            }
        }
        return crossings;
    }

    std::int64_t countAll() {
        std::int64_t c = 0;
        for (U32 l = 0; l + 1 < m_layerCount; ++l) c += countBetween(l);
        return c;
    }

    // Reorders layer l by the barycenter of its neighbours in the adjacent
    // fixed layer; nodes without such neighbours keep their slots.
    void barycenter(U32 l, bool useUpper) {
        auto& layer = m_layers[l];
        const Csr& adj = useUpper ? m_up : m_down;
        m_keyed.clear();
        for (std::size_t i = 0; i < layer.size(); ++i) {
            U32 v = layer[i];
            U32 deg = adj.degree(v);
            if (deg == 0) continue;
            double sum = 0;
            for (U32 k = adj.begin(v); k < adj.end(v); ++k) sum += m_pos[adj.targets[k]];
            double key = sum / deg;
            if (m_useMedian) {
                m_scratch.clear();
                for (U32 k = adj.begin(v); k < adj.end(v); ++k) m_scratch.push_back(m_pos[adj.targets[k]]);
                std::sort(m_scratch.begin(), m_scratch.end());
                std::size_t h = m_scratch.size() / 2;
                double median = m_scratch.size() % 2 ? m_scratch[h] : (m_scratch[h - 1] + m_scratch[h]) / 2.0;
                key = median + 1e-3 * key;  // barycenter breaks ties between equal medians
            }
            m_keyed.push_back({key, static_cast<U32>(i), v});
        }
        std::sort(m_keyed.begin(), m_keyed.end(), [](const Keyed& a, const Keyed& b) {
            return a.key < b.key || (a.key == b.key && a.slot < b.slot);
        });
        std::size_t next = 0;
        for (std::size_t i = 0; i < layer.size(); ++i) {
            if (adj.degree(layer[i]) == 0) continue;
            layer[i] = m_keyed[next++].node;
        }
        for (std::size_t i = 0; i < layer.size(); ++i) m_pos[layer[i]] = static_cast<U32>(i);
    }

    // Crossings among edges of a (left) and b (right) to one side, both given
    // as sorted neighbour positions: returns {a left of b, b left of a}.
    static std::pair<std::int64_t, std::int64_t> pairCrossings(const U32* a, U32 na, const U32* b, U32 nb) {
        std::int64_t ab = 0, ba = 0;
        U32 j = 0, jle = 0;
        for (U32 i = 0; i < na; ++i) {
            while (j < nb && b[j] < a[i]) ++j;
            while (jle < nb && b[jle] <= a[i]) ++jle;
            ab += j;
            ba += nb - jle;
        }
        return {ab, ba};
    }

    // Adjacent exchanges in layer l while they reduce crossings with both
    // neighbouring layers.
    bool transpose(U32 l) {
        auto& layer = m_layers[l];
        const U32 k = static_cast<U32>(layer.size());
        if (k < 2) return false;
        m_listOffUp.assign(k + 1, 0);
        m_listOffDown.assign(k + 1, 0);
        m_listUp.clear();
        m_listDown.clear();
        for (U32 i = 0; i < k; ++i) {
            U32 v = layer[i];
            std::size_t s = m_listUp.size();
            for (U32 e = m_up.begin(v); e < m_up.end(v); ++e) m_listUp.push_back(m_pos[m_up.targets[e]]);
            std::sort(m_listUp.begin() + static_cast<std::ptrdiff_t>(s), m_listUp.end());
            m_listOffUp[i + 1] = static_cast<U32>(m_listUp.size());
            s = m_listDown.size();
            for (U32 e = m_down.begin(v); e < m_down.end(v); ++e) m_listDown.push_back(m_pos[m_down.targets[e]]);
            std::sort(m_listDown.begin() + static_cast<std::ptrdiff_t>(s), m_listDown.end());
            m_listOffDown[i + 1] = static_cast<U32>(m_listDown.size());
        }
        m_local.resize(k);
        for (U32 i = 0; i < k; ++i) m_local[i] = i;
        bool any = false;
        for (int pass = 0; pass < 6; ++pass) {
            bool improved = false;
            for (U32 i = 0; i + 1 < k; ++i) {
                U32 a = m_local[i], b = m_local[i + 1];
                auto up = pairCrossings(m_listUp.data() + m_listOffUp[a], m_listOffUp[a + 1] - m_listOffUp[a],
                                        m_listUp.data() + m_listOffUp[b], m_listOffUp[b + 1] - m_listOffUp[b]);
                auto down = pairCrossings(m_listDown.data() + m_listOffDown[a], m_listOffDown[a + 1] - m_listOffDown[a],
                                          m_listDown.data() + m_listOffDown[b], m_listOffDown[b + 1] - m_listOffDown[b]);
                if (up.second + down.second < up.first + down.first) {
                    std::swap(m_local[i], m_local[i + 1]);
                    improved = true;
                }
            }
            if (!improved) break;
            any = true;
        }
        if (any) {
            std::vector<U32> old(layer.begin(), layer.end());
            for (U32 i = 0; i < k; ++i) layer[i] = old[m_local[i]];
            for (U32 i = 0; i < k; ++i) m_pos[layer[i]] = i;
        }
        return any;
    }

    void orderLayers() {
        if (m_layerCount == 0) return;
        std::vector<std::vector<U32>> best;
        std::int64_t bestCount = std::numeric_limits<std::int64_t>::max();
        // Small layered graphs are cheap to search: they get twice the
        // restarts (the extra ones are further fixed-seed shuffles).
        int restarts = std::max(1, m_opt.restarts);
        if (m_vCount + m_down.targets.size() < kSmallLayeredGraph) restarts *= 2;
        for (int r = 0; r < restarts && bestCount > 0; ++r) {
            initialOrder(r);
            std::int64_t localBest = countAll();
            if (localBest < bestCount) {
                bestCount = localBest;
                best = m_layers;
            }
            int stale = 0;
            for (int sweep = 0; sweep < m_opt.maxSweeps && bestCount > 0; ++sweep) {
                bool down = sweep % 2 == 0;
                // Odd restarts alternate barycenter and median sweeps.
                m_useMedian = r % 2 == 1 && (sweep / 2) % 2 == 1;
                if (down)
                    for (U32 l = 1; l < m_layerCount; ++l) barycenter(l, true);
                else
                    for (U32 l = m_layerCount - 1; l-- > 0;) barycenter(l, false);
                for (U32 l = 0; l < m_layerCount; ++l) transpose(l);
                std::int64_t c = countAll();
                if (c < localBest) {
                    localBest = c;
                    stale = 0;
                    if (c < bestCount) {
                        bestCount = c;
                        best = m_layers;
                    }
                } else if (++stale >= 4) {
                    break;
                }
            }
        }
        if (!m_opt.previous.empty()) {
            // Stability: keep the previous drawing's order, improved only by
            // local exchanges, unless the free search is clearly better.
            initialOrder(0);
            std::int64_t c = countAll();
            for (int pass = 0; pass < 8; ++pass) {
                bool changed = false;
                for (U32 l = 0; l < m_layerCount; ++l) changed = transpose(l) || changed;
                if (!changed) break;
            }
            c = countAll();
            if (c <= bestCount + std::max<std::int64_t>(2, bestCount / 10)) {
                best = m_layers;
                bestCount = c;
            }
        }
        m_layers = std::move(best);
        refreshPositions();
        m_crossings = bestCount;
    }

    // ---- coordinates -------------------------------------------------------
    double gapBetween(U32 a, U32 b) const {
        double g = (isDummy(a) && isDummy(b)) ? m_opt.edgeSpacing
                   : (isDummy(a) || isDummy(b)) ? (m_opt.edgeSpacing + m_opt.nodeSpacing) / 2.0
                                                : m_opt.nodeSpacing;
        return (m_vWidth[a] + m_vWidth[b]) / 2.0 + g;
    }
    static double edgeWeight(bool dummyA, bool dummyB) { return dummyA && dummyB ? 8.0 : (dummyA || dummyB) ? 2.0 : 1.0; }

    // Least-squares placement of one layer towards per-node targets under the
    // minimum separations (pool-adjacent-violators on offset coordinates).
    void placeLayer(U32 l, bool useUp, bool useDown) {
        const auto& layer = m_layers[l];
        const std::size_t k = layer.size();
        if (k == 0) return;
        m_offset.resize(k);
        m_target.resize(k);
        m_weight.resize(k);
        m_offset[0] = 0;
        for (std::size_t i = 1; i < k; ++i) m_offset[i] = m_offset[i - 1] + gapBetween(layer[i - 1], layer[i]);
        for (std::size_t i = 0; i < k; ++i) {
            U32 v = layer[i];
            double sum = 0, w = 0;
            auto take = [&](const Csr& adj) {
                for (U32 e = adj.begin(v); e < adj.end(v); ++e) {
                    U32 u = adj.targets[e];
                    double ew = edgeWeight(isDummy(v), isDummy(u));
                    sum += ew * m_x[u];
                    w += ew;
                }
            };
            if (useUp) take(m_up);
            if (useDown) take(m_down);
            if (v < m_n && m_hasPrev[v]) {
                sum += kPreviousWeight * m_prevX[v];
                w += kPreviousWeight;
            }
            if (w == 0) {  // nothing pulls it: stay, but yield to neighbours in the layer
                w = 0.25;
                sum = w * m_x[v];
            }
            m_target[i] = sum / w - m_offset[i];
            m_weight[i] = w;
        }
        // Blocks of equal value: start index, total weight, weighted sum.
        m_blocks.clear();
        for (std::size_t i = 0; i < k; ++i) {
            Block b{i, m_weight[i], m_weight[i] * m_target[i]};
            while (!m_blocks.empty() && m_blocks.back().sum / m_blocks.back().weight >= b.sum / b.weight) {
                b.start = m_blocks.back().start;
                b.weight += m_blocks.back().weight;
                b.sum += m_blocks.back().sum;
                m_blocks.pop_back();
            }
            m_blocks.push_back(b);
        }
        for (std::size_t bi = 0; bi < m_blocks.size(); ++bi) {
            std::size_t end = bi + 1 < m_blocks.size() ? m_blocks[bi + 1].start : k;
            double value = m_blocks[bi].sum / m_blocks[bi].weight;
            for (std::size_t i = m_blocks[bi].start; i < end; ++i) m_x[layer[i]] = value + m_offset[i];
        }
    }

    void assignCoordinates() {
        m_x.assign(m_vCount, 0.0);
        m_hasPrev.assign(m_n, 0);
        m_prevX.assign(m_n, 0.0);
        for (U32 v = 0; v < m_n; ++v) {
            auto it = m_opt.previous.find(m_nodes[v].id);
            if (it != m_opt.previous.end()) {
                m_hasPrev[v] = 1;
                m_prevX[v] = it->second.x;
            }
        }
        for (const auto& layer : m_layers) {
            double x = 0;
            for (std::size_t i = 0; i < layer.size(); ++i) {
                if (i > 0) x += gapBetween(layer[i - 1], layer[i]);
                m_x[layer[i]] = x;
            }
        }
        if (m_layerCount == 0) return;
        for (int round = 0; round < 12; ++round) {
            bool both = round >= 4;
            if (round % 2 == 0)
                for (U32 l = 0; l < m_layerCount; ++l) placeLayer(l, true, both || l == 0);
            else
                for (U32 l = m_layerCount; l-- > 0;) placeLayer(l, both || l + 1 == m_layerCount, true);
        }
    }

    // ---- output ------------------------------------------------------------
    LayoutResult buildResult() {
        LayoutResult r;
        r.layerCount = static_cast<std::int32_t>(m_layerCount);
        r.dummyCount = static_cast<std::int32_t>(m_vCount - m_n);
        r.layerCrossings = m_crossings;
        std::vector<std::int32_t> bandTop(m_layerCount, 0), bandHeight(m_layerCount, 0);
        for (U32 v = 0; v < m_n; ++v) bandHeight[m_layer[v]] = std::max(bandHeight[m_layer[v]], m_nodes[v].height);
        for (U32 l = 1; l < m_layerCount; ++l) bandTop[l] = bandTop[l - 1] + bandHeight[l - 1] + m_opt.layerSpacing;
        std::vector<std::int32_t> cx(m_vCount);
        for (U32 v = 0; v < m_vCount; ++v) cx[v] = static_cast<std::int32_t>(std::lround(m_x[v]));

        // Rigid shift: towards previous positions if any, else to the origin.
        std::int64_t dx = 0, dy = 0;
        std::int64_t prevCount = 0;
        for (U32 v = 0; v < m_n; ++v) {
            auto it = m_opt.previous.find(m_nodes[v].id);
            if (it == m_opt.previous.end()) continue;
            std::int32_t cy = bandTop[m_layer[v]] + bandHeight[m_layer[v]] / 2;
            dx += it->second.x - cx[v];
            dy += it->second.y - cy;
            ++prevCount;
        }
        std::int32_t shiftX = 0, shiftY = 0;
        if (prevCount > 0) {
            shiftX = static_cast<std::int32_t>(dx / prevCount);
            shiftY = static_cast<std::int32_t>(dy / prevCount);
        } else {
            std::int32_t minX = std::numeric_limits<std::int32_t>::max();
            for (U32 v = 0; v < m_vCount; ++v) minX = std::min(minX, cx[v] - (v < m_n ? m_nodes[v].width / 2 : 0));
            if (m_vCount > 0) shiftX = -minX;
        }
        for (auto& c : cx) c += shiftX;
        for (auto& t : bandTop) t += shiftY;

        r.nodes.resize(m_n);
        for (U32 v = 0; v < m_n; ++v) {
            NodePlacement& p = r.nodes[v];
            p.width = m_nodes[v].width;
            p.height = m_nodes[v].height;
            p.layer = static_cast<std::int32_t>(m_layer[v]);
            p.order = static_cast<std::int32_t>(m_pos[v]);
            p.x = cx[v] - p.width / 2;
            p.y = bandTop[m_layer[v]] + (bandHeight[m_layer[v]] - p.height) / 2;
        }

        // Chain index of each oriented pair, for the input edges.
        r.edges.resize(m_edges.size());
        std::int32_t reversedCount = 0;
        for (std::size_t i = 0; i < m_edges.size(); ++i) {
            const LayoutEdge& e = m_edges[i];
            if (e.from == e.to) continue;
            auto key = std::make_pair(e.from, e.to);
            bool reversed = false;
            auto it = std::lower_bound(m_dag.begin(), m_dag.end(), key);
            if (it == m_dag.end() || *it != key) {
                key = std::make_pair(e.to, e.from);
                it = std::lower_bound(m_dag.begin(), m_dag.end(), key);
                reversed = true;
            }
            assert(it != m_dag.end() && *it == key);
            std::size_t chain = static_cast<std::size_t>(it - m_dag.begin());
            std::vector<LayoutPoint>& pts = r.edges[i].points;
            auto push = [&](std::int32_t x, std::int32_t y) {
                LayoutPoint p{x, y};
                if (!pts.empty() && pts.back() == p) return;
                // Merge runs of vertical points.
                if (pts.size() >= 2 && pts[pts.size() - 1].x == x && pts[pts.size() - 2].x == x) {
                    pts.back() = p;
                    return;
                }
                pts.push_back(p);
            };
            U32 first = m_chainNodes[m_chainOffset[chain]];
            U32 last = m_chainNodes[m_chainOffset[chain + 1] - 1];
            const NodePlacement& a = r.nodes[first];
            push(cx[first], a.y + a.height);
            push(cx[first], bandTop[m_layer[first]] + bandHeight[m_layer[first]]);
            for (U32 k = m_chainOffset[chain] + 1; k + 1 < m_chainOffset[chain + 1]; ++k) {
                U32 d = m_chainNodes[k];
                push(cx[d], bandTop[m_vLayer[d]]);
                push(cx[d], bandTop[m_vLayer[d]] + bandHeight[m_vLayer[d]]);
            }
            const NodePlacement& b = r.nodes[last];
            push(cx[last], bandTop[m_layer[last]]);
            push(cx[last], b.y);
            if (reversed) {
                std::reverse(pts.begin(), pts.end());
                r.edges[i].reversed = true;
                ++reversedCount;
            }
        }
        r.reversedEdges = reversedCount;

        std::int32_t minX = std::numeric_limits<std::int32_t>::max(), minY = minX;
        std::int32_t maxX = std::numeric_limits<std::int32_t>::min(), maxY = maxX;
        for (const NodePlacement& p : r.nodes) {
            minX = std::min(minX, p.x);
            minY = std::min(minY, p.y);
            maxX = std::max(maxX, p.x + p.width);
            maxY = std::max(maxY, p.y + p.height);
        }
        for (const EdgeRoute& e : r.edges)
            for (const LayoutPoint& p : e.points) {
                minX = std::min(minX, p.x);
                maxX = std::max(maxX, p.x);
            }
        if (m_n > 0) {
            r.minX = minX;
            r.minY = minY;
            r.width = maxX - minX;
            r.height = maxY - minY;
        }
        return r;
    }

    struct Keyed {
        double key;
        U32 slot;
        U32 node;
    };
    struct Block {
        std::size_t start;
        double weight;
        double sum;
    };
    static constexpr double kPreviousWeight = 3.0;
    static constexpr std::size_t kSmallLayeredGraph = 4096;  // nodes + dummies + edges between layers

    const std::vector<LayoutNode>& m_nodes;
    const std::vector<LayoutEdge>& m_edges;
    const LayoutOptions& m_opt;
    const U32 m_n;
    std::vector<std::pair<U32, U32>> m_dag;  // oriented, sorted, unique
    std::vector<U32> m_layer;
    U32 m_layerCount = 0;
    std::vector<U32> m_vLayer;
    std::vector<std::int32_t> m_vWidth;
    U32 m_vCount = 0;
    std::vector<U32> m_chainOffset, m_chainNodes;  // per m_dag entry: u, dummies..., v
    Csr m_down, m_up;
    std::vector<std::vector<U32>> m_layers;
    std::vector<U32> m_pos;
    std::int64_t m_crossings = 0;
    bool m_useMedian = false;
    Fenwick m_fenwick;
    std::vector<U32> m_scratch;
    std::vector<Keyed> m_keyed;
    std::vector<U32> m_listUp, m_listDown, m_listOffUp, m_listOffDown, m_local;
    std::vector<double> m_x, m_prevX, m_offset, m_target, m_weight;
    std::vector<std::uint8_t> m_hasPrev;
    std::vector<Block> m_blocks;
};

}  // namespace

Result<LayoutResult> layoutLayered(const std::vector<LayoutNode>& nodes, const std::vector<LayoutEdge>& edges,
                                   const LayoutOptions& options) {
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].width <= 0 || nodes[i].height <= 0)
            return Error{"layout node '" + nodes[i].id + "' has a non-positive size", "", 0, 0};
    for (std::size_t i = 0; i < edges.size(); ++i)
        if (edges[i].from >= nodes.size() || edges[i].to >= nodes.size())
            return Error{"layout edge " + std::to_string(i) + " names a node index out of range", "", 0, 0};
    Layered l(nodes, edges, options);
    return l.run();
}

}  // namespace planner::core::graph
