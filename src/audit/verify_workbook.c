/* Reading back an account workbook (RULES.md 13): the workbook bpa writes for
 * the recomputation, in the handed-in one's language, is the reference; the
 * two are compared cell by cell. A constant of the reference is an input
 * (used hours, payments, carry-over, ...: what the case and usage files
 * say), a formula's stored value a figure. Numbers are compared at six
 * decimals: LibreOffice rewrites stored values with 15 significant digits. */
#include "audit/verify_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpa/date.h"
#include "bpa/num.h"
#include "bpa/version.h"
#include "core/alloc.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "io/xlsx.h"
#include "trace/labels.h"

typedef struct wcell {
    uint32_t row, col;
    bpa_xlsx_type type;
    char *value;
    char *formula; /* NULL: none */
    unsigned style;
} wcell;

typedef struct wsheet {
    wcell *cells; /* document order: rows, then columns */
    size_t n;
} wsheet;

static void wsheet_release(wsheet *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->cells[i].value);
        free(s->cells[i].formula);
    }
    free(s->cells);
    memset(s, 0, sizeof *s);
}

static bpa_status wsheet_load(bpa_xlsx *x, size_t index, wsheet *out, bpa_error *err)
{
    memset(out, 0, sizeof *out);
    bpa_xlsx_sheet *sh = NULL;
    bpa_status st = bpa_xlsx_sheet_open(x, index, &sh, err);
    size_t cap = 0;
    while (st == BPA_OK) {
        const bpa_xlsx_cell *c = NULL;
        st = bpa_xlsx_sheet_next(sh, &c, err);
        if (st != BPA_OK || !c)
            break;
        if (c->type == BPA_XLSX_BLANK && !c->formula)
            continue;
        if (out->n == cap) {
            cap = cap ? 2 * cap : 256;
            wcell *nc = bpa_realloc(out->cells, cap * sizeof *nc);
            if (!nc) {
                st = vf_nomem(err);
                break;
            }
            out->cells = nc;
        }
        wcell *w = &out->cells[out->n];
        w->row = c->row;
        w->col = c->col;
        w->type = c->type;
        w->style = c->style;
        w->value = bpa_malloc(c->value_len + 1);
        w->formula = c->formula ? bpa_strdup(c->formula) : NULL;
        if (w->value) {
            memcpy(w->value, c->value, c->value_len);
            w->value[c->value_len] = '\0';
            if (c->type != BPA_XLSX_NUMBER)
                w->value[bpa_xlsx_unescape(w->value, c->value_len)] = '\0';
        }
        out->n++;
        if (!w->value || (c->formula && !w->formula))
            st = vf_nomem(err);
    }
    bpa_xlsx_sheet_close(sh);
    if (st != BPA_OK)
        wsheet_release(out);
    return st;
}

static const wcell *cell_at(const wsheet *s, uint32_t row, uint32_t col)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const wcell *c = &s->cells[mid];
        if (c->row < row || (c->row == row && c->col < col))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && s->cells[lo].row == row && s->cells[lo].col == col ? &s->cells[lo]
                                                                          : NULL;
}

static bool is_text(const wcell *c)
{
    return c && (c->type == BPA_XLSX_SHARED_STRING || c->type == BPA_XLSX_INLINE_STRING ||
                 c->type == BPA_XLSX_STRING);
}

static bool is_hex64(const char *s)
{
    if (strlen(s) != 64)
        return false;
    return strspn(s, "0123456789abcdef") == 64;
}

/* ---- names of cells: the row's label and the column's header ------------- */

static bool is_date_style(bpa_xlsx *x, unsigned style)
{
    bpa_xlsx_style st;
    return bpa_xlsx_style_get(x, style, &st) && st.num_format &&
           (strstr(st.num_format, "yy") || strstr(st.num_format, "YY"));
}

static bool is_head_style(bpa_xlsx *x, unsigned style)
{
    bpa_xlsx_style st;
    return bpa_xlsx_style_get(x, style, &st) && st.bold && st.border[3] && st.border[3][0] &&
           st.fill && strcmp(st.fill, "solid") == 0;
}

static bool row_has_cells(const wsheet *s, uint32_t row)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->cells[mid].row < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && s->cells[lo].row == row;
}

/* A cell as a reader sees it: text, a date (ISO; a month cell YYYY-MM), or the stored
 * number. */
static void add_shown(bpa_strbuf *sb, bpa_xlsx *x, const wcell *c)
{
    mpq_t q;
    mpq_init(q);
    if (c->type == BPA_XLSX_NUMBER && is_date_style(x, c->style) &&
        vf_number_parse(q, c->value, strlen(c->value)) && mpz_cmp_ui(mpq_denref(q), 1) == 0 &&
        mpz_cmp_ui(mpq_numref(q), 61) >= 0 && mpz_cmp_ui(mpq_numref(q), 400000) < 0) {
        char d[11];
        bpa_date_format((bpa_date)(mpz_get_si(mpq_numref(q)) - 25569), d);
        bpa_xlsx_style st;
        bool month = bpa_xlsx_style_get(x, c->style, &st) && !strchr(st.num_format, 'd') &&
                     !strchr(st.num_format, 'D');
        if (month)
            d[7] = '\0';
        bpa_strbuf_add(sb, d);
    } else {
        bpa_strbuf_add(sb, c->value);
    }
    mpq_clear(q);
}

static char *field_name(bpa_xlsx *x, const wsheet *ref, const wcell *c, const char *sheet)
{
    bpa_strbuf sb;
    bpa_strbuf_init(&sb);
    bpa_strbuf_addf(&sb, "%s: ", sheet);
    /* the row's label: the text or date in column A, with column B's when one of the two
     * is a date ("Arbejde, dag, trin 11"; a period and its month "1 2025-07"; a payment's
     * date and what it is for "2025-01-02 tilskud") */
    const wcell *label[2] = {NULL, NULL};
    size_t nlabel = 0;
    bool dated = false;
    for (uint32_t col = 0; col < c->col && col < 2; col++) {
        const wcell *l = cell_at(ref, c->row, col);
        if (!l || l->formula || !(is_text(l) || is_date_style(x, l->style)))
            continue;
        bool date = !is_text(l);
        if (col == 1 && nlabel && !dated && !date)
            continue;
        dated = dated || date;
        label[nlabel++] = l;
    }
    /* the column's header: in the header style, above the cell in the same table (no
     * empty row between) */
    const wcell *head = NULL;
    for (uint32_t row = c->row; row-- > 0 && !head && row_has_cells(ref, row);) {
        const wcell *h = cell_at(ref, row, c->col);
        if (h && is_text(h) && is_head_style(x, h->style))
            head = h;
    }
    for (size_t i = 0; i < nlabel; i++) {
        if (i)
            bpa_strbuf_add(&sb, " ");
        add_shown(&sb, x, label[i]);
    }
    if (nlabel && head)
        bpa_strbuf_add(&sb, " / ");
    if (head)
        bpa_strbuf_add(&sb, head->value);
    if (!nlabel && !head) {
        char name[12];
        bpa_xlsx_cell_name(c->row, c->col, name);
        bpa_strbuf_add(&sb, name);
    }
    return bpa_strbuf_detach(&sb);
}

/* ---- values ------------------------------------------------------------------ */

/* The value as compared and shown: a number at six decimals (trailing zeros
 * dropped), text as is. */
static char *canonical(const wcell *c)
{
    if (!c)
        return NULL;
    mpq_t q;
    mpq_init(q);
    char *out = NULL;
    if (c->type == BPA_XLSX_NUMBER && vf_number_parse(q, c->value, strlen(c->value))) {
        out = bpa_fmt_fixed(q, 6);
        if (out) {
            char *dot = strchr(out, '.');
            size_t n = strlen(out);
            while (dot && n > (size_t)(dot - out) + 3 && out[n - 1] == '0')
                out[--n] = '\0';
        }
    } else {
        out = bpa_strdup(c->value);
    }
    mpq_clear(q);
    return out;
}

/* Formula text without what LibreOffice and Excel write differently ($, quotes, case,
 * spaces). */
static bool formulas_agree(const char *a, const char *b)
{
    for (;;) {
        while (*a == '$' || *a == '\'' || *a == ' ')
            a++;
        while (*b == '$' || *b == '\'' || *b == ' ')
            b++;
        if (!*a || !*b)
            return !*a && !*b;
        char ca = *a >= 'a' && *a <= 'z' ? (char)(*a - 32) : *a;
        char cb = *b >= 'a' && *b <= 'z' ? (char)(*b - 32) : *b;
        if (ca != cb)
            return false;
        a++, b++;
    }
}

/* ---- the stamp ------------------------------------------------------------------ */

/* The inputs sheet of a bpa workbook: its language from its name. */
static bool find_inputs(bpa_xlsx *x, size_t *index, bpa_lang *lang)
{
    static const bpa_lang langs[] = {BPA_LANG_DA, BPA_LANG_SV, BPA_LANG_EN};
    for (size_t i = 0; i < bpa_xlsx_sheet_count(x); i++)
        for (size_t l = 0; l < 3; l++)
            if (strcmp(bpa_xlsx_sheet_name(x, i), bpa_label("sheet.inputs", langs[l])) == 0) {
                *index = i;
                *lang = langs[l];
                return true;
            }
    return false;
}

/* "Computed with | | bpa 0.1.0" and the files below it with their SHA-256. */
static bpa_status read_stamp(const wsheet *in, bpa_lang lang, bpa_stamp *st, bpa_error *err)
{
    const char *engine = bpa_label("sum.engine", lang);
    for (size_t i = 0; i < in->n; i++) {
        const wcell *a = &in->cells[i];
        if (a->col != 0 || !is_text(a) || strcmp(a->value, engine) != 0)
            continue;
        const wcell *v = cell_at(in, a->row, 2);
        if (!is_text(v) || strncmp(v->value, "bpa ", 4) != 0)
            continue;
        if (!(st->engine = bpa_strdup(v->value)))
            return vf_nomem(err);
        for (uint32_t row = a->row + 1;; row++) {
            const wcell *name = cell_at(in, row, 0), *hash = cell_at(in, row, 4);
            if (!name && !hash)
                break;
            if (is_text(name) && is_text(hash) && is_hex64(hash->value)) {
                bpa_status s = vf_stamp_add(st, name->value, hash->value, err);
                if (s != BPA_OK)
                    return s;
            }
        }
        return BPA_OK;
    }
    return BPA_OK;
}

/* ---- the comparison -------------------------------------------------------------- */

typedef struct wcmp {
    bpa_verify_result *r;
    bpa_xlsx *ref_x;
    const char *account;
    bpa_lang lang;
    bpa_error *err;
} wcmp;

static bpa_status cell_diff(wcmp *w, bpa_difference_kind kind, const wsheet *ref,
                            const wcell *rc, const char *sheet, const char *exp,
                            const char *got)
{
    char *field = field_name(w->ref_x, ref, rc, sheet);
    char name[12], where[300];
    bpa_xlsx_cell_name(rc->row, rc->col, name);
    /* quoted as in a formula when the name has a space or punctuation */
    bool quote = strpbrk(sheet, " -+()&,;'!") != NULL;
    snprintf(where, sizeof where, "%s%s%s!%s", quote ? "'" : "", sheet, quote ? "'" : "", name);
    bpa_status st = field ? vf_diff(w->r, kind, field, exp, got, where, w->err)
                          : vf_nomem(w->err);
    free(field);
    return st;
}

/* The case id and year cells: another case or year is an input error, not a difference. */
static bpa_status check_identity(wcmp *w, const wsheet *ref, const wcell *rc, const char *sheet,
                                 const char *exp, const char *got)
{
    bool is_case = is_text(rc) && strcmp(rc->value, w->r->case_id) == 0;
    const wcell *label = cell_at(ref, rc->row, 0);
    char year[16];
    snprintf(year, sizeof year, "%d", w->r->year);
    bool is_year = rc->type == BPA_XLSX_NUMBER && rc->col > 0 && exp &&
                   strcmp(exp, year) == 0 && is_text(label) &&
                   strcmp(label->value, bpa_label("sum.year", w->lang)) == 0;
    if (!is_case && !is_year)
        return BPA_OK;
    if (got && strcmp(exp, got) == 0)
        return BPA_OK;
    char name[12];
    bpa_xlsx_cell_name(rc->row, rc->col, name);
    return bpa_error_set(w->err, BPA_E_INPUT, w->account, 0, 0, NULL,
                         "%s!%s: the workbook is for %s %s, the case file for %s: verify an "
                         "account against the case and usage files it was made from",
                         sheet, name, is_case ? "case" : "year", got ? got : "(none)", exp);
}

static bpa_status compare_sheet(wcmp *w, const wsheet *ref, const wsheet *got,
                                const char *sheet)
{
    for (size_t i = 0; i < ref->n; i++) {
        const wcell *rc = &ref->cells[i];
        /* the stamp: compared apart */
        if (is_text(rc) && (is_hex64(rc->value) || (w->r->expected.engine &&
                                                    strcmp(rc->value, w->r->expected.engine) == 0)))
            continue;
        const wcell *gc = cell_at(got, rc->row, rc->col);
        char *exp = canonical(rc), *fnd = canonical(gc);
        bpa_status st = exp && (!gc || fnd) ? BPA_OK : vf_nomem(w->err);
        if (st == BPA_OK)
            st = check_identity(w, ref, rc, sheet, exp, fnd);
        w->r->checked++;
        /* a formula saved without its value (by a library, not Excel or LibreOffice): when
         * it is ours, it gives our figure from the inputs, which are compared */
        if (st == BPA_OK && rc->formula && gc && gc->formula && !gc->value[0] &&
            (!gc->formula[0] || formulas_agree(rc->formula, gc->formula))) {
            free(exp);
            free(fnd);
            continue;
        }
        bool same = st == BPA_OK && fnd && strcmp(exp, fnd) == 0 &&
                    (rc->type == BPA_XLSX_NUMBER) == (gc->type == BPA_XLSX_NUMBER);
        if (st == BPA_OK && rc->formula && (!gc || !gc->formula))
            st = cell_diff(w, BPA_DIFF_FORMULA, ref, rc, sheet, exp, fnd);
        else if (st == BPA_OK && rc->formula && gc->formula[0] &&
                 !formulas_agree(rc->formula, gc->formula)) {
            bpa_strbuf a, b;
            bpa_strbuf_init(&a);
            bpa_strbuf_init(&b);
            bpa_strbuf_addf(&a, "=%s", rc->formula);
            bpa_strbuf_addf(&b, "=%s", gc->formula);
            st = a.failed || b.failed
                     ? vf_nomem(w->err)
                     : cell_diff(w, BPA_DIFF_FORMULA, ref, rc, sheet, a.buf, b.buf);
            bpa_strbuf_release(&a);
            bpa_strbuf_release(&b);
            if (st == BPA_OK && !same)
                st = cell_diff(w, BPA_DIFF_FIGURE, ref, rc, sheet, exp, fnd);
        } else if (st == BPA_OK && !same)
            st = cell_diff(w, rc->formula || rc->type != BPA_XLSX_NUMBER ? BPA_DIFF_FIGURE
                                                                         : BPA_DIFF_INPUT,
                           ref, rc, sheet, exp, fnd);
        free(exp);
        free(fnd);
        if (st != BPA_OK)
            return st;
    }
    return BPA_OK;
}

static bool has_sheet(bpa_xlsx *x, const char *name)
{
    for (size_t j = 0; j < bpa_xlsx_sheet_count(x); j++)
        if (strcmp(bpa_xlsx_sheet_name(x, j), name) == 0)
            return true;
    return false;
}

static bpa_status compare_books(wcmp *w, bpa_xlsx *ref_x, bpa_xlsx *got_x)
{
    const char *trace = bpa_label("sheet.trace", w->lang);
    bpa_status st = BPA_OK;
    /* a grant or budget workbook has bpa's stamp too, but not the account's sheets */
    size_t missing = 0;
    for (size_t i = 0; i < bpa_xlsx_sheet_count(ref_x); i++)
        missing += !has_sheet(got_x, bpa_xlsx_sheet_name(ref_x, i));
    if (missing >= 2) {
        bpa_strbuf sb;
        bpa_strbuf_init(&sb);
        for (size_t i = 0; i < bpa_xlsx_sheet_count(ref_x); i++)
            bpa_strbuf_addf(&sb, "%s%s", i ? ", " : "", bpa_xlsx_sheet_name(ref_x, i));
        st = bpa_error_set(w->err, BPA_E_INPUT, w->account, 0, 0, NULL,
                           "a workbook written by bpa, but not the account of this case: an "
                           "account workbook (bpa settle -o) has the sheets %s",
                           sb.buf ? sb.buf : "");
        bpa_strbuf_release(&sb);
        return st;
    }
    for (size_t i = 0; i < bpa_xlsx_sheet_count(ref_x) && st == BPA_OK; i++) {
        const char *name = bpa_xlsx_sheet_name(ref_x, i);
        if (strcmp(name, trace) == 0) /* the derivation records: not compared */
            continue;
        size_t j = 0;
        while (j < bpa_xlsx_sheet_count(got_x) && strcmp(bpa_xlsx_sheet_name(got_x, j), name))
            j++;
        if (j == bpa_xlsx_sheet_count(got_x)) {
            w->r->checked++;
            st = vf_diff(w->r, BPA_DIFF_MISSING, name, name, NULL, w->account, w->err);
            continue;
        }
        wsheet ref, got;
        st = wsheet_load(ref_x, i, &ref, w->err);
        if (st != BPA_OK)
            break;
        st = wsheet_load(got_x, j, &got, w->err);
        if (st == BPA_OK)
            st = compare_sheet(w, &ref, &got, name);
        wsheet_release(&ref);
        wsheet_release(&got);
    }
    return st;
}

bpa_status vf_workbook(bpa_verify_result *r, const char *account, const void *settlement,
                       vf_workbook_fn write, bpa_error *err)
{
    r->kind = BPA_ACCOUNT_WORKBOOK;
    bpa_xlsx *got_x = NULL, *ref_x = NULL;
    bpa_status st = bpa_sha256_file(account, r->account_sha256, err);
    if (st == BPA_OK)
        st = bpa_xlsx_open_file(&got_x, account, err);
    if (st != BPA_OK) {
        if (st == BPA_E_INPUT) { /* say what the file was taken for */
            char msg[BPA_ERROR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err->message);
            snprintf(err->message, sizeof err->message,
                     "a damaged workbook (.xlsx): %.600s; hand in the workbook as bpa wrote "
                     "it or as Excel or LibreOffice saved it",
                     msg);
        }
        return st;
    }
    size_t in_index = 0;
    bpa_lang lang = r->account_lang;
    wsheet in = {0};
    if (!find_inputs(got_x, &in_index, &lang))
        st = bpa_error_set(err, BPA_E_INPUT, account, 0, 0, NULL,
                           "not an account workbook written by bpa: it has no sheet %s, %s or "
                           "%s with bpa's stamp; verify a workbook bpa settle -o wrote, or "
                           "type its figures into a claim (bpa-claim/1)",
                           bpa_label("sheet.inputs", BPA_LANG_DA),
                           bpa_label("sheet.inputs", BPA_LANG_SV),
                           bpa_label("sheet.inputs", BPA_LANG_EN));
    if (st == BPA_OK && ((r->se && lang == BPA_LANG_DA) || (!r->se && lang == BPA_LANG_SV)))
        st = bpa_error_set(err, BPA_E_INPUT, account, 0, 0, NULL,
                           "a workbook of a %s case (its sheet %s), but the case file is %s: "
                           "verify it against its own case and usage files",
                           r->se ? "Danish" : "Swedish", bpa_xlsx_sheet_name(got_x, in_index),
                           r->se ? "Swedish" : "Danish");
    if (st == BPA_OK)
        st = wsheet_load(got_x, in_index, &in, err);
    if (st == BPA_OK)
        st = read_stamp(&in, lang, &r->found, err);
    wsheet_release(&in);
    if (st == BPA_OK && !r->found.engine)
        st = bpa_error_set(err, BPA_E_INPUT, account, 0, 0, NULL,
                           "not an account workbook written by bpa: its sheet %s has no bpa "
                           "stamp (\"%s\" bpa VERSION); verify a workbook bpa settle -o wrote, "
                           "or type its figures into a claim (bpa-claim/1)",
                           bpa_xlsx_sheet_name(got_x, in_index), bpa_label("sum.engine", lang));
    r->account_lang = lang;
    /* the reference: the recomputation's workbook, in a directory of our own */
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[560];
    snprintf(dir, sizeof dir, "%s/bpa-verify-XXXXXX",
             tmp && *tmp && strlen(tmp) < 400 ? tmp : "/tmp");
    bool made = false;
    if (st == BPA_OK) {
        const char *tmpdir = mkdtemp(dir);
        if (!tmpdir)
            st = bpa_error_set(err, BPA_E_OUTPUT, dir, 0, 0, NULL,
                               "cannot make a directory for the reference workbook");
        made = tmpdir != NULL;
        snprintf(path, sizeof path, "%s/ref.xlsx", dir);
    }
    if (st == BPA_OK)
        st = write(settlement, path, lang, err);
    if (st == BPA_OK)
        st = bpa_xlsx_open_file(&ref_x, path, err);
    if (st == BPA_OK) {
        wcmp w = {r, ref_x, account, lang, err};
        st = compare_books(&w, ref_x, got_x);
    }
    bpa_xlsx_free(ref_x);
    bpa_xlsx_free(got_x);
    if (made) {
        unlink(path);
        rmdir(dir);
    }
    return st;
}
