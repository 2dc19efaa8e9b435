// Properties every CMDB importer must keep, shared by the CMDB fuzz targets.
// A broken property ends the run with __builtin_trap(), which libFuzzer
// reports as a crash and saves the input.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "io/cmdb_import.hpp"

namespace planner::fuzz {

using core::ConfigItem;
using core::Relationship;
using core::io::CmdbSource;
using core::io::ParsedCmdb;

inline void require(bool condition) {
    if (!condition) __builtin_trap();
}

// An error names one of the input files, a line (1-based) and says something.
inline void checkError(const core::Error& e, const std::vector<CmdbSource>& sources) {
    require(!e.message.empty());
    bool known = false;
    for (const CmdbSource& s : sources) known = known || e.file == s.name;
    require(known);
    require(e.line >= 1);
}

// A parsed CMDB: non-empty unique CI ids with names, tiers 1..4, relationships
// of known types between two different CIs that were parsed or already known,
// no relationship twice.
inline void checkParsed(const ParsedCmdb& p, const std::vector<ConfigItem>& existing) {
    std::set<std::string> ids, all;
    for (const ConfigItem& ci : p.cis) {
        require(!ci.id.empty() && !ci.name.empty());
        require(ci.tier >= 1 && ci.tier <= 4);
        require(ids.insert(ci.id).second);
    }
    all = ids;
    for (const ConfigItem& ci : existing) all.insert(ci.id);
    const auto& types = core::io::knownRelationshipTypes();
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    for (const Relationship& r : p.relationships) {
        require(all.count(r.from) == 1 && all.count(r.to) == 1);
        require(r.from != r.to);
        bool knownType = false;
        for (const std::string& t : types) knownType = knownType || t == r.type;
        require(knownType);
        require(seen.emplace(r.from, r.to, r.type).second);
    }
}

// Parses `sources`; checks the error or the result with the functions above.
inline core::Result<ParsedCmdb> parseChecked(const std::vector<CmdbSource>& sources,
                                             const std::vector<ConfigItem>& existing) {
    auto r = core::io::parseCmdb(sources, existing);
    if (r)
        checkParsed(r.value(), existing);
    else
        checkError(r.error(), sources);
    return r;
}

// `again` holds exactly the CIs and relationships of `first`, in the same order.
inline void requireSameCmdb(const core::Result<ParsedCmdb>& again, const ParsedCmdb& first) {
    require(again.ok());
    require(again->cis == first.cis);
    require(again->relationships == first.relationships);
}

}  // namespace planner::fuzz
