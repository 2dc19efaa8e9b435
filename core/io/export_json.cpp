#include "io/export_json.hpp"

#include "io/export_text.hpp"

namespace planner::core::io {

rapidjson::Value jsonString(std::string_view s, JsonAlloc& a) {
    return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

rapidjson::Value jsonStringArray(const std::vector<std::string>& items, JsonAlloc& a) {
    rapidjson::Value arr(rapidjson::kArrayType);
    for (const auto& s : items) arr.PushBack(jsonString(s, a), a);
    return arr;
}

rapidjson::Value jsonTimeOrNull(TimeUtc t, JsonAlloc& a) {
    if (t == 0) return rapidjson::Value(rapidjson::kNullType);
    return jsonString(formatIsoUtc(t), a);
}

void putString(rapidjson::Value& obj, const char* key, std::string_view s, JsonAlloc& a) {
    obj.AddMember(rapidjson::StringRef(key), jsonString(s, a), a);
}

void putInt(rapidjson::Value& obj, const char* key, std::int64_t v, JsonAlloc& a) {
    obj.AddMember(rapidjson::StringRef(key), rapidjson::Value(static_cast<int64_t>(v)), a);
}

void putBool(rapidjson::Value& obj, const char* key, bool v, JsonAlloc& a) {
    obj.AddMember(rapidjson::StringRef(key), rapidjson::Value(v), a);
}

void putValue(rapidjson::Value& obj, const char* key, rapidjson::Value v, JsonAlloc& a) {
    obj.AddMember(rapidjson::StringRef(key), v, a);
}

bool JsonFieldReader::fail(const std::string& pointer, const std::string& message) {
    if (!m_error) m_error = m_json.errorAt(pointer, "field \"" + (pointer.empty() ? "/" : pointer) + "\": " + message);
    return false;
}

bool JsonFieldReader::expectObject(const rapidjson::Value& v, const std::string& pointer) {
    return v.IsObject() || fail(pointer, "expected an object");
}

bool JsonFieldReader::expectArray(const rapidjson::Value& v, const std::string& pointer) {
    return v.IsArray() || fail(pointer, "expected an array");
}

bool JsonFieldReader::onlyKnown(const rapidjson::Value& obj, const std::string& pointer,
                                std::initializer_list<const char*> known) {
    for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
        const std::string_view name(it->name.GetString(), it->name.GetStringLength());
        bool found = false;
        for (const char* k : known)
            if (name == k) found = true;
        if (!found) return fail(pointer + pointerSegment(name), "unknown field");
    }
    return true;
}

const rapidjson::Value* JsonFieldReader::member(const rapidjson::Value& obj, const char* key) {
    auto it = obj.FindMember(key);
    return it == obj.MemberEnd() ? nullptr : &it->value;
}

void JsonFieldReader::text(const rapidjson::Value& obj, const std::string& pointer, const char* key,
                           std::string& out, bool required) {
    const std::string p = pointer + pointerSegment(key);
    const rapidjson::Value* v = member(obj, key);
    if (!v) {
        if (required) fail(p, "required field is missing (expected a string)");
        return;
    }
    if (!v->IsString()) {
        fail(p, "expected a string");
        return;
    }
    out.assign(v->GetString(), v->GetStringLength());
}

void JsonFieldReader::integer(const rapidjson::Value& obj, const std::string& pointer, const char* key,
                              std::int64_t min, std::int64_t max, std::int64_t& out, bool required) {
    const std::string p = pointer + pointerSegment(key);
    const rapidjson::Value* v = member(obj, key);
    if (!v) {
        if (required) fail(p, "required field is missing (expected an integer)");
        return;
    }
    if (!v->IsInt64() || v->GetInt64() < min || v->GetInt64() > max) {
        fail(p, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
        return;
    }
    out = v->GetInt64();
}

void JsonFieldReader::flag(const rapidjson::Value& obj, const std::string& pointer, const char* key, bool& out) {
    const rapidjson::Value* v = member(obj, key);
    if (!v) return;
    if (!v->IsBool()) {
        fail(pointer + pointerSegment(key), "expected true or false");
        return;
    }
    out = v->GetBool();
}

void JsonFieldReader::time(const rapidjson::Value& obj, const std::string& pointer, const char* key, TimeUtc& out) {
    const rapidjson::Value* v = member(obj, key);
    if (!v) return;
    if (v->IsNull()) {
        out = 0;
        return;
    }
    std::optional<TimeUtc> t;
    if (v->IsString()) t = parseIsoUtc(std::string_view(v->GetString(), v->GetStringLength()));
    if (!t) {
        fail(pointer + pointerSegment(key), "expected null or a UTC time \"YYYY-MM-DDTHH:MM:SSZ\"");
        return;
    }
    out = *t;
}

void JsonFieldReader::textList(const rapidjson::Value& obj, const std::string& pointer, const char* key,
                               std::vector<std::string>& out) {
    const std::string p = pointer + pointerSegment(key);
    const rapidjson::Value* v = member(obj, key);
    if (!v) return;
    if (!expectArray(*v, p)) return;
    std::vector<std::string> items;
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
        const auto& item = (*v)[i];
        if (!item.IsString()) {
            fail(p + "/" + std::to_string(i), "expected a string");
            return;
        }
        items.emplace_back(item.GetString(), item.GetStringLength());
    }
    out = std::move(items);
}

void JsonFieldReader::textMap(const rapidjson::Value& obj, const std::string& pointer, const char* key,
                              std::map<std::string, std::string>& out) {
    const std::string p = pointer + pointerSegment(key);
    const rapidjson::Value* v = member(obj, key);
    if (!v) return;
    if (!expectObject(*v, p)) return;
    std::map<std::string, std::string> items;
    for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) {
        const std::string name(it->name.GetString(), it->name.GetStringLength());
        if (!it->value.IsString()) {
            fail(p + pointerSegment(name), "expected a string");
            return;
        }
        items[name] = std::string(it->value.GetString(), it->value.GetStringLength());
    }
    out = std::move(items);
}

}  // namespace planner::core::io
