/* Unit tests of the trace as data and its words (src/trace: trace.c, render.c,
 * format.c; RULES.md 9, 10).
 *
 * Every rule is rendered from an entry built here by hand, in Danish, English
 * and Swedish, and compared with texts written out by hand: the step, the
 * inputs, the result, and the origin that ends the rule text. The numbers are
 * chosen to show the conventions (Danish "1.234,56" and "31.01.2025", Swedish
 * "1 234,56" and ISO dates, an exact fraction beside a number that six
 * decimals do not hold: 37/3 -> "12,333333 (37/3)"); the few products were
 * worked out with Python's fractions module as a calculator, e.g.
 * 37/3 x 152.36 = 140933/75 = 1879.1066... Then the whole trace of every
 * fixture grant and account in all three languages: no internal tag, every
 * role of its rule; and the JSON of one fixture grant. */
#include "bpa/case.h"
#include "bpa/grant.h"
#include "bpa/num.h"
#include "bpa/policy.h"
#include "bpa/settle.h"
#include "bpa/se.h"
#include "bpa/trace.h"
#include "bpa/usage.h"

#include <cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <sys/stat.h>

#include "core/strutil.h"
#include "trace/format.h"
#include "trace/trace_build.h"
#include "testutil.h"

static bpa_trace T;

static void setup(void) { memset(&T, 0, sizeof T); }
static void teardown(void) { bpa_trace_release(&T); }

/* ---- building entries by hand -------------------------------------------------- */

static void q(bpa_trace_entry *e, bpa_operand_type type, const char *role, const char *text)
{
    mpq_t x;
    mpq_init(x);
    ck_assert_int_eq(bpa_dec_parse(x, text, BPA_DEC_NEGATIVE | BPA_DEC_FRACTION, NULL, 0),
                     BPA_OK);
    bpa_trace_q(&T, e, type, role, x);
    mpq_clear(x);
}

static bpa_date day(const char *text)
{
    bpa_date d;
    ck_assert(bpa_date_parse(text, &d));
    return d;
}

static void period(bpa_trace_entry *e, const char *role, const char *from, const char *to)
{
    bpa_trace_period(&T, e, role, day(from), day(to));
}

static void cat(bpa_trace_entry *e, bpa_kind kind, bpa_band band, int step)
{
    bpa_category c = {kind, band, step};
    bpa_trace_category(&T, e, "category", &c);
}

/* A parameter entry read from a policy: in force from `from`, ref "r". */
static void param(bpa_trace_entry *e, const char *role, const char *name, const char *from)
{
    bpa_param_entry pe;
    memset(&pe, 0, sizeof pe);
    pe.ref = "r";
    if (from)
        pe.from = day(from);
    bpa_trace_param(&T, e, role, name, from ? &pe : NULL);
}

/* ---- rendering and comparing ----------------------------------------------------------- */

/* Whether `needle` (ASCII) occurs in text, whatever the case. */
static bool contains_nocase(const char *text, const char *needle)
{
    size_t n = strlen(needle);
    for (; *text; text++) {
        size_t i = 0;
        while (i < n && text[i] &&
               tolower((unsigned char)text[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

static void check_words(const char *text, const char *where)
{
    static const char *const banned[] = {"seed", "RULES", "[", "]", "section", "segment"};
    for (size_t i = 0; i < sizeof banned / sizeof *banned; i++)
        ck_assert_msg(!contains_nocase(text, banned[i]), "%s: \"%s\" in \"%s\"", where, banned[i],
                      text);
    ck_assert_msg(!strstr(text, "?"), "%s: a missing role in \"%s\"", where, text);
    ck_assert_msg(*text, "%s: an empty text", where);
}

typedef struct expect {
    const char *step, *inputs, *result;
    const char *origin; /* the end of the rule text */
} expect;

static void check_lang(const bpa_trace_entry *e, bpa_lang lang, const expect *x)
{
    bpa_trace_text t;
    bpa_error err;
    ck_assert_int_eq(bpa_trace_entry_render(e, lang, &t, &err), BPA_OK);
    ck_assert_str_eq(t.step, x->step);
    ck_assert_str_eq(t.inputs, x->inputs);
    ck_assert_str_eq(t.result, x->result);
    size_t n = strlen(t.rule), k = strlen(x->origin);
    ck_assert_msg(n > k + 20 && strcmp(t.rule + n - k, x->origin) == 0,
                  "rule \"%s\" does not end in \"%s\"", t.rule, x->origin);
    const char *texts[] = {t.step, t.rule, t.inputs, t.result};
    for (int i = 0; i < 4; i++)
        check_words(texts[i], bpa_trace_rule_id(e->rule));
    bpa_trace_text_release(&t);
}

/* da, en, sv */
static void check(const bpa_trace_entry *e, const expect x[3])
{
    ck_assert(!T.failed);
    check_lang(e, BPA_LANG_DA, &x[0]);
    check_lang(e, BPA_LANG_EN, &x[1]);
    check_lang(e, BPA_LANG_SV, &x[2]);
}

#define ALB "Albertslund Kommune, Kvalitetsstandarder 2015."
#define BEK "BEK nr. 1069 af 30/06/2020"

/* ---- the rules of the grant ------------------------------------------------------------ */

START_TEST(rule_segments)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_SEGMENTS);
    bpa_trace_count(&T, e, "decision_no", 2);
    period(e, "decision", "2025-07-01", "2025-12-31");
    param(e, "reads", "hours.basis", NULL);
    param(e, "reads", "wage.hourly.11", NULL);
    param(e, "reads", "supplement.sunday_holiday", NULL);
    param(e, "reads", "x.unknown", NULL); /* no label: the id alone */
    period(e, "segment", "2025-07-01", "2025-07-31");
    period(e, "segment", "2025-08-01", "2025-08-14");
    check(e, (expect[]){
        {"Perioder i afgørelse 2",
         "Afgørelse 2, 01.07.2025 til 31.12.2025, læser: omregning af timer pr. uge "
         "(hours.basis); timeløn, trin 11 (wage.hourly.11); tillæg, søn- og helligdag "
         "(supplement.sunday_holiday); x.unknown",
         "01.07.2025 til 31.07.2025; 01.08.2025 til 14.08.2025", "Kilde: bpa's valg."},
        {"Periods of decision 2",
         "Decision 2, 2025-07-01 to 2025-12-31, reads: conversion of hours per week "
         "(hours.basis); hourly wage, step 11 (wage.hourly.11); supplement, Sunday and holiday "
         "(supplement.sunday_holiday); x.unknown",
         "2025-07-01 to 2025-07-31; 2025-08-01 to 2025-08-14", "Source: bpa's choice."},
        {"Perioder i beslut 2",
         "Beslut 2, 2025-07-01 till 2025-12-31, läser: omräkning av timmar per vecka "
         "(hours.basis); timlön, lönesteg 11 (wage.hourly.11); tillägg, sön- och helgdag "
         "(supplement.sunday_holiday); x.unknown",
         "2025-07-01 till 2025-07-31; 2025-08-01 till 2025-08-14", "Källa: bpa:s val."}});
}
END_TEST

/* On call with supplements, two add-ons: every optional role present. The
 * wage 65050/481 = 135.2390852...; base and supplement as the policy's R1
 * gives them: 135.239085 x 0.75 = 101.43, x 30 % = 40.57. */
START_TEST(rule_rate_on_call)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_RATE);
    cat(e, BPA_KIND_ON_CALL, BPA_BAND_EVENING, 12);
    bpa_trace_date(&T, e, "from", day("2021-04-01"));
    q(e, BPA_OP_RATE, "wage", "65050/481");
    param(e, "wage_param", "wage.hourly.12", "2021-04-01");
    q(e, BPA_OP_NUMBER, "fraction", "0.75");
    q(e, BPA_OP_PCT, "supplement_param", "30");
    bpa_trace_string(&T, e, BPA_OP_WORD, "round_components", "yes");
    q(e, BPA_OP_RATE, "base", "101.43");
    q(e, BPA_OP_RATE, "supplement", "40.57");
    bpa_trace_string(&T, e, BPA_OP_TEXT, "addon", "pension");
    q(e, BPA_OP_RATE, "addon_amount", "1.23");
    bpa_trace_string(&T, e, BPA_OP_TEXT, "addon", "ATP");
    q(e, BPA_OP_RATE, "addon_amount", "0.5");
    q(e, BPA_OP_RATE, "hourly", "143.73");
    check(e, (expect[]){
        {"Timesats, rådighed, aften, trin 12, fra 01.04.2021",
         "Timeløn, trin 12 (wage.hourly.12, fra 01.04.2021) = 135,239085 (65050/481) kr. pr. "
         "time, rådighedsandel 0,75, tillæg 30,00 %; komponenter afrundet: ja",
         "Grundløn 101,43 + tillæg 40,57 + pension 1,23 + ATP 0,50 = 143,73 kr. pr. time",
         "Kilder: " BEK "; Aarhus Kommune, takster for handicaphjælpere."},
        {"Hourly rate, on call, evening, step 12, from 2021-04-01",
         "Hourly wage, step 12 (wage.hourly.12, from 2021-04-01) = 135.239085 (65050/481) kr "
         "per hour, on-call fraction 0.75, supplement 30.00 %; components rounded: yes",
         "Base 101.43 + supplement 40.57 + pension 1.23 + ATP 0.50 = 143.73 kr per hour",
         "Sources: " BEK "; Aarhus Kommune, tariffs for disability helpers."},
        {"Timbelopp, jour, kväll, lönesteg 12, från 2021-04-01",
         "Timlön, lönesteg 12 (wage.hourly.12, från 2021-04-01) = 135,239085 (65050/481) kr "
         "per timme, jourandel 0,75, tillägg 30,00 %; delarna avrundas: ja",
         "Grundlön 101,43 + tillägg 40,57 + pension 1,23 + ATP 0,50 = 143,73 kr per timme",
         "Källor: " BEK "; Aarhus Kommune, taxor för handikapphjälpare."}});
}
END_TEST

/* Work by day: no fraction, no supplement, no add-ons; the wage a built-in
 * default would give (no entry read); components not rounded. */
START_TEST(rule_rate_work_day)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_RATE);
    cat(e, BPA_KIND_WORK, BPA_BAND_DAY, 11);
    bpa_trace_date(&T, e, "from", day("2025-01-01"));
    q(e, BPA_OP_RATE, "wage", "150");
    param(e, "wage_param", "wage.hourly.11", NULL);
    bpa_trace_string(&T, e, BPA_OP_WORD, "round_components", "no");
    q(e, BPA_OP_RATE, "base", "150");
    q(e, BPA_OP_RATE, "supplement", "0");
    q(e, BPA_OP_RATE, "hourly", "150");
    check(e, (expect[]){
        {"Timesats, arbejde, dag, trin 11, fra 01.01.2025",
         "Timeløn, trin 11 (wage.hourly.11, standard) = 150,00 kr. pr. time; komponenter "
         "afrundet: nej",
         "Grundløn 150,00 + tillæg 0,00 = 150,00 kr. pr. time",
         "Kilder: " BEK "; Aarhus Kommune, takster for handicaphjælpere."},
        {"Hourly rate, work, day, step 11, from 2025-01-01",
         "Hourly wage, step 11 (wage.hourly.11, default) = 150.00 kr per hour; components "
         "rounded: no",
         "Base 150.00 + supplement 0.00 = 150.00 kr per hour",
         "Sources: " BEK "; Aarhus Kommune, tariffs for disability helpers."},
        {"Timbelopp, arbete, dag, lönesteg 11, från 2025-01-01",
         "Timlön, lönesteg 11 (wage.hourly.11, standard) = 150,00 kr per timme; delarna "
         "avrundas: nej",
         "Grundlön 150,00 + tillägg 0,00 = 150,00 kr per timme",
         "Källor: " BEK "; Aarhus Kommune, taxor för handikapphjälpare."}});
}
END_TEST

/* 37/3 hours x 152.36 = 140933/75 = 1879.106666..., rounded 1879.11. */
START_TEST(rule_wages)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_WAGES);
    cat(e, BPA_KIND_WORK, BPA_BAND_SUNDAY_HOLIDAY, 11);
    period(e, "segment", "2025-03-01", "2025-03-31");
    q(e, BPA_OP_HOURS, "hours", "37/3");
    q(e, BPA_OP_RATE, "rate", "152.36");
    q(e, BPA_OP_AMOUNT, "exact", "140933/75");
    q(e, BPA_OP_AMOUNT, "amount", "1879.11");
    check(e, (expect[]){
        {"Løn, arbejde, søn- og helligdag, trin 11, 01.03.2025 til 31.03.2025",
         "12,333333 (37/3) timer × 152,36 kr. pr. time",
         "1.879,106667 (140933/75) kr., afrundet til øre: 1.879,11 kr.", "Kilde: bpa's valg."},
        {"Wages, work, Sunday and holiday, step 11, 2025-03-01 to 2025-03-31",
         "12.333333 (37/3) hours × 152.36 kr per hour",
         "1,879.106667 (140933/75) kr, rounded to the øre: 1,879.11 kr",
         "Source: bpa's choice."},
        {"Lön, arbete, sön- och helgdag, lönesteg 11, 2025-03-01 till 2025-03-31",
         "12,333333 (37/3) timmar × 152,36 kr per timme",
         "1 879,106667 (140933/75) kr, avrundat till hela ören: 1 879,11 kr",
         "Källa: bpa:s val."}});
}
END_TEST

/* 3149 x 3 helpers x 28/365 = 264516/365 = 724.70136986..., rounded 724.70. */
START_TEST(rule_per_helper)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_PER_HELPER);
    bpa_trace_string(&T, e, BPA_OP_TEXT, "name", "AUB");
    period(e, "segment", "2025-02-01", "2025-02-28");
    q(e, BPA_OP_AMOUNT, "per_helper_year", "3149");
    bpa_trace_count(&T, e, "helpers", 3);
    bpa_trace_count(&T, e, "days", 28);
    bpa_trace_count(&T, e, "year_days", 365);
    q(e, BPA_OP_AMOUNT, "exact", "264516/365");
    q(e, BPA_OP_AMOUNT, "amount", "724.70");
    check(e, (expect[]){
        {"Tillæg pr. hjælper, AUB, 01.02.2025 til 28.02.2025",
         "3.149,00 kr. × 3 hjælpere × 28/365 dage",
         "724,701370 (264516/365) kr., afrundet til øre: 724,70 kr.", "Kilde: bpa's valg."},
        {"Per-helper add-on, AUB, 2025-02-01 to 2025-02-28",
         "3,149.00 kr × 3 helpers × 28/365 days",
         "724.701370 (264516/365) kr, rounded to the øre: 724.70 kr", "Source: bpa's choice."},
        {"Tillägg per hjälpare, AUB, 2025-02-01 till 2025-02-28",
         "3 149,00 kr × 3 hjälpare × 28/365 dagar",
         "724,701370 (264516/365) kr, avrundat till hela ören: 724,70 kr",
         "Källa: bpa:s val."}});
}
END_TEST

/* 5.45 x 131 / 100 = 7.1395 (exact at four decimals), rounded 7.14. */
START_TEST(rule_index)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_INDEX);
    param(e, "param", "admin.transferred.per_hour", "2015-01-01");
    bpa_trace_count(&T, e, "year", 2025);
    q(e, BPA_OP_AMOUNT, "amount", "5.45");
    bpa_trace_count(&T, e, "level", 2015);
    q(e, BPA_OP_NUMBER, "index_year", "131");
    q(e, BPA_OP_NUMBER, "index_level", "100");
    q(e, BPA_OP_AMOUNT, "exact", "7.1395");
    q(e, BPA_OP_AMOUNT, "indexed", "7.14");
    check(e, (expect[]){
        {"Indeksering af administrationstilskud pr. time (admin.transferred.per_hour) til 2025",
         "Administrationstilskud pr. time (admin.transferred.per_hour, fra 01.01.2015) = 5,45 "
         "kr. i 2015-niveau; indeks 2025: 131,00, indeks 2015: 100,00",
         "7,1395 kr., afrundet til øre: 7,14 kr.", "Kilde: " ALB},
        {"Indexation of administration per hour (admin.transferred.per_hour) to 2025",
         "Administration per hour (admin.transferred.per_hour, from 2015-01-01) = 5.45 kr at "
         "2015 prices; index 2025: 131.00, index 2015: 100.00",
         "7.1395 kr, rounded to the øre: 7.14 kr", "Source: " ALB},
        {"Indexering av administrationsbidrag per timme (admin.transferred.per_hour) till 2025",
         "Administrationsbidrag per timme (admin.transferred.per_hour, från 2015-01-01) = 5,45 "
         "kr i 2015 års prisnivå; index 2025: 131,00, index 2015: 100,00",
         "7,1395 kr, avrundat till hela ören: 7,14 kr", "Källa: " ALB}});
}
END_TEST

/* 1234.5 work hours x 6.54 = 8073.63 exactly. */
START_TEST(rule_admin)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_ADMIN);
    period(e, "segment", "2025-01-01", "2025-01-31");
    q(e, BPA_OP_HOURS, "hours", "1234.5");
    bpa_trace_string(&T, e, BPA_OP_WORD, "which", "work");
    q(e, BPA_OP_RATE, "rate", "6.54");
    q(e, BPA_OP_AMOUNT, "exact", "8073.63");
    q(e, BPA_OP_AMOUNT, "amount", "8073.63");
    check(e, (expect[]){
        {"Administration, 01.01.2025 til 31.01.2025",
         "1.234,50 timer (arbejdstimer) × 6,54 kr. pr. time",
         "8.073,63 kr., afrundet til øre: 8.073,63 kr.",
         "Kilder: " BEK " § 8; " ALB},
        {"Administration, 2025-01-01 to 2025-01-31", "1,234.50 hours (work hours) × 6.54 kr per hour",
         "8,073.63 kr, rounded to the øre: 8,073.63 kr", "Sources: " BEK " § 8; " ALB},
        {"Administration, 2025-01-01 till 2025-01-31",
         "1 234,50 timmar (arbetstimmar) × 6,54 kr per timme",
         "8 073,63 kr, avrundat till hela ören: 8 073,63 kr", "Källor: " BEK " § 8; " ALB}});
}
END_TEST

/* 2436 x 1 helper x 31/365 = 75516/365 = 206.89315068..., rounded 206.89. */
START_TEST(rule_payroll_cap)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_PAYROLL_CAP);
    period(e, "segment", "2025-03-01", "2025-03-31");
    q(e, BPA_OP_AMOUNT, "per_helper_year", "2436");
    bpa_trace_count(&T, e, "helpers", 1);
    bpa_trace_count(&T, e, "days", 31);
    bpa_trace_count(&T, e, "year_days", 365);
    q(e, BPA_OP_AMOUNT, "exact", "75516/365");
    q(e, BPA_OP_AMOUNT, "amount", "206.89");
    check(e, (expect[]){
        {"Lønadministration (loft), 01.03.2025 til 31.03.2025",
         "2.436,00 kr. × 1 hjælper × 31/365 dage",
         "206,893151 (75516/365) kr., afrundet til øre: 206,89 kr.",
         "Kilder: " BEK " § 11, stk. 2; " ALB},
        {"Payroll administration (cap), 2025-03-01 to 2025-03-31",
         "2,436.00 kr × 1 helper × 31/365 days",
         "206.893151 (75516/365) kr, rounded to the øre: 206.89 kr",
         "Sources: " BEK " § 11, stk. 2; " ALB},
        {"Löneadministration (tak), 2025-03-01 till 2025-03-31",
         "2 436,00 kr × 1 hjälpare × 31/365 dagar",
         "206,893151 (75516/365) kr, avrundat till hela ören: 206,89 kr",
         "Källor: " BEK " § 11, stk. 2; " ALB}});
}
END_TEST

/* 200 hours x 150 = 30000.00; 30000.00 - 31250.00 = -1250.00. */
START_TEST(rule_hourly_cap)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_HOURLY_CAP);
    period(e, "segment", "2025-05-01", "2025-05-31");
    q(e, BPA_OP_AMOUNT, "cost", "31250");
    q(e, BPA_OP_HOURS, "hours", "200");
    q(e, BPA_OP_RATE, "cap", "150");
    q(e, BPA_OP_AMOUNT, "target", "30000");
    q(e, BPA_OP_AMOUNT, "reduction", "-1250");
    check(e, (expect[]){
        {"Timeloft, 01.05.2025 til 31.05.2025",
         "Udgift 31.250,00 kr. for 200,00 timer, timeloft 150,00 kr. pr. time",
         "Loft 30.000,00 kr.; nedsættelse -1.250,00 kr.", "Kilde: " BEK " § 3, stk. 4."},
        {"Hourly cap, 2025-05-01 to 2025-05-31",
         "Cost 31,250.00 kr for 200.00 hours, hourly cap 150.00 kr per hour",
         "Cap 30,000.00 kr; reduction -1,250.00 kr", "Source: " BEK " § 3, stk. 4."},
        {"Timtak, 2025-05-01 till 2025-05-31",
         "Kostnad 31 250,00 kr för 200,00 timmar, timtak 150,00 kr per timme",
         "Tak 30 000,00 kr; sänkning -1 250,00 kr", "Källa: " BEK " § 3, stk. 4."}});
}
END_TEST

START_TEST(rule_hourly_cap_overridden)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_HOURLY_CAP_OVERRIDDEN);
    period(e, "segment", "2025-05-01", "2025-05-31");
    q(e, BPA_OP_AMOUNT, "cost", "31250");
    q(e, BPA_OP_HOURS, "hours", "200");
    q(e, BPA_OP_RATE, "cap", "150");
    bpa_trace_string(&T, e, BPA_OP_TEXT, "reason", "særlige behov");
    check(e, (expect[]){
        {"Timeloft, 01.05.2025 til 31.05.2025, tilsidesat",
         "Udgift 31.250,00 kr. for 200,00 timer, timeloft 150,00 kr. pr. time; begrundelse: "
         "særlige behov",
         "Ingen nedsættelse: loftet er tilsidesat", "Kilde: " BEK " § 3, stk. 4."},
        {"Hourly cap, 2025-05-01 to 2025-05-31, overridden",
         "Cost 31,250.00 kr for 200.00 hours, hourly cap 150.00 kr per hour; reason: særlige "
         "behov",
         "No reduction: the cap is overridden", "Source: " BEK " § 3, stk. 4."},
        {"Timtak, 2025-05-01 till 2025-05-31, åsidosatt",
         "Kostnad 31 250,00 kr för 200,00 timmar, timtak 150,00 kr per timme; motivering: "
         "særlige behov",
         "Ingen sänkning: taket är åsidosatt", "Källa: " BEK " § 3, stk. 4."}});
}
END_TEST

/* Half of February: 1000 x 14/28 = 500. */
START_TEST(rule_allowance)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_ALLOWANCE);
    bpa_trace_month(&T, e, "month", 2025, 2);
    q(e, BPA_OP_AMOUNT, "monthly", "1000");
    bpa_trace_count(&T, e, "days", 14);
    bpa_trace_count(&T, e, "month_days", 28);
    q(e, BPA_OP_AMOUNT, "exact", "500");
    q(e, BPA_OP_AMOUNT, "amount", "500");
    check(e, (expect[]){
        {"Øvrige udgifter, februar 2025", "1.000,00 kr. × 14/28 dage",
         "500,00 kr., afrundet til øre: 500,00 kr.",
         "Kilder: " BEK " § 10 og § 12, stk. 2; " ALB},
        {"Other costs, February 2025", "1,000.00 kr × 14/28 days",
         "500.00 kr, rounded to the øre: 500.00 kr",
         "Sources: " BEK " § 10 and § 12, stk. 2; " ALB},
        {"Övriga kostnader, februari 2025", "1 000,00 kr × 14/28 dagar",
         "500,00 kr, avrundat till hela ören: 500,00 kr",
         "Källor: " BEK " § 10 och § 12, stk. 2; " ALB}});
}
END_TEST

START_TEST(rule_allowance_cap_overridden)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_ALLOWANCE_CAP_OVERRIDDEN);
    bpa_trace_count(&T, e, "decision_no", 1);
    q(e, BPA_OP_AMOUNT, "monthly", "1250");
    param(e, "cap_param", "allowance.monthly_cap.96", "2015-01-01");
    q(e, BPA_OP_AMOUNT, "cap", "1000");
    bpa_trace_date(&T, e, "on", day("2025-01-01"));
    bpa_trace_string(&T, e, BPA_OP_TEXT, "reason", "dokumenterede ekstra udgifter");
    check(e, (expect[]){
        {"Loft over øvrige udgifter, afgørelse 1, tilsidesat",
         "1.250,00 kr. pr. måned; loft over øvrige udgifter, § 96 (allowance.monthly_cap.96, fra "
         "01.01.2015) = 1.000,00 kr. den 01.01.2025; begrundelse: dokumenterede ekstra udgifter",
         "Tilladt, da loftet er tilsidesat", "Kilde: " ALB},
        {"Allowance cap, decision 1, overridden",
         "1,250.00 kr a month; cap on other costs, § 96 (allowance.monthly_cap.96, from "
         "2015-01-01) = 1,000.00 kr on 2025-01-01; reason: dokumenterede ekstra udgifter",
         "Allowed: the cap is overridden", "Source: " ALB},
        {"Tak för övriga kostnader, beslut 1, åsidosatt",
         "1 250,00 kr per månad; tak för övriga kostnader, § 96 (allowance.monthly_cap.96, från "
         "2015-01-01) = 1 000,00 kr den 2025-01-01; motivering: dokumenterede ekstra udgifter",
         "Tillåtet eftersom taket är åsidosatt", "Källa: " ALB}});
}
END_TEST

START_TEST(rule_trip_limits_overridden)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_TRIP_LIMITS_OVERRIDDEN);
    bpa_trace_string(&T, e, BPA_OP_WORD, "limit", "weekends");
    bpa_trace_count(&T, e, "count", 3);
    bpa_trace_count(&T, e, "max", 2);
    bpa_trace_string(&T, e, BPA_OP_TEXT, "reason", "to hjælpere på turen");
    check(e, (expect[]){
        {"Grænser for ture, tilsidesat",
         "3 weekender med to hjælpere, højst 2; begrundelse: to hjælpere på turen",
         "Tilladt, da grænsen er tilsidesat", "Kilde: " ALB},
        {"Trip limits, overridden",
         "3 weekends away with two helpers, at most 2; reason: to hjælpere på turen",
         "Allowed: the limit is overridden", "Source: " ALB},
        {"Gränser för resor, åsidosatta",
         "3 helger borta med två hjälpare, högst 2; motivering: to hjælpere på turen",
         "Tillåtet eftersom gränsen är åsidosatt", "Källa: " ALB}});
    /* the other limit */
    e = bpa_trace_begin(&T, BPA_TRACE_TRIP_LIMITS_OVERRIDDEN);
    bpa_trace_string(&T, e, BPA_OP_WORD, "limit", "vacation_days");
    bpa_trace_count(&T, e, "count", 21);
    bpa_trace_count(&T, e, "max", 14);
    bpa_trace_string(&T, e, BPA_OP_TEXT, "reason", "r");
    bpa_trace_text t;
    bpa_error err;
    ck_assert_int_eq(bpa_trace_entry_render(e, BPA_LANG_DA, &t, &err), BPA_OK);
    ck_assert_str_eq(t.inputs, "21 feriedage med to hjælpere, højst 14; begrundelse: r");
    bpa_trace_text_release(&t);
}
END_TEST

/* 7.5 hours a week against 8: hourly paid. */
START_TEST(rule_employment)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_EMPLOYMENT);
    period(e, "decision", "2025-01-01", "2025-06-30");
    q(e, BPA_OP_HOURS, "hours_per_week", "15/2");
    q(e, BPA_OP_HOURS, "threshold", "8");
    bpa_trace_string(&T, e, BPA_OP_WORD, "form", "hourly_paid");
    static const char her_da[] = "Kilde: Herning Kommune, kvalitetsstandard for § 94 (selvvalgt "
                                 "hjælper).";
    check(e, (expect[]){
        {"Ansættelsesform, 01.01.2025 til 30.06.2025",
         "7,50 timer pr. uge, grænse 8,00 timer pr. uge", "Timelønnet", her_da},
        {"Employment, 2025-01-01 to 2025-06-30",
         "7.50 hours per week, threshold 8.00 hours per week", "Hourly paid",
         "Source: Herning Kommune, quality standard for § 94 (self-chosen helper)."},
        {"Anställningsform, 2025-01-01 till 2025-06-30",
         "7,50 timmar per vecka, gräns 8,00 timmar per vecka", "Timavlönad",
         "Källa: Herning Kommune, kvalitetsstandard för § 94 (självvald hjälpare)."}});
}
END_TEST

START_TEST(rule_grant_totals)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_GRANT_TOTALS);
    bpa_trace_count(&T, e, "months", 1);
    bpa_trace_count(&T, e, "lines", 3);
    q(e, BPA_OP_AMOUNT, "wages", "1234567.89");
    q(e, BPA_OP_AMOUNT, "admin", "0");
    q(e, BPA_OP_AMOUNT, "payroll_admin_cap", "0");
    q(e, BPA_OP_AMOUNT, "allowance", "1000");
    q(e, BPA_OP_AMOUNT, "grant", "1235567.89");
    check(e, (expect[]){
        {"Tilskud i alt", "1 måned, 3 linjer",
         "Løn 1.234.567,89 kr., administration 0,00 kr., lønadministration (loft) 0,00 kr., "
         "øvrige udgifter 1.000,00 kr.; tilskud i alt 1.235.567,89 kr.",
         "Kilde: bpa's valg."},
        {"Grant in all", "1 month, 3 lines",
         "Wages 1,234,567.89 kr, administration 0.00 kr, payroll administration (cap) 0.00 kr, "
         "other costs 1,000.00 kr; grant in all 1,235,567.89 kr",
         "Source: bpa's choice."},
        {"Bidrag totalt", "1 månad, 3 rader",
         "Lön 1 234 567,89 kr, administration 0,00 kr, löneadministration (tak) 0,00 kr, "
         "övriga kostnader 1 000,00 kr; bidrag totalt 1 235 567,89 kr",
         "Källa: bpa:s val."}});
}
END_TEST

/* ---- the rules of the account ---------------------------------------------------------- */

START_TEST(rule_timesheets)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_TIMESHEETS);
    bpa_trace_count(&T, e, "files", 2);
    bpa_trace_count(&T, e, "shifts", 1);
    q(e, BPA_OP_HOURS, "hours", "37/3");
    q(e, BPA_OP_HOURS, "outside", "1/3");
    bpa_trace_count(&T, e, "year", 2025);
    check(e, (expect[]){
        {"Timesedler", "2 filer, 1 vagt",
         "12,333333 (37/3) timer i alt, heraf 0,333333 (1/3) timer uden for 2025, som ikke "
         "tælles med",
         "Kilde: bpa's valg."},
        {"Timesheets", "2 files, 1 shift",
         "12.333333 (37/3) hours in all, of which 0.333333 (1/3) hours outside 2025, not "
         "counted",
         "Source: bpa's choice."},
        {"Tidrapporter", "2 filer, 1 pass",
         "12,333333 (37/3) timmar totalt, varav 0,333333 (1/3) timmar utanför 2025, som inte "
         "räknas",
         "Källa: bpa:s val."}});
}
END_TEST

START_TEST(rule_pool)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_POOL);
    bpa_trace_string(&T, e, BPA_OP_TEXT, "pool", "on_call/any/11");
    q(e, BPA_OP_HOURS, "granted", "100");
    q(e, BPA_OP_HOURS, "used", "90");
    q(e, BPA_OP_AMOUNT, "value", "15000");
    q(e, BPA_OP_RATE, "average", "150");
    q(e, BPA_OP_HOURS, "unused", "10");
    q(e, BPA_OP_AMOUNT, "unused_value", "1500");
    q(e, BPA_OP_HOURS, "overused", "0");
    q(e, BPA_OP_AMOUNT, "overused_value", "0");
    static const char alb_choice_da[] = "Kilder: Albertslund Kommune, Kvalitetsstandarder 2015; "
                                        "bpa's valg.";
    check(e, (expect[]){
        {"Pulje: rådighed, trin 11",
         "Bevilgede 100,00 timer, brugte 90,00 timer, værdi 15.000,00 kr.",
         "Gennemsnitlig timesats 150,00 kr. pr. time; ubrugte 10,00 timer: 1.500,00 kr.; brugt "
         "ud over bevillingen 0,00 timer: 0,00 kr.",
         alb_choice_da},
        {"Pool: on call, step 11", "Granted 100.00 hours, used 90.00 hours, value 15,000.00 kr",
         "Average rate 150.00 kr per hour; unused 10.00 hours: 1,500.00 kr; beyond the grant "
         "0.00 hours: 0.00 kr",
         "Sources: Albertslund Kommune, Kvalitetsstandarder 2015; bpa's choice."},
        {"Pott: jour, lönesteg 11",
         "Beviljade 100,00 timmar, använda 90,00 timmar, värde 15 000,00 kr",
         "Genomsnittligt timbelopp 150,00 kr per timme; oanvända 10,00 timmar: 1 500,00 kr; "
         "utöver de beviljade 0,00 timmar: 0,00 kr",
         "Källor: Albertslund Kommune, Kvalitetsstandarder 2015; bpa:s val."}});

    /* no granted hours: no average, nothing more */
    e = bpa_trace_begin(&T, BPA_TRACE_POOL);
    bpa_trace_string(&T, e, BPA_OP_TEXT, "pool", "work");
    q(e, BPA_OP_HOURS, "granted", "0");
    q(e, BPA_OP_HOURS, "used", "5");
    q(e, BPA_OP_AMOUNT, "value", "0");
    check(e, (expect[]){
        {"Pulje: arbejde", "Bevilgede 0,00 timer, brugte 5,00 timer, værdi 0,00 kr.",
         "Ingen bevilgede timer, så værdierne er 0,00 kr.", alb_choice_da},
        {"Pool: work", "Granted 0.00 hours, used 5.00 hours, value 0.00 kr",
         "No granted hours, so the values are 0.00 kr",
         "Sources: Albertslund Kommune, Kvalitetsstandarder 2015; bpa's choice."},
        {"Pott: arbete", "Beviljade 0,00 timmar, använda 5,00 timmar, värde 0,00 kr",
         "Inga beviljade timmar, så värdena är 0,00 kr",
         "Källor: Albertslund Kommune, Kvalitetsstandarder 2015; bpa:s val."}});

    /* the pool of all hours, and a key that is not a pool's: shown as is */
    const char *keys[] = {"all", "work/evening/12", "odd/key"};
    const char *da[] = {"Pulje: alle timer", "Pulje: arbejde, aften, trin 12", "Pulje: odd/key"};
    for (int i = 0; i < 3; i++) {
        e = bpa_trace_begin(&T, BPA_TRACE_POOL);
        bpa_trace_string(&T, e, BPA_OP_TEXT, "pool", keys[i]);
        bpa_trace_text t;
        bpa_error err;
        ck_assert_int_eq(bpa_trace_entry_render(e, BPA_LANG_DA, &t, &err), BPA_OK);
        ck_assert_str_eq(t.step, da[i]);
        bpa_trace_text_release(&t);
    }
}
END_TEST

START_TEST(rule_carry_over)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_CARRY_OVER);
    q(e, BPA_OP_HOURS, "hours", "30");
    q(e, BPA_OP_HOURS, "limit", "122.2");
    q(e, BPA_OP_PCT, "pct", "5");
    q(e, BPA_OP_AMOUNT, "value", "4893.21");
    check(e, (expect[]){
        {"Overførsel til næste år",
         "30,00 timer, grænse 122,20 timer (5,00 % af årets bevilgede timer)",
         "Værdi 4.893,21 kr.",
         "Kilde: borger.dk, overførsel af timer efter aftale med kommunen."},
        {"Carry-over to next year",
         "30.00 hours, limit 122.20 hours (5.00 % of the year's granted hours)",
         "Value 4,893.21 kr",
         "Source: borger.dk, hours carried over by agreement with the municipality."},
        {"Överföring till nästa år",
         "30,00 timmar, gräns 122,20 timmar (5,00 % av årets beviljade timmar)",
         "Värde 4 893,21 kr",
         "Källa: borger.dk, överföring av timmar efter överenskommelse med kommunen."}});
}
END_TEST

START_TEST(rule_lines)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_LINE_UNUSED);
    q(e, BPA_OP_AMOUNT, "unused_value", "18104.88");
    q(e, BPA_OP_AMOUNT, "carry_value", "4893.21");
    q(e, BPA_OP_AMOUNT, "line", "13211.67");
    check(e, (expect[]){
        {"Linje 1: ubrugte timer", "18.104,88 kr. − 4.893,21 kr.", "13.211,67 kr.",
         "Kilde: " ALB},
        {"Line 1: unused hours", "18,104.88 kr − 4,893.21 kr", "13,211.67 kr", "Source: " ALB},
        {"Rad 1: oanvända timmar", "18 104,88 kr − 4 893,21 kr", "13 211,67 kr",
         "Källa: " ALB}});

    e = bpa_trace_begin(&T, BPA_TRACE_LINE_ADMIN);
    q(e, BPA_OP_HOURS, "granted", "7206");
    q(e, BPA_OP_HOURS, "used", "6949");
    q(e, BPA_OP_HOURS, "carried_over", "40");
    q(e, BPA_OP_AMOUNT, "admin", "46931.03");
    q(e, BPA_OP_AMOUNT, "line", "1413.27");
    check(e, (expect[]){
        {"Linje 2: administration",
         "Bevilgede 7.206,00 timer, brugte 6.949,00 timer, overført til næste år 40,00 timer; "
         "administration 46.931,03 kr.",
         "1.413,27 kr.", "Kilde: bpa's valg."},
        {"Line 2: administration",
         "Granted 7,206.00 hours, used 6,949.00 hours, carried over to next year 40.00 hours; "
         "administration 46,931.03 kr",
         "1,413.27 kr", "Source: bpa's choice."},
        {"Rad 2: administration",
         "Beviljade 7 206,00 timmar, använda 6 949,00 timmar, överförda till nästa år 40,00 "
         "timmar; administration 46 931,03 kr",
         "1 413,27 kr", "Källa: bpa:s val."}});

    e = bpa_trace_begin(&T, BPA_TRACE_LINE_PAYROLL_ADMIN);
    q(e, BPA_OP_AMOUNT, "paid", "6500");
    q(e, BPA_OP_AMOUNT, "invoices", "6500");
    q(e, BPA_OP_AMOUNT, "cap", "6126.72");
    q(e, BPA_OP_AMOUNT, "line", "373.28");
    check(e, (expect[]){
        {"Linje 3: lønadministration",
         "Modtaget 6.500,00 kr., fakturaer 6.500,00 kr., loft 6.126,72 kr.", "373,28 kr.",
         "Kilder: " BEK " § 11, stk. 2; " ALB},
        {"Line 3: payroll administration",
         "Received 6,500.00 kr, invoices 6,500.00 kr, cap 6,126.72 kr", "373.28 kr",
         "Sources: " BEK " § 11, stk. 2; " ALB},
        {"Rad 3: löneadministration", "Mottaget 6 500,00 kr, fakturor 6 500,00 kr, tak 6 126,72 kr",
         "373,28 kr", "Källor: " BEK " § 11, stk. 2; " ALB}});

    e = bpa_trace_begin(&T, BPA_TRACE_LINE_PAYMENTS);
    q(e, BPA_OP_AMOUNT, "received", "1131114.47");
    q(e, BPA_OP_AMOUNT, "due", "1131614.47");
    q(e, BPA_OP_AMOUNT, "line", "-500");
    check(e, (expect[]){
        {"Linje 4: udbetalinger", "Modtaget 1.131.114,47 kr., forfaldent 1.131.614,47 kr.",
         "-500,00 kr.", "Kilde: " BEK " § 14."},
        {"Line 4: payments", "Received 1,131,114.47 kr, due 1,131,614.47 kr", "-500.00 kr",
         "Source: " BEK " § 14."},
        {"Rad 4: utbetalningar", "Mottaget 1 131 114,47 kr, förfallet 1 131 614,47 kr",
         "-500,00 kr", "Källa: " BEK " § 14."}});

    e = bpa_trace_begin(&T, BPA_TRACE_LINE_ACTUAL_COST);
    q(e, BPA_OP_AMOUNT, "value", "557901.05");
    q(e, BPA_OP_AMOUNT, "unused_value", "3392.91");
    q(e, BPA_OP_AMOUNT, "per_helper", "0");
    q(e, BPA_OP_AMOUNT, "cost", "554508.14");
    q(e, BPA_OP_AMOUNT, "actual", "541250");
    q(e, BPA_OP_AMOUNT, "line", "13258.14");
    check(e, (expect[]){
        {"Linje 5: faktiske lønudgifter",
         "557.901,05 kr. − 3.392,91 kr. + 0,00 kr. = 554.508,14 kr.; faktiske lønudgifter "
         "541.250,00 kr.",
         "13.258,14 kr.", "Kilde: " BEK " § 3, stk. 3."},
        {"Line 5: actual-cost cap",
         "557,901.05 kr − 3,392.91 kr + 0.00 kr = 554,508.14 kr; actual wage costs 541,250.00 "
         "kr",
         "13,258.14 kr", "Source: " BEK " § 3, stk. 3."},
        {"Rad 5: faktiska lönekostnader",
         "557 901,05 kr − 3 392,91 kr + 0,00 kr = 554 508,14 kr; faktiska lönekostnader 541 "
         "250,00 kr",
         "13 258,14 kr", "Källa: " BEK " § 3, stk. 3."}});
}
END_TEST

START_TEST(rule_balance)
{
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_BALANCE);
    q(e, BPA_OP_AMOUNT, "line", "13211.67");
    q(e, BPA_OP_AMOUNT, "line", "0");
    q(e, BPA_OP_AMOUNT, "line", "0");
    q(e, BPA_OP_AMOUNT, "line", "1112.44");
    q(e, BPA_OP_AMOUNT, "line", "0");
    q(e, BPA_OP_AMOUNT, "balance", "14324.11");
    bpa_trace_string(&T, e, BPA_OP_WORD, "direction", "repay");
    bpa_trace_date(&T, e, "due", day("2026-03-01"));
    check(e, (expect[]){
        {"Saldo", "13.211,67 + 0,00 + 0,00 + 1.112,44 + 0,00 kr.",
         "14.324,11 kr. (tilbagebetaling til kommunen); regnskabet afleveres senest 01.03.2026",
         "Kilder: " BEK " § 14; " ALB},
        {"Balance", "13,211.67 + 0.00 + 0.00 + 1,112.44 + 0.00 kr",
         "14,324.11 kr (repayment to the municipality); the account is due 2026-03-01", "Sources: " BEK " § 14; " ALB},
        {"Saldo", "13 211,67 + 0,00 + 0,00 + 1 112,44 + 0,00 kr",
         "14 324,11 kr (återbetalning); redovisningen lämnas senast 2026-03-01",
         "Källor: " BEK " § 14; " ALB}});
}
END_TEST

/* ---- the builder ------------------------------------------------------------------------ */

START_TEST(builder_ids_roles_and_failure)
{
    for (int r = 0; r < BPA_TRACE_RULE_COUNT; r++) {
        ck_assert_str_ne(bpa_trace_rule_id((bpa_trace_rule)r), "?");
        ck_assert(strchr(bpa_trace_rule_section((bpa_trace_rule)r), '.') ||
                  strcmp(bpa_trace_rule_section((bpa_trace_rule)r), "6") == 0);
        ck_assert(*bpa_trace_rule_roles((bpa_trace_rule)r));
    }
    ck_assert_str_eq(bpa_trace_rule_id(BPA_TRACE_WAGES), "wages");
    ck_assert_str_eq(bpa_trace_rule_section(BPA_TRACE_INDEX), "7.4");
    ck_assert_str_eq(bpa_trace_rule_id(BPA_TRACE_RULE_COUNT), "?");

    /* more operands than the first allocation holds; the first of a role */
    bpa_trace_entry *e = bpa_trace_begin(&T, BPA_TRACE_BALANCE);
    for (int i = 0; i < 20; i++)
        bpa_trace_count(&T, e, i == 0 ? "first" : "line", i);
    bpa_trace_string(&T, e, BPA_OP_AMOUNT, "wrong", "x"); /* not a text type: ignored */
    q(e, BPA_OP_TEXT, "wrong", "1");                      /* not a number type: ignored */
    ck_assert_uint_eq(e->nops, 20);
    ck_assert_int_eq(bpa_trace_operand(e, "line")->n, 1);
    ck_assert_ptr_null(bpa_trace_operand(e, "wrong"));
    /* entries past the first allocation keep their operands */
    for (int i = 0; i < 40; i++)
        bpa_trace_count(&T, bpa_trace_begin(&T, BPA_TRACE_TIMESHEETS), "files", i);
    ck_assert_uint_eq(T.n, 41);
    ck_assert_int_eq(bpa_trace_operand(&T.entries[40], "files")->n, 39);

    /* a NULL entry is accepted; after a failure nothing more is added */
    bpa_trace_count(&T, NULL, "files", 1);
    T.failed = true;
    ck_assert_ptr_null(bpa_trace_begin(&T, BPA_TRACE_WAGES));
    bpa_trace_count(&T, &T.entries[0], "late", 1);
    ck_assert_ptr_null(bpa_trace_operand(&T.entries[0], "late"));
    ck_assert_uint_eq(T.n, 41);
    bpa_trace_release(&T);
    ck_assert_uint_eq(T.n, 0);
    ck_assert(!T.failed);
}
END_TEST

/* ---- numbers and dates per language (format.h) -------------------------------------------- */

static char *fmt(void (*add)(bpa_strbuf *, bpa_lang, const mpq_t), bpa_lang lang,
                 const char *value)
{
    mpq_t x;
    mpq_init(x);
    ck_assert_int_eq(bpa_dec_parse(x, value, BPA_DEC_NEGATIVE | BPA_DEC_FRACTION, NULL, 0),
                     BPA_OK);
    bpa_strbuf sb;
    bpa_strbuf_init(&sb);
    add(&sb, lang, x);
    mpq_clear(x);
    return bpa_strbuf_detach(&sb);
}

#define FMT(add, lang, value, want)                                                      \
    do {                                                                                 \
        char *got_ = fmt(add, lang, value);                                              \
        ck_assert_str_eq(got_, want);                                                    \
        free(got_);                                                                      \
    } while (0)

START_TEST(format_numbers)
{
    /* amounts: thousands, negative, rounding half away from zero for display */
    FMT(bpa_lang_add_amount, BPA_LANG_DA, "1234567.891", "1.234.567,89");
    FMT(bpa_lang_add_amount, BPA_LANG_EN, "1234567.891", "1,234,567.89");
    FMT(bpa_lang_add_amount, BPA_LANG_SV, "1234567.891", "1 234 567,89");
    FMT(bpa_lang_add_amount, BPA_LANG_DA, "-1234.5", "-1.234,50");
    FMT(bpa_lang_add_amount, BPA_LANG_DA, "-0.005", "-0,01");
    FMT(bpa_lang_add_amount, BPA_LANG_DA, "999.995", "1.000,00");
    FMT(bpa_lang_add_amount, BPA_LANG_EN, "0", "0.00");
    FMT(bpa_lang_add_amount, BPA_LANG_SV, "100000", "100 000,00");
    FMT(bpa_lang_add_amount, BPA_LANG_DA, "999", "999,00");
    /* numbers for checking: two decimals when exact, up to six, the fraction beside */
    FMT(bpa_lang_add_number, BPA_LANG_DA, "1.5", "1,50");
    FMT(bpa_lang_add_number, BPA_LANG_DA, "7.1395", "7,1395");
    FMT(bpa_lang_add_number, BPA_LANG_EN, "1/8", "0.125");
    FMT(bpa_lang_add_number, BPA_LANG_DA, "1234.125", "1.234,125");
    FMT(bpa_lang_add_number, BPA_LANG_SV, "1234.125", "1 234,125");
    FMT(bpa_lang_add_number, BPA_LANG_DA, "2/3", "0,666667 (2/3)");
    FMT(bpa_lang_add_number, BPA_LANG_EN, "-2/3", "-0.666667 (-2/3)");
    FMT(bpa_lang_add_number, BPA_LANG_SV, "59644/365", "163,408219 (59644/365)");
    FMT(bpa_lang_add_number, BPA_LANG_DA, "-140933/75", "-1.879,106667 (-140933/75)");
    FMT(bpa_lang_add_number, BPA_LANG_DA, "-0.000001", "-0,000001");
}
END_TEST

START_TEST(format_fixed_dates_months)
{
    mpq_t x;
    mpq_init(x);
    mpq_set_ui(x, 1234567, 1000); /* 1234.567 */
    bpa_strbuf sb;
    bpa_strbuf_init(&sb);
    bpa_lang_add_fixed(&sb, BPA_LANG_DA, x, 4);
    bpa_strbuf_add(&sb, " | ");
    bpa_lang_add_fixed(&sb, BPA_LANG_EN, x, 2); /* 1234.567 -> 1234.57 */
    bpa_strbuf_add(&sb, " | ");
    bpa_lang_add_fixed(&sb, BPA_LANG_SV, x, 0);
    bpa_strbuf_add(&sb, " | ");
    bpa_lang_add_date(&sb, BPA_LANG_DA, day("2025-01-31"));
    bpa_strbuf_add(&sb, " | ");
    bpa_lang_add_date(&sb, BPA_LANG_SV, day("2025-01-31"));
    bpa_strbuf_add(&sb, " | ");
    bpa_lang_add_period(&sb, BPA_LANG_DA, day("2025-01-31"), day("2025-02-28"));
    bpa_strbuf_add(&sb, " | ");
    bpa_lang_add_period(&sb, BPA_LANG_EN, day("2025-01-31"), day("2025-02-28"));
    bpa_strbuf_add(&sb, " | ");
    bpa_lang_add_period(&sb, BPA_LANG_SV, day("2025-01-31"), day("2025-02-28"));
    bpa_strbuf_add(&sb, " | ");
    bpa_lang_add_month(&sb, BPA_LANG_DA, 2025, 1);
    bpa_strbuf_add(&sb, " | ");
    bpa_lang_add_month(&sb, BPA_LANG_EN, 2025, 3);
    bpa_strbuf_add(&sb, " | ");
    bpa_lang_add_month(&sb, BPA_LANG_SV, 2025, 8);
    char *s = bpa_strbuf_detach(&sb);
    ck_assert_str_eq(s, "1.234,5670 | 1,234.57 | 1 235 | 31.01.2025 | 2025-01-31 | 31.01.2025 "
                        "til 28.02.2025 | 2025-01-31 to 2025-02-28 | 2025-01-31 till "
                        "2025-02-28 | januar 2025 | March 2025 | augusti 2025");
    free(s);
    mpq_clear(x);
    ck_assert_str_eq(bpa_lang_month_name(BPA_LANG_DA, 5), "maj");
    ck_assert_str_eq(bpa_lang_month_name(BPA_LANG_EN, 13), "?");
}
END_TEST

/* ---- the traces of the fixtures ------------------------------------------------------------- */

/* Each role of the entry is one its rule lists, as often as the mark says:
 * none: once; "?": at most once; "+": at least once; "*": any number. */
static void check_roles(const bpa_trace_entry *e, const char *where)
{
    const char *roles = bpa_trace_rule_roles(e->rule);
    size_t listed = 0;
    for (const char *p = roles; *p;) {
        size_t n = strcspn(p, " ");
        char name[48];
        char mark = strchr("?+*", p[n - 1]) ? p[n - 1] : '\0';
        snprintf(name, sizeof name, "%.*s", (int)(mark ? n - 1 : n), p);
        size_t count = 0;
        for (size_t i = 0; i < e->nops; i++)
            if (strcmp(e->ops[i].role, name) == 0)
                count++;
        listed += count;
        ck_assert_msg(mark == '*' || (mark == '?' && count <= 1) ||
                          (mark == '+' && count >= 1) || (!mark && count == 1),
                      "%s: rule %s has %zu operands \"%s\"", where, bpa_trace_rule_id(e->rule),
                      count, name);
        p += n;
        p += strspn(p, " ");
    }
    ck_assert_msg(listed == e->nops, "%s: rule %s has a role it does not list", where,
                  bpa_trace_rule_id(e->rule));
}

static size_t check_trace(const bpa_trace *t, const char *name)
{
    ck_assert(!t->failed);
    for (size_t i = 0; i < t->n; i++) {
        const bpa_trace_entry *e = &t->entries[i];
        char where[160];
        snprintf(where, sizeof where, "%s entry %zu", name, i);
        check_roles(e, where);
        for (int lang = 0; lang < BPA_LANG_COUNT; lang++) {
            bpa_trace_text x;
            bpa_error err;
            ck_assert_int_eq(bpa_trace_entry_render(e, (bpa_lang)lang, &x, &err), BPA_OK);
            const char *texts[] = {x.step, x.rule, x.inputs, x.result};
            for (int k = 0; k < 4; k++)
                check_words(texts[k], where);
            bpa_trace_text_release(&x);
        }
    }
    return t->n;
}

START_TEST(fixture_traces)
{
    DIR *dir = opendir(BPA_SOURCE_DIR "/fixtures/cases");
    ck_assert_ptr_nonnull(dir);
    struct dirent *de;
    int cases = 0, accounts = 0, se_cases = 0, se_accounts = 0;
    size_t entries = 0;
    bool rules_seen[BPA_TRACE_RULE_COUNT] = {false};
    while ((de = readdir(dir))) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        char path[512], upath[512];
        snprintf(path, sizeof path, BPA_SOURCE_DIR "/fixtures/cases/%s", de->d_name);
        snprintf(upath, sizeof upath, BPA_SOURCE_DIR "/fixtures/usage/%s", de->d_name);
        bpa_error err;
        bpa_case *c = NULL;
        bpa_policy *p = NULL;
        bpa_grant *g = NULL;
        ck_assert_msg(bpa_case_load(&c, path, &err) == BPA_OK, "%s", err.message);
        char *ppath = bpa_case_policy_path(c, BPA_SOURCE_DIR "/fixtures/policies");
        ck_assert_ptr_nonnull(ppath);
        ck_assert_msg(bpa_policy_load(&p, ppath, &err) == BPA_OK, "%s", err.message);
        free(ppath);
        struct stat st;
        if (c->se) {
            /* a Swedish fixture: its budget and avräkning trace the same way */
            bpa_se_grant *sg = NULL;
            ck_assert_msg(bpa_se_grant_compute(&sg, c, p, &err) == BPA_OK, "%s", err.message);
            entries += check_trace(&sg->trace, de->d_name);
            for (size_t i = 0; i < sg->trace.n; i++)
                rules_seen[sg->trace.entries[i].rule] = true;
            se_cases++;
            if (stat(upath, &st) == 0) {
                bpa_se_usage *su = NULL;
                bpa_se_settlement *ss = NULL;
                ck_assert_msg(bpa_se_usage_load(&su, upath, &err) == BPA_OK, "%s", err.message);
                ck_assert_msg(bpa_se_settle(&ss, sg, su, &err) == BPA_OK, "%s", err.message);
                entries += check_trace(&ss->trace, upath);
                for (size_t i = 0; i < ss->trace.n; i++)
                    rules_seen[ss->trace.entries[i].rule] = true;
                se_accounts++;
                bpa_se_settle_free(ss);
                bpa_se_usage_free(su);
            }
            bpa_se_grant_free(sg);
            bpa_policy_free(p);
            bpa_case_free(c);
            continue;
        }
        ck_assert_msg(bpa_grant_compute(&g, c, p, &err) == BPA_OK, "%s", err.message);
        entries += check_trace(&g->trace, de->d_name);
        for (size_t i = 0; i < g->trace.n; i++)
            rules_seen[g->trace.entries[i].rule] = true;
        cases++;
        if (stat(upath, &st) == 0) {
            bpa_usage *u = NULL;
            bpa_settlement *s = NULL;
            ck_assert_msg(bpa_usage_load(&u, upath, &err) == BPA_OK, "%s", err.message);
            ck_assert_msg(bpa_settle_compute(&s, g, u, &err) == BPA_OK, "%s", err.message);
            entries += check_trace(&s->trace, upath);
            for (size_t i = 0; i < s->trace.n; i++)
                rules_seen[s->trace.entries[i].rule] = true;
            accounts++;
            bpa_settle_free(s);
            bpa_usage_free(u);
        }
        bpa_grant_free(g);
        bpa_policy_free(p);
        bpa_case_free(c);
    }
    closedir(dir);
    ck_assert_int_eq(cases, 10);
    ck_assert_int_eq(accounts, 7);
    ck_assert_int_eq(se_cases, 3);
    ck_assert_int_eq(se_accounts, 3);
    ck_assert_uint_gt(entries, 400);
    /* the fixtures reach every rule but the overrides and the hourly cap, which the
     * hand-built entries above cover */
    ck_assert(rules_seen[BPA_TRACE_PER_HELPER] && rules_seen[BPA_TRACE_SEGMENTS] && rules_seen[BPA_TRACE_RATE] &&
              rules_seen[BPA_TRACE_INDEX] && rules_seen[BPA_TRACE_ADMIN] &&
              rules_seen[BPA_TRACE_PAYROLL_CAP] && rules_seen[BPA_TRACE_EMPLOYMENT] &&
              rules_seen[BPA_TRACE_POOL] && rules_seen[BPA_TRACE_CARRY_OVER] &&
              rules_seen[BPA_TRACE_LINE_ACTUAL_COST] && rules_seen[BPA_TRACE_BALANCE] &&
              rules_seen[BPA_TRACE_SE_MONTH] && rules_seen[BPA_TRACE_SE_KOMMUN] &&
              rules_seen[BPA_TRACE_SE_SETTLE_PERIOD] && rules_seen[BPA_TRACE_SE_RECEIPT]);
}
END_TEST

/* ---- JSON ------------------------------------------------------------------------------------ */

static const cJSON *operand(const cJSON *entry, const char *role)
{
    const cJSON *o;
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(entry, "operands"))
    {
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(o, "role");
        if (cJSON_IsString(r) && strcmp(r->valuestring, role) == 0)
            return o;
    }
    ck_abort_msg("no operand %s", role);
    return NULL;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    ck_assert_msg(cJSON_IsString(v), "no string %s", key);
    return v->valuestring;
}

/* The full-year fixture: wage.hourly.11 is 293150 / 1924 = 11275/74 =
 * 152.3648648...; January's day hours 37 x 52 x 31/365 = 59644/365 =
 * 163.4082...; their wage line 59644/365 x 152.36 (R1) = 227183996/9125 =
 * 24896.8762..., rounded 24896.88. */
START_TEST(json_trace_of_a_grant)
{
    bpa_error err;
    bpa_case *c = NULL;
    bpa_policy *p = NULL;
    bpa_grant *g = NULL;
    char *json = NULL;
    ck_assert_int_eq(bpa_case_load(&c, BPA_SOURCE_DIR "/fixtures/cases/alb-2025-full-year.json",
                                   &err),
                     BPA_OK);
    ck_assert_int_eq(bpa_policy_load(&p, BPA_SOURCE_DIR "/fixtures/policies/albertslund.json",
                                     &err),
                     BPA_OK);
    ck_assert_int_eq(bpa_grant_compute(&g, c, p, &err), BPA_OK);
    ck_assert_int_eq(bpa_grant_to_json(g, &json, &err), BPA_OK);
    cJSON *root = cJSON_Parse(json);
    ck_assert_ptr_nonnull(root);
    const cJSON *trace = cJSON_GetObjectItemCaseSensitive(root, "trace");
    ck_assert(cJSON_IsArray(trace));
    ck_assert_int_eq(cJSON_GetArraySize(trace), (int)g->trace.n);
    const cJSON *e;
    cJSON_ArrayForEach(e, trace)
    {
        static const char *const keys[] = {"rule", "section", "step", "how", "inputs", "result"};
        for (int k = 0; k < 6; k++)
            ck_assert(*str(e, keys[k]));
        ck_assert(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(e, "operands")));
        const cJSON *o;
        cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(e, "operands"))
        {
            ck_assert(*str(o, "role"));
            ck_assert(*str(o, "type"));
        }
    }
    /* the first entry: January's rate of work by day */
    const cJSON *rate = cJSON_GetArrayItem(trace, 0);
    ck_assert_str_eq(str(rate, "rule"), "rate");
    ck_assert_str_eq(str(rate, "section"), "7.2");
    ck_assert_str_eq(str(rate, "step"), "Hourly rate, work, day, step 11, from 2025-01-01");
    const cJSON *w = operand(rate, "wage");
    ck_assert_str_eq(str(w, "type"), "rate");
    ck_assert_str_eq(str(w, "value"), "152.364865");
    ck_assert_str_eq(str(w, "value_exact"), "11275/74");
    const cJSON *wp = operand(rate, "wage_param");
    ck_assert_str_eq(str(wp, "type"), "param");
    ck_assert_str_eq(str(wp, "name"), "wage.hourly.11");
    ck_assert_str_eq(str(wp, "from"), "2025-01-01");
    ck_assert_str_eq(str(wp, "ref"), "example-wage-11");
    const cJSON *cat = cJSON_GetObjectItemCaseSensitive(operand(rate, "category"), "value");
    ck_assert_str_eq(str(cat, "kind"), "work");
    ck_assert_str_eq(str(cat, "band"), "day");
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(cat, "step")->valueint, 11);
    ck_assert_str_eq(str(operand(rate, "round_components"), "value"), "yes");
    /* then its wage line */
    const cJSON *wages = cJSON_GetArrayItem(trace, 1);
    ck_assert_str_eq(str(wages, "rule"), "wages");
    ck_assert_str_eq(str(wages, "section"), "7.3");
    ck_assert_str_eq(str(wages, "step"), "Wages, work, day, step 11, 2025-01-01 to 2025-01-31");
    ck_assert_str_eq(str(wages, "inputs"), "163.408219 (59644/365) hours × 152.36 kr per hour");
    ck_assert_str_eq(str(wages, "result"),
                     "24,896.876274 (227183996/9125) kr, rounded to the øre: 24,896.88 kr");
    const char *how = str(wages, "how");
    ck_assert_str_eq(how + strlen(how) - strlen("Source: bpa's choice."), "Source: bpa's choice.");
    const cJSON *seg = operand(wages, "segment");
    ck_assert_str_eq(str(seg, "type"), "period");
    ck_assert_str_eq(str(seg, "from"), "2025-01-01");
    ck_assert_str_eq(str(seg, "to"), "2025-01-31");
    const cJSON *h = operand(wages, "hours");
    ck_assert_str_eq(str(h, "value"), "163.4082");
    ck_assert_str_eq(str(h, "value_exact"), "59644/365");
    const cJSON *x = operand(wages, "exact");
    ck_assert_str_eq(str(x, "type"), "amount");
    ck_assert_str_eq(str(x, "value"), "24896.88");
    ck_assert_str_eq(str(x, "value_exact"), "227183996/9125");
    const cJSON *a = operand(wages, "amount");
    ck_assert_str_eq(str(a, "value"), "24896.88");
    ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(a, "value_exact"));
    /* the last entry: the totals, with counts as numbers */
    const cJSON *tot = cJSON_GetArrayItem(trace, cJSON_GetArraySize(trace) - 1);
    ck_assert_str_eq(str(tot, "rule"), "grant_totals");
    const cJSON *months = cJSON_GetObjectItemCaseSensitive(operand(tot, "months"), "value");
    ck_assert(cJSON_IsNumber(months));
    ck_assert_int_eq(months->valueint, 12);
    cJSON_Delete(root);
    free(json);
    bpa_grant_free(g);
    bpa_policy_free(p);
    bpa_case_free(c);
}
END_TEST

static Suite *trace_suite(void)
{
    Suite *s = suite_create("trace");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, rule_segments);
    tcase_add_test(tc, rule_rate_on_call);
    tcase_add_test(tc, rule_rate_work_day);
    tcase_add_test(tc, rule_wages);
    tcase_add_test(tc, rule_per_helper);
    tcase_add_test(tc, rule_index);
    tcase_add_test(tc, rule_admin);
    tcase_add_test(tc, rule_payroll_cap);
    tcase_add_test(tc, rule_hourly_cap);
    tcase_add_test(tc, rule_hourly_cap_overridden);
    tcase_add_test(tc, rule_allowance);
    tcase_add_test(tc, rule_allowance_cap_overridden);
    tcase_add_test(tc, rule_trip_limits_overridden);
    tcase_add_test(tc, rule_employment);
    tcase_add_test(tc, rule_grant_totals);
    tcase_add_test(tc, rule_timesheets);
    tcase_add_test(tc, rule_pool);
    tcase_add_test(tc, rule_carry_over);
    tcase_add_test(tc, rule_lines);
    tcase_add_test(tc, rule_balance);
    tcase_add_test(tc, builder_ids_roles_and_failure);
    suite_add_tcase(s, tc);
    TCase *tf = tcase_create("format");
    tcase_add_test(tf, format_numbers);
    tcase_add_test(tf, format_fixed_dates_months);
    suite_add_tcase(s, tf);
    TCase *tx = tcase_create("fixtures");
    tcase_set_timeout(tx, 60);
    tcase_add_test(tx, fixture_traces);
    tcase_add_test(tx, json_trace_of_a_grant);
    suite_add_tcase(s, tx);
    return s;
}

BPA_TEST_MAIN(trace_suite)
