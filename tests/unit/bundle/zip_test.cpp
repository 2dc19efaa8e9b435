#include "bundle/zip.hpp"

#include <gtest/gtest.h>

#include <cstring>

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

}  // namespace
}  // namespace planner::core::bundle
