/* Public holidays, bank days and summer time for Denmark and Sweden
 * (see include/bpa/calendar.h). Everything is derived from the date itself:
 * no tables per year and no time zone database. */
#include "bpa/calendar.h"

#include <stddef.h>

#define MINUTES_PER_DAY 1440
#define CET_OFFSET 60   /* standard time, minutes east of UTC */
#define CEST_OFFSET 120 /* summer time */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

bpa_date bpa_easter(int year)
{
    /* Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
    int a = year % 19;
    int b = year / 100;
    int c = year % 100;
    int d = b / 4;
    int e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4;
    int k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = (h + l - 7 * m + 114) % 31 + 1;
    return bpa_date_make(year, month, day);
}

/* The day with the given weekday (0 = Monday) in the week starting at start:
 * the Swedish movable feasts are defined as "the Saturday between ...". */
static bpa_date weekday_from(bpa_date start, int weekday)
{
    return start + (weekday - bpa_date_weekday(start) + 7) % 7;
}

static const char *dk_holiday(bpa_date date, int y, int m, int d)
{
    if (m == 1 && d == 1)
        return "nytårsdag";
    if (m == 12 && d == 25)
        return "juledag";
    if (m == 12 && d == 26)
        return "2. juledag";
    switch (date - bpa_easter(y)) {
    case -3: return "skærtorsdag";
    case -2: return "langfredag";
    case 0: return "påskedag";
    case 1: return "2. påskedag";
    case 26: return y <= 2023 ? "store bededag" : NULL; /* abolished from 2024 */
    case 39: return "Kristi himmelfartsdag";
    case 49: return "pinsedag";
    case 50: return "2. pinsedag";
    default: return NULL;
    }
}

static const char *se_holiday(bpa_date date, int y, int m, int d)
{
    if (m == 1 && d == 1)
        return "nyårsdagen";
    if (m == 1 && d == 6)
        return "trettondedag jul";
    if (m == 5 && d == 1)
        return "första maj";
    if (m == 6 && d == 6)
        return "nationaldagen";
    if (date == weekday_from(bpa_date_make(y, 6, 19), 4))
        return "midsommarafton";
    if (date == weekday_from(bpa_date_make(y, 6, 20), 5))
        return "midsommardagen";
    if (date == weekday_from(bpa_date_make(y, 10, 31), 5))
        return "alla helgons dag";
    if (m == 12 && d == 24)
        return "julafton";
    if (m == 12 && d == 25)
        return "juldagen";
    if (m == 12 && d == 26)
        return "annandag jul";
    if (m == 12 && d == 31)
        return "nyårsafton";
    switch (date - bpa_easter(y)) {
    case -2: return "långfredagen";
    case 0: return "påskdagen";
    case 1: return "annandag påsk";
    case 39: return "Kristi himmelfärdsdag";
    case 49: return "pingstdagen";
    default: return NULL;
    }
}

bool bpa_holiday(bpa_country country, bpa_date date, const char **name)
{
    int y, m, d;
    bpa_date_split(date, &y, &m, &d);
    const char *found = country == BPA_COUNTRY_SE ? se_holiday(date, y, m, d)
                                                   : dk_holiday(date, y, m, d);
    if (name)
        *name = found;
    return found != NULL;
}

/* Days the banks close that are not public holidays. Sweden's closing days
 * (midsommarafton, julafton, nyårsafton) are already holidays above. */
static bool dk_bank_closed(bpa_date date)
{
    int y, m, d;
    bpa_date_split(date, &y, &m, &d);
    if ((m == 6 && d == 5) || (m == 12 && (d == 24 || d == 31)))
        return true;
    return date - bpa_easter(y) == 40; /* Friday after Kristi himmelfartsdag */
}

bool bpa_bank_day(bpa_country country, bpa_date date)
{
    if (bpa_date_weekday(date) >= 5)
        return false;
    if (bpa_holiday(country, date, NULL))
        return false;
    return !(country == BPA_COUNTRY_DK && dk_bank_closed(date));
}

/* Every month has bank days (at most a handful of closed weekdays in a row),
 * so the searches below always end inside the month; the bounds only guard. */
bpa_date bpa_bank_day_first(bpa_country country, int year, int month)
{
    bpa_date date = bpa_date_make(year, month, 1);
    bpa_date end = date + bpa_days_in_month(year, month);
    while (date < end - 1 && !bpa_bank_day(country, date))
        date++;
    return date;
}

bpa_date bpa_bank_day_last(bpa_country country, int year, int month)
{
    bpa_date first = bpa_date_make(year, month, 1);
    bpa_date date = first + bpa_days_in_month(year, month) - 1;
    while (date > first && !bpa_bank_day(country, date))
        date--;
    return date;
}

bpa_date bpa_bank_day_before(bpa_country country, bpa_date date)
{
    do
        date--;
    while (!bpa_bank_day(country, date));
    return date;
}

/* Real time of a summer-time switch: 01:00 UTC on the month's last Sunday. */
static bpa_utc_minute switch_utc(int year, int month)
{
    bpa_date last = bpa_date_make(year, month, bpa_days_in_month(year, month));
    bpa_date sunday = last - (bpa_date_weekday(last) + 1) % 7;
    return (bpa_utc_minute)sunday * MINUTES_PER_DAY + 60;
}

static bool is_summer(int year, bpa_utc_minute t)
{
    return t >= switch_utc(year, 3) && t < switch_utc(year, 10);
}

bool bpa_local_to_utc(bpa_date date, int minute_of_day, bpa_utc_minute *out)
{
    /* 1440 ("24:00") is the midnight that ends the day. */
    if (minute_of_day < 0 || minute_of_day > MINUTES_PER_DAY)
        return false;
    int year = bpa_date_year(date);
    bpa_utc_minute local = (bpa_utc_minute)date * MINUTES_PER_DAY + minute_of_day;
    /* Try summer time first: in the October overlap both readings are
     * consistent and the first occurrence is the summer one. In the March gap
     * neither reading is consistent, so the time does not exist. Summer time
     * never touches a year boundary, so the date's own year decides. */
    bpa_utc_minute summer = local - CEST_OFFSET;
    if (is_summer(year, summer)) {
        if (out)
            *out = summer;
        return true;
    }
    bpa_utc_minute standard = local - CET_OFFSET;
    if (!is_summer(year, standard)) {
        if (out)
            *out = standard;
        return true;
    }
    return false;
}

void bpa_utc_offset_span(bpa_utc_minute t, bpa_utc_minute *from, bpa_utc_minute *to)
{
    int year = bpa_date_year((bpa_date)floor_div(t, MINUTES_PER_DAY));
    bpa_utc_minute begin = switch_utc(year, 3), end = switch_utc(year, 10);
    if (t < begin) {
        *from = switch_utc(year - 1, 10);
        *to = begin;
    } else if (t < end) {
        *from = begin;
        *to = end;
    } else {
        *from = end;
        *to = switch_utc(year + 1, 3);
    }
}

void bpa_utc_to_local(bpa_utc_minute t, bpa_date *date, int *minute_of_day)
{
    int year = bpa_date_year((bpa_date)floor_div(t, MINUTES_PER_DAY));
    bpa_utc_minute local = t + (is_summer(year, t) ? CEST_OFFSET : CET_OFFSET);
    int64_t day = floor_div(local, MINUTES_PER_DAY);
    if (date)
        *date = (bpa_date)day;
    if (minute_of_day)
        *minute_of_day = (int)(local - day * MINUTES_PER_DAY);
}
