/* Every input a fuzzer once crashed on (fuzz/regressions/<target>/) is
 * replayed through the normal build: it must end in a clean status. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/case.h"
#include "bpa/diff.h"
#include "io/csv.h"
#include "bpa/policy.h"
#include "bpa/portfolio.h"
#include "input/timesheet.h"
#include "bpa/usage.h"
#include "testutil.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_ptr_nonnull(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

static bool known(bpa_status st)
{
    return st == BPA_OK || st == BPA_E_INPUT || st == BPA_E_POLICY;
}

/* As fuzz/fuzz_grant_record.c: the reader, then the record against itself. */
static bpa_status replay_grant_record(const char *path, const char *data, size_t len)
{
    bpa_grant_record *r = NULL;
    bpa_diff *d = NULL;
    bpa_error err;
    bpa_status st = bpa_grant_record_load_mem(&r, path, data, len, &err);
    if (st != BPA_OK)
        return st;
    bpa_diff_side side = {NULL, NULL, r};
    if ((st = bpa_diff_compute(&d, side, side, &err)) == BPA_OK) {
        ck_assert_int_eq(mpq_sgn(d->total_change), 0);
        char *text = NULL;
        st = bpa_diff_to_json(d, &text, &err);
        free(text);
        if (st == BPA_OK) {
            st = bpa_diff_summary(d, BPA_LANG_EN, &text, &err);
            free(text);
        }
    }
    bpa_diff_free(d);
    bpa_grant_record_free(r);
    return st;
}

/* As fuzz/fuzz_portfolio.c: a worker's line (read, written, read back to the
 * same line), then the text as result JSONs split at a 0x1E byte. */
static bpa_status replay_portfolio(char *data, size_t len)
{
    char *text = malloc(len + 1);
    ck_assert_ptr_nonnull(text);
    memcpy(text, data, len);
    text[len] = '\0';
    bpa_portfolio_case *c = NULL, *c2 = NULL;
    bpa_error err;
    bpa_status st = bpa_portfolio_case_from_line(&c, text, &err);
    if (st == BPA_OK) {
        char *l1 = NULL, *l2 = NULL;
        ck_assert_int_eq(bpa_portfolio_case_to_line(c, &l1, &err), BPA_OK);
        ck_assert_int_eq(bpa_portfolio_case_from_line(&c2, l1, &err), BPA_OK);
        ck_assert_int_eq(bpa_portfolio_case_to_line(c2, &l2, &err), BPA_OK);
        ck_assert_str_eq(l1, l2);
        ck_assert(mpq_equal(c->grant, c2->grant) && mpq_equal(c->balance, c2->balance));
        free(l1);
        free(l2);
        bpa_portfolio_case_free(c2);
        bpa_portfolio_case_free(c);
        c = NULL;
    }
    char *sep = strchr(text, '\x1e');
    if (sep)
        *sep = '\0';
    bpa_status st2 = bpa_portfolio_case_from_results(&c, "fuzz", "fuzz.json", text,
                                                     sep ? sep + 1 : NULL, &err);
    bpa_portfolio_case_free(c);
    free(text);
    return known(st) ? st2 : st;
}

static int replay(const char *target)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/fuzz/regressions/%s", BPA_SOURCE_DIR, target);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        char *data = slurp(path, &len);
        bpa_error err;
        bpa_status st = BPA_OK;
        if (strcmp(target, "policy") == 0) {
            bpa_policy *p = NULL;
            st = bpa_policy_load_mem(&p, path, data, len, &err);
            bpa_policy_free(p);
        } else if (strcmp(target, "case") == 0 || strcmp(target, "grant") == 0) {
            bpa_case *c = NULL;
            st = bpa_case_load_mem(&c, path, data, len, &err);
            bpa_case_free(c);
        } else if (strcmp(target, "usage") == 0 || strcmp(target, "settle") == 0) {
            bpa_usage *u = NULL;
            st = bpa_usage_load_mem(&u, path, data, len, &err);
            bpa_usage_free(u);
        } else if (strcmp(target, "csv") == 0) {
            bpa_csv *csv = NULL;
            if ((st = bpa_csv_open_mem(&csv, path, data, len, &err)) == BPA_OK) {
                size_t n;
                char **f;
                unsigned line;
                while ((st = bpa_csv_next(csv, &n, &f, &line, &err)) == BPA_OK && n > 0)
                    ;
                bpa_csv_free(csv);
            }
        } else if (strcmp(target, "grant_record") == 0) {
            st = replay_grant_record(path, data, len);
        } else if (strcmp(target, "portfolio") == 0) {
            st = replay_portfolio(data, len);
        }
        ck_assert_msg(known(st), "%s: status %d", path, (int)st);
        free(data);
        count++;
    }
    closedir(d);
    return count;
}

START_TEST(replay_all)
{
    static const char *const targets[] = {"policy", "case", "grant", "usage", "settle", "csv",
                                          "grant_record", "portfolio", NULL};
    int n = 0;
    for (int i = 0; targets[i]; i++)
        n += replay(targets[i]);
    ck_assert_int_ge(n, 1); /* at least the policy regression is there */
}
END_TEST

static Suite *regressions_suite(void)
{
    Suite *s = suite_create("regressions");
    TCase *tc = tcase_create("fuzz");
    tcase_add_test(tc, replay_all);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(regressions_suite)
