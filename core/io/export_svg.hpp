// The impact graph as a self-contained SVG drawn from our own layered layout
// (graph/layout.hpp): nodes as rounded rectangles, edges as polylines along the
// layout's routes with arrowheads, no scripts, no external resources. Every
// user string is XML-escaped. Output is sorted, hence deterministic.
#pragma once

#include <string>
#include <string_view>

#include "io/export_context.hpp"
#include "model/model.hpp"

namespace planner::core::io {

// `text` as XML character data or attribute value: & < > " ' escaped, invalid
// UTF-8 replaced by U+FFFD, and characters XML 1.0 forbids (controls other than
// tab, LF, CR; U+FFFE, U+FFFF) dropped.
std::string escapeXml(std::string_view text);

// SVG document of ctx.impactedCis and ctx.relationships. Arrows point from a
// CI to what it relates to (as in the DOT export: app -> database for
// depends_on); dependencies are drawn above their dependents. Affected CIs are
// highlighted, CIs flagged exclude are dashed grey.
std::string impactGraphSvg(const ChangeRequest& change, const ExportContext& ctx);

}  // namespace planner::core::io
