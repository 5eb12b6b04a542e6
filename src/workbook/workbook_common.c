/* Shared workbook machinery (see workbook_common.h, RULES.md section 10). */
#include "workbook/workbook_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "bpa/num.h"
#include "trace/format.h"
#include "trace/labels.h"
#include "io/outfile.h"
#include "io/xlsx.h"
#include "core/sha256.h"

#define DEFAULT_MAX_WIDTH 50
#define HEAD_MAX_WIDTH 16 /* longer headers wrap onto more lines */
#define MAX_TEXT 32767    /* Excel's limit for one cell */
/* 2000-01-01 00:00:00 UTC: a fixed creation time, so that the same result
 * gives the same bytes (libxlsxwriter 1.1.x stamps every zip entry with a
 * fixed 1980-01-01, checked by the unit test writing twice). */
#define FIXED_CREATED ((time_t)946684800)
/* where tmpfile(), and so libxlsxwriter, keeps temporary files */
#ifndef P_tmpdir
#define P_tmpdir "/tmp"
#endif

static void note(wb *w, lxw_error e)
{
    if (e != LXW_NO_ERROR && w->lerr == LXW_NO_ERROR)
        w->lerr = e;
}

const char *wb_label(const wb *w, const char *key) { return bpa_label(key, w->lang); }

/* ---- the record of what is written (read back by wb_close) --------------------- */

static unsigned long corrupt_at; /* tests only */
static bool skew_witness;         /* tests only */

void wb_test_corrupt_cell(unsigned long n) { corrupt_at = n; }

void wb_test_skew_witness(bool on) { skew_witness = on; }

/* A format as libxlsxwriter 1.1.4 writes it into styles.xml (styles.c and
 * workbook.c's _prepare_fills), as io/xlsx.h resolves it back: only the
 * properties make_formats sets are compared. */
static void style_digest(const lxw_format *f, unsigned char out[32])
{
    static const char *const patterns[] = {
        "none",           "solid",         "mediumGray",     "darkGray",       "lightGray",
        "darkHorizontal", "darkVertical",  "darkDown",       "darkUp",         "darkGrid",
        "darkTrellis",    "lightHorizontal", "lightVertical", "lightDown",     "lightUp",
        "lightGrid",      "lightTrellis",  "gray125",        "gray0625"};
    static const char *const borders[] = {
        "",       "thin",         "medium",        "dashed",     "dotted",
        "thick",  "double",       "hair",          "mediumDashed", "dashDot",
        "mediumDashDot", "dashDotDot", "mediumDashDotDot", "slantDashDot"};
    static const char *const horizontal[] = {"",        "left",    "center",           "right",
                                             "fill",    "justify", "centerContinuous", "distributed"};
    static const char *const vertical[] = {"top", "bottom", "center", "justify", "distributed"};
    char size[32], color[16], fill_color[16];
    bpa_xlsx_style st;
    memset(&st, 0, sizeof st);
    st.num_format_id = f->num_format_index;
    st.num_format = f->num_format;
    st.bold = f->bold;
    st.italic = f->italic;
    st.font_name = f->font_name[0] ? f->font_name : LXW_DEFAULT_FONT_NAME;
    snprintf(size, sizeof size, "%.16G", f->font_size);
    st.font_size = size;
    if (f->font_color != LXW_COLOR_UNSET)
        snprintf(color, sizeof color, "FF%06X", (unsigned)(f->font_color & 0xFFFFFF));
    else
        snprintf(color, sizeof color, "theme:%d", LXW_DEFAULT_FONT_THEME);
    st.font_color = color;
    /* a colour without a pattern is a solid fill of that colour */
    unsigned pattern = f->pattern;
    lxw_color_t fg = f->fg_color;
    if (pattern <= LXW_PATTERN_SOLID && f->bg_color != LXW_COLOR_UNSET && fg == LXW_COLOR_UNSET)
        fg = f->bg_color, pattern = LXW_PATTERN_SOLID;
    if (pattern <= LXW_PATTERN_SOLID && fg != LXW_COLOR_UNSET)
        pattern = LXW_PATTERN_SOLID;
    st.fill = pattern < sizeof patterns / sizeof patterns[0] ? patterns[pattern] : "?";
    fill_color[0] = '\0';
    if (fg != LXW_COLOR_UNSET)
        snprintf(fill_color, sizeof fill_color, "FF%06X", (unsigned)(fg & 0xFFFFFF));
    st.fill_color = fill_color;
    const uint8_t side[4] = {f->left, f->right, f->top, f->bottom};
    for (int k = 0; k < 4; k++)
        st.border[k] = side[k] < sizeof borders / sizeof borders[0] ? borders[side[k]] : "?";
    st.horizontal = f->text_h_align < sizeof horizontal / sizeof horizontal[0]
                        ? horizontal[f->text_h_align]
                        : "?";
    unsigned v = f->text_v_align;
    st.vertical = v >= LXW_ALIGN_VERTICAL_TOP && v - LXW_ALIGN_VERTICAL_TOP < 5
                      ? vertical[v - LXW_ALIGN_VERTICAL_TOP]
                      : "";
    st.indent = f->indent;
    st.wrap = f->text_wrap;
    bpa_xlsx_style_digest(&st, out);
}

/* The digest of a cell's format (NULL: the workbook's default), computed
 * once per format. */
static const unsigned char *format_digest(wb *w, const lxw_format *f)
{
    if (!f)
        return w->default_style;
    for (size_t i = 0; i < w->nstyles; i++)
        if (w->styles[i].format == f)
            return w->styles[i].digest;
    if (w->nstyles == sizeof w->styles / sizeof w->styles[0]) {
        w->nomem = true; /* more formats than make_formats makes: see WB_MAX_FORMATS */
        return w->default_style;
    }
    w->styles[w->nstyles].format = f;
    style_digest(f, w->styles[w->nstyles].digest);
    return w->styles[w->nstyles++].digest;
}

static void record(wb_sheet *sh, int row, int col, bpa_xlsx_type type, const char *value,
                   const char *formula, const lxw_format *f)
{
    wb *w = sh->w;
    if (sh->ncells == sh->capcells) {
        size_t nc = sh->capcells ? 2 * sh->capcells : 256;
        wb_cell_rec *n = bpa_realloc(sh->cells, nc * sizeof *n);
        if (!n) {
            w->nomem = true;
            return;
        }
        sh->cells = n;
        sh->capcells = nc;
    }
    /* libxlsxwriter stores a formula without its '=' */
    if (formula && formula[0] == '=')
        formula++;
    bpa_xlsx_cell c = {(uint32_t)row, (uint32_t)col, type, value, strlen(value), formula, 0};
    wb_cell_rec *r = &sh->cells[sh->ncells];
    r->row = (uint32_t)row;
    r->col = (uint32_t)col;
    r->seq = (uint32_t)sh->ncells++;
    bpa_xlsx_cell_digest(&c, format_digest(w, f), r->digest);
    if (++w->ncells == corrupt_at)
        r->digest[0] ^= 1;
}

/* A string as libxlsxwriter stores it: control characters other than tab
 * and line feed as "_xHHHH_"; "" is a blank cell when it has a format and
 * no cell at all without one. */
static void record_text(wb_sheet *sh, int row, int col, const char *text, const lxw_format *f)
{
    static const char controls[] = "\x01\x02\x03\x04\x05\x06\x07\x08\x0B\x0C\x0D\x0E\x0F"
                                   "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1A\x1B\x1C"
                                   "\x1D\x1E\x1F";
    if (!text[0]) {
        if (f)
            record(sh, row, col, BPA_XLSX_BLANK, "", NULL, f);
        return;
    }
    if (!strpbrk(text, controls)) {
        record(sh, row, col, BPA_XLSX_SHARED_STRING, text, NULL, f);
        return;
    }
    bpa_strbuf b;
    bpa_strbuf_init(&b);
    for (const char *p = text; *p; p++) {
        if (strchr(controls, *p))
            bpa_strbuf_addf(&b, "_x%04X_", (unsigned)(unsigned char)*p);
        else
            bpa_strbuf_addn(&b, p, 1);
    }
    char *t = bpa_strbuf_detach(&b);
    if (!t) {
        sh->w->nomem = true;
        return;
    }
    record(sh, row, col, BPA_XLSX_SHARED_STRING, t, NULL, f);
    free(t);
}

/* A number as libxlsxwriter prints it: lxw_sprintf_dbl, "%.16G" into 32
 * bytes (Debian's build has no dtoa library). */
static void record_number(wb_sheet *sh, int row, int col, double v, const char *formula,
                          const lxw_format *f)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.16G", v);
    record(sh, row, col, BPA_XLSX_NUMBER, buf, formula, f);
}

static bool grow_names(wb *w)
{
    size_t nc = w->capnames ? 2 * w->capnames : 16;
    unsigned char(*n)[32] = bpa_realloc(w->names, nc * sizeof *n);
    if (!n)
        return false;
    w->names = n;
    w->capnames = nc;
    return true;
}

/* A defined name as libxlsxwriter writes it for the sheet: the sheet's
 * quoted name, '!', the range. */
static void record_name(wb_sheet *sh, const char *name, bool hidden, const char *range)
{
    wb *w = sh->w;
    char *quoted = lxw_quote_sheetname(sh->name);
    if (!quoted || (w->nnames == w->capnames && !grow_names(w))) {
        free(quoted);
        w->nomem = true;
        return;
    }
    bpa_xlsx_name n = {name, wb_fmt(w, "%s!%s", quoted, range), sh->index, hidden};
    free(quoted);
    bpa_xlsx_name_digest(&n, w->names[w->nnames++]);
}

const char *wb_fmt(wb *w, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        w->nomem = true;
        return "";
    }
    if ((size_t)n < sizeof small)
        return bpa_strpool_add(&w->pool, small);
    char *big = bpa_malloc((size_t)n + 1);
    if (!big) {
        w->nomem = true;
        return "";
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    const char *s = bpa_strpool_add(&w->pool, big);
    free(big);
    return s;
}

/* The one place numbers become doubles: the decimal text of an exact value
 * (already rounded where it passed a rounding point; exact inputs at their
 * own decimals) read back by strtod, only to hand it to libxlsxwriter. */
static double cell_value(wb *w, const mpq_t q)
{
    unsigned dec = 2;
    while (dec < 12 && !bpa_is_exact_at(q, dec))
        dec++;
    char *s = bpa_fmt_fixed(q, dec);
    if (!s) {
        w->nomem = true;
        return 0;
    }
    double v = strtod(s, NULL);
    free(s);
    return v;
}

/* ---- formats ------------------------------------------------------------------ */

/* A new format of book b (0: the workbook, 1: its witness), listed in the
 * order made, which is the same for both. */
static lxw_format *fmt_new(wb *w, int b, const char *num, bool bold)
{
    lxw_format *f = workbook_add_format(b ? w->witness : w->book);
    if (!f || w->nmade[b] == WB_MAX_FORMATS) {
        w->nomem = true;
        return NULL;
    }
    w->made[b][w->nmade[b]++] = f;
    format_set_font_name(f, "Calibri");
    format_set_font_size(f, 10);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (num) {
        /* numbers keep a space to their right, so a date or text in the
         * next column never touches them */
        /* a Danish workbook's numbers and dates in the Danish locale
         * ("1.234,56"), whatever the reader's program is set to */
        char code[64];
        /* a Swedish one's in the Swedish locale ("1 234,56") */
        snprintf(code, sizeof code, "%s%s",
                 w->lang == BPA_LANG_DA   ? "[$-406]"
                 : w->lang == BPA_LANG_SV ? "[$-41D]"
                                          : "",
                 num);
        format_set_num_format(f, code);
        format_set_align(f, LXW_ALIGN_RIGHT);
        format_set_indent(f, 1);
    }
    if (bold)
        format_set_bold(f);
    return f;
}

static void make_formats(wb *w, int b)
{
    wb_formats *f = b ? &w->wf : &w->f;
    const char *date = w->lang == BPA_LANG_DA ? "[$-406]dd.mm.yyyy" : "yyyy-mm-dd";
    f->title = fmt_new(w, b, NULL, true);
    if (f->title)
        format_set_font_size(f->title, 14);
    f->subtitle = fmt_new(w, b, NULL, false);
    if (f->subtitle) {
        format_set_italic(f->subtitle);
        format_set_font_color(f->subtitle, 0x595959);
    }
    f->section = fmt_new(w, b, NULL, true);
    if (f->section) {
        format_set_font_size(f->section, 11);
        format_set_bottom(f->section, LXW_BORDER_THIN);
    }
    f->head = fmt_new(w, b, NULL, true);
    if (f->head) {
        format_set_bg_color(f->head, 0xD9E1F2);
        format_set_bottom(f->head, LXW_BORDER_THIN);
        format_set_text_wrap(f->head);
    }
    f->head_num = fmt_new(w, b, NULL, true);
    if (f->head_num) {
        format_set_bg_color(f->head_num, 0xD9E1F2);
        format_set_bottom(f->head_num, LXW_BORDER_THIN);
        format_set_text_wrap(f->head_num);
        format_set_align(f->head_num, LXW_ALIGN_RIGHT);
        format_set_indent(f->head_num, 1);
    }
    f->label = fmt_new(w, b, NULL, true);
    f->text = fmt_new(w, b, NULL, false);
    f->wrap = fmt_new(w, b, NULL, false);
    if (f->wrap)
        format_set_text_wrap(f->wrap);
    f->mono = fmt_new(w, b, NULL, false);
    if (f->mono)
        format_set_font_name(f->mono, "Courier New");
    f->amount = fmt_new(w, b, "#,##0.00", false);
    f->amount_total = fmt_new(w, b, "#,##0.00", true);
    if (f->amount_total)
        format_set_top(f->amount_total, LXW_BORDER_THIN);
    f->amount_big = fmt_new(w, b, "#,##0.00", true);
    if (f->amount_big) {
        format_set_font_size(f->amount_big, 12);
        format_set_top(f->amount_big, LXW_BORDER_THIN);
        format_set_bottom(f->amount_big, LXW_BORDER_DOUBLE);
    }
    f->text_big = fmt_new(w, b, NULL, true);
    if (f->text_big)
        format_set_font_size(f->text_big, 12);
    f->hours = fmt_new(w, b, "#,##0.00", false);
    f->hours_total = fmt_new(w, b, "#,##0.00", true);
    if (f->hours_total)
        format_set_top(f->hours_total, LXW_BORDER_THIN);
    f->share = fmt_new(w, b, "0.0000", false);
    f->rate = fmt_new(w, b, "#,##0.00", false);
    f->rate_exact = fmt_new(w, b, "#,##0.0000", false);
    f->factor = fmt_new(w, b, "0.00##", false);
    f->rate_input = fmt_new(w, b, "#,##0.00####", false);
    /* whole numbers (years, counts) and dates read as text: left */
    f->count = fmt_new(w, b, "0", false);
    f->integer = fmt_new(w, b, NULL, false);
    f->date = fmt_new(w, b, NULL, false);
    f->month = fmt_new(w, b, NULL, false);
    if (f->integer && f->date && f->month) {
        format_set_num_format(f->integer, "0");
        format_set_num_format(f->date, date);
        format_set_num_format(f->month, w->lang == BPA_LANG_DA ? "[$-406]mm.yyyy" : "yyyy-mm");
        format_set_align(f->integer, LXW_ALIGN_LEFT);
        format_set_align(f->date, LXW_ALIGN_LEFT);
        format_set_align(f->month, LXW_ALIGN_LEFT);
    }
    f->date_left = f->date;
    f->hours4 = fmt_new(w, b, "#,##0.0000", false);
    f->hm = fmt_new(w, b, "[h]:mm", false);
    /* input cells: the ones a reader may change and recalculate */
    f->in_hours = fmt_new(w, b, "#,##0.00##", false);
    f->in_rate = fmt_new(w, b, "#,##0.00####", false);
    f->in_factor = fmt_new(w, b, "0.00##", false);
    lxw_format *in[] = {f->in_hours, f->in_rate, f->in_factor};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        if (in[i])
            format_set_bg_color(in[i], 0xFFF2CC);
}

/* ---- the witness ------------------------------------------------------------------ */

/* The witness's format for one of the workbook's: the one made in the
 * same place. A format not made by make_formats has none (the witness then
 * differs, and the write fails). */
static lxw_format *twin(const wb *w, const lxw_format *f)
{
    if (!f)
        return NULL;
    for (size_t i = 0; i < w->nmade[0]; i++)
        if (w->made[0][i] == f)
            return i < w->nmade[1] ? w->made[1][i] : NULL;
    return NULL;
}

/* The cell writes, made on both workbooks alike. */
static void put_string(wb_sheet *sh, int row, int col, const char *t, lxw_format *f)
{
    lxw_worksheet *const both[2] = {sh->ws, sh->wws};
    for (int b = 0; b < 2 && both[b]; b++)
        note(sh->w, worksheet_write_string(both[b], (lxw_row_t)row, (lxw_col_t)col, t,
                                           b ? twin(sh->w, f) : f));
}

static void put_number(wb_sheet *sh, int row, int col, double v, lxw_format *f)
{
    lxw_worksheet *const both[2] = {sh->ws, sh->wws};
    for (int b = 0; b < 2 && both[b]; b++)
        note(sh->w, worksheet_write_number(both[b], (lxw_row_t)row, (lxw_col_t)col, v,
                                           b ? twin(sh->w, f) : f));
}

static void put_formula(wb_sheet *sh, int row, int col, const char *formula, lxw_format *f,
                        double v)
{
    lxw_worksheet *const both[2] = {sh->ws, sh->wws};
    for (int b = 0; b < 2 && both[b]; b++)
        note(sh->w, worksheet_write_formula_num(both[b], (lxw_row_t)row, (lxw_col_t)col, formula,
                                                b ? twin(sh->w, f) : f, v));
}

static void put_formula_str(wb_sheet *sh, int row, int col, const char *formula, lxw_format *f,
                            const char *result)
{
    lxw_worksheet *const both[2] = {sh->ws, sh->wws};
    for (int b = 0; b < 2 && both[b]; b++)
        note(sh->w, worksheet_write_formula_str(both[b], (lxw_row_t)row, (lxw_col_t)col, formula,
                                                b ? twin(sh->w, f) : f, result));
}

static void put_datetime(wb_sheet *sh, int row, int col, lxw_datetime *dt, lxw_format *f)
{
    lxw_worksheet *const both[2] = {sh->ws, sh->wws};
    for (int b = 0; b < 2 && both[b]; b++)
        note(sh->w, worksheet_write_datetime(both[b], (lxw_row_t)row, (lxw_col_t)col, dt,
                                             b ? twin(sh->w, f) : f));
}

/* Do two files hold the same bytes? */
static bool same_file(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    bool same = fa && fb;
    char ba[4096], bb[4096];
    while (same) {
        size_t na = fread(ba, 1, sizeof ba, fa), nb = fread(bb, 1, sizeof bb, fb);
        same = na == nb && memcmp(ba, bb, na) == 0 && !ferror(fa) && !ferror(fb);
        if (na < sizeof ba)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

/* ---- workbook ------------------------------------------------------------------ */

bpa_status wb_open(wb *w, const char *file, bpa_lang lang, const char *case_id,
                   const char *title_key, bpa_error *err)
{
    memset(w, 0, sizeof *w);
    w->lang = lang;
    w->case_id = case_id;
    /* the witness lives where libxlsxwriter keeps its own temporary files */
    bpa_status st = bpa_outfile_open_named(&w->wout, P_tmpdir "/bpa-witness.xlsx", err);
    if (st != BPA_OK)
        return st;
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL,
                                .use_zip64 = LXW_FALSE};
    w->book = workbook_new_opt(file, &opt);
    if (!w->book) {
        bpa_outfile_abort(&w->wout);
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    w->witness = workbook_new_opt(w->wout.tmp_path, &opt);
    if (!w->witness)
        w->nomem = true;
    /* style 0 of the file must be a fresh format's: a cell without one
     * shows it, and libxlsxwriter loses it on a failed allocation */
    lxw_format *fresh = lxw_format_new();
    if (fresh)
        style_digest(fresh, w->default_style);
    else
        w->nomem = true;
    lxw_format_free(fresh);
    make_formats(w, 0);
    if (w->witness)
        make_formats(w, 1);
    lxw_doc_properties props;
    memset(&props, 0, sizeof props);
    props.title = (char *)wb_fmt(w, "%s %s", wb_label(w, title_key), case_id);
    props.subject = (char *)wb_label(w, title_key);
    props.author = (char *)"bpa " BPA_VERSION;
    props.company = (char *)"";
    props.comments = (char *)wb_label(w, "props.comments");
    props.created = FIXED_CREATED;
    note(w, workbook_set_properties(w->book, &props));
    if (w->witness)
        note(w, workbook_set_properties(w->witness, &props));
    return BPA_OK;
}

static void custom_property(wb *w, const char *name, const char *value)
{
    note(w, workbook_set_custom_property_string(w->book, name, value));
    if (w->witness)
        note(w, workbook_set_custom_property_string(w->witness, name, value));
}

void wb_property(wb *w, const char *name, const char *value) { custom_property(w, name, value); }

void wb_fingerprints(wb *w, const bpa_case *c, const bpa_policy *p, const char *const *extra)
{
    custom_property(w, "bpa engine", "bpa " BPA_VERSION);
    custom_property(w, "case", c->id);
    custom_property(w, "policy", bpa_policy_id(p));
    custom_property(w, "policy sha256", bpa_policy_sha256(p));
    custom_property(w, "case sha256", c->sha256);
    /* the usage file first, then its timesheets: named by role, since two
     * timesheets may share a base name */
    for (size_t i = 0; extra && extra[i] && extra[i + 1]; i += 2) {
        const char *base = strrchr(extra[i], '/');
        base = base ? base + 1 : extra[i];
        const char *role = i == 0 ? "usage" : wb_fmt(w, "timesheet %zu", i / 2);
        custom_property(w, role, base);
        custom_property(w, wb_fmt(w, "%s sha256", role), extra[i + 1]);
    }
}

static void cols_release(wb_sheet *sh);

static int cell_rec_cmp(const void *a, const void *b)
{
    const wb_cell_rec *x = a, *y = b;
    if (x->row != y->row)
        return (x->row > y->row) - (x->row < y->row);
    if (x->col != y->col)
        return (x->col > y->col) - (x->col < y->col);
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static int digest_cmp(const void *a, const void *b) { return memcmp(a, b, 32); }

/* The digest of a sheet as recorded: its cells in the file's order (rows,
 * then columns), a cell written twice counting once, as its last write. */
static void recorded_digest(wb_sheet *sh, unsigned char out[32])
{
    qsort(sh->cells, sh->ncells, sizeof *sh->cells, cell_rec_cmp);
    bpa_sha256 h;
    bpa_sha256_init(&h);
    for (size_t i = 0; i < sh->ncells; i++) {
        const wb_cell_rec *r = &sh->cells[i];
        if (i + 1 < sh->ncells && r[1].row == r->row && r[1].col == r->col)
            continue;
        bpa_sha256_update(&h, r->digest, 32);
    }
    bpa_sha256_final(&h, out);
}

/* The digest of sheet i as the file holds it. */
static bpa_status file_digest(bpa_xlsx *x, size_t i, unsigned char out[32], bpa_error *err)
{
    bpa_xlsx_sheet *cur;
    bpa_status st = bpa_xlsx_sheet_open(x, i, &cur, err);
    if (st != BPA_OK)
        return st;
    bpa_sha256 h;
    bpa_sha256_init(&h);
    const bpa_xlsx_cell *c;
    while ((st = bpa_xlsx_sheet_next(cur, &c, err)) == BPA_OK && c) {
        bpa_xlsx_style style;
        unsigned char sd[32], d[32];
        if (!bpa_xlsx_style_get(x, c->style, &style)) {
            memset(sd, 0, sizeof sd); /* a style the file lacks: differs from any */
        } else {
            bpa_xlsx_style_digest(&style, sd);
        }
        bpa_xlsx_cell_digest(c, sd, d);
        bpa_sha256_update(&h, d, 32);
    }
    bpa_xlsx_sheet_close(cur);
    bpa_sha256_final(&h, out);
    return st;
}

/* What differs between the file and the record, into what[n] ("" when
 * nothing does). */
static bpa_status compare(wb *w, bpa_xlsx *x, char *what, size_t n, bpa_error *err)
{
    what[0] = '\0';
    if (bpa_xlsx_sheet_count(x) != (size_t)w->nsheets) {
        snprintf(what, n, "it holds %zu sheets, not %d", bpa_xlsx_sheet_count(x), w->nsheets);
        return BPA_OK;
    }
    bpa_xlsx_style style0;
    unsigned char d0[32];
    if (!bpa_xlsx_style_get(x, 0, &style0)) {
        snprintf(what, n, "it has no cell format 0");
        return BPA_OK;
    }
    bpa_xlsx_style_digest(&style0, d0);
    if (memcmp(d0, w->default_style, 32) != 0) {
        snprintf(what, n, "its default cell format (Normal) is not the default");
        return BPA_OK;
    }
    for (int i = 0; i < w->nsheets; i++)
        if (strcmp(bpa_xlsx_sheet_name(x, (size_t)i), w->sheets[i]->name) != 0) {
            snprintf(what, n, "sheet %d is named \"%s\", not \"%s\"", i + 1,
                     bpa_xlsx_sheet_name(x, (size_t)i), w->sheets[i]->name);
            return BPA_OK;
        }
    size_t nn = bpa_xlsx_name_count(x);
    if (nn != w->nnames) {
        snprintf(what, n, "it holds %zu defined names, not %zu", nn, w->nnames);
        return BPA_OK;
    }
    unsigned char(*names)[32] = bpa_calloc(nn ? nn : 1, sizeof *names);
    if (!names)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    for (size_t i = 0; i < nn; i++)
        bpa_xlsx_name_digest(bpa_xlsx_name_at(x, i), names[i]);
    qsort(names, nn, sizeof *names, digest_cmp);
    qsort(w->names, w->nnames, sizeof *w->names, digest_cmp);
    bool same = nn == 0 || memcmp(names, w->names, nn * sizeof *names) == 0;
    free(names);
    if (!same) {
        snprintf(what, n, "its defined names (print titles, filters) differ");
        return BPA_OK;
    }
    for (int i = 0; i < w->nsheets; i++) {
        unsigned char want[32], got[32];
        bpa_status st = file_digest(x, (size_t)i, got, err);
        if (st != BPA_OK)
            return st;
        recorded_digest(w->sheets[i], want);
        if (memcmp(want, got, 32) != 0) {
            snprintf(what, n, "sheet \"%s\" does not hold the cells written", w->sheets[i]->name);
            return BPA_OK;
        }
    }
    return BPA_OK;
}

/* Read the closed workbook back: the package whole and exactly the sheets,
 * defined names and cells recorded. */
static bpa_status read_back(wb *w, const bpa_outfile *out, bpa_error *err)
{
    bpa_error e;
    bpa_error_clear(&e);
    bpa_xlsx *x = NULL;
    char what[BPA_ERROR_MSG_MAX / 2] = "";
    bpa_status st = bpa_xlsx_open_named(&x, out->tmp_path, out->final_path, &e);
    if (st == BPA_OK)
        st = bpa_xlsx_check(x, &e);
    if (st == BPA_OK)
        st = compare(w, x, what, sizeof what, &e);
    bpa_xlsx_free(x);
    if (st == BPA_E_NOMEM)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory writing %s",
                             out->final_path);
    const char *why = st != BPA_OK ? e.message : what;
    if (!why[0])
        return BPA_OK;
    return bpa_error_set(err, BPA_E_OUTPUT, NULL, 0, 0, NULL,
                         "%s could not be written completely (out of memory?): %s",
                         out->final_path, why);
}

bpa_status wb_close(wb *w, bpa_outfile *out, bpa_error *err)
{
    /* a sheet left unfinished by an error still holds its wrap list */
    for (int i = 0; i < w->nsheets; i++) {
        free(w->sheets[i]->wrapped);
        w->sheets[i]->wrapped = NULL;
        w->sheets[i]->nwrapped = w->sheets[i]->capwrapped = 0;
        cols_release(w->sheets[i]);
    }
    lxw_error e = workbook_close(w->book);
    w->book = NULL;
    if (w->witness) {
        if (skew_witness && w->nsheets && w->sheets[0]->wws)
            worksheet_write_string(w->sheets[0]->wws, 0, 0, "skew", NULL);
        note(w, workbook_close(w->witness));
        w->witness = NULL;
    }
    bool nomem = w->nomem || bpa_strpool_failed(&w->pool);
    if (e != LXW_NO_ERROR)
        note(w, e);
    bpa_status st = BPA_OK;
    if (nomem) {
        st = bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory writing %s",
                           out->final_path);
    } else if (w->lerr != LXW_NO_ERROR) {
        st = bpa_error_set(err, BPA_E_OUTPUT, NULL, 0, 0, NULL, "cannot write %s: %s",
                           out->final_path, lxw_strerror(w->lerr));
    } else if (!same_file(out->tmp_path, w->wout.tmp_path)) {
        /* libxlsxwriter swallowed a failed allocation in one of the two */
        st = bpa_error_set(err, BPA_E_OUTPUT, NULL, 0, 0, NULL,
                           "%s could not be written completely (out of memory?): it differs "
                           "from a second rendering of the same workbook",
                           out->final_path);
    } else {
        /* and the file holds what was meant, read back as any reader would */
        st = read_back(w, out, err);
    }
    bpa_outfile_abort(&w->wout);
    for (int i = 0; i < w->nsheets; i++) {
        free(w->sheets[i]->cells);
        w->sheets[i]->cells = NULL;
        w->sheets[i]->ncells = w->sheets[i]->capcells = 0;
    }
    w->nsheets = 0;
    free(w->names);
    w->names = NULL;
    w->nnames = w->capnames = 0;
    bpa_strpool_release(&w->pool);
    if (st != BPA_OK) {
        bpa_outfile_abort(out);
        return st;
    }
    return bpa_outfile_commit(out, err);
}

/* ---- sheets ---------------------------------------------------------------------- */

void wb_sheet_add(wb *w, wb_sheet *sh, const char *name_key)
{
    memset(sh, 0, sizeof *sh);
    sh->w = w;
    sh->name = wb_label(w, name_key);
    sh->ws = workbook_add_worksheet(w->book, sh->name);
    sh->wws = w->witness ? workbook_add_worksheet(w->witness, sh->name) : NULL;
    if (!sh->ws || (w->witness && !sh->wws))
        note(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
    /* every sheet is registered, or the read-back could not account for it */
    if (w->nsheets == (int)(sizeof w->sheets / sizeof w->sheets[0])) {
        note(w, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
        return;
    }
    sh->index = w->nsheets;
    w->sheets[w->nsheets++] = sh;
}

/* Room for column col in the width arrays (a sheet has as many columns as
 * its content needs: a tariff with any number of add-ons). */
static bool cols_reserve(wb_sheet *sh, int col)
{
    if (col < sh->ncols)
        return true;
    int n = sh->ncols ? sh->ncols : 16;
    while (n <= col)
        n *= 2;
    unsigned *wd = bpa_realloc(sh->width, (size_t)n * sizeof *wd);
    if (wd)
        sh->width = wd;
    unsigned *mx = wd ? bpa_realloc(sh->maxw, (size_t)n * sizeof *mx) : NULL;
    if (!mx) {
        sh->w->nomem = true;
        return false;
    }
    sh->maxw = mx;
    memset(sh->width + sh->ncols, 0, (size_t)(n - sh->ncols) * sizeof *wd);
    memset(sh->maxw + sh->ncols, 0, (size_t)(n - sh->ncols) * sizeof *mx);
    sh->ncols = n;
    return true;
}

static void cols_release(wb_sheet *sh)
{
    free(sh->width);
    free(sh->maxw);
    sh->width = sh->maxw = NULL;
    sh->ncols = 0;
}

void wb_sheet_wrap_col(wb_sheet *sh, int col, unsigned width)
{
    if (col >= 0 && cols_reserve(sh, col))
        sh->maxw[col] = width;
}

static void widen(wb_sheet *sh, int col, unsigned chars)
{
    if (col >= 0 && cols_reserve(sh, col) && chars > sh->width[col])
        sh->width[col] = chars;
}

void wb_sheet_min_width(wb_sheet *sh, int col, unsigned chars) { widen(sh, col, chars); }

/* The width a column gets: its content plus a margin, within its cap. */
static unsigned column_width(const wb_sheet *sh, int c)
{
    if (c >= sh->ncols || !sh->width[c])
        return 0;
    unsigned cap = sh->maxw[c] ? sh->maxw[c] : DEFAULT_MAX_WIDTH;
    unsigned wd = sh->width[c] + 2;
    if (wd < 8)
        wd = 8;
    return wd > cap ? cap : wd;
}

/* A text built in a strbuf, kept in the workbook's pool. */
static const char *pooled(wb *w, bpa_strbuf *b)
{
    char *t = bpa_strbuf_detach(b);
    if (!t) {
        w->nomem = true;
        return "";
    }
    const char *r = bpa_strpool_add(&w->pool, t);
    free(t);
    return r;
}

/* Header and footer codes treat '&' specially: input text doubles it. */
static const char *hf_escape(wb *w, const char *s)
{
    bpa_strbuf b;
    bpa_strbuf_init(&b);
    for (size_t i = 0; s[i] && b.len < 80; i++)
        bpa_strbuf_addn(&b, s[i] == '&' ? "&&" : &s[i], s[i] == '&' ? 2 : 1);
    return pooled(w, &b);
}

static int wrapped_cmp(const void *a, const void *b)
{
    const wb_wrapped *x = a, *y = b;
    if (x->row != y->row)
        return (x->row > y->row) - (x->row < y->row);
    return (x->col > y->col) - (x->col < y->col);
}

void wb_sheet_finish(wb_sheet *sh, int head_row, int last_row, int ncols)
{
    wb *w = sh->w;
    if (!sh->ws)
        return;
    lxw_worksheet *const both[2] = {sh->ws, sh->wws};
    const char *header = wb_fmt(w, "&L%s&C&A", hf_escape(w, w->case_id));
    const char *footer = wb_fmt(w, "&Lbpa %s&R%s", BPA_VERSION, wb_label(w, "print.page"));
    for (int b = 0; b < 2 && both[b]; b++) {
        worksheet_set_paper(both[b], 9); /* A4 */
        worksheet_set_landscape(both[b]);
        /* tables run on over pages; a summary is one page */
        worksheet_fit_to_pages(both[b], 1, head_row >= 0 ? 0 : 1);
        note(w, worksheet_set_header(both[b], header));
        note(w, worksheet_set_footer(both[b], footer));
        if (head_row >= 0) {
            worksheet_freeze_panes(both[b], (lxw_row_t)(head_row + 1), 0);
            note(w, worksheet_repeat_rows(both[b], (lxw_row_t)head_row, (lxw_row_t)head_row));
        }
        if (head_row >= 0 && last_row > head_row)
            note(w, worksheet_autofilter(both[b], (lxw_row_t)head_row, 0, (lxw_row_t)last_row,
                                         (lxw_col_t)(ncols - 1)));
    }
    if (head_row >= 0) {
        record_name(sh, "_xlnm.Print_Titles", false,
                    wb_fmt(w, "$%d:$%d", head_row + 1, head_row + 1));
        if (last_row > head_row) {
            char range[32];
            lxw_rowcol_to_range_abs(range, (lxw_row_t)head_row, 0, (lxw_row_t)last_row,
                                    (lxw_col_t)(ncols - 1));
            record_name(sh, "_xlnm._FilterDatabase", true, range);
        }
    }
    for (int c = 0; c < sh->ncols; c++) {
        unsigned wd = column_width(sh, c);
        if (!wd)
            continue;
        for (int b = 0; b < 2 && both[b]; b++)
            note(w, worksheet_set_column(both[b], (lxw_col_t)c, (lxw_col_t)c, wd, NULL));
    }
    /* rows of wrapped text: lines = characters over the usable width, with
     * a little slack for words that do not fit at a line's end */
    if (sh->nwrapped)
        qsort(sh->wrapped, sh->nwrapped, sizeof *sh->wrapped, wrapped_cmp);
    for (size_t i = 0; i < sh->nwrapped; i++) {
        int row = sh->wrapped[i].row;
        unsigned lines = 1;
        for (size_t k = i; k < sh->nwrapped && sh->wrapped[k].row == row; k++) {
            unsigned fw = column_width(sh, sh->wrapped[k].col);
            unsigned wd = fw > 3 ? fw - 2 : 8;
            /* a width unit holds about 1.4 characters of the 10 pt font;
             * words that do not fit at a line's end leave about 1.2 */
            unsigned n = (sh->wrapped[k].chars * 10 + wd * 12 - 1) / (wd * 12);
            if (n > lines)
                lines = n;
        }
        while (i + 1 < sh->nwrapped && sh->wrapped[i + 1].row == row)
            i++;
        for (int b = 0; lines > 1 && b < 2 && both[b]; b++)
            note(w, worksheet_set_row(both[b], (lxw_row_t)row, 13 * lines, NULL));
    }
    free(sh->wrapped);
    sh->wrapped = NULL;
    sh->nwrapped = sh->capwrapped = 0;
    cols_release(sh);
}

/* ---- cells ------------------------------------------------------------------------ */

/* Characters in the longest line of a UTF-8 text. */
static unsigned text_width(const char *s)
{
    unsigned best = 0, cur = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n') {
            cur = 0;
            continue;
        }
        if ((*p & 0xC0) != 0x80 && ++cur > best)
            best = cur;
    }
    return best;
}

static void remember_wrap(wb_sheet *sh, int row, int col, unsigned chars)
{
    if (sh->nwrapped == sh->capwrapped) {
        size_t nc = sh->capwrapped ? 2 * sh->capwrapped : 64;
        wb_wrapped *n = bpa_realloc(sh->wrapped, nc * sizeof *n);
        if (!n) {
            sh->w->nomem = true;
            return;
        }
        sh->wrapped = n;
        sh->capwrapped = nc;
    }
    sh->wrapped[sh->nwrapped++] = (wb_wrapped){row, col, chars};
}

static void put_text(wb_sheet *sh, int row, int col, const char *text, lxw_format *f,
                     bool sets_width);

void wb_text(wb_sheet *sh, int row, int col, const char *text, lxw_format *f)
{
    /* titles run over the empty cells beside them: they set no width */
    put_text(sh, row, col, text, f,
             f != sh->w->f.title && f != sh->w->f.subtitle && f != sh->w->f.section);
}

void wb_text_over(wb_sheet *sh, int row, int col, const char *text, lxw_format *f)
{
    put_text(sh, row, col, text, f, false);
}

static void put_text(wb_sheet *sh, int row, int col, const char *text, lxw_format *f,
                     bool sets_width)
{
    if (!sh->ws || !text)
        return;
    char *cut = NULL;
    if (strlen(text) > MAX_TEXT) { /* cut on a character boundary */
        size_t n = MAX_TEXT;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
        cut = bpa_malloc(n + 1);
        if (cut) {
            memcpy(cut, text, n);
            cut[n] = '\0';
        }
        if (!cut) {
            sh->w->nomem = true;
            return;
        }
        text = cut;
    }
    /* worksheet_write_string never parses its text, so "=..." stays text */
    lxw_format *fmt = f ? f : sh->w->f.text;
    put_string(sh, row, col, text, fmt);
    record_text(sh, row, col, text, fmt);
    unsigned chars = text_width(text);
    if (sets_width)
        widen(sh, col, chars);
    if (f && f == sh->w->f.wrap)
        remember_wrap(sh, row, col, chars);
    free(cut);
}

void wb_ltext(wb_sheet *sh, int row, int col, const char *key, lxw_format *f)
{
    wb_text(sh, row, col, wb_label(sh->w, key), f);
}

void wb_ltext_over(wb_sheet *sh, int row, int col, const char *key, lxw_format *f)
{
    wb_text_over(sh, row, col, wb_label(sh->w, key), f);
}

void wb_int(wb_sheet *sh, int row, int col, long v, lxw_format *f)
{
    if (!sh->ws)
        return;
    mpq_t q;
    mpq_init(q);
    mpq_set_si(q, v, 1);
    double d = cell_value(sh->w, q);
    lxw_format *fmt = f ? f : sh->w->f.integer;
    put_number(sh, row, col, d, fmt);
    record_number(sh, row, col, d, NULL, fmt);
    mpq_clear(q);
    char buf[24];
    widen(sh, col, (unsigned)snprintf(buf, sizeof buf, "%ld", v));
}

static unsigned number_width(wb *w, const mpq_t q)
{
    char *s = bpa_fmt_fixed(q, 2);
    if (!s) {
        w->nomem = true;
        return 10;
    }
    unsigned n = (unsigned)strlen(s);
    free(s);
    return n + (n > 6 ? (n - 4) / 3 : 0) + 2; /* thousands separators, indent */
}

/* Digits of q as a plain decimal with at most six decimals, or NULL when
 * not exact there or longer than a double holds exactly (15 digits). */
static char *plain_decimal(wb *w, const mpq_t q)
{
    if (!bpa_is_exact_at(q, 6))
        return NULL;
    unsigned dec = 0;
    while (!bpa_is_exact_at(q, dec))
        dec++;
    char *s = bpa_fmt_fixed(q, dec);
    if (!s) {
        w->nomem = true;
        return NULL;
    }
    unsigned digits = 0;
    for (const char *p = s; *p; p++)
        if (*p >= '0' && *p <= '9')
            digits++;
    if (digits > 15) {
        free(s);
        return NULL;
    }
    return s;
}

const char *wb_qtext(wb *w, const mpq_t q)
{
    char *s = plain_decimal(w, q);
    if (s) {
        const char *r = bpa_strpool_add(&w->pool, s);
        free(s);
        return r;
    }
    s = bpa_fmt_exact(q);
    if (!s) {
        w->nomem = true;
        return "0";
    }
    const char *r = wb_fmt(w, "(%s)", s);
    free(s);
    return r;
}

void wb_input(wb_sheet *sh, int row, int col, const mpq_t q, lxw_format *f)
{
    wb *w = sh->w;
    if (!sh->ws)
        return;
    /* an input shows every decimal it has, not just the øre */
    if ((f == w->f.amount || f == w->f.rate) && !bpa_is_exact_at(q, 2))
        f = w->f.rate_input;
    char *s = plain_decimal(w, q);
    double d = cell_value(w, q);
    if (s) {
        put_number(sh, row, col, d, f);
        record_number(sh, row, col, d, NULL, f);
        free(s);
    } else {
        char *e = bpa_fmt_exact(q);
        if (!e) {
            w->nomem = true;
            return;
        }
        const char *formula = wb_fmt(w, "=%s", e);
        put_formula(sh, row, col, formula, f, d);
        record_number(sh, row, col, d, formula, f);
        free(e);
    }
    widen(sh, col, number_width(w, q));
}

void wb_formula(wb_sheet *sh, int row, int col, lxw_format *f, const mpq_t q,
                const char *formula)
{
    if (!sh->ws)
        return;
    double d = cell_value(sh->w, q);
    put_formula(sh, row, col, formula, f, d);
    record_number(sh, row, col, d, formula, f);
    widen(sh, col, number_width(sh->w, q));
}

void wb_formula_text(wb_sheet *sh, int row, int col, lxw_format *f, const char *result,
                     const char *formula)
{
    if (!sh->ws)
        return;
    lxw_format *fmt = f ? f : sh->w->f.text;
    put_formula_str(sh, row, col, formula, fmt, result);
    /* the result is stored as given (bpa's own text: no control characters) */
    record(sh, row, col, BPA_XLSX_STRING, result, formula, fmt);
    widen(sh, col, text_width(result));
}

void wb_date(wb_sheet *sh, int row, int col, bpa_date d, lxw_format *f)
{
    if (!sh->ws)
        return;
    int y, m, day;
    bpa_date_split(d, &y, &m, &day);
    lxw_datetime dt = {y, m, day, 0, 0, 0};
    lxw_format *fmt = f ? f : sh->w->f.date;
    put_datetime(sh, row, col, &dt, fmt);
    record_number(sh, row, col, lxw_datetime_to_excel_datetime(&dt), NULL, fmt);
    widen(sh, col, 10);
}

void wb_month(wb_sheet *sh, int row, int col, int year, int month)
{
    wb_date(sh, row, col, bpa_date_make(year, month, 1), sh->w->f.month);
}

void wb_head_text(wb_sheet *sh, int row, int col, const char *t, bool numeric)
{
    if (!sh->ws)
        return;
    unsigned len = text_width(t);
    lxw_format *fmt = numeric ? sh->w->f.head_num : sh->w->f.head;
    put_string(sh, row, col, t, fmt);
    record_text(sh, row, col, t, fmt);
    widen(sh, col, len > HEAD_MAX_WIDTH ? HEAD_MAX_WIDTH : len);
    remember_wrap(sh, row, col, len * 3 / 2); /* bold text is wider */
}

void wb_head(wb_sheet *sh, int row, const char *const *keys, int n, unsigned long numeric)
{
    for (int c = 0; c < n; c++)
        if (keys[c])
            wb_head_text(sh, row, c, wb_label(sh->w, keys[c]), (numeric >> c) & 1u);
}

/* ---- formula text ----------------------------------------------------------------- */

const char *wb_cell(wb *w, int row, int col)
{
    char buf[16];
    lxw_rowcol_to_cell(buf, (lxw_row_t)row, (lxw_col_t)col);
    return bpa_strpool_add(&w->pool, buf);
}

const char *wb_ref(wb *w, const wb_sheet *sh, int row, int col)
{
    return wb_fmt(w, "'%s'!%s", sh->name, wb_cell(w, row, col));
}

const char *wb_sum_rows(wb *w, const wb_sheet *sh, const int *rows, size_t n, int col)
{
    if (n == 0)
        return "0";
    bpa_strbuf b;
    bpa_strbuf_init(&b);
    bpa_strbuf_add(&b, "SUM(");
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && rows[j + 1] == rows[j] + 1)
            j++;
        if (i)
            bpa_strbuf_add(&b, ",");
        if (sh)
            bpa_strbuf_addf(&b, "'%s'!", sh->name);
        bpa_strbuf_add(&b, wb_cell(w, rows[i], col));
        if (j > i)
            bpa_strbuf_addf(&b, ":%s", wb_cell(w, rows[j], col));
        i = j + 1;
    }
    bpa_strbuf_add(&b, ")");
    char *s = bpa_strbuf_detach(&b);
    if (!s) {
        w->nomem = true;
        return "0";
    }
    const char *r = bpa_strpool_add(&w->pool, s);
    free(s);
    return r;
}

const char *wb_round(wb *w, bpa_rounding mode, const char *e)
{
    if (mode == BPA_ROUND_HALF_AWAY_FROM_ZERO)
        return wb_fmt(w, "ROUND(%s,2)", e);
    /* Excel has no banker's rounding: an exact half cent (tested on the
     * magnitude, six decimals absorbing binary noise) with an even cent
     * below rounds toward zero, everything else as ROUND. */
    return wb_fmt(w, "IF(MOD(ROUND(ABS(%s)*100,6),2)=0.5,ROUNDDOWN(%s,2),ROUND(%s,2))", e, e, e);
}

/* ---- words ------------------------------------------------------------------------ */

const char *wb_kind(wb *w, bpa_kind k)
{
    /* "kind.work" ... "kind.beredskap": Swedish kinds too (bpa diff) */
    return wb_label(w, wb_fmt(w, "kind.%s", bpa_kind_name(k)));
}

const char *wb_band(wb *w, bpa_band b)
{
    static const char *const keys[BPA_BAND_COUNT] = {"band.day",      "band.evening",
                                                     "band.night",    "band.saturday",
                                                     "band.sunday_holiday", "band.any"};
    return wb_label(w, keys[b]);
}

const char *wb_category(wb *w, const bpa_category *c)
{
    if (c->band == BPA_BAND_ANY)
        return wb_fmt(w, "%s, %s %d", wb_kind(w, c->kind), wb_label(w, "word.step"), c->step);
    return wb_fmt(w, "%s, %s, %s %d", wb_kind(w, c->kind), wb_band(w, c->band),
                  wb_label(w, "word.step"), c->step);
}

const char *wb_scheme_key(bpa_scheme s)
{
    return s == BPA_SCHEME_DK_SEL_94    ? "scheme.dk-sel-94"
           : s == BPA_SCHEME_DK_SEL_95  ? "scheme.dk-sel-95"
           : s == BPA_SCHEME_DK_SEL_96  ? "scheme.dk-sel-96"
           : s == BPA_SCHEME_SE_SFB_51  ? "scheme.se-sfb-51"
           : s == BPA_SCHEME_SE_LSS_9_2 ? "scheme.se-lss-9-2"
                                        : "scheme.other";
}

const char *wb_employer_key(bpa_employer e)
{
    static const char *const keys[] = {"employer.citizen", "employer.payroll_association",
                                       "employer.municipality_payroll", "employer.transferred"};
    return keys[e];
}

const char *wb_transferred_key(bpa_transferred_to t)
{
    static const char *const keys[] = {"word.none", "transferred.relative",
                                       "transferred.association", "transferred.company"};
    return keys[t];
}

/* ---- summary head ------------------------------------------------------------------ */

int wb_summary_head(wb_sheet *sh, const char *title_key, const bpa_case *c,
                    const bpa_policy *p)
{
    const wb_formats *f = &sh->w->f;
    int r = 0;
    wb_ltext(sh, r++, 0, title_key, f->title);
    wb_text(sh, r++, 0, bpa_policy_title(p), f->subtitle);
    r++;
    wb_ltext(sh, r++, 0, "sum.section_case", f->section);
    wb_ltext(sh, r, 0, "sum.case", f->label);
    wb_text_over(sh, r++, 1, c->id, f->text);
    wb_ltext(sh, r, 0, "sum.scheme", f->label);
    wb_ltext_over(sh, r++, 1, wb_scheme_key(c->scheme), f->text);
    wb_ltext(sh, r, 0, "sum.year", f->label);
    wb_int(sh, r++, 1, c->year, NULL);
    return r;
}

/* ---- inputs sheet ------------------------------------------------------------------ */

static const char *override_key(bpa_override_rule r)
{
    static const char *const keys[] = {"override.allowance_cap", "override.trip_limits",
                                       "override.hourly_cap"};
    return keys[r];
}

static bool used_listed(const bpa_used_param *u, size_t n, const char *name,
                        const bpa_param_entry *e)
{
    for (size_t i = 0; i < n; i++)
        if (u[i].entry == e && strcmp(u[i].name, name) == 0)
            return true;
    return false;
}

static void add_clock(bpa_strbuf *b, int minutes)
{
    bpa_strbuf_addf(b, "%02d.%02d", minutes / 60, minutes % 60);
}

/* A policy value in words of the workbook's language ("30 % af
 * timelønnen", "5,45 kr. (2015-niveau)", "halve øre rundes op"). */
static const char *value_words(wb *w, const char *param, const bpa_value *v)
{
    bpa_lang L = w->lang;
    bpa_strbuf b;
    bpa_strbuf_init(&b);
    switch (v->shape) {
    case BPA_SHAPE_DECIMAL:
    case BPA_SHAPE_FACTOR:
        bpa_lang_add_number(&b, L, v->q);
        break;
    case BPA_SHAPE_WAGE:
        bpa_lang_add_number(&b, L, v->q);
        bpa_strbuf_addf(&b, " %s", wb_label(w, "unit.kr_per_hour"));
        break;
    case BPA_SHAPE_CAP:
        if (v->flag)
            bpa_strbuf_add(&b, wb_label(w, "word.no_cap"));
        else {
            bpa_lang_add_number(&b, L, v->q);
            bpa_strbuf_addf(&b, " %s", wb_label(w, "unit.kr_per_hour"));
        }
        break;
    case BPA_SHAPE_SUPPLEMENT:
        bpa_lang_add_number(&b, L, v->q);
        bpa_strbuf_addf(&b, " %s", wb_label(w, v->flag ? "unit.pct_of_wage" : "unit.kr_per_hour"));
        break;
    case BPA_SHAPE_ENUM:
        bpa_strbuf_add(&b, wb_label(w, wb_fmt(w, "choice.%s.%s", param, v->name ? v->name : "?")));
        break;
    case BPA_SHAPE_COUNT:
        bpa_strbuf_addf(&b, "%ld", v->i);
        break;
    case BPA_SHAPE_BOOL:
        bpa_strbuf_add(&b, wb_label(w, v->flag ? "word.yes" : "word.no"));
        break;
    case BPA_SHAPE_LEVELED:
        bpa_lang_add_amount(&b, L, v->q);
        bpa_strbuf_addf(&b, " %s (%ld-%s)", wb_label(w, "unit.kr"), v->i, wb_label(w, "unit.level"));
        break;
    case BPA_SHAPE_INDEX:
        for (size_t i = 0; i < v->nseries; i++) {
            bpa_strbuf_addf(&b, "%s%d: ", i ? "; " : "", v->series[i].year);
            bpa_lang_add_number(&b, L, v->series[i].value);
        }
        break;
    case BPA_SHAPE_ADDONS:
        if (!v->naddons)
            bpa_strbuf_add(&b, wb_label(w, "word.none"));
        for (size_t i = 0; i < v->naddons; i++) {
            const bpa_addon *a = &v->addons[i];
            bpa_strbuf_addf(&b, "%s%s ", i ? "; " : "", a->name);
            bpa_lang_add_number(&b, L, a->value);
            bpa_strbuf_addf(&b, " %s",
                            wb_label(w, a->type == BPA_ADDON_PCT
                                            ? (a->on_wage_and_supplement ? "unit.pct_wage_supp"
                                                                         : "unit.pct_wage")
                                        : a->type == BPA_ADDON_KR_PER_HOUR
                                            ? "unit.kr_per_hour"
                                            : "unit.kr_per_helper_year"));
        }
        break;
    case BPA_SHAPE_WINDOWS:
        for (int band = 0; band < BPA_BAND_COUNT; band++)
            for (size_t i = 0; i < v->nwindows[band]; i++) {
                bpa_strbuf_addf(&b, "%s%s ", b.len ? "; " : "", wb_band(w, (bpa_band)band));
                add_clock(&b, v->windows[band][i].from);
                bpa_strbuf_add(&b, "-");
                add_clock(&b, v->windows[band][i].to);
            }
        break;
    case BPA_SHAPE_PRECEDENCE:
        for (int i = 0; i < 5; i++)
            bpa_strbuf_addf(&b, "%s%s", i ? ", " : "", wb_band(w, (bpa_band)v->precedence[i]));
        break;
    case BPA_SHAPE_HOLIDAYS:
        for (size_t i = 0; i < v->nextras; i++) {
            const bpa_holiday_extra *h = &v->extras[i];
            bpa_strbuf_add(&b, i ? "; " : "");
            if (h->name && h->name[0])
                bpa_strbuf_addf(&b, "%s ", h->name);
            if (h->year)
                bpa_lang_add_date(&b, L, bpa_date_make(h->year, h->month, h->day));
            else if (L == BPA_LANG_DA)
                bpa_strbuf_addf(&b, "%02d.%02d.", h->day, h->month);
            else
                bpa_strbuf_addf(&b, "%02d-%02d", h->month, h->day);
            if (h->from) {
                bpa_strbuf_addf(&b, " %s ", wb_label(w, "unit.from_clock"));
                add_clock(&b, h->from);
            }
        }
        break;
    case BPA_SHAPE_MONTHDAY:
        if (L == BPA_LANG_DA)
            bpa_strbuf_addf(&b, "%ld. %s", v->i % 100, bpa_lang_month_name(L, (int)(v->i / 100)));
        else
            bpa_strbuf_addf(&b, "%s %ld", bpa_lang_month_name(L, (int)(v->i / 100)), v->i % 100);
        break;
    case BPA_SHAPE_DATE:
        bpa_lang_add_date(&b, L, (bpa_date)v->i);
        break;
    }
    return pooled(w, &b);
}

/* One parameter: its label, when it was in force, its value (an input cell
 * when a formula starts from it), where it comes from, its id. */
static void param_row(wb_sheet *sh, int r, const bpa_policy *p, const bpa_used_param *u,
                      mpq_srcptr num)
{
    wb *w = sh->w;
    const wb_formats *f = &w->f;
    bpa_strbuf b;
    bpa_strbuf_init(&b);
    if (!bpa_label_param(&b, u->name, w->lang))
        bpa_strbuf_add(&b, u->name);
    wb_text(sh, r, 0, pooled(w, &b), f->text);
    if (u->entry)
        wb_date(sh, r, 1, u->entry->from, f->date_left);
    else
        wb_ltext(sh, r, 1, "word.default", f->text);
    if (num) {
        wb_input(sh, r, WB_IN_VALUE, num,
                 u->v->shape == BPA_SHAPE_FACTOR ? f->in_factor : f->in_rate);
        /* the unit beside the number */
        const char *unit = u->v->shape == BPA_SHAPE_SUPPLEMENT && u->v->flag ? "unit.pct_of_wage"
                           : u->v->shape == BPA_SHAPE_FACTOR               ? NULL
                           : strcmp(u->name, "se.raised_max_pct") == 0     ? "se.unit.pct_schablon"
                           : strcmp(u->name, "se.kommun_share_hours_per_week") == 0 ||
                                     strcmp(u->name, "se.worktime.max_hours_per_week") == 0
                               ? "unit.hours_per_week"
                           : strncmp(u->name, "se.expense.cap.", 15) == 0 ? "se.unit.kr_per_receipt"
                               : "unit.kr_per_hour";
        if (unit)
            wb_ltext(sh, r, 3, unit, f->text);
    } else {
        wb_text(sh, r, WB_IN_VALUE, value_words(w, u->name, u->v), f->wrap);
    }
    if (u->entry) {
        const char *src = bpa_policy_reference(p, u->entry->ref);
        wb_text(sh, r, 4, wb_fmt(w, "%s: %s", u->entry->ref, src ? src : ""), f->wrap);
    } else {
        wb_ltext(sh, r, 4, "inputs.default_source", f->wrap);
    }
    wb_text(sh, r, 5, u->name, f->text);
}

int wb_inputs_params(wb_sheet *sh, const bpa_policy *p, const bpa_used_param *used,
                     size_t nused, const bpa_used_param *extra, size_t nextra,
                     const char *note_key, int *head_row, int *last_row)
{
    wb *w = sh->w;
    const wb_formats *f = &w->f;
    int r = 0;
    wb_ltext(sh, r++, 0, "inputs.title", f->title);
    wb_text(sh, r++, 0, bpa_policy_title(p), f->subtitle);
    r++;
    wb_inputs_at *at = w->at;
    if (at) {
        for (int k = 1; k <= 3; k++)
            wb_ltext_over(sh, r++, 0, wb_fmt(w, "%s%d", note_key, k), f->subtitle);
        r++;
    }
    static const char *const head[] = {"col.parameter", "col.valid_from", "col.value",
                                       "col.unit",      "col.source",     "col.param_id"};
    *head_row = r;
    wb_head(sh, r++, head, 6, 0);
    wb_sheet_wrap_col(sh, 0, 40);
    wb_sheet_wrap_col(sh, 2, 40);
    wb_sheet_wrap_col(sh, 3, 22);
    wb_sheet_wrap_col(sh, 4, 68);
    wb_sheet_wrap_col(sh, 5, 30);
    for (size_t i = 0; i < nused; i++) {
        if (at)
            at->param_row[i] = r;
        param_row(sh, r++, p, &used[i], at ? at->num[i] : NULL);
    }
    for (size_t i = 0; i < nextra; i++)
        if (!used_listed(used, nused, extra[i].name, extra[i].entry))
            param_row(sh, r++, p, &extra[i], NULL);
    *last_row = r - 1;
    return r + 1;
}

int wb_inputs_case(wb_sheet *sh, int r, const bpa_case *c)
{
    const wb_formats *f = &sh->w->f;
    wb_ltext(sh, r++, 0, "inputs.case", f->section);
    wb_ltext(sh, r, 0, "sum.case", f->label);
    wb_text(sh, r++, 2, c->id, f->text);
    wb_ltext(sh, r, 0, "sum.scheme", f->label);
    wb_ltext(sh, r, 2, wb_scheme_key(c->scheme), f->text);
    wb_text(sh, r++, 5, bpa_scheme_name(c->scheme), f->text);
    wb_ltext(sh, r, 0, "sum.year", f->label);
    wb_int(sh, r++, 2, c->year, NULL);
    return r;
}

int wb_inputs_begin(wb_sheet *sh, const bpa_grant *g, const bpa_used_param *extra,
                    size_t nextra, int *head_row, int *last_row)
{
    wb *w = sh->w;
    const wb_formats *f = &w->f;
    const bpa_case *c = g->kase;
    wb_inputs_at *at = w->at;
    int r = wb_inputs_params(sh, g->policy, g->used, g->nused, extra, nextra,
                             "inputs.edit_note", head_row, last_row);

    /* the case */
    r = wb_inputs_case(sh, r, c);
    if (c->scheme != BPA_SCHEME_DK_SEL_94) {
        wb_ltext(sh, r, 0, "sum.employer", f->label);
        wb_ltext(sh, r++, 2, wb_employer_key(c->dk->employer), f->text);
        wb_ltext(sh, r, 0, "sum.helpers", f->label);
        wb_int(sh, r++, 2, c->dk->helpers, NULL);
    } else {
        wb_ltext(sh, r, 0, "inputs.educated", f->label);
        wb_ltext(sh, r++, 2, c->dk->educated ? "word.yes" : "word.no", f->text);
    }
    for (size_t di = 0; di < c->dk->ndecisions; di++) {
        const bpa_decision *d = &c->dk->decisions[di];
        r++;
        wb_text(sh, r, 0, wb_fmt(w, "%s %zu", wb_label(w, "inputs.decision"), di + 1),
                f->section);
        wb_date(sh, r, 1, d->from, NULL);
        wb_date(sh, r++, 2, d->to, NULL);
        for (size_t i = 0; i < d->nlines; i++, r++) {
            const bpa_hours_line *l = &d->lines[i];
            const char *what;
            if (l->task != BPA_TASK_NONE)
                what = wb_fmt(w, "%s, %s, %s", wb_kind(w, l->kind), wb_band(w, l->band),
                              wb_label(w, l->task == BPA_TASK_PRACTICAL ? "task.practical"
                                                                        : "task.personal_care"));
            else if (l->band_given || l->kind == BPA_KIND_WORK)
                what = wb_fmt(w, "%s, %s, %s %d", wb_kind(w, l->kind), wb_band(w, l->band),
                              wb_label(w, "word.step"), l->step);
            else
                what = wb_fmt(w, "%s, %s %d", wb_kind(w, l->kind), wb_label(w, "word.step"),
                              l->step);
            wb_text(sh, r, 0, what, f->text);
            if (at)
                at->line_row[di][i] = r;
            wb_input(sh, r, 2, l->amount, f->in_hours);
            wb_ltext(sh, r, 3, l->per_week ? "unit.hours_per_week" : "unit.hours_total",
                     f->text);
        }
        if (d->helpers) {
            wb_ltext(sh, r, 0, "sum.helpers", f->text);
            wb_int(sh, r++, 2, d->helpers, NULL);
        }
        if (d->educated >= 0) {
            wb_ltext(sh, r, 0, "inputs.educated", f->text);
            wb_ltext(sh, r++, 2, d->educated ? "word.yes" : "word.no", f->text);
        }
        if (d->has_allowance) {
            wb_ltext(sh, r, 0, "inputs.allowance_monthly", f->text);
            wb_input(sh, r++, 2, d->allowance_monthly, f->amount);
        }
    }
    if (c->dk->ntrips) {
        r++;
        wb_ltext(sh, r++, 0, "inputs.trips", f->section);
        for (size_t t = 0; t < c->dk->ntrips; t++, r++) {
            const bpa_trip *tr = &c->dk->trips[t];
            bpa_category cat = {tr->kind, tr->band_given ? tr->band : BPA_BAND_ANY, tr->step};
            wb_text(sh, r, 0,
                    wb_fmt(w, "%s, %ld %s", wb_label(w, tr->type == BPA_TRIP_VACATION
                                                            ? "trip.vacation"
                                                            : "trip.weekend"),
                           tr->days, wb_label(w, "unit.days")),
                    f->text);
            wb_date(sh, r, 1, tr->from, NULL);
            if (at)
                at->trip_row[t] = r;
            wb_input(sh, r, 2, tr->extra_hours_per_day, f->in_hours);
            wb_text(sh, r, 3,
                    wb_fmt(w, "%s, %s", wb_label(w, "unit.hours_per_day"), wb_category(w, &cat)),
                    f->wrap);
        }
    }
    r++;
    wb_ltext(sh, r++, 0, "inputs.overrides", f->section);
    if (!c->noverrides)
        wb_ltext(sh, r++, 0, "word.none", f->text);
    for (size_t i = 0; i < c->noverrides; i++, r++) {
        wb_ltext(sh, r, 0, override_key(c->overrides[i].rule), f->text);
        wb_ltext(sh, r, 1, "inputs.reason", f->text);
        /* the reason is input text: written as a string, never a formula */
        wb_text(sh, r, 2, c->overrides[i].reason, f->wrap);
    }
    wb_sheet_wrap_col(sh, 1, 14);
    return r;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int wb_inputs_files(wb_sheet *sh, int r, const bpa_grant *g, const char *const *extra)
{
    return wb_inputs_files_of(sh, r, g->kase, g->policy, extra);
}

int wb_inputs_files_of(wb_sheet *sh, int r, const bpa_case *c, const bpa_policy *p,
                       const char *const *extra)
{
    wb *w = sh->w;
    const wb_formats *f = &w->f;
    r++;
    wb_ltext(sh, r++, 0, "inputs.files", f->section);
    wb_ltext(sh, r, 0, "sum.engine", f->label);
    wb_text(sh, r++, 2, "bpa " BPA_VERSION, f->text);
    wb_ltext(sh, r, 0, "inputs.file", f->label);
    wb_ltext(sh, r, 2, "inputs.role", f->label);
    wb_ltext(sh, r++, 4, "col.sha256", f->label);
    wb_text(sh, r, 0, base_name(c->file), f->text);
    wb_ltext(sh, r, 2, "inputs.case_file", f->text);
    wb_text(sh, r++, 4, c->sha256, f->mono);
    wb_text(sh, r, 0, base_name(bpa_policy_file(p)), f->text);
    wb_ltext(sh, r, 2, "inputs.policy_file", f->text);
    wb_text(sh, r++, 4, bpa_policy_sha256(p), f->mono);
    for (size_t i = 0; extra && extra[i] && extra[i + 1]; i += 2, r++) {
        wb_text(sh, r, 0, base_name(extra[i]), f->text);
        wb_ltext(sh, r, 2, i == 0 ? "inputs.usage_file" : "inputs.timesheet_file", f->text);
        wb_text(sh, r, 4, extra[i + 1], f->mono);
    }
    return r;
}

int wb_summary_footer(wb_sheet *sh, int r, const bpa_grant *g)
{
    return wb_summary_footer_of(sh, r, g->kase, g->policy);
}

int wb_summary_footer_of(wb_sheet *sh, int r, const bpa_case *c, const bpa_policy *p)
{
    wb *w = sh->w;
    const wb_formats *f = &w->f;
    wb_ltext(sh, r++, 0, "sum.documentation", f->section);
    wb_ltext(sh, r, 0, "sum.engine", f->text);
    wb_text_over(sh, r++, 1, "bpa " BPA_VERSION, f->text);
    wb_ltext(sh, r, 0, "sum.policy_sha", f->text);
    wb_text_over(sh, r++, 1, bpa_policy_sha256(p), f->mono);
    wb_ltext(sh, r, 0, "sum.case_sha", f->text);
    wb_text_over(sh, r++, 1, c->sha256, f->mono);
    wb_ltext(sh, r++, 0, "sum.note", f->subtitle);
    return r;
}

/* ---- trace sheet ------------------------------------------------------------------- */

void wb_trace_sheet(wb_sheet *sh, const bpa_trace *t)
{
    const wb_formats *f = &sh->w->f;
    wb_ltext(sh, 0, 0, "trace.title", f->title);
    wb_ltext(sh, 1, 0, "trace.subtitle", f->subtitle);
    static const char *const head[] = {"col.no", "col.step", "col.trace_rule", "col.inputs",
                                       "col.result"};
    wb_head(sh, 3, head, 5, 0);
    wb_sheet_wrap_col(sh, 0, 6);
    wb_sheet_wrap_col(sh, 1, 34);
    wb_sheet_wrap_col(sh, 2, 46);
    wb_sheet_wrap_col(sh, 3, 46);
    wb_sheet_wrap_col(sh, 4, 36);
    int r = 4;
    for (size_t i = 0; i < t->n; i++, r++) {
        bpa_trace_text text;
        bpa_error err;
        if (bpa_trace_entry_render(&t->entries[i], sh->w->lang, &text, &err) != BPA_OK) {
            sh->w->nomem = true; /* the only way rendering fails */
            break;
        }
        wb_int(sh, r, 0, (long)(i + 1), NULL);
        wb_text(sh, r, 1, text.step, f->wrap);
        wb_text(sh, r, 2, text.rule, f->wrap);
        wb_text(sh, r, 3, text.inputs, f->wrap);
        wb_text(sh, r, 4, text.result, f->wrap);
        bpa_trace_text_release(&text);
    }
    wb_sheet_finish(sh, 3, r - 1, 5);
}
