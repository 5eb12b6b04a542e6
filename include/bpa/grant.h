/*
 * bpa/grant.h - the Danish grant (udmåling), RULES.md section 7.
 *
 * bpa_grant_compute cuts each decision into segments (7.1), prices every
 * category (7.2, R1/R2), writes the lines (7.3, R3), indexes administration
 * amounts (7.4, R4), sums months and due dates (7.5) and, for section 94, the
 * employment form (7.6). Every amount is an exact rational that is a whole
 * number of øre once it has passed its rounding point; nothing is rounded
 * anywhere else. The result is read-only for callers (settlement, JSON,
 * workbook) and refers to the case and policy it was computed from, which
 * must outlive it.
 *
 * Ownership: bpa_grant_compute allocates *out; bpa_grant_free releases it.
 *
 * Thread safety: computing different cases in different threads is safe (they
 * may share one policy), and a computed grant is read-only and may be shared.
 * GMP aborts the process when memory runs out (bpa/memory.h): a batch that must
 * survive that runs its cases in separate processes.
 */
#ifndef BPA_GRANT_H
#define BPA_GRANT_H

#include "bpa/export.h"

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "bpa/case.h"
#include "bpa/num.h"
#include "bpa/policy.h"
#include "bpa/status.h"
#include "bpa/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bpa_line_rule {
    BPA_LINE_WAGES = 0,
    BPA_LINE_PER_HELPER,
    BPA_LINE_ADMIN,
    BPA_LINE_PAYROLL_ADMIN_CAP,
    BPA_LINE_ALLOWANCE,
    BPA_LINE_HOURLY_CAP_REDUCTION
} bpa_line_rule;

BPA_API const char *bpa_line_rule_name(bpa_line_rule rule);

typedef struct bpa_rate_addon {
    const char *name;
    bpa_addon_type type;
    bool on_wage_and_supplement;
    mpq_t param;  /* pct or kr per hour as the policy gives it */
    mpq_t amount; /* per hour, after R2 */
} bpa_rate_addon;

/* One category's hourly rate over a run of consecutive segments (the
 * tariff table). */
typedef struct bpa_rate {
    bpa_category category;
    bpa_date from, to;
    mpq_t wage;          /* W, unrounded */
    mpq_t fraction;      /* on_call.fraction, 1 for work */
    bool supplement_pct; /* supplement given in percent (else kr) */
    mpq_t supplement_param;
    bool round_components; /* R1 applied */
    mpq_t base;            /* after R1 */
    mpq_t supplement;      /* after R1 */
    bpa_rate_addon *addons;
    size_t naddons;
    mpq_t hourly;
} bpa_rate;

typedef struct bpa_segment {
    bpa_date from, to;
    int days;
    size_t decision;
    long helpers;
    bpa_rounding mode;
    mpq_t hours;      /* all hours of the segment */
    mpq_t wage_lines; /* sum of its wage lines (for sharing a reduction) */
} bpa_segment;

typedef struct bpa_line {
    bpa_line_rule rule;
    bpa_date from, to;
    size_t decision;
    size_t segment;  /* index into segments; allowance lines: (size_t)-1 */
    bool has_category;
    bpa_category category;
    size_t rate;     /* wage lines: index into rates */
    const char *name; /* per-helper lines: the add-on's name */
    mpq_t hours;     /* hours, or helper-years for per-helper lines, or days/month share for allowance */
    mpq_t rate_value; /* the factor hours are multiplied by */
    mpq_t exact;     /* before rounding */
    mpq_t amount;    /* after rounding (whole øre) */
} bpa_line;

typedef struct bpa_month {
    int year, month;
    mpq_t hours;     /* granted hours (all categories) */
    mpq_t wages;     /* wage, per-helper and reduction lines */
    mpq_t admin;
    mpq_t payroll_admin_cap;
    mpq_t recipient; /* wages + admin when money goes to a recipient, else 0 */
    mpq_t allowance;
    bool has_due;
    bpa_date due;
    bool has_allowance_due;
    bpa_date allowance_due;
} bpa_month;

typedef struct bpa_employment {
    bpa_date from, to;
    mpq_t hours_per_week;
    mpq_t threshold;
    bool monthly_paid;
} bpa_employment;

typedef struct bpa_trace_step {
    char *step;   /* what was computed */
    char *rule;   /* the rule and its origin */
    char *inputs;
    char *result;
} bpa_trace_step;

/* A policy value the computation read (for the inputs sheet). */
typedef struct bpa_used_param {
    char *name;
    const bpa_param_entry *entry; /* NULL: the built-in default */
    char *value;                  /* display text */
} bpa_used_param;

typedef struct bpa_grant {
    const bpa_case *kase;
    const bpa_policy *policy;
    bpa_country country;
    bpa_rate *rates;
    size_t nrates;
    bpa_segment *segments;
    size_t nsegments;
    bpa_line *lines;
    size_t nlines;
    bpa_month *months;
    size_t nmonths;
    bpa_employment *employment;
    size_t nemployment;
    bpa_trace_step *trace;
    size_t ntrace;
    bpa_used_param *used;
    size_t nused;
    bool forud;       /* recipient paid in advance */
    bool pays_recipient;
    mpq_t total_wages, total_admin, total_payroll_admin_cap, total_allowance, total_grant;
    mpq_t total_hours;
    /* internal capacities */
    size_t cap_rates, cap_segments, cap_lines, cap_months, cap_trace, cap_used, cap_employment;
} bpa_grant;

BPA_API bpa_status bpa_grant_compute(bpa_grant **out, const bpa_case *kase, const bpa_policy *policy,
                             bpa_error *err);
BPA_API void bpa_grant_free(bpa_grant *grant);

/* The result as `bpa-grant-result/1` JSON text (malloc'd, caller frees). */
BPA_API bpa_status bpa_grant_to_json(const bpa_grant *grant, char **json, bpa_error *err);

/* Display text of a policy value ("132.96", "{\"pct\": \"30\"}"); malloc'd. */
BPA_API char *bpa_value_text(const bpa_value *value);

#ifdef __cplusplus
}
#endif
#endif
