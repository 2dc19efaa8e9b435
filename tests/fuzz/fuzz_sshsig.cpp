// libFuzzer target: armored OpenSSH signatures (SSHSIG).
#include "crypto/sshsig.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace planner::core::crypto;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto sig = parseSshsig(bytes, "fuzz.sig");
    if (sig) {
        if (sig->nameSpace.empty()) __builtin_trap();
        (void)verifySshsig(*sig, bytes, sig->nameSpace, &sig->publicKey);
    }
    return 0;
}
