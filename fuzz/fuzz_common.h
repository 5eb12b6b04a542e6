/* Shared by the libFuzzer targets: fixtures loaded once, quiet errors. */
#ifndef BPA_FUZZ_COMMON_H
#define BPA_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "bpa/policy.h"
#include "bpa/status.h"

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

#endif
