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

inline std::filesystem::path source_dir() {
    return std::filesystem::path(GRUNDSCAN_SOURCE_DIR);
}

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

#include <cstdint>
#include <optional>
#include <variant>

#include "scanner/collectors/collector.hpp"
#include "scanner/core/expected.hpp"
#include "scanner/core/text.hpp"
#include "scanner/facts/catalog.hpp"

namespace grundscan::testing {

// Fails the test for every fact in `out` that is not declared in the catalog or whose value
// does not match its declared type.
inline void expect_facts_declared(const std::vector<Fact>& facts) {
    for (const auto& f : facts) {
        const FactDecl* d = find_fact_decl(f.name);
        ASSERT_NE(d, nullptr) << "undeclared fact " << f.name;
        bool ok = false;
        switch (d->type) {
            case FactType::Boolean:
                ok = std::holds_alternative<bool>(f.value);
                break;
            case FactType::Integer:
                ok = std::holds_alternative<std::int64_t>(f.value);
                break;
            case FactType::String:
            case FactType::Date:
            case FactType::Version:
                ok = std::holds_alternative<std::string>(f.value);
                break;
            case FactType::List:
                ok = std::holds_alternative<StringList>(f.value);
                break;
            case FactType::Map:
                ok = std::holds_alternative<StringMap>(f.value);
                break;
        }
        EXPECT_TRUE(ok) << "fact " << f.name << " has a value of the wrong type";
    }
}

inline void expect_facts_declared(const ParseOutput& out) {
    expect_facts_declared(out.facts);
}

// The fact named `name` in `out` (last one wins, as FactSet would with equal priority
// keeping the first: tests should not emit duplicates), or nullptr.
inline const Fact* find_fact(const ParseOutput& out, const std::string& name) {
    for (const auto& f : out.facts)
        if (f.name == name) return &f;
    return nullptr;
}

// The value of fact `name` in `out` if it is there and holds a T, else std::nullopt.
template <class T>
std::optional<T> typed_fact(const ParseOutput& out, const std::string& name) {
    const Fact* f = find_fact(out, name);
    if (f == nullptr || !std::holds_alternative<T>(f->value)) return std::nullopt;
    return std::get<T>(f->value);
}

inline std::optional<std::int64_t> int_fact(const ParseOutput& out, const std::string& name) {
    return typed_fact<std::int64_t>(out, name);
}

inline std::optional<bool> bool_fact(const ParseOutput& out, const std::string& name) {
    return typed_fact<bool>(out, name);
}

inline std::optional<std::string> str_fact(const ParseOutput& out, const std::string& name) {
    return typed_fact<std::string>(out, name);
}

// The list fact `name`, or an empty list when it is missing or not a list.
inline StringList list_fact(const ParseOutput& out, const std::string& name) {
    return typed_fact<StringList>(out, name).value_or(StringList{});
}

// The fixture `rel` read byte-exact and decoded to UTF-8 (empty, and a test failure, when it
// cannot be decoded).
inline std::string decoded_fixture(const std::string& rel) {
    auto d = text::decode(read_bytes(fixture(rel)));
    EXPECT_TRUE(d.ok());
    return d.ok() ? d->utf8 : std::string();
}

// The file at `p` read byte-exact, decoded and given to `parse`; a decoding failure is
// returned as the error.
inline Expected<ParseOutput> parse_fixture(const std::filesystem::path& p, ParseFn parse) {
    auto d = text::decode(read_bytes(p));
    if (!d.ok()) return d.error();
    return parse(d->utf8);
}

}  // namespace grundscan::testing
