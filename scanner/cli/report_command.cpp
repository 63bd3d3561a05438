#include "scanner/cli/report_command.hpp"

#include <boost/program_options.hpp>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <ostream>
#include <sstream>

#include "reports/results_reader.hpp"
#include "reports/writer.hpp"
#include "rules/bsi_catalog.hpp"
#include "scanner/cli/app.hpp"

namespace grundscan {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

const char* kReportUsage =
    "usage: grundscan report --from results.json --format FORMAT[,FORMAT...] [--out DIR] "
    "[--lang de|en]\n"
    "Writes reports again from the results.json of a finished scan.\n\n";

// Shipped data (rules/catalogs): $GRUNDSCAN_DATA_DIR, else the build's source (as in app.cpp).
fs::path data_dir() {
    if (const char* env = std::getenv("GRUNDSCAN_DATA_DIR"); env && *env) return env;
    return GRUNDSCAN_DATA_DIR;
}

std::string known_formats() {
    std::string known;
    for (const auto& w : report_writers())
        known += (known.empty() ? "" : ", ") + std::string(w.format);
    return known;
}

}  // namespace

int cmd_report(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    std::string from, out_dir, lang = "de";
    std::vector<std::string> format_args;
    po::options_description desc("report options");
    desc.add_options()("help,h", "show this help")("from", po::value(&from),
                                                   "results.json of a finished scan")(
        "format,f", po::value(&format_args),
        ("report formats, comma-separated (known: " + known_formats() + ")").c_str())(
        "out,o", po::value(&out_dir), "output directory (default: the directory of --from)")(
        "lang", po::value(&lang), "report language: de (default) or en")(
        "quiet,q", "print nothing but errors");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(desc).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        err << "grundscan report: " << e.what() << "\n" << kReportUsage << desc;
        return kExitUsage;
    }
    if (vm.count("help")) {
        out << kReportUsage << desc;
        return kExitOk;
    }
    if (from.empty()) {
        err << "grundscan report: give --from results.json\n" << kReportUsage << desc;
        return kExitUsage;
    }
    std::vector<std::string> formats;
    for (const auto& v : format_args) {
        std::stringstream ss(v);
        std::string item;
        while (std::getline(ss, item, ','))
            if (!item.empty()) formats.push_back(item);
    }
    if (formats.empty()) {
        err << "grundscan report: give --format (known: " << known_formats() << ")\n";
        return kExitUsage;
    }
    for (const auto& f : formats) {
        if (!find_report_writer(f)) {
            err << "grundscan report: unknown report format '" << f
                << "' (known: " << known_formats() << ")\n";
            return kExitUsage;
        }
    }
    ReportOptions options;
    if (lang == "de")
        options.lang = Lang::De;
    else if (lang == "en")
        options.lang = Lang::En;
    else {
        err << "grundscan report: --lang must be de or en\n";
        return kExitUsage;
    }
    auto scan = read_results_json(from);
    if (!scan) {
        err << "grundscan report: " << scan.error().describe() << "\n";
        return kExitUsage;
    }
    // results.json does not carry the BSI catalogue; the Grundschutz-Check (gscheck, oscal)
    // needs its titles, levels and modelled Bausteine.
    if (!scan->catalog) {
        auto catalog = BsiCatalog::load(catalog_dir(data_dir()));
        if (catalog)
            scan->catalog = std::make_shared<const BsiCatalog>(std::move(*catalog));
        else
            err << "grundscan report: warning: " << catalog.error().describe()
                << " (Grundschutz-Check without catalogue titles and modelled Bausteine)\n";
    }
    options.out_dir = out_dir.empty() ? fs::path(from).parent_path() : fs::path(out_dir);
    if (options.out_dir.empty()) options.out_dir = ".";
    bool quiet = vm.count("quiet") > 0;
    int rc = kExitOk;
    for (const auto& f : formats) {
        auto written = find_report_writer(f)->write(*scan, options);
        if (!written) {
            err << "grundscan report: " << written.error().describe() << "\n";
            rc = kExitRuntime;
            continue;
        }
        if (!quiet)
            for (const auto& p : *written) err << "grundscan: wrote " << p.string() << "\n";
    }
    return rc;
}

}  // namespace grundscan
