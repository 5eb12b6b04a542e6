/* Comparing two grants (bpa/diff.h, RULES.md 13): the engine records every
 * figure a writer shows, the effects, sums and pct included. */
#include "bpa/diff.h"

#include <stdlib.h>
#include <string.h>

#include "bpa/num.h"
#include "audit/diff_record.h"
#include "core/alloc.h"

/* Per month and category, what one side holds before the split. */
typedef struct acc {
    mpq_t hours, hours_x_rate, amount;
} acc;

typedef struct dctx {
    bpa_diff *d;
    bool nomem;
    size_t capc, capo;
} dctx;

static int month_key(int year, int month) { return year * 12 + (month - 1); }

static bpa_diff_change *change_find(dctx *x, int year, int month, const bpa_category *cat)
{
    bpa_diff *d = x->d;
    for (size_t i = 0; i < d->nchanges; i++) {
        bpa_diff_change *c = &d->changes[i];
        if (c->year == year && c->month == month && bpa_category_equal(&c->category, cat))
            return c;
    }
    if (d->nchanges == x->capc) {
        size_t cap = x->capc ? 2 * x->capc : 16;
        bpa_diff_change *p = bpa_realloc(d->changes, cap * sizeof *p);
        if (!p) {
            x->nomem = true;
            return NULL;
        }
        d->changes = p;
        x->capc = cap;
    }
    bpa_diff_change *c = &d->changes[d->nchanges++];
    memset(c, 0, sizeof *c);
    c->year = year;
    c->month = month;
    c->category = *cat;
    mpq_inits(c->old_hours, c->new_hours, c->old_rate, c->new_rate, c->old_amount, c->new_amount,
              c->change, c->hours_effect, c->rate_effect, c->residue, NULL);
    return c;
}

static bpa_diff_other *other_find(dctx *x, int year, int month, const char *rule, bool in_total)
{
    bpa_diff *d = x->d;
    for (size_t i = 0; i < d->nother; i++) {
        bpa_diff_other *o = &d->other[i];
        if (o->year == year && o->month == month && strcmp(o->rule, rule) == 0)
            return o;
    }
    if (d->nother == x->capo) {
        size_t cap = x->capo ? 2 * x->capo : 16;
        bpa_diff_other *p = bpa_realloc(d->other, cap * sizeof *p);
        if (!p) {
            x->nomem = true;
            return NULL;
        }
        d->other = p;
        x->capo = cap;
    }
    bpa_diff_other *o = &d->other[d->nother++];
    memset(o, 0, sizeof *o);
    o->year = year;
    o->month = month;
    o->rule = rule;
    o->in_total = in_total;
    mpq_inits(o->old_amount, o->new_amount, o->change, NULL);
    return o;
}

/* The rates of a change are first gathered as sum of hours x rate (in
 * old_rate / new_rate) and divided once every line is in. */
static void add_cat(dctx *x, bool is_new, int year, int month, const bpa_category *cat,
                    const mpq_t hours, const mpq_t hours_x_rate, const mpq_t amount)
{
    bpa_diff_change *c = change_find(x, year, month, cat);
    if (!c)
        return;
    mpq_ptr h = is_new ? c->new_hours : c->old_hours;
    mpq_ptr hr = is_new ? c->new_rate : c->old_rate;
    mpq_ptr a = is_new ? c->new_amount : c->old_amount;
    mpq_add(h, h, hours);
    mpq_add(hr, hr, hours_x_rate);
    mpq_add(a, a, amount);
}

static void add_other(dctx *x, bool is_new, int year, int month, const char *rule, bool in_total,
                      const mpq_t amount)
{
    bpa_diff_other *o = other_find(x, year, month, rule, in_total);
    if (!o)
        return;
    mpq_ptr a = is_new ? o->new_amount : o->old_amount;
    mpq_add(a, a, amount);
}

static void gather(dctx *x, bool is_new, const bpa_grant_record *r)
{
    mpq_t hr;
    mpq_init(hr);
    for (size_t i = 0; i < r->nlines && !x->nomem; i++) {
        const bpa_grant_record_line *l = &r->lines[i];
        if (l->has_category) {
            mpq_mul(hr, l->hours, l->rate);
            add_cat(x, is_new, l->year, l->month, &l->category, l->hours, hr, l->amount);
        } else {
            add_other(x, is_new, l->year, l->month, l->rule, l->in_total, l->amount);
        }
    }
    mpq_clear(hr);
}

static int cmp_change(const void *a, const void *b)
{
    const bpa_diff_change *x = a, *y = b;
    int kx = month_key(x->year, x->month), ky = month_key(y->year, y->month);
    if (kx != ky)
        return kx < ky ? -1 : 1;
    return bpa_category_cmp(&x->category, &y->category);
}

static int cmp_category(const void *a, const void *b)
{
    const bpa_diff_category *x = a, *y = b;
    return bpa_category_cmp(&x->category, &y->category);
}

static int rule_rank(const char *rule)
{
    static const char *const order[] = {"per_helper", "hourly_cap_reduction", "admin",
                                        "allowance", "payroll_admin_cap", "rounding",
                                        "kommun_share"};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (strcmp(order[i], rule) == 0)
            return (int)i;
    return 99;
}

static int cmp_other(const void *a, const void *b)
{
    const bpa_diff_other *x = a, *y = b;
    int kx = month_key(x->year, x->month), ky = month_key(y->year, y->month);
    if (kx != ky)
        return kx < ky ? -1 : 1;
    int rx = rule_rank(x->rule), ry = rule_rank(y->rule);
    return rx < ry ? -1 : rx > ry;
}

/* The split (RULES.md 13): zero hours count as absent. */
static void split(bpa_diff_change *c)
{
    c->in_old = mpq_sgn(c->old_hours) != 0;
    c->in_new = mpq_sgn(c->new_hours) != 0;
    if (c->in_old)
        mpq_div(c->old_rate, c->old_rate, c->old_hours);
    else
        mpq_set_ui(c->old_rate, 0, 1);
    if (c->in_new)
        mpq_div(c->new_rate, c->new_rate, c->new_hours);
    else
        mpq_set_ui(c->new_rate, 0, 1);
    mpq_sub(c->change, c->new_amount, c->old_amount);
    if (c->in_old && c->in_new) {
        mpq_t t;
        mpq_init(t);
        mpq_sub(t, c->new_hours, c->old_hours);
        mpq_mul(c->hours_effect, t, c->old_rate);
        mpq_sub(t, c->new_rate, c->old_rate);
        mpq_mul(c->rate_effect, c->new_hours, t);
        mpq_sub(c->residue, c->change, c->hours_effect);
        mpq_sub(c->residue, c->residue, c->rate_effect);
        mpq_clear(t);
    } else {
        mpq_set(c->hours_effect, c->change);
        mpq_set_ui(c->rate_effect, 0, 1);
        mpq_set_ui(c->residue, 0, 1);
    }
}

static void category_clear(bpa_diff_category *k)
{
    mpq_clears(k->old_hours, k->new_hours, k->hours_change, k->old_amount, k->new_amount,
               k->change, k->hours_effect, k->rate_effect, k->residue, NULL);
}

/* by_category: the changes' sums per category (changes[] is sorted by month
 * first, so look each up). */
static bool categories_sum(bpa_diff *d)
{
    d->categories = bpa_calloc(d->nchanges ? d->nchanges : 1, sizeof *d->categories);
    if (!d->categories)
        return false;
    for (size_t i = 0; i < d->nchanges; i++) {
        const bpa_diff_change *c = &d->changes[i];
        bpa_diff_category *k = NULL;
        for (size_t j = 0; j < d->ncategories && !k; j++)
            if (bpa_category_equal(&d->categories[j].category, &c->category))
                k = &d->categories[j];
        if (!k) {
            k = &d->categories[d->ncategories++];
            k->category = c->category;
            mpq_inits(k->old_hours, k->new_hours, k->hours_change, k->old_amount, k->new_amount,
                      k->change, k->hours_effect, k->rate_effect, k->residue, NULL);
        }
        k->in_old = k->in_old || c->in_old;
        k->in_new = k->in_new || c->in_new;
        mpq_add(k->old_hours, k->old_hours, c->old_hours);
        mpq_add(k->new_hours, k->new_hours, c->new_hours);
        mpq_add(k->old_amount, k->old_amount, c->old_amount);
        mpq_add(k->new_amount, k->new_amount, c->new_amount);
        mpq_add(k->change, k->change, c->change);
        mpq_add(k->hours_effect, k->hours_effect, c->hours_effect);
        mpq_add(k->rate_effect, k->rate_effect, c->rate_effect);
        mpq_add(k->residue, k->residue, c->residue);
    }
    for (size_t j = 0; j < d->ncategories; j++) {
        bpa_diff_category *k = &d->categories[j];
        mpq_sub(k->hours_change, k->new_hours, k->old_hours);
    }
    qsort(d->categories, d->ncategories, sizeof *d->categories, cmp_category);
    return true;
}

static bpa_status side_record(bpa_diff_side s, const char *which,
                              const bpa_grant_record **rec, bpa_grant_record **owned,
                              bpa_error *err)
{
    *owned = NULL;
    int n = (s.grant != NULL) + (s.se_grant != NULL) + (s.record != NULL);
    if (n != 1)
        return bpa_error_set(err, BPA_E_INPUT, NULL, 0, 0, NULL,
                             "the %s side of a comparison needs exactly one grant (Danish), "
                             "budget (Swedish) or grant result",
                             which);
    if (s.record) {
        *rec = s.record;
        return BPA_OK;
    }
    bpa_status st = s.grant ? bpa_record_from_grant(owned, s.grant, err)
                            : bpa_record_from_se_grant(owned, s.se_grant, err);
    *rec = *owned;
    return st;
}

static void diff_init(bpa_diff *d)
{
    mpq_inits(d->sum_old, d->sum_new, d->sum_change, d->sum_hours_effect, d->sum_rate_effect,
              d->sum_residue, d->other_change, d->outside_change, d->explained, d->total_old, d->total_new,
              d->total_change, d->pct, NULL);
}

bpa_status bpa_diff_compute(bpa_diff **out, bpa_diff_side old_side, bpa_diff_side new_side,
                            bpa_error *err)
{
    *out = NULL;
    bpa_diff *d = bpa_calloc(1, sizeof *d);
    if (!d)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    diff_init(d);
    bpa_status st = side_record(old_side, "old", &d->old_rec, &d->owned[0], err);
    if (st == BPA_OK)
        st = side_record(new_side, "new", &d->new_rec, &d->owned[1], err);
    const bpa_grant_record *od = d->old_rec, *nw = d->new_rec;
    if (st == BPA_OK && od->country != nw->country)
        st = bpa_error_set(err, BPA_E_INPUT, nw->file, 0, 0, NULL,
                           "cannot compare grants of two countries: %s (%s) is %s, %s (%s) is "
                           "%s; compare a Danish case with a Danish one, a Swedish with a "
                           "Swedish one",
                           od->file, bpa_scheme_name(od->scheme),
                           od->country == BPA_COUNTRY_DK ? "Danish" : "Swedish", nw->file,
                           bpa_scheme_name(nw->scheme),
                           nw->country == BPA_COUNTRY_DK ? "Danish" : "Swedish");
    if (st != BPA_OK) {
        bpa_diff_free(d);
        return st;
    }
    d->country = od->country;
    dctx x = {d, false, 0, 0};
    gather(&x, false, od);
    gather(&x, true, nw);
    mpq_set(d->total_old, od->total);
    mpq_set(d->total_new, nw->total);
    if (x.nomem) {
        bpa_diff_free(d);
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    if (d->nchanges)
        qsort(d->changes, d->nchanges, sizeof *d->changes, cmp_change);
    if (d->nother)
        qsort(d->other, d->nother, sizeof *d->other, cmp_other);

    /* a category with no hours on either side (a line of 0 hours per week) is no row */
    size_t keep = 0;
    for (size_t i = 0; i < d->nchanges; i++) {
        bpa_diff_change *c = &d->changes[i];
        split(c);
        if (!c->in_old && !c->in_new && mpq_sgn(c->change) == 0 &&
            mpq_sgn(c->old_amount) == 0) {
            mpq_clears(c->old_hours, c->new_hours, c->old_rate, c->new_rate, c->old_amount,
                       c->new_amount, c->change, c->hours_effect, c->rate_effect, c->residue,
                       NULL);
            continue;
        }
        if (keep != i)
            d->changes[keep] = *c;
        keep++;
        mpq_add(d->sum_old, d->sum_old, c->old_amount);
        mpq_add(d->sum_new, d->sum_new, c->new_amount);
        mpq_add(d->sum_change, d->sum_change, c->change);
        mpq_add(d->sum_hours_effect, d->sum_hours_effect, c->hours_effect);
        mpq_add(d->sum_rate_effect, d->sum_rate_effect, c->rate_effect);
        mpq_add(d->sum_residue, d->sum_residue, c->residue);
    }
    d->nchanges = keep;
    if (!categories_sum(d)) {
        bpa_diff_free(d);
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < d->nother; i++) {
        bpa_diff_other *o = &d->other[i];
        mpq_sub(o->change, o->new_amount, o->old_amount);
        mpq_ptr sum = o->in_total ? d->other_change : d->outside_change;
        mpq_add(sum, sum, o->change);
    }
    mpq_sub(d->total_change, d->total_new, d->total_old);
    mpq_add(d->explained, d->sum_change, d->other_change);
    d->has_pct = mpq_sgn(d->total_old) != 0;
    if (d->has_pct) {
        /* a fixed half-away rounding: the two sides may round differently */
        mpq_div(d->pct, d->total_change, d->total_old);
        mpq_t hundred;
        mpq_init(hundred);
        mpq_set_ui(hundred, 100, 1);
        mpq_mul(d->pct, d->pct, hundred);
        mpq_clear(hundred);
        bpa_round(d->pct, d->pct, BPA_ROUND_HALF_AWAY_FROM_ZERO);
    }
    *out = d;
    return BPA_OK;
}

void bpa_diff_free(bpa_diff *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nchanges; i++) {
        bpa_diff_change *c = &d->changes[i];
        mpq_clears(c->old_hours, c->new_hours, c->old_rate, c->new_rate, c->old_amount,
                   c->new_amount, c->change, c->hours_effect, c->rate_effect, c->residue, NULL);
    }
    for (size_t i = 0; i < d->nother; i++)
        mpq_clears(d->other[i].old_amount, d->other[i].new_amount, d->other[i].change, NULL);
    for (size_t i = 0; i < d->ncategories; i++)
        category_clear(&d->categories[i]);
    free(d->categories);
    free(d->changes);
    bpa_grant_record_free(d->owned[0]);
    bpa_grant_record_free(d->owned[1]);
    free(d->other);
    mpq_clears(d->sum_old, d->sum_new, d->sum_change, d->sum_hours_effect, d->sum_rate_effect,
               d->sum_residue, d->other_change, d->outside_change, d->explained, d->total_old, d->total_new,
               d->total_change, d->pct, NULL);
    free(d);
}
