/* Unit tests of warnings[] (RULES.md 9; bpa/warning.h): each code by a case
 * that triggers it and one that does not. Expected dates follow from RULES.md
 * 12's month arithmetic by hand: 2023-08-31 + 18 months = 2025-02-28 (the
 * day clamps), so a wage of that date read on 2025-03-01 is late; 2023-09-01
 * + 18 months = 2025-03-01, not after 2025-03-01, so not late. */
#include "bpa/case.h"
#include "bpa/grant.h"
#include "bpa/policy.h"
#include "bpa/settle.h"
#include "bpa/usage.h"
#include "bpa/warning.h"

#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "trace/warning_build.h"

#define POL_HEAD(refs)                                                                   \
    "{'format': 'bpa-policy/1', 'id': 't', 'title': 'test policy', 'country': 'DK', "    \
    "'schemes': ['dk-sel-96'], 'references': {'r': 'test figures, published'" refs "}, " \
    "'params': {"
#define PR(name, from, val, ref) "'" name "': [{'from': '" from "', 'value': " val ", 'ref': '" ref "'}]"
#define REST                                                                             \
    PR("supplement.evening", "2000-01-01", "{'pct': '30'}", "r") ", "                    \
    PR("settlement.account_due", "2000-01-01", "'03-01'", "r") ", "                      \
    PR("settlement.pools", "2000-01-01", "'category'", "r")
#define CASE                                                                             \
    "{'format': 'bpa-case/1', 'case': 'T-1', 'scheme': 'dk-sel-96', 'policy': 't', "     \
    "'year': 2025, 'employer': 'citizen', 'helpers': 1, 'decisions': [{'from': "         \
    "'2025-03-01', 'to': '2025-03-31', 'hours': [{'kind': 'work', 'band': 'day', "       \
    "'step': 11, 'total': '100'}]}]}"
#define USAGE(body) "{'format': 'bpa-usage/1', 'case': 'T-1', 'year': 2025" body "}"
#define USED(step, h)                                                                    \
    "{'month': '2025-03', 'kind': 'work', 'band': 'day', 'step': " step ", 'hours': '" h "'}"
#define PAID ", 'payments': [{'date': '2025-03-31', 'amount': '15000.00', 'for': 'grant'}]"

static char *dq(const char *s)
{
    char *t = strdup(s);
    ck_assert_ptr_nonnull(t);
    for (char *p = t; *p; p++)
        if (*p == '\'')
            *p = '"';
    return t;
}

typedef struct world {
    bpa_policy *p;
    bpa_case *c;
    bpa_grant *g;
    bpa_usage *u;
    bpa_settlement *s;
} world;

/* The grant (and, with usage_sq, the settlement) of CASE under the policy. */
static world compute(const char *policy_sq, const char *usage_sq)
{
    world w = {0};
    bpa_error err;
    bpa_error_clear(&err);
    char buf[1200];
    char *t = dq(policy_sq);
    bpa_status st = bpa_policy_load_mem(&w.p, "pol.json", t, strlen(t), &err);
    free(t);
    ck_assert_msg(st == BPA_OK, "policy: %s", bpa_error_format(&err, buf, sizeof buf));
    t = dq(CASE);
    st = bpa_case_load_mem(&w.c, "case.json", t, strlen(t), &err);
    free(t);
    ck_assert_msg(st == BPA_OK, "case: %s", bpa_error_format(&err, buf, sizeof buf));
    st = bpa_grant_compute(&w.g, w.c, w.p, &err);
    ck_assert_msg(st == BPA_OK, "grant: %s", bpa_error_format(&err, buf, sizeof buf));
    if (usage_sq) {
        t = dq(usage_sq);
        st = bpa_usage_load_mem(&w.u, "usage.json", t, strlen(t), &err);
        free(t);
        ck_assert_msg(st == BPA_OK, "usage: %s", bpa_error_format(&err, buf, sizeof buf));
        st = bpa_settle_compute(&w.s, w.g, w.u, &err);
        ck_assert_msg(st == BPA_OK, "settle: %s", bpa_error_format(&err, buf, sizeof buf));
    }
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

static size_t count(const bpa_warnings *ws, bpa_warning_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < ws->n; i++)
        n += ws->codes[i] == code;
    return n;
}

/* The first warning with `code` rendered in lang: message and where must
 * contain the fragments. */
static void says(const bpa_warnings *ws, bpa_warning_code code, bpa_lang lang,
                 const char *in_message, const char *in_where)
{
    for (size_t i = 0; i < ws->n; i++) {
        if (ws->codes[i] != code)
            continue;
        char *m, *where;
        ck_assert_int_eq(bpa_warning_render(ws, i, lang, &m, &where, NULL), BPA_OK);
        ck_assert_msg(strstr(m, in_message), "message \"%s\" lacks \"%s\"", m, in_message);
        ck_assert_msg(strstr(where, in_where), "where \"%s\" lacks \"%s\"", where, in_where);
        free(m);
        free(where);
        return;
    }
    ck_abort_msg("no warning %s", bpa_warning_code_name(code));
}

#define WAGE(from, ref) PR("wage.hourly.11", from, "'150'", ref)

START_TEST(example_value_fires_on_the_word)
{
    world w = compute(POL_HEAD(", 'x': 'Eksempel: not a published figure'") WAGE("2025-01-01", "x")
                      ", " REST "}}", NULL);
    ck_assert_int_eq(count(&w.g->warnings, BPA_WARN_EXAMPLE_VALUE), 1);
    ck_assert_str_eq(bpa_warning_code_name(w.g->warnings.codes[0]), "example_value");
    says(&w.g->warnings, BPA_WARN_EXAMPLE_VALUE, BPA_LANG_EN, "wage.hourly.11",
         "pol.json, wage.hourly.11, from 2025-01-01");
    says(&w.g->warnings, BPA_WARN_EXAMPLE_VALUE, BPA_LANG_DA, "er et eksempel",
         "pol.json, wage.hourly.11, fra 01.01.2025");
    world_free(&w);
    /* EXEMPEL in capitals, after punctuation, is the word too */
    w = compute(POL_HEAD(", 'x': 'Siffra (EXEMPEL)'") WAGE("2025-01-01", "x") ", " REST "}}",
                NULL);
    ck_assert_int_eq(count(&w.g->warnings, BPA_WARN_EXAMPLE_VALUE), 1);
    world_free(&w);
}
END_TEST

START_TEST(example_value_not_inside_a_word)
{
    world w = compute(POL_HEAD(", 'x': 'a counterexample, examples, eksempler'")
                          WAGE("2025-01-01", "x") ", " REST "}}",
                      NULL);
    ck_assert_int_eq(w.g->warnings.n, 0);
    world_free(&w);
}
END_TEST

START_TEST(old_value_after_18_months)
{
    /* 2023-08-31 + 18 months = 2025-02-28 < 2025-03-01, the day it is read */
    world w = compute(POL_HEAD("") WAGE("2023-08-31", "r") ", " REST "}}", NULL);
    ck_assert_int_eq(w.g->warnings.n, 1);
    ck_assert_int_eq(count(&w.g->warnings, BPA_WARN_OLD_VALUE), 1);
    says(&w.g->warnings, BPA_WARN_OLD_VALUE, BPA_LANG_EN, "read for 2025-03-01",
         "pol.json, wage.hourly.11, from 2023-08-31");
    says(&w.g->warnings, BPA_WARN_OLD_VALUE, BPA_LANG_DA, "brugt 01.03.2025",
         "fra 31.08.2023");
    world_free(&w);
}
END_TEST

START_TEST(old_value_not_at_18_months)
{
    /* 2023-09-01 + 18 months = 2025-03-01: read on that day, not after it */
    world w = compute(POL_HEAD("") WAGE("2023-09-01", "r") ", " REST "}}", NULL);
    ck_assert_int_eq(w.g->warnings.n, 0);
    ck_assert(!bpa_warning_late("wage.hourly.11", &(bpa_param_entry){.from = bpa_date_make(2023, 9, 1)},
                                bpa_date_make(2025, 3, 1)));
    ck_assert(bpa_warning_late("wage.hourly.11", &(bpa_param_entry){.from = bpa_date_make(2023, 9, 1)},
                               bpa_date_make(2025, 3, 2)));
    ck_assert(bpa_warning_late("se.schablon", &(bpa_param_entry){.from = bpa_date_make(2020, 1, 1)},
                               bpa_date_make(2025, 3, 2)));
    /* not a wage: an old rounding rule is no out-of-date tariff */
    ck_assert(!bpa_warning_late("rounding.mode", &(bpa_param_entry){.from = bpa_date_make(2000, 1, 1)},
                                bpa_date_make(2025, 3, 2)));
    world_free(&w);
}
END_TEST

START_TEST(no_payments_and_not_granted)
{
    world w = compute(POL_HEAD("") WAGE("2025-01-01", "r") ", " REST "}}",
                      USAGE(", 'used': [" USED("11", "90") ", " USED("12", "8") "]"));
    const bpa_warnings *ws = &w.s->warnings;
    ck_assert_int_eq(ws->n, 2);
    ck_assert_int_eq(ws->codes[0], BPA_WARN_NO_PAYMENTS);
    ck_assert_int_eq(ws->codes[1], BPA_WARN_NOT_GRANTED);
    says(ws, BPA_WARN_NO_PAYMENTS, BPA_LANG_EN, "line 4", "usage.json");
    says(ws, BPA_WARN_NO_PAYMENTS, BPA_LANG_DA, "linje 4", "usage.json");
    /* 8 hours in step 12, the grant only has step 11; the second used row */
    says(ws, BPA_WARN_NOT_GRANTED, BPA_LANG_EN, "8.00 hours used in work, day, step 12",
         "usage.json:");
    says(ws, BPA_WARN_NOT_GRANTED, BPA_LANG_EN, "", "$.used[1]");
    says(ws, BPA_WARN_NOT_GRANTED, BPA_LANG_DA, "8,00 timer brugt i arbejde, dag, trin 12", "");
    says(ws, BPA_WARN_NOT_GRANTED, BPA_LANG_SV, "8,00 timmar", "");
    world_free(&w);
}
END_TEST

START_TEST(no_warnings_when_paid_and_granted)
{
    world w = compute(POL_HEAD("") WAGE("2025-01-01", "r") ", " REST "}}",
                      USAGE(", 'used': [" USED("11", "90") "]" PAID));
    ck_assert_int_eq(w.s->warnings.n, 0);
    ck_assert_int_eq(w.g->warnings.n, 0);
    world_free(&w);
}
END_TEST

START_TEST(settlement_repeats_the_grants_parameter_warnings_once)
{
    world w = compute(POL_HEAD(", 'x': 'example'") WAGE("2023-08-31", "x") ", " REST "}}",
                      USAGE(", 'used': [" USED("11", "90") "]" PAID));
    ck_assert_int_eq(w.g->warnings.n, 2); /* example_value, then old_value */
    ck_assert_int_eq(w.g->warnings.codes[0], BPA_WARN_EXAMPLE_VALUE);
    ck_assert_int_eq(w.g->warnings.codes[1], BPA_WARN_OLD_VALUE);
    ck_assert_int_eq(w.s->warnings.n, 2);
    ck_assert_int_eq(count(&w.s->warnings, BPA_WARN_EXAMPLE_VALUE), 1);
    world_free(&w);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("warnings");
    TCase *t = tcase_create("warnings");
    tcase_add_test(t, example_value_fires_on_the_word);
    tcase_add_test(t, example_value_not_inside_a_word);
    tcase_add_test(t, old_value_after_18_months);
    tcase_add_test(t, old_value_not_at_18_months);
    tcase_add_test(t, no_payments_and_not_granted);
    tcase_add_test(t, no_warnings_when_paid_and_granted);
    tcase_add_test(t, settlement_repeats_the_grants_parameter_warnings_once);
    suite_add_tcase(s, t);
    return s;
}

BPA_TEST_MAIN(suite)
