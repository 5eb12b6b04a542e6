/* The usage loader on arbitrary bytes. */
#include "bpa/usage.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bpa_usage *u = NULL;
    bpa_error err;
    if (bpa_usage_load_mem(&u, "fuzz.json", (const char *)data, size, &err) == BPA_OK)
        bpa_usage_free(u);
    return 0;
}
