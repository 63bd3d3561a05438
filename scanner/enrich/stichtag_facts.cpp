#include "scanner/enrich/stichtag_facts.hpp"

namespace grundscan {

namespace {

// Above every collector's priority: the Stichtag decides, not the day of the recording.
constexpr int kDerivedPriority = 1000;

}  // namespace

void derive_stichtag_facts(FactSet& facts, const Date& as_of) {
    const Fact* not_after = facts.find("tls.cert_not_after");
    if (!not_after) return;
    const auto* iso = std::get_if<std::string>(&not_after->value);
    auto date = iso ? parse_iso_date(*iso) : std::nullopt;
    if (!date) return;
    Provenance p = not_after->provenance;
    p.collector = kStichtagCollector;
    p.excerpt = "notAfter " + date->iso() + ", Stichtag " + as_of.iso();
    facts.add(Fact{"tls.cert_days_left", std::int64_t{days_between(as_of, *date)}, std::move(p),
                   kDerivedPriority});
}

}  // namespace grundscan
