/*
 * bpa/trace.h - how a result came about, as data (RULES.md section 9).
 *
 * While it computes, the engine appends one entry per step to the result's
 * trace: which rule it applied and the typed operands it applied it to (the
 * amounts, hours, rates, dates, categories and policy parameters read). It
 * writes no prose. A renderer puts an entry into words in one language when
 * a result is written (JSON: English; workbooks and summaries: the reader's
 * language), with the rule's origin as the law or source in words
 * ("BEK nr. 1069 af 30/06/2020 § 8", "Albertslund Kommune,
 * Kvalitetsstandarder 2015"), never as an internal tag.
 *
 * Each operand has a role, a stable key naming what it is in its rule
 * ("hours", "rate", "exact", "amount"); a role may repeat (one "param"
 * operand per parameter read, one "segment" per segment), and the renderer
 * then lists them. The roles of each rule are listed below with the rule.
 *
 * Ownership: a trace belongs to the result that holds it and is released
 * with it; operand texts are copies owned by the trace. Reading a trace from
 * several threads is safe; nothing here has process-wide state.
 */
#ifndef BPA_TRACE_H
#define BPA_TRACE_H

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "bpa/date.h"
#include "bpa/export.h"
#include "bpa/lang.h"
#include "bpa/status.h"
#include "bpa/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The rules a trace entry can record, with their operands by role
 * (type in brackets; "+" after a role: one or more; "*": none or more;
 * "?": only where the rule says so). */
typedef enum bpa_trace_rule {
    /* grant, RULES.md 7 */
    BPA_TRACE_SEGMENTS = 0, /* 7.1: decision_no [COUNT, 1 for the case's first decision],
                               decision [PERIOD], reads+ [PARAM name only], segment+
                               [PERIOD] */
    BPA_TRACE_RATE,         /* 7.2: category [CATEGORY], from [DATE], wage [RATE], wage_param
                               [PARAM], fraction? [NUMBER, on-call only], supplement_param?
                               [PCT or RATE, bands with a supplement only], round_components
                               [WORD yes/no], base [RATE], supplement [RATE], addon* [TEXT
                               name] each followed by addon_amount [RATE], hourly [RATE] */
    BPA_TRACE_WAGES,        /* 7.3 R3: category, segment [PERIOD], hours [HOURS], rate [RATE],
                               exact [AMOUNT], amount [AMOUNT] */
    BPA_TRACE_PER_HELPER,   /* 7.3: name [TEXT], segment, per_helper_year [AMOUNT], helpers
                               [COUNT], days [COUNT], year_days [COUNT], exact, amount */
    BPA_TRACE_INDEX,        /* 7.4 R4: param [PARAM], year [COUNT], amount [AMOUNT], level
                               [COUNT], index_year [NUMBER], index_level [NUMBER], exact,
                               indexed [AMOUNT] */
    BPA_TRACE_ADMIN,        /* 7.3: segment, hours, which [WORD work/all], rate, exact, amount */
    BPA_TRACE_PAYROLL_CAP,  /* 7.3: segment, per_helper_year [AMOUNT], helpers, days,
                               year_days, exact, amount */
    BPA_TRACE_HOURLY_CAP,   /* 7.3: segment, cost [AMOUNT], hours, cap [RATE], target [AMOUNT:
                               round(hours x cap)], reduction [AMOUNT] */
    BPA_TRACE_HOURLY_CAP_OVERRIDDEN, /* 7.3, 6: segment, cost, hours, cap, reason [TEXT] */
    BPA_TRACE_ALLOWANCE,    /* 7.3: month [MONTH], monthly [AMOUNT], days [COUNT], month_days
                               [COUNT], exact, amount */
    BPA_TRACE_ALLOWANCE_CAP_OVERRIDDEN, /* 7.3, 6: decision_no [COUNT], monthly [AMOUNT],
                               cap_param [PARAM], cap [AMOUNT], on [DATE], reason [TEXT] */
    BPA_TRACE_TRIP_LIMITS_OVERRIDDEN,   /* 6: limit [WORD vacation_days/weekends], count
                               [COUNT], max [COUNT], reason [TEXT] */
    BPA_TRACE_EMPLOYMENT,   /* 7.6: decision [PERIOD], hours_per_week [HOURS], threshold
                               [HOURS], form [WORD monthly_paid/hourly_paid] */
    BPA_TRACE_GRANT_TOTALS, /* 7.3: months [COUNT], lines [COUNT], wages, admin,
                               payroll_admin_cap, allowance, grant [AMOUNT each] */
    /* Danish settlement, RULES.md 8 */
    BPA_TRACE_TIMESHEETS,   /* 8.1: files [COUNT], shifts [COUNT], hours [HOURS], outside
                               [HOURS], year [COUNT] */
    BPA_TRACE_POOL,         /* 8.2 R5: pool [TEXT: its key, "all", "work", "work/day/11";
                               put into words], granted, used [HOURS], value [AMOUNT], then
                               either average [RATE], unused [HOURS], unused_value [AMOUNT],
                               overused [HOURS], overused_value [AMOUNT], or nothing more (no
                               granted hours) */
    BPA_TRACE_CARRY_OVER,   /* 8.2: hours [HOURS], limit [HOURS], pct [PCT:
                               settlement.carry_over_max_pct], value [AMOUNT] */
    BPA_TRACE_LINE_UNUSED,  /* 8.2 line 1: unused_value, carry_value, line [AMOUNT each] */
    BPA_TRACE_LINE_ADMIN,   /* 8.2 line 2: granted, used, carried_over [HOURS], admin, line
                               [AMOUNT] */
    BPA_TRACE_LINE_PAYROLL_ADMIN, /* 8.2 line 3: paid, invoices, cap, line [AMOUNT each] */
    BPA_TRACE_LINE_PAYMENTS,      /* 8.2 line 4: received, due, line [AMOUNT each] */
    BPA_TRACE_LINE_ACTUAL_COST,   /* 8.2 line 5: value, unused_value, per_helper, cost,
                                     actual, line [AMOUNT each] */
    BPA_TRACE_BALANCE,      /* 8.2: line+ [AMOUNT, five], balance [AMOUNT], direction [WORD
                               repay/pay_out/settled], due [DATE] */
    /* Swedish budget, RULES.md 7.7 (and 8.3 for the kommun share) */
    BPA_TRACE_SE_PERIOD,    /* 6, 7.7: period_no [COUNT, 1 for the case's first period],
                               period [PERIOD], days [COUNT: D], payment [WORD
                               efterskott/forskott], max_months [COUNT], max_param [PARAM:
                               se.period_max_months], last_day [DATE: from + max_months
                               months - 1 day], cap_unit [WORD period/month/week] */
    BPA_TRACE_SE_MONTH,     /* 7.7 R3: month [MONTH], period [PERIOD], days [COUNT: d],
                               period_days [COUNT: D], aktiv, vantetid, beredskap [HOURS each:
                               per_week x d/7 or total x d/D], factor_vantetid [NUMBER],
                               factor_beredskap? [NUMBER, when the period grants beredskap],
                               billable [HOURS], rate_param [PARAM: se.schablon or
                               se.kommun.rate.<tier>], then for a raised rate schablon? [RATE],
                               max_pct? [PCT], rate_max? [RATE: unrounded], then rate [RATE],
                               exact [AMOUNT], amount [AMOUNT], rakning_due [DATE] */
    BPA_TRACE_SE_KOMMUN,    /* 8.3 R3 (se-sfb-51): month [MONTH], hours_per_week [HOURS:
                               se.kommun_share_hours_per_week], days [COUNT: d], hours
                               [HOURS], rate [RATE: the month's], exact [AMOUNT], amount
                               [AMOUNT] */
    BPA_TRACE_SE_TOTALS,    /* 7.7: periods [COUNT], months [COUNT], billable [HOURS], amount
                               [AMOUNT], kommun_hours? [HOURS], kommun_amount? [AMOUNT]
                               (se-sfb-51 only) */
    BPA_TRACE_RULE_COUNT
} bpa_trace_rule;

typedef enum bpa_operand_type {
    BPA_OP_AMOUNT,   /* kroner (q); shown with two decimals when exact at two */
    BPA_OP_HOURS,    /* hours (q) */
    BPA_OP_RATE,     /* kroner per hour (q) */
    BPA_OP_NUMBER,   /* a factor or index value (q) */
    BPA_OP_PCT,      /* percent (q) */
    BPA_OP_COUNT,    /* a whole number (n) */
    BPA_OP_DATE,     /* from */
    BPA_OP_PERIOD,   /* from .. to */
    BPA_OP_MONTH,    /* the month of from */
    BPA_OP_CATEGORY, /* category */
    BPA_OP_PARAM,    /* a policy parameter: text = name; from = the entry's date and ref =
                        its reference key when an entry was read (has_entry), else the
                        built-in default (or, for "reads", a name only) */
    BPA_OP_TEXT,     /* text from input, shown as is: an add-on's name, a reason, a pool */
    BPA_OP_WORD      /* text = a fixed word ("yes", "work", "repay") put into the reader's
                        language by the renderer */
} bpa_operand_type;

typedef struct bpa_operand {
    bpa_operand_type type;
    const char *role;   /* static */
    mpq_t q;            /* AMOUNT, HOURS, RATE, NUMBER, PCT */
    long n;             /* COUNT */
    bpa_date from, to;  /* DATE, PERIOD, MONTH; PARAM: the entry's date */
    bpa_category category;
    char *text;         /* TEXT, WORD, PARAM (owned) */
    bool has_entry;     /* PARAM: a dated entry of the policy was read */
    char *ref;          /* PARAM: the entry's reference key (owned), or NULL */
} bpa_operand;

typedef struct bpa_trace_entry {
    bpa_trace_rule rule;
    bpa_operand *ops;
    size_t nops;
} bpa_trace_entry;

typedef struct bpa_trace {
    bpa_trace_entry *entries;
    size_t n;
    bool failed; /* an append ran out of memory (the result is then not returned) */
} bpa_trace;

/* "wages", "hourly_cap", ...: a stable identifier for JSON. */
BPA_API const char *bpa_trace_rule_id(bpa_trace_rule rule);
/* The section of RULES.md the rule comes from ("7.3"): for machines. */
BPA_API const char *bpa_trace_rule_section(bpa_trace_rule rule);

/* The roles of a rule as listed above, space-separated, each with its mark:
 * "hours", "reads+", "fraction?", "addon*" (none or more); for tests and
 * checkers. */
BPA_API const char *bpa_trace_rule_roles(bpa_trace_rule rule);

/* An entry's first operand with that role, or NULL. */
BPA_API const bpa_operand *bpa_trace_operand(const bpa_trace_entry *e, const char *role);

/* The four texts of an entry in one language: what was computed ("Løn,
 * arbejde, dag, trin 11, 01.01.2025 til 31.01.2025"), the rule with its
 * origin in words, the inputs and the result. Each is malloc'd (the caller frees the
 * four); BPA_E_NOMEM leaves all four NULL. Numbers, dates and words follow
 * the language's conventions (Danish "1.234,56" and "31.01.2025"). */
typedef struct bpa_trace_text {
    char *step, *rule, *inputs, *result;
} bpa_trace_text;
BPA_API bpa_status bpa_trace_entry_render(const bpa_trace_entry *e, bpa_lang lang,
                                          bpa_trace_text *out, bpa_error *err);
BPA_API void bpa_trace_text_release(bpa_trace_text *t);

#ifdef __cplusplus
}
#endif
#endif
