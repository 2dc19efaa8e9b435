#include <gtest/gtest.h>

#include <set>
#include <unordered_set>

#include "demo/synthetic_cmdb.hpp"
#include "graph/cmdb_graph.hpp"

using namespace planner::core;

TEST(SyntheticCmdb, ExactCountsValidEndpointsNoDuplicatePairs) {
    SyntheticCmdb s = generateSyntheticCmdb(42, 5000, 20000);
    ASSERT_EQ(s.cis.size(), 5000u);
    ASSERT_EQ(s.relationships.size(), 20000u);
    std::unordered_set<std::string> ids;
    for (const ConfigItem& c : s.cis) {
        EXPECT_TRUE(ids.insert(c.id).second) << c.id;
        EXPECT_FALSE(c.name.empty());
        EXPECT_GE(c.tier, 1);
        EXPECT_LE(c.tier, 4);
    }
    std::set<std::pair<std::string, std::string>> pairs;
    for (const Relationship& r : s.relationships) {
        EXPECT_TRUE(ids.count(r.from) && ids.count(r.to));
        EXPECT_NE(r.from, r.to);
        EXPECT_TRUE(pairs.emplace(r.from, r.to).second);
    }
}

TEST(SyntheticCmdb, LayersTypesTagsAndCycles) {
    SyntheticCmdb s = generateSyntheticCmdb(1, 4000, 16000);
    std::set<std::string> types;
    int security = 0;
    for (const ConfigItem& c : s.cis) {
        types.insert(c.type);
        for (const auto& t : c.tags) security += t == "security";
    }
    EXPECT_EQ(types, (std::set<std::string>{"application", "business_service", "database", "firewall",
                                            "load_balancer", "network", "server", "storage"}));
    EXPECT_GT(security, 0);
    auto g = graph::CmdbGraph::build(s.cis, s.relationships);
    EXPECT_GE(g.cycles().size(), 2u);
}

TEST(SyntheticCmdb, DeterministicPerSeed) {
    SyntheticCmdb a = generateSyntheticCmdb(9, 800, 3000);
    SyntheticCmdb b = generateSyntheticCmdb(9, 800, 3000);
    SyntheticCmdb c = generateSyntheticCmdb(10, 800, 3000);
    EXPECT_EQ(a.cis, b.cis);
    EXPECT_EQ(a.relationships, b.relationships);
    EXPECT_NE(a.relationships, c.relationships);
}

TEST(SyntheticCmdb, TinySizesStayValid) {
    for (std::size_t n : {0u, 1u, 2u, 5u, 12u}) {
        SyntheticCmdb s = generateSyntheticCmdb(3, n, n * 3);
        EXPECT_EQ(s.cis.size(), n);
        EXPECT_LE(s.relationships.size(), n * 3);
    }
}

TEST(SyntheticCmdb, DemoHasSeveralNamedServices) {
    SyntheticCmdb d = generateDemoCmdb();
    EXPECT_GE(d.cis.size(), 200u);
    EXPECT_LE(d.cis.size(), 1000u);
    std::set<std::string> services;
    for (const ConfigItem& c : d.cis)
        if (c.type == "business_service") services.insert(c.name);
    EXPECT_GE(services.size(), 5u);
    EXPECT_TRUE(services.count("Payments"));
}
