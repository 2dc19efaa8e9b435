#include "io/payload_jira.hpp"

#include <algorithm>
#include <cctype>

#include "io/canonical_json.hpp"
#include "io/export_json.hpp"
#include "io/export_text.hpp"

namespace planner::core::io {
namespace {

struct LogicalField {
    const char* name;
    JiraValueKind defaultKind;
};

const LogicalField kLogicalFields[] = {
    {"changeId", JiraValueKind::Text},          {"changeType", JiraValueKind::Option},
    {"state", JiraValueKind::Option},           {"risk", JiraValueKind::Option},
    {"impactLevel", JiraValueKind::Option},     {"category", JiraValueKind::Option},
    {"plannedStart", JiraValueKind::DateTime},  {"plannedEnd", JiraValueKind::DateTime},
    {"reason", JiraValueKind::Adf},             {"justification", JiraValueKind::Adf},
    {"impactStatement", JiraValueKind::Adf},    {"implementationPlan", JiraValueKind::Adf},
    {"backoutPlan", JiraValueKind::Adf},        {"testPlan", JiraValueKind::Adf},
    {"communicationPlan", JiraValueKind::Adf},  {"affectedCis", JiraValueKind::Labels},
    {"impactedServices", JiraValueKind::Labels}, {"assignmentGroup", JiraValueKind::Text},
};

const LogicalField* findLogical(std::string_view name) {
    for (const auto& f : kLogicalFields)
        if (name == f.name) return &f;
    return nullptr;
}

std::optional<JiraValueKind> kindFromString(std::string_view s) {
    if (s == "text") return JiraValueKind::Text;
    if (s == "adf") return JiraValueKind::Adf;
    if (s == "option") return JiraValueKind::Option;
    if (s == "datetime") return JiraValueKind::DateTime;
    if (s == "date") return JiraValueKind::Date;
    if (s == "labels") return JiraValueKind::Labels;
    return std::nullopt;
}

const char* kindName(JiraValueKind k) {
    switch (k) {
        case JiraValueKind::Text: return "text";
        case JiraValueKind::Adf: return "adf";
        case JiraValueKind::Option: return "option";
        case JiraValueKind::DateTime: return "datetime";
        case JiraValueKind::Date: return "date";
        case JiraValueKind::Labels: return "labels";
    }
    return "text";
}

// The kinds a logical field's value can be written as.
std::vector<JiraValueKind> kindsFor(const LogicalField& f) {
    using K = JiraValueKind;
    switch (f.defaultKind) {
        case K::Option: return {K::Option, K::Text, K::Labels};
        case K::DateTime: return {K::DateTime, K::Date, K::Text};
        case K::Adf: return {K::Adf, K::Text};
        case K::Labels: return {K::Labels, K::Text};
        case K::Text: return {K::Text, K::Labels, K::Option};
        case K::Date: return {K::Date, K::Text};
    }
    return {K::Text};
}

bool kindAllowed(const LogicalField& f, JiraValueKind k) {
    for (JiraValueKind x : kindsFor(f))
        if (x == k) return true;
    return false;
}

std::string allowedKinds(const LogicalField& f) {
    std::string out;
    for (JiraValueKind x : kindsFor(f)) out += (out.empty() ? "" : ", ") + std::string(kindName(x));
    return out;
}

bool validFieldId(std::string_view id) {
    if (id.empty() || !std::isalpha(static_cast<unsigned char>(id[0]))) return false;
    for (char ch : id)
        if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') return false;
    return id != "project" && id != "issuetype" && id != "summary" && id != "description";
}

// ---- Atlassian Document Format ----

rapidjson::Value adfText(const std::string& text, JsonAlloc& a) {
    rapidjson::Value t(rapidjson::kObjectType);
    putString(t, "type", "text", a);
    putString(t, "text", sanitizeUtf8(text), a);
    return t;
}

rapidjson::Value adfNode(const char* type, rapidjson::Value content, JsonAlloc& a) {
    rapidjson::Value n(rapidjson::kObjectType);
    putString(n, "type", type, a);
    putValue(n, "content", std::move(content), a);
    return n;
}

// One paragraph per blank-line separated block, hard breaks for single newlines.
void appendParagraphs(rapidjson::Value& content, const std::string& text, JsonAlloc& a) {
    std::string normalized;
    for (char ch : text)
        if (ch != '\r') normalized += ch;
    std::size_t pos = 0;
    while (pos <= normalized.size()) {
        std::size_t end = normalized.find("\n\n", pos);
        if (end == std::string::npos) end = normalized.size();
        const std::string block = normalized.substr(pos, end - pos);
        rapidjson::Value inline_(rapidjson::kArrayType);
        std::size_t lp = 0;
        while (lp <= block.size()) {
            std::size_t le = block.find('\n', lp);
            if (le == std::string::npos) le = block.size();
            const std::string line = block.substr(lp, le - lp);
            if (!line.empty()) {
                if (!inline_.Empty()) {
                    rapidjson::Value br(rapidjson::kObjectType);
                    putString(br, "type", "hardBreak", a);
                    inline_.PushBack(br, a);
                }
                inline_.PushBack(adfText(line, a), a);
            }
            lp = le + 1;
        }
        if (!inline_.Empty()) content.PushBack(adfNode("paragraph", std::move(inline_), a), a);
        pos = end + 2;
    }
}

rapidjson::Value adfHeading(const std::string& text, JsonAlloc& a) {
    rapidjson::Value inl(rapidjson::kArrayType);
    inl.PushBack(adfText(text, a), a);
    rapidjson::Value h = adfNode("heading", std::move(inl), a);
    rapidjson::Value attrs(rapidjson::kObjectType);
    putInt(attrs, "level", 3, a);
    putValue(h, "attrs", std::move(attrs), a);
    return h;
}

rapidjson::Value adfList(const char* type, const std::vector<std::string>& items, JsonAlloc& a) {
    rapidjson::Value list(rapidjson::kArrayType);
    for (const auto& item : items) {
        rapidjson::Value para(rapidjson::kArrayType);
        appendParagraphs(para, item.empty() ? std::string("-") : item, a);
        list.PushBack(adfNode("listItem", std::move(para), a), a);
    }
    return adfNode(type, std::move(list), a);
}

rapidjson::Value adfDoc(rapidjson::Value content, JsonAlloc& a) {
    rapidjson::Value d(rapidjson::kObjectType);
    putString(d, "type", "doc", a);
    putInt(d, "version", 1, a);
    putValue(d, "content", std::move(content), a);
    return d;
}

rapidjson::Value adfFromText(const std::string& text, JsonAlloc& a) {
    rapidjson::Value content(rapidjson::kArrayType);
    appendParagraphs(content, text, a);
    return adfDoc(std::move(content), a);
}

void addSection(rapidjson::Value& content, const char* title, const std::string& text, JsonAlloc& a) {
    if (text.empty()) return;
    content.PushBack(adfHeading(title, a), a);
    appendParagraphs(content, text, a);
}

std::string labelOf(const std::string& s) {
    std::string out;
    for (char ch : s) out += std::isspace(static_cast<unsigned char>(ch)) ? '_' : ch;
    return out;
}

std::string titleCase(const std::string& s) {
    std::string out = s;
    bool start = true;
    for (char& ch : out) {
        if (ch == '_') {
            ch = ' ';
            start = true;
        } else if (start) {
            ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            start = false;
        }
    }
    return out;
}

std::string truncateCodePoints(const std::string& s, std::size_t max) {
    const auto cps = decodeUtf8(s);
    if (cps.size() <= max) return sanitizeUtf8(s);
    std::string out;
    for (std::size_t i = 0; i < max; ++i) appendUtf8(out, cps[i]);
    return out;
}

}  // namespace

const std::vector<std::string>& jiraLogicalFields() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto& f : kLogicalFields) v.emplace_back(f.name);
        return v;
    }();
    return names;
}

Result<JiraMapping> parseJiraMapping(std::string_view json, const std::string& sourceName) {
    auto parsed = parseLocatedJson(json, sourceName);
    if (!parsed) return parsed.error();
    const LocatedJson& located = **parsed;
    const rapidjson::Value& root = located.root();
    JsonFieldReader r(located);
    if (!r.expectObject(root, "")) return r.error();
    r.onlyKnown(root, "", {"project", "issueType", "fields", "options", "labels"});
    JiraMapping m;
    r.text(root, "", "project", m.project, true);
    if (r.ok() && m.project.empty()) r.fail("/project", "must not be empty");
    r.text(root, "", "issueType", m.issueType, true);
    if (r.ok() && m.issueType.empty()) r.fail("/issueType", "must not be empty");
    r.textList(root, "", "labels", m.labels);
    if (const rapidjson::Value* fields = JsonFieldReader::member(root, "fields"); fields && r.ok()) {
        if (r.expectObject(*fields, "/fields")) {
            for (auto it = fields->MemberBegin(); it != fields->MemberEnd() && r.ok(); ++it) {
                const std::string name(it->name.GetString(), it->name.GetStringLength());
                const std::string p = "/fields" + pointerSegment(name);
                const LogicalField* logical = findLogical(name);
                if (!logical) {
                    r.fail(p, "unknown logical field (see the list in the mapping documentation)");
                    break;
                }
                JiraFieldTarget target{"", logical->defaultKind};
                bool kindGiven = false;
                if (it->value.IsString()) {
                    target.fieldId.assign(it->value.GetString(), it->value.GetStringLength());
                } else if (it->value.IsObject()) {
                    r.onlyKnown(it->value, p, {"id", "as"});
                    r.text(it->value, p, "id", target.fieldId, true);
                    std::string kind;
                    r.text(it->value, p, "as", kind);
                    if (r.ok() && !kind.empty()) {
                        auto k = kindFromString(kind);
                        if (!k) {
                            r.fail(p + "/as", "expected text, adf, option, datetime, date or labels");
                            break;
                        }
                        target.kind = *k;
                        kindGiven = true;
                    }
                } else {
                    r.fail(p, "expected a field id string or an object {\"id\", \"as\"}");
                    break;
                }
                if (r.ok() && !validFieldId(target.fieldId)) {
                    r.fail(p, "\"" + target.fieldId +
                                  "\" is not a usable Jira field id (expected e.g. customfield_10042)");
                    break;
                }
                // A custom field's kind is what the site configured; a wrong
                // guess (plain text into a paragraph field) is refused by API v3.
                if (r.ok() && !kindGiven && target.fieldId.rfind("customfield_", 0) == 0) {
                    r.fail(p, "the kind of custom field \"" + target.fieldId +
                                  "\" is not given: write {\"id\": \"" + target.fieldId +
                                  "\", \"as\": KIND} with KIND the field's type on your site (" +
                                  allowedKinds(*logical) + ")");
                    break;
                }
                if (r.ok() && !kindAllowed(*logical, target.kind)) {
                    r.fail(kindGiven ? p + "/as" : p, std::string("kind \"") + kindName(target.kind) +
                                                          "\" cannot hold " + name + " (allowed: " +
                                                          allowedKinds(*logical) + ")");
                    break;
                }
                if (r.ok() && target.fieldId == "labels" && target.kind != JiraValueKind::Labels) {
                    r.fail(p, "the Jira field labels takes the kind labels");
                    break;
                }
                for (const auto& [other, t] : m.fields)
                    if (t.fieldId == target.fieldId && r.ok())
                        r.fail(p, "field id \"" + target.fieldId + "\" is already used by \"" + other + "\"");
                if (!r.ok()) break;
                m.fields[name] = target;
            }
        }
    }
    if (const rapidjson::Value* options = JsonFieldReader::member(root, "options"); options && r.ok()) {
        if (r.expectObject(*options, "/options")) {
            for (auto it = options->MemberBegin(); it != options->MemberEnd() && r.ok(); ++it) {
                const std::string name(it->name.GetString(), it->name.GetStringLength());
                if (!findLogical(name)) {
                    r.fail("/options" + pointerSegment(name), "unknown logical field");
                    break;
                }
                std::map<std::string, std::string> values;
                r.textMap(*options, "/options", name.c_str(), values);
                m.options[name] = values;
            }
        }
    }
    if (!r.ok()) return r.error();
    return m;
}

std::string jiraPayload(const ChangeRequest& c, const ExportContext& ctx, const JiraMapping& mapping) {
    rapidjson::Document doc(rapidjson::kObjectType);
    auto& a = doc.GetAllocator();
    const auto risk = contextRisk(ctx);
    const int tier = highestCriticality(ctx);

    rapidjson::Value fields(rapidjson::kObjectType);
    rapidjson::Value project(rapidjson::kObjectType);
    putString(project, "key", mapping.project, a);
    putValue(fields, "project", std::move(project), a);
    rapidjson::Value issueType(rapidjson::kObjectType);
    putString(issueType, "name", mapping.issueType, a);
    putValue(fields, "issuetype", std::move(issueType), a);
    putString(fields, "summary", truncateCodePoints("[" + c.id + "] " + c.title, 255), a);

    rapidjson::Value content(rapidjson::kArrayType);
    appendParagraphs(content, c.description, a);
    std::string planned;
    if (c.plannedStart != 0)
        planned = "Planned: " + formatIsoUtc(c.plannedStart) + " to " + formatIsoUtc(c.plannedEnd) +
                  " (planner time zone " + c.timeZone + ")";
    if (!windowSummary(ctx).empty()) planned += (planned.empty() ? "" : "\n") + ("Window: " + windowSummary(ctx));
    addSection(content, "Schedule", planned, a);
    addSection(content, "Reason", c.reason, a);
    addSection(content, "Impact", c.impact, a);
    if (!c.affectedCis.empty()) {
        content.PushBack(adfHeading("Affected CIs", a), a);
        std::vector<std::string> items;
        for (const auto& id : c.affectedCis) {
            const ConfigItem* ci = ctx.findCi(id);
            items.push_back(ci && !ci->name.empty() ? ci->name + " (" + id + ")" : id);
        }
        content.PushBack(adfList("bulletList", items, a), a);
    }
    if (!c.steps.empty()) {
        content.PushBack(adfHeading("Runbook", a), a);
        std::vector<std::string> items;
        for (const auto& s : c.steps) {
            std::string line = s.title + " (" + std::to_string(s.duration) + " min)";
            line += s.rollback.empty() ? "\nNo rollback: " + s.noRollbackReason : "\nRollback: " + s.rollback;
            items.push_back(line);
        }
        content.PushBack(adfList("orderedList", items, a), a);
    }
    addSection(content, "Backout plan", c.rollbackPlan, a);
    putValue(fields, "description", adfDoc(std::move(content), a), a);

    std::vector<std::string> labels = mapping.labels;

    auto optionName = [&](const std::string& logical, const std::string& ours) {
        auto it = mapping.options.find(logical);
        if (it != mapping.options.end()) {
            auto v = it->second.find(ours);
            if (v != it->second.end()) return v->second;
        }
        return titleCase(ours);
    };
    std::vector<std::string> ciLabels;
    for (const auto& id : c.affectedCis) ciLabels.push_back(id);
    std::vector<std::string> serviceLabels;
    for (const ConfigItem* s : impactedServices(ctx)) serviceLabels.push_back(s->id);

    for (const auto& [logical, target] : mapping.fields) {
        std::string text;
        std::vector<std::string> list;
        TimeUtc time = 0;
        if (logical == "changeId") text = c.id;
        else if (logical == "changeType") text = toString(c.type);
        else if (logical == "state") text = toString(c.state);
        else if (logical == "risk") text = risk ? toString(*risk) : "";
        else if (logical == "impactLevel") text = tier <= 1 ? "high" : tier == 2 ? "medium" : "low";
        else if (logical == "category") text = c.category;
        else if (logical == "plannedStart") time = c.plannedStart;
        else if (logical == "plannedEnd") time = c.plannedEnd;
        else if (logical == "reason") text = c.reason;
        else if (logical == "justification") text = c.justification;
        else if (logical == "impactStatement") text = c.impact;
        else if (logical == "implementationPlan") text = c.implementationPlan;
        else if (logical == "backoutPlan") text = c.rollbackPlan;
        else if (logical == "testPlan") text = c.testPlan;
        else if (logical == "communicationPlan") text = c.communicationPlan;
        else if (logical == "affectedCis") list = ciLabels;
        else if (logical == "impactedServices") list = serviceLabels;
        else if (logical == "assignmentGroup") text = c.assignmentGroup;
        const bool isTime = logical == "plannedStart" || logical == "plannedEnd";
        if (isTime) text = time == 0 ? "" : formatIsoUtc(time);
        if (list.empty() && !text.empty()) list.push_back(text);

        rapidjson::Value key = jsonString(target.fieldId, a);
        rapidjson::Value value;
        switch (target.kind) {
            case JiraValueKind::Text: {
                std::string joined;
                for (const auto& s : list) joined += (joined.empty() ? "" : ", ") + s;
                value = jsonString(cutText(joined, 255), a);  // single-line text fields hold 255 characters
                break;
            }
            case JiraValueKind::Adf: {
                std::string joined;
                for (const auto& s : list) joined += (joined.empty() ? "" : "\n") + s;
                value = adfFromText(joined, a);
                break;
            }
            case JiraValueKind::Option:
                if (text.empty()) {
                    value.SetNull();
                } else {
                    value.SetObject();
                    putString(value, "value", optionName(logical, text), a);
                }
                break;
            case JiraValueKind::DateTime:
            case JiraValueKind::Date:
                if (time == 0) value.SetNull();
                else value = jsonString(target.kind == JiraValueKind::Date ? formatIsoUtc(time).substr(0, 10)
                                                                            : formatJiraUtc(time), a);
                break;
            case JiraValueKind::Labels: {
                value.SetArray();
                for (const auto& s : list) value.PushBack(jsonString(labelOf(s), a), a);
                break;
            }
        }
        if (target.fieldId == "labels" && value.IsArray()) {
            for (const auto& s : list) labels.push_back(labelOf(s));
            continue;
        }
        fields.AddMember(key, value, a);
    }
    if (!labels.empty()) {
        std::vector<std::string> clean;
        for (const auto& l : labels) clean.push_back(labelOf(l));
        std::sort(clean.begin(), clean.end());
        clean.erase(std::unique(clean.begin(), clean.end()), clean.end());
        putValue(fields, "labels", jsonStringArray(clean, a), a);
    }
    putValue(doc, "fields", std::move(fields), a);
    return canonicalJson(doc);
}

}  // namespace planner::core::io
