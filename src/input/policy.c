/* Dated policy parameters (see include/bpa/policy.h, RULES.md section 5). */
#include "core/alloc.h"
#include "bpa/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/num.h"
#include "io/json.h"

/* ---- the catalogue (RULES.md 5.1, 5.2) ----------------------------------- */

enum suffix_rule { SUFFIX_NONE, SUFFIX_STEP, SUFFIX_BAND, SUFFIX_WORD };
enum country_rule { FOR_DK, FOR_SE, FOR_BOTH /* rounding.mode: every scheme's rounding points */ };

typedef struct param_spec {
    const char *name; /* full name, or prefix ending in '.' with a suffix rule */
    enum suffix_rule suffix;
    bpa_value_shape shape;
    const char *const *choices; /* BPA_SHAPE_ENUM */
    const char *default_json;   /* NULL: no default */
    enum country_rule country;
} param_spec;

static const char *const basis_choices[] = {"calendar", "weeks52", NULL};
static const char *const rounding_choices[] = {"half_away_from_zero", "half_even", NULL};
static const char *const admin_hours_choices[] = {"all", "work", NULL};
static const char *const advance_choices[] = {"first_weekday", "last_weekday_before", NULL};
static const char *const arrears_choices[] = {"last_weekday", NULL};
static const char *const pools_choices[] = {"category", "kind", "all", NULL};
static const char *const cap_unit_choices[] = {"period", "month", "week", NULL};

static const param_spec catalogue[] = {
    {"hours.basis", SUFFIX_NONE, BPA_SHAPE_ENUM, basis_choices, "\"weeks52\"", FOR_DK},
    {"wage.hourly.", SUFFIX_STEP, BPA_SHAPE_WAGE, NULL, NULL, FOR_DK},
    {"supplement.", SUFFIX_BAND, BPA_SHAPE_SUPPLEMENT, NULL, NULL, FOR_DK},
    {"band.windows", SUFFIX_NONE, BPA_SHAPE_WINDOWS, NULL, NULL, FOR_DK},
    {"band.precedence", SUFFIX_NONE, BPA_SHAPE_PRECEDENCE, NULL,
     "[\"sunday_holiday\",\"night\",\"saturday\",\"evening\",\"day\"]", FOR_DK},
    {"holidays.extra", SUFFIX_NONE, BPA_SHAPE_HOLIDAYS, NULL, NULL, FOR_DK},
    {"on_call.fraction", SUFFIX_NONE, BPA_SHAPE_FACTOR, NULL, NULL, FOR_DK},
    {"on_call.supplements", SUFFIX_NONE, BPA_SHAPE_BOOL, NULL, "false", FOR_DK},
    {"addons", SUFFIX_NONE, BPA_SHAPE_ADDONS, NULL, "[]", FOR_DK},
    {"rounding.mode", SUFFIX_NONE, BPA_SHAPE_ENUM, rounding_choices,
     "\"half_away_from_zero\"", FOR_BOTH},
    {"rounding.rate_components", SUFFIX_NONE, BPA_SHAPE_BOOL, NULL, "true", FOR_DK},
    {"index.series", SUFFIX_NONE, BPA_SHAPE_INDEX, NULL, NULL, FOR_DK},
    {"admin.transferred.per_hour", SUFFIX_NONE, BPA_SHAPE_LEVELED, NULL, NULL, FOR_DK},
    {"admin.transferred.hours", SUFFIX_NONE, BPA_SHAPE_ENUM, admin_hours_choices, "\"all\"",
     FOR_DK},
    {"admin.payroll.per_helper_year", SUFFIX_NONE, BPA_SHAPE_LEVELED, NULL, NULL, FOR_DK},
    {"allowance.monthly_cap.95", SUFFIX_NONE, BPA_SHAPE_DECIMAL, NULL, NULL, FOR_DK},
    {"allowance.monthly_cap.96", SUFFIX_NONE, BPA_SHAPE_DECIMAL, NULL, NULL, FOR_DK},
    {"trips.vacation_days_max", SUFFIX_NONE, BPA_SHAPE_COUNT, NULL, NULL, FOR_DK},
    {"trips.weekends_max", SUFFIX_NONE, BPA_SHAPE_COUNT, NULL, NULL, FOR_DK},
    {"hourly_cap", SUFFIX_NONE, BPA_SHAPE_DECIMAL, NULL, NULL, FOR_DK},
    {"payment.advance_day", SUFFIX_NONE, BPA_SHAPE_ENUM, advance_choices, "\"first_weekday\"",
     FOR_DK},
    {"payment.arrears_day", SUFFIX_NONE, BPA_SHAPE_ENUM, arrears_choices, "\"last_weekday\"",
     FOR_DK},
    {"settlement.pools", SUFFIX_NONE, BPA_SHAPE_ENUM, pools_choices, "\"all\"", FOR_DK},
    {"settlement.admin_follows_hours", SUFFIX_NONE, BPA_SHAPE_BOOL, NULL, "true", FOR_DK},
    {"settlement.carry_over_max_pct", SUFFIX_NONE, BPA_SHAPE_DECIMAL, NULL, "\"0\"", FOR_DK},
    {"settlement.account_due", SUFFIX_NONE, BPA_SHAPE_MONTHDAY, NULL, NULL, FOR_DK},
    {"settlement.cap_at_actual_costs", SUFFIX_NONE, BPA_SHAPE_BOOL, NULL, "true", FOR_DK},
    {"dk94.step.practical", SUFFIX_NONE, BPA_SHAPE_COUNT, NULL, NULL, FOR_DK},
    {"dk94.step.personal_care", SUFFIX_NONE, BPA_SHAPE_COUNT, NULL, NULL, FOR_DK},
    {"dk94.monthly_paid_min_hours_per_week", SUFFIX_NONE, BPA_SHAPE_DECIMAL, NULL, NULL,
     FOR_DK},
    {"se.schablon", SUFFIX_NONE, BPA_SHAPE_DECIMAL, NULL, NULL, FOR_SE},
    {"se.raised_max_pct", SUFFIX_NONE, BPA_SHAPE_DECIMAL, NULL, "\"12\"", FOR_SE},
    {"se.factor.vantetid", SUFFIX_NONE, BPA_SHAPE_FACTOR, NULL, "\"1/4\"", FOR_SE},
    {"se.factor.beredskap", SUFFIX_NONE, BPA_SHAPE_FACTOR, NULL, NULL, FOR_SE},
    {"se.cap_unit", SUFFIX_NONE, BPA_SHAPE_ENUM, cap_unit_choices, "\"period\"", FOR_SE},
    {"se.period_max_months", SUFFIX_NONE, BPA_SHAPE_COUNT, NULL, "6", FOR_SE},
    {"se.kommun.rate.", SUFFIX_WORD, BPA_SHAPE_DECIMAL, NULL, NULL, FOR_SE},
    {"se.expense.cap.", SUFFIX_WORD, BPA_SHAPE_CAP, NULL, NULL, FOR_SE},
    {"se.kommun_share_hours_per_week", SUFFIX_NONE, BPA_SHAPE_DECIMAL, NULL, "\"20\"", FOR_SE},
};
#define CATALOGUE_SIZE (sizeof catalogue / sizeof catalogue[0])

static bool suffix_ok(enum suffix_rule rule, const char *s)
{
    switch (rule) {
    case SUFFIX_NONE:
        return *s == '\0';
    case SUFFIX_STEP: {
        size_t n = strspn(s, "0123456789");
        return n >= 1 && n <= 4 && s[n] == '\0' && !(n > 1 && s[0] == '0');
    }
    case SUFFIX_BAND: {
        bpa_band b;
        return bpa_band_parse(s, &b) && b != BPA_BAND_DAY;
    }
    case SUFFIX_WORD: {
        size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");
        return n >= 1 && s[n] == '\0';
    }
    }
    return false;
}

static const param_spec *find_spec(const char *name)
{
    for (size_t i = 0; i < CATALOGUE_SIZE; i++) {
        const param_spec *sp = &catalogue[i];
        size_t n = strlen(sp->name);
        if (sp->suffix == SUFFIX_NONE) {
            if (strcmp(sp->name, name) == 0)
                return sp;
        } else if (strncmp(sp->name, name, n) == 0 && suffix_ok(sp->suffix, name + n)) {
            return sp;
        }
    }
    return NULL;
}

bool bpa_param_name_known(const char *name) { return find_spec(name) != NULL; }

/* ---- the policy object --------------------------------------------------- */

struct bpa_param {
    char *name;
    const param_spec *spec;
    bpa_param_entry *entries;
    size_t n;
};

typedef struct reference {
    char *key;
    char *text;
} reference;

struct bpa_policy {
    char *id, *title, *file;
    char sha256[65];
    bpa_country country;
    bool schemes[BPA_SCHEME_COUNT];
    reference *refs;
    size_t nrefs;
    bpa_param *params;
    size_t nparams;
    bpa_value defaults[CATALOGUE_SIZE];
    bool has_default[CATALOGUE_SIZE];
};

static void value_init(bpa_value *v, bpa_value_shape shape)
{
    memset(v, 0, sizeof *v);
    v->shape = shape;
    mpq_init(v->q);
}

static void value_clear(bpa_value *v)
{
    mpq_clear(v->q);
    for (size_t i = 0; i < v->nseries; i++)
        mpq_clear(v->series[i].value);
    free(v->series);
    for (size_t i = 0; i < v->naddons; i++) {
        free(v->addons[i].name);
        mpq_clear(v->addons[i].value);
    }
    free(v->addons);
    for (int b = 0; b < BPA_BAND_COUNT; b++)
        free(v->windows[b]);
    for (size_t i = 0; i < v->nextras; i++)
        free(v->extras[i].name);
    free(v->extras);
}

bool bpa_value_equal(const bpa_value *a, const bpa_value *b)
{
    if (a->shape != b->shape || !mpq_equal(a->q, b->q) || a->flag != b->flag || a->i != b->i)
        return false;
    if (a->nseries != b->nseries || a->naddons != b->naddons || a->nextras != b->nextras)
        return false;
    for (size_t k = 0; k < a->nseries; k++)
        if (a->series[k].year != b->series[k].year ||
            !mpq_equal(a->series[k].value, b->series[k].value))
            return false;
    for (size_t k = 0; k < a->naddons; k++) {
        const bpa_addon *x = &a->addons[k], *y = &b->addons[k];
        if (strcmp(x->name, y->name) != 0 || x->type != y->type ||
            !mpq_equal(x->value, y->value) ||
            x->on_wage_and_supplement != y->on_wage_and_supplement)
            return false;
    }
    for (int band = 0; band < BPA_BAND_COUNT; band++) {
        if (a->nwindows[band] != b->nwindows[band])
            return false;
        for (size_t k = 0; k < a->nwindows[band]; k++) {
            const bpa_window *x = &a->windows[band][k], *y = &b->windows[band][k];
            if (x->days != y->days || x->from != y->from || x->to != y->to)
                return false;
        }
    }
    if (memcmp(a->precedence, b->precedence, sizeof a->precedence) != 0)
        return false;
    for (size_t k = 0; k < a->nextras; k++) {
        const bpa_holiday_extra *x = &a->extras[k], *y = &b->extras[k];
        if (x->year != y->year || x->month != y->month || x->day != y->day ||
            x->from != y->from)
            return false;
    }
    return true;
}

/* ---- value parsing -------------------------------------------------------- */

typedef struct vctx {
    const bpa_json_doc *doc;
    bpa_error *err;
} vctx;

#define TRY(expr)                                                                      \
    do {                                                                               \
        bpa_status st_ = (expr);                                                       \
        if (st_ != BPA_OK)                                                             \
            return st_;                                                                \
    } while (0)

static bpa_status nomem(bpa_error *err)
{
    return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
}

static bpa_status parse_addons(vctx *c, const cJSON *node, const char *path, bpa_value *v)
{
    TRY(bpa_json_expect_array(c->doc, node, path, c->err));
    size_t n = (size_t)cJSON_GetArraySize(node);
    v->addons = bpa_calloc(n ? n : 1, sizeof *v->addons);
    if (!v->addons)
        return nomem(c->err);
    size_t i = 0;
    for (const cJSON *a = node->child; a; a = a->next, i++) {
        char p[BPA_ERROR_PATH_MAX];
        bpa_json_path_index(p, sizeof p, path, i);
        static const char *const keys[] = {"name", "pct", "base", "kr_per_hour",
                                           "kr_per_helper_year", NULL};
        TRY(bpa_json_expect_object(c->doc, a, p, keys, c->err));
        bpa_addon *ad = &v->addons[i];
        mpq_init(ad->value);
        v->naddons = i + 1;
        const char *name = NULL;
        TRY(bpa_json_get_string(c->doc, a, p, "name", true, &name, c->err));
        if (!name[0])
            return bpa_json_fail(c->doc, a, p, c->err, "an add-on needs a non-empty name");
        for (size_t k = 0; k < i; k++)
            if (strcmp(v->addons[k].name, name) == 0)
                return bpa_json_fail(c->doc, a, p, c->err, "add-on \"%s\" named twice", name);
        if (!(ad->name = bpa_strdup(name)))
            return nomem(c->err);
        bool has_pct = cJSON_GetObjectItemCaseSensitive(a, "pct") != NULL;
        bool has_hour = cJSON_GetObjectItemCaseSensitive(a, "kr_per_hour") != NULL;
        bool has_year = cJSON_GetObjectItemCaseSensitive(a, "kr_per_helper_year") != NULL;
        bool has_base = cJSON_GetObjectItemCaseSensitive(a, "base") != NULL;
        if (has_pct + has_hour + has_year != 1)
            return bpa_json_fail(c->doc, a, p, c->err,
                                 "an add-on has exactly one of \"pct\" (with \"base\"), "
                                 "\"kr_per_hour\", \"kr_per_helper_year\"");
        if (has_pct) {
            ad->type = BPA_ADDON_PCT;
            TRY(bpa_json_get_decimal(c->doc, a, p, "pct", true, 0, ad->value, NULL, c->err));
            static const char *const bases[] = {"wage", "wage_and_supplement", NULL};
            int b = 0;
            TRY(bpa_json_get_enum(c->doc, a, p, "base", true, bases, &b, c->err));
            ad->on_wage_and_supplement = b == 1;
        } else {
            if (has_base)
                return bpa_json_fail(c->doc, a, p, c->err,
                                     "\"base\" belongs only to a \"pct\" add-on");
            ad->type = has_hour ? BPA_ADDON_KR_PER_HOUR : BPA_ADDON_KR_PER_HELPER_YEAR;
            TRY(bpa_json_get_decimal(c->doc, a, p, has_hour ? "kr_per_hour" : "kr_per_helper_year",
                                     true, 0, ad->value, NULL, c->err));
        }
    }
    return BPA_OK;
}

static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun",
                                        "holiday", NULL};

static bpa_status parse_windows(vctx *c, const cJSON *node, const char *path, bpa_value *v)
{
    static const char *const bands[] = {"evening", "night", "saturday", "sunday_holiday", NULL};
    TRY(bpa_json_expect_object(c->doc, node, path, bands, c->err));
    for (const cJSON *b = node->child; b; b = b->next) {
        bpa_band band;
        bpa_band_parse(b->string, &band);
        char bp[BPA_ERROR_PATH_MAX];
        bpa_json_path_key(bp, sizeof bp, path, b->string);
        TRY(bpa_json_expect_array(c->doc, b, bp, c->err));
        size_t n = (size_t)cJSON_GetArraySize(b);
        v->windows[band] = bpa_calloc(n ? n : 1, sizeof(bpa_window));
        if (!v->windows[band])
            return nomem(c->err);
        size_t i = 0;
        for (const cJSON *w = b->child; w; w = w->next, i++) {
            char wp[BPA_ERROR_PATH_MAX];
            bpa_json_path_index(wp, sizeof wp, bp, i);
            static const char *const keys[] = {"days", "from", "to", NULL};
            TRY(bpa_json_expect_object(c->doc, w, wp, keys, c->err));
            bpa_window *win = &v->windows[band][i];
            v->nwindows[band] = i + 1;
            const cJSON *days = cJSON_GetObjectItemCaseSensitive(w, "days");
            char dp[BPA_ERROR_PATH_MAX];
            bpa_json_path_key(dp, sizeof dp, wp, "days");
            if (!days)
                return bpa_json_fail(c->doc, w, wp, c->err, "missing required key \"days\"");
            TRY(bpa_json_expect_array(c->doc, days, dp, c->err));
            if (!days->child)
                return bpa_json_fail(c->doc, days, dp, c->err, "a window needs at least one day");
            for (const cJSON *d = days->child; d; d = d->next) {
                int k = -1;
                for (int j = 0; day_names[j] && cJSON_IsString(d); j++)
                    if (strcmp(day_names[j], d->valuestring) == 0)
                        k = j;
                if (k < 0)
                    return bpa_json_fail(c->doc, d, dp, c->err,
                                         "expected a day: mon, tue, wed, thu, fri, sat, sun "
                                         "or holiday");
                if (win->days & (1u << k))
                    return bpa_json_fail(c->doc, d, dp, c->err, "day \"%s\" given twice",
                                         day_names[k]);
                win->days |= 1u << k;
            }
            const char *from = NULL, *to = NULL;
            TRY(bpa_json_get_string(c->doc, w, wp, "from", true, &from, c->err));
            TRY(bpa_json_get_string(c->doc, w, wp, "to", true, &to, c->err));
            if (!bpa_clock_parse(from, false, &win->from))
                return bpa_json_fail(c->doc, cJSON_GetObjectItemCaseSensitive(w, "from"), wp,
                                     c->err, "\"%s\" is not a clock time HH:MM (00:00-23:59)",
                                     from);
            if (!bpa_clock_parse(to, true, &win->to))
                return bpa_json_fail(c->doc, cJSON_GetObjectItemCaseSensitive(w, "to"), wp,
                                     c->err, "\"%s\" is not a clock time HH:MM (00:00-24:00)",
                                     to);
            if (win->from >= win->to)
                return bpa_json_fail(c->doc, w, wp, c->err,
                                     "a window runs forward inside one day: \"from\" %s must be "
                                     "before \"to\" %s (a night is two windows)",
                                     from, to);
        }
    }
    return BPA_OK;
}

static bpa_status parse_precedence(vctx *c, const cJSON *node, const char *path, bpa_value *v)
{
    TRY(bpa_json_expect_array(c->doc, node, path, c->err));
    bool seen[5] = {false};
    size_t i = 0;
    for (const cJSON *b = node->child; b; b = b->next, i++) {
        bpa_band band;
        if (!cJSON_IsString(b) || !bpa_band_parse(b->valuestring, &band))
            return bpa_json_fail(c->doc, b, path, c->err,
                                 "expected a band: day, evening, night, saturday, "
                                 "sunday_holiday");
        if (i >= 5 || seen[band])
            return bpa_json_fail(c->doc, b, path, c->err, "band \"%s\" given twice",
                                 b->valuestring);
        seen[band] = true;
        v->precedence[i] = band;
    }
    if (i != 5)
        return bpa_json_fail(c->doc, node, path, c->err,
                             "band.precedence holds the five bands, each once");
    return BPA_OK;
}

static bpa_status parse_holidays(vctx *c, const cJSON *node, const char *path, bpa_value *v)
{
    TRY(bpa_json_expect_array(c->doc, node, path, c->err));
    size_t n = (size_t)cJSON_GetArraySize(node);
    v->extras = bpa_calloc(n ? n : 1, sizeof *v->extras);
    if (!v->extras)
        return nomem(c->err);
    size_t i = 0;
    for (const cJSON *h = node->child; h; h = h->next, i++) {
        char p[BPA_ERROR_PATH_MAX];
        bpa_json_path_index(p, sizeof p, path, i);
        static const char *const keys[] = {"date", "from", "name", NULL};
        TRY(bpa_json_expect_object(c->doc, h, p, keys, c->err));
        bpa_holiday_extra *x = &v->extras[i];
        v->nextras = i + 1;
        const char *date = NULL, *from = NULL, *name = NULL;
        TRY(bpa_json_get_string(c->doc, h, p, "date", true, &date, c->err));
        TRY(bpa_json_get_string(c->doc, h, p, "from", false, &from, c->err));
        TRY(bpa_json_get_string(c->doc, h, p, "name", false, &name, c->err));
        bpa_date d;
        if (bpa_date_parse(date, &d)) {
            bpa_date_split(d, &x->year, &x->month, &x->day);
        } else if (!bpa_monthday_parse(date, &x->month, &x->day)) {
            return bpa_json_fail(c->doc, cJSON_GetObjectItemCaseSensitive(h, "date"), p, c->err,
                                 "\"%s\" is not a date: expected MM-DD or YYYY-MM-DD", date);
        }
        if (from && !bpa_clock_parse(from, false, &x->from))
            return bpa_json_fail(c->doc, cJSON_GetObjectItemCaseSensitive(h, "from"), p, c->err,
                                 "\"%s\" is not a clock time HH:MM", from);
        if (name && !(x->name = bpa_strdup(name)))
            return nomem(c->err);
    }
    return BPA_OK;
}

static bpa_status parse_value(vctx *c, const cJSON *node, const char *path,
                              const param_spec *sp, bpa_value *v)
{
    switch (sp->shape) {
    case BPA_SHAPE_DECIMAL:
        return bpa_json_decimal(c->doc, node, path, 0, v->q, c->err);
    case BPA_SHAPE_FACTOR:
        return bpa_json_decimal(c->doc, node, path, BPA_DEC_FRACTION, v->q, c->err);
    case BPA_SHAPE_CAP:
        if (cJSON_IsString(node) && strcmp(node->valuestring, "none") == 0) {
            v->flag = true;
            return BPA_OK;
        }
        return bpa_json_decimal(c->doc, node, path, 0, v->q, c->err);
    case BPA_SHAPE_WAGE:
        if (cJSON_IsObject(node)) {
            static const char *const keys[] = {"annual", "norm_hours", NULL};
            TRY(bpa_json_expect_object(c->doc, node, path, keys, c->err));
            mpq_t norm;
            mpq_init(norm);
            bpa_status st = bpa_json_get_decimal(c->doc, node, path, "annual", true, 0, v->q,
                                                 NULL, c->err);
            if (st == BPA_OK)
                st = bpa_json_get_decimal(c->doc, node, path, "norm_hours", true, 0, norm, NULL,
                                          c->err);
            if (st == BPA_OK && mpq_sgn(norm) == 0)
                st = bpa_json_fail(c->doc, node, path, c->err,
                                   "\"norm_hours\" must be above zero (it divides)");
            if (st == BPA_OK)
                mpq_div(v->q, v->q, norm);
            mpq_clear(norm);
            return st;
        }
        return bpa_json_decimal(c->doc, node, path, 0, v->q, c->err);
    case BPA_SHAPE_SUPPLEMENT: {
        static const char *const keys[] = {"pct", "kr", NULL};
        TRY(bpa_json_expect_object(c->doc, node, path, keys, c->err));
        if (cJSON_GetArraySize(node) != 1)
            return bpa_json_fail(c->doc, node, path, c->err,
                                 "a supplement is {\"pct\": \"30\"} or {\"kr\": \"39.89\"}");
        v->flag = cJSON_GetObjectItemCaseSensitive(node, "pct") != NULL;
        return bpa_json_get_decimal(c->doc, node, path, v->flag ? "pct" : "kr", true, 0, v->q,
                                    NULL, c->err);
    }
    case BPA_SHAPE_ENUM: {
        if (cJSON_IsString(node))
            for (int i = 0; sp->choices[i]; i++)
                if (strcmp(sp->choices[i], node->valuestring) == 0) {
                    v->i = i;
                    v->name = sp->choices[i];
                    return BPA_OK;
                }
        char list[256] = "";
        size_t used = 0;
        for (int i = 0; sp->choices[i] && used < sizeof list; i++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s\"%s\"", i ? ", " : "",
                                     sp->choices[i]);
        return bpa_json_fail(c->doc, node, path, c->err, "expected one of: %s", list);
    }
    case BPA_SHAPE_BOOL:
        if (!cJSON_IsBool(node))
            return bpa_json_fail(c->doc, node, path, c->err, "expected true or false");
        v->flag = cJSON_IsTrue(node);
        return BPA_OK;
    case BPA_SHAPE_COUNT:
        return bpa_json_int(c->doc, node, path, 0, 9999, &v->i, c->err);
    case BPA_SHAPE_LEVELED: {
        static const char *const keys[] = {"amount", "level", NULL};
        TRY(bpa_json_expect_object(c->doc, node, path, keys, c->err));
        TRY(bpa_json_get_decimal(c->doc, node, path, "amount", true, 0, v->q, NULL, c->err));
        return bpa_json_get_int(c->doc, node, path, "level", true, BPA_YEAR_MIN, BPA_YEAR_MAX,
                                &v->i, c->err);
    }
    case BPA_SHAPE_INDEX: {
        if (!cJSON_IsObject(node) || !node->child)
            return bpa_json_fail(c->doc, node, path, c->err,
                                 "expected an object of years, e.g. {\"2015\": \"100\"}");
        size_t n = (size_t)cJSON_GetArraySize(node);
        v->series = bpa_calloc(n, sizeof *v->series);
        if (!v->series)
            return nomem(c->err);
        for (const cJSON *y = node->child; y; y = y->next) {
            char p[BPA_ERROR_PATH_MAX];
            bpa_json_path_key(p, sizeof p, path, y->string);
            size_t nd = strspn(y->string, "0123456789");
            int year = nd == 4 && y->string[4] == '\0' ? atoi(y->string) : 0;
            if (year < BPA_YEAR_MIN || year > BPA_YEAR_MAX)
                return bpa_json_fail(c->doc, y, p, c->err,
                                     "\"%s\" is not a year (four digits, 1900-2999)", y->string);
            bpa_index_point *pt = &v->series[v->nseries];
            mpq_init(pt->value);
            pt->year = year;
            v->nseries++;
            for (size_t k = 0; k + 1 < v->nseries; k++)
                if (v->series[k].year == year)
                    return bpa_json_fail(c->doc, y, p, c->err, "year %d given twice", year);
            TRY(bpa_json_decimal(c->doc, y, p, 0, pt->value, c->err));
            if (mpq_sgn(pt->value) == 0)
                return bpa_json_fail(c->doc, y, p, c->err,
                                     "an index value must be above zero (it divides)");
        }
        /* sorted by year, so that equal series compare equal whatever the
         * order of their keys in the file */
        for (size_t i = 1; i < v->nseries; i++)
            for (size_t k = i; k > 0 && v->series[k - 1].year > v->series[k].year; k--) {
                bpa_index_point t = v->series[k];
                v->series[k] = v->series[k - 1];
                v->series[k - 1] = t;
            }
        return BPA_OK;
    }
    case BPA_SHAPE_ADDONS:
        return parse_addons(c, node, path, v);
    case BPA_SHAPE_WINDOWS:
        return parse_windows(c, node, path, v);
    case BPA_SHAPE_PRECEDENCE:
        return parse_precedence(c, node, path, v);
    case BPA_SHAPE_HOLIDAYS:
        return parse_holidays(c, node, path, v);
    case BPA_SHAPE_MONTHDAY: {
        int m, d;
        if (!cJSON_IsString(node) || !bpa_monthday_parse(node->valuestring, &m, &d))
            return bpa_json_fail(c->doc, node, path, c->err, "expected a day as \"MM-DD\"");
        v->i = m * 100 + d;
        return BPA_OK;
    }
    }
    return bpa_json_fail(c->doc, node, path, c->err, "unsupported value");
}

/* ---- loading -------------------------------------------------------------- */

void bpa_policy_free(bpa_policy *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nparams; i++) {
        for (size_t k = 0; k < p->params[i].n; k++)
            value_clear(&p->params[i].entries[k].value);
        free(p->params[i].entries);
        free(p->params[i].name);
    }
    free(p->params);
    for (size_t i = 0; i < p->nrefs; i++) {
        free(p->refs[i].key);
        free(p->refs[i].text);
    }
    free(p->refs);
    for (size_t i = 0; i < CATALOGUE_SIZE; i++)
        if (p->has_default[i])
            value_clear(&p->defaults[i]);
    free(p->id);
    free(p->title);
    free(p->file);
    free(p);
}

static bpa_status load_defaults(bpa_policy *p, bpa_error *err)
{
    for (size_t i = 0; i < CATALOGUE_SIZE; i++) {
        const param_spec *sp = &catalogue[i];
        if (!sp->default_json)
            continue;
        bpa_json_doc doc;
        bpa_status st = bpa_json_load_mem(&doc, "<built-in default>", sp->default_json,
                                          strlen(sp->default_json), BPA_E_POLICY, err);
        if (st != BPA_OK)
            return st;
        vctx c = {&doc, err};
        value_init(&p->defaults[i], sp->shape);
        p->has_default[i] = true;
        st = parse_value(&c, doc.root, sp->name, sp, &p->defaults[i]);
        bpa_json_release(&doc);
        if (st != BPA_OK)
            return st;
    }
    return BPA_OK;
}

static bpa_status load_params(bpa_policy *p, const bpa_json_doc *doc, const cJSON *params,
                              bpa_error *err)
{
    vctx c = {doc, err};
    if (!cJSON_IsObject(params))
        return bpa_json_fail(doc, params, "$.params", err, "expected an object of parameters");
    size_t n = (size_t)cJSON_GetArraySize(params);
    p->params = bpa_calloc(n ? n : 1, sizeof *p->params);
    if (!p->params)
        return nomem(err);
    for (const cJSON *pn = params->child; pn; pn = pn->next) {
        char path[BPA_ERROR_PATH_MAX];
        snprintf(path, sizeof path, "$.params[\"%s\"]", pn->string);
        const param_spec *sp = find_spec(pn->string);
        if (!sp)
            return bpa_json_fail(doc, pn, path, err, "unknown parameter \"%s\"", pn->string);
        bool se = p->country == BPA_COUNTRY_SE;
        if (sp->country != FOR_BOTH && (sp->country == FOR_SE) != se)
            return bpa_json_fail(doc, pn, path, err,
                                 "parameter \"%s\" belongs to %s policies, this one is for %s",
                                 pn->string, sp->country == FOR_SE ? "Swedish" : "Danish",
                                 se ? "SE" : "DK");
        for (size_t k = 0; k < p->nparams; k++)
            if (strcmp(p->params[k].name, pn->string) == 0)
                return bpa_json_fail(doc, pn, path, err, "parameter given twice");
        bpa_param *par = &p->params[p->nparams];
        if (!(par->name = bpa_strdup(pn->string)))
            return nomem(err);
        par->spec = sp;
        p->nparams++;
        if (!cJSON_IsArray(pn) || !pn->child)
            return bpa_json_fail(doc, pn, path, err,
                                 "expected a list of dated entries "
                                 "[{\"from\": \"YYYY-MM-DD\", \"value\": ..., \"ref\": ...}]");
        size_t ne = (size_t)cJSON_GetArraySize(pn);
        par->entries = bpa_calloc(ne, sizeof *par->entries);
        if (!par->entries)
            return nomem(err);
        size_t i = 0;
        for (const cJSON *e = pn->child; e; e = e->next, i++) {
            char ep[BPA_ERROR_PATH_MAX];
            bpa_json_path_index(ep, sizeof ep, path, i);
            static const char *const keys[] = {"from", "value", "ref", NULL};
            TRY(bpa_json_expect_object(doc, e, ep, keys, err));
            bpa_param_entry *en = &par->entries[i];
            value_init(&en->value, sp->shape);
            par->n = i + 1;
            bpa_json_where(doc, e, &en->line, &en->column);
            TRY(bpa_json_get_date(doc, e, ep, "from", true, &en->from, err));
            if (i > 0 && en->from <= par->entries[i - 1].from)
                return bpa_json_fail(doc, e, ep, err,
                                     "entries must be in date order, each from a later date "
                                     "than the one before");
            const char *ref = NULL;
            TRY(bpa_json_get_string(doc, e, ep, "ref", true, &ref, err));
            const char *found = NULL;
            for (size_t r = 0; r < p->nrefs; r++)
                if (strcmp(p->refs[r].key, ref) == 0)
                    found = p->refs[r].key;
            if (!found)
                return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(e, "ref"), ep, err,
                                     "ref \"%s\" is not in the file's \"references\"", ref);
            en->ref = found;
            const cJSON *val = cJSON_GetObjectItemCaseSensitive(e, "value");
            if (!val)
                return bpa_json_fail(doc, e, ep, err, "missing required key \"value\"");
            char vp[BPA_ERROR_PATH_MAX];
            TRY(parse_value(&c, val, bpa_json_path_key(vp, sizeof vp, ep, "value"), sp,
                            &en->value));
        }
    }
    return BPA_OK;
}

static bpa_status load_doc(bpa_policy *p, const bpa_json_doc *doc, bpa_error *err)
{
    static const char *const keys[] = {"format", "id", "title", "country", "schemes",
                                       "references", "params", NULL};
    const cJSON *root = doc->root;
    TRY(bpa_json_expect_object(doc, root, "$", keys, err));
    const char *format = NULL, *id = NULL, *title = NULL;
    TRY(bpa_json_get_string(doc, root, "$", "format", true, &format, err));
    if (strcmp(format, "bpa-policy/1") != 0)
        return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(root, "format"), "$.format",
                             err, "expected \"bpa-policy/1\", got \"%s\"", format);
    TRY(bpa_json_get_string(doc, root, "$", "id", true, &id, err));
    if (!id[0] || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(id))
        return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(root, "id"), "$.id", err,
                             "a policy id is lower-case letters, digits, '-' and '_'");
    TRY(bpa_json_get_string(doc, root, "$", "title", false, &title, err));
    static const char *const countries[] = {"DK", "SE", NULL};
    int country = 0;
    TRY(bpa_json_get_enum(doc, root, "$", "country", true, countries, &country, err));
    p->country = (bpa_country)country;
    if (!(p->id = bpa_strdup(id)) || !(p->title = bpa_strdup(title ? title : id)))
        return nomem(err);

    const cJSON *schemes = cJSON_GetObjectItemCaseSensitive(root, "schemes");
    if (!schemes)
        return bpa_json_fail(doc, root, "$", err, "missing required key \"schemes\"");
    TRY(bpa_json_expect_array(doc, schemes, "$.schemes", err));
    for (const cJSON *s = schemes->child; s; s = s->next) {
        bpa_scheme sc;
        if (!cJSON_IsString(s) || !bpa_scheme_parse(s->valuestring, &sc))
            return bpa_json_fail(doc, s, "$.schemes", err,
                                 "expected a scheme: dk-sel-96, dk-sel-95, dk-sel-94, "
                                 "se-sfb-51, se-lss-9-2");
        if (bpa_scheme_is_danish(sc) != (p->country == BPA_COUNTRY_DK))
            return bpa_json_fail(doc, s, "$.schemes", err,
                                 "scheme %s does not fit the policy's country %s",
                                 s->valuestring, countries[country]);
        p->schemes[sc] = true;
    }

    const cJSON *refs = cJSON_GetObjectItemCaseSensitive(root, "references");
    if (!refs)
        return bpa_json_fail(doc, root, "$", err, "missing required key \"references\"");
    if (!cJSON_IsObject(refs))
        return bpa_json_fail(doc, refs, "$.references", err,
                             "expected an object {\"name\": \"source text\"}");
    size_t nr = (size_t)cJSON_GetArraySize(refs);
    p->refs = bpa_calloc(nr ? nr : 1, sizeof *p->refs);
    if (!p->refs)
        return nomem(err);
    for (const cJSON *r = refs->child; r; r = r->next) {
        char rp[BPA_ERROR_PATH_MAX];
        bpa_json_path_key(rp, sizeof rp, "$.references", r->string);
        if (!cJSON_IsString(r) || !r->valuestring[0])
            return bpa_json_fail(doc, r, rp, err, "a reference is a non-empty text");
        for (size_t k = 0; k < p->nrefs; k++)
            if (strcmp(p->refs[k].key, r->string) == 0)
                return bpa_json_fail(doc, r, rp, err, "reference given twice");
        reference *ref = &p->refs[p->nrefs];
        ref->key = bpa_strdup(r->string);
        ref->text = bpa_strdup(r->valuestring);
        p->nrefs++;
        if (!ref->key || !ref->text)
            return nomem(err);
    }
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(root, "params");
    if (!params)
        return bpa_json_fail(doc, root, "$", err, "missing required key \"params\"");
    return load_params(p, doc, params, err);
}

/* bpa_json_build_fn: out is a bpa_policy ** */
static bpa_status build(void *out_, const bpa_json_doc *doc, bpa_error *err)
{
    bpa_policy **out = out_;
    *out = NULL;
    bpa_policy *p = bpa_calloc(1, sizeof *p);
    if (!p)
        return nomem(err);
    bpa_status st = BPA_OK;
    if (!(p->file = bpa_strdup(doc->name)))
        st = nomem(err);
    memcpy(p->sha256, doc->sha256, sizeof p->sha256);
    if (st == BPA_OK)
        st = load_defaults(p, err);
    if (st == BPA_OK)
        st = load_doc(p, doc, err);
    if (st != BPA_OK) {
        bpa_policy_free(p);
        return st;
    }
    *out = p;
    return BPA_OK;
}

bpa_status bpa_policy_load(bpa_policy **out, const char *path, bpa_error *err)
{
    *out = NULL;
    return bpa_json_build(path, NULL, NULL, 0, BPA_E_POLICY, build, out, err);
}

bpa_status bpa_policy_load_mem(bpa_policy **out, const char *name, const char *data,
                               size_t length, bpa_error *err)
{
    *out = NULL;
    return bpa_json_build(NULL, name, data, length, BPA_E_POLICY, build, out, err);
}

/* ---- look-ups ------------------------------------------------------------- */

const char *bpa_policy_id(const bpa_policy *p) { return p->id; }
const char *bpa_policy_title(const bpa_policy *p) { return p->title; }
const char *bpa_policy_file(const bpa_policy *p) { return p->file; }
const char *bpa_policy_sha256(const bpa_policy *p) { return p->sha256; }
bpa_country bpa_policy_country(const bpa_policy *p) { return p->country; }
bool bpa_policy_has_scheme(const bpa_policy *p, bpa_scheme s)
{
    return (unsigned)s < BPA_SCHEME_COUNT && p->schemes[s];
}

const char *bpa_policy_reference(const bpa_policy *p, const char *ref)
{
    if (!ref)
        return NULL;
    if (strcmp(ref, "default") == 0)
        return "bpa's built-in default";
    for (size_t i = 0; i < p->nrefs; i++)
        if (strcmp(p->refs[i].key, ref) == 0)
            return p->refs[i].text;
    return NULL;
}

static const bpa_param *find_param(const bpa_policy *p, const char *name)
{
    for (size_t i = 0; i < p->nparams; i++)
        if (strcmp(p->params[i].name, name) == 0)
            return &p->params[i];
    return NULL;
}

static const bpa_value *default_of(const bpa_policy *p, const char *name)
{
    const param_spec *sp = find_spec(name);
    if (!sp)
        return NULL;
    size_t i = (size_t)(sp - catalogue);
    return p->has_default[i] ? &p->defaults[i] : NULL;
}

const bpa_value *bpa_policy_get(const bpa_policy *p, const char *name, bpa_date date,
                                const bpa_param_entry **entry)
{
    const bpa_param *par = find_param(p, name);
    const bpa_param_entry *found = NULL;
    for (size_t i = 0; par && i < par->n && par->entries[i].from <= date; i++)
        found = &par->entries[i];
    if (entry)
        *entry = found;
    return found ? &found->value : default_of(p, name);
}

bpa_status bpa_policy_need(const bpa_policy *p, const char *name, bpa_date date,
                           const bpa_value **value, const bpa_param_entry **entry,
                           bpa_error *err)
{
    *value = bpa_policy_get(p, name, date, entry);
    if (*value)
        return BPA_OK;
    char d[11];
    bpa_date_format(date, d);
    const bpa_param *par = find_param(p, name);
    if (par) {
        char first[11];
        bpa_date_format(par->entries[0].from, first);
        return bpa_error_set(err, BPA_E_POLICY, p->file, 0, 0, name,
                             "parameter \"%s\" has no value on %s (its first value is from %s)",
                             name, d, first);
    }
    return bpa_error_set(err, BPA_E_POLICY, p->file, 0, 0, name,
                         "parameter \"%s\" is required on %s but policy \"%s\" does not give it",
                         name, d, p->id);
}

void bpa_policy_changes(const bpa_policy *p, const char *name, bpa_date from, bpa_date to,
                        bpa_date *dates, size_t *n, size_t cap)
{
    const bpa_param *par = find_param(p, name);
    if (!par)
        return;
    for (size_t i = 0; i < par->n; i++) {
        bpa_date d = par->entries[i].from;
        if (d <= from || d > to)
            continue;
        const bpa_value *before = bpa_policy_get(p, name, d - 1, NULL);
        if (before && bpa_value_equal(before, &par->entries[i].value))
            continue;
        if (*n < cap)
            dates[(*n)++] = d;
    }
}

size_t bpa_policy_param_count(const bpa_policy *p) { return p->nparams; }
const char *bpa_policy_param_name(const bpa_policy *p, size_t i) { return p->params[i].name; }
size_t bpa_policy_param_entries(const bpa_policy *p, size_t i, const bpa_param_entry **e)
{
    *e = p->params[i].entries;
    return p->params[i].n;
}
