/* The Swedish budget workbook (RULES.md 7.7 and 10): summary, the budget
 * per period and month, the kommun's share (se-sfb-51), inputs and trace.
 * Every computed cell is a formula over the input cells of the Indata
 * sheet with the engine's value stored; amounts are ROUND(billable*rate,2)
 * at R3. The writer only renders what bpa_se_grant_compute recorded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/se.h"
#include "core/alloc.h"
#include "io/outfile.h"
#include "trace/format.h"
#include "trace/labels.h"
#include "workbook/workbook_common.h"

#define TABLE_HEAD 3 /* row of the column headers on the table sheets */

typedef struct sgctx {
    wb w;
    const bpa_se_grant *g;
    const bpa_case *c;
    wb_sheet sum, bud, kom, inp, trc;
    wb_inputs_at at;
    int (*hours_row)[BPA_SE_KINDS]; /* per case period: the Indata row of its hours, or -1 */
    int *rate_in_row;               /* per case period: the Indata row of its raised rate */
    int **month_row;                /* per budget period, per month: its row on Budget */
    int *period_row;                /* per budget period: its total row on Budget */
    int total_row;
    int **kmonth_row;               /* the same on Kommunens andel */
    int *kperiod_row;
    int ktotal_row;
    /* Budget columns (-1: not shown) */
    bool show[BPA_SE_KINDS];
    bool raised, beredskap_factor;
    int c_period, c_month, c_d, c_dd, c_how[BPA_SE_KINDS], c_hours[BPA_SE_KINDS], c_fv, c_fb,
        c_bill, c_schablon, c_max, c_rate, c_amount, c_due, ncols;
} sgctx;

enum { K_PERIOD, K_MONTH, K_D, K_HPW, K_HOURS, K_RATE, K_AMOUNT, K_NCOLS };

static const char *const kind_keys[BPA_SE_KINDS] = {"kind.aktiv", "kind.vantetid",
                                                     "kind.beredskap"};

/* A policy value the Indata sheet holds as an input cell, referred to;
 * else (none read, or not the number read) an input cell here. */
static void param_cell(sgctx *x, wb_sheet *sh, int r, int col, const mpq_t q, size_t read,
                       lxw_format *fmt)
{
    mpq_srcptr in = read < x->g->nused ? x->at.num[read] : NULL;
    if (in && mpq_equal(in, q))
        wb_formula(sh, r, col, fmt, q,
                   wb_fmt(&x->w, "=%s", wb_ref(&x->w, &x->inp, x->at.param_row[read], WB_IN_VALUE)));
    else
        wb_input(sh, r, col, q, fmt);
}

/* Numbers the formulas start from: the decimals and factors read. */
static void mark_inputs(sgctx *x)
{
    const bpa_se_grant *g = x->g;
    for (size_t i = 0; i < g->nused; i++) {
        const bpa_value *v = g->used[i].v;
        if (v && (v->shape == BPA_SHAPE_DECIMAL || v->shape == BPA_SHAPE_FACTOR))
            x->at.num[i] = v->q;
    }
}

/* A number as a reader writes it in a sum: "37", "12,5". */
static void add_num(bpa_strbuf *b, bpa_lang lang, const mpq_t q)
{
    if (mpz_cmp_ui(mpq_denref(q), 1) == 0 && mpz_fits_slong_p(mpq_numref(q)))
        bpa_strbuf_addf(b, "%ld", mpz_get_si(mpq_numref(q)));
    else
        bpa_lang_add_number(b, lang, q);
}

static const char *pool_text(wb *w, bpa_strbuf *b)
{
    char *s = bpa_strbuf_detach(b);
    if (!s) {
        w->nomem = true;
        return "";
    }
    const char *r = wb_fmt(w, "%s", s);
    free(s);
    return r;
}

/* ---- Indata ------------------------------------------------------------------------- */

static int inputs_case(sgctx *x, int r)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->inp;
    const wb_formats *f = &w->f;
    const bpa_case *c = x->c;
    r = wb_inputs_case(sh, r, c);
    for (size_t pi = 0; pi < c->se->nperiods; pi++) {
        const bpa_se_period *p = &c->se->periods[pi];
        r++;
        wb_text(sh, r, 0, wb_fmt(w, "%s %zu", wb_label(w, "se.col.period"), pi + 1), f->section);
        wb_date(sh, r, 1, p->from, NULL);
        wb_date(sh, r++, 2, p->to, NULL);
        wb_ltext(sh, r, 0, "se.col.payment", f->text);
        wb_ltext(sh, r++, 2,
                 p->payment == BPA_SE_FORSKOTT ? "se.payment.forskott" : "se.payment.efterskott",
                 f->text);
        for (int k = 0; k < BPA_SE_KINDS; k++) {
            x->hours_row[pi][k] = -1;
            if (!p->hours[k].given)
                continue;
            wb_ltext(sh, r, 0, kind_keys[k], f->text);
            x->hours_row[pi][k] = r;
            wb_input(sh, r, 2, p->hours[k].amount, f->in_hours);
            wb_ltext(sh, r++, 3, p->hours[k].per_week ? "unit.hours_per_week" : "se.unit.hours_period",
                     f->text);
        }
        x->rate_in_row[pi] = -1;
        if (p->has_rate) {
            wb_ltext(sh, r, 0, "se.inputs.raised_rate", f->text);
            x->rate_in_row[pi] = r;
            wb_input(sh, r, 2, p->rate, f->in_rate);
            wb_ltext(sh, r++, 3, "unit.kr_per_hour", f->text);
        }
        if (p->tier) {
            wb_ltext(sh, r, 0, "se.inputs.tier", f->text);
            wb_text(sh, r++, 2, p->tier, f->text); /* input text: a string, never a formula */
        }
    }
    r++;
    wb_ltext(sh, r++, 0, "inputs.overrides", f->section);
    if (!c->noverrides)
        wb_ltext(sh, r++, 0, "word.none", f->text);
    for (size_t i = 0; i < c->noverrides; i++, r++) {
        wb_ltext(sh, r, 1, "inputs.reason", f->text);
        wb_text(sh, r, 2, c->overrides[i].reason, f->wrap);
    }
    wb_sheet_wrap_col(sh, 1, 14);
    return r;
}

/* ---- Budget per månad ----------------------------------------------------------------- */

static void layout(sgctx *x)
{
    const bpa_se_grant *g = x->g;
    for (size_t pi = 0; pi < g->nperiods; pi++) {
        const bpa_se_budget_period *bp = &g->periods[pi];
        const bpa_se_period *cp = &x->c->se->periods[bp->period];
        for (int k = 0; k < BPA_SE_KINDS; k++)
            x->show[k] |= cp->hours[k].given;
        for (size_t mi = 0; mi < bp->nmonths; mi++) {
            x->raised |= bp->months[mi].rate_source == BPA_SE_RATE_RAISED;
            x->beredskap_factor |= bp->months[mi].has_factor_beredskap;
        }
    }
    x->show[0] = true;
    x->show[2] |= x->beredskap_factor;
    int c = 0;
    x->c_period = c++;
    x->c_month = c++;
    x->c_d = c++;
    x->c_dd = c++;
    for (int k = 0; k < BPA_SE_KINDS; k++) {
        x->c_how[k] = x->show[k] ? c++ : -1;
        x->c_hours[k] = x->show[k] ? c++ : -1;
    }
    x->c_fv = x->show[1] ? c++ : -1;
    x->c_fb = x->show[2] ? c++ : -1;
    x->c_bill = c++;
    x->c_schablon = x->raised ? c++ : -1;
    x->c_max = x->raised ? c++ : -1;
    x->c_rate = c++;
    x->c_amount = c++;
    x->c_due = c++;
    x->ncols = c;
}

/* How a month's hours of kind k arise: "37 tim/vecka × 31/7",
 * "500 tim för perioden × 31/181". */
static const char *hours_how(sgctx *x, const bpa_se_period *cp, const bpa_se_budget_month *m,
                             int k)
{
    wb *w = &x->w;
    bpa_strbuf b;
    bpa_strbuf_init(&b);
    add_num(&b, w->lang, cp->hours[k].amount);
    if (m->per_week[k])
        bpa_strbuf_addf(&b, " %s × %ld/7", wb_label(w, "unit.h_per_week"), m->days);
    else
        bpa_strbuf_addf(&b, " %s × %ld/%ld", wb_label(w, "se.unit.h_period"), m->days,
                        m->period_days);
    return pool_text(w, &b);
}

static void budget_rows(sgctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->bud;
    const wb_formats *f = &w->f;
    const bpa_se_grant *g = x->g;
    wb_ltext(sh, 0, 0, "se.budget.title", f->title);
    wb_ltext_over(sh, 1, 0, "se.budget.subtitle", f->subtitle);
    int H = TABLE_HEAD;
    wb_head_text(sh, H, x->c_period, wb_label(w, "se.col.period"), false);
    wb_head_text(sh, H, x->c_month, wb_label(w, "col.month"), false);
    wb_head_text(sh, H, x->c_d, wb_label(w, "se.col.days_month"), true);
    wb_head_text(sh, H, x->c_dd, wb_label(w, "se.col.days_period"), true);
    for (int k = 0; k < BPA_SE_KINDS; k++) {
        if (!x->show[k])
            continue;
        const char *kind = wb_label(w, kind_keys[k]);
        wb_head_text(sh, H, x->c_how[k], wb_fmt(w, "%s, %s", kind, wb_label(w, "se.col.how")),
                     false);
        wb_head_text(sh, H, x->c_hours[k], wb_fmt(w, "%s, %s", kind, wb_label(w, "unit.hours")),
                     true);
    }
    if (x->c_fv >= 0)
        wb_head_text(sh, H, x->c_fv, wb_label(w, "se.col.factor_vantetid"), true);
    if (x->c_fb >= 0)
        wb_head_text(sh, H, x->c_fb, wb_label(w, "se.col.factor_beredskap"), true);
    wb_head_text(sh, H, x->c_bill, wb_label(w, "se.col.billable"), true);
    if (x->raised) {
        wb_head_text(sh, H, x->c_schablon, wb_label(w, "se.col.schablon"), true);
        wb_head_text(sh, H, x->c_max, wb_label(w, "se.col.rate_max"), true);
    }
    wb_head_text(sh, H, x->c_rate, wb_label(w, "se.col.rate"), true);
    wb_head_text(sh, H, x->c_amount, wb_label(w, "se.col.amount"), true);
    wb_head_text(sh, H, x->c_due, wb_label(w, "se.col.rakning_due"), false);

    int r = H + 1;
    int *prow = bpa_calloc(g->nperiods ? g->nperiods : 1, sizeof *prow);
    if (!prow) {
        w->nomem = true;
        return;
    }
    for (size_t pi = 0; pi < g->nperiods; pi++) {
        const bpa_se_budget_period *bp = &g->periods[pi];
        const bpa_se_period *cp = &x->c->se->periods[bp->period];
        const char *pname = wb_fmt(w, "%zu", bp->period + 1);
        int first = r;
        for (size_t mi = 0; mi < bp->nmonths; mi++, r++) {
            const bpa_se_budget_month *m = &bp->months[mi];
            x->month_row[pi][mi] = r;
            wb_text(sh, r, x->c_period, pname, f->text);
            wb_month(sh, r, x->c_month, m->year, m->month);
            wb_int(sh, r, x->c_d, m->days, f->count);
            wb_int(sh, r, x->c_dd, m->period_days, f->count);
            const char *D = wb_cell(w, r, x->c_d), *DD = wb_cell(w, r, x->c_dd);
            for (int k = 0; k < BPA_SE_KINDS; k++) {
                if (!x->show[k])
                    continue;
                int in = x->hours_row[bp->period][k];
                if (!cp->hours[k].given || in < 0) {
                    wb_input(sh, r, x->c_hours[k], m->granted[k], f->hours4);
                    continue;
                }
                wb_text(sh, r, x->c_how[k], hours_how(x, cp, m, k), f->text);
                const char *A = wb_ref(w, &x->inp, in, WB_IN_VALUE);
                wb_formula(sh, r, x->c_hours[k], f->hours4, m->granted[k],
                           m->per_week[k] ? wb_fmt(w, "=%s*%s/7", A, D)
                                          : wb_fmt(w, "=%s*%s/%s", A, D, DD));
            }
            const char *bill = wb_cell(w, r, x->c_hours[0]);
            if (x->c_fv >= 0) {
                param_cell(x, sh, r, x->c_fv, m->factor_vantetid, m->vantetid_read, f->factor);
                bill = wb_fmt(w, "%s+%s*%s", bill, wb_cell(w, r, x->c_fv),
                              wb_cell(w, r, x->c_hours[1]));
            }
            if (x->c_fb >= 0 && m->has_factor_beredskap) {
                param_cell(x, sh, r, x->c_fb, m->factor_beredskap, m->beredskap_read, f->factor);
                bill = wb_fmt(w, "%s+%s*%s", bill, wb_cell(w, r, x->c_fb),
                              wb_cell(w, r, x->c_hours[2]));
            }
            wb_formula(sh, r, x->c_bill, f->hours4, m->billable, wb_fmt(w, "=%s", bill));
            /* the month's rate: the schablon, the checked raised rate or the tier's */
            lxw_format *rf = bpa_is_exact_at(m->rate, 2) ? f->rate : f->rate_exact;
            if (m->rate_source == BPA_SE_RATE_RAISED) {
                param_cell(x, sh, r, x->c_schablon, m->schablon, m->schablon_read, f->rate);
                const char *pct;
                mpq_srcptr in = m->max_pct_read < g->nused ? x->at.num[m->max_pct_read] : NULL;
                if (in && mpq_equal(in, m->raised_max_pct))
                    pct = wb_ref(w, &x->inp, x->at.param_row[m->max_pct_read], WB_IN_VALUE);
                else
                    pct = wb_qtext(w, m->raised_max_pct);
                wb_formula(sh, r, x->c_max, f->rate_exact, m->rate_max,
                           wb_fmt(w, "=%s*(1+%s/100)", wb_cell(w, r, x->c_schablon), pct));
                int in_rate = x->rate_in_row[bp->period];
                if (in_rate >= 0 && mpq_equal(cp->rate, m->rate))
                    wb_formula(sh, r, x->c_rate, rf, m->rate,
                               wb_fmt(w, "=%s", wb_ref(w, &x->inp, in_rate, WB_IN_VALUE)));
                else
                    wb_input(sh, r, x->c_rate, m->rate, rf);
            } else {
                param_cell(x, sh, r, x->c_rate, m->rate, m->rate_read, rf);
            }
            wb_formula(sh, r, x->c_amount, f->amount, m->amount,
                       wb_fmt(w, "=%s", wb_round(w, m->mode,
                                                 wb_fmt(w, "%s*%s", wb_cell(w, r, x->c_bill),
                                                        wb_cell(w, r, x->c_rate)))));
            wb_date(sh, r, x->c_due, m->rakning_due, NULL);
        }
        /* the period's sums */
        int last = r - 1;
        x->period_row[pi] = r;
        prow[pi] = r;
        wb_text(sh, r, x->c_period,
                wb_fmt(w, "%s %zu", wb_label(w, "se.period_sum"), bp->period + 1), f->label);
        wb_int(sh, r, x->c_dd, bp->days, f->count);
        struct {
            int col;
            const mpq_t *q;
        } sums[] = {{x->c_hours[0], &bp->granted[0]},
                    {x->c_hours[1], &bp->granted[1]},
                    {x->c_hours[2], &bp->granted[2]},
                    {x->c_bill, &bp->billable},
                    {x->c_amount, &bp->amount}};
        for (size_t k = 0; k < sizeof sums / sizeof sums[0]; k++) {
            if (sums[k].col < 0)
                continue;
            wb_formula(sh, r, sums[k].col, sums[k].col == x->c_amount ? f->amount_total
                                                                      : f->hours_total,
                       *sums[k].q,
                       last >= first ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, sums[k].col),
                                              wb_cell(w, last, sums[k].col))
                                     : "=0");
        }
        r += 2;
    }
    x->total_row = r;
    wb_ltext(sh, r, x->c_period, "word.total", f->label);
    wb_formula(sh, r, x->c_bill, f->hours_total, g->total_billable,
               wb_fmt(w, "=%s", wb_sum_rows(w, NULL, prow, g->nperiods, x->c_bill)));
    wb_formula(sh, r, x->c_amount, f->amount_total, g->total_amount,
               wb_fmt(w, "=%s", wb_sum_rows(w, NULL, prow, g->nperiods, x->c_amount)));
    free(prow);
    for (int k = 0; k < BPA_SE_KINDS; k++)
        if (x->c_how[k] >= 0)
            wb_sheet_wrap_col(sh, x->c_how[k], 30);
    wb_sheet_wrap_col(sh, x->c_period, 16);
    wb_sheet_finish(sh, H, r - 2, x->ncols);
}

/* ---- Kommunens andel (se-sfb-51) -------------------------------------------------------- */

static void kommun_rows(sgctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->kom;
    const wb_formats *f = &w->f;
    const bpa_se_grant *g = x->g;
    wb_ltext(sh, 0, 0, "se.kommun.title", f->title);
    wb_ltext_over(sh, 1, 0, "se.kommun.subtitle", f->subtitle);
    static const char *const head[] = {"se.col.period",     "col.month",
                                       "se.col.days_month", "col.hours_per_week",
                                       "se.col.kommun_hours", "se.col.rate",
                                       "se.col.amount"};
    wb_head(sh, TABLE_HEAD, head, K_NCOLS,
            WB_COL(K_D) | WB_COL(K_HPW) | WB_COL(K_HOURS) | WB_COL(K_RATE) | WB_COL(K_AMOUNT));
    int r = TABLE_HEAD + 1;
    int *prow = bpa_calloc(g->nperiods ? g->nperiods : 1, sizeof *prow);
    if (!prow) {
        w->nomem = true;
        return;
    }
    size_t np = 0;
    for (size_t pi = 0; pi < g->nperiods; pi++) {
        const bpa_se_budget_period *bp = &g->periods[pi];
        if (!bp->has_kommun_share)
            continue;
        int first = r;
        for (size_t mi = 0; mi < bp->nmonths; mi++) {
            const bpa_se_budget_month *m = &bp->months[mi];
            if (!m->has_kommun_share)
                continue;
            x->kmonth_row[pi][mi] = r;
            int br = x->month_row[pi][mi];
            wb_text(sh, r, K_PERIOD, wb_fmt(w, "%zu", bp->period + 1), f->text);
            wb_month(sh, r, K_MONTH, m->year, m->month);
            wb_int(sh, r, K_D, m->days, f->count);
            if (m->kommun_read < g->nused && g->used[m->kommun_read].v)
                param_cell(x, sh, r, K_HPW, g->used[m->kommun_read].v->q, m->kommun_read,
                           f->hours);
            wb_formula(sh, r, K_HOURS, f->hours4, m->kommun_hours,
                       wb_fmt(w, "=%s*%s/7", wb_cell(w, r, K_HPW), wb_cell(w, r, K_D)));
            wb_formula(sh, r, K_RATE, bpa_is_exact_at(m->rate, 2) ? f->rate : f->rate_exact,
                       m->rate, wb_fmt(w, "=%s", wb_ref(w, &x->bud, br, x->c_rate)));
            wb_formula(sh, r, K_AMOUNT, f->amount, m->kommun_amount,
                       wb_fmt(w, "=%s", wb_round(w, m->mode,
                                                 wb_fmt(w, "%s*%s", wb_cell(w, r, K_HOURS),
                                                        wb_cell(w, r, K_RATE)))));
            r++;
        }
        int last = r - 1;
        x->kperiod_row[pi] = r;
        prow[np++] = r;
        wb_text(sh, r, K_PERIOD,
                wb_fmt(w, "%s %zu", wb_label(w, "se.period_sum"), bp->period + 1), f->label);
        const char *none = "=0";
        wb_formula(sh, r, K_HOURS, f->hours_total, bp->kommun_hours,
                   last >= first ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, K_HOURS),
                                          wb_cell(w, last, K_HOURS))
                                 : none);
        wb_formula(sh, r, K_AMOUNT, f->amount_total, bp->kommun_amount,
                   last >= first ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, K_AMOUNT),
                                          wb_cell(w, last, K_AMOUNT))
                                 : none);
        r += 2;
    }
    x->ktotal_row = r;
    wb_ltext(sh, r, K_PERIOD, "word.total", f->label);
    wb_formula(sh, r, K_HOURS, f->hours_total, g->total_kommun_hours,
               wb_fmt(w, "=%s", wb_sum_rows(w, NULL, prow, np, K_HOURS)));
    wb_formula(sh, r, K_AMOUNT, f->amount_total, g->total_kommun_amount,
               wb_fmt(w, "=%s", wb_sum_rows(w, NULL, prow, np, K_AMOUNT)));
    free(prow);
    wb_sheet_wrap_col(sh, K_PERIOD, 16);
    wb_sheet_finish(sh, TABLE_HEAD, r - 2, K_NCOLS);
}

/* ---- Sammanfattning ----------------------------------------------------------------- */

static void summary(sgctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->sum;
    const wb_formats *f = &w->f;
    const bpa_se_grant *g = x->g;
    const bpa_case *c = x->c;
    bool fk = c->scheme == BPA_SCHEME_SE_SFB_51;
    int r = wb_summary_head(sh, "se.grant.title", c, g->policy);
    wb_ltext(sh, r, 0, "se.sum.policy", f->label);
    wb_text_over(sh, r++, 1, bpa_policy_id(g->policy), f->text);
    wb_ltext(sh, r, 0, "se.sum.payer", f->label);
    wb_ltext_over(sh, r++, 1, fk ? "se.payer.fk" : "se.payer.kommun", f->text);
    r++;

    /* the periods: what each brings in, from the Budget sheet's sums */
    wb_ltext(sh, r++, 0, "se.sum.periods", f->section);
    static const char *const ph[] = {"se.col.period", "col.from", "col.to", "se.col.payment",
                                     "se.col.days", "se.col.billable", "se.col.amount",
                                     "se.sum.kommun_hours", "se.sum.kommun_amount"};
    int ncol = g->has_kommun_share ? 9 : 7;
    wb_head(sh, r++, ph, ncol, WB_COL(4) | WB_COL(5) | WB_COL(6) | WB_COL(7) | WB_COL(8));
    for (size_t pi = 0; pi < g->nperiods; pi++, r++) {
        const bpa_se_budget_period *bp = &g->periods[pi];
        int pr = x->period_row[pi];
        wb_text(sh, r, 0, wb_fmt(w, "%zu", bp->period + 1), f->text);
        wb_date(sh, r, 1, bp->from, NULL);
        wb_date(sh, r, 2, bp->to, NULL);
        wb_ltext(sh, r, 3,
                 bp->payment == BPA_SE_FORSKOTT ? "se.payment.forskott" : "se.payment.efterskott",
                 f->text);
        wb_int(sh, r, 4, bp->days, f->count);
        wb_formula(sh, r, 5, f->hours, bp->billable,
                   wb_fmt(w, "=%s", wb_ref(w, &x->bud, pr, x->c_bill)));
        wb_formula(sh, r, 6, f->amount, bp->amount,
                   wb_fmt(w, "=%s", wb_ref(w, &x->bud, pr, x->c_amount)));
        if (g->has_kommun_share && bp->has_kommun_share) {
            wb_formula(sh, r, 7, f->hours, bp->kommun_hours,
                       wb_fmt(w, "=%s", wb_ref(w, &x->kom, x->kperiod_row[pi], K_HOURS)));
            wb_formula(sh, r, 8, f->amount, bp->kommun_amount,
                       wb_fmt(w, "=%s", wb_ref(w, &x->kom, x->kperiod_row[pi], K_AMOUNT)));
        }
    }
    r++;
    wb_ltext(sh, r++, 0, "se.sum.totals", f->section);
    wb_ltext(sh, r, 0, "se.sum.total_billable", f->label);
    wb_formula(sh, r++, 1, f->hours, g->total_billable,
               wb_fmt(w, "=%s", wb_ref(w, &x->bud, x->total_row, x->c_bill)));
    wb_ltext(sh, r, 0, "se.sum.total_amount", f->text_big);
    wb_formula(sh, r++, 1, f->amount_big, g->total_amount,
               wb_fmt(w, "=%s", wb_ref(w, &x->bud, x->total_row, x->c_amount)));
    if (g->has_kommun_share) {
        wb_ltext(sh, r, 0, "se.sum.kommun_hours", f->label);
        wb_formula(sh, r++, 1, f->hours, g->total_kommun_hours,
                   wb_fmt(w, "=%s", wb_ref(w, &x->kom, x->ktotal_row, K_HOURS)));
        wb_ltext(sh, r, 0, "se.sum.kommun_total", f->label);
        wb_formula(sh, r++, 1, f->amount, g->total_kommun_amount,
                   wb_fmt(w, "=%s", wb_ref(w, &x->kom, x->ktotal_row, K_AMOUNT)));
    }
    r++;

    /* the räkningar: one per month, due the 5th of the month after next */
    wb_ltext(sh, r++, 0, "se.sum.rakningar", f->section);
    static const char *const rh[] = {"se.col.period", "col.month", "se.col.rakning_due",
                                     "se.col.amount"};
    wb_head(sh, r++, rh, 4, WB_COL(3));
    for (size_t pi = 0; pi < g->nperiods; pi++) {
        const bpa_se_budget_period *bp = &g->periods[pi];
        for (size_t mi = 0; mi < bp->nmonths; mi++, r++) {
            const bpa_se_budget_month *m = &bp->months[mi];
            wb_text(sh, r, 0, wb_fmt(w, "%zu", bp->period + 1), f->text);
            wb_month(sh, r, 1, m->year, m->month);
            wb_date(sh, r, 2, m->rakning_due, NULL);
            wb_formula(sh, r, 3, f->amount, m->amount,
                       wb_fmt(w, "=%s", wb_ref(w, &x->bud, x->month_row[pi][mi], x->c_amount)));
        }
    }
    r++;
    r = wb_summary_warnings(sh, r, &g->warnings);
    r = wb_summary_footer_of(sh, r, c, g->policy);
    wb_sheet_wrap_col(sh, 0, 40);
    wb_sheet_wrap_col(sh, 1, 20);
    wb_sheet_wrap_col(sh, 3, 24);
    wb_sheet_wrap_col(sh, 7, 14);
    wb_sheet_wrap_col(sh, 8, 24);
    wb_sheet_finish(sh, -1, -1, 0);
}

/* ---- driver ------------------------------------------------------------------------- */

static void write_all(sgctx *x)
{
    wb *w = &x->w;
    const bpa_se_grant *g = x->g;
    wb_sheet_add(w, &x->sum, "se.sheet.summary");
    wb_sheet_add(w, &x->bud, "se.sheet.budget");
    if (g->has_kommun_share)
        wb_sheet_add(w, &x->kom, "se.sheet.kommun");
    wb_sheet_add(w, &x->inp, "sheet.inputs");
    wb_sheet_add(w, &x->trc, "sheet.trace");
    wb_fingerprints(w, x->c, g->policy, NULL);
    /* the inputs first: the other sheets' formulas refer to their cells */
    mark_inputs(x);
    w->at = &x->at;
    int head, last;
    int r = wb_inputs_params(&x->inp, g->policy, g->used, g->nused, NULL, 0,
                             "se.inputs.edit_note", &head, &last);
    w->at = NULL;
    r = inputs_case(x, r);
    layout(x);
    budget_rows(x);
    if (g->has_kommun_share)
        kommun_rows(x);
    summary(x);
    wb_inputs_files_of(&x->inp, r, x->c, g->policy, NULL);
    wb_sheet_finish(&x->inp, head, last, 6);
    wb_trace_sheet(&x->trc, &g->trace);
}

static int **rows_of(const bpa_se_grant *g, bool *ok)
{
    int **rows = bpa_calloc(g->nperiods ? g->nperiods : 1, sizeof *rows);
    if (!rows) {
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; i < g->nperiods; i++) {
        size_t n = g->periods[i].nmonths;
        if (!(rows[i] = bpa_calloc(n ? n : 1, sizeof **rows)))
            *ok = false;
    }
    return rows;
}

static void rows_free(const bpa_se_grant *g, int **rows)
{
    for (size_t i = 0; rows && i < g->nperiods; i++)
        free(rows[i]);
    free(rows);
}

bpa_status bpa_se_grant_workbook_write(const bpa_se_grant *g, const char *path, bpa_lang lang,
                                       bpa_error *err)
{
    if (!g || !g->kase || !g->kase->se)
        return bpa_error_set(err, BPA_E_INPUT, path, 0, 0, NULL,
                             "a Swedish budget workbook needs a Swedish case");
    bpa_outfile out;
    bpa_status st = bpa_outfile_open_named(&out, path, err);
    if (st != BPA_OK)
        return st;
    sgctx x;
    memset(&x, 0, sizeof x);
    x.g = g;
    x.c = g->kase;
    st = wb_open(&x.w, out.tmp_path, lang, x.c->id, "se.grant.doc_title", err);
    if (st != BPA_OK) {
        bpa_outfile_abort(&out);
        return st;
    }
    size_t np = x.c->se->nperiods;
    bool ok = true;
    x.at.num = bpa_calloc(g->nused ? g->nused : 1, sizeof *x.at.num);
    x.at.param_row = bpa_calloc(g->nused ? g->nused : 1, sizeof *x.at.param_row);
    x.hours_row = bpa_calloc(np ? np : 1, sizeof *x.hours_row);
    x.rate_in_row = bpa_calloc(np ? np : 1, sizeof *x.rate_in_row);
    x.period_row = bpa_calloc(g->nperiods ? g->nperiods : 1, sizeof *x.period_row);
    x.kperiod_row = bpa_calloc(g->nperiods ? g->nperiods : 1, sizeof *x.kperiod_row);
    x.month_row = rows_of(g, &ok);
    x.kmonth_row = rows_of(g, &ok);
    if (!ok || !x.at.num || !x.at.param_row || !x.hours_row || !x.rate_in_row ||
        !x.period_row || !x.kperiod_row)
        x.w.nomem = true;
    else
        write_all(&x);
    st = wb_close(&x.w, &out, err);
    rows_free(g, x.month_row);
    rows_free(g, x.kmonth_row);
    free(x.at.num);
    free(x.at.param_row);
    free(x.hours_row);
    free(x.rate_in_row);
    free(x.period_row);
    free(x.kperiod_row);
    return st;
}
