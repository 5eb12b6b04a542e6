/* Unit tests of the exact decimal core (src/num.c, RULES.md section 3).
 * Every expected figure is worked out by hand. */
#include "bpa/num.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#define ALL (BPA_DEC_NEGATIVE | BPA_DEC_FRACTION)

/* ---- helpers ---------------------------------------------------------- */

static void expect_parse(const char *text, unsigned flags, long num,
                         unsigned long den)
{
    mpq_t x, want;
    char msg[256] = "unset";
    mpq_inits(x, want, NULL);
    mpq_set_si(want, num, den);
    mpq_canonicalize(want);
    bpa_status st = bpa_dec_parse(x, text, flags, msg, sizeof msg);
    ck_assert_msg(st == BPA_OK, "parse \"%s\" failed: %s", text, msg);
    ck_assert_msg(mpq_equal(x, want), "parse \"%s\": wrong value", text);
    mpq_clears(x, want, NULL);
}

/* Rejected with BPA_E_INPUT, a one-line message holding each of the given
 * substrings, and out left unchanged. */
static void expect_reject2(const char *text, unsigned flags, const char *s1,
                           const char *s2)
{
    mpq_t x;
    char msg[512] = "";
    mpq_init(x);
    mpq_set_ui(x, 42, 1);
    bpa_status st = bpa_dec_parse(x, text, flags, msg, sizeof msg);
    ck_assert_msg(st == BPA_E_INPUT, "\"%s\" was accepted", text);
    ck_assert_msg(strstr(msg, s1), "\"%s\": message \"%s\" lacks \"%s\"", text,
                  msg, s1);
    if (s2)
        ck_assert_msg(strstr(msg, s2), "\"%s\": message \"%s\" lacks \"%s\"",
                      text, msg, s2);
    ck_assert_msg(!strchr(msg, '\n'), "message is not one line: %s", msg);
    ck_assert_msg(mpq_cmp_ui(x, 42, 1) == 0, "\"%s\": out was changed", text);
    mpq_clear(x);
}

static void expect_reject(const char *text, unsigned flags, const char *s1)
{
    expect_reject2(text, flags, s1, NULL);
}

static void expect_json(const char *raw, unsigned flags, long want)
{
    mpq_t x;
    char msg[256] = "unset";
    mpq_init(x);
    bpa_status st = bpa_dec_parse_json_number(x, raw, flags, msg, sizeof msg);
    ck_assert_msg(st == BPA_OK, "json %s failed: %s", raw, msg);
    ck_assert_msg(mpq_cmp_si(x, want, 1) == 0, "json %s: wrong value", raw);
    mpq_clear(x);
}

static void expect_json_reject(const char *raw, unsigned flags, const char *s1,
                               const char *s2)
{
    mpq_t x;
    char msg[512] = "";
    mpq_init(x);
    mpq_set_ui(x, 42, 1);
    bpa_status st = bpa_dec_parse_json_number(x, raw, flags, msg, sizeof msg);
    ck_assert_msg(st == BPA_E_INPUT, "json %s was accepted", raw);
    ck_assert_msg(strstr(msg, s1), "json %s: \"%s\" lacks \"%s\"", raw, msg, s1);
    if (s2)
        ck_assert_msg(strstr(msg, s2), "json %s: \"%s\" lacks \"%s\"", raw, msg,
                      s2);
    ck_assert_msg(mpq_cmp_ui(x, 42, 1) == 0, "json %s: out was changed", raw);
    mpq_clear(x);
}

static void expect_ore(long num, unsigned long den, bpa_rounding mode, long want)
{
    mpq_t x;
    mpz_t ore;
    mpq_init(x);
    mpz_init(ore);
    mpq_set_si(x, num, den);
    mpq_canonicalize(x);
    bpa_round_ore(ore, x, mode);
    ck_assert_msg(mpz_cmp_si(ore, want) == 0, "%ld/%lu mode %d: got %ld, want %ld",
                  num, den, (int)mode, mpz_get_si(ore), want);
    mpq_clear(x);
    mpz_clear(ore);
}

static void expect_fixed(long num, unsigned long den, unsigned d,
                         const char *want)
{
    mpq_t x;
    mpq_init(x);
    mpq_set_si(x, num, den);
    mpq_canonicalize(x);
    char *s = bpa_fmt_fixed(x, d);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, want);
    free(s);
    if (d == 2) {
        s = bpa_fmt_amount(x);
        ck_assert_ptr_nonnull(s);
        ck_assert_str_eq(s, want);
        free(s);
    }
    mpq_clear(x);
}

static void expect_fmt_ore(long ore, const char *want)
{
    mpz_t z;
    mpz_init_set_si(z, ore);
    char *s = bpa_fmt_ore(z);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, want);
    free(s);
    mpz_clear(z);
}

static void expect_exact(long num, unsigned long den, const char *want)
{
    mpq_t x;
    mpq_init(x);
    mpq_set_si(x, num, den);
    mpq_canonicalize(x);
    char *s = bpa_fmt_exact(x);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, want);
    free(s);
    mpq_clear(x);
}

/* ---- parsing ---------------------------------------------------------- */

START_TEST(parse_accepts)
{
    expect_parse("37.5", 0, 75, 2);
    expect_parse("0", 0, 0, 1);
    expect_parse("-0.01", BPA_DEC_NEGATIVE, -1, 100);
    expect_parse("123456789012345", 0, 123456789012345L, 1);
    expect_parse("0.123456", 0, 1929, 15625); /* 123456/10^6, both / 64 */
    expect_parse("1/7", BPA_DEC_FRACTION, 1, 7);
    expect_parse("2/4", BPA_DEC_FRACTION, 1, 2);
    expect_parse("-3/9", ALL, -1, 3);
    expect_parse("007", 0, 7, 1);
    expect_parse("-0", BPA_DEC_NEGATIVE, 0, 1);
    expect_parse("-0.00", BPA_DEC_NEGATIVE, 0, 1);
    expect_parse("1234.50", BPA_DEC_CENTS, 2469, 2);
    expect_parse("-12.05", BPA_DEC_CENTS | BPA_DEC_NEGATIVE, -241, 20);
}
END_TEST

START_TEST(parse_largest)
{
    /* 15 nines and 6 nines: (10^21 - 1) / 10^6, beyond a long. */
    mpq_t x, want;
    mpq_inits(x, want, NULL);
    mpz_ui_pow_ui(mpq_numref(want), 10, 21);
    mpz_sub_ui(mpq_numref(want), mpq_numref(want), 1);
    mpz_ui_pow_ui(mpq_denref(want), 10, 6);
    mpq_canonicalize(want);
    ck_assert_int_eq(bpa_dec_parse(x, "999999999999999.999999", 0, NULL, 0),
                     BPA_OK);
    ck_assert(mpq_equal(x, want));
    /* 15-digit fraction parts. */
    ck_assert_int_eq(bpa_dec_parse(x, "999999999999999/999999999999998",
                                   BPA_DEC_FRACTION, NULL, 0),
                     BPA_OK);
    mpq_clears(x, want, NULL);
}
END_TEST

START_TEST(parse_rejects)
{
    expect_reject("", 0, "is empty");
    expect_reject2("1e3", 0, "exponents are not allowed", "write \"1000\"");
    expect_reject2("1 234", 0, "spaces are not allowed", "write \"1234\"");
    expect_reject2("+1", 0, "plus sign is not allowed", "write \"1\"");
    expect_reject2(".5", 0, "a digit is needed before the decimal point",
                   "write \"0.5\"");
    expect_reject2("1.", 0, "a digit is needed after the decimal point",
                   "write \"1\"");
    expect_reject2("1234/0", BPA_DEC_FRACTION,
                   "the denominator must not be zero", "\"1234/0\"");
    expect_reject2("1234567890123456", 0, "too many digits", "at most 15 digits");
    expect_reject2("0.1234567", 0, "too many decimals", "at most 6 decimals");
    expect_reject2("0.125", BPA_DEC_CENTS, "too many decimals",
                   "at most 2 decimals");
    expect_reject2("-5", 0, "negative values are not allowed", "\"-5\"");
    expect_reject2("1/3", 0, "fractions are not allowed", "\"1/3\"");
    expect_reject2("1,5", 0, "commas are not allowed", "write \"1.5\"");
    expect_reject2("1\xc2\xbd", 0, "non-ASCII character", "\"1\\xC2\\xBD\"");
    expect_reject("caf\xc3\xa9", 0, "non-ASCII character");
}
END_TEST

START_TEST(parse_rejects_quote_input)
{
    /* Every rejection names the text it rejects. */
    expect_reject("1e3", 0, "\"1e3\" is not a decimal");
    expect_reject("1 234", 0, "\"1 234\"");
    expect_reject("+1", 0, "\"+1\"");
    expect_reject(".5", 0, "\".5\"");
    expect_reject("1.", 0, "\"1.\"");
    expect_reject("1234567890123456", 0, "\"1234567890123456\"");
    expect_reject("0.1234567", 0, "\"0.1234567\"");
    expect_reject("0.125", BPA_DEC_CENTS, "\"0.125\"");
    expect_reject("1,5", 0, "\"1,5\"");
}
END_TEST

START_TEST(parse_rejects_more)
{
    expect_reject("-1.5", BPA_DEC_CENTS, "negative values are not allowed");
    expect_reject("-1/3", BPA_DEC_FRACTION, "negative values are not allowed");
    expect_reject("1/2/3", ALL, "more than one '/'");
    expect_reject("1.2.3", 0, "more than one decimal point");
    expect_reject("5-", ALL, "minus sign may stand only at the start");
    expect_reject("--5", ALL, "minus sign may stand only at the start");
    expect_reject("abc", 0, "unexpected character 'a' at position 1");
    expect_reject("12x", 0, "unexpected character 'x' at position 3");
    expect_reject("-", ALL, "has no digits");
    expect_reject("1.5/2", ALL, "two whole numbers");
    expect_reject("/3", ALL, "two whole numbers");
    expect_reject("1/", ALL, "two whole numbers");
    expect_reject("1/-3", ALL, "minus sign may stand only at the start");
    expect_reject("1/1234567890123456", ALL, "at most 15 digits");
    expect_reject("0.1234567", BPA_DEC_CENTS, "at most 2 decimals");
    expect_reject("1.5e-3", 0, "write \"0.0015\"");
    expect_reject("1E+3", 0, "exponents are not allowed");
    expect_reject("1e99", 0, "write the number as a plain decimal");
    expect_reject("-.5", BPA_DEC_NEGATIVE, "write \"-0.5\"");
    expect_reject("1/4", 0, "write \"0.25\"");
    expect_reject("1/3", 0, "write a decimal");
    expect_reject("1\t5", 0, "spaces are not allowed");
    expect_reject(" 5 ", 0, "write \"5\"");
    expect_reject("1\x01", 0, "control character");
    expect_reject("1,234.5", 0, "commas are not allowed");
    /* A suggestion is never itself invalid: ".5" would fail in turn. */
    expect_reject2("+.5", 0, "plus sign", "without '+'");
}
END_TEST

START_TEST(parse_message_edges)
{
    mpq_t x;
    mpq_init(x);
    /* No message buffer, and a tiny one, are both fine. */
    ck_assert_int_eq(bpa_dec_parse(x, "1e3", 0, NULL, 0), BPA_E_INPUT);
    char tiny[8];
    ck_assert_int_eq(bpa_dec_parse(x, "1e3", 0, tiny, sizeof tiny), BPA_E_INPUT);
    ck_assert_uint_eq(strlen(tiny), 7);
    ck_assert_int_eq(bpa_dec_parse(x, NULL, 0, tiny, sizeof tiny), BPA_E_INPUT);
    /* Long input is cut in the message. */
    char msg[512];
    const char *longtext = "1234567890123456789012345678901234567890123456789x";
    ck_assert_int_eq(bpa_dec_parse(x, longtext, 0, msg, sizeof msg), BPA_E_INPUT);
    ck_assert_ptr_nonnull(strstr(msg, "...\""));
    /* Quotes and backslashes in the input are escaped. */
    ck_assert_int_eq(bpa_dec_parse(x, "1\"\\", 0, msg, sizeof msg), BPA_E_INPUT);
    ck_assert_ptr_nonnull(strstr(msg, "\"1\\\"\\\\\""));
    mpq_clear(x);
}
END_TEST

/* ---- JSON numbers ----------------------------------------------------- */

START_TEST(json_numbers)
{
    expect_json("37", 0, 37);
    expect_json("0", 0, 0);
    expect_json("-3", BPA_DEC_NEGATIVE, -3);
    expect_json("-0", BPA_DEC_NEGATIVE, 0);
    expect_json("123456789012345", 0, 123456789012345L);
    expect_json_reject("37.5", 0, "as a string", "\"37.5\"");
    expect_json_reject("-37.5", BPA_DEC_NEGATIVE, "as a string", "\"-37.5\"");
    expect_json_reject("1e3", 0, "exponent", "as a string");
    expect_json_reject("1e3", 0, "without exponent", "\"1000\"");
    expect_json_reject("1E+3", 0, "exponent", "as a string");
    expect_json_reject("2.5e-1", 0, "exponent", "\"0.25\"");
    expect_json_reject("1234567890123456", 0, "at most 15 digits", NULL);
    expect_json_reject("-3", 0, "negative values are not allowed", NULL);
    expect_json_reject("-0", 0, "negative values are not allowed", NULL);
    expect_json_reject("", 0, "empty", NULL);
    expect_json_reject("-", BPA_DEC_NEGATIVE, "no digits", NULL);
    expect_json_reject("true", 0, "not a whole number", NULL);
}
END_TEST

/* ---- rounding --------------------------------------------------------- */

START_TEST(round_half_away)
{
    const bpa_rounding m = BPA_ROUND_HALF_AWAY_FROM_ZERO;
    expect_ore(2675, 1000, m, 268);  /* 2.675 -> 2.68 */
    expect_ore(-2675, 1000, m, -268);
    expect_ore(-5, 1000, m, -1);     /* -0.005 -> -0.01 */
    expect_ore(5, 1000, m, 1);
    expect_ore(1005, 1000, m, 101);  /* 1.005 -> 1.01 */
    expect_ore(125, 1000, m, 13);
    expect_ore(-125, 1000, m, -13);
    expect_ore(4999, 1000000, m, 0); /* 0.004999 */
    expect_ore(-4999, 1000000, m, 0);
    expect_ore(1, 3, m, 33);         /* 33.33... */
    expect_ore(2, 3, m, 67);         /* 66.66... */
    expect_ore(-1, 6, m, -17);       /* -16.66... */
    expect_ore(0, 1, m, 0);
    expect_ore(1924, 1, m, 192400);
    expect_ore(1, 200, m, 1);        /* exactly half an øre */
    expect_ore(-1, 200, m, -1);
}
END_TEST

START_TEST(round_half_even)
{
    const bpa_rounding m = BPA_ROUND_HALF_EVEN;
    expect_ore(125, 1000, m, 12);   /* 12.5 -> 12 */
    expect_ore(135, 1000, m, 14);   /* 13.5 -> 14 */
    expect_ore(-125, 1000, m, -12);
    expect_ore(375, 1000, m, 38);   /* 37.5 -> 38 */
    expect_ore(2675, 1000, m, 268); /* 267.5 -> 268 */
    expect_ore(2665, 1000, m, 266); /* 266.5 -> 266 */
    expect_ore(-5, 1000, m, 0);     /* -0.5 -> 0 */
    expect_ore(15, 1000, m, 2);     /* 1.5 -> 2 */
    expect_ore(25, 1000, m, 2);     /* 2.5 -> 2 */
    expect_ore(-35, 1000, m, -4);   /* -3.5 -> -4 */
    expect_ore(1251, 10000, m, 13); /* 12.51 is not a tie */
    expect_ore(1, 3, m, 33);
    expect_ore(2, 3, m, 67);
    expect_ore(-1, 6, m, -17);
}
END_TEST

START_TEST(round_rational)
{
    mpq_t x, want;
    mpq_inits(x, want, NULL);
    mpq_set_si(x, 2675, 1000);
    mpq_canonicalize(x);
    bpa_round(x, x, BPA_ROUND_HALF_AWAY_FROM_ZERO); /* in place */
    mpq_set_si(want, 67, 25);                        /* 2.68 */
    ck_assert(mpq_equal(x, want));
    mpq_set_si(x, -1, 6);
    bpa_round(want, x, BPA_ROUND_HALF_EVEN);
    mpq_set_si(x, -17, 100);
    ck_assert(mpq_equal(want, x));
    mpq_set_si(x, 125, 1000);
    mpq_canonicalize(x);
    bpa_round(want, x, BPA_ROUND_HALF_EVEN);
    mpq_set_si(x, 3, 25); /* 0.12 */
    ck_assert(mpq_equal(want, x));
    mpq_clears(x, want, NULL);
}
END_TEST

/* ---- formatting ------------------------------------------------------- */

START_TEST(format_ore)
{
    expect_fmt_ore(123450, "1234.50");
    expect_fmt_ore(-1, "-0.01");
    expect_fmt_ore(0, "0.00");
    expect_fmt_ore(-123405, "-1234.05");
    expect_fmt_ore(5, "0.05");
    expect_fmt_ore(100, "1.00");
    expect_fmt_ore(-99, "-0.99");
}
END_TEST

START_TEST(format_fixed_and_amount)
{
    expect_fixed(37, 3, 4, "12.3333");
    expect_fixed(2, 3, 4, "0.6667");
    expect_fixed(-1, 8, 2, "-0.13");   /* -0.125 half away */
    expect_fixed(-1, 1000, 2, "0.00"); /* no "-0.00" */
    expect_fixed(-5, 1000, 2, "-0.01");
    expect_fixed(2675, 1000, 2, "2.68");
    expect_fixed(2469, 2, 2, "1234.50");
    expect_fixed(1, 3, 2, "0.33");
    expect_fixed(7, 2, 0, "4");
    expect_fixed(-7, 2, 0, "-4");
    expect_fixed(-1, 3, 0, "0");
    expect_fixed(1924, 1, 6, "1924.000000");
    expect_fixed(1, 7, 6, "0.142857");
    expect_fixed(-1, 7, 6, "-0.142857");
    expect_fixed(0, 1, 4, "0.0000");
}
END_TEST

START_TEST(format_exact)
{
    expect_exact(37, 3, "37/3");
    expect_exact(-5, 1, "-5");
    expect_exact(1924, 1, "1924");
    expect_exact(-1, 7, "-1/7");
    expect_exact(0, 1, "0");
    expect_exact(75, 2, "75/2");
}
END_TEST

START_TEST(exact_at)
{
    mpq_t x;
    mpq_init(x);
    mpq_set_si(x, 75, 2); /* 37.5 */
    ck_assert(bpa_is_exact_at(x, 1));
    ck_assert(!bpa_is_exact_at(x, 0));
    mpq_set_si(x, 1, 3);
    ck_assert(!bpa_is_exact_at(x, 6));
    mpq_set_si(x, -1, 8); /* -0.125 */
    ck_assert(bpa_is_exact_at(x, 3));
    ck_assert(!bpa_is_exact_at(x, 2));
    mpq_set_si(x, 5, 1);
    ck_assert(bpa_is_exact_at(x, 0));
    mpq_set_si(x, 1, 15625); /* 0.000064 */
    ck_assert(bpa_is_exact_at(x, 6));
    ck_assert(!bpa_is_exact_at(x, 5));
    mpq_clear(x);
}
END_TEST

/* ---- properties ------------------------------------------------------- */

static uint64_t lcg_state = 20250101u;

/* Knuth's MMIX LCG; the high bits are the good ones. */
static unsigned lcg(unsigned n)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((lcg_state >> 33) % n);
}

/* |100x - ore| <= 1/2 */
static void assert_within_half(const mpq_t x, const mpz_t ore)
{
    mpq_t d, half;
    mpq_inits(d, half, NULL);
    mpq_set_z(d, ore);
    mpz_mul_ui(mpq_numref(half), mpq_numref(x), 100);
    mpz_set(mpq_denref(half), mpq_denref(x));
    mpq_canonicalize(half);
    mpq_sub(d, half, d);
    mpq_abs(d, d);
    mpq_set_ui(half, 1, 2);
    ck_assert(mpq_cmp(d, half) <= 0);
    mpq_clears(d, half, NULL);
}

START_TEST(property_decimal_roundtrip)
{
    mpq_t x, want;
    mpz_t ore;
    mpq_inits(x, want, NULL);
    mpz_init(ore);
    for (int iter = 0; iter < 3000; iter++) {
        char text[40];
        size_t k = 0;
        unsigned ilen = 1 + lcg(15), places = lcg(7);
        bool neg = lcg(2);
        mpz_set_ui(mpq_numref(want), 0);
        if (neg)
            text[k++] = '-';
        for (unsigned i = 0; i < ilen + places; i++) {
            if (places && i == ilen)
                text[k++] = '.';
            unsigned dgt = lcg(10);
            if (i == 0 && ilen > 1 && dgt == 0)
                dgt = 1; /* no leading zero, so the text is canonical */
            text[k++] = (char)('0' + dgt);
            mpz_mul_ui(mpq_numref(want), mpq_numref(want), 10);
            mpz_add_ui(mpq_numref(want), mpq_numref(want), dgt);
        }
        text[k] = '\0';
        if (mpz_sgn(mpq_numref(want)) == 0 && neg)
            continue; /* "-0.000" prints as "0.000" */
        mpz_ui_pow_ui(mpq_denref(want), 10, places);
        mpq_canonicalize(want);
        if (neg)
            mpq_neg(want, want);

        char msg[256];
        ck_assert_msg(bpa_dec_parse(x, text, BPA_DEC_NEGATIVE, msg, sizeof msg) ==
                          BPA_OK,
                      "%s: %s", text, msg);
        ck_assert_msg(mpq_equal(x, want), "%s: wrong value", text);
        char *s = bpa_fmt_fixed(x, places);
        ck_assert_str_eq(s, text);
        free(s);
        ck_assert(bpa_is_exact_at(x, places));

        bpa_round_ore(ore, x, BPA_ROUND_HALF_AWAY_FROM_ZERO);
        assert_within_half(x, ore);
        if (places <= 2) {
            mpq_t back;
            mpq_init(back);
            mpq_set_z(back, ore);
            mpz_set_ui(mpq_denref(back), 100);
            mpq_canonicalize(back);
            ck_assert(mpq_equal(back, x)); /* whole øre: no rounding */
            s = bpa_fmt_amount(x);
            ck_assert_msg(bpa_dec_parse(back, s, BPA_DEC_NEGATIVE | BPA_DEC_CENTS,
                                        NULL, 0) == BPA_OK,
                          "%s", s);
            ck_assert(mpq_equal(back, x));
            free(s);
            mpq_clear(back);
        }
        bpa_round_ore(ore, x, BPA_ROUND_HALF_EVEN);
        assert_within_half(x, ore);
    }
    mpq_clears(x, want, NULL);
    mpz_clear(ore);
}
END_TEST

START_TEST(property_integers_and_fractions)
{
    mpq_t x, y;
    mpz_t ore, ore2;
    mpq_inits(x, y, NULL);
    mpz_inits(ore, ore2, NULL);
    for (int iter = 0; iter < 3000; iter++) {
        /* Whole numbers of up to 15 digits: text -> value -> exact text. */
        long long n = (long long)lcg(1000000000) * 1000000 + lcg(1000000);
        if (lcg(2))
            n = -n;
        char text[40];
        snprintf(text, sizeof text, "%lld", n);
        ck_assert_int_eq(bpa_dec_parse(x, text, BPA_DEC_NEGATIVE, NULL, 0),
                         BPA_OK);
        char *s = bpa_fmt_exact(x);
        ck_assert_str_eq(s, text);
        free(s);
        ck_assert_int_eq(
            bpa_dec_parse_json_number(y, text, BPA_DEC_NEGATIVE, NULL, 0),
            BPA_OK);
        ck_assert(mpq_equal(x, y));

        /* Whole øre: fmt_ore parses back as an amount with 2 decimals. */
        mpz_set_si(ore, (long)(n / 1000));
        s = bpa_fmt_ore(ore);
        ck_assert_int_eq(bpa_dec_parse(x, s, BPA_DEC_NEGATIVE | BPA_DEC_CENTS,
                                       NULL, 0),
                         BPA_OK);
        free(s);
        bpa_round_ore(ore2, x, BPA_ROUND_HALF_EVEN);
        ck_assert(mpz_cmp(ore, ore2) == 0);

        /* Fractions: exact text round-trips, rounding is within half an øre,
         * and the two modes differ only on a tie, by one øre. */
        long num = (long)lcg(2000000000) - 1000000000;
        unsigned long den = 1 + lcg(2000000000);
        mpq_set_si(x, num, den);
        mpq_canonicalize(x);
        s = bpa_fmt_exact(x);
        ck_assert_int_eq(bpa_dec_parse(y, s, ALL, NULL, 0), BPA_OK);
        ck_assert(mpq_equal(x, y));
        free(s);
        bpa_round_ore(ore, x, BPA_ROUND_HALF_AWAY_FROM_ZERO);
        bpa_round_ore(ore2, x, BPA_ROUND_HALF_EVEN);
        assert_within_half(x, ore);
        assert_within_half(x, ore2);
        if (mpz_cmp(ore, ore2) != 0) {
            mpz_sub(ore2, ore, ore2);
            ck_assert(mpz_cmpabs_ui(ore2, 1) == 0);
            ck_assert(bpa_is_exact_at(x, 3)); /* a tie has 3 decimals */
        }
    }
    mpq_clears(x, y, NULL);
    mpz_clears(ore, ore2, NULL);
}
END_TEST

Suite *num_suite(void);
Suite *num_suite(void)
{
    Suite *s = suite_create("num");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, parse_accepts);
    tcase_add_test(tc, parse_largest);
    tcase_add_test(tc, parse_rejects);
    tcase_add_test(tc, parse_rejects_quote_input);
    tcase_add_test(tc, parse_rejects_more);
    tcase_add_test(tc, parse_message_edges);
    tcase_add_test(tc, json_numbers);
    tcase_add_test(tc, round_half_away);
    tcase_add_test(tc, round_half_even);
    tcase_add_test(tc, round_rational);
    tcase_add_test(tc, format_ore);
    tcase_add_test(tc, format_fixed_and_amount);
    tcase_add_test(tc, format_exact);
    tcase_add_test(tc, exact_at);
    tcase_add_test(tc, property_decimal_roundtrip);
    tcase_add_test(tc, property_integers_and_fractions);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(num_suite)
