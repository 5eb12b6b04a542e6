/* The status codes, their exit statuses (RULES.md section 11) and the error
 * record's formatting. */
#include <string.h>

#include "bpa/status.h"
#include "testutil.h"

START_TEST(exit_codes)
{
    ck_assert_int_eq(bpa_status_exit_code(BPA_OK), 0);
    ck_assert_int_eq(bpa_status_exit_code(BPA_E_INPUT), 1);
    ck_assert_int_eq(bpa_status_exit_code(BPA_E_POLICY), 1);
    ck_assert_int_eq(bpa_status_exit_code(BPA_E_IO), 1);
    ck_assert_int_eq(bpa_status_exit_code(BPA_E_USAGE), 2);
    ck_assert_int_eq(bpa_status_exit_code(BPA_E_OUTPUT), 3);
    ck_assert_int_eq(bpa_status_exit_code(BPA_E_NOMEM), 3);
    ck_assert_int_eq(bpa_status_exit_code(BPA_E_DIFFERENCES), 4);
    ck_assert_str_eq(bpa_status_str(BPA_OK), "ok");
    ck_assert_str_eq(bpa_status_str(BPA_E_INPUT), "input error");
    ck_assert_str_eq(bpa_status_str(BPA_E_POLICY), "policy error");
    ck_assert_str_eq(bpa_status_str(BPA_E_USAGE), "usage error");
    ck_assert_str_eq(bpa_status_str(BPA_E_OUTPUT), "output error");
    ck_assert_str_eq(bpa_status_str(BPA_E_NOMEM), "out of memory");
    ck_assert_str_eq(bpa_status_str(BPA_E_IO), "read error");
    ck_assert_str_eq(bpa_status_str((bpa_status)99), "unknown error");
    ck_assert_int_eq(bpa_status_exit_code((bpa_status)99), 1);
}
END_TEST

START_TEST(formatting)
{
    bpa_error err;
    char buf[256];
    bpa_error_clear(&err);
    ck_assert_int_eq(err.status, BPA_OK);
    ck_assert_int_eq(bpa_error_set(&err, BPA_E_INPUT, "case.json", 7, 58, "$.year", "bad %d", 1),
                     BPA_E_INPUT);
    ck_assert_str_eq(bpa_error_format(&err, buf, sizeof buf), "case.json:7:58: $.year: bad 1");
    bpa_error_set(&err, BPA_E_POLICY, "p.json", 3, 0, NULL, "x");
    ck_assert_str_eq(bpa_error_format(&err, buf, sizeof buf), "p.json:3: x");
    bpa_error_set(&err, BPA_E_OUTPUT, NULL, 0, 0, NULL, "%s", "");
    ck_assert_str_eq(bpa_error_format(&err, buf, sizeof buf), "output error");
    /* a long file name is cut, never overflows */
    char longname[2000];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    bpa_error_set(&err, BPA_E_INPUT, longname, 1, 1, longname, "m");
    ck_assert_uint_eq(strlen(err.file), BPA_ERROR_FILE_MAX - 1);
    ck_assert_uint_eq(strlen(bpa_error_format(&err, buf, sizeof buf)), sizeof buf - 1);
    /* NULL record: the status still comes back */
    ck_assert_int_eq(bpa_error_set(NULL, BPA_E_IO, NULL, 0, 0, NULL, "x"), BPA_E_IO);
}
END_TEST

START_TEST(format_edges)
{
    bpa_error err;
    char buf[16];
    bpa_error_clear(NULL); /* no record: nothing to clear */
    bpa_error_clear(&err);
    /* no buffer, or a zero-sized one: nothing written, nothing read */
    ck_assert_ptr_null(bpa_error_format(&err, NULL, 10));
    buf[0] = 'z';
    ck_assert_ptr_eq(bpa_error_format(&err, buf, 0), buf);
    ck_assert_int_eq(buf[0], 'z');
    /* a cleared record says "ok" */
    ck_assert_str_eq(bpa_error_format(&err, buf, sizeof buf), "ok");
    /* a file without a line, a line without a column */
    bpa_error_set(&err, BPA_E_IO, "t.csv", 0, 9, NULL, "gone");
    ck_assert_str_eq(bpa_error_format(&err, buf, sizeof buf), "t.csv: gone");
    bpa_error_set(&err, BPA_E_USAGE, NULL, 0, 0, "--lang", "bad");
    ck_assert_str_eq(bpa_error_format(&err, buf, sizeof buf), "--lang: bad");
    /* the buffer fills at the file name: later parts are dropped, the
     * result stays terminated */
    bpa_error_set(&err, BPA_E_INPUT, "abcdefghijklmnopqrstuvwxyz.json", 12, 34, "$.a", "m");
    ck_assert_str_eq(bpa_error_format(&err, buf, sizeof buf), "abcdefghijklmno");
    bpa_error_set(&err, BPA_E_INPUT, "abcdefghijkl", 12, 34, "$.a", "m");
    ck_assert_str_eq(bpa_error_format(&err, buf, sizeof buf), "abcdefghijkl:12");
}
END_TEST

static Suite *status_suite(void)
{
    Suite *s = suite_create("status");
    TCase *tc = tcase_create("status");
    tcase_add_test(tc, exit_codes);
    tcase_add_test(tc, formatting);
    tcase_add_test(tc, format_edges);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(status_suite)
