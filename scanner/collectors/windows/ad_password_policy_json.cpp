// ad-password-policy-json collector: `Get-ADDefaultDomainPasswordPolicy | ConvertTo-Json`
// (Windows PowerShell 5.1 and PowerShell 7 renderings).
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "scanner/collectors/windows/windows_collectors.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

using nlohmann::json;

constexpr long long kTicksPerMinute = 600000000LL;
constexpr long long kTicksPerDay = 864000000000LL;

// Records where a SAX parse fails; accepts everything else.
class ErrorFinder : public nlohmann::json_sax<json> {
  public:
    std::size_t position = 0;
    std::string message;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t pos, const std::string&,
                     const nlohmann::detail::exception& ex) override {
        position = pos;
        message = ex.what();
        return false;
    }
};

int line_of_offset(std::string_view text, std::size_t offset) {
    int line = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
    return line;
}

// Line (1-based) and trimmed text of the first `"key":` in `text`; {0, ""} if not found.
std::pair<int, std::string> locate_key(std::string_view text, std::string_view key) {
    const std::string quoted = "\"" + std::string(key) + "\"";
    std::size_t pos = 0;
    while ((pos = text.find(quoted, pos)) != std::string_view::npos) {
        auto after = text.find_first_not_of(" \t\r\n", pos + quoted.size());
        if (after != std::string_view::npos && text[after] == ':') {
            auto b = text.rfind('\n', pos);
            b = b == std::string_view::npos ? 0 : b + 1;
            auto e = text.find('\n', pos);
            if (e == std::string_view::npos) e = text.size();
            return {line_of_offset(text, pos), std::string(text::trim(text.substr(b, e - b)))};
        }
        pos += quoted.size();
    }
    return {0, ""};
}

constexpr long long kMaxTicks = std::numeric_limits<long long>::max();
constexpr long long kMinTicks = std::numeric_limits<long long>::min();

// `ticks` rounded, saturated to the range of a TimeSpan.
long long from_double(double ticks) {
    if (!(ticks < 9.2e18)) return kMaxTicks;  // also NaN
    if (ticks < -9.2e18) return kMinTicks;
    return std::llround(ticks);
}

// Ticks of a TimeSpan given as ConvertTo-Json object ({"Ticks": ...} or Total* fields) or
// as a string "[-][d.]hh:mm:ss[.fffffff]".
std::optional<long long> timespan_ticks(const json& v) {
    if (v.is_object()) {
        if (auto t = v.find("Ticks"); t != v.end() && t->is_number_integer())
            return t->get<long long>();
        if (auto t = v.find("TotalMinutes"); t != v.end() && t->is_number())
            return from_double(t->get<double>() * static_cast<double>(kTicksPerMinute));
        if (auto t = v.find("TotalDays"); t != v.end() && t->is_number())
            return from_double(t->get<double>() * static_cast<double>(kTicksPerDay));
        return std::nullopt;
    }
    if (!v.is_string()) return std::nullopt;
    std::string_view s = text::trim(v.get_ref<const std::string&>());
    bool negative = !s.empty() && s.front() == '-';
    if (negative) s.remove_prefix(1);
    long long days = 0;
    auto colon = s.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    auto dot = s.substr(0, colon).find('.');
    if (dot != std::string_view::npos) {
        if (!text::parse_int(s.substr(0, dot), days)) return std::nullopt;
        s.remove_prefix(dot + 1);
    }
    auto parts = text::split(s, ':');
    if (parts.size() != 3) return std::nullopt;
    long long h = 0, m = 0, sec = 0, frac = 0;
    auto sec_part = parts[2];
    if (auto fd = sec_part.find('.'); fd != std::string_view::npos) {
        auto f = sec_part.substr(fd + 1);
        if (f.size() > 7 || !text::parse_int(f, frac)) return std::nullopt;
        for (std::size_t i = f.size(); i < 7; ++i) frac *= 10;
        sec_part = sec_part.substr(0, fd);
    }
    if (!text::parse_int(parts[0], h) || !text::parse_int(parts[1], m) ||
        !text::parse_int(sec_part, sec) || days < 0 || h < 0 || h > 23 || m < 0 || m > 59 ||
        sec < 0 || sec > 59 || days > 10675199)
        return std::nullopt;
    // TimeSpan.MaxValue/MinValue (10675199.02:48:05.4775807): saturate instead of overflowing.
    if (days == 10675199) return negative ? kMinTicks : kMaxTicks;
    long long ticks =
        days * kTicksPerDay + (h * 60 + m) * kTicksPerMinute + sec * 10000000LL + frac;
    return negative ? -ticks : ticks;
}

std::string describe(const json& v) {
    if (v.is_object()) {
        if (auto t = v.find("Ticks"); t != v.end()) return "Ticks " + t->dump();
    }
    return v.dump();
}

bool detect(std::string_view text, std::string_view /*filename*/) {
    auto t = text::trim(text);
    if (t.empty() || (t.front() != '{' && t.front() != '[')) return false;
    return t.find("\"MinPasswordLength\"") != std::string_view::npos &&
           (t.find("\"ComplexityEnabled\"") != std::string_view::npos ||
            t.find("\"LockoutThreshold\"") != std::string_view::npos);
}

}  // namespace

// Facts (for keys present): password_policy.{complexity (ComplexityEnabled), min_length
// (MinPasswordLength), history (PasswordHistoryCount), reversible_encryption
// (ReversibleEncryptionEnabled), max_age_days (MaxPasswordAge; 0 or negative ticks = never
// expires = 0), min_age_days (MinPasswordAge)}, lockout.{threshold (LockoutThreshold),
// duration_minutes (LockoutDuration; 0 or negative ticks = until an administrator unlocks =
// -1), reset_minutes (LockoutObservationWindow)}. Days and minutes are whole units, rounded
// down. An array of policies: the first is read, a warning notes the rest. Invalid JSON or no
// policy object: Error.
Expected<ParseOutput> parse_ad_password_policy_json(std::string_view text) {
    ParseOutput out;
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) {
        ErrorFinder finder;
        json::sax_parse(text, &finder);
        return Error{"malformed JSON: " + finder.message, "",
                     line_of_offset(text, finder.position == 0 ? 0 : finder.position - 1)};
    }
    if (doc.is_array()) {
        if (doc.empty() || !doc[0].is_object())
            return Error{"not an AD password policy: empty array", "", 1};
        if (doc.size() > 1)
            out.warn("JSON holds " + std::to_string(doc.size()) +
                     " policies; only the first was read");
        doc = json(doc[0]);
    }
    if (!doc.is_object() || !doc.contains("MinPasswordLength")) {
        return Error{"not an AD password policy: no MinPasswordLength", "", 1};
    }

    struct Spec {
        std::string_view key;
        std::string_view fact;
        enum { Bool, Int, Days, Minutes, MaxAge, Lockout } kind;
    };
    static constexpr Spec kSpecs[] = {
        {"ComplexityEnabled", "password_policy.complexity", Spec::Bool},
        {"MinPasswordLength", "password_policy.min_length", Spec::Int},
        {"PasswordHistoryCount", "password_policy.history", Spec::Int},
        {"ReversibleEncryptionEnabled", "password_policy.reversible_encryption", Spec::Bool},
        {"MaxPasswordAge", "password_policy.max_age_days", Spec::MaxAge},
        {"MinPasswordAge", "password_policy.min_age_days", Spec::Days},
        {"LockoutThreshold", "lockout.threshold", Spec::Int},
        {"LockoutDuration", "lockout.duration_minutes", Spec::Lockout},
        {"LockoutObservationWindow", "lockout.reset_minutes", Spec::Minutes},
    };

    for (const auto& s : kSpecs) {
        auto it = doc.find(std::string(s.key));
        if (it == doc.end() || it->is_null()) continue;
        const std::string key(s.key);
        const std::string fact(s.fact);
        auto [line, raw] = locate_key(text, s.key);
        const json& v = *it;
        std::string excerpt = v.is_object() ? "\"" + key + "\": " + describe(v) : raw;
        switch (s.kind) {
            case Spec::Bool:
                if (!v.is_boolean()) break;
                out.add(fact, v.get<bool>(), line, excerpt);
                continue;
            case Spec::Int:
                if (!v.is_number_integer() || v.get<long long>() < 0) break;
                out.add(fact, static_cast<std::int64_t>(v.get<long long>()), line, excerpt);
                continue;
            case Spec::Days:
            case Spec::MaxAge:
            case Spec::Minutes:
            case Spec::Lockout: {
                auto ticks = timespan_ticks(v);
                if (!ticks) break;
                long long value = 0;
                if (s.kind == Spec::MaxAge) {
                    value = *ticks <= 0 ? 0 : *ticks / kTicksPerDay;
                } else if (s.kind == Spec::Lockout) {
                    value = *ticks <= 0 ? -1 : *ticks / kTicksPerMinute;
                } else if (*ticks < 0) {
                    break;
                } else {
                    value = s.kind == Spec::Days ? *ticks / kTicksPerDay : *ticks / kTicksPerMinute;
                }
                out.add(fact, static_cast<std::int64_t>(value), line, excerpt);
                continue;
            }
        }
        out.warn(key + ": unexpected value " + v.dump(), line);
    }
    return out;
}

const CollectorInfo& ad_password_policy_json_collector() {
    static const CollectorInfo c{"ad-password-policy-json",
                                 "Get-ADDefaultDomainPasswordPolicy | ConvertTo-Json", &detect,
                                 &parse_ad_password_policy_json};
    return c;
}

}  // namespace grundscan
