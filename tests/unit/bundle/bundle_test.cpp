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

constexpr TimeUtc kSignedAt = 1795827661;  // 2026-11-28T01:01:01Z

struct Fixture {
    KeyPair author = crypto::generateKeyPair();
    KeyPair cab = crypto::generateKeyPair();
    KeyPair security = crypto::generateKeyPair();
    TrustStore trust;

    Fixture() {
        trust.push_back({"Ada Lovelace", {}, author.publicKey});
        trust.push_back({"Bob Stone", {"cab_member"}, cab.publicKey});
        trust.push_back({"Chen Wu", {"security_officer", "cab_member"}, security.publicKey});
    }

    static BundleInput input() {
        BundleInput in;
        in.changeId = "CHG0001";
        in.authorName = "Ada Lovelace";
        in.authorPrincipal = "ada@example.org";
        in.signedAt = kSignedAt;
        in.files = {{"change.json", "{\"id\":\"CHG0001\"}"},
                    {"runbook.md", "# Runbook\n1. stop\n2. start\n"},
                    {"payloads/servicenow.json", "{\"short_description\":\"x\"}"}};
        return in;
    }

    std::string bundle() const { return *writeBundle(input(), author); }
};

const SignatureCheck* findSignature(const BundleReport& r, SignatureKind kind, const std::string& file = "") {
    for (const auto& s : r.signatures) {
        if (s.kind == kind && (file.empty() || s.file == file)) return &s;
    }
    return nullptr;
}

const FileCheck* findFile(const BundleReport& r, const std::string& path) {
    for (const auto& f : r.files) {
        if (f.path == path) return &f;
    }
    return nullptr;
}

bool anyErrorContains(const BundleReport& r, const std::string& needle) {
    return std::any_of(r.errors.begin(), r.errors.end(),
                       [&](const std::string& e) { return e.find(needle) != std::string::npos; });
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += s + "\n";
    return out;
}

std::string sumsLine(const std::string& path, const ZipFiles& files) {
    return sha256Hex(files.at(path)) + "  " + path + "\n";
}

std::string rezip(const std::string& zip, const std::function<void(ZipFiles&)>& edit) {
    ZipFiles files = *readZip(zip);
    edit(files);
    return *writeZip(files);
}

TEST(Bundle, WritesTheDocumentedLayoutAndVerifies) {
    Fixture f;
    auto zip = writeBundle(Fixture::input(), f.author);
    ASSERT_TRUE(zip.ok()) << zip.error().toString();
    ZipFiles files = *readZip(*zip);
    std::vector<std::string> names;
    for (const auto& [path, data] : files) names.push_back(path);
    EXPECT_EQ(names, (std::vector<std::string>{"SHA256SUMS", "SHA256SUMS.minisig", "SHA256SUMS.sig", "change.json",
                                               "keys/allowed_signers", "keys/author.pub",
                                               "payloads/servicenow.json", "runbook.md"}));
    const std::string expectedSums = sumsLine("change.json", files) + sumsLine("keys/allowed_signers", files) +
                                     sumsLine("keys/author.pub", files) +
                                     sumsLine("payloads/servicenow.json", files) +
                                     sumsLine("runbook.md", files);
    EXPECT_EQ(files["SHA256SUMS"], expectedSums);
    EXPECT_EQ(files["keys/author.pub"], crypto::writeMinisignPublicKey(f.author.publicKey));
    EXPECT_EQ(files["keys/allowed_signers"].rfind("ada@example.org namespaces=\"change-bundle@planner\" ssh-ed25519 ", 0), 0u);
    EXPECT_NE(files["SHA256SUMS.minisig"].find(
                  "\ntrusted comment: planner-bundle=2 kind=author change=CHG0001 author=Ada%20Lovelace "
                  "time=2026-11-28T01:01:01Z\n"),
              std::string::npos)
        << files["SHA256SUMS.minisig"];

    BundleReport report = verifyBundle(*zip, f.trust);
    EXPECT_TRUE(report.importable) << joined(report.errors);
    EXPECT_TRUE(report.warnings.empty()) << joined(report.warnings);
    EXPECT_EQ(report.changeId, "CHG0001");
    EXPECT_EQ(report.authorName, "Ada Lovelace");
    EXPECT_EQ(report.signedAt, kSignedAt);
    ASSERT_TRUE(report.authorKey.has_value());
    EXPECT_EQ(*report.authorKey, f.author.publicKey);
    EXPECT_EQ(report.files.size(), 5u);
    for (const auto& fc : report.files) EXPECT_EQ(fc.status, FileStatus::Ok) << fc.path;
    ASSERT_EQ(report.signatures.size(), 2u);
    for (const auto& s : report.signatures) {
        EXPECT_EQ(s.status, SignatureStatus::Valid) << s.file << ": " << s.message;
        EXPECT_EQ(s.trustedName, "Ada Lovelace");
        EXPECT_EQ(s.keyId, crypto::keyIdHex(f.author.publicKey.keyId));
    }
}

TEST(Bundle, ExportIsDeterministic) {
    Fixture f;
    EXPECT_EQ(*writeBundle(Fixture::input(), f.author), *writeBundle(Fixture::input(), f.author));
    BundleInput later = Fixture::input();
    later.signedAt += 1;
    EXPECT_NE(*writeBundle(later, f.author), *writeBundle(Fixture::input(), f.author));
    BundleInput defaultPrincipal = Fixture::input();
    defaultPrincipal.authorPrincipal.clear();
    ZipFiles files = *readZip(*writeBundle(defaultPrincipal, f.author));
    EXPECT_EQ(files["keys/allowed_signers"].rfind(crypto::keyIdHex(f.author.publicKey.keyId) + " namespaces=", 0), 0u);
}

TEST(Bundle, WriterRejectsBadInput) {
    Fixture f;
    for (const char* reserved : {"SHA256SUMS", "SHA256SUMS.sig", "keys/x.pub", "approvals/A.minisig"}) {
        BundleInput in = Fixture::input();
        in.files[reserved] = "x";
        auto r = writeBundle(in, f.author);
        ASSERT_FALSE(r.ok()) << reserved;
        EXPECT_NE(r.error().message.find("reserved"), std::string::npos);
    }
    BundleInput traversal = Fixture::input();
    traversal.files["../x"] = "x";
    EXPECT_FALSE(writeBundle(traversal, f.author).ok());
    BundleInput principal = Fixture::input();
    principal.authorPrincipal = "Ada Lovelace";
    EXPECT_FALSE(writeBundle(principal, f.author).ok());
    BundleInput noId = Fixture::input();
    noId.changeId.clear();
    EXPECT_FALSE(writeBundle(noId, f.author).ok());
}

TEST(Bundle, UntrustedAuthorIsRejected) {
    Fixture f;
    const std::string zip = f.bundle();
    BundleReport report = verifyBundle(zip, {});
    EXPECT_FALSE(report.importable);
    const SignatureCheck* s = findSignature(report, SignatureKind::AuthorMinisign);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->status, SignatureStatus::UntrustedKey);
    EXPECT_TRUE(anyErrorContains(report, "SHA256SUMS.minisig: untrusted key")) << joined(report.errors);
    EXPECT_TRUE(anyErrorContains(report, "SHA256SUMS.sig: untrusted key")) << joined(report.errors);

    TrustStore impostor = f.trust;
    impostor[0].key.key = f.cab.publicKey.key;  // right key id, wrong key bytes
    BundleReport forged = verifyBundle(zip, impostor);
    EXPECT_FALSE(forged.importable);
    EXPECT_TRUE(anyErrorContains(forged, "different public key")) << joined(forged.errors);

    auto refused = openVerifiedBundle(zip, {}, {}, "chg.zip");
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("must not be imported"), std::string::npos);
}

TEST(Bundle, ApprovalsKeepAuthorValidAndReadBack) {
    Fixture f;
    ApprovalInput yes{Decision::Approve, "cab_member", "Bob Stone", kSignedAt + 3600, "fine = go, 100%", false};
    auto approved = addApproval(f.bundle(), f.cab, yes);
    ASSERT_TRUE(approved.ok()) << approved.error().toString();
    ApprovalInput no{Decision::Reject, "security_officer", "Chen Wu", kSignedAt + 7200, "", true};
    auto both = addApproval(*approved, f.security, no);
    ASSERT_TRUE(both.ok()) << both.error().toString();

    BundleReport report = verifyBundle(*both, f.trust);
    EXPECT_TRUE(report.importable) << joined(report.errors);
    EXPECT_EQ(findSignature(report, SignatureKind::AuthorMinisign)->status, SignatureStatus::Valid);
    EXPECT_EQ(findSignature(report, SignatureKind::AuthorSshsig)->status, SignatureStatus::Valid);
    ASSERT_EQ(report.signatures.size(), 4u);
    EXPECT_TRUE(report.warnings.empty()) << joined(report.warnings);

    std::vector<Approval> approvals = approvalsFromReport(report);
    ASSERT_EQ(approvals.size(), 2u);
    std::sort(approvals.begin(), approvals.end(),
              [](const Approval& a, const Approval& b) { return a.at < b.at; });
    EXPECT_EQ(approvals[0].approver, "Bob Stone");
    EXPECT_EQ(approvals[0].role, "cab_member");
    EXPECT_EQ(approvals[0].decision, Decision::Approve);
    EXPECT_EQ(approvals[0].at, kSignedAt + 3600);
    EXPECT_EQ(approvals[0].comment, "fine = go, 100%");
    EXPECT_EQ(approvals[0].keyId, crypto::keyIdHex(f.cab.publicKey.keyId));
    EXPECT_FALSE(approvals[0].retrospective);
    EXPECT_EQ(approvals[1].approver, "Chen Wu");
    EXPECT_EQ(approvals[1].decision, Decision::Reject);
    EXPECT_TRUE(approvals[1].retrospective);

    ZipFiles files = *readZip(*both);
    const std::string path = approvalPath(1, crypto::keyIdHex(f.cab.publicKey.keyId));
    EXPECT_EQ(path, "approvals/0001-" + crypto::keyIdHex(f.cab.publicKey.keyId) + ".minisig");
    ASSERT_TRUE(files.count(path));
    ASSERT_TRUE(files.count(approvalPath(1, crypto::keyIdHex(f.cab.publicKey.keyId), true)));
    EXPECT_NE(files[path].find("trusted comment: planner-bundle=2 kind=approval change=CHG0001 seq=1 author-sig=" +
                               sha256Hex(files["SHA256SUMS.minisig"]) +
                               " prev=none decision=approve role=cab_member name=Bob%20Stone time=2026-11-28T02:01:01Z "
                               "comment=fine%20%3D%20go,%20100%25\n"),
              std::string::npos)
        << files[path];
    const std::string second = approvalPath(2, crypto::keyIdHex(f.security.publicKey.keyId));
    ASSERT_TRUE(files.count(second));
    EXPECT_NE(files[second].find(" seq=2 author-sig=" + sha256Hex(files["SHA256SUMS.minisig"]) +
                                 " prev=" + sha256Hex(files[path]) + " decision=reject "),
              std::string::npos)
        << files[second];
    EXPECT_EQ(report.approvalChainLength, 2);
    EXPECT_EQ(report.approvalChainHead, sha256Hex(files[second]));

    // A new decision by the same key is appended and supersedes the earlier one.
    ApprovalInput changedMind = yes;
    changedMind.decision = Decision::Reject;
    changedMind.at = kSignedAt + 60;  // an earlier claimed time: the chain order decides, not the time
    auto replaced = addApproval(*both, f.cab, changedMind);
    ASSERT_TRUE(replaced.ok());
    BundleReport again = verifyBundle(*replaced, f.trust);
    EXPECT_TRUE(again.importable) << joined(again.errors);
    ASSERT_EQ(again.signatures.size(), 5u);
    EXPECT_EQ(again.approvalChainLength, 3);
    EXPECT_TRUE(again.signatures[2].superseded);
    std::vector<Approval> counted = approvalsFromReport(again);
    ASSERT_EQ(counted.size(), 2u) << "one key counts once";
    EXPECT_EQ(counted[0].approver, "Chen Wu");
    EXPECT_EQ(counted[1].approver, "Bob Stone");
    EXPECT_EQ(counted[1].decision, Decision::Reject);
}

TEST(Bundle, UntrustedOrMisdeclaredApproverIsRejected) {
    Fixture f;
    const KeyPair stranger = crypto::generateKeyPair();
    auto byStranger = addApproval(f.bundle(), stranger, {Decision::Approve, "cab_member", "Eve", kSignedAt, "", false});
    ASSERT_TRUE(byStranger.ok());
    BundleReport report = verifyBundle(*byStranger, f.trust);
    EXPECT_FALSE(report.importable);
    const SignatureCheck* s = findSignature(report, SignatureKind::Approval);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->status, SignatureStatus::UntrustedKey);
    EXPECT_TRUE(anyErrorContains(report, "not in the trust store")) << joined(report.errors);
    EXPECT_TRUE(approvalsFromReport(report).empty());

    auto wrongRole = addApproval(f.bundle(), f.cab, {Decision::Approve, "security_officer", "Bob Stone", kSignedAt, "", false});
    ASSERT_TRUE(wrongRole.ok());
    BundleReport roleReport = verifyBundle(*wrongRole, f.trust);
    EXPECT_FALSE(roleReport.importable);
    EXPECT_TRUE(anyErrorContains(roleReport, "claims role security_officer")) << joined(roleReport.errors);

    auto renamed = addApproval(f.bundle(), f.cab, {Decision::Approve, "cab_member", "Robert", kSignedAt, "", false});
    BundleReport nameReport = verifyBundle(*renamed, f.trust);
    EXPECT_FALSE(nameReport.importable);
    const std::string keyId = crypto::keyIdHex(f.cab.publicKey.keyId);
    EXPECT_TRUE(anyErrorContains(nameReport, approvalPath(1, keyId) + ": invalid signature: key " + keyId +
                                                 " signed the name \"Robert\" but the trust store names this key "
                                                 "\"Bob Stone\" (rule: identity)"))
        << joined(nameReport.errors);
    EXPECT_TRUE(approvalsFromReport(nameReport).empty());
}

TEST(Bundle, ApprovalCannotStandInForTheAuthor) {
    Fixture f;
    const std::string approved = *addApproval(f.bundle(), f.cab, {Decision::Approve, "cab_member", "Bob Stone", kSignedAt, "", false});
    const std::string swapped = rezip(approved, [&](ZipFiles& files) {
        files["SHA256SUMS.minisig"] = files[approvalPath(1, crypto::keyIdHex(f.cab.publicKey.keyId))];
        files["keys/author.pub"] = crypto::writeMinisignPublicKey(f.cab.publicKey);
    });
    BundleReport report = verifyBundle(swapped, f.trust);
    EXPECT_FALSE(report.importable);
    EXPECT_NE(findSignature(report, SignatureKind::AuthorMinisign)->status, SignatureStatus::Valid);
    EXPECT_TRUE(anyErrorContains(report, "keys/author.pub")) << joined(report.errors);
}

TEST(Bundle, MissingFileAndUnlistedFile) {
    Fixture f;
    const std::string missing = rezip(f.bundle(), [](ZipFiles& files) { files.erase("runbook.md"); });
    BundleReport report = verifyBundle(missing, f.trust);
    EXPECT_FALSE(report.importable);
    ASSERT_NE(findFile(report, "runbook.md"), nullptr);
    EXPECT_EQ(findFile(report, "runbook.md")->status, FileStatus::Missing);
    EXPECT_TRUE(anyErrorContains(report, "file \"runbook.md\" is listed in SHA256SUMS but missing"));

    const std::string extra = rezip(f.bundle(), [](ZipFiles& files) { files["notes/extra.txt"] = "hello"; });
    BundleReport warned = verifyBundle(extra, f.trust);
    EXPECT_TRUE(warned.importable) << joined(warned.errors);
    ASSERT_EQ(warned.warnings.size(), 1u);
    EXPECT_NE(warned.warnings[0].find("\"notes/extra.txt\" is not listed"), std::string::npos);
    EXPECT_EQ(findFile(warned, "notes/extra.txt")->status, FileStatus::NotListed);
    auto content = openVerifiedBundle(extra, f.trust);
    ASSERT_TRUE(content.ok()) << content.error().toString();
    EXPECT_EQ(content->size(), 3u);
    EXPECT_FALSE(content->count("notes/extra.txt")) << "unsigned files are never handed to an importer";
    EXPECT_EQ(content->at("runbook.md"), Fixture::input().files.at("runbook.md"));
}

TEST(Bundle, EveryByteOfSha256SumsIsProtected) {
    Fixture f;
    const std::string zip = f.bundle();
    const std::string sums = readZip(zip)->at("SHA256SUMS");
    for (std::size_t i = 0; i < sums.size(); ++i) {
        const std::string tampered = rezip(zip, [&](ZipFiles& files) { files["SHA256SUMS"][i] ^= 0x01; });
        BundleReport report = verifyBundle(tampered, f.trust);
        EXPECT_FALSE(report.importable) << "byte " << i;
        const SignatureCheck* s = findSignature(report, SignatureKind::AuthorMinisign);
        EXPECT_EQ(s->status, SignatureStatus::Invalid) << "byte " << i;
        EXPECT_EQ(s->message, "signature does not match the signed data") << "byte " << i;
        EXPECT_EQ(findSignature(report, SignatureKind::AuthorSshsig)->message,
                  "SSH signature does not match the signed data");
    }
}

TEST(Bundle, OneChangedByteInAnyListedFileIsNamed) {
    Fixture f;
    const std::string zip = f.bundle();
    const ZipFiles original = *readZip(zip);
    int checked = 0;
    for (const auto& fc : verifyBundle(zip, f.trust).files) {
        const std::size_t at = original.at(fc.path).size() / 2;
        const std::string tampered = rezip(zip, [&](ZipFiles& files) { files[fc.path][at] ^= 0x20; });
        BundleReport report = verifyBundle(tampered, f.trust);
        EXPECT_FALSE(report.importable) << fc.path;
        EXPECT_EQ(findFile(report, fc.path)->status, FileStatus::HashMismatch) << fc.path;
        EXPECT_TRUE(anyErrorContains(report, "file \"" + fc.path + "\" does not match its SHA-256"))
            << joined(report.errors);
        ++checked;
    }
    EXPECT_EQ(checked, 5);
}

TEST(Bundle, EveryByteOfTheSignaturesIsProtected) {
    Fixture f;
    const std::string zip = *addApproval(f.bundle(), f.cab, {Decision::Approve, "cab_member", "Bob Stone", kSignedAt, "", false});
    const ZipFiles original = *readZip(zip);
    const std::string approval = approvalPath(1, crypto::keyIdHex(f.cab.publicKey.keyId));
    for (const std::string path : {std::string("SHA256SUMS.minisig"), approval}) {
        const std::string& text = original.at(path);
        const std::size_t firstLineEnd = text.find('\n');
        for (std::size_t i = 0; i < text.size(); ++i) {
            const std::string tampered = rezip(zip, [&](ZipFiles& files) { files[path][i] ^= 0x01; });
            BundleReport report = verifyBundle(tampered, f.trust);
            const bool inUntrustedText = i >= std::string("untrusted comment: ").size() && i < firstLineEnd;
            if (inUntrustedText && path == approval) {
                EXPECT_TRUE(report.importable) << "the untrusted comment is not signed, by design";
                continue;
            }
            if (inUntrustedText) {
                // The author did not sign this line, but the approval binds the exact
                // bytes of the author's signature file.
                EXPECT_FALSE(report.importable) << "byte " << i;
                EXPECT_TRUE(anyErrorContains(report, approval + ": invalid signature: signed over another author "
                                                                "signature"))
                    << joined(report.errors);
                continue;
            }
            EXPECT_FALSE(report.importable) << path << " byte " << i;
            EXPECT_TRUE(anyErrorContains(report, path + ": invalid signature")) << path << " byte " << i << "\n"
                                                                                 << joined(report.errors);
        }
    }
    const std::string& ssh = original.at("SHA256SUMS.sig");
    for (std::size_t i = 0; i < ssh.size(); ++i) {
        const std::string tampered = rezip(zip, [&](ZipFiles& files) { files["SHA256SUMS.sig"][i] ^= 0x01; });
        BundleReport report = verifyBundle(tampered, f.trust);
        EXPECT_FALSE(report.importable) << "SHA256SUMS.sig byte " << i;
        EXPECT_TRUE(anyErrorContains(report, "SHA256SUMS.sig: invalid signature")) << "byte " << i << "\n"
                                                                                    << joined(report.errors);
    }
}

TEST(Bundle, TruncatedOrGarbageZipGivesClearErrors) {
    Fixture f;
    const std::string zip = f.bundle();
    for (std::size_t len = 0; len < zip.size(); len += 61) {
        BundleReport report = verifyBundle(zip.substr(0, len), f.trust, {}, "chg.zip");
        EXPECT_FALSE(report.importable);
        ASSERT_FALSE(report.errors.empty());
        EXPECT_EQ(report.errors[0].rfind("chg.zip", 0), 0u) << report.errors[0];
    }
    BundleReport garbage = verifyBundle("PK\x05\x06 nonsense", f.trust);
    EXPECT_FALSE(garbage.importable);
    const std::string noSums = rezip(zip, [](ZipFiles& files) { files.erase("SHA256SUMS"); });
    BundleReport missing = verifyBundle(noSums, f.trust);
    EXPECT_FALSE(missing.importable);
    EXPECT_TRUE(anyErrorContains(missing, "SHA256SUMS is missing"));
    auto refuse = addApproval(rezip(zip, [](ZipFiles& files) { files["runbook.md"] += "x"; }), f.cab,
                              {Decision::Approve, "cab_member", "Bob Stone", kSignedAt, "", false});
    ASSERT_FALSE(refuse.ok());
    EXPECT_NE(refuse.error().message.find("refusing to approve"), std::string::npos);
}

}  // namespace
}  // namespace planner::core::bundle
