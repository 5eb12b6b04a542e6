/*
 * bpa/memory.h - optional memory hooks for GMP and cJSON.
 *
 * By default libbpa sets no hooks: GMP and cJSON use their own allocators.
 * libbpa's own allocations and cJSON's report a failure as BPA_E_NOMEM, but
 * GMP cannot return one: its default prints a message and aborts the
 * process. A program that wants to stop differently (the bpa CLI prints
 * "out of memory" and exits 3) installs the hooks.
 *
 * Thread safety: process-wide. Call it once, before any other bpa call and
 * before threads start; it changes GMP's and cJSON's allocators for the
 * whole process, including code outside libbpa that uses them. Fault
 * injection in test builds (BPA_FAIL_ALLOC_AT, src/core/alloc.h) is
 * process-wide too. Because GMP cannot recover, a batch that must survive
 * one case running out of memory runs its cases in separate processes.
 */
#ifndef BPA_MEMORY_H
#define BPA_MEMORY_H

#include "bpa/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Route GMP's and cJSON's allocations through libbpa's allocator (the C
 * library's malloc, realloc and free; in fault-injection test builds the
 * point where failures are injected). When GMP cannot get memory,
 * on_out_of_memory is called; it must not return: it ends the process
 * (exit, _exit). If it is NULL or returns, abort() is called. */
BPA_API void bpa_memory_hooks_install(void (*on_out_of_memory)(void));

#ifdef __cplusplus
}
#endif
#endif
