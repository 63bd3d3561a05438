// secedit-inf collector: `secedit /export /cfg` output and GPO GptTmpl.inf security templates.
#include <optional>
#include <string>
#include <vector>

#include "scanner/collectors/windows/account_policy.hpp"
#include "scanner/collectors/windows/windows_collectors.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

// [System Access] keys beside the account policy that only secedit reads.
constexpr AccountPolicySetting kGuestAccount{"EnableGuestAccount", "accounts.guest_enabled",
                                             AccountPolicyKind::Boolean};
constexpr std::string_view kAdminNameKey = "NewAdministratorName";  // a quoted string

// The setting for [System Access] key `key` (matched case-insensitively): nullptr for
// NewAdministratorName, std::nullopt for a key that is not read.
std::optional<const AccountPolicySetting*> find_key(std::string_view key) {
    if (const auto* setting = find_account_policy_setting(key)) return setting;
    if (text::iequals(key, kGuestAccount.name)) return &kGuestAccount;
    if (text::iequals(key, kAdminNameKey)) return nullptr;
    return std::nullopt;
}

// "[Name]" -> "Name"; anything else -> empty.
std::string_view section_name(std::string_view trimmed) {
    if (trimmed.size() < 2 || trimmed.front() != '[' || trimmed.back() != ']') return {};
    return text::trim(trimmed.substr(1, trimmed.size() - 2));
}

struct Setting {
    const AccountPolicySetting* map;  // nullptr for NewAdministratorName
    std::string value;                // trimmed raw value
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
        auto key = find_key(text::trim(t.substr(0, eq)));
        if (!key) continue;
        const AccountPolicySetting* map = *key;
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
        if (s.map == nullptr) {
            out.add("accounts.admin_name", std::string(text::unquote(s.value)), s.line, s.excerpt);
            continue;
        }
        const std::string key(s.map->name);
        long long v = 0;
        if (!text::parse_int(s.value, v)) {
            out.warn(key + ": value \"" + s.value + "\" is not an integer", s.line);
            continue;
        }
        if (auto value = normalise_account_policy_value(*s.map, v)) {
            out.add(std::string(s.map->fact), std::move(*value), s.line, s.excerpt);
        } else if (s.map->kind == AccountPolicyKind::Boolean) {
            out.warn(key + ": expected 0 or 1, found " + s.value, s.line);
        } else {
            out.warn(key + ": value " + s.value + " is out of range", s.line);
        }
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
