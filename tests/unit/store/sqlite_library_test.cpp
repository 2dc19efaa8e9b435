// The SQLite the product links (Debian's library natively, the Debian source
// package with its patch series in wasm) carries the distribution's security
// fixes. Each test is the regression query of one fix.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

namespace {

struct Db {
    sqlite3* handle = nullptr;
    Db() { EXPECT_EQ(sqlite3_open(":memory:", &handle), SQLITE_OK); }
    ~Db() { sqlite3_close(handle); }
    std::string exec(const std::string& sql) {
        char* message = nullptr;
        const int rc = sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &message);
        std::string result = rc == SQLITE_OK ? "ok" : (message ? message : "error");
        sqlite3_free(message);
        return result;
    }
};

// One result column made of `terms` distinct aggregate functions.
std::string aggregateQuery(int terms) {
    std::string sql = "SELECT ";
    for (int i = 0; i < terms; ++i) sql += (i ? " + " : "") + std::string("sum(x + ") + std::to_string(i) + ")";
    return sql + " FROM t";
}

}  // namespace

// CVE-2025-6965: a query with more aggregate terms than SQLITE_LIMIT_COLUMN
// overflowed a 16-bit index. The fix refuses it at prepare time; an unpatched
// 3.40.1 runs it. A small column limit shows which library this is.
TEST(SqliteLibrary, RefusesMoreAggregateTermsThanColumnsCve20256965) {
    Db db;
    ASSERT_EQ(db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)"), "ok");
    sqlite3_limit(db.handle, SQLITE_LIMIT_COLUMN, 10);
    EXPECT_EQ(db.exec(aggregateQuery(10)), "ok");
    const std::string refused = db.exec(aggregateQuery(12));
    EXPECT_NE(refused.find("aggregate terms"), std::string::npos)
        << "SQLite " << sqlite3_libversion() << " ran a query with 12 aggregate terms under a column limit of 10: "
        << "the CVE-2025-6965 fix is missing (" << refused << ")";
}

TEST(SqliteLibrary, IsTheDebianVersion) {
    EXPECT_EQ(std::string(sqlite3_libversion()), "3.40.1");
}
