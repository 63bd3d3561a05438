// systeminfo collectors: `systeminfo` list output and `systeminfo /fo csv`, with English and
// German labels. Both feed the same field extraction, so they emit the same facts.
#include <array>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scanner/collectors/windows/windows_collectors.hpp"
#include "scanner/core/dates.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

enum Field { HostName, OsName, OsVersion, InstallDate, Domain, Hotfix, SystemLocale, kFieldCount };

struct Label {
    std::string_view text;
    Field field;
    bool german;
};

// Labels as systeminfo prints them (without the colon). English first, then German.
constexpr Label kLabels[] = {
    {"Host Name", HostName, false},
    {"OS Name", OsName, false},
    {"OS Version", OsVersion, false},
    {"Original Install Date", InstallDate, false},
    {"Domain", Domain, false},
    {"Hotfix(s)", Hotfix, false},
    {"System Locale", SystemLocale, false},
    {"Hostname", HostName, true},
    {"Betriebssystemname", OsName, true},
    {"Betriebssystemversion", OsVersion, true},
    {"Ursprüngliches Installationsdatum", InstallDate, true},
    {"Domäne", Domain, true},
    {"Hotfix(e)", Hotfix, true},
    {"Hotfix(es)", Hotfix, true},
    {"Systemgebietsschema", SystemLocale, true},
};

struct Value {
    bool present = false;
    std::string value;               // trimmed value of the label line / CSV cell
    std::vector<std::string> items;  // continuation lines / further comma-separated parts
    int line = 0;
    std::string excerpt;
};

struct Record {
    std::array<Value, kFieldCount> fields;
    bool german = false;
};

const Label* match_label(std::string_view name) {
    for (const auto& l : kLabels) {
        if (text::iequals(l.text, name)) return &l;
    }
    return nullptr;
}

// The label a list-format line starts with ("OS Name:   ..."), and the value after it.
const Label* line_label(std::string_view line, std::string_view& value) {
    for (const auto& l : kLabels) {
        if (!text::starts_with_icase(line, l.text)) continue;
        auto rest = line.substr(l.text.size());
        auto t = rest.find_first_not_of(" \t");
        if (t == std::string_view::npos || rest[t] != ':') continue;
        value = text::trim(rest.substr(t + 1));
        return &l;
    }
    return nullptr;
}

// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
std::string clip(std::string_view s, std::size_t max = 200) {
    if (s.size() <= max) return std::string(s);
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return std::string(s.substr(0, n)) + "...";
}

// "KB5004330" found in `s` (any case of "kb"), normalized to upper case; empty if none.
std::string find_kb(std::string_view s) {
    for (std::size_t i = 0; i + 2 < s.size(); ++i) {
        if ((s[i] != 'K' && s[i] != 'k') || (s[i + 1] != 'B' && s[i + 1] != 'b')) continue;
        if (i > 0 && std::isalnum(static_cast<unsigned char>(s[i - 1]))) continue;
        std::size_t j = i + 2;
        while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
        if (j > i + 2 && (j == s.size() || !std::isalnum(static_cast<unsigned char>(s[j]))))
            return "KB" + std::string(s.substr(i + 2, j - i - 2));
    }
    return {};
}

std::string_view edition_for(std::string_view name) {
    bool iot = false, ltsc = false, server = false, enterprise = false, education = false,
         pro = false, home = false;
    for (auto w : text::split_ws(name)) {
        auto t = text::to_lower(w);
        iot |= t == "iot";
        ltsc |= t == "ltsc" || t == "ltsb";
        server |= t == "server";
        enterprise |= t == "enterprise";
        education |= t == "education";
        pro |= t == "pro" || t == "professional";
        home |= t == "home";
    }
    if (iot) return "iot";
    if (ltsc) return "ltsc";
    if (server) return "server";
    if (enterprise) return "enterprise";
    if (education) return "education";
    if (pro) return "professional";
    if (home) return "home";
    return {};
}

// An install date in the export's locale format. Dotted dates are always D.M.Y; for slashed
// dates a day or month above 12 decides, otherwise `day_first` (German labels or a system
// locale other than en-US). Y/M/D (East Asian locales) is read as such.
std::optional<Date> parse_install_date(std::string_view s, bool day_first) {
    auto v = text::trim(s);
    auto cut = v.find_first_of(", ");
    auto d = cut == std::string_view::npos ? v : v.substr(0, cut);
    auto parts = text::split(d, '/');
    if (parts.size() == 3 && parts[0].size() == 4) {
        return parse_iso_date(std::string(parts[0]) + "-" + std::string(parts[1]) + "-" +
                              std::string(parts[2]));
    }
    if (parts.size() == 3) {
        auto month_first = parse_locale_date(d, false);
        auto dayfirst = parse_locale_date(d, true);
        if (month_first && !dayfirst) return month_first;
        if (dayfirst && !month_first) return dayfirst;
        return day_first ? dayfirst : month_first;
    }
    return parse_locale_date(d, day_first);
}

// Emits the facts of `r`; Error when the record has no OS name.
Expected<ParseOutput> emit(const Record& r, int error_line) {
    ParseOutput out;
    const auto& name = r.fields[OsName];
    if (!name.present || name.value.empty()) {
        return Error{"not a systeminfo output: no \"OS Name\"/\"Betriebssystemname\" value", "",
                     error_line};
    }
    const bool server = name.value.find("Server") != std::string::npos;
    out.add("os.family", std::string("windows"), name.line, name.excerpt);
    out.add("os.name", name.value, name.line, name.excerpt);
    out.add("os.id", std::string(server ? "windows-server" : "windows"), name.line, name.excerpt);
    if (auto e = edition_for(name.value); !e.empty())
        out.add("os.edition", std::string(e), name.line, name.excerpt);

    if (const auto& h = r.fields[HostName]; h.present && !h.value.empty())
        out.add("host.name", h.value, h.line, h.excerpt);
    if (const auto& d = r.fields[Domain]; d.present && !d.value.empty())
        out.add("host.domain", d.value, d.line, d.excerpt);

    if (const auto& v = r.fields[OsVersion]; v.present) {
        auto tokens = text::split_ws(v.value);
        std::string version = tokens.empty() ? std::string() : std::string(tokens[0]);
        auto comps = text::split(version, '.');
        bool numeric = comps.size() >= 2;
        for (auto c : comps) {
            long long n = 0;
            numeric = numeric && text::parse_int(c, n) && n >= 0;
        }
        if (numeric) {
            out.add("os.version", version, v.line, v.excerpt);
        } else {
            out.warn("OS version \"" + v.value + "\" not understood", v.line);
        }
        long long build = -1;
        for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
            if (text::iequals(tokens[i], "Build") && !text::parse_int(tokens[i + 1], build))
                build = -1;
        }
        if (build < 0 && numeric && comps.size() >= 3 && !text::parse_int(comps[2], build))
            build = -1;
        if (build >= 0) {
            out.add("os.build", static_cast<std::int64_t>(build), v.line, v.excerpt);
            if (auto rel = windows_release_for_build(build, server); !rel.empty())
                out.add("os.release", std::string(rel), v.line, v.excerpt);
        }
    }

    if (const auto& d = r.fields[InstallDate]; d.present && !d.value.empty()) {
        const auto& loc = r.fields[SystemLocale];
        bool day_first = r.german || (loc.present && !loc.value.empty() &&
                                      !text::starts_with_icase(loc.value, "en-us"));
        if (auto date = parse_install_date(d.value, day_first)) {
            out.add("os.install_date", date->iso(), d.line, d.excerpt);
        } else {
            out.warn("install date \"" + d.value + "\" not understood", d.line);
        }
    }

    if (const auto& h = r.fields[Hotfix]; h.present) {
        StringList kbs;
        long long listed = 0;
        for (const auto& item : h.items) {
            auto t = text::trim(item);
            if (t.empty() || t.front() != '[') continue;
            auto close = t.find("]:");
            if (close == std::string_view::npos) continue;  // cut-off entry such as "[24"
            ++listed;
            auto kb = find_kb(t.substr(close + 2));
            if (kb.empty()) continue;
            bool seen = false;
            for (const auto& k : kbs) seen = seen || k == kb;
            if (!seen) kbs.push_back(std::move(kb));
        }
        auto words = text::split_ws(h.value);
        long long announced = 0;
        if (!words.empty() && text::parse_int(words[0], announced) && announced != listed) {
            out.warn("hotfix list incomplete: " + std::to_string(announced) + " announced, " +
                         std::to_string(listed) + " listed",
                     h.line);
        }
        const auto count = static_cast<std::int64_t>(kbs.size());
        out.add("patches.installed", std::move(kbs), h.line, h.excerpt);
        out.add("patches.count", count, h.line, h.excerpt);
    }
    return out;
}

// One CSV record with the 1-based line it starts on.
struct CsvRecord {
    std::vector<std::string> cells;
    int line = 0;
};

// RFC 4180 records: quoted cells may hold commas, "" and line breaks; CR before LF ignored.
// Returns false when a quote is left open; `open_line` is then where that record starts.
bool parse_csv(std::string_view text, std::vector<CsvRecord>& out, int& open_line) {
    int line = 1;
    std::size_t i = 0;
    while (i < text.size()) {
        CsvRecord rec;
        rec.line = line;
        std::string cell;
        bool quoted = false;
        bool end = false;
        while (!end) {
            if (i >= text.size()) {
                if (quoted) {
                    open_line = rec.line;
                    return false;
                }
                end = true;
                break;
            }
            char c = text[i++];
            if (quoted) {
                if (c == '"') {
                    if (i < text.size() && text[i] == '"') {
                        cell.push_back('"');
                        ++i;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') ++line;
                    cell.push_back(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                rec.cells.push_back(std::move(cell));
                cell.clear();
            } else if (c == '\n') {
                ++line;
                end = true;
            } else if (c != '\r') {
                cell.push_back(c);
            }
        }
        rec.cells.push_back(std::move(cell));
        bool blank = rec.cells.size() == 1 && text::trim(rec.cells[0]).empty();
        if (!blank) out.push_back(std::move(rec));
    }
    return true;
}

bool detect_text(std::string_view text, std::string_view /*filename*/) {
    for (auto line : text::split_lines(text)) {
        if (text::starts_with_icase(line, "OS Name:") ||
            text::starts_with_icase(line, "Betriebssystemname:"))
            return true;
    }
    return false;
}

bool detect_csv(std::string_view text, std::string_view /*filename*/) {
    for (auto line : text::split_lines(text)) {
        if (text::trim(line).empty()) continue;
        return line.front() == '"' &&
               (line.find("\"OS Name\"") != std::string_view::npos ||
                line.find("\"Betriebssystemname\"") != std::string_view::npos);
    }
    return false;
}

}  // namespace

// Facts: host.name, host.domain, os.family, os.name, os.id, os.edition, os.version, os.build,
// os.release (from the build; server builds map to the server release), os.install_date,
// patches.installed (KB ids, first appearance order, no duplicates) and patches.count (their
// number). Indented lines continue the preceding label. A hotfix list whose announced count
// differs from the entries listed is a warning (systeminfo cuts long lists). No OS name: Error.
Expected<ParseOutput> parse_systeminfo_text(std::string_view text) {
    Record r;
    Value* current = nullptr;
    auto lines = text::split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto raw = lines[i];
        if (text::trim(raw).empty()) continue;
        if (raw.front() == ' ' || raw.front() == '\t') {
            if (current != nullptr) current->items.emplace_back(text::trim(raw));
            continue;
        }
        std::string_view value;
        const Label* l = line_label(raw, value);
        if (l == nullptr || r.fields[l->field].present) {
            current = nullptr;
            continue;
        }
        r.german = r.german || l->german;
        current = &r.fields[l->field];
        current->present = true;
        current->value = std::string(value);
        current->line = static_cast<int>(i) + 1;
        current->excerpt = std::string(raw);
    }
    return emit(r, 0);
}

// Same facts as parse_systeminfo_text, from the header row and the first data row; a cell
// holding a list ("3 Hotfix(s) Installed.,[01]: KB...") is split at commas. Further data rows
// (several hosts) are a warning. No header with "OS Name" or no data row: Error.
Expected<ParseOutput> parse_systeminfo_csv(std::string_view text) {
    std::vector<CsvRecord> records;
    int open_line = 0;
    if (!parse_csv(text, records, open_line))
        return Error{"malformed CSV: unterminated quoted field", "", open_line};
    if (records.empty()) return Error{"not a systeminfo CSV: empty", "", 0};
    const auto& header = records[0];
    bool has_name = false;
    for (const auto& h : header.cells) {
        const Label* l = match_label(text::trim(h));
        has_name = has_name || (l != nullptr && l->field == OsName);
    }
    if (!has_name) {
        return Error{"not a systeminfo CSV: no \"OS Name\"/\"Betriebssystemname\" column", "",
                     header.line};
    }
    if (records.size() < 2) return Error{"systeminfo CSV has no data row", "", header.line};
    const auto& row = records[1];
    Record r;
    for (std::size_t c = 0; c < header.cells.size() && c < row.cells.size(); ++c) {
        auto label = text::trim(header.cells[c]);
        const Label* l = match_label(label);
        if (l == nullptr || r.fields[l->field].present) continue;
        r.german = r.german || l->german;
        auto& v = r.fields[l->field];
        v.present = true;
        v.line = row.line;
        v.excerpt = clip(std::string(label) + ": " + row.cells[c]);
        auto parts = text::split(row.cells[c], ',');
        if (l->field == Hotfix && !parts.empty()) {
            v.value = std::string(text::trim(parts[0]));
            for (std::size_t p = 1; p < parts.size(); ++p)
                v.items.emplace_back(text::trim(parts[p]));
        } else {
            v.value = std::string(text::trim(row.cells[c]));
        }
    }
    auto out = emit(r, row.line);
    if (out && records.size() > 2) {
        out->warn("systeminfo CSV has " + std::to_string(records.size() - 1) +
                      " data rows; only the first was read",
                  records[2].line);
    }
    return out;
}

const CollectorInfo& systeminfo_text_collector() {
    static const CollectorInfo c{"systeminfo", "systeminfo list output (English or German)",
                                 &detect_text, &parse_systeminfo_text};
    return c;
}

const CollectorInfo& systeminfo_csv_collector() {
    static const CollectorInfo c{"systeminfo-csv", "systeminfo /fo csv (English or German)",
                                 &detect_csv, &parse_systeminfo_csv};
    return c;
}

}  // namespace grundscan
