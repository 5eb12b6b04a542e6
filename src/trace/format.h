/*
 * format.h (internal) - numbers, dates and months as a reader of a language
 * writes them, for every renderer (trace texts, summaries, messages for
 * people). Workbooks use cell formats for numbers in cells, and this for
 * numbers inside text (a policy value in words, how hours arise).
 *
 *   amounts   da "1.234,56"   en "1,234.56"   sv "1 234,56"
 *   dates     da "31.01.2025" en "2025-01-31" sv "2025-01-31"
 *   months    da "januar 2025" en "January 2025" sv "januari 2025"
 *
 * Appends to a bpa_strbuf (allocation failure is sticky there). The values
 * are the engine's exact ones: a number that is not exact at the decimals
 * shown is rounded half away from zero for display only.
 */
#ifndef BPA_TRACE_FORMAT_H
#define BPA_TRACE_FORMAT_H

#include <gmp.h>

#include "bpa/date.h"
#include "bpa/lang.h"
#include "core/strutil.h"

/* Fixed decimals with the language's separators ("1.234,5678"). */
void bpa_lang_add_fixed(bpa_strbuf *sb, bpa_lang lang, const mpq_t q, unsigned decimals);
/* An amount in kroner: two decimals. */
void bpa_lang_add_amount(bpa_strbuf *sb, bpa_lang lang, const mpq_t q);
/* A number for a reader checking a computation: two decimals when exact at
 * two, else up to six with trailing zeros dropped, and the exact fraction
 * beside it when six are not exact ("163,408219 (59644/365)"). */
void bpa_lang_add_number(bpa_strbuf *sb, bpa_lang lang, const mpq_t q);
void bpa_lang_add_date(bpa_strbuf *sb, bpa_lang lang, bpa_date d);
/* "31.01.2025 til 28.02.2025", "2025-01-31 to 2025-02-28" */
void bpa_lang_add_period(bpa_strbuf *sb, bpa_lang lang, bpa_date from, bpa_date to);
void bpa_lang_add_month(bpa_strbuf *sb, bpa_lang lang, int year, int month);
/* "januar" ... (lower case in Danish and Swedish). */
const char *bpa_lang_month_name(bpa_lang lang, int month);

#endif
