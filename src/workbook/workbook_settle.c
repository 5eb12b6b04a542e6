/* The 1 March account as a workbook (RULES.md sections 8.2 and 10): summary
 * with the five balance lines, hours by category and month, pools and
 * carry-over, the computation of each line, payments and invoices, hours per
 * helper, inputs and trace. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/workbook.h"
#include "core/alloc.h"
#include "io/outfile.h"
#include "workbook/workbook_common.h"

#define TABLE_HEAD 3

/* Hours sheet columns */
enum { H_CAT, H_POOL, H_GRANT, H_CIN, H_GRANTED, H_USED, H_UNUSED, H_OVER, H_GVALUE, H_CVALUE,
       H_VALUE, H_NCOLS };
/* Pools sheet columns */
enum { P_POOL, P_GRANTED, P_USED, P_VALUE, P_AVG, P_UNUSED, P_OVER, P_UVALUE, P_OVALUE,
       P_NCOLS };
/* Payments sheet columns */
enum { Y_DATE, Y_FOR, Y_AMOUNT, Y_NCOLS };

typedef struct sctx {
    wb w;
    const bpa_settlement *s;
    const bpa_grant *g;
    const bpa_case *c;
    const bpa_policy *p;
    const bpa_usage *u;
    wb_sheet sum, hrs, pol, acc, pay, hlp, inp, trc;
    int *cat_row;
    int hours_total_row;
    int *pool_row;
    int pool_total_row;
    int carry_total_row; /* -1: no carry-over */
    int line_row[5];     /* account sheet rows of the five lines (column 2) */
    int paid_grant_row, paid_allowance_row, paid_payroll_row, invoices_row, due_row;
} sctx;

static const char *pool_display(sctx *x, size_t k)
{
    wb *w = &x->w;
    const bpa_settlement *s = x->s;
    if (s->pools_mode == BPA_POOLS_ALL)
        return wb_label(w, "pool.all");
    for (size_t i = 0; i < s->ncategories; i++)
        if (s->categories[i].pool == k)
            return s->pools_mode == BPA_POOLS_KIND ? wb_kind(w, s->categories[i].category.kind)
                                                   : wb_category(w, &s->categories[i].category);
    return s->pools[k].name;
}

/* ---- hours by category and month ------------------------------------------------------ */

static void hours_sheet(sctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->hrs;
    const wb_formats *f = &w->f;
    const bpa_settlement *s = x->s;
    wb_ltext(sh, 0, 0, "hours.title", f->title);
    wb_ltext(sh, 1, 0, "hours.subtitle", f->subtitle);
    static const char *const head[] = {"col.category",   "col.pool",        "col.grant_hours",
                                       "col.carried_in", "col.granted",     "col.used",
                                       "col.unused",     "col.overused",    "col.grant_value",
                                       "col.carried_in_value", "col.value_total"};
    wb_head(sh, TABLE_HEAD, head, H_NCOLS, ~(WB_COL(H_CAT) | WB_COL(H_POOL)));
    int r = TABLE_HEAD + 1;
    for (size_t i = 0; i < s->ncategories; i++, r++) {
        const bpa_settle_category *sc = &s->categories[i];
        x->cat_row[i] = r;
        wb_text(sh, r, H_CAT, wb_category(w, &sc->category), f->text);
        wb_text(sh, r, H_POOL, pool_display(x, sc->pool), f->text);
        wb_input(sh, r, H_GRANT, sc->grant_hours, f->hours);
        wb_input(sh, r, H_CIN, sc->carried_in, f->hours);
        wb_formula(sh, r, H_GRANTED, f->hours, sc->granted,
                   wb_fmt(w, "=%s+%s", wb_cell(w, r, H_GRANT), wb_cell(w, r, H_CIN)));
        wb_input(sh, r, H_USED, sc->used, f->hours);
        const char *G = wb_cell(w, r, H_GRANTED), *U = wb_cell(w, r, H_USED);
        wb_formula(sh, r, H_UNUSED, f->hours, sc->unused, wb_fmt(w, "=MAX(0,%s-%s)", G, U));
        wb_formula(sh, r, H_OVER, f->hours, sc->overused, wb_fmt(w, "=MAX(0,%s-%s)", U, G));
        wb_input(sh, r, H_GVALUE, sc->grant_value,
                 bpa_is_exact_at(sc->grant_value, 2) ? f->amount : f->rate_exact);
        wb_input(sh, r, H_CVALUE, sc->carried_in_value, f->amount);
        wb_formula(sh, r, H_VALUE, bpa_is_exact_at(sc->value, 2) ? f->amount : f->rate_exact,
                   sc->value,
                   wb_fmt(w, "=%s+%s", wb_cell(w, r, H_GVALUE), wb_cell(w, r, H_CVALUE)));
    }
    int last = r - 1;
    x->hours_total_row = r;
    wb_ltext(sh, r, H_CAT, "word.total", f->label);
    const bpa_settle_category *t = &s->category_total;
    const mpq_t *tot[] = {&t->grant_hours, &t->carried_in, &t->granted, &t->used,
                          &t->unused,      &t->overused,   &t->grant_value,
                          &t->carried_in_value, &t->value};
    for (int k = H_GRANT; k < H_NCOLS; k++)
        wb_formula(sh, r, k, k >= H_GVALUE ? f->amount_total : f->hours_total, *tot[k - H_GRANT],
                   s->ncategories ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, TABLE_HEAD + 1, k),
                                           wb_cell(w, last, k))
                                  : "=0");
    r += 2;

    /* by month */
    wb_ltext(sh, r++, 0, "hours.by_month", f->section);
    static const char *const mh[] = {"col.month", "col.granted_grant", "col.used"};
    wb_head(sh, r++, mh, 3, WB_COL(1) | WB_COL(2));
    int first = r;
    for (size_t m = 0; m < s->nmonths; m++, r++) {
        wb_month(sh, r, 0, s->months[m].year, s->months[m].month);
        wb_input(sh, r, 1, s->months[m].granted, f->hours);
        wb_input(sh, r, 2, s->months[m].used, f->hours);
    }
    wb_ltext(sh, r, 0, "word.total", f->label);
    bool any = r > first;
    wb_formula(sh, r, 1, f->hours_total, s->months_granted,
               any ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, 1), wb_cell(w, r - 1, 1)) : "=0");
    wb_formula(sh, r, 2, f->hours_total, s->months_used,
               any ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, 2), wb_cell(w, r - 1, 2)) : "=0");
    r += 2;
    wb_ltext(sh, r++, 0, "hours.outside_year", f->section);
    for (int k = 0; k < BPA_DK_KIND_COUNT; k++, r++) {
        wb_text(sh, r, 0, wb_kind(w, (bpa_kind)k), f->text);
        wb_input(sh, r, 1, s->outside_year_hours[k], f->hours);
    }
    wb_sheet_wrap_col(sh, H_CAT, 30);
    wb_sheet_wrap_col(sh, H_POOL, 30);
    wb_sheet_finish(sh, TABLE_HEAD, last, H_NCOLS);
}

/* ---- pools and carry-over ---------------------------------------------------------------- */

static void pools_sheet(sctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->pol;
    const wb_formats *f = &w->f;
    const bpa_settlement *s = x->s;
    wb_ltext(sh, 0, 0, "pools.title", f->title);
    wb_ltext(sh, 1, 0, "pools.subtitle", f->subtitle);
    static const char *const head[] = {"col.pool",   "col.granted",  "col.used",
                                       "col.value_total",  "col.average",  "col.unused",
                                       "col.overused", "col.unused_value", "col.overused_value"};
    wb_head(sh, TABLE_HEAD, head, P_NCOLS, ~WB_COL(P_POOL));
    int *rows = bpa_calloc(s->ncategories ? s->ncategories : 1, sizeof *rows);
    if (!rows) {
        w->nomem = true;
        return;
    }
    int r = TABLE_HEAD + 1;
    mpq_t zero;
    mpq_init(zero);
    for (size_t k = 0; k < s->npools; k++, r++) {
        const bpa_settle_pool *p = &s->pools[k];
        x->pool_row[k] = r;
        size_t n = 0;
        for (size_t i = 0; i < s->ncategories; i++)
            if (s->categories[i].pool == k)
                rows[n++] = x->cat_row[i];
        wb_text(sh, r, P_POOL, pool_display(x, k), f->text);
        wb_formula(sh, r, P_GRANTED, f->hours, p->granted,
                   wb_fmt(w, "=%s", wb_sum_rows(w, &x->hrs, rows, n, H_GRANTED)));
        wb_formula(sh, r, P_USED, f->hours, p->used,
                   wb_fmt(w, "=%s", wb_sum_rows(w, &x->hrs, rows, n, H_USED)));
        wb_formula(sh, r, P_VALUE, bpa_is_exact_at(p->value, 2) ? f->amount : f->rate_exact,
                   p->value, wb_fmt(w, "=%s", wb_sum_rows(w, &x->hrs, rows, n, H_VALUE)));
        const char *G = wb_cell(w, r, P_GRANTED), *U = wb_cell(w, r, P_USED),
                   *V = wb_cell(w, r, P_VALUE), *A = wb_cell(w, r, P_AVG);
        /* no granted hours: no average, and both values are 0.00 */
        wb_formula(sh, r, P_AVG, f->rate_exact, p->has_average ? p->average : zero,
                   wb_fmt(w, "=IF(%s>0,%s/%s,0)", G, V, G));
        wb_formula(sh, r, P_UNUSED, f->hours, p->unused, wb_fmt(w, "=MAX(0,%s-%s)", G, U));
        wb_formula(sh, r, P_OVER, f->hours, p->overused, wb_fmt(w, "=MAX(0,%s-%s)", U, G));
        /* R5 */
        wb_formula(sh, r, P_UVALUE, f->amount, p->unused_value,
                   wb_fmt(w, "=%s", wb_round(w, s->mode,
                                             wb_fmt(w, "%s*%s", wb_cell(w, r, P_UNUSED), A))));
        wb_formula(sh, r, P_OVALUE, f->amount, p->overused_value,
                   wb_fmt(w, "=%s", wb_round(w, s->mode,
                                             wb_fmt(w, "%s*%s", wb_cell(w, r, P_OVER), A))));
    }
    int last = r - 1;
    x->pool_total_row = r;
    wb_ltext(sh, r, P_POOL, "word.total", f->label);
    const bpa_settle_pool *pt = &s->pool_total;
    int cols[] = {P_GRANTED, P_USED, P_VALUE, P_UNUSED, P_OVER, P_UVALUE, P_OVALUE};
    const mpq_t *tot[] = {&pt->granted, &pt->used, &pt->value, &pt->unused, &pt->overused,
                          &pt->unused_value, &pt->overused_value};
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
        int c = cols[k];
        bool hours = c == P_GRANTED || c == P_USED || c == P_UNUSED || c == P_OVER;
        wb_formula(sh, r, c, hours ? f->hours_total : f->amount_total, *tot[k],
                   s->npools ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, TABLE_HEAD + 1, c),
                                      wb_cell(w, last, c))
                             : "=0");
    }
    r += 2;

    /* carry-over */
    wb_ltext(sh, r++, 0, "pools.carry_title", f->section);
    static const char *const ch[] = {"col.pool", "col.hours", "col.carry_value"};
    wb_head(sh, r++, ch, 3, WB_COL(1) | WB_COL(2));
    int first = r;
    for (size_t k = 0; k < s->npools; k++) {
        const bpa_settle_pool *p = &s->pools[k];
        if (!p->has_carry)
            continue;
        wb_text(sh, r, 0, pool_display(x, k), f->text);
        wb_input(sh, r, 1, p->carry_hours, f->hours);
        wb_formula(sh, r, 2, f->amount, p->carry_value,
                   wb_fmt(w, "=%s", wb_round(w, s->mode,
                                             wb_fmt(w, "%s*%s", wb_cell(w, r, 1),
                                                    wb_cell(w, x->pool_row[k], P_AVG)))));
        r++;
    }
    if (r == first)
        wb_ltext(sh, r++, 0, "pools.no_carry", f->text);
    x->carry_total_row = r;
    wb_ltext(sh, r, 0, "word.total", f->label);
    size_t ncarry = 0;
    for (size_t k = 0; k < s->npools; k++)
        if (s->pools[k].has_carry)
            ncarry++;
    wb_formula(sh, r, 1, f->hours_total, s->carry_hours_total,
               ncarry ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, 1), wb_cell(w, r - 1, 1))
                      : "=0");
    wb_formula(sh, r, 2, f->amount_total, s->carry_value_total,
               ncarry ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, 2), wb_cell(w, r - 1, 2))
                      : "=0");
    r += 2;
    /* the limit: carry_over_max_pct of the year's granted hours */
    wb_ltext(sh, r, 0, "pools.carry_pct", f->text);
    wb_input(sh, r++, 1, s->carry_max_pct, f->factor);
    wb_ltext(sh, r, 0, "pools.year_hours", f->text);
    wb_formula(sh, r++, 1, f->hours, s->year_grant_hours,
               wb_fmt(w, "=%s", wb_ref(w, &x->hrs, x->hours_total_row, H_GRANT)));
    wb_ltext(sh, r, 0, "pools.carry_max", f->text);
    wb_formula(sh, r, 1, f->hours, s->carry_max_hours,
               wb_fmt(w, "=%s*%s/100", wb_cell(w, r - 1, 1), wb_cell(w, r - 2, 1)));
    mpq_clear(zero);
    free(rows);
    wb_sheet_wrap_col(sh, P_POOL, 40);
    wb_sheet_finish(sh, TABLE_HEAD, last, P_NCOLS);
}

/* ---- payments, invoices, amounts due ---------------------------------------------------- */

static const char *payment_key(bpa_payment_for p)
{
    return p == BPA_PAYMENT_GRANT       ? "pay.for_grant"
           : p == BPA_PAYMENT_ALLOWANCE ? "pay.for_allowance"
                                        : "pay.for_payroll_admin";
}

static void payments_sheet(sctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->pay;
    const wb_formats *f = &w->f;
    const bpa_settlement *s = x->s;
    const bpa_usage *u = x->u;
    const bpa_grant *g = x->g;
    wb_ltext(sh, 0, 0, "pay.title", f->title);
    wb_ltext(sh, 1, 0, "pay.subtitle", f->subtitle);
    static const char *const head[] = {"col.date", "col.for", "col.amount"};
    wb_head(sh, TABLE_HEAD, head, Y_NCOLS, WB_COL(Y_AMOUNT));
    size_t n = u->npayments + u->ninvoices + g->nmonths + 1;
    int *rows[3];
    size_t nrows[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++)
        rows[k] = bpa_calloc(n, sizeof *rows[k]);
    if (!rows[0] || !rows[1] || !rows[2]) {
        w->nomem = true;
        for (int k = 0; k < 3; k++)
            free(rows[k]);
        return;
    }
    int r = TABLE_HEAD + 1;
    for (size_t i = 0; i < u->npayments; i++, r++) {
        const bpa_payment *pm = &u->payments[i];
        wb_date(sh, r, Y_DATE, pm->date, NULL);
        wb_ltext(sh, r, Y_FOR, payment_key(pm->what), f->text);
        wb_input(sh, r, Y_AMOUNT, pm->amount, f->amount);
        rows[pm->what][nrows[pm->what]++] = r;
    }
    if (!u->npayments)
        wb_ltext(sh, r++, Y_FOR, "word.none", f->text);
    int last = r - 1;
    r++;
    const mpq_t *totals[3] = {&s->grant_payments, &s->allowance_received, &s->payroll_admin_paid};
    const char *keys[3] = {"pay.received_grant", "pay.received_allowance",
                           "pay.received_payroll_admin"};
    int *where[3] = {&x->paid_grant_row, &x->paid_allowance_row, &x->paid_payroll_row};
    for (int k = 0; k < 3; k++, r++) {
        *where[k] = r;
        wb_ltext(sh, r, Y_FOR, keys[k], f->label);
        wb_formula(sh, r, Y_AMOUNT, f->amount_total, *totals[k],
                   wb_fmt(w, "=%s", wb_sum_rows(w, NULL, rows[k], nrows[k], Y_AMOUNT)));
    }
    r++;

    /* invoices for payroll administration */
    wb_ltext(sh, r++, 0, "pay.invoices", f->section);
    static const char *const ih[] = {"col.date", NULL, "col.amount"};
    wb_head(sh, r++, ih, 3, WB_COL(Y_AMOUNT));
    int first = r;
    for (size_t i = 0; i < u->ninvoices; i++, r++) {
        wb_date(sh, r, Y_DATE, u->invoices[i].date, NULL);
        wb_input(sh, r, Y_AMOUNT, u->invoices[i].amount, f->amount);
    }
    if (!u->ninvoices)
        wb_ltext(sh, r++, Y_FOR, "word.none", f->text);
    x->invoices_row = r;
    wb_ltext(sh, r, Y_FOR, "pay.invoices_total", f->label);
    wb_formula(sh, r, Y_AMOUNT, f->amount_total, s->invoices_total,
               u->ninvoices ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, Y_AMOUNT),
                                     wb_cell(w, r - 1, Y_AMOUNT))
                            : "=0");
    r += 2;

    /* what the grant made due, month by month */
    wb_ltext(sh, r++, 0, "pay.due_title", f->section);
    static const char *const dh[] = {"col.due", "col.month", "col.recipient"};
    wb_head(sh, r++, dh, 3, WB_COL(Y_AMOUNT));
    first = r;
    for (size_t i = 0; i < g->nmonths; i++, r++) {
        const bpa_month *m = &g->months[i];
        if (m->has_due)
            wb_date(sh, r, Y_DATE, m->due, NULL);
        wb_month(sh, r, Y_FOR, m->year, m->month);
        wb_input(sh, r, Y_AMOUNT, m->recipient, f->amount);
    }
    x->due_row = r;
    wb_ltext(sh, r, Y_FOR, "pay.due_total", f->label);
    wb_formula(sh, r, Y_AMOUNT, f->amount_total, s->recipient_due,
               g->nmonths ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, Y_AMOUNT),
                                   wb_cell(w, r - 1, Y_AMOUNT))
                          : "=0");
    for (int k = 0; k < 3; k++)
        free(rows[k]);
    wb_sheet_wrap_col(sh, Y_FOR, 40);
    wb_sheet_finish(sh, TABLE_HEAD, last, Y_NCOLS);
}

/* ---- the five lines ----------------------------------------------------------------------- */

static void input_row(sctx *x, int r, const char *key, const mpq_t q, lxw_format *fmt)
{
    wb_ltext(&x->acc, r, 0, key, x->w.f.text);
    wb_input(&x->acc, r, 1, q, fmt);
}

static void ref_row(sctx *x, int r, const char *key, const mpq_t q, lxw_format *fmt,
                    const char *ref)
{
    wb_ltext(&x->acc, r, 0, key, x->w.f.text);
    wb_formula(&x->acc, r, 1, fmt, q, wb_fmt(&x->w, "=%s", ref));
}

static void line_result(sctx *x, int r, int line, const char *key, const mpq_t q,
                        const char *formula)
{
    wb_ltext(&x->acc, r, 0, key, x->w.f.label);
    if (formula)
        wb_formula(&x->acc, r, 2, x->w.f.amount_total, q, formula);
    else
        wb_input(&x->acc, r, 2, q, x->w.f.amount_total);
    x->line_row[line] = r;
}

static void account_sheet(sctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->acc;
    const wb_formats *f = &w->f;
    const bpa_settlement *s = x->s;
    const bpa_case *c = x->c;
    const bpa_grant *g = x->g;
    wb_ltext(sh, 0, 0, "acc.title", f->title);
    wb_ltext(sh, 1, 0, "acc.subtitle", f->subtitle);
    static const char *const head[] = {"col.item", "col.basis", "col.line"};
    wb_head(sh, TABLE_HEAD, head, 3, WB_COL(1) | WB_COL(2));
    int r = TABLE_HEAD + 1;

    /* 1. unused hours */
    wb_ltext(sh, r++, 0, "acc.l1", f->section);
    ref_row(x, r++, "acc.unused_value", s->unused_value_total, f->amount,
            wb_ref(w, &x->pol, x->pool_total_row, P_UVALUE));
    ref_row(x, r++, "acc.carry_value", s->carry_value_total, f->amount,
            wb_ref(w, &x->pol, x->carry_total_row, 2));
    line_result(x, r, 0, "acc.line1", s->line_unused_hours,
                wb_fmt(w, "=%s-%s", wb_cell(w, r - 2, 1), wb_cell(w, r - 1, 1)));
    r += 2;

    /* 2. administration follows the hours */
    wb_ltext(sh, r++, 0, "acc.l2", f->section);
    if (s->admin_follows) {
        bool work = s->admin_work_only;
        int *rows = bpa_calloc(s->ncategories ? s->ncategories : 1, sizeof *rows);
        size_t n = 0;
        if (!rows) {
            w->nomem = true;
            return;
        }
        for (size_t i = 0; i < s->ncategories; i++)
            if (!work || s->categories[i].category.kind == BPA_KIND_WORK)
                rows[n++] = x->cat_row[i];
        int ga = r;
        ref_row(x, r++, work ? "acc.ga_work" : "acc.ga_all", s->admin_granted_hours, f->hours,
                wb_sum_rows(w, &x->hrs, rows, n, H_GRANTED));
        ref_row(x, r++, "acc.ua", s->admin_used_hours, f->hours,
                wb_sum_rows(w, &x->hrs, rows, n, H_USED));
        ref_row(x, r++, "acc.carried_hours", s->carry_hours_total, f->hours,
                wb_ref(w, &x->pol, x->carry_total_row, 1));
        input_row(x, r++, "acc.admin_total", g->total_admin, f->amount);
        free(rows);
        const char *Ga = wb_cell(w, ga, 1), *Ua = wb_cell(w, ga + 1, 1),
                   *C = wb_cell(w, ga + 2, 1), *A = wb_cell(w, ga + 3, 1);
        line_result(x, r, 1, "acc.line2", s->line_admin,
                    wb_fmt(w, "=IF(%s>0,%s,0)", Ga,
                           wb_round(w, s->mode,
                                    wb_fmt(w, "MAX(0,%s-%s-%s)*%s/%s", Ga, Ua, C, A, Ga))));
    } else {
        wb_ltext(sh, r++, 0,
                 c->dk->employer == BPA_EMPLOYER_TRANSFERRED ? "acc.l2_off" : "acc.l2_na", f->subtitle);
        line_result(x, r, 1, "acc.line2", s->line_admin, NULL);
    }
    r += 2;

    /* 3. payroll administration against invoices */
    wb_ltext(sh, r++, 0, "acc.l3", f->section);
    if (s->payroll_admin) {
        int a = r;
        ref_row(x, r++, "acc.payroll_paid", s->payroll_admin_paid, f->amount,
                wb_ref(w, &x->pay, x->paid_payroll_row, Y_AMOUNT));
        ref_row(x, r++, "acc.invoices", s->invoices_total, f->amount,
                wb_ref(w, &x->pay, x->invoices_row, Y_AMOUNT));
        input_row(x, r++, "acc.payroll_cap", g->total_payroll_admin_cap, f->amount);
        line_result(x, r, 2, "acc.line3", s->line_payroll_admin,
                    wb_fmt(w, "=%s-MIN(%s,%s)", wb_cell(w, a, 1), wb_cell(w, a + 1, 1),
                           wb_cell(w, a + 2, 1)));
    } else {
        wb_ltext(sh, r++, 0,
                 c->dk->employer == BPA_EMPLOYER_TRANSFERRED            ? "acc.l3_na.transferred"
                 : c->dk->employer == BPA_EMPLOYER_MUNICIPALITY_PAYROLL ? "acc.l3_na.municipality"
                                                                        : "acc.l3_na.citizen",
                 f->subtitle);
        line_result(x, r, 2, "acc.line3", s->line_payroll_admin, NULL);
    }
    r += 2;

    /* 4. payments received vs due */
    wb_ltext(sh, r++, 0, "acc.l4", f->section);
    ref_row(x, r++, "acc.received", s->grant_payments, f->amount,
            wb_ref(w, &x->pay, x->paid_grant_row, Y_AMOUNT));
    ref_row(x, r++, "acc.due", s->recipient_due, f->amount,
            wb_ref(w, &x->pay, x->due_row, Y_AMOUNT));
    line_result(x, r, 3, "acc.line4", s->line_payments,
                wb_fmt(w, "=%s-%s", wb_cell(w, r - 2, 1), wb_cell(w, r - 1, 1)));
    r += 2;

    /* 5. actual-cost cap */
    wb_ltext(sh, r++, 0, "acc.l5", f->section);
    if (s->cap_applies) {
        int a = r;
        ref_row(x, r++, "acc.value_total", s->value_total,
                bpa_is_exact_at(s->value_total, 2) ? f->amount : f->rate_exact,
                wb_ref(w, &x->hrs, x->hours_total_row, H_VALUE));
        ref_row(x, r++, "acc.unused_value", s->unused_value_total, f->amount,
                wb_ref(w, &x->pol, x->pool_total_row, P_UVALUE));
        input_row(x, r++, "acc.per_helper", s->per_helper_total, f->amount);
        input_row(x, r++, "acc.actual", x->u->actual_wage_costs, f->amount);
        line_result(x, r, 4, "acc.line5", s->line_actual_cost_cap,
                    wb_fmt(w, "=MAX(0,%s-%s+%s-%s)", wb_cell(w, a, 1), wb_cell(w, a + 1, 1),
                           wb_cell(w, a + 2, 1), wb_cell(w, a + 3, 1)));
    } else {
        wb_ltext(sh, r++, 0, x->u->has_actual_costs ? "acc.l5_off" : "acc.l5_na", f->subtitle);
        line_result(x, r, 4, "acc.line5", s->line_actual_cost_cap, NULL);
    }
    wb_sheet_wrap_col(sh, 0, 60);
    wb_sheet_finish(sh, TABLE_HEAD, -1, 3);
}

/* ---- summary ------------------------------------------------------------------------------- */

static void summary(sctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->sum;
    const wb_formats *f = &w->f;
    const bpa_settlement *s = x->s;
    const bpa_case *c = x->c;
    int r = wb_summary_head(sh, "settle.title", c, x->p);
    wb_ltext(sh, r, 0, "sum.policy", f->label);
    wb_text_over(sh, r++, 1, bpa_policy_id(x->p), f->text);
    wb_ltext(sh, r, 0, "sum.employer", f->label);
    wb_ltext_over(sh, r++, 1, wb_employer_key(c->dk->employer), f->text);
    if (c->dk->employer == BPA_EMPLOYER_TRANSFERRED) {
        wb_ltext(sh, r, 0, "sum.transferred_to", f->label);
        wb_ltext_over(sh, r++, 1, wb_transferred_key(c->dk->transferred_to), f->text);
    }
    wb_ltext(sh, r, 0, "sum.pools", f->label);
    wb_ltext_over(sh, r++, 1,
             s->pools_mode == BPA_POOLS_ALL    ? "poolmode.all"
             : s->pools_mode == BPA_POOLS_KIND ? "poolmode.kind"
                                               : "poolmode.category",
             f->text);
    r++;

    wb_ltext(sh, r++, 0, "settle.section_balance", f->section);
    static const char *const keys[5] = {"acc.line1", "acc.line2", "acc.line3", "acc.line4",
                                        "acc.line5"};
    const mpq_t *lines[5] = {&s->line_unused_hours, &s->line_admin, &s->line_payroll_admin,
                             &s->line_payments, &s->line_actual_cost_cap};
    int first = r;
    for (int k = 0; k < 5; k++, r++) {
        wb_ltext(sh, r, 0, keys[k], f->text);
        wb_formula(sh, r, 1, f->amount, *lines[k],
                   wb_fmt(w, "=%s", wb_ref(w, &x->acc, x->line_row[k], 2)));
    }
    int bal = r;
    const char *BAL = wb_cell(w, bal, 1);
    wb_ltext(sh, r, 0, "settle.balance", f->text_big);
    wb_formula(sh, r++, 1, f->amount_big, s->balance,
               wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, 1), wb_cell(w, bal - 1, 1)));
    const char *repay = wb_label(w, "dir.repay"), *pay_out = wb_label(w, "dir.pay_out"),
               *settled = wb_label(w, "dir.settled");
    wb_ltext(sh, r, 0, "settle.direction", f->label);
    wb_formula_text(sh, r++, 1, f->text_big,
                    s->direction == BPA_REPAY     ? repay
                    : s->direction == BPA_PAY_OUT ? pay_out
                                                  : settled,
                    wb_fmt(w, "=IF(%s>0,\"%s\",IF(%s<0,\"%s\",\"%s\"))", BAL, repay, BAL, pay_out,
                           settled));
    mpq_t abs;
    mpq_init(abs);
    mpq_abs(abs, s->balance);
    wb_ltext(sh, r, 0, "settle.amount", f->label);
    wb_formula(sh, r++, 1, f->amount, abs, wb_fmt(w, "=ABS(%s)", BAL));
    mpq_clear(abs);
    wb_ltext(sh, r, 0, "settle.due", f->label);
    wb_date(sh, r++, 1, s->due_date, f->date_left);
    wb_ltext(sh, r++, 0, "settle.sign_note", f->subtitle);
    r++;

    /* the pools' own figures, which the balance rests on; the per-category
     * figures stay on the hours sheet */
    wb_ltext(sh, r++, 0, "settle.section_hours", f->section);
    int t = x->pool_total_row;
    const bpa_settle_pool *pt = &s->pool_total;
    struct {
        const char *key;
        int row, col;
        const mpq_t *q;
    } hrs[] = {{"settle.granted", t, P_GRANTED, &pt->granted},
               {"settle.used", t, P_USED, &pt->used},
               {"settle.unused", t, P_UNUSED, &pt->unused},
               {"settle.carried_out", x->carry_total_row, 1, &s->carry_hours_total},
               {"settle.overused", t, P_OVER, &pt->overused}};
    for (size_t k = 0; k < sizeof hrs / sizeof hrs[0]; k++, r++) {
        wb_ltext(sh, r, 0, hrs[k].key, f->text);
        wb_formula(sh, r, 1, f->hours, *hrs[k].q,
                   wb_fmt(w, "=%s", wb_ref(w, &x->pol, hrs[k].row, hrs[k].col)));
    }
    /* long notes wrap in the wide column, so the page keeps its width */
    wb_ltext(sh, r, 0, "settle.hours_note_head", f->text);
    wb_ltext(sh, r++, 1, "settle.hours_note", f->wrap);
    r++;
    wb_ltext(sh, r, 0, "settle.edit_note_head", f->text);
    wb_ltext(sh, r++, 1, "settle.edit_note", f->wrap);
    r++;

    wb_ltext(sh, r++, 0, "settle.section_allowance", f->section);
    wb_ltext(sh, r, 0, "settle.allowance_due", f->text);
    wb_input(sh, r++, 1, s->allowance_due, f->amount);
    wb_ltext(sh, r, 0, "settle.allowance_received", f->text);
    wb_formula(sh, r++, 1, f->amount, s->allowance_received,
               wb_fmt(w, "=%s", wb_ref(w, &x->pay, x->paid_allowance_row, Y_AMOUNT)));
    wb_ltext(sh, r++, 0, "settle.allowance_note", f->subtitle);
    r++;
    r = wb_summary_warnings(sh, r, &s->warnings);
    r = wb_summary_footer(sh, r, x->g);
    wb_sheet_wrap_col(sh, 0, 44);
    wb_sheet_wrap_col(sh, 1, 66);
    wb_sheet_finish(sh, -1, -1, 0);
}

/* ---- helpers --------------------------------------------------------------------------------- */

static void helpers_sheet(sctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->hlp;
    const wb_formats *f = &w->f;
    const bpa_settlement *s = x->s;
    wb_ltext(sh, 0, 0, "helpers.title", f->title);
    wb_ltext(sh, 1, 0, "helpers.subtitle", f->subtitle);
    static const char *const head[] = {"col.helper", "col.kind", "col.hours"};
    wb_head(sh, TABLE_HEAD, head, 3, WB_COL(2));
    int r = TABLE_HEAD + 1;
    for (size_t i = 0; i < s->nhelpers; i++, r++) {
        wb_text(sh, r, 0, s->helpers[i].name, f->text); /* input text, never a formula */
        wb_text(sh, r, 1, wb_kind(w, s->helpers[i].kind), f->text);
        wb_input(sh, r, 2, s->helpers[i].hours, f->hours);
    }
    if (!s->nhelpers)
        wb_ltext(sh, r++, 0, "helpers.none", f->text);
    int last = r - 1;
    wb_ltext(sh, r, 0, "word.total", f->label);
    wb_formula(sh, r, 2, f->hours_total, s->helpers_hours,
               s->nhelpers ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, TABLE_HEAD + 1, 2),
                                    wb_cell(w, last, 2))
                           : "=0");
    r += 2;
    wb_ltext(sh, r, 0, "helpers.shifts", f->text);
    wb_int(sh, r++, 2, (long)s->shifts, f->count);
    wb_ltext(sh, r, 0, "helpers.timesheet_hours", f->text);
    wb_input(sh, r++, 2, s->timesheet_hours, f->hours);
    wb_sheet_wrap_col(sh, 0, 40);
    wb_sheet_finish(sh, TABLE_HEAD, s->nhelpers ? last : -1, 3);
}

/* ---- inputs ---------------------------------------------------------------------------------- */

static void inputs_sheet(sctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->inp;
    const wb_formats *f = &w->f;
    const bpa_usage *u = x->u;
    /* the grant's parameters, then the settlement's (read on 31 December) */
    int head, last;
    int r = wb_inputs_begin(sh, x->g, x->s->used, x->s->nused, &head, &last);

    /* the usage file */
    r++;
    wb_ltext(sh, r++, 0, "inputs.usage", f->section);
    for (size_t i = 0; i < u->nused; i++, r++) {
        const bpa_used_row *row = &u->used[i];
        bpa_category cat = {row->kind, row->band, row->step};
        wb_text(sh, r, 0, wb_fmt(w, "%s: %s", wb_label(w, "inputs.used"), wb_category(w, &cat)),
                f->text);
        wb_month(sh, r, 1, u->year, row->month);
        wb_input(sh, r, 2, row->hours, f->hours);
        wb_ltext(sh, r, 3, "unit.hours", f->text);
    }
    for (size_t i = 0; i < u->ncarry_in; i++, r++) {
        const bpa_carry_in *ci = &u->carry_in[i];
        bpa_category cat = {ci->kind, ci->band, ci->step};
        wb_text(sh, r, 0,
                wb_fmt(w, "%s: %s", wb_label(w, "inputs.carry_in"), wb_category(w, &cat)),
                f->text);
        wb_input(sh, r, 2, ci->hours, f->hours);
        wb_ltext(sh, r++, 3, "unit.hours", f->text);
        wb_text(sh, r, 0,
                wb_fmt(w, "%s: %s", wb_label(w, "inputs.carry_in_value"), wb_category(w, &cat)),
                f->text);
        wb_input(sh, r, 2, ci->value, f->amount);
        wb_ltext(sh, r, 3, "unit.kr", f->text);
    }
    for (size_t i = 0; i < u->ncarry_over; i++, r++) {
        const bpa_carry_over *co = &u->carry_over[i];
        /* the pool name is input text */
        wb_text(sh, r, 0,
                wb_fmt(w, "%s: %s", wb_label(w, "inputs.carry_over"),
                       co->pool ? co->pool : wb_label(w, "pool.only")),
                f->text);
        wb_input(sh, r, 2, co->hours, f->hours);
        wb_ltext(sh, r, 3, "unit.hours", f->text);
    }
    if (u->has_actual_costs) {
        wb_ltext(sh, r, 0, "acc.actual", f->text);
        wb_input(sh, r++, 2, u->actual_wage_costs, f->amount);
    }
    wb_ltext(sh, r, 0, "inputs.timesheets", f->text);
    wb_int(sh, r++, 2, (long)u->ntimesheets, f->count);

    /* usage and timesheets join the case and policy among the files */
    size_t n = 2 + 2 * u->ntimesheets + 1;
    const char **files = bpa_calloc(n, sizeof *files);
    if (!files) {
        w->nomem = true;
        return;
    }
    files[0] = u->file;
    files[1] = u->sha256;
    for (size_t i = 0; i < u->ntimesheets; i++) {
        files[2 + 2 * i] = u->timesheets[i];
        files[3 + 2 * i] = x->s->timesheet_sha256[i];
    }
    wb_fingerprints(w, x->c, x->p, files);
    wb_inputs_files(sh, r, x->g, files);
    free(files);
    wb_sheet_finish(sh, head, last, 6);
}

/* ---- driver ---------------------------------------------------------------------------------- */

static void write_all(sctx *x)
{
    wb *w = &x->w;
    wb_sheet_add(w, &x->sum, "sheet.summary");
    wb_sheet_add(w, &x->hrs, "sheet.hours");
    wb_sheet_add(w, &x->pol, "sheet.pools");
    wb_sheet_add(w, &x->acc, "sheet.account");
    wb_sheet_add(w, &x->pay, "sheet.payments");
    wb_sheet_add(w, &x->hlp, "sheet.helpers");
    wb_sheet_add(w, &x->inp, "sheet.inputs");
    wb_sheet_add(w, &x->trc, "sheet.trace");
    /* cells are written in the order they are referenced */
    hours_sheet(x);
    pools_sheet(x);
    payments_sheet(x);
    account_sheet(x);
    summary(x);
    helpers_sheet(x);
    inputs_sheet(x);
    wb_trace_sheet(&x->trc, &x->s->trace);
}

bpa_status bpa_settle_workbook_write(const bpa_settlement *s, const char *path, bpa_lang lang,
                                     bpa_error *err)
{
    bpa_outfile out;
    bpa_status st = bpa_outfile_open_named(&out, path, err);
    if (st != BPA_OK)
        return st;
    sctx x;
    memset(&x, 0, sizeof x);
    x.s = s;
    x.g = s->grant;
    x.c = s->grant->kase;
    x.p = s->grant->policy;
    x.u = s->usage;
    st = wb_open(&x.w, out.tmp_path, lang, x.c->id, "settle.doc_title", err);
    if (st != BPA_OK) {
        bpa_outfile_abort(&out);
        return st;
    }
    x.cat_row = bpa_calloc(s->ncategories ? s->ncategories : 1, sizeof *x.cat_row);
    x.pool_row = bpa_calloc(s->npools ? s->npools : 1, sizeof *x.pool_row);
    if (!x.cat_row || !x.pool_row)
        x.w.nomem = true;
    else
        write_all(&x);
    st = wb_close(&x.w, &out, err);
    free(x.cat_row);
    free(x.pool_row);
    return st;
}
