#include <gtest/gtest.h>

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
