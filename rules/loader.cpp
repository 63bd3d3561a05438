#include "rules/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>

#include "scanner/facts/catalog.hpp"
#include "scanner/inventory/inventory.hpp"

namespace grundscan {

namespace fs = std::filesystem;

namespace {

// 1-based line of `n`; 0 for a missing node (yaml-cpp throws on Mark() of those).
int line_of(const YAML::Node& n) {
    if (!n.IsDefined()) return 0;
    return n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
}

class RuleFileLoader {
  public:
    RuleFileLoader(RuleSet& set, std::vector<Error>& errors) : set_(set), errors_(errors) {}

    void load_pack(const fs::path& dir) {
        std::vector<fs::path> files;
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(dir, ec)) {
            auto ext = e.path().extension();
            if (e.is_regular_file(ec) && (ext == ".yaml" || ext == ".yml"))
                files.push_back(e.path());
        }
        std::sort(files.begin(), files.end());
        auto pack_file = dir / "pack.yaml";
        if (!fs::exists(pack_file)) {
            errors_.push_back(
                Error{"a rule pack needs a pack.yaml (id, version, title)", dir.string()});
            return;
        }
        pack_ = RulePack{};
        pack_.directory = dir.string();
        load_file(pack_file, true);
        for (const auto& f : files) {
            if (f.filename() != "pack.yaml") load_file(f, false);
        }
    }

  private:
    // Records `msg` at the line of `n`, or at the enclosing rule when `n` is missing.
    void error(const std::string& msg, const YAML::Node& n) {
        int line = line_of(n);
        errors_.push_back(Error{msg, file_, line > 0 ? line : context_line_});
    }

    void load_file(const fs::path& path, bool is_pack) {
        file_ = path.string();
        context_line_ = 1;
        YAML::Node root;
        try {
            root = YAML::LoadFile(file_);
        } catch (const YAML::Exception& e) {
            errors_.push_back(
                Error{"invalid YAML: " + e.msg, file_, e.mark.line >= 0 ? e.mark.line + 1 : 0});
            return;
        }
        if (!root.IsMap()) {
            error("expected a mapping", root);
            return;
        }
        try {
            if (is_pack) {
                read_pack(root);
            } else {
                check_keys(root, {"rules"}, "rule file");
                YAML::Node rules = root["rules"];
                if (!rules || !rules.IsSequence()) {
                    error("a rule file holds a 'rules:' list", root);
                    return;
                }
                for (const auto& r : rules) read_rule(r);
            }
        } catch (const YAML::Exception& e) {
            errors_.push_back(Error{"invalid rule file: " + e.msg, file_,
                                    e.mark.line >= 0 ? e.mark.line + 1 : 0});
        }
    }

    void check_keys(const YAML::Node& map, std::initializer_list<const char*> allowed,
                    const char* what) {
        for (auto it = map.begin(); it != map.end(); ++it) {
            auto key = it->first.as<std::string>();
            if (std::none_of(allowed.begin(), allowed.end(),
                             [&](const char* a) { return key == a; })) {
                std::string list;
                for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
                error("unknown key '" + key + "' in " + what + " (allowed: " + list + ")",
                      it->first);
            }
        }
    }

    bool read_text(const YAML::Node& n, LocalText& out, const char* what, bool required) {
        if (!n) {
            if (required) error(std::string("missing '") + what + "' (with de and en)", n);
            return !required;
        }
        if (!n.IsMap() || !n["de"] || !n["en"]) {
            error(std::string("'") + what + "' needs both 'de' and 'en' texts", n);
            return false;
        }
        out.de = n["de"].as<std::string>();
        out.en = n["en"].as<std::string>();
        if (out.de.empty() || out.en.empty()) {
            error(std::string("'") + what + "' texts must not be empty", n);
            return false;
        }
        return true;
    }

    std::optional<RuleValue> read_value(const YAML::Node& n) {
        if (n.IsSequence()) {
            std::vector<std::string> list;
            for (const auto& item : n) {
                if (!item.IsScalar()) {
                    error("list values must be scalars", item);
                    return std::nullopt;
                }
                list.push_back(item.as<std::string>());
            }
            return list;
        }
        if (!n.IsScalar()) {
            error("expected a value (boolean, number, string or list)", n);
            return std::nullopt;
        }
        auto s = n.Scalar();
        if (n.Tag() != "!") {  // unquoted: booleans and integers are typed
            bool b = false;
            if (YAML::convert<bool>::decode(n, b) &&
                (s == "true" || s == "false" || s == "yes" || s == "no"))
                return b;
            long long i = 0;
            try {
                std::size_t pos = 0;
                i = std::stoll(s, &pos);
                if (pos == s.size()) return static_cast<std::int64_t>(i);
            } catch (...) {
            }
        }
        return s;
    }

    void read_pack(const YAML::Node& root) {
        check_keys(root, {"pack", "parameters"}, "pack.yaml");
        YAML::Node p = root["pack"];
        if (!p || !p.IsMap()) {
            error("pack.yaml needs 'pack:' with id, version, title", root);
            return;
        }
        check_keys(p, {"id", "version", "title"}, "pack");
        if (!p["id"] || !p["version"]) {
            error("pack needs 'id' and 'version'", p);
            return;
        }
        pack_.id = p["id"].as<std::string>();
        pack_.version = p["version"].as<std::string>();
        read_text(p["title"], pack_.title, "title", true);
        for (const auto& existing : set_.packs) {
            if (existing.id == pack_.id) error("duplicate pack id '" + pack_.id + "'", p["id"]);
        }
        set_.packs.push_back(pack_);
        if (YAML::Node params = root["parameters"]) {
            if (!params.IsMap()) {
                error("'parameters' must be a mapping of name to {default, description}", params);
                return;
            }
            for (auto it = params.begin(); it != params.end(); ++it) {
                Parameter par;
                par.name = it->first.as<std::string>();
                par.file = file_;
                par.line = line_of(it->first);
                YAML::Node body = it->second;
                if (!body.IsMap() || !body["default"]) {
                    error("parameter '" + par.name + "' needs 'default' and 'description'",
                          it->first);
                    continue;
                }
                check_keys(body, {"default", "description"}, "parameter");
                auto v = read_value(body["default"]);
                if (!v) continue;
                par.value = *v;
                read_text(body["description"], par.description, "description", true);
                if (set_.parameters.count(par.name)) {
                    error("parameter '" + par.name + "' is defined twice", it->first);
                    continue;
                }
                set_.parameters[par.name] = par;
            }
        }
    }

    // Checks that `op` fits the fact's type and that the value (if literal) has the right form.
    void check_leaf(const Condition& c, const FactDecl& decl, const YAML::Node& n) {
        using T = FactType;
        auto numeric = decl.type == T::Integer;
        switch (c.op) {
            case Op::Lt:
            case Op::Le:
            case Op::Gt:
            case Op::Ge:
                if (!numeric && decl.type != T::Date)
                    error(std::string("operator '") + op_name(c.op) +
                              "' needs an integer or date fact; " + std::string(decl.name) +
                              " is " + fact_type_name(decl.type),
                          n);
                break;
            case Op::VersionLt:
            case Op::VersionLe:
            case Op::VersionGt:
            case Op::VersionGe:
                if (decl.type != T::Version && decl.type != T::String && decl.type != T::Map)
                    error(std::string("version operators need a version fact; ") +
                              std::string(decl.name) + " is " + fact_type_name(decl.type),
                          n);
                break;
            case Op::DaysSinceLe:
            case Op::DaysSinceGt:
                if (decl.type != T::Date)
                    error(std::string("days_since operators need a date fact; ") +
                              std::string(decl.name) + " is " + fact_type_name(decl.type),
                          n);
                break;
            case Op::Contains:
            case Op::NotContains:
                if (decl.type != T::List && decl.type != T::String)
                    error("contains needs a string or list fact", n);
                break;
            case Op::Absent:
                if (decl.type != T::Map || c.key.empty())
                    error(
                        "'absent' is only defined for an entry ('key') of a map fact such as "
                        "packages",
                        n);
                break;
            default:
                break;
        }
        if (decl.type == T::Map && c.key.empty() && c.op != Op::Exists)
            error(std::string("fact ") + std::string(decl.name) +
                      " is a map: name the entry with 'key'",
                  n);
        if (c.op == Op::Exists || c.op == Op::Absent) return;
        if (!c.value && c.param.empty()) {
            error(std::string("operator '") + op_name(c.op) + "' needs 'value' or 'param'", n);
            return;
        }
        if (!c.param.empty() && !set_.parameters.count(c.param)) {
            error("unknown parameter '" + c.param + "' (define it in pack.yaml under parameters)",
                  n);
            return;
        }
        const RuleValue& v = c.value ? *c.value : set_.parameters[c.param].value;
        bool list_op = c.op == Op::In || c.op == Op::NotIn;
        if (list_op && !std::holds_alternative<std::vector<std::string>>(v))
            error("operators 'in'/'not_in' need a list value", n);
        if (!list_op && std::holds_alternative<std::vector<std::string>>(v))
            error(std::string("operator '") + op_name(c.op) + "' needs a single value, not a list",
                  n);
        if ((c.op == Op::DaysSinceLe || c.op == Op::DaysSinceGt || numeric) && !list_op &&
            c.op != Op::Matches && !std::holds_alternative<std::int64_t>(v))
            error("this comparison needs an integer value", n);
        if (decl.type == T::Boolean && !std::holds_alternative<bool>(v))
            error(std::string("fact ") + std::string(decl.name) +
                      " is boolean: compare with true or false",
                  n);
        if (decl.type == T::Date &&
            (c.op == Op::Lt || c.op == Op::Le || c.op == Op::Gt || c.op == Op::Ge)) {
            // compare against a date string
            if (!std::holds_alternative<std::string>(v))
                error("date comparisons need a YYYY-MM-DD value", n);
        }
        if (c.op == Op::Matches) {
            if (auto s = std::get_if<std::string>(&v)) {
                try {
                    std::regex re(*s);
                } catch (const std::regex_error& e) {
                    error(std::string("invalid regular expression: ") + e.what(), n);
                }
            }
        }
    }

    std::optional<Condition> read_condition(const YAML::Node& n) {
        if (!n || !n.IsMap()) {
            error("a condition is a mapping: {fact, op, value|param} or all/any/not", n);
            return std::nullopt;
        }
        Condition c;
        c.line = line_of(n);
        for (const char* comb : {"all", "any"}) {
            if (n[comb]) {
                check_keys(n, {comb}, "combinator");
                c.kind = std::string(comb) == "all" ? Condition::Kind::All : Condition::Kind::Any;
                YAML::Node list = n[comb];
                if (!list.IsSequence() || list.size() == 0) {
                    error(std::string("'") + comb + "' needs a non-empty list of conditions", list);
                    return std::nullopt;
                }
                for (const auto& child : list) {
                    auto cc = read_condition(child);
                    if (!cc) return std::nullopt;
                    c.children.push_back(std::move(*cc));
                }
                return c;
            }
        }
        if (n["not"]) {
            check_keys(n, {"not"}, "combinator");
            c.kind = Condition::Kind::Not;
            auto cc = read_condition(n["not"]);
            if (!cc) return std::nullopt;
            c.children.push_back(std::move(*cc));
            return c;
        }
        check_keys(n, {"fact", "key", "op", "value", "param"}, "condition");
        if (!n["fact"] || !n["op"]) {
            error("a condition needs 'fact' and 'op'", n);
            return std::nullopt;
        }
        c.fact = n["fact"].as<std::string>();
        const FactDecl* decl = find_fact_decl(c.fact);
        if (!decl) {
            error("unknown fact '" + c.fact + "' (see docs/facts.md)", n["fact"]);
            return std::nullopt;
        }
        if (n["key"]) c.key = n["key"].as<std::string>();
        auto op = parse_op(n["op"].as<std::string>());
        if (!op) {
            error("unknown operator '" + n["op"].as<std::string>() +
                      "' (== != < <= > >= in not_in matches exists absent contains not_contains "
                      "version< version<= version> version>= days_since<= days_since>)",
                  n["op"]);
            return std::nullopt;
        }
        c.op = *op;
        if (n["value"]) {
            c.value = read_value(n["value"]);
            if (!c.value) return std::nullopt;
            // YAML reads unquoted yes/no/true/12 as typed scalars; for text facts the text counts.
            bool textual = decl->type == FactType::String || decl->type == FactType::Version ||
                           decl->type == FactType::Date || decl->type == FactType::Map ||
                           decl->type == FactType::List;
            if (textual && n["value"].IsScalar()) c.value = RuleValue{n["value"].Scalar()};
        }
        if (n["param"]) c.param = n["param"].as<std::string>();
        if (n["value"] && n["param"]) error("give either 'value' or 'param', not both", n);
        check_leaf(c, *decl, n);
        return c;
    }

    void read_rule(const YAML::Node& r) {
        if (!r.IsMap()) {
            error("a rule is a mapping", r);
            return;
        }
        check_keys(
            r,
            {"id", "title", "rationale", "remediation", "references", "gspp", "advisory", "module",
             "level", "severity", "weight", "applies_to", "check", "explain", "tests"},
            "rule");
        Rule rule;
        rule.file = file_;
        rule.line = line_of(r);
        context_line_ = rule.line;
        rule.pack = pack_.id;
        if (!r["id"]) {
            error("rule without 'id'", r);
            return;
        }
        rule.id = r["id"].as<std::string>();
        static const std::regex id_re("^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$");
        if (!std::regex_match(rule.id, id_re))
            error("rule id '" + rule.id +
                      "' must look like GS-ORP4-PW-LENGTH (upper case, '-' separated)",
                  r["id"]);
        if (!ids_.insert(rule.id).second) error("duplicate rule id '" + rule.id + "'", r["id"]);
        read_text(r["title"], rule.title, "title", true);
        read_text(r["rationale"], rule.rationale, "rationale", true);
        read_text(r["remediation"], rule.remediation, "remediation", true);
        read_references(r, rule);
        read_controls(r["gspp"], rule);
        if (YAML::Node adv = r["advisory"]) {
            if (!adv.IsScalar() || (adv.Scalar() != "true" && adv.Scalar() != "false"))
                error("'advisory' must be true or false", adv);
            else
                rule.advisory = adv.Scalar() == "true";
        }
        if (r["module"]) {
            rule.module = r["module"].as<std::string>();
        } else if (!rule.references.empty()) {
            const auto& ref = rule.references.front().id;
            rule.module = ref.substr(0, ref.rfind(".A"));
        }
        if (auto lv = r["level"] ? parse_level(r["level"].as<std::string>()) : std::nullopt) {
            rule.level = *lv;
        } else {
            error("'level' must be basis, standard or erhoeht", r["level"] ? r["level"] : r);
        }
        if (auto sv =
                r["severity"] ? parse_severity(r["severity"].as<std::string>()) : std::nullopt) {
            rule.severity = *sv;
        } else {
            error("'severity' must be low, medium, high or critical",
                  r["severity"] ? r["severity"] : r);
        }
        if (r["weight"]) {
            rule.weight = r["weight"].as<double>();
            if (!(rule.weight > 0 && rule.weight <= 100))
                error("'weight' must be > 0 and <= 100", r["weight"]);
        } else {
            error("missing 'weight'", r);
        }
        if (YAML::Node ap = r["applies_to"]) {
            check_keys(ap, {"kinds", "when"}, "applies_to");
            if (YAML::Node kinds = ap["kinds"]) {
                const auto& known = known_asset_kinds();
                for (const auto& k : kinds) {
                    auto kind = k.as<std::string>();
                    if (std::find(known.begin(), known.end(), kind) == known.end())
                        error("unknown asset kind '" + kind + "'", k);
                    rule.kinds.push_back(kind);
                }
            }
            if (ap["when"]) rule.when = read_condition(ap["when"]);
        }
        auto check = read_condition(r["check"]);
        if (!r["check"]) error("missing 'check'", r);
        if (check) rule.check = std::move(*check);
        if (YAML::Node ex = r["explain"]) {
            if (!ex.IsSequence()) error("'explain' must be a list of facts", ex);
            for (const auto& x : ex.IsSequence() ? ex : YAML::Node(YAML::NodeType::Sequence)) {
                auto name = x.as<std::string>();
                if (!find_fact_decl(name))
                    error("unknown fact '" + name + "' in explain (see docs/facts.md)", x);
                rule.explain.push_back(name);
            }
        }
        read_tests(r["tests"], rule, r);
        set_.rules.push_back(std::move(rule));
    }

    // references: a list of {id, checks: {de, en}, closest}; `checks` says which statement of
    // the requirement the rule tests (own words), `closest: true` that the requirement does not
    // name the setting literally.
    void read_references(const YAML::Node& r, Rule& rule) {
        YAML::Node refs = r["references"];
        if (!refs || !refs.IsSequence() || refs.size() == 0) {
            error(
                "'references' must list at least one IT-Grundschutz requirement, e.g. "
                "{id: ORP.4.A22, checks: {de: ..., en: ...}}",
                refs ? refs : r);
            return;
        }
        static const std::regex ref_re(R"(^[A-Z]{3,4}(\.[0-9]+)+\.A[0-9]+$)");
        for (const auto& x : refs) {
            RequirementRef ref;
            ref.line = line_of(x);
            if (x.IsScalar()) {
                ref.id = x.Scalar();
                error("reference '" + ref.id +
                          "' must say which part of the requirement the rule checks: "
                          "{id: " +
                          ref.id + ", checks: {de: ..., en: ...}}",
                      x);
            } else if (x.IsMap()) {
                check_keys(x, {"id", "checks", "closest", "kinds"}, "reference");
                if (!x["id"] || !x["id"].IsScalar()) {
                    error("a reference needs an 'id' (e.g. ORP.4.A22)", x);
                    continue;
                }
                ref.id = x["id"].Scalar();
                read_text(x["checks"], ref.checks, "checks", true);
                if (YAML::Node c = x["closest"]) {
                    if (!c.IsScalar() || (c.Scalar() != "true" && c.Scalar() != "false"))
                        error("'closest' must be true or false", c);
                    else
                        ref.closest = c.Scalar() == "true";
                }
                if (YAML::Node k = x["kinds"]) {
                    if (!k.IsSequence()) {
                        error("'kinds' of a reference is a list of asset kinds", k);
                    } else {
                        const auto& known = known_asset_kinds();
                        for (const auto& kn : k) {
                            auto kind = kn.as<std::string>();
                            if (std::find(known.begin(), known.end(), kind) == known.end())
                                error("unknown asset kind '" + kind + "'", kn);
                            ref.kinds.push_back(kind);
                        }
                    }
                }
            } else {
                error("a reference is a mapping {id, checks, closest}", x);
                continue;
            }
            if (!std::regex_match(ref.id, ref_re))
                error("reference '" + ref.id +
                          "' is not an IT-Grundschutz Edition 2023 id like ORP.4.A8",
                      x.IsMap() ? x["id"] : x);
            for (const auto& prev : rule.references)
                if (prev.id == ref.id) error("reference '" + ref.id + "' is listed twice", x);
            rule.references.push_back(std::move(ref));
        }
    }

    // gspp: {kernel: [BER.6.4], mindeststandard-tls: [BES.2.1.4.1]}: every Grundschutz++ id
    // is qualified with its catalog, because ids collide between catalogs.
    void read_controls(YAML::Node g, Rule& rule) {
        if (!g) return;
        if (!g.IsMap()) {
            error(
                "'gspp' maps a catalog (kernel, methodik, mindeststandard-tls) to control ids, "
                "e.g. {kernel: [BER.6.4]}: the same id means different things in two catalogs",
                g);
            return;
        }
        for (auto it = g.begin(); it != g.end(); ++it) {
            auto catalog = it->first.as<std::string>();
            if (catalog != "kernel" && catalog != "methodik" && catalog != "mindeststandard-tls") {
                error("unknown Grundschutz++ catalog '" + catalog +
                          "' (kernel, methodik, mindeststandard-tls)",
                      it->first);
                continue;
            }
            YAML::Node ids = it->second;
            if (!ids.IsSequence()) {
                error("'gspp." + catalog + "' must be a list of control ids", ids);
                continue;
            }
            for (const auto& id : ids) {
                if (!id.IsScalar()) {
                    error("control ids are scalars", id);
                    continue;
                }
                rule.gspp.push_back(ControlRef{catalog, id.Scalar()});
            }
        }
    }

    void read_tests(const YAML::Node& tests, Rule& rule, const YAML::Node& r) {
        if (!tests || !tests.IsSequence()) {
            error(
                "rule '" + rule.id + "' needs 'tests' with at least one pass and one fail fixture",
                r);
            return;
        }
        bool has_pass = false, has_fail = false;
        for (const auto& t : tests) {
            check_keys(t, {"name", "kind", "facts", "expect"}, "test");
            RuleTest rt;
            rt.line = line_of(t);
            rt.name = t["name"] ? t["name"].as<std::string>() : "test@" + std::to_string(rt.line);
            if (t["kind"]) {
                rt.kind = t["kind"].as<std::string>();
                const auto& known = known_asset_kinds();
                if (std::find(known.begin(), known.end(), rt.kind) == known.end())
                    error("unknown asset kind '" + rt.kind + "' in test", t["kind"]);
            }
            rt.expect = t["expect"] ? t["expect"].as<std::string>() : "";
            if (rt.expect != "pass" && rt.expect != "fail" && rt.expect != "no_evidence" &&
                rt.expect != "not_applicable" && rt.expect != "error") {
                error("test 'expect' must be pass, fail, no_evidence, not_applicable or error", t);
                continue;
            }
            has_pass |= rt.expect == "pass";
            has_fail |= rt.expect == "fail";
            if (YAML::Node facts = t["facts"]) {
                if (!facts.IsMap()) {
                    error("test 'facts' must be a mapping of fact name to value", facts);
                    continue;
                }
                for (auto it = facts.begin(); it != facts.end(); ++it) {
                    auto name = it->first.as<std::string>();
                    auto v = yaml_to_fact(name, it->second);
                    if (!v) {
                        error(v.error().message, it->first);
                        continue;
                    }
                    rt.facts[name] = std::move(*v);
                }
            }
            rule.tests.push_back(std::move(rt));
        }
        if (!has_pass || !has_fail)
            error("rule '" + rule.id + "' needs at least one 'pass' and one 'fail' test", tests);
    }

  public:
    static Expected<FactValue> yaml_to_fact(const std::string& name, const YAML::Node& n) {
        const FactDecl* decl = find_fact_decl(name);
        if (!decl) return Error{"unknown fact '" + name + "' in test fixture"};
        try {
            switch (decl->type) {
                case FactType::Boolean:
                    return FactValue{n.as<bool>()};
                case FactType::Integer:
                    return FactValue{static_cast<std::int64_t>(n.as<long long>())};
                case FactType::String:
                case FactType::Date:
                case FactType::Version:
                    return FactValue{n.as<std::string>()};
                case FactType::List:
                    return FactValue{n.as<std::vector<std::string>>()};
                case FactType::Map:
                    return FactValue{n.as<std::map<std::string, std::string>>()};
            }
        } catch (const YAML::Exception&) {
        }
        return Error{"fixture value for '" + name + "' is not a " + fact_type_name(decl->type)};
    }

  private:
    RuleSet& set_;
    std::vector<Error>& errors_;
    RulePack pack_;
    std::string file_;
    int context_line_ = 1;
    std::set<std::string> ids_;
};

// Converts a profile value (text or list) to the type of `like`; nullopt if it does not fit.
std::optional<RuleValue> coerce_to(const RuleValue& like, const RuleValue& value) {
    if (like.index() == value.index()) return value;
    const auto* s = std::get_if<std::string>(&value);
    if (!s) return std::nullopt;
    if (std::holds_alternative<bool>(like)) {
        if (*s == "true" || *s == "yes") return RuleValue{true};
        if (*s == "false" || *s == "no") return RuleValue{false};
        return std::nullopt;
    }
    if (std::holds_alternative<std::int64_t>(like)) {
        try {
            std::size_t pos = 0;
            long long i = std::stoll(*s, &pos);
            if (pos == s->size()) return RuleValue{static_cast<std::int64_t>(i)};
        } catch (...) {
        }
        return std::nullopt;
    }
    if (std::holds_alternative<std::vector<std::string>>(like))
        return RuleValue{std::vector<std::string>{*s}};
    return std::nullopt;
}

bool matches_pattern(const std::string& id, const std::string& pattern) {
    if (!pattern.empty() && pattern.back() == '*')
        return id.rfind(pattern.substr(0, pattern.size() - 1), 0) == 0;
    return id == pattern;
}

}  // namespace

namespace {

// Calls `fn(name)` for every "{{name}}" in `text`.
template <class Fn>
void for_each_placeholder(const std::string& text, Fn fn) {
    std::size_t pos = 0;
    while ((pos = text.find("{{", pos)) != std::string::npos) {
        auto end = text.find("}}", pos + 2);
        if (end == std::string::npos) return;
        fn(text.substr(pos + 2, end - pos - 2));
        pos = end + 2;
    }
}

std::string with_parameters(std::string text, const RuleSet& set) {
    for (const auto& [name, par] : set.parameters) {
        std::string key = "{{" + name + "}}";
        std::string value = rule_value_to_string(par.value);
        if (value.size() > 1 && value.front() == '[') value = value.substr(1, value.size() - 2);
        for (auto pos = text.find(key); pos != std::string::npos;
             pos = text.find(key, pos + value.size()))
            text.replace(pos, key.size(), value);
    }
    return text;
}

}  // namespace

std::vector<Error> load_rules(const std::vector<fs::path>& dirs, RuleSet& out) {
    std::vector<Error> errors;
    RuleFileLoader loader(out, errors);
    for (const auto& dir : dirs) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) {
            errors.push_back(Error{"rule directory not found", dir.string()});
            continue;
        }
        // `dir` is a pack, or holds packs as subdirectories.
        if (fs::exists(dir / "pack.yaml")) {
            loader.load_pack(dir);
            continue;
        }
        std::vector<fs::path> packs;
        for (const auto& e : fs::directory_iterator(dir, ec)) {
            if (e.is_directory(ec) && fs::exists(e.path() / "pack.yaml")) packs.push_back(e.path());
        }
        std::sort(packs.begin(), packs.end());
        if (packs.empty())
            errors.push_back(Error{"no rule pack (directory with pack.yaml) found", dir.string()});
        for (const auto& p : packs) loader.load_pack(p);
    }
    for (const auto& r : out.rules) {
        for (const LocalText* t : {&r.title, &r.rationale, &r.remediation}) {
            for (const std::string* text : {&t->de, &t->en}) {
                for_each_placeholder(*text, [&](const std::string& name) {
                    if (!out.parameters.count(name))
                        errors.push_back(Error{
                            "rule " + r.id + ": text names unknown parameter {{" + name + "}}",
                            r.file, r.line});
                });
            }
        }
    }
    return errors;
}

void substitute_parameters(RuleSet& set) {
    for (auto& r : set.rules) {
        for (LocalText* t : {&r.title, &r.rationale, &r.remediation}) {
            t->de = with_parameters(t->de, set);
            t->en = with_parameters(t->en, set);
        }
    }
}

Expected<FactValue> fact_value_from_yaml_text(const std::string& fact, const std::string& yaml) {
    try {
        return RuleFileLoader::yaml_to_fact(fact, YAML::Load(yaml));
    } catch (const YAML::Exception& e) {
        return Error{"invalid YAML: " + e.msg};
    }
}

Expected<Profile> load_profile(const fs::path& file) {
    Profile p;
    p.file = file.string();
    YAML::Node root;
    try {
        root = YAML::LoadFile(file.string());
    } catch (const YAML::BadFile&) {
        return Error{"profile not found", file.string()};
    } catch (const YAML::Exception& e) {
        return Error{"invalid YAML: " + e.msg, file.string(), e.mark.line + 1};
    }
    if (!root.IsMap())
        return Error{"a profile is a mapping (title, select, deselect, parameters, scoring)",
                     file.string(), 1};
    try {
        for (auto it = root.begin(); it != root.end(); ++it) {
            auto key = it->first.as<std::string>();
            if (key == "title") {
                p.title = it->second.as<std::string>();
            } else if (key == "select") {
                p.select = it->second.as<std::vector<std::string>>();
            } else if (key == "deselect") {
                p.deselect = it->second.as<std::vector<std::string>>();
            } else if (key == "parameters") {
                YAML::Node params = it->second;
                if (!params.IsMap())
                    return Error{"'parameters' must be a mapping", file.string(), line_of(params)};
                for (auto pit = params.begin(); pit != params.end(); ++pit) {
                    // Kept as text here; apply_profile converts to the type of the default.
                    YAML::Node v = pit->second;
                    RuleValue rv = v.IsSequence() ? RuleValue{v.as<std::vector<std::string>>()}
                                                  : RuleValue{v.as<std::string>()};
                    p.parameters[pit->first.as<std::string>()] = rv;
                }
            } else if (key == "scoring") {
                YAML::Node scoring = it->second;
                for (auto sit = scoring.begin(); sit != scoring.end(); ++sit) {
                    auto sk = sit->first.as<std::string>();
                    double v = sit->second.as<double>();
                    if (v < 0 || v > 100)
                        return Error{"thresholds are percentages 0..100", file.string(),
                                     line_of(sit->second)};
                    if (sk == "min_coverage")
                        p.min_coverage = v;
                    else if (sk == "green" || sk == "yellow")
                        return Error{"scoring." + sk +
                                         " is no longer used: the Ampel follows the BSI levels "
                                         "(red: a Basis requirement failed; yellow: a Standard "
                                         "one; green: both met; docs/scoring.md). Remove it.",
                                     file.string(), line_of(sit->first)};
                    else
                        return Error{"unknown key '" + sk + "' in scoring (min_coverage)",
                                     file.string(), line_of(sit->first)};
                }
            } else {
                return Error{"unknown key '" + key +
                                 "' (allowed: title, select, deselect, parameters, scoring)",
                             file.string(), line_of(it->first)};
            }
        }
    } catch (const std::exception& e) {
        return Error{std::string("invalid profile: ") + e.what(), file.string()};
    }
    return p;
}

// Parameters a former pack version had, with what replaced them: a profile still setting one
// gets this explanation instead of a bare "unknown parameter".
static const char* retired_parameter_hint(const std::string& name) {
    if (name == "password_min_length")
        return "was replaced by the BSI password tiers password_min_length_tier1 (default 20) and "
               "password_min_length_tier2 (default 12, with MFA and lockout); see "
               "docs/passwords.md";
    if (name == "password_max_age_min_days")
        return "was removed: any periodic password expiry is now a low-severity finding "
               "(Grundschutz++ BER.6.5); where ORP.4.A23's exception applies, record it as a "
               "waiver for GS-ORP4-PW-NO-SHORT-EXPIRY; see docs/passwords.md";
    return nullptr;
}

std::vector<Error> apply_profile(const Profile& profile, RuleSet& set) {
    std::vector<Error> errors;
    for (const auto& pat : profile.select) {
        if (std::none_of(set.rules.begin(), set.rules.end(),
                         [&](const Rule& r) { return matches_pattern(r.id, pat); }))
            errors.push_back(Error{"select: no rule matches '" + pat + "'", profile.file});
    }
    for (const auto& pat : profile.deselect) {
        if (std::none_of(set.rules.begin(), set.rules.end(),
                         [&](const Rule& r) { return matches_pattern(r.id, pat); }))
            errors.push_back(Error{"deselect: no rule matches '" + pat + "'", profile.file});
    }
    std::erase_if(set.rules, [&](const Rule& r) {
        bool selected = profile.select.empty() ||
                        std::any_of(profile.select.begin(), profile.select.end(),
                                    [&](const std::string& p) { return matches_pattern(r.id, p); });
        bool deselected =
            std::any_of(profile.deselect.begin(), profile.deselect.end(),
                        [&](const std::string& p) { return matches_pattern(r.id, p); });
        return !selected || deselected;
    });
    for (const auto& [name, value] : profile.parameters) {
        auto it = set.parameters.find(name);
        if (it == set.parameters.end()) {
            const char* hint = retired_parameter_hint(name);
            errors.push_back(Error{"unknown parameter '" + name + "'" +
                                       (hint ? std::string(": it ") + hint : std::string()),
                                   profile.file});
            continue;
        }
        auto coerced = coerce_to(it->second.value, value);
        if (!coerced) {
            errors.push_back(Error{"parameter '" + name + "' must have the type of its default (" +
                                       rule_value_to_string(it->second.value) + ")",
                                   profile.file});
            continue;
        }
        it->second.value = *coerced;
    }
    return errors;
}

}  // namespace grundscan
