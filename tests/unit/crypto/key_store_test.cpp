#include "crypto/key_store.hpp"
#include "crypto/minisign.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace planner::core::crypto {
namespace {

const Argon2Limits kSmall{1, 1 << 16};

TEST(KeyStore, RoundTripWithSmallLimits) {
    const KeyPair pair = generateKeyPair();
    auto doc = encryptSecretKey(pair, "pass phrase", kSmall);
    ASSERT_TRUE(doc.ok()) << doc.error().toString();
    EXPECT_EQ(doc->find('\n'), std::string::npos);
    EXPECT_NE(doc->find("\"kdf\":\"argon2id13\""), std::string::npos);
    EXPECT_EQ(doc->find(base64Encode(pair.secretKey.data(), 32)), std::string::npos) << "seed stored in clear";
    auto back = decryptSecretKey(*doc, "pass phrase");
    ASSERT_TRUE(back.ok()) << back.error().toString();
    EXPECT_EQ(back->publicKey, pair.publicKey);
    EXPECT_EQ(0, std::memcmp(back->secretKey.data(), pair.secretKey.data(), SecretKey::kSize));
    auto pub = storedKeyPublicKey(*doc);
    ASSERT_TRUE(pub.ok());
    EXPECT_EQ(*pub, pair.publicKey);
    auto again = encryptSecretKey(pair, "pass phrase", kSmall);
    EXPECT_NE(*again, *doc) << "salt and nonce must be fresh";
}

TEST(KeyStore, DefaultBrowserLimitsWork) {
    const KeyPair pair = generateKeyPair();
    auto doc = encryptSecretKey(pair, "pw");
    ASSERT_TRUE(doc.ok()) << doc.error().toString();
    EXPECT_NE(doc->find("\"opslimit\":3,\"memlimit\":67108864"), std::string::npos);
    EXPECT_TRUE(decryptSecretKey(*doc, "pw").ok());
}

TEST(KeyStore, WrongPassphraseAndTamperingAreReported) {
    const KeyPair pair = generateKeyPair();
    const std::string doc = *encryptSecretKey(pair, "right", kSmall);
    auto wrong = decryptSecretKey(doc, "wrong", "me.key.json");
    ASSERT_FALSE(wrong.ok());
    EXPECT_NE(wrong.error().message.find("wrong passphrase"), std::string::npos);
    EXPECT_EQ(wrong.error().file, "me.key.json");

    const KeyPair other = generateKeyPair();
    std::string swapped = doc;
    const std::string oldPub = minisignPublicKeyBase64(pair.publicKey);
    PublicKey forged = other.publicKey;
    forged.keyId = pair.publicKey.keyId;
    swapped.replace(swapped.find(oldPub), oldPub.size(), minisignPublicKeyBase64(forged));
    auto swappedResult = decryptSecretKey(swapped, "right");
    ASSERT_FALSE(swappedResult.ok()) << "the public part is authenticated";

    std::string cipher = doc;
    const std::size_t at = cipher.find("\"ciphertext\":\"") + 15;
    cipher[at] = cipher[at] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(decryptSecretKey(cipher, "right").ok());
    EXPECT_FALSE(encryptSecretKey(pair, "", kSmall).ok());
}

TEST(KeyStore, MalformedDocumentsGiveClearErrors) {
    auto notJson = decryptSecretKey("{\"format\": ", "pw", "k.json");
    ASSERT_FALSE(notJson.ok());
    EXPECT_EQ(notJson.error().file, "k.json");
    EXPECT_EQ(notJson.error().column, 12);
    auto wrongFormat = decryptSecretKey("{\"format\":\"other\"}", "pw");
    ASSERT_FALSE(wrongFormat.ok());
    EXPECT_NE(wrongFormat.error().message.find("planner-secret-key"), std::string::npos);
    const KeyPair pair = generateKeyPair();
    std::string doc = *encryptSecretKey(pair, "pw", kSmall);
    doc.replace(doc.find("\"memlimit\":65536"), 16, "\"memlimit\":1099511627776");
    auto huge = decryptSecretKey(doc, "pw");
    ASSERT_FALSE(huge.ok());
    EXPECT_NE(huge.error().message.find("out of range"), std::string::npos);
    EXPECT_FALSE(decryptSecretKey("[]", "pw").ok());
    EXPECT_FALSE(storedKeyPublicKey("").ok());
}

}  // namespace
}  // namespace planner::core::crypto
