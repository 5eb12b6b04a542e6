/*
 * alloc.h (internal) - every allocation of libbpa goes through here, and
 * GMP's and cJSON's too once bpa_memory_hooks_install (bpa/memory.h) has
 * routed them here. libbpa keeps no allocation state of its own: a NULL
 * from these functions ends in BPA_E_NOMEM where it happened.
 *
 * Fault injection (test builds only, -DBPA_FAULT_INJECTION): the n-th
 * allocation from bpa_alloc_fail_at(n, ...) returns NULL. Its counters are
 * process-wide test state, not thread-safe; a normal build has none.
 * Without a call, the first allocation reads BPA_FAIL_ALLOC_AT=n (and
 * BPA_FAIL_GMP=1: GMP's allocations too) from the environment, once, so
 * that the CLI can be tested without knowing of it.
 */
#ifndef BPA_ALLOC_H
#define BPA_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

void *bpa_malloc(size_t n);
void *bpa_calloc(size_t count, size_t size);
void *bpa_realloc(void *p, size_t n);
char *bpa_strdup(const char *s);

/* Fault injection (no effect unless built with BPA_FAULT_INJECTION): fail
 * the n-th counted allocation from now on (0: never) and reset the count.
 * With gmp_too false, GMP's allocations are neither counted nor failed, so
 * every n reaches an allocation of libbpa or cJSON, which can fail cleanly;
 * with gmp_too true they count and fail too (GMP then stops the process
 * through the out-of-memory handler). */
void bpa_alloc_fail_at(unsigned long n, bool gmp_too);
/* Allocations counted since bpa_alloc_fail_at (while n > 0). */
unsigned long bpa_alloc_count(void);
bool bpa_alloc_fault_injection(void);

#endif
