// libFuzzer target for the governance inputs: the policy document parser and
// the baseline importers (JSON and CSV). A policy that parses must survive a
// write/parse round trip unchanged, and is used once for a risk assessment and
// approval derivation to reach the evaluation code.
#include "policy/approvals.hpp"
#include "policy/drift.hpp"
#include "policy/policy.hpp"
#include "policy/risk.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace planner::core;
using namespace planner::core::policy;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);

    auto parsed = parsePolicy(text, "fuzz.json");
    if (parsed.ok()) {
        const std::string written = writePolicyJson(*parsed);
        auto reread = parsePolicy(written, "written.json");
        if (!reread.ok()) __builtin_trap();
        reread->source = parsed->source;
        if (!(reread.value() == parsed.value())) __builtin_trap();
        ChangeRequest change;
        change.type = ChangeType::Normal;
        change.affectedCis = {"ci-1"};
        for (const auto& q : parsed->risk.questions)
            if (!q.answers.empty()) change.questionnaire[q.id] = q.answers.back().id;
        RiskInputs inputs;
        inputs.impact.cis = {{"ci-1", "database", 1, {"security"}}};
        inputs.impact.services = {{"svc", "Service", 1, "owner"}};
        inputs.impact.blastRadius = 1;
        RiskAssessment risk = assessRisk(*parsed, change, inputs);
        requiredApprovals(*parsed, change, risk.level, inputs.impact, {});
    } else if (parsed.error().line < 1 || parsed.error().column < 1) {
        __builtin_trap();
    }

    auto json = importConfigJson(text, "fuzz.json");
    auto csv = importConfigCsv(text, "fuzz.csv");
    if (json.ok() && csv.ok()) detectDrift(*json, {{"ci-1", "a", ""}}, *csv);
    if (!csv.ok() && (csv.error().line < 1 || csv.error().column < 1)) __builtin_trap();
    return 0;
}
