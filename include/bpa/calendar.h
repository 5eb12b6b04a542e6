/*
 * bpa/calendar.h - public holidays, bank days and summer time for Denmark and
 * Sweden (RULES.md section 4). Computed in code, never from the machine's
 * time zone database. No function here allocates.
 *
 * Thread safety: pure functions without state, safe from any thread.
 */
#ifndef BPA_CALENDAR_H
#define BPA_CALENDAR_H

#include "bpa/export.h"

#include <stdbool.h>
#include <stdint.h>

#include "bpa/date.h"
#include "bpa/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Easter Sunday of a year (Gregorian computus). */
BPA_API bpa_date bpa_easter(int year);

/* Whether date is a public holiday of the country; name (may be NULL) gets
 * its local name ("juledag", "midsommarafton"), or NULL when it is not one.
 * DK store bededag only until 2023. The lists are today's (RULES.md 4) and
 * are applied to every year. */
BPA_API bool bpa_holiday(bpa_country country, bpa_date date, const char **name);

/* Not Saturday, Sunday, a public holiday or a bank closing day
 * (DK: Friday after Kristi himmelfartsdag, 5 June, 24 and 31 December;
 *  SE: midsommarafton, julafton, nyårsafton). */
BPA_API bool bpa_bank_day(bpa_country country, bpa_date date);
BPA_API bpa_date bpa_bank_day_first(bpa_country country, int year, int month);
BPA_API bpa_date bpa_bank_day_last(bpa_country country, int year, int month);
/* The last bank day strictly before date. */
BPA_API bpa_date bpa_bank_day_before(bpa_country country, bpa_date date);

/* Real time: minutes since 1970-01-01 00:00 UTC. Both countries use CET/CEST
 * under the EU rule: summer time from 01:00 UTC on the last Sunday of March
 * to 01:00 UTC on the last Sunday of October. */
typedef int64_t bpa_utc_minute;

/* Local wall-clock (date, minute of day 0-1439) to real time. A time that
 * occurs twice (02:00-02:59 on the October night) means its first occurrence
 * (summer time). Returns false for a time that does not exist (02:00-02:59 on
 * the March night). minute_of_day 1440 ("24:00") is accepted as the midnight
 * that ends the day (= 00:00 of the next day); other values outside 0-1440
 * return false. */
BPA_API bool bpa_local_to_utc(bpa_date date, int minute_of_day, bpa_utc_minute *out);
/* Real time to local wall-clock date and minute of day (0-1439). Both real
 * minutes of a repeated October time give the same wall-clock time. */
BPA_API void bpa_utc_to_local(bpa_utc_minute t, bpa_date *date, int *minute_of_day);
/* The real-time span [*from, *to) around t in which the UTC offset does not
 * change: from the summer-time change at or before t to the next one after
 * it. Inside it a local clock runs with real time. */
BPA_API void bpa_utc_offset_span(bpa_utc_minute t, bpa_utc_minute *from, bpa_utc_minute *to);

#ifdef __cplusplus
}
#endif
#endif
