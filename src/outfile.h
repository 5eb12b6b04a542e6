/*
 * outfile.h - atomic output files (RULES.md section 11: outputs go to a
 * temporary file in the target directory and are renamed only when
 * complete), internal.
 *
 * The temporary lives in the target's own directory so the final rename
 * never crosses a file system and is atomic: a reader sees the old file or
 * the whole new one, never a partial one.
 *
 * Usage:
 *     bpa_outfile out;
 *     if (bpa_outfile_open(&out, path, err) != BPA_OK) return err->status;
 *     ... fprintf(out.fp, ...) ...
 *     on success: return bpa_outfile_commit(&out, err);
 *     on failure: bpa_outfile_abort(&out);
 */
#ifndef BPA_OUTFILE_H
#define BPA_OUTFILE_H

#include <stdio.h>

#include "bpa/status.h"

typedef struct bpa_outfile {
    FILE *fp;          /* write here; NULL when not open */
    char *final_path;  /* the name the file gets on commit */
    char *tmp_path;    /* "<dir>/.<base>.XXXXXX" while open */
} bpa_outfile;

/* Create the temporary (mode 0644) next to path and open it for writing.
 * BPA_E_OUTPUT naming path when the directory is missing or not writable or
 * path is a directory; BPA_E_NOMEM. On failure *out is left empty, so
 * bpa_outfile_abort on it is a no-op. */
bpa_status bpa_outfile_open(bpa_outfile *out, const char *path, bpa_error *err);

/* Flush, fsync, close and rename the temporary over the final path. On any
 * failure the temporary is removed and BPA_E_OUTPUT returned. Either way the
 * struct's strings are freed and it is left empty. */
bpa_status bpa_outfile_commit(bpa_outfile *out, bpa_error *err);

/* Close and remove the temporary and free the strings. Safe after a failed
 * open, after commit and when called twice. */
void bpa_outfile_abort(bpa_outfile *out);

/* For writers that open the file by name themselves (libxlsxwriter): create
 * an empty temporary (mode 0644) next to path and return its malloc'd name
 * in *tmp_path. The caller writes it, then calls bpa_outfile_rename, or
 * unlinks it and frees the name. Errors as for bpa_outfile_open. */
bpa_status bpa_outfile_reserve(const char *path, char **tmp_path, bpa_error *err);

/* Rename tmp_path over path; on failure tmp_path is unlinked and
 * BPA_E_OUTPUT returned. Does not free tmp_path. */
bpa_status bpa_outfile_rename(const char *tmp_path, const char *path, bpa_error *err);

/* Remove every temporary file not yet renamed (for a process that must stop
 * at once, e.g. when GMP runs out of memory). */
void bpa_outfile_remove_pending(void);

#endif
