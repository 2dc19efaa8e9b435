// The icon list the font atlas is built from (app/ui/icons.hpp).
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "../../../app/ui/icons.hpp"

TEST(Icons, EveryIconIsInTheAtlasListOnceAndInTheFontAwesomeRange) {
    std::ifstream in(std::string(PLANNER_TEST_DATA_DIR) + "/../../app/ui/icons.hpp");
    ASSERT_TRUE(in) << "icons.hpp not found next to the tests";
    std::stringstream text;
    text << in.rdbuf();
    const std::string source = text.str();
    std::set<std::string> defined;
    const std::regex define(R"(#define (ICON_\w+) ")");
    for (auto it = std::sregex_iterator(source.begin(), source.end(), define); it != std::sregex_iterator(); ++it)
        defined.insert((*it)[1]);
    const std::string list = source.substr(source.find("kAllIcons[]"));
    std::set<std::string> listed;
    const std::regex name(R"(ICON_\w+)");
    for (auto it = std::sregex_iterator(list.begin(), list.end(), name); it != std::sregex_iterator(); ++it)
        listed.insert((*it)[0]);
    EXPECT_EQ(listed, defined) << "an ICON_ define is missing from kAllIcons (it would draw as '?')";
    EXPECT_EQ(std::size(kAllIcons), defined.size()) << "an icon is listed twice";
    std::set<unsigned> points;
    for (const char* icon : kAllIcons) {
        const unsigned cp = IconCodePoint(icon);
        EXPECT_GE(cp, 0xf000u);
        EXPECT_LE(cp, 0xf2e0u);
        EXPECT_EQ(std::string(icon).size(), 3u);
        points.insert(cp);
    }
    EXPECT_EQ(points.size(), std::size(kAllIcons)) << "two icons share a code point";
    EXPECT_EQ(IconCodePoint(ICON_CHECK), 0xf00cu);
}
