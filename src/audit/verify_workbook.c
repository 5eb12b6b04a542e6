/* Reading back an account workbook (RULES.md 13): to come. */
#include "audit/verify_int.h"

bpa_status vf_workbook(bpa_verify_result *r, const char *account, const void *settlement,
                       vf_workbook_fn write, bpa_error *err)
{
    (void)r;
    (void)settlement;
    (void)write;
    return bpa_error_set(err, BPA_E_INPUT, account, 0, 0, NULL, "workbooks: not yet");
}
