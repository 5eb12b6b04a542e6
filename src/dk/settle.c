/* The annual account (see include/bpa/settle.h, RULES.md section 8.2). */
#include "core/alloc.h"
#include "bpa/settle.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"
#include "input/timesheet.h"
#include "core/strutil.h"
#include "trace/trace_build.h"
#include "trace/warning_build.h"

#define TRY(expr)                                                                      \
    do {                                                                               \
        bpa_status st_ = (expr);                                                       \
        if (st_ != BPA_OK)                                                             \
            return st_;                                                                \
    } while (0)

static const char *const direction_names[] = {"settled", "repay", "pay_out"};
const char *bpa_direction_name(bpa_direction d) { return direction_names[d]; }

typedef struct sctx {
    bpa_settlement *s;
    const bpa_grant *g;
    const bpa_case *c;
    const bpa_usage *u;
    const bpa_policy *p;
    bpa_error *err;
    bpa_strpool pool;
    bool listed[12]; /* months[] holds all twelve while computing; listed ones stay */
} sctx;

static bpa_status nomem(sctx *x)
{
    return bpa_error_set(x->err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
}

static bpa_status fail_row(sctx *x, const bpa_source *src, const char *fmt, ...)
{
    char msg[BPA_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return bpa_error_set(x->err, BPA_E_INPUT, x->u->file, src ? src->line : 0,
                         src ? src->column : 0, src ? src->path : NULL, "%s", msg);
}

static const char *Q(sctx *x, const mpq_t v) { return bpa_strpool_q(&x->pool, v); }

/* After an entry is written: the trace's allocation failure, once. */
static bpa_status traced(sctx *x) { return x->s->trace.failed ? nomem(x) : BPA_OK; }

/* ---- parameters ---------------------------------------------------------------- */

/* The settlement parameters, read on 31 December (RULES.md 5.3), recorded
 * for the account's inputs; admin.transferred.hours only where the role is
 * transferred. The lines below read them again through bpa_policy_need, so
 * a missing required one is still an error naming it. */
static bpa_status record_params(sctx *x)
{
    static const char *const names[] = {
        "settlement.pools",          "rounding.mode",
        "settlement.account_due",    "settlement.carry_over_max_pct",
        "settlement.admin_follows_hours", "settlement.cap_at_actual_costs",
        "admin.transferred.hours",
    };
    size_t n = sizeof names / sizeof names[0];
    bpa_settlement *s = x->s;
    s->used = bpa_calloc(n, sizeof *s->used);
    if (!s->used)
        return nomem(x);
    bpa_date dec31 = bpa_date_make(x->c->year, 12, 31);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], "admin.transferred.hours") == 0 &&
            x->c->dk->employer != BPA_EMPLOYER_TRANSFERRED)
            continue;
        const bpa_param_entry *e = NULL;
        const bpa_value *v = bpa_policy_get(x->p, names[i], dec31, &e);
        if (!v)
            continue;
        bpa_used_param *up = &s->used[s->nused++];
        up->entry = e;
        up->v = v;
        up->first_read = dec31;
        up->has_late = bpa_warning_late(names[i], e, dec31);
        up->late_read = dec31;
        up->name = bpa_strdup(names[i]);
        up->value = bpa_value_text(v);
        if (!up->name || !up->value)
            return nomem(x);
    }
    return BPA_OK;
}

/* ---- categories ---------------------------------------------------------------- */

static void category_inits(bpa_settle_category *c)
{
    mpq_inits(c->grant_hours, c->carried_in, c->granted, c->grant_value, c->carried_in_value,
              c->value, c->used, c->unused, c->overused, NULL);
}

static void category_clears(bpa_settle_category *c)
{
    mpq_clears(c->grant_hours, c->carried_in, c->granted, c->grant_value, c->carried_in_value,
               c->value, c->used, c->unused, c->overused, NULL);
}

static void pool_inits(bpa_settle_pool *p)
{
    mpq_inits(p->granted, p->used, p->value, p->average, p->unused, p->overused,
              p->unused_value, p->overused_value, p->carry_hours, p->carry_value, NULL);
}

static void pool_clears(bpa_settle_pool *p)
{
    mpq_clears(p->granted, p->used, p->value, p->average, p->unused, p->overused,
               p->unused_value, p->overused_value, p->carry_hours, p->carry_value, NULL);
}


static bpa_settle_category *category(sctx *x, const bpa_category *cat)
{
    bpa_settlement *s = x->s;
    for (size_t i = 0; i < s->ncategories; i++)
        if (bpa_category_equal(&s->categories[i].category, cat))
            return &s->categories[i];
    bpa_settle_category *nc = bpa_realloc(s->categories, (s->ncategories + 1) * sizeof *nc);
    if (!nc)
        return NULL;
    s->categories = nc;
    bpa_settle_category *c = &s->categories[s->ncategories++];
    memset(c, 0, sizeof *c);
    c->category = *cat;
    category_inits(c);
    return c;
}

/* An on-call row names a band exactly when on_call.supplements is true on
 * the day it is read (fine points, section 12). */
static bpa_status row_category(sctx *x, bpa_kind kind, bpa_band band, bool band_given, int step,
                               bpa_date day, const bpa_source *src, bpa_category *out)
{
    out->kind = kind;
    out->band = band;
    out->step = step;
    if (kind != BPA_KIND_ON_CALL)
        return BPA_OK;
    const bpa_value *v = bpa_policy_get(x->p, "on_call.supplements", day, NULL);
    bool supp = v && v->flag;
    if (supp && !band_given)
        return fail_row(x, src, "on_call.supplements is true, so on-call hours must name a band");
    if (!supp && band_given)
        return fail_row(x, src,
                        "on_call.supplements is false, so on-call hours must not name a band");
    if (!supp)
        out->band = BPA_BAND_ANY;
    return BPA_OK;
}

static bpa_status granted_from_grant(sctx *x)
{
    const bpa_grant *g = x->g;
    for (size_t i = 0; i < g->nlines; i++) {
        const bpa_line *l = &g->lines[i];
        if (l->rule == BPA_LINE_PER_HELPER)
            mpq_add(x->s->per_helper_total, x->s->per_helper_total, l->amount);
        if (l->rule != BPA_LINE_WAGES)
            continue;
        bpa_settle_category *c = category(x, &l->category);
        if (!c)
            return nomem(x);
        mpq_add(c->grant_hours, c->grant_hours, l->hours);
        mpq_add(c->grant_value, c->grant_value, l->amount);
    }
    /* share hourly-cap reductions among the segment's categories in
     * proportion to their wage lines, exactly (7.3) */
    mpq_t share;
    mpq_init(share);
    for (size_t i = 0; i < g->nlines; i++) {
        const bpa_line *r = &g->lines[i];
        if (r->rule != BPA_LINE_HOURLY_CAP_REDUCTION)
            continue;
        const bpa_segment *seg = &g->segments[r->segment];
        if (mpq_sgn(seg->wage_lines) == 0)
            continue;
        for (size_t k = 0; k < g->nlines; k++) {
            const bpa_line *l = &g->lines[k];
            if (l->rule != BPA_LINE_WAGES || l->segment != r->segment)
                continue;
            mpq_mul(share, r->amount, l->amount);
            mpq_div(share, share, seg->wage_lines);
            bpa_settle_category *c = category(x, &l->category);
            if (!c) {
                mpq_clear(share);
                return nomem(x);
            }
            mpq_add(c->grant_value, c->grant_value, share);
        }
    }
    mpq_clear(share);
    for (size_t i = 0; i < g->nmonths; i++)
        if (g->months[i].year == x->c->year) {
            int m = g->months[i].month - 1;
            x->listed[m] = true;
            mpq_add(x->s->months[m].granted, x->s->months[m].granted, g->months[i].hours);
        }
    return BPA_OK;
}

static bpa_status carried_in(sctx *x)
{
    bpa_date jan1 = bpa_date_make(x->c->year, 1, 1);
    for (size_t i = 0; i < x->u->ncarry_in; i++) {
        const bpa_carry_in *r = &x->u->carry_in[i];
        bpa_category cat;
        TRY(row_category(x, r->kind, r->band, r->band_given, r->step, jan1, &r->src, &cat));
        bpa_settle_category *c = category(x, &cat);
        if (!c)
            return nomem(x);
        mpq_add(c->carried_in, c->carried_in, r->hours);
        mpq_add(c->carried_in_value, c->carried_in_value, r->value);
    }
    return BPA_OK;
}

static bpa_status used_rows(sctx *x)
{
    for (size_t i = 0; i < x->u->nused; i++) {
        const bpa_used_row *r = &x->u->used[i];
        bpa_category cat;
        TRY(row_category(x, r->kind, r->band, r->band_given, r->step,
                         bpa_date_make(x->c->year, r->month, 1), &r->src, &cat));
        bpa_settle_category *c = category(x, &cat);
        if (!c)
            return nomem(x);
        mpq_add(c->used, c->used, r->hours);
        x->listed[r->month - 1] = true;
        mpq_add(x->s->months[r->month - 1].used, x->s->months[r->month - 1].used, r->hours);
    }
    return BPA_OK;
}

/* The grant's only step, or -1 when it has several. */
static int only_step(const bpa_grant *g)
{
    int step = -1;
    for (size_t i = 0; i < g->nrates; i++) {
        if (step >= 0 && g->rates[i].category.step != step)
            return -1;
        step = g->rates[i].category.step;
    }
    return step;
}

static void minutes_to_hours(mpq_t out, int64_t minutes)
{
    mpz_t m;
    mpz_init(m);
    mpz_set_si(m, (long)minutes);
    mpq_set_z(out, m);
    mpz_set_ui(m, 60);
    mpq_t sixty;
    mpq_init(sixty);
    mpq_set_z(sixty, m);
    mpq_div(out, out, sixty);
    mpq_clear(sixty);
    mpz_clear(m);
}

static bpa_status timesheets(sctx *x)
{
    bpa_settlement *s = x->s;
    if (!x->u->ntimesheets)
        return BPA_OK;
    s->timesheet_sha256 = bpa_calloc(x->u->ntimesheets, sizeof *s->timesheet_sha256);
    if (!s->timesheet_sha256)
        return nomem(x);
    bpa_ts_acc acc;
    bpa_ts_acc_init(&acc, x->p, x->c->year, only_step(x->g));
    bpa_status st = BPA_OK;
    for (size_t i = 0; st == BPA_OK && i < x->u->ntimesheets; i++) {
        /* the SHA-256 comes from the same read as the shifts */
        st = bpa_timesheet_read(&acc, x->u->timesheets[i], x->u->timesheets[i],
                                &x->u->timesheet_maps[i], s->timesheet_sha256[i], x->err);
    }
    if (st == BPA_OK)
        st = bpa_ts_acc_finish(&acc, x->err);
    mpq_t h;
    mpq_init(h);
    for (size_t i = 0; st == BPA_OK && i < acc.ncells; i++) {
        const bpa_ts_cell *cell = &acc.cells[i];
        bpa_settle_category *c = category(x, &cell->category);
        if (!c) {
            st = nomem(x);
            break;
        }
        minutes_to_hours(h, cell->minutes);
        mpq_add(c->used, c->used, h);
        x->listed[cell->month - 1] = true;
        mpq_add(s->months[cell->month - 1].used, s->months[cell->month - 1].used, h);
    }
    if (st == BPA_OK && acc.nhelpers) {
        s->helpers = bpa_calloc(acc.nhelpers, sizeof *s->helpers);
        if (!s->helpers)
            st = nomem(x);
        for (size_t i = 0; st == BPA_OK && i < acc.nhelpers; i++) {
            if (acc.helpers[i].minutes == 0)
                continue; /* all its minutes fell outside the year */
            bpa_settle_helper *hp = &s->helpers[s->nhelpers];
            mpq_init(hp->hours);
            s->nhelpers++;
            hp->kind = acc.helpers[i].kind;
            minutes_to_hours(hp->hours, acc.helpers[i].minutes);
            if (!(hp->name = bpa_strdup(acc.helpers[i].name)))
                st = nomem(x);
        }
    }
    if (st == BPA_OK) {
        for (int k = 0; k < BPA_DK_KIND_COUNT; k++)
            minutes_to_hours(s->outside_year_hours[k], acc.outside_minutes[k]);
        minutes_to_hours(s->timesheet_hours, acc.total_minutes);
        s->shifts = acc.shifts;
        minutes_to_hours(h, acc.outside_minutes[0] + acc.outside_minutes[1]);
        bpa_trace_entry *e = bpa_trace_begin(&s->trace, BPA_TRACE_TIMESHEETS);
        bpa_trace_count(&s->trace, e, "files", (long)x->u->ntimesheets);
        bpa_trace_count(&s->trace, e, "shifts", (long)acc.shifts);
        bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "hours", s->timesheet_hours);
        bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "outside", h);
        bpa_trace_count(&s->trace, e, "year", x->c->year);
        st = traced(x);
    }
    mpq_clear(h);
    bpa_ts_acc_release(&acc);
    return st;
}

/* ---- pools ----------------------------------------------------------------------- */

static void pool_name(bpa_pool_mode mode, const bpa_category *cat, char out[64])
{
    if (mode == BPA_POOLS_ALL)
        snprintf(out, 64, "all");
    else if (mode == BPA_POOLS_KIND)
        snprintf(out, 64, "%s", bpa_kind_name(cat->kind));
    else
        snprintf(out, 64, "%s/%s/%d", bpa_kind_name(cat->kind), bpa_band_name(cat->band),
                 cat->step);
}

static int settle_cat_cmp(const void *a, const void *b)
{
    return bpa_category_cmp(&((const bpa_settle_category *)a)->category,
                            &((const bpa_settle_category *)b)->category);
}

static bpa_status build_pools(sctx *x)
{
    bpa_settlement *s = x->s;
    qsort(s->categories, s->ncategories, sizeof *s->categories, settle_cat_cmp);
    s->pools = bpa_calloc(s->ncategories ? s->ncategories : 1, sizeof *s->pools);
    if (!s->pools)
        return nomem(x);
    for (size_t i = 0; i < s->ncategories; i++) {
        bpa_settle_category *c = &s->categories[i];
        mpq_add(c->granted, c->grant_hours, c->carried_in);
        mpq_add(c->value, c->grant_value, c->carried_in_value);
        mpq_sub(c->unused, c->granted, c->used);
        if (mpq_sgn(c->unused) < 0) {
            mpq_neg(c->overused, c->unused);
            mpq_set_ui(c->unused, 0, 1);
        }
        char name[64];
        pool_name(s->pools_mode, &c->category, name);
        size_t k = 0;
        while (k < s->npools && strcmp(s->pools[k].name, name) != 0)
            k++;
        if (k == s->npools) {
            bpa_settle_pool *p = &s->pools[s->npools++];
            memcpy(p->name, name, sizeof p->name);
            pool_inits(p);
        }
        c->pool = k;
        bpa_settle_pool *p = &s->pools[k];
        mpq_add(p->granted, p->granted, c->granted);
        mpq_add(p->used, p->used, c->used);
        mpq_add(p->value, p->value, c->value);
        mpq_add(s->value_total, s->value_total, c->value);
    }
    for (size_t k = 0; k < s->npools; k++) {
        bpa_settle_pool *p = &s->pools[k];
        p->has_average = mpq_sgn(p->granted) > 0;
        mpq_sub(p->unused, p->granted, p->used);
        if (mpq_sgn(p->unused) < 0) {
            mpq_neg(p->overused, p->unused);
            mpq_set_ui(p->unused, 0, 1);
        }
        if (p->has_average) { /* R5 */
            mpq_div(p->average, p->value, p->granted);
            mpq_mul(p->unused_value, p->unused, p->average);
            bpa_round(p->unused_value, p->unused_value, s->mode);
            mpq_mul(p->overused_value, p->overused, p->average);
            bpa_round(p->overused_value, p->overused_value, s->mode);
        }
        mpq_add(s->unused_value_total, s->unused_value_total, p->unused_value);
        bpa_trace_entry *e = bpa_trace_begin(&s->trace, BPA_TRACE_POOL);
        bpa_trace_string(&s->trace, e, BPA_OP_TEXT, "pool", p->name);
        bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "granted", p->granted);
        bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "used", p->used);
        bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "value", p->value);
        if (p->has_average) {
            bpa_trace_q(&s->trace, e, BPA_OP_RATE, "average", p->average);
            bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "unused", p->unused);
            bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "unused_value", p->unused_value);
            bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "overused", p->overused);
            bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "overused_value", p->overused_value);
        }
        TRY(traced(x));
    }
    return BPA_OK;
}

static bpa_status carry_over(sctx *x)
{
    bpa_settlement *s = x->s;
    const bpa_value *v;
    bpa_date dec31 = bpa_date_make(x->c->year, 12, 31);
    TRY(bpa_policy_need(x->p, "settlement.carry_over_max_pct", dec31, &v, NULL, x->err));
    mpq_t hundred, year_hours;
    mpq_inits(hundred, year_hours, NULL);
    mpq_set_ui(hundred, 100, 1);
    for (size_t i = 0; i < s->ncategories; i++)
        mpq_add(year_hours, year_hours, s->categories[i].grant_hours);
    mpq_set(s->carry_max_pct, v->q);
    mpq_set(s->year_grant_hours, year_hours);
    mpq_mul(s->carry_max_hours, year_hours, v->q);
    mpq_div(s->carry_max_hours, s->carry_max_hours, hundred);
    const char *year_text = Q(x, year_hours);
    mpq_clears(hundred, year_hours, NULL);
    for (size_t i = 0; i < x->u->ncarry_over; i++) {
        const bpa_carry_over *r = &x->u->carry_over[i];
        bpa_settle_pool *p = NULL;
        if (!r->pool) {
            if (s->npools != 1)
                return fail_row(x, &r->src,
                                "there are %zu pools (settlement.pools), so carry_over must "
                                "name its \"pool\"",
                                s->npools);
            p = &s->pools[0];
        } else {
            for (size_t k = 0; k < s->npools; k++)
                if (strcmp(s->pools[k].name, r->pool) == 0)
                    p = &s->pools[k];
            if (!p)
                return fail_row(x, &r->src, "no pool \"%s\" in this account (settlement.pools)",
                                r->pool);
        }
        if (mpq_cmp(r->hours, p->unused) > 0)
            return fail_row(x, &r->src,
                            "carry-over of %s hours exceeds the %s unused hours of pool %s",
                            Q(x, r->hours), Q(x, p->unused), p->name);
        p->has_carry = true;
        mpq_set(p->carry_hours, r->hours);
        if (p->has_average) {
            mpq_mul(p->carry_value, r->hours, p->average);
            bpa_round(p->carry_value, p->carry_value, s->mode);
        }
        mpq_add(s->carry_hours_total, s->carry_hours_total, p->carry_hours);
        mpq_add(s->carry_value_total, s->carry_value_total, p->carry_value);
    }
    if (mpq_cmp(s->carry_hours_total, s->carry_max_hours) > 0)
        return fail_row(x, x->u->ncarry_over ? &x->u->carry_over[0].src : NULL,
                        "carry-over of %s hours in all exceeds settlement.carry_over_max_pct "
                        "%s %% of the year's %s granted hours (%s hours)",
                        Q(x, s->carry_hours_total), Q(x, v->q), year_text,
                        Q(x, s->carry_max_hours));
    if (x->u->ncarry_over) {
        bpa_trace_entry *e = bpa_trace_begin(&s->trace, BPA_TRACE_CARRY_OVER);
        bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "hours", s->carry_hours_total);
        bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "limit", s->carry_max_hours);
        bpa_trace_q(&s->trace, e, BPA_OP_PCT, "pct", v->q);
        bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "value", s->carry_value_total);
        TRY(traced(x));
    }
    return BPA_OK;
}

/* ---- the five lines -------------------------------------------------------------- */

static bpa_status lines(sctx *x)
{
    bpa_settlement *s = x->s;
    const bpa_case *c = x->c;
    const bpa_grant *g = x->g;
    bpa_date dec31 = bpa_date_make(c->year, 12, 31);
    const bpa_value *v;

    /* 1. unused hours */
    mpq_sub(s->line_unused_hours, s->unused_value_total, s->carry_value_total);
    bpa_trace_entry *e = bpa_trace_begin(&s->trace, BPA_TRACE_LINE_UNUSED);
    bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "unused_value", s->unused_value_total);
    bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "carry_value", s->carry_value_total);
    bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "line", s->line_unused_hours);
    TRY(traced(x));

    /* 2. administration follows the hours */
    TRY(bpa_policy_need(x->p, "settlement.admin_follows_hours", dec31, &v, NULL, x->err));
    if (c->dk->employer == BPA_EMPLOYER_TRANSFERRED && v->flag) {
        const bpa_value *which;
        TRY(bpa_policy_need(x->p, "admin.transferred.hours", dec31, &which, NULL, x->err));
        s->admin_follows = true;
        s->admin_work_only = which->i == 1;
        for (size_t i = 0; i < s->ncategories; i++) {
            const bpa_settle_category *cat = &s->categories[i];
            if (which->i == 1 && cat->category.kind != BPA_KIND_WORK)
                continue;
            mpq_add(s->admin_granted_hours, s->admin_granted_hours, cat->granted);
            mpq_add(s->admin_used_hours, s->admin_used_hours, cat->used);
        }
        if (mpq_sgn(s->admin_granted_hours) > 0) {
            mpq_t left;
            mpq_init(left);
            mpq_sub(left, s->admin_granted_hours, s->admin_used_hours);
            mpq_sub(left, left, s->carry_hours_total);
            if (mpq_sgn(left) < 0)
                mpq_set_ui(left, 0, 1);
            mpq_mul(s->line_admin, left, g->total_admin);
            mpq_div(s->line_admin, s->line_admin, s->admin_granted_hours);
            bpa_round(s->line_admin, s->line_admin, s->mode);
            mpq_clear(left);
            e = bpa_trace_begin(&s->trace, BPA_TRACE_LINE_ADMIN);
            bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "granted", s->admin_granted_hours);
            bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "used", s->admin_used_hours);
            bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "carried_over", s->carry_hours_total);
            bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "admin", g->total_admin);
            bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "line", s->line_admin);
            TRY(traced(x));
        }
    }

    /* 3. payroll administration against invoices */
    for (size_t i = 0; i < x->u->ninvoices; i++)
        mpq_add(s->invoices_total, s->invoices_total, x->u->invoices[i].amount);
    for (size_t i = 0; i < x->u->npayments; i++) {
        const bpa_payment *pm = &x->u->payments[i];
        if (pm->what == BPA_PAYMENT_PAYROLL_ADMIN)
            mpq_add(s->payroll_admin_paid, s->payroll_admin_paid, pm->amount);
        else if (pm->what == BPA_PAYMENT_GRANT)
            mpq_add(s->grant_payments, s->grant_payments, pm->amount);
        else
            mpq_add(s->allowance_received, s->allowance_received, pm->amount);
    }
    s->payroll_admin = c->dk->employer == BPA_EMPLOYER_PAYROLL_ASSOCIATION;
    if (s->payroll_admin) {
        mpq_t covered;
        mpq_init(covered);
        mpq_set(covered, s->invoices_total);
        if (mpq_cmp(covered, g->total_payroll_admin_cap) > 0)
            mpq_set(covered, g->total_payroll_admin_cap);
        mpq_sub(s->line_payroll_admin, s->payroll_admin_paid, covered);
        mpq_clear(covered);
        e = bpa_trace_begin(&s->trace, BPA_TRACE_LINE_PAYROLL_ADMIN);
        bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "paid", s->payroll_admin_paid);
        bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "invoices", s->invoices_total);
        bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "cap", g->total_payroll_admin_cap);
        bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "line", s->line_payroll_admin);
        TRY(traced(x));
    }

    /* 4. payments received vs due */
    for (size_t i = 0; i < g->nmonths; i++)
        mpq_add(s->recipient_due, s->recipient_due, g->months[i].recipient);
    mpq_sub(s->line_payments, s->grant_payments, s->recipient_due);
    e = bpa_trace_begin(&s->trace, BPA_TRACE_LINE_PAYMENTS);
    bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "received", s->grant_payments);
    bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "due", s->recipient_due);
    bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "line", s->line_payments);
    TRY(traced(x));

    /* 5. actual-cost cap */
    TRY(bpa_policy_need(x->p, "settlement.cap_at_actual_costs", dec31, &v, NULL, x->err));
    s->cap_applies = x->u->has_actual_costs && v->flag;
    if (s->cap_applies) {
        mpq_t cost;
        mpq_init(cost);
        mpq_sub(cost, s->value_total, s->unused_value_total);
        mpq_add(cost, cost, s->per_helper_total);
        mpq_sub(s->line_actual_cost_cap, cost, x->u->actual_wage_costs);
        if (mpq_sgn(s->line_actual_cost_cap) < 0)
            mpq_set_ui(s->line_actual_cost_cap, 0, 1);
        e = bpa_trace_begin(&s->trace, BPA_TRACE_LINE_ACTUAL_COST);
        bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "value", s->value_total);
        bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "unused_value", s->unused_value_total);
        bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "per_helper", s->per_helper_total);
        bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "cost", cost);
        bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "actual", x->u->actual_wage_costs);
        bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "line", s->line_actual_cost_cap);
        mpq_clear(cost);
        TRY(traced(x));
    }

    mpq_add(s->balance, s->line_unused_hours, s->line_admin);
    mpq_add(s->balance, s->balance, s->line_payroll_admin);
    mpq_add(s->balance, s->balance, s->line_payments);
    mpq_add(s->balance, s->balance, s->line_actual_cost_cap);
    s->direction = mpq_sgn(s->balance) > 0 ? BPA_REPAY : mpq_sgn(s->balance) < 0 ? BPA_PAY_OUT
                                                                                 : BPA_SETTLED;
    mpq_set(s->allowance_due, g->total_allowance);

    TRY(bpa_policy_need(x->p, "settlement.account_due", dec31, &v, NULL, x->err));
    int m = (int)(v->i / 100), d = (int)(v->i % 100);
    int dim = bpa_days_in_month(c->year + 1, m);
    s->due_date = bpa_date_make(c->year + 1, m, d > dim ? dim : d);
    e = bpa_trace_begin(&s->trace, BPA_TRACE_BALANCE);
    bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "line", s->line_unused_hours);
    bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "line", s->line_admin);
    bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "line", s->line_payroll_admin);
    bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "line", s->line_payments);
    bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "line", s->line_actual_cost_cap);
    bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "balance", s->balance);
    bpa_trace_string(&s->trace, e, BPA_OP_WORD, "direction", bpa_direction_name(s->direction));
    bpa_trace_date(&s->trace, e, "due", s->due_date);
    return traced(x);
}

/* ---- totals for the account ------------------------------------------------------ */

/* Sums over categories, pools, months and helpers, and the months with hours
 * moved to the front of months[] (RULES.md 12: months with granted or used
 * hours), so the writers show totals without adding anything up. */
static void totals(sctx *x)
{
    bpa_settlement *s = x->s;
    bpa_settle_category *t = &s->category_total;
    for (size_t i = 0; i < s->ncategories; i++) {
        const bpa_settle_category *c = &s->categories[i];
        mpq_add(t->grant_hours, t->grant_hours, c->grant_hours);
        mpq_add(t->carried_in, t->carried_in, c->carried_in);
        mpq_add(t->granted, t->granted, c->granted);
        mpq_add(t->used, t->used, c->used);
        mpq_add(t->unused, t->unused, c->unused);
        mpq_add(t->overused, t->overused, c->overused);
        mpq_add(t->grant_value, t->grant_value, c->grant_value);
        mpq_add(t->carried_in_value, t->carried_in_value, c->carried_in_value);
        mpq_add(t->value, t->value, c->value);
    }
    bpa_settle_pool *pt = &s->pool_total;
    for (size_t k = 0; k < s->npools; k++) {
        const bpa_settle_pool *p = &s->pools[k];
        mpq_add(pt->granted, pt->granted, p->granted);
        mpq_add(pt->used, pt->used, p->used);
        mpq_add(pt->value, pt->value, p->value);
        mpq_add(pt->unused, pt->unused, p->unused);
        mpq_add(pt->overused, pt->overused, p->overused);
        mpq_add(pt->unused_value, pt->unused_value, p->unused_value);
        mpq_add(pt->overused_value, pt->overused_value, p->overused_value);
        mpq_add(pt->carry_hours, pt->carry_hours, p->carry_hours);
        mpq_add(pt->carry_value, pt->carry_value, p->carry_value);
    }
    size_t n = 0;
    for (int m = 0; m < 12; m++) {
        if (!x->listed[m])
            continue;
        mpq_add(s->months_granted, s->months_granted, s->months[m].granted);
        mpq_add(s->months_used, s->months_used, s->months[m].used);
        if ((size_t)m != n) {
            mpq_swap(s->months[n].granted, s->months[m].granted);
            mpq_swap(s->months[n].used, s->months[m].used);
            s->months[n].month = s->months[m].month;
        }
        n++;
    }
    for (int m = (int)n; m < 12; m++) /* left with zeros, released with the rest */
        s->months[m].month = 0;
    s->nmonths = n;
    for (size_t i = 0; i < s->nhelpers; i++)
        mpq_add(s->helpers_hours, s->helpers_hours, s->helpers[i].hours);
}

/* ---- warnings (RULES.md 9) ------------------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Pooled by kind or all, hours in another band of a granted kind and step
 * are what timesheets give (the pool nets them); a step or kind the grant
 * never had is what a mistake gives. By category, every band stands alone. */
static bool step_granted(const bpa_settlement *s, const bpa_settle_category *c)
{
    if (s->pools_mode == BPA_POOLS_CATEGORY)
        return false;
    for (size_t i = 0; i < s->ncategories; i++) {
        const bpa_settle_category *o = &s->categories[i];
        if (mpq_sgn(o->granted) > 0 && o->category.kind == c->category.kind &&
            o->category.step == c->category.step)
            return true;
    }
    return false;
}

/* no_payments when no payment counts in line 4; not_granted per category
 * with used hours and no granted ones, naming the first used row of it when
 * one exists (else its hours came from timesheets); then the parameters'. */
static bpa_status warnings(sctx *x)
{
    bpa_settlement *s = x->s;
    bpa_warnings *w = &s->warnings;
    bool paid = false;
    for (size_t i = 0; i < x->u->npayments; i++)
        paid = paid || x->u->payments[i].what == BPA_PAYMENT_GRANT;
    if (!paid) {
        bpa_trace_entry *e = bpa_warning_begin(w, BPA_WARN_NO_PAYMENTS);
        bpa_trace_string(&w->ops, e, BPA_OP_TEXT, "usage", base_name(x->u->file));
    }
    for (size_t i = 0; i < s->ncategories; i++) {
        const bpa_settle_category *c = &s->categories[i];
        if (mpq_sgn(c->granted) != 0 || mpq_sgn(c->used) == 0 || step_granted(s, c))
            continue;
        bpa_trace_entry *e = bpa_warning_begin(w, BPA_WARN_NOT_GRANTED);
        bpa_trace_category(&w->ops, e, "category", &c->category);
        bpa_trace_q(&w->ops, e, BPA_OP_HOURS, "hours", c->used);
        for (size_t k = 0; k < x->u->nused; k++) {
            const bpa_used_row *r = &x->u->used[k];
            bpa_category cat = {r->kind, r->band, r->step};
            if (!bpa_category_equal(&cat, &c->category))
                continue;
            bpa_trace_string(&w->ops, e, BPA_OP_TEXT, "file", base_name(x->u->file));
            bpa_trace_count(&w->ops, e, "line", (long)r->src.line);
            bpa_trace_string(&w->ops, e, BPA_OP_TEXT, "path", r->src.path);
            break;
        }
    }
    bpa_warnings_params(w, x->p, x->g->used, x->g->nused);
    bpa_warnings_params(w, x->p, s->used, s->nused);
    return w->ops.failed ? nomem(x) : BPA_OK;
}

/* ---- checks and driver ------------------------------------------------------------- */

static bpa_status check(sctx *x)
{
    const bpa_case *c = x->c;
    const bpa_usage *u = x->u;
    if (c->scheme == BPA_SCHEME_DK_SEL_94)
        return bpa_error_set(x->err, BPA_E_INPUT, c->file, c->scheme_src.line,
                             c->scheme_src.column, "$.scheme",
                             "there is no annual settlement for section 94: the municipality "
                             "employs the helper and pays the wages itself");
    if (strcmp(u->case_id, c->id) != 0)
        return fail_row(x, &u->case_src, "usage is for case \"%s\", the case file is \"%s\"",
                        u->case_id, c->id);
    if (u->year != c->year)
        return fail_row(x, &u->year_src, "usage year %d is not the case year %d", u->year,
                        c->year);
    if (c->dk->employer != BPA_EMPLOYER_PAYROLL_ASSOCIATION) {
        if (u->ninvoices)
            return fail_row(x, &u->invoices[0].src,
                            "invoices for payroll administration belong to employer "
                            "\"payroll_association\"; this case's employer is \"%s\"",
                            bpa_employer_name(c->dk->employer));
        for (size_t i = 0; i < u->npayments; i++)
            if (u->payments[i].what == BPA_PAYMENT_PAYROLL_ADMIN)
                return fail_row(x, &u->payments[i].src,
                                "payroll_admin payments belong to employer "
                                "\"payroll_association\"; this case's employer is \"%s\"",
                                bpa_employer_name(c->dk->employer));
    }
    return BPA_OK;
}

void bpa_settle_free(bpa_settlement *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ncategories; i++) {
        category_clears(&s->categories[i]);
    }
    free(s->categories);
    for (size_t i = 0; i < s->npools; i++) {
        pool_clears(&s->pools[i]);
    }
    free(s->pools);
    if (s->months)
        for (int m = 0; m < 12; m++)
            mpq_clears(s->months[m].granted, s->months[m].used, NULL);
    free(s->months);
    for (size_t i = 0; i < s->nused; i++) {
        free(s->used[i].name);
        free(s->used[i].value);
    }
    free(s->used);
    category_clears(&s->category_total);
    pool_clears(&s->pool_total);
    mpq_clears(s->carry_max_pct, s->year_grant_hours, s->months_granted, s->months_used,
               s->helpers_hours, NULL);
    for (size_t i = 0; i < s->nhelpers; i++) {
        free(s->helpers[i].name);
        mpq_clear(s->helpers[i].hours);
    }
    free(s->helpers);
    mpq_clears(s->line_unused_hours, s->line_admin, s->line_payroll_admin, s->line_payments,
               s->line_actual_cost_cap, s->balance, s->unused_value_total, s->carry_value_total,
               s->carry_hours_total, s->carry_max_hours, s->admin_granted_hours,
               s->admin_used_hours, s->payroll_admin_paid, s->invoices_total, s->grant_payments,
               s->recipient_due, s->value_total, s->per_helper_total, s->allowance_due,
               s->allowance_received, s->outside_year_hours[0], s->outside_year_hours[1],
               s->timesheet_hours, NULL);
    bpa_trace_release(&s->trace);
    bpa_warnings_release(&s->warnings);
    free(s->timesheet_sha256);
    free(s);
}

bpa_status bpa_settle_compute(bpa_settlement **out, const bpa_grant *g, const bpa_usage *u,
                              bpa_error *err)
{
    *out = NULL;
    bpa_settlement *s = bpa_calloc(1, sizeof *s);
    if (!s)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    s->grant = g;
    s->usage = u;
    category_inits(&s->category_total);
    pool_inits(&s->pool_total);
    mpq_inits(s->carry_max_pct, s->year_grant_hours, s->months_granted, s->months_used,
              s->helpers_hours, NULL);
    mpq_inits(s->line_unused_hours, s->line_admin, s->line_payroll_admin, s->line_payments,
              s->line_actual_cost_cap, s->balance, s->unused_value_total, s->carry_value_total,
              s->carry_hours_total, s->carry_max_hours, s->admin_granted_hours,
              s->admin_used_hours, s->payroll_admin_paid, s->invoices_total, s->grant_payments,
              s->recipient_due, s->value_total, s->per_helper_total, s->allowance_due,
              s->allowance_received, s->outside_year_hours[0], s->outside_year_hours[1],
              s->timesheet_hours, NULL);
    s->months = bpa_calloc(12, sizeof *s->months);
    if (!s->months) {
        bpa_settle_free(s);
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    for (int m = 0; m < 12; m++) {
        s->months[m].year = g->kase->year;
        s->months[m].month = m + 1;
        mpq_inits(s->months[m].granted, s->months[m].used, NULL);
    }
    sctx x = {s, g, g->kase, u, g->policy, err, {0}, {false}};
    bpa_date dec31 = bpa_date_make(g->kase->year, 12, 31);
    const bpa_value *v = NULL;
    bpa_status st = check(&x);
    if (st == BPA_OK)
        st = record_params(&x);
    if (st == BPA_OK)
        st = bpa_policy_need(x.p, "settlement.pools", dec31, &v, NULL, err);
    if (st == BPA_OK) {
        s->pools_mode = (bpa_pool_mode)v->i;
        st = bpa_policy_need(x.p, "rounding.mode", dec31, &v, NULL, err);
    }
    if (st == BPA_OK) {
        s->mode = v->i == 1 ? BPA_ROUND_HALF_EVEN : BPA_ROUND_HALF_AWAY_FROM_ZERO;
        st = bpa_policy_need(x.p, "settlement.account_due", dec31, &v, NULL, err);
    }
    if (st == BPA_OK)
        st = granted_from_grant(&x);
    if (st == BPA_OK)
        st = carried_in(&x);
    if (st == BPA_OK)
        st = used_rows(&x);
    if (st == BPA_OK)
        st = timesheets(&x);
    if (st == BPA_OK)
        st = build_pools(&x);
    if (st == BPA_OK)
        st = carry_over(&x);
    if (st == BPA_OK)
        st = lines(&x);
    if (st == BPA_OK)
        totals(&x);
    if (st == BPA_OK)
        st = warnings(&x);
    if (st == BPA_OK && bpa_strpool_failed(&x.pool))
        st = nomem(&x);
    bpa_strpool_release(&x.pool);
    if (st != BPA_OK) {
        bpa_settle_free(s);
        return st;
    }
    *out = s;
    return BPA_OK;
}
