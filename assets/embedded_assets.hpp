// Files compiled into the program at build time (fonts, time zone data), so
// that the single-file build needs nothing beside itself.
#pragma once

#include <cstddef>
#include <string_view>

namespace planner::assets {

struct EmbeddedFile {
    const char* path;             // alias, e.g. "fonts/ui.ttf", "zoneinfo/Europe/Berlin.ics"
    const unsigned char* data;
    std::size_t size;
};

// All embedded files; the array ends with an entry whose path is nullptr.
const EmbeddedFile* embeddedFiles();

// The file with this alias, or nullptr.
inline const EmbeddedFile* findEmbedded(std::string_view path) {
    for (const EmbeddedFile* f = embeddedFiles(); f->path; ++f)
        if (path == f->path) return f;
    return nullptr;
}

}  // namespace planner::assets
