/* Unit tests of what the CLI takes from the library's public API:
 * bpa_case_policy_load (resolve, load, id check), bpa_file_write (atomic,
 * never a partial file) and bpa_version. */
#include "bpa/case.h"
#include "bpa/output.h"
#include "bpa/policy.h"
#include "bpa/version.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#define FIXTURES BPA_SOURCE_DIR "/fixtures/"

static char dir[] = "/tmp/bpa-cli-api-XXXXXX";

static void setup(void) { ck_assert_ptr_nonnull(mkdtemp(dir)); }

static void teardown(void)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[512];
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                unlink(path);
            }
        closedir(d);
    }
    rmdir(dir);
    strcpy(dir, "/tmp/bpa-cli-api-XXXXXX");
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* the case alb-2025-full-year, with its policy given as `policy` */
static bpa_case *case_naming(const char *policy)
{
    char path[512], text[4096];
    FILE *f = fopen(FIXTURES "cases/alb-2025-full-year.json", "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    const char *at = strstr(text, "\"albertslund\"");
    ck_assert_ptr_nonnull(at);
    char out[4200];
    snprintf(out, sizeof out, "%.*s\"%s\"%s", (int)(at - text), text, policy,
             at + strlen("\"albertslund\""));
    snprintf(path, sizeof path, "%s/case.json", dir);
    write_text(path, out);
    bpa_case *c;
    bpa_error err;
    ck_assert_int_eq(bpa_case_load(&c, path, &err), BPA_OK);
    return c;
}

START_TEST(policy_by_id)
{
    bpa_case *c = case_naming("albertslund");
    bpa_policy *p = NULL;
    bpa_error err;
    ck_assert_int_eq(bpa_case_policy_load(c, FIXTURES "policies", &p, &err), BPA_OK);
    ck_assert_str_eq(bpa_policy_id(p), "albertslund");
    bpa_policy_free(p);
    /* no directory for a policy named by id */
    ck_assert_int_eq(bpa_case_policy_load(c, NULL, &p, &err), BPA_E_POLICY);
    ck_assert_ptr_null(p);
    ck_assert_str_eq(err.path, "$.policy");
    ck_assert_ptr_nonnull(strstr(err.message, "no policy directory"));
    /* a directory without it: a policy error (not a read error) naming the file */
    ck_assert_int_eq(bpa_case_policy_load(c, dir, &p, &err), BPA_E_POLICY);
    ck_assert_ptr_null(p);
    ck_assert_ptr_nonnull(strstr(err.file, "/albertslund.json"));
    bpa_case_free(c);
}
END_TEST

START_TEST(policy_id_must_match)
{
    bpa_case *c = case_naming("herning");
    char path[512];
    snprintf(path, sizeof path, "%s/herning.json", dir);
    /* albertslund's file under herning's name */
    FILE *in = fopen(FIXTURES "policies/albertslund.json", "r");
    FILE *out = fopen(path, "w");
    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(out);
    int ch;
    while ((ch = fgetc(in)) != EOF)
        fputc(ch, out);
    fclose(in);
    fclose(out);
    bpa_policy *p = NULL;
    bpa_error err;
    ck_assert_int_eq(bpa_case_policy_load(c, dir, &p, &err), BPA_E_POLICY);
    ck_assert_ptr_null(p);
    ck_assert_str_eq(err.file, path);
    ck_assert_str_eq(err.path, "$.id");
    ck_assert_str_eq(err.message,
                     "the file's id \"albertslund\" does not match the case's policy \"herning\"");
    bpa_case_free(c);
}
END_TEST

START_TEST(policy_by_path)
{
    /* a path relative to the case file: no id check, no directory needed */
    char path[512];
    snprintf(path, sizeof path, "%s/renamed.json", dir);
    FILE *in = fopen(FIXTURES "policies/albertslund.json", "r");
    FILE *out = fopen(path, "w");
    int ch;
    while ((ch = fgetc(in)) != EOF)
        fputc(ch, out);
    fclose(in);
    fclose(out);
    bpa_case *c = case_naming("renamed.json");
    bpa_policy *p = NULL;
    bpa_error err;
    ck_assert_int_eq(bpa_case_policy_load(c, NULL, &p, &err), BPA_OK);
    ck_assert_str_eq(bpa_policy_id(p), "albertslund");
    bpa_policy_free(p);
    bpa_case_free(c);
}
END_TEST

static size_t entries(void)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.' || (e->d_name[1] && strcmp(e->d_name, "..") != 0);
    closedir(d);
    return n;
}

START_TEST(file_write)
{
    char path[512], back[64] = {0};
    bpa_error err;
    snprintf(path, sizeof path, "%s/out.json", dir);
    ck_assert_int_eq(bpa_file_write(path, "{\"a\": 1}\n", 9, &err), BPA_OK);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fread(back, 1, sizeof back - 1, f), 9);
    fclose(f);
    ck_assert_str_eq(back, "{\"a\": 1}\n");
    /* replacing it leaves the new bytes only, and no temporary beside it */
    ck_assert_int_eq(bpa_file_write(path, "x", 1, &err), BPA_OK);
    f = fopen(path, "r");
    memset(back, 0, sizeof back);
    ck_assert_uint_eq(fread(back, 1, sizeof back - 1, f), 1);
    fclose(f);
    ck_assert_str_eq(back, "x");
    ck_assert_uint_eq(entries(), 1);
    /* an empty text is an empty file */
    ck_assert_int_eq(bpa_file_write(path, "", 0, &err), BPA_OK);
    struct stat sb;
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_size, 0);
}
END_TEST

START_TEST(file_write_fails_cleanly)
{
    char path[512];
    bpa_error err;
    snprintf(path, sizeof path, "%s/no/such/out.json", dir);
    ck_assert_int_eq(bpa_file_write(path, "x", 1, &err), BPA_E_OUTPUT);
    ck_assert_ptr_nonnull(strstr(err.message, path));
    /* the target is a directory */
    ck_assert_int_eq(bpa_file_write(dir, "x", 1, &err), BPA_E_OUTPUT);
    ck_assert_uint_eq(entries(), 0);
}
END_TEST

START_TEST(version)
{
    ck_assert_str_eq(bpa_version(), BPA_VERSION);
}
END_TEST

static Suite *cli_api_suite(void)
{
    Suite *s = suite_create("cli_api");
    TCase *tc = tcase_create("cli_api");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, policy_by_id);
    tcase_add_test(tc, policy_id_must_match);
    tcase_add_test(tc, policy_by_path);
    tcase_add_test(tc, file_write);
    tcase_add_test(tc, file_write_fails_cleanly);
    tcase_add_test(tc, version);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(cli_api_suite)
