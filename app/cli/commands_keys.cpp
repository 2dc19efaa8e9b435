// keygen: a minisign key pair for signing bundles and approvals.
#include <filesystem>
#include <iostream>

#include "bundle/trust_store.hpp"
#include "commands.hpp"
#include "crypto/minisign.hpp"

namespace planner::cli {

void registerKeyCommands(CLI::App& app, CommandContext& ctx) {
    struct Options {
        std::string publicPath, secretPath, passphraseFile, passphraseEnv, name, roles;
        bool noPassphrase = false, force = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("keygen",
                                       "Create a minisign key pair (secret key encrypted with scrypt unless "
                                       "--no-passphrase)");
    cmd->add_option("--public,-p", o->publicPath, "Public key file to write (minisign .pub)")->required();
    cmd->add_option("--secret,-s", o->secretPath, "Secret key file to write (minisign .key)")->required();
    cmd->add_option("--passphrase-file", o->passphraseFile, "Read the passphrase from the first line of this file");
    cmd->add_option("--passphrase-env", o->passphraseEnv, "Read the passphrase from this environment variable");
    cmd->add_flag("--no-passphrase", o->noPassphrase, "Store the secret key unencrypted");
    cmd->add_option("--name", o->name, "Signer name for the printed trust store line (default: the key id)");
    cmd->add_option("--roles", o->roles,
                    "Approval roles for the printed trust store line, comma-separated (default: author, i.e. none)")
        ->default_str("author");
    cmd->add_flag("--force", o->force, "Overwrite existing key files");
    cmd->add_flag("--json", ctx.global.json, "Print the result as JSON");
    cmd->callback([o, &ctx] {
        namespace crypto = core::crypto;
        const std::optional<std::string> pass = readPassphrase(o->passphraseFile, o->passphraseEnv, o->noPassphrase);
        for (const std::string& p : {o->publicPath, o->secretPath}) {
            std::error_code ec;
            if (!o->force && p != "-" && std::filesystem::exists(p, ec))
                failWith(kExitFailed, p + " exists (use --force to replace it)");
        }
        const crypto::KeyPair pair = crypto::generateKeyPair();
        auto secret =
            crypto::writeMinisignSecretKey(pair, pass ? std::optional<std::string_view>(*pass) : std::nullopt);
        if (!secret) failWith(kExitFailed, secret.error().toString());
        writeSecretOutput(o->secretPath, *secret, o->force);
        writeOutput(o->publicPath, crypto::writeMinisignPublicKey(pair.publicKey));

        core::bundle::TrustedKey trusted;
        trusted.key = pair.publicKey;
        trusted.name = o->name.empty() ? crypto::keyIdHex(pair.publicKey.keyId) : o->name;
        if (o->roles == "*") {
            failWith(kExitUsage, "--roles: list the approval roles explicitly (a printed trust store line never "
                                 "grants every role)");
        }
        const std::string roles = o->roles.empty() ? "author" : o->roles;
        auto line = core::bundle::parseTrustStore(
            crypto::minisignPublicKeyBase64(pair.publicKey) + " " + roles + " " + trusted.name, "--roles/--name");
        if (!line) failWith(kExitUsage, line.error().toString());
        const std::string trustLine = core::bundle::trustStoreLine(line->front());
        if (ctx.global.json) {
            rapidjson::StringBuffer buf;
            JsonWriter w(buf);
            w.StartObject();
            jsonString(w, "keyId", crypto::keyIdHex(pair.publicKey.keyId));
            jsonString(w, "publicKey", crypto::minisignPublicKeyBase64(pair.publicKey));
            jsonString(w, "publicKeyFile", o->publicPath);
            jsonString(w, "secretKeyFile", o->secretPath);
            jsonBool(w, "encrypted", pass.has_value());
            jsonString(w, "trustStoreLine", trustLine);
            w.EndObject();
            printJson(buf);
        } else {
            std::cout << "key id " << crypto::keyIdHex(pair.publicKey.keyId) << "\n"
                      << "public key " << o->publicPath << "\n"
                      << "secret key " << o->secretPath << (pass ? " (encrypted)" : " (NOT encrypted)") << "\n"
                      << "trust store line:\n"
                      << trustLine << "\n";
        }
        ctx.exitCode = kExitOk;
    });
}

}  // namespace planner::cli
