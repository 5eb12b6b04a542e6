/* The trace as data: rule names and roles, building and releasing (see
 * include/bpa/trace.h and trace_build.h). */
#include "trace/trace_build.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/array.h"

/* One row per rule: JSON id, section of RULES.md, roles (trace.h). */
static const struct {
    const char *id, *section, *roles;
} rules[BPA_TRACE_RULE_COUNT] = {
    [BPA_TRACE_SEGMENTS] = {"segments", "7.1", "decision_no decision reads+ segment+"},
    [BPA_TRACE_RATE] = {"rate", "7.2",
                        "category from wage wage_param fraction? supplement_param? "
                        "round_components base supplement addon* addon_amount* hourly"},
    [BPA_TRACE_WAGES] = {"wages", "7.3", "category segment hours rate exact amount"},
    [BPA_TRACE_PER_HELPER] = {"per_helper", "7.3",
                              "name segment per_helper_year helpers days year_days exact "
                              "amount"},
    [BPA_TRACE_INDEX] = {"index", "7.4",
                         "param year amount level index_year index_level exact indexed"},
    [BPA_TRACE_ADMIN] = {"admin", "7.3", "segment hours which rate exact amount"},
    [BPA_TRACE_PAYROLL_CAP] = {"payroll_admin_cap", "7.3",
                               "segment per_helper_year helpers days year_days exact amount"},
    [BPA_TRACE_HOURLY_CAP] = {"hourly_cap", "7.3", "segment cost hours cap target reduction"},
    [BPA_TRACE_HOURLY_CAP_OVERRIDDEN] = {"hourly_cap_overridden", "7.3",
                                         "segment cost hours cap reason"},
    [BPA_TRACE_ALLOWANCE] = {"allowance", "7.3", "month monthly days month_days exact amount"},
    [BPA_TRACE_ALLOWANCE_CAP_OVERRIDDEN] = {"allowance_cap_overridden", "7.3",
                                            "decision_no monthly cap_param cap on reason"},
    [BPA_TRACE_TRIP_LIMITS_OVERRIDDEN] = {"trip_limits_overridden", "6",
                                          "limit count max reason"},
    [BPA_TRACE_EMPLOYMENT] = {"employment", "7.6", "decision hours_per_week threshold form"},
    [BPA_TRACE_GRANT_TOTALS] = {"grant_totals", "7.3",
                                "months lines wages admin payroll_admin_cap allowance grant"},
    [BPA_TRACE_TIMESHEETS] = {"timesheets", "8.1", "files shifts hours outside year"},
    [BPA_TRACE_POOL] = {"pool", "8.2",
                        "pool granted used value average? unused? unused_value? overused? "
                        "overused_value?"},
    [BPA_TRACE_CARRY_OVER] = {"carry_over", "8.2", "hours limit pct value"},
    [BPA_TRACE_LINE_UNUSED] = {"line_unused_hours", "8.2", "unused_value carry_value line"},
    [BPA_TRACE_LINE_ADMIN] = {"line_admin", "8.2", "granted used carried_over admin line"},
    [BPA_TRACE_LINE_PAYROLL_ADMIN] = {"line_payroll_admin", "8.2", "paid invoices cap line"},
    [BPA_TRACE_LINE_PAYMENTS] = {"line_payments", "8.2", "received due line"},
    [BPA_TRACE_LINE_ACTUAL_COST] = {"line_actual_cost_cap", "8.2",
                                    "value unused_value per_helper cost actual line"},
    [BPA_TRACE_BALANCE] = {"balance", "8.2", "line+ balance direction due"},
    [BPA_TRACE_SE_PERIOD] = {"se_period", "7.7",
                             "period_no period days payment max_months max_param last_day "
                             "cap_unit"},
    [BPA_TRACE_SE_MONTH] = {"se_month", "7.7",
                            "month period days period_days aktiv vantetid beredskap "
                            "factor_vantetid factor_beredskap? billable rate_param schablon? "
                            "max_pct? rate_max? rate exact amount rakning_due"},
    [BPA_TRACE_SE_KOMMUN] = {"se_kommun_share", "8.3",
                             "month hours_per_week days hours rate exact amount"},
    [BPA_TRACE_SE_TOTALS] = {"se_totals", "7.7",
                             "periods months billable amount kommun_hours? kommun_amount?"},
};

const char *bpa_trace_rule_id(bpa_trace_rule r)
{
    return (unsigned)r < BPA_TRACE_RULE_COUNT ? rules[r].id : "?";
}

const char *bpa_trace_rule_section(bpa_trace_rule r)
{
    return (unsigned)r < BPA_TRACE_RULE_COUNT ? rules[r].section : "?";
}

const char *bpa_trace_rule_roles(bpa_trace_rule r)
{
    return (unsigned)r < BPA_TRACE_RULE_COUNT ? rules[r].roles : "";
}

const bpa_operand *bpa_trace_operand(const bpa_trace_entry *e, const char *role)
{
    for (size_t i = 0; i < e->nops; i++)
        if (strcmp(e->ops[i].role, role) == 0)
            return &e->ops[i];
    return NULL;
}

static bool has_q(bpa_operand_type type) { return type <= BPA_OP_PCT; }

bpa_trace_entry *bpa_trace_begin(bpa_trace *t, bpa_trace_rule rule)
{
    if (t->failed)
        return NULL;
    if (!bpa_array_reserve((void **)&t->entries, t->n, sizeof *t->entries)) {
        t->failed = true;
        return NULL;
    }
    bpa_trace_entry *e = &t->entries[t->n++];
    e->rule = rule;
    e->ops = NULL;
    e->nops = 0;
    return e;
}

/* Room for one more operand (its capacity follows from nops: core/array.h). */
static bpa_operand *add(bpa_trace *t, bpa_trace_entry *e, bpa_operand_type type,
                        const char *role)
{
    if (t->failed || !e)
        return NULL;
    size_t n = e->nops;
    if (!bpa_array_reserve((void **)&e->ops, n, sizeof *e->ops)) {
        t->failed = true;
        return NULL;
    }
    bpa_operand *o = &e->ops[n];
    memset(o, 0, sizeof *o);
    o->type = type;
    o->role = role;
    return o;
}

/* The operand becomes part of the entry once its copies are made. */
static void done(bpa_trace_entry *e) { e->nops++; }

void bpa_trace_q(bpa_trace *t, bpa_trace_entry *e, bpa_operand_type type, const char *role,
                 const mpq_t q)
{
    if (!has_q(type))
        return;
    bpa_operand *o = add(t, e, type, role);
    if (!o)
        return;
    mpq_init(o->q);
    mpq_set(o->q, q);
    done(e);
}

void bpa_trace_count(bpa_trace *t, bpa_trace_entry *e, const char *role, long n)
{
    bpa_operand *o = add(t, e, BPA_OP_COUNT, role);
    if (!o)
        return;
    o->n = n;
    done(e);
}

void bpa_trace_date(bpa_trace *t, bpa_trace_entry *e, const char *role, bpa_date d)
{
    bpa_operand *o = add(t, e, BPA_OP_DATE, role);
    if (!o)
        return;
    o->from = o->to = d;
    done(e);
}

void bpa_trace_period(bpa_trace *t, bpa_trace_entry *e, const char *role, bpa_date from,
                      bpa_date to)
{
    bpa_operand *o = add(t, e, BPA_OP_PERIOD, role);
    if (!o)
        return;
    o->from = from;
    o->to = to;
    done(e);
}

void bpa_trace_month(bpa_trace *t, bpa_trace_entry *e, const char *role, int year, int month)
{
    bpa_operand *o = add(t, e, BPA_OP_MONTH, role);
    if (!o)
        return;
    o->from = o->to = bpa_date_make(year, month, 1);
    done(e);
}

void bpa_trace_category(bpa_trace *t, bpa_trace_entry *e, const char *role,
                        const bpa_category *c)
{
    bpa_operand *o = add(t, e, BPA_OP_CATEGORY, role);
    if (!o)
        return;
    o->category = *c;
    done(e);
}

void bpa_trace_param(bpa_trace *t, bpa_trace_entry *e, const char *role, const char *name,
                     const bpa_param_entry *entry)
{
    bpa_operand *o = add(t, e, BPA_OP_PARAM, role);
    if (!o)
        return;
    o->text = bpa_strdup(name);
    if (entry) {
        o->has_entry = true;
        o->from = o->to = entry->from;
        o->ref = entry->ref ? bpa_strdup(entry->ref) : NULL;
    }
    if (!o->text || (entry && entry->ref && !o->ref)) {
        free(o->text);
        free(o->ref);
        t->failed = true;
        return;
    }
    done(e);
}

void bpa_trace_string(bpa_trace *t, bpa_trace_entry *e, bpa_operand_type type,
                      const char *role, const char *text)
{
    if (type != BPA_OP_TEXT && type != BPA_OP_WORD)
        return;
    bpa_operand *o = add(t, e, type, role);
    if (!o)
        return;
    o->text = bpa_strdup(text ? text : "");
    if (!o->text) {
        t->failed = true;
        return;
    }
    done(e);
}

void bpa_trace_release(bpa_trace *t)
{
    for (size_t i = 0; i < t->n; i++) {
        bpa_trace_entry *e = &t->entries[i];
        for (size_t k = 0; k < e->nops; k++) {
            bpa_operand *o = &e->ops[k];
            if (has_q(o->type))
                mpq_clear(o->q);
            free(o->text);
            free(o->ref);
        }
        free(e->ops);
    }
    free(t->entries);
    memset(t, 0, sizeof *t);
}
