// Ed25519 key material shared by the minisign, SSHSIG and key-store code.
// Secret bytes live only in SecretKey, which wipes them when it goes away.
#pragma once

#include "util/result.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace planner::core::crypto {

// An Error with only the parts that are known (file "" and 0 line/column mean n/a).
inline Error makeError(std::string message, std::string file = {}, int line = 0, int column = 0) {
    return Error{std::move(message), std::move(file), line, column};
}

// minisign key id: 8 random bytes, printed as a little-endian uint64 in hex.
using KeyId = std::array<std::uint8_t, 8>;
using Ed25519Public = std::array<std::uint8_t, 32>;
using Ed25519Signature = std::array<std::uint8_t, 64>;

struct PublicKey {
    KeyId keyId{};
    Ed25519Public key{};
    bool operator==(const PublicKey&) const = default;
};

// 64-byte libsodium Ed25519 secret key (seed | public key), wiped with
// sodium_memzero on destruction and before being overwritten.
class SecretKey {
public:
    static constexpr std::size_t kSize = 64;
    SecretKey();
    SecretKey(const SecretKey& other);
    SecretKey& operator=(const SecretKey& other);
    ~SecretKey();
    std::uint8_t* data() { return m_bytes.data(); }
    const std::uint8_t* data() const { return m_bytes.data(); }

private:
    std::array<std::uint8_t, kSize> m_bytes{};
};

struct KeyPair {
    PublicKey publicKey;
    SecretKey secretKey;
};

// A fresh Ed25519 key pair with a random key id (libsodium RNG).
KeyPair generateKeyPair();

// Rebuilds the key pair from a 32-byte seed; the key id is taken as given.
KeyPair keyPairFromSeed(const std::uint8_t* seed32, const KeyId& keyId);

// Key id as minisign prints it: 16 uppercase hex digits of the little-endian uint64.
std::string keyIdHex(const KeyId& keyId);

// Parses 16 hex digits (either case) printed as by keyIdHex.
Result<KeyId> parseKeyIdHex(std::string_view text);

// Standard base64 with padding (libsodium's ORIGINAL variant).
std::string base64Encode(const std::uint8_t* bytes, std::size_t size);
std::string base64Encode(std::string_view bytes);

// Decodes strict standard base64 (padding required, no whitespace, canonical
// trailing bits); the error's column is 1-based within `text`.
Result<std::string> base64Decode(std::string_view text);

}  // namespace planner::core::crypto
