/* The Swedish avräkning workbook (RULES.md 8.3, 8.4 and 10): summary, the
 * räkning per period and month, the tidsredovisningar with their check
 * against the räkning, the avräkning per period, the receipts, working
 * time above its limit, inputs and trace. Computed cells are formulas over
 * the Indata cells (used rows, payments, factors, caps) with the engine's
 * value stored; amounts are ROUND(capped*rate,2) at R3. The writer only
 * renders what bpa_se_settle recorded. */
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

static const char *const kind_keys[BPA_SE_KINDS] = {"kind.aktiv", "kind.vantetid",
                                                     "kind.beredskap"};

typedef struct ssctx {
    wb w;
    const bpa_se_settlement *s;
    const bpa_se_grant *g;
    const bpa_case *c;
    const bpa_se_usage *u;
    wb_sheet sum, rak, tid, avr, utl, arb, inp, trc;
    wb_inputs_at at;
    bpa_used_param *all; /* the budget's parameters, then the avräkning's own not among them */
    size_t nall;
    size_t *smap;   /* per s->used: its index in all */
    int *used_row;  /* per usage used row: its Indata row (hours in WB_IN_VALUE) */
    int *pay_row;   /* per usage payment: its Indata row (amount in WB_IN_VALUE) */
    int **mrow;     /* per period, per month: its row on Räkning */
    int *psum_row;  /* per period: its sum row on Räkning */
    int rak_last;   /* last row of the Räkning table */
    int *avr_row;   /* per period: its row on Avräkning */
    int avr_total;
    int utl_total;  /* the total row on Utlägg (-1: none) */
    /* Räkning columns (-1: not shown) */
    bool show[BPA_SE_KINDS], show_rep[BPA_SE_KINDS];
    int c_period, c_month, c_rep[BPA_SE_KINDS], c_used[BPA_SE_KINDS], c_hm[BPA_SE_KINDS], c_fv,
        c_fb, c_bill, c_gr, c_rem, c_cap, c_caphm, c_np, c_rate, c_amt, c_paid, c_due, ncols;
} ssctx;

/* Avräkning columns */
enum {
    A_PERIOD, A_FROM, A_TO, A_PAYMENT, A_CAP, A_AMOUNT, A_PAID, A_BALANCE, A_DIR, A_DUE, A_NP,
    A_KHOURS, A_KAMOUNT, A_NCOLS
};
/* Utlägg columns */
enum { U_DATE, U_CAT, U_AMOUNT, U_CAP, U_APPROVED, U_HELPER, U_REIMB, U_NOT, U_NCOLS };
/* Arbetstid columns */
enum { W_HELPER, W_FROM, W_TO, W_HOURS, W_LIMIT, W_EXCESS, W_NCOLS };

/* ---- small helpers ---------------------------------------------------------------- */

/* A value read from the policy, by its index in all[]: a reference to its
 * Indata input cell when that holds the same number, else an input here. */
static void param_cell(ssctx *x, wb_sheet *sh, int r, int col, const mpq_t q, size_t i,
                       lxw_format *fmt)
{
    mpq_srcptr in = i < x->nall ? x->at.num[i] : NULL;
    if (in && mpq_equal(in, q))
        wb_formula(sh, r, col, fmt, q,
                   wb_fmt(&x->w, "=%s", wb_ref(&x->w, &x->inp, x->at.param_row[i], WB_IN_VALUE)));
    else
        wb_input(sh, r, col, q, fmt);
}

/* Index in all[] of a settlement used[] index (the budget's are the same). */
static size_t settle_param(const ssctx *x, size_t i)
{
    return i < x->s->nused ? x->smap[i] : BPA_NO_PARAM;
}

/* Hours as timmar:minuter: the number hours/24 in the [h]:mm format, a
 * formula over the hours cell beside. */
static void hm_cell(ssctx *x, wb_sheet *sh, int r, int col, const mpq_t hours, int hours_col)
{
    mpq_t d;
    mpq_init(d);
    mpq_set_ui(d, 1, 24);
    mpq_mul(d, d, hours);
    wb_formula(sh, r, col, x->w.f.hm, d, wb_fmt(&x->w, "=%s/24", wb_cell(&x->w, r, hours_col)));
    mpq_clear(d);
}

/* "$B$5:$B$9", or "'Sheet'!$B$5:$B$9": one column over rows r1..r2. */
static const char *col_range(wb *w, const wb_sheet *sh, int r1, int r2, int col)
{
    char buf[32];
    lxw_rowcol_to_range_abs(buf, (lxw_row_t)r1, (lxw_col_t)col, (lxw_row_t)r2, (lxw_col_t)col);
    return sh ? wb_fmt(w, "'%s'!%s", sh->name, buf) : wb_fmt(w, "%s", buf);
}

static const char *dir_key(bpa_direction d)
{
    return d == BPA_REPAY ? "se.dir.repay" : d == BPA_PAY_OUT ? "se.dir.pay_out" : "se.dir.settled";
}

/* The direction of a balance cell as a live formula (rounded to the öre
 * only for the comparison, so no binary noise turns "settled" into a
 * repayment). */
static void direction_cell(ssctx *x, wb_sheet *sh, int r, int col, bpa_direction d,
                           const char *bal)
{
    wb *w = &x->w;
    wb_formula_text(sh, r, col, w->f.text, wb_label(w, dir_key(d)),
                    wb_fmt(w, "=IF(ROUND(%s,2)>0,\"%s\",IF(ROUND(%s,2)<0,\"%s\",\"%s\"))", bal,
                           wb_label(w, "se.dir.repay"), bal, wb_label(w, "se.dir.pay_out"),
                           wb_label(w, "se.dir.settled")));
}

static const char *payment_key(bpa_se_payment p)
{
    return p == BPA_SE_FORSKOTT ? "se.payment.forskott" : "se.payment.efterskott";
}

static const char *cap_key(bpa_se_cap_unit u)
{
    return u == BPA_SE_CAP_WEEK    ? "choice.se.cap_unit.week"
           : u == BPA_SE_CAP_MONTH ? "choice.se.cap_unit.month"
                                   : "choice.se.cap_unit.period";
}

/* Lines of a header wrapped greedily at `cap` characters (0: a word does not fit). */
static unsigned greedy_lines(const char *t, unsigned cap)
{
    unsigned lines = 1, line = 0, word = 0;
    for (const unsigned char *p = (const unsigned char *)t;; p++) {
        if (!*p || *p == ' ') {
            if (word > cap)
                return 0;
            if (word) {
                if (line && line + 1 + word > cap)
                    lines++, line = word;
                else
                    line += (line ? 1 : 0) + word;
            }
            word = 0;
            if (!*p)
                return lines;
        } else if ((*p & 0xC0) != 0x80) {
            word++;
        }
    }
}

/* A column header, in a column wide enough that its words wrap onto no
 * more lines than the row is made tall for (wb_sheet_finish counts
 * characters over the width; a long word such as "Ersättningsgrundande"
 * would otherwise be cut or hidden). */
static void head(wb_sheet *sh, int row, int col, const char *t, bool numeric)
{
    wb_head_text(sh, row, col, t, numeric);
    unsigned len = 0;
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        len += (*p & 0xC0) != 0x80;
    for (unsigned chars = len < 16 ? len : 16; chars <= 60; chars++) {
        unsigned cap = chars * 12 / 15; /* bold characters per line, with room for wide ones */
        unsigned est = (len * 3 / 2 * 10 + chars * 14 - 1) / (chars * 14);
        unsigned g = cap ? greedy_lines(t, cap) : 0;
        if (g && g <= est) {
            wb_sheet_min_width(sh, col, chars);
            return;
        }
    }
}

static void heads(wb_sheet *sh, int row, const char *const *keys, int n, unsigned long numeric)
{
    for (int c = 0; c < n; c++)
        if (keys[c])
            head(sh, row, c, wb_label(sh->w, keys[c]), (numeric >> c) & 1u);
}

/* ---- the parameters: the budget's and the avräkning's own -------------------------- */

static bool same_param(const bpa_used_param *a, const bpa_used_param *b)
{
    return a->entry == b->entry && strcmp(a->name, b->name) == 0;
}

static bool collect_params(ssctx *x)
{
    const bpa_se_grant *g = x->g;
    const bpa_se_settlement *s = x->s;
    size_t n = g->nused + s->nused;
    x->all = bpa_calloc(n ? n : 1, sizeof *x->all);
    x->smap = bpa_calloc(s->nused ? s->nused : 1, sizeof *x->smap);
    x->at.num = bpa_calloc(n ? n : 1, sizeof *x->at.num);
    x->at.param_row = bpa_calloc(n ? n : 1, sizeof *x->at.param_row);
    if (!x->all || !x->smap || !x->at.num || !x->at.param_row)
        return false;
    for (size_t i = 0; i < g->nused; i++)
        x->all[x->nall++] = g->used[i]; /* shallow: the budget owns the strings */
    for (size_t j = 0; j < s->nused; j++) {
        size_t i = 0;
        while (i < x->nall && !same_param(&x->all[i], &s->used[j]))
            i++;
        if (i == x->nall)
            x->all[x->nall++] = s->used[j];
        x->smap[j] = i;
    }
    /* numbers the formulas start from: decimals, factors and caps */
    for (size_t i = 0; i < x->nall; i++) {
        const bpa_value *v = x->all[i].v;
        if (v && (v->shape == BPA_SHAPE_DECIMAL || v->shape == BPA_SHAPE_FACTOR ||
                  (v->shape == BPA_SHAPE_CAP && !v->flag)))
            x->at.num[i] = v->q;
    }
    return true;
}

/* ---- Indata: the case, the usage file's rows and payments --------------------------- */

static int inputs_case_usage(ssctx *x, int r)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->inp;
    const wb_formats *f = &w->f;
    const bpa_case *c = x->c;
    const bpa_se_usage *u = x->u;
    r = wb_inputs_case(sh, r, c);
    for (size_t pi = 0; pi < x->s->nperiods; pi++, r++) {
        const bpa_se_settle_period *p = &x->s->periods[pi];
        wb_text(sh, r, 0, wb_fmt(w, "%s %zu", wb_label(w, "se.col.period"), pi + 1), f->label);
        wb_date(sh, r, 1, p->from, NULL);
        wb_date(sh, r, 2, p->to, NULL);
        wb_ltext(sh, r, 3, payment_key(p->payment), f->wrap);
        wb_text(sh, r, 4,
                wb_fmt(w, "%s: %s", wb_label(w, "se.inputs.cap_unit"), wb_label(w, cap_key(p->cap_unit))),
                f->text);
    }
    r++;
    /* used rows: they name no assistant, so they are listed apart (8.4) */
    wb_ltext(sh, r++, 0, "se.inputs.used_rows", f->section);
    if (!u->nused)
        wb_ltext(sh, r++, 0, "se.inputs.no_used_rows", f->text);
    else {
        wb_ltext(sh, r, 0, "se.col.kind", f->label);
        wb_ltext(sh, r, 1, "col.month", f->label);
        wb_ltext(sh, r++, 2, "se.col.hours", f->label);
    }
    for (size_t i = 0; i < u->nused; i++, r++) {
        const bpa_se_used_row *ur = &u->used[i];
        x->used_row[i] = r;
        wb_ltext(sh, r, 0, kind_keys[(int)ur->kind - (int)BPA_KIND_AKTIV], f->text);
        wb_month(sh, r, 1, ur->year, ur->month);
        wb_input(sh, r, 2, ur->hours, f->in_hours);
        wb_ltext(sh, r, 3, "unit.hours", f->text);
    }
    r++;
    wb_ltext(sh, r++, 0, "se.inputs.payments", f->section);
    if (!u->npayments)
        wb_ltext(sh, r++, 0, "se.inputs.no_payments", f->text);
    else {
        wb_ltext(sh, r, 1, "se.col.date", f->label);
        wb_ltext(sh, r, 2, "se.col.receipt_amount", f->label);
        wb_ltext(sh, r++, 3, "se.col.pays_month", f->label);
    }
    for (size_t i = 0; i < u->npayments; i++, r++) {
        const bpa_se_payment_row *pr = &u->payments[i];
        x->pay_row[i] = r;
        wb_text(sh, r, 0, wb_fmt(w, "%zu", i + 1), f->text);
        wb_date(sh, r, 1, pr->date, NULL);
        wb_input(sh, r, 2, pr->amount, f->in_rate);
        wb_month(sh, r, 3, pr->year, pr->month);
    }
    return r;
}

/* ---- Räkning per månad ---------------------------------------------------------------- */

static void layout(ssctx *x)
{
    const bpa_se_settlement *s = x->s;
    bool any_period_cap = false, any_fb = false;
    for (size_t pi = 0; pi < s->nperiods; pi++) {
        const bpa_se_settle_period *p = &s->periods[pi];
        const bpa_se_period *cp = &x->c->se->periods[x->g->periods[p->period].period];
        any_period_cap |= p->cap_unit == BPA_SE_CAP_PERIOD;
        for (int k = 0; k < BPA_SE_KINDS; k++)
            x->show[k] |= cp->hours[k].given;
        for (size_t mi = 0; mi < p->nmonths; mi++) {
            const bpa_se_settle_month *m = &p->months[mi];
            any_fb |= m->has_factor_beredskap;
            for (int k = 0; k < BPA_SE_KINDS; k++) {
                x->show[k] |= mpq_sgn(m->used[k]) != 0;
                x->show_rep[k] |= mpq_sgn(m->reported[k]) != 0;
            }
        }
    }
    for (size_t i = 0; i < s->ntidsredovisningar; i++)
        for (int k = 0; k < BPA_SE_KINDS; k++)
            x->show_rep[k] |= mpq_sgn(s->tidsredovisningar[i].hours[k]) != 0;
    x->show[0] = true;
    for (int k = 0; k < BPA_SE_KINDS; k++)
        x->show[k] |= x->show_rep[k];
    int c = 0;
    x->c_period = c++;
    x->c_month = c++;
    for (int k = 0; k < BPA_SE_KINDS; k++) {
        x->c_rep[k] = x->show_rep[k] ? c++ : -1;
        x->c_used[k] = x->show[k] ? c++ : -1;
        x->c_hm[k] = x->show[k] ? c++ : -1;
    }
    x->c_fv = x->show[1] ? c++ : -1;
    x->c_fb = x->show[2] && any_fb ? c++ : -1;
    x->c_bill = c++;
    x->c_gr = c++;
    x->c_rem = any_period_cap ? c++ : -1;
    x->c_cap = c++;
    x->c_caphm = c++;
    x->c_np = c++;
    x->c_rate = c++;
    x->c_amt = c++;
    x->c_paid = c++;
    x->c_due = c++;
    x->ncols = c;
}

static void rakning_head(ssctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->rak;
    int H = TABLE_HEAD;
    head(sh, H, x->c_period, wb_label(w, "se.col.period"), false);
    head(sh, H, x->c_month, wb_label(w, "col.month"), false);
    for (int k = 0; k < BPA_SE_KINDS; k++) {
        const char *kind = wb_label(w, kind_keys[k]);
        if (x->c_rep[k] >= 0)
            head(sh, H, x->c_rep[k],
                         wb_fmt(w, "%s, %s", kind, wb_label(w, "se.col.from_reports")), true);
        if (x->c_used[k] < 0)
            continue;
        head(sh, H, x->c_used[k], wb_fmt(w, "%s, %s", kind, wb_label(w, "se.col.used_hours")),
                     true);
        head(sh, H, x->c_hm[k], wb_fmt(w, "%s, %s", kind, wb_label(w, "se.col.hm")), true);
    }
    if (x->c_fv >= 0)
        head(sh, H, x->c_fv, wb_label(w, "se.col.factor_vantetid"), true);
    if (x->c_fb >= 0)
        head(sh, H, x->c_fb, wb_label(w, "se.col.factor_beredskap"), true);
    head(sh, H, x->c_bill, wb_label(w, "se.col.billable"), true);
    head(sh, H, x->c_gr, wb_label(w, "se.col.granted_billable"), true);
    if (x->c_rem >= 0)
        head(sh, H, x->c_rem, wb_label(w, "se.col.remaining"), true);
    head(sh, H, x->c_cap, wb_label(w, "se.col.capped"), true);
    head(sh, H, x->c_caphm, wb_label(w, "se.col.capped_hm"), true);
    head(sh, H, x->c_np, wb_label(w, "se.col.not_paid"), true);
    head(sh, H, x->c_rate, wb_label(w, "se.col.rate"), true);
    head(sh, H, x->c_amt, wb_label(w, "se.col.amount"), true);
    head(sh, H, x->c_paid, wb_label(w, "se.col.paid"), true);
    head(sh, H, x->c_due, wb_label(w, "se.col.rakning_due"), false);
}

/* The hours of kind k used in month m: the usage file's rows of the month
 * (on Indata) plus the hours from time reports (the column beside). */
static void used_cell(ssctx *x, int r, const bpa_se_settle_month *m, int k)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->rak;
    const bpa_se_usage *u = x->u;
    int *rows = bpa_calloc(u->nused ? u->nused : 1, sizeof *rows);
    if (!rows) {
        w->nomem = true;
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < u->nused; i++)
        if (u->used[i].year == m->year && u->used[i].month == m->month &&
            (int)u->used[i].kind - (int)BPA_KIND_AKTIV == k)
            rows[n++] = x->used_row[i];
    const char *e = NULL;
    if (n)
        e = wb_sum_rows(w, &x->inp, rows, n, WB_IN_VALUE);
    if (x->c_rep[k] >= 0)
        e = e ? wb_fmt(w, "%s+%s", e, wb_cell(w, r, x->c_rep[k])) : wb_cell(w, r, x->c_rep[k]);
    free(rows);
    if (e)
        wb_formula(sh, r, x->c_used[k], w->f.hours4, m->used[k], wb_fmt(w, "=%s", e));
    else
        wb_input(sh, r, x->c_used[k], m->used[k], w->f.hours4);
    hm_cell(x, sh, r, x->c_hm[k], m->used[k], x->c_used[k]);
}

/* What was paid for the month: efterskott the month's amount; förskott the
 * payments given for the month (on Indata), or without any the budget's
 * granted billable hours × rate at R3. */
static void paid_cell(ssctx *x, int r, const bpa_se_settle_period *p,
                      const bpa_se_settle_month *m)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->rak;
    if (p->payment == BPA_SE_EFTERSKOTT) {
        wb_formula(sh, r, x->c_paid, w->f.amount, m->paid,
                   wb_fmt(w, "=%s", wb_cell(w, r, x->c_amt)));
        return;
    }
    if (!m->paid_by_payments) {
        wb_formula(sh, r, x->c_paid, w->f.amount, m->paid,
                   wb_fmt(w, "=%s", wb_round(w, m->mode,
                                             wb_fmt(w, "%s*%s", wb_cell(w, r, x->c_gr),
                                                    wb_cell(w, r, x->c_rate)))));
        return;
    }
    const bpa_se_usage *u = x->u;
    int *rows = bpa_calloc(u->npayments ? u->npayments : 1, sizeof *rows);
    if (!rows) {
        w->nomem = true;
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < u->npayments; i++)
        if (u->payments[i].year == m->year && u->payments[i].month == m->month)
            rows[n++] = x->pay_row[i];
    wb_formula(sh, r, x->c_paid, w->f.amount, m->paid,
               wb_fmt(w, "=%s", wb_sum_rows(w, &x->inp, rows, n, WB_IN_VALUE)));
    free(rows);
}

static void rakning_rows(ssctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->rak;
    const wb_formats *f = &w->f;
    const bpa_se_settlement *s = x->s;
    wb_ltext(sh, 0, 0, "se.rakning.title", f->title);
    wb_ltext_over(sh, 1, 0, "se.rakning.subtitle", f->subtitle);
    rakning_head(x);
    int r = TABLE_HEAD + 1;
    for (size_t pi = 0; pi < s->nperiods; pi++) {
        const bpa_se_settle_period *p = &s->periods[pi];
        const bpa_se_budget_period *bp = &x->g->periods[p->period];
        const char *pname = wb_fmt(w, "%zu", pi + 1);
        int first = r;
        int last = first + (int)p->nmonths - 1;
        for (size_t mi = 0; mi < p->nmonths; mi++, r++) {
            const bpa_se_settle_month *m = &p->months[mi];
            const bpa_se_budget_month *bm = &bp->months[m->budget_month];
            x->mrow[pi][mi] = r;
            wb_text(sh, r, x->c_period, pname, f->text);
            wb_month(sh, r, x->c_month, m->year, m->month);
            for (int k = 0; k < BPA_SE_KINDS; k++) {
                if (x->c_rep[k] >= 0)
                    wb_input(sh, r, x->c_rep[k], m->reported[k], f->hours4);
                if (x->c_used[k] >= 0)
                    used_cell(x, r, m, k);
            }
            /* billable = aktiv + fv × väntetid + fb × beredskap */
            const char *bill = wb_cell(w, r, x->c_used[0]);
            if (x->c_fv >= 0) {
                param_cell(x, sh, r, x->c_fv, bm->factor_vantetid, bm->vantetid_read, f->factor);
                bill = wb_fmt(w, "%s+%s*%s", bill, wb_cell(w, r, x->c_fv),
                              wb_cell(w, r, x->c_used[1]));
            }
            if (x->c_fb >= 0 && m->has_factor_beredskap) {
                size_t read = m->beredskap_read != BPA_NO_PARAM ? settle_param(x, m->beredskap_read)
                                                                : bm->beredskap_read;
                param_cell(x, sh, r, x->c_fb, m->factor_beredskap, read, f->factor);
                bill = wb_fmt(w, "%s+%s*%s", bill, wb_cell(w, r, x->c_fb),
                              wb_cell(w, r, x->c_used[2]));
            }
            wb_formula(sh, r, x->c_bill, f->hours4, m->billable, wb_fmt(w, "=%s", bill));
            /* granted: the budget's billable hours of the month */
            wb_input(sh, r, x->c_gr, m->granted_billable, f->hours4);
            const char *B = wb_cell(w, r, x->c_bill);
            if (p->cap_unit == BPA_SE_CAP_MONTH) {
                wb_formula(sh, r, x->c_cap, f->hours4, m->capped,
                           wb_fmt(w, "=MIN(%s,%s)", B, wb_cell(w, r, x->c_gr)));
            } else if (p->cap_unit == BPA_SE_CAP_PERIOD) {
                /* what is left of the period's granted hours before this month */
                const char *left =
                    mi == 0 ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, x->c_gr),
                                     wb_cell(w, last, x->c_gr))
                            : wb_fmt(w, "=%s-%s", wb_cell(w, r - 1, x->c_rem),
                                     wb_cell(w, r - 1, x->c_cap));
                wb_formula(sh, r, x->c_rem, f->hours4, m->cap_left, left);
                wb_formula(sh, r, x->c_cap, f->hours4, m->capped,
                           wb_fmt(w, "=MIN(%s,%s)", B, wb_cell(w, r, x->c_rem)));
            } else {
                /* week: taken day by day against each week's cap (see the note) */
                wb_input(sh, r, x->c_cap, m->capped, f->hours4);
            }
            hm_cell(x, sh, r, x->c_caphm, m->capped, x->c_cap);
            wb_formula(sh, r, x->c_np, f->hours4, m->not_paid,
                       wb_fmt(w, "=%s-%s", B, wb_cell(w, r, x->c_cap)));
            lxw_format *rf = bpa_is_exact_at(m->rate, 2) ? f->rate : f->rate_exact;
            param_cell(x, sh, r, x->c_rate, m->rate, bm->rate_read, rf);
            wb_formula(sh, r, x->c_amt, f->amount, m->amount,
                       wb_fmt(w, "=%s", wb_round(w, m->mode,
                                                 wb_fmt(w, "%s*%s", wb_cell(w, r, x->c_cap),
                                                        wb_cell(w, r, x->c_rate)))));
            paid_cell(x, r, p, m);
            wb_date(sh, r, x->c_due, m->rakning_due, NULL);
        }
        /* the period's sums */
        x->psum_row[pi] = r;
        wb_text(sh, r, x->c_period, wb_fmt(w, "%s %zu", wb_label(w, "se.period_sum"), pi + 1),
                f->label);
        struct {
            int col;
            mpq_srcptr q;
            bool amount;
        } sums[] = {{x->c_used[0], p->used[0], false},   {x->c_used[1], p->used[1], false},
                    {x->c_used[2], p->used[2], false},   {x->c_bill, p->billable, false},
                    {x->c_gr, p->granted_billable, false}, {x->c_cap, p->capped, false},
                    {x->c_np, p->not_paid_hours, false}, {x->c_amt, p->amount, true},
                    {x->c_paid, p->paid, true}};
        for (size_t k = 0; k < sizeof sums / sizeof sums[0]; k++) {
            if (sums[k].col < 0)
                continue;
            wb_formula(sh, r, sums[k].col, sums[k].amount ? f->amount_total : f->hours_total,
                       sums[k].q,
                       last >= first ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, sums[k].col),
                                              wb_cell(w, last, sums[k].col))
                                     : "=0");
        }
        hm_cell(x, sh, r, x->c_caphm, p->capped, x->c_cap);
        r += 2;
    }
    x->rak_last = r - 2;
    /* a week cap cannot be a formula per month: say so */
    for (size_t pi = 0; pi < s->nperiods; pi++)
        if (s->periods[pi].cap_unit == BPA_SE_CAP_WEEK)
            wb_text_over(sh, r++, 0,
                         wb_fmt(w, wb_label(w, "se.rakning.week_note"), wb_fmt(w, "%zu", pi + 1)),
                         f->subtitle);
    wb_sheet_wrap_col(sh, x->c_period, 16);
    wb_sheet_finish(sh, TABLE_HEAD, x->rak_last, x->ncols);
}

/* ---- Tidsredovisning ------------------------------------------------------------------ */

static void tidsred_rows(ssctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->tid;
    const wb_formats *f = &w->f;
    const bpa_se_settlement *s = x->s;
    wb_ltext(sh, 0, 0, "se.tidsred.title", f->title);
    wb_ltext_over(sh, 1, 0, "se.tidsred.subtitle", f->subtitle);
    if (!s->ntidsredovisningar) {
        wb_ltext_over(sh, TABLE_HEAD, 0, "se.tidsred.none", f->text);
        wb_sheet_finish(sh, -1, -1, 0);
        return;
    }
    int H = TABLE_HEAD, c = 0;
    int c_helper = c++, c_month = c++, c_h[BPA_SE_KINDS], c_hm[BPA_SE_KINDS];
    for (int k = 0; k < BPA_SE_KINDS; k++) {
        c_h[k] = x->show_rep[k] ? c++ : -1;
        c_hm[k] = x->show_rep[k] ? c++ : -1;
    }
    int c_total = c++, c_shifts = c++, ncols = c;
    head(sh, H, c_helper, wb_label(w, "se.col.helper"), false);
    head(sh, H, c_month, wb_label(w, "col.month"), false);
    for (int k = 0; k < BPA_SE_KINDS; k++) {
        if (c_h[k] < 0)
            continue;
        const char *kind = wb_label(w, kind_keys[k]);
        head(sh, H, c_h[k], wb_fmt(w, "%s, %s", kind, wb_label(w, "unit.hours")), true);
        head(sh, H, c_hm[k], wb_fmt(w, "%s, %s", kind, wb_label(w, "se.col.hm")), true);
    }
    head(sh, H, c_total, wb_label(w, "se.col.total_hours"), true);
    head(sh, H, c_shifts, wb_label(w, "se.col.shifts"), true);
    int r = H + 1, first = r;
    for (size_t i = 0; i < s->ntidsredovisningar; i++, r++) {
        const bpa_se_tidsredovisning *tr = &s->tidsredovisningar[i];
        wb_text(sh, r, c_helper, tr->helper, f->text); /* a name from input: text */
        wb_month(sh, r, c_month, tr->year, tr->month);
        const char *sum = NULL;
        for (int k = 0; k < BPA_SE_KINDS; k++) {
            if (c_h[k] < 0)
                continue;
            wb_input(sh, r, c_h[k], tr->hours[k], f->hours4);
            hm_cell(x, sh, r, c_hm[k], tr->hours[k], c_h[k]);
            sum = sum ? wb_fmt(w, "%s+%s", sum, wb_cell(w, r, c_h[k])) : wb_cell(w, r, c_h[k]);
        }
        wb_formula(sh, r, c_total, f->hours4, tr->total, wb_fmt(w, "=%s", sum ? sum : "0"));
        wb_int(sh, r, c_shifts, tr->shifts, f->count);
    }
    int last = r - 1;
    /* the check: per month, the tidsredovisningar add up to the räkning's hours from time reports */
    r++;
    wb_ltext_over(sh, r++, 0, "se.tidsred.check", f->section);
    int CH = r++;
    head(sh, CH, 0, wb_label(w, "col.month"), false);
    int cc = 1, c_sum[BPA_SE_KINDS], c_rak[BPA_SE_KINDS];
    for (int k = 0; k < BPA_SE_KINDS; k++) {
        c_sum[k] = c_rak[k] = -1;
        if (c_h[k] < 0)
            continue;
        const char *kind = wb_label(w, kind_keys[k]);
        c_sum[k] = cc++;
        c_rak[k] = cc++;
        head(sh, CH, c_sum[k], wb_fmt(w, "%s, %s", kind, wb_label(w, "se.col.sum_reports")),
                     true);
        head(sh, CH, c_rak[k],
                     wb_fmt(w, "%s, %s", kind, wb_label(w, "se.col.rakning_reports")), true);
    }
    int c_ok = cc;
    head(sh, CH, c_ok, wb_label(w, "se.col.agrees"), false);
    const char *tmonths = col_range(w, NULL, first, last, c_month);
    for (size_t i = 0; i < s->nreport_checks; i++, r++) {
        const bpa_se_report_check *ck = &s->report_checks[i];
        wb_month(sh, r, 0, ck->year, ck->month);
        const char *M = wb_cell(w, r, 0);
        const char *cond = NULL;
        for (int k = 0; k < BPA_SE_KINDS; k++) {
            if (c_sum[k] < 0)
                continue;
            wb_formula(sh, r, c_sum[k], f->hours4, ck->reports[k],
                       wb_fmt(w, "=SUMIF(%s,%s,%s)", tmonths, M,
                              col_range(w, NULL, first, last, c_h[k])));
            wb_formula(sh, r, c_rak[k], f->hours4, ck->rakning[k],
                       wb_fmt(w, "=SUMIF(%s,%s,%s)",
                              col_range(w, &x->rak, TABLE_HEAD + 1, x->rak_last, x->c_month), M,
                              col_range(w, &x->rak, TABLE_HEAD + 1, x->rak_last, x->c_rep[k])));
            const char *eq = wb_fmt(w, "ABS(%s-%s)<0.00001", wb_cell(w, r, c_sum[k]),
                                    wb_cell(w, r, c_rak[k]));
            cond = cond ? wb_fmt(w, "%s,%s", cond, eq) : eq;
        }
        wb_formula_text(sh, r, c_ok, f->text, wb_label(w, ck->agree ? "word.yes" : "word.no"),
                        wb_fmt(w, "=IF(AND(%s),\"%s\",\"%s\")", cond ? cond : "TRUE",
                               wb_label(w, "word.yes"), wb_label(w, "word.no")));
    }
    wb_sheet_wrap_col(sh, 0, 30);
    wb_sheet_finish(sh, H, last, ncols);
}

/* ---- Avräkning per period ---------------------------------------------------------------- */

static void avrakning_rows(ssctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->avr;
    const wb_formats *f = &w->f;
    const bpa_se_settlement *s = x->s;
    bool kommun = false;
    for (size_t pi = 0; pi < s->nperiods; pi++)
        kommun |= s->periods[pi].has_kommun_share;
    wb_ltext(sh, 0, 0, "se.avr.title", f->title);
    wb_ltext_over(sh, 1, 0, "se.avr.subtitle", f->subtitle);
    bool fk = x->c->scheme == BPA_SCHEME_SE_SFB_51;
    static const char *const keys[A_NCOLS] = {
        "se.col.period", "col.from",       "col.to",         "se.col.payment",
        "se.col.cap_unit", NULL,           "se.col.paid",    "se.col.balance",
        "se.col.direction", "se.col.slutavrakning", "se.col.not_paid", "se.sum.kommun_hours",
        "se.sum.kommun_total"};
    int ncols = kommun ? A_NCOLS : A_KHOURS;
    heads(sh, TABLE_HEAD, keys, ncols,
            WB_COL(A_PAID) | WB_COL(A_BALANCE) | WB_COL(A_NP) | WB_COL(A_KHOURS) |
                WB_COL(A_KAMOUNT));
    head(sh, TABLE_HEAD, A_AMOUNT, wb_label(w, fk ? "se.sum.fk_pays" : "se.sum.kommun_pays"),
                 true);
    int r = TABLE_HEAD + 1;
    for (size_t pi = 0; pi < s->nperiods; pi++, r++) {
        const bpa_se_settle_period *p = &s->periods[pi];
        int pr = x->psum_row[pi];
        x->avr_row[pi] = r;
        wb_text(sh, r, A_PERIOD, wb_fmt(w, "%zu", pi + 1), f->text);
        wb_date(sh, r, A_FROM, p->from, NULL);
        wb_date(sh, r, A_TO, p->to, NULL);
        wb_ltext(sh, r, A_PAYMENT, payment_key(p->payment), f->wrap);
        wb_ltext(sh, r, A_CAP, cap_key(p->cap_unit), f->text);
        wb_formula(sh, r, A_AMOUNT, f->amount, p->amount,
                   wb_fmt(w, "=%s", wb_ref(w, &x->rak, pr, x->c_amt)));
        wb_formula(sh, r, A_PAID, f->amount, p->paid,
                   wb_fmt(w, "=%s", wb_ref(w, &x->rak, pr, x->c_paid)));
        wb_formula(sh, r, A_BALANCE, f->amount, p->balance,
                   wb_fmt(w, "=%s-%s", wb_cell(w, r, A_PAID), wb_cell(w, r, A_AMOUNT)));
        direction_cell(x, sh, r, A_DIR, p->direction, wb_cell(w, r, A_BALANCE));
        wb_date(sh, r, A_DUE, p->slutavrakning_due, NULL);
        wb_formula(sh, r, A_NP, f->hours4, p->not_paid_hours,
                   wb_fmt(w, "=%s", wb_ref(w, &x->rak, pr, x->c_np)));
        if (p->has_kommun_share) { /* the budget's (its workbook shows how they arise) */
            wb_input(sh, r, A_KHOURS, p->kommun_hours, f->hours4);
            wb_input(sh, r, A_KAMOUNT, p->kommun_amount, f->amount);
        }
    }
    int first = TABLE_HEAD + 1, last = r - 1;
    r++;
    x->avr_total = r;
    wb_ltext(sh, r, A_PERIOD, "word.total", f->label);
    const char *none = "=0";
    wb_formula(sh, r, A_AMOUNT, f->amount_total, s->amount,
               last >= first ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, A_AMOUNT),
                                      wb_cell(w, last, A_AMOUNT))
                             : none);
    wb_formula(sh, r, A_PAID, f->amount_total, s->paid,
               last >= first ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, A_PAID),
                                      wb_cell(w, last, A_PAID))
                             : none);
    wb_formula(sh, r, A_BALANCE, f->amount_total, s->balance,
               last >= first ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, A_BALANCE),
                                      wb_cell(w, last, A_BALANCE))
                             : none);
    direction_cell(x, sh, r, A_DIR, s->direction, wb_cell(w, r, A_BALANCE));
    wb_sheet_wrap_col(sh, A_PAYMENT, 24);
    wb_sheet_finish(sh, TABLE_HEAD, last, ncols);
}

/* ---- Utlägg --------------------------------------------------------------------------------- */

static void utlagg_rows(ssctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->utl;
    const wb_formats *f = &w->f;
    const bpa_se_settlement *s = x->s;
    x->utl_total = -1;
    wb_ltext(sh, 0, 0, "se.utl.title", f->title);
    wb_ltext_over(sh, 1, 0, "se.utl.subtitle", f->subtitle);
    if (!s->nreceipts) {
        wb_ltext_over(sh, TABLE_HEAD, 0, "se.utl.none", f->text);
        wb_sheet_finish(sh, -1, -1, 0);
        return;
    }
    static const char *const keys[U_NCOLS] = {"se.col.date",     "se.col.category",
                                              "se.col.receipt_amount", "se.col.cap",
                                              "se.col.approved", "se.col.helper",
                                              "se.col.reimbursable", "se.col.not_reimbursable"};
    heads(sh, TABLE_HEAD, keys, U_NCOLS,
            WB_COL(U_AMOUNT) | WB_COL(U_CAP) | WB_COL(U_REIMB) | WB_COL(U_NOT));
    int r = TABLE_HEAD + 1, first = r;
    for (size_t i = 0; i < s->nreceipts; i++, r++) {
        const bpa_se_receipt_result *rr = &s->receipts[i];
        const bpa_se_receipt *rc = &x->u->expenses[rr->receipt];
        wb_date(sh, r, U_DATE, rc->date, NULL);
        wb_text(sh, r, U_CAT, rc->category, f->text); /* input text */
        wb_input(sh, r, U_AMOUNT, rc->amount, f->in_rate);
        if (rr->capped)
            param_cell(x, sh, r, U_CAP, rr->cap, settle_param(x, rr->cap_read), f->amount);
        else
            wb_ltext(sh, r, U_CAP, "word.no_cap", f->text);
        if (rc->approved)
            wb_text(sh, r, U_APPROVED, rc->approved, f->wrap);
        if (rc->helper)
            wb_text(sh, r, U_HELPER, rc->helper, f->text);
        const char *A = wb_cell(w, r, U_AMOUNT);
        wb_formula(sh, r, U_REIMB, f->amount, rr->reimbursable,
                   rr->capped && !rc->approved
                       ? wb_fmt(w, "=MIN(%s,%s)", A, wb_cell(w, r, U_CAP))
                       : wb_fmt(w, "=%s", A));
        wb_formula(sh, r, U_NOT, f->amount, rr->not_reimbursable,
                   wb_fmt(w, "=%s-%s", A, wb_cell(w, r, U_REIMB)));
    }
    int last = r - 1;
    r++;
    x->utl_total = r;
    wb_ltext(sh, r, U_DATE, "word.total", f->label);
    struct {
        int col;
        mpq_srcptr q;
    } sums[] = {{U_AMOUNT, s->receipts_amount}, {U_REIMB, s->reimbursable}, {U_NOT, s->not_reimbursable}};
    for (size_t k = 0; k < 3; k++)
        wb_formula(sh, r, sums[k].col, f->amount_total, sums[k].q,
                   wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, sums[k].col),
                          wb_cell(w, last, sums[k].col)));
    wb_sheet_wrap_col(sh, U_APPROVED, 30);
    wb_sheet_finish(sh, TABLE_HEAD, last, U_NCOLS);
}

/* ---- Arbetstid -------------------------------------------------------------------------------- */

static void arbetstid_rows(ssctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->arb;
    const wb_formats *f = &w->f;
    const bpa_se_settlement *s = x->s;
    wb_ltext(sh, 0, 0, "se.arb.title", f->title);
    wb_ltext_over(sh, 1, 0, "se.arb.subtitle", f->subtitle);
    if (!s->nworktime) {
        wb_ltext_over(sh, TABLE_HEAD, 0, "se.arb.none", f->text);
        wb_sheet_finish(sh, -1, -1, 0);
        return;
    }
    static const char *const keys[W_NCOLS] = {"se.col.helper", "col.from",  "col.to",
                                              "se.col.hours",  "se.col.limit", "se.col.excess"};
    heads(sh, TABLE_HEAD, keys, W_NCOLS, WB_COL(W_HOURS) | WB_COL(W_LIMIT) | WB_COL(W_EXCESS));
    /* the limit per week, when it is one input cell on Indata */
    size_t max = BPA_NO_PARAM, nmax = 0;
    for (size_t i = 0; i < x->nall; i++)
        if (strcmp(x->all[i].name, "se.worktime.max_hours_per_week") == 0 && x->at.num[i])
            max = i, nmax++;
    int r = TABLE_HEAD + 1;
    mpq_t lim;
    mpq_init(lim);
    for (size_t i = 0; i < s->nworktime; i++, r++) {
        const bpa_se_worktime *wt = &s->worktime[i];
        wb_text(sh, r, W_HELPER, wt->helper, f->text);
        wb_date(sh, r, W_FROM, wt->from, NULL);
        wb_date(sh, r, W_TO, wt->to, NULL);
        wb_input(sh, r, W_HOURS, wt->hours, f->hours4);
        /* limit = hours per week × the period's days / 7, when that is the recorded limit */
        bool live = false;
        if (nmax == 1) {
            mpq_set_si(lim, (long)(wt->to - wt->from + 1), 7);
            mpq_canonicalize(lim);
            mpq_mul(lim, lim, x->at.num[max]);
            live = mpq_equal(lim, wt->limit) != 0;
        }
        if (live)
            wb_formula(sh, r, W_LIMIT, f->hours4, wt->limit,
                       wb_fmt(w, "=%s*(%s-%s+1)/7",
                              wb_ref(w, &x->inp, x->at.param_row[max], WB_IN_VALUE),
                              wb_cell(w, r, W_TO), wb_cell(w, r, W_FROM)));
        else
            wb_input(sh, r, W_LIMIT, wt->limit, f->hours4);
        wb_formula(sh, r, W_EXCESS, f->hours4, wt->excess,
                   wb_fmt(w, "=%s-%s", wb_cell(w, r, W_HOURS), wb_cell(w, r, W_LIMIT)));
    }
    mpq_clear(lim);
    wb_sheet_finish(sh, TABLE_HEAD, r - 1, W_NCOLS);
}

/* ---- Sammanfattning ----------------------------------------------------------------------- */

static void summary(ssctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->sum;
    const wb_formats *f = &w->f;
    const bpa_se_settlement *s = x->s;
    const bpa_case *c = x->c;
    bool fk = c->scheme == BPA_SCHEME_SE_SFB_51;
    int r = wb_summary_head(sh, "se.settle.title", c, x->g->policy);
    wb_ltext(sh, r, 0, "se.sum.policy", f->label);
    wb_text_over(sh, r++, 1, bpa_policy_id(x->g->policy), f->text);
    wb_ltext(sh, r, 0, "se.sum.payer", f->label);
    wb_ltext_over(sh, r++, 1, fk ? "se.payer.fk" : "se.payer.kommun", f->text);
    r++;

    /* the periods: from the Avräkning sheet */
    wb_ltext(sh, r++, 0, "se.sum.periods", f->section);
    static const char *const ph[] = {"se.col.period",  "col.from",       "col.to",
                                     "se.col.payment", "se.col.cap_unit", NULL,
                                     "se.col.paid",    "se.col.balance", "se.col.direction",
                                     "se.col.slutavrakning"};
    heads(sh, r, ph, 10, WB_COL(5) | WB_COL(6) | WB_COL(7));
    head(sh, r++, 5, wb_label(w, fk ? "se.sum.fk_pays" : "se.sum.kommun_pays"), true);
    for (size_t pi = 0; pi < s->nperiods; pi++, r++) {
        const bpa_se_settle_period *p = &s->periods[pi];
        int ar = x->avr_row[pi];
        wb_text(sh, r, 0, wb_fmt(w, "%zu", pi + 1), f->text);
        wb_date(sh, r, 1, p->from, NULL);
        wb_date(sh, r, 2, p->to, NULL);
        wb_ltext(sh, r, 3, payment_key(p->payment), f->wrap);
        wb_ltext(sh, r, 4, cap_key(p->cap_unit), f->text);
        wb_formula(sh, r, 5, f->amount, p->amount,
                   wb_fmt(w, "=%s", wb_ref(w, &x->avr, ar, A_AMOUNT)));
        wb_formula(sh, r, 6, f->amount, p->paid, wb_fmt(w, "=%s", wb_ref(w, &x->avr, ar, A_PAID)));
        wb_formula(sh, r, 7, f->amount, p->balance,
                   wb_fmt(w, "=%s", wb_ref(w, &x->avr, ar, A_BALANCE)));
        wb_formula_text(sh, r, 8, f->text, wb_label(w, dir_key(p->direction)),
                        wb_fmt(w, "=%s", wb_ref(w, &x->avr, ar, A_DIR)));
        wb_date(sh, r, 9, p->slutavrakning_due, NULL);
    }
    r++;
    wb_ltext(sh, r++, 0, "se.sum.settle_total", f->section);
    wb_ltext(sh, r, 0, "se.sum.balance_total", f->text_big);
    wb_formula(sh, r, 1, f->amount_big, s->balance,
               wb_fmt(w, "=%s", wb_ref(w, &x->avr, x->avr_total, A_BALANCE)));
    wb_formula_text(sh, r++, 2, f->label, wb_label(w, dir_key(s->direction)),
                    wb_fmt(w, "=%s", wb_ref(w, &x->avr, x->avr_total, A_DIR)));
    bool kommun = s->has_kommun_share;
    int *rows = bpa_calloc(s->nperiods ? s->nperiods : 1, sizeof *rows);
    if (!rows)
        w->nomem = true;
    for (size_t pi = 0; rows && pi < s->nperiods; pi++)
        rows[pi] = x->avr_row[pi];
    if (rows) {
        wb_ltext(sh, r, 0, "se.sum.not_paid", f->label);
        wb_formula(sh, r++, 1, f->hours, s->not_paid_hours,
                   wb_fmt(w, "=%s", wb_sum_rows(w, &x->avr, rows, s->nperiods, A_NP)));
        if (kommun) {
            wb_ltext(sh, r, 0, "se.sum.kommun_hours", f->label);
            wb_formula(sh, r++, 1, f->hours, s->kommun_hours,
                       wb_fmt(w, "=%s", wb_sum_rows(w, &x->avr, rows, s->nperiods, A_KHOURS)));
            wb_ltext(sh, r, 0, "se.sum.kommun_total", f->label);
            wb_formula(sh, r++, 1, f->amount, s->kommun_amount,
                       wb_fmt(w, "=%s", wb_sum_rows(w, &x->avr, rows, s->nperiods, A_KAMOUNT)));
        }
    }
    free(rows);
    r++;
    /* the receipts */
    wb_ltext(sh, r++, 0, "se.sum.expenses", f->section);
    if (x->utl_total < 0)
        wb_ltext(sh, r++, 0, "se.utl.none", f->text);
    else {
        wb_ltext(sh, r, 0, "se.col.reimbursable", f->label);
        wb_formula(sh, r++, 1, f->amount, s->reimbursable,
                   wb_fmt(w, "=%s", wb_ref(w, &x->utl, x->utl_total, U_REIMB)));
        wb_ltext(sh, r, 0, "se.col.not_reimbursable", f->label);
        wb_formula(sh, r++, 1, f->amount, s->not_reimbursable,
                   wb_fmt(w, "=%s", wb_ref(w, &x->utl, x->utl_total, U_NOT)));
    }
    r++;
    /* hours outside every period: counted, never paid */
    wb_ltext(sh, r++, 0, "se.sum.outside", f->section);
    for (int k = 0; k < BPA_SE_KINDS; k++, r++) {
        wb_ltext(sh, r, 0, kind_keys[k], f->label);
        wb_input(sh, r, 1, s->outside[k], f->hours);
    }
    r++;
    r = wb_summary_warnings(sh, r, &s->warnings);
    r = wb_summary_footer_of(sh, r, c, x->g->policy);
    (void)r;
    wb_sheet_wrap_col(sh, 0, 40);
    wb_sheet_wrap_col(sh, 1, 20);
    wb_sheet_wrap_col(sh, 3, 24);
    wb_sheet_wrap_col(sh, 5, 22); /* "Försäkringskassan" whole in the bold header */
    wb_sheet_finish(sh, -1, -1, 0);
}

/* ---- driver ------------------------------------------------------------------------------- */

static void write_all(ssctx *x)
{
    wb *w = &x->w;
    const bpa_se_settlement *s = x->s;
    const bpa_se_usage *u = x->u;
    wb_sheet_add(w, &x->sum, "se.sheet.summary");
    wb_sheet_add(w, &x->rak, "se.sheet.rakning");
    wb_sheet_add(w, &x->tid, "se.sheet.tidsred");
    wb_sheet_add(w, &x->avr, "se.sheet.avrakning");
    wb_sheet_add(w, &x->utl, "se.sheet.utlagg");
    wb_sheet_add(w, &x->arb, "se.sheet.arbetstid");
    wb_sheet_add(w, &x->inp, "sheet.inputs");
    wb_sheet_add(w, &x->trc, "sheet.trace");
    /* the usage file, then its timesheets, with their SHA-256 */
    const char **files = bpa_calloc(2 * (u->ntimesheets + 1) + 1, sizeof *files);
    if (!files) {
        w->nomem = true;
        return;
    }
    size_t nf = 0;
    files[nf++] = u->file;
    files[nf++] = u->sha256;
    for (size_t i = 0; s->timesheet_sha256 && i < u->ntimesheets; i++) {
        files[nf++] = u->timesheets[i];
        files[nf++] = s->timesheet_sha256[i];
    }
    wb_fingerprints(w, x->c, x->g->policy, files);
    /* the inputs first: the other sheets' formulas refer to their cells */
    w->at = &x->at;
    int head, last;
    int r = wb_inputs_params(&x->inp, x->g->policy, x->all, x->nall, NULL, 0,
                             "se.settle.edit_note", &head, &last);
    w->at = NULL;
    r = inputs_case_usage(x, r);
    layout(x);
    rakning_rows(x);
    tidsred_rows(x);
    avrakning_rows(x);
    utlagg_rows(x);
    arbetstid_rows(x);
    summary(x);
    wb_inputs_files_of(&x->inp, r, x->c, x->g->policy, files);
    wb_sheet_wrap_col(&x->inp, 1, 14);
    wb_sheet_finish(&x->inp, head, last, 6);
    wb_trace_sheet(&x->trc, &s->trace);
    free(files);
}

bpa_status bpa_se_settle_workbook_write(const bpa_se_settlement *s, const char *path,
                                        bpa_lang lang, bpa_error *err)
{
    if (!s || !s->grant || !s->usage || !s->grant->kase || !s->grant->kase->se)
        return bpa_error_set(err, BPA_E_INPUT, path, 0, 0, NULL,
                             "a Swedish avräkning workbook needs a Swedish settlement");
    bpa_outfile out;
    bpa_status st = bpa_outfile_open_named(&out, path, err);
    if (st != BPA_OK)
        return st;
    ssctx x;
    memset(&x, 0, sizeof x);
    x.s = s;
    x.g = s->grant;
    x.c = s->grant->kase;
    x.u = s->usage;
    st = wb_open(&x.w, out.tmp_path, lang, x.c->id, "se.settle.doc_title", err);
    if (st != BPA_OK) {
        bpa_outfile_abort(&out);
        return st;
    }
    size_t np = s->nperiods ? s->nperiods : 1;
    bool ok = collect_params(&x);
    x.used_row = bpa_calloc(x.u->nused ? x.u->nused : 1, sizeof *x.used_row);
    x.pay_row = bpa_calloc(x.u->npayments ? x.u->npayments : 1, sizeof *x.pay_row);
    x.psum_row = bpa_calloc(np, sizeof *x.psum_row);
    x.avr_row = bpa_calloc(np, sizeof *x.avr_row);
    x.mrow = bpa_calloc(np, sizeof *x.mrow);
    ok = ok && x.used_row && x.pay_row && x.psum_row && x.avr_row && x.mrow;
    for (size_t i = 0; ok && i < s->nperiods; i++) {
        size_t n = s->periods[i].nmonths;
        ok = (x.mrow[i] = bpa_calloc(n ? n : 1, sizeof **x.mrow)) != NULL;
    }
    if (!ok)
        x.w.nomem = true;
    else
        write_all(&x);
    st = wb_close(&x.w, &out, err);
    for (size_t i = 0; x.mrow && i < s->nperiods; i++)
        free(x.mrow[i]);
    free(x.mrow);
    free(x.used_row);
    free(x.pay_row);
    free(x.psum_row);
    free(x.avr_row);
    free(x.all);
    free(x.smap);
    free(x.at.num);
    free(x.at.param_row);
    return st;
}
