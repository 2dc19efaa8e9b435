// libFuzzer target for the JSON documents we read back: canonicalizeJson, the
// change document, the CMDB slice and the Jira mapping file. A change that parses
// must write back to a document that parses to the same change, and canonical
// text must be a fixed point; every export generator is run once on it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "io/canonical_json.hpp"
#include "io/eml_notification.hpp"
#include "io/export_change.hpp"
#include "io/export_csv.hpp"
#include "io/export_dot.hpp"
#include "io/payload_freshservice.hpp"
#include "io/payload_glpi.hpp"
#include "io/payload_itop.hpp"
#include "io/payload_jira.hpp"
#include "io/payload_servicenow.hpp"
#include "io/report_html.hpp"
#include "io/report_runbook.hpp"

using namespace planner::core;
using namespace planner::core::io;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);

    auto canon = canonicalizeJson(text, "fuzz.json");
    if (canon.ok()) {
        auto again = canonicalizeJson(*canon, "canon.json");
        if (!again.ok() || *again != *canon) std::abort();
    }

    auto change = parseChangeDocument(text, "fuzz.json");
    if (change.ok()) {
        const std::string written = writeChangeDocument(*change);
        auto back = parseChangeDocument(written, "written.json");
        if (!back.ok() || !(*back == *change)) std::abort();
        ExportContext ctx;
        ctx.impactedCis.push_back(ConfigItem{change->id, change->title, "database", change->owner, "", 1, "", "", {}, {}});
        ctx.people.push_back(Person{change->owner, change->title, change->owner, {}, ""});
        JiraMapping mapping;
        mapping.project = "P";
        mapping.issueType = "Change";
        mapping.fields["backoutPlan"] = {"customfield_1", JiraValueKind::Adf};
        mapping.fields["affectedCis"] = {"customfield_2", JiraValueKind::Labels};
        ctx.site.itopOrganization = "Org";
        ctx.site.itopChangeModel = ItopChangeModel::Itil;
        ctx.site.glpiEntityId = 0;
        ctx.site.freshserviceRequesterId = 1;
        std::vector<std::string> payloads = {serviceNowPayload(*change, ctx), jiraPayload(*change, ctx, mapping)};
        // iTop may refuse a change that lacks what its lifecycle requires; the others never do with settings.
        for (auto r : {glpiPayload(*change, ctx), iTopPayload(*change, ctx), freshservicePayload(*change, ctx)}) {
            if (r.ok()) payloads.push_back(*r);
            else if (r.error().message.rfind("itop: ", 0) != 0) std::abort();
        }
        for (const std::string& payload : payloads) {
            auto check = canonicalizeJson(payload, "payload.json");
            if (!check.ok() || *check != payload) std::abort();
        }
        const std::string html = htmlReport(*change, ctx);
        if (html.find("<script") != std::string::npos) std::abort();
        (void)runbookMarkdown(*change, ctx);
        (void)impactGraphDot(*change, ctx);
        (void)changeListCsv({*change});
        (void)notificationDrafts(*change, ctx);
    }

    auto slice = parseCmdbSlice(text, "fuzz.json");
    if (slice.ok()) {
        auto back = parseCmdbSlice(writeCmdbSlice(slice->change, slice->cis, slice->relationships), "slice.json");
        if (!back.ok() || !(*back == *slice)) std::abort();
    }

    (void)parseJiraMapping(text, "fuzz.json");
    return 0;
}
