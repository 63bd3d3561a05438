// The one place that lists all report formats. Adding a format = one line here.
#include "reports/writer.hpp"

namespace grundscan {

const std::vector<ReportWriter>& report_writers() {
    static const std::vector<ReportWriter> writers = {
        json_report_writer(),  html_report_writer(),  sarif_report_writer(),
        junit_report_writer(), csv_report_writer(),   markdown_report_writer(),
        pdf_report_writer(),   oscal_report_writer(), gscheck_report_writer(),
    };
    return writers;
}

const ReportWriter* find_report_writer(std::string_view format) {
    for (const auto& w : report_writers())
        if (w.format == format) return &w;
    return nullptr;
}

}  // namespace grundscan
