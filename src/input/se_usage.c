/*
 * The usage file of a Swedish case (see include/bpa/se.h, RULES.md 8.1, 8.3,
 * 12): used rows by month and kind, time reports, payments by the month they
 * pay, assistants' receipts. Loading is as strict as the Danish loader
 * (src/input/usage.c); checks against the case, budget and policy are the
 * avräkning's.
 */
#include "core/alloc.h"
#include "bpa/se.h"

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

static bpa_status nomem(bpa_error *err)
{
    return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
}

void bpa_se_usage_free(bpa_se_usage *u)
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
    for (size_t i = 0; i < u->nexpenses; i++) {
        mpq_clear(u->expenses[i].amount);
        free(u->expenses[i].category);
        free(u->expenses[i].approved);
        free(u->expenses[i].helper);
    }
    free(u->expenses);
    free(u->case_id);
    free(u->file);
    free(u);
}

/* A "YYYY-MM" member into *year, *month. */
static bpa_status get_month(const bpa_json_doc *doc, const cJSON *o, const char *p,
                            const char *key, bool required, bool *present, int *year,
                            int *month, bpa_error *err)
{
    const char *m = NULL;
    TRY(bpa_json_get_string(doc, o, p, key, required, &m, err));
    if (present)
        *present = m != NULL;
    if (!m)
        return BPA_OK;
    if (!bpa_month_parse(m, year, month)) {
        char mp[BPA_ERROR_PATH_MAX];
        return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(o, key),
                             bpa_json_path_key(mp, sizeof mp, p, key), err,
                             "\"%s\" is not a month: expected YYYY-MM, e.g. \"2025-11\"", m);
    }
    return BPA_OK;
}

/* A Danish key in a Swedish object: named, with what to write instead. */
static bpa_status danish_key(const bpa_json_doc *doc, const cJSON *o, const char *p,
                             const char *const *keys, const char *why, bpa_error *err)
{
    for (size_t i = 0; keys[i]; i++) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, keys[i]);
        if (n) {
            char q[BPA_ERROR_PATH_MAX];
            return bpa_json_fail(doc, n, bpa_json_path_key(q, sizeof q, p, keys[i]), err,
                                 "\"%s\" is a key of a Danish usage file: %s", keys[i], why);
        }
    }
    return BPA_OK;
}

static bpa_status used_row(const bpa_json_doc *doc, const cJSON *o, const char *p,
                           void *ctx, size_t i, bpa_error *err)
{
    bpa_se_usage *u = ctx;
    static const char *const keys[] = {"month", "kind", "hours", NULL};
    static const char *const danish[] = {"band", "step", NULL};
    bpa_se_used_row *r = &u->used[i];
    mpq_init(r->hours);
    u->nused = i + 1;
    if (cJSON_IsObject(o))
        TRY(danish_key(doc, o, p, danish,
                       "Swedish used rows name only \"month\", \"kind\" (aktiv, vantetid or "
                       "beredskap) and \"hours\"",
                       err));
    TRY(bpa_json_expect_object(doc, o, p, keys, err));
    bpa_json_source(doc, o, p, &r->src);
    TRY(get_month(doc, o, p, "month", true, NULL, &r->year, &r->month, err));
    const char *k = NULL;
    TRY(bpa_json_get_string(doc, o, p, "kind", true, &k, err));
    if (!bpa_kind_parse(BPA_COUNTRY_SE, k, &r->kind)) {
        char q[BPA_ERROR_PATH_MAX];
        bpa_kind dk;
        return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(o, "kind"),
                             bpa_json_path_key(q, sizeof q, p, "kind"), err,
                             bpa_kind_parse(BPA_COUNTRY_DK, k, &dk)
                                 ? "\"%s\" is a Danish kind: Swedish used rows name only "
                                   "\"month\", \"kind\" (aktiv, vantetid or beredskap) and "
                                   "\"hours\""
                                 : "\"%s\" is not a kind: expected aktiv, vantetid or beredskap",
                             k);
    }
    return bpa_json_get_decimal(doc, o, p, "hours", true, 0, r->hours, NULL, err);
}

static bpa_status payment(const bpa_json_doc *doc, const cJSON *o, const char *p,
                          void *ctx, size_t i, bpa_error *err)
{
    bpa_se_usage *u = ctx;
    static const char *const keys[] = {"date", "month", "amount", NULL};
    static const char *const danish[] = {"for", NULL};
    bpa_se_payment_row *r = &u->payments[i];
    mpq_init(r->amount);
    u->npayments = i + 1;
    if (cJSON_IsObject(o))
        TRY(danish_key(doc, o, p, danish,
                       "a Swedish payment has \"date\", \"amount\" and optionally \"month\" "
                       "(YYYY-MM, the month it pays)",
                       err));
    TRY(bpa_json_expect_object(doc, o, p, keys, err));
    bpa_json_source(doc, o, p, &r->src);
    TRY(bpa_json_get_date(doc, o, p, "date", true, &r->date, err));
    TRY(get_month(doc, o, p, "month", false, &r->has_month, &r->year, &r->month, err));
    if (!r->has_month) {
        r->year = bpa_date_year(r->date);
        r->month = bpa_date_month(r->date);
    }
    return bpa_json_get_decimal(doc, o, p, "amount", true, BPA_DEC_NEGATIVE | BPA_DEC_CENTS,
                                r->amount, NULL, err);
}

/* An optional member that, when given, is text that is not empty. */
static bpa_status get_text(const bpa_json_doc *doc, const cJSON *o, const char *p,
                           const char *key, const char *what, char **out, bpa_error *err)
{
    const char *s = NULL;
    TRY(bpa_json_get_string(doc, o, p, key, false, &s, err));
    if (!s)
        return BPA_OK;
    if (!s[0]) {
        char q[BPA_ERROR_PATH_MAX];
        return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(o, key),
                             bpa_json_path_key(q, sizeof q, p, key), err,
                             "\"%s\" is empty: give %s, or leave the key out", key, what);
    }
    return (*out = bpa_strdup(s)) ? BPA_OK : nomem(err);
}

static bpa_status receipt(const bpa_json_doc *doc, const cJSON *o, const char *p,
                          void *ctx, size_t i, bpa_error *err)
{
    bpa_se_usage *u = ctx;
    static const char *const keys[] = {"date", "category", "amount", "approved", "helper", NULL};
    bpa_se_receipt *r = &u->expenses[i];
    mpq_init(r->amount);
    u->nexpenses = i + 1;
    TRY(bpa_json_expect_object(doc, o, p, keys, err));
    bpa_json_source(doc, o, p, &r->src);
    TRY(bpa_json_get_date(doc, o, p, "date", true, &r->date, err));
    const char *c = NULL;
    TRY(bpa_json_get_string(doc, o, p, "category", true, &c, err));
    /* the suffix of se.expense.cap.<category>: the policy's own rule */
    size_t n = strspn(c, "abcdefghijklmnopqrstuvwxyz0123456789_");
    if (n == 0 || c[n] != '\0') {
        char q[BPA_ERROR_PATH_MAX];
        return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(o, "category"),
                             bpa_json_path_key(q, sizeof q, p, "category"), err,
                             "\"%s\" is not a category: expected the word of a policy "
                             "parameter se.expense.cap.<category> (a-z, 0-9, _), e.g. "
                             "\"entrance\"",
                             c);
    }
    if (!(r->category = bpa_strdup(c)))
        return nomem(err);
    TRY(bpa_json_get_decimal(doc, o, p, "amount", true, BPA_DEC_CENTS, r->amount, NULL, err));
    TRY(get_text(doc, o, p, "approved", "the reference of the approval (e.g. \"beslut "
                                        "2025-11-01\")",
                 &r->approved, err));
    return get_text(doc, o, p, "helper", "the assistant's name", &r->helper, err);
}

static bpa_status parse_usage(bpa_se_usage *u, const bpa_json_doc *doc, bpa_error *err)
{
    const cJSON *root = doc->root;
    static const char *const keys[] = {"format",   "case",     "year", "used", "timesheets",
                                       "payments", "expenses", NULL};
    static const char *const danish[] = {"carry_in", "carry_over", "invoices",
                                         "actual_wage_costs", NULL};
    if (cJSON_IsObject(root))
        TRY(danish_key(doc, root, "$", danish,
                       "a Swedish usage file has format, case, year (optional), used, "
                       "timesheets, payments and expenses; remove it",
                       err));
    TRY(bpa_json_expect_object(doc, root, "$", keys, err));
    const char *s = NULL;
    TRY(bpa_json_get_string(doc, root, "$", "format", true, &s, err));
    if (strcmp(s, "bpa-usage/1") != 0)
        return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(root, "format"), "$.format",
                             err, "expected \"bpa-usage/1\", got \"%s\"", s);
    TRY(bpa_json_get_string(doc, root, "$", "case", true, &s, err));
    if (!s[0])
        return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(root, "case"), "$.case", err,
                             "\"case\" is empty: give the case's id, as in the case file");
    if (!(u->case_id = bpa_strdup(s)))
        return nomem(err);
    bpa_json_source(doc, cJSON_GetObjectItemCaseSensitive(root, "case"), "$.case", &u->case_src);
    long year = 0;
    TRY(bpa_json_get_int(doc, root, "$", "year", false, BPA_YEAR_MIN, BPA_YEAR_MAX, &year, err));
    u->has_year = cJSON_GetObjectItemCaseSensitive(root, "year") != NULL;
    u->year = (int)year;
    TRY(bpa_json_each(doc, root, "used", (void **)&u->used, sizeof *u->used, used_row, u, err));
    TRY(bpa_json_each(doc, root, "payments", (void **)&u->payments, sizeof *u->payments, payment, u, err));
    TRY(bpa_json_each(doc, root, "expenses", (void **)&u->expenses, sizeof *u->expenses, receipt, u,
             err));
    return bpa_ts_list_parse(doc, root, u->file, &u->timesheets, &u->timesheet_maps,
                             &u->ntimesheets, err);
}

/* bpa_json_build_fn: out is a bpa_se_usage ** */
static bpa_status build(void *out_, const bpa_json_doc *doc, bpa_error *err)
{
    bpa_se_usage **out = out_;
    bpa_se_usage *u = bpa_calloc(1, sizeof *u);
    if (!u)
        return nomem(err);
    memcpy(u->sha256, doc->sha256, sizeof u->sha256);
    bpa_status st = (u->file = bpa_strdup(doc->name)) ? parse_usage(u, doc, err) : nomem(err);
    if (st != BPA_OK) {
        bpa_se_usage_free(u);
        return st;
    }
    *out = u;
    return BPA_OK;
}

bpa_status bpa_se_usage_load(bpa_se_usage **out, const char *path, bpa_error *err)
{
    *out = NULL;
    return bpa_json_build(path, NULL, NULL, 0, BPA_E_INPUT, build, out, err);
}

bpa_status bpa_se_usage_load_mem(bpa_se_usage **out, const char *name, const char *data,
                                 size_t length, bpa_error *err)
{
    *out = NULL;
    return bpa_json_build(NULL, name, data, length, BPA_E_INPUT, build, out, err);
}
