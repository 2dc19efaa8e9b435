// View arithmetic of the graph canvas, free of ImGui so that it can be unit
// tested: the model <-> screen transform, zoom about a point, fit and centre,
// the minimap mapping, rectangle culling, level of detail and name matching.
// Model units are the layout's (logical pixels at zoom 1); screen positions are
// device pixels relative to the canvas' top-left corner.
#pragma once

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <string_view>

namespace planner::ui::graphview {

inline constexpr float kMinZoom = 0.02f;
inline constexpr float kMaxZoom = 4.0f;

struct Rect {
    float x = 0, y = 0, w = 0, h = 0;
};

// screen = offset + model * zoom * scale
struct View {
    float offsetX = 0, offsetY = 0;
    float zoom = 1.0f;
};

inline float clampZoom(float zoom) { return std::clamp(zoom, kMinZoom, kMaxZoom); }

inline float factor(const View& v, float scale) { return v.zoom * scale; }

inline void toScreen(const View& v, float scale, float mx, float my, float& sx, float& sy) {
    const float k = factor(v, scale);
    sx = v.offsetX + mx * k;
    sy = v.offsetY + my * k;
}

inline void toModel(const View& v, float scale, float sx, float sy, float& mx, float& my) {
    const float k = factor(v, scale);
    mx = (sx - v.offsetX) / k;
    my = (sy - v.offsetY) / k;
}

// The view at `newZoom` (clamped) that keeps the model point under (sx, sy) in place.
inline View zoomAt(const View& v, float scale, float sx, float sy, float newZoom) {
    float mx = 0, my = 0;
    toModel(v, scale, sx, sy, mx, my);
    View out = v;
    out.zoom = clampZoom(newZoom);
    const float k = factor(out, scale);
    out.offsetX = sx - mx * k;
    out.offsetY = sy - my * k;
    return out;
}

// The view that puts model point (mx, my) at the centre of a viewW x viewH canvas.
inline View centreOn(const View& v, float scale, float mx, float my, float viewW, float viewH) {
    View out = v;
    const float k = factor(v, scale);
    out.offsetX = viewW * 0.5f - mx * k;
    out.offsetY = viewH * 0.5f - my * k;
    return out;
}

// The view showing the model box whole and centred, `margin` device pixels
// clear on each side, never zoomed in beyond `maxZoom`.
inline View fitView(const Rect& box, float viewW, float viewH, float scale, float margin, float maxZoom = 1.0f) {
    const float availW = std::max(viewW - 2 * margin, 1.0f);
    const float availH = std::max(viewH - 2 * margin, 1.0f);
    const float bw = std::max(box.w, 1.0f), bh = std::max(box.h, 1.0f);
    View v;
    v.zoom = clampZoom(std::min({availW / (bw * scale), availH / (bh * scale), maxZoom}));
    return centreOn(v, scale, box.x + box.w * 0.5f, box.y + box.h * 0.5f, viewW, viewH);
}

// The model rectangle that the canvas shows.
inline Rect visibleModel(const View& v, float scale, float viewW, float viewH) {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    toModel(v, scale, 0, 0, x0, y0);
    toModel(v, scale, viewW, viewH, x1, y1);
    return Rect{x0, y0, x1 - x0, y1 - y0};
}

inline bool intersects(const Rect& a, const Rect& b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

inline bool contains(const Rect& r, float x, float y) {
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

// Uniform mapping of a model box into a minimap rectangle, centred.
struct MinimapMap {
    float s = 1, ox = 0, oy = 0;  // minimap = o + model * s
};

inline MinimapMap minimapMap(const Rect& box, const Rect& map) {
    MinimapMap m;
    const float bw = std::max(box.w, 1.0f), bh = std::max(box.h, 1.0f);
    m.s = std::min(map.w / bw, map.h / bh);
    m.ox = map.x + (map.w - bw * m.s) * 0.5f - box.x * m.s;
    m.oy = map.y + (map.h - bh * m.s) * 0.5f - box.y * m.s;
    return m;
}

inline void fromMinimap(const MinimapMap& m, float px, float py, float& mx, float& my) {
    mx = (px - m.ox) / m.s;
    my = (py - m.oy) / m.s;
}

// How much of a node to draw for its height on screen in logical pixels:
// 0 = a plain box, 1 = box with border and depth bar, 2 = icon, labels and badges.
inline int detailLevel(float zoom, float nodeHeight) {
    const float onScreen = zoom * nodeHeight;
    if (onScreen < 12.0f) return 0;
    if (onScreen < 26.0f) return 1;
    return 2;
}

// Case-insensitive ASCII match of `query` in `name`: 0 equal, 1 prefix,
// 2 elsewhere, -1 absent (an empty query matches nothing).
inline int matchRank(std::string_view name, std::string_view query) {
    if (query.empty() || query.size() > name.size()) return -1;
    auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    auto at = [&](std::size_t pos) {
        for (std::size_t i = 0; i < query.size(); ++i)
            if (lower(name[pos + i]) != lower(query[i])) return false;
        return true;
    };
    if (at(0)) return name.size() == query.size() ? 0 : 1;
    for (std::size_t pos = 1; pos + query.size() <= name.size(); ++pos)
        if (at(pos)) return 2;
    return -1;
}

// `text` cut to at most `maxBytes` bytes at a UTF-8 boundary, with "..." when cut.
inline std::string truncateLabel(const std::string& text, std::size_t maxBytes) {
    if (text.size() <= maxBytes) return text;
    std::size_t cut = maxBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut) + "...";
}

}  // namespace planner::ui::graphview
