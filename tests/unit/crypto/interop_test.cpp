// Interoperability with the reference tools, run natively only: the wasm test
// runner cannot start processes.
#include "crypto/minisign.hpp"
#include "crypto/sshsig.hpp"

#include "crypto_test_support.hpp"

#include <gtest/gtest.h>

#ifndef __EMSCRIPTEN__

namespace planner::core::crypto {
namespace {

using namespace planner::core::testing;

const char* const kMinisign = "/usr/bin/minisign";
const char* const kSshKeygen = "/usr/bin/ssh-keygen";

TEST(MinisignInterop, ReferenceToolVerifiesOurPrehashedSignature) {
    PLANNER_REQUIRE_TOOL(kMinisign);
    const auto dir = scratchDir();
    const KeyPair pair = generateKeyPair();
    const std::string message = "line one\nline two\n";
    writeFile(dir / "msg", message);
    writeFile(dir / "key.pub", writeMinisignPublicKey(pair.publicKey));
    writeFile(dir / "msg.minisig", *signMinisign(pair, message, "change=CHG7 author=Ada"));
    auto byFile = runCommand(std::string(kMinisign) + " -V -H -p " + quoted(dir / "key.pub") + " -m " +
                             quoted(dir / "msg") + " -x " + quoted(dir / "msg.minisig"));
    EXPECT_EQ(byFile.exitCode, 0) << byFile.output;
    EXPECT_NE(byFile.output.find("Trusted comment: change=CHG7 author=Ada"), std::string::npos) << byFile.output;
    auto byString = runCommand(std::string(kMinisign) + " -V -H -P " + minisignPublicKeyBase64(pair.publicKey) +
                               " -m " + quoted(dir / "msg") + " -x " + quoted(dir / "msg.minisig"));
    EXPECT_EQ(byString.exitCode, 0) << byString.output;

    writeFile(dir / "msg", message + "tampered");
    auto tampered = runCommand(std::string(kMinisign) + " -V -H -p " + quoted(dir / "key.pub") + " -m " +
                               quoted(dir / "msg") + " -x " + quoted(dir / "msg.minisig"));
    EXPECT_NE(tampered.exitCode, 0) << "the reference tool must reject a changed file";

    writeFile(dir / "msg", message);
    writeFile(dir / "legacy.minisig", *signMinisign(pair, message, "t", "u", true));
    auto legacyPlain = runCommand(std::string(kMinisign) + " -V -p " + quoted(dir / "key.pub") + " -m " +
                                  quoted(dir / "msg") + " -x " + quoted(dir / "legacy.minisig"));
    EXPECT_EQ(legacyPlain.exitCode, 0) << legacyPlain.output;
    auto legacyH = runCommand(std::string(kMinisign) + " -V -H -p " + quoted(dir / "key.pub") + " -m " +
                              quoted(dir / "msg") + " -x " + quoted(dir / "legacy.minisig"));
    EXPECT_NE(legacyH.exitCode, 0) << "-H must refuse a legacy signature";
}

TEST(MinisignInterop, WeReadKeysAndSignaturesOfTheReferenceTool) {
    PLANNER_REQUIRE_TOOL(kMinisign);
    const auto dir = scratchDir();
    auto gen = runCommand(std::string(kMinisign) + " -G -W -p " + quoted(dir / "k.pub") + " -s " +
                          quoted(dir / "k.key"));
    ASSERT_EQ(gen.exitCode, 0) << gen.output;
    auto pub = parseMinisignPublicKey(readFile(dir / "k.pub"), "k.pub");
    ASSERT_TRUE(pub.ok()) << pub.error().toString();
    auto pair = parseMinisignSecretKey(readFile(dir / "k.key"), "", "k.key");
    ASSERT_TRUE(pair.ok()) << pair.error().toString();
    EXPECT_EQ(pair->publicKey, *pub);

    const std::string message = "signed by the reference tool\n";
    writeFile(dir / "m", message);
    auto sign = runCommand(std::string(kMinisign) + " -S -s " + quoted(dir / "k.key") + " -m " + quoted(dir / "m") +
                           " -t 'trusted words'");
    ASSERT_EQ(sign.exitCode, 0) << sign.output;
    auto verified = verifyMinisignText(*pub, message, readFile(dir / "m.minisig"), true, "m.minisig");
    ASSERT_TRUE(verified.ok()) << verified.error().toString();
    EXPECT_EQ(verified->trustedComment, "trusted words");

    writeFile(dir / "ours.minisig", *signMinisign(*pair, message, "signed by us with their key"));
    auto back = runCommand(std::string(kMinisign) + " -V -H -p " + quoted(dir / "k.pub") + " -m " +
                           quoted(dir / "m") + " -x " + quoted(dir / "ours.minisig"));
    EXPECT_EQ(back.exitCode, 0) << back.output;
}

TEST(MinisignInterop, ReferenceToolUsesOurSecretKeyFiles) {
    PLANNER_REQUIRE_TOOL(kMinisign);
    const auto dir = scratchDir();
    const KeyPair pair = generateKeyPair();
    writeFile(dir / "plain.key", *writeMinisignSecretKey(pair, std::nullopt));
    writeFile(dir / "enc.key", *writeMinisignSecretKey(pair, std::string_view("pw for test"), {1 << 15, 1 << 24}));
    writeFile(dir / "m", "data\n");
    auto plain = runCommand(std::string(kMinisign) + " -S -s " + quoted(dir / "plain.key") + " -m " +
                            quoted(dir / "m") + " -x " + quoted(dir / "plain.minisig") + " < /dev/null");
    ASSERT_EQ(plain.exitCode, 0) << plain.output;
    EXPECT_TRUE(verifyMinisignText(pair.publicKey, "data\n", readFile(dir / "plain.minisig"), true).ok());
    auto enc = runCommand("printf 'pw for test\\n' | " + std::string(kMinisign) + " -S -s " + quoted(dir / "enc.key") +
                          " -m " + quoted(dir / "m") + " -x " + quoted(dir / "enc.minisig"));
    ASSERT_EQ(enc.exitCode, 0) << enc.output;
    EXPECT_TRUE(verifyMinisignText(pair.publicKey, "data\n", readFile(dir / "enc.minisig"), true).ok());
    auto wrong = runCommand("printf 'not it\\n' | " + std::string(kMinisign) + " -S -s " + quoted(dir / "enc.key") +
                            " -m " + quoted(dir / "m") + " -x " + quoted(dir / "wrong.minisig"));
    EXPECT_NE(wrong.exitCode, 0) << "the reference tool must reject a wrong passphrase on our key file";
}

TEST(SshsigInterop, SshKeygenVerifiesOurSignature) {
    PLANNER_REQUIRE_TOOL(kSshKeygen);
    const auto dir = scratchDir();
    const KeyPair pair = generateKeyPair();
    const std::string message = "bytes to sign\n";
    writeFile(dir / "m", message);
    writeFile(dir / "m.sig", *signSshsig(pair, message, "change-bundle@planner"));
    writeFile(dir / "allowed_signers",
              allowedSignersLine("ada@example.org", "change-bundle@planner", pair.publicKey.key) + "\n");
    const std::string base = std::string(kSshKeygen) + " -Y verify -f " + quoted(dir / "allowed_signers") +
                             " -I ada@example.org -s " + quoted(dir / "m.sig");
    auto ok = runCommand(base + " -n change-bundle@planner < " + quoted(dir / "m"));
    EXPECT_EQ(ok.exitCode, 0) << ok.output;
    EXPECT_NE(ok.output.find("Good \"change-bundle@planner\" signature for ada@example.org"), std::string::npos)
        << ok.output;
    auto wrongNs = runCommand(base + " -n file < " + quoted(dir / "m"));
    EXPECT_NE(wrongNs.exitCode, 0) << wrongNs.output;
    writeFile(dir / "m2", message + "!");
    auto changed = runCommand(base + " -n change-bundle@planner < " + quoted(dir / "m2"));
    EXPECT_NE(changed.exitCode, 0) << changed.output;
}

TEST(SshsigInterop, WeVerifySshKeygenSignatures) {
    PLANNER_REQUIRE_TOOL(kSshKeygen);
    const auto dir = scratchDir();
    auto gen = runCommand(std::string(kSshKeygen) + " -q -t ed25519 -N '' -C tester -f " + quoted(dir / "id"));
    ASSERT_EQ(gen.exitCode, 0) << gen.output;
    writeFile(dir / "m", "payload\n");
    auto sign = runCommand(std::string(kSshKeygen) + " -Y sign -f " + quoted(dir / "id") +
                           " -n change-bundle@planner " + quoted(dir / "m"));
    ASSERT_EQ(sign.exitCode, 0) << sign.output;
    auto key = parseSshPublicKeyLine(readFile(dir / "id.pub"), "id.pub");
    ASSERT_TRUE(key.ok()) << key.error().toString();
    auto sig = parseSshsig(readFile(dir / "m.sig"), "m.sig");
    ASSERT_TRUE(sig.ok()) << sig.error().toString();
    EXPECT_TRUE(verifySshsig(*sig, "payload\n", "change-bundle@planner", &*key).ok());
    EXPECT_FALSE(verifySshsig(*sig, "payload\n", "file", &*key).ok());
}

}  // namespace
}  // namespace planner::core::crypto

#endif  // __EMSCRIPTEN__
