// Windows account policy settings shared by the secedit-inf and gpresult-xml collectors.
#include "scanner/collectors/windows/account_policy.hpp"

#include <cstdint>

#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

constexpr AccountPolicySetting kSettings[] = {
    {"MinimumPasswordLength", "password_policy.min_length", AccountPolicyKind::Integer},
    {"PasswordComplexity", "password_policy.complexity", AccountPolicyKind::Boolean},
    {"PasswordHistorySize", "password_policy.history", AccountPolicyKind::Integer},
    {"MaximumPasswordAge", "password_policy.max_age_days", AccountPolicyKind::MaxAge},
    {"MinimumPasswordAge", "password_policy.min_age_days", AccountPolicyKind::Integer},
    {"ClearTextPassword", "password_policy.reversible_encryption", AccountPolicyKind::Boolean},
    {"LockoutBadCount", "lockout.threshold", AccountPolicyKind::Integer},
    {"LockoutDuration", "lockout.duration_minutes", AccountPolicyKind::LockoutDuration},
    {"ResetLockoutCount", "lockout.reset_minutes", AccountPolicyKind::Integer},
};

}  // namespace

const AccountPolicySetting* find_account_policy_setting(std::string_view name) {
    for (const auto& s : kSettings) {
        if (text::iequals(s.name, name)) return &s;
    }
    return nullptr;
}

std::optional<FactValue> normalise_account_policy_value(const AccountPolicySetting& setting,
                                                        long long raw) {
    switch (setting.kind) {
        case AccountPolicyKind::Boolean:
            if (raw != 0 && raw != 1) return std::nullopt;
            return FactValue{raw == 1};
        case AccountPolicyKind::MaxAge:
            if (raw < -1) return std::nullopt;
            return FactValue{static_cast<std::int64_t>(raw <= 0 ? 0 : raw)};
        case AccountPolicyKind::LockoutDuration:
            if (raw < -1) return std::nullopt;
            return FactValue{static_cast<std::int64_t>(raw)};
        case AccountPolicyKind::Integer:
            if (raw < 0) return std::nullopt;
            return FactValue{static_cast<std::int64_t>(raw)};
    }
    return std::nullopt;
}

}  // namespace grundscan
