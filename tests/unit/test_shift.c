/* The splitter on its own (a shift in real time into pieces of one local
 * date and band) and the shift builder (a row's texts into a shift). The
 * expected pieces are worked out by hand from the test policy below and the
 * EU summer-time rule (RULES.md 4): clocks go forward at 01:00 UTC on
 * 2025-03-30 (02:00 CET becomes 03:00 CEST) and back at 01:00 UTC on
 * 2025-10-26 (03:00 CEST becomes 02:00 CET). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/calendar.h"
#include "bpa/date.h"
#include "bpa/policy.h"
#include "input/shift.h"
#include "input/shift_read.h"
#include "testutil.h"

#define POLICY_HEAD                                                                         \
    "{\"format\": \"bpa-policy/1\", \"id\": \"t\", \"title\": \"test\", \"country\": \"DK\"," \
    " \"schemes\": [\"dk-sel-96\"], \"references\": {\"ex\": \"example\"}, \"params\": {"
#define ALL_DAYS "\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\", \"holiday\""
/* evening Mon-Fri 17-23; night every day 00-<night_end> and 23-24;
 * saturday 06-24; sunday_holiday all day; grundlovsdag from 12:00 every
 * year and 24 December 2025 (only) as whole-day holidays.extra */
#define WINDOWS(night_end)                                                                  \
    "\"band.windows\": [{\"from\": \"2024-01-01\", \"ref\": \"ex\", \"value\": {"            \
    " \"evening\": [{\"days\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"],"               \
    "   \"from\": \"17:00\", \"to\": \"23:00\"}],"                                          \
    " \"night\": [{\"days\": [" ALL_DAYS "], \"from\": \"00:00\", \"to\": \"" night_end "\"}," \
    "  {\"days\": [" ALL_DAYS "], \"from\": \"23:00\", \"to\": \"24:00\"}],"                 \
    " \"saturday\": [{\"days\": [\"sat\"], \"from\": \"06:00\", \"to\": \"24:00\"}],"         \
    " \"sunday_holiday\": [{\"days\": [\"sun\", \"holiday\"], \"from\": \"00:00\","          \
    "   \"to\": \"24:00\"}]}}],"                                                             \
    "\"holidays.extra\": [{\"from\": \"2024-01-01\", \"ref\": \"ex\", \"value\": ["          \
    " {\"date\": \"06-05\", \"from\": \"12:00\", \"name\": \"grundlovsdag\"},"                \
    " {\"date\": \"2025-12-24\", \"name\": \"juleaftensdag\"}]}]"

/* default precedence (sunday_holiday, night, saturday, evening, day) */
static const char policy_main[] = POLICY_HEAD WINDOWS("06:00") "}}";
/* night first and ending 02:30: a band edge inside the repeated October
 * hour and inside the missing March hour */
static const char policy_edge[] =
    POLICY_HEAD WINDOWS("02:30")
    ", \"band.precedence\": [{\"from\": \"2024-01-01\", \"ref\": \"ex\", \"value\":"
    " [\"night\", \"sunday_holiday\", \"saturday\", \"evening\", \"day\"]}]}}";
/* on-call supplements only from 1 March 2025 */
static const char policy_sup[] =
    POLICY_HEAD WINDOWS("06:00") ", \"on_call.supplements\": [{\"from\": \"2025-01-01\","
                                 " \"value\": false, \"ref\": \"ex\"},"
                                 " {\"from\": \"2025-03-01\", \"value\": true, \"ref\": \"ex\"}]}}";
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

static bpa_utc_minute T(const char *date, const char *clock)
{
    bpa_utc_minute t;
    ck_assert_msg(bpa_local_to_utc(D(date), M(clock), &t), "%s %s does not exist", date, clock);
    return t;
}

/* ---- collecting pieces -------------------------------------------------- */

enum { MAX_PIECES = 64 };

typedef struct pieces {
    bpa_piece p[MAX_PIECES];
    int n;
    int stop_at;   /* > 0: the callback fails on this call */
} pieces;

static bpa_status collect(void *ctx, const bpa_piece *piece, bpa_error *err)
{
    pieces *ps = ctx;
    ck_assert_int_lt(ps->n, MAX_PIECES);
    ps->p[ps->n++] = *piece;
    if (ps->n == ps->stop_at)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "stop");
    return BPA_OK;
}

/* An expected piece, written as the local date, clock, band and minutes. */
typedef struct want {
    const char *date, *clock;
    bpa_band band;
    int minutes;
} want;

#define DAY BPA_BAND_DAY
#define EVE BPA_BAND_EVENING
#define NIGHT BPA_BAND_NIGHT
#define SAT BPA_BAND_SATURDAY
#define SUN BPA_BAND_SUNDAY_HOLIDAY
#define ANY BPA_BAND_ANY

static const bpa_split_opts all_bands = {BPA_SPLIT_BANDS, INT32_MIN, INT32_MAX};

/* Split [start, end) under the policy and compare with want[0..n-1]; the
 * total (worked out apart) must be the shift's real duration. */
static void expect_split(const char *policy_json, const bpa_split_opts *opts,
                         bpa_utc_minute start, bpa_utc_minute end, int total, const want *w,
                         int n)
{
    bpa_policy *p = load(policy_json);
    bpa_splitter sp;
    bpa_splitter_init(&sp, p);
    pieces ps = {.n = 0};
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status st = bpa_shift_split(&sp, start, end, opts, collect, &ps, &err);
    ck_assert_msg(st == BPA_OK, "split: %s", err.message);
    ck_assert_int_eq(end - start, total);
    int sum = 0;
    for (int i = 0; i < ps.n; i++)
        sum += ps.p[i].minutes;
    ck_assert_int_eq(sum, total);
    for (int i = 0; i < n && i < ps.n; i++) {
        char ds[11], cs[6];
        bpa_date_format(ps.p[i].date, ds);
        bpa_clock_format(ps.p[i].minute, cs);
        ck_assert_msg(ps.p[i].date == D(w[i].date) && ps.p[i].minute == M(w[i].clock) &&
                          ps.p[i].band == w[i].band && ps.p[i].minutes == w[i].minutes,
                      "piece %d: %s %s %s %d, expected %s %s %s %d", i, ds, cs,
                      bpa_band_name(ps.p[i].band), ps.p[i].minutes, w[i].date, w[i].clock,
                      bpa_band_name(w[i].band), w[i].minutes);
    }
    ck_assert_int_eq(ps.n, n);
    bpa_policy_free(p);
}

#define EXPECT(policy, opts, start, end, total, ...)                                        \
    do {                                                                                    \
        static const want w_[] = {__VA_ARGS__};                                             \
        expect_split(policy, opts, start, end, total, w_, (int)(sizeof w_ / sizeof w_[0])); \
    } while (0)

/* ---- summer time ---------------------------------------------------------- */

/* 01:00 UTC on a date (the instant of every EU summer-time change) */
static bpa_utc_minute one_utc(int y, int m, int d)
{
    return (bpa_utc_minute)bpa_date_make(y, m, d) * 1440 + 60;
}

static void expect_span(bpa_utc_minute t, bpa_utc_minute from, bpa_utc_minute to)
{
    bpa_utc_minute a = 0, b = 0;
    bpa_utc_offset_span(t, &a, &b);
    ck_assert_int_eq(a, from);
    ck_assert_int_eq(b, to);
}

START_TEST(test_offset_span)
{
    /* last Sundays: 27 Oct 2024, 30 Mar and 26 Oct 2025, 29 Mar 2026 */
    bpa_utc_minute oct24 = one_utc(2024, 10, 27), mar25 = one_utc(2025, 3, 30),
                   oct25 = one_utc(2025, 10, 26), mar26 = one_utc(2026, 3, 29);
    expect_span(one_utc(2025, 1, 15), oct24, mar25);
    expect_span(mar25 - 1, oct24, mar25);
    expect_span(mar25, mar25, oct25);
    expect_span(one_utc(2025, 6, 1), mar25, oct25);
    expect_span(oct25 - 1, mar25, oct25);
    expect_span(oct25, oct25, mar26);
    expect_span(one_utc(2025, 12, 31) + 1380, oct25, mar26); /* 2026-01-01 00:00 UTC */
}
END_TEST

/* ---- the splitter ------------------------------------------------------- */

START_TEST(test_midnight)
{
    ck_assert_int_eq(bpa_date_weekday(D("2025-01-07")), 1); /* Tuesday */
    EXPECT(policy_main, &all_bands, T("2025-01-07", "20:00"), T("2025-01-08", "02:00"), 360,
           {"2025-01-07", "20:00", EVE, 180}, {"2025-01-07", "23:00", NIGHT, 60},
           {"2025-01-08", "00:00", NIGHT, 120});
    /* without bands: cut at midnight only */
    static const bpa_split_opts none = {BPA_SPLIT_NO_BANDS, INT32_MIN, INT32_MAX};
    EXPECT(policy_main, &none, T("2025-01-07", "20:00"), T("2025-01-08", "02:00"), 360,
           {"2025-01-07", "20:00", ANY, 240}, {"2025-01-08", "00:00", ANY, 120});
}
END_TEST

START_TEST(test_october_night)
{
    ck_assert_int_eq(bpa_date_weekday(D("2025-10-26")), 6); /* the last Sunday */
    /* Saturday 22-23 saturday, 23-24 night (night beats saturday); Sunday
     * 00:00-03:00 summer time (3 h), then 02:00-06:00 standard time (4 h):
     * 9 hours in all */
    EXPECT(policy_main, &all_bands, T("2025-10-25", "22:00"), T("2025-10-26", "06:00"), 540,
           {"2025-10-25", "22:00", SAT, 60}, {"2025-10-25", "23:00", NIGHT, 60},
           {"2025-10-26", "00:00", SUN, 180}, {"2025-10-26", "02:00", SUN, 240});
    /* 00:00-04:00 is 5 hours */
    EXPECT(policy_main, &all_bands, T("2025-10-26", "00:00"), T("2025-10-26", "04:00"), 300,
           {"2025-10-26", "00:00", SUN, 180}, {"2025-10-26", "02:00", SUN, 120});
    /* a band edge at 02:30 is passed twice */
    EXPECT(policy_edge, &all_bands, T("2025-10-26", "00:00"), T("2025-10-26", "04:00"), 300,
           {"2025-10-26", "00:00", NIGHT, 150}, {"2025-10-26", "02:30", SUN, 30},
           {"2025-10-26", "02:00", NIGHT, 30}, {"2025-10-26", "02:30", SUN, 90});
    /* the second 02:00-03:00 alone: 02:00 reads as its first occurrence
     * (00:00 UTC) and 03:00 exists once (standard time, 02:00 UTC) */
    bpa_utc_minute three = T("2025-10-26", "03:00");
    ck_assert_int_eq(three - T("2025-10-26", "02:00"), 120);
    EXPECT(policy_edge, &all_bands, three - 60, three, 60, {"2025-10-26", "02:00", NIGHT, 30},
           {"2025-10-26", "02:30", SUN, 30});
}
END_TEST

START_TEST(test_march_night)
{
    ck_assert_int_eq(bpa_date_weekday(D("2025-03-30")), 6); /* the last Sunday */
    /* Sunday 00:00-02:00 standard time (2 h), then 03:00-06:00 summer time
     * (3 h): 7 hours in all */
    EXPECT(policy_main, &all_bands, T("2025-03-29", "22:00"), T("2025-03-30", "06:00"), 420,
           {"2025-03-29", "22:00", SAT, 60}, {"2025-03-29", "23:00", NIGHT, 60},
           {"2025-03-30", "00:00", SUN, 120}, {"2025-03-30", "03:00", SUN, 180});
    /* the band edge 02:30 lies in the missing hour: night ends at 02:00 */
    EXPECT(policy_edge, &all_bands, T("2025-03-30", "00:00"), T("2025-03-30", "08:00"), 420,
           {"2025-03-30", "00:00", NIGHT, 120}, {"2025-03-30", "03:00", SUN, 300});
}
END_TEST

START_TEST(test_band_boundaries)
{
    ck_assert_int_eq(bpa_date_weekday(D("2025-01-10")), 4); /* Friday */
    EXPECT(policy_main, &all_bands, T("2025-01-10", "16:00"), T("2025-01-11", "08:00"), 960,
           {"2025-01-10", "16:00", DAY, 60}, {"2025-01-10", "17:00", EVE, 360},
           {"2025-01-10", "23:00", NIGHT, 60}, {"2025-01-11", "00:00", NIGHT, 360},
           {"2025-01-11", "06:00", SAT, 120});
    /* Sunday: the night edge at 06:00 changes nothing, so one piece */
    EXPECT(policy_main, &all_bands, T("2025-01-12", "05:00"), T("2025-01-12", "07:00"), 120,
           {"2025-01-12", "05:00", SUN, 120});
    /* a one-minute shift on each side of an edge */
    EXPECT(policy_main, &all_bands, T("2025-01-10", "16:59"), T("2025-01-10", "17:00"), 1,
           {"2025-01-10", "16:59", DAY, 1});
    EXPECT(policy_main, &all_bands, T("2025-01-10", "16:59"), T("2025-01-10", "17:01"), 2,
           {"2025-01-10", "16:59", DAY, 1}, {"2025-01-10", "17:00", EVE, 1});
}
END_TEST

START_TEST(test_holidays)
{
    ck_assert_int_eq(bpa_date_weekday(D("2025-06-05")), 3); /* Thursday */
    /* grundlovsdag from 12:00 */
    EXPECT(policy_main, &all_bands, T("2025-06-05", "10:00"), T("2025-06-05", "14:00"), 240,
           {"2025-06-05", "10:00", DAY, 120}, {"2025-06-05", "12:00", SUN, 120});
    /* the holiday beats evening and night until midnight */
    EXPECT(policy_main, &all_bands, T("2025-06-05", "16:00"), T("2025-06-06", "01:00"), 540,
           {"2025-06-05", "16:00", SUN, 480}, {"2025-06-06", "00:00", NIGHT, 60});
    /* a dated whole-day extra holiday counts in its year only */
    EXPECT(policy_main, &all_bands, T("2025-12-24", "10:00"), T("2025-12-24", "11:00"), 60,
           {"2025-12-24", "10:00", SUN, 60});
    EXPECT(policy_main, &all_bands, T("2026-12-24", "10:00"), T("2026-12-24", "11:00"), 60,
           {"2026-12-24", "10:00", DAY, 60});
    /* skærtorsdag (Thursday 17 April 2025) is a public holiday */
    EXPECT(policy_main, &all_bands, T("2025-04-16", "22:00"), T("2025-04-17", "08:00"), 600,
           {"2025-04-16", "22:00", EVE, 60}, {"2025-04-16", "23:00", NIGHT, 60},
           {"2025-04-17", "00:00", SUN, 480});
}
END_TEST

START_TEST(test_24_hours)
{
    ck_assert_int_eq(bpa_date_weekday(D("2025-01-06")), 0); /* Monday */
    EXPECT(policy_main, &all_bands, T("2025-01-06", "08:00"), T("2025-01-07", "08:00"), 1440,
           {"2025-01-06", "08:00", DAY, 540}, {"2025-01-06", "17:00", EVE, 360},
           {"2025-01-06", "23:00", NIGHT, 60}, {"2025-01-07", "00:00", NIGHT, 360},
           {"2025-01-07", "06:00", DAY, 120});
    /* the same clock time next day across the changes: 25 and 23 hours */
    EXPECT(policy_main, &all_bands, T("2025-10-25", "08:00"), T("2025-10-26", "08:00"), 1500,
           {"2025-10-25", "08:00", SAT, 900}, {"2025-10-25", "23:00", NIGHT, 60},
           {"2025-10-26", "00:00", SUN, 180}, {"2025-10-26", "02:00", SUN, 360});
    EXPECT(policy_main, &all_bands, T("2025-03-29", "08:00"), T("2025-03-30", "08:00"), 1380,
           {"2025-03-29", "08:00", SAT, 900}, {"2025-03-29", "23:00", NIGHT, 60},
           {"2025-03-30", "00:00", SUN, 120}, {"2025-03-30", "03:00", SUN, 300});
    /* a midnight-to-midnight day is one piece per band run */
    EXPECT(policy_main, &all_bands, T("2025-01-12", "00:00"), T("2025-01-13", "00:00"), 1440,
           {"2025-01-12", "00:00", SUN, 1440});
}
END_TEST

START_TEST(test_options)
{
    /* on call: bands only on dates where on_call.supplements is true (from
     * 1 March); before, a piece is cut at midnight only */
    static const bpa_split_opts sup = {BPA_SPLIT_BANDS_IF_SUPPLEMENTS, INT32_MIN, INT32_MAX};
    EXPECT(policy_sup, &sup, T("2025-02-28", "22:00"), T("2025-03-01", "02:00"), 240,
           {"2025-02-28", "22:00", ANY, 120}, {"2025-03-01", "00:00", NIGHT, 120});
    /* classified only inside a date range (the settlement year) */
    bpa_split_opts year = {BPA_SPLIT_BANDS, D("2025-01-01"), D("2025-12-31")};
    EXPECT(policy_main, &year, T("2025-12-31", "22:00"), T("2026-01-01", "02:00"), 240,
           {"2025-12-31", "22:00", EVE, 60}, {"2025-12-31", "23:00", NIGHT, 60},
           {"2026-01-01", "00:00", ANY, 120});
    /* no band.windows: fine outside the range or without bands */
    EXPECT(policy_nowin, &year, T("2024-12-31", "20:00"), T("2025-01-01", "00:00"), 240,
           {"2024-12-31", "20:00", ANY, 240});
    static const bpa_split_opts none = {BPA_SPLIT_NO_BANDS, INT32_MIN, INT32_MAX};
    EXPECT(policy_nowin, &none, T("2025-03-29", "22:00"), T("2025-03-30", "06:00"), 420,
           {"2025-03-29", "22:00", ANY, 120}, {"2025-03-30", "00:00", ANY, 120},
           {"2025-03-30", "03:00", ANY, 180});
}
END_TEST

START_TEST(test_errors)
{
    /* a date without band.windows, when classified */
    bpa_policy *p = load(policy_nowin);
    bpa_splitter sp;
    bpa_splitter_init(&sp, p);
    pieces ps = {.n = 0};
    bpa_error err;
    bpa_error_clear(&err);
    bpa_split_opts year = {BPA_SPLIT_BANDS, D("2025-01-01"), D("2025-12-31")};
    ck_assert_int_eq(bpa_shift_split(&sp, T("2024-12-31", "22:00"), T("2025-01-01", "02:00"),
                                     &year, collect, &ps, &err),
                     BPA_E_POLICY);
    ck_assert_ptr_nonnull(strstr(err.message, "band.windows"));
    ck_assert_ptr_nonnull(strstr(err.message, "2025-01-01"));
    bpa_policy_free(p);

    /* the callback's failure stops the split */
    p = load(policy_main);
    bpa_splitter_init(&sp, p);
    ps = (pieces){.n = 0, .stop_at = 2};
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_shift_split(&sp, T("2025-01-06", "08:00"), T("2025-01-07", "08:00"),
                                     &all_bands, collect, &ps, &err),
                     BPA_E_NOMEM);
    ck_assert_int_eq(ps.n, 2);
    ck_assert_str_eq(err.message, "stop");
    bpa_policy_free(p);
}
END_TEST

/* ---- invariants on random shifts ---------------------------------------- */

static uint32_t lcg_state;
static uint32_t lcg(uint32_t n)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return (lcg_state >> 8) % n;
}

/* Shifts of up to 26 hours starting anywhere near the two summer-time
 * changes and elsewhere in 2025 (_i: policy), one splitter for all (its
 * caches see shifts out of order). Each piece must start where the last one
 * ended (local clock from the calendar), add up to the duration, have every
 * minute of the band bpa_band_classify gives, and differ from its
 * predecessor in date, band or clock continuity. */
START_TEST(test_random_pieces)
{
    static const char *const policies[] = {policy_main, policy_edge};
    static const char *const around[] = {"2025-03-29", "2025-10-25", "2025-06-04", "2025-01-10"};
    bpa_policy *p = load(policies[_i]);
    bpa_splitter sp;
    bpa_splitter_init(&sp, p);
    lcg_state = 777u + (uint32_t)_i;
    for (int i = 0; i < 400; i++) {
        bpa_utc_minute start = T(around[lcg(4)], "00:00") + lcg(3 * 1440);
        bpa_utc_minute end = start + 1 + lcg(26 * 60);
        pieces ps = {.n = 0};
        bpa_error err;
        bpa_error_clear(&err);
        ck_assert_int_eq(bpa_shift_split(&sp, start, end, &all_bands, collect, &ps, &err),
                         BPA_OK);
        bpa_utc_minute t = start;
        for (int k = 0; k < ps.n; k++) {
            const bpa_piece *q = &ps.p[k];
            bpa_date d;
            int m;
            bpa_utc_to_local(t, &d, &m);
            ck_assert_int_eq(q->date, d);
            ck_assert_int_eq(q->minute, m);
            ck_assert_int_gt(q->minutes, 0);
            ck_assert_int_le(q->minute + q->minutes, 1440);
            /* minute by minute: plain tests, since every ck_assert writes */
            for (int u = 0; u < q->minutes; u++) {
                bpa_utc_to_local(t + u, &d, &m);
                bpa_band b = BPA_BAND_ANY;
                if (d != q->date || m != q->minute + u ||
                    bpa_band_classify(p, d, m, &b, &err) != BPA_OK || b != q->band)
                    ck_abort_msg("shift %d, piece %d, minute %d: date %d clock %d band %s", i,
                                 k, u, (int)d, m, bpa_band_name(b));
            }
            if (k > 0) {
                const bpa_piece *r = &ps.p[k - 1];
                ck_assert(r->date != q->date || r->band != q->band ||
                          r->minute + r->minutes != q->minute);
            }
            t += q->minutes;
        }
        ck_assert_int_eq(t, end);
    }
    bpa_policy_free(p);
}
END_TEST

/* ---- the shift builder --------------------------------------------------- */

static const bpa_shift_format dk11 = {BPA_COUNTRY_DK, 11, NULL};

/* The memo (a row source's last date and year of summer-time instants) gives
 * the same shifts and errors as none, for dates that change day, month and
 * year in any order and clock times around both summer-time changes, in the
 * dates' formats of a map. */
START_TEST(test_build_memo)
{
    static const char *const clocks[] = {"00:00", "01:59", "02:00", "02:30", "02:59", "03:00",
                                         "03:01", "08:15", "23:59", "24:00", "0:05", "7:00"};
    static const bpa_timesheet_map dmy = {.date_format = BPA_TS_DATE_DMY_DOT};
    bpa_shift_format iso = dk11, dot = dk11;
    dot.map = &dmy;
    bpa_shift_memo memo_iso = {0}, memo_dot = {0};
    uint32_t x = 12345;
    size_t nc = sizeof clocks / sizeof *clocks;
    for (int i = 0; i < 20000; i++) {
        x = x * 1103515245u + 12345u;
        /* mostly a few days around 2025's changes, sometimes anywhere 2023-2027 */
        bpa_date base = (x >> 28) & 1 ? D("2025-03-28") : D("2025-10-24");
        bpa_date d = (x >> 24) % 7 == 0 ? D("2023-01-01") + (bpa_date)((x >> 8) % 1826)
                                        : base + (bpa_date)((x >> 12) % 5);
        int y, m, dd;
        bpa_date_split(d, &y, &m, &dd);
        char ds[16];
        bool dmy_form = (x >> 5) & 1;
        if (dmy_form)
            snprintf(ds, sizeof ds, "%02d.%02d.%04d", dd, m, y);
        else
            bpa_date_format(d, ds);
        const char *text[BPA_SHIFT_COLUMNS] = {"Anna", ds, clocks[(x >> 16) % nc],
                                               clocks[(x >> 20) % nc], "work", NULL};
        bpa_shift a, b;
        bpa_error ea, eb;
        bpa_error_clear(&ea);
        bpa_error_clear(&eb);
        const bpa_shift_format *f = dmy_form ? &dot : &iso;
        bpa_status sa = bpa_shift_build(f, text, "m.csv", (bpa_shift_origin){0, 2}, NULL, &a, &ea);
        bpa_status sb = bpa_shift_build(f, text, "m.csv", (bpa_shift_origin){0, 2},
                                        dmy_form ? &memo_dot : &memo_iso, &b, &eb);
        ck_assert_int_eq(sa, sb);
        ck_assert_str_eq(ea.message, eb.message);
        if (sa == BPA_OK) {
            ck_assert_int_eq(a.date, b.date);
            ck_assert_int_eq(a.start, b.start);
            ck_assert_int_eq(a.end, b.end);
        }
    }
}
END_TEST

START_TEST(test_build)
{
    /* equal times: the same clock time next day, 25 real hours here */
    const char *text[BPA_SHIFT_COLUMNS] = {"Anna", "2025-10-25", "08:00", "08:00", "on_call",
                                           NULL};
    bpa_shift s;
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_shift_build(&dk11, text, "x.csv", (bpa_shift_origin){3, 17}, NULL, &s, &err),
                     BPA_OK);
    ck_assert_ptr_eq(s.helper, text[BPA_SHIFT_COL_HELPER]);
    ck_assert_int_eq(s.kind, BPA_KIND_ON_CALL);
    ck_assert_int_eq(s.step, 11);
    ck_assert_int_eq(s.date, D("2025-10-25"));
    ck_assert_int_eq(s.start, T("2025-10-25", "08:00"));
    ck_assert_int_eq(s.end - s.start, 1500);
    ck_assert_uint_eq(s.origin.file, 3);
    ck_assert_uint_eq(s.origin.line, 17);
    /* an end before the start is the next day; a given step wins */
    const char *night[BPA_SHIFT_COLUMNS] = {"Bo", "2025-03-29", "22:00", "06:00", "work", "18"};
    ck_assert_int_eq(bpa_shift_build(&dk11, night, "x.csv", (bpa_shift_origin){0, 2}, NULL, &s, &err),
                     BPA_OK);
    ck_assert_int_eq(s.end - s.start, 420);
    ck_assert_int_eq(s.step, 18);
    /* errors name the file and the origin's line */
    const char *gap[BPA_SHIFT_COLUMNS] = {"Bo", "2025-03-30", "02:30", "06:00", "work", ""};
    ck_assert_int_eq(bpa_shift_build(&dk11, gap, "y.csv", (bpa_shift_origin){1, 9}, NULL, &s, &err),
                     BPA_E_INPUT);
    ck_assert_str_eq(err.file, "y.csv");
    ck_assert_uint_eq(err.line, 9);
    ck_assert_ptr_nonnull(strstr(err.message, "start 02:30 on 2025-03-30 does not exist"));
    const char *se[BPA_SHIFT_COLUMNS] = {"Bo", "2025-03-03", "08:00", "09:00", "aktiv", ""};
    ck_assert_int_eq(bpa_shift_build(&dk11, se, "y.csv", (bpa_shift_origin){1, 4}, NULL, &s, &err),
                     BPA_E_INPUT);
    ck_assert_ptr_nonnull(strstr(err.message, "\"aktiv\" is not a kind"));
    static const bpa_shift_format several = {BPA_COUNTRY_DK, -1, NULL};
    ck_assert_int_eq(bpa_shift_build(&several, text, "y.csv", (bpa_shift_origin){1, 5}, NULL, &s, &err),
                     BPA_E_INPUT);
    ck_assert_ptr_nonnull(strstr(err.message, "several steps"));
}
END_TEST

START_TEST(test_header)
{
    int col[BPA_SHIFT_COLUMNS];
    bpa_error err;
    bpa_error_clear(&err);
    const char *names[] = {"kind", "end", "helper", "start", "date"};
    ck_assert_int_eq(bpa_shift_header(names, 5, NULL, col, "x.csv", 1, &err), BPA_OK);
    ck_assert_int_eq(col[BPA_SHIFT_COL_HELPER], 2);
    ck_assert_int_eq(col[BPA_SHIFT_COL_DATE], 4);
    ck_assert_int_eq(col[BPA_SHIFT_COL_START], 3);
    ck_assert_int_eq(col[BPA_SHIFT_COL_END], 1);
    ck_assert_int_eq(col[BPA_SHIFT_COL_KIND], 0);
    ck_assert_int_eq(col[BPA_SHIFT_COL_STEP], -1);
    const char *bad[] = {"helper", "date", "start", "end", "kind", "Timer"};
    ck_assert_int_eq(bpa_shift_header(bad, 6, NULL, col, "x.csv", 3, &err), BPA_E_INPUT);
    ck_assert_uint_eq(err.line, 3);
    ck_assert_ptr_nonnull(strstr(err.message, "unknown column \"Timer\""));
}
END_TEST

/* The CSV driver hands shifts on in file order with their origin. */
typedef struct shifts {
    int n;
    bpa_shift s[4];
    char helper[4][8];
} shifts;

static bpa_status take(void *ctx, const bpa_shift *s, bpa_error *err)
{
    (void)err;
    shifts *ss = ctx;
    ck_assert_int_lt(ss->n, 4);
    ss->s[ss->n] = *s;
    snprintf(ss->helper[ss->n], sizeof ss->helper[0], "%s", s->helper);
    ss->n++;
    return BPA_OK;
}

START_TEST(test_read_csv)
{
    const char *csv = "date,helper,start,end,kind,step\n"
                      "2025-01-06,Anna,08:00,16:00,work,11\n"
                      "\n"
                      "2025-01-06,Bo,22:00,06:00,on_call,\n";
    shifts ss = {.n = 0};
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_shift_read_mem("t.csv", csv, strlen(csv), 5, &dk11, take, &ss, &err),
                     BPA_OK);
    ck_assert_int_eq(ss.n, 2);
    ck_assert_str_eq(ss.helper[0], "Anna");
    ck_assert_uint_eq(ss.s[0].origin.file, 5);
    ck_assert_uint_eq(ss.s[0].origin.line, 2);
    ck_assert_int_eq(ss.s[0].end - ss.s[0].start, 480);
    ck_assert_str_eq(ss.helper[1], "Bo");
    ck_assert_uint_eq(ss.s[1].origin.line, 4);
    ck_assert_int_eq(ss.s[1].kind, BPA_KIND_ON_CALL);
    ck_assert_int_eq(ss.s[1].end - ss.s[1].start, 480);
    ck_assert_int_eq(ss.s[1].date, D("2025-01-06"));
}
END_TEST

static Suite *shift_suite(void)
{
    Suite *s = suite_create("shift");
    TCase *split = tcase_create("split");
    tcase_add_test(split, test_offset_span);
    tcase_add_test(split, test_midnight);
    tcase_add_test(split, test_october_night);
    tcase_add_test(split, test_march_night);
    tcase_add_test(split, test_band_boundaries);
    tcase_add_test(split, test_holidays);
    tcase_add_test(split, test_24_hours);
    tcase_add_test(split, test_options);
    tcase_add_test(split, test_errors);
    suite_add_tcase(s, split);
    TCase *inv = tcase_create("invariant");
    tcase_set_timeout(inv, 60);
    tcase_add_loop_test(inv, test_random_pieces, 0, 2);
    suite_add_tcase(s, inv);
    TCase *build = tcase_create("build");
    tcase_add_test(build, test_build);
    tcase_add_test(build, test_build_memo);
    tcase_add_test(build, test_header);
    tcase_add_test(build, test_read_csv);
    suite_add_tcase(s, build);
    return s;
}

BPA_TEST_MAIN(shift_suite)
