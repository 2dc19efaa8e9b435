// Crossing counter for drawn polylines, independent of any layout code: counts
// pairs of segments of different edges that meet in exactly one point lying
// strictly inside both segments. Shared end points, touching and collinear
// overlaps are not crossings. tests/bench/layout-compare/crossings.mjs is the
// same algorithm in JavaScript, applied to every layout in the comparison.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace planner::testing {

struct PolyPoint {
    std::int64_t x = 0, y = 0;
};

inline std::int64_t countPolylineCrossings(const std::vector<std::vector<PolyPoint>>& polylines) {
    struct Segment {
        PolyPoint a, b;
        std::int64_t minY, maxY;
        std::uint32_t edge;
    };
    std::vector<Segment> segs;
    for (std::uint32_t e = 0; e < polylines.size(); ++e) {
        const auto& p = polylines[e];
        for (std::size_t i = 0; i + 1 < p.size(); ++i) {
            if (p[i].x == p[i + 1].x && p[i].y == p[i + 1].y) continue;
            segs.push_back({p[i], p[i + 1], std::min(p[i].y, p[i + 1].y), std::max(p[i].y, p[i + 1].y), e});
        }
    }
    std::stable_sort(segs.begin(), segs.end(), [](const Segment& s, const Segment& t) { return s.minY < t.minY; });
    auto orient = [](const PolyPoint& a, const PolyPoint& b, const PolyPoint& c) {
        std::int64_t v = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
        return v > 0 ? 1 : v < 0 ? -1 : 0;
    };
    std::int64_t count = 0;
    std::vector<std::size_t> active;
    for (std::size_t i = 0; i < segs.size(); ++i) {
        const Segment& s = segs[i];
        std::size_t keep = 0;
        for (std::size_t k = 0; k < active.size(); ++k) {
            const Segment& t = segs[active[k]];
            if (t.maxY <= s.minY) continue;  // can only touch s at an end point
            active[keep++] = active[k];
            if (t.edge == s.edge) continue;
            if (std::max(s.a.x, s.b.x) <= std::min(t.a.x, t.b.x) || std::max(t.a.x, t.b.x) <= std::min(s.a.x, s.b.x)) continue;
            int o1 = orient(s.a, s.b, t.a), o2 = orient(s.a, s.b, t.b);
            int o3 = orient(t.a, t.b, s.a), o4 = orient(t.a, t.b, s.b);
            if (o1 * o2 < 0 && o3 * o4 < 0) ++count;
        }
        active.resize(keep);
        active.push_back(i);
    }
    return count;
}

}  // namespace planner::testing
