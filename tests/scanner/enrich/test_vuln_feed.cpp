#include "scanner/enrich/vuln_feed.hpp"

#include <gtest/gtest.h>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::expect_facts_declared;
using testing::find_fact;
using testing::parse_fixture;

std::filesystem::path repo_tracker() {
    return testing::source_dir() / "feeds/debian/security-tracker.json";
}
std::filesystem::path repo_kev() {
    return testing::source_dir() / "feeds/kev/known_exploited_vulnerabilities.json";
}

// A tracker with one source package "pkg" and the given CVE → bookworm entry JSON.
DebianTracker tiny_tracker(const std::string& cves) {
    auto t = parse_debian_tracker("{\"pkg\": {" + cves + "}}", "t.json");
    EXPECT_TRUE(t.ok()) << t.error().describe();
    return t.ok() ? *t : DebianTracker{};
}
std::string entry(const std::string& cve, const std::string& status, const std::string& fixed,
                  const std::string& urgency = "not yet assigned") {
    std::string f = fixed.empty() ? "" : ", \"fixed_version\": \"" + fixed + "\"";
    return "\"" + cve + "\": {\"releases\": {\"bookworm\": {\"status\": \"" + status + "\"" + f +
           ", \"urgency\": \"" + urgency + "\"}}}";
}

bool is_open(const std::vector<VulnMatch>& ms, const std::string& cve) {
    for (const auto& m : ms)
        if (m.cve == cve) return m.open;
    ADD_FAILURE() << "no match for " << cve;
    return false;
}
bool is_pending(const std::vector<VulnMatch>& ms, const std::string& cve) {
    for (const auto& m : ms)
        if (m.cve == cve) return m.pending;
    ADD_FAILURE() << "no match for " << cve;
    return false;
}

const Date kAsOf{2026, 11, 23};
constexpr int kMaxAge = 30;

// The tracker / KEV as `feeds update` records a complete, current download.
DebianTracker trusted(DebianTracker t) {
    t.coverage = "complete";
    t.data_date = kAsOf;
    return t;
}
KevCatalog trusted(KevCatalog k) {
    k.coverage = "complete";
    k.data_date = kAsOf;
    return k;
}

void enrich(FactSet& fs, const DebianTracker& t, const KevCatalog& k) {
    enrich_with_vulns(fs, t, k, kAsOf, kMaxAge);
}

void add_fact(FactSet& fs, const std::string& name, FactValue v) {
    fs.add(Fact{name, std::move(v), Provenance{"test", 0, "test", ""}, 0});
}

TEST(VulnFeed, ParsesRepoTrackerExcerpt) {
    auto t = load_debian_tracker(repo_tracker());
    ASSERT_TRUE(t.ok()) << t.error().describe();
    EXPECT_EQ(t->file, "feeds/debian/security-tracker.json");
    // From the shared (aquasecurity) excerpt, kept unchanged.
    const auto& p = t->packages.at("prototypejs");
    EXPECT_EQ(p.at("CVE-2008-7220").at("stretch").fixed_version, "1.6.0.2-1");
    EXPECT_EQ(p.at("CVE-2008-7220").at("stretch").urgency, "high**");
    EXPECT_EQ(p.at("CVE-2007-2383").at("buster").fixed_version, "0");
    EXPECT_EQ(p.at("CVE-2007-2383").at("buster").urgency, "unimportant");
    EXPECT_EQ(t->packages.at("python-scipy").at("CVE-2013-4251").at("sid").status, "resolved");
    // Added for the example hosts.
    EXPECT_EQ(t->packages.at("sudo").at("CVE-2021-3156").at("buster").fixed_version,
              "1.8.27-1+deb10u3");
    EXPECT_EQ(t->packages.at("openssh").at("CVE-2024-6387").at("bookworm").fixed_version,
              "1:9.2p1-2+deb12u3");
    EXPECT_TRUE(t->codenames.contains("buster"));
    EXPECT_TRUE(t->codenames.contains("bookworm"));
}

TEST(VulnFeed, SharedExcerptParses) {
    auto p = testing::shared_sample("vuln/debian-security-tracker_excerpt.json");
    if (p.empty()) GTEST_SKIP() << "shared samples not available";
    auto t = parse_debian_tracker(testing::read_bytes(p), "x.json");
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->packages.size(), 2u);
    EXPECT_EQ(t->entries, 15u);  // 3 CVEs x 5 releases
}

TEST(VulnFeed, KevCatalog) {
    auto k = load_kev(repo_kev());
    ASSERT_TRUE(k.ok()) << k.error().describe();
    EXPECT_EQ(k->file, "feeds/kev/known_exploited_vulnerabilities.json");
    EXPECT_EQ(k->catalog_version, "2025.08.25");
    EXPECT_EQ(k->date_added.size(), 1404u);
    EXPECT_TRUE(k->contains("CVE-2021-3156"));
    EXPECT_EQ(k->date_added.at("CVE-2021-4034"), "2022-06-27");
    EXPECT_FALSE(k->contains("CVE-2024-6387"));
}

TEST(VulnFeed, CodenameMapping) {
    EXPECT_EQ(debian_codename("10"), "buster");
    EXPECT_EQ(debian_codename("11"), "bullseye");
    EXPECT_EQ(debian_codename("12"), "bookworm");
    EXPECT_EQ(debian_codename("12.5"), "bookworm");
    EXPECT_EQ(debian_codename("13"), "trixie");
    EXPECT_EQ(debian_codename("20.04"), std::nullopt);
    EXPECT_EQ(debian_codename(""), std::nullopt);
}

TEST(VulnFeed, OpenResolvedNotAffected) {
    auto t = tiny_tracker(
        entry("CVE-1", "resolved", "1:9.2p1-2+deb12u3") + "," + entry("CVE-2", "resolved", "0") +
        "," + entry("CVE-3", "open", "") + "," + entry("CVE-4", "open", "", "unimportant") + "," +
        entry("CVE-5", "undetermined", "") + "," + entry("CVE-6", "resolved", "3.0.13-1~deb12u1") +
        "," + entry("CVE-7", "open", "", "unimportant") + "," +
        entry("CVE-8", "open", "", "end-of-life"));
    KevCatalog kev;
    kev.date_added["CVE-7"] = "2024-01-01";
    auto run = [&](const std::string& installed) {
        return match_debian_vulns({{"pkg", installed}}, {}, t, "bookworm", kev);
    };
    // Epochs: 1:9.2p1-2+deb12u2 < 1:9.2p1-2+deb12u3; no epoch (0) is lower than epoch 1.
    EXPECT_TRUE(is_open(run("1:9.2p1-2+deb12u2"), "CVE-1"));
    EXPECT_TRUE(is_open(run("9.9p1-1"), "CVE-1"));
    EXPECT_FALSE(is_open(run("1:9.2p1-2+deb12u3"), "CVE-1"));  // equal = fixed
    EXPECT_FALSE(is_open(run("1:9.2p1-2+deb12u3+b1"), "CVE-1"));
    EXPECT_FALSE(is_open(run("0.1"), "CVE-2"));  // never affected
    // No fix yet: pending (shown, not counted), not open.
    EXPECT_FALSE(is_open(run("99"), "CVE-3"));
    EXPECT_TRUE(is_pending(run("99"), "CVE-3"));
    EXPECT_FALSE(is_open(run("1.0"), "CVE-4"));  // unimportant
    EXPECT_FALSE(is_pending(run("1.0"), "CVE-4"));
    EXPECT_FALSE(is_open(run("1.0"), "CVE-5"));  // undetermined
    EXPECT_FALSE(is_pending(run("1.0"), "CVE-5"));
    EXPECT_TRUE(is_pending(run("1.0"), "CVE-7"));  // unimportant but KEV-listed: no fix yet
    EXPECT_TRUE(is_open(run("1.0"), "CVE-8"));     // end-of-life: no fix will come, counts
    EXPECT_FALSE(is_pending(run("1.0"), "CVE-8"));
    EXPECT_FALSE(is_pending(run("1:9.2p1-2+deb12u2"), "CVE-1"));  // fix exists: open
    // '~' sorts before everything: 3.0.13-1~deb12u1 < 3.0.13-1, and ~deb12u1 > ~deb12
    EXPECT_TRUE(is_open(run("3.0.11-1~deb12u2"), "CVE-6"));
    EXPECT_FALSE(is_open(run("3.0.13-1"), "CVE-6"));
    EXPECT_TRUE(is_open(run("3.0.13-1~deb12"), "CVE-6"));
    auto ms = run("3.0.11-1~deb12u2");
    for (const auto& m : ms) {
        if (m.cve == "CVE-6") {
            EXPECT_EQ(m.excerpt, "pkg 3.0.11-1~deb12u2 < 3.0.13-1~deb12u1 (CVE-6)");
        }
    }
}

TEST(VulnFeed, SourcePackageLookup) {
    auto t = tiny_tracker(entry("CVE-1", "resolved", "2.0-1"));
    auto ms = match_debian_vulns({{"libpkg1", "1.0-1"}, {"libpkg1:i386", "1.0-1"}, {"other", "1"}},
                                 {{"libpkg1", "pkg"}, {"libpkg1:i386", "pkg"}, {"other", "other"}},
                                 t, "bookworm", KevCatalog{});
    ASSERT_EQ(ms.size(), 2u);
    EXPECT_EQ(ms[0].binary, "libpkg1");
    EXPECT_EQ(ms[1].binary, "libpkg1:i386");
    EXPECT_EQ(ms[1].excerpt, "libpkg1 1.0-1 < 2.0-1 (CVE-1)");
    EXPECT_TRUE(match_debian_vulns({{"libpkg1", "1.0-1"}}, {}, t, "bookworm", {}).empty());
}

// Whole chain on the example Debian 10 host: dpkg status → packages.sources → tracker → KEV.
TEST(VulnFeed, ExampleBusterHost) {
    auto t = load_debian_tracker(repo_tracker());
    auto k = load_kev(repo_kev());
    ASSERT_TRUE(t.ok() && k.ok());
    auto out = parse_fixture(
        testing::source_dir() /
            "examples/landkreis/exports/markt-lindenau/ml-archiv01/var/lib/dpkg/status",
        &parse_dpkg_status);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    FactSet fs;
    for (auto& f : out->facts) fs.add(f);
    add_fact(fs, "os.id", std::string("debian"));
    add_fact(fs, "os.version", std::string("10"));
    enrich(fs, trusted(*t), trusted(*k));  // as if tracker and KEV were complete and current
    EXPECT_TRUE(fs.issues().empty());
    const Fact* open = fs.find("vulns.open_cves");
    ASSERT_NE(open, nullptr);
    EXPECT_EQ(std::get<StringList>(open->value),
              (StringList{"CVE-2021-3156", "CVE-2021-4034", "CVE-2022-0778"}));
    EXPECT_EQ(open->provenance.source, "feeds/debian/security-tracker.json");
    EXPECT_EQ(open->provenance.collector, "debian-tracker");
    EXPECT_NE(
        open->provenance.excerpt.find("sudo 1.8.27-1+deb10u2 < 1.8.27-1+deb10u3 (CVE-2021-3156)"),
        std::string::npos)
        << open->provenance.excerpt;
    // openssl is preferred over libssl1.1 for the excerpt (binary named like its source).
    EXPECT_NE(open->provenance.excerpt.find("openssl 1.1.1d-0+deb10u7 < 1.1.1d-0+deb10u8"),
              std::string::npos);
    EXPECT_EQ(std::get<StringList>(fs.find("vulns.kev_cves")->value),
              (StringList{"CVE-2021-3156", "CVE-2021-4034"}));
    const Fact* crit = fs.find("vulns.critical_count");
    EXPECT_EQ(std::get<std::int64_t>(crit->value), 2);
    EXPECT_EQ(crit->provenance.source, "feeds/kev/known_exploited_vulnerabilities.json");
    EXPECT_NE(crit->provenance.excerpt.find("KEV since 2022-04-06"), std::string::npos);
    EXPECT_EQ(std::get<std::int64_t>(fs.find("vulns.high_count")->value), 0);
}

TEST(VulnFeed, CleanBookwormHostGetsZeroFacts) {
    auto t = load_debian_tracker(repo_tracker());
    ASSERT_TRUE(t.ok());
    FactSet fs;
    add_fact(fs, "os.id", std::string("debian"));
    add_fact(fs, "os.version", std::string("12"));
    add_fact(fs, "packages.manager", std::string("dpkg"));
    add_fact(fs, "packages", StringMap{{"libc6", "2.36-9+deb12u14"}});
    add_fact(fs, "packages.sources", StringMap{{"libc6", "glibc"}});
    enrich(fs, trusted(*t), trusted(KevCatalog{"kev.json", "2026.11.23", {}, {}, {}}));
    EXPECT_TRUE(std::get<StringList>(fs.find("vulns.open_cves")->value).empty());
    EXPECT_EQ(std::get<std::int64_t>(fs.find("vulns.critical_count")->value), 0);
    EXPECT_NE(fs.find("vulns.open_cves")->provenance.excerpt.find("no open CVE"),
              std::string::npos);
    // The evidence shows the data dates.
    EXPECT_NE(fs.find("vulns.open_cves")->provenance.excerpt.find("tracker data as of 2026-11-23"),
              std::string::npos)
        << fs.find("vulns.open_cves")->provenance.excerpt;
    EXPECT_NE(fs.find("vulns.critical_count")->provenance.excerpt.find("data as of 2026-11-23"),
              std::string::npos);
    EXPECT_TRUE(fs.issues().empty());

    // Without a KEV catalog there is no verdict on KEV-listed CVEs (never "none listed").
    FactSet nokev;
    for (const char* n : {"os.id", "os.version", "packages.manager", "packages"})
        nokev.add(*fs.find(n));
    enrich(nokev, trusted(*t), KevCatalog{});
    EXPECT_NE(nokev.find("vulns.open_cves"), nullptr);
    EXPECT_EQ(nokev.find("vulns.kev_cves"), nullptr);
    EXPECT_EQ(nokev.find("vulns.critical_count"), nullptr);
    ASSERT_EQ(nokev.issues().size(), 1u);
    EXPECT_EQ(nokev.issues()[0].collector, "debian-tracker");
    EXPECT_NE(nokev.issues()[0].message.find("no CISA KEV catalog"), std::string::npos);
}

TEST(VulnFeed, HighUrgencyCount) {
    auto t = tiny_tracker(entry("CVE-1", "resolved", "2.0", "high**") + "," +
                          entry("CVE-2", "open", "", "high") + "," +
                          entry("CVE-3", "open", "", "medium"));
    FactSet fs;
    add_fact(fs, "os.id", std::string("debian"));
    add_fact(fs, "os.version", std::string("12"));
    add_fact(fs, "packages.manager", std::string("dpkg"));
    add_fact(fs, "packages", StringMap{{"pkg", "1.0"}});
    enrich(fs, trusted(t), KevCatalog{});
    // CVE-2 and CVE-3 have no fix yet: pending, not counted.
    EXPECT_EQ(std::get<StringList>(fs.find("vulns.open_cves")->value), StringList{"CVE-1"});
    EXPECT_EQ(std::get<StringList>(fs.find("vulns.pending_cves")->value),
              (StringList{"CVE-2", "CVE-3"}));
    EXPECT_EQ(std::get<std::int64_t>(fs.find("vulns.high_count")->value), 1);
    EXPECT_EQ(fs.find("vulns.high_count")->provenance.source, "t.json");
    // The count shows what it leaves out.
    EXPECT_NE(fs.find("vulns.high_count")
                  ->provenance.excerpt.find("not counted (no fix yet): pkg 1.0: no fix yet in "
                                            "bookworm (CVE-2)"),
              std::string::npos)
        << fs.find("vulns.high_count")->provenance.excerpt;
}

TEST(VulnFeed, OtherDistributionsGetIssueOnly) {
    auto t = tiny_tracker(entry("CVE-1", "open", ""));
    for (const char* id : {"ubuntu", "sles"}) {
        FactSet fs;
        add_fact(fs, "os.id", std::string(id));
        add_fact(fs, "packages", StringMap{{"pkg", "1.0"}});
        enrich(fs, trusted(t), KevCatalog{});
        EXPECT_EQ(fs.find("vulns.open_cves"), nullptr);
        ASSERT_EQ(fs.issues().size(), 1u) << id;
        EXPECT_FALSE(fs.issues()[0].fatal);
        EXPECT_NE(fs.issues()[0].message.find("Debian only"), std::string::npos);
    }
    FactSet rhel;  // judged by Red Hat OVAL (test_rhel_oval.cpp), not here
    add_fact(rhel, "os.id", std::string("rhel"));
    add_fact(rhel, "packages", StringMap{{"pkg", "1.0"}});
    enrich(rhel, trusted(t), KevCatalog{});
    EXPECT_TRUE(rhel.issues().empty());
    FactSet win;
    add_fact(win, "os.id", std::string("windows"));
    enrich(win, trusted(t), KevCatalog{});
    EXPECT_TRUE(win.issues().empty());
}

TEST(VulnFeed, ReleaseWithoutFeedDataOrUnknownVersion) {
    auto t = tiny_tracker(entry("CVE-1", "open", ""));  // bookworm only
    for (const char* v : {"13", "7"}) {
        FactSet fs;
        add_fact(fs, "os.id", std::string("debian"));
        add_fact(fs, "os.version", std::string(v));
        add_fact(fs, "packages.manager", std::string("dpkg"));
        add_fact(fs, "packages", StringMap{{"pkg", "1.0"}});
        enrich(fs, trusted(t), KevCatalog{});
        EXPECT_EQ(fs.find("vulns.open_cves"), nullptr);
        ASSERT_EQ(fs.issues().size(), 1u);
        EXPECT_FALSE(fs.issues()[0].fatal);
    }
    FactSet nopk;  // Debian without a package list: nothing (rules report no evidence)
    add_fact(nopk, "os.id", std::string("debian"));
    add_fact(nopk, "os.version", std::string("12"));
    enrich(nopk, trusted(t), KevCatalog{});
    EXPECT_EQ(nopk.size(), 2u);
    EXPECT_TRUE(nopk.issues().empty());
}

// A Debian bookworm host with one open KEV-listed CVE.
FactSet bookworm_host() {
    FactSet fs;
    add_fact(fs, "os.id", std::string("debian"));
    add_fact(fs, "os.version", std::string("12"));
    add_fact(fs, "packages.manager", std::string("dpkg"));
    add_fact(fs, "packages", StringMap{{"pkg", "1.0"}});
    return fs;
}
KevCatalog kev_with(const std::string& cve) {
    KevCatalog k;
    k.file = "kev/known_exploited_vulnerabilities.json";
    k.catalog_version = "2026.11.20";
    k.date_added[cve] = "2026-01-01";
    return k;
}

TEST(VulnFeed, ExcerptOrUnknownCoverageGivesNoFactsAndNamesTheFeed) {
    auto t = tiny_tracker(entry("CVE-1", "resolved", "2.0"));
    t.data_date = kAsOf;
    t.coverage = "excerpt";
    t.coverage_note = "1 source packages; complete for no release";
    FactSet fs = bookworm_host();
    enrich(fs, t, trusted(kev_with("CVE-1")));
    EXPECT_EQ(fs.find("vulns.open_cves"), nullptr);
    EXPECT_EQ(fs.find("vulns.critical_count"), nullptr);
    ASSERT_EQ(fs.issues().size(), 1u);
    const SourceIssue& i = fs.issues()[0];
    EXPECT_EQ(i.source, "t.json");
    EXPECT_EQ(i.collector, "debian-tracker");
    EXPECT_EQ(i.line, 0);
    EXPECT_FALSE(i.fatal);
    EXPECT_NE(i.message.find("Auszug/excerpt: the Debian security tracker feed covers only 1 "
                             "source packages"),
              std::string::npos)
        << i.message;
    EXPECT_NE(i.message.find("bookworm"), std::string::npos);
    // The issue names every vulns.* fact it withholds.
    EXPECT_EQ(i.explains,
              (std::vector<std::string>{"vulns.open_cves", "vulns.pending_cves", "vulns.high_count",
                                        "vulns.kev_cves", "vulns.critical_count"}));

    // An excerpt that covers bookworm completely is used for bookworm hosts only.
    t.complete_for = {"bookworm"};
    FactSet ok = bookworm_host();
    enrich(ok, t, trusted(kev_with("CVE-1")));
    EXPECT_EQ(std::get<StringList>(ok.find("vulns.kev_cves")->value), StringList{"CVE-1"});
    EXPECT_EQ(std::get<std::int64_t>(ok.find("vulns.critical_count")->value), 1);

    t.coverage.clear();  // nothing recorded
    t.complete_for.clear();
    FactSet unknown = bookworm_host();
    enrich(unknown, t, trusted(kev_with("CVE-1")));
    EXPECT_EQ(unknown.find("vulns.open_cves"), nullptr);
    ASSERT_EQ(unknown.issues().size(), 1u);
    EXPECT_NE(unknown.issues()[0].message.find("coverage unknown"), std::string::npos);
}

TEST(VulnFeed, StaleOrUndatedFeedsGiveNoVerdict) {
    auto t = trusted(tiny_tracker(entry("CVE-1", "resolved", "2.0")));
    t.data_date = Date{2026, 9, 1};  // 83 days before the Stichtag
    FactSet fs = bookworm_host();
    enrich(fs, t, trusted(kev_with("CVE-1")));
    EXPECT_EQ(fs.find("vulns.open_cves"), nullptr);
    ASSERT_EQ(fs.issues().size(), 1u);
    EXPECT_NE(fs.issues()[0].message.find("veraltet/stale: Debian security tracker data as of "
                                          "2026-09-01 is 83 days old at the Stichtag 2026-11-23 "
                                          "(limit 30 days"),
              std::string::npos)
        << fs.issues()[0].message;
    // Exactly at the limit: still current.
    t.data_date = Date{2026, 10, 24};
    FactSet edge = bookworm_host();
    enrich(edge, t, trusted(kev_with("CVE-1")));
    EXPECT_NE(edge.find("vulns.open_cves"), nullptr);

    t.data_date.reset();
    FactSet undated = bookworm_host();
    enrich(undated, t, trusted(kev_with("CVE-1")));
    EXPECT_EQ(undated.find("vulns.open_cves"), nullptr);
    EXPECT_NE(undated.issues()[0].message.find("data date unknown"), std::string::npos);

    // Current tracker, stale KEV: open CVEs and the high count, but no KEV verdict.
    t.data_date = kAsOf;
    KevCatalog kev = trusted(kev_with("CVE-1"));
    kev.data_date = Date{2025, 8, 25};
    FactSet stale_kev = bookworm_host();
    enrich(stale_kev, t, kev);
    EXPECT_EQ(std::get<StringList>(stale_kev.find("vulns.open_cves")->value), StringList{"CVE-1"});
    EXPECT_NE(stale_kev.find("vulns.high_count"), nullptr);
    EXPECT_EQ(stale_kev.find("vulns.kev_cves"), nullptr);
    EXPECT_EQ(stale_kev.find("vulns.critical_count"), nullptr);
    ASSERT_EQ(stale_kev.issues().size(), 1u);
    EXPECT_EQ(stale_kev.issues()[0].source, "kev/known_exploited_vulnerabilities.json");
    EXPECT_EQ(stale_kev.issues()[0].explains,
              (std::vector<std::string>{"vulns.kev_cves", "vulns.critical_count"}));
    EXPECT_NE(stale_kev.issues()[0].message.find("CISA KEV catalog data as of 2025-08-25 is 455 "
                                                 "days old"),
              std::string::npos)
        << stale_kev.issues()[0].message;

    KevCatalog excerpt_kev = kev_with("CVE-1");
    excerpt_kev.coverage = "excerpt";
    excerpt_kev.data_date = kAsOf;
    FactSet ex = bookworm_host();
    enrich(ex, t, excerpt_kev);
    EXPECT_EQ(ex.find("vulns.kev_cves"), nullptr);
    EXPECT_NE(ex.issues()[0].message.find("Auszug/excerpt"), std::string::npos);
}

// A CVE counts once: KEV-listed with urgency high is critical and not high as well.
TEST(VulnFeed, KevListedHighCountsOnlyAsCritical) {
    auto t = trusted(tiny_tracker(entry("CVE-1", "resolved", "2.0", "high") + "," +
                                  entry("CVE-2", "resolved", "2.0", "high**") + "," +
                                  entry("CVE-3", "resolved", "2.0", "low") + "," +
                                  entry("CVE-4", "open", "", "high")));
    KevCatalog kev = trusted(kev_with("CVE-1"));
    kev.date_added["CVE-4"] = "2026-02-01";
    FactSet fs = bookworm_host();
    enrich(fs, t, kev);
    EXPECT_TRUE(fs.issues().empty());
    EXPECT_EQ(std::get<StringList>(fs.find("vulns.open_cves")->value),
              (StringList{"CVE-1", "CVE-2", "CVE-3"}));
    EXPECT_EQ(std::get<StringList>(fs.find("vulns.kev_cves")->value), StringList{"CVE-1"});
    EXPECT_EQ(std::get<std::int64_t>(fs.find("vulns.critical_count")->value), 1);
    EXPECT_EQ(std::get<std::int64_t>(fs.find("vulns.high_count")->value), 1);  // CVE-2 only
    EXPECT_EQ(fs.find("vulns.high_count")->provenance.excerpt.find("CVE-1"), std::string::npos);
    // KEV-listed without a fix: pending, named as KEV-listed, in no count.
    EXPECT_EQ(std::get<StringList>(fs.find("vulns.pending_cves")->value), StringList{"CVE-4"});
    EXPECT_NE(fs.find("vulns.pending_cves")->provenance.excerpt.find("(CVE-4), KEV-listed"),
              std::string::npos)
        << fs.find("vulns.pending_cves")->provenance.excerpt;
    EXPECT_NE(fs.find("vulns.critical_count")->provenance.excerpt.find("not counted"),
              std::string::npos);

    // Without a usable KEV catalog there is no critical verdict: the high count keeps CVE-1.
    FactSet nokev = bookworm_host();
    enrich(nokev, t, KevCatalog{});
    EXPECT_EQ(nokev.find("vulns.critical_count"), nullptr);
    EXPECT_EQ(std::get<std::int64_t>(nokev.find("vulns.high_count")->value), 2);
}

// A CVE open through one package and without a fix for another is open, not pending.
TEST(VulnFeed, OpenWinsOverPending) {
    auto t = parse_debian_tracker(
        R"({"a": {"CVE-1": {"releases": {"bookworm": {"status": "resolved", "fixed_version": "2.0", "urgency": "low"}}}},
            "b": {"CVE-1": {"releases": {"bookworm": {"status": "open", "urgency": "low"}}}}})",
        "t.json");
    ASSERT_TRUE(t.ok());
    FactSet fs;
    add_fact(fs, "os.id", std::string("debian"));
    add_fact(fs, "os.version", std::string("12"));
    add_fact(fs, "packages.manager", std::string("dpkg"));
    add_fact(fs, "packages", StringMap{{"a", "1.0"}, {"b", "1.0"}});
    enrich(fs, trusted(*t), trusted(kev_with("CVE-9")));
    EXPECT_EQ(std::get<StringList>(fs.find("vulns.open_cves")->value), StringList{"CVE-1"});
    EXPECT_TRUE(std::get<StringList>(fs.find("vulns.pending_cves")->value).empty());
}

TEST(VulnFeed, KevDataDateFromTheCatalog) {
    auto k = parse_kev(R"({"catalogVersion": "2025.08.25", "dateReleased": "2025-08-26T17:04:19Z",
                           "vulnerabilities": []})",
                       "k");
    ASSERT_TRUE(k.ok());
    EXPECT_EQ(k->data_date->iso(), "2025-08-26");
    auto v = parse_kev(R"({"catalogVersion": "2025.08.25", "vulnerabilities": []})", "k");
    EXPECT_EQ(v->data_date->iso(), "2025-08-25");  // fallback: catalogVersion
    auto none = parse_kev(R"({"vulnerabilities": []})", "k");
    EXPECT_FALSE(none->data_date.has_value());
}

TEST(VulnFeed, BrokenJsonAndMissingFiles) {
    auto bad = parse_debian_tracker("{\n  \"pkg\": {\n    \"CVE-1\": {,\n", "feeds/debian/x.json");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().file, "feeds/debian/x.json");
    EXPECT_EQ(bad.error().line, 3);
    EXPECT_NE(bad.error().message.find("invalid JSON"), std::string::npos);
    EXPECT_FALSE(parse_debian_tracker("[1, 2]", "x").ok());
    EXPECT_FALSE(parse_debian_tracker("{\"a\": {\"b\": 1}}", "x").ok());
    EXPECT_FALSE(parse_kev("{\"title\": \"x\"}", "k").ok());
    EXPECT_FALSE(parse_kev("{\"vulnerabilities\": [", "k").ok());
    auto missing = load_debian_tracker("/nonexistent/feeds/debian/security-tracker.json");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().file, "feeds/debian/security-tracker.json");
    EXPECT_FALSE(load_kev("/nonexistent/kev.json").ok());
}

TEST(DpkgSources, SourceFieldStripsVersion) {
    auto out = parse_dpkg_status(
        "Package: libssl3\nStatus: install ok installed\nSource: openssl (3.0.11-1~deb12u2)\n"
        "Version: 3.0.11-1~deb12u2+b1\n\n"
        "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n\n"
        "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nSource: glibc\n"
        "Version: 2.36-9\n\n"
        "Package: libc6\nStatus: install ok installed\nArchitecture: i386\nSource: glibc\n"
        "Version: 2.36-9\n\n"
        "Package: gone\nStatus: deinstall ok config-files\nSource: x\nVersion: 1\n");
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    const auto& s = std::get<StringMap>(find_fact(*out, "packages.sources")->value);
    EXPECT_EQ(s, (StringMap{{"libssl3", "openssl"},
                            {"bash", "bash"},
                            {"libc6", "glibc"},
                            {"libc6:i386", "glibc"}}));
}

TEST(DpkgSources, Debian12Fixture) {
    auto out =
        parse_fixture(testing::fixture("linux/debian12_var_lib_dpkg_status"), &parse_dpkg_status);
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    const auto& s = std::get<StringMap>(find_fact(*out, "packages.sources")->value);
    const auto& p = std::get<StringMap>(find_fact(*out, "packages")->value);
    EXPECT_EQ(s.size(), p.size());
    EXPECT_EQ(s.at("bash"), "bash");            // "Source: bash (5.2.15-2)"
    EXPECT_EQ(s.at("bsdutils"), "util-linux");  // "Source: util-linux (2.38.1-5+deb12u3)"
    EXPECT_EQ(s.at("libssl3"), "openssl");
    EXPECT_EQ(s.at("adduser"), "adduser");  // no Source field
}

}  // namespace
}  // namespace grundscan
