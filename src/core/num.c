/* The exact decimal core (RULES.md section 3); see include/bpa/num.h.
 * Text is checked character by character before GMP sees it, so GMP only
 * ever converts pure digit strings. */
#include "core/alloc.h"
#include "bpa/num.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIGITS 15      /* digits before the point, and in N and D */
#define MAX_DECIMALS 6     /* digits after the point */
#define MAX_CENT_DECIMALS 2 /* BPA_DEC_CENTS */
#define QUOTE_MAX 40       /* input characters quoted in a message */
#define QBUF 200           /* holds a quoted input: 2 + 4 * QUOTE_MAX + "..." */
#define CAND_MAX 64        /* longest input we try to correct in a suggestion */
#define SBUF (CAND_MAX + 40) /* holds "; write \"<suggestion>\"" */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static bpa_status fail(char *msg, size_t msgsize, const char *fmt, ...)
{
    if (msg && msgsize) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, msgsize, fmt, ap);
        va_end(ap);
    }
    return BPA_E_INPUT;
}

/* The input between double quotes, escaped so that the message stays one
 * printable ASCII line whatever the input holds, and cut when long. */
static void quote(char out[QBUF], const char *text)
{
    size_t k = 0, i;
    out[k++] = '"';
    for (i = 0; text[i] && i < QUOTE_MAX; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\') {
            out[k++] = '\\';
            out[k++] = (char)c;
        } else if (c < 0x20 || c >= 0x7f) {
            snprintf(out + k, 5, "\\x%02X", c);
            k += 4;
        } else {
            out[k++] = (char)c;
        }
    }
    if (text[i]) {
        memcpy(out + k, "...", 3);
        k += 3;
    }
    out[k++] = '"';
    out[k] = '\0';
}

static const char *expected(unsigned flags)
{
    return (flags & BPA_DEC_FRACTION)
               ? "expected a decimal such as \"37.5\" or a fraction such as \"1/7\""
               : "expected a decimal such as \"37.5\"";
}

/* Malloc'd text of z / 10^decimals with exactly `decimals` decimals. */
static char *fmt_scaled(const mpz_t z, unsigned decimals)
{
    mpz_t a;
    mpz_init(a);
    mpz_abs(a, z);
    /* mpz_get_str into our own buffer keeps GMP's allocator out of it. */
    char *digits = bpa_malloc(mpz_sizeinbase(a, 10) + 2);
    if (!digits) {
        mpz_clear(a);
        return NULL;
    }
    mpz_get_str(digits, 10, a);
    mpz_clear(a);
    size_t len = strlen(digits);
    size_t width = len > decimals ? len : (size_t)decimals + 1; /* zero-padded */
    bool neg = mpz_sgn(z) < 0;
    char *s = bpa_malloc((neg ? 1 : 0) + width + (decimals ? 1 : 0) + 1);
    if (!s) {
        free(digits);
        return NULL;
    }
    size_t k = 0;
    if (neg)
        s[k++] = '-';
    size_t pad = width - len;
    for (size_t i = 0; i < width; i++) {
        if (decimals && i == width - decimals)
            s[k++] = '.';
        s[k++] = i < pad ? '0' : digits[i - pad];
    }
    s[k] = '\0';
    free(digits);
    return s;
}

/* q = x * scale rounded to an integer; exact for every rational x. */
static void round_scaled(mpz_t q, const mpq_t x, const mpz_t scale,
                         bpa_rounding mode)
{
    mpz_t n, t, r;
    mpz_inits(n, t, r, NULL);
    mpz_mul(n, mpq_numref(x), scale);
    mpz_tdiv_qr(t, r, n, mpq_denref(x)); /* t toward zero, r has n's sign */
    mpz_abs(r, r);
    mpz_mul_2exp(r, r, 1);
    int c = mpz_cmp(r, mpq_denref(x)); /* remainder against one half */
    bool up = c > 0 ||
              (c == 0 && (mode == BPA_ROUND_HALF_EVEN ? mpz_odd_p(t) : true));
    if (up) {
        if (mpz_sgn(n) < 0)
            mpz_sub_ui(t, t, 1);
        else
            mpz_add_ui(t, t, 1);
    }
    mpz_swap(q, t); /* q may alias a part of x */
    mpz_clears(n, t, r, NULL);
}

void bpa_round_ore(mpz_t ore, const mpq_t x, bpa_rounding mode)
{
    mpz_t hundred;
    mpz_init_set_ui(hundred, 100);
    round_scaled(ore, x, hundred, mode);
    mpz_clear(hundred);
}

void bpa_round(mpq_t out, const mpq_t x, bpa_rounding mode)
{
    mpz_t ore;
    mpz_init(ore);
    bpa_round_ore(ore, x, mode);
    mpq_set_z(out, ore);
    mpz_set_ui(mpq_denref(out), 100);
    mpq_canonicalize(out);
    mpz_clear(ore);
}

char *bpa_fmt_ore(const mpz_t ore) { return fmt_scaled(ore, 2); }

char *bpa_fmt_fixed(const mpq_t x, unsigned decimals)
{
    mpz_t scale, z;
    mpz_inits(scale, z, NULL);
    mpz_ui_pow_ui(scale, 10, decimals);
    round_scaled(z, x, scale, BPA_ROUND_HALF_AWAY_FROM_ZERO);
    /* z == 0 prints without '-', so -0.001 shows as "0.00". */
    char *s = fmt_scaled(z, decimals);
    mpz_clears(scale, z, NULL);
    return s;
}

char *bpa_fmt_amount(const mpq_t x) { return bpa_fmt_fixed(x, 2); }

char *bpa_fmt_exact(const mpq_t x)
{
    mpq_t c;
    mpq_init(c);
    mpq_set(c, x);
    mpq_canonicalize(c);
    /* Buffer size as the GMP manual gives it for mpq_get_str. */
    char *s = bpa_malloc(mpz_sizeinbase(mpq_numref(c), 10) +
                     mpz_sizeinbase(mpq_denref(c), 10) + 3);
    if (s)
        mpq_get_str(s, 10, c);
    mpq_clear(c);
    return s;
}

bool bpa_is_exact_at(const mpq_t x, unsigned decimals)
{
    mpz_t p;
    mpz_init(p);
    mpz_ui_pow_ui(p, 10, decimals);
    bool ok = mpz_divisible_p(p, mpq_denref(x)) != 0;
    mpz_clear(p);
    return ok;
}

/* ---- parsing ---------------------------------------------------------- */

static bpa_status parse_dec(mpq_t out, const char *text, unsigned flags,
                            char *msg, size_t msgsize);

/* Fills sugg with "; write \"cand\"" when cand parses under flags, so a
 * message never suggests something that would be rejected in turn. */
static bool suggest(char sugg[SBUF], const char *cand, unsigned flags)
{
    sugg[0] = '\0';
    if (!cand[0] || strlen(cand) > CAND_MAX)
        return false;
    mpq_t v;
    mpq_init(v);
    bool ok = parse_dec(v, cand, flags, NULL, 0) == BPA_OK;
    mpq_clear(v);
    if (ok)
        snprintf(sugg, SBUF, "; write \"%s\"", cand);
    return ok;
}

/* The shortest plain decimal of v into cand, if it has one of at most
 * MAX_DECIMALS decimals and fits. */
static bool plain_decimal(char cand[CAND_MAX + 1], const mpq_t v)
{
    for (unsigned d = 0; d <= MAX_DECIMALS; d++) {
        if (!bpa_is_exact_at(v, d))
            continue;
        char *s = bpa_fmt_fixed(v, d);
        bool ok = s && strlen(s) <= CAND_MAX;
        if (ok)
            strcpy(cand, s);
        free(s);
        return ok;
    }
    return false;
}

/* Whether text has the shape of a number with an exponent ("1e3",
 * "-1.5E+2", "e" alone does not count): only sign, digits, point and one
 * e/E with a digit before it. */
static bool looks_exponent(const char *text)
{
    size_t es = 0;
    bool digit_before = false;
    for (const char *p = text; *p; p++) {
        if (*p == 'e' || *p == 'E')
            es++;
        else if (is_digit(*p))
            digit_before = digit_before || es == 0;
        else if (*p != '.' && *p != '+' && *p != '-')
            return false;
    }
    return es == 1 && digit_before;
}

/* The value of a well-formed number with exponent as a plain decimal
 * ("1e3" -> "1000"); false when it is not well formed or too long. */
static bool exponent_value(char cand[CAND_MAX + 1], const char *text)
{
    const char *p = text;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    char mant[CAND_MAX + 1];
    size_t m = 0, decs = 0;
    bool point = false;
    for (; is_digit(*p) || (*p == '.' && !point); p++) {
        if (*p == '.') {
            point = true;
            continue;
        }
        if (m == CAND_MAX)
            return false;
        mant[m++] = *p;
        if (point)
            decs++;
    }
    mant[m] = '\0';
    if (m == 0 || (*p != 'e' && *p != 'E'))
        return false;
    p++;
    bool eneg = false;
    if (*p == '-' || *p == '+')
        eneg = *p++ == '-';
    long e = 0;
    size_t ed = 0;
    for (; is_digit(*p); p++, ed++) {
        if (e > 100)
            return false;
        e = e * 10 + (*p - '0');
    }
    if (ed == 0 || *p)
        return false;
    e = (eneg ? -e : e) - (long)decs;
    if (e > 40 || e < -40)
        return false;
    mpq_t v;
    mpq_init(v);
    mpz_set_str(mpq_numref(v), mant, 10); /* checked: digits only */
    if (e >= 0) {
        mpz_t p10;
        mpz_init(p10);
        mpz_ui_pow_ui(p10, 10, (unsigned long)e);
        mpz_mul(mpq_numref(v), mpq_numref(v), p10);
        mpz_clear(p10);
    } else {
        mpz_ui_pow_ui(mpq_denref(v), 10, (unsigned long)-e);
    }
    mpq_canonicalize(v);
    if (neg)
        mpq_neg(v, v);
    bool ok = plain_decimal(cand, v);
    mpq_clear(v);
    return ok;
}

static size_t count_char(const char *s, char c)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == c;
    return n;
}

/* Digits only, from s up to end. */
static bool all_digits(const char *s, const char *end)
{
    if (s == end)
        return false;
    for (; s < end; s++)
        if (!is_digit(*s))
            return false;
    return true;
}

/* "N/D": text holds only digits, '-' and exactly one '/'. */
static bpa_status parse_fraction(mpq_t out, const char *text, const char *q,
                                 unsigned flags, char *msg, size_t msgsize)
{
    const char *slash = strchr(text, '/');
    const char *n0 = text[0] == '-' ? text + 1 : text;
    bool neg = n0 != text;
    const char *d0 = slash + 1, *end = d0 + strlen(d0);
    if (!all_digits(n0, slash) || !all_digits(d0, end))
        return fail(msg, msgsize,
                    "%s is not a fraction: N/D needs two whole numbers (digits "
                    "only, a '-' only before N); expected a fraction such as "
                    "\"1/7\"",
                    q);
    if (slash - n0 > MAX_DIGITS || end - d0 > MAX_DIGITS)
        return fail(msg, msgsize,
                    "%s is not accepted: too many digits, at most %d digits "
                    "in each part of a fraction",
                    q, MAX_DIGITS);
    char nd[MAX_DIGITS + 1];
    memcpy(nd, n0, (size_t)(slash - n0));
    nd[slash - n0] = '\0';
    bool zero_den = true;
    for (const char *s = d0; s < end; s++)
        zero_den = zero_den && *s == '0';
    if (!(flags & BPA_DEC_FRACTION)) {
        char cand[CAND_MAX + 1], sugg[SBUF] = "";
        if (msg && msgsize && !zero_den) {
            mpq_t v;
            mpq_init(v);
            mpz_set_str(mpq_numref(v), nd, 10); /* checked above */
            mpz_set_str(mpq_denref(v), d0, 10);
            mpq_canonicalize(v);
            if (neg)
                mpq_neg(v, v);
            if (plain_decimal(cand, v))
                suggest(sugg, cand, flags);
            mpq_clear(v);
        }
        return fail(msg, msgsize,
                    "%s is not accepted: fractions are not allowed here%s",
                    q, sugg[0] ? sugg : "; write a decimal such as \"37.5\"");
    }
    if (zero_den)
        return fail(msg, msgsize,
                    "%s is not a fraction: the denominator must not be zero", q);
    if (neg && !(flags & BPA_DEC_NEGATIVE))
        return fail(msg, msgsize,
                    "%s is not accepted: negative values are not allowed here",
                    q);
    mpq_t v;
    mpq_init(v);
    mpz_set_str(mpq_numref(v), nd, 10); /* checked above */
    mpz_set_str(mpq_denref(v), d0, 10);
    mpq_canonicalize(v);
    if (neg)
        mpq_neg(v, v);
    mpq_set(out, v);
    mpq_clear(v);
    return BPA_OK;
}

/* The whole grammar; msg == NULL means "no message", which also keeps
 * suggest() from recursing. */
static bpa_status parse_dec(mpq_t out, const char *text, unsigned flags,
                            char *msg, size_t msgsize)
{
    char q[QBUF], sugg[SBUF] = "", cand[CAND_MAX + 1];
    bool talk = msg && msgsize; /* build suggestions only when reported */
    if (!text || !text[0])
        return fail(msg, msgsize, "\"\" is not a decimal: the value is empty; %s",
                    expected(flags));
    quote(q, text);
    size_t len = strlen(text);

    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] >= 0x80)
            return fail(msg, msgsize,
                        "%s is not a decimal: it contains a non-ASCII character "
                        "(byte %zu); %s",
                        q, i + 1, expected(flags));

    for (size_t i = 0; i < len; i++) {
        if (!is_space(text[i]))
            continue;
        if (talk && len <= CAND_MAX) {
            size_t k = 0;
            for (size_t j = 0; j < len; j++)
                if (!is_space(text[j]))
                    cand[k++] = text[j];
            cand[k] = '\0';
            suggest(sugg, cand, flags);
        }
        return fail(msg, msgsize,
                    "%s is not a decimal: spaces are not allowed (nor thousands "
                    "separators)%s",
                    q, sugg[0] ? sugg : "; write the number without spaces");
    }

    if (looks_exponent(text)) {
        if (talk && exponent_value(cand, text))
            suggest(sugg, cand, flags);
        return fail(msg, msgsize,
                    "%s is not a decimal: exponents are not allowed%s", q,
                    sugg[0] ? sugg : "; write the number as a plain decimal");
    }

    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (is_digit(c) || c == '.' || c == '-' || c == '/')
            continue;
        if (c == '+') {
            if (talk && i == 0)
                suggest(sugg, text + 1, flags);
            return fail(msg, msgsize,
                        "%s is not a decimal: a plus sign is not allowed%s", q,
                        sugg[0] ? sugg : "; write the number without '+'");
        }
        if (c == ',') {
            if (talk && len <= CAND_MAX && count_char(text, ',') == 1 &&
                !strchr(text, '.')) {
                strcpy(cand, text);
                *strchr(cand, ',') = '.';
                suggest(sugg, cand, flags);
            }
            return fail(msg, msgsize,
                        "%s is not a decimal: commas are not allowed (the "
                        "decimal separator is a point, and there are no "
                        "thousands separators)%s",
                        q, sugg);
        }
        if ((unsigned char)c < 0x20 || c == 0x7f)
            return fail(msg, msgsize,
                        "%s is not a decimal: it contains a control character "
                        "at position %zu; %s",
                        q, i + 1, expected(flags));
        return fail(msg, msgsize,
                    "%s is not a decimal: unexpected character '%c' at "
                    "position %zu; %s",
                    q, c, i + 1, expected(flags));
    }

    /* Now only digits, '.', '-' and '/' remain. */
    for (size_t i = 1; i < len; i++)
        if (text[i] == '-')
            return fail(msg, msgsize,
                        "%s is not a decimal: a minus sign may stand only at "
                        "the start; %s",
                        q, expected(flags));
    size_t slashes = count_char(text, '/');
    if (slashes > 1)
        return fail(msg, msgsize,
                    "%s is not a fraction: it has more than one '/'; expected a "
                    "fraction such as \"1/7\"",
                    q);
    if (slashes == 1)
        return parse_fraction(out, text, q, flags, msg, msgsize);
    if (count_char(text, '.') > 1)
        return fail(msg, msgsize,
                    "%s is not a decimal: it has more than one decimal point", q);

    bool neg = text[0] == '-';
    const char *p = neg ? text + 1 : text;
    const char *point = strchr(p, '.');
    size_t int_len = point ? (size_t)(point - p) : strlen(p);
    size_t frac_len = point ? strlen(point + 1) : 0;
    if (int_len == 0 && point) {
        if (talk && len < CAND_MAX) {
            snprintf(cand, sizeof cand, "%s0%s", neg ? "-" : "", p);
            suggest(sugg, cand, flags);
        }
        return fail(msg, msgsize,
                    "%s is not a decimal: a digit is needed before the decimal "
                    "point%s",
                    q, sugg);
    }
    if (int_len == 0)
        return fail(msg, msgsize, "%s is not a decimal: it has no digits; %s", q,
                    expected(flags));
    if (point && frac_len == 0) {
        if (talk && len <= CAND_MAX) {
            memcpy(cand, text, len - 1);
            cand[len - 1] = '\0';
            suggest(sugg, cand, flags);
        }
        return fail(msg, msgsize,
                    "%s is not a decimal: a digit is needed after the decimal "
                    "point%s",
                    q, sugg);
    }
    if (int_len > MAX_DIGITS)
        return fail(msg, msgsize,
                    "%s is not accepted: too many digits, at most %d digits "
                    "before the decimal point",
                    q, MAX_DIGITS);
    /* Checked first: under CENTS the limit that matters is 2, not 6. */
    if ((flags & BPA_DEC_CENTS) && frac_len > MAX_CENT_DECIMALS)
        return fail(msg, msgsize,
                    "%s is not accepted: too many decimals, an amount of this "
                    "kind has at most %d decimals",
                    q, MAX_CENT_DECIMALS);
    if (frac_len > MAX_DECIMALS)
        return fail(msg, msgsize,
                    "%s is not accepted: too many decimals, at most %d decimals",
                    q, MAX_DECIMALS);
    if (neg && !(flags & BPA_DEC_NEGATIVE))
        return fail(msg, msgsize,
                    "%s is not accepted: negative values are not allowed here",
                    q);

    char digits[MAX_DIGITS + MAX_DECIMALS + 1];
    memcpy(digits, p, int_len);
    if (point)
        memcpy(digits + int_len, point + 1, frac_len);
    digits[int_len + frac_len] = '\0';
    mpq_t v;
    mpq_init(v);
    mpz_set_str(mpq_numref(v), digits, 10); /* checked: 1..21 digits */
    mpz_ui_pow_ui(mpq_denref(v), 10, frac_len);
    mpq_canonicalize(v);
    if (neg)
        mpq_neg(v, v); /* "-0" stays 0 */
    mpq_set(out, v);
    mpq_clear(v);
    return BPA_OK;
}

bpa_status bpa_dec_parse(mpq_t out, const char *text, unsigned flags, char *msg,
                         size_t msgsize)
{
    if (msg && msgsize)
        msg[0] = '\0';
    return parse_dec(out, text, flags, msg, msgsize);
}

bpa_status bpa_dec_parse_json_number(mpq_t out, const char *raw, unsigned flags,
                                     char *msg, size_t msgsize)
{
    char q[QBUF], cand[CAND_MAX + 1];
    if (msg && msgsize)
        msg[0] = '\0';
    if (!raw || !raw[0])
        return fail(msg, msgsize,
                    "empty JSON number: expected a whole number such as 37");
    quote(q, raw);
    /* The number as it stands in the file, without the quotes. */
    int qn = (int)strlen(q) - 2;
    const char *qs = q + 1;
    bool neg = raw[0] == '-';
    const char *p = neg ? raw + 1 : raw;
    size_t len = strlen(p), digits = 0;
    while (is_digit(p[digits]))
        digits++;
    if (digits == len) {
        if (digits == 0)
            return fail(msg, msgsize,
                        "JSON number %.*s has no digits: expected a whole number "
                        "such as 37",
                        qn, qs);
        if (digits > MAX_DIGITS)
            return fail(msg, msgsize,
                        "JSON number %.*s is not accepted: too many digits, at "
                        "most %d digits",
                        qn, qs, MAX_DIGITS);
        if (neg && !(flags & BPA_DEC_NEGATIVE))
            return fail(msg, msgsize,
                        "JSON number %.*s is not accepted: negative values are "
                        "not allowed here",
                        qn, qs);
        mpq_t v;
        mpq_init(v);
        mpz_set_str(mpq_numref(v), p, 10); /* checked: digits only */
        if (neg)
            mpq_neg(v, v); /* -0 stays 0 */
        mpq_set(out, v);
        mpq_clear(v);
        return BPA_OK;
    }
    if (looks_exponent(raw)) {
        bool have = exponent_value(cand, raw);
        return fail(msg, msgsize,
                    "JSON number %.*s is not accepted: exponents are not "
                    "allowed; write the decimal as a string without "
                    "exponent%s%s%s",
                    qn, qs, have ? ": \"" : "", have ? cand : "", have ? "\"" : "");
    }
    bool fractional = true;
    for (const char *s = p; *s; s++)
        fractional = fractional && (is_digit(*s) || *s == '.');
    if (fractional && count_char(p, '.') == 1)
        return fail(msg, msgsize,
                    "JSON number %.*s is not accepted: a whole number is "
                    "expected; write it as a string: %s",
                    qn, qs, q);
    return fail(msg, msgsize,
                "JSON number %.*s is not a whole number: expected digits "
                "only, such as 37",
                qn, qs);
}
