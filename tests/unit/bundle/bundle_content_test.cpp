#include "bundle/bundle_content.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "bundle/bundle.hpp"
#include "crypto/keys.hpp"
#include "demo/demo_workspace.hpp"
#include "schedule/ics.hpp"

namespace planner::core::bundle {
namespace {

constexpr TimeUtc kNow = 1795000000;  // 2026-11-19

// Settings of a receiving site for every ticketing system but Jira.
io::TicketingSettings fullSite() {
    io::TicketingSettings site;
    site.itopOrganization = "Demo Org";
    site.itopChangeModel = io::ItopChangeModel::Default;
    site.glpiEntityId = 0;
    site.freshserviceRequesterId = 42;
    return site;
}

// The first demo change that is planned and names affected CIs.
const ChangeRequest& plannedChange(const WorkspaceData& data) {
    auto it = std::find_if(data.changes.begin(), data.changes.end(), [](const ChangeRequest& c) {
        return c.plannedStart != 0 && c.plannedEnd > c.plannedStart && !c.affectedCis.empty();
    });
    EXPECT_NE(it, data.changes.end());
    return *it;
}

TEST(BundleContent, ChangeExportHasImpactWindowsAndPlannedInterval) {
    const WorkspaceData data = generateDemoWorkspace(kNow);
    const ChangeRequest& c = plannedChange(data);
    ChangeExportOptions options;
    options.generatedAt = kNow;
    const policy::Policy policy = policy::defaultPolicy();
    options.policy = &policy;
    auto exp = buildChangeExport(data, c.id, options);
    ASSERT_TRUE(exp.ok()) << exp.error().toString();
    EXPECT_EQ(exp->change, c);
    for (const std::string& id : c.affectedCis) {
        EXPECT_TRUE(std::any_of(exp->context.impactedCis.begin(), exp->context.impactedCis.end(),
                                [&](const ConfigItem& ci) { return ci.id == id; }))
            << id;
    }
    EXPECT_TRUE(std::is_sorted(exp->context.impactedCis.begin(), exp->context.impactedCis.end(),
                               [](const ConfigItem& a, const ConfigItem& b) { return a.id < b.id; }));
    for (const Relationship& r : exp->context.relationships) {
        EXPECT_NE(exp->context.findCi(r.from), nullptr);
        EXPECT_NE(exp->context.findCi(r.to), nullptr);
    }
    EXPECT_FALSE(exp->context.riskLevel.empty());
    EXPECT_TRUE(exp->context.conflictsChecked);
    ASSERT_TRUE(exp->planned.has_value());
    EXPECT_EQ(exp->planned->interval.start, c.plannedStart);
    EXPECT_EQ(exp->context.people.size(), data.people.size());
}

TEST(BundleContent, UnsignedApprovalsAndStateDoNotReachThePayloadsOrCountInTheReport) {
    WorkspaceData data = generateDemoWorkspace(kNow);
    ChangeRequest c = plannedChange(data);
    c.state = ChangeState::Authorized;
    c.approvals = {Approval{"a.dubois", "cab_member", Decision::Approve, kNow, "ok", "", false}};
    for (ChangeRequest& x : data.changes) {
        if (x.id == c.id) x = c;
    }
    auto exp = buildChangeExport(data, c.id, ChangeExportOptions{kNow, nullptr, fullSite()});
    ASSERT_TRUE(exp.ok());
    auto files = bundleContentFiles(*exp);
    ASSERT_TRUE(files.ok()) << files.error().toString();
    // change.json keeps what was written; verifiers mark it unsigned.
    EXPECT_NE(files->at("change.json").find("\"approvals\":[{"), std::string::npos);
    EXPECT_NE(files->at("report.html").find("Written in the change: unsigned, not counted"), std::string::npos);
    EXPECT_NE(files->at("report.html").find("Only approval signatures in the bundle count"), std::string::npos);
    EXPECT_NE(files->at("payloads/glpi.json").find("\"ChangeValidation\":[]"), std::string::npos)
        << files->at("payloads/glpi.json");
    EXPECT_NE(files->at("payloads/servicenow.json").find("\"state_moves\":[{\"state\":\"-4\"},{\"state\":\"-3\"}]"),
              std::string::npos)
        << "assessed, not authorized: no approval signature backs it";
    EXPECT_EQ(files->at("payloads/glpi.json").find("a.dubois"), std::string::npos);
}

TEST(BundleContent, UnknownChangeIsAnError) {
    const WorkspaceData data = generateDemoWorkspace(kNow);
    auto exp = buildChangeExport(data, "CHG-NOPE", {});
    ASSERT_FALSE(exp.ok());
    EXPECT_NE(exp.error().message.find("CHG-NOPE"), std::string::npos);
}

TEST(BundleContent, FilesIncludeSvgAndIcsAndAreDeterministic) {
    const WorkspaceData data = generateDemoWorkspace(kNow);
    const ChangeRequest& c = plannedChange(data);
    ChangeExportOptions options;
    options.generatedAt = kNow;
    options.site = fullSite();
    auto a = bundleContentFiles(*buildChangeExport(data, c.id, options));
    auto b = bundleContentFiles(*buildChangeExport(data, c.id, options));
    ASSERT_TRUE(a.ok()) << a.error().toString();
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(*a, *b);
    for (const char* path : {"change.json", "cmdb-slice.json", "runbook.md", "report.html", "graph.dot", "graph.svg",
                             "schedule.ics", "payloads/servicenow.json", "payloads/glpi.json", "payloads/itop.json",
                             "payloads/freshservice.json", "changes.csv"}) {
        ASSERT_TRUE(a->count(path)) << path;
        EXPECT_FALSE(a->at(path).empty()) << path;
    }
    EXPECT_FALSE(a->count("payloads/jira.json"));  // only with a mapping

    const std::string& svg = a->at("graph.svg");
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
    EXPECT_NE(svg.find("<polyline"), std::string::npos);
    EXPECT_NE(svg.find("<rect"), std::string::npos);
    EXPECT_EQ(svg.find("<script"), std::string::npos);

    // The ICS reads back: the windows as windows, the planned change as a CHANGE event.
    const std::string& ics = a->at("schedule.ics");
    EXPECT_NE(ics.find("CATEGORIES:CHANGE"), std::string::npos);
    EXPECT_NE(ics.find("\r\n"), std::string::npos);
    schedule::IcsImportOptions io;
    io.fileName = "schedule.ics";
    auto windows = schedule::importIcs(ics, io);
    ASSERT_TRUE(windows.ok()) << windows.error().toString();
    EXPECT_EQ(windows->size(), buildChangeExport(data, c.id, options)->windows.size());

    // Signed bundles of the same change, key and time are byte-identical.
    const crypto::KeyPair key =
        crypto::keyPairFromSeed(reinterpret_cast<const std::uint8_t*>("0123456789abcdef0123456789abcdef"),
                                crypto::KeyId{1, 2, 3, 4, 5, 6, 7, 8});
    BundleInput in{*a, c.id, "Ada", "", kNow};
    BundleInput in2{*b, c.id, "Ada", "", kNow};
    EXPECT_EQ(*writeBundle(in, key), *writeBundle(in2, key));
}

TEST(BundleContent, DifferentGenerationTimeChangesIcsStamp) {
    const WorkspaceData data = generateDemoWorkspace(kNow);
    const ChangeRequest& c = plannedChange(data);
    ChangeExportOptions early, late;
    early.generatedAt = kNow;
    late.generatedAt = kNow + 3600;
    auto a = changeScheduleIcs(*buildChangeExport(data, c.id, early));
    auto b = changeScheduleIcs(*buildChangeExport(data, c.id, late));
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_NE(*a, *b);
}

}  // namespace
}  // namespace planner::core::bundle
