#include "crypto/hash.hpp"
#include "crypto/init.hpp"

#include <gtest/gtest.h>

namespace planner::core {
namespace {

TEST(CryptoHash, InitIsIdempotent) {
    EXPECT_TRUE(initCrypto());
    EXPECT_TRUE(initCrypto());
}

TEST(CryptoHash, Sha256KnownVectors) {
    EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256Hex(std::string("a\0b", 3)), sha256Hex(std::string_view("a\0b", 3)));
    EXPECT_NE(sha256Hex(std::string("a\0b", 3)), sha256Hex("a"));
}

TEST(CryptoHash, Sha512AndBlake2bKnownVectors) {
    const auto s = sha512("abc");
    EXPECT_EQ(toHexLower(s.data(), s.size()),
              "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
              "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    const auto b = blake2b512("abc");
    EXPECT_EQ(toHexLower(b.data(), b.size()),
              "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
              "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
}

}  // namespace
}  // namespace planner::core
