#include "util/csv_writer.hpp"

namespace planner::core {

namespace {

bool startsFormula(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; }

// True when `text` is one or more apostrophes followed by a formula start.
bool apostrophesBeforeFormula(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && text[i] == '\'') ++i;
    return i > 0 && i < text.size() && startsFormula(text[i]);
}

// A guarded cell starts with an apostrophe, so only the value's own ends matter.
bool needsQuotes(std::string_view value) {
    if (value.find_first_of(",;\"\r\n") != std::string_view::npos) return true;
    return !value.empty() && (value.front() == ' ' || value.back() == ' ');
}

}  // namespace

bool csvNeedsFormulaGuard(std::string_view value) {
    return !value.empty() && (startsFormula(value.front()) || apostrophesBeforeFormula(value));
}

void appendCsvCell(std::string& out, std::string_view value) {
    const bool guarded = csvNeedsFormulaGuard(value);
    if (!needsQuotes(value)) {
        if (guarded) out += '\'';
        out.append(value);
        return;
    }
    out += '"';
    if (guarded) out += '\'';
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

std::string csvCell(std::string_view value) {
    std::string out;
    appendCsvCell(out, value);
    return out;
}

void appendCsvRow(std::string& out, const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) out += ',';
        appendCsvCell(out, cells[i]);
    }
    out += "\r\n";
}

std::string csvRow(const std::vector<std::string>& cells) {
    std::string out;
    appendCsvRow(out, cells);
    return out;
}

std::string_view csvUnguard(std::string_view field) {
    return apostrophesBeforeFormula(field) ? field.substr(1) : field;
}

}  // namespace planner::core
