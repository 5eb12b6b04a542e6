/* The portfolio as JSON: bpa-portfolio-result/1, and one row as a line of
 * JSON for the pipe from a batch worker to its parent (bpa/portfolio.h). */
#include "bpa/portfolio.h"

#include <stdlib.h>
#include <string.h>

#include "bpa/num.h"
#include "bpa/version.h"
#include "core/alloc.h"
#include "result/portfolio_row.h"
#include "result/result_json.h"

#define FORMAT "bpa-portfolio-result/1"

static void opt_str(bpa_jw *w, cJSON *o, const char *key, const char *v)
{
    if (v)
        bpa_jw_str(w, o, key, v);
    else
        bpa_jw_null(w, o, key);
}

static void row(bpa_jw *w, cJSON *o, const bpa_portfolio_case *c)
{
    bpa_jw_str(w, o, "id", c->id);
    opt_str(w, o, "case", c->case_id);
    opt_str(w, o, "scheme", c->scheme);
    opt_str(w, o, "policy", c->policy);
    if (c->has_grant)
        bpa_jw_amount(w, o, "grant", c->grant);
    else
        bpa_jw_null(w, o, "grant");
    if (c->has_settlement) {
        cJSON *s = bpa_jw_object(w, o, "settlement");
        bpa_jw_amount(w, s, "balance", c->balance);
        bpa_jw_str(w, s, "direction", bpa_direction_name(c->direction));
        if (c->has_due)
            bpa_jw_date(w, s, "due_date", c->due);
        else
            bpa_jw_null(w, s, "due_date");
    } else
        bpa_jw_null(w, o, "settlement");
    cJSON *ws = bpa_jw_object(w, o, "warnings");
    bpa_jw_int(w, ws, "count", (long)c->nwarnings);
    cJSON *codes = bpa_jw_array(w, ws, "codes");
    for (size_t i = 0; i < c->nwarnings; i++) {
        cJSON *s = cJSON_CreateString(c->warnings[i]);
        if (!s || !codes || !cJSON_AddItemToArray(codes, s)) {
            cJSON_Delete(s);
            w->failed = true;
        }
    }
    if (c->error) {
        cJSON *e = bpa_jw_object(w, o, "error");
        bpa_jw_str(w, e, "message", c->error);
        bpa_jw_int(w, e, "exit_status", c->exit_status);
    } else
        bpa_jw_null(w, o, "error");
}

bpa_status bpa_portfolio_case_to_line(const bpa_portfolio_case *c, char **line, bpa_error *err)
{
    *line = NULL;
    bpa_jw w = {false};
    cJSON *o = cJSON_CreateObject();
    if (o)
        row(&w, o, c);
    char *text = o && !w.failed ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    /* cJSON allocates through the library's hooks: hand back our own copy */
    *line = text ? bpa_strdup(text) : NULL;
    if (text)
        cJSON_free(text);
    if (!*line)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    return BPA_OK;
}

/* ---- reading a line back ---- */

static const char *jstr(const cJSON *o, const char *key, bool *ok)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsNull(v))
        return NULL;
    if (!cJSON_IsString(v))
        *ok = false;
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool jdup(char **dst, const char *s, bool *nomem)
{
    if (!s)
        return true;
    *dst = bpa_strdup(s);
    if (!*dst)
        *nomem = true;
    return *dst != NULL;
}

static bool jamount(mpq_t out, const char *s)
{
    /* whole cents, as _to_line writes them (see amount_at in portfolio.c) */
    return s && bpa_dec_parse(out, s, BPA_DEC_NEGATIVE | BPA_DEC_CENTS, NULL, 0) == BPA_OK;
}

bpa_status bpa_portfolio_case_from_line(bpa_portfolio_case **out, const char *line,
                                        bpa_error *err)
{
    *out = NULL;
    cJSON *o = cJSON_Parse(line);
    bool ok = o != NULL, nomem = false;
    const char *id = ok ? jstr(o, "id", &ok) : NULL;
    bpa_portfolio_case *c = NULL;
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "error");
    if (ok && id && cJSON_IsObject(e)) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(e, "exit_status");
        const char *msg = jstr(e, "message", &ok);
        if (ok && msg && cJSON_IsNumber(x))
            nomem = bpa_portfolio_case_failed(&c, id, msg, x->valueint, err) != BPA_OK;
        else
            ok = false;
    } else if (ok && id) {
        /* a succeeded row: the fields bpa_portfolio_case_to_line wrote */
        c = bpa_calloc(1, sizeof *c);
        if (c) {
            mpq_init(c->grant);
            mpq_init(c->balance);
        }
        if (!c || !jdup(&c->id, id, &nomem) || !jdup(&c->case_id, jstr(o, "case", &ok), &nomem) ||
            !jdup(&c->scheme, jstr(o, "scheme", &ok), &nomem) ||
            !jdup(&c->policy, jstr(o, "policy", &ok), &nomem))
            nomem = true;
        if (c && !nomem) {
            const char *g = jstr(o, "grant", &ok);
            c->has_grant = g != NULL;
            if (g && !jamount(c->grant, g))
                ok = false;
            const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "settlement");
            if (cJSON_IsObject(s)) {
                c->has_settlement = true;
                const char *due = jstr(s, "due_date", &ok);
                if (!jamount(c->balance, jstr(s, "balance", &ok)) ||
                    !bpa_portfolio_direction_parse(jstr(s, "direction", &ok), &c->direction) ||
                    (due && !bpa_date_parse(due, &c->due)))
                    ok = false;
                c->has_due = due != NULL;
            }
            const cJSON *codes =
                cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, "warnings"),
                                                 "codes");
            size_t n = cJSON_IsArray(codes) ? (size_t)cJSON_GetArraySize(codes) : 0;
            ok = ok && cJSON_IsArray(codes);
            c->warnings = bpa_calloc(n ? n : 1, sizeof *c->warnings);
            nomem = nomem || !c->warnings;
            const cJSON *k;
            /* an object under "codes" has children too: only an array's are codes */
            const cJSON *list = cJSON_IsArray(codes) ? codes : NULL;
            cJSON_ArrayForEach(k, list)
            {
                if (nomem || !cJSON_IsString(k)) {
                    ok = ok && cJSON_IsString(k);
                    break;
                }
                if (jdup(&c->warnings[c->nwarnings], k->valuestring, &nomem))
                    c->nwarnings++;
            }
        }
    } else
        ok = false;
    cJSON_Delete(o);
    if (nomem || !ok) {
        bpa_portfolio_case_free(c);
        if (nomem)
            return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        return bpa_error_set(err, BPA_E_INPUT, "<worker>", 0, 0, NULL,
                             "a batch worker sent a row that is not a portfolio row");
    }
    *out = c;
    return BPA_OK;
}

bpa_status bpa_portfolio_to_json(const bpa_portfolio *p, char **json, bpa_error *err)
{
    bpa_jw w;
    cJSON *root = bpa_jw_begin(&w, FORMAT);
    cJSON *engine = bpa_jw_object(&w, root, "engine");
    bpa_jw_str(&w, engine, "name", "bpa");
    bpa_jw_str(&w, engine, "version", bpa_version());
    bpa_jw_int(&w, root, "cases", (long)p->ncases);
    bpa_jw_int(&w, root, "failed", (long)p->nfailed);
    cJSON *rows = bpa_jw_array(&w, root, "rows");
    for (size_t i = 0; i < p->ncases; i++)
        row(&w, bpa_jw_item(&w, rows), p->cases[i]);
    cJSON *totals = bpa_jw_array(&w, root, "totals");
    for (size_t i = 0; i < p->ntotals; i++) {
        const bpa_portfolio_total *t = &p->totals[i];
        cJSON *o = bpa_jw_item(&w, totals);
        bpa_jw_str(&w, o, "scheme", t->scheme);
        if (t->has_direction)
            bpa_jw_str(&w, o, "direction", bpa_direction_name(t->direction));
        else
            bpa_jw_null(&w, o, "direction");
        bpa_jw_int(&w, o, "cases", (long)t->cases);
        bpa_jw_amount(&w, o, "grant", t->grant);
        if (t->has_direction)
            bpa_jw_amount(&w, o, "balance", t->balance);
        else
            bpa_jw_null(&w, o, "balance");
    }
    return bpa_jw_finish(&w, root, json, err);
}
