/* Shared workbook machinery (see workbook_common.h, RULES.md section 10). */
#include "workbook/workbook_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "bpa/num.h"
#include "trace/labels.h"
#include "io/outfile.h"

#define DEFAULT_MAX_WIDTH 50
#define HEAD_MAX_WIDTH 16 /* longer headers wrap onto more lines */
#define MAX_TEXT 32767    /* Excel's limit for one cell */
/* 2000-01-01 00:00:00 UTC: a fixed creation time, so that the same result
 * gives the same bytes (libxlsxwriter 1.1.x stamps every zip entry with a
 * fixed 1980-01-01, checked by the unit test writing twice). */
#define FIXED_CREATED ((time_t)946684800)

static void note(wb *w, lxw_error e)
{
    if (e != LXW_NO_ERROR && w->lerr == LXW_NO_ERROR)
        w->lerr = e;
}

const char *wb_label(const wb *w, const char *key) { return bpa_label(key, w->lang); }

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

static lxw_format *fmt_new(wb *w, const char *num, bool bold)
{
    lxw_format *f = workbook_add_format(w->book);
    if (!f) {
        w->nomem = true;
        return NULL;
    }
    format_set_font_name(f, "Calibri");
    format_set_font_size(f, 10);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (num) {
        /* numbers keep a space to their right, so a date or text in the
         * next column never touches them */
        format_set_num_format(f, num);
        format_set_align(f, LXW_ALIGN_RIGHT);
        format_set_indent(f, 1);
    }
    if (bold)
        format_set_bold(f);
    return f;
}

static void make_formats(wb *w)
{
    wb_formats *f = &w->f;
    const char *date = w->lang == BPA_LANG_DA ? "dd-mm-yyyy" : "yyyy-mm-dd";
    f->title = fmt_new(w, NULL, true);
    if (f->title)
        format_set_font_size(f->title, 14);
    f->subtitle = fmt_new(w, NULL, false);
    if (f->subtitle) {
        format_set_italic(f->subtitle);
        format_set_font_color(f->subtitle, 0x595959);
    }
    f->section = fmt_new(w, NULL, true);
    if (f->section) {
        format_set_font_size(f->section, 11);
        format_set_bottom(f->section, LXW_BORDER_THIN);
    }
    f->head = fmt_new(w, NULL, true);
    if (f->head) {
        format_set_bg_color(f->head, 0xD9E1F2);
        format_set_bottom(f->head, LXW_BORDER_THIN);
        format_set_text_wrap(f->head);
    }
    f->head_num = fmt_new(w, NULL, true);
    if (f->head_num) {
        format_set_bg_color(f->head_num, 0xD9E1F2);
        format_set_bottom(f->head_num, LXW_BORDER_THIN);
        format_set_text_wrap(f->head_num);
        format_set_align(f->head_num, LXW_ALIGN_RIGHT);
        format_set_indent(f->head_num, 1);
    }
    f->label = fmt_new(w, NULL, true);
    f->text = fmt_new(w, NULL, false);
    f->wrap = fmt_new(w, NULL, false);
    if (f->wrap)
        format_set_text_wrap(f->wrap);
    f->mono = fmt_new(w, NULL, false);
    if (f->mono)
        format_set_font_name(f->mono, "Courier New");
    f->amount = fmt_new(w, "#,##0.00", false);
    f->amount_total = fmt_new(w, "#,##0.00", true);
    if (f->amount_total)
        format_set_top(f->amount_total, LXW_BORDER_THIN);
    f->amount_big = fmt_new(w, "#,##0.00", true);
    if (f->amount_big) {
        format_set_font_size(f->amount_big, 12);
        format_set_top(f->amount_big, LXW_BORDER_THIN);
        format_set_bottom(f->amount_big, LXW_BORDER_DOUBLE);
    }
    f->text_big = fmt_new(w, NULL, true);
    if (f->text_big)
        format_set_font_size(f->text_big, 12);
    f->hours = fmt_new(w, "0.00", false);
    f->hours_total = fmt_new(w, "0.00", true);
    if (f->hours_total)
        format_set_top(f->hours_total, LXW_BORDER_THIN);
    f->share = fmt_new(w, "0.0000", false);
    f->rate = fmt_new(w, "#,##0.00", false);
    f->rate_exact = fmt_new(w, "#,##0.0000", false);
    f->factor = fmt_new(w, "0.00##", false);
    f->rate_input = fmt_new(w, "#,##0.00####", false);
    /* whole numbers (years, counts) and dates read as text: left */
    f->count = fmt_new(w, "0", false);
    f->integer = fmt_new(w, NULL, false);
    f->date = fmt_new(w, NULL, false);
    f->month = fmt_new(w, NULL, false);
    if (f->integer && f->date && f->month) {
        format_set_num_format(f->integer, "0");
        format_set_num_format(f->date, date);
        format_set_num_format(f->month, "yyyy-mm");
        format_set_align(f->integer, LXW_ALIGN_LEFT);
        format_set_align(f->date, LXW_ALIGN_LEFT);
        format_set_align(f->month, LXW_ALIGN_LEFT);
    }
    f->date_left = f->date;
}

/* ---- workbook ------------------------------------------------------------------ */

bpa_status wb_open(wb *w, const char *file, bpa_lang lang, const char *case_id,
                   const char *title_key, bpa_error *err)
{
    memset(w, 0, sizeof *w);
    w->lang = lang;
    w->case_id = case_id;
    w->failures_at_open = bpa_alloc_failures();
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL,
                                .use_zip64 = LXW_FALSE};
    w->book = workbook_new_opt(file, &opt);
    if (!w->book)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    make_formats(w);
    lxw_doc_properties props;
    memset(&props, 0, sizeof props);
    props.title = (char *)wb_fmt(w, "%s %s", wb_label(w, title_key), case_id);
    props.subject = (char *)wb_label(w, title_key);
    props.author = (char *)"bpa " BPA_VERSION;
    props.company = (char *)"";
    props.comments = (char *)wb_label(w, "props.comments");
    props.created = FIXED_CREATED;
    note(w, workbook_set_properties(w->book, &props));
    return BPA_OK;
}

void wb_fingerprints(wb *w, const bpa_case *c, const bpa_policy *p, const char *const *extra)
{
    note(w, workbook_set_custom_property_string(w->book, "bpa engine", "bpa " BPA_VERSION));
    note(w, workbook_set_custom_property_string(w->book, "case", c->id));
    note(w, workbook_set_custom_property_string(w->book, "policy", bpa_policy_id(p)));
    note(w, workbook_set_custom_property_string(w->book, "policy sha256", bpa_policy_sha256(p)));
    note(w, workbook_set_custom_property_string(w->book, "case sha256", c->sha256));
    /* the usage file first, then its timesheets: named by role, since two
     * timesheets may share a base name */
    for (size_t i = 0; extra && extra[i] && extra[i + 1]; i += 2) {
        const char *base = strrchr(extra[i], '/');
        base = base ? base + 1 : extra[i];
        const char *role = i == 0 ? "usage" : wb_fmt(w, "timesheet %zu", i / 2);
        note(w, workbook_set_custom_property_string(w->book, role, base));
        note(w, workbook_set_custom_property_string(w->book, wb_fmt(w, "%s sha256", role),
                                                    extra[i + 1]));
    }
}

static void cols_release(wb_sheet *sh);

bpa_status wb_close(wb *w, bpa_outfile *out, bpa_error *err)
{
    /* a sheet left unfinished by an error still holds its wrap list */
    for (int i = 0; i < w->nsheets; i++) {
        free(w->sheets[i]->wrapped);
        w->sheets[i]->wrapped = NULL;
        w->sheets[i]->nwrapped = w->sheets[i]->capwrapped = 0;
        cols_release(w->sheets[i]);
    }
    w->nsheets = 0;
    lxw_error e = workbook_close(w->book);
    w->book = NULL;
    /* libxlsxwriter may swallow a failed allocation and write a damaged
     * file; any failure seen since the open fails the write */
    bool nomem = w->nomem || bpa_strpool_failed(&w->pool) ||
                 bpa_alloc_failures() != w->failures_at_open;
    bpa_strpool_release(&w->pool);
    if (e != LXW_NO_ERROR)
        note(w, e);
    bpa_status st = BPA_OK;
    if (nomem) {
        st = bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory writing %s",
                           out->final_path);
    } else if (w->lerr != LXW_NO_ERROR) {
        st = bpa_error_set(err, BPA_E_OUTPUT, NULL, 0, 0, NULL, "cannot write %s: %s",
                           out->final_path, lxw_strerror(w->lerr));
    }
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
    if (!sh->ws)
        note(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
    if (w->nsheets < (int)(sizeof w->sheets / sizeof w->sheets[0]))
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

/* Header and footer codes treat '&' specially: input text doubles it. */
static const char *hf_escape(wb *w, const char *s)
{
    bpa_strbuf b;
    bpa_strbuf_init(&b);
    for (size_t i = 0; s[i] && b.len < 80; i++)
        bpa_strbuf_addn(&b, s[i] == '&' ? "&&" : &s[i], s[i] == '&' ? 2 : 1);
    char *t = bpa_strbuf_detach(&b);
    if (!t) {
        w->nomem = true;
        return "";
    }
    const char *r = bpa_strpool_add(&w->pool, t);
    free(t);
    return r;
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
    worksheet_set_paper(sh->ws, 9); /* A4 */
    worksheet_set_landscape(sh->ws);
    /* tables run on over pages; a summary is one page */
    worksheet_fit_to_pages(sh->ws, 1, head_row >= 0 ? 0 : 1);
    note(w, worksheet_set_header(sh->ws, wb_fmt(w, "&L%s&C&A", hf_escape(w, w->case_id))));
    note(w, worksheet_set_footer(sh->ws, wb_fmt(w, "&Lbpa %s&R%s", BPA_VERSION,
                                                wb_label(w, "print.page"))));
    if (head_row >= 0) {
        worksheet_freeze_panes(sh->ws, (lxw_row_t)(head_row + 1), 0);
        note(w, worksheet_repeat_rows(sh->ws, (lxw_row_t)head_row, (lxw_row_t)head_row));
        if (last_row > head_row)
            note(w, worksheet_autofilter(sh->ws, (lxw_row_t)head_row, 0, (lxw_row_t)last_row,
                                         (lxw_col_t)(ncols - 1)));
    }
    for (int c = 0; c < sh->ncols; c++) {
        unsigned wd = column_width(sh, c);
        if (wd)
            note(w, worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, wd, NULL));
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
            /* a width unit holds about 1.4 characters of the 10 pt font */
            unsigned n = (sh->wrapped[k].chars * 10 + wd * 14 - 1) / (wd * 14);
            if (n > lines)
                lines = n;
        }
        while (i + 1 < sh->nwrapped && sh->wrapped[i + 1].row == row)
            i++;
        if (lines > 1)
            note(w, worksheet_set_row(sh->ws, (lxw_row_t)row, 13 * lines, NULL));
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
    note(sh->w, worksheet_write_string(sh->ws, (lxw_row_t)row, (lxw_col_t)col, text,
                                       f ? f : sh->w->f.text));
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
    note(sh->w, worksheet_write_number(sh->ws, (lxw_row_t)row, (lxw_col_t)col,
                                       cell_value(sh->w, q), f ? f : sh->w->f.integer));
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
    if (s) {
        note(w, worksheet_write_number(sh->ws, (lxw_row_t)row, (lxw_col_t)col,
                                       cell_value(w, q), f));
        free(s);
    } else {
        char *e = bpa_fmt_exact(q);
        if (!e) {
            w->nomem = true;
            return;
        }
        note(w, worksheet_write_formula_num(sh->ws, (lxw_row_t)row, (lxw_col_t)col,
                                            wb_fmt(w, "=%s", e), f, cell_value(w, q)));
        free(e);
    }
    widen(sh, col, number_width(w, q));
}

void wb_formula(wb_sheet *sh, int row, int col, lxw_format *f, const mpq_t q,
                const char *formula)
{
    if (!sh->ws)
        return;
    note(sh->w, worksheet_write_formula_num(sh->ws, (lxw_row_t)row, (lxw_col_t)col, formula, f,
                                            cell_value(sh->w, q)));
    widen(sh, col, number_width(sh->w, q));
}

void wb_formula_text(wb_sheet *sh, int row, int col, lxw_format *f, const char *result,
                     const char *formula)
{
    if (!sh->ws)
        return;
    note(sh->w, worksheet_write_formula_str(sh->ws, (lxw_row_t)row, (lxw_col_t)col, formula,
                                            f ? f : sh->w->f.text, result));
    widen(sh, col, text_width(result));
}

void wb_date(wb_sheet *sh, int row, int col, bpa_date d, lxw_format *f)
{
    if (!sh->ws)
        return;
    int y, m, day;
    bpa_date_split(d, &y, &m, &day);
    lxw_datetime dt = {y, m, day, 0, 0, 0};
    note(sh->w, worksheet_write_datetime(sh->ws, (lxw_row_t)row, (lxw_col_t)col, &dt,
                                         f ? f : sh->w->f.date));
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
    note(sh->w, worksheet_write_string(sh->ws, (lxw_row_t)row, (lxw_col_t)col, t,
                                       numeric ? sh->w->f.head_num : sh->w->f.head));
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
    return wb_label(w, k == BPA_KIND_WORK ? "kind.work" : "kind.on_call");
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
    return s == BPA_SCHEME_DK_SEL_94   ? "scheme.dk-sel-94"
           : s == BPA_SCHEME_DK_SEL_95 ? "scheme.dk-sel-95"
           : s == BPA_SCHEME_DK_SEL_96 ? "scheme.dk-sel-96"
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

/* The choice names of the enumerated parameters (RULES.md 5.1), for value
 * texts that give only the choice's index. */
static const char *choice_name(const char *param, const char *value)
{
    static const char *const basis[] = {"calendar", "weeks52", NULL};
    static const char *const rounding[] = {"half_away_from_zero", "half_even", NULL};
    static const char *const admin_hours[] = {"all", "work", NULL};
    static const char *const advance[] = {"first_weekday", "last_weekday_before", NULL};
    static const char *const arrears[] = {"last_weekday", NULL};
    static const char *const pools[] = {"category", "kind", "all", NULL};
    static const struct {
        const char *name;
        const char *const *choices;
    } enums[] = {{"hours.basis", basis},
                 {"rounding.mode", rounding},
                 {"admin.transferred.hours", admin_hours},
                 {"payment.advance_day", advance},
                 {"payment.arrears_day", arrears},
                 {"settlement.pools", pools}};
    if (!value[0] || strspn(value, "0123456789") != strlen(value) || strlen(value) > 2)
        return value;
    int i = atoi(value);
    for (size_t k = 0; k < sizeof enums / sizeof enums[0]; k++) {
        if (strcmp(enums[k].name, param) != 0)
            continue;
        for (int j = 0; enums[k].choices[j]; j++)
            if (j == i)
                return enums[k].choices[j];
    }
    return value;
}

static void param_row(wb_sheet *sh, int r, const bpa_policy *p, const bpa_used_param *u)
{
    const wb_formats *f = &sh->w->f;
    wb_text(sh, r, 0, u->name, f->text);
    const char *ref = u->entry ? u->entry->ref : "default";
    if (u->entry)
        wb_date(sh, r, 1, u->entry->from, f->date_left);
    else
        wb_ltext(sh, r, 1, "word.default", f->text);
    wb_text(sh, r, 2, choice_name(u->name, u->value), f->wrap);
    wb_text(sh, r, 3, ref, f->wrap);
    const char *src = bpa_policy_reference(p, ref);
    wb_text(sh, r, 4, src ? src : "", f->wrap);
}

int wb_inputs_begin(wb_sheet *sh, const bpa_grant *g, const bpa_used_param *extra,
                    size_t nextra, int *head_row, int *last_row)
{
    wb *w = sh->w;
    const wb_formats *f = &w->f;
    const bpa_case *c = g->kase;
    const bpa_policy *p = g->policy;
    int r = 0;
    wb_ltext(sh, r++, 0, "inputs.title", f->title);
    wb_text(sh, r++, 0, bpa_policy_title(p), f->subtitle);
    r++;
    static const char *const head[] = {"col.parameter", "col.valid_from", "col.value",
                                       "col.ref", "col.source"};
    *head_row = r;
    wb_head(sh, r++, head, 5, 0);
    wb_sheet_wrap_col(sh, 0, 36);
    wb_sheet_wrap_col(sh, 2, 40);
    wb_sheet_wrap_col(sh, 3, 24);
    wb_sheet_wrap_col(sh, 4, 68);
    for (size_t i = 0; i < g->nused; i++)
        param_row(sh, r++, p, &g->used[i]);
    for (size_t i = 0; i < nextra; i++)
        if (!used_listed(g->used, g->nused, extra[i].name, extra[i].entry))
            param_row(sh, r++, p, &extra[i]);
    *last_row = r - 1;
    r++;

    /* the case */
    wb_ltext(sh, r++, 0, "inputs.case", f->section);
    wb_ltext(sh, r, 0, "sum.case", f->label);
    wb_text(sh, r++, 2, c->id, f->text);
    wb_ltext(sh, r, 0, "sum.scheme", f->label);
    wb_text(sh, r++, 2, bpa_scheme_name(c->scheme), f->text);
    wb_ltext(sh, r, 0, "sum.year", f->label);
    wb_int(sh, r++, 2, c->year, NULL);
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
            wb_input(sh, r, 2, l->amount, f->hours);
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
            wb_input(sh, r, 2, tr->extra_hours_per_day, f->hours);
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
    wb *w = sh->w;
    const wb_formats *f = &w->f;
    r++;
    wb_ltext(sh, r++, 0, "inputs.files", f->section);
    wb_ltext(sh, r, 0, "sum.engine", f->label);
    wb_text(sh, r++, 2, "bpa " BPA_VERSION, f->text);
    wb_ltext(sh, r, 0, "inputs.file", f->label);
    wb_ltext(sh, r, 2, "inputs.role", f->label);
    wb_ltext(sh, r++, 4, "col.sha256", f->label);
    wb_text(sh, r, 0, base_name(g->kase->file), f->text);
    wb_ltext(sh, r, 2, "inputs.case_file", f->text);
    wb_text(sh, r++, 4, g->kase->sha256, f->mono);
    wb_text(sh, r, 0, base_name(bpa_policy_file(g->policy)), f->text);
    wb_ltext(sh, r, 2, "inputs.policy_file", f->text);
    wb_text(sh, r++, 4, bpa_policy_sha256(g->policy), f->mono);
    for (size_t i = 0; extra && extra[i] && extra[i + 1]; i += 2, r++) {
        wb_text(sh, r, 0, base_name(extra[i]), f->text);
        wb_ltext(sh, r, 2, i == 0 ? "inputs.usage_file" : "inputs.timesheet_file", f->text);
        wb_text(sh, r, 4, extra[i + 1], f->mono);
    }
    return r;
}

int wb_summary_footer(wb_sheet *sh, int r, const bpa_grant *g)
{
    wb *w = sh->w;
    const wb_formats *f = &w->f;
    wb_ltext(sh, r++, 0, "sum.documentation", f->section);
    wb_ltext(sh, r, 0, "sum.engine", f->text);
    wb_text_over(sh, r++, 1, "bpa " BPA_VERSION, f->text);
    wb_ltext(sh, r, 0, "sum.policy_sha", f->text);
    wb_text_over(sh, r++, 1, bpa_policy_sha256(g->policy), f->mono);
    wb_ltext(sh, r, 0, "sum.case_sha", f->text);
    wb_text_over(sh, r++, 1, g->kase->sha256, f->mono);
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
