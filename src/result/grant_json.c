/* The grant result as `bpa-grant-result/1` JSON (RULES.md section 9). */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/grant.h"
#include "result/result_json.h"

static void add_rates(bpa_jw *w, cJSON *root, const bpa_grant *g)
{
    cJSON *arr = bpa_jw_array(w, root, "rates");
    for (size_t i = 0; i < g->nrates; i++) {
        const bpa_rate *r = &g->rates[i];
        cJSON *o = bpa_jw_item(w, arr);
        bpa_jw_category(w, o, &r->category);
        bpa_jw_date(w, o, "from", r->from);
        bpa_jw_date(w, o, "to", r->to);
        bpa_jw_rate(w, o, "wage", r->wage);
        bpa_jw_rate(w, o, "base", r->base);
        bpa_jw_rate(w, o, "supplement", r->supplement);
        cJSON *adds = bpa_jw_array(w, o, "addons");
        for (size_t k = 0; k < r->naddons; k++) {
            cJSON *a = bpa_jw_item(w, adds);
            bpa_jw_str(w, a, "name", r->addons[k].name);
            bpa_jw_rate(w, a, "amount", r->addons[k].amount);
        }
        bpa_jw_rate(w, o, "hourly", r->hourly);
    }
}

static void add_lines(bpa_jw *w, cJSON *root, const bpa_grant *g)
{
    cJSON *arr = bpa_jw_array(w, root, "lines");
    for (size_t i = 0; i < g->nlines; i++) {
        const bpa_line *l = &g->lines[i];
        cJSON *o = bpa_jw_item(w, arr);
        bpa_jw_date(w, o, "from", l->from);
        bpa_jw_date(w, o, "to", l->to);
        bpa_jw_str(w, o, "rule", bpa_line_rule_name(l->rule));
        if (l->has_category)
            bpa_jw_category(w, o, &l->category);
        if (l->name)
            bpa_jw_str(w, o, "name", l->name);
        switch (l->rule) {
        case BPA_LINE_PER_HELPER:
        case BPA_LINE_PAYROLL_ADMIN_CAP:
            bpa_jw_hours(w, o, "helper_years", l->hours);
            break;
        case BPA_LINE_ALLOWANCE:
            bpa_jw_hours(w, o, "month_share", l->hours);
            break;
        default:
            bpa_jw_hours(w, o, "hours", l->hours);
        }
        bpa_jw_rate(w, o, "rate", l->rate_value);
        bpa_jw_amount(w, o, "amount", l->amount);
    }
}

static void add_months(bpa_jw *w, cJSON *root, const bpa_grant *g)
{
    cJSON *arr = bpa_jw_array(w, root, "months");
    for (size_t i = 0; i < g->nmonths; i++) {
        const bpa_month *m = &g->months[i];
        cJSON *o = bpa_jw_item(w, arr);
        bpa_jw_month(w, o, "month", m->year, m->month);
        bpa_jw_hours(w, o, "hours", m->hours);
        bpa_jw_amount(w, o, "wages", m->wages);
        bpa_jw_amount(w, o, "admin", m->admin);
        bpa_jw_amount(w, o, "payroll_admin_cap", m->payroll_admin_cap);
        bpa_jw_amount(w, o, "recipient_amount", m->recipient);
        if (m->has_due)
            bpa_jw_date(w, o, "due_date", m->due);
        else
            bpa_jw_null(w, o, "due_date");
        bpa_jw_amount(w, o, "allowance", m->allowance);
        if (m->has_allowance_due)
            bpa_jw_date(w, o, "allowance_due_date", m->allowance_due);
        else
            bpa_jw_null(w, o, "allowance_due_date");
    }
}

bpa_status bpa_grant_to_json(const bpa_grant *g, char **json, bpa_error *err)
{
    bpa_jw w;
    *json = NULL;
    const bpa_case *c = g->kase;
    cJSON *root = bpa_jw_begin(&w, "bpa-grant-result/1");
    bpa_jw_header(&w, root, c, g->policy, NULL);
    bpa_jw_warnings(&w, root, &g->warnings);
    bpa_jw_str(&w, root, "employer", bpa_employer_name(c->dk->employer));
    if (c->dk->employer == BPA_EMPLOYER_TRANSFERRED && c->scheme != BPA_SCHEME_DK_SEL_94)
        bpa_jw_str(&w, root, "transferred_to", bpa_transferred_to_name(c->dk->transferred_to));
    bpa_jw_str(&w, root, "payment", !g->pays_recipient ? "none" : g->forud ? "forud" : "bagud");
    add_rates(&w, root, g);
    add_lines(&w, root, g);
    add_months(&w, root, g);
    cJSON *t = bpa_jw_object(&w, root, "totals");
    bpa_jw_hours(&w, t, "hours", g->total_hours);
    bpa_jw_amount(&w, t, "wages", g->total_wages);
    bpa_jw_amount(&w, t, "admin", g->total_admin);
    bpa_jw_amount(&w, t, "payroll_admin_cap", g->total_payroll_admin_cap);
    bpa_jw_amount(&w, t, "allowance", g->total_allowance);
    bpa_jw_amount(&w, t, "grant", g->total_grant);
    if (c->scheme == BPA_SCHEME_DK_SEL_94) {
        cJSON *arr = bpa_jw_array(&w, root, "employment");
        for (size_t i = 0; i < g->nemployment; i++) {
            const bpa_employment *e = &g->employment[i];
            cJSON *o = bpa_jw_item(&w, arr);
            bpa_jw_date(&w, o, "from", e->from);
            bpa_jw_date(&w, o, "to", e->to);
            bpa_jw_hours(&w, o, "hours_per_week", e->hours_per_week);
            bpa_jw_str(&w, o, "form", e->monthly_paid ? "monthly_paid" : "hourly_paid");
        }
    }
    bpa_jw_params(&w, root, g->policy, g->used, g->nused);
    bpa_jw_trace(&w, root, &g->trace);
    return bpa_jw_finish(&w, root, json, err);
}
