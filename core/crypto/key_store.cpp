#include "crypto/key_store.hpp"

#include "crypto/init.hpp"
#include "crypto/minisign.hpp"
#include "util/json_parse.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <sodium.h>

#include <cerrno>
#include <cstring>

namespace planner::core::crypto {
namespace {

constexpr const char* kFormat = "planner-secret-key";
constexpr int kVersion = 1;
constexpr const char* kKdf = "argon2id13";
constexpr const char* kCipher = "xchacha20poly1305-ietf";

std::string associatedData(const PublicKey& key, std::uint64_t opslimit, std::uint64_t memlimit) {
    return std::string(kFormat) + "/" + std::to_string(kVersion) + "\n" + keyIdHex(key.keyId) + "\n" +
           minisignPublicKeyBase64(key) + "\n" + std::to_string(opslimit) + "\n" + std::to_string(memlimit);
}

Status deriveKey(std::uint8_t* out32, std::string_view passphrase, const std::uint8_t* salt, std::uint64_t opslimit,
                 std::uint64_t memlimit) {
    if (opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN || opslimit > kMaxStoredKeyOpslimit ||
        memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN || memlimit > kMaxStoredKeyMemlimit) {
        return makeError("Argon2id limits out of range (opslimit " + std::to_string(opslimit) + ", memlimit " +
                     std::to_string(memlimit) + " bytes)");
    }
    errno = 0;
    if (crypto_pwhash(out32, 32, passphrase.data(), passphrase.size(), salt, opslimit,
                      static_cast<std::size_t>(memlimit), crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return makeError("Argon2id could not allocate the " + std::to_string(memlimit >> 20) +
                     " MiB it needs to derive the key from the passphrase");
    }
    return okStatus();
}

// Parsed public part of a document.
struct StoredKey {
    PublicKey publicKey;
    std::uint64_t opslimit = 0;
    std::uint64_t memlimit = 0;
    std::string salt;
    std::string nonce;
    std::string ciphertext;
};

Result<StoredKey> parseDocument(std::string_view text, const std::string& fileName) {
    rapidjson::Document doc;
    JsonParseOptions options;
    options.maxBytes = json_limits::kKeyFile;
    options.validateEncoding = false;
    options.messagePrefix = "invalid JSON in the stored key: ";
    if (auto st = parseJson(doc, text, fileName, options); !st) return st.error();
    auto fail = [&](const std::string& what) { return makeError("stored key: " + what, fileName, 1, 1); };
    if (!doc.IsObject()) return fail("expected a JSON object");
    auto str = [&](const char* name, std::string& out) -> bool {
        if (!doc.HasMember(name) || !doc[name].IsString()) return false;
        out.assign(doc[name].GetString(), doc[name].GetStringLength());
        return true;
    };
    auto u64 = [&](const char* name, std::uint64_t& out) -> bool {
        if (!doc.HasMember(name) || !doc[name].IsUint64()) return false;
        out = doc[name].GetUint64();
        return true;
    };
    std::string format, kdf, cipher, keyId, publicKey, salt, nonce, ciphertext;
    std::uint64_t version = 0;
    StoredKey out;
    if (!str("format", format) || format != kFormat) return fail("expected \"format\": \"planner-secret-key\"");
    if (!u64("version", version) || version != kVersion) return fail("expected \"version\": 1");
    if (!str("kdf", kdf) || kdf != kKdf) return fail("expected \"kdf\": \"argon2id13\"");
    if (!str("cipher", cipher) || cipher != kCipher) return fail("expected \"cipher\": \"xchacha20poly1305-ietf\"");
    if (!u64("opslimit", out.opslimit)) return fail("expected an unsigned integer \"opslimit\"");
    if (!u64("memlimit", out.memlimit)) return fail("expected an unsigned integer \"memlimit\"");
    if (!str("keyId", keyId)) return fail("expected a string \"keyId\"");
    if (!str("publicKey", publicKey)) return fail("expected a string \"publicKey\"");
    if (!str("salt", salt)) return fail("expected a string \"salt\"");
    if (!str("nonce", nonce)) return fail("expected a string \"nonce\"");
    if (!str("ciphertext", ciphertext)) return fail("expected a string \"ciphertext\"");
    auto pk = parseMinisignPublicKey(publicKey, fileName);
    if (!pk) return fail("\"publicKey\" is not a minisign public key: " + pk.error().message);
    out.publicKey = *pk;
    if (keyId != keyIdHex(out.publicKey.keyId)) return fail("\"keyId\" does not match \"publicKey\"");
    auto s = base64Decode(salt);
    if (!s || s->size() != crypto_pwhash_SALTBYTES) return fail("\"salt\" must be 16 bytes of base64");
    auto n = base64Decode(nonce);
    if (!n || n->size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES) {
        return fail("\"nonce\" must be 24 bytes of base64");
    }
    auto c = base64Decode(ciphertext);
    if (!c || c->size() != 32 + crypto_aead_xchacha20poly1305_ietf_ABYTES) {
        return fail("\"ciphertext\" must be 48 bytes of base64");
    }
    out.salt = *s;
    out.nonce = *n;
    out.ciphertext = *c;
    return out;
}

}  // namespace

Result<std::string> encryptSecretKey(const KeyPair& pair, std::string_view passphrase, const Argon2Limits& limits) {
    initCrypto();
    if (passphrase.empty()) return makeError("a passphrase is required to store a secret key");
    std::uint8_t salt[crypto_pwhash_SALTBYTES];
    std::uint8_t nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);
    std::uint8_t key[32];
    std::uint8_t seed[32];
    if (auto st = deriveKey(key, passphrase, salt, limits.opslimit, limits.memlimit); !st) return st.error();
    crypto_sign_ed25519_sk_to_seed(seed, pair.secretKey.data());
    const std::string ad = associatedData(pair.publicKey, limits.opslimit, limits.memlimit);
    std::uint8_t cipher[32 + crypto_aead_xchacha20poly1305_ietf_ABYTES];
    unsigned long long cipherLen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(cipher, &cipherLen, seed, sizeof seed,
                                               reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr,
                                               nonce, key);
    sodium_memzero(key, sizeof key);
    sodium_memzero(seed, sizeof seed);
    std::string doc = std::string("{\"format\":\"") + kFormat + "\",\"version\":" + std::to_string(kVersion) +
                      ",\"keyId\":\"" + keyIdHex(pair.publicKey.keyId) + "\",\"publicKey\":\"" +
                      minisignPublicKeyBase64(pair.publicKey) + "\",\"kdf\":\"" + kKdf +
                      "\",\"opslimit\":" + std::to_string(limits.opslimit) +
                      ",\"memlimit\":" + std::to_string(limits.memlimit) + ",\"salt\":\"" +
                      base64Encode(salt, sizeof salt) + "\",\"cipher\":\"" + kCipher + "\",\"nonce\":\"" +
                      base64Encode(nonce, sizeof nonce) + "\",\"ciphertext\":\"" +
                      base64Encode(cipher, static_cast<std::size_t>(cipherLen)) + "\"}";
    return doc;
}

Result<KeyPair> decryptSecretKey(std::string_view document, std::string_view passphrase,
                                 const std::string& fileName) {
    initCrypto();
    auto stored = parseDocument(document, fileName);
    if (!stored) return stored.error();
    std::uint8_t key[32];
    auto st = deriveKey(key, passphrase, reinterpret_cast<const std::uint8_t*>(stored->salt.data()), stored->opslimit,
                        stored->memlimit);
    if (!st) return makeError(st.error().message, fileName);
    const std::string ad = associatedData(stored->publicKey, stored->opslimit, stored->memlimit);
    std::uint8_t seed[32];
    unsigned long long seedLen = 0;
    const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
        seed, &seedLen, nullptr, reinterpret_cast<const unsigned char*>(stored->ciphertext.data()),
        stored->ciphertext.size(), reinterpret_cast<const unsigned char*>(ad.data()), ad.size(),
        reinterpret_cast<const unsigned char*>(stored->nonce.data()), key);
    sodium_memzero(key, sizeof key);
    if (rc != 0 || seedLen != sizeof seed) {
        sodium_memzero(seed, sizeof seed);
        return makeError("wrong passphrase, or the stored key was altered (decryption failed)", fileName);
    }
    KeyPair pair = keyPairFromSeed(seed, stored->publicKey.keyId);
    sodium_memzero(seed, sizeof seed);
    if (pair.publicKey.key != stored->publicKey.key) {
        return makeError("the stored key is inconsistent: the decrypted secret does not match its public key", fileName);
    }
    return pair;
}

Result<PublicKey> storedKeyPublicKey(std::string_view document, const std::string& fileName) {
    auto stored = parseDocument(document, fileName);
    if (!stored) return stored.error();
    return stored->publicKey;
}

}  // namespace planner::core::crypto
