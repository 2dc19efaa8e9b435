// libFuzzer target: the bundle reader (zip layout and names, SHA256SUMS,
// signatures, approvals). Beyond "no crash", whatever readZip accepts must
// hold the reading rules of docs/bundle-format.md section 9:
//  - a streaming reader, walking local headers from byte 0, sees exactly the
//    entries readZip returned, with the same names (when no entry uses a data
//    descriptor, whose size a streaming reader cannot know up front);
//  - every name is safe (validateEntryPath) and no two differ only in case;
//  - writing the entries again and reading them back gives the same entries.
// A broken property ends the run with __builtin_trap().
#include "bundle/bundle.hpp"
#include "bundle/zip.hpp"

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace {

void require(bool condition) {
    if (!condition) __builtin_trap();
}

std::uint32_t le16(std::string_view s, std::size_t at) {
    return static_cast<std::uint8_t>(s[at]) | static_cast<std::uint32_t>(static_cast<std::uint8_t>(s[at + 1])) << 8;
}
std::uint32_t le32(std::string_view s, std::size_t at) { return le16(s, at) | le16(s, at + 2) << 16; }

// Names of the entries a streaming reader meets from byte 0, or false when an
// entry has a data descriptor (the walk cannot skip its data).
bool streamingNames(std::string_view z, std::multiset<std::string>& names) {
    std::size_t pos = 0;
    while (pos + 30 <= z.size() && z.substr(pos, 4) == std::string_view("PK\3\4", 4)) {
        if (le16(z, pos + 6) & 8u) return false;
        const std::size_t n = le16(z, pos + 26), m = le16(z, pos + 28);
        const std::size_t csize = le32(z, pos + 18);
        require(pos + 30 + n + m + csize <= z.size());
        names.insert(std::string(z.substr(pos + 30, n)));
        pos += 30 + n + m + csize;
    }
    // The walk must end exactly at the central directory.
    require(pos + 4 <= z.size() && (z.substr(pos, 4) == std::string_view("PK\1\2", 4) ||
                                     z.substr(pos, 4) == std::string_view("PK\5\6", 4)));
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace planner::core::bundle;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    ZipLimits limits;
    limits.maxEntries = 64;
    limits.maxEntryBytes = 1 << 20;
    limits.maxTotalBytes = 4 << 20;
    auto files = readZip(bytes, limits, "fuzz.zip");
    if (files) {
        std::set<std::string> folded;
        for (const auto& [name, content] : *files) {
            require(validateEntryPath(name).ok());
            std::string lower = name;
            for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            require(folded.insert(lower).second);
        }
        std::multiset<std::string> streamed;
        if (streamingNames(bytes, streamed)) {
            std::multiset<std::string> files_;
            for (const auto& name : streamed) {
                if (name.empty() || name.back() != '/') files_.insert(name);
            }
            std::multiset<std::string> read;
            for (const auto& [name, content] : *files) read.insert(name);
            require(files_ == read);
        }
        auto again = writeZip(*files);
        require(again.ok());
        auto back = readZip(*again, limits, "again.zip");
        require(back.ok() && *back == *files);
    }
    static const TrustStore trust = {
        TrustedKey{"fuzz", {}, planner::core::crypto::PublicKey{}, false, {}},
    };
    BundleReport report = verifyBundle(bytes, trust, limits, "fuzz.zip");
    if (report.importable && !report.errors.empty()) __builtin_trap();
    (void)approvalsFromReport(report);
    return 0;
}
