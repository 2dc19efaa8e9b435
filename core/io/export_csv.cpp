#include "io/export_csv.hpp"

#include "io/export_text.hpp"
#include "util/csv_writer.hpp"

namespace planner::core::io {
namespace {

std::string timeOrEmpty(TimeUtc t) { return t == 0 ? std::string() : formatIsoUtc(t); }

// Invalid UTF-8 in a field becomes U+FFFD so that spreadsheets read the file as UTF-8.
void appendRow(std::string& out, const std::vector<std::string>& cells) {
    std::vector<std::string> clean;
    clean.reserve(cells.size());
    for (const std::string& c : cells) clean.push_back(sanitizeUtf8(c));
    appendCsvRow(out, clean);
}

}  // namespace

const std::vector<std::string>& changeListCsvColumns() {
    static const std::vector<std::string> columns = {
        "number",     "short_description", "type",         "state",       "category",
        "requested_by", "change_owner",    "implementer",  "assignment_group", "start_date",
        "end_date",   "time_zone",         "affected_cis", "steps",       "approvals",
        "created_at", "updated_at"};
    return columns;
}

std::string changeListCsv(const std::vector<ChangeRequest>& changes) {
    std::string out;
    appendRow(out, changeListCsvColumns());
    for (const auto& c : changes) {
        std::string cis;
        for (const auto& id : c.affectedCis) cis += (cis.empty() ? "" : "; ") + id;
        std::size_t approved = 0;
        for (const auto& ap : c.approvals) approved += ap.decision == Decision::Approve ? 1 : 0;
        appendRow(out, {c.id, c.title, toString(c.type), toString(c.state), c.category, c.requester, c.owner,
                        c.implementer, c.assignmentGroup, timeOrEmpty(c.plannedStart), timeOrEmpty(c.plannedEnd),
                        c.timeZone, cis, std::to_string(c.steps.size()),
                        std::to_string(approved) + "/" + std::to_string(c.approvals.size()),
                        timeOrEmpty(c.createdAt), timeOrEmpty(c.updatedAt)});
    }
    return out;
}

}  // namespace planner::core::io
