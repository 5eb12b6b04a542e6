/* The Swedish budget as `bpa-se-grant-result/1` JSON (RULES.md 9, 7.7):
 * only what bpa_se_grant_compute recorded. */
#include <cJSON.h>

#include "bpa/se.h"
#include "result/result_json.h"

static const char *rate_source_name(bpa_se_rate_source s)
{
    switch (s) {
    case BPA_SE_RATE_RAISED:
        return "raised";
    case BPA_SE_RATE_TIER:
        return "tier";
    default:
        return "schablon";
    }
}

static void add_kommun_share(bpa_jw *w, cJSON *o, bool has, const mpq_t hours,
                             const mpq_t amount)
{
    if (!has) {
        bpa_jw_null(w, o, "kommun_share");
        return;
    }
    cJSON *ks = bpa_jw_object(w, o, "kommun_share");
    bpa_jw_hours(w, ks, "hours", hours);
    bpa_jw_amount(w, ks, "amount", amount);
}

static void add_month(bpa_jw *w, cJSON *arr, const bpa_se_budget_month *m)
{
    cJSON *o = bpa_jw_item(w, arr);
    bpa_jw_month(w, o, "month", m->year, m->month);
    bpa_jw_int(w, o, "days", m->days);
    for (int k = 0; k < BPA_SE_KINDS; k++)
        bpa_jw_hours(w, o, bpa_kind_name(BPA_KIND_AKTIV + k), m->granted[k]);
    bpa_jw_rate(w, o, "factor_vantetid", m->factor_vantetid);
    if (m->has_factor_beredskap)
        bpa_jw_rate(w, o, "factor_beredskap", m->factor_beredskap);
    else
        bpa_jw_null(w, o, "factor_beredskap");
    bpa_jw_hours(w, o, "billable", m->billable);
    bpa_jw_str(w, o, "rate_source", rate_source_name(m->rate_source));
    bpa_jw_rate(w, o, "rate", m->rate);
    bpa_jw_amount(w, o, "amount", m->amount);
    bpa_jw_date(w, o, "rakning_due", m->rakning_due);
    add_kommun_share(w, o, m->has_kommun_share, m->kommun_hours, m->kommun_amount);
}

bpa_status bpa_se_grant_to_json(const bpa_se_grant *g, char **json, bpa_error *err)
{
    bpa_jw w;
    *json = NULL;
    cJSON *root = bpa_jw_begin(&w, "bpa-se-grant-result/1");
    bpa_jw_header(&w, root, g->kase, g->policy, NULL);
    bpa_jw_warnings(&w, root, &g->warnings);
    cJSON *arr = bpa_jw_array(&w, root, "periods");
    for (size_t i = 0; i < g->nperiods; i++) {
        const bpa_se_budget_period *p = &g->periods[i];
        cJSON *o = bpa_jw_item(&w, arr);
        bpa_jw_date(&w, o, "from", p->from);
        bpa_jw_date(&w, o, "to", p->to);
        bpa_jw_int(&w, o, "days", p->days);
        bpa_jw_str(&w, o, "payment", bpa_se_payment_name(p->payment));
        bpa_jw_str(&w, o, "cap_unit", bpa_se_cap_unit_name(p->cap_unit));
        cJSON *ms = bpa_jw_array(&w, o, "months");
        for (size_t k = 0; k < p->nmonths; k++)
            add_month(&w, ms, &p->months[k]);
        for (int k = 0; k < BPA_SE_KINDS; k++)
            bpa_jw_hours(&w, o, bpa_kind_name(BPA_KIND_AKTIV + k), p->granted[k]);
        bpa_jw_hours(&w, o, "billable", p->billable);
        bpa_jw_amount(&w, o, "amount", p->amount);
        add_kommun_share(&w, o, p->has_kommun_share, p->kommun_hours, p->kommun_amount);
    }
    cJSON *t = bpa_jw_object(&w, root, "totals");
    bpa_jw_hours(&w, t, "billable", g->total_billable);
    bpa_jw_amount(&w, t, "amount", g->total_amount);
    add_kommun_share(&w, t, g->has_kommun_share, g->total_kommun_hours, g->total_kommun_amount);
    bpa_jw_params(&w, root, g->policy, g->used, g->nused);
    bpa_jw_trace(&w, root, &g->trace);
    return bpa_jw_finish(&w, root, json, err);
}
