// gpresult-xml collector: `gpresult /x` RSoP reports (root Rsop) and GPMC GPO reports
// (`Get-GPOReport -ReportType Xml`, gpreport.xml; root GPO).
#include <algorithm>
#include <string>
#include <vector>

#include <pugixml.hpp>

#include "scanner/collectors/windows/account_policy.hpp"
#include "scanner/collectors/windows/windows_collectors.hpp"
#include "scanner/core/dates.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

// Name without namespace prefix ("q1:Account" -> "Account").
std::string_view local_name(const pugi::xml_node& n) {
    std::string_view s = n.name();
    auto colon = s.find(':');
    return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

pugi::xml_node child_local(const pugi::xml_node& n, std::string_view name) {
    for (auto c : n.children()) {
        if (c.type() == pugi::node_element && local_name(c) == name) return c;
    }
    return {};
}

void collect_local(const pugi::xml_node& n, std::string_view name,
                   std::vector<pugi::xml_node>& out) {
    for (auto c : n.children()) {
        if (c.type() != pugi::node_element) continue;
        if (local_name(c) == name) out.push_back(c);
        collect_local(c, name, out);
    }
}

// Maps byte offsets to 1-based line numbers and raw lines of the text.
class LineIndex {
  public:
    explicit LineIndex(std::string_view text) : text_(text) {
        starts_.push_back(0);
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\n') starts_.push_back(i + 1);
        }
    }
    int line_of(std::ptrdiff_t offset) const {
        if (offset < 0) return 0;
        auto it =
            std::upper_bound(starts_.begin(), starts_.end(), static_cast<std::size_t>(offset));
        return static_cast<int>(it - starts_.begin());
    }
    // The trimmed text of 1-based `line`.
    std::string_view line_text(int line) const {
        if (line < 1 || static_cast<std::size_t>(line) > starts_.size()) return {};
        std::size_t b = starts_[static_cast<std::size_t>(line) - 1];
        std::size_t e = static_cast<std::size_t>(line) < starts_.size()
                            ? starts_[static_cast<std::size_t>(line)]
                            : text_.size();
        return text::trim(text_.substr(b, e - b));
    }

  private:
    std::string_view text_;
    std::vector<std::size_t> starts_;
};

struct Found {
    const AccountPolicySetting* map;
    std::string value;
    bool boolean;  // value came from SettingBoolean
    long long precedence;
    int line;
    std::string excerpt;
};

// A number as GPMC writes it; 4294967295 (DWORD -1) becomes -1.
bool parse_setting_number(std::string_view s, long long& v) {
    if (!text::parse_int(s, v)) return false;
    if (v == 4294967295LL) v = -1;
    return true;
}

bool detect(std::string_view text, std::string_view /*filename*/) {
    bool rsop = text.find("<Rsop") != std::string_view::npos &&
                text.find("http://www.microsoft.com/GroupPolicy/Rsop") != std::string_view::npos;
    bool gpo = text.find("<GPO") != std::string_view::npos &&
               text.find("http://www.microsoft.com/GroupPolicy/Settings") != std::string_view::npos;
    return rsop || gpo;
}

}  // namespace

// Facts from <Account> settings (any namespace prefix): password_policy.{min_length,
// complexity, history, max_age_days, min_age_days, reversible_encryption} and
// lockout.{threshold, duration_minutes, reset_minutes}; accounts.guest_enabled from the
// EnableGuestAccount security option; host.name from Rsop/ComputerResults/Name without
// domain prefix and trailing '$'. A setting listed more than once: the lowest Precedence
// (the winning GPO) counts. DWORD -1 (4294967295) is read as -1; MaximumPasswordAge -1 or 0
// yields 0 (never expires). Malformed XML or another root element: Error.
namespace {
// The last 256 bytes of `text`, where a complete report closes its root element.
std::string_view text_tail(std::string_view text) {
    return text.size() > 256 ? text.substr(text.size() - 256) : text;
}
}  // namespace

Expected<ParseOutput> parse_gpresult_xml(std::string_view text) {
    ParseOutput out;
    LineIndex lines(text);
    pugi::xml_document doc;
    auto res = doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!res) {
        // A report cut off during copying is the common case: say so when the error is at the
        // end or the root element is never closed.
        std::string_view tail = text_tail(text);
        bool truncated = static_cast<std::size_t>(res.offset) + 64 >= text.size() ||
                         (tail.find("</Rsop>") == std::string_view::npos &&
                          tail.find("</GPO>") == std::string_view::npos &&
                          tail.find(":Rsop>") == std::string_view::npos &&
                          tail.find(":GPO>") == std::string_view::npos);
        return Error{
            std::string("malformed XML: ") + res.description() +
                (truncated
                     ? " (the file ends early: export truncated? export it again with gpresult /x)"
                     : ""),
            "", lines.line_of(res.offset)};
    }
    auto root = doc.document_element();
    std::string_view root_name = local_name(root);
    if (root_name != "Rsop" && root_name != "GPO") {
        return Error{"not a gpresult/GPO report: root element is <" + std::string(root.name()) +
                         ">, expected <Rsop> or <GPO>",
                     "", lines.line_of(root.offset_debug())};
    }

    // <ReadTime> (RSoP and GPO reports): when the report was generated, i.e. collected.
    if (auto read_time = child_local(root, "ReadTime")) {
        std::string_view ts = text::trim(read_time.child_value());
        if (parse_iso_date(ts)) {
            int line = lines.line_of(read_time.offset_debug());
            out.collected_at =
                ParseOutput::CollectedAt{std::string(ts), line, std::string(lines.line_text(line))};
        }
    }

    if (root_name == "Rsop") {
        auto name = child_local(child_local(root, "ComputerResults"), "Name");
        std::string_view raw = text::trim(name.child_value());
        if (!raw.empty()) {
            std::string_view host = raw;
            if (auto bs = host.rfind('\\'); bs != std::string_view::npos)
                host.remove_prefix(bs + 1);
            if (!host.empty() && host.back() == '$') host.remove_suffix(1);
            if (!host.empty()) {
                int line = lines.line_of(name.offset_debug());
                out.add("host.name", std::string(host), line, std::string(lines.line_text(line)));
            }
        }
    }

    std::vector<Found> found;
    std::vector<pugi::xml_node> accounts;
    collect_local(root, "Account", accounts);
    for (const auto& acc : accounts) {
        auto name = child_local(acc, "Name");
        std::string_view n = text::trim(name.child_value());
        const AccountPolicySetting* map = find_account_policy_setting(n);
        if (map == nullptr || map->name != n) continue;  // GPMC spells the names exactly
        auto setting = child_local(acc, "SettingNumber");
        bool boolean = false;
        if (!setting) {
            setting = child_local(acc, "SettingBoolean");
            boolean = true;
        }
        int line = lines.line_of(name.offset_debug());
        std::string excerpt(lines.line_text(line));
        if (!setting) {
            out.warn(std::string(n) + ": no SettingNumber/SettingBoolean", line);
            continue;
        }
        int sline = lines.line_of(setting.offset_debug());
        if (sline != line) excerpt += " " + std::string(lines.line_text(sline));
        long long precedence = 0;
        if (auto p = child_local(acc, "Precedence"); p) {
            if (!text::parse_int(p.child_value(), precedence)) precedence = 0;
        }
        Found f{map,     std::string(text::trim(setting.child_value())),
                boolean, precedence,
                line,    std::move(excerpt)};
        auto prev =
            std::find_if(found.begin(), found.end(), [&](const Found& x) { return x.map == map; });
        if (prev == found.end()) {
            found.push_back(std::move(f));
        } else if (f.precedence < prev->precedence) {
            *prev = std::move(f);
        }
    }

    for (const auto& f : found) {
        const std::string fact(f.map->fact);
        const std::string key(f.map->name);
        if (f.map->kind == AccountPolicyKind::Boolean) {
            if (f.boolean && (f.value == "true" || f.value == "false")) {
                out.add(fact, f.value == "true", f.line, f.excerpt);
            } else if (!f.boolean && (f.value == "0" || f.value == "1")) {
                out.add(fact, f.value == "1", f.line, f.excerpt);
            } else {
                out.warn(key + ": \"" + f.value + "\" is not a boolean", f.line);
            }
            continue;
        }
        long long v = 0;
        if (f.boolean || !parse_setting_number(f.value, v)) {
            out.warn(key + ": \"" + f.value + "\" is not an integer", f.line);
            continue;
        }
        if (auto value = normalise_account_policy_value(*f.map, v)) {
            out.add(fact, std::move(*value), f.line, f.excerpt);
        } else {
            out.warn(key + ": value " + f.value + " is out of range", f.line);
        }
    }

    std::vector<pugi::xml_node> options;
    collect_local(root, "SecurityOptions", options);
    for (const auto& opt : options) {
        auto name = child_local(opt, "SystemAccessPolicyName");
        if (text::trim(name.child_value()) != "EnableGuestAccount") continue;
        auto setting = child_local(opt, "SettingNumber");
        int line = lines.line_of(name.offset_debug());
        std::string excerpt(lines.line_text(line));
        std::string_view v = text::trim(setting.child_value());
        if (v != "0" && v != "1") {
            out.warn("EnableGuestAccount: \"" + std::string(v) + "\" is not 0 or 1", line);
            continue;
        }
        if (int sline = lines.line_of(setting.offset_debug()); sline != line)
            excerpt += " " + std::string(lines.line_text(sline));
        out.add("accounts.guest_enabled", v == "1", line, excerpt);
        break;
    }
    return out;
}

const CollectorInfo& gpresult_xml_collector() {
    static const CollectorInfo c{"gpresult-xml", "gpresult /x RSoP report or GPMC GPO report (XML)",
                                 &detect, &parse_gpresult_xml};
    return c;
}

}  // namespace grundscan
