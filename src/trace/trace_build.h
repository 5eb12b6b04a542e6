/*
 * trace_build.h (internal) - appending entries to a bpa_trace while
 * computing (see include/bpa/trace.h for the rules and their roles).
 *
 *     bpa_trace_entry *e = bpa_trace_begin(&g->trace, BPA_TRACE_WAGES);
 *     bpa_trace_category(&g->trace, e, "category", &cat);
 *     bpa_trace_q(&g->trace, e, BPA_OP_HOURS, "hours", hours);
 *     ...
 *     if (g->trace.failed) return BPA_E_NOMEM;
 *
 * Allocation failure is sticky: the trace remembers it (t->failed), every
 * later call does nothing, and a NULL entry is accepted; callers check once
 * at the end. Roles are static strings.
 */
#ifndef BPA_TRACE_BUILD_H
#define BPA_TRACE_BUILD_H

#include "bpa/policy.h"
#include "bpa/trace.h"

/* A new entry at the end of t, or NULL (t->failed) when memory runs out.
 * The pointer is valid until the next bpa_trace_begin on t. */
bpa_trace_entry *bpa_trace_begin(bpa_trace *t, bpa_trace_rule rule);
/* AMOUNT, HOURS, RATE, NUMBER, PCT */
void bpa_trace_q(bpa_trace *t, bpa_trace_entry *e, bpa_operand_type type, const char *role,
                 const mpq_t q);
void bpa_trace_count(bpa_trace *t, bpa_trace_entry *e, const char *role, long n);
void bpa_trace_date(bpa_trace *t, bpa_trace_entry *e, const char *role, bpa_date d);
void bpa_trace_period(bpa_trace *t, bpa_trace_entry *e, const char *role, bpa_date from,
                      bpa_date to);
void bpa_trace_month(bpa_trace *t, bpa_trace_entry *e, const char *role, int year, int month);
void bpa_trace_category(bpa_trace *t, bpa_trace_entry *e, const char *role,
                        const bpa_category *c);
/* A parameter read: its entry (NULL: the built-in default, or only a name). */
void bpa_trace_param(bpa_trace *t, bpa_trace_entry *e, const char *role, const char *name,
                     const bpa_param_entry *entry);
/* BPA_OP_TEXT (shown as is) or BPA_OP_WORD (a fixed word, translated). */
void bpa_trace_string(bpa_trace *t, bpa_trace_entry *e, bpa_operand_type type,
                      const char *role, const char *text);

/* Free every entry; leaves t empty. */
void bpa_trace_release(bpa_trace *t);

#endif
