// Jira payload: the body of POST /rest/api/3/issue. Change fields are custom
// fields whose ids differ per site, so they come from a mapping file:
//   {"project":"CHG","issueType":"Change",
//    "fields":{"risk":"customfield_10042","plannedStart":{"id":"customfield_10050","as":"datetime"}},
//    "options":{"risk":{"very_high":"Very High"}},"labels":["change-planner"]}
// Logical field names, value kinds and defaults are listed in docs/ticketing.md.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "io/export_context.hpp"
#include "model/model.hpp"
#include "util/result.hpp"

namespace planner::core::io {

// How a value is written into a Jira field: plain string, Atlassian Document
// Format, single select option {"value": ...}, date-time, date, or labels array.
enum class JiraValueKind { Text, Adf, Option, DateTime, Date, Labels };

struct JiraFieldTarget {
    std::string fieldId;  // "customfield_10042" or a system field id
    JiraValueKind kind = JiraValueKind::Text;
    bool operator==(const JiraFieldTarget&) const = default;
};

struct JiraMapping {
    std::string project;    // project key
    std::string issueType;  // issue type name
    std::map<std::string, JiraFieldTarget> fields;                      // logical name -> target
    std::map<std::string, std::map<std::string, std::string>> options;  // logical name -> our value -> option name
    std::vector<std::string> labels;                                    // labels added to every issue
    bool operator==(const JiraMapping&) const = default;
};

// Logical field names a mapping may use, in documentation order.
const std::vector<std::string>& jiraLogicalFields();

// Parses a mapping file; unknown logical names, bad field ids or kinds, and
// missing project / issueType are errors with line and column.
Result<JiraMapping> parseJiraMapping(std::string_view json, const std::string& sourceName);

// Canonical JSON issue body {"fields": {...}} for `change`.
std::string jiraPayload(const ChangeRequest& change, const ExportContext& ctx, const JiraMapping& mapping);

}  // namespace planner::core::io
