/*
 * bpa/verify.h - an auditor's check of an account handed in (RULES.md 13):
 * the account is recomputed from the case and usage files and compared,
 * figure by figure, with what was handed in:
 *   - a settlement result JSON (bpa-settlement-result/1 or
 *     bpa-se-settlement-result/1, from any engine version), leaf by leaf,
 *     the trace and the parameters read left out;
 *   - an account workbook written by bpa, possibly edited and saved in Excel
 *     or LibreOffice, cell by cell against the workbook bpa writes for the
 *     recomputation: a constant cell that differs (used hours, payments,
 *     carry-over, ...) is an input difference, a formula's stored value that
 *     differs a figure difference, a formula replaced by a value is reported;
 *   - a claim (bpa-claim/1): figures typed in from an account made by other
 *     means; every figure given is compared, one left out is not.
 * The stamps (engine version, input SHA-256s) of both sides are recorded and
 * compared apart: a differing stamp is reported, never a difference.
 * An account of another case id or year, another scheme family, a workbook
 * without bpa's stamp on its inputs sheet, a damaged file or a file that is
 * none of the three is BPA_E_INPUT naming the file (and the place).
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
    BPA_DIFF_INPUT,      /* a workbook input cell differs from the case and usage files */
    BPA_DIFF_FORMULA,    /* a workbook formula was replaced by a value or edited */
    BPA_DIFF_MISSING     /* a figure of one side is not on the other */
} bpa_difference_kind;

typedef struct bpa_difference {
    bpa_difference_kind kind;
    char *field;    /* JSON: the result's path ("months[3].used"); workbook: the row's
                       label and the column's header ("Brugte timer: Arbejde, dag / Værdi") */
    char *expected; /* as recomputed ("1234.50"); NULL: none */
    char *found;    /* as handed in; NULL: none */
    char *where;    /* in the account: a JSON path ("$.balance") or "Sheet!C12" */
} bpa_difference;

typedef struct bpa_stamp_file {
    char *name;   /* base name */
    char *sha256;
} bpa_stamp_file;

/* What a result says made it. */
typedef struct bpa_stamp {
    char *engine;          /* "bpa 0.1.0"; NULL: none (a claim) */
    bpa_stamp_file *inputs;
    size_t ninputs;
} bpa_stamp;

typedef struct bpa_verify_result {
    bpa_account_kind kind;
    char *account;          /* the account's file name as given */
    char account_sha256[65];
    char *case_id;
    int year;
    bool se;                /* a Swedish avräkning */
    bpa_lang account_lang;  /* a workbook's language (from its sheet names); else the scheme's */
    bool agree;             /* no difference */
    bool stamps_agree;      /* engine and every input hash the same (false for a claim) */
    long checked;           /* fields compared */
    bpa_difference *differences; /* in the account's order (JSON: document order;
                                    workbook: sheet, row, column) */
    size_t ndifferences;
    bpa_stamp expected;     /* this engine and the inputs it read */
    bpa_stamp found;        /* the account's (engine NULL when it has none) */
} bpa_verify_result;

/* Verify the account file at `account` (JSON result, workbook or claim,
 * recognised by its content) against the recomputed Danish settlement.
 * BPA_OK when the comparison was made, whether or not they agree. */
BPA_API bpa_status bpa_verify_settlement(bpa_verify_result **out, const bpa_settlement *s,
                                         const char *account, bpa_error *err);
/* The same for a Swedish avräkning. */
BPA_API bpa_status bpa_se_verify_settlement(bpa_verify_result **out, const bpa_se_settlement *s,
                                            const char *account, bpa_error *err);
BPA_API void bpa_verify_free(bpa_verify_result *r);

BPA_API const char *bpa_difference_kind_name(bpa_difference_kind k); /* "figure", "input", ... */
BPA_API const char *bpa_account_kind_name(bpa_account_kind k); /* "result", "workbook", "claim" */

/* `bpa-verify-result/1` (malloc'd, caller frees). */
BPA_API bpa_status bpa_verify_to_json(const bpa_verify_result *r, char **json, bpa_error *err);
/* The list of differences for people, in `lang` (field, recomputed, found, where), or
 * "all N figures agree" (malloc'd, caller frees). */
BPA_API bpa_status bpa_verify_summary(const bpa_verify_result *r, bpa_lang lang, char **text,
                                      bpa_error *err);
/* A difference workbook an auditor can attach to a letter, in `lang`: a header with case,
 * year and both stamps, one row per difference (atomic, as bpa/workbook.h). */
BPA_API bpa_status bpa_verify_workbook_write(const bpa_verify_result *r, const char *path,
                                             bpa_lang lang, bpa_error *err);

#ifdef __cplusplus
}
#endif
#endif
