// Process-wide initialisation of the cryptographic library.
#pragma once

namespace planner::core {

// Initialises libsodium once; safe to call any number of times from one thread.
// Returns false if the library could not be initialised (no usable RNG).
bool initCrypto();

}  // namespace planner::core
