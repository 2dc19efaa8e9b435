#include "session/change_factory.hpp"

#include <cstdio>
#include <cstdlib>

#include "policy/change_model.hpp"

namespace planner::core {

std::string nextChangeId(const WorkspaceData& data) {
    long long highest = 0;
    for (const auto& c : data.changes) {
        if (c.id.size() < 4 || c.id.compare(0, 3, "CHG") != 0) continue;
        bool digits = true;
        for (std::size_t i = 3; i < c.id.size(); ++i) digits = digits && c.id[i] >= '0' && c.id[i] <= '9';
        if (!digits || c.id.size() > 15) continue;
        highest = std::max(highest, std::atoll(c.id.c_str() + 3));
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "CHG%07lld", highest + 1);
    return buf;
}

namespace {
void stamp(ChangeRequest& c, const std::string& person, const std::string& timeZone, TimeUtc now) {
    c.requester = person;
    c.owner = person;
    c.implementer = person;
    c.timeZone = timeZone.empty() ? "UTC" : timeZone;
    c.createdAt = now;
    c.updatedAt = now;
    c.state = ChangeState::Draft;
}
}  // namespace

ChangeRequest blankChange(const std::string& id, const std::string& title, const std::string& person,
                          const std::string& timeZone, TimeUtc now) {
    ChangeRequest c;
    c.id = id;
    c.title = title;
    c.type = ChangeType::Normal;
    stamp(c, person, timeZone, now);
    return c;
}

ChangeRequest draftFromModel(const policy::ChangeModel& model, const std::string& id, const std::string& person,
                             const std::string& timeZone, TimeUtc now) {
    ChangeRequest c = policy::changeFromModel(model, id);
    stamp(c, person, timeZone, now);
    return c;
}

ChangeRequest duplicateChange(const ChangeRequest& source, const std::string& id, TimeUtc now) {
    ChangeRequest c = source;
    c.id = id;
    c.title = "Copy of " + source.title;
    c.state = ChangeState::Draft;
    c.plannedStart = 0;
    c.plannedEnd = 0;
    c.approvals.clear();
    c.review.reset();
    c.declaredChanges.clear();
    c.closeCode.clear();
    c.closeNotes.clear();
    c.createdAt = now;
    c.updatedAt = now;
    return c;
}

}  // namespace planner::core
