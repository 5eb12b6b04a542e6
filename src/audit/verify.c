/* bpa verify (RULES.md 13): recompute, recognise the account, compare. The
 * comparison is made on the result JSON as bpa_settle_to_json renders the
 * recomputation, so a JSON account, a claim and the stamps all meet the
 * same figures; workbooks: verify_workbook.c. */
#include "bpa/verify.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/verify_int.h"
#include "bpa/num.h"
#include "bpa/workbook.h"
#include "core/alloc.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "io/json.h"

const char *bpa_difference_kind_name(bpa_difference_kind k)
{
    switch (k) {
    case BPA_DIFF_FIGURE: return "figure";
    case BPA_DIFF_INPUT: return "input";
    case BPA_DIFF_FORMULA: return "formula";
    case BPA_DIFF_MISSING: return "missing";
    }
    return "figure";
}

const char *bpa_account_kind_name(bpa_account_kind k)
{
    switch (k) {
    case BPA_ACCOUNT_RESULT: return "result";
    case BPA_ACCOUNT_WORKBOOK: return "workbook";
    case BPA_ACCOUNT_CLAIM: return "claim";
    }
    return "result";
}

bpa_status vf_nomem(bpa_error *err)
{
    return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
}

static char *dup_or_null(const char *s, bool *failed)
{
    if (!s)
        return NULL;
    char *d = bpa_strdup(s);
    if (!d)
        *failed = true;
    return d;
}

bpa_status vf_diff(bpa_verify_result *r, bpa_difference_kind kind, const char *field,
                   const char *expected, const char *found, const char *where, bpa_error *err)
{
    bpa_difference *d = bpa_realloc(r->differences, (r->ndifferences + 1) * sizeof *d);
    if (!d)
        return vf_nomem(err);
    r->differences = d;
    d += r->ndifferences;
    bool failed = false;
    d->kind = kind;
    d->field = dup_or_null(field, &failed);
    d->expected = dup_or_null(expected, &failed);
    d->found = dup_or_null(found, &failed);
    d->where = dup_or_null(where, &failed);
    r->ndifferences++;
    r->agree = false;
    return failed ? vf_nomem(err) : BPA_OK;
}

bpa_status vf_stamp_add(bpa_stamp *st, const char *name, const char *sha256, bpa_error *err)
{
    bpa_stamp_file *f = bpa_realloc(st->inputs, (st->ninputs + 1) * sizeof *f);
    if (!f)
        return vf_nomem(err);
    st->inputs = f;
    f += st->ninputs++;
    bool failed = false;
    f->name = dup_or_null(name ? name : "", &failed);
    f->sha256 = dup_or_null(sha256 ? sha256 : "", &failed);
    return failed ? vf_nomem(err) : BPA_OK;
}

static void stamp_release(bpa_stamp *st)
{
    free(st->engine);
    for (size_t i = 0; i < st->ninputs; i++) {
        free(st->inputs[i].name);
        free(st->inputs[i].sha256);
    }
    free(st->inputs);
}

void bpa_verify_free(bpa_verify_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ndifferences; i++) {
        free(r->differences[i].field);
        free(r->differences[i].expected);
        free(r->differences[i].found);
        free(r->differences[i].where);
    }
    free(r->differences);
    stamp_release(&r->expected);
    stamp_release(&r->found);
    free(r->account);
    free(r->case_id);
    free(r);
}

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool vf_number_parse(mpq_t out, const char *text, size_t len)
{
    char buf[72];
    if (len == 0 || len > 64)
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    const char *slash = strchr(buf, '/');
    if (slash) { /* N/D: an _exact figure */
        const char *n = buf[0] == '-' ? buf + 1 : buf;
        size_t dn = (size_t)(slash - n), dd = strlen(slash + 1);
        if (!all_digits(n, dn) || !all_digits(slash + 1, dd) || strspn(slash + 1, "0") == dd)
            return false;
        return mpq_set_str(out, buf, 10) == 0 && (mpq_canonicalize(out), true);
    }
    size_t i = 0;
    bool neg = buf[i] == '-';
    if (neg || buf[i] == '+')
        i++;
    size_t int_start = i;
    while (buf[i] >= '0' && buf[i] <= '9')
        i++;
    size_t int_len = i - int_start, frac_start = i, frac_len = 0;
    if (buf[i] == '.') {
        frac_start = ++i;
        while (buf[i] >= '0' && buf[i] <= '9')
            i++;
        frac_len = i - frac_start;
    }
    if (int_len + frac_len == 0)
        return false;
    long exp = 0;
    if (buf[i] == 'E' || buf[i] == 'e') {
        i++;
        bool eneg = buf[i] == '-';
        if (eneg || buf[i] == '+')
            i++;
        size_t es = i;
        while (buf[i] >= '0' && buf[i] <= '9' && i - es < 4)
            exp = exp * 10 + (buf[i++] - '0');
        if (i == es)
            return false;
        if (eneg)
            exp = -exp;
    }
    if (buf[i] != '\0')
        return false;
    char digits[72];
    memcpy(digits, buf + int_start, int_len);
    memcpy(digits + int_len, buf + frac_start, frac_len);
    digits[int_len + frac_len] = '\0';
    mpz_t num, den;
    mpz_init_set_str(num, digits, 10);
    mpz_init_set_ui(den, 1);
    exp -= (long)frac_len;
    mpz_t p10;
    mpz_init(p10);
    mpz_ui_pow_ui(p10, 10, (unsigned long)(exp < 0 ? -exp : exp));
    if (exp < 0)
        mpz_set(den, p10);
    else
        mpz_mul(num, num, p10);
    if (neg)
        mpz_neg(num, num);
    mpq_set_num(out, num);
    mpq_set_den(out, den);
    mpq_canonicalize(out);
    mpz_clears(num, den, p10, NULL);
    return true;
}

/* ---- the JSON side ------------------------------------------------------ */

/* The stamp and the derivation records: compared apart or not at all. */
static bool skipped_key(int depth, const char *key)
{
    static const char *const top[] = {"engine", "policy", "inputs", "warnings",
                                      "trace",  "params_used", NULL};
    if (strcmp(key, "trace") == 0 || strcmp(key, "derivation") == 0 ||
        strcmp(key, "derivations") == 0 || strcmp(key, "sha256") == 0)
        return true;
    if (depth == 0)
        for (size_t i = 0; top[i]; i++)
            if (strcmp(key, top[i]) == 0)
                return true;
    return false;
}

/* A leaf's text: a string's content, a number's digits as written, true/false/null. */
static char *leaf_text(const bpa_json_doc *doc, const cJSON *n)
{
    if (cJSON_IsString(n))
        return bpa_strdup(n->valuestring);
    if (cJSON_IsNumber(n)) {
        size_t len;
        const char *raw = bpa_json_raw(doc, n, &len);
        char *t = bpa_malloc(len + 1);
        if (t) {
            memcpy(t, raw ? raw : "", raw ? len : 0);
            t[raw ? len : 0] = '\0';
        }
        return t;
    }
    return bpa_strdup(cJSON_IsTrue(n) ? "true" : cJSON_IsFalse(n) ? "false" : "null");
}

static bool texts_agree(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return true;
    mpq_t x, y;
    mpq_inits(x, y, NULL);
    bool same = vf_number_parse(x, a, strlen(a)) && vf_number_parse(y, b, strlen(b)) &&
                mpq_equal(x, y);
    mpq_clears(x, y, NULL);
    return same;
}

typedef struct json_cmp {
    bpa_verify_result *r;
    const bpa_json_doc *exp, *got;
    bpa_error *err;
    bpa_status st;
    bool other_version; /* the account's engine is another: a key one version writes and the
                           other does not is the format's change, not a difference */
} json_cmp;

static bool is_leaf(const cJSON *n) { return !cJSON_IsObject(n) && !cJSON_IsArray(n); }

static void path_child(bpa_strbuf *sb, const char *path, const char *key, long index)
{
    bpa_strbuf_init(sb);
    bpa_strbuf_add(sb, path);
    if (key)
        bpa_strbuf_addf(sb, "%s%s", *path ? "." : "", key);
    else
        bpa_strbuf_addf(sb, "[%ld]", index);
}

static void note(json_cmp *c, bpa_difference_kind k, const char *path, const char *e,
                 const char *f)
{
    if (c->st != BPA_OK)
        return;
    char *where = NULL;
    bpa_strbuf sb;
    bpa_strbuf_init(&sb);
    bpa_strbuf_addf(&sb, "$%s%s", *path && path[0] != '[' ? "." : "", path);
    where = bpa_strbuf_detach(&sb);
    c->st = where ? vf_diff(c->r, k, path, e, f, where, c->err) : vf_nomem(c->err);
    free(where);
}

/* Every leaf under n, as present on one side only. */
static void one_side(json_cmp *c, const bpa_json_doc *doc, const cJSON *n, const char *path,
                     int depth, bool expected_side)
{
    if (c->st != BPA_OK)
        return;
    if (is_leaf(n)) {
        char *t = leaf_text(doc, n);
        if (!t) {
            c->st = vf_nomem(c->err);
            return;
        }
        if (expected_side)
            c->r->checked++;
        note(c, BPA_DIFF_MISSING, path, expected_side ? t : NULL, expected_side ? NULL : t);
        free(t);
        return;
    }
    long i = 0;
    for (const cJSON *k = n->child; k && c->st == BPA_OK; k = k->next, i++) {
        if (cJSON_IsObject(n) && skipped_key(depth, k->string))
            continue;
        bpa_strbuf sb;
        path_child(&sb, path, cJSON_IsObject(n) ? k->string : NULL, i);
        char *p = bpa_strbuf_detach(&sb);
        if (!p) {
            c->st = vf_nomem(c->err);
            return;
        }
        one_side(c, doc, k, p, depth + 1, expected_side);
        free(p);
    }
}

static void compare_nodes(json_cmp *c, const cJSON *e, const cJSON *g, const char *path,
                          int depth)
{
    if (c->st != BPA_OK)
        return;
    if (is_leaf(e) || is_leaf(g) || cJSON_IsObject(e) != cJSON_IsObject(g)) {
        if (!is_leaf(e) || !is_leaf(g)) { /* a value against a list or an object */
            one_side(c, c->exp, e, path, depth, true);
            one_side(c, c->got, g, path, depth, false);
            return;
        }
        char *te = leaf_text(c->exp, e), *tg = leaf_text(c->got, g);
        c->r->checked++;
        if (!te || !tg)
            c->st = vf_nomem(c->err);
        else if (!texts_agree(te, tg) || cJSON_IsString(e) != cJSON_IsString(g))
            note(c, BPA_DIFF_FIGURE, path, te, tg);
        free(te);
        free(tg);
        return;
    }
    bool obj = cJSON_IsObject(e);
    long i = 0;
    const cJSON *gk = g->child;
    for (const cJSON *k = e->child; k && c->st == BPA_OK; k = k->next, i++) {
        if (obj && skipped_key(depth, k->string))
            continue;
        const cJSON *other = obj ? cJSON_GetObjectItemCaseSensitive(g, k->string) : gk;
        bpa_strbuf sb;
        path_child(&sb, path, obj ? k->string : NULL, i);
        char *p = bpa_strbuf_detach(&sb);
        if (!p) {
            c->st = vf_nomem(c->err);
            return;
        }
        if (other)
            compare_nodes(c, k, other, p, depth + 1);
        else if (!(obj && c->other_version))
            one_side(c, c->exp, k, p, depth + 1, true);
        free(p);
        if (!obj && gk)
            gk = gk->next;
    }
    /* what only the account has */
    for (const cJSON *k = obj ? g->child : gk; k && c->st == BPA_OK; k = k->next, i++) {
        if (obj && (c->other_version || skipped_key(depth, k->string) ||
                    cJSON_GetObjectItemCaseSensitive(e, k->string)))
            continue;
        bpa_strbuf sb;
        path_child(&sb, path, obj ? k->string : NULL, i);
        char *p = bpa_strbuf_detach(&sb);
        if (!p) {
            c->st = vf_nomem(c->err);
            return;
        }
        one_side(c, c->got, k, p, depth + 1, false);
        free(p);
    }
}

/* engine and inputs[] of a result into a stamp. */
static bpa_status stamp_of_json(bpa_stamp *st, const cJSON *root, bpa_error *err)
{
    const cJSON *eng = cJSON_GetObjectItemCaseSensitive(root, "engine");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(eng, "name");
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(eng, "version");
    if (cJSON_IsString(name) && cJSON_IsString(ver)) {
        bpa_strbuf sb;
        bpa_strbuf_init(&sb);
        bpa_strbuf_addf(&sb, "%s %s", name->valuestring, ver->valuestring);
        if (!(st->engine = bpa_strbuf_detach(&sb)))
            return vf_nomem(err);
    }
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(root, "inputs");
    const cJSON *f;
    cJSON_ArrayForEach(f, in)
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(f, "name");
        const cJSON *h = cJSON_GetObjectItemCaseSensitive(f, "sha256");
        bpa_status s = vf_stamp_add(st, cJSON_IsString(n) ? n->valuestring : "",
                                    cJSON_IsString(h) ? h->valuestring : "", err);
        if (s != BPA_OK)
            return s;
    }
    return BPA_OK;
}

static bool stamps_equal(const bpa_stamp *a, const bpa_stamp *b)
{
    if (!a->engine || !b->engine || strcmp(a->engine, b->engine) != 0 ||
        a->ninputs != b->ninputs)
        return false;
    for (size_t i = 0; i < a->ninputs; i++)
        if (strcmp(a->inputs[i].name, b->inputs[i].name) != 0 ||
            strcmp(a->inputs[i].sha256, b->inputs[i].sha256) != 0)
            return false;
    return true;
}

/* case and year of the account against the recomputation's. */
static bpa_status check_case_year(const bpa_verify_result *r, const bpa_json_doc *got,
                                  bpa_error *err)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(got->root, "case");
    const cJSON *y = cJSON_GetObjectItemCaseSensitive(got->root, "year");
    unsigned line, col;
    if (!cJSON_IsString(c) || strcmp(c->valuestring, r->case_id) != 0) {
        bpa_json_where(got, c ? c : got->root, &line, &col);
        return bpa_error_set(err, BPA_E_INPUT, got->name, line, col, "$.case",
                             "the account is for case %s, the case file for %s: verify an "
                             "account against the case and usage files it was made from",
                             cJSON_IsString(c) ? c->valuestring : "(none)", r->case_id);
    }
    size_t len = 0;
    const char *raw = cJSON_IsNumber(y) ? bpa_json_raw(got, y, &len) : NULL;
    char want[16];
    snprintf(want, sizeof want, "%d", r->year);
    if (!raw || len != strlen(want) || memcmp(raw, want, len) != 0) {
        bpa_json_where(got, y ? y : got->root, &line, &col);
        return bpa_error_set(err, BPA_E_INPUT, got->name, line, col, "$.year",
                             "the account is for year %.*s, the case file for %d: verify an "
                             "account against the case and usage files of its year",
                             raw ? (int)len : 6, raw ? raw : "(none)", r->year);
    }
    return BPA_OK;
}

static bpa_status compare_result(bpa_verify_result *r, const bpa_json_doc *exp,
                                 const bpa_json_doc *got, bpa_error *err)
{
    r->kind = BPA_ACCOUNT_RESULT;
    bpa_status st = check_case_year(r, got, err);
    if (st == BPA_OK)
        st = stamp_of_json(&r->found, got->root, err);
    if (st != BPA_OK)
        return st;
    json_cmp c = {r, exp, got, err, BPA_OK,
                  !r->found.engine || !r->expected.engine ||
                      strcmp(r->found.engine, r->expected.engine) != 0};
    compare_nodes(&c, exp->root, got->root, "", 0);
    return c.st;
}

/* ---- claims --------------------------------------------------------------- */

/* The recomputed node at a path "lines.admin", "periods[1].months[2].paid". */
static const cJSON *lookup(const cJSON *root, const char *path)
{
    const cJSON *n = root;
    char key[128];
    while (n && *path) {
        if (*path == '.')
            path++;
        if (*path == '[') {
            long i = strtol(path + 1, (char **)&path, 10);
            n = cJSON_GetArrayItem(n, (int)i);
            path += *path == ']';
            continue;
        }
        size_t k = strcspn(path, ".[");
        if (k >= sizeof key)
            return NULL;
        memcpy(key, path, k);
        key[k] = '\0';
        n = cJSON_GetObjectItemCaseSensitive(n, key);
        path += k;
    }
    return n;
}

static bool str_is(const cJSON *o, const char *key, const char *want)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!want)
        return !v || cJSON_IsNull(v);
    return cJSON_IsString(v) && strcmp(v->valuestring, want) == 0;
}

/* A category as far as the claim names it: kind, and band and step when given. */
static bool category_is(const bpa_json_doc *doc, const cJSON *cat, const vf_claim_fig *f)
{
    if (!str_is(cat, "kind", f->kind) || (f->band && !str_is(cat, "band", f->band)))
        return false;
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(cat, "step");
    if (!f->step)
        return true;
    size_t len = 0;
    const char *raw = cJSON_IsNumber(s) ? bpa_json_raw(doc, s, &len) : NULL;
    return raw && len == strlen(f->step) && memcmp(raw, f->step, len) == 0;
}

/* The result's path a claim figure means, into sb; false when the recomputation has no
 * such category, period or month. */
static bool claim_path(const bpa_json_doc *exp, const vf_claim_fig *f, bpa_strbuf *sb)
{
    const cJSON *root = exp->root;
    if (f->sel == VF_CLAIM_TOP) {
        bpa_strbuf_add(sb, f->field);
        return true;
    }
    if (f->sel == VF_CLAIM_CATEGORY) { /* one category: its path (several: category_sum) */
        int i = 0, found = -1, n = 0;
        const cJSON *o;
        cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(root, "categories"))
        {
            if (category_is(exp, cJSON_GetObjectItemCaseSensitive(o, "category"), f)) {
                found = i;
                n++;
            }
            i++;
        }
        if (n != 1)
            return false;
        bpa_strbuf_addf(sb, "categories[%d].%s", found, f->field);
        return true;
    }
    int i = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(root, "periods"))
    {
        if (str_is(p, "from", f->from) && str_is(p, "to", f->to)) {
            if (f->sel == VF_CLAIM_PERIOD) {
                bpa_strbuf_addf(sb, "periods[%d].%s", i, f->field);
                return true;
            }
            int j = 0;
            const cJSON *m;
            cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(p, "months"))
            {
                if (str_is(m, "month", f->month)) {
                    bpa_strbuf_addf(sb, "periods[%d].months[%d].%s", i, j, f->field);
                    return true;
                }
                j++;
            }
            return false;
        }
        i++;
    }
    return false;
}

/* What a figure with no counterpart is called: the claim's own words. */
static void claim_name(const vf_claim_fig *f, bpa_strbuf *sb)
{
    switch (f->sel) {
    case VF_CLAIM_TOP: bpa_strbuf_add(sb, f->field); break;
    case VF_CLAIM_CATEGORY:
        bpa_strbuf_addf(sb, "used %s/%s/%s", f->kind, f->band ? f->band : "*",
                        f->step ? f->step : "*");
        break;
    case VF_CLAIM_PERIOD: bpa_strbuf_addf(sb, "period %s to %s: %s", f->from, f->to, f->field); break;
    case VF_CLAIM_MONTH:
        bpa_strbuf_addf(sb, "period %s to %s, %s: %s", f->from, f->to, f->month, f->field);
        break;
    }
}

/* The used hours of every category a claim's row names when it names several (kind
 * without band or step): their exact sum at four decimals, as the result writes hours;
 * NULL when it names none. */
static char *category_sum(const bpa_json_doc *exp, const vf_claim_fig *f, bool *nomem)
{
    mpq_t sum, q;
    mpq_inits(sum, q, NULL);
    size_t n = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(exp->root, "categories"))
    {
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(o, f->field);
        if (category_is(exp, cJSON_GetObjectItemCaseSensitive(o, "category"), f) &&
            cJSON_IsString(u) && vf_number_parse(q, u->valuestring, strlen(u->valuestring))) {
            mpq_add(sum, sum, q);
            n++;
        }
    }
    char *t = n ? bpa_fmt_fixed(sum, 4) : NULL;
    if (n && !t)
        *nomem = true;
    mpq_clears(sum, q, NULL);
    return t;
}

static bpa_status compare_claim(bpa_verify_result *r, const bpa_json_doc *exp,
                                const char *account, bpa_error *err)
{
    vf_claim *cl = NULL;
    bpa_status st = vf_claim_load(&cl, account, r->se, err);
    if (st != BPA_OK)
        return st;
    r->kind = BPA_ACCOUNT_CLAIM;
    memcpy(r->account_sha256, cl->sha256, sizeof r->account_sha256);
    if (strcmp(cl->case_id, r->case_id) != 0)
        st = bpa_error_set(err, BPA_E_INPUT, account, cl->case_line, cl->case_col, "$.case",
                           "the claim is for case %s, the case file for %s: verify a claim "
                           "against the case and usage files of its case",
                           cl->case_id, r->case_id);
    else if (cl->year != r->year)
        st = bpa_error_set(err, BPA_E_INPUT, account, cl->year_line, cl->year_col, "$.year",
                           "the claim is for year %ld, the case file for %d", cl->year, r->year);
    for (size_t i = 0; i < cl->nfigs && st == BPA_OK; i++) {
        const vf_claim_fig *f = &cl->figs[i];
        bpa_strbuf sb;
        bpa_strbuf_init(&sb);
        bool known = claim_path(exp, f, &sb);
        const cJSON *n = known && sb.buf ? lookup(exp->root, sb.buf) : NULL;
        char *want = n && is_leaf(n) ? leaf_text(exp, n) : NULL;
        bool nomem = n && is_leaf(n) && !want;
        if (!n) {
            bpa_strbuf_release(&sb);
            bpa_strbuf_init(&sb);
            claim_name(f, &sb);
            if (f->sel == VF_CLAIM_CATEGORY)
                want = category_sum(exp, f, &nomem);
        }
        char *field = bpa_strbuf_detach(&sb);
        r->checked++;
        if (!field || nomem)
            st = vf_nomem(err);
        else if (!want)
            st = vf_diff(r, BPA_DIFF_MISSING, field, NULL, f->value, f->where, err);
        else if (!texts_agree(want, f->value))
            st = vf_diff(r, BPA_DIFF_FIGURE, field, want, f->value, f->where, err);
        free(field);
        free(want);
    }
    vf_claim_free(cl);
    return st;
}

/* ---- recognising the account ---------------------------------------------- */

static const char what_account[] =
    "ACCOUNT is a settlement result JSON (bpa-settlement-result/1, "
    "bpa-se-settlement-result/1), an account workbook written by bpa (.xlsx) or a "
    "claim (\"format\": \"bpa-claim/1\")";

typedef enum { AC_ZIP, AC_JSON, AC_OTHER } account_shape;

static bpa_status account_shape_of(const char *path, account_shape *shape, bpa_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return bpa_error_set(err, BPA_E_IO, path, 0, 0, NULL, "cannot open: %s",
                             strerror(errno));
    unsigned char b[64];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    size_t i = 0;
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        i = 3;
    if (n >= 4 && memcmp(b, "PK\x03\x04", 4) == 0) {
        *shape = AC_ZIP;
        return BPA_OK;
    }
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
        i++;
    *shape = i < n && b[i] == '{' ? AC_JSON : AC_OTHER;
    return BPA_OK;
}

typedef struct verify_in {
    const void *settlement;
    bool se;
    const char *case_id;
    int year;
    bpa_lang lang;
    bpa_status (*to_json)(const void *s, char **json, bpa_error *err);
    vf_workbook_fn workbook;
} verify_in;

static bpa_status dk_to_json(const void *s, char **json, bpa_error *err)
{
    return bpa_settle_to_json(s, json, err);
}
static bpa_status se_to_json(const void *s, char **json, bpa_error *err)
{
    return bpa_se_settle_to_json(s, json, err);
}
static bpa_status dk_workbook(const void *s, const char *path, bpa_lang lang, bpa_error *err)
{
    return bpa_settle_workbook_write(s, path, lang, err);
}
static bpa_status se_workbook(const void *s, const char *path, bpa_lang lang, bpa_error *err)
{
    return bpa_se_settle_workbook_write(s, path, lang, err);
}

static bpa_status verify(bpa_verify_result **out, const verify_in *in, const char *account,
                         bpa_error *err)
{
    *out = NULL;
    bpa_verify_result *r = bpa_calloc(1, sizeof *r);
    if (!r)
        return vf_nomem(err);
    r->agree = true;
    r->se = in->se;
    r->year = in->year;
    r->account_lang = in->lang;
    r->account = bpa_strdup(account);
    r->case_id = bpa_strdup(in->case_id);
    char *json = NULL;
    bpa_json_doc exp = {0}, got = {0};
    bpa_status st = r->account && r->case_id ? BPA_OK : vf_nomem(err);
    if (st == BPA_OK)
        st = in->to_json(in->settlement, &json, err);
    if (st == BPA_OK)
        st = bpa_json_load_mem(&exp, "recomputation", json, strlen(json), BPA_E_INPUT, err);
    if (st == BPA_OK)
        st = stamp_of_json(&r->expected, exp.root, err);
    account_shape shape = AC_OTHER;
    if (st == BPA_OK)
        st = account_shape_of(account, &shape, err);
    if (st == BPA_OK && shape == AC_OTHER)
        st = bpa_error_set(err, BPA_E_INPUT, account, 0, 0, NULL,
                           "neither JSON nor a workbook: %s", what_account);
    if (st == BPA_OK && shape == AC_ZIP)
        st = vf_workbook(r, account, in->settlement, in->workbook, err);
    if (st == BPA_OK && shape == AC_JSON)
        st = bpa_json_load_file(&got, account, BPA_E_INPUT, err);
    if (st == BPA_OK && shape == AC_JSON) {
        memcpy(r->account_sha256, got.sha256, sizeof r->account_sha256);
        const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(got.root, "format");
        const char *want = in->se ? "bpa-se-settlement-result/1" : "bpa-settlement-result/1";
        const char *other = in->se ? "bpa-settlement-result/1" : "bpa-se-settlement-result/1";
        unsigned line, col;
        bpa_json_where(&got, fmt ? fmt : got.root, &line, &col);
        if (cJSON_IsString(fmt) && strcmp(fmt->valuestring, want) == 0)
            st = compare_result(r, &exp, &got, err);
        else if (cJSON_IsString(fmt) && strcmp(fmt->valuestring, "bpa-claim/1") == 0)
            st = compare_claim(r, &exp, account, err);
        else if (cJSON_IsString(fmt) && strcmp(fmt->valuestring, other) == 0)
            st = bpa_error_set(err, BPA_E_INPUT, account, line, col, "$.format",
                               "a %s result, but the case is %s: verify it against its own "
                               "case file",
                               in->se ? "Danish settlement" : "Swedish avräkning",
                               in->se ? "Swedish" : "Danish");
        else
            st = bpa_error_set(err, BPA_E_INPUT, account, line, col, "$.format",
                               "format is %s%s%s: %s",
                               cJSON_IsString(fmt) ? "\"" : "",
                               cJSON_IsString(fmt) ? fmt->valuestring : "missing",
                               cJSON_IsString(fmt) ? "\"" : "", what_account);
    }
    if (st == BPA_OK && r->kind != BPA_ACCOUNT_CLAIM)
        r->stamps_agree = stamps_equal(&r->expected, &r->found);
    bpa_json_release(&exp);
    bpa_json_release(&got);
    free(json);
    if (st != BPA_OK) {
        bpa_verify_free(r);
        return st;
    }
    *out = r;
    return BPA_OK;
}

bpa_status bpa_verify_settlement(bpa_verify_result **out, const bpa_settlement *s,
                                 const char *account, bpa_error *err)
{
    const bpa_case *c = s->grant->kase;
    verify_in in = {s, false, c->id, c->year, bpa_lang_of_scheme(c->scheme), dk_to_json,
                    dk_workbook};
    return verify(out, &in, account, err);
}

bpa_status bpa_se_verify_settlement(bpa_verify_result **out, const bpa_se_settlement *s,
                                    const char *account, bpa_error *err)
{
    const bpa_case *c = s->grant->kase;
    verify_in in = {s, true, c->id, c->year, bpa_lang_of_scheme(c->scheme), se_to_json,
                    se_workbook};
    return verify(out, &in, account, err);
}
