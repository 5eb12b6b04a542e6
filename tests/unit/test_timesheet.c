/* Timesheets: band classification at every window edge, shifts across summer
 * time, month and year ends, on-call minutes, overlap and order checks, CSV
 * header and row errors, and the minute-count invariant on random shifts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/calendar.h"
#include "bpa/date.h"
#include "bpa/policy.h"
#include "core/sha256.h"
#include "input/timesheet.h"
#include "testutil.h"

#define NAME "timesheets/x.csv"

#define POLICY_HEAD                                                                         \
    "{\"format\": \"bpa-policy/1\", \"id\": \"t\", \"title\": \"test\", \"country\": \"DK\"," \
    " \"schemes\": [\"dk-sel-96\"], \"references\": {\"ex\": \"example\"}, \"params\": {"

#define WINDOWS                                                                             \
    "\"band.windows\": [{\"from\": \"2024-01-01\", \"ref\": \"ex\", \"value\": {"            \
    " \"evening\": [{\"days\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"],"               \
    "   \"from\": \"17:00\", \"to\": \"23:00\"}],"                                          \
    " \"night\": [{\"days\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"," \
    "   \"holiday\"], \"from\": \"00:00\", \"to\": \"06:00\"},"                              \
    "  {\"days\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\", \"holiday\"]," \
    "   \"from\": \"23:00\", \"to\": \"24:00\"}],"                                          \
    " \"saturday\": [{\"days\": [\"sat\"], \"from\": \"06:00\", \"to\": \"24:00\"}],"         \
    " \"sunday_holiday\": [{\"days\": [\"sun\", \"holiday\"], \"from\": \"00:00\","          \
    "   \"to\": \"24:00\"}]}}],"                                                             \
    "\"holidays.extra\": [{\"from\": \"2024-01-01\", \"ref\": \"ex\", \"value\": ["          \
    " {\"date\": \"06-05\", \"from\": \"12:00\", \"name\": \"grundlovsdag\"}]}]"

static const char policy_main[] = POLICY_HEAD WINDOWS "}}";
static const char policy_oncall[] =
    POLICY_HEAD WINDOWS ", \"on_call.supplements\": [{\"from\": \"2025-01-01\", \"value\": true,"
                        " \"ref\": \"ex\"}]}}";
/* Another precedence: on Sundays night (00-06, 23-24) now beats
 * sunday_holiday, so a band edge lies after the March change. */
static const char policy_prec[] =
    POLICY_HEAD WINDOWS
    ", \"band.precedence\": [{\"from\": \"2024-01-01\", \"ref\": \"ex\", \"value\":"
    " [\"evening\", \"day\", \"saturday\", \"night\", \"sunday_holiday\"]}],"
    " \"on_call.supplements\": [{\"from\": \"2025-01-01\", \"value\": true,"
    " \"ref\": \"ex\"}]}}";
static const char policy_nowin[] = POLICY_HEAD "\"hourly_cap\": [{\"from\": \"2025-01-01\","
                                               " \"value\": \"400\", \"ref\": \"ex\"}]}}";

static bpa_policy *load(const char *json)
{
    bpa_policy *p = NULL;
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status st = bpa_policy_load_mem(&p, "policy.json", json, strlen(json), &err);
    ck_assert_msg(st == BPA_OK, "policy: %s:%u:%u %s %s", err.file, err.line, err.column,
                  err.path, err.message);
    return p;
}

static bpa_date D(const char *s)
{
    bpa_date d;
    ck_assert_msg(bpa_date_parse(s, &d), "bad test date %s", s);
    return d;
}

static int M(const char *s)
{
    int m;
    ck_assert_msg(bpa_clock_parse(s, true, &m), "bad test time %s", s);
    return m;
}

static void expect_band(const bpa_policy *p, const char *date, const char *time,
                        bpa_band want)
{
    bpa_band b = BPA_BAND_ANY;
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_band_classify(p, D(date), M(time), &b, &err), BPA_OK);
    ck_assert_msg(b == want, "%s %s: %s, expected %s", date, time, bpa_band_name(b),
                  bpa_band_name(want));
}

/* Minutes of one (kind, band, step, month) cell, 0 when absent; no cell may
 * occur twice. */
static int64_t cell(const bpa_ts_acc *a, bpa_kind k, bpa_band b, int step, int month)
{
    int64_t v = 0;
    int seen = 0;
    for (size_t i = 0; i < a->ncells; i++) {
        const bpa_ts_cell *c = &a->cells[i];
        if (c->category.kind == k && c->category.band == b && c->category.step == step &&
            c->month == month) {
            v = c->minutes;
            seen++;
        }
    }
    ck_assert_int_le(seen, 1);
    return v;
}

static int64_t cells_sum(const bpa_ts_acc *a)
{
    int64_t s = 0;
    for (size_t i = 0; i < a->ncells; i++)
        s += a->cells[i].minutes;
    return s;
}

static void read_ok(bpa_ts_acc *a, const char *name, const char *csv)
{
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status st = bpa_timesheet_read_mem(a, name, csv, strlen(csv), NULL, &err);
    ck_assert_msg(st == BPA_OK, "%s:%u: %s", err.file, err.line, err.message);
}

/* Reading csv into a fresh accumulator fails with status at line, message
 * containing each of what[] (NULL-terminated). */
static void read_fail_p(const char *policy_json, int default_step, const char *csv,
                        bpa_status status, unsigned line, const char *const *what)
{
    bpa_policy *p = load(policy_json);
    bpa_ts_acc a;
    bpa_ts_acc_init(&a, p, 2025, default_step);
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status st = bpa_timesheet_read_mem(&a, NAME, csv, strlen(csv), NULL, &err);
    if (st == BPA_OK) /* overlaps are found at the end */
        st = bpa_ts_acc_finish(&a, &err);
    ck_assert_msg(st == status, "status %d (%s:%u: %s), expected %d", (int)st, err.file,
                  err.line, err.message, (int)status);
    if (status == BPA_E_INPUT) {
        ck_assert_str_eq(err.file, NAME);
        ck_assert_msg(err.line == line, "line %u, expected %u: %s", err.line, line, err.message);
    }
    for (size_t i = 0; what[i]; i++)
        ck_assert_msg(strstr(err.message, what[i]), "message '%s' lacks '%s'", err.message,
                      what[i]);
    bpa_ts_acc_release(&a);
    bpa_policy_free(p);
}

#define READ_FAIL(csv, line, ...)                                                           \
    read_fail_p(policy_main, 11, csv, BPA_E_INPUT, line, (const char *const[]){__VA_ARGS__, NULL})

#define HDR "helper,date,start,end,kind\n"

/* ---- classification ---------------------------------------------------- */

START_TEST(test_band_edges)
{
    bpa_policy *p = load(policy_main);
    ck_assert_int_eq(bpa_date_weekday(D("2025-01-06")), 0); /* Monday */
    expect_band(p, "2025-01-06", "00:00", BPA_BAND_NIGHT);
    expect_band(p, "2025-01-06", "05:59", BPA_BAND_NIGHT);
    expect_band(p, "2025-01-06", "06:00", BPA_BAND_DAY);
    expect_band(p, "2025-01-06", "16:59", BPA_BAND_DAY);
    expect_band(p, "2025-01-06", "17:00", BPA_BAND_EVENING);
    expect_band(p, "2025-01-06", "22:59", BPA_BAND_EVENING);
    expect_band(p, "2025-01-06", "23:00", BPA_BAND_NIGHT);
    expect_band(p, "2025-01-06", "23:59", BPA_BAND_NIGHT);
    /* Friday night into Saturday: night wins over saturday by precedence */
    expect_band(p, "2025-01-10", "23:59", BPA_BAND_NIGHT);
    expect_band(p, "2025-01-11", "00:00", BPA_BAND_NIGHT);
    expect_band(p, "2025-01-11", "05:59", BPA_BAND_NIGHT);
    expect_band(p, "2025-01-11", "06:00", BPA_BAND_SATURDAY);
    expect_band(p, "2025-01-11", "17:00", BPA_BAND_SATURDAY); /* evening is Mon-Fri */
    expect_band(p, "2025-01-11", "22:59", BPA_BAND_SATURDAY);
    expect_band(p, "2025-01-11", "23:00", BPA_BAND_NIGHT);
    expect_band(p, "2025-01-11", "23:59", BPA_BAND_NIGHT);
    /* Sunday: sunday_holiday beats night */
    expect_band(p, "2025-01-12", "00:00", BPA_BAND_SUNDAY_HOLIDAY);
    expect_band(p, "2025-01-12", "12:00", BPA_BAND_SUNDAY_HOLIDAY);
    expect_band(p, "2025-01-12", "23:59", BPA_BAND_SUNDAY_HOLIDAY);
    /* weekday public holidays: skærtorsdag (Thursday), nytårsdag (Wednesday) */
    ck_assert_int_eq(bpa_date_weekday(D("2025-04-17")), 3);
    expect_band(p, "2025-04-17", "10:00", BPA_BAND_SUNDAY_HOLIDAY);
    expect_band(p, "2025-04-17", "18:00", BPA_BAND_SUNDAY_HOLIDAY);
    expect_band(p, "2025-04-16", "10:00", BPA_BAND_DAY);
    expect_band(p, "2025-01-01", "10:00", BPA_BAND_SUNDAY_HOLIDAY);
    /* grundlovsdag (Thursday) from 12:00 by holidays.extra, every year */
    ck_assert_int_eq(bpa_date_weekday(D("2025-06-05")), 3);
    expect_band(p, "2025-06-05", "11:59", BPA_BAND_DAY);
    expect_band(p, "2025-06-05", "12:00", BPA_BAND_SUNDAY_HOLIDAY);
    expect_band(p, "2025-06-05", "18:00", BPA_BAND_SUNDAY_HOLIDAY);
    expect_band(p, "2025-06-05", "05:00", BPA_BAND_NIGHT);
    expect_band(p, "2026-06-05", "11:59", BPA_BAND_DAY);
    expect_band(p, "2026-06-05", "12:00", BPA_BAND_SUNDAY_HOLIDAY);
    expect_band(p, "2025-06-06", "12:00", BPA_BAND_DAY);
    bpa_policy_free(p);
}
END_TEST

START_TEST(test_band_precedence_param)
{
    /* evening first: a Friday 18:00 on a holiday becomes evening */
    bpa_policy *p = load(policy_prec);
    expect_band(p, "2025-04-18", "18:00", BPA_BAND_EVENING);        /* langfredag */
    expect_band(p, "2025-04-18", "10:00", BPA_BAND_SUNDAY_HOLIDAY); /* day never wins early */
    expect_band(p, "2025-01-11", "23:30", BPA_BAND_SATURDAY);       /* saturday before night */
    bpa_policy_free(p);
}
END_TEST

START_TEST(test_band_missing_windows)
{
    bpa_policy *p = load(policy_nowin);
    bpa_band b;
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_band_classify(p, D("2025-03-03"), 600, &b, &err), BPA_E_POLICY);
    ck_assert_ptr_nonnull(strstr(err.message, "band.windows"));
    ck_assert_ptr_nonnull(strstr(err.message, "2025-03-03"));
    bpa_policy_free(p);
    /* before the first value */
    p = load(policy_main);
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_band_classify(p, D("2023-12-31"), 600, &b, &err), BPA_E_POLICY);
    ck_assert_ptr_nonnull(strstr(err.message, "2023-12-31"));
    bpa_policy_free(p);
}
END_TEST

/* ---- shifts ------------------------------------------------------------ */

START_TEST(test_october_night)
{
    bpa_policy *p = load(policy_main);
    bpa_ts_acc a;
    bpa_ts_acc_init(&a, p, 2025, 11);
    read_ok(&a, NAME, HDR "Anna,2025-10-25,22:00,06:00,work\n");
    ck_assert_int_eq(a.total_minutes, 540);
    ck_assert_uint_eq(a.shifts, 1);
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_SATURDAY, 11, 10), 60);
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_NIGHT, 11, 10), 60);
    /* Sunday 00:00-06:00 local holds the repeated hour: 7 real hours */
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_SUNDAY_HOLIDAY, 11, 10), 420);
    ck_assert_int_eq(cells_sum(&a), 540);
    ck_assert_uint_eq(a.nhelpers, 1);
    ck_assert_str_eq(a.helpers[0].name, "Anna");
    ck_assert_int_eq(a.helpers[0].minutes, 540);
    bpa_ts_acc_release(&a);
    bpa_policy_free(p);
}
END_TEST

START_TEST(test_march_night)
{
    bpa_policy *p = load(policy_main);
    bpa_ts_acc a;
    bpa_ts_acc_init(&a, p, 2025, 11);
    read_ok(&a, NAME, HDR "Anna,2025-03-29,22:00,06:00,work\n");
    ck_assert_int_eq(a.total_minutes, 420);
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_SATURDAY, 11, 3), 60);
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_NIGHT, 11, 3), 60);
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_SUNDAY_HOLIDAY, 11, 3), 300);
    ck_assert_int_eq(cells_sum(&a), 420);
    bpa_ts_acc_release(&a);
    bpa_policy_free(p);
}
END_TEST

START_TEST(test_dst_other_shifts)
{
    bpa_policy *p = load(policy_main);
    bpa_ts_acc a;
    bpa_ts_acc_init(&a, p, 2025, 11);
    /* 00:00-04:00 on the October night is 5 hours (RULES.md 4); 02:30 in the
     * repeated hour is its first occurrence; equal times: the same clock time
     * next day, 25 real hours across the change */
    read_ok(&a, NAME,
            HDR "A,2025-10-26,00:00,04:00,work\n"
                "B,2025-10-26,02:30,03:00,work\n"
                "C,2025-10-25,08:00,08:00,work\n"
                "D,2025-01-06,08:00,08:00,work\n"
                "E,2025-03-30,01:00,03:00,work\n");
    ck_assert_int_eq(a.total_minutes, 300 + 90 + 1500 + 1440 + 60);
    ck_assert_int_eq(cells_sum(&a), a.total_minutes);
    bpa_ts_acc_release(&a);
    bpa_policy_free(p);

    /* a band edge after the March change: Sunday 00:00-06:00 local is night
     * (300 real minutes), 06:00-08:00 sunday_holiday; local minutes run an
     * hour ahead of real ones after 01:00 UTC */
    p = load(policy_prec);
    bpa_ts_acc_init(&a, p, 2025, 11);
    read_ok(&a, NAME, HDR "A,2025-03-30,00:00,08:00,work\n");
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_NIGHT, 11, 3), 300);
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_SUNDAY_HOLIDAY, 11, 3), 120);
    bpa_ts_acc_release(&a);
    bpa_policy_free(p);
}
END_TEST

START_TEST(test_missing_hour)
{
    READ_FAIL(HDR "Anna,2025-03-29,08:00,12:00,work\n"
                  "Anna,2025-03-30,02:30,06:00,work\n",
              3, "start 02:30 on 2025-03-30 does not exist", "summer time");
    READ_FAIL(HDR "Anna,2025-03-29,22:00,02:00,work\n", 2,
              "end 02:00 on 2025-03-30 does not exist");
    /* 03:00 exists */
    READ_FAIL(HDR "Anna,2025-03-29,22:00,03:00,work\nBo,2025-13-01,08:00,09:00,work\n", 3,
              "2025-13-01");
}
END_TEST

START_TEST(test_month_and_year_end)
{
    bpa_policy *p = load(policy_main);
    bpa_ts_acc a;
    bpa_ts_acc_init(&a, p, 2025, 11);
    read_ok(&a, NAME,
            HDR "Anna,2025-01-31,22:00,06:00,work\n"
                "Anna,2025-12-31,20:00,04:00,work\n"
                "Bo,2024-12-31,23:00,01:00,on_call\n");
    /* Friday 22-23 evening, 23-24 night; Saturday 00-06 night */
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_EVENING, 11, 1), 60);
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_NIGHT, 11, 1), 60);
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_NIGHT, 11, 2), 360);
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_SATURDAY, 11, 2), 0);
    /* Wednesday 31 December: 20-23 evening, 23-24 night; 2026 outside */
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_EVENING, 11, 12), 180);
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_NIGHT, 11, 12), 60);
    ck_assert_int_eq(a.outside_minutes[BPA_KIND_WORK], 240);
    /* on call over the previous new year: 60 outside, 60 in January (any) */
    ck_assert_int_eq(a.outside_minutes[BPA_KIND_ON_CALL], 60);
    ck_assert_int_eq(cell(&a, BPA_KIND_ON_CALL, BPA_BAND_ANY, 11, 1), 60);
    ck_assert_int_eq(a.total_minutes, 480 + 480 + 120);
    ck_assert_int_eq(cells_sum(&a) + a.outside_minutes[0] + a.outside_minutes[1],
                     a.total_minutes);
    /* helpers count the year only */
    ck_assert_uint_eq(a.nhelpers, 2);
    ck_assert_str_eq(a.helpers[0].name, "Anna");
    ck_assert_int_eq(a.helpers[0].minutes, 480 + 240);
    ck_assert_str_eq(a.helpers[1].name, "Bo");
    ck_assert_int_eq(a.helpers[1].kind, BPA_KIND_ON_CALL);
    ck_assert_int_eq(a.helpers[1].minutes, 60);
    bpa_ts_acc_release(&a);
    bpa_policy_free(p);
}
END_TEST

START_TEST(test_on_call)
{
    const char *csv = "kind,helper,step,date,start,end\n"
                      "on_call,Anna,18,2025-01-06,17:00,23:00\n"
                      "work,Anna,,2025-01-06,23:00,01:00\n";
    bpa_policy *p = load(policy_main);
    bpa_ts_acc a;
    bpa_ts_acc_init(&a, p, 2025, 11);
    read_ok(&a, NAME, csv);
    ck_assert_int_eq(cell(&a, BPA_KIND_ON_CALL, BPA_BAND_ANY, 18, 1), 360);
    ck_assert_int_eq(cell(&a, BPA_KIND_ON_CALL, BPA_BAND_EVENING, 18, 1), 0);
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_NIGHT, 11, 1), 120);
    ck_assert_uint_eq(a.nhelpers, 2); /* (Anna, on_call), (Anna, work) */
    bpa_ts_acc_release(&a);
    bpa_policy_free(p);

    p = load(policy_oncall);
    bpa_ts_acc_init(&a, p, 2025, 11);
    read_ok(&a, NAME, csv);
    ck_assert_int_eq(cell(&a, BPA_KIND_ON_CALL, BPA_BAND_ANY, 18, 1), 0);
    ck_assert_int_eq(cell(&a, BPA_KIND_ON_CALL, BPA_BAND_EVENING, 18, 1), 360);
    bpa_ts_acc_release(&a);
    bpa_policy_free(p);

    /* on call without supplements needs no band.windows; work does */
    p = load(policy_nowin);
    bpa_ts_acc_init(&a, p, 2025, 11);
    read_ok(&a, NAME, HDR "Anna,2025-01-06,17:00,23:00,on_call\n");
    ck_assert_int_eq(cell(&a, BPA_KIND_ON_CALL, BPA_BAND_ANY, 11, 1), 360);
    /* minutes outside the year are not classified, so need no windows */
    read_ok(&a, NAME, HDR "Bo,2024-12-31,08:00,16:00,work\n");
    ck_assert_int_eq(a.outside_minutes[BPA_KIND_WORK], 480);
    bpa_ts_acc_release(&a);
    bpa_policy_free(p);
    read_fail_p(policy_nowin, 11, HDR "Anna,2025-01-06,17:00,23:00,work\n", BPA_E_POLICY, 0,
                (const char *const[]){"band.windows", "2025-01-06", NAME ":2", NULL});
}
END_TEST

START_TEST(test_overlap_and_order)
{
    READ_FAIL(HDR "Anna,2025-01-06,08:00,16:00,work\n"
                  "Bo,2025-01-06,09:00,17:00,work\n"
                  "Anna,2025-01-06,15:59,18:00,work\n",
              4, "\"Anna\"", "line 4", "overlaps the shift at " NAME ":2");
    /* one person cannot work and be on call at once */
    READ_FAIL(HDR "Anna,2025-01-06,22:00,06:00,on_call\n"
                  "Anna,2025-01-07,05:00,08:00,work\n",
              3, "overlaps the shift at " NAME ":2");
    /* the same start is an overlap, not an order error */
    READ_FAIL(HDR "Anna,2025-01-06,08:00,16:00,work\n"
                  "Anna,2025-01-06,08:00,09:00,work\n",
              3, "overlaps");
    /* any order: the later shift is the one named first, whatever the rows' order */
    READ_FAIL(HDR "Anna,2025-01-06,15:59,18:00,work\n"
                  "Bo,2025-01-06,09:00,17:00,work\n"
                  "Anna,2025-01-06,08:00,16:00,work\n",
              2, "\"Anna\"", "line 2 (from 2025-01-06 15:59)",
              "overlaps the shift at " NAME ":4 (2025-01-06 08:00 to 2025-01-06 16:00)");
    /* of several overlaps the one starting first, the same for every order */
    READ_FAIL(HDR "Bo,2025-01-08,08:00,16:00,work\n"
                  "Bo,2025-01-08,09:00,10:00,work\n"
                  "Anna,2025-01-07,08:00,16:00,work\n"
                  "Anna,2025-01-07,12:00,13:00,work\n",
              5, "\"Anna\"", "shift at " NAME ":4");
    READ_FAIL(HDR "Anna,2025-01-07,12:00,13:00,work\n"
                  "Bo,2025-01-08,09:00,10:00,work\n"
                  "Anna,2025-01-07,08:00,16:00,work\n"
                  "Bo,2025-01-08,08:00,16:00,work\n",
              2, "\"Anna\"", "shift at " NAME ":4");
    /* rows out of time order are fine */
    {
        bpa_policy *q = load(policy_main);
        bpa_ts_acc o;
        bpa_ts_acc_init(&o, q, 2025, 11);
        read_ok(&o, NAME,
                HDR "Bo,2025-01-07,08:00,16:00,work\n"
                    "Anna,2025-01-07,08:00,16:00,work\n"
                    "\n"
                    "Anna,2025-01-06,08:00,09:00,on_call\n"
                    "Anna,2025-01-06,09:00,10:00,work\n");
        bpa_error e;
        bpa_error_clear(&e);
        ck_assert_int_eq(bpa_ts_acc_finish(&o, &e), BPA_OK);
        /* helpers by name, then kind */
        ck_assert_uint_eq(o.nhelpers, 3);
        ck_assert_str_eq(o.helpers[0].name, "Anna");
        ck_assert_int_eq(o.helpers[0].kind, BPA_KIND_WORK);
        ck_assert_int_eq(o.helpers[0].minutes, 480 + 60);
        ck_assert_str_eq(o.helpers[1].name, "Anna");
        ck_assert_int_eq(o.helpers[1].kind, BPA_KIND_ON_CALL);
        ck_assert_int_eq(o.helpers[1].minutes, 60);
        ck_assert_str_eq(o.helpers[2].name, "Bo");
        bpa_ts_acc_release(&o);
        bpa_policy_free(q);
    }

    bpa_policy *p = load(policy_main);
    bpa_ts_acc a;
    bpa_ts_acc_init(&a, p, 2025, 11);
    read_ok(&a, NAME,
            HDR "Anna,2025-01-06,08:00,16:00,work\n"
                "Bo,2025-01-06,08:00,16:00,work\n"
                "Anna,2025-01-06,16:00,18:00,work\n"
                "Anna,2025-01-06,18:00,18:00,on_call\n");
    ck_assert_uint_eq(a.shifts, 4);
    ck_assert_int_eq(a.total_minutes, 480 + 480 + 120 + 1440);
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_ts_acc_finish(&a, &err), BPA_OK);
    bpa_ts_acc_release(&a);

    /* across files: the message names the other file, whose name is kept;
     * the later shift (in y.csv) is the one named, whichever file is first */
    const char *second = "helper,date,start,end,kind\n"
                         "Anna,2025-01-07,17:59,19:00,work\n";
    const char *first = HDR "Anna,2025-01-06,08:00,09:00,work\n"
                            "Anna,2025-01-06,18:00,18:00,on_call\n";
    for (int order = 0; order < 2; order++) {
        bpa_ts_acc_init(&a, p, 2025, 11);
        if (order == 0) {
            read_ok(&a, NAME, first);
            read_ok(&a, "timesheets/y.csv", second);
        } else {
            read_ok(&a, "timesheets/y.csv", second);
            read_ok(&a, NAME, first);
        }
        bpa_error_clear(&err);
        ck_assert_int_eq(bpa_ts_acc_finish(&a, &err), BPA_E_INPUT);
        ck_assert_str_eq(err.file, "timesheets/y.csv");
        ck_assert_uint_eq(err.line, 2);
        ck_assert_ptr_nonnull(strstr(err.message, "overlaps the shift at " NAME ":3"));
        ck_assert_uint_eq(a.nfiles, 2);
        bpa_ts_acc_release(&a);
    }
    bpa_policy_free(p);
}
END_TEST

/* ---- CSV --------------------------------------------------------------- */

START_TEST(test_bom_crlf_quotes)
{
    bpa_policy *p = load(policy_main);
    bpa_ts_acc a;
    bpa_ts_acc_init(&a, p, 2025, 11);
    read_ok(&a, NAME,
            "\xEF\xBB\xBF"
            "\r\n"
            "step,end,start,date,kind,helper\r\n"
            "11,16:00,08:00,2025-01-06,work,\"Hansen, Ida\"\r\n"
            "\r\n"
            "12,12:00,10:00,2025-01-07,work,Ib\r\n");
    ck_assert_uint_eq(a.shifts, 2);
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_DAY, 11, 1), 480);
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_DAY, 12, 1), 120);
    ck_assert_str_eq(a.helpers[0].name, "Hansen, Ida");
    ck_assert_uint_eq(a.persons[1].spans[0].line, 5);
    ck_assert_uint_eq(a.persons[1].spans[0].minutes, 120);
    bpa_ts_acc_release(&a);

    /* a header alone is no shifts */
    bpa_ts_acc_init(&a, p, 2025, 11);
    read_ok(&a, NAME, HDR);
    ck_assert_uint_eq(a.shifts, 0);
    {
        /* finishing no shifts (the fuzzer found qsort given NULL) */
        bpa_ts_acc none;
        bpa_ts_acc_init(&none, p, 2025, 11);
        read_ok(&none, NAME, "helper;date;start;end;kind\r\n\r\n");
        bpa_error e;
        bpa_error_clear(&e);
        ck_assert_int_eq(bpa_ts_acc_finish(&none, &e), BPA_OK);
        ck_assert_uint_eq(none.nhelpers, 0);
        bpa_ts_acc_release(&none);
    }
    bpa_ts_acc_release(&a);
    bpa_policy_free(p);
}
END_TEST

START_TEST(test_header_errors)
{
    READ_FAIL("\n\nhelper,date,start,end,kind,note\n", 3, "unknown column \"note\"");
    READ_FAIL("helper,date,start,kind\nA,2025-01-06,08:00,work\n", 1,
              "lacks the required column \"end\"");
    READ_FAIL("helper,date,start,end,kind,date\n", 1, "\"date\" is named twice");
    READ_FAIL("Helper,date,start,end,kind\n", 1, "unknown column \"Helper\"");
    /* the message says how to map or skip the column */
    READ_FAIL("helper,date,start,end,kind,Timer\n", 1, "unknown column \"Timer\"",
              "\"columns\": {\"helper\": \"Timer\"}", "helper, date, start, end, kind, step",
              "\"ignore_columns\": [\"Timer\"]");
    READ_FAIL("", 1, "empty");
    READ_FAIL("\r\n\n", 1, "empty");
}
END_TEST

START_TEST(test_row_errors)
{
    READ_FAIL(HDR "A,2025-01-06,08:00,16:00,work\n\nA,2025-01-07,08:00,16:00\n", 4,
              "4 fields", "header has 5");
    READ_FAIL(HDR "A,2025-01-06,08:00,16:00,work,x\n", 2, "6 fields");
    READ_FAIL(HDR ",,,,\n", 2, "helper");
    READ_FAIL(HDR "A,2025-02-29,08:00,16:00,work\n", 2, "\"2025-02-29\" is not a date");
    READ_FAIL(HDR "A,6.1.2025,08:00,16:00,work\n", 2, "not a date");
    READ_FAIL(HDR "A,2025-01-06,800,16:00,work\n", 2, "column \"start\"");
    READ_FAIL(HDR "A,2025-01-06,008:00,16:00,work\n", 2, "column \"start\"");
    READ_FAIL(HDR "A,2025-01-06,8:0,16:00,work\n", 2, "column \"start\"");
    READ_FAIL(HDR "A,2025-01-06,08:60,16:00,work\n", 2, "column \"start\"");
    /* 24:00 ends a date, it starts nothing (RULES.md 8.1) */
    READ_FAIL(HDR "A,2025-01-06,24:00,06:00,work\n", 2, "column \"start\": \"24:00\"",
              "24:00 only ends a shift");
    READ_FAIL(HDR "A,2025-01-06,08:00,24:01,work\n", 2, "column \"end\"");
    READ_FAIL(HDR "A,2025-01-06,08:00,25:00,work\n", 2, "column \"end\"");
    READ_FAIL(HDR "A,2025-01-06,08:00,16:00,Work\n", 2, "\"Work\" is not a kind");
    READ_FAIL(HDR "A,2025-01-06,08:00,16:00,aktiv\n", 2, "not a kind");
    READ_FAIL("helper,date,start,end,kind,step\nA,2025-01-06,08:00,16:00,work,011\n", 2,
              "\"011\" is not a step");
    READ_FAIL("helper,date,start,end,kind,step\nA,2025-01-06,08:00,16:00,work,10000\n", 2,
              "not a step");
    READ_FAIL("helper,date,start,end,kind,step\nA,2025-01-06,08:00,16:00,work,-1\n", 2,
              "not a step");
    /* an empty step without a single grant step */
    read_fail_p(policy_main, -1, "helper,date,start,end,kind,step\n"
                                 "A,2025-01-06,08:00,16:00,work,11\n"
                                 "A,2025-01-07,08:00,16:00,work,\n",
                BPA_E_INPUT, 3,
                (const char *const[]){"the grant has several steps; give the step column",
                                      NULL});
    read_fail_p(policy_main, -1, HDR "A,2025-01-06,08:00,16:00,work\n", BPA_E_INPUT, 2,
                (const char *const[]){"several steps", NULL});
    /* CSV syntax errors come through with their line */
    READ_FAIL(HDR "A,2025-01-06,08:00,16:00,work\n\"B,2025-01-07,08:00,16:00,work\n", 3,
              "");
    /* step 0 is a step */
    bpa_policy *p = load(policy_main);
    bpa_ts_acc a;
    bpa_ts_acc_init(&a, p, 2025, -1);
    read_ok(&a, NAME, "helper,date,start,end,kind,step\nA,2025-01-06,08:00,16:00,work,0\n");
    ck_assert_int_eq(cell(&a, BPA_KIND_WORK, BPA_BAND_DAY, 0, 1), 480);
    bpa_ts_acc_release(&a);
    bpa_policy_free(p);
}
END_TEST

START_TEST(test_file_io)
{
    bpa_policy *p = load(policy_main);
    bpa_ts_acc a;
    bpa_ts_acc_init(&a, p, 2025, 11);
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_timesheet_read(&a, "/nonexistent/x.csv", "x.csv", NULL, NULL, &err),
                     BPA_E_IO);
    char path[] = "/tmp/bpa-ts-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs(HDR "Anna,2025-01-06,08:00,16:00,work\n", f);
    fclose(f);
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_timesheet_read(&a, path, "ts.csv", NULL, NULL, &err), BPA_OK);
    remove(path);
    ck_assert_int_eq(a.total_minutes, 480);
    ck_assert_str_eq(a.files[a.persons[0].spans[0].file], "ts.csv");
    bpa_ts_acc_release(&a);
    bpa_policy_free(p);
}
END_TEST

/* The SHA-256 taken while parsing equals the file's own (bpa_sha256_file,
 * checked against FIPS vectors in test_sha256): a BOM and CRLF included, and
 * more than one 64 KiB read chunk, ending mid-chunk. */
START_TEST(test_file_sha256)
{
    bpa_policy *p = load(policy_main);
    bpa_ts_acc a;
    bpa_ts_acc_init(&a, p, 2025, 11);
    char path[] = "/tmp/bpa-ts-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("\xEF\xBB\xBFhelper,date,start,end,kind\r\n", f);
    for (int i = 0; i < 5000; i++)
        fprintf(f, "H%d,2025-01-06,08:00,09:%02d,work\r\n", i, i % 60);
    fclose(f);
    bpa_error err;
    bpa_error_clear(&err);
    char got[65], want[65];
    ck_assert_int_eq(bpa_timesheet_read(&a, path, "ts.csv", NULL, got, &err), BPA_OK);
    ck_assert_int_eq(bpa_sha256_file(path, want, &err), BPA_OK);
    remove(path);
    ck_assert_str_eq(got, want);
    ck_assert_uint_eq(a.shifts, 5000);
    bpa_ts_acc_release(&a);
    bpa_policy_free(p);
}
END_TEST

/* ---- invariant --------------------------------------------------------- */

static uint32_t lcg_state;
static uint32_t lcg(uint32_t n)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return (lcg_state >> 8) % n;
}

/* _i: 0 with on-call supplements (on-call minutes banded), 1 without, 2 with
 * another precedence (band edges after summer-time changes). */
START_TEST(test_random_invariant)
{
    enum { HELPERS = 3, SHIFTS = 200 };
    static const char *const names[HELPERS] = {"Anna", "Bo", "Cai"};
    static const char *const starts[HELPERS] = {"2024-12-29", "2025-03-26", "2025-10-22"};
    static const char *const policies[] = {policy_oncall, policy_main, policy_prec};
    bool banded_on_call = _i != 1;
    bpa_policy *p = load(policies[_i]);
    bpa_utc_minute next[HELPERS];
    for (int h = 0; h < HELPERS; h++)
        ck_assert(bpa_local_to_utc(D(starts[h]), 0, &next[h]));
    /* reference: every minute classified on its own */
    static int64_t ref[BPA_KIND_COUNT][BPA_BAND_COUNT][13];
    memset(ref, 0, sizeof ref);
    int64_t ref_outside = 0, ref_total = 0;

    size_t cap = 64 * (SHIFTS + 1), len = 0;
    char *csv = malloc(cap);
    ck_assert_ptr_nonnull(csv);
    len += (size_t)snprintf(csv, cap, "helper,date,start,end,kind\n");
    lcg_state = 12345u + (uint32_t)_i;
    for (int i = 0; i < SHIFTS;) {
        int h = (int)lcg(HELPERS);
        bpa_utc_minute t = next[h] + lcg(3000);
        bpa_date d;
        int m;
        bpa_utc_to_local(t, &d, &m);
        bpa_utc_minute s;
        /* skip the second pass of the repeated October hour: it reads as
         * the first and would land before the helper's previous end */
        if (!bpa_local_to_utc(d, m, &s) || s != t)
            continue;
        int em = (int)lcg(1440);
        bpa_utc_minute e;
        if (!bpa_local_to_utc(em > m ? d : d + 1, em, &e))
            continue;
        bpa_kind kind = lcg(4) == 0 ? BPA_KIND_ON_CALL : BPA_KIND_WORK;
        char ds[11], ss[6], es[6];
        bpa_date_format(d, ds);
        bpa_clock_format(m, ss);
        bpa_clock_format(em, es);
        len += (size_t)snprintf(csv + len, cap - len, "%s,%s,%s,%s,%s\n", names[h], ds, ss, es,
                                bpa_kind_name(kind));
        ck_assert_uint_lt(len, cap);
        ref_total += e - s;
        for (bpa_utc_minute u = s; u < e; u++) {
            bpa_date ld;
            int lm;
            bpa_utc_to_local(u, &ld, &lm);
            if (bpa_date_year(ld) != 2025) {
                ref_outside++;
                continue;
            }
            bpa_band b;
            bpa_error err;
            ck_assert_int_eq(bpa_band_classify(p, ld, lm, &b, &err), BPA_OK);
            if (kind == BPA_KIND_ON_CALL && !banded_on_call)
                b = BPA_BAND_ANY;
            ref[kind][b][bpa_date_month(ld)]++;
        }
        next[h] = e;
        i++;
    }
    bpa_ts_acc a;
    bpa_ts_acc_init(&a, p, 2025, 11);
    read_ok(&a, NAME, csv);
    free(csv);
    ck_assert_uint_eq(a.shifts, SHIFTS);
    ck_assert_int_eq(a.total_minutes, ref_total);
    ck_assert_int_eq(a.outside_minutes[0] + a.outside_minutes[1], ref_outside);
    ck_assert_int_eq(cells_sum(&a) + ref_outside, a.total_minutes);
    int64_t helpers = 0;
    for (size_t i = 0; i < a.nhelpers; i++)
        helpers += a.helpers[i].minutes;
    ck_assert_int_eq(helpers, cells_sum(&a));
    for (int k = 0; k < BPA_KIND_COUNT; k++)
        for (int b = 0; b < BPA_BAND_COUNT; b++)
            for (int mo = 1; mo <= 12; mo++)
                ck_assert_msg(cell(&a, (bpa_kind)k, (bpa_band)b, 11, mo) == ref[k][b][mo],
                              "%s/%s month %d: %lld, expected %lld", bpa_kind_name((bpa_kind)k),
                              bpa_band_name((bpa_band)b), mo,
                              (long long)cell(&a, (bpa_kind)k, (bpa_band)b, 11, mo),
                              (long long)ref[k][b][mo]);
    /* the walk covered both summer-time changes and both year ends */
    ck_assert_int_gt(ref_outside, 0);
    bpa_ts_acc_release(&a);
    bpa_policy_free(p);
}
END_TEST

/* Forms of scheduling tools' exports (RULES.md 8.1 Separator, Clock times). */
START_TEST(test_export_forms)
{
    bpa_policy *p = load(policy_main);
    bpa_ts_acc a;
    /* semicolons (Excel in a Danish locale), CRLF, H:MM and 24:00:
     * 7:00-15:00 is 8 h, 20:00-24:00 on 6 January ends at midnight, 4 h */
    bpa_ts_acc_init(&a, p, 2025, 11);
    read_ok(&a, NAME,
            "helper;date;start;end;kind\r\n"
            "\"Holm; Anna\";2025-01-06;7:00;15:00;work\r\n"
            "Bo;2025-01-06;20:00;24:00;work\r\n");
    ck_assert_uint_eq(a.shifts, 2);
    ck_assert_int_eq(a.total_minutes, 480 + 240);
    ck_assert_int_eq(cells_sum(&a), 480 + 240);
    ck_assert_str_eq(a.helpers[0].name, "Holm; Anna");
    bpa_ts_acc_release(&a);
    /* 24:00 after 00:00 is the whole date: 24 h, not 0 */
    bpa_ts_acc_init(&a, p, 2025, 11);
    read_ok(&a, NAME, HDR "A,2025-01-06,0:00,24:00,work\n");
    ck_assert_int_eq(a.total_minutes, 1440);
    bpa_ts_acc_release(&a);
    /* a comma in the header keeps commas; its semicolons are text */
    bpa_ts_acc_init(&a, p, 2025, 11);
    read_ok(&a, NAME, "helper,date,start,end,kind\nA;B,2025-01-06,08:00,09:00,work\n");
    ck_assert_str_eq(a.helpers[0].name, "A;B");
    bpa_ts_acc_release(&a);
    /* once a semicolon file, a comma is text */
    READ_FAIL("helper;date;start;end;kind\nA,B;2025-01-06;08:00;09:00\n", 2, "4 fields");
    /* not UTF-8 (Latin-1 "\xf8"): the line and how to save it */
    READ_FAIL("helper;date;start;end;kind\nS\xf8ren;2025-01-06;08:00;09:00;work\n", 2,
              "not UTF-8", "save it as UTF-8", "\"CSV UTF-8\"");
    bpa_policy_free(p);
}
END_TEST

static Suite *timesheet_suite(void)
{
    Suite *s = suite_create("timesheet");
    TCase *bands = tcase_create("bands");
    tcase_add_test(bands, test_band_edges);
    tcase_add_test(bands, test_band_precedence_param);
    tcase_add_test(bands, test_band_missing_windows);
    suite_add_tcase(s, bands);
    TCase *shifts = tcase_create("shifts");
    tcase_add_test(shifts, test_october_night);
    tcase_add_test(shifts, test_march_night);
    tcase_add_test(shifts, test_dst_other_shifts);
    tcase_add_test(shifts, test_missing_hour);
    tcase_add_test(shifts, test_month_and_year_end);
    tcase_add_test(shifts, test_on_call);
    tcase_add_test(shifts, test_overlap_and_order);
    suite_add_tcase(s, shifts);
    TCase *csv = tcase_create("csv");
    tcase_add_test(csv, test_bom_crlf_quotes);
    tcase_add_test(csv, test_header_errors);
    tcase_add_test(csv, test_row_errors);
    tcase_add_test(csv, test_export_forms);
    tcase_add_test(csv, test_file_sha256);
    tcase_add_test(csv, test_file_io);
    suite_add_tcase(s, csv);
    TCase *inv = tcase_create("invariant");
    tcase_set_timeout(inv, 60);
    tcase_add_loop_test(inv, test_random_invariant, 0, 3);
    suite_add_tcase(s, inv);
    return s;
}

BPA_TEST_MAIN(timesheet_suite)
