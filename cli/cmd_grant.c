/* bpa grant: the grant of a case (RULES.md section 7). */
#include "cli.h"

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
    bpa_status st = cli_session_open(&se, &o, &err);
    if (st == BPA_OK)
        st = cli_grant_outputs(&o, &se, false, NULL, &err);
    cli_session_close(&se);
    return st == BPA_OK ? 0 : cli_report(&err);
}
