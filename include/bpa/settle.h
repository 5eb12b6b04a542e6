/*
 * bpa/settle.h - the 1 March account: granted vs used hours and the
 * repayment or back-payment (RULES.md section 8.2).
 *
 * bpa_settle_compute reads the usage's timesheets, values unused and
 * overused hours per pool at the pool's exact average rate (R5), applies
 * carry-in and carry-over, and sums the five balance lines (each signed as
 * what the recipient owes). The settlement refers to the grant and usage it
 * was computed from, which must outlive it.
 *
 * Ownership: bpa_settle_compute allocates *out; bpa_settle_free releases it.
 *
 * Thread safety: settling different cases in different threads is safe, and a
 * settlement is read-only once computed. GMP's out-of-memory abort
 * (bpa/memory.h) is why a batch of cases runs in separate processes.
 */
#ifndef BPA_SETTLE_H
#define BPA_SETTLE_H

#include "bpa/export.h"

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "bpa/grant.h"
#include "bpa/calendar.h"
#include "bpa/usage.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bpa_pool_mode { BPA_POOLS_CATEGORY = 0, BPA_POOLS_KIND, BPA_POOLS_ALL } bpa_pool_mode;

typedef struct bpa_settle_category {
    bpa_category category;
    mpq_t grant_hours;  /* from the grant */
    mpq_t carried_in;   /* hours carried in */
    mpq_t granted;      /* grant_hours + carried_in */
    mpq_t grant_value;  /* wage lines less its share of hourly-cap reductions */
    mpq_t carried_in_value;
    mpq_t value;        /* grant_value + carried_in_value */
    mpq_t used;
    mpq_t unused, overused;
    size_t pool;
} bpa_settle_category;

typedef struct bpa_settle_pool {
    char name[64];      /* "all", "work", "on_call", "work/day/11" */
    mpq_t granted, used, value;
    bool has_average;
    mpq_t average;      /* value / granted, exact */
    mpq_t unused, overused;
    mpq_t unused_value, overused_value; /* R5 */
    bool has_carry;
    mpq_t carry_hours, carry_value;
} bpa_settle_pool;

typedef struct bpa_settle_month {
    int year, month;
    mpq_t granted, used;
} bpa_settle_month;

typedef struct bpa_settle_helper {
    char *name;
    bpa_kind kind;
    mpq_t hours;
} bpa_settle_helper;

typedef enum bpa_direction { BPA_SETTLED = 0, BPA_REPAY, BPA_PAY_OUT } bpa_direction;

typedef struct bpa_settlement {
    const bpa_grant *grant;
    const bpa_usage *usage;
    bpa_pool_mode pools_mode;
    bpa_rounding mode;      /* rounding.mode on 31 December */
    bpa_settle_category *categories;
    size_t ncategories;
    bpa_settle_pool *pools;
    size_t npools;
    bpa_settle_month *months; /* the months with granted or used hours, in order */
    size_t nmonths;
    bpa_settle_helper *helpers;
    size_t nhelpers;
    /* the five lines, signed as what the recipient owes */
    mpq_t line_unused_hours, line_admin, line_payroll_admin, line_payments, line_actual_cost_cap;
    mpq_t balance;
    bpa_direction direction;
    bpa_date due_date;
    /* inputs of the lines, for the account and the workbook */
    mpq_t unused_value_total, carry_value_total, carry_hours_total, carry_max_hours;
    mpq_t admin_granted_hours, admin_used_hours; /* G_a, U_a */
    mpq_t payroll_admin_paid, invoices_total;
    mpq_t grant_payments, recipient_due;
    mpq_t value_total, per_helper_total;
    mpq_t allowance_due, allowance_received;
    mpq_t outside_year_hours[BPA_DK_KIND_COUNT];
    /* what the account's lines were made from, recorded for the writers */
    bpa_used_param *used;   /* settlement parameters read on 31 December (RULES.md 5.3) */
    size_t nused;
    bool admin_follows;     /* line 2 applies (transferred, settlement.admin_follows_hours) */
    bool admin_work_only;   /* admin.transferred.hours is "work" */
    bool payroll_admin;     /* line 3 applies (payroll_association) */
    bool cap_applies;       /* line 5 applies (actual costs given, cap_at_actual_costs) */
    mpq_t carry_max_pct;    /* settlement.carry_over_max_pct */
    mpq_t year_grant_hours; /* the year's granted hours, carried-in hours not included */
    bpa_settle_category category_total; /* sums over the categories (pool: unused) */
    bpa_settle_pool pool_total;         /* sums over the pools (name "", no average) */
    mpq_t months_granted, months_used;  /* sums over months[] */
    mpq_t helpers_hours;                /* sum over helpers[] */
    mpq_t timesheet_hours;  /* all shifts' real durations */
    size_t shifts;
    bpa_trace trace; /* how it came about (bpa/trace.h) */
    /* no_payments, not_granted, then example_value and old_value of the
     * grant's and the settlement's parameters (bpa/warning.h) */
    bpa_warnings warnings;
    char (*timesheet_sha256)[65]; /* one per usage timesheet */
} bpa_settlement;

BPA_API bpa_status bpa_settle_compute(bpa_settlement **out, const bpa_grant *grant,
                              const bpa_usage *usage, bpa_error *err);
BPA_API void bpa_settle_free(bpa_settlement *s);

/* `bpa-settlement-result/1` JSON (malloc'd, caller frees). */
BPA_API bpa_status bpa_settle_to_json(const bpa_settlement *s, char **json, bpa_error *err);

BPA_API const char *bpa_direction_name(bpa_direction d);

#ifdef __cplusplus
}
#endif
#endif
