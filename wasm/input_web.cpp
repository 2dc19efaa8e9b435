// Browser input for Dear ImGui 1.86 through Emscripten's html5 callbacks.
// Events are queued and applied at the start of a frame, at most one press or
// release per mouse button and key per frame, so that a click whose down and
// up arrive between two frames is still seen by ImGui; a press comes at least
// one frame after the pointer reached its position.
#include "input_web.hpp"

#include <emscripten/html5.h>
#include <imgui.h>

#include <cmath>
#include <cstring>
#include <deque>

namespace planner::web {
namespace {

struct InputEvent {
    enum Kind { MouseMove, MouseButton, Wheel, Key, Text, Blur } kind;
    float x = 0, y = 0;
    int button = 0;
    bool down = false;
    int key = 0;
    bool ctrl = false, shift = false, alt = false, super = false;
    char text[8] = {};
};

std::deque<InputEvent> g_queue;
float g_dpr = 1.0f;
const char* const kCanvas = "#canvas";

void queueModifiers(InputEvent& e, bool ctrl, bool shift, bool alt, bool meta) {
    e.ctrl = ctrl;
    e.shift = shift;
    e.alt = alt;
    e.super = meta;
}

int imguiButton(unsigned short domButton) {
    switch (domButton) {
        case 0: return 0;
        case 1: return 2;
        case 2: return 1;
        default: return domButton < 5 ? domButton : 4;
    }
}

EM_BOOL onMouse(int type, const EmscriptenMouseEvent* ev, void*) {
    InputEvent e{};
    e.x = static_cast<float>(ev->targetX) * g_dpr;
    e.y = static_cast<float>(ev->targetY) * g_dpr;
    queueModifiers(e, ev->ctrlKey, ev->shiftKey, ev->altKey, ev->metaKey);
    if (type == EMSCRIPTEN_EVENT_MOUSEMOVE) {
        e.kind = InputEvent::MouseMove;
    } else {
        e.kind = InputEvent::MouseButton;
        e.button = imguiButton(ev->button);
        e.down = type == EMSCRIPTEN_EVENT_MOUSEDOWN;
    }
    g_queue.push_back(e);
    return type != EMSCRIPTEN_EVENT_MOUSEMOVE;
}

EM_BOOL onWheel(int, const EmscriptenWheelEvent* ev, void*) {
    InputEvent e{};
    e.kind = InputEvent::Wheel;
    double scale = 1.0 / 100.0;  // pixels per notch in Chromium
    if (ev->deltaMode == DOM_DELTA_LINE) scale = 1.0 / 3.0;
    if (ev->deltaMode == DOM_DELTA_PAGE) scale = 1.0;
    e.x = static_cast<float>(-ev->deltaX * scale);
    e.y = static_cast<float>(-ev->deltaY * scale);
    queueModifiers(e, ev->mouse.ctrlKey, ev->mouse.shiftKey, ev->mouse.altKey, ev->mouse.metaKey);
    g_queue.push_back(e);
    return EM_TRUE;
}

// Number of UTF-8 code points in s (for telling printable keys from named ones).
int codePoints(const char* s) {
    int n = 0;
    for (; *s; ++s)
        if ((static_cast<unsigned char>(*s) & 0xC0) != 0x80) ++n;
    return n;
}

EM_BOOL onKey(int type, const EmscriptenKeyboardEvent* ev, void*) {
    // Ctrl+V reaches ImGui from the paste event, once the text is known.
    if ((ev->ctrlKey || ev->metaKey) && ev->keyCode == 'V') return EM_FALSE;
    InputEvent e{};
    e.kind = InputEvent::Key;
    e.key = static_cast<int>(ev->keyCode) & 511;
    e.down = type == EMSCRIPTEN_EVENT_KEYDOWN;
    queueModifiers(e, ev->ctrlKey, ev->shiftKey, ev->altKey, ev->metaKey);
    g_queue.push_back(e);
    const bool command = ev->ctrlKey || ev->metaKey;
    if (e.down && !command && codePoints(ev->key) == 1) {
        InputEvent t{};
        t.kind = InputEvent::Text;
        std::strncpy(t.text, ev->key, sizeof t.text - 1);
        g_queue.push_back(t);
    }
    // Let the browser turn Ctrl+C / Ctrl+X / Ctrl+V into clipboard events.
    if (command && (e.key == 'C' || e.key == 'X' || e.key == 'V')) return EM_FALSE;
    // Browser-level keys the page must not steal.
    if (e.key == 116 /* F5 */ || e.key == 123 /* F12 */) return EM_FALSE;
    return EM_TRUE;
}

EM_BOOL onBlur(int, const EmscriptenFocusEvent*, void*) {
    InputEvent e{};
    e.kind = InputEvent::Blur;
    g_queue.push_back(e);
    return EM_FALSE;
}

EM_BOOL onTouch(int type, const EmscriptenTouchEvent* ev, void*) {
    if (ev->numTouches < 1) return EM_FALSE;
    const EmscriptenTouchPoint& t = ev->touches[0];
    InputEvent e{};
    e.x = static_cast<float>(t.targetX) * g_dpr;
    e.y = static_cast<float>(t.targetY) * g_dpr;
    if (type == EMSCRIPTEN_EVENT_TOUCHMOVE) {
        e.kind = InputEvent::MouseMove;
        g_queue.push_back(e);
    } else {
        InputEvent move = e;
        move.kind = InputEvent::MouseMove;
        g_queue.push_back(move);
        e.kind = InputEvent::MouseButton;
        e.button = 0;
        e.down = type == EMSCRIPTEN_EVENT_TOUCHSTART;
        g_queue.push_back(e);
    }
    return EM_TRUE;
}

}  // namespace

void installInputHandlers() {
    ImGuiIO& io = ImGui::GetIO();
    io.BackendPlatformName = "planner_web";
    io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors;
    const int map[][2] = {
        {ImGuiKey_Tab, 9},        {ImGuiKey_LeftArrow, 37}, {ImGuiKey_RightArrow, 39}, {ImGuiKey_UpArrow, 38},
        {ImGuiKey_DownArrow, 40}, {ImGuiKey_PageUp, 33},    {ImGuiKey_PageDown, 34},   {ImGuiKey_Home, 36},
        {ImGuiKey_End, 35},       {ImGuiKey_Insert, 45},    {ImGuiKey_Delete, 46},     {ImGuiKey_Backspace, 8},
        {ImGuiKey_Space, 32},     {ImGuiKey_Enter, 13},     {ImGuiKey_Escape, 27},     {ImGuiKey_KeyPadEnter, 13},
        {ImGuiKey_A, 'A'},        {ImGuiKey_C, 'C'},        {ImGuiKey_V, 'V'},         {ImGuiKey_X, 'X'},
        {ImGuiKey_Y, 'Y'},        {ImGuiKey_Z, 'Z'},
    };
    for (const auto& m : map) io.KeyMap[m[0]] = m[1];

    emscripten_set_mousedown_callback(kCanvas, nullptr, true, onMouse);
    emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, true, onMouse);
    emscripten_set_mousemove_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, true, onMouse);
    emscripten_set_wheel_callback(kCanvas, nullptr, true, onWheel);
    emscripten_set_keydown_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, true, onKey);
    emscripten_set_keyup_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, true, onKey);
    emscripten_set_blur_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, true, onBlur);
    emscripten_set_touchstart_callback(kCanvas, nullptr, true, onTouch);
    emscripten_set_touchmove_callback(kCanvas, nullptr, true, onTouch);
    emscripten_set_touchend_callback(kCanvas, nullptr, true, onTouch);
    emscripten_set_touchcancel_callback(kCanvas, nullptr, true, onTouch);
}

void queueText(const char* utf8) {
    // Pasted text arrives as one event; split it so the queue stays small.
    InputEvent e{};
    e.kind = InputEvent::Text;
    std::size_t len = std::strlen(utf8);
    for (std::size_t i = 0; i < len;) {
        std::size_t n = 0;
        while (i + n < len && n + 4 < sizeof e.text) {
            unsigned char c = static_cast<unsigned char>(utf8[i + n]);
            std::size_t cp = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
            n += cp;
        }
        std::memset(e.text, 0, sizeof e.text);
        std::memcpy(e.text, utf8 + i, n);
        g_queue.push_back(e);
        i += n;
    }
}

void queueKeyChord(int key, bool ctrl, bool shift) {
    InputEvent e{};
    e.kind = InputEvent::Key;
    e.key = key;
    e.ctrl = ctrl;
    e.shift = shift;
    e.down = true;
    g_queue.push_back(e);
    e.down = false;
    g_queue.push_back(e);
}

bool updateDisplay(int& fbWidth, int& fbHeight) {
    double cssW = 0, cssH = 0;
    emscripten_get_element_css_size(kCanvas, &cssW, &cssH);
    g_dpr = static_cast<float>(emscripten_get_device_pixel_ratio());
    const int w = static_cast<int>(std::lround(cssW * g_dpr));
    const int h = static_cast<int>(std::lround(cssH * g_dpr));
    int curW = 0, curH = 0;
    emscripten_get_canvas_element_size(kCanvas, &curW, &curH);
    const bool changed = curW != w || curH != h;
    if (changed && w > 0 && h > 0) emscripten_set_canvas_element_size(kCanvas, w, h);
    fbWidth = w;
    fbHeight = h;
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
    io.DisplayFramebufferScale = ImVec2(1, 1);
    return changed;
}

float devicePixelRatio() { return g_dpr; }

int pendingInput() { return static_cast<int>(g_queue.size()); }

void applyQueuedInput() {
    ImGuiIO& io = ImGui::GetIO();
    bool buttonChanged[5] = {};
    bool keyChanged[512] = {};
    bool moved = false;
    while (!g_queue.empty()) {
        const InputEvent& e = g_queue.front();
        if (e.kind == InputEvent::MouseButton) {
            if (buttonChanged[e.button]) break;
            // A press where the pointer has just arrived waits one frame: ImGui
            // decides hovering from the previous frame for overlapping items
            // (tabs, selectables), so a press in the arrival frame would be lost.
            if (e.down && (moved || io.MousePos.x != e.x || io.MousePos.y != e.y)) {
                io.MousePos = ImVec2(e.x, e.y);
                break;
            }
            buttonChanged[e.button] = true;
            io.MousePos = ImVec2(e.x, e.y);
            io.MouseDown[e.button] = e.down;
        } else if (e.kind == InputEvent::Key) {
            if (keyChanged[e.key]) break;
            keyChanged[e.key] = true;
            io.KeysDown[e.key] = e.down;
        } else if (e.kind == InputEvent::MouseMove) {
            moved = moved || io.MousePos.x != e.x || io.MousePos.y != e.y;
            io.MousePos = ImVec2(e.x, e.y);
        } else if (e.kind == InputEvent::Wheel) {
            io.MouseWheel += e.y;
            io.MouseWheelH += e.x;
        } else if (e.kind == InputEvent::Text) {
            io.AddInputCharactersUTF8(e.text);
        } else if (e.kind == InputEvent::Blur) {
            for (bool& k : io.KeysDown) k = false;
            for (bool& b : io.MouseDown) b = false;
            io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
        }
        if (e.kind != InputEvent::Text && e.kind != InputEvent::Blur) {
            io.KeyCtrl = e.ctrl;
            io.KeyShift = e.shift;
            io.KeyAlt = e.alt;
            io.KeySuper = e.super;
        }
        g_queue.pop_front();
    }
}

}  // namespace planner::web
