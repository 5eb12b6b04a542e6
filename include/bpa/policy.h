/*
 * bpa/policy.h - a municipality's dated parameters (RULES.md section 5).
 *
 * A policy is loaded strictly from a `bpa-policy/1` JSON file. Every
 * parameter is a list of entries, each in force from its `from` date until
 * the next entry. Look-ups are by name and date:
 *   - bpa_policy_need: a required parameter; no value on that date is an
 *     error naming the parameter and the date (never a silent zero);
 *   - bpa_policy_get: an optional one; NULL when not in force.
 * A parameter with a default (section 5.1) yields the default before its
 * first entry.
 *
 * Ownership: bpa_policy_load allocates the policy; bpa_policy_free releases
 * it and everything it handed out (values and entries point into it).
 *
 * Thread safety: a loaded policy is read-only and may be shared between
 * threads (grants of several cases computed from it at once); loading: see
 * bpa/case.h.
 */
#ifndef BPA_POLICY_H
#define BPA_POLICY_H

#include "bpa/export.h"

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "bpa/calendar.h"
#include "bpa/date.h"
#include "bpa/status.h"
#include "bpa/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bpa_value_shape {
    BPA_SHAPE_DECIMAL,    /* non-negative decimal */
    BPA_SHAPE_FACTOR,     /* decimal or "N/D" */
    BPA_SHAPE_WAGE,       /* decimal or {"annual", "norm_hours"}: q = annual / norm */
    BPA_SHAPE_SUPPLEMENT, /* {"pct": d} (flag true) or {"kr": d} */
    BPA_SHAPE_ENUM,       /* one of a fixed list: i = index */
    BPA_SHAPE_BOOL,       /* flag */
    BPA_SHAPE_COUNT,      /* whole number: i */
    BPA_SHAPE_LEVELED,    /* {"amount": q, "level": i} */
    BPA_SHAPE_INDEX,      /* {"2015": d, ...} */
    BPA_SHAPE_ADDONS,     /* list of add-ons */
    BPA_SHAPE_WINDOWS,    /* band.windows */
    BPA_SHAPE_PRECEDENCE, /* list of the five bands */
    BPA_SHAPE_HOLIDAYS,   /* holidays.extra */
    BPA_SHAPE_MONTHDAY,   /* "MM-DD": i = month * 100 + day */
    BPA_SHAPE_CAP,        /* decimal or "none" (flag true) */
    BPA_SHAPE_DATE        /* "YYYY-MM-DD": i = the day number (bpa/date.h) */
} bpa_value_shape;

typedef enum bpa_addon_type {
    BPA_ADDON_PCT,
    BPA_ADDON_KR_PER_HOUR,
    BPA_ADDON_KR_PER_HELPER_YEAR
} bpa_addon_type;

typedef struct bpa_addon {
    char *name;
    bpa_addon_type type;
    mpq_t value;                /* pct, kr per hour or kr per helper and year */
    bool on_wage_and_supplement; /* pct: base "wage_and_supplement" */
} bpa_addon;

/* days: bit 0 = Monday ... bit 6 = Sunday, bit 7 = holiday */
#define BPA_DAY_HOLIDAY (1u << 7)
typedef struct bpa_window {
    unsigned days;
    int from; /* minutes after midnight */
    int to;   /* up to 1440 */
} bpa_window;

typedef struct bpa_holiday_extra {
    int year; /* 0: every year */
    int month, day;
    int from; /* minute the holiday starts (0 = whole day) */
    char *name;
} bpa_holiday_extra;

typedef struct bpa_index_point {
    int year;
    mpq_t value;
} bpa_index_point;

typedef struct bpa_value {
    bpa_value_shape shape;
    const char *name; /* BPA_SHAPE_ENUM: the chosen word (static) */
    mpq_t q;
    bool flag;
    long i;
    bpa_index_point *series;
    size_t nseries;
    bpa_addon *addons;
    size_t naddons;
    bpa_window *windows[BPA_BAND_COUNT]; /* per band; day and any unused */
    size_t nwindows[BPA_BAND_COUNT];
    int precedence[5];
    bpa_holiday_extra *extras;
    size_t nextras;
} bpa_value;

typedef struct bpa_param_entry {
    bpa_date from;
    bpa_value value;
    const char *ref;     /* key into the references table */
    unsigned line, column;
} bpa_param_entry;

typedef struct bpa_param bpa_param;
typedef struct bpa_policy bpa_policy;

/* Load `path`. The file is strict (unknown keys and parameters, impossible
 * dates, entries out of order, missing refs, wrong shapes: BPA_E_POLICY with
 * file, line:column and the parameter and entry). */
BPA_API bpa_status bpa_policy_load(bpa_policy **out, const char *path, bpa_error *err);
/* Same from memory (for tests and fuzzing). */
BPA_API bpa_status bpa_policy_load_mem(bpa_policy **out, const char *name, const char *data,
                               size_t length, bpa_error *err);
BPA_API void bpa_policy_free(bpa_policy *policy);

BPA_API const char *bpa_policy_id(const bpa_policy *policy);
BPA_API const char *bpa_policy_title(const bpa_policy *policy);
BPA_API const char *bpa_policy_file(const bpa_policy *policy);
BPA_API const char *bpa_policy_sha256(const bpa_policy *policy);
BPA_API bpa_country bpa_policy_country(const bpa_policy *policy);
BPA_API bool bpa_policy_has_scheme(const bpa_policy *policy, bpa_scheme scheme);
/* The text of a reference, or NULL. "default" names a built-in default. */
BPA_API const char *bpa_policy_reference(const bpa_policy *policy, const char *ref);

/* Whether `name` is a parameter of the catalogue (with its suffix rules). */
BPA_API bool bpa_param_name_known(const char *name);

/* The value in force on `date`, or the default, or NULL; entry (may be NULL)
 * gets the entry in force (NULL for a default). */
BPA_API const bpa_value *bpa_policy_get(const bpa_policy *policy, const char *name, bpa_date date,
                                const bpa_param_entry **entry);
/* The same, but no value is BPA_E_POLICY naming the parameter and date. */
BPA_API bpa_status bpa_policy_need(const bpa_policy *policy, const char *name, bpa_date date,
                           const bpa_value **value, const bpa_param_entry **entry,
                           bpa_error *err);
/* Days d in (from, to] on which the value of `name` differs from its value
 * the day before (an entry with an equal value is no change). Appends to
 * dates[*n] up to cap. */
BPA_API void bpa_policy_changes(const bpa_policy *policy, const char *name, bpa_date from,
                        bpa_date to, bpa_date *dates, size_t *n, size_t cap);

/* Equality of two values (same shape). */
BPA_API bool bpa_value_equal(const bpa_value *a, const bpa_value *b);

/* Iteration over all parameters (for the inputs sheet). */
BPA_API size_t bpa_policy_param_count(const bpa_policy *policy);
BPA_API const char *bpa_policy_param_name(const bpa_policy *policy, size_t index);
BPA_API size_t bpa_policy_param_entries(const bpa_policy *policy, size_t index,
                                const bpa_param_entry **entries);

#ifdef __cplusplus
}
#endif
#endif
