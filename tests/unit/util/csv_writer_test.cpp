// The shared CSV writer: each cell rule, rows, and csvUnguard as the exact
// inverse of the formula guard.
#include "util/csv_writer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace planner::core;

namespace {

TEST(CsvWriter, PlainCellsAreWrittenAsTheyAre) {
    EXPECT_EQ(csvCell("plain"), "plain");
    EXPECT_EQ(csvCell(""), "");
    EXPECT_EQ(csvCell("a=b"), "a=b");  // the guard looks at the first character only
    EXPECT_EQ(csvCell("'quoted'"), "'quoted'");
    EXPECT_EQ(csvCell("Zürich"), "Zürich");
}

TEST(CsvWriter, FormulaGuardPrefixesEachDangerousFirstCharacter) {
    EXPECT_EQ(csvCell("=1+1"), "'=1+1");
    EXPECT_EQ(csvCell("+1"), "'+1");
    EXPECT_EQ(csvCell("-2+3"), "'-2+3");
    EXPECT_EQ(csvCell("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(csvCell("\tx"), "'\tx");
    EXPECT_EQ(csvCell("\rx"), "\"'\rx\"");  // guarded, then quoted for the CR
    EXPECT_TRUE(csvNeedsFormulaGuard("=x"));
    EXPECT_FALSE(csvNeedsFormulaGuard("x="));
    EXPECT_FALSE(csvNeedsFormulaGuard(""));
}

TEST(CsvWriter, ApostrophesBeforeAFormulaCharacterGetOneMore) {
    EXPECT_EQ(csvCell("'=x"), "''=x");
    EXPECT_EQ(csvCell("''-1"), "'''-1");
    EXPECT_EQ(csvCell("'"), "'");
    EXPECT_EQ(csvCell("'a=b"), "'a=b");
}

TEST(CsvWriter, QuotesCellsWithSeparatorsQuotesAndLineBreaks) {
    EXPECT_EQ(csvCell("a,b"), "\"a,b\"");
    EXPECT_EQ(csvCell("a;b"), "\"a;b\"");
    EXPECT_EQ(csvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csvCell("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csvCell("cr\rhere"), "\"cr\rhere\"");
    EXPECT_EQ(csvCell(" padded "), "\" padded \"");
    EXPECT_EQ(csvCell("\""), "\"\"\"\"");
}

TEST(CsvWriter, GuardAndQuotesTogether) {
    EXPECT_EQ(csvCell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
    EXPECT_EQ(csvCell("-1,5"), "\"'-1,5\"");
}

TEST(CsvWriter, RowsAreCommaSeparatedAndEndInCrlf) {
    EXPECT_EQ(csvRow({"id", "name", "=x", "a,b"}), "id,name,'=x,\"a,b\"\r\n");
    EXPECT_EQ(csvRow({}), "\r\n");
    std::string out = "head\r\n";
    appendCsvRow(out, {"", ""});
    EXPECT_EQ(out, "head\r\n,\r\n");
}

TEST(CsvWriter, UnguardRemovesExactlyWhatTheGuardAdded) {
    EXPECT_EQ(csvUnguard("'=x"), "=x");
    EXPECT_EQ(csvUnguard("''=x"), "'=x");
    EXPECT_EQ(csvUnguard("'\t"), "\t");
    EXPECT_EQ(csvUnguard("'abc"), "'abc");
    EXPECT_EQ(csvUnguard("'"), "'");
    EXPECT_EQ(csvUnguard("=x"), "=x");
    EXPECT_EQ(csvUnguard(""), "");
    for (const std::string v : {"=1", "'=1", "''@a", "'", "''", "x", "-", "'-", "\r", "a'=b", "+", "@@"}) {
        std::string cell = csvCell(v);
        // A cell without quotes is the field a reader sees; strip the quotes of the others.
        if (!cell.empty() && cell.front() == '"') {
            std::string inner;
            for (std::size_t i = 1; i + 1 < cell.size(); ++i) {
                inner += cell[i];
                if (cell[i] == '"') ++i;
            }
            cell = inner;
        }
        EXPECT_EQ(csvUnguard(cell), v) << v;
    }
}

}  // namespace
