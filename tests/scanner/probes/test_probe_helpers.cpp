// Pure helpers of the live probes (no network).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "scanner/probes/web_probe.hpp"

using namespace grundscan;

namespace {

const LeakCheck& check_for(const std::string& path) {
    for (const auto& c : leak_checks())
        if (c.path == path) return c;
    static const LeakCheck none{};
    ADD_FAILURE() << "no leak check for " << path;
    return none;
}

}  // namespace

TEST(ProbeHelpers, HstsParsesMaxAgeAndIncludeSubDomains) {
    auto h = parse_hsts("max-age=63072000; includeSubDomains; preload");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->max_age, 63072000);
    EXPECT_TRUE(h->include_subdomains);

    h = parse_hsts(R"(  Max-Age="31536000" )");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->max_age, 31536000);
    EXPECT_FALSE(h->include_subdomains);

    EXPECT_EQ(parse_hsts("max-age=0")->max_age, 0);
    EXPECT_EQ(parse_hsts("max-age=99999999999999999999999")->max_age, INT64_MAX);
}

TEST(ProbeHelpers, HstsWithoutValidMaxAgeIsInvalid) {
    EXPECT_FALSE(parse_hsts(""));
    EXPECT_FALSE(parse_hsts("includeSubDomains"));
    EXPECT_FALSE(parse_hsts("max-age=abc"));
    EXPECT_FALSE(parse_hsts("max-age=-5"));
    EXPECT_FALSE(parse_hsts("max-age="));
    EXPECT_FALSE(parse_hsts("max-age=10; max-age=20"));  // RFC 6797: directives at most once
}

TEST(ProbeHelpers, SetCookieFlags) {
    auto c = parse_set_cookie("sid=h4rd3n3d; Path=/; Secure; HttpOnly; SameSite=Strict");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->name, "sid");
    EXPECT_TRUE(c->secure);
    EXPECT_TRUE(c->http_only);
    EXPECT_TRUE(c->same_site);

    c = parse_set_cookie("tracking=abc123; Path=/");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->name, "tracking");
    EXPECT_FALSE(c->secure);
    EXPECT_FALSE(c->http_only);
    EXPECT_FALSE(c->same_site);

    c = parse_set_cookie(" JSESSIONID = x=y ; secure;httponly; samesite=lax");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->name, "JSESSIONID");
    EXPECT_TRUE(c->secure && c->http_only && c->same_site);

    // A SameSite attribute without a valid value does not count.
    EXPECT_FALSE(parse_set_cookie("a=1; SameSite=")->same_site);
    EXPECT_FALSE(parse_set_cookie("a=1; SameSite=bogus")->same_site);
    // Cookie values may contain "Secure" without setting the flag.
    EXPECT_FALSE(parse_set_cookie("note=Secure")->secure);
}

TEST(ProbeHelpers, SetCookieWithoutNameIsRejected) {
    EXPECT_FALSE(parse_set_cookie(""));
    EXPECT_FALSE(parse_set_cookie("novalue"));
    EXPECT_FALSE(parse_set_cookie("=abc; Secure"));
}

TEST(ProbeHelpers, ServerBanner) {
    auto b = parse_server_banner("nginx/1.22.1 (Debian)");
    EXPECT_EQ(b.product, "nginx");
    EXPECT_EQ(b.version, "1.22.1");

    b = parse_server_banner("Apache/2.4.57 (Debian) OpenSSL/3.0.11");
    EXPECT_EQ(b.product, "apache");
    EXPECT_EQ(b.version, "2.4.57");

    b = parse_server_banner("Microsoft-IIS/10.0");
    EXPECT_EQ(b.product, "microsoft-iis");
    EXPECT_EQ(b.version, "10.0");

    b = parse_server_banner("Apache");
    EXPECT_EQ(b.product, "apache");
    EXPECT_EQ(b.version, "");

    b = parse_server_banner("nginx");
    EXPECT_EQ(b.product, "nginx");
    EXPECT_EQ(b.version, "");

    b = parse_server_banner("PHP/8.2.7");  // X-Powered-By
    EXPECT_EQ(b.product, "php");
    EXPECT_EQ(b.version, "8.2.7");

    b = parse_server_banner("Apache/Unix");  // not a version
    EXPECT_EQ(b.product, "apache");
    EXPECT_EQ(b.version, "");

    EXPECT_EQ(parse_server_banner("").product, "");
}

TEST(ProbeHelpers, LeakListIsBigAndUnique) {
    const auto& checks = leak_checks();
    EXPECT_GE(checks.size(), 15u);
    std::set<std::string> paths;
    for (const auto& c : checks) {
        EXPECT_EQ(c.path.front(), '/') << c.path;
        EXPECT_FALSE(c.signature.empty()) << c.path;
        EXPECT_FALSE(c.what.empty()) << c.path;
        EXPECT_TRUE(paths.insert(c.path).second) << "duplicate " << c.path;
        // Every signature compiles and does not match an empty or a typical HTML page.
        EXPECT_FALSE(leak_confirmed(c, "<html><body><h1>Willkommen</h1></body></html>", ""))
            << c.path;
    }
    for (const char* p : {"/.git/HEAD", "/.git/config", "/.env", "/server-status", "/phpinfo.php",
                          "/.DS_Store", "/backup.sql", "/.htpasswd", "/web.config",
                          "/WEB-INF/web.xml", "/actuator/env", "/manager/html"})
        EXPECT_TRUE(paths.count(p)) << p;
}

TEST(ProbeHelpers, LeakConfirmedBySignature) {
    EXPECT_TRUE(leak_confirmed(check_for("/.git/HEAD"), "ref: refs/heads/main\n", ""));
    EXPECT_FALSE(leak_confirmed(check_for("/.git/HEAD"), "<html>ref: refs/heads/main", ""));
    EXPECT_TRUE(
        leak_confirmed(check_for("/.git/config"), "[core]\n\trepositoryformatversion = 0\n", ""));
    EXPECT_TRUE(leak_confirmed(check_for("/.env"), "# settings\nDB_PASSWORD=geheim\n", ""));
    EXPECT_FALSE(leak_confirmed(check_for("/.env"), "<!doctype html><p>a=b</p>", ""));
    EXPECT_TRUE(leak_confirmed(check_for("/.DS_Store"),
                               std::string("\x00\x00\x00\x01"
                                           "Bud1\x00\x00\x10",
                                           11),
                               ""));
    EXPECT_TRUE(leak_confirmed(check_for("/backup.sql"), "-- MySQL dump 10.13\n", ""));
    EXPECT_TRUE(leak_confirmed(check_for("/.htpasswd"), "admin:$apr1$abc$def\n", ""));
    EXPECT_TRUE(leak_confirmed(check_for("/.svn/entries"), "12\n", ""));
    EXPECT_FALSE(leak_confirmed(check_for("/.svn/entries"), "12 Ergebnisse\n", ""));
    EXPECT_TRUE(leak_confirmed(check_for("/server-status"),
                               "<title>Apache Status</title><h1>Apache Server Status for x</h1>",
                               ""));
}

TEST(ProbeHelpers, LeakNotConfirmedWhenBodyIsTheSoft404Page) {
    const std::string page = "ref: refs/heads/main\n";  // a site answering this for every path
    EXPECT_FALSE(leak_confirmed(check_for("/.git/HEAD"), page, page));
    EXPECT_TRUE(leak_confirmed(check_for("/.git/HEAD"), page, "<html>Seite nicht gefunden</html>"));
    EXPECT_FALSE(leak_confirmed(check_for("/.git/HEAD"), "", ""));
}

TEST(ProbeHelpers, RiskyPortsHaveServiceNames) {
    std::set<int> ports;
    for (const auto& p : risky_ports()) {
        EXPECT_GT(p.port, 0);
        EXPECT_LT(p.port, 65536);
        EXPECT_FALSE(p.service.empty());
        EXPECT_TRUE(ports.insert(p.port).second) << "duplicate " << p.port;
    }
    for (int p : {23, 445, 3389, 21, 3306, 5900}) EXPECT_TRUE(ports.count(p)) << p;
    EXPECT_FALSE(ports.count(443));
}
