// The IT-Grundschutz-Check rows (reports/grundschutz_check.hpp) on a hand-built scan with the
// real BSI catalogue: every status, the Informationsverbund rows, kind filters, advisory rules,
// and the gscheck CSV (headers, BOM, AGS as given, formula injection).
#include "reports/grundschutz_check.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>

#include "reports/writer.hpp"
#include "rules/bsi_catalog.hpp"
#include "tests/reports/sample_scan.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using S = ResultState;

Rule check_rule(const std::string& id, std::vector<RequirementRef> refs, bool advisory = false) {
    Rule r;
    r.id = id;
    r.references = std::move(refs);
    r.module = r.references.front().id.substr(0, r.references.front().id.rfind(".A"));
    r.advisory = advisory;
    r.title = {"Titel " + id, "Title " + id};
    return r;
}

RequirementRef ref(const std::string& id, std::vector<std::string> kinds = {}) {
    return RequirementRef{id, {"prüft " + id, "checks " + id}, false, std::move(kinds), 0};
}

RuleResult res(const std::string& rule, S st, const std::string& msg) {
    return testing::result(rule, st, msg);
}

class GrundschutzCheckTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto catalog = BsiCatalog::load(testing::source_dir() / "rules" / "catalogs");
        ASSERT_TRUE(catalog) << catalog.error().describe();
        rules_ = {
            check_rule("R-A8", {ref("ORP.4.A8")}),
            check_rule("R-A13", {ref("ORP.4.A13")}),
            check_rule("R-A23", {ref("ORP.4.A23")}),
            check_rule("R-SYS-A", {ref("SYS.1.1.A6")}),
            check_rule("R-SYS-B", {ref("SYS.1.1.A6")}),
            check_rule("R-NA", {ref("SYS.1.1.A10")}),
            // Primary OPS.1.1.3.A15; SYS.2.1.A3 only for clients.
            check_rule("R-UPD", {ref("OPS.1.1.3.A15"), ref("SYS.2.1.A3", {"windows-client"})}),
            check_rule("R-ADV", {ref("SYS.1.1.A1")}, /*advisory=*/true),
            check_rule("R-WEB", {ref("APP.3.1.A12")}),
        };
        rules_.back().kinds = {"web-endpoint"};
        for (const auto& r : rules_) scan_.rules.push_back(&r);
        scan_.as_of = "2026-11-23";
        scan_.catalog = std::make_shared<const BsiCatalog>(std::move(*catalog));
        MunicipalityResult m;
        m.id = "musterstadt";
        m.name = "Musterstadt";
        m.ags = "09188000";
        AssetResult server;
        server.id = "srv-01";
        server.name = "Server 1";
        server.kind = "windows-server";
        RuleResult waived = res("R-A23", S::Waived, "Verlauf 5 < 24");
        waived.waiver =
            WaiverRef{"W-7", "Altsystem", "Bürgermeisterin", "2026-01-10", "2027-03-31", ""};
        RuleResult sys_a = res("R-SYS-A", S::Pass, "Dienste geprüft");
        sys_a.evidence.push_back(
            Evidence{"win.services", "3", {"exports/srv-01/sc.txt", 7, "", ""}});
        server.results = {res("R-A8", S::Pass, "geregelt"),
                          res("R-A13", S::Pass, "Sperre nach 5"),
                          waived,
                          sys_a,
                          res("R-SYS-B", S::NoEvidence, "keine Dienstliste"),
                          res("R-NA", S::NotApplicable, "kein Protokolldienst"),
                          res("R-UPD", S::Fail, "Updates fehlen"),
                          res("R-ADV", S::Fail, "Hinweis"),
                          res("R-WEB", S::NotApplicable, "gilt nicht für windows-server")};
        AssetResult client;
        client.id = "ws-02";
        client.name = "=HYPERLINK(\"x\")";
        client.kind = "windows-client";
        client.results = {res("R-A8", S::Pass, "geregelt"), res("R-A13", S::Fail, "keine Sperre"),
                          res("R-A23", S::NoEvidence, "kein Export"),
                          res("R-UPD", S::Pass, "aktuell")};
        m.assets = {server, client};
        scan_.municipalities = {m};
        rows_ = grundschutz_check_rows(scan_);
    }

    const CheckRow* row(const std::string& target_id, const std::string& req,
                        bool organisation = false) const {
        for (const auto& r : rows_)
            if (r.target_id == target_id && r.requirement == req && r.organisation == organisation)
                return &r;
        return nullptr;
    }

    std::vector<Rule> rules_;
    ScanResult scan_;
    std::vector<CheckRow> rows_;
};

TEST_F(GrundschutzCheckTest, AllPassIsJa) {
    const CheckRow* r = row("srv-01", "ORP.4.A8");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->status, CheckStatus::Yes);
    EXPECT_EQ(r->level, Level::Basis);
    EXPECT_EQ(r->title, "Regelung des Passwortgebrauchs");
    EXPECT_EQ(r->baustein, "ORP.4");
    EXPECT_EQ(r->date, "2026-11-23");
    EXPECT_EQ(r->ags, "09188000");
    EXPECT_EQ(check_row_rules(*r), std::vector<std::string>{"R-A8"});
    EXPECT_EQ(check_status_label(r->status, Lang::De), std::string("ja"));
    EXPECT_EQ(check_status_label(r->status, Lang::En), std::string("yes"));
}

TEST_F(GrundschutzCheckTest, PassAndFailOverTheVerbundIsTeilweise) {
    EXPECT_EQ(row("srv-01", "ORP.4.A13")->status, CheckStatus::Yes);
    EXPECT_EQ(row("ws-02", "ORP.4.A13")->status, CheckStatus::No);
    const CheckRow* org = row("musterstadt", "ORP.4.A13", true);
    ASSERT_NE(org, nullptr);
    EXPECT_EQ(org->status, CheckStatus::Partially);
    EXPECT_EQ(org->level, Level::Standard);
    EXPECT_EQ(org->target, "Musterstadt");
    EXPECT_TRUE(org->target_kind.empty());
    std::string reason = check_row_reason(*org, Lang::De);
    EXPECT_NE(reason.find("1 von 2 Prüfergebnissen erfüllt"), std::string::npos) << reason;
    EXPECT_NE(reason.find("R-A13 (Server 1): erfüllt: Sperre nach 5"), std::string::npos) << reason;
    EXPECT_NE(check_row_reason(*org, Lang::En).find("1 of 2 check results pass"),
              std::string::npos);
    EXPECT_EQ(check_status_label(CheckStatus::Partially, Lang::En), std::string("partially"));
}

TEST_F(GrundschutzCheckTest, AcceptedRiskIsNeinWithWaiverAndDate) {
    const CheckRow* r = row("srv-01", "ORP.4.A23");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->status, CheckStatus::No);
    std::string reason = check_row_reason(*r, Lang::De);
    EXPECT_NE(reason.find("Risiko akzeptiert: W-7, bis 2027-03-31"), std::string::npos) << reason;
    EXPECT_NE(check_row_reason(*r, Lang::En).find("Risk accepted: W-7, until 2027-03-31"),
              std::string::npos);
    // Over the Verbund: the accepted risk outweighs the client's missing evidence.
    EXPECT_EQ(row("musterstadt", "ORP.4.A23", true)->status, CheckStatus::No);
    EXPECT_EQ(row("srv-01", "OPS.1.1.3.A15")->status, CheckStatus::No);  // a plain fail
}

TEST_F(GrundschutzCheckTest, MissingEvidenceIsNichtGeprueftPartlyEvidenced) {
    const CheckRow* r = row("srv-01", "SYS.1.1.A6");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->status, CheckStatus::NotChecked);
    EXPECT_TRUE(r->automated);
    std::string reason = check_row_reason(*r, Lang::De);
    EXPECT_NE(reason.find("kein Nachweis oder Fehler bei 1 Prüfergebnis(sen); teilweise belegt "
                          "(1 erfüllt)"),
              std::string::npos)
        << reason;
    EXPECT_NE(reason.find("R-SYS-A: erfüllt: Dienste geprüft; Nachweis: exports/srv-01/sc.txt:7"),
              std::string::npos)
        << reason;
    EXPECT_EQ(row("ws-02", "ORP.4.A23")->status, CheckStatus::NotChecked);
    EXPECT_EQ(check_status_label(CheckStatus::NotChecked, Lang::De), std::string("nicht geprüft"));
}

TEST_F(GrundschutzCheckTest, OnlyNotApplicableIsEntbehrlich) {
    const CheckRow* r = row("srv-01", "SYS.1.1.A10");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->status, CheckStatus::Dispensable);
    EXPECT_EQ(check_row_reason(*r, Lang::De).rfind("nicht anwendbar: kein Protokolldienst", 0), 0u);
    EXPECT_EQ(check_status_label(r->status, Lang::En), std::string("dispensable"));
}

TEST_F(GrundschutzCheckTest, NoAutomatedCheckIsNichtGeprueftOrganisational) {
    // ISMS.1 of the organisation, SYS.1.1.A1 (only an advisory rule cites it: never counted).
    for (const CheckRow* r : {row("musterstadt", "ISMS.1.A1", true), row("srv-01", "SYS.1.1.A1")}) {
        ASSERT_NE(r, nullptr);
        EXPECT_EQ(r->status, CheckStatus::NotChecked);
        EXPECT_FALSE(r->automated);
        EXPECT_TRUE(r->evidence.empty());
        EXPECT_EQ(check_row_reason(*r, Lang::De),
                  "nicht automatisch prüfbar (organisatorisch), im Grundschutz-Check zu erheben");
        EXPECT_NE(check_row_reason(*r, Lang::En).find("not automatically checkable"),
                  std::string::npos);
    }
}

TEST_F(GrundschutzCheckTest, RowsFollowModelledBausteineKindsAndCatalogue) {
    // Informationsverbund rows first, then each system.
    ASSERT_FALSE(rows_.empty());
    EXPECT_TRUE(rows_.front().organisation);
    EXPECT_EQ(rows_.front().requirement, "ISMS.1.A1");
    for (const auto& r : rows_) {
        // Withdrawn requirements never appear; organisation rows hold organisation Bausteine.
        const Requirement* req = scan_.catalog->requirement(r.requirement);
        ASSERT_NE(req, nullptr) << r.requirement;
        EXPECT_FALSE(req->withdrawn) << r.requirement;
        if (r.organisation) {
            const auto& org = scan_.catalog->organisation_bausteine();
            EXPECT_NE(std::find(org.begin(), org.end(), r.baustein), org.end()) << r.baustein;
        }
    }
    EXPECT_EQ(row("srv-01", "SYS.1.1.A3"), nullptr);  // ENTFALLEN
    // Modelled for the server (SYS.1.1, SYS.1.2.3) plus what its results cite.
    EXPECT_NE(row("srv-01", "SYS.1.2.3.A1"), nullptr);
    EXPECT_NE(row("srv-01", "OPS.1.1.3.A15"), nullptr);
    EXPECT_NE(row("srv-01", "ORP.4.A8"), nullptr);
    // SYS.2.1.A3 only for clients: the server's failed R-UPD does not touch it.
    EXPECT_EQ(row("srv-01", "SYS.2.1.A3"), nullptr);
    const CheckRow* client = row("ws-02", "SYS.2.1.A3");
    ASSERT_NE(client, nullptr);
    EXPECT_EQ(client->status, CheckStatus::Yes);
    EXPECT_EQ(client->target_kind, "windows-client");
    // A rule for other kinds adds nothing (no "entbehrlich" web requirement on a server).
    EXPECT_EQ(row("srv-01", "APP.3.1.A12"), nullptr);
    // Advisory rules are no evidence anywhere.
    for (const auto& r : rows_)
        for (const auto& e : r.evidence) EXPECT_NE(e.result->rule_id, "R-ADV");
}

TEST_F(GrundschutzCheckTest, WithoutCatalogueOnlyCitedRequirements) {
    scan_.catalog.reset();
    auto rows = grundschutz_check_rows(scan_);
    ASSERT_FALSE(rows.empty());
    for (const auto& r : rows) {
        EXPECT_FALSE(r.organisation);
        EXPECT_FALSE(r.evidence.empty()) << r.requirement;
        EXPECT_TRUE(r.title.empty());
    }
}

TEST_F(GrundschutzCheckTest, CsvHasBomHeadersAndSafeFields) {
    std::string de = grundschutz_check_csv(scan_, Lang::De);
    ASSERT_EQ(de.rfind("\xEF\xBB\xBF", 0), 0u);
    EXPECT_EQ(de.substr(3, de.find("\r\n") - 3),
              "Kommune;AGS;Zielobjekt;Zielobjekt-Typ;Baustein;Anforderung;Titel;Stufe;Status;"
              "Begründung/Nachweis;Prüfregeln;Datum");
    EXPECT_NE(de.find("Musterstadt;09188000;Musterstadt;Informationsverbund;ISMS.1;ISMS.1.A1;"),
              std::string::npos);
    EXPECT_NE(de.find("Musterstadt;09188000;Server 1;windows-server;ORP.4;ORP.4.A8;Regelung des "
                      "Passwortgebrauchs;B;ja;\"alle 1 Prüfergebnisse erfüllt\nR-A8: erfüllt: "
                      "geregelt\";R-A8;2026-11-23\r\n"),
              std::string::npos);
    // The client's name is text from outside: never a formula.
    EXPECT_NE(de.find(";\"'=HYPERLINK(\"\"x\"\")\";windows-client;"), std::string::npos);
    EXPECT_EQ(de.find(";=HYPERLINK"), std::string::npos);
    std::string en = grundschutz_check_csv(scan_, Lang::En);
    EXPECT_NE(en.find("Municipality;AGS;Target object;Target type;Module;Requirement;Title;Level;"
                      "Status;Reason/evidence;Check rules;Date\r\n"),
              std::string::npos);
    EXPECT_NE(en.find(";information domain;"), std::string::npos);
    EXPECT_NE(en.find(";not checked;"), std::string::npos);
    // One line per row plus the header (reasons with line breaks are quoted).
    std::size_t records = 0;
    bool quoted = false;
    for (std::size_t i = 3; i < de.size(); ++i) {
        if (de[i] == '"') quoted = !quoted;
        if (!quoted && de.compare(i, 2, "\r\n") == 0) ++records;
    }
    EXPECT_EQ(records, rows_.size() + 1);
}

TEST_F(GrundschutzCheckTest, WriterIsRegisteredAndWritesTheCsv) {
    const ReportWriter* w = find_report_writer("gscheck");
    ASSERT_NE(w, nullptr);
    auto dir = testing::fresh_test_dir("grundscan-gscheck");
    std::filesystem::create_directories(dir);
    ReportOptions o;
    o.out_dir = dir;
    auto written = w->write(scan_, o);
    ASSERT_TRUE(written.ok()) << written.error().describe();
    ASSERT_EQ(written->size(), 1u);
    EXPECT_EQ((*written)[0], dir / "grundschutz-check.csv");
    EXPECT_EQ(testing::read_bytes((*written)[0]), grundschutz_check_csv(scan_, Lang::De));
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace grundscan
