#include "bundle/trust_store.hpp"

#include <algorithm>
#include <set>

#include "crypto/minisign.hpp"

namespace planner::core::bundle {
namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t';
}

bool validRole(std::string_view r) {
    return !r.empty() && std::all_of(r.begin(), r.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

}  // namespace

Result<int> parseRoles(std::string_view rolesText, TrustedKey& trusted) {
    trusted.roles.clear();
    trusted.anyRole = false;
    if (rolesText == "*") {
        trusted.anyRole = true;
        return 0;
    }
    std::size_t start = 0;
    while (start <= rolesText.size()) {
        std::size_t comma = rolesText.find(',', start);
        if (comma == std::string_view::npos) comma = rolesText.size();
        const std::string_view role = rolesText.substr(start, comma - start);
        if (!validRole(role)) {
            return Error{"role \"" + std::string(role) +
                             "\" must be lowercase letters, digits, '_' or '-' (\"author\" alone: no approval role)",
                         "", 0, static_cast<int>(start)};
        }
        if (role != "author" &&
            std::find(trusted.roles.begin(), trusted.roles.end(), std::string(role)) == trusted.roles.end()) {
            trusted.roles.emplace_back(role);
        }
        start = comma + 1;
    }
    return 0;
}

Result<TrustStore> parseTrustStore(std::string_view text, const std::string& fileName) {
    TrustStore out;
    std::set<crypto::KeyId> seen;
    std::size_t pos = 0;
    int lineNo = 0;
    while (pos < text.size()) {
        ++lineNo;
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        std::string_view line = text.substr(pos, nl - pos);
        pos = nl + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        std::size_t i = 0;
        while (i < line.size() && isSpace(line[i])) ++i;
        if (i == line.size() || line[i] == '#') continue;

        auto field = [&](std::size_t& at) {
            const std::size_t start = at;
            while (at < line.size() && !isSpace(line[at])) ++at;
            std::string_view f = line.substr(start, at - start);
            while (at < line.size() && isSpace(line[at])) ++at;
            return f;
        };
        const int keyColumn = static_cast<int>(i) + 1;
        const std::string_view keyText = field(i);
        const int rolesColumn = static_cast<int>(i) + 1;
        const std::string_view rolesText = field(i);
        const int nameColumn = static_cast<int>(i) + 1;
        std::string_view name = line.substr(i);
        while (!name.empty() && isSpace(name.back())) name.remove_suffix(1);

        auto key = crypto::parseMinisignPublicKey(keyText, fileName);
        if (!key) {
            return Error{"expected a minisign public key (RW...): " + key.error().message, fileName, lineNo, keyColumn};
        }
        if (rolesText.empty()) {
            return Error{"expected the roles (\"author\", a comma-separated list, or \"*\") after the key", fileName,
                         lineNo, rolesColumn};
        }
        TrustedKey trusted;
        trusted.key = *key;
        auto roles = parseRoles(rolesText, trusted);
        if (!roles) return Error{roles.error().message, fileName, lineNo, rolesColumn + roles.error().column};
        if (name.empty()) return Error{"expected the signer's name after the roles", fileName, lineNo, nameColumn};
        trusted.name = std::string(name);
        if (!seen.insert(key->keyId).second) {
            return Error{"key " + crypto::keyIdHex(key->keyId) + " is listed twice", fileName, lineNo, keyColumn};
        }
        out.push_back(std::move(trusted));
    }
    return out;
}

std::string trustStoreLine(const TrustedKey& key) {
    std::string roles;
    for (const std::string& r : key.roles) roles += (roles.empty() ? "" : ",") + r;
    if (key.anyRole) roles = "*";
    return crypto::minisignPublicKeyBase64(key.key) + " " + (roles.empty() ? "author" : roles) + " " + key.name;
}

Result<TrustedKey> trustedKeyFromPublicKey(std::string_view text, const std::string& fileName, std::string_view roles) {
    auto key = crypto::parseMinisignPublicKey(text, fileName);
    if (!key) return key.error();
    TrustedKey out{crypto::keyIdHex(key->keyId), {}, *key, false, {}};
    if (!roles.empty()) {
        if (auto parsed = parseRoles(roles, out); !parsed) {
            return Error{parsed.error().message, fileName, 0, 0};
        }
    }
    return out;
}

}  // namespace planner::core::bundle
