/* The bodies of bpa grant and bpa settle over an opened session, shared with
 * bpa batch so that a case in a batch gets the very files it gets alone. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#include "bpa/output.h"
#include "bpa/se.h"
#include "bpa/settle.h"
#include "bpa/summary.h"
#include "bpa/usage.h"
#include "bpa/verify.h"
#include "bpa/workbook.h"

/* The JSON to its file (and, alone, the summary or JSON on stdout and the
 * warnings on stderr); the JSON text handed to *keep when asked. */
static bpa_status finish(const cli_options *o, bool quiet, char **json, const char *summary,
                         const bpa_warnings *w, char **keep, bpa_error *err)
{
    bpa_status st;
    if (quiet)
        st = o->json ? bpa_file_write(o->json, *json, strlen(*json), err) : BPA_OK;
    else
        st = cli_emit(o, *json, summary, err);
    if (st == BPA_OK && !quiet)
        st = cli_warnings(w, err);
    if (st == BPA_OK && keep) {
        *keep = *json;
        *json = NULL;
    }
    return st;
}

bpa_status cli_grant_outputs(const cli_options *o, const cli_session *se, bool quiet,
                             char **json_keep, bpa_error *err)
{
    char *json = NULL, *summary = NULL;
    bpa_lang lang = cli_lang(o, se->kase);
    const bpa_se_grant *sg = se->se_grant;
    bpa_status st = BPA_OK;
    if (o->json || json_keep)
        st = sg ? bpa_se_grant_to_json(sg, &json, err) : bpa_grant_to_json(se->grant, &json, err);
    if (st == BPA_OK && !quiet && !cli_json_to_stdout(o))
        st = sg ? bpa_se_grant_summary(sg, lang, &summary, err)
                : bpa_grant_summary(se->grant, lang, &summary, err);
    /* the workbook first: a failed workbook leaves no JSON file either */
    if (st == BPA_OK && o->xlsx)
        st = sg ? bpa_se_grant_workbook_write(sg, o->xlsx, lang, err)
                : bpa_grant_workbook_write(se->grant, o->xlsx, lang, err);
    if (st == BPA_OK)
        st = finish(o, quiet, &json, summary, sg ? &sg->warnings : &se->grant->warnings,
                    json_keep, err);
    free(json);
    free(summary);
    return st;
}

/* The Swedish path: budget, usage, avräkning. */
static bpa_status settle_se(const cli_options *o, const cli_session *se, const char *usage_path,
                            bool quiet, char **json_keep, bpa_error *err)
{
    bpa_se_usage *u = NULL;
    bpa_se_settlement *s = NULL;
    char *json = NULL, *summary = NULL;
    bpa_lang lang = cli_lang(o, se->kase);
    bpa_status st = bpa_se_usage_load(&u, usage_path, err);
    if (st == BPA_OK)
        st = bpa_se_settle(&s, se->se_grant, u, err);
    if (st == BPA_OK && (o->json || json_keep))
        st = bpa_se_settle_to_json(s, &json, err);
    if (st == BPA_OK && !quiet && !cli_json_to_stdout(o))
        st = bpa_se_settle_summary(s, lang, &summary, err);
    if (st == BPA_OK && o->xlsx)
        st = bpa_se_settle_workbook_write(s, o->xlsx, lang, err);
    if (st == BPA_OK)
        st = finish(o, quiet, &json, summary, &s->warnings, json_keep, err);
    free(json);
    free(summary);
    bpa_se_settle_free(s);
    bpa_se_usage_free(u);
    return st;
}

bpa_status cli_settle_outputs(const cli_options *o, const cli_session *se,
                              const char *usage_path, bool quiet, char **json_keep,
                              bpa_error *err)
{
    if (se->se_grant)
        return settle_se(o, se, usage_path, quiet, json_keep, err);
    bpa_usage *u = NULL;
    bpa_settlement *s = NULL;
    char *json = NULL, *summary = NULL;
    bpa_lang lang = cli_lang(o, se->kase);
    bpa_status st = bpa_usage_load(&u, usage_path, err);
    if (st == BPA_OK)
        st = bpa_settle_compute(&s, se->grant, u, err);
    if (st == BPA_OK && (o->json || json_keep))
        st = bpa_settle_to_json(s, &json, err);
    if (st == BPA_OK && !quiet && !cli_json_to_stdout(o))
        st = bpa_settle_summary(s, lang, &summary, err);
    if (st == BPA_OK && o->xlsx)
        st = bpa_settle_workbook_write(s, o->xlsx, lang, err);
    if (st == BPA_OK)
        st = finish(o, quiet, &json, summary, &s->warnings, json_keep, err);
    free(json);
    free(summary);
    bpa_settle_free(s);
    bpa_usage_free(u);
    return st;
}

bpa_status cli_verify_run(const bpa_grant *g, const bpa_se_grant *sg, const bpa_usage *u,
                          const bpa_se_usage *su, const char *account, bpa_verify_result **out,
                          bpa_error *err)
{
    bpa_status st;
    if (sg) {
        bpa_se_settlement *s = NULL;
        st = bpa_se_settle(&s, sg, su, err);
        if (st == BPA_OK)
            st = bpa_se_verify_settlement(out, s, account, err);
        bpa_se_settle_free(s);
    } else {
        bpa_settlement *s = NULL;
        st = bpa_settle_compute(&s, g, u, err);
        if (st == BPA_OK)
            st = bpa_verify_settlement(out, s, account, err);
        bpa_settle_free(s);
    }
    return st;
}
