/* Policy loading (RULES.md section 5): strictness, look-ups, defaults, changes. */
#include <stdio.h>
#include <string.h>

#include "bpa/policy.h"
#include "testutil.h"

#define HEAD "{\"format\":\"bpa-policy/1\",\"id\":\"t\",\"country\":\"DK\",\"schemes\":[\"dk-sel-96\"]," \
             "\"references\":{\"ex\":\"example\"},\"params\":{"
#define TAIL "}}"

static bpa_status load(const char *params, bpa_policy **p, bpa_error *err)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s%s%s", HEAD, params, TAIL);
    bpa_error_clear(err);
    return bpa_policy_load_mem(p, "t.json", buf, strlen(buf), err);
}

static void expect_error(const char *params, const char *path_part, const char *msg_part)
{
    bpa_policy *p = NULL;
    bpa_error err;
    bpa_status st = load(params, &p, &err);
    ck_assert_int_eq(st, BPA_E_POLICY);
    ck_assert_ptr_null(p);
    ck_assert_str_eq(err.file, "t.json");
    ck_assert_uint_gt(err.line, 0);
    if (path_part)
        ck_assert_msg(strstr(err.path, path_part), "path '%s' lacks '%s'", err.path, path_part);
    ck_assert_msg(strstr(err.message, msg_part), "message '%s' lacks '%s'", err.message, msg_part);
}

START_TEST(strict_errors)
{
    expect_error("\"wage.daily\":[{\"from\":\"2025-01-01\",\"value\":\"1\",\"ref\":\"ex\"}]",
                 "wage.daily", "unknown parameter \"wage.daily\"");
    expect_error("\"wage.hourly.011\":[{\"from\":\"2025-01-01\",\"value\":\"1\",\"ref\":\"ex\"}]",
                 NULL, "unknown parameter");
    expect_error("\"wage.hourly.11\":[{\"from\":\"2025-02-01\",\"value\":\"1\",\"ref\":\"ex\"},"
                 "{\"from\":\"2025-01-01\",\"value\":\"2\",\"ref\":\"ex\"}]",
                 "[\"wage.hourly.11\"][1]", "date order");
    expect_error("\"wage.hourly.11\":[{\"from\":\"2025-01-01\",\"value\":\"1\"}]",
                 "[\"wage.hourly.11\"][0]", "missing required key \"ref\"");
    expect_error("\"wage.hourly.11\":[{\"from\":\"2025-01-01\",\"value\":\"1\",\"ref\":\"nope\"}]",
                 "[0]", "ref \"nope\" is not in the file's \"references\"");
    expect_error("\"wage.hourly.11\":[{\"from\":\"2025-02-29\",\"value\":\"1\",\"ref\":\"ex\"}]",
                 "from", "not a date");
    expect_error("\"supplement.evening\":[{\"from\":\"2025-01-01\",\"value\":\"30\",\"ref\":\"ex\"}]",
                 "value", "expected an object");
    expect_error("\"se.schablon\":[{\"from\":\"2025-01-01\",\"value\":\"342.60\",\"ref\":\"ex\"}]",
                 NULL, "belongs to Swedish policies");
    expect_error("\"band.precedence\":[{\"from\":\"2025-01-01\",\"value\":[\"day\",\"night\"],\"ref\":\"ex\"}]",
                 NULL, "the five bands");
    expect_error("\"band.windows\":[{\"from\":\"2025-01-01\",\"value\":{\"night\":[{\"days\":[\"mon\"],"
                 "\"from\":\"23:00\",\"to\":\"06:00\"}]},\"ref\":\"ex\"}]",
                 NULL, "a night is two windows");
    expect_error("\"wage.hourly.11\":[{\"from\":\"2025-01-01\",\"value\":{\"annual\":\"1\",\"norm_hours\":\"0\"},\"ref\":\"ex\"}]",
                 NULL, "must be above zero");
    expect_error("\"wage.hourly.11\":[{\"from\":\"2025-01-01\",\"value\":132.5,\"ref\":\"ex\"}]",
                 NULL, "write it as a string");
}
END_TEST

START_TEST(lookup_and_defaults)
{
    bpa_policy *p = NULL;
    bpa_error err;
    ck_assert_int_eq(load("\"wage.hourly.11\":[{\"from\":\"2025-03-01\",\"value\":\"150\",\"ref\":\"ex\"},"
                          "{\"from\":\"2025-07-01\",\"value\":\"160\",\"ref\":\"ex\"}]",
                          &p, &err),
                     BPA_OK);
    const bpa_value *v;
    /* required before its first value: an error naming parameter and date */
    ck_assert_int_eq(bpa_policy_need(p, "wage.hourly.11", bpa_date_make(2025, 2, 28), &v, NULL, &err),
                     BPA_E_POLICY);
    ck_assert_ptr_nonnull(strstr(err.message, "\"wage.hourly.11\" has no value on 2025-02-28"));
    ck_assert_int_eq(bpa_policy_need(p, "wage.hourly.11", bpa_date_make(2025, 6, 30), &v, NULL, &err),
                     BPA_OK);
    ck_assert_int_eq(mpq_cmp_ui(v->q, 150, 1), 0);
    v = bpa_policy_get(p, "wage.hourly.11", bpa_date_make(2025, 7, 1), NULL);
    ck_assert_int_eq(mpq_cmp_ui(v->q, 160, 1), 0);
    /* optional, absent: not in force */
    ck_assert_ptr_null(bpa_policy_get(p, "hourly_cap", bpa_date_make(2025, 7, 1), NULL));
    /* defaults of 5.1 */
    v = bpa_policy_get(p, "hours.basis", bpa_date_make(2025, 7, 1), NULL);
    ck_assert_int_eq(v->i, 1); /* weeks52 */
    v = bpa_policy_get(p, "on_call.supplements", bpa_date_make(2025, 7, 1), NULL);
    ck_assert(!v->flag);
    v = bpa_policy_get(p, "band.precedence", bpa_date_make(2025, 7, 1), NULL);
    ck_assert_int_eq(v->precedence[0], BPA_BAND_SUNDAY_HOLIDAY);
    ck_assert_int_eq(v->precedence[4], BPA_BAND_DAY);
    /* changes: 2025-07-01 inside (2025-03-01, 2025-12-31] */
    bpa_date d[4];
    size_t n = 0;
    bpa_policy_changes(p, "wage.hourly.11", bpa_date_make(2025, 1, 1), bpa_date_make(2025, 12, 31),
                       d, &n, 4);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(d[0], bpa_date_make(2025, 3, 1));
    ck_assert_int_eq(d[1], bpa_date_make(2025, 7, 1));
    bpa_policy_free(p);
}
END_TEST

/* An entry whose value equals the one before is no change (7.1), whatever
 * the order of an index series' keys or the spelling of a decimal. */
START_TEST(equal_values_are_no_change)
{
    bpa_policy *p = NULL;
    bpa_error err;
    ck_assert_int_eq(load("\"index.series\":[{\"from\":\"2025-01-01\",\"value\":{\"2015\":\"100\",\"2025\":\"120\"},\"ref\":\"ex\"},"
                          "{\"from\":\"2025-05-20\",\"value\":{\"2025\":\"120.0\",\"2015\":\"100\"},\"ref\":\"ex\"}],"
                          "\"wage.hourly.11\":[{\"from\":\"2025-01-01\",\"value\":\"30\",\"ref\":\"ex\"},"
                          "{\"from\":\"2025-04-01\",\"value\":{\"annual\":\"57720\",\"norm_hours\":\"1924\"},\"ref\":\"ex\"}]",
                          &p, &err),
                     BPA_OK);
    bpa_date d[4];
    size_t n = 0;
    bpa_policy_changes(p, "index.series", bpa_date_make(2025, 1, 1), bpa_date_make(2025, 12, 31), d,
                       &n, 4);
    ck_assert_uint_eq(n, 0);
    /* 57720 / 1924 = 30 exactly */
    bpa_policy_changes(p, "wage.hourly.11", bpa_date_make(2025, 1, 1), bpa_date_make(2025, 12, 31), d,
                       &n, 4);
    ck_assert_uint_eq(n, 0);
    bpa_policy_free(p);
}
END_TEST


/* Two entries of one parameter that differ in exactly one part of their
 * value are a change on the second entry's date; identical ones are not.
 * One pair per part that bpa_value_equal compares. */
#define NIGHT "\"night\":[{\"days\":[\"mon\"],\"from\":\"00:00\",\"to\":\"06:00\"},{\"days\":[\"mon\"],\"from\":\"23:00\",\"to\":\"24:00\"}]"
static const struct {
    const char *name, *a, *b;
    size_t changes;
} pairs[] = {
    {"wage.hourly.11", "\"150\"", "\"150.00\"", 0},
    {"wage.hourly.11", "\"150\"", "\"150.01\"", 1},
    {"hours.basis", "\"calendar\"", "\"weeks52\"", 1},
    {"on_call.supplements", "true", "false", 1},
    {"trips.weekends_max", "2", "3", 1},
    {"index.series", "{\"2015\":\"100\"}", "{\"2015\":\"100\",\"2016\":\"101\"}", 1},
    {"index.series", "{\"2015\":\"100\"}", "{\"2016\":\"100\"}", 1},
    {"index.series", "{\"2015\":\"100\"}", "{\"2015\":\"101\"}", 1},
    {"addons", "[{\"name\":\"a\",\"pct\":\"1\",\"base\":\"wage\"}]",
     "[{\"name\":\"a\",\"pct\":\"1\",\"base\":\"wage\"}]", 0},
    {"addons", "[{\"name\":\"a\",\"pct\":\"1\",\"base\":\"wage\"}]",
     "[{\"name\":\"b\",\"pct\":\"1\",\"base\":\"wage\"}]", 1},
    {"addons", "[{\"name\":\"a\",\"pct\":\"1\",\"base\":\"wage\"}]",
     "[{\"name\":\"a\",\"kr_per_hour\":\"1\"}]", 1},
    {"addons", "[{\"name\":\"a\",\"pct\":\"1\",\"base\":\"wage\"}]",
     "[{\"name\":\"a\",\"pct\":\"2\",\"base\":\"wage\"}]", 1},
    {"addons", "[{\"name\":\"a\",\"pct\":\"1\",\"base\":\"wage\"}]",
     "[{\"name\":\"a\",\"pct\":\"1\",\"base\":\"wage_and_supplement\"}]", 1},
    {"addons", "[{\"name\":\"a\",\"pct\":\"1\",\"base\":\"wage\"}]",
     "[{\"name\":\"a\",\"pct\":\"1\",\"base\":\"wage\"},{\"name\":\"c\",\"kr_per_helper_year\":\"9\"}]", 1},
    {"band.windows", "{" NIGHT "}", "{" NIGHT "}", 0},
    {"band.windows", "{" NIGHT "}",
     "{\"night\":[{\"days\":[\"tue\"],\"from\":\"00:00\",\"to\":\"06:00\"},{\"days\":[\"mon\"],\"from\":\"23:00\",\"to\":\"24:00\"}]}", 1},
    {"band.windows", "{" NIGHT "}",
     "{\"night\":[{\"days\":[\"mon\"],\"from\":\"00:00\",\"to\":\"05:00\"},{\"days\":[\"mon\"],\"from\":\"23:00\",\"to\":\"24:00\"}]}", 1},
    {"band.windows", "{" NIGHT "}",
     "{\"night\":[{\"days\":[\"mon\"],\"from\":\"00:00\",\"to\":\"06:00\"},{\"days\":[\"mon\"],\"from\":\"22:00\",\"to\":\"24:00\"}]}", 1},
    {"band.windows", "{" NIGHT "}",
     "{" NIGHT ",\"saturday\":[{\"days\":[\"sat\"],\"from\":\"06:00\",\"to\":\"23:00\"}]}", 1},
    {"band.precedence", "[\"sunday_holiday\",\"saturday\",\"night\",\"evening\",\"day\"]",
     "[\"sunday_holiday\",\"night\",\"saturday\",\"evening\",\"day\"]", 1},
    {"holidays.extra", "[{\"date\":\"06-05\",\"from\":\"12:00\"}]", "[{\"date\":\"06-05\",\"from\":\"12:00\",\"name\":\"g\"}]", 0},
    {"holidays.extra", "[{\"date\":\"06-05\",\"from\":\"12:00\"}]", "[{\"date\":\"06-05\"}]", 1},
    {"holidays.extra", "[{\"date\":\"06-05\"}]", "[{\"date\":\"06-06\"}]", 1},
    {"holidays.extra", "[{\"date\":\"06-05\"}]", "[{\"date\":\"07-05\"}]", 1},
    {"holidays.extra", "[{\"date\":\"06-05\"}]", "[{\"date\":\"2025-06-05\"}]", 1},
    {"holidays.extra", "[{\"date\":\"06-05\"}]", "[{\"date\":\"06-05\"},{\"date\":\"12-24\"}]", 1},
};

START_TEST(value_equality)
{
    char params[2048];
    snprintf(params, sizeof params,
             "\"%s\":[{\"from\":\"2025-01-01\",\"value\":%s,\"ref\":\"ex\"},"
             "{\"from\":\"2025-06-01\",\"value\":%s,\"ref\":\"ex\"}]",
             pairs[_i].name, pairs[_i].a, pairs[_i].b);
    bpa_policy *p = NULL;
    bpa_error err;
    ck_assert_msg(load(params, &p, &err) == BPA_OK, "pair %d: %s", _i, err.message);
    bpa_date d[4];
    size_t n = 0;
    bpa_policy_changes(p, pairs[_i].name, bpa_date_make(2025, 1, 1), bpa_date_make(2025, 12, 31),
                       d, &n, 4);
    ck_assert_msg(n == pairs[_i].changes, "pair %d: %zu changes", _i, n);
    if (n)
        ck_assert_int_eq(d[0], bpa_date_make(2025, 6, 1));
    bpa_policy_free(p);
}
END_TEST

/* One bad value per branch of the value parser: each is BPA_E_POLICY with the
 * parameter's entry in the path and a message saying what was expected. */
static const struct {
    const char *params;
    const char *msg;
} shape_cases[] = {
    {"\"addons\":[{\"from\":\"2025-01-01\",\"value\":{},\"ref\":\"ex\"}]", "expected an array"},
    {"\"addons\":[{\"from\":\"2025-01-01\",\"value\":[{\"name\":\"\",\"pct\":\"1\",\"base\":\"wage\"}],\"ref\":\"ex\"}]", "non-empty name"},
    {"\"addons\":[{\"from\":\"2025-01-01\",\"value\":[{\"name\":\"a\",\"pct\":\"1\",\"base\":\"wage\"},{\"name\":\"a\",\"kr_per_hour\":\"1\"}],\"ref\":\"ex\"}]", "named twice"},
    {"\"addons\":[{\"from\":\"2025-01-01\",\"value\":[{\"name\":\"a\",\"pct\":\"1\",\"kr_per_hour\":\"1\"}],\"ref\":\"ex\"}]", "exactly one of"},
    {"\"addons\":[{\"from\":\"2025-01-01\",\"value\":[{\"name\":\"a\",\"kr_per_hour\":\"1\",\"base\":\"wage\"}],\"ref\":\"ex\"}]", "only to a \"pct\" add-on"},
    {"\"addons\":[{\"from\":\"2025-01-01\",\"value\":[{\"name\":\"a\",\"pct\":\"1\",\"base\":\"all\"}],\"ref\":\"ex\"}]", "expected one of"},
    {"\"addons\":[{\"from\":\"2025-01-01\",\"value\":[{\"name\":\"a\",\"pct\":\"1\"}],\"ref\":\"ex\"}]", "missing required key \"base\""},
    {"\"band.windows\":[{\"from\":\"2025-01-01\",\"value\":{\"day\":[]},\"ref\":\"ex\"}]", "unknown key \"day\""},
    {"\"band.windows\":[{\"from\":\"2025-01-01\",\"value\":{\"night\":{}},\"ref\":\"ex\"}]", "expected an array"},
    {"\"band.windows\":[{\"from\":\"2025-01-01\",\"value\":{\"night\":[{\"from\":\"00:00\",\"to\":\"06:00\"}]},\"ref\":\"ex\"}]", "missing required key \"days\""},
    {"\"band.windows\":[{\"from\":\"2025-01-01\",\"value\":{\"night\":[{\"days\":[],\"from\":\"00:00\",\"to\":\"06:00\"}]},\"ref\":\"ex\"}]", "at least one day"},
    {"\"band.windows\":[{\"from\":\"2025-01-01\",\"value\":{\"night\":[{\"days\":[\"monday\"],\"from\":\"00:00\",\"to\":\"06:00\"}]},\"ref\":\"ex\"}]", "expected a day"},
    {"\"band.windows\":[{\"from\":\"2025-01-01\",\"value\":{\"night\":[{\"days\":[\"mon\",\"mon\"],\"from\":\"00:00\",\"to\":\"06:00\"}]},\"ref\":\"ex\"}]", "given twice"},
    {"\"band.windows\":[{\"from\":\"2025-01-01\",\"value\":{\"night\":[{\"days\":[\"mon\"],\"from\":\"24:00\",\"to\":\"06:00\"}]},\"ref\":\"ex\"}]", "not a clock time"},
    {"\"band.windows\":[{\"from\":\"2025-01-01\",\"value\":{\"night\":[{\"days\":[\"mon\"],\"from\":\"00:00\",\"to\":\"6\"}]},\"ref\":\"ex\"}]", "not a clock time"},
    {"\"band.precedence\":[{\"from\":\"2025-01-01\",\"value\":[\"day\",\"day\"],\"ref\":\"ex\"}]", "given twice"},
    {"\"band.precedence\":[{\"from\":\"2025-01-01\",\"value\":[\"any\"],\"ref\":\"ex\"}]", "expected a band"},
    {"\"holidays.extra\":[{\"from\":\"2025-01-01\",\"value\":[{\"date\":\"13-01\"}],\"ref\":\"ex\"}]", "expected MM-DD or YYYY-MM-DD"},
    {"\"holidays.extra\":[{\"from\":\"2025-01-01\",\"value\":[{\"date\":\"06-05\",\"from\":\"noon\"}],\"ref\":\"ex\"}]", "not a clock time"},
    {"\"holidays.extra\":[{\"from\":\"2025-01-01\",\"value\":[{\"day\":\"06-05\"}],\"ref\":\"ex\"}]", "unknown key"},
    {"\"index.series\":[{\"from\":\"2025-01-01\",\"value\":{},\"ref\":\"ex\"}]", "object of years"},
    {"\"index.series\":[{\"from\":\"2025-01-01\",\"value\":{\"15\":\"100\"},\"ref\":\"ex\"}]", "is not a year"},
    {"\"index.series\":[{\"from\":\"2025-01-01\",\"value\":{\"2015\":\"0\"},\"ref\":\"ex\"}]", "above zero"},
    {"\"index.series\":[{\"from\":\"2025-01-01\",\"value\":{\"2015\":\"1\",\"2015\":\"2\"},\"ref\":\"ex\"}]", "given twice"},
    {"\"admin.transferred.per_hour\":[{\"from\":\"2025-01-01\",\"value\":{\"amount\":\"5.45\"},\"ref\":\"ex\"}]", "missing required key \"level\""},
    {"\"admin.transferred.per_hour\":[{\"from\":\"2025-01-01\",\"value\":{\"amount\":\"5.45\",\"level\":\"2015\"},\"ref\":\"ex\"}]", "expected a whole number"},
    {"\"supplement.evening\":[{\"from\":\"2025-01-01\",\"value\":{\"pct\":\"30\",\"kr\":\"1\"},\"ref\":\"ex\"}]", "a supplement is"},
    {"\"hours.basis\":[{\"from\":\"2025-01-01\",\"value\":\"weeks\",\"ref\":\"ex\"}]", "expected one of: \"calendar\", \"weeks52\""},
    {"\"on_call.supplements\":[{\"from\":\"2025-01-01\",\"value\":\"yes\",\"ref\":\"ex\"}]", "expected true or false"},
    {"\"trips.weekends_max\":[{\"from\":\"2025-01-01\",\"value\":2.5,\"ref\":\"ex\"}]", "expected a whole number"},
    {"\"settlement.account_due\":[{\"from\":\"2025-01-01\",\"value\":\"03-32\",\"ref\":\"ex\"}]", "expected a day as"},
    {"\"on_call.fraction\":[{\"from\":\"2025-01-01\",\"value\":\"3/0\",\"ref\":\"ex\"}]", "denominator"},
    {"\"wage.hourly.11\":[]", "expected a list of dated entries"},
    {"\"wage.hourly.11\":[{\"from\":\"2025-01-01\",\"ref\":\"ex\"}]", "missing required key \"value\""},
    {"\"wage.hourly.11\":[{\"from\":\"2025-01-01\",\"value\":\"1\",\"ref\":\"ex\",\"note\":\"x\"}]", "unknown key \"note\""},
    {"\"wage.hourly.11\":[{\"from\":\"2025-01-01\",\"value\":\"1\",\"ref\":\"ex\"}],\"wage.hourly.11\":[{\"from\":\"2025-01-01\",\"value\":\"1\",\"ref\":\"ex\"}]", "given twice"},
};

START_TEST(value_shapes)
{
    bpa_policy *p = NULL;
    bpa_error err;
    bpa_status st = load(shape_cases[_i].params, &p, &err);
    ck_assert_msg(st == BPA_E_POLICY, "case %d: status %d", _i, (int)st);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(err.path, "$.params[") != NULL, "case %d: path '%s'", _i, err.path);
    ck_assert_msg(strstr(err.message, shape_cases[_i].msg) != NULL, "case %d: '%s' lacks '%s'", _i,
                  err.message, shape_cases[_i].msg);
}
END_TEST

/* Root keys of the file itself. */
START_TEST(file_errors)
{
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {"[]", "expected an object"},
        {"{\"format\":\"bpa-policy/2\"}", "expected \"bpa-policy/1\""},
        {"{\"format\":\"bpa-policy/1\",\"id\":\"Bad Id\"}", "a policy id is lower-case"},
        {"{\"format\":\"bpa-policy/1\",\"id\":\"x\",\"country\":\"NO\"}", "expected one of"},
        {"{\"format\":\"bpa-policy/1\",\"id\":\"x\",\"country\":\"DK\"}", "missing required key \"schemes\""},
        {"{\"format\":\"bpa-policy/1\",\"id\":\"x\",\"country\":\"DK\",\"schemes\":[\"se-sfb-51\"]}", "does not fit"},
        {"{\"format\":\"bpa-policy/1\",\"id\":\"x\",\"country\":\"DK\",\"schemes\":[\"dk-sel-99\"]}", "expected a scheme"},
        {"{\"format\":\"bpa-policy/1\",\"id\":\"x\",\"country\":\"DK\",\"schemes\":[]}", "missing required key \"references\""},
        {"{\"format\":\"bpa-policy/1\",\"id\":\"x\",\"country\":\"DK\",\"schemes\":[],\"references\":[]}", "expected an object"},
        {"{\"format\":\"bpa-policy/1\",\"id\":\"x\",\"country\":\"DK\",\"schemes\":[],\"references\":{\"a\":\"\"}}", "non-empty text"},
        {"{\"format\":\"bpa-policy/1\",\"id\":\"x\",\"country\":\"DK\",\"schemes\":[],\"references\":{\"a\":\"t\",\"a\":\"u\"}}", "given twice"},
        {"{\"format\":\"bpa-policy/1\",\"id\":\"x\",\"country\":\"DK\",\"schemes\":[],\"references\":{}}", "missing required key \"params\""},
        {"{\"format\":\"bpa-policy/1\",\"id\":\"x\",\"country\":\"DK\",\"schemes\":[],\"references\":{},\"params\":[]}", "expected an object of parameters"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bpa_policy *p = NULL;
        bpa_error err;
        bpa_status st = bpa_policy_load_mem(&p, "f.json", cases[i].text, strlen(cases[i].text), &err);
        ck_assert_msg(st == BPA_E_POLICY, "case %zu: status %d", i, (int)st);
        ck_assert_msg(strstr(err.message, cases[i].msg) != NULL, "case %zu: '%s' lacks '%s'", i,
                      err.message, cases[i].msg);
    }
    /* a file that cannot be read, and one that is a directory */
    bpa_policy *p = NULL;
    bpa_error err;
    ck_assert_int_eq(bpa_policy_load(&p, "/nonexistent/p.json", &err), BPA_E_IO);
    ck_assert_int_eq(bpa_policy_load(&p, "/tmp", &err), BPA_E_IO);
    ck_assert_ptr_nonnull(strstr(err.message, "is a directory"));
}
END_TEST

static Suite *policy_suite(void)
{
    Suite *s = suite_create("policy");
    TCase *tc = tcase_create("policy");
    tcase_add_test(tc, strict_errors);
    tcase_add_test(tc, lookup_and_defaults);
    tcase_add_test(tc, equal_values_are_no_change);
    tcase_add_loop_test(tc, value_shapes, 0, (int)(sizeof shape_cases / sizeof shape_cases[0]));
    tcase_add_test(tc, file_errors);
    tcase_add_loop_test(tc, value_equality, 0, (int)(sizeof pairs / sizeof pairs[0]));
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(policy_suite)
