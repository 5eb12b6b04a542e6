/* bpa-claim/1 (RULES.md 13): the figures of an account made by other means,
 * loaded as strictly as the other inputs; each figure remembers what it
 * means in the result (verify.c maps it to a path). */
#include "audit/verify_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/num.h"
#include "bpa/types.h"
#include "core/alloc.h"
#include "io/json.h"

#define TRY(expr)                                                                      \
    do {                                                                               \
        bpa_status st_ = (expr);                                                       \
        if (st_ != BPA_OK)                                                             \
            return st_;                                                                \
    } while (0)

typedef struct claim_build {
    vf_claim *c;
    bool se;
} claim_build;

void vf_claim_free(vf_claim *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nfigs; i++) {
        vf_claim_fig *f = &c->figs[i];
        free(f->field);
        free(f->value);
        free(f->where);
        free(f->kind);
        free(f->band);
        free(f->step);
    }
    free(c->figs);
    free(c->case_id);
    free(c);
}

static vf_claim_fig *fig_new(vf_claim *c, vf_claim_sel sel, const char *field, const char *value,
                             const char *where)
{
    vf_claim_fig *f = bpa_realloc(c->figs, (c->nfigs + 1) * sizeof *f);
    if (!f)
        return NULL;
    c->figs = f;
    f += c->nfigs++;
    memset(f, 0, sizeof *f);
    f->sel = sel;
    f->field = bpa_strdup(field);
    f->value = bpa_strdup(value);
    f->where = bpa_strdup(where);
    return f->field && f->value && f->where ? f : NULL;
}

/* A decimal member (strict, as bpa_json_get_decimal), kept as typed; NULL text when absent. */
static bpa_status decimal_text(const bpa_json_doc *doc, const cJSON *obj, const char *path,
                               const char *key, unsigned flags, char *text, size_t n,
                               bpa_error *err)
{
    mpq_t q;
    mpq_init(q);
    bool present = false;
    bpa_status st = bpa_json_get_decimal(doc, obj, path, key, false, flags, q, &present, err);
    mpq_clear(q);
    text[0] = '\0';
    if (st != BPA_OK || !present)
        return st;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    size_t len = 0;
    const char *raw = cJSON_IsString(v) ? v->valuestring : bpa_json_raw(doc, v, &len);
    if (cJSON_IsString(v))
        len = strlen(raw);
    snprintf(text, n, "%.*s", (int)len, raw ? raw : "");
    return BPA_OK;
}

static bpa_status nomem(bpa_error *err) { return vf_nomem(err); }

/* A decimal figure at `key` of obj meaning `field` (VF_CLAIM_TOP unless set after). */
static bpa_status figure(vf_claim *c, const bpa_json_doc *doc, const cJSON *obj, const char *path,
                         const char *key, unsigned flags, vf_claim_sel sel, const char *field,
                         vf_claim_fig **out, bpa_error *err)
{
    char text[80], where[BPA_ERROR_PATH_MAX];
    *out = NULL;
    TRY(decimal_text(doc, obj, path, key, flags, text, sizeof text, err));
    if (!text[0])
        return BPA_OK;
    bpa_json_path_key(where, sizeof where, path, key);
    if (!(*out = fig_new(c, sel, field, text, where)))
        return nomem(err);
    return BPA_OK;
}

static bpa_status direction(vf_claim *c, const bpa_json_doc *doc, const cJSON *obj,
                            const char *path, const char *field, bpa_error *err)
{
    static const char *const dirs[] = {"repay", "pay_out", "settled", NULL};
    int d = -1;
    TRY(bpa_json_get_enum(doc, obj, path, "direction", false, dirs, &d, err));
    if (d < 0)
        return BPA_OK;
    char where[BPA_ERROR_PATH_MAX];
    bpa_json_path_key(where, sizeof where, path, "direction");
    return fig_new(c, VF_CLAIM_TOP, field, dirs[d], where) ? BPA_OK : nomem(err);
}

static bpa_status month_text(const bpa_json_doc *doc, const cJSON *obj, const char *path,
                             char out[8], bpa_error *err)
{
    const char *s = NULL;
    TRY(bpa_json_get_string(doc, obj, path, "month", true, &s, err));
    int y, m;
    char tail;
    if (strlen(s) != 7 || sscanf(s, "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12) {
        char sub[BPA_ERROR_PATH_MAX];
        return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(obj, "month"),
                             bpa_json_path_key(sub, sizeof sub, path, "month"), err,
                             "expected a month \"YYYY-MM\", got \"%s\"", s);
    }
    memcpy(out, s, 8);
    return BPA_OK;
}

static bpa_status date_text(const bpa_json_doc *doc, const cJSON *obj, const char *path,
                            const char *key, char out[11], bpa_error *err)
{
    bpa_date d;
    TRY(bpa_json_get_date(doc, obj, path, key, true, &d, err));
    snprintf(out, 11, "%s", cJSON_GetObjectItemCaseSensitive(obj, key)->valuestring);
    return BPA_OK;
}

static bpa_status se_periods(vf_claim *c, const bpa_json_doc *doc, const cJSON *root,
                             bpa_error *err)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "periods");
    if (!arr)
        return BPA_OK;
    TRY(bpa_json_expect_array(doc, arr, "$.periods", err));
    static const char *const pkeys[] = {"from", "to", "balance", "months", NULL};
    static const char *const mkeys[] = {"month", "amount", "paid", NULL};
    size_t i = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, arr)
    {
        char pp[BPA_ERROR_PATH_MAX], from[11] = "", to[11] = "";
        bpa_json_path_index(pp, sizeof pp, "$.periods", i++);
        TRY(bpa_json_expect_object(doc, p, pp, pkeys, err));
        TRY(date_text(doc, p, pp, "from", from, err));
        TRY(date_text(doc, p, pp, "to", to, err));
        vf_claim_fig *f;
        TRY(figure(c, doc, p, pp, "balance", BPA_DEC_NEGATIVE | BPA_DEC_CENTS, VF_CLAIM_PERIOD,
                   "balance", &f, err));
        if (f) {
            memcpy(f->from, from, sizeof from);
            memcpy(f->to, to, sizeof to);
        }
        const cJSON *months = cJSON_GetObjectItemCaseSensitive(p, "months");
        if (!months)
            continue;
        char mp[BPA_ERROR_PATH_MAX];
        bpa_json_path_key(mp, sizeof mp, pp, "months");
        TRY(bpa_json_expect_array(doc, months, mp, err));
        size_t j = 0;
        const cJSON *m;
        cJSON_ArrayForEach(m, months)
        {
            char mq[BPA_ERROR_PATH_MAX], month[8] = "";
            bpa_json_path_index(mq, sizeof mq, mp, j++);
            TRY(bpa_json_expect_object(doc, m, mq, mkeys, err));
            TRY(month_text(doc, m, mq, month, err));
            static const char *const fields[] = {"amount", "paid"};
            for (size_t k = 0; k < 2; k++) {
                TRY(figure(c, doc, m, mq, fields[k], BPA_DEC_NEGATIVE | BPA_DEC_CENTS,
                           VF_CLAIM_MONTH, fields[k], &f, err));
                if (f) {
                    memcpy(f->from, from, sizeof from);
                    memcpy(f->to, to, sizeof to);
                    memcpy(f->month, month, sizeof month);
                }
            }
        }
    }
    return BPA_OK;
}

static bpa_status dk_used(vf_claim *c, const bpa_json_doc *doc, const cJSON *root,
                          bpa_error *err)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "used");
    if (!arr)
        return BPA_OK;
    TRY(bpa_json_expect_array(doc, arr, "$.used", err));
    static const char *const keys[] = {"kind", "band", "step", "hours", NULL};
    size_t i = 0;
    const cJSON *u;
    cJSON_ArrayForEach(u, arr)
    {
        char up[BPA_ERROR_PATH_MAX], sub[BPA_ERROR_PATH_MAX];
        bpa_json_path_index(up, sizeof up, "$.used", i++);
        TRY(bpa_json_expect_object(doc, u, up, keys, err));
        const char *kind = NULL, *band = NULL;
        bpa_kind k;
        TRY(bpa_json_get_string(doc, u, up, "kind", true, &kind, err));
        if (!bpa_kind_parse(BPA_COUNTRY_DK, kind, &k))
            return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(u, "kind"),
                                 bpa_json_path_key(sub, sizeof sub, up, "kind"), err,
                                 "expected \"work\" or \"on_call\", got \"%s\"", kind);
        /* the bands of a usage file's rows; left out: every band of the kind */
        static const char *const bands[] = {"day", "evening", "night", "saturday",
                                            "sunday_holiday", NULL};
        int bi = -1;
        TRY(bpa_json_get_enum(doc, u, up, "band", false, bands, &bi, err));
        if (bi >= 0)
            band = bands[bi];
        long step = -1;
        TRY(bpa_json_get_int(doc, u, up, "step", false, 0, 9999, &step, err));
        if (!cJSON_GetObjectItemCaseSensitive(u, "hours"))
            return bpa_json_fail(doc, u, up, err, "missing \"hours\": the used hours of the "
                                                  "category as the account gives them");
        vf_claim_fig *f;
        TRY(figure(c, doc, u, up, "hours", 0, VF_CLAIM_CATEGORY, "used", &f, err));
        char st[16];
        snprintf(st, sizeof st, "%ld", step);
        f->kind = bpa_strdup(kind);
        f->band = band ? bpa_strdup(band) : NULL;
        f->step = step >= 0 ? bpa_strdup(st) : NULL;
        if (!f->kind || (band && !f->band) || (step >= 0 && !f->step))
            return nomem(err);
    }
    return BPA_OK;
}

static bpa_status parse_claim(claim_build *b, const bpa_json_doc *doc, bpa_error *err)
{
    vf_claim *c = b->c;
    const cJSON *root = doc->root;
    static const char *const dk_keys[] = {"format", "case", "year", "balance", "direction",
                                          "lines", "used", "payments_received", NULL};
    static const char *const se_keys[] = {"format", "case", "year", "balance", "direction",
                                          "periods", NULL};
    TRY(bpa_json_expect_object(doc, root, "$", b->se ? se_keys : dk_keys, err));
    const char *s = NULL;
    TRY(bpa_json_get_string(doc, root, "$", "format", true, &s, err));
    if (strcmp(s, "bpa-claim/1") != 0)
        return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(root, "format"), "$.format",
                             err, "expected \"bpa-claim/1\", got \"%s\"", s);
    TRY(bpa_json_get_string(doc, root, "$", "case", true, &s, err));
    if (!(c->case_id = bpa_strdup(s)))
        return nomem(err);
    bpa_json_where(doc, cJSON_GetObjectItemCaseSensitive(root, "case"), &c->case_line,
                   &c->case_col);
    TRY(bpa_json_get_int(doc, root, "$", "year", true, 1900, 9999, &c->year, err));
    bpa_json_where(doc, cJSON_GetObjectItemCaseSensitive(root, "year"), &c->year_line,
                   &c->year_col);
    vf_claim_fig *f;
    TRY(figure(c, doc, root, "$", "balance", BPA_DEC_NEGATIVE | BPA_DEC_CENTS, VF_CLAIM_TOP,
               "balance", &f, err));
    TRY(direction(c, doc, root, "$", "direction", err));
    if (b->se)
        return se_periods(c, doc, root, err);
    const cJSON *lines = cJSON_GetObjectItemCaseSensitive(root, "lines");
    if (lines) {
        static const char *const lkeys[] = {"unused_hours", "admin", "payroll_admin",
                                            "payments", "actual_cost_cap", NULL};
        TRY(bpa_json_expect_object(doc, lines, "$.lines", lkeys, err));
        for (size_t i = 0; lkeys[i]; i++) {
            char field[64];
            snprintf(field, sizeof field, "lines.%s", lkeys[i]);
            TRY(figure(c, doc, lines, "$.lines", lkeys[i], BPA_DEC_NEGATIVE | BPA_DEC_CENTS,
                       VF_CLAIM_TOP, field, &f, err));
        }
    }
    TRY(dk_used(c, doc, root, err));
    return figure(c, doc, root, "$", "payments_received", BPA_DEC_NEGATIVE | BPA_DEC_CENTS,
                  VF_CLAIM_TOP, "payments.grant_received", &f, err);
}

static bpa_status build(void *out_, const bpa_json_doc *doc, bpa_error *err)
{
    claim_build *b = out_;
    if (!(b->c = bpa_calloc(1, sizeof *b->c)))
        return nomem(err);
    memcpy(b->c->sha256, doc->sha256, sizeof b->c->sha256);
    return parse_claim(b, doc, err);
}

bpa_status vf_claim_load(vf_claim **out, const char *path, bool se, bpa_error *err)
{
    claim_build b = {NULL, se};
    bpa_status st = bpa_json_build(path, NULL, NULL, 0, BPA_E_INPUT, build, &b, err);
    if (st != BPA_OK) {
        vf_claim_free(b.c);
        return st;
    }
    *out = b.c;
    return BPA_OK;
}
