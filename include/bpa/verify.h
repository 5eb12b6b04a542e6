/*
 * bpa/verify.h - an auditor's check of an account handed in (RULES.md 13):
 * the account is recomputed from the case and usage files and compared,
 * figure by figure, with what was handed in:
 *   - a settlement result JSON (bpa-settlement-result/1 or
 *     bpa-se-settlement-result/1, from any engine version);
 *   - an account workbook written by bpa, possibly edited and saved in Excel
 *     or LibreOffice: its input cells (used hours, payments, invoices,
 *     carry-over, actual costs; Swedish hours and payments) are compared
 *     with the usage file, the stored values of its figures with the
 *     recomputation, and a formula replaced by a number is reported;
 *   - a claim (bpa-claim/1): figures typed in from an account made by other
 *     means; every figure given is compared, one left out is not.
 * A differing engine stamp or input hash is reported (kind STAMP), never an
 * error. The account must be of the same case id and year (else
 * BPA_E_INPUT, naming the file and the place).
 *
 * Ownership: bpa_verify_* allocate *out, bpa_verify_free releases it; the
 * result copies what it needs (no reference to the settlement remains).
 * Thread safety: different verifications in different threads are safe.
 */
#ifndef BPA_VERIFY_H
#define BPA_VERIFY_H

#include "bpa/export.h"

#include <stdbool.h>
#include <stddef.h>

#include "bpa/lang.h"
#include "bpa/se.h"
#include "bpa/settle.h"
#include "bpa/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bpa_account_kind {
    BPA_ACCOUNT_RESULT = 0, /* a settlement result JSON */
    BPA_ACCOUNT_WORKBOOK,   /* an account workbook written by bpa */
    BPA_ACCOUNT_CLAIM       /* bpa-claim/1 */
} bpa_account_kind;

typedef enum bpa_difference_kind {
    BPA_DIFF_FIGURE = 0, /* a figure differs from the recomputation */
    BPA_DIFF_INPUT,      /* a workbook input cell differs from the usage file */
    BPA_DIFF_FORMULA,    /* a workbook formula was replaced or edited */
    BPA_DIFF_MISSING,    /* a figure of the recomputation is not in the account, or
                            the account has one the recomputation has not */
    BPA_DIFF_STAMP       /* engine version or an input hash differs (reported only) */
} bpa_difference_kind;

typedef struct bpa_difference {
    bpa_difference_kind kind;
    char *field;    /* the recomputed result's path: "balance", "lines.unused_hours",
                       "periods[0].months[2].amount" */
    char *expected; /* as recomputed, in the result's canonical text ("1234.50"); NULL: none */
    char *found;    /* as handed in; NULL: none */
    char *where;    /* in the account: a JSON path ("$.balance") or "Sheet!C12" */
} bpa_difference;

typedef struct bpa_verify_result {
    bpa_account_kind kind;
    char *account;          /* the account's file name */
    char account_sha256[65];
    bool agree;             /* no difference but STAMP ones */
    long checked;           /* fields compared */
    bpa_difference *differences; /* in the account's order (JSON: document order;
                                    workbook: sheet, row, column) */
    size_t ndifferences;
    char *engine_expected;  /* "bpa 0.1.0": this engine */
    char *engine_found;     /* the account's stamp; NULL for a claim or none */
} bpa_verify_result;

/* Verify the account file at `account` (JSON result, workbook or claim,
 * recognised by its content) against the recomputed Danish settlement. */
BPA_API bpa_status bpa_verify_settlement(bpa_verify_result **out, const bpa_settlement *s,
                                         const char *account, bpa_error *err);
/* The same for a Swedish avräkning. */
BPA_API bpa_status bpa_se_verify_settlement(bpa_verify_result **out, const bpa_se_settlement *s,
                                            const char *account, bpa_error *err);
BPA_API void bpa_verify_free(bpa_verify_result *r);

BPA_API const char *bpa_difference_kind_name(bpa_difference_kind k); /* "figure", "input", ... */

/* `bpa-verify-result/1` (malloc'd, caller frees). */
BPA_API bpa_status bpa_verify_to_json(const bpa_verify_result *r, char **json, bpa_error *err);
/* The list of differences for people, in `lang` (field, recomputed, found, where). */
BPA_API bpa_status bpa_verify_summary(const bpa_verify_result *r, bpa_lang lang, char **text,
                                      bpa_error *err);
/* A difference workbook an auditor can attach to a letter (atomic, as bpa/workbook.h). */
BPA_API bpa_status bpa_verify_workbook_write(const bpa_verify_result *r, const char *path,
                                             bpa_lang lang, bpa_error *err);

#ifdef __cplusplus
}
#endif
#endif
