#include "crypto/minisign.hpp"

#include "crypto_test_support.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace planner::core::crypto {
namespace {

using planner::core::testing::dataFile;

TEST(MinisignKeys, KeyIdHexMatchesReferenceTool) {
    auto key = parseMinisignPublicKey(dataFile("minisign_plain.pub"), "minisign_plain.pub");
    ASSERT_TRUE(key.ok()) << key.error().toString();
    EXPECT_EQ(keyIdHex(key->keyId), "BB99D2308C3943D0");
    auto back = parseKeyIdHex("bb99d2308c3943d0");
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, key->keyId);
    EXPECT_FALSE(parseKeyIdHex("BB99D2308C3943D").ok());
    EXPECT_EQ(parseKeyIdHex("BB99D2308C3943DX").error().column, 16);
}

TEST(MinisignKeys, PublicKeyFileRoundTripsByteForByte) {
    const std::string file = dataFile("minisign_plain.pub");
    auto key = parseMinisignPublicKey(file);
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(writeMinisignPublicKey(*key), file);
    auto bare = parseMinisignPublicKey("RWTQQzmMMNKZu2DePsAEaqxLkVbHYb5aJ+xc3pS60F52lQcl2hQ9tzB1");
    ASSERT_TRUE(bare.ok());
    EXPECT_EQ(*bare, *key);
    const KeyPair fresh = generateKeyPair();
    auto again = parseMinisignPublicKey(writeMinisignPublicKey(fresh.publicKey));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, fresh.publicKey);
}

TEST(MinisignKeys, MalformedPublicKeysGiveClearErrors) {
    auto empty = parseMinisignPublicKey("", "k.pub");
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().file, "k.pub");
    EXPECT_NE(empty.error().message.find("empty"), std::string::npos);

    auto badComment = parseMinisignPublicKey("untrusted comment minisign\nRWTQQzmMMNKZu2DePsAEaqxLkVbHYb5aJ+xc3pS60F52lQcl2hQ9tzB1\n");
    ASSERT_FALSE(badComment.ok());
    EXPECT_EQ(badComment.error().line, 1);
    EXPECT_EQ(badComment.error().column, 18);

    auto badB64 = parseMinisignPublicKey("untrusted comment: x\nRWTQQzmMMNKZu2DePs!EaqxLkVbHYb5aJ+xc3pS60F52lQcl2hQ9tzB1\n");
    ASSERT_FALSE(badB64.ok());
    EXPECT_EQ(badB64.error().line, 2);
    EXPECT_NE(badB64.error().message.find("base64"), std::string::npos);

    auto shortKey = parseMinisignPublicKey("RWTQQzmMMNKZu2DePsAEaqxLkVbHYb5aJ+xc3pS60F52lQcl2hQ9");
    ASSERT_FALSE(shortKey.ok());
    EXPECT_NE(shortKey.error().message.find("expected 42"), std::string::npos);

    auto wrongAlg = parseMinisignPublicKey("RUTQQzmMMNKZu2DePsAEaqxLkVbHYb5aJ+xc3pS60F52lQcl2hQ9tzB1");
    ASSERT_FALSE(wrongAlg.ok());
    EXPECT_NE(wrongAlg.error().message.find("algorithm"), std::string::npos);

    auto tooMany = parseMinisignPublicKey("untrusted comment: a\nRWTQQzmMMNKZu2DePsAEaqxLkVbHYb5aJ+xc3pS60F52lQcl2hQ9tzB1\nextra\n");
    ASSERT_FALSE(tooMany.ok());
    EXPECT_EQ(tooMany.error().line, 3);
}

TEST(MinisignKeys, ReadsUnencryptedSecretKeyFromReferenceTool) {
    const std::string text = dataFile("minisign_plain.key");
    auto encrypted = minisignSecretKeyIsEncrypted(text);
    ASSERT_TRUE(encrypted.ok());
    EXPECT_FALSE(*encrypted);
    auto pair = parseMinisignSecretKey(text, "", "minisign_plain.key");
    ASSERT_TRUE(pair.ok()) << pair.error().toString();
    auto pub = parseMinisignPublicKey(dataFile("minisign_plain.pub"));
    ASSERT_TRUE(pub.ok());
    EXPECT_EQ(pair->publicKey, *pub);
    auto sig = signMinisign(*pair, "payload", "t");
    ASSERT_TRUE(sig.ok());
    EXPECT_TRUE(verifyMinisignText(*pub, "payload", *sig, true).ok());
}

TEST(MinisignKeys, SecretKeyRoundTripPlainAndEncrypted) {
    const KeyPair pair = generateKeyPair();
    auto plain = writeMinisignSecretKey(pair, std::nullopt);
    ASSERT_TRUE(plain.ok());
    auto back = parseMinisignSecretKey(*plain, "");
    ASSERT_TRUE(back.ok()) << back.error().toString();
    EXPECT_EQ(back->publicKey, pair.publicKey);
    EXPECT_EQ(0, std::memcmp(back->secretKey.data(), pair.secretKey.data(), SecretKey::kSize));

    const ScryptLimits small{1 << 15, 1 << 24};
    auto enc = writeMinisignSecretKey(pair, std::string_view("correct horse"), small);
    ASSERT_TRUE(enc.ok()) << enc.error().toString();
    EXPECT_TRUE(*minisignSecretKeyIsEncrypted(*enc));
    auto dec = parseMinisignSecretKey(*enc, "correct horse");
    ASSERT_TRUE(dec.ok()) << dec.error().toString();
    EXPECT_EQ(dec->publicKey, pair.publicKey);
    EXPECT_EQ(0, std::memcmp(dec->secretKey.data(), pair.secretKey.data(), SecretKey::kSize));

    auto wrong = parseMinisignSecretKey(*enc, "battery staple", "me.key");
    ASSERT_FALSE(wrong.ok());
    EXPECT_NE(wrong.error().message.find("wrong passphrase"), std::string::npos);
    EXPECT_EQ(wrong.error().file, "me.key");
    auto none = parseMinisignSecretKey(*enc, "");
    ASSERT_FALSE(none.ok());
    EXPECT_NE(none.error().message.find("passphrase is needed"), std::string::npos);
}

TEST(MinisignKeys, CorruptedSecretKeysAreRejected) {
    const KeyPair pair = generateKeyPair();
    const std::string text = *writeMinisignSecretKey(pair, std::nullopt);
    const auto nl = text.find('\n');
    std::string raw = *base64Decode(text.substr(nl + 1, text.size() - nl - 2));
    auto reencode = [&](const std::string& r) { return text.substr(0, nl + 1) + base64Encode(r) + "\n"; };
    std::string flipped = raw;
    flipped[70] ^= 0x01;
    auto bad = parseMinisignSecretKey(reencode(flipped), "");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("corrupted"), std::string::npos);
    std::string badChecksum = raw;
    badChecksum[140] ^= 0x01;
    auto badChk = parseMinisignSecretKey(reencode(badChecksum), "");
    ASSERT_FALSE(badChk.ok());
    EXPECT_NE(badChk.error().message.find("checksum does not match"), std::string::npos);
    std::string kdf = raw;
    kdf[2] = 'X';
    auto badKdf = parseMinisignSecretKey(reencode(kdf), "");
    ASSERT_FALSE(badKdf.ok());
    EXPECT_NE(badKdf.error().message.find("key derivation"), std::string::npos);
    auto truncated = parseMinisignSecretKey(text.substr(0, text.size() - 10), "");
    ASSERT_FALSE(truncated.ok());
    EXPECT_EQ(truncated.error().line, 2);
    std::string huge = raw;
    huge[2] = 'S';
    huge[3] = 'c';
    for (int i = 0; i < 8; ++i) huge[46 + i] = static_cast<char>(i == 5 ? 1 : 0);  // memlimit 2^40
    auto refused = parseMinisignSecretKey(reencode(huge), "pw");
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("refusing scrypt limits"), std::string::npos);
}

TEST(MinisignKeys, ReferenceToolScryptKeyNeedsItsPassphrase) {
    const std::string text = dataFile("minisign_scrypt.key");
    ASSERT_TRUE(*minisignSecretKeyIsEncrypted(text));
    auto pub = parseMinisignPublicKey(dataFile("minisign_scrypt.pub"));
    ASSERT_TRUE(pub.ok());
#ifndef __EMSCRIPTEN__
    auto pair = parseMinisignSecretKey(text, "secretpw", "minisign_scrypt.key");
    ASSERT_TRUE(pair.ok()) << pair.error().toString();
    EXPECT_EQ(pair->publicKey, *pub);
#else
    // A 2 GiB scrypt working set cannot be allocated inside the 2 GB wasm memory.
    const auto nl = text.find('\n');
    std::string raw = *base64Decode(text.substr(nl + 1, text.size() - nl - 2));
    for (int i = 0; i < 8; ++i) raw[38 + i] = static_cast<char>(i == 4 ? 1 : 0);   // opslimit 2^32
    for (int i = 0; i < 8; ++i) raw[46 + i] = static_cast<char>(i == 3 ? 0xC0 : 0);  // memlimit 3 GiB
    auto pair = parseMinisignSecretKey(text.substr(0, nl + 1) + base64Encode(raw) + "\n", "secretpw");
    ASSERT_FALSE(pair.ok());
    EXPECT_NE(pair.error().message.find("could not allocate"), std::string::npos) << pair.error().message;
#endif
}

TEST(MinisignSignatures, VerifiesReferenceToolSignatures) {
    auto pub = parseMinisignPublicKey(dataFile("minisign_plain.pub"));
    ASSERT_TRUE(pub.ok());
    const std::string message = dataFile("message.txt");
    auto pre = verifyMinisignText(*pub, message, dataFile("message_prehashed.minisig"), true);
    ASSERT_TRUE(pre.ok()) << pre.error().toString();
    EXPECT_TRUE(pre->prehashed);
    EXPECT_EQ(pre->trustedComment, "fixture prehashed");
    EXPECT_EQ(pre->untrustedComment, "made by minisign 0.11");

    auto legacy = parseMinisignSignature(dataFile("message_legacy.minisig"));
    ASSERT_TRUE(legacy.ok());
    EXPECT_FALSE(legacy->prehashed);
    EXPECT_TRUE(verifyMinisign(*pub, message, *legacy, false).ok());
    auto refused = verifyMinisign(*pub, message, *legacy, true);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("legacy"), std::string::npos);

    auto changed = verifyMinisign(*pub, message + "x", *pre, true);
    ASSERT_FALSE(changed.ok());
    EXPECT_NE(changed.error().message.find("does not match the signed data"), std::string::npos);
    MinisignSignature edited = *pre;
    edited.trustedComment = "fixture prehashed!";
    auto comment = verifyMinisign(*pub, message, edited, true);
    ASSERT_FALSE(comment.ok());
    EXPECT_NE(comment.error().message.find("trusted comment was altered"), std::string::npos);
}

TEST(MinisignSignatures, SignAndVerifyBothFormats) {
    const KeyPair pair = generateKeyPair();
    for (bool legacy : {false, true}) {
        const std::string_view message("bytes\0here", 10);
        auto sig = signMinisign(pair, message, "change=CHG1", "uc", legacy);
        ASSERT_TRUE(sig.ok());
        EXPECT_EQ(sig->substr(0, 22), "untrusted comment: uc\n");
        EXPECT_EQ(sig->substr(22, 2), legacy ? "RW" : "RU") << "algorithm bytes \"Ed\" or \"ED\"";
        auto parsed = verifyMinisignText(pair.publicKey, message, *sig, !legacy);
        EXPECT_FALSE(verifyMinisignText(pair.publicKey, "bytes", *sig, false).ok());
        ASSERT_TRUE(parsed.ok()) << parsed.error().toString();
        EXPECT_EQ(parsed->trustedComment, "change=CHG1");
        EXPECT_EQ(parsed->prehashed, !legacy);
    }
    const KeyPair other = generateKeyPair();
    auto sig = signMinisign(pair, "m", "t");
    auto wrongKey = verifyMinisignText(other.publicKey, "m", *sig, true);
    ASSERT_FALSE(wrongKey.ok());
    EXPECT_NE(wrongKey.error().message.find("made by key " + keyIdHex(pair.publicKey.keyId)), std::string::npos);
}

TEST(MinisignSignatures, CommentsAreSingleLineAndBounded) {
    const KeyPair pair = generateKeyPair();
    EXPECT_FALSE(signMinisign(pair, "m", "a\nb").ok());
    EXPECT_FALSE(signMinisign(pair, "m", "t", "u\r").ok());
    EXPECT_FALSE(signMinisign(pair, "m", std::string(1001, 'x')).ok());
    EXPECT_TRUE(signMinisign(pair, "m", std::string(1000, 'x')).ok());
}

TEST(MinisignSignatures, MalformedAndTruncatedSignaturesGiveErrors) {
    const KeyPair pair = generateKeyPair();
    const std::string sig = *signMinisign(pair, "m", "trusted");
    for (std::size_t len = 0; len + 1 < sig.size(); ++len) {
        auto r = parseMinisignSignature(sig.substr(0, len), "s.minisig");
        EXPECT_FALSE(r.ok()) << "prefix of length " << len << " was accepted";
        if (!r.ok()) EXPECT_EQ(r.error().file, "s.minisig");
    }
    EXPECT_TRUE(parseMinisignSignature(sig.substr(0, sig.size() - 1)).ok());
    auto extra = parseMinisignSignature(sig + "more\n");
    ASSERT_FALSE(extra.ok());
    EXPECT_EQ(extra.error().line, 5);
    std::string noTrusted = sig;
    noTrusted.replace(noTrusted.find("trusted comment: trusted"), 8, "TRUSTED ");
    auto bad = parseMinisignSignature(noTrusted);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().line, 3);
    std::string crlf;
    for (char c : sig) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    EXPECT_TRUE(parseMinisignSignature(crlf).ok());
    auto alg = parseMinisignSignature(sig.substr(0, sig.find('\n') + 1) + "RXQ" + sig.substr(sig.find('\n') + 4));
    ASSERT_FALSE(alg.ok());
}

}  // namespace
}  // namespace planner::core::crypto
