// The fact model: normalized, typed facts per asset, each with its provenance ("Nachweis").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace grundscan {

// Value of a fact. The declared FactType (see catalog.hpp) says how to read a string:
// dates are "YYYY-MM-DD", versions are compared with compare_versions().
using StringList = std::vector<std::string>;
using StringMap = std::map<std::string, std::string>;
using FactValue = std::variant<bool, std::int64_t, std::string, StringList, StringMap>;

// Where a fact came from: the export file (as named in the inventory), the line, the
// collector that read it and the raw text it was read from.
struct Provenance {
    std::string source;     // path as given/resolved from the inventory, or "local:/etc/..."
    int line = 0;           // 1-based; 0 when the fact is derived from a whole file
    std::string collector;  // collector type, e.g. "secedit-inf"
    std::string excerpt;    // the line or value as found, for the report's evidence
    // Day the evidence was observed on the host ("YYYY-MM-DD": export collection time, probe
    // time, feed data date); empty when unknown. A pass resting on evidence older than the
    // evidence age limit is no evidence (rules/evaluator).
    std::string observed_at = {};
};

struct Fact {
    std::string name;
    FactValue value;
    Provenance provenance;
    // When several sources of one asset yield the same fact, the higher priority wins
    // (e.g. pwquality.conf minlen over login.defs PASS_MIN_LEN); equal priorities are merged by
    // the fact's declared merge rule (see FactMerge in catalog.hpp), never by source order.
    int priority = 0;
};

// Two or more sources of equal priority that disagree about one fact: the fact is withheld
// (rules needing it report no evidence, naming both values).
struct FactConflict {
    std::string name;
    int priority = 0;
    std::vector<Fact> values;  // distinct values, sorted by source and line
};

// A problem reading or parsing one source of an asset.
struct SourceIssue {
    std::string source;
    std::string collector;  // empty when the type could not be determined
    std::string message;
    int line = 0;
    bool fatal = true;  // true: the source yielded nothing; false: a warning, facts were kept
    // Facts this issue explains the absence of ("not tested because ..."): a rule that needs
    // one of them reports no evidence with this message as the reason.
    std::vector<std::string> explains = {};
};

// All facts of one asset, with the issues met while collecting them.
class FactSet {
  public:
    // Adds `fact`. A higher priority replaces, a lower one is ignored. At equal priority the
    // result does not depend on the order of adding: equal values keep the provenance that sorts
    // first (source, line); different values are merged as the catalog declares (union of
    // lists, maximum of lower bounds, newest date) or, by default, become a FactConflict.
    void add(Fact fact);
    const Fact* find(const std::string& name) const;
    // The conflict that withholds `name`, or nullptr.
    const FactConflict* conflict(const std::string& name) const;
    const std::map<std::string, FactConflict>& conflicts() const { return conflicts_; }
    // Gives facts of `collector` (an enrichment) that carry no observation day the day `day`:
    // what is derived from an export is no newer than the export.
    void inherit_observed_at(const std::string& collector, const std::string& day);
    const std::map<std::string, Fact>& all() const { return facts_; }
    std::size_t size() const { return facts_.size(); }

    void add_issue(SourceIssue issue) { issues_.push_back(std::move(issue)); }
    const std::vector<SourceIssue>& issues() const { return issues_; }

    // Collector types whose sources ran for this asset (successfully or not).
    void note_collector(const std::string& type) { collectors_.push_back(type); }
    const std::vector<std::string>& collectors() const { return collectors_; }

  private:
    std::map<std::string, Fact> facts_;
    std::map<std::string, FactConflict> conflicts_;
    std::vector<SourceIssue> issues_;
    std::vector<std::string> collectors_;
};

// Renders `v` for humans ("14", "ja"/"yes" is left to reports; here: "true").
std::string fact_value_to_string(const FactValue& v);

}  // namespace grundscan
