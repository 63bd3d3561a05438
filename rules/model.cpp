#include "rules/model.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "rules/results.hpp"

namespace grundscan {

const char* level_name(Level l) {
    switch (l) {
        case Level::Basis:
            return "basis";
        case Level::Standard:
            return "standard";
        case Level::Erhoeht:
            return "erhoeht";
    }
    return "?";
}

const char* severity_name(Severity s) {
    switch (s) {
        case Severity::Low:
            return "low";
        case Severity::Medium:
            return "medium";
        case Severity::High:
            return "high";
        case Severity::Critical:
            return "critical";
    }
    return "?";
}

std::optional<Level> parse_level(std::string_view s) {
    if (s == "basis") return Level::Basis;
    if (s == "standard") return Level::Standard;
    if (s == "erhoeht" || s == "erhöht") return Level::Erhoeht;
    return std::nullopt;
}

std::optional<ControlRef> parse_control_ref(std::string_view qualified) {
    auto colon = qualified.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == qualified.size())
        return std::nullopt;
    return ControlRef{std::string(qualified.substr(0, colon)),
                      std::string(qualified.substr(colon + 1))};
}

std::string control_label(const ControlRef& c) {
    std::string cat = c.catalog == "kernel"                ? "Kernel"
                      : c.catalog == "methodik"            ? "Methodik"
                      : c.catalog == "mindeststandard-tls" ? "Mindeststandard TLS"
                                                           : c.catalog;
    return c.id + " (" + cat + ")";
}

bool RequirementRef::applies_to(const std::string& kind) const {
    return kinds.empty() || std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

std::vector<std::string> reference_ids(const Rule& r) {
    std::vector<std::string> ids;
    ids.reserve(r.references.size());
    for (const auto& ref : r.references) ids.push_back(ref.id);
    return ids;
}

std::vector<std::string> control_labels(const Rule& r) {
    std::vector<std::string> out;
    for (const auto& c : r.gspp) out.push_back(control_label(c));
    return out;
}

std::optional<Severity> parse_severity(std::string_view s) {
    if (s == "low") return Severity::Low;
    if (s == "medium") return Severity::Medium;
    if (s == "high") return Severity::High;
    if (s == "critical") return Severity::Critical;
    return std::nullopt;
}

std::string rule_value_to_string(const RuleValue& v) {
    struct Visitor {
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(const std::vector<std::string>& l) const {
            std::string out = "[";
            for (std::size_t i = 0; i < l.size(); ++i) out += (i ? ", " : "") + l[i];
            return out + "]";
        }
    };
    return std::visit(Visitor{}, v);
}

namespace {
constexpr std::array<std::pair<Op, const char*>, 19> kOps{{
    {Op::Eq, "=="},
    {Op::Ne, "!="},
    {Op::Lt, "<"},
    {Op::Le, "<="},
    {Op::Gt, ">"},
    {Op::Ge, ">="},
    {Op::In, "in"},
    {Op::NotIn, "not_in"},
    {Op::Matches, "matches"},
    {Op::Exists, "exists"},
    {Op::Absent, "absent"},
    {Op::Contains, "contains"},
    {Op::NotContains, "not_contains"},
    {Op::VersionLt, "version<"},
    {Op::VersionLe, "version<="},
    {Op::VersionGt, "version>"},
    {Op::VersionGe, "version>="},
    {Op::DaysSinceLe, "days_since<="},
    {Op::DaysSinceGt, "days_since>"},
}};
}  // namespace

const char* op_name(Op op) {
    for (const auto& [o, n] : kOps)
        if (o == op) return n;
    return "?";
}

std::optional<Op> parse_op(std::string_view s) {
    for (const auto& [o, n] : kOps)
        if (s == n) return o;
    return std::nullopt;
}

const Rule* RuleSet::find(const std::string& id) const {
    for (const auto& r : rules)
        if (r.id == id) return &r;
    return nullptr;
}

const char* state_name(ResultState s) {
    switch (s) {
        case ResultState::Pass:
            return "pass";
        case ResultState::Fail:
            return "fail";
        case ResultState::NoEvidence:
            return "no_evidence";
        case ResultState::NotApplicable:
            return "not_applicable";
        case ResultState::Error:
            return "error";
        case ResultState::Waived:
            return "waived";
    }
    return "?";
}

std::optional<ResultState> parse_state(std::string_view s) {
    for (auto st : {ResultState::Pass, ResultState::Fail, ResultState::NoEvidence,
                    ResultState::NotApplicable, ResultState::Error, ResultState::Waived})
        if (s == state_name(st)) return st;
    return std::nullopt;
}

const char* ampel_name(Ampel a) {
    switch (a) {
        case Ampel::Green:
            return "green";
        case Ampel::Yellow:
            return "yellow";
        case Ampel::Red:
            return "red";
        case Ampel::None:
            return "none";
    }
    return "?";
}

const Rule* ScanResult::rule(const std::string& id) const {
    for (const auto* r : rules)
        if (r->id == id) return r;
    return nullptr;
}

}  // namespace grundscan
