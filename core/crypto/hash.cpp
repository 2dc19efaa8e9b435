#include "crypto/hash.hpp"

#include "crypto/init.hpp"

#include <sodium.h>

namespace planner::core {

std::array<std::uint8_t, 32> sha256(std::string_view data) {
    initCrypto();
    std::array<std::uint8_t, 32> out{};
    crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return out;
}

std::string sha256Hex(std::string_view data) {
    const auto digest = sha256(data);
    return toHexLower(digest.data(), digest.size());
}

std::array<std::uint8_t, 64> sha512(std::string_view data) {
    initCrypto();
    std::array<std::uint8_t, 64> out{};
    crypto_hash_sha512(out.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return out;
}

std::array<std::uint8_t, 64> blake2b512(std::string_view data) {
    initCrypto();
    std::array<std::uint8_t, 64> out{};
    crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                       data.size(), nullptr, 0);
    return out;
}

std::string toHexLower(const std::uint8_t* bytes, std::size_t size) {
    std::string out(size * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes, size);
    out.pop_back();
    return out;
}

}  // namespace planner::core
