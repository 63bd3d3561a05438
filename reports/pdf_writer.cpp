// PDF report for the council: pdf/<municipality-id>.pdf per municipality and pdf/verbund.pdf
// for the whole organisation. Rendered natively with cairo + pango (font "DejaVu Sans", which
// cairo embeds as a subset), A4, header and footer ("Seite X von Y") on every page.
//
// Page 1 of a municipality report is an executive summary a non-specialist understands in two
// minutes: score, traffic light (coloured circle plus its label, so it survives greyscale
// printing), what the score means, the trend, the five most important things to fix, counts and
// coverage. The following pages hold the details: results per Baustein, systems running out of
// support, accepted risks and the scoring method.
//
// Layout runs twice: the first pass only counts pages (output discarded), the second knows the
// total for "Seite X von Y". Both passes use the same surface type, so line breaks are identical.
// Everything from outside (inventory, exports, rule packs) is passed to pango as plain text
// (pango_layout_set_text, never markup) after sanitize_utf8 and removal of C1 control characters.
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reports/report_content.hpp"
#include "reports/writer.hpp"
#include "scanner/core/atomic_file.hpp"
#include "scanner/core/dates.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

const ReportWriter& pdf_report_writer();

namespace {

// ---- text helpers ----------------------------------------------------------------------------

const char* tr(Lang lang, const char* de, const char* en) {
    return lang == Lang::De ? de : en;
}

// Plain text safe for pango: valid UTF-8, no C0/C1 control characters except \t and \n.
std::string clean(std::string_view s) {
    std::string in = text::sanitize_utf8(s);
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        auto c = static_cast<unsigned char>(in[i]);
        if (c == 0xC2 && i + 1 < in.size()) {
            auto d = static_cast<unsigned char>(in[i + 1]);
            if (d >= 0x80 && d <= 0x9F) {  // U+0080..U+009F
                out.push_back('?');
                ++i;
                continue;
            }
        }
        out.push_back(in[i] == '\t' ? ' ' : in[i]);
    }
    return out;
}

// At most `max` code points of (valid UTF-8) `s`, with "…" when cut.
std::string cut(const std::string& s, std::size_t max) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (count == max) return s.substr(0, i) + "…";
            ++count;
        }
    }
    return s;
}

std::string num(int n) {
    return std::to_string(n);
}

// "2026-11-23" -> "23.11.2026" (de); anything unparsable as given.
std::string format_date(const std::string& iso, Lang lang) {
    auto d = parse_iso_date(iso);
    if (!d) return clean(iso);
    if (lang == Lang::En) return d->iso();
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d.%02d.%04d", d->day, d->month, d->year);
    return buf;
}

// Short date for chart labels: "23.11.26" / "26-11-23".
std::string short_date(const std::string& iso, Lang lang) {
    auto d = parse_iso_date(iso);
    if (!d) return cut(clean(iso), 8);
    char buf[16];
    if (lang == Lang::De)
        std::snprintf(buf, sizeof buf, "%02d.%02d.%02d", d->day, d->month, d->year % 100);
    else
        std::snprintf(buf, sizeof buf, "%02d-%02d-%02d", d->year % 100, d->month, d->day);
    return buf;
}

// First sentence of the first line of a (possibly multi-line) text.
std::string first_sentence(const std::string& s) {
    std::string t = clean(s);
    std::size_t b = t.find_first_not_of(" \n");
    if (b == std::string::npos) return "";
    t = t.substr(b);
    auto nl = t.find('\n');
    if (nl != std::string::npos) t = t.substr(0, nl);
    // An abbreviation such as "z. B.", "d. h.", "u. a." or "ca." does not end a sentence.
    auto abbreviation_before = [&](std::size_t dot) {
        std::size_t w = t.rfind(' ', dot);
        std::size_t start = w == std::string::npos ? 0 : w + 1;
        std::size_t len = dot - start;  // letters before the dot
        return len <= 2 || t.compare(start, dot - start, "bzw") == 0 ||
               t.compare(start, dot - start, "usw") == 0;
    };
    for (std::size_t i = 20; i + 1 < t.size(); ++i) {
        char c = t[i];
        if (c == '.' && t[i + 1] == ' ' && abbreviation_before(i)) continue;
        if ((c == '.' || c == '!' || c == '?') && t[i + 1] == ' ') {
            t = t.substr(0, i + 1);
            break;
        }
    }
    while (!t.empty() && t.back() == ' ') t.pop_back();
    return cut(t, 240);
}

std::string display_name(const std::string& name, const std::string& id) {
    return clean(name.empty() ? id : name);
}

int severity_count(const Tally& t, Severity s) {
    auto it = t.fails_by_severity.find(s);
    return it == t.fails_by_severity.end() ? 0 : it->second;
}

// ---- drawing primitives ----------------------------------------------------------------------

constexpr double kPageW = 595.28;  // A4 in points
constexpr double kPageH = 841.89;
constexpr double kMarginX = 50;
constexpr double kContentW = kPageW - 2 * kMarginX;
constexpr double kTop = 82;              // first content line
constexpr double kBottom = kPageH - 58;  // content ends here; footer below
constexpr const char* kFont = "DejaVu Sans";
constexpr const char* kMonoFont = "DejaVu Sans Mono";

struct Rgb {
    double r, g, b;
};
constexpr Rgb kInk{0.10, 0.10, 0.10};
constexpr Rgb kMuted{0.33, 0.33, 0.33};
constexpr Rgb kNavy{0.12, 0.23, 0.37};
constexpr Rgb kRule{0.60, 0.65, 0.69};
constexpr Rgb kLight{0.95, 0.96, 0.97};
constexpr Rgb kWhite{1, 1, 1};
constexpr Rgb kRed{0.72, 0.11, 0.11};
constexpr Rgb kAmber{0.55, 0.30, 0.0};

Rgb ampel_color(Ampel a) {
    switch (a) {
        case Ampel::Green:
            return {0.11, 0.37, 0.13};
        case Ampel::Yellow:
            return {1.0, 0.84, 0.31};
        case Ampel::Red:
            return {0.72, 0.11, 0.11};
        case Ampel::None:
            return {0.88, 0.88, 0.88};
    }
    return {0.88, 0.88, 0.88};
}

Rgb state_color(ResultState s) {
    switch (s) {
        case ResultState::Pass:
            return {0.11, 0.37, 0.13};
        case ResultState::Fail:
            return kRed;
        case ResultState::Error:
        case ResultState::NoEvidence:
            return kAmber;
        case ResultState::NotApplicable:
        case ResultState::Waived:
            return kMuted;
    }
    return kInk;
}

struct Style {
    double size = 9.5;
    bool bold = false;
    bool italic = false;
    Rgb color = kInk;
    bool mono = false;
    PangoAlignment align = PANGO_ALIGN_LEFT;
};

Style sized(double size, bool bold = false, Rgb color = kInk) {
    Style s;
    s.size = size;
    s.bold = bold;
    s.color = color;
    return s;
}

struct LayoutDeleter {
    void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

// What stands in the header and footer of every page of one document.
struct Frame {
    std::string title;     // municipality or organisation
    std::string date;      // "Stichtag 23.11.2026"
    std::string subtitle;  // "IT-Grundschutz-Bericht · Regelpakete: ..."
    std::string footer;    // "Erstellt mit grundscan 0.1.0 ..."
    Lang lang = Lang::De;
};

// A flowing document: a cursor `y` on the current page; text that does not fit continues on a
// new page (line by line), blocks that must stay together call need() first.
class Doc {
  public:
    Doc(cairo_surface_t* surface, Frame frame, int total_pages)
        : surface_(surface),
          cr_(cairo_create(surface)),
          frame_(std::move(frame)),
          total_(total_pages) {
        ctx_ = pango_cairo_create_context(cr_);
        pango_cairo_context_set_resolution(ctx_, 72);  // font sizes in PDF points
        cairo_font_options_t* fo = cairo_font_options_create();
        cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
        cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
        pango_cairo_context_set_font_options(ctx_, fo);
        cairo_font_options_destroy(fo);
        begin_page();
    }
    ~Doc() {
        g_object_unref(ctx_);
        cairo_destroy(cr_);
    }
    Doc(const Doc&) = delete;
    Doc& operator=(const Doc&) = delete;

    // Ends the last page; returns the number of pages.
    int finish() {
        end_page();
        return page_;
    }

    Lang lang() const { return frame_.lang; }
    double y() const { return y_; }
    void set_y(double y) { y_ = y; }
    void space(double h) { y_ += h; }
    int page() const { return page_; }
    cairo_t* cr() { return cr_; }

    void new_page() {
        end_page();
        begin_page();
    }

    // Starts a new page unless `h` points still fit below the cursor.
    void need(double h) {
        if (y_ + h > kBottom && y_ > kTop + 1) new_page();
    }

    LayoutPtr layout(std::string_view s, const Style& st, double width, int max_lines = 0) {
        LayoutPtr l(pango_layout_new(ctx_));
        PangoFontDescription* fd = pango_font_description_new();
        pango_font_description_set_family(fd, st.mono ? kMonoFont : kFont);
        pango_font_description_set_size(fd, static_cast<int>(st.size * PANGO_SCALE));
        pango_font_description_set_weight(fd, st.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_font_description_set_style(fd, st.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
        pango_layout_set_font_description(l.get(), fd);
        pango_font_description_free(fd);
        pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
        pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
        pango_layout_set_alignment(l.get(), st.align);
        if (max_lines > 0) {
            pango_layout_set_height(l.get(), -max_lines);
            pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);
        }
        std::string c = clean(s);
        pango_layout_set_text(l.get(), c.c_str(), static_cast<int>(c.size()));  // never markup
        return l;
    }

    static double height(PangoLayout* l) {
        int w = 0, h = 0;
        pango_layout_get_size(l, &w, &h);
        return static_cast<double>(h) / PANGO_SCALE;
    }
    static double width(PangoLayout* l) {
        int w = 0, h = 0;
        pango_layout_get_size(l, &w, &h);
        return static_cast<double>(w) / PANGO_SCALE;
    }

    // Draws a layout at a fixed position (no page flow); returns its height.
    double draw_at(PangoLayout* l, double x, double y, Rgb color) {
        set_color(color);
        cairo_move_to(cr_, x, y);
        pango_cairo_show_layout(cr_, l);
        return height(l);
    }
    double text_at(std::string_view s, double x, double y, const Style& st, double width,
                   int max_lines = 0) {
        auto l = layout(s, st, width, max_lines);
        return draw_at(l.get(), x, y, st.color);
    }

    // A paragraph in the flow, split across pages line by line when needed.
    void para(std::string_view s, const Style& st, double indent = 0, double gap_after = 3) {
        auto l = layout(s, st, kContentW - indent);
        PangoLayoutIter* it = pango_layout_get_iter(l.get());
        double origin = y_;  // page position of layout y = offset
        double offset = 0, bottom = y_;
        set_color(st.color);
        do {
            PangoRectangle r;
            pango_layout_iter_get_line_extents(it, nullptr, &r);
            double top = static_cast<double>(r.y) / PANGO_SCALE;
            double h = static_cast<double>(r.height) / PANGO_SCALE;
            double baseline = static_cast<double>(pango_layout_iter_get_baseline(it)) / PANGO_SCALE;
            if (origin + (top - offset) + h > kBottom && origin + (top - offset) > kTop + 1) {
                new_page();
                origin = y_;
                offset = top;
                set_color(st.color);
            }
            cairo_move_to(cr_, kMarginX + indent + static_cast<double>(r.x) / PANGO_SCALE,
                          origin + baseline - offset);
            pango_cairo_show_layout_line(cr_, pango_layout_iter_get_line_readonly(it));
            bottom = origin + top - offset + h;
        } while (pango_layout_iter_next_line(it));
        pango_layout_iter_free(it);
        y_ = bottom + gap_after;
    }

    // "Label: value" with the label in bold, as one flowing paragraph.
    void labelled(const std::string& label, const std::string& value, double size,
                  double indent = 0) {
        auto l = layout(label + " " + value, sized(size), kContentW - indent);
        // Bold label via attributes (the text itself stays plain).
        PangoAttrList* attrs = pango_attr_list_new();
        PangoAttribute* bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        bold->start_index = 0;
        bold->end_index = static_cast<guint>(clean(label).size());
        pango_attr_list_insert(attrs, bold);
        pango_layout_set_attributes(l.get(), attrs);
        pango_attr_list_unref(attrs);
        para_layout(l.get(), kInk, indent, 1.5);
    }

    void h1(const std::string& s) {
        need(70);
        outline(s, 0);
        para(s, sized(17, true, kNavy), 0, 4);
    }

    void h2(const std::string& s) {
        need(80);
        if (y_ > kTop + 1) y_ += 8;
        outline(s, 1);
        para(s, sized(12.5, true, kNavy), 0, 2);
        line(kMarginX, y_, kMarginX + kContentW, y_, kNavy, 1.2);
        y_ += 6;
    }

    void h3(const std::string& s) {
        need(50);
        y_ += 4;
        para(s, sized(10.5, true, kNavy), 0, 3);
    }

    void line(double x0, double y0, double x1, double y1, Rgb c, double w) {
        set_color(c);
        cairo_set_line_width(cr_, w);
        cairo_move_to(cr_, x0, y0);
        cairo_line_to(cr_, x1, y1);
        cairo_stroke(cr_);
    }

    void rect(double x, double y, double w, double h, Rgb fill) {
        set_color(fill);
        cairo_rectangle(cr_, x, y, w, h);
        cairo_fill(cr_);
    }

    void frame_rect(double x, double y, double w, double h, Rgb c, double lw) {
        set_color(c);
        cairo_set_line_width(cr_, lw);
        cairo_rectangle(cr_, x, y, w, h);
        cairo_stroke(cr_);
    }

    // Filled circle with a dark outline (the traffic light).
    void dot(double cx, double cy, double r, Rgb fill) {
        cairo_new_sub_path(cr_);
        cairo_arc(cr_, cx, cy, r, 0, 2 * G_PI);
        set_color(fill);
        cairo_fill_preserve(cr_);
        set_color(kInk);
        cairo_set_line_width(cr_, std::max(0.5, r / 10));
        cairo_stroke(cr_);
    }

    void set_color(Rgb c) { cairo_set_source_rgb(cr_, c.r, c.g, c.b); }

    // A bookmark in the PDF outline pointing at the current page.
    void outline(const std::string& title, int level) {
        std::string attrs = "page=" + std::to_string(page_);
        std::string name = clean(title);
        int parent = level == 0 || last_top_ < 0 ? CAIRO_PDF_OUTLINE_ROOT : last_top_;
        int id = cairo_pdf_surface_add_outline(surface_, parent, name.c_str(), attrs.c_str(),
                                               CAIRO_PDF_OUTLINE_FLAG_OPEN);
        if (level == 0) last_top_ = id;
    }

  private:
    void para_layout(PangoLayout* l, Rgb color, double indent, double gap_after) {
        double h = height(l);
        need(std::min(h, 40.0));
        if (y_ + h > kBottom && y_ > kTop + 1) new_page();
        draw_at(l, kMarginX + indent, y_, color);
        y_ += h + gap_after;
    }

    void begin_page() {
        ++page_;
        y_ = kTop;
        double top = 26;
        auto right = layout(frame_.date, sized(9, false, kMuted), 160);
        pango_layout_set_alignment(right.get(), PANGO_ALIGN_RIGHT);
        draw_at(right.get(), kMarginX + kContentW - 160, top + 1.5, kMuted);
        text_at(frame_.title, kMarginX, top, sized(10.5, true, kNavy), kContentW - 170, 1);
        text_at(frame_.subtitle, kMarginX, top + 16, sized(7.5, false, kMuted), kContentW, 1);
        line(kMarginX, top + 30, kMarginX + kContentW, top + 30, kNavy, 0.8);
    }

    void end_page() {
        double yf = kPageH - 40;
        line(kMarginX, yf - 6, kMarginX + kContentW, yf - 6, kRule, 0.5);
        text_at(frame_.footer, kMarginX, yf, sized(7.5, false, kMuted), kContentW - 110, 2);
        std::string pages = std::string(tr(frame_.lang, "Seite ", "Page ")) + num(page_) +
                            tr(frame_.lang, " von ", " of ") + num(total_ > 0 ? total_ : page_);
        Style st = sized(8.5, false, kInk);
        st.align = PANGO_ALIGN_RIGHT;
        text_at(pages, kMarginX + kContentW - 100, yf, st, 100);
        cairo_show_page(cr_);
    }

    cairo_surface_t* surface_;
    cairo_t* cr_;
    PangoContext* ctx_ = nullptr;
    Frame frame_;
    int total_ = 0;
    int page_ = 0;
    double y_ = kTop;
    int last_top_ = -1;
};

// ---- tables ----------------------------------------------------------------------------------

struct Column {
    std::string title;
    double width;  // points
    bool right = false;
};

struct Cell {
    Cell() = default;
    Cell(std::string t, bool b = false) : text(std::move(t)), bold(b) {}  // NOLINT
    std::string text;
    bool bold = false;
    std::optional<Ampel> ampel;  // draw the traffic light circle before the text
    Rgb color = kInk;
};

// A table with a header row repeated after page breaks; cells wrap (at most 6 lines each).
void table(Doc& doc, const std::vector<Column>& cols, const std::vector<std::vector<Cell>>& rows,
           double size = 8.5) {
    constexpr double pad = 3;
    auto row_layouts = [&](const std::vector<Cell>& cells, bool header) {
        std::vector<LayoutPtr> ls;
        for (std::size_t c = 0; c < cols.size(); ++c) {
            const Cell empty;
            const Cell& cell = c < cells.size() ? cells[c] : empty;
            Style st = sized(size, header || cell.bold, header ? kWhite : cell.color);
            if (cols[c].right) st.align = PANGO_ALIGN_RIGHT;
            double inner = cols[c].width - 2 * pad - (cell.ampel ? 12 : 0);
            ls.push_back(doc.layout(cell.text, st, std::max(inner, 10.0), header ? 3 : 6));
        }
        return ls;
    };
    auto draw_row = [&](const std::vector<Cell>& cells, bool header, bool shaded) {
        auto ls = row_layouts(cells, header);
        double h = 0;
        for (auto& l : ls) h = std::max(h, Doc::height(l.get()));
        h += 2 * pad;
        double y = doc.y();
        double total_w = 0;
        for (const auto& c : cols) total_w += c.width;
        if (header)
            doc.rect(kMarginX, y, total_w, h, kNavy);
        else if (shaded)
            doc.rect(kMarginX, y, total_w, h, kLight);
        double x = kMarginX;
        for (std::size_t c = 0; c < cols.size(); ++c) {
            double tx = x + pad;
            if (c < cells.size() && cells[c].ampel) {
                doc.dot(tx + 4.5, y + pad + size * 0.65, 4, ampel_color(*cells[c].ampel));
                tx += 12;
            }
            Rgb color = header ? kWhite : (c < cells.size() ? cells[c].color : kInk);
            doc.draw_at(ls[c].get(), tx, y + pad, color);
            x += cols[c].width;
        }
        doc.line(kMarginX, y + h, kMarginX + total_w, y + h, kRule, 0.4);
        doc.set_y(y + h);
        return h;
    };
    auto measure = [&](const std::vector<Cell>& cells, bool header) {
        auto ls = row_layouts(cells, header);
        double h = 0;
        for (auto& l : ls) h = std::max(h, Doc::height(l.get()));
        return h + 2 * pad;
    };
    std::vector<Cell> header;
    for (const auto& c : cols) header.push_back(Cell{c.title});
    double header_h = measure(header, true);
    doc.need(header_h + (rows.empty() ? 0 : measure(rows.front(), false)));
    draw_row(header, true, false);
    int page = doc.page();
    for (std::size_t r = 0; r < rows.size(); ++r) {
        doc.need(measure(rows[r], false));
        if (doc.page() != page) {
            draw_row(header, true, false);
            page = doc.page();
        }
        draw_row(rows[r], false, r % 2 == 1);
    }
    doc.space(8);
}

// ---- shared content --------------------------------------------------------------------------

std::string rule_title(const FixGroup& g, Lang lang) {
    return clean(g.rule && !g.rule->title.get(lang).empty() ? g.rule->title.get(lang) : g.rule_id);
}

// Big score, traffic light circle and its label, drawn at (x, y); returns the height used.
double score_block(Doc& doc, const Score& score, double x, double y, Lang lang) {
    double h =
        doc.text_at(tr(lang, "Gesamtwert", "Overall score"), x, y, sized(9, false, kMuted), 200);
    double yy = y + h;
    auto big = doc.layout(format_percent(score.value), sized(42, true, kInk), 220);
    doc.draw_at(big.get(), x, yy, kInk);
    yy += Doc::height(big.get()) + 4;
    doc.dot(x + 15, yy + 15, 14, ampel_color(score.ampel));
    std::string label =
        std::string(tr(lang, "Ampel: ", "Traffic light: ")) + ampel_label(score.ampel, lang);
    doc.text_at(label, x + 38, yy + 6, sized(14, true, kInk), 200);
    yy += 34;
    return yy - y;
}

// One sentence on what the score means, and one on what the traffic light says.
std::string score_meaning(const ScanResult& scan, const Score& score, Lang lang) {
    if (!score.value)
        return tr(lang,
                  "Es gibt noch keinen Wert: Für keine Anforderung lag ein auswertbarer Nachweis "
                  "vor.",
                  "There is no score yet: no requirement could be checked with the evidence "
                  "available.");
    std::string s =
        tr(lang, "Der Wert gibt an, welcher Anteil der entschiedenen Prüfungen erfüllt ist",
           "The score is the share of the decided checks that pass");
    s += scan.score_model == "flat-unweighted"
             ? tr(lang, " (jede Anforderung zählt gleich)", " (every requirement counts the same)")
             : tr(lang, " (gewichtet nach Bedeutung)", " (weighted by importance)");
    s += tr(lang,
            ". Dieser Erfüllungsgrad dient dem Vergleich über die Zeit; die Ampel richtet sich "
            "nach den Stufen des IT-Grundschutzes.",
            ". This degree of fulfilment is meant for comparison over time; the traffic light "
            "follows the IT-Grundschutz levels.");
    return s;
}

std::string decided_sentence(const Score& score, Lang lang) {
    if (!score.coverage)
        return tr(lang, "Es gab keine anwendbaren Prüfungen.", "There were no applicable checks.");
    std::string s =
        format_percent(score.coverage) +
        tr(lang, " der Prüfungen konnten entschieden werden.", " of the checks could be decided.");
    if (*score.coverage < 100)
        s += tr(lang, " Bei den übrigen fehlten Nachweise oder die Daten waren fehlerhaft.",
                " For the others evidence was missing or broken.");
    return s;
}

// "Basis: n von m erfüllt (...)", "Standard: ...", advisory findings and the coverage sentence.
void levels_block(Doc& doc, const Score& s, const BsiCoverage& c, const Style& body) {
    Lang lang = doc.lang();
    doc.para(level_summary(Level::Basis, s.basis, lang), body, 0, 1);
    doc.para(level_summary(Level::Standard, s.standard, lang), body, 0, 1);
    if (s.erhoeht.requirements > 0)
        doc.para(level_summary(Level::Erhoeht, s.erhoeht, lang), body, 0, 1);
    if (s.advisory_findings > 0) doc.para(advisory_count(s.advisory_findings, lang), body, 0, 1);
    if (std::string cov = coverage_sentence(c, lang); !cov.empty()) doc.para(cov, body, 0, 4);
}

// Trend chart: earlier scans (oldest first) plus this one.
struct ChartPoint {
    std::string label;
    std::optional<double> value;
    Ampel ampel;
};

void trend_chart(Doc& doc, const std::vector<ChartPoint>& pts, double x, double y, double w,
                 double h) {
    cairo_t* cr = doc.cr();
    double px0 = x + 30, px1 = x + w - 12, py0 = y + 10, py1 = y + h - 18;
    auto py = [&](double v) { return py1 - (std::clamp(v, 0.0, 100.0) / 100.0) * (py1 - py0); };
    Style axis = sized(6.5, false, kMuted);
    for (double v : {0.0, 50.0, 100.0}) {
        doc.line(px0, py(v), px1, py(v), {0.85, 0.85, 0.85}, 0.5);
        axis.align = PANGO_ALIGN_RIGHT;
        doc.text_at(v == 100 ? "100 %" : num(static_cast<int>(v)), x, py(v) - 4.5, axis, 26);
    }
    std::size_t n = pts.size();
    auto px = [&](std::size_t i) {
        return n == 1 ? (px0 + px1) / 2
                      : px0 + 10 +
                            (px1 - px0 - 20) * static_cast<double>(i) / static_cast<double>(n - 1);
    };
    // Line through consecutive points with a value.
    doc.set_color(kNavy);
    cairo_set_line_width(cr, 1.6);
    bool drawing = false;
    for (std::size_t i = 0; i < n; ++i) {
        if (!pts[i].value) {
            drawing = false;
            continue;
        }
        if (drawing)
            cairo_line_to(cr, px(i), py(*pts[i].value));
        else
            cairo_move_to(cr, px(i), py(*pts[i].value));
        drawing = true;
    }
    cairo_stroke(cr);
    Style lbl = sized(6.5, false, kInk);
    lbl.align = PANGO_ALIGN_CENTER;
    Style val = sized(7, true, kInk);
    val.align = PANGO_ALIGN_CENTER;
    for (std::size_t i = 0; i < n; ++i) {
        if (pts[i].value) {
            doc.dot(px(i), py(*pts[i].value), 3.2, ampel_color(pts[i].ampel));
            doc.text_at(format_percent(pts[i].value), px(i) - 20, py(*pts[i].value) - 13, val, 40);
        }
        lbl.bold = i + 1 == n;
        doc.text_at(pts[i].label, px(i) - 22, py1 + 4, lbl, 44);
    }
}

void method_section(Doc& doc, const ScanResult& scan) {
    Lang lang = doc.lang();
    doc.h2(tr(lang, "Bewertungsmethode", "Scoring method"));
    Style body = sized(9.5);
    if (scan.score_model == "weighted")
        doc.para(tr(lang,
                    "Gewichtetes Modell: Wert = 100 · Σ Gewicht(erfüllt) / Σ Gewicht(erfüllt + "
                    "nicht erfüllt). Wichtige Anforderungen zählen mehr als weniger wichtige.",
                    "Weighted model: score = 100 · Σ weight(pass) / Σ weight(pass + fail). "
                    "Important requirements count more than less important ones."),
                 body);
    else if (scan.score_model == "flat-unweighted")
        doc.para(tr(lang,
                    "Ungewichtetes Modell: Wert = 100 · Anzahl erfüllt / Anzahl (erfüllt + "
                    "nicht erfüllt). Jede Anforderung zählt gleich.",
                    "Unweighted model: score = 100 · #pass / #(pass + fail). Every requirement "
                    "counts the same."),
                 body);
    else
        doc.para(std::string(tr(lang, "Bewertungsmodell: ", "Scoring model: ")) +
                     (scan.score_model.empty() ? "–" : clean(scan.score_model)),
                 body);
    doc.para(tr(lang,
                "„kein Nachweis“ und „Fehler“ erhöhen den Wert nie, senken aber die Abdeckung "
                "(Abdeckung = (erfüllt + nicht erfüllt) / (erfüllt + nicht erfüllt + kein "
                "Nachweis + Fehler)). „entbehrlich“ und „Risiko akzeptiert“ zählen weder beim "
                "Wert noch bei der Abdeckung.",
                "“no evidence” and “error” never raise the score but lower the coverage "
                "(coverage = (pass + fail) / (pass + fail + no evidence + error)). “not "
                "applicable” and “waived” count neither for the score nor for the coverage."),
             body);
    for (const auto& p : level_model_paragraphs(scan, lang)) doc.para(p, body);
    doc.para(tr(lang,
                "Ohne ein einziges Ergebnis „erfüllt“ oder „nicht erfüllt“ gibt es keinen Wert "
                "(–) und keine Bewertung. Der Bericht ersetzt keinen IT-Grundschutz-Check.",
                "Without any pass or fail result there is no score (–) and no rating. This "
                "report does not replace an IT-Grundschutz check."),
             body);
}

// The "Datenstand" block: each feed with its data date, age at the Stichtag, coverage and
// warnings (datenstand_rows, shared with the HTML, Markdown and JSON reports).
void datenstand_section(Doc& doc, const ScanResult& scan) {
    Lang lang = doc.lang();
    doc.h2(datenstand_heading(lang));
    doc.para(clean(datenstand_intro(scan, lang)), sized(9.5), 0, 5);
    std::vector<DatenstandRow> rows = datenstand_rows(scan, lang);
    if (rows.empty()) {
        doc.para(tr(lang, "Keine Datenquellen verzeichnet.", "No data sources recorded."),
                 sized(9.5));
        return;
    }
    std::vector<Column> cols = {{tr(lang, "Datenquelle", "Data source"), 80},
                                {tr(lang, "Datenstand", "Data as of"), 56},
                                {tr(lang, "Alter", "Age"), 50, true},
                                {tr(lang, "Abdeckung", "Coverage"), 58},
                                {tr(lang, "Umfang", "Contents"), 96},
                                {tr(lang, "Hinweise", "Warnings"), kContentW - 340}};
    std::vector<std::vector<Cell>> cells;
    for (const DatenstandRow& r : rows) {
        const FeedInfo& f = *r.feed;
        std::string warn;
        for (const auto& w : r.warnings) warn += (warn.empty() ? "" : "; ") + w;
        Cell warning{warn.empty() ? "–" : cut(clean(warn), 300)};
        if (!warn.empty()) warning.color = kRed;
        Cell coverage{clean(r.coverage)};
        if (f.coverage != "complete") coverage.color = kRed;
        cells.push_back(
            {Cell{clean(r.title), true},
             Cell{r.data_date == "–" ? "–" : format_date(r.data_date, lang)},
             Cell{r.age_days ? std::to_string(*r.age_days) + tr(lang, " Tage", " days") : "–"},
             coverage, Cell{cut(clean(f.coverage_note.empty() ? f.version : f.coverage_note), 160)},
             warning});
    }
    table(doc, cols, cells, 8);
}

void partial_banner(Doc& doc, const ScanResult& scan) {
    if (scan.complete) return;
    Lang lang = doc.lang();
    auto l = doc.layout(tr(lang,
                           "Unvollständig: Der Scan wurde abgebrochen, die Ergebnisse sind nur "
                           "teilweise vorhanden.",
                           "Partial: the scan was interrupted, the results are incomplete."),
                        sized(10, true, kRed), kContentW - 16);
    double h = Doc::height(l.get()) + 12;
    doc.need(h);
    doc.rect(kMarginX, doc.y(), kContentW, h, {0.99, 0.92, 0.92});
    doc.frame_rect(kMarginX, doc.y(), kContentW, h, kRed, 2);
    doc.draw_at(l.get(), kMarginX + 8, doc.y() + 6, kRed);
    doc.space(h + 8);
}

// ---- municipality report ---------------------------------------------------------------------

void summary_page(Doc& doc, const ScanResult& scan, const MunicipalityResult& mun) {
    Lang lang = doc.lang();
    const Score& s = mun.score;
    doc.h1(display_name(mun.name, mun.id));
    doc.para(tr(lang, "IT-Grundschutz-Prüfung – Kurzfassung für Rat und Verwaltung",
                "IT-Grundschutz check – summary for council and administration"),
             sized(10.5, false, kMuted), 0, 10);
    partial_banner(doc, scan);

    // Left: score and traffic light. Right: trend.
    double y0 = doc.y();
    double left_h = score_block(doc, s, kMarginX, y0, lang);
    double rx = kMarginX + 235, rw = kContentW - 235;
    double ry = y0 + doc.text_at(tr(lang, "Verlauf", "Trend"), rx, y0, sized(9, false, kMuted), rw);
    std::vector<ChartPoint> pts;
    for (const auto& t : mun.trend) pts.push_back({short_date(t.as_of, lang), t.score, t.ampel});
    if (pts.size() > 5) pts.erase(pts.begin(), pts.end() - 5);
    pts.push_back({short_date(scan.as_of, lang), s.value, s.ampel});
    if (mun.trend.empty()) {
        ry += 6 + doc.text_at(
                      tr(lang, "Erste Prüfung – noch kein Verlauf", "First check – no history yet"),
                      rx, ry + 6, sized(10.5, true, kInk), rw);
    } else {
        trend_chart(doc, pts, rx, ry, rw, 104);
        ry += 106;
    }
    if (mun.changes.has_previous) {
        std::string c = std::string(tr(lang, "Seit der Prüfung vom ", "Since the check of ")) +
                        format_date(mun.changes.previous_as_of, lang) + ": " +
                        num(mun.changes.new_failures) + tr(lang, " neue Mängel, ", " new, ") +
                        num(mun.changes.fixed) + tr(lang, " behoben, ", " fixed, ") +
                        num(mun.changes.still_open) + tr(lang, " weiterhin offen.", " still open.");
        ry += doc.text_at(c, rx, ry + 2, sized(8, false, kMuted), rw, 3) + 2;
    }
    doc.set_y(std::max(y0 + left_h, ry) + 10);

    Style body = sized(10.5);
    doc.para(score_meaning(scan, s, lang), body, 0, 4);
    Style strong = sized(10.5, true);
    doc.para(clean(ampel_explanation(scan, s, mun.coverage, lang)), strong, 0, 4);
    levels_block(doc, s, mun.coverage, body);
    doc.para(decided_sentence(s, lang), body, 0, 10);

    // Three cards: open, fixed, accepted risks.
    struct Card {
        std::string value, label;
    };
    std::vector<Card> cards = {
        {num(s.tally.fail), tr(lang, "offene Mängel (nicht erfüllt)", "open findings (failed)")},
        {mun.changes.has_previous ? num(mun.changes.fixed) : "–",
         tr(lang, "behoben seit der letzten Prüfung", "fixed since the previous check")},
        {num(s.tally.waived), tr(lang, "akzeptierte Risiken", "accepted risks")},
    };
    double cw = (kContentW - 2 * 10) / 3, ch = 50;
    doc.need(ch + 10);
    for (std::size_t i = 0; i < cards.size(); ++i) {
        double cx = kMarginX + static_cast<double>(i) * (cw + 10);
        doc.rect(cx, doc.y(), cw, ch, kLight);
        doc.frame_rect(cx, doc.y(), cw, ch, kRule, 0.6);
        doc.text_at(cards[i].value, cx + 8, doc.y() + 4, sized(20, true, kNavy), cw - 16);
        doc.text_at(cards[i].label, cx + 8, doc.y() + 31, sized(8, false, kInk), cw - 16, 2);
    }
    doc.space(ch + 6);

    doc.h2(tr(lang, "Die fünf wichtigsten Punkte", "The five most important things to fix"));
    auto groups = fix_groups(scan, mun);
    if (groups.empty())
        doc.para(tr(lang,
                    "Keine offenen Mängel – alle geprüften Anforderungen sind erfüllt oder als "
                    "Risiko akzeptiert.",
                    "No open findings – every checked requirement is met or accepted as a risk."),
                 body);
    for (std::size_t i = 0; i < groups.size() && i < 5; ++i) {
        const FixGroup& g = groups[i];
        const AssetResult& first_asset = mun.assets[g.where.front().first];
        const RuleResult& first = first_asset.results[g.where.front().second];
        doc.need(42);
        double y = doc.y();
        doc.text_at(num(static_cast<int>(i + 1)) + ".", kMarginX, y, sized(10.5, true, kNavy), 16);
        // The rule title states the goal; say plainly that it is not met.
        doc.para(std::string(g.advisory() ? std::string(advisory_label(lang)) + ": "
                                          : tr(lang, "Nicht erfüllt: ", "Not met: ")) +
                     rule_title(g, lang),
                 sized(10.5, true), 18, 1);
        std::string systems;
        for (std::size_t k = 0; k < g.where.size() && k < 3; ++k) {
            const AssetResult& a = mun.assets[g.where[k].first];
            systems += (k ? ", " : "") + display_name(a.name, a.id);
        }
        if (g.where.size() > 3)
            systems += tr(lang, " und ", " and ") + num(static_cast<int>(g.where.size() - 3)) +
                       tr(lang, " weitere", " more");
        doc.para(std::string(g.where.size() == 1 ? tr(lang, "System: ", "System: ")
                                                 : tr(lang, "Systeme: ", "Systems: ")) +
                     systems + " · " + severity_label(g.severity(), lang),
                 sized(8.5, false, kMuted), 18, 1);
        doc.para(std::string(tr(lang, "Befund: ", "Finding: ")) + cut(clean(first.message), 200),
                 sized(8.5, false, kMuted), 18, 1);
        std::string why = g.rule ? first_sentence(g.rule->rationale.get(lang)) : "";
        if (why.empty()) why = cut(clean(first.message), 240);
        if (!why.empty())
            doc.para(std::string(tr(lang, "Warum wichtig: ", "Why it matters: ")) + why, sized(9),
                     18, 6);
    }
    if (groups.size() > 5)
        doc.para(
            std::string(tr(lang, "… und ", "… and ")) + num(static_cast<int>(groups.size() - 5)) +
                tr(lang, " weitere nicht erfüllte Anforderungen (siehe „Ergebnisse je Baustein“).",
                   " more failed requirements (see “Results per module”)."),
            sized(9, false, kMuted));
}

int state_rank(ResultState s) {
    switch (s) {
        case ResultState::Fail:
            return 0;
        case ResultState::Error:
            return 1;
        case ResultState::NoEvidence:
            return 2;
        default:
            return 3;
    }
}

std::string evidence_text(const Evidence& e) {
    std::string s = cut(clean(e.fact), 80) + " = " + cut(clean(e.value), 160);
    const Provenance& p = e.provenance;
    if (!p.source.empty() || p.line > 0) {
        s += " (" + cut(clean(p.source), 120);
        if (p.line > 0) s += ":" + num(p.line);
        s += ")";
    }
    return s;
}

// The Bausteine modelled for the municipality's systems and the organisation; those without
// any automated check are marked "nicht automatisch prüfbar".
void bausteine_section(Doc& doc, const MunicipalityResult& mun) {
    Lang lang = doc.lang();
    if (mun.coverage.bausteine.empty()) return;
    doc.h2(tr(lang, "Modellierte Bausteine", "Modelled Bausteine"));
    doc.para(tr(lang,
                "Für jede Systemart und für die Organisation sind die passenden Bausteine des "
                "IT-Grundschutz-Kompendiums modelliert; gezählt werden ihre Basis- und "
                "Standard-Anforderungen.",
                "For each asset kind and for the organisation the matching Bausteine of the "
                "IT-Grundschutz Kompendium are modelled; their Basis and Standard requirements "
                "are counted."),
             sized(9.5), 0, 4);
    std::vector<Column> cols = {{tr(lang, "Baustein", "Baustein"), 170},
                                {tr(lang, "Anforderungen", "Requirements"), 72, true},
                                {tr(lang, "prüfbar", "checkable"), 52, true},
                                {tr(lang, "geprüft", "checked"), 48, true},
                                {tr(lang, "Stand", "Status"), kContentW - 342}};
    std::vector<std::vector<Cell>> rows;
    for (const auto& b : mun.coverage.bausteine) {
        Cell status{baustein_status(b, lang)};
        if (b.checkable == 0) status.color = kMuted;
        rows.push_back({Cell{cut(clean(b.id + (b.title.empty() ? "" : " " + b.title)), 90), true},
                        Cell{num(b.modelled)}, Cell{num(b.checkable)}, Cell{num(b.checked)},
                        status});
    }
    table(doc, cols, rows);
}

void modules_section(Doc& doc, const ScanResult& scan, const MunicipalityResult& mun) {
    Lang lang = doc.lang();
    doc.h2(tr(lang, "Ergebnisse je Baustein", "Results per module (Baustein)"));
    if (mun.modules.empty()) {
        doc.para(tr(lang, "Keine Ergebnisse.", "No results."), sized(9.5));
        return;
    }
    std::vector<Column> cols = {{tr(lang, "Baustein", "Module"), 95},
                                {tr(lang, "Wert", "Score"), 48, true},
                                {tr(lang, "Ampel", "Light"), 92},
                                {state_label(ResultState::Pass, lang), 62, true},
                                {state_label(ResultState::Fail, lang), 66, true},
                                {state_label(ResultState::NoEvidence, lang), 68, true},
                                {state_label(ResultState::Error, lang), 64, true}};
    std::vector<std::vector<Cell>> rows;
    auto module_name = [&](const std::string& m) {
        return m.empty() ? std::string(tr(lang, "(ohne Baustein)", "(no module)")) : clean(m);
    };
    for (const auto& m : mun.modules) {
        const Tally& t = m.score.tally;
        Cell light{ampel_label(m.score.ampel, lang)};
        light.ampel = m.score.ampel;
        rows.push_back({Cell{module_name(m.module), true}, Cell{format_percent(m.score.value)},
                        light, Cell{num(t.pass)}, Cell{num(t.fail)}, Cell{num(t.no_evidence)},
                        Cell{num(t.error)}});
    }
    table(doc, cols, rows);

    // Items needing attention, grouped by module (order of the table, then any others).
    struct Item {
        const RuleResult* result;
        const Rule* rule;
        const AssetResult* asset;
    };
    std::map<std::string, std::vector<Item>> by_module;
    for (const auto& a : mun.assets)
        for (const auto& r : a.results)
            if (state_rank(r.state) < 3) {
                const Rule* rule = scan.rule(r.rule_id);
                by_module[rule ? rule->module : ""].push_back({&r, rule, &a});
            }
    std::vector<std::string> order;
    for (const auto& m : mun.modules) order.push_back(m.module);
    for (const auto& [m, items] : by_module)
        if (std::find(order.begin(), order.end(), m) == order.end()) order.push_back(m);
    bool any = false;
    for (const auto& m : order) {
        auto found = by_module.find(m);
        if (found == by_module.end()) continue;
        auto items = found->second;
        std::stable_sort(items.begin(), items.end(), [](const Item& x, const Item& y) {
            if (state_rank(x.result->state) != state_rank(y.result->state))
                return state_rank(x.result->state) < state_rank(y.result->state);
            Severity sx = x.rule ? x.rule->severity : Severity::Medium;
            Severity sy = y.rule ? y.rule->severity : Severity::Medium;
            return sx > sy;
        });
        if (!any)
            doc.para(tr(lang,
                        "Im Folgenden alle nicht erfüllten Anforderungen und alle Prüfungen ohne "
                        "Nachweis, mit dem gefundenen Nachweis und der nötigen Maßnahme.",
                        "Below: every failed requirement and every check without evidence, with "
                        "the evidence found and the remediation."),
                     sized(9.5), 0, 4);
        any = true;
        doc.h3(std::string(tr(lang, "Baustein ", "Module ")) + module_name(m));
        for (const auto& it : items) {
            doc.need(48);
            std::string title =
                clean(it.rule && !it.rule->title.get(lang).empty() ? it.rule->title.get(lang)
                                                                   : it.result->rule_id);
            doc.para(std::string(state_label(it.result->state, lang)) + ": " + cut(title, 200),
                     sized(9.5, true, state_color(it.result->state)), 8, 1);
            std::string meta = cut(clean(it.result->rule_id), 80);
            if (it.rule && it.rule->advisory) meta += std::string(" · ") + advisory_label(lang);
            if (it.rule) meta += std::string(" · ") + severity_label(it.rule->severity, lang);
            meta += std::string(" · ") + tr(lang, "System: ", "System: ") +
                    cut(display_name(it.asset->name, it.asset->id), 120);
            doc.para(meta, sized(8, false, kMuted), 8, 1.5);
            if (!it.result->message.empty())
                doc.labelled(tr(lang, "Befund:", "Finding:"), cut(clean(it.result->message), 400),
                             8.5, 8);
            std::size_t shown = 0;
            for (const auto& e : it.result->evidence) {
                if (shown == 5) {
                    doc.para(std::string("… ") +
                                 num(static_cast<int>(it.result->evidence.size() - 5)) +
                                 tr(lang, " weitere Nachweise", " more evidence"),
                             sized(8, false, kMuted), 8, 1.5);
                    break;
                }
                doc.labelled(tr(lang, "Nachweis:", "Evidence:"), evidence_text(e), 8.5, 8);
                ++shown;
            }
            if (it.result->state == ResultState::Fail && it.rule &&
                !it.rule->remediation.get(lang).empty())
                doc.labelled(tr(lang, "Maßnahme:", "Remediation:"),
                             cut(clean(it.rule->remediation.get(lang)), 600), 8.5, 8);
            doc.space(5);
        }
    }
    if (!any)
        doc.para(tr(lang, "Keine nicht erfüllten Anforderungen und keine fehlenden Nachweise.",
                    "No failed requirements and no missing evidence."),
                 sized(9.5));
}

std::string phase_label(const std::string& phase, Lang lang) {
    if (const char* l = support_phase_label(phase, lang)) return l;
    if (phase.empty()) return tr(lang, "unbekannt", "unknown");
    return cut(clean(phase), 40);
}

std::string maintenance_note(const MaintenanceRow& r, Lang lang) {
    const SupportInfo& s = r.asset->support;
    switch (r.state) {
        case MaintenanceState::Ended:
            return tr(lang, "keine Sicherheitsupdates mehr – ersetzen oder vom Netz nehmen",
                      "no security updates – replace or disconnect");
        case MaintenanceState::ExtendedOnly:
            if (s.extended_until.empty())
                return tr(lang, "nur noch erweiterter Support – Ablösung planen",
                          "extended support only – plan replacement");
            return std::string(tr(lang, "Updates nur noch bis ", "updates only until ")) +
                   format_date(s.extended_until, lang) +
                   tr(lang, " (erweiterter Support) – Ablösung planen",
                      " (extended support) – plan replacement");
        case MaintenanceState::EndsSoon:
            break;
    }
    return std::string(tr(lang, "Supportende in ", "end of support in ")) +
           num(static_cast<int>(r.days.value_or(0))) +
           tr(lang, " Tagen – Ablösung planen", " days – plan replacement");
}

void maintenance_section(Doc& doc, const ScanResult& scan, const MunicipalityResult& mun) {
    Lang lang = doc.lang();
    doc.h2(tr(lang, "Systeme, die aus der Wartung fallen", "Systems running out of support"));
    std::vector<MaintenanceRow> rows = maintenance_rows(scan, mun);
    if (rows.empty()) {
        doc.para(tr(lang, "Kein System fällt in den nächsten 12 Monaten aus der Herstellerwartung.",
                    "No system runs out of vendor support within the next 12 months."),
                 sized(9.5));
        return;
    }
    doc.para(tr(lang,
                "Systeme ohne Herstellerwartung erhalten keine Sicherheitsupdates mehr. Diese "
                "Systeme sind bereits betroffen oder es in den nächsten 12 Monaten:",
                "Systems without vendor support no longer get security updates. These systems "
                "are affected now or will be within the next 12 months:"),
             sized(9.5), 0, 5);
    std::vector<Column> cols = {{tr(lang, "System", "System"), 96},
                                {tr(lang, "Betriebssystem", "Operating system"), 90},
                                {tr(lang, "Status", "Status"), 76},
                                {tr(lang, "Supportende", "End of support"), 64},
                                {tr(lang, "Erweitert bis", "Extended until"), 58},
                                {tr(lang, "Hinweis", "Note"), kContentW - 384}};
    std::vector<std::vector<Cell>> cells;
    for (const MaintenanceRow& r : rows) {
        const SupportInfo& s = r.asset->support;
        Cell status{phase_label(s.phase, lang)};
        if (r.state == MaintenanceState::Ended || (r.days && *r.days < 0)) status.color = kRed;
        cells.push_back({Cell{cut(display_name(r.asset->name, r.asset->id), 80), true},
                         Cell{s.os_name.empty() ? "–" : cut(clean(s.os_name), 80)}, status,
                         Cell{s.eol_date.empty() ? "–" : format_date(s.eol_date, lang)},
                         Cell{s.extended_until.empty() ? "–" : format_date(s.extended_until, lang)},
                         Cell{maintenance_note(r, lang)}});
    }
    table(doc, cols, cells, 8);
}

// ---- replacement roadmap ("Ablöse-Roadmap") --------------------------------------------------

std::string roadmap_release_cell(const RoadmapEntry& r) {
    return cut(clean(roadmap_release(r)), 60);
}

// Timeline from the Stichtag to three years later: one row per line, bars for regular (navy)
// and extended support (amber), red marks for the end or for support already over.
void roadmap_timeline(Doc& doc, const std::vector<const RoadmapEntry*>& rows, const Date& start) {
    Lang lang = doc.lang();
    constexpr double kRowH = 14, kLabelW = 170;
    const Rgb amber{0.98, 0.66, 0.15};
    Date end_date{start.year + 3, start.month,
                  start.month == 2 && start.day == 29 ? 28 : start.day};
    const double total = static_cast<double>(std::max(1LL, days_between(start, end_date)));
    const double x0 = kMarginX + kLabelW + 6, x1 = kMarginX + kContentW - 4;
    auto x_of = [&](long long d) {
        return x0 + (x1 - x0) * std::clamp(static_cast<double>(d), 0.0, total) / total;
    };
    double h = 30 + kRowH * static_cast<double>(rows.size()) + 22;
    doc.need(h);
    double top = doc.y() + 26;
    double bottom = top + kRowH * static_cast<double>(rows.size());
    Style small = sized(7.5);
    doc.text_at(tr(lang, "Stichtag ", "As of ") + format_date(start.iso(), lang), x0, doc.y(),
                sized(7.5, true), 120);
    for (int y = start.year + 1; y <= end_date.year; ++y) {
        long long d = days_between(start, Date{y, 1, 1});
        if (d <= 0 || d > static_cast<long long>(total)) continue;
        double x = x_of(d);
        doc.line(x, top - 3, x, bottom, kRule, 0.6);
        doc.text_at(std::to_string(y), x - 12, top - 12, small, 24);
    }
    doc.line(x0, top - 3, x0, bottom, kInk, 1);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const RoadmapEntry& r = *rows[i];
        double y = top + kRowH * static_cast<double>(i);
        double cy = y + kRowH / 2;
        if (i % 2 == 1) doc.rect(kMarginX, y, kContentW, kRowH, kLight);
        std::string label =
            display_name(r.asset_name, r.asset_id) + " – " + roadmap_release_cell(r);
        doc.text_at(label, kMarginX, y + 2, small, kLabelW, 1);
        auto eol = parse_iso_date(r.eol_date);
        auto ext = parse_iso_date(r.extended_until);
        auto end = roadmap_end(r);
        auto bar = [&](long long from, long long to, Rgb c) {
            double a = x_of(from), b = x_of(to);
            if (b - a >= 0.5) doc.rect(a, cy - 3.5, b - a, 7, c);
        };
        if (!end) {
            if (r.phase == "ended") {
                doc.text_at(tr(lang, "beendet", "ended"), x0 + 4, y + 2, sized(7.5, false, kRed),
                            120);
            } else {
                bar(0, static_cast<long long>(total), kNavy);
                doc.text_at(tr(lang, "kein Ende angekündigt", "no end announced"), x0 + 4, y + 2,
                            sized(7.5, false, kWhite), 160);
            }
            continue;
        }
        long long d_end = days_between(start, *end);
        if (d_end < 0) {
            doc.rect(x0 - 1, cy - 5, 4, 10, kRed);
            doc.text_at(tr(lang, "beendet seit ", "ended on ") + format_date(end->iso(), lang),
                        x0 + 8, y + 2, sized(7.5, false, kRed), 160);
            continue;
        }
        long long d_eol = eol ? days_between(start, *eol) : 0;
        if (eol && d_eol > 0) bar(0, d_eol, kNavy);
        if (ext) {
            long long d_ext = days_between(start, *ext);
            if (d_ext > std::max(0LL, d_eol)) bar(std::max(0LL, d_eol), d_ext, amber);
        }
        if (d_end <= static_cast<long long>(total)) {
            double xe = x_of(d_end);
            doc.rect(xe - 1.5, cy - 5, 3, 10, kRed);
            bool room = xe + 60 < x1;
            doc.text_at(format_date(end->iso(), lang), room ? xe + 4 : xe - 58, y + 2, small, 54);
        } else {
            doc.text_at("→ " + format_date(end->iso(), lang), x1 - 70, y + 2,
                        sized(7.5, false, kWhite), 68);
        }
    }
    double ly = bottom + 6;
    auto legend = [&](double x, Rgb c, const char* text) {
        doc.rect(x, ly + 1, 9, 7, c);
        doc.text_at(text, x + 12, ly, small, 130);
    };
    legend(x0, kNavy, tr(lang, "reguläre Unterstützung", "regular support"));
    legend(x0 + 120, amber, tr(lang, "erweiterte Unterstützung", "extended support"));
    legend(x0 + 240, kRed, tr(lang, "Ende / beendet", "end / ended"));
    doc.set_y(ly + 16);
}

void roadmap_section(Doc& doc, const ScanResult& scan, const MunicipalityResult& mun) {
    Lang lang = doc.lang();
    doc.new_page();
    doc.h2(tr(lang, "Ablöse-Roadmap", "Replacement roadmap"));
    Date start = parse_iso_date(scan.as_of).value_or(today_utc());
    std::vector<const RoadmapEntry*> rows = roadmap_rows(mun);
    if (rows.empty()) {
        doc.para(tr(lang,
                    "Für kein System und keine Software liegen Daten zum Ende der Unterstützung "
                    "vor.",
                    "No end-of-support data is available for any system or software."),
                 sized(9.5));
        return;
    }
    doc.para(tr(lang,
                "Wann Betriebssysteme und erkannte Software (z. B. Webserver, PHP, Datenbanken) "
                "aus der Herstellerunterstützung fallen, das früheste Ende zuerst. Pakete einer "
                "noch unterstützten Linux-Distribution pflegt die Distribution weiter; das ist "
                "als erweiterte Unterstützung dargestellt.",
                "When operating systems and detected software (e.g. web servers, PHP, databases) "
                "leave vendor support, earliest end first. Packages of a still supported Linux "
                "distribution keep being maintained by the distribution; this is shown as "
                "extended support."),
             sized(9.5), 0, 6);
    constexpr std::size_t kMaxChartRows = 30;
    std::vector<const RoadmapEntry*> chart(
        rows.begin(), rows.size() > kMaxChartRows ? rows.begin() + kMaxChartRows : rows.end());
    roadmap_timeline(doc, chart, start);
    if (chart.size() < rows.size())
        doc.para(std::string(
                     tr(lang, "Die Zeitachse zeigt die ersten ", "The timeline shows the first ")) +
                     num(static_cast<int>(chart.size())) +
                     tr(lang, " Einträge; die Tabelle enthält alle.",
                        " entries; the table lists all of them."),
                 sized(8.5, false, kMuted), 0, 4);
    std::vector<Column> cols = {{tr(lang, "System", "System"), 100},
                                {tr(lang, "Produkt", "Product"), 110},
                                {tr(lang, "Status", "Status"), 90},
                                {tr(lang, "Supportende", "End of support"), 64},
                                {tr(lang, "Erweitert bis", "Extended until"), 64},
                                {tr(lang, "Verbleibend", "Remaining"), kContentW - 428}};
    std::vector<std::vector<Cell>> cells;
    for (const RoadmapEntry* r : rows) {
        Cell status{phase_label(r->phase, lang)};
        std::string remaining = "–";
        auto end = roadmap_end(*r);
        if (end) {
            long long d = days_between(start, *end);
            remaining = d < 0 ? std::string(tr(lang, "beendet seit ", "ended ")) +
                                    num(static_cast<int>(-d)) + tr(lang, " Tagen", " days ago")
                              : num(static_cast<int>(d)) + tr(lang, " Tage", " days");
            if (d < 0) status.color = kRed;
        } else if (r->phase != "ended") {
            remaining = tr(lang, "kein Ende angekündigt", "no end announced");
        }
        if (r->phase == "ended") status.color = kRed;
        cells.push_back(
            {Cell{cut(display_name(r->asset_name, r->asset_id), 80), true},
             Cell{roadmap_release_cell(*r)}, status,
             Cell{r->eol_date.empty() ? "–" : format_date(r->eol_date, lang)},
             Cell{r->extended_until.empty() ? "–" : format_date(r->extended_until, lang)},
             Cell{remaining}});
    }
    table(doc, cols, cells, 8);
}

void risks_section(Doc& doc, const ScanResult& scan, const MunicipalityResult& mun) {
    Lang lang = doc.lang();
    doc.h2(tr(lang, "Akzeptierte Risiken", "Accepted risks"));
    std::vector<std::pair<const AssetResult*, const RuleResult*>> waived;
    for (const auto& a : mun.assets)
        for (const auto& r : a.results)
            if (r.state == ResultState::Waived) waived.push_back({&a, &r});
    if (waived.empty()) {
        doc.para(tr(lang, "Es wurden keine Risiken akzeptiert.", "No risks were accepted."),
                 sized(9.5));
        return;
    }
    std::string intro = tr(lang,
                           "Für diese Punkte hat die Verwaltung bewusst und befristet entschieden, "
                           "das Risiko zu tragen. Sie zählen nicht in den Wert.",
                           "For these items the administration decided to carry the risk for a "
                           "limited time. They do not count in the score.");
    if (mun.score.value_without_waivers && mun.score.value &&
        *mun.score.value_without_waivers != *mun.score.value)
        intro += std::string(tr(lang, " Würden sie als nicht erfüllt zählen, läge der Wert bei ",
                                " Counted as failed, the score would be ")) +
                 format_percent(mun.score.value_without_waivers) +
                 tr(lang, " statt ", " instead of ") + format_percent(mun.score.value) + ".";
    doc.para(intro, sized(9.5), 0, 6);
    auto as_of = parse_iso_date(scan.as_of);
    for (const auto& [asset, r] : waived) {
        doc.need(60);
        const Rule* rule = scan.rule(r->rule_id);
        std::string title =
            clean(rule && !rule->title.get(lang).empty() ? rule->title.get(lang) : r->rule_id);
        doc.para(cut(title, 200) + " (" + cut(clean(r->rule_id), 80) + ")", sized(9.5, true), 8,
                 1.5);
        doc.labelled(tr(lang, "System:", "System:"), cut(display_name(asset->name, asset->id), 120),
                     8.5, 8);
        if (!r->waiver) {
            doc.para(tr(lang, "Keine Angaben zur Entscheidung.", "No details on the decision."),
                     sized(8.5, false, kMuted), 8);
            doc.space(4);
            continue;
        }
        const WaiverRef& w = *r->waiver;
        doc.labelled(tr(lang, "Begründung:", "Justification:"),
                     w.justification.empty() ? "–" : cut(clean(w.justification), 500), 8.5, 8);
        std::string who = w.approver.empty() ? "–" : cut(clean(w.approver), 120);
        if (!w.decided_on.empty())
            who += std::string(tr(lang, " am ", " on ")) + format_date(w.decided_on, lang);
        doc.labelled(tr(lang, "Entschieden von:", "Approved by:"), who, 8.5, 8);
        std::string until = w.expires.empty() ? "–" : format_date(w.expires, lang);
        auto exp = parse_iso_date(w.expires);
        if (exp && as_of && *exp < *as_of) until += tr(lang, " (abgelaufen)", " (expired)");
        doc.labelled(tr(lang, "Gültig bis:", "Expires:"), until, 8.5, 8);
        if (!w.ticket.empty())
            doc.labelled(tr(lang, "Vorgang:", "Ticket:"), cut(clean(w.ticket), 120), 8.5, 8);
        doc.space(5);
    }
}

void municipality_report(Doc& doc, const ScanResult& scan, const MunicipalityResult& mun) {
    summary_page(doc, scan, mun);
    doc.new_page();
    bausteine_section(doc, mun);
    modules_section(doc, scan, mun);
    maintenance_section(doc, scan, mun);
    roadmap_section(doc, scan, mun);
    risks_section(doc, scan, mun);
    datenstand_section(doc, scan);
    method_section(doc, scan);
}

// ---- organisation roll-up --------------------------------------------------------------------

void verbund_report(Doc& doc, const ScanResult& scan) {
    Lang lang = doc.lang();
    std::string org = clean(scan.org_name.empty() ? scan.org_id : scan.org_name);
    doc.h1(org.empty() ? tr(lang, "Verbund", "Organisation") : org);
    doc.para(tr(lang, "IT-Grundschutz-Prüfung – Übersicht aller Kommunen im Verbund",
                "IT-Grundschutz check – overview of all municipalities"),
             sized(10.5, false, kMuted), 0, 10);
    partial_banner(doc, scan);
    double y0 = doc.y();
    double h = score_block(doc, scan.score, kMarginX, y0, lang);
    double rx = kMarginX + 235, rw = kContentW - 235;
    double ry = y0 + 4;
    ry += doc.text_at(score_meaning(scan, scan.score, lang), rx, ry, sized(9.5), rw) + 4;
    ry += doc.text_at(clean(ampel_explanation(scan, scan.score, scan.coverage, lang)), rx, ry,
                      sized(9.5, true), rw) +
          4;
    ry += doc.text_at(decided_sentence(scan.score, lang), rx, ry, sized(9.5), rw);
    doc.set_y(std::max(y0 + h, ry) + 12);
    levels_block(doc, scan.score, scan.coverage, sized(9.5));

    doc.h2(tr(lang, "Kommunen", "Municipalities"));
    std::vector<Column> cols = {{tr(lang, "Kommune", "Municipality"), 160},
                                {tr(lang, "Wert", "Score"), 42, true},
                                {tr(lang, "Ampel", "Light"), 84},
                                {tr(lang, "offen", "open"), 38, true},
                                {tr(lang, "davon kritisch", "of which critical"), 52, true},
                                {tr(lang, "akzeptiert", "accepted"), 58, true},
                                {tr(lang, "Abdeckung", "Coverage"), kContentW - 434, true}};
    auto row = [&](const std::string& name, const Score& s, bool bold) {
        Cell light{ampel_label(s.ampel, lang), bold};
        light.ampel = s.ampel;
        return std::vector<Cell>{Cell{name, true},
                                 Cell{format_percent(s.value), bold},
                                 light,
                                 Cell{num(s.tally.fail), bold},
                                 Cell{num(severity_count(s.tally, Severity::Critical)), bold},
                                 Cell{num(s.tally.waived), bold},
                                 Cell{format_percent(s.coverage), bold}};
    };
    std::vector<std::vector<Cell>> rows;
    for (const auto& m : scan.municipalities)
        rows.push_back(row(cut(display_name(m.name, m.id), 120), m.score, false));
    rows.push_back(row(tr(lang, "Gesamt (Verbund)", "Total (organisation)"), scan.score, true));
    if (scan.municipalities.empty())
        doc.para(tr(lang, "Keine Kommunen im Scan.", "No municipalities scanned."), sized(9.5));
    table(doc, cols, rows, 9);
    doc.para(tr(lang,
                "Die Einzelberichte der Kommunen enthalten die wichtigsten Maßnahmen, die "
                "Ergebnisse je Baustein, auslaufende Systeme und akzeptierte Risiken.",
                "The reports of the municipalities list the most important fixes, the results "
                "per module, systems running out of support and accepted risks."),
             sized(9, false, kMuted), 0, 6);

    if (!scan.warnings.empty()) {
        doc.h2(tr(lang, "Hinweise zum Scan", "Scan warnings"));
        for (const auto& w : scan.warnings) doc.para("• " + cut(clean(w), 400), sized(8.5), 6);
    }
    datenstand_section(doc, scan);
    method_section(doc, scan);
}

// ---- rendering -------------------------------------------------------------------------------

cairo_status_t discard_bytes(void*, const unsigned char*, unsigned int) {
    return CAIRO_STATUS_SUCCESS;
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

Frame make_frame(const ScanResult& scan, const std::string& title, Lang lang) {
    Frame f;
    f.lang = lang;
    f.title = title;
    if (!scan.as_of.empty())
        f.date = std::string(tr(lang, "Stichtag ", "As of ")) + format_date(scan.as_of, lang);
    f.subtitle = tr(lang, "IT-Grundschutz-Bericht", "IT-Grundschutz report");
    if (!scan.packs.empty()) {
        f.subtitle += tr(lang, " · Regelpakete: ", " · Rule packs: ");
        for (std::size_t i = 0; i < scan.packs.size(); ++i)
            f.subtitle += (i ? ", " : "") + cut(clean(scan.packs[i].id), 60) + " " +
                          cut(clean(scan.packs[i].version), 30);
    }
    if (!scan.profile.empty())
        f.subtitle +=
            std::string(tr(lang, " · Profil: ", " · Profile: ")) + cut(clean(scan.profile), 60);
    f.footer = tr(lang, "Erstellt mit grundscan", "Generated by grundscan");
    if (!scan.tool_version.empty()) f.footer += " " + cut(clean(scan.tool_version), 30);
    f.footer += tr(lang, " – ersetzt keinen IT-Grundschutz-Check.",
                   " – does not replace an IT-Grundschutz check.");
    return f;
}

// Renders a document twice (page count, then for real); returns the PDF bytes.
Expected<std::string> render_pdf(const ScanResult& scan, const Frame& frame,
                                 const std::function<void(Doc&)>& content) {
    int total = 0;
    for (int pass = 0; pass < 2; ++pass) {
        std::string out;
        cairo_surface_t* surface =
            pass == 0 ? cairo_pdf_surface_create_for_stream(&discard_bytes, nullptr, kPageW, kPageH)
                      : cairo_pdf_surface_create_for_stream(&append_bytes, &out, kPageW, kPageH);
        std::string title = clean(frame.title) + " – IT-Grundschutz";
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "grundscan");
        const std::string& ts = scan.started_at;
        if (ts.size() >= 19 && ts[4] == '-' && ts[10] == 'T' && text::is_valid_utf8(ts)) {
            std::string date = ts.substr(0, 19) + "Z";  // reproducible: the scan time, not now
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
        }
        int pages = 0;
        {
            Doc doc(surface, frame, total);
            content(doc);
            pages = doc.finish();
        }
        cairo_surface_finish(surface);
        cairo_status_t status = cairo_surface_status(surface);
        cairo_surface_destroy(surface);
        if (status != CAIRO_STATUS_SUCCESS)
            return Error(std::string("PDF rendering failed: ") + cairo_status_to_string(status));
        if (pass == 1) return out;
        total = pages;
    }
    return Error("PDF rendering failed");
}

Expected<std::vector<std::filesystem::path>> write_pdf(const ScanResult& scan,
                                                       const ReportOptions& options) {
    std::filesystem::path dir = options.out_dir / "pdf";
    std::vector<std::string> stems = municipality_file_stems(scan, "verbund");
    std::vector<std::filesystem::path> written;
    auto put = [&](const std::filesystem::path& path, const Frame& frame,
                   const std::function<void(Doc&)>& content) -> Status {
        auto pdf = render_pdf(scan, frame, content);
        if (!pdf) return Error(pdf.error().message, path.string());
        Status st = write_file_atomic(path, *pdf);
        if (st) written.push_back(path);
        return st;
    };
    for (std::size_t i = 0; i < scan.municipalities.size(); ++i) {
        const MunicipalityResult& mun = scan.municipalities[i];
        Status st = put(dir / (stems[i] + ".pdf"),
                        make_frame(scan, display_name(mun.name, mun.id), options.lang),
                        [&](Doc& doc) { municipality_report(doc, scan, mun); });
        if (!st) return st.error();
    }
    std::string org = scan.org_name.empty() ? scan.org_id : scan.org_name;
    Status st =
        put(dir / "verbund.pdf",
            make_frame(scan, org.empty() ? tr(options.lang, "Verbund", "Organisation") : clean(org),
                       options.lang),
            [&](Doc& doc) { verbund_report(doc, scan); });
    if (!st) return st.error();
    return written;
}

}  // namespace

const ReportWriter& pdf_report_writer() {
    static const ReportWriter writer{
        "pdf", "PDF report for the council per municipality, plus verbund.pdf", &write_pdf};
    return writer;
}

}  // namespace grundscan
