/*
 * The Swedish budget (RULES.md 7.7, 8.3, 12): small cases worked by hand,
 * with policies inline. Figures: FACTS.md "## Sweden" (schablon 2024
 * 332.60, 2025 342.60, 2026 347.70; a raised rate at most 12 % above; a
 * väntetid hour counts 1/4; the kommun pays the first 20 hours a week; Kumla
 * 2024 tiers A 282.71, B 312.64, C 332.60). Every expected figure below is
 * worked out in the comment beside it, never taken from the program.
 */
#include <stdlib.h>
#include <string.h>

#include "bpa/grant.h"
#include "bpa/num.h"
#include "bpa/se.h"
#include "testutil.h"

/* JSON written with single quotes, turned into double quotes. */
static char *dq(const char *sq)
{
    char *s = strdup(sq);
    ck_assert_ptr_nonnull(s);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    return s;
}

#define FK_HEAD                                                                            \
    "{'format': 'bpa-policy/1', 'id': 'tfk', 'title': 'test: Försäkringskassan', "        \
    "'country': 'SE', 'schemes': ['se-sfb-51'], "                                        \
    "'references': {'assf': 'Förordning (1993:1091) 5 §', 'x': 'figures for this test', " \
    "'ex': 'an example figure'}, 'params': {"
#define SCHABLON                                                                          \
    "'se.schablon': [{'from': '2024-01-01', 'value': '332.60', 'ref': 'assf'}, "          \
    "{'from': '2025-01-01', 'value': '342.60', 'ref': 'assf'}, "                          \
    "{'from': '2026-01-01', 'value': '347.70', 'ref': 'assf'}]"
#define KUMLA_HEAD                                                                        \
    "{'format': 'bpa-policy/1', 'id': 'tkumla', 'title': 'test: Kumla', "                 \
    "'country': 'SE', 'schemes': ['se-lss-9-2'], "                                       \
    "'references': {'k': 'Kumla kommun 2024'}, 'params': {"
#define TIERS                                                                             \
    "'se.kommun.rate.a': [{'from': '2024-01-01', 'value': '282.71', 'ref': 'k'}], "       \
    "'se.kommun.rate.b': [{'from': '2024-01-01', 'value': '312.64', 'ref': 'k'}], "       \
    "'se.kommun.rate.c': [{'from': '2024-01-01', 'value': '332.60', 'ref': 'k'}]"

static bpa_policy *policy(const char *sq)
{
    char *t = dq(sq);
    bpa_policy *p = NULL;
    bpa_error err;
    bpa_status st = bpa_policy_load_mem(&p, "policy.json", t, strlen(t), &err);
    free(t);
    char buf[1400];
    ck_assert_msg(st == BPA_OK, "policy: %s", bpa_error_format(&err, buf, sizeof buf));
    return p;
}

static bpa_case *kase(const char *scheme, const char *periods)
{
    char sq[4096];
    snprintf(sq, sizeof sq,
             "{'format': 'bpa-case/1', 'case': 'SE-T', 'scheme': '%s', 'policy': 'p.json', "
             "'year': 2025, 'periods': [%s]}",
             scheme, periods);
    char *t = dq(sq);
    bpa_case *c = NULL;
    bpa_error err;
    bpa_status st = bpa_case_load_mem(&c, "case.json", t, strlen(t), &err);
    free(t);
    char buf[1400];
    ck_assert_msg(st == BPA_OK, "case: %s", bpa_error_format(&err, buf, sizeof buf));
    return c;
}

typedef struct run {
    bpa_policy *p;
    bpa_case *c;
    bpa_se_grant *g;
    bpa_status st;
    bpa_error err;
} run;

static run compute(const char *pol, const char *scheme, const char *periods)
{
    run r;
    memset(&r, 0, sizeof r);
    r.p = policy(pol);
    r.c = kase(scheme, periods);
    bpa_error_clear(&r.err);
    r.st = bpa_se_grant_compute(&r.g, r.c, r.p, &r.err);
    return r;
}

static run ok(const char *pol, const char *scheme, const char *periods)
{
    run r = compute(pol, scheme, periods);
    char buf[1400];
    ck_assert_msg(r.st == BPA_OK, "budget: %s", bpa_error_format(&r.err, buf, sizeof buf));
    ck_assert_ptr_nonnull(r.g);
    return r;
}

static void done(run *r)
{
    bpa_se_grant_free(r->g);
    bpa_case_free(r->c);
    bpa_policy_free(r->p);
}

/* q equals the decimal or fraction text */
static void eq(const mpq_t q, const char *text)
{
    mpq_t want;
    mpq_init(want);
    ck_assert_int_eq(bpa_dec_parse(want, text, BPA_DEC_FRACTION | BPA_DEC_NEGATIVE, NULL, 0),
                     BPA_OK);
    char *got = bpa_fmt_exact(q);
    ck_assert_msg(mpq_equal(q, want), "got %s, want %s", got, text);
    free(got);
    mpq_clear(want);
}

static void date_eq(bpa_date d, const char *text)
{
    char buf[11];
    bpa_date_format(d, buf);
    ck_assert_str_eq(buf, text);
}

static void fails(run *r, bpa_status status, const char *const *parts)
{
    ck_assert_int_eq(r->st, status);
    ck_assert_ptr_null(r->g);
    for (size_t i = 0; parts[i]; i++)
        ck_assert_msg(strstr(r->err.message, parts[i]), "\"%s\" not in \"%s\"", parts[i],
                      r->err.message);
}

/* Every trace entry renders in every language, completely. */
static void renders(const bpa_se_grant *g)
{
    for (size_t i = 0; i < g->trace.n; i++)
        for (int lang = 0; lang < BPA_LANG_COUNT; lang++) {
            bpa_trace_text t;
            bpa_error err;
            ck_assert_int_eq(bpa_trace_entry_render(&g->trace.entries[i], (bpa_lang)lang, &t, &err),
                             BPA_OK);
            const char *texts[] = {t.step, t.rule, t.inputs, t.result};
            for (int k = 0; k < 4; k++) {
                ck_assert_msg(*texts[k], "empty text");
                ck_assert_msg(!strchr(texts[k], '?') && !strchr(texts[k], '{'),
                              "a missing role in \"%s\"", texts[k]);
            }
            bpa_trace_text_release(&t);
        }
}

static size_t count_rule(const bpa_se_grant *g, bpa_trace_rule rule)
{
    size_t n = 0;
    for (size_t i = 0; i < g->trace.n; i++)
        n += g->trace.entries[i].rule == rule;
    return n;
}

/* ---- per_week, efterskott, the kommun share ----------------------------------- */

START_TEST(per_week_half_year)
{
    /* 2025-01-01..2025-06-30, 40 h a week: D = 31+28+31+30+31+30 = 181 days.
     * 31-day months: 40 x 31/7 = 1240/7 h; x 342.60 = 424824/7 = 60689.142857 -> 60689.14
     * February:      40 x 28/7 = 160 h;    x 342.60 = 54816.00
     * 30-day months: 40 x 30/7 = 1200/7 h; x 342.60 = 411120/7 = 58731.428571 -> 58731.43
     * sum: 3 x 60689.14 + 2 x 58731.43 + 54816.00 = 182067.42 + 117462.86 + 54816.00
     *    = 354346.28; billable 40 x 181/7 = 7240/7.
     * Kommun share, 20 h a week (default): 620/7 x 342.60 = 30344.571428 -> 30344.57 (31
     * days), 80 x 342.60 = 27408.00 (Feb), 600/7 x 342.60 = 29365.714285 -> 29365.71 (30);
     * 3 x 30344.57 + 2 x 29365.71 + 27408.00 = 91033.71 + 58731.42 + 27408.00 = 177173.13;
     * hours 20 x 181/7 = 3620/7. */
    run r = ok(FK_HEAD SCHABLON "}}", "se-sfb-51",
               "{'from': '2025-01-01', 'to': '2025-06-30', 'payment': 'efterskott', "
               "'per_week': '40'}");
    const bpa_se_grant *g = r.g;
    ck_assert_uint_eq(g->nperiods, 1);
    const bpa_se_budget_period *bp = &g->periods[0];
    ck_assert_int_eq(bp->days, 181);
    ck_assert_int_eq(bp->payment, BPA_SE_EFTERSKOTT);
    ck_assert_int_eq(bp->cap_unit, BPA_SE_CAP_PERIOD);
    ck_assert_uint_eq(bp->nmonths, 6);
    const bpa_se_budget_month *jan = &bp->months[0], *feb = &bp->months[1],
                              *apr = &bp->months[3];
    ck_assert_int_eq(jan->days, 31);
    ck_assert_int_eq(jan->period_days, 181);
    ck_assert(jan->per_week[0]);
    eq(jan->granted[0], "1240/7");
    eq(jan->granted[1], "0");
    eq(jan->factor_vantetid, "1/4"); /* the default */
    ck_assert(!jan->has_factor_beredskap);
    eq(jan->billable, "1240/7");
    ck_assert_int_eq(jan->rate_source, BPA_SE_RATE_SCHABLON);
    eq(jan->rate, "342.60");
    eq(jan->exact, "424824/7");
    eq(jan->amount, "60689.14");
    eq(feb->amount, "54816.00");
    eq(apr->amount, "58731.43");
    date_eq(jan->rakning_due, "2025-03-05");
    date_eq(bp->months[5].rakning_due, "2025-08-05");
    eq(bp->billable, "7240/7");
    eq(bp->amount, "354346.28");
    eq(g->total_amount, "354346.28");
    eq(g->total_billable, "7240/7");
    ck_assert(jan->has_kommun_share && bp->has_kommun_share && g->has_kommun_share);
    eq(jan->kommun_hours, "620/7");
    eq(jan->kommun_amount, "30344.57");
    eq(feb->kommun_amount, "27408.00");
    eq(apr->kommun_amount, "29365.71");
    eq(bp->kommun_hours, "3620/7");
    eq(bp->kommun_amount, "177173.13");
    eq(g->total_kommun_amount, "177173.13");
    /* parameters read, once per entry: schablon 2025, period max, cap unit, kommun share,
     * väntetid factor, rounding mode (all but the schablon are defaults) */
    bool schablon = false;
    for (size_t i = 0; i < g->nused; i++)
        for (size_t k = i + 1; k < g->nused; k++)
            ck_assert(!(strcmp(g->used[i].name, g->used[k].name) == 0 &&
                        g->used[i].entry == g->used[k].entry));
    for (size_t i = 0; i < g->nused; i++)
        if (strcmp(g->used[i].name, "se.schablon") == 0) {
            schablon = true;
            ck_assert_ptr_nonnull(g->used[i].entry);
            ck_assert_str_eq(g->used[i].value, "342.60");
        }
    ck_assert(schablon);
    ck_assert_uint_eq(g->nused, 6);
    ck_assert_str_eq(g->used[jan->rate_read].name, "se.schablon");
    ck_assert_str_eq(g->used[bp->max_months_read].name, "se.period_max_months");
    ck_assert_str_eq(g->used[jan->kommun_read].name, "se.kommun_share_hours_per_week");
    ck_assert_uint_eq(g->warnings.n, 0);
    /* the trace: one period, six months, six kommun shares, the totals */
    ck_assert_uint_eq(count_rule(g, BPA_TRACE_SE_PERIOD), 1);
    ck_assert_uint_eq(count_rule(g, BPA_TRACE_SE_MONTH), 6);
    ck_assert_uint_eq(count_rule(g, BPA_TRACE_SE_KOMMUN), 6);
    ck_assert_uint_eq(count_rule(g, BPA_TRACE_SE_TOTALS), 1);
    const bpa_operand *last = bpa_trace_operand(&g->trace.entries[0], "last_day");
    ck_assert_ptr_nonnull(last);
    date_eq(last->from, "2025-06-30"); /* 2025-01-01 + 6 months - 1 day */
    renders(g);
    ck_assert_str_eq(bpa_se_payment_name(BPA_SE_FORSKOTT), "forskott");
    ck_assert_str_eq(bpa_se_cap_unit_name(BPA_SE_CAP_WEEK), "week");
    done(&r);
}
END_TEST

/* ---- total hours, väntetid, across a year end, the räkning date ---------------- */

START_TEST(total_across_year_end)
{
    /* 2025-11-01..2026-02-28: D = 30+31+31+28 = 120; 600 aktiv hours in total, 14 h of
     * väntetid a week, väntetid counted 1/4.
     * Nov: aktiv 600 x 30/120 = 150, väntetid 14 x 30/7 = 60, billable 150 + 60/4 = 165;
     *      x 342.60 = 56529.00; räkning 5 January 2026
     * Dec: aktiv 600 x 31/120 = 155, väntetid 62, billable 155 + 15.5 = 170.5;
     *      x 342.60 = 58413.30; räkning 2026-02-05
     * Jan: 170.5 x 347.70 (the 2026 schablon) = 59282.85; räkning 2026-03-05
     * Feb: aktiv 140, väntetid 56, billable 154; x 347.70 = 53545.80; räkning 2026-04-05
     * total 56529.00 + 58413.30 + 59282.85 + 53545.80 = 227770.95, billable 660.
     * Kommun share: Nov 600/7 x 342.60 = 29365.71, Dec 620/7 x 342.60 = 30344.57,
     * Jan 620/7 x 347.70 = 215574/7 = 30796.2857 -> 30796.29, Feb 80 x 347.70 = 27816.00;
     * sum 118322.57. */
    run r = ok(FK_HEAD SCHABLON "}}", "se-sfb-51",
               "{'from': '2025-11-01', 'to': '2026-02-28', 'payment': 'forskott', "
               "'total': '600', 'vantetid_per_week': '14'}");
    const bpa_se_budget_period *bp = &r.g->periods[0];
    ck_assert_uint_eq(bp->nmonths, 4);
    ck_assert_int_eq(bp->payment, BPA_SE_FORSKOTT);
    const bpa_se_budget_month *m = bp->months;
    ck_assert(!m[0].per_week[0] && m[0].per_week[1]);
    eq(m[0].granted[0], "150");
    eq(m[0].granted[1], "60");
    eq(m[0].billable, "165");
    eq(m[0].amount, "56529.00");
    date_eq(m[0].rakning_due, "2026-01-05");
    eq(m[1].billable, "170.5");
    eq(m[1].amount, "58413.30");
    date_eq(m[1].rakning_due, "2026-02-05");
    eq(m[2].rate, "347.70");
    eq(m[2].amount, "59282.85");
    date_eq(m[2].rakning_due, "2026-03-05");
    eq(m[3].billable, "154");
    eq(m[3].amount, "53545.80");
    date_eq(m[3].rakning_due, "2026-04-05");
    eq(bp->granted[0], "600");
    eq(bp->granted[1], "240");
    eq(bp->billable, "660");
    eq(bp->amount, "227770.95");
    eq(m[2].kommun_amount, "30796.29");
    eq(bp->kommun_amount, "118322.57");
    /* two schablon entries read: 2025 and 2026 */
    size_t schablons = 0;
    for (size_t i = 0; i < r.g->nused; i++)
        schablons += strcmp(r.g->used[i].name, "se.schablon") == 0;
    ck_assert_uint_eq(schablons, 2);
    renders(r.g);
    done(&r);
}
END_TEST

/* ---- a raised rate ---------------------------------------------------------------- */

START_TEST(raised_rate_at_cap)
{
    /* 2025-12-01..2026-01-31, 7 h a week, raised rate 383.712:
     * cap 2025 = 342.60 x (1 + 12/100) = 383.712 (equal: allowed), cap 2026 = 347.70 x 1.12
     * = 389.424. Dec: 7 x 31/7 = 31 h x 383.712 = 11895.072 -> 11895.07; Jan the same. The
     * kommun share uses the raised rate: 620/7 x 383.712 = 237901.44/7 = 33985.92 ->
     * 33985.92 (exactly 33985.92). */
    run r = ok(FK_HEAD SCHABLON "}}", "se-sfb-51",
               "{'from': '2025-12-01', 'to': '2026-01-31', 'payment': 'efterskott', "
               "'per_week': '7', 'rate': '383.712'}");
    const bpa_se_budget_month *m = r.g->periods[0].months;
    ck_assert_int_eq(m[0].rate_source, BPA_SE_RATE_RAISED);
    eq(m[0].schablon, "342.60");
    eq(m[0].raised_max_pct, "12");
    eq(m[0].rate_max, "383.712");
    eq(m[0].rate, "383.712");
    eq(m[0].exact, "11895.072");
    eq(m[0].amount, "11895.07");
    eq(m[1].rate_max, "389.424");
    eq(m[1].amount, "11895.07");
    eq(m[0].kommun_amount, "33985.92");
    ck_assert_str_eq(r.g->used[m[0].max_pct_read].name, "se.raised_max_pct");
    renders(r.g);
    done(&r);
}
END_TEST

START_TEST(raised_rate_above_cap)
{
    /* December 2024: cap 332.60 x 1.12 = 372.512 < 375 */
    run r = compute(FK_HEAD SCHABLON "}}", "se-sfb-51",
                    "{'from': '2024-12-01', 'to': '2025-01-31', 'payment': 'efterskott', "
                    "'per_week': '7', 'rate': '375'}");
    const char *parts[] = {"2024-12", "372.512", "375", "se.raised_max_pct", NULL};
    fails(&r, BPA_E_INPUT, parts);
    ck_assert_str_eq(r.err.path, "$.periods[0]");
    done(&r);
}
END_TEST

/* ---- beredskap -------------------------------------------------------------------- */

START_TEST(beredskap_factor)
{
    /* March 2025, 7 h aktiv and 14 h beredskap a week, factor 1/7:
     * aktiv 31, beredskap 62, billable 31 + 62/7 = 279/7; x 342.60 = 95585.4/7
     * = 13655.057142 -> 13655.06 */
    run r = ok(FK_HEAD SCHABLON
               ", 'se.factor.beredskap': [{'from': '2025-01-01', 'value': '1/7', 'ref': 'x'}]}}",
               "se-sfb-51",
               "{'from': '2025-03-01', 'to': '2025-03-31', 'payment': 'efterskott', "
               "'per_week': '7', 'beredskap_per_week': '14'}");
    const bpa_se_budget_month *m = r.g->periods[0].months;
    ck_assert(m->has_factor_beredskap);
    eq(m->factor_beredskap, "1/7");
    eq(m->granted[2], "62");
    eq(m->billable, "279/7");
    eq(m->amount, "13655.06");
    ck_assert_str_eq(r.g->used[m->beredskap_read].name, "se.factor.beredskap");
    renders(r.g);
    done(&r);
}
END_TEST

START_TEST(beredskap_factor_missing)
{
    run r = compute(FK_HEAD SCHABLON "}}", "se-sfb-51",
                    "{'from': '2025-03-01', 'to': '2025-03-31', 'payment': 'efterskott', "
                    "'per_week': '7', 'beredskap_per_week': '14'}");
    const char *parts[] = {"se.factor.beredskap", "2025-03-01", "$.periods[0]", NULL};
    fails(&r, BPA_E_POLICY, parts);
    done(&r);
    /* without beredskap in the period the factor is not read */
    r = ok(FK_HEAD SCHABLON "}}", "se-sfb-51",
           "{'from': '2025-03-01', 'to': '2025-03-31', 'payment': 'efterskott', "
           "'per_week': '7'}");
    ck_assert(!r.g->periods[0].months[0].has_factor_beredskap);
    ck_assert_uint_eq(r.g->periods[0].months[0].beredskap_read, BPA_NO_PARAM);
    done(&r);
}
END_TEST

/* ---- the kommun's tiers (se-lss-9-2) ------------------------------------------------- */

START_TEST(tier_rate)
{
    /* March 2024, 10 h a week, tier B 312.64: 10 x 31/7 = 310/7 h; x 312.64 = 96918.4/7
     * = 13845.485714 -> 13845.49; no kommun share under LSS */
    run r = ok(KUMLA_HEAD TIERS "}}", "se-lss-9-2",
               "{'from': '2024-03-01', 'to': '2024-03-31', 'payment': 'efterskott', "
               "'per_week': '10', 'tier': 'b'}");
    const bpa_se_budget_month *m = r.g->periods[0].months;
    ck_assert_int_eq(m->rate_source, BPA_SE_RATE_TIER);
    eq(m->rate, "312.64");
    eq(m->granted[0], "310/7");
    eq(m->amount, "13845.49");
    ck_assert(!m->has_kommun_share && !r.g->has_kommun_share);
    ck_assert_str_eq(r.g->used[m->rate_read].name, "se.kommun.rate.b");
    ck_assert_uint_eq(count_rule(r.g, BPA_TRACE_SE_KOMMUN), 0);
    renders(r.g);
    done(&r);
}
END_TEST

START_TEST(tier_not_in_policy)
{
    run r = compute(KUMLA_HEAD TIERS "}}", "se-lss-9-2",
                    "{'from': '2024-03-01', 'to': '2024-03-31', 'payment': 'efterskott', "
                    "'per_week': '10', 'tier': 'd'}");
    const char *parts[] = {"tier \"d\"", "se.kommun.rate.d", "\"a\", \"b\", \"c\"", NULL};
    fails(&r, BPA_E_INPUT, parts);
    done(&r);
}
END_TEST

START_TEST(rounding_mode_half_even)
{
    /* one day, 1 hour in total, tier rate 100.125: exact 100.125; half away from zero
     * 100.13, half even 100.12 */
    run r = ok(KUMLA_HEAD "'se.kommun.rate.a': [{'from': '2024-01-01', 'value': '100.125', "
                          "'ref': 'k'}]}}",
               "se-lss-9-2",
               "{'from': '2024-03-01', 'to': '2024-03-01', 'payment': 'efterskott', "
               "'total': '1', 'tier': 'a'}");
    eq(r.g->periods[0].months[0].amount, "100.13");
    done(&r);
    r = ok(KUMLA_HEAD "'se.kommun.rate.a': [{'from': '2024-01-01', 'value': '100.125', "
                      "'ref': 'k'}], 'rounding.mode': [{'from': '2024-01-01', 'value': "
                      "'half_even', 'ref': 'k'}]}}",
           "se-lss-9-2",
           "{'from': '2024-03-01', 'to': '2024-03-01', 'payment': 'efterskott', "
           "'total': '1', 'tier': 'a'}");
    eq(r.g->periods[0].months[0].amount, "100.12");
    ck_assert_int_eq(r.g->periods[0].months[0].mode, BPA_ROUND_HALF_EVEN);
    done(&r);
}
END_TEST

/* ---- period length ------------------------------------------------------------------ */

START_TEST(period_too_long)
{
    /* 2025-01-01 + 6 months - 1 day = 2025-06-30 */
    run r = compute(FK_HEAD SCHABLON "}}", "se-sfb-51",
                    "{'from': '2025-01-01', 'to': '2025-07-01', 'payment': 'efterskott', "
                    "'per_week': '40'}");
    const char *parts[] = {"longer than 6 months", "2025-06-30", NULL};
    fails(&r, BPA_E_INPUT, parts);
    done(&r);
    /* month arithmetic: 2025-08-31 + 6 months = 2026-02-28 (February lacks the 31st),
     * - 1 day = 2026-02-27 */
    r = compute(FK_HEAD SCHABLON "}}", "se-sfb-51",
                "{'from': '2025-08-31', 'to': '2026-02-28', 'payment': 'efterskott', "
                "'per_week': '40'}");
    const char *parts2[] = {"2026-02-27", NULL};
    fails(&r, BPA_E_INPUT, parts2);
    done(&r);
    /* a shorter maximum from the policy: 3 months, 2025-01-01..2025-03-31 is fine */
    r = ok(FK_HEAD SCHABLON
           ", 'se.period_max_months': [{'from': '2024-01-01', 'value': 3, 'ref': 'x'}]}}",
           "se-sfb-51",
           "{'from': '2025-01-01', 'to': '2025-03-31', 'payment': 'efterskott', "
           "'per_week': '40'}");
    ck_assert_uint_eq(r.g->periods[0].nmonths, 3);
    done(&r);
}
END_TEST

/* ---- warnings --------------------------------------------------------------------------- */

START_TEST(old_and_example_values)
{
    /* a schablon from 2024-01-01 read for August 2025: 2024-01-01 + 18 months =
     * 2025-07-01, and 2025-08-01 is after it (July 2025 is not) */
    run r = ok(FK_HEAD
               "'se.schablon': [{'from': '2024-01-01', 'value': '332.60', 'ref': 'assf'}]}}",
               "se-sfb-51",
               "{'from': '2025-07-01', 'to': '2025-08-31', 'payment': 'efterskott', "
               "'per_week': '40'}");
    ck_assert_uint_eq(r.g->warnings.n, 1);
    ck_assert_int_eq(r.g->warnings.codes[0], BPA_WARN_OLD_VALUE);
    char *msg, *where;
    ck_assert_int_eq(bpa_warning_render(&r.g->warnings, 0, BPA_LANG_EN, &msg, &where, NULL),
                     BPA_OK);
    ck_assert_msg(strstr(msg, "2025-08-01"), "%s", msg);
    free(msg);
    free(where);
    done(&r);
    /* a reference that calls itself an example */
    r = ok(FK_HEAD "'se.schablon': [{'from': '2025-01-01', 'value': '342.60', 'ref': 'ex'}]}}",
           "se-sfb-51",
           "{'from': '2025-01-01', 'to': '2025-01-31', 'payment': 'efterskott', "
           "'per_week': '40'}");
    ck_assert_uint_eq(r.g->warnings.n, 1);
    ck_assert_int_eq(r.g->warnings.codes[0], BPA_WARN_EXAMPLE_VALUE);
    done(&r);
}
END_TEST

/* ---- the wrong engine, the wrong policy ----------------------------------------------- */

START_TEST(wrong_country_and_policy)
{
    bpa_policy *p = policy(FK_HEAD SCHABLON "}}");
    bpa_case *c = kase("se-sfb-51", "{'from': '2025-01-01', 'to': '2025-01-31', "
                                    "'payment': 'efterskott', 'per_week': '40'}");
    bpa_grant *dg = NULL;
    bpa_error err;
    ck_assert_int_eq(bpa_grant_compute(&dg, c, p, &err), BPA_E_INPUT);
    ck_assert_ptr_null(dg);
    ck_assert_msg(strstr(err.message, "Swedish budget"), "%s", err.message);
    bpa_case_free(c);
    /* a policy that does not cover the scheme */
    c = kase("se-lss-9-2", "{'from': '2025-01-01', 'to': '2025-01-31', "
                           "'payment': 'efterskott', 'per_week': '40', 'tier': 'a'}");
    bpa_se_grant *g = NULL;
    ck_assert_int_eq(bpa_se_grant_compute(&g, c, p, &err), BPA_E_INPUT);
    ck_assert_ptr_null(g);
    ck_assert_msg(strstr(err.message, "does not cover scheme se-lss-9-2"), "%s", err.message);
    bpa_case_free(c);
    bpa_policy_free(p);
    /* a schablon missing on a month's first day */
    run r = compute(FK_HEAD
                    "'se.schablon': [{'from': '2025-01-01', 'value': '342.60', 'ref': 'assf'}]}}",
                    "se-sfb-51",
                    "{'from': '2024-12-15', 'to': '2025-01-31', 'payment': 'efterskott', "
                    "'per_week': '40'}");
    const char *parts[] = {"se.schablon", "2024-12-01", NULL};
    fails(&r, BPA_E_POLICY, parts);
    done(&r);
}
END_TEST

/* ---- periods that start and end inside a month ------------------------------------------ */

START_TEST(partial_months_two_periods)
{
    /* period 1: 2025-01-15..2025-02-10 (D = 17 + 10 = 27), total 54 h:
     *   Jan d = 17: 54 x 17/27 = 34 h; x 342.60 = 11648.40
     *   Feb d = 10: 54 x 10/27 = 20 h; x 342.60 = 6852.00
     * period 2: 2025-02-11..2025-02-28 (D = 18), 7 h a week: 7 x 18/7 = 18 h; x 342.60
     *   = 6166.80
     * totals: 11648.40 + 6852.00 + 6166.80 = 24667.20; billable 72.
     * Kommun share, Jan: 20 x 17/7 = 340/7 h x 342.60 = 116484/7 = 16640.571428 ->
     *   16640.57 */
    run r = ok(FK_HEAD SCHABLON "}}", "se-sfb-51",
               "{'from': '2025-01-15', 'to': '2025-02-10', 'payment': 'efterskott', "
               "'total': '54'}, {'from': '2025-02-11', 'to': '2025-02-28', "
               "'payment': 'forskott', 'per_week': '7'}");
    ck_assert_uint_eq(r.g->nperiods, 2);
    const bpa_se_budget_period *a = &r.g->periods[0], *b = &r.g->periods[1];
    ck_assert_int_eq(a->days, 27);
    ck_assert_int_eq(a->months[0].days, 17);
    eq(a->months[0].granted[0], "34");
    eq(a->months[0].amount, "11648.40");
    eq(a->months[1].amount, "6852.00");
    ck_assert_uint_eq(b->nmonths, 1);
    ck_assert_int_eq(b->months[0].days, 18);
    eq(b->months[0].amount, "6166.80");
    ck_assert_uint_eq(b->period, 1);
    eq(r.g->total_amount, "24667.20");
    eq(r.g->total_billable, "72");
    eq(a->months[0].kommun_amount, "16640.57");
    renders(r.g);
    done(&r);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("se_budget");
    TCase *tc = tcase_create("budget");
    tcase_add_test(tc, per_week_half_year);
    tcase_add_test(tc, total_across_year_end);
    tcase_add_test(tc, raised_rate_at_cap);
    tcase_add_test(tc, raised_rate_above_cap);
    tcase_add_test(tc, beredskap_factor);
    tcase_add_test(tc, beredskap_factor_missing);
    tcase_add_test(tc, tier_rate);
    tcase_add_test(tc, tier_not_in_policy);
    tcase_add_test(tc, rounding_mode_half_even);
    tcase_add_test(tc, period_too_long);
    tcase_add_test(tc, old_and_example_values);
    tcase_add_test(tc, wrong_country_and_policy);
    tcase_add_test(tc, partial_months_two_periods);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(suite)
