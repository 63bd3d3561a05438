#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "reports/writer.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

const char* state_label(ResultState s, Lang lang) {
    bool de = lang == Lang::De;
    switch (s) {
        case ResultState::Pass:
            return de ? "erfüllt" : "pass";
        case ResultState::Fail:
            return de ? "nicht erfüllt" : "fail";
        case ResultState::NoEvidence:
            return de ? "kein Nachweis" : "no evidence";
        case ResultState::NotApplicable:
            return de ? "entbehrlich" : "not applicable";
        case ResultState::Error:
            return de ? "Fehler" : "error";
        case ResultState::Waived:
            return de ? "Risiko akzeptiert" : "waived";
    }
    return "?";
}

const char* ampel_label(Ampel a, Lang lang) {
    bool de = lang == Lang::De;
    switch (a) {
        case Ampel::Green:
            return de ? "Grün" : "green";
        case Ampel::Yellow:
            return de ? "Gelb" : "yellow";
        case Ampel::Red:
            return de ? "Rot" : "red";
        case Ampel::None:
            return de ? "keine Bewertung" : "not rated";
    }
    return "?";
}

const char* severity_label(Severity s, Lang lang) {
    bool de = lang == Lang::De;
    switch (s) {
        case Severity::Low:
            return de ? "niedrig" : "low";
        case Severity::Medium:
            return de ? "mittel" : "medium";
        case Severity::High:
            return de ? "hoch" : "high";
        case Severity::Critical:
            return de ? "kritisch" : "critical";
    }
    return "?";
}

const char* support_phase_label(std::string_view phase, Lang lang) {
    bool de = lang == Lang::De;
    if (phase == "regular") return de ? "reguläre Unterstützung" : "regular support";
    if (phase == "extended")
        return de ? "nur noch erweiterte Unterstützung" : "extended support only";
    if (phase == "ended") return de ? "keine Unterstützung mehr" : "no longer supported";
    return nullptr;
}

const char* level_label(Level l, Lang lang) {
    bool de = lang == Lang::De;
    switch (l) {
        case Level::Basis:
            return "Basis";
        case Level::Standard:
            return "Standard";
        case Level::Erhoeht:
            return de ? "erhöhter Schutzbedarf" : "elevated protection needs";
    }
    return "?";
}

std::string format_percent(const std::optional<double>& v) {
    if (!v) return "–";
    return std::to_string(static_cast<int>(std::floor(*v + 1e-9))) + " %";
}

std::string format_number(double d, Lang lang) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", d);
    std::string out = buf;
    if (lang == Lang::De) std::replace(out.begin(), out.end(), '.', ',');
    return out;
}

std::string product_label(const std::string& product) {
    static const std::map<std::string, std::string> names{
        {"windows", "Windows"},
        {"windows-server", "Windows Server"},
        {"debian", "Debian"},
        {"ubuntu", "Ubuntu"},
        {"rhel", "Red Hat Enterprise Linux"},
        {"sles", "SUSE Linux Enterprise Server"},
        {"opensuse", "openSUSE"},
        {"nginx", "nginx"},
        {"apache-http-server", "Apache HTTP Server"},
        {"php", "PHP"},
        {"openssl", "OpenSSL"},
        {"tomcat", "Apache Tomcat"},
        {"postgresql", "PostgreSQL"},
        {"msexchange", "Microsoft Exchange"}};
    auto it = names.find(product);
    return it == names.end() ? product : it->second;
}

std::string html_escape(std::string_view s) {
    std::string clean = text::sanitize_utf8(s);
    std::string out;
    out.reserve(clean.size() + 16);
    for (char c : clean) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

}  // namespace grundscan
