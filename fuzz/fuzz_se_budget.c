/* The Swedish budget from bytes: case file -> (Swedish case only) budget ->
 * bpa-se-grant-result/1 and the Swedish summary, under the shipped Swedish
 * policy of the case's scheme (fk for se-sfb-51, kumla for se-lss-9-2)
 * whatever policy the case names. Danish cases stop after the loader
 * (fuzz_grant covers them). */
#include "bpa/case.h"
#include "bpa/se.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bpa_case *c = NULL;
    bpa_se_grant *g = NULL;
    bpa_error err;
    char *json = NULL, *text = NULL;
    if (bpa_case_load_mem(&c, "fuzz.json", (const char *)data, size, &err) != BPA_OK)
        return 0;
    if (c->se && bpa_se_grant_compute(&g, c, fuzz_se_policy(c->scheme), &err) == BPA_OK) {
        if (bpa_se_grant_to_json(g, &json, &err) == BPA_OK)
            free(json);
        if (bpa_se_grant_summary(g, BPA_LANG_SV, &text, &err) == BPA_OK)
            free(text);
    }
    bpa_se_grant_free(g);
    bpa_case_free(c);
    return 0;
}
