/* The Danish grant (see include/bpa/grant.h, RULES.md section 7). */
#include "core/alloc.h"
#include "bpa/grant.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/calendar.h"
#include "core/array.h"
#include "core/strutil.h"
#include "trace/params_read.h"
#include "trace/trace_build.h"
#include "trace/warning_build.h"

#define TRY(expr)                                                                      \
    do {                                                                               \
        bpa_status st_ = (expr);                                                       \
        if (st_ != BPA_OK)                                                             \
            return st_;                                                                \
    } while (0)

#define MAX_CUTS 512

static const char *const rule_names[] = {"wages", "per_helper", "admin", "payroll_admin_cap",
                                         "allowance", "hourly_cap_reduction"};

const char *bpa_line_rule_name(bpa_line_rule r) { return rule_names[r]; }

typedef struct ctx {
    bpa_grant *g;
    const bpa_case *c;
    const bpa_policy *p;
    bpa_error *err;
    bpa_strpool pool; /* scratch strings for messages */
    size_t last_read; /* the record of the parameter need/opt read last (BPA_NO_PARAM: none) */
} ctx;

static bpa_status nomem(ctx *x)
{
    return bpa_error_set(x->err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
}


/* ---- value text ------------------------------------------------------------ */

char *bpa_value_text(const bpa_value *v)
{
    bpa_strbuf b;
    bpa_strbuf_init(&b);
    switch (v->shape) {
    case BPA_SHAPE_DECIMAL:
    case BPA_SHAPE_FACTOR:
    case BPA_SHAPE_WAGE:
        bpa_strbuf_addq(&b, v->q);
        break;
    case BPA_SHAPE_CAP:
        if (v->flag)
            bpa_strbuf_add(&b, "none");
        else
            bpa_strbuf_addq(&b, v->q);
        break;
    case BPA_SHAPE_SUPPLEMENT:
        bpa_strbuf_add(&b, v->flag ? "" : "kr ");
        bpa_strbuf_addq(&b, v->q);
        if (v->flag)
            bpa_strbuf_add(&b, " %");
        break;
    case BPA_SHAPE_ENUM:
        bpa_strbuf_add(&b, v->name ? v->name : "?");
        break;
    case BPA_SHAPE_COUNT:
        bpa_strbuf_addf(&b, "%ld", v->i);
        break;
    case BPA_SHAPE_BOOL:
        bpa_strbuf_add(&b, v->flag ? "true" : "false");
        break;
    case BPA_SHAPE_LEVELED:
        bpa_strbuf_addq(&b, v->q);
        bpa_strbuf_addf(&b, " at %ld level", v->i);
        break;
    case BPA_SHAPE_INDEX:
        for (size_t i = 0; i < v->nseries; i++) {
            bpa_strbuf_addf(&b, "%s%d: ", i ? ", " : "", v->series[i].year);
            bpa_strbuf_addq(&b, v->series[i].value);
        }
        break;
    case BPA_SHAPE_ADDONS:
        if (!v->naddons)
            bpa_strbuf_add(&b, "none");
        for (size_t i = 0; i < v->naddons; i++) {
            const bpa_addon *a = &v->addons[i];
            bpa_strbuf_addf(&b, "%s%s ", i ? "; " : "", a->name);
            bpa_strbuf_addq(&b, a->value);
            bpa_strbuf_add(&b, a->type == BPA_ADDON_PCT
                                   ? (a->on_wage_and_supplement ? " % of wage and supplement"
                                                                : " % of wage")
                               : a->type == BPA_ADDON_KR_PER_HOUR ? " kr per hour"
                                                                  : " kr per helper and year");
        }
        break;
    case BPA_SHAPE_WINDOWS:
        for (int band = 0; band < BPA_BAND_COUNT; band++)
            for (size_t i = 0; i < v->nwindows[band]; i++) {
                char f[6], t[6];
                bpa_clock_format(v->windows[band][i].from, f);
                bpa_clock_format(v->windows[band][i].to, t);
                bpa_strbuf_addf(&b, "%s%s %s-%s", b.len ? "; " : "", bpa_band_name(band), f, t);
            }
        break;
    case BPA_SHAPE_PRECEDENCE:
        for (int i = 0; i < 5; i++)
            bpa_strbuf_addf(&b, "%s%s", i ? ", " : "", bpa_band_name(v->precedence[i]));
        break;
    case BPA_SHAPE_HOLIDAYS:
        for (size_t i = 0; i < v->nextras; i++) {
            const bpa_holiday_extra *h = &v->extras[i];
            char f[6];
            bpa_clock_format(h->from, f);
            if (h->year)
                bpa_strbuf_addf(&b, "%s%04d-%02d-%02d from %s", i ? "; " : "", h->year, h->month,
                                h->day, f);
            else
                bpa_strbuf_addf(&b, "%s%02d-%02d from %s", i ? "; " : "", h->month, h->day, f);
        }
        break;
    case BPA_SHAPE_MONTHDAY:
        bpa_strbuf_addf(&b, "%02ld-%02ld", v->i / 100, v->i % 100);
        break;
    }
    return bpa_strbuf_detach(&b);
}

/* ---- policy access, recording what was read ------------------------------- */

static bpa_status record(ctx *x, const char *name, bpa_date day, const bpa_param_entry *entry,
                         const bpa_value *v)
{
    return bpa_used_record(&x->g->used, &x->g->nused, name, day, entry, v, &x->last_read, x->err);
}

static bpa_status need(ctx *x, const char *name, bpa_date d, const bpa_value **v)
{
    const bpa_param_entry *e = NULL;
    TRY(bpa_policy_need(x->p, name, d, v, &e, x->err));
    return record(x, name, d, e, *v);
}

static bpa_status opt(ctx *x, const char *name, bpa_date d, const bpa_value **v)
{
    const bpa_param_entry *e = NULL;
    *v = bpa_policy_get(x->p, name, d, &e);
    x->last_read = BPA_NO_PARAM;
    return *v ? record(x, name, d, e, *v) : BPA_OK;
}

/* ---- trace ----------------------------------------------------------------- */

/* After an entry is written: the trace's allocation failure, once. */
static bpa_status traced(ctx *x) { return x->g->trace.failed ? nomem(x) : BPA_OK; }

/* Scratch text of a number: "12.3333 (37/3)" when not exact at 6 decimals. */
static const char *Q(ctx *x, const mpq_t v) { return bpa_strpool_q(&x->pool, v); }
static const char *D(ctx *x, bpa_date d)
{
    char buf[11];
    bpa_date_format(d, buf);
    return bpa_strpool_add(&x->pool, buf);
}
#define F(...) bpa_strpool_fmt(&x->pool, __VA_ARGS__)

/* ---- segments (7.1) -------------------------------------------------------- */

/* The names of the parameters a decision reads: as many as it has steps
 * and bands (allocation failure is sticky: see names_failed). */
typedef struct names {
    char **name;
    size_t n, cap;
    bool failed;
} names;

static void names_add(names *ns, const char *fmt, ...)
{
    char buf[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < ns->n; i++)
        if (strcmp(ns->name[i], buf) == 0)
            return;
    char *copy = bpa_strdup(buf);
    if (!copy || !bpa_array_reserve((void **)&ns->name, ns->n, sizeof *ns->name)) {
        free(copy);
        ns->failed = true;
        return;
    }
    ns->name[ns->n++] = copy;
}

static bool names_has(const names *ns, const char *name)
{
    for (size_t i = 0; i < ns->n; i++)
        if (strcmp(ns->name[i], name) == 0)
            return true;
    return false;
}

static void names_release(names *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free(ns->name[i]);
    free(ns->name);
}

static bool trip_touches(const bpa_trip *t, bpa_date from, bpa_date to)
{
    bpa_date last = t->from + (bpa_date)t->days - 1;
    return t->from <= to && last >= from;
}

/* Whether a boolean parameter is true on any day of [from, to]. */
static bool bool_any(const bpa_policy *p, const char *name, bpa_date from, bpa_date to)
{
    const bpa_value *v = bpa_policy_get(p, name, from, NULL);
    if (v && v->flag)
        return true;
    bpa_date cuts[MAX_CUTS];
    size_t n = 0;
    bpa_policy_changes(p, name, from, to, cuts, &n, MAX_CUTS);
    for (size_t i = 0; i < n; i++) {
        v = bpa_policy_get(p, name, cuts[i], NULL);
        if (v && v->flag)
            return true;
    }
    return false;
}

static const char *task_param(bpa_task t)
{
    return t == BPA_TASK_PRACTICAL ? "dk94.step.practical" : "dk94.step.personal_care";
}

/* Every step a section 94 task takes during [from, to]. */
static bpa_status dk94_steps(ctx *x, bpa_task task, bpa_date from, bpa_date to, names *ns)
{
    bpa_date cuts[MAX_CUTS];
    size_t n = 0;
    cuts[n++] = from;
    bpa_policy_changes(x->p, task_param(task), from, to, cuts, &n, MAX_CUTS);
    for (size_t i = 0; i < n; i++) {
        const bpa_value *v;
        TRY(need(x, task_param(task), cuts[i], &v));
        names_add(ns, "wage.hourly.%ld", v->i);
    }
    return BPA_OK;
}

/* The parameters a decision reads (7.1 and the segments fine point of 12). */
/* The parameters a decision reads (ns), and apart (oc) the band
 * supplements only its on-call lines and trips read: those are read only on
 * days when on_call.supplements is true, so only there does a change cut a
 * segment (RULES.md 7.1 and 12). */
static bpa_status decision_reads(ctx *x, const bpa_decision *d, names *ns, names *oc)
{
    const bpa_case *c = x->c;
    bool dk94 = c->scheme == BPA_SCHEME_DK_SEL_94;
    names_add(ns, "hours.basis");
    names_add(ns, "rounding.mode");
    names_add(ns, "rounding.rate_components");
    names_add(ns, "addons");
    names_add(ns, "hourly_cap");
    bool on_call = false;
    for (size_t i = 0; i < d->nlines; i++)
        if (d->lines[i].kind == BPA_KIND_ON_CALL)
            on_call = true;
    for (size_t t = 0; t < c->dk->ntrips; t++)
        if (trip_touches(&c->dk->trips[t], d->from, d->to) && c->dk->trips[t].kind == BPA_KIND_ON_CALL)
            on_call = true;
    bool oc_supp = on_call && bool_any(x->p, "on_call.supplements", d->from, d->to);
    for (size_t i = 0; i < d->nlines; i++) {
        const bpa_hours_line *l = &d->lines[i];
        if (dk94) {
            names_add(ns, "%s", task_param(l->task));
            TRY(dk94_steps(x, l->task, d->from, d->to, ns));
        } else {
            names_add(ns, "wage.hourly.%d", l->step);
        }
        if (l->band_given && l->band != BPA_BAND_DAY && (l->kind == BPA_KIND_WORK || oc_supp))
            names_add(l->kind == BPA_KIND_WORK ? ns : oc, "supplement.%s",
                      bpa_band_name(l->band));
    }
    for (size_t t = 0; t < c->dk->ntrips; t++) {
        const bpa_trip *tr = &c->dk->trips[t];
        if (!trip_touches(tr, d->from, d->to))
            continue;
        names_add(ns, "wage.hourly.%d", tr->step);
        if (tr->band_given && tr->band != BPA_BAND_DAY && (tr->kind == BPA_KIND_WORK || oc_supp))
            names_add(tr->kind == BPA_KIND_WORK ? ns : oc, "supplement.%s",
                      bpa_band_name(tr->band));
    }
    if (on_call) {
        names_add(ns, "on_call.fraction");
        names_add(ns, "on_call.supplements");
    }
    if (!dk94 && c->dk->employer == BPA_EMPLOYER_TRANSFERRED) {
        names_add(ns, "admin.transferred.per_hour");
        names_add(ns, "admin.transferred.hours");
        names_add(ns, "index.series");
    } else if (!dk94 && c->dk->employer == BPA_EMPLOYER_PAYROLL_ASSOCIATION) {
        names_add(ns, "admin.payroll.per_helper_year");
        names_add(ns, "index.series");
    }
    return BPA_OK;
}

static int date_cmp(const void *a, const void *b)
{
    bpa_date x = *(const bpa_date *)a, y = *(const bpa_date *)b;
    return (x > y) - (x < y);
}

/* ---- rates (7.2) ------------------------------------------------------------ */

typedef struct seg_cat {
    bpa_category cat;
    mpq_t hours;
    size_t rate;
    bpa_hours_term *terms; /* moved into the wage line */
    size_t nterms, cap_terms;
} seg_cat;

static void rate_clear(bpa_rate *r)
{
    mpq_clear(r->wage);
    mpq_clear(r->fraction);
    mpq_clear(r->supplement_param);
    mpq_clear(r->base);
    mpq_clear(r->supplement);
    mpq_clear(r->hourly);
    for (size_t i = 0; i < r->naddons; i++) {
        mpq_clear(r->addons[i].param);
        mpq_clear(r->addons[i].amount);
    }
    free(r->addons);
}

static void rate_init(bpa_rate *r)
{
    memset(r, 0, sizeof *r);
    mpq_inits(r->wage, r->fraction, r->supplement_param, r->base, r->supplement, r->hourly, NULL);
}

static bool rate_same(const bpa_rate *a, const bpa_rate *b)
{
    if (!bpa_category_equal(&a->category, &b->category) || !mpq_equal(a->wage, b->wage) ||
        !mpq_equal(a->fraction, b->fraction) || !mpq_equal(a->base, b->base) ||
        !mpq_equal(a->supplement, b->supplement) || !mpq_equal(a->hourly, b->hourly) ||
        a->naddons != b->naddons || a->supplement_pct != b->supplement_pct || a->mode != b->mode ||
        !mpq_equal(a->supplement_param, b->supplement_param))
        return false;
    for (size_t i = 0; i < a->naddons; i++)
        if (strcmp(a->addons[i].name, b->addons[i].name) != 0 ||
            !mpq_equal(a->addons[i].amount, b->addons[i].amount))
            return false;
    return true;
}

static bpa_status compute_rate(ctx *x, const bpa_category *cat, const bpa_segment *seg,
                               bpa_rate *r)
{
    char name[48];
    const bpa_value *v;
    bpa_date day = seg->from;
    bool rc = seg->components_read != BPA_NO_PARAM && x->g->used[seg->components_read].v->flag;
    bpa_rounding mode = seg->mode;
    r->category = *cat;
    r->mode = mode;
    r->rounding_read = seg->rounding_read;
    r->components_read = seg->components_read;
    r->fraction_read = r->supplement_read = BPA_NO_PARAM;
    snprintf(name, sizeof name, "wage.hourly.%d", cat->step);
    TRY(need(x, name, day, &v));
    r->wage_read = x->last_read;
    mpq_set(r->wage, v->q);
    mpq_set_ui(r->fraction, 1, 1);
    if (cat->kind == BPA_KIND_ON_CALL) {
        TRY(need(x, "on_call.fraction", day, &v));
        r->fraction_read = x->last_read;
        mpq_set(r->fraction, v->q);
    }
    mpq_mul(r->base, r->wage, r->fraction);
    mpq_set_ui(r->supplement, 0, 1);
    r->has_supplement = cat->band != BPA_BAND_DAY && cat->band != BPA_BAND_ANY;
    if (r->has_supplement) {
        snprintf(name, sizeof name, "supplement.%s", bpa_band_name(cat->band));
        TRY(need(x, name, day, &v));
        r->supplement_read = x->last_read;
        r->supplement_pct = v->flag;
        mpq_set(r->supplement_param, v->q);
        if (v->flag) {
            mpq_t hundred;
            mpq_init(hundred);
            mpq_set_ui(hundred, 100, 1);
            mpq_mul(r->supplement, r->wage, v->q);
            mpq_div(r->supplement, r->supplement, hundred);
            mpq_clear(hundred);
        } else {
            mpq_set(r->supplement, v->q);
        }
    }
    r->round_components = rc;
    if (rc) { /* R1 */
        bpa_round(r->base, r->base, mode);
        bpa_round(r->supplement, r->supplement, mode);
    }
    mpq_add(r->hourly, r->base, r->supplement);
    TRY(need(x, "addons", day, &v));
    r->addons_read = x->last_read;
    size_t per_hour = 0;
    for (size_t i = 0; i < v->naddons; i++)
        if (v->addons[i].type != BPA_ADDON_KR_PER_HELPER_YEAR)
            per_hour++;
    r->addons = bpa_calloc(per_hour ? per_hour : 1, sizeof *r->addons);
    if (!r->addons)
        return nomem(x);
    for (size_t i = 0; i < v->naddons; i++) {
        const bpa_addon *a = &v->addons[i];
        if (a->type == BPA_ADDON_KR_PER_HELPER_YEAR)
            continue;
        bpa_rate_addon *ra = &r->addons[r->naddons++];
        mpq_inits(ra->param, ra->amount, NULL);
        ra->name = a->name;
        ra->type = a->type;
        ra->on_wage_and_supplement = a->on_wage_and_supplement;
        mpq_set(ra->param, a->value);
        if (a->type == BPA_ADDON_PCT) {
            mpq_set(ra->amount, r->base);
            if (a->on_wage_and_supplement)
                mpq_add(ra->amount, ra->amount, r->supplement);
            mpq_mul(ra->amount, ra->amount, a->value);
            mpq_t hundred;
            mpq_init(hundred);
            mpq_set_ui(hundred, 100, 1);
            mpq_div(ra->amount, ra->amount, hundred);
            mpq_clear(hundred);
        } else {
            mpq_set(ra->amount, a->value);
        }
        bpa_round(ra->amount, ra->amount, mode); /* R2 */
        mpq_add(r->hourly, r->hourly, ra->amount);
    }
    return BPA_OK;
}

/* Find the rate entry for a category in this segment: extend the previous
 * run when it ends the day before and has equal components. */
static bpa_status rate_for(ctx *x, const bpa_category *cat, const bpa_segment *seg,
                           size_t *index)
{
    bpa_grant *g = x->g;
    bpa_rate fresh;
    rate_init(&fresh);
    bpa_status st = compute_rate(x, cat, seg, &fresh);
    if (st != BPA_OK) {
        rate_clear(&fresh);
        return st;
    }
    for (size_t i = g->nrates; i-- > 0;) {
        bpa_rate *r = &g->rates[i];
        if (bpa_category_equal(&r->category, cat) && r->to + 1 == seg->from &&
            rate_same(r, &fresh)) {
            r->to = seg->to;
            rate_clear(&fresh);
            *index = i;
            return BPA_OK;
        }
    }
    if (!bpa_array_reserve((void **)&g->rates, g->nrates, sizeof *g->rates)) {
        rate_clear(&fresh);
        return nomem(x);
    }
    fresh.from = seg->from;
    fresh.to = seg->to;
    g->rates[g->nrates] = fresh;
    *index = g->nrates++;
    /* trace the tariff computation */
    bpa_rate *r = &g->rates[*index];
    const bpa_used_param *wage_read = &g->used[r->wage_read];
    bpa_trace *t = &g->trace;
    bpa_trace_entry *e = bpa_trace_begin(t, BPA_TRACE_RATE);
    bpa_trace_category(t, e, "category", cat);
    bpa_trace_date(t, e, "from", seg->from);
    bpa_trace_q(t, e, BPA_OP_RATE, "wage", r->wage);
    bpa_trace_param(t, e, "wage_param", wage_read->name, wage_read->entry);
    if (cat->kind == BPA_KIND_ON_CALL)
        bpa_trace_q(t, e, BPA_OP_NUMBER, "fraction", r->fraction);
    if (r->has_supplement)
        bpa_trace_q(t, e, r->supplement_pct ? BPA_OP_PCT : BPA_OP_RATE, "supplement_param",
                    r->supplement_param);
    bpa_trace_string(t, e, BPA_OP_WORD, "round_components", r->round_components ? "yes" : "no");
    bpa_trace_q(t, e, BPA_OP_RATE, "base", r->base);
    bpa_trace_q(t, e, BPA_OP_RATE, "supplement", r->supplement);
    for (size_t i = 0; i < r->naddons; i++) {
        bpa_trace_string(t, e, BPA_OP_TEXT, "addon", r->addons[i].name);
        bpa_trace_q(t, e, BPA_OP_RATE, "addon_amount", r->addons[i].amount);
    }
    bpa_trace_q(t, e, BPA_OP_RATE, "hourly", r->hourly);
    return traced(x);
}

/* ---- lines ------------------------------------------------------------------ */

static bpa_status add_line(ctx *x, bpa_line_rule rule, bpa_date from, bpa_date to,
                           size_t decision, size_t segment, const bpa_category *cat,
                           const char *name, const mpq_t hours, const mpq_t rate,
                           const mpq_t exact, bpa_rounding mode, size_t *index)
{
    bpa_grant *g = x->g;
    if (!bpa_array_reserve((void **)&g->lines, g->nlines, sizeof *g->lines))
        return nomem(x);
    bpa_line *l = &g->lines[g->nlines];
    memset(l, 0, sizeof *l);
    mpq_inits(l->hours, l->rate_value, l->exact, l->amount, l->cost, NULL);
    l->rule = rule;
    l->mode = mode;
    l->indexation = BPA_NO_PARAM;
    l->param_read = BPA_NO_PARAM;
    l->from = from;
    l->to = to;
    l->decision = decision;
    l->segment = segment;
    if (cat) {
        l->has_category = true;
        l->category = *cat;
    }
    l->name = name;
    mpq_set(l->hours, hours);
    mpq_set(l->rate_value, rate);
    mpq_set(l->exact, exact);
    bpa_round(l->amount, exact, mode);
    if (index)
        *index = g->nlines;
    g->nlines++;
    return BPA_OK;
}

/* R4: amount at price level L brought to year Y (7.4), recorded once per
 * leveled entry, series entry and rounding mode in g->indexations; *index
 * gets its record. The leveled value is the one need() read last. */
static bpa_status indexed(ctx *x, const bpa_value *leveled, bpa_date day, int year,
                          bpa_rounding mode, mpq_t out, const char *what, size_t *index)
{
    size_t param_read = x->last_read;
    const bpa_value *series;
    TRY(need(x, "index.series", day, &series));
    size_t series_read = x->last_read;
    bpa_grant *g = x->g;
    for (size_t i = 0; i < g->nindexations; i++) {
        const bpa_indexation *ix = &g->indexations[i];
        if (ix->param_read == param_read && ix->series_read == series_read && ix->mode == mode &&
            ix->year == year) {
            mpq_set(out, ix->indexed);
            *index = i;
            return BPA_OK;
        }
    }
    const mpq_t *iy = NULL, *il = NULL;
    for (size_t i = 0; i < series->nseries; i++) {
        if (series->series[i].year == year)
            iy = &series->series[i].value;
        if (series->series[i].year == leveled->i)
            il = &series->series[i].value;
    }
    if (!iy || !il)
        return bpa_error_set(x->err, BPA_E_POLICY, bpa_policy_file(x->p), 0, 0, "index.series",
                             "index.series has no value for %ld (needed to index %s from %ld "
                             "level to %d)",
                             !il ? leveled->i : (long)year, what, leveled->i, year);
    mpq_mul(out, leveled->q, *iy);
    mpq_div(out, out, *il);
    mpq_t exact;
    mpq_init(exact);
    mpq_set(exact, out);
    bpa_round(out, out, mode);
    if (!bpa_array_reserve((void **)&g->indexations, g->nindexations, sizeof *g->indexations)) {
        mpq_clear(exact);
        return nomem(x);
    }
    bpa_indexation *ix = &g->indexations[g->nindexations];
    *index = g->nindexations++;
    mpq_inits(ix->amount, ix->index_year, ix->index_level, ix->exact, ix->indexed, NULL);
    ix->param_read = param_read;
    ix->series_read = series_read;
    mpq_set(ix->amount, leveled->q);
    ix->level = leveled->i;
    ix->year = year;
    mpq_set(ix->index_year, *iy);
    mpq_set(ix->index_level, *il);
    ix->mode = mode;
    mpq_set(ix->exact, exact);
    mpq_set(ix->indexed, out);
    bpa_trace *t = &x->g->trace;
    bpa_trace_entry *e = bpa_trace_begin(t, BPA_TRACE_INDEX);
    bpa_trace_param(t, e, "param", what, g->used[param_read].entry);
    bpa_trace_count(t, e, "year", year);
    bpa_trace_q(t, e, BPA_OP_AMOUNT, "amount", leveled->q);
    bpa_trace_count(t, e, "level", leveled->i);
    bpa_trace_q(t, e, BPA_OP_NUMBER, "index_year", *iy);
    bpa_trace_q(t, e, BPA_OP_NUMBER, "index_level", *il);
    bpa_trace_q(t, e, BPA_OP_AMOUNT, "exact", exact);
    bpa_trace_q(t, e, BPA_OP_AMOUNT, "indexed", out);
    mpq_clear(exact);
    return traced(x);
}

/* The hours of decision line `index` in a segment of `days` days (7.1):
 * per_week x 52 x d/N (weeks52), per_week x d/7 (calendar), total x d/D. */
static void term_of_line(const bpa_hours_line *l, size_t index, bool weeks52, int days,
                         int year_days, int decision_days, bpa_hours_term *t)
{
    mpq_inits(t->amount, t->hours, NULL);
    t->source = index;
    t->days = days;
    mpq_set(t->amount, l->amount);
    unsigned long num = (unsigned long)days;
    if (!l->per_week) {
        t->basis = BPA_HOURS_TOTAL;
        t->divisor = decision_days;
    } else if (weeks52) {
        t->basis = BPA_HOURS_WEEKS52;
        t->divisor = year_days;
        num *= 52;
    } else {
        t->basis = BPA_HOURS_CALENDAR;
        t->divisor = 7;
    }
    mpq_set_ui(t->hours, num, (unsigned long)t->divisor);
    mpq_canonicalize(t->hours);
    mpq_mul(t->hours, t->hours, l->amount);
}

/* A trip's extra hours on its `days` days inside a segment (7.3). */
static void term_of_trip(const bpa_trip *tr, size_t index, long days, bpa_hours_term *t)
{
    mpq_inits(t->amount, t->hours, NULL);
    t->basis = BPA_HOURS_TRIP;
    t->source = index;
    t->days = days;
    t->divisor = 1;
    mpq_set(t->amount, tr->extra_hours_per_day);
    mpq_set_ui(t->hours, (unsigned long)days, 1);
    mpq_mul(t->hours, t->hours, tr->extra_hours_per_day);
}

static void terms_free(bpa_hours_term *terms, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mpq_clears(terms[i].amount, terms[i].hours, NULL);
    free(terms);
}

/* The segment's categories with their hours; as many as the case names. */
typedef struct seg_cats {
    seg_cat *items;
    size_t n, cap;
} seg_cats;

/* Add a term to its category's hours; the term moves into the category
 * (on failure it is freed here). */
static bpa_status add_cat_term(ctx *x, seg_cats *cats, const bpa_category *cat,
                               bpa_hours_term *t)
{
    seg_cat *c = NULL;
    for (size_t i = 0; i < cats->n && !c; i++)
        if (bpa_category_equal(&cats->items[i].cat, cat))
            c = &cats->items[i];
    if (!c) {
        if (!bpa_array_reserve((void **)&cats->items, cats->n, sizeof *cats->items)) {
            mpq_clears(t->amount, t->hours, NULL);
            return nomem(x);
        }
        c = &cats->items[cats->n++];
        c->cat = *cat;
        mpq_init(c->hours);
    }
    if (!bpa_array_reserve((void **)&c->terms, c->nterms, sizeof *c->terms)) {
        mpq_clears(t->amount, t->hours, NULL);
        return nomem(x);
    }
    mpq_add(c->hours, c->hours, t->hours);
    c->terms[c->nterms++] = *t;
    return BPA_OK;
}

static int seg_cat_cmp(const void *a, const void *b)
{
    return bpa_category_cmp(&((const seg_cat *)a)->cat, &((const seg_cat *)b)->cat);
}

/* Category of an on-call line or trip on a day: band only while
 * on_call.supplements is true (fine points, section 12). */
static bpa_status category_on(ctx *x, bpa_kind kind, bpa_band band, int step, bpa_date day,
                              bpa_category *out)
{
    out->kind = kind;
    out->band = band;
    out->step = step;
    if (kind == BPA_KIND_ON_CALL) {
        const bpa_value *v;
        TRY(need(x, "on_call.supplements", day, &v));
        if (!v->flag)
            out->band = BPA_BAND_ANY;
    }
    return BPA_OK;
}

static bpa_status compute_segment(ctx *x, size_t di, bpa_segment *seg)
{
    bpa_grant *g = x->g;
    const bpa_case *c = x->c;
    const bpa_decision *d = &c->dk->decisions[di];
    bool dk94 = c->scheme == BPA_SCHEME_DK_SEL_94;
    const bpa_value *v;
    int year = bpa_date_year(seg->from);
    int ndays = bpa_days_in_year(year);
    int ddays = (int)(d->to - d->from + 1);
    TRY(need(x, "rounding.mode", seg->from, &v));
    seg->rounding_read = x->last_read;
    seg->mode = v->i == 1 ? BPA_ROUND_HALF_EVEN : BPA_ROUND_HALF_AWAY_FROM_ZERO;
    TRY(need(x, "hours.basis", seg->from, &v));
    seg->basis_read = x->last_read;
    seg->weeks52 = v->i == 1;
    TRY(need(x, "rounding.rate_components", seg->from, &v));
    seg->components_read = x->last_read;
    size_t segi = (size_t)(seg - g->segments);

    seg_cats sc = {NULL, 0, 0};
    mpq_t work_hours;
    mpq_init(work_hours);
    bpa_status st = BPA_OK;
    for (size_t i = 0; i < d->nlines && st == BPA_OK; i++) {
        const bpa_hours_line *l = &d->lines[i];
        int step = l->step;
        if (dk94) {
            st = need(x, task_param(l->task), seg->from, &v);
            step = (int)v->i;
        }
        bpa_category cat;
        if (st == BPA_OK)
            st = category_on(x, l->kind, l->band, step, seg->from, &cat);
        if (st == BPA_OK) {
            bpa_hours_term t;
            term_of_line(l, i, seg->weeks52, seg->days, ndays, ddays, &t);
            st = add_cat_term(x, &sc, &cat, &t);
        }
    }
    for (size_t t = 0; t < c->dk->ntrips && st == BPA_OK; t++) {
        const bpa_trip *tr = &c->dk->trips[t];
        if (!trip_touches(tr, seg->from, seg->to))
            continue;
        bpa_date last = tr->from + (bpa_date)tr->days - 1;
        bpa_date a = tr->from > seg->from ? tr->from : seg->from;
        bpa_date b = last < seg->to ? last : seg->to;
        bpa_category cat;
        st = category_on(x, tr->kind, tr->band, tr->step, seg->from, &cat);
        if (st == BPA_OK) {
            bpa_hours_term term;
            term_of_trip(tr, t, (long)(b - a + 1), &term);
            st = add_cat_term(x, &sc, &cat, &term);
        }
    }
    if (st != BPA_OK)
        goto done;
    seg_cat *cats = sc.items;
    size_t ncats = sc.n;
    if (ncats)
        qsort(cats, ncats, sizeof *cats, seg_cat_cmp);

    mpq_t cost, tmp;
    mpq_inits(cost, tmp, NULL);
    for (size_t i = 0; i < ncats && st == BPA_OK; i++) {
        st = rate_for(x, &cats[i].cat, seg, &cats[i].rate);
        if (st != BPA_OK)
            break;
        const bpa_rate *r = &g->rates[cats[i].rate];
        mpq_mul(tmp, cats[i].hours, r->hourly);
        size_t li;
        st = add_line(x, BPA_LINE_WAGES, seg->from, seg->to, di, segi, &cats[i].cat, NULL,
                      cats[i].hours, r->hourly, tmp, seg->mode, &li);
        if (st != BPA_OK)
            break;
        bpa_line *wl = &g->lines[li];
        wl->rate = cats[i].rate;
        wl->terms = cats[i].terms; /* moved */
        wl->nterms = cats[i].nterms;
        cats[i].terms = NULL;
        cats[i].nterms = 0;
        mpq_add(seg->hours, seg->hours, cats[i].hours);
        if (cats[i].cat.kind == BPA_KIND_WORK)
            mpq_add(work_hours, work_hours, cats[i].hours);
        mpq_add(seg->wage_lines, seg->wage_lines, g->lines[li].amount);
        mpq_add(cost, cost, g->lines[li].amount);
        bpa_trace_entry *e = bpa_trace_begin(&g->trace, BPA_TRACE_WAGES);
        bpa_trace_category(&g->trace, e, "category", &cats[i].cat);
        bpa_trace_period(&g->trace, e, "segment", seg->from, seg->to);
        bpa_trace_q(&g->trace, e, BPA_OP_HOURS, "hours", cats[i].hours);
        bpa_trace_q(&g->trace, e, BPA_OP_RATE, "rate", r->hourly);
        bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "exact", tmp);
        bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "amount", g->lines[li].amount);
        st = traced(x);
    }
    if (st != BPA_OK)
        goto done2;

    /* per-helper add-ons */
    st = need(x, "addons", seg->from, &v);
    size_t addons_read = x->last_read;
    for (size_t i = 0; st == BPA_OK && i < v->naddons; i++) {
        const bpa_addon *a = &v->addons[i];
        if (a->type != BPA_ADDON_KR_PER_HELPER_YEAR)
            continue;
        mpq_t helper_years;
        mpq_init(helper_years);
        mpq_set_ui(helper_years, (unsigned long)seg->helpers * (unsigned long)seg->days,
                   (unsigned long)ndays);
        mpq_canonicalize(helper_years);
        mpq_mul(tmp, helper_years, a->value);
        size_t li;
        st = add_line(x, BPA_LINE_PER_HELPER, seg->from, seg->to, di, segi, NULL, a->name,
                      helper_years, a->value, tmp, seg->mode, &li);
        if (st == BPA_OK) {
            bpa_line *pl = &g->lines[li];
            pl->helpers = seg->helpers;
            pl->days = seg->days;
            pl->year_days = ndays;
            pl->param_read = addons_read;
            mpq_add(cost, cost, g->lines[li].amount);
            bpa_trace_entry *e = bpa_trace_begin(&g->trace, BPA_TRACE_PER_HELPER);
            bpa_trace_string(&g->trace, e, BPA_OP_TEXT, "name", a->name);
            bpa_trace_period(&g->trace, e, "segment", seg->from, seg->to);
            bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "per_helper_year", a->value);
            bpa_trace_count(&g->trace, e, "helpers", seg->helpers);
            bpa_trace_count(&g->trace, e, "days", seg->days);
            bpa_trace_count(&g->trace, e, "year_days", ndays);
            bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "exact", tmp);
            bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "amount", g->lines[li].amount);
            st = traced(x);
        }
        mpq_clear(helper_years);
    }

    /* administration for a transferred employer role */
    if (st == BPA_OK && !dk94 && c->dk->employer == BPA_EMPLOYER_TRANSFERRED) {
        const bpa_value *per_hour, *which;
        mpq_t rate;
        mpq_init(rate);
        size_t ix = BPA_NO_PARAM;
        st = need(x, "admin.transferred.per_hour", seg->from, &per_hour);
        if (st == BPA_OK)
            st = indexed(x, per_hour, seg->from, c->year, seg->mode, rate,
                         "admin.transferred.per_hour", &ix);
        if (st == BPA_OK)
            st = need(x, "admin.transferred.hours", seg->from, &which);
        if (st == BPA_OK) {
            const mpq_t *hrs = which->i == 1 ? &work_hours : &seg->hours;
            mpq_mul(tmp, *hrs, rate);
            size_t li;
            st = add_line(x, BPA_LINE_ADMIN, seg->from, seg->to, di, segi, NULL, NULL, *hrs, rate,
                          tmp, seg->mode, &li);
            if (st == BPA_OK) {
                g->lines[li].indexation = ix;
                g->lines[li].work_hours_only = which->i == 1;
                mpq_add(cost, cost, g->lines[li].amount);
                bpa_trace_entry *e = bpa_trace_begin(&g->trace, BPA_TRACE_ADMIN);
                bpa_trace_period(&g->trace, e, "segment", seg->from, seg->to);
                bpa_trace_q(&g->trace, e, BPA_OP_HOURS, "hours", *hrs);
                bpa_trace_string(&g->trace, e, BPA_OP_WORD, "which",
                                 which->i == 1 ? "work" : "all");
                bpa_trace_q(&g->trace, e, BPA_OP_RATE, "rate", rate);
                bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "exact", tmp);
                bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "amount", g->lines[li].amount);
                st = traced(x);
            }
        }
        mpq_clear(rate);
    }

    /* payroll-administration cap */
    if (st == BPA_OK && !dk94 && c->dk->employer == BPA_EMPLOYER_PAYROLL_ASSOCIATION) {
        const bpa_value *per_year;
        mpq_t amount, helper_years;
        mpq_inits(amount, helper_years, NULL);
        size_t ix = BPA_NO_PARAM;
        st = need(x, "admin.payroll.per_helper_year", seg->from, &per_year);
        if (st == BPA_OK)
            st = indexed(x, per_year, seg->from, c->year, seg->mode, amount,
                         "admin.payroll.per_helper_year", &ix);
        if (st == BPA_OK) {
            mpq_set_ui(helper_years, (unsigned long)seg->helpers * (unsigned long)seg->days,
                       (unsigned long)ndays);
            mpq_canonicalize(helper_years);
            mpq_mul(tmp, helper_years, amount);
            size_t li;
            st = add_line(x, BPA_LINE_PAYROLL_ADMIN_CAP, seg->from, seg->to, di, segi, NULL, NULL,
                          helper_years, amount, tmp, seg->mode, &li);
            if (st == BPA_OK) {
                bpa_line *pl = &g->lines[li];
                pl->indexation = ix;
                pl->helpers = seg->helpers;
                pl->days = seg->days;
                pl->year_days = ndays;
            }
            if (st == BPA_OK) {
                bpa_trace_entry *e = bpa_trace_begin(&g->trace, BPA_TRACE_PAYROLL_CAP);
                bpa_trace_period(&g->trace, e, "segment", seg->from, seg->to);
                bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "per_helper_year", amount);
                bpa_trace_count(&g->trace, e, "helpers", seg->helpers);
                bpa_trace_count(&g->trace, e, "days", seg->days);
                bpa_trace_count(&g->trace, e, "year_days", ndays);
                bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "exact", tmp);
                bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "amount", g->lines[li].amount);
                st = traced(x);
            }
        }
        mpq_clears(amount, helper_years, NULL);
    }

    /* hourly cap */
    if (st == BPA_OK)
        st = opt(x, "hourly_cap", seg->from, &v);
    size_t cap_read = x->last_read;
    if (st == BPA_OK && v && mpq_sgn(seg->hours) > 0) {
        mpq_t limit, target;
        mpq_inits(limit, target, NULL);
        mpq_mul(limit, seg->hours, v->q);
        if (mpq_cmp(cost, limit) > 0) {
            bpa_round(target, limit, seg->mode);
            mpq_sub(tmp, target, cost);
            const bpa_override *ov = bpa_case_override(c, BPA_OVERRIDE_HOURLY_CAP);
            if (ov) {
                bpa_trace_entry *e = bpa_trace_begin(&g->trace, BPA_TRACE_HOURLY_CAP_OVERRIDDEN);
                bpa_trace_period(&g->trace, e, "segment", seg->from, seg->to);
                bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "cost", cost);
                bpa_trace_q(&g->trace, e, BPA_OP_HOURS, "hours", seg->hours);
                bpa_trace_q(&g->trace, e, BPA_OP_RATE, "cap", v->q);
                bpa_trace_string(&g->trace, e, BPA_OP_TEXT, "reason", ov->reason);
                st = traced(x);
            } else {
                size_t li;
                st = add_line(x, BPA_LINE_HOURLY_CAP_REDUCTION, seg->from, seg->to, di, segi,
                              NULL, NULL, seg->hours, v->q, tmp, seg->mode, &li);
                if (st == BPA_OK) {
                    mpq_set(g->lines[li].cost, cost);
                    g->lines[li].param_read = cap_read;
                    bpa_trace_entry *e = bpa_trace_begin(&g->trace, BPA_TRACE_HOURLY_CAP);
                    bpa_trace_period(&g->trace, e, "segment", seg->from, seg->to);
                    bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "cost", cost);
                    bpa_trace_q(&g->trace, e, BPA_OP_HOURS, "hours", seg->hours);
                    bpa_trace_q(&g->trace, e, BPA_OP_RATE, "cap", v->q);
                    bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "target", target);
                    bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "reduction", g->lines[li].amount);
                    st = traced(x);
                }
            }
        }
        mpq_clears(limit, target, NULL);
    }
done2:
    mpq_clears(cost, tmp, NULL);
done:
    for (size_t i = 0; i < sc.n; i++) {
        mpq_clear(sc.items[i].hours);
        terms_free(sc.items[i].terms, sc.items[i].nterms);
    }
    free(sc.items);
    mpq_clear(work_hours);
    return st;
}

/* ---- checks before computing ------------------------------------------------- */

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

static bpa_status check_on_call_band(ctx *x, bpa_kind kind, bool band_given, bpa_date from,
                                     bpa_date to, const bpa_source *src)
{
    if (kind != BPA_KIND_ON_CALL)
        return BPA_OK;
    bool any = bool_any(x->p, "on_call.supplements", from, to);
    if (any && !band_given)
        return fail_at(x, src,
                       "on_call.supplements is true in policy \"%s\" during this period, so an "
                       "on-call line must name its \"band\"",
                       bpa_policy_id(x->p));
    if (!any && band_given)
        return fail_at(x, src,
                       "on_call.supplements is false in policy \"%s\", so an on-call line must "
                       "not name a band (the band changes nothing in its rate)",
                       bpa_policy_id(x->p));
    return BPA_OK;
}

static bpa_status check_case(ctx *x)
{
    const bpa_case *c = x->c;
    const bpa_policy *p = x->p;
    if (!bpa_policy_has_scheme(p, c->scheme))
        return bpa_error_set(x->err, BPA_E_INPUT, c->file, c->policy_src.line,
                             c->policy_src.column, "$.policy", "policy \"%s\" does not cover scheme %s", bpa_policy_id(p),
                             bpa_scheme_name(c->scheme));
    for (size_t di = 0; di < c->dk->ndecisions; di++) {
        const bpa_decision *d = &c->dk->decisions[di];
        for (size_t i = 0; i < d->nlines; i++) {
            const bpa_hours_line *l = &d->lines[i];
            TRY(check_on_call_band(x, l->kind, l->band_given, d->from, d->to, &l->src));
            if (l->task == BPA_TASK_PERSONAL_CARE) {
                bool educated = d->educated >= 0 ? d->educated == 1 : c->dk->educated;
                if (!educated)
                    return fail_at(x, &l->src,
                                   "personal care under section 94 needs an educated helper: "
                                   "only a helper with a health or pedagogical education may "
                                   "give it; set \"educated\": true on the case or the decision");
            }
        }
        /* allowance caps: every value in force during the decision */
        if (d->has_allowance && c->scheme != BPA_SCHEME_DK_SEL_94) {
            const char *cap_name = c->scheme == BPA_SCHEME_DK_SEL_95 ? "allowance.monthly_cap.95"
                                                                     : "allowance.monthly_cap.96";
            bpa_date cuts[MAX_CUTS];
            size_t n = 0;
            cuts[n++] = d->from;
            bpa_policy_changes(p, cap_name, d->from, d->to, cuts, &n, MAX_CUTS);
            for (size_t k = 0; k < n; k++) {
                const bpa_value *cap;
                TRY(opt(x, cap_name, cuts[k], &cap));
                if (!cap || mpq_cmp(d->allowance_monthly, cap->q) <= 0)
                    continue;
                const bpa_override *ov = bpa_case_override(c, BPA_OVERRIDE_ALLOWANCE_CAP);
                if (!ov)
                    return fail_at(x, &d->src,
                                   "allowance_monthly %s exceeds %s = %s in force on %s; an "
                                   "override {\"rule\": \"allowance_cap\", \"reason\": ...} is "
                                   "needed",
                                   Q(x, d->allowance_monthly), cap_name, Q(x, cap->q),
                                   D(x, cuts[k]));
                const bpa_param_entry *pe = NULL;
                bpa_policy_get(p, cap_name, cuts[k], &pe);
                bpa_trace *t = &x->g->trace;
                bpa_trace_entry *e = bpa_trace_begin(t, BPA_TRACE_ALLOWANCE_CAP_OVERRIDDEN);
                bpa_trace_count(t, e, "decision_no", (long)di + 1);
                bpa_trace_q(t, e, BPA_OP_AMOUNT, "monthly", d->allowance_monthly);
                bpa_trace_param(t, e, "cap_param", cap_name, pe);
                bpa_trace_q(t, e, BPA_OP_AMOUNT, "cap", cap->q);
                bpa_trace_date(t, e, "on", cuts[k]);
                bpa_trace_string(t, e, BPA_OP_TEXT, "reason", ov->reason);
                TRY(traced(x));
            }
        }
    }
    for (size_t t = 0; t < c->dk->ntrips; t++) {
        const bpa_trip *tr = &c->dk->trips[t];
        TRY(check_on_call_band(x, tr->kind, tr->band_given, tr->from,
                               tr->from + (bpa_date)tr->days - 1, &tr->src));
    }
    /* trip limits, read on 1 January (5.3) */
    if (c->dk->ntrips) {
        bpa_date jan1 = bpa_date_make(c->year, 1, 1);
        const bpa_value *vmax, *wmax;
        TRY(opt(x, "trips.vacation_days_max", jan1, &vmax));
        TRY(opt(x, "trips.weekends_max", jan1, &wmax));
        /* the trip that goes over a limit is the one the message points at */
        long vac = 0, weekends = 0;
        const bpa_trip *over_v = NULL, *over_w = NULL;
        for (size_t t = 0; t < c->dk->ntrips; t++) {
            if (c->dk->trips[t].type == BPA_TRIP_VACATION)
                vac += c->dk->trips[t].days;
            else
                weekends++;
            if (!over_v && vmax && vac > vmax->i)
                over_v = &c->dk->trips[t];
            if (!over_w && wmax && weekends > wmax->i)
                over_w = &c->dk->trips[t];
        }
        if (over_v || over_w) {
            const bpa_override *ov = bpa_case_override(c, BPA_OVERRIDE_TRIP_LIMITS);
            const bpa_source *at = over_v ? &over_v->src : &over_w->src;
            const char *what =
                over_v ? F("%ld vacation days with two helpers exceed trips.vacation_days_max %ld",
                           vac, vmax->i)
                       : F("%ld weekend trips exceed trips.weekends_max %ld", weekends, wmax->i);
            if (!ov)
                return bpa_error_set(x->err, BPA_E_INPUT, c->file, at->line, at->column, at->path,
                                     "%s; an override {\"rule\": \"trip_limits\", \"reason\": "
                                     "...} is needed",
                                     what);
            bpa_trace *t = &x->g->trace;
            bpa_trace_entry *e = bpa_trace_begin(t, BPA_TRACE_TRIP_LIMITS_OVERRIDDEN);
            bpa_trace_string(t, e, BPA_OP_WORD, "limit", over_v ? "vacation_days" : "weekends");
            bpa_trace_count(t, e, "count", over_v ? vac : weekends);
            bpa_trace_count(t, e, "max", over_v ? vmax->i : wmax->i);
            bpa_trace_string(t, e, BPA_OP_TEXT, "reason", ov->reason);
            TRY(traced(x));
        }
    }
    return BPA_OK;
}

/* ---- months, allowance, payments ---------------------------------------------- */

static bpa_month *month_get(ctx *x, int year, int month)
{
    bpa_grant *g = x->g;
    for (size_t i = 0; i < g->nmonths; i++)
        if (g->months[i].year == year && g->months[i].month == month)
            return &g->months[i];
    if (!bpa_array_reserve((void **)&g->months, g->nmonths, sizeof *g->months))
        return NULL;
    bpa_month *m = &g->months[g->nmonths++];
    memset(m, 0, sizeof *m);
    m->year = year;
    m->month = month;
    mpq_inits(m->hours, m->wages, m->admin, m->payroll_admin_cap, m->recipient, m->allowance,
              NULL);
    return m;
}

static bpa_status allowance_lines(ctx *x, size_t di)
{
    const bpa_decision *d = &x->c->dk->decisions[di];
    if (!d->has_allowance)
        return BPA_OK;
    bpa_date a = d->from;
    while (a <= d->to) {
        int y = bpa_date_year(a), m = bpa_date_month(a);
        int dim = bpa_days_in_month(y, m);
        bpa_date month_end = bpa_date_make(y, m, dim);
        bpa_date b = month_end < d->to ? month_end : d->to;
        const bpa_value *v;
        TRY(need(x, "rounding.mode", a, &v));
        bpa_rounding mode = v->i == 1 ? BPA_ROUND_HALF_EVEN : BPA_ROUND_HALF_AWAY_FROM_ZERO;
        mpq_t share, exact;
        mpq_inits(share, exact, NULL);
        mpq_set_ui(share, (unsigned long)(b - a + 1), (unsigned long)dim);
        mpq_canonicalize(share);
        mpq_mul(exact, d->allowance_monthly, share);
        size_t li;
        bpa_status st = add_line(x, BPA_LINE_ALLOWANCE, a, b, di, (size_t)-1, NULL, NULL, share,
                                 d->allowance_monthly, exact, mode, &li);
        if (st == BPA_OK) {
            x->g->lines[li].days = (long)(b - a + 1);
            x->g->lines[li].month_days = dim;
            bpa_trace *t = &x->g->trace;
            bpa_trace_entry *e = bpa_trace_begin(t, BPA_TRACE_ALLOWANCE);
            bpa_trace_month(t, e, "month", y, m);
            bpa_trace_q(t, e, BPA_OP_AMOUNT, "monthly", d->allowance_monthly);
            bpa_trace_count(t, e, "days", (long)(b - a + 1));
            bpa_trace_count(t, e, "month_days", dim);
            bpa_trace_q(t, e, BPA_OP_AMOUNT, "exact", exact);
            bpa_trace_q(t, e, BPA_OP_AMOUNT, "amount", x->g->lines[li].amount);
            st = traced(x);
        }
        mpq_clears(share, exact, NULL);
        TRY(st);
        a = b + 1;
    }
    return BPA_OK;
}

static bpa_date advance_due(ctx *x, const bpa_value *advance, int y, int m)
{
    if (advance->i == 1)
        return bpa_bank_day_before(x->g->country, bpa_date_make(y, m, 1));
    return bpa_bank_day_first(x->g->country, y, m);
}

static int month_cmp(const void *a, const void *b)
{
    const bpa_month *x = a, *y = b;
    int kx = x->year * 12 + x->month, ky = y->year * 12 + y->month;
    return (kx > ky) - (kx < ky);
}

static bpa_status build_months(ctx *x)
{
    bpa_grant *g = x->g;
    for (size_t i = 0; i < g->nsegments; i++) {
        bpa_segment *s = &g->segments[i];
        bpa_month *m = month_get(x, bpa_date_year(s->from), bpa_date_month(s->from));
        if (!m)
            return nomem(x);
        mpq_add(m->hours, m->hours, s->hours);
    }
    for (size_t i = 0; i < g->nlines; i++) {
        bpa_line *l = &g->lines[i];
        bpa_month *m = month_get(x, bpa_date_year(l->from), bpa_date_month(l->from));
        if (!m)
            return nomem(x);
        switch (l->rule) {
        case BPA_LINE_WAGES:
        case BPA_LINE_PER_HELPER:
        case BPA_LINE_HOURLY_CAP_REDUCTION:
            mpq_add(m->wages, m->wages, l->amount);
            mpq_add(g->total_wages, g->total_wages, l->amount);
            break;
        case BPA_LINE_ADMIN:
            mpq_add(m->admin, m->admin, l->amount);
            mpq_add(g->total_admin, g->total_admin, l->amount);
            break;
        case BPA_LINE_PAYROLL_ADMIN_CAP:
            mpq_add(m->payroll_admin_cap, m->payroll_admin_cap, l->amount);
            mpq_add(g->total_payroll_admin_cap, g->total_payroll_admin_cap, l->amount);
            break;
        case BPA_LINE_ALLOWANCE:
            mpq_add(m->allowance, m->allowance, l->amount);
            mpq_add(g->total_allowance, g->total_allowance, l->amount);
            m->has_allowance_due = true;
            break;
        }
    }
    qsort(g->months, g->nmonths, sizeof *g->months, month_cmp);
    for (size_t i = 0; i < g->nmonths; i++) {
        bpa_month *m = &g->months[i];
        bpa_date first = bpa_date_make(m->year, m->month, 1);
        const bpa_value *advance, *arrears;
        TRY(need(x, "payment.advance_day", first, &advance));
        if (g->pays_recipient) {
            mpq_add(m->recipient, m->wages, m->admin);
            m->has_due = true;
            if (g->forud) {
                m->due = advance_due(x, advance, m->year, m->month);
            } else {
                TRY(need(x, "payment.arrears_day", first, &arrears));
                m->due = bpa_bank_day_last(g->country, m->year, m->month);
            }
        }
        if (m->has_allowance_due)
            m->allowance_due = advance_due(x, advance, m->year, m->month);
        mpq_add(g->total_hours, g->total_hours, m->hours);
        mpq_add(g->total_recipient, g->total_recipient, m->recipient);
    }
    mpq_add(g->total_grant, g->total_wages, g->total_admin);
    mpq_add(g->total_grant, g->total_grant, g->total_allowance);
    bpa_trace_entry *e = bpa_trace_begin(&g->trace, BPA_TRACE_GRANT_TOTALS);
    bpa_trace_count(&g->trace, e, "months", (long)g->nmonths);
    bpa_trace_count(&g->trace, e, "lines", (long)g->nlines);
    bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "wages", g->total_wages);
    bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "admin", g->total_admin);
    bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "payroll_admin_cap", g->total_payroll_admin_cap);
    bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "allowance", g->total_allowance);
    bpa_trace_q(&g->trace, e, BPA_OP_AMOUNT, "grant", g->total_grant);
    return traced(x);
}

/* ---- section 94 employment form (7.6) ---------------------------------------- */

static bpa_status employment(ctx *x, size_t di)
{
    bpa_grant *g = x->g;
    const bpa_decision *d = &x->c->dk->decisions[di];
    if (!bpa_array_reserve((void **)&g->employment, g->nemployment, sizeof *g->employment))
        return nomem(x);
    bpa_employment *e = &g->employment[g->nemployment++];
    mpq_inits(e->hours_per_week, e->threshold, NULL);
    e->from = d->from;
    e->to = d->to;
    mpq_t t;
    mpq_init(t);
    for (size_t i = 0; i < d->nlines; i++) {
        const bpa_hours_line *l = &d->lines[i];
        if (l->per_week) {
            mpq_add(e->hours_per_week, e->hours_per_week, l->amount);
        } else {
            mpq_set_ui(t, 7, (unsigned long)(d->to - d->from + 1));
            mpq_canonicalize(t);
            mpq_mul(t, t, l->amount);
            mpq_add(e->hours_per_week, e->hours_per_week, t);
        }
    }
    mpq_clear(t);
    const bpa_value *v;
    TRY(need(x, "dk94.monthly_paid_min_hours_per_week", d->from, &v));
    mpq_set(e->threshold, v->q);
    e->monthly_paid = mpq_cmp(e->hours_per_week, v->q) >= 0;
    bpa_trace_entry *te = bpa_trace_begin(&g->trace, BPA_TRACE_EMPLOYMENT);
    bpa_trace_period(&g->trace, te, "decision", d->from, d->to);
    bpa_trace_q(&g->trace, te, BPA_OP_HOURS, "hours_per_week", e->hours_per_week);
    bpa_trace_q(&g->trace, te, BPA_OP_HOURS, "threshold", v->q);
    bpa_trace_string(&g->trace, te, BPA_OP_WORD, "form",
                     e->monthly_paid ? "monthly_paid" : "hourly_paid");
    return traced(x);
}

/* ---- driver -------------------------------------------------------------------- */

/* Cut decision di into segments where a parameter it reads (ns) changes,
 * and compute each. */
static bpa_status segments_of(ctx *x, size_t di, const names *ns, const names *oc)
{
    bpa_grant *g = x->g;
    const bpa_decision *d = &x->c->dk->decisions[di];
    bpa_date cuts[MAX_CUTS];
    size_t n = 0;
    cuts[n++] = d->from;
    for (bpa_date day = d->from + 1; day <= d->to; day++)
        if (bpa_date_day(day) == 1 && n < MAX_CUTS)
            cuts[n++] = day;
    for (size_t i = 0; i < ns->n; i++)
        bpa_policy_changes(x->p, ns->name[i], d->from, d->to, cuts, &n, MAX_CUTS);
    for (size_t i = 0; i < oc->n; i++) {
        bpa_date changes[MAX_CUTS];
        size_t nc = 0;
        bpa_policy_changes(x->p, oc->name[i], d->from, d->to, changes, &nc, MAX_CUTS);
        for (size_t k = 0; k < nc && n < MAX_CUTS; k++) {
            const bpa_value *v = bpa_policy_get(x->p, "on_call.supplements", changes[k], NULL);
            if (v && v->flag)
                cuts[n++] = changes[k];
        }
    }
    if (n >= MAX_CUTS)
        return bpa_error_set(x->err, BPA_E_POLICY, bpa_policy_file(x->p), 0, 0, NULL,
                             "too many parameter changes inside one decision");
    qsort(cuts, n, sizeof *cuts, date_cmp);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && cuts[i] == cuts[i - 1])
            continue;
        bpa_date end = d->to;
        for (size_t k = i + 1; k < n; k++)
            if (cuts[k] > cuts[i]) {
                end = cuts[k] - 1;
                break;
            }
        if (!bpa_array_reserve((void **)&g->segments, g->nsegments, sizeof *g->segments))
            return nomem(x);
        bpa_segment *s = &g->segments[g->nsegments++];
        memset(s, 0, sizeof *s);
        mpq_inits(s->hours, s->wage_lines, NULL);
        s->rounding_read = s->basis_read = s->components_read = BPA_NO_PARAM;
        s->from = cuts[i];
        s->to = end;
        s->days = (int)(end - cuts[i] + 1);
        s->decision = di;
        s->helpers = d->helpers ? d->helpers : x->c->dk->helpers;
        TRY(compute_segment(x, di, s));
    }
    bpa_trace_entry *e = bpa_trace_begin(&g->trace, BPA_TRACE_SEGMENTS);
    bpa_trace_count(&g->trace, e, "decision_no", (long)di + 1);
    bpa_trace_period(&g->trace, e, "decision", d->from, d->to);
    for (size_t i = 0; i < ns->n; i++)
        bpa_trace_param(&g->trace, e, "reads", ns->name[i], NULL);
    for (size_t i = 0; i < oc->n; i++)
        if (!names_has(ns, oc->name[i]))
            bpa_trace_param(&g->trace, e, "reads", oc->name[i], NULL);
    for (size_t i = 0; i < g->nsegments; i++)
        if (g->segments[i].decision == di)
            bpa_trace_period(&g->trace, e, "segment", g->segments[i].from, g->segments[i].to);
    return traced(x);
}

static bpa_status segment_decision(ctx *x, size_t di)
{
    names ns = {NULL, 0, 0, false}, oc = {NULL, 0, 0, false};
    bpa_status st = decision_reads(x, &x->c->dk->decisions[di], &ns, &oc);
    if (st == BPA_OK && (ns.failed || oc.failed))
        st = nomem(x);
    if (st == BPA_OK)
        st = segments_of(x, di, &ns, &oc);
    names_release(&ns);
    names_release(&oc);
    TRY(st);
    TRY(allowance_lines(x, di));
    if (x->c->scheme == BPA_SCHEME_DK_SEL_94)
        TRY(employment(x, di));
    return BPA_OK;
}

void bpa_grant_free(bpa_grant *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nrates; i++)
        rate_clear(&g->rates[i]);
    free(g->rates);
    for (size_t i = 0; i < g->nsegments; i++)
        mpq_clears(g->segments[i].hours, g->segments[i].wage_lines, NULL);
    free(g->segments);
    for (size_t i = 0; i < g->nlines; i++) {
        bpa_line *l = &g->lines[i];
        mpq_clears(l->hours, l->rate_value, l->exact, l->amount, l->cost, NULL);
        terms_free(l->terms, l->nterms);
    }
    free(g->lines);
    for (size_t i = 0; i < g->nindexations; i++) {
        bpa_indexation *ix = &g->indexations[i];
        mpq_clears(ix->amount, ix->index_year, ix->index_level, ix->exact, ix->indexed, NULL);
    }
    free(g->indexations);
    for (size_t i = 0; i < g->nmonths; i++) {
        bpa_month *m = &g->months[i];
        mpq_clears(m->hours, m->wages, m->admin, m->payroll_admin_cap, m->recipient, m->allowance,
                   NULL);
    }
    free(g->months);
    for (size_t i = 0; i < g->nemployment; i++)
        mpq_clears(g->employment[i].hours_per_week, g->employment[i].threshold, NULL);
    free(g->employment);
    bpa_trace_release(&g->trace);
    bpa_warnings_release(&g->warnings);
    bpa_used_release(g->used, g->nused);
    mpq_clears(g->total_wages, g->total_admin, g->total_payroll_admin_cap, g->total_allowance,
               g->total_grant, g->total_hours, g->total_recipient, NULL);
    free(g);
}

bpa_status bpa_grant_compute(bpa_grant **out, const bpa_case *c, const bpa_policy *p,
                             bpa_error *err)
{
    *out = NULL;
    if (!c->dk)
        return bpa_error_set(err, BPA_E_INPUT, c->file, c->scheme_src.line, c->scheme_src.column,
                             "$.scheme",
                             "%s is a Swedish scheme: its grant is computed as the Swedish "
                             "budget of its grant periods, not as a Danish grant",
                             bpa_scheme_name(c->scheme));
    bpa_grant *g = bpa_calloc(1, sizeof *g);
    if (!g)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    mpq_inits(g->total_wages, g->total_admin, g->total_payroll_admin_cap, g->total_allowance,
              g->total_grant, g->total_hours, g->total_recipient, NULL);
    g->kase = c;
    g->policy = p;
    g->country = bpa_policy_country(p);
    bool dk94 = c->scheme == BPA_SCHEME_DK_SEL_94;
    g->pays_recipient = !dk94 && c->dk->employer != BPA_EMPLOYER_MUNICIPALITY_PAYROLL;
    /* BEK section 11: in advance to the citizen or a relative, in arrears to an
     * association or company */
    g->forud = !(c->dk->employer == BPA_EMPLOYER_TRANSFERRED &&
                 (c->dk->transferred_to == BPA_TRANSFERRED_ASSOCIATION ||
                  c->dk->transferred_to == BPA_TRANSFERRED_COMPANY));
    ctx x = {g, c, p, err, {0}, BPA_NO_PARAM};
    bpa_status st = check_case(&x);
    for (size_t di = 0; st == BPA_OK && di < c->dk->ndecisions; di++)
        st = segment_decision(&x, di);
    if (st == BPA_OK)
        st = build_months(&x);
    if (st == BPA_OK) {
        bpa_warnings_params(&g->warnings, p, g->used, g->nused);
        if (g->warnings.ops.failed)
            st = nomem(&x);
    }
    if (st == BPA_OK && bpa_strpool_failed(&x.pool))
        st = nomem(&x);
    bpa_strpool_release(&x.pool);
    if (st != BPA_OK) {
        bpa_grant_free(g);
        return st;
    }
    *out = g;
    return BPA_OK;
}
