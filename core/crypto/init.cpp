#include "crypto/init.hpp"

#include <sodium.h>

namespace planner::core {

bool initCrypto() {
    static const bool ready = sodium_init() >= 0;
    return ready;
}

}  // namespace planner::core
