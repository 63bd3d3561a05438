// Verdicts must not depend on the order in which an asset's exports are listed (issue 9,
// point 3): every asset of the example Landkreis is scanned with its sources in several
// orders, and every result (state, message, evidence with provenance) must be the same.
#include <algorithm>
#include <numeric>
#include <sstream>

#include <gtest/gtest.h>

#include "rules/loader.hpp"
#include "scanner/cli/scan_command.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

std::string describe(const AssetResult& r) {
    std::string out;
    for (const auto& x : r.results) {
        out += x.rule_id + " " + state_name(x.state) + " " + x.message + "\n";
        for (const auto& e : x.evidence)
            out += "  " + e.fact + "=" + e.value + " @" + e.provenance.source + ":" +
                   std::to_string(e.provenance.line) + " " + e.provenance.excerpt + "\n";
    }
    return out;
}

// The first line in which `a` and `b` differ, both versions.
std::string first_difference(const std::string& a, const std::string& b) {
    std::istringstream sa(a), sb(b);
    std::string la, lb;
    while (true) {
        bool ga = static_cast<bool>(std::getline(sa, la));
        bool gb = static_cast<bool>(std::getline(sb, lb));
        if (!ga && !gb) return "nothing";
        if (la != lb || ga != gb) return "\n  before: " + la + "\n  after:  " + lb;
    }
}

// Up to `limit` orders of 0..n-1: identity, reversed, every rotation, then lexicographic
// permutations (all of them for small n).
std::vector<std::vector<std::size_t>> orders(std::size_t n, std::size_t limit) {
    std::vector<std::vector<std::size_t>> out;
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), 0);
    auto push = [&](const std::vector<std::size_t>& o) {
        if (out.size() < limit && std::find(out.begin(), out.end(), o) == out.end())
            out.push_back(o);
    };
    push(idx);
    push({idx.rbegin(), idx.rend()});
    for (std::size_t r = 1; r < n; ++r) {
        auto rot = idx;
        std::rotate(rot.begin(), rot.begin() + static_cast<std::ptrdiff_t>(r), rot.end());
        push(rot);
    }
    auto perm = idx;
    while (out.size() < limit && std::next_permutation(perm.begin(), perm.end())) push(perm);
    return out;
}

struct Example {
    Inventory inventory;
    RuleSet rules;
    Feeds feeds;
};

const Example& example() {
    static const Example ex = [] {
        Example e;
        auto inv = load_inventory(testing::source_dir() / "examples/landkreis/inventory.yaml");
        EXPECT_TRUE(inv) << inv.error().describe();
        if (inv) e.inventory = std::move(*inv);
        auto errors = load_rules({testing::source_dir() / "rules/packs"}, e.rules);
        EXPECT_TRUE(errors.empty()) << errors.front().describe();
        substitute_parameters(e.rules);
        auto feeds_dir = testing::source_dir() / "feeds";
        e.feeds.eol = load_eol_feed(feeds_dir / "endoflife");
        if (auto t = load_debian_tracker(feeds_dir / "debian/security-tracker.json"))
            e.feeds.tracker = std::move(*t);
        if (auto k = load_kev(feeds_dir / "kev/known_exploited_vulnerabilities.json"))
            e.feeds.kev = std::move(*k);
        e.feeds.windows_builds = load_windows_builds(feeds_dir / "windows");
        return e;
    }();
    return ex;
}

const Asset* example_asset(const std::string& id) {
    for (const auto& m : example().inventory.municipalities)
        for (const auto& a : m.assets)
            if (a.id == id) return &a;
    return nullptr;
}

const RuleResult* result_of(const AssetResult& r, const std::string& rule) {
    for (const auto& x : r.results)
        if (x.rule_id == rule) return &x;
    return nullptr;
}

// Issue 9, point 4: the recorded portal certificate (notAfter 2027-01-02, recorded on 2026-12-03
// with 30 days left) is judged against the scan's Stichtag, not the day of the recording.
TEST(ScanAsset, RecordedCertificateIsJudgedAtTheStichtag) {
    const Asset* portal = example_asset("gt-portal");
    ASSERT_NE(portal, nullptr);
    auto scan_at = [&](Date as_of) {
        ScanOptions o;
        o.as_of = as_of;
        std::vector<RoadmapEntry> roadmap;
        return scan_asset(*portal, nullptr, example().rules, example().feeds, o, 180, roadmap);
    };
    auto before = scan_at(Date{2026, 12, 3});
    const RuleResult* r = result_of(before, "OZG-CERT-NOT-EXPIRED");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->state, ResultState::Pass) << r->message;
    EXPECT_NE(r->message.find("30"), std::string::npos) << r->message;

    auto after = scan_at(Date{2027, 1, 10});
    r = result_of(after, "OZG-CERT-NOT-EXPIRED");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->state, ResultState::Fail) << r->message;
    EXPECT_NE(r->message.find("-8"), std::string::npos) << r->message;
    ASSERT_FALSE(r->evidence.empty());
    EXPECT_NE(r->evidence.front().provenance.excerpt.find("Stichtag 2027-01-10"),
              std::string::npos);
}

// Evidence age reaches what is derived from the exports too: the Bauhof PC was exported three
// months before the Stichtag, so nothing on it may be "erfüllt", also not the support phase or
// software end of life that enrichments derive from its exports.
TEST(ScanAsset, StaleExportPassesNothingAlsoNotDerivedFacts) {
    const Asset* pc = example_asset("ml-bauhof-pc");
    ASSERT_NE(pc, nullptr);
    ScanOptions o;
    o.as_of = Date{2026, 11, 23};
    std::vector<RoadmapEntry> roadmap;
    auto r = scan_asset(*pc, nullptr, example().rules, example().feeds, o, 180, roadmap);
    std::size_t stale = 0;
    for (const auto& x : r.results) {
        EXPECT_NE(x.state, ResultState::Pass) << x.rule_id << ": " << x.message;
        if (x.message.find("Nachweis veraltet") != std::string::npos) ++stale;
    }
    EXPECT_GT(stale, 0u);
}

TEST(ScanAsset, ExampleVerdictsDoNotDependOnSourceOrder) {
    const auto& ex = example();
    const Inventory* inv = &ex.inventory;
    const RuleSet& rules = ex.rules;
    const Feeds& feeds = ex.feeds;
    ScanOptions o;
    o.as_of = Date{2026, 11, 23};
    o.lang = Lang::De;

    std::size_t checked = 0, multi = 0;
    for (const auto& m : inv->municipalities) {
        for (const auto& asset : m.assets) {
            std::vector<RoadmapEntry> roadmap;
            std::string expected =
                describe(scan_asset(asset, nullptr, rules, feeds, o, 180, roadmap));
            if (asset.sources.size() > 1) ++multi;
            for (const auto& order : orders(asset.sources.size(), 24)) {
                Asset permuted = asset;
                permuted.sources.clear();
                for (auto i : order) permuted.sources.push_back(asset.sources[i]);
                std::string got =
                    describe(scan_asset(permuted, nullptr, rules, feeds, o, 180, roadmap));
                if (expected != got) {
                    ADD_FAILURE() << asset.id << ": another order of its sources changes "
                                  << first_difference(expected, got);
                    break;
                }
                ++checked;
            }
        }
    }
    EXPECT_GT(multi, 10u) << "the example should have many assets with several exports";
    EXPECT_GT(checked, 50u);
}

}  // namespace
}  // namespace grundscan
