/* The whole settlement pipeline from bytes: the shipped full-year case and
 * its grant, a usage file from the fuzzer -> account -> result JSON.
 * Usage files naming timesheets are skipped (they would read arbitrary
 * paths); fuzz_timesheet covers that parser. */
#include "bpa/case.h"
#include "bpa/grant.h"
#include "bpa/settle.h"
#include "bpa/usage.h"
#include "fuzz_common.h"

static const bpa_grant *fuzz_grant(void)
{
    static bpa_case *c;
    static bpa_grant *g;
    if (!g) {
        bpa_error err;
        if (bpa_case_load(&c, BPA_SOURCE_DIR "/fixtures/cases/alb-2025-full-year.json", &err) !=
                BPA_OK ||
            bpa_grant_compute(&g, c, fuzz_policy(), &err) != BPA_OK)
            abort();
    }
    return g;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bpa_usage *u = NULL;
    bpa_settlement *s = NULL;
    bpa_error err;
    char *json = NULL;
    if (bpa_usage_load_mem(&u, "fuzz.json", (const char *)data, size, &err) != BPA_OK)
        return 0;
    if (u->ntimesheets == 0 && bpa_settle_compute(&s, fuzz_grant(), u, &err) == BPA_OK &&
        bpa_settle_to_json(s, &json, &err) == BPA_OK)
        free(json);
    bpa_settle_free(s);
    bpa_usage_free(u);
    return 0;
}
