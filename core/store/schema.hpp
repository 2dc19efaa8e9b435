// Schema of the two workspace files and their migrations, keyed by
// PRAGMA user_version. Version N's script upgrades a file from N-1 to N.
#pragma once

#include <string>
#include <vector>

#include "util/result.hpp"

struct sqlite3;

namespace planner::core::store {

// Identifies our files in their meta table (key "format").
inline constexpr const char* kMainFormat = "change-planner-main";
inline constexpr const char* kCmdbFormat = "change-planner-cmdb";

// A secondary index of the CMDB file: dropped and rebuilt around bulk imports.
struct IndexDef {
    std::string name;
    std::string createSql;   // for schema "cmdb"
};

// Secondary indexes the CMDB file has at `version`.
std::vector<IndexDef> cmdbSecondaryIndexes(int version);

// Migrates schema `schemaName` ("main" or "cmdb") of `db` from its current
// user_version up to `target`, one transaction per step. A fresh (empty) file
// is created at version 1 first. Fails on a file that is not ours or is newer.
Status migrateSchema(sqlite3* db, const std::string& schemaName, int target);

// One row of sqlite_schema: an object of the database file.
struct SchemaObject {
    std::string type;      // table, index, trigger, view
    std::string name;
    std::string tblName;
    std::string sql;       // as stored (SQLite keeps the CREATE text); "" for automatic indexes
    bool hasSql = false;
    bool operator==(const SchemaObject&) const = default;
};

// The objects of `schemaName` in `db`, sorted by type and name.
Result<std::vector<SchemaObject>> readSchemaObjects(sqlite3* db, const std::string& schemaName);

// Our own schema of `schemaName` ("main" or "cmdb") at `version`, as a file
// created by this program and migrated up to `version` holds it: built once
// per version by running the migrations in an in-memory database.
Result<std::vector<SchemaObject>> expectedSchemaObjects(const std::string& schemaName, int version);

// Compares the objects of `schemaName` in `db` with our schema at `version`
// (type, name, table and SQL text, so changed CHECK or DEFAULT expressions
// count). The error names the first extra, missing or changed object.
Status checkSchemaIsOurs(sqlite3* db, const std::string& schemaName, int version);

// user_version of `schemaName`, or an error if the file is unreadable.
Result<int> schemaUserVersion(sqlite3* db, const std::string& schemaName);

}  // namespace planner::core::store
