// The workspace's own storage of a signing key: the Ed25519 seed encrypted with
// a passphrase (Argon2id + XChaCha20-Poly1305) in a small JSON document whose
// fields are described in docs/bundle-format.md ("Stored secret keys").
#pragma once

#include "crypto/keys.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace planner::core::crypto {

// Argon2id cost. The defaults (3 passes, 64 MiB) fit a browser tab in about a
// second; tests may pass smaller ones (libsodium minimum: 1 pass, 8 KiB).
struct Argon2Limits {
    std::uint64_t opslimit = 3;
    std::uint64_t memlimit = 64ull * 1024 * 1024;
};

// Largest limits accepted when reading a stored key (guards against a file that
// asks for unbounded work).
inline constexpr std::uint64_t kMaxStoredKeyOpslimit = 16;
inline constexpr std::uint64_t kMaxStoredKeyMemlimit = 1024ull * 1024 * 1024;

// Encrypts `pair` under `passphrase`; the result is a single-line JSON object.
// Fails on an empty passphrase, limits out of range, or when Argon2id cannot allocate its memory.
Result<std::string> encryptSecretKey(const KeyPair& pair, std::string_view passphrase,
                                     const Argon2Limits& limits = {});

// Decrypts a document written by encryptSecretKey. A wrong passphrase (or an
// altered document) yields an error saying so; nothing secret is kept on failure.
Result<KeyPair> decryptSecretKey(std::string_view document, std::string_view passphrase,
                                 const std::string& fileName = "");

// The public key recorded in a stored-key document (no passphrase needed).
Result<PublicKey> storedKeyPublicKey(std::string_view document, const std::string& fileName = "");

}  // namespace planner::core::crypto
