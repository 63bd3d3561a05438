// Scores per asset, per Baustein within a municipality, per municipality and for the whole
// organisation. The formulas are documented in docs/scoring.md and named in every report.
#pragma once

#include <optional>
#include <string>

#include "rules/results.hpp"

namespace grundscan {

enum class ScoreModel { Weighted, FlatUnweighted };
const char* score_model_name(ScoreModel m);  // "weighted", "flat-unweighted"
std::optional<ScoreModel> parse_score_model(std::string_view s);

struct ScoringConfig {
    ScoreModel model = ScoreModel::Weighted;
    double green = 85;         // score >= green and no critical fail -> green
    double yellow = 60;        // score >= yellow and no critical fail -> yellow; else red
    double min_coverage = 50;  // below this coverage the light is red: too little evidence
};

// Score of one tally:
//   weighted:        100 * Σ weight(pass) / Σ weight(pass + fail)
//   flat-unweighted: 100 * #pass / #(pass + fail)
// no_evidence and error never raise the score; they lower coverage = (pass+fail)/applicable.
// A critical fail forces red; so does coverage below min_coverage (a light that rests on too
// little evidence must not look green or yellow). No pass/fail result at all -> no value,
// Ampel none.
Score compute_score(const Tally& tally, const ScoringConfig& config);

// Fills every Score in `scan` (assets, modules, municipalities, organisation).
void score_scan(ScanResult& scan, const ScoringConfig& config);

}  // namespace grundscan
