#include "rules/waivers.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include "scanner/core/text.hpp"

namespace grundscan {

namespace fs = std::filesystem;

namespace {

// 1-based line of `n`; 0 for a missing node (yaml-cpp throws on Mark() of those).
int line_of(const YAML::Node& n) {
    if (!n.IsDefined()) return 0;
    return n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
}

int line_of(const YAML::Exception& e) {
    return e.mark.line >= 0 ? e.mark.line + 1 : 0;
}

constexpr const char* kKeys[] = {"id",       "rule",       "scope",   "target", "justification",
                                 "approver", "decided_on", "expires", "ticket"};

bool rule_matches(const std::string& pattern, const std::string& rule_id) {
    if (!pattern.empty() && pattern.back() == '*')
        return std::string_view(rule_id).starts_with(
            std::string_view(pattern).substr(0, pattern.size() - 1));
    return pattern == rule_id;
}

// Strict YYYY-MM-DD (a real calendar date, nothing after it).
std::optional<Date> parse_strict_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return std::nullopt;
    }
    return parse_iso_date(s);
}

std::string scope_text(const Waiver& w) {
    return w.scope_id.empty() ? w.scope : w.scope + " " + w.scope_id;
}

class WaiverFileLoader {
  public:
    WaiverFileLoader(std::string file, const RuleSet& rules, const Inventory& inventory,
                     std::vector<Error>& errors)
        : file_(std::move(file)), rules_(rules), errors_(errors) {
        for (const auto& m : inventory.municipalities) {
            municipalities_.insert(m.id);
            for (const auto& a : m.assets) assets_.insert(a.id);
        }
    }

    void load(const std::string& content, std::vector<Waiver>& out) {
        YAML::Node root;
        try {
            root = YAML::Load(content);
        } catch (const YAML::Exception& e) {
            error("invalid YAML: " + e.msg, line_of(e));
            return;
        }
        try {
            read_root(root, out);
        } catch (const YAML::Exception& e) {
            error("invalid waiver file: " + e.msg, line_of(e));
        }
    }

  private:
    void error(const std::string& msg, int line) { errors_.push_back(Error{msg, file_, line}); }
    void error(const std::string& msg, const YAML::Node& n, int fallback) {
        int line = line_of(n);
        error(msg, line > 0 ? line : fallback);
    }

    void read_root(const YAML::Node& root, std::vector<Waiver>& out) {
        if (!root.IsMap()) {
            error("a waiver file holds a 'waivers:' list", root, 1);
            return;
        }
        for (auto it = root.begin(); it != root.end(); ++it) {
            auto key = it->first.Scalar();
            if (key != "waivers")
                error("unknown key '" + key + "' in waiver file (allowed: waivers)", it->first, 1);
        }
        YAML::Node list = root["waivers"];
        if (!list || list.IsNull()) {
            if (!list) error("a waiver file holds a 'waivers:' list", root, 1);
            return;  // "waivers:" with nothing under it: no accepted risks
        }
        if (!list.IsSequence()) {
            error("'waivers' must be a list of waivers", list, 1);
            return;
        }
        std::map<std::string, int> ids;  // explicit id -> line
        for (const auto& item : list) {
            Waiver w;
            if (read_waiver(item, w, ids)) out.push_back(std::move(w));
        }
    }

    // Reads a scalar value; records an error and returns nullopt for lists, maps and empties.
    std::optional<std::string> scalar(const YAML::Node& map, const char* key, int entry_line,
                                      bool required) {
        YAML::Node n = map[key];
        if (!n || n.IsNull()) {
            if (required) error(std::string("missing '") + key + "'", n, entry_line);
            return std::nullopt;
        }
        if (!n.IsScalar()) {
            error(std::string("'") + key + "' must be a single value", n, entry_line);
            return std::nullopt;
        }
        auto v = std::string(text::trim(n.Scalar()));
        if (v.empty()) {
            if (required) error(std::string("'") + key + "' must not be empty", n, entry_line);
            return std::nullopt;
        }
        return v;
    }

    std::optional<Date> date(const YAML::Node& map, const char* key, int entry_line) {
        auto s = scalar(map, key, entry_line, true);
        if (!s) return std::nullopt;
        auto d = parse_strict_date(*s);
        if (!d)
            error(std::string("'") + key + "' is not a date (YYYY-MM-DD): '" + *s + "'", map[key],
                  entry_line);
        return d;
    }

    bool read_waiver(const YAML::Node& item, Waiver& w, std::map<std::string, int>& ids) {
        int line = line_of(item);
        if (line <= 0) line = 1;
        if (!item.IsMap()) {
            error("a waiver is a mapping (rule, scope, target, justification, ...)", item, line);
            return false;
        }
        std::size_t before = errors_.size();
        std::set<std::string> seen;
        for (auto it = item.begin(); it != item.end(); ++it) {
            auto key = it->first.Scalar();
            if (std::none_of(std::begin(kKeys), std::end(kKeys),
                             [&](const char* k) { return key == k; })) {
                std::string allowed;
                for (const char* k : kKeys)
                    allowed += (allowed.empty() ? "" : ", ") + std::string(k);
                error("unknown key '" + key + "' in waiver (allowed: " + allowed + ")", it->first,
                      line);
            } else if (!seen.insert(key).second) {
                error("key '" + key + "' is given twice", it->first, line);
            }
        }
        w.file = file_;
        w.line = line;

        if (auto id = scalar(item, "id", line, false)) {
            w.id = *id;
            int id_line = line_of(item["id"]);
            if (auto [pos, fresh] = ids.emplace(w.id, id_line); !fresh)
                error("duplicate waiver id '" + w.id + "' (first used in line " +
                          std::to_string(pos->second) + ")",
                      id_line);
        } else {
            w.id = file_ + ":" + std::to_string(line);
        }

        if (auto rule = scalar(item, "rule", line, true)) {
            w.rule = *rule;
            check_rule(w.rule, line_of(item["rule"]));
        }

        auto scope = scalar(item, "scope", line, true);
        auto target = scalar(item, "target", line, false);
        if (scope) {
            w.scope = *scope;
            int scope_line = line_of(item["scope"]);
            if (w.scope == "organisation") {
                if (target)
                    error("'target' is not used with scope organisation (it covers every asset)",
                          line_of(item["target"]));
            } else if (w.scope == "municipality" || w.scope == "asset") {
                if (!target) {
                    error("scope " + w.scope + " needs a 'target' (" + w.scope + " id)",
                          item["target"], scope_line);
                } else {
                    w.scope_id = *target;
                    const auto& known = w.scope == "asset" ? assets_ : municipalities_;
                    if (!known.count(w.scope_id))
                        error("unknown " + w.scope + " id '" + w.scope_id +
                                  "' (not in the inventory)",
                              line_of(item["target"]));
                }
            } else {
                error(
                    "unknown scope '" + w.scope + "' (allowed: organisation, municipality, asset)",
                    scope_line);
            }
        }

        if (auto j = scalar(item, "justification", line, true)) w.justification = *j;
        if (auto a = scalar(item, "approver", line, true)) w.approver = *a;
        if (auto t = scalar(item, "ticket", line, false)) w.ticket = *t;
        auto decided = date(item, "decided_on", line);
        auto expires = date(item, "expires", line);
        if (decided) w.decided_on = *decided;
        if (expires) w.expires = *expires;
        if (decided && expires && *expires < *decided)
            error("'expires' (" + expires->iso() + ") is before 'decided_on' (" + decided->iso() +
                      ")",
                  line_of(item["expires"]));
        return errors_.size() == before;
    }

    void check_rule(const std::string& pattern, int line) {
        auto star = pattern.find('*');
        if (pattern == "*" || (star != std::string::npos && star != pattern.size() - 1)) {
            error(
                "'rule' must be a rule id or a prefix ending in '*' (a bare '*' is not allowed): "
                "'" +
                    pattern + "'",
                line);
            return;
        }
        bool any = std::any_of(rules_.rules.begin(), rules_.rules.end(),
                               [&](const Rule& r) { return rule_matches(pattern, r.id); });
        if (!any) {
            if (pattern.back() == '*')
                error("rule prefix '" + pattern + "' matches no loaded rule", line);
            else
                error("unknown rule '" + pattern + "' (not among the loaded rules)", line);
        }
    }

    std::string file_;
    const RuleSet& rules_;
    std::vector<Error>& errors_;
    std::set<std::string> municipalities_, assets_;
};

// More specific waivers win when several match one result: asset over municipality over
// organisation, an exact rule id over a prefix, a longer prefix over a shorter one.
int specificity(const Waiver& w) {
    int scope = w.scope == "asset" ? 2 : w.scope == "municipality" ? 1 : 0;
    bool exact = w.rule.empty() || w.rule.back() != '*';
    return scope * 100000 + (exact ? 50000 : static_cast<int>(w.rule.size()));
}

}  // namespace

std::vector<Error> load_waivers(const fs::path& file, const RuleSet& rules,
                                const Inventory& inventory, std::vector<Waiver>& out) {
    std::vector<Error> errors;
    out.clear();
    std::string name = file.string();
    std::string content;
    try {
        std::ifstream in(file, std::ios::binary);
        if (!in) return {Error{"cannot read the waiver file", name}};
        std::ostringstream ss;
        ss << in.rdbuf();
        content = ss.str();
    } catch (const std::exception& e) {
        return {Error{std::string("cannot read the waiver file: ") + e.what(), name}};
    }
    std::string_view body = content;
    if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
    if (auto bad = text::first_invalid_utf8(body); bad < body.size()) {
        auto line =
            1 + std::count(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
        return {Error{"the waiver file is not valid UTF-8 (save it as UTF-8)", name,
                      static_cast<int>(line)}};
    }
    try {
        std::vector<Waiver> loaded;
        WaiverFileLoader(name, rules, inventory, errors).load(std::string(body), loaded);
        if (errors.empty()) out = std::move(loaded);
    } catch (const std::exception& e) {
        errors.push_back(Error{std::string("invalid waiver file: ") + e.what(), name});
    }
    return errors;
}

void apply_waivers(ScanResult& scan, const std::vector<Waiver>& waivers, const Date& as_of) {
    std::vector<const Waiver*> active;
    for (const auto& w : waivers) {
        if (as_of > w.expires) {
            scan.waiver_warnings.push_back("Waiver " + w.id + " (rule " + w.rule + ", scope " +
                                           scope_text(w) + ") expired on " + w.expires.iso() +
                                           " — the finding counts again");
        } else {
            active.push_back(&w);
        }
    }
    std::stable_sort(active.begin(), active.end(), [](const Waiver* a, const Waiver* b) {
        return specificity(*a) > specificity(*b);
    });
    std::set<const Waiver*> used;
    for (auto& mun : scan.municipalities) {
        for (auto& asset : mun.assets) {
            for (auto& r : asset.results) {
                if (r.state != ResultState::Fail) continue;
                const Waiver* chosen = nullptr;
                for (const Waiver* w : active) {
                    bool in_scope = w->scope == "organisation" ||
                                    (w->scope == "municipality" && w->scope_id == mun.id) ||
                                    (w->scope == "asset" && w->scope_id == asset.id);
                    if (!in_scope || !rule_matches(w->rule, r.rule_id)) continue;
                    used.insert(w);
                    if (!chosen) chosen = w;
                }
                if (!chosen) continue;
                r.state = ResultState::Waived;
                r.waiver = WaiverRef{chosen->id,
                                     chosen->justification,
                                     chosen->approver,
                                     chosen->decided_on.iso(),
                                     chosen->expires.iso(),
                                     chosen->ticket};
            }
        }
    }
    // An interrupted scan has not seen every asset: "matches nothing" would be a guess.
    if (!scan.complete) return;
    for (const auto& w : waivers) {
        if (as_of > w.expires || used.count(&w)) continue;
        scan.waiver_warnings.push_back("Waiver " + w.id +
                                       " matches no failed result (already fixed?)");
    }
}

}  // namespace grundscan
