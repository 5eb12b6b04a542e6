/* Unit tests of the workbooks (src/workbook_*.c, RULES.md section 10):
 * both workbooks are written for small inline cases, twice, and must be
 * byte-identical; input text that looks like a formula stays text; a write
 * that cannot happen leaves nothing behind; labels follow the language.
 *
 * The xlsx is a zip; its members are read with Python's zipfile (python3
 * is a build dependency), or `unzip -p` when there is no python3. */
#include "bpa/case.h"
#include "bpa/grant.h"
#include "bpa/num.h"
#include "bpa/policy.h"
#include "bpa/settle.h"
#include "bpa/usage.h"
#include "bpa/workbook.h"
#include "trace/labels.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

/* Single quotes become double quotes (the texts hold no apostrophes). */
#define POLICY                                                                           \
    "{'format': 'bpa-policy/1', 'id': 't', 'title': 'test policy & co', 'country': 'DK', " \
    "'schemes': ['dk-sel-96'], 'references': {'r': 'test figures, not published'}, "     \
    "'params': {"                                                                        \
    "'wage.hourly.11': [{'from': '2025-01-01', 'value': {'annual': '293150', "           \
    "'norm_hours': '1924'}, 'ref': 'r'}],"                                               \
    "'supplement.evening': [{'from': '2025-01-01', 'value': {'pct': '30'}, 'ref': 'r'}]," \
    "'on_call.fraction': [{'from': '2025-01-01', 'value': '0.75', 'ref': 'r'}],"         \
    "'addons': [{'from': '2025-01-01', 'value': [{'name': 'pension', 'pct': '12.5', "    \
    "'base': 'wage_and_supplement'}, {'name': 'ATP', 'kr_per_hour': '2.345'}, "          \
    "{'name': 'insurance', 'kr_per_helper_year': '1200'}], 'ref': 'r'}],"                \
    "'allowance.monthly_cap.96': [{'from': '2025-01-01', 'value': '500', 'ref': 'r'}],"  \
    "'hourly_cap': [{'from': '2025-01-01', 'value': '150', 'ref': 'r'}],"                \
    "'settlement.account_due': [{'from': '2025-01-01', 'value': '03-01', 'ref': 'r'}]"   \
    "}}"

/* Three overrides whose reasons start with '=', '+' and '@'; a case id
 * starting with '-'. */
#define CASE                                                                             \
    "{'format': 'bpa-case/1', 'case': '-T1', 'scheme': 'dk-sel-96', 'policy': 't', "     \
    "'year': 2025, 'employer': 'citizen', 'helpers': 2, "                                \
    "'decisions': [{'from': '2025-03-10', 'to': '2025-05-31', 'allowance_monthly': '600', " \
    "'hours': [{'kind': 'work', 'band': 'day', 'step': 11, 'per_week': '37'},"           \
    "{'kind': 'work', 'band': 'evening', 'step': 11, 'per_week': '10.5'},"               \
    "{'kind': 'on_call', 'step': 11, 'total': '100'}]}],"                                \
    "'overrides': [{'rule': 'allowance_cap', 'reason': '=CONCAT(1,2) decision 117'},"    \
    "{'rule': 'hourly_cap', 'reason': '+45 documented needs'},"                          \
    "{'rule': 'trip_limits', 'reason': '@case worker note'}]}"

#define USAGE                                                                            \
    "{'format': 'bpa-usage/1', 'case': '-T1', 'year': 2025, "                            \
    "'used': [{'month': '2025-03', 'kind': 'work', 'band': 'day', 'step': 11, "          \
    "'hours': '100.25'}, {'month': '2025-04', 'kind': 'on_call', 'step': 11, "           \
    "'hours': '20'}], "                                                                  \
    "'payments': [{'date': '2025-03-10', 'amount': '20000.00', 'for': 'grant'}, "        \
    "{'date': '2025-04-01', 'amount': '-12.34', 'for': 'grant'}, "                       \
    "{'date': '2025-04-01', 'amount': '600', 'for': 'allowance'}], "                     \
    "'carry_in': [{'kind': 'work', 'band': 'day', 'step': 11, 'hours': '5', "            \
    "'value': '800.00'}], "                                                              \
    "'actual_wage_costs': '50000.00'}"

static char *dq(const char *s)
{
    char *t = strdup(s);
    ck_assert_ptr_nonnull(t);
    for (char *p = t; *p; p++)
        if (*p == '\'')
            *p = '"';
    return t;
}

typedef struct fixture {
    bpa_policy *p;
    bpa_case *c;
    bpa_grant *g;
    bpa_usage *u;
    bpa_settlement *s;
    char dir[64];
} fixture;

static void check_ok(bpa_status st, const bpa_error *err, const char *what)
{
    char buf[1200];
    ck_assert_msg(st == BPA_OK, "%s: %s", what, bpa_error_format(err, buf, sizeof buf));
}

static fixture setup(void)
{
    fixture f;
    memset(&f, 0, sizeof f);
    bpa_error err;
    bpa_error_clear(&err);
    char *t = dq(POLICY);
    check_ok(bpa_policy_load_mem(&f.p, "policy.json", t, strlen(t), &err), &err, "policy");
    free(t);
    t = dq(CASE);
    check_ok(bpa_case_load_mem(&f.c, "case.json", t, strlen(t), &err), &err, "case");
    free(t);
    check_ok(bpa_grant_compute(&f.g, f.c, f.p, &err), &err, "grant");
    t = dq(USAGE);
    check_ok(bpa_usage_load_mem(&f.u, "usage.json", t, strlen(t), &err), &err, "usage");
    free(t);
    check_ok(bpa_settle_compute(&f.s, f.g, f.u, &err), &err, "settlement");
    strcpy(f.dir, "/tmp/bpa-workbook-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(f.dir));
    return f;
}

static size_t dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void teardown(fixture *f)
{
    DIR *d = opendir(f->dir);
    if (d) {
        struct dirent *e;
        char path[512];
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", f->dir, e->d_name);
            struct stat sb;
            if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
                rmdir(path);
            else
                unlink(path);
        }
        closedir(d);
        rmdir(f->dir);
    }
    bpa_settle_free(f->s);
    bpa_usage_free(f->u);
    bpa_grant_free(f->g);
    bpa_case_free(f->c);
    bpa_policy_free(f->p);
}

static char *slurp_stream(FILE *fp, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    ck_assert_ptr_nonnull(buf);
    size_t k;
    while ((k = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += k;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            ck_assert_ptr_nonnull(buf);
        }
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "cannot open %s", path);
    char *buf = slurp_stream(fp, len);
    fclose(fp);
    return buf;
}

/* One member of the xlsx (NULL when it is not there). The paths are ours
 * (mkdtemp), so they need no shell quoting beyond the single quotes. */
static char *member(const char *xlsx, const char *name)
{
    char cmd[1024];
    if (access("/usr/bin/python3", X_OK) == 0)
        snprintf(cmd, sizeof cmd,
                 "/usr/bin/python3 -c 'import sys, zipfile; "
                 "sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "
                 "'%s' '%s' 2>/dev/null",
                 xlsx, name);
    else
        snprintf(cmd, sizeof cmd, "unzip -p '%s' '%s' 2>/dev/null", xlsx, name);
    FILE *fp = popen(cmd, "r");
    ck_assert_ptr_nonnull(fp);
    size_t len;
    char *out = slurp_stream(fp, &len);
    int rc = pclose(fp);
    if (rc != 0 || len == 0) {
        free(out);
        return NULL;
    }
    return out;
}

static void path_in(const fixture *f, const char *base, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", f->dir, base);
}

static bool same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *x = slurp(a, &la), *y = slurp(b, &lb);
    bool same = la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

/* No <f> element of any worksheet contains `text`. */
static void no_formula_contains(const char *xlsx, const char *text)
{
    for (int i = 1; i <= 12; i++) {
        char name[64];
        snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", i);
        char *xml = member(xlsx, name);
        if (!xml)
            continue;
        for (char *p = strstr(xml, "<f>"); p; p = strstr(p + 3, "<f>")) {
            char *end = strstr(p, "</f>");
            ck_assert_ptr_nonnull(end);
            *end = '\0';
            ck_assert_msg(strstr(p, text) == NULL, "%s: formula %s holds input text %s", name,
                          p + 3, text);
            *end = '<';
        }
        free(xml);
    }
}

/* ---- tests ---------------------------------------------------------------------- */

START_TEST(grant_written_and_byte_identical)
{
    fixture f = setup();
    char a[256], b[256];
    path_in(&f, "grant-a.xlsx", a, sizeof a);
    path_in(&f, "grant-b.xlsx", b, sizeof b);
    bpa_error err;
    check_ok(bpa_grant_workbook_write(f.g, a, BPA_LANG_DA, &err), &err, "first write");
    sleep(1); /* a clock in the file would differ now */
    check_ok(bpa_grant_workbook_write(f.g, b, BPA_LANG_DA, &err), &err, "second write");
    struct stat sa;
    ck_assert_int_eq(stat(a, &sa), 0);
    ck_assert_int_gt(sa.st_size, 1000);
    ck_assert_msg(same_file(a, b), "two writes of the same grant differ");
    /* writing over an existing file is the same again, and leaves no
     * temporary beside it */
    check_ok(bpa_grant_workbook_write(f.g, b, BPA_LANG_DA, &err), &err, "overwrite");
    ck_assert(same_file(a, b));
    ck_assert_uint_eq(dir_entries(f.dir), 2);
    teardown(&f);
}
END_TEST

START_TEST(settlement_written_and_byte_identical)
{
    fixture f = setup();
    char a[256], b[256];
    path_in(&f, "account-a.xlsx", a, sizeof a);
    path_in(&f, "account-b.xlsx", b, sizeof b);
    bpa_error err;
    check_ok(bpa_settle_workbook_write(f.s, a, BPA_LANG_DA, &err), &err, "first write");
    sleep(1);
    check_ok(bpa_settle_workbook_write(f.s, b, BPA_LANG_DA, &err), &err, "second write");
    ck_assert_msg(same_file(a, b), "two writes of the same account differ");
    ck_assert_uint_eq(dir_entries(f.dir), 2);
    teardown(&f);
}
END_TEST

START_TEST(input_text_stays_text)
{
    fixture f = setup();
    char g[256], s[256];
    path_in(&f, "grant.xlsx", g, sizeof g);
    path_in(&f, "account.xlsx", s, sizeof s);
    bpa_error err;
    check_ok(bpa_grant_workbook_write(f.g, g, BPA_LANG_EN, &err), &err, "grant");
    check_ok(bpa_settle_workbook_write(f.s, s, BPA_LANG_EN, &err), &err, "account");
    static const char *const texts[] = {"=CONCAT(1,2) decision 117", "+45 documented needs",
                                        "@case worker note", "-T1"};
    const char *files[] = {g, s};
    for (int k = 0; k < 2; k++) {
        char *sst = member(files[k], "xl/sharedStrings.xml");
        ck_assert_msg(sst != NULL, "no shared strings in %s", files[k]);
        for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
            char want[128];
            snprintf(want, sizeof want, ">%s</t>", texts[i]);
            ck_assert_msg(strstr(sst, want) != NULL, "%s: \"%s\" is not a string", files[k],
                          texts[i]);
            no_formula_contains(files[k], texts[i]);
        }
        free(sst);
    }
    teardown(&f);
}
END_TEST

START_TEST(formulas_carry_the_engine_values)
{
    fixture f = setup();
    char g[256];
    path_in(&f, "grant.xlsx", g, sizeof g);
    bpa_error err;
    check_ok(bpa_grant_workbook_write(f.g, g, BPA_LANG_DA, &err), &err, "grant");
    /* lines: amounts are ROUND(hours*rate,2) and rates point at the tariff */
    char *lines = member(g, "xl/worksheets/sheet3.xml");
    ck_assert_ptr_nonnull(lines);
    ck_assert_ptr_nonnull(strstr(lines, "<f>ROUND(G5*H5,2)</f>"));
    ck_assert_ptr_nonnull(strstr(lines, "<f>'Timetakster'!"));
    /* hours from the case's 37 h a week on the inputs sheet, 22 of 365 days, weeks52 */
    ck_assert_ptr_nonnull(strstr(lines, "*52*22/365</f>"));
    ck_assert_ptr_nonnull(strstr(lines, "<f>'Inddata'!C"));
    free(lines);
    /* how the hours arise, in words beside them, and hours to four decimals */
    char *sst = member(g, "xl/sharedStrings.xml");
    ck_assert_ptr_nonnull(sst);
    ck_assert_ptr_nonnull(strstr(sst, ">37 t/uge × 52 × 22/365</t>"));
    free(sst);
    char *styles = member(g, "xl/styles.xml");
    ck_assert_ptr_nonnull(styles);
    ck_assert_ptr_nonnull(strstr(styles, "formatCode=\"[$-406]#,##0.0000\""));
    free(styles);
    /* summary: the grant is the sum of its parts, stored as the engine's */
    char *sum = member(g, "xl/worksheets/sheet1.xml");
    ck_assert_ptr_nonnull(sum);
    char *grant = bpa_fmt_amount(f.g->total_grant);
    char want[96];
    /* libxlsxwriter writes %.16G: no trailing zeros */
    size_t n = strlen(grant);
    while (n > 0 && (grant[n - 1] == '0' || grant[n - 1] == '.')) {
        bool dot = grant[n - 1] == '.';
        grant[--n] = '\0';
        if (dot)
            break;
    }
    snprintf(want, sizeof want, "</f><v>%s</v>", grant);
    ck_assert_msg(strstr(sum, want) != NULL, "summary lacks the grant %s", grant);
    ck_assert_ptr_nonnull(strstr(sum, "<f>SUM(B"));
    free(grant);
    free(sum);
    /* the months: SUM over the lines */
    char *months = member(g, "xl/worksheets/sheet4.xml");
    ck_assert_ptr_nonnull(months);
    ck_assert_ptr_nonnull(strstr(months, "<f>SUM('Linjer'!"));
    free(months);
    /* fingerprints in the document properties */
    char *custom = member(g, "docProps/custom.xml");
    ck_assert_ptr_nonnull(custom);
    ck_assert_ptr_nonnull(strstr(custom, bpa_policy_sha256(f.p)));
    ck_assert_ptr_nonnull(strstr(custom, f.c->sha256));
#ifdef BPA_VERSION
    ck_assert_ptr_nonnull(strstr(custom, "bpa " BPA_VERSION));
#endif
    free(custom);
    char *core = member(g, "docProps/core.xml");
    ck_assert_ptr_nonnull(core);
    ck_assert_ptr_nonnull(strstr(core, "2000-01-01T00:00:00Z"));
    free(core);
    teardown(&f);
}
END_TEST

START_TEST(account_balance_is_sum_of_five_lines)
{
    fixture f = setup();
    char s[256];
    path_in(&f, "account.xlsx", s, sizeof s);
    bpa_error err;
    check_ok(bpa_settle_workbook_write(f.s, s, BPA_LANG_DA, &err), &err, "account");
    char *sum = member(s, "xl/worksheets/sheet1.xml");
    ck_assert_ptr_nonnull(sum);
    /* five line cells referring to the account sheet, then their SUM */
    ck_assert_ptr_nonnull(strstr(sum, "<f>'Opgørelse'!C"));
    char *p = strstr(sum, "<f>SUM(B");
    ck_assert_ptr_nonnull(p);
    int a = 0, b = 0;
    ck_assert_int_eq(sscanf(p, "<f>SUM(B%d:B%d)", &a, &b), 2);
    ck_assert_int_eq(b - a, 4);
    /* the direction in words, as a formula over the balance */
    ck_assert_ptr_nonnull(strstr(sum, "\"tilbagebetaling til kommunen\""));
    ck_assert_ptr_nonnull(strstr(sum, "\"efterbetaling fra kommunen\""));
    ck_assert_ptr_nonnull(strstr(sum, "\"intet at betale\""));
    free(sum);
    /* pools: R5 rounding on the unused hours at the average rate */
    char *pools = member(s, "xl/worksheets/sheet3.xml");
    ck_assert_ptr_nonnull(pools);
    ck_assert_ptr_nonnull(strstr(pools, "<f>ROUND(F5*E5,2)</f>"));
    ck_assert_ptr_nonnull(strstr(pools, "<f>IF(B5&gt;0,D5/B5,0)</f>"));
    free(pools);
    char *hours = member(s, "xl/worksheets/sheet2.xml");
    ck_assert_ptr_nonnull(hours);
    ck_assert_ptr_nonnull(strstr(hours, "<f>MAX(0,E5-F5)</f>"));
    free(hours);
    teardown(&f);
}
END_TEST

START_TEST(missing_directory_is_output_error)
{
    fixture f = setup();
    char path[256];
    snprintf(path, sizeof path, "%s/no-such-dir/grant.xlsx", f.dir);
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_grant_workbook_write(f.g, path, BPA_LANG_DA, &err), BPA_E_OUTPUT);
    ck_assert_int_eq(err.status, BPA_E_OUTPUT);
    ck_assert_msg(strstr(err.message, path) != NULL, "message does not name the path: %s",
                  err.message);
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_settle_workbook_write(f.s, path, BPA_LANG_DA, &err), BPA_E_OUTPUT);
    ck_assert_uint_eq(dir_entries(f.dir), 0);
    /* a directory in the way: no temporary is left beside it */
    char sub[256];
    path_in(&f, "taken.xlsx", sub, sizeof sub);
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_grant_workbook_write(f.g, sub, BPA_LANG_DA, &err), BPA_E_OUTPUT);
    ck_assert_uint_eq(dir_entries(f.dir), 1);
    teardown(&f);
}
END_TEST

START_TEST(language_of_the_labels)
{
    fixture f = setup();
    char da[256], en[256];
    path_in(&f, "da.xlsx", da, sizeof da);
    path_in(&f, "en.xlsx", en, sizeof en);
    bpa_error err;
    check_ok(bpa_settle_workbook_write(f.s, da, BPA_LANG_DA, &err), &err, "da");
    check_ok(bpa_settle_workbook_write(f.s, en, BPA_LANG_EN, &err), &err, "en");
    char *x = member(da, "xl/workbook.xml"), *y = member(en, "xl/workbook.xml");
    ck_assert_ptr_nonnull(x);
    ck_assert_ptr_nonnull(y);
    ck_assert_ptr_nonnull(strstr(x, "name=\"Oversigt\""));
    ck_assert_ptr_nonnull(strstr(y, "name=\"Summary\""));
    free(x);
    free(y);
    ck_assert_str_eq(bpa_label("dir.repay", BPA_LANG_DA), "tilbagebetaling til kommunen");
    ck_assert_str_eq(bpa_label("dir.pay_out", BPA_LANG_EN), "back-payment by the municipality");
    ck_assert_str_eq(bpa_label("dir.settled", BPA_LANG_SV), "inget att betala");
    ck_assert_str_eq(bpa_label("sheet.summary", BPA_LANG_SV), "Summary"); /* falls back */
    ck_assert(bpa_label_known("sheet.summary"));
    ck_assert(!bpa_label_known("no.such.label"));
    ck_assert_str_eq(bpa_label("no.such.label", BPA_LANG_DA), "no.such.label");
    teardown(&f);
}
END_TEST

Suite *workbook_suite(void);
Suite *workbook_suite(void)
{
    Suite *s = suite_create("workbook");
    TCase *tc = tcase_create("workbook");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, grant_written_and_byte_identical);
    tcase_add_test(tc, settlement_written_and_byte_identical);
    tcase_add_test(tc, input_text_stays_text);
    tcase_add_test(tc, formulas_carry_the_engine_values);
    tcase_add_test(tc, account_balance_is_sum_of_five_lines);
    tcase_add_test(tc, missing_directory_is_output_error);
    tcase_add_test(tc, language_of_the_labels);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(workbook_suite)
