/* malloc_probe.h - count every failed allocation of the process (the bpa
 * CLI only; see malloc_probe.c), internal. */
#ifndef BPA_MALLOC_PROBE_H
#define BPA_MALLOC_PROBE_H

#include <stdbool.h>

/* Make bpa_alloc_failures() include the process's failed malloc, calloc
 * and realloc calls. False where the program keeps glibc's malloc as is
 * (sanitizer builds, other C libraries). */
bool bpa_malloc_probe_install(void);

#endif
