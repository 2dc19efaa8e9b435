// Runs the built `planner` binary (PLANNER_CLI_PATH) the way a pipeline would:
// exit codes, --json output parsed back, and bundles checked with Debian's
// minisign and ssh-keygen. Each test works in its own scratch directory.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <libical/ical.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include "bundle/bundle.hpp"
#include "bundle/bundle_content.hpp"
#include "demo/demo_workspace.hpp"
#include "io/export_change.hpp"
#include "io/export_text.hpp"
#include "policy/policy.hpp"
#include "store/workspace.hpp"

namespace {

namespace fs = std::filesystem;
using namespace planner::core;

constexpr TimeUtc kNow = 1795000000;  // 2026-11-19T09:46:40Z
constexpr const char* kTime = "2026-11-19T10:00:00Z";

struct Outcome {
    int code = -1;
    std::string out, err;
};

std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeFile(const fs::path& p, const std::string& data) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << data;
}

rapidjson::Document parseJson(const std::string& text) {
    rapidjson::Document d;
    d.Parse(text.c_str(), text.size());
    return d;
}

// "" when `xml` is a well-formed document of the subset our exporters write
// (declaration, elements, double-quoted attributes, text with the five
// predefined or numeric entities); otherwise what is wrong and where.
std::string xmlProblem(const std::string& xml) {
    std::size_t i = 0;
    std::vector<std::string> open;
    bool rootSeen = false;
    auto entityOk = [&](std::size_t at) {
        const std::size_t semi = xml.find(';', at);
        if (semi == std::string::npos) return false;
        const std::string name = xml.substr(at + 1, semi - at - 1);
        if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos") return true;
        return name.size() > 1 && name[0] == '#' &&
               name.find_first_not_of("0123456789", name[1] == 'x' ? 2 : 1) == std::string::npos;
    };
    auto isNameChar = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == ':' || c == '_' || c == '.';
    };
    if (xml.rfind("<?xml", 0) == 0) {
        i = xml.find("?>");
        if (i == std::string::npos) return "unterminated declaration";
        i += 2;
    }
    while (i < xml.size()) {
        if (xml[i] != '<') {
            if (xml[i] == '&' && !entityOk(i)) return "bad entity at " + std::to_string(i);
            if (open.empty() && !std::isspace(static_cast<unsigned char>(xml[i]))) return "text outside the root";
            ++i;
            continue;
        }
        if (xml.compare(i, 2, "</") == 0) {
            const std::size_t end = xml.find('>', i);
            if (end == std::string::npos) return "unterminated end tag";
            const std::string name = xml.substr(i + 2, end - i - 2);
            if (open.empty() || open.back() != name) return "end tag </" + name + "> does not match";
            open.pop_back();
            i = end + 1;
            continue;
        }
        std::size_t j = i + 1;
        while (j < xml.size() && isNameChar(xml[j])) ++j;
        const std::string name = xml.substr(i + 1, j - i - 1);
        if (name.empty()) return "empty element name at " + std::to_string(i);
        if (open.empty() && rootSeen) return "second root element";
        for (;;) {
            while (j < xml.size() && std::isspace(static_cast<unsigned char>(xml[j]))) ++j;
            if (j >= xml.size()) return "unterminated tag <" + name;
            if (xml[j] == '>' || xml.compare(j, 2, "/>") == 0) break;
            const std::size_t a = j;
            while (j < xml.size() && isNameChar(xml[j])) ++j;
            if (j == a || xml[j] != '=' || xml[j + 1] != '"') return "bad attribute in <" + name;
            const std::size_t close = xml.find('"', j + 2);
            if (close == std::string::npos) return "unterminated attribute in <" + name;
            for (std::size_t k = j + 2; k < close; ++k) {
                if (xml[k] == '<') return "'<' in an attribute of <" + name;
                if (xml[k] == '&' && !entityOk(k)) return "bad entity in an attribute of <" + name;
            }
            j = close + 1;
        }
        rootSeen = true;
        if (xml[j] == '>') {
            open.push_back(name);
            i = j + 1;
        } else {
            i = j + 2;
        }
    }
    if (!open.empty()) return "unclosed <" + open.back() + ">";
    return rootSeen ? "" : "no root element";
}

class Cli : public ::testing::Test {
protected:
    void SetUp() override {
        const char* base = std::getenv("PLANNER_TEST_TMP");
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::path(base ? base : "/tmp") / "cli" / info->name();
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }

    // `planner args...` in the scratch directory, stdout and stderr captured.
    Outcome planner(const std::vector<std::string>& args) const {
        std::string cmd = quote(PLANNER_CLI_PATH);
        for (const auto& a : args) cmd += " " + quote(a);
        return shell(cmd);
    }

    Outcome shell(const std::string& command) const {
        const std::string cmd = "cd " + quote(m_dir.string()) + " && { " + command + " ; } >run.out 2>run.err";
        const int status = std::system(cmd.c_str());
        Outcome r;
        r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        r.out = readFile(m_dir / "run.out");
        r.err = readFile(m_dir / "run.err");
        return r;
    }

    fs::path path(const std::string& name) const { return m_dir / name; }

    // A workspace "ws" holding the demo data (plus `extra` changes); returns a planned change with affected CIs.
    std::string makeWorkspace(const std::vector<ChangeRequest>& extra = {}) {
        WorkspaceData data = generateDemoWorkspace(kNow);
        m_demoIds.clear();
        for (const ChangeRequest& c : data.changes) m_demoIds.push_back(c.id);
        data.changes.insert(data.changes.end(), extra.begin(), extra.end());
        auto ws = store::Workspace::create(m_dir.string(), "ws");
        EXPECT_TRUE(ws.ok()) << ws.error().toString();
        WorkspaceSnapshot snap;
        snap.data = data;
        EXPECT_TRUE(ws->replaceContents(snap).ok());
        auto it = std::find_if(data.changes.begin(), data.changes.end(), [](const ChangeRequest& c) {
            return c.plannedStart != 0 && c.plannedEnd > c.plannedStart && !c.affectedCis.empty();
        });
        EXPECT_NE(it, data.changes.end());
        m_change = *it;
        return it->id;
    }

    void keygen(const std::string& stem, const std::string& name, const std::string& roles = "author") {
        Outcome r = planner({"keygen", "-p", stem + ".pub", "-s", stem + ".key", "--no-passphrase", "--name", name,
                             "--roles", roles, "--json"});
        ASSERT_EQ(r.code, 0) << r.err;
        auto d = parseJson(r.out);
        ASSERT_FALSE(d.HasParseError()) << r.out;
        m_trustLines += std::string(d["trustStoreLine"].GetString()) + "\n";
    }

    // keygen author -> sign the workspace change into bundle.zip; trust.txt trusts the author.
    std::string signedBundle() {
        const std::string id = makeWorkspace();
        keygen("author", "Ada Lovelace");
        writeFile(path("trust.txt"), "# trusted signers\n" + m_trustLines);
        Outcome r =
            planner({"sign", "--workspace", "ws", "--change", id, "--secret", "author.key", "--author", "Ada Lovelace",
                     "--principal", "ada@example.org", "--time", kTime, "-o", "bundle.zip", "--json"});
        EXPECT_EQ(r.code, 0) << r.err;
        return id;
    }

    // The receiving sites' settings of every system, stored in workspace "ws"
    // with the ticketing-settings command (iTop data model `model`).
    void storeSiteSettings(const std::string& model = "default") {
        writeFile(path("site-jira.json"), kJiraMapping);
        Outcome r = planner({"ticketing-settings", "-w", "ws", "--itop-organization", "Demo Org",
                             "--itop-change-model", model, "--glpi-entity", "0", "--freshservice-requester", "42",
                             "--jira-mapping", "site-jira.json", "--time", kTime});
        ASSERT_EQ(r.code, 0) << r.err;
        for (const char* sys : {"servicenow", "glpi", "itop", "jira", "freshservice"})
            EXPECT_NE(r.out.find(std::string(sys) + ": ready"), std::string::npos) << r.out;
    }

    static constexpr const char* kJiraMapping =
        R"({"project":"CHG","issueType":"Change","fields":{)"
        R"("risk":{"id":"customfield_10042","as":"option"},"state":{"id":"customfield_10043","as":"option"},)"
        R"("plannedStart":{"id":"customfield_10050","as":"datetime"},"plannedEnd":{"id":"customfield_10051","as":"datetime"},)"
        R"("affectedCis":{"id":"customfield_10070","as":"labels"},"backoutPlan":{"id":"customfield_10060","as":"adf"},)"
        R"("changeId":{"id":"customfield_10040","as":"text"}},"labels":["cli"]})";

    fs::path m_dir;
    std::string m_trustLines;
    ChangeRequest m_change;
    std::vector<std::string> m_demoIds;
};

TEST_F(Cli, HelpExitsZeroAndListsTheCommands) {
    Outcome r = planner({"--help"});
    EXPECT_EQ(r.code, 0);
    for (const char* c : {"keygen", "sign", "approve", "verify", "inspect", "export", "lint", "schedule-check",
                          "import-cmdb", "export-cmdb", "import-bundle", "extract"}) {
        EXPECT_NE(r.out.find(c), std::string::npos) << c;
    }
    Outcome sub = planner({"verify", "--help"});
    EXPECT_EQ(sub.code, 0);
    EXPECT_NE(sub.out.find("--trust"), std::string::npos);
}

TEST_F(Cli, UsageErrorsExitTwo) {
    Outcome unknown = planner({"frobnicate"});
    EXPECT_EQ(unknown.code, 2);
    EXPECT_NE(unknown.err.find("unknown command \"frobnicate\""), std::string::npos) << unknown.err;
    EXPECT_EQ(planner({}).code, 2);
    EXPECT_EQ(planner({"verify"}).code, 2);                            // missing bundle
    EXPECT_EQ(planner({"export", "--to", "pdf", "-b", "x"}).code, 2);  // unknown target
    Outcome r = planner({"verify", "bundle.zip", "--bogus"});
    EXPECT_EQ(r.code, 2);
    EXPECT_FALSE(r.err.empty());
}

TEST_F(Cli, UnreadableInputExitsThree) {
    Outcome r = planner({"verify", "missing.zip", "--trusted-key", "missing.pub"});
    EXPECT_EQ(r.code, 3);
    EXPECT_NE(r.err.find("missing.pub"), std::string::npos);
    EXPECT_TRUE(r.out.empty());
}

// Permission bits of a file (the low nine), or -1 when it does not exist.
int modeOf(const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return -1;
    return static_cast<int>(st.st_mode & 0777);
}

TEST_F(Cli, KeygenCreatesTheSecretKeyOwnerOnlyEvenWithUmask000) {
    const std::string keygen = quote(PLANNER_CLI_PATH) + " keygen -p k.pub -s k.key --no-passphrase";
    Outcome r = shell("umask 000; " + keygen);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(modeOf(path("k.key")), 0600);
    // The public key is written with the umask's default, which shows the umask really was 000.
    EXPECT_EQ(modeOf(path("k.pub")), 0666);
    const std::string first = readFile(path("k.key"));
    ASSERT_NE(first.find("untrusted comment:"), std::string::npos) << first;

    // Without --force an existing secret key is refused and left as it was.
    fs::remove(path("k.pub"));
    r = shell("umask 000; " + keygen);
    EXPECT_EQ(r.code, 4);
    EXPECT_NE(r.err.find("k.key exists (use --force to replace it)"), std::string::npos) << r.err;
    EXPECT_EQ(readFile(path("k.key")), first);
    EXPECT_FALSE(fs::exists(path("k.pub")));

    // --force replaces it with a new key, still 0600 even where the old file
    // was readable by everyone, and leaves no temporary file behind.
    fs::permissions(path("k.key"), fs::perms(0644), fs::perm_options::replace);
    r = shell("umask 000; " + keygen + " --force");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(modeOf(path("k.key")), 0600);
    EXPECT_NE(readFile(path("k.key")), first);
    for (const auto& entry : fs::directory_iterator(m_dir))
        EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
}

TEST_F(Cli, KeygenSignVerifyRoundTrip) {
    const std::string id = signedBundle();
    Outcome r = planner({"verify", "bundle.zip", "--trust", "trust.txt", "--json"});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    auto d = parseJson(r.out);
    ASSERT_FALSE(d.HasParseError()) << r.out;
    EXPECT_TRUE(d["importable"].GetBool());
    EXPECT_EQ(std::string(d["changeId"].GetString()), id);
    EXPECT_EQ(std::string(d["author"].GetString()), "Ada Lovelace");
    EXPECT_EQ(std::string(d["signedAt"].GetString()), kTime);
    EXPECT_EQ(d["errors"].Size(), 0u);
    std::vector<std::string> paths;
    for (const auto& f : d["files"].GetArray()) {
        paths.push_back(f["path"].GetString());
        EXPECT_EQ(std::string(f["status"].GetString()), "ok") << f["path"].GetString();
    }
    for (const char* p : {"change.json", "cmdb-slice.json", "graph.svg", "schedule.ics", "report.html",
                          "payloads/servicenow.json", "keys/author.pub", "keys/allowed_signers"}) {
        EXPECT_NE(std::find(paths.begin(), paths.end(), p), paths.end()) << p;
    }
    ASSERT_EQ(d["signatures"].Size(), 2u);
    for (const auto& s : d["signatures"].GetArray()) {
        EXPECT_EQ(std::string(s["status"].GetString()), "valid") << s["file"].GetString();
        EXPECT_EQ(std::string(s["trustedName"].GetString()), "Ada Lovelace");
    }

    // Text output names the verdict; the same inputs sign to the same bytes.
    Outcome text = planner({"verify", "bundle.zip", "--trusted-key", "author.pub"});
    EXPECT_EQ(text.code, 0);
    EXPECT_NE(text.out.find("verdict: importable"), std::string::npos);
    Outcome again = planner({"sign", "-w", "ws", "-c", id, "-s", "author.key", "--author", "Ada Lovelace",
                             "--principal", "ada@example.org", "--time", kTime, "-o", "bundle2.zip"});
    ASSERT_EQ(again.code, 0) << again.err;
    EXPECT_EQ(readFile(path("bundle.zip")), readFile(path("bundle2.zip")));
}

TEST_F(Cli, TamperedFileFailsVerificationNamingTheFile) {
    signedBundle();
    bundle::ZipFiles files = *bundle::readZip(readFile(path("bundle.zip")));
    files["report.html"][100] ^= 0x20;
    writeFile(path("tampered.zip"), *bundle::writeZip(files));
    Outcome r = planner({"verify", "tampered.zip", "--trust", "trust.txt", "--json"});
    EXPECT_EQ(r.code, 1);
    auto d = parseJson(r.out);
    ASSERT_FALSE(d.HasParseError()) << r.out;
    EXPECT_FALSE(d["importable"].GetBool());
    bool named = false;
    for (const auto& f : d["files"].GetArray()) {
        if (std::string(f["path"].GetString()) == "report.html") {
            EXPECT_EQ(std::string(f["status"].GetString()), "hash_mismatch");
            named = true;
        }
    }
    EXPECT_TRUE(named);
    EXPECT_NE(r.err.find("report.html"), std::string::npos);

    // A missing listed file and an unlisted extra file.
    files = *bundle::readZip(readFile(path("bundle.zip")));
    files.erase("graph.svg");
    files["extra.txt"] = "not signed";
    writeFile(path("holes.zip"), *bundle::writeZip(files));
    Outcome holes = planner({"verify", "holes.zip", "--trust", "trust.txt"});
    EXPECT_EQ(holes.code, 1);
    EXPECT_NE(holes.out.find("missing  graph.svg"), std::string::npos) << holes.out;
    EXPECT_NE(holes.err.find("extra.txt\" is not listed"), std::string::npos) << holes.err;
}

TEST_F(Cli, UntrustedKeyFailsVerification) {
    signedBundle();
    keygen("stranger", "Eve");
    Outcome r = planner({"verify", "bundle.zip", "--trusted-key", "stranger.pub", "--json"});
    EXPECT_EQ(r.code, 1);
    auto d = parseJson(r.out);
    ASSERT_FALSE(d.HasParseError());
    EXPECT_FALSE(d["importable"].GetBool());
    for (const auto& s : d["signatures"].GetArray()) {
        EXPECT_EQ(std::string(s["status"].GetString()), "untrusted_key");
    }
    EXPECT_NE(r.err.find("not in the trust store"), std::string::npos);
}

TEST_F(Cli, ApproveThenVerifyShowsTheApprovalAndTheRequirements) {
    const std::string id = signedBundle();
    keygen("bob", "Bob Stone", "cab_member,change_manager");
    writeFile(path("trust.txt"), m_trustLines);
    Outcome a = planner({"approve", "bundle.zip", "-s", "bob.key", "--role", "cab_member", "--name", "Bob Stone",
                         "--comment", "fine by the CAB", "--time", "2026-11-20T08:00:00Z", "--json"});
    ASSERT_EQ(a.code, 0) << a.err;
    auto ad = parseJson(a.out);
    ASSERT_FALSE(ad.HasParseError());
    const std::string approvalFile = ad["file"].GetString();

    writeFile(path("policy.json"), policy::defaultPolicyJson());
    Outcome r = planner({"verify", "bundle.zip", "--trust", "trust.txt", "--policy", "policy.json", "--json"});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    auto d = parseJson(r.out);
    ASSERT_FALSE(d.HasParseError());
    ASSERT_EQ(d["signatures"].Size(), 3u);
    const auto& s = d["signatures"][2];
    EXPECT_EQ(std::string(s["file"].GetString()), approvalFile);
    EXPECT_EQ(std::string(s["kind"].GetString()), "approval");
    EXPECT_EQ(std::string(s["status"].GetString()), "valid");
    EXPECT_EQ(std::string(s["decision"].GetString()), "approve");
    EXPECT_EQ(std::string(s["role"].GetString()), "cab_member");
    EXPECT_EQ(std::string(s["signerName"].GetString()), "Bob Stone");
    EXPECT_EQ(std::string(s["comment"].GetString()), "fine by the CAB");
    EXPECT_EQ(std::string(s["changeId"].GetString()), id);
    ASSERT_TRUE(d.HasMember("approvalCheck"));
    const auto& check = d["approvalCheck"];
    EXPECT_FALSE(std::string(check["risk"].GetString()).empty());
    bool cabCounted = false;
    for (const auto& req : check["requirements"].GetArray()) {
        for (const auto& who : req["approvedBy"].GetArray()) {
            if (std::string(req["role"].GetString()) == "cab_member" && std::string(who.GetString()) == "Bob Stone") {
                cabCounted = true;
            }
        }
    }
    const bool cabRequired =
        std::any_of(check["requirements"].Begin(), check["requirements"].End(),
                    [](const rapidjson::Value& q) { return std::string(q["role"].GetString()) == "cab_member"; });
    // The demo change is high risk: the CAB rule applies and Bob's signature counts
    // towards it, but the other required approvals are still missing.
    EXPECT_TRUE(cabRequired);
    EXPECT_TRUE(cabCounted);
    EXPECT_FALSE(check["satisfied"].GetBool());
    Outcome strict =
        planner({"verify", "bundle.zip", "--trust", "trust.txt", "--policy", "policy.json", "--require-approvals"});
    EXPECT_EQ(strict.code, 1) << strict.out;
    // Bob is the only key trusted as a CAB member (the author's key grants no
    // approval role): his one approval satisfies the CAB rule; the change
    // manager's is still missing.
    EXPECT_NE(strict.out.find("satisfied  cab_member"), std::string::npos) << strict.out;
    EXPECT_NE(strict.out.find("pending  change_manager"), std::string::npos) << strict.out;

    // An approver whose role the trust store does not grant fails verification.
    Outcome wrongRole = planner({"approve", "bundle.zip", "-s", "bob.key", "--role", "security_officer", "--name",
                                 "Bob Stone", "--time", "2026-11-20T09:00:00Z", "-o", "wrong.zip"});
    ASSERT_EQ(wrongRole.code, 0) << wrongRole.err;
    Outcome v = planner({"verify", "wrong.zip", "--trust", "trust.txt"});
    EXPECT_EQ(v.code, 1);
    EXPECT_NE(v.err.find("security_officer"), std::string::npos);
}

TEST_F(Cli, BundleVerifiesWithMinisignAndSshKeygen) {
    signedBundle();
    Outcome unzip = planner({"extract", "bundle.zip", "--output-dir", "unpacked", "--trust", "trust.txt"});
    ASSERT_EQ(unzip.code, 0) << unzip.err;
    EXPECT_NE(unzip.out.find("extracted"), std::string::npos);
    Outcome sums = shell("cd unpacked && sha256sum -c --quiet SHA256SUMS");
    EXPECT_EQ(sums.code, 0) << sums.out << sums.err;
    Outcome mini = shell("cd unpacked && minisign -V -H -p keys/author.pub -m SHA256SUMS");
    EXPECT_EQ(mini.code, 0) << mini.out << mini.err;
    EXPECT_NE(mini.out.find("kind=author"), std::string::npos) << mini.out;
    Outcome ssh = shell(
        "cd unpacked && ssh-keygen -Y verify -f keys/allowed_signers -I ada@example.org "
        "-n change-bundle@planner -s SHA256SUMS.sig < SHA256SUMS");
    EXPECT_EQ(ssh.code, 0) << ssh.out << ssh.err;
    EXPECT_NE(ssh.out.find("ada@example.org"), std::string::npos) << ssh.out;

    // The external tools refuse a changed SHA256SUMS too.
    Outcome bad =
        shell("cd unpacked && sed -i 's/^./0/' SHA256SUMS && minisign -V -H -p keys/author.pub -m SHA256SUMS");
    EXPECT_NE(bad.code, 0);
}

TEST_F(Cli, ExportEveryTargetFromBundleAndWorkspace) {
    const std::string id = signedBundle();  // signed without site settings: only the ServiceNow payload is in it
    EXPECT_TRUE(bundle::readZip(readFile(path("bundle.zip")))->count("payloads/servicenow.json"));
    EXPECT_FALSE(bundle::readZip(readFile(path("bundle.zip")))->count("payloads/itop.json"));
    writeFile(path("jira.json"), kJiraMapping);
    const std::vector<std::string> site = {"--itop-organization", "Demo Org", "--itop-change-model", "default",
                                           "--glpi-entity", "0", "--freshservice-requester", "42",
                                           "--jira-mapping", "jira.json", "--time", kTime};
    std::string snRisk;
    for (const std::string to : {"servicenow", "glpi", "itop", "jira", "freshservice"}) {
        // The receiving site exports from the bundle with its own settings.
        std::vector<std::string> args = {"export", "--to", to, "-b", "bundle.zip", "-t", "trust.txt"};
        args.insert(args.end(), site.begin(), site.end());
        Outcome fromBundle = planner(args);
        args = {"export", "--to", to, "-w", "ws", "-c", id, "-o", "out-" + to + ".json"};
        args.insert(args.end(), site.begin(), site.end());
        Outcome fromWs = planner(args);
        ASSERT_EQ(fromWs.code, 0) << to << ": " << fromWs.err;
        EXPECT_FALSE(parseJson(readFile(path("out-" + to + ".json"))).HasParseError()) << to;
        if (to == "itop") {
            // A bundle carries no people: iTop's mandatory caller (an e-mail) is unknown, so nothing is written.
            EXPECT_EQ(fromBundle.code, 3) << fromBundle.err;
            EXPECT_NE(fromBundle.err.find("caller_id"), std::string::npos) << fromBundle.err;
            EXPECT_TRUE(fromBundle.out.empty());
            continue;
        }
        ASSERT_EQ(fromBundle.code, 0) << to << ": " << fromBundle.err;
        EXPECT_FALSE(parseJson(fromBundle.out).HasParseError()) << to << ": " << fromBundle.out;
        if (to == "servicenow") {
            EXPECT_EQ(fromBundle.out, readFile(path("out-servicenow.json")));
            snRisk = parseJson(fromBundle.out)["change_request"]["fields"]["risk"].GetString();
        }
        if (to == "jira") {
            // The Jira payload made from the bundle says the risk the signed ServiceNow payload says.
            auto d = parseJson(fromBundle.out);
            ASSERT_TRUE(d["fields"]["customfield_10042"].IsObject()) << fromBundle.out;
            const std::string risk = d["fields"]["customfield_10042"]["value"].GetString();
            const std::map<std::string, std::string> names = {
                {"1", "Very High"}, {"2", "High"}, {"3", "Moderate"}, {"4", "Low"}};
            EXPECT_EQ(risk, names.at(snRisk));
        }
    }
    // Without the settings, nothing is written and the message names the setting.
    Outcome missing = planner({"export", "--to", "glpi", "-b", "bundle.zip", "-t", "trust.txt"});
    EXPECT_EQ(missing.code, 2);
    EXPECT_TRUE(missing.out.empty());
    EXPECT_NE(missing.err.find("ticketing.glpi.entity_id"), std::string::npos) << missing.err;
    EXPECT_EQ(planner({"export", "--to", "jira", "-w", "ws", "-c", id}).code, 2);  // needs a mapping

    Outcome ics = planner({"export", "--to", "ics", "-b", "bundle.zip", "-t", "trust.txt", "-o", "schedule.ics"});
    ASSERT_EQ(ics.code, 0) << ics.err;
    const std::string icsText = readFile(path("schedule.ics"));
    icalcomponent* cal = icalparser_parse_string(icsText.c_str());
    ASSERT_NE(cal, nullptr);
    EXPECT_EQ(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
    EXPECT_EQ(icalcomponent_count_errors(cal), 0);
    int events = 0, changeEvents = 0;
    for (icalcomponent* e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); e;
         e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        ++events;
        if (std::string(icalcomponent_as_ical_string(e)).find("CATEGORIES:CHANGE") != std::string::npos) {
            ++changeEvents;
            EXPECT_EQ(icaltime_as_timet(icalcomponent_get_dtstart(e)), m_change.plannedStart);
        }
    }
    icalcomponent_free(cal);
    EXPECT_GE(events, 1);
    EXPECT_EQ(changeEvents, 1);

    Outcome svg = planner({"export", "--to", "svg", "-b", "bundle.zip", "-t", "trust.txt", "-o", "graph.svg"});
    ASSERT_EQ(svg.code, 0) << svg.err;
    const std::string svgText = readFile(path("graph.svg"));
    EXPECT_EQ(xmlProblem(svgText), "");
    EXPECT_NE(svgText.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
    EXPECT_EQ(svgText.find("<script"), std::string::npos);
    EXPECT_NE(xmlProblem("<svg><g></svg>"), "");  // the checker itself catches a bad nesting
    EXPECT_NE(xmlProblem("<svg a=\"1\">x & y</svg>"), "");

    for (const std::string to : {"dot", "html", "md", "csv"}) {
        Outcome r = planner({"export", "--to", to, "-w", "ws", "-c", id, "--time", kTime});
        ASSERT_EQ(r.code, 0) << to << ": " << r.err;
        EXPECT_NE(r.out.find(id), std::string::npos) << to;
    }
    Outcome csv = planner({"export", "--to", "csv", "-b", "bundle.zip", "-t", "trust.txt"});
    EXPECT_EQ(csv.out.find("number"), csv.out.find_first_not_of("\xEF\xBB\xBF\"")) << csv.out.substr(0, 80);

    // A bundle that fails verification exports nothing.
    bundle::ZipFiles files = *bundle::readZip(readFile(path("bundle.zip")));
    files["payloads/servicenow.json"] += " ";
    writeFile(path("tampered.zip"), *bundle::writeZip(files));
    Outcome refused = planner({"export", "--to", "servicenow", "-b", "tampered.zip", "-t", "trust.txt"});
    EXPECT_EQ(refused.code, 1);
    EXPECT_TRUE(refused.out.empty());
}

TEST_F(Cli, LintReportsLineAndReason) {
    writeFile(path("broken.json"), "{\n  \"schema\": \"planner.change\",\n  \"number\": \"CHG1\"\n  \"x\": 1\n}\n");
    Outcome r = planner({"lint", "broken.json"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("broken.json:4:"), std::string::npos) << r.err;

    ChangeRequest c = generateDemoWorkspace(kNow).changes.front();
    writeFile(path("good.json"), io::writeChangeDocument(c));
    Outcome good = planner({"lint", "good.json", "--json"});
    auto d = parseJson(good.out);
    ASSERT_FALSE(d.HasParseError()) << good.out;
    EXPECT_EQ(good.code, d["ok"].GetBool() ? 0 : 1);

    c.title.clear();
    c.plannedEnd = c.plannedStart = 1795000000;
    writeFile(path("bad.json"), io::writeChangeDocument(c));
    Outcome bad = planner({"lint", "bad.json", "--json"});
    EXPECT_EQ(bad.code, 1);
    auto bd = parseJson(bad.out);
    ASSERT_FALSE(bd.HasParseError());
    EXPECT_FALSE(bd["ok"].GetBool());
    bool titleFound = false;
    for (const auto& m : bd["messages"].GetArray()) {
        if (std::string(m["code"].GetString()) == "missing_title") {
            titleFound = true;
            EXPECT_GT(m["line"].GetInt(), 0);
            EXPECT_EQ(std::string(m["pointer"].GetString()), "/short_description");
        }
    }
    EXPECT_TRUE(titleFound);
    EXPECT_EQ(planner({"lint", "nope.json"}).code, 3);
}

TEST_F(Cli, ScheduleCheckReportsConflicts) {
    const std::string id = makeWorkspace();
    Outcome r = planner({"schedule-check", "-w", "ws", "-c", id, "--json"});
    auto d = parseJson(r.out);
    ASSERT_FALSE(d.HasParseError()) << r.out << r.err;
    EXPECT_TRUE(d["planned"].GetBool());
    EXPECT_EQ(r.code, d["conflicts"].Size() == 0 ? 0 : 1);

    // The same change inside a global freeze (from ten days before it to ten
    // days after, well within the 92 days a freeze may last) conflicts.
    ChangeRequest c = m_change;
    writeFile(path("change.json"), io::writeChangeDocument(c));
    auto icsUtc = [](TimeUtc t) {
        std::string s = io::formatIsoUtc(t);  // 2026-11-27T18:00:00Z -> 20261127T180000Z
        s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
        s.erase(std::remove(s.begin(), s.end(), ':'), s.end());
        return s;
    };
    writeFile(path("freeze.ics"),
              "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:f1@test\r\n"
              "DTSTAMP:20261101T000000Z\r\nDTSTART:" +
                  icsUtc(c.plannedStart - 10 * 86400) + "\r\nDTEND:" + icsUtc(c.plannedEnd + 10 * 86400) +
                  "\r\nSUMMARY:Year-end freeze\r\nCATEGORIES:FREEZE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    Outcome f = planner({"schedule-check", "--change-file", "change.json", "--windows", "freeze.ics", "--json"});
    EXPECT_EQ(f.code, 1) << f.err;
    auto fd = parseJson(f.out);
    ASSERT_FALSE(fd.HasParseError()) << f.out;
    bool inFreeze = false;
    for (const auto& x : fd["conflicts"].GetArray()) inFreeze |= std::string(x["kind"].GetString()) == "in_freeze";
    EXPECT_TRUE(inFreeze) << f.out;
}

TEST_F(Cli, ImportCmdbReportsLineErrorsAndImportsAllOrNothing) {
    writeFile(path("cis.csv"),
              "id,name,type,owner,team,tier,environment,location,tags\n"
              "db1,Orders DB,database,frank,DBA,1,production,fra1,pg\n"
              "app1,Shop,application,grace,Web,2,production,fra1,\n");
    writeFile(path("rels.csv"), "from,to,type\napp1,db1,depends_on\n");
    writeFile(path("bad.csv"), "from,to,type\napp1,db1,depends_on\napp1,nowhere,depends_on\n");
    Outcome bad = planner({"import-cmdb", "-w", "new", "--create", "--ci-csv", "cis.csv", "--rel-csv", "bad.csv"});
    EXPECT_EQ(bad.code, 3);
    EXPECT_NE(bad.err.find("bad.csv:3"), std::string::npos) << bad.err;
    Outcome ok = planner({"import-cmdb", "-w", "new", "--ci-csv", "cis.csv", "--rel-csv", "rels.csv", "--json"});
    ASSERT_EQ(ok.code, 0) << ok.err;
    auto d = parseJson(ok.out);
    ASSERT_FALSE(d.HasParseError());
    EXPECT_EQ(d["cis"].GetInt(), 2);
    EXPECT_EQ(d["relationships"].GetInt(), 1);
    auto ws = store::Workspace::open(m_dir.string(), "new");
    ASSERT_TRUE(ws.ok());
    EXPECT_EQ(ws->cis()->size(), 2u);
    EXPECT_EQ(planner({"import-cmdb", "-w", "absent", "--ci-csv", "cis.csv"}).code, 3);

    // Exported as ServiceNow list exports, the CMDB imports into another workspace unchanged.
    Outcome ex = planner({"export-cmdb", "-w", "new", "--format", "servicenow", "--out", "sn", "--json"});
    ASSERT_EQ(ex.code, 0) << ex.err;
    auto exd = parseJson(ex.out);
    ASSERT_FALSE(exd.HasParseError()) << ex.out;
    EXPECT_EQ(exd["files"].Size(), 2u);
    Outcome back = planner({"import-cmdb", "-w", "copy", "--create", "--servicenow-ci", "sn/cmdb_ci.csv",
                            "--servicenow-rel", "sn/cmdb_rel_ci.csv"});
    ASSERT_EQ(back.code, 0) << back.err;
    auto copy = store::Workspace::open(m_dir.string(), "copy");
    ASSERT_TRUE(copy.ok());
    EXPECT_EQ(*copy->relationships(), *ws->relationships());
    EXPECT_EQ(copy->cis()->size(), 2u);
    EXPECT_EQ(planner({"export-cmdb", "-w", "new", "--format", "xml"}).code, 2);
    EXPECT_EQ(planner({"export-cmdb", "-w", "absent"}).code, 3);
}

TEST_F(Cli, ImportBundleMergesShowsConflictsAndRefusesBadBundles) {
    const std::string id = signedBundle();
    ASSERT_TRUE(store::Workspace::create(m_dir.string(), "target").ok());
    Outcome first = planner({"import-bundle", "bundle.zip", "-w", "target", "-t", "trust.txt", "--json"});
    ASSERT_EQ(first.code, 0) << first.err;
    auto d = parseJson(first.out);
    ASSERT_FALSE(d.HasParseError());
    EXPECT_EQ(std::string(d["changeAction"].GetString()), "add");
    EXPECT_TRUE(d["applied"].GetBool());
    EXPECT_GT(d["cisAdded"].GetInt(), 0);

    // The change edited locally now conflicts: refused by default, taken on request.
    {
        auto ws = store::Workspace::open(m_dir.string(), "target");
        ASSERT_TRUE(ws.ok());
        ChangeRequest c = **ws->findChange(id);
        c.title = "edited here";
        ASSERT_TRUE(ws->putChange(c).ok());
    }
    Outcome conflict = planner({"import-bundle", "bundle.zip", "-w", "target", "-t", "trust.txt"});
    EXPECT_EQ(conflict.code, 1);
    EXPECT_NE(conflict.out.find("conflict: change " + id), std::string::npos) << conflict.out;
    EXPECT_NE(conflict.out.find("title"), std::string::npos);
    Outcome take = planner({"import-bundle", "bundle.zip", "-w", "target", "-t", "trust.txt", "--on-conflict", "take"});
    EXPECT_EQ(take.code, 0) << take.err;
    {
        auto ws = store::Workspace::open(m_dir.string(), "target");
        EXPECT_EQ((*ws->findChange(id))->title, m_change.title);
    }

    bundle::ZipFiles files = *bundle::readZip(readFile(path("bundle.zip")));
    files["cmdb-slice.json"][5] ^= 0x01;
    writeFile(path("tampered.zip"), *bundle::writeZip(files));
    ASSERT_TRUE(store::Workspace::create(m_dir.string(), "clean").ok());
    Outcome refused = planner({"import-bundle", "tampered.zip", "-w", "clean", "-t", "trust.txt"});
    EXPECT_EQ(refused.code, 1);
    EXPECT_NE(refused.err.find("cmdb-slice.json"), std::string::npos);
    auto clean = store::Workspace::open(m_dir.string(), "clean");
    EXPECT_TRUE(clean->changes()->empty());
    EXPECT_TRUE(clean->cis()->empty());
}

TEST_F(Cli, ForgedApprovalsAreRefusedNamingEntryKeyAndRule) {
    signedBundle();
    const std::string authorLine = m_trustLines;
    EXPECT_NE(authorLine.find(" author Ada Lovelace"), std::string::npos) << "keygen grants no role by default";
    keygen("bob", "Bob Stone", "cab_member,change_manager");
    writeFile(path("trust.txt"), m_trustLines);
    writeFile(path("policy.json"), policy::defaultPolicyJson());

    // The author approving with their own key, under another person's name.
    Outcome self = planner({"approve", "bundle.zip", "-s", "author.key", "--role", "change_manager", "--name",
                            "Bob Stone", "--time", "2026-11-20T08:00:00Z", "-o", "self.zip"});
    EXPECT_EQ(self.code, 1);
    EXPECT_NE(self.err.find("separation of duties"), std::string::npos) << self.err;

    // A trusted approver signing another name: refused, naming the entry, the key, both names and the rule.
    Outcome renamed = planner({"approve", "bundle.zip", "-s", "bob.key", "--role", "change_manager", "--name",
                               "Carol King", "--time", "2026-11-20T08:00:00Z", "-o", "renamed.zip", "--json"});
    ASSERT_EQ(renamed.code, 0) << renamed.err;
    auto rd = parseJson(renamed.out);
    const std::string file = rd["file"].GetString();
    const std::string keyId = rd["keyId"].GetString();
    EXPECT_EQ(file, "approvals/0001-" + keyId + ".minisig");
    Outcome v = planner({"verify", "renamed.zip", "--trust", "trust.txt", "--policy", "policy.json",
                         "--require-approvals"});
    EXPECT_EQ(v.code, 1);
    EXPECT_NE(v.err.find(file + ": invalid signature: key " + keyId +
                         " signed the name \"Carol King\" but the trust store names this key \"Bob Stone\" "
                         "(rule: identity)"),
              std::string::npos)
        << v.err;
    ASSERT_TRUE(store::Workspace::create(m_dir.string(), "target").ok());
    Outcome imp = planner({"import-bundle", "renamed.zip", "-w", "target", "-t", "trust.txt"});
    EXPECT_EQ(imp.code, 1);
    EXPECT_NE(imp.err.find("nothing was imported"), std::string::npos);
    EXPECT_TRUE(store::Workspace::open(m_dir.string(), "target")->changes()->empty());

    // A back-dated approval is refused when signing.
    Outcome early = planner({"approve", "bundle.zip", "-s", "bob.key", "--role", "cab_member", "--name", "Bob Stone",
                             "--time", "2026-11-19T09:59:59Z", "-o", "early.zip"});
    EXPECT_EQ(early.code, 1);
    EXPECT_NE(early.err.find("before the author's signature"), std::string::npos) << early.err;

    // --trusted-key trusts an author only unless roles are given.
    Outcome good = planner({"approve", "bundle.zip", "-s", "bob.key", "--role", "cab_member", "--name",
                            std::string(rd["keyId"].GetString()), "--time", "2026-11-20T08:00:00Z", "-o", "k.zip"});
    ASSERT_EQ(good.code, 0) << good.err;
    Outcome authorOnly = planner({"verify", "k.zip", "--trusted-key", "author.pub", "--trusted-key", "bob.pub"});
    EXPECT_EQ(authorOnly.code, 1);
    EXPECT_NE(authorOnly.err.find("(rule: role)"), std::string::npos) << authorOnly.err;
    Outcome granted =
        planner({"verify", "k.zip", "--trusted-key", "author.pub", "--trusted-key", "bob.pub:cab_member"});
    EXPECT_EQ(granted.code, 0) << granted.err;
    EXPECT_NE(granted.out.find("approval chain: 1 approval(s), head "), std::string::npos) << granted.out;
    EXPECT_EQ(planner({"keygen", "-p", "x.pub", "-s", "x.key", "--no-passphrase", "--roles", "*"}).code, 2);
}

TEST_F(Cli, ImportTakesOnlySignedApprovalsAndDerivesTheState) {
    const std::string id = signedBundle();
    keygen("bob", "Bob Stone", "cab_member");
    writeFile(path("trust.txt"), m_trustLines);
    Outcome a = planner({"approve", "bundle.zip", "-s", "bob.key", "--role", "cab_member", "--name", "Bob Stone",
                         "--time", "2026-11-20T08:00:00Z"});
    ASSERT_EQ(a.code, 0) << a.err;
    Outcome v = planner({"verify", "bundle.zip", "--trust", "trust.txt", "--json"});
    ASSERT_EQ(v.code, 0) << v.err;
    auto vd = parseJson(v.out);
    EXPECT_EQ(vd["approvalChain"]["length"].GetInt(), 1);
    EXPECT_EQ(vd["formatVersion"].GetInt(), 2);
    ASSERT_TRUE(store::Workspace::create(m_dir.string(), "target").ok());
    Outcome imp = planner({"import-bundle", "bundle.zip", "-w", "target", "-t", "trust.txt", "--json"});
    ASSERT_EQ(imp.code, 0) << imp.err;
    auto d = parseJson(imp.out);
    EXPECT_EQ(d["signedApprovals"].GetInt(), 1);
    EXPECT_EQ(d["approvalChainLength"].GetInt(), 1);
    auto ws = store::Workspace::open(m_dir.string(), "target");
    const ChangeRequest stored = **ws->findChange(id);
    ASSERT_EQ(stored.approvals.size(), 1u) << "only the signed approval, never those written in change.json";
    EXPECT_EQ(stored.approvals[0].approver, "Bob Stone");
    EXPECT_FALSE(stored.approvals[0].keyId.empty());
    EXPECT_EQ(std::string(d["state"].GetString()), toString(stored.state));
    Outcome inspect = planner({"inspect", "bundle.zip", "-t", "trust.txt"});
    ASSERT_EQ(inspect.code, 0) << inspect.err;
    EXPECT_NE(inspect.out.find("approve as cab_member by Bob Stone"), std::string::npos) << inspect.out;
    EXPECT_NE(inspect.out.find("(unsigned, not counted)"), std::string::npos) << inspect.out;
}

TEST_F(Cli, TamperedApprovalChainIsDetected) {
    signedBundle();
    keygen("bob", "Bob Stone", "cab_member");
    keygen("chen", "Chen Wu", "cab_member");
    writeFile(path("trust.txt"), m_trustLines);
    writeFile(path("policy.json"), policy::defaultPolicyJson());
    auto approve = [&](const std::string& who, const std::string& name, const std::string& decision,
                       const std::string& time) {
        Outcome a = planner({"approve", "bundle.zip", "-s", who + ".key", "--role", "cab_member", "--name", name,
                             "--decision", decision, "--time", time, "--json"});
        EXPECT_EQ(a.code, 0) << a.err;
        return std::string(parseJson(a.out)["file"].GetString());
    };
    const std::string first = approve("bob", "Bob Stone", "approve", "2026-11-20T08:00:00Z");
    // One key twice fills one quorum slot.
    approve("bob", "Bob Stone", "approve", "2026-11-20T08:01:00Z");
    Outcome twice = planner({"verify", "bundle.zip", "--trust", "trust.txt", "--policy", "policy.json", "--json"});
    ASSERT_EQ(twice.code, 0) << twice.err;
    auto td = parseJson(twice.out);
    EXPECT_EQ(td["approvalChain"]["length"].GetInt(), 2);
    for (const auto& req : td["approvalCheck"]["requirements"].GetArray()) {
        EXPECT_LE(req["approvedBy"].Size(), 1u) << req["id"].GetString();
    }
    const std::string rejection = approve("chen", "Chen Wu", "reject", "2026-11-20T09:00:00Z");
    EXPECT_EQ(rejection.rfind("approvals/0003-", 0), 0u) << rejection;
    approve("bob", "Bob Stone", "approve", "2026-11-20T10:00:00Z");
    Outcome honest = planner({"verify", "bundle.zip", "--trust", "trust.txt"});
    ASSERT_EQ(honest.code, 0) << honest.err;
    EXPECT_NE(honest.out.find("approval chain: 4 approval(s)"), std::string::npos) << honest.out;

    // Chen's rejection dropped from the zip.
    bundle::ZipFiles files = *bundle::readZip(readFile(path("bundle.zip")));
    bundle::ZipFiles dropped = files;
    dropped.erase(rejection);
    writeFile(path("dropped.zip"), *bundle::writeZip(dropped));
    Outcome d = planner({"verify", "dropped.zip", "--trust", "trust.txt"});
    EXPECT_EQ(d.code, 1);
    EXPECT_NE(d.err.find("approval chain position 3 is missing: an approval was removed (tampering)"),
              std::string::npos)
        << d.err;
    EXPECT_NE(d.err.find("(rule: chain)"), std::string::npos);

    // Chen's rejection replaced by Bob's older approval, renamed into its place.
    bundle::ZipFiles swapped = files;
    swapped[rejection] = files.at(first);
    writeFile(path("swapped.zip"), *bundle::writeZip(swapped));
    Outcome sw = planner({"verify", "swapped.zip", "--trust", "trust.txt"});
    EXPECT_EQ(sw.code, 1);
    EXPECT_NE(sw.err.find(rejection + ": invalid signature"), std::string::npos) << sw.err;
    ASSERT_TRUE(store::Workspace::create(m_dir.string(), "target").ok());
    EXPECT_EQ(planner({"import-bundle", "swapped.zip", "-w", "target", "-t", "trust.txt"}).code, 1);
    EXPECT_TRUE(store::Workspace::open(m_dir.string(), "target")->changes()->empty());
}

TEST_F(Cli, InspectPrintsTheChangeSummary) {
    const std::string id = signedBundle();
    Outcome r = planner({"inspect", "bundle.zip", "-t", "trust.txt", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto d = parseJson(r.out);
    ASSERT_FALSE(d.HasParseError());
    EXPECT_TRUE(d["verified"].GetBool());
    EXPECT_EQ(std::string(d["id"].GetString()), id);
    EXPECT_EQ(std::string(d["title"].GetString()), m_change.title);
    EXPECT_EQ(d["affectedCis"].Size(), m_change.affectedCis.size());
    Outcome text = planner({"inspect", "bundle.zip"});
    EXPECT_EQ(text.code, 0);
    EXPECT_NE(text.out.find("not verified"), std::string::npos);
    EXPECT_NE(text.out.find(m_change.title), std::string::npos);
}

}  // namespace

// ---- Ticketing: site settings, contracts, one truth, push calls --------------------------

namespace {

// python3 tests/cli/check_contract.py <system schema> <files...>
std::string contractCommand(const std::string& system, const std::vector<std::string>& files) {
    std::string cmd = "/usr/bin/python3 " + quote(std::string(PLANNER_TESTS_DIR) + "/cli/check_contract.py") + " " +
                      quote(std::string(PLANNER_TESTS_DIR) + "/data/contracts/" + system + ".json");
    for (const auto& f : files) cmd += " " + quote(f);
    return cmd;
}

// Changes that stress the payloads: emergency, no CIs, long text, non-ASCII, many tasks.
std::vector<ChangeRequest> edgeChanges(const ChangeRequest& base) {
    std::vector<ChangeRequest> out;
    ChangeRequest e = base;
    e.id = "EDGE-EMERGENCY";
    e.type = ChangeType::Emergency;
    e.state = ChangeState::Assessed;
    out.push_back(e);
    ChangeRequest n = base;
    n.id = "EDGE-NO-CIS";
    n.affectedCis.clear();
    n.impactFlags.clear();
    for (Step& st : n.steps) st.ci.clear();
    n.state = ChangeState::Submitted;
    out.push_back(n);
    ChangeRequest l = base;
    l.id = "EDGE-LONG";
    l.title = std::string(900, 'T');
    l.description = std::string(9000, 'd') + "\n\nend";
    l.rollbackPlan = std::string(6000, 'r');
    l.implementationPlan = std::string(5000, 'i');
    l.impact = std::string(700, 'm');
    l.reason = std::string(400, 'w');
    out.push_back(l);
    ChangeRequest u = base;
    u.id = "EDGE-UNICODE";
    u.title = "Überprüfung der Datenbank \xE6\x95\xB0\xE6\x8D\xAE\xE5\xBA\x93 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xE2\x80\xAE <b>&";
    u.description = "Zeile 1\nZeile 2 \xF0\x9F\x9A\x80\n\nAbsatz \"zitiert\" 'x' \\ /";
    u.rollbackPlan = "Zur\xC3\xBC" "ck \xE2\x86\x90";
    u.state = ChangeState::Draft;
    out.push_back(u);
    ChangeRequest m = base;
    m.id = "EDGE-MANY-TASKS";
    m.steps.clear();
    for (int i = 0; i < 150; ++i) {
        Step st;
        st.id = "s" + std::to_string(i);
        st.title = "Step " + std::to_string(i);
        st.duration = 7;
        st.rollback = "undo " + std::to_string(i);
        if (i) st.dependsOn = {"s" + std::to_string(i - 1)};
        m.steps.push_back(st);
    }
    out.push_back(m);
    return out;
}

}  // namespace

TEST_F(Cli, TicketingSettingsAreStoredAndMissingOnesAreRefusedNamingTheSetting) {
    const std::string id = makeWorkspace();
    const std::pair<const char*, const char*> missing[] = {{"itop", "ticketing.itop.organization"},
                                                           {"glpi", "ticketing.glpi.entity_id"},
                                                           {"freshservice", "ticketing.freshservice.requester_id"},
                                                           {"jira", "ticketing.jira.mapping"}};
    for (const auto& [to, key] : missing) {
        Outcome r = planner({"export", "--to", to, "-w", "ws", "-c", id, "-o", std::string(to) + ".json"});
        EXPECT_EQ(r.code, 2) << to;
        EXPECT_NE(r.err.find(key), std::string::npos) << r.err;
        EXPECT_FALSE(fs::exists(path(std::string(to) + ".json"))) << "nothing is written for " << to;
    }
    // Bad values are refused naming the setting and nothing is stored.
    Outcome bad = planner({"ticketing-settings", "-w", "ws", "--itop-change-model", "itil-ish"});
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.err.find("ticketing.itop.change_model"), std::string::npos) << bad.err;
    EXPECT_EQ(planner({"ticketing-settings", "-w", "ws", "--glpi-entity", "root"}).code, 2);
    // A mapping file with an unknown kind or without a required key: file, line and key.
    writeFile(path("map.json"), "{\n  \"project\": \"CHG\",\n  \"issueType\": \"Change\",\n  \"fields\": {\n"
                                "    \"risk\": {\"id\": \"customfield_1\", \"as\": \"dropdown\"}\n  }\n}\n");
    Outcome kind = planner({"ticketing-settings", "-w", "ws", "--jira-mapping", "map.json"});
    EXPECT_EQ(kind.code, 3);
    EXPECT_NE(kind.err.find("map.json:5:"), std::string::npos) << kind.err;
    EXPECT_NE(kind.err.find("/fields/risk/as"), std::string::npos) << kind.err;
    writeFile(path("map2.json"), "{\n  \"issueType\": \"Change\"\n}\n");
    Outcome project = planner({"export", "--to", "jira", "-w", "ws", "-c", id, "--jira-mapping", "map2.json"});
    EXPECT_EQ(project.code, 3);
    EXPECT_NE(project.err.find("map2.json:1:"), std::string::npos) << project.err;
    EXPECT_NE(project.err.find("/project"), std::string::npos) << project.err;
    writeFile(path("map3.json"), "{\"project\":\"CHG\",\"issueType\":\"Change\",\n\"fields\":{\"risk\":\"customfield_7\"}}");
    Outcome guessed = planner({"export", "--to", "jira", "-w", "ws", "-c", id, "--jira-mapping", "map3.json"});
    EXPECT_EQ(guessed.code, 3);
    EXPECT_NE(guessed.err.find("map3.json:2:"), std::string::npos) << guessed.err;
    EXPECT_NE(guessed.err.find("kind of custom field"), std::string::npos) << guessed.err;

    storeSiteSettings();
    for (const char* to : {"servicenow", "glpi", "itop", "jira", "freshservice"}) {
        Outcome r = planner({"export", "--to", to, "-w", "ws", "-c", id, "--time", kTime});
        EXPECT_EQ(r.code, 0) << to << ": " << r.err;
    }
    // A CLI option overrides the stored setting.
    Outcome other = planner({"export", "--to", "itop", "-w", "ws", "-c", id, "--itop-organization", "Other Org"});
    ASSERT_EQ(other.code, 0) << other.err;
    EXPECT_EQ(std::string(parseJson(other.out)["create"]["fields"]["org_id"]["name"].GetString()), "Other Org");
    // Signing with the stored settings puts every payload into the bundle.
    keygen("author", "Ada Lovelace");
    Outcome sign = planner({"sign", "-w", "ws", "-c", id, "-s", "author.key", "--author", "Ada", "--time", kTime,
                            "-o", "full.zip"});
    ASSERT_EQ(sign.code, 0) << sign.err;
    auto files = bundle::readZip(readFile(path("full.zip")));
    for (const char* p : {"payloads/servicenow.json", "payloads/glpi.json", "payloads/itop.json",
                          "payloads/jira.json", "payloads/freshservice.json"})
        EXPECT_TRUE(files->count(p)) << p;
}

TEST_F(Cli, EveryPayloadMeetsItsVendorContractForEveryDemoChangeAndEdgeCases) {
    // The independent validator is Debian's python3-jsonschema (scripts/deps.versions), run by Debian's python3.
    Outcome tool = shell("/usr/bin/python3 -c 'import jsonschema'");
    ASSERT_EQ(tool.code, 0) << "python3-jsonschema is missing (Debian package python3-jsonschema): " << tool.err;
    const WorkspaceData demo = generateDemoWorkspace(kNow);
    auto base = std::find_if(demo.changes.begin(), demo.changes.end(), [](const ChangeRequest& c) {
        return c.plannedStart != 0 && c.steps.size() > 1 && !c.affectedCis.empty();
    });
    ASSERT_NE(base, demo.changes.end());
    const std::vector<ChangeRequest> edges = edgeChanges(*base);
    makeWorkspace(edges);
    std::vector<std::string> ids = m_demoIds;
    for (const auto& e : edges) ids.push_back(e.id);
    int refusedItop = 0;
    keygen("author", "Ada Lovelace");
    for (const std::string model : {"default", "itil"}) {
        storeSiteSettings(model);
        // One signed bundle per change holds the payload of every ready system (one run per change).
        std::map<std::string, std::vector<std::string>> written;
        for (const std::string& id : ids) {
            Outcome r = planner({"sign", "-w", "ws", "-c", id, "-s", "author.key", "--author", "Ada", "--time", kTime,
                                 "-o", model + "-" + id + ".zip"});
            ASSERT_EQ(r.code, 0) << id << ": " << r.err;
            auto files = bundle::readZip(readFile(path(model + "-" + id + ".zip")));
            ASSERT_TRUE(files.ok());
            for (const std::string system : {"servicenow", "glpi", "itop", "jira", "freshservice"}) {
                if (model == "itil" && system != "itop") continue;  // the data model matters to iTop only
                auto it = files->find("payloads/" + system + ".json");
                if (it == files->end()) {
                    // Only iTop may refuse a change (its lifecycle needs data the change lacks), naming why.
                    EXPECT_EQ(system, "itop") << id;
                    EXPECT_NE(r.err.find("payloads/itop.json left out: itop: "), std::string::npos) << r.err;
                    ++refusedItop;
                    continue;
                }
                const std::string out = model + "-" + id + "-" + system + ".json";
                writeFile(path(out), it->second);
                written[system].push_back(path(out).string());
            }
        }
        for (const auto& [system, list] : written) {
            Outcome check = shell(contractCommand(system, list));
            EXPECT_EQ(check.code, 0) << system << " (" << model << "):\n" << check.out << check.err;
            EXPECT_NE(check.out.find("checked " + std::to_string(list.size()) + " payload(s)"), std::string::npos)
                << check.out;
        }
        EXPECT_EQ(written.size(), model == "itil" ? 1u : 5u);
        if (model == "default") {
            // The same payloads come out of planner export (spot check on the edge cases).
            for (const auto& e : edges) {
                Outcome r = planner({"export", "--to", "glpi", "-w", "ws", "-c", e.id, "--time", kTime});
                ASSERT_EQ(r.code, 0) << r.err;
                EXPECT_EQ(r.out, readFile(path("default-" + e.id + "-glpi.json"))) << e.id;
            }
        }
    }
    std::cout << "[ info ] iTop refused " << refusedItop << " change(s) lacking lifecycle data\n";

    // The validator and the schemas catch what a vendor would refuse.
    writeFile(path("bad-sn.json"), readFile(path("default-" + ids[0] + "-servicenow.json")));
    std::string bad = readFile(path("bad-sn.json"));
    bad.replace(bad.find("\"risk\":\""), 9, "\"risk\":\"9");
    writeFile(path("bad-sn.json"), bad);
    Outcome caught = shell(contractCommand("servicenow", {path("bad-sn.json").string()}));
    EXPECT_EQ(caught.code, 1) << caught.out;
    EXPECT_NE(caught.out.find("/change_request/fields/risk"), std::string::npos) << caught.out;
    std::string badGlpi = readFile(path("default-" + ids[0] + "-glpi.json"));
    badGlpi.replace(badGlpi.find("\"entities_id\":"), 14, "\"users_id_validate\":0,\"entities_id\":");
    writeFile(path("bad-glpi.json"), badGlpi);
    EXPECT_EQ(shell(contractCommand("glpi", {path("bad-glpi.json").string()})).code, 1);
}

TEST_F(Cli, OneTruthAcrossTheFivePayloadsAndChangeJson) {
    makeWorkspace();
    storeSiteSettings();
    keygen("author", "Ada Lovelace");
    writeFile(path("trust.txt"), m_trustLines);
    int compared = 0;
    for (const std::string& id : m_demoIds) {
        Outcome sign = planner({"sign", "-w", "ws", "-c", id, "-s", "author.key", "--author", "Ada", "--time", kTime,
                                "-o", id + ".zip"});
        ASSERT_EQ(sign.code, 0) << sign.err;
        auto files = bundle::readZip(readFile(path(id + ".zip")));
        ASSERT_TRUE(files.ok());
        auto change = io::parseChangeDocument(files->at("change.json"), "change.json");
        ASSERT_TRUE(change.ok()) << change.error().toString();
        auto slice = io::parseCmdbSlice(files->at("cmdb-slice.json"), "cmdb-slice.json");
        ASSERT_TRUE(slice.ok());
        auto nameOf = [&](const std::string& ci) {
            for (const auto& x : slice->cis)
                if (x.id == ci) return x.name.empty() ? ci : x.name;
            return ci;
        };
        if (!files->count("payloads/itop.json")) continue;  // iTop refused this one (lifecycle data missing)
        ++compared;
        const auto sn = parseJson(files->at("payloads/servicenow.json"));
        const auto glpi = parseJson(files->at("payloads/glpi.json"));
        const auto itop = parseJson(files->at("payloads/itop.json"));
        const auto jira = parseJson(files->at("payloads/jira.json"));
        const auto fsv = parseJson(files->at("payloads/freshservice.json"));
        const ChangeRequest& c = *change;

        // Risk: one level, written in each system's code.
        const std::map<std::string, std::string> snRisk = {{"1", "Very High"}, {"2", "High"}, {"3", "Moderate"}, {"4", "Low"}};
        const std::map<int, std::string> fsRisk = {{1, "Low"}, {2, "Moderate"}, {3, "High"}, {4, "Very High"}};
        const std::string risk = snRisk.at(sn["change_request"]["fields"]["risk"].GetString());
        EXPECT_EQ(fsRisk.at(fsv["create"]["risk"].GetInt()), risk) << id;
        ASSERT_TRUE(jira["fields"]["customfield_10042"].IsObject()) << id;
        EXPECT_EQ(std::string(jira["fields"]["customfield_10042"]["value"].GetString()), risk) << id;

        // State: what the bundle presents (no further than assessed without approval signatures).
        const std::string presented = bundle::pastAuthorization(c.state) ? "assessed" : toString(c.state);
        const std::map<std::string, std::string> snFinal = {{"draft", "-5"}, {"submitted", "-4"}, {"assessed", "-3"},
                                                            {"cancelled", "4"}, {"rejected", "4"}};
        std::string snState = "-5";
        for (const auto& m : sn["state_moves"].GetArray()) snState = m["state"].GetString();
        if (c.type == ChangeType::Normal || presented == "draft" || snFinal.at(presented) == "4")
            EXPECT_EQ(snState, snFinal.at(presented)) << id << " " << presented;
        const std::map<std::string, int> glpiStatus = {{"draft", 1}, {"submitted", 9}, {"assessed", 10},
                                                       {"cancelled", 14}, {"rejected", 13}};
        EXPECT_EQ(glpi["Change"]["input"]["status"].GetInt(), glpiStatus.at(presented)) << id;
        const std::map<std::string, int> fsStatus = {{"draft", 1}, {"submitted", 2}, {"assessed", 3},
                                                     {"cancelled", 6}, {"rejected", 6}};
        EXPECT_EQ(fsv["create"]["status"].GetInt(), fsStatus.at(presented)) << id;
        std::string jiraState = presented;
        jiraState[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(jiraState[0])));
        EXPECT_EQ(std::string(jira["fields"]["customfield_10043"]["value"].GetString()), jiraState) << id;
        const std::map<std::string, std::size_t> itopSteps = {{"draft", 0}, {"submitted", 1}, {"assessed", 2}};
        if (itopSteps.count(presented)) EXPECT_EQ(itop["stimuli"].Size(), itopSteps.at(presented)) << id;

        // Dates: the planned interval of change.json in each system's format.
        if (c.plannedStart) {
            const std::string sqlStart = io::formatSqlUtc(c.plannedStart), sqlEnd = io::formatSqlUtc(c.plannedEnd);
            EXPECT_EQ(std::string(sn["change_request"]["fields"]["start_date"].GetString()), sqlStart) << id;
            EXPECT_EQ(std::string(sn["change_request"]["fields"]["end_date"].GetString()), sqlEnd) << id;
            EXPECT_EQ(std::string(glpi["Change"]["input"]["time_to_resolve"].GetString()), sqlEnd) << id;
            EXPECT_EQ(std::string(itop["create"]["fields"]["start_date"].GetString()), sqlStart) << id;
            EXPECT_EQ(std::string(itop["create"]["fields"]["end_date"].GetString()), sqlEnd) << id;
            EXPECT_EQ(std::string(fsv["create"]["planned_start_date"].GetString()), io::formatIsoUtc(c.plannedStart)) << id;
            EXPECT_EQ(std::string(fsv["create"]["planned_end_date"].GetString()), io::formatIsoUtc(c.plannedEnd)) << id;
            EXPECT_EQ(std::string(jira["fields"]["customfield_10050"].GetString()), io::formatJiraUtc(c.plannedStart)) << id;
            EXPECT_EQ(std::string(jira["fields"]["customfield_10051"].GetString()), io::formatJiraUtc(c.plannedEnd)) << id;
            for (const auto& t : sn["change_task"].GetArray()) {
                EXPECT_GE(std::string(t["fields"]["planned_start_date"].GetString()), sqlStart) << id;
                EXPECT_LE(std::string(t["fields"]["planned_end_date"].GetString()), sqlEnd) << id;
            }
        } else {
            EXPECT_FALSE(fsv["create"].HasMember("planned_start_date")) << id;
            EXPECT_TRUE(jira["fields"]["customfield_10050"].IsNull()) << id;
        }

        // CIs: the affected CIs of change.json, by name (by id in Jira labels).
        std::vector<std::string> names, snCis, glpiCis, itopCis, jiraCis;
        for (const auto& ci : c.affectedCis) names.push_back(nameOf(ci));
        for (const auto& t : sn["task_ci"].GetArray()) snCis.emplace_back(t["references"]["ci_item"]["name"].GetString());
        for (const auto& t : glpi["Change_Item"].GetArray()) glpiCis.emplace_back(t["name"].GetString());
        for (const auto& t : itop["create"]["fields"]["functionalcis_list"].GetArray())
            if (std::string(t["impact_code"].GetString()) == "manual") itopCis.emplace_back(t["functionalci_id"]["name"].GetString());
        for (const auto& t : jira["fields"]["customfield_10070"].GetArray()) jiraCis.emplace_back(t.GetString());
        EXPECT_EQ(snCis, names) << id;
        EXPECT_EQ(glpiCis, names) << id;
        EXPECT_EQ(itopCis, names) << id;
        EXPECT_EQ(jiraCis, c.affectedCis) << id;
        for (const auto& n : names)
            EXPECT_NE(std::string(fsv["create"]["description"].GetString()).find(n), std::string::npos) << id;
    }
    EXPECT_GE(compared, 3);
}

TEST_F(Cli, PushCallsRunTheDocumentedSequenceAgainstAStubServer) {
    const std::string id = makeWorkspace();
    storeSiteSettings();
    for (const char* to : {"servicenow", "glpi", "itop", "jira", "freshservice"}) {
        Outcome calls = planner({"export", "--to", to, "-w", "ws", "-c", id, "--calls", "-o", std::string(to) + ".sh"});
        ASSERT_EQ(calls.code, 0) << to << ": " << calls.err;
        const std::string script = readFile(path(std::string(to) + ".sh"));
        EXPECT_EQ(script.rfind("#!/bin/bash\n", 0), 0u);
        EXPECT_NE(script.find(id + "-" + to + ".json"), std::string::npos);
        Outcome syntax = shell("bash -n " + std::string(to) + ".sh");
        EXPECT_EQ(syntax.code, 0) << to << ": " << syntax.err;
        ASSERT_EQ(planner({"export", "--to", to, "-w", "ws", "-c", id, "--time", kTime, "-o", id + "-" + to + ".json"}).code, 0);
    }
    EXPECT_EQ(planner({"export", "--to", "md", "--calls", "-w", "ws", "-c", id}).code, 2);

    // A stand-in for curl that records each call and answers like the system would.
    fs::create_directories(path("stub"));
    writeFile(path("stub/curl"), R"SH(#!/bin/bash
method=POST; url=; body=; get=0
while [ $# -gt 0 ]; do
  case "$1" in
    -X) method=$2; shift 2;;
    --data) body=$2; shift 2;;
    --data-urlencode) body="$body${body:+&}$2"; shift 2;;
    -G) get=1; shift;;
    -u|-H) shift 2;;
    http*) url=$1; shift;;
    *) shift;;
  esac
done
[ $get = 1 ] && method=GET
printf '%s %s %s\n' "$method" "$url" "$body" >> "$CALLS_LOG"
case "$url" in
  */api/now/table/change_request) echo '{"result":{"sys_id":"CR1"}}';;
  */api/now/table/change_request/CR1) echo "{\"result\":{\"state\":$(jq '.state // "x"' <<<"$body")}}";;
  */api/now/table/*) if [ $method = GET ]; then echo '{"result":[{"sys_id":"REF"}]}'; else echo '{"result":{"sys_id":"X"}}'; fi;;
  */webservices/rest.php*)
    op=$(sed 's/.*json_data=//' <<<"$body" | jq -r .operation)
    if [ "$op" = core/create ]; then echo '{"code":0,"objects":{"Change::7":{"key":"7"}}}'; else echo '{"code":0,"objects":{}}'; fi;;
  */api/v2/changes) echo '{"change":{"id":99}}';;
  */initSession) echo '{"session_token":"S1"}';;
  */apirest.php/Change/) echo '{"id":5}';;
  */apirest.php/*/) if [ $method = GET ]; then echo '[{"id":11}]'; else echo '{"id":1}'; fi;;
  *) echo '{}';;
esac
)SH");
    fs::permissions(path("stub/curl"), fs::perms::owner_all);
    const std::string env = "PATH=" + quote(path("stub").string()) + ":$PATH CALLS_LOG=calls.log ";

    Outcome sn = shell(env + "SN_INSTANCE=https://sn.test SN_USER=u SN_PASSWORD=p bash servicenow.sh");
    ASSERT_EQ(sn.code, 0) << sn.err;
    EXPECT_EQ(sn.out, "CR1\n");
    const std::string log = readFile(path("calls.log"));
    const auto payload = parseJson(readFile(path(id + "-servicenow.json")));
    const std::size_t create = log.find("POST https://sn.test/api/now/table/change_request ");
    ASSERT_NE(create, std::string::npos) << log;
    const std::size_t firstCi = log.find("/api/now/table/task_ci");
    const std::size_t firstTask = log.find("/api/now/table/change_task");
    const std::size_t firstMove = log.find("PATCH https://sn.test/api/now/table/change_request/CR1");
    EXPECT_LT(create, firstCi);      // CIs while the change is New ...
    EXPECT_LT(firstCi, firstTask);   // ... then tasks ...
    if (payload["state_moves"].Size() > 0) {
        ASSERT_NE(firstMove, std::string::npos) << log;
        EXPECT_LT(firstTask, firstMove);  // ... then the state moves, in order
    }
    EXPECT_EQ(log.find("sysparm_input_display_value"), std::string::npos);
    const std::string createLine = log.substr(create, log.find('\n', create) - create);
    EXPECT_EQ(createLine.find("\"state\""), std::string::npos) << createLine;
    EXPECT_NE(createLine.find("\"assigned_to\":\"REF\""), std::string::npos) << createLine;
    std::size_t moves = 0, at = 0;
    while ((at = log.find("PATCH https://sn.test/api/now/table/change_request/CR1", at)) != std::string::npos) ++moves, ++at;
    EXPECT_EQ(moves, payload["state_moves"].Size());

    fs::remove(path("calls.log"));
    Outcome itop = shell(env + "ITOP_URL=https://itop.test/webservices/rest.php ITOP_USER=u ITOP_PASSWORD=p bash itop.sh");
    ASSERT_EQ(itop.code, 0) << itop.err;
    EXPECT_EQ(itop.out, "7\n");
    const std::string itopLog = readFile(path("calls.log"));
    const auto itopPayload = parseJson(readFile(path(id + "-itop.json")));
    std::size_t lines = std::count(itopLog.begin(), itopLog.end(), '\n');
    EXPECT_EQ(lines, 1 + itopPayload["stimuli"].Size()) << itopLog;
    EXPECT_NE(itopLog.find("core/create"), std::string::npos);
    if (itopPayload["stimuli"].Size() > 0) EXPECT_NE(itopLog.find("\"key\":7"), std::string::npos) << itopLog;

    fs::remove(path("calls.log"));
    Outcome fsh = shell(env + "FS_URL=https://fs.test FS_API_KEY=k bash freshservice.sh");
    ASSERT_EQ(fsh.code, 0) << fsh.err;
    EXPECT_EQ(fsh.out, "99\n");
    const std::string fsLog = readFile(path("calls.log"));
    EXPECT_LT(fsLog.find("POST https://fs.test/api/v2/changes "), fsLog.find("PUT https://fs.test/api/v2/changes/99"))
        << fsLog;

    fs::remove(path("calls.log"));
    Outcome glpi = shell(env + "GLPI_URL=https://glpi.test/apirest.php GLPI_APP_TOKEN=a GLPI_USER_TOKEN=u bash glpi.sh");
    ASSERT_EQ(glpi.code, 0) << glpi.err;
    EXPECT_EQ(glpi.out, "5\n");
    const std::string glpiLog = readFile(path("calls.log"));
    const auto glpiPayload = parseJson(readFile(path(id + "-glpi.json")));
    const std::size_t change = glpiLog.find("POST https://glpi.test/apirest.php/Change/ ");
    const std::size_t item = glpiLog.find("POST https://glpi.test/apirest.php/Change_Item/ ");
    const std::size_t task = glpiLog.find("POST https://glpi.test/apirest.php/ChangeTask/ ");
    ASSERT_NE(change, std::string::npos) << glpiLog;
    ASSERT_NE(item, std::string::npos) << glpiLog;
    ASSERT_NE(task, std::string::npos) << glpiLog;
    EXPECT_LT(change, item);
    EXPECT_LT(item, task);
    // Items are looked up by name and linked with the id found, never 0.
    EXPECT_NE(glpiLog.find("GET https://glpi.test/apirest.php/" +
                           std::string(glpiPayload["Change_Item"][0]["itemtype"].GetString()) + "/ searchText[name]=^"),
              std::string::npos)
        << glpiLog;
    EXPECT_NE(glpiLog.find("\"items_id\":11"), std::string::npos) << glpiLog;
    EXPECT_NE(glpiLog.find("\"changes_id\":5"), std::string::npos) << glpiLog;
    EXPECT_EQ(glpiLog.find("ChangeValidation"), std::string::npos);  // no signed approvals in a workspace export
    EXPECT_NE(glpiLog.find("killSession"), std::string::npos);

    // A missing variable stops the script before any call, naming it.
    fs::remove(path("calls.log"));
    Outcome unset = shell(env + "bash glpi.sh");
    EXPECT_NE(unset.code, 0);
    EXPECT_NE(unset.err.find("GLPI_URL"), std::string::npos) << unset.err;
    EXPECT_FALSE(fs::exists(path("calls.log")));
}

TEST_F(Cli, SignedApprovalsReachEachSystemAsNotesAndStillMeetTheContracts) {
    const std::string id = makeWorkspace();
    storeSiteSettings();
    keygen("author", "Ada Lovelace");
    ASSERT_EQ(planner({"sign", "-w", "ws", "-c", id, "-s", "author.key", "--author", "Ada", "--time", kTime, "-o",
                       "bundle.zip"})
                  .code,
              0);
    keygen("bob", "Bob Stone", "cab_member");
    writeFile(path("trust.txt"), m_trustLines);
    ASSERT_EQ(planner({"approve", "bundle.zip", "-s", "bob.key", "--role", "cab_member", "--name", "Bob Stone",
                       "--comment", "fine by the CAB", "--time", "2026-11-20T08:00:00Z"})
                  .code,
              0);
    const auto signedFiles = *bundle::readZip(readFile(path("bundle.zip")));
    const std::map<std::string, std::string> noteAt = {
        {"servicenow", "/work_note/work_notes"}, {"glpi", "/ITILFollowup/input/content"},
        {"itop", "/log/fields/private_log"}, {"freshservice", "/note/body"}};
    for (const auto& [system, pointer] : noteAt) {
        const std::string out = "approved-" + system + ".json";
        Outcome r = planner({"export", "--to", system, "-b", "bundle.zip", "-t", "trust.txt", "-o", out});
        ASSERT_EQ(r.code, 0) << system << ": " << r.err;
        const std::string text = readFile(path(out));
        auto d = parseJson(text);
        const rapidjson::Value* note = rapidjson::Pointer(pointer.c_str()).Get(d);
        ASSERT_NE(note, nullptr) << system << ": " << text.substr(0, 300);
        const std::string noteText = note->GetString();
        EXPECT_NE(noteText.find("approve as cab_member by Bob Stone"), std::string::npos) << noteText;
        EXPECT_NE(noteText.find("fine by the CAB"), std::string::npos) << noteText;
        EXPECT_NE(noteText.find("approval chain of 1"), std::string::npos) << noteText;
        // Everything else is the signed payload, state included: never a status the system overrides.
        auto signedDoc = parseJson(signedFiles.at("payloads/" + system + ".json"));
        for (auto& m : signedDoc.GetObject()) {
            const std::string key = m.name.GetString();
            if (("/" + key) == pointer.substr(0, key.size() + 1) || key == "ChangeValidation") continue;
            EXPECT_TRUE(m.value == d[key.c_str()]) << system << ": " << key;
        }
        Outcome check = shell(contractCommand(system, {path(out).string()}));
        EXPECT_EQ(check.code, 0) << system << ":\n" << check.out << check.err;
    }
    auto glpi = parseJson(readFile(path("approved-glpi.json")));
    ASSERT_EQ(glpi["ChangeValidation"].Size(), 1u);
    EXPECT_EQ(std::string(glpi["ChangeValidation"][0]["user"].GetString()), "Bob Stone");
    EXPECT_FALSE(glpi["ChangeValidation"][0].HasMember("status"));
}

namespace {

// Adds `extra` entries to a bundle without touching SHA256SUMS or signatures.
std::string withExtraEntries(const std::string& zip, const bundle::ZipFiles& extra) {
    auto files = bundle::readZip(zip);
    EXPECT_TRUE(files.ok());
    for (const auto& [k, v] : extra) (*files)[k] = v;
    return *bundle::writeZip(*files);
}

}  // namespace

TEST_F(Cli, ExtractWritesOnlySignedEntriesUnlessAskedAndSaysSo) {
    signedBundle();
    writeFile(path("padded.zip"), withExtraEntries(readFile(path("bundle.zip")), {{"tools/run.sh", "rm -rf ~\n"}}));

    Outcome refused = planner({"extract", "padded.zip", "--output-dir", "out1"});
    EXPECT_EQ(refused.code, 1) << refused.out << refused.err;
    EXPECT_NE(refused.err.find("entry \"tools/run.sh\" is not covered by any signature"), std::string::npos)
        << refused.err;
    EXPECT_NE(refused.err.find("nothing was extracted"), std::string::npos) << refused.err;
    EXPECT_FALSE(fs::exists(path("out1/change.json"))) << "nothing is written when one entry is refused";

    Outcome forced = planner({"extract", "padded.zip", "--output-dir", "out2", "--include-unsigned"});
    ASSERT_EQ(forced.code, 0) << forced.err;
    EXPECT_NE(forced.err.find("warning: writing \"tools/run.sh\", which no signature covers"), std::string::npos)
        << forced.err;
    EXPECT_EQ(readFile(path("out2/tools/run.sh")), "rm -rf ~\n");

    // Without a trust store the bundle's own signature still decides; the note says who was not checked.
    Outcome plain = planner({"extract", "bundle.zip", "--output-dir", "out3"});
    ASSERT_EQ(plain.code, 0) << plain.err;
    EXPECT_NE(plain.err.find("--trusted-key"), std::string::npos) << plain.err;
    EXPECT_TRUE(fs::exists(path("out3/audit-anchor.json")));
    Outcome sums = shell("cd out3 && sha256sum -c --quiet SHA256SUMS");
    EXPECT_EQ(sums.code, 0) << sums.err;

    // An altered signed file is refused, trusted or not.
    auto files = *bundle::readZip(readFile(path("bundle.zip")));
    files["change.json"] += " ";
    writeFile(path("altered.zip"), *bundle::writeZip(files));
    Outcome altered = planner({"extract", "altered.zip", "--output-dir", "out4"});
    EXPECT_EQ(altered.code, 1);
    EXPECT_NE(altered.err.find("\"change.json\" does not match"), std::string::npos) << altered.err;
    EXPECT_FALSE(fs::exists(path("out4")));
}

TEST_F(Cli, AuditVerifyCatchesACutTailAgainstTheSignedBundle) {
    const std::string id = makeWorkspace();
    {
        auto ws = store::Workspace::open(m_dir.string(), "ws");
        ASSERT_TRUE(ws.ok());
        for (int i = 1; i <= 4; ++i) ASSERT_TRUE(ws->appendAudit(kNow + i, "ada", "apply", "{}").ok());
    }
    keygen("author", "Ada Lovelace");
    Outcome sign = planner({"sign", "-w", "ws", "-c", id, "-s", "author.key", "--author", "Ada Lovelace", "--time",
                            kTime, "-o", "bundle.zip"});
    ASSERT_EQ(sign.code, 0) << sign.err;
    Outcome intact = planner({"audit-verify", "-w", "ws", "--anchor", "bundle.zip"});
    ASSERT_EQ(intact.code, 0) << intact.err;
    EXPECT_NE(intact.out.find("the chain holds row 4 as recorded by bundle.zip"), std::string::npos) << intact.out;

    // Cut the last two rows with the sqlite3 shell and rewrite the head record to match.
    Outcome cut = shell(
        "sqlite3 ws.planner.db \"DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq > 2; "
        "UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit WHERE seq = 2);\"");
    ASSERT_EQ(cut.code, 0) << "sqlite3 (Debian package sqlite3) is required: " << cut.err;
    Outcome alone = planner({"audit-verify", "-w", "ws"});
    EXPECT_EQ(alone.code, 0) << "the file alone cannot tell: " << alone.err;
    EXPECT_NE(alone.out.find("no anchor given"), std::string::npos);
    Outcome caught = planner({"audit-verify", "-w", "ws", "--anchor", "bundle.zip", "--json"});
    EXPECT_EQ(caught.code, 1) << caught.out;
    auto d = parseJson(caught.out);
    ASSERT_FALSE(d.HasParseError()) << caught.out;
    EXPECT_FALSE(d["ok"].GetBool());
    EXPECT_EQ(d["firstBadSeq"].GetInt64(), 3);
    EXPECT_NE(std::string(d["problem"].GetString()).find("cut from the end"), std::string::npos);

    Outcome bad = planner({"audit-verify", "-w", "ws", "--anchor", "7:nothex"});
    EXPECT_EQ(bad.code, 3) << bad.err;
    EXPECT_NE(bad.err.find("64 lowercase hex"), std::string::npos) << bad.err;
}
