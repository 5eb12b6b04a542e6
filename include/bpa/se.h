/*
 * bpa/se.h - the Swedish schemes (se-sfb-51 assistansersättning, se-lss-9-2
 * kommunal assistans): the budget (RULES.md 7.7), the usage file of an
 * anordnare (8.1, 8.3), the avräkning per grant period (8.3), the räkning
 * and tidsredovisningar per month and the working-time check (8.4).
 *
 * The budget is the granted side of the avräkning: bpa_se_grant_compute
 * walks every grant period month by month (d = the period's days in the
 * month), computes the granted hours of each kind, the billable hours, the
 * month's rate and R3, and for se-sfb-51 the kommun share. bpa_se_settle
 * then sets what was used beside it. Like the Danish grant, every figure
 * carries what it was made from (the parameters read, by index into used[])
 * and the trace records each step as data (bpa/trace.h); writers only render.
 *
 * Ownership: *_compute / *_load allocate *out, the matching *_free releases
 * it. A budget refers to its case and policy, a settlement to its budget and
 * usage: they must outlive it.
 *
 * Thread safety: as bpa/grant.h: different cases in different threads are
 * safe, results are read-only once computed.
 */
#ifndef BPA_SE_H
#define BPA_SE_H

#include "bpa/export.h"

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "bpa/case.h"
#include "bpa/grant.h"    /* bpa_used_param, BPA_NO_PARAM */
#include "bpa/lang.h"
#include "bpa/num.h"
#include "bpa/policy.h"
#include "bpa/settle.h"   /* bpa_direction */
#include "bpa/status.h"
#include "bpa/trace.h"
#include "bpa/usage.h"    /* bpa_timesheet_map */
#include "bpa/warning.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The three Swedish kinds in array order: index = kind - BPA_KIND_AKTIV. */
#define BPA_SE_KINDS 3

typedef enum bpa_se_cap_unit { BPA_SE_CAP_PERIOD = 0, BPA_SE_CAP_MONTH, BPA_SE_CAP_WEEK } bpa_se_cap_unit;

/* Where a month's rate comes from (8.3). */
typedef enum bpa_se_rate_source {
    BPA_SE_RATE_SCHABLON = 0, /* se.schablon on the month's first day */
    BPA_SE_RATE_RAISED,       /* the period's raised rate, checked against the schablon */
    BPA_SE_RATE_TIER          /* se.kommun.rate.<tier> (se-lss-9-2) */
} bpa_se_rate_source;

/* ---- the budget (7.7) ------------------------------------------------ */

/* One month of a grant period: what the grant brings in. */
typedef struct bpa_se_budget_month {
    int year, month;
    long days;                    /* d: the period's days in this month */
    long period_days;             /* D: the period's days */
    mpq_t granted[BPA_SE_KINDS];  /* per_week x d/7, or total x d/D; 0 when not granted */
    bool per_week[BPA_SE_KINDS];  /* how granted[k] arose (for the derivation) */
    mpq_t factor_vantetid;        /* se.factor.vantetid on the month's first day */
    bool has_factor_beredskap;    /* read only when the period grants or uses beredskap */
    mpq_t factor_beredskap;
    mpq_t billable;               /* aktiv + fv x vantetid + fb x beredskap, exact */
    bpa_se_rate_source rate_source;
    mpq_t schablon;               /* SCHABLON, RAISED: se.schablon on the first day */
    mpq_t raised_max_pct;         /* RAISED: se.raised_max_pct */
    mpq_t rate_max;               /* RAISED: schablon x (1 + pct/100), unrounded */
    mpq_t rate;                   /* the rate the month is paid at */
    bpa_rounding mode;            /* rounding.mode on the month's first day */
    mpq_t exact, amount;          /* billable x rate; R3 round(exact) */
    bpa_date rakning_due;         /* 5th of M+2, never moved */
    bool has_kommun_share;        /* se-sfb-51 */
    mpq_t kommun_hours;           /* se.kommun_share_hours_per_week x d/7 */
    mpq_t kommun_exact, kommun_amount; /* kommun_hours x rate; R3 */
    /* indexes into bpa_se_grant.used (BPA_NO_PARAM where none was read) */
    size_t rate_read, schablon_read, max_pct_read, vantetid_read, beredskap_read,
        rounding_read, kommun_read;
} bpa_se_budget_month;

typedef struct bpa_se_budget_period {
    size_t period;                /* index into kase->se->periods */
    bpa_date from, to;
    long days;                    /* D */
    bpa_se_payment payment;
    bpa_se_cap_unit cap_unit;     /* se.cap_unit on the period's first day */
    size_t cap_unit_read, max_months_read; /* bpa_se_grant.used */
    bpa_se_budget_month *months;  /* in date order */
    size_t nmonths;
    mpq_t granted[BPA_SE_KINDS];  /* sums over the months */
    mpq_t billable, amount;
    bool has_kommun_share;
    mpq_t kommun_hours, kommun_amount;
} bpa_se_budget_period;

typedef struct bpa_se_grant {
    const bpa_case *kase;
    const bpa_policy *policy;
    bpa_se_budget_period *periods;
    size_t nperiods;
    mpq_t total_billable, total_amount;
    bool has_kommun_share;
    mpq_t total_kommun_hours, total_kommun_amount;
    bpa_used_param *used;         /* every parameter read, once per entry */
    size_t nused;
    bpa_trace trace;
    bpa_warnings warnings;        /* example_value, old_value */
} bpa_se_grant;

/* BPA_E_INPUT for a Danish case; BPA_E_POLICY for what the policy lacks
 * (schablon, tier rate, beredskap factor) naming parameter and date;
 * BPA_E_INPUT for a period longer than se.period_max_months, a tier not in
 * the policy, a raised rate above its cap (naming the month and the limit),
 * a rate or tier in the wrong scheme. */
BPA_API bpa_status bpa_se_grant_compute(bpa_se_grant **out, const bpa_case *kase,
                                        const bpa_policy *policy, bpa_error *err);
BPA_API void bpa_se_grant_free(bpa_se_grant *grant);

/* `bpa-se-grant-result/1` (malloc'd, caller frees). */
BPA_API bpa_status bpa_se_grant_to_json(const bpa_se_grant *grant, char **json, bpa_error *err);
/* A readable summary of the budget (as bpa/summary.h): Swedish by default
 * (any lang but BPA_LANG_EN), English on request. */
BPA_API bpa_status bpa_se_grant_summary(const bpa_se_grant *grant, bpa_lang lang, char **text,
                                        bpa_error *err);

BPA_API const char *bpa_se_payment_name(bpa_se_payment p);     /* "efterskott", "forskott" */
BPA_API const char *bpa_se_cap_unit_name(bpa_se_cap_unit u);   /* "period", "month", "week" */

/* ---- the usage file of a Swedish case (8.1, 8.3) ------------------------ */

typedef struct bpa_se_used_row {
    int year, month;              /* "YYYY-MM" */
    bpa_kind kind;                /* aktiv, vantetid, beredskap */
    mpq_t hours;
    bpa_source src;
} bpa_se_used_row;

typedef struct bpa_se_payment_row {
    bpa_date date;
    bool has_month;               /* "month" given; else the date's month */
    int year, month;              /* the month it pays */
    mpq_t amount;                 /* may be negative: a refund */
    bpa_source src;
} bpa_se_payment_row;

typedef struct bpa_se_receipt {
    bpa_date date;
    char *category;               /* se.expense.cap.<category> */
    mpq_t amount;
    char *approved;               /* a reference, or NULL */
    char *helper;                 /* optional: the assistant, or NULL */
    bpa_source src;
} bpa_se_receipt;

typedef struct bpa_se_usage {
    char *file;
    char sha256[65];
    char *case_id;
    bpa_source case_src;
    bool has_year;                /* optional for Swedish usage */
    int year;
    bpa_se_used_row *used;
    size_t nused;
    char **timesheets;            /* resolved against the usage file's directory */
    bpa_timesheet_map *timesheet_maps;
    size_t ntimesheets;
    bpa_se_payment_row *payments;
    size_t npayments;
    bpa_se_receipt *expenses;
    size_t nexpenses;
} bpa_se_usage;

BPA_API bpa_status bpa_se_usage_load(bpa_se_usage **out, const char *path, bpa_error *err);
BPA_API bpa_status bpa_se_usage_load_mem(bpa_se_usage **out, const char *name, const char *data,
                                         size_t length, bpa_error *err);
BPA_API void bpa_se_usage_free(bpa_se_usage *u);

/* ---- the avräkning (8.3), räkning and tidsredovisning (8.4) ------------- */

typedef struct bpa_se_settle_month {
    int year, month;
    size_t budget_month;          /* index into the budget period's months */
    mpq_t used[BPA_SE_KINDS];     /* used rows + time reports */
    mpq_t reported[BPA_SE_KINDS]; /* the part from time reports (= the tidsredovisningar) */
    mpq_t billable;               /* used, weighted by the month's factors */
    bool has_factor_beredskap;    /* the beredskap factor the month used: the budget's, */
    mpq_t factor_beredskap;       /* or read here when beredskap was used but not granted */
    size_t beredskap_read;        /* bpa_se_settlement.used; BPA_NO_PARAM: the budget's */
    mpq_t granted_billable;       /* the budget's billable hours of the month */
    mpq_t cap_left;               /* period cap: the period's granted billable hours left
                                     before this month (capped = min(billable, cap_left)) */
    mpq_t capped, not_paid;       /* capped + not_paid = billable */
    mpq_t rate;
    bpa_rounding mode;
    mpq_t exact, amount;          /* capped x rate; R3 */
    bool paid_by_payments;        /* forskott with payments for the month */
    size_t npayments;
    mpq_t paid;                   /* efterskott: amount; forskott: payments or the budget amount */
    bpa_date rakning_due;
} bpa_se_settle_month;

typedef struct bpa_se_settle_period {
    size_t period;                /* index into the budget's periods */
    bpa_date from, to;
    bpa_se_payment payment;
    bpa_se_cap_unit cap_unit;
    bpa_se_settle_month *months;
    size_t nmonths;
    mpq_t used[BPA_SE_KINDS];
    mpq_t billable, granted_billable, capped, not_paid_hours, amount, paid;
    mpq_t balance;                /* paid - amount: positive = repay */
    bpa_direction direction;
    bpa_date slutavrakning_due;
    bool has_kommun_share;
    mpq_t kommun_hours, kommun_amount;
} bpa_se_settle_period;

typedef struct bpa_se_receipt_result {
    size_t receipt;               /* index into usage->expenses */
    bool capped;                  /* the category has a cap (not "none") */
    mpq_t cap;
    size_t cap_read;              /* bpa_se_settlement.used */
    mpq_t reimbursable, not_reimbursable;
} bpa_se_receipt_result;

/* FK 3059: one assistant's hours in one month, from time reports. */
typedef struct bpa_se_tidsredovisning {
    char *helper;
    int year, month;
    mpq_t hours[BPA_SE_KINDS];
    mpq_t total;                  /* the kinds' hours together */
    long shifts;                  /* shifts with minutes in the month */
} bpa_se_tidsredovisning;

/* One month's check that the tidsredovisningar add up to the räkning's
 * hours from time reports (they do by construction; the workbook shows it). */
typedef struct bpa_se_report_check {
    int year, month;
    mpq_t reports[BPA_SE_KINDS];  /* the month's tidsredovisningar, summed */
    mpq_t rakning[BPA_SE_KINDS];  /* the räkning months' hours from time reports */
    bool agree;
} bpa_se_report_check;

/* A working-time period above its limit (8.4). */
typedef struct bpa_se_worktime {
    char *helper;
    bpa_date from, to;
    mpq_t hours, limit, excess;
} bpa_se_worktime;

typedef struct bpa_se_settlement {
    const bpa_se_grant *grant;
    const bpa_se_usage *usage;
    bpa_se_settle_period *periods;
    size_t nperiods;
    mpq_t amount, paid;           /* sums of the periods' amounts and payments */
    mpq_t balance;                /* sum of the periods' balances */
    bpa_direction direction;
    mpq_t not_paid_hours;         /* sum of the periods' hours above the granted */
    bool has_kommun_share;        /* some period has one; then the sums of the periods': */
    mpq_t kommun_hours, kommun_amount;
    mpq_t outside[BPA_SE_KINDS];  /* outside_periods_hours */
    bpa_se_receipt_result *receipts;
    size_t nreceipts;
    mpq_t receipts_amount;        /* sum of the receipts' amounts */
    mpq_t reimbursable, not_reimbursable;
    bpa_se_tidsredovisning *tidsredovisningar; /* by helper, then month */
    size_t ntidsredovisningar;
    bpa_se_report_check *report_checks; /* per month with tidsredovisningar, by month */
    size_t nreport_checks;
    bpa_se_used_row *listed_apart; /* used rows per month and kind (no assistant), by month, then kind */
    size_t nlisted_apart;
    bpa_se_worktime *worktime;
    size_t nworktime;
    long shifts, files;
    char (*timesheet_sha256)[65]; /* one per usage timesheet, for inputs[] */
    bpa_used_param *used;         /* parameters the settlement read beyond the budget's */
    size_t nused;
    bpa_trace trace;
    bpa_warnings warnings;        /* no_payments (forskott), worktime, ... */
} bpa_se_settlement;

BPA_API bpa_status bpa_se_settle(bpa_se_settlement **out, const bpa_se_grant *grant,
                                 const bpa_se_usage *usage, bpa_error *err);
BPA_API void bpa_se_settle_free(bpa_se_settlement *s);
/* `bpa-se-settlement-result/1` (malloc'd, caller frees). */
BPA_API bpa_status bpa_se_settle_to_json(const bpa_se_settlement *s, char **json, bpa_error *err);

/* A readable summary of the avräkning (as bpa/summary.h): Swedish by default, English on
 * request. */
BPA_API bpa_status bpa_se_settle_summary(const bpa_se_settlement *s, bpa_lang lang, char **text,
                                         bpa_error *err);

/* The budget workbook (as bpa/workbook.h; RULES.md 10). */
BPA_API bpa_status bpa_se_grant_workbook_write(const bpa_se_grant *grant, const char *path,
                                               bpa_lang lang, bpa_error *err);
/* The avräkning workbook (as bpa/workbook.h; RULES.md 8.3, 8.4, 10): Sammanfattning, Räkning
 * per månad, Tidsredovisning, Avräkning per period, Utlägg, Arbetstid, Indata, Spårning. */
BPA_API bpa_status bpa_se_settle_workbook_write(const bpa_se_settlement *s, const char *path,
                                                bpa_lang lang, bpa_error *err);

#ifdef __cplusplus
}
#endif
#endif
