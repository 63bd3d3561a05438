// Collector interface. A collector turns the decoded text of one export into facts. Its
// parse function is pure (no I/O): reading, decoding and size caps live in source_reader.
// To add a collector: write scanner/collectors/<area>/<name>.cpp exposing a CollectorInfo
// and add one line to scanner/collectors/registry.cpp (see CONTRIBUTING.md).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/expected.hpp"
#include "scanner/facts/fact.hpp"

namespace grundscan {

// What a parse produced. `facts` carry provenance with line and excerpt; the runner fills
// in Provenance::source and ::collector. `warnings` are non-fatal remarks (e.g. an Include
// that could not be followed); they are shown in the report.
struct ParseOutput {
    std::vector<Fact> facts;
    std::vector<SourceIssue> warnings;
    // When the export records its own collection time (gpresult ReadTime, a recorded probe's
    // probed_at, slmgr's trusted time): the time as ISO 8601 (a date, or date and time), the
    // line and the raw text. Empty when the format has none; never taken from file times.
    struct CollectedAt {
        std::string timestamp;
        int line = 0;
        std::string excerpt;
    };
    std::optional<CollectedAt> collected_at{};
    // Other sources of the asset this parse read as part of this one (e.g. files an sshd
    // Include names). The runner does not parse them on their own. A fact or warning from such
    // a file carries that file in Provenance::source / SourceIssue::source.
    std::vector<std::filesystem::path> consumed;

    // Adds a fact found at `line` (1-based, 0 = whole file) with the raw `excerpt`.
    void add(std::string name, FactValue value, int line, std::string excerpt, int priority = 0) {
        facts.push_back(Fact{std::move(name), std::move(value),
                             Provenance{"", line, "", std::move(excerpt)}, priority});
    }
    void warn(std::string message, int line = 0) {
        warnings.push_back(SourceIssue{"", "", std::move(message), line, false});
    }
};

// Parses decoded UTF-8 `text`. Returns an Error (with a line, when known) if the content is
// not of this type or is unusable; an export that is valid but lacks a setting simply has
// no fact for it (never a default).
using ParseFn = Expected<ParseOutput> (*)(std::string_view text);

// Returns true if `text` (decoded; may be only the first few KiB) looks like this type.
// `filename` is the base name, as a hint only.
using DetectFn = bool (*)(std::string_view text, std::string_view filename);

// One source of an asset, as resolved from the inventory.
struct AssetSourceFile {
    std::filesystem::path path;
    std::string display;
};

// What a parse may see beyond its own text: the other sources of the same asset, for formats
// whose files refer to each other (sshd_config Include). `read` returns the decoded UTF-8
// text of a source of the asset (size-capped) or an Error; it never reads other files.
struct SourceContext {
    std::filesystem::path path;  // this source
    std::string display;
    std::vector<AssetSourceFile> asset_files;  // every source of the asset, this one included
    std::function<Expected<std::string>(const std::filesystem::path&)> read;
};

// Like ParseFn, with the asset's other sources at hand.
using ParseInContextFn = Expected<ParseOutput> (*)(std::string_view text, const SourceContext& ctx);

struct CollectorInfo {
    std::string_view type;         // as written in inventories: "secedit-inf"
    std::string_view description;  // one line, English
    DetectFn detect;
    ParseFn parse;
    // When set, the asset runner calls this instead of `parse` (before any other source, so
    // that files it consumes are never parsed on their own, whatever the order of sources).
    ParseInContextFn parse_in_context = nullptr;
};

// All collectors in detection order (more specific first).
const std::vector<CollectorInfo>& collector_registry();

// The collector for `type`, or nullptr.
const CollectorInfo* find_collector(std::string_view type);

}  // namespace grundscan
