#include "io/cmdb_import.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "io/canonical_json.hpp"
#include "io/cmdb_csv.hpp"
#include "io/cmdb_servicenow.hpp"
#include "util/json_parse.hpp"

namespace planner::core::io {

namespace {

constexpr std::size_t kChunkBytes = 1u << 20;

Error cancelledError() { return Error{"import cancelled; nothing was changed", "", 0, 0}; }

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
    return std::string(s.substr(b, e - b));
}

// Position of `type` among the known relationship types, or -1.
int knownTypeIndex(const std::string& type) {
    const auto& known = knownRelationshipTypes();
    auto it = std::find(known.begin(), known.end(), type);
    return it == known.end() ? -1 : static_cast<int>(it - known.begin());
}

bool isKnownType(const std::string& type) {
    return knownTypeIndex(type) >= 0;
}

std::string knownTypesText() {
    std::string out;
    for (const auto& t : knownRelationshipTypes()) out += (out.empty() ? "" : ", ") + t;
    return out;
}

// Byte progress shared by every source of one parse.
struct Progress {
    const store::ProgressFn* fn = nullptr;
    std::int64_t done = 0;
    std::int64_t total = 0;
    bool report(std::int64_t bytes) {
        done += bytes;
        return !fn || !*fn || (*fn)(done, total);
    }
};

// A position in one source. The source name is referenced, not copied: the
// sources outlive the parse, and a copy per row would be one allocation per row.
struct Where {
    Where() = default;
    Where(const std::string& f, int l, int c, std::string p = {})
        : fileName(&f), line(l), column(c), pointer(std::move(p)) {}
    std::string file() const { return fileName ? *fileName : std::string(); }
    const std::string* fileName = nullptr;
    int line = 0;
    int column = 0;
    std::string pointer;   // JSON Pointer when the source is JSON
};

struct PendingRel {
    Relationship rel;
    Where fromAt;
    Where toAt;
    bool byName = false;   // ServiceNow: ends may be display names
    std::uint8_t typeIndex = 0;  // in knownRelationshipTypes(), set by addRelationship
};

class Builder {
public:
    explicit Builder(const std::vector<ConfigItem>& existing) : m_existing(existing) {
        m_existingIds.reserve(existing.size());
        for (std::size_t i = 0; i < existing.size(); ++i)
            m_existingIds.emplace(existing[i].id, static_cast<std::uint32_t>(i));
    }

    Status addCi(ConfigItem ci, const Where& at) {
        if (ci.id.empty()) return Error{"missing CI id; expected a non-empty id", at.file(), at.line, at.column};
        if (m_cis.size() >= kMaxImportCis) {
            return Error{"more than " + std::to_string(kMaxImportCis) + " CIs in one import", at.file(), at.line,
                         at.column};
        }
        auto [it, inserted] = m_index.emplace(ci.id, static_cast<std::uint32_t>(m_cis.size()));
        if (!inserted) {
            const Where& first = m_where[it->second];
            const std::string firstAt =
                first.line > 0 ? first.file() + ":" + std::to_string(first.line) : first.file() + " " + first.pointer;
            return Error{"duplicate CI id \"" + ci.id + "\" (first defined at " + firstAt + "); expected unique ids",
                         at.file(), at.line, at.column};
        }
        m_cis.push_back(std::move(ci));
        m_where.push_back(at);
        return okStatus();
    }

    Status addRelationship(PendingRel rel) {
        const int type = knownTypeIndex(rel.rel.type);
        if (type < 0)
            return Error{"unknown relationship type \"" + rel.rel.type + "\"; expected one of " + knownTypesText(),
                         rel.toAt.file(), rel.toAt.line, rel.toAt.column};
        rel.typeIndex = static_cast<std::uint8_t>(type);
        if (m_rels.size() >= kMaxImportRelationships) {
            return Error{"more than " + std::to_string(kMaxImportRelationships) + " relationships in one import",
                         rel.toAt.file(), rel.toAt.line, rel.toAt.column};
        }
        m_rels.push_back(std::move(rel));
        return okStatus();
    }

    // Resolves every relationship end to a CI number (imported CIs first, then
    // workspace CIs not re-imported), then orders and deduplicates the
    // relationships on integers: each CI number gets the rank of its id in
    // string order, so the result comes out in the (from, to, type) order the
    // store writes in, and duplicates sit next to each other. The first
    // occurrence in the input is kept.
    Result<ParsedCmdb> finish() {
        ParsedCmdb out;
        struct Key {
            std::uint32_t from, to;
            std::uint8_t type;
            std::uint32_t input;   // position in m_rels: keeps the first duplicate
        };
        std::vector<Key> keys;
        keys.reserve(m_rels.size());
        // Inputs are often grouped by parent: reuse the previous parent's number.
        const std::string* lastFrom = nullptr;
        std::uint32_t lastFromNumber = 0;
        for (std::size_t i = 0; i < m_rels.size(); ++i) {
            auto& p = m_rels[i];
            const bool sameText = p.rel.from == p.rel.to;
            std::uint32_t from = 0, to = 0;
            if (!sameText) {
                if (lastFrom && *lastFrom == p.rel.from) {
                    from = lastFromNumber;
                } else {
                    auto f = resolve(p.rel.from, p.fromAt, p.byName, "parent");
                    if (!f) return f.error();
                    from = *f;
                    lastFrom = &p.rel.from;
                    lastFromNumber = from;
                }
                auto t = resolve(p.rel.to, p.toAt, p.byName, "child");
                if (!t) return t.error();
                to = *t;
            }
            if (sameText || from == to) {
                m_errorPointer = p.fromAt.pointer;
                return Error{"relationship from \"" + p.rel.from + "\" to itself; expected two different CIs",
                             p.fromAt.file(), p.fromAt.line, p.fromAt.column};
            }
            keys.push_back(Key{from, to, p.typeIndex, static_cast<std::uint32_t>(i)});
        }
        const std::vector<std::uint32_t> rank = idRanks();
        const std::vector<std::uint8_t> typeRank = typeRanks();
        for (auto& k : keys) {
            k.from = rank[k.from];
            k.to = rank[k.to];
            k.type = typeRank[k.type];
        }
        std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
            return std::tie(a.from, a.to, a.type, a.input) < std::tie(b.from, b.to, b.type, b.input);
        });
        std::vector<std::uint32_t> dropped;
        out.relationships.reserve(keys.size());
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const Key& k = keys[i];
            if (i > 0 && k.from == keys[i - 1].from && k.to == keys[i - 1].to && k.type == keys[i - 1].type) {
                dropped.push_back(k.input);
                continue;
            }
            out.relationships.push_back(std::move(m_rels[k.input].rel));
        }
        std::sort(dropped.begin(), dropped.end());
        for (std::uint32_t i : dropped) {
            const PendingRel& p = m_rels[i];   // its Relationship was not moved out
            out.warnings.push_back(Error{"duplicate relationship " + p.rel.from + " " + p.rel.type + " " + p.rel.to +
                                             " ignored",
                                         p.fromAt.file(), p.fromAt.line, 0});
        }
        m_rels.clear();
        m_rels.shrink_to_fit();
        out.cis = std::move(m_cis);
        return out;
    }

    // JSON Pointer of the value the error finish() returned is about, "" when
    // it came from a CSV source (whose errors carry their line).
    const std::string& errorPointer() const { return m_errorPointer; }

private:
    // Number of a known CI id: its position among the imported CIs, else the
    // imported count plus its position in the workspace.
    std::optional<std::uint32_t> numberOf(const std::string& id) const {
        if (auto it = m_index.find(id); it != m_index.end()) return it->second;
        if (auto it = m_existingIds.find(id); it != m_existingIds.end())
            return static_cast<std::uint32_t>(m_cis.size()) + it->second;
        return std::nullopt;
    }

    // Rank of every CI number's id in string order.
    std::vector<std::uint32_t> idRanks() const {
        const std::size_t imported = m_cis.size();
        std::vector<std::uint32_t> order(imported + m_existing.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
        auto idOf = [&](std::uint32_t n) -> const std::string& {
            return n < imported ? m_cis[n].id : m_existing[n - imported].id;
        };
        std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return idOf(a) < idOf(b); });
        std::vector<std::uint32_t> rank(order.size());
        for (std::size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<std::uint32_t>(r);
        return rank;
    }

    // Rank of every known relationship type in string order.
    static std::vector<std::uint8_t> typeRanks() {
        const auto& known = knownRelationshipTypes();
        std::vector<std::uint8_t> rank(known.size());
        for (std::size_t i = 0; i < known.size(); ++i)
            rank[i] = static_cast<std::uint8_t>(
                std::count_if(known.begin(), known.end(), [&](const std::string& t) { return t < known[i]; }));
        return rank;
    }

    Result<std::uint32_t> resolve(std::string& end, const Where& at, bool byName, const char* role) {
        m_errorPointer = at.pointer;
        if (auto n = numberOf(end)) return *n;
        if (byName) {
            buildNames();
            auto it = m_names.find(end);
            if (it != m_names.end()) {
                if (it->second.empty())
                    return Error{std::string(role) + " \"" + end +
                                     "\" matches several CIs by name; expected a unique "
                                     "name or a sys_id column",
                                 at.file(), at.line, at.column};
                end = it->second;
                if (auto n = numberOf(end)) return *n;
            }
        }
        return Error{"relationship end \"" + end + "\" is not a known CI; expected the id of a CI in this import" +
                         (m_existing.empty() ? std::string() : " or in the workspace") +
                         (at.pointer.empty() ? std::string() : " (at " + at.pointer + ")"),
                     at.file(), at.line, at.column};
    }

    void buildNames() {
        if (m_namesBuilt) return;
        m_namesBuilt = true;
        auto add = [&](const ConfigItem& ci) {
            auto [it, inserted] = m_names.emplace(ci.name, ci.id);
            if (!inserted && it->second != ci.id) it->second.clear();
        };
        for (const auto& ci : m_cis) add(ci);
        for (const auto& ci : m_existing)
            if (!m_index.count(ci.id)) add(ci);
    }

    const std::vector<ConfigItem>& m_existing;
    std::unordered_map<std::string, std::uint32_t> m_existingIds;  // id -> position in m_existing
    std::vector<ConfigItem> m_cis;
    std::vector<Where> m_where;
    std::unordered_map<std::string, std::uint32_t> m_index;  // id -> position in m_cis
    std::vector<PendingRel> m_rels;
    std::string m_errorPointer;
    std::unordered_map<std::string, std::string> m_names;   // name -> id ("" = ambiguous)
    bool m_namesBuilt = false;
};

// Streams one source through a CSV reader.
Status readCsv(const CmdbSource& src, Progress& progress, const CsvRecordFn& onRecord) {
    CsvReader reader(src.name);
    if (!src.path.empty()) {
        std::ifstream in(src.path, std::ios::binary);
        if (!in) return Error{"cannot open the file", src.name, 0, 0};
        std::string buf(kChunkBytes, '\0');
        while (in) {
            in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
            const auto got = static_cast<std::size_t>(in.gcount());
            if (got == 0) break;
            if (auto st = reader.feed(std::string_view(buf.data(), got), onRecord); !st) return st;
            if (!progress.report(static_cast<std::int64_t>(got))) return cancelledError();
        }
        if (in.bad()) return Error{"read error", src.name, 0, 0};
    } else {
        std::string_view all(src.content);
        for (std::size_t off = 0; off < all.size(); off += kChunkBytes) {
            auto chunk = all.substr(off, kChunkBytes);
            if (auto st = reader.feed(chunk, onRecord); !st) return st;
            if (!progress.report(static_cast<std::int64_t>(chunk.size()))) return cancelledError();
        }
    }
    return reader.finish(onRecord);
}

// Column layout of a header line; `required` must all be present.
struct Header {
    std::map<std::string, std::size_t> index;
    std::vector<std::string> names;
    std::size_t count = 0;
    int line = 0;
    std::optional<std::size_t> find(const std::string& n) const {
        auto it = index.find(n);
        if (it == index.end()) return std::nullopt;
        return it->second;
    }
};

Status readHeader(const CsvRecord& r, const std::string& file, bool lowerCase, Header& h) {
    h.count = r.fields.size();
    h.line = r.line;
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
        std::string name = trim(r.fields[i]);
        if (lowerCase) name = lower(name);
        if (name.empty()) return Error{"empty column name in the header", file, r.line, r.columns[i]};
        if (!h.index.emplace(name, i).second)
            return Error{"duplicate column \"" + name + "\" in the header", file, r.line, r.columns[i]};
        h.names.push_back(name);
    }
    return okStatus();
}

Status checkRequired(const Header& h, const std::vector<std::string>& required, const std::string& file) {
    for (const auto& name : required)
        if (!h.find(name)) return Error{"missing column \"" + name + "\" in the header", file, h.line, 1};
    return okStatus();
}

Status checkWidth(const CsvRecord& r, const Header& h, const std::string& file) {
    if (r.fields.size() == h.count) return okStatus();
    const int column = r.fields.size() > h.count ? r.columns[h.count] : r.columns.back();
    return Error{"expected " + std::to_string(h.count) + " fields as in the header, found " +
                     std::to_string(r.fields.size()),
                 file, r.line, column};
}

Result<int> parseTier(const std::string& raw, const std::string& file, int line, int column) {
    const std::string t = trim(raw);
    if (t.empty()) return 3;
    if (t[0] >= '1' && t[0] <= '4' && (t.size() == 1 || !std::isdigit(static_cast<unsigned char>(t[1]))))
        return t[0] - '0';
    return Error{"invalid tier \"" + t + "\"; expected 1, 2, 3 or 4", file, line, column};
}

std::vector<std::string> splitTags(const std::string& raw) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= raw.size()) {
        std::size_t end = raw.find(';', start);
        if (end == std::string::npos) end = raw.size();
        std::string tag = trim(std::string_view(raw).substr(start, end - start));
        if (!tag.empty()) out.push_back(std::move(tag));
        start = end + 1;
    }
    return out;
}

// ---- our CSV templates --------------------------------------------------------

Status parseCiCsv(const CmdbSource& src, Progress& progress, Builder& b) {
    static const std::vector<std::string> kColumns = {"id", "name", "type", "owner", "team", "tier",
                                                      "environment", "location", "tags"};
    enum class Role { Id, Name, Type, Owner, Team, Tier, Environment, Location, Tags, Attribute };
    Header h;
    bool haveHeader = false;
    std::vector<Role> roles;
    std::vector<std::string> attributeNames;
    std::size_t idCol = 0, nameCol = 0;
    Status st = readCsv(src, progress, [&](const CsvRecord& r) -> Status {
        if (!haveHeader) {
            haveHeader = true;
            if (auto s = readHeader(r, src.name, false, h); !s) return s;
            for (std::size_t i = 0; i < h.names.size(); ++i) {
                const auto& n = h.names[i];
                if (n.rfind("attr:", 0) == 0 && n.size() > 5) continue;
                if (std::find(kColumns.begin(), kColumns.end(), n) == kColumns.end())
                    return Error{"unknown column \"" + n + "\"; expected id, name, type, owner, team, tier, "
                                 "environment, location, tags or attr:<name>",
                                 src.name, r.line, r.columns[i]};
            }
            if (auto s = checkRequired(h, {"id", "name"}, src.name); !s) return s;
            // What each column fills, decided once from the header.
            idCol = *h.find("id");
            nameCol = *h.find("name");
            roles.resize(h.names.size());
            attributeNames.resize(h.names.size());
            for (std::size_t i = 0; i < h.names.size(); ++i) {
                const auto& n = h.names[i];
                roles[i] = n == "id"            ? Role::Id
                           : n == "name"        ? Role::Name
                           : n == "type"        ? Role::Type
                           : n == "owner"       ? Role::Owner
                           : n == "team"        ? Role::Team
                           : n == "environment" ? Role::Environment
                           : n == "location"    ? Role::Location
                           : n == "tags"        ? Role::Tags
                           : n == "tier"        ? Role::Tier
                                                : Role::Attribute;
                if (roles[i] == Role::Attribute) attributeNames[i] = n.substr(5);
            }
            return okStatus();
        }
        if (auto s = checkWidth(r, h, src.name); !s) return s;
        ConfigItem ci;
        for (std::size_t i = 0; i < roles.size(); ++i) {
            const std::string& v = r.fields[i];
            switch (roles[i]) {
                case Role::Id:
                    ci.id = trim(v);
                    break;
                case Role::Name:
                    ci.name = v;
                    break;
                case Role::Type:
                    ci.type = trim(v);
                    break;
                case Role::Owner:
                    ci.owner = v;
                    break;
                case Role::Team:
                    ci.team = v;
                    break;
                case Role::Environment:
                    ci.environment = trim(v);
                    break;
                case Role::Location:
                    ci.location = v;
                    break;
                case Role::Tags:
                    ci.tags = splitTags(v);
                    break;
                case Role::Tier: {
                    auto t = parseTier(v, src.name, r.line, r.columns[i]);
                    if (!t) return t.error();
                    ci.tier = *t;
                    break;
                }
                case Role::Attribute:
                    if (!v.empty()) ci.attributes.emplace(attributeNames[i], v);
                    break;
            }
        }
        if (ci.id.empty())
            return Error{"missing CI id; expected a non-empty id", src.name, r.line, r.columns[idCol]};
        if (ci.name.empty())
            return Error{"missing name of CI \"" + ci.id + "\"; expected a non-empty name", src.name, r.line,
                         r.columns[nameCol]};
        return b.addCi(std::move(ci), Where{src.name, r.line, r.columns[idCol]});
    });
    if (!st) return st;
    if (!haveHeader) return Error{"empty file; expected a header line starting with id,name", src.name, 1, 1};
    return okStatus();
}

Status parseRelCsv(const CmdbSource& src, Progress& progress, Builder& b, bool edgeList) {
    Header h;
    bool first = true;
    bool any = false;
    std::optional<std::tuple<std::size_t, std::size_t, std::optional<std::size_t>>> headerCols;
    Status st = readCsv(src, progress, [&](const CsvRecord& r) -> Status {
        any = true;
        if (first) {
            first = false;
            const bool looksLikeHeader = !r.fields.empty() && lower(trim(r.fields[0])) == "from";
            if (!edgeList || looksLikeHeader) {
                if (auto s = readHeader(r, src.name, true, h); !s) return s;
                for (std::size_t i = 0; i < h.names.size(); ++i)
                    if (h.names[i] != "from" && h.names[i] != "to" && h.names[i] != "type")
                        return Error{"unknown column \"" + h.names[i] + "\"; expected from, to, type", src.name,
                                     r.line, r.columns[i]};
                return checkRequired(h, edgeList ? std::vector<std::string>{"from", "to"}
                                                 : std::vector<std::string>{"from", "to", "type"},
                                     src.name);
            }
            h.index = {{"from", 0}, {"to", 1}, {"type", 2}};
            h.count = 0;
        }
        std::size_t fromCol, toCol;
        std::optional<std::size_t> typeCol;
        if (h.count == 0) {
            if (r.fields.size() < 2 || r.fields.size() > 3)
                return Error{"expected 2 or 3 fields (from,to[,type]), found " + std::to_string(r.fields.size()),
                             src.name, r.line, r.columns.back()};
            fromCol = 0;
            toCol = 1;
            if (r.fields.size() == 3) typeCol = 2;
        } else {
            if (auto s = checkWidth(r, h, src.name); !s) return s;
            if (!headerCols) headerCols = std::make_tuple(*h.find("from"), *h.find("to"), h.find("type"));
            std::tie(fromCol, toCol, typeCol) = *headerCols;
        }
        PendingRel p;
        p.rel.from = trim(r.fields[fromCol]);
        p.rel.to = trim(r.fields[toCol]);
        p.rel.type = typeCol ? trim(r.fields[*typeCol]) : std::string();
        if (p.rel.type.empty() && (edgeList)) p.rel.type = "depends_on";
        p.fromAt = Where{src.name, r.line, r.columns[fromCol]};
        p.toAt = Where{src.name, r.line, r.columns[toCol]};
        if (p.rel.from.empty()) return Error{"missing \"from\" CI id", src.name, r.line, r.columns[fromCol]};
        if (p.rel.to.empty()) return Error{"missing \"to\" CI id", src.name, r.line, r.columns[toCol]};
        if (typeCol) p.toAt.column = r.columns[*typeCol];
        if (!isKnownType(p.rel.type))
            return Error{"unknown relationship type \"" + p.rel.type + "\"; expected one of " + knownTypesText(),
                         src.name, r.line, typeCol ? r.columns[*typeCol] : 1};
        p.toAt.column = r.columns[toCol];
        return b.addRelationship(std::move(p));
    });
    if (!st) return st;
    if (!any) return Error{std::string("empty file; expected ") + (edgeList ? "from,to lines" : "a header line from,to,type"),
                           src.name, 1, 1};
    return okStatus();
}

// ---- ServiceNow exports ----------------------------------------------------------

Status parseServiceNowCi(const CmdbSource& src, Progress& progress, Builder& b) {
    Header h;
    bool haveHeader = false;
    static const std::vector<std::string> kMapped = {"sys_id", "name", "sys_class_name", "owned_by", "support_group",
                                                     "busines_criticality", "business_criticality", "environment",
                                                     "location", "assignment_group"};
    Status st = readCsv(src, progress, [&](const CsvRecord& r) -> Status {
        if (!haveHeader) {
            haveHeader = true;
            if (auto s = readHeader(r, src.name, true, h); !s) return s;
            return checkRequired(h, {"sys_id", "name"}, src.name);
        }
        if (auto s = checkWidth(r, h, src.name); !s) return s;
        auto get = [&](const char* n) -> std::string {
            auto i = h.find(n);
            return i ? r.fields[*i] : std::string();
        };
        ConfigItem ci;
        ci.id = trim(get("sys_id"));
        ci.name = get("name");
        ci.type = serviceNowClassToType(trim(get("sys_class_name")));
        ci.owner = get("owned_by");
        ci.team = get("support_group");
        if (ci.team.empty()) ci.team = get("assignment_group");
        ci.environment = lower(trim(get("environment")));
        ci.location = get("location");
        const auto critCol = h.find("busines_criticality") ? h.find("busines_criticality") : h.find("business_criticality");
        if (critCol) {
            auto t = parseTier(r.fields[*critCol], src.name, r.line, r.columns[*critCol]);
            if (!t) return t.error();
            ci.tier = *t;
        }
        for (std::size_t i = 0; i < h.names.size(); ++i)
            if (std::find(kMapped.begin(), kMapped.end(), h.names[i]) == kMapped.end() && !r.fields[i].empty())
                ci.attributes.emplace(h.names[i], r.fields[i]);
        const int idColumn = r.columns[*h.find("sys_id")];
        if (ci.id.empty()) return Error{"missing sys_id; expected the CI's sys_id", src.name, r.line, idColumn};
        if (ci.name.empty()) ci.name = ci.id;
        return b.addCi(std::move(ci), Where{src.name, r.line, idColumn});
    });
    if (!st) return st;
    if (!haveHeader) return Error{"empty file; expected a cmdb_ci header line with sys_id and name", src.name, 1, 1};
    return okStatus();
}

Status parseServiceNowRel(const CmdbSource& src, Progress& progress, Builder& b) {
    Header h;
    bool haveHeader = false;
    Status st = readCsv(src, progress, [&](const CsvRecord& r) -> Status {
        if (!haveHeader) {
            haveHeader = true;
            if (auto s = readHeader(r, src.name, true, h); !s) return s;
            return checkRequired(h, {"parent", "child", "type"}, src.name);
        }
        if (auto s = checkWidth(r, h, src.name); !s) return s;
        const std::size_t typeCol = *h.find("type");
        const std::string descriptor = trim(r.fields[typeCol]);
        auto mapped = serviceNowRelationshipType(descriptor);
        if (!mapped)
            return Error{"unknown relationship type \"" + descriptor + "\"; expected a descriptor such as "
                         "\"Depends on::Used by\" or one of " + knownTypesText(),
                         src.name, r.line, r.columns[typeCol]};
        auto end = [&](const char* col, const char* idCol) -> std::pair<std::string, int> {
            if (auto i = h.find(idCol); i && !trim(r.fields[*i]).empty()) return {trim(r.fields[*i]), r.columns[*i]};
            const std::size_t i = *h.find(col);
            return {trim(r.fields[i]), r.columns[i]};
        };
        auto [parent, parentCol] = end("parent", "parent.sys_id");
        auto [child, childCol] = end("child", "child.sys_id");
        if (parent.empty()) return Error{"missing parent", src.name, r.line, parentCol};
        if (child.empty()) return Error{"missing child", src.name, r.line, childCol};
        PendingRel p;
        p.byName = true;
        p.rel.type = mapped->first;
        Where parentAt{src.name, r.line, parentCol};
        Where childAt{src.name, r.line, childCol};
        if (mapped->second) {
            p.rel.from = child;
            p.rel.to = parent;
            p.fromAt = childAt;
            p.toAt = parentAt;
        } else {
            p.rel.from = parent;
            p.rel.to = child;
            p.fromAt = parentAt;
            p.toAt = childAt;
        }
        return b.addRelationship(std::move(p));
    });
    if (!st) return st;
    if (!haveHeader) return Error{"empty file; expected a cmdb_rel_ci header line with parent, child, type", src.name, 1, 1};
    return okStatus();
}

// ---- our JSON template -------------------------------------------------------------

Result<std::string> readWhole(const CmdbSource& src) {
    if (src.path.empty()) return src.content;
    std::ifstream in(src.path, std::ios::binary);
    if (!in) return Error{"cannot open the file", src.name, 0, 0};
    std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return out;
}

// Error at JSON Pointer `pointer`, located by re-parsing (only on the error path).
Error jsonErrorAt(const std::string& text, const std::string& file, const std::string& pointer, const std::string& msg) {
    auto located = parseLocatedJson(text, file, json_limits::kCmdbImport);
    if (located) return (*located)->errorAt(pointer, msg + " (at " + pointer + ")");
    // The locator reads the same JSON; should it ever fail, the message's
    // pointer still says where, and the error stays on a real line.
    return Error{msg + " (at " + pointer + ")", file, 1, 0};
}

// 1-based line and column (in code points) of byte `offset` of `text`.
std::pair<int, int> textPosition(const std::string& text, std::size_t offset) {
    int line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return {line, column};
}

// Builder::finish, with an error about a JSON value placed on its line: the
// builder knows only the value's JSON Pointer, so the source is read again
// and located (only on this error path).
Result<ParsedCmdb> finishLocated(Builder& b, const std::vector<CmdbSource>& sources) {
    auto r = b.finish();
    if (r || r.error().line > 0 || b.errorPointer().empty()) return r;
    for (const CmdbSource& src : sources) {
        if (src.format != CmdbFormat::Json || src.name != r.error().file) continue;
        auto text = readWhole(src);
        if (!text) break;
        auto located = parseLocatedJson(*text, src.name, json_limits::kCmdbImport);
        if (located) return (*located)->errorAt(b.errorPointer(), r.error().message);
        break;
    }
    return r;
}

Status parseJsonSource(const CmdbSource& src, Progress& progress, Builder& b) {
    if (!src.path.empty()) {
        // Refuse an oversized file before reading it into memory.
        std::error_code ec;
        const auto size = std::filesystem::file_size(src.path, ec);
        if (!ec && size > json_limits::kCmdbImport)
            return Error{"the file is " + std::to_string(size) + " bytes; a CMDB JSON import accepts at most " +
                             std::to_string(json_limits::kCmdbImport) + " bytes",
                         src.name, 0, 0};
    }
    auto text = readWhole(src);
    if (!text) return text.error();
    const std::string& json = *text;
    if (!progress.report(static_cast<std::int64_t>(json.size()))) return cancelledError();
    if (trim(json).empty()) return Error{"empty file; expected a JSON object with \"cis\"", src.name, 1, 1};
    // RapidJSON takes a NUL byte for the end of the text and would silently
    // ignore whatever follows it; JSON text never holds one.
    if (const std::size_t nul = json.find('\0'); nul != std::string::npos) {
        const auto [line, column] = textPosition(json, nul);
        return Error{"NUL byte in the file; expected JSON text", src.name, line, column};
    }
    rapidjson::Document doc;
    JsonParseOptions options;
    options.maxBytes = json_limits::kCmdbImport;
    options.codePointColumns = true;
    options.messagePrefix = "malformed JSON: ";
    if (auto st = parseJson(doc, json, src.name, options); !st) return st;
    auto fail = [&](const std::string& ptr, const std::string& msg) -> Status { return jsonErrorAt(json, src.name, ptr, msg); };
    if (!doc.IsObject()) return fail("", "expected a JSON object at the top level");
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
        const std::string key(it->name.GetString(), it->name.GetStringLength());
        if (key != "schemaVersion" && key != "cis" && key != "relationships")
            return fail(pointerSegment(key), "unknown key \"" + key + "\"; expected schemaVersion, cis, relationships");
    }
    if (!doc.HasMember("schemaVersion") || !doc["schemaVersion"].IsInt() || doc["schemaVersion"].GetInt() != 1)
        return fail(doc.HasMember("schemaVersion") ? "/schemaVersion" : "", "expected \"schemaVersion\": 1");
    if (!doc.HasMember("cis") || !doc["cis"].IsArray()) return fail(doc.HasMember("cis") ? "/cis" : "", "expected \"cis\" to be an array");
    auto str = [](const rapidjson::Value& v) { return std::string(v.GetString(), v.GetStringLength()); };
    const auto& cis = doc["cis"];
    for (rapidjson::SizeType i = 0; i < cis.Size(); ++i) {
        const std::string base = "/cis/" + std::to_string(i);
        const auto& o = cis[i];
        if (!o.IsObject()) return fail(base, "expected a CI object");
        ConfigItem ci;
        for (auto it = o.MemberBegin(); it != o.MemberEnd(); ++it) {
            const std::string key = str(it->name);
            const std::string ptr = base + pointerSegment(key);
            const auto& v = it->value;
            std::string* text = key == "id" ? &ci.id : key == "name" ? &ci.name : key == "type" ? &ci.type
                              : key == "owner" ? &ci.owner : key == "team" ? &ci.team : key == "environment" ? &ci.environment
                              : key == "location" ? &ci.location : nullptr;
            if (text) {
                if (!v.IsString()) return fail(ptr, "expected \"" + key + "\" to be a string");
                *text = str(v);
            } else if (key == "tier") {
                if (!v.IsInt() || v.GetInt() < 1 || v.GetInt() > 4) return fail(ptr, "expected \"tier\" to be 1, 2, 3 or 4");
                ci.tier = v.GetInt();
            } else if (key == "tags") {
                if (!v.IsArray()) return fail(ptr, "expected \"tags\" to be an array of strings");
                for (rapidjson::SizeType k = 0; k < v.Size(); ++k) {
                    if (!v[k].IsString()) return fail(ptr + "/" + std::to_string(k), "expected a tag string");
                    ci.tags.push_back(str(v[k]));
                }
            } else if (key == "attributes") {
                if (!v.IsObject()) return fail(ptr, "expected \"attributes\" to be an object of strings");
                for (auto a = v.MemberBegin(); a != v.MemberEnd(); ++a) {
                    if (!a->value.IsString()) return fail(ptr + pointerSegment(str(a->name)), "expected a string value");
                    ci.attributes.emplace(str(a->name), str(a->value));
                }
            } else {
                return fail(ptr, "unknown key \"" + key + "\" in a CI; expected id, name, type, owner, team, tier, "
                                 "environment, location, tags, attributes");
            }
        }
        const std::string firstMember =
            o.MemberCount() ? base + pointerSegment(str(o.MemberBegin()->name)) : base;
        if (ci.id.empty()) return fail(firstMember, "missing CI id; expected a non-empty \"id\"");
        if (ci.name.empty()) return fail(base, "missing name of CI \"" + ci.id + "\"; expected a non-empty \"name\"");
        Where at{src.name, 0, 0, base + "/id"};
        if (b.addCi(ci, at).ok()) continue;
        return fail(base + "/id", "duplicate CI id \"" + ci.id + "\"; expected unique ids");
    }
    if (doc.HasMember("relationships")) {
        const auto& rels = doc["relationships"];
        if (!rels.IsArray()) return fail("/relationships", "expected \"relationships\" to be an array");
        for (rapidjson::SizeType i = 0; i < rels.Size(); ++i) {
            const std::string base = "/relationships/" + std::to_string(i);
            const auto& o = rels[i];
            if (!o.IsObject()) return fail(base, "expected a relationship object");
            PendingRel p;
            for (auto it = o.MemberBegin(); it != o.MemberEnd(); ++it) {
                const std::string key = str(it->name);
                std::string* field = key == "from" ? &p.rel.from : key == "to" ? &p.rel.to : key == "type" ? &p.rel.type : nullptr;
                if (!field) return fail(base + pointerSegment(key), "unknown key \"" + key + "\"; expected from, to, type");
                if (!it->value.IsString()) return fail(base + "/" + key, "expected \"" + key + "\" to be a string");
                *field = str(it->value);
            }
            for (const char* k : {"from", "to", "type"})
                if (!o.HasMember(k)) return fail(base, std::string("missing \"") + k + "\"");
            if (!isKnownType(p.rel.type))
                return fail(base + "/type", "unknown relationship type \"" + p.rel.type + "\"; expected one of " + knownTypesText());
            p.fromAt = Where{src.name, 0, 0, base + "/from"};
            p.toAt = Where{src.name, 0, 0, base + "/to"};
            if (auto s = b.addRelationship(std::move(p)); !s) return s;
        }
    }
    return okStatus();
}

Status parseSource(const CmdbSource& src, Progress& progress, Builder& b) {
    switch (src.format) {
        case CmdbFormat::CiCsv: return parseCiCsv(src, progress, b);
        case CmdbFormat::RelationshipCsv: return parseRelCsv(src, progress, b, false);
        case CmdbFormat::EdgeList: return parseRelCsv(src, progress, b, true);
        case CmdbFormat::Json: return parseJsonSource(src, progress, b);
        case CmdbFormat::ServiceNowCiCsv: return parseServiceNowCi(src, progress, b);
        case CmdbFormat::ServiceNowRelCsv: return parseServiceNowRel(src, progress, b);
    }
    return Error{"unknown format", src.name, 0, 0};
}

const char* formatName(CmdbFormat f) {
    switch (f) {
        case CmdbFormat::CiCsv: return "ci_csv";
        case CmdbFormat::RelationshipCsv: return "relationship_csv";
        case CmdbFormat::Json: return "json";
        case CmdbFormat::ServiceNowCiCsv: return "servicenow_cmdb_ci";
        case CmdbFormat::ServiceNowRelCsv: return "servicenow_cmdb_rel_ci";
        case CmdbFormat::EdgeList: return "edge_list";
    }
    return "?";
}

std::int64_t sourceSize(const CmdbSource& src) {
    if (src.path.empty()) return static_cast<std::int64_t>(src.content.size());
    std::error_code ec;
    auto n = std::filesystem::file_size(src.path, ec);
    return ec ? 0 : static_cast<std::int64_t>(n);
}

}  // namespace

const std::vector<std::string>& knownRelationshipTypes() {
    static const std::vector<std::string> kTypes = {"depends_on", "runs_on",  "hosted_on", "connects_to",
                                                    "member_of",  "contains", "uses",      "provides",
                                                    "backs_up",   "replicates_to", "stored_on", "protected_by"};
    return kTypes;
}

Result<ParsedCmdb> parseCmdb(const std::vector<CmdbSource>& sources, const std::vector<ConfigItem>& existing,
                             const store::ProgressFn& progressFn) {
    if (sources.empty()) return Error{"no input files", "", 0, 0};
    Progress progress;
    progress.fn = &progressFn;
    for (const auto& s : sources) progress.total += sourceSize(s);
    Builder b(existing);
    for (const auto& s : sources)
        if (auto st = parseSource(s, progress, b); !st) return st.error();
    return finishLocated(b, sources);
}

namespace {

std::string auditPayload(const std::vector<CmdbSource>& sources, store::CmdbWriteMode mode, const ParsedCmdb& parsed) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("mode");
    w.String(mode == store::CmdbWriteMode::Replace ? "replace" : "merge");
    w.Key("sources");
    w.StartArray();
    for (const auto& s : sources) {
        w.StartObject();
        w.Key("name");
        w.String(s.name.c_str());
        w.Key("format");
        w.String(formatName(s.format));
        w.EndObject();
    }
    w.EndArray();
    w.Key("cis");
    w.Int64(static_cast<std::int64_t>(parsed.cis.size()));
    w.Key("relationships");
    w.Int64(static_cast<std::int64_t>(parsed.relationships.size()));
    w.Key("warnings");
    w.Int64(static_cast<std::int64_t>(parsed.warnings.size()));
    w.EndObject();
    return std::string(buf.GetString(), buf.GetSize());
}

// Share of the bar each phase fills, from the phase times of a large import.
constexpr double kReadShare = 0.25, kCheckShare = 0.10, kRowsShare = 0.50, kIndexShare = 0.13;
constexpr std::int64_t kRowsPerSlice = 2048;

}  // namespace

struct CmdbImportJob::State {
    State(store::Workspace& ws, std::vector<CmdbSource> src, ImportOptions opt)
        : workspace(ws), sources(std::move(src)), options(std::move(opt)) {}

    enum class Phase { Start, Read, Check, Rows, Indexes, Commit, Done, Failed };
    store::Workspace& workspace;
    std::vector<CmdbSource> sources;
    ImportOptions options;
    Phase phase = Phase::Start;
    std::string phaseText = "Waiting to start";
    double fraction = 0;
    bool cancelRequested = false;
    bool holding = false;   // this job holds the workspace's transaction
    std::vector<ConfigItem> existing;
    std::optional<Builder> builder;
    Progress bytes;
    store::ProgressFn byteProgress;
    std::int64_t span = 1;   // bytes of every source (at least 1)
    std::size_t nextSource = 0;
    std::optional<ParsedCmdb> parsed;
    std::optional<store::CmdbWriter> writer;
    ImportSummary summary;

    bool report(std::int64_t done, std::int64_t total) {
        if (cancelRequested) return false;
        return !options.progress || options.progress(done, total);
    }

    void release() {
        if (holding) workspace.rollbackHeldTransaction();
        holding = false;
    }

    Error fail(Error e) {
        release();
        writer.reset();
        parsed.reset();
        builder.reset();
        phase = Phase::Failed;
        phaseText = "Nothing was imported";
        return e;
    }

    // One slice of work; each ends at a point where the UI may draw.
    Status slice() {
        switch (phase) {
            case Phase::Start: {
                if (sources.empty()) return Error{"no input files", "", 0, 0};
                // Held from the start: the workspace CIs a merge validates
                // against cannot change under the import.
                if (auto st = workspace.holdTransaction(true); !st) return st;
                holding = true;
                if (options.mode == store::CmdbWriteMode::Merge) {
                    auto current = workspace.cis();
                    if (!current) return current.error();
                    existing = std::move(*current);
                }
                std::int64_t total = 0;
                for (const auto& s : sources) total += sourceSize(s);
                span = std::max<std::int64_t>(total, 1);
                bytes.total = span;
                byteProgress = [this](std::int64_t done, std::int64_t) {
                    fraction = kReadShare * static_cast<double>(done) / static_cast<double>(span);
                    return report(done, 2 * span);
                };
                bytes.fn = &byteProgress;
                builder.emplace(existing);
                phase = Phase::Read;
                phaseText = "Reading " + sources[0].name;
                return okStatus();
            }
            case Phase::Read: {
                const CmdbSource& src = sources[nextSource];
                if (auto st = parseSource(src, bytes, *builder); !st) return st;
                if (++nextSource < sources.size()) {
                    phaseText = "Reading " + sources[nextSource].name;
                } else {
                    phase = Phase::Check;
                    phaseText = "Checking CIs and relationships";
                }
                return okStatus();
            }
            case Phase::Check: {
                auto p = finishLocated(*builder, sources);
                if (!p) return p.error();
                builder.reset();
                existing.clear();
                existing.shrink_to_fit();
                parsed = std::move(*p);
                writer.emplace(workspace, parsed->cis, parsed->relationships, options.mode);
                if (auto st = workspace.inHeldTransaction({false, true}, [&] { return writer->start(); }); !st)
                    return st;
                fraction = kReadShare + kCheckShare;
                phase = Phase::Rows;
                phaseText = "Writing rows";
                return okStatus();
            }
            case Phase::Rows: {
                bool done = false;
                Status st = workspace.inHeldTransaction({false, true}, [&]() -> Status {
                    auto r = writer->writeRows(kRowsPerSlice);
                    if (!r) return r.error();
                    done = *r;
                    return okStatus();
                });
                if (!st) return st;
                const std::int64_t total = std::max<std::int64_t>(writer->total(), 1);
                fraction = kReadShare + kCheckShare +
                           kRowsShare * static_cast<double>(writer->written()) / static_cast<double>(total);
                if (!report(span + writer->written() * span / total, 2 * span)) return cancelledError();
                char text[96];
                std::snprintf(text, sizeof text, "Writing rows: %lld of %lld",
                              static_cast<long long>(writer->written()), static_cast<long long>(writer->total()));
                phaseText = text;
                if (done) {
                    phase = Phase::Indexes;
                    phaseText = "Building indexes";
                }
                return okStatus();
            }
            case Phase::Indexes: {
                if (auto st = workspace.inHeldTransaction({false, true}, [&] { return writer->finish(); }); !st)
                    return st;
                fraction = kReadShare + kCheckShare + kRowsShare + kIndexShare;
                phase = Phase::Commit;
                phaseText = "Saving";
                return okStatus();
            }
            case Phase::Commit: {
                const std::string payload = auditPayload(sources, options.mode, *parsed);
                Status st = workspace.inHeldTransaction({true, false}, [&]() -> Status {
                    auto row = workspace.appendAudit(options.atUtc, options.actor, "import", payload);
                    return row ? okStatus() : Status(row.error());
                });
                if (!st) return st;
                holding = false;   // committed or, on failure, rolled back by the workspace
                if (auto c = workspace.commitHeldTransaction(); !c) return c;
                summary.cis = static_cast<std::int64_t>(parsed->cis.size());
                summary.relationships = static_cast<std::int64_t>(parsed->relationships.size());
                summary.warnings = std::move(parsed->warnings);
                writer.reset();
                parsed.reset();
                fraction = 1;
                phase = Phase::Done;
                phaseText = "Imported";
                return okStatus();
            }
            case Phase::Done:
            case Phase::Failed: return okStatus();
        }
        return okStatus();
    }
};

CmdbImportJob::CmdbImportJob(store::Workspace& workspace, std::vector<CmdbSource> sources, ImportOptions options)
    : m_state(std::make_unique<State>(workspace, std::move(sources), std::move(options))) {}

CmdbImportJob::~CmdbImportJob() { m_state->release(); }

Result<bool> CmdbImportJob::step(double budgetMs) {
    State& st = *m_state;
    if (st.phase == State::Phase::Done) return true;
    if (st.phase == State::Phase::Failed) return Error{"the import has already failed", "", 0, 0};
    if (st.workspace.readOnly()) return st.fail(Error{"the workspace is open read-only", "", 0, 0});
    const auto start = std::chrono::steady_clock::now();
    do {
        if (st.cancelRequested) return st.fail(cancelledError());
        if (auto s = st.slice(); !s) return st.fail(s.error());
        if (st.phase == State::Phase::Done) return true;
    } while (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() < budgetMs);
    return false;
}

void CmdbImportJob::cancel() { m_state->cancelRequested = true; }
bool CmdbImportJob::finished() const {
    return m_state->phase == State::Phase::Done || m_state->phase == State::Phase::Failed;
}
double CmdbImportJob::fraction() const { return m_state->fraction; }
const std::string& CmdbImportJob::phase() const { return m_state->phaseText; }
const ImportSummary& CmdbImportJob::summary() const { return m_state->summary; }

Result<ImportSummary> importCmdb(store::Workspace& workspace, const std::vector<CmdbSource>& sources,
                                 const ImportOptions& options) {
    if (workspace.readOnly()) return Error{"the workspace is open read-only", "", 0, 0};
    CmdbImportJob job(workspace, sources, options);
    auto done = job.step(std::numeric_limits<double>::infinity());
    if (!done) return done.error();
    return job.summary();
}

}  // namespace planner::core::io
