// What only the receiving ticketing site knows, needed to write a payload that
// site accepts: the iTop organization and change data model, the GLPI entity,
// the Freshservice requester and the Jira field mapping. They are kept as
// workspace settings (keys below) and can be overridden by CLI options. A
// payload whose settings are missing is refused with a message naming the
// setting; it is never written half-filled (docs/ticketing.md).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace planner::core::io {

// Workspace setting keys.
inline constexpr const char* kItopOrganizationSetting = "ticketing.itop.organization";
inline constexpr const char* kItopChangeModelSetting = "ticketing.itop.change_model";
inline constexpr const char* kGlpiEntitySetting = "ticketing.glpi.entity_id";
inline constexpr const char* kFreshserviceRequesterSetting = "ticketing.freshservice.requester_id";
inline constexpr const char* kJiraMappingSetting = "ticketing.jira.mapping";

enum class TicketingSystem { ServiceNow, Glpi, Itop, Jira, Freshservice };

// "servicenow", "glpi", "itop", "jira", "freshservice".
const char* toString(TicketingSystem system);
std::optional<TicketingSystem> ticketingSystemFromString(const std::string& name);
const std::vector<TicketingSystem>& allTicketingSystems();

// iTop change management module installed on the site: the default one
// (itop-change-mgmt: a single Change class) or the ITIL one
// (itop-change-mgmt-itil: RoutineChange, NormalChange, EmergencyChange).
enum class ItopChangeModel { Default, Itil };

struct TicketingSettings {
    std::string itopOrganization;  // iTop Organization name (Ticket.org_id)
    std::optional<ItopChangeModel> itopChangeModel;
    std::optional<std::int64_t> glpiEntityId;             // GLPI entities_id (0 = root entity)
    std::optional<std::int64_t> freshserviceRequesterId;  // Freshservice requester_id
    std::string jiraMapping;                              // Jira mapping file text ("" = none)
    std::string jiraMappingSource;                        // where the mapping came from (error messages)
};

// Parses one setting value; the error names the key and, when `source` is
// given, where it came from ("workspace setting ...", "--itop-organization").
Status applyTicketingSetting(TicketingSettings& settings, const std::string& key, const std::string& value,
                             const std::string& source);

// Reads the ticketing.* keys of a workspace's settings; the first bad value is an error naming its key.
Result<TicketingSettings> ticketingSettingsFrom(const std::map<std::string, std::string>& settings);

// Ok when `system` has every setting it needs; otherwise an error naming the
// missing setting, its workspace key and its CLI option.
Status requireTicketingSettings(TicketingSystem system, const TicketingSettings& settings);

// "default" / "itil".
const char* toString(ItopChangeModel model);

}  // namespace planner::core::io
