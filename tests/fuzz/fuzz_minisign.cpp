// libFuzzer target: minisign signature files and the bundle trusted comments they carry.
#include "bundle/trusted_comment.hpp"
#include "crypto/minisign.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace planner::core;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto sig = crypto::parseMinisignSignature(bytes, "fuzz.minisig");
    if (sig) {
        crypto::PublicKey key;
        key.keyId = sig->keyId;
        (void)crypto::verifyMinisign(key, bytes, *sig, false);
        (void)crypto::verifyMinisign(key, bytes, *sig, true);
        (void)bundle::parseTrustedComment(sig->trustedComment);
    }
    auto fields = bundle::parseTrustedComment(bytes);
    if (fields) {
        auto again = bundle::parseTrustedComment(bundle::formatTrustedComment(*fields));
        if (!again || *again != *fields) __builtin_trap();
    }
    (void)bundle::parseUtcTime(bytes);
    return 0;
}
