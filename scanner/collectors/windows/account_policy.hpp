// Windows account policy (password and lockout settings) as the security templates and the
// Group Policy reports name them: the setting-to-fact table and the value normalisation
// shared by the secedit-inf and gpresult-xml collectors.
#pragma once

#include <optional>
#include <string_view>

#include "scanner/facts/fact.hpp"

namespace grundscan {

enum class AccountPolicyKind {
    Integer,          // a count, days or minutes: 0 or more
    Boolean,          // 0 or 1
    MaxAge,           // MaximumPasswordAge: -1 or 0 = never expires, read as 0
    LockoutDuration,  // LockoutDuration: -1 = until an administrator unlocks, kept as -1
};

struct AccountPolicySetting {
    std::string_view name;  // MinimumPasswordLength, LockoutBadCount, ...
    std::string_view fact;  // password_policy.min_length, lockout.threshold, ...
    AccountPolicyKind kind;
};

// The account policy setting `name` (matched case-insensitively), or nullptr: one of
// MinimumPasswordLength, PasswordComplexity, PasswordHistorySize, MaximumPasswordAge,
// MinimumPasswordAge, ClearTextPassword, LockoutBadCount, LockoutDuration, ResetLockoutCount.
const AccountPolicySetting* find_account_policy_setting(std::string_view name);

// The fact value of `raw` for `setting` (a bool for Boolean, else an integer; MaxAge -1 or
// 0 becomes 0), or std::nullopt when `raw` is out of range for its kind. A DWORD -1 written
// as 4294967295 is the caller's to turn into -1 first.
std::optional<FactValue> normalise_account_policy_value(const AccountPolicySetting& setting,
                                                        long long raw);

}  // namespace grundscan
