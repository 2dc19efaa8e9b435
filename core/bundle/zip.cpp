#include "bundle/zip.hpp"

#include <minizip/unzip.h>
#include <minizip/zip.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <set>

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
        if (c == '\\') return bad("backslash");
        if (c == ':') return bad("colon (drive letter or stream name)");
    }
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t slash = path.find('/', start);
        if (slash == std::string_view::npos) slash = path.size();
        const std::string_view part = path.substr(start, slash - start);
        if (part.empty()) return bad("empty path component");
        if (part == "." || part == "..") return bad("\".\" or \"..\" component");
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

// True when the archive ends exactly with an end-of-central-directory record
// and its comment (catches truncation and trailing bytes).
bool endsWithCentralDirectoryRecord(std::string_view archive) {
    constexpr std::size_t kRecord = 22;
    if (archive.size() < kRecord) return false;
    const std::size_t lowest = archive.size() > kRecord + 0xffff ? archive.size() - kRecord - 0xffff : 0;
    for (std::size_t pos = archive.size() - kRecord + 1; pos-- > lowest;) {
        if (archive.compare(pos, 4, std::string_view("PK\5\6", 4)) != 0) continue;
        const std::size_t comment = static_cast<std::uint8_t>(archive[pos + 20]) |
                                    (static_cast<std::size_t>(static_cast<std::uint8_t>(archive[pos + 21])) << 8);
        return pos + kRecord + comment == archive.size();
    }
    return false;
}

}  // namespace

Result<ZipFiles> readZip(std::string_view archive, const ZipLimits& limits, const std::string& archiveName) {
    if (!endsWithCentralDirectoryRecord(archive)) {
        return zipError(archiveName, "not a zip archive, or truncated (it does not end with a complete "
                                     "end-of-central-directory record)");
    }
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
