#include "io/eml_notification.hpp"

#include <cctype>
#include <map>
#include <set>

#include <sodium.h>

#include "io/export_text.hpp"

namespace planner::core::io {
namespace {

std::string base64(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.find('\0'));
    return out;
}

std::string oneLine(std::string_view text) {
    std::string out = sanitizeUtf8(text);
    for (char& ch : out)
        if (ch == '\r' || ch == '\n' || ch == '\t') ch = ' ';
    return out;
}

bool plainAscii(std::string_view s) {
    for (char ch : s)
        if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) > 0x7E) return false;
    return s.find("=?") == std::string_view::npos;
}

// Conservative addr-spec check: local@domain, printable ASCII, no specials that would break the header.
bool usableAddress(std::string_view s) {
    const std::size_t at = s.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 >= s.size() || s.find('@', at + 1) != std::string_view::npos)
        return false;
    for (char ch : s) {
        const auto u = static_cast<unsigned char>(ch);
        if (u <= 0x20 || u >= 0x7F || std::string_view("<>()[]\\,;:\"").find(ch) != std::string_view::npos)
            return false;
    }
    return true;
}

std::string mailbox(const std::string& name, const std::string& address) {
    const std::string clean = oneLine(name);
    if (clean.empty()) return "<" + address + ">";
    if (!plainAscii(clean)) return encodeHeaderText(clean) + " <" + address + ">";
    std::string quoted = "\"";
    for (char ch : clean) {
        if (ch == '"' || ch == '\\') quoted += '\\';
        quoted += ch;
    }
    return quoted + "\" <" + address + ">";
}

std::string safeToken(std::string_view s) {
    std::string out;
    for (char ch : s)
        out += (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '.' || ch == '_') ? ch : '_';
    return out.empty() ? "_" : out;
}

std::string timeText(TimeUtc t) { return t == 0 ? "not planned yet" : formatIsoUtc(t); }

std::string indent(const std::string& text) {
    std::string out = "  ";
    for (char ch : text) {
        out += ch;
        if (ch == '\n') out += "  ";
    }
    return out;
}

}  // namespace

std::string encodeHeaderText(std::string_view text) {
    const std::string clean = oneLine(text);
    if (plainAscii(clean)) return clean;
    constexpr std::size_t kMaxBytes = 45;  // 60 base64 characters + 12 of framing <= 75
    std::string out;
    std::string chunk;
    auto flush = [&] {
        if (chunk.empty()) return;
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64(chunk) + "?=";
        chunk.clear();
    };
    for (char32_t cp : decodeUtf8(clean)) {
        std::string bytes;
        appendUtf8(bytes, cp);
        if (chunk.size() + bytes.size() > kMaxBytes) flush();
        chunk += bytes;
    }
    flush();
    return out;
}

std::string quotedPrintable(std::string_view text) {
    static const char* const kHex = "0123456789ABCDEF";
    std::string out;
    std::string line;
    auto endLine = [&](bool hard) {
        if (hard && !line.empty() && (line.back() == ' ' || line.back() == '\t')) {
            const char last = line.back();
            line.pop_back();
            line += '=';
            line += kHex[static_cast<unsigned char>(last) >> 4];
            line += kHex[static_cast<unsigned char>(last) & 15];
        }
        out += line;
        out += hard ? "\r\n" : "=\r\n";
        line.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto u = static_cast<unsigned char>(text[i]);
        if (u == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
        if (u == '\n') {
            endLine(true);
            continue;
        }
        std::string token;
        if ((u >= 33 && u <= 126 && u != '=') || u == ' ' || u == '\t') {
            token = static_cast<char>(u);
        } else {
            token = "=";
            token += kHex[u >> 4];
            token += kHex[u & 15];
        }
        if (line.size() + token.size() > 73) endLine(false);
        line += token;
    }
    if (!line.empty()) endLine(true);
    return out;
}

EmlDrafts notificationDrafts(const ChangeRequest& c, const ExportContext& ctx, const EmlOptions& options) {
    std::map<std::string, std::vector<const ConfigItem*>> byOwner;
    for (const auto& ci : ctx.impactedCis) {
        auto flag = c.impactFlags.find(ci.id);
        if (flag != c.impactFlags.end() && flag->second == ImpactFlag::Exclude) continue;
        if (!ci.owner.empty()) byOwner[ci.owner].push_back(&ci);
    }
    const auto services = impactedServices(ctx);
    const auto risk = contextRisk(ctx);

    EmlDrafts result;
    for (const auto& [owner, cis] : byOwner) {
        const Person* person = ctx.findPerson(owner);
        std::string address = person ? person->email : owner;
        if (!usableAddress(address)) {
            result.unresolved.push_back(owner);
            continue;
        }
        const std::string name = person ? person->name : "";

        std::string body = "Hello" + (name.empty() ? std::string() : " " + name) + ",\n\n";
        body += "a change that affects configuration items you own is planned.\n\n";
        body += "Change:      " + c.id + " - " + c.title + "\n";
        body += "Type:        " + std::string(toString(c.type)) + "\n";
        body += "State:       " + std::string(toString(c.state)) + "\n";
        if (risk) body += "Risk:        " + std::string(toString(*risk)) + "\n";
        body += "Start (UTC): " + timeText(c.plannedStart) + "\n";
        body += "End (UTC):   " + timeText(c.plannedEnd) + "\n";
        body += "Time zone:   " + c.timeZone + "\n";
        if (ctx.window) body += "Window:      " + windowSummary(ctx) + "\n";
        if (!c.owner.empty()) body += "Owner:       " + personName(ctx, c.owner) + "\n";
        if (!c.implementer.empty()) body += "Implementer: " + personName(ctx, c.implementer) + "\n";
        body += "\nYour configuration items in the impact set:\n";
        for (const ConfigItem* ci : cis)
            body += "  - " + (ci->name.empty() ? ci->id : ci->name) + " (" + ci->id + ", " + ci->type + ", tier " +
                    std::to_string(ci->tier) + ")\n";
        if (!services.empty()) {
            body += "\nImpacted services:\n";
            for (const ConfigItem* s : services) body += "  - " + (s->name.empty() ? s->id : s->name) + "\n";
        }
        if (!c.description.empty()) body += "\nDescription:\n" + indent(c.description) + "\n";
        if (!c.impact.empty()) body += "\nExpected impact:\n" + indent(c.impact) + "\n";
        if (!c.rollbackPlan.empty()) body += "\nRollback plan:\n" + indent(c.rollbackPlan) + "\n";
        if (!c.communicationPlan.empty()) body += "\nCommunication:\n" + indent(c.communicationPlan) + "\n";
        body += "\nPlease reply to the change owner with any concern before the planned start.\n";

        std::string msg;
        msg += "From: " + mailbox(options.fromName, options.fromAddress) + "\r\n";
        msg += "To: " + mailbox(name, address) + "\r\n";
        msg += "Subject: " + encodeHeaderText("Planned change " + c.id + ": " + c.title) + "\r\n";
        msg += "Date: " + formatRfc5322Date(ctx.generatedAt) + "\r\n";
        msg += "Message-ID: <" + safeToken(c.id) + "." + safeToken(owner) + "." + std::to_string(ctx.generatedAt) +
               "@change-planner.invalid>\r\n";
        msg += "X-Unsent: 1\r\n";
        msg += "MIME-Version: 1.0\r\n";
        msg += "Content-Type: text/plain; charset=UTF-8\r\n";
        msg += "Content-Transfer-Encoding: quoted-printable\r\n";
        msg += "\r\n";
        msg += quotedPrintable(sanitizeUtf8(body));
        result.drafts.push_back({owner, safeToken(c.id) + "-" + safeToken(owner) + ".eml", std::move(msg)});
    }
    return result;
}

}  // namespace planner::core::io
