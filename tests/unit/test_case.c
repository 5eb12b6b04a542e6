/* Case files: the header, the Danish body and the Swedish body (RULES.md 6). */
#include <string.h>

#include "bpa/case.h"
#include "bpa/lang.h"
#include "testutil.h"

static bpa_case *load(const char *text, bpa_error *err)
{
    bpa_case *c = NULL;
    bpa_case_load_mem(&c, "case.json", text, strlen(text), err);
    return c;
}

START_TEST(danish_body)
{
    bpa_error err;
    bpa_case *c = load("{\"format\":\"bpa-case/1\",\"case\":\"A\",\"scheme\":\"dk-sel-96\","
                       "\"policy\":\"p\",\"year\":2025,\"employer\":\"citizen\",\"helpers\":3,"
                       "\"decisions\":[{\"from\":\"2025-07-01\",\"to\":\"2025-12-31\",\"hours\":"
                       "[{\"kind\":\"work\",\"band\":\"day\",\"step\":11,\"per_week\":\"10\"}]},"
                       "{\"from\":\"2025-01-01\",\"to\":\"2025-06-30\",\"hours\":"
                       "[{\"kind\":\"on_call\",\"step\":11,\"total\":\"100\"}]}]}",
                       &err);
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_nonnull(c->dk);
    ck_assert_ptr_null(c->se);
    ck_assert_int_eq(c->year, 2025);
    ck_assert_int_eq(c->dk->helpers, 3);
    ck_assert_uint_eq(c->dk->ndecisions, 2);
    /* sorted by date */
    ck_assert_int_eq(c->dk->decisions[0].from, bpa_date_make(2025, 1, 1));
    ck_assert_int_eq(c->dk->decisions[0].lines[0].kind, BPA_KIND_ON_CALL);
    ck_assert(!c->dk->decisions[0].lines[0].per_week);
    bpa_case_free(c);
}
END_TEST

START_TEST(swedish_body)
{
    bpa_error err;
    /* two periods crossing a year end, given out of order; väntetid in total */
    bpa_case *c = load("{\"format\":\"bpa-case/1\",\"case\":\"S\",\"scheme\":\"se-sfb-51\","
                       "\"policy\":\"fk\",\"year\":2025,\"periods\":["
                       "{\"from\":\"2026-01-01\",\"to\":\"2026-06-30\",\"payment\":\"forskott\","
                       "\"per_week\":\"40\",\"rate\":\"360.00\"},"
                       "{\"from\":\"2025-07-01\",\"to\":\"2025-12-31\",\"payment\":\"efterskott\","
                       "\"total\":\"1000.5\",\"vantetid_total\":\"80\",\"beredskap_per_week\":"
                       "\"12\"}]}",
                       &err);
    ck_assert_msg(c != NULL, "%s", err.message);
    ck_assert_ptr_null(c->dk);
    ck_assert_uint_eq(c->se->nperiods, 2);
    const bpa_se_period *a = &c->se->periods[0], *b = &c->se->periods[1];
    ck_assert_int_eq(a->from, bpa_date_make(2025, 7, 1));
    ck_assert_int_eq(a->to, bpa_date_make(2025, 12, 31));
    ck_assert_int_eq(a->payment, BPA_SE_EFTERSKOTT);
    ck_assert(a->hours[0].given && !a->hours[0].per_week);
    ck_assert_int_eq(mpq_cmp_si(a->hours[0].amount, 2001, 2), 0);
    ck_assert(a->hours[1].given && !a->hours[1].per_week);
    ck_assert_int_eq(mpq_cmp_ui(a->hours[1].amount, 80, 1), 0);
    ck_assert(a->hours[2].given && a->hours[2].per_week);
    ck_assert(!a->has_rate);
    ck_assert_int_eq(b->payment, BPA_SE_FORSKOTT);
    ck_assert(b->has_rate);
    ck_assert_int_eq(mpq_cmp_ui(b->rate, 360, 1), 0);
    ck_assert(!b->hours[1].given && !b->hours[2].given);
    bpa_case_free(c);

    c = load("{\"format\":\"bpa-case/1\",\"case\":\"K\",\"scheme\":\"se-lss-9-2\",\"policy\":"
             "\"kumla\",\"year\":2024,\"periods\":[{\"from\":\"2024-01-01\",\"to\":"
             "\"2024-06-30\",\"payment\":\"efterskott\",\"per_week\":\"20\",\"tier\":\"B\"}]}",
             &err);
    ck_assert_msg(c != NULL, "%s", err.message);
    ck_assert_str_eq(c->se->periods[0].tier, "B");
    bpa_case_free(c);
}
END_TEST

START_TEST(bodies_do_not_mix)
{
    bpa_error err;
    /* a Swedish case with a Danish key, a Danish kind in a Swedish period */
    ck_assert_ptr_null(load("{\"format\":\"bpa-case/1\",\"case\":\"S\",\"scheme\":\"se-sfb-51\","
                            "\"policy\":\"fk\",\"year\":2025,\"helpers\":2,\"periods\":[]}",
                            &err));
    ck_assert_ptr_nonnull(strstr(err.message, "\"helpers\" belongs to Danish cases"));
    ck_assert_ptr_null(load("{\"format\":\"bpa-case/1\",\"case\":\"S\",\"scheme\":\"se-sfb-51\","
                            "\"policy\":\"fk\",\"year\":2025,\"periods\":[{\"from\":"
                            "\"2025-01-01\",\"to\":\"2025-06-30\",\"payment\":\"forskott\","
                            "\"per_week\":\"40\",\"tier\":\"A\"}]}",
                            &err));
    ck_assert_ptr_nonnull(strstr(err.message, "\"tier\" belongs to se-lss-9-2"));
    ck_assert_ptr_null(load("{\"format\":\"bpa-case/1\",\"case\":\"S\",\"scheme\":\"se-sfb-51\","
                            "\"policy\":\"fk\",\"year\":2025,\"periods\":[{\"from\":"
                            "\"2025-01-01\",\"to\":\"2025-06-30\",\"payment\":\"monthly\","
                            "\"per_week\":\"40\"}]}",
                            &err));
    ck_assert_str_eq(err.path, "$.periods[0].payment");
}
END_TEST

START_TEST(kinds_per_country)
{
    bpa_kind k;
    ck_assert(bpa_kind_parse(BPA_COUNTRY_DK, "work", &k) && k == BPA_KIND_WORK);
    ck_assert(bpa_kind_parse(BPA_COUNTRY_DK, "on_call", &k) && k == BPA_KIND_ON_CALL);
    ck_assert(!bpa_kind_parse(BPA_COUNTRY_DK, "aktiv", &k));
    ck_assert(bpa_kind_parse(BPA_COUNTRY_SE, "vantetid", &k) && k == BPA_KIND_VANTETID);
    ck_assert(bpa_kind_parse(BPA_COUNTRY_SE, "beredskap", &k) && k == BPA_KIND_BEREDSKAP);
    ck_assert(!bpa_kind_parse(BPA_COUNTRY_SE, "work", &k));
    ck_assert_int_eq(bpa_scheme_country(BPA_SCHEME_SE_LSS_9_2), BPA_COUNTRY_SE);
    ck_assert_int_eq(bpa_lang_of_scheme(BPA_SCHEME_DK_SEL_94), BPA_LANG_DA);
}
END_TEST

static Suite *case_suite(void)
{
    Suite *s = suite_create("case");
    TCase *tc = tcase_create("case");
    tcase_add_test(tc, danish_body);
    tcase_add_test(tc, swedish_body);
    tcase_add_test(tc, bodies_do_not_mix);
    tcase_add_test(tc, kinds_per_country);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(case_suite)
