// Storage figures: CSV import of a 100,000-CI / 400,000-relationship synthetic
// CMDB, one edit committed to a change with that CMDB attached, the sizes of
// the two workspace files (a browser flush after an edit writes only the main
// file), and the process's peak memory when the platform reports it.
// Usage: bench_store [ciCount relationshipCount]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

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
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return line.substr(6);
    return " n/a (measure the heap from the host)";
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t ciCount = argc > 2 ? std::strtoul(argv[1], nullptr, 10) : 100000;
    const std::size_t relCount = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 400000;
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

    auto ws = store::Workspace::create(dir.string(), "bench");
    if (!ws) {
        std::fprintf(stderr, "%s\n", ws.error().toString().c_str());
        return 1;
    }
    io::CmdbSource cis{io::CmdbFormat::CiCsv, "cis.csv", ciPath, ""};
    io::CmdbSource rels{io::CmdbFormat::RelationshipCsv, "relationships.csv", relPath, ""};
    t0 = Clock::now();
    auto imported = io::importCmdb(*ws, {cis, rels});
    const double importMs = msSince(t0);
    if (!imported) {
        std::fprintf(stderr, "import failed: %s\n", imported.error().toString().c_str());
        return 1;
    }
    std::printf("csv import: %lld CIs, %lld relationships in %.0f ms\n", static_cast<long long>(imported->cis),
                static_cast<long long>(imported->relationships), importMs);

    command::CommandStack stack(*ws, "bench");
    ChangeRequest change;
    change.id = "CHG0000001";
    change.title = "Bench change";
    change.affectedCis = {(*ws->cis())[0].id};
    if (auto r = stack.execute(command::AddChange{change}); !r) return 1;
    const auto cmdbBefore = std::filesystem::last_write_time(ws->cmdbPath());
    const int edits = 50;
    double worst = 0, total = 0;
    store::DirtyFiles dirty;
    std::string title = change.title;
    for (int i = 0; i < edits; ++i) {
        const std::string next = title + " " + std::to_string(i);
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
    }
    std::printf("edit commit (change field + audit row, CMDB attached): mean %.2f ms, worst %.2f ms over %d edits\n",
                total / edits, worst, edits);
    std::printf("dirty files after edits: main=%s cmdb=%s; cmdb file untouched: %s\n", dirty.main ? "yes" : "no",
                dirty.cmdb ? "yes" : "no",
                std::filesystem::last_write_time(ws->cmdbPath()) == cmdbBefore ? "yes" : "no");
    std::printf("file sizes: main %.1f KB, cmdb %.1f MB\n",
                static_cast<double>(std::filesystem::file_size(ws->mainPath())) / 1024.0,
                static_cast<double>(std::filesystem::file_size(ws->cmdbPath())) / 1e6);
    t0 = Clock::now();
    auto all = ws->cis();
    auto allRels = ws->relationships();
    std::printf("load whole cmdb: %zu CIs + %zu relationships in %.0f ms\n", all ? all->size() : 0,
                allRels ? allRels->size() : 0, msSince(t0));
    std::printf("peak memory (VmHWM):%s\n", peakMemory().c_str());
    std::filesystem::remove_all(dir);
    return 0;
}
