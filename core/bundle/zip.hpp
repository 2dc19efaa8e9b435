// Deterministic in-memory zip archives (minizip) and a guarded reader.
// Same entries in => byte-identical archive out: entries sorted by path (byte
// order), fixed DOS time 1980-01-01 00:00, deflate at level 1, no extra
// fields, no comments, UTF-8 name flag set.
#pragma once

#include "util/result.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace planner::core::bundle {

// Archive contents: entry path -> entry bytes, ordered by path.
using ZipFiles = std::map<std::string, std::string>;

// Bounds the reader enforces before and while inflating (zip-bomb guard).
struct ZipLimits {
    std::int64_t maxEntries = 4096;
    std::int64_t maxEntryBytes = 256ll * 1024 * 1024;   // uncompressed, per entry
    std::int64_t maxTotalBytes = 512ll * 1024 * 1024;   // uncompressed, whole archive
};

// Checks that `path` is a safe relative entry name: '/'-separated, no empty,
// "." or ".." component, no leading '/', no '\\', ':' or control character, at most 512 bytes.
Status validateEntryPath(std::string_view path);

// Builds the archive in memory. Fails on an unsafe path or an entry of 4 GiB or more.
Result<std::string> writeZip(const ZipFiles& files);

// Reads every entry of an in-memory archive. Rejects encrypted entries, methods
// other than stored/deflate, unsafe or duplicate names, CRC errors and anything
// over `limits`; directory entries are skipped. Errors name `archiveName` and the entry.
Result<ZipFiles> readZip(std::string_view archive, const ZipLimits& limits = {},
                         const std::string& archiveName = "");

}  // namespace planner::core::bundle
