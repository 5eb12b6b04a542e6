/* Case files (see include/bpa/case.h, RULES.md section 6). */
#include "core/alloc.h"
#include "bpa/case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/num.h"
#include "io/json.h"

#define TRY(expr)                                                                      \
    do {                                                                               \
        bpa_status st_ = (expr);                                                       \
        if (st_ != BPA_OK)                                                             \
            return st_;                                                                \
    } while (0)

static const char *const employer_names[] = {"citizen", "payroll_association",
                                             "municipality_payroll", "transferred", NULL};
static const char *const transferred_names[] = {"", "relative", "association", "company", NULL};
static const char *const task_names[] = {"", "practical", "personal_care", NULL};
static const char *const override_names[] = {"allowance_cap", "trip_limits", "hourly_cap", NULL};

const char *bpa_employer_name(bpa_employer e) { return employer_names[e]; }
const char *bpa_transferred_to_name(bpa_transferred_to t) { return transferred_names[t]; }
const char *bpa_task_name(bpa_task t) { return task_names[t]; }
const char *bpa_override_rule_name(bpa_override_rule r) { return override_names[r]; }

static bpa_status nomem(bpa_error *err)
{
    return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
}

static void dk_free(bpa_dk_case *dk)
{
    if (!dk)
        return;
    for (size_t i = 0; i < dk->ndecisions; i++) {
        bpa_decision *d = &dk->decisions[i];
        mpq_clear(d->allowance_monthly);
        for (size_t k = 0; k < d->nlines; k++)
            mpq_clear(d->lines[k].amount);
        free(d->lines);
    }
    free(dk->decisions);
    for (size_t i = 0; i < dk->ntrips; i++)
        mpq_clear(dk->trips[i].extra_hours_per_day);
    free(dk->trips);
    free(dk);
}

static void se_free(bpa_se_case *se)
{
    if (!se)
        return;
    for (size_t i = 0; i < se->nperiods; i++) {
        bpa_se_period *p = &se->periods[i];
        for (int k = 0; k < 3; k++)
            mpq_clear(p->hours[k].amount);
        mpq_clear(p->rate);
        free(p->tier);
    }
    free(se->periods);
    free(se);
}

void bpa_case_free(bpa_case *c)
{
    if (!c)
        return;
    dk_free(c->dk);
    se_free(c->se);
    for (size_t i = 0; i < c->noverrides; i++)
        free(c->overrides[i].reason);
    free(c->overrides);
    free(c->file);
    free(c->id);
    free(c->policy);
    free(c);
}

/* kind, band, step/task of a line or trip (shared shape). */
static bpa_status parse_category(const bpa_json_doc *doc, const cJSON *o, const char *p,
                                 bool dk94, bpa_kind *kind, bpa_band *band, bool *band_given,
                                 int *step, bpa_task *task, bpa_error *err)
{
    static const char *const kinds[] = {"work", "on_call", NULL};
    int k = 0;
    TRY(bpa_json_get_enum(doc, o, p, "kind", true, kinds, &k, err));
    *kind = (bpa_kind)k;
    static const char *const bands[] = {"day", "evening", "night", "saturday", "sunday_holiday",
                                        NULL};
    int b = -1;
    TRY(bpa_json_get_enum(doc, o, p, "band", false, bands, &b, err));
    *band_given = b >= 0;
    *band = b >= 0 ? (bpa_band)b : BPA_BAND_ANY;
    if (*kind == BPA_KIND_WORK && !*band_given)
        return bpa_json_fail(doc, o, p, err,
                             "a work line needs a \"band\" (day, evening, night, saturday, "
                             "sunday_holiday)");
    if (dk94) {
        if (cJSON_GetObjectItemCaseSensitive(o, "step"))
            return bpa_json_fail(doc, o, p, err,
                                 "a section 94 line names \"task\" (practical or "
                                 "personal_care), not \"step\"");
        int t = 0;
        static const char *const tasks[] = {"practical", "personal_care", NULL};
        TRY(bpa_json_get_enum(doc, o, p, "task", true, tasks, &t, err));
        *task = (bpa_task)(t + 1);
        *step = -1;
    } else {
        if (cJSON_GetObjectItemCaseSensitive(o, "task"))
            return bpa_json_fail(doc, o, p, err,
                                 "\"task\" belongs to section 94 cases; name the pay \"step\"");
        long s = 0;
        TRY(bpa_json_get_int(doc, o, p, "step", true, 0, 9999, &s, err));
        *step = (int)s;
        *task = BPA_TASK_NONE;
    }
    return BPA_OK;
}

static bpa_status parse_line(const bpa_json_doc *doc, const cJSON *o, const char *p, bool dk94,
                             bpa_hours_line *l, bpa_error *err)
{
    static const char *const keys[] = {"kind", "band", "step", "task", "per_week", "total", NULL};
    TRY(bpa_json_expect_object(doc, o, p, keys, err));
    bpa_json_source(doc, o, p, &l->src);
    TRY(parse_category(doc, o, p, dk94, &l->kind, &l->band, &l->band_given, &l->step, &l->task,
                       err));
    bool has_week = cJSON_GetObjectItemCaseSensitive(o, "per_week") != NULL;
    bool has_total = cJSON_GetObjectItemCaseSensitive(o, "total") != NULL;
    if (has_week == has_total)
        return bpa_json_fail(doc, o, p, err,
                             "a line has exactly one of \"per_week\" (hours per week) or "
                             "\"total\" (hours for the whole decision)");
    l->per_week = has_week;
    return bpa_json_get_decimal(doc, o, p, has_week ? "per_week" : "total", true, 0, l->amount,
                                NULL, err);
}

static int decision_cmp(const void *a, const void *b);

static bpa_status parse_decision(const bpa_json_doc *doc, const cJSON *o, const char *p,
                                 const bpa_case *c, bpa_decision *d, bpa_error *err)
{
    bool dk94 = c->scheme == BPA_SCHEME_DK_SEL_94;
    static const char *const keys[] = {"from", "to", "allowance_monthly", "helpers", "educated",
                                       "hours", NULL};
    TRY(bpa_json_expect_object(doc, o, p, keys, err));
    bpa_json_source(doc, o, p, &d->src);
    TRY(bpa_json_get_date(doc, o, p, "from", true, &d->from, err));
    TRY(bpa_json_get_date(doc, o, p, "to", true, &d->to, err));
    if (d->to < d->from)
        return bpa_json_fail(doc, o, p, err, "the decision ends before it starts (\"to\" < \"from\")");
    if (bpa_date_year(d->from) != c->year || bpa_date_year(d->to) != c->year)
        return bpa_json_fail(doc, o, p, err, "a decision must lie inside the case year %d",
                             c->year);
    TRY(bpa_json_get_decimal(doc, o, p, "allowance_monthly", false, 0, d->allowance_monthly,
                             &d->has_allowance, err));
    if (dk94 && d->has_allowance)
        return bpa_json_fail(doc, o, p, err, "section 94 has no allowance for other costs");
    TRY(bpa_json_get_int(doc, o, p, "helpers", false, 1, 9999, &d->helpers, err));
    bool educated = false;
    const cJSON *ed = cJSON_GetObjectItemCaseSensitive(o, "educated");
    d->educated = -1;
    if (ed) {
        if (!dk94)
            return bpa_json_fail(doc, ed, p, err, "\"educated\" belongs to section 94 cases");
        TRY(bpa_json_get_bool(doc, o, p, "educated", true, &educated, err));
        d->educated = educated;
    }
    const cJSON *hours = cJSON_GetObjectItemCaseSensitive(o, "hours");
    char hp[BPA_ERROR_PATH_MAX];
    bpa_json_path_key(hp, sizeof hp, p, "hours");
    if (!hours)
        return bpa_json_fail(doc, o, p, err, "missing required key \"hours\" (a list of lines)");
    TRY(bpa_json_expect_array(doc, hours, hp, err));
    size_t n = (size_t)cJSON_GetArraySize(hours);
    d->lines = bpa_calloc(n ? n : 1, sizeof *d->lines);
    if (!d->lines)
        return nomem(err);
    size_t i = 0;
    for (const cJSON *l = hours->child; l; l = l->next, i++) {
        char lp[BPA_ERROR_PATH_MAX];
        bpa_json_path_index(lp, sizeof lp, hp, i);
        mpq_init(d->lines[i].amount);
        d->nlines = i + 1;
        TRY(parse_line(doc, l, lp, dk94, &d->lines[i], err));
    }
    return BPA_OK;
}

static bpa_status parse_trip(const bpa_json_doc *doc, const cJSON *o, const char *p,
                             bpa_trip *t, bpa_error *err)
{
    static const char *const keys[] = {"type", "from", "days", "extra_hours_per_day", "kind",
                                       "band", "step", NULL};
    TRY(bpa_json_expect_object(doc, o, p, keys, err));
    bpa_json_source(doc, o, p, &t->src);
    static const char *const types[] = {"vacation", "weekend", NULL};
    int ty = 0;
    TRY(bpa_json_get_enum(doc, o, p, "type", true, types, &ty, err));
    t->type = (bpa_trip_type)ty;
    TRY(bpa_json_get_date(doc, o, p, "from", true, &t->from, err));
    TRY(bpa_json_get_int(doc, o, p, "days", true, 1, 366, &t->days, err));
    TRY(bpa_json_get_decimal(doc, o, p, "extra_hours_per_day", true, 0, t->extra_hours_per_day,
                             NULL, err));
    if (mpq_cmp_ui(t->extra_hours_per_day, 24, 1) > 0)
        return bpa_json_fail(doc, o, p, err, "\"extra_hours_per_day\" cannot exceed 24");
    bpa_task task;
    return parse_category(doc, o, p, false, &t->kind, &t->band, &t->band_given, &t->step, &task,
                          err);
}

static int decision_cmp(const void *a, const void *b)
{
    const bpa_decision *x = a, *y = b;
    return (x->from > y->from) - (x->from < y->from);
}

/* The Danish body: employer, helpers, decisions, trips. */
static bpa_status parse_dk(bpa_case *c, const bpa_json_doc *doc, bpa_error *err)
{
    const cJSON *root = doc->root;
    bool dk94 = c->scheme == BPA_SCHEME_DK_SEL_94;
    static const char *const se_keys[] = {"periods", NULL};
    for (size_t k = 0; se_keys[k]; k++) {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, se_keys[k]);
        if (o)
            return bpa_json_fail(doc, o, "$", err,
                                 "\"%s\" belongs to Swedish cases; a Danish case has "
                                 "\"decisions\"",
                                 se_keys[k]);
    }
    bpa_dk_case *dk = c->dk = bpa_calloc(1, sizeof *c->dk);
    if (!dk)
        return nomem(err);
    int emp = 0, to = -1;
    TRY(bpa_json_get_enum(doc, root, "$", "employer", !dk94, employer_names, &emp, err));
    dk->employer = (bpa_employer)emp;
    TRY(bpa_json_get_enum(doc, root, "$", "transferred_to", false, transferred_names + 1, &to,
                          err));
    dk->transferred_to = (bpa_transferred_to)(to + 1);
    const cJSON *ton = cJSON_GetObjectItemCaseSensitive(root, "transferred_to");
    if (!dk94 && dk->employer == BPA_EMPLOYER_TRANSFERRED && !ton)
        return bpa_json_fail(doc, root, "$", err,
                             "employer \"transferred\" needs \"transferred_to\" (relative, "
                             "association or company)");
    if (ton && dk->employer != BPA_EMPLOYER_TRANSFERRED)
        return bpa_json_fail(doc, ton, "$.transferred_to", err,
                             "\"transferred_to\" belongs only to employer \"transferred\"");
    dk->helpers = 1;
    TRY(bpa_json_get_int(doc, root, "$", "helpers", !dk94, 1, 9999, &dk->helpers, err));
    const cJSON *ed = cJSON_GetObjectItemCaseSensitive(root, "educated");
    if (ed && !dk94)
        return bpa_json_fail(doc, ed, "$.educated", err, "\"educated\" belongs to section 94 cases");
    TRY(bpa_json_get_bool(doc, root, "$", "educated", false, &dk->educated, err));

    const cJSON *decs = cJSON_GetObjectItemCaseSensitive(root, "decisions");
    if (!decs)
        return bpa_json_fail(doc, root, "$", err, "missing required key \"decisions\"");
    TRY(bpa_json_expect_array(doc, decs, "$.decisions", err));
    if (!decs->child)
        return bpa_json_fail(doc, decs, "$.decisions", err, "a case needs at least one decision");
    size_t n = (size_t)cJSON_GetArraySize(decs);
    dk->decisions = bpa_calloc(n, sizeof *dk->decisions);
    if (!dk->decisions)
        return nomem(err);
    size_t i = 0;
    for (const cJSON *d = decs->child; d; d = d->next, i++) {
        char p[BPA_ERROR_PATH_MAX];
        bpa_json_path_index(p, sizeof p, "$.decisions", i);
        mpq_init(dk->decisions[i].allowance_monthly);
        dk->ndecisions = i + 1;
        TRY(parse_decision(doc, d, p, c, &dk->decisions[i], err));
    }
    qsort(dk->decisions, dk->ndecisions, sizeof *dk->decisions, decision_cmp);
    for (i = 1; i < dk->ndecisions; i++)
        if (dk->decisions[i].from <= dk->decisions[i - 1].to) {
            char a[11], b[11];
            bpa_date_format(dk->decisions[i - 1].to, a);
            bpa_date_format(dk->decisions[i].from, b);
            return bpa_error_set(err, BPA_E_INPUT, c->file, dk->decisions[i].src.line,
                                 dk->decisions[i].src.column, dk->decisions[i].src.path,
                                 "decisions overlap: this one starts %s, the one at %s ends %s",
                                 b, dk->decisions[i - 1].src.path, a);
        }

    const cJSON *trips = cJSON_GetObjectItemCaseSensitive(root, "trips");
    if (trips) {
        if (dk94)
            return bpa_json_fail(doc, trips, "$.trips", err, "section 94 cases have no trips");
        TRY(bpa_json_expect_array(doc, trips, "$.trips", err));
        n = (size_t)cJSON_GetArraySize(trips);
        dk->trips = bpa_calloc(n ? n : 1, sizeof *dk->trips);
        if (!dk->trips)
            return nomem(err);
        i = 0;
        for (const cJSON *t = trips->child; t; t = t->next, i++) {
            char p[BPA_ERROR_PATH_MAX];
            bpa_json_path_index(p, sizeof p, "$.trips", i);
            mpq_init(dk->trips[i].extra_hours_per_day);
            dk->ntrips = i + 1;
            TRY(parse_trip(doc, t, p, &dk->trips[i], err));
            /* every trip day lies in a decision */
            bpa_date last = dk->trips[i].from + (bpa_date)dk->trips[i].days - 1;
            for (bpa_date day = dk->trips[i].from; day <= last; day++) {
                bool inside = false;
                for (size_t k = 0; k < dk->ndecisions; k++)
                    if (day >= dk->decisions[k].from && day <= dk->decisions[k].to)
                        inside = true;
                if (!inside) {
                    char ds[11];
                    bpa_date_format(day, ds);
                    return bpa_json_fail(doc, t, p, err,
                                         "trip day %s lies outside every decision", ds);
                }
            }
        }
    }
    return BPA_OK;
}

/* One kind's hours of a Swedish period: "<prefix>per_week" or "<prefix>total". */
static bpa_status parse_se_hours(const bpa_json_doc *doc, const cJSON *o, const char *p,
                                 const char *prefix, bool required, bpa_se_hours *h,
                                 bpa_error *err)
{
    char wk[32], tot[32];
    snprintf(wk, sizeof wk, "%sper_week", prefix);
    snprintf(tot, sizeof tot, "%stotal", prefix);
    bool has_week = cJSON_GetObjectItemCaseSensitive(o, wk) != NULL;
    bool has_total = cJSON_GetObjectItemCaseSensitive(o, tot) != NULL;
    if (has_week && has_total)
        return bpa_json_fail(doc, o, p, err, "a period has at most one of \"%s\" and \"%s\"",
                             wk, tot);
    if (!has_week && !has_total) {
        if (required)
            return bpa_json_fail(doc, o, p, err,
                                 "a period needs its aktiv hours: \"%s\" (hours per week) or "
                                 "\"%s\" (hours for the whole period)",
                                 wk, tot);
        return BPA_OK;
    }
    h->given = true;
    h->per_week = has_week;
    return bpa_json_get_decimal(doc, o, p, has_week ? wk : tot, true, 0, h->amount, NULL, err);
}

static bpa_status parse_period(const bpa_json_doc *doc, const cJSON *o, const char *p,
                               const bpa_case *c, bpa_se_period *sp, bpa_error *err)
{
    static const char *const keys[] = {"from", "to", "payment", "per_week", "total",
                                       "vantetid_per_week", "vantetid_total",
                                       "beredskap_per_week", "beredskap_total", "rate", "tier",
                                       NULL};
    TRY(bpa_json_expect_object(doc, o, p, keys, err));
    bpa_json_source(doc, o, p, &sp->src);
    TRY(bpa_json_get_date(doc, o, p, "from", true, &sp->from, err));
    TRY(bpa_json_get_date(doc, o, p, "to", true, &sp->to, err));
    if (sp->to < sp->from)
        return bpa_json_fail(doc, o, p, err, "the period ends before it starts (\"to\" < \"from\")");
    static const char *const payments[] = {"efterskott", "forskott", NULL};
    int pay = 0;
    TRY(bpa_json_get_enum(doc, o, p, "payment", true, payments, &pay, err));
    sp->payment = (bpa_se_payment)pay;
    TRY(parse_se_hours(doc, o, p, "", true, &sp->hours[0], err));
    TRY(parse_se_hours(doc, o, p, "vantetid_", false, &sp->hours[1], err));
    TRY(parse_se_hours(doc, o, p, "beredskap_", false, &sp->hours[2], err));
    bool lss = c->scheme == BPA_SCHEME_SE_LSS_9_2;
    const cJSON *rate = cJSON_GetObjectItemCaseSensitive(o, "rate");
    if (rate && lss)
        return bpa_json_fail(doc, rate, p, err,
                             "a raised \"rate\" belongs to se-sfb-51; an LSS 9 § 2 period names "
                             "the kommun's \"tier\"");
    TRY(bpa_json_get_decimal(doc, o, p, "rate", false, 0, sp->rate, &sp->has_rate, err));
    const cJSON *tier = cJSON_GetObjectItemCaseSensitive(o, "tier");
    if (tier && !lss)
        return bpa_json_fail(doc, tier, p, err,
                             "\"tier\" belongs to se-lss-9-2 (the kommun's rates); under "
                             "se-sfb-51 Försäkringskassan pays the schablon or a raised \"rate\"");
    const char *t = NULL;
    TRY(bpa_json_get_string(doc, o, p, "tier", lss, &t, err));
    if (t) {
        if (!t[0])
            return bpa_json_fail(doc, tier, p, err, "the tier must not be empty");
        if (!(sp->tier = bpa_strdup(t)))
            return nomem(err);
    }
    return BPA_OK;
}

static int period_cmp(const void *a, const void *b)
{
    const bpa_se_period *x = a, *y = b;
    return (x->from > y->from) - (x->from < y->from);
}

/* The Swedish body: grant periods, which may cross a year end. */
static bpa_status parse_se(bpa_case *c, const bpa_json_doc *doc, bpa_error *err)
{
    const cJSON *root = doc->root;
    static const char *const dk_keys[] = {"employer", "transferred_to", "helpers", "educated",
                                          "decisions", "trips", NULL};
    for (size_t k = 0; dk_keys[k]; k++) {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, dk_keys[k]);
        if (o)
            return bpa_json_fail(doc, o, "$", err,
                                 "\"%s\" belongs to Danish cases; a Swedish case has grant "
                                 "\"periods\" and no %s",
                                 dk_keys[k], dk_keys[k]);
    }
    bpa_se_case *se = c->se = bpa_calloc(1, sizeof *c->se);
    if (!se)
        return nomem(err);
    const cJSON *pers = cJSON_GetObjectItemCaseSensitive(root, "periods");
    if (!pers)
        return bpa_json_fail(doc, root, "$", err,
                             "missing required key \"periods\" (the grant periods)");
    TRY(bpa_json_expect_array(doc, pers, "$.periods", err));
    if (!pers->child)
        return bpa_json_fail(doc, pers, "$.periods", err, "a case needs at least one period");
    size_t n = (size_t)cJSON_GetArraySize(pers);
    se->periods = bpa_calloc(n, sizeof *se->periods);
    if (!se->periods)
        return nomem(err);
    size_t i = 0;
    for (const cJSON *o = pers->child; o; o = o->next, i++) {
        char p[BPA_ERROR_PATH_MAX];
        bpa_json_path_index(p, sizeof p, "$.periods", i);
        bpa_se_period *sp = &se->periods[i];
        for (int k = 0; k < 3; k++)
            mpq_init(sp->hours[k].amount);
        mpq_init(sp->rate);
        se->nperiods = i + 1;
        TRY(parse_period(doc, o, p, c, sp, err));
    }
    qsort(se->periods, se->nperiods, sizeof *se->periods, period_cmp);
    for (i = 1; i < se->nperiods; i++)
        if (se->periods[i].from <= se->periods[i - 1].to) {
            char a[11], b[11];
            bpa_date_format(se->periods[i - 1].to, a);
            bpa_date_format(se->periods[i].from, b);
            return bpa_error_set(err, BPA_E_INPUT, c->file, se->periods[i].src.line,
                                 se->periods[i].src.column, se->periods[i].src.path,
                                 "periods overlap: this one starts %s, the one at %s ends %s", b,
                                 se->periods[i - 1].src.path, a);
        }
    return BPA_OK;
}

/* The header every case has, then the body of the scheme's country. */
static bpa_status parse_case(bpa_case *c, const bpa_json_doc *doc, bpa_error *err)
{
    const cJSON *root = doc->root;
    static const char *const keys[] = {"format", "case", "scheme", "policy", "year", "employer",
                                       "transferred_to", "helpers", "educated", "decisions",
                                       "trips", "periods", "overrides", NULL};
    TRY(bpa_json_expect_object(doc, root, "$", keys, err));
    const char *s = NULL;
    TRY(bpa_json_get_string(doc, root, "$", "format", true, &s, err));
    if (strcmp(s, "bpa-case/1") != 0)
        return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(root, "format"), "$.format",
                             err, "expected \"bpa-case/1\", got \"%s\"", s);
    TRY(bpa_json_get_string(doc, root, "$", "case", true, &s, err));
    if (!s[0])
        return bpa_json_fail(doc, root, "$.case", err, "the case id must not be empty");
    if (!(c->id = bpa_strdup(s)))
        return nomem(err);
    static const char *const schemes[] = {"dk-sel-96", "dk-sel-95", "dk-sel-94", "se-sfb-51",
                                          "se-lss-9-2", NULL};
    int sc = 0;
    TRY(bpa_json_get_enum(doc, root, "$", "scheme", true, schemes, &sc, err));
    c->scheme = (bpa_scheme)sc;
    bpa_json_source(doc, cJSON_GetObjectItemCaseSensitive(root, "scheme"), "$.scheme",
               &c->scheme_src);
    TRY(bpa_json_get_string(doc, root, "$", "policy", true, &s, err));
    if (!s[0])
        return bpa_json_fail(doc, root, "$.policy", err, "the policy must not be empty");
    if (!(c->policy = bpa_strdup(s)))
        return nomem(err);
    bpa_json_source(doc, cJSON_GetObjectItemCaseSensitive(root, "policy"), "$.policy",
               &c->policy_src);
    long year = 0;
    TRY(bpa_json_get_int(doc, root, "$", "year", true, BPA_YEAR_MIN, BPA_YEAR_MAX, &year, err));
    c->year = (int)year;
    TRY(bpa_scheme_is_danish(c->scheme) ? parse_dk(c, doc, err) : parse_se(c, doc, err));

    const cJSON *ovs = cJSON_GetObjectItemCaseSensitive(root, "overrides");
    if (ovs) {
        TRY(bpa_json_expect_array(doc, ovs, "$.overrides", err));
        size_t n = (size_t)cJSON_GetArraySize(ovs);
        c->overrides = bpa_calloc(n ? n : 1, sizeof *c->overrides);
        if (!c->overrides)
            return nomem(err);
        size_t i = 0;
        for (const cJSON *o = ovs->child; o; o = o->next, i++) {
            char p[BPA_ERROR_PATH_MAX];
            bpa_json_path_index(p, sizeof p, "$.overrides", i);
            static const char *const okeys[] = {"rule", "reason", NULL};
            TRY(bpa_json_expect_object(doc, o, p, okeys, err));
            int r = 0;
            TRY(bpa_json_get_enum(doc, o, p, "rule", true, override_names, &r, err));
            const char *reason = NULL;
            TRY(bpa_json_get_string(doc, o, p, "reason", true, &reason, err));
            if (!reason[strspn(reason, " \t\r\n")])
                return bpa_json_fail(doc, o, p, err, "an override needs a non-empty reason");
            for (size_t k = 0; k < c->noverrides; k++)
                if (c->overrides[k].rule == (bpa_override_rule)r)
                    return bpa_json_fail(doc, o, p, err, "override for \"%s\" given twice",
                                         override_names[r]);
            c->overrides[i].rule = (bpa_override_rule)r;
            if (!(c->overrides[i].reason = bpa_strdup(reason)))
                return nomem(err);
            c->noverrides = i + 1;
        }
    }
    return BPA_OK;
}

/* bpa_json_build_fn: out is a bpa_case ** */
static bpa_status build(void *out_, const bpa_json_doc *doc, bpa_error *err)
{
    bpa_case **out = out_;
    bpa_case *c = bpa_calloc(1, sizeof *c);
    if (!c)
        return nomem(err);
    memcpy(c->sha256, doc->sha256, sizeof c->sha256);
    bpa_status st = (c->file = bpa_strdup(doc->name)) ? parse_case(c, doc, err) : nomem(err);
    if (st != BPA_OK) {
        bpa_case_free(c);
        return st;
    }
    *out = c;
    return BPA_OK;
}

bpa_status bpa_case_load(bpa_case **out, const char *path, bpa_error *err)
{
    *out = NULL;
    return bpa_json_build(path, NULL, NULL, 0, BPA_E_INPUT, build, out, err);
}

bpa_status bpa_case_load_mem(bpa_case **out, const char *name, const char *data,
                             size_t length, bpa_error *err)
{
    *out = NULL;
    return bpa_json_build(NULL, name, data, length, BPA_E_INPUT, build, out, err);
}

const bpa_override *bpa_case_override(const bpa_case *c, bpa_override_rule rule)
{
    for (size_t i = 0; i < c->noverrides; i++)
        if (c->overrides[i].rule == rule)
            return &c->overrides[i];
    return NULL;
}

/* A policy named by a path (relative to the case file) rather than by id. */
static bool policy_by_path(const char *pol)
{
    size_t len = strlen(pol);
    return strchr(pol, '/') || (len > 5 && strcmp(pol + len - 5, ".json") == 0);
}

char *bpa_case_policy_path(const bpa_case *c, const char *policy_dir)
{
    const char *pol = c->policy;
    size_t len = strlen(pol);
    char *out;
    if (policy_by_path(pol)) {
        if (pol[0] == '/')
            return bpa_strdup(pol);
        const char *slash = strrchr(c->file, '/');
        size_t dirlen = slash ? (size_t)(slash - c->file + 1) : 0;
        out = bpa_malloc(dirlen + len + 1);
        if (out) {
            memcpy(out, c->file, dirlen);
            memcpy(out + dirlen, pol, len + 1);
        }
    } else {
        size_t dl = strlen(policy_dir);
        out = bpa_malloc(dl + len + 7);
        if (out)
            snprintf(out, dl + len + 7, "%s/%s.json", policy_dir, pol);
    }
    return out;
}

bpa_status bpa_case_policy_load(const bpa_case *c, const char *policy_dir, bpa_policy **out,
                                bpa_error *err)
{
    *out = NULL;
    bool by_path = policy_by_path(c->policy);
    if (!by_path && !policy_dir)
        return bpa_error_set(err, BPA_E_POLICY, c->file, c->policy_src.line, c->policy_src.column,
                             c->policy_src.path,
                             "the policy \"%s\" is named by id, but no policy directory was given",
                             c->policy);
    char *path = bpa_case_policy_path(c, policy_dir);
    if (!path)
        return nomem(err);
    bpa_status st = bpa_policy_load(out, path, err);
    free(path);
    if (st == BPA_E_IO) /* the case's policy cannot be read: the policy is what is wrong */
        err->status = st = BPA_E_POLICY;
    if (st != BPA_OK || by_path || strcmp(bpa_policy_id(*out), c->policy) == 0)
        return st;
    st = bpa_error_set(err, BPA_E_POLICY, bpa_policy_file(*out), 0, 0, "$.id",
                       "the file's id \"%s\" does not match the case's policy \"%s\"",
                       bpa_policy_id(*out), c->policy);
    bpa_policy_free(*out);
    *out = NULL;
    return st;
}
