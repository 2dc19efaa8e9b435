#include "session/audit_anchor.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "bundle/zip.hpp"
#include "crypto/hash.hpp"
#include "util/json_parse.hpp"

namespace planner::core {
namespace {

constexpr const char* kFormat = "planner-audit-anchor";
constexpr std::int64_t kMaxSeq = 9007199254740992;  // 2^53: exact in every JSON reader

bool isLowerHex64(std::string_view h) {
    if (h.size() != 64) return false;
    for (char c : h) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

Result<store::AuditAnchor> checked(std::int64_t seq, std::string hash, const std::string& source) {
    if (seq < 0 || seq > kMaxSeq) return Error{"audit anchor: seq " + std::to_string(seq) + " is out of range", source};
    if (!isLowerHex64(hash)) return Error{"audit anchor: hash must be 64 lowercase hex digits", source};
    if ((seq == 0) != (hash == std::string(64, '0'))) {
        return Error{"audit anchor: only an empty chain (seq 0) has the all-zero hash", source};
    }
    return store::AuditAnchor{seq, std::move(hash), source};
}

}  // namespace

std::string auditAnchorJson(const store::AuditAnchor& anchor, const std::string& workspaceName) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("format");
    w.String(kFormat);
    w.Key("version");
    w.Int(1);
    w.Key("workspace");
    w.String(workspaceName.c_str(), static_cast<rapidjson::SizeType>(workspaceName.size()));
    w.Key("seq");
    w.Int64(anchor.seq);
    w.Key("hash");
    w.String(anchor.hash.c_str(), static_cast<rapidjson::SizeType>(anchor.hash.size()));
    w.EndObject();
    return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

Result<store::AuditAnchor> parseAuditAnchor(std::string_view text, const std::string& source) {
    JsonParseOptions options;
    options.maxBytes = 4096;
    rapidjson::Document doc;
    if (auto st = parseJson(doc, text, source, options); !st) return st.error();
    if (!doc.IsObject()) return Error{"audit anchor: expected a JSON object", source};
    auto member = [&](const char* key) -> const rapidjson::Value* { return doc.HasMember(key) ? &doc[key] : nullptr; };
    const auto* format = member("format");
    if (!format || !format->IsString() || std::string_view(format->GetString()) != kFormat) {
        return Error{std::string("audit anchor: \"format\" must be \"") + kFormat + "\"", source};
    }
    const auto* version = member("version");
    if (!version || !version->IsInt() || version->GetInt() != 1) {
        return Error{"audit anchor: unsupported \"version\" (expected 1)", source};
    }
    const auto* seq = member("seq");
    const auto* hash = member("hash");
    if (!seq || !seq->IsInt64()) return Error{"audit anchor: \"seq\" must be an integer", source};
    if (!hash || !hash->IsString()) return Error{"audit anchor: \"hash\" must be a string", source};
    return checked(seq->GetInt64(), hash->GetString(), source);
}

Result<store::AuditAnchor> readAuditAnchor(std::string_view bytes, const std::string& source) {
    if (bytes.size() >= 4 && bytes.substr(0, 4) == std::string_view("PK\3\4", 4)) {
        bundle::ZipLimits limits;
        limits.maxEntries = 4096;
        limits.maxEntryBytes = 1024ll * 1024 * 1024;
        limits.maxTotalBytes = 2048ll * 1024 * 1024;
        auto files = bundle::readZip(bytes, limits, source);
        if (!files) return files.error();
        const auto it = files->find(kAuditAnchorEntry);
        if (it == files->end()) return Error{std::string("no ") + kAuditAnchorEntry + " inside", source};
        if (const auto sums = files->find("SHA256SUMS"); sums != files->end()) {
            const std::string line = sha256Hex(it->second) + "  " + kAuditAnchorEntry + "\n";
            if (sums->second.find(line) == std::string::npos) {
                return Error{std::string(kAuditAnchorEntry) + " is not covered by the bundle's SHA256SUMS", source};
            }
        }
        return parseAuditAnchor(it->second, source + " (" + kAuditAnchorEntry + ")");
    }
    const std::string_view trimmed = bytes.substr(0, bytes.find_last_not_of(" \t\r\n") + 1);
    if (const auto colon = trimmed.find(':'); colon != std::string_view::npos && trimmed.find('{') == std::string_view::npos) {
        const std::string_view seqText = trimmed.substr(0, colon);
        if (seqText.empty() || seqText.size() > 16 ||
            seqText.find_first_not_of("0123456789") != std::string_view::npos) {
            return Error{"audit anchor: expected SEQ:HASH with a decimal SEQ", source};
        }
        return checked(std::stoll(std::string(seqText)), std::string(trimmed.substr(colon + 1)), source);
    }
    return parseAuditAnchor(bytes, source);
}

}  // namespace planner::core
