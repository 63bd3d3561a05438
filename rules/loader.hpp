// Loading rule packs and profiles from YAML, with validation against the fact catalog.
#pragma once

#include <filesystem>
#include <vector>

#include "rules/model.hpp"
#include "scanner/core/expected.hpp"

namespace grundscan {

// Loads every pack under each of `dirs` (a pack is a directory with pack.yaml; rule files are
// the other *.yaml files in it). Validates every rule: known keys, unique ids, declared facts,
// operators that fit the fact type, parameters that exist, fixtures with pass and fail cases.
// Returns all problems found (file:line each); an empty list means the set is usable.
std::vector<Error> load_rules(const std::vector<std::filesystem::path>& dirs, RuleSet& out);

// Replaces "{{name}}" in every rule's title, rationale and remediation with the current value
// of parameter `name` (after a profile has been applied), so texts never contradict the
// thresholds actually checked. Unknown names are reported by load_rules.
void substitute_parameters(RuleSet& set);

// Loads a profile (select / deselect / parameters / scoring thresholds).
Expected<Profile> load_profile(const std::filesystem::path& file);

// Applies `profile` to `set`: removes deselected rules, keeps only selected ones, overrides
// parameters (errors for unknown parameters or values of the wrong type).
std::vector<Error> apply_profile(const Profile& profile, RuleSet& set);

// Converts a fixture value written in YAML text form to the declared fact type (used by the
// loader for rule tests; exposed for tests).
Expected<FactValue> fact_value_from_yaml_text(const std::string& fact, const std::string& yaml);

}  // namespace grundscan
