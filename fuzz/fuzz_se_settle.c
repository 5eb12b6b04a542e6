/* The avräkning from bytes: the shipped JAG case (se-sfb-51, förskott) and
 * its budget under fk, a Swedish usage file from the fuzzer -> avräkning ->
 * bpa-se-settlement-result/1 and the Swedish summary. The usage is loaded
 * beside the fixture usages (FUZZ_USAGE_NAME) and its time reports are read
 * only when they are shipped fixture files (fuzz_timesheets_fixed); other
 * usages naming timesheets stop after the loader. */
#include "bpa/case.h"
#include "bpa/se.h"
#include "fuzz_common.h"

static const bpa_se_grant *fuzz_se_grant(void)
{
    static bpa_case *c;
    static bpa_se_grant *g;
    if (!g) {
        bpa_error err;
        if (bpa_case_load(&c, BPA_SOURCE_DIR "/fixtures/cases/se-jag-2025-forskott.json", &err) !=
                BPA_OK ||
            bpa_se_grant_compute(&g, c, fuzz_se_policy(c->scheme), &err) != BPA_OK)
            abort(); /* the fixture itself is broken: not a finding */
    }
    return g;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bpa_se_usage *u = NULL;
    bpa_se_settlement *s = NULL;
    bpa_error err;
    char *json = NULL, *text = NULL;
    if (bpa_se_usage_load_mem(&u, FUZZ_USAGE_NAME, (const char *)data, size, &err) != BPA_OK)
        return 0;
    if (fuzz_timesheets_fixed(u->timesheets, u->ntimesheets) &&
        bpa_se_settle(&s, fuzz_se_grant(), u, &err) == BPA_OK) {
        if (bpa_se_settle_to_json(s, &json, &err) == BPA_OK)
            free(json);
        if (bpa_se_settle_summary(s, BPA_LANG_SV, &text, &err) == BPA_OK)
            free(text);
    }
    bpa_se_settle_free(s);
    bpa_se_usage_free(u);
    return 0;
}
