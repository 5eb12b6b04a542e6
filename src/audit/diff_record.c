/* A grant as recorded lines (bpa_grant_record, bpa/diff.h): made from a
 * computed grant or budget, or read back from its result JSON. Both ways
 * give the same lines, so a diff does not depend on which side was a file.
 * Nothing is recomputed from the result but the Swedish kinds' exact
 * shares (hours x factor x rate, as the budget made its billable hours) and
 * the month's rounding, the part R3 added. */
#include "audit/diff_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/num.h"
#include "core/alloc.h"
#include "io/json.h"

static const char *const DK_RULES[] = {"wages", "per_helper", "admin", "payroll_admin_cap",
                                       "allowance", "hourly_cap_reduction", NULL};

static bpa_grant_record *record_new(void)
{
    bpa_grant_record *r = bpa_calloc(1, sizeof *r);
    if (r)
        mpq_init(r->total);
    return r;
}

void bpa_grant_record_free(bpa_grant_record *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nlines; i++)
        mpq_clears(r->lines[i].hours, r->lines[i].rate, r->lines[i].amount, NULL);
    free(r->lines);
    for (size_t i = 0; i < r->ninputs; i++)
        free(r->inputs[i].name);
    free(r->inputs);
    for (size_t i = 0; i < r->noverrides; i++) {
        free(r->override_rules[i]);
        free(r->override_reasons[i]);
    }
    free(r->override_rules);
    free(r->override_reasons);
    for (size_t i = 0; i < 3 * r->nwarnings; i++)
        free(r->warning_texts[i]);
    free(r->warning_texts);
    free(r->file);
    free(r->case_id);
    free(r->engine_version);
    free(r->policy_id);
    free(r->policy_title);
    free(r->policy_sha256);
    mpq_clear(r->total);
    free(r);
}

/* A line; hours and rate NULL for other lines. false: out of memory. */
static bool add_line(bpa_grant_record *r, size_t *cap, int year, int month,
                     const bpa_category *cat, const char *rule, bool in_total, mpq_srcptr hours,
                     mpq_srcptr rate, mpq_srcptr amount)
{
    if (r->nlines == *cap) {
        size_t n = *cap ? 2 * *cap : 32;
        bpa_grant_record_line *p = bpa_realloc(r->lines, n * sizeof *p);
        if (!p)
            return false;
        r->lines = p;
        *cap = n;
    }
    bpa_grant_record_line *l = &r->lines[r->nlines++];
    memset(l, 0, sizeof *l);
    l->year = year;
    l->month = month;
    l->has_category = cat != NULL;
    if (cat)
        l->category = *cat;
    l->rule = rule;
    l->in_total = in_total;
    mpq_inits(l->hours, l->rate, l->amount, NULL);
    if (hours)
        mpq_set(l->hours, hours);
    if (rate)
        mpq_set(l->rate, rate);
    mpq_set(l->amount, amount);
    return true;
}

/* A Swedish budget month: each granted kind's hours at its billable factor
 * x the month's rate, its exact share as amount; the month's R3 rounding
 * (amount minus the shares, in the total) and the kommun share (outside). */
static bool se_month(bpa_grant_record *r, size_t *cap, int year, int month,
                     mpq_srcptr const granted[BPA_SE_KINDS], mpq_srcptr fv, mpq_srcptr fb,
                     mpq_srcptr rate, mpq_srcptr amount, bool has_kommun, mpq_srcptr kommun)
{
    mpq_t kr, share, shares;
    mpq_inits(kr, share, shares, NULL);
    bool ok = true;
    for (int k = 0; k < BPA_SE_KINDS && ok; k++) {
        if (k == 0)
            mpq_set(kr, rate);
        else
            mpq_mul(kr, k == 1 ? fv : fb, rate);
        mpq_mul(share, granted[k], kr);
        mpq_add(shares, shares, share);
        if (mpq_sgn(granted[k]) == 0)
            continue;
        bpa_category cat = {(bpa_kind)(BPA_KIND_AKTIV + k), BPA_BAND_ANY, 0};
        ok = add_line(r, cap, year, month, &cat, "wages", true, granted[k], kr, share);
    }
    mpq_sub(shares, amount, shares);
    if (ok)
        ok = add_line(r, cap, year, month, NULL, "rounding", true, NULL, NULL, shares);
    if (ok && has_kommun)
        ok = add_line(r, cap, year, month, NULL, "kommun_share", false, NULL, NULL, kommun);
    mpq_clears(kr, share, shares, NULL);
    return ok;
}

static char *dup(const char *s, bool *ok)
{
    char *t = bpa_strdup(s ? s : "");
    if (!t)
        *ok = false;
    return t;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Stamps of a computed side: case and policy files, the case's overrides. */
static bool stamps_of(bpa_grant_record *r, const bpa_case *c, const bpa_policy *p)
{
    bool ok = true;
    r->file = dup(c->file, &ok);
    memcpy(r->sha256, c->sha256, sizeof r->sha256);
    r->scheme = c->scheme;
    r->country = bpa_scheme_country(c->scheme);
    r->case_id = dup(c->id, &ok);
    r->year = c->year;
    r->engine_version = dup(BPA_VERSION, &ok);
    r->policy_id = dup(bpa_policy_id(p), &ok);
    r->policy_title = dup(bpa_policy_title(p), &ok);
    r->policy_sha256 = dup(bpa_policy_sha256(p), &ok);
    r->inputs = bpa_calloc(2, sizeof *r->inputs);
    if (!r->inputs)
        return false;
    r->ninputs = 2;
    r->inputs[0].name = dup(base_name(c->file), &ok);
    memcpy(r->inputs[0].sha256, c->sha256, 65);
    r->inputs[1].name = dup(base_name(bpa_policy_file(p)), &ok);
    memcpy(r->inputs[1].sha256, bpa_policy_sha256(p), 64);
    if (c->noverrides) {
        r->override_rules = bpa_calloc(c->noverrides, sizeof *r->override_rules);
        r->override_reasons = bpa_calloc(c->noverrides, sizeof *r->override_reasons);
        if (!r->override_rules || !r->override_reasons)
            return false;
        r->noverrides = c->noverrides;
        for (size_t i = 0; i < c->noverrides; i++) {
            r->override_rules[i] = dup(bpa_override_rule_name(c->overrides[i].rule), &ok);
            r->override_reasons[i] = dup(c->overrides[i].reason, &ok);
        }
    }
    return ok;
}

static bpa_status nomem(bpa_grant_record *r, bpa_error *err)
{
    bpa_grant_record_free(r);
    return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
}

bpa_status bpa_record_from_grant(bpa_grant_record **out, const bpa_grant *g, bpa_error *err)
{
    *out = NULL;
    bpa_grant_record *r = record_new();
    if (!r || !stamps_of(r, g->kase, g->policy))
        return nomem(r, err);
    r->warnings = &g->warnings;
    size_t cap = 0;
    for (size_t i = 0; i < g->nlines; i++) {
        const bpa_line *l = &g->lines[i];
        int y = bpa_date_year(l->from), m = bpa_date_month(l->from);
        bool cat = l->rule == BPA_LINE_WAGES && l->has_category;
        /* the payroll administration cap is a budget line beside the grant (7.3) */
        if (!add_line(r, &cap, y, m, cat ? &l->category : NULL, bpa_line_rule_name(l->rule),
                      l->rule != BPA_LINE_PAYROLL_ADMIN_CAP, cat ? l->hours : NULL,
                      cat ? l->rate_value : NULL, l->amount))
            return nomem(r, err);
    }
    mpq_set(r->total, g->total_grant);
    *out = r;
    return BPA_OK;
}

bpa_status bpa_record_from_se_grant(bpa_grant_record **out, const bpa_se_grant *g,
                                    bpa_error *err)
{
    *out = NULL;
    bpa_grant_record *r = record_new();
    if (!r || !stamps_of(r, g->kase, g->policy))
        return nomem(r, err);
    r->warnings = &g->warnings;
    size_t cap = 0;
    for (size_t p = 0; p < g->nperiods; p++) {
        const bpa_se_budget_period *bp = &g->periods[p];
        for (size_t j = 0; j < bp->nmonths; j++) {
            const bpa_se_budget_month *m = &bp->months[j];
            mpq_srcptr granted[BPA_SE_KINDS] = {m->granted[0], m->granted[1], m->granted[2]};
            if (!se_month(r, &cap, m->year, m->month, granted, m->factor_vantetid,
                          m->factor_beredskap, m->rate, m->amount, m->has_kommun_share,
                          m->kommun_amount))
                return nomem(r, err);
        }
    }
    mpq_set(r->total, g->total_amount);
    *out = r;
    return BPA_OK;
}

/* ---- reading a result back ------------------------------------------------------ */

typedef struct rd {
    const bpa_json_doc *doc;
    bpa_grant_record *r;
    size_t cap;
    bpa_error *err;
} rd;

/* A figure as the result wrote it: its key_exact twin when there is one. */
static bpa_status exact(rd *x, const cJSON *o, const char *path, const char *key, bool required,
                        mpq_t out)
{
    char k[64];
    snprintf(k, sizeof k, "%s_exact", key);
    bool present = false;
    bpa_status st = bpa_json_get_decimal(x->doc, o, path, k, false,
                                         BPA_DEC_NEGATIVE | BPA_DEC_FRACTION, out, &present,
                                         x->err);
    if (st != BPA_OK || present)
        return st;
    return bpa_json_get_decimal(x->doc, o, path, key, required, BPA_DEC_NEGATIVE, out, &present,
                                x->err);
}

static bpa_status month_of(rd *x, const cJSON *o, const char *path, const char *key, int *y,
                           int *m)
{
    const char *s = NULL;
    bpa_status st = bpa_json_get_string(x->doc, o, path, key, true, &s, x->err);
    if (st != BPA_OK)
        return st;
    bpa_date d;
    char buf[11];
    snprintf(buf, sizeof buf, "%.7s-01", s);
    if (strlen(s) < 7 || !bpa_date_parse(buf, &d))
        return bpa_json_fail(x->doc, cJSON_GetObjectItemCaseSensitive(o, key), path, x->err,
                             "\"%s\" is not a month or date as a result writes it (\"2025-01\")",
                             s);
    *y = bpa_date_year(d);
    *m = bpa_date_month(d);
    return BPA_OK;
}

static bpa_status header(rd *x, const cJSON *root)
{
    bpa_grant_record *r = x->r;
    const bpa_json_doc *doc = x->doc;
    const char *s = NULL;
    bool ok = true;
    bpa_status st = bpa_json_get_string(doc, root, "$", "case", true, &s, x->err);
    if (st != BPA_OK)
        return st;
    r->case_id = dup(s, &ok);
    st = bpa_json_get_string(doc, root, "$", "scheme", true, &s, x->err);
    if (st != BPA_OK)
        return st;
    if (!bpa_scheme_parse(s, &r->scheme))
        return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(root, "scheme"), "$.scheme",
                             x->err, "unknown scheme \"%s\"", s);
    if (bpa_scheme_country(r->scheme) != r->country)
        return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(root, "scheme"), "$.scheme",
                             x->err, "scheme \"%s\" does not fit the format \"%s\"", s,
                             r->country == BPA_COUNTRY_DK ? "bpa-grant-result/1"
                                                          : "bpa-se-grant-result/1");
    long year = 0;
    st = bpa_json_get_int(doc, root, "$", "year", true, 1900, 2999, &year, x->err);
    if (st != BPA_OK)
        return st;
    r->year = (int)year;
    const cJSON *eng = cJSON_GetObjectItemCaseSensitive(root, "engine");
    s = NULL;
    if (cJSON_IsObject(eng))
        st = bpa_json_get_string(doc, eng, "$.engine", "version", false, &s, x->err);
    if (st != BPA_OK)
        return st;
    r->engine_version = dup(s ? s : "unknown", &ok);
    const cJSON *pol = cJSON_GetObjectItemCaseSensitive(root, "policy");
    if (!cJSON_IsObject(pol))
        return bpa_json_fail(doc, pol ? pol : root, pol ? "$.policy" : "$", x->err,
                             "a grant result has a \"policy\" object (id, title, sha256)");
    const char *id = NULL, *title = NULL, *sha = NULL;
    if ((st = bpa_json_get_string(doc, pol, "$.policy", "id", true, &id, x->err)) != BPA_OK ||
        (st = bpa_json_get_string(doc, pol, "$.policy", "title", false, &title, x->err)) !=
            BPA_OK ||
        (st = bpa_json_get_string(doc, pol, "$.policy", "sha256", true, &sha, x->err)) != BPA_OK)
        return st;
    r->policy_id = dup(id, &ok);
    r->policy_title = dup(title, &ok);
    r->policy_sha256 = dup(sha, &ok);
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(root, "inputs");
    if (in && (st = bpa_json_expect_array(doc, in, "$.inputs", x->err)) != BPA_OK)
        return st;
    size_t n = in ? (size_t)cJSON_GetArraySize(in) : 0;
    r->inputs = bpa_calloc(n ? n : 1, sizeof *r->inputs);
    if (!r->inputs)
        return bpa_error_set(x->err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    size_t i = 0;
    char path[64];
    for (const cJSON *e = in ? in->child : NULL; e; e = e->next, i++) {
        bpa_json_path_index(path, sizeof path, "$.inputs", i);
        const char *name = NULL, *h = NULL;
        if ((st = bpa_json_get_string(doc, e, path, "name", true, &name, x->err)) != BPA_OK ||
            (st = bpa_json_get_string(doc, e, path, "sha256", true, &h, x->err)) != BPA_OK)
            return st;
        r->inputs[r->ninputs].name = dup(name, &ok);
        snprintf(r->inputs[r->ninputs].sha256, sizeof r->inputs[0].sha256, "%s", h);
        r->ninputs++;
    }
    const cJSON *ov = cJSON_GetObjectItemCaseSensitive(root, "overrides");
    n = cJSON_IsArray(ov) ? (size_t)cJSON_GetArraySize(ov) : 0;
    if (n) {
        r->override_rules = bpa_calloc(n, sizeof *r->override_rules);
        r->override_reasons = bpa_calloc(n, sizeof *r->override_reasons);
        if (!r->override_rules || !r->override_reasons)
            return bpa_error_set(x->err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        i = 0;
        for (const cJSON *e = ov->child; e; e = e->next, i++) {
            bpa_json_path_index(path, sizeof path, "$.overrides", i);
            const char *rule = NULL, *reason = NULL;
            if ((st = bpa_json_get_string(doc, e, path, "rule", true, &rule, x->err)) !=
                    BPA_OK ||
                (st = bpa_json_get_string(doc, e, path, "reason", false, &reason, x->err)) !=
                    BPA_OK)
                return st;
            r->override_rules[r->noverrides] = dup(rule, &ok);
            r->override_reasons[r->noverrides] = dup(reason, &ok);
            r->noverrides++;
        }
    }
    const cJSON *ws = cJSON_GetObjectItemCaseSensitive(root, "warnings");
    n = cJSON_IsArray(ws) ? (size_t)cJSON_GetArraySize(ws) : 0;
    if (n) {
        r->warning_texts = bpa_calloc(3 * n, sizeof *r->warning_texts);
        if (!r->warning_texts)
            return bpa_error_set(x->err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        static const char *const keys[3] = {"code", "message", "where"};
        i = 0;
        for (const cJSON *e = ws->child; e; e = e->next, i++) {
            bpa_json_path_index(path, sizeof path, "$.warnings", i);
            for (int k = 0; k < 3; k++) {
                const char *t = NULL;
                if ((st = bpa_json_get_string(doc, e, path, keys[k], k == 0, &t, x->err)) !=
                    BPA_OK)
                    return st;
                r->warning_texts[3 * r->nwarnings + (size_t)k] = dup(t, &ok);
            }
            r->nwarnings++;
        }
    }
    return ok ? BPA_OK : bpa_error_set(x->err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
}

static const cJSON *array_of(rd *x, const cJSON *o, const char *path, const char *key,
                             bpa_status *st)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key);
    char p[96];
    bpa_json_path_key(p, sizeof p, path, key);
    if (!a)
        *st = bpa_json_fail(x->doc, o, path, x->err, "a grant result has \"%s\"", key);
    else
        *st = bpa_json_expect_array(x->doc, a, p, x->err);
    return *st == BPA_OK ? a : NULL;
}

static bpa_status category_of(rd *x, const cJSON *line, const char *path, bpa_category *c)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(line, "category");
    char p[96];
    bpa_json_path_key(p, sizeof p, path, "category");
    if (!cJSON_IsObject(o))
        return bpa_json_fail(x->doc, o ? o : line, o ? p : path, x->err,
                             "a wages line has a category {kind, band, step}");
    const char *kind = NULL, *band = NULL;
    long step = 0;
    bpa_status st;
    if ((st = bpa_json_get_string(x->doc, o, p, "kind", true, &kind, x->err)) != BPA_OK ||
        (st = bpa_json_get_string(x->doc, o, p, "band", true, &band, x->err)) != BPA_OK ||
        (st = bpa_json_get_int(x->doc, o, p, "step", true, 0, 9999, &step, x->err)) != BPA_OK)
        return st;
    if (!bpa_kind_parse(BPA_COUNTRY_DK, kind, &c->kind))
        return bpa_json_fail(x->doc, cJSON_GetObjectItemCaseSensitive(o, "kind"), p, x->err,
                             "kind \"%s\" is not work or on_call", kind);
    if (strcmp(band, "any") == 0)
        c->band = BPA_BAND_ANY;
    else if (!bpa_band_parse(band, &c->band))
        return bpa_json_fail(x->doc, cJSON_GetObjectItemCaseSensitive(o, "band"), p, x->err,
                             "band \"%s\" is not a band", band);
    c->step = (int)step;
    return BPA_OK;
}

static bpa_status read_dk(rd *x, const cJSON *root)
{
    bpa_status st;
    const cJSON *lines = array_of(x, root, "$", "lines", &st);
    if (!lines)
        return st;
    mpq_t h, rate, amount;
    mpq_inits(h, rate, amount, NULL);
    size_t i = 0;
    char path[64];
    for (const cJSON *l = lines->child; l && st == BPA_OK; l = l->next, i++) {
        bpa_json_path_index(path, sizeof path, "$.lines", i);
        int y = 0, m = 0, rule = 0;
        bpa_category cat;
        st = month_of(x, l, path, "from", &y, &m);
        if (st == BPA_OK)
            st = bpa_json_get_enum(x->doc, l, path, "rule", true, DK_RULES, &rule, x->err);
        if (st == BPA_OK)
            st = exact(x, l, path, "amount", true, amount);
        if (st == BPA_OK && rule == 0) {
            st = category_of(x, l, path, &cat);
            if (st == BPA_OK)
                st = exact(x, l, path, "hours", true, h);
            if (st == BPA_OK)
                st = exact(x, l, path, "rate", true, rate);
        }
        if (st == BPA_OK && !add_line(x->r, &x->cap, y, m, rule == 0 ? &cat : NULL,
                                      DK_RULES[rule], rule != 3, rule == 0 ? h : NULL,
                                      rule == 0 ? rate : NULL, amount))
            st = bpa_error_set(x->err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    mpq_clears(h, rate, amount, NULL);
    if (st != BPA_OK)
        return st;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "totals");
    if (!cJSON_IsObject(t))
        return bpa_json_fail(x->doc, t ? t : root, t ? "$.totals" : "$", x->err,
                             "a grant result has \"totals\" with \"grant\"");
    return exact(x, t, "$.totals", "grant", true, x->r->total);
}

static bpa_status read_se(rd *x, const cJSON *root)
{
    bpa_status st;
    const cJSON *periods = array_of(x, root, "$", "periods", &st);
    if (!periods)
        return st;
    mpq_t g[BPA_SE_KINDS], fv, fb, rate, amount, kommun;
    for (int k = 0; k < BPA_SE_KINDS; k++)
        mpq_init(g[k]);
    mpq_inits(fv, fb, rate, amount, kommun, NULL);
    size_t pi = 0;
    char ppath[64], path[96], kpath[128];
    for (const cJSON *p = periods->child; p && st == BPA_OK; p = p->next, pi++) {
        bpa_json_path_index(ppath, sizeof ppath, "$.periods", pi);
        const cJSON *months = array_of(x, p, ppath, "months", &st);
        char mpath[96];
        bpa_json_path_key(mpath, sizeof mpath, ppath, "months");
        size_t mi = 0;
        for (const cJSON *m = months ? months->child : NULL; m && st == BPA_OK;
             m = m->next, mi++) {
            bpa_json_path_index(path, sizeof path, mpath, mi);
            int y = 0, mo = 0;
            st = month_of(x, m, path, "month", &y, &mo);
            for (int k = 0; k < BPA_SE_KINDS && st == BPA_OK; k++)
                st = exact(x, m, path, bpa_kind_name((bpa_kind)(BPA_KIND_AKTIV + k)), true,
                           g[k]);
            if (st == BPA_OK)
                st = exact(x, m, path, "factor_vantetid", true, fv);
            mpq_set_ui(fb, 0, 1);
            const cJSON *fbn = cJSON_GetObjectItemCaseSensitive(m, "factor_beredskap");
            if (st == BPA_OK && fbn && !cJSON_IsNull(fbn))
                st = exact(x, m, path, "factor_beredskap", true, fb);
            if (st == BPA_OK)
                st = exact(x, m, path, "rate", true, rate);
            if (st == BPA_OK)
                st = exact(x, m, path, "amount", true, amount);
            const cJSON *ks = cJSON_GetObjectItemCaseSensitive(m, "kommun_share");
            bool has_k = cJSON_IsObject(ks);
            if (st == BPA_OK && has_k) {
                bpa_json_path_key(kpath, sizeof kpath, path, "kommun_share");
                st = exact(x, ks, kpath, "amount", true, kommun);
            }
            mpq_srcptr gr[BPA_SE_KINDS] = {g[0], g[1], g[2]};
            if (st == BPA_OK &&
                !se_month(x->r, &x->cap, y, mo, gr, fv, fb, rate, amount, has_k, kommun))
                st = bpa_error_set(x->err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        }
    }
    for (int k = 0; k < BPA_SE_KINDS; k++)
        mpq_clear(g[k]);
    mpq_clears(fv, fb, rate, amount, kommun, NULL);
    if (st != BPA_OK)
        return st;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "totals");
    if (!cJSON_IsObject(t))
        return bpa_json_fail(x->doc, t ? t : root, t ? "$.totals" : "$", x->err,
                             "a budget result has \"totals\" with \"amount\"");
    return exact(x, t, "$.totals", "amount", true, x->r->total);
}

static const char *const FORMATS[] = {"bpa-grant-result/1", "bpa-se-grant-result/1", NULL};

static bpa_status build(void *out, const bpa_json_doc *doc, bpa_error *err)
{
    bpa_grant_record **res = out;
    const cJSON *root = doc->root;
    if (!cJSON_IsObject(root))
        return bpa_json_fail(doc, root, "$", err, "a grant result is a JSON object");
    int f = 0;
    bpa_status st = bpa_json_get_enum(doc, root, "$", "format", true, FORMATS, &f, err);
    if (st != BPA_OK)
        return st;
    bpa_grant_record *r = record_new();
    if (!r)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    r->from_result = true;
    r->country = f == 0 ? BPA_COUNTRY_DK : BPA_COUNTRY_SE;
    bool ok = true;
    r->file = dup(doc->name, &ok);
    memcpy(r->sha256, doc->sha256, sizeof r->sha256);
    rd x = {doc, r, 0, err};
    st = ok ? header(&x, root)
            : bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    if (st == BPA_OK)
        st = f == 0 ? read_dk(&x, root) : read_se(&x, root);
    if (st != BPA_OK) {
        bpa_grant_record_free(r);
        return st;
    }
    *res = r;
    return BPA_OK;
}

bpa_status bpa_grant_record_load(bpa_grant_record **out, const char *path, bpa_error *err)
{
    *out = NULL;
    return bpa_json_build(path, NULL, NULL, 0, BPA_E_INPUT, build, out, err);
}

bpa_status bpa_grant_record_load_mem(bpa_grant_record **out, const char *name, const char *data,
                                     size_t length, bpa_error *err)
{
    *out = NULL;
    return bpa_json_build(NULL, name, data, length, BPA_E_INPUT, build, out, err);
}

bool bpa_grant_record_is_result(const char *path)
{
    bpa_json_doc doc;
    bpa_error err;
    if (bpa_json_load_file(&doc, path, BPA_E_INPUT, &err) != BPA_OK)
        return false;
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(doc.root, "format");
    bool yes = cJSON_IsString(f) && (strcmp(f->valuestring, FORMATS[0]) == 0 ||
                                     strcmp(f->valuestring, FORMATS[1]) == 0);
    bpa_json_release(&doc);
    return yes;
}
