#include "model/serialization.hpp"

#include <cereal/archives/json.hpp>
#include <cereal/archives/portable_binary.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/utility.hpp>
#include <cereal/types/vector.hpp>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "util/json_parse.hpp"

#include <sstream>

namespace planner::core {
namespace {

template <class Ar>
constexpr bool kLoading = Ar::is_loading::value;

// Writes `value` as its snake_case name; on load, an unknown name throws with
// the field and the offending text (caught at the public API boundary).
template <class Ar, class E, class From>
void enumField(Ar& ar, const char* name, E& value, From from) {
    std::string text;
    if constexpr (!kLoading<Ar>) text = toString(value);
    ar(cereal::make_nvp(name, text));
    if constexpr (kLoading<Ar>) {
        auto parsed = from(text);
        if (!parsed) throw cereal::Exception("field \"" + std::string(name) + "\" has unknown value \"" + text + "\"");
        value = *parsed;
    }
}

}  // namespace

template <class Ar>
void serialize(Ar& ar, ConfigItem& c) {
    ar(cereal::make_nvp("id", c.id), cereal::make_nvp("name", c.name), cereal::make_nvp("type", c.type),
       cereal::make_nvp("owner", c.owner), cereal::make_nvp("team", c.team), cereal::make_nvp("tier", c.tier),
       cereal::make_nvp("environment", c.environment), cereal::make_nvp("location", c.location),
       cereal::make_nvp("tags", c.tags), cereal::make_nvp("attributes", c.attributes));
}

template <class Ar>
void serialize(Ar& ar, Relationship& r) {
    ar(cereal::make_nvp("from", r.from), cereal::make_nvp("to", r.to), cereal::make_nvp("type", r.type));
}

template <class Ar>
void serialize(Ar& ar, Step& s) {
    ar(cereal::make_nvp("id", s.id), cereal::make_nvp("title", s.title),
       cereal::make_nvp("description", s.description), cereal::make_nvp("owner", s.owner),
       cereal::make_nvp("ci", s.ci), cereal::make_nvp("duration", s.duration),
       cereal::make_nvp("dependsOn", s.dependsOn), cereal::make_nvp("verification", s.verification),
       cereal::make_nvp("rollback", s.rollback), cereal::make_nvp("rollbackDuration", s.rollbackDuration),
       cereal::make_nvp("noRollbackReason", s.noRollbackReason));
}

template <class Ar>
void serialize(Ar& ar, Approval& a) {
    ar(cereal::make_nvp("approver", a.approver), cereal::make_nvp("role", a.role));
    enumField(ar, "decision", a.decision, decisionFromString);
    ar(cereal::make_nvp("at", a.at), cereal::make_nvp("comment", a.comment), cereal::make_nvp("keyId", a.keyId),
       cereal::make_nvp("retrospective", a.retrospective));
}

template <class Ar>
void serialize(Ar& ar, Review& r) {
    ar(cereal::make_nvp("outcome", r.outcome), cereal::make_nvp("closureCode", r.closureCode),
       cereal::make_nvp("incidents", r.incidents), cereal::make_nvp("timeToRestore", r.timeToRestore),
       cereal::make_nvp("lessonsLearned", r.lessonsLearned), cereal::make_nvp("at", r.at));
}

template <class Ar>
void serialize(Ar& ar, DeclaredChange& d) {
    ar(cereal::make_nvp("ci", d.ci), cereal::make_nvp("attribute", d.attribute),
       cereal::make_nvp("expectedValue", d.expectedValue));
}

template <class Ar>
void serialize(Ar& ar, ChangeRequest& c) {
    ar(cereal::make_nvp("id", c.id), cereal::make_nvp("title", c.title),
       cereal::make_nvp("description", c.description), cereal::make_nvp("reason", c.reason),
       cereal::make_nvp("justification", c.justification));
    enumField(ar, "type", c.type, changeTypeFromString);
    ar(cereal::make_nvp("category", c.category), cereal::make_nvp("model", c.model),
       cereal::make_nvp("requester", c.requester), cereal::make_nvp("owner", c.owner),
       cereal::make_nvp("implementer", c.implementer), cereal::make_nvp("assignmentGroup", c.assignmentGroup),
       cereal::make_nvp("affectedCis", c.affectedCis));
    std::map<std::string, std::string> flags;
    if constexpr (!kLoading<Ar>)
        for (const auto& [ci, flag] : c.impactFlags) flags.emplace(ci, toString(flag));
    ar(cereal::make_nvp("impactFlags", flags));
    if constexpr (kLoading<Ar>) {
        c.impactFlags.clear();
        for (const auto& [ci, text] : flags) {
            auto flag = impactFlagFromString(text);
            if (!flag) throw cereal::Exception("field \"impactFlags\" has unknown value \"" + text + "\"");
            c.impactFlags.emplace(ci, *flag);
        }
    }
    ar(cereal::make_nvp("plannedStart", c.plannedStart), cereal::make_nvp("plannedEnd", c.plannedEnd),
       cereal::make_nvp("timeZone", c.timeZone), cereal::make_nvp("implementationPlan", c.implementationPlan),
       cereal::make_nvp("rollbackPlan", c.rollbackPlan), cereal::make_nvp("testPlan", c.testPlan),
       cereal::make_nvp("communicationPlan", c.communicationPlan), cereal::make_nvp("steps", c.steps),
       cereal::make_nvp("questionnaire", c.questionnaire), cereal::make_nvp("rollbackTested", c.rollbackTested),
       cereal::make_nvp("testedInStaging", c.testedInStaging), cereal::make_nvp("impact", c.impact));
    enumField(ar, "state", c.state, changeStateFromString);
    ar(cereal::make_nvp("approvals", c.approvals), cereal::make_nvp("declaredChanges", c.declaredChanges),
       cereal::make_nvp("review", c.review), cereal::make_nvp("closeCode", c.closeCode),
       cereal::make_nvp("closeNotes", c.closeNotes), cereal::make_nvp("createdAt", c.createdAt),
       cereal::make_nvp("updatedAt", c.updatedAt));
}

template <class Ar>
void serialize(Ar& ar, Window& w) {
    ar(cereal::make_nvp("id", w.id), cereal::make_nvp("name", w.name));
    enumField(ar, "kind", w.kind, windowKindFromString);
    enumField(ar, "scope", w.scope, windowScopeFromString);
    ar(cereal::make_nvp("scopeValue", w.scopeValue), cereal::make_nvp("timeZone", w.timeZone),
       cereal::make_nvp("start", w.start), cereal::make_nvp("duration", w.duration),
       cereal::make_nvp("rrule", w.rrule), cereal::make_nvp("exdates", w.exdates),
       cereal::make_nvp("rdates", w.rdates), cereal::make_nvp("sequence", w.sequence));
}

template <class Ar>
void serialize(Ar& ar, Person& p) {
    ar(cereal::make_nvp("id", p.id), cereal::make_nvp("name", p.name), cereal::make_nvp("email", p.email),
       cereal::make_nvp("roles", p.roles), cereal::make_nvp("publicKey", p.publicKey));
}

template <class Ar>
void serialize(Ar& ar, WorkspaceSnapshot& s) {
    ar(cereal::make_nvp("name", s.data.name), cereal::make_nvp("cis", s.data.cis),
       cereal::make_nvp("relationships", s.data.relationships), cereal::make_nvp("changes", s.data.changes),
       cereal::make_nvp("windows", s.data.windows), cereal::make_nvp("people", s.data.people),
       cereal::make_nvp("settings", s.settings), cereal::make_nvp("policies", s.policies));
}

#define PLANNER_INSTANTIATE(T)                                                            \
    template void serialize<cereal::JSONOutputArchive>(cereal::JSONOutputArchive&, T&);            \
    template void serialize<cereal::JSONInputArchive>(cereal::JSONInputArchive&, T&);              \
    template void serialize<cereal::PortableBinaryOutputArchive>(cereal::PortableBinaryOutputArchive&, T&); \
    template void serialize<cereal::PortableBinaryInputArchive>(cereal::PortableBinaryInputArchive&, T&);
PLANNER_INSTANTIATE(ConfigItem)
PLANNER_INSTANTIATE(Relationship)
PLANNER_INSTANTIATE(Step)
PLANNER_INSTANTIATE(Approval)
PLANNER_INSTANTIATE(Review)
PLANNER_INSTANTIATE(DeclaredChange)
PLANNER_INSTANTIATE(ChangeRequest)
PLANNER_INSTANTIATE(Window)
PLANNER_INSTANTIATE(Person)
PLANNER_INSTANTIATE(WorkspaceSnapshot)
#undef PLANNER_INSTANTIATE

namespace {

cereal::JSONOutputArchive::Options documentOptions() {
    return cereal::JSONOutputArchive::Options(324, cereal::JSONOutputArchive::Options::IndentChar::space, 2);
}

template <class T>
std::string writeDocument(const char* key, const T& value) {
    std::ostringstream out;
    {
        cereal::JSONOutputArchive ar(out, documentOptions());
        int version = kModelSchemaVersion;
        ar(cereal::make_nvp("schemaVersion", version), cereal::make_nvp(key, const_cast<T&>(value)));
    }
    return out.str();
}

template <class T>
std::string writeRow(const T& value) {
    std::ostringstream out;
    {
        cereal::JSONOutputArchive ar(out, cereal::JSONOutputArchive::Options::NoIndent());
        ar(cereal::make_nvp("v", const_cast<T&>(value)));
    }
    return out.str();
}

// Checks `json` is well-formed UTF-8 JSON whose root is an object, so that
// cereal only ever sees valid documents; errors carry line and column. The
// parse is iterative and bounded (size, nesting), so cereal's own recursive
// re-parse of a text that passed is bounded too.
Status checkSyntax(std::string_view json, const std::string& sourceName, std::size_t maxBytes) {
    rapidjson::Document doc;
    // Parsed as cereal will parse it (the whole text, one root value), so that
    // anything cereal would choke on - trailing content, a non-object root - is
    // refused here with a message instead of reaching rapidjson's assertions.
    JsonParseOptions options;
    options.maxBytes = maxBytes;
    options.messagePrefix = "malformed JSON: ";
    if (auto st = parseJson(doc, json, sourceName, options); !st) return st;
    if (!doc.IsObject()) return Error{"expected a JSON object at the top level", sourceName, 1, 1};
    return okStatus();
}

template <class T>
Result<T> readDocument(std::string_view json, const std::string& sourceName, const char* key, std::size_t maxBytes) {
    if (auto st = checkSyntax(json, sourceName, maxBytes); !st) return st.error();
    try {
        std::istringstream in{std::string(json)};
        cereal::JSONInputArchive ar(in);
        int version = 0;
        ar(cereal::make_nvp("schemaVersion", version));
        if (version < 1 || version > kModelSchemaVersion)
            return Error{"unsupported schemaVersion " + std::to_string(version) + " (expected 1.." +
                             std::to_string(kModelSchemaVersion) + ")",
                         sourceName, 0, 0};
        T value{};
        ar(cereal::make_nvp(key, value));
        return value;
    } catch (const std::exception& e) {
        return Error{std::string("invalid \"") + key + "\" document: " + e.what(), sourceName, 0, 0};
    }
}

template <class T>
Result<T> readRow(std::string_view json, const std::string& sourceName) {
    if (auto st = checkSyntax(json, sourceName, json_limits::kStoredRow); !st) return st.error();
    try {
        std::istringstream in{std::string(json)};
        cereal::JSONInputArchive ar(in);
        T value{};
        ar(cereal::make_nvp("v", value));
        return value;
    } catch (const std::exception& e) {
        return Error{std::string("invalid stored row: ") + e.what(), sourceName, 0, 0};
    }
}

}  // namespace

std::string toJson(const ChangeRequest& change) { return writeDocument("change", change); }
std::string toJson(const std::vector<ConfigItem>& cis) { return writeDocument("cis", cis); }
std::string toJson(const Window& window) { return writeDocument("window", window); }
std::string toJson(const Person& person) { return writeDocument("person", person); }
std::string toJson(const WorkspaceSnapshot& snapshot) { return writeDocument("workspace", snapshot); }

Result<ChangeRequest> changeFromJson(std::string_view json, const std::string& sourceName) {
    return readDocument<ChangeRequest>(json, sourceName, "change", json_limits::kChangeDocument);
}
Result<std::vector<ConfigItem>> configItemsFromJson(std::string_view json, const std::string& sourceName) {
    return readDocument<std::vector<ConfigItem>>(json, sourceName, "cis", json_limits::kCmdbImport);
}
Result<Window> windowFromJson(std::string_view json, const std::string& sourceName) {
    return readDocument<Window>(json, sourceName, "window", json_limits::kStoredRow);
}
Result<Person> personFromJson(std::string_view json, const std::string& sourceName) {
    return readDocument<Person>(json, sourceName, "person", json_limits::kStoredRow);
}
Result<WorkspaceSnapshot> snapshotFromJson(std::string_view json, const std::string& sourceName) {
    return readDocument<WorkspaceSnapshot>(json, sourceName, "workspace", json_limits::kWorkspaceExport);
}

std::string changeToRowJson(const ChangeRequest& change) { return writeRow(change); }
Result<ChangeRequest> changeFromRowJson(std::string_view json, const std::string& sourceName) {
    return readRow<ChangeRequest>(json, sourceName);
}
std::string windowToRowJson(const Window& window) { return writeRow(window); }
Result<Window> windowFromRowJson(std::string_view json, const std::string& sourceName) {
    return readRow<Window>(json, sourceName);
}
std::string personToRowJson(const Person& person) { return writeRow(person); }
Result<Person> personFromRowJson(std::string_view json, const std::string& sourceName) {
    return readRow<Person>(json, sourceName);
}

std::string cmdbToBinary(const std::vector<ConfigItem>& cis, const std::vector<Relationship>& relationships) {
    std::ostringstream out;
    {
        cereal::PortableBinaryOutputArchive ar(out);
        std::int32_t version = kModelSchemaVersion;
        ar(version, const_cast<std::vector<ConfigItem>&>(cis), const_cast<std::vector<Relationship>&>(relationships));
    }
    return out.str();
}

Result<std::pair<std::vector<ConfigItem>, std::vector<Relationship>>> cmdbFromBinary(std::string_view bytes) {
    try {
        std::istringstream in{std::string(bytes)};
        cereal::PortableBinaryInputArchive ar(in);
        std::int32_t version = 0;
        ar(version);
        if (version < 1 || version > kModelSchemaVersion)
            return Error{"unsupported binary CMDB version " + std::to_string(version), "", 0, 0};
        std::pair<std::vector<ConfigItem>, std::vector<Relationship>> out;
        ar(out.first, out.second);
        return out;
    } catch (const std::exception& e) {
        return Error{std::string("corrupt binary CMDB: ") + e.what(), "", 0, 0};
    }
}

}  // namespace planner::core
