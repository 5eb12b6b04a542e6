/* bpa settle: the 1 March account of a case and its usage (RULES.md 8.2). */
#include <stdlib.h>

#include "cli.h"

#include "bpa/se.h"
#include "bpa/settle.h"
#include "bpa/summary.h"
#include "bpa/usage.h"
#include "bpa/workbook.h"

static const char usage[] =
    "usage: bpa settle CASE.json USAGE.json [--json FILE] [-o FILE.xlsx]\n"
    "                  [--lang da|en|sv] [--policy-dir DIR]\n"
    "\n"
    "The 1 March account (RULES.md section 8.2): granted vs used hours (from\n"
    "`used` rows and timesheets) per pool, carry-in and carry-over, the five\n"
    "balance lines and the repayment or back-payment, printed as a summary.\n"
    "For a Swedish case (se-sfb-51, se-lss-9-2): the avräkning per grant period\n"
    "and month (RULES.md 8.3), the räkning and tidsredovisningar (8.4); the\n"
    "summary is in Swedish unless --lang en.\n"
    "\n"
    "  --json FILE             write the bpa-settlement-result/1 JSON (Swedish:\n"
    "                          bpa-se-settlement-result/1) to FILE\n"
    "                          (atomically); --json - prints it on standard output\n"
    "                          instead of the summary\n"
    "  -o, --output FILE.xlsx  write the account workbook (Swedish: the avräkning\n"
    "                          workbook)\n"
    "  --lang da|en|sv         language of the summary and the workbook; default:\n"
    "                          the scheme's (Danish for dk-*, Swedish for se-*)\n"
    "  --policy-dir DIR        as for bpa grant\n"
    "  -h, --help              show this help\n";

/* The Swedish path: budget, usage, avräkning. */
static int settle_se(const cli_options *o, cli_session *se, bpa_error *err)
{
    const bpa_se_grant *g = se->se_grant;
    bpa_se_usage *u = NULL;
    bpa_se_settlement *s = NULL;
    char *json = NULL, *summary = NULL;
    bpa_lang lang = cli_lang(o, se->kase);
    bpa_status st = bpa_se_usage_load(&u, o->files[1], err);
    if (st == BPA_OK)
        st = bpa_se_settle(&s, g, u, err);
    if (st == BPA_OK && o->json)
        st = bpa_se_settle_to_json(s, &json, err);
    if (st == BPA_OK && !cli_json_to_stdout(o))
        st = bpa_se_settle_summary(s, lang, &summary, err);
    if (st == BPA_OK && o->xlsx)
        st = bpa_se_settle_workbook_write(s, o->xlsx, lang, err);
    if (st == BPA_OK)
        st = cli_emit(o, json, summary, err);
    if (st == BPA_OK)
        st = cli_warnings(&s->warnings, err);
    free(json);
    free(summary);
    bpa_se_settle_free(s);
    bpa_se_usage_free(u);
    cli_session_close(se);
    return st == BPA_OK ? 0 : cli_report(err);
}

int cmd_settle(int argc, char **argv)
{
    cli_options o;
    int rc = cli_parse(argc, argv, usage, 2, "a case file and a usage file", &o);
    if (rc >= 0)
        return rc;
    bpa_error err;
    bpa_error_clear(&err);
    cli_session se;
    bpa_status st = cli_session_open(&se, &o, &err);
    if (st == BPA_OK && se.se_grant)
        return settle_se(&o, &se, &err);
    bpa_usage *u = NULL;
    bpa_settlement *s = NULL;
    char *json = NULL, *summary = NULL;
    bpa_lang lang = st == BPA_OK ? cli_lang(&o, se.kase) : BPA_LANG_DA;
    if (st == BPA_OK)
        st = bpa_usage_load(&u, o.files[1], &err);
    if (st == BPA_OK)
        st = bpa_settle_compute(&s, se.grant, u, &err);
    if (st == BPA_OK && o.json)
        st = bpa_settle_to_json(s, &json, &err);
    if (st == BPA_OK && !cli_json_to_stdout(&o))
        st = bpa_settle_summary(s, lang, &summary, &err);
    if (st == BPA_OK && o.xlsx)
        st = bpa_settle_workbook_write(s, o.xlsx, lang, &err);
    if (st == BPA_OK)
        st = cli_emit(&o, json, summary, &err);
    if (st == BPA_OK)
        st = cli_warnings(&s->warnings, &err);
    free(json);
    free(summary);
    bpa_settle_free(s);
    bpa_usage_free(u);
    cli_session_close(&se);
    return st == BPA_OK ? 0 : cli_report(&err);
}
