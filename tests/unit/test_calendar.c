/* Dates, clock times, holidays, bank days and summer time (RULES.md 4).
 * Expected values come from published calendars or were worked out by hand
 * (day counts from 1970-01-01, weekdays counted from a known 1 January). */
#include "bpa/calendar.h"
#include "bpa/date.h"

#include <stdio.h>
#include <string.h>

#include "testutil.h"

#define D(y, m, d) bpa_date_make((y), (m), (d))

/* Real time of a UTC wall-clock reading, for expected values. */
static bpa_utc_minute utc(int y, int m, int d, int hh, int mm)
{
    return (bpa_utc_minute)D(y, m, d) * 1440 + hh * 60 + mm;
}

/* Local reading to real time; fails the test when it does not exist. */
static bpa_utc_minute local(int y, int m, int d, int hh, int mm)
{
    bpa_utc_minute t = 0;
    ck_assert_msg(bpa_local_to_utc(D(y, m, d), hh * 60 + mm, &t),
                  "%04d-%02d-%02d %02d:%02d should exist", y, m, d, hh, mm);
    return t;
}

static void assert_date(bpa_date date, int y, int m, int d)
{
    int yy, mm, dd;
    bpa_date_split(date, &yy, &mm, &dd);
    ck_assert_msg(yy == y && mm == m && dd == d, "got %04d-%02d-%02d, want %04d-%02d-%02d",
                  yy, mm, dd, y, m, d);
}

/* ---- dates ------------------------------------------------------------ */

START_TEST(test_day_numbers)
{
    ck_assert_int_eq(D(1970, 1, 1), 0);
    ck_assert_int_eq(D(1970, 1, 2), 1);
    ck_assert_int_eq(D(1969, 12, 31), -1);
    ck_assert_int_eq(D(2000, 1, 1), 10957);  /* 30*365 + 7 leap days */
    ck_assert_int_eq(D(2000, 3, 1), 11017);  /* + 31 + 29 */
    ck_assert_int_eq(D(1900, 1, 1), -25567); /* 70*365 + 17 leap days */
    ck_assert_int_eq(D(2999, 12, 31), 376199);
    assert_date(0, 1970, 1, 1);
    assert_date(-25567, 1900, 1, 1);
    assert_date(11016, 2000, 2, 29);
    assert_date(376199, 2999, 12, 31);
    ck_assert_int_eq(bpa_date_year(D(2025, 7, 14)), 2025);
    ck_assert_int_eq(bpa_date_month(D(2025, 7, 14)), 7);
    ck_assert_int_eq(bpa_date_day(D(2025, 7, 14)), 14);
}
END_TEST

START_TEST(test_weekdays)
{
    ck_assert_int_eq(bpa_date_weekday(D(2025, 1, 1)), 2);   /* Wednesday */
    ck_assert_int_eq(bpa_date_weekday(D(1970, 1, 1)), 3);   /* Thursday */
    ck_assert_int_eq(bpa_date_weekday(D(2000, 1, 1)), 5);   /* Saturday */
    ck_assert_int_eq(bpa_date_weekday(D(1900, 1, 1)), 0);   /* Monday */
    ck_assert_int_eq(bpa_date_weekday(D(1969, 7, 20)), 6);  /* Sunday (Apollo 11) */
    ck_assert_int_eq(bpa_date_weekday(D(2001, 9, 11)), 1);  /* Tuesday */
    ck_assert_int_eq(bpa_date_weekday(D(2024, 2, 29)), 3);  /* Thursday */
    ck_assert_int_eq(bpa_date_weekday(D(2025, 12, 25)), 3); /* Thursday */
    ck_assert_int_eq(bpa_date_weekday(D(2025, 3, 30)), 6);  /* Sunday */
}
END_TEST

START_TEST(test_leap_and_lengths)
{
    ck_assert(!bpa_is_leap_year(1900));
    ck_assert(bpa_is_leap_year(2000));
    ck_assert(bpa_is_leap_year(2024));
    ck_assert(!bpa_is_leap_year(2025));
    ck_assert(!bpa_is_leap_year(2100));
    ck_assert(bpa_is_leap_year(2400));
    ck_assert_int_eq(bpa_days_in_month(2024, 2), 29);
    ck_assert_int_eq(bpa_days_in_month(2025, 2), 28);
    ck_assert_int_eq(bpa_days_in_month(1900, 2), 28);
    ck_assert_int_eq(bpa_days_in_month(2025, 4), 30);
    ck_assert_int_eq(bpa_days_in_month(2025, 12), 31);
    ck_assert_int_eq(bpa_days_in_month(2025, 13), 0);
    ck_assert_int_eq(bpa_days_in_year(2024), 366);
    ck_assert_int_eq(bpa_days_in_year(2025), 365);
    ck_assert_int_eq(bpa_days_in_year(2100), 365);
}
END_TEST

START_TEST(test_date_parse_accepts)
{
    bpa_date d = -1;
    ck_assert(bpa_date_parse("1970-01-01", &d));
    ck_assert_int_eq(d, 0);
    ck_assert(bpa_date_parse("1900-01-01", &d));
    ck_assert_int_eq(d, -25567);
    ck_assert(bpa_date_parse("2999-12-31", &d));
    ck_assert_int_eq(d, 376199);
    ck_assert(bpa_date_parse("2024-02-29", &d));
    assert_date(d, 2024, 2, 29);
    ck_assert(bpa_date_parse("2000-02-29", &d));
    assert_date(d, 2000, 2, 29);
    ck_assert(bpa_date_parse("2025-02-01", NULL));
}
END_TEST

START_TEST(test_date_parse_rejects)
{
    static const char *const bad[] = {
        "2025-2-1",    "2025-02-1",   "2025-2-01",   "2025-02-30",  "2025-13-01",
        "2025-00-10",  "2025-01-00",  "2025-04-31",  "2023-02-29",  "1900-02-29",
        "2100-02-29",  "1899-12-31",  "3000-01-01",  "0000-01-01",  "2025-02-01x",
        "2025-02-01 ", " 2025-02-01", "+2025-02-01", "-2025-02-01", "2025-+2-01",
        "2025-02--1",  "2025/02/01",  "20250201",    "2025-02-011", "25-02-01",
        "",            "2025",        "2025-02",     "2025-02-",    "2025- 2-01",
        "２025-02-01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bpa_date d = 12345;
        ck_assert_msg(!bpa_date_parse(bad[i], &d), "accepted \"%s\"", bad[i]);
        ck_assert_int_eq(d, 12345); /* untouched on failure */
    }
    ck_assert(!bpa_date_parse(NULL, NULL));
}
END_TEST

START_TEST(test_date_format)
{
    char buf[11];
    bpa_date_format(D(2025, 3, 7), buf);
    ck_assert_str_eq(buf, "2025-03-07");
    bpa_date_format(-25567, buf);
    ck_assert_str_eq(buf, "1900-01-01");
    bpa_date_format(376199, buf);
    ck_assert_str_eq(buf, "2999-12-31");
}
END_TEST

/* Every day of the supported range: consecutive day numbers, a weekday that
 * steps by one, and format/parse/split/make agreeing with an independent
 * y-m-d walk. */
START_TEST(test_date_round_trip_all_days)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bpa_date expect = -25567; /* 1900-01-01, a Monday */
    int weekday = 0;
    for (int y = 1900; y <= 2999; y++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int n = len[m - 1] + (m == 2 && leap);
            for (int d = 1; d <= n; d++) {
                char want[32], got[11];
                snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
                bpa_date date = D(y, m, d);
                if (date != expect)
                    ck_abort_msg("%s: day %d, want %d", want, (int)date, (int)expect);
                int yy, mm, dd;
                bpa_date_split(date, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d)
                    ck_abort_msg("%s splits to %d-%d-%d", want, yy, mm, dd);
                bpa_date_format(date, got);
                if (strcmp(got, want) != 0)
                    ck_abort_msg("%s formats as %s", want, got);
                bpa_date parsed = -1;
                if (!bpa_date_parse(want, &parsed) || parsed != date)
                    ck_abort_msg("%s does not parse back", want);
                if (bpa_date_weekday(date) != weekday)
                    ck_abort_msg("%s: weekday %d, want %d", want, bpa_date_weekday(date),
                                 weekday);
                expect++;
                weekday = (weekday + 1) % 7;
            }
        }
    }
    ck_assert_int_eq(expect, 376200); /* one past 2999-12-31 */
}
END_TEST

START_TEST(test_add_months)
{
    assert_date(bpa_date_add_months(D(2025, 1, 31), 1), 2025, 2, 28);
    assert_date(bpa_date_add_months(D(2024, 1, 31), 1), 2024, 2, 29);
    assert_date(bpa_date_add_months(D(2025, 3, 31), -1), 2025, 2, 28);
    assert_date(bpa_date_add_months(D(2024, 3, 31), -1), 2024, 2, 29);
    assert_date(bpa_date_add_months(D(2025, 5, 31), 1), 2025, 6, 30);
    assert_date(bpa_date_add_months(D(2025, 1, 31), -2), 2024, 11, 30);
    assert_date(bpa_date_add_months(D(2025, 1, 31), -13), 2023, 12, 31);
    assert_date(bpa_date_add_months(D(2025, 1, 15), -1), 2024, 12, 15);
    assert_date(bpa_date_add_months(D(2025, 12, 31), 1), 2026, 1, 31);
    assert_date(bpa_date_add_months(D(2025, 11, 5), 2), 2026, 1, 5);
    assert_date(bpa_date_add_months(D(2024, 2, 29), 12), 2025, 2, 28);
    assert_date(bpa_date_add_months(D(2024, 2, 29), -12), 2023, 2, 28);
    assert_date(bpa_date_add_months(D(2024, 2, 29), 48), 2028, 2, 29);
    assert_date(bpa_date_add_months(D(2025, 5, 15), 120), 2035, 5, 15);
    assert_date(bpa_date_add_months(D(1970, 1, 31), -1), 1969, 12, 31);
    assert_date(bpa_date_add_months(D(1900, 3, 31), -1), 1900, 2, 28);
    assert_date(bpa_date_add_months(D(2025, 7, 14), 0), 2025, 7, 14);
    /* Clamping is not remembered: the 31st is lost after February. */
    assert_date(bpa_date_add_months(bpa_date_add_months(D(2025, 1, 31), 1), 1), 2025, 3, 28);
    /* The räkning date, 5th of M+2. */
    assert_date(bpa_date_add_months(D(2025, 11, 5), 2), 2026, 1, 5);
}
END_TEST

START_TEST(test_month_parse_format)
{
    int y = 0, m = 0;
    ck_assert(bpa_month_parse("2025-01", &y, &m));
    ck_assert_int_eq(y, 2025);
    ck_assert_int_eq(m, 1);
    ck_assert(bpa_month_parse("1900-12", &y, &m));
    ck_assert(bpa_month_parse("2999-12", &y, &m));
    static const char *const bad[] = {"2025-1", "2025-13", "2025-00", "1899-12", "3000-01",
                                      "2025-01-01", "2025-01 ", " 2025-01", "2025/01",
                                      "202501", "+2025-01", "", "2025-+1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!bpa_month_parse(bad[i], &y, &m), "accepted \"%s\"", bad[i]);
    ck_assert(!bpa_month_parse(NULL, &y, &m));
    char buf[8];
    bpa_month_format(2025, 3, buf);
    ck_assert_str_eq(buf, "2025-03");
    bpa_month_format(1900, 12, buf);
    ck_assert_str_eq(buf, "1900-12");
}
END_TEST

START_TEST(test_monthday_parse)
{
    int m = 0, d = 0;
    ck_assert(bpa_monthday_parse("02-29", &m, &d));
    ck_assert_int_eq(m, 2);
    ck_assert_int_eq(d, 29);
    ck_assert(bpa_monthday_parse("12-31", &m, &d));
    ck_assert_int_eq(m, 12);
    ck_assert_int_eq(d, 31);
    ck_assert(bpa_monthday_parse("06-05", &m, &d));
    static const char *const bad[] = {"02-30", "04-31", "13-01", "00-01", "01-00", "1-01",
                                      "01-1",  "01-01x", " 01-01", "01/01", "0101", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!bpa_monthday_parse(bad[i], &m, &d), "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(test_clock_parse_format)
{
    int t = -1;
    ck_assert(bpa_clock_parse("00:00", false, &t));
    ck_assert_int_eq(t, 0);
    ck_assert(bpa_clock_parse("23:59", false, &t));
    ck_assert_int_eq(t, 1439);
    ck_assert(bpa_clock_parse("07:30", false, &t));
    ck_assert_int_eq(t, 450);
    ck_assert(!bpa_clock_parse("24:00", false, &t));
    ck_assert(bpa_clock_parse("24:00", true, &t));
    ck_assert_int_eq(t, 1440);
    static const char *const bad[] = {"7:00", "07:0", "24:01", "12:60", "25:00", "99:99",
                                      "07:00 ", " 07:00", "07-00", "0700", "07:00:00",
                                      "+7:00", "-1:00", "07:+0", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(!bpa_clock_parse(bad[i], false, &t), "accepted \"%s\"", bad[i]);
        ck_assert_msg(!bpa_clock_parse(bad[i], true, &t), "accepted \"%s\" (24)", bad[i]);
    }
    ck_assert(!bpa_clock_parse(NULL, true, &t));
    char buf[6];
    bpa_clock_format(0, buf);
    ck_assert_str_eq(buf, "00:00");
    bpa_clock_format(450, buf);
    ck_assert_str_eq(buf, "07:30");
    bpa_clock_format(1439, buf);
    ck_assert_str_eq(buf, "23:59");
    bpa_clock_format(1440, buf);
    ck_assert_str_eq(buf, "24:00");
}
END_TEST

/* ---- Easter and holidays --------------------------------------------- */

START_TEST(test_easter)
{
    static const struct { int y, m, d; } cases[] = {
        {2000, 4, 23}, {2008, 3, 23}, {2011, 4, 24}, {2016, 3, 27}, {2018, 4, 1},
        {2019, 4, 21}, {2020, 4, 12}, {2021, 4, 4},  {2022, 4, 17}, {2023, 4, 9},
        {2024, 3, 31}, {2025, 4, 20}, {2026, 4, 5},  {2027, 3, 28}, {2038, 4, 25},
        {1943, 4, 25}, {2285, 3, 22}, /* latest and earliest possible dates */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bpa_date e = bpa_easter(cases[i].y);
        assert_date(e, cases[i].y, cases[i].m, cases[i].d);
        ck_assert_int_eq(bpa_date_weekday(e), 6);
    }
}
END_TEST

struct named_day {
    int m, d;
    const char *name;
};

/* The holidays of a year are exactly the listed days, under those names. */
static void assert_holidays(bpa_country c, int year, const struct named_day *days, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *name = NULL;
        ck_assert_msg(bpa_holiday(c, D(year, days[i].m, days[i].d), &name),
                      "%d-%02d-%02d should be %s", year, days[i].m, days[i].d, days[i].name);
        ck_assert_str_eq(name, days[i].name);
    }
    size_t count = 0;
    for (bpa_date d = D(year, 1, 1); d < D(year + 1, 1, 1); d++)
        count += bpa_holiday(c, d, NULL);
    ck_assert_uint_eq(count, n);
}

START_TEST(test_dk_holidays_2025)
{
    /* Easter 2025 is 20 April. */
    static const struct named_day days[] = {
        {1, 1, "nytårsdag"},
        {4, 17, "skærtorsdag"},
        {4, 18, "langfredag"},
        {4, 20, "påskedag"},
        {4, 21, "2. påskedag"},
        {5, 29, "Kristi himmelfartsdag"},
        {6, 8, "pinsedag"},
        {6, 9, "2. pinsedag"},
        {12, 25, "juledag"},
        {12, 26, "2. juledag"},
    };
    assert_holidays(BPA_COUNTRY_DK, 2025, days, sizeof days / sizeof days[0]);
    const char *name = "x";
    ck_assert(!bpa_holiday(BPA_COUNTRY_DK, D(2025, 6, 5), &name)); /* grundlovsdag */
    ck_assert_ptr_null(name);
    ck_assert(!bpa_holiday(BPA_COUNTRY_DK, D(2025, 12, 24), NULL));
    ck_assert(!bpa_holiday(BPA_COUNTRY_DK, D(2025, 12, 31), NULL));
    ck_assert(!bpa_holiday(BPA_COUNTRY_DK, D(2025, 5, 16), NULL)); /* would-be bededag */
}
END_TEST

START_TEST(test_dk_store_bededag)
{
    const char *name = NULL;
    /* Easter 2023 was 9 April: store bededag 5 May 2023, its last year. */
    ck_assert(bpa_holiday(BPA_COUNTRY_DK, D(2023, 5, 5), &name));
    ck_assert_str_eq(name, "store bededag");
    ck_assert(!bpa_bank_day(BPA_COUNTRY_DK, D(2023, 5, 5)));
    /* Easter 2024 was 31 March: 26 April 2024 is an ordinary Friday. */
    ck_assert(!bpa_holiday(BPA_COUNTRY_DK, D(2024, 4, 26), NULL));
    ck_assert(bpa_bank_day(BPA_COUNTRY_DK, D(2024, 4, 26)));
    /* 2008: Easter 23 March, bededag 18 April; 11 holidays before 2024. */
    static const struct named_day days2008[] = {
        {1, 1, "nytårsdag"},
        {3, 20, "skærtorsdag"},
        {3, 21, "langfredag"},
        {3, 23, "påskedag"},
        {3, 24, "2. påskedag"},
        {4, 18, "store bededag"},
        {5, 1, "Kristi himmelfartsdag"},
        {5, 11, "pinsedag"},
        {5, 12, "2. pinsedag"},
        {12, 25, "juledag"},
        {12, 26, "2. juledag"},
    };
    assert_holidays(BPA_COUNTRY_DK, 2008, days2008, sizeof days2008 / sizeof days2008[0]);
}
END_TEST

START_TEST(test_se_holidays_2025)
{
    static const struct named_day days[] = {
        {1, 1, "nyårsdagen"},
        {1, 6, "trettondedag jul"},
        {4, 18, "långfredagen"},
        {4, 20, "påskdagen"},
        {4, 21, "annandag påsk"},
        {5, 1, "första maj"},
        {5, 29, "Kristi himmelfärdsdag"},
        {6, 6, "nationaldagen"},
        {6, 8, "pingstdagen"},
        {6, 20, "midsommarafton"},
        {6, 21, "midsommardagen"},
        {11, 1, "alla helgons dag"},
        {12, 24, "julafton"},
        {12, 25, "juldagen"},
        {12, 26, "annandag jul"},
        {12, 31, "nyårsafton"},
    };
    assert_holidays(BPA_COUNTRY_SE, 2025, days, sizeof days / sizeof days[0]);
    ck_assert(!bpa_holiday(BPA_COUNTRY_SE, D(2025, 4, 17), NULL)); /* skärtorsdag */
    ck_assert(!bpa_holiday(BPA_COUNTRY_SE, D(2025, 6, 9), NULL));  /* annandag pingst */
}
END_TEST

START_TEST(test_se_moving_saturdays)
{
    const char *name = NULL;
    ck_assert(bpa_holiday(BPA_COUNTRY_SE, D(2024, 6, 21), &name));
    ck_assert_str_eq(name, "midsommarafton");
    ck_assert(bpa_holiday(BPA_COUNTRY_SE, D(2024, 6, 22), &name));
    ck_assert_str_eq(name, "midsommardagen");
    ck_assert(bpa_holiday(BPA_COUNTRY_SE, D(2024, 11, 2), &name));
    ck_assert_str_eq(name, "alla helgons dag");
    ck_assert(!bpa_holiday(BPA_COUNTRY_SE, D(2024, 11, 1), NULL));
    /* Ends of the windows: 2026 (19/20 June, 31 October), 2021 (25/26 June,
     * 6 November). */
    ck_assert(bpa_holiday(BPA_COUNTRY_SE, D(2026, 6, 19), &name));
    ck_assert_str_eq(name, "midsommarafton");
    ck_assert(bpa_holiday(BPA_COUNTRY_SE, D(2026, 6, 20), &name));
    ck_assert_str_eq(name, "midsommardagen");
    ck_assert(!bpa_holiday(BPA_COUNTRY_SE, D(2026, 6, 26), NULL));
    ck_assert(bpa_holiday(BPA_COUNTRY_SE, D(2026, 10, 31), &name));
    ck_assert_str_eq(name, "alla helgons dag");
    ck_assert(!bpa_holiday(BPA_COUNTRY_SE, D(2026, 11, 7), NULL));
    ck_assert(bpa_holiday(BPA_COUNTRY_SE, D(2021, 6, 25), &name));
    ck_assert_str_eq(name, "midsommarafton");
    ck_assert(bpa_holiday(BPA_COUNTRY_SE, D(2021, 6, 26), &name));
    ck_assert_str_eq(name, "midsommardagen");
    ck_assert(!bpa_holiday(BPA_COUNTRY_SE, D(2021, 6, 18), NULL));
    ck_assert(bpa_holiday(BPA_COUNTRY_SE, D(2021, 11, 6), &name));
    ck_assert_str_eq(name, "alla helgons dag");
    ck_assert(!bpa_holiday(BPA_COUNTRY_SE, D(2021, 10, 30), NULL));
    /* 2008: Kristi himmelfärdsdag fell on 1 May, so the year has 15 days. */
    size_t count = 0;
    for (bpa_date d = D(2008, 1, 1); d < D(2009, 1, 1); d++)
        count += bpa_holiday(BPA_COUNTRY_SE, d, NULL);
    ck_assert_uint_eq(count, 15);
}
END_TEST

/* ---- bank days -------------------------------------------------------- */

START_TEST(test_bank_days_dk)
{
    const bpa_country dk = BPA_COUNTRY_DK;
    assert_date(bpa_bank_day_first(dk, 2025, 1), 2025, 1, 2);
    assert_date(bpa_bank_day_last(dk, 2025, 12), 2025, 12, 30);
    assert_date(bpa_bank_day_last(dk, 2025, 5), 2025, 5, 28);
    assert_date(bpa_bank_day_first(dk, 2025, 6), 2025, 6, 2);
    assert_date(bpa_bank_day_first(dk, 2025, 4), 2025, 4, 1);
    assert_date(bpa_bank_day_first(dk, 2026, 1), 2026, 1, 2);
    ck_assert(!bpa_bank_day(dk, D(2025, 6, 5)));  /* grundlovsdag */
    ck_assert(!bpa_bank_day(dk, D(2025, 5, 30))); /* Friday after Kristi himmelfart */
    ck_assert(!bpa_bank_day(dk, D(2025, 12, 24)));
    ck_assert(!bpa_bank_day(dk, D(2025, 12, 31)));
    ck_assert(!bpa_bank_day(dk, D(2025, 5, 31))); /* Saturday */
    ck_assert(!bpa_bank_day(dk, D(2025, 6, 1)));  /* Sunday */
    ck_assert(bpa_bank_day(dk, D(2025, 6, 4)));
    ck_assert(bpa_bank_day(dk, D(2025, 6, 6)));
    assert_date(bpa_bank_day_before(dk, D(2025, 4, 1)), 2025, 3, 31);
    assert_date(bpa_bank_day_before(dk, D(2025, 3, 31)), 2025, 3, 28);
    /* Easter 2025: Mon 21 back over Sun, Sat, langfredag, skærtorsdag. */
    assert_date(bpa_bank_day_before(dk, D(2025, 4, 22)), 2025, 4, 16);
    assert_date(bpa_bank_day_before(dk, D(2026, 1, 1)), 2025, 12, 30);
    assert_date(bpa_bank_day_before(dk, D(2025, 6, 2)), 2025, 5, 28);
}
END_TEST

START_TEST(test_bank_days_se)
{
    const bpa_country se = BPA_COUNTRY_SE;
    assert_date(bpa_bank_day_first(se, 2025, 1), 2025, 1, 2);
    assert_date(bpa_bank_day_last(se, 2025, 12), 2025, 12, 30);
    assert_date(bpa_bank_day_last(se, 2025, 5), 2025, 5, 30);
    ck_assert(bpa_bank_day(se, D(2025, 6, 5)));
    ck_assert(bpa_bank_day(se, D(2025, 5, 30)));
    ck_assert(!bpa_bank_day(se, D(2025, 6, 6)));  /* nationaldagen */
    ck_assert(!bpa_bank_day(se, D(2025, 6, 20))); /* midsommarafton */
    ck_assert(bpa_bank_day(se, D(2025, 6, 19)));
    ck_assert(!bpa_bank_day(se, D(2025, 1, 6)));
    ck_assert(!bpa_bank_day(se, D(2025, 12, 24)));
    assert_date(bpa_bank_day_before(se, D(2025, 4, 22)), 2025, 4, 17);
    assert_date(bpa_bank_day_first(se, 2025, 6), 2025, 6, 2);
}
END_TEST

/* ---- summer time ------------------------------------------------------ */

START_TEST(test_dst_switch_dates)
{
    bpa_utc_minute t;
    /* 2025: last Sundays are 30 March and 26 October. */
    ck_assert(!bpa_local_to_utc(D(2025, 3, 30), 150, &t));
    ck_assert(bpa_local_to_utc(D(2025, 3, 23), 150, &t));
    ck_assert(bpa_local_to_utc(D(2025, 3, 31), 150, &t));
    ck_assert_int_eq(local(2025, 10, 19, 2, 30), utc(2025, 10, 19, 0, 30));
    ck_assert_int_eq(local(2025, 10, 26, 2, 30), utc(2025, 10, 26, 0, 30));
    ck_assert_int_eq(local(2025, 10, 27, 2, 30), utc(2025, 10, 27, 1, 30));
    /* Other years: 2024 (31 March, 27 October), 2026 (29 March, 25 October),
     * 2021 (28 March, 31 October: the last Sunday can be the 31st). */
    ck_assert(!bpa_local_to_utc(D(2024, 3, 31), 150, &t));
    ck_assert(!bpa_local_to_utc(D(2026, 3, 29), 150, &t));
    ck_assert(!bpa_local_to_utc(D(2021, 3, 28), 150, &t));
    ck_assert(bpa_local_to_utc(D(2026, 3, 22), 150, &t));
    ck_assert_int_eq(local(2024, 10, 27, 2, 30), utc(2024, 10, 27, 0, 30));
    ck_assert_int_eq(local(2024, 10, 27, 3, 0), utc(2024, 10, 27, 2, 0));
    ck_assert_int_eq(local(2026, 10, 25, 3, 0), utc(2026, 10, 25, 2, 0));
    ck_assert_int_eq(local(2026, 10, 24, 3, 0), utc(2026, 10, 24, 1, 0));
    ck_assert_int_eq(local(2021, 10, 31, 3, 0), utc(2021, 10, 31, 2, 0));
    ck_assert_int_eq(local(2021, 10, 30, 3, 0), utc(2021, 10, 30, 1, 0));
}
END_TEST

START_TEST(test_dst_offsets)
{
    bpa_utc_minute t;
    ck_assert_int_eq(local(2025, 1, 15, 12, 0), utc(2025, 1, 15, 11, 0));
    ck_assert_int_eq(local(2025, 7, 1, 12, 0), utc(2025, 7, 1, 10, 0));
    ck_assert_int_eq(local(2025, 1, 1, 0, 0), utc(2024, 12, 31, 23, 0));
    ck_assert_int_eq(local(1970, 1, 1, 0, 30), -30);
    /* March night: 01:59 is CET, 03:00 CEST, one real minute later. */
    ck_assert_int_eq(local(2025, 3, 30, 1, 59), utc(2025, 3, 30, 0, 59));
    ck_assert_int_eq(local(2025, 3, 30, 3, 0), utc(2025, 3, 30, 1, 0));
    for (int m = 120; m < 180; m++)
        ck_assert_msg(!bpa_local_to_utc(D(2025, 3, 30), m, &t), "minute %d exists", m);
    /* October night: 02:00-02:59 is taken in summer time. */
    ck_assert_int_eq(local(2025, 10, 26, 1, 59), utc(2025, 10, 25, 23, 59));
    ck_assert_int_eq(local(2025, 10, 26, 2, 0), utc(2025, 10, 26, 0, 0));
    ck_assert_int_eq(local(2025, 10, 26, 2, 59), utc(2025, 10, 26, 0, 59));
    ck_assert_int_eq(local(2025, 10, 26, 3, 0), utc(2025, 10, 26, 2, 0));
    /* 24:00 ends the day; anything else outside the day is refused. */
    ck_assert(bpa_local_to_utc(D(2025, 10, 25), 1440, &t));
    ck_assert_int_eq(t, local(2025, 10, 26, 0, 0));
    ck_assert(!bpa_local_to_utc(D(2025, 10, 25), 1441, &t));
    ck_assert(!bpa_local_to_utc(D(2025, 10, 25), -1, &t));
}
END_TEST

START_TEST(test_dst_durations)
{
    /* RULES.md 4: real time across the changes. */
    ck_assert_int_eq(local(2025, 10, 26, 6, 0) - local(2025, 10, 25, 22, 0), 9 * 60);
    ck_assert_int_eq(local(2025, 3, 30, 6, 0) - local(2025, 3, 29, 22, 0), 7 * 60);
    ck_assert_int_eq(local(2025, 10, 26, 4, 0) - local(2025, 10, 26, 0, 0), 5 * 60);
    ck_assert_int_eq(local(2025, 3, 30, 4, 0) - local(2025, 3, 30, 0, 0), 3 * 60);
    ck_assert_int_eq(local(2025, 6, 15, 6, 0) - local(2025, 6, 14, 22, 0), 8 * 60);
    ck_assert_int_eq(local(2025, 10, 27, 0, 0) - local(2025, 10, 26, 0, 0), 25 * 60);
    ck_assert_int_eq(local(2025, 3, 31, 0, 0) - local(2025, 3, 30, 0, 0), 23 * 60);
}
END_TEST

START_TEST(test_utc_to_local_fixed)
{
    bpa_date d;
    int m;
    /* Both real minutes of the repeated 02:30 read 02:30. */
    bpa_utc_to_local(utc(2025, 10, 26, 0, 30), &d, &m);
    ck_assert_int_eq(d, D(2025, 10, 26));
    ck_assert_int_eq(m, 150);
    bpa_utc_to_local(utc(2025, 10, 26, 1, 30), &d, &m);
    ck_assert_int_eq(d, D(2025, 10, 26));
    ck_assert_int_eq(m, 150);
    bpa_utc_to_local(utc(2025, 10, 26, 0, 59), &d, &m);
    ck_assert_int_eq(m, 179);
    bpa_utc_to_local(utc(2025, 10, 26, 1, 0), &d, &m);
    ck_assert_int_eq(m, 120);
    /* March: 00:59 UTC is 01:59 CET, 01:00 UTC is 03:00 CEST. */
    bpa_utc_to_local(utc(2025, 3, 30, 0, 59), &d, &m);
    ck_assert_int_eq(d, D(2025, 3, 30));
    ck_assert_int_eq(m, 119);
    bpa_utc_to_local(utc(2025, 3, 30, 1, 0), &d, &m);
    ck_assert_int_eq(m, 180);
    /* Across the year end and before 1970. */
    bpa_utc_to_local(utc(2024, 12, 31, 23, 15), &d, &m);
    ck_assert_int_eq(d, D(2025, 1, 1));
    ck_assert_int_eq(m, 15);
    bpa_utc_to_local(-61, &d, &m);
    ck_assert_int_eq(d, D(1969, 12, 31));
    ck_assert_int_eq(m, 1439);
}
END_TEST

/* Every local minute of a day maps to real time and back (except the March
 * gap, which does not exist). */
static void local_round_trip(int y, int mo, int dd, bool march_gap)
{
    bpa_date day = D(y, mo, dd);
    for (int m = 0; m < 1440; m++) {
        bpa_utc_minute t;
        bool ok = bpa_local_to_utc(day, m, &t);
        if (march_gap && m >= 120 && m < 180) {
            if (ok)
                ck_abort_msg("%d-%02d-%02d minute %d should not exist", y, mo, dd, m);
            continue;
        }
        if (!ok)
            ck_abort_msg("%d-%02d-%02d minute %d refused", y, mo, dd, m);
        bpa_date back;
        int bm;
        bpa_utc_to_local(t, &back, &bm);
        if (back != day || bm != m)
            ck_abort_msg("%d-%02d-%02d minute %d came back as day %d minute %d", y, mo, dd,
                         m, (int)back, bm);
    }
}

/* Every real minute of the three UTC days around a date maps to local time
 * and back; in the October overlap the second occurrence comes back as the
 * first, 60 minutes earlier. */
static void utc_round_trip(int y, int mo, int dd, bpa_utc_minute repeat_from)
{
    bpa_utc_minute from = utc(y, mo, dd, 0, 0) - 1440;
    for (bpa_utc_minute t = from; t < from + 3 * 1440; t++) {
        bpa_date day;
        int m;
        bpa_utc_to_local(t, &day, &m);
        if (m < 0 || m > 1439)
            ck_abort_msg("minute %d out of range", m);
        bpa_utc_minute back = 0;
        if (!bpa_local_to_utc(day, m, &back))
            ck_abort_msg("utc %lld maps to a local time that does not exist", (long long)t);
        bool second = repeat_from >= 0 && t >= repeat_from && t < repeat_from + 60;
        bpa_utc_minute want = second ? t - 60 : t;
        if (back != want)
            ck_abort_msg("utc %lld came back as %lld", (long long)t, (long long)back);
        if (second && !(day == D(y, mo, dd) && m >= 120 && m < 180))
            ck_abort_msg("repeated minute %lld is not 02:xx local", (long long)t);
    }
}

START_TEST(test_dst_round_trips)
{
    local_round_trip(2025, 3, 30, true);
    local_round_trip(2025, 10, 26, false);
    local_round_trip(2025, 6, 15, false);
    local_round_trip(2025, 1, 15, false);
    local_round_trip(2024, 12, 31, false);
    local_round_trip(2025, 1, 1, false);
    utc_round_trip(2025, 3, 30, -1);
    utc_round_trip(2025, 10, 26, utc(2025, 10, 26, 1, 0));
    utc_round_trip(2025, 6, 15, -1);
    utc_round_trip(2025, 1, 1, -1);
}
END_TEST

static Suite *calendar_suite(void)
{
    Suite *s = suite_create("calendar");
    TCase *dates = tcase_create("dates");
    tcase_add_test(dates, test_day_numbers);
    tcase_add_test(dates, test_weekdays);
    tcase_add_test(dates, test_leap_and_lengths);
    tcase_add_test(dates, test_date_parse_accepts);
    tcase_add_test(dates, test_date_parse_rejects);
    tcase_add_test(dates, test_date_format);
    tcase_add_test(dates, test_date_round_trip_all_days);
    tcase_add_test(dates, test_add_months);
    tcase_add_test(dates, test_month_parse_format);
    tcase_add_test(dates, test_monthday_parse);
    tcase_add_test(dates, test_clock_parse_format);
    tcase_set_timeout(dates, 60); /* the all-days walk under sanitizers */
    suite_add_tcase(s, dates);

    TCase *holidays = tcase_create("holidays");
    tcase_add_test(holidays, test_easter);
    tcase_add_test(holidays, test_dk_holidays_2025);
    tcase_add_test(holidays, test_dk_store_bededag);
    tcase_add_test(holidays, test_se_holidays_2025);
    tcase_add_test(holidays, test_se_moving_saturdays);
    tcase_add_test(holidays, test_bank_days_dk);
    tcase_add_test(holidays, test_bank_days_se);
    suite_add_tcase(s, holidays);

    TCase *dst = tcase_create("summer time");
    tcase_add_test(dst, test_dst_switch_dates);
    tcase_add_test(dst, test_dst_offsets);
    tcase_add_test(dst, test_dst_durations);
    tcase_add_test(dst, test_utc_to_local_fixed);
    tcase_add_test(dst, test_dst_round_trips);
    suite_add_tcase(s, dst);
    return s;
}

BPA_TEST_MAIN(calendar_suite)
