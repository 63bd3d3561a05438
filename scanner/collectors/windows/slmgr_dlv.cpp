// slmgr-dlv collector: `slmgr /dlv` or `cscript //nologo slmgr.vbs /dlv` output (English,
// German status words): activated Extended Security Update (ESU) add-on licences.
#include <algorithm>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "scanner/collectors/windows/windows_collectors.hpp"
#include "scanner/core/dates.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

// One licence block: from a "Name:" line to the next one.
struct LicenceBlock {
    std::string name;
    int name_line = 0;
    std::string status;
    int status_line = 0;
};

// The value after `label` (case-insensitive) at the start of `line`, or nullopt.
std::optional<std::string_view> value_after(std::string_view line, std::string_view label) {
    std::string_view t = text::trim(line);
    if (!text::starts_with_icase(t, label)) return std::nullopt;
    return text::trim(t.substr(label.size()));
}

std::optional<std::string_view> status_value(std::string_view line) {
    if (auto v = value_after(line, "License Status:")) return v;
    return value_after(line, "Lizenzstatus:");
}

bool licensed(std::string_view status) {
    return text::iequals(status, "Licensed") || text::iequals(status, "Lizenziert");
}

// "Client-ESU-Year2" from "Windows(R), Client-ESU-Year2 add-on for Education,...", or empty.
std::string esu_licence_id(std::string_view name) {
    static const std::regex re(R"(\b((?:Client|Server)-ESU-Year[0-9]{1,2})\b)", std::regex::icase);
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(name.begin(), name.end(), m, re)) return {};
    return m[1].str();
}

// "Trusted time:" as slmgr prints it in the export's locale. Slash dates are taken only
// when unambiguous (AM/PM marks the US order, or a part above 12); otherwise nullopt.
std::optional<Date> trusted_date(std::string_view value) {
    if (value.find('.') != std::string_view::npos || value.find('-') != std::string_view::npos)
        return parse_locale_date(value);
    auto parts = text::split(value.substr(0, value.find(' ')), '/');
    if (parts.size() != 3) return std::nullopt;
    long long a = 0, b = 0;
    if (!text::parse_int(parts[0], a) || !text::parse_int(parts[1], b)) return std::nullopt;
    bool us = value.find("AM") != std::string_view::npos ||
              value.find("PM") != std::string_view::npos || b > 12;
    bool day_first = !us && a > 12;
    if (!us && !day_first) return std::nullopt;
    return parse_locale_date(value, day_first);
}

bool detect(std::string_view text, std::string_view /*filename*/) {
    bool header = text.find("Software licensing service version:") != std::string_view::npos;
    bool blocks = text.find("Name: ") != std::string_view::npos &&
                  (text.find("License Status:") != std::string_view::npos ||
                   text.find("Lizenzstatus:") != std::string_view::npos);
    return header || blocks;
}

}  // namespace

// Facts: os.esu_licenses (the activated ESU add-ons, e.g. "Client-ESU-Year2"; an empty list
// when the output lists licences but no activated ESU add-on). The provenance points at the
// "License Status" line of the highest ESU year. An ESU add-on that is installed but not
// activated is a warning with its line. "Trusted time" gives the collection time. Output
// without any "Name:" block is an Error.
Expected<ParseOutput> parse_slmgr_dlv(std::string_view text) {
    ParseOutput out;
    auto lines = text::split_lines(text);
    std::vector<LicenceBlock> blocks;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        int line = static_cast<int>(i) + 1;
        if (auto name = value_after(lines[i], "Name:")) {
            blocks.push_back(LicenceBlock{std::string(*name), line, "", 0});
        } else if (auto status = status_value(lines[i]); status && !blocks.empty()) {
            blocks.back().status = std::string(*status);
            blocks.back().status_line = line;
        } else if (auto tt = value_after(lines[i], "Trusted time:"); tt && !out.collected_at) {
            if (auto d = trusted_date(*tt))
                out.collected_at =
                    ParseOutput::CollectedAt{d->iso(), line, std::string(text::trim(lines[i]))};
        }
    }
    if (blocks.empty())
        return Error{"no licence listed (no 'Name:' line): not the output of slmgr /dlv"};
    StringList esu;
    int best_year = -1;
    int best_line = 0;
    std::string best_excerpt;
    for (const auto& b : blocks) {
        std::string id = esu_licence_id(b.name);
        if (id.empty()) continue;
        if (!licensed(b.status)) {
            out.warn("ESU add-on " + id + " is installed but not activated (status: " +
                         (b.status.empty() ? std::string("not shown") : b.status) +
                         "): activate it with slmgr /ato <Activation ID>",
                     b.status_line ? b.status_line : b.name_line);
            continue;
        }
        if (std::find(esu.begin(), esu.end(), id) == esu.end()) esu.push_back(id);
        int year = std::atoi(id.c_str() + id.rfind("Year") + 4);
        if (year > best_year) {
            best_year = year;
            best_line = b.status_line;
            best_excerpt = "Name: " + b.name + " / License Status: " + b.status;
        }
    }
    if (esu.empty()) {
        out.add("os.esu_licenses", esu, 0, "no activated ESU add-on among the listed licences");
    } else {
        std::sort(esu.begin(), esu.end());
        out.add("os.esu_licenses", esu, best_line, best_excerpt);
    }
    return out;
}

const CollectorInfo& slmgr_dlv_collector() {
    static const CollectorInfo c{"slmgr-dlv",
                                 "slmgr /dlv (cscript slmgr.vbs /dlv): activated ESU licences",
                                 &detect, &parse_slmgr_dlv};
    return c;
}

}  // namespace grundscan
