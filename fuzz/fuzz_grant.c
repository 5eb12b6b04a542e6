/* The whole grant pipeline from bytes: case file -> grant -> result JSON,
 * under the Albertslund policy whatever policy the case names. */
#include "bpa/case.h"
#include "bpa/grant.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bpa_case *c = NULL;
    bpa_grant *g = NULL;
    bpa_error err;
    char *json = NULL;
    if (bpa_case_load_mem(&c, "fuzz.json", (const char *)data, size, &err) != BPA_OK)
        return 0;
    if (bpa_grant_compute(&g, c, fuzz_policy(), &err) == BPA_OK &&
        bpa_grant_to_json(g, &json, &err) == BPA_OK)
        free(json);
    bpa_grant_free(g);
    bpa_case_free(c);
    return 0;
}
