// The runbook as Markdown (GFM): change summary, plans, and the steps with their
// rollback side by side in one table. Every user string is Markdown-escaped.
#pragma once

#include <string>

#include "io/export_context.hpp"
#include "model/model.hpp"

namespace planner::core::io {

// Markdown text (LF line ends). Step times are offsets from the planned start
// (earliest-start schedule); the rollback order is the reverse of the steps.
std::string runbookMarkdown(const ChangeRequest& change, const ExportContext& ctx);

}  // namespace planner::core::io
