/* Usage files (see include/bpa/usage.h, RULES.md section 8.1). */
#include "core/alloc.h"
#include "bpa/usage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/num.h"
#include "input/ts_list.h"
#include "io/json.h"

#define TRY(expr)                                                                      \
    do {                                                                               \
        bpa_status st_ = (expr);                                                       \
        if (st_ != BPA_OK)                                                             \
            return st_;                                                                \
    } while (0)

static const char *const payment_names[] = {"grant", "allowance", "payroll_admin", NULL};

const char *bpa_payment_for_name(bpa_payment_for what) { return payment_names[what]; }

static bpa_status nomem(bpa_error *err)
{
    return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
}

void bpa_usage_free(bpa_usage *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->nused; i++)
        mpq_clear(u->used[i].hours);
    free(u->used);
    bpa_ts_list_free(u->timesheets, u->timesheet_maps, u->ntimesheets);
    for (size_t i = 0; i < u->npayments; i++)
        mpq_clear(u->payments[i].amount);
    free(u->payments);
    for (size_t i = 0; i < u->ninvoices; i++)
        mpq_clear(u->invoices[i].amount);
    free(u->invoices);
    for (size_t i = 0; i < u->ncarry_in; i++)
        mpq_clears(u->carry_in[i].hours, u->carry_in[i].value, NULL);
    free(u->carry_in);
    for (size_t i = 0; i < u->ncarry_over; i++) {
        free(u->carry_over[i].pool);
        mpq_clear(u->carry_over[i].hours);
    }
    free(u->carry_over);
    mpq_clear(u->actual_wage_costs);
    free(u->case_id);
    free(u->file);
    free(u);
}

/* kind, optional band, step of a used or carry_in row */
static bpa_status parse_cat(const bpa_json_doc *doc, const cJSON *o, const char *p,
                            bpa_kind *kind, bpa_band *band, bool *band_given, int *step,
                            bpa_error *err)
{
    static const char *const kinds[] = {"work", "on_call", NULL};
    static const char *const bands[] = {"day", "evening", "night", "saturday", "sunday_holiday",
                                        NULL};
    int k = 0, b = -1;
    long s = 0;
    TRY(bpa_json_get_enum(doc, o, p, "kind", true, kinds, &k, err));
    TRY(bpa_json_get_enum(doc, o, p, "band", false, bands, &b, err));
    TRY(bpa_json_get_int(doc, o, p, "step", true, 0, 9999, &s, err));
    *kind = (bpa_kind)k;
    *band_given = b >= 0;
    *band = b >= 0 ? (bpa_band)b : BPA_BAND_ANY;
    *step = (int)s;
    if (*kind == BPA_KIND_WORK && !*band_given)
        return bpa_json_fail(doc, o, p, err, "work hours need a \"band\"");
    return BPA_OK;
}

static bpa_status used_row(const bpa_json_doc *doc, const cJSON *o, const char *p, void *ctx,
                           size_t i, bpa_error *err)
{
    bpa_usage *u = ctx;
    static const char *const keys[] = {"month", "kind", "band", "step", "hours", NULL};
    bpa_used_row *r = &u->used[i];
    mpq_init(r->hours);
    u->nused = i + 1;
    TRY(bpa_json_expect_object(doc, o, p, keys, err));
    bpa_json_source(doc, o, p, &r->src);
    const char *m = NULL;
    TRY(bpa_json_get_string(doc, o, p, "month", true, &m, err));
    int y = 0;
    char mp[BPA_ERROR_PATH_MAX];
    const cJSON *mn = cJSON_GetObjectItemCaseSensitive(o, "month");
    bpa_json_path_key(mp, sizeof mp, p, "month");
    if (!bpa_month_parse(m, &y, &r->month))
        return bpa_json_fail(doc, mn, mp, err, "\"%s\" is not a month: expected YYYY-MM", m);
    if (y != u->year)
        return bpa_json_fail(doc, mn, mp, err, "month %s lies outside the settlement year %d", m,
                             u->year);
    TRY(parse_cat(doc, o, p, &r->kind, &r->band, &r->band_given, &r->step, err));
    return bpa_json_get_decimal(doc, o, p, "hours", true, 0, r->hours, NULL, err);
}

static bpa_status payment(const bpa_json_doc *doc, const cJSON *o, const char *p, void *ctx,
                          size_t i, bpa_error *err)
{
    bpa_usage *u = ctx;
    static const char *const keys[] = {"date", "amount", "for", NULL};
    bpa_payment *r = &u->payments[i];
    mpq_init(r->amount);
    u->npayments = i + 1;
    TRY(bpa_json_expect_object(doc, o, p, keys, err));
    bpa_json_source(doc, o, p, &r->src);
    TRY(bpa_json_get_date(doc, o, p, "date", true, &r->date, err));
    TRY(bpa_json_get_decimal(doc, o, p, "amount", true, BPA_DEC_NEGATIVE | BPA_DEC_CENTS,
                             r->amount, NULL, err));
    int w = 0;
    TRY(bpa_json_get_enum(doc, o, p, "for", true, payment_names, &w, err));
    r->what = (bpa_payment_for)w;
    return BPA_OK;
}

static bpa_status invoice(const bpa_json_doc *doc, const cJSON *o, const char *p, void *ctx,
                          size_t i, bpa_error *err)
{
    bpa_usage *u = ctx;
    static const char *const keys[] = {"date", "amount", "for", NULL};
    static const char *const fors[] = {"payroll_admin", NULL};
    bpa_invoice *r = &u->invoices[i];
    mpq_init(r->amount);
    u->ninvoices = i + 1;
    TRY(bpa_json_expect_object(doc, o, p, keys, err));
    bpa_json_source(doc, o, p, &r->src);
    TRY(bpa_json_get_date(doc, o, p, "date", true, &r->date, err));
    TRY(bpa_json_get_decimal(doc, o, p, "amount", true, BPA_DEC_CENTS, r->amount, NULL, err));
    int w = 0;
    return bpa_json_get_enum(doc, o, p, "for", true, fors, &w, err);
}

static bpa_status carry_in(const bpa_json_doc *doc, const cJSON *o, const char *p, void *ctx,
                           size_t i, bpa_error *err)
{
    bpa_usage *u = ctx;
    static const char *const keys[] = {"kind", "band", "step", "hours", "value", NULL};
    bpa_carry_in *r = &u->carry_in[i];
    mpq_inits(r->hours, r->value, NULL);
    u->ncarry_in = i + 1;
    TRY(bpa_json_expect_object(doc, o, p, keys, err));
    bpa_json_source(doc, o, p, &r->src);
    TRY(parse_cat(doc, o, p, &r->kind, &r->band, &r->band_given, &r->step, err));
    TRY(bpa_json_get_decimal(doc, o, p, "hours", true, 0, r->hours, NULL, err));
    return bpa_json_get_decimal(doc, o, p, "value", true, BPA_DEC_CENTS, r->value, NULL, err);
}

static bpa_status carry_over(const bpa_json_doc *doc, const cJSON *o, const char *p,
                             void *ctx, size_t i, bpa_error *err)
{
    bpa_usage *u = ctx;
    static const char *const keys[] = {"pool", "hours", NULL};
    bpa_carry_over *r = &u->carry_over[i];
    mpq_init(r->hours);
    u->ncarry_over = i + 1;
    TRY(bpa_json_expect_object(doc, o, p, keys, err));
    bpa_json_source(doc, o, p, &r->src);
    const char *pool = NULL;
    TRY(bpa_json_get_string(doc, o, p, "pool", false, &pool, err));
    if (pool && !(r->pool = bpa_strdup(pool)))
        return nomem(err);
    return bpa_json_get_decimal(doc, o, p, "hours", true, 0, r->hours, NULL, err);
}

static bpa_status parse_usage(bpa_usage *u, const bpa_json_doc *doc, bpa_error *err)
{
    const cJSON *root = doc->root;
    static const char *const keys[] = {"format", "case", "year", "used", "timesheets",
                                       "payments", "invoices", "carry_in", "carry_over",
                                       "actual_wage_costs", NULL};
    TRY(bpa_json_expect_object(doc, root, "$", keys, err));
    const char *s = NULL;
    TRY(bpa_json_get_string(doc, root, "$", "format", true, &s, err));
    if (strcmp(s, "bpa-usage/1") != 0)
        return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(root, "format"), "$.format",
                             err, "expected \"bpa-usage/1\", got \"%s\"", s);
    TRY(bpa_json_get_string(doc, root, "$", "case", true, &s, err));
    if (!(u->case_id = bpa_strdup(s)))
        return nomem(err);
    bpa_json_source(doc, cJSON_GetObjectItemCaseSensitive(root, "case"), "$.case", &u->case_src);
    long year = 0;
    TRY(bpa_json_get_int(doc, root, "$", "year", true, BPA_YEAR_MIN, BPA_YEAR_MAX, &year, err));
    bpa_json_source(doc, cJSON_GetObjectItemCaseSensitive(root, "year"), "$.year", &u->year_src);
    u->year = (int)year;
    TRY(bpa_json_each(doc, root, "used", (void **)&u->used, sizeof *u->used, used_row, u, err));
    TRY(bpa_json_each(doc, root, "payments", (void **)&u->payments, sizeof *u->payments, payment, u, err));
    TRY(bpa_json_each(doc, root, "invoices", (void **)&u->invoices, sizeof *u->invoices, invoice, u, err));
    TRY(bpa_json_each(doc, root, "carry_in", (void **)&u->carry_in, sizeof *u->carry_in, carry_in, u,
             err));
    TRY(bpa_json_each(doc, root, "carry_over", (void **)&u->carry_over, sizeof *u->carry_over,
             carry_over, u, err));
    for (size_t i = 0; i < u->ncarry_over; i++)
        for (size_t k = 0; k < i; k++) {
            const char *a = u->carry_over[i].pool, *b = u->carry_over[k].pool;
            if ((!a && !b) || (a && b && strcmp(a, b) == 0))
                return bpa_error_set(err, BPA_E_INPUT, u->file, u->carry_over[i].src.line,
                                     u->carry_over[i].src.column, u->carry_over[i].src.path,
                                     "pool \"%s\" named twice in carry_over", a ? a : "(only)");
        }
    TRY(bpa_json_get_decimal(doc, root, "$", "actual_wage_costs", false, BPA_DEC_CENTS,
                             u->actual_wage_costs, &u->has_actual_costs, err));

    return bpa_ts_list_parse(doc, root, u->file, &u->timesheets, &u->timesheet_maps,
                             &u->ntimesheets, err);
}

/* bpa_json_build_fn: out is a bpa_usage ** */
static bpa_status build(void *out_, const bpa_json_doc *doc, bpa_error *err)
{
    bpa_usage **out = out_;
    bpa_usage *u = bpa_calloc(1, sizeof *u);
    if (!u)
        return nomem(err);
    mpq_init(u->actual_wage_costs);
    memcpy(u->sha256, doc->sha256, sizeof u->sha256);
    bpa_status st = (u->file = bpa_strdup(doc->name)) ? parse_usage(u, doc, err) : nomem(err);
    if (st != BPA_OK) {
        bpa_usage_free(u);
        return st;
    }
    *out = u;
    return BPA_OK;
}

bpa_status bpa_usage_load(bpa_usage **out, const char *path, bpa_error *err)
{
    *out = NULL;
    return bpa_json_build(path, NULL, NULL, 0, BPA_E_INPUT, build, out, err);
}

bpa_status bpa_usage_load_mem(bpa_usage **out, const char *name, const char *data,
                              size_t length, bpa_error *err)
{
    *out = NULL;
    return bpa_json_build(NULL, name, data, length, BPA_E_INPUT, build, out, err);
}
