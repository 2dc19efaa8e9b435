// Notification drafts (.eml, RFC 5322 + MIME) for the stakeholders the impact
// analysis found: one message per distinct owner of an impacted CI, telling
// them about the change, its window and the impacted services.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "io/export_context.hpp"
#include "model/model.hpp"

namespace planner::core::io {

struct EmlOptions {
    std::string fromName = "Change planner";
    std::string fromAddress = "change-planner@localhost";
};

struct EmlDraft {
    std::string recipient;  // owner as written on the CIs (person id or e-mail)
    std::string fileName;   // "<change id>-<recipient>.eml", safe characters only
    std::string message;    // the whole message, CRLF line ends, body quoted-printable UTF-8
};

struct EmlDrafts {
    std::vector<EmlDraft> drafts;         // sorted by recipient
    std::vector<std::string> unresolved;  // owners without a usable e-mail address, sorted
};

// RFC 2047 "B" encoded words (UTF-8, each at most 75 characters, joined by
// CRLF SP) when `text` is not plain printable ASCII or holds "=?"; otherwise `text`.
// CR and LF in `text` become spaces.
std::string encodeHeaderText(std::string_view text);

// Quoted-printable (RFC 2045) of `text`; LF or CRLF line ends become CRLF, lines at most 76 characters.
std::string quotedPrintable(std::string_view text);

// One draft per stakeholder with an e-mail address; Date is ctx.generatedAt.
EmlDrafts notificationDrafts(const ChangeRequest& change, const ExportContext& ctx, const EmlOptions& options = {});

}  // namespace planner::core::io
