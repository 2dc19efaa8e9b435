// Feeds arbitrary bytes to the ServiceNow cmdb_ci and cmdb_rel_ci importers
// (a 0x1E byte splits the input into the two files) and checks properties
// (cmdb_fuzz_checks.hpp): errors name one of the two files and a line; parsed
// CMDBs have unique ids and every relationship end is a parsed or known CI.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cmdb_fuzz_checks.hpp"
#include "io/cmdb_import.hpp"

using namespace planner::core;
using namespace planner::core::io;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const std::size_t split = input.find('\x1e');
    std::vector<CmdbSource> sources{{CmdbFormat::ServiceNowCiCsv, "cmdb_ci.csv", "", input.substr(0, split)}};
    if (split != std::string::npos)
        sources.push_back({CmdbFormat::ServiceNowRelCsv, "cmdb_rel_ci.csv", "", input.substr(split + 1)});
    (void)planner::fuzz::parseChecked(sources, {ConfigItem{"x", "Existing name"}});
    return 0;
}
