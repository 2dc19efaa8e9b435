// Bounded JSON parsing for everything that comes from outside the program
// (imported files, policy and drift files, restored backups, settings, key
// files, rows of a workspace file that may come from a foreign backup).
//
// rapidjson's default parser recurses once per nesting level, so a file of a
// million '[' overflows the stack (and the release wasm build has no stack
// check at all). Every parse here runs rapidjson's iterative parser
// (kParseIterativeFlag, its own heap stack) behind a handler that refuses the
// first container opened deeper than the limit, and refuses texts larger than
// the entry point's size limit before reading them. Code that walks the
// resulting DOM recursively (cereal, canonical writers, rapidjson's own value
// destructor) is then bounded by the depth limit.
//
// Errors name the source, line and column (1-based) and the reason:
//   "deep.json:1:257: invalid JSON: nesting deeper than 256 levels"
#pragma once

#include "util/result.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace planner::core {

// Deepest nesting of arrays and objects accepted anywhere (the root container
// is level 1). Our own documents stay below 10.
inline constexpr int kJsonMaxDepth = 256;

// Largest text each entry point accepts, in bytes. Chosen well above the
// biggest real input of each kind and well below what a browser tab (a 2 GB
// wasm heap, of which the DOM needs several times the text) can hold.
namespace json_limits {
inline constexpr std::size_t kKiB = 1024;
inline constexpr std::size_t kMiB = 1024 * kKiB;
// CMDB JSON import: 100,000 CIs with 400,000 relationships export to ~40 MB.
inline constexpr std::size_t kCmdbImport = 256 * kMiB;
// A workspace JSON export (restore): holds the CMDB too.
inline constexpr std::size_t kWorkspaceExport = 256 * kMiB;
// A single change document (bundle change.json, import, stored change row).
inline constexpr std::size_t kChangeDocument = 16 * kMiB;
// Policy and baseline files, drift observations.
inline constexpr std::size_t kPolicy = 16 * kMiB;
// One stored row of a workspace file: CI attributes, a command, an observation.
inline constexpr std::size_t kStoredRow = 16 * kMiB;
// Preferences and workspace settings.
inline constexpr std::size_t kSettings = 1 * kMiB;
// An encrypted key file.
inline constexpr std::size_t kKeyFile = 64 * kKiB;
}  // namespace json_limits

struct JsonParseOptions {
    std::size_t maxBytes = json_limits::kStoredRow;
    int maxDepth = kJsonMaxDepth;
    bool validateEncoding = true;   // refuse invalid UTF-8
    bool comments = false;          // allow /* */ and // comments
    bool numbersAsStrings = false;  // keep numbers as their source text
    bool codePointColumns = false;  // columns in code points instead of bytes
    std::string messagePrefix = "invalid JSON: ";
};

// 1-based line and column of byte `offset` in `text` (column in bytes, or in
// UTF-8 code points with `codePoints`).
std::pair<int, int> jsonLineColumn(std::string_view text, std::size_t offset, bool codePoints = false);

// Forwards every SAX event to `Inner` and stops the parse (returns false) at
// the first array or object that would be nested deeper than `maxDepth`,
// remembering the offset of its opening bracket. Used with the iterative
// parser, which calls StartObject/StartArray before taking the bracket, so
// `stream.Tell()` is the bracket's offset.
template <class Inner, class Stream>
class DepthLimitedHandler {
public:
    DepthLimitedHandler(Inner& inner, const Stream& stream, int maxDepth)
        : m_inner(inner), m_stream(stream), m_maxDepth(maxDepth) {}

    bool Null() { return m_inner.Null(); }
    bool Bool(bool b) { return m_inner.Bool(b); }
    bool Int(int i) { return m_inner.Int(i); }
    bool Uint(unsigned u) { return m_inner.Uint(u); }
    bool Int64(int64_t i) { return m_inner.Int64(i); }
    bool Uint64(uint64_t u) { return m_inner.Uint64(u); }
    bool Double(double d) { return m_inner.Double(d); }
    bool RawNumber(const char* s, rapidjson::SizeType len, bool copy) { return m_inner.RawNumber(s, len, copy); }
    bool String(const char* s, rapidjson::SizeType len, bool copy) { return m_inner.String(s, len, copy); }
    bool Key(const char* s, rapidjson::SizeType len, bool copy) { return m_inner.Key(s, len, copy); }
    bool StartObject() { return open() && m_inner.StartObject(); }
    bool StartArray() { return open() && m_inner.StartArray(); }
    bool EndObject(rapidjson::SizeType n) {
        --m_depth;
        return m_inner.EndObject(n);
    }
    bool EndArray(rapidjson::SizeType n) {
        --m_depth;
        return m_inner.EndArray(n);
    }

    bool tooDeep() const { return m_tooDeep; }
    std::size_t tooDeepOffset() const { return m_tooDeepOffset; }

private:
    bool open() {
        if (m_depth >= m_maxDepth) {
            m_tooDeep = true;
            m_tooDeepOffset = m_stream.Tell();
            return false;
        }
        ++m_depth;
        return true;
    }

    Inner& m_inner;
    const Stream& m_stream;
    int m_maxDepth;
    int m_depth = 0;
    bool m_tooDeep = false;
    std::size_t m_tooDeepOffset = 0;
};

// Error for a text larger than `options.maxBytes`, or okStatus().
Status checkJsonSize(std::string_view text, const std::string& sourceName, const JsonParseOptions& options);

// rapidjson parse flags for `options`, always including kParseIterativeFlag.
template <bool Validate, bool Comments, bool NumbersAsStrings>
constexpr unsigned jsonParseFlags() {
    unsigned flags = rapidjson::kParseIterativeFlag;
    if (Validate) flags |= rapidjson::kParseValidateEncodingFlag;
    if (Comments) flags |= rapidjson::kParseCommentsFlag;
    if (NumbersAsStrings) flags |= rapidjson::kParseNumbersAsStringsFlag;
    return flags;
}

// Runs the iterative reader over `text` with the extra `Flags` (iterative is
// always added), sending events to `handler` through the depth limit. The
// handler may keep a reference to `stream` to learn positions (Tell() is the
// offset just after the token reported). On failure returns an error located
// at rapidjson's error offset, or at the bracket that was too deep; when the
// handler itself stopped the parse, the error says so and the caller, which
// knows why, usually replaces it.
template <unsigned Flags, class Handler>
Status parseJsonEvents(std::string_view text, rapidjson::MemoryStream& stream, Handler& handler,
                       const std::string& sourceName, const JsonParseOptions& options) {
    if (auto size = checkJsonSize(text, sourceName, options); !size) return size;
    DepthLimitedHandler<Handler, rapidjson::MemoryStream> limited(handler, stream, options.maxDepth);
    rapidjson::Reader reader;
    reader.Parse<Flags | rapidjson::kParseIterativeFlag>(stream, limited);
    if (!reader.HasParseError()) return okStatus();
    const bool deep = limited.tooDeep();
    const std::size_t offset = deep ? limited.tooDeepOffset() : reader.GetErrorOffset();
    auto [line, column] = jsonLineColumn(text, offset, options.codePointColumns);
    std::string reason = deep ? "nesting deeper than " + std::to_string(options.maxDepth) + " levels"
                              : rapidjson::GetParseError_En(reader.GetParseErrorCode());
    return Error{options.messagePrefix + reason, sourceName, line, column};
}

// Parses `text` into `doc` (replacing its content) with the options' flags,
// depth and size limits. On error `doc` holds no partial value.
Status parseJson(rapidjson::Document& doc, std::string_view text, const std::string& sourceName,
                 const JsonParseOptions& options);

}  // namespace planner::core
