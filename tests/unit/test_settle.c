/* Unit tests of the annual settlement (src/settle.c, src/usage.c,
 * src/timesheet.c; RULES.md sections 8.1, 8.2, 11, 12).
 *
 * Policies, cases and usage files are inline JSON written with single quotes
 * (turned into double quotes before loading). Every expected figure was worked
 * out by hand (or with Python's fractions module as a calculator), never copied
 * from the program; the arithmetic stands next to each assertion. round() is
 * to 0.01, half away from zero. Most cases use one decision for March 2025
 * (31 days) with `total` lines, so that a line of `total` hours is exactly
 * that many hours in one segment and one wage line: round(hours x rate).
 *
 * Test policy: wage.hourly.11 = 150, so (R1, rate components rounded)
 *   work/day/11      150.00
 *   work/evening/11  150.00 + round(150 x 30/100 = 45) = 195.00
 *   on_call/any/11   round(150 x 0.75 = 112.5) = 112.50 (no supplements)
 * administration 5.00 per hour (amount 5 at level 2025, index 2025 = 100),
 * payroll administration cap 2000 per helper-year (level 2025).
 * settlement.account_due 03-01, settlement.carry_over_max_pct 10. */
#include "bpa/case.h"
#include "bpa/date.h"
#include "bpa/grant.h"
#include "bpa/num.h"
#include "bpa/policy.h"
#include "bpa/settle.h"
#include "bpa/usage.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

/* ---- JSON text ---------------------------------------------------------------- */

#define POL_HEAD                                                                         \
    "{'format': 'bpa-policy/1', 'id': 't', 'title': 'test policy', 'country': 'DK', "    \
    "'schemes': ['dk-sel-94', 'dk-sel-95', 'dk-sel-96'], "                               \
    "'references': {'r': 'test figures, not published'}, 'params': {"
#define P(name, val) "'" name "': [{'from': '2000-01-01', 'value': " val ", 'ref': 'r'}]"

#define WINDOWS                                                                          \
    "{'evening': [{'days': ['mon', 'tue', 'wed', 'thu', 'fri'], 'from': '17:00', 'to': "  \
    "'23:00'}], 'night': [{'days': ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', "    \
    "'holiday'], 'from': '00:00', 'to': '06:00'}, {'days': ['mon', 'tue', 'wed', 'thu', " \
    "'fri', 'sat', 'sun', 'holiday'], 'from': '23:00', 'to': '24:00'}], 'saturday': "     \
    "[{'days': ['sat'], 'from': '06:00', 'to': '23:00'}], 'sunday_holiday': [{'days': "   \
    "['sun', 'holiday'], 'from': '00:00', 'to': '24:00'}]}"

#define BASE_PARAMS                                                                      \
    P("wage.hourly.11", "'150'") ", " P("supplement.evening", "{'pct': '30'}") ", "      \
    P("supplement.night", "{'pct': '35'}") ", "                                          \
    P("supplement.saturday", "{'pct': '30'}") ", "                                       \
    P("supplement.sunday_holiday", "{'pct': '50'}") ", "                                 \
    P("on_call.fraction", "'0.75'") ", " P("index.series", "{'2025': '100'}") ", "       \
    P("admin.transferred.per_hour", "{'amount': '5', 'level': 2025}") ", "               \
    P("admin.payroll.per_helper_year", "{'amount': '2000', 'level': 2025}") ", "         \
    P("settlement.account_due", "'03-01'") ", "                                          \
    P("settlement.carry_over_max_pct", "'10'") ", " P("band.windows", WINDOWS)

#define POOLS(mode) ", " P("settlement.pools", "'" mode "'")
#define CAP(v) ", " P("hourly_cap", "'" v "'")

#define CASE96(head, decisions)                                                          \
    "{'format': 'bpa-case/1', 'case': 'T-1', 'scheme': 'dk-sel-96', 'policy': 't', "     \
    "'year': 2025, " head ", 'decisions': [" decisions "]}"
#define CITIZEN "'employer': 'citizen', 'helpers': 1"
#define TRANSFERRED "'employer': 'transferred', 'transferred_to': 'association', 'helpers': 2"
#define PAYROLL "'employer': 'payroll_association', 'helpers': 2"
#define MARCH(extra, hours) "{'from': '2025-03-01', 'to': '2025-03-31'" extra ", 'hours': [" hours "]}"
#define WTOT(band, t) "{'kind': 'work', 'band': '" band "', 'step': 11, 'total': '" t "'}"
#define OTOT(t) "{'kind': 'on_call', 'step': 11, 'total': '" t "'}"

#define USAGE(body) "{'format': 'bpa-usage/1', 'case': 'T-1', 'year': 2025" body "}"
#define USED(month, kind_band, h)                                                        \
    "{'month': '" month "', " kind_band ", 'step': 11, 'hours': '" h "'}"
#define KB_DAY "'kind': 'work', 'band': 'day'"
#define KB_EVE "'kind': 'work', 'band': 'evening'"
#define KB_NIGHT "'kind': 'work', 'band': 'night'"
#define KB_OC "'kind': 'on_call'"
#define PAY(date, amount, what) "{'date': '" date "', 'amount': '" amount "', 'for': '" what "'}"

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

static bpa_policy *policy(const char *params)
{
    size_t n = strlen(POL_HEAD) + strlen(params) + 4;
    char *sq = malloc(n);
    ck_assert_ptr_nonnull(sq);
    snprintf(sq, n, "%s%s}}", POL_HEAD, params);
    char *text = dq(sq);
    free(sq);
    bpa_policy *p = NULL;
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status st = bpa_policy_load_mem(&p, "policy.json", text, strlen(text), &err);
    free(text);
    char buf[1200];
    ck_assert_msg(st == BPA_OK, "policy did not load: %s", bpa_error_format(&err, buf, sizeof buf));
    return p;
}

static bpa_case *kase(const char *sq)
{
    char *text = dq(sq);
    bpa_case *c = NULL;
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status st = bpa_case_load_mem(&c, "case.json", text, strlen(text), &err);
    free(text);
    char buf[1200];
    ck_assert_msg(st == BPA_OK, "case did not load: %s", bpa_error_format(&err, buf, sizeof buf));
    return c;
}

static bpa_usage *usage_named(const char *name, const char *sq)
{
    char *text = dq(sq);
    bpa_usage *u = NULL;
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status st = bpa_usage_load_mem(&u, name, text, strlen(text), &err);
    free(text);
    char buf[1200];
    ck_assert_msg(st == BPA_OK, "usage did not load: %s", bpa_error_format(&err, buf, sizeof buf));
    return u;
}

typedef struct world {
    bpa_policy *p;
    bpa_case *c;
    bpa_grant *g;
    bpa_usage *u;
    bpa_settlement *s;
} world;

/* Load everything, compute the grant (must succeed) and try the settlement. */
static bpa_status settle_try(world *w, const char *params, const char *case_sq,
                             const char *usage_name, const char *usage_sq, bpa_error *err)
{
    memset(w, 0, sizeof *w);
    w->p = policy(params);
    w->c = kase(case_sq);
    bpa_error_clear(err);
    bpa_status st = bpa_grant_compute(&w->g, w->c, w->p, err);
    char buf[1200];
    ck_assert_msg(st == BPA_OK, "grant failed: %s", bpa_error_format(err, buf, sizeof buf));
    w->u = usage_named(usage_name, usage_sq);
    bpa_error_clear(err);
    return bpa_settle_compute(&w->s, w->g, w->u, err);
}

static world settled(const char *params, const char *case_sq, const char *usage_sq)
{
    world w;
    bpa_error err;
    bpa_status st = settle_try(&w, params, case_sq, "usage.json", usage_sq, &err);
    char buf[1200];
    ck_assert_msg(st == BPA_OK, "settlement failed: %s", bpa_error_format(&err, buf, sizeof buf));
    return w;
}

static void world_free(world *w)
{
    bpa_settle_free(w->s);
    bpa_usage_free(w->u);
    bpa_grant_free(w->g);
    bpa_case_free(w->c);
    bpa_policy_free(w->p);
}

/* The settlement must fail with status `want` and a message containing `sub`. */
#define FAILS(params, case_sq, usage_sq, want, sub)                                      \
    fails_at((params), (case_sq), (usage_sq), (want), (sub), __LINE__)
static void fails_at(const char *params, const char *case_sq, const char *usage_sq,
                     bpa_status want, const char *sub, int line)
{
    world w;
    bpa_error err;
    bpa_status st = settle_try(&w, params, case_sq, "usage.json", usage_sq, &err);
    char buf[1200];
    bpa_error_format(&err, buf, sizeof buf);
    ck_assert_msg(st == want, "line %d: status %d, expected %d (%s)", line, (int)st, (int)want,
                  buf);
    ck_assert_ptr_null(w.s);
    ck_assert_msg(strstr(buf, sub) != NULL, "line %d: message \"%s\" lacks \"%s\"", line, buf,
                  sub);
    world_free(&w);
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

#define DATE_EQ(d, want) date_eq_at((d), (want), __LINE__)
static void date_eq_at(bpa_date d, const char *want, int line)
{
    char got[11];
    bpa_date_format(d, got);
    ck_assert_msg(strcmp(got, want) == 0, "line %d: date %s, expected %s", line, got, want);
}

static const bpa_settle_pool *pool(const bpa_settlement *s, const char *name)
{
    for (size_t i = 0; i < s->npools; i++)
        if (strcmp(s->pools[i].name, name) == 0)
            return &s->pools[i];
    ck_abort_msg("no pool %s", name);
    return NULL;
}

static const bpa_settle_category *category(const bpa_settlement *s, bpa_kind kind, bpa_band band)
{
    for (size_t i = 0; i < s->ncategories; i++) {
        const bpa_category *c = &s->categories[i].category;
        if (c->kind == kind && c->band == band && c->step == 11)
            return &s->categories[i];
    }
    ck_abort_msg("no category %s/%s/11", bpa_kind_name(kind), bpa_band_name(band));
    return NULL;
}

static bool whole_ore(const mpq_t x)
{
    mpq_t h;
    mpq_init(h);
    mpq_set_ui(h, 100, 1);
    mpq_mul(h, h, x);
    bool whole = mpz_cmp_ui(mpq_denref(h), 1) == 0;
    mpq_clear(h);
    return whole;
}

/* ---- (a) each balance line by hand ------------------------------------------- */

/* Employer role transferred to an association: lines 1, 2, 4 and 5.
 *
 * Grant, March (one segment of 31 days, helpers 2):
 *   work/day      100 h x 150.00 = 15000.00
 *   work/evening   40 h x 195.00 =  7800.00
 *   on_call/any    60 h x 112.50 =  6750.00      wages 29550.00
 *   administration: all 200 h x 5.00 = 1000.00  (admin.transferred.hours "all")
 *   recipient (association, bagud) 29550.00 + 1000.00 = 30550.00
 * Usage: carried in 10 h work/day worth 1500.00; used day 90, evening 45,
 * on-call 50 (185 h); grant payments 30000.00; carry-over 5 h (pool "all");
 * actual wage costs 25000.00.
 * Pool "all": G = 200 + 10 = 210 h, U = 185 h, V = 29550.00 + 1500.00 = 31050.00,
 *   a = 31050/210 = 1035/7 = 147.857143
 *   unused 25 h: round(25 x 1035/7 = 3696.428571) = 3696.43
 *   carry-over 5 h (limit 10 % x 200 = 20 h): round(5 x 1035/7 = 739.285714) = 739.29
 * 1. unused hours   3696.43 - 739.29                                  = 2957.14
 * 2. administration round((210 - 185 - 5) x 1000.00 / 210 = 95.238095) = 95.24
 * 3. payroll administration: not this employer                         =    0.00
 * 4. payments       30000.00 - 30550.00                               = -550.00
 * 5. actual costs   max(0, 31050.00 - 3696.43 + 0 - 25000.00)         = 2353.57
 * balance 2957.14 + 95.24 + 0.00 - 550.00 + 2353.57 = 4855.95: repay, by 2026-03-01. */
START_TEST(lines_transferred)
{
    world w = settled(BASE_PARAMS,
                      CASE96(TRANSFERRED, MARCH(, WTOT("day", "100") ", " WTOT("evening", "40")
                                                      ", " OTOT("60"))),
                      USAGE(", 'carry_in': [{'kind': 'work', 'band': 'day', 'step': 11, "
                            "'hours': '10', 'value': '1500.00'}], 'used': ["
                            USED("2025-03", KB_DAY, "90") ", " USED("2025-03", KB_EVE, "45")
                            ", " USED("2025-03", KB_OC, "50") "], 'payments': ["
                            PAY("2025-03-31", "30000.00", "grant") "], "
                            "'carry_over': [{'pool': 'all', 'hours': '5'}], "
                            "'actual_wage_costs': '25000.00'"));
    const bpa_settlement *s = w.s;
    ck_assert_int_eq(s->npools, 1);
    const bpa_settle_pool *p = pool(s, "all");
    EQ(p->granted, "210");
    EQ(p->used, "185");
    EQ(p->value, "31050");
    EQ(p->average, "1035/7");
    EQ(p->unused, "25");
    EQ(p->overused, "0");
    EQ(p->unused_value, "3696.43");
    EQ(p->carry_hours, "5");
    EQ(p->carry_value, "739.29");
    EQ(s->carry_max_hours, "20");
    EQ(s->admin_granted_hours, "210");
    EQ(s->admin_used_hours, "185");
    EQ(s->recipient_due, "30550.00");
    EQ(s->line_unused_hours, "2957.14");
    EQ(s->line_admin, "95.24");
    EQ(s->line_payroll_admin, "0");
    EQ(s->line_payments, "-550.00");
    EQ(s->line_actual_cost_cap, "2353.57");
    EQ(s->balance, "4855.95");
    ck_assert_int_eq(s->direction, BPA_REPAY);
    DATE_EQ(s->due_date, "2026-03-01");
    /* the day category: 100 granted + 10 carried in, 90 used */
    const bpa_settle_category *day = category(s, BPA_KIND_WORK, BPA_BAND_DAY);
    EQ(day->granted, "110");
    EQ(day->carried_in, "10");
    EQ(day->value, "16500");
    EQ(day->unused, "20");
    /* the evening category alone is overused by 5 h, but the one pool is not */
    const bpa_settle_category *eve = category(s, BPA_KIND_WORK, BPA_BAND_EVENING);
    EQ(eve->overused, "5");
    world_free(&w);
}
END_TEST

/* Payroll association (citizen employer, an association runs the payroll):
 * line 3, and overused hours that are the citizen's own cost.
 *
 * Grant, March, helpers 2: work/day 100 h x 150.00 = 15000.00 (to the citizen);
 * payroll administration cap round(2000 x 2 x 31/365 = 339.726027) = 339.73.
 * Usage: 110 h used; grant payments 15000.00; invoices 250.00 + 150.00 = 400.00;
 * payroll_admin payments 350.00; actual wage costs 16000.00.
 * Pool "all": G 100, U 110: unused 0, overused 10 h valued
 *   round(10 x 150 = 1500) = 1500.00 (reported, not in the balance).
 * 1. 0.00 - 0.00                          = 0.00
 * 2. not transferred                      = 0.00
 * 3. 350.00 - min(400.00, 339.73)         = 10.27
 * 4. 15000.00 - 15000.00                  = 0.00
 * 5. max(0, 15000.00 - 0.00 - 16000.00)   = 0.00
 * balance 10.27: repay. */
START_TEST(lines_payroll_association)
{
    world w = settled(BASE_PARAMS, CASE96(PAYROLL, MARCH(, WTOT("day", "100"))),
                      USAGE(", 'used': [" USED("2025-03", KB_DAY, "110") "], 'payments': ["
                            PAY("2025-03-03", "15000.00", "grant") ", "
                            PAY("2025-04-10", "350.00", "payroll_admin") "], 'invoices': ["
                            "{'date': '2025-03-31', 'amount': '250.00', 'for': 'payroll_admin'}, "
                            "{'date': '2025-04-30', 'amount': '150.00', 'for': 'payroll_admin'}], "
                            "'actual_wage_costs': '16000.00'"));
    const bpa_settlement *s = w.s;
    const bpa_settle_pool *p = pool(s, "all");
    EQ(p->unused, "0");
    EQ(p->overused, "10");
    EQ(p->unused_value, "0");
    EQ(p->overused_value, "1500.00");
    EQ(w.g->total_payroll_admin_cap, "339.73");
    EQ(s->invoices_total, "400.00");
    EQ(s->payroll_admin_paid, "350.00");
    EQ(s->line_unused_hours, "0");
    EQ(s->line_admin, "0");
    EQ(s->line_payroll_admin, "10.27");
    EQ(s->line_payments, "0");
    EQ(s->line_actual_cost_cap, "0");
    EQ(s->balance, "10.27");
    ck_assert_int_eq(s->direction, BPA_REPAY);
    world_free(&w);
}
END_TEST

/* Citizen employer, everything used: only line 4 is left.
 * Grant: March, work/day 100 h x 150.00 = 15000.00, allowance 500.00.
 * Paid 14000.00 of 15000.00: line 4 = -1000.00, the municipality pays out.
 * Paid 15000.00: balance 0.00, settled. The allowance is reported, not settled:
 * due round(500 x 31/31) = 500.00, received 500.00 (and a refund of -20.00 on
 * a grant payment counts in line 4). */
START_TEST(lines_pay_out_and_settled)
{
    const char *c = CASE96(CITIZEN, MARCH(", 'allowance_monthly': '500'", WTOT("day", "100")));
    world w = settled(BASE_PARAMS, c,
                      USAGE(", 'used': [" USED("2025-03", KB_DAY, "100") "], 'payments': ["
                            PAY("2025-03-03", "14000.00", "grant") ", "
                            PAY("2025-03-03", "500.00", "allowance") "]"));
    EQ(w.s->line_unused_hours, "0");
    EQ(w.s->line_payments, "-1000.00");
    EQ(w.s->balance, "-1000.00");
    ck_assert_int_eq(w.s->direction, BPA_PAY_OUT);
    EQ(w.s->allowance_due, "500.00");
    EQ(w.s->allowance_received, "500.00");
    world_free(&w);

    w = settled(BASE_PARAMS, c,
                USAGE(", 'used': [" USED("2025-03", KB_DAY, "100") "], 'payments': ["
                      PAY("2025-03-03", "15020.00", "grant") ", "
                      PAY("2025-03-20", "-20.00", "grant") "]"));
    EQ(w.s->grant_payments, "15000.00");
    EQ(w.s->balance, "0");
    ck_assert_int_eq(w.s->direction, BPA_SETTLED);
    EQ(w.s->allowance_received, "0");
    world_free(&w);
}
END_TEST

/* Line 2 over work hours only, and the switches that turn lines 2 and 5 off.
 * Policy as above plus admin.transferred.hours "work": the grant's
 * administration is round(140 work hours x 5.00) = 700.00, the recipient's
 * March 29550.00 + 700.00 = 30250.00.
 * Usage: 10 h work/day carried in (1500.00); used day 80, evening 20, on-call
 * 60 (160 h); carry-over 5 h; nothing paid; actual wage costs 20000.00.
 * Pool "all": G 210, U 160, unused 50 h, a = 31050/210 = 1035/7:
 *   round(50 x 1035/7 = 7392.857143) = 7392.86; carry-over round(5 x 1035/7) = 739.29
 * 1. 7392.86 - 739.29                                           =   6653.57
 * 2. G_a = granted work hours, carried-in included: day 100 + 10 + evening 40
 *    = 150; U_a = 80 + 20 = 100; all 5 carried-over hours count (RULES.md 12):
 *    round((150 - 100 - 5) x 700.00 / 150 = 210)                =    210.00
 * 4. 0.00 - 30250.00                                            = -30250.00
 * 5. max(0, 31050.00 - 7392.86 - 20000.00)                      =   3657.14
 * balance 6653.57 + 210.00 - 30250.00 + 3657.14 = -19729.29: pay out.
 * With settlement.admin_follows_hours false line 2 is 0.00 (balance
 * -19939.29); with settlement.cap_at_actual_costs false line 5 is 0.00
 * (balance -23386.43). */
#define ADMIN_CASE                                                                       \
    CASE96(TRANSFERRED, MARCH(, WTOT("day", "100") ", " WTOT("evening", "40") ", " OTOT("60")))
#define ADMIN_USAGE                                                                      \
    USAGE(", 'carry_in': [{'kind': 'work', 'band': 'day', 'step': 11, 'hours': '10', "      \
          "'value': '1500.00'}], 'used': [" USED("2025-03", KB_DAY, "80") ", "              \
          USED("2025-03", KB_EVE, "20") ", " USED("2025-03", KB_OC, "60") "], "             \
          "'carry_over': [{'hours': '5'}], 'actual_wage_costs': '20000.00'")
#define WORK_ADMIN ", " P("admin.transferred.hours", "'work'")

START_TEST(lines_admin_work_hours_and_switches)
{
    world w = settled(BASE_PARAMS WORK_ADMIN, ADMIN_CASE, ADMIN_USAGE);
    const bpa_settlement *s = w.s;
    EQ(w.g->total_admin, "700.00");
    EQ(s->recipient_due, "30250.00");
    EQ(pool(s, "all")->unused_value, "7392.86");
    EQ(s->admin_granted_hours, "150");
    EQ(s->admin_used_hours, "100");
    EQ(s->line_unused_hours, "6653.57");
    EQ(s->line_admin, "210.00");
    EQ(s->line_payments, "-30250.00");
    EQ(s->line_actual_cost_cap, "3657.14");
    EQ(s->balance, "-19729.29");
    ck_assert_int_eq(s->direction, BPA_PAY_OUT);
    world_free(&w);

    w = settled(BASE_PARAMS WORK_ADMIN ", " P("settlement.admin_follows_hours", "false"),
                ADMIN_CASE, ADMIN_USAGE);
    EQ(w.s->line_admin, "0");
    EQ(w.s->balance, "-19939.29");
    world_free(&w);

    w = settled(BASE_PARAMS WORK_ADMIN ", " P("settlement.cap_at_actual_costs", "false"),
                ADMIN_CASE, ADMIN_USAGE);
    EQ(w.s->line_actual_cost_cap, "0");
    EQ(w.s->balance, "-23386.43");
    world_free(&w);
}
END_TEST

/* R5 follows rounding.mode (read on 31 December): 100 h granted at 150.00,
 * 99.9997 used: 0.0003 h unused x 150 = 0.045 exactly, which is 0.05 half
 * away from zero and 0.04 half even. */
START_TEST(r5_rounding_mode)
{
    const char *c = CASE96(CITIZEN, MARCH(, WTOT("day", "100")));
    const char *u = USAGE(", 'used': [" USED("2025-03", KB_DAY, "99.9997") "], 'payments': ["
                          PAY("2025-03-03", "15000.00", "grant") "]");
    world w = settled(BASE_PARAMS, c, u);
    EQ(w.s->line_unused_hours, "0.05");
    world_free(&w);
    w = settled(BASE_PARAMS ", " P("rounding.mode", "'half_even'"), c, u);
    EQ(w.s->line_unused_hours, "0.04");
    EQ(w.s->balance, "0.04");
    world_free(&w);
}
END_TEST

/* settlement.account_due with a day number the month lacks: 02-29 in 2026
 * (not a leap year) is the month's last day, 2026-02-28 (RULES.md 12). */
START_TEST(due_date_month_end)
{
    world w = settled(P("wage.hourly.11", "'150'") ", " P("settlement.account_due", "'02-29'"),
                      CASE96(CITIZEN, MARCH(, WTOT("day", "100"))), USAGE(""));
    DATE_EQ(w.s->due_date, "2026-02-28");
    /* nothing used: all 100 h unused at 150.00 = 15000.00; nothing paid:
     * line 4 = 0 - 15000.00; balance 0.00 */
    EQ(w.s->line_unused_hours, "15000.00");
    EQ(w.s->line_payments, "-15000.00");
    EQ(w.s->balance, "0");
    world_free(&w);
}
END_TEST

/* ---- (b) one usage under three pool modes --------------------------------------- */

/* Grant (citizen, March): day 100 h x 150.00 = 15000.00, evening 40 h x 195.00 =
 * 7800.00, on-call 60 h x 112.50 = 6750.00; 200 h worth 29550.00.
 * Usage: day 110 h (10 over), evening 30 h (10 under), on-call 50 h (10 under);
 * paid exactly 29550.00, so line 4 = 0 and the balance is line 1.
 *
 * "category": each category alone. Day is overused by 10 h (its own cost,
 *   round(10 x 150.00) = 1500.00, not paid); evening unused 10 h x 195.00 =
 *   1950.00; on-call unused 10 h x 112.50 = 1125.00. Balance 1950.00 +
 *   1125.00 = 3075.00: the extra day hours cannot use the unused evening hours.
 * "kind": work 140 granted, 140 used: nothing unused (the 10 extra day hours
 *   are netted against the 10 unused evening hours); on-call unused 10 h x
 *   112.50 = 1125.00. Balance 1125.00.
 * "all": 200 granted, 190 used, 10 h unused at the average 29550/200 = 147.75:
 *   1477.50. Balance 1477.50. */
#define POOL_CASE                                                                        \
    CASE96(CITIZEN, MARCH(, WTOT("day", "100") ", " WTOT("evening", "40") ", " OTOT("60")))
#define POOL_USAGE                                                                       \
    USAGE(", 'used': [" USED("2025-03", KB_DAY, "110") ", " USED("2025-03", KB_EVE, "30")   \
          ", " USED("2025-03", KB_OC, "50") "], 'payments': ["                             \
          PAY("2025-03-03", "29550.00", "grant") "]")

START_TEST(pools_category)
{
    world w = settled(BASE_PARAMS POOLS("category"), POOL_CASE, POOL_USAGE);
    const bpa_settlement *s = w.s;
    ck_assert_int_eq(s->pools_mode, BPA_POOLS_CATEGORY);
    ck_assert_int_eq(s->npools, 3);
    const bpa_settle_pool *day = pool(s, "work/day/11");
    EQ(day->unused, "0");
    EQ(day->overused, "10");
    EQ(day->overused_value, "1500.00");
    EQ(pool(s, "work/evening/11")->unused_value, "1950.00");
    EQ(pool(s, "on_call/any/11")->unused_value, "1125.00");
    EQ(s->line_unused_hours, "3075.00");
    EQ(s->line_payments, "0");
    EQ(s->balance, "3075.00");
    world_free(&w);
}
END_TEST

START_TEST(pools_kind)
{
    world w = settled(BASE_PARAMS POOLS("kind"), POOL_CASE, POOL_USAGE);
    const bpa_settlement *s = w.s;
    ck_assert_int_eq(s->pools_mode, BPA_POOLS_KIND);
    ck_assert_int_eq(s->npools, 2);
    const bpa_settle_pool *work = pool(s, "work");
    EQ(work->granted, "140");
    EQ(work->used, "140");
    EQ(work->unused, "0");
    EQ(work->overused, "0");
    EQ(work->average, "1140/7"); /* 22800/140 */
    EQ(pool(s, "on_call")->unused_value, "1125.00");
    EQ(s->balance, "1125.00");
    world_free(&w);
}
END_TEST

START_TEST(pools_all)
{
    world w = settled(BASE_PARAMS POOLS("all"), POOL_CASE, POOL_USAGE);
    const bpa_settlement *s = w.s;
    ck_assert_int_eq(s->pools_mode, BPA_POOLS_ALL);
    ck_assert_int_eq(s->npools, 1);
    const bpa_settle_pool *all = pool(s, "all");
    EQ(all->average, "147.75");
    EQ(all->unused, "10");
    EQ(all->unused_value, "1477.50");
    EQ(s->balance, "1477.50");
    world_free(&w);
}
END_TEST

/* Carry-over names its pool by the mode's pool names; with several pools the
 * pool must be named. Under "kind" (usage above) on-call has 10 unused hours:
 * carrying 4 of them is worth round(4 x 112.50) = 450.00, so line 1 =
 * 1125.00 - 450.00 = 675.00. */
START_TEST(pools_carry_over_names)
{
    world w = settled(BASE_PARAMS POOLS("kind"), POOL_CASE,
                      USAGE(", 'used': [" USED("2025-03", KB_DAY, "110") ", "
                            USED("2025-03", KB_EVE, "30") ", " USED("2025-03", KB_OC, "50")
                            "], 'payments': [" PAY("2025-03-03", "29550.00", "grant") "], "
                            "'carry_over': [{'pool': 'on_call', 'hours': '4'}, "
                            "{'pool': 'work', 'hours': '0'}]"));
    EQ(pool(w.s, "on_call")->carry_value, "450.00");
    EQ(w.s->line_unused_hours, "675.00");
    world_free(&w);
    FAILS(BASE_PARAMS POOLS("kind"), POOL_CASE,
          USAGE(", 'carry_over': [{'hours': '4'}]"), BPA_E_INPUT, "must name its \"pool\"");
    FAILS(BASE_PARAMS POOLS("kind"), POOL_CASE,
          USAGE(", 'carry_over': [{'pool': 'all', 'hours': '4'}]"), BPA_E_INPUT,
          "no pool \"all\"");
    FAILS(BASE_PARAMS POOLS("category"), POOL_CASE,
          USAGE(", 'used': [" USED("2025-03", KB_EVE, "30") "], "
                "'carry_over': [{'pool': 'work/evening/11', 'hours': '10.01'}]"),
          BPA_E_INPUT, "exceeds the 10.00 unused hours of pool work/evening/11");
    /* the limit: 10 % of the 200 granted hours = 20 h in all */
    FAILS(BASE_PARAMS POOLS("kind"), POOL_CASE,
          USAGE(", 'carry_over': [{'pool': 'on_call', 'hours': '10'}, "
                "{'pool': 'work', 'hours': '10.5'}]"),
          BPA_E_INPUT, "carry_over_max_pct");
}
END_TEST

/* ---- (d) hourly-cap reductions reduce the value of unused hours -------------------- */

/* Grant (citizen, March): day 100 h x 150.00 = 15000.00, evening 100 h x
 * 195.00 = 19500.00: 34500.00 for 200 h = 172.50 per hour > hourly_cap 160, so
 * a reduction brings the segment to round(200 x 160) = 32000.00: -2500.00.
 * Shared in proportion to the wage lines (exactly):
 *   day     -2500 x 15000/34500 = -25000/23;  value 15000 - 25000/23 = 320000/23
 *   evening -2500 x 19500/34500 = -32500/23;  value 19500 - 32500/23 = 416000/23
 * Used: day 90 h, evening 100 h.
 * "category": day unused 10 h x (320000/23)/100 = 32000/23 = 1391.304348 ->
 *   1391.30 (without the cap: 10 x 150.00 = 1500.00).
 * "all": a = 32000/200 = 160 exactly; 10 h unused -> 1600.00 (without the cap:
 *   a = 172.50, 1725.00).
 * Paid 32000.00 = due: line 4 = 0. */
#define CAP_CASE CASE96(CITIZEN, MARCH(, WTOT("day", "100") ", " WTOT("evening", "100")))
#define CAP_USAGE                                                                        \
    USAGE(", 'used': [" USED("2025-03", KB_DAY, "90") ", " USED("2025-03", KB_EVE, "100")   \
          "], 'payments': [" PAY("2025-03-03", "32000.00", "grant") "]")

START_TEST(hourly_cap_shared)
{
    world w = settled(BASE_PARAMS POOLS("category") CAP("160"), CAP_CASE, CAP_USAGE);
    const bpa_settlement *s = w.s;
    EQ(w.g->total_wages, "32000.00");
    const bpa_settle_category *day = category(s, BPA_KIND_WORK, BPA_BAND_DAY);
    const bpa_settle_category *eve = category(s, BPA_KIND_WORK, BPA_BAND_EVENING);
    EQ(day->grant_value, "320000/23");
    EQ(eve->grant_value, "416000/23");
    EQ(pool(s, "work/day/11")->unused_value, "1391.30");
    EQ(s->line_unused_hours, "1391.30");
    EQ(s->line_payments, "0");
    EQ(s->balance, "1391.30");
    world_free(&w);

    w = settled(BASE_PARAMS POOLS("category"), CAP_CASE,
                USAGE(", 'used': [" USED("2025-03", KB_DAY, "90") ", "
                      USED("2025-03", KB_EVE, "100") "], 'payments': ["
                      PAY("2025-03-03", "34500.00", "grant") "]"));
    EQ(w.s->line_unused_hours, "1500.00"); /* the same usage without the cap */
    world_free(&w);

    w = settled(BASE_PARAMS POOLS("all") CAP("160"), CAP_CASE, CAP_USAGE);
    EQ(pool(w.s, "all")->average, "160");
    EQ(w.s->line_unused_hours, "1600.00");
    world_free(&w);

    w = settled(BASE_PARAMS POOLS("all"), CAP_CASE,
                USAGE(", 'used': [" USED("2025-03", KB_DAY, "90") ", "
                      USED("2025-03", KB_EVE, "100") "]"));
    EQ(pool(w.s, "all")->average, "172.5");
    EQ(w.s->line_unused_hours, "1725.00");
    world_free(&w);
}
END_TEST

/* ---- bad inputs the settlement finds (RULES.md 8.1, 11, 12) ------------------------ */

START_TEST(bad_inputs)
{
    const char *c = CASE96(CITIZEN, MARCH(, WTOT("day", "100")));
    FAILS(BASE_PARAMS, c, "{'format': 'bpa-usage/1', 'case': 'T-2', 'year': 2025}", BPA_E_INPUT,
          "usage is for case \"T-2\", the case file is \"T-1\"");
    FAILS(BASE_PARAMS, c, "{'format': 'bpa-usage/1', 'case': 'T-1', 'year': 2026}", BPA_E_INPUT,
          "usage year 2026 is not the case year 2025");
    FAILS(BASE_PARAMS, c, USAGE(", 'payments': [" PAY("2025-03-03", "1.00", "payroll_admin") "]"),
          BPA_E_INPUT, "payroll_admin payments belong to employer \"payroll_association\"");
    FAILS(BASE_PARAMS, c,
          USAGE(", 'used': [{'month': '2025-03', 'kind': 'on_call', 'band': 'day', 'step': 11, "
                "'hours': '1'}]"),
          BPA_E_INPUT, "on_call.supplements is false");
    /* a policy without settlement.account_due: required for a settlement */
    FAILS(P("wage.hourly.11", "'150'"), c, USAGE(""), BPA_E_POLICY, "settlement.account_due");
    /* section 94 */
    FAILS(P("wage.hourly.11", "'150'") ", " P("dk94.step.practical", "11") ", "
              P("dk94.monthly_paid_min_hours_per_week", "'8'") ", "
              P("settlement.account_due", "'03-01'"),
          "{'format': 'bpa-case/1', 'case': 'T-1', 'scheme': 'dk-sel-94', 'policy': 't', "
          "'year': 2025, 'decisions': [{'from': '2025-03-01', 'to': '2025-03-31', 'hours': "
          "[{'kind': 'work', 'band': 'day', 'task': 'practical', 'per_week': '10'}]}]}",
          USAGE(""), BPA_E_INPUT, "no annual settlement for section 94");
}
END_TEST

/* The usage loader rejects what RULES.md 3 and 8.1 forbid. */
START_TEST(bad_usage_files)
{
    static const struct {
        const char *sq, *sub;
    } bad[] = {
        {USAGE(", 'colour': 'red'"), "unknown key \"colour\""},
        {USAGE(", 'used': [" USED("2024-12", KB_DAY, "1") "]"), "outside the settlement year"},
        {USAGE(", 'used': [" USED("2025-13", KB_DAY, "1") "]"), "is not a month"},
        {USAGE(", 'used': [{'month': '2025-03', 'kind': 'work', 'step': 11, 'hours': '1'}]"),
         "work hours need a \"band\""},
        {USAGE(", 'used': [" USED("2025-03", KB_DAY, "-1") "]"), "negative"},
        {USAGE(", 'payments': [" PAY("2025-03-03", "1.001", "grant") "]"), "too many decimals"},
        {USAGE(", 'payments': [" PAY("2025-02-30", "1.00", "grant") "]"), "not a date"},
        {USAGE(", 'payments': [" PAY("2025-03-03", "1.00", "bonus") "]"), "bonus"},
        {USAGE(", 'invoices': [{'date': '2025-03-03', 'amount': '-1.00', 'for': "
               "'payroll_admin'}]"),
         "negative"},
        {USAGE(", 'carry_in': [{'kind': 'work', 'band': 'day', 'step': 11, 'hours': '1', "
               "'value': '1.005'}]"),
         "too many decimals"},
        {USAGE(", 'actual_wage_costs': 1000.5"), "write it as a string"},
        {USAGE(", 'timesheets': ['']"), "expected a path"},
        {"{'format': 'bpa-usage/1', 'case': 'T-1'}", "year"},
        {USAGE(", 'carry_over': [{'hours': '1'}, {'hours': '2'}]"), "named twice in carry_over"},
        {USAGE(", 'carry_over': [{'pool': 'work', 'hours': '1'}, {'pool': 'work', 'hours': '2'}]"),
         "pool \"work\" named twice in carry_over"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *text = dq(bad[i].sq);
        bpa_usage *u = NULL;
        bpa_error err;
        bpa_error_clear(&err);
        bpa_status st = bpa_usage_load_mem(&u, "usage.json", text, strlen(text), &err);
        free(text);
        char buf[1200];
        bpa_error_format(&err, buf, sizeof buf);
        ck_assert_msg(st == BPA_E_INPUT, "case %zu loaded: %s", i, bad[i].sq);
        ck_assert_ptr_null(u);
        ck_assert_msg(strstr(buf, bad[i].sub) != NULL, "case %zu: \"%s\" lacks \"%s\"", i, buf,
                      bad[i].sub);
        ck_assert_msg(strstr(buf, "usage.json") != NULL, "case %zu: file not named: %s", i, buf);
    }
}
END_TEST

/* ---- (c) invariants on random inputs ------------------------------------------------- */

static uint32_t lcg_state;
static uint32_t lcg(void)
{
    lcg_state = lcg_state * 1103515245u + 12345u;
    return (lcg_state >> 8) & 0xffffffu;
}
static unsigned rnd(unsigned n) { return lcg() % n; }

/* Append formatted text to a growing buffer. */
typedef struct buf {
    char *s;
    size_t n, cap;
} buf;
static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    ck_assert(k >= 0);
    if (b->n + (size_t)k + 1 > b->cap) {
        b->cap = (b->n + (size_t)k + 1) * 2;
        b->s = realloc(b->s, b->cap);
        ck_assert_ptr_nonnull(b->s);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

/* A random decimal with up to two decimals below max (as text). */
static void dec_text(char *out, size_t n, unsigned max_whole)
{
    snprintf(out, n, "%u.%02u", rnd(max_whole), rnd(100));
}

static const char *const band_names[] = {"day", "evening", "night", "saturday", "sunday_holiday"};
static const char *const pool_modes[] = {"category", "kind", "all"};

/* Random cases: employer, months, lines (some categories granted, others only
 * used), carried-in rows, used rows, payments, invoices, actual costs, pool
 * mode, and an hourly cap (a tight cap of 160 fires in most segments). For
 * every account: no pool has both unused and overused hours (nor does any
 * category); each line is whole øre; the balance is exactly the sum of the
 * five lines and its sign gives the direction; pool sums equal category sums. */
START_TEST(invariants_random)
{
    lcg_state = 20250301u;
    for (int iter = 0; iter < 100; iter++) {
        buf pol = {0}, cs = {0}, us = {0};
        unsigned mode = rnd(3), cap = rnd(3);
        put(&pol, "%s%s%s", BASE_PARAMS, ", 'settlement.pools': [{'from': '2000-01-01', "
                                         "'value': '",
            pool_modes[mode]);
        put(&pol, "', 'ref': 'r'}]");
        if (cap == 1)
            put(&pol, CAP("160"));
        else if (cap == 2)
            put(&pol, CAP("175.5"));
        unsigned emp = rnd(3);
        static const char *const emps[] = {
            "'employer': 'citizen', 'helpers': %u",
            "'employer': 'transferred', 'transferred_to': 'company', 'helpers': %u",
            "'employer': 'payroll_association', 'helpers': %u"};
        unsigned m1 = 1 + rnd(12), m2 = m1 + rnd(13 - m1);
        put(&cs, "{'format': 'bpa-case/1', 'case': 'T-1', 'scheme': 'dk-sel-96', 'policy': "
                 "'t', 'year': 2025, ");
        put(&cs, emps[emp], 1 + rnd(5));
        put(&cs, ", 'decisions': [{'from': '2025-%02u-01', 'to': '2025-%02u-%02d', 'hours': [",
            m1, m2, bpa_days_in_month(2025, (int)m2));
        unsigned nlines = 1 + rnd(4);
        for (unsigned i = 0; i < nlines; i++) {
            char h[32];
            dec_text(h, sizeof h, 60);
            if (i == 3)
                put(&cs, ", {'kind': 'on_call', 'step': 11, 'per_week': '%s'}", h);
            else
                put(&cs, "%s{'kind': 'work', 'band': '%s', 'step': 11, 'per_week': '%s'}",
                    i ? ", " : "", band_names[i], h);
        }
        put(&cs, "]}]}");
        put(&us, "{'format': 'bpa-usage/1', 'case': 'T-1', 'year': 2025, 'used': [");
        unsigned nused = rnd(12);
        for (unsigned i = 0; i < nused; i++) {
            char h[32];
            dec_text(h, sizeof h, 400);
            unsigned b = rnd(6);
            if (b == 5)
                put(&us, "%s{'month': '2025-%02u', 'kind': 'on_call', 'step': 11, 'hours': '%s'}",
                    i ? ", " : "", 1 + rnd(12), h);
            else
                put(&us, "%s{'month': '2025-%02u', 'kind': 'work', 'band': '%s', 'step': 11, "
                         "'hours': '%s'}",
                    i ? ", " : "", 1 + rnd(12), band_names[b], h);
        }
        put(&us, "], 'carry_in': [");
        unsigned ncin = rnd(3);
        for (unsigned i = 0; i < ncin; i++) {
            char h[32], v[32];
            dec_text(h, sizeof h, 50);
            dec_text(v, sizeof v, 9000);
            put(&us, "%s{'kind': 'work', 'band': '%s', 'step': 11, 'hours': '%s', 'value': '%s'}",
                i ? ", " : "", band_names[rnd(5)], h, v);
        }
        put(&us, "], 'payments': [");
        unsigned npay = rnd(6);
        for (unsigned i = 0; i < npay; i++) {
            char a[32];
            dec_text(a, sizeof a, 90000);
            static const char *const fors[] = {"grant", "allowance", "payroll_admin"};
            unsigned f = rnd(emp == 2 ? 3 : 2);
            put(&us, "%s{'date': '2025-%02u-10', 'amount': '%s%s', 'for': '%s'}", i ? ", " : "",
                1 + rnd(12), rnd(5) == 0 ? "-" : "", a, fors[f]);
        }
        put(&us, "]");
        if (emp == 2) {
            put(&us, ", 'invoices': [");
            unsigned ninv = rnd(4);
            for (unsigned i = 0; i < ninv; i++) {
                char a[32];
                dec_text(a, sizeof a, 3000);
                put(&us, "%s{'date': '2025-06-30', 'amount': '%s', 'for': 'payroll_admin'}",
                    i ? ", " : "", a);
            }
            put(&us, "]");
        }
        if (rnd(2)) {
            char a[32];
            dec_text(a, sizeof a, 150000);
            put(&us, ", 'actual_wage_costs': '%s'", a);
        }
        put(&us, "}");

        world w = settled(pol.s, cs.s, us.s);
        const bpa_settlement *s = w.s;
        mpq_t sum, g, u, v;
        mpq_inits(sum, g, u, v, NULL);
        for (size_t i = 0; i < s->npools; i++) {
            const bpa_settle_pool *p = &s->pools[i];
            ck_assert_msg(!(mpq_sgn(p->unused) > 0 && mpq_sgn(p->overused) > 0),
                          "iteration %d: pool %s has unused and overused hours", iter, p->name);
            ck_assert(mpq_sgn(p->unused) >= 0 && mpq_sgn(p->overused) >= 0);
            ck_assert(whole_ore(p->unused_value) && whole_ore(p->overused_value));
            mpq_sub(sum, p->granted, p->used);
            mpq_sub(sum, sum, p->unused);
            mpq_add(sum, sum, p->overused);
            ck_assert_msg(mpq_sgn(sum) == 0, "iteration %d: G - U != unused - overused", iter);
            mpq_add(g, g, p->granted);
            mpq_add(u, u, p->used);
            mpq_add(v, v, p->value);
        }
        for (size_t i = 0; i < s->ncategories; i++) {
            const bpa_settle_category *c = &s->categories[i];
            ck_assert(!(mpq_sgn(c->unused) > 0 && mpq_sgn(c->overused) > 0));
            mpq_sub(g, g, c->granted);
            mpq_sub(u, u, c->used);
            mpq_sub(v, v, c->value);
        }
        ck_assert_msg(mpq_sgn(g) == 0 && mpq_sgn(u) == 0 && mpq_sgn(v) == 0,
                      "iteration %d: pool sums differ from category sums", iter);
        const mpq_t *lines[] = {&s->line_unused_hours, &s->line_admin, &s->line_payroll_admin,
                                &s->line_payments, &s->line_actual_cost_cap};
        mpq_set_ui(sum, 0, 1);
        for (size_t i = 0; i < 5; i++) {
            ck_assert_msg(whole_ore(*lines[i]), "iteration %d: line %zu is not whole øre", iter,
                          i + 1);
            mpq_add(sum, sum, *lines[i]);
        }
        ck_assert_msg(mpq_cmp(sum, s->balance) == 0, "iteration %d: balance is not the sum",
                      iter);
        ck_assert(whole_ore(s->balance));
        ck_assert_int_eq(s->direction, mpq_sgn(s->balance) > 0   ? BPA_REPAY
                                       : mpq_sgn(s->balance) < 0 ? BPA_PAY_OUT
                                                                 : BPA_SETTLED);
        ck_assert(mpq_sgn(s->line_actual_cost_cap) >= 0);
        ck_assert(mpq_sgn(s->line_admin) >= 0);
        if (emp != 1)
            ck_assert(mpq_sgn(s->line_admin) == 0);
        if (emp != 2)
            ck_assert(mpq_sgn(s->line_payroll_admin) == 0);
        mpq_clears(sum, g, u, v, NULL);
        world_free(&w);
        free(pol.s);
        free(cs.s);
        free(us.s);
    }
}
END_TEST

/* Random timesheets: the used hours read from a timesheet are the sum of its
 * shifts' real durations. Shifts are made in real time (minutes after
 * 2025-01-01 00:00 UTC) and written as local wall-clock times by the EU rule,
 * worked out here independently: summer time (UTC+2) from 2025-03-30 01:00 UTC
 * (day 88 of the year, counting from 0) to 2025-10-26 01:00 UTC (day 298),
 * UTC+1 otherwise. A shift is at most 16 hours, so its local end is on its
 * date or the next. Shifts whose start or end falls in the repeated hour's
 * second pass (local 02:00-02:59 on 26 October, read as the first pass) are
 * left out. Some shifts lie partly in 2024 or 2026. */
#define SUMMER_FROM (88 * 1440 + 60)
#define SUMMER_TO (298 * 1440 + 60)

static int64_t local_of(int64_t utc)
{
    return utc + (utc >= SUMMER_FROM && utc < SUMMER_TO ? 120 : 60);
}

static int64_t fdiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

static void write_local(buf *b, int64_t utc, bool with_date)
{
    int64_t l = local_of(utc);
    int64_t day = fdiv(l, 1440), m = l - day * 1440;
    if (with_date) {
        char d[11];
        bpa_date_format(bpa_date_make(2025, 1, 1) + (bpa_date)day, d);
        put(b, "%s,", d);
    }
    put(b, "%02d:%02d", (int)(m / 60), (int)(m % 60));
}

START_TEST(invariants_timesheet_hours)
{
    char dir[] = "/tmp/bpa-test-settle-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char tspath[64], upath[64];
    snprintf(tspath, sizeof tspath, "%s/ts.csv", dir);
    snprintf(upath, sizeof upath, "%s/usage.json", dir);
    lcg_state = 7u;
    for (int iter = 0; iter < 20; iter++) {
        buf ts = {0};
        put(&ts, "helper,kind,date,start,end\n");
        int64_t total = 0, outside = 0;
        int64_t next[3] = {-1440 + (int64_t)rnd(600), -1440 + (int64_t)rnd(600),
                           -1440 + (int64_t)rnd(600)};
        unsigned n = 20 + rnd(60);
        /* each helper's shifts in order; shifts spread over the whole year and
         * a bit beyond, with the summer-time nights hit on purpose */
        for (unsigned i = 0; i < n; i++) {
            unsigned h = rnd(3);
            int64_t start = next[h] + (int64_t)rnd(15 * 1440);
            if (rnd(4) == 0)
                start = (rnd(2) ? SUMMER_FROM : SUMMER_TO) - 60 * (1 + (int64_t)rnd(8));
            if (start < next[h])
                start = next[h];
            int64_t len = 1 + (int64_t)rnd(16 * 60);
            int64_t end = start + len;
            if (local_of(start) > 366 * 1440 + 1440 || start > 367 * 1440)
                break;
            if ((start >= SUMMER_TO && start < SUMMER_TO + 60) ||
                (end >= SUMMER_TO && end < SUMMER_TO + 60))
                continue;
            next[h] = end + (int64_t)rnd(3); /* touching shifts are fine */
            put(&ts, "helper %u,%s,", h, rnd(3) ? "work" : "on_call");
            write_local(&ts, start, true);
            put(&ts, ",");
            write_local(&ts, end, false);
            put(&ts, "\n");
            total += len;
            for (int64_t t = start; t < end; t++) {
                int64_t day = fdiv(local_of(t), 1440);
                if (day < 0 || day >= 365)
                    outside++;
            }
        }
        FILE *f = fopen(tspath, "w");
        ck_assert_ptr_nonnull(f);
        fputs(ts.s, f);
        fclose(f);
        world w;
        bpa_error err;
        bpa_status st = settle_try(&w, BASE_PARAMS POOLS("category"),
                                   CASE96(CITIZEN, "{'from': '2025-01-01', 'to': '2025-12-31', "
                                                   "'hours': [" WTOT("day", "1000") "]}"),
                                   upath, USAGE(", 'timesheets': ['ts.csv']"), &err);
        char ebuf[1200];
        ck_assert_msg(st == BPA_OK, "iteration %d: %s\n%s", iter,
                      bpa_error_format(&err, ebuf, sizeof ebuf), ts.s);
        const bpa_settlement *s = w.s;
        mpq_t want, got;
        mpq_inits(want, got, NULL);
        mpq_set_si(want, (long)total, 60);
        mpq_canonicalize(want);
        ck_assert_msg(mpq_cmp(want, s->timesheet_hours) == 0, "iteration %d: %s h, expected %ld/60",
                      iter, bpa_fmt_exact(s->timesheet_hours), (long)total);
        /* inside the year (all categories) + outside the year = all */
        for (size_t i = 0; i < s->ncategories; i++)
            mpq_add(got, got, s->categories[i].used);
        mpq_add(got, got, s->outside_year_hours[BPA_KIND_WORK]);
        mpq_add(got, got, s->outside_year_hours[BPA_KIND_ON_CALL]);
        ck_assert_msg(mpq_cmp(want, got) == 0, "iteration %d: categories + outside != shifts",
                      iter);
        mpq_set_si(want, (long)outside, 60);
        mpq_canonicalize(want);
        mpq_add(got, s->outside_year_hours[BPA_KIND_WORK], s->outside_year_hours[BPA_KIND_ON_CALL]);
        ck_assert_msg(mpq_cmp(want, got) == 0, "iteration %d: outside hours", iter);
        /* helpers[] and months[] count the year's hours the same */
        mpq_t hs, ms;
        mpq_inits(hs, ms, NULL);
        for (size_t i = 0; i < s->nhelpers; i++)
            mpq_add(hs, hs, s->helpers[i].hours);
        for (int m = 0; m < 12; m++)
            mpq_add(ms, ms, s->months[m].used);
        mpq_set_ui(got, 0, 1);
        for (size_t i = 0; i < s->ncategories; i++)
            mpq_add(got, got, s->categories[i].used);
        ck_assert_msg(mpq_cmp(hs, got) == 0, "iteration %d: helpers %s, year %s", iter,
                      bpa_fmt_exact(hs), bpa_fmt_exact(got));
        ck_assert_msg(mpq_cmp(ms, got) == 0, "iteration %d: months %s, year %s", iter,
                      bpa_fmt_exact(ms), bpa_fmt_exact(got));
        mpq_clears(want, got, hs, ms, NULL);
        world_free(&w);
        free(ts.s);
    }
    unlink(tspath);
    rmdir(dir);
}
END_TEST

/* The two summer-time nights through the settlement, by hand: 22:00-06:00
 * from Saturday 29 March is 7 real hours (Saturday 22-23 saturday band,
 * 23-24 night, Sunday 00:00-02:00 and 03:00-06:00 sunday_holiday: 1 + 1 + 5);
 * from Saturday 25 October 9 hours (1 + 1 + 7 sunday_holiday, 02:00-03:00
 * twice). An on-call night 23:00-07:00 across 30 March is 7 h of
 * on_call/any. */
START_TEST(summer_time_nights)
{
    char dir[] = "/tmp/bpa-test-settle-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char tspath[64], upath[64];
    snprintf(tspath, sizeof tspath, "%s/ts.csv", dir);
    snprintf(upath, sizeof upath, "%s/usage.json", dir);
    FILE *f = fopen(tspath, "w");
    ck_assert_ptr_nonnull(f);
    fputs("helper,date,start,end,kind,step\n"
          "A,2025-03-29,22:00,06:00,work,11\n"
          "B,2025-03-29,23:00,07:00,on_call,\n"
          "A,2025-10-25,22:00,06:00,work,11\n",
          f);
    fclose(f);
    world w;
    bpa_error err;
    bpa_status st =
        settle_try(&w, BASE_PARAMS POOLS("category"),
                   CASE96(CITIZEN, "{'from': '2025-01-01', 'to': '2025-12-31', 'hours': ["
                                   WTOT("day", "10") "]}"),
                   upath, USAGE(", 'timesheets': ['ts.csv']"), &err);
    char ebuf[1200];
    ck_assert_msg(st == BPA_OK, "%s", bpa_error_format(&err, ebuf, sizeof ebuf));
    const bpa_settlement *s = w.s;
    EQ(s->timesheet_hours, "23");
    EQ(category(s, BPA_KIND_WORK, BPA_BAND_SATURDAY)->used, "2");
    EQ(category(s, BPA_KIND_WORK, BPA_BAND_NIGHT)->used, "2");
    EQ(category(s, BPA_KIND_WORK, BPA_BAND_SUNDAY_HOLIDAY)->used, "12");
    EQ(category(s, BPA_KIND_ON_CALL, BPA_BAND_ANY)->used, "7");
    EQ(s->months[2].used, "14");
    EQ(s->months[9].used, "9");
    world_free(&w);
    unlink(tspath);
    rmdir(dir);
}
END_TEST

static Suite *settle_suite(void)
{
    Suite *s = suite_create("settle");
    TCase *lines = tcase_create("lines");
    tcase_add_test(lines, lines_transferred);
    tcase_add_test(lines, lines_payroll_association);
    tcase_add_test(lines, lines_pay_out_and_settled);
    tcase_add_test(lines, lines_admin_work_hours_and_switches);
    tcase_add_test(lines, r5_rounding_mode);
    tcase_add_test(lines, due_date_month_end);
    suite_add_tcase(s, lines);
    TCase *pools = tcase_create("pools");
    tcase_add_test(pools, pools_category);
    tcase_add_test(pools, pools_kind);
    tcase_add_test(pools, pools_all);
    tcase_add_test(pools, pools_carry_over_names);
    tcase_add_test(pools, hourly_cap_shared);
    suite_add_tcase(s, pools);
    TCase *inv = tcase_create("invariants");
    tcase_set_timeout(inv, 60);
    tcase_add_test(inv, invariants_random);
    tcase_add_test(inv, invariants_timesheet_hours);
    tcase_add_test(inv, summer_time_nights);
    suite_add_tcase(s, inv);
    TCase *bad = tcase_create("bad");
    tcase_add_test(bad, bad_inputs);
    tcase_add_test(bad, bad_usage_files);
    suite_add_tcase(s, bad);
    return s;
}

BPA_TEST_MAIN(settle_suite)
