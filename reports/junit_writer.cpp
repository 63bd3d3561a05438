// junit.xml: JUnit XML for CI test views (GitLab, Jenkins, Azure DevOps). One <testsuite> per
// municipality, one <testcase> per asset x rule:
//   pass -> (empty testcase), fail -> <failure type="severity">, error -> <error>,
//   no_evidence / not_applicable / waived -> <skipped message="...">.
// Built with pugixml, which escapes markup; characters XML 1.0 forbids (C0 controls, U+FFFE,
// U+FFFF, invalid UTF-8) are replaced first, because pugixml would write them as they are.
#include <sstream>
#include <string>

#include <pugixml.hpp>

#include "reports/report_content.hpp"
#include "reports/writer.hpp"
#include "scanner/core/atomic_file.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {
namespace {

const char* tr(Lang lang, const char* de, const char* en) {
    return lang == Lang::De ? de : en;
}

// Valid UTF-8 with only characters XML 1.0 allows (\t and \n stay).
std::string xml_clean(std::string_view s) {
    std::string in = text::sanitize_utf8(s);
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        // U+FFFE and U+FFFF (EF BF BE / EF BF BF) are not XML characters.
        if (static_cast<unsigned char>(in[i]) == 0xEF && i + 2 < in.size() &&
            static_cast<unsigned char>(in[i + 1]) == 0xBF &&
            (static_cast<unsigned char>(in[i + 2]) == 0xBE ||
             static_cast<unsigned char>(in[i + 2]) == 0xBF)) {
            out += "\xEF\xBF\xBD";
            i += 2;
            continue;
        }
        out.push_back(in[i]);
    }
    return out;
}

// For attributes: one line, blanks collapsed.
std::string one_line(std::string_view s) {
    std::string in = xml_clean(s), out;
    bool blank = false;
    for (char c : in) {
        if (c == '\n' || c == '\t' || c == ' ') {
            blank = true;
            continue;
        }
        if (blank && !out.empty()) out.push_back(' ');
        blank = false;
        out.push_back(c);
    }
    return out;
}

void attr(pugi::xml_node n, const char* name, const std::string& value) {
    n.append_attribute(name).set_value(one_line(value).c_str());
}

void attr(pugi::xml_node n, const char* name, int value) {
    n.append_attribute(name).set_value(value);
}

void property(pugi::xml_node props, const char* name, const std::string& value) {
    auto p = props.append_child("property");
    attr(p, "name", name);
    attr(p, "value", value);
}

std::string evidence_text(const RuleResult& rr, Lang lang) {
    std::string out;
    for (const auto& e : rr.evidence) {
        std::string where = e.provenance.source;
        if (!where.empty() && e.provenance.line > 0)
            where += ":" + std::to_string(e.provenance.line);
        out += tr(lang, "Nachweis: ", "Evidence: ");
        if (!e.fact.empty()) {
            out += e.fact + " = " + e.value;
            if (!where.empty()) out += " (" + where + ")";
        } else {
            out += where;
        }
        if (!e.provenance.excerpt.empty()) out += "\n  " + e.provenance.excerpt;
        out += "\n";
    }
    return out;
}

std::string junit_string(const ScanResult& scan, Lang lang) {
    pugi::xml_document doc;
    auto decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";

    auto suites = doc.append_child("testsuites");
    attr(suites, "name", "grundscan " + scan.org_name);
    int total = 0, failures = 0, errors = 0, skipped = 0;

    for (const auto& m : scan.municipalities) {
        auto suite = suites.append_child("testsuite");
        attr(suite, "name", m.name.empty() ? m.id : m.name);
        attr(suite, "id", m.id);
        int t = 0, f = 0, e = 0, s = 0;
        for (const auto& a : m.assets)
            for (const auto& rr : a.results) {
                ++t;
                if (rr.state == ResultState::Fail) ++f;
                if (rr.state == ResultState::Error) ++e;
                if (rr.state == ResultState::NoEvidence || rr.state == ResultState::NotApplicable ||
                    rr.state == ResultState::Waived)
                    ++s;
            }
        attr(suite, "tests", t);
        attr(suite, "failures", f);
        attr(suite, "errors", e);
        attr(suite, "skipped", s);
        attr(suite, "time", "0");
        if (!scan.started_at.empty()) attr(suite, "timestamp", scan.started_at);
        total += t, failures += f, errors += e, skipped += s;

        auto props = suite.append_child("properties");
        property(props, "ags", m.ags);
        property(props, "as_of", scan.as_of);
        property(props, "score", format_percent(m.score.value));
        property(props, "coverage", format_percent(m.score.coverage));
        property(props, "ampel", ampel_name(m.score.ampel));
        // The replacement roadmap, one property per line (CI views show suite properties).
        for (const RoadmapEntry* line : roadmap_rows(m))
            property(
                props, "roadmap",
                (line->asset_name.empty() ? line->asset_id : line->asset_name) + ": " +
                    roadmap_release(*line) + ", " + line->phase +
                    (line->eol_date.empty() ? "" : ", end of support " + line->eol_date) +
                    (line->extended_until.empty() ? ""
                                                  : ", extended until " + line->extended_until));

        for (const auto& a : m.assets) {
            for (const auto& rr : a.results) {
                const Rule* rule = scan.rule(rr.rule_id);
                std::string title = rule ? rule->title.get(lang) : std::string();
                auto tc = suite.append_child("testcase");
                attr(tc, "classname", m.id + "." + a.id);
                attr(tc, "name", title.empty() ? rr.rule_id : rr.rule_id + " " + title);
                attr(tc, "time", "0");
                std::string body = rr.message + "\n";
                switch (rr.state) {
                    case ResultState::Pass:
                        break;
                    case ResultState::Fail: {
                        auto n = tc.append_child("failure");
                        attr(n, "message", rr.message);
                        attr(n, "type", rule ? severity_name(rule->severity) : "unknown");
                        if (rule && !rule->remediation.get(lang).empty())
                            body += "\n" + std::string(tr(lang, "Maßnahme: ", "Remediation: ")) +
                                    rule->remediation.get(lang) + "\n";
                        body += "\n" + evidence_text(rr, lang);
                        n.append_child(pugi::node_pcdata).set_value(xml_clean(body).c_str());
                        break;
                    }
                    case ResultState::Error: {
                        auto n = tc.append_child("error");
                        attr(n, "message", rr.message);
                        attr(n, "type", "error");
                        body += "\n" + evidence_text(rr, lang);
                        n.append_child(pugi::node_pcdata).set_value(xml_clean(body).c_str());
                        break;
                    }
                    case ResultState::Waived: {
                        auto n = tc.append_child("skipped");
                        std::string msg = tr(lang, "Risiko akzeptiert", "Risk accepted");
                        if (rr.waiver) {
                            const auto& w = *rr.waiver;
                            msg += " (" + w.id + tr(lang, ", bis ", ", until ") + w.expires +
                                   "): " + w.justification;
                        }
                        attr(n, "message", msg + " — " + rr.message);
                        break;
                    }
                    case ResultState::NoEvidence:
                    case ResultState::NotApplicable: {
                        auto n = tc.append_child("skipped");
                        attr(n, "message",
                             std::string(state_label(rr.state, lang)) + ": " + rr.message);
                        break;
                    }
                }
                if (rr.state == ResultState::Pass && !rr.evidence.empty()) {
                    tc.append_child("system-out")
                        .append_child(pugi::node_pcdata)
                        .set_value(xml_clean(evidence_text(rr, lang)).c_str());
                }
            }
        }
    }
    attr(suites, "tests", total);
    attr(suites, "failures", failures);
    attr(suites, "errors", errors);
    attr(suites, "skipped", skipped);

    std::ostringstream out;
    doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    return out.str();
}

Expected<std::vector<std::filesystem::path>> write_junit(const ScanResult& scan,
                                                         const ReportOptions& options) {
    auto path = options.out_dir / "junit.xml";
    if (auto s = write_file_atomic(path, junit_string(scan, options.lang)); !s) return s.error();
    return std::vector<std::filesystem::path>{path};
}

}  // namespace

// Also declared in reports/writer.hpp.
const ReportWriter& junit_report_writer();

const ReportWriter& junit_report_writer() {
    static const ReportWriter w{
        "junit", "junit.xml: JUnit XML, one test case per asset and rule (CI test views)",
        &write_junit};
    return w;
}

}  // namespace grundscan
