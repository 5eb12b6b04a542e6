/* bpa_file_sha256 (bpa/hash.h): the FIPS 180-2 vector of "abc" from a file,
 * and a missing file as BPA_E_IO naming it. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "bpa/hash.h"

START_TEST(test_abc)
{
    char path[] = "/tmp/bpa-hash-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "abc", 3), 3);
    close(fd);
    char hex[65];
    bpa_error err;
    ck_assert_int_eq(bpa_file_sha256(path, hex, &err), BPA_OK);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    unlink(path);
    ck_assert_int_eq(bpa_file_sha256(path, hex, &err), BPA_E_IO);
    ck_assert_ptr_nonnull(strstr(err.message, path));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("hash");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_abc);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(suite)
