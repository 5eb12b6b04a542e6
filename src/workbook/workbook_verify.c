/* The difference workbook of bpa verify: to come. */
#include "bpa/verify.h"

bpa_status bpa_verify_workbook_write(const bpa_verify_result *r, const char *path, bpa_lang lang,
                                     bpa_error *err)
{
    (void)r;
    (void)lang;
    return bpa_error_set(err, BPA_E_OUTPUT, path, 0, 0, NULL, "not yet");
}
