// Small builders and a field reader over rapidjson values, shared by the
// document writers, the payload generators and the document parsers.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "io/canonical_json.hpp"
#include "model/model.hpp"

namespace planner::core::io {

using JsonAlloc = rapidjson::Document::AllocatorType;

// A string value copied into `a`.
rapidjson::Value jsonString(std::string_view s, JsonAlloc& a);
// An array of strings copied into `a`.
rapidjson::Value jsonStringArray(const std::vector<std::string>& items, JsonAlloc& a);
// ISO 8601 UTC string, or null for 0 ("not set").
rapidjson::Value jsonTimeOrNull(TimeUtc t, JsonAlloc& a);

// Member adders; `key` must outlive the value (string literals).
void putString(rapidjson::Value& obj, const char* key, std::string_view s, JsonAlloc& a);
void putInt(rapidjson::Value& obj, const char* key, std::int64_t v, JsonAlloc& a);
void putBool(rapidjson::Value& obj, const char* key, bool v, JsonAlloc& a);
void putValue(rapidjson::Value& obj, const char* key, rapidjson::Value v, JsonAlloc& a);

// Reads typed fields out of a LocatedJson document; the first problem found is
// kept as an Error naming line, column and the field's JSON Pointer.
class JsonFieldReader {
public:
    explicit JsonFieldReader(const LocatedJson& json) : m_json(json) {}

    bool ok() const { return !m_error.has_value(); }
    const Error& error() const { return *m_error; }
    // Records `message` about the field at `pointer` unless an error is already kept; returns false.
    bool fail(const std::string& pointer, const std::string& message);

    // True when `v` is an object; otherwise records "expected an object".
    bool expectObject(const rapidjson::Value& v, const std::string& pointer);
    // True when `v` is an array; otherwise records "expected an array".
    bool expectArray(const rapidjson::Value& v, const std::string& pointer);
    // Records an error for the first member of `obj` not in `known`.
    bool onlyKnown(const rapidjson::Value& obj, const std::string& pointer, std::initializer_list<const char*> known);

    // Each reader leaves `out` untouched when the member is absent (unless required, then it fails).
    void text(const rapidjson::Value& obj, const std::string& pointer, const char* key, std::string& out,
              bool required = false);
    void integer(const rapidjson::Value& obj, const std::string& pointer, const char* key, std::int64_t min,
                 std::int64_t max, std::int64_t& out, bool required = false);
    void flag(const rapidjson::Value& obj, const std::string& pointer, const char* key, bool& out);
    // ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ" or null (= 0).
    void time(const rapidjson::Value& obj, const std::string& pointer, const char* key, TimeUtc& out);
    void textList(const rapidjson::Value& obj, const std::string& pointer, const char* key,
                  std::vector<std::string>& out);
    void textMap(const rapidjson::Value& obj, const std::string& pointer, const char* key,
                 std::map<std::string, std::string>& out);

    // Member `key` of `obj` or nullptr.
    static const rapidjson::Value* member(const rapidjson::Value& obj, const char* key);

private:
    const LocatedJson& m_json;
    std::optional<Error> m_error;
};

}  // namespace planner::core::io
