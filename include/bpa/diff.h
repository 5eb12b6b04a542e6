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
 * bpa_grant_record_load allocates *out, bpa_grant_record_free releases it.
 * The diff copies what it needs of a grant; a record side must outlive it.
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
#include "bpa/warning.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A grant as its lines were recorded: made by bpa_diff_compute from a
 * computed grant, or read back from a result JSON (`bpa-grant-result/1`,
 * `bpa-se-grant-result/1`) by bpa_grant_record_load. Category lines hold
 * hours, the exact rate and the amount (Swedish: a kind's hours, its
 * billable factor x the month's rate, and its exact share); other lines an
 * amount. */
typedef struct bpa_grant_record_line {
    int year, month;
    bool has_category;
    bpa_category category;
    const char *rule;          /* static text: "wages", or an other line's rule */
    bool in_total;             /* counts in the grant's total */
    mpq_t hours, rate, amount;
} bpa_grant_record_line;

typedef struct bpa_grant_record_input {
    char *name;
    char sha256[65];
} bpa_grant_record_input;

typedef struct bpa_grant_record {
    bool from_result;          /* read from a result file (file, sha256 its own) */
    char *file;
    char sha256[65];
    bpa_country country;
    bpa_scheme scheme;
    char *case_id;
    int year;
    char *engine_version;      /* of the engine that computed the grant */
    char *policy_id, *policy_title, *policy_sha256;
    bpa_grant_record_input *inputs; /* case and policy files (and what else it read) */
    size_t ninputs;
    char **override_rules, **override_reasons;
    size_t noverrides;
    /* warnings[]: a computed side's (the grant's own, rendered in English
     * as its result does) or the texts a result file holds */
    const bpa_warnings *warnings;
    char **warning_texts;      /* result sides: code, message, where per warning */
    size_t nwarnings;
    bpa_grant_record_line *lines;
    size_t nlines;
    mpq_t total;               /* totals.grant (Swedish totals.amount) */
} bpa_grant_record;

/* Read a grant result JSON back. BPA_E_IO when it cannot be read,
 * BPA_E_INPUT (file, line:column, JSON path) for a file that is not a grant
 * result or lacks what the comparison needs. */
BPA_API bpa_status bpa_grant_record_load(bpa_grant_record **out, const char *path,
                                         bpa_error *err);
/* The same from bytes (copied); name stands for the file in messages and
 * in the record's stamp, sha256 is that of the bytes. */
BPA_API bpa_status bpa_grant_record_load_mem(bpa_grant_record **out, const char *name,
                                             const char *data, size_t length, bpa_error *err);
BPA_API void bpa_grant_record_free(bpa_grant_record *rec);
/* Whether the file is JSON whose "format" is a grant result's (false for
 * anything else, unreadable files included: load it as a case then). */
BPA_API bool bpa_grant_record_is_result(const char *path);

/* One side: exactly one of grant (Danish), se_grant (Swedish) and record
 * set. */
typedef struct bpa_diff_side {
    const bpa_grant *grant;
    const bpa_se_grant *se_grant;
    const bpa_grant_record *record;
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
    /* the two sides as recorded lines, with their stamps (owned by the
     * diff when made from a grant) */
    const bpa_grant_record *old_rec, *new_rec;
    bpa_grant_record *owned[2];
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
 * files and schemes) or a side has not exactly one of its members set. */
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
