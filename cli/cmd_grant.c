/* bpa grant: the grant of a case (RULES.md section 7). */
#include <stdlib.h>

#include "cli.h"

#include "bpa/grant.h"
#include "bpa/se.h"
#include "bpa/summary.h"
#include "bpa/workbook.h"

static const char usage[] =
    "usage: bpa grant CASE.json [--json FILE] [-o FILE.xlsx] [--lang da|en|sv]\n"
    "                 [--policy-dir DIR]\n"
    "\n"
    "Compute the grant of a case file (RULES.md section 7) and print a summary:\n"
    "the case, the totals, each month's payments with their due dates, the\n"
    "overrides. For a Swedish case (se-sfb-51, se-lss-9-2): the budget of each\n"
    "grant period per month (RULES.md 7.7) with the räkning date of every month\n"
    "and, for se-sfb-51, the kommun's share.\n"
    "\n"
    "  --json FILE             write the bpa-grant-result/1 JSON (Swedish:\n"
    "                          bpa-se-grant-result/1) to FILE (atomically);\n"
    "                          --json - prints it on standard output instead of the summary\n"
    "  -o, --output FILE.xlsx  write the grant workbook (live formulas)\n"
    "  --lang da|en|sv         language of the summary and the workbook; default:\n"
    "                          the scheme's (Danish for dk-*, Swedish for se-*)\n"
    "  --policy-dir DIR        where policies named by id are found; default:\n"
    "                          $BPA_POLICY_DIR, else the installed share/bpa/policies,\n"
    "                          else fixtures/policies of the source tree\n"
    "  -h, --help              show this help\n";

int cmd_grant(int argc, char **argv)
{
    cli_options o;
    int rc = cli_parse(argc, argv, usage, 1, "one case file", &o);
    if (rc >= 0)
        return rc;
    bpa_error err;
    bpa_error_clear(&err);
    cli_session se;
    char *json = NULL, *summary = NULL;
    bpa_status st = cli_session_open(&se, &o, &err);
    bpa_lang lang = st == BPA_OK ? cli_lang(&o, se.kase) : BPA_LANG_DA;
    const bpa_se_grant *sg = st == BPA_OK ? se.se_grant : NULL;
    if (st == BPA_OK && o.json)
        st = sg ? bpa_se_grant_to_json(sg, &json, &err) : bpa_grant_to_json(se.grant, &json, &err);
    if (st == BPA_OK && !cli_json_to_stdout(&o))
        st = sg ? bpa_se_grant_summary(sg, lang, &summary, &err)
                : bpa_grant_summary(se.grant, lang, &summary, &err);
    /* the workbook first: a failed workbook leaves no JSON file either */
    if (st == BPA_OK && o.xlsx)
        st = sg ? bpa_se_grant_workbook_write(sg, o.xlsx, lang, &err)
                : bpa_grant_workbook_write(se.grant, o.xlsx, lang, &err);
    if (st == BPA_OK)
        st = cli_emit(&o, json, summary, &err);
    if (st == BPA_OK)
        st = cli_warnings(sg ? &sg->warnings : &se.grant->warnings, &err);
    free(json);
    free(summary);
    cli_session_close(&se);
    return st == BPA_OK ? 0 : cli_report(&err);
}
