// login.defs collector: whitespace-separated KEY value lines (login.defs(5)).
#include <map>
#include <string>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

bool is_key(std::string_view k) {
    if (k.empty() || !(k.front() >= 'A' && k.front() <= 'Z')) return false;
    for (char c : k) {
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

bool detect(std::string_view text, std::string_view filename) {
    if (filename.find("login.defs") != std::string_view::npos ||
        filename.find("login_defs") != std::string_view::npos)
        return true;
    // Content: at least two active lines with keys only login.defs uses.
    int hits = 0;
    for (auto line : text::split_lines(text)) {
        auto f = text::split_ws(line);
        if (f.size() < 2) continue;
        auto k = f[0];
        if (k == "PASS_MAX_DAYS" || k == "PASS_MIN_DAYS" || k == "PASS_WARN_AGE" ||
            k == "ENCRYPT_METHOD" || k == "UID_MIN" || k == "UID_MAX" || k == "LOGIN_RETRIES" ||
            k == "USERGROUPS_ENAB" || k == "PASS_MIN_LEN")
            ++hits;
    }
    return hits >= 2;
}

}  // namespace

// Facts: password_policy.max_age_days (99999 or more, or -1 → 0 = never expires),
// password_policy.min_age_days, password_policy.min_length (priority 5: PASS_MIN_LEN is
// obsolete where PAM checks passwords), password_policy.hash_algorithm (lower-case).
// As in shadow's getdef, a later line for a key overrides an earlier one. Lines that are
// not `KEY value` are warnings; a file with only such lines is an Error; a file with only
// comments yields no facts.
Expected<ParseOutput> parse_login_defs(std::string_view text) {
    ParseOutput out;
    struct Setting {
        std::string value;
        int line = 0;
        std::string excerpt;
    };
    std::map<std::string, Setting> settings;
    int valid = 0;
    int first_bad = 0;
    std::vector<std::pair<int, std::string>> bad;
    auto lines = text::split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        int lineno = static_cast<int>(i) + 1;
        auto t = text::trim(lines[i]);
        if (t.empty() || t.front() == '#') continue;
        auto f = text::split_ws(t);
        if (f.size() < 2 || !is_key(f[0])) {
            if (!first_bad) first_bad = lineno;
            bad.emplace_back(lineno, std::string(t));
            continue;
        }
        ++valid;
        auto value = text::trim(t.substr(f[0].size()));
        settings[std::string(f[0])] =
            Setting{std::string(text::unquote(value)), lineno, std::string(t)};
    }
    if (valid == 0 && first_bad) {
        return Error{"not a login.defs file: no `KEY value` line", "", first_bad};
    }
    for (auto& [line, excerpt] : bad) out.warn("not a `KEY value` line: " + excerpt, line);

    auto int_setting = [&](const char* key, long long& v) -> const Setting* {
        auto it = settings.find(key);
        if (it == settings.end()) return nullptr;
        if (!text::parse_int(it->second.value, v)) {
            out.warn(std::string(key) + " is not an integer: " + it->second.value, it->second.line);
            return nullptr;
        }
        return &it->second;
    };

    long long v = 0;
    if (const Setting* s = int_setting("PASS_MAX_DAYS", v)) {
        if (v >= 99999 || v == -1) {
            out.add("password_policy.max_age_days", std::int64_t{0}, s->line, s->excerpt);
        } else if (v < 0) {
            out.warn("PASS_MAX_DAYS is negative: " + s->value, s->line);
        } else {
            out.add("password_policy.max_age_days", std::int64_t{v}, s->line, s->excerpt);
        }
    }
    if (const Setting* s = int_setting("PASS_MIN_DAYS", v)) {
        if (v == -1) {
            out.add("password_policy.min_age_days", std::int64_t{0}, s->line, s->excerpt);
        } else if (v < 0) {
            out.warn("PASS_MIN_DAYS is negative: " + s->value, s->line);
        } else {
            out.add("password_policy.min_age_days", std::int64_t{v}, s->line, s->excerpt);
        }
    }
    if (const Setting* s = int_setting("PASS_MIN_LEN", v)) {
        if (v < 0) {
            out.warn("PASS_MIN_LEN is negative: " + s->value, s->line);
        } else {
            out.add("password_policy.min_length", std::int64_t{v}, s->line, s->excerpt, 5);
        }
    }
    if (auto it = settings.find("ENCRYPT_METHOD"); it != settings.end()) {
        out.add("password_policy.hash_algorithm", text::to_lower(it->second.value), it->second.line,
                it->second.excerpt);
    }
    return out;
}

const CollectorInfo& login_defs_collector() {
    static const CollectorInfo c{"login-defs",
                                 "Linux /etc/login.defs (password ageing, hash method)", &detect,
                                 &parse_login_defs};
    return c;
}

}  // namespace grundscan
