/* The grant and the account as text for people (see include/bpa/summary.h).
 * Every figure is one the engine recorded; nothing here looks up a policy
 * value or computes an amount. */
#include "bpa/summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/strutil.h"
#include "trace/format.h"
#include "trace/labels.h"

#define MAX_COLS 6

/* A block of aligned columns, rendered when complete (widths need every row). */
typedef struct table {
    size_t ncols;
    const char *align; /* per column: 'l' or 'r' (numbers) */
    const char **cells; /* nrows x ncols, owned by the pool */
    size_t nrows, cap;
} table;

typedef struct sum {
    bpa_lang lang;
    bpa_strbuf out;
    bpa_strpool pool;
    bool nomem;
} sum;

static const char *L(const sum *x, const char *key) { return bpa_label(key, x->lang); }

/* The label "<prefix>.<name>" (the names of kinds, bands, schemes and
 * employers are the keys' suffixes), else the label `fallback`, else name. */
static const char *named(const sum *x, const char *prefix, const char *name,
                         const char *fallback)
{
    char key[96];
    snprintf(key, sizeof key, "%s.%s", prefix, name);
    if (bpa_label_known(key))
        return L(x, key);
    return fallback ? L(x, fallback) : name;
}

/* The scratch buffer's text, kept in the pool. */
static const char *take(sum *x, bpa_strbuf *sb)
{
    char *s = bpa_strbuf_detach(sb);
    if (!s) {
        x->nomem = true;
        return "";
    }
    const char *r = bpa_strpool_add(&x->pool, s);
    free(s);
    return r;
}

static const char *amount(sum *x, const mpq_t q)
{
    bpa_strbuf sb;
    bpa_strbuf_init(&sb);
    bpa_lang_add_amount(&sb, x->lang, q);
    return take(x, &sb);
}

static const char *hours(sum *x, const mpq_t q)
{
    bpa_strbuf sb;
    bpa_strbuf_init(&sb);
    bpa_lang_add_fixed(&sb, x->lang, q, 2);
    return take(x, &sb);
}

static const char *date(sum *x, bpa_date d)
{
    bpa_strbuf sb;
    bpa_strbuf_init(&sb);
    bpa_lang_add_date(&sb, x->lang, d);
    return take(x, &sb);
}

static const char *month(sum *x, int year, int m)
{
    bpa_strbuf sb;
    bpa_strbuf_init(&sb);
    bpa_lang_add_month(&sb, x->lang, year, m);
    return take(x, &sb);
}

/* ---- tables ---------------------------------------------------------------------- */

static void table_init(table *t, const char *align)
{
    memset(t, 0, sizeof *t);
    t->ncols = strlen(align);
    t->align = align;
}

static void table_row(sum *x, table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 16;
        const char **n = bpa_realloc(t->cells, nc * t->ncols * sizeof *n);
        if (!n) {
            x->nomem = true;
            return;
        }
        t->cells = n;
        t->cap = nc;
    }
    memcpy(t->cells + t->nrows * t->ncols, cells, t->ncols * sizeof *cells);
    t->nrows++;
}

/* Characters on screen: UTF-8 continuation bytes take no column. */
static size_t width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void spaces(bpa_strbuf *sb, size_t n)
{
    static const char blank[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof blank - 1 ? n : sizeof blank - 1;
        bpa_strbuf_addn(sb, blank, k);
        n -= k;
    }
}

/* Indented two spaces, columns two apart, no trailing blanks; frees the rows. */
static void table_render(sum *x, table *t)
{
    size_t w[MAX_COLS] = {0};
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            size_t cw = width(t->cells[r * t->ncols + c]);
            if (cw > w[c])
                w[c] = cw;
        }
    bpa_strbuf *sb = &x->out;
    for (size_t r = 0; r < t->nrows; r++) {
        bpa_strbuf_add(sb, "  ");
        for (size_t c = 0; c < t->ncols; c++) {
            const char *cell = t->cells[r * t->ncols + c];
            size_t gap = w[c] - width(cell);
            if (c > 0)
                bpa_strbuf_add(sb, "  ");
            if (t->align[c] == 'r')
                spaces(sb, gap);
            bpa_strbuf_add(sb, cell);
            if (t->align[c] != 'r')
                spaces(sb, gap);
        }
        while (!sb->failed && sb->len > 0 && sb->buf[sb->len - 1] == ' ')
            sb->buf[--sb->len] = '\0';
        bpa_strbuf_add(sb, "\n");
    }
    free(t->cells);
    memset(t, 0, sizeof *t);
}

static void section(sum *x, const char *key)
{
    bpa_strbuf_addf(&x->out, "\n%s\n", L(x, key));
}

/* ---- the case -------------------------------------------------------------------- */

static const char *policy_text(sum *x, const bpa_policy *p)
{
    const char *title = bpa_policy_title(p), *id = bpa_policy_id(p);
    if (!title || !title[0] || strcmp(title, id) == 0)
        return id;
    return bpa_strpool_fmt(&x->pool, "%s (%s)", title, id);
}

/* Case id, scheme, policy, year and employer into t. */
static void case_rows(sum *x, table *t, const bpa_grant *g)
{
    const bpa_case *c = g->kase;
    table_row(x, t, (const char *[]){L(x, "sum.case"), c->id});
    table_row(x, t,
              (const char *[]){L(x, "sum.scheme"),
                               named(x, "scheme", bpa_scheme_name(c->scheme), "scheme.other")});
    table_row(x, t, (const char *[]){L(x, "sum.policy"), policy_text(x, g->policy)});
    table_row(x, t, (const char *[]){L(x, "sum.year"), bpa_strpool_fmt(&x->pool, "%d", c->year)});
    if (c->scheme == BPA_SCHEME_DK_SEL_94)
        return; /* the municipality employs a self-chosen helper */
    table_row(x, t,
              (const char *[]){L(x, "sum.employer"),
                               named(x, "employer", bpa_employer_name(c->dk->employer), NULL)});
    if (c->dk->employer == BPA_EMPLOYER_TRANSFERRED)
        table_row(x, t,
                  (const char *[]){L(x, "sum.transferred_to"),
                                   named(x, "transferred",
                                         bpa_transferred_to_name(c->dk->transferred_to), "word.none")});
}

static void begin(sum *x, bpa_lang lang, const char *title_key)
{
    memset(x, 0, sizeof *x);
    x->lang = (unsigned)lang < BPA_LANG_COUNT ? lang : BPA_LANG_EN;
    bpa_strbuf_init(&x->out);
    bpa_strbuf_addf(&x->out, "%s\n", L(x, title_key));
}

/* The warnings, each "- message (where)", in the reader's language. */
static void warnings(sum *x, const bpa_warnings *w)
{
    if (!w->n)
        return;
    section(x, "sum.section_warnings");
    for (size_t i = 0; i < w->n; i++) {
        char *message, *where;
        if (bpa_warning_render(w, i, x->lang, &message, &where, NULL) != BPA_OK) {
            x->nomem = true;
            return;
        }
        bpa_strbuf_addf(&x->out, "- %s (%s)\n", message, where);
        free(message);
        free(where);
    }
}

static bpa_status finish(sum *x, char **text, bpa_error *err)
{
    bool failed = x->nomem || bpa_strpool_failed(&x->pool) || x->out.failed;
    bpa_strpool_release(&x->pool);
    *text = failed ? NULL : bpa_strbuf_detach(&x->out);
    bpa_strbuf_release(&x->out);
    if (!*text)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    return BPA_OK;
}

/* ---- the grant ------------------------------------------------------------------- */

static bool has_line(const bpa_grant *g, bpa_line_rule rule)
{
    for (size_t i = 0; i < g->nlines; i++)
        if (g->lines[i].rule == rule)
            return true;
    return false;
}

static void grant_totals(sum *x, const bpa_grant *g, bool dk94)
{
    table t;
    table_init(&t, "lr");
    section(x, "sum.section_totals");
    table_row(x, &t, (const char *[]){L(x, "sum.hours"), hours(x, g->total_hours)});
    table_row(x, &t,
              (const char *[]){L(x, dk94 ? "sum.wages94" : "sum.wages"), amount(x, g->total_wages)});
    if (!dk94) { /* section 94 has neither administration nor allowance */
        table_row(x, &t, (const char *[]){L(x, "sum.admin"), amount(x, g->total_admin)});
        table_row(x, &t, (const char *[]){L(x, "sum.allowance"), amount(x, g->total_allowance)});
    }
    table_row(x, &t,
              (const char *[]){L(x, dk94 ? "sum.grant94" : "sum.grant"), amount(x, g->total_grant)});
    if (has_line(g, BPA_LINE_PAYROLL_ADMIN_CAP))
        table_row(x, &t,
                  (const char *[]){L(x, "sum.payroll_cap"), amount(x, g->total_payroll_admin_cap)});
    table_render(x, &t);
}

static void grant_employment(sum *x, const bpa_grant *g)
{
    if (!g->nemployment)
        return;
    table t;
    table_init(&t, "llrl");
    section(x, "sum.section_employment");
    table_row(x, &t,
              (const char *[]){L(x, "col.from"), L(x, "col.to"), L(x, "col.hours_per_week"),
                               L(x, "col.form")});
    for (size_t i = 0; i < g->nemployment; i++) {
        const bpa_employment *e = &g->employment[i];
        table_row(x, &t,
                  (const char *[]){date(x, e->from), date(x, e->to), hours(x, e->hours_per_week),
                                   L(x, e->monthly_paid ? "form.monthly_paid" : "form.hourly_paid")});
    }
    table_render(x, &t);
}

/* One line per month: what is paid to the recipient and when, the allowance
 * and when; where nothing goes to the recipient, the month's wages. */
static void grant_months(sum *x, const bpa_grant *g)
{
    bool allowance = false;
    for (size_t i = 0; i < g->nmonths; i++)
        allowance |= g->months[i].has_allowance_due;
    const char *none = "\xe2\x80\x93"; /* en dash: no date */
    table t;
    table_init(&t, g->pays_recipient ? (allowance ? "lrlrl" : "lrl") : (allowance ? "lrrl" : "lr"));
    section(x, g->pays_recipient ? "sum.section_payments" : "sheet.months");
    const char *head[MAX_COLS];
    size_t n = 0;
    head[n++] = L(x, "col.month");
    if (g->pays_recipient) {
        head[n++] = L(x, "col.recipient");
        head[n++] = L(x, "col.due");
    } else {
        head[n++] = L(x, "col.wages");
    }
    if (allowance) {
        head[n++] = L(x, "col.allowance");
        head[n++] = L(x, "col.allowance_due");
    }
    table_row(x, &t, head);
    for (size_t i = 0; i < g->nmonths; i++) {
        const bpa_month *m = &g->months[i];
        const char *row[MAX_COLS];
        n = 0;
        row[n++] = month(x, m->year, m->month);
        if (g->pays_recipient) {
            row[n++] = amount(x, m->recipient);
            row[n++] = m->has_due ? date(x, m->due) : none;
        } else {
            row[n++] = amount(x, m->wages);
        }
        if (allowance) {
            row[n++] = amount(x, m->allowance);
            row[n++] = m->has_allowance_due ? date(x, m->allowance_due) : none;
        }
        table_row(x, &t, row);
    }
    const char *total[MAX_COLS];
    n = 0;
    total[n++] = L(x, "word.total");
    total[n++] = amount(x, g->pays_recipient ? g->total_recipient : g->total_wages);
    if (g->pays_recipient)
        total[n++] = "";
    if (allowance) {
        total[n++] = amount(x, g->total_allowance);
        total[n++] = "";
    }
    table_row(x, &t, total);
    table_render(x, &t);
}

static void grant_overrides(sum *x, const bpa_case *c)
{
    if (!c->noverrides)
        return;
    table t;
    table_init(&t, "ll");
    section(x, "inputs.overrides");
    for (size_t i = 0; i < c->noverrides; i++)
        table_row(x, &t,
                  (const char *[]){named(x, "override", bpa_override_rule_name(c->overrides[i].rule),
                                         NULL),
                                   c->overrides[i].reason});
    table_render(x, &t);
}

bpa_status bpa_grant_summary(const bpa_grant *g, bpa_lang lang, char **text, bpa_error *err)
{
    *text = NULL;
    const bpa_case *c = g->kase;
    bool dk94 = c->scheme == BPA_SCHEME_DK_SEL_94;
    sum x;
    begin(&x, lang, dk94 ? "grant.title94" : "grant.title");
    table t;
    table_init(&t, "ll");
    section(&x, "sum.section_case");
    case_rows(&x, &t, g);
    table_row(&x, &t,
              (const char *[]){L(&x, "sum.payment"),
                               L(&x, !g->pays_recipient ? "payment.none"
                                     : g->forud         ? "payment.forud"
                                                        : "payment.bagud")});
    table_render(&x, &t);
    grant_totals(&x, g, dk94);
    grant_employment(&x, g);
    grant_months(&x, g);
    grant_overrides(&x, c);
    warnings(&x, &g->warnings);
    return finish(&x, text, err);
}

/* ---- the account ----------------------------------------------------------------- */

/* A pool in words: all hours, a kind, or a category ("Arbejde, dag, trin 11"). */
static const char *pool_name(sum *x, const bpa_settlement *s, size_t k)
{
    if (s->pools_mode == BPA_POOLS_ALL)
        return L(x, "pool.all");
    for (size_t i = 0; i < s->ncategories; i++) {
        if (s->categories[i].pool != k)
            continue;
        const bpa_category *c = &s->categories[i].category;
        const char *kind = named(x, "kind", bpa_kind_name(c->kind), NULL);
        if (s->pools_mode == BPA_POOLS_KIND)
            return kind;
        if (c->band == BPA_BAND_ANY)
            return bpa_strpool_fmt(&x->pool, "%s, %s %d", kind, L(x, "word.step"), c->step);
        return bpa_strpool_fmt(&x->pool, "%s, %s, %s %d", kind,
                               named(x, "band", bpa_band_name(c->band), NULL), L(x, "word.step"),
                               c->step);
    }
    return s->pools[k].name;
}

static void settle_hours(sum *x, const bpa_settlement *s)
{
    bool carry = false;
    for (size_t k = 0; k < s->npools; k++)
        carry |= s->pools[k].has_carry;
    table t;
    table_init(&t, carry ? "lrrrrr" : "lrrrr");
    section(x, "settle.section_hours");
    table_row(x, &t,
              (const char *[]){L(x, "col.pool"), L(x, "col.granted"), L(x, "col.used"),
                               L(x, "col.unused"), L(x, "col.overused"),
                               L(x, "acc.carried_hours")});
    for (size_t k = 0; k < s->npools; k++) {
        const bpa_settle_pool *p = &s->pools[k];
        table_row(x, &t,
                  (const char *[]){pool_name(x, s, k), hours(x, p->granted), hours(x, p->used),
                                   hours(x, p->unused), hours(x, p->overused),
                                   p->has_carry ? hours(x, p->carry_hours) : ""});
    }
    table_render(x, &t);
}

static void settle_balance(sum *x, const bpa_settlement *s)
{
    table t;
    table_init(&t, "lrl");
    section(x, "acc.title");
    static const char *const keys[5] = {"acc.line1", "acc.line2", "acc.line3", "acc.line4",
                                        "acc.line5"};
    const mpq_t *lines[5] = {&s->line_unused_hours, &s->line_admin, &s->line_payroll_admin,
                             &s->line_payments, &s->line_actual_cost_cap};
    for (int k = 0; k < 5; k++)
        table_row(x, &t, (const char *[]){L(x, keys[k]), amount(x, *lines[k]), ""});
    const char *direction = L(x, s->direction == BPA_REPAY     ? "balance.repay"
                                 : s->direction == BPA_PAY_OUT ? "balance.pay_out"
                                                               : "balance.settled");
    table_row(x, &t, (const char *[]){L(x, "settle.balance"), amount(x, s->balance), direction});
    table_row(x, &t, (const char *[]){L(x, "settle.due"), date(x, s->due_date), ""});
    table_render(x, &t);
}

bpa_status bpa_settle_summary(const bpa_settlement *s, bpa_lang lang, char **text, bpa_error *err)
{
    *text = NULL;
    sum x;
    begin(&x, lang, "settle.title");
    table t;
    table_init(&t, "ll");
    section(&x, "sum.section_case");
    case_rows(&x, &t, s->grant);
    table_row(&x, &t,
              (const char *[]){L(&x, "sum.pools"),
                               L(&x, s->pools_mode == BPA_POOLS_ALL    ? "poolmode.all"
                                     : s->pools_mode == BPA_POOLS_KIND ? "poolmode.kind"
                                                                       : "poolmode.category")});
    table_render(&x, &t);
    settle_hours(&x, s);
    settle_balance(&x, s);
    warnings(&x, &s->warnings);
    return finish(&x, text, err);
}
