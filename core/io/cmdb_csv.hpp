// Incremental RFC 4180 CSV reader for CMDB files: quoted fields with doubled
// quotes, CRLF or LF (or lone CR) line ends, multi-line quoted fields, a
// leading UTF-8 BOM, UTF-8 validated per field. A field that is apostrophes
// followed by = + - @ tab or CR loses one apostrophe (csvUnguard: the formula
// guard of util/csv_writer.hpp undone). Bytes may arrive in chunks of any
// size; positions are 1-based lines and columns in code points.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace planner::core::io {

// One parsed record: its fields, the line it starts on and each field's column.
struct CsvRecord {
    std::vector<std::string> fields;
    std::vector<int> columns;
    int line = 0;
};

// Receives each non-empty record; returning an Error stops the reader.
using CsvRecordFn = std::function<Status(const CsvRecord&)>;

inline constexpr std::size_t kMaxCsvFieldBytes = 1u << 20;

class CsvReader {
public:
    explicit CsvReader(std::string sourceName);
    // Consumes `chunk`; calls `onRecord` for every record completed in it.
    Status feed(std::string_view chunk, const CsvRecordFn& onRecord);
    // Ends the input: completes the last record or reports an open quote.
    Status finish(const CsvRecordFn& onRecord);

private:
    enum class State { FieldStart, Unquoted, Quoted, QuoteInQuoted, AfterCr };
    Status endField();
    Status endRecord(const CsvRecordFn& onRecord);
    Error errorHere(const std::string& message) const;

    std::string m_source;
    State m_state = State::FieldStart;
    CsvRecord m_record;            // its strings are reused for the next record
    std::size_t m_fieldCount = 0;  // fields completed in the current record
    std::string m_field;
    int m_line = 1;
    int m_column = 1;
    int m_fieldColumn = 1;
    int m_fieldLine = 1;
    int m_quoteLine = 0;
    int m_bomBytes = 0;      // BOM bytes matched so far (-1 once past the start)
    bool m_recordStarted = false;
};

// Index of the first invalid UTF-8 byte of `text` (NUL counts as invalid), or npos.
std::size_t findInvalidUtf8(std::string_view text);

}  // namespace planner::core::io
