/* Unit tests of bpa diff (src/audit/diff.c, RULES.md 13).
 *
 * Policies and cases are inline JSON with single quotes. Every expected
 * figure is worked out by hand from RULES.md 7.1-7.3, 7.7 and 13 (the
 * arithmetic stands beside each assertion); hours.basis is calendar so that
 * a month of d days at p hours per week has p x d/7 hours. round() is to
 * 0.01, half away from zero. */
#include "bpa/case.h"
#include "bpa/diff.h"
#include "bpa/grant.h"
#include "bpa/num.h"
#include "bpa/policy.h"
#include "bpa/se.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define DK_POLICY(wages)                                                                   \
    "{'format': 'bpa-policy/1', 'id': 't', 'title': 'test policy', 'country': 'DK', "      \
    "'schemes': ['dk-sel-96'], 'references': {'r': 'test figures, not published'}, "       \
    "'params': {'hours.basis': [{'from': '2000-01-01', 'value': 'calendar', 'ref': 'r'}], " \
    wages "}}"
#define WAGE(step, from, v) "{'from': '" from "', 'value': '" v "', 'ref': 'r'}"
#define CASE96(decisions)                                                                  \
    "{'format': 'bpa-case/1', 'case': 'T-1', 'scheme': 'dk-sel-96', 'policy': 't', "       \
    "'year': 2025, 'employer': 'citizen', 'helpers': 1, 'decisions': [" decisions "]}"
#define JAN(extra, hours)                                                                  \
    "{'from': '2025-01-01', 'to': '2025-01-31'" extra ", 'hours': [" hours "]}"
#define WORK(step, pw) "{'kind': 'work', 'band': 'day', 'step': " #step ", 'per_week': '" pw "'}"

#define SE_POLICY                                                                          \
    "{'format': 'bpa-policy/1', 'id': 'tfk', 'title': 'test: Försäkringskassan', "        \
    "'country': 'SE', 'schemes': ['se-sfb-51'], "                                        \
    "'references': {'assf': 'Förordning (1993:1091) 5 §'}, 'params': {"                   \
    "'se.schablon': [{'from': '2025-01-01', 'value': '342.60', 'ref': 'assf'}]}}"
#define SE_CASE(period)                                                                    \
    "{'format': 'bpa-case/1', 'case': 'SE-T', 'scheme': 'se-sfb-51', 'policy': 'p.json', " \
    "'year': 2025, 'periods': [" period "]}"

static char *dq(const char *s)
{
    char *t = strdup(s);
    ck_assert_ptr_nonnull(t);
    for (char *p = t; *p; p++)
        if (*p == '\'')
            *p = '"';
    return t;
}

/* One side: policy, case and its grant or budget. */
typedef struct side {
    bpa_policy *p;
    bpa_case *c;
    bpa_grant *g;
    bpa_se_grant *sg;
} side;

static side side_of(const char *pol, const char *cas)
{
    side s;
    memset(&s, 0, sizeof s);
    bpa_error err;
    char buf[1400];
    char *t = dq(pol);
    bpa_status st = bpa_policy_load_mem(&s.p, "policy.json", t, strlen(t), &err);
    free(t);
    ck_assert_msg(st == BPA_OK, "policy: %s", bpa_error_format(&err, buf, sizeof buf));
    t = dq(cas);
    st = bpa_case_load_mem(&s.c, "case.json", t, strlen(t), &err);
    free(t);
    ck_assert_msg(st == BPA_OK, "case: %s", bpa_error_format(&err, buf, sizeof buf));
    if (s.c->se)
        st = bpa_se_grant_compute(&s.sg, s.c, s.p, &err);
    else
        st = bpa_grant_compute(&s.g, s.c, s.p, &err);
    ck_assert_msg(st == BPA_OK, "grant: %s", bpa_error_format(&err, buf, sizeof buf));
    return s;
}

static void side_free(side *s)
{
    bpa_grant_free(s->g);
    bpa_se_grant_free(s->sg);
    bpa_case_free(s->c);
    bpa_policy_free(s->p);
}

static bpa_diff *diff_of(const side *a, const side *b)
{
    bpa_diff *d = NULL;
    bpa_error err;
    char buf[1400];
    bpa_diff_side x = {a->g, a->sg, NULL}, y = {b->g, b->sg, NULL};
    bpa_status st = bpa_diff_compute(&d, x, y, &err);
    ck_assert_msg(st == BPA_OK, "diff: %s", bpa_error_format(&err, buf, sizeof buf));
    return d;
}

static void eq(const mpq_t q, const char *text)
{
    mpq_t want;
    mpq_init(want);
    ck_assert_int_eq(bpa_dec_parse(want, text, BPA_DEC_FRACTION | BPA_DEC_NEGATIVE, NULL, 0),
                     BPA_OK);
    char *got = bpa_fmt_exact(q);
    ck_assert_msg(mpq_equal(q, want), "got %s, want %s", got, text);
    free(got);
    mpq_clear(want);
}

/* change = hours_effect + rate_effect + residue, exactly, in every row;
 * the changes and other lines in the total explain the total's change */
static void identities(const bpa_diff *d)
{
    mpq_t s;
    mpq_init(s);
    for (size_t i = 0; i < d->nchanges; i++) {
        const bpa_diff_change *c = &d->changes[i];
        mpq_add(s, c->hours_effect, c->rate_effect);
        mpq_add(s, s, c->residue);
        ck_assert(mpq_equal(s, c->change));
    }
    ck_assert(mpq_equal(d->explained, d->total_change));
    mpq_clear(s);
}

static const bpa_diff_other *other_find(const bpa_diff *d, const char *rule)
{
    for (size_t i = 0; i < d->nother; i++)
        if (strcmp(d->other[i].rule, rule) == 0)
            return &d->other[i];
    return NULL;
}

/* More hours and a higher rate in one month, and a changed allowance. */
START_TEST(dk_hours_and_rate)
{
    side a = side_of(DK_POLICY("'wage.hourly.11': [" WAGE(11, "2000-01-01", "150") "]"),
                     CASE96(JAN(", 'allowance_monthly': '1000'", WORK(11, "7"))));
    side b = side_of(DK_POLICY("'wage.hourly.11': [" WAGE(11, "2000-01-01", "160") "]"),
                     CASE96(JAN(", 'allowance_monthly': '1200'", WORK(11, "14"))));
    bpa_diff *d = diff_of(&a, &b);
    ck_assert_int_eq(d->country, BPA_COUNTRY_DK);
    ck_assert_uint_eq(d->nchanges, 1);
    const bpa_diff_change *c = &d->changes[0];
    ck_assert_int_eq(c->year, 2025);
    ck_assert_int_eq(c->month, 1);
    /* old: 7 x 31/7 = 31 h at 150 = 4650.00; new: 14 x 31/7 = 62 h at 160 = 9920.00 */
    eq(c->old_hours, "31");
    eq(c->new_hours, "62");
    eq(c->old_rate, "150");
    eq(c->new_rate, "160");
    eq(c->old_amount, "4650");
    eq(c->new_amount, "9920");
    /* change 5270; hours (62 - 31) x 150 = 4650; rate 62 x (160 - 150) = 620; residue 0 */
    eq(c->change, "5270");
    eq(c->hours_effect, "4650");
    eq(c->rate_effect, "620");
    eq(c->residue, "0");
    /* allowance 1000 -> 1200: change 200, in the total */
    const bpa_diff_other *o = other_find(d, "allowance");
    ck_assert_ptr_nonnull(o);
    ck_assert(o->in_total);
    eq(o->change, "200");
    /* totals.grant 4650 + 1000 = 5650 -> 9920 + 1200 = 11120: change 5470,
     * pct 5470/5650 x 100 = 96.814159... -> 96.81 */
    eq(d->total_old, "5650");
    eq(d->total_new, "11120");
    eq(d->total_change, "5470");
    ck_assert(d->has_pct);
    eq(d->pct, "96.81");
    identities(d);
    bpa_diff_free(d);
    side_free(&a);
    side_free(&b);
}
END_TEST

/* A rate rise alone on hours that are not whole: the R3 residue. */
START_TEST(dk_rate_residue)
{
    side a = side_of(DK_POLICY("'wage.hourly.11': [" WAGE(11, "2000-01-01", "150") "]"),
                     CASE96(JAN("", WORK(11, "10"))));
    side b = side_of(DK_POLICY("'wage.hourly.11': [" WAGE(11, "2000-01-01", "151") "]"),
                     CASE96(JAN("", WORK(11, "10"))));
    bpa_diff *d = diff_of(&a, &b);
    const bpa_diff_change *c = &d->changes[0];
    /* 10 x 31/7 = 310/7 h; x 150 = 46500/7 = 6642.857... -> 6642.86;
     * x 151 = 46810/7 = 6687.142... -> 6687.14; change 44.28 */
    eq(c->old_hours, "310/7");
    eq(c->old_amount, "6642.86");
    eq(c->new_amount, "6687.14");
    eq(c->change, "44.28");
    /* hours unchanged: hours effect 0; rate 310/7 x 1 = 310/7;
     * residue 44.28 - 310/7 = 30996/700 - 31000/700 = -1/175 */
    eq(c->hours_effect, "0");
    eq(c->rate_effect, "310/7");
    eq(c->residue, "-1/175");
    /* pct 44.28/6642.86 x 100 = 0.66658... -> 0.67 */
    eq(d->pct, "0.67");
    identities(d);
    bpa_diff_free(d);
    side_free(&a);
    side_free(&b);
}
END_TEST

/* The rate of a month with two segments is the hours-weighted average; a
 * category on one side only has its whole change as hours effect. */
START_TEST(dk_average_rate_and_new_category)
{
    side a = side_of(DK_POLICY("'wage.hourly.11': [" WAGE(11, "2000-01-01", "150") "]"),
                     CASE96(JAN("", WORK(11, "7"))));
    side b = side_of(DK_POLICY("'wage.hourly.11': [" WAGE(11, "2000-01-01", "150") ", "
                               WAGE(11, "2025-01-16", "164") "], "
                               "'wage.hourly.12': [" WAGE(12, "2000-01-01", "200") "]"),
                     CASE96(JAN("", WORK(11, "7") ", " WORK(12, "7"))));
    bpa_diff *d = diff_of(&a, &b);
    ck_assert_uint_eq(d->nchanges, 2);
    const bpa_diff_change *c = &d->changes[0], *n = &d->changes[1];
    ck_assert_int_eq(c->category.step, 11);
    ck_assert_int_eq(n->category.step, 12);
    /* step 11, new: 1-15 Jan 7 x 15/7 = 15 h x 150 = 2250.00 and 16-31 Jan
     * 16 h x 164 = 2624.00: 31 h, 4874.00, average rate 4874/31 */
    eq(c->new_hours, "31");
    eq(c->new_amount, "4874");
    eq(c->new_rate, "4874/31");
    /* old 31 h x 150 = 4650: change 224 = hours 0 + rate 31 x (4874/31 - 150) = 224 */
    eq(c->change, "224");
    eq(c->hours_effect, "0");
    eq(c->rate_effect, "224");
    eq(c->residue, "0");
    /* step 12 only new: 31 h x 200 = 6200, all of it hours effect */
    ck_assert(!n->in_old);
    ck_assert(n->in_new);
    eq(n->old_amount, "0");
    eq(n->new_amount, "6200");
    eq(n->hours_effect, "6200");
    eq(n->rate_effect, "0");
    eq(n->residue, "0");
    /* by category: the same two, summed over the one month */
    ck_assert_uint_eq(d->ncategories, 2);
    eq(d->categories[1].hours_change, "31");
    /* totals 4650 -> 4874 + 6200 = 11074: change 6424 */
    eq(d->total_change, "6424");
    eq(d->sum_hours_effect, "6200");
    eq(d->sum_rate_effect, "224");
    identities(d);
    bpa_diff_free(d);
    side_free(&a);
    side_free(&b);
}
END_TEST

/* Swedish: kinds as categories, the month's R3 rounding as an other line. */
START_TEST(se_kinds_and_rounding)
{
    side a = side_of(SE_POLICY, SE_CASE("{'from': '2025-01-01', 'to': '2025-01-31', "
                                        "'payment': 'efterskott', 'per_week': '7', "
                                        "'vantetid_per_week': '7'}"));
    side b = side_of(SE_POLICY, SE_CASE("{'from': '2025-01-01', 'to': '2025-01-31', "
                                        "'payment': 'efterskott', 'per_week': '10'}"));
    bpa_diff *d = diff_of(&a, &b);
    ck_assert_int_eq(d->country, BPA_COUNTRY_SE);
    ck_assert_uint_eq(d->nchanges, 2);
    const bpa_diff_change *ak = &d->changes[0], *vt = &d->changes[1];
    ck_assert_int_eq(ak->category.kind, BPA_KIND_AKTIV);
    ck_assert_int_eq(vt->category.kind, BPA_KIND_VANTETID);
    /* old: aktiv 31 h x 342.60 = 10620.60; vantetid 31 h x 1/4 x 342.60 = 2655.15;
     * billable 38.75 x 342.60 = 13275.75 (no rounding) */
    eq(ak->old_amount, "10620.60");
    eq(vt->old_amount, "2655.15");
    eq(vt->old_rate, "85.65");
    /* new: aktiv 10 x 31/7 = 310/7 h x 342.60 = 106206/7 (its exact share) */
    eq(ak->new_hours, "310/7");
    eq(ak->new_amount, "106206/7");
    /* change 106206/7 - 10620.60 = 31861.8/7 = 159309/35, all hours:
     * (310/7 - 31) x 342.60 = 93/7 x 342.60 = 159309/35 */
    eq(ak->change, "159309/35");
    eq(ak->hours_effect, "159309/35");
    eq(ak->rate_effect, "0");
    eq(vt->change, "-2655.15");
    eq(vt->hours_effect, "-2655.15");
    ck_assert(!vt->in_new);
    /* R3: round(106206/7 = 15172.2857...) = 15172.29; rounding 15172.29 - 106206/7 = 3/700 */
    const bpa_diff_other *r = other_find(d, "rounding");
    ck_assert_ptr_nonnull(r);
    ck_assert(r->in_total);
    eq(r->old_amount, "0");
    eq(r->new_amount, "3/700");
    const bpa_diff_other *k = other_find(d, "kommun_share");
    ck_assert_ptr_nonnull(k);
    ck_assert(!k->in_total);
    /* totals 13275.75 -> 15172.29: change 1896.54; pct 1896.54/13275.75 x 100
     * = 14.2857... -> 14.29 */
    eq(d->total_old, "13275.75");
    eq(d->total_new, "15172.29");
    eq(d->total_change, "1896.54");
    eq(d->pct, "14.29");
    identities(d);
    bpa_diff_free(d);
    side_free(&a);
    side_free(&b);
}
END_TEST

START_TEST(mixed_countries_and_bad_sides)
{
    side a = side_of(DK_POLICY("'wage.hourly.11': [" WAGE(11, "2000-01-01", "150") "]"),
                     CASE96(JAN("", WORK(11, "7"))));
    side b = side_of(SE_POLICY, SE_CASE("{'from': '2025-01-01', 'to': '2025-01-31', "
                                        "'payment': 'efterskott', 'per_week': '10'}"));
    bpa_diff *d = (bpa_diff *)1;
    bpa_error err;
    bpa_diff_side x = {a.g, NULL, NULL}, y = {NULL, b.sg, NULL};
    ck_assert_int_eq(bpa_diff_compute(&d, x, y, &err), BPA_E_INPUT);
    ck_assert_ptr_null(d);
    ck_assert_ptr_nonnull(strstr(err.message, "two countries"));
    bpa_diff_side none = {NULL, NULL, NULL};
    ck_assert_int_eq(bpa_diff_compute(&d, none, y, &err), BPA_E_INPUT);
    ck_assert_ptr_null(d);
    side_free(&a);
    side_free(&b);
}
END_TEST

/* old total 0: no pct */
START_TEST(no_pct_from_zero)
{
    side a = side_of(DK_POLICY("'wage.hourly.11': [" WAGE(11, "2000-01-01", "150") "]"),
                     CASE96(JAN("", WORK(11, "0"))));
    side b = side_of(DK_POLICY("'wage.hourly.11': [" WAGE(11, "2000-01-01", "150") "]"),
                     CASE96(JAN("", WORK(11, "7"))));
    bpa_diff *d = diff_of(&a, &b);
    ck_assert(!d->has_pct);
    /* 0 h -> 31 h x 150 = 4650: the old side has no hours, so all is hours effect */
    ck_assert_uint_eq(d->nchanges, 1);
    ck_assert(!d->changes[0].in_old);
    eq(d->changes[0].hours_effect, "4650");
    char *json = NULL;
    bpa_error err;
    ck_assert_int_eq(bpa_diff_to_json(d, &json, &err), BPA_OK);
    ck_assert_ptr_nonnull(strstr(json, "\"pct\": null"));
    ck_assert_ptr_nonnull(strstr(json, "\"old_rate\": null"));
    free(json);
    bpa_diff_free(d);
    side_free(&a);
    side_free(&b);
}
END_TEST

/* A side read back from its result file gives the same rows as the grant. */
START_TEST(record_from_result_file)
{
    side a = side_of(DK_POLICY("'wage.hourly.11': [" WAGE(11, "2000-01-01", "150") "]"),
                     CASE96(JAN("", WORK(11, "10"))));
    side b = side_of(DK_POLICY("'wage.hourly.11': [" WAGE(11, "2000-01-01", "151") "]"),
                     CASE96(JAN(", 'allowance_monthly': '500'", WORK(11, "10"))));
    char *json = NULL;
    bpa_error err;
    ck_assert_int_eq(bpa_grant_to_json(a.g, &json, &err), BPA_OK);
    char path[] = "/tmp/bpa-test-diff-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fputs(json, f) >= 0, 1);
    ck_assert_int_eq(fclose(f), 0);
    /* the same bytes from memory: the same record, named as given */
    bpa_grant_record *mem = NULL;
    ck_assert_int_eq(bpa_grant_record_load_mem(&mem, "mem.json", json, strlen(json), &err),
                     BPA_OK);
    ck_assert_str_eq(mem->file, "mem.json");
    ck_assert_str_eq(mem->case_id, "T-1");
    eq(mem->total, "6642.86");
    free(json);
    ck_assert(bpa_grant_record_is_result(path));
    ck_assert(!bpa_grant_record_is_result("/nonexistent/x.json"));
    bpa_grant_record *rec = NULL;
    ck_assert_int_eq(bpa_grant_record_load(&rec, path, &err), BPA_OK);
    remove(path);
    ck_assert(rec->from_result);
    ck_assert_str_eq(rec->sha256, mem->sha256);
    ck_assert_uint_eq(rec->nlines, mem->nlines);
    bpa_grant_record_free(mem);
    static const char not_result[] = "{\"format\": \"bpa-case/1\"}";
    ck_assert_int_eq(bpa_grant_record_load_mem(&mem, "case.json", not_result,
                                               sizeof not_result - 1, &err),
                     BPA_E_INPUT);
    ck_assert_ptr_null(mem);
    ck_assert_str_eq(err.file, "case.json");
    ck_assert_uint_eq(err.line, 1);
    ck_assert_str_eq(rec->case_id, "T-1");
    eq(rec->total, "6642.86");
    bpa_diff *d = NULL;
    bpa_diff_side x = {NULL, NULL, rec}, y = {b.g, NULL, NULL};
    ck_assert_int_eq(bpa_diff_compute(&d, x, y, &err), BPA_OK);
    /* as dk_rate_residue: 310/7 h at 150 -> 151; residue -1/175; allowance 0 -> 500 */
    ck_assert_uint_eq(d->nchanges, 1);
    eq(d->changes[0].old_hours, "310/7");
    eq(d->changes[0].old_rate, "150");
    eq(d->changes[0].change, "44.28");
    eq(d->changes[0].rate_effect, "310/7");
    eq(d->changes[0].residue, "-1/175");
    eq(d->other_change, "500");
    eq(d->total_change, "544.28");
    identities(d);
    bpa_diff_free(d);
    bpa_grant_record_free(rec);
    side_free(&a);
    side_free(&b);
}
END_TEST

static Suite *diff_suite(void)
{
    Suite *s = suite_create("diff");
    TCase *tc = tcase_create("diff");
    tcase_add_test(tc, dk_hours_and_rate);
    tcase_add_test(tc, dk_rate_residue);
    tcase_add_test(tc, dk_average_rate_and_new_category);
    tcase_add_test(tc, se_kinds_and_rounding);
    tcase_add_test(tc, mixed_countries_and_bad_sides);
    tcase_add_test(tc, no_pct_from_zero);
    tcase_add_test(tc, record_from_result_file);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(diff_suite)
