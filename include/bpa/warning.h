/*
 * bpa/warning.h - what a careful reader should look at although the input is
 * valid (RULES.md 9, warnings[]), recorded by the engine as data: a code and
 * typed operands by role, put into words per language only when rendered.
 *
 * Codes and their operands (bpa/trace.h operand types):
 *   no_payments   usage [TEXT: the usage file's base name]
 *   not_granted   category [CATEGORY], hours [HOURS], then where it came from:
 *                 file [TEXT] with path [TEXT: JSON path] (a used row), or
 *                 nothing more (timesheets: the category is the place)
 *   example_value param [PARAM], name [TEXT], from [DATE], ref [TEXT], file [TEXT]
 *   old_value     param [PARAM], name [TEXT], from [DATE], on [DATE: the first day
 *                 read more than 18 months after from], file [TEXT]
 *   worktime      helper [TEXT], period [PERIOD: the working-time period], hours
 *                 [HOURS: all kinds], limit [HOURS], excess [HOURS] (RULES.md 8.4)
 *
 * Ownership: a result owns its bpa_warnings; bpa_warning_render's strings are
 * malloc'd for the caller. Thread safety: read-only once computed.
 */
#ifndef BPA_WARNING_H
#define BPA_WARNING_H

#include "bpa/export.h"
#include "bpa/lang.h"
#include "bpa/status.h"
#include "bpa/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bpa_warning_code {
    BPA_WARN_NO_PAYMENTS = 0,
    BPA_WARN_NOT_GRANTED,
    BPA_WARN_EXAMPLE_VALUE,
    BPA_WARN_OLD_VALUE,
    BPA_WARN_SE_NO_PAYMENTS,  /* code "no_payments": period [PERIOD], usage [TEXT] */
    BPA_WARN_SE_NOT_GRANTED,  /* code "not_granted": kind [WORD aktiv/vantetid/beredskap],
                                 hours [HOURS], period [PERIOD] */
    BPA_WARN_WORKTIME,
    BPA_WARN_CODE_COUNT
} bpa_warning_code;

/* Warning i has codes[i] and the operands ops.entries[i] (whose rule field
 * is not used). Order: as the engine found them (deterministic). */
typedef struct bpa_warnings {
    bpa_warning_code *codes;
    size_t n;
    bpa_trace ops;
} bpa_warnings;

/* "no_payments", ...: the JSON code. */
BPA_API const char *bpa_warning_code_name(bpa_warning_code code);

/* Warning i's message and where in `lang` (both malloc'd, caller frees). */
BPA_API bpa_status bpa_warning_render(const bpa_warnings *w, size_t i, bpa_lang lang,
                                      char **message, char **where, bpa_error *err);

#ifdef __cplusplus
}
#endif
#endif
