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
    "policy as bpa grant does (RULES.md 13); either side may also be a grant\n"
    "result (bpa grant --json), read back from its recorded lines. Per month and\n"
    "category the change is split exactly into an hours effect (more or fewer\n"
    "hours at the old rate), a rate effect (the new hours at the changed rate)\n"
    "and the rounding residue; other lines are compared per month; totals with\n"
    "their change in percent.\n"
    "\n"
    "  --json FILE             write the bpa-diff-result/1 JSON to FILE (atomically);\n"
    "                          --json - prints it on standard output instead of the summary\n"
    "  -o, --output FILE.xlsx  write the comparison workbook (live formulas)\n"
    "  --lang da|en|sv         language of the summary and the workbook; default:\n"
    "                          the scheme's of OLD (Danish for dk-*, Swedish for se-*)\n"
    "  --policy-dir DIR        where policies named by id are found (as bpa grant)\n"
    "  -h, --help              show this help\n";

/* One side: a case file computed as bpa grant does, or a grant result read
 * back from its recorded lines. */
typedef struct side {
    cli_session se;
    bpa_grant_record *rec;
} side;

static bpa_status side_open(side *s, const cli_options *o, bpa_error *err)
{
    memset(s, 0, sizeof *s);
    if (bpa_grant_record_is_result(o->files[0]))
        return bpa_grant_record_load(&s->rec, o->files[0], err);
    return cli_session_open(&s->se, o, err);
}

static bpa_diff_side side_of(const side *s)
{
    bpa_diff_side d = {s->se.grant, s->se.se_grant, s->rec};
    return d;
}

static bpa_status side_warnings(const side *s, bpa_error *err)
{
    if (s->se.grant)
        return cli_warnings(&s->se.grant->warnings, err);
    if (s->se.se_grant)
        return cli_warnings(&s->se.se_grant->warnings, err);
    return BPA_OK; /* a result's warnings were printed when it was made */
}

static void side_close(side *s)
{
    bpa_grant_record_free(s->rec);
    cli_session_close(&s->se);
}

int cmd_diff(int argc, char **argv)
{
    cli_options o;
    int rc = cli_parse(argc, argv, usage, 2, "two case files (OLD and NEW)", &o);
    if (rc >= 0)
        return rc;
    bpa_error err;
    bpa_error_clear(&err);
    side a, b;
    cli_options o_new = o;
    o_new.files = o.files + 1;
    o_new.nfiles = 1;
    /* the language is OLD's: NEW of another country is the mixed-countries error below */
    o_new.lang_given = false;
    memset(&b, 0, sizeof b);
    char *json = NULL, *summary = NULL;
    bpa_diff *d = NULL;
    bpa_status st = side_open(&a, &o, &err);
    if (st == BPA_OK)
        st = side_open(&b, &o_new, &err);
    if (st == BPA_OK)
        st = bpa_diff_compute(&d, side_of(&a), side_of(&b), &err);
    bpa_lang lang = BPA_LANG_DA;
    if (st == BPA_OK) {
        bpa_scheme scheme = d->old_rec->scheme;
        lang = o.lang_given ? o.lang : bpa_lang_of_scheme(scheme);
        if (d->country == BPA_COUNTRY_SE && lang == BPA_LANG_DA)
            st = bpa_error_set(&err, BPA_E_USAGE, NULL, 0, 0, NULL,
                               "--lang da: %s is a Swedish scheme, written in Swedish (--lang "
                               "sv, the default) or English (--lang en)",
                               bpa_scheme_name(scheme));
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
        st = side_warnings(&a, &err);
    if (st == BPA_OK)
        st = side_warnings(&b, &err);
    free(json);
    free(summary);
    bpa_diff_free(d);
    side_close(&b);
    side_close(&a);
    return st == BPA_OK ? 0 : cli_report(&err);
}
