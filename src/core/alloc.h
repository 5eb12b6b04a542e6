/*
 * alloc.h (internal) - every allocation of libbpa, cJSON and GMP goes
 * through here, so a test build can make the n-th one fail.
 *
 * Built with -DBPA_FAULT_INJECTION, bpa_alloc_fail_at(n) makes the n-th
 * allocation (counting from the call) return NULL; our code and cJSON then
 * end in BPA_E_NOMEM. GMP cannot recover from a failed allocation (its
 * manual: the functions "must terminate program execution"), so a GMP
 * failure calls the handler set with bpa_alloc_set_oom_exit (the CLI prints
 * "out of memory", removes temporary outputs and exits 3).
 */
#ifndef BPA_ALLOC_H
#define BPA_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

void *bpa_malloc(size_t n);
void *bpa_calloc(size_t count, size_t size);
void *bpa_realloc(void *p, size_t n);
char *bpa_strdup(const char *s);

/* How many allocations have failed so far (injected or real): lets a caller
 * of a library that reports failure without a reason (cJSON) tell out of
 * memory from bad input, and lets the workbook writer see a failure that
 * libxlsxwriter swallowed. Ours, plus the probe's count when one is set. */
unsigned long bpa_alloc_failures(void);
/* A count of failed allocations outside libbpa (e.g. every malloc of the
 * process: see malloc_probe.c), added to bpa_alloc_failures(). */
void bpa_alloc_set_failure_probe(unsigned long (*probe)(void));

/* Route cJSON's and GMP's allocations through the functions above. Called
 * once by bpa_alloc_init (idempotent). */
void bpa_alloc_init(void);
/* Called when GMP cannot get memory; must not return. */
void bpa_alloc_set_oom_exit(void (*fn)(void));

/* Fault injection (no effect unless built with BPA_FAULT_INJECTION):
 * fail the n-th allocation from now on (0: never); with gmp_too false,
 * GMP's allocations are counted but never failed. */
void bpa_alloc_fail_at(unsigned long n, bool gmp_too);
unsigned long bpa_alloc_count(void);
bool bpa_alloc_fault_injection(void);

#endif
