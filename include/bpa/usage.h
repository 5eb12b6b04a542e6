/*
 * bpa/usage.h - a usage file (`bpa-usage/1`, RULES.md section 8.1): the
 * hours used, timesheets, payments received, invoices, carried hours and
 * actual wage costs for one case and year.
 *
 * Loading is strict (unknown keys, wrong types, impossible dates, negative
 * amounts except payments, more than two decimals in amounts that happened:
 * BPA_E_INPUT with file, line:column and JSON path). Checks against the case,
 * grant and policy are made by the settlement.
 *
 * Ownership: bpa_usage_load allocates; bpa_usage_free releases everything.
 *
 * Thread safety: a loaded usage is read-only and may be shared between
 * threads; loading in several threads at once: see bpa/case.h.
 */
#ifndef BPA_USAGE_H
#define BPA_USAGE_H

#include "bpa/export.h"

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "bpa/case.h"
#include "bpa/date.h"
#include "bpa/status.h"
#include "bpa/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bpa_payment_for {
    BPA_PAYMENT_GRANT = 0,
    BPA_PAYMENT_ALLOWANCE,
    BPA_PAYMENT_PAYROLL_ADMIN
} bpa_payment_for;

typedef struct bpa_used_row {
    int month;       /* 1-12 */
    bpa_kind kind;
    bpa_band band;   /* BPA_BAND_ANY when an on-call row names none */
    bool band_given;
    int step;
    mpq_t hours;
    bpa_source src;
} bpa_used_row;

typedef struct bpa_payment {
    bpa_date date;
    mpq_t amount;    /* may be negative: a refund */
    bpa_payment_for what;
    bpa_source src;
} bpa_payment;

typedef struct bpa_invoice {
    bpa_date date;
    mpq_t amount;
    bpa_source src;
} bpa_invoice;

typedef struct bpa_carry_in {
    bpa_kind kind;
    bpa_band band;
    bool band_given;
    int step;
    mpq_t hours, value;
    bpa_source src;
} bpa_carry_in;

typedef struct bpa_carry_over {
    char *pool;      /* NULL: the only pool */
    mpq_t hours;
    bpa_source src;
} bpa_carry_over;

/* date_format and time_format of a timesheet map (RULES.md 8.1 Maps). */
typedef enum bpa_ts_date_format {
    BPA_TS_DATE_ISO,   /* YYYY-MM-DD (default) */
    BPA_TS_DATE_DMY_DASH, /* DD-MM-YYYY, day and month with one or two digits */
    BPA_TS_DATE_DMY_DOT,  /* DD.MM.YYYY */
    BPA_TS_DATE_DMY_SLASH /* DD/MM/YYYY */
} bpa_ts_date_format;

typedef enum bpa_ts_time_format {
    BPA_TS_TIME_COLON, /* HH:MM (default) */
    BPA_TS_TIME_DOT    /* HH.MM */
} bpa_ts_time_format;

/* A timesheets[] entry given as an object: how an export names things. All
 * strings owned by the usage. */
typedef struct bpa_timesheet_map {
    char *columns[6];  /* header names of helper, date, start, end, kind, step; NULL: standard */
    char **kind_from, **kind_to; /* kinds: the file's value -> a standard kind */
    size_t nkinds;
    bpa_ts_date_format date_format;
    bpa_ts_time_format time_format;
    char **ignore;     /* ignore_columns */
    size_t nignore;
    char *sheet;       /* NULL: the first worksheet */
} bpa_timesheet_map;

typedef struct bpa_usage {
    char *file;
    char sha256[65];
    char *case_id;
    int year;
    bpa_source case_src, year_src; /* where they stand, for mismatch messages */
    bpa_used_row *used;
    size_t nused;
    char **timesheets;      /* paths resolved against the usage file's directory */
    bpa_timesheet_map *timesheet_maps; /* one per timesheet; all empty for a plain path */
    size_t ntimesheets;
    bpa_payment *payments;
    size_t npayments;
    bpa_invoice *invoices;
    size_t ninvoices;
    bpa_carry_in *carry_in;
    size_t ncarry_in;
    bpa_carry_over *carry_over;
    size_t ncarry_over;
    bool has_actual_costs;
    mpq_t actual_wage_costs;
} bpa_usage;

BPA_API bpa_status bpa_usage_load(bpa_usage **out, const char *path, bpa_error *err);
BPA_API bpa_status bpa_usage_load_mem(bpa_usage **out, const char *name, const char *data,
                              size_t length, bpa_error *err);
BPA_API void bpa_usage_free(bpa_usage *u);

BPA_API const char *bpa_payment_for_name(bpa_payment_for what);

#ifdef __cplusplus
}
#endif
#endif
