#include "bundle/zip.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace planner::core::bundle {
namespace {

ZipFiles sample() {
    return {{"b.txt", "bravo\n"}, {"a/deep/c.json", "{\"k\":1}"}, {"empty", ""},
            {"bin", std::string("\0\1\2\xff", 4)}, {"big.txt", std::string(200000, 'z')}};
}

TEST(Zip, RoundTripAndDeterminism) {
    auto first = writeZip(sample());
    auto second = writeZip(sample());
    ASSERT_TRUE(first.ok()) << first.error().toString();
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(*first, *second);
    auto back = readZip(*first);
    ASSERT_TRUE(back.ok()) << back.error().toString();
    EXPECT_EQ(*back, sample());
    EXPECT_LT(first->size(), 20000u) << "entries are deflated";
}

TEST(Zip, FixedHeadersAndSortedEntries) {
    const std::string zip = *writeZip({{"z", "1"}, {"a", "2"}});
    ASSERT_EQ(zip.compare(0, 4, "PK\3\4"), 0);
    // Local header: DOS time (offset 10) 0x0000, DOS date (offset 12) 0x0021 = 1980-01-01.
    EXPECT_EQ(static_cast<unsigned char>(zip[10]), 0);
    EXPECT_EQ(static_cast<unsigned char>(zip[11]), 0);
    EXPECT_EQ(static_cast<unsigned char>(zip[12]), 0x21);
    EXPECT_EQ(static_cast<unsigned char>(zip[13]), 0);
    EXPECT_EQ(static_cast<unsigned char>(zip[28]), 0) << "no extra field";
    EXPECT_EQ(zip.compare(30, 1, "a"), 0) << "first entry is the smallest path";
}

TEST(Zip, RejectsUnsafeNamesOnWrite) {
    for (const char* bad : {"/abs", "../up", "a/../b", "a//b", "a/", "./a", "c:\\x", "back\\slash", "", "tab\there"}) {
        auto r = writeZip({{bad, "x"}});
        EXPECT_FALSE(r.ok()) << bad;
        if (!r.ok()) EXPECT_NE(r.error().message.find("unsafe entry name"), std::string::npos);
    }
    EXPECT_FALSE(writeZip({{std::string(513, 'a'), "x"}}).ok());
    EXPECT_TRUE(writeZip({{"notes/..hidden", "x"}}).ok());
}

// Rewrites the first entry name inside both headers (same length) to smuggle a name past the writer.
std::string renameEntry(std::string zip, const std::string& from, const std::string& to) {
    EXPECT_EQ(from.size(), to.size());
    std::size_t pos = 0;
    while ((pos = zip.find(from, pos)) != std::string::npos) {
        zip.replace(pos, from.size(), to);
        pos += to.size();
    }
    return zip;
}

TEST(Zip, ReaderRejectsTraversalAbsoluteAndDuplicates) {
    const std::string zip = *writeZip({{"xx/evil", "1"}, {"yy/good", "2"}});
    auto up = readZip(renameEntry(zip, "xx/evil", "../evil"), {}, "b.zip");
    ASSERT_FALSE(up.ok());
    EXPECT_EQ(up.error().file, "b.zip");
    EXPECT_NE(up.error().message.find("\"..\""), std::string::npos) << up.error().message;
    auto abs = readZip(renameEntry(zip, "xx/evil", "/x/evil"));
    ASSERT_FALSE(abs.ok());
    EXPECT_NE(abs.error().message.find("absolute"), std::string::npos);
    auto dup = readZip(renameEntry(zip, "xx/evil", "yy/good"));
    ASSERT_FALSE(dup.ok());
    EXPECT_NE(dup.error().message.find("duplicate entry \"yy/good\""), std::string::npos) << dup.error().message;
}

TEST(Zip, ReaderEnforcesLimits) {
    const std::string zip = *writeZip(sample());
    ZipLimits entries;
    entries.maxEntries = 4;
    auto tooMany = readZip(zip, entries);
    ASSERT_FALSE(tooMany.ok());
    EXPECT_NE(tooMany.error().message.find("entries"), std::string::npos);
    ZipLimits perEntry;
    perEntry.maxEntryBytes = 100000;
    auto tooBig = readZip(zip, perEntry);
    ASSERT_FALSE(tooBig.ok());
    EXPECT_NE(tooBig.error().message.find("\"big.txt\""), std::string::npos);
    ZipLimits total;
    total.maxTotalBytes = 150000;
    total.maxEntryBytes = 1 << 20;
    auto tooMuch = readZip(*writeZip({{"a", std::string(100000, 'a')}, {"b", std::string(100000, 'b')}}), total);
    ASSERT_FALSE(tooMuch.ok());
    EXPECT_NE(tooMuch.error().message.find("uncompressed size exceeds"), std::string::npos);
}

TEST(Zip, BombWithLyingHeaderIsStopped) {
    std::string zip = *writeZip({{"bomb", std::string(1 << 20, '\0')}});
    // Claim 1000 bytes in both headers: inflating stops at the claim and the entry is refused.
    const unsigned char claim[4] = {0xe8, 0x03, 0, 0};
    std::memcpy(&zip[22], claim, 4);
    const std::size_t central = zip.find("PK\1\2");
    ASSERT_NE(central, std::string::npos);
    std::memcpy(&zip[central + 24], claim, 4);
    auto r = readZip(zip);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("entry \"bomb\""), std::string::npos) << r.error().message;
}

TEST(Zip, TruncatedAndCorruptedArchivesGiveErrors) {
    const std::string zip = *writeZip(sample());
    for (std::size_t len = 0; len < zip.size(); len += 97) {
        auto r = readZip(zip.substr(0, len), {}, "t.zip");
        EXPECT_FALSE(r.ok()) << "truncated to " << len;
    }
    for (std::size_t cut = 1; cut <= 30; ++cut) {
        EXPECT_FALSE(readZip(zip.substr(0, zip.size() - cut)).ok()) << "last " << cut << " bytes cut";
    }
    EXPECT_FALSE(readZip(zip + "trailing").ok());
    auto notZip = readZip("this is not a zip file at all");
    ASSERT_FALSE(notZip.ok());
    EXPECT_NE(notZip.error().message.find("not a zip archive"), std::string::npos);
    std::string corrupted = zip;
    corrupted[30 + std::strlen("a/deep/c.json") + 2] ^= 0x55;  // inside the first entry's deflate data
    auto bad = readZip(corrupted, {}, "c.zip");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("\"a/deep/c.json\""), std::string::npos) << bad.error().message;
}


// ---- layout rules: every reader must see the same files ----

std::uint32_t get16(const std::string& z, std::size_t at) {
    return static_cast<std::uint8_t>(z[at]) | static_cast<std::uint32_t>(static_cast<std::uint8_t>(z[at + 1])) << 8;
}
std::uint32_t get32(const std::string& z, std::size_t at) { return get16(z, at) | get16(z, at + 2) << 16; }
void put16(std::string& z, std::size_t at, std::uint32_t v) {
    z[at] = static_cast<char>(v & 0xff);
    z[at + 1] = static_cast<char>((v >> 8) & 0xff);
}
void put32(std::string& z, std::size_t at, std::uint32_t v) {
    put16(z, at, v & 0xffff);
    put16(z, at + 2, v >> 16);
}
std::size_t eocdOf(const std::string& z) { return z.rfind(std::string("PK\5\6", 4)); }

std::string expectRefused(const std::string& zip, const std::string& fragment) {
    auto r = readZip(zip, {}, "h.zip");
    EXPECT_FALSE(r.ok()) << "accepted; expected: " << fragment;
    if (r.ok()) return {};
    EXPECT_EQ(r.error().file, "h.zip");
    EXPECT_NE(r.error().message.find(fragment), std::string::npos) << r.error().message;
    return r.error().message;
}

TEST(ZipLayout, LocalNameMustMatchTheCentralDirectory) {
    std::string zip = *writeZip({{"payload.json", "{}"}, {"zz", "1"}});
    // Only the local header says "payload.exe " (same length): a streaming reader would see that name.
    ASSERT_EQ(zip.compare(30, 12, "payload.json"), 0);
    zip.replace(30, 12, "payload.exe ");
    expectRefused(zip, "its local header names \"payload.exe \"");
}

TEST(ZipLayout, LocalSizesAndMethodMustMatch) {
    std::string zip = *writeZip({{"a", std::string(1000, 'a')}});
    std::string sizes = zip;
    put32(sizes, 22, get32(sizes, 22) + 1);  // uncompressed size in the local header only
    expectRefused(sizes, "CRC or sizes differ");
    std::string method = zip;
    put16(method, 8, 0);  // stored, in the local header only
    expectRefused(method, "compression method differ");
}

TEST(ZipLayout, OrphanOverlappingAndPrependedDataAreRefused) {
    const std::string zip = *writeZip({{"a", "alpha"}, {"b", "bravo"}});
    const std::size_t eocd = eocdOf(zip);
    const std::uint32_t cdOffset = get32(zip, eocd + 16);

    // An orphan: a complete entry that only a streaming reader sees, slipped in before the central directory.
    const std::string lone = *writeZip({{"x", "hidden"}});
    const std::string loneEntry = lone.substr(0, get32(lone, eocdOf(lone) + 16));
    std::string orphan = zip.substr(0, cdOffset) + loneEntry + zip.substr(cdOffset);
    put32(orphan, eocdOf(orphan) + 16, cdOffset + static_cast<std::uint32_t>(loneEntry.size()));
    expectRefused(orphan, "orphan data");

    // Overlap: the second central record points at the first entry's local header.
    std::string overlap = zip;
    const std::size_t second = overlap.find(std::string("PK\1\2", 4), cdOffset + 4);
    ASSERT_NE(second, std::string::npos);
    put32(overlap, second + 42, 0);
    expectRefused(overlap, "");

    // A stub before the first entry (self-extracting archives): offsets shifted to stay consistent.
    std::string stub = "MZ-stub-" + zip;
    const std::size_t e = eocdOf(stub);
    put32(stub, e + 16, cdOffset + 8);
    for (std::size_t p = cdOffset + 8, i = 0; i < 2; ++i) {
        put32(stub, p + 42, get32(stub, p + 42) + 8);
        p += 46 + get16(stub, p + 28) + get16(stub, p + 30) + get16(stub, p + 32);
    }
    ASSERT_EQ(e, cdOffset + 8 + (eocd - cdOffset));
    expectRefused(stub, "8 bytes before entry \"a\"");
}

TEST(ZipLayout, Zip64AndCountMismatchAreRefused) {
    std::string zip = *writeZip({{"a", "alpha"}});
    std::string z64 = zip;
    put16(z64, eocdOf(z64) + 10, 0xffff);
    put16(z64, eocdOf(z64) + 8, 0xffff);
    expectRefused(z64, "Zip64");
    std::string counts = zip;
    put16(counts, eocdOf(counts) + 8, 2);
    expectRefused(counts, "entry counts disagree");
    std::string gap = zip;
    put32(gap, eocdOf(gap) + 12, get32(gap, eocdOf(gap) + 12) - 1);
    expectRefused(gap, "does not end where its end record begins");
}

TEST(ZipLayout, DataDescriptorsFromOtherWritersAreAccepted) {
    // Rewrite a stored entry the way streaming writers lay it out: flag bit 3,
    // zeros in the local header, a signed data descriptor after the data.
    const std::string data = "streamed";
    std::string zip = *writeZip({{"s", data}});
    const std::size_t eocd = eocdOf(zip);
    const std::uint32_t cdOffset = get32(zip, eocd + 16);
    const std::uint32_t crc = get32(zip, 14), csize = get32(zip, 18), usize = get32(zip, 22);
    std::string local = zip.substr(0, cdOffset);
    std::string central = zip.substr(cdOffset, eocd - cdOffset);
    std::string end = zip.substr(eocd);
    put16(local, 6, get16(local, 6) | 8);
    put32(local, 14, 0);
    put32(local, 18, 0);
    put32(local, 22, 0);
    std::string descriptor = std::string("PK\7\10", 4) + std::string(12, '\0');
    put32(descriptor, 4, crc);
    put32(descriptor, 8, csize);
    put32(descriptor, 12, usize);
    put16(central, 8, get16(central, 8) | 8);
    std::string rebuilt = local + descriptor + central + end;
    put32(rebuilt, eocdOf(rebuilt) + 16, cdOffset + 16);
    auto r = readZip(rebuilt);
    ASSERT_TRUE(r.ok()) << r.error().toString();
    EXPECT_EQ(r->at("s"), data);
    std::string lying = rebuilt;
    put32(lying, cdOffset + 12, usize + 1);  // the descriptor's uncompressed size
    expectRefused(lying, "data descriptor");
}

// Archives written by another implementation (Python's zipfile): a streamed one
// (flag bit 3, data descriptors) is read; one with an orphan entry is refused.
TEST(ZipLayout, ArchivesFromPythonZipfile) {
    auto load = [](const char* name) {
        std::ifstream in(std::filesystem::path(PLANNER_TEST_DATA_DIR) / "zip" / name, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string streamed = load("python_streamed.zip");
    ASSERT_FALSE(streamed.empty());
    auto r = readZip(streamed, {}, "python_streamed.zip");
    ASSERT_TRUE(r.ok()) << r.error().toString();
    std::string expected;
    for (int i = 0; i < 50; ++i) expected += "hello ";
    EXPECT_EQ(r->at("streamed.txt"), expected);
    expectRefused(load("python_orphan.zip"), "orphan data");
}

TEST(ZipNames, WindowsAndUnicodeTrapsAreRefused) {
    for (const char* bad : {"report.", "report ", "dir./a", "CON", "con.txt", "a/Nul", "COM1.json", "lpt9", "a<b",
                            "a>b", "q?", "star*", "pipe|", "quote\"", "caf\xc3\xa9.txt"}) {
        auto st = validateEntryPath(bad);
        EXPECT_FALSE(st.ok()) << bad;
        EXPECT_FALSE(writeZip({{bad, "x"}}).ok()) << bad;
    }
    for (const char* good : {"console.txt", "conx", "COM10", "a/.hidden", "notes/..hidden", "v1.2/x"}) {
        EXPECT_TRUE(validateEntryPath(good).ok()) << good << ": " << validateEntryPath(good).error().message;
    }
    // Names that differ only in case would overwrite each other on Windows and macOS.
    const std::string zip = *writeZip({{"Payload.json", "1"}, {"zpyload.json", "2"}});
    std::string twin = zip;
    std::size_t pos = 0;
    while ((pos = twin.find("zpyload.json", pos)) != std::string::npos) twin.replace(pos, 12, "payload.json");
    expectRefused(twin, "differ only in case");
    // A non-ASCII name smuggled past the writer (same byte length in both headers).
    std::string accent = zip;
    pos = 0;
    while ((pos = accent.find("zpyload.json", pos)) != std::string::npos) accent.replace(pos, 12, "p\xc3\xa9load.json");
    expectRefused(accent, "non-ASCII");
}

}  // namespace
}  // namespace planner::core::bundle
