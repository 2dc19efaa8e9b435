#include "io/canonical_json.hpp"

#include <algorithm>
#include <optional>
#include <cassert>
#include <set>
#include <vector>

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "io/export_text.hpp"
#include "util/json_parse.hpp"

namespace planner::core::io {
namespace {

constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

std::u16string utf16Units(const char* s, std::size_t len) {
    std::u16string out;
    for (char32_t cp : decodeUtf8(std::string_view(s, len))) {
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out += static_cast<char16_t>(0xD800 + (cp >> 10));
            out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
        } else {
            out += static_cast<char16_t>(cp);
        }
    }
    return out;
}

void writeString(JsonWriter& w, const char* s, std::size_t len) {
    const std::string clean = sanitizeUtf8(std::string_view(s, len));
    w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
}

void writeValue(JsonWriter& w, const rapidjson::Value& v) {
    switch (v.GetType()) {
        case rapidjson::kNullType: w.Null(); break;
        case rapidjson::kFalseType: w.Bool(false); break;
        case rapidjson::kTrueType: w.Bool(true); break;
        case rapidjson::kStringType: writeString(w, v.GetString(), v.GetStringLength()); break;
        case rapidjson::kNumberType:
            if (v.IsInt64()) {
                w.Int64(v.GetInt64());
            } else if (v.IsUint64()) {
                w.Uint64(v.GetUint64());
            } else {
                assert(!"canonical JSON holds integers only");
                w.Null();
            }
            break;
        case rapidjson::kArrayType:
            w.StartArray();
            for (const auto& item : v.GetArray()) writeValue(w, item);
            w.EndArray();
            break;
        case rapidjson::kObjectType: {
            struct Entry {
                std::u16string key;
                const rapidjson::Value::Member* member;
            };
            std::vector<Entry> entries;
            entries.reserve(v.MemberCount());
            for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it)
                entries.push_back({utf16Units(it->name.GetString(), it->name.GetStringLength()), &*it});
            std::stable_sort(entries.begin(), entries.end(),
                             [](const Entry& a, const Entry& b) { return a.key < b.key; });
            w.StartObject();
            for (const auto& e : entries) {
                writeString(w, e.member->name.GetString(), e.member->name.GetStringLength());
                writeValue(w, e.member->value);
            }
            w.EndObject();
            break;
        }
    }
}

// SAX filter in front of a rapidjson::Document: records where values start,
// enforces our rules (no floats, no duplicate keys). Depth is bounded by
// parseJsonEvents in front of it.
class LocatingHandler {
public:
    LocatingHandler(rapidjson::Document& doc, const std::string& text, rapidjson::MemoryStream& stream,
                    std::map<std::string, std::size_t>& starts)
        : m_doc(doc), m_text(text), m_stream(stream), m_starts(starts) {}

    bool Null() { return scalar() && m_doc.Null(); }
    bool Bool(bool b) { return scalar() && m_doc.Bool(b); }
    bool Int(int i) { return scalar() && m_doc.Int(i); }
    bool Uint(unsigned u) { return scalar() && m_doc.Uint(u); }
    bool Int64(int64_t i) { return scalar() && m_doc.Int64(i); }
    bool Uint64(uint64_t u) { return scalar() && m_doc.Uint64(u); }
    bool Double(double) {
        const std::size_t start = valueStart();
        const std::string_view token(m_text.data() + start, m_stream.Tell() - start);
        const bool isFloat = token.find_first_of(".eE") != std::string_view::npos;
        return fail(start, isFloat ? "floating-point number found where only integers are allowed"
                                   : "integer out of the 64-bit range");
    }
    bool RawNumber(const char*, rapidjson::SizeType, bool) { return fail(valueStart(), "unexpected raw number"); }
    bool String(const char* s, rapidjson::SizeType len, bool copy) {
        return scalar() && m_doc.String(s, len, copy);
    }
    bool StartObject() {
        if (!open(false)) return false;
        return m_doc.StartObject();
    }
    bool Key(const char* s, rapidjson::SizeType len, bool copy) {
        const std::size_t start = valueStart();
        Frame& f = m_frames.back();
        f.key.assign(s, len);
        if (!f.keys.insert(f.key).second) return fail(start, "duplicate key \"" + sanitizeUtf8(f.key) + "\"");
        m_cursor = m_stream.Tell();
        return m_doc.Key(s, len, copy);
    }
    bool EndObject(rapidjson::SizeType count) {
        close();
        return m_doc.EndObject(count);
    }
    bool StartArray() {
        if (!open(true)) return false;
        return m_doc.StartArray();
    }
    bool EndArray(rapidjson::SizeType count) {
        close();
        return m_doc.EndArray(count);
    }

    bool failed() const { return m_failed; }
    std::size_t failOffset() const { return m_failOffset; }
    const std::string& failMessage() const { return m_failMessage; }

private:
    struct Frame {
        bool isArray = false;
        std::size_t index = 0;
        std::string pointer;
        std::string key;
        std::set<std::string> keys;
    };

    // Next token start after the cursor: separators and closers of finished values are skipped.
    std::size_t valueStart() const {
        std::size_t p = m_cursor;
        while (p < m_text.size() && std::string_view(" \t\n\r,:]}").find(m_text[p]) != std::string_view::npos) ++p;
        return p;
    }

    std::string childPointer() const {
        if (m_frames.empty()) return "";
        const Frame& f = m_frames.back();
        return f.pointer + (f.isArray ? "/" + std::to_string(f.index) : pointerSegment(f.key));
    }

    void advance() {
        if (!m_frames.empty() && m_frames.back().isArray) ++m_frames.back().index;
        m_cursor = m_stream.Tell();
    }

    bool scalar() {
        m_starts[childPointer()] = valueStart();
        advance();
        return true;
    }

    bool open(bool isArray) {
        const std::size_t start = valueStart();
        Frame f;
        f.isArray = isArray;
        f.pointer = childPointer();
        m_starts[f.pointer] = start;
        m_frames.push_back(std::move(f));
        m_cursor = m_stream.Tell();
        return true;
    }

    void close() {
        m_frames.pop_back();
        advance();
    }

    bool fail(std::size_t offset, std::string message) {
        m_failed = true;
        m_failOffset = offset;
        m_failMessage = std::move(message);
        return false;
    }

    rapidjson::Document& m_doc;
    const std::string& m_text;
    rapidjson::MemoryStream& m_stream;
    std::map<std::string, std::size_t>& m_starts;
    std::vector<Frame> m_frames;
    std::size_t m_cursor = 0;
    bool m_failed = false;
    std::size_t m_failOffset = 0;
    std::string m_failMessage;
};

}  // namespace

std::string pointerSegment(std::string_view key) {
    std::string out = "/";
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

std::string canonicalJson(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    writeValue(writer, value);
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::pair<int, int> LocatedJson::lineColumn(std::size_t offset) const {
    offset = std::min(offset, m_text.size());
    int line = 1;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (m_text[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    int column = 1;
    for (std::size_t i = lineStart; i < offset; ++i)
        if ((static_cast<unsigned char>(m_text[i]) & 0xC0) != 0x80) ++column;
    return {line, column};
}

Error LocatedJson::errorAt(const std::string& pointer, std::string message) const {
    std::string p = pointer;
    for (;;) {
        auto it = m_starts.find(p);
        if (it != m_starts.end()) {
            auto [line, column] = lineColumn(it->second);
            return Error{std::move(message), m_source, line, column};
        }
        if (p.empty()) break;
        p.erase(p.rfind('/'));
    }
    return Error{std::move(message), m_source, 0, 0};
}

Result<std::unique_ptr<LocatedJson>> parseLocatedJson(std::string_view json, const std::string& sourceName,
                                                      std::size_t maxBytes) {
    auto located = std::make_unique<LocatedJson>();
    located->m_text.assign(json.data(), json.size());
    located->m_source = sourceName;
    const std::size_t nul = located->m_text.find('\0');
    if (nul != std::string::npos) {
        auto [line, column] = located->lineColumn(nul);
        return Error{"NUL byte in JSON text", sourceName, line, column};
    }
    const std::string& text = located->m_text;
    rapidjson::MemoryStream stream(text.data(), text.size());
    JsonParseOptions options;
    options.maxBytes = maxBytes;
    options.codePointColumns = true;
    std::optional<Error> failure;
    auto generate = [&](rapidjson::Document& doc) {
        LocatingHandler handler(doc, text, stream, located->m_starts);
        Status st = parseJsonEvents<kParseFlags>(text, stream, handler, sourceName, options);
        if (st) return true;
        if (handler.failed()) {
            auto [line, column] = located->lineColumn(handler.failOffset());
            failure = Error{handler.failMessage(), sourceName, line, column};
        } else {
            failure = st.error();
        }
        return false;
    };
    located->m_doc.Populate(generate);
    if (failure) return *failure;
    return located;
}

Result<std::string> canonicalizeJson(std::string_view json, const std::string& sourceName) {
    auto parsed = parseLocatedJson(json, sourceName);
    if (!parsed) return parsed.error();
    return canonicalJson((*parsed)->root());
}

}  // namespace planner::core::io
