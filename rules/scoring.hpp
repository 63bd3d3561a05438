// Scores per asset, per Baustein within a municipality, per municipality and for the whole
// organisation. The formulas are documented in docs/scoring.md and named in every report.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "rules/results.hpp"

namespace grundscan {

enum class ScoreModel { Weighted, FlatUnweighted };
const char* score_model_name(ScoreModel m);  // "weighted", "flat-unweighted"
std::optional<ScoreModel> parse_score_model(std::string_view s);

struct ScoringConfig {
    ScoreModel model = ScoreModel::Weighted;
    double min_coverage = 50;  // below this evidence coverage: Ampel none ("keine Bewertung")
    // Catalogue for requirement levels and the BSI coverage; without it a requirement takes the
    // level of the rule that cites it and no BSI coverage is computed.
    const BsiCatalog* catalog = nullptr;
};

// Requirement states, accumulated from the results that cite a requirement.
struct RequirementState {
    Level level = Level::Basis;  // from the catalogue
    bool failed = false, no_evidence = false, waived = false, met = false;
    void add(ResultState s);
    void merge(const RequirementState& o);
};
using RequirementStates = std::map<std::string, RequirementState>;  // by requirement id

// Score of one tally plus the requirement states behind it:
//   value (weighted):        100 * Σ weight(pass) / Σ weight(pass + fail)
//   value (flat-unweighted): 100 * #pass / #(pass + fail)
// no_evidence and error never raise the value; they lower coverage = (pass+fail)/applicable.
// The Ampel follows the levels (see Ampel): red on a critical failure or a failed Basis
// requirement, yellow when Basis holds but Standard does not (or Basis lacks evidence), green
// when both hold; none when nothing was decided or coverage is below min_coverage. Advisory
// rules are in neither the tally nor the requirement states.
Score compute_score(const Tally& tally, const RequirementStates& requirements,
                    const ScoringConfig& config);

// Fills every Score in `scan` (assets, modules, municipalities, organisation) and the BSI
// coverage of each municipality and of the organisation.
void score_scan(ScanResult& scan, const ScoringConfig& config);

}  // namespace grundscan
