/*
 * trace/warning_build.h - building the warnings of a result (bpa/warning.h):
 * the engine's side. Not thread-safe per list; a list belongs to one result.
 */
#ifndef BPA_WARNING_BUILD_H
#define BPA_WARNING_BUILD_H

#include "bpa/grant.h"
#include "bpa/warning.h"

/* A new warning at the end of w, its operands then added with bpa_trace_*
 * on &w->ops; NULL (w->ops.failed) when memory runs out. */
bpa_trace_entry *bpa_warning_begin(bpa_warnings *w, bpa_warning_code code);

/* Whether reading `name`'s entry on `day` is reading an out-of-date tariff:
 * a wage.* or se.schablon entry on a day after from + 18 months (month
 * arithmetic of RULES.md 12). */
bool bpa_warning_late(const char *name, const bpa_param_entry *entry, bpa_date day);

/* example_value and old_value for the parameters read, in their order; an
 * example_value already in w for the same parameter, from and reference is
 * not repeated, nor an old_value for the same parameter and from. */
void bpa_warnings_params(bpa_warnings *w, const bpa_policy *p, const bpa_used_param *used,
                         size_t nused);

void bpa_warnings_release(bpa_warnings *w);

#endif
