/*
 * bpa/date.h - civil dates, months and clock times (RULES.md section 4).
 *
 * A date is a day number (days since 1970-01-01, proleptic Gregorian), so
 * date arithmetic is integer arithmetic. No function here allocates.
 *
 * Thread safety: pure functions without state, safe from any thread.
 */
#ifndef BPA_DATE_H
#define BPA_DATE_H

#include "bpa/export.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t bpa_date;

#define BPA_YEAR_MIN 1900
#define BPA_YEAR_MAX 2999

/* Strict "YYYY-MM-DD", years 1900-2999, a real day; false otherwise. */
BPA_API bool bpa_date_parse(const char *text, bpa_date *out);
/* y-m-d to a day number; the caller guarantees a real date. */
BPA_API bpa_date bpa_date_make(int year, int month, int day);
BPA_API void bpa_date_split(bpa_date date, int *year, int *month, int *day);
BPA_API int bpa_date_year(bpa_date date);
BPA_API int bpa_date_month(bpa_date date);
BPA_API int bpa_date_day(bpa_date date);
/* "YYYY-MM-DD" into out (11 bytes). */
BPA_API void bpa_date_format(bpa_date date, char out[11]);
/* 0 = Monday ... 6 = Sunday. */
BPA_API int bpa_date_weekday(bpa_date date);

BPA_API bool bpa_is_leap_year(int year);
BPA_API int bpa_days_in_month(int year, int month);
BPA_API int bpa_days_in_year(int year);

/* Add months (negative to go back); a day the target month lacks becomes
 * its last day (2025-01-31 + 1 month = 2025-02-28, 2025-03-31 - 1 month =
 * 2025-02-28). */
BPA_API bpa_date bpa_date_add_months(bpa_date date, int months);

/* Strict "YYYY-MM" (years 1900-2999, month 01-12). */
BPA_API bool bpa_month_parse(const char *text, int *year, int *month);
/* "YYYY-MM" into out (8 bytes). */
BPA_API void bpa_month_format(int year, int month, char out[8]);

/* Strict "MM-DD" (a day that exists in a leap year, so 02-29 is allowed). */
BPA_API bool bpa_monthday_parse(const char *text, int *month, int *day);

/* Strict "HH:MM", 00:00-23:59, as minutes after midnight; with allow_24 also
 * "24:00" (1440). */
BPA_API bool bpa_clock_parse(const char *text, bool allow_24, int *minute_of_day);
/* "HH:MM" into out (6 bytes); 1440 gives "24:00". */
BPA_API void bpa_clock_format(int minute_of_day, char out[6]);

#ifdef __cplusplus
}
#endif
#endif
