// Feeds arbitrary bytes to the CMDB CSV importers (CI template, relationship
// template, edge list) through the parser and validator: errors are fine,
// crashes and sanitizer reports are not.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/cmdb_csv.hpp"
#include "io/cmdb_import.hpp"

using namespace planner::core;
using namespace planner::core::io;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const std::size_t split = input.find('\x1e');
    CmdbSource cis{CmdbFormat::CiCsv, "cis.csv", "", input.substr(0, split)};
    std::vector<CmdbSource> sources{cis};
    if (split != std::string::npos) sources.push_back({CmdbFormat::RelationshipCsv, "rels.csv", "", input.substr(split + 1)});
    (void)parseCmdb(sources, {});
    (void)parseCmdb({{CmdbFormat::EdgeList, "edges.txt", "", input}}, {ConfigItem{"a", "a"}, ConfigItem{"b", "b"}});
    CsvReader reader("chunked.csv");
    auto ignore = [](const CsvRecord&) -> Status { return okStatus(); };
    bool ok = true;
    for (std::size_t i = 0; ok && i < input.size(); i += 3) ok = reader.feed(std::string_view(input).substr(i, 3), ignore).ok();
    if (ok) (void)reader.finish(ignore);
    return 0;
}
