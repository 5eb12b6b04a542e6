/* The portfolio's records and sums (bpa/portfolio.h), on result JSONs made
 * by hand: rows read from them, lines there and back, totals per scheme and
 * direction worked out by hand. */
#include <gmp.h>
#include <string.h>

#include "testutil.h"

#include "bpa/portfolio.h"

static const char *grant_dk(const char *scheme, const char *total)
{
    static char buf[4][512];
    static int k;
    char *b = buf[k++ % 4];
    snprintf(b, 512,
             "{\"format\": \"bpa-grant-result/1\", \"case\": \"C-%s\", \"scheme\": \"%s\", "
             "\"policy\": {\"id\": \"pol\"}, \"warnings\": [{\"code\": \"example_value\"}], "
             "\"totals\": {\"grant\": \"%s\"}}",
             total, scheme, total);
    return b;
}

static const char settle_repay[] =
    "{\"case\": \"C\", \"scheme\": \"dk-sel-96\", \"policy\": {\"id\": \"pol\"}, "
    "\"warnings\": [{\"code\": \"example_value\"}, {\"code\": \"carry_over\"}], "
    "\"balance\": \"0.10\", \"direction\": \"repay\", \"due_date\": \"2026-03-01\"}";
static const char settle_repay2[] =
    "{\"case\": \"C\", \"scheme\": \"dk-sel-96\", \"policy\": {\"id\": \"pol\"}, "
    "\"warnings\": [], \"balance\": \"0.20\", \"direction\": \"repay\", "
    "\"due_date\": \"2026-03-01\"}";
static const char se_grant[] =
    "{\"case\": \"S\", \"scheme\": \"se-sfb-51\", \"policy\": {\"id\": \"fk\"}, "
    "\"warnings\": [], \"totals\": {\"billable\": \"10.0000\", \"amount\": \"3000.50\"}}";
static const char se_settle[] =
    "{\"case\": \"S\", \"scheme\": \"se-sfb-51\", \"policy\": {\"id\": \"fk\"}, "
    "\"warnings\": [{\"code\": \"worktime\"}], \"balance\": \"-12.34\", "
    "\"direction\": \"pay_out\", \"periods\": [{\"slutavrakning_due\": \"2026-02-28\"}, "
    "{\"slutavrakning_due\": \"2026-08-31\"}]}";

static bpa_portfolio_case *row(const char *id, const char *g, const char *s)
{
    bpa_portfolio_case *c = NULL;
    bpa_error err;
    ck_assert_int_eq(bpa_portfolio_case_from_results(&c, id, "x.json", g, s, &err), BPA_OK);
    return c;
}

START_TEST(test_row_dk)
{
    bpa_portfolio_case *c = row("a", grant_dk("dk-sel-96", "100.10"), settle_repay);
    ck_assert_str_eq(c->case_id, "C");
    ck_assert_str_eq(c->scheme, "dk-sel-96");
    ck_assert_str_eq(c->policy, "pol");
    ck_assert(c->has_grant && c->has_settlement && c->has_due);
    ck_assert_int_eq(mpq_cmp_si(c->grant, 10010, 100), 0);
    ck_assert_int_eq(mpq_cmp_si(c->balance, 1, 10), 0);
    ck_assert_int_eq(c->direction, BPA_REPAY);
    ck_assert_int_eq(c->due, bpa_date_make(2026, 3, 1));
    /* the settlement's warnings (it repeats the grant's) */
    ck_assert_uint_eq(c->nwarnings, 2);
    ck_assert_str_eq(c->warnings[1], "carry_over");
    ck_assert_ptr_null(c->error);
    bpa_portfolio_case_free(c);
}
END_TEST

START_TEST(test_row_se)
{
    bpa_portfolio_case *c = row("s", se_grant, se_settle);
    ck_assert_int_eq(mpq_cmp_si(c->grant, 300050, 100), 0);
    ck_assert_int_eq(mpq_cmp_si(c->balance, -1234, 100), 0);
    ck_assert_int_eq(c->direction, BPA_PAY_OUT);
    /* the last period's slutavräkning */
    ck_assert_int_eq(c->due, bpa_date_make(2026, 8, 31));
    bpa_portfolio_case_free(c);
}
END_TEST

START_TEST(test_row_bad)
{
    bpa_portfolio_case *c = NULL;
    bpa_error err;
    ck_assert_int_eq(bpa_portfolio_case_from_results(&c, "a", "g.json", "{", NULL, &err),
                     BPA_E_INPUT);
    ck_assert_ptr_null(c);
    ck_assert_str_eq(err.file, "g.json");
    ck_assert_int_eq(bpa_portfolio_case_from_results(
                         &c, "a", "g.json", "{\"case\": \"C\", \"scheme\": \"dk-sel-96\"}", NULL,
                         &err),
                     BPA_E_INPUT);
    ck_assert_str_eq(err.path, "$.policy.id");
    /* an amount bpa did not write (three decimals): its row would show
     * 0.13 while the totals summed 0.125 */
    ck_assert_int_eq(bpa_portfolio_case_from_results(&c, "a", "g.json",
                                                     grant_dk("dk-sel-96", "0.125"), NULL, &err),
                     BPA_E_INPUT);
    ck_assert_ptr_null(c);
    ck_assert_str_eq(err.path, "$.totals");
    ck_assert_ptr_nonnull(strstr(err.message, "at most two decimals"));
}
END_TEST

static void roundtrip(const bpa_portfolio_case *c)
{
    char *a = NULL, *b = NULL;
    bpa_portfolio_case *d = NULL;
    bpa_error err;
    ck_assert_int_eq(bpa_portfolio_case_to_line(c, &a, &err), BPA_OK);
    ck_assert_ptr_null(strchr(a, '\n'));
    ck_assert_int_eq(bpa_portfolio_case_from_line(&d, a, &err), BPA_OK);
    ck_assert_int_eq(bpa_portfolio_case_to_line(d, &b, &err), BPA_OK);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    bpa_portfolio_case_free(d);
}

START_TEST(test_lines)
{
    bpa_portfolio_case *c = row("a", grant_dk("dk-sel-96", "100.10"), settle_repay);
    roundtrip(c);
    bpa_portfolio_case_free(c);
    c = row("g", grant_dk("dk-sel-94", "5.00"), NULL);
    roundtrip(c);
    bpa_portfolio_case_free(c);
    bpa_error err;
    ck_assert_int_eq(bpa_portfolio_case_failed(&c, "f", "input error: x.json:1:2: \"bad\"", 1, &err),
                     BPA_OK);
    roundtrip(c);
    bpa_portfolio_case_free(c);
    ck_assert_int_eq(bpa_portfolio_case_from_line(&c, "{\"id\": 3}", &err), BPA_E_INPUT);
    ck_assert_ptr_null(c);
    /* fuzz/regressions/portfolio/grant-with-three-decimals.json */
    ck_assert_int_eq(bpa_portfolio_case_from_line(
                         &c,
                         "{\"id\":\"a\",\"case\":\"A\",\"scheme\":\"dk-sel-96\",\"policy\":"
                         "\"p\",\"grant\":\"0.125\",\"settlement\":null,\"warnings\":"
                         "{\"count\":0,\"codes\":[]},\"error\":null}",
                         &err),
                     BPA_E_INPUT);
    ck_assert_ptr_null(c);
}
END_TEST

START_TEST(test_totals)
{
    bpa_portfolio *p = NULL;
    bpa_error err;
    ck_assert_int_eq(bpa_portfolio_new(&p, &err), BPA_OK);
    /* added out of order: rows come out sorted by id */
    ck_assert_int_eq(bpa_portfolio_add(p, row("d", grant_dk("dk-sel-96", "0.20"), settle_repay2), &err), BPA_OK);
    ck_assert_int_eq(bpa_portfolio_add(p, row("b", grant_dk("dk-sel-96", "0.10"), settle_repay), &err), BPA_OK);
    ck_assert_int_eq(bpa_portfolio_add(p, row("c", grant_dk("dk-sel-96", "7.00"), NULL), &err), BPA_OK);
    ck_assert_int_eq(bpa_portfolio_add(p, row("a", se_grant, se_settle), &err), BPA_OK);
    bpa_portfolio_case *f = NULL;
    ck_assert_int_eq(bpa_portfolio_case_failed(&f, "e", "input error: bad", 1, &err), BPA_OK);
    ck_assert_int_eq(bpa_portfolio_add(p, f, &err), BPA_OK);
    ck_assert_int_eq(bpa_portfolio_finish(p, &err), BPA_OK);
    ck_assert_uint_eq(p->ncases, 5);
    ck_assert_uint_eq(p->nfailed, 1);
    ck_assert_str_eq(p->cases[0]->id, "a");
    ck_assert_str_eq(p->cases[4]->id, "e");
    /* dk-sel-96 without settlement (c), dk-sel-96 repay (b, d), se-sfb-51 pay_out (a) */
    ck_assert_uint_eq(p->ntotals, 3);
    ck_assert_str_eq(p->totals[0].scheme, "dk-sel-96");
    ck_assert(!p->totals[0].has_direction);
    ck_assert_uint_eq(p->totals[0].cases, 1);
    ck_assert_int_eq(mpq_cmp_si(p->totals[0].grant, 7, 1), 0);
    ck_assert(p->totals[1].has_direction && p->totals[1].direction == BPA_REPAY);
    ck_assert_uint_eq(p->totals[1].cases, 2);
    /* 0.10 + 0.20 is 3/10 exactly */
    ck_assert_int_eq(mpq_cmp_si(p->totals[1].grant, 3, 10), 0);
    ck_assert_int_eq(mpq_cmp_si(p->totals[1].balance, 3, 10), 0);
    ck_assert_str_eq(p->totals[2].scheme, "se-sfb-51");
    ck_assert_int_eq(mpq_cmp_si(p->totals[2].balance, -1234, 100), 0);
    char *json = NULL;
    ck_assert_int_eq(bpa_portfolio_to_json(p, &json, &err), BPA_OK);
    ck_assert_ptr_nonnull(strstr(json, "\"format\": \"bpa-portfolio-result/1\""));
    ck_assert_ptr_nonnull(strstr(json, "\"grant\": \"0.30\""));
    ck_assert_ptr_nonnull(strstr(json, "\"balance\": \"-12.34\""));
    ck_assert_ptr_nonnull(strstr(json, "\"failed\": 1"));
    free(json);
    bpa_portfolio_free(p);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("portfolio");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_row_dk);
    tcase_add_test(tc, test_row_se);
    tcase_add_test(tc, test_row_bad);
    tcase_add_test(tc, test_lines);
    tcase_add_test(tc, test_totals);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(suite)
