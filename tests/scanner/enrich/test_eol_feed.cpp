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

namespace {

ExtendedSupportDecl declared(Date until, std::string note = "") {
    ExtendedSupportDecl d;
    d.until = until;
    d.contract = "ESU Jahr 2, Vertrag 4711";
    d.note = std::move(note);
    d.file = "inventory.yaml";
    d.line = 42;
    return d;
}

std::string issues_text(const FactSet& f) {
    std::string s;
    for (const auto& i : f.issues())
        s += i.source + ":" + std::to_string(i.line) + " [" + i.collector + "] " + i.message + "\n";
    return s;
}

FactSet win10_esu(const Date& as_of, StringList esu = {}, bool with_esu_fact = false) {
    FactSet f = os("windows", "10.0.19045", "22H2", 19045, "enterprise");
    if (with_esu_fact)
        f.add(Fact{"os.esu_licenses", esu, Provenance{"slmgr-dlv.txt", 54, "slmgr-dlv", "x"}, 0});
    enrich_with_eol(f, shipped_feed(), as_of);
    return f;
}

}  // namespace

TEST(ExtendedSupport, ExtendedPhaseWithoutEvidenceSaysWhatToProvide) {
    Date d{2026, 11, 23};
    FactSet f = win10_esu(d);
    enrich_with_extended_support(f, nullptr, d);
    EXPECT_EQ(f.find("os.extended_support_evidence"), nullptr);
    ASSERT_EQ(f.issues().size(), 1u);
    EXPECT_EQ(f.issues()[0].collector, "extended-support");
    EXPECT_EQ(f.issues()[0].line, 0);
    EXPECT_NE(f.issues()[0].message.find("extended_support: {until"), std::string::npos);
    EXPECT_NE(f.issues()[0].message.find("slmgr.vbs /dlv"), std::string::npos);
}

TEST(ExtendedSupport, SlmgrLicenceCountsOnlyForTheYearItCovers) {
    Date d{2026, 11, 23};  // ESU year 2 of Windows 10
    FactSet y2 = win10_esu(d, {"Client-ESU-Year1", "Client-ESU-Year2"}, true);
    enrich_with_extended_support(y2, nullptr, d);
    ASSERT_EQ(get<std::string>(y2, "os.extended_support_evidence"), "slmgr");
    const Fact* e = y2.find("os.extended_support_evidence");
    EXPECT_EQ(e->provenance.source, "slmgr-dlv.txt");
    EXPECT_EQ(e->provenance.line, 54);
    EXPECT_NE(e->provenance.excerpt.find("covers until 2027-10-12"), std::string::npos);
    EXPECT_TRUE(y2.issues().empty()) << issues_text(y2);

    FactSet y1 = win10_esu(d, {"Client-ESU-Year1"}, true);  // year 1 ended 2026-10-13
    enrich_with_extended_support(y1, nullptr, d);
    EXPECT_EQ(y1.find("os.extended_support_evidence"), nullptr);
    EXPECT_NE(issues_text(y1).find("covers updates only until 2026-10-13"), std::string::npos)
        << issues_text(y1);

    FactSet none = win10_esu(d, {}, true);
    enrich_with_extended_support(none, nullptr, d);
    EXPECT_EQ(none.find("os.extended_support_evidence"), nullptr);

    FactSet server_licence = win10_esu(d, {"Server-ESU-Year3"}, true);  // wrong product
    enrich_with_extended_support(server_licence, nullptr, d);
    EXPECT_EQ(server_licence.find("os.extended_support_evidence"), nullptr);
}

TEST(ExtendedSupport, InventoryDeclarationCountsUntilItsEnd) {
    Date d{2026, 11, 23};
    auto decl = declared(Date{2027, 10, 12});
    FactSet f = win10_esu(d);
    enrich_with_extended_support(f, &decl, d);
    ASSERT_EQ(get<std::string>(f, "os.extended_support_evidence"), "inventory");
    const Fact* e = f.find("os.extended_support_evidence");
    EXPECT_EQ(e->provenance.source, "inventory.yaml");
    EXPECT_EQ(e->provenance.line, 42);
    EXPECT_NE(e->provenance.excerpt.find("until 2027-10-12, contract: ESU Jahr 2, Vertrag 4711"),
              std::string::npos);

    auto expired = declared(Date{2026, 10, 13});  // year 1 contract, Stichtag in year 2
    FactSet g = win10_esu(d);
    enrich_with_extended_support(g, &expired, d);
    EXPECT_EQ(g.find("os.extended_support_evidence"), nullptr);
    EXPECT_NE(issues_text(g).find("inventory.yaml:42 [extended-support] extended_support (ESU "
                                  "Jahr 2, Vertrag 4711) ended 2026-10-13, before the Stichtag"),
              std::string::npos)
        << issues_text(g);
}

TEST(ExtendedSupport, DeclarationPastTheFeedsEndNeedsANote) {
    Date d{2026, 11, 23};
    auto beyond = declared(Date{2029, 12, 31});  // Windows 10 ESU ends 2028-10-10
    FactSet f = win10_esu(d);
    enrich_with_extended_support(f, &beyond, d);
    EXPECT_EQ(f.find("os.extended_support_evidence"), nullptr);
    EXPECT_NE(issues_text(f).find("inventory.yaml:42 [extended-support] extended_support until "
                                  "2029-12-31 is after the end of extended support in the "
                                  "end-of-life feed (2028-10-10)"),
              std::string::npos)
        << issues_text(f);

    auto documented = declared(Date{2029, 12, 31}, "Sondervereinbarung mit dem Hersteller");
    FactSet g = win10_esu(d);
    enrich_with_extended_support(g, &documented, d);
    EXPECT_EQ(get<std::string>(g, "os.extended_support_evidence"), "inventory");
}

TEST(ExtendedSupport, DebianLtsIsFreeButElsewhereEndedStaysEnded) {
    Date d{2026, 11, 23};
    FactSet deb12 = os("debian", "12");
    enrich_with_eol(deb12, shipped_feed(), d);
    ASSERT_EQ(get<std::string>(deb12, "os.support_phase"), "extended");  // LTS since 2026-07-11
    enrich_with_extended_support(deb12, nullptr, d);
    EXPECT_EQ(get<std::string>(deb12, "os.extended_support_evidence"), "debian-lts");
    EXPECT_NE(deb12.find("os.extended_support_evidence")->provenance.source.find("debian.md"),
              std::string::npos);

    FactSet focal = os("ubuntu", "20.04");  // ESM needs Ubuntu Pro: a declaration
    enrich_with_eol(focal, shipped_feed(), d);
    ASSERT_EQ(get<std::string>(focal, "os.support_phase"), "extended");
    enrich_with_extended_support(focal, nullptr, d);
    EXPECT_EQ(focal.find("os.extended_support_evidence"), nullptr);
    EXPECT_EQ(issues_text(focal).find("slmgr"), std::string::npos);  // not offered for Linux

    // Debian 10: LTS ended 2024-06-30. ELTS (paid) counts with a documented declaration.
    FactSet buster = os("debian", "10");
    enrich_with_eol(buster, shipped_feed(), d);
    ASSERT_EQ(get<std::string>(buster, "os.support_phase"), "ended");
    auto elts = declared(Date{2029, 6, 30}, "Freexian ELTS, über Debian LTS hinaus");
    FactSet without_note = buster;
    auto undocumented = declared(Date{2029, 6, 30});
    enrich_with_extended_support(without_note, &undocumented, d);
    EXPECT_EQ(get<std::string>(without_note, "os.support_phase"), "ended");
    EXPECT_EQ(without_note.find("os.extended_support_evidence"), nullptr);
    enrich_with_extended_support(buster, &elts, d);
    EXPECT_EQ(get<std::string>(buster, "os.support_phase"), "extended");
    EXPECT_EQ(buster.find("os.support_phase")->provenance.source, "inventory.yaml");
    EXPECT_EQ(get<std::string>(buster, "os.extended_support_evidence"), "inventory");

    FactSet w7 = os("windows", "6.1.7601", "SP1", 7601);  // ended, no declaration: stays
    enrich_with_eol(w7, shipped_feed(), d);
    enrich_with_extended_support(w7, nullptr, d);
    EXPECT_EQ(get<std::string>(w7, "os.support_phase"), "ended");
}

TEST(ExtendedSupport, EsuYearEnds) {
    FactSet r2 = os("windows-server", "6.3.9600", "2012 R2", 9600);
    enrich_with_eol(r2, shipped_feed(), Date{2025, 1, 1});
    EXPECT_EQ(windows_esu_year_end(r2, 2), (Date{2025, 10, 14}));
    EXPECT_EQ(windows_esu_year_end(r2, 4), std::nullopt);
    FactSet w10 = os("windows", "10.0.19045", "22H2", 19045, "professional");
    enrich_with_eol(w10, shipped_feed(), Date{2026, 1, 1});
    EXPECT_EQ(windows_esu_year_end(w10, 3), (Date{2028, 10, 10}));
}
