/* The Swedish budget workbook (RULES.md 7.7, 10) from a budget built by
 * hand, so the writer is tested apart from the engine: one period
 * 2025-07-01..2025-07-31, 84 h/week aktiv and 14 h/week väntetid, factor
 * 1/4, schablon 342,60, kommun share 20 h/week.
 *   aktiv     84 × 31/7 = 372 h; väntetid 14 × 31/7 = 62 h
 *   billable  372 + 62/4 = 387,5 h; amount 387,5 × 342,60 = 132 757,50
 *   kommun    20 × 31/7 = 620/7 h; 620/7 × 342,60 = 212 412/7 = 30 344,5714… → 30 344,57
 * The writer must render these (it computes nothing): formulas over the
 * Indata cells and the stored values. */
#include <gmp.h>
#include <string.h>

#include "bpa/se.h"
#include "io/xlsx.h"
#include "testutil.h"

static const char case_json[] =
    "{\"format\": \"bpa-case/1\", \"case\": \"SE-T-1\", \"scheme\": \"se-sfb-51\",\n"
    " \"policy\": \"fk\", \"year\": 2025,\n"
    " \"periods\": [{\"from\": \"2025-07-01\", \"to\": \"2025-07-31\", \"payment\": \"efterskott\",\n"
    "   \"per_week\": \"84\", \"vantetid_per_week\": \"14\"}]}\n";

static void q(mpq_t x, const char *s)
{
    mpq_init(x);
    ck_assert_int_eq(mpq_set_str(x, s, 10), 0);
    mpq_canonicalize(x);
}

typedef struct found {
    bool amount, hours, kommun;
    char sheets[5][40];
} found;

static void scan(const char *path, found *f)
{
    bpa_xlsx *x;
    bpa_error err;
    ck_assert_int_eq(bpa_xlsx_open_file(&x, path, &err), BPA_OK);
    ck_assert_uint_eq(bpa_xlsx_sheet_count(x), 5);
    for (size_t i = 0; i < 5; i++) {
        snprintf(f->sheets[i], sizeof f->sheets[i], "%s", bpa_xlsx_sheet_name(x, i));
        bpa_xlsx_sheet *s;
        ck_assert_int_eq(bpa_xlsx_sheet_open(x, i, &s, &err), BPA_OK);
        const bpa_xlsx_cell *c;
        while (bpa_xlsx_sheet_next(s, &c, &err) == BPA_OK && c) {
            if (!c->formula)
                continue;
            if (i == 1 && strstr(c->formula, "ROUND(") && strcmp(c->value, "132757.5") == 0)
                f->amount = true;
            if (i == 1 && strstr(c->formula, "'Indata'!") && strstr(c->formula, "/7") &&
                strcmp(c->value, "372") == 0)
                f->hours = true;
            if (i == 2 && strstr(c->formula, "ROUND(") && strcmp(c->value, "30344.57") == 0)
                f->kommun = true;
        }
        bpa_xlsx_sheet_close(s);
    }
    bpa_xlsx_free(x);
}

START_TEST(budget_workbook_sv)
{
    bpa_error err;
    bpa_case *c;
    ck_assert_int_eq(bpa_case_load_mem(&c, "case.json", case_json, strlen(case_json), &err),
                     BPA_OK);
    bpa_policy *p;
    ck_assert_int_eq(bpa_policy_load(&p, "fixtures/policies/fk.json", &err), BPA_OK);

    bpa_se_budget_month m;
    memset(&m, 0, sizeof m);
    m.year = 2025, m.month = 7, m.days = 31, m.period_days = 31;
    q(m.granted[0], "372"), q(m.granted[1], "62"), q(m.granted[2], "0");
    m.per_week[0] = m.per_week[1] = true;
    q(m.factor_vantetid, "1/4");
    q(m.factor_beredskap, "0");
    q(m.billable, "775/2");
    m.rate_source = BPA_SE_RATE_SCHABLON;
    q(m.schablon, "3426/10"), q(m.raised_max_pct, "0"), q(m.rate_max, "0");
    q(m.rate, "3426/10");
    q(m.exact, "265515/2"), q(m.amount, "265515/2");
    m.rakning_due = bpa_date_make(2025, 9, 5);
    m.has_kommun_share = true;
    q(m.kommun_hours, "620/7"), q(m.kommun_exact, "212412/7"), q(m.kommun_amount, "3034457/100");
    m.rate_read = m.schablon_read = m.max_pct_read = m.vantetid_read = m.beredskap_read =
        m.rounding_read = m.kommun_read = BPA_NO_PARAM;

    bpa_se_budget_period bp;
    memset(&bp, 0, sizeof bp);
    bp.from = bpa_date_make(2025, 7, 1), bp.to = bpa_date_make(2025, 7, 31), bp.days = 31;
    bp.cap_unit_read = bp.max_months_read = BPA_NO_PARAM;
    bp.months = &m, bp.nmonths = 1;
    q(bp.granted[0], "372"), q(bp.granted[1], "62"), q(bp.granted[2], "0");
    q(bp.billable, "775/2"), q(bp.amount, "265515/2");
    bp.has_kommun_share = true;
    q(bp.kommun_hours, "620/7"), q(bp.kommun_amount, "3034457/100");

    bpa_se_grant g;
    memset(&g, 0, sizeof g);
    g.kase = c, g.policy = p, g.periods = &bp, g.nperiods = 1;
    q(g.total_billable, "775/2"), q(g.total_amount, "265515/2");
    g.has_kommun_share = true;
    q(g.total_kommun_hours, "620/7"), q(g.total_kommun_amount, "3034457/100");

    const char *path = "build/tests/se-budget-test.xlsx";
    ck_assert_int_eq(bpa_se_grant_workbook_write(&g, path, BPA_LANG_SV, &err), BPA_OK);
    found f;
    memset(&f, 0, sizeof f);
    scan(path, &f);
    ck_assert_str_eq(f.sheets[0], "Sammanfattning");
    ck_assert_str_eq(f.sheets[1], "Budget per månad");
    ck_assert_str_eq(f.sheets[2], "Kommunens andel");
    ck_assert_str_eq(f.sheets[3], "Indata");
    ck_assert_str_eq(f.sheets[4], "Spårning");
    ck_assert(f.hours);  /* =Indata!C..*C5/7 stored 372 */
    ck_assert(f.amount); /* ROUND(billable*rate,2) stored 132 757,50 */
    ck_assert(f.kommun); /* ROUND(hours*rate,2) stored 30 344,57 */
    ck_assert_int_eq(bpa_se_grant_workbook_write(&g, path, BPA_LANG_EN, &err), BPA_OK);
    memset(&f, 0, sizeof f);
    scan(path, &f);
    ck_assert_str_eq(f.sheets[0], "Summary");
    ck_assert_str_eq(f.sheets[1], "Budget by month");
    remove(path);

    mpq_t *all[] = {&m.granted[0], &m.granted[1], &m.granted[2], &m.factor_vantetid,
                    &m.factor_beredskap, &m.billable, &m.schablon, &m.raised_max_pct,
                    &m.rate_max, &m.rate, &m.exact, &m.amount, &m.kommun_hours,
                    &m.kommun_exact, &m.kommun_amount, &bp.granted[0], &bp.granted[1],
                    &bp.granted[2], &bp.billable, &bp.amount, &bp.kommun_hours,
                    &bp.kommun_amount, &g.total_billable, &g.total_amount,
                    &g.total_kommun_hours, &g.total_kommun_amount};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        mpq_clear(*all[i]);
    bpa_policy_free(p);
    bpa_case_free(c);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("workbook_se");
    TCase *tc = tcase_create("budget");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, budget_workbook_sv);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(suite)
