// The fact catalog: every fact grundscan knows, declared once as data. Rules may only name
// facts declared here (the rule loader checks), and docs/facts.md is generated from it
// (`grundscan facts --markdown`).
#pragma once

#include <span>
#include <string_view>

namespace grundscan {

enum class FactType { Boolean, Integer, String, Date, Version, List, Map };

const char* fact_type_name(FactType t);

struct FactDecl {
    std::string_view name;  // dotted path, e.g. "password_policy.min_length"
    FactType type;
    std::string_view unit;         // "days", "minutes", "characters", "" ...
    std::string_view description;  // English, one sentence; what the value means
    std::string_view producers;    // comma-separated collector types (or "eol-feed")
};

std::span<const FactDecl> fact_catalog();

// The declaration named `name`, or nullptr.
const FactDecl* find_fact_decl(std::string_view name);

}  // namespace grundscan
