// Figures for signed bundles: sign and write a bundle whose CMDB slice holds
// 10,000 CIs, verify it, add an approval. Prints times; asserts nothing about them.
// Targets (wasm): write under 300 ms, verify under 100 ms.
#include "bundle/bundle.hpp"
#include "crypto/keys.hpp"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using namespace planner::core;
using Clock = std::chrono::steady_clock;

// Deterministic pseudo-random numbers so every run packs the same bytes.
struct Lcg {
    std::uint64_t state = 0x9E3779B97F4A7C15ull;
    std::uint32_t next() {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<std::uint32_t>(state >> 33);
    }
};

std::string cmdbSlice(int count) {
    static const char* const types[] = {"business_service", "application", "server", "database", "network",
                                        "load_balancer", "storage"};
    static const char* const envs[] = {"production", "staging", "test"};
    static const char* const teams[] = {"platform-ops", "dba-team", "network-core", "app-payments", "app-web"};
    Lcg rng;
    std::string out = "{\"schema\":1,\"cis\":[";
    for (int i = 0; i < count; ++i) {
        // Draw in a fixed order: argument evaluation order differs between compilers.
        std::uint32_t r[16];
        for (auto& v : r) v = rng.next();
        const char* type = types[r[0] % 7];
        char buf[768];
        std::snprintf(buf, sizeof buf,
                      "%s{\"id\":\"CI%06d\",\"name\":\"%s-%05u.example.internal\",\"type\":\"%s\","
                      "\"owner\":\"user%04u\",\"team\":\"%s\",\"tier\":%u,\"environment\":\"%s\","
                      "\"location\":\"dc%u-rack%02u\",\"tags\":[\"pci\",\"zone-%u\"],"
                      "\"attributes\":{\"os\":\"debian-12\",\"cpu\":\"%u\",\"memory_gb\":\"%u\","
                      "\"serial\":\"SN%08X\",\"ip\":\"10.%u.%u.%u\"},\"impact_depth\":%u}",
                      i == 0 ? "" : ",", i, type, r[1] % 100000, type, r[2] % 5000, teams[r[3] % 5],
                      1 + r[4] % 4, envs[r[5] % 3], 1 + r[6] % 3, r[7] % 40, r[8] % 16, 2 + r[9] % 62,
                      4 + r[10] % 508, r[11], r[12] % 256, r[13] % 256, r[14] % 256, r[15] % 6);
        out += buf;
    }
    out += "],\"relationships\":[";
    for (int i = 1; i < count; ++i) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "%s{\"from\":\"CI%06d\",\"to\":\"CI%06u\",\"type\":\"depends_on\"}",
                      i == 1 ? "" : ",", i, rng.next() % static_cast<std::uint32_t>(i));
        out += buf;
    }
    out += "]}";
    return out;
}

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void printStats(const char* what, std::vector<double> v) {
    std::sort(v.begin(), v.end());
    std::printf("%-28s min %8.1f ms   median %8.1f ms   max %8.1f ms\n", what, v.front(), v[v.size() / 2], v.back());
}

}  // namespace

int main() {
    const crypto::KeyPair author = crypto::generateKeyPair();
    const crypto::KeyPair approver = crypto::generateKeyPair();
    bundle::BundleInput input;
    input.changeId = "CHG0010000";
    input.authorName = "Bench Author";
    input.signedAt = 1795827661;
    input.files["cmdb-slice.json"] = cmdbSlice(10000);
    input.files["change.json"] = std::string(8000, 'c');
    input.files["runbook.md"] = std::string(20000, 'r');
    input.files["report.html"] = std::string(150000, 'h');
    input.files["graph.dot"] = std::string(400000, 'd');
    input.files["graph.svg"] = std::string(900000, 's');
    std::int64_t contentBytes = 0;
    for (const auto& [path, data] : input.files) contentBytes += static_cast<std::int64_t>(data.size());
    bundle::TrustStore trust = {{"Bench Author", {}, author.publicKey}, {"Approver", {"cab_member"}, approver.publicKey}};

    const int runs = 5;
    std::vector<double> writeMs, verifyMs, approveMs;
    std::string zip;
    for (int i = 0; i < runs; ++i) {
        auto t0 = Clock::now();
        auto written = bundle::writeBundle(input, author);
        writeMs.push_back(msSince(t0));
        if (!written) {
            std::fprintf(stderr, "write failed: %s\n", written.error().toString().c_str());
            return 1;
        }
        zip = std::move(*written);
        t0 = Clock::now();
        bundle::BundleReport report = bundle::verifyBundle(zip, trust);
        verifyMs.push_back(msSince(t0));
        if (!report.importable) {
            std::fprintf(stderr, "verification failed: %s\n", report.errors.front().c_str());
            return 1;
        }
        t0 = Clock::now();
        auto approved = bundle::addApproval(zip, approver, {Decision::Approve, "cab_member", "Approver", 1795831261, "", false});
        approveMs.push_back(msSince(t0));
        if (!approved) return 1;
    }
    // A chain of 10 approvals by 10 distinct trusted keys, verified whole.
    bundle::TrustStore chainTrust = {{"Bench Author", {}, author.publicKey}};
    std::string chained = zip;
    for (int k = 0; k < 10; ++k) {
        const crypto::KeyPair key = crypto::generateKeyPair();
        const std::string name = "Approver " + std::to_string(k + 1);
        chainTrust.push_back({name, {"cab_member"}, key.publicKey});
        auto next = bundle::addApproval(chained, key, {Decision::Approve, "cab_member", name, 1795831261 + k, "", false});
        if (!next) {
            std::fprintf(stderr, "approval %d failed: %s\n", k + 1, next.error().toString().c_str());
            return 1;
        }
        chained = std::move(*next);
    }
    std::vector<double> chainMs;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = Clock::now();
        bundle::BundleReport report = bundle::verifyBundle(chained, chainTrust);
        chainMs.push_back(msSince(t0));
        if (!report.importable || report.approvalChainLength != 10) {
            std::fprintf(stderr, "the 10-approval bundle did not verify: %s\n",
                         report.errors.empty() ? "chain length" : report.errors.front().c_str());
            return 1;
        }
    }
    std::printf("bundle: 10000 CIs, content %" PRId64 " bytes (cmdb-slice.json %zu bytes), zip %zu bytes\n",
                contentBytes, input.files["cmdb-slice.json"].size(), zip.size());
    printStats("sign + write bundle", writeMs);
    printStats("verify bundle", verifyMs);
    printStats("add approval", approveMs);
    printStats("verify, 10 approvals", chainMs);
    std::printf("targets (wasm): write < 300 ms, verify < 100 ms\n");
    return 0;
}
