#include "crypto/sshsig.hpp"

#include "crypto_test_support.hpp"

#include <gtest/gtest.h>

namespace planner::core::crypto {
namespace {

using planner::core::testing::dataFile;

TEST(Sshsig, SignParseVerify) {
    const KeyPair pair = generateKeyPair();
    auto armored = signSshsig(pair, "the data", "change-bundle@planner");
    ASSERT_TRUE(armored.ok());
    EXPECT_EQ(armored->rfind("-----BEGIN SSH SIGNATURE-----\n", 0), 0u);
    EXPECT_EQ(armored->substr(armored->size() - 28), "-----END SSH SIGNATURE-----\n");
    auto sig = parseSshsig(*armored);
    ASSERT_TRUE(sig.ok()) << sig.error().toString();
    EXPECT_EQ(sig->nameSpace, "change-bundle@planner");
    EXPECT_EQ(sig->hashAlgorithm, "sha512");
    EXPECT_EQ(sig->publicKey, pair.publicKey.key);
    EXPECT_TRUE(verifySshsig(*sig, "the data", "change-bundle@planner", &pair.publicKey.key).ok());

    auto wrongNs = verifySshsig(*sig, "the data", "file");
    ASSERT_FALSE(wrongNs.ok());
    EXPECT_NE(wrongNs.error().message.find("namespace"), std::string::npos);
    const KeyPair other = generateKeyPair();
    auto wrongKey = verifySshsig(*sig, "the data", "change-bundle@planner", &other.publicKey.key);
    ASSERT_FALSE(wrongKey.ok());
    EXPECT_NE(wrongKey.error().message.find("different key"), std::string::npos);
    auto changed = verifySshsig(*sig, "the data.", "change-bundle@planner");
    ASSERT_FALSE(changed.ok());
    EXPECT_NE(changed.error().message.find("does not match"), std::string::npos);
    EXPECT_FALSE(signSshsig(pair, "x", "").ok());
}

TEST(Sshsig, VerifiesSignatureMadeBySshKeygen) {
    auto key = parseSshPublicKeyLine(dataFile("ssh_ed25519.pub"), "ssh_ed25519.pub");
    ASSERT_TRUE(key.ok()) << key.error().toString();
    auto sig = parseSshsig(dataFile("message_ssh.sig"), "message_ssh.sig");
    ASSERT_TRUE(sig.ok()) << sig.error().toString();
    EXPECT_EQ(sig->nameSpace, "file");
    EXPECT_TRUE(verifySshsig(*sig, dataFile("message.txt"), "file", &*key).ok());
    EXPECT_FALSE(verifySshsig(*sig, dataFile("message.txt") + " ", "file", &*key).ok());
}

TEST(Sshsig, PublicKeyLinesAndAllowedSigners) {
    const KeyPair pair = generateKeyPair();
    const std::string line = sshPublicKeyLine(pair.publicKey.key, "ada@example");
    EXPECT_EQ(line.rfind("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI", 0), 0u);
    EXPECT_EQ(line.substr(line.size() - 12), " ada@example");
    auto back = parseSshPublicKeyLine(line);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, pair.publicKey.key);
    EXPECT_EQ(allowedSignersLine("ada@example", "change-bundle@planner", pair.publicKey.key),
              "ada@example namespaces=\"change-bundle@planner\" " + sshPublicKeyLine(pair.publicKey.key));
    auto rsa = parseSshPublicKeyLine("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ x");
    ASSERT_FALSE(rsa.ok());
    EXPECT_NE(rsa.error().message.find("ssh-ed25519"), std::string::npos);
    auto badB64 = parseSshPublicKeyLine("ssh-ed25519 AAAA*AAA");
    ASSERT_FALSE(badB64.ok());
    EXPECT_NE(badB64.error().message.find("base64"), std::string::npos);
}

TEST(Sshsig, MalformedArmorGivesErrors) {
    const KeyPair pair = generateKeyPair();
    const std::string armored = *signSshsig(pair, "m", "ns");
    for (std::size_t len = 0; len + 1 < armored.size(); ++len) {
        auto r = parseSshsig(armored.substr(0, len), "x.sig");
        EXPECT_FALSE(r.ok()) << "prefix of length " << len << " was accepted";
    }
    std::string crlf;
    for (char c : armored) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    auto cr = parseSshsig(crlf, "x.sig");
    ASSERT_FALSE(cr.ok());
    EXPECT_NE(cr.error().message.find("carriage return"), std::string::npos);
    EXPECT_EQ(cr.error().line, 1);
    auto trailing = parseSshsig(armored + "junk\n");
    ASSERT_FALSE(trailing.ok());
    EXPECT_NE(trailing.error().message.find("after the end"), std::string::npos);
    auto header = parseSshsig("-----BEGIN PGP SIGNATURE-----\n");
    ASSERT_FALSE(header.ok());
    EXPECT_EQ(header.error().line, 1);
    // A blob that is valid base64 but not SSHSIG.
    auto notSig = parseSshsig("-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAg==\n-----END SSH SIGNATURE-----\n");
    ASSERT_FALSE(notSig.ok());
    EXPECT_NE(notSig.error().message.find("version"), std::string::npos);
}

}  // namespace
}  // namespace planner::core::crypto
