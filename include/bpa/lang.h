/*
 * bpa/lang.h - the language a person reads a result in.
 *
 * Every renderer (summary, workbook, trace text) takes one. Danish is the
 * default for Danish schemes, Swedish for Swedish ones; English on request.
 * The engine itself never produces text for people: it records data that the
 * renderers put into words (see bpa/trace.h).
 *
 * Thread safety: a plain value; nothing here has state.
 */
#ifndef BPA_LANG_H
#define BPA_LANG_H

#include <stdbool.h>

#include "bpa/export.h"
#include "bpa/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bpa_lang { BPA_LANG_DA = 0, BPA_LANG_EN, BPA_LANG_SV, BPA_LANG_COUNT } bpa_lang;

/* "da", "en", "sv". */
BPA_API const char *bpa_lang_name(bpa_lang lang);
/* Parse "da", "en" or "sv"; false for anything else. */
BPA_API bool bpa_lang_parse(const char *text, bpa_lang *out);
/* The language of a scheme's country: Danish for dk-*, Swedish for se-*. */
BPA_API bpa_lang bpa_lang_of_scheme(bpa_scheme scheme);

#ifdef __cplusplus
}
#endif
#endif
