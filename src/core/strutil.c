/* Growable strings and scratch pools (see strutil.h). */
#include "core/alloc.h"
#include "core/strutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/num.h"

void bpa_strbuf_init(bpa_strbuf *sb) { memset(sb, 0, sizeof *sb); }

static bool reserve(bpa_strbuf *sb, size_t extra)
{
    if (sb->failed)
        return false;
    if (sb->len + extra + 1 <= sb->cap)
        return true;
    size_t nc = sb->cap ? sb->cap : 64;
    while (nc < sb->len + extra + 1)
        nc *= 2;
    char *nb = bpa_realloc(sb->buf, nc);
    if (!nb) {
        sb->failed = true;
        return false;
    }
    sb->buf = nb;
    sb->cap = nc;
    return true;
}

void bpa_strbuf_addn(bpa_strbuf *sb, const char *s, size_t n)
{
    if (!reserve(sb, n))
        return;
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void bpa_strbuf_add(bpa_strbuf *sb, const char *s) { bpa_strbuf_addn(sb, s, strlen(s)); }

void bpa_strbuf_addf(bpa_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(sb, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void bpa_strbuf_addq(bpa_strbuf *sb, const mpq_t q)
{
    char *s;
    if (bpa_is_exact_at(q, 2)) {
        s = bpa_fmt_fixed(q, 2);
    } else if (bpa_is_exact_at(q, 6)) {
        s = bpa_fmt_fixed(q, 6);
        if (s) { /* trim trailing zeros beyond two decimals */
            size_t len = strlen(s);
            while (len > 0 && s[len - 1] == '0' && strchr(s, '.') &&
                   (size_t)(strchr(s, '.') - s) + 3 < len)
                s[--len] = '\0';
        }
    } else {
        char *fixed = bpa_fmt_fixed(q, 6), *exact = bpa_fmt_exact(q);
        if (fixed && exact) {
            bpa_strbuf_addf(sb, "%s (%s)", fixed, exact);
        } else {
            sb->failed = true;
        }
        free(fixed);
        free(exact);
        return;
    }
    if (!s) {
        sb->failed = true;
        return;
    }
    bpa_strbuf_add(sb, s);
    free(s);
}

char *bpa_strbuf_detach(bpa_strbuf *sb)
{
    if (sb->failed) {
        bpa_strbuf_release(sb);
        return NULL;
    }
    if (!sb->buf && !reserve(sb, 0))
        return NULL;
    if (sb->len == 0)
        sb->buf[0] = '\0';
    char *out = sb->buf;
    memset(sb, 0, sizeof *sb);
    return out;
}

void bpa_strbuf_release(bpa_strbuf *sb)
{
    free(sb->buf);
    memset(sb, 0, sizeof *sb);
}

static const char *pool_take(bpa_strpool *pool, char *s)
{
    if (!s) {
        pool->failed = true;
        return "";
    }
    if (pool->n == pool->cap) {
        size_t nc = pool->cap ? pool->cap * 2 : 64;
        char **ni = bpa_realloc(pool->items, nc * sizeof *ni);
        if (!ni) {
            free(s);
            pool->failed = true;
            return "";
        }
        pool->items = ni;
        pool->cap = nc;
    }
    pool->items[pool->n++] = s;
    return s;
}

const char *bpa_strpool_add(bpa_strpool *pool, const char *s) { return pool_take(pool, bpa_strdup(s)); }

const char *bpa_strpool_fmt(bpa_strpool *pool, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? bpa_malloc((size_t)n + 1) : NULL;
    if (s) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return pool_take(pool, s);
}

const char *bpa_strpool_q(bpa_strpool *pool, const mpq_t q)
{
    bpa_strbuf sb;
    bpa_strbuf_init(&sb);
    bpa_strbuf_addq(&sb, q);
    return pool_take(pool, bpa_strbuf_detach(&sb));
}

bool bpa_strpool_failed(const bpa_strpool *pool) { return pool->failed; }

void bpa_strpool_release(bpa_strpool *pool)
{
    for (size_t i = 0; i < pool->n; i++)
        free(pool->items[i]);
    free(pool->items);
    memset(pool, 0, sizeof *pool);
}
