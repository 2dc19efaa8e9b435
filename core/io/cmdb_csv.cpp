#include "io/cmdb_csv.hpp"

#include "util/csv_writer.hpp"

namespace planner::core::io {

namespace {
const char kBom[3] = {'\xEF', '\xBB', '\xBF'};

std::string printable(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) return std::string("'") + c + "'";
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", u);
    return buf;
}
}  // namespace

std::size_t findInvalidUtf8(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c == 0) return i;
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        std::uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n) return i;
        for (std::size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return i;
        i += len;
    }
    return std::string_view::npos;
}

CsvReader::CsvReader(std::string sourceName) : m_source(std::move(sourceName)) {}

Error CsvReader::errorHere(const std::string& message) const { return Error{message, m_source, m_line, m_column}; }

Status CsvReader::endField() {
    const std::size_t bad = findInvalidUtf8(m_field);
    if (bad != std::string_view::npos) {
        int column = m_fieldColumn + (m_state == State::QuoteInQuoted ? 1 : 0);
        for (std::size_t i = 0; i < bad; ++i)
            if ((static_cast<unsigned char>(m_field[i]) & 0xC0) != 0x80) ++column;
        const bool nul = m_field[bad] == '\0';
        return Error{nul ? "NUL byte in field; expected text" : "invalid UTF-8 byte sequence; expected UTF-8 text",
                     m_source, m_fieldLine, column};
    }
    // The apostrophe our exporter's formula guard put before '=' and the like
    // is not part of the value.
    const std::string_view value = csvUnguard(m_field);
    // Field strings are reused from record to record: copying into a string
    // that already has the capacity allocates nothing.
    if (m_fieldCount < m_record.fields.size()) {
        m_record.fields[m_fieldCount].assign(value);
        m_record.columns[m_fieldCount] = m_fieldColumn;
    } else {
        m_record.fields.emplace_back(value);
        m_record.columns.push_back(m_fieldColumn);
    }
    ++m_fieldCount;
    m_field.clear();
    return okStatus();
}

Status CsvReader::endRecord(const CsvRecordFn& onRecord) {
    Status st = okStatus();
    if (m_recordStarted) {
        if (m_record.fields.size() != m_fieldCount) {
            m_record.fields.resize(m_fieldCount);
            m_record.columns.resize(m_fieldCount);
        }
        st = onRecord(m_record);
    }
    m_fieldCount = 0;
    m_recordStarted = false;
    return st;
}

namespace {
// Bytes that end a run of ordinary field text: outside quotes ',', '"', CR,
// LF; inside quotes '"' and LF (which advances the line).
struct ByteClasses {
    bool unquoted[256] = {};
    bool quoted[256] = {};
    constexpr ByteClasses() {
        unquoted[static_cast<unsigned char>(',')] = unquoted[static_cast<unsigned char>('"')] = true;
        unquoted[static_cast<unsigned char>('\r')] = unquoted[static_cast<unsigned char>('\n')] = true;
        quoted[static_cast<unsigned char>('"')] = quoted[static_cast<unsigned char>('\n')] = true;
    }
};
constexpr ByteClasses kStops;
}  // namespace

Status CsvReader::feed(std::string_view chunk, const CsvRecordFn& onRecord) {
    std::size_t i = 0;
    while (i < chunk.size()) {
        const char c = chunk[i];
        if (m_bomBytes >= 0) {
            if (c == kBom[m_bomBytes]) {
                ++i;
                if (++m_bomBytes == 3) m_bomBytes = -1;
                continue;
            }
            const int matched = m_bomBytes;
            m_bomBytes = -1;
            if (matched > 0)
                if (auto st = feed(std::string_view(kBom, static_cast<std::size_t>(matched)), onRecord); !st) return st;
            continue;
        }
        if (m_state == State::AfterCr) {
            ++m_line;
            m_column = 1;
            m_state = State::FieldStart;
            if (c == '\n') {
                ++i;
                continue;
            }
        }
        if (m_state == State::Unquoted || m_state == State::Quoted) {
            // Fast path: copy the run of ordinary bytes up to the next byte
            // that changes state in one go (what the per-byte loop below
            // would do, byte by byte).
            const bool* stops = m_state == State::Unquoted ? kStops.unquoted : kStops.quoted;
            std::size_t j = i;
            int codePoints = 0;
            while (j < chunk.size() && !stops[static_cast<unsigned char>(chunk[j])]) {
                if ((static_cast<unsigned char>(chunk[j]) & 0xC0) != 0x80) ++codePoints;
                ++j;
            }
            if (j > i) {
                if (m_field.size() + (j - i) > kMaxCsvFieldBytes)
                    return Error{"field longer than " + std::to_string(kMaxCsvFieldBytes) + " bytes", m_source,
                                 m_fieldLine, m_fieldColumn};
                m_field.append(chunk.data() + i, j - i);
                m_column += codePoints;
                i = j;
                continue;
            }
        }
        const int col = m_column;
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++m_column;
        ++i;
        auto startRecord = [&] {
            if (!m_recordStarted) {
                m_recordStarted = true;
                m_record.line = m_line;
            }
        };
        auto append = [&]() -> Status {
            if (m_field.size() >= kMaxCsvFieldBytes)
                return Error{"field longer than " + std::to_string(kMaxCsvFieldBytes) + " bytes", m_source, m_fieldLine,
                             m_fieldColumn};
            m_field += c;
            return okStatus();
        };
        auto lineEnd = [&](bool cr) -> Status {
            if (auto st = endRecord(onRecord); !st) return st;
            if (cr) {
                m_state = State::AfterCr;
            } else {
                ++m_line;
                m_column = 1;
                m_state = State::FieldStart;
            }
            return okStatus();
        };
        switch (m_state) {
            case State::FieldStart:
                if (c == '\r' || c == '\n') {
                    if (m_recordStarted)
                        if (auto st = endField(); !st) return st;
                    if (auto st = lineEnd(c == '\r'); !st) return st;
                    break;
                }
                startRecord();
                m_fieldColumn = col;
                m_fieldLine = m_line;
                if (c == '"') {
                    m_state = State::Quoted;
                    m_quoteLine = m_line;
                } else if (c == ',') {
                    if (auto st = endField(); !st) return st;
                    m_fieldColumn = m_column;
                    m_fieldLine = m_line;
                } else {
                    m_state = State::Unquoted;
                    if (auto st = append(); !st) return st;
                }
                break;
            case State::Unquoted:
                if (c == ',') {
                    if (auto st = endField(); !st) return st;
                    m_state = State::FieldStart;
                    m_fieldColumn = m_column;
                    m_fieldLine = m_line;
                } else if (c == '\r' || c == '\n') {
                    if (auto st = endField(); !st) return st;
                    if (auto st = lineEnd(c == '\r'); !st) return st;
                } else if (c == '"') {
                    return Error{"unexpected '\"' inside an unquoted field; expected the whole field in quotes with "
                                 "inner quotes doubled",
                                 m_source, m_line, col};
                } else if (auto st = append(); !st) {
                    return st;
                }
                break;
            case State::Quoted:
                if (c == '"') {
                    m_state = State::QuoteInQuoted;
                } else {
                    if (auto st = append(); !st) return st;
                    if (c == '\n') {
                        ++m_line;
                        m_column = 1;
                    }
                }
                break;
            case State::QuoteInQuoted:
                if (c == '"') {
                    m_state = State::Quoted;
                    if (auto st = append(); !st) return st;
                } else if (c == ',') {
                    if (auto st = endField(); !st) return st;
                    m_state = State::FieldStart;
                    m_fieldColumn = m_column;
                    m_fieldLine = m_line;
                } else if (c == '\r' || c == '\n') {
                    if (auto st = endField(); !st) return st;
                    if (auto st = lineEnd(c == '\r'); !st) return st;
                } else {
                    return Error{"expected ',' or end of line after the closing quote, found " + printable(c), m_source,
                                 m_line, col};
                }
                break;
            case State::AfterCr:
                break;
        }
    }
    return okStatus();
}

Status CsvReader::finish(const CsvRecordFn& onRecord) {
    if (m_bomBytes > 0) {
        const int matched = m_bomBytes;
        m_bomBytes = -1;
        if (auto st = feed(std::string_view(kBom, static_cast<std::size_t>(matched)), onRecord); !st) return st;
    }
    switch (m_state) {
        case State::Quoted:
            return Error{"unterminated quoted field; expected a closing '\"' before the end of the file", m_source,
                         m_quoteLine, m_fieldColumn};
        case State::Unquoted:
        case State::QuoteInQuoted:
            if (auto st = endField(); !st) return st;
            return endRecord(onRecord);
        case State::FieldStart:
            if (m_recordStarted)
                if (auto st = endField(); !st) return st;
            return endRecord(onRecord);
        case State::AfterCr:
            return okStatus();
    }
    return okStatus();
}

}  // namespace planner::core::io
