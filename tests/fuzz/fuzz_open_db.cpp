// Opens arbitrary bytes as a workspace main file (with a valid empty CMDB
// file next to it, and the other way round) and, when it opens, reads
// everything and verifies the audit chain. Nothing may crash.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "store/workspace.hpp"
#include "store/workspace_files.hpp"

using namespace planner::core;
using namespace planner::core::store;

namespace {

std::string scratchDir() {
    static const std::string dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("planner-fuzz-open-" + std::to_string(getpid()));
        std::filesystem::create_directories(d);
        auto ws = Workspace::create(d.string(), "template");
        return d.string();
    }();
    return dir;
}

void exercise(const std::string& dir, const std::string& name) {
    for (bool readOnly : {true, false}) {
        OpenOptions options;
        options.readOnly = readOnly;
        auto ws = Workspace::open(dir, name, options);
        if (!ws) continue;
        (void)ws->snapshot();
        (void)ws->verifyAuditChain();
        (void)ws->integrityCheck();
        (void)ws->searchCis("a", "", "", 5);
    }
    (void)validateBackup(mainFilePath(dir, name), cmdbFilePath(dir, name));
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
