// The impact graph in Graphviz DOT: every id and label quoted and escaped,
// nodes styled by CI type and role in the change, edges labelled and coloured
// by relationship type. Output is sorted, hence deterministic.
#pragma once

#include <string>
#include <string_view>

#include "io/export_context.hpp"
#include "model/model.hpp"

namespace planner::core::io {

// `text` as a DOT double-quoted string: backslash and quote escaped, line breaks
// as \n, other control characters dropped, invalid UTF-8 replaced.
std::string dotQuoted(std::string_view text);

// Edge colour used for a relationship type (a fixed palette, grey for unknown types).
const char* dotEdgeColor(const std::string& relationshipType);

// digraph of ctx.impactedCis and ctx.relationships; affected CIs are highlighted,
// CIs flagged exclude are dashed grey.
std::string impactGraphDot(const ChangeRequest& change, const ExportContext& ctx);

}  // namespace planner::core::io
