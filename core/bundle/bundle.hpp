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

// Returns a new bundle with approvals/<KEYID>.minisig (and approvals/<KEYID>.pub)
// signed by `approverKey` over the bundle's SHA256SUMS; any earlier approval by the
// same key is replaced. Refuses a bundle whose author signature or file hashes do
// not hold against its own embedded author key.
Result<std::string> addApproval(std::string_view bundleZip, const crypto::KeyPair& approverKey,
                                const ApprovalInput& approval);

// One trusted signer known to the verifying side.
struct TrustedKey {
    std::string name;
    std::vector<std::string> roles;  // roles this key may sign approvals for; empty = any role
    crypto::PublicKey key;
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
    std::string trustedComment;        // raw signed comment (minisign only)
    std::string changeId;              // parsed from the signed comment
    std::string signerName;            // author= or name= from the signed comment
    TimeUtc at = 0;                    // time= from the signed comment
    std::optional<Decision> decision;  // approvals only
    std::string role;                  // approvals only
    std::string comment;               // approvals only
    bool retrospective = false;        // approvals only
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
};

// Verifies a bundle against `trust`. Never throws; a bundle that cannot even be
// read gets a report with importable == false and the reason in errors.
BundleReport verifyBundle(std::string_view bundleZip, const TrustStore& trust, const ZipLimits& limits = {},
                          const std::string& bundleName = "");

// The signed content files of a bundle (listed in SHA256SUMS, outside keys/ and
// approvals/) when verification holds; otherwise an error listing what failed.
Result<ZipFiles> openVerifiedBundle(std::string_view bundleZip, const TrustStore& trust,
                                    const ZipLimits& limits = {}, const std::string& bundleName = "");

// The valid approval signatures of a report as model approvals (keyId = signer key id hex).
std::vector<Approval> approvalsFromReport(const BundleReport& report);

const char* toString(FileStatus);
const char* toString(SignatureKind);
const char* toString(SignatureStatus);

}  // namespace planner::core::bundle
