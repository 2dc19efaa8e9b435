// CMDB export to the formats the importer reads (docs/import-templates.md).
// Every export re-imports to the same CIs and relationships (ServiceNow type
// names aside, which map through the documented tables).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace planner::core::io {

// Our CI template CSV: fixed columns, then one attr:<key> column per attribute
// key in use (sorted); tags joined with ';'. CRLF line ends.
std::string exportCiCsv(const std::vector<ConfigItem>& cis);
// Our relationship template CSV: from,to,type.
std::string exportRelationshipCsv(const std::vector<Relationship>& relationships);
// Our JSON template: {"schemaVersion":1,"cis":[...],"relationships":[...]}.
std::string exportCmdbJson(const std::vector<ConfigItem>& cis, const std::vector<Relationship>& relationships);
// ServiceNow cmdb_ci list export shape (sys_id = our id).
std::string exportServiceNowCiCsv(const std::vector<ConfigItem>& cis);
// ServiceNow cmdb_rel_ci list export shape (parent, child, type descriptor).
std::string exportServiceNowRelCsv(const std::vector<Relationship>& relationships);
// Plain edge list with a from,to,type header.
std::string exportEdgeList(const std::vector<Relationship>& relationships);

// A whole-CMDB export as the user picks it: our CSV templates (cis.csv and
// relationships.csv), our JSON template (cmdb.json), the ServiceNow list
// exports (cmdb_ci.csv and cmdb_rel_ci.csv) or an edge list (edges.csv).
enum class CmdbExportFormat { Templates, Json, ServiceNow, EdgeList };
// "templates", "json", "servicenow", "edges".
const char* cmdbExportFormatName(CmdbExportFormat format);
std::optional<CmdbExportFormat> cmdbExportFormatFromName(const std::string& name);
// File name -> content of the files that make up one export.
std::map<std::string, std::string> exportCmdbFiles(CmdbExportFormat format, const std::vector<ConfigItem>& cis,
                                                   const std::vector<Relationship>& relationships);

}  // namespace planner::core::io
