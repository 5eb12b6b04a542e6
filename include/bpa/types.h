/*
 * bpa/types.h - the vocabulary shared by policies, cases, grants and
 * settlements: schemes, kinds, bands, categories (RULES.md sections 2, 7.2).
 *
 * Thread safety: constants and pure functions without state, safe from any thread.
 */
#ifndef BPA_TYPES_H
#define BPA_TYPES_H

#include "bpa/export.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bpa_scheme {
    BPA_SCHEME_DK_SEL_96 = 0,
    BPA_SCHEME_DK_SEL_95,
    BPA_SCHEME_DK_SEL_94,
    BPA_SCHEME_SE_SFB_51,
    BPA_SCHEME_SE_LSS_9_2,
    BPA_SCHEME_COUNT
} bpa_scheme;

typedef enum bpa_country { BPA_COUNTRY_DK = 0, BPA_COUNTRY_SE = 1 } bpa_country;

/* Kinds of hours, per country: Danish work and on-call hours (arbejde,
 * rådighed); Swedish active time, waiting time and stand-by (aktiv tid,
 * väntetid, beredskap). A case, usage file or timesheet of one country
 * accepts only its country's kinds. */
typedef enum bpa_kind {
    BPA_KIND_WORK = 0,
    BPA_KIND_ON_CALL,
    BPA_KIND_AKTIV,
    BPA_KIND_VANTETID,
    BPA_KIND_BEREDSKAP,
    BPA_KIND_COUNT
} bpa_kind;
/* The Danish kinds are the first two. */
#define BPA_DK_KIND_COUNT 2

/* Bands in the order of the catalogue; BPA_BAND_ANY is an on-call line
 * without supplements (the band changes nothing in its rate). */
typedef enum bpa_band {
    BPA_BAND_DAY = 0,
    BPA_BAND_EVENING,
    BPA_BAND_NIGHT,
    BPA_BAND_SATURDAY,
    BPA_BAND_SUNDAY_HOLIDAY,
    BPA_BAND_ANY,
    BPA_BAND_COUNT
} bpa_band;

typedef struct bpa_category {
    bpa_kind kind;
    bpa_band band;
    int step;
} bpa_category;

BPA_API const char *bpa_scheme_name(bpa_scheme scheme);   /* "dk-sel-96" */
BPA_API const char *bpa_kind_name(bpa_kind kind);         /* "work", "on_call", "aktiv", ... */
BPA_API const char *bpa_band_name(bpa_band band);         /* "day", ..., "any" */
BPA_API bool bpa_scheme_parse(const char *text, bpa_scheme *out);
/* Only the kinds of the given country ("work" is not a Swedish kind). */
BPA_API bool bpa_kind_parse(bpa_country country, const char *text, bpa_kind *out);
BPA_API bpa_country bpa_kind_country(bpa_kind kind);
BPA_API bpa_country bpa_scheme_country(bpa_scheme scheme);
/* The five real bands; "any" is not accepted. */
BPA_API bool bpa_band_parse(const char *text, bpa_band *out);
BPA_API bool bpa_scheme_is_danish(bpa_scheme scheme);

BPA_API int bpa_category_cmp(const bpa_category *a, const bpa_category *b);
BPA_API bool bpa_category_equal(const bpa_category *a, const bpa_category *b);

#ifdef __cplusplus
}
#endif
#endif
