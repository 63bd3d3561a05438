#include "scanner/collectors/collection_time.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "scanner/collectors/asset_collector.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxManifestBytes = 64 * 1024;
constexpr int kMaxManifestDepth = 8;

int line_at(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<int>(
                   std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

// Line of the first occurrence of `"key"` in `text` (0 if absent).
int key_line(std::string_view text, const std::string& key) {
    auto at = text.find("\"" + key + "\"");
    return at == std::string_view::npos ? 0 : line_at(text, at);
}

// Deepest nesting of [ and { outside strings.
int nesting_depth(std::string_view text) {
    int depth = 0, max_depth = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        if (c == '[' || c == '{') max_depth = std::max(max_depth, ++depth);
        if (c == ']' || c == '}') --depth;
    }
    return max_depth;
}

bool detect_manifest(std::string_view text, std::string_view /*filename*/) {
    return text.find("\"grundscan-manifest\"") != std::string_view::npos;
}

Expected<ParseOutput> parse_manifest_collector(std::string_view text) {
    auto m = parse_bundle_manifest(text);
    if (!m) return m.error();
    ParseOutput out;
    out.collected_at = ParseOutput::CollectedAt{m->collected_at, m->collected_at_line,
                                                "collected_at " + m->collected_at};
    return out;
}

}  // namespace

Expected<BundleManifest> parse_bundle_manifest(std::string_view text) {
    if (text.size() > kMaxManifestBytes) return Error{"manifest larger than 64 KiB: not read"};
    if (nesting_depth(text) > kMaxManifestDepth)
        return Error{"manifest nested deeper than 8 levels: not read"};
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return Error{"manifest is not a JSON object (invalid JSON?)"};
    if (j.value("format", "") != "grundscan-manifest")
        return Error{"manifest without \"format\": \"grundscan-manifest\"", "",
                     key_line(text, "format")};
    if (!j.contains("version") || !j["version"].is_number_integer() || j["version"] != 1)
        return Error{"unsupported manifest version (expected \"version\": 1)", "",
                     key_line(text, "version")};
    BundleManifest m;
    m.collected_at_line = key_line(text, "collected_at");
    for (auto [key, field] :
         {std::pair{"collected_at", &m.collected_at}, {"host", &m.host}, {"tool", &m.tool}}) {
        auto it = j.find(key);
        if (it == j.end() || !it->is_string() || it->get<std::string>().empty())
            return Error{std::string("manifest needs \"") + key + "\" (a non-empty string)", "",
                         key_line(text, key)};
        *field = it->get<std::string>();
    }
    // YYYY-MM-DD, optionally followed by T and a time.
    auto date =
        (m.collected_at.size() == 10 || (m.collected_at.size() > 10 && m.collected_at[10] == 'T'))
            ? parse_iso_date(m.collected_at)
            : std::nullopt;
    if (!date)
        return Error{
            "\"collected_at\" must be an ISO 8601 date or timestamp, e.g. "
            "2026-11-18T09:12:00+01:00 (got \"" +
                text::sanitize_utf8(m.collected_at) + "\")",
            "", m.collected_at_line};
    m.date = *date;
    return m;
}

const CollectorInfo& bundle_manifest_collector() {
    static const CollectorInfo c{"bundle-manifest",
                                 "manifest.json of an export bundle (collection time, host, tool)",
                                 &detect_manifest, &parse_manifest_collector};
    return c;
}

CollectionTimes::CollectionTimes(const Asset& asset)
    : asset_(asset),
      bound_(asset.file.empty() ? fs::path()
                                : fs::absolute(asset.file).lexically_normal().parent_path()) {}

std::optional<CollectionTimes::Known> CollectionTimes::manifest_for(const SourceFile& src,
                                                                    FactSet& facts) {
    fs::path dir = fs::absolute(src.path).lexically_normal().parent_path();
    fs::path shown_dir = fs::path(src.display).parent_path();
    // The search ends at the folder the source and the inventory file have in common.
    fs::path stop;
    for (auto a = dir.begin(), b = bound_.begin(); a != dir.end() && b != bound_.end() && *a == *b;
         ++a, ++b)
        stop /= *a;
    if (stop == stop.root_path()) stop.clear();  // nothing in common but "/": own folder only
    for (int up = 0; up < 64; ++up) {
        auto cached = manifests_.find(dir);
        if (cached != manifests_.end()) {
            if (cached->second.first) return cached->second.second;
        } else {
            fs::path file = dir / "manifest.json";
            std::error_code ec;
            std::optional<Known> found;
            bool present = fs::is_regular_file(file, ec);
            if (present) {
                std::string shown = (shown_dir / "manifest.json").lexically_normal().string();
                auto decoded = read_source(file, kMaxManifestBytes);
                Expected<BundleManifest> m = decoded ? parse_bundle_manifest(decoded->utf8)
                                                     : Expected<BundleManifest>(decoded.error());
                if (m) {
                    found = Known{m->date, shown, m->collected_at_line,
                                  "collected_at " + m->collected_at + " (host " + m->host + ", " +
                                      m->tool + ")"};
                } else {
                    facts.add_issue(SourceIssue{
                        shown, "evidence",
                        "manifest not usable, collection time unknown: " + m.error().message,
                        m.error().line, false});
                }
            }
            manifests_[dir] = {present, found};
            // A manifest, even a broken one, ends the search: it speaks for this folder.
            if (present) return found;
        }
        if (dir == stop || stop.empty() || !dir.has_parent_path() || dir.parent_path() == dir)
            break;
        dir = dir.parent_path();
        shown_dir = shown_dir / "..";
    }
    return std::nullopt;
}

std::optional<Date> CollectionTimes::note_source(const SourceFile& src, const std::string& type,
                                                 const ParseOutput& parsed, FactSet& facts) {
    if (type == "bundle-manifest")
        return std::nullopt;  // speaks for other files, holds no evidence
    if (parsed.collected_at) {
        if (auto d = parse_iso_date(parsed.collected_at->timestamp)) {
            known_.emplace_back(src.display, Known{*d, src.display, parsed.collected_at->line,
                                                   parsed.collected_at->excerpt});
            return *d;
        }
    }
    if (auto m = manifest_for(src, facts)) {
        known_.emplace_back(src.display, *m);
        return m->date;
    }
    for (const auto* decl : {src.collected ? &*src.collected : nullptr,
                             asset_.collected ? &*asset_.collected : nullptr}) {
        if (!decl) continue;
        known_.emplace_back(src.display, Known{decl->date, decl->file, decl->line,
                                               "collected: " + decl->date.iso()});
        return decl->date;
    }
    unknown_.push_back(src.display);
    return std::nullopt;
}

void CollectionTimes::add_facts(FactSet& facts) const {
    if (!unknown_.empty()) {
        std::string list;
        for (std::size_t i = 0; i < unknown_.size() && i < 5; ++i)
            list += (list.empty() ? "" : ", ") + unknown_[i];
        if (unknown_.size() > 5) list += " and " + std::to_string(unknown_.size() - 5) + " more";
        facts.add_issue(SourceIssue{
            "", "evidence",
            "collection time unknown for " + list +
                ": put a manifest.json with collected_at in the export folder (see "
                "docs/inventory.md) or write collected: YYYY-MM-DD on the asset or source in "
                "the inventory",
            0, false});
        return;
    }
    if (known_.empty()) return;
    const auto* oldest = &known_.front();
    // Ties go to the source that sorts first: the same evidence whatever the order of sources.
    for (const auto& k : known_)
        if (k.second.date < oldest->second.date ||
            (k.second.date == oldest->second.date && k.first < oldest->first))
            oldest = &k;
    const Known& t = oldest->second;
    std::string excerpt = t.excerpt;
    if (t.where != oldest->first) excerpt += " (for " + oldest->first + ")";
    if (known_.size() > 1) excerpt += "; oldest of " + std::to_string(known_.size()) + " exports";
    facts.add(Fact{"evidence.collected_at", t.date.iso(),
                   Provenance{t.where, t.line, "evidence", excerpt}, 0});
}

void add_evidence_age(FactSet& facts, const Date& as_of) {
    const Fact* at = facts.find("evidence.collected_at");
    const auto* s = at ? std::get_if<std::string>(&at->value) : nullptr;
    auto d = s ? parse_iso_date(*s) : std::nullopt;
    if (!d) return;
    long long days = days_between(*d, as_of);
    Provenance p = at->provenance;
    p.excerpt = "collected " + d->iso() + ", Stichtag " + as_of.iso() + ": " +
                std::to_string(days) + " days; " + p.excerpt;
    facts.add(Fact{"evidence.age_days", static_cast<std::int64_t>(days), std::move(p), 0});
}

}  // namespace grundscan
