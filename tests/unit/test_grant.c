/* Unit tests of the Danish grant (src/grant.c, RULES.md sections 3, 5, 7, 12).
 *
 * Policies and cases are inline JSON written with single quotes (turned into
 * double quotes before loading). Every expected figure was worked out by hand
 * or with Python's fractions module as a calculator (never copied from the
 * program); the arithmetic stands next to each assertion. round() is to 0.01,
 * half away from zero unless said otherwise. N = 365 days in 2025. */
#include "bpa/case.h"
#include "bpa/grant.h"
#include "bpa/num.h"
#include "bpa/policy.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

/* ---- JSON text helpers ------------------------------------------------------- */

/* Policy text: the wrapper plus the given params. Every generic parameter is
 * in force from 2000-01-01 (P); PL lists dated entries E. */
#define POL_HEAD                                                                         \
    "{'format': 'bpa-policy/1', 'id': 't', 'title': 'test policy', 'country': 'DK', "    \
    "'schemes': ['dk-sel-94', 'dk-sel-95', 'dk-sel-96'], "                               \
    "'references': {'r': 'test figures, not published'}, 'params': {"
#define P(name, val) "'" name "': [{'from': '2000-01-01', 'value': " val ", 'ref': 'r'}]"
#define E(from, val) "{'from': '" from "', 'value': " val ", 'ref': 'r'}"
#define PL(name, entries) "'" name "': [" entries "]"

/* Case text for scheme dk-sel-96, year 2025. */
#define CASE96(head, decisions)                                                          \
    "{'format': 'bpa-case/1', 'case': 'T-1', 'scheme': 'dk-sel-96', 'policy': 't', "     \
    "'year': 2025, " head ", 'decisions': [" decisions "]}"
#define CITIZEN "'employer': 'citizen', 'helpers': 1"
#define DEC(from, to, extra, hours)                                                      \
    "{'from': '" from "', 'to': '" to "'" extra ", 'hours': [" hours "]}"
#define WORK(band, step, pw)                                                             \
    "{'kind': 'work', 'band': '" band "', 'step': " #step ", 'per_week': '" pw "'}"
#define ONCALL(step, pw) "{'kind': 'on_call', 'step': " #step ", 'per_week': '" pw "'}"

#define W150 P("wage.hourly.11", "'150'")

/* Single quotes to double quotes (the test texts hold no apostrophes). */
static char *dq(const char *s)
{
    char *t = strdup(s);
    ck_assert_ptr_nonnull(t);
    for (char *p = t; *p; p++)
        if (*p == '\'')
            *p = '"';
    return t;
}

static bpa_status policy_try(const char *params, bpa_policy **out, bpa_error *err)
{
    size_t n = strlen(POL_HEAD) + strlen(params) + 4;
    char *sq = malloc(n);
    ck_assert_ptr_nonnull(sq);
    snprintf(sq, n, "%s%s}}", POL_HEAD, params);
    char *text = dq(sq);
    free(sq);
    bpa_error_clear(err);
    bpa_status st = bpa_policy_load_mem(out, "policy.json", text, strlen(text), err);
    free(text);
    return st;
}

static bpa_policy *policy(const char *params)
{
    bpa_policy *p = NULL;
    bpa_error err;
    bpa_status st = policy_try(params, &p, &err);
    char buf[1200];
    ck_assert_msg(st == BPA_OK, "policy did not load: %s", bpa_error_format(&err, buf, sizeof buf));
    return p;
}

static bpa_status case_try(const char *sq, bpa_case **out, bpa_error *err)
{
    char *text = dq(sq);
    bpa_error_clear(err);
    bpa_status st = bpa_case_load_mem(out, "case.json", text, strlen(text), err);
    free(text);
    return st;
}

static bpa_case *kase(const char *sq)
{
    bpa_case *c = NULL;
    bpa_error err;
    bpa_status st = case_try(sq, &c, &err);
    char buf[1200];
    ck_assert_msg(st == BPA_OK, "case did not load: %s", bpa_error_format(&err, buf, sizeof buf));
    return c;
}

typedef struct run {
    bpa_policy *p;
    bpa_case *c;
    bpa_grant *g;
} run;

/* Load both and compute; the grant must succeed. */
static run run_of(const char *params, const char *case_sq)
{
    run r = {policy(params), kase(case_sq), NULL};
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status st = bpa_grant_compute(&r.g, r.c, r.p, &err);
    char buf[1200];
    ck_assert_msg(st == BPA_OK, "grant failed: %s", bpa_error_format(&err, buf, sizeof buf));
    return r;
}

/* Load both (they must load) and compute; the grant must fail. */
static bpa_status run_fail(const char *params, const char *case_sq, bpa_error *err)
{
    bpa_policy *p = policy(params);
    bpa_case *c = kase(case_sq);
    bpa_grant *g = NULL;
    bpa_error_clear(err);
    bpa_status st = bpa_grant_compute(&g, c, p, err);
    ck_assert_msg(st != BPA_OK, "the grant was computed but should have failed");
    ck_assert_ptr_null(g);
    bpa_case_free(c);
    bpa_policy_free(p);
    return st;
}

static void run_free(run *r)
{
    bpa_grant_free(r->g);
    bpa_case_free(r->c);
    bpa_policy_free(r->p);
}

/* ---- value helpers ------------------------------------------------------------ */

#define EQ(x, want) eq_at((x), (want), #x, __LINE__)
static void eq_at(const mpq_t x, const char *want, const char *what, int line)
{
    mpq_t w;
    mpq_init(w);
    char msg[256];
    ck_assert_msg(bpa_dec_parse(w, want, BPA_DEC_NEGATIVE | BPA_DEC_FRACTION, msg, sizeof msg) ==
                      BPA_OK,
                  "line %d: bad expected value %s: %s", line, want, msg);
    if (mpq_cmp(x, w) != 0) {
        char *got = bpa_fmt_exact(x);
        char *fix = bpa_fmt_fixed(x, 6);
        ck_abort_msg("line %d: %s = %s (%s), expected %s", line, what, got, fix, want);
    }
    mpq_clear(w);
}

static bpa_date date_of(const char *s)
{
    bpa_date d = 0;
    ck_assert_msg(bpa_date_parse(s, &d), "bad date %s", s);
    return d;
}

#define DATE_EQ(d, want) date_eq_at((d), (want), __LINE__)
static void date_eq_at(bpa_date d, const char *want, int line)
{
    char got[11];
    bpa_date_format(d, got);
    ck_assert_msg(strcmp(got, want) == 0, "line %d: date %s, expected %s", line, got, want);
}

#define ANY (-1)

static bool line_matches(const bpa_line *l, bpa_line_rule rule, bpa_date from, int kind,
                         int band, int step)
{
    if (l->rule != rule || l->from != from)
        return false;
    if (kind != ANY && (!l->has_category || (int)l->category.kind != kind))
        return false;
    if (band != ANY && (int)l->category.band != band)
        return false;
    if (step != ANY && l->category.step != step)
        return false;
    return true;
}

/* The one line of a rule starting on `from` (and of the category, where
 * given). */
#define LINE(g, rule, from, kind, band, step)                                           \
    line_at((g), (rule), (from), (kind), (band), (step), __LINE__)
static const bpa_line *line_at(const bpa_grant *g, bpa_line_rule rule, const char *from, int kind,
                               int band, int step, int line)
{
    bpa_date d = date_of(from);
    const bpa_line *found = NULL;
    int n = 0;
    for (size_t i = 0; i < g->nlines; i++)
        if (line_matches(&g->lines[i], rule, d, kind, band, step)) {
            found = &g->lines[i];
            n++;
        }
    ck_assert_msg(n == 1, "line %d: %d %s lines from %s, expected 1", line, n,
                  bpa_line_rule_name(rule), from);
    return found;
}

static size_t count_lines(const bpa_grant *g, bpa_line_rule rule)
{
    size_t n = 0;
    for (size_t i = 0; i < g->nlines; i++)
        if (g->lines[i].rule == rule)
            n++;
    return n;
}

/* The rate of a category in force on `day`. */
#define RATE(g, kind, band, step, day) rate_at((g), (kind), (band), (step), (day), __LINE__)
static const bpa_rate *rate_at(const bpa_grant *g, bpa_kind kind, bpa_band band, int step,
                               const char *day, int line)
{
    bpa_date d = date_of(day);
    bpa_category cat = {kind, band, step};
    const bpa_rate *found = NULL;
    int n = 0;
    for (size_t i = 0; i < g->nrates; i++)
        if (bpa_category_equal(&g->rates[i].category, &cat) && g->rates[i].from <= d &&
            d <= g->rates[i].to) {
            found = &g->rates[i];
            n++;
        }
    ck_assert_msg(n == 1, "line %d: %d rates for %s/%s/%d on %s, expected 1", line, n,
                  bpa_kind_name(kind), bpa_band_name(band), step, day);
    return found;
}

#define MONTH(g, y, m) month_at((g), (y), (m), __LINE__)
static const bpa_month *month_at(const bpa_grant *g, int y, int m, int line)
{
    for (size_t i = 0; i < g->nmonths; i++)
        if (g->months[i].year == y && g->months[i].month == m)
            return &g->months[i];
    ck_abort_msg("line %d: no month %04d-%02d", line, y, m);
    return NULL;
}

/* Whether an entry of the trace holds `text` as a reason (an override's). */
static bool trace_has(const bpa_grant *g, const char *text)
{
    for (size_t i = 0; i < g->trace.n; i++) {
        const bpa_operand *o = bpa_trace_operand(&g->trace.entries[i], "reason");
        if (o && strstr(o->text, text))
            return true;
    }
    return false;
}

#define HAS(hay, needle)                                                                 \
    ck_assert_msg(strstr((hay), (needle)) != NULL, "\"%s\" lacks \"%s\"", (hay), (needle))

/* ---- (a) weeks52 vs calendar ------------------------------------------------------ */

#define CASE_A                                                                           \
    CASE96(CITIZEN, DEC("2025-01-01", "2025-01-31", "", WORK("day", 11, "37")) ", "     \
                    DEC("2025-02-10", "2025-02-28", "", WORK("day", 11, "37")))

START_TEST(hours_basis_weeks52)
{
    run r = run_of(W150, CASE_A);
    ck_assert_uint_eq(r.g->nsegments, 2);
    ck_assert_uint_eq(count_lines(r.g, BPA_LINE_WAGES), 2);
    /* full month: 37 x 52 x 31/365 = 59644/365 = 163.408219 h;
     * x 150 = 24511.232877 -> 24511.23 */
    const bpa_line *l = LINE(r.g, BPA_LINE_WAGES, "2025-01-01", BPA_KIND_WORK, BPA_BAND_DAY, 11);
    EQ(l->hours, "59644/365");
    EQ(l->rate_value, "150");
    EQ(l->amount, "24511.23");
    /* part month 10-28 Feb, d = 19: 37 x 52 x 19/365 = 36556/365 = 100.153425 h;
     * x 150 = 15023.013699 -> 15023.01 */
    l = LINE(r.g, BPA_LINE_WAGES, "2025-02-10", BPA_KIND_WORK, BPA_BAND_DAY, 11);
    EQ(l->hours, "36556/365");
    EQ(l->amount, "15023.01");
    /* total 24511.23 + 15023.01 = 39534.24 */
    EQ(r.g->total_wages, "39534.24");
    run_free(&r);
}
END_TEST

START_TEST(hours_basis_calendar)
{
    run r = run_of(W150 ", " P("hours.basis", "'calendar'"), CASE_A);
    /* full month: 37 x 31/7 = 1147/7 = 163.857143 h; x 150 = 24578.571429 -> 24578.57 */
    const bpa_line *l = LINE(r.g, BPA_LINE_WAGES, "2025-01-01", BPA_KIND_WORK, BPA_BAND_DAY, 11);
    EQ(l->hours, "1147/7");
    EQ(l->amount, "24578.57");
    /* part month, d = 19: 37 x 19/7 = 703/7 = 100.428571 h; x 150 = 15064.285714 -> 15064.29 */
    l = LINE(r.g, BPA_LINE_WAGES, "2025-02-10", BPA_KIND_WORK, BPA_BAND_DAY, 11);
    EQ(l->hours, "703/7");
    EQ(l->amount, "15064.29");
    /* 24578.57 + 15064.29 = 39642.86 */
    EQ(r.g->total_wages, "39642.86");
    run_free(&r);
}
END_TEST

/* ---- (b) full year: the sum of twelve rounded months -------------------------- */

START_TEST(full_year_twelve_months)
{
    run r = run_of(W150, CASE96(CITIZEN, DEC("2025-01-01", "2025-12-31", "",
                                             WORK("day", 11, "37"))));
    ck_assert_uint_eq(r.g->nsegments, 12);
    ck_assert_uint_eq(r.g->nmonths, 12);
    /* month of d days: 1924 x d/365 hours x 150:
     *   d = 31: 1789320/73 = 24511.232877 -> 24511.23 (Jan Mar May Jul Aug Oct Dec)
     *   d = 30: 1731600/73 = 23720.547945 -> 23720.55 (Apr Jun Sep Nov)
     *   d = 28: 1616160/73 = 22139.178082 -> 22139.18 (Feb) */
    static const char *const want[12] = {"24511.23", "22139.18", "24511.23", "23720.55",
                                         "24511.23", "23720.55", "24511.23", "24511.23",
                                         "23720.55", "24511.23", "23720.55", "24511.23"};
    for (int m = 1; m <= 12; m++)
        EQ(MONTH(r.g, 2025, m)->wages, want[m - 1]);
    /* hours: 37 x 52 = 1924 exactly over the year */
    EQ(r.g->total_hours, "1924");
    /* 7 x 24511.23 + 4 x 23720.55 + 22139.18 = 171578.61 + 94882.20 + 22139.18
     * = 288599.99, one øre below round(1924 x 150) = 288600.00: the year is the
     * sum of its rounded months (7.1), not the annual figure rounded once. */
    EQ(r.g->total_wages, "288599.99");
    EQ(r.g->total_grant, "288599.99");
    run_free(&r);
}
END_TEST

/* ---- (c) total lines spread by days -------------------------------------------- */

START_TEST(total_lines_by_days)
{
    run r = run_of(W150, CASE96(CITIZEN, DEC("2025-03-15", "2025-05-10", "",
                                             "{'kind': 'work', 'band': 'day', 'step': 11, "
                                             "'total': '100'}")));
    /* D = 17 (15-31 Mar) + 30 (Apr) + 10 (1-10 May) = 57 days */
    ck_assert_uint_eq(r.g->nsegments, 3);
    /* Mar: 100 x 17/57 = 1700/57 = 29.824561 h; x 150 = 4473.684211 -> 4473.68 */
    const bpa_line *l = LINE(r.g, BPA_LINE_WAGES, "2025-03-15", BPA_KIND_WORK, BPA_BAND_DAY, 11);
    EQ(l->hours, "1700/57");
    EQ(l->amount, "4473.68");
    /* Apr: 100 x 30/57 = 1000/19 = 52.631579 h; x 150 = 7894.736842 -> 7894.74 */
    l = LINE(r.g, BPA_LINE_WAGES, "2025-04-01", BPA_KIND_WORK, BPA_BAND_DAY, 11);
    EQ(l->hours, "1000/19");
    EQ(l->amount, "7894.74");
    /* May: 100 x 10/57 = 1000/57 = 17.543860 h; x 150 = 2631.578947 -> 2631.58 */
    l = LINE(r.g, BPA_LINE_WAGES, "2025-05-01", BPA_KIND_WORK, BPA_BAND_DAY, 11);
    EQ(l->hours, "1000/57");
    EQ(l->amount, "2631.58");
    /* 1700/57 + 3000/57 + 1000/57 = 100 h; 4473.68 + 7894.74 + 2631.58 = 15000.00 */
    EQ(r.g->total_hours, "100");
    EQ(r.g->total_wages, "15000.00");
    run_free(&r);
}
END_TEST

/* ---- (d) R1: rate components rounded or not ------------------------------------- */

#define POL_D                                                                            \
    P("wage.hourly.11", "{'annual': '255000', 'norm_hours': '1924'}") ", "                \
    P("supplement.evening", "{'pct': '30'}")
#define CASE_D CASE96(CITIZEN, DEC("2025-01-01", "2025-01-31", "", WORK("evening", 11, "37")))

START_TEST(r1_rate_components_on)
{
    run r = run_of(POL_D, CASE_D);
    const bpa_rate *rt = RATE(r.g, BPA_KIND_WORK, BPA_BAND_EVENING, 11, "2025-01-15");
    /* W = 255000/1924 = 63750/481 = 132.536383 (unrounded) */
    EQ(rt->wage, "63750/481");
    ck_assert(rt->round_components);
    /* base round(132.536383) = 132.54; supplement round(W x 0.30 = 39.760915) = 39.76 */
    EQ(rt->base, "132.54");
    EQ(rt->supplement, "39.76");
    /* hourly 132.54 + 39.76 = 172.30 */
    EQ(rt->hourly, "172.30");
    /* 59644/365 h x 172.30 = 51383306/1825 = 28155.236164 -> 28155.24 */
    const bpa_line *l =
        LINE(r.g, BPA_LINE_WAGES, "2025-01-01", BPA_KIND_WORK, BPA_BAND_EVENING, 11);
    EQ(l->exact, "51383306/1825");
    EQ(l->amount, "28155.24");
    run_free(&r);
}
END_TEST

START_TEST(r1_rate_components_off)
{
    run r = run_of(POL_D ", " P("rounding.rate_components", "false"), CASE_D);
    const bpa_rate *rt = RATE(r.g, BPA_KIND_WORK, BPA_BAND_EVENING, 11, "2025-01-15");
    ck_assert(!rt->round_components);
    /* base stays W = 63750/481; supplement W x 3/10 = 19125/481 = 39.760915 */
    EQ(rt->base, "63750/481");
    EQ(rt->supplement, "19125/481");
    /* hourly W x 13/10 = 82875/481 = 6375/37 = 172.297297 (481 = 13 x 37) */
    EQ(rt->hourly, "6375/37");
    /* 59644/365 x 6375/37 = 2055300/73 = 28154.794521 -> 28154.79 (28155.24 with R1) */
    const bpa_line *l =
        LINE(r.g, BPA_LINE_WAGES, "2025-01-01", BPA_KIND_WORK, BPA_BAND_EVENING, 11);
    EQ(l->exact, "2055300/73");
    EQ(l->amount, "28154.79");
    run_free(&r);
}
END_TEST

/* ---- (e) supplements: pct on W, kr ------------------------------------------------ */

START_TEST(supplement_pct_on_w_and_kr)
{
    run r = run_of(P("wage.hourly.11", "'100.005'") ", " P("supplement.evening", "{'pct': '50'}")
                       ", " P("supplement.night", "{'kr': '25.50'}"),
                   CASE96(CITIZEN, DEC("2025-01-01", "2025-01-31", "",
                                       WORK("evening", 11, "10") ", " WORK("night", 11, "10"))));
    const bpa_rate *ev = RATE(r.g, BPA_KIND_WORK, BPA_BAND_EVENING, 11, "2025-01-01");
    /* base round(100.005) = 100.01 (half away from zero) */
    EQ(ev->base, "100.01");
    /* 50 % of W: 50.0025 -> 50.00; (on the rounded base it would be 50.005 -> 50.01) */
    ck_assert(ev->supplement_pct);
    EQ(ev->supplement_param, "50");
    EQ(ev->supplement, "50.00");
    /* 100.01 + 50.00 = 150.01 */
    EQ(ev->hourly, "150.01");
    const bpa_rate *ni = RATE(r.g, BPA_KIND_WORK, BPA_BAND_NIGHT, 11, "2025-01-01");
    /* kr supplement taken as is: 25.50; hourly 100.01 + 25.50 = 125.51 */
    ck_assert(!ni->supplement_pct);
    EQ(ni->supplement, "25.50");
    EQ(ni->hourly, "125.51");
    /* hours 10 x 52 x 31/365 = 3224/73 = 44.164384;
     * evening x 150.01 = 6625.099178 -> 6625.10; night x 125.51 = 5543.071781 -> 5543.07 */
    EQ(LINE(r.g, BPA_LINE_WAGES, "2025-01-01", BPA_KIND_WORK, BPA_BAND_EVENING, 11)->amount,
       "6625.10");
    EQ(LINE(r.g, BPA_LINE_WAGES, "2025-01-01", BPA_KIND_WORK, BPA_BAND_NIGHT, 11)->amount,
       "5543.07");
    run_free(&r);
}
END_TEST

/* ---- (f) on-call -------------------------------------------------------------------- */

START_TEST(on_call_without_supplements)
{
    run r = run_of(W150 ", " P("on_call.fraction", "'0.75'"),
                   CASE96(CITIZEN, DEC("2025-01-01", "2025-01-31", "", ONCALL(11, "10"))));
    /* category on_call/any/11: base 150 x 0.75 = 112.50, no supplement */
    const bpa_rate *rt = RATE(r.g, BPA_KIND_ON_CALL, BPA_BAND_ANY, 11, "2025-01-01");
    EQ(rt->fraction, "3/4");
    EQ(rt->base, "112.50");
    EQ(rt->supplement, "0");
    EQ(rt->hourly, "112.50");
    /* 3224/73 h x 112.50 = 4968.493151 -> 4968.49 */
    const bpa_line *l = LINE(r.g, BPA_LINE_WAGES, "2025-01-01", BPA_KIND_ON_CALL, BPA_BAND_ANY, 11);
    EQ(l->hours, "3224/73");
    EQ(l->amount, "4968.49");
    run_free(&r);
}
END_TEST

START_TEST(on_call_with_supplements)
{
    run r = run_of(W150 ", " P("on_call.fraction", "'0.75'") ", " P("on_call.supplements", "true")
                       ", " P("supplement.night", "{'pct': '35'}"),
                   CASE96(CITIZEN, DEC("2025-01-01", "2025-01-31", "",
                                       "{'kind': 'on_call', 'band': 'night', 'step': 11, "
                                       "'per_week': '10'}")));
    const bpa_rate *rt = RATE(r.g, BPA_KIND_ON_CALL, BPA_BAND_NIGHT, 11, "2025-01-01");
    /* base 150 x 0.75 = 112.50; supplement 35 % of W (not of the base):
     * 150 x 0.35 = 52.50 (on the base it would be 39.375); hourly 165.00 */
    EQ(rt->base, "112.50");
    EQ(rt->supplement, "52.50");
    EQ(rt->hourly, "165.00");
    /* 3224/73 h x 165 = 7287.123288 -> 7287.12 */
    EQ(LINE(r.g, BPA_LINE_WAGES, "2025-01-01", BPA_KIND_ON_CALL, BPA_BAND_NIGHT, 11)->amount,
       "7287.12");
    run_free(&r);
}
END_TEST

/* ---- (g) add-ons --------------------------------------------------------------------- */

START_TEST(addons_r2_and_per_helper)
{
    run r = run_of(W150 ", " P("supplement.evening", "{'pct': '30'}") ", "
                       P("on_call.fraction", "'0.75'") ", "
                       P("addons", "[{'name': 'pension', 'pct': '13', 'base': 'wage'}, "
                                   "{'name': 'holiday', 'pct': '12.5', 'base': "
                                   "'wage_and_supplement'}, "
                                   "{'name': 'atp', 'kr_per_hour': '1.42'}, "
                                   "{'name': 'aub', 'kr_per_helper_year': '3149'}]"),
                   CASE96("'employer': 'citizen', 'helpers': 3",
                          DEC("2025-01-01", "2025-02-14", "",
                              WORK("evening", 11, "20") ", " ONCALL(11, "5"))));
    /* work evening: base 150, supplement 45.00;
     * pension 13 % of 150 = 19.50; holiday 12.5 % of 195 = 24.375 -> 24.38 (R2);
     * atp 1.42; hourly 150 + 45 + 19.50 + 24.38 + 1.42 = 240.30 */
    const bpa_rate *ev = RATE(r.g, BPA_KIND_WORK, BPA_BAND_EVENING, 11, "2025-01-01");
    ck_assert_uint_eq(ev->naddons, 3); /* the per-helper add-on is not per hour */
    ck_assert_str_eq(ev->addons[0].name, "pension");
    EQ(ev->addons[0].amount, "19.50");
    ck_assert_str_eq(ev->addons[1].name, "holiday");
    EQ(ev->addons[1].amount, "24.38");
    ck_assert_str_eq(ev->addons[2].name, "atp");
    EQ(ev->addons[2].amount, "1.42");
    EQ(ev->hourly, "240.30");
    /* on call: base 112.50; pension 13 % of 112.50 = 14.625 -> 14.63;
     * holiday 12.5 % of (112.50 + 0) = 14.0625 -> 14.06; atp 1.42 (on-call hours too);
     * hourly 112.50 + 14.63 + 14.06 + 1.42 = 142.61 */
    const bpa_rate *oc = RATE(r.g, BPA_KIND_ON_CALL, BPA_BAND_ANY, 11, "2025-01-01");
    EQ(oc->addons[0].amount, "14.63");
    EQ(oc->addons[1].amount, "14.06");
    EQ(oc->addons[2].amount, "1.42");
    EQ(oc->hourly, "142.61");
    /* Jan: evening 20 x 52 x 31/365 = 6448/73 h x 240.30 = 21225.402740 -> 21225.40
     *      on call 5 x 52 x 31/365 = 1612/73 h x 142.61 = 3149.141370 -> 3149.14
     * 1-14 Feb: evening 2912/73 h x 240.30 = 9585.665753 -> 9585.67
     *      on call 728/73 h x 142.61 = 1422.192877 -> 1422.19 */
    EQ(LINE(r.g, BPA_LINE_WAGES, "2025-01-01", BPA_KIND_WORK, BPA_BAND_EVENING, 11)->amount,
       "21225.40");
    EQ(LINE(r.g, BPA_LINE_WAGES, "2025-01-01", BPA_KIND_ON_CALL, BPA_BAND_ANY, 11)->amount,
       "3149.14");
    EQ(LINE(r.g, BPA_LINE_WAGES, "2025-02-01", BPA_KIND_WORK, BPA_BAND_EVENING, 11)->amount,
       "9585.67");
    EQ(LINE(r.g, BPA_LINE_WAGES, "2025-02-01", BPA_KIND_ON_CALL, BPA_BAND_ANY, 11)->amount,
       "1422.19");
    /* per helper: 3149 x 3 helpers x 31/365 = 292857/365 = 802.347945 -> 802.35
     *             3149 x 3 x 14/365 = 132258/365 = 362.350685 -> 362.35 */
    ck_assert_uint_eq(count_lines(r.g, BPA_LINE_PER_HELPER), 2);
    const bpa_line *ph = LINE(r.g, BPA_LINE_PER_HELPER, "2025-01-01", ANY, ANY, ANY);
    ck_assert(!ph->has_category);
    ck_assert_str_eq(ph->name, "aub");
    EQ(ph->hours, "93/365"); /* helper-years 3 x 31/365 */
    EQ(ph->exact, "292857/365");
    EQ(ph->amount, "802.35");
    ph = LINE(r.g, BPA_LINE_PER_HELPER, "2025-02-01", ANY, ANY, ANY);
    EQ(ph->hours, "42/365");
    EQ(ph->amount, "362.35");
    /* months: Jan 21225.40 + 3149.14 + 802.35 = 25176.89;
     *         Feb 9585.67 + 1422.19 + 362.35 = 11370.21; total 36547.10 */
    EQ(MONTH(r.g, 2025, 1)->wages, "25176.89");
    EQ(MONTH(r.g, 2025, 2)->wages, "11370.21");
    EQ(MONTH(r.g, 2025, 1)->recipient, "25176.89");
    EQ(r.g->total_wages, "36547.10");
    run_free(&r);
}
END_TEST

/* ---- (h) R4 indexation and administration ------------------------------------------ */

#define POL_ADMIN                                                                        \
    W150 ", " P("on_call.fraction", "'0.75'") ", "                                       \
    P("admin.transferred.per_hour", "{'amount': '5.45', 'level': 2015}") ", "            \
    P("index.series", "{'2015': '100', '2025': '120'}")
#define CASE_H                                                                           \
    CASE96("'employer': 'transferred', 'transferred_to': 'relative', 'helpers': 2",     \
           DEC("2025-01-01", "2025-02-28", "", WORK("day", 11, "37") ", " ONCALL(11, "10")))

START_TEST(admin_indexed_all_hours)
{
    run r = run_of(POL_ADMIN, CASE_H);
    /* R4: round(5.45 x 120/100) = 6.54 (the admin lines' rate below) */
    ck_assert_uint_eq(count_lines(r.g, BPA_LINE_ADMIN), 2);
    /* Jan: all hours (37 + 10) x 52 x 31/365 = 75764/365 = 207.572603;
     * x 6.54 = 1357.524822 -> 1357.52 */
    const bpa_line *a = LINE(r.g, BPA_LINE_ADMIN, "2025-01-01", ANY, ANY, ANY);
    EQ(a->hours, "75764/365");
    EQ(a->rate_value, "6.54");
    EQ(a->amount, "1357.52");
    /* Feb: 47 x 52 x 28/365 = 68432/365 h x 6.54 = 1226.151452 -> 1226.15 */
    a = LINE(r.g, BPA_LINE_ADMIN, "2025-02-01", ANY, ANY, ANY);
    EQ(a->hours, "68432/365");
    EQ(a->amount, "1226.15");
    /* 1357.52 + 1226.15 = 2583.67 */
    EQ(r.g->total_admin, "2583.67");
    /* recipient Jan: wages 24511.23 (work) + 4968.49 (3224/73 h x 112.50 = 4968.493151)
     * + admin 1357.52 = 30837.24; Feb: 22139.18 + 4487.67 (2912/73 x 112.50 = 4487.671233)
     * + 1226.15 = 27853.00 */
    EQ(MONTH(r.g, 2025, 1)->admin, "1357.52");
    EQ(MONTH(r.g, 2025, 1)->recipient, "30837.24");
    EQ(MONTH(r.g, 2025, 2)->recipient, "27853.00");
    /* relative: paid forud, first bank day */
    ck_assert(r.g->forud);
    DATE_EQ(MONTH(r.g, 2025, 1)->due, "2025-01-02");
    run_free(&r);
}
END_TEST

START_TEST(admin_work_hours_only)
{
    run r = run_of(POL_ADMIN ", " P("admin.transferred.hours", "'work'"), CASE_H);
    /* Jan: work hours only 59644/365 x 6.54 = 1068.689753 -> 1068.69 */
    const bpa_line *a = LINE(r.g, BPA_LINE_ADMIN, "2025-01-01", ANY, ANY, ANY);
    EQ(a->hours, "59644/365");
    EQ(a->amount, "1068.69");
    /* Feb: 53872/365 x 6.54 = 965.268164 -> 965.27; total 1068.69 + 965.27 = 2033.96 */
    a = LINE(r.g, BPA_LINE_ADMIN, "2025-02-01", ANY, ANY, ANY);
    EQ(a->hours, "53872/365");
    EQ(a->amount, "965.27");
    EQ(r.g->total_admin, "2033.96");
    run_free(&r);
}
END_TEST

/* ---- (i) payroll administration cap -------------------------------------------------- */

START_TEST(payroll_admin_cap)
{
    run r = run_of(W150 ", " P("admin.payroll.per_helper_year", "{'amount': '2030', 'level': 2015}")
                       ", " P("index.series", "{'2015': '100', '2025': '120'}"),
                   CASE96("'employer': 'payroll_association', 'helpers': 4",
                          DEC("2025-01-01", "2025-03-10", "", WORK("day", 11, "37"))));
    /* R4: round(2030 x 120/100) = 2436.00 */
    ck_assert_uint_eq(count_lines(r.g, BPA_LINE_PAYROLL_ADMIN_CAP), 3);
    /* Jan: 2436 x 4 x 31/365 = 827.572603 -> 827.57 */
    const bpa_line *l = LINE(r.g, BPA_LINE_PAYROLL_ADMIN_CAP, "2025-01-01", ANY, ANY, ANY);
    EQ(l->hours, "124/365");
    EQ(l->rate_value, "2436");
    EQ(l->amount, "827.57");
    /* Feb: 2436 x 4 x 28/365 = 747.484932 -> 747.48 */
    EQ(LINE(r.g, BPA_LINE_PAYROLL_ADMIN_CAP, "2025-02-01", ANY, ANY, ANY)->amount, "747.48");
    /* 1-10 Mar: 2436 x 4 x 10/365 = 266.958904 -> 266.96 */
    EQ(LINE(r.g, BPA_LINE_PAYROLL_ADMIN_CAP, "2025-03-01", ANY, ANY, ANY)->amount, "266.96");
    /* 827.57 + 747.48 + 266.96 = 1842.01 */
    EQ(r.g->total_payroll_admin_cap, "1842.01");
    EQ(MONTH(r.g, 2025, 1)->payroll_admin_cap, "827.57");
    /* paid against invoices: not in the monthly payment nor in the grant.
     * Jan recipient = wages 24511.23; Mar wages 37 x 52 x 10/365 x 150 = 7906.849315
     * -> 7906.85; total 24511.23 + 22139.18 + 7906.85 = 54557.26 */
    EQ(MONTH(r.g, 2025, 1)->recipient, "24511.23");
    EQ(MONTH(r.g, 2025, 3)->wages, "7906.85");
    EQ(r.g->total_admin, "0");
    EQ(r.g->total_grant, "54557.26");
    run_free(&r);
}
END_TEST

/* ---- (j) allowance ------------------------------------------------------------------------ */

#define POL_J W150 ", " P("allowance.monthly_cap.96", "'1000'")

START_TEST(allowance_per_month)
{
    run r = run_of(POL_J, CASE96(CITIZEN, DEC("2025-01-10", "2025-03-20",
                                              ", 'allowance_monthly': '1000'",
                                              WORK("day", 11, "10"))));
    ck_assert_uint_eq(count_lines(r.g, BPA_LINE_ALLOWANCE), 3);
    /* Jan 10-31: 1000 x 22/31 = 709.677419 -> 709.68 */
    const bpa_line *l = LINE(r.g, BPA_LINE_ALLOWANCE, "2025-01-10", ANY, ANY, ANY);
    EQ(l->hours, "22/31");
    EQ(l->amount, "709.68");
    /* Feb: a full month gives exactly 1000.00 */
    EQ(LINE(r.g, BPA_LINE_ALLOWANCE, "2025-02-01", ANY, ANY, ANY)->amount, "1000.00");
    /* Mar 1-20: 1000 x 20/31 = 645.161290 -> 645.16 */
    EQ(LINE(r.g, BPA_LINE_ALLOWANCE, "2025-03-01", ANY, ANY, ANY)->amount, "645.16");
    /* 709.68 + 1000.00 + 645.16 = 2354.84 */
    EQ(r.g->total_allowance, "2354.84");
    EQ(MONTH(r.g, 2025, 1)->allowance, "709.68");
    /* allowance always forud on the first bank day: 2 Jan (1 Jan holiday);
     * 1 Feb and 1 Mar 2025 are Saturdays -> 3 Feb, 3 Mar */
    DATE_EQ(MONTH(r.g, 2025, 1)->allowance_due, "2025-01-02");
    DATE_EQ(MONTH(r.g, 2025, 2)->allowance_due, "2025-02-03");
    DATE_EQ(MONTH(r.g, 2025, 3)->allowance_due, "2025-03-03");
    /* grant = wages + allowance; Jan 10-31 wages 10 x 52 x 22/365 x 150 = 4701.369863
     * -> 4701.37 (checked alone) */
    EQ(MONTH(r.g, 2025, 1)->wages, "4701.37");
    run_free(&r);
}
END_TEST

START_TEST(allowance_per_decision_not_segment)
{
    /* two decisions in one month: 1000 x 15/31 = 483.870968 -> 483.87,
     * 1000 x 16/31 = 516.129032 -> 516.13; month 1000.00 */
    run r = run_of(POL_J, CASE96(CITIZEN,
                                 DEC("2025-01-01", "2025-01-15", ", 'allowance_monthly': '1000'",
                                     WORK("day", 11, "10")) ", "
                                 DEC("2025-01-16", "2025-01-31", ", 'allowance_monthly': '1000'",
                                     WORK("day", 11, "10"))));
    EQ(LINE(r.g, BPA_LINE_ALLOWANCE, "2025-01-01", ANY, ANY, ANY)->amount, "483.87");
    EQ(LINE(r.g, BPA_LINE_ALLOWANCE, "2025-01-16", ANY, ANY, ANY)->amount, "516.13");
    EQ(MONTH(r.g, 2025, 1)->allowance, "1000.00");
    run_free(&r);
    /* a wage change on 16 Jan cuts the segment, not the allowance: one line 1000.00 */
    r = run_of(PL("wage.hourly.11", E("2025-01-01", "'150'") ", " E("2025-01-16", "'160'")),
               CASE96(CITIZEN, DEC("2025-01-01", "2025-01-31", ", 'allowance_monthly': '1000'",
                                   WORK("day", 11, "10"))));
    ck_assert_uint_eq(r.g->nsegments, 2);
    ck_assert_uint_eq(count_lines(r.g, BPA_LINE_ALLOWANCE), 1);
    EQ(LINE(r.g, BPA_LINE_ALLOWANCE, "2025-01-01", ANY, ANY, ANY)->amount, "1000.00");
    run_free(&r);
}
END_TEST

START_TEST(allowance_cap)
{
    bpa_error err;
    /* 1200 above the cap 1000, no override: an input error naming the cap */
    bpa_status st = run_fail(POL_J, CASE96(CITIZEN, DEC("2025-01-01", "2025-01-31",
                                                        ", 'allowance_monthly': '1200'",
                                                        WORK("day", 11, "10"))),
                             &err);
    ck_assert_int_eq(st, BPA_E_INPUT);
    HAS(err.message, "allowance.monthly_cap.96");
    HAS(err.message, "allowance_cap");
    ck_assert_str_eq(err.path, "$.decisions[0]");
    /* every value in force during the decision must be met: 1500 until Feb, 1000
     * from 1 Mar; 1200 passes the first but not the second */
    st = run_fail(W150 ", " PL("allowance.monthly_cap.96",
                               E("2025-01-01", "'1500'") ", " E("2025-03-01", "'1000'")),
                  CASE96(CITIZEN, DEC("2025-01-01", "2025-03-31", ", 'allowance_monthly': '1200'",
                                      WORK("day", 11, "10"))),
                  &err);
    ck_assert_int_eq(st, BPA_E_INPUT);
    HAS(err.message, "2025-03-01");
    /* with an override: accepted, paid in full, and the override is in the trace */
    run r = run_of(POL_J, CASE96(CITIZEN ", 'overrides': [{'rule': 'allowance_cap', "
                                         "'reason': 'decision 2025-117: documented costs'}]",
                                 DEC("2025-01-01", "2025-01-31", ", 'allowance_monthly': '1200'",
                                     WORK("day", 11, "10"))));
    EQ(r.g->total_allowance, "1200.00"); /* 1200 x 31/31 */
    ck_assert(trace_has(r.g, "decision 2025-117: documented costs"));
    run_free(&r);
}
END_TEST

/* ---- (k) trips ---------------------------------------------------------------------------- */

#define POL_K W150 ", " P("on_call.fraction", "'0.75'") ", " P("trips.vacation_days_max", "14")
#define TRIP(from, days, hrs)                                                            \
    "{'type': 'vacation', 'from': '" from "', 'days': " #days ", 'extra_hours_per_day': '" \
    hrs "', 'kind': 'on_call', 'step': 11}"

START_TEST(trips_add_hours_before_rounding)
{
    run r = run_of(POL_K, "{'format': 'bpa-case/1', 'case': 'T-1', 'scheme': 'dk-sel-96', "
                          "'policy': 't', 'year': 2025, " CITIZEN ", 'decisions': ["
                          DEC("2025-01-01", "2025-01-31", "", ONCALL(11, "10"))
                          "], 'trips': [" TRIP("2025-01-10", 5, "0.001") "]}");
    /* one on-call line: 3224/73 + 5 x 0.001 = 3224/73 + 1/200 = 644873/14600 h;
     * x 112.50 = 4969.055651 -> 4969.06.
     * Rounded apart it would be 4968.49 (3224/73 x 112.50 = 4968.493151) + 0.56
     * (0.005 x 112.50 = 0.5625) = 4969.05. */
    ck_assert_uint_eq(count_lines(r.g, BPA_LINE_WAGES), 1);
    const bpa_line *l = LINE(r.g, BPA_LINE_WAGES, "2025-01-01", BPA_KIND_ON_CALL, BPA_BAND_ANY, 11);
    EQ(l->hours, "644873/14600");
    EQ(l->amount, "4969.06");
    run_free(&r);
}
END_TEST

#define CASE_K_OVER(extra)                                                               \
    "{'format': 'bpa-case/1', 'case': 'T-1', 'scheme': 'dk-sel-96', 'policy': 't', "     \
    "'year': 2025, " CITIZEN ", 'decisions': ["                                          \
    DEC("2025-01-01", "2025-12-31", "", ONCALL(11, "10"))                                \
    "], 'trips': [" TRIP("2025-03-03", 10, "16") ", " TRIP("2025-07-07", 5, "16") "]" extra "}"

START_TEST(trips_over_limit)
{
    /* 10 + 5 = 15 vacation days > trips.vacation_days_max 14 */
    bpa_error err;
    bpa_status st = run_fail(POL_K, CASE_K_OVER(""), &err);
    ck_assert_int_eq(st, BPA_E_INPUT);
    HAS(err.message, "trips.vacation_days_max");
    HAS(err.message, "trip_limits");
    /* with the override it is computed and the reason is traced */
    run r = run_of(POL_K, CASE_K_OVER(", 'overrides': [{'rule': 'trip_limits', 'reason': "
                                      "'two helpers needed on the trip'}]"));
    ck_assert(trace_has(r.g, "two helpers needed on the trip"));
    /* Mar: 10 x 52 x 31/365 + 10 x 16 = 3224/73 + 160 h, one on-call line */
    const bpa_line *l = LINE(r.g, BPA_LINE_WAGES, "2025-03-01", BPA_KIND_ON_CALL, BPA_BAND_ANY, 11);
    EQ(l->hours, "14904/73"); /* 3224/73 + 11680/73 */
    /* x 112.50 = 22968.493151 -> 22968.49 */
    EQ(l->amount, "22968.49");
    run_free(&r);
}
END_TEST

/* ---- (l) hourly cap --------------------------------------------------------------------- */

#define CASE_L(extra)                                                                    \
    CASE96(CITIZEN extra, DEC("2025-01-01", "2025-02-28", "", WORK("day", 11, "37")))

START_TEST(hourly_cap_reduction)
{
    run r = run_of(W150 ", " P("hourly_cap", "'140'"), CASE_L(""));
    ck_assert_uint_eq(count_lines(r.g, BPA_LINE_HOURLY_CAP_REDUCTION), 2);
    /* Jan: cost 24511.23 for 59644/365 h, i.e. above 140 per hour; target
     * round(59644/365 x 140 = 22877.150685) = 22877.15; reduction 22877.15 - 24511.23
     * = -1634.08 */
    const bpa_line *l = LINE(r.g, BPA_LINE_HOURLY_CAP_REDUCTION, "2025-01-01", ANY, ANY, ANY);
    EQ(l->amount, "-1634.08");
    EQ(MONTH(r.g, 2025, 1)->wages, "22877.15");
    /* Feb: 22139.18 -> round(53872/365 x 140 = 20663.232877) = 20663.23; -1475.95 */
    EQ(LINE(r.g, BPA_LINE_HOURLY_CAP_REDUCTION, "2025-02-01", ANY, ANY, ANY)->amount, "-1475.95");
    EQ(MONTH(r.g, 2025, 2)->wages, "20663.23");
    /* 22877.15 + 20663.23 = 43540.38 */
    EQ(r.g->total_wages, "43540.38");
    run_free(&r);
}
END_TEST

START_TEST(hourly_cap_override_and_not_exceeded)
{
    run r = run_of(W150 ", " P("hourly_cap", "'140'"),
                   CASE_L(", 'overrides': [{'rule': 'hourly_cap', 'reason': 'special needs'}]"));
    ck_assert_uint_eq(count_lines(r.g, BPA_LINE_HOURLY_CAP_REDUCTION), 0);
    ck_assert(trace_has(r.g, "special needs"));
    /* 24511.23 + 22139.18 = 46650.41 */
    EQ(r.g->total_wages, "46650.41");
    run_free(&r);
    /* cap 150, rate 150: Jan cost 24511.23 <= 59644/365 x 150 = 24511.232877: no test
     * fires, no line. Feb cost 22139.18 > 53872/365 x 150 = 22139.178082: it fires and
     * brings the segment to round(22139.178082) = 22139.18, a reduction of 0.00 that is
     * still written (section 12, hourly cap). */
    r = run_of(W150 ", " P("hourly_cap", "'150'"), CASE_L(""));
    ck_assert_uint_eq(count_lines(r.g, BPA_LINE_HOURLY_CAP_REDUCTION), 1);
    EQ(LINE(r.g, BPA_LINE_HOURLY_CAP_REDUCTION, "2025-02-01", ANY, ANY, ANY)->amount, "0.00");
    EQ(r.g->total_wages, "46650.41");
    run_free(&r);
}
END_TEST

/* ---- (m) a mid-month change cuts a segment ------------------------------------------- */

#define CASE_M CASE96(CITIZEN, DEC("2025-03-01", "2025-03-31", "", WORK("day", 11, "37")))

START_TEST(mid_month_change_cuts)
{
    run r = run_of(PL("wage.hourly.11", E("2025-01-01", "'150'") ", " E("2025-03-16", "'160'")),
                   CASE_M);
    ck_assert_uint_eq(r.g->nsegments, 2);
    DATE_EQ(r.g->segments[0].to, "2025-03-15");
    DATE_EQ(r.g->segments[1].from, "2025-03-16");
    /* 1-15 Mar: 37 x 52 x 15/365 = 5772/73 h x 150 = 11860.273973 -> 11860.27 */
    const bpa_line *l = LINE(r.g, BPA_LINE_WAGES, "2025-03-01", BPA_KIND_WORK, BPA_BAND_DAY, 11);
    EQ(l->hours, "5772/73");
    EQ(l->amount, "11860.27");
    /* 16-31 Mar: 37 x 52 x 16/365 = 30784/365 h x 160 = 13494.356164 -> 13494.36 */
    l = LINE(r.g, BPA_LINE_WAGES, "2025-03-16", BPA_KIND_WORK, BPA_BAND_DAY, 11);
    EQ(l->hours, "30784/365");
    EQ(l->amount, "13494.36");
    /* month 11860.27 + 13494.36 = 25354.63; two tariff rows */
    EQ(MONTH(r.g, 2025, 3)->wages, "25354.63");
    ck_assert_uint_eq(r.g->nrates, 2);
    run_free(&r);
}
END_TEST

START_TEST(equal_value_does_not_cut)
{
    run r = run_of(PL("wage.hourly.11", E("2025-01-01", "'150'") ", " E("2025-03-16", "'150.00'")),
                   CASE_M);
    ck_assert_uint_eq(r.g->nsegments, 1);
    /* 37 x 52 x 31/365 x 150 = 24511.232877 -> 24511.23, one line, one tariff row */
    EQ(LINE(r.g, BPA_LINE_WAGES, "2025-03-01", BPA_KIND_WORK, BPA_BAND_DAY, 11)->amount,
       "24511.23");
    ck_assert_uint_eq(r.g->nrates, 1);
    DATE_EQ(r.g->rates[0].from, "2025-03-01");
    DATE_EQ(r.g->rates[0].to, "2025-03-31");
    run_free(&r);
}
END_TEST

/* ---- (n) monthly payments ---------------------------------------------------------------- */

#define CASE_JF(head) CASE96(head, DEC("2025-01-01", "2025-02-28", "", WORK("day", 11, "37")))

START_TEST(payment_forud_first_bank_day)
{
    run r = run_of(W150, CASE_JF(CITIZEN));
    ck_assert(r.g->forud);
    ck_assert(r.g->pays_recipient);
    /* 1 Jan 2025 (Wednesday) is nytårsdag -> Thursday 2 Jan; 1 Feb Saturday -> Monday 3 Feb */
    const bpa_month *m = MONTH(r.g, 2025, 1);
    ck_assert(m->has_due);
    DATE_EQ(m->due, "2025-01-02");
    DATE_EQ(MONTH(r.g, 2025, 2)->due, "2025-02-03");
    EQ(m->recipient, "24511.23");
    run_free(&r);
}
END_TEST

START_TEST(payment_last_weekday_before)
{
    run r = run_of(W150 ", " P("payment.advance_day", "'last_weekday_before'"), CASE_JF(CITIZEN));
    /* Jan 2025: last bank day of Dec 2024; 31 Dec is a bank closing day -> Monday 30 Dec */
    DATE_EQ(MONTH(r.g, 2025, 1)->due, "2024-12-30");
    /* Feb 2025: Friday 31 Jan */
    DATE_EQ(MONTH(r.g, 2025, 2)->due, "2025-01-31");
    run_free(&r);
}
END_TEST

START_TEST(payment_bagud_association)
{
    run r = run_of(POL_ADMIN, CASE96("'employer': 'transferred', 'transferred_to': 'association', "
                                     "'helpers': 1",
                                     DEC("2025-05-01", "2025-05-31", "", WORK("day", 11, "37"))));
    ck_assert(!r.g->forud);
    /* last bank day of May 2025: 31 Sat, 30 Fri the day after Kristi himmelfart (bank
     * closing day), 29 Thu Kristi himmelfartsdag (Easter 20 Apr + 39) -> Wed 28 May */
    DATE_EQ(MONTH(r.g, 2025, 5)->due, "2025-05-28");
    /* recipient = wages 24511.23 + admin round(59644/365 x 6.54 = 1068.689753) = 1068.69
     * -> 25579.92 */
    EQ(MONTH(r.g, 2025, 5)->recipient, "25579.92");
    run_free(&r);
}
END_TEST

START_TEST(payment_municipality_payroll)
{
    run r = run_of(W150, CASE96("'employer': 'municipality_payroll', 'helpers': 1",
                                DEC("2025-01-01", "2025-01-31", ", 'allowance_monthly': '500'",
                                    WORK("day", 11, "37"))));
    ck_assert(!r.g->pays_recipient);
    const bpa_month *m = MONTH(r.g, 2025, 1);
    /* the wage budget is still computed (24511.23) but nothing is paid for it */
    EQ(m->wages, "24511.23");
    EQ(m->recipient, "0");
    ck_assert(!m->has_due);
    /* only the allowance is paid, forud: 500.00 on 2 Jan */
    EQ(m->allowance, "500.00");
    ck_assert(m->has_allowance_due);
    DATE_EQ(m->allowance_due, "2025-01-02");
    run_free(&r);
}
END_TEST

/* ---- (o) section 94 ------------------------------------------------------------------------ */

#define POL_94                                                                           \
    W150 ", " P("wage.hourly.18", "'170'") ", " P("dk94.step.practical", "11") ", "      \
    P("dk94.step.personal_care", "18") ", " P("dk94.monthly_paid_min_hours_per_week", "'8'")
#define CASE94(head, line)                                                               \
    "{'format': 'bpa-case/1', 'case': 'T-94', 'scheme': 'dk-sel-94', 'policy': 't', "    \
    "'year': 2025" head ", 'decisions': [{'from': '2025-01-01', 'to': '2025-01-31', "    \
    "'hours': [" line "]}]}"
#define TASK(task, amount) "{'kind': 'work', 'band': 'day', 'task': '" task "', " amount "}"

START_TEST(dk94_practical_monthly_and_hourly)
{
    run r = run_of(POL_94, CASE94("", TASK("practical", "'per_week': '8'")));
    /* practical -> dk94.step.practical = 11 (150 kr);
     * 8 x 52 x 31/365 = 12896/365 h x 150 = 5299.726027 -> 5299.73 */
    const bpa_line *l = LINE(r.g, BPA_LINE_WAGES, "2025-01-01", BPA_KIND_WORK, BPA_BAND_DAY, 11);
    EQ(l->amount, "5299.73");
    /* 8 h/week >= threshold 8: monthly paid */
    ck_assert_uint_eq(r.g->nemployment, 1);
    EQ(r.g->employment[0].hours_per_week, "8");
    EQ(r.g->employment[0].threshold, "8");
    ck_assert(r.g->employment[0].monthly_paid);
    /* the municipality's own budget: nothing to a recipient */
    ck_assert(!r.g->pays_recipient);
    EQ(MONTH(r.g, 2025, 1)->recipient, "0");
    run_free(&r);

    r = run_of(POL_94, CASE94("", TASK("practical", "'per_week': '7.5'")));
    /* 7.5 < 8: hourly paid; 7.5 x 52 x 31/365 = 2418/73 h x 150 = 4968.493151 -> 4968.49 */
    ck_assert(!r.g->employment[0].monthly_paid);
    EQ(r.g->employment[0].hours_per_week, "7.5");
    EQ(LINE(r.g, BPA_LINE_WAGES, "2025-01-01", BPA_KIND_WORK, BPA_BAND_DAY, 11)->amount,
       "4968.49");
    run_free(&r);

    /* a total line counts total x 7/D: 35 h over 31 days = 245/31 = 7.903 h/week < 8 */
    r = run_of(POL_94, CASE94("", TASK("practical", "'total': '35'")));
    EQ(r.g->employment[0].hours_per_week, "245/31");
    ck_assert(!r.g->employment[0].monthly_paid);
    run_free(&r);
}
END_TEST

START_TEST(dk94_personal_care)
{
    bpa_error err;
    bpa_status st = run_fail(POL_94, CASE94("", TASK("personal_care", "'per_week': '8'")), &err);
    ck_assert_int_eq(st, BPA_E_INPUT);
    HAS(err.message, "educated");
    ck_assert_str_eq(err.path, "$.decisions[0].hours[0]");

    run r = run_of(POL_94, CASE94(", 'educated': true", TASK("personal_care", "'per_week': '8'")));
    /* personal care -> step 18 (170 kr); 12896/365 h x 170 = 6006.356164 -> 6006.36 */
    EQ(LINE(r.g, BPA_LINE_WAGES, "2025-01-01", BPA_KIND_WORK, BPA_BAND_DAY, 18)->amount,
       "6006.36");
    run_free(&r);
}
END_TEST

/* ---- (p) a required parameter before its first value ------------------------------------ */

START_TEST(required_before_first_value)
{
    bpa_error err;
    bpa_status st = run_fail(PL("wage.hourly.11", E("2025-03-01", "'150'")),
                             CASE96(CITIZEN, DEC("2025-01-01", "2025-12-31", "",
                                                 WORK("day", 11, "37"))),
                             &err);
    ck_assert_int_eq(st, BPA_E_POLICY);
    HAS(err.message, "wage.hourly.11");
    HAS(err.message, "2025-01-01");
    ck_assert_str_eq(err.path, "wage.hourly.11");
}
END_TEST

/* ---- (q) rounding.mode half_even ---------------------------------------------------------- */

#define CASE_Q                                                                           \
    CASE96(CITIZEN, DEC("2025-01-01", "2025-01-01", "",                                  \
                        "{'kind': 'work', 'band': 'day', 'step': 11, 'total': '0.5'}"))

START_TEST(rounding_half_even_tie)
{
    /* 0.5 h x 1/1 day x 100.05 = 50.025 exactly: a tie at the third decimal */
    run r = run_of(P("wage.hourly.11", "'100.05'"), CASE_Q);
    const bpa_line *l = LINE(r.g, BPA_LINE_WAGES, "2025-01-01", BPA_KIND_WORK, BPA_BAND_DAY, 11);
    EQ(l->exact, "50.025");
    EQ(l->amount, "50.03"); /* half away from zero */
    run_free(&r);
    r = run_of(P("wage.hourly.11", "'100.05'") ", " P("rounding.mode", "'half_even'"), CASE_Q);
    l = LINE(r.g, BPA_LINE_WAGES, "2025-01-01", BPA_KIND_WORK, BPA_BAND_DAY, 11);
    EQ(l->exact, "50.025");
    EQ(l->amount, "50.02"); /* half even: 2 is even */
    EQ(r.g->total_wages, "50.02");
    run_free(&r);
}
END_TEST

/* ---- the Aarhus tariff tables (FACTS.md) -------------------------------------------------- */

/* 54 amounts: per row the 6 printed figures (hourly, on-call 75 %, evening 30 %,
 * night 35 %, Saturday 30 %, Sunday 50 %) and 3 derived full hourly rates,
 * hourly + supplement for evening, night and Sunday (6 x 9 = 54). The Saturday
 * full rate equals the evening one (both 30 %) and is checked as well.
 *
 * The wage is given unrounded, {"annual": A, "norm_hours": "1924"}, with A found
 * (Python fractions) so that A/1924 rounds to the published hourly wage and
 * round(W x 0.75 / 0.30 / 0.35 / 0.50), half up, gives every published figure.
 * The two one-øre cases of FACTS.md come out right this way, because the
 * engine applies percentages and the on-call fraction to the unrounded W:
 *   2021-04 step 12: W = 262807/1924 = 136.594075, x 0.75 = 102.445556 -> 102.45
 *                    (from the rounded 136.59: 102.4425 -> 102.44);
 *   2021-04 step 13: W = 267375/1924 = 138.968295, x 0.50 = 69.484148 -> 69.48
 *                    (from the rounded 138.97: 69.485 -> 69.49).
 * 2020-10 step 13 uses 137.60 (the page prints 136.60; every derived amount
 * fits 137.60). */
typedef struct aarhus_row {
    int year, step;
    const char *annual;
    const char *hourly, *on_call, *evening, *night, *saturday, *sunday;
    const char *t_evening, *t_night, *t_sunday;
} aarhus_row;

static const aarhus_row aarhus[] = {
    /* W = 255817/1924 = 132.961019; x0.75 = 99.720764; x0.30 = 39.888306;
     * x0.35 = 46.536357; x0.50 = 66.480509; totals 132.96 + 39.89 / 46.54 / 66.48 */
    {2020, 11, "255817", "132.96", "99.72", "39.89", "46.54", "39.89", "66.48", "172.85",
     "179.50", "199.44"},
    /* W = 260200/1924 = 135.239085; x0.75 = 101.429314; x0.30 = 40.571726;
     * x0.35 = 47.333680; x0.50 = 67.619543 */
    {2020, 12, "260200", "135.24", "101.43", "40.57", "47.33", "40.57", "67.62", "175.81",
     "182.57", "202.86"},
    /* W = 264743/1924 = 137.600312; x0.75 = 103.200234; x0.30 = 41.280094;
     * x0.35 = 48.160109; x0.50 = 68.800156 */
    {2020, 13, "264743", "137.60", "103.20", "41.28", "48.16", "41.28", "68.80", "178.88",
     "185.76", "206.40"},
    /* W = 258379/1924 = 134.292620; x0.75 = 100.719465; x0.30 = 40.287786;
     * x0.35 = 47.002417; x0.50 = 67.146310 */
    {2021, 11, "258379", "134.29", "100.72", "40.29", "47.00", "40.29", "67.15", "174.58",
     "181.29", "201.44"},
    /* W = 262807/1924 = 136.594075; x0.75 = 102.445556; x0.30 = 40.978222;
     * x0.35 = 47.807926; x0.50 = 68.297037 */
    {2021, 12, "262807", "136.59", "102.45", "40.98", "47.81", "40.98", "68.30", "177.57",
     "184.40", "204.89"},
    /* W = 267375/1924 = 138.968295; x0.75 = 104.226221; x0.30 = 41.690489;
     * x0.35 = 48.638903; x0.50 = 69.484148 */
    {2021, 13, "267375", "138.97", "104.23", "41.69", "48.64", "41.69", "69.48", "180.66",
     "187.61", "208.45"},
};

#define AW(a) "{'annual': '" a "', 'norm_hours': '1924'}"
#define POL_AARHUS                                                                       \
    PL("wage.hourly.11", E("2020-10-01", AW("255817")) ", " E("2021-04-01", AW("258379"))) ", " \
    PL("wage.hourly.12", E("2020-10-01", AW("260200")) ", " E("2021-04-01", AW("262807"))) ", " \
    PL("wage.hourly.13", E("2020-10-01", AW("264743")) ", " E("2021-04-01", AW("267375"))) ", " \
    P("supplement.evening", "{'pct': '30'}") ", " P("supplement.night", "{'pct': '35'}") ", "  \
    P("supplement.saturday", "{'pct': '30'}") ", "                                       \
    P("supplement.sunday_holiday", "{'pct': '50'}") ", " P("on_call.fraction", "'0.75'")
#define AARHUS_STEP(s)                                                                   \
    WORK("day", s, "1") ", " WORK("evening", s, "1") ", " WORK("night", s, "1") ", "     \
    WORK("saturday", s, "1") ", " WORK("sunday_holiday", s, "1") ", " ONCALL(s, "1")
#define CASE_AARHUS(year, from, to)                                                      \
    "{'format': 'bpa-case/1', 'case': 'AAR', 'scheme': 'dk-sel-96', 'policy': 't', "     \
    "'year': " year ", " CITIZEN ", 'decisions': [{'from': '" from "', 'to': '" to "', " \
    "'hours': [" AARHUS_STEP(11) ", " AARHUS_STEP(12) ", " AARHUS_STEP(13) "]}]}"

START_TEST(aarhus_tariffs)
{
    run r2020 = run_of(POL_AARHUS, CASE_AARHUS("2020", "2020-10-01", "2020-10-31"));
    run r2021 = run_of(POL_AARHUS, CASE_AARHUS("2021", "2021-04-01", "2021-04-30"));
    int checked = 0;
    for (size_t i = 0; i < sizeof aarhus / sizeof aarhus[0]; i++) {
        const aarhus_row *a = &aarhus[i];
        const bpa_grant *g = a->year == 2020 ? r2020.g : r2021.g;
        const char *day = a->year == 2020 ? "2020-10-15" : "2021-04-15";
        int s = a->step;
        char want_w[32];
        snprintf(want_w, sizeof want_w, "%s/1924", a->annual);
        const bpa_rate *rt = RATE(g, BPA_KIND_WORK, BPA_BAND_DAY, s, day);
        EQ(rt->wage, want_w);
        EQ(rt->base, a->hourly);
        EQ(rt->hourly, a->hourly);
        checked++;
        rt = RATE(g, BPA_KIND_ON_CALL, BPA_BAND_ANY, s, day);
        EQ(rt->base, a->on_call); /* W x 0.75, R1 */
        EQ(rt->supplement, "0");
        EQ(rt->hourly, a->on_call);
        checked++;
        static const bpa_band bands[4] = {BPA_BAND_EVENING, BPA_BAND_NIGHT, BPA_BAND_SATURDAY,
                                          BPA_BAND_SUNDAY_HOLIDAY};
        const char *supp[4] = {a->evening, a->night, a->saturday, a->sunday};
        const char *total[4] = {a->t_evening, a->t_night, a->t_evening, a->t_sunday};
        for (int b = 0; b < 4; b++) {
            rt = RATE(g, BPA_KIND_WORK, bands[b], s, day);
            EQ(rt->base, a->hourly);
            EQ(rt->supplement, supp[b]);
            checked++;
            EQ(rt->hourly, total[b]);
            if (bands[b] != BPA_BAND_SATURDAY)
                checked++;
        }
    }
    ck_assert_int_eq(checked, 54);
    run_free(&r2020);
    run_free(&r2021);
}
END_TEST

/* ---- invariants on random inputs ------------------------------------------------------------ */

static uint64_t lcg = 0x2545F4914F6CDD1DULL;
static uint32_t rnd(uint32_t n)
{
    lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)((lcg >> 33) % n);
}

typedef struct sb {
    char *s;
    size_t n, cap;
} sb;

static void sb_add(sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(sb *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        size_t room = b->cap - b->n;
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? room : 0, fmt, ap);
        va_end(ap);
        ck_assert(k >= 0);
        if (b->s && (size_t)k < room) {
            b->n += (size_t)k;
            return;
        }
        size_t nc = b->cap ? b->cap * 2 : 1024;
        while (nc < b->n + (size_t)k + 1)
            nc *= 2;
        b->s = realloc(b->s, nc);
        ck_assert_ptr_nonnull(b->s);
        b->cap = nc;
    }
}

static const char *date_text(int offset, char buf[11])
{
    bpa_date_format(bpa_date_make(2025, 1, 1) + offset, buf);
    return buf;
}

/* A policy with mid-month changes of the wage, rounding mode and cap, add-ons,
 * administration and index (used by every invariant). */
#define POL_INV                                                                          \
    PL("wage.hourly.11", E("2025-01-01", AW("258379")) ", " E("2025-04-16", "'140.13'")) ", " \
    PL("wage.hourly.12", E("2025-01-01", "'136.59'") ", " E("2025-09-09", "'141.07'")) ", "   \
    P("supplement.evening", "{'pct': '30'}") ", " P("supplement.night", "{'pct': '35'}") ", "  \
    P("supplement.saturday", "{'kr': '44.51'}") ", "                                     \
    P("supplement.sunday_holiday", "{'pct': '50'}") ", " P("on_call.fraction", "'3/4'") ", "   \
    P("addons", "[{'name': 'pension', 'pct': '13', 'base': 'wage'}, "                    \
                "{'name': 'holiday', 'pct': '12.5', 'base': 'wage_and_supplement'}, "    \
                "{'name': 'atp', 'kr_per_hour': '1.42'}, "                               \
                "{'name': 'aub', 'kr_per_helper_year': '3149'}]") ", "                   \
    P("admin.transferred.per_hour", "{'amount': '5.45', 'level': 2015}") ", "            \
    P("admin.payroll.per_helper_year", "{'amount': '2030', 'level': 2015}") ", "         \
    P("index.series", "{'2015': '100', '2025': '131'}") ", "                             \
    PL("hourly_cap", E("2025-06-01", "'230'")) ", "                                      \
    PL("rounding.mode", E("2000-01-01", "'half_away_from_zero'") ", "                    \
                        E("2025-11-12", "'half_even'"))

static const char *const band_names[5] = {"day", "evening", "night", "saturday",
                                          "sunday_holiday"};

/* One random hours line; amounts in hundredths times `mult`. */
static void random_line(sb *b, bool per_week_only, unsigned mult)
{
    bool on_call = rnd(5) == 0;
    int step = rnd(2) ? 11 : 12;
    bool per_week = per_week_only || rnd(10) < 7;
    uint32_t h = per_week ? rnd(6001) : rnd(50001);
    h *= mult;
    if (on_call)
        sb_add(b, "{'kind': 'on_call', 'step': %d, ", step);
    else
        sb_add(b, "{'kind': 'work', 'band': '%s', 'step': %d, ", band_names[rnd(5)], step);
    sb_add(b, "'%s': '%u.%02u'}", per_week ? "per_week" : "total", h / 100, h % 100);
}

/* A random case. Draws the same random numbers whatever `mult` is, so that
 * with the same seed mult = 2 gives the same case with every hour doubled. */
static char *random_case(unsigned mult, bool with_trip)
{
    static const char *const employers[] = {
        "'employer': 'citizen'", "'employer': 'payroll_association'",
        "'employer': 'municipality_payroll'",
        "'employer': 'transferred', 'transferred_to': 'relative'",
        "'employer': 'transferred', 'transferred_to': 'association'",
        "'employer': 'transferred', 'transferred_to': 'company'"};
    sb b = {0};
    sb_add(&b, "{'format': 'bpa-case/1', 'case': 'R', 'scheme': 'dk-sel-96', 'policy': 't', "
               "'year': 2025, %s, 'helpers': %u, 'decisions': [",
           employers[rnd(6)], 1 + rnd(6));
    int start = 0, ndec = 1 + (int)rnd(3);
    int first_from = 0, first_to = 0;
    for (int k = 0; k < ndec && start <= 364; k++) {
        int from = start + (int)rnd(20);
        if (from > 364)
            from = 364;
        int to = from + (int)rnd(200);
        if (to > 364)
            to = 364;
        if (k == 0) {
            first_from = from;
            first_to = to;
        }
        char f[11], t[11];
        sb_add(&b, "%s{'from': '%s', 'to': '%s'", k ? ", " : "", date_text(from, f),
               date_text(to, t));
        if (rnd(2)) {
            uint32_t a = rnd(100001);
            sb_add(&b, ", 'allowance_monthly': '%u.%02u'", a / 100, a % 100);
        }
        if (rnd(4) == 0)
            sb_add(&b, ", 'helpers': %u", 1 + rnd(4));
        sb_add(&b, ", 'hours': [");
        int nl = 1 + (int)rnd(4);
        for (int i = 0; i < nl; i++) {
            if (i)
                sb_add(&b, ", ");
            random_line(&b, false, mult);
        }
        sb_add(&b, "]}");
        start = to + 1;
    }
    sb_add(&b, "]");
    uint32_t want_trip = rnd(2);
    if (with_trip && want_trip) {
        int from = first_from + (int)rnd((uint32_t)(first_to - first_from + 1));
        int days = 1 + (int)rnd((uint32_t)(first_to - from + 1 < 10 ? first_to - from + 1 : 10));
        uint32_t h = rnd(1201) * mult; /* at most 12.00 h, doubled at most 24 */
        char f[11];
        if (rnd(2))
            sb_add(&b, ", 'trips': [{'type': 'vacation', 'from': '%s', 'days': %d, "
                       "'extra_hours_per_day': '%u.%02u', 'kind': 'on_call', 'step': 11}]",
                   date_text(from, f), days, h / 100, h % 100);
        else
            sb_add(&b, ", 'trips': [{'type': 'weekend', 'from': '%s', 'days': %d, "
                       "'extra_hours_per_day': '%u.%02u', 'kind': 'work', 'band': 'night', "
                       "'step': 12}]",
                   date_text(from, f), days, h / 100, h % 100);
    }
    sb_add(&b, "}");
    return b.s;
}

static bpa_grant *grant_of(const bpa_policy *p, const char *case_sq, bpa_case **c)
{
    *c = kase(case_sq);
    bpa_grant *g = NULL;
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status st = bpa_grant_compute(&g, *c, p, &err);
    char buf[1200];
    ck_assert_msg(st == BPA_OK, "grant failed: %s\ncase: %s",
                  bpa_error_format(&err, buf, sizeof buf), case_sq);
    return g;
}

START_TEST(invariant_months_sum_to_totals)
{
    bpa_policy *p = policy(POL_INV);
    lcg = 20250101;
    mpq_t w, a, al, pc, lw, la, lal, lpc, x;
    mpq_inits(w, a, al, pc, lw, la, lal, lpc, x, NULL);
    for (int it = 0; it < 200; it++) {
        char *text = random_case(1, true);
        bpa_case *c;
        bpa_grant *g = grant_of(p, text, &c);
        mpq_set_ui(w, 0, 1);
        mpq_set_ui(a, 0, 1);
        mpq_set_ui(al, 0, 1);
        mpq_set_ui(pc, 0, 1);
        for (size_t i = 0; i < g->nmonths; i++) {
            const bpa_month *m = &g->months[i];
            mpq_add(w, w, m->wages);
            mpq_add(a, a, m->admin);
            mpq_add(al, al, m->allowance);
            mpq_add(pc, pc, m->payroll_admin_cap);
            /* recipient = wages + admin when money goes to a recipient, else 0 */
            mpq_add(x, m->wages, m->admin);
            if (g->pays_recipient)
                ck_assert_msg(mpq_equal(m->recipient, x), "iteration %d: recipient", it);
            else
                ck_assert_msg(mpq_sgn(m->recipient) == 0, "iteration %d: recipient", it);
        }
        ck_assert_msg(mpq_equal(w, g->total_wages), "iteration %d: wages\n%s", it, text);
        ck_assert_msg(mpq_equal(a, g->total_admin), "iteration %d: admin\n%s", it, text);
        ck_assert_msg(mpq_equal(al, g->total_allowance), "iteration %d: allowance\n%s", it, text);
        ck_assert_msg(mpq_equal(pc, g->total_payroll_admin_cap), "iteration %d: payroll\n%s", it,
                      text);
        mpq_add(x, g->total_wages, g->total_admin);
        mpq_add(x, x, g->total_allowance);
        ck_assert_msg(mpq_equal(x, g->total_grant), "iteration %d: grant", it);
        /* and the lines add up to the same totals, each a whole number of øre */
        mpq_set_ui(lw, 0, 1);
        mpq_set_ui(la, 0, 1);
        mpq_set_ui(lal, 0, 1);
        mpq_set_ui(lpc, 0, 1);
        for (size_t i = 0; i < g->nlines; i++) {
            const bpa_line *l = &g->lines[i];
            ck_assert_msg(bpa_is_exact_at(l->amount, 2), "iteration %d: line %zu not in øre", it,
                          i);
            switch (l->rule) {
            case BPA_LINE_WAGES:
            case BPA_LINE_PER_HELPER:
            case BPA_LINE_HOURLY_CAP_REDUCTION:
                mpq_add(lw, lw, l->amount);
                break;
            case BPA_LINE_ADMIN:
                mpq_add(la, la, l->amount);
                break;
            case BPA_LINE_ALLOWANCE:
                mpq_add(lal, lal, l->amount);
                break;
            case BPA_LINE_PAYROLL_ADMIN_CAP:
                mpq_add(lpc, lpc, l->amount);
                break;
            }
        }
        ck_assert(mpq_equal(lw, g->total_wages) && mpq_equal(la, g->total_admin) &&
                  mpq_equal(lal, g->total_allowance) && mpq_equal(lpc, g->total_payroll_admin_cap));
        bpa_grant_free(g);
        bpa_case_free(c);
        free(text);
    }
    mpq_clears(w, a, al, pc, lw, la, lal, lpc, x, NULL);
    bpa_policy_free(p);
}
END_TEST

/* Hours of every category summed over the year's wage lines. */
typedef struct cat_hours {
    bpa_category cat[64];
    mpq_t hours[64];
    size_t n;
} cat_hours;

static void cat_hours_of(const bpa_grant *g, cat_hours *ch)
{
    ch->n = 0;
    for (size_t i = 0; i < g->nlines; i++) {
        const bpa_line *l = &g->lines[i];
        if (l->rule != BPA_LINE_WAGES)
            continue;
        size_t k = 0;
        while (k < ch->n && !bpa_category_equal(&ch->cat[k], &l->category))
            k++;
        if (k == ch->n) {
            ck_assert(ch->n < 64);
            ch->cat[k] = l->category;
            mpq_init(ch->hours[k]);
            ch->n++;
        }
        mpq_add(ch->hours[k], ch->hours[k], l->hours);
    }
}

static void cat_hours_clear(cat_hours *ch)
{
    for (size_t k = 0; k < ch->n; k++)
        mpq_clear(ch->hours[k]);
    ch->n = 0;
}

START_TEST(invariant_split_keeps_hours)
{
    bpa_policy *pols[2] = {policy(POL_INV), policy(POL_INV ", " P("hours.basis", "'calendar'"))};
    lcg = 777;
    for (int it = 0; it < 200; it++) {
        int from = (int)rnd(364);
        int to = from + 1 + (int)rnd((uint32_t)(364 - from));
        int split = from + 1 + (int)rnd((uint32_t)(to - from)); /* in (from, to] */
        sb lines = {0};
        int nl = 1 + (int)rnd(4);
        for (int i = 0; i < nl; i++) {
            if (i)
                sb_add(&lines, ", ");
            random_line(&lines, true, 1);
        }
        char f[11], t[11], s[11], s1[11];
        sb one = {0}, two = {0};
        const char *head = "{'format': 'bpa-case/1', 'case': 'S', 'scheme': 'dk-sel-96', "
                           "'policy': 't', 'year': 2025, 'employer': 'citizen', 'helpers': 1, "
                           "'decisions': [";
        sb_add(&one, "%s{'from': '%s', 'to': '%s', 'hours': [%s]}]}", head, date_text(from, f),
               date_text(to, t), lines.s);
        sb_add(&two,
               "%s{'from': '%s', 'to': '%s', 'hours': [%s]}, "
               "{'from': '%s', 'to': '%s', 'hours': [%s]}]}",
               head, date_text(from, f), date_text(split - 1, s1), lines.s, date_text(split, s),
               date_text(to, t), lines.s);
        const bpa_policy *p = pols[it % 2];
        bpa_case *c1, *c2;
        bpa_grant *g1 = grant_of(p, one.s, &c1), *g2 = grant_of(p, two.s, &c2);
        cat_hours h1, h2;
        cat_hours_of(g1, &h1);
        cat_hours_of(g2, &h2);
        ck_assert_msg(h1.n == h2.n, "iteration %d: categories differ", it);
        for (size_t k = 0; k < h1.n; k++) {
            size_t j = 0;
            while (j < h2.n && !bpa_category_equal(&h1.cat[k], &h2.cat[j]))
                j++;
            ck_assert_msg(j < h2.n, "iteration %d: category missing after split", it);
            ck_assert_msg(mpq_equal(h1.hours[k], h2.hours[j]),
                          "iteration %d: hours of a category changed by a split at %s\n%s", it,
                          s, one.s);
        }
        ck_assert(mpq_equal(g1->total_hours, g2->total_hours));
        cat_hours_clear(&h1);
        cat_hours_clear(&h2);
        bpa_grant_free(g1);
        bpa_grant_free(g2);
        bpa_case_free(c1);
        bpa_case_free(c2);
        free(lines.s);
        free(one.s);
        free(two.s);
    }
    bpa_policy_free(pols[0]);
    bpa_policy_free(pols[1]);
}
END_TEST

START_TEST(invariant_doubling_hours)
{
    bpa_policy *p = policy(POL_INV);
    mpq_t twice;
    mpq_init(twice);
    for (int it = 0; it < 200; it++) {
        uint64_t seed = 99991u + (uint64_t)it * 7919u;
        lcg = seed;
        char *t1 = random_case(1, true);
        lcg = seed;
        char *t2 = random_case(2, true);
        bpa_case *c1, *c2;
        bpa_grant *g1 = grant_of(p, t1, &c1), *g2 = grant_of(p, t2, &c2);
        size_t i1 = 0, i2 = 0, pairs = 0;
        for (;;) {
            while (i1 < g1->nlines && g1->lines[i1].rule != BPA_LINE_WAGES)
                i1++;
            while (i2 < g2->nlines && g2->lines[i2].rule != BPA_LINE_WAGES)
                i2++;
            if (i1 == g1->nlines || i2 == g2->nlines)
                break;
            const bpa_line *a = &g1->lines[i1++], *b = &g2->lines[i2++];
            ck_assert_msg(a->from == b->from && bpa_category_equal(&a->category, &b->category),
                          "iteration %d: lines do not pair", it);
            mpq_add(twice, a->exact, a->exact);
            ck_assert_msg(mpq_equal(twice, b->exact),
                          "iteration %d: doubled hours did not double the exact wage line\n%s",
                          it, t1);
            mpq_add(twice, a->hours, a->hours);
            ck_assert(mpq_equal(twice, b->hours));
            pairs++;
        }
        ck_assert_msg(i1 == g1->nlines && i2 == g2->nlines, "iteration %d: line counts", it);
        ck_assert(pairs > 0);
        bpa_grant_free(g1);
        bpa_grant_free(g2);
        bpa_case_free(c1);
        bpa_case_free(c2);
        free(t1);
        free(t2);
    }
    mpq_clear(twice);
    bpa_policy_free(p);
}
END_TEST

/* ---- bad inputs ---------------------------------------------------------------------------- */

START_TEST(bad_required_parameter_missing)
{
    /* no wage.hourly.12 at all */
    bpa_error err;
    bpa_status st = run_fail(W150, CASE96(CITIZEN, DEC("2025-02-01", "2025-02-28", "",
                                                       WORK("day", 12, "37"))),
                             &err);
    ck_assert_int_eq(st, BPA_E_POLICY);
    HAS(err.message, "wage.hourly.12");
    HAS(err.message, "2025-02-01");
    ck_assert_str_eq(err.path, "wage.hourly.12");
    /* a transferred employer without admin.transferred.per_hour */
    st = run_fail(W150, CASE96("'employer': 'transferred', 'transferred_to': 'company', "
                               "'helpers': 1",
                               DEC("2025-02-01", "2025-02-28", "", WORK("day", 11, "37"))),
                  &err);
    ck_assert_int_eq(st, BPA_E_POLICY);
    HAS(err.message, "admin.transferred.per_hour");
    HAS(err.message, "2025-02-01");
}
END_TEST

START_TEST(bad_unknown_case_key)
{
    const char *text = "{'format': 'bpa-case/1', 'case': 'T', 'scheme': 'dk-sel-96',\n"
                       " 'policy': 't', 'year': 2025, 'employer': 'citizen', 'helpers': 1,\n"
                       " 'decisions': [\n"
                       "  {'from': '2025-01-01', 'to': '2025-01-31',\n"
                       "   'foo': 1, 'hours': []}]}";
    bpa_case *c = NULL;
    bpa_error err;
    bpa_status st = case_try(text, &c, &err);
    ck_assert_int_eq(st, BPA_E_INPUT);
    ck_assert_ptr_null(c);
    ck_assert_str_eq(err.path, "$.decisions[0].foo");
    HAS(err.message, "foo");
    ck_assert_uint_eq(err.line, 5); /* 'foo' stands on the fifth line */
    ck_assert(err.column >= 4 && err.column <= 11);
    ck_assert_str_eq(err.file, "case.json");
}
END_TEST

START_TEST(bad_fraction_number_in_money_field)
{
    bpa_case *c = NULL;
    bpa_error err;
    bpa_status st = case_try(CASE96(CITIZEN, DEC("2025-01-01", "2025-01-31", "",
                                                 "{'kind': 'work', 'band': 'day', 'step': 11, "
                                                 "'per_week': 37.5}")),
                             &c, &err);
    ck_assert_int_eq(st, BPA_E_INPUT);
    ck_assert_str_eq(err.path, "$.decisions[0].hours[0].per_week");
    HAS(err.message, "string");
    HAS(err.message, "\"37.5\"");
    ck_assert(err.line > 0 && err.column > 0);
}
END_TEST

START_TEST(bad_overlap_and_outside_year)
{
    bpa_case *c = NULL;
    bpa_error err;
    bpa_status st = case_try(CASE96(CITIZEN, DEC("2025-01-01", "2025-03-31", "",
                                                 WORK("day", 11, "37")) ", "
                                             DEC("2025-03-31", "2025-06-30", "",
                                                 WORK("day", 11, "37"))),
                             &c, &err);
    ck_assert_int_eq(st, BPA_E_INPUT);
    HAS(err.message, "overlap");
    ck_assert_ptr_null(c);
    st = case_try(CASE96(CITIZEN, DEC("2025-12-01", "2026-01-31", "", WORK("day", 11, "37"))), &c,
                  &err);
    ck_assert_int_eq(st, BPA_E_INPUT);
    HAS(err.message, "2025");
    ck_assert_str_eq(err.path, "$.decisions[0]");
    st = case_try(CASE96(CITIZEN, DEC("2024-12-01", "2024-12-31", "", WORK("day", 11, "37"))), &c,
                  &err);
    ck_assert_int_eq(st, BPA_E_INPUT);
}
END_TEST

START_TEST(bad_on_call_band_without_supplements)
{
    bpa_error err;
    bpa_status st = run_fail(W150 ", " P("on_call.fraction", "'0.75'"),
                             CASE96(CITIZEN, DEC("2025-01-01", "2025-01-31", "",
                                                 "{'kind': 'on_call', 'band': 'night', "
                                                 "'step': 11, 'per_week': '10'}")),
                             &err);
    ck_assert_int_eq(st, BPA_E_INPUT);
    ck_assert_str_eq(err.path, "$.decisions[0].hours[0]");
    HAS(err.message, "on_call.supplements");
    ck_assert(err.line > 0);
}
END_TEST

START_TEST(bad_scheme_not_in_policy)
{
    bpa_policy *p = NULL;
    bpa_error err;
    ck_assert_int_eq(policy_try(W150, &p, &err), BPA_OK);
    bpa_policy_free(p);
    /* a policy for dk-sel-95 only */
    const char *text = "{'format': 'bpa-policy/1', 'id': 'only95', 'country': 'DK', "
                       "'schemes': ['dk-sel-95'], 'references': {'r': 'x'}, 'params': {" W150 "}}";
    char *t = dq(text);
    ck_assert_int_eq(bpa_policy_load_mem(&p, "p95.json", t, strlen(t), &err), BPA_OK);
    free(t);
    bpa_case *c = kase(CASE96(CITIZEN, DEC("2025-01-01", "2025-01-31", "", WORK("day", 11, "37"))));
    bpa_grant *g = NULL;
    ck_assert_int_eq(bpa_grant_compute(&g, c, p, &err), BPA_E_INPUT);
    HAS(err.message, "dk-sel-96");
    bpa_case_free(c);
    bpa_policy_free(p);
}
END_TEST

/* Issue: an on-call line names band evening because on_call.supplements is
 * true on some days of its decision (January-March); from April it is false,
 * and the line's category is on_call/any (RULES.md 12), which reads no
 * supplement. supplement.evening changes on 15 May: that change must not cut
 * May, since nothing read on those days changes. May is one segment:
 * 4 h/week x 52 x 31/365 = 6448/365 h at 150.00 x 0.75 = 112.50 is
 * 725400/365 = 1987.3972... -> 1987.40; cut on 15 May it would be
 * round(2912/365 x 112.50) + round(3536/365 x 112.50) = 897.53 + 1089.86 =
 * 1987.39. */
START_TEST(on_call_band_no_cut_while_supplements_off)
{
    run r = run_of(W150 ", " P("on_call.fraction", "'0.75'") ", "
                   PL("on_call.supplements", E("2025-01-01", "true") ", " E("2025-04-01", "false"))
                   ", " PL("supplement.evening", E("2025-01-01", "{'pct': '30'}") ", "
                          E("2025-05-15", "{'pct': '40'}")),
                   CASE96(CITIZEN, DEC("2025-01-01", "2025-06-30", "",
                                       "{'kind': 'on_call', 'band': 'evening', 'step': 11, "
                                       "'per_week': '4'}")));
    size_t may = 0;
    for (size_t i = 0; i < r.g->nsegments; i++)
        if (bpa_date_month(r.g->segments[i].from) == 5)
            may++;
    ck_assert_uint_eq(may, 1);
    const bpa_line *l = LINE(r.g, BPA_LINE_WAGES, "2025-05-01", BPA_KIND_ON_CALL, BPA_BAND_ANY, 11);
    EQ(l->hours, "6448/365");
    EQ(l->amount, "1987.40");
    EQ(MONTH(r.g, 2025, 5)->wages, "1987.40");
    /* in March, while supplements apply, the category has its band: 30 % on W
     * (150 x 0.30 = 45.00) beside the base 112.50 is 157.50 an hour */
    const bpa_line *mar =
        LINE(r.g, BPA_LINE_WAGES, "2025-03-01", BPA_KIND_ON_CALL, BPA_BAND_EVENING, 11);
    EQ(r.g->rates[mar->rate].hourly, "157.50");
    run_free(&r);
}
END_TEST

Suite *grant_suite(void);
Suite *grant_suite(void)
{
    Suite *s = suite_create("grant");
    TCase *rules = tcase_create("rules");
    tcase_add_test(rules, on_call_band_no_cut_while_supplements_off);
    tcase_add_test(rules, hours_basis_weeks52);
    tcase_add_test(rules, hours_basis_calendar);
    tcase_add_test(rules, full_year_twelve_months);
    tcase_add_test(rules, total_lines_by_days);
    tcase_add_test(rules, r1_rate_components_on);
    tcase_add_test(rules, r1_rate_components_off);
    tcase_add_test(rules, supplement_pct_on_w_and_kr);
    tcase_add_test(rules, on_call_without_supplements);
    tcase_add_test(rules, on_call_with_supplements);
    tcase_add_test(rules, addons_r2_and_per_helper);
    tcase_add_test(rules, admin_indexed_all_hours);
    tcase_add_test(rules, admin_work_hours_only);
    tcase_add_test(rules, payroll_admin_cap);
    tcase_add_test(rules, allowance_per_month);
    tcase_add_test(rules, allowance_per_decision_not_segment);
    tcase_add_test(rules, allowance_cap);
    tcase_add_test(rules, trips_add_hours_before_rounding);
    tcase_add_test(rules, trips_over_limit);
    tcase_add_test(rules, hourly_cap_reduction);
    tcase_add_test(rules, hourly_cap_override_and_not_exceeded);
    tcase_add_test(rules, mid_month_change_cuts);
    tcase_add_test(rules, equal_value_does_not_cut);
    tcase_add_test(rules, payment_forud_first_bank_day);
    tcase_add_test(rules, payment_last_weekday_before);
    tcase_add_test(rules, payment_bagud_association);
    tcase_add_test(rules, payment_municipality_payroll);
    tcase_add_test(rules, dk94_practical_monthly_and_hourly);
    tcase_add_test(rules, dk94_personal_care);
    tcase_add_test(rules, required_before_first_value);
    tcase_add_test(rules, rounding_half_even_tie);
    suite_add_tcase(s, rules);

    TCase *aarhus_tc = tcase_create("aarhus");
    tcase_add_test(aarhus_tc, aarhus_tariffs);
    suite_add_tcase(s, aarhus_tc);

    TCase *inv = tcase_create("invariants");
    tcase_set_timeout(inv, 120);
    tcase_add_test(inv, invariant_months_sum_to_totals);
    tcase_add_test(inv, invariant_split_keeps_hours);
    tcase_add_test(inv, invariant_doubling_hours);
    suite_add_tcase(s, inv);

    TCase *bad = tcase_create("bad_inputs");
    tcase_add_test(bad, bad_required_parameter_missing);
    tcase_add_test(bad, bad_unknown_case_key);
    tcase_add_test(bad, bad_fraction_number_in_money_field);
    tcase_add_test(bad, bad_overlap_and_outside_year);
    tcase_add_test(bad, bad_on_call_band_without_supplements);
    tcase_add_test(bad, bad_scheme_not_in_policy);
    suite_add_tcase(s, bad);
    return s;
}

BPA_TEST_MAIN(grant_suite)
