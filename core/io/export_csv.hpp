// CSV of a list of changes (RFC 4180: CRLF line ends, quoted fields where
// needed, header row), safe to open in spreadsheets (formula guard on every
// cell): written with util/csv_writer.hpp.
#pragma once

#include <string>
#include <vector>

#include "model/model.hpp"

namespace planner::core::io {

// Column names of changeListCsv, in order.
const std::vector<std::string>& changeListCsvColumns();

// One header row and one row per change, in the given order. Times are ISO 8601
// UTC ("" when not set); lists (affected CIs) are joined with "; ".
std::string changeListCsv(const std::vector<ChangeRequest>& changes);

}  // namespace planner::core::io
