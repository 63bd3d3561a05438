#include "scanner/enrich/software_eol.hpp"

#include <gtest/gtest.h>

#include "tests/test_support.hpp"

using namespace grundscan;

namespace {

const EolFeed& shipped_feed() {
    static const EolFeed feed =
        load_eol_feed(grundscan::testing::source_dir() / "feeds" / "endoflife");
    return feed;
}

const Date kAsOf{2026, 11, 15};

// Product and preferred cycle of a package, or "" when it is not tracked.
std::string map_package(const std::string& name, const std::string& version) {
    auto r = software_from_package(name, version);
    return r ? r->product + " " + r->cycles.front() : std::string();
}

FactSet host(StringMap packages, std::string os_phase = "", std::string os_id = "debian",
             std::string os_cycle = "12") {
    FactSet f;
    f.add(Fact{"packages", std::move(packages), {}, 0});
    f.add(Fact{"packages.manager", std::string("dpkg"), {}, 0});
    if (!os_phase.empty()) {
        f.add(Fact{"os.id", os_id, {}, 0});
        f.add(Fact{"os.version", os_cycle, {}, 0});
        f.add(Fact{"os.eol_cycle", os_cycle, {}, 0});
        f.add(Fact{"os.support_phase", os_phase, {}, 0});
        f.add(Fact{"os.eol_date", std::string("2026-07-11"), {}, 0});
        f.add(Fact{"os.extended_support_until", std::string("2028-06-30"), {}, 0});
    }
    return f;
}

FactSet banner(std::string product, std::string version, std::string text = "") {
    FactSet f;
    f.add(Fact{"http.server_product", product, {}, 0});
    f.add(Fact{"http.server_version", version, {}, 0});
    if (!text.empty()) f.add(Fact{"http.server_banner", text, {}, 0});
    return f;
}

StringList list_fact(const FactSet& f, const std::string& name) {
    const Fact* fact = f.find(name);
    EXPECT_NE(fact, nullptr) << name;
    return fact ? std::get<StringList>(fact->value) : StringList{};
}

}  // namespace

TEST(SoftwareEol, MapsPackageNamesAndVersionsToFeedCycles) {
    EXPECT_EQ(map_package("nginx", "1.22.1-9+deb12u1"), "nginx 1.22");
    EXPECT_EQ(map_package("nginx-core", "1.18.0-6ubuntu14.4"), "nginx 1.18");
    EXPECT_EQ(map_package("nginx", "1:1.20.1-14.el9_2.1"), "nginx 1.20");  // with epoch
    EXPECT_EQ(map_package("apache2", "2.4.57-2"), "apache-http-server 2.4");
    EXPECT_EQ(map_package("httpd", "2.4.62-1.el9"), "apache-http-server 2.4");
    EXPECT_EQ(map_package("php8.1-fpm", "8.1.2-1ubuntu2.14"), "php 8.1");
    EXPECT_EQ(map_package("php7.4-common", "1:7.4.33-1+deb11u5"), "php 7.4");
    EXPECT_EQ(map_package("php-common", "8.0.30-1.el9_2"), "php 8.0");  // RPM
    EXPECT_EQ(map_package("php-common", "2:93"), "");  // Debian php-defaults: no PHP version
    EXPECT_EQ(map_package("openssl", "1.1.1f-1ubuntu2.22"), "openssl 1.1.1");
    EXPECT_EQ(map_package("libssl3", "3.0.11-1~deb12u2"), "openssl 3.0");
    EXPECT_EQ(map_package("openssl-libs", "1:3.0.7-27.el9"), "openssl 3.0");
    EXPECT_EQ(map_package("libssl-dev", "3.0.11-1"), "");
    EXPECT_EQ(map_package("tomcat9", "9.0.70-2"), "tomcat 9");
    EXPECT_EQ(map_package("tomcat", "10.1.24-1.el10"), "tomcat 10.1");
    EXPECT_EQ(map_package("postgresql-13", "13.16-0+deb11u1"), "postgresql 13");
    EXPECT_EQ(map_package("postgresql-9.6", "9.6.24-0+deb9u1"), "postgresql 9.6");
    EXPECT_EQ(map_package("postgresql-server", "13.14-1.el9_3"), "postgresql 13");
    EXPECT_EQ(map_package("postgresql-client-15", "15.6-0+deb12u1"), "");
    EXPECT_EQ(map_package("libnginx-mod-http-geoip", "1.22.1-9"), "");
    EXPECT_EQ(map_package("bash", "5.2.15-2+b7"), "");
}

TEST(SoftwareEol, ThirdPartyRepositoriesAreNotDistributionPackages) {
    EXPECT_TRUE(software_from_package("nginx", "1.22.1-9")->distribution_package);
    EXPECT_FALSE(software_from_package("php8.1-fpm",
                                       "8.1.27-1+0~20240207.89+debian12~1.gbp9b0b1b"
                                       "+deb.sury.org+1")
                     ->distribution_package);
    EXPECT_FALSE(software_from_package("postgresql-13", "13.14-1.pgdg120+2")->distribution_package);
    EXPECT_FALSE(
        software_from_package("postgresql15-server", "15.6-1PGDG.rhel9")->distribution_package);
}

TEST(SoftwareEol, MapsBanners) {
    auto n = software_from_banner("nginx", "1.22.1");
    ASSERT_TRUE(n);
    EXPECT_EQ(n->product, "nginx");
    EXPECT_EQ(n->cycles.front(), "1.22");
    EXPECT_FALSE(n->distribution_package);
    EXPECT_EQ(software_from_banner("apache", "2.4.57")->cycles.front(), "2.4");
    EXPECT_FALSE(software_from_banner("microsoft-iis", "10.0"));
    EXPECT_FALSE(software_from_banner("nginx", ""));
}

TEST(SoftwareEol, BannerOnlyNginxPastEndOfLifeIsUnsupported) {
    FactSet f = banner("nginx", "1.22.1", "nginx/1.22.1");
    enrich_with_software_eol(f, shipped_feed(), kAsOf, 180);
    EXPECT_EQ(list_fact(f, "software.unsupported"), StringList{"nginx 1.22 (2023-04-11)"});
    EXPECT_TRUE(list_fact(f, "software.eol_soon").empty());
    const Fact* fact = f.find("software.unsupported");
    EXPECT_EQ(fact->provenance.source, "feeds/endoflife/nginx.md");
    EXPECT_EQ(fact->provenance.collector, "eol-feed");
    EXPECT_NE(fact->provenance.excerpt.find("nginx 1.22 (eol 2023-04-11)"), std::string::npos);
    EXPECT_GT(fact->provenance.line, 0);
}

TEST(SoftwareEol, DistributionPackageOnSupportedDistributionIsDistributionSupported) {
    FactSet f =
        host({{"nginx", "1.22.1-9+deb12u1"}, {"nginx-common", "1.22.1-9+deb12u1"}}, "extended");
    enrich_with_software_eol(f, shipped_feed(), kAsOf, 180);
    EXPECT_TRUE(list_fact(f, "software.unsupported").empty());
    EXPECT_TRUE(list_fact(f, "software.eol_soon").empty());
    const std::string& ex = f.find("software.unsupported")->provenance.excerpt;
    EXPECT_NE(ex.find("nginx 1.22 (eol 2023-04-11)"), std::string::npos) << ex;
    EXPECT_NE(ex.find("distribution-supported (debian 12, extended until 2028-06-30)"),
              std::string::npos)
        << ex;
}

TEST(SoftwareEol, DistributionPastEndOfLifeCountsUpstream) {
    FactSet f = host({{"nginx", "1.14.2-2+deb10u5"}, {"php7.3-fpm", "7.3.31-1~deb10u5"}}, "ended",
                     "debian", "10");
    enrich_with_software_eol(f, shipped_feed(), kAsOf, 180);
    EXPECT_EQ(list_fact(f, "software.unsupported"),
              (StringList{"nginx 1.14 (2019-04-23)", "php 7.3 (2021-12-06)"}));
    EXPECT_NE(f.find("software.unsupported")->provenance.excerpt.find("past its end of life"),
              std::string::npos);
}

TEST(SoftwareEol, ThirdPartyPackageUsesUpstreamDatesAndWarnsEarly) {
    // php 8.2 ends 2026-12-31: 46 days after the Stichtag, inside the 180-day window.
    FactSet f = host({{"php8.2-fpm", "8.2.20-1+0~20240607.43+debian12~1.gbpeb6a1b+deb.sury.org+1"}},
                     "regular");
    enrich_with_software_eol(f, shipped_feed(), kAsOf, 180);
    EXPECT_TRUE(list_fact(f, "software.unsupported").empty());
    EXPECT_EQ(list_fact(f, "software.eol_soon"), StringList{"php 8.2 (2026-12-31)"});
}

TEST(SoftwareEol, UnknownDistributionStatusIsNotGuessed) {
    FactSet f = host({{"nginx", "1.22.1-9"}});  // no OS support facts
    enrich_with_software_eol(f, shipped_feed(), kAsOf, 180);
    EXPECT_EQ(f.find("software.unsupported"), nullptr);
    ASSERT_FALSE(f.issues().empty());
    EXPECT_FALSE(f.issues().back().fatal);
    EXPECT_NE(f.issues().back().message.find("support status is unknown"), std::string::npos);
}

TEST(SoftwareEol, SupportedSoftwareGivesEmptyListsAndUnknownSoftwareNoFacts) {
    FactSet ok = host({{"postgresql-16", "16.4-1"}}, "regular");
    enrich_with_software_eol(ok, shipped_feed(), kAsOf, 180);
    EXPECT_TRUE(list_fact(ok, "software.unsupported").empty());
    EXPECT_TRUE(list_fact(ok, "software.eol_soon").empty());

    FactSet none = host({{"bash", "5.2"}}, "regular");
    enrich_with_software_eol(none, shipped_feed(), kAsOf, 180);
    EXPECT_EQ(none.find("software.unsupported"), nullptr);
    EXPECT_EQ(none.find("software.eol_soon"), nullptr);

    // Tomcat: the shipped feed has no release cycles -> not judged, said as an issue.
    FactSet tomcat = host({{"tomcat9", "9.0.70-2"}}, "regular");
    enrich_with_software_eol(tomcat, shipped_feed(), kAsOf, 180);
    EXPECT_EQ(tomcat.find("software.unsupported"), nullptr);
    ASSERT_FALSE(tomcat.issues().empty());
    EXPECT_NE(tomcat.issues().back().message.find("tomcat 9"), std::string::npos);
}

TEST(SoftwareEol, PackageWinsOverBannerOfTheSameHost) {
    FactSet f = host({{"nginx", "1.22.1-9"}}, "regular");
    f.add(Fact{"http.server_product", std::string("nginx"), {}, 0});
    f.add(Fact{"http.server_version", std::string("1.22.1"), {}, 0});
    auto sw = identify_software(f);
    ASSERT_EQ(sw.size(), 1u);
    EXPECT_EQ(sw[0].origin, "package nginx");
}

TEST(SoftwareEol, RoadmapHasOsAndSoftwareSortedByEndOfLife) {
    FactSet f =
        host({{"nginx", "1.22.1-9"}, {"postgresql-16", "16.4-1"}, {"php8.2-cli", "8.2.20-1"}},
             "extended");
    auto r = roadmap_for_asset(f, shipped_feed(), kAsOf, "srv1", "Webserver");
    ASSERT_EQ(r.size(), 4u);
    EXPECT_EQ(r[0].product, "nginx");
    EXPECT_EQ(r[0].eol_date, "2023-04-11");
    EXPECT_EQ(r[0].phase, "extended");  // security fixes from Debian 12 (LTS)
    EXPECT_EQ(r[0].extended_until, "2028-06-30");
    EXPECT_EQ(r[1].product, "debian");
    EXPECT_EQ(r[1].cycle, "12");
    EXPECT_EQ(r[1].eol_date, "2026-07-11");
    EXPECT_EQ(r[2].product, "php");
    EXPECT_EQ(r[2].eol_date, "2026-12-31");
    EXPECT_EQ(r[2].phase, "regular");
    EXPECT_EQ(r[3].product, "postgresql");
    EXPECT_EQ(r[3].cycle, "16");
    for (const auto& e : r) {
        EXPECT_EQ(e.asset_id, "srv1");
        EXPECT_EQ(e.asset_name, "Webserver");
    }

    FactSet b = banner("nginx", "1.22.1");
    auto rb = roadmap_for_asset(b, shipped_feed(), kAsOf, "web", "Portal");
    ASSERT_EQ(rb.size(), 1u);
    EXPECT_EQ(rb[0].phase, "ended");
    EXPECT_EQ(rb[0].extended_until, "");
}

TEST(SoftwareEol, SortRoadmapPutsOpenEndedLast) {
    std::vector<RoadmapEntry> r{
        {"b", "B", "nginx", "1.30", "", "", "regular"},
        {"a", "A", "php", "8.3", "2027-12-31", "", "regular"},
        {"c", "C", "windows", "7-sp1", "2020-01-14", "2023-01-10", "ended"}};
    sort_roadmap(r);
    EXPECT_EQ(r[0].asset_id, "c");
    EXPECT_EQ(r[1].asset_id, "a");
    EXPECT_EQ(r[2].asset_id, "b");
}
