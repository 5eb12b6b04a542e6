/* Allocation layer with optional fault injection (see alloc.h). */
#include "core/alloc.h"

#include <cJSON.h>
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long counter;
static unsigned long fail_at;
static bool fail_gmp;
static void (*oom_exit)(void);
static unsigned long failures;

#ifdef BPA_FAULT_INJECTION
static bool injected(bool is_gmp)
{
    if (!fail_at)
        return false;
    counter++;
    if (counter != fail_at)
        return false;
    return !is_gmp || fail_gmp;
}
#else
static bool injected(bool is_gmp)
{
    (void)is_gmp;
    return false;
}
#endif

static void *counted(void *p)
{
    if (!p)
        failures++;
    return p;
}

void *bpa_malloc(size_t n) { return counted(injected(false) ? NULL : malloc(n ? n : 1)); }
void *bpa_calloc(size_t c, size_t s)
{
    return counted(injected(false) ? NULL : calloc(c ? c : 1, s ? s : 1));
}
void *bpa_realloc(void *p, size_t n) { return counted(injected(false) ? NULL : realloc(p, n ? n : 1)); }

static unsigned long (*failure_probe)(void);

void bpa_alloc_set_failure_probe(unsigned long (*probe)(void)) { failure_probe = probe; }

unsigned long bpa_alloc_failures(void)
{
    return failures + (failure_probe ? failure_probe() : 0);
}

char *bpa_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = bpa_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static void gmp_oom(void)
{
    if (oom_exit)
        oom_exit();
    fputs("bpa: out of memory\n", stderr);
    exit(3);
}

static void *gmp_alloc(size_t n)
{
    void *p = injected(true) ? NULL : malloc(n);
    if (!p)
        gmp_oom();
    return p;
}

static void *gmp_realloc(void *p, size_t old, size_t n)
{
    (void)old;
    void *q = injected(true) ? NULL : realloc(p, n);
    if (!q)
        gmp_oom();
    return q;
}

static void gmp_free(void *p, size_t n)
{
    (void)n;
    free(p);
}

static void *cjson_malloc(size_t n) { return bpa_malloc(n); }

void bpa_alloc_init(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    cJSON_Hooks hooks = {cjson_malloc, free};
    cJSON_InitHooks(&hooks);
    mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
}

void bpa_alloc_set_oom_exit(void (*fn)(void)) { oom_exit = fn; }

void bpa_alloc_fail_at(unsigned long n, bool gmp_too)
{
    counter = 0;
    fail_at = n;
    fail_gmp = gmp_too;
}

unsigned long bpa_alloc_count(void) { return counter; }

bool bpa_alloc_fault_injection(void)
{
#ifdef BPA_FAULT_INJECTION
    return true;
#else
    return false;
#endif
}
