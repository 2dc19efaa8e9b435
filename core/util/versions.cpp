#include "util/versions.hpp"

#include <boost/version.hpp>
#include <cereal/version.hpp>
#include <libical/ical.h>
#include <rapidjson/rapidjson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <zlib.h>

namespace planner::core {

const char* productVersion() { return PLANNER_VERSION; }

std::vector<std::pair<std::string, std::string>> libraryVersions() {
    std::string boost = std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) +
                        "." + std::to_string(BOOST_VERSION % 100);
    return {
        {"SQLite", sqlite3_libversion()},
        {"libsodium", sodium_version_string()},
        {"libical", ICAL_VERSION},
        {"zlib / minizip", zlibVersion()},
        {"Boost.Graph", boost},
        {"RapidJSON", RAPIDJSON_VERSION_STRING},
        {"cereal", std::to_string(CEREAL_VERSION_MAJOR) + "." + std::to_string(CEREAL_VERSION_MINOR) + "." +
                       std::to_string(CEREAL_VERSION_PATCH)},
    };
}

}  // namespace planner::core
