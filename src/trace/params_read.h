/*
 * trace/params_read.h (internal) - recording the policy parameters a
 * computation reads: every parameter once per entry (bpa_used_param), with
 * the first day it was read and the first day it was read as an out-of-date
 * tariff (bpa_warning_late). The Danish grant and the Swedish budget and
 * avräkning share it. Not thread-safe per list; a list belongs to one result.
 */
#ifndef BPA_PARAMS_READ_H
#define BPA_PARAMS_READ_H

#include <stddef.h>

#include "bpa/grant.h"
#include "bpa/policy.h"
#include "bpa/status.h"

/* Record that `name` (entry, NULL: the built-in default; v its value) was
 * read on `day` into used[*nused]; *index gets its place (an existing record
 * of the same name and entry is reused). BPA_E_NOMEM on failure. */
bpa_status bpa_used_record(bpa_used_param **used, size_t *nused, const char *name, bpa_date day,
                           const bpa_param_entry *entry, const bpa_value *v, size_t *index,
                           bpa_error *err);

/* Free the names and texts of used[0..n) and the array. */
void bpa_used_release(bpa_used_param *used, size_t n);

#endif
