#include "rules/evaluator.hpp"

#include <algorithm>
#include <ranges>
#include <regex>
#include <set>

#include "scanner/core/text.hpp"
#include "scanner/core/version.hpp"
#include "scanner/facts/catalog.hpp"

namespace grundscan {

namespace {

enum class Truth { True, False, Missing, Error };

struct LeafOutcome {
    Truth truth;
    std::string message;
};

struct Evaluation {
    const EvalContext& ctx;
    std::vector<Evidence> evidence;
    std::vector<std::string> missing;  // facts needed but absent
    std::vector<std::string> notes;    // what was compared (for the message)
    std::string error;
    int negations = 0;     // depth of `not` around the leaf being described
    int alternatives = 0;  // depth of `any` around the condition being evaluated

    const RuleValue& expected_value(const Condition& c) const {
        if (c.value) return *c.value;
        return ctx.rules.parameters.at(c.param).value;
    }

    void add_evidence(const Fact& f, const std::string& shown) {
        for (const auto& e : evidence)
            if (e.fact == f.name && e.value == shown) return;
        evidence.push_back(Evidence{f.name, shown, f.provenance});
    }

    static const char* op_text(Op op) {
        switch (op) {
            case Op::Eq:
                return "=";
            case Op::Ne:
                return "≠";
            case Op::Lt:
                return "<";
            case Op::Le:
                return "≤";
            case Op::Gt:
                return ">";
            case Op::Ge:
                return "≥";
            default:
                return op_name(op);
        }
    }

    std::string describe(const Condition& c, const std::string& actual_raw) const {
        std::string name = c.fact + (c.key.empty() ? "" : "[" + c.key + "]");
        bool de = ctx.lang == Lang::De;
        auto shown = [&](const std::string& v) {
            if (v.empty() || v == "[]") return std::string(de ? "leer" : "empty");
            if (v == "true") return std::string(de ? "ja" : "yes");
            if (v == "false") return std::string(de ? "nein" : "no");
            return v;
        };
        std::string actual = shown(actual_raw);
        std::string exp;
        if (c.op == Op::Exists)
            exp = de ? "vorhanden" : "present";
        else if (c.op == Op::Absent)
            exp = de ? "nicht vorhanden" : "absent";
        else if (c.op == Op::DaysSinceLe)
            exp = (de ? "höchstens " : "at most ") + rule_value_to_string(expected_value(c)) +
                  (de ? " Tage her" : " days ago");
        else if (c.op == Op::DaysSinceGt)
            exp = (de ? "mehr als " : "more than ") + rule_value_to_string(expected_value(c)) +
                  (de ? " Tage her" : " days ago");
        else if ((c.op == Op::In || c.op == Op::Eq) &&
                 shown(rule_value_to_string(expected_value(c))) !=
                     rule_value_to_string(expected_value(c)))
            exp = shown(rule_value_to_string(expected_value(c)));  // "leer", "ja", "nein"
        else if (c.op == Op::In)
            exp = (de ? "eines von " : "one of ") + rule_value_to_string(expected_value(c));
        else if (c.op == Op::NotIn)
            exp = (de ? "keines von " : "none of ") + rule_value_to_string(expected_value(c));
        else if (c.op == Op::Contains)
            exp = (de ? "enthält " : "contains ") + rule_value_to_string(expected_value(c));
        else if (c.op == Op::NotContains)
            exp = (de ? "enthält nicht " : "does not contain ") +
                  rule_value_to_string(expected_value(c));
        else if (c.op == Op::Matches)
            exp = (de ? "passt zu " : "matches ") + rule_value_to_string(expected_value(c));
        else
            exp = std::string(op_text(c.op)) + " " + shown(rule_value_to_string(expected_value(c)));
        if (negations % 2 == 1) exp = (de ? "nicht " : "not ") + exp;
        return name + ": " + (de ? "ist " : "is ") + actual + (de ? ", soll " : ", expected ") +
               exp;
    }

    Truth leaf(const Condition& c) {
        const Fact* f = ctx.facts.find(c.fact);
        if (!f) {
            if (c.op == Op::Exists && c.key.empty()) {
                // "exists" is itself the question: absence answers it (it never passes).
                notes.push_back(describe(c, ctx.lang == Lang::De ? "nicht vorhanden" : "absent"));
                return Truth::False;
            }
            missing.push_back(c.fact);
            return Truth::Missing;
        }
        const FactDecl* decl = find_fact_decl(c.fact);
        // Resolve map entries.
        FactValue entry_holder;
        const FactValue* v = &f->value;
        if (!c.key.empty()) {
            const auto* m = std::get_if<StringMap>(&f->value);
            if (!m) return fail_error("fact " + c.fact + " is not a map");
            auto it = m->find(c.key);
            if (c.op == Op::Absent || c.op == Op::Exists) {
                bool present = it != m->end();
                add_evidence(*f, c.key + (present ? " " + it->second
                                                  : (ctx.lang == Lang::De ? " nicht installiert"
                                                                          : " not installed")));
                notes.push_back(describe(c, present ? it->second : "-"));
                return (present == (c.op == Op::Exists)) ? Truth::True : Truth::False;
            }
            if (it == m->end()) {
                // The entry does not exist (e.g. the package is not installed): the comparison
                // cannot hold.
                add_evidence(
                    *f, c.key + (ctx.lang == Lang::De ? " nicht installiert" : " not installed"));
                notes.push_back(describe(c, "-"));
                return Truth::False;
            }
            entry_holder = it->second;
            v = &entry_holder;
        }
        std::string shown = fact_value_to_string(*v);
        add_evidence(*f, c.key.empty() ? shown : c.key + " " + shown);
        if (c.op == Op::Exists) {
            notes.push_back(describe(c, shown));
            return Truth::True;
        }
        const RuleValue& expected = expected_value(c);
        notes.push_back(describe(c, shown));
        auto result = compare(c, *v, expected, decl ? decl->type : FactType::String);
        return result;
    }

    Truth fail_error(std::string msg) {
        if (error.empty()) error = std::move(msg);
        return Truth::Error;
    }

    Truth compare(const Condition& c, const FactValue& actual, const RuleValue& expected,
                  FactType type) {
        auto as_bool = [](bool b) { return b ? Truth::True : Truth::False; };
        // Integers.
        if (auto ai = std::get_if<std::int64_t>(&actual)) {
            if (c.op == Op::In || c.op == Op::NotIn) {
                const auto& list = std::get<std::vector<std::string>>(expected);
                bool found = std::find(list.begin(), list.end(), std::to_string(*ai)) != list.end();
                return as_bool(found == (c.op == Op::In));
            }
            auto ei = std::get_if<std::int64_t>(&expected);
            if (!ei) return fail_error("rule compares an integer fact with a non-integer value");
            switch (c.op) {
                case Op::Eq:
                    return as_bool(*ai == *ei);
                case Op::Ne:
                    return as_bool(*ai != *ei);
                case Op::Lt:
                    return as_bool(*ai < *ei);
                case Op::Le:
                    return as_bool(*ai <= *ei);
                case Op::Gt:
                    return as_bool(*ai > *ei);
                case Op::Ge:
                    return as_bool(*ai >= *ei);
                default:
                    return fail_error(std::string("operator ") + op_name(c.op) +
                                      " not defined for integers");
            }
        }
        if (auto ab = std::get_if<bool>(&actual)) {
            auto eb = std::get_if<bool>(&expected);
            if (!eb) return fail_error("rule compares a boolean fact with a non-boolean value");
            if (c.op == Op::Eq) return as_bool(*ab == *eb);
            if (c.op == Op::Ne) return as_bool(*ab != *eb);
            return fail_error(std::string("operator ") + op_name(c.op) +
                              " not defined for booleans");
        }
        if (auto al = std::get_if<StringList>(&actual)) {
            auto es = std::get_if<std::string>(&expected);
            if (c.op == Op::Contains || c.op == Op::NotContains) {
                if (!es) return fail_error("contains needs a string value");
                bool found = std::any_of(al->begin(), al->end(),
                                         [&](const std::string& s) { return text_iequal(s, *es); });
                return as_bool(found == (c.op == Op::Contains));
            }
            if (c.op == Op::In || c.op == Op::NotIn) {
                // every listed item must be (in) / none may be (not_in) in the allowed list
                const auto& list = std::get<std::vector<std::string>>(expected);
                auto in_list = [&](const std::string& s) {
                    return std::any_of(list.begin(), list.end(),
                                       [&](const std::string& x) { return text_iequal(x, s); });
                };
                if (c.op == Op::In) return as_bool(std::all_of(al->begin(), al->end(), in_list));
                return as_bool(std::none_of(al->begin(), al->end(), in_list));
            }
            return fail_error(std::string("operator ") + op_name(c.op) + " not defined for lists");
        }
        const auto* as = std::get_if<std::string>(&actual);
        if (!as) return fail_error("unsupported fact value");
        if (c.op == Op::In || c.op == Op::NotIn) {
            const auto& list = std::get<std::vector<std::string>>(expected);
            bool found = std::any_of(list.begin(), list.end(),
                                     [&](const std::string& x) { return text_iequal(x, *as); });
            return as_bool(found == (c.op == Op::In));
        }
        std::string es = rule_value_to_string(expected);
        switch (c.op) {
            case Op::Eq:
                return as_bool(text_iequal(*as, es));
            case Op::Ne:
                return as_bool(!text_iequal(*as, es));
            case Op::Contains:
                return as_bool(as->find(es) != std::string::npos);
            case Op::NotContains:
                return as_bool(as->find(es) == std::string::npos);
            case Op::Matches: {
                try {
                    return as_bool(std::regex_search(*as, std::regex(es)));
                } catch (const std::regex_error& e) {
                    return fail_error(std::string("invalid regular expression: ") + e.what());
                }
            }
            case Op::VersionLt:
            case Op::VersionLe:
            case Op::VersionGt:
            case Op::VersionGe: {
                bool debian = c.fact == "packages" && package_manager() == "dpkg";
                int cmp = debian ? compare_debian_versions(*as, es) : compare_versions(*as, es);
                if (c.op == Op::VersionLt) return as_bool(cmp < 0);
                if (c.op == Op::VersionLe) return as_bool(cmp <= 0);
                if (c.op == Op::VersionGt) return as_bool(cmp > 0);
                return as_bool(cmp >= 0);
            }
            case Op::DaysSinceLe:
            case Op::DaysSinceGt:
            case Op::Lt:
            case Op::Le:
            case Op::Gt:
            case Op::Ge: {
                if (type != FactType::Date) return fail_error("date comparison on a non-date fact");
                auto d = parse_iso_date(*as);
                if (!d) return fail_error("fact " + c.fact + " is not a valid date: " + *as);
                if (c.op == Op::DaysSinceLe || c.op == Op::DaysSinceGt) {
                    auto limit = std::get_if<std::int64_t>(&expected);
                    if (!limit) return fail_error("days_since needs an integer");
                    long long days = days_between(*d, ctx.as_of);
                    return as_bool(c.op == Op::DaysSinceLe ? days <= *limit : days > *limit);
                }
                auto ed = parse_iso_date(es);
                if (!ed) return fail_error("rule value is not a date: " + es);
                if (c.op == Op::Lt) return as_bool(*d < *ed);
                if (c.op == Op::Le) return as_bool(*d <= *ed);
                if (c.op == Op::Gt) return as_bool(*d > *ed);
                return as_bool(*d >= *ed);
            }
            default:
                return fail_error(std::string("operator ") + op_name(c.op) +
                                  " not defined for strings");
        }
    }

    std::string package_manager() const {
        const Fact* f = ctx.facts.find("packages.manager");
        if (!f) return {};
        auto s = std::get_if<std::string>(&f->value);
        return s ? *s : std::string{};
    }

    static bool text_iequal(const std::string& a, const std::string& b) {
        return a.size() == b.size() &&
               std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
                   return std::tolower(static_cast<unsigned char>(x)) ==
                          std::tolower(static_cast<unsigned char>(y));
               });
    }

    Truth eval(const Condition& c) {
        switch (c.kind) {
            case Condition::Kind::Leaf:
                return leaf(c);
            case Condition::Kind::Not: {
                ++negations;
                Truth t = eval(c.children.front());
                --negations;
                if (t == Truth::True) return Truth::False;
                if (t == Truth::False) return Truth::True;
                return t;
            }
            case Condition::Kind::All:
            case Condition::Kind::Any: {
                bool all = c.kind == Condition::Kind::All;
                std::size_t first_note = notes.size();
                if (!all) ++alternatives;
                Truth result = all ? Truth::True : Truth::False;
                bool any_missing = false, any_error = false;
                for (const auto& child : c.children) {
                    Truth t = eval(child);
                    // Short-circuit only on a deciding value; keep evaluating otherwise so the
                    // evidence lists everything the decision rests on.
                    if (all && t == Truth::False) {
                        result = Truth::False;
                        break;
                    }
                    if (!all && t == Truth::True) {
                        result = Truth::True;
                        break;
                    }
                    any_missing |= t == Truth::Missing;
                    any_error |= t == Truth::Error;
                }
                if ((all && result != Truth::False) || (!all && result != Truth::True)) {
                    if (any_error)
                        result = Truth::Error;
                    else if (any_missing)
                        result = Truth::Missing;
                }
                if (!all) --alternatives;
                // Inside an alternative, an `all` reads as one branch: "A und B oder C".
                if (all && alternatives > 0 && notes.size() > first_note + 1) {
                    std::string joined;
                    for (std::size_t i = first_note; i < notes.size(); ++i)
                        joined +=
                            (joined.empty() ? "" : (ctx.lang == Lang::De ? " und " : " and ")) +
                            notes[i];
                    notes.resize(first_note);
                    notes.push_back(joined);
                }
                // Alternatives read as one finding: "ist 30, soll = 0 oder ≥ 365".
                if (!all && notes.size() > first_note + 1) {
                    std::string joined;
                    for (std::size_t i = first_note; i < notes.size(); ++i)
                        joined +=
                            (joined.empty() ? "" : (ctx.lang == Lang::De ? " oder " : " or ")) +
                            notes[i];
                    notes.resize(first_note);
                    notes.push_back(joined);
                }
                return result;
            }
        }
        return Truth::Error;
    }
};

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

// The issue explaining why `fact` is missing: a failed source whose collector produces it.
const SourceIssue* failed_source_for(const FactSet& facts, const std::string& fact) {
    const FactDecl* decl = find_fact_decl(fact);
    if (!decl) return nullptr;
    for (const auto& issue : facts.issues()) {
        if (!issue.fatal) continue;
        if (issue.collector.empty()) return &issue;  // type unknown: could have held anything
        for (auto p : std::string_view(decl->producers) | std::views::split(',')) {
            if (std::string_view(p.begin(), p.end()) == issue.collector) return &issue;
        }
    }
    return nullptr;
}

// "widersprüchliche Nachweise: 21H2 (a.txt:4) ≠ 2022 (b.txt:9)" when sources of equal weight
// disagree about `fact`; empty otherwise.
std::string conflict_reason(const FactSet& facts, const std::string& fact, bool de) {
    const FactConflict* c = facts.conflict(fact);
    if (!c) return {};
    std::string out = de ? "widersprüchliche Nachweise: " : "contradictory evidence: ";
    for (std::size_t i = 0; i < c->values.size(); ++i) {
        const Fact& f = c->values[i];
        out += (i ? " ≠ " : "") + fact_value_to_string(f.value) + " (" + f.provenance.source +
               (f.provenance.line > 0 ? ":" + std::to_string(f.provenance.line) : "") + ")";
    }
    return out;
}

// The remark explaining why `fact` is missing, when that is unambiguous, in this order:
// 1. an issue whose `explains` names the fact ("not tested because ...");
// 2. a non-fatal whole-source issue (line 0) of the only producer whose sources ran for the
//    asset (e.g. sshd-config "Include ... is not in the export" when no sshd -T was exported);
// 3. such an issue of the first-listed producer (the enrichment that normally provides it, e.g.
//    debian-tracker for vulns.*) when no other producer left a remark.
// nullptr otherwise.
const SourceIssue* reason_for_missing(const FactSet& facts, const std::string& fact) {
    for (const auto& issue : facts.issues()) {
        if (std::find(issue.explains.begin(), issue.explains.end(), fact) != issue.explains.end())
            return &issue;
    }
    const FactDecl* decl = find_fact_decl(fact);
    if (!decl) return nullptr;
    std::vector<std::string> producers;
    for (auto p : std::string_view(decl->producers) | std::views::split(','))
        producers.emplace_back(text::trim(std::string_view(p.begin(), p.end())));
    if (producers.empty()) return nullptr;
    auto remark_of = [&](const std::string& producer) -> const SourceIssue* {
        for (const auto& issue : facts.issues())
            if (!issue.fatal && issue.line == 0 && issue.collector == producer) return &issue;
        return nullptr;
    };
    std::string ran;
    bool several_ran = false;
    for (const auto& p : producers) {
        const auto& done = facts.collectors();
        if (std::find(done.begin(), done.end(), p) == done.end()) continue;
        if (!ran.empty() && ran != p) several_ran = true;
        ran = p;
    }
    if (!ran.empty() && !several_ran)
        if (const SourceIssue* r = remark_of(ran)) return r;
    if (several_ran) return nullptr;
    for (const auto& issue : facts.issues()) {
        if (issue.fatal || issue.line != 0) continue;
        bool from_other =
            std::find(producers.begin() + 1, producers.end(), issue.collector) != producers.end();
        if (from_other) return nullptr;  // another producer's remark: ambiguous
    }
    return remark_of(producers.front());
}

// The evidence age limit in days: parameter evidence_max_age_days, else the documented default.
long long evidence_max_age_days(const RuleSet& rules) {
    auto it = rules.parameters.find("evidence_max_age_days");
    if (it != rules.parameters.end())
        if (const auto* v = std::get_if<std::int64_t>(&it->second.value)) return *v;
    return kDefaultEvidenceMaxAgeDays;
}

// "Nachweis veraltet: ..." for the oldest evidence observed more than the limit before the
// Stichtag; empty when all evidence is current or its observation day is unknown.
std::string stale_evidence_reason(const std::vector<Evidence>& evidence, const EvalContext& ctx) {
    const Evidence* oldest = nullptr;
    long long oldest_days = 0;
    for (const auto& e : evidence) {
        auto d = parse_iso_date(e.provenance.observed_at);
        if (!d) continue;
        long long days = days_between(*d, ctx.as_of);
        if (!oldest || days > oldest_days) {
            oldest = &e;
            oldest_days = days;
        }
    }
    long long limit = evidence_max_age_days(ctx.rules);
    if (!oldest || oldest_days <= limit) return {};
    bool de = ctx.lang == Lang::De;
    return (de ? "Nachweis veraltet: " : "evidence out of date: ") + oldest->fact + " (" +
           oldest->provenance.source + (de ? ") erhoben am " : ") observed on ") +
           oldest->provenance.observed_at + ", " + std::to_string(oldest_days) +
           (de ? " Tage vor dem Stichtag " : " days before the Stichtag ") + ctx.as_of.iso() +
           (de ? " (höchstens " : " (at most ") + std::to_string(limit) +
           (de ? " Tage; Parameter evidence_max_age_days)"
               : " days; parameter evidence_max_age_days)");
}

std::string source_failure_message(const SourceIssue& issue, bool de) {
    return (de ? "Quelle nicht auswertbar: " : "source unusable: ") + issue.source +
           (issue.line > 0 ? ":" + std::to_string(issue.line) : "") + ": " + issue.message;
}

}  // namespace

RuleResult evaluate_rule(const Rule& rule, const EvalContext& ctx) {
    RuleResult out;
    out.rule_id = rule.id;
    bool de = ctx.lang == Lang::De;
    if (!rule.kinds.empty() &&
        std::find(rule.kinds.begin(), rule.kinds.end(), ctx.asset_kind) == rule.kinds.end()) {
        out.state = ResultState::NotApplicable;
        out.message =
            (de ? "gilt nicht für Systeme der Art " : "does not apply to assets of kind ") +
            ctx.asset_kind;
        return out;
    }
    std::vector<Evidence> applicability_evidence;
    if (rule.when) {
        Evaluation pre{ctx, {}, {}, {}, {}};
        Truth t = pre.eval(*rule.when);
        if (t == Truth::False) {
            out.state = ResultState::NotApplicable;
            out.message = (de ? "nicht anwendbar: " : "not applicable: ") + join(pre.notes, "; ");
            out.evidence = std::move(pre.evidence);
            return out;
        }
        if (t != Truth::True) {
            out.state = t == Truth::Error ? ResultState::Error : ResultState::NoEvidence;
            out.message = (de ? "Anwendbarkeit nicht feststellbar, es fehlt: "
                              : "applicability unknown, missing: ") +
                          join(pre.missing, ", ") + pre.error;
            for (const auto& m : pre.missing) {
                if (std::string why = conflict_reason(ctx.facts, m, de); !why.empty())
                    out.message += " (" + m + ": " + why + ")";
            }
            for (const auto& m : pre.missing) {
                if (const SourceIssue* issue = failed_source_for(ctx.facts, m)) {
                    out.state = ResultState::Error;
                    out.message = source_failure_message(*issue, de);
                    break;
                }
            }
            return out;
        }
        applicability_evidence = std::move(pre.evidence);
    }
    Evaluation ev{ctx, {}, {}, {}, {}};
    Truth t = ev.eval(rule.check);
    out.evidence = std::move(ev.evidence);
    // The facts that made the rule applicable are part of the basis too (e.g. "the probe ran"
    // for a check that passes on the absence of a header).
    for (auto& e : applicability_evidence) {
        if (std::none_of(out.evidence.begin(), out.evidence.end(),
                         [&](const Evidence& x) { return x.fact == e.fact; }))
            out.evidence.push_back(std::move(e));
    }
    // Facts that explain the verdict (e.g. which password tier applied and why).
    std::string explanation;
    for (const auto& name : rule.explain) {
        const Fact* f = ctx.facts.find(name);
        if (!f) continue;
        std::string shown = fact_value_to_string(f->value);
        if (std::none_of(out.evidence.begin(), out.evidence.end(),
                         [&](const Evidence& x) { return x.fact == name; }))
            out.evidence.push_back(Evidence{name, shown, f->provenance});
        explanation += "; " + name + " = " + shown +
                       (f->provenance.excerpt.empty() ? "" : " (" + f->provenance.excerpt + ")");
    }
    switch (t) {
        case Truth::True:
            out.state = ResultState::Pass;
            out.message = join(ev.notes, "; ");
            // "erfüllt" only on current evidence: an old export says nothing about today.
            if (std::string stale = stale_evidence_reason(out.evidence, ctx); !stale.empty()) {
                out.state = ResultState::NoEvidence;
                out.message = stale + "; " + out.message;
            }
            out.message += explanation;
            break;
        case Truth::False:
            out.state = ResultState::Fail;
            out.message = join(ev.notes, "; ") + explanation;
            break;
        case Truth::Error:
            out.state = ResultState::Error;
            out.message = ev.error;
            break;
        case Truth::Missing: {
            std::sort(ev.missing.begin(), ev.missing.end());
            ev.missing.erase(std::unique(ev.missing.begin(), ev.missing.end()), ev.missing.end());
            for (const auto& m : ev.missing) {
                if (const SourceIssue* issue = failed_source_for(ctx.facts, m)) {
                    out.state = ResultState::Error;
                    out.message = source_failure_message(*issue, de);
                    return out;
                }
            }
            out.state = ResultState::NoEvidence;
            out.message =
                (de ? "kein Nachweis für: " : "no evidence for: ") + join(ev.missing, ", ");
            bool explained = false;
            for (const auto& m : ev.missing) {
                if (std::string why = conflict_reason(ctx.facts, m, de); !why.empty()) {
                    out.message += " (" + m + ": " + why + ")";
                    explained = true;
                }
            }
            if (explained) break;
            for (const auto& m : ev.missing) {
                if (const SourceIssue* why = reason_for_missing(ctx.facts, m)) {
                    out.message += " (" + why->collector +
                                   (why->source.empty() ? "" : ", " + why->source) + ": " +
                                   why->message + ")";
                    break;
                }
            }
            break;
        }
    }
    if (t == Truth::Missing) out.message += explanation;
    return out;
}

std::vector<std::string> run_rule_tests(const Rule& rule, const RuleSet& rules, const Date& as_of) {
    std::vector<std::string> failures;
    for (const auto& t : rule.tests) {
        FactSet facts;
        for (const auto& [name, value] : t.facts) {
            facts.add(Fact{name, value, Provenance{"fixture", t.line, "test", ""}, 0});
        }
        std::string kind =
            !t.kind.empty() ? t.kind : (rule.kinds.empty() ? "linux-server" : rule.kinds.front());
        EvalContext ctx{facts, kind, rules, as_of, Lang::En};
        RuleResult r = evaluate_rule(rule, ctx);
        if (t.expect != state_name(r.state)) {
            failures.push_back(rule.file + ":" + std::to_string(t.line) + ": " + rule.id +
                               " test '" + t.name + "': expected " + t.expect + ", got " +
                               state_name(r.state) + " (" + r.message + ")");
        }
    }
    return failures;
}

}  // namespace grundscan
