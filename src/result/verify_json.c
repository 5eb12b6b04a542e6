/* bpa-verify-result/1 and the readable list of differences (RULES.md 13):
 * both render what verify recorded. */
#include "bpa/verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/verify_int.h"
#include "bpa/date.h"
#include "bpa/version.h"
#include "core/strutil.h"
#include "result/result_json.h"
#include "trace/format.h"

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static void jw_bool(bpa_jw *w, cJSON *o, const char *key, bool v)
{
    if (!o || !cJSON_AddBoolToObject(o, key, v))
        w->failed = true;
}

static void jw_str_or_null(bpa_jw *w, cJSON *o, const char *key, const char *v)
{
    if (v)
        bpa_jw_str(w, o, key, v);
    else
        bpa_jw_null(w, o, key);
}

static void jw_stamp(bpa_jw *w, cJSON *parent, const char *key, const bpa_stamp *st)
{
    cJSON *o = bpa_jw_object(w, parent, key);
    jw_str_or_null(w, o, "engine", st->engine);
    cJSON *arr = bpa_jw_array(w, o, "inputs");
    for (size_t i = 0; i < st->ninputs; i++) {
        cJSON *f = bpa_jw_item(w, arr);
        bpa_jw_str(w, f, "name", st->inputs[i].name);
        bpa_jw_str(w, f, "sha256", st->inputs[i].sha256);
    }
}

bpa_status bpa_verify_to_json(const bpa_verify_result *r, char **json, bpa_error *err)
{
    bpa_jw w;
    cJSON *root = bpa_jw_begin(&w, "bpa-verify-result/1");
    cJSON *eng = bpa_jw_object(&w, root, "engine");
    bpa_jw_str(&w, eng, "name", "bpa");
    bpa_jw_str(&w, eng, "version", bpa_version());
    bpa_jw_str(&w, root, "case", r->case_id);
    bpa_jw_int(&w, root, "year", r->year);
    cJSON *acc = bpa_jw_object(&w, root, "account");
    bpa_jw_str(&w, acc, "file", base_name(r->account));
    bpa_jw_str(&w, acc, "sha256", r->account_sha256);
    bpa_jw_str(&w, acc, "kind", bpa_account_kind_name(r->kind));
    jw_bool(&w, root, "agree", r->agree);
    bpa_jw_int(&w, root, "checked", r->checked);
    cJSON *arr = bpa_jw_array(&w, root, "differences");
    for (size_t i = 0; i < r->ndifferences; i++) {
        const bpa_difference *d = &r->differences[i];
        cJSON *o = bpa_jw_item(&w, arr);
        bpa_jw_str(&w, o, "kind", bpa_difference_kind_name(d->kind));
        bpa_jw_str(&w, o, "field", d->field);
        jw_str_or_null(&w, o, "expected", d->expected);
        jw_str_or_null(&w, o, "found", d->found);
        bpa_jw_str(&w, o, "where", d->where);
    }
    cJSON *st = bpa_jw_object(&w, root, "stamps");
    jw_bool(&w, st, "agree", r->stamps_agree);
    jw_stamp(&w, st, "recomputed", &r->expected);
    jw_stamp(&w, st, "account", &r->found);
    return bpa_jw_finish(&w, root, json, err);
}

/* A value as people read it: a decimal with the language's separators, other text as is. */
static void add_value(bpa_strbuf *sb, bpa_lang lang, const char *v)
{
    if (!v) {
        bpa_strbuf_add(sb, vf_word("none", lang));
        return;
    }
    const char *dot = strchr(v, '.');
    size_t dec = dot ? strlen(dot + 1) : 0;
    bpa_date d;
    if (strlen(v) == 10 && bpa_date_parse(v, &d)) {
        bpa_lang_add_date(sb, lang, d);
        return;
    }
    mpq_t q;
    mpq_init(q);
    if (!strchr(v, '/') && !strchr(v, 'E') && !strchr(v, 'e') && dec <= 6 &&
        vf_number_parse(q, v, strlen(v)))
        bpa_lang_add_fixed(sb, lang, q, (unsigned)dec);
    else
        bpa_strbuf_add(sb, v);
    mpq_clear(q);
}

static void add_stamp(bpa_strbuf *sb, bpa_lang lang, const char *key, const bpa_stamp *st)
{
    bpa_strbuf_addf(sb, "  %s: %s\n", vf_word(key, lang),
                    st->engine ? st->engine : vf_word("stamp.none", lang));
    for (size_t i = 0; i < st->ninputs; i++)
        bpa_strbuf_addf(sb, "    %s  %s\n", st->inputs[i].sha256, st->inputs[i].name);
}

bpa_status bpa_verify_summary(const bpa_verify_result *r, bpa_lang lang, char **text,
                              bpa_error *err)
{
    bpa_strbuf sb;
    bpa_strbuf_init(&sb);
    bpa_strbuf_addf(&sb, "%s: %s %s, %s %d\n", vf_word("title", lang), vf_word("case", lang),
                    r->case_id, vf_word("year", lang), r->year);
    char kind[32];
    snprintf(kind, sizeof kind, "kind.%s", bpa_account_kind_name(r->kind));
    bpa_strbuf_addf(&sb, "%s: %s (%s)\n\n", vf_word("account", lang), base_name(r->account),
                    vf_word(kind, lang));
    if (r->agree)
        bpa_strbuf_addf(&sb, vf_word("agree", lang), r->checked);
    else if (r->ndifferences == 1)
        bpa_strbuf_addf(&sb, vf_word("differ1", lang), r->checked);
    else
        bpa_strbuf_addf(&sb, vf_word("differ", lang), r->ndifferences, r->checked);
    bpa_strbuf_add(&sb, "\n");
    for (size_t i = 0; i < r->ndifferences; i++) {
        const bpa_difference *d = &r->differences[i];
        bpa_strbuf_addf(&sb, "  %s (%s)\n    %s: ", d->field, vf_kind_words(d, lang),
                        vf_word("recomputed", lang));
        add_value(&sb, lang, d->expected);
        bpa_strbuf_addf(&sb, ", %s: ", vf_word("found", lang));
        add_value(&sb, lang, d->found);
        bpa_strbuf_addf(&sb, ", %s: %s\n", vf_word("where", lang), d->where);
    }
    if (r->kind != BPA_ACCOUNT_CLAIM) {
        bpa_strbuf_addf(&sb, "\n%s:\n", vf_word("stamps", lang));
        add_stamp(&sb, lang, "stamp.recomputed", &r->expected);
        add_stamp(&sb, lang, "stamp.account", &r->found);
        bpa_strbuf_addf(&sb, "  %s\n", vf_word(r->stamps_agree ? "stamp.agree" : "stamp.differ",
                                               lang));
    }
    if (!(*text = bpa_strbuf_detach(&sb)))
        return vf_nomem(err);
    return BPA_OK;
}
