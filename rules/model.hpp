// The rule model: rule packs loaded from YAML (rules/packs/), parameters and profiles.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "scanner/facts/fact.hpp"

namespace grundscan {

enum class Lang { De, En };
enum class Level { Basis, Standard, Erhoeht };
enum class Severity { Low, Medium, High, Critical };

const char* level_name(Level l);        // "basis", "standard", "erhoeht"
const char* severity_name(Severity s);  // "low" ... "critical"
std::optional<Level> parse_level(std::string_view s);
std::optional<Severity> parse_severity(std::string_view s);

// A text in German and English.
struct LocalText {
    std::string de;
    std::string en;
    const std::string& get(Lang lang) const { return lang == Lang::En && !en.empty() ? en : de; }
};

// A literal in a rule or profile: boolean, integer, string or list of strings.
using RuleValue = std::variant<bool, std::int64_t, std::string, std::vector<std::string>>;
std::string rule_value_to_string(const RuleValue& v);

enum class Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Matches,
    Exists,
    Absent,
    Contains,
    NotContains,
    VersionLt,
    VersionLe,
    VersionGt,
    VersionGe,
    DaysSinceLe,
    DaysSinceGt
};
const char* op_name(Op op);  // as written in YAML: "==", "version<", "days_since<=" ...
std::optional<Op> parse_op(std::string_view s);

// A node of a check: a comparison on one fact (leaf) or all/any/not of children.
struct Condition {
    enum class Kind { Leaf, All, Any, Not };
    Kind kind = Kind::Leaf;
    std::vector<Condition> children;
    // Leaf:
    std::string fact;  // declared fact name
    std::string key;   // for string-map facts: the entry (e.g. a package name)
    Op op = Op::Exists;
    std::optional<RuleValue> value;  // literal, or
    std::string param;               // named parameter (pack default, profile override)
    int line = 0;
};

// A fixture a rule ships: facts of an imaginary asset and the expected state.
struct RuleTest {
    std::string name;
    std::string kind;  // asset kind; default: the first of the rule's kinds
    std::map<std::string, FactValue> facts;
    std::string expect;  // pass, fail, no_evidence, not_applicable
    int line = 0;
};

// A cited IT-Grundschutz Edition 2023 requirement and the part of it that a rule checks.
struct RequirementRef {
    std::string id;  // "ORP.4.A22"
    // Which statement of the requirement the rule tests, in our own words (no BSI text).
    LocalText checks;
    // The requirement does not name the checked setting literally; it is the closest one.
    bool closest = false;
    // Asset kinds the requirement applies to (SYS.2.1.A3 only to clients); empty: all the
    // rule's kinds.
    std::vector<std::string> kinds;
    int line = 0;  // in the rule file
    bool applies_to(const std::string& kind) const;
};

// A Grundschutz++ control, qualified with its catalog: the same id can mean different things in
// two catalogs (KONF.14.1.2 is "Ende-zu-Ende-Verschlüsselung" in the Kernel and "HTTPS für
// Webserver" in the Mindeststandard TLS).
struct ControlRef {
    std::string catalog;  // "kernel", "methodik", "mindeststandard-tls"
    std::string id;       // "BER.6.5"
    std::string qualified() const { return catalog + ":" + id; }  // "kernel:BER.6.5"
    bool operator==(const ControlRef&) const = default;
};
// "kernel:BER.6.5" -> {kernel, BER.6.5}; an id without catalog -> nullopt.
std::optional<ControlRef> parse_control_ref(std::string_view qualified);
// "BER.6.5 (Kernel)", "BES.2.1.4.1 (Mindeststandard TLS)"
std::string control_label(const ControlRef& c);

struct Rule {
    std::string id;
    LocalText title;
    LocalText rationale;
    LocalText remediation;
    std::vector<RequirementRef> references;  // IT-Grundschutz Edition 2023; first = primary
    std::vector<ControlRef> gspp;            // Grundschutz++ controls
    std::string module;                      // Baustein, e.g. "ORP.4" (of the first reference)
    // No BSI requirement demands what the rule checks (good practice, early warning): shown in
    // reports, never counted in scores, Ampel or coverage.
    bool advisory = false;
    Level level = Level::Basis;  // level of the primary reference in the catalogue
    Severity severity = Severity::Medium;
    double weight = 1.0;
    std::vector<std::string> kinds;  // asset kinds; empty = all
    std::optional<Condition> when;   // further applicability condition
    Condition check;
    // Facts that explain the verdict without deciding it (e.g. password_policy.tier): their
    // evidence is attached to every decided result and their value and excerpt end the message.
    std::vector<std::string> explain;
    std::vector<RuleTest> tests;
    std::string pack;
    std::string file;
    int line = 0;
};

struct Parameter {
    std::string name;
    RuleValue value;  // default, possibly overridden by a profile
    LocalText description;
    std::string file;
    int line = 0;
};

struct RulePack {
    std::string id;
    std::string version;
    LocalText title;
    std::string directory;
};

// Everything loaded from one or more rule directories.
// The ids of a rule's references, in order ("ORP.4.A22", "ORP.4.A8").
std::vector<std::string> reference_ids(const Rule& r);
// Its Grundschutz++ controls as labels ("BER.6.5 (Kernel)").
std::vector<std::string> control_labels(const Rule& r);

struct RuleSet {
    std::vector<RulePack> packs;
    std::vector<Rule> rules;
    std::map<std::string, Parameter> parameters;
    const Rule* find(const std::string& id) const;
};

// A tailoring profile: selection of rules, parameter overrides, traffic-light thresholds.
struct Profile {
    std::string file;
    std::string title;
    std::vector<std::string> select;  // if non-empty: only these rule ids (or prefixes ending in *)
    std::vector<std::string> deselect;  // rule ids (or prefixes ending in *)
    std::map<std::string, RuleValue> parameters;
    std::optional<double> min_coverage;
};

}  // namespace grundscan
