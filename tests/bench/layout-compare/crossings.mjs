// Crossing counter for drawn polylines: the same algorithm as
// tests/unit/graph/polyline_crossings.hpp. Counts pairs of segments of
// different edges meeting in one point strictly inside both; shared end
// points, touching and collinear overlaps are not crossings.
export function countPolylineCrossings(polylines) {
  const segs = [];
  polylines.forEach((p, e) => {
    for (let i = 0; i + 1 < p.length; ++i) {
      const a = p[i], b = p[i + 1];
      if (a.x === b.x && a.y === b.y) continue;
      segs.push({ a, b, minY: Math.min(a.y, b.y), maxY: Math.max(a.y, b.y), edge: e });
    }
  });
  // Array.prototype.sort is stable, like std::stable_sort.
  segs.sort((s, t) => s.minY - t.minY);
  const orient = (a, b, c) => {
    const v = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    return v > 0 ? 1 : v < 0 ? -1 : 0;
  };
  let count = 0;
  let active = [];
  for (let i = 0; i < segs.length; ++i) {
    const s = segs[i];
    let keep = 0;
    for (let k = 0; k < active.length; ++k) {
      const t = segs[active[k]];
      if (t.maxY <= s.minY) continue;
      active[keep++] = active[k];
      if (t.edge === s.edge) continue;
      if (Math.max(s.a.x, s.b.x) <= Math.min(t.a.x, t.b.x) || Math.max(t.a.x, t.b.x) <= Math.min(s.a.x, s.b.x)) continue;
      const o1 = orient(s.a, s.b, t.a), o2 = orient(s.a, s.b, t.b);
      const o3 = orient(t.a, t.b, s.a), o4 = orient(t.a, t.b, s.b);
      if (o1 * o2 < 0 && o3 * o4 < 0) ++count;
    }
    active.length = keep;
    active.push(i);
  }
  return count;
}
