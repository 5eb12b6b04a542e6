/*
 * se/period.h (internal) - what the Swedish budget and the avräkning share
 * (RULES.md 7.7, 8.3, 12): the räkning date, the walk over a grant period's
 * months, and reading a month's factors, rounding mode and rate on the
 * month's first day, recording every parameter read (trace/params_read.h).
 *
 * Thread safety: no shared state; a bpa_se_reads writes only its own list.
 */
#ifndef BPA_SE_PERIOD_H
#define BPA_SE_PERIOD_H

#include <stdbool.h>
#include <stddef.h>

#include "bpa/se.h"

/* The räkning for month M is due on the 5th of M+2, never moved (8.3, 12). */
bpa_date bpa_se_rakning_due(int year, int month);

/* The months a period [from, to] touches, in date order:
 *
 *     bpa_se_month_walk w;
 *     for (bpa_se_month_walk_start(&w, from, to); bpa_se_month_walk_next(&w);)
 *         ... w.year, w.month, w.first, w.lo .. w.hi, w.days ...
 */
typedef struct bpa_se_month_walk {
    bpa_date from, to; /* the period */
    int year, month;   /* the month */
    bpa_date first;    /* its first day (the value date of its parameters) */
    bpa_date lo, hi;   /* the period's days in it */
    long days;         /* d = hi - lo + 1 */
    bool started;
} bpa_se_month_walk;

void bpa_se_month_walk_start(bpa_se_month_walk *w, bpa_date from, bpa_date to);
bool bpa_se_month_walk_next(bpa_se_month_walk *w);
/* How many months [from, to] touches. */
size_t bpa_se_month_count(bpa_date from, bpa_date to);

/* Where parameter reads are recorded: a result's used[] list. */
typedef struct bpa_se_reads {
    const bpa_policy *policy;
    bpa_used_param **used;
    size_t *nused;
    bpa_error *err;
} bpa_se_reads;

/* A required parameter (or one with a default) on `day`: its value, its
 * entry (may be NULL) and its index in the list (*index). No value is
 * BPA_E_POLICY naming the parameter and the date. */
bpa_status bpa_se_need(const bpa_se_reads *r, const char *name, bpa_date day,
                       const bpa_value **v, size_t *index);

/* A month's factors and rounding mode on its first day (m->year, m->month):
 * se.factor.vantetid and rounding.mode always, se.factor.beredskap only when
 * `beredskap` (the period grants or uses it); a missing beredskap factor is
 * BPA_E_POLICY naming the parameter, the date and the period (`period`, a
 * JSON path of the case). Fills factor_vantetid, has_factor_beredskap,
 * factor_beredskap, mode and their *_read. */
bpa_status bpa_se_month_factors(const bpa_se_reads *r, bool beredskap, const char *period,
                                bpa_se_budget_month *m);

/* A month's rate (8.3) on its first day: se.kommun.rate.<tier> for a
 * se-lss-9-2 period; else se.schablon, and with a raised rate also
 * se.raised_max_pct, the limit schablon x (1 + pct/100) unrounded, and
 * BPA_E_INPUT naming the month and the limit when the raised rate is above
 * it (at the period's place in case file `file`). Fills rate_source,
 * schablon, raised_max_pct, rate_max, rate and rate_read, schablon_read,
 * max_pct_read. */
bpa_status bpa_se_month_rate(const bpa_se_reads *r, const char *file, const bpa_se_period *sp,
                             bpa_se_budget_month *m);

/* Initialise and clear a month's numbers (every index BPA_NO_PARAM). */
void bpa_se_budget_month_init(bpa_se_budget_month *m);
void bpa_se_budget_month_clear(bpa_se_budget_month *m);

#endif
