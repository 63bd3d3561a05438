// wmic-qfe collector: `wmic qfe` (list brief or full table) fixed-width output.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scanner/collectors/windows/windows_collectors.hpp"
#include "scanner/core/dates.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

// Byte offsets of the code points of `s`, plus s.size() at the end. wmic pads columns in
// characters (UTF-16 units before decoding), so rows are sliced by code point, not by byte.
std::vector<std::size_t> code_points(std::string_view s) {
    std::vector<std::size_t> cp;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) cp.push_back(i);
    }
    cp.push_back(s.size());
    return cp;
}

struct Column {
    std::string name;
    std::size_t start;  // in code points
};

// Cell `c` of `line` (trimmed), given the columns' start positions.
std::string_view cell(std::string_view line, const std::vector<std::size_t>& cp,
                      const std::vector<Column>& cols, std::size_t c) {
    const std::size_t n = cp.size() - 1;
    std::size_t b = cols[c].start;
    std::size_t e = c + 1 < cols.size() ? cols[c + 1].start : n;
    if (b >= n) return {};
    if (e > n) e = n;
    return text::trim(line.substr(cp[b], cp[e] - cp[b]));
}

bool is_header(std::string_view line) {
    auto words = text::split_ws(line);
    bool hotfix = false;
    for (auto w : words) hotfix = hotfix || text::iequals(w, "HotFixID");
    return hotfix && words.size() >= 2;
}

bool detect(std::string_view text, std::string_view /*filename*/) {
    for (auto line : text::split_lines(text)) {
        if (text::trim(line).empty()) continue;
        if (!is_header(line)) return false;
        return line.find("InstalledOn") != std::string_view::npos ||
               line.find("Description") != std::string_view::npos;
    }
    return false;
}

}  // namespace

// Facts: patches.installed (HotFixID values that are KB ids, in order of first appearance,
// no duplicates), patches.count (their number) and patches.last_installed (the latest
// InstalledOn date, M/D/YYYY as WMI stores it; empty or unreadable values are skipped; no
// fact when there is none). Columns are located by the header line. No HotFixID header: Error.
Expected<ParseOutput> parse_wmic_qfe(std::string_view text) {
    ParseOutput out;
    auto lines = text::split_lines(text);
    std::size_t h = 0;
    while (h < lines.size() && text::trim(lines[h]).empty()) ++h;
    if (h == lines.size() || !is_header(lines[h])) {
        return Error{"not a wmic qfe table: no header line with HotFixID", "",
                     h < lines.size() ? static_cast<int>(h) + 1 : 0};
    }
    const auto header = lines[h];
    const auto hcp = code_points(header);
    std::vector<Column> cols;
    for (std::size_t i = 0; i + 1 < hcp.size(); ++i) {
        char c = header[hcp[i]];
        bool blank = c == ' ' || c == '\t';
        bool prev_blank = i == 0 || header[hcp[i - 1]] == ' ' || header[hcp[i - 1]] == '\t';
        if (blank || !prev_blank) continue;
        std::size_t j = i;
        while (j + 1 < hcp.size() && header[hcp[j]] != ' ' && header[hcp[j]] != '\t') ++j;
        cols.push_back(Column{std::string(header.substr(hcp[i], hcp[j] - hcp[i])), i});
    }
    std::optional<std::size_t> id_col, date_col;
    for (std::size_t c = 0; c < cols.size(); ++c) {
        if (text::iequals(cols[c].name, "HotFixID")) id_col = c;
        if (text::iequals(cols[c].name, "InstalledOn")) date_col = c;
    }

    StringList kbs;
    int first_line = 0;
    std::string first_excerpt;
    std::optional<Date> last;
    int last_line = 0;
    std::string last_excerpt;
    for (std::size_t i = h + 1; i < lines.size(); ++i) {
        auto line = lines[i];
        if (text::trim(line).empty()) continue;
        const int lineno = static_cast<int>(i) + 1;
        const auto cp = code_points(line);
        auto id = cell(line, cp, cols, *id_col);
        if (id.empty()) {
            out.warn("row without HotFixID", lineno);
            continue;
        }
        if (text::starts_with_icase(id, "KB")) {
            std::string kb = "KB" + std::string(id.substr(2));
            bool seen = false;
            for (const auto& k : kbs) seen = seen || k == kb;
            if (!seen) kbs.push_back(std::move(kb));
            if (first_line == 0) {
                first_line = lineno;
                first_excerpt = std::string(text::trim(line));
            }
        }
        if (!date_col) continue;
        auto on = cell(line, cp, cols, *date_col);
        if (on.empty()) continue;
        auto d = parse_locale_date(on);
        if (!d) {
            out.warn("InstalledOn \"" + std::string(on) + "\" is not a date", lineno);
            continue;
        }
        if (!last || *d > *last) {
            last = d;
            last_line = lineno;
            last_excerpt = std::string(text::trim(line));
        }
    }

    const auto count = static_cast<std::int64_t>(kbs.size());
    const int list_line = first_line == 0 ? static_cast<int>(h) + 1 : first_line;
    const std::string list_excerpt =
        first_line == 0 ? std::string(text::trim(header)) : first_excerpt;
    out.add("patches.installed", std::move(kbs), list_line, list_excerpt);
    out.add("patches.count", count, list_line, list_excerpt);
    if (last) out.add("patches.last_installed", last->iso(), last_line, last_excerpt);
    return out;
}

const CollectorInfo& wmic_qfe_collector() {
    static const CollectorInfo c{"wmic-qfe", "wmic qfe table of installed Windows updates", &detect,
                                 &parse_wmic_qfe};
    return c;
}

}  // namespace grundscan
