// Recorded probe results: `grundscan probe --save DIR` writes one JSON file per target; the
// `web-probe-json` collector reads it back, so a scan can judge a web endpoint offline (and
// the example Landkreis can show web findings without a network).
#pragma once

#include <string>
#include <string_view>

#include "scanner/collectors/collector.hpp"
#include "scanner/probes/web_probe.hpp"

namespace grundscan {

// Serialises `result` (facts with provenance, issues) as a recorded probe (format
// "grundscan-probe", version 1), stamped with `probed_at` (ISO 8601).
std::string probe_result_to_json(const ProbeResult& result, const std::string& probed_at);

// Parses a recorded probe; facts keep the probed URL as source and get the recording time
// appended to the excerpt. Values are checked against the fact catalog.
Expected<ParseOutput> parse_probe_record(std::string_view text);
const CollectorInfo& probe_record_collector();

}  // namespace grundscan
