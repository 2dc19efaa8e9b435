// Generated CMDBs: a large layered synthetic one for benchmarks and tests, and
// a small named one for the first-run demo workspace. Both are deterministic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/model.hpp"

namespace planner::core {

struct SyntheticCmdb {
    std::vector<ConfigItem> cis;
    std::vector<Relationship> relationships;
};

// Layered CMDB (business services -> applications -> servers -> databases,
// storage, network, firewalls, load balancers) with exactly `ciCount` CIs and
// `relationshipCount` distinct relationships (fewer only if the layers cannot
// hold that many distinct pairs), a few dependency cycles, and the same output
// for the same seed on every platform. Relationship{from, to} means "from
// depends on / runs on / is hosted on to".
SyntheticCmdb generateSyntheticCmdb(std::uint32_t seed, std::size_t ciCount,
                                    std::size_t relationshipCount);

// A few hundred CIs across several named business services, for the demo
// workspace shown on first run.
SyntheticCmdb generateDemoCmdb();

}  // namespace planner::core
