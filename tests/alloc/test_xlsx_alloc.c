/* Allocation failure inside libxlsxwriter, zlib, libzip, expat and libc
 * while a workbook is written and read back. libxlsxwriter has no
 * allocator hooks, so this test (not libbpa) replaces malloc itself (glibc
 * allows a program to: its manual, "Replacing malloc") and forwards to
 * glibc's own functions; then the n-th allocation of the whole process
 * during the two workbook writes fails.
 *
 * libxlsxwriter 1.1.4 (Debian 12) is not safe when its allocations fail: it
 * crashes (workbook_set_properties frees the old properties before
 * allocating the new ones and leaves a dangling pointer; lxw_worksheet_free
 * and the cell tree dereference what a failed allocation left NULL), leaks,
 * or swallows the failure and writes a damaged workbook. We cannot fix that
 * library; libbpa reads every workbook back before committing it
 * (workbook_common.c), and this test checks, with each run in a child
 * process and no help from outside libbpa, what bpa guarantees:
 *   - a run that ends returns BPA_OK, or BPA_E_NOMEM or BPA_E_OUTPUT with a
 *     message, or stops as the CLI does when GMP runs out (exit 3);
 *   - a run that reports success wrote workbooks byte-identical to the
 *     untouched ones; any other run leaves no account workbook, and a
 *     grant workbook only when it is the complete one;
 *   - a run that crashes crashed inside libxlsxwriter (never in libbpa), and
 *     left no partial file: the unnamed temporary vanished with the process;
 *   - no run leaves a temporary file.
 * Every n up to XLSX_ALLOC_DENSE fails in turn, then every XLSX_ALLOC_STRIDE-th,
 * until a run no longer reaches the n-th allocation. Built without
 * sanitizers (they bring their own malloc): make alloc-check. */
#define _GNU_SOURCE /* dladdr */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpa/memory.h"
#include "bpa/case.h"
#include "bpa/grant.h"
#include "bpa/policy.h"
#include "bpa/settle.h"
#include "bpa/usage.h"
#include "bpa/workbook.h"
#include "mini.h"
#include "testutil.h"

#ifndef XLSX_ALLOC_DENSE /* -D for a full run: -DXLSX_ALLOC_STRIDE=1 */
#define XLSX_ALLOC_DENSE 1000
#endif
#ifndef XLSX_ALLOC_STRIDE
#define XLSX_ALLOC_STRIDE 97
#endif

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *p, size_t n);

/* ---- the replacement allocator (free stays glibc's) -------------------------- */

static int armed;             /* count allocations */
static unsigned long count;   /* allocations since armed */
static unsigned long fail_at; /* 0: none fails */

static int inject(void)
{
    if (armed && ++count == fail_at) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *malloc(size_t n)
{
    return inject() ? NULL : __libc_malloc(n);
}

void *calloc(size_t count_, size_t size)
{
    return inject() ? NULL : __libc_calloc(count_, size);
}

void *realloc(void *p, size_t n)
{
    return inject() ? NULL : __libc_realloc(p, n);
}

/* ---- the child: one write with the n-th allocation failing ------------------- */

/* How a child ended (its exit status). */
enum { CHILD_OK = 0, CHILD_ERROR = 1, CHILD_GMP_OOM = 3, CHILD_UNTOUCHED = 10,
       CHILD_BAD_STATUS = 11, CHILD_CRASH_XLSX = 20, CHILD_CRASH_OTHER = 21 };

/* GMP cannot return a failed allocation; the CLI then exits 3, and so
 * does the child (the output is still an unnamed temporary). */
static void gmp_out_of_memory(void)
{
    _exit(CHILD_GMP_OOM);
}

/* Whose fault: walking up from the crash, is libxlsxwriter met before the
 * executable (libbpa is linked into it)? Code that libxlsxwriter called
 * (libc's string functions, minizip, zlib) crashed on what it was handed. */
static void on_crash(int sig)
{
    (void)sig;
    void *frames[32];
    int n = backtrace(frames, 32);
    Dl_info self;
    int code = CHILD_CRASH_OTHER;
    if (dladdr((void *)on_crash, &self) && self.dli_fname) {
        /* frames[0] is this handler, frames[1] the trampoline in libc */
        for (int i = 2; i < n; i++) {
            Dl_info info;
            if (!dladdr(frames[i], &info) || !info.dli_fname)
                break;
            if (strstr(info.dli_fname, "libxlsxwriter")) {
                code = CHILD_CRASH_XLSX;
                break;
            }
            if (strcmp(info.dli_fname, self.dli_fname) == 0)
                break;
        }
    }
    if (code == CHILD_CRASH_OTHER)
        backtrace_symbols_fd(frames + 2, n - 2, 1);
    _exit(code);
}

static void child(unsigned long n, const bpa_grant *g, const bpa_settlement *s, const char *gpath,
                  const char *apath)
{
    signal(SIGSEGV, on_crash);
    signal(SIGBUS, on_crash);
    signal(SIGABRT, on_crash); /* glibc's heap checks abort on a double free */
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0)
        dup2(devnull, 2); /* libxlsxwriter prints each failed allocation */
    bpa_error err;
    bpa_error_clear(&err);
    count = 0;
    fail_at = n;
    armed = 1;
    bpa_status st = bpa_grant_workbook_write(g, gpath, BPA_LANG_DA, &err);
    if (st == BPA_OK)
        st = bpa_settle_workbook_write(s, apath, BPA_LANG_EN, &err);
    armed = 0;
    if (count < n)
        _exit(st == BPA_OK ? CHILD_UNTOUCHED : CHILD_BAD_STATUS);
    if (st != BPA_OK && st != BPA_E_NOMEM && st != BPA_E_OUTPUT)
        _exit(CHILD_BAD_STATUS);
    if (st != BPA_OK && !err.message[0])
        _exit(CHILD_BAD_STATUS);
    _exit(st == BPA_OK ? CHILD_OK : CHILD_ERROR);
}

/* ---- the test ---------------------------------------------------------------- */

/* Do files a and b hold the same bytes? */
static bool same_bytes(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    bool same = fa && fb;
    while (same) {
        int ca = getc(fa), cb = getc(fb);
        if (ca != cb)
            same = false;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

/* Names in d other than "." and "..", as a space-separated list in buf. */
static void entries(const char *d, char *buf, size_t size)
{
    buf[0] = '\0';
    DIR *dp = opendir(d);
    ck_assert_ptr_nonnull(dp);
    struct dirent *e;
    while ((e = readdir(dp)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            strncat(buf, e->d_name, size - strlen(buf) - 2);
            strcat(buf, " ");
        }
    closedir(dp);
}

START_TEST(libxlsxwriter_allocation_failures_leave_no_file)
{
    char wdir[] = "/tmp/bpa-xlsx-alloc-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(wdir));
    bpa_error err;
    bpa_memory_hooks_install(gmp_out_of_memory); /* as the CLI does */
    mini m;
    mini_compute(&m);
    const bpa_grant *g = m.g;
    const bpa_settlement *s = m.s;
    char gpath[256], apath[256], gref[256], aref[256], left[1024];
    snprintf(gpath, sizeof gpath, "%s/grant.xlsx", wdir);
    snprintf(apath, sizeof apath, "%s/account.xlsx", wdir);
    /* the untouched workbooks, beside the test directory */
    snprintf(gref, sizeof gref, "%s-grant.xlsx", wdir);
    snprintf(aref, sizeof aref, "%s-account.xlsx", wdir);
    ck_assert_int_eq(bpa_grant_workbook_write(g, gref, BPA_LANG_DA, &err), BPA_OK);
    ck_assert_int_eq(bpa_settle_workbook_write(s, aref, BPA_LANG_EN, &err), BPA_OK);
    void *warm[2];
    backtrace(warm, 2); /* loads libgcc now, not in a crashing child */

    unsigned long n, runs = 0;
    int clean = 0, crashes = 0, gmp = 0, identical = 0;
    for (n = 1;; n += n < XLSX_ALLOC_DENSE ? 1 : XLSX_ALLOC_STRIDE) {
        fflush(stdout);
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0)
            child(n, g, s, gpath, apath);
        int ws;
        ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
        ck_assert_msg(WIFEXITED(ws), "n=%lu: killed by signal %d outside the handler", n,
                      WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
        int code = WEXITSTATUS(ws);
        runs++;
        ck_assert_msg(code != CHILD_CRASH_OTHER, "n=%lu: a crash outside libxlsxwriter", n);
        ck_assert_msg(code != CHILD_BAD_STATUS, "n=%lu: a status other than OK/NOMEM/OUTPUT, "
                      "or an error without a message", n);
        if (code == CHILD_UNTOUCHED) {
            ck_assert(same_bytes(gpath, gref));
            ck_assert(same_bytes(apath, aref));
            unlink(gpath);
            unlink(apath);
            break;
        }
        if (code == CHILD_OK) {
            /* success after a failed allocation: only with the very bytes */
            ck_assert_msg(same_bytes(gpath, gref), "n=%lu: success, but the grant workbook "
                          "differs", n);
            ck_assert_msg(same_bytes(apath, aref), "n=%lu: success, but the account workbook "
                          "differs", n);
            identical++;
        } else {
            /* The account workbook must not exist. The grant's is complete
             * whenever it exists: its write returned before the account's
             * began. */
            ck_assert_msg(access(apath, F_OK) != 0, "n=%lu: an account workbook was left", n);
            if (access(gpath, F_OK) == 0)
                ck_assert_msg(same_bytes(gpath, gref), "n=%lu: the grant workbook differs", n);
            if (code == CHILD_CRASH_XLSX)
                crashes++;
            else if (code == CHILD_GMP_OOM)
                gmp++;
            else
                clean++;
        }
        unlink(gpath);
        unlink(apath);
        entries(wdir, left, sizeof left);
        ck_assert_msg(left[0] == '\0', "n=%lu: left in %s: %s", n, wdir, left);
    }
    printf("libxlsxwriter allocation failure: %lu allocations in two workbooks, %lu runs "
           "(every n to %d, then every %d-th): %d clean errors, %d stops for GMP, %d successes "
           "with byte-identical workbooks, %d crashes inside libxlsxwriter; no partial or "
           "temporary file left by any\n",
           n - 1, runs - 1, XLSX_ALLOC_DENSE, XLSX_ALLOC_STRIDE, clean, gmp, identical, crashes);
    ck_assert_int_gt(clean, 0);
    mini_free(&m);
    unlink(gref);
    unlink(aref);
    rmdir(wdir);
}
END_TEST

static Suite *xlsx_alloc_suite(void)
{
    Suite *suite = suite_create("xlsx-alloc");
    TCase *tc = tcase_create("xlsx-alloc");
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, libxlsxwriter_allocation_failures_leave_no_file);
    suite_add_tcase(suite, tc);
    return suite;
}

BPA_TEST_MAIN(xlsx_alloc_suite)
