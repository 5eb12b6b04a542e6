/*
 * bpa/case.h - a case file (`bpa-case/1`, RULES.md section 6).
 *
 * Loading is strict: unknown keys, wrong types, missing fields, impossible
 * dates, reversed or overlapping decisions or periods, Danish decisions
 * outside the year, keys of the other country and negative hours are
 * BPA_E_INPUT with the file, line:column and JSON path. Checks that need the
 * policy (bands, steps, caps, period lengths, tiers) are made by the grant.
 *
 * Ownership: bpa_case_load allocates; bpa_case_free releases everything.
 *
 * Thread safety: a loaded case is read-only and may be shared between threads.
 * Loading in several threads at once works, but cJSON writes a process-wide
 * error pointer on every parse (bpa never reads it; ThreadSanitizer reports it).
 */
#ifndef BPA_CASE_H
#define BPA_CASE_H

#include "bpa/export.h"

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "bpa/date.h"
#include "bpa/policy.h"
#include "bpa/status.h"
#include "bpa/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bpa_employer {
    BPA_EMPLOYER_CITIZEN = 0,
    BPA_EMPLOYER_PAYROLL_ASSOCIATION,
    BPA_EMPLOYER_MUNICIPALITY_PAYROLL,
    BPA_EMPLOYER_TRANSFERRED
} bpa_employer;

typedef enum bpa_transferred_to {
    BPA_TRANSFERRED_NONE = 0,
    BPA_TRANSFERRED_RELATIVE,
    BPA_TRANSFERRED_ASSOCIATION,
    BPA_TRANSFERRED_COMPANY
} bpa_transferred_to;

typedef enum bpa_task { BPA_TASK_NONE = 0, BPA_TASK_PRACTICAL, BPA_TASK_PERSONAL_CARE } bpa_task;

typedef enum bpa_override_rule {
    BPA_OVERRIDE_ALLOWANCE_CAP = 0,
    BPA_OVERRIDE_TRIP_LIMITS,
    BPA_OVERRIDE_HOURLY_CAP,
    BPA_OVERRIDE_COUNT
} bpa_override_rule;

/* Where an element stood in the case file, for messages raised later. */
typedef struct bpa_source {
    unsigned line, column;
    char path[BPA_ERROR_PATH_MAX];
} bpa_source;

typedef struct bpa_hours_line {
    bpa_kind kind;
    bpa_band band;  /* BPA_BAND_ANY when an on-call line names none */
    bool band_given;
    int step;       /* -1 for a section 94 line (see task) */
    bpa_task task;
    bool per_week;  /* amount is hours per week; otherwise hours for the decision */
    mpq_t amount;
    bpa_source src;
} bpa_hours_line;

typedef struct bpa_decision {
    bpa_date from, to;
    bool has_allowance;
    mpq_t allowance_monthly;
    long helpers;   /* 0: the case's */
    int educated;   /* -1: the case's, else 0/1 */
    bpa_hours_line *lines;
    size_t nlines;
    bpa_source src;
} bpa_decision;

typedef enum bpa_trip_type { BPA_TRIP_VACATION = 0, BPA_TRIP_WEEKEND } bpa_trip_type;

typedef struct bpa_trip {
    bpa_trip_type type;
    bpa_date from;
    long days;
    mpq_t extra_hours_per_day;
    bpa_kind kind;
    bpa_band band;
    bool band_given;
    int step;
    bpa_source src;
} bpa_trip;

typedef struct bpa_override {
    bpa_override_rule rule;
    char *reason;
} bpa_override;

/* The Danish body (dk-sel-94/95/96). */
typedef struct bpa_dk_case {
    bpa_employer employer;
    bpa_transferred_to transferred_to;
    long helpers;
    bool educated;
    bpa_decision *decisions; /* sorted by date, inside the case year */
    size_t ndecisions;
    bpa_trip *trips;
    size_t ntrips;
} bpa_dk_case;

typedef enum bpa_se_payment { BPA_SE_EFTERSKOTT = 0, BPA_SE_FORSKOTT } bpa_se_payment;

/* Granted hours of one Swedish kind in a period: per week or in total. */
typedef struct bpa_se_hours {
    bool given;
    bool per_week;
    mpq_t amount;
} bpa_se_hours;

/* A Swedish grant period (beviljandeperiod); it may cross a year end. */
typedef struct bpa_se_period {
    bpa_date from, to;
    bpa_se_payment payment;
    bpa_se_hours hours[3]; /* by kind: aktiv, vantetid, beredskap (bpa_kind - BPA_KIND_AKTIV) */
    bool has_rate;         /* a raised hourly rate (se-sfb-51 only) */
    mpq_t rate;
    char *tier;            /* the kommun's tier (se-lss-9-2 only), else NULL */
    bpa_source src;
} bpa_se_period;

/* The Swedish body (se-sfb-51, se-lss-9-2). */
typedef struct bpa_se_case {
    bpa_se_period *periods; /* sorted by date, not overlapping */
    size_t nperiods;
} bpa_se_case;

/* A case: the header every scheme shares, and the body of its country
 * (exactly one of dk and se is set, by the scheme). */
typedef struct bpa_case {
    char *file;
    char sha256[65];
    char *id;
    char *policy;   /* id, or path relative to the case file */
    bpa_source policy_src; /* where "policy" stands, for "does not cover scheme" */
    bpa_scheme scheme;
    bpa_source scheme_src;
    int year;       /* the case year (Danish: every decision lies inside it) */
    bpa_override *overrides;
    size_t noverrides;
    bpa_dk_case *dk;
    bpa_se_case *se;
} bpa_case;

BPA_API bpa_status bpa_case_load(bpa_case **out, const char *path, bpa_error *err);
BPA_API bpa_status bpa_case_load_mem(bpa_case **out, const char *name, const char *data, size_t length,
                             bpa_error *err);
BPA_API void bpa_case_free(bpa_case *c);

/* The override for a rule, or NULL. */
BPA_API const bpa_override *bpa_case_override(const bpa_case *c, bpa_override_rule rule);
BPA_API const char *bpa_override_rule_name(bpa_override_rule rule);
BPA_API const char *bpa_employer_name(bpa_employer e);
BPA_API const char *bpa_transferred_to_name(bpa_transferred_to t);
BPA_API const char *bpa_task_name(bpa_task t);

/* Resolve the case's policy to a file path: a value containing '/' or ending
 * in ".json" is relative to the case file, otherwise "<policy_dir>/<id>.json".
 * Returns a malloc'd path (NULL when memory runs out). */
BPA_API char *bpa_case_policy_path(const bpa_case *c, const char *policy_dir);

/* Load the case's policy: resolve it as bpa_case_policy_path does, load it
 * and, when the case names it by id, check that the file's "id" is that id.
 * Every failure is BPA_E_POLICY naming the file (a missing or unreadable
 * policy file too: the case's policy is what is wrong; a mismatched id, at
 * $.id; an id and no policy_dir, which may be NULL only when the case names
 * its policy by path), or BPA_E_NOMEM. On success *out belongs to the
 * caller (bpa_policy_free) and must outlive every grant computed from it;
 * on failure *out is NULL. */
BPA_API bpa_status bpa_case_policy_load(const bpa_case *c, const char *policy_dir,
                                        bpa_policy **out, bpa_error *err);

#ifdef __cplusplus
}
#endif
#endif
