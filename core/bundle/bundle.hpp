// Signed change bundles: writing, adding approvals, verifying, reading approvals
// back. The layout is specified in docs/bundle-format.md; content files come from
// the exporters as an ordered map path -> bytes.
#pragma once

#include "bundle/zip.hpp"
#include "crypto/keys.hpp"
#include "model/model.hpp"
#include "util/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planner::core::bundle {

// SSHSIG namespace of SHA256SUMS.sig (what `ssh-keygen -Y verify -n` needs).
inline constexpr const char* kSshNamespace = "change-bundle@planner";
inline constexpr const char* kSumsPath = "SHA256SUMS";
inline constexpr const char* kSumsMinisignPath = "SHA256SUMS.minisig";
inline constexpr const char* kSumsSshsigPath = "SHA256SUMS.sig";
inline constexpr const char* kAuthorPublicKeyPath = "keys/author.pub";
inline constexpr const char* kAllowedSignersPath = "keys/allowed_signers";
inline constexpr const char* kApprovalsDir = "approvals/";

struct BundleInput {
    ZipFiles files;               // content files (change.json, report.html, ...), path -> bytes
    std::string changeId;         // e.g. CHG0001234
    std::string authorName;       // as it should appear in the signed comment
    std::string authorPrincipal;  // allowed_signers principal ([A-Za-z0-9._@+-]); "" = the key id in hex
    TimeUtc signedAt = 0;         // UTC seconds written into the trusted comment
};

// Signs and packs a bundle: content files, keys/author.pub, keys/allowed_signers,
// SHA256SUMS over all of those, SHA256SUMS.minisig (prehashed) and SHA256SUMS.sig.
// The same input and key give byte-identical zip bytes.
Result<std::string> writeBundle(const BundleInput& input, const crypto::KeyPair& authorKey);

struct ApprovalInput {
    Decision decision = Decision::Approve;
    std::string role;             // cab_member, security_officer, service_owner, change_manager, ...
    std::string name;             // approver's name as it should appear in the signed comment
    TimeUtc at = 0;
    std::string comment;          // optional free text (signed)
    bool retrospective = false;   // retrospective approval of an emergency change
};

// Format version written by writeBundle and addApproval; version 1 bundles
// (approvals not bound together) are refused with an error naming the version.
inline constexpr int kBundleFormatVersion = 2;
// How far an approval's time may be ahead of the verifier's clock.
inline constexpr TimeUtc kMaxClockSkewSeconds = 300;

// Returns a new bundle with the next approval of the chain,
// approvals/<NNNN>-<KEYID>.minisig (and .pub), signed by `approverKey` over the
// bundle's SHA256SUMS with a trusted comment binding the author signature and
// the previous approval (docs/bundle-format.md, section 5). Earlier approvals
// are kept: a new decision by the same key is appended and supersedes them.
// Refuses a bundle whose author signature or file hashes do not hold against
// its own embedded author key, a broken chain, the author's own key, and a
// time before the author's signature.
Result<std::string> addApproval(std::string_view bundleZip, const crypto::KeyPair& approverKey,
                                const ApprovalInput& approval);

// One trusted signer known to the verifying side. The trust store is the only
// source of an approver's identity: the name and roles signed into an approval
// must agree with the entry of its key.
struct TrustedKey {
    std::string name;
    std::vector<std::string> roles;  // approval roles this key may sign for; empty = none (author only)
    crypto::PublicKey key;
    bool anyRole = false;            // "*" in a trust store file: every role
    std::string id;                  // person id when the key comes from a workspace person; "" = the name

    const std::string& identity() const { return id.empty() ? name : id; }
    bool grants(const std::string& role) const;
};
using TrustStore = std::vector<TrustedKey>;

enum class FileStatus { Ok, HashMismatch, Missing, NotListed };
enum class SignatureKind { AuthorMinisign, AuthorSshsig, Approval };
enum class SignatureStatus { Valid, Invalid, UntrustedKey };

struct FileCheck {
    std::string path;
    FileStatus status = FileStatus::Ok;
    std::string expectedSha256;   // from SHA256SUMS ("" when not listed)
    std::string actualSha256;     // of the bytes in the zip ("" when missing)
};

struct SignatureCheck {
    std::string file;                  // entry holding the signature
    SignatureKind kind = SignatureKind::AuthorMinisign;
    SignatureStatus status = SignatureStatus::Invalid;
    std::string message;               // why it is not valid ("" when valid)
    std::string keyId;                 // signer key id (hex) when known
    std::string trustedName;           // name from the trust store when the key is trusted
    std::string approverId;            // approvals: the trust store identity (person id, else name) when valid
    std::string trustedComment;        // raw signed comment (minisign only)
    std::string changeId;              // parsed from the signed comment
    std::string signerName;            // author= or name= from the signed comment
    TimeUtc at = 0;                    // time= from the signed comment
    std::optional<Decision> decision;  // approvals only
    std::string role;                  // approvals only
    std::string comment;               // approvals only
    bool retrospective = false;        // approvals only
    int sequence = 0;                  // approvals only: position in the approval chain (1-based)
    bool superseded = false;           // approvals only: a later approval in the chain by the same signer
    std::string rule;                  // the rule an invalid signature breaks: format, signature, trust,
                                       // identity, role, separation_of_duties, chain, time
};

struct BundleReport {
    bool importable = false;           // every check held; never import otherwise
    std::string changeId;              // from the author's signed comment
    std::string authorName;
    TimeUtc signedAt = 0;
    std::optional<crypto::PublicKey> authorKey;  // keys/author.pub, when readable
    std::vector<FileCheck> files;      // sorted by path
    std::vector<SignatureCheck> signatures;  // author minisign, author sshsig, then approvals by path
    std::vector<std::string> errors;   // each names what failed; empty when importable
    std::vector<std::string> warnings; // e.g. files present but not listed
    int formatVersion = 0;             // planner-bundle= of the author's signed comment
    int approvalChainLength = 0;       // approvals in the chain (a receiving system compares it with what it saw)
    std::string approvalChainHead;     // SHA-256 of the last approval signature file ("" without approvals)
    std::string requester;             // of the signed change.json, when it parses
    std::vector<std::string> unsignedApprovals;  // approvals written in change.json: shown, never counted
};

// Verifies a bundle against `trust`. Never throws; a bundle that cannot even be
// read gets a report with importable == false and the reason in errors.
// `now` is the verifier's clock (UTC seconds; nullopt = the system clock): an
// approval dated more than kMaxClockSkewSeconds after it is rejected.
BundleReport verifyBundle(std::string_view bundleZip, const TrustStore& trust, const ZipLimits& limits = {},
                          const std::string& bundleName = "", std::optional<TimeUtc> now = std::nullopt);

// A bundle read once (one inflate of the archive, within `limits`) and verified.
struct OpenedBundle {
    BundleReport report;
    ZipFiles entries;   // every entry of the archive; empty when it could not be read
};
OpenedBundle openBundle(std::string_view bundleZip, const TrustStore& trust, const ZipLimits& limits = {},
                        const std::string& bundleName = "", std::optional<TimeUtc> now = std::nullopt);

// Moves out of `opened` its signed content files (listed in SHA256SUMS with a
// matching hash, outside keys/ and approvals/); nothing unless the report is importable.
ZipFiles takeSignedContent(OpenedBundle& opened);

// What `planner extract` may write: the entries a signature whose cryptography
// holds covers (SHA256SUMS, its signatures, the files it lists with matching
// hashes, the approval signatures and their keys), and the others. Fails when
// the author's signature does not hold or a listed file is missing or altered;
// `trusted` (a trust store was given) also requires the whole report to pass.
struct Extraction {
    std::vector<std::string> signedEntries;
    std::vector<std::string> unsignedEntries;
};
Result<Extraction> extractableEntries(const OpenedBundle& opened, bool trusted);

// "the bundle failed verification and must not be imported:" and each error, one per line.
std::string failedVerificationMessage(const BundleReport& report);

// The signed content files of a bundle (listed in SHA256SUMS, outside keys/ and
// approvals/) when verification holds; otherwise an error listing what failed.
Result<ZipFiles> openVerifiedBundle(std::string_view bundleZip, const TrustStore& trust,
                                    const ZipLimits& limits = {}, const std::string& bundleName = "",
                                    std::optional<TimeUtc> now = std::nullopt);

// The approvals that count, from the valid approval signatures of a report: in
// chain order, the last decision of each signer only (one key, one identity
// counts once per change). approver = the trust store identity of the key
// (person id or name), keyId = signer key id hex. Approvals written in
// change.json never appear here.
std::vector<Approval> approvalsFromReport(const BundleReport& report);

// The file name of chain position `sequence` for `keyIdHex`: approvals/0001-<KEYID>.minisig.
std::string approvalPath(int sequence, const std::string& keyIdHex, bool publicKey = false);

const char* toString(FileStatus);
const char* toString(SignatureKind);
const char* toString(SignatureStatus);

}  // namespace planner::core::bundle
