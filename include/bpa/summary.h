/*
 * bpa/summary.h - a grant or an account as a short text for a person to
 * read (what `bpa grant` and `bpa settle` print).
 *
 * The grant: the case (id, scheme, policy, year, employer, payment form),
 * the totals, one line per month (the amount to the recipient and its due
 * date, the allowance and its date) and the overrides with their reasons.
 * The account: the case, granted and used hours per pool (as the pools net
 * them), the five balance lines, the balance with its direction in words and
 * the date the account is due.
 *
 * Words, numbers and dates are in `lang`: Danish "1.234,56" and
 * "31.01.2025", English "1,234.56" and "2025-01-31", Swedish "1 234,56" and
 * "2025-01-31". The text renders only what the engine recorded in the
 * result: every figure is the result's own, so it agrees with the JSON and
 * the workbook to the øre. Hours are shown to two decimals.
 *
 * Ownership: *text is UTF-8, newline-terminated and malloc'd; the caller
 * frees it. The result is only read, so several threads may render the
 * same result at once. Errors: BPA_E_NOMEM (then *text is NULL).
 */
#ifndef BPA_SUMMARY_H
#define BPA_SUMMARY_H

#include "bpa/export.h"

#include "bpa/grant.h"
#include "bpa/lang.h"
#include "bpa/settle.h"
#include "bpa/status.h"

#ifdef __cplusplus
extern "C" {
#endif

BPA_API bpa_status bpa_grant_summary(const bpa_grant *grant, bpa_lang lang, char **text,
                                     bpa_error *err);
BPA_API bpa_status bpa_settle_summary(const bpa_settlement *settlement, bpa_lang lang,
                                      char **text, bpa_error *err);

#ifdef __cplusplus
}
#endif
#endif
