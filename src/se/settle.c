/* The Swedish avräkning per grant period and month, the räkning's figures,
 * the tidsredovisningar and the receipts (include/bpa/se.h, RULES.md 8.3,
 * 8.4 and 12 "Swedish"). The budget (bpa_se_grant) is the granted side; this
 * sets what was used beside it and records every step in the trace. */
#include "core/alloc.h"
#include "bpa/se.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "input/shift.h"
#include "input/shift_read.h"
#include "input/timesheet.h"
#include "se/reports.h"
#include "trace/params_read.h"
#include "trace/trace_build.h"
#include "trace/warning_build.h"

#define TRY(expr)                                                                      \
    do {                                                                               \
        bpa_status st_ = (expr);                                                       \
        if (st_ != BPA_OK)                                                             \
            return st_;                                                                \
    } while (0)

#define K(kind) ((int)(kind) - (int)BPA_KIND_AKTIV)

/* A piece of a time report: one helper's minutes of one kind on one local date. */
typedef struct tr_piece {
    bpa_date date;
    uint32_t helper;
    int32_t minutes;
    uint8_t kind; /* 0..2 */
} tr_piece;

/* A shift that has minutes in a month (counted once per helper and month). */
typedef struct tr_shift_month {
    uint32_t helper;
    int32_t ym; /* year * 12 + month - 1 */
    long shifts;
} tr_shift_month;

typedef struct sctx {
    bpa_se_settlement *s;
    const bpa_se_grant *g;
    const bpa_case *c;
    const bpa_se_usage *u;
    const bpa_policy *p;
    bpa_error *err;
    /* time reports */
    char **helpers;
    size_t nhelpers;
    tr_piece *pieces;
    size_t npieces;
    tr_shift_month *sm;
    size_t nsm;
    /* per settle month: the beredskap factor it uses (from the budget or read here) */
    mpq_t **fb;
    bool **has_fb;
} sctx;

static bpa_status nomem(sctx *x)
{
    return bpa_error_set(x->err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
}

static bpa_status fail_at(sctx *x, const bpa_source *src, const char *fmt, ...)
{
    char msg[BPA_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return bpa_error_set(x->err, BPA_E_INPUT, x->u->file, src ? src->line : 0,
                         src ? src->column : 0, src ? src->path : NULL, "%s", msg);
}


static void minutes_to_hours(mpq_t out, int64_t minutes)
{
    mpq_set_si(out, (long)minutes, 60);
    mpq_canonicalize(out);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int ym_of(int year, int month) { return year * 12 + month - 1; }

/* ---- parameters read here (beyond the budget's) ------------------------------ */

static bpa_status record_param(sctx *x, const char *name, const bpa_param_entry *e,
                               const bpa_value *v, bpa_date day, size_t *index)
{
    size_t dummy;
    return bpa_used_record(&x->s->used, &x->s->nused, name, day, e, v, index ? index : &dummy,
                           x->err);
}

/* ---- months and periods ------------------------------------------------------- */

static void month_inits(bpa_se_settle_month *m)
{
    for (int k = 0; k < BPA_SE_KINDS; k++)
        mpq_inits(m->used[k], m->reported[k], NULL);
    mpq_init(m->factor_beredskap);
    m->beredskap_read = BPA_NO_PARAM;
    mpq_inits(m->billable, m->granted_billable, m->cap_left, m->capped, m->not_paid, m->rate,
              m->exact, m->amount, m->paid, NULL);
}

static void month_clears(bpa_se_settle_month *m)
{
    for (int k = 0; k < BPA_SE_KINDS; k++)
        mpq_clears(m->used[k], m->reported[k], NULL);
    mpq_clear(m->factor_beredskap);
    mpq_clears(m->billable, m->granted_billable, m->cap_left, m->capped, m->not_paid, m->rate,
               m->exact, m->amount, m->paid, NULL);
}

static void period_inits(bpa_se_settle_period *p)
{
    for (int k = 0; k < BPA_SE_KINDS; k++)
        mpq_init(p->used[k]);
    mpq_inits(p->billable, p->granted_billable, p->capped, p->not_paid_hours, p->amount, p->paid,
              p->balance, p->kommun_hours, p->kommun_amount, NULL);
}

static void period_clears(bpa_se_settle_period *p)
{
    for (int k = 0; k < BPA_SE_KINDS; k++)
        mpq_clear(p->used[k]);
    mpq_clears(p->billable, p->granted_billable, p->capped, p->not_paid_hours, p->amount, p->paid,
               p->balance, p->kommun_hours, p->kommun_amount, NULL);
}

static bpa_status build_periods(sctx *x)
{
    bpa_se_settlement *s = x->s;
    const bpa_se_grant *g = x->g;
    s->periods = bpa_calloc(g->nperiods ? g->nperiods : 1, sizeof *s->periods);
    x->fb = bpa_calloc(g->nperiods ? g->nperiods : 1, sizeof *x->fb);
    x->has_fb = bpa_calloc(g->nperiods ? g->nperiods : 1, sizeof *x->has_fb);
    if (!s->periods || !x->fb || !x->has_fb)
        return nomem(x);
    for (size_t i = 0; i < g->nperiods; i++) {
        const bpa_se_budget_period *bp = &g->periods[i];
        bpa_se_settle_period *p = &s->periods[i];
        period_inits(p);
        s->nperiods++;
        p->period = i;
        p->from = bp->from;
        p->to = bp->to;
        p->payment = bp->payment;
        p->cap_unit = bp->cap_unit;
        p->has_kommun_share = bp->has_kommun_share;
        mpq_set(p->kommun_hours, bp->kommun_hours);
        mpq_set(p->kommun_amount, bp->kommun_amount);
        if (p->has_kommun_share) {
            s->has_kommun_share = true;
            mpq_add(s->kommun_hours, s->kommun_hours, p->kommun_hours);
            mpq_add(s->kommun_amount, s->kommun_amount, p->kommun_amount);
        }
        /* the day before the same day number two months after the day after the end */
        p->slutavrakning_due = bpa_date_add_months(bp->to + 1, 2) - 1;
        p->months = bpa_calloc(bp->nmonths ? bp->nmonths : 1, sizeof *p->months);
        x->fb[i] = bpa_calloc(bp->nmonths ? bp->nmonths : 1, sizeof **x->fb);
        x->has_fb[i] = bpa_calloc(bp->nmonths ? bp->nmonths : 1, sizeof **x->has_fb);
        if (!p->months || !x->fb[i] || !x->has_fb[i])
            return nomem(x);
        for (size_t m = 0; m < bp->nmonths; m++) {
            const bpa_se_budget_month *bm = &bp->months[m];
            bpa_se_settle_month *sm = &p->months[m];
            month_inits(sm);
            mpq_init(x->fb[i][m]);
            p->nmonths++;
            sm->year = bm->year;
            sm->month = bm->month;
            sm->budget_month = m;
            mpq_set(sm->granted_billable, bm->billable);
            mpq_set(sm->rate, bm->rate);
            sm->mode = bm->mode;
            sm->rakning_due = bm->rakning_due;
            if (bm->has_factor_beredskap) {
                x->has_fb[i][m] = true;
                mpq_set(x->fb[i][m], bm->factor_beredskap);
            }
        }
    }
    return BPA_OK;
}

/* The settle months of calendar month ym: how many periods have it (short
 * periods may share a month three or more ways); the first two in pi, mi. */
static size_t months_of(sctx *x, int ym, size_t pi[2], size_t mi[2])
{
    size_t n = 0;
    for (size_t i = 0; i < x->s->nperiods; i++) {
        const bpa_se_settle_period *p = &x->s->periods[i];
        for (size_t m = 0; m < p->nmonths; m++)
            if (ym_of(p->months[m].year, p->months[m].month) == ym) {
                if (n < 2) {
                    pi[n] = i;
                    mi[n] = m;
                }
                n++;
            }
    }
    return n;
}

/* The settle month a date's hours belong to: the period that holds the
 * date (docs/decisions.md: a date outside every period is outside, even in
 * a month a period touches). False: outside every period. */
static bool month_of_date(sctx *x, bpa_date d, size_t *pi, size_t *mi)
{
    int y = bpa_date_year(d), m = bpa_date_month(d);
    for (size_t i = 0; i < x->s->nperiods; i++) {
        const bpa_se_settle_period *p = &x->s->periods[i];
        if (d < p->from || d > p->to)
            continue;
        for (size_t k = 0; k < p->nmonths; k++)
            if (p->months[k].year == y && p->months[k].month == m) {
                *pi = i;
                *mi = k;
                return true;
            }
    }
    return false;
}

/* ---- used rows ------------------------------------------------------------------ */

/* The rows listed apart by month, then kind: the list does not depend on the
 * order of the usage file's rows (docs/decisions.md). */
static int listed_cmp(const void *a, const void *b)
{
    const bpa_se_used_row *p = a, *q = b;
    int x = ym_of(p->year, p->month), y = ym_of(q->year, q->month);
    if (x != y)
        return x < y ? -1 : 1;
    return (p->kind > q->kind) - (p->kind < q->kind);
}

static bpa_status used_rows(sctx *x)
{
    const bpa_se_usage *u = x->u;
    bpa_se_settlement *s = x->s;
    for (size_t i = 0; i < u->nused; i++) {
        const bpa_se_used_row *r = &u->used[i];
        size_t pi[2], mi[2];
        char ym[8];
        bpa_month_format(r->year, r->month, ym);
        size_t n = months_of(x, ym_of(r->year, r->month), pi, mi);
        int k = K(r->kind);
        if (n == 0) {
            mpq_add(s->outside[k], s->outside[k], r->hours);
            continue;
        }
        if (n >= 2) {
            char a1[11], a2[11], b1[11], b2[11];
            bpa_date_format(s->periods[pi[0]].from, a1);
            bpa_date_format(s->periods[pi[0]].to, a2);
            bpa_date_format(s->periods[pi[1]].from, b1);
            bpa_date_format(s->periods[pi[1]].to, b2);
            return fail_at(x, &r->src,
                           "%s is shared by the grant periods %s to %s and %s to %s, so its "
                           "hours cannot be given as a `used` row: give them as time reports "
                           "(timesheets), whose dates say which period they belong to",
                           ym, a1, a2, b1, b2);
        }
        bpa_se_settle_period *p = &s->periods[pi[0]];
        if (p->cap_unit == BPA_SE_CAP_WEEK)
            return fail_at(x, &r->src,
                           "se.cap_unit is \"week\" for the period that holds %s, so hours must "
                           "come from time reports (timesheets) with dates; remove the `used` "
                           "row",
                           ym);
        bpa_se_settle_month *m = &p->months[mi[0]];
        mpq_add(m->used[k], m->used[k], r->hours);
        /* listed apart, summed per month and kind */
        size_t j = 0;
        while (j < s->nlisted_apart &&
               !(s->listed_apart[j].year == r->year && s->listed_apart[j].month == r->month &&
                 s->listed_apart[j].kind == r->kind))
            j++;
        if (j == s->nlisted_apart) {
            if (!bpa_array_reserve((void **)&s->listed_apart, s->nlisted_apart,
                                   sizeof *s->listed_apart))
                return nomem(x);
            bpa_se_used_row *l = &s->listed_apart[s->nlisted_apart++];
            memset(l, 0, sizeof *l);
            mpq_init(l->hours);
            l->year = r->year;
            l->month = r->month;
            l->kind = r->kind;
            l->src = r->src;
        }
        mpq_add(s->listed_apart[j].hours, s->listed_apart[j].hours, r->hours);
    }
    if (s->nlisted_apart > 1)
        qsort(s->listed_apart, s->nlisted_apart, sizeof *s->listed_apart, listed_cmp);
    return BPA_OK;
}

/* ---- time reports ------------------------------------------------------------- */

static int piece_cmp(const void *a, const void *b)
{
    const tr_piece *p = a, *q = b;
    if (p->date != q->date)
        return p->date < q->date ? -1 : 1;
    if (p->helper != q->helper)
        return p->helper < q->helper ? -1 : 1;
    return (int)p->kind - (int)q->kind;
}

/* The time reports through the Swedish accumulator (se/reports.h): minutes
 * per assistant, date and kind become pieces; shifts per assistant and
 * month; the SHA-256 of each file; the working-time check. */
static bpa_status read_reports(sctx *x)
{
    const bpa_se_usage *u = x->u;
    bpa_se_settlement *s = x->s;
    if (!u->ntimesheets)
        return BPA_OK;
    bpa_se_reports r;
    bpa_se_reports_init(&r);
    bpa_status st = bpa_se_reports_load(&r, u, x->err);
    if (st == BPA_OK) {
        s->timesheet_sha256 = bpa_calloc(u->ntimesheets, sizeof *s->timesheet_sha256);
        x->helpers = bpa_calloc(r.nhelpers ? r.nhelpers : 1, sizeof *x->helpers);
        x->sm = bpa_calloc(r.nmonths ? r.nmonths : 1, sizeof *x->sm);
        if (!s->timesheet_sha256 || !x->helpers || !x->sm)
            st = nomem(x);
    }
    if (st == BPA_OK) {
        memcpy(s->timesheet_sha256, r.sha256, u->ntimesheets * sizeof *s->timesheet_sha256);
        s->shifts = r.shifts;
        s->files = (long)u->ntimesheets;
    }
    for (size_t i = 0; st == BPA_OK && i < r.nhelpers; i++) {
        if (!(x->helpers[i] = bpa_strdup(r.helpers[i].name)))
            st = nomem(x);
        else
            x->nhelpers++;
    }
    for (size_t i = 0; st == BPA_OK && i < r.ncells; i++)
        for (int k = 0; st == BPA_OK && k < BPA_SE_KINDS; k++) {
            if (!r.cells[i].minutes[k])
                continue;
            if (!bpa_array_reserve((void **)&x->pieces, x->npieces, sizeof *x->pieces)) {
                st = nomem(x);
                break;
            }
            tr_piece *t = &x->pieces[x->npieces++];
            t->date = r.cells[i].date;
            t->helper = r.cells[i].helper;
            t->minutes = r.cells[i].minutes[k];
            t->kind = (uint8_t)k;
        }
    for (size_t i = 0; st == BPA_OK && i < r.nmonths; i++) {
        x->sm[i].helper = r.months[i].helper;
        x->sm[i].ym = ym_of(r.months[i].year, r.months[i].month);
        x->sm[i].shifts = r.months[i].shifts;
        x->nsm++;
    }
    if (st == BPA_OK)
        st = bpa_se_worktime_check(&r, x->p, &s->worktime, &s->nworktime, &s->used, &s->nused,
                                   &s->warnings, x->err);
    bpa_se_reports_release(&r);
    return st;
}

/* Pieces into the settle months (or outside), and the tidsredovisningar:
 * per helper and month, the minutes of each kind and the shifts with
 * minutes in the month, only for months that belong to a period (the
 * räkning's hours from time reports are exactly their sum). */
static bpa_status distribute_reports(sctx *x)
{
    bpa_se_settlement *s = x->s;
    if (!x->npieces)
        return BPA_OK;
    qsort(x->pieces, x->npieces, sizeof *x->pieces, piece_cmp);
    mpq_t h;
    mpq_init(h);
    for (size_t i = 0; i < x->npieces; i++) {
        const tr_piece *t = &x->pieces[i];
        minutes_to_hours(h, t->minutes);
        size_t pi, mi;
        if (!month_of_date(x, t->date, &pi, &mi)) {
            mpq_add(s->outside[t->kind], s->outside[t->kind], h);
            continue;
        }
        bpa_se_settle_month *m = &x->s->periods[pi].months[mi];
        mpq_add(m->used[t->kind], m->used[t->kind], h);
        mpq_add(m->reported[t->kind], m->reported[t->kind], h);
    }
    mpq_clear(h);
    size_t n = 0;
    /* count distinct (helper, ym) among pieces that belong to a period */
    typedef struct cell {
        uint32_t helper;
        int32_t ym;
        int64_t minutes[BPA_SE_KINDS];
    } cell;
    cell *cells = NULL;
    for (size_t i = 0; i < x->npieces; i++) {
        const tr_piece *t = &x->pieces[i];
        size_t pi, mi;
        if (!month_of_date(x, t->date, &pi, &mi))
            continue;
        int y, mo, d;
        bpa_date_split(t->date, &y, &mo, &d);
        int32_t ym = ym_of(y, mo);
        size_t j = 0;
        while (j < n && !(cells[j].helper == t->helper && cells[j].ym == ym))
            j++;
        if (j == n) {
            if (!bpa_array_reserve((void **)&cells, n, sizeof *cells)) {
                free(cells);
                return nomem(x);
            }
            memset(&cells[n], 0, sizeof cells[n]);
            cells[n].helper = t->helper;
            cells[n].ym = ym;
            n++;
        }
        cells[j].minutes[t->kind] += t->minutes;
    }
    /* order: helper name (bytewise), then month */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            int c = strcmp(x->helpers[cells[j - 1].helper], x->helpers[cells[j].helper]);
            if (c < 0 || (c == 0 && cells[j - 1].ym <= cells[j].ym))
                break;
            cell tmp = cells[j];
            cells[j] = cells[j - 1];
            cells[j - 1] = tmp;
        }
    s->tidsredovisningar = bpa_calloc(n ? n : 1, sizeof *s->tidsredovisningar);
    if (!s->tidsredovisningar) {
        free(cells);
        return nomem(x);
    }
    for (size_t i = 0; i < n; i++) {
        bpa_se_tidsredovisning *r = &s->tidsredovisningar[i];
        mpq_init(r->total);
        int64_t total = 0;
        for (int k = 0; k < BPA_SE_KINDS; k++) {
            mpq_init(r->hours[k]);
            minutes_to_hours(r->hours[k], cells[i].minutes[k]);
            total += cells[i].minutes[k];
        }
        minutes_to_hours(r->total, total);
        s->ntidsredovisningar++;
        r->year = cells[i].ym / 12;
        r->month = cells[i].ym % 12 + 1;
        for (size_t j = 0; j < x->nsm; j++)
            if (x->sm[j].helper == cells[i].helper && x->sm[j].ym == cells[i].ym)
                r->shifts += x->sm[j].shifts;
        if (!(r->helper = bpa_strdup(x->helpers[cells[i].helper]))) {
            free(cells);
            return nomem(x);
        }
    }
    free(cells);
    return BPA_OK;
}

/* ---- billable hours, caps, amounts ------------------------------------------------- */

/* The beredskap factor of settle month (pi, mi): the budget's, else read on
 * the month's first day (needed when the month uses beredskap). */
static bpa_status need_fb(sctx *x, size_t pi, size_t mi)
{
    if (x->has_fb[pi][mi])
        return BPA_OK;
    const bpa_se_settle_month *m = &x->s->periods[pi].months[mi];
    bpa_date first = bpa_date_make(m->year, m->month, 1);
    const bpa_value *v;
    const bpa_param_entry *e;
    bpa_status st = bpa_policy_need(x->p, "se.factor.beredskap", first, &v, &e, x->err);
    if (st != BPA_OK)
        return st;
    mpq_set(x->fb[pi][mi], v->q);
    x->has_fb[pi][mi] = true;
    return record_param(x, "se.factor.beredskap", e, v, first,
                        &x->s->periods[pi].months[mi].beredskap_read);
}

static void billable_of(mpq_t out, const mpq_t hours[BPA_SE_KINDS], const mpq_t fv,
                        const mpq_t fb, bool has_fb)
{
    mpq_t t;
    mpq_init(t);
    mpq_set(out, hours[0]);
    mpq_mul(t, hours[1], fv);
    mpq_add(out, out, t);
    if (has_fb) {
        mpq_mul(t, hours[2], fb);
        mpq_add(out, out, t);
    }
    mpq_clear(t);
}

/* Monday of the ISO week of d. */
static bpa_date monday_of(bpa_date d) { return d - bpa_date_weekday(d); }

/* The granted billable hours of one day of the period (its month's factors):
 * per kind per_week / 7, or total / D. */
static void day_granted(sctx *x, size_t pi, size_t mi, mpq_t out)
{
    const bpa_se_period *cp = &x->c->se->periods[x->g->periods[pi].period];
    const bpa_se_budget_month *bm = &x->g->periods[pi].months[mi];
    mpq_t g[BPA_SE_KINDS];
    for (int k = 0; k < BPA_SE_KINDS; k++) {
        mpq_init(g[k]);
        if (!cp->hours[k].given)
            continue;
        mpq_set(g[k], cp->hours[k].amount);
        mpq_t div;
        mpq_init(div);
        mpq_set_si(div, cp->hours[k].per_week ? 7 : x->g->periods[pi].days, 1);
        mpq_div(g[k], g[k], div);
        mpq_clear(div);
    }
    billable_of(out, (const mpq_t *)g, bm->factor_vantetid, x->fb[pi][mi], x->has_fb[pi][mi]);
    for (int k = 0; k < BPA_SE_KINDS; k++)
        mpq_clear(g[k]);
}

static size_t month_index(const bpa_se_settle_period *p, bpa_date d)
{
    int y = bpa_date_year(d), m = bpa_date_month(d);
    for (size_t i = 0; i < p->nmonths; i++)
        if (p->months[i].year == y && p->months[i].month == m)
            return i;
    return 0;
}

/* se.cap_unit week: ISO weeks cut by the period; each week's granted
 * billable hours are the sum of its days'; capped hours are taken day by
 * day in date order. */
static bpa_status cap_weeks(sctx *x, size_t pi)
{
    bpa_se_settle_period *p = &x->s->periods[pi];
    mpq_t cap, day, used[BPA_SE_KINDS], b, take;
    mpq_inits(cap, day, b, take, NULL);
    for (int k = 0; k < BPA_SE_KINDS; k++)
        mpq_init(used[k]);
    bpa_date week = -1;
    for (size_t i = 0; i < x->npieces;) {
        size_t pj, mj;
        const tr_piece *t = &x->pieces[i];
        if (!month_of_date(x, t->date, &pj, &mj) || pj != pi) {
            i++;
            continue;
        }
        bpa_date d = t->date;
        for (int k = 0; k < BPA_SE_KINDS; k++)
            mpq_set_ui(used[k], 0, 1);
        for (; i < x->npieces && x->pieces[i].date == d; i++)
            mpq_set_si(take, x->pieces[i].minutes, 60), mpq_canonicalize(take),
                mpq_add(used[x->pieces[i].kind], used[x->pieces[i].kind], take);
        if (monday_of(d) != week) {
            week = monday_of(d);
            mpq_set_ui(cap, 0, 1);
            for (bpa_date w = week; w < week + 7; w++) {
                if (w < p->from || w > p->to)
                    continue;
                day_granted(x, pi, month_index(p, w), day);
                mpq_add(cap, cap, day);
            }
        }
        bpa_se_settle_month *m = &p->months[mj];
        billable_of(b, (const mpq_t *)used, x->g->periods[pi].months[mj].factor_vantetid,
                    x->fb[pi][mj], x->has_fb[pi][mj]);
        if (mpq_cmp(b, cap) <= 0)
            mpq_set(take, b);
        else
            mpq_set(take, cap);
        mpq_sub(cap, cap, take);
        mpq_add(m->capped, m->capped, take);
    }
    mpq_clears(cap, day, b, take, NULL);
    for (int k = 0; k < BPA_SE_KINDS; k++)
        mpq_clear(used[k]);
    return BPA_OK;
}

static bool period_has_payment(sctx *x, size_t pi)
{
    for (size_t m = 0; m < x->s->periods[pi].nmonths; m++)
        if (x->s->periods[pi].months[m].npayments)
            return true;
    return false;
}

static bpa_status payments(sctx *x)
{
    const bpa_se_usage *u = x->u;
    for (size_t i = 0; i < u->npayments; i++) {
        const bpa_se_payment_row *r = &u->payments[i];
        size_t pi[2], mi[2];
        char ym[8];
        bpa_month_format(r->year, r->month, ym);
        size_t n = months_of(x, ym_of(r->year, r->month), pi, mi);
        if (n == 0)
            return fail_at(x, &r->src,
                           "the payment is for %s, which no grant period of the case covers: "
                           "give the month it pays as \"month\"",
                           ym);
        if (n >= 2)
            return fail_at(x, &r->src,
                           "the payment is for %s, which %s grant periods share, so it cannot "
                           "be told which period it pays; give the periods' payments for months "
                           "of one period only",
                           ym, n == 2 ? "two" : "several");
        bpa_se_settle_period *p = &x->s->periods[pi[0]];
        if (p->payment != BPA_SE_FORSKOTT)
            continue; /* efterskott: paid is the month amount (docs/decisions.md) */
        bpa_se_settle_month *m = &p->months[mi[0]];
        if (!m->npayments)
            mpq_set_ui(m->paid, 0, 1);
        m->npayments++;
        m->paid_by_payments = true;
        mpq_add(m->paid, m->paid, r->amount);
    }
    return BPA_OK;
}

static bpa_status settle_periods(sctx *x)
{
    bpa_se_settlement *s = x->s;
    const bpa_se_grant *g = x->g;
    for (size_t pi = 0; pi < s->nperiods; pi++) {
        bpa_se_settle_period *p = &s->periods[pi];
        const bpa_se_budget_period *bp = &g->periods[pi];
        const bpa_se_period *cp = &x->c->se->periods[bp->period];
        /* billable hours per month; beredskap's factor when the month uses it */
        for (size_t mi = 0; mi < p->nmonths; mi++) {
            bpa_se_settle_month *m = &p->months[mi];
            if (mpq_sgn(m->used[2]) != 0)
                TRY(need_fb(x, pi, mi));
            billable_of(m->billable, (const mpq_t *)m->used, bp->months[mi].factor_vantetid,
                        x->fb[pi][mi], x->has_fb[pi][mi]);
        }
        if (p->cap_unit == BPA_SE_CAP_WEEK) {
            /* every day's factors, also of months without beredskap hours */
            if (cp->hours[2].given)
                for (size_t mi = 0; mi < p->nmonths; mi++)
                    TRY(need_fb(x, pi, mi));
            TRY(cap_weeks(x, pi));
        }
        mpq_t remaining;
        mpq_init(remaining);
        mpq_set(remaining, bp->billable);
        for (size_t mi = 0; mi < p->nmonths; mi++) {
            bpa_se_settle_month *m = &p->months[mi];
            const bpa_se_budget_month *bm = &bp->months[mi];
            if (p->cap_unit == BPA_SE_CAP_MONTH) {
                mpq_set(m->capped, mpq_cmp(m->billable, m->granted_billable) <= 0
                                       ? m->billable
                                       : m->granted_billable);
            } else if (p->cap_unit == BPA_SE_CAP_PERIOD) {
                mpq_set(m->cap_left, remaining);
                mpq_set(m->capped, mpq_cmp(m->billable, remaining) <= 0 ? m->billable
                                                                         : remaining);
                mpq_sub(remaining, remaining, m->capped);
            }
            mpq_sub(m->not_paid, m->billable, m->capped);
            m->has_factor_beredskap = x->has_fb[pi][mi];
            mpq_set(m->factor_beredskap, x->fb[pi][mi]);
            mpq_mul(m->exact, m->capped, m->rate);
            bpa_round(m->amount, m->exact, m->mode); /* R3 */
            if (p->payment == BPA_SE_EFTERSKOTT)
                mpq_set(m->paid, m->amount);
            else if (!m->paid_by_payments)
                mpq_set(m->paid, bm->amount);
            for (int k = 0; k < BPA_SE_KINDS; k++)
                mpq_add(p->used[k], p->used[k], m->used[k]);
            mpq_add(p->billable, p->billable, m->billable);
            mpq_add(p->granted_billable, p->granted_billable, m->granted_billable);
            mpq_add(p->capped, p->capped, m->capped);
            mpq_add(p->not_paid_hours, p->not_paid_hours, m->not_paid);
            mpq_add(p->amount, p->amount, m->amount);
            mpq_add(p->paid, p->paid, m->paid);
            bpa_trace_entry *e = bpa_trace_begin(&s->trace, BPA_TRACE_SE_SETTLE_MONTH);
            bpa_trace_month(&s->trace, e, "month", m->year, m->month);
            for (int k = 0; k < BPA_SE_KINDS; k++)
                bpa_trace_q(&s->trace, e, BPA_OP_HOURS, bpa_kind_name(BPA_KIND_AKTIV + k), m->used[k]);
            bpa_trace_q(&s->trace, e, BPA_OP_NUMBER, "factor_vantetid", bm->factor_vantetid);
            if (x->has_fb[pi][mi])
                bpa_trace_q(&s->trace, e, BPA_OP_NUMBER, "factor_beredskap", x->fb[pi][mi]);
            bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "billable", m->billable);
            bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "granted", m->granted_billable);
            bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "capped", m->capped);
            bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "not_paid", m->not_paid);
            bpa_trace_q(&s->trace, e, BPA_OP_RATE, "rate", m->rate);
            bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "exact", m->exact);
            bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "amount", m->amount);
            bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "paid", m->paid);
            bpa_trace_count(&s->trace, e, "payments", (long)m->npayments);
            bpa_trace_count(&s->trace, e, "forskott", p->payment == BPA_SE_FORSKOTT);
        }
        mpq_clear(remaining);
        mpq_sub(p->balance, p->paid, p->amount);
        p->direction = mpq_sgn(p->balance) > 0 ? BPA_REPAY
                       : mpq_sgn(p->balance) < 0 ? BPA_PAY_OUT
                                                 : BPA_SETTLED;
        mpq_add(s->balance, s->balance, p->balance);
        mpq_add(s->amount, s->amount, p->amount);
        mpq_add(s->paid, s->paid, p->paid);
        mpq_add(s->not_paid_hours, s->not_paid_hours, p->not_paid_hours);
        bpa_trace_entry *e = bpa_trace_begin(&s->trace, BPA_TRACE_SE_SETTLE_PERIOD);
        bpa_trace_period(&s->trace, e, "period", p->from, p->to);
        bpa_trace_string(&s->trace, e, BPA_OP_WORD, "cap_unit", bpa_se_cap_unit_name(p->cap_unit));
        bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "billable", p->billable);
        bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "capped", p->capped);
        bpa_trace_q(&s->trace, e, BPA_OP_HOURS, "not_paid", p->not_paid_hours);
        bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "amount", p->amount);
        bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "paid", p->paid);
        bpa_trace_q(&s->trace, e, BPA_OP_AMOUNT, "balance", p->balance);
        bpa_trace_string(&s->trace, e, BPA_OP_WORD, "direction", bpa_direction_name(p->direction));
        bpa_trace_date(&s->trace, e, "due", p->slutavrakning_due);
        /* warnings */
        if (p->payment == BPA_SE_FORSKOTT && !period_has_payment(x, pi)) {
            bpa_trace_entry *w = bpa_warning_begin(&s->warnings, BPA_WARN_SE_NO_PAYMENTS);
            bpa_trace_period(&s->warnings.ops, w, "period", p->from, p->to);
            bpa_trace_string(&s->warnings.ops, w, BPA_OP_TEXT, "usage", base_name(x->u->file));
        }
        for (int k = 0; k < BPA_SE_KINDS; k++)
            if (mpq_sgn(p->used[k]) > 0 && !cp->hours[k].given) {
                bpa_trace_entry *w = bpa_warning_begin(&s->warnings, BPA_WARN_SE_NOT_GRANTED);
                bpa_trace_string(&s->warnings.ops, w, BPA_OP_WORD, "kind", bpa_kind_name(BPA_KIND_AKTIV + k));
                bpa_trace_q(&s->warnings.ops, w, BPA_OP_HOURS, "hours", p->used[k]);
                bpa_trace_period(&s->warnings.ops, w, "period", p->from, p->to);
            }
    }
    s->direction = mpq_sgn(s->balance) > 0 ? BPA_REPAY
                   : mpq_sgn(s->balance) < 0 ? BPA_PAY_OUT
                                             : BPA_SETTLED;
    return BPA_OK;
}

/* Per month with tidsredovisningar, in month order: their hours against the
 * räkning months' hours from time reports. */
static bpa_status check_reports(sctx *x)
{
    bpa_se_settlement *s = x->s;
    s->report_checks = bpa_calloc(s->ntidsredovisningar ? s->ntidsredovisningar : 1,
                                  sizeof *s->report_checks);
    if (!s->report_checks)
        return nomem(x);
    int prev = -1;
    for (;;) {
        int ym = -1; /* the next month after prev */
        for (size_t j = 0; j < s->ntidsredovisningar; j++) {
            int v = ym_of(s->tidsredovisningar[j].year, s->tidsredovisningar[j].month);
            if (v > prev && (ym < 0 || v < ym))
                ym = v;
        }
        if (ym < 0)
            return BPA_OK;
        prev = ym;
        bpa_se_report_check *c = &s->report_checks[s->nreport_checks++];
        c->year = ym / 12;
        c->month = ym % 12 + 1;
        c->agree = true;
        for (int k = 0; k < BPA_SE_KINDS; k++) {
            mpq_inits(c->reports[k], c->rakning[k], NULL);
            for (size_t j = 0; j < s->ntidsredovisningar; j++)
                if (s->tidsredovisningar[j].year == c->year &&
                    s->tidsredovisningar[j].month == c->month)
                    mpq_add(c->reports[k], c->reports[k], s->tidsredovisningar[j].hours[k]);
            for (size_t pi = 0; pi < s->nperiods; pi++)
                for (size_t mi = 0; mi < s->periods[pi].nmonths; mi++) {
                    const bpa_se_settle_month *m = &s->periods[pi].months[mi];
                    if (m->year == c->year && m->month == c->month)
                        mpq_add(c->rakning[k], c->rakning[k], m->reported[k]);
                }
            c->agree &= mpq_equal(c->reports[k], c->rakning[k]) != 0;
        }
    }
}

/* ---- receipts --------------------------------------------------------------- */

static bpa_status receipts(sctx *x)
{
    bpa_se_settlement *s = x->s;
    const bpa_se_usage *u = x->u;
    s->receipts = bpa_calloc(u->nexpenses ? u->nexpenses : 1, sizeof *s->receipts);
    if (!s->receipts)
        return nomem(x);
    for (size_t i = 0; i < u->nexpenses; i++) {
        const bpa_se_receipt *r = &u->expenses[i];
        bpa_se_receipt_result *rr = &s->receipts[i];
        mpq_inits(rr->cap, rr->reimbursable, rr->not_reimbursable, NULL);
        s->nreceipts++;
        rr->receipt = i;
        rr->cap_read = BPA_NO_PARAM;
        char name[160];
        snprintf(name, sizeof name, "se.expense.cap.%s", r->category);
        const bpa_param_entry *e = NULL;
        const bpa_value *v = bpa_policy_get(x->p, name, r->date, &e);
        if (!v) {
            char day[11];
            bpa_date_format(r->date, day);
            return bpa_error_set(
                x->err, BPA_E_POLICY, bpa_policy_file(x->p), 0, 0, NULL,
                "the receipt at %s:%u:%u (%s) has category \"%s\", but the policy has no %s "
                "on %s: add it to the policy's parameters, e.g. \"%s\": [{\"from\": \"%s\", "
                "\"value\": \"100\"}], or \"value\": \"none\" for no cap",
                base_name(u->file), r->src.line, r->src.column, r->src.path, r->category,
                name, day, name, day);
        }
        TRY(record_param(x, name, e, v, r->date, &rr->cap_read));
        rr->capped = !v->flag;
        if (rr->capped)
            mpq_set(rr->cap, v->q);
        if (!rr->capped || mpq_cmp(r->amount, rr->cap) <= 0 || r->approved) {
            mpq_set(rr->reimbursable, r->amount);
        } else {
            mpq_set(rr->reimbursable, rr->cap);
            mpq_sub(rr->not_reimbursable, r->amount, rr->cap);
        }
        mpq_add(s->reimbursable, s->reimbursable, rr->reimbursable);
        mpq_add(s->receipts_amount, s->receipts_amount, r->amount);
        mpq_add(s->not_reimbursable, s->not_reimbursable, rr->not_reimbursable);
        bpa_trace_entry *t = bpa_trace_begin(&s->trace, BPA_TRACE_SE_RECEIPT);
        bpa_trace_date(&s->trace, t, "date", r->date);
        bpa_trace_string(&s->trace, t, BPA_OP_TEXT, "category", r->category);
        bpa_trace_q(&s->trace, t, BPA_OP_AMOUNT, "amount", r->amount);
        if (rr->capped)
            bpa_trace_q(&s->trace, t, BPA_OP_AMOUNT, "cap", rr->cap);
        if (r->approved)
            bpa_trace_string(&s->trace, t, BPA_OP_TEXT, "approved", r->approved);
        bpa_trace_q(&s->trace, t, BPA_OP_AMOUNT, "reimbursable", rr->reimbursable);
        bpa_trace_q(&s->trace, t, BPA_OP_AMOUNT, "not_reimbursable", rr->not_reimbursable);
    }
    return BPA_OK;
}

/* ---- the whole ----------------------------------------------------------------- */

static void ctx_release(sctx *x)
{
    for (size_t i = 0; i < x->nhelpers; i++)
        free(x->helpers[i]);
    free(x->helpers);
    free(x->pieces);
    free(x->sm);
    if (x->fb) {
        for (size_t i = 0; x->s && i < x->s->nperiods; i++) {
            if (x->fb[i])
                for (size_t m = 0; m < x->s->periods[i].nmonths; m++)
                    mpq_clear(x->fb[i][m]);
            free(x->fb[i]);
            free(x->has_fb[i]);
        }
    }
    free(x->fb);
    free(x->has_fb);
}

bpa_status bpa_se_settle(bpa_se_settlement **out, const bpa_se_grant *grant,
                         const bpa_se_usage *usage, bpa_error *err)
{
    *out = NULL;
    if (!grant || !usage || !grant->kase || !grant->kase->se)
        return bpa_error_set(err, BPA_E_USAGE, NULL, 0, 0, NULL,
                             "bpa_se_settle needs a Swedish budget and usage");
    sctx x;
    memset(&x, 0, sizeof x);
    x.g = grant;
    x.c = grant->kase;
    x.u = usage;
    x.p = grant->policy;
    x.err = err;
    if (usage->case_id && strcmp(usage->case_id, x.c->id) != 0) {
        return bpa_error_set(err, BPA_E_INPUT, usage->file, usage->case_src.line,
                             usage->case_src.column, usage->case_src.path,
                             "the usage file is for case \"%s\", but the case file is \"%s\"",
                             usage->case_id, x.c->id);
    }
    if (usage->has_year && usage->year != x.c->year)
        return bpa_error_set(err, BPA_E_INPUT, usage->file, 0, 0, "$.year",
                             "the usage file's year %d is not the case year %d; leave \"year\" "
                             "out or give %d",
                             usage->year, x.c->year, x.c->year);
    bpa_se_settlement *s = bpa_calloc(1, sizeof *s);
    if (!s)
        return nomem(&x);
    x.s = s;
    s->grant = grant;
    s->usage = usage;
    mpq_inits(s->amount, s->paid, s->balance, s->receipts_amount, s->reimbursable,
              s->not_reimbursable, s->not_paid_hours, s->kommun_hours, s->kommun_amount, NULL);
    for (int k = 0; k < BPA_SE_KINDS; k++)
        mpq_init(s->outside[k]);
    bpa_status st = build_periods(&x);
    if (st == BPA_OK)
        st = used_rows(&x);
    if (st == BPA_OK)
        st = read_reports(&x);
    if (st == BPA_OK)
        st = distribute_reports(&x);
    if (st == BPA_OK)
        st = payments(&x);
    if (st == BPA_OK)
        st = settle_periods(&x);
    if (st == BPA_OK)
        st = check_reports(&x);
    if (st == BPA_OK)
        st = receipts(&x);
    if (st == BPA_OK) { /* the budget's parameters, then the avräkning's own */
        bpa_warnings_params(&s->warnings, x.p, grant->used, grant->nused);
        bpa_warnings_params(&s->warnings, x.p, s->used, s->nused);
    }
    if (st == BPA_OK && (s->trace.failed || s->warnings.ops.failed))
        st = nomem(&x);
    ctx_release(&x);
    if (st != BPA_OK) {
        bpa_se_settle_free(s);
        return st;
    }
    *out = s;
    return BPA_OK;
}

void bpa_se_settle_free(bpa_se_settlement *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nperiods; i++) {
        bpa_se_settle_period *p = &s->periods[i];
        for (size_t m = 0; m < p->nmonths; m++)
            month_clears(&p->months[m]);
        free(p->months);
        period_clears(p);
    }
    free(s->periods);
    mpq_clears(s->amount, s->paid, s->balance, s->receipts_amount, s->reimbursable,
               s->not_reimbursable, s->not_paid_hours, s->kommun_hours, s->kommun_amount, NULL);
    for (int k = 0; k < BPA_SE_KINDS; k++)
        mpq_clear(s->outside[k]);
    for (size_t i = 0; i < s->nreceipts; i++)
        mpq_clears(s->receipts[i].cap, s->receipts[i].reimbursable,
                   s->receipts[i].not_reimbursable, NULL);
    free(s->receipts);
    for (size_t i = 0; i < s->ntidsredovisningar; i++) {
        for (int k = 0; k < BPA_SE_KINDS; k++)
            mpq_clear(s->tidsredovisningar[i].hours[k]);
        mpq_clear(s->tidsredovisningar[i].total);
        free(s->tidsredovisningar[i].helper);
    }
    free(s->tidsredovisningar);
    for (size_t i = 0; i < s->nreport_checks; i++)
        for (int k = 0; k < BPA_SE_KINDS; k++)
            mpq_clears(s->report_checks[i].reports[k], s->report_checks[i].rakning[k], NULL);
    free(s->report_checks);
    for (size_t i = 0; i < s->nlisted_apart; i++)
        mpq_clear(s->listed_apart[i].hours);
    free(s->listed_apart);
    bpa_se_worktime_free(s->worktime, s->nworktime);
    free(s->timesheet_sha256);
    bpa_used_release(s->used, s->nused);
    bpa_trace_release(&s->trace);
    bpa_warnings_release(&s->warnings);
    free(s);
}
