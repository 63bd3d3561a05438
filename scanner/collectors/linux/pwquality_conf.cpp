// pwquality.conf collector: `key = value` lines (pwquality.conf(5)).
#include <map>
#include <optional>
#include <string>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

// Keys libpwquality knows; the two flags take no value.
constexpr std::string_view kValueKeys[] = {
    "difok",      "minlen",    "dcredit",   "ucredit",          "lcredit",
    "ocredit",    "minclass",  "maxrepeat", "maxsequence",      "maxclassrepeat",
    "gecoscheck", "dictcheck", "usercheck", "usersubstr",       "enforcing",
    "badwords",   "dictpath",  "retry",     "enforce_for_root", "local_users_only"};
constexpr std::string_view kFlagKeys[] = {"enforce_for_root", "local_users_only"};

template <std::size_t N>
bool contains(const std::string_view (&list)[N], std::string_view k) {
    for (auto e : list)
        if (e == k) return true;
    return false;
}

bool detect(std::string_view text, std::string_view filename) {
    if (filename.find("pwquality") != std::string_view::npos) return true;
    // Content: active or commented `minlen = N` together with a credit or minclass key.
    bool minlen = false, classes = false;
    for (auto line : text::split_lines(text)) {
        auto t = text::trim(line);
        if (!t.empty() && t.front() == '#') t = text::trim(t.substr(1));
        auto eq = t.find('=');
        if (eq == std::string_view::npos) continue;
        auto k = text::trim(t.substr(0, eq));
        if (k == "minlen") minlen = true;
        if (k == "dcredit" || k == "ucredit" || k == "minclass" || k == "difok") classes = true;
    }
    return minlen && classes;
}

struct Setting {
    long long value = 0;
    int line = 0;
    std::string excerpt;
};

}  // namespace

// Facts: password_policy.min_length (minlen, priority 20) and password_policy.complexity
// (priority 20): true when minclass >= 3 or at least three of d/u/l/ocredit are negative;
// false when classes are configured but demand fewer; no fact when neither minclass nor a
// credit is set. A later line for a key overrides an earlier one (as libpwquality reads
// them). Unknown keys and bad values are warnings; a file with no valid line but other text
// is an Error; a file with only comments yields no facts.
Expected<ParseOutput> parse_pwquality_conf(std::string_view text) {
    ParseOutput out;
    std::map<std::string, Setting> ints;
    int valid = 0;
    std::vector<std::pair<int, std::string>> bad;
    auto lines = text::split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        int lineno = static_cast<int>(i) + 1;
        auto raw = text::trim(lines[i]);
        auto t = raw;
        if (auto hash = t.find('#'); hash != std::string_view::npos) t = t.substr(0, hash);
        t = text::trim(t);
        if (t.empty()) continue;
        auto eq = t.find('=');
        std::string key(text::trim(t.substr(0, eq)));
        if (eq == std::string_view::npos) {
            if (contains(kFlagKeys, key)) {
                ++valid;
            } else {
                bad.emplace_back(lineno, "not a `key = value` line: " + std::string(raw));
            }
            continue;
        }
        if (!contains(kValueKeys, key)) {
            bool plausible = !key.empty() && key.find_first_of(" \t") == std::string::npos;
            if (plausible) ++valid;  // a key of a newer libpwquality: valid, but not read
            bad.emplace_back(lineno, "unknown pwquality setting: " + std::string(raw));
            continue;
        }
        ++valid;
        auto value = text::trim(t.substr(eq + 1));
        if (key == "minlen" || key == "minclass" || key.ends_with("credit")) {
            long long v = 0;
            if (!text::parse_int(value, v)) {
                out.warn(key + " is not an integer: " + std::string(value), lineno);
                continue;
            }
            ints[key] = Setting{v, lineno, std::string(raw)};
        }
    }
    if (valid == 0 && !bad.empty()) {
        return Error{"not a pwquality.conf file: no `key = value` line", "", bad.front().first};
    }
    for (auto& [line, msg] : bad) out.warn(msg, line);

    if (auto it = ints.find("minlen"); it != ints.end()) {
        if (it->second.value < 0) {
            out.warn("minlen is negative", it->second.line);
        } else {
            out.add("password_policy.min_length", std::int64_t{it->second.value}, it->second.line,
                    it->second.excerpt, 20);
        }
    }

    // Character classes: minclass, or negative credits (each demands one character class).
    const Setting* minclass = nullptr;
    if (auto it = ints.find("minclass"); it != ints.end()) minclass = &it->second;
    std::vector<const Setting*> credits;
    std::vector<const Setting*> negative;
    for (const char* k : {"dcredit", "ucredit", "lcredit", "ocredit"}) {
        auto it = ints.find(k);
        if (it == ints.end()) continue;
        credits.push_back(&it->second);
        if (it->second.value < 0) negative.push_back(&it->second);
    }
    if (minclass && minclass->value >= 3) {
        out.add("password_policy.complexity", true, minclass->line, minclass->excerpt, 20);
    } else if (negative.size() >= 3) {
        std::string excerpt;
        for (const Setting* s : negative) excerpt += (excerpt.empty() ? "" : "; ") + s->excerpt;
        out.add("password_policy.complexity", true, negative.back()->line, excerpt, 20);
    } else if (minclass) {
        out.add("password_policy.complexity", false, minclass->line, minclass->excerpt, 20);
    } else if (!credits.empty()) {
        std::string excerpt;
        for (const Setting* s : credits) excerpt += (excerpt.empty() ? "" : "; ") + s->excerpt;
        out.add("password_policy.complexity", false, credits.back()->line, excerpt, 20);
    }
    return out;
}

const CollectorInfo& pwquality_conf_collector() {
    static const CollectorInfo c{"pwquality-conf",
                                 "Linux /etc/security/pwquality.conf (password quality rules)",
                                 &detect, &parse_pwquality_conf};
    return c;
}

}  // namespace grundscan
