#include "io/ticketing_settings.hpp"

#include <cstdint>

namespace planner::core::io {
namespace {

// A non-negative decimal integer below 2^53 (JSON-safe), or nullopt.
std::optional<std::int64_t> parseId(const std::string& s) {
    if (s.empty() || s.size() > 15) return std::nullopt;
    std::int64_t v = 0;
    for (char ch : s) {
        if (ch < '0' || ch > '9') return std::nullopt;
        v = v * 10 + (ch - '0');
    }
    return v;
}

Error settingError(const std::string& source, const std::string& message) {
    return Error{message, source, 0, 0};
}

struct Requirement {
    const char* what;
    const char* key;
    const char* option;
};

Error missing(TicketingSystem system, const Requirement& r) {
    return Error{std::string(toString(system)) + ": " + r.what + " is not set: set the workspace setting " + r.key +
                     " (planner ticketing-settings " + r.option + " ...) or give " + r.option +
                     "; no payload is written without it",
                 "", 0, 0};
}

}  // namespace

const char* toString(TicketingSystem s) {
    switch (s) {
        case TicketingSystem::ServiceNow:
            return "servicenow";
        case TicketingSystem::Glpi:
            return "glpi";
        case TicketingSystem::Itop:
            return "itop";
        case TicketingSystem::Jira:
            return "jira";
        case TicketingSystem::Freshservice:
            return "freshservice";
    }
    return "servicenow";
}

std::optional<TicketingSystem> ticketingSystemFromString(const std::string& name) {
    for (TicketingSystem s : allTicketingSystems())
        if (name == toString(s)) return s;
    return std::nullopt;
}

const std::vector<TicketingSystem>& allTicketingSystems() {
    static const std::vector<TicketingSystem> all = {TicketingSystem::ServiceNow, TicketingSystem::Glpi,
                                                     TicketingSystem::Itop, TicketingSystem::Jira,
                                                     TicketingSystem::Freshservice};
    return all;
}

const char* toString(ItopChangeModel m) {
    return m == ItopChangeModel::Itil ? "itil" : "default";
}

Status applyTicketingSetting(TicketingSettings& s, const std::string& key, const std::string& value,
                             const std::string& source) {
    if (key == kItopOrganizationSetting) {
        if (value.empty() || value.size() > 255)
            return settingError(source, key + ": expected an iTop organization name of 1 to 255 bytes");
        s.itopOrganization = value;
    } else if (key == kItopChangeModelSetting) {
        if (value == "default")
            s.itopChangeModel = ItopChangeModel::Default;
        else if (value == "itil")
            s.itopChangeModel = ItopChangeModel::Itil;
        else
            return settingError(source, key +
                                            ": expected \"default\" (module itop-change-mgmt, class Change) or "
                                            "\"itil\" (module itop-change-mgmt-itil), not \"" +
                                            value + "\"");
    } else if (key == kGlpiEntitySetting) {
        auto id = parseId(value);
        if (!id)
            return settingError(source,
                                key + ": expected a GLPI entity id (0 or a positive integer), not \"" + value + "\"");
        s.glpiEntityId = *id;
    } else if (key == kFreshserviceRequesterSetting) {
        auto id = parseId(value);
        if (!id || *id == 0)
            return settingError(
                source, key + ": expected a Freshservice requester id (a positive integer), not \"" + value + "\"");
        s.freshserviceRequesterId = *id;
    } else if (key == kJiraMappingSetting) {
        s.jiraMapping = value;
        s.jiraMappingSource = source;
    } else {
        return settingError(source, "unknown ticketing setting \"" + key + "\"");
    }
    return okStatus();
}

Result<TicketingSettings> ticketingSettingsFrom(const std::map<std::string, std::string>& settings) {
    TicketingSettings out;
    for (const auto& [key, value] : settings) {
        if (key.rfind("ticketing.", 0) != 0) continue;
        if (auto st = applyTicketingSetting(out, key, value, "workspace setting " + key); !st) return st.error();
    }
    return out;
}

Status requireTicketingSettings(TicketingSystem system, const TicketingSettings& s) {
    switch (system) {
        case TicketingSystem::ServiceNow:
            break;
        case TicketingSystem::Itop:
            if (s.itopOrganization.empty())
                return missing(system, {"the iTop organization", kItopOrganizationSetting, "--itop-organization"});
            if (!s.itopChangeModel)
                return missing(system, {"the iTop change data model (default or itil)", kItopChangeModelSetting,
                                        "--itop-change-model"});
            break;
        case TicketingSystem::Glpi:
            if (!s.glpiEntityId) return missing(system, {"the GLPI entity", kGlpiEntitySetting, "--glpi-entity"});
            break;
        case TicketingSystem::Freshservice:
            if (!s.freshserviceRequesterId)
                return missing(
                    system, {"the Freshservice requester", kFreshserviceRequesterSetting, "--freshservice-requester"});
            break;
        case TicketingSystem::Jira:
            if (s.jiraMapping.empty())
                return missing(system, {"the Jira field mapping", kJiraMappingSetting, "--jira-mapping"});
            break;
    }
    return okStatus();
}

}  // namespace planner::core::io
