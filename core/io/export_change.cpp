#include "io/export_change.hpp"

#include <algorithm>
#include <climits>
#include <set>
#include <tuple>

#include "io/canonical_json.hpp"
#include "io/export_json.hpp"

namespace planner::core::io {
namespace {

constexpr const char* kChangeSchema = "planner.change";
constexpr const char* kSliceSchema = "planner.cmdb_slice";

rapidjson::Value stepJson(const Step& s, JsonAlloc& a) {
    rapidjson::Value o(rapidjson::kObjectType);
    putString(o, "id", s.id, a);
    putString(o, "title", s.title, a);
    putString(o, "description", s.description, a);
    putString(o, "owner", s.owner, a);
    putString(o, "cmdb_ci", s.ci, a);
    putInt(o, "duration_minutes", s.duration, a);
    putValue(o, "depends_on", jsonStringArray(s.dependsOn, a), a);
    putString(o, "verification", s.verification, a);
    putString(o, "rollback", s.rollback, a);
    putInt(o, "rollback_duration_minutes", s.rollbackDuration, a);
    putString(o, "no_rollback_reason", s.noRollbackReason, a);
    return o;
}

rapidjson::Value approvalJson(const Approval& ap, JsonAlloc& a) {
    rapidjson::Value o(rapidjson::kObjectType);
    putString(o, "approver", ap.approver, a);
    putString(o, "role", ap.role, a);
    putString(o, "decision", toString(ap.decision), a);
    putValue(o, "at", jsonTimeOrNull(ap.at, a), a);
    putString(o, "comment", ap.comment, a);
    putString(o, "key_id", ap.keyId, a);
    putBool(o, "retrospective", ap.retrospective, a);
    return o;
}

rapidjson::Value ciJson(const ConfigItem& ci, JsonAlloc& a) {
    rapidjson::Value o(rapidjson::kObjectType);
    putString(o, "id", ci.id, a);
    putString(o, "name", ci.name, a);
    putString(o, "type", ci.type, a);
    putString(o, "owner", ci.owner, a);
    putString(o, "team", ci.team, a);
    putInt(o, "tier", ci.tier, a);
    putString(o, "environment", ci.environment, a);
    putString(o, "location", ci.location, a);
    putValue(o, "tags", jsonStringArray(ci.tags, a), a);
    rapidjson::Value attrs(rapidjson::kObjectType);
    for (const auto& [k, v] : ci.attributes) attrs.AddMember(jsonString(k, a), jsonString(v, a), a);
    putValue(o, "attributes", std::move(attrs), a);
    return o;
}

template <typename E, typename F>
void enumField(JsonFieldReader& r, const rapidjson::Value& obj, const std::string& ptr, const char* key, E& out,
               F fromString, const char* allowed) {
    std::string name;
    if (!JsonFieldReader::member(obj, key)) return;
    r.text(obj, ptr, key, name);
    if (!r.ok()) return;
    auto v = fromString(name);
    if (!v) {
        r.fail(ptr + pointerSegment(key), "unknown value \"" + name + "\" (expected one of " + allowed + ")");
        return;
    }
    out = *v;
}

void readMinutes(JsonFieldReader& r, const rapidjson::Value& obj, const std::string& ptr, const char* key,
                 Minutes& out) {
    std::int64_t v = out;
    r.integer(obj, ptr, key, 0, INT32_MAX, v);
    out = static_cast<Minutes>(v);
}

void readStep(JsonFieldReader& r, const rapidjson::Value& v, const std::string& ptr, Step& s) {
    if (!r.expectObject(v, ptr)) return;
    r.onlyKnown(v, ptr,
                {"id", "title", "description", "owner", "cmdb_ci", "duration_minutes", "depends_on", "verification",
                 "rollback", "rollback_duration_minutes", "no_rollback_reason"});
    r.text(v, ptr, "id", s.id, true);
    r.text(v, ptr, "title", s.title);
    r.text(v, ptr, "description", s.description);
    r.text(v, ptr, "owner", s.owner);
    r.text(v, ptr, "cmdb_ci", s.ci);
    readMinutes(r, v, ptr, "duration_minutes", s.duration);
    r.textList(v, ptr, "depends_on", s.dependsOn);
    r.text(v, ptr, "verification", s.verification);
    r.text(v, ptr, "rollback", s.rollback);
    readMinutes(r, v, ptr, "rollback_duration_minutes", s.rollbackDuration);
    r.text(v, ptr, "no_rollback_reason", s.noRollbackReason);
}

void readApproval(JsonFieldReader& r, const rapidjson::Value& v, const std::string& ptr, Approval& ap) {
    if (!r.expectObject(v, ptr)) return;
    r.onlyKnown(v, ptr, {"approver", "role", "decision", "at", "comment", "key_id", "retrospective"});
    r.text(v, ptr, "approver", ap.approver, true);
    r.text(v, ptr, "role", ap.role);
    enumField(r, v, ptr, "decision", ap.decision, decisionFromString, "approve, reject");
    r.time(v, ptr, "at", ap.at);
    r.text(v, ptr, "comment", ap.comment);
    r.text(v, ptr, "key_id", ap.keyId);
    r.flag(v, ptr, "retrospective", ap.retrospective);
}

void readReview(JsonFieldReader& r, const rapidjson::Value& v, const std::string& ptr, Review& rv) {
    if (!r.expectObject(v, ptr)) return;
    r.onlyKnown(v, ptr,
                {"outcome", "closure_code", "incidents", "time_to_restore_minutes", "lessons_learned", "at"});
    r.text(v, ptr, "outcome", rv.outcome);
    r.text(v, ptr, "closure_code", rv.closureCode);
    std::int64_t incidents = rv.incidents;
    r.integer(v, ptr, "incidents", 0, INT32_MAX, incidents);
    rv.incidents = static_cast<int>(incidents);
    readMinutes(r, v, ptr, "time_to_restore_minutes", rv.timeToRestore);
    r.text(v, ptr, "lessons_learned", rv.lessonsLearned);
    r.time(v, ptr, "at", rv.at);
}

template <typename T, typename F>
void readArray(JsonFieldReader& r, const rapidjson::Value& obj, const std::string& ptr, const char* key,
               std::vector<T>& out, F readOne) {
    const rapidjson::Value* v = JsonFieldReader::member(obj, key);
    if (!v) return;
    const std::string p = ptr + pointerSegment(key);
    if (!r.expectArray(*v, p)) return;
    std::vector<T> items(v->Size());
    for (rapidjson::SizeType i = 0; i < v->Size() && r.ok(); ++i) readOne(r, (*v)[i], p + "/" + std::to_string(i), items[i]);
    out = std::move(items);
}

void readSchema(JsonFieldReader& r, const rapidjson::Value& root, const char* schema, int version) {
    std::string name;
    r.text(root, "", "schema", name, true);
    if (r.ok() && name != schema) r.fail("/schema", std::string("expected \"") + schema + "\"");
    std::int64_t v = 0;
    r.integer(root, "", "schema_version", 1, version, v, true);
}

}  // namespace

std::string writeChangeDocument(const ChangeRequest& c) {
    rapidjson::Document doc(rapidjson::kObjectType);
    auto& a = doc.GetAllocator();
    putString(doc, "schema", kChangeSchema, a);
    putInt(doc, "schema_version", kChangeDocumentVersion, a);
    putString(doc, "number", c.id, a);
    putString(doc, "short_description", c.title, a);
    putString(doc, "description", c.description, a);
    putString(doc, "reason", c.reason, a);
    putString(doc, "justification", c.justification, a);
    putString(doc, "type", toString(c.type), a);
    putString(doc, "category", c.category, a);
    putString(doc, "change_model", c.model, a);
    putString(doc, "requested_by", c.requester, a);
    putString(doc, "change_owner", c.owner, a);
    putString(doc, "implementer", c.implementer, a);
    putString(doc, "assignment_group", c.assignmentGroup, a);
    putValue(doc, "affected_cis", jsonStringArray(c.affectedCis, a), a);
    rapidjson::Value flags(rapidjson::kObjectType);
    for (const auto& [ci, flag] : c.impactFlags) flags.AddMember(jsonString(ci, a), jsonString(toString(flag), a), a);
    putValue(doc, "impact_flags", std::move(flags), a);
    putValue(doc, "start_date", jsonTimeOrNull(c.plannedStart, a), a);
    putValue(doc, "end_date", jsonTimeOrNull(c.plannedEnd, a), a);
    putString(doc, "time_zone", c.timeZone, a);
    putString(doc, "implementation_plan", c.implementationPlan, a);
    putString(doc, "backout_plan", c.rollbackPlan, a);
    putString(doc, "test_plan", c.testPlan, a);
    putString(doc, "communication_plan", c.communicationPlan, a);
    rapidjson::Value steps(rapidjson::kArrayType);
    for (const auto& s : c.steps) steps.PushBack(stepJson(s, a), a);
    putValue(doc, "steps", std::move(steps), a);
    rapidjson::Value questionnaire(rapidjson::kObjectType);
    for (const auto& [q, ans] : c.questionnaire) questionnaire.AddMember(jsonString(q, a), jsonString(ans, a), a);
    putValue(doc, "risk_questionnaire", std::move(questionnaire), a);
    putBool(doc, "rollback_tested", c.rollbackTested, a);
    putBool(doc, "tested_in_staging", c.testedInStaging, a);
    putString(doc, "impact_statement", c.impact, a);
    putString(doc, "state", toString(c.state), a);
    rapidjson::Value approvals(rapidjson::kArrayType);
    for (const auto& ap : c.approvals) approvals.PushBack(approvalJson(ap, a), a);
    putValue(doc, "approvals", std::move(approvals), a);
    rapidjson::Value declared(rapidjson::kArrayType);
    for (const auto& d : c.declaredChanges) {
        rapidjson::Value o(rapidjson::kObjectType);
        putString(o, "cmdb_ci", d.ci, a);
        putString(o, "attribute", d.attribute, a);
        putString(o, "expected_value", d.expectedValue, a);
        declared.PushBack(o, a);
    }
    putValue(doc, "declared_changes", std::move(declared), a);
    if (c.review) {
        rapidjson::Value rv(rapidjson::kObjectType);
        putString(rv, "outcome", c.review->outcome, a);
        putString(rv, "closure_code", c.review->closureCode, a);
        putInt(rv, "incidents", c.review->incidents, a);
        putInt(rv, "time_to_restore_minutes", c.review->timeToRestore, a);
        putString(rv, "lessons_learned", c.review->lessonsLearned, a);
        putValue(rv, "at", jsonTimeOrNull(c.review->at, a), a);
        putValue(doc, "review", std::move(rv), a);
    } else {
        putValue(doc, "review", rapidjson::Value(rapidjson::kNullType), a);
    }
    putString(doc, "close_code", c.closeCode, a);
    putString(doc, "close_notes", c.closeNotes, a);
    putValue(doc, "created_at", jsonTimeOrNull(c.createdAt, a), a);
    putValue(doc, "updated_at", jsonTimeOrNull(c.updatedAt, a), a);
    return canonicalJson(doc);
}

Result<ChangeRequest> parseChangeDocument(std::string_view json, const std::string& sourceName) {
    auto parsed = parseLocatedJson(json, sourceName);
    if (!parsed) return parsed.error();
    const LocatedJson& located = **parsed;
    const rapidjson::Value& root = located.root();
    JsonFieldReader r(located);
    if (!r.expectObject(root, "")) return r.error();
    readSchema(r, root, kChangeSchema, kChangeDocumentVersion);
    r.onlyKnown(root, "",
                {"schema", "schema_version", "number", "short_description", "description", "reason",
                 "justification", "type", "category", "change_model", "requested_by", "change_owner", "implementer",
                 "assignment_group", "affected_cis", "impact_flags", "start_date", "end_date", "time_zone",
                 "implementation_plan", "backout_plan", "test_plan", "communication_plan", "steps",
                 "risk_questionnaire", "rollback_tested", "tested_in_staging", "impact_statement", "state",
                 "approvals", "declared_changes", "review", "close_code", "close_notes", "created_at",
                 "updated_at"});
    ChangeRequest c;
    r.text(root, "", "number", c.id, true);
    if (r.ok() && c.id.empty()) r.fail("/number", "must not be empty");
    r.text(root, "", "short_description", c.title);
    r.text(root, "", "description", c.description);
    r.text(root, "", "reason", c.reason);
    r.text(root, "", "justification", c.justification);
    enumField(r, root, "", "type", c.type, changeTypeFromString, "standard, normal, emergency");
    r.text(root, "", "category", c.category);
    r.text(root, "", "change_model", c.model);
    r.text(root, "", "requested_by", c.requester);
    r.text(root, "", "change_owner", c.owner);
    r.text(root, "", "implementer", c.implementer);
    r.text(root, "", "assignment_group", c.assignmentGroup);
    r.textList(root, "", "affected_cis", c.affectedCis);
    std::map<std::string, std::string> flags;
    r.textMap(root, "", "impact_flags", flags);
    for (const auto& [ci, name] : flags) {
        auto flag = impactFlagFromString(name);
        if (!flag) {
            r.fail("/impact_flags" + pointerSegment(ci), "unknown value \"" + name + "\" (expected include or exclude)");
            break;
        }
        c.impactFlags[ci] = *flag;
    }
    r.time(root, "", "start_date", c.plannedStart);
    r.time(root, "", "end_date", c.plannedEnd);
    if (r.ok() && c.plannedStart != 0 && c.plannedEnd != 0 && c.plannedEnd < c.plannedStart)
        r.fail("/end_date", "end_date is before start_date");
    r.text(root, "", "time_zone", c.timeZone);
    r.text(root, "", "implementation_plan", c.implementationPlan);
    r.text(root, "", "backout_plan", c.rollbackPlan);
    r.text(root, "", "test_plan", c.testPlan);
    r.text(root, "", "communication_plan", c.communicationPlan);
    readArray(r, root, "", "steps", c.steps, readStep);
    if (r.ok()) {
        std::set<std::string> ids;
        for (std::size_t i = 0; i < c.steps.size(); ++i)
            if (!ids.insert(c.steps[i].id).second) {
                r.fail("/steps/" + std::to_string(i) + "/id", "duplicate step id \"" + c.steps[i].id + "\"");
                break;
            }
    }
    r.textMap(root, "", "risk_questionnaire", c.questionnaire);
    r.flag(root, "", "rollback_tested", c.rollbackTested);
    r.flag(root, "", "tested_in_staging", c.testedInStaging);
    r.text(root, "", "impact_statement", c.impact);
    enumField(r, root, "", "state", c.state, changeStateFromString,
              "draft, submitted, assessed, authorized, scheduled, implementing, completed, failed, rolled_back, "
              "reviewed, closed, cancelled, rejected");
    readArray(r, root, "", "approvals", c.approvals, readApproval);
    readArray(r, root, "", "declared_changes", c.declaredChanges,
              [](JsonFieldReader& rr, const rapidjson::Value& v, const std::string& ptr, DeclaredChange& d) {
                  if (!rr.expectObject(v, ptr)) return;
                  rr.onlyKnown(v, ptr, {"cmdb_ci", "attribute", "expected_value"});
                  rr.text(v, ptr, "cmdb_ci", d.ci, true);
                  rr.text(v, ptr, "attribute", d.attribute, true);
                  rr.text(v, ptr, "expected_value", d.expectedValue);
              });
    if (const rapidjson::Value* rv = JsonFieldReader::member(root, "review"); rv && !rv->IsNull()) {
        Review review;
        readReview(r, *rv, "/review", review);
        c.review = review;
    }
    r.text(root, "", "close_code", c.closeCode);
    r.text(root, "", "close_notes", c.closeNotes);
    r.time(root, "", "created_at", c.createdAt);
    r.time(root, "", "updated_at", c.updatedAt);
    if (!r.ok()) return r.error();
    return c;
}

std::string writeCmdbSlice(const std::string& changeId, const std::vector<ConfigItem>& cis,
                           const std::vector<Relationship>& relationships) {
    std::vector<const ConfigItem*> sortedCis;
    for (const auto& ci : cis) sortedCis.push_back(&ci);
    std::stable_sort(sortedCis.begin(), sortedCis.end(),
                     [](const ConfigItem* x, const ConfigItem* y) { return x->id < y->id; });
    std::vector<const Relationship*> sortedRels;
    for (const auto& rel : relationships) sortedRels.push_back(&rel);
    std::stable_sort(sortedRels.begin(), sortedRels.end(), [](const Relationship* x, const Relationship* y) {
        return std::tie(x->from, x->to, x->type) < std::tie(y->from, y->to, y->type);
    });
    rapidjson::Document doc(rapidjson::kObjectType);
    auto& a = doc.GetAllocator();
    putString(doc, "schema", kSliceSchema, a);
    putInt(doc, "schema_version", kCmdbSliceVersion, a);
    putString(doc, "change", changeId, a);
    rapidjson::Value ciArray(rapidjson::kArrayType);
    for (const ConfigItem* ci : sortedCis) ciArray.PushBack(ciJson(*ci, a), a);
    putValue(doc, "cis", std::move(ciArray), a);
    rapidjson::Value relArray(rapidjson::kArrayType);
    for (const Relationship* rel : sortedRels) {
        rapidjson::Value o(rapidjson::kObjectType);
        putString(o, "from", rel->from, a);
        putString(o, "to", rel->to, a);
        putString(o, "type", rel->type, a);
        relArray.PushBack(o, a);
    }
    putValue(doc, "relationships", std::move(relArray), a);
    return canonicalJson(doc);
}

Result<CmdbSlice> parseCmdbSlice(std::string_view json, const std::string& sourceName) {
    auto parsed = parseLocatedJson(json, sourceName);
    if (!parsed) return parsed.error();
    const LocatedJson& located = **parsed;
    const rapidjson::Value& root = located.root();
    JsonFieldReader r(located);
    if (!r.expectObject(root, "")) return r.error();
    readSchema(r, root, kSliceSchema, kCmdbSliceVersion);
    r.onlyKnown(root, "", {"schema", "schema_version", "change", "cis", "relationships"});
    CmdbSlice slice;
    r.text(root, "", "change", slice.change);
    readArray(r, root, "", "cis", slice.cis,
              [](JsonFieldReader& rr, const rapidjson::Value& v, const std::string& ptr, ConfigItem& ci) {
                  if (!rr.expectObject(v, ptr)) return;
                  rr.onlyKnown(v, ptr, {"id", "name", "type", "owner", "team", "tier", "environment", "location",
                                        "tags", "attributes"});
                  rr.text(v, ptr, "id", ci.id, true);
                  rr.text(v, ptr, "name", ci.name);
                  rr.text(v, ptr, "type", ci.type);
                  rr.text(v, ptr, "owner", ci.owner);
                  rr.text(v, ptr, "team", ci.team);
                  std::int64_t tier = ci.tier;
                  rr.integer(v, ptr, "tier", 1, 4, tier);
                  ci.tier = static_cast<int>(tier);
                  rr.text(v, ptr, "environment", ci.environment);
                  rr.text(v, ptr, "location", ci.location);
                  rr.textList(v, ptr, "tags", ci.tags);
                  rr.textMap(v, ptr, "attributes", ci.attributes);
              });
    readArray(r, root, "", "relationships", slice.relationships,
              [](JsonFieldReader& rr, const rapidjson::Value& v, const std::string& ptr, Relationship& rel) {
                  if (!rr.expectObject(v, ptr)) return;
                  rr.onlyKnown(v, ptr, {"from", "to", "type"});
                  rr.text(v, ptr, "from", rel.from, true);
                  rr.text(v, ptr, "to", rel.to, true);
                  rr.text(v, ptr, "type", rel.type, true);
              });
    if (!r.ok()) return r.error();
    std::set<std::string> ids;
    for (std::size_t i = 0; i < slice.cis.size(); ++i)
        if (!ids.insert(slice.cis[i].id).second)
            return located.errorAt("/cis/" + std::to_string(i) + "/id",
                                   "field \"/cis/" + std::to_string(i) + "/id\": duplicate CI id \"" +
                                       slice.cis[i].id + "\"");
    for (std::size_t i = 0; i < slice.relationships.size(); ++i) {
        const Relationship& rel = slice.relationships[i];
        const char* end = !ids.count(rel.from) ? "from" : !ids.count(rel.to) ? "to" : nullptr;
        if (end) {
            const std::string p = "/relationships/" + std::to_string(i) + "/" + end;
            return located.errorAt(p, "field \"" + p + "\": names a CI that is not in the slice");
        }
    }
    std::sort(slice.cis.begin(), slice.cis.end(), [](const ConfigItem& x, const ConfigItem& y) { return x.id < y.id; });
    std::sort(slice.relationships.begin(), slice.relationships.end(), [](const Relationship& x, const Relationship& y) {
        return std::tie(x.from, x.to, x.type) < std::tie(y.from, y.to, y.type);
    });
    return slice;
}

}  // namespace planner::core::io
