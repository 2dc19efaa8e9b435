#include "policy/drift.hpp"
#include "policy/json_locator.hpp"

#include <set>
#include <utility>

namespace planner::core::policy {
namespace {

struct CsvField {
    std::string text;
    int line = 0;
    int column = 0;
};

// Splits RFC 4180 text into records of fields with their positions.
Result<std::vector<std::vector<CsvField>>> splitCsv(const std::string& text, const std::string& fileName) {
    std::vector<std::vector<CsvField>> records;
    std::vector<CsvField> record;
    std::size_t i = 0;
    int line = 1;
    int column = 1;
    const std::size_t n = text.size();
    if (n >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;
    bool atRecordStart = true;
    while (i < n) {
        if (atRecordStart && (text[i] == '\n' || text[i] == '\r')) {
            if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
            ++i;
            ++line;
            column = 1;
            continue;
        }
        atRecordStart = false;
        CsvField field{{}, line, column};
        if (text[i] == '"') {
            const int openLine = line, openColumn = column;
            ++i;
            ++column;
            bool closed = false;
            while (i < n) {
                char c = text[i];
                if (c == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        field.text += '"';
                        i += 2;
                        column += 2;
                        continue;
                    }
                    ++i;
                    ++column;
                    closed = true;
                    break;
                }
                field.text += c;
                ++i;
                if (c == '\n') {
                    ++line;
                    column = 1;
                } else {
                    ++column;
                }
            }
            if (!closed)
                return Error{"unterminated quoted field; expected a closing '\"'", fileName, openLine, openColumn};
            if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                return Error{"unexpected character after a quoted field; expected ',' or end of line", fileName, line,
                             column};
        } else {
            while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                if (text[i] == '"')
                    return Error{"quote inside an unquoted field; quote the whole field and double the quote", fileName,
                                 line, column};
                field.text += text[i++];
                ++column;
            }
        }
        record.push_back(std::move(field));
        if (i < n && text[i] == ',') {
            ++i;
            ++column;
            if (i == n) record.push_back(CsvField{{}, line, column});
            continue;
        }
        if (i < n && text[i] == '\r') ++i;
        if (i < n && text[i] == '\n') ++i;
        ++line;
        column = 1;
        records.push_back(std::move(record));
        record.clear();
        atRecordStart = true;
    }
    if (!record.empty()) records.push_back(std::move(record));
    return records;
}

std::string lowerTrim(const std::string& s) {
    std::size_t b = s.find_first_not_of(" \t");
    std::size_t e = s.find_last_not_of(" \t");
    std::string out = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace

Result<ConfigSnapshot> importConfigJson(const std::string& text, const std::string& fileName) {
    auto located = JsonLocator::parse(text, fileName, true);
    if (!located) return located.error();
    const rapidjson::Value& root = located->root();
    auto fail = [&](const std::string& pointer, const std::string& message) -> Error {
        auto [line, column] = located->locate(pointer);
        return Error{message, fileName, line, column};
    };
    if (!root.IsObject()) return fail("", "expected an object mapping CI ids to their attributes");
    ConfigSnapshot out;
    for (auto ci = root.MemberBegin(); ci != root.MemberEnd(); ++ci) {
        std::string ciId(ci->name.GetString(), ci->name.GetStringLength());
        const std::string ciPath = "/" + pointerToken(ciId);
        if (ciId.empty()) return fail(ciPath, "empty CI id");
        if (out.count(ciId)) return fail(ciPath, "CI \"" + ciId + "\" appears twice");
        if (!ci->value.IsObject()) return fail(ciPath, "expected an object of attributes for CI \"" + ciId + "\"");
        auto& attrs = out[ciId];
        for (auto a = ci->value.MemberBegin(); a != ci->value.MemberEnd(); ++a) {
            std::string name(a->name.GetString(), a->name.GetStringLength());
            const std::string path = ciPath + "/" + pointerToken(name);
            if (name.empty()) return fail(path, "empty attribute name in CI \"" + ciId + "\"");
            if (attrs.count(name)) return fail(path, "attribute \"" + name + "\" appears twice in CI \"" + ciId + "\"");
            const rapidjson::Value& v = a->value;
            if (v.IsString())
                attrs[name].assign(v.GetString(), v.GetStringLength());
            else if (v.IsBool())
                attrs[name] = v.GetBool() ? "true" : "false";
            else
                return fail(path, "expected a string, number or boolean for attribute \"" + name + "\"");
        }
    }
    return out;
}

Result<ConfigSnapshot> importConfigCsv(const std::string& text, const std::string& fileName) {
    auto split = splitCsv(text, fileName);
    if (!split) return split.error();
    const auto& records = split.value();
    if (records.empty()) return Error{"empty file; expected a header with ci, attribute and value", fileName, 1, 1};
    int ciCol = -1, attrCol = -1, valueCol = -1;
    const auto& header = records.front();
    for (std::size_t c = 0; c < header.size(); ++c) {
        std::string name = lowerTrim(header[c].text);
        int* slot = name == "ci" ? &ciCol : name == "attribute" ? &attrCol : name == "value" ? &valueCol : nullptr;
        if (!slot)
            return Error{"unknown column \"" + header[c].text + "\"; expected ci, attribute and value", fileName,
                         header[c].line, header[c].column};
        if (*slot >= 0)
            return Error{"column \"" + name + "\" appears twice", fileName, header[c].line, header[c].column};
        *slot = static_cast<int>(c);
    }
    if (ciCol < 0 || attrCol < 0 || valueCol < 0)
        return Error{"the header must name the columns ci, attribute and value", fileName, header.front().line, 1};
    ConfigSnapshot out;
    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& rec = records[r];
        if (rec.size() != header.size())
            return Error{"expected " + std::to_string(header.size()) + " fields, found " + std::to_string(rec.size()),
                         fileName, rec.front().line, rec.front().column};
        const CsvField& ci = rec[static_cast<std::size_t>(ciCol)];
        const CsvField& attr = rec[static_cast<std::size_t>(attrCol)];
        const CsvField& value = rec[static_cast<std::size_t>(valueCol)];
        if (ci.text.empty()) return Error{"empty CI id", fileName, ci.line, ci.column};
        if (attr.text.empty()) return Error{"empty attribute name", fileName, attr.line, attr.column};
        auto& attrs = out[ci.text];
        if (attrs.count(attr.text))
            return Error{"attribute \"" + attr.text + "\" of CI \"" + ci.text + "\" appears twice", fileName, attr.line,
                         attr.column};
        attrs[attr.text] = value.text;
    }
    return out;
}

DriftReport detectDrift(const ConfigSnapshot& baseline, const std::vector<DeclaredChange>& declared,
                        const ConfigSnapshot& observed) {
    DriftReport report;
    std::map<std::pair<std::string, std::string>, std::string> declaredMap;
    for (const DeclaredChange& d : declared) declaredMap[{d.ci, d.attribute}] = d.expectedValue;

    auto lookup = [](const ConfigSnapshot& snap, const std::string& ci,
                     const std::string& attr) -> std::optional<std::string> {
        auto c = snap.find(ci);
        if (c == snap.end()) return std::nullopt;
        auto a = c->second.find(attr);
        if (a == c->second.end()) return std::nullopt;
        return a->second;
    };

    std::set<std::pair<std::string, std::string>> keys;
    for (const auto& [ci, attrs] : observed) {
        for (const auto& [attr, value] : attrs) keys.insert({ci, attr});
        auto b = baseline.find(ci);
        if (b != baseline.end())
            for (const auto& [attr, value] : b->second) keys.insert({ci, attr});
    }
    for (const auto& [key, value] : declaredMap) keys.insert(key);
    for (const auto& [ci, attrs] : baseline)
        if (!observed.count(ci)) report.unobservedCis.push_back(ci);

    for (const auto& key : keys) {
        const auto& [ci, attr] = key;
        DriftItem item;
        item.ci = ci;
        item.attribute = attr;
        item.baselineValue = lookup(baseline, ci, attr);
        item.observedValue = lookup(observed, ci, attr);
        auto d = declaredMap.find(key);
        const std::string label = ci + "." + attr;
        if (d != declaredMap.end()) {
            item.expectedValue = d->second;
            const bool ciObserved = observed.count(ci) > 0;
            const bool changed = item.observedValue && item.observedValue != item.baselineValue;
            if (!ciObserved) {
                item.kind = DriftKind::Missing;
                item.explanation = label + " was declared but CI " + ci + " is not in the observed configuration.";
            } else if (item.observedValue && (d->second.empty() ? changed : *item.observedValue == d->second)) {
                item.kind = DriftKind::Expected;
                item.explanation = label + " changed as declared.";
            } else if (!changed) {
                item.kind = DriftKind::Missing;
                item.explanation = label + " was declared to change" +
                                   (d->second.empty() ? std::string() : " to \"" + d->second + "\"") + " but is " +
                                   (item.observedValue ? "unchanged." : "absent.");
            } else {
                item.kind = DriftKind::Unexpected;
                item.explanation =
                    label + " is \"" + *item.observedValue + "\" but the change declared \"" + d->second + "\".";
            }
        } else {
            if (item.baselineValue == item.observedValue) continue;
            item.kind = DriftKind::Unexpected;
            if (!item.baselineValue)
                item.explanation =
                    label + " appeared with value \"" + *item.observedValue + "\" without a declared change.";
            else if (!item.observedValue)
                item.explanation =
                    label + " disappeared (was \"" + *item.baselineValue + "\") without a declared change.";
            else
                item.explanation = label + " changed from \"" + *item.baselineValue + "\" to \"" + *item.observedValue +
                                   "\" without a declared change.";
        }
        if (item.kind == DriftKind::Expected) ++report.expected;
        if (item.kind == DriftKind::Unexpected) ++report.unexpected;
        if (item.kind == DriftKind::Missing) ++report.missing;
        report.items.push_back(std::move(item));
    }
    return report;
}

const char* toString(DriftKind k) {
    switch (k) {
        case DriftKind::Expected:
            return "expected";
        case DriftKind::Unexpected:
            return "unexpected";
        case DriftKind::Missing:
            return "missing";
    }
    return "?";
}

}  // namespace planner::core::policy
