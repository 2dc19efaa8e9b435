#include "io/payload_approvals.hpp"

#include <algorithm>
#include <vector>

#include "io/canonical_json.hpp"
#include "io/export_json.hpp"
#include "io/export_text.hpp"
#include "util/json_parse.hpp"

namespace planner::core::io {
namespace {

void setMember(rapidjson::Value& obj, const char* key, rapidjson::Value v, JsonAlloc& a) {
    if (auto it = obj.FindMember(key); it != obj.MemberEnd())
        it->value = std::move(v);
    else
        putValue(obj, key, std::move(v), a);
}

}  // namespace

Result<std::string> withSignedApprovals(TicketingSystem system, std::string_view payload, const ExportContext& ctx,
                                        const std::string& sourceName) {
    if (ctx.signedApprovals.empty() || system == TicketingSystem::Jira) return std::string(payload);
    rapidjson::Document doc;
    JsonParseOptions o;
    o.maxBytes = json_limits::kChangeDocument;
    if (auto st = parseJson(doc, payload, sourceName, o); !st) return st.error();
    const std::string format = std::string("planner.") + toString(system);
    if (!doc.IsObject() || !doc.HasMember("format") || !doc["format"].IsString() ||
        doc["format"].GetString() != format || !doc.HasMember("format_version") || !doc["format_version"].IsInt() ||
        doc["format_version"].GetInt() != 2) {
        return Error{"not a " + format + " version 2 payload: export it again from the workspace", sourceName, 0, 0};
    }
    auto& a = doc.GetAllocator();
    const std::string note = signedApprovalsNote(ctx);
    switch (system) {
        case TicketingSystem::ServiceNow: {
            rapidjson::Value wn(rapidjson::kObjectType);
            putString(wn, "work_notes", note, a);
            setMember(doc, "work_note", std::move(wn), a);
            break;
        }
        case TicketingSystem::Glpi: {
            rapidjson::Value validations(rapidjson::kArrayType);
            std::vector<std::string> requested;
            for (const auto& ap : ctx.signedApprovals) {
                if (std::find(requested.begin(), requested.end(), ap.approver) != requested.end()) continue;
                requested.push_back(ap.approver);
                rapidjson::Value v(rapidjson::kObjectType);
                putString(v, "user", cutText(ap.approver, 255), a);
                putString(v, "comment_submission",
                          "Signed " + std::string(toString(ap.decision)) + " as " + ap.role +
                              " in the change bundle (key " + ap.keyId +
                              "); the follow-up lists the verified signatures",
                          a);
                validations.PushBack(v, a);
            }
            setMember(doc, "ChangeValidation", std::move(validations), a);
            rapidjson::Value f(rapidjson::kObjectType);
            putString(f, "itemtype", "Change", a);
            putString(f, "content", htmlParagraphs(note), a);
            putInt(f, "is_private", 1, a);
            rapidjson::Value body(rapidjson::kObjectType);
            putValue(body, "input", std::move(f), a);
            setMember(doc, "ITILFollowup", std::move(body), a);
            break;
        }
        case TicketingSystem::Itop: {
            std::string cls = "Change";
            if (auto c = doc.FindMember("create"); c != doc.MemberEnd() && c->value.IsObject())
                if (auto k = c->value.FindMember("class"); k != c->value.MemberEnd() && k->value.IsString())
                    cls = k->value.GetString();
            rapidjson::Value f(rapidjson::kObjectType);
            putString(f, "private_log", note, a);
            rapidjson::Value op(rapidjson::kObjectType);
            putString(op, "operation", "core/update", a);
            putString(op, "class", cls, a);
            putInt(op, "key", 0, a);
            std::string changeId;
            if (auto id = doc.FindMember("change_id"); id != doc.MemberEnd() && id->value.IsString())
                changeId = id->value.GetString();
            putString(op, "comment", "Verified approval signatures of change " + changeId, a);
            putString(op, "output_fields", "id", a);
            putValue(op, "fields", std::move(f), a);
            setMember(doc, "log", std::move(op), a);
            break;
        }
        case TicketingSystem::Freshservice: {
            rapidjson::Value n(rapidjson::kObjectType);
            putString(n, "body", htmlParagraphs(note), a);
            setMember(doc, "note", std::move(n), a);
            break;
        }
        case TicketingSystem::Jira:
            break;
    }
    return canonicalJson(doc);
}

}  // namespace planner::core::io
