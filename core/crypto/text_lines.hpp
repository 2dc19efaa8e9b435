// Internal helpers for the line-based key and signature files (not installed API).
#pragma once

#include <string_view>
#include <vector>

namespace planner::core::crypto::detail {

// Splits on '\n'. A final newline does not create an empty last line.
inline std::vector<std::string_view> splitLines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) {
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

inline std::string_view stripCr(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

}  // namespace planner::core::crypto::detail
