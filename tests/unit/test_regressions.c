/* Every input a fuzzer once crashed on (fuzz/regressions/<target>/) is
 * replayed through the normal build: it must end in a clean status. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/case.h"
#include "io/csv.h"
#include "bpa/policy.h"
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
    static const char *const targets[] = {"policy", "case", "grant", "usage", "settle", "csv", NULL};
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
