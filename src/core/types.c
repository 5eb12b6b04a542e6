/* Names of schemes, kinds, bands and languages (see include/bpa/types.h, lang.h). */
#include "bpa/types.h"
#include "bpa/lang.h"

#include <string.h>

static const char *const scheme_names[BPA_SCHEME_COUNT] = {
    "dk-sel-96", "dk-sel-95", "dk-sel-94", "se-sfb-51", "se-lss-9-2"};
static const char *const kind_names[BPA_KIND_COUNT] = {"work", "on_call", "aktiv", "vantetid",
                                                       "beredskap"};
static const char *const band_names[BPA_BAND_COUNT] = {"day",      "evening",        "night",
                                                       "saturday", "sunday_holiday", "any"};

const char *bpa_scheme_name(bpa_scheme s) { return (unsigned)s < BPA_SCHEME_COUNT ? scheme_names[s] : "?"; }
const char *bpa_kind_name(bpa_kind k) { return (unsigned)k < BPA_KIND_COUNT ? kind_names[k] : "?"; }
const char *bpa_band_name(bpa_band b) { return (unsigned)b < BPA_BAND_COUNT ? band_names[b] : "?"; }

static bool lookup(const char *text, const char *const *names, int n, int *out)
{
    for (int i = 0; i < n; i++)
        if (strcmp(text, names[i]) == 0) {
            *out = i;
            return true;
        }
    return false;
}

bool bpa_scheme_parse(const char *text, bpa_scheme *out)
{
    int i;
    if (!lookup(text, scheme_names, BPA_SCHEME_COUNT, &i))
        return false;
    *out = (bpa_scheme)i;
    return true;
}

bpa_country bpa_kind_country(bpa_kind k)
{
    return k == BPA_KIND_WORK || k == BPA_KIND_ON_CALL ? BPA_COUNTRY_DK : BPA_COUNTRY_SE;
}

bpa_country bpa_scheme_country(bpa_scheme s)
{
    return bpa_scheme_is_danish(s) ? BPA_COUNTRY_DK : BPA_COUNTRY_SE;
}

bool bpa_kind_parse(bpa_country country, const char *text, bpa_kind *out)
{
    int i;
    if (!lookup(text, kind_names, BPA_KIND_COUNT, &i) || bpa_kind_country((bpa_kind)i) != country)
        return false;
    *out = (bpa_kind)i;
    return true;
}

bool bpa_band_parse(const char *text, bpa_band *out)
{
    int i;
    if (!lookup(text, band_names, BPA_BAND_ANY, &i))
        return false;
    *out = (bpa_band)i;
    return true;
}

bool bpa_scheme_is_danish(bpa_scheme s)
{
    return s == BPA_SCHEME_DK_SEL_94 || s == BPA_SCHEME_DK_SEL_95 || s == BPA_SCHEME_DK_SEL_96;
}

int bpa_category_cmp(const bpa_category *a, const bpa_category *b)
{
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->band != b->band)
        return a->band < b->band ? -1 : 1;
    if (a->step != b->step)
        return a->step < b->step ? -1 : 1;
    return 0;
}

bool bpa_category_equal(const bpa_category *a, const bpa_category *b)
{
    return bpa_category_cmp(a, b) == 0;
}

static const char *const lang_names[BPA_LANG_COUNT] = {"da", "en", "sv"};

const char *bpa_lang_name(bpa_lang l) { return (unsigned)l < BPA_LANG_COUNT ? lang_names[l] : "?"; }

bool bpa_lang_parse(const char *text, bpa_lang *out)
{
    int i;
    if (!lookup(text, lang_names, BPA_LANG_COUNT, &i))
        return false;
    *out = (bpa_lang)i;
    return true;
}

bpa_lang bpa_lang_of_scheme(bpa_scheme s)
{
    return bpa_scheme_is_danish(s) ? BPA_LANG_DA : BPA_LANG_SV;
}
