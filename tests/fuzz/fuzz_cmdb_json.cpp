// Feeds arbitrary bytes to the CMDB JSON template importer and checks
// properties (cmdb_fuzz_checks.hpp): errors name the file and a line; parsed
// CMDBs have unique ids and known relationship ends; what parses exports
// through exportCmdbJson and parses again to the same CIs and relationships.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cmdb_fuzz_checks.hpp"
#include "io/cmdb_export.hpp"
#include "io/cmdb_import.hpp"

using namespace planner::core;
using namespace planner::core::io;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::vector<ConfigItem> known{ConfigItem{"known", "Known"}};
    CmdbSource src{CmdbFormat::Json, "cmdb.json", "", std::string(reinterpret_cast<const char*>(data), size)};
    auto parsed = planner::fuzz::parseChecked({src}, known);
    if (parsed) {
        CmdbSource again{CmdbFormat::Json, "cmdb.json", "", exportCmdbJson(parsed->cis, parsed->relationships)};
        planner::fuzz::requireSameCmdb(parseCmdb({again}, known), parsed.value());
    }
    return 0;
}
