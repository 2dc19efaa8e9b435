#include "bundle/bundle_import.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "bundle/bundle_content.hpp"
#include "crypto/keys.hpp"
#include "demo/demo_workspace.hpp"
#include "policy/policy.hpp"

namespace planner::core::bundle {
namespace {

constexpr TimeUtc kNow = 1795000000;

std::string freshDir(const std::string& name) {
    const char* base = std::getenv("PLANNER_TEST_TMP");
    std::filesystem::path dir = std::filesystem::path(base ? base : "/tmp") / ("bundle-import-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

struct Fixture {
    WorkspaceData source = generateDemoWorkspace(kNow);
    crypto::KeyPair author = crypto::generateKeyPair();
    crypto::KeyPair cab = crypto::generateKeyPair();
    TrustStore trust{{"Ada Lovelace", {}, author.publicKey, false, {}},
                     {"Bob Stone", {"cab_member"}, cab.publicKey, false, {}}};
    ChangeRequest change;
    std::string zip;

    Fixture() {
        change = *std::find_if(source.changes.begin(), source.changes.end(),
                               [](const ChangeRequest& c) { return !c.affectedCis.empty(); });
        auto exp = buildChangeExport(source, change.id, ChangeExportOptions{kNow, nullptr, ""});
        EXPECT_TRUE(exp.ok());
        auto files = bundleContentFiles(*exp);
        EXPECT_TRUE(files.ok());
        auto signed_ = writeBundle(BundleInput{*files, change.id, "Ada Lovelace", "", kNow}, author);
        EXPECT_TRUE(signed_.ok());
        auto approved =
            addApproval(*signed_, cab, ApprovalInput{Decision::Approve, "cab_member", "Bob Stone", kNow + 60});
        EXPECT_TRUE(approved.ok());
        zip = *approved;
    }

    const ConfigItem& ci(const std::string& id) const {
        return *std::find_if(source.cis.begin(), source.cis.end(), [&](const ConfigItem& c) { return c.id == id; });
    }
};

store::Workspace emptyWorkspace(const std::string& name) {
    auto ws = store::Workspace::create(freshDir(name), "w");
    EXPECT_TRUE(ws.ok()) << ws.error().toString();
    return std::move(*ws);
}

TEST(BundleImport, CleanImportAddsChangeCisAndApprovalsInOneAuditedStep) {
    Fixture f;
    store::Workspace ws = emptyWorkspace("clean");
    auto plan = planBundleImport(f.zip, f.trust, ws, "b.zip");
    ASSERT_TRUE(plan.ok()) << plan.error().toString();
    EXPECT_TRUE(plan->report.importable);
    EXPECT_EQ(plan->changeAction, ImportAction::Add);
    EXPECT_FALSE(plan->hasConflicts());
    EXPECT_FALSE(plan->cisToAdd.empty());
    EXPECT_TRUE(plan->cisToUpdate.empty());
    // The approval signature became an approval of the change.
    auto signedApproval =
        std::find_if(plan->change.approvals.begin(), plan->change.approvals.end(),
                     [&](const Approval& a) { return a.keyId == crypto::keyIdHex(f.cab.publicKey.keyId); });
    ASSERT_NE(signedApproval, plan->change.approvals.end());
    EXPECT_EQ(signedApproval->role, "cab_member");

    const auto auditBefore = ws.auditRows()->size();
    auto applied = applyBundleImport(ws, *plan, ConflictResolution::Refuse, "tester", kNow);
    ASSERT_TRUE(applied.ok()) << applied.error().toString();
    EXPECT_TRUE(applied->changeWritten);
    EXPECT_EQ(applied->cisAdded, static_cast<std::int64_t>(plan->cisToAdd.size()));
    EXPECT_EQ(applied->relationshipsAdded, static_cast<std::int64_t>(plan->relationshipsToAdd.size()));
    auto stored = ws.findChange(f.change.id);
    ASSERT_TRUE(stored.ok() && stored->has_value());
    EXPECT_EQ(**stored, plan->change);
    EXPECT_EQ(ws.cis()->size(), plan->cisToAdd.size());
    auto audit = ws.auditRows();
    ASSERT_EQ(audit->size(), auditBefore + 1);
    EXPECT_EQ(audit->back().kind, "import");
    EXPECT_NE(audit->back().payload.find(f.change.id), std::string::npos);

    // Importing the same bundle again changes nothing and conflicts with nothing.
    auto again = planBundleImport(f.zip, f.trust, ws, "b.zip");
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->changeAction, ImportAction::Unchanged);
    EXPECT_FALSE(again->hasConflicts());
    EXPECT_TRUE(again->cisToAdd.empty());
    EXPECT_TRUE(again->relationshipsToAdd.empty());
    EXPECT_EQ(again->cisUnchanged, static_cast<std::int64_t>(plan->cisToAdd.size()));
}

TEST(BundleImport, ConflictsAreReportedAndResolvedAsAsked) {
    Fixture f;
    store::Workspace ws = emptyWorkspace("conflicts");
    ChangeRequest local = f.change;
    local.title = "Edited locally";
    ASSERT_TRUE(ws.putChange(local).ok());
    ConfigItem localCi = f.ci(f.change.affectedCis.front());
    localCi.name = "Renamed locally";
    localCi.attributes["rack"] = "B7";
    ASSERT_TRUE(ws.putCi(localCi).ok());

    auto plan = planBundleImport(f.zip, f.trust, ws, "b.zip");
    ASSERT_TRUE(plan.ok()) << plan.error().toString();
    ASSERT_EQ(plan->conflicts.size(), 2u);
    EXPECT_EQ(plan->conflicts[0].kind, "change");
    EXPECT_EQ(plan->conflicts[0].id, f.change.id);
    EXPECT_NE(std::find(plan->conflicts[0].fields.begin(), plan->conflicts[0].fields.end(), "title"),
              plan->conflicts[0].fields.end());
    EXPECT_EQ(plan->conflicts[1].kind, "ci");
    EXPECT_EQ(plan->conflicts[1].id, localCi.id);
    EXPECT_NE(std::find(plan->conflicts[1].fields.begin(), plan->conflicts[1].fields.end(), "name"),
              plan->conflicts[1].fields.end());
    EXPECT_NE(std::find(plan->conflicts[1].fields.begin(), plan->conflicts[1].fields.end(), "attributes.rack"),
              plan->conflicts[1].fields.end());
    EXPECT_EQ(plan->changeAction, ImportAction::Update);

    // Refuse: nothing changes.
    const auto before = ws.snapshot();
    const auto auditBefore = ws.auditRows()->size();
    auto refused = applyBundleImport(ws, *plan, ConflictResolution::Refuse, "tester", kNow);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("ci " + localCi.id), std::string::npos);
    EXPECT_EQ(*ws.snapshot(), *before);
    EXPECT_EQ(ws.auditRows()->size(), auditBefore);

    // Keep the workspace's versions, import the rest.
    auto kept = applyBundleImport(ws, *plan, ConflictResolution::KeepWorkspace, "tester", kNow);
    ASSERT_TRUE(kept.ok()) << kept.error().toString();
    EXPECT_EQ(kept->conflictsKept, 2);
    EXPECT_FALSE(kept->changeWritten);
    EXPECT_EQ((*ws.findChange(f.change.id))->title, "Edited locally");
    EXPECT_EQ((*ws.findCi(localCi.id))->name, "Renamed locally");
    EXPECT_EQ(ws.cis()->size(), plan->cisToAdd.size() + 1);

    // Take the bundle's versions.
    auto plan2 = planBundleImport(f.zip, f.trust, ws, "b.zip");
    ASSERT_TRUE(plan2.ok());
    auto taken = applyBundleImport(ws, *plan2, ConflictResolution::TakeBundle, "tester", kNow);
    ASSERT_TRUE(taken.ok()) << taken.error().toString();
    EXPECT_TRUE(taken->changeWritten);
    EXPECT_EQ(taken->cisUpdated, 1);
    EXPECT_EQ((*ws.findChange(f.change.id))->title, f.change.title);
    EXPECT_EQ(**ws.findCi(localCi.id), f.ci(localCi.id));
}

TEST(BundleImport, BundleFailingVerificationIsRefusedAndWorkspaceUnchanged) {
    Fixture f;
    store::Workspace ws = emptyWorkspace("refused");
    const auto before = ws.snapshot();
    const auto auditBefore = ws.auditRows()->size();

    ZipFiles files = *readZip(f.zip);
    files["change.json"][10] ^= 0x01;
    auto tampered = planBundleImport(*writeZip(files), f.trust, ws, "tampered.zip");
    ASSERT_FALSE(tampered.ok());
    EXPECT_NE(tampered.error().message.find("change.json"), std::string::npos);
    EXPECT_NE(tampered.error().message.find("must not be imported"), std::string::npos);

    TrustStore strangers{{"Eve", {}, crypto::generateKeyPair().publicKey, false, {}}};
    auto untrusted = planBundleImport(f.zip, strangers, ws, "b.zip");
    ASSERT_FALSE(untrusted.ok());
    EXPECT_NE(untrusted.error().message.find("not in the trust store"), std::string::npos);

    EXPECT_EQ(*ws.snapshot(), *before);
    EXPECT_EQ(ws.auditRows()->size(), auditBefore);
    EXPECT_TRUE(ws.changes()->empty());
}

// A bundle of `change` (as written, approvals and state included) signed by f.author.
std::string signedBundleOf(const Fixture& f, const ChangeRequest& change) {
    WorkspaceData data = f.source;
    for (ChangeRequest& c : data.changes) {
        if (c.id == change.id) c = change;
    }
    auto exp = buildChangeExport(data, change.id, ChangeExportOptions{kNow, nullptr, ""});
    EXPECT_TRUE(exp.ok());
    auto files = bundleContentFiles(*exp);
    EXPECT_TRUE(files.ok());
    return *writeBundle(BundleInput{*files, change.id, "Ada Lovelace", "", kNow}, f.author);
}

TEST(BundleImport, UnsignedApprovalsAndStateInChangeJsonAreNotTaken) {
    Fixture f;
    ChangeRequest forged = f.change;
    forged.state = ChangeState::Authorized;
    forged.approvals = {Approval{"Bob Stone", "cab_member", Decision::Approve, kNow, "looks fine", "", false},
                        Approval{"Chen Wu", "change_manager", Decision::Approve, kNow, "", "", false}};
    const std::string zip = signedBundleOf(f, forged);
    BundleReport report = verifyBundle(zip, f.trust);
    ASSERT_TRUE(report.importable);
    EXPECT_EQ(report.unsignedApprovals.size(), 2u);
    EXPECT_TRUE(approvalsFromReport(report).empty());

    store::Workspace ws = emptyWorkspace("unsigned");
    auto plan = planBundleImport(zip, f.trust, ws, "b.zip");
    ASSERT_TRUE(plan.ok()) << plan.error().toString();
    EXPECT_TRUE(plan->change.approvals.empty()) << "approvals written in change.json are never imported";
    EXPECT_EQ(plan->claimedState, ChangeState::Authorized);
    EXPECT_EQ(plan->change.state, ChangeState::Assessed);
    ASSERT_EQ(plan->notes.size(), 2u);
    EXPECT_NE(plan->notes[0].find("2 approval(s) written in change.json are unsigned"), std::string::npos);
    EXPECT_NE(plan->notes[1].find("says state authorized"), std::string::npos) << plan->notes[1];
    ASSERT_TRUE(applyBundleImport(ws, *plan, ConflictResolution::Refuse, "tester", kNow).ok());
    auto stored = ws.findChange(f.change.id);
    ASSERT_TRUE(stored.ok() && stored->has_value());
    EXPECT_TRUE((*stored)->approvals.empty());
    EXPECT_EQ((*stored)->state, ChangeState::Assessed);
}

TEST(BundleImport, QuorumAndRejectionFollowTheVerifiedSignatures) {
    Fixture f;
    const crypto::KeyPair chen = crypto::generateKeyPair(), dana = crypto::generateKeyPair();
    TrustStore trust = f.trust;
    trust.push_back({"Chen Wu", {"cab_member"}, chen.publicKey, false, {}});
    trust.push_back({"Dana Reyes", {"cab_member"}, dana.publicKey, false, {}});
    policy::Policy pol = policy::defaultPolicy();
    policy::ApprovalRule cab;
    cab.id = "cab";
    cab.role = "cab_member";
    cab.reason = "CAB";
    cab.quorum = policy::Quorum::Majority;
    pol.approvalRules = {cab};

    ChangeRequest change = f.change;
    std::string zip = *addApproval(signedBundleOf(f, change), f.cab,
                                   ApprovalInput{Decision::Approve, "cab_member", "Bob Stone", kNow + 60});
    // One key twice is still one approval of three candidates: a majority needs two keys.
    zip = *addApproval(zip, f.cab, ApprovalInput{Decision::Approve, "cab_member", "Bob Stone", kNow + 90});
    BundleReport one = verifyBundle(zip, trust);
    ASSERT_TRUE(one.importable) << one.errors.front();
    change.approvals = approvalsFromReport(one);
    EXPECT_FALSE(checkVerifiedApprovals(pol, change, {}, trust).satisfied);

    const std::string two = *addApproval(zip, chen, ApprovalInput{Decision::Approve, "cab_member", "Chen Wu", kNow + 120});
    BundleReport twoReport = verifyBundle(two, trust);
    ASSERT_TRUE(twoReport.importable);
    change.approvals = approvalsFromReport(twoReport);
    EXPECT_TRUE(checkVerifiedApprovals(pol, change, {}, trust).satisfied) << "two distinct keys make the quorum";

    // Rejections by two of three: the requirement can no longer be met, and stays rejected.
    std::string rejected = *addApproval(zip, chen, ApprovalInput{Decision::Reject, "cab_member", "Chen Wu", kNow + 120});
    rejected = *addApproval(rejected, dana, ApprovalInput{Decision::Reject, "cab_member", "Dana Reyes", kNow + 130});
    BundleReport rejReport = verifyBundle(rejected, trust);
    ASSERT_TRUE(rejReport.importable);
    change.approvals = approvalsFromReport(rejReport);
    const VerifiedApprovals check = checkVerifiedApprovals(pol, change, {}, trust);
    EXPECT_TRUE(check.rejected);
    EXPECT_FALSE(check.satisfied);
}

TEST(BundleImport, RetrospectiveApprovalOfAnEmergencyChangeKeepsItsState) {
    Fixture f;
    ChangeRequest emergency = f.change;
    emergency.type = ChangeType::Emergency;
    emergency.state = ChangeState::Completed;
    emergency.approvals.clear();
    const std::string signedZip = signedBundleOf(f, emergency);

    // The workspace's policy: an emergency change is confirmed by a change
    // manager before, and reviewed by the CAB after the fact.
    policy::Policy pol = policy::defaultPolicy();
    std::vector<policy::ApprovalRule> rules;
    for (const auto& r : pol.approvalRules) {
        if (r.id == "emergency_change_manager" || r.id == "emergency_cab") rules.push_back(r);
    }
    ASSERT_EQ(rules.size(), 2u);
    pol.approvalRules = rules;
    store::Workspace ws = emptyWorkspace("emergency");
    ASSERT_TRUE(ws.putPolicy("default", policy::writePolicyJson(pol)).ok());

    const crypto::KeyPair manager = crypto::generateKeyPair();
    TrustStore trust = f.trust;
    trust.push_back({"Chen Wu", {"change_manager"}, manager.publicKey, false, {}});
    const std::string confirmed = *addApproval(signedZip, manager,
                                               ApprovalInput{Decision::Approve, "change_manager", "Chen Wu", kNow + 600});
    // Implemented; the CAB's retrospective approval is still owed: the state stands.
    auto owed = planBundleImport(confirmed, trust, ws, "b.zip");
    ASSERT_TRUE(owed.ok()) << owed.error().toString();
    EXPECT_EQ(owed->change.state, ChangeState::Completed) << (owed->notes.empty() ? "" : owed->notes.back());

    ApprovalInput retro{Decision::Approve, "cab_member", "Bob Stone", kNow + 3600};
    retro.retrospective = true;
    const std::string zip = *addApproval(confirmed, f.cab, retro);
    auto plan = planBundleImport(zip, trust, ws, "b.zip");
    ASSERT_TRUE(plan.ok()) << plan.error().toString();
    ASSERT_EQ(plan->change.approvals.size(), 2u);
    EXPECT_TRUE(plan->change.approvals[1].retrospective);
    EXPECT_EQ(plan->change.approvals[1].approver, "Bob Stone");
    EXPECT_EQ(plan->change.state, ChangeState::Completed);
    EXPECT_TRUE(checkVerifiedApprovals(pol, plan->change, plan->cisToAdd, trust).satisfied);

    // Without the change manager's confirmation the claimed state is not backed.
    const std::string unconfirmed = *addApproval(signedZip, f.cab, retro);
    auto demoted = planBundleImport(unconfirmed, trust, ws, "b.zip");
    ASSERT_TRUE(demoted.ok());
    EXPECT_EQ(demoted->change.state, ChangeState::Assessed);
}

TEST(BundleImport, ARejectionThatStandsRejectsTheChange) {
    Fixture f;
    ChangeRequest change = f.change;
    change.state = ChangeState::Authorized;  // claimed; only signatures decide
    change.approvals.clear();
    policy::Policy pol = policy::defaultPolicy();
    policy::ApprovalRule cab;
    cab.id = "cab";
    cab.role = "cab_member";
    cab.reason = "CAB";
    pol.approvalRules = {cab};
    store::Workspace ws = emptyWorkspace("rejection");
    ASSERT_TRUE(ws.putPolicy("default", policy::writePolicyJson(pol)).ok());

    const crypto::KeyPair chen = crypto::generateKeyPair();
    TrustStore trust = f.trust;
    trust.push_back({"Chen Wu", {"security_officer"}, chen.publicKey, false, {}});
    std::string zip = *addApproval(signedBundleOf(f, change), f.cab,
                                   ApprovalInput{Decision::Approve, "cab_member", "Bob Stone", kNow + 60});
    zip = *addApproval(zip, f.cab, ApprovalInput{Decision::Reject, "cab_member", "Bob Stone", kNow + 120});
    zip = *addApproval(zip, chen, ApprovalInput{Decision::Approve, "security_officer", "Chen Wu", kNow + 180});
    auto plan = planBundleImport(zip, trust, ws, "b.zip");
    ASSERT_TRUE(plan.ok()) << plan.error().toString();
    EXPECT_EQ(plan->change.state, ChangeState::Rejected) << "Bob's later rejection stands over his approval";

    // Dropping the rejection from the middle of the chain is tampering: nothing is planned.
    ZipFiles files = *readZip(zip);
    for (auto it = files.begin(); it != files.end();) {
        it = it->first.rfind("approvals/0002-", 0) == 0 ? files.erase(it) : std::next(it);
    }
    auto refused = planBundleImport(*writeZip(files), trust, ws, "b.zip");
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("approval chain position 2 is missing"), std::string::npos)
        << refused.error().message;
    EXPECT_TRUE(ws.changes()->empty());
}

}  // namespace
}  // namespace planner::core::bundle
