/*
 * outfile.h - atomic output files (RULES.md section 11: outputs go to a
 * temporary file in the target directory and are renamed only when
 * complete), internal.
 *
 * The temporary lives in the target's own directory so the final rename
 * never crosses a file system and is atomic: a reader sees the old file or
 * the whole new one, never a partial one.
 *
 * Where the file system allows it (Linux O_TMPFILE: ext4, xfs, btrfs,
 * tmpfs), the temporary has no name at all until it is complete: a process
 * killed mid-write (SIGKILL, power loss) leaves nothing behind, not even a
 * hidden file. At commit it is linked under the target's name when there is
 * no such file yet; to replace a file, it is linked as
 * "<dir>/.<base>.XXXXXX" and renamed over it (killed between the two, that
 * complete file is left). Elsewhere the temporary is that named file from
 * the start, which a process that dies without unwinding (SIGKILL, GMP's
 * out-of-memory abort or handler) leaves behind: libbpa keeps no list of
 * pending names to clean up (docs/decisions.md, Robustness).
 *
 * Thread safety: each bpa_outfile is its own; different ones may be used
 * in different threads. bpa_outfile_force_named is process-wide test state.
 *
 * Usage:
 *     bpa_outfile out;
 *     if (bpa_outfile_open(&out, path, err) != BPA_OK) return err->status;
 *     ... fprintf(out.fp, ...) ...
 *     on success: return bpa_outfile_commit(&out, err);
 *     on failure: bpa_outfile_abort(&out);
 *
 * A writer that opens its file by name (libxlsxwriter) uses
 * bpa_outfile_open_named instead and writes to out.tmp_path.
 */
#ifndef BPA_OUTFILE_H
#define BPA_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "bpa/status.h"

typedef struct bpa_outfile {
    FILE *fp;          /* bpa_outfile_open: write here; otherwise NULL */
    int fd;            /* the temporary; -1 when not open */
    char *final_path;  /* the name the file gets on commit */
    char *tmp_path;    /* a name that opens the temporary: "/proc/self/fd/N"
                          when anonymous, else "<dir>/.<base>.XXXXXX" */
    bool anonymous;    /* no directory entry until commit (O_TMPFILE) */
} bpa_outfile;

/* Create the temporary (mode 0644) beside path and open a stream on it.
 * BPA_E_OUTPUT naming path when the directory is missing or not writable or
 * path is a directory; BPA_E_NOMEM. On failure *out is left empty, so
 * bpa_outfile_abort on it is a no-op. */
bpa_status bpa_outfile_open(bpa_outfile *out, const char *path, bpa_error *err);

/* As bpa_outfile_open, without a stream: the caller opens out.tmp_path
 * itself (mode "wb"), writes and closes it, then commits. */
bpa_status bpa_outfile_open_named(bpa_outfile *out, const char *path, bpa_error *err);

/* Flush the stream (if any) and fsync, give an unnamed temporary its name,
 * close, and rename over the final path (unless the name given was the
 * final one). On any failure nothing new is left under either name and
 * BPA_E_OUTPUT (or BPA_E_NOMEM) is returned. Either way the struct is
 * released and left empty. */
bpa_status bpa_outfile_commit(bpa_outfile *out, bpa_error *err);

/* Close and remove the temporary and free the strings. Safe after a failed
 * open, after commit and when called twice. */
void bpa_outfile_abort(bpa_outfile *out);

/* Tests only: true makes later opens skip O_TMPFILE and use a named
 * temporary from the start, as on a file system without it. */
void bpa_outfile_force_named(bool named);

#endif
