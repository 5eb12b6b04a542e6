/*
 * verify_int.h (internal) - what the parts of bpa verify share
 * (RULES.md 13): the result being filled, exact number comparison, the
 * claim loader (input/claim.c) and the workbook comparison
 * (audit/verify_workbook.c). The engine records differences; the writers
 * (result/verify_json.c, workbook/workbook_verify.c) only render them.
 */
#ifndef BPA_VERIFY_INT_H
#define BPA_VERIFY_INT_H

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "bpa/verify.h"

/* Record a difference (the strings are copied; NULL stays NULL). */
bpa_status vf_diff(bpa_verify_result *r, bpa_difference_kind kind, const char *field,
                   const char *expected, const char *found, const char *where, bpa_error *err);
/* Add a file to a stamp. */
bpa_status vf_stamp_add(bpa_stamp *st, const char *name, const char *sha256, bpa_error *err);
bpa_status vf_nomem(bpa_error *err);

/* A number as a JSON result or an .xlsx file stores it: -?digits(.digits)?(E[+-]?digits)?
 * or N/D, exactly; false for anything else (at most 64 characters). */
bool vf_number_parse(mpq_t out, const char *text, size_t len);

/* Writes the reference workbook of the recomputation. */
typedef bpa_status (*vf_workbook_fn)(const void *settlement, const char *path, bpa_lang lang,
                                     bpa_error *err);

/* Compare the bpa workbook at `account` (already known to be a zip) with the one `write`
 * makes of `settlement` in the account's language; fills r (kind, stamps, differences). */
bpa_status vf_workbook(bpa_verify_result *r, const char *account, const void *settlement,
                       vf_workbook_fn write, bpa_error *err);

/* The words of the verify summary and difference workbook in `lang`
 * (audit/verify_words.c); an unknown key returns the key. */
const char *vf_word(const char *key, bpa_lang lang);
/* How a difference is named for people: "formula replaced by a value", ... */
const char *vf_kind_words(const bpa_difference *d, bpa_lang lang);

/* ---- the claim (input/claim.c) ------------------------------------------ */

typedef enum vf_claim_sel {
    VF_CLAIM_TOP = 0,  /* field is the result's path: "balance", "lines.admin" */
    VF_CLAIM_CATEGORY, /* categories[] entry of kind/band/step; field "used" */
    VF_CLAIM_PERIOD,   /* periods[] entry from/to; field "balance" */
    VF_CLAIM_MONTH     /* its months[] entry `month`; field "amount" or "paid" */
} vf_claim_sel;

typedef struct vf_claim_fig {
    vf_claim_sel sel;
    char *field;
    char *value;  /* as typed ("14324.11", "repay") */
    char *where;  /* "$.periods[0].months[2].paid (line 12, column 20)" */
    char *kind, *band; /* VF_CLAIM_CATEGORY; band may be NULL (the category has none) */
    char *step;        /* its step as text; NULL: none */
    char from[11], to[11], month[8];
} vf_claim_fig;

typedef struct vf_claim {
    char *case_id;
    long year;
    unsigned case_line, case_col, year_line, year_col; /* where the two stand */
    vf_claim_fig *figs;
    size_t nfigs;
    char sha256[65];
} vf_claim;

/* Load a bpa-claim/1 strictly (unknown keys, types, decimals: BPA_E_INPUT with
 * file:line:column and JSON path); `se`: the Swedish form (periods[]), else the Danish
 * (lines, used, payments_received). */
bpa_status vf_claim_load(vf_claim **out, const char *path, bool se, bpa_error *err);
void vf_claim_free(vf_claim *c);

#endif
