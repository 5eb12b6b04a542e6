/* Shared by the libFuzzer targets: fixtures loaded once, quiet errors. */
#ifndef BPA_FUZZ_COMMON_H
#define BPA_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/policy.h"
#include "bpa/status.h"
#include "bpa/types.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The shipped Albertslund policy: every target that needs a policy uses it. */
static inline bpa_policy *fuzz_policy(void)
{
    static bpa_policy *policy;
    if (!policy) {
        bpa_error err;
        if (bpa_policy_load(&policy, BPA_SOURCE_DIR "/fixtures/policies/albertslund.json", &err) !=
            BPA_OK)
            abort(); /* the fixture itself is broken: not a finding */
    }
    return policy;
}

/* ---- Swedish targets ---------------------------------------------------- */

/* A shipped policy, loaded once into *slot. */
static inline bpa_policy *fuzz_policy_file(bpa_policy **slot, const char *path)
{
    if (!*slot) {
        bpa_error err;
        if (bpa_policy_load(slot, path, &err) != BPA_OK)
            abort(); /* the fixture itself is broken: not a finding */
    }
    return *slot;
}

/* The shipped Swedish policy for a Swedish scheme: Kumla for se-lss-9-2, the
 * Försäkringskassan policy for se-sfb-51 (and anything else). */
static inline bpa_policy *fuzz_se_policy(bpa_scheme scheme)
{
    static bpa_policy *fk, *kumla;
    if (scheme == BPA_SCHEME_SE_LSS_9_2)
        return fuzz_policy_file(&kumla, BPA_SOURCE_DIR "/fixtures/policies/kumla.json");
    return fuzz_policy_file(&fk, BPA_SOURCE_DIR "/fixtures/policies/fk.json");
}

/* Time reports named by a fuzzed usage file. A target reads them only when
 * every one is a shipped fixture (fixtures/timesheets/, a fixed list), so a
 * run never depends on what else lies on the machine. The fuzzed usage is
 * loaded under FUZZ_USAGE_NAME, beside the fixture usages, so that
 * "../timesheets/<file>" (as the fixtures write it) resolves there; any other
 * spelling of a path is not read and the input stops at the loader. */
#define FUZZ_USAGE_NAME BPA_SOURCE_DIR "/fixtures/usage/fuzz.json"

static inline bool fuzz_timesheets_fixed(char *const *paths, size_t n)
{
    static const char prefix[] = BPA_SOURCE_DIR "/fixtures/usage/../timesheets/";
    static const char *const files[] = {"se-jag-2025-jul.csv",    "se-ore-2025-hosten.csv",
                                        "se-ore-2026-var.xlsx",   "alb-2025-full-year.csv",
                                        "alb-2025-trips.csv",     "alb-2025-transferred-association.csv",
                                        NULL};
    for (size_t i = 0; i < n; i++) {
        if (!paths[i] || strncmp(paths[i], prefix, sizeof prefix - 1) != 0)
            return false;
        const char *name = paths[i] + sizeof prefix - 1;
        size_t k = 0;
        while (files[k] && strcmp(files[k], name) != 0)
            k++;
        if (!files[k])
            return false;
    }
    return true;
}

#endif
