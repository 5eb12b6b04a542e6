/*
 * labels.h (internal) - the words of the workbooks: sheet names, column
 * headers, titles and the few words written into cells, one entry per label
 * with its Danish and English text (Swedish to come with the Swedish
 * schemes; until then a label without Swedish text falls back to English).
 */
#ifndef BPA_LABELS_H
#define BPA_LABELS_H

#include <stdbool.h>

#include "bpa/workbook.h"
#include "core/strutil.h"

/* The text of `key` in `lang`; an unknown key returns the key itself, so a
 * missing label shows in the sheet instead of an empty cell. */
const char *bpa_label(const char *key, bpa_lang lang);
bool bpa_label_known(const char *key);
/* A policy parameter by what it is ("timeløn, trin 11", "tillæg, aften"),
 * appended to sb; false (nothing appended) when it has no label. */
bool bpa_label_param(bpa_strbuf *sb, const char *name, bpa_lang lang);

#endif
