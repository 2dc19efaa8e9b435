#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>

#include "io/cmdb_csv.hpp"
#include "io/cmdb_export.hpp"
#include "io/cmdb_import.hpp"
#include "../store/store_test_support.hpp"

using namespace planner::core;
using namespace planner::core::io;
using namespace planner::core::store;
using namespace planner::core::testing;

namespace {

const std::string kData = std::string(PLANNER_TEST_DATA_DIR) + "/cmdb/";

CmdbSource text(CmdbFormat f, const std::string& name, std::string content) {
    CmdbSource s;
    s.format = f;
    s.name = name;
    s.content = std::move(content);
    return s;
}

CmdbSource file(CmdbFormat f, const std::string& name) {
    CmdbSource s;
    s.format = f;
    s.name = name;
    s.path = kData + name;
    return s;
}

Workspace seeded(const std::string& name) {
    auto ws = Workspace::create(freshDir("import-" + name), "ws");
    EXPECT_TRUE(ws.ok());
    EXPECT_TRUE(ws->writeCmdb({sampleCi("keep1"), sampleCi("keep2")}, {{"keep1", "keep2", "depends_on"}},
                              CmdbWriteMode::Replace)
                    .ok());
    EXPECT_TRUE(ws->putChange(sampleChange("C1")).ok());
    return std::move(*ws);
}

std::vector<CsvRecord> readAll(const std::string& input, std::size_t chunk) {
    std::vector<CsvRecord> out;
    CsvReader r("t.csv");
    auto keep = [&](const CsvRecord& rec) -> Status {
        out.push_back(rec);
        return okStatus();
    };
    for (std::size_t i = 0; i < input.size(); i += chunk)
        EXPECT_TRUE(r.feed(std::string_view(input).substr(i, chunk), keep).ok());
    EXPECT_TRUE(r.finish(keep).ok());
    return out;
}

}  // namespace

TEST(CsvReader, QuotesLineEndsBomAndChunkBoundaries) {
    const std::string input = "\xEF\xBB\xBF" "a,\"b,1\",\"say \"\"hi\"\"\"\r\n\r\nx,\"multi\nline\",\r\nlast,row,z";
    for (std::size_t chunk : {1u, 2u, 3u, 7u, 1000u}) {
        auto recs = readAll(input, chunk);
        ASSERT_EQ(recs.size(), 3u) << chunk;
        EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"a", "b,1", "say \"hi\""}));
        EXPECT_EQ(recs[1].fields, (std::vector<std::string>{"x", "multi\nline", ""}));
        EXPECT_EQ(recs[1].line, 3);
        EXPECT_EQ(recs[2].fields, (std::vector<std::string>{"last", "row", "z"}));
        EXPECT_EQ(recs[2].line, 5);
        EXPECT_EQ(recs[2].columns, (std::vector<int>{1, 6, 10}));
    }
}

TEST(CsvReader, RecordsOfChangingWidthAndLongMultibyteFieldsAcrossChunks) {
    // Long runs of plain text, multibyte characters and records whose field
    // count changes must come out the same for every chunk size.
    const std::string longText(300, 'x');
    const std::string input =
        "a,b,c\n" + longText + ",caf\xC3\xA9 \xE2\x82\xAC,\"q " + longText + "\"\nd,e\n,,,\n\xC3\xA9,f,g";
    for (std::size_t chunk : {1u, 2u, 5u, 64u, 4096u}) {
        auto recs = readAll(input, chunk);
        ASSERT_EQ(recs.size(), 5u) << chunk;
        EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"a", "b", "c"}));
        EXPECT_EQ(recs[1].fields, (std::vector<std::string>{longText, "caf\xC3\xA9 \xE2\x82\xAC", "q " + longText}));
        // Columns count code points: 300 x's and a comma, then "café €" (6) and a comma.
        EXPECT_EQ(recs[1].columns, (std::vector<int>{1, 302, 309}));
        EXPECT_EQ(recs[2].fields, (std::vector<std::string>{"d", "e"}));
        EXPECT_EQ(recs[2].columns, (std::vector<int>{1, 3}));
        EXPECT_EQ(recs[3].fields, (std::vector<std::string>{"", "", "", ""}));
        EXPECT_EQ(recs[4].fields, (std::vector<std::string>{"\xC3\xA9", "f", "g"}));
        EXPECT_EQ(recs[4].columns, (std::vector<int>{1, 3, 5}));
        EXPECT_EQ(recs[4].line, 5);
    }
}

TEST(CsvReader, ErrorColumnsAfterLongAndMultibyteRuns) {
    for (std::size_t chunk : {1u, 3u, 4096u}) {
        CsvReader r("t.csv");
        auto ignore = [](const CsvRecord&) -> Status { return okStatus(); };
        const std::string input = "id,name\nx,\xC3\xA9t\xC3\xA9 longer text\"\n";
        Status st = okStatus();
        for (std::size_t i = 0; i < input.size() && st.ok(); i += chunk)
            st = r.feed(std::string_view(input).substr(i, chunk), ignore);
        ASSERT_FALSE(st.ok()) << chunk;
        EXPECT_EQ(st.error().line, 2);
        EXPECT_EQ(st.error().column, 18) << chunk;  // "x," is 2 code points, "été longer text" 15
        EXPECT_NE(st.error().message.find("unexpected '\"'"), std::string::npos);
    }
}

TEST(CmdbImport, CancelWhileWritingRowsChangesNothing) {
    auto ws = seeded("cancel-write");
    const auto before = *ws.snapshot();
    std::string cis = "id,name,tags\n";
    std::string rels = "from,to,type\n";
    for (int i = 0; i < 20000; ++i) {
        cis += "ci" + std::to_string(i) + ",name " + std::to_string(i) + ",pci;web\n";
        if (i > 0) rels += "ci" + std::to_string(i) + ",ci" + std::to_string(i / 2) + ",depends_on\n";
    }
    ImportOptions opt;
    std::int64_t writingCalls = 0, lastDone = 0;
    // The first half of the range is bytes parsed, the second rows written:
    // cancel at the second report from the write phase.
    opt.progress = [&](std::int64_t done, std::int64_t total) {
        EXPECT_GE(done, lastDone);
        lastDone = done;
        if (2 * done > total) ++writingCalls;
        return writingCalls < 2;
    };
    auto r = importCmdb(
        ws, {text(CmdbFormat::CiCsv, "cis.csv", cis), text(CmdbFormat::RelationshipCsv, "rels.csv", rels)}, opt);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("cancelled"), std::string::npos) << r.error().toString();
    EXPECT_EQ(writingCalls, 2);
    EXPECT_EQ(*ws.snapshot(), before);
    EXPECT_EQ(ws.auditRows()->size(), 0u);
    EXPECT_EQ(ws.cmdbCounts()->cis, 2);
    // The same import without cancelling goes through.
    opt.progress = {};
    auto ok =
        importCmdb(ws, {text(CmdbFormat::CiCsv, "cis.csv", cis), text(CmdbFormat::RelationshipCsv, "rels.csv", rels)});
    ASSERT_TRUE(ok.ok()) << ok.error().toString();
    EXPECT_EQ(ws.cmdbCounts()->cis, 20000);
    EXPECT_EQ(ws.cmdbCounts()->relationships, 19999);
}

TEST(CmdbImport, DuplicatesAcrossImportedAndWorkspaceCisAreDroppedOnce) {
    auto ws = seeded("dedupe");
    ImportOptions opt;
    opt.mode = CmdbWriteMode::Merge;
    // keep1 exists in the workspace and is imported again; n1 is new.
    auto r = importCmdb(ws,
                        {text(CmdbFormat::CiCsv, "c.csv", "id,name\nkeep1,again\nn1,new\n"),
                         text(CmdbFormat::RelationshipCsv, "r.csv",
                              "from,to,type\nn1,keep1,runs_on\nn1,keep2,runs_on\n n1 ,keep1,runs_on\n"
                              "n1,keep1,depends_on\nkeep2,n1,runs_on\nn1,keep2,runs_on\n")},
                        opt);
    ASSERT_TRUE(r.ok()) << r.error().toString();
    EXPECT_EQ(r->relationships, 4);
    ASSERT_EQ(r->warnings.size(), 2u);
    EXPECT_EQ(r->warnings[0].line, 4);
    EXPECT_EQ(r->warnings[1].line, 7);
    EXPECT_EQ(ws.cmdbCounts()->relationships, 5);  // keep1 -> keep2 stays
}

TEST(CmdbImport, OurTemplatesFromFiles) {
    auto ws = seeded("templates");
    auto r = importCmdb(ws, {file(CmdbFormat::CiCsv, "cis.csv"), file(CmdbFormat::RelationshipCsv, "relationships.csv")});
    ASSERT_TRUE(r.ok()) << r.error().toString();
    EXPECT_EQ(r->cis, 2);
    EXPECT_EQ(r->relationships, 1);
    auto db = ws.findCi("db1");
    ASSERT_TRUE(db->has_value());
    EXPECT_EQ((*db)->name, "Payments DB\nprimary");
    EXPECT_EQ((*db)->attributes.at("os"), "Oracle \"19c\"");
    EXPECT_EQ((**ws.findCi("app1")).tags, (std::vector<std::string>{"pci", "public"}));
    EXPECT_FALSE(ws.findCi("keep1")->has_value());  // replace mode
    auto audit = *ws.auditRows();
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].kind, "import");
    EXPECT_NE(audit[0].payload.find("\"cis\":2"), std::string::npos);
}

TEST(CmdbImport, ServiceNowExportsMapColumnsTypesAndNames) {
    auto ws = seeded("servicenow");
    auto r = importCmdb(ws, {file(CmdbFormat::ServiceNowCiCsv, "servicenow_cmdb_ci.csv"),
                             file(CmdbFormat::ServiceNowRelCsv, "servicenow_cmdb_rel_ci.csv")});
    ASSERT_TRUE(r.ok()) << r.error().toString();
    auto db = **ws.findCi("9f1a");
    EXPECT_EQ(db.type, "database");
    EXPECT_EQ(db.tier, 1);
    EXPECT_EQ(db.owner, "Fred Luddy");
    EXPECT_EQ(db.team, "DBA");
    EXPECT_EQ(db.environment, "production");
    EXPECT_EQ(db.attributes.at("operational_status"), "Operational");
    EXPECT_EQ((**ws.findCi("9f1c")).type, "server");
    auto rels = *ws.relationships();
    EXPECT_EQ(rels, (std::vector<Relationship>{{"9f1b", "9f1a", "depends_on"}, {"9f1b", "9f1c", "runs_on"},
                                               {"9f1d", "9f1b", "depends_on"}}));
}

TEST(CmdbImport, EdgeListMergeAndDuplicatesWarn) {
    auto ws = seeded("edges");
    ImportOptions opt;
    opt.mode = CmdbWriteMode::Merge;
    auto r = importCmdb(ws, {text(CmdbFormat::EdgeList, "e.txt", "keep2,keep1\nkeep2,keep1,runs_on\nkeep2,keep1\n")}, opt);
    ASSERT_TRUE(r.ok()) << r.error().toString();
    EXPECT_EQ(r->relationships, 2);
    ASSERT_EQ(r->warnings.size(), 1u);
    EXPECT_EQ(r->warnings[0].line, 3);
    EXPECT_EQ(ws.cmdbCounts()->relationships, 3);
    EXPECT_EQ(ws.cmdbCounts()->cis, 2);
}

TEST(CmdbImport, JsonTemplateAndExportRoundTrips) {
    auto ws = seeded("json");
    std::vector<ConfigItem> cis = {sampleCi("a"), sampleCi("b"), sampleCi("c")};
    cis[1].attributes.clear();
    cis[2].tags.clear();
    std::vector<Relationship> rels = {{"a", "b", "depends_on"}, {"b", "c", "member_of"}, {"c", "a", "backs_up"}};
    struct Case { CmdbFormat ci; std::string ciText; CmdbFormat rel; std::string relText; };
    std::vector<Case> cases = {
        {CmdbFormat::CiCsv, exportCiCsv(cis), CmdbFormat::RelationshipCsv, exportRelationshipCsv(rels)},
        {CmdbFormat::CiCsv, exportCiCsv(cis), CmdbFormat::EdgeList, exportEdgeList(rels)},
        {CmdbFormat::Json, exportCmdbJson(cis, {}), CmdbFormat::Json, exportCmdbJson({}, rels)},
    };
    for (const auto& c : cases) {
        auto r = importCmdb(ws, {text(c.ci, "cis", c.ciText), text(c.rel, "rels", c.relText)});
        ASSERT_TRUE(r.ok()) << r.error().toString();
        EXPECT_EQ(*ws.cis(), cis);
        EXPECT_EQ(*ws.relationships(), rels);
    }
    auto sn = importCmdb(ws, {text(CmdbFormat::ServiceNowCiCsv, "ci", exportServiceNowCiCsv(cis)),
                              text(CmdbFormat::ServiceNowRelCsv, "rel", exportServiceNowRelCsv(rels))});
    ASSERT_TRUE(sn.ok()) << sn.error().toString();
    EXPECT_EQ(*ws.relationships(), rels);
    EXPECT_EQ((**ws.findCi("a")).attributes, cis[0].attributes);
}

TEST(CmdbExport, EveryWholeCmdbFormatImportsBackToTheSameCmdb) {
    std::vector<ConfigItem> cis = {sampleCi("a"), sampleCi("b"), sampleCi("c")};
    cis[2].tags.clear();
    const std::vector<Relationship> rels = {{"a", "b", "depends_on"}, {"b", "c", "member_of"}, {"c", "a", "backs_up"}};
    const std::map<std::string, CmdbFormat> formatOf = {
        {"cis.csv", CmdbFormat::CiCsv},           {"relationships.csv", CmdbFormat::RelationshipCsv},
        {"cmdb.json", CmdbFormat::Json},          {"cmdb_ci.csv", CmdbFormat::ServiceNowCiCsv},
        {"cmdb_rel_ci.csv", CmdbFormat::ServiceNowRelCsv}, {"edges.csv", CmdbFormat::EdgeList}};
    for (auto format : {CmdbExportFormat::Templates, CmdbExportFormat::Json, CmdbExportFormat::ServiceNow,
                        CmdbExportFormat::EdgeList}) {
        const std::string name = cmdbExportFormatName(format);
        EXPECT_EQ(cmdbExportFormatFromName(name), format);
        const auto files = exportCmdbFiles(format, cis, rels);
        ASSERT_FALSE(files.empty()) << name;
        auto ws = Workspace::create(freshDir("export-" + name), "ws");
        ASSERT_TRUE(ws.ok());
        ImportOptions opt;
        // An edge list carries no CIs: it goes into a workspace that has them.
        if (format == CmdbExportFormat::EdgeList) {
            ASSERT_TRUE(ws->writeCmdb(cis, {}, CmdbWriteMode::Replace).ok());
            opt.mode = CmdbWriteMode::Merge;
        }
        std::vector<CmdbSource> sources;
        for (const auto& [file, content] : files) sources.push_back(text(formatOf.at(file), file, content));
        auto r = importCmdb(*ws, sources, opt);
        ASSERT_TRUE(r.ok()) << name << ": " << r.error().toString();
        EXPECT_EQ(*ws->relationships(), rels) << name;
        if (format != CmdbExportFormat::ServiceNow) EXPECT_EQ(*ws->cis(), cis) << name;
        else EXPECT_EQ(ws->cis()->size(), cis.size());
    }
    EXPECT_FALSE(cmdbExportFormatFromName("xml").has_value());
}

TEST(CmdbExport, FormulaGuardedCellsImportBackToTheirValues) {
    // Values a spreadsheet would run as formulas are written with a leading
    // apostrophe, and the importer takes exactly one apostrophe off again.
    std::vector<ConfigItem> cis = {sampleCi("=calc"), sampleCi("-1"), sampleCi("'@quoted"), sampleCi("plain")};
    cis[0].name = "=HYPERLINK(\"http://example.org\")";
    cis[1].owner = "+44 20 7946 0000";
    cis[2].name = "''=two apostrophes";
    cis[3].attributes["formula"] = "@SUM(A1:A9)";
    cis[3].location = "'not guarded";
    // In the order the importer returns relationships (sorted by their ends).
    const std::vector<Relationship> rels = {{"'@quoted", "plain", "runs_on"}, {"=calc", "-1", "depends_on"}};
    const std::string ciCsv = exportCiCsv(cis);
    EXPECT_NE(ciCsv.find("\r\n'=calc,\"'=HYPERLINK(\"\"http://example.org\"\")\","), std::string::npos) << ciCsv;
    EXPECT_NE(ciCsv.find("'''=two apostrophes"), std::string::npos) << ciCsv;
    EXPECT_NE(ciCsv.find(",'not guarded,"), std::string::npos) << ciCsv;
    auto parsed = parseCmdb({text(CmdbFormat::CiCsv, "cis.csv", ciCsv),
                             text(CmdbFormat::RelationshipCsv, "relationships.csv", exportRelationshipCsv(rels))},
                            {});
    ASSERT_TRUE(parsed.ok()) << parsed.error().toString();
    EXPECT_EQ(parsed->cis, cis);
    EXPECT_EQ(parsed->relationships, rels);
    auto sn = parseCmdb({text(CmdbFormat::ServiceNowCiCsv, "cmdb_ci.csv", exportServiceNowCiCsv(cis)),
                         text(CmdbFormat::ServiceNowRelCsv, "cmdb_rel_ci.csv", exportServiceNowRelCsv(rels))},
                        {});
    ASSERT_TRUE(sn.ok()) << sn.error().toString();
    EXPECT_EQ(sn->relationships, rels);
    ASSERT_EQ(sn->cis.size(), cis.size());
    EXPECT_EQ(sn->cis[0].name, cis[0].name);
}

TEST(CmdbImport, ProgressIsReportedAndCancelChangesNothing) {
    auto ws = seeded("cancel");
    std::string csv = "id,name\n";
    for (int i = 0; i < 30000; ++i) csv += "ci" + std::to_string(i) + ",name " + std::to_string(i) + "\n";
    const auto before = *ws.snapshot();
    std::int64_t last = 0, total = 0;
    ImportOptions opt;
    opt.progress = [&](std::int64_t done, std::int64_t t) {
        EXPECT_GE(done, last);
        last = done;
        total = t;
        return true;
    };
    ASSERT_TRUE(importCmdb(ws, {text(CmdbFormat::CiCsv, "big.csv", csv)}, opt).ok());
    EXPECT_EQ(last, total);
    EXPECT_EQ(ws.cmdbCounts()->cis, 30000);
    auto ws2 = seeded("cancel2");
    const auto before2 = *ws2.snapshot();
    int calls = 0;
    std::string bigger = "id,name\n";
    for (int i = 0; i < 60000; ++i) bigger += "ci" + std::to_string(i) + ",name " + std::to_string(i) + "\n";
    opt.progress = [&](std::int64_t done, std::int64_t t) { return ++calls < 3 && done <= t; };
    auto r = importCmdb(ws2, {text(CmdbFormat::CiCsv, "big.csv", bigger)}, opt);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("cancelled"), std::string::npos);
    EXPECT_EQ(*ws2.snapshot(), before2);
    EXPECT_EQ(ws2.auditRows()->size(), 0u);
    (void)before;
}

// ---- the import in slices (what the app drives frame by frame) ----

namespace {

std::vector<CmdbSource> chainSources(int count) {
    std::string cis = "id,name,tags\n";
    std::string rels = "from,to,type\n";
    for (int i = 0; i < count; ++i) {
        cis += "ci" + std::to_string(i) + ",name " + std::to_string(i) + ",pci\n";
        if (i > 0) rels += "ci" + std::to_string(i) + ",ci" + std::to_string(i / 2) + ",depends_on\n";
    }
    return {text(CmdbFormat::CiCsv, "cis.csv", cis), text(CmdbFormat::RelationshipCsv, "rels.csv", rels)};
}

// Steps `job` with a zero budget (one slice per step) until `stop` says so
// or the job ends; returns the number of steps.
int stepUntil(CmdbImportJob& job, const std::function<bool()>& stop) {
    int steps = 0;
    while (!job.finished() && !stop()) {
        auto r = job.step(0);
        ++steps;
        EXPECT_TRUE(r.ok()) << r.error().toString();
        if (!r.ok()) break;
    }
    return steps;
}

}  // namespace

TEST(CmdbImportJob, RunsInSlicesWithRisingProgressAndEndsLikeTheOneShotImport) {
    auto ws = seeded("job-slices");
    ImportOptions opt;
    opt.mode = CmdbWriteMode::Merge;
    opt.actor = "anna";
    opt.atUtc = 1000;
    CmdbImportJob job(ws, chainSources(20000), opt);
    double lastFraction = 0;
    std::vector<std::string> phases;
    const int steps = stepUntil(job, [&] {
        EXPECT_GE(job.fraction(), lastFraction);
        lastFraction = job.fraction();
        if (phases.empty() || phases.back().substr(0, 12) != job.phase().substr(0, 12)) phases.push_back(job.phase());
        return false;
    });
    ASSERT_TRUE(job.finished());
    EXPECT_DOUBLE_EQ(job.fraction(), 1.0);
    // start, two files, check, ~20 row slices of 2048, indexes, commit
    EXPECT_GE(steps, 20);
    EXPECT_NE(std::find(phases.begin(), phases.end(), "Reading cis.csv"), phases.end());
    EXPECT_NE(std::find(phases.begin(), phases.end(), "Reading rels.csv"), phases.end());
    EXPECT_NE(std::find(phases.begin(), phases.end(), "Building indexes"), phases.end());
    EXPECT_EQ(job.summary().cis, 20000);
    EXPECT_EQ(job.summary().relationships, 19999);

    auto oneShot = seeded("job-one-shot");
    ASSERT_TRUE(importCmdb(oneShot, chainSources(20000), opt).ok());
    EXPECT_EQ(ws.snapshot()->data.cis, oneShot.snapshot()->data.cis);
    EXPECT_EQ(ws.snapshot()->data.relationships, oneShot.snapshot()->data.relationships);
    auto audit = ws.auditRows();
    ASSERT_EQ(audit->size(), 1u);
    EXPECT_EQ((*audit)[0].kind, "import");
    EXPECT_EQ((*audit)[0].actor, "anna");
    EXPECT_TRUE(ws.verifyAuditChain()->ok);
    EXPECT_EQ(*ws.integrityCheck(), "ok");
    EXPECT_EQ(ws.lastCommitDirty(), (DirtyFiles{true, true}));
}

TEST(CmdbImportJob, OtherWritesAreRefusedWhileItRunsAndCancelChangesNothing) {
    auto ws = seeded("job-cancel");
    const auto before = *ws.snapshot();
    CmdbImportJob job(ws, chainSources(20000));
    stepUntil(job, [&] { return job.phase().rfind("Writing rows: 8192", 0) == 0; });
    ASSERT_FALSE(job.finished());
    ASSERT_TRUE(ws.holdingTransaction());
    // A write from elsewhere is refused and does not join the import.
    auto refused = ws.putChange(sampleChange("C2"));
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("import is in progress"), std::string::npos) << refused.error().toString();
    // A second import cannot start either, and does not disturb the first.
    {
        CmdbImportJob second(ws, chainSources(10));
        auto r = second.step(0);
        ASSERT_FALSE(r.ok());
        EXPECT_TRUE(second.finished());
    }
    EXPECT_TRUE(ws.holdingTransaction());
    job.cancel();
    auto r = job.step(1000);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("cancelled"), std::string::npos) << r.error().toString();
    EXPECT_FALSE(ws.holdingTransaction());
    EXPECT_EQ(*ws.snapshot(), before);
    EXPECT_EQ(ws.auditRows()->size(), 0u);
    EXPECT_EQ(*ws.integrityCheck(), "ok");
    // The workspace takes writes again, with foreign keys enforced again.
    EXPECT_TRUE(ws.putChange(sampleChange("C2")).ok());
    EXPECT_FALSE(ws.putRelationship({"keep1", "nowhere", "depends_on"}).ok());
}

TEST(CmdbImportJob, DroppingAnUnfinishedJobOrABadSecondFileChangesNothing) {
    auto ws = seeded("job-drop");
    const auto before = *ws.snapshot();
    {
        CmdbImportJob job(ws, chainSources(20000));
        stepUntil(job, [&] { return job.phase().rfind("Building", 0) == 0; });
        ASSERT_FALSE(job.finished());
    }
    EXPECT_FALSE(ws.holdingTransaction());
    EXPECT_EQ(*ws.snapshot(), before);
    auto sources = chainSources(100);
    sources[1].content += "ci5,ci404,depends_on\n";
    CmdbImportJob bad(ws, sources);
    Result<bool> r = false;
    while ((r = bad.step(0)).ok() && !*r) {
    }
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("ci404"), std::string::npos) << r.error().toString();
    EXPECT_EQ(r.error().file, "rels.csv");
    EXPECT_EQ(r.error().line, 101);
    EXPECT_TRUE(bad.finished());
    EXPECT_FALSE(ws.holdingTransaction());
    EXPECT_EQ(*ws.snapshot(), before);
    EXPECT_EQ(ws.auditRows()->size(), 0u);
}

// ---- malformed inputs: each has its own message and leaves the workspace unchanged ----

struct Malformed {
    const char* label;
    CmdbFormat format;
    std::string content;
    const char* expected;   // part of the message
    int line;
    int column;             // 0 = not checked
    bool merge = false;     // merge mode: workspace CIs keep1, keep2 are valid ends
};

class MalformedImport : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedImport, FailsWithItsMessageAndChangesNothing) {
    const Malformed& m = GetParam();
    auto ws = seeded(std::string("bad-") + m.label);
    const auto before = *ws.snapshot();
    ImportOptions opt;
    if (m.merge) opt.mode = CmdbWriteMode::Merge;
    auto r = importCmdb(ws, {text(m.format, "input.csv", m.content)}, opt);
    ASSERT_FALSE(r.ok()) << m.label;
    EXPECT_NE(r.error().message.find(m.expected), std::string::npos) << r.error().toString();
    EXPECT_EQ(r.error().file, "input.csv") << r.error().toString();
    EXPECT_EQ(r.error().line, m.line) << r.error().toString();
    if (m.column) EXPECT_EQ(r.error().column, m.column) << r.error().toString();
    EXPECT_EQ(*ws.snapshot(), before);
    EXPECT_EQ(ws.auditRows()->size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedImport,
    ::testing::Values(
        Malformed{"quote_in_unquoted", CmdbFormat::CiCsv, "id,name\na,na\"me\n", "unexpected '\"' inside an unquoted field", 2, 5},
        Malformed{"text_after_quote", CmdbFormat::CiCsv, "id,name\na,\"name\"x\n", "after the closing quote, found 'x'", 2, 9},
        Malformed{"unterminated_quote", CmdbFormat::CiCsv, "id,name\na,\"name\nb,c\n", "unterminated quoted field", 2, 3},
        Malformed{"too_many_columns", CmdbFormat::CiCsv, "id,name\r\na,b,c\r\n", "expected 2 fields as in the header, found 3", 2, 5},
        Malformed{"too_few_columns", CmdbFormat::CiCsv, "id,name,type\na,b\n", "expected 3 fields as in the header, found 2", 2, 0},
        Malformed{"missing_id", CmdbFormat::CiCsv, "id,name\nx,ok\n,no id\n", "missing CI id", 3, 1},
        Malformed{"missing_name", CmdbFormat::CiCsv, "id,name\nx,\n", "missing name of CI \"x\"", 2, 3},
        Malformed{"duplicate_id", CmdbFormat::CiCsv, "id,name\nx,one\ny,two\nx,three\n", "duplicate CI id \"x\" (first defined at input.csv:2)", 4, 1},
        Malformed{"bad_tier", CmdbFormat::CiCsv, "id,name,tier\nx,n,7\n", "invalid tier \"7\"", 2, 5},
        Malformed{"unknown_column", CmdbFormat::CiCsv, "id,name,colour\nx,n,red\n", "unknown column \"colour\"", 1, 9},
        Malformed{"missing_header_column", CmdbFormat::CiCsv, "name,type\nn,server\n", "missing column \"id\"", 1, 1},
        Malformed{"invalid_utf8", CmdbFormat::CiCsv, "id,name\nx,caf\xC3\n", "invalid UTF-8", 2, 6},
        Malformed{"overlong_utf8", CmdbFormat::CiCsv, "id,name\nx,\xC0\xAF\n", "invalid UTF-8", 2, 3},
        Malformed{"nul_byte", CmdbFormat::CiCsv, std::string("id,name\nx,a\0b\n", 14), "NUL byte", 2, 4},
        Malformed{"empty_file", CmdbFormat::CiCsv, "", "empty file", 1, 1},
        Malformed{"bom_only", CmdbFormat::CiCsv, "\xEF\xBB\xBF", "empty file", 1, 1},
        Malformed{"huge_field", CmdbFormat::CiCsv, "id,name\nx," + std::string(kMaxCsvFieldBytes + 10, 'a') + "\n", "field longer than", 2, 3},
        Malformed{"unknown_rel_type", CmdbFormat::RelationshipCsv, "from,to,type\nkeep1,keep2,likes\n", "unknown relationship type \"likes\"", 2, 13},
        Malformed{"dangling_end", CmdbFormat::RelationshipCsv, "from,to,type\r\nkeep1,ghost,depends_on\r\n", "relationship end \"ghost\" is not a known CI", 2, 7, true},
        Malformed{"self_loop", CmdbFormat::EdgeList, "x,x\n", "to itself", 1, 1},
        Malformed{"edge_list_width", CmdbFormat::EdgeList, "a,b,depends_on,extra\n", "expected 2 or 3 fields", 1, 0},
        Malformed{"servicenow_no_sys_id", CmdbFormat::ServiceNowCiCsv, "name,sys_class_name\nx,cmdb_ci_appl\n", "missing column \"sys_id\"", 1, 1},
        Malformed{"servicenow_bad_rel", CmdbFormat::ServiceNowRelCsv, "parent,child,type\nkeep1,keep2,Frobs::Frobbed by\n", "unknown relationship type \"Frobs::Frobbed by\"", 2, 13},
        Malformed{"json_syntax", CmdbFormat::Json, "{\"schemaVersion\": 1,\n \"cis\": [ {\"id\": \"a\",} ]}", "malformed JSON", 2, 0},
        Malformed{"json_missing_id", CmdbFormat::Json, "{\"schemaVersion\": 1,\n \"cis\": [\n  {\"name\": \"a\"}]}", "missing CI id", 3, 0},
        Malformed{"json_bad_tier", CmdbFormat::Json, "{\"schemaVersion\": 1, \"cis\": [\n {\"id\": \"a\", \"name\": \"b\", \"tier\": \"high\"}]}", "expected \"tier\" to be 1, 2, 3 or 4", 2, 0},
        Malformed{"json_dangling", CmdbFormat::Json, "{\"schemaVersion\": 1, \"cis\": [], \"relationships\": [{\"from\": \"keep1\", \"to\": \"nope\", \"type\": \"runs_on\"}]}", "relationship end \"nope\"", 1, 75, true},
        Malformed{"json_dangling_multiline", CmdbFormat::Json, "{\"schemaVersion\": 1,\n \"cis\": [{\"id\": \"a\", \"name\": \"A\"}],\n \"relationships\": [\n  {\"from\": \"a\", \"to\": \"a\", \"type\": \"runs_on\"}]}", "to itself", 4, 12},
        Malformed{"json_nul", CmdbFormat::Json, std::string("{\"schemaVersion\": 1,\n \"cis\": []}\0{\"x\":1}", 40), "NUL byte", 2, 12},
        Malformed{"replace_needs_own_cis", CmdbFormat::RelationshipCsv, "from,to,type\nkeep1,keep2,runs_on\n", "relationship end \"keep1\" is not a known CI", 2, 1}),
    [](const ::testing::TestParamInfo<Malformed>& info) { return std::string(info.param.label); });
