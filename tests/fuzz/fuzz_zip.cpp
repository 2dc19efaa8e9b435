// libFuzzer target: the bundle reader (zip parsing, SHA256SUMS, signatures, approvals).
#include "bundle/bundle.hpp"
#include "bundle/zip.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace planner::core::bundle;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    ZipLimits limits;
    limits.maxEntries = 64;
    limits.maxEntryBytes = 1 << 20;
    limits.maxTotalBytes = 4 << 20;
    (void)readZip(bytes, limits, "fuzz.zip");
    static const TrustStore trust = {
        TrustedKey{"fuzz", {}, planner::core::crypto::PublicKey{}, false, {}},
    };
    BundleReport report = verifyBundle(bytes, trust, limits, "fuzz.zip");
    if (report.importable && !report.errors.empty()) __builtin_trap();
    (void)approvalsFromReport(report);
    return 0;
}
