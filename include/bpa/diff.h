/*
 * bpa/diff.h - comparing two grants (RULES.md 13, "Compare two grants"):
 * last year's and this year's, or a grant before and after a change of
 * decision. Both sides are computed grants of the same country: Danish
 * (bpa_grant) or Swedish budgets (bpa_se_grant).
 *
 * Per month and category present on either side (Danish: kind, band, step;
 * Swedish: the kind) the engine records old, new and change = new - old,
 * split exactly into hours_effect = (h1 - h0) x r0, rate_effect =
 * h1 x (r1 - r0) and residue = change - hours_effect - rate_effect, with h
 * the month's hours of the category and r its exact average rate
 * (sum of hours x rate over the month's lines / sum of hours). A category
 * with no hours on one side has its whole change as hours effect. Other
 * lines (per-helper, administration, payroll cap, allowance, hourly-cap
 * reductions; Swedish: the month's R3 rounding and the kommun share) are
 * compared per month and rule. Totals come from each grant's own totals;
 * pct = round(change / old x 100) to 2 decimals, half away from zero
 * (none when old is 0). Writers (JSON, summary, workbook) only render.
 *
 * Ownership: bpa_diff_compute allocates *out, bpa_diff_free releases it.
 * The diff refers to both grants (and their cases and policies), which
 * must outlive it.
 *
 * Thread safety: a computed diff is read-only and may be shared; different
 * diffs in different threads are safe.
 */
#ifndef BPA_DIFF_H
#define BPA_DIFF_H

#include "bpa/export.h"

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "bpa/grant.h"
#include "bpa/lang.h"
#include "bpa/se.h"
#include "bpa/status.h"
#include "bpa/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One side: exactly one of grant (Danish) and se_grant (Swedish) set. */
typedef struct bpa_diff_side {
    const bpa_grant *grant;
    const bpa_se_grant *se_grant;
} bpa_diff_side;

/* A month and category. Swedish categories: band BPA_BAND_ANY, step 0. */
typedef struct bpa_diff_change {
    int year, month;
    bpa_category category;
    bool in_old, in_new;       /* hours > 0 on that side */
    mpq_t old_hours, new_hours;
    mpq_t old_rate, new_rate;  /* exact average rate; 0 where absent */
    mpq_t old_amount, new_amount, change;
    mpq_t hours_effect, rate_effect, residue;
} bpa_diff_change;

/* A category over all months: the sums of its changes[] rows. */
typedef struct bpa_diff_category {
    bpa_category category;
    bool in_old, in_new;       /* hours > 0 in some month on that side */
    mpq_t old_hours, new_hours, hours_change;
    mpq_t old_amount, new_amount, change;
    mpq_t hours_effect, rate_effect, residue;
} bpa_diff_category;

/* Other lines of a month and rule: Danish rules are bpa_line_rule_name's
 * (not "wages"); Swedish "rounding" (the month's amount minus its kinds'
 * exact shares: R3 rounds the month's billable hours once) and
 * "kommun_share". in_total: the line counts in the grant's total. */
typedef struct bpa_diff_other {
    int year, month;
    const char *rule;          /* static text */
    bool in_total;
    mpq_t old_amount, new_amount, change;
} bpa_diff_other;

typedef struct bpa_diff {
    bpa_country country;
    bpa_diff_side old_side, new_side;
    const bpa_case *old_case, *new_case;
    const bpa_policy *old_policy, *new_policy;
    bpa_diff_change *changes;  /* by month, then category */
    size_t nchanges;
    bpa_diff_category *categories; /* by category */
    size_t ncategories;
    bpa_diff_other *other;     /* by month, then rule */
    size_t nother;
    /* sums over changes[] */
    mpq_t sum_old, sum_new, sum_change, sum_hours_effect, sum_rate_effect, sum_residue;
    /* sums over other[] with in_total, and over the rest */
    mpq_t other_change, outside_change;
    mpq_t explained;           /* sum_change + other_change: equals total_change */
    /* the grants' own totals (Danish totals.grant, Swedish totals.amount) */
    mpq_t total_old, total_new, total_change;
    bool has_pct;              /* false when total_old is 0 */
    mpq_t pct;                 /* rounded to 0.01 */
} bpa_diff;

/* BPA_E_INPUT when the sides are of different countries (naming both
 * cases and schemes) or a side has neither or both grants set. */
BPA_API bpa_status bpa_diff_compute(bpa_diff **out, bpa_diff_side old_side, bpa_diff_side new_side,
                                    bpa_error *err);
BPA_API void bpa_diff_free(bpa_diff *diff);

/* `bpa-diff-result/1` JSON (malloc'd, caller frees). */
BPA_API bpa_status bpa_diff_to_json(const bpa_diff *diff, char **json, bpa_error *err);
/* A readable summary in lang (da, sv, en); malloc'd, caller frees. */
BPA_API bpa_status bpa_diff_summary(const bpa_diff *diff, bpa_lang lang, char **text,
                                    bpa_error *err);
/* The comparison workbook in lang, written atomically to path. */
BPA_API bpa_status bpa_diff_workbook_write(const bpa_diff *diff, const char *path, bpa_lang lang,
                                           bpa_error *err);

#ifdef __cplusplus
}
#endif
#endif
