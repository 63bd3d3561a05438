// secedit-inf collector: `secedit /export /cfg` output and GPO GptTmpl.inf security templates.
#include <string>
#include <vector>

#include "scanner/collectors/windows/windows_collectors.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

enum class Kind { Integer, Boolean, MaxAge, LockoutDuration, QuotedString };

struct KeyMap {
    std::string_view key;  // as in [System Access]; matched case-insensitively
    std::string_view fact;
    Kind kind;
};

constexpr KeyMap kKeys[] = {
    {"MinimumPasswordLength", "password_policy.min_length", Kind::Integer},
    {"PasswordComplexity", "password_policy.complexity", Kind::Boolean},
    {"PasswordHistorySize", "password_policy.history", Kind::Integer},
    {"MaximumPasswordAge", "password_policy.max_age_days", Kind::MaxAge},
    {"MinimumPasswordAge", "password_policy.min_age_days", Kind::Integer},
    {"ClearTextPassword", "password_policy.reversible_encryption", Kind::Boolean},
    {"LockoutBadCount", "lockout.threshold", Kind::Integer},
    {"LockoutDuration", "lockout.duration_minutes", Kind::LockoutDuration},
    {"ResetLockoutCount", "lockout.reset_minutes", Kind::Integer},
    {"EnableGuestAccount", "accounts.guest_enabled", Kind::Boolean},
    {"NewAdministratorName", "accounts.admin_name", Kind::QuotedString},
};

const KeyMap* find_key(std::string_view key) {
    for (const auto& k : kKeys) {
        if (text::iequals(k.key, key)) return &k;
    }
    return nullptr;
}

// "[Name]" -> "Name"; anything else -> empty.
std::string_view section_name(std::string_view trimmed) {
    if (trimmed.size() < 2 || trimmed.front() != '[' || trimmed.back() != ']') return {};
    return text::trim(trimmed.substr(1, trimmed.size() - 2));
}

struct Setting {
    const KeyMap* map;
    std::string value;  // trimmed raw value
    int line;
    std::string excerpt;
};

bool detect(std::string_view text, std::string_view /*filename*/) {
    bool version = false, signature = false;
    for (auto line : text::split_lines(text)) {
        auto t = text::trim(line);
        auto s = section_name(t);
        if (text::iequals(s, "Unicode") || text::iequals(s, "System Access")) return true;
        if (text::iequals(s, "Version")) version = true;
        if (t.find("$CHICAGO$") != std::string_view::npos) signature = true;
    }
    return version && signature;
}

}  // namespace

// Facts (only for keys present in [System Access]): password_policy.{min_length, complexity,
// history, max_age_days, min_age_days, reversible_encryption}, lockout.{threshold,
// duration_minutes, reset_minutes}, accounts.{guest_enabled, admin_name}, and os.family.
// MaximumPasswordAge -1 or 0 yields 0 (never expires); LockoutDuration -1 stays -1. A key
// repeated in the section: the last one counts. Values that are not integers (or, except
// for those two keys, negative) are warnings. No [System Access] and no [Version]: Error.
Expected<ParseOutput> parse_secedit_inf(std::string_view text) {
    ParseOutput out;
    std::vector<Setting> settings;
    std::string section;
    int first_content_line = 0;
    int family_line = 0;
    std::string family_excerpt;

    auto lines = text::split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const int lineno = static_cast<int>(i) + 1;
        auto raw = lines[i];
        auto t = text::trim(raw);
        if (t.empty() || t.front() == ';') continue;
        if (first_content_line == 0) first_content_line = lineno;
        if (t.front() == '[') {
            section = std::string(section_name(t));
            if (family_line == 0 &&
                (text::iequals(section, "System Access") || text::iequals(section, "Version"))) {
                family_line = lineno;
                family_excerpt = std::string(raw);
            }
            continue;
        }
        if (!text::iequals(section, "System Access")) continue;
        auto eq = t.find('=');
        if (eq == std::string_view::npos) continue;
        const KeyMap* map = find_key(text::trim(t.substr(0, eq)));
        if (map == nullptr) continue;
        Setting s{map, std::string(text::trim(t.substr(eq + 1))), lineno, std::string(raw)};
        bool replaced = false;
        for (auto& prev : settings) {
            if (prev.map == map) {
                prev = s;
                replaced = true;
            }
        }
        if (!replaced) settings.push_back(std::move(s));
    }

    if (family_line == 0) {
        return Error{"not a security template: no [System Access]/[Version] section", "",
                     first_content_line};
    }
    out.add("os.family", std::string("windows"), family_line, family_excerpt);

    for (const auto& s : settings) {
        const std::string fact(s.map->fact);
        if (s.map->kind == Kind::QuotedString) {
            out.add(fact, std::string(text::unquote(s.value)), s.line, s.excerpt);
            continue;
        }
        long long v = 0;
        if (!text::parse_int(s.value, v)) {
            out.warn(std::string(s.map->key) + ": value \"" + s.value + "\" is not an integer",
                     s.line);
            continue;
        }
        switch (s.map->kind) {
            case Kind::Boolean:
                if (v != 0 && v != 1) {
                    out.warn(std::string(s.map->key) + ": expected 0 or 1, found " + s.value,
                             s.line);
                    continue;
                }
                out.add(fact, v == 1, s.line, s.excerpt);
                continue;
            case Kind::MaxAge:
                if (v < -1) break;
                out.add(fact, static_cast<std::int64_t>(v <= 0 ? 0 : v), s.line, s.excerpt);
                continue;
            case Kind::LockoutDuration:
                if (v < -1) break;
                out.add(fact, static_cast<std::int64_t>(v), s.line, s.excerpt);
                continue;
            case Kind::Integer:
                if (v < 0) break;
                out.add(fact, static_cast<std::int64_t>(v), s.line, s.excerpt);
                continue;
            case Kind::QuotedString:
                continue;
        }
        out.warn(std::string(s.map->key) + ": value " + s.value + " is out of range", s.line);
    }
    return out;
}

const CollectorInfo& secedit_inf_collector() {
    static const CollectorInfo c{"secedit-inf",
                                 "secedit /export INF or GPO GptTmpl.inf security template",
                                 &detect, &parse_secedit_inf};
    return c;
}

}  // namespace grundscan
