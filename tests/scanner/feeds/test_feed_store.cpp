// Feed store: sources file, content checks, state, status/staleness, and `feeds update` against
// a local python3 http.server on 127.0.0.1 (never the real feed URLs).
#include "scanner/enrich/windows_builds.hpp"
#include "scanner/feeds/feed_store.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "scanner/core/atomic_file.hpp"
#include "scanner/enrich/eol_feed.hpp"
#include "scanner/enrich/rhel_oval.hpp"
#include "scanner/enrich/vuln_feed.hpp"
#include "scanner/enrich/windows_builds.hpp"
#include "tests/test_support.hpp"

using namespace grundscan;
namespace fs = std::filesystem;

namespace {

fs::path feed_fixture(const std::string& rel) {
    return grundscan::testing::fixture("feeds/" + rel);
}

std::string slurp(const fs::path& p) {
    return grundscan::testing::read_bytes(p);
}

void spit(const fs::path& p, const std::string& s) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << s;
}

// A fresh temporary directory, removed on destruction.
struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "grundscan-feeds-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// A TCP port on 127.0.0.1 that was free a moment ago (nothing listens on it afterwards).
int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

bool can_connect(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

// python3 -m http.server on 127.0.0.1 serving a copy of tests/fixtures/feeds; stopped by PID.
class LocalFeedServer {
  public:
    LocalFeedServer() {
        fs::copy(feed_fixture(""), www.path,
                 fs::copy_options::recursive | fs::copy_options::overwrite_existing);
        port = free_port();
        std::string python = fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        std::string port_s = std::to_string(port), dir = www.path.string();
        pid_ = ::fork();
        if (pid_ == 0) {
            std::freopen("/dev/null", "w", stderr);
            std::freopen("/dev/null", "w", stdout);
            ::execlp(python.c_str(), python.c_str(), "-m", "http.server", port_s.c_str(), "--bind",
                     "127.0.0.1", "--directory", dir.c_str(), nullptr);
            ::_exit(127);
        }
        for (int i = 0; i < 200 && !can_connect(port); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
        ::setenv("no_proxy", "127.0.0.1,localhost", 1);
    }
    ~LocalFeedServer() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    LocalFeedServer(const LocalFeedServer&) = delete;
    LocalFeedServer& operator=(const LocalFeedServer&) = delete;

    bool up() const { return can_connect(port); }
    std::string url(const std::string& rel) const {
        return "http://127.0.0.1:" + std::to_string(port) + "/" + rel;
    }
    // Replaces a served file and moves its mtime forward (http.server compares whole seconds).
    void serve(const std::string& rel, const std::string& content) const {
        fs::path p = www.path / rel;
        std::error_code ec;
        auto before = fs::last_write_time(p, ec);
        spit(p, content);
        auto t = fs::file_time_type::clock::now() + std::chrono::seconds(30);
        if (!ec) t = std::max(t, before + std::chrono::seconds(2));
        fs::last_write_time(p, t);
    }

    TempDir www;
    int port = 0;

  private:
    pid_t pid_ = -1;
};

FeedSource kev_source(
    const LocalFeedServer& s,
    const std::string& rel = "cisa-kev_known_exploited_vulnerabilities_excerpt.json") {
    return FeedSource{
        "cisa-kev",       "cisa-kev", s.url(rel), "kev/known_exploited_vulnerabilities.json",
        FeedFormat::Json, "",         ""};
}

FeedSource tracker_source(const LocalFeedServer& s) {
    return FeedSource{"debian-security-tracker",
                      "debian-security-tracker",
                      s.url("debian-security-tracker_excerpt.json"),
                      "debian/security-tracker.json",
                      FeedFormat::Json,
                      "",
                      ""};
}

FeedSource eol_source(const LocalFeedServer& s, const std::string& product) {
    return FeedSource{"endoflife-" + product,
                      "endoflife",
                      s.url("endoflife-api/" + product + ".json"),
                      "endoflife/" + product + ".api.json",
                      FeedFormat::EndoflifeApi,
                      "",
                      ""};
}

}  // namespace

// --- endoflife.date v0 API --------------------------------------------------------------------

TEST(EolApiJson, ParsesCyclesDatesAndBooleans) {
    auto p = parse_eol_api_json(slurp(feed_fixture("endoflife-api/debian.json")), "debian",
                                "feeds/endoflife/debian.api.json");
    ASSERT_TRUE(p) << p.error().describe();
    ASSERT_EQ(p->cycles.size(), 3u);
    const EolCycle* c = p->find("12");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->eol->iso(), "2026-07-11");
    EXPECT_EQ(c->extended->iso(), "2028-06-30");
    EXPECT_EQ(c->release_date->iso(), "2023-06-10");
    EXPECT_EQ(c->latest, "12.15");
    EXPECT_EQ(p->file, "feeds/endoflife/debian.api.json");

    auto n = parse_eol_api_json(slurp(feed_fixture("endoflife-api/nginx.json")), "nginx", "x");
    ASSERT_TRUE(n);
    EXPECT_TRUE(n->find("1.31")->eol_false);
    EXPECT_FALSE(n->find("1.31")->eol);
    EXPECT_FALSE(n->find("1.31")->extended);  // extendedSupport: false
    EXPECT_EQ(n->find("1.29")->eol->iso(), "2026-05-13");
}

TEST(EolApiJson, NumericCyclesAndEolTrue) {
    auto p = parse_eol_api_json(
        R"([{"cycle": 7, "eol": true}, {"cycle": "8", "eol": "2029-05-31",
             "extendedSupport": "2032-05-31"}, {"nocycle": 1}])",
        "rhel", "f");
    ASSERT_TRUE(p);
    ASSERT_EQ(p->cycles.size(), 2u);
    EXPECT_EQ(p->cycles[0].cycle, "7");
    EXPECT_FALSE(p->cycles[0].eol);
    EXPECT_FALSE(p->cycles[0].eol_false);
    EXPECT_EQ(p->find("8")->extended->iso(), "2032-05-31");
}

TEST(EolApiJson, RejectsCorruptAndWrongShape) {
    auto t = parse_eol_api_json(R"([{"cycle": "12", "eol": "2026-)", "debian", "f");
    ASSERT_FALSE(t);
    EXPECT_NE(t.error().message.find("invalid JSON"), std::string::npos);
    auto o = parse_eol_api_json(slurp(feed_fixture("corrupt/endoflife-not-array.json")), "x", "f");
    ASSERT_FALSE(o);
    EXPECT_NE(o.error().message.find("no JSON array"), std::string::npos);
    EXPECT_FALSE(parse_eol_api_json(R"([{"name": "x"}])", "x", "f"));
}

TEST(EolApiJson, LoadEolFeedReadsApiFilesAndNewerFileWins) {
    TempDir tmp;
    fs::path dir = tmp.path / "feeds" / "endoflife";
    fs::create_directories(dir);
    auto now = fs::file_time_type::clock::now();
    // debian: snapshot .md older than the API file -> API wins.
    fs::copy_file(feed_fixture("debian.md"), dir / "debian.md");
    fs::last_write_time(dir / "debian.md", now - std::chrono::hours(48));
    spit(dir / "debian.api.json", R"([{"cycle": "12", "eol": "2099-01-01"}])");
    // nginx: API file older than the snapshot .md -> snapshot wins.
    spit(dir / "nginx.api.json", R"([{"cycle": "1.31", "eol": "2001-01-01"}])");
    fs::last_write_time(dir / "nginx.api.json", now - std::chrono::hours(48));
    fs::copy_file(grundscan::testing::source_dir() / "feeds/endoflife/nginx.md", dir / "nginx.md");
    // windows-server: only an API file.
    spit(dir / "windows-server.api.json", R"([{"cycle": "2022", "eol": "2031-10-14"}])");
    // a corrupt API file gives a warning, not a failure.
    spit(dir / "php.api.json", R"([{"cycle": "8.3")");

    EolFeed feed = load_eol_feed(dir);
    ASSERT_NE(feed.find("debian"), nullptr);
    EXPECT_EQ(feed.find("debian")->file, "feeds/endoflife/debian.api.json");
    EXPECT_EQ(feed.find("debian")->find("12")->eol->iso(), "2099-01-01");
    EXPECT_EQ(feed.find("debian")->find("13"), nullptr);
    ASSERT_NE(feed.find("nginx"), nullptr);
    EXPECT_EQ(feed.find("nginx")->file, "feeds/endoflife/nginx.md");
    EXPECT_TRUE(feed.find("nginx")->find("1.31")->eol_false);
    ASSERT_NE(feed.find("windows-server"), nullptr);
    EXPECT_EQ(feed.find("windows-server")->find("2022")->eol->iso(), "2031-10-14");
    EXPECT_EQ(feed.find("debian.api"), nullptr);
    ASSERT_EQ(feed.warnings.size(), 1u);
    EXPECT_NE(feed.warnings[0].find("php.api.json"), std::string::npos);

    // The shipped snapshot (no API files) still loads as before.
    EolFeed shipped = load_eol_feed(grundscan::testing::source_dir() / "feeds/endoflife");
    EXPECT_NE(shipped.find("debian"), nullptr);
    EXPECT_NE(shipped.find("windows-server"), nullptr);
}

// --- sources file -----------------------------------------------------------------------------

TEST(FeedSources, ShippedSourcesFile) {
    auto s = load_feed_sources(grundscan::testing::source_dir() / "feeds/sources.yaml");
    ASSERT_TRUE(s) << s.error().describe();
    ASSERT_EQ(s->size(), 42u);  // 4 feeds, 14 endoflife products, 24 MSRC months
    EXPECT_EQ((*s)[0].name, "cisa-kev");
    EXPECT_EQ(
        (*s)[0].url,
        "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json");
    EXPECT_EQ((*s)[0].target, "kev/known_exploited_vulnerabilities.json");
    EXPECT_EQ((*s)[1].kind, "debian-security-tracker");
    EXPECT_EQ((*s)[1].url, "https://security-tracker.debian.org/tracker/data/json");
    EXPECT_EQ((*s)[1].target, "debian/security-tracker.json");
    EXPECT_EQ((*s)[3].name, "redhat-oval-rhel9");
    EXPECT_EQ((*s)[3].kind, "redhat-oval");
    EXPECT_EQ((*s)[3].format, FeedFormat::OvalBz2);
    EXPECT_EQ((*s)[3].url,
              "https://security.access.redhat.com/data/oval/v2/RHEL9/rhel-9.oval.xml.bz2");
    EXPECT_EQ((*s)[3].target, "redhat/rhel-9.oval.xml");
    std::set<std::string> products;
    for (const auto& f : *s) {
        if (f.kind != "endoflife") continue;
        EXPECT_EQ(f.format, FeedFormat::EndoflifeApi);
        products.insert(f.name);
    }
    for (const char* p : {"windows", "windows-server", "debian", "ubuntu", "rhel", "sles", "nginx",
                          "apache-http-server", "php", "openssl", "tomcat", "postgresql",
                          "mssqlserver", "msexchange"})
        EXPECT_TRUE(products.count(std::string("endoflife-") + p)) << p;
    for (const auto& f : *s)
        if (f.name == "endoflife-debian") {
            EXPECT_EQ(f.url, "https://endoflife.date/api/debian.json");
            EXPECT_EQ(f.target, "endoflife/debian.api.json");
        }
    // MSRC months are counted back from the last update Tuesday before the given day.
    auto nov = load_feed_sources(grundscan::testing::source_dir() / "feeds/sources.yaml",
                                 Date{2026, 11, 23});
    ASSERT_TRUE(nov);
    const auto& last = nov->back();
    EXPECT_EQ(last.name, "msrc-cvrf-2026-Nov");
    EXPECT_EQ(last.kind, "windows-builds");
    EXPECT_EQ(last.format, FeedFormat::MsrcCvrf);
    EXPECT_EQ(last.url, "https://api.msrc.microsoft.com/cvrf/v3.0/cvrf/2026-Nov");
    EXPECT_EQ(last.target, "windows/cvrf-2026-Nov.json");
    EXPECT_EQ((*nov)[18].name, "msrc-cvrf-2024-Dec");
}

TEST(FeedSources, MsrcMonthsStartTheDayAfterTheUpdateTuesday) {
    // November 2026: the second Tuesday is the 10th; MSRC publishes that afternoon (UTC).
    EXPECT_EQ(msrc_months(Date{2026, 11, 10}, 2),
              (std::vector<std::string>{"2026-Sep", "2026-Oct"}));
    EXPECT_EQ(msrc_months(Date{2026, 11, 11}, 2),
              (std::vector<std::string>{"2026-Oct", "2026-Nov"}));
    // January 2025: the second Tuesday is the 14th; up to it, back into last year.
    EXPECT_EQ(msrc_months(Date{2025, 1, 14}, 3),
              (std::vector<std::string>{"2024-Oct", "2024-Nov", "2024-Dec"}));
    EXPECT_EQ(msrc_months(Date{2024, 10, 9}, 1), (std::vector<std::string>{"2024-Oct"}));
    // A month whose first day is a Tuesday: second Tuesday is the 8th (October 2024).
    EXPECT_EQ(msrc_months(Date{2024, 10, 8}, 1), (std::vector<std::string>{"2024-Sep"}));
}

TEST(FeedSources, RejectsBadEntries) {
    auto bad = [](const std::string& yaml) {
        auto r = parse_feed_sources(yaml, "s.yaml");
        return r ? std::string() : r.error().describe();
    };
    const std::string head = "feeds:\n  - name: a\n    url: https://x/a.json\n";
    EXPECT_EQ(bad(head + "    target: a.json\n"), "");
    EXPECT_NE(bad(head + "    target: ../a.json\n").find("target"), std::string::npos);
    EXPECT_NE(bad(head + "    target: /etc/a.json\n").find("target"), std::string::npos);
    EXPECT_NE(bad(head + "    target: a.json\n    format: xml\n").find("format"),
              std::string::npos);
    EXPECT_NE(bad(head + "    target: a.json\n    sha256: abc\n").find("sha256"),
              std::string::npos);
    EXPECT_NE(bad(head + "    target: a.json\n    colour: red\n").find("s.yaml:5"),
              std::string::npos);
    EXPECT_NE(bad("feeds:\n  - name: a\n    url: file:///etc/passwd\n    target: a\n").find("url"),
              std::string::npos);
    EXPECT_NE(
        bad(head + "    target: a.json\n" + "  - name: a\n    url: https://y\n    target: b\n")
            .find("duplicate"),
        std::string::npos);
    EXPECT_NE(bad("msrc:\n  url: https://m/cvrf\n  target: w/{month}.json\n  months: 2\n")
                  .find("{month}"),
              std::string::npos);
    EXPECT_NE(bad("msrc:\n  url: https://m/{month}\n  target: w/{month}.json\n  months: 0\n")
                  .find("months"),
              std::string::npos);
    EXPECT_NE(bad("msrc:\n  url: https://m/{month}\n  target: ../{month}.json\n  months: 1\n")
                  .find("target"),
              std::string::npos);
    EXPECT_NE(bad("endoflife:\n  url: https://e/x.json\n  target: e/{product}\n  products: [a]\n")
                  .find("{product}"),
              std::string::npos);
    EXPECT_NE(bad(head + "    target: a.json\n    coverage: partial\n").find("coverage"),
              std::string::npos);
    auto excerpt = parse_feed_sources(head + "    target: a.json\n    coverage: excerpt\n", "s");
    ASSERT_TRUE(excerpt.ok());
    EXPECT_EQ((*excerpt)[0].coverage, "excerpt");
    EXPECT_EQ((*parse_feed_sources(head + "    target: a.json\n", "s"))[0].coverage, "complete");
    EXPECT_NE(bad("feeds: [\n").find("invalid YAML"), std::string::npos);
    EXPECT_NE(bad("other: 1\n").find("unknown key"), std::string::npos);
}

// --- content checks ---------------------------------------------------------------------------

TEST(FeedValidation, KevTrackerAndEndoflife) {
    FeedSource kev{"cisa-kev", "cisa-kev", "u", "kev/k.json", FeedFormat::Json, "", ""};
    FeedSource tracker{"t", "debian-security-tracker", "u", "t.json", FeedFormat::Json, "", ""};
    FeedSource eol{"e", "endoflife", "u", "endoflife/x.api.json", FeedFormat::EndoflifeApi, "", ""};
    FeedSource md{"m", "endoflife", "u", "endoflife/x.md", FeedFormat::Markdown, "", ""};
    std::string kev_text =
        slurp(feed_fixture("cisa-kev_known_exploited_vulnerabilities_excerpt.json"));
    std::string tracker_text = slurp(feed_fixture("debian-security-tracker_excerpt.json"));
    EXPECT_TRUE(validate_feed_content(kev, kev_text));
    EXPECT_FALSE(validate_feed_content(
        kev, slurp(feed_fixture("corrupt/known_exploited_vulnerabilities.json"))));
    EXPECT_FALSE(validate_feed_content(kev, slurp(feed_fixture("corrupt/not-kev.json"))));
    EXPECT_FALSE(validate_feed_content(kev, tracker_text));
    EXPECT_TRUE(validate_feed_content(tracker, tracker_text));
    EXPECT_FALSE(validate_feed_content(tracker, kev_text));  // "title" is a string, not a package
    EXPECT_FALSE(validate_feed_content(tracker, "[]"));
    EXPECT_TRUE(validate_feed_content(eol, slurp(feed_fixture("endoflife-api/debian.json"))));
    EXPECT_FALSE(validate_feed_content(eol, "[]"));
    EXPECT_FALSE(
        validate_feed_content(eol, slurp(feed_fixture("corrupt/endoflife-not-array.json"))));
    EXPECT_TRUE(validate_feed_content(md, slurp(feed_fixture("debian.md"))));
    EXPECT_FALSE(validate_feed_content(md, "<html>moved</html>"));
}

TEST(FeedValidation, Sha256) {
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// --- status and staleness ---------------------------------------------------------------------

FeedInfo feed(const std::string& name, const std::string& version, const std::string& data_date) {
    FeedInfo f;
    f.name = name;
    f.version = version;
    f.source = "u";
    f.data_date = data_date;
    f.data_date_basis = "test";
    return f;
}

TEST(FeedStatus, StaleWarnings) {
    Date today{2026, 3, 31};
    std::vector<FeedInfo> feeds{feed("cisa-kev", "2026.03.30", "2026-03-30"),
                                feed("endoflife", "14 products", "2026-01-01"),
                                feed("debian-security-tracker", "", "")};
    EXPECT_EQ(*feed_age_days(feeds[0], today), 1);
    auto w = stale_feed_warnings(feeds, 30, today);
    ASSERT_EQ(w.size(), 2u);
    EXPECT_NE(w[0].find("endoflife veraltet/stale: data as of 2026-01-01 (test), 89 days old"),
              std::string::npos)
        << w[0];
    EXPECT_NE(w[1].find("debian-security-tracker fehlt/missing"), std::string::npos);
    EXPECT_EQ(stale_feed_warnings(feeds, 100, today).size(), 1u);
    EXPECT_TRUE(stale_feed_warnings({feeds[0]}, 1, today).empty());  // exactly max age: ok

    // Present without a known data date; a failed last update.
    FeedInfo undated = feed("debian-security-tracker", "unknown", "");
    undated.last_error = "HTTP 404 from http://127.0.0.1/x";
    auto u = stale_feed_warnings({undated}, 30, today);
    ASSERT_EQ(u.size(), 2u);
    EXPECT_NE(u[0].find("Datenstand unbekannt/data date unknown"), std::string::npos);
    EXPECT_NE(u[1].find("last update failed: HTTP 404"), std::string::npos);
}

TEST(FeedStatus, HttpDates) {
    EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT")->iso(), "1994-11-06");
    EXPECT_EQ(parse_http_date("Thu, 3 Dec 2026 17:13:25 GMT")->iso(), "2026-12-03");
    EXPECT_FALSE(parse_http_date("").has_value());
    EXPECT_FALSE(parse_http_date("yesterday").has_value());
    EXPECT_FALSE(parse_http_date("Sun, 31 Feb 2026 00:00:00 GMT").has_value());
}

// After a fresh clone every file has a new modification time: the age still comes from the data.
TEST(FeedStatus, ShippedSnapshotShowsItsTrueAgeWhateverTheMtimes) {
    TempDir tmp;
    fs::copy(grundscan::testing::source_dir() / "feeds", tmp.path / "feeds",
             fs::copy_options::recursive);
    for (const auto& e : fs::recursive_directory_iterator(tmp.path / "feeds"))
        if (e.is_regular_file()) fs::last_write_time(e.path(), fs::file_time_type::clock::now());
    auto feeds = describe_feeds(tmp.path / "feeds", 30);
    ASSERT_EQ(feeds.size(), 5u);
    EXPECT_EQ(feeds[0].name, "endoflife");
    EXPECT_EQ(feeds[0].version, "13 products");
    EXPECT_EQ(feeds[0].data_date, "2026-08-22");  // commit date of the copied repositories
    EXPECT_EQ(feeds[0].coverage, "complete");
    EXPECT_EQ(feeds[1].name, "cisa-kev");
    EXPECT_EQ(feeds[1].data_date, "2025-08-25");
    EXPECT_EQ(feeds[1].data_date_basis, "KEV dateReleased");
    EXPECT_EQ(feeds[1].coverage, "complete");
    EXPECT_EQ(feeds[2].name, "debian-security-tracker");
    EXPECT_EQ(feeds[2].data_date, "2024-07-01");
    EXPECT_EQ(feeds[2].coverage, "excerpt");
    EXPECT_TRUE(feeds[2].complete_for.empty());
    EXPECT_NE(feeds[2].coverage_note.find("7 source packages"), std::string::npos)
        << feeds[2].coverage_note;
    EXPECT_EQ(feeds[3].name, "windows-builds");
    EXPECT_EQ(feeds[3].data_date, "2025-10-14");
    EXPECT_EQ(feeds[3].data_date_basis, "newest release in the build table");
    EXPECT_EQ(feeds[3].coverage, "excerpt");
    EXPECT_EQ(feeds[4].name, "redhat-oval");
    EXPECT_EQ(feeds[4].version, "RHEL 9");
    EXPECT_EQ(feeds[4].data_date, "2024-01-18");  // generator timestamp inside the file
    EXPECT_EQ(feeds[4].coverage, "excerpt");
    EXPECT_TRUE(feeds[4].complete_for.empty());
    for (const auto& f : feeds) {
        EXPECT_TRUE(f.updated.empty()) << f.name;  // never updated with `feeds update`
        EXPECT_EQ(f.max_age_days, 30);
    }
    Date day{2026, 12, 3};
    EXPECT_EQ(*feed_age_days(feeds[1], day), 465);
    auto w = stale_feed_warnings(feeds, 30, day);
    ASSERT_EQ(w.size(), 5u);  // every shipped feed is older than 30 days on that day
    EXPECT_NE(w[1].find("cisa-kev veraltet/stale: data as of 2025-08-25 (KEV dateReleased), 465 "
                        "days old"),
              std::string::npos)
        << w[1];

    // The tracker excerpt covers no release: no vulnerability facts for a Debian host.
    DebianTracker tracker;
    KevCatalog kev;
    apply_feed_info(feeds, tracker, kev);
    EXPECT_EQ(tracker.coverage, "excerpt");
    EXPECT_EQ(tracker.data_date->iso(), "2024-07-01");
    EXPECT_EQ(kev.coverage, "complete");
    EXPECT_FALSE(feed_complete_for(feeds[2], "bookworm"));
    EXPECT_TRUE(feed_complete_for(feeds[1], "bookworm"));
}

TEST(FeedStatus, DescribesMissingFeeds) {
    TempDir tmp;
    fs::copy(grundscan::testing::source_dir() / "feeds/endoflife", tmp.path / "endoflife");
    fs::remove(tmp.path / "endoflife/snapshot.yaml");
    auto feeds = describe_feeds(tmp.path);
    ASSERT_EQ(feeds.size(), 4u);  // redhat-oval is listed only when present
    EXPECT_EQ(feeds[0].name, "endoflife");
    EXPECT_EQ(feeds[0].version, "13 products");
    // Without metadata: the newest past release date in the data of the oldest product.
    EXPECT_FALSE(feeds[0].data_date.empty());
    EXPECT_NE(feeds[0].data_date_basis.find("newest release date in the data"), std::string::npos)
        << feeds[0].data_date_basis;
    EXPECT_TRUE(feeds[0].coverage.empty());
    EXPECT_EQ(feeds[1].name, "cisa-kev");
    EXPECT_TRUE(feeds[1].version.empty());
    EXPECT_TRUE(feeds[1].data_date.empty());
    EXPECT_EQ(feeds[2].name, "debian-security-tracker");
    EXPECT_TRUE(feeds[2].data_date.empty());
    EXPECT_EQ(feeds[3].name, "windows-builds");
    EXPECT_TRUE(feeds[3].data_date.empty());
    EXPECT_EQ(stale_feed_warnings(feeds, 36500, today_utc()).size(), 3u);

    fs::copy(grundscan::testing::source_dir() / "feeds/windows", tmp.path / "windows");
    auto with_builds = describe_feeds(tmp.path);
    EXPECT_EQ(with_builds[3].version, "updates until 2025-10-14 (3 builds)");
    EXPECT_EQ(with_builds[3].source, "offline snapshot (feeds/SOURCE.md)");
}

// --- update against a local HTTP server -------------------------------------------------------

class FeedUpdate : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!server.up()) GTEST_SKIP() << "python3 http.server did not start";
        opts.timeout_s = 10;
    }
    LocalFeedServer server;
    TempDir feeds;
    FeedFetchOptions opts;
};

TEST_F(FeedUpdate, DownloadsThenNotModifiedAndDescribes) {
    std::vector<FeedSource> src{kev_source(server), tracker_source(server),
                                eol_source(server, "debian"), eol_source(server, "nginx")};
    auto r = update_feeds(feeds.path, src, opts);
    ASSERT_EQ(r.size(), 4u);
    for (const auto& x : r) EXPECT_EQ(x.outcome, FeedOutcome::Updated) << x.name << x.message;
    EXPECT_EQ(slurp(feeds.path / "kev/known_exploited_vulnerabilities.json"),
              slurp(feed_fixture("cisa-kev_known_exploited_vulnerabilities_excerpt.json")));
    EXPECT_TRUE(fs::exists(feeds.path / "endoflife/debian.api.json"));
    auto state = nlohmann::json::parse(slurp(feeds.path / ".state.json"));
    EXPECT_FALSE(state["feeds"]["cisa-kev"]["last_modified"].get<std::string>().empty());
    EXPECT_EQ(state["feeds"]["cisa-kev"]["url"], src[0].url);

    // Second run: If-Modified-Since -> 304, files untouched.
    auto r2 = update_feeds(feeds.path, src, opts);
    for (const auto& x : r2) EXPECT_EQ(x.outcome, FeedOutcome::NotModified) << x.name << x.message;

    EXPECT_EQ(state["feeds"]["debian-security-tracker"]["coverage"], "complete");

    auto info = describe_feeds(feeds.path);
    ASSERT_EQ(info.size(), 4u);
    info.pop_back();  // windows-builds: not fetched here
    EXPECT_EQ(info[0].version, "2 products");
    EXPECT_EQ(info[0].source, server.url("endoflife-api/<product>.json"));
    EXPECT_EQ(info[0].updated, today_utc().iso());
    EXPECT_EQ(info[0].coverage, "complete");
    EXPECT_EQ(info[1].version, "2025.08.25");
    EXPECT_EQ(info[1].source, src[0].url);
    EXPECT_EQ(info[1].updated, today_utc().iso());    // checked today ...
    EXPECT_EQ(info[1].data_date, "2025-08-25");       // ... but the catalog is old
    EXPECT_EQ(info[2].data_date, today_utc().iso());  // Last-Modified: the served file's mtime
    EXPECT_EQ(info[2].data_date_basis, "HTTP Last-Modified at download");
    EXPECT_EQ(info[2].coverage, "complete");
    auto stale = stale_feed_warnings(info, 30, today_utc());
    ASSERT_EQ(stale.size(), 1u);
    EXPECT_NE(stale[0].find("cisa-kev veraltet/stale: data as of 2025-08-25"), std::string::npos);
    EXPECT_TRUE(stale_feed_warnings(info, 36500, today_utc()).empty());

    // A fresh copy of the feed directory (new mtimes) keeps the data dates.
    TempDir copy;
    fs::copy(feeds.path, copy.path / "f", fs::copy_options::recursive);
    for (const auto& e : fs::recursive_directory_iterator(copy.path / "f"))
        if (e.is_regular_file())
            fs::last_write_time(e.path(),
                                fs::file_time_type::clock::now() + std::chrono::hours(24 * 400));
    auto copied = describe_feeds(copy.path / "f");
    EXPECT_EQ(copied[1].data_date, "2025-08-25");
    EXPECT_EQ(copied[2].data_date, info[2].data_date);
    EXPECT_EQ(copied[2].coverage, "complete");
    // A file that is no longer the recorded download: the record does not describe it.
    spit(copy.path / "f/debian/security-tracker.json", "{\"pkg\": {}}");
    auto changed = describe_feeds(copy.path / "f");
    EXPECT_TRUE(changed[2].coverage.empty());
    EXPECT_TRUE(changed[2].data_date.empty());

    EolFeed eol = load_eol_feed(feeds.path / "endoflife");
    ASSERT_NE(eol.find("debian"), nullptr);
    EXPECT_EQ(eol.find("debian")->find("12")->eol->iso(), "2026-07-11");
}

TEST_F(FeedUpdate, FailuresKeepTheOldFile) {
    std::vector<FeedSource> src{kev_source(server), eol_source(server, "debian")};
    ASSERT_EQ(update_feeds(feeds.path, src, opts)[0].outcome, FeedOutcome::Updated);
    fs::path kev = feeds.path / "kev/known_exploited_vulnerabilities.json";
    const std::string good = slurp(kev);

    // Truncated JSON served (newer mtime, so no 304).
    server.serve("cisa-kev_known_exploited_vulnerabilities_excerpt.json",
                 slurp(feed_fixture("corrupt/known_exploited_vulnerabilities.json")));
    server.serve("endoflife-api/debian.json",
                 slurp(feed_fixture("corrupt/endoflife-not-array.json")));
    auto r = update_feeds(feeds.path, src, opts);
    for (const auto& x : r) {
        EXPECT_EQ(x.outcome, FeedOutcome::Failed) << x.name;
        EXPECT_TRUE(x.old_kept);
        EXPECT_NE(x.message.find(x.url), std::string::npos) << x.message;
    }
    EXPECT_NE(r[0].message.find("invalid content"), std::string::npos) << r[0].message;
    EXPECT_EQ(slurp(kev), good);
    EXPECT_TRUE(parse_eol_api_json(slurp(feeds.path / "endoflife/debian.api.json"), "d", "f"));

    // 404.
    auto missing = kev_source(server, "no-such-file.json");
    auto r404 = update_feeds(feeds.path, {missing}, opts);
    EXPECT_EQ(r404[0].outcome, FeedOutcome::Failed);
    EXPECT_NE(r404[0].message.find("HTTP 404 from " + missing.url), std::string::npos)
        << r404[0].message;
    EXPECT_EQ(slurp(kev), good);

    // Closed port.
    FeedSource closed = kev_source(server);
    closed.url = "http://127.0.0.1:" + std::to_string(free_port()) + "/kev.json";
    auto rc = update_feeds(feeds.path, {closed}, opts);
    EXPECT_EQ(rc[0].outcome, FeedOutcome::Failed);
    EXPECT_NE(rc[0].message.find(closed.url), std::string::npos) << rc[0].message;
    EXPECT_EQ(slurp(kev), good);

    // The failure is recorded; the status still shows the last good check.
    auto state = nlohmann::json::parse(slurp(feeds.path / ".state.json"));
    EXPECT_TRUE(state["feeds"]["cisa-kev"].contains("last_error"));
    auto st = feed_status(feeds.path);
    EXPECT_FALSE(st[1].last_error.empty());
    EXPECT_EQ(st[1].info.last_error, st[1].last_error);
    EXPECT_EQ(st[1].info.version, "2025.08.25");
    bool failed_warning = false;
    for (const auto& w : stale_feed_warnings(describe_feeds(feeds.path), 36500, today_utc()))
        failed_warning =
            failed_warning || w.starts_with(
                                  "Feed cisa-kev: letzte Aktualisierung fehlgeschlagen/last "
                                  "update failed: ");
    EXPECT_TRUE(failed_warning);
}

TEST_F(FeedUpdate, ExcerptSourceIsRecordedAsExcerpt) {
    FeedSource t = tracker_source(server);
    t.coverage = "excerpt";
    ASSERT_EQ(update_feeds(feeds.path, {t}, opts)[0].outcome, FeedOutcome::Updated);
    auto info = describe_feeds(feeds.path);
    EXPECT_EQ(info[2].coverage, "excerpt");
    EXPECT_FALSE(feed_complete_for(info[2], "bookworm"));
}

TEST_F(FeedUpdate, Checksums) {
    const std::string rel = "cisa-kev_known_exploited_vulnerabilities_excerpt.json";
    FeedSource ok = kev_source(server);
    ok.sha256_url = server.url(rel + ".sha256");
    auto r = update_feeds(feeds.path, {ok}, opts);
    EXPECT_EQ(r[0].outcome, FeedOutcome::Updated) << r[0].message;

    fs::path kev = feeds.path / "kev/known_exploited_vulnerabilities.json";
    const std::string good = slurp(kev);
    // Served file changes, checksum does not: mismatch, old file kept.
    std::string changed = good;
    changed.insert(changed.find("\"count\""), "\"x\": 1, ");
    server.serve(rel, changed);
    r = update_feeds(feeds.path, {ok}, opts);
    EXPECT_EQ(r[0].outcome, FeedOutcome::Failed);
    EXPECT_NE(r[0].message.find("checksum mismatch for " + ok.url), std::string::npos)
        << r[0].message;
    EXPECT_EQ(slurp(kev), good);

    FeedSource fixed = kev_source(server);
    fixed.sha256 = sha256_hex(changed);
    r = update_feeds(feeds.path, {fixed}, opts);
    EXPECT_EQ(r[0].outcome, FeedOutcome::Updated) << r[0].message;
    EXPECT_EQ(slurp(kev), changed);

    FeedSource no_sum = kev_source(server);
    no_sum.sha256_url = server.url("missing.sha256");
    server.serve(rel, good);
    r = update_feeds(feeds.path, {no_sum}, opts);
    EXPECT_EQ(r[0].outcome, FeedOutcome::Failed);
    EXPECT_NE(r[0].message.find("missing.sha256"), std::string::npos);
    EXPECT_EQ(slurp(kev), changed);
}

FeedSource msrc_source(const LocalFeedServer& s, const std::string& month) {
    return FeedSource{"msrc-cvrf-" + month,
                      "windows-builds",
                      s.url("msrc/" + month + ".json"),
                      "windows/cvrf-" + month + ".json",
                      FeedFormat::MsrcCvrf,
                      "",
                      ""};
}

TEST_F(FeedUpdate, MsrcCvrfIsStoredAsBuildTable) {
    std::vector<FeedSource> src{msrc_source(server, "2024-Oct")};
    auto r = update_feeds(feeds.path, src, opts);
    ASSERT_EQ(r[0].outcome, FeedOutcome::Updated) << r[0].message;
    fs::path stored = feeds.path / "windows/cvrf-2024-Oct.json";
    // Stored converted: the compact table, smaller than the CVRF document.
    EXPECT_LT(fs::file_size(stored), fs::file_size(feed_fixture("msrc/2024-Oct.json")));
    WindowsBuildTable t = load_windows_builds(feeds.path / "windows");
    EXPECT_TRUE(t.warnings.empty());
    ASSERT_TRUE(t.builds.count(20348));
    EXPECT_EQ(t.builds.at(20348).back().kb, "KB5044281");
    EXPECT_EQ(t.builds.at(20348).back().file, "feeds/windows/cvrf-2024-Oct.json");
    EXPECT_EQ(update_feeds(feeds.path, src, opts)[0].outcome, FeedOutcome::NotModified);

    auto st = feed_status(feeds.path);
    ASSERT_EQ(st.size(), 4u);
    EXPECT_EQ(st[3].info.name, "windows-builds");
    EXPECT_EQ(st[3].info.version, "updates until 2024-10-08 (5 builds)");
    EXPECT_EQ(st[3].info.source, server.url("msrc/<YYYY-Mon>"));
    EXPECT_EQ(st[3].info.updated, today_utc().iso());
    EXPECT_EQ(st[3].info.data_date, "2024-10-08");  // newest release in the table

    // A cut-off document and a missing month keep what is there.
    const std::string good = slurp(stored);
    server.serve("msrc/2024-Oct.json", slurp(feed_fixture("msrc/2024-Oct.json")).substr(0, 900));
    auto cut = update_feeds(feeds.path, src, opts);
    EXPECT_EQ(cut[0].outcome, FeedOutcome::Failed);
    EXPECT_TRUE(cut[0].old_kept);
    EXPECT_NE(cut[0].message.find("invalid content from " + src[0].url), std::string::npos)
        << cut[0].message;
    EXPECT_EQ(slurp(stored), good);
    auto missing = update_feeds(feeds.path, {msrc_source(server, "2024-Nov")}, opts);
    EXPECT_EQ(missing[0].outcome, FeedOutcome::Failed);
    EXPECT_FALSE(fs::exists(feeds.path / "windows/cvrf-2024-Nov.json"));
}

// Red Hat OVAL: the .bz2 download is checked and stored unpacked; the scan then judges RHEL 9
// hosts with it (a `feeds update` download counts as complete).
TEST_F(FeedUpdate, RedhatOvalIsStoredUnpacked) {
    FeedSource oval{"redhat-oval-rhel9",
                    kFeedKindRedhatOval,
                    server.url("redhat-rhel-9.oval.xml.bz2"),
                    "redhat/rhel-9.oval.xml",
                    FeedFormat::OvalBz2,
                    "",
                    ""};
    auto r = update_feeds(feeds.path, {oval}, opts);
    ASSERT_EQ(r[0].outcome, FeedOutcome::Updated) << r[0].message;
    EXPECT_EQ(slurp(feeds.path / "redhat/rhel-9.oval.xml"),
              slurp(grundscan::testing::source_dir() / "feeds/redhat/rhel-9.oval.xml"));
    std::vector<std::string> errors;
    RhelOvalSet set = load_rhel_ovals(feeds.path / "redhat", errors);
    apply_rhel_feed_info(feeds.path, set);
    ASSERT_TRUE(set.by_release.contains("9"));
    EXPECT_EQ(set.by_release.at("9").coverage, "complete");
    auto st = feed_status(feeds.path);
    ASSERT_EQ(st.size(), 5u);
    EXPECT_EQ(st[4].info.name, "redhat-oval");
    EXPECT_EQ(st[4].info.version, "RHEL 9");
    EXPECT_EQ(st[4].info.data_date, "2024-01-18");
    EXPECT_EQ(st[4].info.coverage, "complete");
    EXPECT_EQ(st[4].info.source, oval.url);

    // Not bzip2 (e.g. an HTML error page with status 200): the old file stays.
    server.serve("redhat-rhel-9.oval.xml.bz2", "<html>maintenance</html>");
    auto bad = update_feeds(feeds.path, {oval}, opts);
    EXPECT_EQ(bad[0].outcome, FeedOutcome::Failed);
    EXPECT_NE(bad[0].message.find("bzip2"), std::string::npos) << bad[0].message;
    EXPECT_TRUE(bad[0].old_kept);
}

TEST_F(FeedUpdate, NoConditionalRequestWithoutTheOldFile) {
    std::vector<FeedSource> src{kev_source(server)};
    ASSERT_EQ(update_feeds(feeds.path, src, opts)[0].outcome, FeedOutcome::Updated);
    fs::remove(feeds.path / "kev/known_exploited_vulnerabilities.json");
    auto r = update_feeds(feeds.path, src, opts);
    EXPECT_EQ(r[0].outcome, FeedOutcome::Updated) << r[0].message;
    EXPECT_TRUE(fs::exists(feeds.path / "kev/known_exploited_vulnerabilities.json"));
}
