#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "bundle/bundle.hpp"
#include "bundle/trust_store.hpp"
#include "crypto/key_store.hpp"
#include "session/session.hpp"
#include "session/signing.hpp"

using namespace planner::core;

namespace {

std::unique_ptr<Session> demoSession(const std::string& name) {
    const char* base = std::getenv("PLANNER_TEST_TMP");
    std::filesystem::path dir = std::filesystem::path(base ? base : "/tmp") / ("signing-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto s = Session::open(dir.string(), "w", "tester", 1795000000, true, false);
    EXPECT_TRUE(s.ok()) << s.error().toString();
    return std::move(*s);
}

const crypto::Argon2Limits kFast{1, 8192};

}  // namespace

TEST(Signing, BundleOfAWorkspaceChangeVerifiesWithTheWorkspaceTrust) {
    auto s = demoSession("roundtrip");
    EXPECT_FALSE(signingPublicKey(*s).has_value());
    const crypto::KeyPair pair = crypto::generateKeyPair();
    auto doc = crypto::encryptSecretKey(pair, "correct horse", kFast);
    ASSERT_TRUE(doc.ok());
    ASSERT_TRUE(s->execute(command::SetSetting{kSigningKeySetting, std::nullopt, *doc}).ok());
    ASSERT_TRUE(signingPublicKey(*s).has_value());
    EXPECT_EQ(signingPublicKey(*s)->keyId, pair.publicKey.keyId);

    const std::string id = s->data().changes.back().id;
    auto zip = signChangeBundle(*s, id, pair, "Tester", 1795000000);
    ASSERT_TRUE(zip.ok()) << zip.error().toString();
    const bundle::BundleReport ok = bundle::verifyBundle(*zip, workspaceTrust(*s));
    EXPECT_TRUE(ok.importable) << (ok.errors.empty() ? "" : ok.errors.front());
    EXPECT_EQ(ok.changeId, id);

    // Without the key in the trust store the same bundle is refused.
    const bundle::BundleReport untrusted = bundle::verifyBundle(*zip, bundle::TrustStore{});
    EXPECT_FALSE(untrusted.importable);

    // Unknown change: a clear error.
    EXPECT_FALSE(signChangeBundle(*s, "CHG9999999", pair, "Tester", 1).ok());
}

TEST(Signing, TrustedSignersSettingAddsKeysWithRoles) {
    auto s = demoSession("trust");
    const std::size_t before = workspaceTrust(*s).size();
    const crypto::KeyPair other = crypto::generateKeyPair();
    bundle::TrustedKey t{"Lena Novak", {"cab_member"}, other.publicKey};
    const std::string text = "# trusted\n" + bundle::trustStoreLine(t) + "\n";
    ASSERT_TRUE(s->execute(command::SetSetting{kTrustedSignersSetting, std::nullopt, text}).ok());
    const bundle::TrustStore trust = workspaceTrust(*s);
    ASSERT_EQ(trust.size(), before + 1);
    EXPECT_EQ(trust.back().name, "Lena Novak");
    EXPECT_EQ(trust.back().roles, std::vector<std::string>{"cab_member"});
}

TEST(Signing, OwnKeyIsTrustedAsTheActingPersonOnly) {
    auto s = demoSession("self");
    const crypto::KeyPair author = crypto::generateKeyPair();
    const crypto::KeyPair mine = crypto::generateKeyPair();
    auto doc = crypto::encryptSecretKey(mine, "pw", kFast);
    ASSERT_TRUE(doc.ok());
    ASSERT_TRUE(s->execute(command::SetSetting{kSigningKeySetting, std::nullopt, *doc}).ok());

    // Without an acting person the own key may author bundles but approves nothing.
    const bundle::TrustStore anonymous = workspaceTrust(*s);
    EXPECT_EQ(anonymous.back().name, "this workspace's key");
    EXPECT_FALSE(anonymous.back().grants("cab_member"));

    // As a person of the workspace (by id), with that person's name, id and roles.
    const Person& amelie = *std::find_if(s->data().people.begin(), s->data().people.end(),
                                         [](const Person& p) { return p.id == "a.dubois"; });
    ASSERT_EQ(signerName(*s, "a.dubois"), amelie.name);
    const bundle::TrustStore trust = workspaceTrust(*s, "a.dubois");
    EXPECT_EQ(trust.back().name, amelie.name);
    EXPECT_EQ(trust.back().id, "a.dubois");
    EXPECT_TRUE(trust.back().grants("cab_member"));

    // An approval signed under that name verifies in the approver's own workspace.
    bundle::TrustStore withAuthor = trust;
    withAuthor.push_back({"Ada Lovelace", {}, author.publicKey, false, {}});
    bundle::BundleInput in;
    in.changeId = "CHG0001";
    in.authorName = "Ada Lovelace";
    in.signedAt = 1795000000;
    in.files = {{"runbook.md", "# steps\n"}};
    auto approved = bundle::addApproval(*bundle::writeBundle(in, author), mine,
                                        {Decision::Approve, "cab_member", signerName(*s, "a.dubois"), 1795000060, "", false});
    ASSERT_TRUE(approved.ok());
    const bundle::BundleReport report = bundle::verifyBundle(*approved, withAuthor);
    EXPECT_TRUE(report.importable) << (report.errors.empty() ? "" : report.errors.front());
    ASSERT_EQ(bundle::approvalsFromReport(report).size(), 1u);
    EXPECT_EQ(bundle::approvalsFromReport(report)[0].approver, "a.dubois");
}
