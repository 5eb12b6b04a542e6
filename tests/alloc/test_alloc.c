/* Allocation failure: for n = 1, 2, ... the n-th allocation (ours and
 * cJSON's) fails; every run must end in BPA_OK or BPA_E_NOMEM, and the
 * sanitizer build finds no leak. The loop ends when a run no longer reaches
 * the n-th allocation, i.e. it succeeded untouched. Built only with
 * -DBPA_FAULT_INJECTION (make alloc-check). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "core/alloc.h"
#include "bpa/memory.h"
#include "bpa/case.h"
#include "bpa/grant.h"
#include "bpa/policy.h"
#include "bpa/settle.h"
#include "bpa/usage.h"
#include "bpa/workbook.h"
#include "mini.h"
#include "testutil.h"

static char dir[] = "/tmp/bpa-alloc-XXXXXX";

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
}

/* A temporary output (".name.XXXXXX") left behind? */
static bool hidden_file_in(const char *d)
{
    DIR *dp = opendir(d);
    ck_assert_ptr_nonnull(dp);
    struct dirent *e;
    bool found = false;
    while ((e = readdir(dp)))
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            found = true;
    closedir(dp);
    return found;
}

static bpa_status pipeline(bpa_error *err)
{
    bpa_case *c = NULL;
    bpa_policy *p = NULL;
    bpa_grant *g = NULL;
    bpa_usage *u = NULL;
    bpa_settlement *s = NULL;
    char *gj = NULL, *sj = NULL, path[256];
    bpa_status st = bpa_case_load(&c, BPA_SOURCE_DIR "/fixtures/cases/alb-2025-transferred-association.json", err);
    if (st == BPA_OK)
        st = bpa_policy_load(&p, BPA_SOURCE_DIR "/fixtures/policies/albertslund.json", err);
    if (st == BPA_OK)
        st = bpa_grant_compute(&g, c, p, err);
    if (st == BPA_OK)
        st = bpa_grant_to_json(g, &gj, err);
    snprintf(path, sizeof path, "%s/usage.json", dir);
    if (st == BPA_OK)
        st = bpa_usage_load(&u, path, err);
    if (st == BPA_OK)
        st = bpa_settle_compute(&s, g, u, err);
    if (st == BPA_OK)
        st = bpa_settle_to_json(s, &sj, err);

    free(gj);
    free(sj);
    bpa_settle_free(s);
    bpa_usage_free(u);
    bpa_grant_free(g);
    bpa_policy_free(p);
    bpa_case_free(c);
    return st;
}

START_TEST(every_allocation_fails_cleanly)
{
    ck_assert(bpa_alloc_fault_injection());
    bpa_memory_hooks_install(NULL); /* cJSON through libbpa; GMP never fails here */
    ck_assert_ptr_nonnull(mkdtemp(dir));
    bpa_case *c = NULL;
    bpa_error err;
    ck_assert_int_eq(bpa_case_load(&c, BPA_SOURCE_DIR "/fixtures/cases/alb-2025-transferred-association.json", &err), BPA_OK);
    char usage[1024];
    snprintf(usage, sizeof usage,
             "{\"format\":\"bpa-usage/1\",\"case\":\"%s\",\"year\":2025,"
             "\"used\":[{\"month\":\"2025-02\",\"kind\":\"work\",\"band\":\"day\",\"step\":11,\"hours\":\"100\"}],"
             "\"timesheets\":[\"t.csv\"],"
             "\"payments\":[{\"date\":\"2025-01-31\",\"amount\":\"1000.00\",\"for\":\"grant\"}]}",
             c->id);
    bpa_case_free(c);
    write_file("usage.json", usage);
    write_file("t.csv", "helper,date,start,end,kind,step\n"
                        "Anna,2025-03-29,22:00,06:00,work,11\n"
                        "Bo,2025-04-18,08:00,16:00,work,11\n"
                        "Anna,2025-10-25,22:00,06:00,work,11\n");
    unsigned long n;
    int nomem = 0;
    for (n = 1;; n++) {
        bpa_error_clear(&err);
        bpa_alloc_fail_at(n, false);
        bpa_status st = pipeline(&err);
        unsigned long reached = bpa_alloc_count();
        bpa_alloc_fail_at(0, false);
        if (reached < n) { /* the n-th allocation never happened: a clean run */
            ck_assert_msg(st == BPA_OK, "untouched run failed: %s", err.message);
            break;
        }
        ck_assert_msg(st == BPA_E_NOMEM || st == BPA_OK, "n=%lu: status %d (%s)", n, (int)st,
                      err.message);
        if (st == BPA_E_NOMEM)
            nomem++;
        ck_assert_msg(!hidden_file_in(dir), "n=%lu: a temporary file was left in %s", n, dir);
    }
    printf("allocation failure: %lu allocations, %d ended in out-of-memory errors\n", n - 1, nomem);
    ck_assert_int_gt(nomem, 0);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST


/* The workbook writers: the grant and account of the small CLI test case are
 * computed untouched, then the n-th allocation of ours fails while the two
 * workbooks are written (libxlsxwriter's own: test_xlsx_alloc.c). */
START_TEST(workbook_allocations_fail_cleanly)
{
    char wdir[] = "/tmp/bpa-alloc-wb-XXXXXX";
    bpa_memory_hooks_install(NULL); /* cJSON through libbpa; GMP never fails here */
    ck_assert_ptr_nonnull(mkdtemp(wdir));
    bpa_error err;
    mini m;
    mini_compute(&m);
    char gpath[256], apath[256];
    snprintf(gpath, sizeof gpath, "%s/grant.xlsx", wdir);
    snprintf(apath, sizeof apath, "%s/account.xlsx", wdir);
    unsigned long n;
    int nomem = 0;
    for (n = 1;; n++) {
        unlink(gpath);
        unlink(apath);
        bpa_error_clear(&err);
        bpa_alloc_fail_at(n, false);
        bpa_status st = bpa_grant_workbook_write(m.g, gpath, BPA_LANG_DA, &err);
        if (st == BPA_OK)
            st = bpa_settle_workbook_write(m.s, apath, BPA_LANG_EN, &err);
        unsigned long reached = bpa_alloc_count();
        bpa_alloc_fail_at(0, false);
        ck_assert_msg(!hidden_file_in(wdir), "n=%lu: a temporary file was left", n);
        if (reached < n) {
            ck_assert_msg(st == BPA_OK, "untouched run failed: %s", err.message);
            break;
        }
        ck_assert_msg(st == BPA_E_NOMEM || st == BPA_E_OUTPUT || st == BPA_OK, "n=%lu: status %d",
                      n, (int)st);
        if (st != BPA_OK) {
            nomem++;
            ck_assert_msg(access(gpath, F_OK) != 0 || st != BPA_OK, "partial workbook");
        }
    }
    printf("workbook allocation failure: %lu allocations, %d failed cleanly\n", n - 1, nomem);
    ck_assert_int_gt(nomem, 0);
    mini_free(&m);
    unlink(gpath);
    unlink(apath);
    rmdir(wdir);
}
END_TEST

static Suite *alloc_suite(void)
{
    Suite *s = suite_create("alloc");
    TCase *tc = tcase_create("alloc");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, every_allocation_fails_cleanly);
    tcase_add_test(tc, workbook_allocations_fail_cleanly);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(alloc_suite)
