/* Allocation layer, the optional GMP and cJSON hooks and fault injection
 * (see alloc.h and bpa/memory.h). */
#include "core/alloc.h"
#include "bpa/memory.h"

#include <cJSON.h>
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#ifdef BPA_FAULT_INJECTION
/* Process-wide test state (alloc.h). */
static unsigned long counter;
static unsigned long fail_at;
static bool fail_gmp;
static bool configured; /* by bpa_alloc_fail_at or the environment */

static void configure_from_env(void)
{
    configured = true;
    const char *at = getenv("BPA_FAIL_ALLOC_AT");
    if (!at)
        return;
    const char *gmp = getenv("BPA_FAIL_GMP");
    fail_at = strtoul(at, NULL, 10);
    fail_gmp = gmp && strcmp(gmp, "1") == 0;
    counter = 0;
}

static bool injected(bool is_gmp)
{
    if (!configured)
        configure_from_env();
    if (!fail_at || (is_gmp && !fail_gmp))
        return false;
    return ++counter == fail_at;
}

void bpa_alloc_fail_at(unsigned long n, bool gmp_too)
{
    configured = true;
    counter = 0;
    fail_at = n;
    fail_gmp = gmp_too;
}

unsigned long bpa_alloc_count(void) { return counter; }

bool bpa_alloc_fault_injection(void) { return true; }
#else
static bool injected(bool is_gmp)
{
    (void)is_gmp;
    return false;
}

void bpa_alloc_fail_at(unsigned long n, bool gmp_too)
{
    (void)n;
    (void)gmp_too;
}

unsigned long bpa_alloc_count(void) { return 0; }

bool bpa_alloc_fault_injection(void) { return false; }
#endif

void *bpa_malloc(size_t n) { return injected(false) ? NULL : malloc(n ? n : 1); }

void *bpa_calloc(size_t c, size_t s)
{
    return injected(false) ? NULL : calloc(c ? c : 1, s ? s : 1);
}

void *bpa_realloc(void *p, size_t n) { return injected(false) ? NULL : realloc(p, n ? n : 1); }

char *bpa_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = bpa_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* ---- the hooks (bpa/memory.h): process-wide, set once before threads ---- */

static void (*on_oom)(void);

/* GMP's manual: the allocation functions "must terminate program
 * execution" when they fail; the handler decides how. */
static void gmp_oom(void)
{
    if (on_oom)
        on_oom();
    abort();
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

void bpa_memory_hooks_install(void (*on_out_of_memory)(void))
{
    on_oom = on_out_of_memory;
    cJSON_Hooks hooks = {cjson_malloc, free};
    cJSON_InitHooks(&hooks);
    mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
}
