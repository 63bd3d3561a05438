// PAM stack collector: `type control module-path args` lines (pam.d(5)).
#include <optional>
#include <string>
#include <vector>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

struct PamLine {
    int line = 0;
    std::string excerpt;
    std::string type;    // auth, account, password, session (lower-case)
    std::string module;  // base name, e.g. "pam_unix.so"
    std::vector<std::string> args;
};

// Splits a PAM line into fields; `[...]` (control or argument) is one field even with blanks.
std::vector<std::string> tokenize(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        if (i >= s.size()) break;
        std::string tok;
        if (s[i] == '[') {
            while (i < s.size() && s[i] != ']') {
                if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == ']') ++i;
                tok.push_back(s[i++]);
            }
            if (i < s.size()) tok.push_back(s[i++]);
        } else {
            while (i < s.size() && s[i] != ' ' && s[i] != '\t') tok.push_back(s[i++]);
        }
        out.push_back(std::move(tok));
    }
    return out;
}

bool is_type(std::string_view t) {
    return text::iequals(t, "auth") || text::iequals(t, "account") ||
           text::iequals(t, "password") || text::iequals(t, "session");
}

std::string base_name(std::string_view path) {
    auto slash = path.rfind('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// The value of `key=` among `args`, or nullopt; the last occurrence wins.
std::optional<std::string> arg_value(const std::vector<std::string>& args, std::string_view key) {
    std::optional<std::string> v;
    for (const auto& a : args) {
        if (a.size() > key.size() && a.compare(0, key.size(), key) == 0 && a[key.size()] == '=')
            v = a.substr(key.size() + 1);
    }
    return v;
}

bool detect(std::string_view text, std::string_view filename) {
    for (std::string_view n : {"common-password", "common-auth", "system-auth", "password-auth"})
        if (filename.find(n) != std::string_view::npos) return true;
    // Content: at least two lines `type control pam_*.so`.
    int hits = 0;
    for (auto line : text::split_lines(text)) {
        auto t = text::trim(line);
        if (!t.empty() && t.front() == '-') t.remove_prefix(1);
        auto f = tokenize(t);
        if (f.size() >= 3 && is_type(f[0]) && base_name(f[2]).starts_with("pam_") &&
            f[2].ends_with(".so"))
            ++hits;
    }
    return hits >= 2;
}

// Reads pam lines, joining backslash continuations and dropping '#' comments. Lines that are
// neither PAM rules nor @include go to `bad`.
struct Stack {
    std::vector<PamLine> rules;
    std::vector<std::pair<int, std::string>> includes;
    std::vector<std::pair<int, std::string>> bad;
};

Stack read_stack(std::string_view text) {
    Stack st;
    auto lines = text::split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        int lineno = static_cast<int>(i) + 1;
        std::string joined(lines[i]);
        while (!joined.empty() && joined.back() == '\\' && i + 1 < lines.size()) {
            joined.pop_back();
            joined += ' ';
            joined += lines[++i];
        }
        std::string_view raw = text::trim(joined);
        std::string_view t = raw;
        if (auto hash = t.find('#'); hash != std::string_view::npos) t = t.substr(0, hash);
        t = text::trim(t);
        if (t.empty()) continue;
        if (t.starts_with("@include")) {
            st.includes.emplace_back(lineno, std::string(text::trim(t.substr(8))));
            continue;
        }
        if (t.front() == '-') t.remove_prefix(1);
        auto f = tokenize(t);
        if (f.size() < 3 || !is_type(f[0])) {
            st.bad.emplace_back(lineno, std::string(raw));
            continue;
        }
        PamLine pl;
        pl.line = lineno;
        pl.excerpt = std::string(raw);
        pl.type = text::to_lower(f[0]);
        pl.module = base_name(f[2]);
        pl.args.assign(f.begin() + 3, f.end());
        st.rules.push_back(std::move(pl));
    }
    return st;
}

}  // namespace

// pam_unix's minimum length when no minlen= is given (pam_unix(8), Linux-PAM 1.x).
constexpr long long kPamUnixDefaultMinlen = 6;

// Facts (each from the first rule that sets it unless noted):
// - pam.pwquality_enabled: pam_pwquality/pam_cracklib on a password rule; false only when the
//   file has password rules. pam.faillock_enabled: pam_faillock/pam_tally2 present; false
//   only when the file has auth rules.
// - password_policy.history: largest remember= of pam_unix/pam_pwhistory password rules.
// - password_policy.min_length: pam_pwquality/pam_cracklib minlen= (priority 30); else
//   pam_unix minlen= (priority 30 without a quality module, 10 with one); else, for a
//   pam_unix password rule in a stack without quality module and without @include, pam_unix's
//   documented default 6 ("Standardwert" in the excerpt, priority 30).
// - password_policy.complexity (priority 30): only when pwquality/cracklib arguments set
//   minclass or a credit; true for minclass >= 3 or three negative credits.
// - lockout.threshold (deny=), lockout.duration_minutes (unlock_time= seconds / 60, rounded
//   down; 0 or "never" → -1 = administrator unlock), lockout.reset_minutes (fail_interval=).
// - password_policy.hash_algorithm: the last hash flag of pam_unix on a password rule.
// @include lines and non-PAM lines produce warnings; a file without any PAM rule is an Error.
Expected<ParseOutput> parse_pam(std::string_view text) {
    ParseOutput out;
    Stack st = read_stack(text);
    if (st.rules.empty() && st.includes.empty()) {
        int line = st.bad.empty() ? 0 : st.bad.front().first;
        return Error{"not a PAM stack: no `type control module` line", "", line};
    }
    for (auto& [line, raw] : st.bad) out.warn("not a PAM rule: " + raw, line);
    for (auto& [line, name] : st.includes)
        out.warn("stack `" + name + "` is included; its rules are not part of this file", line);

    bool has_password = false, has_auth = false;
    const PamLine* quality = nullptr;
    const PamLine* faillock = nullptr;
    for (const auto& r : st.rules) {
        if (r.type == "password") has_password = true;
        if (r.type == "auth") has_auth = true;
        if (!quality && r.type == "password" &&
            (r.module == "pam_pwquality.so" || r.module == "pam_cracklib.so"))
            quality = &r;
        if (!faillock && (r.module == "pam_faillock.so" || r.module == "pam_tally2.so"))
            faillock = &r;
    }
    if (quality) {
        out.add("pam.pwquality_enabled", true, quality->line, quality->excerpt);
    } else if (has_password) {
        out.add("pam.pwquality_enabled", false, 0,
                "no pam_pwquality.so or pam_cracklib.so in the password stack");
    }
    if (faillock) {
        out.add("pam.faillock_enabled", true, faillock->line, faillock->excerpt);
    } else if (has_auth) {
        out.add("pam.faillock_enabled", false, 0, "no pam_faillock.so or pam_tally2.so rule");
    }

    // Reads an integer argument, warning when it is not one.
    auto int_arg = [&](const PamLine& r, std::string_view key) -> std::optional<long long> {
        auto v = arg_value(r.args, key);
        if (!v) return std::nullopt;
        long long n = 0;
        if (!text::parse_int(*v, n) || n < 0) {
            out.warn(std::string(key) + "= is not a non-negative integer: " + *v, r.line);
            return std::nullopt;
        }
        return n;
    };

    // History: pam_unix and pam_pwhistory both refuse reuse; the larger count applies.
    std::optional<long long> history;
    const PamLine* history_line = nullptr;
    std::optional<long long> q_minlen, unix_minlen;  // quality module / pam_unix minlen=
    const PamLine* unix_minlen_line = nullptr;
    std::string hash;
    const PamLine* hash_line = nullptr;
    bool threshold_done = false, duration_done = false, reset_done = false;
    for (const auto& r : st.rules) {
        if (r.type == "password" && (r.module == "pam_unix.so" || r.module == "pam_pwhistory.so")) {
            if (auto n = int_arg(r, "remember"); n && (!history || *n > *history)) {
                history = n;
                history_line = &r;
            }
        }
        if (r.type == "password" && r.module == "pam_unix.so") {
            for (const auto& a : r.args) {
                for (std::string_view h : {"sha512", "sha256", "yescrypt", "gost_yescrypt",
                                           "blowfish", "bigcrypt", "md5"}) {
                    if (a == h) {
                        hash = a;
                        hash_line = &r;
                    }
                }
            }
            if (!unix_minlen_line) {
                if (auto n = int_arg(r, "minlen")) {
                    unix_minlen = n;
                    unix_minlen_line = &r;
                }
            }
        }
        if (r.module == "pam_faillock.so" || r.module == "pam_tally2.so") {
            if (!threshold_done) {
                if (auto n = int_arg(r, "deny")) {
                    out.add("lockout.threshold", std::int64_t{*n}, r.line, r.excerpt);
                    threshold_done = true;
                }
            }
            if (!duration_done) {
                if (auto v = arg_value(r.args, "unlock_time"); v && *v == "never") {
                    out.add("lockout.duration_minutes", std::int64_t{-1}, r.line, r.excerpt);
                    duration_done = true;
                } else if (auto n = int_arg(r, "unlock_time")) {
                    std::int64_t minutes = *n == 0 ? -1 : *n / 60;
                    out.add("lockout.duration_minutes", minutes, r.line, r.excerpt);
                    duration_done = true;
                }
            }
            if (!reset_done && r.module == "pam_faillock.so") {
                if (auto n = int_arg(r, "fail_interval")) {
                    out.add("lockout.reset_minutes", std::int64_t{*n / 60}, r.line, r.excerpt);
                    reset_done = true;
                }
            }
        }
    }
    if (history_line) {
        out.add("password_policy.history", std::int64_t{*history}, history_line->line,
                history_line->excerpt);
    }
    if (hash_line)
        out.add("password_policy.hash_algorithm", hash, hash_line->line, hash_line->excerpt);

    if (quality) {
        q_minlen = int_arg(*quality, "minlen");
        if (q_minlen) {
            out.add("password_policy.min_length", std::int64_t{*q_minlen}, quality->line,
                    quality->excerpt, 30);
        }
        // Character classes demanded by the module arguments (they override pwquality.conf).
        std::optional<long long> minclass = int_arg(*quality, "minclass");
        int credits = 0, negative = 0;
        for (std::string_view k : {"dcredit", "ucredit", "lcredit", "ocredit"}) {
            auto v = arg_value(quality->args, k);
            if (!v) continue;
            long long n = 0;
            if (!text::parse_int(*v, n)) {
                out.warn(std::string(k) + "= is not an integer: " + *v, quality->line);
                continue;
            }
            ++credits;
            if (n < 0) ++negative;
        }
        if (minclass || credits > 0) {
            bool demands = (minclass && *minclass >= 3) || negative >= 3;
            out.add("password_policy.complexity", demands, quality->line, quality->excerpt, 30);
        }
    }
    if (!q_minlen && unix_minlen_line) {
        out.add("password_policy.min_length", std::int64_t{*unix_minlen}, unix_minlen_line->line,
                unix_minlen_line->excerpt, quality ? 10 : 30);
    } else if (!quality && st.includes.empty()) {
        // pam_unix(8): "minlen=n ... The default value is 6." It is what applies when this
        // stack, with no quality module and nothing included, checks new passwords.
        for (const auto& r : st.rules) {
            if (r.type != "password" || r.module != "pam_unix.so") continue;
            out.add("password_policy.min_length", std::int64_t{kPamUnixDefaultMinlen}, r.line,
                    r.excerpt + " (kein minlen=, Standardwert von pam_unix: " +
                        std::to_string(kPamUnixDefaultMinlen) + ")",
                    30);
            break;
        }
    }
    return out;
}

const CollectorInfo& pam_collector() {
    static const CollectorInfo c{"pam",
                                 "Linux PAM password/auth stack (pwquality, faillock, pam_unix)",
                                 &detect, &parse_pam};
    return c;
}

}  // namespace grundscan
