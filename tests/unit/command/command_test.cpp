#include <gtest/gtest.h>

#include "command/command.hpp"
#include "command/command_stack.hpp"
#include "../store/store_test_support.hpp"

using namespace planner::core;
using namespace planner::core::command;
using namespace planner::core::store;
using namespace planner::core::testing;

namespace {

struct Fixture {
    explicit Fixture(const std::string& name) : dir(freshDir("cmd-" + name)) {
        auto created = Workspace::create(dir, "ws");
        EXPECT_TRUE(created.ok());
        ws = std::make_unique<Workspace>(std::move(*created));
        EXPECT_TRUE(ws->writeCmdb({sampleCi("a"), sampleCi("b"), sampleCi("c")}, {{"a", "b", "depends_on"}},
                                  CmdbWriteMode::Replace)
                        .ok());
        stack = std::make_unique<CommandStack>(*ws, "anna", [this] { return nowMs; });
    }
    WorkspaceSnapshot snap() { return *ws->snapshot(); }
    std::string dir;
    std::int64_t nowMs = 1'800'000'000'000;
    std::unique_ptr<Workspace> ws;
    std::unique_ptr<CommandStack> stack;
};

}  // namespace

TEST(Commands, EveryKindSerializesAndParsesBack) {
    const ChangeRequest c = sampleChange();
    std::vector<Command> all = {
        AddChange{c}, RemoveChange{c}, ReplaceChange{c, c}, SetChangeField{"C", "title", "a", "b", 5},
        SetState{"C", ChangeState::Draft, ChangeState::Submitted}, AddStep{"C", 1, c.steps[0]},
        EditStep{"C", c.steps[0], c.steps[1]}, RemoveStep{"C", 0, c.steps[0]}, MoveStep{"C", 0, 1},
        SetAffectedCis{"C", {"a"}, {"a", "b"}}, SetImpactFlag{"C", "a", std::nullopt, ImpactFlag::Exclude},
        SetAnswer{"C", "q1", "", "yes"}, AddApproval{"C", c.approvals[0]}, SetReview{"C", std::nullopt, c.review},
        AddWindow{sampleWindow()}, EditWindow{sampleWindow(), sampleWindow()}, RemoveWindow{sampleWindow()},
        AddPerson{samplePerson()}, EditPerson{samplePerson(), samplePerson()}, RemovePerson{samplePerson()},
        SetSetting{"theme", std::nullopt, std::string("dark")}, SetPolicy{"default", std::nullopt, std::string("{}")},
        AddCi{sampleCi("x")}, EditCi{sampleCi("x"), sampleCi("x")},
        RemoveCi{sampleCi("x"), {{"x", "a", "runs_on"}}}, AddRelationship{{"a", "b", "runs_on"}},
        RemoveRelationship{{"a", "b", "runs_on"}}};
    ASSERT_EQ(all.size(), std::variant_size_v<Command>);
    for (const auto& cmd : all) {
        const std::string json = toJson(cmd);
        auto back = commandFromJson(json, "cmd");
        ASSERT_TRUE(back.ok()) << kindOf(cmd) << ": " << back.error().toString();
        EXPECT_EQ(back->index(), cmd.index());
        EXPECT_EQ(toJson(*back), json);
        EXPECT_FALSE(describe(cmd).empty());
    }
    EXPECT_FALSE(commandFromJson("{\"kind\":\"format_disk\",\"data\":{}}", "cmd").ok());
}

TEST(Commands, UndoRedoSequenceReturnsExactEarlierStates) {
    Fixture f("sequence");
    std::vector<WorkspaceSnapshot> states{f.snap()};
    ChangeRequest c = sampleChange("C1");
    c.steps.clear();
    c.review.reset();
    const Step s1 = sampleChange().steps[0];
    const Step s2 = sampleChange().steps[1];
    Step s1b = s1;
    s1b.title = "Stop the app gracefully";
    std::vector<Command> cmds = {
        AddChange{c},
        SetChangeField{"C1", "title", c.title, "New title", 0},
        AddStep{"C1", 0, s1},
        AddStep{"C1", 1, s2},
        MoveStep{"C1", 1, 0},
        EditStep{"C1", s1, s1b},
        SetAffectedCis{"C1", c.affectedCis, {"a", "b", "c"}},
        SetImpactFlag{"C1", "c", std::nullopt, ImpactFlag::Exclude},
        SetAnswer{"C1", "q3", "", "maybe"},
        SetState{"C1", c.state, ChangeState::Scheduled},
        AddApproval{"C1", Approval{"dana", "cab_member", Decision::Reject, 5, "no", "", false}},
        SetReview{"C1", std::nullopt, Review{"failed", "x", 1, 30, "more tests", 9}},
        AddWindow{sampleWindow()},
        EditWindow{sampleWindow(), [] { auto w = sampleWindow(); w.duration = 60; return w; }()},
        AddPerson{samplePerson()},
        SetSetting{"theme", std::nullopt, std::string("light")},
        AddCi{sampleCi("d")},
        AddRelationship{{"d", "a", "runs_on"}},
        EditCi{sampleCi("b"), [] { auto ci = sampleCi("b"); ci.tier = 1; ci.tags = {"x"}; return ci; }()},
        RemoveCi{sampleCi("a"), {{"a", "b", "depends_on"}, {"d", "a", "runs_on"}}},
        RemoveChange{},  // filled below with the current change
    };
    for (std::size_t i = 0; i < cmds.size(); ++i) {
        if (std::holds_alternative<RemoveChange>(cmds[i])) cmds[i] = RemoveChange{**f.ws->findChange("C1")};
        f.nowMs += 10'000;  // far apart: no merging
        auto r = f.stack->execute(cmds[i]);
        ASSERT_TRUE(r.ok()) << i << " " << kindOf(cmds[i]) << ": " << r.error().toString();
        states.push_back(f.snap());
        EXPECT_NE(states.back(), states[states.size() - 2]) << kindOf(cmds[i]);
    }
    for (std::size_t i = cmds.size(); i-- > 0;) {
        ASSERT_TRUE(f.stack->undo().ok()) << i;
        EXPECT_EQ(f.snap(), states[i]) << "after undo of " << kindOf(cmds[i]);
    }
    EXPECT_FALSE(f.stack->canUndo());
    for (std::size_t i = 0; i < cmds.size(); ++i) {
        ASSERT_TRUE(f.stack->redo().ok()) << i;
        EXPECT_EQ(f.snap(), states[i + 1]) << "after redo of " << kindOf(cmds[i]);
    }
    auto chain = f.ws->verifyAuditChain();
    ASSERT_TRUE(chain.ok());
    EXPECT_TRUE(chain->ok) << chain->problem;
    EXPECT_EQ(chain->rows, static_cast<std::int64_t>(3 * cmds.size()));
}

TEST(Commands, ConsecutiveTextEditsMergeIntoOneUndoStep) {
    Fixture f("merge");
    ChangeRequest c = sampleChange("C1");
    ASSERT_TRUE(f.stack->execute(AddChange{c}).ok());
    const auto afterAdd = f.snap();
    std::string text = c.title;
    for (const char* next : {"U", "Up", "Upg", "Upgr"}) {
        f.nowMs += 300;
        ASSERT_TRUE(f.stack->execute(SetChangeField{"C1", "title", text, next, 0}).ok());
        text = next;
    }
    EXPECT_EQ((*f.ws->findChange("C1"))->title, "Upgr");
    f.nowMs += 5000;  // a pause ends the merge window
    ASSERT_TRUE(f.stack->execute(SetChangeField{"C1", "title", text, "Upgrade", 0}).ok());
    ASSERT_TRUE(f.stack->undo().ok());
    EXPECT_EQ((*f.ws->findChange("C1"))->title, "Upgr");
    ASSERT_TRUE(f.stack->undo().ok());
    EXPECT_EQ(f.snap(), afterAdd);
    // Different fields never merge.
    Command a = SetChangeField{"C1", "title", "x", "y", 1};
    EXPECT_FALSE(mergeWith(a, SetChangeField{"C1", "description", "y", "z", 2}));
    EXPECT_FALSE(mergeWith(a, SetChangeField{"C2", "title", "y", "z", 2}));
    EXPECT_TRUE(mergeWith(a, SetChangeField{"C1", "title", "y", "z", 2}));
    EXPECT_EQ(std::get<SetChangeField>(a).newValue, "z");
}

TEST(Commands, DirtyFilesAndSavedPoint) {
    Fixture f("dirty");
    std::vector<DirtyFiles> heard;
    f.stack->setListener([&](const DirtyFiles& d) { heard.push_back(d); });
    EXPECT_TRUE(f.stack->isAtSavedPoint());
    auto r = f.stack->execute(AddChange{sampleChange("C1")});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, (DirtyFiles{true, false}));
    EXPECT_FALSE(f.stack->isAtSavedPoint());
    f.stack->markSaved();
    EXPECT_TRUE(f.stack->isAtSavedPoint());
    auto r2 = f.stack->execute(AddCi{sampleCi("z")});
    ASSERT_TRUE(r2.ok());
    EXPECT_EQ(*r2, (DirtyFiles{true, true}));  // CMDB row plus its audit row
    ASSERT_TRUE(f.stack->undo().ok());
    EXPECT_TRUE(f.stack->isAtSavedPoint());
    EXPECT_EQ(heard.size(), 3u);
    auto rec = f.stack->record("import", "{\"cis\":3}");
    ASSERT_TRUE(rec.ok());
    EXPECT_EQ(*rec, (DirtyFiles{true, false}));
}

TEST(Commands, StaleCommandIsRefusedAndChangesNothing) {
    Fixture f("stale");
    ASSERT_TRUE(f.stack->execute(AddChange{sampleChange("C1")}).ok());
    const auto before = f.snap();
    auto audit = f.ws->auditRows();
    auto r = f.stack->execute(SetChangeField{"C1", "title", "not the current title", "x", 0});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("changed since"), std::string::npos);
    EXPECT_EQ(f.snap(), before);
    EXPECT_EQ(f.ws->auditRows()->size(), audit->size());
    EXPECT_FALSE(f.stack->execute(AddChange{sampleChange("C1")}).ok());
    EXPECT_FALSE(f.stack->execute(SetChangeField{"C1", "nonsense", "", "x", 0}).ok());
    EXPECT_FALSE(f.stack->execute(SetChangeField{"C1", "plannedStart", "1767225600", "soon", 0}).ok());
    EXPECT_EQ(f.snap(), before);
}

TEST(Commands, StateChangesAreAuditedAsState) {
    Fixture f("state");
    ASSERT_TRUE(f.stack->execute(AddChange{sampleChange("C1")}).ok());
    ASSERT_TRUE(f.stack->execute(SetState{"C1", ChangeState::Authorized, ChangeState::Scheduled}).ok());
    auto rows = *f.ws->auditRows();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].kind, "state");
    EXPECT_EQ(rows[1].actor, "anna");
    EXPECT_EQ(rows[1].at, 1'800'000'000);
    auto parsed = commandFromJson(rows[1].payload, "audit");
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(std::get<SetState>(*parsed).after, ChangeState::Scheduled);
}
