#include "command/command.hpp"

#include <cereal/archives/json.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <rapidjson/document.h>

#include <algorithm>
#include <sstream>

#include "model/serialization.hpp"
#include "policy/policy.hpp"
#include "util/json_parse.hpp"

namespace planner::core::command {

using store::DirtyFiles;
using store::Workspace;

namespace {

Error conflict(const std::string& what) {
    return Error{"cannot apply: " + what + " (the workspace changed since the edit was made)", "", 0, 0};
}

template <class Ar>
constexpr bool kLoading = Ar::is_loading::value;

template <class Ar, class E, class From>
void enumNvp(Ar& ar, const char* name, E& value, From from) {
    std::string text;
    if constexpr (!kLoading<Ar>) text = toString(value);
    ar(cereal::make_nvp(name, text));
    if constexpr (kLoading<Ar>) {
        auto parsed = from(text);
        if (!parsed) throw cereal::Exception(std::string("unknown ") + name + " \"" + text + "\"");
        value = *parsed;
    }
}

template <class Ar>
void optionalFlagNvp(Ar& ar, const char* name, std::optional<ImpactFlag>& value) {
    std::string text;
    if constexpr (!kLoading<Ar>) text = value ? toString(*value) : "";
    ar(cereal::make_nvp(name, text));
    if constexpr (kLoading<Ar>) {
        if (text.empty()) {
            value.reset();
        } else {
            auto parsed = impactFlagFromString(text);
            if (!parsed) throw cereal::Exception("unknown impact flag \"" + text + "\"");
            value = *parsed;
        }
    }
}

}  // namespace

// ---- serialization of each command (fixed key order) -------------------------

#define NVP(x) cereal::make_nvp(#x, c.x)
template <class Ar> void serialize(Ar& ar, AddChange& c) { ar(NVP(change)); }
template <class Ar> void serialize(Ar& ar, RemoveChange& c) { ar(NVP(change)); }
template <class Ar> void serialize(Ar& ar, ReplaceChange& c) { ar(NVP(before), NVP(after)); }
template <class Ar> void serialize(Ar& ar, SetChangeField& c) { ar(NVP(changeId), NVP(field), NVP(oldValue), NVP(newValue), NVP(atMs)); }
template <class Ar> void serialize(Ar& ar, SetState& c) {
    ar(NVP(changeId));
    enumNvp(ar, "before", c.before, changeStateFromString);
    enumNvp(ar, "after", c.after, changeStateFromString);
}
template <class Ar> void serialize(Ar& ar, AddStep& c) { ar(NVP(changeId), NVP(index), NVP(step)); }
template <class Ar> void serialize(Ar& ar, EditStep& c) { ar(NVP(changeId), NVP(before), NVP(after)); }
template <class Ar> void serialize(Ar& ar, RemoveStep& c) { ar(NVP(changeId), NVP(index), NVP(step)); }
template <class Ar> void serialize(Ar& ar, MoveStep& c) { ar(NVP(changeId), NVP(from), NVP(to)); }
template <class Ar> void serialize(Ar& ar, SetAffectedCis& c) { ar(NVP(changeId), NVP(before), NVP(after)); }
template <class Ar> void serialize(Ar& ar, SetImpactFlag& c) {
    ar(NVP(changeId), NVP(ciId));
    optionalFlagNvp(ar, "before", c.before);
    optionalFlagNvp(ar, "after", c.after);
}
template <class Ar> void serialize(Ar& ar, SetAnswer& c) { ar(NVP(changeId), NVP(questionId), NVP(before), NVP(after)); }
template <class Ar> void serialize(Ar& ar, AddApproval& c) { ar(NVP(changeId), NVP(approval)); }
template <class Ar> void serialize(Ar& ar, SetReview& c) { ar(NVP(changeId), NVP(before), NVP(after)); }
template <class Ar> void serialize(Ar& ar, AddWindow& c) { ar(NVP(window)); }
template <class Ar> void serialize(Ar& ar, EditWindow& c) { ar(NVP(before), NVP(after)); }
template <class Ar> void serialize(Ar& ar, RemoveWindow& c) { ar(NVP(window)); }
template <class Ar> void serialize(Ar& ar, AddPerson& c) { ar(NVP(person)); }
template <class Ar> void serialize(Ar& ar, EditPerson& c) { ar(NVP(before), NVP(after)); }
template <class Ar> void serialize(Ar& ar, RemovePerson& c) { ar(NVP(person)); }
template <class Ar> void serialize(Ar& ar, SetSetting& c) { ar(NVP(key), NVP(before), NVP(after)); }
template <class Ar> void serialize(Ar& ar, SetPolicy& c) { ar(NVP(id), NVP(before), NVP(after)); }
template <class Ar> void serialize(Ar& ar, AddCi& c) { ar(NVP(ci)); }
template <class Ar> void serialize(Ar& ar, EditCi& c) { ar(NVP(before), NVP(after)); }
template <class Ar> void serialize(Ar& ar, RemoveCi& c) { ar(NVP(ci), NVP(relationships)); }
template <class Ar> void serialize(Ar& ar, AddRelationship& c) { ar(NVP(relationship)); }
template <class Ar> void serialize(Ar& ar, RemoveRelationship& c) { ar(NVP(relationship)); }
#undef NVP

namespace {

template <class T> struct Kind;
#define KIND(T, name) template <> struct Kind<T> { static constexpr const char* value = name; };
KIND(AddChange, "add_change")
KIND(RemoveChange, "remove_change")
KIND(ReplaceChange, "replace_change")
KIND(SetChangeField, "set_change_field")
KIND(SetState, "set_state")
KIND(AddStep, "add_step")
KIND(EditStep, "edit_step")
KIND(RemoveStep, "remove_step")
KIND(MoveStep, "move_step")
KIND(SetAffectedCis, "set_affected_cis")
KIND(SetImpactFlag, "set_impact_flag")
KIND(SetAnswer, "set_answer")
KIND(AddApproval, "add_approval")
KIND(SetReview, "set_review")
KIND(AddWindow, "add_window")
KIND(EditWindow, "edit_window")
KIND(RemoveWindow, "remove_window")
KIND(AddPerson, "add_person")
KIND(EditPerson, "edit_person")
KIND(RemovePerson, "remove_person")
KIND(SetSetting, "set_setting")
KIND(SetPolicy, "set_policy")
KIND(AddCi, "add_ci")
KIND(EditCi, "edit_ci")
KIND(RemoveCi, "remove_ci")
KIND(AddRelationship, "add_relationship")
KIND(RemoveRelationship, "remove_relationship")
#undef KIND

// ---- change helpers -----------------------------------------------------------

Result<ChangeRequest> loadChange(Workspace& ws, const std::string& id) {
    auto found = ws.findChange(id);
    if (!found) return found.error();
    if (!found->has_value()) return conflict("change " + id + " does not exist");
    return std::move(**found);
}

template <class Fn>
Status mutateChange(Workspace& ws, const std::string& id, Fn fn) {
    return ws.transaction([&]() -> Status {
        auto change = loadChange(ws, id);
        if (!change) return change.error();
        if (auto st = fn(*change); !st) return st;
        return ws.putChange(*change);
    });
}

Status putNew(Workspace& ws, const ChangeRequest& c) {
    return ws.transaction([&]() -> Status {
        auto found = ws.findChange(c.id);
        if (!found) return found.error();
        if (found->has_value()) return conflict("change " + c.id + " already exists");
        return ws.putChange(c);
    });
}

Status removeExact(Workspace& ws, const ChangeRequest& c) {
    return ws.transaction([&]() -> Status {
        auto found = ws.findChange(c.id);
        if (!found) return found.error();
        if (!found->has_value() || **found != c) return conflict("change " + c.id + " is not as expected");
        return ws.removeChange(c.id);
    });
}

Status replaceExact(Workspace& ws, const ChangeRequest& from, const ChangeRequest& to) {
    return mutateChange(ws, from.id, [&](ChangeRequest& c) -> Status {
        if (c != from) return conflict("change " + from.id + " is not as expected");
        c = to;
        return okStatus();
    });
}

template <class T, class Find, class Put>
Status addExact(const T& value, const std::string& id, Find find, Put put, const char* what) {
    auto found = find(id);
    if (!found) return found.error();
    if (found->has_value()) return conflict(std::string(what) + " " + id + " already exists");
    return put(value);
}

template <class T, class Find, class Fn>
Status checkThen(const T& expected, const std::string& id, Find find, Fn fn, const char* what) {
    auto found = find(id);
    if (!found) return found.error();
    if (!found->has_value() || **found != expected) return conflict(std::string(what) + " " + id + " is not as expected");
    return fn();
}

Status setStepAt(ChangeRequest& c, std::int32_t index, const Step& step, bool insert) {
    if (insert) {
        if (index < 0 || static_cast<std::size_t>(index) > c.steps.size()) return conflict("step position out of range");
        c.steps.insert(c.steps.begin() + index, step);
    } else {
        if (index < 0 || static_cast<std::size_t>(index) >= c.steps.size() || c.steps[index] != step)
            return conflict("step " + step.id + " is not at position " + std::to_string(index));
        c.steps.erase(c.steps.begin() + index);
    }
    return okStatus();
}

Status moveStep(ChangeRequest& c, std::int32_t from, std::int32_t to) {
    const auto n = static_cast<std::int32_t>(c.steps.size());
    if (from < 0 || from >= n || to < 0 || to >= n) return conflict("step position out of range");
    Step s = std::move(c.steps[from]);
    c.steps.erase(c.steps.begin() + from);
    c.steps.insert(c.steps.begin() + to, std::move(s));
    return okStatus();
}

Status replaceStep(ChangeRequest& c, const Step& from, const Step& to) {
    for (auto& s : c.steps)
        if (s.id == from.id) {
            if (s != from) return conflict("step " + from.id + " is not as expected");
            s = to;
            return okStatus();
        }
    return conflict("step " + from.id + " does not exist");
}

// ---- per-command apply / undo (forward = true applies) --------------------------

Status run(const AddChange& c, Workspace& ws, bool fwd) { return fwd ? putNew(ws, c.change) : removeExact(ws, c.change); }
Status run(const RemoveChange& c, Workspace& ws, bool fwd) { return fwd ? removeExact(ws, c.change) : putNew(ws, c.change); }
Status run(const ReplaceChange& c, Workspace& ws, bool fwd) {
    return fwd ? replaceExact(ws, c.before, c.after) : replaceExact(ws, c.after, c.before);
}
Status run(const SetChangeField& c, Workspace& ws, bool fwd) {
    const std::string& from = fwd ? c.oldValue : c.newValue;
    const std::string& to = fwd ? c.newValue : c.oldValue;
    return mutateChange(ws, c.changeId, [&](ChangeRequest& ch) -> Status {
        auto current = changeField(ch, c.field);
        if (!current) return current.error();
        if (*current != from) return conflict("field " + c.field + " of " + c.changeId + " is not as expected");
        return setChangeField(ch, c.field, to);
    });
}
Status run(const SetState& c, Workspace& ws, bool fwd) {
    return mutateChange(ws, c.changeId, [&](ChangeRequest& ch) -> Status {
        if (ch.state != (fwd ? c.before : c.after)) return conflict("state of " + c.changeId + " is not as expected");
        ch.state = fwd ? c.after : c.before;
        return okStatus();
    });
}
Status run(const AddStep& c, Workspace& ws, bool fwd) {
    return mutateChange(ws, c.changeId, [&](ChangeRequest& ch) { return setStepAt(ch, c.index, c.step, fwd); });
}
Status run(const RemoveStep& c, Workspace& ws, bool fwd) {
    return mutateChange(ws, c.changeId, [&](ChangeRequest& ch) { return setStepAt(ch, c.index, c.step, !fwd); });
}
Status run(const EditStep& c, Workspace& ws, bool fwd) {
    return mutateChange(ws, c.changeId, [&](ChangeRequest& ch) {
        return fwd ? replaceStep(ch, c.before, c.after) : replaceStep(ch, c.after, c.before);
    });
}
Status run(const MoveStep& c, Workspace& ws, bool fwd) {
    return mutateChange(ws, c.changeId, [&](ChangeRequest& ch) { return fwd ? moveStep(ch, c.from, c.to) : moveStep(ch, c.to, c.from); });
}
Status run(const SetAffectedCis& c, Workspace& ws, bool fwd) {
    return mutateChange(ws, c.changeId, [&](ChangeRequest& ch) -> Status {
        if (ch.affectedCis != (fwd ? c.before : c.after)) return conflict("affected CIs of " + c.changeId + " are not as expected");
        ch.affectedCis = fwd ? c.after : c.before;
        return okStatus();
    });
}
Status run(const SetImpactFlag& c, Workspace& ws, bool fwd) {
    return mutateChange(ws, c.changeId, [&](ChangeRequest& ch) -> Status {
        auto it = ch.impactFlags.find(c.ciId);
        std::optional<ImpactFlag> current;
        if (it != ch.impactFlags.end()) current = it->second;
        if (current != (fwd ? c.before : c.after)) return conflict("impact flag of " + c.ciId + " is not as expected");
        const auto& target = fwd ? c.after : c.before;
        if (target) ch.impactFlags[c.ciId] = *target;
        else ch.impactFlags.erase(c.ciId);
        return okStatus();
    });
}
Status run(const SetAnswer& c, Workspace& ws, bool fwd) {
    return mutateChange(ws, c.changeId, [&](ChangeRequest& ch) -> Status {
        auto it = ch.questionnaire.find(c.questionId);
        const std::string current = it == ch.questionnaire.end() ? std::string() : it->second;
        if (current != (fwd ? c.before : c.after)) return conflict("answer to " + c.questionId + " is not as expected");
        const std::string& target = fwd ? c.after : c.before;
        if (target.empty()) ch.questionnaire.erase(c.questionId);
        else ch.questionnaire[c.questionId] = target;
        return okStatus();
    });
}
Status run(const AddApproval& c, Workspace& ws, bool fwd) {
    return mutateChange(ws, c.changeId, [&](ChangeRequest& ch) -> Status {
        if (fwd) {
            ch.approvals.push_back(c.approval);
            return okStatus();
        }
        if (ch.approvals.empty() || ch.approvals.back() != c.approval) return conflict("the last approval is not as expected");
        ch.approvals.pop_back();
        return okStatus();
    });
}
Status run(const SetReview& c, Workspace& ws, bool fwd) {
    return mutateChange(ws, c.changeId, [&](ChangeRequest& ch) -> Status {
        if (ch.review != (fwd ? c.before : c.after)) return conflict("review of " + c.changeId + " is not as expected");
        ch.review = fwd ? c.after : c.before;
        return okStatus();
    });
}

auto windowFinder(Workspace& ws) { return [&ws](const std::string& id) { return ws.findWindow(id); }; }
auto personFinder(Workspace& ws) { return [&ws](const std::string& id) { return ws.findPerson(id); }; }
auto ciFinder(Workspace& ws) { return [&ws](const std::string& id) { return ws.findCi(id); }; }

Status addWindow(Workspace& ws, const Window& w) {
    return addExact(w, w.id, windowFinder(ws), [&](const Window& v) { return ws.putWindow(v); }, "window");
}
Status removeWindow(Workspace& ws, const Window& w) {
    return checkThen(w, w.id, windowFinder(ws), [&] { return ws.removeWindow(w.id); }, "window");
}
Status run(const AddWindow& c, Workspace& ws, bool fwd) { return fwd ? addWindow(ws, c.window) : removeWindow(ws, c.window); }
Status run(const RemoveWindow& c, Workspace& ws, bool fwd) { return fwd ? removeWindow(ws, c.window) : addWindow(ws, c.window); }
Status run(const EditWindow& c, Workspace& ws, bool fwd) {
    const Window& from = fwd ? c.before : c.after;
    const Window& to = fwd ? c.after : c.before;
    if (from.id != to.id) return conflict("a window edit cannot change the id");
    return checkThen(from, from.id, windowFinder(ws), [&] { return ws.putWindow(to); }, "window");
}

Status addPerson(Workspace& ws, const Person& p) {
    return addExact(p, p.id, personFinder(ws), [&](const Person& v) { return ws.putPerson(v); }, "person");
}
Status removePerson(Workspace& ws, const Person& p) {
    return checkThen(p, p.id, personFinder(ws), [&] { return ws.removePerson(p.id); }, "person");
}
Status run(const AddPerson& c, Workspace& ws, bool fwd) { return fwd ? addPerson(ws, c.person) : removePerson(ws, c.person); }
Status run(const RemovePerson& c, Workspace& ws, bool fwd) { return fwd ? removePerson(ws, c.person) : addPerson(ws, c.person); }
Status run(const EditPerson& c, Workspace& ws, bool fwd) {
    const Person& from = fwd ? c.before : c.after;
    const Person& to = fwd ? c.after : c.before;
    if (from.id != to.id) return conflict("a person edit cannot change the id");
    return checkThen(from, from.id, personFinder(ws), [&] { return ws.putPerson(to); }, "person");
}

Status run(const SetSetting& c, Workspace& ws, bool fwd) {
    auto current = ws.setting(c.key);
    if (!current) return current.error();
    if (*current != (fwd ? c.before : c.after)) return conflict("setting " + c.key + " is not as expected");
    const auto& target = fwd ? c.after : c.before;
    return target ? ws.putSetting(c.key, *target) : ws.removeSetting(c.key);
}

Status run(const SetPolicy& c, Workspace& ws, bool fwd) {
    auto all = ws.policies();
    if (!all) return all.error();
    auto it = all->find(c.id);
    const std::optional<std::string> current =
        it == all->end() ? std::nullopt : std::optional<std::string>(it->second);
    if (current != (fwd ? c.before : c.after)) return conflict("policy " + c.id + " is not as expected");
    const auto& target = fwd ? c.after : c.before;
    if (!target) return ws.removePolicy(c.id);
    if (auto parsed = policy::parsePolicy(*target, "policy " + c.id); !parsed) return parsed.error();
    return ws.putPolicy(c.id, *target);
}

Status addCi(Workspace& ws, const ConfigItem& ci) {
    return addExact(ci, ci.id, ciFinder(ws), [&](const ConfigItem& v) { return ws.putCi(v); }, "CI");
}
Status run(const AddCi& c, Workspace& ws, bool fwd) {
    if (fwd) return addCi(ws, c.ci);
    return checkThen(c.ci, c.ci.id, ciFinder(ws), [&]() -> Status {
        auto rels = ws.relationshipsOf(c.ci.id);
        if (!rels) return rels.error();
        if (!rels->empty()) return conflict("CI " + c.ci.id + " has relationships");
        return ws.removeCi(c.ci.id);
    }, "CI");
}
Status run(const EditCi& c, Workspace& ws, bool fwd) {
    const ConfigItem& from = fwd ? c.before : c.after;
    const ConfigItem& to = fwd ? c.after : c.before;
    if (from.id != to.id) return conflict("a CI edit cannot change the id");
    return checkThen(from, from.id, ciFinder(ws), [&] { return ws.putCi(to); }, "CI");
}
Status run(const RemoveCi& c, Workspace& ws, bool fwd) {
    if (fwd) {
        return checkThen(c.ci, c.ci.id, ciFinder(ws), [&]() -> Status {
            auto rels = ws.relationshipsOf(c.ci.id);
            if (!rels) return rels.error();
            if (*rels != c.relationships) return conflict("relationships of CI " + c.ci.id + " are not as expected");
            return ws.removeCi(c.ci.id);
        }, "CI");
    }
    if (auto st = addCi(ws, c.ci); !st) return st;
    for (const auto& r : c.relationships)
        if (auto st = ws.putRelationship(r); !st) return st;
    return okStatus();
}
Status relationshipExists(Workspace& ws, const Relationship& r, bool expected) {
    auto rels = ws.relationshipsOf(r.from);
    if (!rels) return rels.error();
    const bool exists = std::find(rels->begin(), rels->end(), r) != rels->end();
    if (exists != expected)
        return conflict("relationship " + r.from + " " + r.type + " " + r.to + (expected ? " does not exist" : " already exists"));
    return okStatus();
}
Status addRel(Workspace& ws, const Relationship& r) {
    if (auto st = relationshipExists(ws, r, false); !st) return st;
    return ws.putRelationship(r);
}
Status removeRel(Workspace& ws, const Relationship& r) {
    if (auto st = relationshipExists(ws, r, true); !st) return st;
    return ws.removeRelationship(r);
}
Status run(const AddRelationship& c, Workspace& ws, bool fwd) { return fwd ? addRel(ws, c.relationship) : removeRel(ws, c.relationship); }
Status run(const RemoveRelationship& c, Workspace& ws, bool fwd) { return fwd ? removeRel(ws, c.relationship) : addRel(ws, c.relationship); }

template <class T>
constexpr bool kCmdbCommand = std::is_same_v<T, AddCi> || std::is_same_v<T, EditCi> || std::is_same_v<T, RemoveCi> ||
                              std::is_same_v<T, AddRelationship> || std::is_same_v<T, RemoveRelationship>;

template <std::size_t I = 0>
Result<Command> readAlternative(const std::string& kind, cereal::JSONInputArchive& ar) {
    if constexpr (I == std::variant_size_v<Command>) {
        return Error{"unknown command kind \"" + kind + "\"", "", 0, 0};
    } else {
        using T = std::variant_alternative_t<I, Command>;
        if (kind != Kind<T>::value) return readAlternative<I + 1>(kind, ar);
        T value{};
        ar(cereal::make_nvp("data", value));
        return Command{std::move(value)};
    }
}

}  // namespace

const char* kindOf(const Command& command) {
    return std::visit([](const auto& c) { return Kind<std::decay_t<decltype(c)>>::value; }, command);
}

std::string describe(const Command& command) {
    return std::visit(
        [](const auto& c) -> std::string {
            using T = std::decay_t<decltype(c)>;
            std::string out = Kind<T>::value;
            std::replace(out.begin(), out.end(), '_', ' ');
            if constexpr (std::is_same_v<T, SetChangeField>) out += " " + c.field + " of " + c.changeId;
            else if constexpr (std::is_same_v<T, SetPolicy>) out += " " + c.id;
            else if constexpr (std::is_same_v<T, SetState>)
                out += " of " + c.changeId + ": " + toString(c.before) + " -> " + toString(c.after);
            else if constexpr (requires { c.changeId; }) out += " on " + c.changeId;
            else if constexpr (requires { c.change; }) out += " " + c.change.id;
            else if constexpr (requires { c.window; }) out += " " + c.window.id;
            else if constexpr (requires { c.person; }) out += " " + c.person.id;
            else if constexpr (requires { c.ci; }) out += " " + c.ci.id;
            else if constexpr (requires { c.after.id; }) out += " " + c.after.id;
            else if constexpr (requires { c.relationship; })
                out += " " + c.relationship.from + " " + c.relationship.type + " " + c.relationship.to;
            else if constexpr (requires { c.key; }) out += " " + c.key;
            return out;
        },
        command);
}

DirtyFiles filesOf(const Command& command) {
    return std::visit(
        [](const auto& c) -> DirtyFiles {
            if constexpr (kCmdbCommand<std::decay_t<decltype(c)>>) return {false, true};
            else return {true, false};
        },
        command);
}

Status apply(const Command& command, Workspace& workspace) {
    return workspace.transaction([&] { return std::visit([&](const auto& c) { return run(c, workspace, true); }, command); });
}

Status undo(const Command& command, Workspace& workspace) {
    return workspace.transaction([&] { return std::visit([&](const auto& c) { return run(c, workspace, false); }, command); });
}

bool mergeWith(Command& into, const Command& next) {
    auto* a = std::get_if<SetChangeField>(&into);
    const auto* b = std::get_if<SetChangeField>(&next);
    if (!a || !b) return false;
    if (a->changeId != b->changeId || a->field != b->field || a->newValue != b->oldValue) return false;
    if (b->atMs < a->atMs || b->atMs - a->atMs > kMergeWindowMs) return false;
    static const std::vector<std::string> kNonText = {"type", "state", "plannedStart", "plannedEnd", "rollbackTested",
                                                      "testedInStaging", "createdAt", "updatedAt"};
    if (std::find(kNonText.begin(), kNonText.end(), a->field) != kNonText.end()) return false;
    a->newValue = b->newValue;
    a->atMs = b->atMs;
    return true;
}

std::string toJson(const Command& command) {
    std::ostringstream out;
    {
        cereal::JSONOutputArchive ar(out, cereal::JSONOutputArchive::Options::NoIndent());
        std::string kind = kindOf(command);
        ar(cereal::make_nvp("kind", kind));
        std::visit([&](const auto& c) { ar(cereal::make_nvp("data", const_cast<std::decay_t<decltype(c)>&>(c))); }, command);
    }
    return out.str();
}

Result<Command> commandFromJson(std::string_view json, const std::string& sourceName) {
    rapidjson::Document doc;
    JsonParseOptions options;
    options.maxBytes = json_limits::kStoredRow;
    options.messagePrefix = "malformed command JSON: ";
    if (auto st = parseJson(doc, json, sourceName, options); !st) return st.error();
    if (!doc.IsObject()) return Error{"malformed command JSON: expected an object", sourceName, 1, 1};
    try {
        std::istringstream in{std::string(json)};
        cereal::JSONInputArchive ar(in);
        std::string kind;
        ar(cereal::make_nvp("kind", kind));
        auto result = readAlternative(kind, ar);
        if (!result) return Error{result.error().message, sourceName, 0, 0};
        return result;
    } catch (const std::exception& e) {
        return Error{std::string("invalid command JSON: ") + e.what(), sourceName, 0, 0};
    }
}

// ---- scalar fields of a change ---------------------------------------------------

const std::vector<std::string>& changeFieldNames() {
    static const std::vector<std::string> kNames = {
        "title", "description", "reason", "justification", "type", "category", "model", "requester", "owner",
        "implementer", "assignmentGroup", "plannedStart", "plannedEnd", "timeZone", "implementationPlan",
        "rollbackPlan", "testPlan", "communicationPlan", "rollbackTested", "testedInStaging", "impact",
        "closeCode", "closeNotes"};
    return kNames;
}

namespace {

std::string* textField(ChangeRequest& c, const std::string& f) {
    if (f == "title") return &c.title;
    if (f == "description") return &c.description;
    if (f == "reason") return &c.reason;
    if (f == "justification") return &c.justification;
    if (f == "category") return &c.category;
    if (f == "model") return &c.model;
    if (f == "requester") return &c.requester;
    if (f == "owner") return &c.owner;
    if (f == "implementer") return &c.implementer;
    if (f == "assignmentGroup") return &c.assignmentGroup;
    if (f == "timeZone") return &c.timeZone;
    if (f == "implementationPlan") return &c.implementationPlan;
    if (f == "rollbackPlan") return &c.rollbackPlan;
    if (f == "testPlan") return &c.testPlan;
    if (f == "communicationPlan") return &c.communicationPlan;
    if (f == "impact") return &c.impact;
    if (f == "closeCode") return &c.closeCode;
    if (f == "closeNotes") return &c.closeNotes;
    return nullptr;
}

Result<std::int64_t> parseInt64(const std::string& text, const std::string& field) {
    if (text.empty() || text.size() > 19) return Error{"field " + field + " needs an integer", "", 0, 0};
    std::int64_t v = 0;
    std::size_t i = 0;
    const bool neg = text[0] == '-';
    if (neg) i = 1;
    if (i == text.size()) return Error{"field " + field + " needs an integer", "", 0, 0};
    for (; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9') return Error{"field " + field + " needs an integer", "", 0, 0};
        v = v * 10 + (text[i] - '0');
    }
    return neg ? -v : v;
}

}  // namespace

Result<std::string> changeField(const ChangeRequest& change, const std::string& field) {
    auto& c = const_cast<ChangeRequest&>(change);
    if (auto* t = textField(c, field)) return *t;
    if (field == "type") return std::string(toString(c.type));
    if (field == "plannedStart") return std::to_string(c.plannedStart);
    if (field == "plannedEnd") return std::to_string(c.plannedEnd);
    if (field == "rollbackTested") return std::string(c.rollbackTested ? "true" : "false");
    if (field == "testedInStaging") return std::string(c.testedInStaging ? "true" : "false");
    return Error{"unknown change field \"" + field + "\"", "", 0, 0};
}

Status setChangeField(ChangeRequest& c, const std::string& field, const std::string& value) {
    if (auto* t = textField(c, field)) {
        *t = value;
        return okStatus();
    }
    if (field == "type") {
        auto v = changeTypeFromString(value);
        if (!v) return Error{"unknown change type \"" + value + "\"", "", 0, 0};
        c.type = *v;
        return okStatus();
    }
    if (field == "plannedStart" || field == "plannedEnd") {
        auto v = parseInt64(value, field);
        if (!v) return v.error();
        (field == "plannedStart" ? c.plannedStart : c.plannedEnd) = *v;
        return okStatus();
    }
    if (field == "rollbackTested" || field == "testedInStaging") {
        if (value != "true" && value != "false") return Error{"field " + field + " needs true or false", "", 0, 0};
        (field == "rollbackTested" ? c.rollbackTested : c.testedInStaging) = value == "true";
        return okStatus();
    }
    return Error{"unknown change field \"" + field + "\"", "", 0, 0};
}

}  // namespace planner::core::command
