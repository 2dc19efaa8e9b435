#include "bundle/zip.hpp"

#include <minizip/unzip.h>
#include <minizip/zip.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <set>
#include <vector>

namespace planner::core::bundle {
namespace {

constexpr int kCompressionLevel = 1;
constexpr uLong kDosDate1980 = (0ul << 25) | (1ul << 21) | (1ul << 16);  // 1980-01-01 00:00:00
constexpr int kUtf8NameFlag = 1 << 11;
constexpr std::size_t kMaxPathBytes = 512;

// Seekable byte stream behind minizip's I/O callbacks: growable when writing,
// read-only over the caller's bytes when reading.
struct MemoryStream {
    std::string* out = nullptr;
    std::string_view in;
    std::uint64_t pos = 0;
    bool failed = false;

    std::uint64_t size() const { return out ? out->size() : in.size(); }
};

voidpf ZCALLBACK memOpen(voidpf opaque, const void*, int) { return opaque; }

uLong ZCALLBACK memRead(voidpf, voidpf stream, void* buf, uLong size) {
    auto* s = static_cast<MemoryStream*>(stream);
    const std::uint64_t total = s->size();
    if (s->pos >= total) return 0;
    const std::uint64_t n = std::min<std::uint64_t>(size, total - s->pos);
    const char* src = s->out ? s->out->data() : s->in.data();
    std::memcpy(buf, src + s->pos, static_cast<std::size_t>(n));
    s->pos += n;
    return static_cast<uLong>(n);
}

uLong ZCALLBACK memWrite(voidpf, voidpf stream, const void* buf, uLong size) {
    auto* s = static_cast<MemoryStream*>(stream);
    if (!s->out) {
        s->failed = true;
        return 0;
    }
    const std::uint64_t end = s->pos + size;
    if (end > s->out->size()) s->out->resize(static_cast<std::size_t>(end));
    std::memcpy(s->out->data() + s->pos, buf, size);
    s->pos = end;
    return size;
}

ZPOS64_T ZCALLBACK memTell(voidpf, voidpf stream) { return static_cast<MemoryStream*>(stream)->pos; }

long ZCALLBACK memSeek(voidpf, voidpf stream, ZPOS64_T offset, int origin) {
    auto* s = static_cast<MemoryStream*>(stream);
    std::uint64_t base = 0;
    switch (origin) {
        case ZLIB_FILEFUNC_SEEK_SET: base = 0; break;
        case ZLIB_FILEFUNC_SEEK_CUR: base = s->pos; break;
        case ZLIB_FILEFUNC_SEEK_END: base = s->size(); break;
        default: return -1;
    }
    if (offset > s->size() || base + offset > s->size()) {
        if (!s->out) return -1;
    }
    s->pos = base + offset;
    return 0;
}

int ZCALLBACK memClose(voidpf, voidpf) { return 0; }

int ZCALLBACK memError(voidpf, voidpf stream) { return static_cast<MemoryStream*>(stream)->failed ? 1 : 0; }

zlib_filefunc64_def memoryFunctions(MemoryStream& stream) {
    zlib_filefunc64_def def{};
    def.zopen64_file = memOpen;
    def.zread_file = memRead;
    def.zwrite_file = memWrite;
    def.ztell64_file = memTell;
    def.zseek64_file = memSeek;
    def.zclose_file = memClose;
    def.zerror_file = memError;
    def.opaque = &stream;
    return def;
}

Error zipError(const std::string& archiveName, std::string message) {
    return Error{std::move(message), archiveName, 0, 0};
}

// CON, PRN, AUX, NUL, COM0-9 and LPT0-9, with or without an extension, in any case.
bool isWindowsDeviceName(std::string_view part) {
    const std::string_view stem = part.substr(0, part.find('.'));
    std::string upper;
    for (char c : stem) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper == "CON" || upper == "PRN" || upper == "AUX" || upper == "NUL") return true;
    return upper.size() == 4 && (upper.compare(0, 3, "COM") == 0 || upper.compare(0, 3, "LPT") == 0) &&
           upper[3] >= '0' && upper[3] <= '9';
}

}  // namespace

Status validateEntryPath(std::string_view path) {
    auto bad = [&](const std::string& why) {
        return Status(Error{"unsafe entry name \"" + std::string(path.substr(0, 80)) + "\": " + why, "", 0, 0});
    };
    if (path.empty()) return bad("empty name");
    if (path.size() > kMaxPathBytes) return bad("longer than 512 bytes");
    if (path.front() == '/') return bad("absolute path");
    for (unsigned char c : path) {
        if (c < 0x20 || c == 0x7f) return bad("control character");
        if (c >= 0x80) {
            return bad("non-ASCII character (entry names are printable ASCII, so that no two names can differ "
                       "only in Unicode normalisation)");
        }
        if (c == '\\') return bad("backslash");
        if (c == ':') return bad("colon (drive letter or stream name)");
        if (std::strchr("<>\"|?*", c)) return bad(std::string("character '") + static_cast<char>(c) +
                                                   "' is not allowed in Windows file names");
    }
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t slash = path.find('/', start);
        if (slash == std::string_view::npos) slash = path.size();
        const std::string_view part = path.substr(start, slash - start);
        if (part.empty()) return bad("empty path component");
        if (part == "." || part == "..") return bad("\".\" or \"..\" component");
        if (part.back() == '.' || part.back() == ' ') {
            return bad("component \"" + std::string(part) + "\" ends with a dot or a space (Windows drops it)");
        }
        if (isWindowsDeviceName(part)) {
            return bad("component \"" + std::string(part) + "\" is a Windows device name");
        }
        start = slash + 1;
    }
    return okStatus();
}

Result<std::string> writeZip(const ZipFiles& files) {
    for (const auto& [path, data] : files) {
        if (auto st = validateEntryPath(path); !st) return st.error();
        if (static_cast<std::uint64_t>(data.size()) >= 0xffffffffull) {
            return Error{"entry \"" + path + "\" is 4 GiB or larger", "", 0, 0};
        }
    }
    std::string out;
    MemoryStream stream;
    stream.out = &out;
    zlib_filefunc64_def def = memoryFunctions(stream);
    zipFile zf = zipOpen2_64("memory", APPEND_STATUS_CREATE, nullptr, &def);
    if (!zf) return Error{"could not start the zip archive", "", 0, 0};
    for (const auto& [path, data] : files) {
        zip_fileinfo info{};
        info.dosDate = kDosDate1980;
        int rc = zipOpenNewFileInZip4_64(zf, path.c_str(), &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                                         kCompressionLevel, 0, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, nullptr, 0, 0,
                                         kUtf8NameFlag, 0);
        std::size_t done = 0;
        while (rc == ZIP_OK && done < data.size()) {
            const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(data.size() - done, 1u << 20));
            rc = zipWriteInFileInZip(zf, data.data() + done, chunk);
            done += chunk;
        }
        if (rc == ZIP_OK) rc = zipCloseFileInZip(zf);
        if (rc != ZIP_OK) {
            zipClose(zf, nullptr);
            return Error{"could not write zip entry \"" + path + "\" (minizip error " + std::to_string(rc) + ")", "",
                         0, 0};
        }
    }
    if (zipClose(zf, nullptr) != ZIP_OK || stream.failed) {
        return Error{"could not finish the zip archive", "", 0, 0};
    }
    return out;
}

namespace {

std::uint32_t le16(std::string_view s, std::size_t pos) {
    return static_cast<std::uint32_t>(static_cast<std::uint8_t>(s[pos])) |
           static_cast<std::uint32_t>(static_cast<std::uint8_t>(s[pos + 1])) << 8;
}

std::uint32_t le32(std::string_view s, std::size_t pos) { return le16(s, pos) | le16(s, pos + 2) << 16; }

// Position of the end-of-central-directory record when the archive ends
// exactly with it and its comment (catches truncation and trailing bytes).
std::optional<std::size_t> endRecordPosition(std::string_view archive) {
    constexpr std::size_t kRecord = 22;
    if (archive.size() < kRecord) return std::nullopt;
    const std::size_t lowest = archive.size() > kRecord + 0xffff ? archive.size() - kRecord - 0xffff : 0;
    for (std::size_t pos = archive.size() - kRecord + 1; pos-- > lowest;) {
        if (archive.compare(pos, 4, std::string_view("PK\5\6", 4)) != 0) continue;
        if (pos + kRecord + le16(archive, pos + 20) == archive.size()) return pos;
        return std::nullopt;
    }
    return std::nullopt;
}

// Checks the archive's layout before any entry is inflated, so that every zip
// reader sees the same files: one central directory that ends where its end
// record says; each central record's local header names the same file with the
// same method, flags, CRC and sizes; the entries, their data and data
// descriptors tile the bytes before the central directory exactly (no bytes
// before the first entry, between entries or after the last: no orphan
// entries, no overlaps). Zip64 and multi-disk archives are refused.
Status checkLayout(std::string_view archive, const std::string& archiveName, std::int64_t maxEntries) {
    auto bad = [&](std::string message) { return Status(zipError(archiveName, std::move(message))); };
    const auto end = endRecordPosition(archive);
    if (!end) {
        return bad("not a zip archive, or truncated (it does not end with a complete end-of-central-directory "
                   "record)");
    }
    const std::size_t eocd = *end;
    if (le16(archive, eocd + 4) != 0 || le16(archive, eocd + 6) != 0) return bad("multi-disk archives are not accepted");
    const std::uint32_t count = le16(archive, eocd + 10);
    const std::uint32_t cdSize = le32(archive, eocd + 12);
    const std::uint32_t cdOffset = le32(archive, eocd + 16);
    if (count == 0xffff || cdSize == 0xffffffffu || cdOffset == 0xffffffffu ||
        (eocd >= 20 && archive.compare(eocd - 20, 4, std::string_view("PK\6\7", 4)) == 0)) {
        return bad("Zip64 archives are not accepted (bundles and backups are written without Zip64 records)");
    }
    if (le16(archive, eocd + 8) != count) return bad("the end record's two entry counts disagree");
    if (static_cast<std::int64_t>(count) > maxEntries) {
        return bad("the archive has " + std::to_string(count) + " entries, more than the limit of " +
                   std::to_string(maxEntries));
    }
    if (static_cast<std::uint64_t>(cdOffset) + cdSize != eocd) {
        return bad("the central directory does not end where its end record begins (" +
                   std::to_string(cdOffset) + " + " + std::to_string(cdSize) + " != " + std::to_string(eocd) +
                   "): hidden or missing bytes");
    }
    struct Extent {
        std::uint64_t begin, end;
        std::string name;
    };
    std::vector<Extent> extents;
    extents.reserve(count);
    std::size_t p = cdOffset;
    for (std::uint32_t i = 1; i <= count; ++i) {
        const std::string at = "central directory record " + std::to_string(i);
        if (p + 46 > eocd || archive.compare(p, 4, std::string_view("PK\1\2", 4)) != 0) {
            return bad(at + " is missing or damaged");
        }
        const std::uint32_t flags = le16(archive, p + 8), method = le16(archive, p + 10);
        const std::uint32_t crc = le32(archive, p + 16), csize = le32(archive, p + 20), usize = le32(archive, p + 24);
        const std::size_t n = le16(archive, p + 28), m = le16(archive, p + 30), k = le16(archive, p + 32);
        const std::uint32_t offset = le32(archive, p + 42);
        if (p + 46 + n + m + k > eocd) return bad(at + " runs past the end of the central directory");
        if (le16(archive, p + 34) != 0) return bad(at + " starts on another disk");
        if (csize == 0xffffffffu || usize == 0xffffffffu || offset == 0xffffffffu) {
            return bad(at + " uses Zip64 sizes, which are not accepted");
        }
        const std::string_view name = archive.substr(p + 46, n);
        const std::string shown = "entry \"" + std::string(name.substr(0, 80)) + "\"";
        p += 46 + n + m + k;

        const std::uint64_t local = offset;
        if (local + 30 > cdOffset || archive.compare(local, 4, std::string_view("PK\3\4", 4)) != 0) {
            return bad(shown + ": no local header at offset " + std::to_string(local));
        }
        const std::size_t ln = le16(archive, local + 26), lm = le16(archive, local + 28);
        if (local + 30 + ln + lm > cdOffset) return bad(shown + ": its local header runs into the central directory");
        const std::string_view localName = archive.substr(local + 30, ln);
        if (localName != name) {
            return bad(shown + ": its local header names \"" + std::string(localName.substr(0, 80)) +
                       "\" (a streaming reader would see another file)");
        }
        if (le16(archive, local + 6) != flags || le16(archive, local + 8) != method) {
            return bad(shown + ": its local header's flags or compression method differ from the central directory's");
        }
        const bool descriptor = flags & 8u;
        if (!descriptor && (le32(archive, local + 14) != crc || le32(archive, local + 18) != csize ||
                            le32(archive, local + 22) != usize)) {
            return bad(shown + ": its local header's CRC or sizes differ from the central directory's");
        }
        std::uint64_t stop = local + 30 + ln + lm + csize;
        if (descriptor) {
            if (stop + 4 <= cdOffset && archive.compare(stop, 4, std::string_view("PK\7\10", 4)) == 0) stop += 4;
            if (stop + 12 > cdOffset || le32(archive, stop) != crc || le32(archive, stop + 4) != csize ||
                le32(archive, stop + 8) != usize) {
                return bad(shown + ": its data descriptor is missing or differs from the central directory");
            }
            stop += 12;
        }
        if (stop > cdOffset) return bad(shown + ": its data runs into the central directory");
        extents.push_back(Extent{local, stop, std::string(name.substr(0, 80))});
    }
    if (p != eocd) return bad("the central directory holds more than the " + std::to_string(count) +
                              " records its end record counts");
    std::sort(extents.begin(), extents.end(), [](const Extent& a, const Extent& b) { return a.begin < b.begin; });
    std::uint64_t covered = 0;
    for (const Extent& e : extents) {
        if (e.begin < covered) return bad("entry \"" + e.name + "\" overlaps the entry before it");
        if (e.begin > covered) {
            return bad(std::to_string(e.begin - covered) + " bytes before entry \"" + e.name +
                       "\" belong to no entry of the central directory (orphan data)");
        }
        covered = e.end;
    }
    if (covered != cdOffset) {
        return bad(std::to_string(cdOffset - covered) + " bytes before the central directory belong to no entry "
                   "(orphan data)");
    }
    return okStatus();
}

}  // namespace

Result<ZipFiles> readZip(std::string_view archive, const ZipLimits& limits, const std::string& archiveName) {
    if (auto layout = checkLayout(archive, archiveName, limits.maxEntries); !layout) return layout.error();
    MemoryStream stream;
    stream.in = archive;
    zlib_filefunc64_def def = memoryFunctions(stream);
    unzFile uf = unzOpen2_64("memory", &def);
    if (!uf) {
        return zipError(archiveName, "not a zip archive, or truncated (no readable central directory)");
    }
    struct Closer {
        unzFile f;
        ~Closer() { unzClose(f); }
    } closer{uf};
    unz_global_info64 global{};
    if (unzGetGlobalInfo64(uf, &global) != UNZ_OK) {
        return zipError(archiveName, "unreadable zip central directory");
    }
    if (global.number_entry > static_cast<ZPOS64_T>(limits.maxEntries)) {
        return zipError(archiveName, "the archive has " + std::to_string(global.number_entry) +
                                         " entries, more than the limit of " + std::to_string(limits.maxEntries));
    }
    ZipFiles files;
    std::set<std::string> seen;
    std::map<std::string, std::string> folded;  // lower-case name -> name: names equal but for case collide on disk
    std::int64_t total = 0;
    std::int64_t index = 0;
    int rc = unzGoToFirstFile(uf);
    while (rc == UNZ_OK) {
        if (++index > limits.maxEntries) {
            return zipError(archiveName, "the archive has more entries than the limit of " +
                                             std::to_string(limits.maxEntries));
        }
        unz_file_info64 info{};
        char name[kMaxPathBytes + 2] = {};
        if (unzGetCurrentFileInfo64(uf, &info, name, sizeof name, nullptr, 0, nullptr, 0) != UNZ_OK) {
            return zipError(archiveName, "unreadable header of entry " + std::to_string(index));
        }
        if (info.size_filename > kMaxPathBytes) {
            return zipError(archiveName, "entry " + std::to_string(index) + " has a name longer than 512 bytes");
        }
        std::string path(name, static_cast<std::size_t>(info.size_filename));
        if (path.find('\0') != std::string::npos) {
            return zipError(archiveName, "entry " + std::to_string(index) + " has a NUL byte in its name");
        }
        const bool isDirectory = !path.empty() && path.back() == '/';
        const std::string checked = isDirectory ? path.substr(0, path.size() - 1) : path;
        if (auto st = validateEntryPath(checked); !st) {
            return zipError(archiveName, "entry " + std::to_string(index) + ": " + st.error().message);
        }
        if (!seen.insert(path).second) {
            return zipError(archiveName, "duplicate entry \"" + path + "\"");
        }
        std::string lower = checked;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (const auto [it, fresh] = folded.emplace(lower, path); !fresh) {
            return zipError(archiveName, "entries \"" + it->second + "\" and \"" + path +
                                             "\" differ only in case (one would overwrite the other on disk)");
        }
        if (info.flag & 1) return zipError(archiveName, "entry \"" + path + "\" is encrypted");
        if (info.compression_method != 0 && info.compression_method != Z_DEFLATED) {
            return zipError(archiveName, "entry \"" + path + "\" uses compression method " +
                                             std::to_string(info.compression_method) +
                                             " (expected stored or deflate)");
        }
        const std::uint64_t declared = info.uncompressed_size;
        if (declared > static_cast<std::uint64_t>(limits.maxEntryBytes)) {
            return zipError(archiveName, "entry \"" + path + "\" is " + std::to_string(declared) +
                                             " bytes uncompressed, more than the limit of " +
                                             std::to_string(limits.maxEntryBytes));
        }
        if (total + static_cast<std::int64_t>(declared) > limits.maxTotalBytes) {
            return zipError(archiveName, "the archive's uncompressed size exceeds the limit of " +
                                             std::to_string(limits.maxTotalBytes) + " bytes");
        }
        if (isDirectory) {
            if (declared != 0) return zipError(archiveName, "directory entry \"" + path + "\" has contents");
            rc = unzGoToNextFile(uf);
            continue;
        }
        if (unzOpenCurrentFile(uf) != UNZ_OK) {
            return zipError(archiveName, "cannot open entry \"" + path + "\" (corrupted local header)");
        }
        std::string data;
        data.reserve(static_cast<std::size_t>(declared));
        char buf[65536];
        int n = 0;
        while ((n = unzReadCurrentFile(uf, buf, sizeof buf)) > 0) {
            if (data.size() + static_cast<std::size_t>(n) > declared) {
                unzCloseCurrentFile(uf);
                return zipError(archiveName, "entry \"" + path + "\" inflates to more than its declared size");
            }
            data.append(buf, static_cast<std::size_t>(n));
        }
        const int closeRc = unzCloseCurrentFile(uf);
        if (n < 0) {
            return zipError(archiveName, "entry \"" + path + "\" is corrupted (inflate error " + std::to_string(n) +
                                             ")");
        }
        if (data.size() != declared) {
            return zipError(archiveName, "entry \"" + path + "\" is shorter than its declared size (truncated)");
        }
        if (closeRc == UNZ_CRCERROR) {
            return zipError(archiveName, "entry \"" + path + "\" fails its CRC check (corrupted)");
        }
        if (closeRc != UNZ_OK) {
            return zipError(archiveName, "entry \"" + path + "\" could not be read to its end");
        }
        total += static_cast<std::int64_t>(declared);
        files.emplace(std::move(path), std::move(data));
        rc = unzGoToNextFile(uf);
    }
    if (rc != UNZ_END_OF_LIST_OF_FILE) {
        return zipError(archiveName, "corrupted zip central directory after entry " + std::to_string(index));
    }
    return files;
}

}  // namespace planner::core::bundle
