/* The Swedish avräkning (RULES.md 8.3, 8.4, 12 "Swedish"), each rule on a
 * small case worked by hand. The budget is built here by hand from the
 * figures of 7.7 (so these tests check bpa_se_settle alone): rate 342.60
 * (FACTS.md, schablon 2025), väntetid factor 1/4, rounding half away from
 * zero. Invariant checked on every month: capped + not_paid = billable. */
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpa/date.h"
#include "bpa/se.h"
#include "testutil.h"

static const char POLICY[] =
    "{\"format\":\"bpa-policy/1\",\"id\":\"t\",\"title\":\"t\",\"country\":\"SE\","
    "\"schemes\":[\"se-sfb-51\",\"se-lss-9-2\"],\"references\":{\"r\":\"FK\"},\"params\":{"
    "\"se.schablon\":[{\"from\":\"2025-01-01\",\"value\":\"342.60\",\"ref\":\"r\"}],"
    "\"se.factor.beredskap\":[{\"from\":\"2025-01-01\",\"value\":\"1/5\",\"ref\":\"r\"}],"
    "\"se.expense.cap.entrance\":[{\"from\":\"2025-01-01\",\"value\":\"100\",\"ref\":\"r\"}],"
    "\"se.expense.cap.travel\":[{\"from\":\"2025-01-01\",\"value\":\"none\",\"ref\":\"r\"}]}}";
static const char POLICY_NO_FB[] =
    "{\"format\":\"bpa-policy/1\",\"id\":\"t\",\"title\":\"t\",\"country\":\"SE\","
    "\"schemes\":[\"se-sfb-51\"],\"references\":{\"r\":\"FK\"},\"params\":{"
    "\"se.schablon\":[{\"from\":\"2025-01-01\",\"value\":\"342.60\",\"ref\":\"r\"}]}}";

static bpa_policy *P;
static bpa_case *C;
static bpa_se_grant G;
static bpa_se_usage *U;
static bpa_se_settlement *S;
static bpa_error E;

static void q_set(mpq_t q, const char *s)
{
    ck_assert_int_eq(mpq_set_str(q, s, 10), 0);
    mpq_canonicalize(q);
}

static void eq(const mpq_t q, const char *s)
{
    mpq_t t;
    mpq_init(t);
    q_set(t, s);
    char *got = mpq_get_str(NULL, 10, q);
    ck_assert_msg(mpq_equal(q, t), "got %s, expected %s", got, s);
    free(got);
    mpq_clear(t);
}

static void load_case(const char *periods, const char *policy)
{
    char buf[2048];
    snprintf(buf, sizeof buf,
             "{\"format\":\"bpa-case/1\",\"case\":\"T-1\",\"scheme\":\"se-sfb-51\","
             "\"policy\":\"t\",\"year\":2025,\"periods\":[%s]}",
             periods);
    bpa_error_clear(&E);
    ck_assert_msg(bpa_case_load_mem(&C, "case.json", buf, strlen(buf), &E) == BPA_OK, "%s",
                  E.message);
    ck_assert_msg(bpa_policy_load_mem(&P, "t.json", policy, strlen(policy), &E) == BPA_OK, "%s",
                  E.message);
}

/* The budget of the case's periods, by hand: billable[p][m] hours per month
 * (7.7, worked out in each test), each month's budget amount R3 of it. */
static void budget(bpa_se_cap_unit unit, const char *const *billable, bool fb)
{
    memset(&G, 0, sizeof G);
    G.kase = C;
    G.policy = P;
    G.nperiods = C->se->nperiods;
    G.periods = calloc(G.nperiods, sizeof *G.periods);
    size_t b = 0;
    for (size_t i = 0; i < G.nperiods; i++) {
        bpa_se_budget_period *p = &G.periods[i];
        const bpa_se_period *cp = &C->se->periods[i];
        p->period = i;
        p->from = cp->from;
        p->to = cp->to;
        p->days = cp->to - cp->from + 1;
        p->payment = cp->payment;
        p->cap_unit = unit;
        mpq_inits(p->billable, p->amount, p->kommun_hours, p->kommun_amount, NULL);
        for (int k = 0; k < BPA_SE_KINDS; k++)
            mpq_init(p->granted[k]);
        int y = bpa_date_year(cp->from), m = bpa_date_month(cp->from);
        int ye = bpa_date_year(cp->to), me = bpa_date_month(cp->to);
        p->nmonths = (size_t)((ye * 12 + me) - (y * 12 + m) + 1);
        p->months = calloc(p->nmonths, sizeof *p->months);
        for (size_t k = 0; k < p->nmonths; k++, b++) {
            bpa_se_budget_month *bm = &p->months[k];
            int yy = y + (m - 1 + (int)k) / 12, mm = (m - 1 + (int)k) % 12 + 1;
            bm->year = yy;
            bm->month = mm;
            mpq_inits(bm->factor_vantetid, bm->factor_beredskap, bm->billable, bm->schablon,
                      bm->raised_max_pct, bm->rate_max, bm->rate, bm->exact, bm->amount,
                      bm->kommun_hours, bm->kommun_exact, bm->kommun_amount, NULL);
            for (int j = 0; j < BPA_SE_KINDS; j++)
                mpq_init(bm->granted[j]);
            q_set(bm->factor_vantetid, "1/4");
            bm->has_factor_beredskap = fb;
            if (fb)
                q_set(bm->factor_beredskap, "1/5");
            q_set(bm->billable, billable[b]);
            q_set(bm->rate, "1713/5"); /* 342.60 */
            mpq_mul(bm->exact, bm->billable, bm->rate);
            bpa_round(bm->amount, bm->exact, BPA_ROUND_HALF_AWAY_FROM_ZERO);
            bm->rakning_due = bpa_date_make(yy + (mm + 1) / 12, (mm + 1) % 12 + 1, 5);
            mpq_add(p->billable, p->billable, bm->billable);
            mpq_add(p->amount, p->amount, bm->amount);
        }
    }
}

static void budget_release(void)
{
    for (size_t i = 0; i < G.nperiods; i++) {
        bpa_se_budget_period *p = &G.periods[i];
        for (size_t k = 0; k < p->nmonths; k++) {
            bpa_se_budget_month *bm = &p->months[k];
            mpq_clears(bm->factor_vantetid, bm->factor_beredskap, bm->billable, bm->schablon,
                       bm->raised_max_pct, bm->rate_max, bm->rate, bm->exact, bm->amount,
                       bm->kommun_hours, bm->kommun_exact, bm->kommun_amount, NULL);
            for (int j = 0; j < BPA_SE_KINDS; j++)
                mpq_clear(bm->granted[j]);
        }
        free(p->months);
        mpq_clears(p->billable, p->amount, p->kommun_hours, p->kommun_amount, NULL);
        for (int k = 0; k < BPA_SE_KINDS; k++)
            mpq_clear(p->granted[k]);
    }
    free(G.periods);
    memset(&G, 0, sizeof G);
}

static void setup(void) { mkdir("/tmp/sesettle", 0700); }

static void teardown(void)
{
    bpa_se_settle_free(S);
    S = NULL;
    bpa_se_usage_free(U);
    U = NULL;
    budget_release();
    bpa_case_free(C);
    C = NULL;
    bpa_policy_free(P);
    P = NULL;
}

static void usage_mem(const char *body)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "{\"format\":\"bpa-usage/1\",\"case\":\"T-1\"%s}", body);
    bpa_error_clear(&E);
    ck_assert_msg(bpa_se_usage_load_mem(&U, "/tmp/sesettle/usage.json", buf, strlen(buf), &E) ==
                      BPA_OK,
                  "%s", E.message);
}

static bpa_status run(void)
{
    bpa_error_clear(&E);
    return bpa_se_settle(&S, &G, U, &E);
}

static void ok(void)
{
    bpa_status st = run();
    ck_assert_msg(st == BPA_OK, "%s:%u:%u %s: %s", E.file, E.line, E.column, E.path, E.message);
    mpq_t t;
    mpq_init(t);
    for (size_t i = 0; i < S->nperiods; i++)
        for (size_t k = 0; k < S->periods[i].nmonths; k++) {
            const bpa_se_settle_month *m = &S->periods[i].months[k];
            mpq_add(t, m->capped, m->not_paid);
            ck_assert(mpq_equal(t, m->billable)); /* capped + not_paid = billable */
        }
    mpq_clear(t);
    char *j1 = NULL, *j2 = NULL, *sv = NULL, *en = NULL;
    ck_assert_int_eq(bpa_se_settle_to_json(S, &j1, &E), BPA_OK);
    ck_assert_int_eq(bpa_se_settle_to_json(S, &j2, &E), BPA_OK);
    ck_assert_str_eq(j1, j2); /* byte-identical */
    ck_assert_ptr_nonnull(strstr(j1, "\"format\": \"bpa-se-settlement-result/1\""));
    ck_assert_int_eq(bpa_se_settle_summary(S, BPA_LANG_SV, &sv, &E), BPA_OK);
    ck_assert_int_eq(bpa_se_settle_summary(S, BPA_LANG_EN, &en, &E), BPA_OK);
    ck_assert_ptr_nonnull(strstr(sv, "Beviljandeperiod"));
    ck_assert_ptr_nonnull(strstr(en, "Grant period"));
    for (size_t i = 0; i < S->trace.n; i++)
        for (int l = 0; l < BPA_LANG_COUNT; l++) {
            bpa_trace_text tt;
            ck_assert_int_eq(bpa_trace_entry_render(&S->trace.entries[i], (bpa_lang)l, &tt, &E),
                             BPA_OK);
            ck_assert_ptr_null(strstr(tt.inputs, "{"));
            ck_assert_ptr_null(strstr(tt.result, "{"));
            bpa_trace_text_release(&tt);
        }
    free(j1);
    free(j2);
    free(sv);
    free(en);
}

static bool has_warning(bpa_warning_code code)
{
    for (size_t i = 0; i < S->warnings.n; i++)
        if (S->warnings.codes[i] == code)
            return true;
    return false;
}

/* July-August 2025, 7 h aktiv a week: granted 7 x 31/7 = 31 h each month,
 * 62 h in the period. */
#define JULAUG(pay) "{\"from\":\"2025-07-01\",\"to\":\"2025-08-31\",\"payment\":\"" pay "\",\"per_week\":\"7\"}"
static const char *const B3131[] = {"31", "31"};

/* Period cap: July 40 h uses 40 of the 62, August 30 h gets the 22 left
 * (8 not paid). July 40 x 342.60 = 13704.00, August 22 x 342.60 = 7537.20.
 * Efterskott: paid = amount, balance 0. Slutavräkning: 31 Aug + 1 = 1 Sep,
 * + 2 months = 1 Nov, - 1 day = 31 Oct. */
START_TEST(cap_period_efterskott)
{
    load_case(JULAUG("efterskott"), POLICY);
    budget(BPA_SE_CAP_PERIOD, B3131, false);
    usage_mem(",\"used\":[{\"month\":\"2025-07\",\"kind\":\"aktiv\",\"hours\":\"40\"},"
              "{\"month\":\"2025-08\",\"kind\":\"aktiv\",\"hours\":\"30\"}]");
    ok();
    const bpa_se_settle_period *p = &S->periods[0];
    eq(p->months[0].capped, "40");
    eq(p->months[0].amount, "13704");
    eq(p->months[0].cap_left, "62"); /* the whole period before July */
    eq(p->months[1].cap_left, "22"); /* 62 - 40 */
    eq(p->months[1].capped, "22");
    eq(p->months[1].not_paid, "8");
    eq(p->months[1].amount, "37686/5"); /* 7537.20 */
    eq(p->months[1].paid, "37686/5");
    eq(p->not_paid_hours, "8");
    eq(S->not_paid_hours, "8"); /* the one period's 8 */
    ck_assert(!S->has_kommun_share);
    eq(p->balance, "0");
    ck_assert_int_eq(p->direction, BPA_SETTLED);
    ck_assert_int_eq(p->slutavrakning_due, bpa_date_make(2025, 10, 31));
    ck_assert_int_eq(p->months[0].rakning_due, bpa_date_make(2025, 9, 5));
    ck_assert_uint_eq(S->nlisted_apart, 2);
    ck_assert_uint_eq(S->ntidsredovisningar, 0);
}
END_TEST

/* Month cap, forskott with payments: July min(40, 31) = 31 h, 31 x 342.60
 * = 10620.60; August min(30, 31) = 30 h = 10278.00. Paid: July 10000.00
 * (month given), August 5000.00 + 1000.50 (the dates' month) = 6000.50.
 * Balance 16000.50 - 20898.60 = -4898.10: paid out to the recipient. */
START_TEST(cap_month_forskott_payments)
{
    load_case(JULAUG("forskott"), POLICY);
    budget(BPA_SE_CAP_MONTH, B3131, false);
    usage_mem(",\"used\":[{\"month\":\"2025-07\",\"kind\":\"aktiv\",\"hours\":\"40\"},"
              "{\"month\":\"2025-08\",\"kind\":\"aktiv\",\"hours\":\"30\"}],"
              "\"payments\":[{\"date\":\"2025-06-25\",\"month\":\"2025-07\",\"amount\":\"10000.00\"},"
              "{\"date\":\"2025-08-01\",\"amount\":\"5000.00\"},"
              "{\"date\":\"2025-08-20\",\"amount\":\"1000.50\"}]");
    ok();
    const bpa_se_settle_period *p = &S->periods[0];
    eq(p->months[0].capped, "31");
    eq(p->months[0].not_paid, "9");
    eq(p->months[0].amount, "53103/5"); /* 10620.60 */
    eq(p->months[1].amount, "10278");
    eq(p->months[0].paid, "10000");
    eq(p->months[1].paid, "12001/2"); /* 6000.50 */
    ck_assert_uint_eq(p->months[1].npayments, 2);
    eq(p->balance, "-48981/10");
    ck_assert_int_eq(p->direction, BPA_PAY_OUT);
    ck_assert(!has_warning(BPA_WARN_SE_NO_PAYMENTS));
}
END_TEST

/* Forskott without payments: each month paid its budget amount, 31 x
 * 342.60 = 10620.60; used July 20 h (6852.00) and August 10 h (3426.00).
 * Balance 21241.20 - 10278.00 = 10963.20: repay; no_payments. */
START_TEST(forskott_without_payments)
{
    load_case(JULAUG("forskott"), POLICY);
    budget(BPA_SE_CAP_PERIOD, B3131, false);
    usage_mem(",\"used\":[{\"month\":\"2025-07\",\"kind\":\"aktiv\",\"hours\":\"20\"},"
              "{\"month\":\"2025-08\",\"kind\":\"aktiv\",\"hours\":\"10\"}]");
    ok();
    const bpa_se_settle_period *p = &S->periods[0];
    eq(p->months[0].paid, "53103/5");
    eq(p->months[1].paid, "53103/5");
    ck_assert(!p->months[0].paid_by_payments);
    eq(p->amount, "10278");
    eq(p->balance, "54816/5"); /* 10963.20 */
    ck_assert_int_eq(p->direction, BPA_REPAY);
    ck_assert(has_warning(BPA_WARN_SE_NO_PAYMENTS));
}
END_TEST

/* July shared by two periods: a payment or a used row for it is an error. */
START_TEST(shared_month_errors)
{
    load_case("{\"from\":\"2025-06-01\",\"to\":\"2025-07-15\",\"payment\":\"forskott\",\"per_week\":\"7\"},"
              "{\"from\":\"2025-07-16\",\"to\":\"2025-08-31\",\"payment\":\"forskott\",\"per_week\":\"7\"}",
              POLICY);
    static const char *const b[] = {"30", "15", "16", "31"};
    budget(BPA_SE_CAP_PERIOD, b, false);
    usage_mem(",\"payments\":[{\"date\":\"2025-07-01\",\"amount\":\"100.00\"}]");
    ck_assert_int_eq(run(), BPA_E_INPUT);
    ck_assert_ptr_nonnull(strstr(E.message, "two grant periods share"));
    ck_assert_str_eq(E.path, "$.payments[0]");
    ck_assert_ptr_null(S);
    bpa_se_usage_free(U);
    U = NULL;
    usage_mem(",\"used\":[{\"month\":\"2025-07\",\"kind\":\"aktiv\",\"hours\":\"1\"}]");
    ck_assert_int_eq(run(), BPA_E_INPUT);
    ck_assert_ptr_nonnull(strstr(E.message, "time reports"));
}
END_TEST

/* Factors: July aktiv 10, väntetid 8, beredskap 10 h: billable 10 + 8/4 +
 * 10/5 = 14 h (granted 31), 14 x 342.60 = 4796.40. */
START_TEST(factors)
{
    load_case("{\"from\":\"2025-07-01\",\"to\":\"2025-08-31\",\"payment\":\"efterskott\","
              "\"per_week\":\"7\",\"beredskap_per_week\":\"7\"}",
              POLICY);
    budget(BPA_SE_CAP_MONTH, B3131, true);
    usage_mem(",\"used\":[{\"month\":\"2025-07\",\"kind\":\"aktiv\",\"hours\":\"10\"},"
              "{\"month\":\"2025-07\",\"kind\":\"vantetid\",\"hours\":\"8\"},"
              "{\"month\":\"2025-07\",\"kind\":\"beredskap\",\"hours\":\"10\"}]");
    ok();
    eq(S->periods[0].months[0].billable, "14");
    eq(S->periods[0].months[0].amount, "23982/5"); /* 4796.40 */
    /* väntetid is not granted by this period: not_granted */
    ck_assert(has_warning(BPA_WARN_SE_NOT_GRANTED));
}
END_TEST

/* Beredskap used in a period that does not grant it: the factor is read
 * from the policy (1/5: 10 h -> 2 h billable) and not_granted is warned;
 * without the parameter it is a policy error naming it. */
START_TEST(beredskap_factor_needed)
{
    load_case(JULAUG("efterskott"), POLICY);
    budget(BPA_SE_CAP_PERIOD, B3131, false);
    usage_mem(",\"used\":[{\"month\":\"2025-08\",\"kind\":\"beredskap\",\"hours\":\"10\"}]");
    ok();
    eq(S->periods[0].months[1].billable, "2");
    ck_assert(has_warning(BPA_WARN_SE_NOT_GRANTED));
    ck_assert_uint_eq(S->nused, 1);
    ck_assert_str_eq(S->used[0].name, "se.factor.beredskap");
    teardown();
    load_case(JULAUG("efterskott"), POLICY_NO_FB);
    budget(BPA_SE_CAP_PERIOD, B3131, false);
    usage_mem(",\"used\":[{\"month\":\"2025-08\",\"kind\":\"beredskap\",\"hours\":\"10\"}]");
    ck_assert_int_eq(run(), BPA_E_POLICY);
    ck_assert_ptr_nonnull(strstr(E.message, "se.factor.beredskap"));
}
END_TEST

/* The kommun share is the budget's, copied. */
START_TEST(kommun_share_copied)
{
    load_case(JULAUG("efterskott"), POLICY);
    budget(BPA_SE_CAP_PERIOD, B3131, false);
    G.periods[0].has_kommun_share = true;
    q_set(G.periods[0].kommun_hours, "1240/7"); /* 20 x 62/7 */
    q_set(G.periods[0].kommun_amount, "303447/5");
    usage_mem("");
    ok();
    ck_assert(S->periods[0].has_kommun_share);
    eq(S->periods[0].kommun_hours, "1240/7");
    eq(S->periods[0].kommun_amount, "303447/5");
    /* one period: the settlement's sums are its figures */
    ck_assert(S->has_kommun_share);
    eq(S->kommun_hours, "1240/7");
    eq(S->kommun_amount, "303447/5");
}
END_TEST

/* Slutavräkning: ending 30 June -> 31 August; ending 31 December -> end of
 * February (2026-02-28). */
START_TEST(slutavrakning_dates)
{
    load_case("{\"from\":\"2025-06-01\",\"to\":\"2025-06-30\",\"payment\":\"efterskott\",\"per_week\":\"7\"},"
              "{\"from\":\"2025-12-01\",\"to\":\"2025-12-31\",\"payment\":\"efterskott\",\"per_week\":\"7\"}",
              POLICY);
    static const char *const b[] = {"30", "31"};
    budget(BPA_SE_CAP_PERIOD, b, false);
    usage_mem("");
    ok();
    ck_assert_int_eq(S->periods[0].slutavrakning_due, bpa_date_make(2025, 8, 31));
    ck_assert_int_eq(S->periods[1].slutavrakning_due, bpa_date_make(2026, 2, 28));
}
END_TEST

/* Receipts: entrance cap 100: 120.00 without approval -> 100.00 + 20.00 not
 * reimbursable; 120.00 approved -> 120.00; 80.00 approved -> 80.00 (under
 * the cap, nothing changes); travel "none" 500.00 -> 500.00. Totals 800.00
 * and 20.00. A category without a cap parameter is a policy error. */
START_TEST(receipts_caps)
{
    load_case(JULAUG("efterskott"), POLICY);
    budget(BPA_SE_CAP_PERIOD, B3131, false);
    usage_mem(",\"expenses\":["
              "{\"date\":\"2025-07-08\",\"category\":\"entrance\",\"amount\":\"120.00\"},"
              "{\"date\":\"2025-07-09\",\"category\":\"entrance\",\"amount\":\"120.00\",\"approved\":\"beslut 1\"},"
              "{\"date\":\"2025-07-10\",\"category\":\"entrance\",\"amount\":\"80.00\",\"approved\":\"beslut 2\"},"
              "{\"date\":\"2025-07-11\",\"category\":\"travel\",\"amount\":\"500.00\"}]");
    ok();
    eq(S->receipts[0].reimbursable, "100");
    eq(S->receipts[0].not_reimbursable, "20");
    eq(S->receipts[1].reimbursable, "120");
    eq(S->receipts[1].not_reimbursable, "0");
    eq(S->receipts[2].reimbursable, "80");
    ck_assert(!S->receipts[3].capped);
    eq(S->receipts[3].reimbursable, "500");
    eq(S->reimbursable, "800");
    eq(S->not_reimbursable, "20");
    teardown();
    load_case(JULAUG("efterskott"), POLICY);
    budget(BPA_SE_CAP_PERIOD, B3131, false);
    usage_mem(",\"expenses\":[{\"date\":\"2025-07-08\",\"category\":\"food\",\"amount\":\"1.00\"}]");
    ck_assert_int_eq(run(), BPA_E_POLICY);
    ck_assert_ptr_nonnull(strstr(E.message, "se.expense.cap.food"));
}
END_TEST

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void usage_file(const char *body)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "{\"format\":\"bpa-usage/1\",\"case\":\"T-1\"%s}", body);
    write_file("/tmp/sesettle/usage.json", buf);
    bpa_error_clear(&E);
    ck_assert_msg(bpa_se_usage_load(&U, "/tmp/sesettle/usage.json", &E) == BPA_OK, "%s",
                  E.message);
}

/* The October night: 2025-10-26 00:00-04:00 is 5 hours of real time (the
 * clocks go back at 03:00). A night shift 31 Oct 22:00 - 1 Nov 02:00 counts
 * 2 h in October and 2 h in November and once in each month's shifts.
 * October: 5 + 2 = 7 h, 2 shifts; November 2 h, 1 shift; plus Bo 1.5 h in
 * November. Billable = aktiv; capped (granted 31 and 30): all. October 7 x
 * 342.60 = 2398.20. The tidsredovisningar add up to the reported hours. */
START_TEST(october_night_time_report)
{
    load_case("{\"from\":\"2025-10-01\",\"to\":\"2025-11-30\",\"payment\":\"efterskott\",\"per_week\":\"7\"}",
              POLICY);
    static const char *const b[] = {"31", "30"};
    budget(BPA_SE_CAP_MONTH, b, false);
    write_file("/tmp/sesettle/tid.csv", "helper,date,start,end,kind\n"
                                        "Anna,2025-10-26,00:00,04:00,aktiv\n"
                                        "Bo,2025-11-03,08:00,09:30,aktiv\n"
                                        "Anna,2025-10-31,22:00,02:00,aktiv\n");
    usage_file(",\"timesheets\":[\"tid.csv\"]");
    ok();
    const bpa_se_settle_period *p = &S->periods[0];
    eq(p->months[0].used[0], "7");
    eq(p->months[0].reported[0], "7");
    eq(p->months[1].used[0], "7/2");
    eq(p->months[0].amount, "11991/5"); /* 2398.20 */
    ck_assert_uint_eq(S->ntidsredovisningar, 3);
    ck_assert_str_eq(S->tidsredovisningar[0].helper, "Anna");
    ck_assert_int_eq(S->tidsredovisningar[0].month, 10);
    eq(S->tidsredovisningar[0].hours[0], "7");
    ck_assert_int_eq(S->tidsredovisningar[0].shifts, 2);
    ck_assert_int_eq(S->tidsredovisningar[1].month, 11);
    eq(S->tidsredovisningar[1].hours[0], "2");
    ck_assert_int_eq(S->tidsredovisningar[1].shifts, 1);
    ck_assert_str_eq(S->tidsredovisningar[2].helper, "Bo");
    eq(S->tidsredovisningar[2].hours[0], "3/2");
    eq(S->tidsredovisningar[2].total, "3/2");
    /* the checks: October Anna 7 = räkning 7; November Anna 2 + Bo 3/2 = 7/2 */
    ck_assert_uint_eq(S->nreport_checks, 2);
    ck_assert_int_eq(S->report_checks[0].month, 10);
    eq(S->report_checks[0].reports[0], "7");
    eq(S->report_checks[0].rakning[0], "7");
    ck_assert_int_eq(S->report_checks[1].month, 11);
    eq(S->report_checks[1].reports[0], "7/2");
    eq(S->report_checks[1].rakning[0], "7/2");
    ck_assert(S->report_checks[0].agree && S->report_checks[1].agree);
    /* per month, the tidsredovisningar sum exactly to the räkning's reported hours */
    for (size_t k = 0; k < p->nmonths; k++) {
        mpq_t sum;
        mpq_init(sum);
        for (size_t i = 0; i < S->ntidsredovisningar; i++)
            if (S->tidsredovisningar[i].month == p->months[k].month)
                mpq_add(sum, sum, S->tidsredovisningar[i].hours[0]);
        ck_assert(mpq_equal(sum, p->months[k].reported[0]));
        mpq_clear(sum);
    }
    ck_assert_int_eq(S->shifts, 3);
    ck_assert_int_eq(S->files, 1);
    /* the räkning form's unit: November 7/2 h = 3 h 30 min */
    char *json = NULL;
    ck_assert_int_eq(bpa_se_settle_to_json(S, &json, &E), BPA_OK);
    ck_assert_ptr_nonnull(strstr(json, "\"aktiv_hm\": \"3:30\""));
    ck_assert_ptr_nonnull(strstr(json, "\"aktiv_hm\": \"7:00\""));
    ck_assert_ptr_nonnull(strstr(json, "\"name\": \"tid.csv\""));
    free(json);
}
END_TEST

/* Week cap: September 2025 (1 Sep a Monday), 7 h a week = 1 h a day.
 * Week 1-7 Sep: cap 7; Mon 5 h all capped, Tue 5 h: 2 capped, 3 not paid.
 * Week 8-14 Sep: 3 h capped. Month: billable 13, capped 10, not paid 3;
 * 10 x 342.60 = 3426.00. Hours before the period (31 Aug) are outside. A
 * `used` row is then an error. */
START_TEST(cap_week)
{
    load_case("{\"from\":\"2025-09-01\",\"to\":\"2025-09-30\",\"payment\":\"efterskott\",\"per_week\":\"7\"}",
              POLICY);
    static const char *const b[] = {"30"};
    budget(BPA_SE_CAP_WEEK, b, false);
    write_file("/tmp/sesettle/week.csv", "helper,date,start,end,kind\n"
                                         "Anna,2025-09-02,08:00,13:00,aktiv\n"
                                         "Anna,2025-09-01,08:00,13:00,aktiv\n"
                                         "Anna,2025-09-08,08:00,11:00,aktiv\n"
                                         "Anna,2025-08-31,08:00,10:00,aktiv\n");
    usage_file(",\"timesheets\":[\"week.csv\"]");
    ok();
    const bpa_se_settle_month *m = &S->periods[0].months[0];
    eq(m->billable, "13");
    eq(m->capped, "10");
    eq(m->not_paid, "3");
    eq(m->amount, "3426");
    eq(S->outside[0], "2");
    teardown();
    load_case("{\"from\":\"2025-09-01\",\"to\":\"2025-09-30\",\"payment\":\"efterskott\",\"per_week\":\"7\"}",
              POLICY);
    budget(BPA_SE_CAP_WEEK, b, false);
    usage_mem(",\"used\":[{\"month\":\"2025-09\",\"kind\":\"aktiv\",\"hours\":\"1\"}]");
    ck_assert_int_eq(run(), BPA_E_INPUT);
    ck_assert_ptr_nonnull(strstr(E.message, "week"));
}
END_TEST

/* Working time, FK's example: 28-day periods from Friday 1 August 2025, so
 * 1-28 August and 29 August-25 September; the period before is 4-31 July.
 * 2 h a week is the limit here: 2 x 28/7 = 8 h a period.
 * Anna: 31 Jul 20-22 (2 h, July's period: under), 28 Aug 08-18 (10 h) and
 * the night 28 Aug 22:00 - 29 Aug 06:00 (2 h on the 28th, 6 h on the 29th),
 * 29 Aug 08-09 (1 h). Period 1-28 Aug: 10 + 2 = 12 h, 4 h above 8;
 * period 29 Aug-25 Sep: 6 + 1 = 7 h, under. One working-time entry and one
 * warning. */
START_TEST(worktime_fk_periods)
{
    static const char policy[] =
        "{\"format\":\"bpa-policy/1\",\"id\":\"t\",\"title\":\"t\",\"country\":\"SE\","
        "\"schemes\":[\"se-sfb-51\"],\"references\":{\"r\":\"FK\"},\"params\":{"
        "\"se.schablon\":[{\"from\":\"2025-01-01\",\"value\":\"342.60\",\"ref\":\"r\"}],"
        "\"se.worktime.max_hours_per_week\":[{\"from\":\"2025-01-01\",\"value\":\"2\",\"ref\":\"r\"}],"
        "\"se.worktime.period_days\":[{\"from\":\"2025-01-01\",\"value\":28,\"ref\":\"r\"}],"
        "\"se.worktime.period_start\":[{\"from\":\"2025-01-01\",\"value\":\"2025-08-01\",\"ref\":\"r\"}]}}";
    load_case("{\"from\":\"2025-07-01\",\"to\":\"2025-09-30\",\"payment\":\"efterskott\",\"per_week\":\"40\"}",
              policy);
    static const char *const b[] = {"100", "100", "100"};
    budget(BPA_SE_CAP_PERIOD, b, false);
    write_file("/tmp/sesettle/wt.csv", "helper,date,start,end,kind\n"
                                       "Anna,2025-08-28,22:00,06:00,aktiv\n"
                                       "Anna,2025-07-31,20:00,22:00,aktiv\n"
                                       "Anna,2025-08-29,08:00,09:00,aktiv\n"
                                       "Anna,2025-08-28,08:00,18:00,aktiv\n");
    usage_file(",\"timesheets\":[\"wt.csv\"]");
    ok();
    ck_assert_uint_eq(S->nworktime, 1);
    const bpa_se_worktime *w = &S->worktime[0];
    ck_assert_str_eq(w->helper, "Anna");
    ck_assert_int_eq(w->from, bpa_date_make(2025, 8, 1));
    ck_assert_int_eq(w->to, bpa_date_make(2025, 8, 28));
    eq(w->hours, "12");
    eq(w->limit, "8");
    eq(w->excess, "4");
    ck_assert(has_warning(BPA_WARN_WORKTIME));
}
END_TEST

/* The used rows listed apart are summed per month and kind and listed by
 * month, then kind (aktiv, väntetid, beredskap), whatever the rows' order in
 * the usage file: August aktiv 3, July väntetid 4, July aktiv 10 and July
 * aktiv 5.5 become July aktiv 10 + 5.5 = 15.5, July väntetid 4, August aktiv
 * 3. The same rows in another order give the same list. */
START_TEST(used_rows_listed_in_order)
{
    static const char *const rows[2] = {
        ",\"used\":[{\"month\":\"2025-08\",\"kind\":\"aktiv\",\"hours\":\"3\"},"
        "{\"month\":\"2025-07\",\"kind\":\"vantetid\",\"hours\":\"4\"},"
        "{\"month\":\"2025-07\",\"kind\":\"aktiv\",\"hours\":\"10\"},"
        "{\"month\":\"2025-07\",\"kind\":\"aktiv\",\"hours\":\"5.5\"}]",
        ",\"used\":[{\"month\":\"2025-07\",\"kind\":\"aktiv\",\"hours\":\"5.5\"},"
        "{\"month\":\"2025-07\",\"kind\":\"vantetid\",\"hours\":\"4\"},"
        "{\"month\":\"2025-08\",\"kind\":\"aktiv\",\"hours\":\"3\"},"
        "{\"month\":\"2025-07\",\"kind\":\"aktiv\",\"hours\":\"10\"}]"};
    for (int v = 0; v < 2; v++) {
        if (v)
            teardown();
        load_case(JULAUG("efterskott"), POLICY);
        budget(BPA_SE_CAP_PERIOD, B3131, false);
        usage_mem(rows[v]);
        ok();
        ck_assert_uint_eq(S->nlisted_apart, 3);
        const bpa_se_used_row *l = S->listed_apart;
        ck_assert_int_eq(l[0].month, 7);
        ck_assert_int_eq(l[0].kind, BPA_KIND_AKTIV);
        eq(l[0].hours, "31/2");
        ck_assert_int_eq(l[1].month, 7);
        ck_assert_int_eq(l[1].kind, BPA_KIND_VANTETID);
        eq(l[1].hours, "4");
        ck_assert_int_eq(l[2].month, 8);
        ck_assert_int_eq(l[2].kind, BPA_KIND_AKTIV);
        eq(l[2].hours, "3");
    }
}
END_TEST

/* July 2025 shared by three periods: 1 Jul, 2 Jul and 3-31 Jul, 70 h aktiv a
 * week = 10 h a day: granted 10, 10 and 29 x 10 = 290 h. Anna's 4 h on 10 Jul
 * (08-12) lie in the third period: its July has 4 h aktiv, all reported and
 * capped, 4 x 342.60 = 1370.40, and nothing is outside every period; the
 * first two have 2 h (1 Jul 08-10) and 3 h (2 Jul 08-11). The tidsredovisning
 * of July is 2 + 3 + 4 = 9 h. A used row or a payment for July is an error. */
START_TEST(month_of_three_periods)
{
    const char *periods =
        "{\"from\":\"2025-07-01\",\"to\":\"2025-07-01\",\"payment\":\"efterskott\",\"per_week\":\"70\"},"
        "{\"from\":\"2025-07-02\",\"to\":\"2025-07-02\",\"payment\":\"efterskott\",\"per_week\":\"70\"},"
        "{\"from\":\"2025-07-03\",\"to\":\"2025-07-31\",\"payment\":\"efterskott\",\"per_week\":\"70\"}";
    static const char *const b[] = {"10", "10", "290"};
    load_case(periods, POLICY);
    budget(BPA_SE_CAP_PERIOD, b, false);
    write_file("/tmp/sesettle/three.csv", "helper,date,start,end,kind\n"
                                          "Anna,2025-07-10,08:00,12:00,aktiv\n"
                                          "Anna,2025-07-01,08:00,10:00,aktiv\n"
                                          "Anna,2025-07-02,08:00,11:00,aktiv\n");
    usage_file(",\"timesheets\":[\"three.csv\"]");
    ok();
    ck_assert_uint_eq(S->nperiods, 3);
    eq(S->periods[0].months[0].used[0], "2");
    eq(S->periods[1].months[0].used[0], "3");
    const bpa_se_settle_month *m = &S->periods[2].months[0];
    eq(m->used[0], "4");
    eq(m->reported[0], "4");
    eq(m->capped, "4");
    eq(m->amount, "6852/5"); /* 1370.40 */
    eq(S->outside[0], "0");
    ck_assert_uint_eq(S->ntidsredovisningar, 1);
    eq(S->tidsredovisningar[0].hours[0], "9");
    ck_assert_int_eq(S->tidsredovisningar[0].shifts, 3);
    teardown();
    const char *rows[2] = {",\"used\":[{\"month\":\"2025-07\",\"kind\":\"aktiv\",\"hours\":\"1\"}]",
                           ",\"payments\":[{\"date\":\"2025-07-01\",\"amount\":\"100.00\"}]"};
    for (int v = 0; v < 2; v++) {
        if (v)
            teardown();
        load_case(periods, POLICY);
        budget(BPA_SE_CAP_PERIOD, b, false);
        usage_mem(rows[v]);
        ck_assert_int_eq(run(), BPA_E_INPUT);
        ck_assert_ptr_nonnull(strstr(E.message, "share"));
        ck_assert_ptr_null(S);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("se_settle");
    TCase *t = tcase_create("core");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, cap_period_efterskott);
    tcase_add_test(t, cap_month_forskott_payments);
    tcase_add_test(t, forskott_without_payments);
    tcase_add_test(t, shared_month_errors);
    tcase_add_test(t, factors);
    tcase_add_test(t, beredskap_factor_needed);
    tcase_add_test(t, kommun_share_copied);
    tcase_add_test(t, slutavrakning_dates);
    tcase_add_test(t, receipts_caps);
    tcase_add_test(t, october_night_time_report);
    tcase_add_test(t, cap_week);
    tcase_add_test(t, worktime_fk_periods);
    tcase_add_test(t, used_rows_listed_in_order);
    tcase_add_test(t, month_of_three_periods);
    suite_add_tcase(s, t);
    return s;
}

BPA_TEST_MAIN(suite)
