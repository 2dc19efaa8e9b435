// A bundle verified without our code, with the commands docs/bundle-format.md
// gives to receiving teams. Native only: the wasm test runner cannot start processes.
#include "bundle/bundle.hpp"

#include "crypto/minisign.hpp"

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
    BundleInput in;
    in.changeId = "CHG0042";
    in.authorName = "Ada Lovelace";
    in.authorPrincipal = "ada@example.org";
    in.signedAt = 1795827661;
    in.files = {{"change.json", "{\"id\":\"CHG0042\"}"}, {"payloads/jira.json", "{}"}, {"runbook.md", "# steps\n"}};
    std::string zip = *writeBundle(in, author);
    auto approved = addApproval(zip, approver, {Decision::Approve, "cab_member", "Bob Stone", 1795831261, "", false});
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
    EXPECT_NE(mini.output.find("Trusted comment: planner-bundle=1 kind=author change=CHG0042"), std::string::npos)
        << mini.output;
    auto miniFile = runCommand(cd + "minisign -Vm SHA256SUMS -p keys/author.pub -x SHA256SUMS.minisig");
    EXPECT_EQ(miniFile.exitCode, 0) << miniFile.output;

    const std::string keyId = crypto::keyIdHex(approver.publicKey.keyId);
    auto approval = runCommand(cd + "minisign -V -H -m SHA256SUMS -p approvals/" + keyId + ".pub -x approvals/" +
                               keyId + ".minisig");
    EXPECT_EQ(approval.exitCode, 0) << approval.output;
    EXPECT_NE(approval.output.find("decision=approve role=cab_member name=Bob%20Stone"), std::string::npos)
        << approval.output;

    auto ssh = runCommand(cd + "ssh-keygen -Y verify -f keys/allowed_signers -I ada@example.org -n " +
                          std::string(kSshNamespace) + " -s SHA256SUMS.sig < SHA256SUMS");
    EXPECT_EQ(ssh.exitCode, 0) << ssh.output;

    writeFile(out / "runbook.md", "# steps changed\n");
    auto changed = runCommand(cd + "sha256sum -c --quiet SHA256SUMS");
    EXPECT_NE(changed.exitCode, 0) << "sha256sum must notice the changed file";
}

}  // namespace
}  // namespace planner::core::bundle

#endif  // __EMSCRIPTEN__
