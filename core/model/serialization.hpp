// cereal serialization of the domain model: JSON documents carrying a top-level
// "schemaVersion" (kModelSchemaVersion) with keys in a fixed order, and a
// portable binary form for caches. Enums are written as their snake_case names.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "util/result.hpp"

namespace planner::core {

// Everything a workspace holds, including settings and policy documents
// (policy id -> policy JSON text): the unit of JSON backup and restore.
struct WorkspaceSnapshot {
    WorkspaceData data;
    std::map<std::string, std::string> settings;
    std::map<std::string, std::string> policies;
    bool operator==(const WorkspaceSnapshot&) const = default;
};

// cereal serialize functions of every model type, explicitly instantiated for
// cereal::JSONOutputArchive, JSONInputArchive, PortableBinaryOutputArchive and
// PortableBinaryInputArchive (other archives do not link).
template <class Ar> void serialize(Ar& ar, ConfigItem& v);
template <class Ar> void serialize(Ar& ar, Relationship& v);
template <class Ar> void serialize(Ar& ar, Step& v);
template <class Ar> void serialize(Ar& ar, Approval& v);
template <class Ar> void serialize(Ar& ar, Review& v);
template <class Ar> void serialize(Ar& ar, DeclaredChange& v);
template <class Ar> void serialize(Ar& ar, ChangeRequest& v);
template <class Ar> void serialize(Ar& ar, Window& v);
template <class Ar> void serialize(Ar& ar, Person& v);
template <class Ar> void serialize(Ar& ar, WorkspaceSnapshot& v);

// JSON text of one value, wrapped as {"schemaVersion": N, "<kind>": value}.
std::string toJson(const ChangeRequest& change);
std::string toJson(const std::vector<ConfigItem>& cis);
std::string toJson(const Window& window);
std::string toJson(const Person& person);
std::string toJson(const WorkspaceSnapshot& snapshot);

// Parsers of the documents above. Errors name `sourceName`, the line and column
// when the JSON itself is malformed, and the field when a value is wrong.
Result<ChangeRequest> changeFromJson(std::string_view json, const std::string& sourceName);
Result<std::vector<ConfigItem>> configItemsFromJson(std::string_view json, const std::string& sourceName);
Result<Window> windowFromJson(std::string_view json, const std::string& sourceName);
Result<Person> personFromJson(std::string_view json, const std::string& sourceName);
Result<WorkspaceSnapshot> snapshotFromJson(std::string_view json, const std::string& sourceName);

// Bare JSON object of one value (no version wrapper), as stored in database rows.
std::string changeToRowJson(const ChangeRequest& change);
Result<ChangeRequest> changeFromRowJson(std::string_view json, const std::string& sourceName);
std::string windowToRowJson(const Window& window);
Result<Window> windowFromRowJson(std::string_view json, const std::string& sourceName);
std::string personToRowJson(const Person& person);
Result<Person> personFromRowJson(std::string_view json, const std::string& sourceName);

// Portable binary (endianness-independent) of a CMDB, for cached snapshots.
std::string cmdbToBinary(const std::vector<ConfigItem>& cis, const std::vector<Relationship>& relationships);
Result<std::pair<std::vector<ConfigItem>, std::vector<Relationship>>> cmdbFromBinary(std::string_view bytes);

}  // namespace planner::core
