// sshd_config collector: `Keyword arguments` lines (sshd_config(5)), with Include resolved
// inside the asset's exported files.
#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

// Splits an sshd_config line into keyword and argument text: separated by blanks and/or one
// '='. A '#' that starts a word ends the line (as OpenSSH's argv_split does).
bool split_line(std::string_view line, std::string& keyword, std::string& args) {
    auto t = text::trim(line);
    for (std::size_t i = 1; i < t.size(); ++i) {
        if (t[i] == '#' && (t[i - 1] == ' ' || t[i - 1] == '\t')) {
            t = text::trim(t.substr(0, i));
            break;
        }
    }
    if (t.empty() || t.front() == '#') return false;
    auto end = t.find_first_of(" \t=");
    keyword = text::to_lower(t.substr(0, end));
    if (end == std::string_view::npos) {
        args.clear();
        return true;
    }
    auto rest = text::trim(t.substr(end));
    if (!rest.empty() && rest.front() == '=') rest = text::trim(rest.substr(1));
    args = std::string(rest);
    return true;
}

// Keywords sshd accepts, lower-case (a few are read; the rest mark the file as sshd_config).
constexpr std::string_view kKnownKeywords =
    "acceptenv addressfamily allowagentforwarding allowgroups allowstreamlocalforwarding "
    "allowtcpforwarding allowusers authenticationmethods authorizedkeyscommand "
    "authorizedkeyscommanduser authorizedkeysfile authorizedprincipalscommand "
    "authorizedprincipalscommanduser authorizedprincipalsfile banner casignaturealgorithms "
    "challengeresponseauthentication channeltimeout chrootdirectory ciphers "
    "clientalivecountmax clientaliveinterval compression denygroups denyusers "
    "disableforwarding exposeauthinfo fingerprinthash forcecommand gatewayports "
    "gssapiauthentication gssapicleanupcredentials gssapikeyexchange "
    "gssapistrictacceptorcheck hostbasedacceptedalgorithms hostbasedacceptedkeytypes "
    "hostbasedauthentication hostbasedusesnamefrompacketonly hostcertificate hostkey "
    "hostkeyagent hostkeyalgorithms ignorerhosts ignoreuserknownhosts include ipqos "
    "kbdinteractiveauthentication kerberosauthentication kerberosorlocalpasswd "
    "kerberosticketcleanup kexalgorithms keyregenerationinterval listenaddress logingracetime "
    "loglevel logverbose macs match maxauthtries maxsessions maxstartups modulifile "
    "passwordauthentication permitemptypasswords permitlisten permitopen permitrootlogin "
    "permittty permittunnel permituserenvironment permituserrc persourcemaxstartups "
    "persourcenetblocksize pidfile port printlastlog printmotd protocol "
    "pubkeyacceptedalgorithms pubkeyacceptedkeytypes pubkeyauthentication pubkeyauthoptions "
    "rekeylimit requiredrsasize revokedkeys rhostsrsaauthentication rsaauthentication "
    "securitykeyprovider serverkeybits setenv streamlocalbindmask streamlocalbindunlink "
    "strictmodes subsystem syslogfacility tcpkeepalive trustedusercakeys "
    "unusedconnectiontimeout usedns uselogin usepam useprivilegeseparation versionaddendum "
    "x11displayoffset x11forwarding x11uselocalhost xauthlocation debianbanner "
    "gssapistorecredentialsonrekey kerberosgetafstoken gssapikexalgorithms gssapienablek5users "
    "kerberosuniqueccache kerberosusekuserok ";

// How weak a value of a security-relevant keyword is (higher = weaker); -1 = not compared.
int weakness_rank(const std::string& kw, const std::string& v) {
    if (kw == "permitrootlogin") {
        if (v == "no") return 0;
        if (v == "forced-commands-only") return 1;
        if (v == "prohibit-password") return 2;
        if (v == "yes") return 3;
        return -1;
    }
    if (kw == "passwordauthentication" || kw == "permitemptypasswords" || kw == "x11forwarding") {
        if (v == "no") return 0;
        if (v == "yes") return 1;
        return -1;
    }
    if (kw == "maxauthtries") {
        long long n = 0;
        return text::parse_int(v, n) && n >= 0 && n < 1000000 ? static_cast<int>(n) : -1;
    }
    return -1;
}

const char* fact_for_keyword(const std::string& kw) {
    if (kw == "permitrootlogin") return "ssh.permit_root_login";
    if (kw == "passwordauthentication") return "ssh.password_authentication";
    if (kw == "permitemptypasswords") return "ssh.permit_empty_passwords";
    if (kw == "x11forwarding") return "ssh.x11_forwarding";
    if (kw == "maxauthtries") return "ssh.max_auth_tries";
    return nullptr;
}

bool known_keyword(std::string_view k) {
    for (auto known : text::split_ws(kKnownKeywords))
        if (known == k) return true;
    return false;
}

bool detect(std::string_view text, std::string_view filename) {
    if (filename.find("sshd_config") != std::string_view::npos) return true;
    // Content: active or commented keywords that only sshd_config uses.
    int hits = 0;
    for (auto line : text::split_lines(text)) {
        auto t = text::trim(line);
        if (!t.empty() && t.front() == '#') t = text::trim(t.substr(1));
        auto f = text::split_ws(t);
        if (f.empty()) continue;
        auto k = text::to_lower(f[0]);
        if (k == "permitrootlogin" || k == "passwordauthentication" || k == "usepam" ||
            k == "subsystem" || k == "pubkeyauthentication" || k == "x11forwarding" ||
            k == "hostkey" || k == "challengeresponseauthentication" || k == "authorizedkeysfile")
            ++hits;
    }
    return hits >= 2;
}

// OpenSSH keeps these defaults (sshd_config(5)) unchanged from 7.4 to 10.x, the versions in
// Debian 10-13 and RHEL 8-9 (PermitRootLogin prohibit-password since 7.0). Crypto lists have
// no entry: their defaults differ between versions.
struct DefaultSetting {
    const char* keyword;
    const char* name;
    const char* value;
};
constexpr DefaultSetting kDefaults[] = {
    {"permitrootlogin", "PermitRootLogin", "prohibit-password"},
    {"passwordauthentication", "PasswordAuthentication", "yes"},
    {"permitemptypasswords", "PermitEmptyPasswords", "no"},
    {"x11forwarding", "X11Forwarding", "no"},
    {"maxauthtries", "MaxAuthTries", "6"},
    {"clientaliveinterval", "ClientAliveInterval", "0"},
};

constexpr int kMaxIncludeDepth = 16;  // SERVCONF_MAX_DEPTH in OpenSSH
constexpr int kMaxIncludedFiles = 256;

// One setting as read: the first value obtained (global) or the weakest (Match blocks).
struct Setting {
    std::string value;  // unquoted, as written
    int line = 0;
    std::string excerpt;
    std::string source;  // display name of an included file; empty for the parsed text itself
    int rank = -1;       // Match blocks: weakness_rank of the value
};

class SshdParser {
  public:
    explicit SshdParser(const SshdIncludeResolver* resolver) : resolver_(resolver) {}

    // Reads one file's lines. `source` is empty for the main text. `in_match` is the Match
    // state at the Include that named this file (a Match block in it ends at its end).
    Status read(std::string_view text, const std::string& source, int depth, bool in_match) {
        auto lines = text::split_lines(text);
        for (std::size_t i = 0; i < lines.size(); ++i) {
            int lineno = static_cast<int>(i) + 1;
            std::string kw, args;
            if (!split_line(lines[i], kw, args)) continue;
            std::string excerpt(text::trim(lines[i]));
            if (!known_keyword(kw)) {
                unknown_.push_back(Setting{"", lineno, excerpt, source});
                continue;
            }
            if (source.empty()) ++known_in_main_;
            if (kw == "match") {
                if (!match_warned_) {
                    warn(
                        "settings inside Match blocks apply only to matching connections; where "
                        "they are weaker than the global setting, the weaker value is evaluated",
                        lineno, source);
                    match_warned_ = true;
                }
                in_match = true;
                match_line_ = excerpt;
                continue;
            }
            if (kw == "include") {
                auto st = include(args, lineno, source, depth, in_match);
                if (!st) return st;
                continue;
            }
            if (in_match) {
                std::string v = text::to_lower(std::string(text::unquote(args)));
                if (v == "without-password") v = "prohibit-password";
                int r = weakness_rank(kw, v);
                if (r >= 0) {
                    auto it = weakest_in_match_.find(kw);
                    if (it == weakest_in_match_.end() || r > it->second.rank)
                        weakest_in_match_[kw] =
                            Setting{v, lineno, match_line_ + ": " + excerpt, source, r};
                }
                continue;
            }
            if (global_.contains(kw)) continue;  // sshd: the first value obtained is used
            if (blocked_) {
                // An unresolved Include before this line may have set it.
                shadowed_.insert(std::string(text::trim(lines[i]).substr(0, kw.size())));
                continue;
            }
            global_.emplace(kw, Setting{std::string(text::unquote(args)), lineno, excerpt, source});
        }
        return Ok{};
    }

    // Facts and warnings. `apply_defaults`: the text is a whole configuration (a main file);
    // keys it does not set get OpenSSH's documented default unless an Include was unresolved.
    Expected<ParseOutput> finish(bool apply_defaults) {
        if (known_in_main_ == 0) {
            for (const auto& u : unknown_) {
                if (u.source.empty())
                    return Error{"not an sshd_config file: no sshd keyword", "", u.line};
            }
        }
        for (const auto& u : unknown_) warn("unknown sshd keyword: " + u.excerpt, u.line, u.source);
        out_.add("ssh.config_exported", true, 0, "sshd_config");
        for (const auto& [kw, setting] : global_) add_setting(kw, setting);
        if (apply_defaults && !blocked_) {
            for (const auto& d : kDefaults) {
                if (global_.contains(d.keyword)) continue;
                Setting s{d.value, 0,
                          std::string(d.name) +
                              " (nicht gesetzt, Standardwert von OpenSSH: " + d.value + ")",
                          ""};
                add_setting(d.keyword, s, kSshdDefaultPriority);
            }
        }
        for (const auto& u : unresolved_) {
            std::string msg = u.value;
            if (!u.rank && !shadowed_.empty()) {  // the first one, in the global section
                std::string names;
                for (const auto& n : shadowed_) names += (names.empty() ? "" : ", ") + n;
                msg += " (set after it, hence unknown: " + names + ")";
            }
            warn(msg, 0, "");
        }
        if (match_blocked_) {
            // An unresolved Include inside a Match block may weaken any setting for some
            // connections: the settings a Match block can weaken are unknown.
            std::erase_if(out_.facts, [](const Fact& f) {
                for (const char* kw : {"permitrootlogin", "passwordauthentication",
                                       "permitemptypasswords", "x11forwarding", "maxauthtries"})
                    if (f.name == fact_for_keyword(kw)) return true;
                return false;
            });
        } else {
            apply_weaker_match_settings();
        }
        return std::move(out_);
    }

    std::vector<std::filesystem::path>& consumed() { return out_.consumed; }

  private:
    void warn(std::string message, int line, const std::string& source) {
        out_.warn(std::move(message), line);
        out_.warnings.back().source = source;
    }

    void add(const char* fact, FactValue value, const Setting& s, int priority) {
        out_.add(fact, std::move(value), s.line, s.excerpt, priority);
        out_.facts.back().provenance.source = s.source;
    }

    void add_setting(const std::string& kw, const Setting& s, int priority = 0) {
        std::string lower = text::to_lower(s.value);
        auto add_bool = [&](const char* fact) {
            if (lower == "yes") {
                add(fact, true, s, priority);
            } else if (lower == "no") {
                add(fact, false, s, priority);
            } else {
                warn("expected yes or no: " + s.excerpt, s.line, s.source);
            }
        };
        auto add_int = [&](const char* fact) {
            long long n = 0;
            if (text::parse_int(s.value, n) && n >= 0) {
                add(fact, std::int64_t{n}, s, priority);
            } else {
                warn("expected a non-negative integer: " + s.excerpt, s.line, s.source);
            }
        };
        auto add_list = [&](const char* fact) {
            std::string_view v = s.value;
            if (!v.empty() && v.front() == '-') {
                warn(
                    "the list removes algorithms from the built-in defaults; the effective "
                    "list is unknown: " +
                        s.excerpt,
                    s.line, s.source);
                return;
            }
            if (!v.empty() && (v.front() == '+' || v.front() == '^')) {
                warn(
                    "the list adds algorithms to the built-in defaults; only the added "
                    "ones are listed: " +
                        s.excerpt,
                    s.line, s.source);
                v.remove_prefix(1);
            }
            StringList list;
            for (auto item : text::split(v, ',')) {
                auto t = text::trim(item);
                if (!t.empty()) list.emplace_back(t);
            }
            if (list.empty()) {
                warn("empty algorithm list: " + s.excerpt, s.line, s.source);
                return;
            }
            add(fact, std::move(list), s, priority);
        };
        if (kw == "permitrootlogin") {
            if (lower == "without-password") lower = "prohibit-password";
            if (lower == "yes" || lower == "no" || lower == "prohibit-password" ||
                lower == "forced-commands-only") {
                add("ssh.permit_root_login", lower, s, priority);
            } else {
                warn("unknown PermitRootLogin value: " + s.excerpt, s.line, s.source);
            }
        } else if (kw == "passwordauthentication") {
            add_bool("ssh.password_authentication");
        } else if (kw == "permitemptypasswords") {
            add_bool("ssh.permit_empty_passwords");
        } else if (kw == "x11forwarding") {
            add_bool("ssh.x11_forwarding");
        } else if (kw == "maxauthtries") {
            add_int("ssh.max_auth_tries");
        } else if (kw == "clientaliveinterval") {
            add_int("ssh.client_alive_interval");
        } else if (kw == "protocol") {
            if (s.value.empty()) {
                warn("Protocol without a value", s.line, s.source);
            } else {
                add("ssh.protocol", s.value, s, priority);
            }
        } else if (kw == "ciphers") {
            add_list("ssh.ciphers");
        } else if (kw == "macs") {
            add_list("ssh.macs");
        } else if (kw == "kexalgorithms") {
            add_list("ssh.kex_algorithms");
        }
    }

    Status include(const std::string& args, int lineno, const std::string& source, int depth,
                   bool in_match) {
        std::string where =
            "line " + std::to_string(lineno) + (source.empty() ? "" : " of " + source);
        for (auto arg : text::split_ws(args)) {
            if (arg.front() == '#') break;
            std::string pattern(text::unquote(arg));
            SshdIncludeMatch m;
            if (resolver_) {
                m = (*resolver_)(pattern);
            } else {
                m.reason = "included files are not part of this export";
            }
            if (!m.resolved) {
                std::string msg =
                    "Include " + pattern + " (" + where + ") is not in the export: " + m.reason;
                if (in_match) {
                    match_blocked_ = true;
                    msg += "; settings inside Match blocks are unknown";
                    unresolved_.push_back(Setting{msg, lineno, "", source, 1});
                } else {
                    msg += blocked_ ? ""
                                    : "; every setting not made before this line is unknown "
                                      "(bundle the files with `grundscan collect --local` or "
                                      "export `sshd -T`)";
                    unresolved_.push_back(Setting{msg, lineno, "", source, blocked_ ? 1 : 0});
                    blocked_ = true;
                }
                continue;
            }
            if (depth + 1 > kMaxIncludeDepth)
                return Error{"Include nested deeper than " + std::to_string(kMaxIncludeDepth) +
                                 " levels (" + where + ")",
                             "", lineno};
            for (const auto& f : m.files) {
                if (++included_files_ > kMaxIncludedFiles)
                    return Error{"more than " + std::to_string(kMaxIncludedFiles) +
                                     " included files (" + where + ")",
                                 "", lineno};
                out_.consumed.push_back(f.path);
                auto st = read(f.text, f.display, depth + 1, in_match);
                if (!st) return st;
            }
        }
        return Ok{};
    }

    // Replaces a global fact by the weaker value a Match block sets: some connections get
    // that value. Without a global fact (unknown) nothing is added.
    void apply_weaker_match_settings() {
        for (const auto& [kw, m] : weakest_in_match_) {
            const char* fact = fact_for_keyword(kw);
            if (!fact) continue;
            auto it = std::find_if(out_.facts.begin(), out_.facts.end(),
                                   [&](const Fact& f) { return f.name == fact; });
            if (it == out_.facts.end()) continue;
            std::string global = text::to_lower(fact_value_to_string(it->value));
            if (global == "true") global = "yes";
            if (global == "false") global = "no";
            if (weakness_rank(kw, global) >= m.rank) continue;
            out_.facts.erase(it);
            FactValue value;
            if (kw == "permitrootlogin") {
                value = m.value;
            } else if (kw == "maxauthtries") {
                value = static_cast<std::int64_t>(m.rank);
            } else {
                value = m.value == "yes";
            }
            add(fact, std::move(value), m, kSshdMatchPriority);
        }
    }

    const SshdIncludeResolver* resolver_;
    ParseOutput out_;
    std::map<std::string, Setting> global_;
    std::map<std::string, Setting> weakest_in_match_;
    std::vector<Setting> unknown_;
    std::vector<Setting> unresolved_;  // value: message; rank 0: the one that blocks
    std::set<std::string> shadowed_;
    std::string match_line_;
    int known_in_main_ = 0;
    int included_files_ = 0;
    bool match_warned_ = false;
    bool blocked_ = false;
    bool match_blocked_ = false;
};

// Maps Include patterns onto the asset's exported files. Layout: when the main file lies at
// <root>/etc/ssh/<name>, host paths map to <root>/<path>; otherwise the main file's
// directory stands for /etc/ssh and only paths under /etc/ssh can be mapped.
class BundleResolver {
  public:
    BundleResolver(const SourceContext& ctx) : ctx_(ctx) {
        main_ = norm(ctx.path);
        auto parent = main_.parent_path();
        if (parent.filename() == "ssh" && parent.parent_path().filename() == "etc") {
            root_ = parent.parent_path().parent_path();
            layout_ = true;
        } else {
            ssh_dir_ = parent;
        }
        for (const auto& f : ctx.asset_files) files_.emplace(norm(f.path).generic_string(), &f);
    }

    SshdIncludeMatch operator()(const std::string& pattern) const {
        SshdIncludeMatch m;
        std::filesystem::path host = pattern.starts_with("/")
                                         ? std::filesystem::path(pattern)
                                         : std::filesystem::path("/etc/ssh") / pattern;
        host = host.lexically_normal();
        std::filesystem::path mapped;
        if (layout_) {
            mapped = (root_ / host.relative_path()).lexically_normal();
        } else {
            auto rel = host.lexically_relative("/etc/ssh");
            if (rel.empty() || *rel.begin() == "..") {
                m.reason = "only files under /etc/ssh can be mapped next to " + ctx_.display +
                           "; export a bundle with the host's directory layout (etc/ssh/...)";
                return m;
            }
            mapped = (ssh_dir_ / rel).lexically_normal();
        }
        std::string pat = mapped.generic_string();
        std::string dir = mapped.parent_path().generic_string();
        bool dir_glob = dir.find_first_of("*?[") != std::string::npos;
        std::vector<const AssetSourceFile*> hits;
        for (const auto& [path, f] : files_) {
            if (::fnmatch(pat.c_str(), path.c_str(), FNM_PATHNAME | FNM_PERIOD) == 0)
                hits.push_back(f);
        }
        // Files present in the exported directory but not sources of the asset.
        std::vector<std::string> unlisted;
        std::error_code ec;
        if (!dir_glob && std::filesystem::is_directory(dir, ec)) {
            std::string last = mapped.filename().string();
            for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
                std::string full = norm(e.path()).generic_string();
                if (::fnmatch(last.c_str(), e.path().filename().c_str(), FNM_PERIOD) == 0 &&
                    !files_.contains(full) && !e.is_directory(ec))
                    unlisted.push_back(e.path().filename().string());
            }
            std::sort(unlisted.begin(), unlisted.end());
        }
        if (!unlisted.empty()) {
            m.reason = unlisted.front() +
                       " is in the exported directory but not a source of the "
                       "asset; list it in the inventory";
            return m;
        }
        if (hits.empty()) {
            if (!dir_glob && std::filesystem::is_directory(dir, ec) &&
                mapped.filename().string().find_first_of("*?[") != std::string::npos) {
                m.resolved = true;  // the directory was exported and holds no matching file
                return m;
            }
            m.reason = "no file of the export matches " + host.generic_string();
            return m;
        }
        for (const auto* f : hits) {
            auto text = ctx_.read(f->path);
            if (!text) {
                m.reason = f->display + ": " + text.error().message;
                return m;
            }
            m.files.push_back(SshdFile{f->path, f->display, std::move(*text)});
        }
        m.resolved = true;
        return m;
    }

  private:
    static std::filesystem::path norm(const std::filesystem::path& p) {
        std::error_code ec;
        auto abs = std::filesystem::absolute(p, ec);
        return (ec ? p : abs).lexically_normal();
    }

    const SourceContext& ctx_;
    std::filesystem::path main_, root_, ssh_dir_;
    bool layout_ = false;
    std::map<std::string, const AssetSourceFile*> files_;  // sorted: glob(3) order
};

// A drop-in: a file in a *.d directory, or an exported name saying so.
bool is_drop_in(const std::filesystem::path& p) {
    std::string parent = p.parent_path().filename().string();
    std::string name = p.filename().string();
    if (parent.size() > 2 && parent.ends_with(".d")) return true;
    if (name.find("sshd_config.d") != std::string::npos) return true;
    return name.ends_with(".conf") && name.find("sshd_config") == std::string::npos;
}

Expected<ParseOutput> parse_in_bundle(std::string_view text, const SourceContext& ctx) {
    if (is_drop_in(ctx.path)) {
        // Not included by a main file of this asset (else the runner would not ask): whether
        // and where sshd reads it is unknown.
        auto check = parse_sshd_config_with_includes(text, nullptr, false);
        if (!check) return check;
        ParseOutput out;
        out.add("ssh.config_exported", true, 0, "sshd_config drop-in");
        out.warn(
            "drop-in file that no exported sshd_config includes: its settings are not used "
            "(export /etc/ssh/sshd_config too, or `sshd -T`)");
        return out;
    }
    // Defaults only for a file named like the main configuration: a fragment under another
    // name (e.g. a crypto-policies back-end no exported file includes) is not the whole
    // configuration, its explicit settings are all it tells.
    bool main = ctx.path.filename().string().find("sshd_config") != std::string::npos;
    BundleResolver bundle(ctx);
    SshdIncludeResolver resolver = [&](const std::string& pattern) { return bundle(pattern); };
    return parse_sshd_config_with_includes(text, &resolver, main);
}

}  // namespace

Expected<ParseOutput> parse_sshd_config_with_includes(std::string_view text,
                                                      const SshdIncludeResolver* resolver,
                                                      bool apply_defaults) {
    SshdParser parser(resolver);
    auto st = parser.read(text, "", 0, false);
    if (!st) return st.error();
    return parser.finish(apply_defaults);
}

Expected<ParseOutput> parse_sshd_config(std::string_view text) {
    return parse_sshd_config_with_includes(text, nullptr, true);
}

const CollectorInfo& sshd_config_collector() {
    static const CollectorInfo c{"sshd-config", "OpenSSH server configuration (sshd_config)",
                                 &detect, &parse_sshd_config, &parse_in_bundle};
    return c;
}

}  // namespace grundscan
