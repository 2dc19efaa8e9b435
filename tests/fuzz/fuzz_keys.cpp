// libFuzzer target: key files (minisign public/secret keys, OpenSSH public key
// lines, stored-key documents). No passphrase is given, so no key derivation runs.
#include "crypto/key_store.hpp"
#include "crypto/minisign.hpp"
#include "crypto/sshsig.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace planner::core::crypto;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto pub = parseMinisignPublicKey(bytes, "fuzz.pub");
    if (pub) {
        auto again = parseMinisignPublicKey(writeMinisignPublicKey(*pub));
        if (!again || !(*again == *pub)) __builtin_trap();
    }
    (void)minisignSecretKeyIsEncrypted(bytes, "fuzz.key");
    (void)parseMinisignSecretKey(bytes, "", "fuzz.key");
    (void)parseSshPublicKeyLine(bytes, "fuzz_ssh.pub");
    (void)storedKeyPublicKey(bytes, "fuzz.json");
    (void)parseKeyIdHex(bytes);
    return 0;
}
