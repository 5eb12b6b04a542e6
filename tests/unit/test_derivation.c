/* The grant and the account record what every figure was made from
 * (derivations as data): hour terms, rate components with the parameters
 * read, R4 operands, the account's sums. Expected figures by hand from the
 * fixture cases (fixtures/cases) and RULES.md 7.1-7.4 and 8.2. */
#include <stdio.h>
#include <string.h>

#include "bpa/case.h"
#include "bpa/grant.h"
#include "bpa/policy.h"
#include "bpa/settle.h"
#include "bpa/usage.h"
#include "testutil.h"

typedef struct loaded {
    bpa_case *c;
    bpa_policy *p;
    bpa_grant *g;
} loaded;

static void load(loaded *l, const char *name)
{
    bpa_error err;
    char path[512];
    snprintf(path, sizeof path, "%s/fixtures/cases/%s.json", BPA_SOURCE_DIR, name);
    ck_assert_int_eq(bpa_case_load(&l->c, path, &err), BPA_OK);
    char *pp = bpa_case_policy_path(l->c, BPA_SOURCE_DIR "/fixtures/policies");
    ck_assert_int_eq(bpa_policy_load(&l->p, pp, &err), BPA_OK);
    free(pp);
    ck_assert_msg(bpa_grant_compute(&l->g, l->c, l->p, &err) == BPA_OK, "%s", err.message);
}

static void unload(loaded *l)
{
    bpa_grant_free(l->g);
    bpa_policy_free(l->p);
    bpa_case_free(l->c);
}

static void assert_q(const mpq_t q, long num, unsigned long den)
{
    mpq_t want;
    mpq_init(want);
    mpq_set_si(want, num, den);
    mpq_canonicalize(want);
    ck_assert_msg(mpq_equal(q, want), "got %s, expected %ld/%lu", mpq_get_str(NULL, 10, q), num,
                  den);
    mpq_clear(want);
}

/* The wage line of a category whose segment starts on `from`. */
static const bpa_line *wage_line(const bpa_grant *g, bpa_kind kind, bpa_band band, bpa_date from)
{
    for (size_t i = 0; i < g->nlines; i++) {
        const bpa_line *l = &g->lines[i];
        if (l->rule == BPA_LINE_WAGES && l->category.kind == kind && l->category.band == band &&
            l->from == from)
            return l;
    }
    ck_abort_msg("no wage line");
    return NULL;
}

/* Every fixture: a wage line's hours are the exact sum of its terms, and
 * each term is amount x (52 x) days / divisor. */
START_TEST(terms_add_up_in_every_fixture)
{
    static const char *const names[] = {"alb-2025-full-year", "alb-2025-mid-year-change",
                                        "alb-2025-trips", "alb-2025-transferred-association",
                                        "alb-2025-payroll-association", "aarhus-2021-tariff-change",
                                        "ex-2025-half-even", "her-2025-94-hourly",
                                        "her-2025-94-monthly"};
    for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
        loaded l;
        load(&l, names[n]);
        mpq_t sum, t;
        mpq_inits(sum, t, NULL);
        for (size_t i = 0; i < l.g->nlines; i++) {
            const bpa_line *ln = &l.g->lines[i];
            if (ln->rule != BPA_LINE_WAGES)
                continue;
            ck_assert_uint_gt(ln->nterms, 0);
            mpq_set_ui(sum, 0, 1);
            for (size_t k = 0; k < ln->nterms; k++) {
                const bpa_hours_term *term = &ln->terms[k];
                unsigned long num = (unsigned long)term->days *
                                    (term->basis == BPA_HOURS_WEEKS52 ? 52 : 1);
                mpq_set_ui(t, num, (unsigned long)term->divisor);
                mpq_canonicalize(t);
                mpq_mul(t, t, term->amount);
                ck_assert(mpq_equal(t, term->hours));
                mpq_add(sum, sum, term->hours);
            }
            ck_assert_msg(mpq_equal(sum, ln->hours), "%s line %zu", names[n], i);
            ck_assert(ln->mode == l.g->segments[ln->segment].mode);
            /* the rate's wage parameter is the one named by its step */
            const bpa_rate *r = &l.g->rates[ln->rate];
            char want[32];
            snprintf(want, sizeof want, "wage.hourly.%d", r->category.step);
            ck_assert_str_eq(l.g->used[r->wage_read].name, want);
            ck_assert(mpq_equal(l.g->used[r->wage_read].v->q, r->wage));
        }
        mpq_clears(sum, t, NULL);
        unload(&l);
    }
}
END_TEST

/* alb-2025-full-year: 37 h a week of day work, weeks52: January is
 * 37 x 52 x 31/365 = 59644/365 hours, one term. */
START_TEST(weeks52_term)
{
    loaded l;
    load(&l, "alb-2025-full-year");
    const bpa_line *ln = wage_line(l.g, BPA_KIND_WORK, BPA_BAND_DAY, bpa_date_make(2025, 1, 1));
    ck_assert_uint_eq(ln->nterms, 1);
    ck_assert_int_eq(ln->terms[0].basis, BPA_HOURS_WEEKS52);
    assert_q(ln->terms[0].amount, 37, 1);
    ck_assert_int_eq(ln->terms[0].days, 31);
    ck_assert_int_eq(ln->terms[0].divisor, 365);
    assert_q(ln->hours, 59644, 365);
    /* the evening rate reads its supplement; the day rate none */
    const bpa_line *ev = wage_line(l.g, BPA_KIND_WORK, BPA_BAND_EVENING, bpa_date_make(2025, 1, 1));
    const bpa_rate *r = &l.g->rates[ev->rate];
    ck_assert(r->has_supplement);
    ck_assert_str_eq(l.g->used[r->supplement_read].name, "supplement.evening");
    ck_assert_uint_eq(l.g->rates[ln->rate].supplement_read, BPA_NO_PARAM);
    ck_assert_uint_eq(l.g->rates[ln->rate].fraction_read, BPA_NO_PARAM);
    unload(&l);
}
END_TEST

/* alb-2025-trips: on-call hours "total": 365 over the whole year (D = 365),
 * plus the vacation trip 25 July - 7 August with 16 extra hours a day:
 * July 31 x 365/365 + 7 x 16 = 143, August the same; the weekend trip of
 * 13-14 September is the only saturday work: 2 x 10 = 20 hours. */
START_TEST(total_and_trip_terms)
{
    loaded l;
    load(&l, "alb-2025-trips");
    const bpa_line *jul = wage_line(l.g, BPA_KIND_ON_CALL, BPA_BAND_ANY, bpa_date_make(2025, 7, 1));
    ck_assert_uint_eq(jul->nterms, 2);
    ck_assert_int_eq(jul->terms[0].basis, BPA_HOURS_TOTAL);
    ck_assert_int_eq(jul->terms[0].days, 31);
    ck_assert_int_eq(jul->terms[0].divisor, 365);
    ck_assert_int_eq(jul->terms[1].basis, BPA_HOURS_TRIP);
    ck_assert_uint_eq(jul->terms[1].source, 0);
    ck_assert_int_eq(jul->terms[1].days, 7);
    assert_q(jul->terms[1].amount, 16, 1);
    assert_q(jul->hours, 143, 1);
    const bpa_line *aug = wage_line(l.g, BPA_KIND_ON_CALL, BPA_BAND_ANY, bpa_date_make(2025, 8, 1));
    assert_q(aug->hours, 143, 1);
    const bpa_line *sat =
        wage_line(l.g, BPA_KIND_WORK, BPA_BAND_SATURDAY, bpa_date_make(2025, 9, 1));
    ck_assert_uint_eq(sat->nterms, 1);
    ck_assert_int_eq(sat->terms[0].basis, BPA_HOURS_TRIP);
    ck_assert_uint_eq(sat->terms[0].source, 1);
    assert_q(sat->hours, 20, 1);
    /* on-call rates read on_call.fraction */
    ck_assert_str_eq(l.g->used[l.g->rates[jul->rate].fraction_read].name, "on_call.fraction");
    unload(&l);
}
END_TEST

/* alb-2025-transferred-association: 5.45 kr at 2015 level with I[2015] =
 * 100, I[2025] = 120 is indexed once to 6.54 (R4); every administration
 * line points at that record; January's line covers all 138 hours a week:
 * 138 x 52 x 31/365 hours. */
START_TEST(indexation_recorded_once)
{
    loaded l;
    load(&l, "alb-2025-transferred-association");
    ck_assert_uint_eq(l.g->nindexations, 1);
    const bpa_indexation *ix = &l.g->indexations[0];
    assert_q(ix->amount, 545, 100);
    ck_assert_int_eq(ix->level, 2015);
    ck_assert_int_eq(ix->year, 2025);
    assert_q(ix->index_year, 120, 1);
    assert_q(ix->index_level, 100, 1);
    assert_q(ix->exact, 654, 100);
    assert_q(ix->indexed, 654, 100);
    ck_assert_str_eq(l.g->used[ix->param_read].name, "admin.transferred.per_hour");
    ck_assert_str_eq(l.g->used[ix->series_read].name, "index.series");
    size_t admin = 0;
    for (size_t i = 0; i < l.g->nlines; i++) {
        const bpa_line *ln = &l.g->lines[i];
        if (ln->rule != BPA_LINE_ADMIN)
            continue;
        admin++;
        ck_assert_uint_eq(ln->indexation, 0);
        ck_assert(!ln->work_hours_only);
        ck_assert(mpq_equal(ln->rate_value, ix->indexed));
        if (ln->from == bpa_date_make(2025, 1, 1))
            assert_q(ln->hours, 138 * 52 * 31, 365);
    }
    ck_assert_uint_ge(admin, 12);
    unload(&l);
}
END_TEST

/* alb-2025-payroll-association: the payroll cap lines carry helpers, days
 * and year days (helpers x 31/365 in March, the decision's first month) and the indexation of
 * 2,030 kr to 2,436 kr. */
START_TEST(per_helper_factors)
{
    loaded l;
    load(&l, "alb-2025-payroll-association");
    bool seen = false;
    for (size_t i = 0; i < l.g->nlines; i++) {
        const bpa_line *ln = &l.g->lines[i];
        if (ln->rule != BPA_LINE_PAYROLL_ADMIN_CAP || ln->from != bpa_date_make(2025, 3, 1))
            continue;
        seen = true;
        ck_assert_int_eq(ln->days, 31);
        ck_assert_int_eq(ln->year_days, 365);
        assert_q(ln->hours, ln->helpers * 31, 365);
        assert_q(l.g->indexations[ln->indexation].indexed, 2436, 1);
    }
    ck_assert(seen);
    /* the year's payments to the recipient are recorded, not summed by writers */
    mpq_t sum;
    mpq_init(sum);
    for (size_t m = 0; m < l.g->nmonths; m++)
        mpq_add(sum, sum, l.g->months[m].recipient);
    ck_assert(mpq_equal(sum, l.g->total_recipient));
    mpq_clear(sum);
    unload(&l);
}
END_TEST

/* The account records its sums and the parameters it read. */
START_TEST(settlement_records)
{
    loaded l;
    load(&l, "alb-2025-transferred-association");
    bpa_usage *u;
    bpa_settlement *s;
    bpa_error err;
    ck_assert_int_eq(bpa_usage_load(&u, BPA_SOURCE_DIR
                                    "/fixtures/usage/alb-2025-transferred-association.json",
                                    &err),
                     BPA_OK);
    ck_assert_msg(bpa_settle_compute(&s, l.g, u, &err) == BPA_OK, "%s", err.message);
    ck_assert(s->admin_follows);
    ck_assert(!s->payroll_admin);
    const char *expected[] = {"settlement.pools", "rounding.mode", "settlement.account_due",
                              "settlement.carry_over_max_pct", "settlement.admin_follows_hours",
                              "settlement.cap_at_actual_costs", "admin.transferred.hours"};
    ck_assert_uint_eq(s->nused, 7);
    for (size_t i = 0; i < 7; i++)
        ck_assert_str_eq(s->used[i].name, expected[i]);
    mpq_t sum;
    mpq_init(sum);
    for (size_t i = 0; i < s->ncategories; i++)
        mpq_add(sum, sum, s->categories[i].used);
    ck_assert(mpq_equal(sum, s->category_total.used));
    ck_assert(mpq_equal(s->pool_total.unused_value, s->unused_value_total));
    mpq_set_ui(sum, 0, 1);
    for (size_t m = 0; m < s->nmonths; m++) {
        ck_assert_int_eq(s->months[m].year, 2025);
        if (m)
            ck_assert_int_gt(s->months[m].month, s->months[m - 1].month);
        mpq_add(sum, sum, s->months[m].granted);
    }
    ck_assert(mpq_equal(sum, s->months_granted));
    mpq_clear(sum);
    bpa_settle_free(s);
    bpa_usage_free(u);
    unload(&l);
}
END_TEST

static Suite *derivation_suite(void)
{
    Suite *s = suite_create("derivation");
    TCase *tc = tcase_create("derivation");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, terms_add_up_in_every_fixture);
    tcase_add_test(tc, weeks52_term);
    tcase_add_test(tc, total_and_trip_terms);
    tcase_add_test(tc, indexation_recorded_once);
    tcase_add_test(tc, per_helper_factors);
    tcase_add_test(tc, settlement_records);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(derivation_suite)
