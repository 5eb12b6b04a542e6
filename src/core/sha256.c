/* SHA-256 per FIPS 180-4 (see sha256.h). */
#include "core/sha256.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define BPA_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

/* FIPS 180-4 4.2.2: first 32 bits of the fractional parts of the cube roots
 * of the first 64 primes. */
static const uint32_t K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu,
    0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u, 0xd807aa98u, 0x12835b01u,
    0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u,
    0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu,
    0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u,
    0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u,
    0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
    0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u,
    0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u, 0x1e376c08u,
    0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu,
    0x682e6ff3u, 0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
    0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

static uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32u - n));
}

/* Big-endian load/store by bytes, so host byte order never matters. */
static uint32_t load_be32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static void store_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* FIPS 180-4 6.2.2: one 512-bit block. */
static void compress(uint32_t h[8], const unsigned char block[64])
{
    uint32_t w[64];
    for (unsigned t = 0; t < 16; t++)
        w[t] = load_be32(block + 4 * t);
    for (unsigned t = 16; t < 64; t++) {
        uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }

    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    uint32_t e = h[4], f = h[5], g = h[6], hh = h[7];
    for (unsigned t = 0; t < 64; t++) {
        uint32_t S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = hh + S1 + ch + K[t] + w[t];
        uint32_t S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = S0 + maj;
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
}

#ifdef BPA_SHA_NI
/* The same compression with the x86 SHA extensions (Intel's SHA-NI, also on
 * AMD since Zen), several blocks per call: about five times the portable
 * code's speed, which matters because every timesheet byte is hashed. The
 * state is kept as ABEF and CDGH, as sha256rnds2 wants it. */
#define NI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* W[t..t+3] from the four previous groups (FIPS 180-4 6.2.2 step 1). */
#define NI_SCHEDULE(a, b, c, d) \
    _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(a, b), _mm_alignr_epi8(d, c, 4)), d)

/* Four rounds with message group m and constants K[4g..4g+3]. */
#define NI_ROUNDS(m, g)                                                          \
    do {                                                                         \
        __m128i k_ = _mm_add_epi32(m, _mm_loadu_si128((const __m128i *)&K[4 * (g)])); \
        s1 = _mm_sha256rnds2_epu32(s1, s0, k_);                                  \
        s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(k_, 0x0E));         \
    } while (0)

NI_TARGET static void compress_ni(uint32_t h[8], const unsigned char *p, size_t blocks)
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1); /* CDAB */
    __m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B); /* EFGH */
    __m128i s0 = _mm_alignr_epi8(t, s1, 8);    /* ABEF */
    s1 = _mm_blend_epi16(s1, t, 0xF0);         /* CDGH */
    for (; blocks; blocks--, p += 64) {
        __m128i abef = s0, cdgh = s1;
        __m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 0)), bswap);
        __m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), bswap);
        __m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), bswap);
        __m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), bswap);
        NI_ROUNDS(m0, 0);
        NI_ROUNDS(m1, 1);
        NI_ROUNDS(m2, 2);
        NI_ROUNDS(m3, 3);
        for (int g = 4; g < 16; g += 4) {
            m0 = NI_SCHEDULE(m0, m1, m2, m3);
            NI_ROUNDS(m0, g);
            m1 = NI_SCHEDULE(m1, m2, m3, m0);
            NI_ROUNDS(m1, g + 1);
            m2 = NI_SCHEDULE(m2, m3, m0, m1);
            NI_ROUNDS(m2, g + 2);
            m3 = NI_SCHEDULE(m3, m0, m1, m2);
            NI_ROUNDS(m3, g + 3);
        }
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
    }
    t = _mm_shuffle_epi32(s0, 0x1B);           /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);          /* DCHG */
    s0 = _mm_blend_epi16(t, s1, 0xF0);         /* DCBA */
    s1 = _mm_alignr_epi8(s1, t, 8);            /* HGFE */
    _mm_storeu_si128((__m128i *)&h[0], s0);
    _mm_storeu_si128((__m128i *)&h[4], s1);
}

/* CPUID: SSSE3 and SSE4.1 (leaf 1 ECX bits 9, 19) and SHA (leaf 7 EBX bit 29). */
static bool cpu_has_sha_ni(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 9)) || !(c & (1u << 19)))
        return false;
    if (__get_cpuid_max(0, NULL) < 7)
        return false;
    __cpuid_count(7, 0, a, b, c, d);
    return (b & (1u << 29)) != 0;
}
#endif

/* -1: not yet probed; atomic so that threads hashing at once may race on
 * the probe harmlessly. */
static atomic_int use_ni = -1;

static bool accelerated(void)
{
    int v = atomic_load_explicit(&use_ni, memory_order_relaxed);
    if (v < 0) {
#ifdef BPA_SHA_NI
        v = cpu_has_sha_ni();
#else
        v = 0;
#endif
        atomic_store_explicit(&use_ni, v, memory_order_relaxed);
    }
    return v != 0;
}

bool bpa_sha256_set_accelerated(bool on)
{
#ifdef BPA_SHA_NI
    bool can = cpu_has_sha_ni();
#else
    bool can = false;
#endif
    atomic_store_explicit(&use_ni, on && can, memory_order_relaxed);
    return on && can;
}

/* Whole blocks, by the fastest code the processor runs. */
static void compress_blocks(uint32_t h[8], const unsigned char *p, size_t blocks)
{
#ifdef BPA_SHA_NI
    if (accelerated()) {
        compress_ni(h, p, blocks);
        return;
    }
#endif
    for (; blocks; blocks--, p += 64)
        compress(h, p);
}

void bpa_sha256_init(bpa_sha256 *ctx)
{
    /* FIPS 180-4 5.3.3: initial hash value. */
    static const uint32_t H0[8] = {
        0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
        0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
    };
    memcpy(ctx->h, H0, sizeof H0);
    ctx->total = 0;
    ctx->used = 0;
}

void bpa_sha256_update(bpa_sha256 *ctx, const void *data, size_t len)
{
    const unsigned char *p = data;
    if (len == 0)
        return;
    ctx->total += (uint64_t)len;

    /* Top up a partial block first. */
    if (ctx->used) {
        size_t take = sizeof ctx->buf - ctx->used;
        if (take > len)
            take = len;
        memcpy(ctx->buf + ctx->used, p, take);
        ctx->used += take;
        p += take;
        len -= take;
        if (ctx->used < sizeof ctx->buf)
            return;
        compress_blocks(ctx->h, ctx->buf, 1);
        ctx->used = 0;
    }
    /* Whole blocks straight from the caller's buffer, no copy. */
    if (len >= 64) {
        compress_blocks(ctx->h, p, len / 64);
        p += len / 64 * 64;
        len %= 64;
    }
    if (len) {
        memcpy(ctx->buf, p, len);
        ctx->used = len;
    }
}

void bpa_sha256_final(bpa_sha256 *ctx, unsigned char digest[32])
{
    /* FIPS 180-4 5.1.1: a 1 bit, zeros, then the length in bits as a
     * 64-bit big-endian integer, ending on a block boundary. */
    uint64_t bits = ctx->total * 8u;
    ctx->buf[ctx->used++] = 0x80;
    if (ctx->used > 56) {
        memset(ctx->buf + ctx->used, 0, sizeof ctx->buf - ctx->used);
        compress(ctx->h, ctx->buf);
        ctx->used = 0;
    }
    memset(ctx->buf + ctx->used, 0, 56 - ctx->used);
    store_be32(ctx->buf + 56, (uint32_t)(bits >> 32));
    store_be32(ctx->buf + 60, (uint32_t)bits);
    compress(ctx->h, ctx->buf);

    for (unsigned i = 0; i < 8; i++)
        store_be32(digest + 4 * i, ctx->h[i]);
    /* Don't leave message-derived state behind. */
    memset(ctx, 0, sizeof *ctx);
}

static void to_hex(const unsigned char digest[32], char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 0x0f];
    }
    hex[64] = '\0';
}

void bpa_sha256_final_hex(bpa_sha256 *ctx, char hex[65])
{
    unsigned char digest[32];
    bpa_sha256_final(ctx, digest);
    to_hex(digest, hex);
}

void bpa_sha256_hex(const void *data, size_t len, char hex[65])
{
    bpa_sha256 ctx;
    unsigned char digest[32];
    bpa_sha256_init(&ctx);
    bpa_sha256_update(&ctx, data, len);
    bpa_sha256_final(&ctx, digest);
    to_hex(digest, hex);
}

bpa_status bpa_sha256_file(const char *path, char hex[65], bpa_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return bpa_error_set(err, BPA_E_IO, NULL, 0, 0, NULL,
                             "cannot open %s: %s", path, strerror(errno));

    bpa_sha256 ctx;
    unsigned char chunk[16384];
    size_t n;
    bpa_sha256_init(&ctx);
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        bpa_sha256_update(&ctx, chunk, n);
    if (ferror(fp)) {
        int e = errno;
        fclose(fp);
        return bpa_error_set(err, BPA_E_IO, NULL, 0, 0, NULL,
                             "cannot read %s: %s", path, strerror(e));
    }
    fclose(fp);

    unsigned char digest[32];
    bpa_sha256_final(&ctx, digest);
    to_hex(digest, hex);
    return BPA_OK;
}
