// Feeds arbitrary bytes to the CMDB JSON template importer.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/cmdb_import.hpp"

using namespace planner::core;
using namespace planner::core::io;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    CmdbSource src{CmdbFormat::Json, "cmdb.json", "", std::string(reinterpret_cast<const char*>(data), size)};
    (void)parseCmdb({src}, {ConfigItem{"known", "Known"}});
    return 0;
}
