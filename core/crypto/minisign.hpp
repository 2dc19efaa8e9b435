// minisign (0.11) public keys, secret keys and signatures, byte-compatible with
// the reference tool. Layouts are described in docs/bundle-format.md.
#pragma once

#include "crypto/keys.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace planner::core::crypto {

// scrypt cost stored in an encrypted minisign secret key. The defaults are the
// reference tool's (about 1 GiB of memory); tests may pass smaller ones.
struct ScryptLimits {
    std::uint64_t opslimit = 33554432;
    std::uint64_t memlimit = 1073741824;
};

struct MinisignSignature {
    bool prehashed = true;             // "ED" (BLAKE2b-512 prehash) or legacy "Ed"
    KeyId keyId{};
    Ed25519Signature signature{};
    std::string untrustedComment;      // text after "untrusted comment: " (not authenticated)
    std::string trustedComment;        // text after "trusted comment: " (covered by globalSignature)
    Ed25519Signature globalSignature{};
};

// The "RW..." base64 line of a public key (no newline).
std::string minisignPublicKeyBase64(const PublicKey& key);

// A complete public key file: untrusted comment line and base64 line, each ending in '\n'.
std::string writeMinisignPublicKey(const PublicKey& key);

// Reads a public key file, or a bare base64 line as given to `minisign -P`.
// Errors name `fileName`, the line and column.
Result<PublicKey> parseMinisignPublicKey(std::string_view text, const std::string& fileName = "");

// Writes a secret key file. With a passphrase the key is encrypted with scrypt
// at `limits` (kdf "Sc"); without one it is stored unencrypted (kdf 00 00, salt,
// limits and checksum zero, exactly as `minisign -G -W` writes it).
// Fails only when the scrypt derivation cannot run (e.g. memory cannot be allocated).
Result<std::string> writeMinisignSecretKey(const KeyPair& pair, std::optional<std::string_view> passphrase,
                                           const ScryptLimits& limits = {});

// True when the secret key file is scrypt-encrypted (a passphrase will be needed).
Result<bool> minisignSecretKeyIsEncrypted(std::string_view text, const std::string& fileName = "");

// Reads a secret key file; `passphrase` is used only for encrypted keys. A wrong
// passphrase, a corrupted file and an scrypt allocation failure each get their own message.
Result<KeyPair> parseMinisignSecretKey(std::string_view text, std::string_view passphrase,
                                       const std::string& fileName = "");

// Signs `message` as `minisign -S` does: prehashed "ED" unless `legacy` is set.
// Fails if a comment contains a line break or the trusted comment exceeds 1000 bytes.
Result<std::string> signMinisign(const KeyPair& pair, std::string_view message, std::string_view trustedComment,
                                 std::string_view untrustedComment = "signature from minisign secret key",
                                 bool legacy = false);

// Parses a .minisig file (four lines). Errors name `fileName`, line and column.
Result<MinisignSignature> parseMinisignSignature(std::string_view text, const std::string& fileName = "");

// Checks `signature` over `message` with `key`: key id, data signature, then the
// trusted comment's global signature. `requirePrehashed` refuses legacy "Ed" like `minisign -V -H`.
Status verifyMinisign(const PublicKey& key, std::string_view message, const MinisignSignature& signature,
                      bool requirePrehashed);

// Parses and verifies in one step; returns the parsed signature when it holds.
Result<MinisignSignature> verifyMinisignText(const PublicKey& key, std::string_view message,
                                             std::string_view signatureText, bool requirePrehashed,
                                             const std::string& fileName = "");

}  // namespace planner::core::crypto
