// Thin RAII helpers over the SQLite C API used by the store: prepared
// statements with typed binds and column reads, and errors as Error values.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace planner::core::store {

// Process-wide SQLite settings, applied once before the first connection:
// no memory statistics (they take a global mutex on every allocation) and
// multi-thread mode (each connection is used by one thread at a time, which
// is how the store uses them). Later calls do nothing.
inline void configureSqliteOnce() {
    static const bool done = [] {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
        return true;
    }();
    (void)done;
}

// Settings for a connection that reads a database file from outside this
// workspace (a backup being validated): nothing stored in the file may run.
// Defensive mode (no writable_schema, no journal_mode=OFF, no writes to
// shadow tables or sqlite_dbpage), the schema untrusted (the same setting as
// PRAGMA trusted_schema = OFF: functions with side effects are refused in
// triggers, views, CHECK and DEFAULT expressions and indexes), and triggers
// and views disabled altogether. Applied before the file's schema is read;
// each setting is read back, so a SQLite without it fails here.
// With `allowTriggersAndViews` only the first two are applied (our own
// workspace files, whose append-only triggers must fire).
inline Status hardenConnection(sqlite3* db, bool allowTriggersAndViews = false) {
    struct Setting {
        int op;
        int value;
        const char* name;
    };
    const Setting settings[] = {
        {SQLITE_DBCONFIG_DEFENSIVE, 1, "defensive mode"},
        {SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, "untrusted schema"},
        {SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, "triggers off"},
        {SQLITE_DBCONFIG_ENABLE_VIEW, 0, "views off"},
    };
    for (const Setting& s : settings) {
        if (allowTriggersAndViews && (s.op == SQLITE_DBCONFIG_ENABLE_TRIGGER || s.op == SQLITE_DBCONFIG_ENABLE_VIEW))
            continue;
        int now = -1;
        if (sqlite3_db_config(db, s.op, s.value, &now) != SQLITE_OK || now != s.value)
            return Error{std::string("cannot configure SQLite (") + s.name + ")", "", 0, 0};
    }
    return okStatus();
}

// Error carrying the connection's last message, prefixed by `what`.
inline Error sqliteError(sqlite3* db, const std::string& what) {
    return Error{what + ": " + (db ? sqlite3_errmsg(db) : "no database"), "", 0, 0};
}

// Runs one or more SQL statements without results.
inline Status execSql(sqlite3* db, const std::string& sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
        std::string text = msg ? msg : "unknown error";
        sqlite3_free(msg);
        return Error{"SQL failed (" + sql.substr(0, 60) + "): " + text, "", 0, 0};
    }
    return okStatus();
}

// A prepared statement owned for its lifetime; bind indexes are 1-based,
// column indexes 0-based. Text results are copied out.
class Stmt {
public:
    Stmt(sqlite3* db, std::string_view sql) : m_db(db) {
        m_rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr);
    }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    ~Stmt() { sqlite3_finalize(m_stmt); }

    bool prepared() const { return m_rc == SQLITE_OK && m_stmt; }
    Error error(const std::string& what) const { return sqliteError(m_db, what); }

    Stmt& bind(int i, std::string_view text) {
        sqlite3_bind_text(m_stmt, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& bindStatic(int i, std::string_view text) {
        sqlite3_bind_text(m_stmt, i, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
        return *this;
    }
    Stmt& bind(int i, std::int64_t v) {
        sqlite3_bind_int64(m_stmt, i, v);
        return *this;
    }
    Stmt& bindNull(int i) {
        sqlite3_bind_null(m_stmt, i);
        return *this;
    }
    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(m_stmt); }
    // Runs a statement that returns no rows; resets it for reuse.
    Status run(const std::string& what) {
        int rc = sqlite3_step(m_stmt);
        sqlite3_reset(m_stmt);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) return sqliteError(m_db, what);
        return okStatus();
    }
    void reset() {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    std::string text(int col) const {
        const unsigned char* p = sqlite3_column_text(m_stmt, col);
        int n = sqlite3_column_bytes(m_stmt, col);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
    }
    std::int64_t int64(int col) const { return sqlite3_column_int64(m_stmt, col); }
    bool isNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
    sqlite3_stmt* raw() { return m_stmt; }

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    int m_rc = SQLITE_ERROR;
};

}  // namespace planner::core::store
