// The fact catalog: every fact grundscan knows, declared once as data. Rules may only name
// facts declared here (the rule loader checks), and docs/facts.md is generated from it
// (`grundscan facts --markdown`).
#pragma once

#include <span>
#include <string_view>

namespace grundscan {

enum class FactType { Boolean, Integer, String, Date, Version, List, Map };

// How two sources of equal priority that report different values for one fact are combined.
enum class FactMerge {
    Conflict,  // default: contradictory evidence, the fact is withheld (no evidence)
    Union,     // lists of things found (installed updates): the sorted union
    Max,       // integers that are lower bounds (number of updates listed): the larger
    Newest,    // dates of the latest event (last update installed): the later
};

const char* fact_type_name(FactType t);

struct FactDecl {
    std::string_view name;  // dotted path, e.g. "password_policy.min_length"
    FactType type;
    std::string_view unit;         // "days", "minutes", "characters", "" ...
    std::string_view description;  // English, one sentence; what the value means
    std::string_view producers;    // comma-separated collector types (or "eol-feed")
    FactMerge merge = FactMerge::Conflict;
};

std::span<const FactDecl> fact_catalog();

// The declaration named `name`, or nullptr.
const FactDecl* find_fact_decl(std::string_view name);

}  // namespace grundscan
