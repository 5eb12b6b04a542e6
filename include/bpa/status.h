/*
 * bpa/status.h - result codes and the caller-owned error record.
 *
 * Every fallible function returns a bpa_status and, on failure, fills a
 * bpa_error that the caller owns (usually on the stack). The record holds
 * plain arrays, so it needs no release. Functions never print.
 *
 * Thread safety: no shared state; each thread fills its own bpa_error.
 */
#ifndef BPA_STATUS_H
#define BPA_STATUS_H

#include "bpa/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bpa_status {
    BPA_OK = 0,
    BPA_E_INPUT,    /* a case, usage, timesheet file is wrong (exit 1) */
    BPA_E_POLICY,   /* a policy file is wrong or lacks a value (exit 1) */
    BPA_E_USAGE,    /* command line misuse (exit 2) */
    BPA_E_OUTPUT,   /* an output could not be written (exit 3) */
    BPA_E_NOMEM,    /* allocation failed (exit 3: nothing could be produced) */
    BPA_E_IO,       /* an input file could not be read (exit 1) */
    BPA_E_DIFFERENCES /* bpa verify: the account differs from the recomputation (exit 4) */
} bpa_status;

#define BPA_ERROR_FILE_MAX 512
#define BPA_ERROR_PATH_MAX 256
#define BPA_ERROR_MSG_MAX 768

/* Where and what. line/column are 1-based; 0 means "not known". */
typedef struct bpa_error {
    bpa_status status;
    char file[BPA_ERROR_FILE_MAX];
    unsigned line;
    unsigned column;
    char path[BPA_ERROR_PATH_MAX]; /* JSON path ("$.decisions[0].hours[1]") or parameter name */
    char message[BPA_ERROR_MSG_MAX];
} bpa_error;

/* Short English name of a status ("input error"). Never NULL. */
BPA_API const char *bpa_status_str(bpa_status status);

/* The process exit status RULES.md section 11 assigns to a status. */
BPA_API int bpa_status_exit_code(bpa_status status);

/* Reset a record to "no error". */
BPA_API void bpa_error_clear(bpa_error *err);

/* Fill a record; file/path may be NULL. Returns status, so callers can
 * `return bpa_error_set(...)`. */
BPA_API bpa_status bpa_error_set(bpa_error *err, bpa_status status, const char *file,
                         unsigned line, unsigned column, const char *path,
                         const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* "file:line:column: path: message" (parts that are unknown are left out)
 * into buf of size n; returns buf. */
BPA_API char *bpa_error_format(const bpa_error *err, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
