// Feeds arbitrary bytes to the CMDB CSV importers (CI template, relationship
// template, edge list) and to the CSV reader itself, and checks properties
// (cmdb_fuzz_checks.hpp): errors name a file and a line; parsed CMDBs have
// unique ids and known relationship ends; what parses exports through
// core/io/cmdb_export and parses again to the same CIs and relationships;
// the reader gives the same records fed 3 bytes at a time as fed at once.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cmdb_fuzz_checks.hpp"
#include "io/cmdb_csv.hpp"
#include "io/cmdb_export.hpp"
#include "io/cmdb_import.hpp"

using namespace planner::core;
using namespace planner::core::io;
using planner::fuzz::require;

namespace {

struct Records {
    std::vector<CsvRecord> records;
    bool ok = true;
    std::string error;
};

Records readAll(const std::string& input, std::size_t chunk) {
    Records out;
    CsvReader reader("chunked.csv");
    auto keep = [&out](const CsvRecord& r) -> Status {
        out.records.push_back(r);
        return okStatus();
    };
    Status st = okStatus();
    for (std::size_t i = 0; st.ok() && i < input.size(); i += chunk) st = reader.feed(std::string_view(input).substr(i, chunk), keep);
    if (st.ok()) st = reader.finish(keep);
    out.ok = st.ok();
    if (!st.ok()) out.error = st.error().toString();
    return out;
}

bool sameRecords(const std::vector<CsvRecord>& a, const std::vector<CsvRecord>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].fields != b[i].fields || a[i].columns != b[i].columns || a[i].line != b[i].line) return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const std::size_t split = input.find('\x1e');

    // Our templates: CIs, and relationships after a 0x1E byte.
    std::vector<CmdbSource> sources{{CmdbFormat::CiCsv, "cis.csv", "", input.substr(0, split)}};
    if (split != std::string::npos) sources.push_back({CmdbFormat::RelationshipCsv, "rels.csv", "", input.substr(split + 1)});
    auto parsed = planner::fuzz::parseChecked(sources, {});
    if (parsed) {
        std::vector<CmdbSource> again{{CmdbFormat::CiCsv, "cis.csv", "", exportCiCsv(parsed->cis)}};
        if (split != std::string::npos)
            again.push_back({CmdbFormat::RelationshipCsv, "rels.csv", "", exportRelationshipCsv(parsed->relationships)});
        planner::fuzz::requireSameCmdb(parseCmdb(again, {}), parsed.value());
    }

    // The edge list, with two CIs already in the workspace.
    const std::vector<ConfigItem> known{ConfigItem{"a", "a"}, ConfigItem{"b", "b"}};
    auto edges = planner::fuzz::parseChecked({{CmdbFormat::EdgeList, "edges.txt", "", input}}, known);
    if (edges)
        planner::fuzz::requireSameCmdb(
            parseCmdb({{CmdbFormat::EdgeList, "edges.txt", "", exportEdgeList(edges->relationships)}}, known),
            edges.value());

    // The reader: chunk boundaries change nothing.
    const Records whole = readAll(input, input.size() + 1);
    const Records chunked = readAll(input, 3);
    require(whole.ok == chunked.ok);
    require(whole.error == chunked.error);
    require(sameRecords(whole.records, chunked.records));
    return 0;
}
