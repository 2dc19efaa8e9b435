// The user's preferences file (app/ui/preferences.hpp, ImGui-free).
#include <gtest/gtest.h>

#include "../../../app/ui/preferences.hpp"

using planner::ui::ParsePreferences;
using planner::ui::PreferencesJson;
using planner::ui::Settings;
using planner::ui::Theme;

TEST(Preferences, RoundTripAndDefaults) {
    Settings s;
    s.theme = Theme::Light;
    s.fontSize = 19;
    s.timeZone = "Europe/Berlin";
    s.userName = "Grace Hopper";
    std::string problem;
    EXPECT_EQ(ParsePreferences(PreferencesJson(s), &problem), s);
    EXPECT_EQ(problem, "");
    EXPECT_EQ(ParsePreferences(""), Settings{});
    EXPECT_EQ(ParsePreferences("{}"), Settings{});
}

TEST(Preferences, ZoneNamesAreCheckedByShapeBeforeTheZoneDataIsThere) {
    using planner::ui::LooksLikeTimeZone;
    EXPECT_TRUE(LooksLikeTimeZone("Europe/Berlin"));
    EXPECT_TRUE(LooksLikeTimeZone("America/Argentina/Buenos_Aires"));
    EXPECT_TRUE(LooksLikeTimeZone("Etc/GMT+5"));
    EXPECT_FALSE(LooksLikeTimeZone(""));
    EXPECT_FALSE(LooksLikeTimeZone("/etc/passwd"));
    EXPECT_FALSE(LooksLikeTimeZone("Europe/../x"));
    EXPECT_FALSE(LooksLikeTimeZone("Europe Berlin"));
    // By shape, a zone the database lacks is taken for now (checked on open).
    EXPECT_EQ(ParsePreferences(R"({"timeZone":"Mars/Olympus"})", nullptr, LooksLikeTimeZone).timeZone, "Mars/Olympus");
    EXPECT_EQ(ParsePreferences(R"({"timeZone":"no such zone"})", nullptr, LooksLikeTimeZone).timeZone, "UTC");
}

TEST(Preferences, BadFieldsFallBackOneByOneAndSayWhy) {
    std::string problem;
    const Settings s = ParsePreferences(
        R"({"theme":"purple","fontSize":99,"timeZone":"Mars/Olympus","userName":"Ada"})", &problem);
    EXPECT_EQ(s.theme, Theme::Dark);
    EXPECT_EQ(s.fontSize, 24);   // clamped, not refused
    EXPECT_EQ(s.timeZone, "UTC");
    EXPECT_EQ(s.userName, "Ada");
    EXPECT_NE(problem.find("theme"), std::string::npos) << problem;
    EXPECT_NE(problem.find("Mars/Olympus"), std::string::npos) << problem;
    problem.clear();
    EXPECT_EQ(ParsePreferences("{\"theme\":", &problem), Settings{});
    EXPECT_NE(problem.find("not a JSON object"), std::string::npos);
    problem.clear();
    EXPECT_EQ(ParsePreferences(R"({"userName":"","fontSize":"big"})", &problem), Settings{});
    EXPECT_NE(problem.find("userName"), std::string::npos);
    EXPECT_NE(problem.find("fontSize"), std::string::npos);
}
