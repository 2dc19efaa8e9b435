// Hash helpers over byte strings (std::string_view carries arbitrary bytes).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace planner::core {

// SHA-256 of `data` as 64 lowercase hex characters (the `sha256sum` form).
std::string sha256Hex(std::string_view data);

// SHA-256 of `data`, 32 raw bytes.
std::array<std::uint8_t, 32> sha256(std::string_view data);

// SHA-512 of `data`, 64 raw bytes.
std::array<std::uint8_t, 64> sha512(std::string_view data);

// Unkeyed BLAKE2b-512 of `data`, 64 raw bytes (minisign's prehash).
std::array<std::uint8_t, 64> blake2b512(std::string_view data);

// Lowercase hex of `size` bytes at `bytes`.
std::string toHexLower(const std::uint8_t* bytes, std::size_t size);

}  // namespace planner::core
