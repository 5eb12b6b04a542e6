/* bpa settle: the 1 March account of a case and its usage (RULES.md 8.2). */
#include "cli.h"

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
    if (st == BPA_OK)
        st = cli_settle_outputs(&o, &se, o.files[1], false, NULL, &err);
    cli_session_close(&se);
    return st == BPA_OK ? 0 : cli_report(&err);
}
