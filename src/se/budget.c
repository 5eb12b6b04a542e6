/* The Swedish budget (see include/bpa/se.h, RULES.md 7.7). */
#include "core/alloc.h"
#include "bpa/se.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"
#include "se/period.h"
#include "trace/params_read.h"
#include "trace/trace_build.h"
#include "trace/warning_build.h"

#define TRY(expr)                                                                      \
    do {                                                                               \
        bpa_status st_ = (expr);                                                       \
        if (st_ != BPA_OK)                                                             \
            return st_;                                                                \
    } while (0)

static const char *const payment_names[] = {"efterskott", "forskott"};
static const char *const cap_unit_names[] = {"period", "month", "week"};

const char *bpa_se_payment_name(bpa_se_payment p)
{
    return (unsigned)p < 2 ? payment_names[p] : "?";
}

const char *bpa_se_cap_unit_name(bpa_se_cap_unit u)
{
    return (unsigned)u < 3 ? cap_unit_names[u] : "?";
}

typedef struct ctx {
    bpa_se_grant *g;
    const bpa_case *c;
    const bpa_policy *p;
    bpa_error *err;
    bpa_se_reads r;
} ctx;

static bpa_status nomem(ctx *x)
{
    return bpa_error_set(x->err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
}

static bpa_status traced(ctx *x) { return x->g->trace.failed ? nomem(x) : BPA_OK; }

static bpa_status fail_at(ctx *x, const bpa_source *src, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static bpa_status fail_at(ctx *x, const bpa_source *src, const char *fmt, ...)
{
    char msg[BPA_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return bpa_error_set(x->err, BPA_E_INPUT, x->c->file, src->line, src->column, src->path,
                         "%s", msg);
}

/* The entry of a recorded parameter, for a trace operand. */
static const bpa_param_entry *entry_of(ctx *x, size_t i)
{
    return i == BPA_NO_PARAM ? NULL : x->g->used[i].entry;
}

static const char *name_of(ctx *x, size_t i) { return x->g->used[i].name; }

/* ---- checks before computing ------------------------------------------------ */

/* Whether the policy has a parameter of that name at all (any entry). */
static bool policy_has(const bpa_policy *p, const char *name)
{
    size_t n = bpa_policy_param_count(p);
    for (size_t i = 0; i < n; i++)
        if (strcmp(bpa_policy_param_name(p, i), name) == 0)
            return true;
    return false;
}

/* "A, B, C": the tiers the policy gives (for the message). */
static void tiers_of(const bpa_policy *p, char *buf, size_t n)
{
    static const char prefix[] = "se.kommun.rate.";
    size_t len = 0, count = bpa_policy_param_count(p);
    buf[0] = '\0';
    for (size_t i = 0; i < count && len < n; i++) {
        const char *name = bpa_policy_param_name(p, i);
        if (strncmp(name, prefix, sizeof prefix - 1) == 0) {
            int w = snprintf(buf + len, n - len, "%s\"%s\"", len ? ", " : "",
                             name + sizeof prefix - 1);
            if (w < 0)
                break;
            len += (size_t)w;
        }
    }
}

static bpa_status check_case(ctx *x)
{
    const bpa_case *c = x->c;
    const bpa_policy *p = x->p;
    if (!bpa_policy_has_scheme(p, c->scheme))
        return bpa_error_set(x->err, BPA_E_INPUT, c->file, c->policy_src.line,
                             c->policy_src.column, "$.policy",
                             "policy \"%s\" does not cover scheme %s", bpa_policy_id(p),
                             bpa_scheme_name(c->scheme));
    bool lss = c->scheme == BPA_SCHEME_SE_LSS_9_2;
    for (size_t i = 0; i < c->se->nperiods; i++) {
        const bpa_se_period *sp = &c->se->periods[i];
        if (sp->has_rate && lss)
            return fail_at(x, &sp->src,
                           "a raised \"rate\" belongs to se-sfb-51; an LSS 9 § 2 period names "
                           "the kommun's \"tier\"");
        if (sp->tier && !lss)
            return fail_at(x, &sp->src,
                           "\"tier\" belongs to se-lss-9-2 (the kommun's rates); under "
                           "se-sfb-51 Försäkringskassan pays the schablon or a raised \"rate\"");
        if (lss && !sp->tier)
            return fail_at(x, &sp->src, "an LSS 9 § 2 period needs the kommun's \"tier\"");
        if (sp->tier) {
            char name[160];
            snprintf(name, sizeof name, "se.kommun.rate.%s", sp->tier);
            if (!policy_has(p, name)) {
                char tiers[256];
                tiers_of(p, tiers, sizeof tiers);
                return fail_at(x, &sp->src,
                               "tier \"%s\" has no rate in policy \"%s\" (no parameter %s); "
                               "%s%s",
                               sp->tier, bpa_policy_id(p), name,
                               tiers[0] ? "the policy's tiers are " : "the policy gives no tier "
                                                                       "rates",
                               tiers);
            }
        }
    }
    return BPA_OK;
}

/* ---- a period, month by month ------------------------------------------------ */

static void period_init(bpa_se_budget_period *bp)
{
    memset(bp, 0, sizeof *bp);
    for (int k = 0; k < BPA_SE_KINDS; k++)
        mpq_init(bp->granted[k]);
    mpq_inits(bp->billable, bp->amount, bp->kommun_hours, bp->kommun_amount, NULL);
    bp->cap_unit_read = bp->max_months_read = BPA_NO_PARAM;
}

static void period_clear(bpa_se_budget_period *bp)
{
    for (size_t i = 0; i < bp->nmonths; i++)
        bpa_se_budget_month_clear(&bp->months[i]);
    free(bp->months);
    for (int k = 0; k < BPA_SE_KINDS; k++)
        mpq_clear(bp->granted[k]);
    mpq_clears(bp->billable, bp->amount, bp->kommun_hours, bp->kommun_amount, NULL);
}

/* The period's length against se.period_max_months, its cap unit (6, 5.3:
 * both on the period's first day). */
static bpa_status period_head(ctx *x, size_t pi, bpa_se_budget_period *bp)
{
    const bpa_se_period *sp = &x->c->se->periods[pi];
    const bpa_value *v;
    TRY(bpa_se_need(&x->r, "se.period_max_months", sp->from, &v, &bp->max_months_read));
    long max = v->i;
    bpa_date last = bpa_date_add_months(sp->from, (int)(max > 1200 ? 1200 : max)) - 1;
    if (sp->to > last) {
        char f[11], t[11], l[11];
        bpa_date_format(sp->from, f);
        bpa_date_format(sp->to, t);
        bpa_date_format(last, l);
        return fail_at(x, &sp->src,
                       "the period %s to %s is longer than %ld months (se.period_max_months in "
                       "policy \"%s\"): it may end on %s at the latest; split it into periods "
                       "of at most %ld months",
                       f, t, max, bpa_policy_id(x->p), l, max);
    }
    TRY(bpa_se_need(&x->r, "se.cap_unit", sp->from, &v, &bp->cap_unit_read));
    bp->cap_unit = (bpa_se_cap_unit)v->i;
    bpa_trace *t = &x->g->trace;
    bpa_trace_entry *e = bpa_trace_begin(t, BPA_TRACE_SE_PERIOD);
    bpa_trace_count(t, e, "period_no", (long)pi + 1);
    bpa_trace_period(t, e, "period", sp->from, sp->to);
    bpa_trace_count(t, e, "days", bp->days);
    bpa_trace_string(t, e, BPA_OP_WORD, "payment", bpa_se_payment_name(sp->payment));
    bpa_trace_count(t, e, "max_months", max);
    bpa_trace_param(t, e, "max_param", "se.period_max_months", entry_of(x, bp->max_months_read));
    bpa_trace_date(t, e, "last_day", last);
    bpa_trace_string(t, e, BPA_OP_WORD, "cap_unit", bpa_se_cap_unit_name(bp->cap_unit));
    return traced(x);
}

/* One month: granted hours, factors, billable hours, rate, R3, räkning date,
 * the kommun share. */
static bpa_status month_of(ctx *x, size_t pi, bpa_se_budget_period *bp, const bpa_se_month_walk *w,
                           bpa_se_budget_month *m, const mpq_t kommun_per_week, size_t kommun_read)
{
    const bpa_se_period *sp = &x->c->se->periods[pi];
    m->year = w->year;
    m->month = w->month;
    m->days = w->days;
    m->period_days = bp->days;
    mpq_t t;
    mpq_init(t);
    for (int k = 0; k < BPA_SE_KINDS; k++) {
        const bpa_se_hours *h = &sp->hours[k];
        if (!h->given)
            continue;
        m->per_week[k] = h->per_week;
        /* per_week x d/7, or total x d/D */
        mpq_set_si(t, m->days, h->per_week ? 7 : bp->days);
        mpq_canonicalize(t);
        mpq_mul(m->granted[k], h->amount, t);
    }
    bool beredskap = sp->hours[2].given && mpq_sgn(sp->hours[2].amount) > 0;
    bpa_status st = bpa_se_month_factors(&x->r, beredskap, sp->src.path, m);
    if (st == BPA_OK)
        st = bpa_se_month_rate(&x->r, x->c->file, sp, m);
    if (st != BPA_OK) {
        mpq_clear(t);
        return st;
    }
    /* billable = aktiv + fv x vantetid + fb x beredskap, exact */
    mpq_set(m->billable, m->granted[0]);
    mpq_mul(t, m->factor_vantetid, m->granted[1]);
    mpq_add(m->billable, m->billable, t);
    mpq_mul(t, m->factor_beredskap, m->granted[2]);
    mpq_add(m->billable, m->billable, t);
    /* R3 */
    mpq_mul(m->exact, m->billable, m->rate);
    bpa_round(m->amount, m->exact, m->mode);
    m->rakning_due = bpa_se_rakning_due(m->year, m->month);

    bpa_trace *tr = &x->g->trace;
    bpa_trace_entry *e = bpa_trace_begin(tr, BPA_TRACE_SE_MONTH);
    bpa_trace_month(tr, e, "month", m->year, m->month);
    bpa_trace_period(tr, e, "period", sp->from, sp->to);
    bpa_trace_count(tr, e, "days", m->days);
    bpa_trace_count(tr, e, "period_days", m->period_days);
    bpa_trace_q(tr, e, BPA_OP_HOURS, "aktiv", m->granted[0]);
    bpa_trace_q(tr, e, BPA_OP_HOURS, "vantetid", m->granted[1]);
    bpa_trace_q(tr, e, BPA_OP_HOURS, "beredskap", m->granted[2]);
    bpa_trace_q(tr, e, BPA_OP_NUMBER, "factor_vantetid", m->factor_vantetid);
    if (m->has_factor_beredskap)
        bpa_trace_q(tr, e, BPA_OP_NUMBER, "factor_beredskap", m->factor_beredskap);
    bpa_trace_q(tr, e, BPA_OP_HOURS, "billable", m->billable);
    bpa_trace_param(tr, e, "rate_param", name_of(x, m->rate_read), entry_of(x, m->rate_read));
    if (m->rate_source == BPA_SE_RATE_RAISED) {
        bpa_trace_q(tr, e, BPA_OP_RATE, "schablon", m->schablon);
        bpa_trace_q(tr, e, BPA_OP_PCT, "max_pct", m->raised_max_pct);
        bpa_trace_q(tr, e, BPA_OP_RATE, "rate_max", m->rate_max);
    }
    bpa_trace_q(tr, e, BPA_OP_RATE, "rate", m->rate);
    bpa_trace_q(tr, e, BPA_OP_AMOUNT, "exact", m->exact);
    bpa_trace_q(tr, e, BPA_OP_AMOUNT, "amount", m->amount);
    bpa_trace_date(tr, e, "rakning_due", m->rakning_due);

    if (kommun_read != BPA_NO_PARAM) {
        /* SFB 51:22: hours_per_week x d/7 at the month's rate, R3 */
        m->has_kommun_share = true;
        m->kommun_read = kommun_read;
        mpq_set_si(t, m->days, 7);
        mpq_canonicalize(t);
        mpq_mul(m->kommun_hours, kommun_per_week, t);
        mpq_mul(m->kommun_exact, m->kommun_hours, m->rate);
        bpa_round(m->kommun_amount, m->kommun_exact, m->mode);
        e = bpa_trace_begin(tr, BPA_TRACE_SE_KOMMUN);
        bpa_trace_month(tr, e, "month", m->year, m->month);
        bpa_trace_q(tr, e, BPA_OP_HOURS, "hours_per_week", kommun_per_week);
        bpa_trace_count(tr, e, "days", m->days);
        bpa_trace_q(tr, e, BPA_OP_HOURS, "hours", m->kommun_hours);
        bpa_trace_q(tr, e, BPA_OP_RATE, "rate", m->rate);
        bpa_trace_q(tr, e, BPA_OP_AMOUNT, "exact", m->kommun_exact);
        bpa_trace_q(tr, e, BPA_OP_AMOUNT, "amount", m->kommun_amount);
    }
    mpq_clear(t);
    return traced(x);
}

static bpa_status compute_period(ctx *x, size_t pi)
{
    const bpa_se_period *sp = &x->c->se->periods[pi];
    bpa_se_grant *g = x->g;
    bpa_se_budget_period *bp = &g->periods[pi];
    bp->period = pi;
    bp->from = sp->from;
    bp->to = sp->to;
    bp->days = (long)(sp->to - sp->from) + 1;
    bp->payment = sp->payment;
    TRY(period_head(x, pi, bp));
    /* the kommun share (se-sfb-51), read on the period's first day (5.3) */
    size_t kommun_read = BPA_NO_PARAM;
    const bpa_value *kv = NULL;
    if (x->c->scheme == BPA_SCHEME_SE_SFB_51) {
        TRY(bpa_se_need(&x->r, "se.kommun_share_hours_per_week", sp->from, &kv, &kommun_read));
        bp->has_kommun_share = true;
    }
    size_t n = bpa_se_month_count(sp->from, sp->to);
    bp->months = bpa_calloc(n ? n : 1, sizeof *bp->months);
    if (!bp->months)
        return nomem(x);
    bpa_se_month_walk w;
    mpq_t zero;
    mpq_init(zero);
    bpa_status st = BPA_OK;
    for (bpa_se_month_walk_start(&w, sp->from, sp->to); st == BPA_OK && bpa_se_month_walk_next(&w);) {
        bpa_se_budget_month *m = &bp->months[bp->nmonths];
        bpa_se_budget_month_init(m);
        bp->nmonths++;
        st = month_of(x, pi, bp, &w, m, kv ? kv->q : zero, kommun_read);
        if (st != BPA_OK)
            break;
        for (int k = 0; k < BPA_SE_KINDS; k++)
            mpq_add(bp->granted[k], bp->granted[k], m->granted[k]);
        mpq_add(bp->billable, bp->billable, m->billable);
        mpq_add(bp->amount, bp->amount, m->amount);
        if (m->has_kommun_share) {
            mpq_add(bp->kommun_hours, bp->kommun_hours, m->kommun_hours);
            mpq_add(bp->kommun_amount, bp->kommun_amount, m->kommun_amount);
        }
    }
    mpq_clear(zero);
    return st;
}

static bpa_status totals(ctx *x)
{
    bpa_se_grant *g = x->g;
    long months = 0;
    for (size_t i = 0; i < g->nperiods; i++) {
        const bpa_se_budget_period *bp = &g->periods[i];
        mpq_add(g->total_billable, g->total_billable, bp->billable);
        mpq_add(g->total_amount, g->total_amount, bp->amount);
        if (bp->has_kommun_share) {
            g->has_kommun_share = true;
            mpq_add(g->total_kommun_hours, g->total_kommun_hours, bp->kommun_hours);
            mpq_add(g->total_kommun_amount, g->total_kommun_amount, bp->kommun_amount);
        }
        months += (long)bp->nmonths;
    }
    bpa_trace *t = &g->trace;
    bpa_trace_entry *e = bpa_trace_begin(t, BPA_TRACE_SE_TOTALS);
    bpa_trace_count(t, e, "periods", (long)g->nperiods);
    bpa_trace_count(t, e, "months", months);
    bpa_trace_q(t, e, BPA_OP_HOURS, "billable", g->total_billable);
    bpa_trace_q(t, e, BPA_OP_AMOUNT, "amount", g->total_amount);
    if (g->has_kommun_share) {
        bpa_trace_q(t, e, BPA_OP_HOURS, "kommun_hours", g->total_kommun_hours);
        bpa_trace_q(t, e, BPA_OP_AMOUNT, "kommun_amount", g->total_kommun_amount);
    }
    return traced(x);
}

void bpa_se_grant_free(bpa_se_grant *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nperiods; i++)
        period_clear(&g->periods[i]);
    free(g->periods);
    mpq_clears(g->total_billable, g->total_amount, g->total_kommun_hours, g->total_kommun_amount,
               NULL);
    bpa_used_release(g->used, g->nused);
    bpa_trace_release(&g->trace);
    bpa_warnings_release(&g->warnings);
    free(g);
}

bpa_status bpa_se_grant_compute(bpa_se_grant **out, const bpa_case *c, const bpa_policy *p,
                                bpa_error *err)
{
    *out = NULL;
    if (!c->se)
        return bpa_error_set(err, BPA_E_INPUT, c->file, c->scheme_src.line, c->scheme_src.column,
                             "$.scheme",
                             "%s is a Danish scheme: its grant is computed as a Danish "
                             "grant of its decisions, not as a Swedish budget",
                             bpa_scheme_name(c->scheme));
    bpa_se_grant *g = bpa_calloc(1, sizeof *g);
    if (!g)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    mpq_inits(g->total_billable, g->total_amount, g->total_kommun_hours, g->total_kommun_amount,
              NULL);
    g->kase = c;
    g->policy = p;
    ctx x = {g, c, p, err, {p, &g->used, &g->nused, err}};
    bpa_status st = check_case(&x);
    if (st == BPA_OK) {
        g->periods = bpa_calloc(c->se->nperiods ? c->se->nperiods : 1, sizeof *g->periods);
        if (!g->periods)
            st = nomem(&x);
    }
    for (size_t i = 0; st == BPA_OK && i < c->se->nperiods; i++) {
        period_init(&g->periods[i]);
        g->nperiods = i + 1;
        st = compute_period(&x, i);
    }
    if (st == BPA_OK)
        st = totals(&x);
    if (st == BPA_OK) {
        bpa_warnings_params(&g->warnings, p, g->used, g->nused);
        if (g->warnings.ops.failed)
            st = nomem(&x);
    }
    if (st != BPA_OK) {
        bpa_se_grant_free(g);
        return st;
    }
    *out = g;
    return BPA_OK;
}
