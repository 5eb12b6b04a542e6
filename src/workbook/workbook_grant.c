/* The grant workbook (RULES.md sections 7 and 10): summary, tariff table,
 * lines per segment, months, inputs and trace. Every computed cell is a
 * formula over the cells it depends on with the engine's value stored. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/workbook.h"
#include "core/alloc.h"
#include "io/outfile.h"
#include "trace/format.h"
#include "trace/labels.h"
#include "workbook/workbook_common.h"

/* One column pair of the tariff table: add-ons are grouped by name, type
 * and base, so a tariff change that renames an add-on gets its own pair. */
typedef struct addon_col {
    const char *name;
    bpa_addon_type type;
    bool on_wage_and_supplement;
} addon_col;

typedef struct gctx {
    wb w;
    const bpa_grant *g;
    const bpa_case *c;
    const bpa_policy *p;
    wb_sheet sum, tar, lin, mon, inp, trc;
    addon_col *addons; /* as many as the rates name */
    int naddons;
    int *rate_row;
    int hourly_col;
    int *line_row;
    int *index_row; /* per indexation */
    int *month_row;
    int month_total_row;
    wb_inputs_at at; /* the input cells formulas start from */
} gctx;

/* Lines sheet columns */
enum { L_FROM, L_TO, L_MONTH, L_RULE, L_WHAT, L_HOW, L_QTY, L_RATE, L_AMOUNT, L_NCOLS };
/* Months sheet columns */
enum { M_MONTH, M_HOURS, M_WAGES, M_ADMIN, M_RECIPIENT, M_DUE, M_ALLOWANCE, M_ALLOWANCE_DUE,
       M_PAYROLL, M_NCOLS };
/* Tariff sheet fixed columns */
enum { T_CAT, T_FROM, T_TO, T_R1, T_WAGE, T_FRACTION, T_SUPP_PARAM, T_SUPP_UNIT, T_ADDON0 };

#define TABLE_HEAD 3 /* row of the column headers on the table sheets */

static const char *rule_key(bpa_line_rule r)
{
    static const char *const keys[] = {"rule.wages", "rule.per_helper", "rule.admin",
                                       "rule.payroll_admin_cap", "rule.allowance",
                                       "rule.hourly_cap_reduction"};
    return keys[r];
}

/* ---- tariff table ------------------------------------------------------------------ */

static int addon_group(gctx *x, const bpa_rate_addon *a)
{
    for (int k = 0; k < x->naddons; k++)
        if (strcmp(x->addons[k].name, a->name) == 0 && x->addons[k].type == a->type &&
            x->addons[k].on_wage_and_supplement == a->on_wage_and_supplement)
            return k;
    x->addons[x->naddons] = (addon_col){a->name, a->type, a->on_wage_and_supplement};
    return x->naddons++;
}

static int base_col(const gctx *x) { return T_ADDON0 + x->naddons; }

/* A policy value the inputs sheet holds as an input cell: the tariff
 * refers to it, so editing it there recomputes the rates; a value not
 * there (none read, or not the number read) stays an input here. */
static void from_input(gctx *x, int r, int col, const mpq_t q, size_t read, lxw_format *fmt)
{
    mpq_srcptr in = read < x->g->nused ? x->at.num[read] : NULL;
    if (in && mpq_equal(in, q))
        wb_formula(&x->tar, r, col, fmt, q,
                   wb_fmt(&x->w, "=%s", wb_ref(&x->w, &x->inp, x->at.param_row[read], WB_IN_VALUE)));
    else
        wb_input(&x->tar, r, col, q, fmt);
}

/* The values the tariff starts from, as input cells of the inputs sheet:
 * wages, supplements and the on-call fraction that rates were made of. */
static void mark_inputs(gctx *x)
{
    const bpa_grant *g = x->g;
    for (size_t i = 0; i < g->nrates; i++) {
        const bpa_rate *rt = &g->rates[i];
        size_t reads[] = {rt->wage_read, rt->fraction_read,
                          rt->has_supplement ? rt->supplement_read : BPA_NO_PARAM};
        for (size_t k = 0; k < sizeof reads / sizeof reads[0]; k++) {
            if (reads[k] >= g->nused)
                continue;
            const bpa_value *v = g->used[reads[k]].v;
            if (v->shape == BPA_SHAPE_WAGE || v->shape == BPA_SHAPE_FACTOR ||
                v->shape == BPA_SHAPE_SUPPLEMENT || v->shape == BPA_SHAPE_DECIMAL)
                x->at.num[reads[k]] = v->q;
        }
    }
}

static void tariff_rows(gctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->tar;
    const wb_formats *f = &w->f;
    const bpa_grant *g = x->g;
    for (size_t i = 0; i < g->nrates; i++)
        for (size_t k = 0; k < g->rates[i].naddons; k++)
            addon_group(x, &g->rates[i].addons[k]);
    int bc = base_col(x), sc = bc + 1;
    x->hourly_col = bc + 2 + x->naddons;

    wb_ltext(sh, 0, 0, "tariff.title", f->title);
    wb_ltext(sh, 1, 0, "tariff.subtitle", f->subtitle);
    static const char *const head[] = {"col.category", "col.from",     "col.to",
                                       "col.r1",       "col.wage",     "col.fraction",
                                       "col.supp_param", "col.supp_unit"};
    wb_head(sh, TABLE_HEAD, head, 8, WB_COL(T_WAGE) | WB_COL(T_FRACTION) | WB_COL(T_SUPP_PARAM));
    for (int k = 0; k < x->naddons; k++) {
        const addon_col *a = &x->addons[k];
        const char *unit = a->type == BPA_ADDON_KR_PER_HOUR ? "unit.kr_per_hour"
                           : a->on_wage_and_supplement     ? "unit.pct_wage_supp"
                                                           : "unit.pct_wage";
        wb_head_text(sh, TABLE_HEAD, T_ADDON0 + k, wb_fmt(w, "%s, %s", a->name, wb_label(w, unit)),
                     true);
        wb_head_text(sh, TABLE_HEAD, bc + 2 + k, a->name, true);
    }
    wb_head_text(sh, TABLE_HEAD, bc, wb_label(w, "col.base"), true);
    wb_head_text(sh, TABLE_HEAD, sc, wb_label(w, "col.supplement"), true);
    wb_head_text(sh, TABLE_HEAD, x->hourly_col, wb_label(w, "col.hourly"), true);

    int r = TABLE_HEAD + 1;
    for (size_t i = 0; i < g->nrates; i++, r++) {
        const bpa_rate *rt = &g->rates[i];
        bpa_rounding mode = rt->mode;
        x->rate_row[i] = r;
        wb_text(sh, r, T_CAT, wb_category(w, &rt->category), f->text);
        wb_date(sh, r, T_FROM, rt->from, NULL);
        wb_date(sh, r, T_TO, rt->to, NULL);
        wb_ltext(sh, r, T_R1, rt->round_components ? "word.yes" : "word.no", f->text);
        from_input(x, r, T_WAGE, rt->wage, rt->wage_read,
                   bpa_is_exact_at(rt->wage, 2) ? f->rate : f->rate_exact);
        from_input(x, r, T_FRACTION, rt->fraction, rt->fraction_read, f->factor);
        const char *W = wb_cell(w, r, T_WAGE), *FR = wb_cell(w, r, T_FRACTION);
        const char *SP = wb_cell(w, r, T_SUPP_PARAM);
        const char *B = wb_cell(w, r, bc), *S = wb_cell(w, r, sc);
        /* step 1 and R1: base */
        const char *base = wb_fmt(w, "%s*%s", W, FR);
        wb_formula(sh, r, bc, rt->round_components ? f->rate : f->rate_exact, rt->base,
                   wb_fmt(w, "=%s", rt->round_components ? wb_round(w, mode, base) : base));
        /* step 2 and R1: supplement, on W for work and on-call alike */
        if (rt->has_supplement) {
            from_input(x, r, T_SUPP_PARAM, rt->supplement_param, rt->supplement_read,
                       rt->supplement_pct ? f->factor : f->rate);
            wb_ltext(sh, r, T_SUPP_UNIT, rt->supplement_pct ? "unit.pct_wage" : "unit.kr_per_hour",
                     f->text);
            const char *e = rt->supplement_pct ? wb_fmt(w, "%s*%s/100", W, SP) : SP;
            wb_formula(sh, r, sc, rt->round_components ? f->rate : f->rate_exact, rt->supplement,
                       wb_fmt(w, "=%s", rt->round_components ? wb_round(w, mode, e) : e));
        } else {
            wb_input(sh, r, sc, rt->supplement, f->rate); /* no supplement for this band */
        }
        /* steps 4 and R2: add-ons */
        for (size_t k = 0; k < rt->naddons; k++) {
            const bpa_rate_addon *a = &rt->addons[k];
            int grp = addon_group(x, a);
            int pc = T_ADDON0 + grp, ac = bc + 2 + grp;
            const char *P = wb_cell(w, r, pc);
            wb_input(sh, r, pc, a->param, a->type == BPA_ADDON_PCT ? f->factor : f->rate);
            const char *e;
            if (a->type == BPA_ADDON_PCT)
                e = a->on_wage_and_supplement ? wb_fmt(w, "(%s+%s)*%s/100", B, S, P)
                                              : wb_fmt(w, "%s*%s/100", B, P);
            else
                e = P;
            wb_formula(sh, r, ac, f->rate, a->amount, wb_fmt(w, "=%s", wb_round(w, mode, e)));
        }
        /* step 5: the hourly rate */
        wb_formula(sh, r, x->hourly_col,
                   bpa_is_exact_at(rt->hourly, 2) ? f->amount : f->rate_exact, rt->hourly,
                   wb_fmt(w, "=SUM(%s:%s)", B, wb_cell(w, r, x->hourly_col - 1)));
    }
    int last = r - 1;

    /* R4: indexed administration amounts */
    if (g->nindexations) {
        r++;
        wb_ltext(sh, r++, 0, "tariff.index_title", f->section);
        static const char *const ihead[] = {"col.parameter", "col.level",  "col.amount",
                                            "col.year",      "col.index_year", "col.index_level",
                                            "col.indexed"};
        wb_head(sh, r++, ihead, 7, ~WB_COL(0));
        for (size_t i = 0; i < g->nindexations; i++, r++) {
            const bpa_indexation *ix = &g->indexations[i];
            x->index_row[i] = r;
            /* the parameter by what it is, its id beside it */
            const char *id = g->used[ix->param_read].name;
            bpa_strbuf lb;
            bpa_strbuf_init(&lb);
            const char *name = id;
            if (bpa_label_param(&lb, id, w->lang)) {
                char *t = bpa_strbuf_detach(&lb);
                name = t ? wb_fmt(w, "%s (%s)", t, id) : id;
                free(t);
            } else {
                bpa_strbuf_release(&lb);
            }
            wb_text(sh, r, 0, name, f->text);
            wb_int(sh, r, 1, ix->level, NULL);
            wb_input(sh, r, 2, ix->amount, f->amount);
            wb_int(sh, r, 3, ix->year, NULL);
            wb_input(sh, r, 4, ix->index_year, f->factor);
            wb_input(sh, r, 5, ix->index_level, f->factor);
            wb_formula(sh, r, 6, f->amount, ix->indexed,
                       wb_fmt(w, "=%s", wb_round(w, ix->mode,
                                                 wb_fmt(w, "%s*%s/%s", wb_cell(w, r, 2),
                                                        wb_cell(w, r, 4), wb_cell(w, r, 5)))));
        }
    }
    wb_sheet_wrap_col(sh, T_CAT, 34);
    wb_sheet_finish(sh, TABLE_HEAD, last, x->hourly_col + 1);
}

/* ---- lines --------------------------------------------------------------------------- */

/* The hours of a wage line as its terms give them ("=37*52*31/365",
 * "=40*31/7+14*16"). */
static const char *wage_hours_formula(gctx *x, const bpa_line *l)
{
    wb *w = &x->w;
    const char *expr = "";
    for (size_t i = 0; i < l->nterms; i++) {
        const bpa_hours_term *t = &l->terms[i];
        const char *a = wb_qtext(w, t->amount), *sep = *expr ? "+" : "";
        const bpa_case *c = x->c;
        int in = -1; /* the input cell the term's hours per week, total or per day are in */
        if (t->basis == BPA_HOURS_TRIP) {
            if (t->source < c->dk->ntrips &&
                mpq_equal(c->dk->trips[t->source].extra_hours_per_day, t->amount))
                in = x->at.trip_row[t->source];
        } else if (l->decision < c->dk->ndecisions &&
                   t->source < c->dk->decisions[l->decision].nlines &&
                   mpq_equal(c->dk->decisions[l->decision].lines[t->source].amount, t->amount)) {
            in = x->at.line_row[l->decision][t->source];
        }
        if (in >= 0)
            a = wb_ref(w, &x->inp, in, WB_IN_VALUE);
        switch (t->basis) {
        case BPA_HOURS_WEEKS52:
            expr = wb_fmt(w, "%s%s%s*52*%ld/%ld", expr, sep, a, t->days, t->divisor);
            break;
        case BPA_HOURS_CALENDAR:
            expr = wb_fmt(w, "%s%s%s*%ld/7", expr, sep, a, t->days);
            break;
        case BPA_HOURS_TOTAL:
            expr = wb_fmt(w, "%s%s%s*%ld/%ld", expr, sep, a, t->days, t->divisor);
            break;
        case BPA_HOURS_TRIP:
            expr = wb_fmt(w, "%s%s%ld*%s", expr, sep, t->days, a);
            break;
        }
    }
    return wb_fmt(w, "=%s", *expr ? expr : "0");
}

/* A number as a reader writes it in a sum: whole numbers without
 * decimals ("60"), others as format.h gives them ("12,5"). */
static void add_num(bpa_strbuf *b, bpa_lang lang, const mpq_t q)
{
    if (mpz_cmp_ui(mpq_denref(q), 1) == 0 && mpz_fits_slong_p(mpq_numref(q)))
        bpa_strbuf_addf(b, "%ld", mpz_get_si(mpq_numref(q)));
    else
        bpa_lang_add_number(b, lang, q);
}

/* How a wage line's hours arise, in words from its terms
 * ("60 t/uge × 52 × 31/365 + 14 × 16"). */
static const char *wage_hours_text(gctx *x, const bpa_line *l)
{
    wb *w = &x->w;
    bpa_strbuf b;
    bpa_strbuf_init(&b);
    for (size_t i = 0; i < l->nterms; i++) {
        const bpa_hours_term *t = &l->terms[i];
        if (i)
            bpa_strbuf_add(&b, " + ");
        if (t->basis == BPA_HOURS_TRIP) {
            bpa_strbuf_addf(&b, "%ld × ", t->days);
            add_num(&b, w->lang, t->amount);
            continue;
        }
        add_num(&b, w->lang, t->amount);
        bpa_strbuf_addf(&b, " %s", wb_label(w, t->basis == BPA_HOURS_TOTAL ? "unit.h_total"
                                                                            : "unit.h_per_week"));
        if (t->basis == BPA_HOURS_WEEKS52)
            bpa_strbuf_addf(&b, " × 52 × %ld/%ld", t->days, t->divisor);
        else if (t->basis == BPA_HOURS_CALENDAR)
            bpa_strbuf_addf(&b, " × %ld/7", t->days);
        else
            bpa_strbuf_addf(&b, " × %ld/%ld", t->days, t->divisor);
    }
    char *s = bpa_strbuf_detach(&b);
    if (!s) {
        w->nomem = true;
        return "";
    }
    const char *r = wb_fmt(w, "%s", s);
    free(s);
    return r;
}

/* Rows of the lines sheet holding lines of a segment with the given rules. */
static size_t segment_rows(const gctx *x, size_t seg, unsigned rules, bool work_only, int *rows)
{
    size_t n = 0;
    for (size_t i = 0; i < x->g->nlines; i++) {
        const bpa_line *l = &x->g->lines[i];
        if (l->segment != seg || !(rules & (1u << l->rule)))
            continue;
        if (work_only && (!l->has_category || l->category.kind != BPA_KIND_WORK))
            continue;
        rows[n++] = x->line_row[i];
    }
    return n;
}

static void line_rows(gctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->lin;
    const wb_formats *f = &w->f;
    const bpa_grant *g = x->g;
    wb_ltext(sh, 0, 0, "lines.title", f->title);
    wb_ltext(sh, 1, 0, "lines.subtitle", f->subtitle);
    static const char *const head[] = {"col.from",      "col.to",       "col.month",
                                       "col.rule",      "col.what",     "col.hours_how",
                                       "col.quantity",  "col.rate",     "col.amount"};
    wb_head(sh, TABLE_HEAD, head, L_NCOLS, WB_COL(L_QTY) | WB_COL(L_RATE) | WB_COL(L_AMOUNT));
    for (size_t i = 0; i < g->nlines; i++)
        x->line_row[i] = TABLE_HEAD + 1 + (int)i;
    int *rows = bpa_calloc(g->nlines ? g->nlines : 1, sizeof *rows);
    if (!rows) {
        w->nomem = true;
        return;
    }
    for (size_t i = 0; i < g->nlines; i++) {
        const bpa_line *l = &g->lines[i];
        int r = x->line_row[i];
        bpa_rounding mode = l->mode;
        const char *Q = wb_cell(w, r, L_QTY), *R = wb_cell(w, r, L_RATE);
        wb_date(sh, r, L_FROM, l->from, NULL);
        wb_date(sh, r, L_TO, l->to, NULL);
        wb_month(sh, r, L_MONTH, bpa_date_year(l->from), bpa_date_month(l->from));
        wb_ltext(sh, r, L_RULE, rule_key(l->rule), f->text);
        const char *amount = wb_fmt(w, "=%s", wb_round(w, mode, wb_fmt(w, "%s*%s", Q, R)));
        switch (l->rule) {
        case BPA_LINE_WAGES: {
            wb_text(sh, r, L_WHAT, wb_category(w, &l->category), f->text);
            wb_text(sh, r, L_HOW, wage_hours_text(x, l), f->wrap);
            wb_formula(sh, r, L_QTY, f->hours4, l->hours, wage_hours_formula(x, l));
            wb_formula(sh, r, L_RATE, bpa_is_exact_at(l->rate_value, 2) ? f->rate : f->rate_exact,
                       l->rate_value,
                       wb_fmt(w, "=%s", wb_ref(w, &x->tar, x->rate_row[l->rate], x->hourly_col)));
            break;
        }
        case BPA_LINE_PER_HELPER:
        case BPA_LINE_PAYROLL_ADMIN_CAP: {
            wb_text(sh, r, L_WHAT,
                    l->name ? wb_fmt(w, "%s (%ld %s)", l->name, l->helpers,
                                     wb_label(w, "unit.helpers"))
                            : wb_fmt(w, "%ld %s", l->helpers, wb_label(w, "unit.helpers")),
                    f->text);
            wb_text(sh, r, L_HOW, wb_fmt(w, "%ld × %ld/%ld", l->helpers, l->days, l->year_days),
                    f->text);
            wb_formula(sh, r, L_QTY, f->share, l->hours,
                       wb_fmt(w, "=%ld*%ld/%ld", l->helpers, l->days, l->year_days));
            if (l->rule == BPA_LINE_PAYROLL_ADMIN_CAP)
                wb_formula(sh, r, L_RATE, f->rate, l->rate_value,
                           wb_fmt(w, "=%s", wb_ref(w, &x->tar, x->index_row[l->indexation], 6)));
            else
                wb_input(sh, r, L_RATE, l->rate_value, f->rate);
            break;
        }
        case BPA_LINE_ADMIN: {
            bool work = l->work_hours_only;
            wb_ltext(sh, r, L_WHAT, work ? "lines.admin_work_hours" : "lines.admin_all_hours",
                     f->text);
            size_t n = segment_rows(x, l->segment, 1u << BPA_LINE_WAGES, work, rows);
            wb_formula(sh, r, L_QTY, f->hours4, l->hours,
                       wb_fmt(w, "=%s", wb_sum_rows(w, NULL, rows, n, L_QTY)));
            wb_formula(sh, r, L_RATE, f->rate, l->rate_value,
                       wb_fmt(w, "=%s", wb_ref(w, &x->tar, x->index_row[l->indexation], 6)));
            break;
        }
        case BPA_LINE_ALLOWANCE: {
            wb_ltext(sh, r, L_WHAT, "lines.allowance_share", f->text);
            wb_text(sh, r, L_HOW, wb_fmt(w, "%ld/%ld", l->days, l->month_days), f->text);
            wb_formula(sh, r, L_QTY, f->share, l->hours,
                       wb_fmt(w, "=%ld/%ld", l->days, l->month_days));
            wb_input(sh, r, L_RATE, l->rate_value, f->amount);
            break;
        }
        case BPA_LINE_HOURLY_CAP_REDUCTION: {
            wb_ltext(sh, r, L_WHAT, "lines.cap_hours", f->text);
            size_t n = segment_rows(x, l->segment, 1u << BPA_LINE_WAGES, false, rows);
            wb_formula(sh, r, L_QTY, f->hours4, l->hours,
                       wb_fmt(w, "=%s", wb_sum_rows(w, NULL, rows, n, L_QTY)));
            wb_input(sh, r, L_RATE, l->rate_value, f->rate);
            /* the segment's cost: wage, per-helper and administration lines */
            n = segment_rows(x, l->segment,
                             (1u << BPA_LINE_WAGES) | (1u << BPA_LINE_PER_HELPER) |
                                 (1u << BPA_LINE_ADMIN),
                             false, rows);
            amount = wb_fmt(w, "=MIN(0,%s-%s)", wb_round(w, mode, wb_fmt(w, "%s*%s", Q, R)),
                            wb_sum_rows(w, NULL, rows, n, L_AMOUNT));
            break;
        }
        }
        wb_formula(sh, r, L_AMOUNT, f->amount, l->amount, amount);
    }
    free(rows);
    wb_sheet_wrap_col(sh, L_WHAT, 36);
    wb_sheet_wrap_col(sh, L_HOW, 40);
    wb_sheet_finish(sh, TABLE_HEAD, TABLE_HEAD + (int)g->nlines, L_NCOLS);
}

/* ---- months -------------------------------------------------------------------------- */

static void month_rows(gctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->mon;
    const wb_formats *f = &w->f;
    const bpa_grant *g = x->g;
    wb_ltext(sh, 0, 0, "months.title", f->title);
    wb_ltext(sh, 1, 0,
             g->pays_recipient                          ? (g->forud ? "months.subtitle_forud"
                                                                    : "months.subtitle_bagud")
             : x->c->scheme == BPA_SCHEME_DK_SEL_94 ? "months.subtitle_94"
                                                    : "months.subtitle_none",
             f->subtitle);
    static const char *const head[] = {"col.month",     "col.hours",         "col.wages",
                                       "col.admin",     "col.recipient",     "col.due",
                                       "col.allowance", "col.allowance_due", "col.payroll_cap"};
    wb_head(sh, TABLE_HEAD, head, M_NCOLS,
            WB_COL(M_HOURS) | WB_COL(M_WAGES) | WB_COL(M_ADMIN) | WB_COL(M_RECIPIENT) |
                WB_COL(M_ALLOWANCE) | WB_COL(M_PAYROLL));
    int *rows = bpa_calloc(g->nlines ? g->nlines : 1, sizeof *rows);
    if (!rows) {
        w->nomem = true;
        return;
    }
    int r = TABLE_HEAD + 1;
    for (size_t mi = 0; mi < g->nmonths; mi++, r++) {
        const bpa_month *m = &g->months[mi];
        x->month_row[mi] = r;
        wb_month(sh, r, M_MONTH, m->year, m->month);
        struct {
            int col, qcol;
            unsigned rules;
            const mpq_t *q;
            lxw_format *fmt;
        } sums[] = {
            {M_HOURS, L_QTY, 1u << BPA_LINE_WAGES, &m->hours, f->hours},
            {M_WAGES, L_AMOUNT,
             (1u << BPA_LINE_WAGES) | (1u << BPA_LINE_PER_HELPER) |
                 (1u << BPA_LINE_HOURLY_CAP_REDUCTION),
             &m->wages, f->amount},
            {M_ADMIN, L_AMOUNT, 1u << BPA_LINE_ADMIN, &m->admin, f->amount},
            {M_ALLOWANCE, L_AMOUNT, 1u << BPA_LINE_ALLOWANCE, &m->allowance, f->amount},
            {M_PAYROLL, L_AMOUNT, 1u << BPA_LINE_PAYROLL_ADMIN_CAP, &m->payroll_admin_cap,
             f->amount},
        };
        for (size_t k = 0; k < sizeof sums / sizeof sums[0]; k++) {
            size_t n = 0;
            for (size_t i = 0; i < g->nlines; i++) {
                const bpa_line *l = &g->lines[i];
                if ((sums[k].rules & (1u << l->rule)) && bpa_date_year(l->from) == m->year &&
                    bpa_date_month(l->from) == m->month)
                    rows[n++] = x->line_row[i];
            }
            wb_formula(sh, r, sums[k].col, sums[k].fmt, *sums[k].q,
                       wb_fmt(w, "=%s", wb_sum_rows(w, &x->lin, rows, n, sums[k].qcol)));
        }
        if (g->pays_recipient)
            wb_formula(sh, r, M_RECIPIENT, f->amount, m->recipient,
                       wb_fmt(w, "=%s+%s", wb_cell(w, r, M_WAGES), wb_cell(w, r, M_ADMIN)));
        else
            wb_input(sh, r, M_RECIPIENT, m->recipient, f->amount);
        if (m->has_due)
            wb_date(sh, r, M_DUE, m->due, NULL);
        if (m->has_allowance_due)
            wb_date(sh, r, M_ALLOWANCE_DUE, m->allowance_due, NULL);
    }
    free(rows);
    int last = r - 1;
    x->month_total_row = r;
    wb_ltext(sh, r, M_MONTH, "word.total", f->label);
    int cols[] = {M_HOURS, M_WAGES, M_ADMIN, M_RECIPIENT, M_ALLOWANCE, M_PAYROLL};
    const mpq_t *totals[] = {&g->total_hours, &g->total_wages, &g->total_admin, &g->total_recipient,
                             &g->total_allowance, &g->total_payroll_admin_cap};
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
        wb_formula(sh, r, cols[k], cols[k] == M_HOURS ? f->hours_total : f->amount_total,
                   *totals[k],
                   g->nmonths ? wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, TABLE_HEAD + 1, cols[k]),
                                       wb_cell(w, last, cols[k]))
                              : "=0");
    wb_sheet_finish(sh, TABLE_HEAD, last, M_NCOLS);
}

/* ---- summary ------------------------------------------------------------------------- */

static void summary(gctx *x)
{
    wb *w = &x->w;
    wb_sheet *sh = &x->sum;
    const wb_formats *f = &w->f;
    const bpa_grant *g = x->g;
    const bpa_case *c = x->c;
    bool dk94 = c->scheme == BPA_SCHEME_DK_SEL_94;
    int r = wb_summary_head(sh, dk94 ? "grant.title94" : "grant.title", c, x->p);
    if (c->dk->ndecisions) {
        wb_ltext(sh, r, 0, "sum.period_from", f->label);
        wb_date(sh, r++, 1, c->dk->decisions[0].from, f->date_left);
        wb_ltext(sh, r, 0, "sum.period_to", f->label);
        wb_date(sh, r++, 1, c->dk->decisions[c->dk->ndecisions - 1].to, f->date_left);
        wb_ltext(sh, r, 0, "sum.decisions", f->label);
        wb_int(sh, r++, 1, (long)c->dk->ndecisions, NULL);
    }
    wb_ltext(sh, r, 0, "sum.policy", f->label);
    wb_text_over(sh, r++, 1, bpa_policy_id(x->p), f->text);
    if (!dk94) {
        wb_ltext(sh, r, 0, "sum.employer", f->label);
        wb_ltext_over(sh, r++, 1, wb_employer_key(c->dk->employer), f->text);
        if (c->dk->employer == BPA_EMPLOYER_TRANSFERRED) {
            wb_ltext(sh, r, 0, "sum.transferred_to", f->label);
            wb_ltext_over(sh, r++, 1, wb_transferred_key(c->dk->transferred_to), f->text);
        }
        wb_ltext(sh, r, 0, "sum.helpers", f->label);
        wb_int(sh, r++, 1, c->dk->helpers, NULL);
    }
    wb_ltext(sh, r, 0, "sum.payment", f->label);
    wb_ltext_over(sh, r++, 1,
             !g->pays_recipient ? "payment.none" : g->forud ? "payment.forud" : "payment.bagud",
             f->text);
    r++;

    wb_ltext(sh, r++, 0, "sum.section_totals", f->section);
    int t = x->month_total_row;
    wb_ltext(sh, r, 0, "sum.hours", f->label);
    wb_formula(sh, r++, 1, f->hours, g->total_hours,
               wb_fmt(w, "=%s", wb_ref(w, &x->mon, t, M_HOURS)));
    int first = r;
    wb_ltext(sh, r, 0, dk94 ? "sum.wages94" : "sum.wages", f->label);
    wb_formula(sh, r++, 1, f->amount, g->total_wages,
               wb_fmt(w, "=%s", wb_ref(w, &x->mon, t, M_WAGES)));
    if (!dk94) { /* section 94 has neither administration nor allowance */
        wb_ltext(sh, r, 0, "sum.admin", f->label);
        wb_formula(sh, r++, 1, f->amount, g->total_admin,
                   wb_fmt(w, "=%s", wb_ref(w, &x->mon, t, M_ADMIN)));
        wb_ltext(sh, r, 0, "sum.allowance", f->label);
        wb_formula(sh, r++, 1, f->amount, g->total_allowance,
                   wb_fmt(w, "=%s", wb_ref(w, &x->mon, t, M_ALLOWANCE)));
    }
    wb_ltext(sh, r, 0, dk94 ? "sum.grant94" : "sum.grant", f->text_big);
    wb_formula(sh, r, 1, f->amount_big, g->total_grant,
               wb_fmt(w, "=SUM(%s:%s)", wb_cell(w, first, 1), wb_cell(w, r - 1, 1)));
    r++;
    if (c->dk->employer == BPA_EMPLOYER_PAYROLL_ASSOCIATION && !dk94) {
        wb_ltext(sh, r, 0, "sum.payroll_cap", f->label);
        wb_formula(sh, r++, 1, f->amount, g->total_payroll_admin_cap,
                   wb_fmt(w, "=%s", wb_ref(w, &x->mon, t, M_PAYROLL)));
    }
    r++;

    if (g->nemployment) {
        wb_ltext(sh, r++, 0, "sum.section_employment", f->section);
        static const char *const eh[] = {"col.from", "col.to", "col.hours_per_week",
                                         "col.threshold", "col.form"};
        wb_head(sh, r++, eh, 5, WB_COL(2) | WB_COL(3));
        for (size_t i = 0; i < g->nemployment; i++, r++) {
            const bpa_employment *e = &g->employment[i];
            wb_date(sh, r, 0, e->from, NULL);
            wb_date(sh, r, 1, e->to, NULL);
            wb_input(sh, r, 2, e->hours_per_week, f->hours);
            wb_input(sh, r, 3, e->threshold, f->hours);
            const char *mp = wb_label(w, "form.monthly_paid"), *hp = wb_label(w, "form.hourly_paid");
            wb_formula_text(sh, r, 4, f->text, e->monthly_paid ? mp : hp,
                            wb_fmt(w, "=IF(%s>=%s,\"%s\",\"%s\")", wb_cell(w, r, 2),
                                   wb_cell(w, r, 3), mp, hp));
        }
        r++;
    }

    if (g->pays_recipient || mpq_sgn(g->total_allowance) != 0) {
        wb_ltext(sh, r++, 0, "sum.section_payments", f->section);
        static const char *const ph[] = {"col.month", "col.due", "col.recipient",
                                         "col.allowance_due", "col.allowance"};
        wb_head(sh, r++, ph, 5, WB_COL(2) | WB_COL(4));
        for (size_t i = 0; i < g->nmonths; i++, r++) {
            const bpa_month *m = &g->months[i];
            int mr = x->month_row[i];
            wb_month(sh, r, 0, m->year, m->month);
            if (m->has_due)
                wb_date(sh, r, 1, m->due, NULL);
            wb_formula(sh, r, 2, f->amount, m->recipient,
                       wb_fmt(w, "=%s", wb_ref(w, &x->mon, mr, M_RECIPIENT)));
            if (m->has_allowance_due)
                wb_date(sh, r, 3, m->allowance_due, NULL);
            wb_formula(sh, r, 4, f->amount, m->allowance,
                       wb_fmt(w, "=%s", wb_ref(w, &x->mon, mr, M_ALLOWANCE)));
        }
        r++;
    }
    r = wb_summary_warnings(sh, r, &g->warnings);
    r = wb_summary_footer(sh, r, g);
    wb_sheet_wrap_col(sh, 0, 40);
    wb_sheet_wrap_col(sh, 1, 66);
    wb_sheet_finish(sh, -1, -1, 0);
}

/* ---- driver ------------------------------------------------------------------------- */

static void write_all(gctx *x)
{
    wb *w = &x->w;
    /* tabs in reading order: the summary first */
    wb_sheet_add(w, &x->sum, "sheet.summary");
    wb_sheet_add(w, &x->tar, "sheet.tariff");
    wb_sheet_add(w, &x->lin, "sheet.lines");
    wb_sheet_add(w, &x->mon, "sheet.months");
    wb_sheet_add(w, &x->inp, "sheet.inputs");
    wb_sheet_add(w, &x->trc, "sheet.trace");
    wb_fingerprints(w, x->c, x->p, NULL);
    /* the inputs first: the other sheets' formulas refer to their cells */
    mark_inputs(x);
    w->at = &x->at;
    int head, last;
    int r = wb_inputs_begin(&x->inp, x->g, NULL, 0, &head, &last);
    w->at = NULL;
    tariff_rows(x);
    line_rows(x);
    month_rows(x);
    summary(x);
    wb_inputs_files(&x->inp, r, x->g, NULL);
    wb_sheet_finish(&x->inp, head, last, 6);
    wb_trace_sheet(&x->trc, &x->g->trace);
}

bpa_status bpa_grant_workbook_write(const bpa_grant *g, const char *path, bpa_lang lang,
                                    bpa_error *err)
{
    bpa_outfile out;
    bpa_status st = bpa_outfile_open_named(&out, path, err);
    if (st != BPA_OK)
        return st;
    gctx x;
    memset(&x, 0, sizeof x);
    x.g = g;
    x.c = g->kase;
    x.p = g->policy;
    st = wb_open(&x.w, out.tmp_path, lang, x.c->id, "grant.doc_title", err);
    if (st != BPA_OK) {
        bpa_outfile_abort(&out);
        return st;
    }
    size_t naddons = 0;
    for (size_t i = 0; i < g->nrates; i++)
        naddons += g->rates[i].naddons;
    x.addons = bpa_calloc(naddons ? naddons : 1, sizeof *x.addons);
    x.rate_row = bpa_calloc(g->nrates ? g->nrates : 1, sizeof *x.rate_row);
    x.line_row = bpa_calloc(g->nlines ? g->nlines : 1, sizeof *x.line_row);
    x.index_row = bpa_calloc(g->nindexations ? g->nindexations : 1, sizeof *x.index_row);
    x.month_row = bpa_calloc(g->nmonths ? g->nmonths : 1, sizeof *x.month_row);
    const bpa_dk_case *dk = x.c->dk;
    x.at.num = bpa_calloc(g->nused ? g->nused : 1, sizeof *x.at.num);
    x.at.param_row = bpa_calloc(g->nused ? g->nused : 1, sizeof *x.at.param_row);
    x.at.trip_row = bpa_calloc(dk->ntrips ? dk->ntrips : 1, sizeof *x.at.trip_row);
    x.at.line_row = bpa_calloc(dk->ndecisions ? dk->ndecisions : 1, sizeof *x.at.line_row);
    bool ok = x.at.num && x.at.param_row && x.at.trip_row && x.at.line_row;
    for (size_t d = 0; ok && d < dk->ndecisions; d++) {
        size_t n = dk->decisions[d].nlines;
        ok = (x.at.line_row[d] = bpa_calloc(n ? n : 1, sizeof **x.at.line_row)) != NULL;
    }
    if (!ok || !x.addons || !x.rate_row || !x.line_row || !x.index_row || !x.month_row)
        x.w.nomem = true;
    else
        write_all(&x);
    st = wb_close(&x.w, &out, err);
    for (size_t d = 0; x.at.line_row && d < dk->ndecisions; d++)
        free(x.at.line_row[d]);
    free(x.at.line_row);
    free(x.at.trip_row);
    free(x.at.param_row);
    free(x.at.num);
    free(x.addons);
    free(x.rate_row);
    free(x.line_row);
    free(x.index_row);
    free(x.month_row);
    return st;
}
