/* The Swedish usage file (RULES.md 8.1, 8.3, 12): every key read into
 * bpa_se_usage, and every error with its file, line:column, JSON path and
 * the words that say how to fix it, each from a small inline file. */
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/date.h"
#include "bpa/se.h"
#include "testutil.h"

#define NAME "dir/usage.json"

static bpa_se_usage *load_ok(const char *json)
{
    bpa_se_usage *u = NULL;
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status st = bpa_se_usage_load_mem(&u, NAME, json, strlen(json), &err);
    ck_assert_msg(st == BPA_OK, "%s:%u:%u %s %s", err.file, err.line, err.column, err.path,
                  err.message);
    ck_assert_ptr_nonnull(u);
    return u;
}

/* A load that fails at line:column, path, with `words` in the message. */
static void load_bad(const char *json, unsigned line, unsigned column, const char *path,
                     const char *words)
{
    bpa_se_usage *u = NULL;
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status st = bpa_se_usage_load_mem(&u, NAME, json, strlen(json), &err);
    ck_assert_msg(st == BPA_E_INPUT, "expected an input error for %s, got %d", json, (int)st);
    ck_assert_ptr_null(u);
    ck_assert_str_eq(err.file, NAME);
    ck_assert_msg(err.line == line && err.column == column, "%s: at %u:%u, expected %u:%u (%s)",
                  json, err.line, err.column, line, column, err.message);
    ck_assert_msg(strcmp(err.path, path) == 0, "path %s, expected %s (%s)", err.path, path,
                  err.message);
    ck_assert_msg(strstr(err.message, words) != NULL, "message \"%s\" lacks \"%s\"", err.message,
                  words);
    ck_assert_msg(strstr(err.message, "RULES") == NULL && strstr(err.message, "[seed") == NULL,
                  "internal tag in \"%s\"", err.message);
}

static void q_eq(const mpq_t q, const char *want)
{
    mpq_t w;
    mpq_init(w);
    ck_assert_int_eq(mpq_set_str(w, want, 10), 0);
    mpq_canonicalize(w);
    char *got = mpq_get_str(NULL, 10, q);
    ck_assert_msg(mpq_equal(q, w), "%s, expected %s", got, want);
    free(got);
    mpq_clear(w);
}

static bpa_date D(const char *s)
{
    bpa_date d;
    ck_assert(bpa_date_parse(s, &d));
    return d;
}

/* The file of the shared contract, every key used once. */
static const char full[] =
    "{\n"
    "  \"format\": \"bpa-usage/1\",\n"
    "  \"case\": \"ORE-2025-0007\",\n"
    "  \"year\": 2025,\n"
    "  \"used\": [{\"month\": \"2025-11\", \"kind\": \"aktiv\", \"hours\": \"12.5\"},\n"
    "           {\"month\": \"2026-01\", \"kind\": \"vantetid\", \"hours\": 3},\n"
    "           {\"month\": \"2025-12\", \"kind\": \"beredskap\", \"hours\": \"0.25\"}],\n"
    "  \"timesheets\": [\"tid/ore-2025-11.csv\",\n"
    "                 {\"file\": \"tid/ore-2025-12.xlsx\", \"columns\": {\"helper\": "
    "\"Assistent\", \"date\": \"Datum\",\n"
    "                  \"start\": \"Från\", \"end\": \"Till\", \"kind\": \"Typ\"},\n"
    "                  \"kinds\": {\"Aktiv tid\": \"aktiv\", \"Väntetid\": \"vantetid\", "
    "\"Beredskap\": \"beredskap\"}}],\n"
    "  \"payments\": [{\"date\": \"2025-10-24\", \"month\": \"2025-11\", \"amount\": "
    "\"61234.50\"},\n"
    "               {\"date\": \"2025-12-03\", \"amount\": \"-100.05\"}],\n"
    "  \"expenses\": [{\"date\": \"2025-11-08\", \"category\": \"entrance\", \"amount\": "
    "\"120.00\",\n"
    "                \"approved\": \"beslut 2025-11-01\", \"helper\": \"Anna\"},\n"
    "               {\"date\": \"2025-11-09\", \"category\": \"travel_2\", \"amount\": \"0\"}]\n"
    "}\n";

START_TEST(every_key)
{
    bpa_se_usage *u = load_ok(full);
    ck_assert_str_eq(u->file, NAME);
    ck_assert_int_eq((int)strlen(u->sha256), 64);
    ck_assert_str_eq(u->case_id, "ORE-2025-0007");
    ck_assert_uint_eq(u->case_src.line, 3);
    ck_assert_str_eq(u->case_src.path, "$.case");
    ck_assert(u->has_year);
    ck_assert_int_eq(u->year, 2025);

    ck_assert_uint_eq(u->nused, 3);
    ck_assert_int_eq(u->used[0].year, 2025);
    ck_assert_int_eq(u->used[0].month, 11);
    ck_assert_int_eq(u->used[0].kind, BPA_KIND_AKTIV);
    q_eq(u->used[0].hours, "25/2"); /* 12.5 */
    ck_assert_str_eq(u->used[0].src.path, "$.used[0]");
    ck_assert_uint_eq(u->used[0].src.line, 5);
    ck_assert_int_eq(u->used[1].year, 2026); /* a period may cross the year end */
    ck_assert_int_eq(u->used[1].month, 1);
    ck_assert_int_eq(u->used[1].kind, BPA_KIND_VANTETID);
    q_eq(u->used[1].hours, "3");
    ck_assert_int_eq(u->used[2].kind, BPA_KIND_BEREDSKAP);
    q_eq(u->used[2].hours, "1/4");

    ck_assert_uint_eq(u->ntimesheets, 2);
    ck_assert_str_eq(u->timesheets[0], "dir/tid/ore-2025-11.csv"); /* beside the usage file */
    ck_assert_str_eq(u->timesheets[1], "dir/tid/ore-2025-12.xlsx");
    ck_assert_ptr_null(u->timesheet_maps[0].columns[0]);
    const bpa_timesheet_map *m = &u->timesheet_maps[1];
    ck_assert_str_eq(m->columns[0], "Assistent");
    ck_assert_str_eq(m->columns[2], "Från");
    ck_assert_ptr_null(m->columns[5]);
    ck_assert_uint_eq(m->nkinds, 3);
    ck_assert_str_eq(m->kind_from[1], "Väntetid");
    ck_assert_str_eq(m->kind_to[1], "vantetid");

    ck_assert_uint_eq(u->npayments, 2);
    ck_assert_int_eq(u->payments[0].date, D("2025-10-24"));
    ck_assert(u->payments[0].has_month);
    ck_assert_int_eq(u->payments[0].year, 2025);
    ck_assert_int_eq(u->payments[0].month, 11); /* forskott: paid in October for November */
    q_eq(u->payments[0].amount, "122469/2");    /* 61234.50 */
    ck_assert(!u->payments[1].has_month);
    ck_assert_int_eq(u->payments[1].month, 12); /* the date's month */
    q_eq(u->payments[1].amount, "-2001/20");    /* a refund: -100.05 */
    ck_assert_str_eq(u->payments[1].src.path, "$.payments[1]");

    ck_assert_uint_eq(u->nexpenses, 2);
    ck_assert_int_eq(u->expenses[0].date, D("2025-11-08"));
    ck_assert_str_eq(u->expenses[0].category, "entrance");
    q_eq(u->expenses[0].amount, "120");
    ck_assert_str_eq(u->expenses[0].approved, "beslut 2025-11-01");
    ck_assert_str_eq(u->expenses[0].helper, "Anna");
    ck_assert_str_eq(u->expenses[1].category, "travel_2");
    ck_assert_ptr_null(u->expenses[1].approved);
    ck_assert_ptr_null(u->expenses[1].helper);
    q_eq(u->expenses[1].amount, "0");
    bpa_se_usage_free(u);
}
END_TEST

START_TEST(minimal)
{
    /* year, used, timesheets, payments and expenses are all optional */
    bpa_se_usage *u = load_ok("{\"format\": \"bpa-usage/1\", \"case\": \"A\"}");
    ck_assert(!u->has_year);
    ck_assert_uint_eq(u->nused + u->ntimesheets + u->npayments + u->nexpenses, 0);
    bpa_se_usage_free(u);
    u = load_ok("{\"format\": \"bpa-usage/1\", \"case\": \"A\", \"used\": [], \"payments\": [],"
                " \"expenses\": [], \"timesheets\": []}");
    ck_assert_uint_eq(u->nused + u->ntimesheets + u->npayments + u->nexpenses, 0);
    bpa_se_usage_free(u);
    bpa_se_usage_free(NULL);
}
END_TEST

START_TEST(file_on_disk)
{
    char dir[] = "/tmp/bpa-se-usage-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/usage.json", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("{\"format\": \"bpa-usage/1\", \"case\": \"A\", \"timesheets\": [\"t.csv\"]}", f);
    fclose(f);
    bpa_se_usage *u = NULL;
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_se_usage_load(&u, path, &err), BPA_OK);
    char want[300];
    snprintf(want, sizeof want, "%s/t.csv", dir);
    ck_assert_str_eq(u->timesheets[0], want);
    bpa_se_usage_free(u);
    snprintf(want, sizeof want, "%s/none.json", dir);
    ck_assert_int_eq(bpa_se_usage_load(&u, want, &err), BPA_E_IO);
    ck_assert_ptr_null(u);
    remove(path);
    remove(dir);
}
END_TEST

#define HEAD "{\"format\": \"bpa-usage/1\", \"case\": \"A\",\n"

START_TEST(errors_top)
{
    load_bad("[]", 1, 1, "$", "expected an object");
    load_bad("{\"format\": \"bpa-usage/2\", \"case\": \"A\"}", 1, 12, "$.format",
             "expected \"bpa-usage/1\"");
    load_bad("{\"format\": \"bpa-usage/1\"}", 1, 1, "$", "case");
    load_bad("{\"format\": \"bpa-usage/1\", \"case\": \"\"}", 1, 35, "$.case", "case's id");
    load_bad("{\"format\": \"bpa-usage/1\", \"case\": 7}", 1, 35, "$.case", "string");
    load_bad(HEAD "\"year\": \"2025\"}", 2, 9, "$.year", "number");
    load_bad(HEAD "\"year\": 1899}", 2, 9, "$.year", "1900");
    load_bad(HEAD "\"colour\": 1}", 2, 11, "$.colour", "unknown key \"colour\"");
    load_bad(HEAD "\"carry_in\": []}", 2, 13, "$.carry_in", "\"carry_in\" is a key of a Danish");
    load_bad(HEAD "\"carry_over\": []}", 2, 15, "$.carry_over", "Danish usage file");
    load_bad(HEAD "\"invoices\": []}", 2, 13, "$.invoices", "remove it");
    load_bad(HEAD "\"actual_wage_costs\": \"1.00\"}", 2, 22, "$.actual_wage_costs",
             "\"actual_wage_costs\" is a key of a Danish");
    load_bad(HEAD "\"used\": {}}", 2, 9, "$.used", "array");
    load_bad("{\"format\": \"bpa-usage/1\", \"case\": \"A\", \"case\": \"B\"}", 1, 48, "$.case",
             "twice");
}
END_TEST

START_TEST(errors_used)
{
    load_bad(HEAD "\"used\": [7]}", 2, 10, "$.used[0]", "object");
    load_bad(HEAD "\"used\": [{\"kind\": \"aktiv\", \"hours\": \"1\"}]}", 2, 10, "$.used[0]",
             "month");
    load_bad(HEAD "\"used\": [{\"month\": \"2025-13\", \"kind\": \"aktiv\", \"hours\": \"1\"}]}",
             2, 20, "$.used[0].month", "not a month: expected YYYY-MM");
    load_bad(HEAD "\"used\": [{\"month\": \"2025-11-01\", \"kind\": \"aktiv\", \"hours\": 1}]}",
             2, 20, "$.used[0].month", "YYYY-MM");
    load_bad(HEAD "\"used\": [{\"month\": \"2025-11\", \"kind\": \"work\", \"hours\": \"1\"}]}",
             2, 39, "$.used[0].kind", "\"work\" is a Danish kind: Swedish used rows name only");
    load_bad(HEAD "\"used\": [{\"month\": \"2025-11\", \"kind\": \"on_call\", \"hours\": 1}]}", 2,
             39, "$.used[0].kind", "month\", \"kind\" (aktiv, vantetid or beredskap)");
    load_bad(HEAD "\"used\": [{\"month\": \"2025-11\", \"kind\": \"Aktiv\", \"hours\": 1}]}", 2,
             39, "$.used[0].kind", "not a kind: expected aktiv, vantetid or beredskap");
    load_bad(HEAD "\"used\": [{\"month\": \"2025-11\", \"kind\": \"aktiv\", \"band\": \"day\","
                  " \"hours\": 1}]}",
             2, 56, "$.used[0].band", "Swedish used rows name only \"month\"");
    load_bad(HEAD "\"used\": [{\"month\": \"2025-11\", \"kind\": \"aktiv\", \"step\": 11,"
                  " \"hours\": 1}]}",
             2, 56, "$.used[0].step", "Danish usage file");
    load_bad(HEAD "\"used\": [{\"month\": \"2025-11\", \"kind\": \"aktiv\"}]}", 2, 10,
             "$.used[0]", "hours");
    load_bad(HEAD "\"used\": [{\"month\": \"2025-11\", \"kind\": \"aktiv\", \"hours\": \"-1\"}]}",
             2, 57, "$.used[0].hours", "negative values are not allowed");
    load_bad(HEAD "\"used\": [{\"month\": \"2025-11\", \"kind\": \"aktiv\", \"hours\": 1.5}]}", 2,
             57, "$.used[0].hours", "string");
    load_bad(HEAD "\"used\": [{\"month\": \"2025-11\", \"kind\": \"aktiv\", \"hours\": 1,"
                  " \"helper\": \"Anna\"}]}",
             2, 70, "$.used[0].helper", "unknown key");
}
END_TEST

START_TEST(errors_payments)
{
    load_bad(HEAD "\"payments\": [{\"amount\": \"1.00\"}]}", 2, 14, "$.payments[0]", "date");
    load_bad(HEAD "\"payments\": [{\"date\": \"2025-02-30\", \"amount\": \"1\"}]}", 2, 23,
             "$.payments[0].date", "not a date");
    load_bad(HEAD "\"payments\": [{\"date\": \"2025-02-03\", \"month\": \"2025-1\","
                  " \"amount\": \"1\"}]}",
             2, 46, "$.payments[0].month", "not a month");
    load_bad(HEAD "\"payments\": [{\"date\": \"2025-02-03\", \"amount\": \"1.005\"}]}", 2, 47,
             "$.payments[0].amount", "at most 2 decimals");
    load_bad(HEAD "\"payments\": [{\"date\": \"2025-02-03\", \"amount\": \"1\", \"for\": "
                  "\"grant\"}]}",
             2, 59, "$.payments[0].for", "\"for\" is a key of a Danish usage file");
    load_bad(HEAD "\"payments\": [{\"date\": \"2025-02-03\"}]}", 2, 14, "$.payments[0]",
             "amount");
}
END_TEST

START_TEST(errors_expenses)
{
    load_bad(HEAD "\"expenses\": [{\"date\": \"2025-02-03\", \"amount\": \"1\"}]}", 2, 14,
             "$.expenses[0]", "category");
    load_bad(HEAD "\"expenses\": [{\"date\": \"2025-02-03\", \"category\": \"Entré\","
                  " \"amount\": \"1\"}]}",
             2, 49, "$.expenses[0].category", "se.expense.cap.<category>");
    load_bad(HEAD "\"expenses\": [{\"date\": \"2025-02-03\", \"category\": \"entrance\","
                  " \"amount\": \"-1\"}]}",
             2, 71, "$.expenses[0].amount", "negative values are not allowed");
    load_bad(HEAD "\"expenses\": [{\"date\": \"2025-02-03\", \"category\": \"entrance\","
                  " \"amount\": \"1.001\"}]}",
             2, 71, "$.expenses[0].amount", "at most 2 decimals");
    load_bad(HEAD "\"expenses\": [{\"date\": \"2025-02-03\", \"category\": \"entrance\","
                  " \"amount\": \"1\", \"approved\": \"\"}]}",
             2, 88, "$.expenses[0].approved", "\"approved\" is empty: give the reference");
    load_bad(HEAD "\"expenses\": [{\"date\": \"2025-02-03\", \"category\": \"entrance\","
                  " \"amount\": \"1\", \"approved\": true}]}",
             2, 88, "$.expenses[0].approved", "string");
    load_bad(HEAD "\"expenses\": [{\"date\": \"2025-02-03\", \"category\": \"entrance\","
                  " \"amount\": \"1\", \"helper\": \"\"}]}",
             2, 86, "$.expenses[0].helper", "the assistant's name");
    load_bad(HEAD "\"expenses\": [{\"date\": \"2025-02-03\", \"category\": \"entrance\","
                  " \"amount\": \"1\", \"for\": \"x\"}]}",
             2, 83, "$.expenses[0].for", "unknown key");
}
END_TEST

START_TEST(errors_timesheets)
{
    load_bad(HEAD "\"timesheets\": [\"\"]}", 2, 16, "$.timesheets[0]", "expected a path");
    load_bad(HEAD "\"timesheets\": [3]}", 2, 16, "$.timesheets[0]", "expected a path");
    load_bad(HEAD "\"timesheets\": [{\"columns\": {}}]}", 2, 16, "$.timesheets[0]", "file");
    load_bad(HEAD "\"timesheets\": [{\"file\": \"t.csv\", \"kinds\": {\"A\": \"aktivt\"}}]}", 2,
             49, "$.timesheets[0].kinds.A", "aktiv, vantetid, beredskap");
    load_bad(HEAD "\"timesheets\": [{\"file\": \"t.csv\", \"columns\": {\"helper\": \"X\","
                  " \"date\": \"X\"}}]}",
             2, 69, "$.timesheets[0].columns.date", "two columns cannot have one header");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("se_usage");
    TCase *t = tcase_create("core");
    tcase_add_test(t, every_key);
    tcase_add_test(t, minimal);
    tcase_add_test(t, file_on_disk);
    tcase_add_test(t, errors_top);
    tcase_add_test(t, errors_used);
    tcase_add_test(t, errors_payments);
    tcase_add_test(t, errors_expenses);
    tcase_add_test(t, errors_timesheets);
    suite_add_tcase(s, t);
    return s;
}

BPA_TEST_MAIN(suite)
