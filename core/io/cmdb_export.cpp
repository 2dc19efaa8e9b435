#include "io/cmdb_export.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/prettywriter.h>

#include <set>

#include "util/csv_writer.hpp"
#include "io/cmdb_servicenow.hpp"

namespace planner::core::io {

namespace {

std::set<std::string> attributeKeys(const std::vector<ConfigItem>& cis) {
    std::set<std::string> keys;
    for (const auto& ci : cis)
        for (const auto& [k, v] : ci.attributes) keys.insert(k);
    return keys;
}

std::string joinTags(const std::vector<std::string>& tags) {
    std::string out;
    for (const auto& t : tags) out += (out.empty() ? "" : ";") + t;
    return out;
}

std::string attributeOf(const ConfigItem& ci, const std::string& key) {
    auto it = ci.attributes.find(key);
    return it == ci.attributes.end() ? std::string() : it->second;
}

}  // namespace

std::string exportCiCsv(const std::vector<ConfigItem>& cis) {
    const auto keys = attributeKeys(cis);
    std::vector<std::string> header = {"id", "name", "type", "owner", "team", "tier", "environment", "location", "tags"};
    for (const auto& k : keys) header.push_back("attr:" + k);
    std::string out = csvRow(header);
    for (const auto& ci : cis) {
        std::vector<std::string> row = {ci.id,   ci.name, ci.type, ci.owner, ci.team, std::to_string(ci.tier),
                                        ci.environment, ci.location, joinTags(ci.tags)};
        for (const auto& k : keys) row.push_back(attributeOf(ci, k));
        out += csvRow(row);
    }
    return out;
}

std::string exportRelationshipCsv(const std::vector<Relationship>& relationships) {
    std::string out = csvRow({"from", "to", "type"});
    for (const auto& r : relationships) out += csvRow({r.from, r.to, r.type});
    return out;
}

std::string exportEdgeList(const std::vector<Relationship>& relationships) { return exportRelationshipCsv(relationships); }

std::string exportCmdbJson(const std::vector<ConfigItem>& cis, const std::vector<Relationship>& relationships) {
    rapidjson::StringBuffer buf;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    w.SetIndent(' ', 2);
    auto str = [&](const std::string& s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); };
    w.StartObject();
    w.Key("schemaVersion");
    w.Int(1);
    w.Key("cis");
    w.StartArray();
    for (const auto& ci : cis) {
        w.StartObject();
        w.Key("id"); str(ci.id);
        w.Key("name"); str(ci.name);
        w.Key("type"); str(ci.type);
        w.Key("owner"); str(ci.owner);
        w.Key("team"); str(ci.team);
        w.Key("tier"); w.Int(ci.tier);
        w.Key("environment"); str(ci.environment);
        w.Key("location"); str(ci.location);
        w.Key("tags");
        w.StartArray();
        for (const auto& t : ci.tags) str(t);
        w.EndArray();
        w.Key("attributes");
        w.StartObject();
        for (const auto& [k, v] : ci.attributes) {
            w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
            str(v);
        }
        w.EndObject();
        w.EndObject();
    }
    w.EndArray();
    w.Key("relationships");
    w.StartArray();
    for (const auto& r : relationships) {
        w.StartObject();
        w.Key("from"); str(r.from);
        w.Key("to"); str(r.to);
        w.Key("type"); str(r.type);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

std::string exportServiceNowCiCsv(const std::vector<ConfigItem>& cis) {
    const auto keys = attributeKeys(cis);
    std::vector<std::string> header = {"sys_id", "name", "sys_class_name", "owned_by", "support_group",
                                       "busines_criticality", "environment", "location"};
    for (const auto& k : keys) header.push_back(k);
    std::string out = csvRow(header);
    for (const auto& ci : cis) {
        std::vector<std::string> row = {ci.id, ci.name, typeToServiceNowClass(ci.type), ci.owner, ci.team,
                                        std::to_string(ci.tier), ci.environment, ci.location};
        for (const auto& k : keys) row.push_back(attributeOf(ci, k));
        out += csvRow(row);
    }
    return out;
}

std::string exportServiceNowRelCsv(const std::vector<Relationship>& relationships) {
    std::string out = csvRow({"parent", "child", "type"});
    for (const auto& r : relationships) {
        auto [descriptor, swap] = relationshipTypeToServiceNow(r.type);
        out += swap ? csvRow({r.to, r.from, descriptor}) : csvRow({r.from, r.to, descriptor});
    }
    return out;
}

const char* cmdbExportFormatName(CmdbExportFormat format) {
    switch (format) {
        case CmdbExportFormat::Templates: return "templates";
        case CmdbExportFormat::Json: return "json";
        case CmdbExportFormat::ServiceNow: return "servicenow";
        case CmdbExportFormat::EdgeList: return "edges";
    }
    return "?";
}

std::optional<CmdbExportFormat> cmdbExportFormatFromName(const std::string& name) {
    for (auto f : {CmdbExportFormat::Templates, CmdbExportFormat::Json, CmdbExportFormat::ServiceNow,
                   CmdbExportFormat::EdgeList})
        if (name == cmdbExportFormatName(f)) return f;
    return std::nullopt;
}

std::map<std::string, std::string> exportCmdbFiles(CmdbExportFormat format, const std::vector<ConfigItem>& cis,
                                                   const std::vector<Relationship>& relationships) {
    switch (format) {
        case CmdbExportFormat::Templates:
            return {{"cis.csv", exportCiCsv(cis)}, {"relationships.csv", exportRelationshipCsv(relationships)}};
        case CmdbExportFormat::Json: return {{"cmdb.json", exportCmdbJson(cis, relationships)}};
        case CmdbExportFormat::ServiceNow:
            return {{"cmdb_ci.csv", exportServiceNowCiCsv(cis)}, {"cmdb_rel_ci.csv", exportServiceNowRelCsv(relationships)}};
        case CmdbExportFormat::EdgeList: return {{"edges.csv", exportEdgeList(relationships)}};
    }
    return {};
}

}  // namespace planner::core::io
