#include "schedule/ics.hpp"

#include "schedule/expansion.hpp"
#include "schedule/ical_support.hpp"
#include "schedule/time_zone.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>

namespace planner::core::schedule {

namespace {

struct ComponentDeleter {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentDeleter>;

std::string upper(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
}

std::string trim(const std::string& s) {
    size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
    return s.substr(a, b - a);
}

// ---- export ------------------------------------------------------------------

void addX(icalcomponent* c, const char* name, const std::string& value) {
    icalproperty* p = icalproperty_new_x(value.c_str());
    icalproperty_set_x_name(p, name);
    icalcomponent_add_property(c, p);
}

icaltimetype utcTime(TimeUtc t) {
    return icaltime_from_timet_with_zone(static_cast<time_t>(t), 0, icaltimezone_get_utc_timezone());
}

bool isUtcZone(const std::string& zone) { return zone == "UTC" || zone == "Etc/UTC"; }

// Local wall time of a window as a libical value plus the TZID to attach ("" for UTC).
icaltimetype windowTime(const LocalDateTime& t, const std::string& zone) {
    icaltimetype v = detail::toIcal(t);
    if (isUtcZone(zone)) v.zone = icaltimezone_get_utc_timezone();
    return v;
}

void withTzid(icalproperty* p, const std::string& zone) {
    if (!isUtcZone(zone)) icalproperty_add_parameter(p, icalparameter_new_tzid(zone.c_str()));
}

std::string uidFor(const std::string& id, const IcsExportOptions& o) {
    return id.find('@') != std::string::npos ? id : id + "@" + o.uidDomain;
}

LocalDateTime onDateAt(const std::string& date, const LocalDateTime& timeOfDay) {
    LocalDateTime t = timeOfDay;
    auto d = parseLocalDateTime(date + "T00:00:00");
    if (d) {
        t.year = d->year;
        t.month = d->month;
        t.day = d->day;
    }
    return t;
}

std::string scopeText(const Window& w) {
    switch (w.scope) {
        case WindowScope::Global: return "every CI";
        case WindowScope::CiType: return "CIs of type " + w.scopeValue;
        case WindowScope::Ci: return "CI " + w.scopeValue;
        case WindowScope::Service: return "CIs of service " + w.scopeValue;
    }
    return "";
}

icalcomponent* windowEvent(const Window& w, const IcsExportOptions& o) {
    const LocalDateTime start = *parseLocalDateTime(w.start);
    icalcomponent* ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    icalcomponent_add_property(ev, icalproperty_new_uid(uidFor(w.id, o).c_str()));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(utcTime(o.dtstamp)));
    icalproperty* dtstart = icalproperty_new_dtstart(windowTime(start, w.timeZone));
    withTzid(dtstart, w.timeZone);
    icalcomponent_add_property(ev, dtstart);
    // validateWindow bounded the duration, so the seconds fit libical's int.
    const std::int64_t seconds = static_cast<std::int64_t>(w.duration) * 60;
    icalcomponent_add_property(ev, icalproperty_new_duration(icaldurationtype_from_int(static_cast<int>(seconds))));
    if (!w.rrule.empty())
        icalcomponent_add_property(ev, icalproperty_new_rrule(icalrecurrencetype_from_string(w.rrule.c_str())));
    for (const std::string& e : w.exdates) {
        LocalDateTime t = e.size() == 10 ? onDateAt(e, start) : *parseLocalDateTime(e);
        icalproperty* p = icalproperty_new_exdate(windowTime(t, w.timeZone));
        withTzid(p, w.timeZone);
        icalcomponent_add_property(ev, p);
    }
    for (const std::string& r : w.rdates) {
        icaldatetimeperiodtype dtp;
        dtp.time = windowTime(r.size() == 10 ? onDateAt(r, start) : *parseLocalDateTime(r), w.timeZone);
        dtp.period = icalperiodtype_null_period();
        icalproperty* p = icalproperty_new_rdate(dtp);
        withTzid(p, w.timeZone);
        icalcomponent_add_property(ev, p);
    }
    const bool freeze = w.kind == WindowKind::Freeze;
    icalcomponent_add_property(ev, icalproperty_new_summary((w.name.empty() ? w.id : w.name).c_str()));
    icalcomponent_add_property(
        ev, icalproperty_new_description(((freeze ? "Change freeze for " : "Maintenance window for ") + scopeText(w) + ".").c_str()));
    icalcomponent_add_property(ev, icalproperty_new_categories(freeze ? "FREEZE" : "MAINTENANCE"));
    icalcomponent_add_property(ev, icalproperty_new_transp(freeze ? ICAL_TRANSP_OPAQUE : ICAL_TRANSP_TRANSPARENT));
    icalcomponent_add_property(ev, icalproperty_new_sequence(w.sequence));
    addX(ev, "X-PLANNER-ID", w.id);
    addX(ev, "X-PLANNER-KIND", toString(w.kind));
    addX(ev, "X-PLANNER-SCOPE", toString(w.scope));
    if (!w.scopeValue.empty()) addX(ev, "X-PLANNER-SCOPE-VALUE", w.scopeValue);
    return ev;
}

icalcomponent* changeEvent(const PlannedChange& c, const IcsExportOptions& o) {
    icalcomponent* ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    icalcomponent_add_property(ev, icalproperty_new_uid(uidFor("change-" + c.id, o).c_str()));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(utcTime(o.dtstamp)));
    icalcomponent_add_property(ev, icalproperty_new_dtstart(utcTime(c.interval.start)));
    icalcomponent_add_property(ev, icalproperty_new_dtend(utcTime(c.interval.end)));
    icalcomponent_add_property(ev, icalproperty_new_summary((c.title.empty() ? c.id : c.id + ": " + c.title).c_str()));
    std::string cis;
    for (size_t i = 0; i < c.cis.size(); ++i) cis += (i ? ", " : "") + c.cis[i];
    std::string desc = "Planned change " + c.id + ". Affected CIs: " + (cis.empty() ? "none" : cis) + ".";
    if (!c.implementer.empty()) desc += " Implementer: " + c.implementer + ".";
    icalcomponent_add_property(ev, icalproperty_new_description(desc.c_str()));
    icalcomponent_add_property(ev, icalproperty_new_categories("CHANGE"));
    icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
    icalcomponent_add_property(ev, icalproperty_new_sequence(c.sequence));
    addX(ev, "X-PLANNER-CHANGE-ID", c.id);
    return ev;
}

// ---- import: structure scan for line numbers ---------------------------------

struct ScanLine {
    int line = 0;
    std::string name;  // upper-case property name
    std::string text;  // unfolded content line
};

struct ScanComponent {
    std::string name;
    int beginLine = 0;
    std::vector<size_t> lines;  // indices into Scan::lines of its own properties
};

struct Scan {
    std::vector<ScanLine> lines;
    std::vector<ScanComponent> components;  // in BEGIN order
};

Result<Scan> scanStructure(const std::string& text, const std::string& file) {
    Scan scan;
    std::vector<size_t> open;
    int lineNo = 0;
    size_t pos = 0;
    bool seenContent = false;
    ScanLine* last = nullptr;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        std::string raw = text.substr(pos, nl - pos);
        pos = nl + 1;
        ++lineNo;
        if (!raw.empty() && raw.back() == '\r') raw.pop_back();
        if (raw.find('\0') != std::string::npos || raw.find('\r') != std::string::npos)
            return detail::makeError("unexpected control character in the line; an iCalendar file is text with CRLF line ends",
                                     file, lineNo);
        if (!raw.empty() && (raw[0] == ' ' || raw[0] == '\t') && last) {
            last->text += raw.substr(1);
            continue;
        }
        if (trim(raw).empty()) {
            last = nullptr;
            continue;
        }
        size_t cut = raw.find_first_of(":;");
        std::string name = upper(trim(raw.substr(0, cut)));
        std::string value = cut == std::string::npos ? std::string() : upper(trim(raw.substr(cut + 1)));
        if (!seenContent && !(name == "BEGIN" && value == "VCALENDAR"))
            return detail::makeError("expected BEGIN:VCALENDAR at the start of an iCalendar file, found '" +
                                         raw.substr(0, 40) + "'",
                                     file, lineNo, 1);
        seenContent = true;
        if (name == "BEGIN") {
            if (open.empty() && !scan.components.empty() && value != "VCALENDAR")
                return detail::makeError("BEGIN:" + value + " outside any VCALENDAR (expected BEGIN:VCALENDAR)", file,
                                         lineNo, 1);
            open.push_back(scan.components.size());
            scan.components.push_back({value, lineNo, {}});
            last = nullptr;
            continue;
        }
        if (name == "END") {
            if (open.empty())
                return detail::makeError("END:" + value + " without a matching BEGIN:" + value, file, lineNo, 1);
            const ScanComponent& top = scan.components[open.back()];
            if (top.name != value)
                return detail::makeError("END:" + value + " found while BEGIN:" + top.name + " from line " +
                                             std::to_string(top.beginLine) + " is still open (expected END:" + top.name + ")",
                                         file, lineNo, 1);
            open.pop_back();
            last = nullptr;
            continue;
        }
        if (open.empty())
            return detail::makeError("content after END:VCALENDAR (expected BEGIN:VCALENDAR or the end of the file)", file,
                                     lineNo, 1);
        scan.lines.push_back({lineNo, name, raw});
        scan.components[open.back()].lines.push_back(scan.lines.size() - 1);
        last = &scan.lines.back();
    }
    if (!open.empty()) {
        const ScanComponent& top = scan.components[open.back()];
        return detail::makeError("BEGIN:" + top.name + " is never closed (expected END:" + top.name +
                                     " before the end of the file)",
                                 file, top.beginLine, 1);
    }
    if (scan.components.empty()) return detail::makeError("empty file (expected BEGIN:VCALENDAR)", file, 1, 1);
    return scan;
}

void collectPreorder(icalcomponent* c, std::vector<icalcomponent*>& out) {
    if (icalcomponent_isa(c) != ICAL_XROOT_COMPONENT) out.push_back(c);
    for (icalcomponent* k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); k;
         k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
        collectPreorder(k, out);
}

// Position of the ':' that ends the name and parameters of a content line (quotes respected).
size_t valueStart(const std::string& line) {
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '"') quoted = !quoted;
        if (line[i] == ':' && !quoted) return i;
    }
    return std::string::npos;
}

// Seconds of an iCalendar DURATION, added up in 64 bits (libical's own sum is an int).
std::int64_t durationSeconds(const icaldurationtype& d) {
    const std::int64_t days = static_cast<std::int64_t>(d.weeks) * 7 + d.days;
    const std::int64_t total =
        ((days * 24 + static_cast<std::int64_t>(d.hours)) * 60 + static_cast<std::int64_t>(d.minutes)) * 60 +
        static_cast<std::int64_t>(d.seconds);
    return d.is_neg ? -total : total;
}

std::string valueHint(const std::string& kind) {
    if (kind == "DATE-TIME") return "expected YYYYMMDDTHHMMSS, optionally ending in Z";
    if (kind == "DATE") return "expected YYYYMMDD";
    if (kind == "RECUR") return "expected a rule such as FREQ=WEEKLY;BYDAY=SA";
    if (kind == "DURATION") return "expected a duration such as PT4H or P1D";
    if (kind == "INTEGER") return "expected a whole number";
    return "expected a valid " + kind + " value";
}

class Importer {
public:
    Importer(const std::string& text, const IcsImportOptions& o) : m_text(text), m_opt(o) {}

    Result<std::vector<Window>> run();

private:
    Error at(int line, const std::string& message, int column = 0) const {
        return detail::makeError(message, m_opt.fileName, line, column);
    }
    int componentLine(size_t ordinal) const {
        return ordinal < m_scan.components.size() ? m_scan.components[ordinal].beginLine : 0;
    }
    int propertyLine(size_t ordinal, const std::string& name, size_t nth = 0) const;
    // The value of the first `name` line of the component as the file spells it ("" when not found).
    std::string rawValue(size_t ordinal, const std::string& name) const;
    std::optional<Error> libicalError(size_t ordinal, icalproperty* p) const;
    Result<std::string> resolveZone(const std::string& tzid, int line) const;

    struct Moment {
        LocalDateTime local;
        std::string zone;
        bool isDate = false;
    };
    // Reads a DATE / DATE-TIME value with its TZID as a local time in the zone it names.
    Result<Moment> moment(icaltimetype v, icalproperty* p, int line) const;
    Result<TimeUtc> instant(const Moment& m, int line) const;
    Result<std::string> asWindowLocal(icaltimetype v, icalproperty* p, const Window& w, int line) const;

    struct EventData {
        Window window;
        std::string uid;
        std::optional<icaltimetype> recurrenceId;
        icalproperty* recurrenceProp = nullptr;
        bool cancelled = false;
        int line = 0;
    };
    Result<EventData> readEvent(icalcomponent* ev, size_t ordinal) const;

    const std::string& m_text;
    const IcsImportOptions& m_opt;
    Scan m_scan;
    bool m_aligned = false;
    std::string m_defaultZone;
    std::map<std::string, std::string> m_fileZones;  // TZID -> X-LIC-LOCATION from the file's VTIMEZONEs
};

int Importer::propertyLine(size_t ordinal, const std::string& name, size_t nth) const {
    if (!m_aligned || ordinal >= m_scan.components.size()) return 0;
    size_t seen = 0;
    for (size_t i : m_scan.components[ordinal].lines)
        if (m_scan.lines[i].name == name && seen++ == nth) return m_scan.lines[i].line;
    return componentLine(ordinal);
}

std::string Importer::rawValue(size_t ordinal, const std::string& name) const {
    if (!m_aligned || ordinal >= m_scan.components.size()) return "";
    for (size_t i : m_scan.components[ordinal].lines) {
        const ScanLine& l = m_scan.lines[i];
        if (l.name != name) continue;
        const size_t colon = valueStart(l.text);
        return colon == std::string::npos ? std::string() : trim(l.text.substr(colon + 1));
    }
    return "";
}

std::optional<Error> Importer::libicalError(size_t ordinal, icalproperty* p) const {
    const char* raw = icalproperty_get_xlicerror(p);
    std::string message = raw ? raw : "";
    icalparameter* tp = icalproperty_get_first_parameter(p, ICAL_XLICERRORTYPE_PARAMETER);
    icalparameter_xlicerrortype type = tp ? icalparameter_get_xlicerrortype(tp) : ICAL_XLICERRORTYPE_NONE;
    size_t sep = message.find(": ");
    std::string detailText = sep == std::string::npos ? std::string() : message.substr(sep + 2);
    std::string head = sep == std::string::npos ? message : message.substr(0, sep);
    std::string propName, valueKind;
    const std::string asTag = "Can't parse as ", inTag = " value in ", propTag = " property";
    size_t a = head.find(asTag), b = head.find(inTag), c = head.find(propTag);
    if (a != std::string::npos && b != std::string::npos && c != std::string::npos && b > a && c > b) {
        valueKind = head.substr(a + asTag.size(), b - a - asTag.size());
        propName = upper(head.substr(b + inTag.size(), c - b - inTag.size()));
    }
    if (message.rfind("No value for ", 0) == 0) return std::nullopt;  // empty property (LOCATION:), dropped
    int line = 0, column = 0;
    std::string lineValue = detailText;
    if (m_aligned && ordinal < m_scan.components.size()) {
        for (size_t i : m_scan.components[ordinal].lines) {
            const ScanLine& l = m_scan.lines[i];
            if (!propName.empty() && l.name != propName) continue;
            if (!detailText.empty() && l.text.find(detailText) == std::string::npos) continue;
            line = l.line;
            if (!propName.empty()) {
                size_t colon = valueStart(l.text);
                if (colon != std::string::npos) {
                    column = static_cast<int>(colon) + 2;
                    lineValue = l.text.substr(colon + 1);
                }
            } else {
                column = 1;
            }
            break;
        }
        if (line == 0 && !propName.empty()) line = propertyLine(ordinal, propName);
        if (line == 0) line = componentLine(ordinal);
    }
    std::string text;
    switch (type) {
        case ICAL_XLICERRORTYPE_VALUEPARSEERROR:
            if (!propName.empty())
                text = propName + " value '" + lineValue + "' cannot be read as " + valueKind + " (" +
                       valueHint(valueKind) + ")";
            else
                text = "unreadable value: " + message;
            break;
        case ICAL_XLICERRORTYPE_PROPERTYPARSEERROR:
            text = "'" + detailText + "' is not a known property name (expected an iCalendar property or an X- name)";
            break;
        case ICAL_XLICERRORTYPE_COMPONENTPARSEERROR:
            text = detailText.empty() || detailText == " " ? message
                                                           : "line is not NAME:VALUE nor BEGIN/END: '" + detailText + "'";
            break;
        case ICAL_XLICERRORTYPE_PARAMETERNAMEPARSEERROR:
        case ICAL_XLICERRORTYPE_PARAMETERVALUEPARSEERROR:
            text = "malformed parameter (expected NAME=VALUE after ';'): " + message;
            break;
        default: text = "iCalendar error: " + message; break;
    }
    return at(line, text, column);
}

Result<std::string> Importer::resolveZone(const std::string& tzidIn, int line) const {
    std::string tzid = trim(tzidIn);
    if (tzid.size() >= 2 && tzid.front() == '"' && tzid.back() == '"') tzid = tzid.substr(1, tzid.size() - 2);
    auto known = [](const std::string& z) { return detail::findZone(z) != nullptr; };
    if (known(tzid)) return tzid;
    auto loc = m_fileZones.find(tzid);
    if (loc != m_fileZones.end() && known(loc->second)) return loc->second;
    for (size_t p = tzid.find('/'); p != std::string::npos; p = tzid.find('/', p + 1)) {
        std::string rest = tzid.substr(p + 1);
        if (!rest.empty() && known(rest)) return rest;
    }
    static const std::map<std::string, std::string> windowsNames = {
        {"W. Europe Standard Time", "Europe/Berlin"},      {"Romance Standard Time", "Europe/Paris"},
        {"Central Europe Standard Time", "Europe/Budapest"}, {"Central European Standard Time", "Europe/Warsaw"},
        {"GMT Standard Time", "Europe/London"},            {"Greenwich Standard Time", "Atlantic/Reykjavik"},
        {"E. Europe Standard Time", "Europe/Chisinau"},    {"FLE Standard Time", "Europe/Kiev"},
        {"Eastern Standard Time", "America/New_York"},     {"Central Standard Time", "America/Chicago"},
        {"Mountain Standard Time", "America/Denver"},      {"Pacific Standard Time", "America/Los_Angeles"},
        {"AUS Eastern Standard Time", "Australia/Sydney"}, {"E. Australia Standard Time", "Australia/Brisbane"},
        {"India Standard Time", "Asia/Kolkata"},           {"Tokyo Standard Time", "Asia/Tokyo"},
        {"China Standard Time", "Asia/Shanghai"},          {"Singapore Standard Time", "Asia/Singapore"},
        {"UTC", "UTC"},                                    {"Coordinated Universal Time", "UTC"},
    };
    auto w = windowsNames.find(tzid);
    if (w != windowsNames.end() && known(w->second)) return w->second;
    return at(line, "unknown time zone '" + tzid + "' (expected an IANA name such as Europe/Berlin)");
}

Result<Importer::Moment> Importer::moment(icaltimetype v, icalproperty* p, int line) const {
    Moment m;
    m.isDate = v.is_date != 0;
    m.local = detail::fromIcal(v);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d", v.year, v.month, v.day, v.hour, v.minute, v.second);
    if (!parseLocalDateTime(formatLocalDateTime(m.local)))
        return at(line, std::string("'") + (m.isDate ? std::string(buf, 8) : std::string(buf)) +
                            "' is not a real calendar date and time");
    if (m.local.year < kMinWindowYear || m.local.year > kMaxWindowYear) {
        const char* name = p ? icalproperty_get_property_name(p) : nullptr;
        return at(line, std::string(name ? name : "date") + " year " + std::to_string(m.local.year) +
                            " is outside the years " + std::to_string(kMinWindowYear) + ".." +
                            std::to_string(kMaxWindowYear) + " a window may use");
    }
    icalparameter* tz = p ? icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER) : nullptr;
    if (icaltime_is_utc(v)) {
        m.zone = "UTC";
    } else if (tz && !m.isDate) {
        auto zone = resolveZone(icalparameter_get_tzid(tz) ? icalparameter_get_tzid(tz) : "", line);
        if (!zone) return zone.error();
        m.zone = zone.value();
    } else {
        m.zone = m_defaultZone;
    }
    return m;
}

Result<TimeUtc> Importer::instant(const Moment& m, int line) const {
    auto r = localToUtc(m.local, m.zone);
    if (!r) return at(line, r.error().message);
    return r.value();
}

Result<std::string> Importer::asWindowLocal(icaltimetype v, icalproperty* p, const Window& w, int line) const {
    auto m = moment(v, p, line);
    if (!m) return m.error();
    if (m->isDate) return formatLocalDateTime(m->local).substr(0, 10);
    if (m->zone == w.timeZone) return formatLocalDateTime(m->local);
    auto t = instant(m.value(), line);
    if (!t) return t.error();
    auto local = utcToLocal(t.value(), w.timeZone);
    if (!local) return at(line, local.error().message);
    return formatLocalDateTime(local.value());
}

std::string textProp(icalcomponent* ev, icalproperty_kind kind) {
    icalproperty* p = icalcomponent_get_first_property(ev, kind);
    icalvalue* v = p ? icalproperty_get_value(p) : nullptr;
    if (!v) return "";
    const char* s = icalvalue_isa(v) == ICAL_TEXT_VALUE ? icalvalue_get_text(v) : icalvalue_as_ical_string(v);
    return s ? s : "";
}

std::string xProp(icalcomponent* ev, const char* name) {
    for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_X_PROPERTY)) {
        const char* n = icalproperty_get_x_name(p);
        if (n && upper(n) == name) {
            const char* v = icalproperty_get_x(p);
            return v ? v : "";
        }
    }
    return "";
}

bool containsWord(const std::string& haystack, std::initializer_list<const char*> words) {
    std::string h = upper(haystack);
    for (const char* w : words)
        if (h.find(w) != std::string::npos) return true;
    return false;
}

Result<Importer::EventData> Importer::readEvent(icalcomponent* ev, size_t ordinal) const {
    EventData d;
    d.line = componentLine(ordinal);
    Window& w = d.window;
    d.uid = textProp(ev, ICAL_UID_PROPERTY);
    std::string pid = xProp(ev, "X-PLANNER-ID");
    w.id = !pid.empty() ? pid : (!d.uid.empty() ? d.uid : "event-line-" + std::to_string(d.line));
    w.name = textProp(ev, ICAL_SUMMARY_PROPERTY);
    if (w.name.empty()) w.name = w.id;
    icalproperty* seq = icalcomponent_get_first_property(ev, ICAL_SEQUENCE_PROPERTY);
    w.sequence = seq ? icalproperty_get_sequence(seq) : 0;
    icalproperty* status = icalcomponent_get_first_property(ev, ICAL_STATUS_PROPERTY);
    d.cancelled = status && icalproperty_get_status(status) == ICAL_STATUS_CANCELLED;

    std::string kind = xProp(ev, "X-PLANNER-KIND");
    std::string categories;
    for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_CATEGORIES_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_CATEGORIES_PROPERTY))
        categories += std::string(icalproperty_get_categories(p) ? icalproperty_get_categories(p) : "") + ",";
    if (!kind.empty()) {
        auto k = windowKindFromString(kind);
        if (!k) return at(propertyLine(ordinal, "X-PLANNER-KIND"), "X-PLANNER-KIND '" + kind + "' is not maintenance or freeze");
        w.kind = *k;
    } else if (containsWord(categories, {"FREEZE", "BLACKOUT", "MORATORIUM"})) {
        w.kind = WindowKind::Freeze;
    } else if (containsWord(categories, {"MAINTENANCE", "CHANGE WINDOW"})) {
        w.kind = WindowKind::Maintenance;
    } else if (containsWord(w.name, {"FREEZE", "BLACKOUT", "MORATORIUM"})) {
        w.kind = WindowKind::Freeze;
    } else if (containsWord(w.name, {"MAINTENANCE", "CHANGE WINDOW"})) {
        w.kind = WindowKind::Maintenance;
    } else {
        w.kind = m_opt.defaultKind;
    }
    std::string scope = xProp(ev, "X-PLANNER-SCOPE");
    if (!scope.empty()) {
        auto s = windowScopeFromString(scope);
        if (!s) return at(propertyLine(ordinal, "X-PLANNER-SCOPE"), "X-PLANNER-SCOPE '" + scope + "' is not global, ci_type, ci or service");
        w.scope = *s;
        w.scopeValue = xProp(ev, "X-PLANNER-SCOPE-VALUE");
    } else {
        w.scope = m_opt.defaultScope;
        w.scopeValue = m_opt.defaultScopeValue;
    }

    icalproperty* dtstart = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
    if (!dtstart) return at(d.line, "event '" + w.id + "' has no DTSTART (expected DTSTART before END:VEVENT)");
    const int startLine = propertyLine(ordinal, "DTSTART");
    auto start = moment(icalproperty_get_dtstart(dtstart), dtstart, startLine);
    if (!start) return start.error();
    w.timeZone = start->zone;
    w.start = formatLocalDateTime(start->local);
    auto startUtc = instant(start.value(), startLine);
    if (!startUtc) return startUtc.error();

    icalproperty* dtend = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
    icalproperty* duration = icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY);
    TimeUtc endUtc = 0;
    const char* lengthProperty = dtend ? "DTEND" : duration ? "DURATION" : "DTSTART";
    if (dtend && duration)
        return at(propertyLine(ordinal, "DURATION"), "event '" + w.id + "' has both DTEND and DURATION (expected one of them)");
    if (dtend) {
        const int endLine = propertyLine(ordinal, "DTEND");
        auto end = moment(icalproperty_get_dtend(dtend), dtend, endLine);
        if (!end) return end.error();
        if (end->isDate != start->isDate)
            return at(endLine, "DTEND is a " + std::string(end->isDate ? "date" : "date-time") + " but DTSTART is a " +
                                   (start->isDate ? "date" : "date-time") + " (expected the same value type)");
        auto t = instant(end.value(), endLine);
        if (!t) return t.error();
        endUtc = t.value();
        if (endUtc <= startUtc.value()) return at(endLine, "DTEND of event '" + w.id + "' is not after its DTSTART");
    } else if (duration) {
        endUtc = startUtc.value() + durationSeconds(icalproperty_get_duration(duration));
        if (endUtc <= startUtc.value())
            return at(propertyLine(ordinal, "DURATION"), "DURATION of event '" + w.id + "' is not positive");
    } else if (start->isDate) {
        Moment next = start.value();
        auto t = localToUtc(next.local, next.zone);
        LocalDateTime nd = next.local;
        icaltimetype x = detail::toIcal(nd);
        icaltime_adjust(&x, 1, 0, 0, 0);
        next.local = detail::fromIcal(x);
        auto e = instant(next, startLine);
        if (!e || !t) return at(startLine, "cannot compute the end of all-day event '" + w.id + "'");
        endUtc = e.value();
    } else {
        return at(d.line, "event '" + w.id + "' has neither DTEND nor DURATION (a window needs a length)");
    }
    const std::int64_t minutes = (endUtc - startUtc.value() + 59) / 60;
    if (minutes > maxWindowMinutes(w.kind))
        return at(propertyLine(ordinal, lengthProperty),
                  std::string(lengthProperty) + " makes event '" + w.id + "' last " + std::to_string(minutes) +
                      " minutes, longer than the " + std::to_string(maxWindowMinutes(w.kind) / 1440) + " days a " +
                      toString(w.kind) + " window may last");
    w.duration = static_cast<Minutes>(minutes);

    int rruleCount = 0;
    for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_RRULE_PROPERTY)) {
        if (++rruleCount > 1)
            return at(propertyLine(ordinal, "RRULE", 1), "event '" + w.id + "' has more than one RRULE (expected at most one)");
        const int ruleLine = propertyLine(ordinal, "RRULE");
        if (auto problem = detail::recurrenceBoundsProblem(rawValue(ordinal, "RRULE")))
            return at(ruleLine, "RRULE " + *problem);
        icalrecurrencetype rt = icalproperty_get_rrule(p);
        if (!icaltime_is_null_time(rt.until) && (rt.until.year < kMinWindowYear || rt.until.year > kMaxWindowYear))
            return at(ruleLine, "RRULE UNTIL year " + std::to_string(rt.until.year) + " is outside the years " +
                                    std::to_string(kMinWindowYear) + ".." + std::to_string(kMaxWindowYear));
        char* s = icalrecurrencetype_as_string_r(&rt);
        w.rrule = s ? s : "";
        icalmemory_free_buffer(s);
        if (rt.count > 0 && !icaltime_is_null_time(rt.until))
            return at(propertyLine(ordinal, "RRULE"), "RRULE has both COUNT and UNTIL (expected one of them)");
    }
    if (icalcomponent_get_first_property(ev, ICAL_EXRULE_PROPERTY))
        return at(propertyLine(ordinal, "EXRULE"), "EXRULE is not supported (expected EXDATE values instead)");
    size_t nth = 0;
    for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY), ++nth) {
        auto local = asWindowLocal(icalproperty_get_exdate(p), p, w, propertyLine(ordinal, "EXDATE", nth));
        if (!local) return local.error();
        w.exdates.push_back(local.value());
    }
    nth = 0;
    for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_RDATE_PROPERTY), ++nth) {
        const int line = propertyLine(ordinal, "RDATE", nth);
        icaldatetimeperiodtype dtp = icalproperty_get_rdate(p);
        if (icaltime_is_null_time(dtp.time))
            return at(line, "RDATE with a PERIOD value is not supported (expected a date or date-time)");
        auto local = asWindowLocal(dtp.time, p, w, line);
        if (!local) return local.error();
        w.rdates.push_back(local.value());
    }
    icalproperty* rid = icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY);
    if (rid) {
        d.recurrenceId = icalproperty_get_recurrenceid(rid);
        d.recurrenceProp = rid;
    }
    return d;
}

Result<std::vector<Window>> Importer::run() {
    detail::prepareLibical();
    auto scan = scanStructure(m_text, m_opt.fileName);
    if (!scan) return scan.error();
    m_scan = std::move(scan.value());

    ComponentPtr root(icalparser_parse_string(m_text.c_str()));
    if (!root) return at(1, "libical could not read the calendar (expected an RFC 5545 VCALENDAR)");
    std::vector<icalcomponent*> comps;
    collectPreorder(root.get(), comps);
    m_aligned = comps.size() == m_scan.components.size();

    std::optional<Error> firstError;
    for (size_t k = 0; k < comps.size(); ++k) {
        for (icalproperty* p = icalcomponent_get_first_property(comps[k], ICAL_XLICERROR_PROPERTY); p;
             p = icalcomponent_get_next_property(comps[k], ICAL_XLICERROR_PROPERTY)) {
            auto e = libicalError(k, p);
            if (e && (!firstError || (e->line > 0 && (firstError->line == 0 || e->line < firstError->line)))) firstError = e;
        }
    }
    if (firstError) return *firstError;

    m_defaultZone = m_opt.defaultTimeZone.empty() ? "UTC" : m_opt.defaultTimeZone;
    for (size_t k = 0; k < comps.size(); ++k) {
        icalcomponent* c = comps[k];
        if (icalcomponent_isa(c) == ICAL_VCALENDAR_COMPONENT) {
            std::string wr = xProp(c, "X-WR-TIMEZONE");
            if (!wr.empty()) {
                if (!detail::findZone(trim(wr))) {
                    int line = 0;
                    for (size_t i : m_scan.components[m_aligned ? k : 0].lines)
                        if (m_scan.lines[i].name == "X-WR-TIMEZONE") line = m_scan.lines[i].line;
                    return at(line, "unknown time zone '" + wr + "' in X-WR-TIMEZONE (expected an IANA name)");
                }
                m_defaultZone = trim(wr);
            }
        } else if (icalcomponent_isa(c) == ICAL_VTIMEZONE_COMPONENT) {
            std::string tzid = textProp(c, ICAL_TZID_PROPERTY);
            std::string loc = xProp(c, "X-LIC-LOCATION");
            if (!tzid.empty() && !loc.empty()) m_fileZones[tzid] = loc;
        }
    }

    std::vector<EventData> masters, overrides;
    std::map<std::string, size_t> byUid;
    for (size_t k = 0; k < comps.size(); ++k) {
        icalcomponent* c = comps[k];
        if (icalcomponent_isa(c) != ICAL_VEVENT_COMPONENT) continue;
        if (!xProp(c, "X-PLANNER-CHANGE-ID").empty()) continue;
        auto ev = readEvent(c, k);
        if (!ev) return ev.error();
        if (ev->recurrenceId) {
            overrides.push_back(std::move(ev.value()));
            continue;
        }
        if (ev->cancelled) continue;
        auto [it, fresh] = byUid.emplace(ev->uid.empty() ? ev->window.id : ev->uid, masters.size());
        if (!fresh)
            return at(ev->line, "UID '" + it->first + "' is used by another event at line " +
                                    std::to_string(masters[it->second].line) + " (expected one series per UID)");
        masters.push_back(std::move(ev.value()));
    }
    std::vector<Window> extra;
    for (EventData& o : overrides) {
        auto it = byUid.find(o.uid.empty() ? o.window.id : o.uid);
        std::string suffix;
        if (it != byUid.end()) {
            Window& master = masters[it->second].window;
            auto local = asWindowLocal(*o.recurrenceId, o.recurrenceProp, master, o.line);
            if (!local) return local.error();
            master.exdates.push_back(local.value());
            suffix = local.value();
            o.window.kind = master.kind;
            o.window.scope = master.scope;
            o.window.scopeValue = master.scopeValue;
            o.window.id = master.id + "/" + suffix;
        }
        if (o.cancelled) continue;
        o.window.rrule.clear();
        o.window.exdates.clear();
        o.window.rdates.clear();
        extra.push_back(std::move(o.window));
    }
    std::vector<Window> out;
    out.reserve(masters.size() + extra.size());
    for (EventData& m : masters) {
        Status ok = validateWindow(m.window);
        if (!ok) return at(m.line, ok.error().message);
        out.push_back(std::move(m.window));
    }
    for (Window& w : extra) {
        Status ok = validateWindow(w);
        if (!ok) return at(0, ok.error().message);
        out.push_back(std::move(w));
    }
    return out;
}

}  // namespace

Result<std::string> exportIcs(const std::vector<Window>& windows, const std::vector<PlannedChange>& changes,
                              const IcsExportOptions& options) {
    detail::prepareLibical();
    std::set<std::string> zones;
    for (const Window& w : windows) {
        Status ok = validateWindow(w);
        if (!ok) return ok.error();
        if (!isUtcZone(w.timeZone)) zones.insert(w.timeZone);
    }
    ComponentPtr cal(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
    icalcomponent_add_property(cal.get(), icalproperty_new_prodid(options.prodId.c_str()));
    icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal.get(), icalproperty_new_calscale("GREGORIAN"));
    if (!options.calendarName.empty()) addX(cal.get(), "X-WR-CALNAME", options.calendarName);
    for (const std::string& zone : zones) {
        icaltimezone* z = detail::findZone(zone);
        icalcomponent* def = z ? icaltimezone_get_component(z) : nullptr;
        if (!def) return detail::makeError("no VTIMEZONE definition for time zone '" + zone + "'");
        icalcomponent* vtz = icalcomponent_new_clone(def);
        icalproperty* tzid = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
        if (tzid)
            icalproperty_set_tzid(tzid, zone.c_str());
        else
            icalcomponent_add_property(vtz, icalproperty_new_tzid(zone.c_str()));
        icalcomponent_add_component(cal.get(), vtz);
    }
    for (const Window& w : windows) icalcomponent_add_component(cal.get(), windowEvent(w, options));
    for (const PlannedChange& c : changes) icalcomponent_add_component(cal.get(), changeEvent(c, options));
    char* s = icalcomponent_as_ical_string_r(cal.get());
    std::string out = s ? s : "";
    icalmemory_free_buffer(s);
    return out;
}

Result<std::vector<Window>> importIcs(const std::string& text, const IcsImportOptions& options) {
    Importer importer(text, options);
    return importer.run();
}

}  // namespace planner::core::schedule
