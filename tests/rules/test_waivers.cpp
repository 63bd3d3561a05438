#include "rules/waivers.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <random>

#include "rules/loader.hpp"
#include "rules/scoring.hpp"

using namespace grundscan;
namespace fs = std::filesystem;

namespace {

Rule make_rule(const std::string& id, Severity sev, double weight) {
    Rule r;
    r.id = id;
    r.severity = sev;
    r.weight = weight;
    r.module = id.substr(3, 6);
    return r;
}

RuleSet test_rules() {
    RuleSet set;
    set.rules.push_back(make_rule("GS-OPS113-OS-SUPPORTED", Severity::Critical, 10));
    set.rules.push_back(make_rule("GS-OPS113-WIN-UPDATE-RECENT", Severity::High, 6));
    set.rules.push_back(make_rule("GS-ORP4-PW-MINLEN", Severity::High, 6));
    set.rules.push_back(make_rule("GS-ORP4-PW-HISTORY", Severity::Medium, 3));
    set.rules.push_back(make_rule("GS-SYS13-SSH-ROOT-LOGIN", Severity::High, 6));
    return set;
}

Inventory test_inventory() {
    Inventory inv;
    inv.org_id = "kit-test";
    Municipality lra;
    lra.id = "landratsamt";
    for (const char* a : {"lra-zeit01", "lra-dc01"}) {
        Asset asset;
        asset.id = a;
        lra.assets.push_back(asset);
    }
    Municipality ml;
    ml.id = "markt-lindenau";
    Asset pc;
    pc.id = "ml-bauhof-pc";
    ml.assets.push_back(pc);
    inv.municipalities = {lra, ml};
    return inv;
}

class Waivers : public ::testing::Test {
  protected:
    void SetUp() override {
        static std::atomic<int> counter{0};
        dir_ = fs::temp_directory_path() /
               ("grundscan-waivers-" + std::to_string(std::random_device{}()) + "-" +
                std::to_string(counter++));
        fs::create_directories(dir_);
        for (const auto& r : rules_.rules) scan_.rules.push_back(&r);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    fs::path write(const std::string& content, const std::string& name = "waivers.yaml") {
        auto p = dir_ / name;
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }

    std::vector<Error> load(const std::string& content) {
        waivers_.clear();
        return load_waivers(write(content), rules_, inventory_, waivers_);
    }

    // Expects exactly one error, containing `what`, at `line`.
    void expect_error(const std::string& content, const std::string& what, int line) {
        auto errors = load(content);
        ASSERT_EQ(errors.size(), 1u)
            << content << "\nfirst: " << (errors.empty() ? "" : errors[0].describe());
        EXPECT_NE(errors[0].message.find(what), std::string::npos) << errors[0].describe();
        EXPECT_EQ(errors[0].line, line) << errors[0].describe();
        EXPECT_EQ(errors[0].file, (dir_ / "waivers.yaml").string());
        EXPECT_TRUE(waivers_.empty());
    }

    // Scan with: landratsamt/lra-zeit01 (OS fail, update pass, PW no_evidence),
    // landratsamt/lra-dc01 (PW-MINLEN fail, PW-HISTORY error, SSH n/a),
    // markt-lindenau/ml-bauhof-pc (OS fail, PW-MINLEN fail, PW-HISTORY pass).
    void make_scan() {
        scan_.municipalities.clear();
        scan_.waiver_warnings.clear();
        scan_.complete = true;
        auto res = [](const char* rule, ResultState s) {
            return RuleResult{rule, s, std::string("msg ") + rule, {}, std::nullopt};
        };
        MunicipalityResult lra;
        lra.id = "landratsamt";
        AssetResult zeit;
        zeit.id = "lra-zeit01";
        zeit.results = {res("GS-OPS113-OS-SUPPORTED", ResultState::Fail),
                        res("GS-OPS113-WIN-UPDATE-RECENT", ResultState::Pass),
                        res("GS-ORP4-PW-MINLEN", ResultState::NoEvidence)};
        AssetResult dc;
        dc.id = "lra-dc01";
        dc.results = {res("GS-ORP4-PW-MINLEN", ResultState::Fail),
                      res("GS-ORP4-PW-HISTORY", ResultState::Error),
                      res("GS-SYS13-SSH-ROOT-LOGIN", ResultState::NotApplicable),
                      res("GS-OPS113-OS-SUPPORTED", ResultState::Pass)};
        lra.assets = {zeit, dc};
        MunicipalityResult ml;
        ml.id = "markt-lindenau";
        AssetResult pc;
        pc.id = "ml-bauhof-pc";
        pc.results = {res("GS-OPS113-OS-SUPPORTED", ResultState::Fail),
                      res("GS-ORP4-PW-MINLEN", ResultState::Fail),
                      res("GS-ORP4-PW-HISTORY", ResultState::Pass)};
        ml.assets = {pc};
        scan_.municipalities = {lra, ml};
    }

    const RuleResult& result(const std::string& asset, const std::string& rule) const {
        for (const auto& m : scan_.municipalities)
            for (const auto& a : m.assets)
                for (const auto& r : a.results)
                    if (a.id == asset && r.rule_id == rule) return r;
        throw std::runtime_error("no result " + asset + "/" + rule);
    }

    // Loads `yaml` (must be valid), builds the scan and applies the waivers on `as_of`.
    void apply(const std::string& yaml, const std::string& as_of = "2026-11-23") {
        auto errors = load(yaml);
        ASSERT_TRUE(errors.empty()) << errors[0].describe();
        make_scan();
        apply_waivers(scan_, waivers_, *parse_iso_date(as_of));
    }

    fs::path dir_;
    RuleSet rules_ = test_rules();
    Inventory inventory_ = test_inventory();
    std::vector<Waiver> waivers_;
    ScanResult scan_;
};

const char* kValid = R"(# accepted risks
waivers:
  - id: W-2026-001
    rule: GS-OPS113-OS-SUPPORTED
    scope: asset
    target: lra-zeit01
    justification: "Zeiterfassung läuft nur bis zur Ablösung im Q1/2027 in einem abgeschotteten Netz"
    approver: "Landrat / ISB Müller"
    decided_on: 2026-10-20
    expires: 2027-03-31
    ticket: "OTRS#4711"
  - rule: GS-ORP4-*
    scope: municipality
    target: markt-lindenau
    justification: Umstellung auf die Domäne des Verbunds
    approver: Bürgermeisterin
    decided_on: 2026-09-01
    expires: 2026-12-31
  - rule: GS-SYS13-SSH-ROOT-LOGIN
    scope: organisation
    justification: x
    approver: y
    decided_on: 2026-01-01
    expires: 2026-01-01
)";

// A waiver entry with everything but the lines in `extra`; `skip` leaves one key out.
std::string entry(const std::string& extra = "", const std::string& skip = "") {
    std::string out = "waivers:\n  - id: W-1\n";
    const std::vector<std::pair<std::string, std::string>> keys = {
        {"rule", "GS-OPS113-OS-SUPPORTED"},
        {"scope", "asset"},
        {"target", "lra-zeit01"},
        {"justification", "abgeschottetes Netz"},
        {"approver", "ISB"},
        {"decided_on", "2026-10-20"},
        {"expires", "2027-03-31"}};
    for (const auto& [k, v] : keys)
        if (k != skip) out += "    " + k + ": " + v + "\n";
    return out + extra;
}

}  // namespace

TEST_F(Waivers, ValidFileLoadsEveryField) {
    auto errors = load(kValid);
    ASSERT_TRUE(errors.empty()) << errors[0].describe();
    ASSERT_EQ(waivers_.size(), 3u);
    const auto& w = waivers_[0];
    EXPECT_EQ(w.id, "W-2026-001");
    EXPECT_EQ(w.rule, "GS-OPS113-OS-SUPPORTED");
    EXPECT_EQ(w.scope, "asset");
    EXPECT_EQ(w.scope_id, "lra-zeit01");
    EXPECT_EQ(w.justification,
              "Zeiterfassung läuft nur bis zur Ablösung im Q1/2027 in einem abgeschotteten Netz");
    EXPECT_EQ(w.approver, "Landrat / ISB Müller");
    EXPECT_EQ(w.decided_on.iso(), "2026-10-20");
    EXPECT_EQ(w.expires.iso(), "2027-03-31");
    EXPECT_EQ(w.ticket, "OTRS#4711");
    EXPECT_EQ(w.line, 3);
    // Without an id the waiver is named by file and line.
    EXPECT_EQ(waivers_[1].id, (dir_ / "waivers.yaml").string() + ":12");
    EXPECT_EQ(waivers_[1].scope_id, "markt-lindenau");
    EXPECT_EQ(waivers_[1].ticket, "");
    EXPECT_EQ(waivers_[2].scope, "organisation");
    EXPECT_EQ(waivers_[2].scope_id, "");
}

TEST_F(Waivers, EmptyListIsValid) {
    EXPECT_TRUE(load("waivers: []\n").empty());
    EXPECT_TRUE(load("# nothing accepted yet\nwaivers:\n").empty());
    EXPECT_TRUE(waivers_.empty());
}

TEST_F(Waivers, UnknownKeys) {
    expect_error(entry("    comment: später\n"), "unknown key 'comment'", 10);
    expect_error("waivers: []\nversion: 1\n", "unknown key 'version'", 2);
    expect_error(entry("    rule: GS-ORP4-PW-MINLEN\n"), "'rule' is given twice", 10);
}

TEST_F(Waivers, MissingRequiredKeysAreReportedAtTheEntry) {
    for (const char* key :
         {"rule", "scope", "justification", "approver", "decided_on", "expires"}) {
        SCOPED_TRACE(key);
        expect_error(entry("", key), std::string("missing '") + key + "'", 2);
    }
    expect_error(entry("", "target"), "needs a 'target'", 4);
    expect_error(entry("    justification: \"  \"\n", "justification"),
                 "'justification' must not be empty", 9);
    expect_error(
        "waivers:\n  - rule: [GS-OPS113-OS-SUPPORTED]\n    scope: organisation\n"
        "    justification: j\n    approver: a\n    decided_on: 2026-01-01\n"
        "    expires: 2026-02-01\n",
        "'rule' must be a single value", 2);
}

TEST_F(Waivers, UnknownRulesAndPrefixes) {
    expect_error(entry("    rule: GS-OPS113-OS-SUPORTED\n", "rule"),
                 "unknown rule 'GS-OPS113-OS-SUPORTED'", 9);
    expect_error(entry("    rule: GS-OPS999-*\n", "rule"), "rule prefix 'GS-OPS999-*' matches no",
                 9);
    expect_error(entry("    rule: \"*\"\n", "rule"), "bare '*'", 9);
    expect_error(entry("    rule: GS-*-OS\n", "rule"), "prefix ending in '*'", 9);
}

TEST_F(Waivers, ScopesAndTargets) {
    expect_error(entry("    target: lra-zeit99\n", "target"), "unknown asset id 'lra-zeit99'", 9);
    // A municipality id is not an asset id and vice versa.
    expect_error(entry("    target: landratsamt\n", "target"), "unknown asset id 'landratsamt'", 9);
    std::string mun = entry("    scope: municipality\n", "scope");
    expect_error(mun, "unknown municipality id 'lra-zeit01'", 4);
    expect_error(entry("    scope: organisation\n", "scope"), "'target' is not used", 4);
    expect_error(entry("    scope: gemeinde\n", "scope"), "unknown scope 'gemeinde'", 9);
}

TEST_F(Waivers, BadDates) {
    expect_error(entry("    expires: 31.03.2027\n", "expires"), "'expires' is not a date", 9);
    expect_error(entry("    decided_on: 2026-02-30\n", "decided_on"), "'decided_on' is not a date",
                 9);
    expect_error(entry("    expires: 2027-03-31T12:00\n", "expires"), "'expires' is not a date", 9);
    expect_error(entry("    expires: 2026-10-19\n", "expires"),
                 "'expires' (2026-10-19) is before 'decided_on' (2026-10-20)", 9);
    // Same day is allowed.
    EXPECT_TRUE(load(entry("    expires: 2026-10-20\n", "expires")).empty());
}

TEST_F(Waivers, DuplicateIds) {
    std::string two = entry();
    two += two.substr(std::string("waivers:\n").size());  // the same entry again, lines 10-17
    expect_error(two, "duplicate waiver id 'W-1' (first used in line 2)", 10);
}

TEST_F(Waivers, MalformedYamlGivesTheLine) {
    auto errors = load(entry("    ticket: [unclosed\n"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("invalid YAML"), std::string::npos);
    EXPECT_GE(errors[0].line, 10);
    expect_error("waivers:\n  - rule: x\n   scope: asset\n", "invalid YAML", 3);
    expect_error("- a\n- b\n", "holds a 'waivers:' list", 1);
    expect_error("waivers: {rule: x}\n", "must be a list", 1);
    expect_error("waivers:\n  - just a string\n", "a waiver is a mapping", 2);
}

TEST_F(Waivers, NonUtf8FileIsRejectedWithTheLine) {
    std::string latin1 = entry();
    latin1.replace(latin1.find("abgeschottetes"), 1, "\xE4");  // ISO-8859-1 'ä' in line 6
    expect_error(latin1, "not valid UTF-8", 6);
    // A UTF-8 byte order mark is fine.
    EXPECT_TRUE(load("\xEF\xBB\xBF" + entry()).empty());
}

TEST_F(Waivers, MissingFile) {
    std::vector<Waiver> out;
    auto errors = load_waivers(dir_ / "nope.yaml", rules_, inventory_, out);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].describe().find("nope.yaml"), std::string::npos);
}

TEST_F(Waivers, AllProblemsAreCollected) {
    auto errors = load(R"(waivers:
  - id: W-1
    rule: GS-NOPE
    scope: asset
    target: nowhere
    justification: j
    approver: a
    decided_on: 2026-13-01
    expires: 2026-01-01
    colour: red
  - id: W-1
    scope: organisation
    justification: j
    approver: a
    decided_on: 2026-05-01
    expires: 2026-04-01
)");
    std::vector<std::pair<int, std::string>> got;
    for (const auto& e : errors) got.emplace_back(e.line, e.message);
    std::sort(got.begin(), got.end());
    ASSERT_EQ(got.size(), 7u);
    EXPECT_EQ(got[0].first, 3);   // unknown rule
    EXPECT_EQ(got[1].first, 5);   // unknown asset
    EXPECT_EQ(got[2].first, 8);   // bad decided_on
    EXPECT_EQ(got[3].first, 10);  // unknown key
    EXPECT_EQ(got[4].first, 11);  // duplicate id
    EXPECT_NE(got[4].second.find("duplicate"), std::string::npos);
    EXPECT_EQ(got[5].first, 11);  // missing rule (at the entry)
    EXPECT_NE(got[5].second.find("missing 'rule'"), std::string::npos);
    EXPECT_EQ(got[6].first, 16);  // expires before decided_on
    EXPECT_TRUE(waivers_.empty());
}

TEST_F(Waivers, FailBecomesWaivedWithReference) {
    apply(kValid);
    const auto& r = result("lra-zeit01", "GS-OPS113-OS-SUPPORTED");
    EXPECT_EQ(r.state, ResultState::Waived);
    EXPECT_EQ(r.message, "msg GS-OPS113-OS-SUPPORTED");
    ASSERT_TRUE(r.waiver);
    EXPECT_EQ(r.waiver->id, "W-2026-001");
    EXPECT_EQ(r.waiver->justification,
              "Zeiterfassung läuft nur bis zur Ablösung im Q1/2027 in einem abgeschotteten Netz");
    EXPECT_EQ(r.waiver->approver, "Landrat / ISB Müller");
    EXPECT_EQ(r.waiver->decided_on, "2026-10-20");
    EXPECT_EQ(r.waiver->expires, "2027-03-31");
    EXPECT_EQ(r.waiver->ticket, "OTRS#4711");
    // The same rule on another asset is not covered by an asset waiver.
    EXPECT_EQ(result("ml-bauhof-pc", "GS-OPS113-OS-SUPPORTED").state, ResultState::Fail);
}

TEST_F(Waivers, ExpiredWaiverDoesNotApplyAndWarns) {
    apply(kValid, "2027-04-01");
    EXPECT_EQ(result("lra-zeit01", "GS-OPS113-OS-SUPPORTED").state, ResultState::Fail);
    EXPECT_FALSE(result("lra-zeit01", "GS-OPS113-OS-SUPPORTED").waiver);
    std::vector<std::string> want = {
        "Waiver W-2026-001 (rule GS-OPS113-OS-SUPPORTED, scope asset lra-zeit01) expired on "
        "2027-03-31 — the finding counts again",
        "Waiver " + waivers_[1].id +
            " (rule GS-ORP4-*, scope municipality markt-lindenau) expired on 2026-12-31 — the "
            "finding counts again",
        "Waiver " + waivers_[2].id +
            " (rule GS-SYS13-SSH-ROOT-LOGIN, scope organisation) expired on 2026-01-01 — the "
            "finding counts again"};
    EXPECT_EQ(scan_.waiver_warnings, want);
}

TEST_F(Waivers, ExpiryDayItselfIsStillCovered) {
    apply(entry(), "2027-03-31");
    EXPECT_EQ(result("lra-zeit01", "GS-OPS113-OS-SUPPORTED").state, ResultState::Waived);
    EXPECT_TRUE(scan_.waiver_warnings.empty());
}

TEST_F(Waivers, WaiverMatchingNothingWarns) {
    // kValid on 2026-11-23: W-2026-001 and the ORP4 prefix apply; the SSH one has expired.
    apply(kValid);
    ASSERT_EQ(scan_.waiver_warnings.size(), 1u);
    EXPECT_NE(scan_.waiver_warnings[0].find("expired on 2026-01-01"), std::string::npos);

    apply(entry("    ticket: T-1\n", "target") + "    target: lra-dc01\n");  // dc01 passes
    EXPECT_EQ(scan_.waiver_warnings,
              std::vector<std::string>{"Waiver W-1 matches no failed result (already fixed?)"});
}

TEST_F(Waivers, PrefixMatchesEveryRuleWithIt) {
    apply(kValid);
    for (const char* rule : {"GS-ORP4-PW-MINLEN"}) {  // the failed one of the two ORP4 rules
        const auto& r = result("ml-bauhof-pc", rule);
        EXPECT_EQ(r.state, ResultState::Waived);
        ASSERT_TRUE(r.waiver);
        EXPECT_EQ(r.waiver->id, waivers_[1].id);
        EXPECT_EQ(r.waiver->ticket, "");
    }
    EXPECT_EQ(result("ml-bauhof-pc", "GS-ORP4-PW-HISTORY").state, ResultState::Pass);
    EXPECT_EQ(result("ml-bauhof-pc", "GS-OPS113-OS-SUPPORTED").state, ResultState::Fail);
    // Municipality scope: the same rule failing in the Landratsamt stays a fail.
    EXPECT_EQ(result("lra-dc01", "GS-ORP4-PW-MINLEN").state, ResultState::Fail);
}

TEST_F(Waivers, Scopes) {
    const std::string org = R"(waivers:
  - id: ORG
    rule: GS-OPS113-OS-SUPPORTED
    scope: organisation
    justification: j
    approver: a
    decided_on: 2026-01-01
    expires: 2027-01-01
)";
    apply(org);
    EXPECT_EQ(result("lra-zeit01", "GS-OPS113-OS-SUPPORTED").state, ResultState::Waived);
    EXPECT_EQ(result("ml-bauhof-pc", "GS-OPS113-OS-SUPPORTED").state, ResultState::Waived);
    EXPECT_EQ(result("lra-dc01", "GS-OPS113-OS-SUPPORTED").state, ResultState::Pass);
    EXPECT_TRUE(scan_.waiver_warnings.empty());

    std::string mun = org;
    mun.replace(mun.find("scope: organisation"), 19,
                "scope: municipality\n    target: landratsamt");
    apply(mun);
    EXPECT_EQ(result("lra-zeit01", "GS-OPS113-OS-SUPPORTED").state, ResultState::Waived);
    EXPECT_EQ(result("ml-bauhof-pc", "GS-OPS113-OS-SUPPORTED").state, ResultState::Fail);

    std::string asset = org;
    asset.replace(asset.find("scope: organisation"), 19, "scope: asset\n    target: ml-bauhof-pc");
    apply(asset);
    EXPECT_EQ(result("lra-zeit01", "GS-OPS113-OS-SUPPORTED").state, ResultState::Fail);
    EXPECT_EQ(result("ml-bauhof-pc", "GS-OPS113-OS-SUPPORTED").state, ResultState::Waived);
}

TEST_F(Waivers, MostSpecificWaiverIsReferenced) {
    apply(R"(waivers:
  - id: ORG
    rule: GS-*
    scope: organisation
    justification: j
    approver: a
    decided_on: 2026-01-01
    expires: 2027-01-01
  - id: ASSET
    rule: GS-OPS113-OS-SUPPORTED
    scope: asset
    target: lra-zeit01
    justification: j
    approver: a
    decided_on: 2026-01-01
    expires: 2027-01-01
)");
    EXPECT_EQ(result("lra-zeit01", "GS-OPS113-OS-SUPPORTED").waiver->id, "ASSET");
    EXPECT_EQ(result("ml-bauhof-pc", "GS-OPS113-OS-SUPPORTED").waiver->id, "ORG");
    EXPECT_TRUE(scan_.waiver_warnings.empty());  // both matched a failed result
}

TEST_F(Waivers, OnlyFailsAreWaived) {
    apply(R"(waivers:
  - id: ALL
    rule: GS-*
    scope: asset
    target: lra-dc01
    justification: j
    approver: a
    decided_on: 2026-01-01
    expires: 2027-01-01
  - id: NOEV
    rule: GS-ORP4-PW-MINLEN
    scope: asset
    target: lra-zeit01
    justification: j
    approver: a
    decided_on: 2026-01-01
    expires: 2027-01-01
)");
    EXPECT_EQ(result("lra-dc01", "GS-ORP4-PW-MINLEN").state, ResultState::Waived);
    EXPECT_EQ(result("lra-dc01", "GS-ORP4-PW-HISTORY").state, ResultState::Error);
    EXPECT_EQ(result("lra-dc01", "GS-SYS13-SSH-ROOT-LOGIN").state, ResultState::NotApplicable);
    EXPECT_EQ(result("lra-dc01", "GS-OPS113-OS-SUPPORTED").state, ResultState::Pass);
    EXPECT_FALSE(result("lra-dc01", "GS-ORP4-PW-HISTORY").waiver);
    EXPECT_FALSE(result("lra-dc01", "GS-OPS113-OS-SUPPORTED").waiver);
    // no_evidence is never waived; the waiver therefore matched nothing.
    EXPECT_EQ(result("lra-zeit01", "GS-ORP4-PW-MINLEN").state, ResultState::NoEvidence);
    EXPECT_FALSE(result("lra-zeit01", "GS-ORP4-PW-MINLEN").waiver);
    EXPECT_EQ(scan_.waiver_warnings,
              std::vector<std::string>{"Waiver NOEV matches no failed result (already fixed?)"});
}

TEST_F(Waivers, InterruptedScanDoesNotGuessUnmatched) {
    auto errors = load(entry("", "target") + "    target: lra-dc01\n");
    ASSERT_TRUE(errors.empty());
    make_scan();
    scan_.complete = false;
    apply_waivers(scan_, waivers_, *parse_iso_date("2026-11-23"));
    EXPECT_TRUE(scan_.waiver_warnings.empty());
}

TEST_F(Waivers, ScoreWithoutWaiversIsNeverHigher) {
    for (auto model : {ScoreModel::Weighted, ScoreModel::FlatUnweighted}) {
        SCOPED_TRACE(score_model_name(model));
        ScoringConfig config;
        config.model = model;
        apply(kValid);
        score_scan(scan_, config);
        ASSERT_TRUE(scan_.score.value && scan_.score.value_without_waivers);
        EXPECT_EQ(scan_.score.tally.waived, 2);
        EXPECT_GT(*scan_.score.value, *scan_.score.value_without_waivers);
        for (const auto& m : scan_.municipalities) {
            ASSERT_TRUE(m.score.value && m.score.value_without_waivers);
            EXPECT_GE(*m.score.value, *m.score.value_without_waivers);
        }
        // Without waivers both numbers agree.
        make_scan();
        score_scan(scan_, config);
        EXPECT_DOUBLE_EQ(*scan_.score.value, *scan_.score.value_without_waivers);
    }
}

TEST_F(Waivers, ExampleFileIsValidForTheExampleLandkreis) {
    fs::path src = GRUNDSCAN_SOURCE_DIR;
    auto inv = load_inventory(src / "examples/landkreis/inventory.yaml");
    ASSERT_TRUE(inv) << inv.error().describe();
    RuleSet rules;
    auto rule_errors =
        load_rules({src / "rules/packs/grundschutz", src / "rules/packs/ozg-web"}, rules);
    ASSERT_TRUE(rule_errors.empty()) << rule_errors[0].describe();
    std::vector<Waiver> out;
    auto errors = load_waivers(src / "examples/landkreis/waivers.yaml", rules, *inv, out);
    ASSERT_TRUE(errors.empty()) << errors[0].describe();
    ASSERT_GE(out.size(), 2u);
    auto as_of = *parse_iso_date("2026-11-23");
    EXPECT_TRUE(std::any_of(out.begin(), out.end(), [&](const Waiver& w) {
        return w.expires < as_of;
    })) << "the example shows an expired waiver";
    EXPECT_TRUE(
        std::any_of(out.begin(), out.end(), [&](const Waiver& w) { return w.expires >= as_of; }));
}
