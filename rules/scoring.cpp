#include "rules/scoring.hpp"

#include <map>

namespace grundscan {

void Tally::add(ResultState s, Severity sev, double weight) {
    switch (s) {
        case ResultState::Pass:
            ++pass;
            weight_pass += weight;
            break;
        case ResultState::Fail:
            ++fail;
            weight_fail += weight;
            ++fails_by_severity[sev];
            break;
        case ResultState::NoEvidence:
            ++no_evidence;
            break;
        case ResultState::NotApplicable:
            ++not_applicable;
            break;
        case ResultState::Error:
            ++error;
            break;
        case ResultState::Waived:
            ++waived;
            weight_waived += weight;
            break;
    }
}

void Tally::merge(const Tally& o) {
    pass += o.pass;
    fail += o.fail;
    no_evidence += o.no_evidence;
    not_applicable += o.not_applicable;
    error += o.error;
    waived += o.waived;
    weight_pass += o.weight_pass;
    weight_fail += o.weight_fail;
    weight_waived += o.weight_waived;
    for (const auto& [sev, n] : o.fails_by_severity) fails_by_severity[sev] += n;
}

const char* score_model_name(ScoreModel m) {
    return m == ScoreModel::Weighted ? "weighted" : "flat-unweighted";
}

std::optional<ScoreModel> parse_score_model(std::string_view s) {
    if (s == "weighted") return ScoreModel::Weighted;
    if (s == "flat-unweighted") return ScoreModel::FlatUnweighted;
    return std::nullopt;
}

Score compute_score(const Tally& tally, const ScoringConfig& config) {
    Score s;
    s.tally = tally;
    int decided = tally.pass + tally.fail;
    int applicable = tally.pass + tally.fail + tally.no_evidence + tally.error;
    if (applicable > 0) s.coverage = 100.0 * decided / applicable;
    if (decided == 0) {
        s.ampel = Ampel::None;
        return s;
    }
    if (config.model == ScoreModel::Weighted) {
        double total = tally.weight_pass + tally.weight_fail;
        s.value = total > 0 ? 100.0 * tally.weight_pass / total : 0.0;
        double all = total + tally.weight_waived;
        s.value_without_waivers = all > 0 ? 100.0 * tally.weight_pass / all : 0.0;
    } else {
        s.value = 100.0 * tally.pass / decided;
        s.value_without_waivers = 100.0 * tally.pass / (decided + tally.waived);
    }
    auto crit = tally.fails_by_severity.find(Severity::Critical);
    bool critical_fail = crit != tally.fails_by_severity.end() && crit->second > 0;
    bool low_coverage = s.coverage && *s.coverage < config.min_coverage;
    if (critical_fail || low_coverage)
        s.ampel = Ampel::Red;
    else if (*s.value >= config.green)
        s.ampel = Ampel::Green;
    else if (*s.value >= config.yellow)
        s.ampel = Ampel::Yellow;
    else
        s.ampel = Ampel::Red;
    return s;
}

void score_scan(ScanResult& scan, const ScoringConfig& config) {
    Tally org;
    for (auto& mun : scan.municipalities) {
        Tally mun_tally;
        std::map<std::string, Tally> modules;
        for (auto& asset : mun.assets) {
            Tally t;
            for (const auto& r : asset.results) {
                const Rule* rule = scan.rule(r.rule_id);
                Severity sev = rule ? rule->severity : Severity::Medium;
                double w = config.model == ScoreModel::Weighted && rule ? rule->weight : 1.0;
                t.add(r.state, sev, w);
                if (rule && r.state != ResultState::NotApplicable)
                    modules[rule->module].add(r.state, sev, w);
            }
            asset.score = compute_score(t, config);
            mun_tally.merge(t);
        }
        mun.modules.clear();
        for (const auto& [module, t] : modules)
            mun.modules.push_back(ModuleScore{module, compute_score(t, config)});
        mun.score = compute_score(mun_tally, config);
        org.merge(mun_tally);
    }
    scan.score = compute_score(org, config);
    scan.score_model = score_model_name(config.model);
    scan.green_threshold = config.green;
    scan.yellow_threshold = config.yellow;
    scan.min_coverage = config.min_coverage;
}

}  // namespace grundscan
