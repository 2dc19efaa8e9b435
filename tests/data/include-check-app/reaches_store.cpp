// Include-check fixture: the UI may not reach into the store.
#include "store/workspace.hpp"
