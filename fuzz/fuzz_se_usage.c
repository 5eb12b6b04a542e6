/* The Swedish usage loader on arbitrary bytes. */
#include "bpa/se.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bpa_se_usage *u = NULL;
    bpa_error err;
    if (bpa_se_usage_load_mem(&u, "fuzz.json", (const char *)data, size, &err) == BPA_OK)
        bpa_se_usage_free(u);
    return 0;
}
