/* The portfolio workbook (RULES.md 14): one row per case as the portfolio
 * recorded it, and a totals sheet whose figures are COUNTIFS/SUMIFS over
 * those rows, stored with the portfolio's exact sums. */
#include "bpa/portfolio.h"

#include <string.h>

#include "trace/labels.h"
#include "workbook/workbook_common.h"

enum { C_ID, C_CASE, C_SCHEME, C_POLICY, C_GRANT, C_BALANCE, C_DIR, C_DUE, C_NWARN, C_CODES,
       C_ERROR, C_EXIT, C_NCOLS };
enum { T_SCHEME, T_DIR, T_CASES, T_GRANT, T_BALANCE, T_NCOLS };
#define HEAD 3 /* the table's header row on both sheets */

/* The word in the direction column: what the totals' criteria match. */
static const char *dir_key(bool has, bpa_direction d)
{
    static const char *const keys[] = {"pf.dir.settled", "pf.dir.repay", "pf.dir.pay_out"};
    return has ? keys[d] : "pf.dir.none";
}

static void cases_sheet(wb_sheet *sh, const bpa_portfolio *p)
{
    wb *w = sh->w;
    const wb_formats *f = &w->f;
    wb_ltext(sh, 0, 0, "pf.title", f->title);
    wb_text(sh, 1, 0,
            wb_fmt(w, "%s: %zu, %s: %zu", wb_label(w, "pf.cases"), p->ncases,
                   wb_label(w, "pf.failed"), p->nfailed),
            f->subtitle);
    static const char *const head[C_NCOLS] = {
        "pf.col.id",  "pf.col.case",  "pf.col.scheme", "pf.col.policy",
        "pf.col.grant", "pf.col.balance", "pf.col.direction", "pf.col.due",
        "pf.col.nwarnings", "pf.col.codes", "pf.col.error", "pf.col.exit"};
    wb_head(sh, HEAD, head, C_NCOLS,
            WB_COL(C_GRANT) | WB_COL(C_BALANCE) | WB_COL(C_NWARN) | WB_COL(C_EXIT));
    int r = HEAD + 1;
    for (size_t i = 0; i < p->ncases; i++, r++) {
        const bpa_portfolio_case *c = p->cases[i];
        wb_text(sh, r, C_ID, c->id, f->text);
        if (c->case_id)
            wb_text(sh, r, C_CASE, c->case_id, f->text);
        if (c->scheme)
            wb_text(sh, r, C_SCHEME, c->scheme, f->text);
        if (c->policy)
            wb_text(sh, r, C_POLICY, c->policy, f->text);
        if (c->has_grant)
            wb_input(sh, r, C_GRANT, c->grant, f->amount);
        if (c->has_settlement)
            wb_input(sh, r, C_BALANCE, c->balance, f->amount);
        if (c->error)
            wb_ltext(sh, r, C_DIR, "pf.dir.error", f->text);
        else
            wb_ltext(sh, r, C_DIR, dir_key(c->has_settlement, c->direction), f->text);
        if (c->has_due)
            wb_date(sh, r, C_DUE, c->due, f->date);
        wb_int(sh, r, C_NWARN, (long)c->nwarnings, f->count);
        if (c->nwarnings) {
            bpa_strbuf sb;
            bpa_strbuf_init(&sb);
            for (size_t k = 0; k < c->nwarnings; k++) {
                if (k)
                    bpa_strbuf_add(&sb, ", ");
                bpa_strbuf_add(&sb, c->warnings[k]);
            }
            char *codes = bpa_strbuf_detach(&sb);
            bpa_strbuf_release(&sb);
            if (codes)
                wb_text(sh, r, C_CODES, codes, f->text);
            else
                w->nomem = true;
            free(codes);
        }
        if (c->error) {
            wb_text(sh, r, C_ERROR, c->error, f->wrap);
            wb_int(sh, r, C_EXIT, c->exit_status, f->count);
        }
    }
    wb_sheet_wrap_col(sh, C_ERROR, 60);
    wb_sheet_finish(sh, HEAD, r - 1, C_NCOLS);
}

/* "'Sheet'!$E$5:$E$20": a column of the cases' rows. */
static const char *rows_of(wb *w, const wb_sheet *cases, int col, size_t n)
{
    const char *a = wb_cell(w, HEAD + 1, col);
    const char *b = wb_cell(w, HEAD + (int)n, col);
    return wb_fmt(w, "'%s'!%s:%s", cases->name, a, b);
}

static void totals_sheet(wb_sheet *sh, const wb_sheet *cases, const bpa_portfolio *p)
{
    wb *w = sh->w;
    const wb_formats *f = &w->f;
    wb_ltext(sh, 0, 0, "pf.totals_title", f->title);
    wb_ltext(sh, 1, 0, "pf.totals_note", f->subtitle);
    static const char *const head[T_NCOLS] = {"pf.col.scheme", "pf.col.direction",
                                              "pf.col.cases", "pf.col.grant",
                                              "pf.col.balance"};
    wb_head(sh, HEAD, head, T_NCOLS, WB_COL(T_CASES) | WB_COL(T_GRANT) | WB_COL(T_BALANCE));
    int r = HEAD + 1;
    size_t n = p->ncases;
    for (size_t i = 0; i < p->ntotals; i++, r++) {
        const bpa_portfolio_total *t = &p->totals[i];
        wb_text(sh, r, T_SCHEME, t->scheme, f->text);
        wb_ltext(sh, r, T_DIR, dir_key(t->has_direction, t->direction), f->text);
        /* the criteria are this row's own scheme and direction cells */
        const char *crit = wb_fmt(w, "%s,%s,%s,%s", rows_of(w, cases, C_SCHEME, n),
                                  wb_cell(w, r, T_SCHEME), rows_of(w, cases, C_DIR, n),
                                  wb_cell(w, r, T_DIR));
        mpq_t q;
        mpq_init(q);
        mpq_set_ui(q, (unsigned long)t->cases, 1);
        wb_formula(sh, r, T_CASES, f->count, q, wb_fmt(w, "=COUNTIFS(%s)", crit));
        mpq_clear(q);
        wb_formula(sh, r, T_GRANT, f->amount, t->grant,
                   wb_fmt(w, "=SUMIFS(%s,%s)", rows_of(w, cases, C_GRANT, n), crit));
        if (t->has_direction)
            wb_formula(sh, r, T_BALANCE, f->amount, t->balance,
                       wb_fmt(w, "=SUMIFS(%s,%s)", rows_of(w, cases, C_BALANCE, n), crit));
    }
    int last = r - 1;
    r++;
    wb_ltext(sh, r, T_SCHEME, "pf.failed_cases", f->label);
    mpq_t q;
    mpq_init(q);
    mpq_set_ui(q, (unsigned long)p->nfailed, 1);
    if (n)
        wb_formula(sh, r, T_CASES, f->count, q,
                   wb_fmt(w, "=COUNTIF(%s,\">0\")", rows_of(w, cases, C_EXIT, n)));
    else
        wb_int(sh, r, T_CASES, 0, f->count);
    mpq_clear(q);
    wb_sheet_finish(sh, HEAD, last, T_NCOLS);
}

bpa_status bpa_portfolio_workbook_write(const bpa_portfolio *p, const char *path, bpa_lang lang,
                                        bpa_error *err)
{
    bpa_outfile out;
    bpa_status st = bpa_outfile_open_named(&out, path, err);
    if (st != BPA_OK)
        return st;
    wb w;
    st = wb_open(&w, out.tmp_path, lang, bpa_label("pf.header", lang), "pf.title", err);
    if (st != BPA_OK) {
        bpa_outfile_abort(&out);
        return st;
    }
    wb_sheet cases, totals;
    wb_sheet_add(&w, &cases, "pf.sheet.cases");
    wb_sheet_add(&w, &totals, "pf.sheet.totals");
    cases_sheet(&cases, p);
    totals_sheet(&totals, &cases, p);
    return wb_close(&w, &out, err);
}
