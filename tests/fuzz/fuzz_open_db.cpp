// Opens arbitrary bytes as a workspace main file (with a valid empty CMDB
// file next to it, and the other way round) and, when it opens, reads
// everything and verifies the audit chain. Nothing may crash, and:
//  - a read-only open (and everything read through it) leaves both files
//    byte for byte as they were;
//  - when integrityCheck() says "ok" and snapshot() succeeds, the snapshot
//    holds as many CIs and relationships as the CMDB tables count.
// A broken property ends the run with __builtin_trap().
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <unistd.h>

#include "store/workspace.hpp"
#include "store/workspace_files.hpp"

using namespace planner::core;
using namespace planner::core::store;

namespace {

void require(bool condition) {
    if (!condition) __builtin_trap();
}

std::string scratchDir() {
    static const std::string dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("planner-fuzz-open-" + std::to_string(getpid()));
        std::filesystem::create_directories(d);
        auto ws = Workspace::create(d.string(), "template");
        return d.string();
    }();
    return dir;
}

std::string bytesOf(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void exercise(const std::string& dir, const std::string& name) {
    const std::string mainPath = mainFilePath(dir, name), cmdbPath = cmdbFilePath(dir, name);
    for (bool readOnly : {true, false}) {
        const std::string mainBefore = readOnly ? bytesOf(mainPath) : std::string();
        const std::string cmdbBefore = readOnly ? bytesOf(cmdbPath) : std::string();
        {
            OpenOptions options;
            options.readOnly = readOnly;
            auto ws = Workspace::open(dir, name, options);
            if (ws) {
                auto snap = ws->snapshot();
                (void)ws->verifyAuditChain();
                auto verdict = ws->integrityCheck();
                auto counts = ws->cmdbCounts();
                if (snap && verdict && verdict.value() == "ok" && counts) {
                    require(static_cast<std::int64_t>(snap->data.cis.size()) == counts->cis);
                    require(static_cast<std::int64_t>(snap->data.relationships.size()) == counts->relationships);
                }
                (void)ws->searchCis("a", "", "", 5);
            }
        }  // closed before the files are compared
        if (readOnly) {
            require(bytesOf(mainPath) == mainBefore);
            require(bytesOf(cmdbPath) == cmdbBefore);
        }
    }
    (void)validateBackup(mainPath, cmdbPath);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string dir = scratchDir();
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    for (int which = 0; which < 2; ++which) {
        // deleteWorkspace refuses some of the mangled files the previous input
        // left behind, so the copies overwrite whatever is there.
        (void)deleteWorkspace(dir, "case");
        const auto overwrite = std::filesystem::copy_options::overwrite_existing;
        std::error_code ec1, ec2;
        std::filesystem::copy_file(mainFilePath(dir, "template"), mainFilePath(dir, "case"), overwrite, ec1);
        std::filesystem::copy_file(cmdbFilePath(dir, "template"), cmdbFilePath(dir, "case"), overwrite, ec2);
        if (ec1 || ec2) continue;  // the scratch folder is not what is under test
        std::ofstream(which == 0 ? mainFilePath(dir, "case") : cmdbFilePath(dir, "case"),
                      std::ios::binary | std::ios::trunc)
            << bytes;
        exercise(dir, "case");
    }
    return 0;
}
