#include "scanner/enrich/password_tier.hpp"

#include <optional>

namespace grundscan {

namespace {

// Above every collector's priority: nothing else produces the tier.
constexpr int kDerivedPriority = 1000;

bool has_password_facts(const FactSet& facts) {
    for (const auto& [name, fact] : facts.all())
        if (name.starts_with("password_policy.") || name.starts_with("lockout.")) return true;
    return false;
}

}  // namespace

void derive_password_tier(FactSet& facts, const MfaDecl* mfa, const std::string& inventory_file,
                          int inventory_line, const PasswordTierSettings& s) {
    if (!mfa && !has_password_facts(facts)) return;
    const bool de = s.german;
    const std::string limit = std::to_string(s.tier2_lockout_max_attempts);
    const Fact* lockout = facts.find("lockout.threshold");
    const auto* threshold = lockout ? std::get_if<std::int64_t>(&lockout->value) : nullptr;
    auto where = [](const std::string& file, int line) {
        return file + (line > 0 ? ":" + std::to_string(line) : "");
    };
    std::string lockout_text;
    if (threshold && *threshold == 0)
        lockout_text = de ? "Kontosperre aus (lockout.threshold 0 = nie sperren)"
                          : "no account lockout (lockout.threshold 0 = never lock)";
    else if (threshold)
        lockout_text = (de ? "Kontosperre nach " : "account lockout after ") +
                       std::to_string(*threshold) + (de ? " Fehlversuchen" : " failed logons");
    else
        lockout_text = de ? "Kontosperre nicht belegt" : "account lockout not evidenced";
    if (lockout)
        lockout_text += " (" + where(lockout->provenance.source, lockout->provenance.line) + ")";

    auto add_tier = [&](std::int64_t tier, Provenance p, std::string why) {
        p.collector = kPasswordTierCollector;
        p.excerpt = (tier == 2 ? (de ? "Stufe 2 (MFA-geschützter Zugriff): "
                                     : "tier 2 (MFA-protected access): ")
                               : (de ? "Stufe 1 (Hohe Standardsicherheit): "
                                     : "tier 1 (high standard security): ")) +
                    why;
        facts.add(Fact{"password_policy.tier", tier, std::move(p), kDerivedPriority});
    };

    if (!mfa) {
        add_tier(1, Provenance{inventory_file, inventory_line, "", ""},
                 (de ? "keine MFA im Inventar erklärt (mfa:), daher gilt die Standardstufe; "
                     : "no MFA declared in the inventory (mfa:), so the default tier applies; ") +
                     lockout_text);
        return;
    }
    std::string mfa_text =
        (de ? "MFA erklärt: " : "MFA declared: ") + mfa->method + " (" +
        where(mfa->file, mfa->line) +
        (mfa->inherited ? (de ? ", für die Gemeinde" : ", for the municipality") : "") + ": " +
        mfa->note + ")";
    if (!threshold) {
        facts.add_issue(SourceIssue{
            mfa->file,
            kPasswordTierCollector,
            de ? "Passwort-Stufe nicht bestimmbar: MFA ist erklärt, aber die Kontosperre "
                 "(lockout.threshold) ist nicht belegt oder widersprüchlich; Stufe 2 verlangt "
                 "beides"
               : "password tier undecided: MFA is declared but the account lockout "
                 "(lockout.threshold) is missing or contradictory; tier 2 needs both",
            mfa->line,
            false,
            {"password_policy.tier"}});
        return;
    }
    Provenance p = lockout->provenance;
    if (*threshold >= 1 && *threshold <= s.tier2_lockout_max_attempts) {
        add_tier(2, p, mfa_text + (de ? " und " : " and ") + lockout_text + " (≤ " + limit + ")");
        return;
    }
    // Tier 1 never opens a pass on a shorter minimum: its observation day does not matter.
    p.observed_at.clear();
    add_tier(
        1, p,
        mfa_text + (de ? ", aber " : ", but ") + lockout_text +
            (*threshold > s.tier2_lockout_max_attempts
                 ? (de ? " (Stufe 2 verlangt höchstens " : " (tier 2 needs at most ") + limit + ")"
                 : std::string()));
}

}  // namespace grundscan
