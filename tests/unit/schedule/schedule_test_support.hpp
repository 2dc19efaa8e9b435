// Shared set-up for the schedule tests: zone data location and small builders.
#pragma once

#include "model/model.hpp"
#include "schedule/time_zone.hpp"

#include <gtest/gtest.h>

#include <string>

namespace planner::core::schedule::testing {

inline void useTestZones() {
#ifdef PLANNER_ZONEINFO_DIR
    initTimeZones(PLANNER_ZONEINFO_DIR);
#else
    initTimeZones("");
#endif
}

class ScheduleTest : public ::testing::Test {
protected:
    void SetUp() override { useTestZones(); }
};

// UTC seconds of a local wall time; fails the test on a bad zone or text.
inline TimeUtc at(const std::string& local, const std::string& zone = "UTC") {
    auto t = parseLocalDateTime(local);
    EXPECT_TRUE(t.has_value()) << local;
    if (!t) return 0;
    auto r = localToUtc(*t, zone);
    EXPECT_TRUE(r.ok()) << zone;
    return r.ok() ? r.value() : 0;
}

inline std::string localOf(TimeUtc t, const std::string& zone) {
    auto r = utcToLocal(t, zone);
    return r.ok() ? formatLocalDateTime(r.value()) : std::string("?");
}

inline Window makeWindow(std::string id, WindowKind kind, WindowScope scope, std::string scopeValue,
                         std::string zone, std::string start, Minutes duration, std::string rrule = {}) {
    Window w;
    w.id = id;
    w.name = std::move(id);
    w.kind = kind;
    w.scope = scope;
    w.scopeValue = std::move(scopeValue);
    w.timeZone = std::move(zone);
    w.start = std::move(start);
    w.duration = duration;
    w.rrule = std::move(rrule);
    return w;
}

}  // namespace planner::core::schedule::testing
