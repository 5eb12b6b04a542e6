/* The case loader on arbitrary bytes. */
#include "bpa/case.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bpa_case *c = NULL;
    bpa_error err;
    if (bpa_case_load_mem(&c, "fuzz.json", (const char *)data, size, &err) == BPA_OK)
        bpa_case_free(c);
    return 0;
}
