#include "scanner/inventory/inventory.hpp"

#include <fnmatch.h>
#include <yaml-cpp/yaml.h>

#include "scanner/core/text.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

namespace grundscan {

namespace fs = std::filesystem;

namespace {

int line_of(const YAML::Node& n) {
    return n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
}

bool valid_id(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
}

bool has_glob(const std::string& s) {
    return s.find_first_of("*?[") != std::string::npos;
}

// Expands `pattern` (relative to `base`) into regular files, sorted. Directories yield
// their regular files (recursively); glob characters are allowed in any component.
std::vector<fs::path> expand(const fs::path& base, const std::string& pattern) {
    fs::path p = fs::path(pattern).is_absolute() ? fs::path(pattern) : base / pattern;
    p = p.lexically_normal();
    std::vector<fs::path> current{p.root_path().empty() ? fs::path(".") : p.root_path()};
    if (p.is_relative()) current = {fs::path()};
    for (const auto& comp : p.relative_path()) {
        std::vector<fs::path> next;
        std::string c = comp.string();
        for (const auto& dir : current) {
            if (!has_glob(c)) {
                next.push_back(dir / comp);
                continue;
            }
            std::error_code ec;
            fs::path d = dir.empty() ? fs::path(".") : dir;
            for (const auto& e : fs::directory_iterator(d, ec)) {
                std::string name = e.path().filename().string();
                if (::fnmatch(c.c_str(), name.c_str(), FNM_PERIOD) == 0) next.push_back(dir / name);
            }
        }
        current = std::move(next);
    }
    std::vector<fs::path> files;
    for (const auto& c : current) {
        std::error_code ec;
        if (fs::is_directory(c, ec)) {
            for (auto it = fs::recursive_directory_iterator(c, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                if (it->is_regular_file(ec)) files.push_back(it->path());
            }
        } else if (fs::exists(c, ec) || !has_glob(pattern)) {
            files.push_back(c);  // a missing explicit file is reported when it is read
        }
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    return files;
}

class Loader {
  public:
    explicit Loader(Inventory& inv)
        : inv_(inv), base_dir_(fs::absolute(inv.file).lexically_normal().parent_path()) {}

    Status load_root(const fs::path& path) {
        auto doc = parse_file(path);
        if (!doc) return doc.error();
        const YAML::Node& root = *doc;
        if (!root.IsMap())
            return err(path, root,
                       "an inventory must be a mapping with 'organisation' and 'municipalities'");
        for (auto it = root.begin(); it != root.end(); ++it) {
            auto key = it->first.as<std::string>();
            if (key != "organisation" && key != "organization" && key != "municipalities" &&
                key != "include" && key != "version")
                return err(
                    path, it->first,
                    "unknown key '" + key + "' (expected organisation, municipalities, include)");
        }
        YAML::Node org = root["organisation"] ? root["organisation"] : root["organization"];
        if (!org || !org.IsMap())
            return err(path, root, "missing 'organisation' with 'id' and 'name'");
        if (auto s = str(path, org, "id", true, inv_.org_id); !s) return s;
        if (auto s = str(path, org, "name", true, inv_.org_name); !s) return s;
        if (!valid_id(inv_.org_id))
            return err(path, org["id"], "invalid id (use letters, digits, '-', '_', '.')");
        if (root["municipalities"]) {
            if (auto s = load_municipalities(path, root["municipalities"]); !s) return s;
        }
        if (YAML::Node inc = root["include"]) {
            if (!inc.IsSequence())
                return err(path, inc, "'include' must be a list of files or globs");
            for (const auto& item : inc) {
                if (!item.IsScalar()) return err(path, item, "include entries must be strings");
                auto files = expand(path.parent_path(), item.as<std::string>());
                if (files.empty() || (files.size() == 1 && !fs::exists(files[0]))) {
                    return err(path, item, "included file not found: " + item.as<std::string>());
                }
                for (const auto& f : files) {
                    if (auto s = load_include(f); !s) return s;
                }
            }
        }
        if (inv_.municipalities.empty()) return err(path, root, "no municipalities defined");
        return Ok{};
    }

  private:
    Expected<YAML::Node> parse_file(const fs::path& path) {
        std::error_code ec;
        if (!fs::is_regular_file(path, ec))
            return Error{"file not found or not a regular file", path.string()};
        {
            std::ifstream in(path, std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
            std::string_view body = bytes;
            if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
            if (!text::is_valid_utf8(body)) {
                std::size_t good = text::first_invalid_utf8(body);
                int line = 1 + static_cast<int>(std::count(
                                   body.begin(), body.begin() + static_cast<long>(good), '\n'));
                return Error{"not UTF-8 (probably Windows-1252): save the file as UTF-8",
                             path.string(), line};
            }
        }
        try {
            return YAML::LoadFile(path.string());
        } catch (const YAML::Exception& e) {
            return Error{"invalid YAML: " + e.msg, path.string(),
                         e.mark.line >= 0 ? e.mark.line + 1 : 0};
        }
    }

    static Error err(const fs::path& file, const YAML::Node& n, std::string msg) {
        return Error{std::move(msg), file.string(), line_of(n)};
    }

    Status str(const fs::path& file, const YAML::Node& map, const char* key, bool required,
               std::string& out) {
        const YAML::Node n = map[key];
        if (!n) {
            if (required) return err(file, map, std::string("missing '") + key + "'");
            return Ok{};
        }
        if (!n.IsScalar()) return err(file, n, std::string("'") + key + "' must be a string");
        out = n.as<std::string>();
        if (required && out.empty())
            return err(file, n, std::string("'") + key + "' must not be empty");
        return Ok{};
    }

    Status load_include(const fs::path& path) {
        auto doc = parse_file(path);
        if (!doc) return doc.error();
        const YAML::Node& root = *doc;
        if (root.IsMap() && root["municipalities"])
            return load_municipalities(path, root["municipalities"]);
        if (root.IsMap() && root["id"]) return load_municipality(path, root);
        return err(
            path, root,
            "an included file must hold 'municipalities:' or one municipality (id, name, assets)");
    }

    Status load_municipalities(const fs::path& path, const YAML::Node& list) {
        if (!list.IsSequence()) return err(path, list, "'municipalities' must be a list");
        for (const auto& m : list) {
            if (auto s = load_municipality(path, m); !s) return s;
        }
        return Ok{};
    }

    Status load_municipality(const fs::path& path, const YAML::Node& m) {
        if (!m.IsMap())
            return err(path, m, "a municipality must be a mapping with id, name, assets");
        Municipality mun;
        mun.file = path.string();
        mun.line = line_of(m);
        for (auto it = m.begin(); it != m.end(); ++it) {
            auto key = it->first.as<std::string>();
            if (key != "id" && key != "name" && key != "ags" && key != "assets" &&
                key != "extended_support" && key != "mfa")
                return err(path, it->first,
                           "unknown key '" + key +
                               "' in municipality (expected id, name, ags, extended_support, "
                               "mfa, assets)");
        }
        if (auto s = str(path, m, "id", true, mun.id); !s) return s;
        if (!valid_id(mun.id))
            return err(
                path, m["id"],
                "invalid municipality id '" + mun.id + "' (use letters, digits, '-', '_', '.')");
        if (!mun_ids_.insert(mun.id).second)
            return err(path, m["id"], "duplicate municipality id '" + mun.id + "'");
        if (auto s = str(path, m, "name", true, mun.name); !s) return s;
        if (auto s = str(path, m, "ags", false, mun.ags); !s) return s;
        if (!mun.ags.empty() &&
            (mun.ags.size() != 8 || !std::all_of(mun.ags.begin(), mun.ags.end(), ::isdigit)))
            return err(path, m["ags"],
                       "AGS must be 8 digits (Amtlicher Gemeindeschlüssel), e.g. \"09162000\"");
        if (m["extended_support"]) {
            auto decl = load_extended_support(path, m);
            if (!decl) return decl.error();
            mun.extended_support = std::move(*decl);
            mun.extended_support->inherited = true;
        }
        if (m["mfa"]) {
            auto decl = load_mfa(path, m);
            if (!decl) return decl.error();
            mun.mfa = std::move(*decl);
            mun.mfa->inherited = true;
        }
        const YAML::Node assets = m["assets"];
        if (assets) {
            if (!assets.IsSequence()) return err(path, assets, "'assets' must be a list");
            for (const auto& a : assets) {
                auto asset = load_asset(path, a);
                if (!asset) return asset.error();
                if (!asset->extended_support) asset->extended_support = mun.extended_support;
                if (!asset->mfa) asset->mfa = mun.mfa;
                mun.assets.push_back(std::move(*asset));
            }
        }
        if (mun.assets.empty())
            inv_.warnings.push_back(path.string() + ":" + std::to_string(mun.line) +
                                    ": municipality '" + mun.id + "' has no assets");
        inv_.municipalities.push_back(std::move(mun));
        return Ok{};
    }

    Expected<Asset> load_asset(const fs::path& path, const YAML::Node& a) {
        if (!a.IsMap()) return err(path, a, "an asset must be a mapping with id, kind, sources");
        Asset asset;
        asset.file = path.string();
        asset.line = line_of(a);
        for (auto it = a.begin(); it != a.end(); ++it) {
            auto key = it->first.as<std::string>();
            static const std::set<std::string> allowed = {"id",          "name",
                                                          "kind",        "sources",
                                                          "url",         "address",
                                                          "ports",       "expected_host",
                                                          "proxy",       "cacert",
                                                          "client_cert", "client_key",
                                                          "collected",   "extended_support",
                                                          "mfa"};
            if (!allowed.count(key))
                return err(path, it->first,
                           "unknown key '" + key +
                               "' in asset (expected id, name, kind, sources, collected, "
                               "extended_support, mfa, url, address, ports, expected_host, "
                               "proxy, cacert, client_cert, client_key)");
        }
        if (auto s = str(path, a, "id", true, asset.id); !s) return s.error();
        if (!valid_id(asset.id))
            return err(path, a["id"],
                       "invalid asset id '" + asset.id + "' (use letters, digits, '-', '_', '.')");
        if (!asset_ids_.insert(asset.id).second)
            return err(path, a["id"],
                       "duplicate asset id '" + asset.id +
                           "' (asset ids are unique in the whole inventory)");
        if (auto s = str(path, a, "name", false, asset.name); !s) return s.error();
        if (auto s = str(path, a, "kind", true, asset.kind); !s) return s.error();
        const auto& kinds = known_asset_kinds();
        if (std::find(kinds.begin(), kinds.end(), asset.kind) == kinds.end()) {
            std::string list;
            for (const auto& k : kinds) list += (list.empty() ? "" : ", ") + k;
            return err(path, a["kind"],
                       "unknown asset kind '" + asset.kind + "' (known: " + list + ")");
        }
        if (auto s = load_probe_target(path, a, asset); !s) return s.error();
        if (a["collected"]) {
            auto d = declared_date(path, a["collected"], "collected");
            if (!d) return d.error();
            asset.collected = *d;
        }
        if (a["extended_support"]) {
            auto decl = load_extended_support(path, a);
            if (!decl) return decl.error();
            asset.extended_support = std::move(*decl);
        }
        if (a["mfa"]) {
            auto decl = load_mfa(path, a);
            if (!decl) return decl.error();
            asset.mfa = std::move(*decl);
        }
        const YAML::Node sources = a["sources"];
        if (sources) {
            if (!sources.IsSequence()) return err(path, sources, "'sources' must be a list");
            for (const auto& s : sources) {
                SourceSpec spec;
                spec.file = path.string();
                spec.line = line_of(s);
                if (s.IsScalar()) {
                    spec.pattern = s.as<std::string>();
                } else if (s.IsMap()) {
                    for (auto it = s.begin(); it != s.end(); ++it) {
                        auto key = it->first.as<std::string>();
                        if (key != "path" && key != "type" && key != "collected")
                            return err(path, it->first,
                                       "unknown key '" + key +
                                           "' in source (expected path, type, collected)");
                    }
                    if (auto st = str(path, s, "path", true, spec.pattern); !st) return st.error();
                    if (auto st = str(path, s, "type", false, spec.type); !st) return st.error();
                    if (s["collected"]) {
                        auto d = declared_date(path, s["collected"], "collected");
                        if (!d) return d.error();
                        spec.collected = *d;
                    }
                } else {
                    return err(path, s,
                               "a source is a path string or a mapping with path and type");
                }
                if (spec.pattern.empty()) return err(path, s, "empty source path");
                asset.specs.push_back(spec);
                auto files = expand(path.parent_path(), spec.pattern);
                if (files.empty()) {
                    std::string msg = "source pattern '" + spec.pattern + "' matched no file";
                    asset.problems.push_back(msg);
                    inv_.warnings.push_back(path.string() + ":" + std::to_string(spec.line) + ": " +
                                            msg);
                }
                for (const auto& f : files) {
                    // Lexical (no file system calls: inventories list thousands of files).
                    fs::path rel = fs::absolute(f).lexically_normal().lexically_relative(base_dir_);
                    bool outside = rel.empty() || *rel.begin() == "..";
                    std::string display = outside ? f.string() : rel.string();
                    asset.sources.push_back(SourceFile{f, display, spec.type, spec.collected});
                }
            }
        }
        return asset;
    }

    // A calendar date written as YYYY-MM-DD (quoted or not).
    static Expected<DeclaredDate> declared_date(const fs::path& file, const YAML::Node& n,
                                                const std::string& key) {
        std::string text = n.IsScalar() ? n.as<std::string>() : std::string();
        auto d = text.size() == 10 ? parse_iso_date(text) : std::nullopt;
        if (!d) return err(file, n, "'" + key + "' must be a date YYYY-MM-DD, e.g. 2026-11-02");
        return DeclaredDate{*d, file.string(), line_of(n)};
    }

    // `extended_support: {until, contract, note}` of the mapping `owner`.
    static Expected<ExtendedSupportDecl> load_extended_support(const fs::path& file,
                                                               const YAML::Node& owner) {
        const YAML::Node n = owner["extended_support"];
        if (!n.IsMap())
            return err(file, n,
                       "'extended_support' must be a mapping {until: YYYY-MM-DD, contract: "
                       "\"...\"}");
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto key = it->first.as<std::string>();
            if (key != "until" && key != "contract" && key != "note")
                return err(file, it->first,
                           "unknown key '" + key +
                               "' in extended_support (expected until, contract, note)");
        }
        ExtendedSupportDecl decl;
        decl.file = file.string();
        for (auto it = owner.begin(); it != owner.end(); ++it)  // the key's line, not the value's
            if (it->first.as<std::string>() == "extended_support") decl.line = line_of(it->first);
        if (!n["until"]) return err(file, n, "extended_support needs 'until' (YYYY-MM-DD)");
        auto until = declared_date(file, n["until"], "until");
        if (!until) return until.error();
        decl.until = until->date;
        for (auto [key, field] : {std::pair{"contract", &decl.contract}, {"note", &decl.note}}) {
            const YAML::Node v = n[key];
            if (!v) continue;
            if (!v.IsScalar()) return err(file, v, std::string("'") + key + "' must be a text");
            *field = std::string(text::trim(v.as<std::string>()));
        }
        if (decl.contract.empty())
            return err(file, n,
                       "extended_support needs 'contract': the contract or licence that provides "
                       "it (e.g. \"Microsoft ESU Jahr 2, Vertrag 4711\")");
        return decl;
    }

    // `mfa: {method, note}` of the mapping `owner`.
    static Expected<MfaDecl> load_mfa(const fs::path& file, const YAML::Node& owner) {
        const YAML::Node n = owner["mfa"];
        const auto& approved = approved_mfa_methods();
        std::string list;
        for (const auto& m : approved) list += (list.empty() ? "" : ", ") + m;
        if (!n.IsMap())
            return err(file, n, "'mfa' must be a mapping {method: " + list + ", note: \"...\"}");
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto key = it->first.as<std::string>();
            if (key != "method" && key != "note")
                return err(file, it->first,
                           "unknown key '" + key + "' in mfa (expected method, note)");
        }
        MfaDecl decl;
        decl.file = file.string();
        for (auto it = owner.begin(); it != owner.end(); ++it)  // the key's line, not the value's
            if (it->first.as<std::string>() == "mfa") decl.line = line_of(it->first);
        for (auto [key, field] : {std::pair{"method", &decl.method}, {"note", &decl.note}}) {
            const YAML::Node v = n[key];
            if (!v) continue;
            if (!v.IsScalar()) return err(file, v, std::string("'") + key + "' must be a text");
            *field = std::string(text::trim(v.as<std::string>()));
        }
        if (std::find(approved.begin(), approved.end(), decl.method) == approved.end())
            return err(file, n,
                       "mfa needs 'method', one of the methods the BSI password policy approves "
                       "for tier 2: " +
                           list + (decl.method.empty() ? "" : " (not '" + decl.method + "')"));
        if (decl.note.empty())
            return err(file, n,
                       "mfa needs 'note': how MFA is enforced for every interactive logon (e.g. "
                       "\"FIDO2-Schlüssel für alle Konten, Richtlinie AD-MFA-01, geprüft "
                       "2026-11-02\")");
        return decl;
    }

    // Reads url/address/ports/... of a live target; paths are made relative to `path`'s folder.
    Status load_probe_target(const fs::path& path, const YAML::Node& a, Asset& asset) {
        ProbeTarget& t = asset.probe;
        for (auto [key, field] : {std::pair{"url", &t.url},
                                  {"address", &t.address},
                                  {"expected_host", &t.expected_host},
                                  {"proxy", &t.proxy},
                                  {"cacert", &t.cacert},
                                  {"client_cert", &t.client_cert},
                                  {"client_key", &t.client_key}}) {
            if (auto s = str(path, a, key, false, *field); !s) return s;
        }
        for (std::string* file : {&t.cacert, &t.client_cert, &t.client_key}) {
            if (!file->empty() && fs::path(*file).is_relative())
                *file = (path.parent_path() / *file).string();
        }
        if (!t.url.empty()) {
            bool http = t.url.rfind("http://", 0) == 0 || t.url.rfind("https://", 0) == 0;
            if (!http || t.url.find_first_of(" \t\r\n\"<>") != std::string::npos ||
                t.url.size() < 9)
                return err(path, a["url"],
                           "'url' must be an http:// or https:// URL, e.g. "
                           "https://buergerservice.example.de/");
        }
        if (const YAML::Node ports = a["ports"]) {
            if (!ports.IsSequence())
                return err(path, ports, "'ports' must be a list of port numbers");
            for (const auto& p : ports) {
                int port = 0;
                try {
                    port = p.as<int>();
                } catch (const YAML::Exception&) {
                }
                if (port < 1 || port > 65535)
                    return err(path, p, "a port must be a number from 1 to 65535");
                t.ports.push_back(port);
            }
            if (t.address.empty()) return err(path, ports, "'ports' needs an 'address' to probe");
        }
        if (asset.kind == "web-endpoint" && t.url.empty() && !a["sources"])
            return err(
                path, a,
                "a web-endpoint needs 'url' (probed live) or 'sources' (recorded probe results)");
        if (asset.kind == "host" && t.address.empty() && !a["sources"])
            return err(path, a, "a host needs 'address' (ports probed live) or 'sources'");
        return Ok{};
    }

    Inventory& inv_;
    fs::path base_dir_;  // folder of the root inventory: report paths are relative to it
    std::set<std::string> mun_ids_;
    std::set<std::string> asset_ids_;
};

}  // namespace

std::size_t Inventory::asset_count() const {
    std::size_t n = 0;
    for (const auto& m : municipalities) n += m.assets.size();
    return n;
}

const std::vector<std::string>& approved_mfa_methods() {
    // Passwortrichtlinie (BSI component definition), section 3, Stufe 2, condition 1: "(a)
    // TOTP-Authenticator-Apps oder (b) FIDO2/WebAuthn-Hardware-Schlüssel oder (c)
    // FIDO2/WebAuthn-Passkeys".
    static const std::vector<std::string> methods = {"totp", "fido2", "passkey"};
    return methods;
}

const std::vector<std::string>& known_asset_kinds() {
    static const std::vector<std::string> kinds = {
        "windows-client", "windows-server", "linux-server", "linux-client",
        "domain",         "web-endpoint",   "host",         "network-device"};
    return kinds;
}

Expected<Inventory> load_inventory(const fs::path& path) {
    Inventory inv;
    inv.file = path;
    Loader loader(inv);
    try {
        if (auto s = loader.load_root(path); !s) return s.error();
    } catch (const YAML::Exception& e) {
        return Error{"invalid inventory: " + e.msg, path.string(),
                     e.mark.line >= 0 ? e.mark.line + 1 : 0};
    }
    return inv;
}

}  // namespace grundscan
