#include "bundle/trust_store.hpp"

#include <gtest/gtest.h>

#include "crypto/minisign.hpp"

namespace planner::core::bundle {
namespace {

TEST(TrustStore, ParsesKeysRolesNamesAndSkipsComments) {
    const crypto::KeyPair a = crypto::generateKeyPair(), b = crypto::generateKeyPair();
    const std::string text = "# trusted signers\n\n" + crypto::minisignPublicKeyBase64(a.publicKey) +
                             " * Ada Lovelace\n" + crypto::minisignPublicKeyBase64(b.publicKey) +
                             "\tcab_member,security_officer   Bob  Stone  \r\n";
    auto trust = parseTrustStore(text, "trust.txt");
    ASSERT_TRUE(trust.ok()) << trust.error().toString();
    ASSERT_EQ(trust->size(), 2u);
    EXPECT_EQ((*trust)[0].name, "Ada Lovelace");
    EXPECT_TRUE((*trust)[0].roles.empty());
    EXPECT_TRUE((*trust)[0].anyRole);
    EXPECT_TRUE((*trust)[0].grants("cab_member"));
    EXPECT_FALSE((*trust)[0].grants("author"));
    EXPECT_TRUE((*trust)[1].grants("cab_member"));
    EXPECT_FALSE((*trust)[1].grants("change_manager"));
    EXPECT_EQ((*trust)[0].key, a.publicKey);
    EXPECT_EQ((*trust)[1].name, "Bob  Stone");
    EXPECT_EQ((*trust)[1].roles, (std::vector<std::string>{"cab_member", "security_officer"}));
    EXPECT_EQ(trustStoreLine((*trust)[1]),
              crypto::minisignPublicKeyBase64(b.publicKey) + " cab_member,security_officer Bob  Stone");
    auto again = parseTrustStore(trustStoreLine((*trust)[0]) + "\n", "x");
    ASSERT_TRUE(again.ok());
    EXPECT_EQ((*again)[0].key, a.publicKey);
}

TEST(TrustStore, ErrorsNameLineAndColumn) {
    const std::string key = crypto::minisignPublicKeyBase64(crypto::generateKeyPair().publicKey);
    auto badKey = parseTrustStore("# x\nRWnotakey * Ada\n", "trust.txt");
    ASSERT_FALSE(badKey.ok());
    EXPECT_EQ(badKey.error().file, "trust.txt");
    EXPECT_EQ(badKey.error().line, 2);
    EXPECT_EQ(badKey.error().column, 1);

    auto badRole = parseTrustStore(key + " cab_member,Bad Ada\n", "t");
    ASSERT_FALSE(badRole.ok());
    EXPECT_EQ(badRole.error().line, 1);
    EXPECT_EQ(badRole.error().column, static_cast<int>(key.size()) + 2 + 11);
    EXPECT_NE(badRole.error().message.find("Bad"), std::string::npos);

    auto noName = parseTrustStore(key + " *\n", "t");
    ASSERT_FALSE(noName.ok());
    EXPECT_NE(noName.error().message.find("name"), std::string::npos);

    auto noRoles = parseTrustStore(key + "\n", "t");
    ASSERT_FALSE(noRoles.ok());
    EXPECT_NE(noRoles.error().message.find("roles"), std::string::npos);

    auto twice = parseTrustStore(key + " * A\n" + key + " * B\n", "t");
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().line, 2);
    EXPECT_NE(twice.error().message.find("twice"), std::string::npos);
}

TEST(TrustStore, AuthorOnlyKeysGrantNoApprovalRole) {
    const crypto::KeyPair a = crypto::generateKeyPair();
    const std::string key = crypto::minisignPublicKeyBase64(a.publicKey);
    auto trust = parseTrustStore(key + " author Ada Lovelace\n", "t");
    ASSERT_TRUE(trust.ok()) << trust.error().toString();
    EXPECT_TRUE((*trust)[0].roles.empty());
    EXPECT_FALSE((*trust)[0].anyRole);
    EXPECT_FALSE((*trust)[0].grants("cab_member"));
    EXPECT_EQ(trustStoreLine((*trust)[0]), key + " author Ada Lovelace");
    auto mixed = parseTrustStore(key + " author,cab_member Ada\n", "t");
    ASSERT_TRUE(mixed.ok());
    EXPECT_EQ((*mixed)[0].roles, std::vector<std::string>{"cab_member"});
}

TEST(TrustStore, PublicKeyFileIsTrustedAsAnAuthorOnlyUnlessRolesAreGiven) {
    const crypto::KeyPair a = crypto::generateKeyPair();
    auto t = trustedKeyFromPublicKey(crypto::writeMinisignPublicKey(a.publicKey), "a.pub");
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->name, crypto::keyIdHex(a.publicKey.keyId));
    EXPECT_TRUE(t->roles.empty());
    EXPECT_FALSE(t->anyRole);
    EXPECT_FALSE(t->grants("cab_member"));
    auto withRoles = trustedKeyFromPublicKey(crypto::writeMinisignPublicKey(a.publicKey), "a.pub", "cab_member");
    ASSERT_TRUE(withRoles.ok());
    EXPECT_TRUE(withRoles->grants("cab_member"));
    EXPECT_FALSE(trustedKeyFromPublicKey(crypto::writeMinisignPublicKey(a.publicKey), "a.pub", "Bad").ok());
    EXPECT_FALSE(trustedKeyFromPublicKey("garbage\n", "a.pub").ok());
}

}  // namespace
}  // namespace planner::core::bundle
