/*
 * strutil.h (internal) - growable strings (after git's strbuf) and a pool of
 * scratch strings for building messages and trace text.
 *
 * Allocation failure is sticky: the buffer or pool remembers it, further
 * appends do nothing, and detach returns NULL; callers check once at the end.
 */
#ifndef BPA_STRUTIL_H
#define BPA_STRUTIL_H

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct bpa_strbuf {
    char *buf;
    size_t len, cap;
    bool failed;
} bpa_strbuf;

void bpa_strbuf_init(bpa_strbuf *sb);
void bpa_strbuf_add(bpa_strbuf *sb, const char *s);
void bpa_strbuf_addn(bpa_strbuf *sb, const char *s, size_t n);
void bpa_strbuf_addf(bpa_strbuf *sb, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A number for people: "150.00", "0.75", "12.333333 (37/3)". */
void bpa_strbuf_addq(bpa_strbuf *sb, const mpq_t q);
/* The text (malloc'd; caller frees), or NULL after a failure. */
char *bpa_strbuf_detach(bpa_strbuf *sb);
void bpa_strbuf_release(bpa_strbuf *sb);

typedef struct bpa_strpool {
    char **items;
    size_t n, cap;
    bool failed;
} bpa_strpool;

/* Each returns a string owned by the pool ("" after a failure). */
const char *bpa_strpool_add(bpa_strpool *pool, const char *s);
const char *bpa_strpool_fmt(bpa_strpool *pool, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
const char *bpa_strpool_q(bpa_strpool *pool, const mpq_t q);
bool bpa_strpool_failed(const bpa_strpool *pool);
void bpa_strpool_release(bpa_strpool *pool);

#endif
