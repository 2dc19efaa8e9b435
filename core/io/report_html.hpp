// The printable change report: one self-contained HTML5 page (inline CSS, no
// scripts, no external resources, a CSP that forbids both). Every user string is
// HTML-escaped and isolated in <bdi>; bidirectional controls are shown as marks.
#pragma once

#include <string>

#include "io/export_context.hpp"
#include "model/model.hpp"

namespace planner::core::io {

// UTF-8 HTML document describing `change` and its impact set.
std::string htmlReport(const ChangeRequest& change, const ExportContext& ctx);

}  // namespace planner::core::io
