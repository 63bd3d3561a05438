#include "rules/bsi_catalog.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "scanner/core/text.hpp"

namespace grundscan {

namespace fs = std::filesystem;

namespace {

// The catalogue files ship with grundscan and are small (the requirement table is ~130 KB);
// anything far larger is not ours.
constexpr std::uintmax_t kMaxCatalogBytes = 4 * 1024 * 1024;

Expected<std::string> read_catalog_file(const fs::path& file) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return Error{"BSI catalogue file not found", file.string()};
    if (fs::file_size(file, ec) > kMaxCatalogBytes)
        return Error{"BSI catalogue file is larger than 4 MiB", file.string()};
    std::ifstream in(file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof()) return Error{"cannot read BSI catalogue file", file.string()};
    return ss.str();
}

// Calls `row(fields, line_number)` for every non-comment line of a TSV file.
template <class F>
Status for_each_tsv_row(const fs::path& file, std::size_t min_fields, F row) {
    auto text = read_catalog_file(file);
    if (!text) return text.error();
    int n = 0;
    for (auto line : text::split_lines(*text)) {
        ++n;
        if (line.empty() || line.front() == '#') continue;
        auto fields = text::split(line, '\t');
        if (fields.size() < min_fields)
            return Error{"expected " + std::to_string(min_fields) + " tab-separated fields",
                         file.string(), n};
        if (auto s = row(fields, n); !s) return s.error();
    }
    return Ok{};
}

Level level_from_letter(std::string_view s) {
    if (s == "S") return Level::Standard;
    if (s == "H") return Level::Erhoeht;
    return Level::Basis;
}

}  // namespace

fs::path catalog_dir(const fs::path& data_dir) {
    return data_dir / "rules" / "catalogs";
}

const std::vector<std::string>& BsiCatalog::control_catalogs() {
    static const std::vector<std::string> c = {"kernel", "methodik", "mindeststandard-tls"};
    return c;
}

Expected<BsiCatalog> BsiCatalog::load(const fs::path& dir) {
    BsiCatalog cat;
    auto req_file = dir / "edition2023-requirements.tsv";
    auto st = for_each_tsv_row(
        req_file, 5, [&](const std::vector<std::string_view>& f, int line) -> Status {
            if (f[2] != "B" && f[2] != "S" && f[2] != "H")
                return Error{"level must be B, S or H", req_file.string(), line};
            Requirement r{std::string(f[0]), std::string(f[1]), level_from_letter(f[2]),
                          f[3] == "1", std::string(f[4])};
            if (!cat.requirements_.emplace(r.id, r).second)
                return Error{"duplicate requirement id " + r.id, req_file.string(), line};
            cat.order_.push_back(r.id);
            return Ok{};
        });
    if (!st) return st.error();
    auto bs_file = dir / "edition2023-bausteine.tsv";
    st = for_each_tsv_row(bs_file, 2, [&](const std::vector<std::string_view>& f, int) -> Status {
        Baustein b{std::string(f[0]), std::string(f[1])};
        cat.bausteine_.emplace(b.id, b);
        return Ok{};
    });
    if (!st) return st.error();
    auto ctl_file = dir / "grundschutz-plus-plus-controls.tsv";
    st = for_each_tsv_row(ctl_file, 3, [&](const std::vector<std::string_view>& f, int) -> Status {
        cat.controls_[std::string(f[1])][std::string(f[0])] = std::string(f[2]);
        return Ok{};
    });
    if (!st) return st.error();

    auto kinds_file = dir / "asset-kind-bausteine.yaml";
    auto text = read_catalog_file(kinds_file);
    if (!text) return text.error();
    try {
        YAML::Node root = YAML::Load(*text);
        auto check_list = [&](const YAML::Node& list, std::vector<std::string>& out) -> Status {
            if (!list.IsSequence())
                return Error{"expected a list of Baustein ids", kinds_file.string(),
                             list.Mark().line + 1};
            for (const auto& b : list) {
                auto id = b.as<std::string>();
                if (!cat.bausteine_.count(id))
                    return Error{"unknown Baustein '" + id + "'", kinds_file.string(),
                                 b.Mark().line + 1};
                out.push_back(id);
            }
            return Ok{};
        };
        if (!root.IsMap() || !root["kinds"] || !root["kinds"].IsMap())
            return Error{"expected 'kinds' and 'organisation'", kinds_file.string(), 1};
        for (auto it = root["kinds"].begin(); it != root["kinds"].end(); ++it) {
            auto s = check_list(it->second, cat.kind_bausteine_[it->first.as<std::string>()]);
            if (!s) return s.error();
        }
        if (root["organisation"]) {
            auto s = check_list(root["organisation"], cat.organisation_);
            if (!s) return s.error();
        }
    } catch (const YAML::Exception& e) {
        return Error{"invalid YAML: " + e.msg, kinds_file.string(), e.mark.line + 1};
    }
    return cat;
}

const Requirement* BsiCatalog::requirement(const std::string& id) const {
    auto it = requirements_.find(id);
    return it == requirements_.end() ? nullptr : &it->second;
}

const Baustein* BsiCatalog::baustein(const std::string& id) const {
    auto it = bausteine_.find(id);
    return it == bausteine_.end() ? nullptr : &it->second;
}

std::vector<const Requirement*> BsiCatalog::requirements_of(const std::string& baustein) const {
    std::vector<const Requirement*> out;
    for (const auto& id : order_) {
        const auto& r = requirements_.at(id);
        if (r.baustein == baustein && !r.withdrawn) out.push_back(&r);
    }
    return out;
}

const std::string* BsiCatalog::control_title(const std::string& catalog,
                                             const std::string& id) const {
    auto c = controls_.find(catalog);
    if (c == controls_.end()) return nullptr;
    auto it = c->second.find(id);
    return it == c->second.end() ? nullptr : &it->second;
}

const std::vector<std::string>& BsiCatalog::bausteine_for_kind(const std::string& kind) const {
    static const std::vector<std::string> none;
    auto it = kind_bausteine_.find(kind);
    return it == kind_bausteine_.end() ? none : it->second;
}

std::vector<Error> check_against_catalog(const RuleSet& set, const BsiCatalog& catalog) {
    std::vector<Error> errors;
    auto level_letter = [](Level l) {
        return l == Level::Basis      ? "basis (B)"
               : l == Level::Standard ? "standard (S)"
                                      : "erhoeht (H)";
    };
    for (const auto& r : set.rules) {
        for (std::size_t i = 0; i < r.references.size(); ++i) {
            const auto& ref = r.references[i];
            int line = ref.line > 0 ? ref.line : r.line;
            const Requirement* req = catalog.requirement(ref.id);
            if (!req) {
                errors.push_back(Error{"rule " + r.id + ": '" + ref.id +
                                           "' is not a requirement of IT-Grundschutz Edition 2023",
                                       r.file, line});
                continue;
            }
            if (req->withdrawn) {
                errors.push_back(Error{"rule " + r.id + ": requirement " + ref.id +
                                           " is withdrawn (ENTFALLEN) in Edition 2023",
                                       r.file, line});
                continue;
            }
            if (i == 0 && req->level != r.level)
                errors.push_back(Error{"rule " + r.id + ": level " + level_letter(r.level) +
                                           " differs from the catalogue: " + ref.id + " (" +
                                           req->title + ") is " + level_letter(req->level),
                                       r.file, r.line});
        }
        for (const auto& c : r.gspp) {
            if (!catalog.control_title(c.catalog, c.id))
                errors.push_back(Error{"rule " + r.id + ": Grundschutz++ control '" + c.id +
                                           "' does not exist in the " + c.catalog + " catalog",
                                       r.file, r.line});
        }
    }
    return errors;
}

}  // namespace grundscan
