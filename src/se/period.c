/* What the Swedish budget and the avräkning share (see se/period.h). */
#include "se/period.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"
#include "trace/params_read.h"

bpa_date bpa_se_rakning_due(int year, int month)
{
    return bpa_date_add_months(bpa_date_make(year, month, 5), 2);
}

void bpa_se_month_walk_start(bpa_se_month_walk *w, bpa_date from, bpa_date to)
{
    memset(w, 0, sizeof *w);
    w->from = from;
    w->to = to;
}

bool bpa_se_month_walk_next(bpa_se_month_walk *w)
{
    if (!w->started) {
        w->started = true;
        if (w->to < w->from)
            return false;
        w->year = bpa_date_year(w->from);
        w->month = bpa_date_month(w->from);
    } else {
        if (w->hi >= w->to)
            return false;
        if (++w->month > 12) {
            w->month = 1;
            w->year++;
        }
    }
    w->first = bpa_date_make(w->year, w->month, 1);
    bpa_date last = w->first + bpa_days_in_month(w->year, w->month) - 1;
    w->lo = w->first > w->from ? w->first : w->from;
    w->hi = last < w->to ? last : w->to;
    w->days = (long)(w->hi - w->lo) + 1;
    return true;
}

size_t bpa_se_month_count(bpa_date from, bpa_date to)
{
    bpa_se_month_walk w;
    size_t n = 0;
    for (bpa_se_month_walk_start(&w, from, to); bpa_se_month_walk_next(&w);)
        n++;
    return n;
}

bpa_status bpa_se_need(const bpa_se_reads *r, const char *name, bpa_date day,
                       const bpa_value **v, size_t *index)
{
    const bpa_param_entry *e = NULL;
    bpa_status st = bpa_policy_need(r->policy, name, day, v, &e, r->err);
    if (st != BPA_OK)
        return st;
    return bpa_used_record(r->used, r->nused, name, day, e, *v, index, r->err);
}

bpa_status bpa_se_month_factors(const bpa_se_reads *r, bool beredskap, const char *period,
                                bpa_se_budget_month *m)
{
    bpa_date first = bpa_date_make(m->year, m->month, 1);
    const bpa_value *v;
    bpa_status st = bpa_se_need(r, "se.factor.vantetid", first, &v, &m->vantetid_read);
    if (st != BPA_OK)
        return st;
    mpq_set(m->factor_vantetid, v->q);
    if ((st = bpa_se_need(r, "rounding.mode", first, &v, &m->rounding_read)) != BPA_OK)
        return st;
    m->mode = v->i == 1 ? BPA_ROUND_HALF_EVEN : BPA_ROUND_HALF_AWAY_FROM_ZERO;
    m->has_factor_beredskap = false;
    mpq_set_ui(m->factor_beredskap, 0, 1);
    if (!beredskap)
        return BPA_OK;
    if (!bpa_policy_get(r->policy, "se.factor.beredskap", first, NULL)) {
        char day[11];
        bpa_date_format(first, day);
        return bpa_error_set(r->err, BPA_E_POLICY, bpa_policy_file(r->policy), 0, 0,
                             "se.factor.beredskap",
                             "parameter \"se.factor.beredskap\" has no value on %s in policy "
                             "\"%s\", and the period at %s grants beredskap: give the billable "
                             "fraction of an hour of beredskap (it has no default)",
                             day, bpa_policy_id(r->policy), period);
    }
    if ((st = bpa_se_need(r, "se.factor.beredskap", first, &v, &m->beredskap_read)) != BPA_OK)
        return st;
    m->has_factor_beredskap = true;
    mpq_set(m->factor_beredskap, v->q);
    return BPA_OK;
}

bpa_status bpa_se_month_rate(const bpa_se_reads *r, const char *file, const bpa_se_period *sp,
                             bpa_se_budget_month *m)
{
    bpa_date first = bpa_date_make(m->year, m->month, 1);
    const bpa_value *v;
    bpa_status st;
    if (sp->tier) {
        char name[128];
        snprintf(name, sizeof name, "se.kommun.rate.%s", sp->tier);
        if ((st = bpa_se_need(r, name, first, &v, &m->rate_read)) != BPA_OK)
            return st;
        m->rate_source = BPA_SE_RATE_TIER;
        mpq_set(m->rate, v->q);
        return BPA_OK;
    }
    if ((st = bpa_se_need(r, "se.schablon", first, &v, &m->schablon_read)) != BPA_OK)
        return st;
    mpq_set(m->schablon, v->q);
    m->rate_read = m->schablon_read;
    if (!sp->has_rate) {
        m->rate_source = BPA_SE_RATE_SCHABLON;
        mpq_set(m->rate, m->schablon);
        return BPA_OK;
    }
    if ((st = bpa_se_need(r, "se.raised_max_pct", first, &v, &m->max_pct_read)) != BPA_OK)
        return st;
    m->rate_source = BPA_SE_RATE_RAISED;
    mpq_set(m->raised_max_pct, v->q);
    /* schablon x (1 + pct/100) = schablon x (100 + pct) / 100, unrounded */
    mpq_t f;
    mpq_init(f);
    mpq_set_ui(f, 100, 1);
    mpq_add(f, f, m->raised_max_pct);
    mpq_mul(m->rate_max, m->schablon, f);
    mpq_set_ui(f, 100, 1);
    mpq_div(m->rate_max, m->rate_max, f);
    mpq_clear(f);
    mpq_set(m->rate, sp->rate);
    if (mpq_cmp(sp->rate, m->rate_max) <= 0)
        return BPA_OK;
    char month[8];
    bpa_month_format(m->year, m->month, month);
    /* the figures as a reader writes them: "372.512", "1/3" only when not exact at six */
    bpa_strbuf b[4];
    const mpq_t *qs[4] = {&sp->rate, &m->rate_max, &m->schablon, &m->raised_max_pct};
    bool ok = true;
    for (int i = 0; i < 4; i++) {
        bpa_strbuf_init(&b[i]);
        bpa_strbuf_addq(&b[i], *qs[i]);
        bpa_strbuf_add(&b[i], "");
        ok = ok && !b[i].failed && b[i].buf;
    }
    st = ok ? bpa_error_set(r->err, BPA_E_INPUT, file, sp->src.line, sp->src.column, sp->src.path,
                            "the raised rate %s is above its limit in %s: at most %s = "
                            "se.schablon %s × (1 + %s/100) (se.raised_max_pct); lower the rate "
                            "or end the period before that month",
                            b[0].buf, month, b[1].buf, b[2].buf, b[3].buf)
            : bpa_error_set(r->err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    for (int i = 0; i < 4; i++)
        bpa_strbuf_release(&b[i]);
    return st;
}

void bpa_se_budget_month_init(bpa_se_budget_month *m)
{
    memset(m, 0, sizeof *m);
    for (int k = 0; k < BPA_SE_KINDS; k++)
        mpq_init(m->granted[k]);
    mpq_inits(m->factor_vantetid, m->factor_beredskap, m->billable, m->schablon,
              m->raised_max_pct, m->rate_max, m->rate, m->exact, m->amount, m->kommun_hours,
              m->kommun_exact, m->kommun_amount, NULL);
    m->rate_read = m->schablon_read = m->max_pct_read = m->vantetid_read = m->beredskap_read =
        m->rounding_read = m->kommun_read = BPA_NO_PARAM;
}

void bpa_se_budget_month_clear(bpa_se_budget_month *m)
{
    for (int k = 0; k < BPA_SE_KINDS; k++)
        mpq_clear(m->granted[k]);
    mpq_clears(m->factor_vantetid, m->factor_beredskap, m->billable, m->schablon,
               m->raised_max_pct, m->rate_max, m->rate, m->exact, m->amount, m->kommun_hours,
               m->kommun_exact, m->kommun_amount, NULL);
}
