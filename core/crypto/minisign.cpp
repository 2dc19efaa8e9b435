#include "crypto/minisign.hpp"

#include "crypto/hash.hpp"
#include "crypto/init.hpp"
#include "crypto/text_lines.hpp"

#include <sodium.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>

namespace planner::core::crypto {
namespace {

constexpr std::string_view kUntrustedPrefix = "untrusted comment: ";
constexpr std::string_view kTrustedPrefix = "trusted comment: ";
constexpr std::size_t kPublicKeyBytes = 2 + 8 + 32;
constexpr std::size_t kSecretKeyBytes = 158;
constexpr std::size_t kSignatureBytes = 2 + 8 + 64;
constexpr std::size_t kKeyNumBytes = 8 + 64 + 32;  // key id | secret key | checksum
constexpr std::size_t kMaxTrustedComment = 1000;

// Zeroes a buffer holding secret bytes when the scope ends.
class Wipe {
public:
    Wipe(void* data, std::size_t size) : m_data(data), m_size(size) {}
    ~Wipe() { sodium_memzero(m_data, m_size); }
    Wipe(const Wipe&) = delete;
    Wipe& operator=(const Wipe&) = delete;

private:
    void* m_data;
    std::size_t m_size;
};

Error errorAt(const std::string& fileName, int line, int column, std::string message) {
    return makeError(std::move(message), fileName, line, column);
}

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

void putU64Le(std::uint8_t* out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::uint64_t getU64Le(const std::uint8_t* in) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | in[i];
    return v;
}

// Decodes one base64 line expected to hold exactly `expected` bytes.
Result<std::string> decodeLine(std::string_view line, std::size_t expected, const std::string& fileName,
                               int lineNo, const char* what) {
    auto decoded = base64Decode(line);
    if (!decoded) {
        return errorAt(fileName, lineNo, decoded.error().column, std::string("invalid base64 in the ") + what);
    }
    if (decoded->size() != expected) {
        return errorAt(fileName, lineNo, 1,
                       std::string("the ") + what + " decodes to " + std::to_string(decoded->size()) +
                           " bytes, expected " + std::to_string(expected));
    }
    return decoded;
}

Status checkCommentLine(std::string_view line, std::string_view prefix, const std::string& fileName, int lineNo) {
    if (line.substr(0, prefix.size()) != prefix) {
        std::size_t col = 0;
        while (col < line.size() && col < prefix.size() && line[col] == prefix[col]) ++col;
        return errorAt(fileName, lineNo, static_cast<int>(col + 1),
                       "expected a line starting with \"" + std::string(prefix) + "\"");
    }
    return okStatus();
}

// Lines of a key or signature file; only trailing empty lines are tolerated
// beyond `count`, and a carriage return before the newline is dropped.
Result<std::vector<std::string_view>> exactLines(std::string_view text, std::size_t count,
                                                 const std::string& fileName, const char* what) {
    auto lines = detail::splitLines(text);
    while (lines.size() > count && detail::stripCr(lines.back()).empty()) lines.pop_back();
    if (lines.size() < count) {
        return errorAt(fileName, static_cast<int>(lines.size() + 1), 1,
                       std::string("unexpected end of the ") + what + ": expected " + std::to_string(count) +
                           " lines, found " + std::to_string(lines.size()));
    }
    if (lines.size() > count) {
        return errorAt(fileName, static_cast<int>(count + 1), 1,
                       std::string("unexpected text after the ") + what);
    }
    for (auto& line : lines) line = detail::stripCr(line);
    return lines;
}

void checksum(const std::uint8_t* sigAlg, const std::uint8_t* keyId, const std::uint8_t* secretKey,
              std::uint8_t* out32) {
    std::uint8_t buf[2 + 8 + 64];
    Wipe wipe(buf, sizeof buf);
    std::memcpy(buf, sigAlg, 2);
    std::memcpy(buf + 2, keyId, 8);
    std::memcpy(buf + 10, secretKey, 64);
    crypto_generichash(out32, 32, buf, sizeof buf, nullptr, 0);
}

// Derives the 104-byte XOR stream that encrypts key id, secret key and checksum.
Status scryptStream(std::string_view passphrase, const std::uint8_t* salt, std::uint64_t opslimit,
                    std::uint64_t memlimit, std::uint8_t* out) {
    constexpr std::uint64_t kMaxLimit = std::uint64_t{1} << 32;
    if (opslimit > kMaxLimit || memlimit > kMaxLimit) {
        return makeError("refusing scrypt limits above 4 GiB / 2^32 operations (opslimit " + std::to_string(opslimit) +
                     ", memlimit " + std::to_string(memlimit) + ")");
    }
    if (memlimit > std::numeric_limits<std::size_t>::max()) {
        return makeError("this key's scrypt memory limit (" + std::to_string(memlimit >> 20) +
                     " MiB) exceeds what this platform can address; open the key with the native command-line tool");
    }
    errno = 0;
    const int rc = crypto_pwhash_scryptsalsa208sha256(out, kKeyNumBytes, passphrase.data(), passphrase.size(), salt,
                                                      opslimit, static_cast<std::size_t>(memlimit));
    if (rc != 0) {
        if (errno == ENOMEM || errno == EFBIG || errno == 0) {
            return makeError("scrypt could not allocate the memory this key needs (up to " +
                         std::to_string(memlimit >> 20) +
                         " MiB); not enough memory here: open the key with the native command-line tool");
        }
        return makeError("scrypt key derivation failed (" + std::string(std::strerror(errno)) + ")");
    }
    return okStatus();
}

}  // namespace

std::string minisignPublicKeyBase64(const PublicKey& key) {
    std::uint8_t raw[kPublicKeyBytes];
    raw[0] = 'E';
    raw[1] = 'd';
    std::memcpy(raw + 2, key.keyId.data(), 8);
    std::memcpy(raw + 10, key.key.data(), 32);
    return base64Encode(raw, sizeof raw);
}

std::string writeMinisignPublicKey(const PublicKey& key) {
    return std::string(kUntrustedPrefix) + "minisign public key " + keyIdHex(key.keyId) + "\n" +
           minisignPublicKeyBase64(key) + "\n";
}

Result<PublicKey> parseMinisignPublicKey(std::string_view text, const std::string& fileName) {
    auto lines = detail::splitLines(text);
    while (!lines.empty() && detail::stripCr(lines.back()).empty()) lines.pop_back();
    if (lines.empty()) return errorAt(fileName, 1, 1, "empty public key: expected a minisign public key");
    std::string_view b64;
    int lineNo = 1;
    if (lines.size() == 1) {
        b64 = detail::stripCr(lines[0]);
    } else if (lines.size() == 2) {
        const auto first = detail::stripCr(lines[0]);
        if (auto st = checkCommentLine(first, kUntrustedPrefix, fileName, 1); !st) return st.error();
        b64 = detail::stripCr(lines[1]);
        lineNo = 2;
    } else {
        return errorAt(fileName, 3, 1, "unexpected text after the public key (expected 2 lines)");
    }
    auto raw = decodeLine(b64, kPublicKeyBytes, fileName, lineNo, "public key");
    if (!raw) return raw.error();
    if (raw->compare(0, 2, "Ed") != 0) {
        return errorAt(fileName, lineNo, 1, "unsupported public key algorithm: expected \"Ed\" (Ed25519)");
    }
    PublicKey key;
    std::memcpy(key.keyId.data(), raw->data() + 2, 8);
    std::memcpy(key.key.data(), raw->data() + 10, 32);
    return key;
}

Result<std::string> writeMinisignSecretKey(const KeyPair& pair, std::optional<std::string_view> passphrase,
                                           const ScryptLimits& limits) {
    initCrypto();
    std::uint8_t raw[kSecretKeyBytes] = {};
    Wipe wipeRaw(raw, sizeof raw);
    raw[0] = 'E';
    raw[1] = 'd';
    raw[4] = 'B';
    raw[5] = '2';
    std::uint8_t* keyNum = raw + 54;
    std::memcpy(keyNum, pair.publicKey.keyId.data(), 8);
    std::memcpy(keyNum + 8, pair.secretKey.data(), 64);
    if (passphrase) {
        checksum(raw, keyNum, keyNum + 8, keyNum + 72);
        raw[2] = 'S';
        raw[3] = 'c';
        randombytes_buf(raw + 6, 32);
        putU64Le(raw + 38, limits.opslimit);
        putU64Le(raw + 46, limits.memlimit);
        std::uint8_t stream[kKeyNumBytes];
        Wipe wipeStream(stream, sizeof stream);
        if (auto st = scryptStream(*passphrase, raw + 6, limits.opslimit, limits.memlimit, stream); !st) {
            return st.error();
        }
        for (std::size_t i = 0; i < kKeyNumBytes; ++i) keyNum[i] ^= stream[i];
    }
    std::string b64 = base64Encode(raw, sizeof raw);
    std::string out = std::string(kUntrustedPrefix) +
                      (passphrase ? "minisign encrypted secret key" : "minisign secret key (not encrypted)") + "\n" +
                      b64 + "\n";
    sodium_memzero(b64.data(), b64.size());
    return out;
}

namespace {

Result<std::string> decodeSecretKeyFile(std::string_view text, const std::string& fileName) {
    auto lines = exactLines(text, 2, fileName, "secret key");
    if (!lines) return lines.error();
    if (auto st = checkCommentLine((*lines)[0], kUntrustedPrefix, fileName, 1); !st) return st.error();
    auto raw = decodeLine((*lines)[1], kSecretKeyBytes, fileName, 2, "secret key");
    if (!raw) return raw.error();
    std::string& r = *raw;
    const char* problem = nullptr;
    if (r.compare(0, 2, "Ed") != 0) {
        problem = "unsupported signature algorithm in the secret key: expected \"Ed\"";
    } else if (!(r[2] == 'S' && r[3] == 'c') && !(r[2] == 0 && r[3] == 0)) {
        problem = "unsupported key derivation in the secret key: expected \"Sc\" or none";
    } else if (r.compare(4, 2, "B2") != 0) {
        problem = "unsupported checksum algorithm in the secret key: expected \"B2\"";
    }
    if (problem) {
        sodium_memzero(r.data(), r.size());
        return errorAt(fileName, 2, 1, problem);
    }
    return raw;
}

}  // namespace

Result<bool> minisignSecretKeyIsEncrypted(std::string_view text, const std::string& fileName) {
    auto raw = decodeSecretKeyFile(text, fileName);
    if (!raw) return raw.error();
    const bool encrypted = (*raw)[2] == 'S';
    sodium_memzero(raw->data(), raw->size());
    return encrypted;
}

Result<KeyPair> parseMinisignSecretKey(std::string_view text, std::string_view passphrase,
                                       const std::string& fileName) {
    initCrypto();
    auto decoded = decodeSecretKeyFile(text, fileName);
    if (!decoded) return decoded.error();
    std::string& rawStr = *decoded;
    Wipe wipeRaw(rawStr.data(), rawStr.size());
    auto* raw = reinterpret_cast<std::uint8_t*>(rawStr.data());
    const bool encrypted = raw[2] == 'S';
    std::uint8_t* keyNum = raw + 54;
    if (encrypted) {
        if (passphrase.empty()) {
            return errorAt(fileName, 0, 0, "this minisign secret key is encrypted: a passphrase is needed");
        }
        std::uint8_t stream[kKeyNumBytes];
        Wipe wipeStream(stream, sizeof stream);
        auto st = scryptStream(passphrase, raw + 6, getU64Le(raw + 38), getU64Le(raw + 46), stream);
        if (!st) return errorAt(fileName, 0, 0, st.error().message);
        for (std::size_t i = 0; i < kKeyNumBytes; ++i) keyNum[i] ^= stream[i];
    }
    std::uint8_t expected[32];
    checksum(raw, keyNum, keyNum + 8, expected);
    const bool noChecksum = !encrypted && sodium_is_zero(keyNum + 72, 32);
    if (!noChecksum && sodium_memcmp(expected, keyNum + 72, 32) != 0) {
        return errorAt(fileName, 0, 0,
                       encrypted ? "wrong passphrase for this minisign secret key (its checksum does not match)"
                                 : "the secret key's checksum does not match: the file is corrupted");
    }
    KeyId keyId{};
    std::memcpy(keyId.data(), keyNum, 8);
    KeyPair pair = keyPairFromSeed(keyNum + 8, keyId);
    if (sodium_memcmp(pair.secretKey.data(), keyNum + 8, 64) != 0) {
        return errorAt(fileName, 0, 0, "the secret key is corrupted: its public half does not match its seed");
    }
    return pair;
}

Result<std::string> signMinisign(const KeyPair& pair, std::string_view message, std::string_view trustedComment,
                                 std::string_view untrustedComment, bool legacy) {
    initCrypto();
    for (std::string_view c : {trustedComment, untrustedComment}) {
        if (c.find_first_of("\r\n") != std::string_view::npos) {
            return makeError("a minisign comment must be a single line (no line break)");
        }
    }
    if (trustedComment.size() > kMaxTrustedComment) {
        return makeError("the trusted comment is " + std::to_string(trustedComment.size()) + " bytes, at most " +
                     std::to_string(kMaxTrustedComment) + " are allowed");
    }
    std::uint8_t sigRaw[kSignatureBytes];
    sigRaw[0] = 'E';
    sigRaw[1] = legacy ? 'd' : 'D';
    std::memcpy(sigRaw + 2, pair.publicKey.keyId.data(), 8);
    if (legacy) {
        crypto_sign_detached(sigRaw + 10, nullptr, bytes(message), message.size(), pair.secretKey.data());
    } else {
        const auto digest = blake2b512(message);
        crypto_sign_detached(sigRaw + 10, nullptr, digest.data(), digest.size(), pair.secretKey.data());
    }
    std::string global(reinterpret_cast<const char*>(sigRaw + 10), 64);
    global.append(trustedComment);
    std::uint8_t globalSig[64];
    crypto_sign_detached(globalSig, nullptr, bytes(global), global.size(), pair.secretKey.data());
    std::string out;
    out.append(kUntrustedPrefix).append(untrustedComment).append("\n");
    out.append(base64Encode(sigRaw, sizeof sigRaw)).append("\n");
    out.append(kTrustedPrefix).append(trustedComment).append("\n");
    out.append(base64Encode(globalSig, sizeof globalSig)).append("\n");
    return out;
}

Result<MinisignSignature> parseMinisignSignature(std::string_view text, const std::string& fileName) {
    auto lines = exactLines(text, 4, fileName, "signature");
    if (!lines) return lines.error();
    const auto& l = *lines;
    if (auto st = checkCommentLine(l[0], kUntrustedPrefix, fileName, 1); !st) return st.error();
    auto sigRaw = decodeLine(l[1], kSignatureBytes, fileName, 2, "signature line");
    if (!sigRaw) return sigRaw.error();
    if (auto st = checkCommentLine(l[2], kTrustedPrefix, fileName, 3); !st) return st.error();
    auto globalRaw = decodeLine(l[3], 64, fileName, 4, "trusted comment signature line");
    if (!globalRaw) return globalRaw.error();
    MinisignSignature sig;
    const std::string& s = *sigRaw;
    if (s[0] == 'E' && s[1] == 'D') {
        sig.prehashed = true;
    } else if (s[0] == 'E' && s[1] == 'd') {
        sig.prehashed = false;
    } else {
        return errorAt(fileName, 2, 1, "unsupported signature algorithm: expected \"ED\" (prehashed) or \"Ed\"");
    }
    std::memcpy(sig.keyId.data(), s.data() + 2, 8);
    std::memcpy(sig.signature.data(), s.data() + 10, 64);
    std::memcpy(sig.globalSignature.data(), globalRaw->data(), 64);
    sig.untrustedComment = std::string(l[0].substr(kUntrustedPrefix.size()));
    sig.trustedComment = std::string(l[2].substr(kTrustedPrefix.size()));
    return sig;
}

Status verifyMinisign(const PublicKey& key, std::string_view message, const MinisignSignature& signature,
                      bool requirePrehashed) {
    initCrypto();
    if (signature.keyId != key.keyId) {
        return makeError("signature was made by key " + keyIdHex(signature.keyId) + ", not by the expected key " +
                     keyIdHex(key.keyId));
    }
    if (requirePrehashed && !signature.prehashed) {
        return makeError("legacy signature (\"Ed\") refused: a prehashed \"ED\" signature is required");
    }
    int rc = 0;
    if (signature.prehashed) {
        const auto digest = blake2b512(message);
        rc = crypto_sign_verify_detached(signature.signature.data(), digest.data(), digest.size(), key.key.data());
    } else {
        rc = crypto_sign_verify_detached(signature.signature.data(), bytes(message), message.size(), key.key.data());
    }
    if (rc != 0) return makeError("signature does not match the signed data");
    std::string global(reinterpret_cast<const char*>(signature.signature.data()), 64);
    global.append(signature.trustedComment);
    if (crypto_sign_verify_detached(signature.globalSignature.data(), bytes(global), global.size(),
                                    key.key.data()) != 0) {
        return makeError("the trusted comment's signature does not match (the trusted comment was altered)");
    }
    return okStatus();
}

Result<MinisignSignature> verifyMinisignText(const PublicKey& key, std::string_view message,
                                             std::string_view signatureText, bool requirePrehashed,
                                             const std::string& fileName) {
    auto sig = parseMinisignSignature(signatureText, fileName);
    if (!sig) return sig.error();
    if (auto st = verifyMinisign(key, message, *sig, requirePrehashed); !st) {
        return makeError(st.error().message, fileName);
    }
    return sig;
}

}  // namespace planner::core::crypto
