/*
 * bpa/diff.h - two grants compared (RULES.md 13): last year's against this
 * year's, or a decision before and after a change. Per month and category
 * present on either side the change in amount is split exactly into
 *   hours effect (h1 - h0) x r0, rate effect h1 x (r1 - r0), residue (the rest, from R3),
 * h the month's hours of the category, r its exact average rate (sum of
 * hours x rate over the month's segments / sum of hours); a category on one
 * side only has its whole change as hours effect. Other lines (per-helper,
 * administration, allowance, reductions) are compared per month and rule;
 * totals with their percentage change.
 *
 * Either side is a grant result JSON (bpa-grant-result/1 or
 * bpa-se-grant-result/1; a Swedish budget's category is its billable hours at
 * the month's rate), read exactly from its strings (the `_exact` fields
 * included): the CLI computes a case file's grant and hands its JSON here, so
 * cases and results are compared the same way. Both sides must be of one
 * country.
 *
 * Ownership: bpa_diff_grants allocates *out, bpa_diff_free releases it.
 * Thread safety: different diffs in different threads are safe.
 */
#ifndef BPA_DIFF_H
#define BPA_DIFF_H

#include "bpa/export.h"

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "bpa/lang.h"
#include "bpa/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bpa_diff_change {
    int year, month;
    char *category;        /* "work/day/11"; Swedish: "billable" */
    bool in_old, in_new;
    mpq_t old_hours, new_hours;
    mpq_t old_rate, new_rate; /* exact average rates (0 on the side it is absent) */
    mpq_t old_amount, new_amount, change;
    mpq_t hours_effect, rate_effect, residue; /* change = the three, exactly */
} bpa_diff_change;

typedef struct bpa_diff_other {
    int year, month;
    char *rule;            /* a line rule name ("admin", "allowance", "per_helper", ...) */
    mpq_t old_amount, new_amount, change;
} bpa_diff_other;

typedef struct bpa_diff {
    char *old_name, *new_name;   /* the two files, as given */
    char *old_case, *new_case;   /* case ids */
    int old_year, new_year;
    bpa_diff_change *changes;    /* by month, then category */
    size_t nchanges;
    bpa_diff_other *other;       /* by month, then rule */
    size_t nother;
    mpq_t total_old, total_new, total_change;
    bool has_pct;                /* false when total_old is 0 */
    mpq_t pct;                   /* 100 x change / old, exact */
} bpa_diff;

/* Compare two grant result JSON texts; names are the files they came from
 * (for messages). BPA_E_INPUT for a text that is not a grant result or for
 * two of different countries. */
BPA_API bpa_status bpa_diff_grants(bpa_diff **out, const char *old_name, const char *old_json,
                                   const char *new_name, const char *new_json, bpa_error *err);
BPA_API void bpa_diff_free(bpa_diff *d);

/* `bpa-diff-result/1` (malloc'd, caller frees). */
BPA_API bpa_status bpa_diff_to_json(const bpa_diff *d, char **json, bpa_error *err);
/* For people, in `lang`: per month the changes and what they come from. */
BPA_API bpa_status bpa_diff_summary(const bpa_diff *d, bpa_lang lang, char **text,
                                    bpa_error *err);
/* The diff workbook (atomic, live formulas: change = hours effect + rate
 * effect + residue; effects from the hours and rates cells). */
BPA_API bpa_status bpa_diff_workbook_write(const bpa_diff *d, const char *path, bpa_lang lang,
                                           bpa_error *err);

#ifdef __cplusplus
}
#endif
#endif
