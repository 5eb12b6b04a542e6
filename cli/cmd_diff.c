/* bpa diff: compare two grants (RULES.md 13). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#include "bpa/diff.h"

static const char usage[] =
    "usage: bpa diff OLD.json NEW.json [--json FILE] [-o FILE.xlsx] [--lang da|en|sv]\n"
    "                [--policy-dir DIR]\n"
    "\n"
    "Compare the grants of two case files of one country (last year's and this\n"
    "year's, or before and after a change of decision), each computed with its\n"
    "policy as bpa grant does (RULES.md 13). Per month and category the change\n"
    "is split exactly into an hours effect (more or fewer hours at the old\n"
    "rate), a rate effect (the new hours at the changed rate) and the rounding\n"
    "residue; other lines are compared per month; totals with their change in\n"
    "percent.\n"
    "\n"
    "  --json FILE             write the bpa-diff-result/1 JSON to FILE (atomically);\n"
    "                          --json - prints it on standard output instead of the summary\n"
    "  -o, --output FILE.xlsx  write the comparison workbook (live formulas)\n"
    "  --lang da|en|sv         language of the summary and the workbook; default:\n"
    "                          the scheme's of OLD (Danish for dk-*, Swedish for se-*)\n"
    "  --policy-dir DIR        where policies named by id are found (as bpa grant)\n"
    "  -h, --help              show this help\n";

int cmd_diff(int argc, char **argv)
{
    cli_options o;
    int rc = cli_parse(argc, argv, usage, 2, "two case files (OLD and NEW)", &o);
    if (rc >= 0)
        return rc;
    bpa_error err;
    bpa_error_clear(&err);
    cli_session old_se, new_se;
    cli_options o_new = o;
    o_new.files = o.files + 1;
    o_new.nfiles = 1;
    /* the language is OLD's: NEW of another country is the mixed-countries error below */
    o_new.lang_given = false;
    memset(&new_se, 0, sizeof new_se);
    char *json = NULL, *summary = NULL;
    bpa_diff *d = NULL;
    bpa_status st = cli_session_open(&old_se, &o, &err);
    if (st == BPA_OK)
        st = cli_session_open(&new_se, &o_new, &err);
    bpa_lang lang = st == BPA_OK ? cli_lang(&o, old_se.kase) : BPA_LANG_DA;
    if (st == BPA_OK) {
        bpa_diff_side a = {old_se.grant, old_se.se_grant};
        bpa_diff_side b = {new_se.grant, new_se.se_grant};
        st = bpa_diff_compute(&d, a, b, &err);
    }
    if (st == BPA_OK && o.json)
        st = bpa_diff_to_json(d, &json, &err);
    if (st == BPA_OK && !cli_json_to_stdout(&o))
        st = bpa_diff_summary(d, lang, &summary, &err);
    /* the workbook first: a failed workbook leaves no JSON file either */
    if (st == BPA_OK && o.xlsx)
        st = bpa_diff_workbook_write(d, o.xlsx, lang, &err);
    if (st == BPA_OK)
        st = cli_emit(&o, json, summary, &err);
    if (st == BPA_OK)
        st = cli_warnings(old_se.grant ? &old_se.grant->warnings : &old_se.se_grant->warnings,
                          &err);
    if (st == BPA_OK)
        st = cli_warnings(new_se.grant ? &new_se.grant->warnings : &new_se.se_grant->warnings,
                          &err);
    free(json);
    free(summary);
    bpa_diff_free(d);
    cli_session_close(&new_se);
    cli_session_close(&old_se);
    return st == BPA_OK ? 0 : cli_report(&err);
}
