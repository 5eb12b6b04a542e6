/* The Swedish avräkning workbook (RULES.md 8.3, 8.4, 10) of the three
 * fixtures, written and read back through the xlsx reader. The figures are
 * worked by hand from the fixtures (FACTS.md "## Sweden"):
 *
 * se-ore-2025-efterskott, period 1 2025-07-01..2025-12-31 (184 days), 84 h/week
 * aktiv + 14 h/week väntetid, factor 1/4, schablon 342,60, se.cap_unit period:
 *   granted billable of the period (84 + 14/4) × 184/7 = 87,5 × 184/7 = 2 300 h
 *   used billable Jul 370 + 60/4 = 385, Aug 372 + 62/4 = 387,5, Sep 350 + 60/4 = 365,
 *     Oct (250 rows + 7 Anna + 120 Bertil) + 62/4 = 392,5,
 *     Nov (300 + 14 + 40) + (48 + 2 + 10)/4 = 369: 1 899 h before December
 *   December: left 2 300 − 1 899 = 401 h; billable 400 + 62/4 = 415,5 → capped 401,
 *     amount 401 × 342,60 = 137 382,60; efterskott: paid = amount, balance 0
 *   working time: Bertil 2025-10-20..2025-11-16 (28 days) 170 h, limit 40 × 28/7 = 160, excess 10
 *   tidsredovisningar in 2025-10, 2025-11, 2026-03, 2026-06: four check rows, all "ja"
 *
 * se-jag-2025-forskott, 2025-09-15..2026-03-14 (16+31+30+31+31+28+14 = 181 days),
 * 1 300 h aktiv for the period + 21 h/week beredskap (factor 0,2), raised rate 370:
 *   November paid: payments 86 383,76 − 5 000,00 = 81 383,76
 *   December, no payment: granted 1300 × 31/181 + 0,2 × 21 × 31/7 = 40300/181 + 18,6,
 *     × 370 = 14911000/181 + 6 882 = 89 263,2155… → 89 263,22
 *   balance: paid 516 182,02 − amount 507 122,00 = 9 060,02, to repay
 *   receipt 1: entrance 120,00, cap 100, no approval: MIN → 100,00, 20,00 not reimbursable;
 *   receipt 5: entrance 100,00, no approval: MIN(100; 100) = 100,00; receipts 2 and 3 are
 *   approved (the whole amount), receipt 4 travel has no cap
 *
 * se-kum-2024-lss, 2024-10-01..2024-12-31, 15 h/week aktiv + 3,5 h/week väntetid,
 * tier b 312,64, se.cap_unit month:
 *   November granted 15 × 30/7 + 3,5 × 30/7 / 4 = 450/7 + 15/4 = 1905/28 h; used 70 + 15/4 = 73,75
 *   capped MIN(73,75; 1905/28) = 1905/28; amount 1905/28 × 312,64 = 21 270,6857… → 21 270,69
 *   October used 60 + 14/4 = 63,5 below the granted 15 × 31/7 + 3,5 × 31/7 / 4 = 465/7 + 31/8:
 *   capped 63,5
 */
#include <string.h>
#include <sys/stat.h>

#include "bpa/se.h"
#include "io/xlsx.h"
#include "testutil.h"

typedef struct want {
    size_t sheet;
    const char *formula_part; /* NULL: a cell without formula */
    const char *value;
    int found;
} want;

/* A stored number as an exact rational: "81383.75999999999" (the shortest
 * text of the double libxlsxwriter writes) → 8138375999999999/10^11. */
static void decimal_q(mpq_t out, const char *t)
{
    mpz_t num, den;
    mpz_inits(num, den, NULL);
    mpz_set_ui(den, 1);
    bool neg = *t == '-', frac = false;
    for (const char *p = t + neg; *p; p++) {
        if (*p == '.') {
            frac = true;
            continue;
        }
        mpz_mul_ui(num, num, 10);
        mpz_add_ui(num, num, (unsigned long)(*p - '0'));
        if (frac)
            mpz_mul_ui(den, den, 10);
    }
    if (neg)
        mpz_neg(num, num);
    mpq_set_num(out, num);
    mpq_set_den(out, den);
    mpq_canonicalize(out);
    mpz_clears(num, den, NULL);
}

static bool is_number(const char *t)
{
    if (*t == '-')
        t++;
    if (!*t)
        return false;
    for (; *t; t++)
        if ((*t < '0' || *t > '9') && *t != '.')
            return false;
    return true;
}

/* The cell's value is the wanted one: text exactly, a number to within a
 * thousandth of an öre (the double's last digit). */
static bool same_value(const char *got, const char *expect)
{
    if (!is_number(expect) || !is_number(got))
        return strcmp(got, expect) == 0;
    mpq_t a, b, eps;
    mpq_inits(a, b, eps, NULL);
    decimal_q(a, got);
    decimal_q(b, expect);
    mpq_sub(a, a, b);
    mpq_abs(a, a);
    mpq_set_ui(eps, 1, 100000);
    bool ok = mpq_cmp(a, eps) < 0;
    mpq_clears(a, b, eps, NULL);
    return ok;
}

/* Count, for every want, the cells of its sheet that hold its value with a
 * formula containing its part. */
static void scan(const char *path, want *ws, size_t n, char names[8][40])
{
    bpa_xlsx *x;
    bpa_error err;
    ck_assert_int_eq(bpa_xlsx_open_file(&x, path, &err), BPA_OK);
    ck_assert_uint_eq(bpa_xlsx_sheet_count(x), 8);
    for (size_t i = 0; i < 8; i++) {
        snprintf(names[i], 40, "%s", bpa_xlsx_sheet_name(x, i));
        bpa_xlsx_sheet *s;
        ck_assert_int_eq(bpa_xlsx_sheet_open(x, i, &s, &err), BPA_OK);
        const bpa_xlsx_cell *c;
        while (bpa_xlsx_sheet_next(s, &c, &err) == BPA_OK && c)
            for (size_t k = 0; k < n; k++)
                if (ws[k].sheet == i && same_value(c->value, ws[k].value) &&
                    (ws[k].formula_part ? c->formula && strstr(c->formula, ws[k].formula_part)
                                        : !c->formula))
                    ws[k].found++;
        bpa_xlsx_sheet_close(s);
    }
    bpa_xlsx_free(x);
}

typedef struct run {
    bpa_case *c;
    bpa_policy *p;
    bpa_se_grant *g;
    bpa_se_usage *u;
    bpa_se_settlement *s;
} run;

static void settle(run *r, const char *name)
{
    bpa_error err;
    char path[160];
    snprintf(path, sizeof path, "fixtures/cases/%s.json", name);
    ck_assert_int_eq(bpa_case_load(&r->c, path, &err), BPA_OK);
    ck_assert_int_eq(bpa_case_policy_load(r->c, "fixtures/policies", &r->p, &err), BPA_OK);
    ck_assert_int_eq(bpa_se_grant_compute(&r->g, r->c, r->p, &err), BPA_OK);
    snprintf(path, sizeof path, "fixtures/usage/%s.json", name);
    ck_assert_int_eq(bpa_se_usage_load(&r->u, path, &err), BPA_OK);
    ck_assert_int_eq(bpa_se_settle(&r->s, r->g, r->u, &err), BPA_OK);
}

static void release(run *r)
{
    bpa_se_settle_free(r->s);
    bpa_se_usage_free(r->u);
    bpa_se_grant_free(r->g);
    bpa_policy_free(r->p);
    bpa_case_free(r->c);
}

enum { SUM, RAK, TID, AVR, UTL, ARB, INP, TRC };

START_TEST(ore_efterskott_period_cap)
{
    run r;
    settle(&r, "se-ore-2025-efterskott");
    const char *path = "build/tests/se-settle-ore.xlsx";
    bpa_error err;
    ck_assert_int_eq(bpa_se_settle_workbook_write(r.s, path, BPA_LANG_SV, &err), BPA_OK);
    want ws[] = {
        {RAK, "-", "401", 0},                /* left of the period before December */
        {RAK, "MIN(", "401", 0},             /* December capped */
        {RAK, "ROUND(", "137382.6", 0},      /* December amount */
        {RAK, "SUM(", "2300", 0},            /* granted of period 1 (first month's left, and the sum row) */
        {AVR, "IF(ROUND(", "Inget att betala", 0},
        {SUM, "'Avräkning per period'!", "Inget att betala", 0},
        {TID, "IF(AND(", "ja", 0},
        {ARB, "'Indata'!", "160", 0},
        {ARB, "-", "10", 0},
    };
    char names[8][40];
    scan(path, ws, sizeof ws / sizeof ws[0], names);
    ck_assert_str_eq(names[SUM], "Sammanfattning");
    ck_assert_str_eq(names[RAK], "Räkning per månad");
    ck_assert_str_eq(names[TID], "Tidsredovisning");
    ck_assert_str_eq(names[AVR], "Avräkning per period");
    ck_assert_str_eq(names[UTL], "Utlägg");
    ck_assert_str_eq(names[ARB], "Arbetstid");
    ck_assert_str_eq(names[INP], "Indata");
    ck_assert_str_eq(names[TRC], "Spårning");
    ck_assert_int_ge(ws[0].found, 1);
    ck_assert_int_eq(ws[1].found, 1);
    ck_assert_int_eq(ws[2].found, 1);
    ck_assert_int_ge(ws[3].found, 2);
    ck_assert_int_eq(ws[4].found, 3); /* two periods and the total */
    ck_assert_int_eq(ws[5].found, 3);
    ck_assert_int_eq(ws[6].found, 4); /* four months with time reports */
    ck_assert_int_eq(ws[7].found, 1);
    ck_assert_int_eq(ws[8].found, 1);

    ck_assert_int_eq(bpa_se_settle_workbook_write(r.s, path, BPA_LANG_EN, &err), BPA_OK);
    want en[] = {{AVR, "IF(ROUND(", "Nothing to pay", 0}, {TID, "IF(AND(", "yes", 0}};
    scan(path, en, 2, names);
    ck_assert_str_eq(names[SUM], "Summary");
    ck_assert_str_eq(names[RAK], "Invoice by month");
    ck_assert_str_eq(names[TRC], "Trace");
    ck_assert_int_eq(en[0].found, 3);
    ck_assert_int_eq(en[1].found, 4);
    remove(path);
    release(&r);
}
END_TEST

START_TEST(jag_forskott_payments)
{
    run r;
    settle(&r, "se-jag-2025-forskott");
    const char *path = "build/tests/se-settle-jag.xlsx";
    bpa_error err;
    ck_assert_int_eq(bpa_se_settle_workbook_write(r.s, path, BPA_LANG_SV, &err), BPA_OK);
    want ws[] = {
        {RAK, "SUM('Indata'!", "81383.76", 0}, /* November's two payments */
        {RAK, "ROUND(", "89263.22", 0},        /* December without payment */
        {AVR, "-", "9060.02", 0},              /* balance = paid − amount */
        {AVR, "IF(ROUND(", "Att återbetala", 0},
        {SUM, "'Avräkning per period'!", "9060.02", 0},
        {UTL, "MIN(", "100", 0},
        {UTL, "-", "20", 0},
    };
    char names[8][40];
    scan(path, ws, sizeof ws / sizeof ws[0], names);
    ck_assert_int_eq(ws[0].found, 1);
    ck_assert_int_eq(ws[1].found, 1);
    ck_assert_int_eq(ws[2].found, 1);
    ck_assert_int_eq(ws[3].found, 2); /* the period and the total */
    ck_assert_int_ge(ws[4].found, 2); /* the period's balance and all periods' */
    ck_assert_int_eq(ws[5].found, 2); /* receipt 1, and receipt 5: entrance 100,00 at its cap */
    ck_assert_int_eq(ws[6].found, 1);
    remove(path);
    release(&r);
}
END_TEST

START_TEST(kum_lss_month_cap)
{
    run r;
    settle(&r, "se-kum-2024-lss");
    const char *path = "build/tests/se-settle-kum.xlsx";
    bpa_error err;
    ck_assert_int_eq(bpa_se_settle_workbook_write(r.s, path, BPA_LANG_SV, &err), BPA_OK);
    want ws[] = {
        {RAK, "MIN(", "63.5", 0},          /* October: used 60 + 14/4 below granted 465/7 + 31/8 */
        {RAK, "ROUND(", "21270.69", 0},    /* November amount */
        {SUM, NULL, "Kommunen betalar (månadernas belopp)", 0},
        {TID, NULL, "Inga tidsredovisningar: timmarna kommer från rader i användningsfilen.", 0},
    };
    char names[8][40];
    scan(path, ws, sizeof ws / sizeof ws[0], names);
    ck_assert_int_eq(ws[0].found, 1);
    ck_assert_int_eq(ws[1].found, 1);
    ck_assert_int_eq(ws[2].found, 1);
    ck_assert_int_eq(ws[3].found, 1);
    remove(path);
    release(&r);
}
END_TEST

/* se.cap_unit week: one ISO week 2025-10-27..2025-11-02 (Monday to Sunday), 20 h/week aktiv,
 * the ORE autumn time reports, fk-arbetstid with the cap unit set to week. The week's cap is
 * 20 h, taken day by day: Oct 27 Bertil 10 (left 10), Oct 28 Bertil 10 (left 0), Oct 31 Anna
 * 2 + Bertil 10 and Nov 1 Anna 6 + 8 aktiv, 2 väntetid, Bertil 10: nothing left.
 *   October: billable 5 × 10 + 2 = 52, capped 20, amount 20 × 342,60 = 6 852,00
 *   November: billable 6 + 8 + 10 + 2/4 + 10 (Nov 2) = 34,5, capped 0, amount 0
 * The capped hours are numbers (no MIN formula) with a note under the table. */
static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fputs(text, f) >= 0, 1);
    ck_assert_int_eq(fclose(f), 0);
}

START_TEST(week_cap_numbers_and_note)
{
    /* the policy: fk-arbetstid with "week" for "period" and its own id */
    FILE *in = fopen("fixtures/policies/fk-arbetstid.json", "r");
    ck_assert_ptr_nonnull(in);
    static char buf[1 << 16], out[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, in);
    fclose(in);
    buf[n] = '\0';
    char *cap = strstr(buf, "\"value\": \"period\"");
    char *id = strstr(buf, "\"fk-arbetstid\"");
    ck_assert_ptr_nonnull(cap);
    ck_assert_ptr_nonnull(id);
    ck_assert(id < cap);
    snprintf(out, sizeof out, "%.*s\"fkweek\"%.*s\"value\": \"week\"%s", (int)(id - buf), buf,
             (int)(cap - (id + 14)), id + 14, cap + 17);
    (void)mkdir("build/tests/se-week", 0777);
    (void)mkdir("build/tests/se-week/policies", 0777);
    write_file("build/tests/se-week/policies/fkweek.json", out);
    write_file("build/tests/se-week/case.json",
               "{\"format\": \"bpa-case/1\", \"case\": \"W-1\", \"scheme\": \"se-sfb-51\",\n"
               " \"policy\": \"fkweek\", \"year\": 2025, \"periods\": [{\"from\": \"2025-10-27\",\n"
               " \"to\": \"2025-11-02\", \"payment\": \"efterskott\", \"per_week\": \"20\"}]}\n");
    write_file("build/tests/se-week/usage.json",
               "{\"format\": \"bpa-usage/1\", \"case\": \"W-1\", \"timesheets\": [{\"file\":\n"
               " \"../../../fixtures/timesheets/se-ore-2025-hosten.csv\", \"columns\": {\"helper\":\n"
               " \"Assistent\", \"date\": \"Datum\", \"start\": \"Från\", \"end\": \"Till\", \"kind\":\n"
               " \"Typ\"}, \"kinds\": {\"Aktiv tid\": \"aktiv\", \"Väntetid\": \"vantetid\",\n"
               " \"Beredskap\": \"beredskap\"}}]}\n");
    run r;
    bpa_error err;
    ck_assert_int_eq(bpa_case_load(&r.c, "build/tests/se-week/case.json", &err), BPA_OK);
    ck_assert_int_eq(bpa_case_policy_load(r.c, "build/tests/se-week/policies", &r.p, &err),
                     BPA_OK);
    ck_assert_int_eq(bpa_se_grant_compute(&r.g, r.c, r.p, &err), BPA_OK);
    ck_assert_int_eq(bpa_se_usage_load(&r.u, "build/tests/se-week/usage.json", &err), BPA_OK);
    ck_assert_int_eq(bpa_se_settle(&r.s, r.g, r.u, &err), BPA_OK);
    const char *path = "build/tests/se-week/week.xlsx";
    ck_assert_int_eq(bpa_se_settle_workbook_write(r.s, path, BPA_LANG_SV, &err), BPA_OK);
    want ws[] = {
        {RAK, "MIN(", "20", 0},
        {RAK, NULL, "20", 0},             /* October capped: a number */
        {RAK, "ROUND(", "6852", 0},       /* October amount */
        {RAK, "ROUND(", "0", 0},          /* November amount */
        {RAK, "*", "52", 0},              /* October billable, aktiv + factor × väntetid */
        {RAK, "*", "34.5", 0},            /* November billable */
        {RAK, NULL,
         "Period 1: taket gäller per vecka (ISO-veckor, avskurna av perioden) och tas dag för "
         "dag; månadens timmar som ersätts är därför bpa:s värden, inte en formel.",
         0},
    };
    char names[8][40];
    scan(path, ws, sizeof ws / sizeof ws[0], names);
    ck_assert_int_eq(ws[0].found, 0);
    ck_assert_int_ge(ws[1].found, 1);
    ck_assert_int_eq(ws[2].found, 1);
    ck_assert_int_eq(ws[3].found, 1);
    ck_assert_int_eq(ws[4].found, 1);
    ck_assert_int_eq(ws[5].found, 1);
    ck_assert_int_eq(ws[6].found, 1);
    remove(path);
    release(&r);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("se_settle_workbook");
    TCase *tc = tcase_create("fixtures");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, ore_efterskott_period_cap);
    tcase_add_test(tc, jag_forskott_payments);
    tcase_add_test(tc, kum_lss_month_cap);
    tcase_add_test(tc, week_cap_numbers_and_note);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(suite)
