/* Atomic output files for callers of the library (see include/bpa/output.h). */
#include "bpa/output.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "io/outfile.h"

bpa_status bpa_file_write(const char *path, const char *data, size_t length, bpa_error *err)
{
    bpa_outfile out;
    bpa_status st = bpa_outfile_open(&out, path, err);
    if (st != BPA_OK)
        return st;
    if (length > 0 && fwrite(data, 1, length, out.fp) != length) {
        int e = errno;
        bpa_outfile_abort(&out);
        return bpa_error_set(err, BPA_E_OUTPUT, NULL, 0, 0, NULL, "cannot write %s: %s", path,
                             strerror(e)); /* worded as outfile's own failures */
    }
    return bpa_outfile_commit(&out, err);
}
