/*
 * bpa/output.h - writing a result to a file the way RULES.md section 11
 * asks: never a partial file.
 *
 * The data goes to a temporary file in the target's own directory, which
 * takes the target's name only once it is complete (fsync'ed, then linked
 * or renamed): a failed or killed run leaves no partial file and never
 * replaces an existing file with a partial one. Where the file system has
 * O_TMPFILE the temporary has no name at all until then.
 *
 * Thread-safety: call from one thread at a time (the bookkeeping of
 * temporary names is process-wide).
 */
#ifndef BPA_OUTPUT_H
#define BPA_OUTPUT_H

#include "bpa/export.h"

#include <stddef.h>

#include "bpa/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write length bytes of data (e.g. the text of bpa_grant_to_json) to path,
 * atomically, mode 0644 less the umask. BPA_E_OUTPUT, its message naming
 * path ("cannot write PATH: reason"), when the directory is missing or not
 * writable, path is a directory, or the write or the rename fails: nothing
 * is left then, and an existing file at path is unchanged. BPA_E_NOMEM. */
BPA_API bpa_status bpa_file_write(const char *path, const char *data, size_t length,
                                  bpa_error *err);

#ifdef __cplusplus
}
#endif
#endif
