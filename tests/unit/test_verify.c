/* bpa verify's parts that need no files: exact reading of stored numbers
 * (JSON results and .xlsx cells), and the rendering of a recorded result
 * (the list in three languages, bpa-verify-result/1). */
#include <stdlib.h>
#include <string.h>

#include "audit/verify_int.h"
#include "core/alloc.h"
#include "testutil.h"

static bool parses_to(const char *text, const char *want)
{
    mpq_t q, w;
    mpq_inits(q, w, NULL);
    bool ok = vf_number_parse(q, text, strlen(text));
    if (ok) {
        mpq_set_str(w, want, 10);
        mpq_canonicalize(w);
        ok = mpq_equal(q, w);
    }
    mpq_clears(q, w, NULL);
    return ok;
}

static bool rejects(const char *text)
{
    mpq_t q;
    mpq_init(q);
    bool ok = !vf_number_parse(q, text, strlen(text));
    mpq_clear(q);
    return ok;
}

START_TEST(numbers)
{
    ck_assert(parses_to("1757.5000", "3515/2"));
    ck_assert(parses_to("-0.01", "-1/100"));
    ck_assert(parses_to("163.107000818331", "163107000818331/1000000000000"));
    ck_assert(parses_to("1.234567890123457E+17", "123456789012345700"));
    ck_assert(parses_to("5E-3", "1/200"));
    ck_assert(parses_to("39863351/244400", "39863351/244400"));
    ck_assert(parses_to("45658", "45658"));
    ck_assert(rejects(""));
    ck_assert(rejects("1.2.3"));
    ck_assert(rejects("1/0"));
    ck_assert(rejects("12,5"));
    ck_assert(rejects("2025-01-01"));
    ck_assert(rejects("E5"));
    ck_assert(rejects("."));
}
END_TEST

/* A result as verify records it: one figure difference, stamps that differ. */
static bpa_verify_result *sample(void)
{
    bpa_error err;
    bpa_verify_result *r = bpa_calloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    r->kind = BPA_ACCOUNT_RESULT;
    r->account = bpa_strdup("dir/account.json");
    r->case_id = bpa_strdup("ALB-2025-0001");
    r->year = 2025;
    r->checked = 146;
    r->agree = true;
    strcpy(r->account_sha256, "00");
    ck_assert_int_eq(vf_diff(r, BPA_DIFF_FIGURE, "lines.payments", "1112.44", "1112.45",
                             "$.lines.payments", &err), BPA_OK);
    r->expected.engine = bpa_strdup("bpa 0.1.0");
    r->found.engine = bpa_strdup("bpa 0.0.9");
    ck_assert_int_eq(vf_stamp_add(&r->expected, "case.json", "aa", &err), BPA_OK);
    return r;
}

START_TEST(summary_languages)
{
    bpa_error err;
    bpa_verify_result *r = sample();
    ck_assert(!r->agree);
    char *t = NULL;
    ck_assert_int_eq(bpa_verify_summary(r, BPA_LANG_DA, &t, &err), BPA_OK);
    ck_assert_ptr_nonnull(strstr(t, "1 afvigelse blandt 146 kontrollerede tal:"));
    ck_assert_ptr_nonnull(strstr(t, "genberegnet: 1.112,44, fundet: 1.112,45, hvor: $.lines.payments"));
    ck_assert_ptr_nonnull(strstr(t, "Stemplerne afviger"));
    free(t);
    ck_assert_int_eq(bpa_verify_summary(r, BPA_LANG_SV, &t, &err), BPA_OK);
    ck_assert_ptr_nonnull(strstr(t, "omräknat: 1 112,44, funnet: 1 112,45, var: $.lines.payments"));
    free(t);
    ck_assert_int_eq(bpa_verify_summary(r, BPA_LANG_EN, &t, &err), BPA_OK);
    ck_assert_ptr_nonnull(strstr(t, "recomputed: 1,112.44, found: 1,112.45, where: $.lines.payments"));
    ck_assert_ptr_nonnull(strstr(t, "Account: account.json (bpa result JSON)"));
    free(t);
    ck_assert_int_eq(bpa_verify_to_json(r, &t, &err), BPA_OK);
    ck_assert_ptr_nonnull(strstr(t, "\"format\": \"bpa-verify-result/1\""));
    ck_assert_ptr_nonnull(strstr(t, "\"agree\": false"));
    ck_assert_ptr_nonnull(strstr(t, "\"checked\": 146"));
    ck_assert_ptr_nonnull(strstr(t, "\"file\": \"account.json\""));
    ck_assert_ptr_nonnull(strstr(t, "\"engine\": \"bpa 0.0.9\""));
    free(t);
    bpa_verify_free(r);
}
END_TEST

START_TEST(kind_names)
{
    ck_assert_str_eq(bpa_difference_kind_name(BPA_DIFF_FORMULA), "formula");
    ck_assert_str_eq(bpa_account_kind_name(BPA_ACCOUNT_CLAIM), "claim");
    bpa_difference d = {BPA_DIFF_FORMULA, NULL, NULL, (char *)"12", NULL};
    ck_assert_str_eq(vf_kind_words(&d, BPA_LANG_EN), "formula replaced by a value");
    d.found = (char *)"=SUM(A1:A2)";
    ck_assert_str_eq(vf_kind_words(&d, BPA_LANG_DA), "formel ændret");
    ck_assert_str_eq(vf_word("sheet", BPA_LANG_SV), "Avvikelser");
}
END_TEST

static Suite *verify_suite(void)
{
    Suite *s = suite_create("verify");
    TCase *tc = tcase_create("verify");
    tcase_add_test(tc, numbers);
    tcase_add_test(tc, summary_languages);
    tcase_add_test(tc, kind_names);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(verify_suite)
