#include "crypto/keys.hpp"

#include "crypto/init.hpp"

#include <sodium.h>

#include <cassert>
#include <cstring>

namespace planner::core::crypto {

SecretKey::SecretKey() = default;

SecretKey::SecretKey(const SecretKey& other) : m_bytes(other.m_bytes) {}

SecretKey& SecretKey::operator=(const SecretKey& other) {
    if (this != &other) {
        sodium_memzero(m_bytes.data(), m_bytes.size());
        m_bytes = other.m_bytes;
    }
    return *this;
}

SecretKey::~SecretKey() { sodium_memzero(m_bytes.data(), m_bytes.size()); }

KeyPair generateKeyPair() {
    const bool ready = initCrypto();
    assert(ready);
    (void)ready;
    KeyPair pair;
    crypto_sign_keypair(pair.publicKey.key.data(), pair.secretKey.data());
    randombytes_buf(pair.publicKey.keyId.data(), pair.publicKey.keyId.size());
    return pair;
}

KeyPair keyPairFromSeed(const std::uint8_t* seed32, const KeyId& keyId) {
    initCrypto();
    KeyPair pair;
    crypto_sign_seed_keypair(pair.publicKey.key.data(), pair.secretKey.data(), seed32);
    pair.publicKey.keyId = keyId;
    return pair;
}

std::string keyIdHex(const KeyId& keyId) {
    static const char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(16);
    for (std::size_t i = keyId.size(); i-- > 0;) {
        out.push_back(digits[keyId[i] >> 4]);
        out.push_back(digits[keyId[i] & 0x0f]);
    }
    return out;
}

Result<KeyId> parseKeyIdHex(std::string_view text) {
    if (text.size() != 16) {
        return makeError("expected a key id of 16 hex digits, got " + std::to_string(text.size()) + " characters");
    }
    KeyId id{};
    for (std::size_t i = 0; i < 16; ++i) {
        const char c = text[i];
        int v = -1;
        if (c >= '0' && c <= '9') v = c - '0';
        else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
        else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
        if (v < 0) {
            return makeError("expected a hex digit in the key id", "", 0, static_cast<int>(i + 1));
        }
        const std::size_t byte = 7 - i / 2;
        id[byte] = static_cast<std::uint8_t>(i % 2 == 0 ? (v << 4) : (id[byte] | v));
    }
    return id;
}

std::string base64Encode(const std::uint8_t* bytes, std::size_t size) {
    const std::size_t cap = sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL);
    std::string out(cap, '\0');
    sodium_bin2base64(out.data(), cap, bytes, size, sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::string base64Encode(std::string_view bytes) {
    return base64Encode(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

Result<std::string> base64Decode(std::string_view text) {
    initCrypto();
    std::string out(text.size() / 4 * 3 + 3, '\0');
    std::size_t len = 0;
    const char* end = nullptr;
    const int rc = sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                                     text.size(), nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL);
    if (rc != 0 || end != text.data() + text.size()) {
        const std::size_t at = end ? static_cast<std::size_t>(end - text.data()) : 0;
        return makeError("invalid base64 (expected the standard alphabet with '=' padding)", "", 0,
                     static_cast<int>(at + 1));
    }
    out.resize(len);
    return out;
}

}  // namespace planner::core::crypto
