#include "scanner/collectors/probe_record.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "scanner/core/dates.hpp"
#include "scanner/core/text.hpp"
#include "scanner/facts/catalog.hpp"

namespace grundscan {

namespace {

using nlohmann::json;

constexpr const char* kFormat = "grundscan-probe";

json value_to_json(const FactValue& v) {
    return std::visit([](const auto& x) { return json(x); }, v);
}

// The JSON value as the declared type of `fact`; nullopt when it does not fit.
std::optional<FactValue> value_from_json(const FactDecl& decl, const json& v) {
    switch (decl.type) {
        case FactType::Boolean:
            if (v.is_boolean()) return FactValue{v.get<bool>()};
            break;
        case FactType::Integer:
            if (v.is_number_integer()) return FactValue{v.get<std::int64_t>()};
            break;
        case FactType::String:
        case FactType::Date:
        case FactType::Version:
            if (v.is_string()) return FactValue{v.get<std::string>()};
            break;
        case FactType::List:
            if (v.is_array()) {
                StringList out;
                for (const auto& item : v) {
                    if (!item.is_string()) return std::nullopt;
                    out.push_back(item.get<std::string>());
                }
                return FactValue{std::move(out)};
            }
            break;
        case FactType::Map:
            if (v.is_object()) {
                StringMap out;
                for (auto it = v.begin(); it != v.end(); ++it) {
                    if (!it.value().is_string()) return std::nullopt;
                    out[it.key()] = it.value().get<std::string>();
                }
                return FactValue{std::move(out)};
            }
            break;
    }
    return std::nullopt;
}

bool detect(std::string_view text, std::string_view filename) {
    return (filename.ends_with(".probe.json") ||
            text.substr(0, 200).find(kFormat) != std::string_view::npos) &&
           text.find("\"format\"") != std::string_view::npos &&
           text.find(kFormat) != std::string_view::npos;
}

// Recordings made before the raw TLS scan hold only tls.protocols_accepted, listing the
// versions a 2025 probe tested and found accepted. A listed version is accepted (positive
// evidence); a version not listed was perhaps never tested, so no "false" is derived.
void derive_version_facts(ParseOutput& out) {
    static const std::pair<const char*, const char*> kVersions[] = {
        {"SSLv2", "tls.sslv2_accepted"},   {"SSLv3", "tls.sslv3_accepted"},
        {"TLSv1", "tls.tls10_accepted"},   {"TLSv1.0", "tls.tls10_accepted"},
        {"TLSv1.1", "tls.tls11_accepted"}, {"TLSv1.2", "tls.tls12_accepted"},
        {"TLSv1.3", "tls.tls13_accepted"},
    };
    auto has = [&](const std::string& name) {
        return std::any_of(out.facts.begin(), out.facts.end(),
                           [&](const Fact& f) { return f.name == name; });
    };
    std::vector<Fact> derived;
    for (const auto& f : out.facts) {
        if (f.name != "tls.protocols_accepted") continue;
        const auto* list = std::get_if<StringList>(&f.value);
        if (list == nullptr) continue;
        for (const auto& v : *list)
            for (const auto& [version, fact] : kVersions)
                if (text::iequals(v, version) && !has(fact)) {
                    Fact d = f;
                    d.name = fact;
                    d.value = true;
                    d.provenance.excerpt =
                        v + " listed in tls.protocols_accepted; " + f.provenance.excerpt;
                    derived.push_back(std::move(d));
                }
    }
    for (auto& d : derived) out.facts.push_back(std::move(d));
}

}  // namespace

std::string probe_result_to_json(const ProbeResult& result, const std::string& probed_at) {
    json j;
    j["format"] = kFormat;
    j["version"] = 1;
    j["asset"] = result.asset_id;
    j["source"] = result.source;
    j["probed_at"] = probed_at;
    j["facts"] = json::array();
    for (const auto& f : result.facts) {
        j["facts"].push_back({{"name", f.name},
                              {"value", value_to_json(f.value)},
                              {"source", text::sanitize_utf8(f.provenance.source)},
                              {"excerpt", text::sanitize_utf8(f.provenance.excerpt)}});
    }
    j["issues"] = json::array();
    for (const auto& i : result.issues) {
        json issue = {{"source", text::sanitize_utf8(i.source)},
                      {"message", text::sanitize_utf8(i.message)},
                      {"fatal", i.fatal}};
        if (!i.explains.empty()) issue["explains"] = i.explains;
        j["issues"].push_back(std::move(issue));
    }
    return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Expected<ParseOutput> parse_probe_record(std::string_view text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Error{"not a recorded probe: invalid JSON"};
    if (j.value("format", "") != kFormat)
        return Error{"not a recorded probe (format must be \"grundscan-probe\")"};
    if (j.value("version", 0) != 1) return Error{"unsupported recorded probe version (expected 1)"};
    std::string probed_at = j.value("probed_at", "");
    // The day of the recording is the day the facts were observed (evidence age).
    std::string observed_on;
    if (auto d = parse_iso_date(std::string_view(probed_at).substr(0, 10))) observed_on = d->iso();
    ParseOutput out;
    if (parse_iso_date(probed_at)) {
        // The recording time is the collection time of every fact in it.
        auto at = text.find("\"probed_at\"");
        int line = at == std::string_view::npos
                       ? 0
                       : 1 + static_cast<int>(std::count(
                                 text.begin(), text.begin() + static_cast<long>(at), '\n'));
        out.collected_at = ParseOutput::CollectedAt{probed_at, line, "probed_at " + probed_at};
    }
    auto facts = j.find("facts");
    if (facts == j.end() || !facts->is_array())
        return Error{"recorded probe without a 'facts' list"};
    for (const auto& f : *facts) {
        if (!f.is_object()) return Error{"recorded probe: an entry of 'facts' is not an object"};
        std::string name = f.value("name", "");
        // Counted to the day of the recording: the scan derives it anew from the recorded
        // date against its own Stichtag (enrich/stichtag_facts), or not at all.
        if (name == "tls.cert_days_left") continue;
        const FactDecl* decl = find_fact_decl(name);
        if (!decl) {
            out.warn("unknown fact '" + name + "' in recorded probe: ignored");
            continue;
        }
        auto value = f.contains("value") ? value_from_json(*decl, f["value"]) : std::nullopt;
        if (!value) {
            out.warn("fact '" + name + "' has a value of the wrong type: ignored");
            continue;
        }
        std::string excerpt = f.value("excerpt", "");
        if (!probed_at.empty())
            excerpt +=
                (excerpt.empty() ? "" : " ") + std::string("(aufgezeichnet ") + probed_at + ")";
        out.facts.push_back(Fact{name, std::move(*value),
                                 Provenance{f.value("source", ""), 0, "", excerpt, observed_on},
                                 0});
    }
    derive_version_facts(out);
    if (auto issues = j.find("issues"); issues != j.end() && issues->is_array()) {
        for (const auto& i : *issues) {
            if (!i.is_object()) continue;
            // A recorded fatal probe failure stays visible, as a warning on the recording.
            out.warn(std::string(i.value("fatal", false) ? "probe failed when recorded: " : "") +
                     i.value("message", ""));
            if (auto ex = i.find("explains"); ex != i.end() && ex->is_array()) {
                for (const auto& name : *ex)
                    if (name.is_string() && find_fact_decl(name.get<std::string>()))
                        out.warnings.back().explains.push_back(name.get<std::string>());
            }
        }
    }
    return out;
}

const CollectorInfo& probe_record_collector() {
    static const CollectorInfo c{"web-probe-json", "recorded live probe (grundscan probe --save)",
                                 &detect, &parse_probe_record};
    return c;
}

}  // namespace grundscan
