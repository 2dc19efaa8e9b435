#include "util/json_parse.hpp"

namespace planner::core {
namespace {

template <unsigned Flags>
Status parseInto(rapidjson::Document& doc, std::string_view text, const std::string& sourceName,
                 const JsonParseOptions& options) {
    rapidjson::MemoryStream stream(text.data(), text.size());
    Status result = okStatus();
    auto generate = [&](rapidjson::Document& target) {
        result = parseJsonEvents<Flags>(text, stream, target, sourceName, options);
        return result.ok();
    };
    doc.Populate(generate);
    if (!result) doc.SetNull();
    return result;
}

}  // namespace

std::pair<int, int> jsonLineColumn(std::string_view text, std::size_t offset, bool codePoints) {
    if (offset > text.size()) offset = text.size();
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if (!codePoints || (c & 0xC0) != 0x80) {
            ++column;
        }
    }
    return {line, column};
}

Status checkJsonSize(std::string_view text, const std::string& sourceName, const JsonParseOptions& options) {
    if (text.size() <= options.maxBytes) return okStatus();
    return Error{"the JSON text is " + std::to_string(text.size()) + " bytes; at most " +
                     std::to_string(options.maxBytes) + " bytes are accepted here",
                 sourceName, 0, 0};
}

Status parseJson(rapidjson::Document& doc, std::string_view text, const std::string& sourceName,
                 const JsonParseOptions& options) {
    // rapidjson's flags are template arguments: one instantiation per combination.
    const int key = (options.validateEncoding ? 1 : 0) | (options.comments ? 2 : 0) | (options.numbersAsStrings ? 4 : 0);
    switch (key) {
        case 0: return parseInto<jsonParseFlags<false, false, false>()>(doc, text, sourceName, options);
        case 1: return parseInto<jsonParseFlags<true, false, false>()>(doc, text, sourceName, options);
        case 2: return parseInto<jsonParseFlags<false, true, false>()>(doc, text, sourceName, options);
        case 3: return parseInto<jsonParseFlags<true, true, false>()>(doc, text, sourceName, options);
        case 4: return parseInto<jsonParseFlags<false, false, true>()>(doc, text, sourceName, options);
        case 5: return parseInto<jsonParseFlags<true, false, true>()>(doc, text, sourceName, options);
        case 6: return parseInto<jsonParseFlags<false, true, true>()>(doc, text, sourceName, options);
        default: return parseInto<jsonParseFlags<true, true, true>()>(doc, text, sourceName, options);
    }
}

}  // namespace planner::core
