#include "scanner/enrich/rhel_oval.hpp"

#include <gtest/gtest.h>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "scanner/feeds/feed_store.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

std::filesystem::path repo_oval() {
    return testing::source_dir() / "feeds/redhat/rhel-9.oval.xml";
}

const Date kAsOf{2023, 12, 20};  // a week after RHSA-2023:7784 / 7785 (2023-12-13)
constexpr int kMaxAge = 30;
constexpr int kGrace = 14;

// The shipped excerpt as if `feeds update` had fetched the complete, current file.
RhelOvalSet trusted_set() {
    auto o = load_rhel_oval(repo_oval());
    EXPECT_TRUE(o.ok()) << o.error().describe();
    RhelOvalSet set;
    set.dir = "feeds/redhat";
    if (!o.ok()) return set;
    o->coverage = "complete";
    o->data_date = kAsOf;
    set.by_release["9"] = std::move(*o);
    return set;
}

KevCatalog trusted_kev() {
    auto k = load_kev(testing::source_dir() / "feeds/kev/known_exploited_vulnerabilities.json");
    EXPECT_TRUE(k.ok());
    KevCatalog kev = k.ok() ? *k : KevCatalog{};
    kev.coverage = "complete";
    kev.data_date = kAsOf;
    return kev;
}

void add_fact(FactSet& fs, const std::string& name, FactValue v) {
    fs.add(Fact{name, std::move(v), Provenance{"test", 0, "test", ""}, 0});
}

FactSet rhel_host(const StringMap& packages, const std::string& version = "9.2") {
    FactSet fs;
    add_fact(fs, "os.id", std::string("rhel"));
    add_fact(fs, "os.version", version);
    add_fact(fs, "packages.manager", std::string("rpm"));
    add_fact(fs, "packages", packages);
    return fs;
}

StringList list_of(const FactSet& fs, const char* name) {
    const Fact* f = fs.find(name);
    EXPECT_NE(f, nullptr) << name;
    return f ? std::get<StringList>(f->value) : StringList{};
}
std::int64_t count_of(const FactSet& fs, const char* name) {
    const Fact* f = fs.find(name);
    EXPECT_NE(f, nullptr) << name;
    return f ? std::get<std::int64_t>(f->value) : -1;
}

TEST(RhelOval, ParsesTheShippedExcerpt) {
    auto o = load_rhel_oval(repo_oval());
    ASSERT_TRUE(o.ok()) << o.error().describe();
    EXPECT_EQ(o->file, "feeds/redhat/rhel-9.oval.xml");
    EXPECT_EQ(o->definitions.size(), 10u);
    EXPECT_EQ(o->releases, (std::set<std::string>{"9"}));
    EXPECT_EQ(o->data_date->iso(), "2024-01-18");
    const OvalDefinition* webp = nullptr;
    for (const auto& d : o->definitions)
        if (d.advisory == "RHSA-2023:5214") webp = &d;
    ASSERT_NE(webp, nullptr);
    EXPECT_EQ(webp->issued->iso(), "2023-09-19");
    EXPECT_EQ(webp->severity, "Important");
    ASSERT_EQ(webp->cves.size(), 2u);
    EXPECT_EQ(webp->cves[0].id, "CVE-2023-4863");
    EXPECT_DOUBLE_EQ(webp->cves[0].cvss, 9.6);
    EXPECT_EQ(webp->cves[0].impact, "important");
    EXPECT_DOUBLE_EQ(webp->cves[1].cvss, 0.0);  // CVE-2023-5129: rejected duplicate
    EXPECT_GT(webp->line, 1);
    // Top level: OR(RHEL must be installed, AND(RHEL 9 is installed, ...)).
    ASSERT_EQ(webp->criteria.kind, OvalNode::Kind::Any);
    EXPECT_EQ(webp->criteria.children[0].test, OvalNode::Test::NotRhel);
    EXPECT_EQ(webp->criteria.children[1].children[0].test, OvalNode::Test::Release);
    EXPECT_EQ(webp->criteria.children[1].children[0].value, "9");
}

TEST(RhelOval, MatchesPackagesBelowTheFix) {
    auto set = trusted_set();
    const RhelOval& o = set.by_release.at("9");
    // libwebp below RHSA-2023:5214's 0:1.2.0-7.el9_2; python3-lxml fixed; firefox absent.
    auto ms =
        match_rhel_oval({{"libwebp", "1.2.0-6.el9_1"}, {"python3-lxml", "4.6.5-3.el9"}}, o, "9");
    ASSERT_EQ(ms.size(), 1u);
    EXPECT_EQ(ms[0].definition->advisory, "RHSA-2023:5214");
    EXPECT_EQ(ms[0].package, "libwebp");
    EXPECT_FALSE(ms[0].unknown);
    EXPECT_EQ(ms[0].excerpt,
              "libwebp 1.2.0-6.el9_1 < 0:1.2.0-7.el9_2 (RHSA-2023:5214, fix published "
              "2023-09-19)");
    // Equal or newer: not affected; another architecture key counts too.
    EXPECT_TRUE(match_rhel_oval({{"libwebp", "0:1.2.0-7.el9_2"}}, o, "9").empty());
    EXPECT_EQ(match_rhel_oval({{"libwebp.i686", "1.2.0-6.el9_1"}}, o, "9").size(), 1u);
    // Another release: the "RHEL 9 is installed" test fails.
    EXPECT_TRUE(match_rhel_oval({{"libwebp", "1.2.0-6.el9_1"}}, o, "8").empty());
}

TEST(RhelOval, ModuleStreamsDecideModularAdvisories) {
    auto set = trusted_set();
    const RhelOval& o = set.by_release.at("9");
    auto advisories = [&](const StringMap& pk) {
        std::set<std::string> out;
        for (const auto& m : match_rhel_oval(pk, o, "9")) out.insert(m.definition->advisory);
        return out;
    };
    // Non-modular postgresql 13 below 13.13-1.el9_3: RHSA-2023:7784 only, not the
    // postgresql:15 module advisory (RHSA-2023:7785).
    EXPECT_EQ(advisories({{"postgresql", "13.11-1.el9_2"}}),
              (std::set<std::string>{"RHSA-2023:7784"}));
    // The postgresql:15 stream below 15.5: the module advisory only.
    EXPECT_EQ(advisories({{"postgresql", "15.3-1.module+el9.2.0+19113+e4d8d0b5"}}),
              (std::set<std::string>{"RHSA-2023:7785"}));
    EXPECT_TRUE(advisories({{"postgresql", "15.5-1.module+el9.2.0.z+20667+a2d2a8a9"}}).empty());
}

// Count once and grace period on the shipped excerpt.
TEST(RhelOval, EnrichCountsEachCveOnceAndHoldsBackYoungFixes) {
    auto set = trusted_set();
    auto kev = trusted_kev();
    ASSERT_TRUE(kev.contains("CVE-2023-4863"));                 // libwebp, CVSS 9.6
    ASSERT_TRUE(kev.contains("CVE-2023-5217"));                 // libvpx, CVSS 8.8
    FactSet fs = rhel_host({{"libwebp", "1.2.0-6.el9_1"},       // RHSA-2023:5214 (2023-09-19)
                            {"libvpx", "1.9.0-6.el9_1"},        // RHSA-2023:5539 (2023-10-09)
                            {"python3-lxml", "4.6.5-2.el9"},    // RHSA-2022:8226 (2022-11-15)
                            {"postgresql", "13.11-1.el9_2"}});  // RHSA-2023:7784 (2023-12-13)
    enrich_with_rhel_vulns(fs, set, kev, kAsOf, kMaxAge, kGrace);
    EXPECT_TRUE(fs.issues().empty());
    StringList open = list_of(fs, "vulns.open_cves");
    EXPECT_EQ(open, (StringList{"CVE-2022-2309", "CVE-2023-44488", "CVE-2023-4863", "CVE-2023-5129",
                                "CVE-2023-5217"}));
    // PostgreSQL's fix is 7 days old: shown, not counted.
    StringList pending = list_of(fs, "vulns.pending_cves");
    EXPECT_EQ(pending,
              (StringList{"CVE-2023-39417", "CVE-2023-5868", "CVE-2023-5869", "CVE-2023-5870"}));
    EXPECT_NE(fs.find("vulns.pending_cves")->provenance.excerpt.find("within the 14-day grace"),
              std::string::npos);
    // Critical: KEV-listed (4863, 5217) or CVSS >= 9.0 (4863); each once.
    EXPECT_EQ(list_of(fs, "vulns.kev_cves"), (StringList{"CVE-2023-4863", "CVE-2023-5217"}));
    EXPECT_EQ(count_of(fs, "vulns.critical_count"), 2);
    // High: CVSS 7.0-8.9 and not critical: lxml 7.5, libvpx CVE-2023-44488 7.5. CVE-2023-5217
    // (8.8, KEV) is critical only; CVE-2023-5129 (0.0) is no rating.
    EXPECT_EQ(count_of(fs, "vulns.high_count"), 2);
    const Fact* high = fs.find("vulns.high_count");
    EXPECT_EQ(high->provenance.excerpt.find("CVE-2023-5217"), std::string::npos)
        << high->provenance.excerpt;
    EXPECT_NE(high->provenance.excerpt.find("not counted (fix younger than 14 days)"),
              std::string::npos);
    EXPECT_EQ(high->provenance.collector, "rhel-oval");
    EXPECT_EQ(high->provenance.source, "feeds/redhat/rhel-9.oval.xml");
    EXPECT_NE(fs.find("vulns.critical_count")
                  ->provenance.excerpt.find("libwebp 1.2.0-6.el9_1 < 0:1.2.0-7.el9_2"),
              std::string::npos)
        << fs.find("vulns.critical_count")->provenance.excerpt;
    // After the grace period the PostgreSQL CVEs count (CVSS 7.5 and 8.8 → high).
    FactSet later = rhel_host({{"postgresql", "13.11-1.el9_2"}});
    KevCatalog kev_later = kev;
    kev_later.data_date = Date{2023, 12, 27};
    RhelOvalSet later_set = trusted_set();
    later_set.by_release["9"].data_date = Date{2023, 12, 27};
    enrich_with_rhel_vulns(later, later_set, kev_later, Date{2023, 12, 27}, kMaxAge, kGrace);
    EXPECT_EQ(list_of(later, "vulns.open_cves"),
              (StringList{"CVE-2023-39417", "CVE-2023-5868", "CVE-2023-5869", "CVE-2023-5870"}));
    EXPECT_TRUE(list_of(later, "vulns.pending_cves").empty());
    EXPECT_EQ(count_of(later, "vulns.high_count"), 2);
    EXPECT_EQ(count_of(later, "vulns.critical_count"), 0);
    // Grace 0: nothing is held back.
    FactSet nograce = rhel_host({{"postgresql", "13.11-1.el9_2"}});
    enrich_with_rhel_vulns(nograce, set, kev, kAsOf, kMaxAge, 0);
    EXPECT_EQ(list_of(nograce, "vulns.open_cves").size(), 4u);
}

TEST(RhelOval, CleanHostGetsZeroFacts) {
    auto set = trusted_set();
    FactSet fs = rhel_host({{"libwebp", "1.2.0-7.el9_2"}, {"bash", "5.1.8-6.el9_1"}});
    enrich_with_rhel_vulns(fs, set, trusted_kev(), kAsOf, kMaxAge, kGrace);
    EXPECT_TRUE(list_of(fs, "vulns.open_cves").empty());
    EXPECT_TRUE(list_of(fs, "vulns.pending_cves").empty());
    EXPECT_EQ(count_of(fs, "vulns.critical_count"), 0);
    EXPECT_EQ(count_of(fs, "vulns.high_count"), 0);
    EXPECT_NE(fs.find("vulns.open_cves")->provenance.excerpt.find("OVAL data as of 2023-12-20"),
              std::string::npos);
    // Without a usable KEV catalog: no critical verdict, an issue says why.
    FactSet nokev = rhel_host({{"libwebp", "1.2.0-6.el9_1"}});
    enrich_with_rhel_vulns(nokev, set, KevCatalog{}, kAsOf, kMaxAge, kGrace);
    EXPECT_EQ(nokev.find("vulns.critical_count"), nullptr);
    EXPECT_EQ(nokev.find("vulns.kev_cves"), nullptr);
    EXPECT_EQ(count_of(nokev, "vulns.high_count"), 0);  // CVSS 9.6 is never "high"
    ASSERT_EQ(nokev.issues().size(), 1u);
    EXPECT_EQ(nokev.issues()[0].explains,
              (std::vector<std::string>{"vulns.kev_cves", "vulns.critical_count"}));
}

// "Not tested" looks like the Debian tracker's: absent facts and an issue naming them.
TEST(RhelOval, NotTestedIsAbsentFactsAndAnIssue) {
    const std::vector<std::string> all{"vulns.open_cves", "vulns.pending_cves", "vulns.high_count",
                                       "vulns.kev_cves", "vulns.critical_count"};
    auto check = [&](FactSet& fs, const RhelOvalSet& set, const std::string& needle) {
        enrich_with_rhel_vulns(fs, set, trusted_kev(), kAsOf, kMaxAge, kGrace);
        for (const auto& n : all) EXPECT_EQ(fs.find(n), nullptr) << n;
        ASSERT_EQ(fs.issues().size(), 1u);
        const SourceIssue& i = fs.issues()[0];
        EXPECT_EQ(i.collector, "rhel-oval");
        EXPECT_FALSE(i.fatal);
        EXPECT_EQ(i.line, 0);
        EXPECT_EQ(i.explains, all);
        EXPECT_NE(i.message.find(needle), std::string::npos) << i.message;
    };
    StringMap pk{{"libwebp", "1.2.0-6.el9_1"}};
    {  // the shipped snapshot: excerpt
        std::vector<std::string> errors;
        RhelOvalSet shipped = load_rhel_ovals(testing::source_dir() / "feeds/redhat", errors);
        apply_rhel_feed_info(testing::source_dir() / "feeds", shipped);
        EXPECT_TRUE(errors.empty());
        ASSERT_TRUE(shipped.by_release.contains("9"));
        EXPECT_EQ(shipped.by_release.at("9").coverage, "excerpt");
        FactSet fs = rhel_host(pk);
        check(fs, shipped, "Auszug/excerpt: the Red Hat OVAL file holds only 10 advisories");
    }
    {  // no file for RHEL 8
        FactSet fs = rhel_host(pk, "8.9");
        check(fs, trusted_set(), "no Red Hat OVAL data for RHEL 8");
        EXPECT_EQ(fs.issues()[0].source, "feeds/redhat/rhel-8.oval.xml");
    }
    {  // stale data
        RhelOvalSet set = trusted_set();
        set.by_release["9"].data_date = Date{2023, 10, 1};
        FactSet fs = rhel_host(pk);
        check(fs, set, "veraltet/stale: Red Hat OVAL data as of 2023-10-01 is 80 days old");
    }
    {  // coverage unknown (no record)
        RhelOvalSet set = trusted_set();
        set.by_release["9"].coverage.clear();
        FactSet fs = rhel_host(pk);
        check(fs, set, "coverage unknown");
    }
    {  // a file that names another release
        RhelOvalSet set = trusted_set();
        set.by_release["8"] = set.by_release["9"];
        FactSet fs = rhel_host(pk, "8");
        check(fs, set, "names no definition for RHEL 8");
    }
    // Not RHEL, or no rpm list: nothing at all.
    FactSet deb;
    add_fact(deb, "os.id", std::string("debian"));
    enrich_with_rhel_vulns(deb, trusted_set(), trusted_kev(), kAsOf, kMaxAge, kGrace);
    EXPECT_TRUE(deb.issues().empty());
    FactSet nopk;
    add_fact(nopk, "os.id", std::string("rhel"));
    enrich_with_rhel_vulns(nopk, trusted_set(), trusted_kev(), kAsOf, kMaxAge, kGrace);
    EXPECT_TRUE(nopk.issues().empty());
    EXPECT_EQ(nopk.size(), 1u);
}

// The rpm -qa collector's package list feeds the matcher unchanged.
TEST(RhelOval, WorksOnAnRpmQaExport) {
    auto out = parse_rpm_qa(
        "libwebp-1.2.0-6.el9_1.x86_64\nlibwebp-1.2.0-6.el9_1.i686\n"
        "python3-lxml-4.6.5-3.el9.x86_64\nbash-5.1.8-6.el9_1.x86_64\n");
    ASSERT_TRUE(out.ok()) << out.error().describe();
    FactSet fs;
    for (auto& f : out->facts) fs.add(f);
    add_fact(fs, "os.id", std::string("rhel"));
    add_fact(fs, "os.version", std::string("9.2"));
    enrich_with_rhel_vulns(fs, trusted_set(), trusted_kev(), kAsOf, kMaxAge, kGrace);
    EXPECT_EQ(list_of(fs, "vulns.open_cves"), (StringList{"CVE-2023-4863", "CVE-2023-5129"}));
    EXPECT_EQ(count_of(fs, "vulns.critical_count"), 1);
    std::vector<Fact> produced;
    for (const char* n : {"vulns.open_cves", "vulns.pending_cves", "vulns.high_count",
                          "vulns.kev_cves", "vulns.critical_count"})
        if (const Fact* f = fs.find(n)) produced.push_back(*f);
    EXPECT_EQ(produced.size(), 5u);
    testing::expect_facts_declared(produced);
}

TEST(RhelOval, RejectsBrokenAndHostileInput) {
    auto bad = parse_rhel_oval("<oval_definitions><definitions>\n<definition", "x.xml");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().file, "x.xml");
    EXPECT_NE(bad.error().message.find("malformed XML"), std::string::npos);
    EXPECT_FALSE(parse_rhel_oval("<html><body/></html>", "x.xml").ok());
    // Criteria nested beyond the limit: an error, not a stack overflow.
    std::string deep = "<oval_definitions><definitions><definition class=\"patch\" id=\"d\">";
    for (int i = 0; i < 200; ++i) deep += "<criteria>";
    for (int i = 0; i < 200; ++i) deep += "</criteria>";
    deep += "</definition></definitions></oval_definitions>";
    auto d = parse_rhel_oval(deep, "deep.xml");
    ASSERT_FALSE(d.ok());
    EXPECT_NE(d.error().message.find("nested deeper than 32"), std::string::npos);
    // An unrecognised test makes the definition "not every condition checkable", never a miss.
    auto u = parse_rhel_oval(
        R"(<oval_definitions><definitions><definition class="patch" id="d"><metadata>
           <affected><platform>Red Hat Enterprise Linux 9</platform></affected>
           <advisory><cve cvss3="9.8/CVSS:3.1">CVE-2099-0001</cve></advisory></metadata>
           <criteria><criterion comment="pkg is earlier than 0:2-1.el9"/>
           <criterion comment="kernel live patch state is vulnerable"/></criteria>
           </definition></definitions></oval_definitions>)",
        "u.xml");
    ASSERT_TRUE(u.ok()) << u.error().describe();
    auto ms = match_rhel_oval({{"pkg", "1-1.el9"}}, *u, "9");
    ASSERT_EQ(ms.size(), 1u);
    EXPECT_TRUE(ms[0].unknown);
    EXPECT_NE(ms[0].excerpt.find("not every condition checkable"), std::string::npos);
    EXPECT_FALSE(load_rhel_oval("/nonexistent/redhat/rhel-9.oval.xml").ok());
}

TEST(Bunzip2, UnpacksAndRejects) {
    std::string packed = testing::read_bytes(testing::fixture("feeds/redhat-rhel-9.oval.xml.bz2"));
    auto xml = bunzip2(packed, kRhelOvalMaxBytes);
    ASSERT_TRUE(xml.ok()) << xml.error().describe();
    EXPECT_EQ(*xml, testing::read_bytes(repo_oval()));
    EXPECT_FALSE(bunzip2(packed.substr(0, packed.size() / 2), kRhelOvalMaxBytes).ok());
    EXPECT_FALSE(bunzip2("not bzip2 at all", kRhelOvalMaxBytes).ok());
    auto capped = bunzip2(packed, 1000);
    ASSERT_FALSE(capped.ok());
    EXPECT_NE(capped.error().message.find("more than"), std::string::npos);
}

}  // namespace
}  // namespace grundscan
