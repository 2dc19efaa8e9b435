#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "session/session.hpp"

using namespace planner::core;

namespace {

std::string freshDir(const std::string& name) {
    const char* base = std::getenv("PLANNER_TEST_TMP");
    std::filesystem::path dir = std::filesystem::path(base ? base : "/tmp") / ("session-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

constexpr TimeUtc kNow = 1795000000;  // 2026-11-19

}  // namespace

TEST(Session, FirstOpenCreatesTheDemoWorkspaceAndAuditsIt) {
    const std::string dir = freshDir("demo");
    auto s = Session::open(dir, "demo", "tester", kNow, true, false);
    ASSERT_TRUE(s.ok()) << s.error().toString();
    const Session& session = **s;
    EXPECT_GE(session.data().changes.size(), 10u);
    EXPECT_GE(session.data().cis.size(), 100u);
    EXPECT_FALSE(session.data().windows.empty());
    ASSERT_FALSE(session.recentAudit().empty());
    EXPECT_EQ(session.recentAudit().front().kind, "create");
}

TEST(Session, EditUndoRedoAndReopenKeepTheEdit) {
    const std::string dir = freshDir("edit");
    std::string id, original;
    {
        auto s = Session::open(dir, "w", "tester", kNow, true, false);
        ASSERT_TRUE(s.ok()) << s.error().toString();
        Session& session = **s;
        id = session.data().changes.front().id;
        original = session.data().changes.front().title;
        auto r = session.execute(command::SetChangeField{id, "title", original, "Renamed change", 1000});
        ASSERT_TRUE(r.ok()) << r.error().toString();
        EXPECT_TRUE(r->main);
        EXPECT_FALSE(r->cmdb) << "an edit of a change must not rewrite the CMDB file";
        EXPECT_EQ(session.findChange(id)->title, "Renamed change");
        ASSERT_TRUE(session.undo().ok());
        EXPECT_EQ(session.findChange(id)->title, original);
        ASSERT_TRUE(session.redo().ok());
        EXPECT_EQ(session.findChange(id)->title, "Renamed change");
        EXPECT_NE(session.undoText().find("Undo"), std::string::npos);
    }
    auto again = Session::open(dir, "w", "tester", kNow, false, false);
    ASSERT_TRUE(again.ok()) << again.error().toString();
    EXPECT_EQ((*again)->findChange(id)->title, "Renamed change");
    auto verify = (*again)->workspace().verifyAuditChain();
    ASSERT_TRUE(verify.ok());
    EXPECT_TRUE(verify->ok) << verify->problem;
}

TEST(Session, ReadOnlySessionRefusesEditsAndChangesNothing) {
    const std::string dir = freshDir("ro");
    std::string id, title;
    {
        auto s = Session::open(dir, "w", "tester", kNow, true, false);
        ASSERT_TRUE(s.ok()) << s.error().toString();
        id = (*s)->data().changes.front().id;
        title = (*s)->data().changes.front().title;
    }
    auto ro = Session::open(dir, "w", "tester", kNow, false, true);
    ASSERT_TRUE(ro.ok()) << ro.error().toString();
    EXPECT_TRUE((*ro)->readOnly());
    auto r = (*ro)->execute(command::SetChangeField{id, "title", title, "x", 1});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("read-only"), std::string::npos);
    EXPECT_EQ((*ro)->findChange(id)->title, title);
}

TEST(Session, MissingWorkspaceWithoutDemoIsAClearError) {
    auto s = Session::open(freshDir("missing"), "nothing", "tester", kNow, false, false);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.error().message.find("does not exist"), std::string::npos);
}
