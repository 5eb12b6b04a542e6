/* Unit tests of the summaries (bpa/summary.h): the mini case of
 * tests/cli/data in Danish, English and Swedish, its grant and an account
 * where nothing was used. Expected figures are worked by hand:
 *
 *   37 h/week work at 150.00 and 10 h/week on-call at 0.75 x 150.00 = 112.50,
 *   weeks52 in 2025: work 37 x 52 = 1924 h, on-call 10 x 52 = 520 h, 2444 h.
 *   January: work 163.40822 h x 150 = 24511.23, on-call 44.16438 h x 112.50
 *   = 4968.49, admin 6.54 x 207.57260 h = 1357.52: 30837.24 to the recipient,
 *   bagud: the last bank day, 31 January; the allowance 1000.00 forud on the
 *   first bank day, 2 January. The year: allowance 12 x 1000 = 12000.00.
 *
 *   The account without any use: every granted hour is unused, so line 1 is
 *   the value of all hours (the wage lines), line 2 all of the
 *   administration (employer transferred, admin follows all hours) and line
 *   4 minus every monthly amount due (nothing was received), which is wages
 *   plus administration: the balance is 0.00, settled. */
#include "bpa/case.h"
#include "bpa/grant.h"
#include "bpa/policy.h"
#include "bpa/settle.h"
#include "bpa/summary.h"
#include "bpa/usage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define DATA BPA_SOURCE_DIR "/tests/cli/data/"

typedef struct mini {
    bpa_case *c;
    bpa_policy *p;
    bpa_grant *g;
} mini;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *s = malloc(n + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, buf, n + 1);
    return s;
}

/* The mini case under the mini policy, with settlement.pools set to `pools`
 * (NULL: the default, all). */
static void mini_open(mini *m, const char *pools)
{
    bpa_error err;
    ck_assert_int_eq(bpa_case_load(&m->c, DATA "mini-case.json", &err), BPA_OK);
    char *policy = slurp(DATA "mini-policy.json");
    char text[1 << 16];
    const char *at = strstr(policy, "\"index.series\"");
    ck_assert_ptr_nonnull(at);
    snprintf(text, sizeof text, "%.*s%s%s%s%s", (int)(at - policy), policy,
             pools ? "\"settlement.pools\":[{\"from\":\"2025-01-01\",\"value\":\"" : "",
             pools ? pools : "", pools ? "\",\"ref\":\"ex\"}]," : "", at);
    free(policy);
    ck_assert_int_eq(bpa_policy_load_mem(&m->p, "mini-policy.json", text, strlen(text), &err),
                     BPA_OK);
    ck_assert_int_eq(bpa_grant_compute(&m->g, m->c, m->p, &err), BPA_OK);
}

static void mini_close(mini *m)
{
    bpa_grant_free(m->g);
    bpa_policy_free(m->p);
    bpa_case_free(m->c);
}

/* The line of `text` that starts with "  " prefix, its runs of spaces made
 * one space and the indent dropped (widths are the renderer's business). */
static const char *line_of(const char *text, const char *prefix)
{
    static char out[512];
    char want[256];
    snprintf(want, sizeof want, "\n  %s", prefix);
    const char *p = strstr(text, want);
    if (!p)
        return "(no such line)";
    p += 3;
    size_t n = 0;
    for (; *p && *p != '\n' && n + 1 < sizeof out; p++)
        if (*p != ' ' || (n > 0 && out[n - 1] != ' '))
            out[n++] = *p;
    out[n] = '\0';
    return out;
}

START_TEST(grant_danish)
{
    mini m;
    mini_open(&m, NULL);
    char *text;
    bpa_error err;
    ck_assert_int_eq(bpa_grant_summary(m.g, BPA_LANG_DA, &text, &err), BPA_OK);
    ck_assert(strncmp(text, "Udmåling af tilskud til personlig assistance\n", 46) == 0);
    ck_assert_str_eq(line_of(text, "Sagsnummer"), "Sagsnummer MINI-1");
    ck_assert_str_eq(line_of(text, "Ordning"),
                     "Ordning SEL § 96, borgerstyret personlig assistance (dk-sel-96)");
    ck_assert_str_eq(line_of(text, "Kommunens"), "Kommunens regelsæt pol"); /* title = id */
    ck_assert_str_eq(line_of(text, "År"), "År 2025");
    ck_assert_str_eq(line_of(text, "Arbejdsgiver"), "Arbejdsgiver arbejdsgiverrollen er overdraget");
    ck_assert_str_eq(line_of(text, "Overdraget"), "Overdraget til en forening");
    ck_assert_str_eq(line_of(text, "Udbetaling"), "Udbetaling bagud, til modtageren");
    ck_assert_str_eq(line_of(text, "Bevilgede"), "Bevilgede timer i alt 2.444,00");
    ck_assert_str_eq(line_of(text, "Øvrige"), "Øvrige udgifter 12.000,00");
    ck_assert_str_eq(line_of(text, "januar"), "januar 2025 30.837,24 31.01.2025 1.000,00 02.01.2025");
    /* 29 May Kristi himmelfart, 30 May bank closing day, 31 May a Saturday */
    ck_assert_ptr_nonnull(strstr(line_of(text, "maj 2025"), " 28.05.2025 "));
    ck_assert_ptr_null(strstr(text, "Lønadministration")); /* no payroll cap here */
    ck_assert_ptr_null(strstr(text, "Tilsidesættelse"));   /* no overrides */
    ck_assert_int_eq(text[strlen(text) - 1], '\n');
    ck_assert_ptr_null(strstr(text, " \n")); /* no trailing blanks */
    free(text);
    mini_close(&m);
}
END_TEST

START_TEST(grant_english_and_swedish)
{
    mini m;
    mini_open(&m, NULL);
    char *text;
    bpa_error err;
    ck_assert_int_eq(bpa_grant_summary(m.g, BPA_LANG_EN, &text, &err), BPA_OK);
    ck_assert_str_eq(line_of(text, "Granted"), "Granted hours 2,444.00");
    ck_assert_str_eq(line_of(text, "January"), "January 2025 30,837.24 2025-01-31 1,000.00 2025-01-02");
    ck_assert_str_eq(line_of(text, "Payment"), "Payment in arrears, to the recipient");
    free(text);
    ck_assert_int_eq(bpa_grant_summary(m.g, BPA_LANG_SV, &text, &err), BPA_OK);
    ck_assert_str_eq(line_of(text, "Beviljade"), "Beviljade timmar totalt 2 444,00");
    ck_assert_str_eq(line_of(text, "januari"), "januari 2025 30 837,24 2025-01-31 1 000,00 2025-01-02");
    ck_assert_str_eq(line_of(text, "Stödform"),
                     "Stödform SEL § 96, brukarstyrd personlig assistans (dk-sel-96)");
    free(text);
    mini_close(&m);
}
END_TEST

/* The account of a usage file that reports nothing used, under `pools`. */
static char *account(mini *m, const char *pools, bpa_lang lang)
{
    mini_open(m, pools);
    static const char usage[] = "{\"format\":\"bpa-usage/1\",\"case\":\"MINI-1\",\"year\":2025}";
    bpa_usage *u;
    bpa_settlement *s;
    bpa_error err;
    ck_assert_int_eq(bpa_usage_load_mem(&u, "usage.json", usage, strlen(usage), &err), BPA_OK);
    ck_assert_int_eq(bpa_settle_compute(&s, m->g, u, &err), BPA_OK);
    char *text;
    ck_assert_int_eq(bpa_settle_summary(s, lang, &text, &err), BPA_OK);
    bpa_settle_free(s);
    bpa_usage_free(u);
    mini_close(m);
    return text;
}

START_TEST(account_nothing_used)
{
    mini m;
    char *text = account(&m, NULL, BPA_LANG_DA);
    ck_assert(strncmp(text, "Årsregnskab: ", 14) == 0);
    ck_assert_str_eq(line_of(text, "Puljer"), "Puljer én pulje for alle timer");
    ck_assert_str_eq(line_of(text, "Alle timer"), "Alle timer 2.444,00 0,00 2.444,00 0,00");
    ck_assert_str_eq(line_of(text, "Linje 3"), "Linje 3: lønadministration 0,00");
    ck_assert_str_eq(line_of(text, "Linje 5"), "Linje 5: faktiske lønudgifter 0,00");
    ck_assert_str_eq(line_of(text, "Saldo"), "Saldo 0,00 afregnet: intet at betale");
    ck_assert_str_eq(line_of(text, "Regnskabet"), "Regnskabet afleveres senest 01.03.2026");
    free(text);
    text = account(&m, NULL, BPA_LANG_EN);
    ck_assert_str_eq(line_of(text, "Balance "), "Balance 0.00 settled: nothing to pay");
    ck_assert_str_eq(line_of(text, "The account"), "The account is due 2026-03-01");
    free(text);
}
END_TEST

START_TEST(account_pools_in_words)
{
    mini m;
    char *text = account(&m, "category", BPA_LANG_DA);
    ck_assert_str_eq(line_of(text, "Arbejde"), "Arbejde, dag, trin 11 1.924,00 0,00 1.924,00 0,00");
    ck_assert_str_eq(line_of(text, "Rådighed"), "Rådighed, trin 11 520,00 0,00 520,00 0,00");
    free(text);
    text = account(&m, "kind", BPA_LANG_EN);
    ck_assert_str_eq(line_of(text, "Pools"), "Pools work and on-call apart");
    ck_assert_str_eq(line_of(text, "Work"), "Work 1,924.00 0.00 1,924.00 0.00");
    ck_assert_str_eq(line_of(text, "On call"), "On call 520.00 0.00 520.00 0.00");
    free(text);
}
END_TEST

static Suite *summary_suite(void)
{
    Suite *s = suite_create("summary");
    TCase *tc = tcase_create("summary");
    tcase_add_test(tc, grant_danish);
    tcase_add_test(tc, grant_english_and_swedish);
    tcase_add_test(tc, account_nothing_used);
    tcase_add_test(tc, account_pools_in_words);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(summary_suite)
