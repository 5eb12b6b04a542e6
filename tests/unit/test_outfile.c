/* Atomic output files: content appears only on commit, temporaries never
 * linger, failures are BPA_E_OUTPUT naming the path. Every test runs twice:
 * with the unnamed temporary (O_TMPFILE, where /tmp's file system has it)
 * and with the named one used elsewhere. */
#define _GNU_SOURCE /* O_TMPFILE */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/outfile.h"
#include "testutil.h"

static char dir[64];
static bool anonymous;  /* opens are expected to give unnamed temporaries */

static void make_dir(void)
{
    strcpy(dir, "/tmp/bpa_outfile_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Can this file system make an unnamed file? Then the engine must use it. */
static bool tmpfile_supported(void)
{
    int fd = open(dir, O_TMPFILE | O_WRONLY, 0600);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

static void setup_anonymous(void)
{
    make_dir();
    bpa_outfile_force_named(false);
    anonymous = tmpfile_supported();
}

static void setup_named(void)
{
    make_dir();
    bpa_outfile_force_named(true);
    anonymous = false;
}

/* Remove the test directory and whatever a test left in it. */
static void teardown(void)
{
    chmod(dir, 0755);
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *ent;
        while ((ent = readdir(d)) != NULL) {
            if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
                continue;
            char p[512];
            snprintf(p, sizeof p, "%s/%s", dir, ent->d_name);
            if (unlink(p) != 0)
                rmdir(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

static void join(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", dir, name);
}

/* Entries of the test directory whose name starts with '.', i.e. temporaries. */
static int count_hidden(void)
{
    int n = 0;
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.' && strcmp(ent->d_name, ".") && strcmp(ent->d_name, ".."))
            n++;
    }
    closedir(d);
    return n;
}

static void read_all(const char *path, char *buf, size_t n)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_ptr_nonnull(fp);
    size_t got = fread(buf, 1, n - 1, fp);
    buf[got] = '\0';
    fclose(fp);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    ck_assert_int_eq(fclose(fp), 0);
}

/* Hidden entries an open temporary makes: none while it has no name. */
static int hidden_while_open(void)
{
    return anonymous ? 0 : 1;
}

START_TEST(test_commit)
{
    char path[256];
    join(path, sizeof path, "out.csv");
    bpa_outfile out;
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_outfile_open(&out, path, &err), BPA_OK);
    ck_assert_ptr_nonnull(out.fp);
    ck_assert(out.anonymous == anonymous);

    /* The temporary is beside the target (or nowhere yet) and the target
     * is not there yet. */
    ck_assert_int_eq(count_hidden(), hidden_while_open());
    ck_assert_int_ne(access(path, F_OK), 0);
    if (anonymous) {
        ck_assert_int_eq(strncmp(out.tmp_path, "/proc/self/fd/", 14), 0);
    } else {
        ck_assert_int_eq(strncmp(out.tmp_path, dir, strlen(dir)), 0);
        ck_assert_ptr_nonnull(strstr(out.tmp_path, "/.out.csv."));
    }
    struct stat st;
    ck_assert_int_eq(stat(out.tmp_path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777u, 0644u);

    fputs("a,b\n1,2\n", out.fp);
    ck_assert_int_eq(bpa_outfile_commit(&out, &err), BPA_OK);
    ck_assert_ptr_null(out.fp);
    ck_assert_int_eq(out.fd, -1);
    ck_assert_ptr_null(out.tmp_path);
    ck_assert_ptr_null(out.final_path);

    char buf[64];
    read_all(path, buf, sizeof buf);
    ck_assert_str_eq(buf, "a,b\n1,2\n");
    ck_assert_int_eq(count_hidden(), 0);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777u, 0644u);

    /* Abort after commit is harmless. */
    bpa_outfile_abort(&out);
}
END_TEST

/* The mode is 0644 whatever the umask: outputs are read by others. */
START_TEST(test_mode_ignores_umask)
{
    char path[256];
    join(path, sizeof path, "m.txt");
    mode_t old = umask(077);
    bpa_outfile out;
    bpa_error err;
    bpa_status st = bpa_outfile_open(&out, path, &err);
    umask(old);
    ck_assert_int_eq(st, BPA_OK);
    ck_assert_int_eq(bpa_outfile_commit(&out, &err), BPA_OK);
    struct stat sb;
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 0777u, 0644u);
}
END_TEST

/* An existing target is replaced whole, many times over: each unnamed
 * temporary gets its own link name at commit. */
START_TEST(test_commit_replaces)
{
    char path[256];
    join(path, sizeof path, "out.csv");
    write_file(path, "old\n");
    bpa_error err;
    for (int i = 0; i < 50; i++) {
        bpa_outfile out;
        ck_assert_int_eq(bpa_outfile_open(&out, path, &err), BPA_OK);
        fprintf(out.fp, "run %d\n", i);
        ck_assert_int_eq(bpa_outfile_commit(&out, &err), BPA_OK);
    }
    char buf[64];
    read_all(path, buf, sizeof buf);
    ck_assert_str_eq(buf, "run 49\n");
    ck_assert_int_eq(count_hidden(), 0);
}
END_TEST

START_TEST(test_abort_keeps_existing)
{
    char path[256];
    join(path, sizeof path, "out.csv");
    write_file(path, "old\n");
    bpa_outfile out;
    bpa_error err;
    ck_assert_int_eq(bpa_outfile_open(&out, path, &err), BPA_OK);
    fputs("partial", out.fp);
    fflush(out.fp);
    bpa_outfile_abort(&out);
    bpa_outfile_abort(&out); /* twice is fine */

    char buf[64];
    read_all(path, buf, sizeof buf);
    ck_assert_str_eq(buf, "old\n");
    ck_assert_int_eq(count_hidden(), 0);
}
END_TEST

START_TEST(test_missing_dir)
{
    char path[256];
    join(path, sizeof path, "no_such_dir/out.csv");
    bpa_outfile out;
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_outfile_open(&out, path, &err), BPA_E_OUTPUT);
    ck_assert_int_eq(err.status, BPA_E_OUTPUT);
    ck_assert_ptr_nonnull(strstr(err.message, path));
    ck_assert_ptr_nonnull(strstr(err.message, "No such file"));
    ck_assert_ptr_null(out.fp);
    ck_assert_int_eq(out.fd, -1);
    bpa_outfile_abort(&out); /* safe after a failed open */

    /* A file where the directory should be. */
    char file[256];
    join(file, sizeof file, "plain");
    write_file(file, "x");
    join(path, sizeof path, "plain/out.csv");
    ck_assert_int_eq(bpa_outfile_open(&out, path, &err), BPA_E_OUTPUT);
    ck_assert_ptr_nonnull(strstr(err.message, "Not a directory"));
}
END_TEST

START_TEST(test_readonly_dir)
{
    char path[256];
    join(path, sizeof path, "out.csv");
    ck_assert_int_eq(chmod(dir, 0555), 0);
    bpa_outfile out;
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status st = bpa_outfile_open(&out, path, &err);
    if (access(dir, W_OK) != 0) {
        ck_assert_int_eq(st, BPA_E_OUTPUT);
        ck_assert_ptr_nonnull(strstr(err.message, path));
        ck_assert_ptr_nonnull(strstr(err.message, "Permission denied"));
    } else {
        /* Root writes anyway; then it must simply work. */
        ck_assert_int_eq(st, BPA_OK);
        bpa_outfile_abort(&out);
    }
    ck_assert_int_eq(count_hidden(), 0);
}
END_TEST

START_TEST(test_path_is_dir)
{
    char path[256];
    join(path, sizeof path, "sub");
    ck_assert_int_eq(mkdir(path, 0755), 0);
    bpa_outfile out;
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_outfile_open(&out, path, &err), BPA_E_OUTPUT);
    ck_assert_ptr_nonnull(strstr(err.message, path));
    ck_assert_int_eq(count_hidden(), 0);

    /* Same with a trailing slash naming a directory that does not exist. */
    join(path, sizeof path, "nothere/");
    ck_assert_int_eq(bpa_outfile_open(&out, path, &err), BPA_E_OUTPUT);
    ck_assert_int_eq(count_hidden(), 0);

    join(path, sizeof path, "sub");
    ck_assert_int_eq(bpa_outfile_open_named(&out, path, &err), BPA_E_OUTPUT);
    ck_assert_ptr_null(out.tmp_path);
}
END_TEST

/* A writer that opens the file by name (libxlsxwriter does). */
START_TEST(test_open_named)
{
    char path[256];
    join(path, sizeof path, "book.xlsx");
    write_file(path, "old");
    bpa_outfile out;
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_outfile_open_named(&out, path, &err), BPA_OK);
    ck_assert_ptr_null(out.fp);
    ck_assert_ptr_nonnull(out.tmp_path);
    ck_assert_int_eq(count_hidden(), hidden_while_open());

    write_file(out.tmp_path, "xlsx bytes");
    ck_assert_int_eq(count_hidden(), hidden_while_open());
    char buf[64];
    read_all(path, buf, sizeof buf);
    ck_assert_str_eq(buf, "old");

    ck_assert_int_eq(bpa_outfile_commit(&out, &err), BPA_OK);
    read_all(path, buf, sizeof buf);
    ck_assert_str_eq(buf, "xlsx bytes");
    ck_assert_int_eq(count_hidden(), 0);

    /* Aborted after writing: the old file stays, nothing else appears. */
    ck_assert_int_eq(bpa_outfile_open_named(&out, path, &err), BPA_OK);
    write_file(out.tmp_path, "half");
    bpa_outfile_abort(&out);
    read_all(path, buf, sizeof buf);
    ck_assert_str_eq(buf, "xlsx bytes");
    ck_assert_int_eq(count_hidden(), 0);
}
END_TEST

/* The rename fails (the target became a non-empty directory meanwhile):
 * BPA_E_OUTPUT naming the target, and no temporary is left. */
START_TEST(test_rename_failure_unlinks)
{
    char path[256], sub[256];
    join(path, sizeof path, "book.xlsx");
    bpa_outfile out;
    bpa_error err;
    ck_assert_int_eq(bpa_outfile_open_named(&out, path, &err), BPA_OK);
    write_file(out.tmp_path, "bytes");
    ck_assert_int_eq(mkdir(path, 0755), 0);
    join(sub, sizeof sub, "book.xlsx/x");
    write_file(sub, "x");
    ck_assert_int_eq(bpa_outfile_commit(&out, &err), BPA_E_OUTPUT);
    ck_assert_ptr_nonnull(strstr(err.message, path));
    ck_assert_ptr_null(out.tmp_path);
    ck_assert_int_eq(count_hidden(), 0);
    unlink(sub);
}
END_TEST

START_TEST(test_relative_path)
{
    /* No directory part: the temporary goes in the current directory. */
    ck_assert_int_eq(chdir(dir), 0);
    bpa_outfile out;
    bpa_error err;
    ck_assert_int_eq(bpa_outfile_open(&out, "rel.txt", &err), BPA_OK);
    if (!anonymous)
        ck_assert_int_eq(strncmp(out.tmp_path, ".rel.txt.", 9), 0);
    fputs("r", out.fp);
    ck_assert_int_eq(bpa_outfile_commit(&out, &err), BPA_OK);
    char buf[8];
    read_all("rel.txt", buf, sizeof buf);
    ck_assert_str_eq(buf, "r");
    ck_assert_int_eq(count_hidden(), 0);
    ck_assert_int_eq(chdir("/"), 0);
}
END_TEST

/* A write that fails (the file-size limit stands in for a full disk) is
 * reported at commit, and neither the target nor a temporary is left. */
START_TEST(test_write_failure_at_commit)
{
    char path[256];
    join(path, sizeof path, "big.txt");
    write_file(path, "old\n");
    struct rlimit old_lim, lim;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old_lim), 0);
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    lim = old_lim;
    lim.rlim_cur = 4096;
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);

    bpa_outfile out;
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_outfile_open(&out, path, &err), BPA_OK);
    char block[1024];
    memset(block, 'x', sizeof block);
    for (int i = 0; i < 64; i++)
        fwrite(block, 1, sizeof block, out.fp);
    bpa_status st = bpa_outfile_commit(&out, &err);

    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old_lim), 0);
    signal(SIGXFSZ, old_handler);
    ck_assert_int_eq(st, BPA_E_OUTPUT);
    ck_assert_ptr_nonnull(strstr(err.message, path));
    ck_assert_ptr_null(out.fp);
    ck_assert_ptr_null(out.tmp_path);
    char buf[64];
    read_all(path, buf, sizeof buf);
    ck_assert_str_eq(buf, "old\n");
    ck_assert_int_eq(count_hidden(), 0);
}
END_TEST

/* Commit on a struct whose open failed: an error, not a crash. */
START_TEST(test_commit_without_stream)
{
    char path[256];
    join(path, sizeof path, "no_such_dir/out.csv");
    bpa_outfile out;
    bpa_error err;
    ck_assert_int_eq(bpa_outfile_open(&out, path, &err), BPA_E_OUTPUT);
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_outfile_commit(&out, &err), BPA_E_OUTPUT);
    ck_assert_ptr_nonnull(strstr(err.message, "(output)"));

    /* NULL and empty names are refused the same way. */
    ck_assert_int_eq(bpa_outfile_open(&out, NULL, &err), BPA_E_OUTPUT);
    ck_assert_ptr_nonnull(strstr(err.message, "(null)"));
    ck_assert_int_eq(bpa_outfile_open(&out, "", &err), BPA_E_OUTPUT);
    bpa_outfile_abort(NULL);
}
END_TEST

static Suite *outfile_suite(void)
{
    Suite *s = suite_create("outfile");
    static const char *const names[2] = {"anonymous", "named"};
    void (*const setups[2])(void) = {setup_anonymous, setup_named};
    for (int i = 0; i < 2; i++) {
        TCase *tc = tcase_create(names[i]);
        tcase_add_checked_fixture(tc, setups[i], teardown);
        tcase_add_test(tc, test_commit);
        tcase_add_test(tc, test_mode_ignores_umask);
        tcase_add_test(tc, test_commit_replaces);
        tcase_add_test(tc, test_abort_keeps_existing);
        tcase_add_test(tc, test_missing_dir);
        tcase_add_test(tc, test_readonly_dir);
        tcase_add_test(tc, test_path_is_dir);
        tcase_add_test(tc, test_open_named);
        tcase_add_test(tc, test_rename_failure_unlinks);
        tcase_add_test(tc, test_relative_path);
        tcase_add_test(tc, test_write_failure_at_commit);
        tcase_add_test(tc, test_commit_without_stream);
        suite_add_tcase(s, tc);
    }
    return s;
}

BPA_TEST_MAIN(outfile_suite)
