#include "demo/synthetic_cmdb.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <unordered_set>

namespace planner::core {
namespace {

// splitmix64: identical sequence on every platform and standard library.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed * 0x9E3779B97F4A7C15ULL + 0x6A09E667F3BCC909ULL) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n); n > 0.
    std::uint32_t below(std::uint32_t n) {
        return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
    }
    bool chance(std::uint32_t percent) { return below(100) < percent; }

private:
    std::uint64_t m_state;
};

enum Kind : std::uint8_t { KService, KApp, KLoadBalancer, KServer, KDatabase, KStorage, KNetwork, KFirewall, KKindCount };

constexpr std::array<const char*, KKindCount> kTypeNames = {
    "business_service", "application", "load_balancer", "server",
    "database", "storage", "network", "firewall"};

constexpr std::array<const char*, 24> kServiceSlugs = {
    "payments", "orders", "billing", "identity", "search", "catalog", "shipping", "inventory",
    "crm", "hr", "ledger", "analytics", "notifications", "reporting", "pricing", "fraud",
    "loyalty", "checkout", "messaging", "documents", "claims", "onboarding", "treasury", "support"};
constexpr std::array<const char*, 24> kServiceTitles = {
    "Payments", "Order Management", "Billing", "Identity & Access", "Site Search", "Product Catalog",
    "Shipping", "Inventory", "Customer Relations", "Human Resources", "General Ledger", "Analytics",
    "Notifications", "Reporting", "Pricing", "Fraud Detection", "Loyalty", "Checkout", "Messaging",
    "Document Store", "Claims", "Customer Onboarding", "Treasury", "Customer Support"};
constexpr std::array<const char*, 7> kAppRoles = {"api", "web", "worker", "batch", "gateway", "ui", "sync"};
constexpr std::array<const char*, 6> kDbEngines = {"pg", "mysql", "ora", "mssql", "mongo", "redis"};
constexpr std::array<const char*, 5> kDatacenters = {"fra1", "ams2", "dub1", "iad1", "sfo3"};
constexpr std::array<const char*, 16> kFirst = {
    "anna", "ben", "chen", "dana", "emil", "fatima", "georg", "hana",
    "ivan", "julia", "kofi", "lena", "marco", "nora", "omar", "priya"};
constexpr std::array<const char*, 16> kLast = {
    "weber", "smith", "li", "okafor", "novak", "garcia", "schmidt", "tanaka",
    "rossi", "jensen", "khan", "murphy", "silva", "berg", "haddad", "iyer"};
constexpr std::array<const char*, 4> kEnvironments = {"production", "staging", "test", "development"};

std::string numbered(const char* prefix, std::uint32_t n, int width) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s%0*u", prefix, width, static_cast<unsigned>(n));
    return buf;
}

std::string personFor(Rng& rng) {
    return std::string(kFirst[rng.below(kFirst.size())]) + "." + kLast[rng.below(kLast.size())];
}

struct Layout {
    std::array<std::uint32_t, KKindCount> begin{};
    std::array<std::uint32_t, KKindCount> count{};
    std::uint32_t coreRouters = 0, distSwitches = 0;  // network = core, then dist, then access
    std::uint32_t services = 0;
};

Layout planLayers(std::uint32_t n) {
    Layout l;
    if (n == 0) return l;
    auto part = [&](double f) { return static_cast<std::uint32_t>(static_cast<double>(n) * f); };
    std::uint32_t services = std::max(part(0.01), std::min<std::uint32_t>(6, n / 20));
    l.count[KService] = std::max<std::uint32_t>(1, services);
    l.count[KApp] = part(0.12);
    l.count[KLoadBalancer] = part(0.03);
    l.count[KDatabase] = part(0.12);
    l.count[KStorage] = part(0.05);
    l.count[KNetwork] = part(0.14);
    l.count[KFirewall] = part(0.03);
    std::uint32_t used = 0;
    for (int k = 0; k < KKindCount; ++k)
        if (k != KServer) used += l.count[k];
    if (used > n) {  // tiny CMDBs: one service, the rest servers
        l.count.fill(0);
        l.count[KService] = 1;
        used = 1;
    }
    l.count[KServer] = n - used;
    std::uint32_t at = 0;
    for (int k = 0; k < KKindCount; ++k) {
        l.begin[k] = at;
        at += l.count[k];
    }
    l.services = l.count[KService];
    std::uint32_t net = l.count[KNetwork];
    l.coreRouters = net == 0 ? 0 : std::max<std::uint32_t>(1, net / 150);
    l.distSwitches = net <= l.coreRouters ? 0 : std::max<std::uint32_t>(1, net / 15);
    if (l.coreRouters + l.distSwitches > net) l.distSwitches = net - l.coreRouters;
    return l;
}

class Generator {
public:
    Generator(std::uint32_t seed, std::uint32_t n, std::size_t rels)
        : m_rng(seed), m_n(n), m_target(rels), m_layers(planLayers(n)) {}

    SyntheticCmdb run() {
        makeCis();
        makeBaseRelationships();
        makeExtraRelationships();
        return std::move(m_out);
    }

private:
    std::uint32_t has(Kind k) const { return m_layers.count[k]; }
    // Member `i mod count` of a kind's block; the kind must be non-empty.
    std::uint32_t pick(Kind k, std::uint32_t i) const { return m_layers.begin[k] + i % m_layers.count[k]; }
    std::uint32_t randomOf(Kind k) { return m_layers.begin[k] + m_rng.below(m_layers.count[k]); }
    // A member of kind k in the same "cluster" as position i of its block, so
    // that most relationships stay inside one service's neighbourhood.
    std::uint32_t nearOf(Kind k, std::uint32_t clusterKey) {
        std::uint32_t c = m_layers.count[k];
        std::uint32_t span = std::max<std::uint32_t>(1, c / std::max<std::uint32_t>(1, m_layers.services));
        std::uint32_t base = static_cast<std::uint32_t>((static_cast<std::uint64_t>(clusterKey) * c) / std::max<std::uint32_t>(1, m_layers.services));
        return m_layers.begin[k] + (base + m_rng.below(span)) % c;
    }
    std::uint32_t serviceOfApp(std::uint32_t app) const {
        std::uint64_t off = app - m_layers.begin[KApp];
        return static_cast<std::uint32_t>(off * m_layers.services / std::max<std::uint32_t>(1, has(KApp)));
    }
    std::uint32_t clusterOf(Kind k, std::uint32_t node) const {
        std::uint64_t off = node - m_layers.begin[k];
        return static_cast<std::uint32_t>(off * m_layers.services / std::max<std::uint32_t>(1, has(k)));
    }
    std::uint32_t dcOf(std::uint32_t node) const { return node % kDatacenters.size(); }

    bool add(std::uint32_t from, std::uint32_t to, const char* type) {
        if (from == to || m_out.relationships.size() >= m_target) return false;
        std::uint64_t key = (static_cast<std::uint64_t>(from) << 32) | to;
        if (!m_seen.insert(key).second) return false;
        m_out.relationships.push_back(Relationship{m_ids[from], m_ids[to], type});
        return true;
    }

    void makeCis() {
        m_out.cis.reserve(m_n);
        m_ids.reserve(m_n);
        std::vector<std::uint32_t> perServiceCounter(std::max<std::uint32_t>(1, m_layers.services) * 8, 0);
        for (std::uint32_t i = 0; i < m_n; ++i) {
            Kind kind = KServer;
            for (int k = 0; k < KKindCount; ++k)
                if (i >= m_layers.begin[k] && i < m_layers.begin[k] + m_layers.count[k]) kind = static_cast<Kind>(k);
            ConfigItem ci;
            ci.id = numbered("CI", i + 1, 7);
            ci.type = kTypeNames[kind];
            const char* dc = kDatacenters[dcOf(i)];
            std::uint32_t env = m_rng.below(100);
            ci.environment = kEnvironments[env < 62 ? 0 : env < 77 ? 1 : env < 90 ? 2 : 3];
            ci.location = dc;
            ci.owner = personFor(m_rng);
            ci.tier = 1 + static_cast<int>(m_rng.below(4));
            std::uint32_t svc = 0;
            switch (kind) {
            case KService: {
                svc = i - m_layers.begin[KService];
                std::uint32_t round = svc / kServiceSlugs.size();
                std::string title = kServiceTitles[svc % kServiceTitles.size()];
                ci.name = round == 0 ? title : title + " " + std::to_string(round + 1);
                ci.team = std::string(kServiceTitles[svc % kServiceTitles.size()]) + " Team";
                ci.tier = 1 + static_cast<int>(svc % 4);
                ci.environment = "production";
                ci.location = "";
                ci.attributes["service_slug"] = slug(svc);
                break;
            }
            case KApp: {
                svc = serviceOfApp(i);
                std::uint32_t& c = perServiceCounter[svc * 8 + 0];
                ci.name = slug(svc) + "-" + kAppRoles[c % kAppRoles.size()] + "-" + numbered("", c / kAppRoles.size() + 1, 2);
                ++c;
                ci.team = std::string(kServiceTitles[svc % kServiceTitles.size()]) + " Team";
                ci.tier = 1 + static_cast<int>(svc % 4);
                if (c % kAppRoles.size() == 2) ci.tags.push_back("customer-facing");
                break;
            }
            case KLoadBalancer:
                svc = clusterOf(KLoadBalancer, i);
                ci.name = "lb-" + std::string(dc) + "-" + slug(svc) + "-" + numbered("", i % 100, 2);
                ci.team = "Platform Networking";
                break;
            case KServer: {
                bool windows = m_rng.chance(20);
                ci.name = std::string(windows ? "win-" : "lnx-") + dc + "-" + numbered("", i - m_layers.begin[KServer] + 1, 6);
                ci.team = windows ? "Windows Operations" : "Linux Operations";
                ci.attributes["os"] = windows ? "windows-2022" : "rhel-9";
                break;
            }
            case KDatabase:
                svc = clusterOf(KDatabase, i);
                ci.name = slug(svc) + "-" + kDbEngines[i % kDbEngines.size()] + "-" + numbered("", i % 100, 2);
                ci.team = "Database Administration";
                ci.tags.push_back("data");
                break;
            case KStorage:
                ci.name = std::string(i % 3 == 0 ? "nas-" : "san-") + dc + "-" + numbered("", i - m_layers.begin[KStorage] + 1, 3);
                ci.team = "Storage Engineering";
                ci.tags.push_back("backup");
                break;
            case KNetwork: {
                std::uint32_t off = i - m_layers.begin[KNetwork];
                const char* role = off < m_layers.coreRouters ? "core-rtr-"
                                   : off < m_layers.coreRouters + m_layers.distSwitches ? "dist-sw-" : "acc-sw-";
                ci.name = std::string(role) + dc + "-" + numbered("", off + 1, 4);
                ci.team = "Network Engineering";
                if (off < m_layers.coreRouters) ci.tier = 1;
                break;
            }
            case KFirewall:
                ci.name = std::string("fw-") + dc + (i % 2 ? "-edge-" : "-int-") + numbered("", i - m_layers.begin[KFirewall] + 1, 3);
                ci.team = "Security Operations";
                ci.tags.push_back("security");
                ci.tier = 1;
                break;
            default:
                break;
            }
            if (kind == KService || kind == KApp || kind == KDatabase || kind == KLoadBalancer) {
                std::string s = slug(svc);
                if (s == "payments" || s == "checkout" || s == "billing") ci.tags.push_back("pci");
                if (s == "identity" || s == "fraud") ci.tags.push_back("security");
                if (s == "crm" || s == "hr" || s == "onboarding") ci.tags.push_back("gdpr");
            }
            m_ids.push_back(ci.id);
            m_out.cis.push_back(std::move(ci));
        }
    }

    std::string slug(std::uint32_t svc) const {
        std::uint32_t round = svc / kServiceSlugs.size();
        std::string s = kServiceSlugs[svc % kServiceSlugs.size()];
        return round == 0 ? s : s + std::to_string(round + 1);
    }

    // Network device of a datacenter tier: core, distribution or access.
    std::uint32_t networkOf(int tierIndex, std::uint32_t key) {
        std::uint32_t b = m_layers.begin[KNetwork];
        std::uint32_t core = m_layers.coreRouters, dist = m_layers.distSwitches;
        std::uint32_t access = has(KNetwork) - core - dist;
        if (tierIndex == 0 || (tierIndex == 1 && dist == 0) || (tierIndex == 2 && access == 0 && dist == 0)) return b + key % core;
        if (tierIndex == 1 || access == 0) return b + core + key % dist;
        return b + core + dist + key % access;
    }

    void makeBaseRelationships() {
        m_out.relationships.reserve(m_target);
        m_seen.reserve(m_target * 2);
        const Layout& l = m_layers;
        // A few deliberate cycles: mutually dependent applications and a
        // redundant distribution-switch pair.
        if (has(KApp) >= 4) {
            for (std::uint32_t k = 0; k < std::min<std::uint32_t>(6, has(KApp) / 4); ++k) {
                std::uint32_t a = pick(KApp, k * 7919), b = pick(KApp, k * 7919 + 1);
                add(a, b, "depends_on");
                add(b, a, "depends_on");
            }
        }
        if (l.distSwitches >= 2) {
            std::uint32_t d = l.begin[KNetwork] + l.coreRouters;
            add(d, d + 1, "connects_to");
            add(d + 1, d, "connects_to");
        }
        for (std::uint32_t i = 0; i < has(KApp); ++i) {
            std::uint32_t app = l.begin[KApp] + i;
            std::uint32_t svc = serviceOfApp(app);
            if (has(KService)) add(pick(KService, svc), app, "depends_on");
            if (has(KServer)) add(app, nearOf(KServer, svc), "runs_on");
            if (has(KDatabase)) add(app, nearOf(KDatabase, svc), "depends_on");
            if (has(KLoadBalancer) && i % 3 == 0) add(app, nearOf(KLoadBalancer, svc), "depends_on");
        }
        for (std::uint32_t i = 0; i < has(KDatabase); ++i) {
            std::uint32_t db = l.begin[KDatabase] + i;
            if (has(KServer)) add(db, nearOf(KServer, clusterOf(KDatabase, db)), "hosted_on");
        }
        for (std::uint32_t i = 0; i < has(KServer); ++i) {
            std::uint32_t srv = l.begin[KServer] + i;
            if (has(KStorage)) add(srv, nearOf(KStorage, clusterOf(KServer, srv)), "stored_on");
            if (has(KNetwork)) add(srv, networkOf(2, srv * 2654435761u >> 7), "connects_to");
        }
        for (std::uint32_t i = 0; i < has(KLoadBalancer); ++i) {
            std::uint32_t lb = l.begin[KLoadBalancer] + i;
            if (has(KNetwork)) add(lb, networkOf(1, i), "connects_to");
        }
        for (std::uint32_t off = 0; off < has(KNetwork); ++off) {
            std::uint32_t dev = l.begin[KNetwork] + off;
            if (off >= l.coreRouters + l.distSwitches) add(dev, networkOf(1, off), "connects_to");
            else if (off >= l.coreRouters) add(dev, networkOf(0, off), "connects_to");
            else if (has(KFirewall)) add(dev, pick(KFirewall, off), "protected_by");
        }
    }

    void makeExtraRelationships() {
        const Layout& l = m_layers;
        std::size_t attempts = 0, maxAttempts = m_target * 8 + 64;
        while (m_out.relationships.size() < m_target && attempts++ < maxAttempts) {
            std::uint32_t r = m_rng.below(100);
            bool local = m_rng.chance(92);
            if (r < 22 && has(KApp) >= 2) {  // application calls another application
                std::uint32_t a = randomOf(KApp);
                std::uint32_t svc = serviceOfApp(a);
                std::uint32_t b = local ? nearOf(KApp, svc) : randomOf(KApp);
                if (b > a) add(a, b, "depends_on");  // mostly acyclic: callers before callees
                else if (b < a) add(b, a, "depends_on");
            } else if (r < 38 && has(KApp) && has(KDatabase)) {
                std::uint32_t a = randomOf(KApp);
                add(a, local ? nearOf(KDatabase, serviceOfApp(a)) : randomOf(KDatabase), "depends_on");
            } else if (r < 50 && has(KApp) && has(KServer)) {
                std::uint32_t a = randomOf(KApp);
                add(a, local ? nearOf(KServer, serviceOfApp(a)) : randomOf(KServer), "runs_on");
            } else if (r < 56 && has(KService) && has(KApp)) {
                std::uint32_t s = randomOf(KService);
                add(s, local ? nearOf(KApp, s - l.begin[KService]) : randomOf(KApp), "depends_on");
            } else if (r < 68 && has(KServer) && has(KStorage)) {
                std::uint32_t s = randomOf(KServer);
                add(s, nearOf(KStorage, clusterOf(KServer, s)), "stored_on");
            } else if (r < 78 && has(KServer) && has(KNetwork)) {
                std::uint32_t s = randomOf(KServer);
                add(s, networkOf(2, m_rng.below(1u << 30)), "connects_to");
            } else if (r < 84 && has(KServer) && has(KFirewall)) {
                std::uint32_t s = randomOf(KServer);
                add(s, pick(KFirewall, dcOf(s) + 5 * m_rng.below(4)), "protected_by");
            } else if (r < 92 && has(KDatabase) && has(KServer)) {
                std::uint32_t d = randomOf(KDatabase);
                add(d, nearOf(KServer, clusterOf(KDatabase, d)), "hosted_on");
            } else if (r < 96 && has(KApp) && has(KLoadBalancer)) {
                std::uint32_t a = randomOf(KApp);
                add(a, nearOf(KLoadBalancer, serviceOfApp(a)), "depends_on");
            } else if (has(KLoadBalancer) && has(KServer)) {
                std::uint32_t lb = randomOf(KLoadBalancer);
                add(lb, nearOf(KServer, clusterOf(KLoadBalancer, lb)), "member_of");
            }
        }
    }

    Rng m_rng;
    std::uint32_t m_n;
    std::size_t m_target;
    Layout m_layers;
    SyntheticCmdb m_out;
    std::vector<std::string> m_ids;
    std::unordered_set<std::uint64_t> m_seen;
};

}  // namespace

SyntheticCmdb generateSyntheticCmdb(std::uint32_t seed, std::size_t ciCount, std::size_t relationshipCount) {
    return Generator(seed, static_cast<std::uint32_t>(ciCount), relationshipCount).run();
}

SyntheticCmdb generateDemoCmdb() {
    return generateSyntheticCmdb(20260101u, 320, 760);
}

}  // namespace planner::core
