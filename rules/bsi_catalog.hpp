// The BSI catalogues rules cite: IT-Grundschutz-Kompendium Edition 2023 (requirement ids with
// Baustein, level and title; rules/catalogs/edition2023-*.tsv), the Grundschutz++ control ids of
// the Kernel, Methodik and Mindeststandard-TLS catalogs (grundschutz-plus-plus-controls.tsv), and
// which Bausteine grundscan models for each asset kind (asset-kind-bausteine.yaml). Loaded once
// from <data dir>/rules/catalogs; `rules validate` and every scan check the rules against it.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "rules/model.hpp"
#include "scanner/core/expected.hpp"

namespace grundscan {

struct Requirement {
    std::string id;        // "ORP.4.A22"
    std::string baustein;  // "ORP.4"
    Level level = Level::Basis;
    bool withdrawn = false;  // ENTFALLEN in Edition 2023
    std::string title;       // heading title (no requirement text)
};

struct Baustein {
    std::string id;     // "SYS.1.3"
    std::string title;  // "Server unter Linux und Unix"
};

class BsiCatalog {
  public:
    // Reads edition2023-requirements.tsv, edition2023-bausteine.tsv,
    // grundschutz-plus-plus-controls.tsv and asset-kind-bausteine.yaml from `dir`.
    [[nodiscard]] static Expected<BsiCatalog> load(const std::filesystem::path& dir);

    const Requirement* requirement(const std::string& id) const;
    const Baustein* baustein(const std::string& id) const;
    // Active (not withdrawn) requirements of a Baustein, in catalogue order.
    std::vector<const Requirement*> requirements_of(const std::string& baustein) const;
    // Title of a Grundschutz++ control in `catalog` ("kernel", "methodik",
    // "mindeststandard-tls"); nullptr when the catalog has no such control.
    const std::string* control_title(const std::string& catalog, const std::string& id) const;
    static const std::vector<std::string>& control_catalogs();

    // Bausteine modelled for an asset kind ("windows-client" -> SYS.2.1, SYS.2.2.3), and those
    // modelled once per municipality for the organisation (ORP.4, OPS.1.1.3, ...).
    const std::vector<std::string>& bausteine_for_kind(const std::string& kind) const;
    const std::vector<std::string>& organisation_bausteine() const { return organisation_; }

    std::size_t requirement_count() const { return requirements_.size(); }

  private:
    std::map<std::string, Requirement> requirements_;
    std::vector<std::string> order_;  // ids in catalogue order
    std::map<std::string, Baustein> bausteine_;
    std::map<std::string, std::map<std::string, std::string>> controls_;  // catalog -> id -> title
    std::map<std::string, std::vector<std::string>> kind_bausteine_;
    std::vector<std::string> organisation_;
};

// Checks every rule against the catalogue: each reference names an existing, not withdrawn
// Edition 2023 requirement; the rule's level equals the level of its first (primary) reference;
// each reference says which part of the requirement the rule checks; every Grundschutz++ id
// exists in the catalog it is qualified with. Errors name the rule's file and line.
[[nodiscard]] std::vector<Error> check_against_catalog(const RuleSet& set,
                                                       const BsiCatalog& catalog);

// <data dir>/rules/catalogs
std::filesystem::path catalog_dir(const std::filesystem::path& data_dir);

}  // namespace grundscan
