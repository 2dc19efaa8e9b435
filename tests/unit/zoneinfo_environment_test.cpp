// Every test of this runner sees the time zone data: the zoneinfo directory
// shipped with the build under wasm, the system's natively. Tests that move
// it (schedule/fast_paths_test.cpp) put it back.
#include <gtest/gtest.h>

#include "schedule/time_zone.hpp"

namespace {

class ZoneinfoEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
#ifdef PLANNER_ZONEINFO_DIR
        planner::core::schedule::initTimeZones(PLANNER_ZONEINFO_DIR);
#else
        planner::core::schedule::initTimeZones("");
#endif
    }
};

[[maybe_unused]] ::testing::Environment* const kZoneinfo =
    ::testing::AddGlobalTestEnvironment(new ZoneinfoEnvironment);

}  // namespace
