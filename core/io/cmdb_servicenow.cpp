#include "io/cmdb_servicenow.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace planner::core::io {

namespace {

struct ClassMap {
    const char* prefix;   // sys_class_name starting with this
    const char* type;
};

constexpr std::array<ClassMap, 16> kClasses{{
    {"cmdb_ci_service", "business_service"}, {"service_offering", "business_service"},
    {"cmdb_ci_appl", "application"}, {"cmdb_ci_app_server", "application"},
    {"cmdb_ci_lb", "load_balancer"}, {"cmdb_ci_linux_server", "server"}, {"cmdb_ci_win_server", "server"},
    {"cmdb_ci_unix_server", "server"}, {"cmdb_ci_esx_server", "server"}, {"cmdb_ci_vm_instance", "server"},
    {"cmdb_ci_server", "server"}, {"cmdb_ci_db", "database"}, {"cmdb_ci_database", "database"},
    {"cmdb_ci_ip_firewall", "firewall"}, {"cmdb_ci_storage", "storage"}, {"cmdb_ci_netgear", "network"}}};

struct RelMap {
    const char* descriptor;
    const char* type;
    bool reversed;
};

constexpr std::array<RelMap, 15> kRels{{
    {"stored on::stores", "stored_on", false},
    {"protected by::protects", "protected_by", false},
    {"depends on::used by", "depends_on", false},
    {"uses::used by", "uses", false},
    {"runs on::runs", "runs_on", false},
    {"hosted on::hosts", "hosted_on", false},
    {"virtualized by::virtualizes", "hosted_on", false},
    {"connects to::connected by", "connects_to", false},
    {"ip connection::ip connection", "connects_to", false},
    {"members::member of", "member_of", true},
    {"contains::contained by", "contains", false},
    {"provides::provided by", "provides", false},
    {"backed up by::backs up", "backs_up", true},
    {"replicates to::replicated by", "replicates_to", false},
    {"sends data to::receives data from", "connects_to", false}}};

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

std::string serviceNowClassToType(const std::string& cls) {
    for (const auto& m : kClasses)
        if (cls.rfind(m.prefix, 0) == 0) return m.type;
    if (cls.rfind("cmdb_ci_", 0) == 0) return cls.substr(8);
    return cls;
}

std::string typeToServiceNowClass(const std::string& type) {
    if (type == "business_service") return "cmdb_ci_service";
    if (type == "application") return "cmdb_ci_appl";
    if (type == "load_balancer") return "cmdb_ci_lb";
    if (type == "server") return "cmdb_ci_server";
    if (type == "database") return "cmdb_ci_database";
    if (type == "firewall") return "cmdb_ci_ip_firewall";
    if (type == "storage") return "cmdb_ci_storage_device";
    if (type == "network") return "cmdb_ci_netgear";
    return "cmdb_ci_" + type;
}

std::optional<std::pair<std::string, bool>> serviceNowRelationshipType(const std::string& descriptor) {
    const std::string d = lower(descriptor);
    for (const auto& m : kRels)
        if (d == m.descriptor) return std::pair<std::string, bool>{m.type, m.reversed};
    for (const auto& m : kRels)
        if (std::string(m.type) == d && !m.reversed) return std::pair<std::string, bool>{m.type, false};
    if (d == "member_of" || d == "backs_up") return std::pair<std::string, bool>{d, false};
    return std::nullopt;
}

std::pair<std::string, bool> relationshipTypeToServiceNow(const std::string& type) {
    static const std::array<std::pair<const char*, const char*>, 12> kOut{{
        {"stored_on", "Stored on::Stores"}, {"protected_by", "Protected by::Protects"},
        {"depends_on", "Depends on::Used by"}, {"uses", "Uses::Used by"}, {"runs_on", "Runs on::Runs"},
        {"hosted_on", "Hosted on::Hosts"}, {"connects_to", "Connects to::Connected by"},
        {"member_of", "Members::Member of"}, {"contains", "Contains::Contained by"},
        {"provides", "Provides::Provided by"}, {"backs_up", "Backed up by::Backs up"},
        {"replicates_to", "Replicates to::Replicated by"}}};
    for (const auto& [t, d] : kOut)
        if (type == t) return {d, type == "member_of" || type == "backs_up"};
    return {type, false};
}

}  // namespace planner::core::io
