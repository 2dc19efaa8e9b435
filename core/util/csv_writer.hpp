// The one CSV writer of every CSV file the product produces (change lists,
// CMDB exports): RFC 4180 cells and CRLF rows, safe to open in a spreadsheet.
//
// Rules for a cell, in this order:
//  1. formula guard: a cell starting with '=', '+', '-', '@', tab or CR gets a
//     leading apostrophe, so a spreadsheet shows it as text instead of running
//     it; so does a cell that already starts with apostrophes followed by one
//     of those characters (that keeps csvUnguard an exact inverse);
//  2. quoting: a cell holding ',', ';', '"', CR or LF, or starting or ending
//     with a space, is wrapped in double quotes, each '"' inside doubled.
// Cells are written byte for byte otherwise; callers pass valid UTF-8.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace planner::core {

// True when rule 1 puts an apostrophe before `value`.
bool csvNeedsFormulaGuard(std::string_view value);

// Appends one cell (rules 1 and 2) to `out`.
void appendCsvCell(std::string& out, std::string_view value);
// One cell as a string.
std::string csvCell(std::string_view value);

// Appends the cells separated by ',' and a CRLF line end.
void appendCsvRow(std::string& out, const std::vector<std::string>& cells);
// One row (CRLF-terminated) as a string.
std::string csvRow(const std::vector<std::string>& cells);

// The value a reader should take from a field the guard may have prefixed:
// one leading apostrophe removed when a run of apostrophes is followed by
// '=', '+', '-', '@', tab or CR; any other field unchanged. Importers of files
// this writer produced call it on every field (docs/import-templates.md).
std::string_view csvUnguard(std::string_view field);

}  // namespace planner::core
