/* The policy loader on arbitrary bytes. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bpa_policy *p = NULL;
    bpa_error err;
    if (bpa_policy_load_mem(&p, "fuzz.json", (const char *)data, size, &err) == BPA_OK)
        bpa_policy_free(p);
    return 0;
}
