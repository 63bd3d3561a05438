// The IT-Grundschutz-Check view of a scan: one row per (Zielobjekt, Edition 2023 requirement)
// with the BSI status ja / teilweise / nein / entbehrlich / nicht geprüft, computed from the
// rule results that cite the requirement. Shared by the gscheck CSV (reports/gscheck_writer.cpp)
// and the OSCAL findings (reports/oscal_writer.cpp); docs/grundschutz-check.md explains it.
#pragma once

#include <string>
#include <vector>

#include "rules/model.hpp"
#include "rules/results.hpp"

namespace grundscan {

// Umsetzungsstatus of a requirement in the IT-Grundschutz-Check (BSI-Standard 200-2, 8.5).
enum class CheckStatus { Yes, Partially, No, Dispensable, NotChecked };
const char* check_status_name(CheckStatus s);  // "ja", "teilweise", "nein", "entbehrlich",
                                               // "nicht-geprueft" (stable, for machines)
const char* check_status_label(CheckStatus s,
                               Lang lang);  // "ja" ... "nicht geprüft" / "yes" ... "not checked"

// One (non-advisory) rule result that cites the requirement of a row.
struct CheckEvidence {
    const AssetResult* asset = nullptr;  // the system the result belongs to
    const RuleResult* result = nullptr;
    const Rule* rule = nullptr;
};

struct CheckRow {
    std::string municipality_id, municipality, ags;
    // Zielobjekt: an asset, or (organisation == true) the municipality as Informationsverbund
    // for the Bausteine modelled once per municipality (ISMS.1, ORP.4, ...).
    bool organisation = false;
    std::string target_id;    // asset id, or the municipality id
    std::string target;       // asset name (id when unnamed), or the municipality's name
    std::string target_kind;  // asset kind; empty for the Informationsverbund
    std::string baustein;     // "ORP.4"
    std::string requirement;  // "ORP.4.A13"
    std::string title;        // from the catalogue ("" when unknown)
    Level level = Level::Basis;
    CheckStatus status = CheckStatus::NotChecked;
    // Some evaluated rule cites the requirement for this kind of system (false: organisational,
    // not automatically checkable with grundscan's rules).
    bool automated = false;
    std::vector<CheckEvidence> evidence;  // in the order of the assets and their results
    std::string date;                     // the scan's Stichtag (as_of)
};

// Rows for every municipality: first its Informationsverbund (the active requirements of
// catalog->organisation_bausteine(), from the results of all its systems), then each system
// (the active requirements of the Bausteine modelled for its kind, then further requirements
// its results cite, respecting RequirementRef::kinds). Advisory rules never count, nor do the
// results of rules written for other kinds of systems (Rule::kinds). Without a
// catalogue (scan.catalog null) only cited requirements appear, without titles, with the
// level of the citing rule.
std::vector<CheckRow> grundschutz_check_rows(const ScanResult& scan);

// "Begründung/Nachweis": why the row has its status (accepted risks with waiver id and end
// date, missing evidence, "nicht anwendbar: ...", "nicht automatisch prüfbar ..."), then one
// line per result: rule, system (Informationsverbund rows), state, message, evidence
// source:line, waiver. Without `with_results` only the reason (for OSCAL, whose observations
// carry the results).
std::string check_row_reason(const CheckRow& row, Lang lang, bool with_results = true);
// The ids of the rules behind a row, sorted and unique.
std::vector<std::string> check_row_rules(const CheckRow& row);
// grundschutz-check.csv as written by the gscheck report format (reports/gscheck_writer.cpp).
std::string grundschutz_check_csv(const ScanResult& scan, Lang lang);
// "B", "S", "H"
const char* level_code(Level l);

}  // namespace grundscan
