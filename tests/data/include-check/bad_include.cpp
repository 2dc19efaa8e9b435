// Fixture: a core file breaking the include rule (used by scripts/test).
#include <imgui.h>
#include <emscripten/html5.h>
