// Facts that depend on the scan's Stichtag (--as-of) are derived here from the dates that were
// collected, never taken over from a recording: a certificate recorded with 30 days left has
// expired when the scan's Stichtag lies after its notAfter.
#pragma once

#include "scanner/core/dates.hpp"
#include "scanner/facts/fact.hpp"

namespace grundscan {

// Collector type named in the provenance of derived facts.
inline constexpr const char* kStichtagCollector = "stichtag";

// Sets tls.cert_days_left from tls.cert_not_after against `as_of` (overriding any value a live
// probe or a recording carried). Without tls.cert_not_after nothing is derived.
void derive_stichtag_facts(FactSet& facts, const Date& as_of);

}  // namespace grundscan
