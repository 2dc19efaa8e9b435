// Storage figures: CSV import of a 100,000-CI / 400,000-relationship synthetic
// CMDB (median of a few runs, each into a fresh workspace), one edit committed
// to a change with that CMDB attached, the bytes a browser flush writes after
// such an edit (only the main file; both file sizes are printed), and peak
// memory: the wasm heap size in the browser build (it only grows, so it is the
// peak), the process's VmHWM natively.
// Usage: bench_store [ciCount relationshipCount [importRuns]]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <emscripten/heap.h>
#endif

#include "command/command_stack.hpp"
#include "demo/synthetic_cmdb.hpp"
#include "io/cmdb_export.hpp"
#include "io/cmdb_import.hpp"
#include "store/workspace.hpp"
#include "store/workspace_files.hpp"

using namespace planner::core;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string peakMemory() {
#ifdef __EMSCRIPTEN__
    char buf[64];
    std::snprintf(buf, sizeof buf, "wasm heap %.1f MB", static_cast<double>(emscripten_get_heap_size()) / 1e6);
    return buf;
#else
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) {
            const long kb = std::strtol(line.c_str() + 6, nullptr, 10);
            char buf[64];
            std::snprintf(buf, sizeof buf, "VmHWM %.1f MB", static_cast<double>(kb) * 1024.0 / 1e6);
            return buf;
        }
    return "n/a";
#endif
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t ciCount = argc > 2 ? std::strtoul(argv[1], nullptr, 10) : 100000;
    const std::size_t relCount = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 400000;
    const int importRuns = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
    const char* tmp = std::getenv("PLANNER_BENCH_TMP");
    const std::filesystem::path dir = std::filesystem::path(tmp ? tmp : std::filesystem::temp_directory_path().string()) /
                                      "planner-bench-store";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);

    auto t0 = Clock::now();
    SyntheticCmdb cmdb = generateSyntheticCmdb(20260101u, ciCount, relCount);
    const double genMs = msSince(t0);
    const std::string ciPath = (dir / "cis.csv").string();
    const std::string relPath = (dir / "relationships.csv").string();
    std::ofstream(ciPath, std::ios::binary) << io::exportCiCsv(cmdb.cis);
    std::ofstream(relPath, std::ios::binary) << io::exportRelationshipCsv(cmdb.relationships);
    const auto csvBytes = std::filesystem::file_size(ciPath) + std::filesystem::file_size(relPath);
    cmdb = {};
    std::printf("synthetic cmdb: %zu CIs, %zu relationships generated in %.0f ms, CSV %.1f MB\n", ciCount, relCount,
                genMs, static_cast<double>(csvBytes) / 1e6);

    io::CmdbSource cis{io::CmdbFormat::CiCsv, "cis.csv", ciPath, ""};
    io::CmdbSource rels{io::CmdbFormat::RelationshipCsv, "relationships.csv", relPath, ""};
    // Each run imports into a fresh workspace; the last one is kept.
    std::vector<double> importMs, parseMs, writeMs, finishMs;
    std::optional<store::Workspace> ws;
    for (int run = 0; run < importRuns; ++run) {
        ws.reset();
        const std::string name = "bench" + std::to_string(run);
        auto created = store::Workspace::create(dir.string(), name);
        if (!created) {
            std::fprintf(stderr, "%s\n", created.error().toString().c_str());
            return 1;
        }
        ws.emplace(std::move(*created));
        // Phases from the progress callback: bytes parsed fill the first half
        // of the range, rows written the second; indexes and commit follow.
        io::ImportOptions options;
        double parsedAt = 0, writtenAt = 0;
        t0 = Clock::now();
        options.progress = [&](std::int64_t done, std::int64_t total) {
            if (2 * done <= total) parsedAt = msSince(t0);
            if (done == total) writtenAt = msSince(t0);
            return true;
        };
        auto imported = io::importCmdb(*ws, {cis, rels}, options);
        importMs.push_back(msSince(t0));
        parseMs.push_back(parsedAt);
        writeMs.push_back(writtenAt - parsedAt);
        finishMs.push_back(importMs.back() - writtenAt);
        if (!imported) {
            std::fprintf(stderr, "import failed: %s\n", imported.error().toString().c_str());
            return 1;
        }
        if (run + 1 == importRuns)
            std::printf("csv import: %lld CIs, %lld relationships; ", static_cast<long long>(imported->cis),
                        static_cast<long long>(imported->relationships));
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    std::printf("median %.0f ms over %d runs (", median(importMs), importRuns);
    for (std::size_t i = 0; i < importMs.size(); ++i) std::printf("%s%.0f", i ? ", " : "", importMs[i]);
    std::printf(" ms)\n");
    std::printf(
        "  phases (medians): reading + parsing %.0f ms, validating + writing rows %.0f ms, indexes + commit %.0f ms\n",
        median(parseMs), median(writeMs), median(finishMs));
    std::printf("peak memory after the import: %s\n", peakMemory().c_str());

    command::CommandStack stack(*ws, "bench");
    ChangeRequest change;
    change.id = "CHG0000001";
    change.title = "Bench change";
    change.affectedCis = {(*ws->cis())[0].id};
    if (auto r = stack.execute(command::AddChange{change}); !r) return 1;
    const auto cmdbBefore = std::filesystem::last_write_time(ws->cmdbPath());
    const int edits = 50;
    double worst = 0, total = 0;
    std::vector<double> editMs;
    store::DirtyFiles dirty;
    for (int i = 0; i < edits; ++i) {
        t0 = Clock::now();
        auto r = stack.execute(command::SetChangeField{change.id, "description", i ? std::to_string(i - 1) : "",
                                                       std::to_string(i), (i + 1) * 10000});
        const double ms = msSince(t0);
        if (!r) {
            std::fprintf(stderr, "edit failed: %s\n", r.error().toString().c_str());
            return 1;
        }
        dirty |= *r;
        worst = std::max(worst, ms);
        total += ms;
        editMs.push_back(ms);
    }
    std::sort(editMs.begin(), editMs.end());
    std::printf(
        "edit commit (change field + audit row, CMDB attached): median %.2f ms, mean %.2f ms, worst %.2f ms over %d "
        "edits\n",
        editMs[editMs.size() / 2], total / edits, worst, edits);
    std::printf("dirty files after edits: main=%s cmdb=%s; cmdb file untouched: %s\n", dirty.main ? "yes" : "no",
                dirty.cmdb ? "yes" : "no",
                std::filesystem::last_write_time(ws->cmdbPath()) == cmdbBefore ? "yes" : "no");
    const auto mainBytes = std::filesystem::file_size(ws->mainPath());
    const auto cmdbBytes = std::filesystem::file_size(ws->cmdbPath());
    std::printf("file sizes: main %.1f KB (%llu bytes), cmdb %.1f MB (%llu bytes)\n",
                static_cast<double>(mainBytes) / 1024.0, static_cast<unsigned long long>(mainBytes),
                static_cast<double>(cmdbBytes) / 1e6, static_cast<unsigned long long>(cmdbBytes));
    std::printf("browser flush after one edit writes the dirty files only: %llu bytes (%s)\n",
                static_cast<unsigned long long>((dirty.main ? mainBytes : 0) + (dirty.cmdb ? cmdbBytes : 0)),
                dirty.cmdb ? "main + cmdb" : "main file only");
    t0 = Clock::now();
    auto all = ws->cis();
    auto allRels = ws->relationships();
    std::printf("load whole cmdb: %zu CIs + %zu relationships in %.0f ms\n", all ? all->size() : 0,
                allRels ? allRels->size() : 0, msSince(t0));
    std::printf("peak memory with the CMDB open and loaded: %s\n", peakMemory().c_str());
    ws.reset();
    std::filesystem::remove_all(dir);
    return 0;
}
