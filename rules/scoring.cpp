#include "rules/scoring.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "rules/bsi_catalog.hpp"

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

void RequirementState::add(ResultState s) {
    switch (s) {
        case ResultState::Pass:
            met = true;
            break;
        case ResultState::Fail:
            failed = true;
            break;
        case ResultState::NoEvidence:
        case ResultState::Error:
            no_evidence = true;
            break;
        case ResultState::Waived:
            waived = true;
            break;
        case ResultState::NotApplicable:
            break;
    }
}

void RequirementState::merge(const RequirementState& o) {
    failed |= o.failed;
    no_evidence |= o.no_evidence;
    waived |= o.waived;
    met |= o.met;
}

namespace {

void count(LevelTally& t, const RequirementState& r) {
    if (!(r.failed || r.no_evidence || r.waived || r.met)) return;  // only not applicable
    ++t.requirements;
    if (r.failed)
        ++t.failed;
    else if (r.no_evidence)
        ++t.no_evidence;
    else if (r.waived)
        ++t.waived;
    else
        ++t.met;
}

}  // namespace

Score compute_score(const Tally& tally, const RequirementStates& requirements,
                    const ScoringConfig& config) {
    Score s;
    s.tally = tally;
    for (const auto& [id, r] : requirements) {
        (void)id;
        count(r.level == Level::Basis      ? s.basis
              : r.level == Level::Standard ? s.standard
                                           : s.erhoeht,
              r);
    }
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
    if (low_coverage)
        s.ampel = Ampel::None;  // too little evidence for any statement ("keine Bewertung")
    else if (critical_fail || s.basis.failed > 0)
        s.ampel = Ampel::Red;
    else if (s.standard.failed > 0 || s.basis.no_evidence > 0 || s.standard.no_evidence > 0)
        s.ampel = Ampel::Yellow;
    else
        s.ampel = Ampel::Green;
    return s;
}

namespace {

// Adds `r` to the states of every requirement its rule cites.
void add_requirements(RequirementStates& states, const Rule& rule, ResultState state,
                      const std::string& kind, const BsiCatalog* catalog) {
    for (const auto& ref : rule.references) {
        if (!ref.applies_to(kind)) continue;
        auto [it, inserted] = states.try_emplace(ref.id);
        if (inserted) {
            const Requirement* req = catalog ? catalog->requirement(ref.id) : nullptr;
            it->second.level = req ? req->level : rule.level;
        }
        it->second.add(state);
    }
}

void merge_states(RequirementStates& into, const RequirementStates& from) {
    for (const auto& [id, st] : from) {
        auto [it, inserted] = into.try_emplace(id, st);
        if (!inserted) it->second.merge(st);
    }
}

// Coverage of the Bausteine modelled for `kinds` plus the organisation's, given the
// requirements rules exist for (`checkable`) and those with a decided result (`states`).
BsiCoverage coverage_of(const BsiCatalog& catalog, const std::set<std::string>& kinds,
                        const std::set<std::string>& checkable, const RequirementStates& states) {
    std::vector<std::string> bausteine;
    auto add = [&](const std::string& b) {
        if (std::find(bausteine.begin(), bausteine.end(), b) == bausteine.end())
            bausteine.push_back(b);
    };
    for (const auto& b : catalog.organisation_bausteine()) add(b);
    for (const auto& k : kinds)
        for (const auto& b : catalog.bausteine_for_kind(k)) add(b);
    BsiCoverage cov;
    for (const auto& b : bausteine) {
        BausteinCoverage bc;
        bc.id = b;
        if (const Baustein* info = catalog.baustein(b)) bc.title = info->title;
        for (const Requirement* req : catalog.requirements_of(b)) {
            if (req->level == Level::Erhoeht) continue;
            bool basis = req->level == Level::Basis;
            ++bc.modelled;
            if (basis) ++cov.basis_modelled;
            if (!checkable.count(req->id)) continue;
            ++bc.checkable;
            auto it = states.find(req->id);
            bool decided =
                it != states.end() && (it->second.met || it->second.failed || it->second.waived);
            if (decided) {
                ++bc.checked;
                if (basis) ++cov.basis_checked;
            }
        }
        cov.modelled += bc.modelled;
        cov.checkable += bc.checkable;
        cov.checked += bc.checked;
        cov.bausteine.push_back(std::move(bc));
    }
    return cov;
}

}  // namespace

void score_scan(ScanResult& scan, const ScoringConfig& config) {
    Tally org;
    RequirementStates org_states;
    std::set<std::string> org_kinds;
    std::set<std::string> checkable;  // requirements some evaluated (non-advisory) rule cites
    for (const Rule* r : scan.rules)
        if (!r->advisory)
            for (const auto& ref : r->references) checkable.insert(ref.id);
    for (auto& mun : scan.municipalities) {
        Tally mun_tally;
        RequirementStates mun_states;
        std::set<std::string> kinds;
        std::map<std::string, std::pair<Tally, RequirementStates>> modules;
        for (auto& asset : mun.assets) {
            kinds.insert(asset.kind);
            Tally t;
            RequirementStates states;
            int advisory = 0;
            for (const auto& r : asset.results) {
                const Rule* rule = scan.rule(r.rule_id);
                if (rule && rule->advisory) {
                    if (r.state == ResultState::Fail) ++advisory;
                    continue;
                }
                Severity sev = rule ? rule->severity : Severity::Medium;
                double w = config.model == ScoreModel::Weighted && rule ? rule->weight : 1.0;
                t.add(r.state, sev, w);
                if (!rule) continue;
                add_requirements(states, *rule, r.state, asset.kind, config.catalog);
                if (r.state != ResultState::NotApplicable) {
                    auto& m = modules[rule->module];
                    m.first.add(r.state, sev, w);
                    add_requirements(m.second, *rule, r.state, asset.kind, config.catalog);
                }
            }
            asset.score = compute_score(t, states, config);
            asset.score.advisory_findings = advisory;
            mun_tally.merge(t);
            merge_states(mun_states, states);
        }
        mun.modules.clear();
        for (const auto& [module, m] : modules)
            mun.modules.push_back(ModuleScore{module, compute_score(m.first, m.second, config)});
        int mun_advisory = 0;
        for (const auto& a : mun.assets) mun_advisory += a.score.advisory_findings;
        mun.score = compute_score(mun_tally, mun_states, config);
        mun.score.advisory_findings = mun_advisory;
        if (config.catalog)
            mun.coverage = coverage_of(*config.catalog, kinds, checkable, mun_states);
        org.merge(mun_tally);
        merge_states(org_states, mun_states);
        org_kinds.insert(kinds.begin(), kinds.end());
    }
    int org_advisory = 0;
    for (const auto& m : scan.municipalities) org_advisory += m.score.advisory_findings;
    scan.score = compute_score(org, org_states, config);
    scan.score.advisory_findings = org_advisory;
    if (config.catalog)
        scan.coverage = coverage_of(*config.catalog, org_kinds, checkable, org_states);
    scan.score_model = score_model_name(config.model);
    scan.min_coverage = config.min_coverage;
}

}  // namespace grundscan
