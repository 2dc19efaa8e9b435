// OpenSSH signatures (SSHSIG, as `ssh-keygen -Y sign`) and OpenSSH public key
// lines for Ed25519 keys, byte-compatible with OpenSSH 9.x.
#pragma once

#include "crypto/keys.hpp"
#include "util/result.hpp"

#include <string>
#include <string_view>

namespace planner::core::crypto {

struct SshSignature {
    Ed25519Public publicKey{};
    std::string nameSpace;        // the namespace the signature is bound to (never empty)
    std::string hashAlgorithm;    // "sha512" or "sha256"
    Ed25519Signature signature{};
};

// "ssh-ed25519 AAAA..." followed by " comment" when `comment` is not empty; no newline.
std::string sshPublicKeyLine(const Ed25519Public& key, std::string_view comment = "");

// Reads an OpenSSH public key line of type ssh-ed25519 (comment ignored).
Result<Ed25519Public> parseSshPublicKeyLine(std::string_view line, const std::string& fileName = "");

// One allowed_signers line: `principal namespaces="<ns>" ssh-ed25519 AAAA...` (no newline).
// Precondition: principal and namespace hold no whitespace, quote or comma.
std::string allowedSignersLine(std::string_view principal, std::string_view nameSpace, const Ed25519Public& key);

// Armored SSHSIG over `message` (SHA-512), lines of 70 columns, ending in '\n'.
// Fails on an empty namespace.
Result<std::string> signSshsig(const KeyPair& pair, std::string_view message, std::string_view nameSpace);

// Parses an armored SSHSIG (LF line ends only, as ssh-keygen requires).
Result<SshSignature> parseSshsig(std::string_view armored, const std::string& fileName = "");

// Verifies `signature` over `message` for `expectedNamespace`; when `expectedKey`
// is given the signature must also be made by that key.
Status verifySshsig(const SshSignature& signature, std::string_view message, std::string_view expectedNamespace,
                    const Ed25519Public* expectedKey = nullptr);

}  // namespace planner::core::crypto
