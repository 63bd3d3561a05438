// Small text helpers shared by the vulnerability enrichments (Debian tracker, Red Hat OVAL).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "scanner/facts/fact.hpp"

namespace grundscan::feed_text {

// "feeds/debian/security-tracker.json" rather than the local absolute path: the last three
// components of `path`.
inline std::string shown_name(const std::filesystem::path& path) {
    std::filesystem::path p = path.lexically_normal();
    std::vector<std::filesystem::path> parts(p.begin(), p.end());
    std::filesystem::path out;
    for (std::size_t i = parts.size() > 3 ? parts.size() - 3 : 0; i < parts.size(); ++i)
        out /= parts[i];
    return out.generic_string();
}

// The value of a string or integer fact as text; "" when absent or of another type.
inline std::string fact_string(const FactSet& facts, const char* name) {
    const Fact* f = facts.find(name);
    if (!f) return {};
    if (auto s = std::get_if<std::string>(&f->value)) return *s;
    if (auto i = std::get_if<std::int64_t>(&f->value)) return std::to_string(*i);
    return {};
}

// At most `limit` items joined by "; ", then "… (+N more)".
inline std::string join_limited(const std::vector<std::string>& items, std::size_t limit) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < limit; ++i) out += (i ? "; " : "") + items[i];
    if (items.size() > limit) out += "; … (+" + std::to_string(items.size() - limit) + " more)";
    return out;
}

}  // namespace grundscan::feed_text
