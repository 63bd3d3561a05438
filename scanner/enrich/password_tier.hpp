// The tier of the BSI password-policy component ("Entwurf Vorlage und Empfehlungen für eine
// Passwortrichtlinie", Stand-der-Technik-Bibliothek, rules/catalogs/bsi/) that applies to an
// asset, derived from the inventory's MFA declaration and the exported lockout threshold:
//   tier 2 "MFA-geschützter Zugriff": an approved MFA method is declared (mfa:) AND accounts are
//          locked after at most `tier2_lockout_max_attempts` (10) failed logons;
//   tier 1 "Hohe Standardsicherheit": otherwise, and always when no MFA is declared (the
//          component's default tier; "not declared" never selects the shorter minimum).
// Tier 3 (local PIN on managed mobile devices) is not derived: grundscan has no such assets.
// The fact's excerpt says which tier applied and why; rules compare lengths against the tier
// parameters (rules/packs/grundschutz/orp4-passwords.yaml).
#pragma once

#include <cstdint>
#include <string>

#include "scanner/facts/fact.hpp"
#include "scanner/inventory/inventory.hpp"

namespace grundscan {

// Collector type named in the provenance of password_policy.tier.
inline constexpr const char* kPasswordTierCollector = "password-tier";

struct PasswordTierSettings {
    std::int64_t tier2_lockout_max_attempts =
        10;              // pack parameter password_tier2_lockout_max_attempts
    bool german = true;  // language of the excerpt (the scan's --lang)
};

// Adds password_policy.tier for an asset that has a password or lockout fact or an MFA
// declaration. With MFA declared but no usable lockout.threshold (not exported, contradictory)
// the tier is not decided: no fact, and an issue explaining password_policy.tier.
// `inventory_file`/`inventory_line` locate the asset (provenance of a tier 1 without MFA).
void derive_password_tier(FactSet& facts, const MfaDecl* mfa, const std::string& inventory_file,
                          int inventory_line, const PasswordTierSettings& settings);

}  // namespace grundscan
