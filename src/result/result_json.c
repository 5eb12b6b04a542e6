/* Result JSON helpers (see result_json.h). */
#include "result/result_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/num.h"
#include "core/strutil.h"

static cJSON *attach(bpa_jw *w, cJSON *parent, const char *key, cJSON *item)
{
    if (!item || !parent) {
        w->failed = true;
        cJSON_Delete(item);
        return NULL;
    }
    if (cJSON_IsArray(parent)) {
        if (!cJSON_AddItemToArray(parent, item)) {
            cJSON_Delete(item);
            w->failed = true;
            return NULL;
        }
    } else if (!cJSON_AddItemToObject(parent, key, item)) {
        cJSON_Delete(item);
        w->failed = true;
        return NULL;
    }
    return item;
}

cJSON *bpa_jw_begin(bpa_jw *w, const char *format)
{
    w->failed = false;
    cJSON *root = cJSON_CreateObject();
    if (!root) {
        w->failed = true;
        return NULL;
    }
    bpa_jw_str(w, root, "format", format);
    return root;
}

cJSON *bpa_jw_object(bpa_jw *w, cJSON *p, const char *key)
{
    return attach(w, p, key, cJSON_CreateObject());
}
cJSON *bpa_jw_array(bpa_jw *w, cJSON *p, const char *key)
{
    return attach(w, p, key, cJSON_CreateArray());
}
cJSON *bpa_jw_item(bpa_jw *w, cJSON *array) { return attach(w, array, NULL, cJSON_CreateObject()); }
void bpa_jw_str(bpa_jw *w, cJSON *o, const char *key, const char *v)
{
    attach(w, o, key, cJSON_CreateString(v ? v : ""));
}
void bpa_jw_int(bpa_jw *w, cJSON *o, const char *key, long v)
{
    /* written as raw digits: no number ever passes through a double */
    char buf[24];
    snprintf(buf, sizeof buf, "%ld", v);
    attach(w, o, key, cJSON_CreateRaw(buf));
}
void bpa_jw_null(bpa_jw *w, cJSON *o, const char *key) { attach(w, o, key, cJSON_CreateNull()); }
void bpa_jw_bool(bpa_jw *w, cJSON *o, const char *key, bool v)
{
    attach(w, o, key, cJSON_CreateBool(v));
}

void bpa_jw_date(bpa_jw *w, cJSON *o, const char *key, bpa_date d)
{
    char buf[11];
    bpa_date_format(d, buf);
    bpa_jw_str(w, o, key, buf);
}

void bpa_jw_month(bpa_jw *w, cJSON *o, const char *key, int year, int month)
{
    char buf[8];
    bpa_month_format(year, month, buf);
    bpa_jw_str(w, o, key, buf);
}

static void take(bpa_jw *w, cJSON *o, const char *key, char *s)
{
    if (!s) {
        w->failed = true;
        return;
    }
    bpa_jw_str(w, o, key, s);
    free(s);
}

static void exact_beside(bpa_jw *w, cJSON *o, const char *key, const mpq_t q, unsigned decimals)
{
    if (bpa_is_exact_at(q, decimals))
        return;
    char name[64];
    snprintf(name, sizeof name, "%s_exact", key);
    take(w, o, name, bpa_fmt_exact(q));
}

void bpa_jw_amount(bpa_jw *w, cJSON *o, const char *key, const mpq_t q)
{
    take(w, o, key, bpa_fmt_amount(q));
}

void bpa_jw_amount_exact(bpa_jw *w, cJSON *o, const char *key, const mpq_t q)
{
    take(w, o, key, bpa_fmt_amount(q));
    exact_beside(w, o, key, q, 2);
}

void bpa_jw_category(bpa_jw *w, cJSON *o, const bpa_category *c)
{
    cJSON *cat = bpa_jw_object(w, o, "category");
    bpa_jw_str(w, cat, "kind", bpa_kind_name(c->kind));
    bpa_jw_str(w, cat, "band", bpa_band_name(c->band));
    bpa_jw_int(w, cat, "step", c->step);
}

void bpa_jw_hours(bpa_jw *w, cJSON *o, const char *key, const mpq_t q)
{
    take(w, o, key, bpa_fmt_fixed(q, 4));
    exact_beside(w, o, key, q, 4);
}

void bpa_jw_rate(bpa_jw *w, cJSON *o, const char *key, const mpq_t q)
{
    unsigned decimals = bpa_is_exact_at(q, 2) ? 2 : 6;
    take(w, o, key, bpa_fmt_fixed(q, decimals));
    exact_beside(w, o, key, q, decimals);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

void bpa_jw_header(bpa_jw *w, cJSON *root, const bpa_case *c, const bpa_policy *p,
                   const char *const *extra)
{
    cJSON *engine = bpa_jw_object(w, root, "engine");
    bpa_jw_str(w, engine, "name", "bpa");
    bpa_jw_str(w, engine, "version", BPA_VERSION);
    bpa_jw_str(w, root, "case", c->id);
    bpa_jw_str(w, root, "scheme", bpa_scheme_name(c->scheme));
    bpa_jw_int(w, root, "year", c->year);
    cJSON *pol = bpa_jw_object(w, root, "policy");
    bpa_jw_str(w, pol, "id", bpa_policy_id(p));
    bpa_jw_str(w, pol, "title", bpa_policy_title(p));
    bpa_jw_str(w, pol, "sha256", bpa_policy_sha256(p));
    cJSON *inputs = bpa_jw_array(w, root, "inputs");
    cJSON *in = bpa_jw_item(w, inputs);
    bpa_jw_str(w, in, "name", base_name(c->file));
    bpa_jw_str(w, in, "sha256", c->sha256);
    in = bpa_jw_item(w, inputs);
    bpa_jw_str(w, in, "name", base_name(bpa_policy_file(p)));
    bpa_jw_str(w, in, "sha256", bpa_policy_sha256(p));
    for (size_t i = 0; extra && extra[i] && extra[i + 1]; i += 2) {
        in = bpa_jw_item(w, inputs);
        bpa_jw_str(w, in, "name", base_name(extra[i]));
        bpa_jw_str(w, in, "sha256", extra[i + 1]);
    }
    cJSON *ovs = bpa_jw_array(w, root, "overrides");
    for (size_t i = 0; i < c->noverrides; i++) {
        cJSON *o = bpa_jw_item(w, ovs);
        bpa_jw_str(w, o, "rule", bpa_override_rule_name(c->overrides[i].rule));
        bpa_jw_str(w, o, "reason", c->overrides[i].reason);
    }
}

void bpa_jw_params(bpa_jw *w, cJSON *root, const bpa_policy *p, const bpa_used_param *used,
                   size_t nused)
{
    cJSON *arr = bpa_jw_array(w, root, "params_used");
    for (size_t i = 0; i < nused; i++) {
        cJSON *o = bpa_jw_item(w, arr);
        bpa_jw_str(w, o, "name", used[i].name);
        if (used[i].entry) {
            bpa_jw_date(w, o, "from", used[i].entry->from);
            bpa_jw_str(w, o, "value", used[i].value);
            bpa_jw_str(w, o, "ref", used[i].entry->ref);
            bpa_jw_str(w, o, "source", bpa_policy_reference(p, used[i].entry->ref));
        } else {
            bpa_jw_null(w, o, "from");
            bpa_jw_str(w, o, "value", used[i].value);
            bpa_jw_str(w, o, "ref", "default");
            bpa_jw_str(w, o, "source", bpa_policy_reference(p, "default"));
        }
    }
}

/* ---- trace ---------------------------------------------------------------- */

/* The trace holds most of a result's nodes, so its keys and fixed words are
 * not copied (constants, or texts the trace owns and outlives the tree
 * with), and rendered texts are handed to the tree rather than copied:
 * fewer allocations, a shorter allocation-failure loop. */
static void put(bpa_jw *w, cJSON *o, const char *key, cJSON *item)
{
    if (!item || !o) {
        w->failed = true;
        cJSON_Delete(item);
        return;
    }
    if (!(cJSON_IsArray(o) ? cJSON_AddItemToArray(o, item)
                           : cJSON_AddItemToObjectCS(o, key, item))) {
        cJSON_Delete(item);
        w->failed = true;
    }
}

static void put_ref(bpa_jw *w, cJSON *o, const char *key, const char *s)
{
    put(w, o, key, cJSON_CreateStringReference(s ? s : ""));
}

/* s (malloc'd, or NULL after a failure) becomes the tree's. */
static void put_owned(bpa_jw *w, cJSON *o, const char *key, char *s)
{
    cJSON *item = s ? cJSON_CreateStringReference(s) : NULL;
    if (!item) {
        free(s);
        w->failed = true;
        return;
    }
    item->type &= ~cJSON_IsReference; /* cJSON_Delete frees s */
    put(w, o, key, item);
}

static void put_int(bpa_jw *w, cJSON *o, const char *key, long v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%ld", v);
    put(w, o, key, cJSON_CreateRaw(buf));
}

static void put_date(bpa_jw *w, cJSON *o, const char *key, bpa_date d)
{
    char buf[11];
    bpa_date_format(d, buf);
    put(w, o, key, cJSON_CreateString(buf));
}

/* value with `decimals` and value_exact beside when that is not exact */
static void put_q(bpa_jw *w, cJSON *o, const mpq_t q, unsigned decimals)
{
    put_owned(w, o, "value", bpa_fmt_fixed(q, decimals));
    if (!bpa_is_exact_at(q, decimals))
        put_owned(w, o, "value_exact", bpa_fmt_exact(q));
}

static const char *const operand_types[] = {
    [BPA_OP_AMOUNT] = "amount", [BPA_OP_HOURS] = "hours",   [BPA_OP_RATE] = "rate",
    [BPA_OP_NUMBER] = "number", [BPA_OP_PCT] = "pct",       [BPA_OP_COUNT] = "count",
    [BPA_OP_DATE] = "date",     [BPA_OP_PERIOD] = "period", [BPA_OP_MONTH] = "month",
    [BPA_OP_CATEGORY] = "category", [BPA_OP_PARAM] = "param", [BPA_OP_TEXT] = "text",
    [BPA_OP_WORD] = "word"};

/* An operand as the rest of the result writes its kind of value: amounts
 * with two decimals (and value_exact before a rounding point), hours with
 * four, rates and factors with two or six, value_exact beside when the
 * display is not exact. */
static void jw_operand(bpa_jw *w, cJSON *arr, const bpa_operand *op)
{
    cJSON *o = cJSON_CreateObject();
    put(w, arr, NULL, o);
    if (w->failed)
        return;
    put_ref(w, o, "role", op->role);
    put_ref(w, o, "type", operand_types[op->type]);
    switch (op->type) {
    case BPA_OP_AMOUNT:
        put_q(w, o, op->q, 2);
        break;
    case BPA_OP_HOURS:
        put_q(w, o, op->q, 4);
        break;
    case BPA_OP_RATE:
    case BPA_OP_NUMBER:
    case BPA_OP_PCT:
        put_q(w, o, op->q, bpa_is_exact_at(op->q, 2) ? 2 : 6);
        break;
    case BPA_OP_COUNT:
        put_int(w, o, "value", op->n);
        break;
    case BPA_OP_DATE:
        put_date(w, o, "value", op->from);
        break;
    case BPA_OP_PERIOD:
        put_date(w, o, "from", op->from);
        put_date(w, o, "to", op->to);
        break;
    case BPA_OP_MONTH: {
        char buf[8];
        bpa_month_format(bpa_date_year(op->from), bpa_date_month(op->from), buf);
        put(w, o, "value", cJSON_CreateString(buf));
        break;
    }
    case BPA_OP_CATEGORY: {
        cJSON *cat = cJSON_CreateObject();
        put(w, o, "value", cat);
        if (w->failed)
            return;
        put_ref(w, cat, "kind", bpa_kind_name(op->category.kind));
        put_ref(w, cat, "band", bpa_band_name(op->category.band));
        put_int(w, cat, "step", op->category.step);
        break;
    }
    case BPA_OP_PARAM:
        put_ref(w, o, "name", op->text);
        if (op->has_entry) {
            put_date(w, o, "from", op->from);
            put_ref(w, o, "ref", op->ref);
        }
        break;
    case BPA_OP_TEXT:
    case BPA_OP_WORD:
        put_ref(w, o, "value", op->text);
        break;
    }
}

void bpa_jw_trace(bpa_jw *w, cJSON *root, const bpa_trace *t)
{
    cJSON *arr = bpa_jw_array(w, root, "trace");
    for (size_t i = 0; i < t->n && !w->failed; i++) {
        const bpa_trace_entry *e = &t->entries[i];
        bpa_trace_text text;
        bpa_error err;
        if (bpa_trace_entry_render(e, BPA_LANG_EN, &text, &err) != BPA_OK) {
            w->failed = true;
            return;
        }
        cJSON *o = cJSON_CreateObject();
        put(w, arr, NULL, o);
        if (w->failed) {
            bpa_trace_text_release(&text);
            return;
        }
        put_ref(w, o, "rule", bpa_trace_rule_id(e->rule));
        put_ref(w, o, "section", bpa_trace_rule_section(e->rule));
        put_owned(w, o, "step", text.step);
        put_owned(w, o, "how", text.rule);
        put_owned(w, o, "inputs", text.inputs);
        put_owned(w, o, "result", text.result);
        cJSON *ops = cJSON_CreateArray();
        put(w, o, "operands", ops);
        for (size_t k = 0; k < e->nops && !w->failed; k++)
            jw_operand(w, ops, &e->ops[k]);
    }
}

/* Two-space indented JSON: stable across cJSON versions, readable in diffs. */
static void print_string(bpa_strbuf *sb, const char *s)
{
    bpa_strbuf_add(sb, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': bpa_strbuf_add(sb, "\\\""); break;
        case '\\': bpa_strbuf_add(sb, "\\\\"); break;
        case '\n': bpa_strbuf_add(sb, "\\n"); break;
        case '\r': bpa_strbuf_add(sb, "\\r"); break;
        case '\t': bpa_strbuf_add(sb, "\\t"); break;
        default:
            if (*p < 0x20)
                bpa_strbuf_addf(sb, "\\u%04x", *p);
            else
                bpa_strbuf_addn(sb, (const char *)p, 1);
        }
    }
    bpa_strbuf_add(sb, "\"");
}

static void indent(bpa_strbuf *sb, int depth)
{
    bpa_strbuf_add(sb, "\n");
    for (int i = 0; i < depth; i++)
        bpa_strbuf_add(sb, "  ");
}

static void print_value(bpa_strbuf *sb, const cJSON *v, int depth)
{
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        bool obj = cJSON_IsObject(v);
        if (!v->child) {
            bpa_strbuf_add(sb, obj ? "{}" : "[]");
            return;
        }
        bpa_strbuf_add(sb, obj ? "{" : "[");
        for (const cJSON *c = v->child; c; c = c->next) {
            indent(sb, depth + 1);
            if (obj) {
                print_string(sb, c->string);
                bpa_strbuf_add(sb, ": ");
            }
            print_value(sb, c, depth + 1);
            if (c->next)
                bpa_strbuf_add(sb, ",");
        }
        indent(sb, depth);
        bpa_strbuf_add(sb, obj ? "}" : "]");
    } else if (cJSON_IsString(v)) {
        print_string(sb, v->valuestring);
    } else if (cJSON_IsRaw(v)) {
        bpa_strbuf_add(sb, v->valuestring);
    } else if (cJSON_IsBool(v)) {
        bpa_strbuf_add(sb, cJSON_IsTrue(v) ? "true" : "false");
    } else {
        bpa_strbuf_add(sb, "null");
    }
}

bpa_status bpa_jw_finish(bpa_jw *w, cJSON *root, char **json, bpa_error *err)
{
    *json = NULL;
    bpa_strbuf sb;
    bpa_strbuf_init(&sb);
    if (!w->failed && root) {
        print_value(&sb, root, 0);
        bpa_strbuf_add(&sb, "\n");
    }
    cJSON_Delete(root);
    char *out = w->failed ? NULL : bpa_strbuf_detach(&sb);
    bpa_strbuf_release(&sb);
    if (!out)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    *json = out;
    return BPA_OK;
}

void bpa_jw_warnings(bpa_jw *w, cJSON *root, const bpa_warnings *ws)
{
    cJSON *arr = bpa_jw_array(w, root, "warnings");
    for (size_t i = 0; i < ws->n && !w->failed; i++) {
        char *message, *where;
        if (bpa_warning_render(ws, i, BPA_LANG_EN, &message, &where, NULL) != BPA_OK) {
            w->failed = true;
            return;
        }
        cJSON *o = bpa_jw_item(w, arr);
        put_ref(w, o, "code", bpa_warning_code_name(ws->codes[i]));
        put_owned(w, o, "message", message);
        put_owned(w, o, "where", where);
    }
}
