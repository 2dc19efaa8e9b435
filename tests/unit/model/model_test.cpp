#include <gtest/gtest.h>

#include "model/model.hpp"

using namespace planner::core;

TEST(ModelNames, EveryChangeStateRoundTripsThroughItsName) {
    for (int i = 0; i <= static_cast<int>(ChangeState::Rejected); ++i) {
        auto s = static_cast<ChangeState>(i);
        auto back = changeStateFromString(toString(s));
        ASSERT_TRUE(back.has_value()) << toString(s);
        EXPECT_EQ(*back, s);
    }
    EXPECT_FALSE(changeStateFromString("approved").has_value());
}

TEST(ModelNames, WindowScopeNamesAreSnakeCase) {
    EXPECT_STREQ(toString(WindowScope::CiType), "ci_type");
    EXPECT_EQ(windowScopeFromString("service"), WindowScope::Service);
}
