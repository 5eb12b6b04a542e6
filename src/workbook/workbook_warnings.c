/* The warnings block of a summary sheet (RULES.md 10: warnings[] are on the
 * summary sheet), in the workbook's language: message, then where. */
#include "workbook/workbook_common.h"

#include <stdlib.h>

int wb_summary_warnings(wb_sheet *sh, int r, const bpa_warnings *ws)
{
    wb *w = sh->w;
    if (!ws->n)
        return r;
    wb_ltext(sh, r++, 0, "sum.section_warnings", w->f.section);
    for (size_t i = 0; i < ws->n; i++) {
        char *message, *where;
        if (bpa_warning_render(ws, i, w->lang, &message, &where, NULL) != BPA_OK) {
            w->nomem = true;
            return r;
        }
        wb_text(sh, r, 0, message, w->f.wrap);
        wb_text(sh, r++, 1, where, w->f.wrap);
        free(message);
        free(where);
    }
    return r + 1;
}
