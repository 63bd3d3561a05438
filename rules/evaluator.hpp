// Evaluating rules against an asset's facts. Missing evidence is never a pass.
#pragma once

#include <string>

#include "rules/model.hpp"
#include "rules/results.hpp"
#include "scanner/core/dates.hpp"
#include "scanner/facts/fact.hpp"

namespace grundscan {

// Evidence observed longer ago than this (days before the Stichtag) cannot carry a pass, unless
// the rule set's parameter evidence_max_age_days says otherwise.
inline constexpr long long kDefaultEvidenceMaxAgeDays = 35;

struct EvalContext {
    const FactSet& facts;
    std::string asset_kind;
    const RuleSet& rules;  // for parameter values
    Date as_of;            // "today" for days_since
    Lang lang = Lang::De;
};

// Evaluates `rule` for one asset:
// - not_applicable: the asset kind is not listed, or the `when` condition is false;
// - pass / fail: the check is decided on facts that are present (a pass only on evidence observed
//   at most evidence_max_age_days before the Stichtag, where the observation day is known);
// - no_evidence: a fact the decision needs is missing;
// - error: a fact is missing because reading its source failed, or the value is unusable.
RuleResult evaluate_rule(const Rule& rule, const EvalContext& ctx);

// Runs the rule's own fixtures; returns one line per failed fixture (empty = all good).
std::vector<std::string> run_rule_tests(const Rule& rule, const RuleSet& rules, const Date& as_of);

}  // namespace grundscan
