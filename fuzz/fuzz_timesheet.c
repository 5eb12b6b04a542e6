/* The timesheet parser and band classifier on arbitrary bytes, under the
 * Albertslund policy (settlement year 2025, the grant's only step 11). */
#include "input/timesheet.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bpa_ts_acc acc;
    bpa_error err;
    bpa_ts_acc_init(&acc, fuzz_policy(), 2025, 11);
    bpa_timesheet_read_mem(&acc, "fuzz.csv", (const char *)data, size, &err);
    bpa_ts_acc_release(&acc);
    return 0;
}
