/* The CSV reader on arbitrary bytes. */
#include "io/csv.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bpa_csv *csv = NULL;
    bpa_error err;
    if (bpa_csv_open_mem(&csv, "fuzz.csv", (const char *)data, size, &err) != BPA_OK)
        return 0;
    size_t n;
    char **fields;
    unsigned line;
    while (bpa_csv_next(csv, &n, &fields, &line, &err) == BPA_OK && n > 0)
        ;
    bpa_csv_free(csv);
    return 0;
}
