/*
 * bpa/num.h - the exact decimal core (RULES.md section 3).
 *
 * Every amount, rate, factor and number of hours is an exact rational (mpq_t).
 * Text is parsed by a strict grammar of our own, never through double and
 * never by handing unchecked text to mpq_set_str. Rounding happens only when
 * the engine calls bpa_round at a named rounding point (R1-R5).
 *
 * Strings returned by the bpa_fmt_* functions are allocated with malloc and
 * owned by the caller (free()). They return NULL only when memory runs out.
 *
 * Thread safety: no shared state; different values may be used in different
 * threads, one value by one thread at a time (as with any GMP variable).
 */
#ifndef BPA_NUM_H
#define BPA_NUM_H

#include "bpa/export.h"

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "bpa/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bpa_rounding {
    BPA_ROUND_HALF_AWAY_FROM_ZERO = 0, /* 2.675 -> 2.68, -0.005 -> -0.01 */
    BPA_ROUND_HALF_EVEN = 1            /* 0.125 -> 0.12, 0.135 -> 0.14 */
} bpa_rounding;

/* Flags for bpa_dec_parse. */
#define BPA_DEC_NEGATIVE 0x1u /* a leading '-' is allowed */
#define BPA_DEC_FRACTION 0x2u /* "N/D" (two whole numbers, D > 0) is allowed */
#define BPA_DEC_CENTS 0x4u    /* at most two decimals (amounts that happened) */

/* Parse a decimal string: -?[0-9]{1,15}(\.[0-9]{1,6})?, or with
 * BPA_DEC_FRACTION also N/D with N, D of 1..15 digits, D > 0 (N may carry '-'
 * when negatives are allowed). On failure returns BPA_E_INPUT and writes into
 * msg (size msgsize) what was wrong and how to write it, e.g.
 * "\"1e3\" is not a decimal: exponents are not allowed; write \"1000\"".
 * A '-' needs BPA_DEC_NEGATIVE even in "-0"; "-0" and "-0.00" give 0.
 * out is unchanged on failure; msg may be NULL. */
BPA_API bpa_status bpa_dec_parse(mpq_t out, const char *text, unsigned flags, char *msg,
                         size_t msgsize);

/* Parse the raw text of a JSON number (as it stands in the file) that must be
 * a whole number of at most 15 digits. A fraction or exponent ("37.5", "1e3")
 * is rejected with a message saying to write it as a string ("\"37.5\""). */
BPA_API bpa_status bpa_dec_parse_json_number(mpq_t out, const char *raw, unsigned flags,
                                     char *msg, size_t msgsize);

/* x (kroner) rounded to 0.01 as whole øre. */
BPA_API void bpa_round_ore(mpz_t ore, const mpq_t x, bpa_rounding mode);
/* x rounded to 0.01, as an exact rational (out may be x). */
BPA_API void bpa_round(mpq_t out, const mpq_t x, bpa_rounding mode);

/* Whole øre as "1234.50", "-0.01". */
BPA_API char *bpa_fmt_ore(const mpz_t ore);
/* An amount with exactly two decimals; x is rounded half away from zero
 * for display if it is not already whole øre. */
BPA_API char *bpa_fmt_amount(const mpq_t x);
/* x with exactly `decimals` decimals, rounded half away from zero. */
BPA_API char *bpa_fmt_fixed(const mpq_t x, unsigned decimals);
/* Exact value: "37/3", "-5", "1924". */
BPA_API char *bpa_fmt_exact(const mpq_t x);
/* Whether x has at most `decimals` decimals (so a fixed display is exact). */
BPA_API bool bpa_is_exact_at(const mpq_t x, unsigned decimals);

#ifdef __cplusplus
}
#endif
#endif
