#include "policy/change_model.hpp"

#include <algorithm>
#include <set>

namespace planner::core::policy {
namespace {

bool globMatch(const std::string& pattern, const std::string& text) {
    std::size_t p = 0, t = 0, starP = std::string::npos, starT = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            starP = p++;
            starT = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (starP != std::string::npos) {
            p = starP + 1;
            t = ++starT;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

}  // namespace

bool modelAllowsCi(const ChangeModel& model, const std::string& ciId) {
    if (model.allowedCis.empty()) return true;
    return std::any_of(model.allowedCis.begin(), model.allowedCis.end(),
                       [&](const std::string& pattern) { return globMatch(pattern, ciId); });
}

ModelCheck checkModelBounds(const Policy& policy, const ChangeRequest& change) {
    ModelCheck out;
    out.effectiveType = change.type;
    if (change.model.empty()) {
        if (change.type == ChangeType::Standard) {
            out.violations.push_back("A standard change must be created from a change model; this one names none.");
            out.effectiveType = ChangeType::Normal;
        }
        return out;
    }
    const ChangeModel* model = findModel(policy, change.model);
    if (!model) {
        out.violations.push_back("The change model \"" + change.model + "\" does not exist in the policy.");
        if (change.type == ChangeType::Standard) out.effectiveType = ChangeType::Normal;
        return out;
    }
    out.modelFound = true;
    auto& v = out.violations;
    if (change.type != ChangeType::Standard)
        v.push_back(std::string("The change was made ") + toString(change.type) +
                    ", so the model's pre-approval does not apply.");

    std::set<std::string> changeStepIds;
    Minutes total = 0;
    for (const Step& step : change.steps) {
        changeStepIds.insert(step.id);
        total += step.duration;
        auto it =
            std::find_if(model->steps.begin(), model->steps.end(), [&](const ModelStep& m) { return m.id == step.id; });
        if (it == model->steps.end()) {
            v.push_back("Step \"" + step.id + "\" (" + step.title + ") is not part of model \"" + model->id + "\".");
            continue;
        }
        if (step.title != it->title)
            v.push_back("Step \"" + step.id + "\" was renamed from \"" + it->title + "\" to \"" + step.title + "\".");
        if (it->maxDuration > 0 && step.duration > it->maxDuration)
            v.push_back("Step \"" + step.id + "\" takes " + std::to_string(step.duration) + " min; the model allows " +
                        std::to_string(it->maxDuration) + " min.");
        if (model->requiresRollback && step.rollback.empty())
            v.push_back("Step \"" + step.id + "\" has no rollback; the model requires one for every step.");
        if (!step.ci.empty() && !modelAllowsCi(*model, step.ci))
            v.push_back("Step \"" + step.id + "\" touches CI \"" + step.ci + "\", which the model does not allow.");
    }
    for (const ModelStep& m : model->steps)
        if (!changeStepIds.count(m.id)) v.push_back("Model step \"" + m.id + "\" (" + m.title + ") was removed.");
    for (std::size_t i = 0, j = 0; i < change.steps.size() && j < model->steps.size(); ++i) {
        if (!std::any_of(model->steps.begin(), model->steps.end(),
                         [&](const ModelStep& m) { return m.id == change.steps[i].id; }))
            continue;
        while (j < model->steps.size() && !changeStepIds.count(model->steps[j].id)) ++j;
        if (j < model->steps.size() && change.steps[i].id != model->steps[j].id) {
            v.push_back("The steps are no longer in the model's order.");
            break;
        }
        ++j;
    }
    for (const std::string& ci : change.affectedCis)
        if (!modelAllowsCi(*model, ci))
            v.push_back("CI \"" + ci + "\" is not among the CIs model \"" + model->id + "\" allows.");
    if (model->maxTotalDuration > 0 && total > model->maxTotalDuration)
        v.push_back("The runbook takes " + std::to_string(total) + " min in all; the model allows " +
                    std::to_string(model->maxTotalDuration) + " min.");

    out.withinBounds = change.type == ChangeType::Standard && v.empty();
    if (change.type == ChangeType::Standard && !v.empty()) out.effectiveType = ChangeType::Normal;
    return out;
}

ChangeRequest changeFromModel(const ChangeModel& model, const std::string& changeId) {
    ChangeRequest change;
    change.id = changeId;
    change.title = model.name;
    change.description = model.description;
    change.type = ChangeType::Standard;
    change.model = model.id;
    for (const ModelStep& m : model.steps) {
        Step s;
        s.id = m.id;
        s.title = m.title;
        s.duration = m.maxDuration;
        s.rollback = m.rollback;
        if (!change.steps.empty()) s.dependsOn.push_back(change.steps.back().id);
        change.steps.push_back(std::move(s));
    }
    return change;
}

}  // namespace planner::core::policy
