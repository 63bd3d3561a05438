// sshd_config collector: `Keyword arguments` lines (sshd_config(5)).
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
    "gssapistorecredentialsonrekey kerberosgetafstoken ";

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

// Replaces a global fact by the weaker value a Match block sets (or adds it when the global
// setting is not explicit): some connections get that value.
template <class Settings>
void apply_weaker_match_settings(ParseOutput& out, const Settings& weakest) {
    for (const auto& [kw, m] : weakest) {
        const char* fact = fact_for_keyword(kw);
        if (!fact) continue;
        auto it = std::find_if(out.facts.begin(), out.facts.end(),
                               [&](const Fact& f) { return f.name == fact; });
        if (it != out.facts.end()) {
            std::string global = text::to_lower(fact_value_to_string(it->value));
            if (global == "true") global = "yes";
            if (global == "false") global = "no";
            if (weakness_rank(kw, global) >= m.rank) continue;
            out.facts.erase(it);
        }
        FactValue value;
        if (kw == "permitrootlogin") {
            value = m.value;
        } else if (kw == "maxauthtries") {
            value = static_cast<std::int64_t>(m.rank);
        } else {
            value = m.value == "yes";
        }
        out.add(fact, std::move(value), m.line, m.excerpt);
    }
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

}  // namespace

// Facts, only for options set explicitly before the first Match block (first occurrence
// wins, as in sshd): ssh.permit_root_login (lower-case; without-password →
// prohibit-password), ssh.password_authentication, ssh.permit_empty_passwords,
// ssh.x11_forwarding, ssh.max_auth_tries, ssh.client_alive_interval, ssh.protocol,
// ssh.ciphers, ssh.macs, ssh.kex_algorithms (lists as written; a '+'/'^' list names only the
// added algorithms, a '-' list yields no fact). Warnings: Match (once), each Include, bad
// values, unknown keywords. Text without any sshd keyword is an Error; a file with only
// comments yields no facts.
Expected<ParseOutput> parse_sshd_config(std::string_view text) {
    ParseOutput out;
    std::set<std::string> seen;
    int known = 0;
    std::vector<std::pair<int, std::string>> unknown;
    bool in_match = false;
    std::string match_line;
    // Settings inside Match blocks that are weaker than the global ones (they apply to some
    // connections, so an audit must count them): keyword -> (rank, value, line, excerpt).
    struct MatchSetting {
        int rank;
        std::string value;
        int line;
        std::string excerpt;
    };
    std::map<std::string, MatchSetting> weakest_in_match;
    auto lines = text::split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        int lineno = static_cast<int>(i) + 1;
        std::string kw, args;
        if (!split_line(lines[i], kw, args)) continue;
        std::string excerpt(text::trim(lines[i]));
        if (!known_keyword(kw)) {
            unknown.emplace_back(lineno, excerpt);
            continue;
        }
        ++known;
        if (kw == "match") {
            if (!in_match) {
                out.warn(
                    "settings inside Match blocks apply only to matching connections; where "
                    "they are weaker than the global setting, the weaker value is evaluated",
                    lineno);
            }
            in_match = true;
            match_line = excerpt;
            continue;
        }
        if (in_match) {
            std::string v = text::to_lower(std::string(text::unquote(args)));
            if (v == "without-password") v = "prohibit-password";
            int r = weakness_rank(kw, v);
            if (r >= 0) {
                auto it = weakest_in_match.find(kw);
                if (it == weakest_in_match.end() || r > it->second.rank)
                    weakest_in_match[kw] = MatchSetting{r, v, lineno, match_line + ": " + excerpt};
            }
            continue;
        }
        if (kw == "include") {
            out.warn("Include " + args +
                         ": settings in included files are not part of this export; bundle "
                         "them with `grundscan collect --local`",
                     lineno);
            continue;
        }
        if (!seen.insert(kw).second) continue;  // sshd: the first value obtained is used
        std::string value(text::unquote(args));
        std::string lower = text::to_lower(value);

        auto add_bool = [&](const char* fact) {
            if (lower == "yes") {
                out.add(fact, true, lineno, excerpt);
            } else if (lower == "no") {
                out.add(fact, false, lineno, excerpt);
            } else {
                out.warn("expected yes or no: " + excerpt, lineno);
            }
        };
        auto add_int = [&](const char* fact) {
            long long n = 0;
            if (text::parse_int(value, n) && n >= 0) {
                out.add(fact, std::int64_t{n}, lineno, excerpt);
            } else {
                out.warn("expected a non-negative integer: " + excerpt, lineno);
            }
        };
        auto add_list = [&](const char* fact) {
            std::string_view v = value;
            if (!v.empty() && v.front() == '-') {
                out.warn(
                    "the list removes algorithms from the built-in defaults; the effective "
                    "list is unknown: " +
                        excerpt,
                    lineno);
                return;
            }
            if (!v.empty() && (v.front() == '+' || v.front() == '^')) {
                out.warn(
                    "the list adds algorithms to the built-in defaults; only the added "
                    "ones are listed: " +
                        excerpt,
                    lineno);
                v.remove_prefix(1);
            }
            StringList list;
            for (auto item : text::split(v, ',')) {
                auto t = text::trim(item);
                if (!t.empty()) list.emplace_back(t);
            }
            if (list.empty()) {
                out.warn("empty algorithm list: " + excerpt, lineno);
                return;
            }
            out.add(fact, std::move(list), lineno, excerpt);
        };

        if (kw == "permitrootlogin") {
            if (lower == "without-password") lower = "prohibit-password";
            if (lower == "yes" || lower == "no" || lower == "prohibit-password" ||
                lower == "forced-commands-only") {
                out.add("ssh.permit_root_login", lower, lineno, excerpt);
            } else {
                out.warn("unknown PermitRootLogin value: " + excerpt, lineno);
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
            if (value.empty()) {
                out.warn("Protocol without a value", lineno);
            } else {
                out.add("ssh.protocol", value, lineno, excerpt);
            }
        } else if (kw == "ciphers") {
            add_list("ssh.ciphers");
        } else if (kw == "macs") {
            add_list("ssh.macs");
        } else if (kw == "kexalgorithms") {
            add_list("ssh.kex_algorithms");
        }
    }
    if (known == 0 && !unknown.empty()) {
        int line = unknown.front().first;
        return Error{"not an sshd_config file: no sshd keyword", "", line};
    }
    for (auto& [line, excerpt] : unknown) out.warn("unknown sshd keyword: " + excerpt, line);
    apply_weaker_match_settings(out, weakest_in_match);
    return out;
}

const CollectorInfo& sshd_config_collector() {
    static const CollectorInfo c{"sshd-config", "OpenSSH server configuration (sshd_config)",
                                 &detect, &parse_sshd_config};
    return c;
}

}  // namespace grundscan
