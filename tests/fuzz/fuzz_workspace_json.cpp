// libFuzzer target for the JSON a restore or a workspace file brings in: a
// workspace JSON export (snapshotFromJson), the JSON rows of a workspace file
// that may come from a foreign backup (changes, windows, people, commands),
// and audit anchors. Properties:
//  - a refusal names the source it was given;
//  - an accepted workspace export writes back to text that reads back to the
//    same text (toJson is a fixed point after one round);
//  - an accepted audit anchor writes back to the same seq and hash.
// A broken property ends the run with __builtin_trap().
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "command/command.hpp"
#include "model/serialization.hpp"
#include "session/audit_anchor.hpp"

using namespace planner::core;

namespace {

void require(bool condition) {
    if (!condition) __builtin_trap();
}

template <class R>
void refusalNamesSource(const R& result) {
    if (!result) require(result.error().file == "fuzz.json" || result.error().toString().find("fuzz.json") != std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    auto snapshot = snapshotFromJson(text, "fuzz.json");
    refusalNamesSource(snapshot);
    if (snapshot) {
        const std::string once = toJson(*snapshot);
        auto again = snapshotFromJson(once, "again.json");
        require(again.ok());
        require(toJson(*again) == once);
    }
    refusalNamesSource(changeFromRowJson(text, "fuzz.json"));
    refusalNamesSource(windowFromRowJson(text, "fuzz.json"));
    refusalNamesSource(personFromRowJson(text, "fuzz.json"));
    refusalNamesSource(command::commandFromJson(text, "fuzz.json"));

    auto anchor = parseAuditAnchor(text, "fuzz.json");
    refusalNamesSource(anchor);
    if (anchor) {
        auto back = parseAuditAnchor(auditAnchorJson(*anchor, "w"), "back.json");
        require(back.ok() && back->seq == anchor->seq && back->hash == anchor->hash);
    }
    return 0;
}
