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
#include "bpa/trace.h"
#include "bpa/types.h"
#include "bpa/warning.h"

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

/* No parameter: an index into bpa_grant.used that is not there. */
#define BPA_NO_PARAM ((size_t)-1)

typedef struct bpa_rate_addon {
    const char *name;
    bpa_addon_type type;
    bool on_wage_and_supplement;
    mpq_t param;  /* pct or kr per hour as the policy gives it */
    mpq_t amount; /* per hour, after R2 */
} bpa_rate_addon;

/* One category's hourly rate over a run of consecutive segments (the
 * tariff table), with its components (RULES.md 7.2) and the parameters they
 * were read from (indexes into bpa_grant.used, read on the run's first day;
 * BPA_NO_PARAM where a component reads none). */
typedef struct bpa_rate {
    bpa_category category;
    bpa_date from, to;
    bpa_rounding mode;   /* rounding.mode for R1 and R2 */
    mpq_t wage;          /* W, unrounded */
    mpq_t fraction;      /* on_call.fraction, 1 for work */
    bool has_supplement; /* a band with a supplement (not day, not any) */
    bool supplement_pct; /* supplement given in percent (else kr) */
    mpq_t supplement_param;
    bool round_components; /* R1 applied */
    mpq_t base;            /* after R1 */
    mpq_t supplement;      /* after R1 */
    bpa_rate_addon *addons;
    size_t naddons;
    mpq_t hourly;
    size_t wage_read, fraction_read, supplement_read, addons_read, components_read,
        rounding_read;
} bpa_rate;

/* An amount stated at a price level, indexed once to the case year (R4,
 * RULES.md 7.4): round(amount x index_year / index_level). */
typedef struct bpa_indexation {
    size_t param_read;  /* the leveled parameter (bpa_grant.used) */
    size_t series_read; /* index.series (bpa_grant.used) */
    mpq_t amount;
    long level;
    int year;
    mpq_t index_year, index_level;
    bpa_rounding mode;
    mpq_t exact;   /* before R4 */
    mpq_t indexed; /* after R4 */
} bpa_indexation;

/* How a wage line's hours arise (RULES.md 7.1, 7.3): one term per decision
 * line or trip of the line's category in its segment; the line's hours are
 * the exact sum of its terms. */
typedef enum bpa_hours_basis {
    BPA_HOURS_WEEKS52 = 0, /* per_week x 52 x days / year_days */
    BPA_HOURS_CALENDAR,    /* per_week x days / 7 */
    BPA_HOURS_TOTAL,       /* total x days / decision_days */
    BPA_HOURS_TRIP         /* extra_hours_per_day x days */
} bpa_hours_basis;

typedef struct bpa_hours_term {
    bpa_hours_basis basis;
    size_t source;   /* the line's index in its decision, or the trip's in the case */
    mpq_t amount;    /* per_week, total or extra_hours_per_day, as the case gives it */
    long days;       /* days of the segment (a trip: its days inside the segment) */
    long divisor;    /* year_days, 7, decision_days, or 1 for a trip */
    mpq_t hours;     /* amount x (52 x) days / divisor */
} bpa_hours_term;

typedef struct bpa_segment {
    bpa_date from, to;
    int days;
    size_t decision;
    long helpers;
    bpa_rounding mode;
    bool weeks52;     /* hours.basis */
    mpq_t hours;      /* all hours of the segment */
    mpq_t wage_lines; /* sum of its wage lines (for sharing a reduction) */
    size_t rounding_read, basis_read, components_read; /* bpa_grant.used */
} bpa_segment;

/* A line of the grant: amount = round(hours x rate_value) (R3), with what
 * its factors were made from, so that a writer shows the derivation
 * without computing anything. */
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
    bpa_rounding mode;
    /* wages: the terms of hours */
    bpa_hours_term *terms;
    size_t nterms;
    /* per-helper, payroll cap: hours = helpers x days / year_days;
     * allowance: hours = days / month_days */
    long helpers, days, year_days, month_days;
    /* admin, payroll cap: the indexation giving rate_value (index into
     * indexations) */
    size_t indexation;
    bool work_hours_only; /* admin: admin.transferred.hours is "work" */
    size_t param_read;    /* per-helper: addons; allowance: none; hourly cap: hourly_cap */
    mpq_t cost;           /* hourly-cap reduction: the segment's wage, per-helper and admin lines */
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

/* A policy value the computation read: every parameter the engine reads is
 * recorded once per entry (RULES.md 9: the inputs sheet, the derivations). */
typedef struct bpa_used_param {
    char *name;
    const bpa_param_entry *entry; /* NULL: the built-in default */
    const bpa_value *v;           /* the value read (the entry's or the default) */
    bpa_date first_read;          /* the first date it was read on */
    bool has_late;                /* read as an out-of-date tariff (bpa_warning_late) */
    bpa_date late_read;           /* the first such day */
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
    bpa_trace trace; /* how it came about (bpa/trace.h) */
    bpa_warnings warnings; /* example_value, old_value (bpa/warning.h) */
    bpa_used_param *used;
    size_t nused;
    bpa_indexation *indexations;
    size_t nindexations;
    bool forud;       /* recipient paid in advance */
    bool pays_recipient;
    mpq_t total_wages, total_admin, total_payroll_admin_cap, total_allowance, total_grant;
    mpq_t total_hours;
    mpq_t total_recipient; /* the months' recipient amounts: paid to the recipient in the year */
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
