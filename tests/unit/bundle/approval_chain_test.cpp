// Forged and legitimate approvals of a signed bundle: identity from the trust
// store, separation of duties by key, the approval chain and time sanity.
#include "bundle/bundle.hpp"

#include "bundle/trusted_comment.hpp"
#include "crypto/hash.hpp"
#include "crypto/minisign.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

namespace planner::core::bundle {
namespace {

using crypto::KeyPair;

constexpr TimeUtc kSignedAt = 1795827661;     // 2026-11-28T01:01:01Z
constexpr TimeUtc kClock = kSignedAt + 86400;  // the verifier's clock in these tests

struct Fixture {
    KeyPair author = crypto::generateKeyPair();
    KeyPair bob = crypto::generateKeyPair();
    KeyPair chen = crypto::generateKeyPair();
    KeyPair dana = crypto::generateKeyPair();
    TrustStore trust;

    Fixture() {
        trust.push_back({"Ada Lovelace", {}, author.publicKey, false, {}});
        trust.push_back({"Bob Stone", {"cab_member", "change_manager"}, bob.publicKey, false, {}});
        trust.push_back({"Chen Wu", {"cab_member", "security_officer"}, chen.publicKey, false, {}});
        trust.push_back({"Dana Reyes", {"cab_member"}, dana.publicKey, false, {}});
    }

    std::string bundle() const {
        BundleInput in;
        in.changeId = "CHG0001";
        in.authorName = "Ada Lovelace";
        in.signedAt = kSignedAt;
        in.files = {{"change.json", "{\"id\":\"CHG0001\"}"}, {"runbook.md", "# Runbook\n"}};
        return *writeBundle(in, author);
    }

    BundleReport verify(const std::string& zip) const { return verifyBundle(zip, trust, {}, "b.zip", kClock); }
};

ApprovalInput approval(Decision d, const std::string& role, const std::string& name, TimeUtc at) {
    ApprovalInput in;
    in.decision = d;
    in.role = role;
    in.name = name;
    in.at = at;
    return in;
}

std::string approve(const std::string& zip, const KeyPair& key, const ApprovalInput& in) {
    auto out = addApproval(zip, key, in);
    EXPECT_TRUE(out.ok()) << out.error().toString();
    return out.ok() ? *out : zip;
}

std::string rezip(const std::string& zip, const std::function<void(ZipFiles&)>& edit) {
    ZipFiles files = *readZip(zip);
    edit(files);
    return *writeZip(files);
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += s + "\n";
    return out;
}

bool anyErrorContains(const BundleReport& r, const std::string& needle) {
    return std::any_of(r.errors.begin(), r.errors.end(),
                       [&](const std::string& e) { return e.find(needle) != std::string::npos; });
}

std::string id(const KeyPair& k) { return crypto::keyIdHex(k.publicKey.keyId); }

// An approval entry signed the way addApproval would, but without its refusals:
// what a forger with a key can produce by hand.
std::string forge(const std::string& zip, const KeyPair& key, int sequence, const std::string& prev,
                  const ApprovalInput& in) {
    return rezip(zip, [&](ZipFiles& files) {
        CommentFields fields = {{"planner-bundle", "2"},
                                {"kind", "approval"},
                                {"change", "CHG0001"},
                                {"seq", std::to_string(sequence)},
                                {"author-sig", sha256Hex(files.at("SHA256SUMS.minisig"))},
                                {"prev", prev},
                                {"decision", in.decision == Decision::Approve ? "approve" : "reject"},
                                {"role", in.role},
                                {"name", in.name},
                                {"time", formatUtcTime(in.at)}};
        files[approvalPath(sequence, id(key))] =
            *crypto::signMinisign(key, files.at("SHA256SUMS"), formatTrustedComment(fields), "forged");
        files[approvalPath(sequence, id(key), true)] = crypto::writeMinisignPublicKey(key.publicKey);
    });
}

TEST(ApprovalChain, SelfApprovalWithTheAuthorKeyNeverCounts) {
    Fixture f;
    auto refused = addApproval(f.bundle(), f.author, approval(Decision::Approve, "change_manager", "Bob Stone",
                                                                kSignedAt + 60));
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("separation of duties"), std::string::npos);

    // Forged by hand, and the author key even trusted for the role: still refused.
    f.trust[0].anyRole = true;
    const std::string forged =
        forge(f.bundle(), f.author, 1, "none", approval(Decision::Approve, "change_manager", "Ada Lovelace", kSignedAt + 60));
    BundleReport r = f.verify(forged);
    EXPECT_FALSE(r.importable);
    EXPECT_TRUE(anyErrorContains(r, "b.zip: " + approvalPath(1, id(f.author)) + ": invalid signature: key " +
                                        id(f.author) + " signed the bundle as its author and cannot approve it "
                                        "(rule: separation_of_duties)"))
        << joined(r.errors);
    EXPECT_TRUE(approvalsFromReport(r).empty());
}

TEST(ApprovalChain, KeyTrustedUnderTheAuthorsOrRequestersNameDoesNotCount) {
    Fixture f;
    const KeyPair second = crypto::generateKeyPair();
    f.trust.push_back({"Ada Lovelace", {"change_manager"}, second.publicKey, false, {}});
    const std::string zip =
        approve(f.bundle(), second, approval(Decision::Approve, "change_manager", "Ada Lovelace", kSignedAt + 60));
    BundleReport r = f.verify(zip);
    EXPECT_FALSE(r.importable);
    EXPECT_TRUE(anyErrorContains(r, "is trusted under the author's name \"Ada Lovelace\" (rule: separation_of_duties)"))
        << joined(r.errors);

    // A real change document names its requester (a person id or a name).
    Fixture g;
    BundleInput in;
    in.changeId = "CHG0002";
    in.authorName = "Ada Lovelace";
    in.signedAt = kSignedAt;
    in.files = {{"change.json", "{\"schema\":\"planner.change\",\"schema_version\":1,\"number\":\"CHG0002\","
                                "\"requested_by\":\"Bob Stone\"}"}};
    auto signedZip = writeBundle(in, g.author);
    ASSERT_TRUE(signedZip.ok()) << signedZip.error().toString();
    BundleReport plain = g.verify(*signedZip);
    ASSERT_TRUE(plain.importable) << joined(plain.errors);
    ASSERT_EQ(plain.requester, "Bob Stone") << "change.json must parse for this test";
    BundleReport byRequester =
        g.verify(approve(*signedZip, g.bob, approval(Decision::Approve, "cab_member", "Bob Stone", kSignedAt + 60)));
    EXPECT_FALSE(byRequester.importable);
    EXPECT_TRUE(anyErrorContains(byRequester, "key " + id(g.bob) +
                                                  " is trusted under the requester's name \"Bob Stone\" "
                                                  "(rule: separation_of_duties)"))
        << joined(byRequester.errors);
}

TEST(ApprovalChain, RenamedApproverIsRejectedNamingKeyNamesAndFile) {
    Fixture f;
    const std::string zip =
        approve(f.bundle(), f.bob, approval(Decision::Approve, "change_manager", "Grace Hopper", kSignedAt + 60));
    BundleReport r = f.verify(zip);
    EXPECT_FALSE(r.importable);
    EXPECT_TRUE(anyErrorContains(r, approvalPath(1, id(f.bob)) + ": invalid signature: key " + id(f.bob) +
                                        " signed the name \"Grace Hopper\" but the trust store names this key \"Bob "
                                        "Stone\" (rule: identity)"))
        << joined(r.errors);
}

TEST(ApprovalChain, OneKeyCountsOnceAndTheChainOrderDecides) {
    Fixture f;
    std::string zip = f.bundle();
    zip = approve(zip, f.bob, approval(Decision::Approve, "cab_member", "Bob Stone", kSignedAt + 60));
    zip = approve(zip, f.bob, approval(Decision::Approve, "cab_member", "Bob Stone", kSignedAt + 120));
    BundleReport twice = f.verify(zip);
    ASSERT_TRUE(twice.importable) << joined(twice.errors);
    EXPECT_EQ(twice.approvalChainLength, 2);
    EXPECT_EQ(approvalsFromReport(twice).size(), 1u) << "one key fills one quorum slot";

    // A later entry with an earlier claimed time still supersedes: chain order, not time.
    zip = approve(zip, f.bob, approval(Decision::Reject, "cab_member", "Bob Stone", kSignedAt + 30));
    BundleReport changed = f.verify(zip);
    ASSERT_TRUE(changed.importable) << joined(changed.errors);
    auto counted = approvalsFromReport(changed);
    ASSERT_EQ(counted.size(), 1u);
    EXPECT_EQ(counted[0].decision, Decision::Reject);
    EXPECT_EQ(counted[0].approver, "Bob Stone");
}

TEST(ApprovalChain, QuorumOfTwoDistinctKeys) {
    Fixture f;
    std::string zip = f.bundle();
    zip = approve(zip, f.bob, approval(Decision::Approve, "cab_member", "Bob Stone", kSignedAt + 60));
    zip = approve(zip, f.chen, approval(Decision::Approve, "cab_member", "Chen Wu", kSignedAt + 120));
    BundleReport r = f.verify(zip);
    ASSERT_TRUE(r.importable) << joined(r.errors);
    auto counted = approvalsFromReport(r);
    ASSERT_EQ(counted.size(), 2u);
    EXPECT_EQ(counted[0].keyId, id(f.bob));
    EXPECT_EQ(counted[1].keyId, id(f.chen));
}

TEST(ApprovalChain, DroppedRejectionIsDetected) {
    Fixture f;
    std::string zip = f.bundle();
    zip = approve(zip, f.bob, approval(Decision::Approve, "cab_member", "Bob Stone", kSignedAt + 60));
    zip = approve(zip, f.chen, approval(Decision::Reject, "security_officer", "Chen Wu", kSignedAt + 120));
    zip = approve(zip, f.dana, approval(Decision::Approve, "cab_member", "Dana Reyes", kSignedAt + 180));
    ASSERT_TRUE(f.verify(zip).importable);

    // Removed from the middle: the gap is named.
    const std::string dropped = rezip(zip, [&](ZipFiles& files) {
        files.erase(approvalPath(2, id(f.chen)));
        files.erase(approvalPath(2, id(f.chen), true));
    });
    BundleReport gap = f.verify(dropped);
    EXPECT_FALSE(gap.importable);
    EXPECT_TRUE(anyErrorContains(gap, approvalPath(3, id(f.dana)) + ": invalid signature: approval chain position 2 "
                                                                    "is missing: an approval was removed (tampering)"))
        << joined(gap.errors);

    // Removed and the next one renamed into its place: the signed position and prev disagree.
    const std::string renumbered = rezip(zip, [&](ZipFiles& files) {
        files.erase(approvalPath(2, id(f.chen)));
        files.erase(approvalPath(2, id(f.chen), true));
        files[approvalPath(2, id(f.dana))] = files.at(approvalPath(3, id(f.dana)));
        files[approvalPath(2, id(f.dana), true)] = files.at(approvalPath(3, id(f.dana), true));
        files.erase(approvalPath(3, id(f.dana)));
        files.erase(approvalPath(3, id(f.dana), true));
    });
    BundleReport moved = f.verify(renumbered);
    EXPECT_FALSE(moved.importable);
    EXPECT_TRUE(anyErrorContains(moved, "signed as chain position 3 but stored at 2: approvals were reordered or "
                                        "replaced (tampering) (key " + id(f.dana) + ") (rule: chain)"))
        << joined(moved.errors);

    // Cutting the tail is the documented remaining risk: only the count shows it.
    const std::string cut = rezip(zip, [&](ZipFiles& files) {
        files.erase(approvalPath(3, id(f.dana)));
        files.erase(approvalPath(3, id(f.dana), true));
    });
    BundleReport tail = f.verify(cut);
    EXPECT_TRUE(tail.importable);
    EXPECT_EQ(tail.approvalChainLength, 2);
}

TEST(ApprovalChain, OlderApprovalSwappedInIsDetected) {
    Fixture f;
    std::string zip = f.bundle();
    zip = approve(zip, f.bob, approval(Decision::Approve, "cab_member", "Bob Stone", kSignedAt + 60));
    const std::string older = readZip(zip)->at(approvalPath(1, id(f.bob)));
    zip = approve(zip, f.chen, approval(Decision::Approve, "cab_member", "Chen Wu", kSignedAt + 120));
    zip = approve(zip, f.bob, approval(Decision::Reject, "cab_member", "Bob Stone", kSignedAt + 180));
    BundleReport honest = f.verify(zip);
    ASSERT_TRUE(honest.importable) << joined(honest.errors);
    EXPECT_EQ(approvalsFromReport(honest).back().decision, Decision::Reject);

    // Bob's rejection replaced by his older approval.
    const std::string swapped = rezip(zip, [&](ZipFiles& files) { files[approvalPath(3, id(f.bob))] = older; });
    BundleReport r = f.verify(swapped);
    EXPECT_FALSE(r.importable);
    EXPECT_TRUE(anyErrorContains(r, approvalPath(3, id(f.bob)) + ": invalid signature: signed as chain position 1"))
        << joined(r.errors);

    // An approval of another bundle of the same change (another author signature) does not fit either.
    Fixture other;
    other.author = f.author;
    BundleInput in;
    in.changeId = "CHG0001";
    in.authorName = "Ada Lovelace";
    in.signedAt = kSignedAt + 1;
    in.files = {{"change.json", "{\"id\":\"CHG0001\"}"}, {"runbook.md", "# Runbook\n"}};
    const std::string otherZip =
        approve(*writeBundle(in, f.author), f.bob, approval(Decision::Approve, "cab_member", "Bob Stone", kSignedAt + 60));
    const std::string transplanted = rezip(f.bundle(), [&](ZipFiles& files) {
        files[approvalPath(1, id(f.bob))] = readZip(otherZip)->at(approvalPath(1, id(f.bob)));
    });
    BundleReport t = f.verify(transplanted);
    EXPECT_FALSE(t.importable);
}

TEST(ApprovalChain, ReorderedApprovalsAreDetected) {
    Fixture f;
    std::string zip = f.bundle();
    zip = approve(zip, f.bob, approval(Decision::Approve, "cab_member", "Bob Stone", kSignedAt + 60));
    zip = approve(zip, f.chen, approval(Decision::Approve, "cab_member", "Chen Wu", kSignedAt + 120));
    const std::string swapped = rezip(zip, [&](ZipFiles& files) {
        std::string a = files.at(approvalPath(1, id(f.bob))), b = files.at(approvalPath(2, id(f.chen)));
        files.erase(approvalPath(1, id(f.bob)));
        files.erase(approvalPath(2, id(f.chen)));
        files[approvalPath(1, id(f.chen))] = b;
        files[approvalPath(2, id(f.bob))] = a;
    });
    BundleReport r = f.verify(swapped);
    EXPECT_FALSE(r.importable);
    EXPECT_TRUE(anyErrorContains(r, "(rule: chain)")) << joined(r.errors);
}

TEST(ApprovalChain, BackDatedOrFutureApprovalIsRejected) {
    Fixture f;
    auto refused = addApproval(f.bundle(), f.bob, approval(Decision::Approve, "cab_member", "Bob Stone", kSignedAt - 1));
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("before the author's signature"), std::string::npos);

    const std::string backDated =
        forge(f.bundle(), f.bob, 1, "none", approval(Decision::Approve, "cab_member", "Bob Stone", kSignedAt - 3600));
    BundleReport r = f.verify(backDated);
    EXPECT_FALSE(r.importable);
    EXPECT_TRUE(anyErrorContains(r, "dated 2026-11-28T00:01:01Z, before the author's signature "
                                    "(2026-11-28T01:01:01Z) (key " + id(f.bob) + ") (rule: time)"))
        << joined(r.errors);

    const std::string ahead = approve(f.bundle(), f.bob, approval(Decision::Approve, "cab_member", "Bob Stone",
                                                                    kClock + kMaxClockSkewSeconds + 1));
    BundleReport future = f.verify(ahead);
    EXPECT_FALSE(future.importable);
    EXPECT_TRUE(anyErrorContains(future, "more than 5 minutes ahead of the verifier's clock")) << joined(future.errors);
    const std::string justInside = approve(f.bundle(), f.bob, approval(Decision::Approve, "cab_member", "Bob Stone",
                                                                         kClock + kMaxClockSkewSeconds));
    EXPECT_TRUE(f.verify(justInside).importable);
}

TEST(ApprovalChain, RoleNotGrantedByTheTrustStoreIsRejected) {
    Fixture f;
    const std::string zip =
        approve(f.bundle(), f.dana, approval(Decision::Approve, "change_manager", "Dana Reyes", kSignedAt + 60));
    BundleReport r = f.verify(zip);
    EXPECT_FALSE(r.importable);
    EXPECT_TRUE(anyErrorContains(r, "approval claims role change_manager, which the trust store does not grant to "
                                    "Dana Reyes (key " + id(f.dana) + ") (rule: role)"))
        << joined(r.errors);
}

TEST(ApprovalChain, FormatVersionOneIsRefusedNamingTheVersion) {
    Fixture f;
    // A version 1 bundle: same layout, author comment planner-bundle=1, approval named by key id only.
    const std::string v1 = rezip(f.bundle(), [&](ZipFiles& files) {
        const std::string comment =
            "planner-bundle=1 kind=author change=CHG0001 author=Ada%20Lovelace time=2026-11-28T01:01:01Z";
        files["SHA256SUMS.minisig"] = *crypto::signMinisign(f.author, files.at("SHA256SUMS"), comment, "v1");
        files["approvals/" + id(f.bob) + ".minisig"] = "x";
    });
    BundleReport r = f.verify(v1);
    EXPECT_FALSE(r.importable);
    EXPECT_EQ(r.formatVersion, 1);
    EXPECT_TRUE(anyErrorContains(r, "SHA256SUMS.minisig: invalid signature: bundle format version 1 is not accepted"))
        << joined(r.errors);
    EXPECT_TRUE(anyErrorContains(r, "\"approvals/" + id(f.bob) + ".minisig\" is not a chained approval")) << joined(r.errors);
    auto approveOld = addApproval(v1, f.bob, approval(Decision::Approve, "cab_member", "Bob Stone", kSignedAt + 60));
    ASSERT_FALSE(approveOld.ok());
    EXPECT_NE(approveOld.error().message.find("format version 1"), std::string::npos);
}

}  // namespace
}  // namespace planner::core::bundle
