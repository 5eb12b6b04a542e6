/* The portfolio's records and sums (bpa/portfolio.h): a row read from the
 * result JSONs a case wrote, exact totals per scheme and direction. */
#include "bpa/portfolio.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/num.h"
#include "core/alloc.h"
#include "result/portfolio_row.h"

static bpa_status nomem(bpa_error *err)
{
    return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
}

static bpa_portfolio_case *case_new(void)
{
    bpa_portfolio_case *c = bpa_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    mpq_init(c->grant);
    mpq_init(c->balance);
    return c;
}

void bpa_portfolio_case_free(bpa_portfolio_case *c)
{
    if (!c)
        return;
    free(c->id);
    free(c->case_id);
    free(c->scheme);
    free(c->policy);
    for (size_t i = 0; i < c->nwarnings; i++)
        free(c->warnings[i]);
    free(c->warnings);
    free(c->error);
    mpq_clear(c->grant);
    mpq_clear(c->balance);
    free(c);
}


bool bpa_portfolio_direction_parse(const char *text, bpa_direction *out)
{
    static const bpa_direction all[] = {BPA_SETTLED, BPA_REPAY, BPA_PAY_OUT};
    for (size_t i = 0; text && i < sizeof all / sizeof all[0]; i++)
        if (strcmp(text, bpa_direction_name(all[i])) == 0) {
            *out = all[i];
            return true;
        }
    return false;
}

/* ---- reading a result ---- */

typedef struct rd {
    const char *name;
    bpa_error *err;
    bpa_status st;
} rd;

static bool bad(rd *r, const char *path, const char *what)
{
    if (r->st == BPA_OK)
        r->st = bpa_error_set(r->err, BPA_E_INPUT, r->name, 0, 0, path,
                              "%s: not a bpa result as this engine writes it", what);
    return false;
}

static const char *str_at(rd *r, const cJSON *o, const char *key, const char *path)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsString(v)) {
        bad(r, path, "expected a string");
        return NULL;
    }
    return v->valuestring;
}

static bool amount_at(rd *r, mpq_t out, const cJSON *o, const char *key, const char *path)
{
    const char *s = str_at(r, o, key, path);
    if (!s)
        return false;
    /* whole cents, as bpa writes them: a row shows its amount rounded to
     * cents, the totals sum what was read, and the two must agree */
    if (bpa_dec_parse(out, s, BPA_DEC_NEGATIVE | BPA_DEC_CENTS, NULL, 0) != BPA_OK)
        return bad(r, path, "expected an amount with at most two decimals");
    return true;
}

static bool dup_to(rd *r, char **dst, const char *s)
{
    free(*dst);
    *dst = s ? bpa_strdup(s) : NULL;
    if (s && !*dst && r->st == BPA_OK)
        r->st = nomem(r->err);
    return !s || *dst;
}

static void header(rd *r, bpa_portfolio_case *c, const cJSON *root)
{
    const cJSON *pol = cJSON_GetObjectItemCaseSensitive(root, "policy");
    dup_to(r, &c->case_id, str_at(r, root, "case", "$.case"));
    dup_to(r, &c->scheme, str_at(r, root, "scheme", "$.scheme"));
    dup_to(r, &c->policy, str_at(r, pol, "id", "$.policy.id"));
}

static void warnings(rd *r, bpa_portfolio_case *c, const cJSON *root)
{
    const cJSON *ws = cJSON_GetObjectItemCaseSensitive(root, "warnings");
    if (!cJSON_IsArray(ws)) {
        bad(r, "$.warnings", "expected an array");
        return;
    }
    for (size_t i = 0; i < c->nwarnings; i++)
        free(c->warnings[i]);
    free(c->warnings);
    c->nwarnings = 0;
    size_t n = (size_t)cJSON_GetArraySize(ws);
    c->warnings = bpa_calloc(n ? n : 1, sizeof *c->warnings);
    if (!c->warnings) {
        r->st = nomem(r->err);
        return;
    }
    const cJSON *w;
    cJSON_ArrayForEach(w, ws)
    {
        const char *code = str_at(r, w, "code", "$.warnings[].code");
        if (!code || !dup_to(r, &c->warnings[c->nwarnings], code))
            return;
        c->nwarnings++;
    }
}

static void settlement(rd *r, bpa_portfolio_case *c, const cJSON *root)
{
    header(r, c, root);
    warnings(r, c, root);
    if (!amount_at(r, c->balance, root, "balance", "$.balance"))
        return;
    if (!bpa_portfolio_direction_parse(str_at(r, root, "direction", "$.direction"),
                                       &c->direction)) {
        bad(r, "$.direction", "expected settled, repay or pay_out");
        return;
    }
    c->has_settlement = true;
    /* Danish: due_date; Swedish: each period's slutavräkning, the last one
     * being when the whole account is final */
    const char *due = NULL;
    const cJSON *periods = cJSON_GetObjectItemCaseSensitive(root, "periods");
    if (cJSON_GetObjectItemCaseSensitive(root, "due_date"))
        due = str_at(r, root, "due_date", "$.due_date");
    else if (cJSON_IsArray(periods) && cJSON_GetArraySize(periods) > 0) {
        const cJSON *last = cJSON_GetArrayItem(periods, cJSON_GetArraySize(periods) - 1);
        due = str_at(r, last, "slutavrakning_due", "$.periods[-1].slutavrakning_due");
    }
    if (due && bpa_date_parse(due, &c->due))
        c->has_due = true;
    else if (due)
        bad(r, "$.due_date", "expected a date");
}

bpa_status bpa_portfolio_case_from_results(bpa_portfolio_case **out, const char *id,
                                           const char *name, const char *grant_json,
                                           const char *settlement_json, bpa_error *err)
{
    *out = NULL;
    bpa_portfolio_case *c = case_new();
    if (!c || !(c->id = bpa_strdup(id))) {
        bpa_portfolio_case_free(c);
        return nomem(err);
    }
    rd r = {name, err, BPA_OK};
    cJSON *g = cJSON_Parse(grant_json);
    if (!g)
        bad(&r, "$", "not JSON");
    else {
        header(&r, c, g);
        warnings(&r, c, g);
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(g, "totals");
        /* the Danish grant's total, or the Swedish budget's amount */
        const char *key = cJSON_GetObjectItemCaseSensitive(t, "grant") ? "grant" : "amount";
        if (amount_at(&r, c->grant, t, key, "$.totals"))
            c->has_grant = true;
    }
    cJSON_Delete(g);
    if (r.st == BPA_OK && settlement_json) {
        cJSON *s = cJSON_Parse(settlement_json);
        if (!s)
            bad(&r, "$", "not JSON");
        else
            settlement(&r, c, s);
        cJSON_Delete(s);
    }
    if (r.st != BPA_OK) {
        bpa_portfolio_case_free(c);
        return r.st;
    }
    *out = c;
    return BPA_OK;
}

bpa_status bpa_portfolio_case_failed(bpa_portfolio_case **out, const char *id,
                                     const char *message, int exit_status, bpa_error *err)
{
    *out = NULL;
    bpa_portfolio_case *c = case_new();
    if (!c || !(c->id = bpa_strdup(id)) || !(c->error = bpa_strdup(message))) {
        bpa_portfolio_case_free(c);
        return nomem(err);
    }
    c->exit_status = exit_status;
    *out = c;
    return BPA_OK;
}

/* ---- the portfolio ---- */

bpa_status bpa_portfolio_new(bpa_portfolio **out, bpa_error *err)
{
    *out = bpa_calloc(1, sizeof **out);
    return *out ? BPA_OK : nomem(err);
}

bpa_status bpa_portfolio_add(bpa_portfolio *p, bpa_portfolio_case *c, bpa_error *err)
{
    if (p->ncases == p->capcases) {
        size_t cap = p->capcases ? 2 * p->capcases : 64;
        bpa_portfolio_case **nc = bpa_realloc(p->cases, cap * sizeof *nc);
        if (!nc) {
            bpa_portfolio_case_free(c);
            return nomem(err);
        }
        p->cases = nc;
        p->capcases = cap;
    }
    p->cases[p->ncases++] = c;
    if (c->error)
        p->nfailed++;
    return BPA_OK;
}

static int by_id(const void *a, const void *b)
{
    const bpa_portfolio_case *x = *(const bpa_portfolio_case *const *)a;
    const bpa_portfolio_case *y = *(const bpa_portfolio_case *const *)b;
    return strcmp(x->id, y->id);
}

/* none first, then settled, repay, pay_out (the enum's order) */
static int dir_rank(bool has, bpa_direction d) { return has ? 1 + (int)d : 0; }

static bpa_portfolio_total *total_of(bpa_portfolio *p, const bpa_portfolio_case *c)
{
    for (size_t i = 0; i < p->ntotals; i++) {
        bpa_portfolio_total *t = &p->totals[i];
        if (strcmp(t->scheme, c->scheme) == 0 && t->has_direction == c->has_settlement &&
            (!c->has_settlement || t->direction == c->direction))
            return t;
    }
    return NULL;
}

static int total_cmp(const void *a, const void *b)
{
    const bpa_portfolio_total *x = a, *y = b;
    int k = strcmp(x->scheme, y->scheme);
    if (k)
        return k;
    return dir_rank(x->has_direction, x->direction) - dir_rank(y->has_direction, y->direction);
}

bpa_status bpa_portfolio_finish(bpa_portfolio *p, bpa_error *err)
{
    if (p->ncases)
        qsort(p->cases, p->ncases, sizeof *p->cases, by_id);
    /* at most one total per succeeded case */
    p->totals = bpa_calloc(p->ncases ? p->ncases : 1, sizeof *p->totals);
    if (!p->totals)
        return nomem(err);
    for (size_t i = 0; i < p->ncases; i++) {
        const bpa_portfolio_case *c = p->cases[i];
        if (c->error || !c->scheme)
            continue;
        bpa_portfolio_total *t = total_of(p, c);
        if (!t) {
            t = &p->totals[p->ntotals];
            if (!(t->scheme = bpa_strdup(c->scheme)))
                return nomem(err);
            p->ntotals++;
            t->has_direction = c->has_settlement;
            t->direction = c->has_settlement ? c->direction : BPA_SETTLED;
            mpq_init(t->grant);
            mpq_init(t->balance);
        }
        t->cases++;
        mpq_add(t->grant, t->grant, c->grant);
        if (c->has_settlement)
            mpq_add(t->balance, t->balance, c->balance);
    }
    if (p->ntotals)
        qsort(p->totals, p->ntotals, sizeof *p->totals, total_cmp);
    return BPA_OK;
}

void bpa_portfolio_free(bpa_portfolio *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->ncases; i++)
        bpa_portfolio_case_free(p->cases[i]);
    free(p->cases);
    for (size_t i = 0; i < p->ntotals; i++) {
        free(p->totals[i].scheme);
        mpq_clear(p->totals[i].grant);
        mpq_clear(p->totals[i].balance);
    }
    free(p->totals);
    free(p);
}
