/* The Swedish avräkning as `bpa-se-settlement-result/1` JSON (RULES.md 9):
 * only what bpa_se_settle recorded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "bpa/se.h"
#include "result/result_json.h"

/* Hours as the räkning form writes them, "177:08": whole minutes, rounded
 * half away from zero for display (hours from time reports are whole
 * minutes already). */
static void add_hm(bpa_jw *w, cJSON *o, const char *key, const mpq_t h)
{
    mpq_t m;
    mpz_t q, r;
    mpq_init(m);
    mpz_inits(q, r, NULL);
    mpq_set_ui(m, 60, 1);
    mpq_mul(m, m, h);
    bool neg = mpq_sgn(m) < 0;
    if (neg)
        mpq_neg(m, m);
    /* round(m) = floor(m + 1/2) */
    mpz_mul_ui(q, mpq_numref(m), 2);
    mpz_add(q, q, mpq_denref(m));
    mpz_mul_ui(r, mpq_denref(m), 2);
    mpz_fdiv_q(q, q, r);
    mpz_fdiv_qr_ui(q, r, q, 60);
    char *hs = mpz_get_str(NULL, 10, q);
    char buf[96];
    if (hs)
        snprintf(buf, sizeof buf, "%s%s:%02lu", neg && (mpz_sgn(q) || mpz_sgn(r)) ? "-" : "", hs,
                 mpz_get_ui(r));
    else
        w->failed = true;
    free(hs);
    char k[64];
    snprintf(k, sizeof k, "%s_hm", key);
    if (!w->failed)
        bpa_jw_str(w, o, k, buf);
    mpz_clears(q, r, NULL);
    mpq_clear(m);
}

static void add_hours_hm(bpa_jw *w, cJSON *o, const char *key, const mpq_t h)
{
    bpa_jw_hours(w, o, key, h);
    add_hm(w, o, key, h);
}


bpa_status bpa_se_settle_to_json(const bpa_se_settlement *s, char **json, bpa_error *err)
{
    bpa_jw w;
    const bpa_se_grant *g = s->grant;
    const bpa_se_usage *u = s->usage;
    const bpa_case *c = g->kase;
    *json = NULL;
    cJSON *root = bpa_jw_begin(&w, "bpa-se-settlement-result/1");
    size_t n = 2 + 2 * u->ntimesheets + 1;
    const char **extra = bpa_calloc(n, sizeof *extra);
    if (!extra) {
        cJSON_Delete(root);
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    extra[0] = u->file;
    extra[1] = u->sha256;
    for (size_t i = 0; i < u->ntimesheets && s->timesheet_sha256; i++) {
        extra[2 + 2 * i] = u->timesheets[i];
        extra[3 + 2 * i] = s->timesheet_sha256[i];
    }
    bpa_jw_header(&w, root, c, g->policy, extra);
    free(extra);
    bpa_jw_warnings(&w, root, &s->warnings);

    cJSON *arr = bpa_jw_array(&w, root, "periods");
    for (size_t i = 0; i < s->nperiods; i++) {
        const bpa_se_settle_period *p = &s->periods[i];
        cJSON *o = bpa_jw_item(&w, arr);
        bpa_jw_date(&w, o, "from", p->from);
        bpa_jw_date(&w, o, "to", p->to);
        bpa_jw_str(&w, o, "payment", p->payment == BPA_SE_FORSKOTT ? "forskott" : "efterskott");
        bpa_jw_str(&w, o, "cap_unit", bpa_se_cap_unit_name(p->cap_unit));
        cJSON *ms = bpa_jw_array(&w, o, "months");
        for (size_t k = 0; k < p->nmonths; k++) {
            const bpa_se_settle_month *m = &p->months[k];
            cJSON *mo = bpa_jw_item(&w, ms);
            bpa_jw_month(&w, mo, "month", m->year, m->month);
            for (int j = 0; j < BPA_SE_KINDS; j++)
                add_hours_hm(&w, mo, bpa_kind_name(BPA_KIND_AKTIV + j), m->used[j]);
            cJSON *rep = bpa_jw_object(&w, mo, "reported");
            for (int j = 0; j < BPA_SE_KINDS; j++)
                bpa_jw_hours(&w, rep, bpa_kind_name(BPA_KIND_AKTIV + j), m->reported[j]);
            add_hours_hm(&w, mo, "billable", m->billable);
            bpa_jw_hours(&w, mo, "granted_billable", m->granted_billable);
            add_hours_hm(&w, mo, "capped", m->capped);
            bpa_jw_hours(&w, mo, "not_paid", m->not_paid);
            bpa_jw_rate(&w, mo, "rate", m->rate);
            bpa_jw_amount(&w, mo, "amount", m->amount);
            bpa_jw_amount(&w, mo, "paid", m->paid);
            if (p->payment == BPA_SE_FORSKOTT)
                bpa_jw_str(&w, mo, "paid_by", m->paid_by_payments ? "payments" : "budget");
            else
                bpa_jw_str(&w, mo, "paid_by", "amount");
            bpa_jw_int(&w, mo, "payments", (long)m->npayments);
            bpa_jw_date(&w, mo, "rakning_due", m->rakning_due);
        }
        add_hours_hm(&w, o, "billable", p->billable);
        bpa_jw_hours(&w, o, "granted_billable", p->granted_billable);
        add_hours_hm(&w, o, "capped", p->capped);
        bpa_jw_amount(&w, o, "amount", p->amount);
        bpa_jw_amount(&w, o, "paid", p->paid);
        bpa_jw_amount(&w, o, "balance", p->balance);
        bpa_jw_str(&w, o, "direction", bpa_direction_name(p->direction));
        bpa_jw_date(&w, o, "slutavrakning_due", p->slutavrakning_due);
        if (p->has_kommun_share) {
            cJSON *ks = bpa_jw_object(&w, o, "kommun_share");
            bpa_jw_hours(&w, ks, "hours", p->kommun_hours);
            bpa_jw_amount(&w, ks, "amount", p->kommun_amount);
        } else {
            bpa_jw_null(&w, o, "kommun_share");
        }
        bpa_jw_hours(&w, o, "not_paid_hours", p->not_paid_hours);
    }
    bpa_jw_amount(&w, root, "balance", s->balance);
    bpa_jw_str(&w, root, "direction", bpa_direction_name(s->direction));

    cJSON *ex = bpa_jw_object(&w, root, "expenses");
    bpa_jw_amount(&w, ex, "reimbursable", s->reimbursable);
    bpa_jw_amount(&w, ex, "not_reimbursable", s->not_reimbursable);
    arr = bpa_jw_array(&w, ex, "receipts");
    for (size_t i = 0; i < s->nreceipts; i++) {
        const bpa_se_receipt_result *rr = &s->receipts[i];
        const bpa_se_receipt *r = &u->expenses[rr->receipt];
        cJSON *o = bpa_jw_item(&w, arr);
        bpa_jw_date(&w, o, "date", r->date);
        bpa_jw_str(&w, o, "category", r->category);
        bpa_jw_amount(&w, o, "amount", r->amount);
        if (rr->capped)
            bpa_jw_amount(&w, o, "cap", rr->cap);
        else
            bpa_jw_str(&w, o, "cap", "none");
        if (r->approved)
            bpa_jw_str(&w, o, "approved", r->approved);
        else
            bpa_jw_null(&w, o, "approved");
        if (r->helper)
            bpa_jw_str(&w, o, "helper", r->helper);
        else
            bpa_jw_null(&w, o, "helper");
        bpa_jw_amount(&w, o, "reimbursable", rr->reimbursable);
        bpa_jw_amount(&w, o, "not_reimbursable", rr->not_reimbursable);
    }
    cJSON *out = bpa_jw_object(&w, root, "outside_periods_hours");
    for (int j = 0; j < BPA_SE_KINDS; j++)
        bpa_jw_hours(&w, out, bpa_kind_name(BPA_KIND_AKTIV + j), s->outside[j]);
    arr = bpa_jw_array(&w, root, "tidsredovisningar");
    for (size_t i = 0; i < s->ntidsredovisningar; i++) {
        const bpa_se_tidsredovisning *t = &s->tidsredovisningar[i];
        cJSON *o = bpa_jw_item(&w, arr);
        bpa_jw_str(&w, o, "helper", t->helper);
        bpa_jw_month(&w, o, "month", t->year, t->month);
        for (int j = 0; j < BPA_SE_KINDS; j++)
            add_hours_hm(&w, o, bpa_kind_name(BPA_KIND_AKTIV + j), t->hours[j]);
        bpa_jw_int(&w, o, "shifts", t->shifts);
    }
    arr = bpa_jw_array(&w, root, "used_rows");
    for (size_t i = 0; i < s->nlisted_apart; i++) {
        const bpa_se_used_row *r = &s->listed_apart[i];
        cJSON *o = bpa_jw_item(&w, arr);
        bpa_jw_month(&w, o, "month", r->year, r->month);
        bpa_jw_str(&w, o, "kind", bpa_kind_name(r->kind));
        add_hours_hm(&w, o, "hours", r->hours);
    }
    arr = bpa_jw_array(&w, root, "worktime");
    for (size_t i = 0; i < s->nworktime; i++) {
        const bpa_se_worktime *t = &s->worktime[i];
        cJSON *o = bpa_jw_item(&w, arr);
        bpa_jw_str(&w, o, "helper", t->helper);
        bpa_jw_date(&w, o, "from", t->from);
        bpa_jw_date(&w, o, "to", t->to);
        bpa_jw_hours(&w, o, "hours", t->hours);
        bpa_jw_hours(&w, o, "limit", t->limit);
        bpa_jw_hours(&w, o, "excess", t->excess);
    }
    bpa_jw_int(&w, root, "files", s->files);
    bpa_jw_int(&w, root, "shifts", s->shifts);
    /* the budget's parameters, then those the avräkning read */
    size_t np = g->nused + s->nused;
    bpa_used_param *all = bpa_calloc(np ? np : 1, sizeof *all);
    if (!all) {
        cJSON_Delete(root);
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    if (g->nused)
        memcpy(all, g->used, g->nused * sizeof *all);
    if (s->nused)
        memcpy(all + g->nused, s->used, s->nused * sizeof *all);
    bpa_jw_params(&w, root, g->policy, all, np);
    free(all);
    bpa_jw_trace(&w, root, &s->trace);
    return bpa_jw_finish(&w, root, json, err);
}
