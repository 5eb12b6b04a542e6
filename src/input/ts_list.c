/* The timesheets[] member of a usage file, shared by the Danish and Swedish
 * loaders (see input/ts_list.h, RULES.md 8.1). */
#include "core/alloc.h"
#include "input/ts_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRY(expr)                                                                      \
    do {                                                                               \
        bpa_status st_ = (expr);                                                       \
        if (st_ != BPA_OK)                                                             \
            return st_;                                                                \
    } while (0)

static bpa_status nomem(bpa_error *err)
{
    return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
}

void bpa_ts_list_free(char **paths, bpa_timesheet_map *maps, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    for (size_t i = 0; maps && i < n; i++) {
        bpa_timesheet_map *m = &maps[i];
        for (int k = 0; k < 6; k++)
            free(m->columns[k]);
        for (size_t j = 0; j < m->nkinds; j++) {
            free(m->kind_from[j]);
            free(m->kind_to[j]);
        }
        free(m->kind_from);
        free(m->kind_to);
        for (size_t j = 0; j < m->nignore; j++)
            free(m->ignore[j]);
        free(m->ignore);
        free(m->sheet);
    }
    free(maps);
}

/* A timesheets[] object (RULES.md 8.1 Maps) into m; *file its "file". */
static bpa_status parse_map(const bpa_json_doc *doc, const cJSON *t, const char *p,
                            bpa_timesheet_map *m, const char **file, bpa_error *err)
{
    static const char *const keys[] = {"file",        "columns",        "kinds", "date_format",
                                       "time_format", "ignore_columns", "sheet", NULL};
    static const char *const std[] = {"helper", "date", "start", "end", "kind", "step", NULL};
    static const char *const kinds[] = {"work", "on_call", "aktiv", "vantetid", "beredskap",
                                        NULL};
    static const char *const dates[] = {"YYYY-MM-DD", "DD-MM-YYYY", "DD.MM.YYYY", "DD/MM/YYYY",
                                        NULL};
    static const char *const times[] = {"HH:MM", "HH.MM", NULL};
    char q[BPA_ERROR_PATH_MAX], r[BPA_ERROR_PATH_MAX];
    TRY(bpa_json_expect_object(doc, t, p, keys, err));
    TRY(bpa_json_get_string(doc, t, p, "file", true, file, err));
    if (!(*file)[0])
        return bpa_json_fail(doc, cJSON_GetObjectItemCaseSensitive(t, "file"),
                             bpa_json_path_key(q, sizeof q, p, "file"), err,
                             "expected a path to a CSV or .xlsx file, relative to the usage file");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(t, "columns");
    if (c) {
        bpa_json_path_key(q, sizeof q, p, "columns");
        TRY(bpa_json_expect_object(doc, c, q, std, err));
        for (const cJSON *e = c->child; e; e = e->next) {
            int k = 0;
            while (strcmp(std[k], e->string) != 0)
                k++;
            bpa_json_path_key(r, sizeof r, q, e->string);
            if (!cJSON_IsString(e) || !e->valuestring[0])
                return bpa_json_fail(doc, e, r, err,
                                     "expected the header name of the column \"%s\"", std[k]);
            for (int j = 0; j < 6; j++)
                if (m->columns[j] && strcmp(m->columns[j], e->valuestring) == 0)
                    return bpa_json_fail(doc, e, r, err,
                                         "\"%s\" is already the column \"%s\": two columns "
                                         "cannot have one header",
                                         e->valuestring, std[j]);
            if (!(m->columns[k] = bpa_strdup(e->valuestring)))
                return nomem(err);
        }
    }
    const cJSON *ks = cJSON_GetObjectItemCaseSensitive(t, "kinds");
    if (ks) {
        bpa_json_path_key(q, sizeof q, p, "kinds");
        if (!cJSON_IsObject(ks))
            return bpa_json_fail(doc, ks, q, err,
                                 "expected an object mapping the file's kinds to standard ones");
        size_t n = (size_t)cJSON_GetArraySize(ks);
        m->kind_from = bpa_calloc(n ? n : 1, sizeof *m->kind_from);
        m->kind_to = bpa_calloc(n ? n : 1, sizeof *m->kind_to);
        if (!m->kind_from || !m->kind_to)
            return nomem(err);
        for (const cJSON *e = ks->child; e; e = e->next) {
            bpa_json_path_key(r, sizeof r, q, e->string);
            int k = 0;
            while (kinds[k] && !(cJSON_IsString(e) && strcmp(kinds[k], e->valuestring) == 0))
                k++;
            if (!kinds[k])
                return bpa_json_fail(doc, e, r, err,
                                     "expected a standard kind: work or on_call (Swedish: "
                                     "aktiv, vantetid, beredskap)");
            size_t j = m->nkinds;
            m->kind_from[j] = bpa_strdup(e->string);
            m->kind_to[j] = bpa_strdup(e->valuestring);
            m->nkinds++;
            if (!m->kind_from[j] || !m->kind_to[j])
                return nomem(err);
        }
    }
    int idx = 0;
    TRY(bpa_json_get_enum(doc, t, p, "date_format", false, dates, &idx, err));
    m->date_format = (bpa_ts_date_format)idx;
    idx = 0;
    TRY(bpa_json_get_enum(doc, t, p, "time_format", false, times, &idx, err));
    m->time_format = (bpa_ts_time_format)idx;
    const cJSON *ig = cJSON_GetObjectItemCaseSensitive(t, "ignore_columns");
    if (ig) {
        bpa_json_path_key(q, sizeof q, p, "ignore_columns");
        TRY(bpa_json_expect_array(doc, ig, q, err));
        size_t n = (size_t)cJSON_GetArraySize(ig), i = 0;
        if (!(m->ignore = bpa_calloc(n ? n : 1, sizeof *m->ignore)))
            return nomem(err);
        for (const cJSON *e = ig->child; e; e = e->next, i++) {
            if (!cJSON_IsString(e) || !e->valuestring[0])
                return bpa_json_fail(doc, e, bpa_json_path_index(r, sizeof r, q, i), err,
                                     "expected a header name to skip");
            if (!(m->ignore[m->nignore++] = bpa_strdup(e->valuestring)))
                return nomem(err);
        }
    }
    const char *sheet = NULL;
    TRY(bpa_json_get_string(doc, t, p, "sheet", false, &sheet, err));
    if (sheet && !(m->sheet = bpa_strdup(sheet)))
        return nomem(err);
    return BPA_OK;
}

bpa_status bpa_ts_list_parse(const bpa_json_doc *doc, const cJSON *root, const char *usage_file,
                             char ***paths, bpa_timesheet_map **maps, size_t *n,
                             bpa_error *err)
{
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(root, "timesheets");
    if (ts) {
        TRY(bpa_json_expect_array(doc, ts, "$.timesheets", err));
        size_t count = (size_t)cJSON_GetArraySize(ts);
        *paths = bpa_calloc(count ? count : 1, sizeof **paths);
        *maps = bpa_calloc(count ? count : 1, sizeof **maps);
        if (!*paths || !*maps)
            return nomem(err);
        const char *slash = strrchr(usage_file, '/');
        size_t dirlen = slash ? (size_t)(slash - usage_file + 1) : 0;
        size_t i = 0;
        for (const cJSON *t = ts->child; t; t = t->next, i++) {
            char p[BPA_ERROR_PATH_MAX];
            bpa_json_path_index(p, sizeof p, "$.timesheets", i);
            const char *rel = NULL;
            if (cJSON_IsObject(t)) {
                /* on an error counted (its path NULL), so that
                 * bpa_ts_list_free frees the half-read map */
                bpa_status st = parse_map(doc, t, p, &(*maps)[i], &rel, err);
                if (st != BPA_OK) {
                    (*n)++;
                    return st;
                }
            } else if (!cJSON_IsString(t) || !t->valuestring[0]) {
                return bpa_json_fail(doc, t, p, err,
                                     "expected a path to a CSV or .xlsx file, relative to the "
                                     "usage file, or an object {\"file\": ..., \"columns\": "
                                     "...}");
            } else {
                rel = t->valuestring;
            }
            size_t len = strlen(rel);
            char *full = bpa_malloc(dirlen + len + 1);
            if (!full)
                return nomem(err);
            if (rel[0] == '/') {
                memcpy(full, rel, len + 1);
            } else {
                memcpy(full, usage_file, dirlen);
                memcpy(full + dirlen, rel, len + 1);
            }
            (*paths)[(*n)++] = full;
        }
    }
    return BPA_OK;
}
