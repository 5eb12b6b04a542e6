/* The words of bpa verify (labels.c, keys "verify.*"). */
#include "audit/verify_int.h"

#include <stdio.h>

#include "trace/labels.h"

const char *vf_word(const char *key, bpa_lang lang)
{
    char k[64];
    snprintf(k, sizeof k, "verify.%s", key);
    return bpa_label(k, lang);
}

const char *vf_kind_words(const bpa_difference *d, bpa_lang lang)
{
    switch (d->kind) {
    case BPA_DIFF_FIGURE: return vf_word("diff.figure", lang);
    case BPA_DIFF_INPUT: return vf_word("diff.input", lang);
    case BPA_DIFF_FORMULA:
        return vf_word(d->found && d->found[0] == '=' ? "diff.formula_edited" : "diff.formula",
                       lang);
    case BPA_DIFF_MISSING: return vf_word("diff.missing", lang);
    }
    return "";
}
