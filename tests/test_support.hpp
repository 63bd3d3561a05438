// Helpers for tests: locating fixtures and reading files byte-exact.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace grundscan::testing {

inline std::filesystem::path fixture(const std::string& rel) {
    return std::filesystem::path(GRUNDSCAN_FIXTURES_DIR) / rel;
}

inline std::filesystem::path source_dir() { return std::filesystem::path(GRUNDSCAN_SOURCE_DIR); }

// Path of a file under ../shared/samples, or empty when the shared folder is absent
// (a user's clone has none: such tests skip, the in-project fixtures carry the suite).
inline std::filesystem::path shared_sample(const std::string& rel) {
    auto p = std::filesystem::path(GRUNDSCAN_SHARED_SAMPLES_DIR) / rel;
    return std::filesystem::exists(p) ? p : std::filesystem::path{};
}

inline std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) ADD_FAILURE() << "cannot open " << p;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace grundscan::testing

#include <variant>

#include "scanner/collectors/collector.hpp"
#include "scanner/facts/catalog.hpp"

namespace grundscan::testing {

// Fails the test for every fact in `out` that is not declared in the catalog or whose value
// does not match its declared type.
inline void expect_facts_declared(const ParseOutput& out) {
    for (const auto& f : out.facts) {
        const FactDecl* d = find_fact_decl(f.name);
        ASSERT_NE(d, nullptr) << "undeclared fact " << f.name;
        bool ok = false;
        switch (d->type) {
            case FactType::Boolean: ok = std::holds_alternative<bool>(f.value); break;
            case FactType::Integer: ok = std::holds_alternative<std::int64_t>(f.value); break;
            case FactType::String:
            case FactType::Date:
            case FactType::Version: ok = std::holds_alternative<std::string>(f.value); break;
            case FactType::List: ok = std::holds_alternative<StringList>(f.value); break;
            case FactType::Map: ok = std::holds_alternative<StringMap>(f.value); break;
        }
        EXPECT_TRUE(ok) << "fact " << f.name << " has a value of the wrong type";
    }
}

// The fact named `name` in `out` (last one wins, as FactSet would with equal priority
// keeping the first: tests should not emit duplicates), or nullptr.
inline const Fact* find_fact(const ParseOutput& out, const std::string& name) {
    for (const auto& f : out.facts)
        if (f.name == name) return &f;
    return nullptr;
}

}  // namespace grundscan::testing
