/* The Swedish budget and avräkning as text for people (bpa_se_grant_summary,
 * bpa_se_settle_summary, bpa/se.h): Swedish by default, English on request.
 * Every figure is one bpa_se_grant_compute or bpa_se_settle recorded;
 * nothing here reads a policy value or computes an amount. */
#include "bpa/se.h"

#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"
#include "trace/format.h"

typedef struct txt {
    const char *title, *period, *efterskott, *forskott, *cap[3], *head, *total, *fk_pays,
        *kommun_pays, *repay, *pay_out, *settled, *by, *kommun_share, *not_paid, *expenses,
        *reimb, *not_reimb, *outside, *reports, *shifts, *warnings, *rakning;
} txt;

static const txt SV = {
    "Avräkning av assistansersättning",
    "Beviljandeperiod",
    "efterskott",
    "förskott",
    {"perioden", "månaden", "veckan"},
    "Månad    Aktiv tid  Väntetid  Beredskap  Debiterbart   Betalas  Timbelopp      Belopp    Utbetalt  Räkning senast",
    "Summa",
    "Försäkringskassan betalar",
    "Kommunen betalar",
    "Att återbetala",
    "Att få utbetalt",
    "Inget att betala",
    "senast",
    "Kommunens andel (de första timmarna per vecka)",
    "Timmar över de beviljade (betalas inte)",
    "Assistenternas utlägg",
    "ersätts",
    "ersätts inte",
    "Timmar utanför varje beviljandeperiod",
    "Tidsredovisningar",
    "pass",
    "Varningar",
    "räkning",
};

static const txt EN = {
    "Settlement of assistance compensation (avräkning)",
    "Grant period",
    "paid in arrears (efterskott)",
    "paid in advance (förskott)",
    {"the period", "the month", "the week"},
    "Month       Active   Waiting   Stand-by     Billable  Paid for       Rate      Amount    Paid out  Räkning due",
    "Total",
    "Försäkringskassan pays",
    "The kommun pays",
    "To repay",
    "To be paid out",
    "Nothing to pay",
    "at the latest",
    "The kommun's share (the first hours per week)",
    "Hours above the granted hours (not paid)",
    "Assistants' expenses",
    "reimbursable",
    "not reimbursable",
    "Hours outside every grant period",
    "Time reports (tidsredovisningar)",
    "shifts",
    "Warnings",
    "räkning",
};

static void num(bpa_strbuf *sb, bpa_lang lang, const mpq_t q, unsigned dec)
{
    bpa_lang_add_fixed(sb, lang, q, dec);
}

static void cell(bpa_strbuf *sb, bpa_lang lang, const mpq_t q, unsigned dec, int width)
{
    bpa_strbuf t;
    bpa_strbuf_init(&t);
    num(&t, lang, q, dec);
    char *s = bpa_strbuf_detach(&t);
    if (!s) {
        sb->failed = true;
        return;
    }
    /* pad by characters, not bytes (a no-break space is two bytes) */
    int chars = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        chars += (*p & 0xC0) != 0x80;
    for (int i = chars; i < width; i++)
        bpa_strbuf_add(sb, " ");
    bpa_strbuf_add(sb, s);
    free(s);
}

/* The warnings block, in the summary's language. */
static bpa_status add_warnings(bpa_strbuf *sb, bpa_lang lang, const char *title,
                               const bpa_warnings *w, bpa_error *err)
{
    if (!w->n)
        return BPA_OK;
    bpa_strbuf_addf(sb, "\n%s:\n", title);
    for (size_t i = 0; i < w->n; i++) {
        char *msg, *where;
        bpa_status st = bpa_warning_render(w, i, lang, &msg, &where, err);
        if (st != BPA_OK)
            return st;
        bpa_strbuf_addf(sb, "  - %s (%s)\n", msg, where);
        free(msg);
        free(where);
    }
    return BPA_OK;
}

static bpa_status finish(bpa_strbuf *sb, char **text, bpa_error *err)
{
    *text = bpa_strbuf_detach(sb);
    if (!*text)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    return BPA_OK;
}

typedef struct budget_txt {
    const char *title, *policy, *head, *days, *total, *all_periods, *billable, *hours;
} budget_txt;

static const budget_txt BUDGET_SV = {
    "Budget för assistans",
    "Regelverk",
    "Månad   Dagar  Aktiv tid  Väntetid  Beredskap  Debiterbart  Timbelopp      Belopp  Räkning senast",
    "dagar",
    "Summa",
    "Alla perioder",
    "Debiterbara timmar",
    "tim",
};

static const budget_txt BUDGET_EN = {
    "Budget of the assistance",
    "Policy",
    "Month    Days     Active   Waiting   Stand-by     Billable       Rate      Amount  Räkning due",
    "days",
    "Total",
    "All periods",
    "Billable hours",
    "h",
};

bpa_status bpa_se_grant_summary(const bpa_se_grant *g, bpa_lang lang, char **text,
                                bpa_error *err)
{
    *text = NULL;
    if (lang != BPA_LANG_EN)
        lang = BPA_LANG_SV;
    const txt *T = lang == BPA_LANG_EN ? &EN : &SV;
    const budget_txt *B = lang == BPA_LANG_EN ? &BUDGET_EN : &BUDGET_SV;
    const bpa_case *c = g->kase;
    const char *payer = c->scheme == BPA_SCHEME_SE_LSS_9_2 ? T->kommun_pays : T->fk_pays;
    bpa_strbuf sb;
    bpa_strbuf_init(&sb);
    bpa_strbuf_addf(&sb, "%s: %s (%s)\n", B->title, c->id, bpa_scheme_name(c->scheme));
    bpa_strbuf_addf(&sb, "%s: %s (%s)\n\n", B->policy, bpa_policy_title(g->policy),
                    c->policy);
    for (size_t i = 0; i < g->nperiods; i++) {
        const bpa_se_budget_period *p = &g->periods[i];
        bpa_strbuf_addf(&sb, "%s ", T->period);
        bpa_lang_add_period(&sb, lang, p->from, p->to);
        bpa_strbuf_addf(&sb, " (%ld %s), %s, %s %s\n", p->days, B->days,
                        p->payment == BPA_SE_FORSKOTT ? T->forskott : T->efterskott,
                        lang == BPA_LANG_EN ? "capped within" : "tak inom",
                        T->cap[p->cap_unit]);
        bpa_strbuf_addf(&sb, "  %s\n", B->head);
        for (size_t k = 0; k < p->nmonths; k++) {
            const bpa_se_budget_month *m = &p->months[k];
            char ym[8];
            bpa_month_format(m->year, m->month, ym);
            bpa_strbuf_addf(&sb, "  %s %5ld", ym, m->days);
            cell(&sb, lang, m->granted[0], 2, 11);
            cell(&sb, lang, m->granted[1], 2, 10);
            cell(&sb, lang, m->granted[2], 2, 11);
            cell(&sb, lang, m->billable, 2, 13);
            cell(&sb, lang, m->rate, 2, 11);
            cell(&sb, lang, m->amount, 2, 12);
            bpa_strbuf_add(&sb, "  ");
            bpa_lang_add_date(&sb, lang, m->rakning_due);
            bpa_strbuf_add(&sb, "\n");
        }
        bpa_strbuf_addf(&sb, "  %-7s %5ld", T->total, p->days);
        cell(&sb, lang, p->granted[0], 2, 11);
        cell(&sb, lang, p->granted[1], 2, 10);
        cell(&sb, lang, p->granted[2], 2, 11);
        cell(&sb, lang, p->billable, 2, 13);
        bpa_strbuf_add(&sb, "           ");
        cell(&sb, lang, p->amount, 2, 12);
        bpa_strbuf_addf(&sb, "\n  %s: ", payer);
        bpa_lang_add_amount(&sb, lang, p->amount);
        bpa_strbuf_add(&sb, " kr\n");
        if (p->has_kommun_share) {
            bpa_strbuf_addf(&sb, "  %s: ", T->kommun_share);
            num(&sb, lang, p->kommun_hours, 2);
            bpa_strbuf_addf(&sb, " %s, ", B->hours);
            bpa_lang_add_amount(&sb, lang, p->kommun_amount);
            bpa_strbuf_add(&sb, " kr\n");
        }
        bpa_strbuf_add(&sb, "\n");
    }
    bpa_strbuf_addf(&sb, "%s\n  %s: ", B->all_periods, B->billable);
    num(&sb, lang, g->total_billable, 2);
    bpa_strbuf_addf(&sb, " %s\n  %s: ", B->hours, payer);
    bpa_lang_add_amount(&sb, lang, g->total_amount);
    bpa_strbuf_add(&sb, " kr\n");
    if (g->has_kommun_share) {
        bpa_strbuf_addf(&sb, "  %s: ", T->kommun_share);
        num(&sb, lang, g->total_kommun_hours, 2);
        bpa_strbuf_addf(&sb, " %s, ", B->hours);
        bpa_lang_add_amount(&sb, lang, g->total_kommun_amount);
        bpa_strbuf_add(&sb, " kr\n");
    }
    bpa_status st = add_warnings(&sb, lang, T->warnings, &g->warnings, err);
    if (st != BPA_OK) {
        bpa_strbuf_release(&sb);
        return st;
    }
    return finish(&sb, text, err);
}

bpa_status bpa_se_settle_summary(const bpa_se_settlement *s, bpa_lang lang, char **text,
                                 bpa_error *err)
{
    *text = NULL;
    if (lang != BPA_LANG_EN)
        lang = BPA_LANG_SV;
    const txt *T = lang == BPA_LANG_EN ? &EN : &SV;
    const bpa_se_grant *g = s->grant;
    const bpa_case *c = g->kase;
    bool kommun = c->scheme == BPA_SCHEME_SE_LSS_9_2;
    bpa_strbuf sb;
    bpa_strbuf_init(&sb);
    bpa_strbuf_addf(&sb, "%s: %s (%s)\n\n", T->title, c->id, bpa_scheme_name(c->scheme));
    for (size_t i = 0; i < s->nperiods; i++) {
        const bpa_se_settle_period *p = &s->periods[i];
        bpa_strbuf_addf(&sb, "%s ", T->period);
        bpa_lang_add_period(&sb, lang, p->from, p->to);
        bpa_strbuf_addf(&sb, ", %s, %s %s\n", p->payment == BPA_SE_FORSKOTT ? T->forskott
                                                                          : T->efterskott,
                        lang == BPA_LANG_EN ? "capped within" : "tak inom",
                        T->cap[p->cap_unit]);
        bpa_strbuf_addf(&sb, "  %s\n", T->head);
        for (size_t k = 0; k < p->nmonths; k++) {
            const bpa_se_settle_month *m = &p->months[k];
            char ym[8];
            bpa_month_format(m->year, m->month, ym);
            bpa_strbuf_addf(&sb, "  %s", ym);
            cell(&sb, lang, m->used[0], 2, 11);
            cell(&sb, lang, m->used[1], 2, 10);
            cell(&sb, lang, m->used[2], 2, 11);
            cell(&sb, lang, m->billable, 2, 13);
            cell(&sb, lang, m->capped, 2, 10);
            cell(&sb, lang, m->rate, 2, 11);
            cell(&sb, lang, m->amount, 2, 12);
            cell(&sb, lang, m->paid, 2, 12);
            bpa_strbuf_add(&sb, "  ");
            bpa_lang_add_date(&sb, lang, m->rakning_due);
            bpa_strbuf_add(&sb, "\n");
        }
        bpa_strbuf_addf(&sb, "  %-7s", T->total);
        cell(&sb, lang, p->used[0], 2, 11);
        cell(&sb, lang, p->used[1], 2, 10);
        cell(&sb, lang, p->used[2], 2, 11);
        cell(&sb, lang, p->billable, 2, 13);
        cell(&sb, lang, p->capped, 2, 10);
        bpa_strbuf_add(&sb, "           ");
        cell(&sb, lang, p->amount, 2, 12);
        cell(&sb, lang, p->paid, 2, 12);
        bpa_strbuf_add(&sb, "\n");
        bpa_strbuf_addf(&sb, "  %s (%s): ", kommun ? T->kommun_pays : T->fk_pays, lang == BPA_LANG_EN ? "the months' amounts" : "månadernas belopp");
        bpa_lang_add_amount(&sb, lang, p->amount);
        bpa_strbuf_add(&sb, " kr\n");
        if (mpq_sgn(p->not_paid_hours)) {
            bpa_strbuf_addf(&sb, "  %s: ", T->not_paid);
            num(&sb, lang, p->not_paid_hours, 2);
            bpa_strbuf_addf(&sb, " %s\n", lang == BPA_LANG_EN ? "h" : "tim");
        }
        const char *dir = p->direction == BPA_REPAY     ? T->repay
                          : p->direction == BPA_PAY_OUT ? T->pay_out
                                                        : T->settled;
        bpa_strbuf_addf(&sb, "  %s", dir);
        if (p->direction != BPA_SETTLED) {
            mpq_t a;
            mpq_init(a);
            mpq_abs(a, p->balance);
            bpa_strbuf_add(&sb, ": ");
            bpa_lang_add_amount(&sb, lang, a);
            bpa_strbuf_add(&sb, " kr");
            mpq_clear(a);
        }
        bpa_strbuf_addf(&sb, " (%s ", lang == BPA_LANG_EN ? "slutavräkning" : "slutavräkning");
        bpa_strbuf_addf(&sb, "%s ", T->by);
        bpa_lang_add_date(&sb, lang, p->slutavrakning_due);
        bpa_strbuf_add(&sb, ")\n");
        if (p->has_kommun_share) {
            bpa_strbuf_addf(&sb, "  %s: ", T->kommun_share);
            num(&sb, lang, p->kommun_hours, 2);
            bpa_strbuf_addf(&sb, " %s, ", lang == BPA_LANG_EN ? "h" : "tim");
            bpa_lang_add_amount(&sb, lang, p->kommun_amount);
            bpa_strbuf_add(&sb, " kr\n");
        }
        bpa_strbuf_add(&sb, "\n");
    }
    if (s->nreceipts) {
        bpa_strbuf_addf(&sb, "%s: %s ", T->expenses, T->reimb);
        bpa_lang_add_amount(&sb, lang, s->reimbursable);
        bpa_strbuf_addf(&sb, " kr, %s ", T->not_reimb);
        bpa_lang_add_amount(&sb, lang, s->not_reimbursable);
        bpa_strbuf_add(&sb, " kr\n");
    }
    if (mpq_sgn(s->outside[0]) || mpq_sgn(s->outside[1]) || mpq_sgn(s->outside[2])) {
        bpa_strbuf_addf(&sb, "%s: ", T->outside);
        for (int k = 0; k < BPA_SE_KINDS; k++) {
            static const char *const sv[] = {"aktiv tid", "väntetid", "beredskap"};
            static const char *const en[] = {"active", "waiting", "stand-by"};
            if (k)
                bpa_strbuf_add(&sb, ", ");
            num(&sb, lang, s->outside[k], 2);
            bpa_strbuf_addf(&sb, " %s", lang == BPA_LANG_EN ? en[k] : sv[k]);
        }
        bpa_strbuf_add(&sb, "\n");
    }
    if (s->ntidsredovisningar) {
        bpa_strbuf_addf(&sb, "%s:\n", T->reports);
        for (size_t i = 0; i < s->ntidsredovisningar; i++) {
            const bpa_se_tidsredovisning *t = &s->tidsredovisningar[i];
            char ym[8];
            bpa_month_format(t->year, t->month, ym);
            bpa_strbuf_addf(&sb, "  %s  %-12s", ym, t->helper);
            for (int k = 0; k < BPA_SE_KINDS; k++)
                cell(&sb, lang, t->hours[k], 2, 10);
            bpa_strbuf_addf(&sb, "  %ld %s\n", t->shifts, T->shifts);
        }
    }
    bpa_status st = add_warnings(&sb, lang, T->warnings, &s->warnings, err);
    if (st != BPA_OK) {
        bpa_strbuf_release(&sb);
        return st;
    }
    return finish(&sb, text, err);
}
