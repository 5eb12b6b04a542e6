/* SHA-256 against the FIPS 180-2 / NIST example vectors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/sha256.h"
#include "testutil.h"

static void check_hex(const char *msg, const char *expected)
{
    char hex[65];
    bpa_sha256_hex(msg, strlen(msg), hex);
    ck_assert_str_eq(hex, expected);
}

START_TEST(test_empty)
{
    check_hex("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

START_TEST(test_abc)
{
    check_hex("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST(test_448_bits)
{
    /* 56 bytes: the padding no longer fits, so it spills into a second block. */
    check_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(test_million_a)
{
    /* Fed in uneven pieces to exercise the partial-block path too. */
    char chunk[997];
    memset(chunk, 'a', sizeof chunk);
    bpa_sha256 ctx;
    bpa_sha256_init(&ctx);
    size_t left = 1000000;
    while (left) {
        size_t n = left < sizeof chunk ? left : sizeof chunk;
        bpa_sha256_update(&ctx, chunk, n);
        left -= n;
    }
    unsigned char digest[32];
    bpa_sha256_final(&ctx, digest);

    char *all = malloc(1000000);
    ck_assert_ptr_nonnull(all);
    memset(all, 'a', 1000000);
    char hex[65];
    bpa_sha256_hex(all, 1000000, hex);
    free(all);
    ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

    char hex2[65];
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        hex2[2 * i] = digits[digest[i] >> 4];
        hex2[2 * i + 1] = digits[digest[i] & 0x0f];
    }
    hex2[64] = '\0';
    ck_assert_str_eq(hex2, hex);
}
END_TEST

START_TEST(test_split_updates)
{
    unsigned char msg[130];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (unsigned char)(i * 7 + 3);

    unsigned char whole[32];
    bpa_sha256 ctx;
    bpa_sha256_init(&ctx);
    bpa_sha256_update(&ctx, msg, sizeof msg);
    bpa_sha256_final(&ctx, whole);

    for (size_t cut = 0; cut <= sizeof msg; cut++) {
        unsigned char parts[32];
        bpa_sha256_init(&ctx);
        bpa_sha256_update(&ctx, msg, cut);
        bpa_sha256_update(&ctx, msg + cut, sizeof msg - cut);
        bpa_sha256_final(&ctx, parts);
        ck_assert_msg(memcmp(whole, parts, 32) == 0, "split at %zu differs", cut);
    }

    /* One byte at a time as well. */
    unsigned char bytewise[32];
    bpa_sha256_init(&ctx);
    for (size_t i = 0; i < sizeof msg; i++)
        bpa_sha256_update(&ctx, msg + i, 1);
    bpa_sha256_final(&ctx, bytewise);
    ck_assert(memcmp(whole, bytewise, 32) == 0);
}
END_TEST

START_TEST(test_file)
{
    char path[] = "/tmp/bpa_sha256_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *fp = fdopen(fd, "wb");
    ck_assert_ptr_nonnull(fp);

    /* Larger than one read chunk so the streaming loop runs more than once. */
    size_t len = 50000;
    unsigned char *data = malloc(len);
    ck_assert_ptr_nonnull(data);
    for (size_t i = 0; i < len; i++)
        data[i] = (unsigned char)(i % 251);
    ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
    ck_assert_int_eq(fclose(fp), 0);

    char mem[65], file[65];
    bpa_error err;
    bpa_error_clear(&err);
    bpa_sha256_hex(data, len, mem);
    bpa_status st = bpa_sha256_file(path, file, &err);
    unlink(path);
    free(data);
    ck_assert_int_eq(st, BPA_OK);
    ck_assert_str_eq(file, mem);
}
END_TEST

START_TEST(test_file_empty)
{
    char path[] = "/tmp/bpa_sha256_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char hex[65];
    bpa_error err;
    bpa_status st = bpa_sha256_file(path, hex, &err);
    unlink(path);
    ck_assert_int_eq(st, BPA_OK);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

START_TEST(test_file_missing)
{
    const char *path = "/tmp/bpa_sha256_no_such_dir/no_such_file";
    char hex[65];
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_sha256_file(path, hex, &err), BPA_E_IO);
    ck_assert_int_eq(err.status, BPA_E_IO);
    ck_assert_ptr_nonnull(strstr(err.message, path));
}
END_TEST

/* Both compressions give the same digests on data of every length around
 * block boundaries, up to several blocks per call (the portable one is
 * checked by the vectors above). */
START_TEST(test_accelerated_same)
{
    if (!bpa_sha256_set_accelerated(true))
        return; /* no SHA instructions here: only the portable code runs */
    static unsigned char data[64 * 40 + 7];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof data; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        data[i] = (unsigned char)x;
    }
    for (size_t n = 0; n <= sizeof data; n += (n < 200 ? 1 : 61)) {
        char a[65], b[65];
        bpa_sha256_set_accelerated(true);
        bpa_sha256_hex(data, n, a);
        bpa_sha256_set_accelerated(false);
        bpa_sha256_hex(data, n, b);
        ck_assert_msg(strcmp(a, b) == 0, "length %zu", n);
    }
}
END_TEST

static void portable(void)
{
    bpa_sha256_set_accelerated(false);
}

static Suite *sha256_suite(void)
{
    Suite *s = suite_create("sha256");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_abc);
    tcase_add_test(tc, test_448_bits);
    tcase_add_test(tc, test_million_a);
    tcase_add_test(tc, test_split_updates);
    tcase_add_test(tc, test_file);
    tcase_add_test(tc, test_file_empty);
    tcase_add_test(tc, test_file_missing);
    tcase_add_test(tc, test_accelerated_same);
    suite_add_tcase(s, tc);
    /* the vectors again through the portable compression */
    TCase *pt = tcase_create("portable");
    tcase_add_checked_fixture(pt, portable, NULL);
    tcase_add_test(pt, test_empty);
    tcase_add_test(pt, test_abc);
    tcase_add_test(pt, test_448_bits);
    tcase_add_test(pt, test_million_a);
    tcase_add_test(pt, test_split_updates);
    suite_add_tcase(s, pt);
    return s;
}

BPA_TEST_MAIN(sha256_suite)
