// A bundle verified without our code, with the commands docs/bundle-format.md
// gives to receiving teams. Native only: the wasm test runner cannot start processes.
#include "bundle/bundle.hpp"

#include "crypto/minisign.hpp"
#include "crypto/sshsig.hpp"

#include "../crypto/crypto_test_support.hpp"

#include <gtest/gtest.h>

#ifndef __EMSCRIPTEN__

namespace planner::core::bundle {
namespace {

using namespace planner::core::testing;

TEST(BundleInterop, ReferenceToolsVerifyAnExtractedBundle) {
    PLANNER_REQUIRE_TOOL("/usr/bin/minisign");
    PLANNER_REQUIRE_TOOL("/usr/bin/ssh-keygen");
    PLANNER_REQUIRE_TOOL("/usr/bin/unzip");
    PLANNER_REQUIRE_TOOL("/usr/bin/sha256sum");
    const auto dir = scratchDir();
    const crypto::KeyPair author = crypto::generateKeyPair();
    const crypto::KeyPair approver = crypto::generateKeyPair();
    const crypto::KeyPair second = crypto::generateKeyPair();
    BundleInput in;
    in.changeId = "CHG0042";
    in.authorName = "Ada Lovelace";
    in.authorPrincipal = "ada@example.org";
    in.signedAt = 1795827661;
    in.files = {{"change.json", "{\"id\":\"CHG0042\"}"}, {"payloads/jira.json", "{}"}, {"runbook.md", "# steps\n"}};
    std::string zip = *writeBundle(in, author);
    auto approved = addApproval(zip, approver, {Decision::Approve, "cab_member", "Bob Stone", 1795831261, "", false});
    ASSERT_TRUE(approved.ok()) << approved.error().toString();
    approved = addApproval(*approved, second, {Decision::Reject, "security_officer", "Chen Wu", 1795831300, "", false});
    ASSERT_TRUE(approved.ok()) << approved.error().toString();
    writeFile(dir / "bundle.zip", *approved);

    const auto out = dir / "x";
    // Unpacked by Info-ZIP's unzip, never by our own reader: the point is an independent one.
    auto unzip = runCommand("/usr/bin/unzip -q " + quoted(dir / "bundle.zip") + " -d " + quoted(out));
    ASSERT_EQ(unzip.exitCode, 0) << unzip.output;
    const std::string cd = "cd " + quoted(out) + " && ";
    auto sums = runCommand(cd + "sha256sum -c SHA256SUMS");
    EXPECT_EQ(sums.exitCode, 0) << sums.output;
    EXPECT_NE(sums.output.find("runbook.md: OK"), std::string::npos) << sums.output;

    const std::string authorKey = crypto::minisignPublicKeyBase64(author.publicKey);
    auto mini = runCommand(cd + "minisign -V -H -m SHA256SUMS -P " + authorKey + " -x SHA256SUMS.minisig");
    EXPECT_EQ(mini.exitCode, 0) << mini.output;
    EXPECT_NE(mini.output.find("Trusted comment: planner-bundle=2 kind=author change=CHG0042"), std::string::npos)
        << mini.output;
    auto miniFile = runCommand(cd + "minisign -Vm SHA256SUMS -p keys/author.pub -x SHA256SUMS.minisig");
    EXPECT_EQ(miniFile.exitCode, 0) << miniFile.output;

    // Each approval with the approver's key as the verifier knows it (not the
    // bundle's .pub), then the chain by hand with sha256sum.
    const std::string keyId = crypto::keyIdHex(approver.publicKey.keyId);
    const std::string first = "approvals/0001-" + keyId + ".minisig";
    auto approval = runCommand(cd + "minisign -V -H -m SHA256SUMS -P " +
                               crypto::minisignPublicKeyBase64(approver.publicKey) + " -x " + first);
    EXPECT_EQ(approval.exitCode, 0) << approval.output;
    auto authorSig = runCommand(cd + "sha256sum SHA256SUMS.minisig | cut -c1-64");
    ASSERT_EQ(authorSig.exitCode, 0);
    const std::string authorSigHash = authorSig.output.substr(0, 64);
    EXPECT_NE(approval.output.find("seq=1 author-sig=" + authorSigHash +
                                   " prev=none decision=approve role=cab_member name=Bob%20Stone"),
              std::string::npos)
        << approval.output;
    const std::string secondFile = "approvals/0002-" + crypto::keyIdHex(second.publicKey.keyId) + ".minisig";
    auto rejection = runCommand(cd + "minisign -V -H -m SHA256SUMS -P " +
                                crypto::minisignPublicKeyBase64(second.publicKey) + " -x " + secondFile);
    EXPECT_EQ(rejection.exitCode, 0) << rejection.output;
    auto prev = runCommand(cd + "sha256sum " + first + " | cut -c1-64");
    ASSERT_EQ(prev.exitCode, 0);
    EXPECT_NE(rejection.output.find("seq=2 author-sig=" + authorSigHash + " prev=" + prev.output.substr(0, 64) +
                                    " decision=reject role=security_officer name=Chen%20Wu"),
              std::string::npos)
        << rejection.output;
    auto listed = runCommand(cd + "ls approvals/*.minisig");
    EXPECT_EQ(listed.output, first + "\n" + secondFile + "\n") << "ls lists the chain in order";

    // OpenSSH with an allowed_signers file of the verifier's own, never the bundle's.
    writeFile(dir / "my_signers",
              crypto::allowedSignersLine("ada@example.org", kSshNamespace, author.publicKey.key) + "\n");
    auto ssh = runCommand(cd + "ssh-keygen -Y verify -f " + quoted(dir / "my_signers") + " -I ada@example.org -n " +
                          std::string(kSshNamespace) + " -s SHA256SUMS.sig < SHA256SUMS");
    EXPECT_EQ(ssh.exitCode, 0) << ssh.output;
    const crypto::KeyPair stranger = crypto::generateKeyPair();
    writeFile(dir / "other_signers",
              crypto::allowedSignersLine("ada@example.org", kSshNamespace, stranger.publicKey.key) + "\n");
    auto wrong = runCommand(cd + "ssh-keygen -Y verify -f " + quoted(dir / "other_signers") +
                            " -I ada@example.org -n " + std::string(kSshNamespace) + " -s SHA256SUMS.sig < SHA256SUMS");
    EXPECT_NE(wrong.exitCode, 0) << "a key the verifier does not trust must not verify";

    writeFile(out / "runbook.md", "# steps changed\n");
    auto changed = runCommand(cd + "sha256sum -c --quiet SHA256SUMS");
    EXPECT_NE(changed.exitCode, 0) << "sha256sum must notice the changed file";
}

}  // namespace
}  // namespace planner::core::bundle

#endif  // __EMSCRIPTEN__
