// `sshd -T` collector: the effective server configuration sshd prints in extended test mode
// (one lower-case keyword and its value per line, every keyword present).
#include <set>
#include <string>
#include <string_view>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

// A line "keyword value": keyword of lower-case letters and digits.
bool split_key(std::string_view line, std::string_view& key, std::string_view& value) {
    auto t = text::trim(line);
    if (t.empty()) return false;
    auto end = t.find(' ');
    key = t.substr(0, end);
    for (char c : key) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
    }
    value = end == std::string_view::npos ? std::string_view{} : text::trim(t.substr(end));
    return true;
}

// Keywords every sshd -T prints (OpenSSH 5.x to 10.x) whose facts the rules read.
constexpr std::string_view kRequired[] = {"permitrootlogin",
                                          "passwordauthentication",
                                          "permitemptypasswords",
                                          "x11forwarding",
                                          "maxauthtries",
                                          "ciphers",
                                          "macs",
                                          "kexalgorithms"};

bool detect(std::string_view text, std::string_view /*filename*/) {
    // sshd_config files have comments and mixed case; sshd -T prints neither. Require many
    // lines of keys only sshd prints together.
    int keys = 0, other = 0;
    std::set<std::string_view> seen;
    for (auto line : text::split_lines(text)) {
        std::string_view k, v;
        if (text::trim(line).empty()) continue;
        if (!split_key(line, k, v)) {
            ++other;
            continue;
        }
        ++keys;
        seen.insert(k);
    }
    int distinctive = 0;
    for (auto k : {"port", "usepam", "logingracetime", "permitrootlogin", "pubkeyauthentication",
                   "passwordauthentication", "x11forwarding", "kexalgorithms", "ciphers", "macs",
                   "hostkey", "maxauthtries", "maxsessions", "strictmodes"})
        distinctive += seen.contains(k) ? 1 : 0;
    return keys >= 30 && other * 10 <= keys && distinctive >= 8;
}

}  // namespace

// Facts (priority kSshdEffectivePriority, above settings read from files): the same ssh.*
// facts as sshd-config, from the first line of each keyword. A keyword missing from the
// output, a value sshd would not print (e.g. a list starting with + or -) or a line that is
// not "keyword value" gives a warning and no fact. Text without any of the keywords the
// rules read is an Error.
Expected<ParseOutput> parse_sshd_t(std::string_view text) {
    ParseOutput out;
    std::set<std::string> seen;
    int first_bad = 0;
    int recognised = 0;
    auto lines = text::split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        int lineno = static_cast<int>(i) + 1;
        std::string_view k, v;
        if (text::trim(lines[i]).empty()) continue;
        std::string excerpt(text::trim(lines[i]));
        if (!split_key(lines[i], k, v)) {
            if (first_bad == 0) first_bad = lineno;
            out.warn("not a `keyword value` line of sshd -T: " + excerpt, lineno);
            continue;
        }
        std::string key(k);
        if (!seen.insert(key).second) continue;
        std::string value(v);
        auto add_bool = [&](const char* fact) {
            ++recognised;
            if (value == "yes") {
                out.add(fact, true, lineno, excerpt, kSshdEffectivePriority);
            } else if (value == "no") {
                out.add(fact, false, lineno, excerpt, kSshdEffectivePriority);
            } else {
                out.warn("expected yes or no: " + excerpt, lineno);
            }
        };
        auto add_int = [&](const char* fact) {
            ++recognised;
            long long n = 0;
            if (text::parse_int(value, n) && n >= 0) {
                out.add(fact, std::int64_t{n}, lineno, excerpt, kSshdEffectivePriority);
            } else {
                out.warn("expected a non-negative integer: " + excerpt, lineno);
            }
        };
        auto add_list = [&](const char* fact) {
            ++recognised;
            if (value.empty() || value.front() == '+' || value.front() == '-' ||
                value.front() == '^') {
                out.warn(
                    "not an effective algorithm list (sshd -T prints the full list): " + excerpt,
                    lineno);
                return;
            }
            StringList list;
            for (auto item : text::split(value, ',')) {
                auto t = text::trim(item);
                if (!t.empty()) list.emplace_back(t);
            }
            out.add(fact, std::move(list), lineno, excerpt, kSshdEffectivePriority);
        };
        if (key == "permitrootlogin") {
            ++recognised;
            std::string lower = text::to_lower(value);
            if (lower == "without-password") lower = "prohibit-password";
            if (lower == "yes" || lower == "no" || lower == "prohibit-password" ||
                lower == "forced-commands-only") {
                out.add("ssh.permit_root_login", lower, lineno, excerpt, kSshdEffectivePriority);
            } else {
                out.warn("unknown PermitRootLogin value: " + excerpt, lineno);
            }
        } else if (key == "passwordauthentication") {
            add_bool("ssh.password_authentication");
        } else if (key == "permitemptypasswords") {
            add_bool("ssh.permit_empty_passwords");
        } else if (key == "x11forwarding") {
            add_bool("ssh.x11_forwarding");
        } else if (key == "maxauthtries") {
            add_int("ssh.max_auth_tries");
        } else if (key == "clientaliveinterval") {
            add_int("ssh.client_alive_interval");
        } else if (key == "protocol") {
            ++recognised;
            out.add("ssh.protocol", value, lineno, excerpt, kSshdEffectivePriority);
        } else if (key == "ciphers") {
            add_list("ssh.ciphers");
        } else if (key == "macs") {
            add_list("ssh.macs");
        } else if (key == "kexalgorithms") {
            add_list("ssh.kex_algorithms");
        }
    }
    if (recognised == 0) {
        return Error{
            "not sshd -T output: no permitrootlogin, passwordauthentication, ciphers ... "
            "line",
            "", first_bad};
    }
    out.add("ssh.config_exported", true, 0, "sshd -T", kSshdEffectivePriority);
    for (auto k : kRequired) {
        if (!seen.contains(std::string(k)))
            out.warn("sshd -T output lacks `" + std::string(k) +
                     "`: the output is incomplete, that setting is unknown");
    }
    return out;
}

const CollectorInfo& sshd_t_collector() {
    static const CollectorInfo c{"sshd-t", "OpenSSH effective server configuration (`sshd -T`)",
                                 &detect, &parse_sshd_t};
    return c;
}

}  // namespace grundscan
