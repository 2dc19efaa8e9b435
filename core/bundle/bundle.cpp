#include "bundle/bundle.hpp"

#include "bundle/trusted_comment.hpp"
#include "crypto/hash.hpp"
#include "crypto/minisign.hpp"
#include "crypto/sshsig.hpp"
#include "io/export_change.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>

namespace planner::core::bundle {
namespace {

constexpr const char* kFormatField = "planner-bundle";
constexpr const char* kFormatVersion = "2";
constexpr const char* kNoPrevious = "none";
constexpr std::string_view kApprovalSuffix = ".minisig";
constexpr std::string_view kApprovalKeySuffix = ".pub";

Error fail(std::string message, std::string file = {}, int line = 0, int column = 0) {
    return Error{std::move(message), std::move(file), line, column};
}

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool isReservedPath(std::string_view path) {
    return path == kSumsPath || path == kSumsMinisignPath || path == kSumsSshsigPath || startsWith(path, "keys/") ||
           startsWith(path, kApprovalsDir);
}

bool validPrincipal(std::string_view p) {
    if (p.empty() || p.front() == '-') return false;
    return std::all_of(p.begin(), p.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '@' || c == '+' || c == '-';
    });
}

std::string sumsText(const ZipFiles& listed) {
    std::string out;
    for (const auto& [path, data] : listed) out.append(sha256Hex(data)).append("  ").append(path).push_back('\n');
    return out;
}

// SHA256SUMS as written by writeBundle: "<64 lowercase hex>  <path>\n" per file.
Result<std::map<std::string, std::string>> parseSums(std::string_view text) {
    std::map<std::string, std::string> out;
    if (text.empty()) return fail("SHA256SUMS is empty: expected one line per file", kSumsPath, 1, 1);
    if (text.back() != '\n') {
        const int lineNo = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
        return fail("SHA256SUMS does not end with a newline (truncated?)", kSumsPath, lineNo, 1);
    }
    std::size_t pos = 0;
    int lineNo = 0;
    while (pos < text.size()) {
        ++lineNo;
        const std::size_t nl = text.find('\n', pos);
        const std::string_view line = text.substr(pos, nl - pos);
        pos = nl + 1;
        if (line.size() < 67) return fail("expected \"<64 hex digits>  <path>\"", kSumsPath, lineNo, 1);
        for (std::size_t i = 0; i < 64; ++i) {
            const char c = line[i];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return fail("expected a lowercase hex digit of the SHA-256", kSumsPath, lineNo, static_cast<int>(i + 1));
            }
        }
        if (line[64] != ' ' || line[65] != ' ') {
            return fail("expected two spaces between the hash and the path", kSumsPath, lineNo, 65);
        }
        const std::string path(line.substr(66));
        if (auto st = validateEntryPath(path); !st) return fail(st.error().message, kSumsPath, lineNo, 67);
        if (!out.emplace(path, std::string(line.substr(0, 64))).second) {
            return fail("\"" + path + "\" is listed twice", kSumsPath, lineNo, 67);
        }
    }
    return out;
}

std::string fieldValue(const CommentFields& fields, const std::string& key) {
    for (const auto& [k, v] : fields) {
        if (k == key) return v;
    }
    return {};
}

// The format version of a signed comment: its planner-bundle= value as a number (0 when absent or not a number).
int commentVersion(const CommentFields& f) {
    const std::string v = fieldValue(f, kFormatField);
    if (v.empty() || v.size() > 4 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return 0;
    }
    return std::stoi(v);
}

// What a reader of an old bundle is told.
std::string oldVersionMessage(int version) {
    return "bundle format version " + std::to_string(version) +
           " is not accepted: its approvals are not bound together; this planner reads format version " +
           kFormatVersion + " only (ask the author to sign the change again)";
}

struct ChainFields {
    int sequence = 0;
    std::string authorSig, prev;
};

// Parses a bundle trusted comment of `kind` into `check` (and the chain fields of
// an approval into `chain`); returns "" or what is wrong.
std::string readComment(const std::string& text, const char* kind, SignatureCheck& check, ChainFields* chain = nullptr,
                        int* version = nullptr) {
    auto parsed = parseTrustedComment(text);
    if (!parsed) return "trusted comment is malformed: " + parsed.error().message;
    const CommentFields& f = *parsed;
    const int v = commentVersion(f);
    if (version) *version = v;
    if (v != 0 && std::to_string(v) != kFormatVersion) return oldVersionMessage(v);
    std::set<std::string> allowed = {kFormatField, "kind", "change", "time"};
    if (std::string(kind) == "author") {
        allowed.insert("author");
    } else {
        allowed.insert({"seq", "author-sig", "prev", "decision", "role", "name", "comment", "retrospective"});
    }
    for (const auto& [k, val] : f) {
        if (!allowed.count(k)) return "trusted comment has an unknown field \"" + k + "\"";
    }
    if (fieldValue(f, kFormatField) != kFormatVersion) {
        return std::string("trusted comment lacks \"") + kFormatField + "=" + kFormatVersion +
               "\" (not a bundle signature)";
    }
    if (fieldValue(f, "kind") != kind) {
        return std::string("trusted comment says kind=\"") + fieldValue(f, "kind") + "\", expected \"" + kind + "\"";
    }
    check.changeId = fieldValue(f, "change");
    if (check.changeId.empty()) return "trusted comment has no change id";
    auto at = parseUtcTime(fieldValue(f, "time"));
    if (!at) return "trusted comment time is invalid: " + at.error().message;
    check.at = *at;
    if (std::string(kind) == "author") {
        check.signerName = fieldValue(f, "author");
        if (check.signerName.empty()) return "trusted comment has no author name";
        return {};
    }
    const std::string seq = fieldValue(f, "seq");
    if (seq.empty() || seq.size() > 4 || !std::all_of(seq.begin(), seq.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoi(seq) < 1) {
        return "trusted comment field seq must be a chain position 1..9999";
    }
    if (chain) {
        chain->sequence = std::stoi(seq);
        chain->authorSig = fieldValue(f, "author-sig");
        chain->prev = fieldValue(f, "prev");
    }
    if (fieldValue(f, "author-sig").size() != 64) return "trusted comment has no author-sig (SHA-256 of SHA256SUMS.minisig)";
    if (fieldValue(f, "prev").empty()) return "trusted comment has no prev (previous approval, or none)";
    check.signerName = fieldValue(f, "name");
    check.role = fieldValue(f, "role");
    check.comment = fieldValue(f, "comment");
    const std::string retro = fieldValue(f, "retrospective");
    if (!retro.empty() && retro != "1") return "trusted comment field retrospective must be 1 when present";
    check.retrospective = retro == "1";
    const std::string decision = fieldValue(f, "decision");
    if (decision == "approve") {
        check.decision = Decision::Approve;
    } else if (decision == "reject") {
        check.decision = Decision::Reject;
    } else {
        return "trusted comment decision is \"" + decision + "\", expected approve or reject";
    }
    if (check.signerName.empty()) return "trusted comment has no approver name";
    if (check.role.empty()) return "trusted comment has no role";
    return {};
}

// An approvals/ entry name: approvals/<NNNN>-<KEYID>.minisig or .pub.
struct ApprovalName {
    int sequence = 0;
    std::string keyId;
    bool publicKey = false;
};

std::optional<ApprovalName> parseApprovalName(std::string_view path) {
    if (!startsWith(path, kApprovalsDir)) return std::nullopt;
    std::string_view rest = path.substr(std::string_view(kApprovalsDir).size());
    ApprovalName out;
    if (endsWith(rest, kApprovalSuffix)) {
        rest.remove_suffix(kApprovalSuffix.size());
    } else if (endsWith(rest, kApprovalKeySuffix)) {
        rest.remove_suffix(kApprovalKeySuffix.size());
        out.publicKey = true;
    } else {
        return std::nullopt;
    }
    if (rest.size() != 4 + 1 + 16 || rest[4] != '-') return std::nullopt;
    int seq = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        if (rest[i] < '0' || rest[i] > '9') return std::nullopt;
        seq = seq * 10 + (rest[i] - '0');
    }
    if (seq < 1) return std::nullopt;
    for (std::size_t i = 5; i < rest.size(); ++i) {
        const char c = rest[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return std::nullopt;
    }
    out.sequence = seq;
    out.keyId = std::string(rest.substr(5));
    return out;
}

// The approval signature files of a bundle by chain position; "" or what is wrong
// with the set of names (a name outside the scheme, two files at one position).
std::string approvalChainFiles(const ZipFiles& files, std::map<int, std::string>& chain) {
    for (const auto& [path, data] : files) {
        if (!startsWith(path, kApprovalsDir)) continue;
        auto name = parseApprovalName(path);
        if (!name) {
            return "entry \"" + path + "\" is not a chained approval (approvals/<NNNN>-<KEYID>.minisig or .pub; " +
                   "format version 1 names approvals approvals/<KEYID>.minisig)";
        }
        if (name->publicKey) continue;
        if (!chain.emplace(name->sequence, path).second) {
            return "two approvals claim chain position " + std::to_string(name->sequence) + ": \"" +
                   chain[name->sequence] + "\" and \"" + path + "\"";
        }
    }
    return {};
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
    }
    return true;
}

// Whether `who` (a name or person id from the change or a signed comment) names the signer of `t`.
bool namesSigner(const TrustedKey& t, std::string_view who) {
    return !who.empty() && (equalsIgnoringCase(who, t.name) || (!t.id.empty() && equalsIgnoringCase(who, t.id)));
}

const TrustedKey* findTrusted(const TrustStore& trust, const crypto::KeyId& keyId) {
    for (const auto& t : trust) {
        if (t.key.keyId == keyId) return &t;
    }
    return nullptr;
}

// Sets status/trustedName for a signature whose cryptography already holds.
void applyTrust(const TrustStore& trust, const crypto::PublicKey& key, SignatureCheck& check) {
    const TrustedKey* t = findTrusted(trust, key.keyId);
    if (!t) {
        check.status = SignatureStatus::UntrustedKey;
        check.message = "key " + check.keyId + " is not in the trust store";
    } else if (t->key.key != key.key) {
        check.status = SignatureStatus::UntrustedKey;
        check.message = "key id " + check.keyId + " is in the trust store with a different public key";
    } else {
        check.status = SignatureStatus::Valid;
        check.trustedName = t->name;
    }
}

// Self-consistency used before approving: author signature and hashes hold
// against the bundle's own keys/author.pub.
Status checkOwnConsistency(const ZipFiles& files, SignatureCheck& check, crypto::PublicKey& authorKey) {
    const auto pubIt = files.find(kAuthorPublicKeyPath);
    const auto sumsIt = files.find(kSumsPath);
    const auto sigIt = files.find(kSumsMinisignPath);
    if (pubIt == files.end() || sumsIt == files.end() || sigIt == files.end()) {
        return fail("not a signed bundle: SHA256SUMS, SHA256SUMS.minisig or keys/author.pub is missing");
    }
    auto key = crypto::parseMinisignPublicKey(pubIt->second, kAuthorPublicKeyPath);
    if (!key) return key.error();
    auto sig = crypto::verifyMinisignText(*key, sumsIt->second, sigIt->second, true, kSumsMinisignPath);
    if (!sig) return fail(std::string(kSumsMinisignPath) + ": " + sig.error().message);
    if (auto problem = readComment(sig->trustedComment, "author", check); !problem.empty()) {
        return fail(std::string(kSumsMinisignPath) + ": " + problem);
    }
    authorKey = *key;
    auto sums = parseSums(sumsIt->second);
    if (!sums) return sums.error();
    for (const auto& [path, hash] : *sums) {
        const auto it = files.find(path);
        if (it == files.end()) return fail("listed file \"" + path + "\" is missing");
        if (sha256Hex(it->second) != hash) return fail("file \"" + path + "\" does not match its SHA-256");
    }
    return okStatus();
}

}  // namespace

const char* toString(FileStatus s) {
    switch (s) {
        case FileStatus::Ok: return "ok";
        case FileStatus::HashMismatch: return "hash_mismatch";
        case FileStatus::Missing: return "missing";
        case FileStatus::NotListed: return "not_listed";
    }
    return "?";
}

const char* toString(SignatureKind k) {
    switch (k) {
        case SignatureKind::AuthorMinisign: return "author_minisign";
        case SignatureKind::AuthorSshsig: return "author_sshsig";
        case SignatureKind::Approval: return "approval";
    }
    return "?";
}

const char* toString(SignatureStatus s) {
    switch (s) {
        case SignatureStatus::Valid: return "valid";
        case SignatureStatus::Invalid: return "invalid";
        case SignatureStatus::UntrustedKey: return "untrusted_key";
    }
    return "?";
}

Result<std::string> writeBundle(const BundleInput& input, const crypto::KeyPair& authorKey) {
    if (input.changeId.empty()) return fail("a bundle needs a change id");
    if (input.authorName.empty()) return fail("a bundle needs an author name");
    if (input.signedAt < 0 || input.signedAt >= 253402300800) return fail("the signing time is out of range");
    const std::string principal =
        input.authorPrincipal.empty() ? crypto::keyIdHex(authorKey.publicKey.keyId) : input.authorPrincipal;
    if (!validPrincipal(principal)) {
        return fail("author principal \"" + principal + "\" may only use letters, digits and . _ @ + -");
    }
    ZipFiles listed;
    for (const auto& [path, data] : input.files) {
        if (auto st = validateEntryPath(path); !st) return st.error();
        if (isReservedPath(path)) return fail("content file \"" + path + "\" uses a name reserved by the bundle");
        listed.emplace(path, data);
    }
    listed.emplace(kAuthorPublicKeyPath, crypto::writeMinisignPublicKey(authorKey.publicKey));
    listed.emplace(kAllowedSignersPath,
                   crypto::allowedSignersLine(principal, kSshNamespace, authorKey.publicKey.key) + "\n");
    const std::string sums = sumsText(listed);
    const std::string comment = formatTrustedComment({{kFormatField, kFormatVersion},
                                                      {"kind", "author"},
                                                      {"change", input.changeId},
                                                      {"author", input.authorName},
                                                      {"time", formatUtcTime(input.signedAt)}});
    auto minisig = crypto::signMinisign(authorKey, sums, comment,
                                        "change bundle signed by key " + crypto::keyIdHex(authorKey.publicKey.keyId));
    if (!minisig) return minisig.error();
    auto sshsig = crypto::signSshsig(authorKey, sums, kSshNamespace);
    if (!sshsig) return sshsig.error();
    ZipFiles all = std::move(listed);
    all.emplace(kSumsPath, sums);
    all.emplace(kSumsMinisignPath, std::move(*minisig));
    all.emplace(kSumsSshsigPath, std::move(*sshsig));
    return writeZip(all);
}

Result<std::string> addApproval(std::string_view bundleZip, const crypto::KeyPair& approverKey,
                                const ApprovalInput& approval) {
    auto files = readZip(bundleZip);
    if (!files) return files.error();
    SignatureCheck author;
    crypto::PublicKey authorKey;
    if (auto st = checkOwnConsistency(*files, author, authorKey); !st) {
        return fail("refusing to approve an inconsistent bundle: " + st.error().toString());
    }
    if (approval.role.empty() || approval.name.empty()) return fail("an approval needs a role and a name");
    if (approval.role == "author") return fail("\"author\" is not an approval role");
    if (approval.at < 0 || approval.at >= 253402300800) return fail("the approval time is out of range");
    const std::string keyId = crypto::keyIdHex(approverKey.publicKey.keyId);
    if (approverKey.publicKey.keyId == authorKey.keyId) {
        return fail("key " + keyId + " signed the bundle as its author and cannot approve it (separation of duties)");
    }
    if (approval.at < author.at) {
        return fail("the approval time " + formatUtcTime(approval.at) + " is before the author's signature (" +
                    formatUtcTime(author.at) + ")");
    }
    std::map<int, std::string> chain;
    if (auto problem = approvalChainFiles(*files, chain); !problem.empty()) {
        return fail("refusing to extend a broken approval chain: " + problem);
    }
    int expected = 1;
    for (const auto& [seq, path] : chain) {
        if (seq != expected) {
            return fail("refusing to extend a broken approval chain: position " + std::to_string(expected) +
                        " is missing before \"" + path + "\"");
        }
        ++expected;
    }
    if (expected > 9999) return fail("the approval chain is full (9999 approvals)");
    const std::string prev = chain.empty() ? std::string(kNoPrevious) : sha256Hex(files->at(chain.rbegin()->second));
    CommentFields fields = {{kFormatField, kFormatVersion},
                            {"kind", "approval"},
                            {"change", author.changeId},
                            {"seq", std::to_string(expected)},
                            {"author-sig", sha256Hex(files->at(kSumsMinisignPath))},
                            {"prev", prev},
                            {"decision", approval.decision == Decision::Approve ? "approve" : "reject"},
                            {"role", approval.role},
                            {"name", approval.name},
                            {"time", formatUtcTime(approval.at)}};
    if (approval.retrospective) fields.emplace_back("retrospective", "1");
    if (!approval.comment.empty()) fields.emplace_back("comment", approval.comment);
    const std::string comment = formatTrustedComment(fields);
    if (comment.size() > 1000) {
        return fail("the signed comment would be " + std::to_string(comment.size()) +
                    " bytes (at most 1000): shorten the comment");
    }
    auto sig = crypto::signMinisign(approverKey, files->at(kSumsPath), comment, "approval signed by key " + keyId);
    if (!sig) return sig.error();
    (*files)[approvalPath(expected, keyId)] = std::move(*sig);
    (*files)[approvalPath(expected, keyId, true)] = crypto::writeMinisignPublicKey(approverKey.publicKey);
    return writeZip(*files);
}

std::string approvalPath(int sequence, const std::string& keyIdHex, bool publicKey) {
    char seq[8];
    std::snprintf(seq, sizeof seq, "%04d", sequence);
    return std::string(kApprovalsDir) + seq + "-" + keyIdHex +
           std::string(publicKey ? kApprovalKeySuffix : kApprovalSuffix);
}

bool TrustedKey::grants(const std::string& role) const {
    if (role.empty() || role == "author") return false;
    return anyRole || std::find(roles.begin(), roles.end(), role) != roles.end();
}

namespace {

// Every check of verifyBundle on the entries of one archive, read once.
BundleReport verifyEntries(const ZipFiles& files, const TrustStore& trust, const std::string& bundleName,
                           std::optional<TimeUtc> now) {
    const TimeUtc clock = now ? *now : static_cast<TimeUtc>(std::time(nullptr));
    BundleReport report;
    const std::string where = bundleName.empty() ? std::string() : bundleName + ": ";
    auto entry = [&](const char* path) -> const std::string* {
        const auto it = files.find(path);
        return it == files.end() ? nullptr : &it->second;
    };

    const std::string* sums = entry(kSumsPath);
    std::map<std::string, std::string> listed;
    if (!sums) {
        report.errors.push_back(where + "SHA256SUMS is missing");
    } else if (auto parsed = parseSums(*sums); !parsed) {
        report.errors.push_back(where + parsed.error().toString());
    } else {
        listed = std::move(*parsed);
    }
    for (const auto& [path, expected] : listed) {
        FileCheck fc{path, FileStatus::Ok, expected, {}};
        const auto it = files.find(path);
        if (it == files.end()) {
            fc.status = FileStatus::Missing;
            report.errors.push_back(where + "file \"" + path + "\" is listed in SHA256SUMS but missing");
        } else {
            fc.actualSha256 = sha256Hex(it->second);
            if (fc.actualSha256 != expected) {
                fc.status = FileStatus::HashMismatch;
                report.errors.push_back(where + "file \"" + path + "\" does not match its SHA-256 in SHA256SUMS");
            }
        }
        report.files.push_back(std::move(fc));
    }
    for (const auto& [path, data] : files) {
        if (listed.count(path) || path == kSumsPath || path == kSumsMinisignPath || path == kSumsSshsigPath) continue;
        if (startsWith(path, kApprovalsDir)) continue;  // the approval chain, checked below
        report.files.push_back(FileCheck{path, FileStatus::NotListed, {}, sha256Hex(data)});
        report.warnings.push_back(where + "file \"" + path + "\" is not listed in SHA256SUMS (not covered by any signature)");
    }
    std::sort(report.files.begin(), report.files.end(),
              [](const FileCheck& a, const FileCheck& b) { return a.path < b.path; });

    // Author key, as embedded; trust comes only from the trust store.
    if (const std::string* pub = entry(kAuthorPublicKeyPath); !pub) {
        report.errors.push_back(where + "keys/author.pub is missing");
    } else if (auto key = crypto::parseMinisignPublicKey(*pub, kAuthorPublicKeyPath); !key) {
        report.errors.push_back(where + key.error().toString());
    } else {
        report.authorKey = *key;
    }
    const std::string sumsBytes = sums ? *sums : std::string();

    SignatureCheck author;
    author.file = kSumsMinisignPath;
    author.kind = SignatureKind::AuthorMinisign;
    if (const std::string* text = entry(kSumsMinisignPath); !text) {
        author.message = "SHA256SUMS.minisig is missing";
    } else if (auto sig = crypto::parseMinisignSignature(*text, kSumsMinisignPath); !sig) {
        author.message = sig.error().toString();
    } else {
        author.keyId = crypto::keyIdHex(sig->keyId);
        author.trustedComment = sig->trustedComment;
        if (!report.authorKey) {
            author.message = "cannot check: keys/author.pub is missing or unreadable";
        } else if (auto st = crypto::verifyMinisign(*report.authorKey, sumsBytes, *sig, true); !st) {
            author.message = st.error().message;
        } else if (auto problem = readComment(sig->trustedComment, "author", author, nullptr, &report.formatVersion);
                   !problem.empty()) {
            author.message = problem;
            author.rule = "format";
        } else {
            applyTrust(trust, *report.authorKey, author);
            report.changeId = author.changeId;
            report.authorName = author.signerName;
            report.signedAt = author.at;
        }
    }
    report.signatures.push_back(author);

    SignatureCheck ssh;
    ssh.file = kSumsSshsigPath;
    ssh.kind = SignatureKind::AuthorSshsig;
    if (report.authorKey) ssh.keyId = crypto::keyIdHex(report.authorKey->keyId);
    if (const std::string* text = entry(kSumsSshsigPath); !text) {
        ssh.message = "SHA256SUMS.sig is missing";
    } else if (auto sig = crypto::parseSshsig(*text, kSumsSshsigPath); !sig) {
        ssh.message = sig.error().toString();
    } else if (!report.authorKey) {
        ssh.message = "cannot check: keys/author.pub is missing or unreadable";
    } else if (auto st = crypto::verifySshsig(*sig, sumsBytes, kSshNamespace, &report.authorKey->key); !st) {
        ssh.message = st.error().message;
    } else {
        ssh.keyId = crypto::keyIdHex(report.authorKey->keyId);
        applyTrust(trust, *report.authorKey, ssh);
        const std::string* signers = entry(kAllowedSignersPath);
        const std::string expectedKey = crypto::sshPublicKeyLine(report.authorKey->key);
        if (!signers || signers->find(std::string("namespaces=\"") + kSshNamespace + "\" " + expectedKey) ==
                            std::string::npos) {
            ssh.status = SignatureStatus::Invalid;
            ssh.message = "keys/allowed_signers does not list the author key for namespace " +
                          std::string(kSshNamespace);
        }
    }
    report.signatures.push_back(ssh);

    // The signed change document: who requested the change, and the approvals it
    // merely writes down (shown as unsigned, never counted).
    if (const std::string* changeDoc = entry("change.json"); changeDoc && listed.count("change.json") &&
                                                              sha256Hex(*changeDoc) == listed.at("change.json")) {
        if (auto change = io::parseChangeDocument(*changeDoc, "change.json")) {
            report.requester = change->requester;
            for (const Approval& a : change->approvals) {
                report.unsignedApprovals.push_back(std::string(toString(a.decision)) + " as " + a.role + " by " +
                                                   a.approver + " (unsigned, not counted)");
            }
        }
    }
    const TrustedKey* authorTrusted = report.authorKey ? findTrusted(trust, report.authorKey->keyId) : nullptr;
    if (authorTrusted && authorTrusted->key.key != report.authorKey->key) authorTrusted = nullptr;

    std::map<int, std::string> chain;
    if (auto problem = approvalChainFiles(files, chain); !problem.empty()) {
        report.errors.push_back(where + problem + " (rule: chain)");
    }
    const std::string authorSigHash =
        entry(kSumsMinisignPath) ? sha256Hex(*entry(kSumsMinisignPath)) : std::string();
    std::string previousHash = kNoPrevious;
    int expectedSequence = 1;
    std::map<std::string, std::size_t> lastBySigner;  // identity -> index into report.signatures
    for (const auto& [sequence, path] : chain) {
        const std::string& data = files.at(path);
        SignatureCheck check;
        check.file = path;
        check.kind = SignatureKind::Approval;
        check.sequence = sequence;
        const ApprovalName name = *parseApprovalName(path);
        auto reject = [&](std::string rule, std::string message) {
            check.status = SignatureStatus::Invalid;
            check.rule = std::move(rule);
            check.message = std::move(message);
        };
        const std::string thisHash = sha256Hex(data);
        auto sig = crypto::parseMinisignSignature(data, path);
        const TrustedKey* t = nullptr;
        ChainFields fields;
        if (sequence != expectedSequence) {
            reject("chain", "approval chain position " + std::to_string(expectedSequence) +
                                " is missing: an approval was removed (tampering)");
        } else if (!sig) {
            reject("format", sig.error().toString());
        } else {
            check.keyId = crypto::keyIdHex(sig->keyId);
            check.trustedComment = sig->trustedComment;
            t = findTrusted(trust, sig->keyId);
            std::string problem;
            if (name.keyId != check.keyId) {
                reject("format", "file name says key " + name.keyId + " but the signature is by key " + check.keyId);
            } else if (!t) {
                check.status = SignatureStatus::UntrustedKey;
                check.rule = "trust";
                check.message = "approval signed by key " + check.keyId + ", which is not in the trust store";
            } else if (auto st = crypto::verifyMinisign(t->key, sumsBytes, *sig, true); !st) {
                reject("signature", st.error().message);
            } else if (problem = readComment(sig->trustedComment, "approval", check, &fields); !problem.empty()) {
                reject("format", problem);
            } else if (fields.sequence != sequence) {
                reject("chain", "signed as chain position " + std::to_string(fields.sequence) + " but stored at " +
                                    std::to_string(sequence) + ": approvals were reordered or replaced (tampering)");
            } else if (fields.authorSig != authorSigHash) {
                reject("chain", "signed over another author signature (author-sig " + fields.authorSig.substr(0, 12) +
                                    "...): the approval was taken from another bundle (tampering)");
            } else if (fields.prev != previousHash) {
                reject("chain", "signed after another approval than the one stored before it (prev " +
                                    fields.prev.substr(0, 12) + "...): approvals were removed, reordered or replaced "
                                    "(tampering)");
            } else if (!report.changeId.empty() && check.changeId != report.changeId) {
                reject("format", "approval is for change " + check.changeId + ", not " + report.changeId);
            } else if (check.signerName != t->name) {
                reject("identity", "key " + check.keyId + " signed the name \"" + check.signerName +
                                       "\" but the trust store names this key \"" + t->name + "\"");
            } else if (!t->grants(check.role)) {
                reject("role", "approval claims role " + check.role + ", which the trust store does not grant to " +
                                   t->name + " (key " + check.keyId + ")");
            } else if (report.authorKey && sig->keyId == report.authorKey->keyId) {
                reject("separation_of_duties", "key " + check.keyId + " signed the bundle as its author and cannot "
                                               "approve it");
            } else if (authorTrusted && (namesSigner(*t, authorTrusted->name) ||
                                         (!authorTrusted->id.empty() && namesSigner(*t, authorTrusted->id)))) {
                reject("separation_of_duties", "key " + check.keyId + " is trusted under the author's name \"" +
                                                   t->name + "\"");
            } else if (namesSigner(*t, report.authorName)) {
                reject("separation_of_duties", "key " + check.keyId + " is trusted under the name \"" + t->name +
                                                   "\", which signed the bundle as author");
            } else if (namesSigner(*t, report.requester)) {
                reject("separation_of_duties", "key " + check.keyId + " is trusted under the requester's name \"" +
                                                   report.requester + "\"");
            } else if (check.at < report.signedAt) {
                reject("time", "dated " + formatUtcTime(check.at) + ", before the author's signature (" +
                                   formatUtcTime(report.signedAt) + ")");
            } else if (check.at > clock + kMaxClockSkewSeconds) {
                reject("time", "dated " + formatUtcTime(check.at) + ", more than " +
                                   std::to_string(kMaxClockSkewSeconds / 60) + " minutes ahead of the verifier's clock (" +
                                   formatUtcTime(clock) + ")");
            } else {
                check.status = SignatureStatus::Valid;
                check.trustedName = t->name;
                check.approverId = t->identity();
            }
        }
        if (t && check.trustedName.empty()) check.trustedName = t->name;
        if (check.status == SignatureStatus::Invalid && !check.keyId.empty() &&
            check.message.find(check.keyId) == std::string::npos) {
            check.message += " (key " + check.keyId + ")";
        }
        if (check.status == SignatureStatus::Valid) {
            const std::string who = t->identity();
            if (auto it = lastBySigner.find(who); it != lastBySigner.end()) report.signatures[it->second].superseded = true;
            lastBySigner[who] = report.signatures.size();
        }
        previousHash = thisHash;
        expectedSequence = sequence + 1;
        report.signatures.push_back(std::move(check));
    }
    report.approvalChainLength = static_cast<int>(chain.size());
    if (!chain.empty()) report.approvalChainHead = previousHash;

    for (auto& s : report.signatures) {
        if (s.status == SignatureStatus::Valid) continue;
        // Every refusal names the entry, the key (when known) and the rule.
        if (s.rule.empty()) s.rule = s.status == SignatureStatus::UntrustedKey ? "trust" : "signature";
        std::string error = where + s.file + ": " +
                            (s.status == SignatureStatus::UntrustedKey ? "untrusted key: " : "invalid signature: ") +
                            s.message;
        if (!s.keyId.empty() && s.message.find(s.keyId) == std::string::npos) error += " (key " + s.keyId + ")";
        error += " (rule: " + s.rule + ")";
        report.errors.push_back(std::move(error));
    }
    report.importable = report.errors.empty();
    return report;
}

}  // namespace

BundleReport verifyBundle(std::string_view bundleZip, const TrustStore& trust, const ZipLimits& limits,
                          const std::string& bundleName, std::optional<TimeUtc> now) {
    auto files = readZip(bundleZip, limits, bundleName);
    if (!files) {
        BundleReport report;
        report.errors.push_back(files.error().toString());
        return report;
    }
    return verifyEntries(*files, trust, bundleName, now);
}

OpenedBundle openBundle(std::string_view bundleZip, const TrustStore& trust, const ZipLimits& limits,
                        const std::string& bundleName, std::optional<TimeUtc> now) {
    OpenedBundle opened;
    auto files = readZip(bundleZip, limits, bundleName);
    if (!files) {
        opened.report.errors.push_back(files.error().toString());
        return opened;
    }
    opened.report = verifyEntries(*files, trust, bundleName, now);
    opened.entries = std::move(*files);
    return opened;
}

ZipFiles takeSignedContent(OpenedBundle& opened) {
    ZipFiles content;
    if (!opened.report.importable) return content;
    for (const auto& fc : opened.report.files) {
        if (fc.status != FileStatus::Ok || isReservedPath(fc.path)) continue;
        const auto it = opened.entries.find(fc.path);
        if (it != opened.entries.end()) content.emplace(fc.path, std::move(it->second));
    }
    opened.entries.clear();
    return content;
}

Result<ZipFiles> openVerifiedBundle(std::string_view bundleZip, const TrustStore& trust, const ZipLimits& limits,
                                    const std::string& bundleName, std::optional<TimeUtc> now) {
    OpenedBundle opened = openBundle(bundleZip, trust, limits, bundleName, now);
    if (!opened.report.importable) return fail(failedVerificationMessage(opened.report), bundleName);
    return takeSignedContent(opened);
}

Result<Extraction> extractableEntries(const OpenedBundle& opened, bool trusted) {
    const BundleReport& report = opened.report;
    if (trusted && !report.importable) return fail("the bundle failed verification");
    for (const FileCheck& fc : report.files) {
        if (fc.status == FileStatus::Missing || fc.status == FileStatus::HashMismatch) {
            return fail("file \"" + fc.path + "\" " +
                        (fc.status == FileStatus::Missing ? "is listed in SHA256SUMS but missing"
                                                          : "does not match its SHA-256 in SHA256SUMS"));
        }
    }
    // A signature whose cryptography holds covers what it signs, trusted or not.
    auto holds = [](const SignatureCheck& sc) {
        return sc.status != SignatureStatus::Invalid || (sc.rule != "signature" && sc.rule != "format" &&
                                                         !sc.rule.empty());
    };
    std::set<std::string> covered;
    bool authorHolds = false;
    for (const SignatureCheck& sc : report.signatures) {
        if (!holds(sc)) continue;
        if (sc.kind == SignatureKind::AuthorMinisign) authorHolds = true;
        covered.insert(sc.file);
        if (sc.kind == SignatureKind::Approval && endsWith(sc.file, kApprovalSuffix)) {
            covered.insert(sc.file.substr(0, sc.file.size() - kApprovalSuffix.size()) + std::string(kApprovalKeySuffix));
        }
    }
    if (!authorHolds) return fail("the author's signature over SHA256SUMS does not hold");
    covered.insert(kSumsPath);
    for (const FileCheck& fc : report.files) {
        if (fc.status == FileStatus::Ok) covered.insert(fc.path);
    }
    Extraction out;
    for (const auto& [path, data] : opened.entries) {
        (covered.count(path) ? out.signedEntries : out.unsignedEntries).push_back(path);
    }
    return out;
}

std::string failedVerificationMessage(const BundleReport& report) {
    std::string message = "the bundle failed verification and must not be imported:";
    for (const auto& e : report.errors) message += "\n  " + e;
    return message;
}

std::vector<Approval> approvalsFromReport(const BundleReport& report) {
    std::vector<Approval> out;
    for (const auto& s : report.signatures) {
        if (s.kind != SignatureKind::Approval || s.status != SignatureStatus::Valid || !s.decision || s.superseded) {
            continue;
        }
        Approval a;
        a.approver = s.approverId.empty() ? s.trustedName : s.approverId;
        a.role = s.role;
        a.decision = *s.decision;
        a.at = s.at;
        a.comment = s.comment;
        a.keyId = s.keyId;
        a.retrospective = s.retrospective;
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace planner::core::bundle
