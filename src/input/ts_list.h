/*
 * input/ts_list.h (internal) - the `timesheets` member of a usage file
 * (RULES.md 8.1: paths or map objects), read the same way for a Danish and
 * a Swedish usage file (src/input/usage.c, src/input/se_usage.c).
 *
 * Ownership: *paths and *maps are allocated here and released with
 * bpa_ts_list_free, also after an error (a half-read map is counted in *n so
 * that it is freed; its path is then NULL).
 */
#ifndef BPA_INPUT_TS_LIST_H
#define BPA_INPUT_TS_LIST_H

#include <stddef.h>

#include "bpa/status.h"
#include "bpa/usage.h"
#include "io/json.h"

/* Read root's optional "timesheets" array; paths are resolved against the
 * directory of usage_file. Nothing is allocated when the key is absent. */
bpa_status bpa_ts_list_parse(const bpa_json_doc *doc, const cJSON *root, const char *usage_file,
                             char ***paths, bpa_timesheet_map **maps, size_t *n,
                             bpa_error *err);
void bpa_ts_list_free(char **paths, bpa_timesheet_map *maps, size_t n);

#endif
