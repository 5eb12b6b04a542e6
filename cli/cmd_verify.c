/* bpa verify: recompute an account and compare it with the one handed in (RULES.md 13). */
#include <stdlib.h>

#include "cli.h"

#include "bpa/se.h"
#include "bpa/settle.h"
#include "bpa/usage.h"
#include "bpa/verify.h"

static const char usage[] =
    "usage: bpa verify CASE.json USAGE.json ACCOUNT [--json FILE] [-o FILE.xlsx]\n"
    "                  [--lang da|en|sv] [--policy-dir DIR]\n"
    "\n"
    "An auditor's check (RULES.md section 13): the settlement is recomputed from\n"
    "the case and usage files and compared with ACCOUNT, which is\n"
    "  - a settlement result JSON (bpa-settlement-result/1, Swedish\n"
    "    bpa-se-settlement-result/1), from any engine version: leaf by leaf;\n"
    "  - an account workbook written by bpa, possibly edited and saved in Excel or\n"
    "    LibreOffice: input cells against the usage file, stored figures against\n"
    "    the recomputation, formulas replaced by values;\n"
    "  - a claim (\"format\": \"bpa-claim/1\"): figures typed in from an account made\n"
    "    by other means; every figure given is compared.\n"
    "Prints the differences (field, recomputed, found, where) or \"all N figures\n"
    "agree\"; a differing engine or input stamp is reported, not a difference.\n"
    "\n"
    "  --json FILE             write bpa-verify-result/1 to FILE (--json -: on\n"
    "                          standard output instead of the list)\n"
    "  -o, --output FILE.xlsx  write a difference workbook (for a letter)\n"
    "  --lang da|en|sv         language of the list and the workbook; default:\n"
    "                          the scheme's\n"
    "  --policy-dir DIR        as for bpa grant\n"
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 all agree, 4 differences found, 1 bad input, 2 usage error,\n"
    "3 output could not be written\n";

static bpa_status outputs(const cli_options *o, const bpa_verify_result *r, bpa_lang lang,
                          bpa_error *err)
{
    char *json = NULL, *summary = NULL;
    bpa_status st = BPA_OK;
    if (o->json)
        st = bpa_verify_to_json(r, &json, err);
    if (st == BPA_OK && !cli_json_to_stdout(o))
        st = bpa_verify_summary(r, lang, &summary, err);
    if (st == BPA_OK && o->xlsx)
        st = bpa_verify_workbook_write(r, o->xlsx, lang, err);
    if (st == BPA_OK)
        st = cli_emit(o, json, summary, err);
    free(json);
    free(summary);
    return st;
}

int cmd_verify(int argc, char **argv)
{
    cli_options o;
    int rc = cli_parse(argc, argv, usage, 3, "a case file, a usage file and an account", &o);
    if (rc >= 0)
        return rc;
    bpa_error err;
    bpa_error_clear(&err);
    cli_session se;
    bpa_status st = cli_session_open(&se, &o, &err);
    bpa_lang lang = st == BPA_OK ? cli_lang(&o, se.kase) : BPA_LANG_DA;
    bpa_verify_result *r = NULL;
    if (st == BPA_OK && se.se_grant) {
        bpa_se_usage *u = NULL;
        st = bpa_se_usage_load(&u, o.files[1], &err);
        if (st == BPA_OK)
            st = cli_verify_run(NULL, se.se_grant, NULL, u, o.files[2], &r, &err);
        bpa_se_usage_free(u);
    } else if (st == BPA_OK) {
        bpa_usage *u = NULL;
        st = bpa_usage_load(&u, o.files[1], &err);
        if (st == BPA_OK)
            st = cli_verify_run(se.grant, NULL, u, NULL, o.files[2], &r, &err);
        bpa_usage_free(u);
    }
    if (st == BPA_OK)
        st = outputs(&o, r, lang, &err);
    bool agree = r && r->agree;
    bpa_verify_free(r);
    cli_session_close(&se);
    if (st != BPA_OK)
        return cli_report(&err);
    return agree ? 0 : bpa_status_exit_code(BPA_E_DIFFERENCES);
}
