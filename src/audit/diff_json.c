/* The comparison as `bpa-diff-result/1` JSON (RULES.md 13): only what
 * bpa_diff_compute recorded. */
#include <cJSON.h>
#include <string.h>

#include "bpa/diff.h"
#include "result/result_json.h"

static void add_category(bpa_jw *w, cJSON *o, const bpa_diff *d, const bpa_category *c)
{
    if (d->country == BPA_COUNTRY_DK) {
        bpa_jw_category(w, o, c);
        return;
    }
    cJSON *cat = bpa_jw_object(w, o, "category");
    bpa_jw_str(w, cat, "kind", bpa_kind_name(c->kind));
}

/* One side's stamps, as its grant result has them (bpa_jw_header), and
 * for a side read from a result file that file itself. */
static void add_side(bpa_jw *w, cJSON *root, const char *key, const bpa_grant_record *r)
{
    cJSON *o = bpa_jw_object(w, root, key);
    cJSON *engine = bpa_jw_object(w, o, "engine");
    bpa_jw_str(w, engine, "name", "bpa");
    bpa_jw_str(w, engine, "version", r->engine_version);
    bpa_jw_str(w, o, "case", r->case_id);
    bpa_jw_str(w, o, "scheme", bpa_scheme_name(r->scheme));
    bpa_jw_int(w, o, "year", r->year);
    cJSON *pol = bpa_jw_object(w, o, "policy");
    bpa_jw_str(w, pol, "id", r->policy_id);
    bpa_jw_str(w, pol, "title", r->policy_title);
    bpa_jw_str(w, pol, "sha256", r->policy_sha256);
    cJSON *inputs = bpa_jw_array(w, o, "inputs");
    for (size_t i = 0; i < r->ninputs; i++) {
        cJSON *in = bpa_jw_item(w, inputs);
        bpa_jw_str(w, in, "name", r->inputs[i].name);
        bpa_jw_str(w, in, "sha256", r->inputs[i].sha256);
    }
    cJSON *ovs = bpa_jw_array(w, o, "overrides");
    for (size_t i = 0; i < r->noverrides; i++) {
        cJSON *ov = bpa_jw_item(w, ovs);
        bpa_jw_str(w, ov, "rule", r->override_rules[i]);
        bpa_jw_str(w, ov, "reason", r->override_reasons[i]);
    }
    if (r->from_result) {
        const char *base = strrchr(r->file, '/');
        cJSON *res = bpa_jw_object(w, o, "result");
        bpa_jw_str(w, res, "name", base ? base + 1 : r->file);
        bpa_jw_str(w, res, "sha256", r->sha256);
    } else {
        bpa_jw_null(w, o, "result");
    }
}

static void add_change(bpa_jw *w, cJSON *arr, const bpa_diff *d, const bpa_diff_change *c)
{
    cJSON *o = bpa_jw_item(w, arr);
    bpa_jw_month(w, o, "month", c->year, c->month);
    add_category(w, o, d, &c->category);
    bpa_jw_hours(w, o, "old_hours", c->old_hours);
    bpa_jw_hours(w, o, "new_hours", c->new_hours);
    if (c->in_old)
        bpa_jw_rate(w, o, "old_rate", c->old_rate);
    else
        bpa_jw_null(w, o, "old_rate");
    if (c->in_new)
        bpa_jw_rate(w, o, "new_rate", c->new_rate);
    else
        bpa_jw_null(w, o, "new_rate");
    bpa_jw_amount_exact(w, o, "old", c->old_amount);
    bpa_jw_amount_exact(w, o, "new", c->new_amount);
    bpa_jw_amount_exact(w, o, "change", c->change);
    bpa_jw_amount_exact(w, o, "hours_effect", c->hours_effect);
    bpa_jw_amount_exact(w, o, "rate_effect", c->rate_effect);
    bpa_jw_amount_exact(w, o, "residue", c->residue);
}

bpa_status bpa_diff_to_json(const bpa_diff *d, char **json, bpa_error *err)
{
    bpa_jw w;
    *json = NULL;
    cJSON *root = bpa_jw_begin(&w, "bpa-diff-result/1");
    cJSON *engine = bpa_jw_object(&w, root, "engine");
    bpa_jw_str(&w, engine, "name", "bpa");
    bpa_jw_str(&w, engine, "version", BPA_VERSION);
    bpa_jw_str(&w, root, "country", d->country == BPA_COUNTRY_DK ? "DK" : "SE");
    add_side(&w, root, "old", d->old_rec);
    add_side(&w, root, "new", d->new_rec);
    cJSON *arr = bpa_jw_array(&w, root, "changes");
    for (size_t i = 0; i < d->nchanges; i++)
        add_change(&w, arr, d, &d->changes[i]);
    arr = bpa_jw_array(&w, root, "other");
    for (size_t i = 0; i < d->nother; i++) {
        const bpa_diff_other *x = &d->other[i];
        cJSON *o = bpa_jw_item(&w, arr);
        bpa_jw_month(&w, o, "month", x->year, x->month);
        bpa_jw_str(&w, o, "rule", x->rule);
        bpa_jw_bool(&w, o, "in_total", x->in_total);
        bpa_jw_amount_exact(&w, o, "old", x->old_amount);
        bpa_jw_amount_exact(&w, o, "new", x->new_amount);
        bpa_jw_amount_exact(&w, o, "change", x->change);
    }
    cJSON *s = bpa_jw_object(&w, root, "sums");
    bpa_jw_amount_exact(&w, s, "old", d->sum_old);
    bpa_jw_amount_exact(&w, s, "new", d->sum_new);
    bpa_jw_amount_exact(&w, s, "change", d->sum_change);
    bpa_jw_amount_exact(&w, s, "hours_effect", d->sum_hours_effect);
    bpa_jw_amount_exact(&w, s, "rate_effect", d->sum_rate_effect);
    bpa_jw_amount_exact(&w, s, "residue", d->sum_residue);
    bpa_jw_amount_exact(&w, s, "other_change", d->other_change);
    bpa_jw_amount_exact(&w, s, "outside_total_change", d->outside_change);
    bpa_jw_amount_exact(&w, s, "explained", d->explained);
    cJSON *t = bpa_jw_object(&w, root, "totals");
    bpa_jw_amount(&w, t, "old", d->total_old);
    bpa_jw_amount(&w, t, "new", d->total_new);
    bpa_jw_amount(&w, t, "change", d->total_change);
    if (d->has_pct)
        bpa_jw_amount(&w, t, "pct", d->pct);
    else
        bpa_jw_null(&w, t, "pct");
    return bpa_jw_finish(&w, root, json, err);
}
