/* Civil dates, months and clock times (see include/bpa/date.h). */
#include "bpa/date.h"

#include <stddef.h>

/* Floor division and modulo: day numbers before 1970 are negative, and C's
 * truncating '/' would put them in the wrong day or month. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    return a - floor_div(a, b) * b;
}

/* Howard Hinnant's days_from_civil: the year is shifted to start in March
 * so that the leap day is the last day of the (shifted) year. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                              /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;      /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

/* Howard Hinnant's civil_from_days, the inverse of days_from_civil. */
static void civil_from_days(int64_t z, int64_t *year, int *month, int *day)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;                                        /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                      /* [0, 11] */
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (m <= 2);
    *month = m;
    *day = d;
}

bool bpa_is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int bpa_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && bpa_is_leap_year(year))
        return 29;
    return days[month - 1];
}

int bpa_days_in_year(int year)
{
    return bpa_is_leap_year(year) ? 366 : 365;
}

bpa_date bpa_date_make(int year, int month, int day)
{
    return (bpa_date)days_from_civil(year, month, day);
}

void bpa_date_split(bpa_date date, int *year, int *month, int *day)
{
    int64_t y;
    int m, d;
    civil_from_days(date, &y, &m, &d);
    if (year)
        *year = (int)y;
    if (month)
        *month = m;
    if (day)
        *day = d;
}

int bpa_date_year(bpa_date date)
{
    int y;
    bpa_date_split(date, &y, NULL, NULL);
    return y;
}

int bpa_date_month(bpa_date date)
{
    int m;
    bpa_date_split(date, NULL, &m, NULL);
    return m;
}

int bpa_date_day(bpa_date date)
{
    int d;
    bpa_date_split(date, NULL, NULL, &d);
    return d;
}

int bpa_date_weekday(bpa_date date)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    return (int)floor_mod((int64_t)date + 3, 7);
}

bpa_date bpa_date_add_months(bpa_date date, int months)
{
    int64_t y;
    int m, d;
    civil_from_days(date, &y, &m, &d);
    /* Count months from year 0 so negative steps need no special case. */
    int64_t total = y * 12 + (m - 1) + months;
    int64_t ny = floor_div(total, 12);
    int nm = (int)floor_mod(total, 12) + 1;
    int last = bpa_days_in_month((int)ny, nm);
    if (d > last)
        d = last;
    return (bpa_date)days_from_civil(ny, nm, d);
}

/* Reads exactly n decimal digits at text; stops at the first non-digit
 * (including the terminating NUL), so it never reads past the string. */
static bool read_digits(const char *text, int n, int *value)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = text[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *value = v;
    return true;
}

/* Writes value as exactly n digits (the caller keeps it in range). */
static void write_digits(char *out, int n, int value)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + value % 10);
        value /= 10;
    }
}

bool bpa_date_parse(const char *text, bpa_date *out)
{
    int y, m, d;
    if (text == NULL || !read_digits(text, 4, &y) || text[4] != '-' ||
        !read_digits(text + 5, 2, &m) || text[7] != '-' ||
        !read_digits(text + 8, 2, &d) || text[10] != '\0')
        return false;
    if (y < BPA_YEAR_MIN || y > BPA_YEAR_MAX || m < 1 || m > 12 || d < 1 ||
        d > bpa_days_in_month(y, m))
        return false;
    if (out)
        *out = bpa_date_make(y, m, d);
    return true;
}

void bpa_date_format(bpa_date date, char out[11])
{
    int y, m, d;
    bpa_date_split(date, &y, &m, &d);
    /* Years outside 0-9999 cannot occur for dates the parser accepts; keep
     * the output 10 characters whatever comes in. */
    write_digits(out, 4, (int)floor_mod(y, 10000));
    out[4] = '-';
    write_digits(out + 5, 2, m);
    out[7] = '-';
    write_digits(out + 8, 2, d);
    out[10] = '\0';
}

bool bpa_month_parse(const char *text, int *year, int *month)
{
    int y, m;
    if (text == NULL || !read_digits(text, 4, &y) || text[4] != '-' ||
        !read_digits(text + 5, 2, &m) || text[7] != '\0')
        return false;
    if (y < BPA_YEAR_MIN || y > BPA_YEAR_MAX || m < 1 || m > 12)
        return false;
    if (year)
        *year = y;
    if (month)
        *month = m;
    return true;
}

void bpa_month_format(int year, int month, char out[8])
{
    write_digits(out, 4, (int)floor_mod(year, 10000));
    out[4] = '-';
    write_digits(out + 5, 2, (int)floor_mod(month, 100));
    out[7] = '\0';
}

bool bpa_monthday_parse(const char *text, int *month, int *day)
{
    int m, d;
    if (text == NULL || !read_digits(text, 2, &m) || text[2] != '-' ||
        !read_digits(text + 3, 2, &d) || text[5] != '\0')
        return false;
    /* 2000 is a leap year: 02-29 is a day some years have. */
    if (m < 1 || m > 12 || d < 1 || d > bpa_days_in_month(2000, m))
        return false;
    if (month)
        *month = m;
    if (day)
        *day = d;
    return true;
}

bool bpa_clock_parse(const char *text, bool allow_24, int *minute_of_day)
{
    int h, m;
    if (text == NULL || !read_digits(text, 2, &h) || text[2] != ':' ||
        !read_digits(text + 3, 2, &m) || text[5] != '\0')
        return false;
    if (m > 59)
        return false;
    if (h > 23 && !(allow_24 && h == 24 && m == 0))
        return false;
    if (minute_of_day)
        *minute_of_day = h * 60 + m;
    return true;
}

void bpa_clock_format(int minute_of_day, char out[6])
{
    /* 1440 prints as "24:00", the form bpa_clock_parse accepts back. */
    int v = (int)floor_mod(minute_of_day, 6000);
    write_digits(out, 2, v / 60);
    out[2] = ':';
    write_digits(out + 3, 2, v % 60);
    out[5] = '\0';
}
