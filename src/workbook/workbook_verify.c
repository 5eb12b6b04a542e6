/* The difference workbook of bpa verify (RULES.md 13): what verify recorded,
 * for an auditor's letter: a header with case, year, the account and both
 * stamps, then one row per difference. It renders only. */
#include "bpa/verify.h"

#include <stdlib.h>
#include <string.h>

#include "audit/verify_int.h"
#include "workbook/workbook_common.h"

enum { D_NO, D_FIELD, D_KIND, D_EXPECTED, D_FOUND, D_WHERE, D_NCOLS };

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* A recorded value: a number as a number (exact), anything else as text. */
static void value_cell(wb_sheet *sh, int row, int col, const char *v)
{
    const wb_formats *f = &sh->w->f;
    if (!v) {
        wb_ltext(sh, row, col, "verify.none", f->text);
        return;
    }
    mpq_t q;
    mpq_init(q);
    if (!strchr(v, '/') && vf_number_parse(q, v, strlen(v)))
        wb_input(sh, row, col, q, f->rate_input);
    else
        wb_text(sh, row, col, v, f->text);
    mpq_clear(q);
}

static int stamp_rows(wb_sheet *sh, int r, const char *key, const bpa_stamp *st)
{
    const wb_formats *f = &sh->w->f;
    wb_ltext(sh, r, 0, key, f->label);
    if (st->engine)
        wb_text(sh, r++, 1, st->engine, f->text);
    else
        wb_ltext(sh, r++, 1, "verify.stamp.none", f->text);
    for (size_t i = 0; i < st->ninputs; i++, r++) {
        wb_text(sh, r, 1, st->inputs[i].name, f->text);
        wb_text_over(sh, r, 2, st->inputs[i].sha256, f->mono);
    }
    return r;
}

static void write_sheet(wb_sheet *sh, const bpa_verify_result *r)
{
    wb *w = sh->w;
    const wb_formats *f = &w->f;
    int row = 0;
    wb_ltext_over(sh, row++, 0, "verify.title", f->title);
    row++;
    wb_ltext(sh, row, 0, "verify.case", f->label);
    wb_text(sh, row++, 1, r->case_id, f->text);
    wb_ltext(sh, row, 0, "verify.year", f->label);
    wb_int(sh, row++, 1, r->year, f->integer);
    wb_ltext(sh, row, 0, "verify.account", f->label);
    wb_text(sh, row, 1, base_name(r->account), f->text);
    wb_text_over(sh, row++, 2,
                 wb_label(w, wb_fmt(w, "verify.kind.%s", bpa_account_kind_name(r->kind))),
                 f->text);
    wb_ltext(sh, row, 0, "verify.sha256", f->label);
    wb_text_over(sh, row++, 1, r->account_sha256, f->mono);
    wb_ltext(sh, row, 0, "verify.result", f->label);
    wb_ltext(sh, row++, 1, r->agree ? "verify.result.agree" : "verify.result.differ",
             f->text_big);
    wb_ltext(sh, row, 0, "verify.checked", f->label);
    wb_int(sh, row++, 1, r->checked, f->integer);
    wb_ltext(sh, row, 0, "verify.count", f->label);
    wb_int(sh, row++, 1, (long)r->ndifferences, f->integer);
    row++;
    wb_ltext(sh, row++, 0, "verify.stamps", f->section);
    row = stamp_rows(sh, row, "verify.stamp.recomputed", &r->expected);
    if (r->kind != BPA_ACCOUNT_CLAIM)
        row = stamp_rows(sh, row, "verify.stamp.account", &r->found);
    wb_ltext_over(sh, row++, 0,
                  r->kind == BPA_ACCOUNT_CLAIM ? "verify.stamp.claim"
                  : r->stamps_agree            ? "verify.stamp.agree"
                                               : "verify.stamp.differ",
                  f->subtitle);
    row++;
    static const char *const head[D_NCOLS] = {"verify.no",       "verify.field",
                                              "verify.what",     "verify.recomputed_head",
                                              "verify.found_head", "verify.where_head"};
    int head_row = row++;
    wb_head(sh, head_row, head, D_NCOLS, WB_COL(D_NO) | WB_COL(D_EXPECTED) | WB_COL(D_FOUND));
    wb_sheet_wrap_col(sh, D_FIELD, 60);
    wb_sheet_wrap_col(sh, D_KIND, 30);
    for (size_t i = 0; i < r->ndifferences; i++, row++) {
        const bpa_difference *d = &r->differences[i];
        wb_int(sh, row, D_NO, (long)i + 1, f->count);
        wb_text(sh, row, D_FIELD, d->field, f->wrap);
        wb_text(sh, row, D_KIND, vf_kind_words(d, w->lang), f->wrap);
        value_cell(sh, row, D_EXPECTED, d->expected);
        value_cell(sh, row, D_FOUND, d->found);
        wb_text(sh, row, D_WHERE, d->where, f->text);
    }
    if (r->ndifferences == 0)
        wb_text(sh, row++, D_FIELD,
                wb_fmt(w, wb_label(w, "verify.agree"), r->checked), f->text);
    wb_sheet_finish(sh, head_row, r->ndifferences ? row - 1 : head_row, D_NCOLS);
}

bpa_status bpa_verify_workbook_write(const bpa_verify_result *r, const char *path, bpa_lang lang,
                                     bpa_error *err)
{
    bpa_outfile out;
    bpa_status st = bpa_outfile_open_named(&out, path, err);
    if (st != BPA_OK)
        return st;
    wb w;
    memset(&w, 0, sizeof w);
    st = wb_open(&w, out.tmp_path, lang, r->case_id, "verify.title", err);
    if (st != BPA_OK) {
        bpa_outfile_abort(&out);
        return st;
    }
    wb_sheet sh;
    wb_sheet_add(&w, &sh, "verify.sheet");
    write_sheet(&sh, r);
    return wb_close(&w, &out, err);
}
