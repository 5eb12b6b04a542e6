/* The account as `bpa-settlement-result/1` JSON (RULES.md section 9). */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "bpa/settle.h"
#include "result/result_json.h"

static void add_category(bpa_jw *w, cJSON *o, const bpa_category *c)
{
    cJSON *cat = bpa_jw_object(w, o, "category");
    bpa_jw_str(w, cat, "kind", bpa_kind_name(c->kind));
    bpa_jw_str(w, cat, "band", bpa_band_name(c->band));
    bpa_jw_int(w, cat, "step", c->step);
}

bpa_status bpa_settle_to_json(const bpa_settlement *s, char **json, bpa_error *err)
{
    bpa_jw w;
    const bpa_grant *g = s->grant;
    const bpa_usage *u = s->usage;
    const bpa_case *c = g->kase;
    cJSON *root = bpa_jw_begin(&w, "bpa-settlement-result/1");
    /* usage and timesheets join the case and policy in inputs[] */
    size_t n = 2 + 2 * u->ntimesheets + 1;
    const char **extra = bpa_calloc(n, sizeof *extra);
    if (!extra) {
        cJSON_Delete(root);
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    extra[0] = u->file;
    extra[1] = u->sha256;
    for (size_t i = 0; i < u->ntimesheets; i++) {
        extra[2 + 2 * i] = u->timesheets[i];
        extra[3 + 2 * i] = s->timesheet_sha256[i];
    }
    bpa_jw_header(&w, root, c, g->policy, extra);
    bpa_jw_warnings(&w, root, &s->warnings);
    free(extra);
    bpa_jw_str(&w, root, "employer", bpa_employer_name(c->dk->employer));
    static const char *const modes[] = {"category", "kind", "all"};
    bpa_jw_str(&w, root, "pools_mode", modes[s->pools_mode]);

    cJSON *arr = bpa_jw_array(&w, root, "categories");
    for (size_t i = 0; i < s->ncategories; i++) {
        const bpa_settle_category *sc = &s->categories[i];
        cJSON *o = bpa_jw_item(&w, arr);
        add_category(&w, o, &sc->category);
        bpa_jw_hours(&w, o, "granted", sc->granted);
        bpa_jw_hours(&w, o, "carried_in", sc->carried_in);
        bpa_jw_hours(&w, o, "used", sc->used);
        bpa_jw_hours(&w, o, "unused", sc->unused);
        bpa_jw_hours(&w, o, "overused", sc->overused);
        bpa_jw_rate(&w, o, "value", sc->value);
        bpa_jw_str(&w, o, "pool", s->pools[sc->pool].name);
    }
    arr = bpa_jw_array(&w, root, "pools");
    for (size_t i = 0; i < s->npools; i++) {
        const bpa_settle_pool *p = &s->pools[i];
        cJSON *o = bpa_jw_item(&w, arr);
        bpa_jw_str(&w, o, "pool", p->name);
        bpa_jw_hours(&w, o, "granted", p->granted);
        bpa_jw_hours(&w, o, "used", p->used);
        bpa_jw_rate(&w, o, "value", p->value);
        if (p->has_average)
            bpa_jw_rate(&w, o, "average_rate", p->average);
        else
            bpa_jw_null(&w, o, "average_rate");
        bpa_jw_hours(&w, o, "unused", p->unused);
        bpa_jw_hours(&w, o, "overused", p->overused);
        bpa_jw_amount(&w, o, "unused_value", p->unused_value);
        bpa_jw_amount(&w, o, "overused_value", p->overused_value);
    }
    arr = bpa_jw_array(&w, root, "carry_over");
    for (size_t i = 0; i < s->npools; i++) {
        const bpa_settle_pool *p = &s->pools[i];
        if (!p->has_carry)
            continue;
        cJSON *o = bpa_jw_item(&w, arr);
        bpa_jw_str(&w, o, "pool", p->name);
        bpa_jw_hours(&w, o, "hours", p->carry_hours);
        bpa_jw_amount(&w, o, "value", p->carry_value);
    }
    cJSON *lines = bpa_jw_object(&w, root, "lines");
    bpa_jw_amount(&w, lines, "unused_hours", s->line_unused_hours);
    bpa_jw_amount(&w, lines, "admin", s->line_admin);
    bpa_jw_amount(&w, lines, "payroll_admin", s->line_payroll_admin);
    bpa_jw_amount(&w, lines, "payments", s->line_payments);
    bpa_jw_amount(&w, lines, "actual_cost_cap", s->line_actual_cost_cap);
    bpa_jw_amount(&w, root, "balance", s->balance);
    bpa_jw_str(&w, root, "direction", bpa_direction_name(s->direction));
    bpa_jw_date(&w, root, "due_date", s->due_date);
    cJSON *pay = bpa_jw_object(&w, root, "payments");
    bpa_jw_amount(&w, pay, "grant_received", s->grant_payments);
    bpa_jw_amount(&w, pay, "grant_due", s->recipient_due);
    bpa_jw_amount(&w, pay, "payroll_admin_received", s->payroll_admin_paid);
    bpa_jw_amount(&w, pay, "invoices", s->invoices_total);
    bpa_jw_amount(&w, pay, "payroll_admin_cap", g->total_payroll_admin_cap);
    arr = bpa_jw_array(&w, root, "months");
    for (size_t m = 0; m < s->nmonths; m++) {
        cJSON *o = bpa_jw_item(&w, arr);
        bpa_jw_month(&w, o, "month", s->months[m].year, s->months[m].month);
        bpa_jw_hours(&w, o, "granted", s->months[m].granted);
        bpa_jw_hours(&w, o, "used", s->months[m].used);
    }
    arr = bpa_jw_array(&w, root, "helpers");
    for (size_t i = 0; i < s->nhelpers; i++) {
        cJSON *o = bpa_jw_item(&w, arr);
        bpa_jw_str(&w, o, "helper", s->helpers[i].name);
        bpa_jw_str(&w, o, "kind", bpa_kind_name(s->helpers[i].kind));
        bpa_jw_hours(&w, o, "hours", s->helpers[i].hours);
    }
    cJSON *al = bpa_jw_object(&w, root, "allowance");
    bpa_jw_amount(&w, al, "due", s->allowance_due);
    bpa_jw_amount(&w, al, "received", s->allowance_received);
    cJSON *out = bpa_jw_object(&w, root, "outside_year_hours");
    bpa_jw_hours(&w, out, "work", s->outside_year_hours[BPA_KIND_WORK]);
    bpa_jw_hours(&w, out, "on_call", s->outside_year_hours[BPA_KIND_ON_CALL]);
    bpa_jw_params(&w, root, g->policy, g->used, g->nused);
    bpa_jw_trace(&w, root, &s->trace);
    return bpa_jw_finish(&w, root, json, err);
}
