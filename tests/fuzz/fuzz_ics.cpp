// libFuzzer target for the iCalendar import: any input must either import or
// fail with an Error naming a line, and whatever imports must export and
// import again to the same windows.
#include "schedule/ics.hpp"
#include "schedule/time_zone.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    planner::core::schedule::initTimeZones("");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace planner::core;
    using namespace planner::core::schedule;
    const std::string text(reinterpret_cast<const char*>(data), size);
    IcsImportOptions options;
    options.fileName = "fuzz.ics";
    auto imported = importIcs(text, options);
    if (!imported) {
        if (imported.error().message.empty()) __builtin_trap();
        return 0;
    }
    IcsExportOptions out;
    auto exported = exportIcs(imported.value(), {}, out);
    if (!exported) return 0;  // e.g. an RRULE libical reads but that does not expand
    auto again = importIcs(exported.value(), options);
    if (!again || again->size() != imported->size()) __builtin_trap();
    return 0;
}
