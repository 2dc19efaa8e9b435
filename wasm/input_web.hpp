// Browser input and display metrics for Dear ImGui (our platform backend).
#pragma once

namespace planner::web {

// Registers the html5 event callbacks on #canvas and the document.
void installInputHandlers();

// Applies queued browser events to ImGui's IO; call once before each frame.
void applyQueuedInput();

// Input events received but not yet given to ImGui (it takes one change of a
// key or button per frame, so fast typing waits in this queue).
int pendingInput();

// Sizes the canvas backing store to CSS size x devicePixelRatio and sets
// ImGui's display size in device pixels. Returns true when the size changed.
bool updateDisplay(int& fbWidth, int& fbHeight);

float devicePixelRatio();

// Queues pasted text and a synthetic key chord (used for clipboard paste).
void queueText(const char* utf8);
void queueKeyChord(int key, bool ctrl, bool shift);

}  // namespace planner::web
