// Report writers: one per format, all reading the same ScanResult. To add a format: write
// reports/<format>_writer.cpp exposing a ReportWriter and add one line to reports/registry.cpp.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "rules/model.hpp"
#include "rules/results.hpp"
#include "scanner/core/expected.hpp"

namespace grundscan {

struct ReportOptions {
    std::filesystem::path out_dir;
    Lang lang = Lang::De;
};

struct ReportWriter {
    std::string_view format;       // as given to --format: "json", "html"
    std::string_view description;  // one line
    // Writes the report(s) for `scan` into options.out_dir atomically; returns written paths.
    Expected<std::vector<std::filesystem::path>> (*write)(const ScanResult& scan,
                                                          const ReportOptions& options);
};

const std::vector<ReportWriter>& report_writers();
const ReportWriter* find_report_writer(std::string_view format);

// Writers (registered in reports/registry.cpp).
const ReportWriter& json_report_writer();
const ReportWriter& html_report_writer();
const ReportWriter& sarif_report_writer();
const ReportWriter& junit_report_writer();
const ReportWriter& csv_report_writer();
const ReportWriter& markdown_report_writer();
const ReportWriter& pdf_report_writer();
const ReportWriter& oscal_report_writer();
const ReportWriter& gscheck_report_writer();

// OSCAL assessment-results JSON for `scan` (reports/oscal_writer.cpp).
std::string results_to_oscal(const ScanResult& scan, Lang lang);
// RFC 4122 version-5 UUID of `name` in grundscan's namespace (deterministic ids).
std::string oscal_uuid5(const std::string& name);

// results.json as a string (schema docs/schema/results.schema.json).
std::string results_to_json(const ScanResult& scan, int indent = 2);

// Escapes text from outside (banners, file contents, host names) for HTML element content
// and attribute values; invalid UTF-8 and control characters are replaced.
std::string html_escape(std::string_view s);

// "73 %" rounded down (a score shown as 85 % is never below a threshold of 85), or "–".
std::string format_percent(const std::optional<double>& v);

// A number such as 85 or 87.5 as shown in reports ("87,5" in German).
std::string format_number(double d, Lang lang);

// Display name of an end-of-life feed product ("apache-http-server" -> "Apache HTTP Server");
// unknown products as given.
std::string product_label(const std::string& product);

// Localised names shared by the human-readable writers.
const char* state_label(ResultState s,
                        Lang lang);           // "erfüllt", "nicht erfüllt", "kein Nachweis", ...
const char* ampel_label(Ampel a, Lang lang);  // "Grün", ...
const char* severity_label(Severity s, Lang lang);  // "kritisch", ...
const char* level_label(Level l, Lang lang);
// Support phase of an OS or software release ("regular", "extended", "ended"): "reguläre
// Unterstützung", "nur noch erweiterte Unterstützung", "keine Unterstützung mehr"; nullptr for
// anything else.
const char* support_phase_label(std::string_view phase,
                                Lang lang);  // "Basis", "Standard", "erhöhter Schutzbedarf"

}  // namespace grundscan
