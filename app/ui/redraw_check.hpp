// Whether a frame would paint the same pixels as the one on screen. The main
// loops build the UI every frame (input, autosave and jobs run in it) but paint
// only when the draw data changed: an idle page then costs almost nothing, as
// software rendering of a full window costs most of a core.
#pragma once

#include <cstddef>
#include <cstring>
#include <vector>

namespace planner::ui {

class RedrawCheck {
public:
    // Starts the signature of a frame: the framebuffer size and whatever else
    // besides the draw data decides the pixels (the clear colour, say).
    void begin(const void* header, std::size_t bytes) {
        m_current.clear();
        add(header, bytes);
    }
    // Adds draw data (vertices, indices, commands) to the current signature.
    void add(const void* data, std::size_t bytes) {
        const auto* p = static_cast<const char*>(data);
        m_current.insert(m_current.end(), p, p + bytes);
    }
    // Ends the frame: true when it must be painted (its signature differs from
    // the last painted one, or a repaint was forced); then it becomes the last.
    bool changed() {
        const bool differs = m_forced || m_current.size() != m_last.size() ||
                             std::memcmp(m_current.data(), m_last.data(), m_current.size()) != 0;
        m_forced = false;
        if (differs) m_last.swap(m_current);
        return differs;
    }
    // The next frame is painted whatever its signature (new textures, lost context).
    void force() { m_forced = true; }

private:
    std::vector<char> m_current, m_last;
    bool m_forced = true;
};

}  // namespace planner::ui
