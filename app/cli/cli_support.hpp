// Shared pieces of the command-line tool: exit codes, the failure type the
// commands throw, file input/output, JSON output, and the loaders every
// command group uses (keys, trust store, workspace, change sources).
#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "bundle/bundle.hpp"
#include "bundle/bundle_content.hpp"
#include "crypto/keys.hpp"
#include "model/model.hpp"
#include "policy/policy.hpp"
#include "session/workspaces.hpp"
#include "util/result.hpp"

namespace planner::cli {

namespace core = planner::core;

// Exit codes (docs/cli.md).
enum ExitCode : int {
    kExitOk = 0,
    kExitCheckFailed = 1,  // verification, lint or schedule check found problems; import refused
    kExitUsage = 2,        // unknown command or option, missing argument
    kExitBadInput = 3,     // an input file is missing, unreadable or malformed
    kExitFailed = 4        // an output could not be written, or the workspace refused the operation
};

// Thrown by commands and helpers; main() prints "planner: <message>" to stderr
// and exits with `code`.
struct CliFailure {
    int code = kExitFailed;
    std::string message;
};

[[noreturn]] void failWith(int code, const std::string& message);
// Throws kExitBadInput with the error's "file:line:column: message".
[[noreturn]] void failInput(const core::Error& error);

// Options every command group shares.
struct GlobalOptions {
    bool json = false;  // machine-readable output on stdout
};

// Whole file, or stdin for "-". Fails with kExitBadInput naming the path.
std::string readInput(const std::string& path);
// Writes `data` to `path` (stdout for "-"); kExitFailed when it cannot.
void writeOutput(const std::string& path, const std::string& data);

// Writes a secret (a secret key file) readable by its owner only from the
// first byte: open() creates it with mode 0600 (O_EXCL), nothing is written
// with the umask's mode and narrowed afterwards. An existing file is refused
// unless `replace`; then the data goes to a new 0600 file beside it that is
// renamed over it. "-" writes to stdout. kExitFailed when it cannot.
void writeSecretOutput(const std::string& path, const std::string& data, bool replace);

// Current UTC time, or SOURCE_DATE_EPOCH when set (reproducible output), or
// `text` ("YYYY-MM-DDTHH:MM:SSZ") when not empty.
core::TimeUtc timeOption(const std::string& text, const char* optionName);

// A passphrase from a file (first line) or an environment variable; nullopt
// when `noPassphrase`. Exactly one of the three must be chosen.
std::optional<std::string> readPassphrase(const std::string& file, const std::string& env, bool noPassphrase);

// A minisign secret key file, decrypted with the passphrase when it is encrypted.
core::crypto::KeyPair loadSecretKey(const std::string& path, const std::string& passphraseFile,
                                    const std::string& passphraseEnv);

// Trust store files (docs/cli.md) and bare minisign .pub files, merged.
core::bundle::TrustStore loadTrust(const std::vector<std::string>& trustFiles,
                                   const std::vector<std::string>& keyFiles);

// Opens the workspace `path` ("dir/name", "dir/name.planner.db" or
// "dir/name.cmdb.db"); `create` makes it when missing.
core::workspaces::Workspace openWorkspace(const std::string& path, bool create, bool readOnly);

// The receiving ticketing sites' settings given on the command line; each
// overrides the workspace setting of the same meaning (docs/ticketing.md).
struct SiteOptions {
    std::string itopOrganization, itopChangeModel, glpiEntity, freshserviceRequester;
    std::string jiraMapping;  // a mapping file
};
// Adds --itop-organization, --itop-change-model, --glpi-entity,
// --freshservice-requester and --jira-mapping to `cmd`.
void addSiteOptions(CLI::App& cmd, SiteOptions& options);
// `stored` (the workspace's settings, may be empty) overridden by `options`;
// a bad value fails naming the setting or the option.
core::io::TicketingSettings siteSettings(const std::map<std::string, std::string>& stored,
                                         const SiteOptions& options);

// Where a change comes from: a workspace and a change id, or a change
// document with an optional CMDB slice, windows (ICS) and people.
struct ChangeSourceOptions {
    SiteOptions site;  // registered separately (addSiteOptions) by the commands that write payloads
    std::string workspace;
    std::string changeId;
    std::string changeFile;
    std::string sliceFile;
    std::vector<std::string> windowFiles;
    std::string policyFile;
};
// Adds --workspace, --change, --change-file, --cmdb-slice, --windows, --policy to `cmd`.
void addChangeSourceOptions(CLI::App& cmd, ChangeSourceOptions& options);

struct LoadedChange {
    core::WorkspaceData data;
    std::optional<core::policy::Policy> policy;  // --policy, else the workspace's stored policy, else the default
    core::bundle::ChangeExport exp;  // exp.context.site: the workspace's settings overridden by options.site
    std::optional<std::string> auditAnchor;  // audit-anchor.json of the workspace (none for a change file)
};
LoadedChange loadChange(const ChangeSourceOptions& options, core::TimeUtc generatedAt);

// JSON output helpers over a pretty writer.
using JsonWriter = rapidjson::PrettyWriter<rapidjson::StringBuffer>;
void jsonString(JsonWriter& w, const char* key, const std::string& value);
void jsonInt(JsonWriter& w, const char* key, std::int64_t value);
void jsonBool(JsonWriter& w, const char* key, bool value);
void jsonStringList(JsonWriter& w, const char* key, const std::vector<std::string>& values);
// Prints the document to stdout with a final newline.
void printJson(const rapidjson::StringBuffer& buffer);

}  // namespace planner::cli
