/*
 * result_json.h (internal) - building result JSON with cJSON: the header
 * every result carries (section 9) and the number formats of section 3.
 * Allocation failures are sticky in the writer and reported by finish.
 */
#ifndef BPA_RESULT_JSON_H
#define BPA_RESULT_JSON_H

#include <cJSON.h>
#include <gmp.h>
#include <stdbool.h>

#include "bpa/case.h"
#include "bpa/date.h"
#include "bpa/grant.h"
#include "bpa/policy.h"
#include "bpa/status.h"

typedef struct bpa_jw {
    bool failed;
} bpa_jw;

cJSON *bpa_jw_begin(bpa_jw *w, const char *format);
/* engine, case, scheme, year, policy, inputs[] (case, policy and `extra`
 * files: name + sha256 pairs, NULL-terminated), overrides[] */
void bpa_jw_header(bpa_jw *w, cJSON *root, const bpa_case *c, const bpa_policy *p,
                   const char *const *extra);
cJSON *bpa_jw_object(bpa_jw *w, cJSON *parent, const char *key);
cJSON *bpa_jw_array(bpa_jw *w, cJSON *parent, const char *key);
cJSON *bpa_jw_item(bpa_jw *w, cJSON *array);
void bpa_jw_str(bpa_jw *w, cJSON *o, const char *key, const char *value);
void bpa_jw_int(bpa_jw *w, cJSON *o, const char *key, long value);
void bpa_jw_null(bpa_jw *w, cJSON *o, const char *key);
void bpa_jw_bool(bpa_jw *w, cJSON *o, const char *key, bool value);
void bpa_jw_date(bpa_jw *w, cJSON *o, const char *key, bpa_date d);
void bpa_jw_month(bpa_jw *w, cJSON *o, const char *key, int year, int month);
/* "1234.50" */
void bpa_jw_amount(bpa_jw *w, cJSON *o, const char *key, const mpq_t q);
/* two decimals, plus key_exact "N/D" when not whole øre (a share of an
 * amount, such as an effect of bpa diff) */
void bpa_jw_amount_exact(bpa_jw *w, cJSON *o, const char *key, const mpq_t q);
/* "category": {"kind", "band", "step"} (RULES.md 9) */
void bpa_jw_category(bpa_jw *w, cJSON *o, const bpa_category *c);
/* four decimals, plus key_exact "N/D" when that is not exact */
void bpa_jw_hours(bpa_jw *w, cJSON *o, const char *key, const mpq_t q);
/* two decimals when whole øre, else six, plus key_exact when not exact */
void bpa_jw_rate(bpa_jw *w, cJSON *o, const char *key, const mpq_t q);
void bpa_jw_params(bpa_jw *w, cJSON *root, const bpa_policy *p, const bpa_used_param *used,
                   size_t nused);
/* warnings[]: code, message and where in English (after overrides[]). */
void bpa_jw_warnings(bpa_jw *w, cJSON *root, const bpa_warnings *ws);
/* trace[]: each entry's rule id and section, its texts in English (step,
 * how, inputs, result) and its typed operands. The tree refers to t's
 * strings: finish it while t lives. */
void bpa_jw_trace(bpa_jw *w, cJSON *root, const bpa_trace *t);
/* Print (formatted, newline-terminated) and free the tree. */
bpa_status bpa_jw_finish(bpa_jw *w, cJSON *root, char **json, bpa_error *err);

#endif
