// The user's preferences (theme, font size, time zone, name), kept per browser
// profile in a small JSON file next to the workspaces. ImGui-free so it can be
// unit tested; a missing or damaged file gives the defaults, each field falls
// back on its own, and nothing in it can break the app.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <string>

#include "schedule/time_zone.hpp"
#include "util/json_parse.hpp"

namespace planner::ui {

enum class Theme { Dark, Light };

struct Settings {
    Theme theme = Theme::Dark;
    int fontSize = 15;             // logical pixels
    std::string timeZone = "UTC";
    std::string userName = "Planner";
    bool operator==(const Settings&) const = default;
};

inline constexpr int kMinFontSize = 11;
inline constexpr int kMaxFontSize = 24;
inline constexpr const char* kPreferencesFile = "preferences.json";

// Reads preferences from `json`; `problem` (if given) names what was ignored.
// `zoneKnown` decides whether a time zone is taken (the browser reads the
// file before its zone data is unpacked, and checks the zone again later).
inline Settings ParsePreferences(const std::string& json, std::string* problem = nullptr,
                                 bool (*zoneKnown)(const std::string&) = core::schedule::isKnownTimeZone) {
    Settings out;
    auto note = [&](const std::string& what) {
        if (problem) *problem += (problem->empty() ? "" : "; ") + what;
    };
    if (json.empty()) return out;
    rapidjson::Document doc;
    core::JsonParseOptions options;
    options.maxBytes = core::json_limits::kSettings;
    options.validateEncoding = false;
    if (auto st = core::parseJson(doc, json, kPreferencesFile, options); !st) {
        note("preferences are not a JSON object (" + st.error().toString() + "); using the defaults");
        return out;
    }
    if (!doc.IsObject()) {
        note("preferences are not a JSON object; using the defaults");
        return out;
    }
    if (auto it = doc.FindMember("theme"); it != doc.MemberEnd()) {
        const std::string t = it->value.IsString() ? it->value.GetString() : "";
        if (t == "dark" || t == "light")
            out.theme = t == "dark" ? Theme::Dark : Theme::Light;
        else
            note("theme must be \"dark\" or \"light\"");
    }
    if (auto it = doc.FindMember("fontSize"); it != doc.MemberEnd()) {
        if (it->value.IsInt())
            out.fontSize = std::clamp(it->value.GetInt(), kMinFontSize, kMaxFontSize);
        else
            note("fontSize must be a whole number");
    }
    if (auto it = doc.FindMember("timeZone"); it != doc.MemberEnd()) {
        const std::string z = it->value.IsString() ? it->value.GetString() : "";
        if (zoneKnown(z))
            out.timeZone = z;
        else
            note("unknown time zone \"" + z + "\"");
    }
    if (auto it = doc.FindMember("userName"); it != doc.MemberEnd()) {
        if (it->value.IsString() && it->value.GetStringLength() > 0 && it->value.GetStringLength() <= 200)
            out.userName = it->value.GetString();
        else
            note("userName must be a non-empty string");
    }
    return out;
}

// A time zone name as the zone database spells them ("Europe/Berlin",
// "America/Argentina/Buenos_Aires", "UTC"), without consulting it.
inline bool LooksLikeTimeZone(const std::string& zone) {
    if (zone.empty() || zone.size() > 64 || zone.front() == '/' || zone.back() == '/') return false;
    for (char c : zone)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '_' ||
              c == '-' || c == '+'))
            return false;
    return zone.find("//") == std::string::npos && zone.find("..") == std::string::npos;
}

inline std::string PreferencesJson(const Settings& s) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("theme");
    w.String(s.theme == Theme::Dark ? "dark" : "light");
    w.Key("fontSize");
    w.Int(s.fontSize);
    w.Key("timeZone");
    w.String(s.timeZone.c_str());
    w.Key("userName");
    w.String(s.userName.c_str());
    w.EndObject();
    return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

}  // namespace planner::ui
