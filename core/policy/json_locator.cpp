#include "policy/json_locator.hpp"
#include "policy/policy.hpp"
#include "util/json_parse.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <vector>

namespace planner::core::policy {
namespace {

constexpr unsigned kParseFlags = rapidjson::kParseCommentsFlag | rapidjson::kParseValidateEncodingFlag;

// SAX handler recording, for each value, the offset where its token ends.
class OffsetRecorder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, OffsetRecorder> {
public:
    OffsetRecorder(const rapidjson::MemoryStream& stream, std::map<std::string, std::size_t>& offsets)
        : m_stream(stream), m_offsets(offsets) {}

    bool Default() {
        beginValue();
        return true;
    }
    bool StartObject() {
        beginValue();
        m_frames.push_back({false, 0, m_path.size()});
        return true;
    }
    bool StartArray() {
        beginValue();
        m_frames.push_back({true, 0, m_path.size()});
        return true;
    }
    bool EndObject(rapidjson::SizeType) {
        m_frames.pop_back();
        return true;
    }
    bool EndArray(rapidjson::SizeType) {
        m_frames.pop_back();
        return true;
    }
    bool Key(const char* str, rapidjson::SizeType length, bool) {
        m_path.resize(m_frames.back().baseLength);
        m_path += '/';
        m_path += pointerToken(std::string(str, length));
        std::size_t end = m_stream.Tell();
        m_offsets[m_path] = end >= length + 2 ? end - length - 2 : 0;
        return true;
    }

private:
    struct Frame {
        bool isArray;
        int nextIndex;
        std::size_t baseLength;
    };

    void beginValue() {
        if (m_frames.empty() || !m_frames.back().isArray) return;
        Frame& top = m_frames.back();
        m_path.resize(top.baseLength);
        m_path += '/';
        m_path += std::to_string(top.nextIndex++);
        std::size_t end = m_stream.Tell();
        m_offsets[m_path] = end > 0 ? end - 1 : 0;
    }

    const rapidjson::MemoryStream& m_stream;
    std::map<std::string, std::size_t>& m_offsets;
    std::vector<Frame> m_frames;
    std::string m_path;
};

}  // namespace

std::string pointerToken(const std::string& key) {
    std::string out;
    out.reserve(key.size());
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

std::pair<int, int> lineColumnOf(const std::string& text, std::size_t offset) {
    int line = 1;
    int column = 1;
    const std::size_t end = offset < text.size() ? offset : text.size();
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

Result<JsonLocator> JsonLocator::parse(const std::string& text, const std::string& fileName, bool numbersAsText) {
    JsonLocator out;
    out.m_text = std::make_shared<const std::string>(text);
    out.m_document = std::make_shared<rapidjson::Document>();
    JsonParseOptions options;
    options.maxBytes = json_limits::kPolicy;
    options.comments = true;
    options.numbersAsStrings = numbersAsText;
    if (auto st = parseJson(*out.m_document, text, fileName, options); !st) return st.error();
    // Second pass for the offsets; the text is known to be valid and bounded.
    rapidjson::MemoryStream stream(text.data(), text.size());
    OffsetRecorder recorder(stream, out.m_offsets);
    if (auto st = parseJsonEvents<kParseFlags>(text, stream, recorder, fileName, options); !st) return st.error();
    return out;
}

std::pair<int, int> JsonLocator::locate(const std::string& pointer) const {
    std::string p = pointer;
    while (!p.empty()) {
        auto it = m_offsets.find(p);
        if (it != m_offsets.end()) return lineColumnOf(*m_text, it->second);
        auto slash = p.rfind('/');
        p.resize(slash == std::string::npos ? 0 : slash);
    }
    return {1, 1};
}

}  // namespace planner::core::policy
