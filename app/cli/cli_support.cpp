#include "session/audit_anchor.hpp"
#include "cli_support.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle/trust_store.hpp"
#include "bundle/trusted_comment.hpp"
#include "crypto/minisign.hpp"
#include "io/export_change.hpp"
#include "schedule/ics.hpp"

namespace planner::cli {

void failWith(int code, const std::string& message) {
    throw CliFailure{code, message};
}

void failInput(const core::Error& error) {
    failWith(kExitBadInput, error.toString());
}

std::string readInput(const std::string& path) {
    if (path == "-") {
        std::ostringstream ss;
        ss << std::cin.rdbuf();
        return ss.str();
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) failWith(kExitBadInput, path + ": no such file");
    std::ifstream in(path, std::ios::binary);
    if (!in) failWith(kExitBadInput, path + ": cannot be opened for reading");
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) failWith(kExitBadInput, path + ": read error");
    return data;
}

void writeOutput(const std::string& path, const std::string& data) {
    if (path == "-") {
        std::cout.write(data.data(), static_cast<std::streamsize>(data.size()));
        std::cout.flush();
        if (!std::cout) failWith(kExitFailed, "cannot write to standard output");
        return;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) failWith(kExitFailed, path + ": cannot be opened for writing");
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) failWith(kExitFailed, path + ": write error");
}

namespace {

// Writes all of `data` to `fd`, flushes it to disk and closes it; false (errno
// set) on failure, with the descriptor closed.
bool writeAndClose(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int saved = errno;
            ::close(fd);
            errno = saved;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        return false;
    }
    return ::close(fd) == 0;
}

constexpr mode_t kSecretMode = S_IRUSR | S_IWUSR;  // 0600

}  // namespace

void writeSecretOutput(const std::string& path, const std::string& data, bool replace) {
    if (path == "-") {
        writeOutput(path, data);
        return;
    }
    if (!replace) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kSecretMode);
        if (fd < 0 && errno == EEXIST) failWith(kExitFailed, path + " exists (use --force to replace it)");
        if (fd < 0) failWith(kExitFailed, path + ": cannot be created: " + std::strerror(errno));
        if (!writeAndClose(fd, data)) {
            const std::string why = std::strerror(errno);
            ::unlink(path.c_str());
            failWith(kExitFailed, path + ": write error: " + why);
        }
        return;
    }
    // Replacing: a fresh temporary file in the same folder (so the rename
    // stays on one file system), then an atomic rename over the old file.
    std::string temp;
    int fd = -1;
    for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
        temp = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(attempt);
        fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kSecretMode);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) failWith(kExitFailed, path + ": cannot create a temporary file beside it: " + std::strerror(errno));
    if (!writeAndClose(fd, data)) {
        const std::string why = std::strerror(errno);
        ::unlink(temp.c_str());
        failWith(kExitFailed, path + ": write error: " + why);
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(temp.c_str());
        failWith(kExitFailed, path + ": cannot be replaced: " + why);
    }
}

core::TimeUtc timeOption(const std::string& text, const char* optionName) {
    if (!text.empty()) {
        auto t = core::bundle::parseUtcTime(text);
        if (!t) failWith(kExitUsage, std::string(optionName) + ": " + t.error().message);
        return *t;
    }
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
        char* end = nullptr;
        const long long v = std::strtoll(epoch, &end, 10);
        if (*end != '\0' || v < 0) failWith(kExitUsage, "SOURCE_DATE_EPOCH must be a non-negative integer");
        return static_cast<core::TimeUtc>(v);
    }
    return static_cast<core::TimeUtc>(std::time(nullptr));
}

std::optional<std::string> readPassphrase(const std::string& file, const std::string& env, bool noPassphrase) {
    const int chosen = (file.empty() ? 0 : 1) + (env.empty() ? 0 : 1) + (noPassphrase ? 1 : 0);
    if (chosen != 1) {
        failWith(kExitUsage, "choose exactly one of --passphrase-file, --passphrase-env and --no-passphrase");
    }
    if (noPassphrase) return std::nullopt;
    std::string pass;
    if (!file.empty()) {
        pass = readInput(file);
        const std::size_t nl = pass.find('\n');
        if (nl != std::string::npos) pass.resize(nl);
        if (!pass.empty() && pass.back() == '\r') pass.pop_back();
    } else {
        const char* value = std::getenv(env.c_str());
        if (!value) failWith(kExitBadInput, "environment variable " + env + " is not set");
        pass = value;
    }
    if (pass.empty()) failWith(kExitBadInput, "the passphrase is empty");
    return pass;
}

core::crypto::KeyPair loadSecretKey(const std::string& path, const std::string& passphraseFile,
                                    const std::string& passphraseEnv) {
    const std::string text = readInput(path);
    auto encrypted = core::crypto::minisignSecretKeyIsEncrypted(text, path);
    if (!encrypted) failInput(encrypted.error());
    std::string pass;
    if (*encrypted) {
        if (passphraseFile.empty() && passphraseEnv.empty()) {
            failWith(kExitUsage, path + " is encrypted: give --passphrase-file or --passphrase-env");
        }
        pass = *readPassphrase(passphraseFile, passphraseEnv, false);
    }
    auto pair = core::crypto::parseMinisignSecretKey(text, pass, path);
    if (!pair) failInput(pair.error());
    return std::move(*pair);
}

core::bundle::TrustStore loadTrust(const std::vector<std::string>& trustFiles,
                                   const std::vector<std::string>& keyFiles) {
    core::bundle::TrustStore trust;
    for (const std::string& f : trustFiles) {
        auto parsed = core::bundle::parseTrustStore(readInput(f), f);
        if (!parsed) failInput(parsed.error());
        trust.insert(trust.end(), parsed->begin(), parsed->end());
    }
    for (const std::string& spec : keyFiles) {
        // FILE, or FILE:ROLES to grant approval roles (a Windows path keeps its drive colon).
        std::string f = spec, roles;
        if (const std::size_t colon = spec.rfind(':'); colon != std::string::npos && colon + 1 < spec.size()) {
            const std::string tail = spec.substr(colon + 1);
            if (tail.find_first_of("/\\") == std::string::npos) {
                f = spec.substr(0, colon);
                roles = tail;
            }
        }
        auto key = core::bundle::trustedKeyFromPublicKey(readInput(f), f, roles);
        if (!key) failInput(key.error());
        trust.push_back(std::move(*key));
    }
    if (trust.empty()) failWith(kExitUsage, "no trusted keys: give --trust FILE or --trusted-key FILE.pub");
    return trust;
}

core::workspaces::Workspace openWorkspace(const std::string& path, bool create, bool readOnly) {
    std::filesystem::path p(path);
    std::string name = p.filename().string();
    for (const char* suffix : {".planner.db", ".cmdb.db"}) {
        const std::string s(suffix);
        if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
            name.resize(name.size() - s.size());
        }
    }
    std::string dir = p.parent_path().string();
    if (dir.empty()) dir = ".";
    if (name.empty()) failWith(kExitUsage, "--workspace: expected DIR/NAME, got \"" + path + "\"");
    core::workspaces::OpenOptions options;
    options.readOnly = readOnly;
    options.create = create;
    auto ws = core::workspaces::open(dir, name, options);
    if (!ws) failWith(create ? kExitFailed : kExitBadInput, "workspace " + path + ": " + ws.error().toString());
    return std::move(*ws);
}

void addChangeSourceOptions(CLI::App& cmd, ChangeSourceOptions& o) {
    cmd.add_option("--workspace,-w", o.workspace, "Workspace DIR/NAME (files NAME.planner.db and NAME.cmdb.db)");
    cmd.add_option("--change,-c", o.changeId, "Change id in the workspace");
    cmd.add_option("--change-file", o.changeFile, "Change document (change.json) instead of a workspace");
    cmd.add_option("--cmdb-slice", o.sliceFile, "CMDB slice (cmdb-slice.json) for --change-file");
    cmd.add_option("--windows", o.windowFiles, "iCalendar file(s) of windows and freezes for --change-file");
    cmd.add_option("--policy", o.policyFile, "Governance policy JSON (default: the workspace's, else the shipped one)");
}

void addSiteOptions(CLI::App& cmd, SiteOptions& o) {
    cmd.add_option("--itop-organization", o.itopOrganization,
                   "iTop organization name of the changes (overrides the workspace setting ticketing.itop.organization)");
    cmd.add_option("--itop-change-model", o.itopChangeModel,
                   "iTop change data model: default (class Change) or itil (RoutineChange, NormalChange, "
                   "EmergencyChange) (overrides ticketing.itop.change_model)");
    cmd.add_option("--glpi-entity", o.glpiEntity, "GLPI entity id of the changes (overrides ticketing.glpi.entity_id)");
    cmd.add_option("--freshservice-requester", o.freshserviceRequester,
                   "Freshservice requester id (overrides ticketing.freshservice.requester_id)");
    cmd.add_option("--jira-mapping", o.jiraMapping,
                   "Jira field-mapping file (overrides the mapping stored in ticketing.jira.mapping)");
}

core::io::TicketingSettings siteSettings(const std::map<std::string, std::string>& stored, const SiteOptions& o) {
    auto site = core::io::ticketingSettingsFrom(stored);
    if (!site) failWith(kExitBadInput, site.error().toString());
    auto set = [&](const char* key, const std::string& value, const char* option) {
        if (value.empty()) return;
        if (auto st = core::io::applyTicketingSetting(*site, key, value, option); !st)
            failWith(kExitUsage, st.error().toString());
    };
    set(core::io::kItopOrganizationSetting, o.itopOrganization, "--itop-organization");
    set(core::io::kItopChangeModelSetting, o.itopChangeModel, "--itop-change-model");
    set(core::io::kGlpiEntitySetting, o.glpiEntity, "--glpi-entity");
    set(core::io::kFreshserviceRequesterSetting, o.freshserviceRequester, "--freshservice-requester");
    if (!o.jiraMapping.empty()) {
        site->jiraMapping = readInput(o.jiraMapping);
        site->jiraMappingSource = o.jiraMapping;
    }
    return std::move(*site);
}

LoadedChange loadChange(const ChangeSourceOptions& o, core::TimeUtc generatedAt) {
    LoadedChange out;
    std::map<std::string, std::string> stored;  // the workspace's settings
    std::string changeId = o.changeId;
    if (!o.workspace.empty()) {
        if (!o.changeFile.empty()) failWith(kExitUsage, "give either --workspace or --change-file, not both");
        if (changeId.empty()) failWith(kExitUsage, "--workspace needs --change ID");
        core::workspaces::Workspace ws = openWorkspace(o.workspace, false, true);
        auto snap = ws.snapshot();
        if (!snap) failWith(kExitBadInput, "workspace " + o.workspace + ": " + snap.error().toString());
        out.data = std::move(snap->data);
        auto head = ws.auditHead();
        if (!head) failWith(kExitBadInput, "workspace " + o.workspace + ": " + head.error().toString());
        out.auditAnchor = core::auditAnchorJson(*head, ws.name());
        stored = snap->settings;
        if (o.policyFile.empty()) {
            if (auto it = snap->policies.find("default"); it != snap->policies.end()) {
                auto parsed = core::policy::parsePolicy(it->second, o.workspace + " (stored policy)");
                if (!parsed) failInput(parsed.error());
                out.policy = std::move(*parsed);
            }
        }
    } else if (!o.changeFile.empty()) {
        auto change = core::io::parseChangeDocument(readInput(o.changeFile), o.changeFile);
        if (!change) failInput(change.error());
        if (!changeId.empty() && changeId != change->id) {
            failWith(kExitUsage, o.changeFile + " holds change " + change->id + ", not " + changeId);
        }
        changeId = change->id;
        out.data.changes.push_back(std::move(*change));
        if (!o.sliceFile.empty()) {
            auto slice = core::io::parseCmdbSlice(readInput(o.sliceFile), o.sliceFile);
            if (!slice) failInput(slice.error());
            out.data.cis = std::move(slice->cis);
            out.data.relationships = std::move(slice->relationships);
        }
        for (const std::string& f : o.windowFiles) {
            core::schedule::IcsImportOptions io;
            io.fileName = f;
            auto windows = core::schedule::importIcs(readInput(f), io);
            if (!windows) failInput(windows.error());
            out.data.windows.insert(out.data.windows.end(), windows->begin(), windows->end());
        }
    } else {
        failWith(kExitUsage, "give --workspace DIR/NAME --change ID, or --change-file change.json");
    }
    if (!o.policyFile.empty()) {
        auto parsed = core::policy::parsePolicy(readInput(o.policyFile), o.policyFile);
        if (!parsed) failInput(parsed.error());
        out.policy = std::move(*parsed);
    }
    if (!out.policy) out.policy = core::policy::defaultPolicy();
    core::bundle::ChangeExportOptions eo;
    eo.generatedAt = generatedAt;
    eo.policy = &*out.policy;
    eo.site = siteSettings(stored, o.site);
    auto exp = core::bundle::buildChangeExport(out.data, changeId, eo);
    if (!exp) failInput(exp.error());
    out.exp = std::move(*exp);
    return out;
}

void jsonString(JsonWriter& w, const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void jsonInt(JsonWriter& w, const char* key, std::int64_t value) {
    w.Key(key);
    w.Int64(value);
}

void jsonBool(JsonWriter& w, const char* key, bool value) {
    w.Key(key);
    w.Bool(value);
}

void jsonStringList(JsonWriter& w, const char* key, const std::vector<std::string>& values) {
    w.Key(key);
    w.StartArray();
    for (const std::string& v : values) w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
    w.EndArray();
}

void printJson(const rapidjson::StringBuffer& buffer) {
    std::cout.write(buffer.GetString(), static_cast<std::streamsize>(buffer.GetSize()));
    std::cout << '\n';
    std::cout.flush();
}

}  // namespace planner::cli
