#include "crypto/sshsig.hpp"

#include "crypto/hash.hpp"
#include "crypto/init.hpp"
#include "crypto/text_lines.hpp"

#include <sodium.h>

#include <cassert>
#include <cstdint>
#include <cstring>

namespace planner::core::crypto {
namespace {

constexpr std::string_view kMagic = "SSHSIG";
constexpr std::string_view kKeyType = "ssh-ed25519";
constexpr std::string_view kBegin = "-----BEGIN SSH SIGNATURE-----";
constexpr std::string_view kEnd = "-----END SSH SIGNATURE-----";
constexpr std::size_t kArmorColumns = 70;

void putString(std::string& out, std::string_view s) {
    const auto n = static_cast<std::uint32_t>(s.size());
    out.push_back(static_cast<char>(n >> 24));
    out.push_back(static_cast<char>(n >> 16));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n));
    out.append(s);
}

std::string_view view(const std::uint8_t* p, std::size_t n) { return {reinterpret_cast<const char*>(p), n}; }

std::string publicKeyBlob(const Ed25519Public& key) {
    std::string blob;
    putString(blob, kKeyType);
    putString(blob, view(key.data(), key.size()));
    return blob;
}

// Bounds-checked reader over SSH wire encoding; `what` names the failing field.
class WireReader {
public:
    explicit WireReader(std::string_view data) : m_data(data) {}
    bool readU32(std::uint32_t& v) {
        if (m_data.size() - m_pos < 4) return false;
        v = 0;
        for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<std::uint8_t>(m_data[m_pos + i]);
        m_pos += 4;
        return true;
    }
    bool readString(std::string_view& s) {
        std::uint32_t n = 0;
        if (!readU32(n) || m_data.size() - m_pos < n) return false;
        s = m_data.substr(m_pos, n);
        m_pos += n;
        return true;
    }
    bool readRaw(std::size_t n, std::string_view& s) {
        if (m_data.size() - m_pos < n) return false;
        s = m_data.substr(m_pos, n);
        m_pos += n;
        return true;
    }
    bool atEnd() const { return m_pos == m_data.size(); }

private:
    std::string_view m_data;
    std::size_t m_pos = 0;
};

Result<Ed25519Public> decodeKeyBlob(std::string_view blob) {
    WireReader r(blob);
    std::string_view type, key;
    if (!r.readString(type) || !r.readString(key) || !r.atEnd()) {
        return makeError("malformed public key blob (expected string type, string key)");
    }
    if (type != kKeyType) return makeError("unsupported key type \"" + std::string(type) + "\": expected ssh-ed25519");
    if (key.size() != 32) return makeError("an ssh-ed25519 key must be 32 bytes, found " + std::to_string(key.size()));
    Ed25519Public out{};
    std::memcpy(out.data(), key.data(), 32);
    return out;
}

std::string signedData(std::string_view nameSpace, std::string_view hashAlgorithm, std::string_view message) {
    std::string data(kMagic);
    putString(data, nameSpace);
    putString(data, "");
    putString(data, hashAlgorithm);
    if (hashAlgorithm == "sha256") {
        const auto h = sha256(message);
        putString(data, view(h.data(), h.size()));
    } else {
        const auto h = sha512(message);
        putString(data, view(h.data(), h.size()));
    }
    return data;
}

}  // namespace

std::string sshPublicKeyLine(const Ed25519Public& key, std::string_view comment) {
    std::string line = std::string(kKeyType) + " " + base64Encode(publicKeyBlob(key));
    if (!comment.empty()) line.append(" ").append(comment);
    return line;
}

Result<Ed25519Public> parseSshPublicKeyLine(std::string_view line, const std::string& fileName) {
    line = detail::stripCr(line);
    while (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    line = detail::stripCr(line);
    const std::size_t sp = line.find(' ');
    if (sp == std::string_view::npos || line.substr(0, sp) != kKeyType) {
        return makeError("expected an OpenSSH public key line starting with \"ssh-ed25519 \"", fileName, 1, 1);
    }
    std::size_t end = line.find(' ', sp + 1);
    if (end == std::string_view::npos) end = line.size();
    auto blob = base64Decode(line.substr(sp + 1, end - sp - 1));
    if (!blob) {
        return makeError("invalid base64 in the public key", fileName, 1, static_cast<int>(sp + 1 + blob.error().column));
    }
    auto key = decodeKeyBlob(*blob);
    if (!key) return makeError(key.error().message, fileName, 1, static_cast<int>(sp + 2));
    return key;
}

std::string allowedSignersLine(std::string_view principal, std::string_view nameSpace, const Ed25519Public& key) {
    assert(!principal.empty() && principal.find_first_of(" \t\",") == std::string_view::npos);
    assert(nameSpace.find_first_of(" \t\",") == std::string_view::npos);
    return std::string(principal) + " namespaces=\"" + std::string(nameSpace) + "\" " + sshPublicKeyLine(key);
}

Result<std::string> signSshsig(const KeyPair& pair, std::string_view message, std::string_view nameSpace) {
    initCrypto();
    if (nameSpace.empty()) return makeError("an SSHSIG namespace must not be empty");
    const std::string data = signedData(nameSpace, "sha512", message);
    std::uint8_t sig[64];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                         pair.secretKey.data());
    std::string sigBlob;
    putString(sigBlob, kKeyType);
    putString(sigBlob, view(sig, sizeof sig));
    std::string blob(kMagic);
    blob.append({0, 0, 0, 1});
    putString(blob, publicKeyBlob(pair.publicKey.key));
    putString(blob, nameSpace);
    putString(blob, "");
    putString(blob, "sha512");
    putString(blob, sigBlob);
    const std::string b64 = base64Encode(blob);
    std::string out(kBegin);
    out.push_back('\n');
    for (std::size_t i = 0; i < b64.size(); i += kArmorColumns) {
        out.append(b64, i, kArmorColumns).push_back('\n');
    }
    out.append(kEnd).push_back('\n');
    return out;
}

Result<SshSignature> parseSshsig(std::string_view armored, const std::string& fileName) {
    auto lines = detail::splitLines(armored);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto cr = lines[i].find('\r');
        if (cr != std::string_view::npos) {
            return makeError("carriage return in the SSH signature (only LF line ends are accepted)", fileName,
                         static_cast<int>(i + 1), static_cast<int>(cr + 1));
        }
    }
    if (lines.empty() || lines[0] != kBegin) {
        return makeError("expected \"" + std::string(kBegin) + "\"", fileName, 1, 1);
    }
    std::string b64;
    std::size_t i = 1;
    for (; i < lines.size() && lines[i] != kEnd; ++i) {
        if (lines[i].empty()) return makeError("empty line inside the SSH signature", fileName, static_cast<int>(i + 1), 1);
        b64.append(lines[i]);
    }
    if (i == lines.size()) {
        return makeError("expected \"" + std::string(kEnd) + "\" (the signature is truncated)", fileName,
                     static_cast<int>(i + 1), 1);
    }
    if (i + 1 != lines.size()) {
        return makeError("unexpected text after the end of the SSH signature", fileName, static_cast<int>(i + 2), 1);
    }
    auto blobResult = base64Decode(b64);
    if (!blobResult) return makeError("invalid base64 inside the SSH signature armor", fileName, 2, 1);
    const std::string& blob = *blobResult;
    auto fail = [&](const std::string& what) { return makeError("malformed SSHSIG blob: " + what, fileName, 2, 1); };
    WireReader r(blob);
    std::string_view magic, keyBlob, ns, reserved, hashAlg, sigBlob;
    std::uint32_t version = 0;
    if (!r.readRaw(kMagic.size(), magic) || magic != kMagic) return fail("expected the \"SSHSIG\" magic");
    if (!r.readU32(version)) return fail("missing version");
    if (version != 1) return fail("unsupported version " + std::to_string(version) + " (expected 1)");
    if (!r.readString(keyBlob)) return fail("truncated public key");
    if (!r.readString(ns)) return fail("truncated namespace");
    if (!r.readString(reserved)) return fail("truncated reserved field");
    if (!r.readString(hashAlg)) return fail("truncated hash algorithm");
    if (!r.readString(sigBlob)) return fail("truncated signature");
    if (!r.atEnd()) return fail("unexpected bytes after the signature");
    SshSignature out;
    auto key = decodeKeyBlob(keyBlob);
    if (!key) return fail(key.error().message);
    out.publicKey = *key;
    if (ns.empty()) return fail("empty namespace");
    out.nameSpace = std::string(ns);
    if (hashAlg != "sha512" && hashAlg != "sha256") {
        return fail("unsupported hash algorithm \"" + std::string(hashAlg) + "\" (expected sha512 or sha256)");
    }
    out.hashAlgorithm = std::string(hashAlg);
    WireReader sr(sigBlob);
    std::string_view sigType, sigBytes;
    if (!sr.readString(sigType) || !sr.readString(sigBytes) || !sr.atEnd()) {
        return fail("signature field is not (string type, string signature)");
    }
    if (sigType != kKeyType) return fail("signature type \"" + std::string(sigType) + "\" is not ssh-ed25519");
    if (sigBytes.size() != 64) return fail("an Ed25519 signature must be 64 bytes");
    std::memcpy(out.signature.data(), sigBytes.data(), 64);
    return out;
}

Status verifySshsig(const SshSignature& signature, std::string_view message, std::string_view expectedNamespace,
                    const Ed25519Public* expectedKey) {
    initCrypto();
    if (signature.nameSpace != expectedNamespace) {
        return makeError("SSH signature namespace is \"" + signature.nameSpace + "\", expected \"" +
                     std::string(expectedNamespace) + "\"");
    }
    if (expectedKey && *expectedKey != signature.publicKey) {
        return makeError("SSH signature was made by a different key than expected");
    }
    const std::string data = signedData(signature.nameSpace, signature.hashAlgorithm, message);
    if (crypto_sign_verify_detached(signature.signature.data(), reinterpret_cast<const unsigned char*>(data.data()),
                                    data.size(), signature.publicKey.data()) != 0) {
        return makeError("SSH signature does not match the signed data");
    }
    return okStatus();
}

}  // namespace planner::core::crypto
