/* stub */
#include "bpa/diff.h"
bpa_status bpa_diff_workbook_write(const bpa_diff *d, const char *path, bpa_lang lang,
                                   bpa_error *err)
{
    (void)d; (void)lang;
    return bpa_error_set(err, BPA_E_OUTPUT, path, 0, 0, NULL, "not yet");
}
