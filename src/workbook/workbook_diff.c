/* The comparison workbook (bpa diff, RULES.md 13 and 10): summary, the
 * changes per month and category, the other lines, the two grants' files.
 * Hours, rates and amounts of each side are input cells; change, the hours
 * and rate effects, the residue and every sum are formulas over them with
 * the engine's value stored. The writer only renders what
 * bpa_diff_compute recorded. */
#include <stdlib.h>
#include <string.h>

#include "bpa/diff.h"
#include "core/alloc.h"
#include "io/outfile.h"
#include "trace/labels.h"
#include "workbook/workbook_common.h"

#define TABLE_HEAD 5 /* row of the column headers on Changes (under three notes) */
#define OTHER_HEAD 2 /* ... on Other lines */

enum { C_MONTH, C_CAT, C_OH, C_OR, C_NH, C_NR, C_OLD, C_NEW, C_CHG, C_HE, C_RE, C_RES, C_NCOLS };
enum { O_MONTH, O_RULE, O_IN, O_OLD, O_NEW, O_CHG, O_NCOLS };

typedef struct dwctx {
    wb w;
    const bpa_diff *d;
    wb_sheet sum, chg, oth, inp;
    int chg_total;            /* the Changes sheet's total row */
    int oth_in, oth_out;      /* the Other lines sheet's two total rows */
} dwctx;

static const char *category_text(dwctx *x, const bpa_category *c)
{
    if (x->d->country == BPA_COUNTRY_SE)
        return wb_kind(&x->w, c->kind);
    return wb_category(&x->w, c);
}

/* Custom properties: engine, and per side case, policy and their SHA-256s. */
static void wb_properties_diff(dwctx *x)
{
    wb *w = &x->w;
    wb_property(w, "bpa engine", "bpa " BPA_VERSION);
    const bpa_grant_record *side[2] = {x->d->old_rec, x->d->new_rec};
    static const char *const who[2] = {"old", "new"};
    for (int i = 0; i < 2; i++) {
        const bpa_grant_record *g = side[i];
        wb_property(w, wb_fmt(w, "%s case", who[i]), g->case_id);
        wb_property(w, wb_fmt(w, "%s policy", who[i]), g->policy_id);
        wb_property(w, wb_fmt(w, "%s policy sha256", who[i]), g->policy_sha256);
        wb_property(w, wb_fmt(w, "%s case sha256", who[i]),
                    g->ninputs ? g->inputs[0].sha256 : "");
        if (g->from_result)
            wb_property(w, wb_fmt(w, "%s result sha256", who[i]), g->sha256);
    }
}

/* ---- Changes ------------------------------------------------------------------------ */

static void changes_sheet(dwctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->chg;
    const wb_formats *f = &w->f;
    const bpa_diff *d = x->d;
    wb_ltext_over(sh, 0, 0, "diff.changes.title", f->title);
    wb_ltext_over(sh, 1, 0, "diff.changes.note1", f->subtitle);
    wb_ltext_over(sh, 2, 0, "diff.changes.note2", f->subtitle);
    wb_ltext_over(sh, 3, 0, "diff.changes.note3", f->subtitle);
    static const char *const head[] = {"col.month",          "diff.col.category",
                                       "diff.col.old_hours", "diff.col.old_rate",
                                       "diff.col.new_hours", "diff.col.new_rate",
                                       "diff.col.old",       "diff.col.new",
                                       "diff.col.change",    "diff.col.hours_effect",
                                       "diff.col.rate_effect", "diff.col.residue"};
    unsigned long num = 0;
    for (int c = C_OH; c < C_NCOLS; c++)
        num |= WB_COL(c);
    wb_head(sh, TABLE_HEAD, head, C_NCOLS, num);
    int r = TABLE_HEAD + 1, first = r;
    for (size_t i = 0; i < d->nchanges; i++, r++) {
        const bpa_diff_change *c = &d->changes[i];
        wb_month(sh, r, C_MONTH, c->year, c->month);
        wb_text(sh, r, C_CAT, category_text(x, &c->category), f->text);
        wb_input(sh, r, C_OH, c->old_hours, f->hours4);
        if (c->in_old)
            wb_input(sh, r, C_OR, c->old_rate, f->rate);
        wb_input(sh, r, C_NH, c->new_hours, f->hours4);
        if (c->in_new)
            wb_input(sh, r, C_NR, c->new_rate, f->rate);
        wb_input(sh, r, C_OLD, c->old_amount, f->amount);
        wb_input(sh, r, C_NEW, c->new_amount, f->amount);
        const char *chg = wb_cell(w, r, C_CHG);
        wb_formula(sh, r, C_CHG, f->amount, c->change,
                   wb_fmt(w, "=%s-%s", wb_cell(w, r, C_NEW), wb_cell(w, r, C_OLD)));
        if (c->in_old && c->in_new) {
            wb_formula(sh, r, C_HE, f->amount, c->hours_effect,
                       wb_fmt(w, "=(%s-%s)*%s", wb_cell(w, r, C_NH), wb_cell(w, r, C_OH),
                              wb_cell(w, r, C_OR)));
            wb_formula(sh, r, C_RE, f->amount, c->rate_effect,
                       wb_fmt(w, "=%s*(%s-%s)", wb_cell(w, r, C_NH), wb_cell(w, r, C_NR),
                              wb_cell(w, r, C_OR)));
        } else {
            /* on one side only: the whole change is hours effect */
            wb_formula(sh, r, C_HE, f->amount, c->hours_effect, wb_fmt(w, "=%s", chg));
            wb_formula(sh, r, C_RE, f->amount, c->rate_effect, "=0");
        }
        wb_formula(sh, r, C_RES, f->amount, c->residue,
                   wb_fmt(w, "=%s-%s-%s", chg, wb_cell(w, r, C_HE), wb_cell(w, r, C_RE)));
    }
    int last = r - 1;
    x->chg_total = r;
    wb_ltext(sh, r, C_MONTH, "word.total", f->label);
    const mpq_srcptr sums[] = {d->sum_old,         d->sum_new,         d->sum_change,
                               d->sum_hours_effect, d->sum_rate_effect, d->sum_residue};
    for (int c = C_OLD; c <= C_RES; c++)
        wb_formula(sh, r, c, f->amount_total, sums[c - C_OLD],
                   last >= first ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, c),
                                          wb_cell(w, last, c))
                                 : "=0");
    wb_sheet_wrap_col(sh, C_CAT, 30);
    wb_sheet_finish(sh, TABLE_HEAD, last, C_NCOLS);
}

/* ---- Other lines -------------------------------------------------------------------- */

static void other_sheet(dwctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->oth;
    const wb_formats *f = &w->f;
    const bpa_diff *d = x->d;
    wb_ltext_over(sh, 0, 0, "diff.other.title", f->title);
    static const char *const head[] = {"col.month",   "diff.col.rule", "diff.col.in_total",
                                       "diff.col.old", "diff.col.new", "diff.col.change"};
    wb_head(sh, OTHER_HEAD, head, O_NCOLS, WB_COL(O_OLD) | WB_COL(O_NEW) | WB_COL(O_CHG));
    int *in = bpa_calloc(d->nother ? d->nother : 1, sizeof *in);
    int *out = bpa_calloc(d->nother ? d->nother : 1, sizeof *out);
    if (!in || !out) {
        w->nomem = true;
        free(in);
        free(out);
        return;
    }
    size_t nin = 0, nout = 0;
    int r = OTHER_HEAD + 1;
    for (size_t i = 0; i < d->nother; i++, r++) {
        const bpa_diff_other *o = &d->other[i];
        wb_month(sh, r, O_MONTH, o->year, o->month);
        wb_ltext(sh, r, O_RULE, wb_fmt(w, "diff.rule.%s", o->rule), f->text);
        wb_ltext(sh, r, O_IN, o->in_total ? "word.yes" : "word.no", f->text);
        wb_input(sh, r, O_OLD, o->old_amount, f->amount);
        wb_input(sh, r, O_NEW, o->new_amount, f->amount);
        wb_formula(sh, r, O_CHG, f->amount, o->change,
                   wb_fmt(w, "=%s-%s", wb_cell(w, r, O_NEW), wb_cell(w, r, O_OLD)));
        if (o->in_total)
            in[nin++] = r;
        else
            out[nout++] = r;
    }
    int last = r - 1;
    r++;
    x->oth_in = r;
    wb_ltext(sh, r, O_MONTH, "diff.other.in_total", f->label);
    wb_formula(sh, r++, O_CHG, f->amount_total, d->other_change,
               wb_fmt(w, "=%s", wb_sum_rows(w, NULL, in, nin, O_CHG)));
    x->oth_out = r;
    wb_ltext(sh, r, O_MONTH, "diff.other.outside", f->label);
    wb_formula(sh, r, O_CHG, f->amount_total, d->outside_change,
               wb_fmt(w, "=%s", wb_sum_rows(w, NULL, out, nout, O_CHG)));
    free(in);
    free(out);
    wb_sheet_wrap_col(sh, O_RULE, 34);
    wb_sheet_finish(sh, OTHER_HEAD, last, O_NCOLS);
}

/* ---- Summary ------------------------------------------------------------------------ */

static int side_block(wb_sheet *sh, int r, const char *key, const bpa_grant_record *g)
{
    const wb_formats *f = &sh->w->f;
    wb_ltext(sh, r++, 0, key, f->section);
    wb_ltext(sh, r, 0, "sum.case", f->label);
    wb_text_over(sh, r++, 1, g->case_id, f->text);
    wb_ltext(sh, r, 0, "sum.scheme", f->label);
    wb_ltext_over(sh, r++, 1, wb_scheme_key(g->scheme), f->text);
    wb_ltext(sh, r, 0, "sum.year", f->label);
    wb_int(sh, r++, 1, g->year, NULL);
    wb_ltext(sh, r, 0, "sum.policy", f->label);
    wb_text_over(sh, r++, 1, g->policy_title, f->text);
    return r + 1;
}

static void summary_sheet(dwctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->sum;
    const wb_formats *f = &w->f;
    const bpa_diff *d = x->d;
    int r = 0;
    wb_ltext_over(sh, r++, 0, "diff.title", f->title);
    wb_ltext_over(sh, r++, 0, "diff.subtitle", f->subtitle);
    r++;
    r = side_block(sh, r, "diff.section_old", d->old_rec);
    r = side_block(sh, r, "diff.section_new", d->new_rec);

    wb_ltext(sh, r++, 0, "diff.section_totals", f->section);
    int r_old = r, r_new = r + 1, r_chg = r + 2;
    wb_ltext(sh, r, 0, "diff.sum.total_old", f->label);
    wb_input(sh, r++, 1, d->total_old, f->amount);
    wb_ltext(sh, r, 0, "diff.sum.total_new", f->label);
    wb_input(sh, r++, 1, d->total_new, f->amount);
    wb_ltext(sh, r, 0, "diff.sum.change", f->text_big);
    wb_formula(sh, r++, 1, f->amount_big, d->total_change,
               wb_fmt(w, "=%s-%s", wb_cell(w, r_new, 1), wb_cell(w, r_old, 1)));
    wb_ltext(sh, r, 0, "diff.sum.pct", f->label);
    if (d->has_pct)
        wb_formula(sh, r++, 1, f->amount, d->pct,
                   wb_fmt(w, "=%s", wb_round(w, BPA_ROUND_HALF_AWAY_FROM_ZERO,
                                             wb_fmt(w, "%s/%s*100", wb_cell(w, r_chg, 1),
                                                    wb_cell(w, r_old, 1)))));
    else
        wb_ltext_over(sh, r++, 1, "diff.sum.no_pct", f->text);
    r++;

    wb_ltext(sh, r++, 0, "diff.section_split", f->section);
    int r_first = r;
    wb_ltext(sh, r, 0, "diff.sum.hours_effect", f->label);
    wb_formula(sh, r++, 1, f->amount, d->sum_hours_effect,
               wb_fmt(w, "=%s", wb_ref(w, &x->chg, x->chg_total, C_HE)));
    wb_ltext(sh, r, 0, "diff.sum.rate_effect", f->label);
    wb_formula(sh, r++, 1, f->amount, d->sum_rate_effect,
               wb_fmt(w, "=%s", wb_ref(w, &x->chg, x->chg_total, C_RE)));
    wb_ltext(sh, r, 0, "diff.sum.residue", f->label);
    wb_formula(sh, r++, 1, f->amount, d->sum_residue,
               wb_fmt(w, "=%s", wb_ref(w, &x->chg, x->chg_total, C_RES)));
    wb_ltext(sh, r, 0, "diff.sum.other", f->label);
    wb_formula(sh, r++, 1, f->amount, d->other_change,
               wb_fmt(w, "=%s", wb_ref(w, &x->oth, x->oth_in, O_CHG)));
    wb_ltext(sh, r, 0, "diff.sum.explained", f->text_big);
    wb_formula(sh, r, 1, f->amount_big, d->explained,
               wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, r_first, 1), wb_cell(w, r - 1, 1)));
    r++;
    wb_ltext(sh, r, 0, "diff.sum.outside", f->label);
    wb_formula(sh, r++, 1, f->amount, d->outside_change,
               wb_fmt(w, "=%s", wb_ref(w, &x->oth, x->oth_out, O_CHG)));
    r++;
    wb_ltext(sh, r++, 0, "sum.documentation", f->section);
    wb_ltext(sh, r, 0, "sum.engine", f->text);
    wb_text_over(sh, r++, 1, "bpa " BPA_VERSION, f->text);
    wb_ltext(sh, r++, 0, "diff.sum.files_note", f->text);
    wb_ltext(sh, r++, 0, "sum.note", f->subtitle);
    wb_sheet_wrap_col(sh, 0, 44);
    wb_sheet_wrap_col(sh, 1, 24);
    wb_sheet_finish(sh, -1, -1, 0);
}

/* ---- Inputs: both grants' files ------------------------------------------------------ */

/* One side's files: the result read back (when it was one), then the
 * case and policy files its grant was computed from, with SHA-256. */
static int files_block(wb_sheet *sh, int r, const char *key, const bpa_grant_record *g)
{
    wb *w = sh->w;
    const wb_formats *f = &w->f;
    wb_ltext(sh, r++, 0, key, f->section);
    wb_ltext(sh, r, 0, "sum.engine", f->label);
    wb_text(sh, r++, 2, wb_fmt(w, "bpa %s", g->engine_version), f->text);
    wb_ltext(sh, r, 0, "inputs.file", f->label);
    wb_ltext(sh, r, 2, "inputs.role", f->label);
    wb_ltext(sh, r++, 4, "col.sha256", f->label);
    if (g->from_result) {
        const char *base = strrchr(g->file, '/');
        wb_text(sh, r, 0, base ? base + 1 : g->file, f->text);
        wb_ltext(sh, r, 2, "diff.inputs.result_file", f->text);
        wb_text(sh, r++, 4, g->sha256, f->mono);
    }
    for (size_t i = 0; i < g->ninputs; i++, r++) {
        wb_text(sh, r, 0, g->inputs[i].name, f->text);
        wb_ltext(sh, r, 2,
                 i == 0 ? "inputs.case_file" : i == 1 ? "inputs.policy_file" : "diff.inputs.other_file",
                 f->text);
        wb_text(sh, r, 4, g->inputs[i].sha256, f->mono);
    }
    return r + 1;
}

static void inputs_sheet(dwctx *x)
{
    wb_sheet *sh = &x->inp;
    const wb_formats *f = &x->w.f;
    const bpa_diff *d = x->d;
    wb_ltext_over(sh, 0, 0, "diff.inputs.title", f->title);
    int r = files_block(sh, 2, "diff.section_old", d->old_rec);
    files_block(sh, r, "diff.section_new", d->new_rec);
    wb_sheet_finish(sh, -1, -1, 0);
}

bpa_status bpa_diff_workbook_write(const bpa_diff *d, const char *path, bpa_lang lang,
                                   bpa_error *err)
{
    bpa_outfile out;
    bpa_status st = bpa_outfile_open_named(&out, path, err);
    if (st != BPA_OK)
        return st;
    dwctx x;
    memset(&x, 0, sizeof x);
    x.d = d;
    st = wb_open(&x.w, out.tmp_path, lang, d->new_rec->case_id, "diff.doc_title", err);
    if (st != BPA_OK) {
        bpa_outfile_abort(&out);
        return st;
    }
    wb_sheet_add(&x.w, &x.sum, "diff.sheet.summary");
    wb_sheet_add(&x.w, &x.chg, "diff.sheet.changes");
    wb_sheet_add(&x.w, &x.oth, "diff.sheet.other");
    wb_sheet_add(&x.w, &x.inp, "sheet.inputs");
    wb_properties_diff(&x);
    changes_sheet(&x);
    other_sheet(&x);
    summary_sheet(&x);
    inputs_sheet(&x);
    return wb_close(&x.w, &out, err);
}
