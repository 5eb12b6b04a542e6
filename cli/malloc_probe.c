/*
 * malloc_probe.c - the bpa CLI only (not libbpa): malloc, calloc and
 * realloc replaced by pass-throughs to glibc's own that count failures.
 *
 * Why: libxlsxwriter has no allocator hooks and sometimes swallows a failed
 * allocation, then writes a damaged workbook (a sheet name "(null)" in a
 * print area, a missing part) and reports success. With this count the
 * workbook writer sees every failed allocation of the process and fails the
 * write instead (docs/decisions.md, Robustness). glibc supports replacing
 * malloc in a program; free stays glibc's, since the memory is glibc's.
 *
 * Left out of sanitizer builds (they bring their own allocator) and away
 * from glibc.
 */
#include "malloc_probe.h"

#include <stdlib.h> /* also defines __GLIBC__ */

#include "core/alloc.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define BPA_OWN_ALLOCATOR 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define BPA_OWN_ALLOCATOR 1
#endif

#if defined(__GLIBC__) && !defined(BPA_OWN_ALLOCATOR)

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *p, size_t n);

static unsigned long failed;

static void *counted(void *p)
{
    if (!p)
        failed++;
    return p;
}

void *malloc(size_t n)
{
    return counted(__libc_malloc(n));
}

void *calloc(size_t count, size_t size)
{
    return counted(__libc_calloc(count, size));
}

/* realloc(p, 0) frees p and may return NULL: not a failure */
void *realloc(void *p, size_t n)
{
    void *q = __libc_realloc(p, n);
    return n ? counted(q) : q;
}

static unsigned long failures(void) { return failed; }

bool bpa_malloc_probe_install(void)
{
    bpa_alloc_set_failure_probe(failures);
    return true;
}
#else
bool bpa_malloc_probe_install(void)
{
    return false;
}
#endif
