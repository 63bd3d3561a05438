#include "scanner/enrich/eol_feed.hpp"

#include <gtest/gtest.h>

#include "tests/test_support.hpp"

using namespace grundscan;

namespace {

const EolFeed& shipped_feed() {
    static const EolFeed feed =
        load_eol_feed(grundscan::testing::source_dir() / "feeds" / "endoflife");
    return feed;
}

FactSet os(std::string id, std::string version, std::string release = "", std::int64_t build = 0,
           std::string edition = "") {
    FactSet f;
    f.add(Fact{"os.id", id, {}, 0});
    if (!version.empty()) f.add(Fact{"os.version", version, {}, 0});
    if (!release.empty()) f.add(Fact{"os.release", release, {}, 0});
    if (build) f.add(Fact{"os.build", build, {}, 0});
    if (!edition.empty()) f.add(Fact{"os.edition", edition, {}, 0});
    return f;
}

template <class T>
T get(const FactSet& f, const std::string& name) {
    const Fact* fact = f.find(name);
    EXPECT_NE(fact, nullptr) << name;
    return fact ? std::get<T>(fact->value) : T{};
}

}  // namespace

TEST(EolFeed, ShippedFeedLoadsEveryProductWithoutWarnings) {
    const auto& feed = shipped_feed();
    EXPECT_TRUE(feed.warnings.empty()) << feed.warnings[0];
    for (const char* p :
         {"windows", "windows-server", "debian", "ubuntu", "rhel", "sles", "nginx", "php"}) {
        EXPECT_NE(feed.find(p), nullptr) << p;
    }
    // debian.md starts with an `auto:` block whose keys are column names, not releases.
    const auto* debian = feed.find("debian");
    ASSERT_NE(debian, nullptr);
    EXPECT_EQ(debian->find("Version"), nullptr);
    const auto* bookworm = debian->find("12");
    ASSERT_NE(bookworm, nullptr);
    EXPECT_EQ(bookworm->eol->iso(), "2026-07-11");
    EXPECT_EQ(bookworm->extended->iso(), "2028-06-30");
    // eol: false means no end announced.
    const auto* nginx = feed.find("nginx");
    ASSERT_NE(nginx, nullptr);
    EXPECT_TRUE(std::any_of(nginx->cycles.begin(), nginx->cycles.end(),
                            [](const EolCycle& c) { return c.eol_false; }));
}

TEST(EolFeed, Windows10Enterprise22H2IsPastEndOfSupportWithEsu) {
    FactSet f = os("windows", "10.0.19045", "22H2", 19045, "enterprise");
    enrich_with_eol(f, shipped_feed(), Date{2026, 11, 23});
    EXPECT_EQ(get<std::string>(f, "os.eol_cycle"), "10-22h2");
    EXPECT_EQ(get<std::string>(f, "os.eol_date"), "2025-10-14");
    EXPECT_FALSE(get<bool>(f, "os.supported"));
    EXPECT_LT(get<std::int64_t>(f, "os.days_until_eol"), 0);
    EXPECT_EQ(get<std::string>(f, "os.extended_support_until"), "2028-10-10");
    EXPECT_EQ(get<std::string>(f, "os.support_phase"), "extended");  // ESU until 2028
}

TEST(EolFeed, Windows11EnterpriseUsesTheEnterpriseCycle) {
    FactSet f = os("windows", "10.0.26100", "24H2", 26100, "enterprise");
    enrich_with_eol(f, shipped_feed(), Date{2026, 11, 23});
    EXPECT_EQ(get<std::string>(f, "os.eol_cycle"), "11-24h2-e");
    EXPECT_TRUE(get<bool>(f, "os.supported"));
}

TEST(EolFeed, WindowsSevenAndServerAndLinux) {
    Date d{2026, 11, 23};
    FactSet w7 = os("windows", "6.1.7601", "SP1", 7601);
    enrich_with_eol(w7, shipped_feed(), d);
    EXPECT_EQ(get<std::string>(w7, "os.eol_cycle"), "7-sp1");
    EXPECT_FALSE(get<bool>(w7, "os.supported"));
    EXPECT_EQ(get<std::string>(w7, "os.support_phase"), "ended");

    FactSet r2 = os("windows-server", "6.3.9600", "2012 R2", 9600);
    enrich_with_eol(r2, shipped_feed(), d);
    EXPECT_EQ(get<std::string>(r2, "os.eol_cycle"), "2012-r2");
    EXPECT_EQ(get<std::string>(r2, "os.support_phase"), "ended");  // ESU ended 2026-10-13

    FactSet srv = os("windows-server", "10.0.20348", "2022", 20348);
    enrich_with_eol(srv, shipped_feed(), d);
    EXPECT_EQ(get<std::string>(srv, "os.eol_date"), "2031-10-14");
    EXPECT_EQ(get<std::string>(srv, "os.support_phase"), "regular");
    EXPECT_TRUE(get<bool>(srv, "os.supported"));

    FactSet rhel = os("rhel", "9.6");
    enrich_with_eol(rhel, shipped_feed(), d);
    EXPECT_EQ(get<std::string>(rhel, "os.eol_cycle"), "9");  // 9.6 falls back to major 9
    EXPECT_TRUE(get<bool>(rhel, "os.supported"));

    FactSet focal = os("ubuntu", "20.04");
    enrich_with_eol(focal, shipped_feed(), d);
    EXPECT_FALSE(get<bool>(focal, "os.supported"));
}

TEST(EolFeed, UnknownProductOrCycleGivesNoFactsButAnIssue) {
    FactSet f = os("haiku", "1");
    enrich_with_eol(f, shipped_feed(), Date{2026, 11, 23});
    EXPECT_EQ(f.find("os.supported"), nullptr);
    ASSERT_EQ(f.issues().size(), 1u);
    EXPECT_FALSE(f.issues()[0].fatal);
    FactSet g = os("debian", "99");
    enrich_with_eol(g, shipped_feed(), Date{2026, 11, 23});
    EXPECT_EQ(g.find("os.supported"), nullptr);
    EXPECT_NE(g.issues()[0].message.find("not found"), std::string::npos);
}

TEST(EolFeed, BrokenFrontMatterIsAnError) {
    auto r = parse_eol_product_markdown("---\nreleases:\n  - releaseCycle: [\n---\n", "x", "x.md");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().file, "x.md");
    EXPECT_FALSE(parse_eol_product_markdown("no front matter", "x", "x.md").ok());
    EXPECT_FALSE(parse_eol_release_json("{", "x", "x.json").ok());
}
